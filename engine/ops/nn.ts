// Neural-network ops (torch.nn.functional): softmax, log_softmax, nll_loss, cross_entropy, mse_loss,
// conv2d, max_pool2d, avg_pool2d, adaptive_avg_pool2d, batch_norm, dropout.
import { cascadeSum, ceilLog2 } from '../kernels/cascadeSum';
import { allocStorage, isFloating, scalarTypeName } from '../dtype';
import { EngineError, runtimeError } from '../context';
import { Tensor, normalizeDim, numelOf } from '../tensor';
import type { FloatArray } from '../kernels/types';
import { softmaxForward, logSoftmaxForward, softmaxBackward, logSoftmaxBackward } from '../kernels/softmax';
import { conv2dForward, conv2dBackwardInput, conv2dBackwardWeight, conv2dBackwardBias, conv2dShape, conv2dOutputHW, type Conv2dShape } from '../kernels/conv';
import { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward, adaptiveAvgPool2dForward, adaptiveAvgPool2dBackward, adaptiveMaxPool2dForward, pool2dOutputHW, pool2dShape, type Pool2dShape } from '../kernels/pool';
import { batchNormTrainForward, batchNormEvalForward, batchNormBackward, updateRunningStats, invstdFromVar } from '../kernels/batchnorm';
import { apply, defineOp } from './define';
import { mean, sum, sumDimOp } from './reduce';
import { add, mul, div, eq, divScalar, broadcastShapes } from './arith';
import { neg } from './unary';
import { reshape, expandTo, broadcastTo, expand, view, squeeze, unsqueeze } from './shape';
import { maskedFill } from './select';
import { mulScalar, repeat } from './more';
import { sizeText } from '../tensor';
import { generator } from '../random';

const F = (t: Tensor): FloatArray => t.data as FloatArray;
const like = (x: Tensor, shape: number[]): Tensor => new Tensor(allocStorage(x.dtype, numelOf(shape)), shape, x.dtype);

function splitDim(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape.length ? shape[dim] : 1, inner];
}

/** PyTorch's legacy implicit dim for softmax without dim=. */
function softmaxDim(ndim: number, dim: number | null): number {
  if (dim !== null) return normalizeDim(dim, Math.max(ndim, 1));
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type SoftmaxKernel = (x: FloatArray, out: FloatArray, outer: number, size: number, inner: number) => FloatArray;
type SoftmaxBackwardKernel = (gy: FloatArray, y: FloatArray, gx: FloatArray, outer: number, size: number, inner: number) => FloatArray;

/** softmax and log_softmax: the same shape of op over (outer, dim, inner), each with its own kernels. */
function softmaxLike(name: string, gradFn: string, formula: string, forward: SoftmaxKernel, backward: SoftmaxBackwardKernel) {
  return defineOp<{ dim: number }>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: ['result'],
    forward: ([x], { dim }) => {
      const [o, s, i] = splitDim(x.shape, dim);
      const out = like(x, x.shape.slice());
      forward(F(x), F(out), o, s, i);
      return out;
    },
    backward: (g, { result, attrs: { dim } }, n) => {
      if (!n[0]) return [null];
      const [o, s, i] = splitDim(result.shape, dim);
      const gx = like(result, result.shape.slice());
      backward(F(g), F(result), F(gx), o, s, i);
      return [gx];
    },
  });
}

export const softmaxOp = softmaxLike('softmax', 'SoftmaxBackward0', '_softmax_backward_data(grad, result, dim, self.scalar_type())', softmaxForward, softmaxBackward);
export const logSoftmaxOp = softmaxLike('log_softmax', 'LogSoftmaxBackward0', '_log_softmax_backward_data(grad, result, dim, self.scalar_type())', logSoftmaxForward, logSoftmaxBackward);

function floatInput(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw runtimeError(`"${op}_lastdim_kernel_impl" not implemented for '${scalarTypeName(x.dtype)}'`);
}

export function softmax(x: Tensor, dim: number | null = null): Tensor {
  floatInput('softmax', x);
  return apply(softmaxOp, [x], { dim: softmaxDim(x.ndim, dim) });
}
export function logSoftmax(x: Tensor, dim: number | null = null): Tensor {
  floatInput('log_softmax', x);
  return apply(logSoftmaxOp, [x], { dim: softmaxDim(x.ndim, dim) });
}

type Reduction = 'mean' | 'sum' | 'none';

/** nll_loss over [N, C] (or [C]) log-probabilities and int64 targets, with ignore_index and optional class weights. */
export const nllLossOp = defineOp<{ reduction: Reduction; ignoreIndex: number; weight?: Tensor | null }, { total: number }>({
  name: 'nll_loss', label: 'nll_loss', gradFn: 'NllLossBackward0', inputs: ['self', 'target'], nonDifferentiable: [1],
  formulas: { self: 'nll_loss_backward(grad, self, target, weight, reduction, ignore_index, total_weight)' }, saves: ['self', 'target'],
  forward: ([x, target], { reduction, ignoreIndex, weight }) => {
    const batched = x.ndim === 2;
    const n = batched ? x.shape[0] : 1;
    const c = batched ? x.shape[1] : x.shape[0];
    const losses = like(x, batched ? [n] : []);
    const r = x.data instanceof Float32Array ? Math.fround : (v: number) => v;
    const w = (t: number): number => (weight ? weight.data[t] : 1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const t = target.data[i];
      if (t === ignoreIndex) continue;
      if (t < 0 || t >= c) throw new EngineError('IndexError', `Target ${t} is out of bounds.`);
      losses.data[i] = weight ? -r(x.data[i * c + t] * w(t)) : -x.data[i * c + t];
      count++;
    }
    if (reduction === 'none') return { out: losses, saved: { total: count } };
    // PyTorch's nll_loss_out_frame: -x[b, target] * weight[target] accumulated in the dtype into four cascade
    // levels (level 0 carried up each 2^p samples, p = max(4, ceil(log2 n) / 4)), the levels added in order, then
    // divided by the total weight (the count without weights) for 'mean'; the weights summed the same way.
    const sums = [0, 0, 0, 0];
    const wsums = [0, 0, 0, 0];
    const power = Math.max(4, Math.floor(ceilLog2(n) / 4));
    const mask = (1 << power) - 1;
    for (let b = 0; b < n; b++) {
      const t = target.data[b];
      if (t === ignoreIndex) continue;
      sums[0] = r(sums[0] - (weight ? r(x.data[b * c + t] * w(t)) : x.data[b * c + t]));
      wsums[0] = r(wsums[0] + w(t));
      for (let j = 0; j + 1 < 4; j++) {
        if ((b & (mask << (j * power))) !== 0) break;
        sums[j + 1] = r(sums[j + 1] + sums[j]);
        sums[j] = 0;
        wsums[j + 1] = r(wsums[j + 1] + wsums[j]);
        wsums[j] = 0;
      }
    }
    const s = r(r(r(r(0 + sums[0]) + sums[1]) + sums[2]) + sums[3]);
    const total = weight ? r(r(r(r(0 + wsums[0]) + wsums[1]) + wsums[2]) + wsums[3]) : count;
    const out = like(x, []);
    out.data[0] = reduction === 'mean' ? s / total : s;
    return { out, saved: { total } };
  },
  backward: (g, { inputs: [x, target], attrs: { reduction, ignoreIndex, weight }, saved: { total } }, n) => {
    if (!n[0]) return [null, null];
    const batched = x.ndim === 2;
    const rows = batched ? x.shape[0] : 1;
    const c = batched ? x.shape[1] : x.shape[0];
    const gx = like(x, x.shape.slice());
    for (let i = 0; i < rows; i++) {
      const t = target.data[i];
      if (t === ignoreIndex) continue;
      const gi = reduction === 'none' ? g.data[i] : reduction === 'mean' ? g.data[0] / total : g.data[0];
      gx.data[i * c + t] = -gi * (weight ? weight.data[t] : 1);
    }
    return [gx, null];
  },
});

