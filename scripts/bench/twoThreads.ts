// The one-thread and two-thread rows of a case (no thread is started here: see ./threads.ts for Node and
// ./browser/worker.ts for the browser, which start the helper the gemm uses when it is allowed to).
import { setGemmParallel } from '../../engine/kernels/matmul';
import type { BenchCase } from './types';

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
