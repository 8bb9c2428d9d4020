// Reductions along one dim of a contiguous tensor viewed as [outer, size, inner] → [outer, inner].
//
// Note: sums are formed in float64 (a float32 result can differ from PyTorch's float32 cascade sum
// in the last bit). max/min follow PyTorch: NaN propagates (the first NaN and its index win), ties
// keep the first index. Indices are Int32Array positions along the dim; PyTorch's are int64.
// When inner > 1, the output row itself is the running accumulator, swept row by row so that reads
// stay contiguous.

import { type FloatArray, outOrAlloc, checkLength } from './types';
import { cascadeSum, cascadeDotF32 } from './cascadeSum';

/** out[o, i] = Σ_d x[o, d, i]. */
export function sumDim(x: FloatArray, out: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  checkLength('sumDim', 'input', x, outer * size * inner);
  const y = outOrAlloc('sumDim', out, x, outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * size;
      let sum = 0;
      for (let d = 0; d < size; d++) sum += x[base + d];
      y[o] = sum;
    }
    return y;
  }
  y.fill(0, 0, outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const dst = o * inner;
    for (let d = 0; d < size; d++) {
      const row = base + d * inner;
      for (let i = 0; i < inner; i++) y[dst + i] += x[row + i];
    }
  }
  return y;
}

/** out[o, i] = mean_d x[o, d, i] (NaN when size is 0, as PyTorch). */
export function meanDim(x: FloatArray, out: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  const y = sumDim(x, out, outer, size, inner);
  for (let j = 0; j < outer * inner; j++) y[j] /= size;
  return y;
}

export interface ArgReduceResult {
  values: FloatArray;
  indices: Int32Array;
}

function argReduce(
  kernel: string, isMax: boolean, x: FloatArray, values: FloatArray | null | undefined, indices: Int32Array | null | undefined,
  outer: number, size: number, inner: number,
): ArgReduceResult {
  if (size === 0) throw new RangeError(`${kernel}: Expected reduction dim to have non-zero size.`);
  checkLength(kernel, 'input', x, outer * size * inner);
  const y = outOrAlloc(kernel, values, x, outer * inner);
  const idx = indices ?? new Int32Array(outer * inner);
  checkLength(kernel, 'indices', idx, outer * inner);
  // Comparisons are written so that a NaN best is never replaced and a NaN candidate always wins.
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const dst = o * inner;
    for (let i = 0; i < inner; i++) {
      y[dst + i] = x[base + i];
      idx[dst + i] = 0;
    }
    for (let d = 1; d < size; d++) {
      const row = base + d * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[row + i];
        const best = y[dst + i];
        if (best !== best) continue;
        if (isMax ? v > best || v !== v : v < best || v !== v) {
          y[dst + i] = v;
          idx[dst + i] = d;
        }
      }
    }
  }
  return { values: y, indices: idx };
}

/** values[o, i] = max_d x[o, d, i], indices[o, i] = its d (first on ties; NaN wins). */
export function maxDim(
  x: FloatArray, values: FloatArray | null | undefined, indices: Int32Array | null | undefined, outer: number, size: number, inner: number,
): ArgReduceResult {
  return argReduce('maxDim', true, x, values, indices, outer, size, inner);
}

/** values[o, i] = min_d x[o, d, i], indices[o, i] = its d (first on ties; NaN wins). */
export function minDim(
  x: FloatArray, values: FloatArray | null | undefined, indices: Int32Array | null | undefined, outer: number, size: number, inner: number,
): ArgReduceResult {
  return argReduce('minDim', false, x, values, indices, outer, size, inner);
}

/** The adjoint of maxDim/minDim: gx[o, indices[o, i], i] = gy[o, i], 0 elsewhere (gx zeroed unless `accumulate`). */
export function argReduceBackward(
  gy: FloatArray, indices: Int32Array, gx: FloatArray | null | undefined, outer: number, size: number, inner: number, accumulate = false,
): FloatArray {
  checkLength('argReduceBackward', 'grad_output', gy, outer * inner);
  const g = outOrAlloc('argReduceBackward', gx, gy, outer * size * inner);
  if (!accumulate) g.fill(0, 0, outer * size * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = o * inner + i;
      g[(o * size + indices[j]) * inner + i] += gy[j];
    }
  }
  return g;
}

/**
 * Σ fround(a[i] * b[i]) as PyTorch's sum of the float32 product a * b gives it (kernels/cascadeSum), without
 * making the product a tensor.
 */
export function dotF32(a: Float32Array, b: Float32Array, n: number): number {
  if (n >= 8) return cascadeDotF32(a, b, n);
  if (products32.length < n) products32 = new Float32Array(Math.max(n, 2 * products32.length));
  const p = products32;
  for (let i = 0; i < n; i++) p[i] = a[i] * b[i];
  return cascadeSum(p, 0, n);
}
let products32 = new Float32Array(1024);

/** The same for float64. */
export function dotF64(a: Float64Array, b: Float64Array, n: number): number {
  if (products64.length < n) products64 = new Float64Array(Math.max(n, 2 * products64.length));
  const p = products64;
  for (let i = 0; i < n; i++) p[i] = a[i] * b[i];
  return cascadeSum(p, 0, n);
}
let products64 = new Float64Array(1024);