/** nll_loss_nd's checks in PyTorch's order: batch sizes, then the shapes (nll_loss's meta), then the dtype (its kernel). */
function checkTarget(op: string, input: Tensor, target: Tensor): void {
  if (input.ndim < 1) throw new EngineError('ValueError', `Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim !== 1 && target.ndim >= 1 && input.shape[0] !== target.shape[0]) {
    throw new EngineError('ValueError', `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  if (input.ndim > 2) throw runtimeError(`${op}: input tensor should be 1D or 2D`);
  if (target.ndim > 1) throw runtimeError('0D or 1D target tensor expected, multi-target not supported');
  if (!(input.ndim === 1 && target.ndim === 0) && input.shape[0] !== (target.ndim === 0 ? 1 : target.shape[0])) {
    throw runtimeError(`size mismatch (got input: [${input.shape.join(', ')}], target: [${target.shape.join(', ')}])`);
  }
  // PyTorch's nll_loss kernels take Long targets, and Byte ones (a legacy dispatch).
  if (target.dtype !== 'int64' && target.dtype !== 'uint8') throw runtimeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
}


export function nllLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100, weight: Tensor | null = null): Tensor {
  checkTarget('nll_loss', input, target);
  checkWeight(input, weight);
  return apply(nllLossOp, [input, target], weight ? { reduction, ignoreIndex, weight } : { reduction, ignoreIndex });
}

function checkWeight(input: Tensor, weight: Tensor | null): void {
  const c = input.ndim === 2 ? input.shape[1] : input.shape[0];
  if (weight && weight.numel !== c) throw runtimeError(`weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${sizeText(weight.shape)}`);
}

/**
 * cross_entropy as PyTorch 1.13 composes it: nll_loss(log_softmax(input, 1), target) for class indices; for class
 * probabilities (a float target of the input's shape) -(log_softmax * target [* weight]).sum(1), then the mean over
 * the batch; label smoothing mixes in the loss against the uniform distribution.
 */
export function crossEntropy(input: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100, weight: Tensor | null = null, labelSmoothing = 0): Tensor {
  const classDim = input.ndim === 1 ? 0 : 1;
  if (labelSmoothing < 0 || labelSmoothing > 1) throw runtimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
  // PyTorch 1.13 takes a target of the input's own shape as class probabilities, anything else as class indices.
  if (target.shape.length === input.shape.length && target.shape.every((s, i) => s === input.shape[i])) {
    if (!isFloating(target.dtype)) throw runtimeError(`Expected floating point type for target with class probabilities, got ${scalarTypeName(target.dtype)}`);
    if (ignoreIndex >= 0) throw runtimeError('ignore_index is not supported for floating point target');
    checkWeight(input, weight);
    const c = input.shape[classDim];
    const lsm = logSoftmax(input, classDim);
    const t = labelSmoothing > 0 ? add(mul(target, 1 - labelSmoothing), labelSmoothing / c) : target;
    const wshape = input.ndim === 2 ? [1, c] : [c];
    const prod = weight ? mul(mul(lsm, t), reshape(weight, wshape)) : mul(lsm, t);
    if (reduction === 'none') return neg(sum(prod, classDim));
    // -(input * target).sum(), divided by the batch size for 'mean' (a C++ division by a number: DivBackward1).
    const total = neg(sum(prod));
    if (reduction === 'sum' || input.ndim === 1) return total;
    return divScalar(total, input.numel / c);
  }
  checkTarget('cross_entropy', input, target);
  const lsm = logSoftmax(input, classDim);
  const nll = nllLoss(lsm, target, reduction, ignoreIndex, weight);
  if (labelSmoothing === 0) return nll;
  const c = input.shape[classDim];
  const ignored = eq(target, ignoreIndex);
  const smooth = maskedFill(weight ? neg(sum(mul(lsm, reshape(weight, input.ndim === 2 ? [1, c] : [c])), classDim)) : neg(sum(lsm, classDim)), ignored, 0);
  let ret: Tensor;
  if (reduction === 'mean') {
    if (weight) {
      let w = 0;
      for (let i = 0; i < target.numel; i++) if (target.data[i] !== ignoreIndex) w += weight.data[target.data[i]];
      ret = div(sum(smooth), w);
    } else {
      let kept = 0;
      for (let i = 0; i < target.numel; i++) if (target.data[i] !== ignoreIndex) kept++;
      ret = div(sum(smooth), kept);
    }
  } else ret = reduction === 'sum' ? sum(smooth) : smooth;
  // C++ multiplications by numbers: MulBackward1.
  return add(mulScalar(nll, 1 - labelSmoothing), mulScalar(ret, labelSmoothing / c));
}

interface MarginAttrs {
  p: number;
  margin: number;
  weight: Tensor | null;
  reduction: Reduction;
}

/** Per sample of an [N, C] (or [C]) input: its target's index and the row's offset. */
function marginRows(x: Tensor, target: Tensor): { n: number; c: number; targets: number[] } {
  const c = x.shape[x.ndim - 1];
  const n = x.ndim === 2 ? x.shape[0] : 1;
  return { n, c, targets: Array.from({ length: n }, (_, i) => target.data[i]) };
}

/**
 * F.multi_margin_loss: per sample, Σ over the other classes d of max(0, margin − x[y] + x[d])^p (times the
 * target class's weight), divided by the number of classes (PyTorch's multi_margin_loss CPU kernel).
 */
