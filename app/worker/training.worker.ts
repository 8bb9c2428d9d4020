// The training worker: runs the tutorial's two loops (app/training/session.ts) in frame-sized chunks and
// posts progress, so the page stays responsive while it trains. Between chunks it yields to its own
// message queue, so Pause, Reset and Inspect are answered within one chunk.
/// <reference lib="webworker" />
import type { FromTraining, Rate, ToTraining } from '../training/protocol';
import { TrainingSession } from '../training/session';

declare const self: DedicatedWorkerGlobalScope;

/** Compute per chunk: about one frame, so progress arrives at the display's pace. */
const CHUNK_MS = 14;

let session: TrainingSession | null = null;
let rate: Rate = null;
/** For a limited rate: when the run (re)started, and the iteration it started from. */
let paceFrom = { time: 0, t: 0 };
let scheduled = false;

const post = (m: FromTraining) => self.postMessage(m);

// A zero-delay yield: a MessageChannel round trip is not clamped like nested setTimeout(0), and lets the
// worker's own message queue (Pause, Reset, Inspect) run between chunks.
const channel = new MessageChannel();
let zeroDelay: (() => void) | null = null;
channel.port1.onmessage = () => {
  const go = zeroDelay;
  zeroDelay = null;
  go?.();
};

function schedule(delayMs: number): void {
  if (scheduled) return;
  scheduled = true;
  const go = () => {
    scheduled = false;
    runChunk();
  };
  if (delayMs > 0) setTimeout(go, delayMs);
  else {
    zeroDelay = go;
    channel.port2.postMessage(null);
  }
}

function runChunk(): void {
  const s = session;
  if (!s || !s.playing) return;
  let max = Infinity;
  if (rate !== null) {
    const due = paceFrom.t + Math.floor(((performance.now() - paceFrom.time) / 1000) * rate);
    max = Math.max(0, due - s.t);
  }
  try {
    if (max > 0) s.runFor(CHUNK_MS, max);
  } catch (err) {
    s.playing = false;
    post({ type: 'failed', runId: s.runId, message: `Training failed: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  if (max > 0 || s.done) post(s.progress());
  if (s.playing && !s.done) schedule(rate === null ? 0 : Math.max(4, Math.min(100, 1000 / rate)));
}

function startPace(): void {
  paceFrom = { time: performance.now(), t: session?.t ?? 0 };
}

self.onmessage = (msg: MessageEvent<ToTraining>) => {
  const m = msg.data;
  if (m.type === 'reset') {
    session = new TrainingSession(m.runId, m.setup);
    post(session.progress());
    return;
  }
  const s = session;
  if (!s || m.runId !== s.runId) return;
  switch (m.type) {
    case 'play':
      rate = m.rate;
      if (s.done) return void post(s.progress());
      s.playing = true;
      startPace();
      post(s.progress());
      schedule(0);
      return;
    case 'pause':
      s.playing = false;
      post(s.progress());
      return;
    case 'rate':
      rate = m.rate;
      startPace();
      return;
    case 'step':
      s.playing = false;
      s.step();
      post(s.progress());
      return;
    case 'inspect':
      try {
        post(s.inspect(m.column, m.iteration, m.requestId));
      } catch (err) {
        post({ type: 'failed', runId: s.runId, message: `Could not record iteration ${m.iteration}: ${err instanceof Error ? err.message : String(err)}` });
      }
      return;
  }
};
