// Two threads in Node: starts the gemm helper (./gemmHelper.worker.mjs) on a worker_threads Worker and
// installs it in this thread's engine (see engine/kernels/parallel.ts). Used by the bench and the tests.
import { Worker } from 'node:worker_threads';
import { installGemmHelper, setGemmParallel, type GemmHelper } from '../../engine/kernels/matmul';
import type { BenchCase } from './types';

export interface NodeGemmHelper extends GemmHelper {
  /** Uninstalls the helper and ends its thread. */
  stop(): Promise<void>;
}

/**
 * Starts the helper and installs it; resolves once it serves (so the first timed gemm already has two
 * threads). Null when this Node cannot share memory.
 */
export async function startNodeGemmHelper(timeoutMs = 20_000): Promise<NodeGemmHelper | null> {
  let worker: Worker | null = null;
  const installed = installGemmHelper(() => {
    worker = new Worker(new URL('./gemmHelper.worker.mjs', import.meta.url));
    worker.unref(); // a helper blocked in Atomics.wait must not keep the process alive
    return worker;
  });
  if (!installed || !worker) return null;
  const w: Worker = worker;
  const failed = new Promise<never>((_, reject) => {
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`gemm helper exited (${code})`)));
  });
  failed.catch(() => {});
  const start = Date.now();
  while (!installed.active) {
    if (Date.now() - start > timeoutMs) {
      installed.uninstall();
      await w.terminate();
      throw new Error('gemm helper did not start');
    }
    await Promise.race([new Promise((r) => setTimeout(r, 5)), failed]);
  }
  return {
    get active() {
      return installed.active;
    },
    get helperTiles() {
      return installed.helperTiles;
    },
    get takenBack() {
      return installed.takenBack;
    },
    uninstall: () => installed.uninstall(),
    stop: async () => {
      installed.uninstall();
      await w.terminate();
    },
  };
}

export const TWO_THREADS = ', 2 threads';

/** The case with gemm's helper off while it runs (and while its same-engine peers run after it). */
export function oneThread(c: BenchCase): BenchCase {
  return { ...c, ours: () => { setGemmParallel(false); c.ours(); } };
}

/**
 * Each case on one thread, followed, when `threads` > 1, by its twin named "…, 2 threads" with the
 * helper on. The twin shares the case's peers, which the runner times once for both rows.
 */
export function withTwoThreads(threads: number, cases: BenchCase[]): BenchCase[] {
  return cases.flatMap((c) => {
    if (threads < 2) return [oneThread(c)];
    const two: BenchCase = { ...c, name: c.name + TWO_THREADS, ours: () => { setGemmParallel(true); c.ours(); } };
    return [oneThread(c), two];
  });
}