export const multiMarginLossOp = defineOp<MarginAttrs>({
  name: 'multi_margin_loss', label: 'multi_margin_loss', gradFn: 'MultiMarginLossBackward0', inputs: ['self', 'target'], nonDifferentiable: [1],
  formulas: { self: 'multi_margin_loss_backward(grad, self, target, p, margin, weight, reduction)' }, saves: ['self', 'target'],
  forward: ([x, target], { p, margin, weight, reduction }) => {
    const { n, c, targets } = marginRows(x, target);
    const per = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = targets[i];
      const xy = x.data[i * c + y];
      let total = 0;
      for (let d = 0; d < c; d++) {
        if (d === y) continue;
        const z = margin - xy + x.data[i * c + d];
        if (z > 0) total += (p === 1 ? z : z * z) * (weight ? weight.data[y] : 1);
      }
      per[i] = total / c;
    }
    if (reduction === 'none') {
      const out = like(x, x.ndim === 2 ? [n] : []);
      out.data.set(per);
      return out;
    }
    const out = like(x, []);
    const sumAll = per.reduce((a, b) => a + b, 0);
    out.data[0] = reduction === 'mean' ? sumAll / n : sumAll;
    return out;
  },
  backward: (g, { inputs: [x, target], attrs: { p, margin, weight, reduction } }, needs) => {
    if (!needs[0]) return [null];
    const { n, c, targets } = marginRows(x, target);
    const gx = like(x, x.shape.slice());
    for (let i = 0; i < n; i++) {
      const scale = reduction === 'none' ? g.data[i] : reduction === 'mean' ? g.data[0] / n : g.data[0];
      const y = targets[i];
      const xy = x.data[i * c + y];
      for (let d = 0; d < c; d++) {
        if (d === y) continue;
        const z = margin - xy + x.data[i * c + d];
        if (z <= 0) continue;
        const h = ((p === 1 ? 1 : 2 * z) * scale / c) * (weight ? weight.data[y] : 1);
        gx.data[i * c + d] = h;
        gx.data[i * c + y] -= h;
      }
    }
    return [gx];
  },
});

/**
 * The gradient of MultiMarginLossBackward0 under create_graph: multi_margin_loss_backward's result, a node with no
 * derivative in PyTorch (NotImplemented): going through it again fails with PyTorch's error.
 */
export const multiMarginBackwardOp = defineOp<MarginAttrs>({
  name: 'multi_margin_loss_backward', label: 'multi_margin_loss backward', gradFn: 'NotImplemented', inputs: ['grad', 'self', 'target'], nonDifferentiable: [2],
  formulas: { grad: 'not_implemented("multi_margin_loss_backward")' }, saves: [],
  forward: ([g, x, target], attrs) => multiMarginLossOp.backward(g, { inputs: [x, target], result: g, attrs, saved: undefined }, [true])[0]!,
  backward: () => {
    throw runtimeError('derivative for aten::multi_margin_loss_backward is not implemented');
  },
});

export function multiMarginLoss(x: Tensor, target: Tensor, o: { p?: number; margin?: number; weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  const p = o.p ?? 1;
  if (p !== 1 && p !== 2) throw new EngineError('ValueError', 'only p == 1 and p == 2 supported');
  const { n, c } = marginRows(x, target);
  if ((x.ndim === 2 ? target.numel !== n : target.numel !== 1) || x.ndim > 2 || x.ndim === 0) {
    throw runtimeError(`inconsistent target size, got: [${target.shape.join(', ')}]`);
  }
  for (let i = 0; i < target.numel; i++) if (target.data[i] < 0 || target.data[i] >= c) throw runtimeError('target out of range');
  return apply(multiMarginLossOp, [x, target], { p, margin: o.margin ?? 1, weight: o.weight ?? null, reduction: o.reduction ?? 'mean' });
}

export const mseLossOp = defineOp<{ reduction: Reduction }>({
  name: 'mse_loss', label: 'mse_loss', gradFn: 'MseLossBackward0', inputs: ['self', 'target'],
  formulas: { self: 'mse_loss_backward(grad, self, target, reduction)', target: 'mse_loss_backward(grad, target, self, reduction)' },
  saves: ['self', 'target'],
  forward: ([x, y], { reduction }) => {
    // PyTorch's kernel: diff = a - b, then diff * diff, each rounded to the dtype.
    const d = like(x, x.shape.slice());
    const r = d.data instanceof Float32Array ? Math.fround : (v: number) => v;
    for (let i = 0; i < d.data.length; i++) {
      const v = r(x.data[i] - y.data[i]);
      d.data[i] = v * v;
    }
    return reduceLoss(d, reduction);
  },
  backward: (g, { inputs: [x, y], attrs: { reduction } }, n) => {
    // mse_loss_backward: norm * (self - target) * grad, norm = 2 / numel (mean) or 2 cast to the dtype, each
    // product rounded.
    const gx = like(x, x.shape.slice());
    const r = gx.data instanceof Float32Array ? Math.fround : (v: number) => v;
    const scale = r(reduction === 'mean' ? 2 / x.data.length : 2);
    for (let i = 0; i < gx.data.length; i++) gx.data[i] = r(scale * r(x.data[i] - y.data[i])) * (reduction === 'none' ? g.data[i] : g.data[0]);
    let gy: Tensor | null = null;
    if (n[1]) {
      gy = like(x, x.shape.slice());
      for (let i = 0; i < gx.data.length; i++) gy.data[i] = -gx.data[i];
    }
    return [n[0] ? gx : null, gy];
  },
});

export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (input.shape.join() !== target.shape.join()) {
    // F.mse_loss warns (UserWarning: "Using a target size ... that is different to the input size") and
    // broadcasts both (torch.broadcast_tensors: only the operand whose shape changes is expanded).
    const shape = broadcastShapes(input.shape, target.shape);
    if (input.shape.join() !== shape.join()) input = expand(input, shape);
    if (target.shape.join() !== shape.join()) target = expand(target, shape);
  }
  return apply(mseLossOp, [input, target], { reduction });
}

// ---------------------------------------------------------------- convolution

interface ConvAttrs {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
  hasBias: boolean;
}

function convGeometry(x: Tensor | { shape: readonly number[] }, w: Tensor, a: ConvAttrs): Conv2dShape {
  return conv2dShape({
    batch: x.shape[0], inChannels: x.shape[1], inH: x.shape[2], inW: x.shape[3],
    outChannels: w.shape[0], kernelH: w.shape[2], kernelW: w.shape[3],
    strideH: a.stride[0], strideW: a.stride[1], padH: a.padding[0], padW: a.padding[1],
    dilationH: a.dilation[0], dilationW: a.dilation[1], groups: a.groups,
  });
}

