// Bounded, JSON-safe summaries of tensor values for events and the UI.
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
  const hit = cache.get(t);
  if (hit && hit.version === t.version.v && hit.data === t.data) return hit.summary;
  const summary = compute(t);
  cache.set(t, { version: t.version.v, data: t.data, summary });
  return summary;
}

function compute(t: Tensor): ValueSummary {
  const d = t.data;
  const n = d.length;
  const shape = t.shape;
  const full = n <= SUMMARY_FULL_LIMIT;
  // The grid's geometry: the last two dims of the first matrix (a vector is one row).
  const h = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const w = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const rows = Math.min(h, GRID);
  const cols = Math.min(w, GRID);
  const cells = full ? null : new Float64Array(rows * cols);
  const counts = full ? null : new Float64Array(rows * cols);
  const colOf = full ? null : new Int32Array(w);
  if (colOf) for (let j = 0; j < w; j++) colOf[j] = Math.min(cols - 1, Math.floor((j * cols) / w));
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nonFinite = 0;
  let start = 0;
  if (cells !== null) {
    // The first matrix, row by row, feeding the grid's cells as well.
    for (let r = 0; r < h; r++) {
      const cellRow = Math.min(rows - 1, Math.floor((r * rows) / h)) * cols;
      const base = r * w;
      for (let j = 0; j < w; j++) {
        const v = d[base + j];
        if (v - v !== 0) {
          nonFinite++;
          if (v !== v) continue;
        }
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        const k = cellRow + colOf![j];
        cells[k] += v;
        counts![k]++;
      }
    }
    start = h * w;
  }
  for (let i = start; i < n; i++) {
    const v = d[i];
    if (v - v !== 0) {
      // NaN or ±Infinity
      nonFinite++;
      if (v !== v) continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const summary: ValueSummary = {
    shape: shape.slice(),
    dtype: t.dtype,
    numel: n,
    min: jsonNumber(n ? min : NaN),
    max: jsonNumber(n ? max : NaN),
    mean: jsonNumber(n ? sum / (n - countNaN(d, nonFinite)) : NaN),
    nonFinite,
  };
  if (full) {
    const data = new Array<JsonNumber>(n);
    for (let i = 0; i < n; i++) data[i] = jsonNumber(d[i]);
    summary.data = data;
  } else {
    const data = new Array<JsonNumber>(rows * cols);
    for (let k = 0; k < data.length; k++) data[k] = jsonNumber(counts![k] ? cells![k] / counts![k] : NaN);
    summary.grid = { rows, cols, data };
  }
  return summary;
}

/** NaNs are left out of the mean's sum; count them (only when there are non-finite values at all). */
function countNaN(d: ArrayLike<number>, nonFinite: number): number {
  if (!nonFinite) return 0;
  let k = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) k++;
  return k;
}
