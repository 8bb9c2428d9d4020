// The benchmark in a browser worker: the same suites, runner and peers as `npm run bench` in Node
// (scripts/bench.ts), timed in this browser, with the engine's gemm helper started the way the app
// starts it. TensorFlow.js's wasm binaries are served beside this page.
/// <reference lib="webworker" />
import { selectCases } from '../index';
import { loadTfjs } from '../tfjs';
import { DEFAULT_TIMING, QUICK_TIMING, runCases } from '../runner';
import { type PeerHost, connectPeerHost } from '../peerHost';
import type { BenchRow, PeerEnv, TfjsHandle } from '../types';
import { startGemmHelper } from '../../../app/worker/gemm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

export interface BenchRequest {
  filter: string | null;
  quick: boolean;
  noPeers: boolean;
  threads: number;
}

export type BenchMessage =
  | { type: 'log'; line: string }
  | { type: 'done'; rows: BenchRow[]; groups: { name: string; cases: string[] }[] }
  | { type: 'error'; error: string };

const post = (m: BenchMessage) => self.postMessage(m);
const log = (line: string) => post({ type: 'log', line });

async function waitUntil(ready: () => boolean, ms: number): Promise<boolean> {
  const start = performance.now();
  while (!ready()) {
    if (performance.now() - start > ms) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

async function run(req: BenchRequest): Promise<void> {
  log(`${navigator.userAgent}; timing: ${req.quick ? 'quick' : 'default'}; medians in ms`);
  const helper = req.threads > 1 ? startGemmHelper() : null;
  const threads = helper && (await waitUntil(() => helper.active, 20_000)) ? 2 : 1;
  log(`threads: ${threads === 2 ? `2 (gemm helper in a Web Worker) on ${navigator.hardwareConcurrency} cores` : `1${req.threads > 1 ? ` (crossOriginIsolated: ${self.crossOriginIsolated})` : ''}`}`);
  let tfjs: Promise<TfjsHandle | null> | null = null;
  const env: PeerEnv = {
    // Only where the peers' worker does not start: imported when a peer is first timed, after our rows.
    tfjs: () =>
      (tfjs ??= (async () => {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });
        return loadTfjs(log);
      })()),
    threads,
  };
  const groups = await selectCases(env, req.filter, req.noPeers);
  const host = req.noPeers ? null : await startPeerWorker(req.filter, threads).catch((e: unknown) => {
    log(`peers: their worker did not start (${String(e)}); timed in this worker after our rows`);
    return null;
  });
  let done = 0;
  const total = groups.reduce((n, g) => n + g.cases.length, 0);
  const rows = await runCases(groups.flatMap((g) => g.cases), req.quick ? QUICK_TIMING : DEFAULT_TIMING, () => {
    if (++done <= total) log(`  ${done}/${total} cases timed`);
  }, host);
  post({ type: 'done', rows, groups: groups.map((g) => ({ name: g.name, cases: g.cases.map((c) => c.name) })) });
}

/** The peers in their own worker (./peerWorker.ts), taking turns with our rows: see ../peerHost.ts. */
function startPeerWorker(filter: string | null, threads: number): Promise<PeerHost> {
  const worker = new Worker(new URL('./peerWorker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) => worker.addEventListener('error', (e) => reject(new Error(e.message || 'worker error'))));
  const port = { post: (m: unknown) => worker.postMessage(m), onMessage: (l: (m: unknown) => void) => worker.addEventListener('message', (e) => l(e.data)) };
  return Promise.race([connectPeerHost(port, filter, threads, log), failed]);
}

self.onmessage = (e: MessageEvent<BenchRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
};