export const conv2dOp = defineOp<ConvAttrs>({
  name: 'conv2d', label: 'conv2d', gradFn: 'ConvolutionBackward0', inputs: ['input', 'weight', 'bias'],
  formulas: {
    input: 'conv_transpose2d(grad, weight, stride, padding, dilation, groups)',
    weight: 'conv2d(input.transpose(0, 1), grad.transpose(0, 1)).transpose(0, 1)',
    bias: 'grad.sum([0, 2, 3])',
  },
  saves: ['input', 'weight'],
  forward: ([x, w, b], a) => {
    const s = convGeometry(x, w, a);
    const [oh, ow] = conv2dOutputHW(s);
    const out = like(x, [x.shape[0], w.shape[0], oh, ow]);
    conv2dForward(F(x), F(w), b ? F(b) : null, F(out), s);
    return out;
  },
  backward: (g, { inputs: [x, w, b], attrs: a }, n) => {
    const s = convGeometry(x, w, a);
    const [oh, ow] = conv2dOutputHW(s);
    const gx = n[0] ? like(x, x.shape.slice()) : null;
    if (gx) conv2dBackwardInput(F(g), F(w), F(gx), s);
    const gw = n[1] ? like(w, w.shape.slice()) : null;
    if (gw) conv2dBackwardWeight(F(x), F(g), F(gw), s);
    const gb = b && n[2] ? like(b, b.shape.slice()) : null;
    if (gb) conv2dBackwardBias(F(g), F(gb), x.shape[0], w.shape[0], oh * ow);
    return b ? [gx, gw, gb] : [gx, gw];
  },
});

/**
 * conv2d's two gradients as recorded ops, for create_graph=True. Both are bilinear: the input gradient
 * Bx(grad, weight) is a transposed convolution, whose derivatives are the convolution itself (for grad) and
 * the weight gradient (for weight); the weight gradient Bw(input, grad) has Bx (for input) and the
 * convolution (for grad). Each runs the same kernels as conv2d's own backward.
 */
export const convInputGradOp = defineOp<ConvAttrs & { inputShape: number[] }>({
  name: 'convolution_backward_input', label: 'conv2dᵀ', gradFn: 'ConvolutionBackwardBackward0', inputs: ['grad', 'weight'],
  formulas: { grad: 'conv2d(grad_grad, weight)', weight: 'conv2d weight gradient of (grad_grad, grad)' }, saves: ['grad', 'weight'],
  forward: ([g, w], a) => {
    const gx = like(g, a.inputShape.slice());
    conv2dBackwardInput(F(g), F(w), F(gx), convGeometry({ shape: a.inputShape }, w, a));
    return gx;
  },
  backward: (gg, { inputs: [g, w], attrs: a }, n) => {
    const s = convGeometry({ shape: a.inputShape }, w, a);
    const dg = n[0] ? like(g, g.shape.slice()) : null;
    if (dg) conv2dForward(F(gg), F(w), null, F(dg), s);
    const dw = n[1] ? like(w, w.shape.slice()) : null;
    if (dw) conv2dBackwardWeight(F(gg), F(g), F(dw), s);
    return [dg, dw];
  },
});

export const convWeightGradOp = defineOp<ConvAttrs & { weightShape: number[] }>({
  name: 'convolution_backward_weight', label: 'conv2dᵀ', gradFn: 'ConvolutionBackwardBackward0', inputs: ['input', 'grad'],
  formulas: { input: 'conv_transpose2d(grad, grad_grad)', grad: 'conv2d(input, grad_grad)' }, saves: ['input', 'grad'],
  forward: ([x, g], a) => {
    const w = new Tensor(allocStorage(x.dtype, numelOf(a.weightShape)), a.weightShape.slice(), x.dtype);
    conv2dBackwardWeight(F(x), F(g), F(w), convGeometry(x, w, a));
    return w;
  },
  backward: (gg, { inputs: [x, g], attrs: a }, n) => {
    const s = convGeometry(x, gg, a);
    const dx = n[0] ? like(x, x.shape.slice()) : null;
    if (dx) conv2dBackwardInput(F(g), F(gg), F(dx), s);
    const dg = n[1] ? like(g, g.shape.slice()) : null;
    if (dg) conv2dForward(F(x), F(gg), null, F(dg), s);
    return [dx, dg];
  },
});

/** conv2d's backward with recording ops (see convInputGradOp): grad input, grad weight, grad bias. */
export function conv2dBackwardRecorded(g: Tensor, x: Tensor, w: Tensor, b: Tensor | undefined, a: ConvAttrs, n: boolean[]): (Tensor | null)[] {
  const gx = n[0] ? apply(convInputGradOp, [g, w], { ...a, inputShape: x.shape.slice() }) : null;
  const gw = n[1] ? apply(convWeightGradOp, [x, g], { ...a, weightShape: w.shape.slice() }) : null;
  const gb = b && n[2] ? apply(convBiasGradOp, [g], { dim: [0, 2, 3], keepdim: false }) : null;
  return b ? [gx, gw, gb] : [gx, gw];
}
/** The bias's gradient under create_graph, grad summed over all but the channels: PyTorch's node is the convolution's own double backward. */
const convBiasGradOp = { ...sumDimOp, name: 'convolution_backward_bias', gradFn: 'ConvolutionBackwardBackward0' };

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v.length > 1 ? v[1] : v[0]] : [v, v]);

export function conv2d(
  x: Tensor, weight: Tensor, bias: Tensor | null = null,
  stride: number | number[] = 1, padding: number | number[] = 0, dilation: number | number[] = 1, groups = 1,
): Tensor {
  if (x.ndim !== 4) {
    throw runtimeError(`Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [${x.shape.join(', ')}]`);
  }
  if (weight.ndim !== 4 || x.shape[1] !== weight.shape[1] * groups) {
    throw runtimeError(
      `Given groups=${groups}, weight of size [${weight.shape.join(', ')}], expected input[${x.shape.join(', ')}] to have ${weight.shape[1] * groups} channels, but got ${x.shape[1]} channels instead`,
    );
  }
  if (x.dtype !== weight.dtype) {
    throw runtimeError(`Input type (${x.dtype === 'float64' ? 'double' : 'float'}) and weight type (${weight.dtype === 'float64' ? 'double' : 'float'}) should be the same`);
  }
  const attrs: ConvAttrs = { stride: pair(stride), padding: pair(padding), dilation: pair(dilation), groups, hasBias: bias !== null };
  return apply(conv2dOp, bias ? [x, weight, bias] : [x, weight], attrs);
}

/** A [N, C, L] tensor (or [O, C/g, K] weight) as [N, C, 1, L], sharing its data: conv1d runs conv2d's kernels. */
const as2d = (t: Tensor): Tensor => new Tensor(t.data, [t.shape[0], t.shape[1], 1, t.shape[2]], t.dtype);
const as1d = (t: Tensor | null): Tensor | null => (t ? new Tensor(t.data, [t.shape[0], t.shape[1], t.shape[3]], t.dtype) : null);

