import { describe, it, expect } from 'vitest';
import { medianMs, runCases, formatTable, QUICK_TIMING } from './runner';
import { connectPeerHost, servePeers, type PortLike } from './peerHost';
import type { BenchCase, Peer } from './types';

const FAST = { ...QUICK_TIMING, warmupMs: 0, minMs: 0 };
const FAST_BLOCKS = { ...FAST, blocks: 2 };

describe('bench runner', () => {
  it('medianMs runs warm-up plus timed runs and returns a median', () => {
    let calls = 0;
    const ms = medianMs(() => void calls++, { warmupRuns: 2, warmupMs: 0, minRuns: 5, minMs: 0, maxRuns: 5, blocks: 1 });
    expect(calls).toBe(7);
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('times ours before any peer, and turns a failing peer into a skipped row', async () => {
    const order: string[] = [];
    const cases: BenchCase[] = [
      { name: 'a', flops: 1e6, ours: () => void order.push('ours a'), peers: [
        { name: 'good', setup: () => void order.push('setup good'), run: () => void order.push('good a') },
        { name: 'broken', setup: () => { throw new Error('no such backend'); }, run: () => {} },
      ] },
      { name: 'b', ours: () => void order.push('ours b'), peers: [] },
    ];
    const rows = await runCases(cases, FAST, () => {});
    expect(order.indexOf('ours b')).toBeLessThan(order.indexOf('setup good'));
    expect(rows.map((r) => [r.name, r.peer])).toEqual([['a', 'good'], ['a', 'broken'], ['b', null]]);
    expect(rows[0].ratio).toBeCloseTo(rows[0].ours_ms / rows[0].peer_ms!, 12);
    expect(rows[1]).toMatchObject({ peer_ms: null, ratio: null, note: 'skipped: no such backend' });
    const table = formatTable(rows);
    expect(table.split('\n')).toHaveLength(2 + rows.length);
    expect(table).toContain('skipped: no such backend');
  });
  it('times a peer shared by a row and its "2 threads" twin once, for both rows', async () => {
    let setups = 0;
    let runs = 0;
    const peer = { name: 'p', setup: () => void setups++, run: () => void runs++ };
    const cases: BenchCase[] = [
      { name: 'x', ours: () => {}, peers: [peer] },
      { name: 'x, 2 threads', ours: () => {}, peers: [peer] },
    ];
    const rows = await runCases(cases, FAST, () => {});
    expect(setups).toBe(1);
    expect(runs).toBe(FAST.warmupRuns + FAST.minRuns);
    expect(rows.map((r) => r.peer_ms)).toEqual([rows[0].peer_ms, rows[0].peer_ms]);
  });
});

describe('interleaved timing of our engine against itself', () => {
  it('alternates the two sides run by run and reports each median', async () => {
    const { interleavedMediansMs } = await import('./runner');
    const order: string[] = [];
    const [a, b] = interleavedMediansMs(() => void order.push('a'), () => void order.push('b'), { warmupRuns: 1, warmupMs: 0, minRuns: 3, minMs: 0, maxRuns: 3, blocks: 1 });
    expect(order.join('')).toBe('abababab');
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
  });

  it('is used for a case with one same-engine peer', async () => {
    const order: string[] = [];
    const cases: BenchCase[] = [{ name: 'events', ours: () => void order.push('on'), peers: [{ name: 'off', run: () => void order.push('off'), sameEngine: true }] }];
    const rows = await runCases(cases, FAST, () => {});
    expect(order.slice(0, 6)).toEqual(['on', 'off', 'on', 'off', 'on', 'off']);
    expect(rows.map((r) => [r.name, r.peer])).toEqual([['events', 'off']]);
  });
});

describe('bench case selection', () => {
  it('keeps the rows matching the filter or any of its |-separated parts, suite by suite', async () => {
    const { selectCases } = await import('./index');
    const env = { tfjs: async () => null, threads: 1 };
    const names = async (filter: string | null) => (await selectCases(env, filter, true)).map((g) => [g.name, g.cases.map((c) => c.name)]);
    expect(await names('matmul 256³')).toEqual([['kernels', ['matmul 256³']]]);
    expect(await names('matmul 256³|polyfit 2000 it, engine API')).toEqual([['kernels', ['matmul 256³']], ['engine', ['polyfit 2000 it, engine API']]]);
    expect(await names('no such row')).toEqual([]);
    const all = await selectCases(env, null, true);
    expect(all.flatMap((g) => g.cases).length).toBeGreaterThan(20);
    expect(all.flatMap((g) => g.cases).every((c) => c.peers.length === 0)).toBe(true);
  });
});

describe('peers in their own thread', () => {
  /** Two PortLikes joined back to back, delivering asynchronously as a worker's port does. */
  function portPair(): [PortLike, PortLike] {
    const listeners: ((m: unknown) => void)[][] = [[], []];
    const end = (me: number): PortLike => ({
      post: (m) => void setTimeout(() => listeners[1 - me].forEach((l) => l(structuredClone(m))), 0),
      onMessage: (l) => void listeners[me].push(l),
    });
    return [end(0), end(1)];
  }

  it('takes turns with our side block by block, each side at least `blocks` blocks, and reports each median', async () => {
    const order: string[] = [];
    const [here, there] = portPair();
    const peerCase = (name: string): BenchCase => ({
      name,
      ours: () => void order.push('ours'),
      peers: [
        { name: 'good', run: () => void order.push('peer') },
        { name: 'broken', setup: () => { throw new Error('no such backend\nat line 2'); }, run: () => {} },
      ],
    });
    // The worker builds its own copy of the cases; its "ours" never runs.
    servePeers(there, async () => null, async () => [{ name: 'g', cases: [{ ...peerCase('a'), ours: () => void order.push('ours in the worker') }] }]);
    const host = await connectPeerHost(here, null, 1, () => {});
    const o = { warmupRuns: 1, warmupMs: 0, minRuns: 3, minMs: 0, maxRuns: 3, blocks: 3 };
    const rows = await runCases([peerCase('a')], o, () => {}, host);
    expect(order).not.toContain('ours in the worker');
    // Warm-up (one of each), then blocks of one run each: ours, peer, ours, peer, ...
    expect(order.join(' ')).toBe('ours peer ours peer ours peer ours peer');
    expect(rows.map((r) => [r.name, r.peer, r.note ?? null])).toEqual([['a', 'good', null], ['a', 'broken', 'skipped: no such backend']]);
    expect(rows[0].ratio).toBeCloseTo(rows[0].ours_ms / rows[0].peer_ms!, 12);
  });

  it('times a peer shared with the "2 threads" twin once, and passes the worker\'s log lines on', async () => {
    let setups = 0;
    const peer: Peer = { name: 'p', setup: () => void setups++, run: () => {} };
    const cases: BenchCase[] = [
      { name: 'x', ours: () => {}, peers: [peer] },
      { name: 'x, 2 threads', ours: () => {}, peers: [peer] },
    ];
    const [here, there] = portPair();
    servePeers(there, async (log) => (log('peers: loaded'), null), async (env) => (await env.tfjs(), [{ name: 'g', cases }]));
    const lines: string[] = [];
    const host = await connectPeerHost(here, 'x', 2, (l) => lines.push(l));
    const rows = await runCases(cases, FAST_BLOCKS, () => {}, host);
    expect(lines).toEqual(['peers: loaded']);
    expect(setups).toBe(1);
    expect(rows.map((r) => [r.name, r.peer])).toEqual([['x', 'p'], ['x, 2 threads', 'p']]);
    expect(rows[1].peer_ms).toBe(rows[0].peer_ms);
  });
});
