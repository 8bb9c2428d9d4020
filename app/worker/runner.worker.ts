// The runner: a Web Worker that imports the engine, runs one program at a time, and posts the engine's
// events back in batches. The page never freezes on a long program, and the bridge can terminate it.
/// <reference lib="webworker" />
import type { GraphEvent } from '../../engine/events';
import type { FromWorker, OpFormulaEntry, ToWorker } from './protocol';
import { IterationTrimmer } from './trim';
import type { RunError } from '../store/types';
import { fixtureRun } from './fixtureEngine';

declare const self: DedicatedWorkerGlobalScope;

/** Events per message, and the longest a batch waits while the program runs. */
const BATCH_EVENTS = 2000;
const BATCH_MS = 100;

interface Engine {
  run(source: string): { ok: boolean; error?: RunError | null };
  subscribe(listener: (e: GraphEvent) => void): () => void;
  ops: OpFormulaEntry[];
  kind: 'engine' | 'fixtures';
}

const post = (m: FromWorker) => self.postMessage(m);

async function loadEngine(): Promise<Engine> {
  // Note: the engine is written alongside the app; until its interpreter exists the worker replays
  // hand-written events for the built-in examples, so the app is usable (and testable) at every stage.
  const runMods = import.meta.glob('../../engine/lang/run.ts');
  const indexMods = import.meta.glob('../../engine/index.ts');
  const runLoader = Object.values(runMods)[0];
  const indexLoader = Object.values(indexMods)[0];
  if (runLoader && indexLoader) {
    const [runMod, indexMod] = (await Promise.all([runLoader(), indexLoader()])) as [any, any];
    const ops: OpFormulaEntry[] = [];
    const table = indexMod.OPS ?? {};
    for (const def of Object.values(table) as any[]) {
      if (!def || typeof def.name !== 'string') continue;
      ops.push({ name: def.name, gradFn: def.gradFn ?? '', label: def.label ?? def.name, inputs: [...(def.inputs ?? [])], formulas: { ...(def.formulas ?? {}) } });
    }
    return {
      kind: 'engine',
      ops,
      subscribe: (l) => indexMod.events.subscribe(l),
      run: (source) => {
        const r = runMod.runProgram(source);
        const e = r.error;
        return { ok: !!r.ok, error: e ? { type: String(e.type ?? 'Error'), message: String(e.message ?? ''), line: Number(e.line ?? 0), col: Number(e.col ?? 0), endLine: e.endLine, endCol: e.endCol } : null };
      },
    };
  }
  return fixtureRun();
}

const enginePromise = loadEngine();
enginePromise.then(
  (engine) => post({ type: 'ready', engine: engine.kind, ops: engine.ops }),
  () => post({ type: 'ready', engine: 'fixtures', ops: [] }),
);

self.onmessage = async (msg: MessageEvent<ToWorker>) => {
  const m = msg.data;
  if (m.type !== 'run') return;
  const engine = await enginePromise;
  const { runId } = m;
  let buffer: GraphEvent[] = [];
  let last = performance.now();
  const flush = () => {
    if (buffer.length) post({ type: 'events', runId, events: buffer });
    buffer = [];
    last = performance.now();
  };
  const trimmer = new IterationTrimmer((events) => {
    flush();
    post({ type: 'events', runId, events });
  });
  const stop = engine.subscribe((e) => {
    if (trimmer.take(e)) return;
    buffer.push(e);
    if (buffer.length >= BATCH_EVENTS || performance.now() - last > BATCH_MS) flush();
  });
  const t0 = performance.now();
  let result: { ok: boolean; error?: RunError | null };
  try {
    result = engine.run(m.source);
  } catch (err) {
    // The interpreter reports program errors itself; anything else is our bug, said plainly.
    result = { ok: false, error: { type: 'InternalError', message: `The engine failed: ${err instanceof Error ? err.message : String(err)}`, line: 0, col: 0 } };
  } finally {
    stop();
  }
  flush();
  const tail = trimmer.flush();
  if (tail.length) post({ type: 'events', runId, events: tail });
  if (trimmer.dropped) post({ type: 'skipped', runId, iterations: trimmer.dropped });
  post({ type: 'done', runId, ok: result.ok, error: result.error ?? null, elapsedMs: Math.round(performance.now() - t0) });
};
