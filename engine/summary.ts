// Bounded, JSON-safe summaries of tensor values for events and the UI.
import { refreshView } from './views';
import type { JsonNumber, ValueSummary } from './events';
import type { Tensor } from './tensor';

/** Tensors with at most this many elements travel whole. */
export const SUMMARY_FULL_LIMIT = 256;
/** Larger ones travel as a grid of at most GRID x GRID block means (a heat-map). */
const GRID = 24;

export function jsonNumber(x: number): JsonNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

export function fromJsonNumber(x: JsonNumber): number {
  return typeof x === 'number' ? x : x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : -Infinity;
}

// Note: one gradient is often reported several times in a backward pass (what a node sends along an
// edge is what the next node receives), so summaries are cached per tensor object and version. The
// cache holds the summary objects that were already handed out: consumers must treat them as frozen.
const cache = new WeakMap<Tensor, { version: number; data: unknown; summary: ValueSummary }>();

export function summarize(t: Tensor): ValueSummary {
  if (t.viewOf) refreshView(t);
  const hit = cache.get(t);
  if (hit && hit.version === t.version.v && hit.data === t.data) return hit.summary;
  const summary = compute(t);
  cache.set(t, { version: t.version.v, data: t.data, summary });
  return summary;
}

// Note: compute() is the whole cost of events on a loop of small ops (summarising a 2000-element
// tensor costs about what computing it costs), so it makes one pass, allocates nothing but the
// summary itself, and walks the grid cell by cell (each cell's rows and columns are index ranges)
// instead of mapping every element to its cell.
function compute(t: Tensor): ValueSummary {
  const d = t.data;
  const n = d.length;
  const shape = t.shape;
  const fold = (d instanceof Float32Array ? accumulateF32 : accumulate) as (d: ArrayLike<number>, from: number, to: number, acc: Stats) => void;
  const acc = stats;
  acc.min = Infinity;
  acc.max = -Infinity;
  acc.sum = 0;
  acc.nonFinite = 0;
  acc.nan = 0;
  const summary: ValueSummary = { shape: shape.slice(), dtype: t.dtype, numel: n, min: 0, max: 0, mean: 0, nonFinite: 0 };
  if (n <= SUMMARY_FULL_LIMIT) {
    const data = new Array<JsonNumber>(n);
    for (let i = 0; i < n; i++) data[i] = jsonNumber(d[i]);
    fold(d, 0, n, acc);
    summary.data = data;
  } else {
    // The grid's geometry: the last two dims of the first matrix (a vector is one row). Row r falls
    // in cell row floor(r·rows/h), so cell row R spans rows ceil(R·h/rows) .. ceil((R+1)·h/rows) - 1.
    const h = shape.length >= 2 ? shape[shape.length - 2] : 1;
    const w = shape.length >= 1 ? shape[shape.length - 1] : 1;
    const rows = Math.min(h, GRID);
    const cols = Math.min(w, GRID);
    const data = new Array<JsonNumber>(rows * cols);
    let total = 0;
    for (let R = 0; R < rows; R++) {
      const r0 = ceilDiv(R * h, rows);
      const r1 = ceilDiv((R + 1) * h, rows);
      for (let C = 0; C < cols; C++) {
        const j0 = ceilDiv(C * w, cols);
        const j1 = ceilDiv((C + 1) * w, cols);
        const nanBefore = acc.nan;
        acc.sum = 0;
        for (let r = r0; r < r1; r++) fold(d, r * w + j0, r * w + j1, acc);
        const count = (r1 - r0) * (j1 - j0) - (acc.nan - nanBefore);
        data[R * cols + C] = jsonNumber(count ? acc.sum / count : NaN);
        total += acc.sum;
      }
    }
    acc.sum = total;
    fold(d, h * w, n, acc);
    summary.grid = { rows, cols, data };
  }
  summary.min = jsonNumber(n ? acc.min : NaN);
  summary.max = jsonNumber(n ? acc.max : NaN);
  summary.mean = jsonNumber(n ? acc.sum / (n - acc.nan) : NaN);
  summary.nonFinite = acc.nonFinite;
  return summary;
}

