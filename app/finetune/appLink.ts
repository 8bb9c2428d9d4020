// Where the fine-tune panel meets the rest of the app: only through the app store's public actions.
// Show graph: the recorded events of one training step become the run on the canvas, as if a program had
// run (runStarted → eventsArrived → runFinished); the editor gets the program text the events' positions
// refer to, so stepping highlights the statement that ran.
// Note: the canvas's runs are numbered by the bridge from 1 upwards and the training panel's inspected runs
// from -1 downwards; the fine-tune panel's count down from -1,000,000, so a late message of one kind is
// never taken for another (the store drops batches of another runId).
import type { Recorded } from './protocol';
import { eventsArrived, runFinished, runStarted, setProgram } from '../store/appStore';

let nextRunId = -1_000_000;

export function showRecordedInCanvas(r: Recorded): void {
  const runId = nextRunId--;
  setProgram(r.program);
  runStarted(runId, r.program);
  eventsArrived(runId, r.events);
  runFinished(runId, { ok: true, elapsedMs: 0 });
}