/** F.conv1d: PyTorch's convolution node (ConvolutionBackward0, as conv2d), run on conv2d's kernels with a height of 1. */
export const conv1dOp = defineOp<ConvAttrs>({
  ...conv2dOp,
  name: 'conv1d', label: 'conv1d',
  forward: ([x, w, b], a) => as1d(conv2dOp.forward(b ? [as2d(x), as2d(w), b] : [as2d(x), as2d(w)], a) as Tensor)!,
  backward: (g, { inputs: [x, w, b], result, attrs, saved }, n) => {
    const r = conv2dOp.backward(as2d(g), { inputs: b ? [as2d(x), as2d(w), b] : [as2d(x), as2d(w)], result: as2d(result), attrs, saved }, n);
    return b ? [as1d(r[0]), as1d(r[1]), r[2]] : [as1d(r[0]), as1d(r[1])];
  },
});

export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, stride = 1, padding = 0, dilation = 1, groups = 1): Tensor {
  // An unbatched [C, L] input runs as a batch of one (UnsqueezeBackward0, SqueezeBackward1 around it, as PyTorch).
  if (x.ndim === 2) return squeeze(conv1d(unsqueeze(x, 0), weight, bias, stride, padding, dilation, groups), 0);
  if (x.ndim !== 3) throw runtimeError(`Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [${x.shape.join(', ')}]`);
  if (weight.ndim !== 3 || x.shape[1] !== weight.shape[1] * groups) {
    throw runtimeError(`Given groups=${groups}, weight of size [${weight.shape.join(', ')}], expected input[${x.shape.join(', ')}] to have ${weight.shape[1] * groups} channels, but got ${x.shape[1]} channels instead`);
  }
  const attrs: ConvAttrs = { stride: [1, stride], padding: [0, padding], dilation: [1, dilation], groups, hasBias: bias !== null };
  return apply(conv1dOp, bias ? [x, weight, bias] : [x, weight], attrs);
}

/**
 * F.conv_transpose2d: the adjoint of conv2d (its input gradient), recorded as PyTorch's ConvolutionBackward0.
 * With the conv2d whose input has this op's output shape, weight [Cin, Cout/g, kH, kW] is that conv's weight:
 * the forward is its input gradient, the input gradient its forward, the weight gradient its weight gradient with
 * the roles of input and output gradient swapped.
 */
interface ConvTransposeAttrs extends ConvAttrs {
  outputShape: number[];
}
export const convTranspose2dOp = defineOp<ConvTransposeAttrs>({
  name: 'conv_transpose2d', label: 'conv_transpose2d', gradFn: 'ConvolutionBackward0', inputs: ['input', 'weight', 'bias'],
  formulas: {
    input: 'conv2d(grad, weight, stride, padding, dilation, groups)',
    weight: 'conv2d(grad.transpose(0, 1), input.transpose(0, 1)).transpose(0, 1)',
    bias: 'grad.sum([0, 2, 3])',
  },
  saves: ['input', 'weight'],
  forward: ([x, w, b], a) => {
    const y = like(x, a.outputShape.slice());
    conv2dBackwardInput(F(x), F(w), F(y), convGeometry(y, w, a));
    if (b) {
      const hw = a.outputShape[2] * a.outputShape[3];
      for (let i = 0; i < y.data.length; i++) y.data[i] += b.data[Math.floor(i / hw) % a.outputShape[1]];
    }
    return y;
  },
  backward: (g, { inputs: [x, w, b], attrs: a }, n) => {
    const s = convGeometry(g, w, a);
    const gx = n[0] ? like(x, x.shape.slice()) : null;
    if (gx) conv2dForward(F(g), F(w), null, F(gx), s);
    const gw = n[1] ? like(w, w.shape.slice()) : null;
    if (gw) conv2dBackwardWeight(F(g), F(x), F(gw), s);
    const gb = b && n[2] ? like(b, b.shape.slice()) : null;
    if (gb) conv2dBackwardBias(F(g), F(gb), g.shape[0], g.shape[1], g.shape[2] * g.shape[3]);
    return b ? [gx, gw, gb] : [gx, gw];
  },
});

export function convTranspose2d(
  x: Tensor, weight: Tensor, bias: Tensor | null = null, stride: number | number[] = 1, padding: number | number[] = 0,
  outputPadding: number | number[] = 0, groups = 1, dilation: number | number[] = 1,
): Tensor {
  if (x.ndim === 3) return squeeze(convTranspose2d(unsqueeze(x, 0), weight, bias, stride, padding, outputPadding, groups, dilation), 0);
  if (x.ndim !== 4) throw runtimeError(`Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [${x.shape.join(', ')}]`);
  if (weight.ndim !== 4 || x.shape[1] !== weight.shape[0]) {
    throw runtimeError(`Given transposed=1, weight of size [${weight.shape.join(', ')}], expected input[${x.shape.join(', ')}] to have ${weight.shape[0]} channels, but got ${x.shape[1]} channels instead`);
  }
  const [sH, sW] = pair(stride);
  const [pH, pW] = pair(padding);
  const [oH, oW] = pair(outputPadding);
  const [dH, dW] = pair(dilation);
  if (oH >= Math.max(sH, dH) || oW >= Math.max(sW, dW)) {
    throw runtimeError(`output padding must be smaller than either stride or dilation, but got output_padding_height: ${oH} output_padding_width: ${oW} stride_height: ${sH} stride_width: ${sW} dilation_height: ${dH} dilation_width: ${dW}`);
  }
  const outH = (x.shape[2] - 1) * sH - 2 * pH + dH * (weight.shape[2] - 1) + oH + 1;
  const outW = (x.shape[3] - 1) * sW - 2 * pW + dW * (weight.shape[3] - 1) + oW + 1;
  const attrs: ConvTransposeAttrs = {
    stride: [sH, sW], padding: [pH, pW], dilation: [dH, dW], groups, hasBias: bias !== null, outputShape: [x.shape[0], weight.shape[1] * groups, outH, outW],
  };
  return apply(convTranspose2dOp, bias ? [x, weight, bias] : [x, weight], attrs);
}

// ---------------------------------------------------------------- pooling

interface PoolAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
}

function poolGeometry(x: Tensor, a: PoolAttrs): Pool2dShape {
  const planes = numelOf(x.shape.slice(0, -2));
  return pool2dShape({
    planes, channels: x.ndim >= 3 ? x.shape[x.ndim - 3] : 1, inH: x.shape[x.ndim - 2], inW: x.shape[x.ndim - 1], kernelH: a.kernel[0], kernelW: a.kernel[1],
    strideH: a.stride[0], strideW: a.stride[1], padH: a.padding[0], padW: a.padding[1], dilationH: a.dilation[0], dilationW: a.dilation[1],
    ceilMode: a.ceilMode,
  });
}

