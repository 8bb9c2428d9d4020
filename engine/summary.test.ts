import { describe, expect, it } from 'vitest';
import { fromData } from './creation';
import { summarize, fromJsonNumber, SUMMARY_FULL_LIMIT } from './summary';


/** The summary as its definition says, element by element: every element mapped to its grid cell. */
function reference(data: Float64Array, shape: number[]) {
  const n = data.length;
  const h = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const w = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const rows = Math.min(h, 24);
  const cols = Math.min(w, 24);
  const sums = new Float64Array(rows * cols);
  const counts = new Float64Array(rows * cols);
  let min = Infinity, max = -Infinity, sum = 0, nonFinite = 0, nan = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) nonFinite++;
    if (Number.isNaN(v)) { nan++; continue; }
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    if (i < h * w) {
      const k = Math.floor((Math.floor(i / w) * rows) / h) * cols + Math.floor(((i % w) * cols) / w);
      sums[k] += v;
      counts[k]++;
    }
  }
  return {
    min: n ? min : NaN, max: n ? max : NaN, mean: n ? sum / (n - nan) : NaN, nonFinite,
    grid: { rows, cols, data: Array.from(sums, (s, k) => (counts[k] ? s / counts[k] : NaN)) },
  };
}

function values(n: number, seed: number): Float64Array {
  // A small LCG: any spread of values will do, and the test must not depend on the engine's generator.
  let x = seed >>> 0;
  return Float64Array.from({ length: n }, () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 10 - 5);
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

describe('summarize', () => {
  it('keeps small tensors whole, with NaN and infinities as strings', () => {
    const s = summarize(fromData(new Float64Array([1, NaN, Infinity, -2]), [2, 2], 'float64'));
    expect(s.data).toEqual([1, 'NaN', 'Infinity', -2]);
    expect(s).toMatchObject({ shape: [2, 2], dtype: 'float64', numel: 4, min: -2, max: 'Infinity', mean: 'Infinity', nonFinite: 2 });
    expect(s.grid).toBeUndefined();
  });

  it('summarises an empty tensor without numbers', () => {
    const s = summarize(fromData(new Float32Array(0), [0, 3], 'float32'));
    expect(s).toMatchObject({ numel: 0, min: 'NaN', max: 'NaN', mean: 'NaN', nonFinite: 0, data: [] });
  });

  const shapes = [[2000], [SUMMARY_FULL_LIMIT + 1], [50, 70], [1000, 3], [3, 1000], [2, 30, 30], [25, 25], [48, 24], [7, 100], [4, 4, 5, 5]];
  // float32 and float64 storages run separate copies of the pass (see summary.ts): both are checked.
  // With non-finite values the pass takes its checked loop; without, its check-free one.
  const cases = shapes.flatMap((sh) => (['float64', 'float32'] as const).flatMap((d) => [true, false].map((nonFinite) => [sh, d, nonFinite] as const)));
  for (const [shape, dtype, nonFinite] of cases) {
    it(`grids ${JSON.stringify(shape)} ${dtype}${nonFinite ? ' with NaN and -Infinity' : ''} as the element-by-element definition does`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = dtype === 'float32' ? Float64Array.from(Float32Array.from(values(n, n))) : values(n, n);
      if (nonFinite) {
        // Non-finite values in the first matrix and beyond it.
        data[3] = NaN;
        data[n - 1] = NaN;
        data[Math.floor(n / 2)] = -Infinity;
      }
      const s = summarize(fromData(dtype === 'float32' ? Float32Array.from(data) : data, shape, dtype));
      const ref = reference(data, shape);
      expect(s.data).toBeUndefined();
      expect(s.grid!.rows).toBe(ref.grid.rows);
      expect(s.grid!.cols).toBe(ref.grid.cols);
      expect(s.grid!.data.length).toBe(ref.grid.rows * ref.grid.cols);
      s.grid!.data.forEach((v, k) => expect(close(fromJsonNumber(v), ref.grid.data[k]), `cell ${k}`).toBe(true));
      expect(fromJsonNumber(s.min)).toBe(ref.min);
      expect(fromJsonNumber(s.max)).toBe(ref.max);
      expect(close(fromJsonNumber(s.mean), ref.mean)).toBe(true);
      expect(s.nonFinite).toBe(ref.nonFinite);
    });
  }

  it('gives a cell of NaNs a NaN mean, and the finite mean leaves NaNs out', () => {
    const data = new Float64Array(600).fill(1);
    for (let i = 0; i < 600; i += 24) data[i] = NaN; // column 0 of a [25, 24] matrix
    const s = summarize(fromData(data, [25, 24], 'float64'));
    expect(s.grid!.data.filter((v) => v === 'NaN').length).toBe(24);
    expect(s.mean).toBe(1);
    expect(s.nonFinite).toBe(25);
  });

  it('recomputes after an in-place change and reuses the summary otherwise', () => {
    const t = fromData(new Float32Array(300).fill(2), [300], 'float32');
    const first = summarize(t);
    expect(summarize(t)).toBe(first);
    t.data[0] = 302;
    t.version.v++;
    const second = summarize(t);
    expect(second).not.toBe(first);
    expect(second.max).toBe(302);
    expect(second.mean).toBe(3);
  });
});
