// Batch normalization over NCHW (or NC with hw = 1), per channel, with PyTorch's formulas.
//
// Note: statistics are two-pass in float64 (mean, then Σ(x − mean)²), so float32 inputs lose nothing
// to cancellation. Training normalizes with the biased variance and reports the unbiased one, which
// is what PyTorch mixes into running_var:
//   running_mean = (1 − momentum)·running_mean + momentum·mean
//   running_var  = (1 − momentum)·running_var  + momentum·var_unbiased
// (see updateRunningStats). Backward follows aten/src/ATen/native/Normalization.cpp:
//   dotp = Σ (x − mean)·gy,  sum_gy = Σ gy,  n = N·H·W
//   grad_weight = dotp·invstd,  grad_bias = sum_gy
//   training: gx = (gy − (x − mean)·dotp·invstd²/n − sum_gy/n)·invstd·weight
//   eval:     gx = gy·invstd·weight        (mean, invstd from the running stats)

import { type FloatArray, outOrAlloc, checkLength, allocLike } from './types';

export interface BatchNormShape {
  batch: number;
  channels: number;
  /** H·W; 1 for BatchNorm1d on [N, C]. */
  hw: number;
}

export interface BatchNormTrainResult {
  out: FloatArray;
  /** Per-channel batch mean. */
  mean: FloatArray;
  /** Per-channel 1/sqrt(biased var + eps): what backward needs. */
  invstd: FloatArray;
  /** Per-channel unbiased variance (n/(n−1)·biased; NaN when n = 1, as PyTorch): for running_var. */
  varUnbiased: FloatArray;
}

/** Training forward: normalizes x with the batch statistics, then applies weight and bias (either may be null). */
export function batchNormTrainForward(
  x: FloatArray, weight: FloatArray | null | undefined, bias: FloatArray | null | undefined,
  out: FloatArray | null | undefined, s: BatchNormShape, eps = 1e-5,
): BatchNormTrainResult {
  const { batch, channels, hw } = s;
  const count = batch * hw;
  checkLength('batchNormTrainForward', 'input', x, batch * channels * hw);
  if (count < 2) {
    // PyTorch: "Expected more than 1 value per channel when training".
    throw new RangeError(`Expected more than 1 value per channel when training, got input size [${batch}, ${channels}${hw > 1 ? ', ...' : ''}]`);
  }
  const y = outOrAlloc('batchNormTrainForward', out, x, batch * channels * hw);
  const mean = allocLike(x, channels);
  const invstd = allocLike(x, channels);
  const varUnbiased = allocLike(x, channels);
  const stride = channels * hw;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = n * stride + c * hw;
      for (let i = 0; i < hw; i++) sum += x[base + i];
    }
    const mu = sum / count;
    let sq = 0;
    for (let n = 0; n < batch; n++) {
      const base = n * stride + c * hw;
      for (let i = 0; i < hw; i++) {
        const d = x[base + i] - mu;
        sq += d * d;
      }
    }
    const istd = 1 / Math.sqrt(sq / count + eps);
    mean[c] = mu;
    invstd[c] = istd;
    varUnbiased[c] = sq / (count - 1);
    const scale = weight ? weight[c] * istd : istd;
    const shift = (bias ? bias[c] : 0) - mu * scale;
    for (let n = 0; n < batch; n++) {
      const base = n * stride + c * hw;
      for (let i = 0; i < hw; i++) y[base + i] = x[base + i] * scale + shift;
    }
  }
  return { out: y, mean, invstd, varUnbiased };
}

/** Eval forward: y = (x − running_mean)/sqrt(running_var + eps)·weight + bias. */
export function batchNormEvalForward(
  x: FloatArray, runningMean: FloatArray, runningVar: FloatArray,
  weight: FloatArray | null | undefined, bias: FloatArray | null | undefined,
  out: FloatArray | null | undefined, s: BatchNormShape, eps = 1e-5,
): FloatArray {
  const { batch, channels, hw } = s;
  checkLength('batchNormEvalForward', 'input', x, batch * channels * hw);
  checkLength('batchNormEvalForward', 'running_mean', runningMean, channels);
  checkLength('batchNormEvalForward', 'running_var', runningVar, channels);
  const y = outOrAlloc('batchNormEvalForward', out, x, batch * channels * hw);
  const stride = channels * hw;
  for (let c = 0; c < channels; c++) {
    const istd = 1 / Math.sqrt(runningVar[c] + eps);
    const scale = weight ? weight[c] * istd : istd;
    const shift = (bias ? bias[c] : 0) - runningMean[c] * scale;
    for (let n = 0; n < batch; n++) {
      const base = n * stride + c * hw;
      for (let i = 0; i < hw; i++) y[base + i] = x[base + i] * scale + shift;
    }
  }
  return y;
}