export const maxPool2dOp = defineOp<PoolAttrs, Int32Array>({
  name: 'max_pool2d', label: 'max_pool2d', gradFn: 'MaxPool2DWithIndicesBackward0', inputs: ['self'],
  formulas: { self: 'max_pool_double_backward(grad, indices, 2)' }, saves: ['indices'],
  forward: ([x], a) => {
    const s = poolGeometry(x, a);
    const { out, indices } = maxPool2dForward(F(x), null, null, s);
    const t = new Tensor(out, [...x.shape.slice(0, -2), ...pool2dOutputHW('max_pool2d', s)], x.dtype);
    return { out: t, saved: indices };
  },
  backward: (g, { inputs: [x], attrs: a, saved: indices }, n) => {
    if (!n[0]) return [null];
    const s = poolGeometry(x, a);
    const gx = like(x, x.shape.slice());
    maxPool2dBackward(F(g), indices, F(gx), s.planes, g.data.length / s.planes, s.inH * s.inW);
    return [gx];
  },
});

export const avgPool2dOp = defineOp<PoolAttrs & { countIncludePad: boolean; divisorOverride: number | null }>({
  name: 'avg_pool2d', label: 'avg_pool2d', gradFn: 'AvgPool2DBackward0', inputs: ['self'],
  formulas: { self: 'avg_pool2d_backward(grad, self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)' }, saves: [],
  forward: ([x], a) => {
    const s = poolGeometry(x, a);
    const out = avgPool2dForward(F(x), null, s, { countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return new Tensor(out, [...x.shape.slice(0, -2), ...pool2dOutputHW('avg_pool2d', s)], x.dtype);
  },
  backward: (g, { inputs: [x], attrs: a }, n) => {
    if (!n[0]) return [null];
    const gx = like(x, x.shape.slice());
    avgPool2dBackward(F(g), F(gx), poolGeometry(x, a), { countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return [gx];
  },
});

export const adaptiveAvgPool2dOp = defineOp<{ output: [number, number] }>({
  name: 'adaptive_avg_pool2d', label: 'adaptive_avg_pool2d', gradFn: 'AdaptiveAvgPool2DBackward0', inputs: ['self'],
  formulas: { self: '_adaptive_avg_pool2d_backward(grad, self)' }, saves: [],
  forward: ([x], { output: [oh, ow] }) => {
    const planes = numelOf(x.shape.slice(0, -2));
    const out = adaptiveAvgPool2dForward(F(x), null, planes, x.shape[x.ndim - 2], x.shape[x.ndim - 1], oh, ow);
    return new Tensor(out, [...x.shape.slice(0, -2), oh, ow], x.dtype);
  },
  backward: (g, { inputs: [x], attrs: { output: [oh, ow] } }, n) => {
    if (!n[0]) return [null];
    const planes = numelOf(x.shape.slice(0, -2));
    const gx = like(x, x.shape.slice());
    adaptiveAvgPool2dBackward(F(g), F(gx), planes, x.shape[x.ndim - 2], x.shape[x.ndim - 1], oh, ow);
    return [gx];
  },
});

export const adaptiveMaxPool2dOp = defineOp<{ output: [number, number] }, Int32Array>({
  name: 'adaptive_max_pool2d', label: 'adaptive_max_pool2d', gradFn: 'AdaptiveMaxPool2DBackward0', inputs: ['self'],
  formulas: { self: 'adaptive_max_pool2d_backward(grad, self, result1)' }, saves: ['self', 'result1'],
  forward: ([x], { output: [oh, ow] }) => {
    const planes = numelOf(x.shape.slice(0, -2));
    const { out, indices } = adaptiveMaxPool2dForward(F(x), planes, x.shape[x.ndim - 2], x.shape[x.ndim - 1], oh, ow);
    return { out: new Tensor(out, [...x.shape.slice(0, -2), oh, ow], x.dtype), saved: indices };
  },
  backward: (g, { inputs: [x], saved: indices }, n) => {
    if (!n[0]) return [null];
    const planes = numelOf(x.shape.slice(0, -2));
    const gx = like(x, x.shape.slice());
    maxPool2dBackward(F(g), indices, F(gx), planes, g.data.length / planes, x.shape[x.ndim - 2] * x.shape[x.ndim - 1]);
    return [gx];
  },
});

function check4d(op: string, x: Tensor): void {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw runtimeError(`${op}: Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: [${x.shape.join(', ')}]`);
  }
}

export function maxPool2d(
  x: Tensor, kernel: number | number[], stride: number | number[] | null = null, padding: number | number[] = 0, dilation: number | number[] = 1, ceilMode = false,
): Tensor {
  check4d('max_pool2d', x);
  const k = pair(kernel);
  return apply(maxPool2dOp, [x], { kernel: k, stride: stride === null || (Array.isArray(stride) && !stride.length) ? k : pair(stride), padding: pair(padding), dilation: pair(dilation), ceilMode });
}

export function avgPool2d(
  x: Tensor, kernel: number | number[], stride: number | number[] | null = null, padding: number | number[] = 0, countIncludePad = true, ceilMode = false,
  divisorOverride: number | null = null,
): Tensor {
  check4d('avg_pool2d', x);
  if (divisorOverride !== null && divisorOverride === 0) throw runtimeError('divisor must be not zero');
  const k = pair(kernel);
  return apply(avgPool2dOp, [x], { kernel: k, stride: stride === null ? k : pair(stride), padding: pair(padding), dilation: [1, 1], countIncludePad, ceilMode, divisorOverride });
}

/** adaptive_max_pool2d: output sizes as adaptive_avg_pool2d's (an int for both, None for the input's). */
export function adaptiveMaxPool2d(x: Tensor, output: number | (number | null)[]): Tensor {
  check4d('adaptive_max_pool2d', x);
  const o = Array.isArray(output) ? output : [output, output];
  const oh = o[0] ?? x.shape[x.ndim - 2], ow = o[1] ?? x.shape[x.ndim - 1];
  return apply(adaptiveMaxPool2dOp, [x], { output: [oh, ow] });
}

/** adaptive_avg_pool2d; an output of 1x1 is a mean over H and W, as PyTorch computes (and names) it. */
export function adaptiveAvgPool2d(x: Tensor, output: number | (number | null)[]): Tensor {
  check4d('adaptive_avg_pool2d', x);
  const o = Array.isArray(output) ? output : [output, output];
  const oh = o[0] ?? x.shape[x.ndim - 2];
  const ow = o[1] ?? x.shape[x.ndim - 1];
  if (oh === 1 && ow === 1) return mean(x, [-1, -2], true);
  return apply(adaptiveAvgPool2dOp, [x], { output: [oh, ow] });
}

// ---------------------------------------------------------------- batch norm

interface BatchNormAttrs {
  training: boolean;
  eps: number;
  hasWeight: boolean;
  hasBias: boolean;
  /** Eval mode: the running statistics used (copies, so later updates do not change this node). */
  runningMean?: FloatArray;
  runningVar?: FloatArray;
}

export const batchNormOp = defineOp<BatchNormAttrs, { mean: FloatArray; invstd: FloatArray }>({
  name: 'batch_norm', label: 'batch_norm', gradFn: 'NativeBatchNormBackward0', inputs: ['input', 'weight', 'bias'],
  slotsFor: (_inputs, a) => [0, a.hasWeight ? 1 : -1, a.hasBias ? (a.hasWeight ? 2 : 1) : -1],
  formulas: {
    input: 'batchnorm_backward(grad, input, weight, save_mean, save_invstd, training)',
    weight: 'sum(grad * (input - mean) * invstd)',
    bias: 'grad.sum([0, 2, 3])',
  },
  saves: ['input', 'weight'],
  forward: (inputs, a) => {
    const x = inputs[0];
    const w = a.hasWeight ? inputs[1] : null;
    const b = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : null;
    const shape = { batch: x.shape[0], channels: x.shape[1], hw: numelOf(x.shape.slice(2)) };
    if (a.training) {
      const r = batchNormTrainForward(F(x), w ? F(w) : null, b ? F(b) : null, null, shape, a.eps);
      return { out: new Tensor(r.out, x.shape.slice(), x.dtype), saved: { mean: r.mean, invstd: r.invstd, varUnbiased: r.varUnbiased } };
    }
    const out = batchNormEvalForward(F(x), a.runningMean!, a.runningVar!, w ? F(w) : null, b ? F(b) : null, null, shape, a.eps);
    return { out: new Tensor(out, x.shape.slice(), x.dtype), saved: { mean: a.runningMean!, invstd: invstdFromVar(a.runningVar!, a.eps) } };
  },
  backward: (g, { inputs, attrs: a, saved }, n) => {
    const x = inputs[0];
    const w = a.hasWeight ? inputs[1] : null;
    const shape = { batch: x.shape[0], channels: x.shape[1], hw: numelOf(x.shape.slice(2)) };
    const wi = a.hasWeight ? 1 : -1;
    const bi = a.hasBias ? (a.hasWeight ? 2 : 1) : -1;
    const r = batchNormBackward(F(g), F(x), w ? F(w) : null, saved.mean, saved.invstd, shape, {
      training: a.training, needInput: n[0], needWeight: wi >= 0 && n[wi], needBias: bi >= 0 && n[bi],
    });
    const out: (Tensor | null)[] = [r.gradInput ? new Tensor(r.gradInput, x.shape.slice(), x.dtype) : null];
    if (w) out.push(r.gradWeight ? new Tensor(r.gradWeight, [shape.channels], x.dtype) : null);
    if (a.hasBias) out.push(r.gradBias ? new Tensor(r.gradBias, [shape.channels], x.dtype) : null);
    return out;
  },
});

export interface BatchNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * F.instance_norm with the input's own statistics, as PyTorch computes it: the input viewed as one batch of
 * N·C channels, batch norm in training mode (weight and bias repeated N times), viewed back.
 */
export function instanceNorm(x: Tensor, o: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor {
  const spatial = x.shape.slice(2).reduce((a, b) => a * b, 1);
  if (x.ndim < 2 || spatial <= 1) {
    throw new EngineError('ValueError', `Expected more than 1 spatial element when training, got input size torch.Size([${x.shape.join(', ')}])`);
  }
  const [n, c] = x.shape;
  const flat = view(x, [1, n * c, ...x.shape.slice(2)]);
  const weight = o.weight ? repeat(o.weight, [n]) : null;
  const bias = o.bias ? repeat(o.bias, [n]) : null;
  if (weight && weight.numel !== n * c) throw runtimeError(`weight should contain ${n * c} elements not ${weight.numel}`);
  if (bias && bias.numel !== n * c) throw runtimeError(`bias should contain ${n * c} elements not ${bias.numel}`);
  return view(batchNorm(flat, { training: true, weight, bias, eps: o.eps ?? 1e-5 }), x.shape.slice());
}

/** F.batch_norm: in training, normalizes with batch statistics and updates the running ones in place. */
export function batchNorm(x: Tensor, o: BatchNormOptions = {}): Tensor {
  const training = o.training ?? false;
  const eps = o.eps ?? 1e-5;
  const c = x.shape[1];
  if (x.ndim < 2) throw new EngineError('ValueError', `expected 2D or more input (got ${x.ndim}D input)`);
  // PyTorch's order: the running statistics first, then the affine parameters.
  for (const [name, t] of [['running_mean', o.runningMean], ['running_var', o.runningVar], ['weight', o.weight], ['bias', o.bias]] as const) {
    if (t && t.numel !== c) throw runtimeError(`${name} should contain ${c} elements not ${t.numel}`);
  }
  if (!training && (!o.runningMean || !o.runningVar)) throw runtimeError('running_mean and running_var must be defined in evaluation mode');
  if (training) {
    let count = 1;
    x.shape.forEach((s, i) => i !== 1 && (count *= s));
    if (count === 1) throw new EngineError('ValueError', `Expected more than 1 value per channel when training, got input size ${sizeText(x.shape)}`);
  }
  const inputs = [x];
  if (o.weight) inputs.push(o.weight);
  if (o.bias) inputs.push(o.bias);
  const attrs: BatchNormAttrs = { training, eps, hasWeight: !!o.weight, hasBias: !!o.bias };
  if (!training) {
    attrs.runningMean = Float64Array.from(o.runningMean!.data);
    attrs.runningVar = Float64Array.from(o.runningVar!.data);
  }
  const out = apply(batchNormOp, inputs, attrs);
  if (training && o.runningMean && o.runningVar) {
    const saved = (out.gradFn?.ctx?.saved ?? recompute(x)) as { mean: FloatArray; varUnbiased: FloatArray };
    updateRunningStats(F(o.runningMean), F(o.runningVar), saved.mean, saved.varUnbiased, o.momentum ?? 0.1);
    o.runningMean.version.v++;
    o.runningVar.version.v++;
  }
  return out;
}

function recompute(x: Tensor): { mean: FloatArray; varUnbiased: FloatArray } {
  const r = batchNormTrainForward(F(x), null, null, null, { batch: x.shape[0], channels: x.shape[1], hw: numelOf(x.shape.slice(2)) });
  return { mean: r.mean, varUnbiased: r.varUnbiased };
}

/** F.dropout: identity when not training; in training, a Bernoulli mask scaled by 1/(1-p). */
export const dropoutOp = defineOp<{ p: number }, Tensor>({
  // input * noise: the noise is PyTorch's second input, which needs no grad (None in next_functions).
  name: 'dropout', label: 'dropout', gradFn: 'MulBackward0', inputs: ['self', 'noise'],
  formulas: { self: 'grad * mask / (1 - p)' }, saves: [],
  // PyTorch's CPU dropout (without MKL, or on a CPU that is not Intel's): noise = empty_like(x).bernoulli_(1 - p),
  // each element one bernoulli_distribution<double> draw (uniform double < 1 - p, two 32-bit draws);
  // noise.div_(1 - p) in x's precision; x * noise. p = 1 draws nothing: x * 0.
  forward: ([x], { p }) => {
    const mask = like(x, x.shape.slice());
    const out = like(x, x.shape.slice());
    const q = 1 - p;
    const scale = x.dtype === 'float32' ? Math.fround(1 / Math.fround(q)) : 1 / q;
    for (let i = 0; i < x.data.length; i++) {
      const keep = p === 1 ? 0 : generator.uniformDouble() < q ? scale : 0;
      mask.data[i] = keep;
      out.data[i] = x.data[i] * keep;
    }
    return { out, saved: mask };
  },
  backward: (g, { saved: mask }, n) => {
    if (!n[0]) return [null];
    const gx = like(g, g.shape.slice());
    for (let i = 0; i < g.data.length; i++) gx.data[i] = g.data[i] * mask.data[i];
    return [gx];
  },
});
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (p < 0 || p > 1) throw new EngineError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  return apply(dropoutOp, [x], { p });
}

// ---------------------------------------------------------------- binary cross-entropy

/** PyTorch's apply_loss_reduction: the unreduced loss's sum() or mean() (sum, then divided in the dtype). */
function reduceLoss(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  const out = like(losses, []);
  const d = losses.data;
  const s = d instanceof Float32Array || d instanceof Float64Array ? cascadeSum(d, 0, d.length) : Array.from(d).reduce((a, b) => a + b, 0);
  out.data[0] = reduction === 'mean' ? s / d.length : s;
  return out;
}

/** The upstream gradient per element: broadcast for a reduced loss, divided by n for 'mean'. */
function lossGradAt(g: Tensor, reduction: Reduction, n: number): (i: number) => number {
  if (reduction === 'none') return (i) => g.data[i];
  const s = reduction === 'mean' ? g.data[0] / n : g.data[0];
  return () => s;
}

function sameShapeLoss(op: string, x: Tensor, t: Tensor): void {
  if (x.shape.join() !== t.shape.join()) {
    throw new EngineError('ValueError', `Using a target size (${sizeText(t.shape)}) that is different to the input size (${sizeText(x.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  void op;
}

export const binaryCrossEntropyOp = defineOp<{ reduction: Reduction }>({
  name: 'binary_cross_entropy', label: 'bce', gradFn: 'BinaryCrossEntropyBackward0', inputs: ['self', 'target'],
  formulas: { self: 'grad * (self - target) / max((1 - self) * self, EPSILON)', target: 'grad * (log(1 - self) - log(self))' },
  saves: ['self', 'target'],
  forward: ([x, t], { reduction }) => {
    const losses = like(x, x.shape.slice());
    for (let i = 0; i < x.data.length; i++) {
      const p = x.data[i];
      if (!(p >= 0 && p <= 1)) throw runtimeError('all elements of input should be between 0 and 1');
      // PyTorch clamps the logs at -100 so that p = 0 or 1 gives a finite loss.
      losses.data[i] = -(t.data[i] * Math.max(Math.log(p), -100) + (1 - t.data[i]) * Math.max(Math.log(1 - p), -100));
    }
    return reduceLoss(losses, reduction);
  },
  backward: (g, { inputs: [x, t], attrs: { reduction } }, n) => {
    const at = lossGradAt(g, reduction, x.data.length);
    const gx = n[0] ? like(x, x.shape.slice()) : null;
    const gt = n[1] ? like(x, x.shape.slice()) : null;
    for (let i = 0; i < x.data.length; i++) {
      const p = x.data[i];
      if (gx) gx.data[i] = (at(i) * (p - t.data[i])) / Math.max((1 - p) * p, 1e-12);
      if (gt) gt.data[i] = at(i) * (Math.max(Math.log(1 - p), -100) - Math.max(Math.log(p), -100));
    }
    return [gx, gt];
  },
});

export function binaryCrossEntropy(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  sameShapeLoss('binary_cross_entropy', input, target);
  return apply(binaryCrossEntropyOp, [input, target], { reduction });
}

export const bceWithLogitsOp = defineOp<{ reduction: Reduction; weight?: Tensor | null; posWeight?: Tensor | null }>({
  name: 'binary_cross_entropy_with_logits', label: 'bce_logits', gradFn: 'BinaryCrossEntropyWithLogitsBackward0', inputs: ['self', 'target'],
  formulas: { self: 'grad * (sigmoid(self) - target)', target: '-grad * self' }, saves: ['self', 'target'],
  forward: ([x, t], { reduction, weight, posWeight }) => {
    const losses = like(x, x.shape.slice());
    const w = weight ? expandTo(weight, x.shape).data : null;
    const pw = posWeight ? expandTo(posWeight, x.shape).data : null;
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i];
      const m = Math.max(-v, 0);
      // PyTorch 1.13: (1 - t) * x + (1 + (pos_weight - 1) * t) * (log(exp(-m) + exp(-x - m)) + m), times weight.
      const lw = pw ? (pw[i] - 1) * t.data[i] + 1 : 1;
      const l = pw ? (1 - t.data[i]) * v + lw * (Math.log(Math.exp(-m) + Math.exp(-v - m)) + m) : (1 - t.data[i]) * v + m + Math.log(Math.exp(-m) + Math.exp(-v - m));
      losses.data[i] = w ? l * w[i] : l;
    }
    return reduceLoss(losses, reduction);
  },
  backward: (g, { inputs: [x, t], attrs: { reduction, weight, posWeight } }, n) => {
    const at = lossGradAt(g, reduction, x.data.length);
    const gx = n[0] ? like(x, x.shape.slice()) : null;
    const gt = n[1] ? like(x, x.shape.slice()) : null;
    const w = weight ? expandTo(weight, x.shape).data : null;
    const pw = posWeight ? expandTo(posWeight, x.shape).data : null;
    for (let i = 0; i < x.data.length; i++) {
      const s = 1 / (1 + Math.exp(-x.data[i]));
      const k = w ? w[i] : 1;
      if (gx) {
        const pt = pw ? pw[i] * t.data[i] : 0;
        gx.data[i] = at(i) * k * (pw ? (pt + 1 - t.data[i]) * s - pt : s - t.data[i]);
      }
      if (gt) gt.data[i] = at(i) * k * (pw ? Math.log(1 - s) - pw[i] * Math.log(s) : -x.data[i]);
    }
    return [gx, gt];
  },
});

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, reduction: Reduction = 'mean', weight: Tensor | null = null, posWeight: Tensor | null = null): Tensor {
  sameShapeLoss('binary_cross_entropy_with_logits', input, target);
  for (const t of [weight, posWeight]) if (t) broadcastTo(t, input.shape.slice());
  const attrs: { reduction: Reduction; weight?: Tensor; posWeight?: Tensor } = { reduction };
  if (weight) attrs.weight = weight;
  if (posWeight) attrs.posWeight = posWeight;
  return apply(bceWithLogitsOp, [input, target], attrs);
}
