// Where the training panel meets the rest of the app: only through the app store's public actions.
//  - Inspect iteration: the recorded events of one iteration (and its neighbour) become the run on the
//    canvas, as if the program had run: runStarted → eventsArrived → runFinished, then the inspected
//    iteration's segment is selected. The editor gets the program text the events' positions refer to.
//  - Open as program: the tutorial's code for the selected column goes into the editor.
// Note: the canvas's runs are numbered by the bridge from 1 upwards; inspected runs count down from -1,
// so a late message of either kind is ignored by the other (the store drops batches of another runId).
import type { Inspected } from './protocol';
import { appStore, eventsArrived, runFinished, runStarted, setProgram, setSegment } from '../store/appStore';

let nextRunId = -1;

export function showInspectedInCanvas(r: Inspected): void {
  const runId = nextRunId--;
  setProgram(r.program);
  runStarted(runId, r.program);
  eventsArrived(runId, r.events);
  runFinished(runId, { ok: true, elapsedMs: 0 });
  const segment = appStore.getState().run.segments.find((s) => s.kind === 'iteration' && s.iteration === r.iteration);
  if (segment) setSegment(segment.index);
}

export function openProgramInEditor(program: string): void {
  setProgram(program);
}
