// The bridge: the only module on the main thread that talks to the runner worker (and so to the
// engine's events). Batches from the worker are queued and reduced into the store once per frame.
import type { GraphEvent } from '../engine/events';
import type { FromWorker, ToWorker } from './worker/protocol';
import { appStore, eventsArrived, multiFormulaKey, notify, runFinished, runStarted, setFormulas, type OpFormula } from './store/appStore';

/** A run longer than this is stopped (the worker is terminated and a fresh one started). */
export const RUN_TIMEOUT_MS = 60_000;

let worker: Worker | null = null;
let nextRunId = 1;
let currentRun = 0;
let queue: GraphEvent[] = [];
let frame: number | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let pendingDone: FromWorker | null = null;
let engineKind: 'engine' | 'fixtures' | null = null;

function spawn(): Worker {
  const w = new Worker(new URL('./worker/runner.worker.ts', import.meta.url), { type: 'module', name: 'autograd-runner' });
  w.onmessage = (e: MessageEvent<FromWorker>) => receive(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    fail('The engine stopped unexpectedly. It has been restarted; run the program again.');
  };
  return w;
}

function receive(m: FromWorker): void {
  switch (m.type) {
    case 'ready': {
      engineKind = m.engine;
      const table: Record<string, OpFormula> = {};
      for (const op of m.ops) {
        const entry = { label: op.label, gradFn: op.gradFn, inputs: op.inputs, formulas: op.formulas };
        table[`${op.name}|${op.gradFn}`] = entry;
        // A multi-output node's formula, by its grad_fn (its outputs' op events name the output ops: std, mean).
        if (op.multi) table[multiFormulaKey(op.gradFn)] = entry;
        if (!table[op.name]) table[op.name] = entry;
      }
      setFormulas(table);
      return;
    }
    case 'events':
      if (m.runId !== currentRun) return;
      queue.push(...m.events);
      schedule();
      return;
    case 'skipped':
      if (m.runId === currentRun) notify(`Kept the first and last iterations; ${m.iterations} in between are not drawn (their print output is shown).`);
      return;
    case 'done':
      if (m.runId !== currentRun) return;
      pendingDone = m;
      schedule();
      return;
  }
}

function schedule(): void {
  if (frame !== null) return;
  const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: FrameRequestCallback) => setTimeout(() => f(0), 16) as unknown as number;
  frame = raf(flush);
}

function flush(): void {
  frame = null;
  if (queue.length) {
    const batch = queue;
    queue = [];
    eventsArrived(currentRun, batch);
  }
  if (pendingDone && pendingDone.type === 'done') {
    const d = pendingDone;
    pendingDone = null;
    clearTimer();
    runFinished(d.runId, { ok: d.ok, error: d.error, elapsedMs: d.elapsedMs, threads: d.threads });
  }
}

function clearTimer(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function fail(message: string): void {
  clearTimer();
  worker?.terminate();
  worker = spawn();
  const runId = currentRun;
  if (queue.length) {
    eventsArrived(runId, queue);
    queue = [];
  }
  runFinished(runId, { ok: false, stopped: message });
}

export function startBridge(): void {
  if (!worker) worker = spawn();
}

/** Runs the program (the store's current text unless given). */
export function runProgram(source: string = appStore.getState().program): void {
  startBridge();
  // The worker runs one program at a time: a run still going would delay this one, so it is dropped.
  if (appStore.getState().status === 'running') {
    worker!.terminate();
    worker = spawn();
  }
  currentRun = nextRunId++;
  queue = [];
  pendingDone = null;
  clearTimer();
  runStarted(currentRun, source);
  worker!.postMessage({ type: 'run', runId: currentRun, source } satisfies ToWorker);
  timer = setTimeout(() => fail(`The program ran longer than ${RUN_TIMEOUT_MS / 1000} s and was stopped. The graph shows what ran before.`), RUN_TIMEOUT_MS);
}

/** Stops a running program: the worker is terminated and replaced. */
export function stopRun(): void {
  if (appStore.getState().status !== 'running') return;
  fail('Stopped. The graph shows what ran before.');
}

export function engineMode(): 'engine' | 'fixtures' | null {
  return engineKind;
}