interface Stats { min: number; max: number; sum: number; nonFinite: number; nan: number }
const stats: Stats = { min: 0, max: 0, sum: 0, nonFinite: 0, nan: 0 };

// Note: accumulate() is written twice, once for Float32Array (almost every tensor) and once for the other
// storages. A loop that has seen several typed-array types reads each element through a polymorphic access:
// measured 2.2-2.5 ns per element against 0.9-1.2 on a 2.36M-element float32 gradient once int64 and bool
// tensors had been summarised, as every program with an index or a mask does.
/** Folds d[from:to] into the running stats; NaNs are counted but left out of min, max and sum. */
function accumulate(d: ArrayLike<number>, from: number, to: number, acc: Stats): void {
  // The common case first: with no NaN or infinity in the range, its sum is finite (a float64 sum of
  // float32 values cannot overflow), so a loop without per-element checks is exact; otherwise again
  // with the checks.
  // Four lanes: one running sum is a chain of dependent adds (~4 cycles each); four chains overlap.
  let min = acc.min;
  let max = acc.max;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = from;
  for (const end = to - 3; i < end; i += 4) {
    const v0 = d[i], v1 = d[i + 1], v2 = d[i + 2], v3 = d[i + 3];
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
    // Branches that are almost never taken (a new extreme is rare) cost little; comparing the four
    // values with each other first would branch at random (measured 2x slower on random weights).
    if (v0 < min) min = v0;
    if (v0 > max) max = v0;
    if (v1 < min) min = v1;
    if (v1 > max) max = v1;
    if (v2 < min) min = v2;
    if (v2 > max) max = v2;
    if (v3 < min) min = v3;
    if (v3 > max) max = v3;
  }
  for (; i < to; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    s0 += v;
  }
  let sum = (s0 + s1) + (s2 + s3);
  if (sum - sum === 0) {
    acc.min = min;
    acc.max = max;
    acc.sum += sum;
    return;
  }
  min = acc.min;
  max = acc.max;
  sum = 0;
  for (let i = from; i < to; i++) {
    const v = d[i];
    if (v - v !== 0) {
      // NaN or ±Infinity
      acc.nonFinite++;
      if (v !== v) {
        acc.nan++;
        continue;
      }
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  acc.min = min;
  acc.max = max;
  acc.sum += sum;
}

/** accumulate() for a Float32Array: the same loop, compiled for one array type (see the note above). */
function accumulateF32(d: Float32Array, from: number, to: number, acc: Stats): void {
  // The common case first: with no NaN or infinity in the range, its sum is finite (a float64 sum of
  // float32 values cannot overflow), so a loop without per-element checks is exact; otherwise again
  // with the checks.
  // Four lanes: one running sum is a chain of dependent adds (~4 cycles each); four chains overlap.
  let min = acc.min;
  let max = acc.max;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = from;
  for (const end = to - 3; i < end; i += 4) {
    const v0 = d[i], v1 = d[i + 1], v2 = d[i + 2], v3 = d[i + 3];
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
    // Branches that are almost never taken (a new extreme is rare) cost little; comparing the four
    // values with each other first would branch at random (measured 2x slower on random weights).
    if (v0 < min) min = v0;
    if (v0 > max) max = v0;
    if (v1 < min) min = v1;
    if (v1 > max) max = v1;
    if (v2 < min) min = v2;
    if (v2 > max) max = v2;
    if (v3 < min) min = v3;
    if (v3 > max) max = v3;
  }
  for (; i < to; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    s0 += v;
  }
  let sum = (s0 + s1) + (s2 + s3);
  if (sum - sum === 0) {
    acc.min = min;
    acc.max = max;
    acc.sum += sum;
    return;
  }
  min = acc.min;
  max = acc.max;
  sum = 0;
  for (let i = from; i < to; i++) {
    const v = d[i];
    if (v - v !== 0) {
      // NaN or ±Infinity
      acc.nonFinite++;
      if (v !== v) {
        acc.nan++;
        continue;
      }
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  acc.min = min;
  acc.max = max;
  acc.sum += sum;
}

function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}
