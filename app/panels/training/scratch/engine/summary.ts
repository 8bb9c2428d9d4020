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

export function summarize(t: Tensor): ValueSummary {
  const d = t.data;
  const n = d.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i];
    if (v !== v || v === Infinity || v === -Infinity) {
      nonFinite++;
      if (v !== v) continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const summary: ValueSummary = {
    shape: t.shape.slice(),
    dtype: t.dtype,
    numel: n,
    min: jsonNumber(n ? min : NaN),
    max: jsonNumber(n ? max : NaN),
    mean: jsonNumber(n ? sum / n : NaN),
    nonFinite,
  };
  if (n <= SUMMARY_FULL_LIMIT) {
    summary.data = Array.from(d, jsonNumber);
  } else {
    summary.grid = grid(t);
  }
  return summary;
}

/** Block means over the last two dims of the first matrix (a vector is one row). */
function grid(t: Tensor): { rows: number; cols: number; data: JsonNumber[] } {
  const shape = t.shape;
  const h = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const w = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const rows = Math.min(h, GRID);
  const cols = Math.min(w, GRID);
  const out: JsonNumber[] = [];
  for (let r = 0; r < rows; r++) {
    const r0 = Math.floor((r * h) / rows);
    const r1 = Math.max(r0 + 1, Math.floor(((r + 1) * h) / rows));
    for (let c = 0; c < cols; c++) {
      const c0 = Math.floor((c * w) / cols);
      const c1 = Math.max(c0 + 1, Math.floor(((c + 1) * w) / cols));
      let s = 0;
      for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) s += t.data[i * w + j];
      out.push(jsonNumber(s / ((r1 - r0) * (c1 - c0))));
    }
  }
  return { rows, cols, data: out };
}
