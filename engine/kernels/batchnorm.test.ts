import { describe, it, expect } from 'vitest';
import { batchNormTrainForward, batchNormEvalForward, batchNormBackward, updateRunningStats, invstdFromVar, type BatchNormShape } from './batchnorm';
import type { FloatArray } from './types';
import { TOL32, TOL64, TOL_FD, assertClose, numericGrad, randomArray, rng } from './testUtil';

/** Per-channel statistics from the definition, in float64. */
function refStats(x: ArrayLike<number>, s: BatchNormShape) {
  const { batch, channels, hw } = s;
  const mean = new Float64Array(channels), biased = new Float64Array(channels), unbiased = new Float64Array(channels);
  const count = batch * hw;
  for (let c = 0; c < channels; c++) {
    const vals: number[] = [];
    for (let n = 0; n < batch; n++) for (let i = 0; i < hw; i++) vals.push(x[(n * channels + c) * hw + i]);
    const mu = vals.reduce((a, b) => a + b, 0) / count;
    const ss = vals.reduce((a, v) => a + (v - mu) ** 2, 0);
    mean[c] = mu;
    biased[c] = ss / count;
    unbiased[c] = ss / (count - 1);
  }
  return { mean, biased, unbiased };
}

function refNormalize(x: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, s: BatchNormShape, eps: number) {
  const y = new Float64Array(s.batch * s.channels * s.hw);
  for (let n = 0; n < s.batch; n++) for (let c = 0; c < s.channels; c++) for (let i = 0; i < s.hw; i++) {
    const at = (n * s.channels + c) * s.hw + i;
    y[at] = ((x[at] - mean[c]) / Math.sqrt(variance[c] + eps)) * w[c] + b[c];
  }
  return y;
}

const SHAPES: BatchNormShape[] = [
  { batch: 2, channels: 1, hw: 1 },
  { batch: 3, channels: 5, hw: 1 },
  { batch: 1, channels: 3, hw: 7 },
  { batch: 2, channels: 4, hw: 17 },
  { batch: 5, channels: 3, hw: 9 },
];
const EPS = [1e-5, 1e-3];

describe('batch norm', () => {
  for (const s of SHAPES) {
    for (const eps of EPS) {
      it(`training forward N${s.batch} C${s.channels} HW${s.hw} eps=${eps}`, () => {
        const r = rng(s.batch * 10 + s.hw);
        const x = randomArray(Float32Array, s.batch * s.channels * s.hw, r);
        // An offset that would hurt a one-pass Σx² − (Σx)² variance in float32.
        for (let i = 0; i < x.length; i++) x[i] += 100;
        const w = randomArray(Float32Array, s.channels, r);
        const b = randomArray(Float32Array, s.channels, r);
        const ref = refStats(x, s);
        const got = batchNormTrainForward(x, w, b, null, s, eps);
        expect(got.out).toBeInstanceOf(Float32Array);
        assertClose(got.mean, ref.mean, TOL32, 'mean');
        assertClose(got.invstd, ref.biased.map((v) => 1 / Math.sqrt(v + eps)), { rtol: 1e-4, atol: 1e-5 }, 'invstd');
        assertClose(got.varUnbiased, ref.unbiased, TOL32, 'unbiased var');
        assertClose(got.out, refNormalize(x, ref.mean, ref.biased, w, b, s, eps), { rtol: 1e-4, atol: 1e-4 }, 'out');
        const ones = new Float64Array(s.channels).fill(1), zeros = new Float64Array(s.channels);
        assertClose(batchNormTrainForward(x, null, null, null, s, eps).out, refNormalize(x, ref.mean, ref.biased, ones, zeros, s, eps), { rtol: 1e-4, atol: 1e-4 }, 'out without affine');
      });

      it(`training backward by finite differences N${s.batch} C${s.channels} HW${s.hw} eps=${eps}`, () => {
        const r = rng(s.channels * 7 + s.hw);
        const x = randomArray(Float64Array, s.batch * s.channels * s.hw, r);
        const w = randomArray(Float64Array, s.channels, r);
        const b = randomArray(Float64Array, s.channels, r);
        const gy = randomArray(Float64Array, x.length, r);
        const fwd = batchNormTrainForward(x, w, b, null, s, eps);
        const grads = batchNormBackward(gy, x, w, fwd.mean, fwd.invstd, s, { training: true });
        assertClose(grads.gradInput!, numericGrad((xv) => batchNormTrainForward(xv, w, b, null, s, eps).out, x, gy), TOL_FD, 'grad input');
        assertClose(grads.gradWeight!, numericGrad((wv) => batchNormTrainForward(x, wv, b, null, s, eps).out, w, gy), TOL_FD, 'grad weight');
        assertClose(grads.gradBias!, numericGrad((bv) => batchNormTrainForward(x, w, bv, null, s, eps).out, b, gy), TOL_FD, 'grad bias');
        const noAffine = batchNormBackward(gy, x, null, fwd.mean, fwd.invstd, s, { training: true, needWeight: false, needBias: false });
        expect(noAffine.gradWeight).toBeNull();
        assertClose(noAffine.gradInput!, numericGrad((xv) => batchNormTrainForward(xv, null, null, null, s, eps).out, x, gy), TOL_FD, 'grad input without affine');
      });

      it(`eval forward and backward N${s.batch} C${s.channels} HW${s.hw} eps=${eps}`, () => {
        const r = rng(s.channels * 3 + s.batch);
        const x = randomArray(Float64Array, s.batch * s.channels * s.hw, r);
        const w = randomArray(Float64Array, s.channels, r);
        const b = randomArray(Float64Array, s.channels, r);
        const rm = randomArray(Float64Array, s.channels, r);
        const rv = randomArray(Float64Array, s.channels, r).map((v) => v + 1.5);
        const gy = randomArray(Float64Array, x.length, r);
        const f = (xv: FloatArray, wv: FloatArray = w, bv: FloatArray = b) => batchNormEvalForward(xv, rm, rv, wv, bv, null, s, eps);
        assertClose(f(x), refNormalize(x, rm, rv, w, b, s, eps), TOL64, 'out');
        const grads = batchNormBackward(gy, x, w, rm, invstdFromVar(rv, eps), s, { training: false });
        assertClose(grads.gradInput!, numericGrad((xv) => f(xv), x, gy), TOL_FD, 'grad input');
        assertClose(grads.gradWeight!, numericGrad((wv) => f(x, wv), w, gy), TOL_FD, 'grad weight');
        assertClose(grads.gradBias!, numericGrad((bv) => f(x, w, bv), b, gy), TOL_FD, 'grad bias');
      });
    }
  }

  it('running stats follow PyTorch\'s momentum update', () => {
    const rm = new Float32Array([0, 1]), rv = new Float32Array([1, 2]);
    updateRunningStats(rm, rv, new Float32Array([10, 20]), new Float32Array([3, 4]), 0.1);
    assertClose(rm, [1, 2.9], TOL32, 'running mean');
    assertClose(rv, [1.2, 2.2], TOL32, 'running var');
  });

  it('refuses one value per channel in training, as PyTorch', () => {
    expect(() => batchNormTrainForward(new Float32Array(3), null, null, null, { batch: 1, channels: 3, hw: 1 })).toThrow(/Expected more than 1 value per channel when training/);
  });
});
