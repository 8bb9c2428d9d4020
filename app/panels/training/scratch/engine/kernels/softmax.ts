// Softmax and log-softmax along one dim of a contiguous tensor viewed as [outer, size, inner].
//
// Note: numerically stable: the max along the dim is subtracted before exp, and log-softmax is
// x − max − log Σ exp(x − max), never log(softmax). Sums are float64. When inner > 1 the dim is
// strided, so the kernels sweep it row by row over a contiguous inner vector of running maxima and
// sums (a reused scratch) instead of gathering each strided column.
// Backward:  softmax:     gx = y·(gy − Σ gy·y)
//            log_softmax: gx = gy − exp(y)·Σ gy        (y = the forward output)

import { type FloatArray, outOrAlloc, checkLength, Scratch } from './types';

const maxScratch = new Scratch();
const sumScratch = new Scratch();

function forward(kernel: string, log: boolean, x: FloatArray, out: FloatArray | null | undefined, outer: number, size: number, inner: number): FloatArray {
  const total = outer * size * inner;
  checkLength(kernel, 'input', x, total);
  const y = outOrAlloc(kernel, out, x, total);
  if (size === 0) return y;
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
