// Times each case and its peers in this process: warm-up, then repeated runs, then the median.
import type { BenchCase, BenchRow, Peer } from './types';
import { errorText } from './tfjs';
import { type PeerHost, timeBlock } from './peerHost';

export interface TimingOptions {
  /** Warm-up: at least this many runs and this much time (JIT tiers, caches, lazy tfjs init). */
  warmupRuns: number;
  warmupMs: number;
  /** Timed: at least minRuns and minMs, at most maxRuns. */
  minRuns: number;
  minMs: number;
  maxRuns: number;
  /**
   * Against a peer in its own thread (./peerHost): the two sides take turns, at least this many each,
   * of about minMs / blocks.
   */
  blocks: number;
}

/**
 * The warm-up is a second: a ResNet-18 forward takes ~50 ms, and after the 150 ms this was before (3
 * runs) V8 had not optimized all of its code; its median was 69–86 ms against 44–46 ms after a second.
 */
export const DEFAULT_TIMING: TimingOptions = { warmupRuns: 3, warmupMs: 1000, minRuns: 7, minMs: 1000, maxRuns: 60, blocks: 4 };
export const QUICK_TIMING: TimingOptions = { warmupRuns: 1, warmupMs: 20, minRuns: 3, minMs: 50, maxRuns: 5, blocks: 2 };

/** Median wall time in milliseconds of `run`, per the options. */
export function medianMs(run: () => void, o: TimingOptions): number {
  timeBlock(run, o.warmupRuns, o.warmupMs, Infinity);
  return median(timeBlock(run, o.minRuns, o.minMs, o.maxRuns));
}

/**
 * Median wall times of `ours` here and of the peer set up in `host`'s thread, taking turns block by
 * block after both warm up: each side at least o.blocks blocks, minRuns runs and minMs (or maxRuns runs).
 */
