// Softmax and log-softmax along one dim of a contiguous tensor viewed as [outer, size, inner].
//
// Note: numerically stable: the max along the dim is subtracted before exp, and log-softmax is
// x − max − log Σ exp(x − max), never log(softmax). float32 over the last dim follows PyTorch's kernel to
// the bit (see lastDimF32); other sums are float64. When inner > 1 the dim is
// strided, so the kernels sweep it row by row over a contiguous inner vector of running maxima and
// sums (a reused scratch) instead of gathering each strided column.
// Backward:  softmax:     gx = y·(gy − Σ gy·y)
//            log_softmax: gx = gy − exp(y)·Σ gy        (y = the forward output)

import { type FloatArray, outOrAlloc, checkLength, Scratch } from './types';
import { expf, logf } from './sleef';

const maxScratch = new Scratch();
const sumScratch = new Scratch();

function forward(kernel: string, log: boolean, x: FloatArray, out: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  const total = outer * size * inner;
  checkLength(kernel, 'input', x, total);
  const y = outOrAlloc(kernel, out, x, total);
  if (size === 0) return y;
  if (inner === 1 && x instanceof Float32Array && y instanceof Float32Array) {
    for (let o = 0; o < outer; o++) lastDimF32(log, x, y, o * size, size);
    return y;
  }
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * size;
      let max = -Infinity;
      for (let d = 0; d < size; d++) {
        const v = x[base + d];
        if (v > max || v !== v) max = v;
      }
      let sum = 0;
      for (let d = 0; d < size; d++) {
        const e = Math.exp(x[base + d] - max);
        if (!log) y[base + d] = e;
        sum += e;
      }
      if (log) {
        const shift = max + Math.log(sum);
        for (let d = 0; d < size; d++) y[base + d] = x[base + d] - shift;
      } else {
        const inv = 1 / sum;
        for (let d = 0; d < size; d++) y[base + d] *= inv;
      }
    }
    return y;
  }
  const maxes = maxScratch.get(inner);
  const sums = sumScratch.get(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    maxes.fill(-Infinity, 0, inner);
    sums.fill(0, 0, inner);
    for (let d = 0; d < size; d++) {
      const row = base + d * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[row + i];
        if (v > maxes[i] || v !== v) maxes[i] = v;
      }
    }
    for (let d = 0; d < size; d++) {
      const row = base + d * inner;
      for (let i = 0; i < inner; i++) {
        const e = Math.exp(x[row + i] - maxes[i]);
        if (!log) y[row + i] = e;
        sums[i] += e;
      }
    }
    if (log) {
      for (let i = 0; i < inner; i++) maxes[i] += Math.log(sums[i]);
      for (let d = 0; d < size; d++) {
        const row = base + d * inner;
        for (let i = 0; i < inner; i++) y[row + i] = x[row + i] - maxes[i];
      }
    } else {
      for (let i = 0; i < inner; i++) sums[i] = 1 / sums[i];
      for (let d = 0; d < size; d++) {
        const row = base + d * inner;
        for (let i = 0; i < inner; i++) y[row + i] *= sums[i];
      }
    }
  }
  return y;
}

function backward(kernel: string, log: boolean, gy: FloatArray, y: FloatArray, gx: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  const total = outer * size * inner;
  checkLength(kernel, 'grad_output', gy, total);
  checkLength(kernel, 'output', y, total);
  const g = outOrAlloc(kernel, gx, gy, total);
  if (inner === 1 && gy instanceof Float32Array && y instanceof Float32Array && g instanceof Float32Array) {
    for (let o = 0; o < outer; o++) lastDimBackwardF32(log, gy, y, g, o * size, size);
    return g;
  }
  const sums = sumScratch.get(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    sums.fill(0, 0, inner);
    for (let d = 0; d < size; d++) {
      const row = base + d * inner;
      if (log) for (let i = 0; i < inner; i++) sums[i] += gy[row + i];
      else for (let i = 0; i < inner; i++) sums[i] += gy[row + i] * y[row + i];
    }
    for (let d = 0; d < size; d++) {
      const row = base + d * inner;
      if (log) for (let i = 0; i < inner; i++) g[row + i] = gy[row + i] - Math.exp(y[row + i]) * sums[i];
      else for (let i = 0; i < inner; i++) g[row + i] = y[row + i] * (gy[row + i] - sums[i]);
    }
  }
  return g;
}

