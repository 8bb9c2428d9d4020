// Times each case and its peers in this process: warm-up, then repeated runs, then the median.
import type { BenchCase, BenchRow, Peer } from './types';
import { errorText } from './tfjs';

export interface TimingOptions {
  /** Warm-up: at least this many runs and this much time (JIT tiers, caches, lazy tfjs init). */
  warmupRuns: number;
  warmupMs: number;
  /** Timed: at least minRuns and minMs, at most maxRuns. */
  minRuns: number;
  minMs: number;
  maxRuns: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmupRuns: 3, warmupMs: 150, minRuns: 7, minMs: 400, maxRuns: 60 };
export const QUICK_TIMING: TimingOptions = { warmupRuns: 1, warmupMs: 20, minRuns: 3, minMs: 50, maxRuns: 5 };

/** Median wall time in milliseconds of `run`, per the options. */
export function medianMs(run: () => void, o: TimingOptions): number {
  const warmStart = performance.now();
  for (let i = 0; i < o.warmupRuns || performance.now() - warmStart < o.warmupMs; i++) run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < o.maxRuns && (times.length < o.minRuns || performance.now() - start < o.minMs)) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

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
 * Runs the cases: every case's own side first, then every peer, one row per (case, peer), or one
 * row with peer null for a case without peers. See the note in ../bench.ts for the order.
 */
export async function runCases(cases: BenchCase[], o: TimingOptions, progress: () => void): Promise<BenchRow[]> {
  const ours: number[] = [];
  // Same-engine peers' timings, per case (a peer object shared by two cases is timed beside each).
  const early: Map<Peer, number>[] = [];
  for (const c of cases) {
    await c.setup?.();
    const mine = new Map<Peer, number>();
    early.push(mine);
    const same = c.peers.filter((p) => p.sameEngine);
    if (same.length === 1) {
      // Our engine against itself in another configuration (events off): the two alternate run by run,
      // so a change in the machine's load hits both sides alike (this box's neighbours come and go).
      const p = same[0];
      await p.setup?.();
      const [oursMs, peerMs] = interleavedMediansMs(c.ours, p.run, o);
      p.teardown?.();
      ours.push(oursMs);
      mine.set(p, peerMs);
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
    const gflops = c.flops ? c.flops / oursMs / 1e6 : undefined;
    if (c.peers.length === 0) rows.push({ name: c.name, ours_ms: oursMs, peer: null, peer_ms: null, ratio: null, gflops });
    for (const p of c.peers) {
      const known = early[i].get(p) ?? late.get(p);
      try {
        if (known instanceof Error) throw known;
        if (known === undefined) await p.setup?.();
        const peerMs = known ?? medianMs(p.run, o);
        late.set(p, peerMs);
        rows.push({ name: c.name, ours_ms: oursMs, peer: p.name, peer_ms: peerMs, ratio: oursMs / peerMs, gflops });
      } catch (e) {
        late.set(p, e instanceof Error ? e : new Error(String(e)));
        rows.push({ name: c.name, ours_ms: oursMs, peer: p.name, peer_ms: null, ratio: null, gflops, note: `skipped: ${errorText(e)}` });
      } finally {
        if (!early[i].has(p) && known === undefined) p.teardown?.();
      }
      if (known === undefined) progress();
    }
  }
  return rows;
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