export async function alternatingMediansMs(ours: () => void, host: PeerHost, o: TimingOptions): Promise<[number, number]> {
  timeBlock(ours, o.warmupRuns, o.warmupMs, Infinity);
  await host.run(o.warmupRuns, o.warmupMs, Infinity);
  const a: number[] = [];
  const b: number[] = [];
  const perBlock = Math.max(1, Math.ceil(o.maxRuns / o.blocks));
  const done = (t: number[]) => t.length >= o.maxRuns || (t.length >= o.minRuns && sum(t) >= o.minMs);
  for (let block = 0; block < o.blocks || !done(a) || !done(b); block++) {
    a.push(...timeBlock(ours, 1, o.minMs / o.blocks, perBlock));
    b.push(...(await host.run(1, o.minMs / o.blocks, perBlock)));
  }
  return [median(a), median(b)];
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** Median wall times of `a` and `b` run alternately (a, b, a, b, …) after both warm up, per the options. */
export function interleavedMediansMs(a: () => void, b: () => void, o: TimingOptions): [number, number] {
  const warmStart = performance.now();
  for (let i = 0; i < o.warmupRuns || performance.now() - warmStart < o.warmupMs; i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const start = performance.now();
  while (ta.length < o.maxRuns && (ta.length < o.minRuns || performance.now() - start < 2 * o.minMs)) {
    let t0 = performance.now();
    a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    b();
    tb.push(performance.now() - t0);
  }
  return [median(ta), median(tb)];
}

function median(xs: number[]): number {
  xs.sort((p, q) => p - q);
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * Runs the cases, one row per (case, peer), or one row with peer null for a case without peers. With
 * `host` (the peers in their own thread, see ./peerHost), each peer takes turns with our side case by
 * case. Without it, every case's own side runs first, then every peer, in this thread: see the note in
 * ../bench.ts for the order.
 */
export async function runCases(cases: BenchCase[], o: TimingOptions, progress: () => void, host?: PeerHost | null): Promise<BenchRow[]> {
  if (host) return runAlternating(cases, o, progress, host);
  const ours: number[] = [];
  // Same-engine peers' timings, per case (a peer object shared by two cases is timed beside each).
  const early: Map<Peer, number>[] = [];
  for (const c of cases) {
    await c.setup?.();
    const mine = new Map<Peer, number>();
    early.push(mine);
    const same = c.peers.filter((p) => p.sameEngine);
    if (same.length === 1) {
      const [oursMs, peerMs] = await timeSameEngine(c, same[0], o);
      ours.push(oursMs);
      mine.set(same[0], peerMs);
    } else {
      ours.push(medianMs(c.ours, o));
      for (const p of same) {
        await p.setup?.();
        mine.set(p, medianMs(p.run, o));
        p.teardown?.();
      }
    }
    progress();
  }
  const rows: BenchRow[] = [];
  // A Peer object shared by two cases (a row and its ", 2 threads" twin) is timed once.
  const late = new Map<Peer, number | Error>();
  for (const [i, c] of cases.entries()) {
    const oursMs = ours[i];
    if (c.peers.length === 0) rows.push(row(c, oursMs));
    for (const p of c.peers) {
      const known = early[i].get(p) ?? late.get(p);
      try {
        if (known instanceof Error) throw known;
        if (known === undefined) await p.setup?.();
        const peerMs = known ?? medianMs(p.run, o);
        late.set(p, peerMs);
        rows.push(row(c, oursMs, p, peerMs));
      } catch (e) {
        late.set(p, e instanceof Error ? e : new Error(String(e)));
        rows.push(skipped(c, oursMs, p, e));
      } finally {
        if (!early[i].has(p) && known === undefined) p.teardown?.();
      }
      if (known === undefined) progress();
    }
  }
  return rows;
}

/** Our engine against itself in another configuration (events off): see interleavedMediansMs. */
async function timeSameEngine(c: BenchCase, p: Peer, o: TimingOptions): Promise<[number, number]> {
  // The two alternate run by run, so a change in the machine's load hits both sides alike.
  await p.setup?.();
  try {
    return interleavedMediansMs(c.ours, p.run, o);
  } finally {
    p.teardown?.();
  }
}

async function runAlternating(cases: BenchCase[], o: TimingOptions, progress: () => void, host: PeerHost): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // A peer shared by a row and its ", 2 threads" twin is timed once, beside the first.
  const timed = new Map<Peer, number | Error>();
  for (const c of cases) {
    await c.setup?.();
    // Our median for rows without a turn-taking peer: the first turn-taking one's, else timed alone.
    let alone: number | undefined;
    const oursAlone = () => (alone ??= medianMs(c.ours, o));
    const same = c.peers.filter((p) => p.sameEngine);
    if (c.peers.length === 0) rows.push(row(c, oursAlone()));
    for (const p of c.peers) {
      if (p.sameEngine) {
        if (same.length === 1) {
          const [oursMs, peerMs] = await timeSameEngine(c, p, o);
          rows.push(row(c, oursMs, p, peerMs));
        } else {
          await p.setup?.();
          rows.push(row(c, oursAlone(), p, medianMs(p.run, o)));
          p.teardown?.();
        }
        continue;
      }
      const known = timed.get(p);
      try {
        if (known instanceof Error) throw known;
        if (known !== undefined) {
          rows.push(row(c, oursAlone(), p, known));
          continue;
        }
        await host.setup(c.name, p.name);
        try {
          const [oursMs, peerMs] = await alternatingMediansMs(c.ours, host, o);
          alone ??= oursMs;
          timed.set(p, peerMs);
          rows.push(row(c, oursMs, p, peerMs));
        } finally {
          await host.teardown();
        }
      } catch (e) {
        timed.set(p, e instanceof Error ? e : new Error(String(e)));
        rows.push(skipped(c, oursAlone(), p, e));
      }
    }
    progress();
  }
  return rows;
}

function row(c: BenchCase, oursMs: number, p?: Peer, peerMs?: number): BenchRow {
  const gflops = c.flops ? c.flops / oursMs / 1e6 : undefined;
  if (!p || peerMs === undefined) return { name: c.name, ours_ms: oursMs, peer: null, peer_ms: null, ratio: null, gflops };
  return { name: c.name, ours_ms: oursMs, peer: p.name, peer_ms: peerMs, ratio: oursMs / peerMs, gflops };
}

function skipped(c: BenchCase, oursMs: number, p: Peer, e: unknown): BenchRow {
  return { ...row(c, oursMs), peer: p.name, note: `skipped: ${errorText(e)}` };
}

const fmt = (x: number | null | undefined, digits: number) => (x == null ? '—' : x.toFixed(digits));

/** A fixed-width text table of the rows. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['case', 'ours ms', 'GFLOP/s', 'peer', 'peer ms', 'peer GFLOP/s', 'ours/peer', ''];
  const body = rows.map((r) => {
    const peerGflops = r.gflops != null && r.peer_ms != null ? (r.gflops * r.ours_ms) / r.peer_ms : null;
    return [
      r.name, fmt(r.ours_ms, 3), fmt(r.gflops, 2), r.peer ?? '—', fmt(r.peer_ms, 3), fmt(peerGflops, 2), fmt(r.ratio, 2), r.note ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const leftAligned = new Set([0, 3, 7]);
  const line = (cells: string[]) => cells.map((cell, i) => (leftAligned.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