/** y = softmax(x) along the middle axis of [outer, size, inner]. */
export function softmaxForward(x: FloatArray, out: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  return forward('softmaxForward', false, x, out, outer, size, inner);
}

/** y = log_softmax(x) along the middle axis of [outer, size, inner]. */
export function logSoftmaxForward(x: FloatArray, out: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  return forward('logSoftmaxForward', true, x, out, outer, size, inner);
}

/** gx = y·(gy − Σ_dim gy·y), y = softmax output. */
export function softmaxBackward(gy: FloatArray, y: FloatArray, gx: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  return backward('softmaxBackward', false, gy, y, gx, outer, size, inner);
}

/** gx = gy − exp(y)·Σ_dim gy, y = log_softmax output. */
export function logSoftmaxBackward(gy: FloatArray, y: FloatArray, gx: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  return backward('logSoftmaxBackward', true, gy, y, gx, outer, size, inner);
}

// Note: float32 softmax and log_softmax over the last dim as PyTorch's vectorized kernels compute them
// (_vec_softmax_lastdim, _vec_log_softmax_lastdim): exp and log are Sleef's (./sleef) on every element; the
// sum of the exponentials is reduce_all's: 8-lane vectors added lane by lane, a last partial vector added into
// its first lanes only, then the 8 lanes folded as a tree (4 + 4, 2 + 2, 1 + 1); under 8 elements, added one
// after another. Softmax multiplies by 1 / sum; log_softmax subtracts the max, then log(sum).
const LANES = new Float32Array(8);

function lastDimF32(log: boolean, x: Float32Array, y: Float32Array, base: number, size: number): void {
  let max = -Infinity;
  for (let d = 0; d < size; d++) {
    const v = x[base + d];
    if (v > max || v !== v) max = v;
  }
  const fm = Math.fround(max);
  // The exponentials go into y (also for log_softmax, which then overwrites them; y is never x).
  for (let d = 0; d < size; d++) y[base + d] = expf(Math.fround(x[base + d] - fm));
  const sum = reduceAllF32(y, null, base, size);
  if (log) {
    const ls = logf(sum);
    for (let d = 0; d < size; d++) y[base + d] = Math.fround(x[base + d] - fm) - ls;
  } else {
    const inv = Math.fround(1 / sum);
    for (let d = 0; d < size; d++) y[base + d] *= inv;
  }
}

/**
 * reduce_all of a + b over n floats (products gy·y when y is given): 8-lane vectors, a partial last vector
 * into its first lanes, then the lane tree; under 8 elements one after another (see the note on lastDimF32).
 */
function reduceAllF32(a: Float32Array, b: Float32Array | null, base: number, n: number): number {
  const acc = LANES;
  acc.fill(0);
  const full = n - (n % 8);
  if (n < 8) {
    for (let d = 0; d < n; d++) acc[d] = b ? a[base + d] * b[base + d] : a[base + d];
    for (let d = 1; d < n; d++) acc[0] += acc[d];
    return acc[0];
  }
  for (let d = 0; d < n; d++) {
    const l = d < full ? d & 7 : d - full;
    if (d < 8) acc[l] = b ? a[base + d] * b[base + d] : a[base + d];
    // acc + x * y is one fused multiply-add as GCC compiles map2_reduce_all (the product exact in a double).
    else acc[l] = b ? acc[l] + a[base + d] * b[base + d] : acc[l] + a[base + d];
  }
  acc[0] += acc[4]; acc[1] += acc[5]; acc[2] += acc[6]; acc[3] += acc[7];
  acc[0] += acc[2]; acc[1] += acc[3];
  acc[0] += acc[1];
  return acc[0];
}

/**
 * The float32 backward over the last dim as PyTorch's _vec_host_softmax_backward_lastdim computes it: log_softmax
 * gx = gy - exp(y) * Σ gy, softmax gx = (gy - Σ gy·y) * y, the sums by reduceAllF32.
 */
function lastDimBackwardF32(log: boolean, gy: Float32Array, y: Float32Array, g: Float32Array, base: number, size: number): void {
  if (log) {
    const sum = reduceAllF32(gy, null, base, size);
    // gy - exp(y) * sum: fused too (fnmadd).
    for (let d = 0; d < size; d++) g[base + d] = gy[base + d] - expf(y[base + d]) * sum;
  } else {
    const sum = reduceAllF32(gy, y, base, size);
    for (let d = 0; d < size; d++) g[base + d] = Math.fround(gy[base + d] - sum) * y[base + d];
  }
}
