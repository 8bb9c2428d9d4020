// The list of benchmark suites, in print order. To add rows, write a Suite (see ./types) in its own
// file here and list it below; nothing registers itself on import.
import type { BenchCase, PeerEnv, Suite } from './types';
import { TWO_THREADS, oneThread } from './twoThreads';
import { kernelSuite } from './kernels';
import { engineSuite } from './engine';

export const SUITES: { name: string; suite: Suite }[] = [
  { name: 'kernels', suite: kernelSuite },
  { name: 'engine', suite: engineSuite },
];

/**
 * The suites' cases for one run, by suite: each on one thread unless it is a "…, 2 threads" twin, those
 * whose name contains `filter` (or one of its `|`-separated parts), without peers when `noPeers`. Suites with no case left are left out.
 */
export async function selectCases(env: PeerEnv, filter: string | null, noPeers: boolean): Promise<{ name: string; cases: BenchCase[] }[]> {
  const groups: { name: string; cases: BenchCase[] }[] = [];
  const parts = filter ? filter.split('|').filter(Boolean) : [];
  for (const { name, suite } of SUITES) {
    const cases = (await suite(env))
      .map((c) => (c.name.endsWith(TWO_THREADS) ? c : oneThread(c)))
      .filter((c) => parts.length === 0 || parts.some((p) => c.name.includes(p)))
      .map((c) => (noPeers ? { ...c, peers: [] } : c));
    if (cases.length > 0) groups.push({ name, cases });
  }
  return groups;
}
