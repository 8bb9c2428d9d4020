// The runner: a Web Worker that imports the engine, runs one program at a time, and posts the engine's
// events back in batches. The page never freezes on a long program, and the bridge can terminate it.
/// <reference lib="webworker" />
import type { GraphEvent } from '../../engine/events';
import type { FromWorker, OpFormulaEntry, ToWorker } from './protocol';
import { IterationTrimmer, KEEP_HEAD, KEEP_TAIL } from './trim';
import type { RunError } from '../store/types';
import { runProgram } from '../../engine/lang/run';
import { events, MULTI_OPS, OPS } from '../../engine/index';
import { recyclingAfter } from '../../engine/dtype';
import { gemmThreads } from '../../engine/kernels/matmul';
import { startGemmHelper } from './gemm';

/**
 * The iterations of an outermost loop over a range that the trimmer will keep (the first KEEP_HEAD and the
 * last KEEP_TAIL): only those build graph events, so a 2000-iteration fit costs the engine about as much
 * with the canvas listening as without. Loops of unknown length record everything and the trimmer bounds
 * what travels; inner loops follow their outer loop.
 */
function shownIteration(index: number, total: number | undefined, depth: number): boolean {
  if (depth > 0 || total === undefined) return true;
  return index < KEEP_HEAD || index >= total - KEEP_TAIL;
}

declare const self: DedicatedWorkerGlobalScope;

// A second thread for gemm where the page is cross-origin isolated (else one thread, as before).
startGemmHelper();

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

/**
 * Files a program opens by name (load_file("resnet18-f16.safetensors"), resnet18(weights="...")): the
 * static build's models/ folder. The engine reads files synchronously; fetch is asynchronous, so the
 * files the program names in string literals are fetched before it runs and served from this map.
 */
const files = new Map<string, Uint8Array>();

const FILE_NAME = /^[\w-][\w.-]*\.(safetensors|json|bin|csv|txt)$/;

/** File names in the program's string literals (what load_file and weights= can be given). */
export function namedFiles(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/(["'])([^"'\n]{1,200})\1/g)) if (FILE_NAME.test(m[2])) names.add(m[2]);
  return [...names];
}

/** Where the app's static files are, relative to this worker (assets/…js in the build). */
function candidates(name: string): URL[] {
  const here = self.location.href;
  return [new URL(`../models/${name}`, here), new URL(`/models/${name}`, here), new URL(`../${name}`, here)];
}

async function prefetch(source: string): Promise<void> {
  await Promise.all(
    namedFiles(source)
      .filter((n) => !files.has(n))
      .map(async (name) => {
        for (const url of candidates(name)) {
          try {
            const r = await fetch(url);
            // A preview server answers unknown paths with index.html: that is not the file.
            if (!r.ok || (r.headers.get('content-type') ?? '').includes('text/html')) continue;
            files.set(name, new Uint8Array(await r.arrayBuffer()));
            return;
          } catch {
            // offline or missing: the program's load_file reports it
          }
        }
      }),
  );
}

function loadFile(name: string): Uint8Array {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) throw new Error(`cannot open '${name}': only files shipped with the app can be opened`);
  const got = files.get(name);
  if (got) return got;
  // A name built at run time (not a literal): a synchronous request, which workers may still make.
  for (const url of candidates(name)) {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url.href, false);
    xhr.responseType = 'arraybuffer';
    try {
      xhr.send();
    } catch {
      continue;
    }
    if (xhr.status === 200 && !(xhr.getResponseHeader('content-type') ?? '').includes('text/html')) {
      const bytes = new Uint8Array(xhr.response as ArrayBuffer);
      files.set(name, bytes);
      return bytes;
    }
  }
  throw new Error(`No such file or directory: '${name}'`);
}

async function loadEngine(): Promise<Engine> {
  const ops: OpFormulaEntry[] = [];
  for (const def of Object.values(OPS) as { name: string; gradFn?: string; label?: string; inputs?: readonly string[]; formulas?: Readonly<Record<string, string>> }[]) {
    ops.push({ name: def.name, gradFn: def.gradFn ?? '', label: def.label ?? def.name, inputs: [...(def.inputs ?? [])], formulas: { ...(def.formulas ?? {}) } });
  }
  for (const def of MULTI_OPS) ops.push({ name: def.name, gradFn: def.gradFn, label: def.label, inputs: [...def.inputs], formulas: { ...def.formulas }, multi: true });
  return {
    kind: 'engine',
    ops,
    subscribe: (l) => events.subscribe(l),
    run: (source) => {
      // Nothing of a run outlives it here (its events are plain data), so the next run reuses its memory.
      const r = recyclingAfter(() => runProgram(source, { loadFile, recordIteration: shownIteration }));
      const e = r.error;
      if (!e) return { ok: r.ok, error: null };
      const pos = e.pos;
      return { ok: false, error: { type: e.type, message: e.message, line: pos?.line ?? 0, col: pos?.col ?? 0, endLine: pos?.endLine, endCol: pos?.endCol } };
    },
  };
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
  await prefetch(m.source);
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
    if (trimmer.take(e)) {
      // The head of a long loop is complete: post it now, so that a run stopped later (by the user or
      // the time limit, which terminate this worker) still shows what ran before.
      if (buffer.length) flush();
      return;
    }
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
  post({ type: 'done', runId, ok: result.ok, error: result.error ?? null, elapsedMs: Math.round(performance.now() - t0), threads: gemmThreads() });
};