/** runningMean/runningVar ← (1 − momentum)·running + momentum·batch, in place (PyTorch's momentum, default 0.1). */
export function updateRunningStats(
  runningMean: FloatArray, runningVar: FloatArray, mean: FloatArray, varUnbiased: FloatArray, momentum = 0.1,
): void {
  for (let c = 0; c < runningMean.length; c++) {
    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * varUnbiased[c];
  }
}

/** 1/sqrt(var + eps) per channel: the `invstd` that eval-mode backward takes from the running variance. */
export function invstdFromVar(variance: FloatArray, eps = 1e-5): FloatArray {
  const r = allocLike(variance, variance.length);
  for (let c = 0; c < variance.length; c++) r[c] = 1 / Math.sqrt(variance[c] + eps);
  return r;
}

export interface BatchNormGrads {
  /** null when not requested. */
  gradInput: FloatArray | null;
  gradWeight: FloatArray | null;
  gradBias: FloatArray | null;
}

export interface BatchNormBackwardOptions {
  /** true: mean/invstd are the batch statistics of training forward; false: the running ones. */
  training: boolean;
  needInput?: boolean;
  needWeight?: boolean;
  needBias?: boolean;
  /** Reused output buffers. */
  gradInput?: FloatArray | null;
  gradWeight?: FloatArray | null;
  gradBias?: FloatArray | null;
}

/** Grads of batch norm w.r.t. x, weight and bias (see the note for the formulas). */
export function batchNormBackward(
  gy: FloatArray, x: FloatArray, weight: FloatArray | null | undefined,
  mean: FloatArray, invstd: FloatArray, s: BatchNormShape, options: BatchNormBackwardOptions,
): BatchNormGrads {
  const { batch, channels, hw } = s;
  const size = batch * channels * hw;
  checkLength('batchNormBackward', 'grad_output', gy, size);
  checkLength('batchNormBackward', 'input', x, size);
  const needInput = options.needInput ?? true;
  const needWeight = options.needWeight ?? true;
  const needBias = options.needBias ?? true;
  const gx = needInput ? outOrAlloc('batchNormBackward', options.gradInput, x, size) : null;
  const gw = needWeight ? outOrAlloc('batchNormBackward', options.gradWeight, x, channels) : null;
  const gb = needBias ? outOrAlloc('batchNormBackward', options.gradBias, x, channels) : null;
  const count = batch * hw;
  const stride = channels * hw;
  for (let c = 0; c < channels; c++) {
    const mu = mean[c];
    const istd = invstd[c];
    let sumGy = 0;
    let dotp = 0;
    for (let n = 0; n < batch; n++) {
      const base = n * stride + c * hw;
      for (let i = 0; i < hw; i++) {
        const g = gy[base + i];
        sumGy += g;
        dotp += (x[base + i] - mu) * g;
      }
    }
    if (gw) gw[c] = dotp * istd;
    if (gb) gb[c] = sumGy;
    if (!gx) continue;
    const w = weight ? weight[c] : 1;
    if (options.training) {
      const proj = (dotp * istd * istd) / count;
      const gradMean = sumGy / count;
      const scale = istd * w;
      for (let n = 0; n < batch; n++) {
        const base = n * stride + c * hw;
        for (let i = 0; i < hw; i++) gx[base + i] = (gy[base + i] - (x[base + i] - mu) * proj - gradMean) * scale;
      }
    } else {
      const scale = istd * w;
      for (let n = 0; n < batch; n++) {
        const base = n * stride + c * hw;
        for (let i = 0; i < hw; i++) gx[base + i] = gy[base + i] * scale;
      }
    }
  }
  return { gradInput: gx, gradWeight: gw, gradBias: gb };
}
