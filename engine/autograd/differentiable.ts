// Backward with create_graph=True: every node's formula runs with grad mode on, so the gradients it returns
// are themselves tensors with a graph (PyTorch's double backward: a gradient of a gradient, a Hessian-vector
// product, a gradient penalty).
//
// Note: most ops' `backward` is already written with the engine's ops (exp: grad * result, sin: grad *
// self.cos(), div, tanh, ...), and those record when grad mode is on. Some take raw fast paths that record
// nothing (mul's fused dot, pow's one-pass formula, sum's expand, the view ops' aliases); for those, the
// formula of derivatives.yaml is written out here with recording ops. An op in neither list cannot form a
// second derivative here: rather than return a gradient without its graph (a wrong second derivative, silently),
// the backward says so.
import { runtimeError, withoutGrad } from '../context';
import { allocStorage, type DType } from '../dtype';
import { Tensor, zerosOf } from '../tensor';
import type { BackwardContext, GradNode } from './node';
import { add, div, gt, mul, pow, powLog, rsub, sameShape, sub } from '../ops/arith';
import { where } from '../ops/select';
import { cosh, erfT, flip, sinh } from '../ops/more';
import { asStridedOp } from '../ops/inplace';
import { cumsum, mean, sum } from '../ops/reduce';
import { cat, expand, index, inversePerm, permute, reshape, sliceDim, sumToDims, toDtypeOp, transpose, unsqueeze, type IndexItem } from '../ops/shape';
import { apply, applyMulti, defineOp, type MultiOutputDef, type OpDef } from '../ops/define';
import { abs, cos, exp, log, log1p, neg, rsqrt, sigmoid, sign, sin, sqrt, square, tanh } from '../ops/unary';
import { checkSrcGradShape, cross, logcumsumexp, scatter } from '../ops/extra';
import { cdistBackwardOp } from '../ops/misc';
import { bmm, matmul, mm, mv } from '../ops/linalg';
import { solve } from '../ops/lu';
import { conv2dBackwardRecorded, conv2dOp, convWeightGradOp, multiMarginBackwardOp } from '../ops/nn';
import { gather, indexSelect } from '../ops/more';

type Formula = (g: Tensor, ctx: BackwardContext, needs: boolean[]) => (Tensor | null)[];

/** Ops whose own backward records: checked one by one (they call mul, div, neg, cos, rsub, ... only). */
const RECORDING = new Set([
  'AddBackward0', 'SubBackward0', 'NegBackward0', 'DivBackward0', 'DivBackward1', 'RsubBackward1', 'PowBackward2',
  'ExpBackward0', 'LogBackward0', 'SqrtBackward0', 'SinBackward0', 'CosBackward0', 'TanhBackward0', 'SigmoidBackward0',
  'AbsBackward0', 'ReciprocalBackward0', 'Log1PBackward0', 'Expm1Backward0', 'SignBackward0',
  'FloorBackward0', 'CeilBackward0', 'RoundBackward0', 'RsqrtBackward0',
  // grad times the next function of the family (digamma, polygamma(n + 1)), itself a recorded op.
  'LgammaBackward0', 'DigammaBackward0', 'PolygammaBackward0', 'MvlgammaBackward0',
  'EuclideanDistBackward0', 'RenormBackward0', 'I0Backward0', 'SpecialI0EBackward0', 'SpecialI1Backward0', 'SpecialI1EBackward0', 'SpecialNdtriBackward0', 'SpecialLogNdtrBackward0', 'SpecialEntrBackward0', 'SpecialXlog1PyBackward0', 'SpecialXlog1PyBackward1', 'SpecialXlog1PyBackward2', 'RoundBackward1',
  // zeros_like(grad), or a formula of mul, neg and floor_divide (constant): their second derivative is 0.
  'ZeroBackward0', 'FillBackward2', 'DivBackward2', 'RemainderBackward0', 'AddBackward1',
  'CopyBackwards', 'BernoulliBackward0', 'BernoulliBackward1', 'BernoulliBackward2', 'ExponentialBackward0', 'GeometricBackward0',
]);

/**
 * Ops whose local derivative is piecewise constant (clamp, leaky_relu, hardtanh, maximum, where, lerp by a
 * number, ...): each input's gradient is grad ⊙ D with D not depending on the inputs differentiably, so D is
 * the raw backward of a gradient of ones, and grad ⊙ D is recorded. Second derivatives through them are 0, as
 * in PyTorch.
 */
const PIECEWISE_LINEAR = new Set([
  'ReluBackward0', 'ClampBackward1', 'ClampMinBackward0', 'ClampMaxBackward0', 'LeakyReluBackward0', 'HardtanhBackward0', 'TruncBackward0',
  'SgnBackward0', 'FracBackward0', 'MaximumBackward0', 'MinimumBackward0', 'WhereBackward0', 'LerpBackward0',
  'HardsigmoidBackward0', 'MaskedFillBackward0', 'NanToNumBackward0', 'CopysignBackward0', 'CopysignBackward1', 'ThresholdBackward0',
]);

/**
 * grad ⊙ D as one recorded op over the grad and the node's inputs: its gradient is gg ⊙ D for the grad and 0 for
 * the inputs. So, as in PyTorch (where relu's gradient is threshold_backward(grad, result)), the gradient
 * requires grad whenever an input does, and a second derivative through it is 0, not an error.
 */
const maskedGradOp = defineOp<{ d: Tensor }>({
  name: 'masked_grad', label: 'masked grad', gradFn: 'MaskedGradBackward', inputs: ['grad'], formulas: { grad: 'grad * mask' }, saves: [],
  forward: ([g], { d }) => withoutGrad(() => mul(g, d)),
  backward: (gg, { inputs, attrs: { d } }, n) => [n[0] ? mul(gg, d) : null, ...inputs.slice(1).map((x, k) => (n[k + 1] ? zerosOf(x) : null))],
});

/**
 * PyTorch's relu, hardtanh and leaky_relu gradients are functions of (grad, self) (threshold_backward and the
 * like): they require grad when self does. clamp's, maximum's and where's mask the grad alone.
 */
const OF_GRAD_AND_SELF = new Set(['ReluBackward0', 'HardtanhBackward0', 'LeakyReluBackward0']);

/**
 * Reductions to one number whose gradient is grad times a locally constant mask (nll_loss's one-hot of the
 * targets, max's and min's argmax): piecewise linear as above when the grad is a single number.
 */
const SCALAR_PIECEWISE = new Set(['NllLossBackward0', 'MaxBackward1', 'MinBackward1']);

function piecewiseLinear(name: string, op: OpDef, ctx: BackwardContext, g: Tensor, needs: boolean[]): (Tensor | null)[] {
  const ones = new Tensor(allocStorage(g.dtype, g.numel), g.shape.slice(), g.dtype);
  ones.data.fill(1);
  const local = withoutGrad(() => op.backward(ones, ctx, needs));
  if (!OF_GRAD_AND_SELF.has(name)) return local.map((d) => (d ? mul(g, d) : null));
  const inputs = ctx.inputs.filter((t) => t.requiresGrad);
  return local.map((d) => (d ? apply(maskedGradOp, [g, ...inputs], { d }) : null));
}

/** t.to(dtype), recording (ToCopyBackward0), as PyTorch's engine casts a gradient to its input's dtype. */
export function toDtypeRecorded(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : apply(toDtypeOp, [t], { dtype });
}

/**
 * Ops linear in their one input, whose structure does not depend on its values (flip, tril, gather with fixed
 * indices, diagonal, resizing, average pooling, zero padding, mul by a number, embedding's rows): the backward Lᵀg is linear in g, and its
 * own backward is L again, the op's forward. So the backward is recorded as one op whose backward is the
 * forward, and a second derivative through it is exact. (Not sort, topk, max(dim) or max pooling: their
 * selection depends on the values.)
 */
const LINEAR = new Set([
  'FlipBackward0', 'RollBackward0', 'RepeatBackward0', 'TrilBackward0', 'TriuBackward0', 'IndexSelectBackward0',
  'GatherBackward0', 'MaskedSelectBackward0', 'DiagonalBackward0', 'EmbeddingBackward0', 'MulBackward1',
  'UpsampleNearest1DBackward1', 'UpsampleNearest2DBackward1', 'UpsampleLinear1DBackward1', 'UpsampleBilinear2DBackward1',
  'IndexBackward0', 'AvgPool2DBackward0', 'AdaptiveAvgPool2DBackward0', 'ConstantPadNdBackward0',
  // Their selection is fixed at the forward pass (the pick map), so forward(g) is the same linear map.
  'SortBackward0', 'TopkBackward0', 'MedianBackward0', 'MedianBackward1', 'SliceBackward0', 'SelectBackward0', 'AliasBackward0',
  'DiagBackward0', 'TakeBackward0', 'KthvalueBackward0', 'ModeBackward0', 'CummaxBackward0', 'CumminBackward0', 'TraceBackward0',
  'Rad2DegBackward0', 'Deg2RadBackward0', 'IndexFillBackward0', 'ScatterBackward1', 'PixelShuffleBackward0', 'PixelUnshuffleBackward0',
  'Rot90Backward0', 'AsStridedBackward0',
  'ReflectionPad1DBackward0', 'ReflectionPad2DBackward0', 'ReflectionPad3DBackward0', 'ReplicationPad1DBackward0', 'ReplicationPad2DBackward0', 'ReplicationPad3DBackward0',
]);

/**
 * Ops that select by indices they saved (max over a dim, max pooling): the backward scatters the grad to the
 * saved positions, so its own backward gathers from the same positions (not a max of the new grad).
 */
const GATHER_SAVED: Record<string, (gg: Tensor, ctx: BackwardContext) => Tensor> = {
  MaxBackward0: gatherAlongDim,
  MinBackward0: gatherAlongDim,
  MaxPool2DWithIndicesBackward0: gatherPlanes,
  AdaptiveMaxPool2DBackward0: gatherPlanes,
};

/** gg at the saved argmax along dim: the values' layout (keepdim or not). */
function gatherAlongDim(gg: Tensor, { inputs: [x], result, attrs: { dim }, saved: indices }: BackwardContext): Tensor {
  const out = new Tensor(allocStorage(gg.dtype, result.numel), result.shape.slice(), gg.dtype);
  if (x.ndim === 0) {
    out.data[0] = gg.data[0];
    return out;
  }
  const d = dim < 0 ? dim + x.ndim : dim;
  const size = x.shape[d];
  let inner = 1;
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i];
  const outer = x.numel / (size * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) out.data[o * inner + i] = gg.data[o * size * inner + (indices as Tensor).data[o * inner + i] * inner + i];
  return out;
}

/** gg at each pooled output's saved position in its plane. */
function gatherPlanes(gg: Tensor, { inputs: [x], result, saved: indices }: BackwardContext): Tensor {
  const out = new Tensor(allocStorage(gg.dtype, result.numel), result.shape.slice(), gg.dtype);
  const planeIn = x.shape[x.ndim - 2] * x.shape[x.ndim - 1];
  const planeOut = result.shape[result.ndim - 2] * result.shape[result.ndim - 1];
  const idx = indices as Int32Array;
  for (let k = 0; k < out.data.length; k++) out.data[k] = gg.data[Math.floor(k / planeOut) * planeIn + idx[k]];
  return out;
}

const adjointOps = new Map<OpDef, OpDef<{ ctx: BackwardContext }>>();

function adjointOf(op: OpDef, gradFn: string): OpDef<{ ctx: BackwardContext }> {
  let adj = adjointOps.get(op);
  const gather = GATHER_SAVED[gradFn];
  if (!adj && gather) {
    adj = defineOp<{ ctx: BackwardContext }>({
      name: `${op.name}_backward`, label: `${op.label}ᵀ`, gradFn: gradFn.replace(/Backward\d*$/, 'BackwardBackward0'), inputs: ['grad'],
      formulas: { grad: 'grad gathered at the saved indices' }, saves: [],
      forward: ([g], { ctx }) => withoutGrad(() => op.backward(g, ctx, [true])[0]!),
      backward: (gg, { attrs: { ctx } }, n) => [n[0] ? gather(gg, ctx) : null],
    });
    adjointOps.set(op, adj);
  }
  if (!adj) {
    adj = defineOp<{ ctx: BackwardContext }>({
      name: `${op.name}_backward`, label: `${op.label}ᵀ`, gradFn: gradFn.replace(/Backward\d*$/, 'BackwardBackward0'), inputs: ['grad'],
      formulas: { grad: `${op.name}(grad)` }, saves: [],
      forward: ([g], { ctx }) => withoutGrad(() => op.backward(g, ctx, [true])[0]!),
      backward: (gg, { attrs: { ctx } }, n) => {
        if (!n[0]) return [null];
        // The linear part of the forward: constant padding's value is a constant term, not part of L.
        // (So are index_fill's and scatter's value.)
        const attrs = ctx.attrs && typeof ctx.attrs === 'object' && 'fill' in ctx.attrs ? { ...ctx.attrs, fill: 0 } : ctx.attrs && typeof ctx.attrs === 'object' && 'value' in ctx.attrs ? { ...ctx.attrs, value: 0 } : ctx.attrs;
        const r = withoutGrad(() => op.forward([gg], attrs));
        return [r instanceof Tensor ? r : r.out];
      },
    });
    adjointOps.set(op, adj);
  }
  return adj;
}

/** sum_to(grad, shape), recording: the broadcast dims summed, then viewed as `shape`. */
export function sumToRecorded(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const dims = sumToDims(g.shape, shape);
  const summed = dims.length ? sum(g, dims, true) : g;
  return reshape(summed, shape.slice());
}

/** grad of a reduction over `dims` (normalized; all when null), back to the input's shape. */
function unreduce(g: Tensor, x: Tensor, dim: number[] | null, keepdim: boolean): Tensor {
  let r = g;
  if (!keepdim && x.ndim > 0) {
    const dims = (dim === null || dim.length === 0 ? [...Array(x.ndim).keys()] : dim.map((d) => (d < 0 ? d + x.ndim : d))).sort((a, b) => a - b);
    for (const d of dims) r = unsqueeze(r, d);
  }
  return expand(r, x.shape.slice());
}

/** derivatives.yaml's formulas, recording, for the ops whose backward takes a raw path. */
const FORMULAS: Record<string, Formula> = {
  MulBackward0: (g, { inputs: [a, b] }, n) => [n[0] ? mul(g, b) : null, n[1] ? mul(g, a) : null],
  // torch.square is recorded as PowBackward0 too, with no exponent attribute: its exponent is 2.
  PowBackward0: (g, { inputs: [a], attrs }, n) => {
    const exponent: number = attrs?.exponent ?? 2;
    return [n[0] ? (exponent === 0 ? mul(g, 0) : mul(g, mul(pow(a, exponent - 1), exponent))) : null];
  },
  // The exponent's gradient masks self.log() where self is 0 and the exponent is not negative, as PyTorch does.
  PowBackward1: (g, { inputs: [a, e], result }, n) => {
    if (!n[1]) return [n[0] ? mul(mul(g, e), pow(a, sub(e, 1))) : null, null];
    const { zero } = powLog(a, e, result.dtype);
    return [n[0] ? mul(mul(g, e), pow(a, sub(e, 1))) : null, mul(mul(g, result), where(zero, 0, log(a)))];
  },
  SumBackward0: (g, { inputs: [x] }, n) => [n[0] ? unreduce(g, x, null, false) : null],
  SumBackward1: (g, { inputs: [x], attrs: { dim, keepdim } }, n) => [n[0] ? unreduce(g, x, dim, keepdim) : null],
  MeanBackward0: (g, { inputs: [x] }, n) => [n[0] ? div(unreduce(g, x, null, false), Math.max(x.numel, 1)) : null],
  MeanBackward1: (g, { inputs: [x], attrs: { dim, keepdim } }, n) => {
    if (!n[0]) return [null];
    const dims: number[] = dim === null || dim.length === 0 ? [...Array(x.ndim).keys()] : dim;
    const count = dims.reduce((c: number, d: number) => c * x.shape[d < 0 ? d + x.ndim : d], 1);
    return [div(unreduce(g, x, dim, keepdim), count)];
  },
  ViewBackward0: (g, { inputs: [x] }, n) => [n[0] ? reshape(g, x.shape.slice()) : null],
  ReshapeAliasBackward0: (g, { inputs: [x] }, n) => [n[0] ? reshape(g, x.shape.slice()) : null],
  UnsafeViewBackward0: (g, { inputs: [x] }, n) => [n[0] ? reshape(g, x.shape.slice()) : null],
  UnsqueezeBackward0: (g, { inputs: [x] }, n) => [n[0] ? reshape(g, x.shape.slice()) : null],
  SqueezeBackward0: (g, { inputs: [x] }, n) => [n[0] ? reshape(g, x.shape.slice()) : null],
  SqueezeBackward1: (g, { inputs: [x] }, n) => [n[0] ? reshape(g, x.shape.slice()) : null],
  ExpandBackward0: (g, { inputs: [x] }, n) => [n[0] ? sumToRecorded(g, x.shape) : null],
  PermuteBackward0: (g, { attrs: { dims } }, n) => [n[0] ? permute(g, inversePerm(dims)) : null],
  TransposeBackward0: (g, { attrs: { dims } }, n) => [n[0] ? permute(g, inversePerm(dims)) : null],
  TBackward0: (g, { attrs: { dims } }, n) => [n[0] ? permute(g, inversePerm(dims)) : null],
  CloneBackward0: (g, _c, n) => [n[0] ? g : null],
  ToCopyBackward0: (g, { inputs: [x] }, n) => [n[0] ? toDtypeRecorded(g, x.dtype) : null],
  SinhBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, cosh(x)) : null],
  CoshBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, sinh(x)) : null],
  MmBackward0: (g, { inputs: [a, b] }, n) => [n[0] ? mm(g, transpose(b, 0, 1)) : null, n[1] ? mm(transpose(a, 0, 1), g) : null],
  BmmBackward0: (g, { inputs: [a, b] }, n) => [n[0] ? bmm(g, transpose(b, 1, 2)) : null, n[1] ? bmm(transpose(a, 1, 2), g) : null],
  DotBackward0: (g, { inputs: [a, b] }, n) => [n[0] ? mul(g, b) : null, n[1] ? mul(g, a) : null],
  MvBackward0: (g, { inputs: [a, v] }, n) => [n[0] ? mul(unsqueeze(g, 1), unsqueeze(v, 0)) : null, n[1] ? mv(transpose(a, 0, 1), g) : null],
  CumsumBackward0: (g, { attrs: { dim } }, n) => [n[0] ? flip(cumsum(flip(g, [dim]), dim), [dim]) : null],
  AtanBackward0: (g, { inputs: [x] }, n) => [n[0] ? div(g, add(square(x), 1)) : null],
  ErfBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))) : null],
  Log2Backward0: (g, { inputs: [x] }, n) => [n[0] ? div(g, mul(x, Math.LN2)) : null],
  Log10Backward0: (g, { inputs: [x] }, n) => [n[0] ? div(g, mul(x, Math.LN10)) : null],
  Exp2Backward0: (g, { result }, n) => [n[0] ? mul(g, mul(result, Math.LN2)) : null],
  SiluBackward0: (g, { inputs: [x] }, n) => {
    if (!n[0]) return [null];
    const s = sigmoid(x);
    return [mul(g, mul(s, add(mul(x, rsub(s, 1)), 1)))];
  },
  LogSigmoidBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, sigmoid(neg(x))) : null],
  GeluBackward0: (g, { inputs: [x], attrs }, n) => {
    if (!n[0]) return [null];
    if (attrs?.tanh) {
      // 0.5·(1 + t) + 0.5·x·(1 − t²)·k·(1 + 3·0.044715·x²), t = tanh(k·(x + 0.044715·x³))
      const k = Math.sqrt(2 / Math.PI);
      const t = tanh(mul(add(x, mul(pow(x, 3), 0.044715)), k));
      const inner = mul(mul(mul(x, rsub(square(t), 1)), 0.5 * k), add(mul(square(x), 3 * 0.044715), 1));
      return [mul(g, add(mul(add(t, 1), 0.5), inner))];
    }
    // Φ(x) + x·φ(x)
    const cdf = mul(add(erfT(mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [mul(g, add(cdf, mul(x, pdf)))];
  },
  EluBackward0: (g, { inputs: [x], attrs: { alpha, scale, inputScale } }, n) =>
    [n[0] ? mul(g, where(gt(x, 0), scale, mul(exp(mul(x, inputScale)), scale * alpha * inputScale))) : null],
  SoftplusBackward0: (g, { inputs: [x], attrs: { beta, threshold } }, n) =>
    [n[0] ? mul(g, where(gt(mul(x, beta), threshold), 1, sigmoid(mul(x, beta)))) : null],
  MishBackward0: (g, { inputs: [x] }, n) => {
    if (!n[0]) return [null];
    const t = tanh(where(gt(x, 20), x, log1p(exp(x))));
    return [mul(g, add(t, mul(mul(x, sigmoid(x)), rsub(square(t), 1))))];
  },
  // prod_backward where no element is 0: grad · result / self. (With zeros PyTorch takes products of the
  // others; not written here, so it says so.)
  ProdBackward0: (g, ctx, n) => prodRecorded(g, ctx, n),
  ProdBackward1: (g, ctx, n) => prodRecorded(g, ctx, n),
  SoftmaxBackward0: (g, { result: y, attrs: { dim } }, n) => [n[0] ? mul(y, sub(g, sum(mul(g, y), [dim], true))) : null],
  LogSoftmaxBackward0: (g, { result: y, attrs: { dim } }, n) => [n[0] ? sub(g, mul(exp(y), sum(g, [dim], true))) : null],
  MseLossBackward0: (g, { inputs: [a, b], attrs: { reduction } }, n) => {
    const ga = () => mul(g, mul(sub(a, b), reduction === 'mean' ? 2 / Math.max(a.numel, 1) : 2));
    return [n[0] ? ga() : null, n[1] ? neg(ga()) : null];
  },
  CatBackward0: (g, { inputs, attrs: { dim } }, n) => {
    const d = dim < 0 ? dim + g.ndim : dim;
    let offset = 0;
    return inputs.map((x, k) => {
      const start = offset;
      offset += x.ndim === 1 && x.shape[0] === 0 ? 0 : x.shape[d];
      if (!n[k]) return null;
      const items: IndexItem[] = Array.from({ length: d }, () => ({ start: null, stop: null, step: null }));
      items.push({ start, stop: offset, step: null });
      return index(g, items);
    });
  },
  StackBackward0: (g, { inputs, attrs: { dim } }, n) => {
    const d = dim < 0 ? dim + g.ndim : dim;
    return inputs.map((_x, k) => {
      if (!n[k]) return null;
      const items: IndexItem[] = Array.from({ length: d }, () => ({ start: null, stop: null, step: null }));
      items.push(k);
      return index(g, items);
    });
  },
  ConvolutionBackward0: (g, { inputs: [x, w, b], attrs }, n) => {
    if (attrs.outputShape) {
      // conv_transpose2d, the adjoint of conv2d: its input gradient is conv2d(grad, weight), its weight gradient
      // conv2d's weight gradient with grad as the input and the input as the output gradient.
      const { outputShape, ...conv } = attrs;
      const gx = n[0] ? apply(convAsGradOp, [g, w], { ...conv, hasBias: false }) : null;
      const gw = n[1] ? apply(convWeightGradOp, [g, x], { ...conv, weightShape: w.shape.slice() }) : null;
      const gb = b && n[2] ? conv2dBackwardRecorded(g, x, w, b, conv, [false, false, true])[2] : null;
      return b ? [gx, gw, gb] : [gx, gw];
    }
    if (x.ndim === 4) return conv2dBackwardRecorded(g, x, w, b, attrs, n);
    // conv1d: the same with a height of 1.
    const r = conv2dBackwardRecorded(unsqueeze(g, 2), unsqueeze(x, 2), unsqueeze(w, 2), b, attrs, n);
    return r.map((t, k) => (t && k < 2 ? reshape(t, (k === 0 ? x : w).shape.slice()) : t));
  },
  // p-norms (not ±inf): grad · self · |self|^(p−2) / norm^(p−1), 0 where the norm is 0, as norm_backward.
  NormBackward1: (g, { inputs: [x], result, attrs: { p, dim, keepdim } }, n) => {
    if (!n[0]) return [null];
    if (!Number.isFinite(p) || p === 0) throw runtimeError(`create_graph=True: the derivative of a ${p}-norm is not differentiable in this playground`);
    const dims: number[] | null = dim;
    const norm = unreduce(result, x, dims, keepdim);
    const scaled = p === 2 ? div(x, norm) : p === 1 ? sign(x) : mul(x, div(pow(abs(x), p - 2), pow(norm, p - 1)));
    const safe = where(withoutGrad(() => eqZero(norm)), 0, scaled);
    return [mul(unreduce(g, x, dims, keepdim), safe)];
  },
  LinalgVectorNormBackward0: (g, ctx, n) => FORMULAS.NormBackward1(g, ctx, n),
  // var_backward: grad · 2 (self − mean) / (N − correction); std's divides that by 2·std.
  VarBackward0: (g, { inputs: [x], attrs: { dim, correction, keepdim } }, n) => [n[0] ? varGrad(g, x, dim, correction, keepdim) : null],
  StdBackward0: (g, { inputs: [x], result, attrs: { dim, correction, keepdim } }, n) =>
    [n[0] ? div(varGrad(g, x, dim, correction, keepdim), mul(unreduce(result, x, dim, keepdim), 2)) : null],
  HypotBackward0: (g, { inputs: [a, b], result }, n) => [n[0] ? mul(g, div(a, result)) : null, n[1] ? mul(g, div(b, result)) : null],
  Atan2Backward0: (g, { inputs: [a, b] }, n) => {
    const denom = () => add(square(a), square(b));
    return [n[0] ? mul(g, div(b, denom())) : null, n[1] ? mul(g, div(neg(a), denom())) : null];
  },
  AddmmBackward0: (g, { inputs: [bias, a, b], attrs }, n) => {
    const beta = attrs?.beta ?? 1;
    const alpha = attrs?.alpha ?? 1;
    const scaled = (t: Tensor, s: number) => (s === 1 ? t : mul(t, s));
    return [n[0] ? sumToRecorded(scaled(g, beta), bias.shape) : null, n[1] ? scaled(mm(g, transpose(b, 0, 1)), alpha) : null, n[2] ? scaled(mm(transpose(a, 0, 1), g), alpha) : null];
  },
  BaddbmmBackward0: (g, { inputs: [self, a, b], attrs: { beta, alpha } }, n) => {
    const scaled = (t: Tensor, s: number) => (s === 1 ? t : mul(t, s));
    return [n[0] ? sumToRecorded(scaled(g, beta), self.shape) : null, n[1] ? scaled(bmm(g, transpose(b, 1, 2)), alpha) : null, n[2] ? scaled(bmm(transpose(a, 1, 2), g), alpha) : null];
  },
  AsinBackward0: (g, { inputs: [x] }, n) => [n[0] ? div(g, sqrt(rsub(square(x), 1))) : null],
  AcosBackward0: (g, { inputs: [x] }, n) => [n[0] ? neg(div(g, sqrt(rsub(square(x), 1)))) : null],
  // hardswish_backward: 0 below −3, self/3 + 0.5 up to 3, 1 above.
  HardswishBackward0: (g, { inputs: [x] }, n) => {
    if (!n[0]) return [null];
    const mid = constMask(x, (v) => v >= -3 && v <= 3);
    const high = constMask(x, (v) => v > 3);
    return [mul(g, add(mul(mid, add(div(x, 3), 0.5)), high))];
  },
  // logsumexp_backward: grad · exp(self − result), both unreduced.
  LogsumexpBackward0: (g, { inputs: [x], result, attrs: { dims, keepdim } }, n) =>
    [n[0] ? mul(unreduce(g, x, dims, keepdim), exp(sub(x, unreduce(result, x, dims, keepdim)))) : null],
  // amax/amin: the grad shared evenly among the extreme elements (a mask fixed by the values).
  AmaxBackward0: (g, ctx, n) => extremeShare(g, ctx, n),
  AminBackward0: (g, ctx, n) => extremeShare(g, ctx, n),
  // norm_backward of self − other, and its negative.
  DistBackward0: (g, { inputs: [a, b], result, attrs: { p } }, n) => {
    const gd = FORMULAS.NormBackward1(g, { inputs: [sub(a, b)], result, attrs: { p, dim: null, keepdim: false }, saved: undefined }, [true])[0]!;
    return [n[0] ? gd : null, n[1] ? neg(gd) : null];
  },
  // glu_backward: [grad · σ(b), grad · a · σ(b) · (1 − σ(b))] along dim.
  GluBackward0: (g, { inputs: [x], attrs: { dim } }, n) => {
    if (!n[0]) return [null];
    const d = dim < 0 ? dim + x.ndim : dim;
    const half = x.shape[d] / 2;
    const a = sliceDim(x, d, 0, half);
    const s = sigmoid(sliceDim(x, d, half, 2 * half));
    return [cat([mul(g, s), mul(mul(mul(g, a), s), rsub(s, 1))], d)];
  },
  NativeLayerNormBackward0: (g, { inputs: [x, w, b], attrs: { normalized, eps } }, n) => {
    const dims = normalized.map((_: number, i: number) => x.ndim - normalized.length + i);
    const lead = [...Array(x.ndim - normalized.length).keys()];
    return normRecorded(g, x, w ?? null, b ?? null, n, dims, eps, (t) => t, (t) => (lead.length ? sum(t, lead) : t));
  },
  NativeGroupNormBackward0: (g, { inputs: [x, w, b], attrs: { groups, eps } }, n) => {
    const [N, C] = x.shape;
    const hw = x.numel / Math.max(N * C, 1);
    const grouped = (t: Tensor) => reshape(t, [N, groups, (C / groups) * hw]);
    const perChannel = (t: Tensor) => reshape(expand(reshape(t, [groups, C / groups, 1]), [groups, C / groups, hw]), [1, groups, (C / groups) * hw]);
    const channelSum = (t: Tensor) => sum(reshape(t, [N, C, hw]), [0, 2]);
    const r = normRecorded(grouped(g), grouped(x), w ? perChannel(w) : null, b ?? null, n, [2], eps, (t) => t, channelSum);
    return [r[0] ? reshape(r[0], x.shape.slice()) : null, ...r.slice(1)];
  },
  NativeBatchNormBackward0: (g, ctx, n) => batchNormRecorded(g, ctx, n),
  // xlogy: grad · xlogy(self ≠ 0, other) and grad · self / other.
  XlogyBackward0: (g, { inputs: [a, b] }, n) => [n[0] ? mul(g, mul(constMask(a, (v) => v !== 0), log(b))) : null, n[1] ? mul(g, div(a, b)) : null],
  BinaryCrossEntropyBackward0: (g, { inputs: [x, t], attrs: { reduction } }, n) => {
    const gr = lossGrad(g, x.shape, reduction);
    return [
      n[0] ? div(mul(gr, sub(x, t)), clampMinRecorded(mul(x, rsub(x, 1)), 1e-12)) : null,
      n[1] ? mul(gr, sub(log(rsub(x, 1)), log(x))) : null,
    ];
  },
  BinaryCrossEntropyWithLogitsBackward0: (g, { inputs: [x, t], attrs: { reduction, weight, posWeight } }, n) => {
    const gr = lossGrad(g, x.shape, reduction);
    const gw = weight ? mul(gr, weight) : gr;
    const s = sigmoid(x);
    if (!posWeight) return [n[0] ? mul(gw, sub(s, t)) : null, n[1] ? mul(gw, neg(x)) : null];
    const pt = mul(posWeight, t);
    return [
      n[0] ? mul(gw, sub(mul(add(pt, rsub(t, 1)), s), pt)) : null,
      n[1] ? mul(gw, sub(log(rsub(s, 1)), mul(posWeight, log(s)))) : null,
    ];
  },
  SmoothL1LossBackward0: (g, ctx, n) => piecewiseLoss(g, ctx, n, (r, beta) => (beta === 0 ? sign(r) : add(mul(constMask(r, (v) => Math.abs(v) < beta), div(r, beta)), mul(constMask(r, (v) => !(Math.abs(v) < beta)), sign(r))))),
  HuberLossBackward0: (g, ctx, n) => piecewiseLoss(g, ctx, n, (r, delta) => add(mul(constMask(r, (v) => Math.abs(v) < delta), r), mul(constMask(r, (v) => !(Math.abs(v) < delta)), mul(sign(r), delta)))),
  TanBackward0: (g, { result }, n) => [n[0] ? mul(g, add(square(result), 1)) : null],
  AsinhBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, rsqrt(add(square(x), 1))) : null],
  AcoshBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, rsqrt(sub(square(x), 1))) : null],
  AtanhBackward0: (g, { inputs: [x] }, n) => [n[0] ? div(g, rsub(square(x), 1)) : null],
  ErfcBackward0: (g, { inputs: [x] }, n) => [n[0] ? mul(g, mul(exp(neg(square(x))), -2 / Math.sqrt(Math.PI))) : null],
  ErfinvBackward0: (g, { result }, n) => [n[0] ? mul(g, mul(exp(square(result)), 0.5 * Math.sqrt(Math.PI))) : null],
  LogaddexpBackward0: (g, { inputs: [a, b] }, n) => [n[0] ? div(g, add(exp(sub(b, a)), 1)) : null, n[1] ? div(g, add(exp(sub(a, b)), 1)) : null],
  LogitBackward0: (g, { inputs: [x], attrs: { lo, hi } }, n) => {
    if (!n[0]) return [null];
    const d = div(g, mul(x, rsub(x, 1)));
    return [lo === null ? d : mul(d, constMask(x, (v) => v >= lo && v <= hi))];
  },
  FmodBackward0: (g, _c, n) => [n[0] ? g : null],
  // _cdist_backward, twice; PyTorch has no derivative of it (a NotImplemented node, failing if gone through).
  CdistBackward0: (g, { inputs: [a, b], result, attrs }, n) => [
    n[0] ? apply(cdistBackwardOp, [g, a, b, result], { ...attrs, second: false }) : null,
    n[1] ? apply(cdistBackwardOp, [g, a, b, result], { ...attrs, second: true }) : null,
  ],
  // block_diag_backward: each input's block of the grad.
  BlockDiagBackward0: (g, { inputs, attrs: { shapes } }, n) => {
    let r0 = 0;
    let c0 = 0;
    return inputs.map((x, k) => {
      const [r, c] = shapes[k] as [number, number];
      const block = n[k] ? reshape(sliceDim(sliceDim(g, 0, r0, r0 + r), 1, c0, c0 + c), x.shape.slice()) : null;
      r0 += r;
      c0 += c;
      return block;
    });
  },
  FmodBackward1: (g, { inputs: [a, b] }, n) => [n[0] ? g : null, n[1] ? mul(neg(g), withoutGrad(() => truncOf(div(a, b)))) : null],
  AddcmulBackward0: (g, { inputs: [, t1, t2], attrs: { value } }, n) => [n[0] ? g : null, n[1] ? mul(mul(g, t2), value) : null, n[2] ? mul(mul(g, t1), value) : null],
  AddcdivBackward0: (g, { inputs: [, t1, t2], attrs: { value } }, n) =>
    [n[0] ? g : null, n[1] ? div(mul(g, value), t2) : null, n[2] ? neg(div(mul(mul(g, value), t1), square(t2))) : null],
  NansumBackward0: (g, { inputs: [x], attrs: { dims, keepdim } }, n) => [n[0] ? mul(unreduce(g, x, dims, keepdim), constMask(x, (v) => v === v)) : null],
  LinalgCrossBackward0: (g, { inputs: [a, b], attrs: { dim } }, n) => [n[0] ? cross(b, g, dim) : null, n[1] ? cross(g, a, dim) : null],
  // cumprod_backward where no element is 0: the reversed cumulative sum of grad · result, over self.
  // sinc_backward: grad · (πx·cos(πx) − sin(πx)) / (πx²), 0 where πx² is 0 (a where, whose other branch is NaN there).
  SincBackward0: (g, { inputs: [x] }, n) => {
    if (!n[0]) return [null];
    const xpi = mul(x, Math.PI);
    const sq = mul(mul(x, x), Math.PI);
    return [where(withoutGrad(() => eqZero(sq)), 0, div(mul(g, sub(mul(xpi, cos(xpi)), sin(xpi))), sq))];
  },
  // logcumsumexp_backward: the positive and negative parts of grad, each through a reversed logcumsumexp.
  LogcumsumexpBackward0: (g, { inputs: [x], result, attrs: { dim } }, n) => {
    if (!n[0]) return [null];
    if (g.ndim === 0 || g.numel === 0) return [g];
    const d = dim < 0 ? dim + x.ndim : dim;
    const lowest = g.dtype === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE;
    const logAbs = log(abs(g));
    const reversed = (t: Tensor) => flip(logcumsumexp(flip(t, [d]), d), [d]);
    const part = (mask: Tensor) => exp(add(reversed(sub(where(mask, logAbs, lowest), result)), x));
    return [sub(part(withoutGrad(() => gt(g, 0))), part(withoutGrad(() => gt(neg(g), 0))))];
  },
  ScatterBackward0: (g, { inputs: [, src], attrs: { dim, index } }, n) => {
    if (n[1]) checkSrcGradShape('ScatterBackward0', index, src);
    return [n[0] ? scatter(g, dim, index, 0) : null, n[1] ? gather(g, dim, index) : null];
  },
  ScatterAddBackward0: (g, { inputs: [, src], attrs: { dim, index } }, n) => {
    if (n[1]) checkSrcGradShape('ScatterAddBackward0', index, src);
    return [n[0] ? g : null, n[1] ? gather(g, dim, index) : null];
  },
  // maybe_multiply(grad.index_select(dim, index).expand_as(source), alpha)
  IndexAddBackward0: (g, { inputs: [, src], attrs: { dim, index, alpha } }, n) => {
    if (!n[1]) return [n[0] ? g : null, null];
    const idx = new Tensor(Float64Array.from(index as Int32Array), [index.length], 'int64');
    const picked = reshape(indexSelect(g, dim, idx), src.shape.slice());
    return [n[0] ? g : null, alpha === 1 ? picked : mul(picked, alpha)];
  },
  // prelu's two gradients, both outputs of one PreluBackwardBackward0 node as in PyTorch (see preluBackward).
  PreluBackward0: (g, { inputs: [x, w] }, n) => {
    const [gx, gw] = applyMulti(preluBackwardMulti, [g, x, w], {}, [{ op: preluGradSelfOp, attrs: {} }, { op: preluGradWeightOp, attrs: {} }]);
    return [n[0] ? gx : null, n[1] ? gw : null];
  },
  // linalg_det_backward in grad mode: linalg_solve(A.mH(), det · grad · I). Singular matrices take PyTorch's SVD
  // path, which is not here.
  LinalgDetBackward0: (g, { inputs: [a], result }, n) => {
    if (!n[0]) return [null];
    if (Array.prototype.some.call(result.data, (v: number) => v === 0)) {
      throw runtimeError('create_graph=True: the derivative of det at a singular matrix is not differentiable in this playground');
    }
    return [solve(transpose(a, -2, -1), scaledIdentity(mul(result, g), a))];
  },
  LinalgSlogdetBackward0: (g, { inputs: [a] }, n) => [n[0] ? solve(transpose(a, -2, -1), scaledIdentity(g, a)) : null],
  // −A⁻ᴴ · grad · A⁻ᴴ from the saved inverse.
  LinalgInvExBackward0: (g, { result }, n) => {
    if (!n[0]) return [null];
    const invT = transpose(result, -2, -1);
    return [neg(matmul(invT, matmul(g, invT)))];
  },
  // gB = linalg_solve(A.mH(), grad); gA = −gB · X.mH() (an outer product for a vector B).
  LinalgSolveExBackward0: (g, { inputs: [a], result, attrs: { vector } }, n) => {
    const gb = solve(transpose(a, -2, -1), g);
    const ga = n[0] ? neg(vector ? mul(unsqueeze(gb, -1), unsqueeze(result, -2)) : matmul(gb, transpose(result, -2, -1))) : null;
    return [ga, n[1] ? gb : null];
  },
  // multi_margin_loss_backward has no derivative in PyTorch: a NotImplemented node that fails when gone through.
  MultiMarginLossBackward0: (g, { inputs: [x, target], attrs }, n) => [n[0] ? apply(multiMarginBackwardOp, [g, x, target], attrs) : null, null],
  CumprodBackward0: (g, { inputs: [x], result, attrs: { dim } }, n) => {
    if (!n[0]) return [null];
    if (Array.prototype.some.call(x.data, (v: number) => v === 0)) {
      throw runtimeError('create_graph=True: the derivative of cumprod over a zero element is not differentiable in this playground');
    }
    const d = dim < 0 ? dim + x.ndim : dim;
    return [div(flip(cumsum(flip(mul(g, result), [d]), d), [d]), x)];
  },
};

/**
 * x[items] = v as recorded (CopySlices, IndexPutBackward0): the grad with v's positions zeroed for x, the grad at
 * those positions (summed back to v's shape) for v.
 */
function indexPutRecorded(g: Tensor, { inputs: [, v], saved: plan }: BackwardContext, n: boolean[]): (Tensor | null)[] {
  const positions = plan.map as Int32Array;
  let gx: Tensor | null = null;
  if (n[0]) {
    const kept = new Tensor(allocStorage(g.dtype, g.numel), g.shape.slice(), g.dtype);
    kept.data.fill(1);
    for (const p of positions) kept.data[p] = 0;
    gx = mul(g, kept);
  }
  const gv = n[1] ? sumToRecorded(apply(asStridedOp, [g], { positions, shape: plan.shape.slice() }), v.shape) : null;
  return [gx, gv];
}

/** t (one number per matrix of a's batch) times the identity: [..., n, n]. */
function scaledIdentity(t: Tensor, a: Tensor): Tensor {
  const k = a.shape[a.ndim - 1];
  const eye = new Tensor(allocStorage(t.dtype, k * k), [k, k], t.dtype);
  for (let i = 0; i < k; i++) eye.data[i * k + i] = 1;
  return mul(unsqueeze(unsqueeze(t, -1), -1), eye);
}

/**
 * prelu_backward as a node of its own (PyTorch's PreluBackwardBackward0): from (grad, self, weight), the input's
 * gradient where(self > 0, grad, weight · grad) and the weight's Σ where(self > 0, 0, self · grad) per channel.
 * Both are linear in grad, bilinear in (grad, weight) and (grad, self) where self ≤ 0, and piecewise constant in
 * self's sign, which is what their own backwards (prelu_double_backward) say.
 */
interface PreluParts {
  positive: Tensor;
  /** weight laid out against self (one weight, or one per channel on dim 1). */
  wb: Tensor;
  /** The dims the weight's gradient sums over. */
  dims: number[];
}
function preluParts(x: Tensor, w: Tensor): PreluParts {
  const perChannel = w.numel !== 1 && x.ndim >= 2;
  return {
    positive: withoutGrad(() => gt(x, 0)),
    wb: perChannel ? reshape(w, [1, x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)]) : reshape(w, []),
    dims: [...Array(x.ndim).keys()].filter((k) => !perChannel || k !== 1),
  };
}
const toWeight = (t: Tensor, w: Tensor, dims: number[]): Tensor => reshape(dims.length ? sum(t, dims) : t, w.shape.slice());
const preluGradSelfOp = defineOp({
  name: 'prelu_backward', label: 'prelu backward', gradFn: 'PreluBackwardBackward0', inputs: ['grad', 'self', 'weight'],
  formulas: { grad: 'where(self > 0, grad_grad_input, weight * grad_grad_input)', weight: 'sum(where(self > 0, 0, grad * grad_grad_input)) per channel' },
  saves: ['grad', 'self', 'weight'],
  forward: ([g, x, w]) => withoutGrad(() => {
    const { positive, wb } = preluParts(x, w);
    return where(positive, g, mul(wb, g));
  }),
  backward: (gg, { inputs: [g, x, w] }, n) => {
    const { positive, wb, dims } = preluParts(x, w);
    return [n[0] ? where(positive, gg, mul(wb, gg)) : null, null, n[2] ? toWeight(where(positive, 0, mul(g, gg)), w, dims) : null];
  },
});
const preluGradWeightOp = defineOp({
  name: 'prelu_backward', label: 'prelu backward', gradFn: 'PreluBackwardBackward0', inputs: ['grad', 'self', 'weight'],
  formulas: { grad: 'where(self > 0, 0, self * grad_grad_weight)', self: 'where(self > 0, 0, grad * grad_grad_weight)' },
  saves: ['grad', 'self', 'weight'],
  forward: ([g, x, w]) => withoutGrad(() => {
    const { positive, dims } = preluParts(x, w);
    return toWeight(where(positive, 0, mul(x, g)), w, dims);
  }),
  backward: (gg, { inputs: [g, x, w] }, n) => {
    const { positive, dims } = preluParts(x, w);
    const ggb = dims.length === x.ndim ? reshape(gg, []) : reshape(gg, [1, x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)]);
    return [n[0] ? where(positive, 0, mul(x, ggb)) : null, n[1] ? where(positive, 0, mul(g, ggb)) : null, null];
  },
});
const preluBackwardMulti: MultiOutputDef = {
  name: 'prelu_backward', label: 'prelu backward', gradFn: 'PreluBackwardBackward0', inputs: ['grad', 'self', 'weight'],
  formulas: { ...preluGradSelfOp.formulas, self: preluGradWeightOp.formulas.self }, saves: ['grad', 'self', 'weight'],
};

/** conv2d as the input gradient of conv_transpose2d (PyTorch's node: ConvolutionBackwardBackward0). */
const convAsGradOp: OpDef = { ...conv2dOp, gradFn: 'ConvolutionBackwardBackward0' };

/** A loss's incoming gradient per element: as is ('none'), or the one number spread ('sum') and divided ('mean'). */
function lossGrad(g: Tensor, shape: readonly number[], reduction: string): Tensor {
  if (reduction === 'none') return g;
  const e = expand(g, shape.slice());
  return reduction === 'mean' ? div(e, Math.max(numel(shape), 1)) : e;
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** max(t, lo) with the gradient passing where t is above lo (a fixed mask). */
function clampMinRecorded(t: Tensor, lo: number): Tensor {
  const above = constMask(t, (v) => v > lo);
  return add(mul(t, above), mul(rsub(above, 1), lo));
}

/** smooth_l1 and huber: grad · ∂loss/∂(self − target), its negative for the target. */
function piecewiseLoss(g: Tensor, { inputs: [x, y], attrs: { reduction, param } }: BackwardContext, n: boolean[], slope: (r: Tensor, p: number) => Tensor): (Tensor | null)[] {
  const r = sub(x, y);
  const gx = mul(lossGrad(g, r.shape, reduction), slope(r, param));
  return [n[0] ? gx : null, n[1] ? neg(gx) : null];
}

/** trunc(t) as a constant (no graph). */
function truncOf(t: Tensor): Tensor {
  const out = new Tensor(allocStorage(t.dtype, t.numel), t.shape.slice(), t.dtype);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.trunc(t.data[i]);
  return out;
}

/** A 0/1 tensor of x's shape, fixed (no graph): where a piecewise formula takes a branch. */
function constMask(x: Tensor, test: (v: number, i: number) => boolean): Tensor {
  const m = new Tensor(allocStorage(x.dtype, x.numel), x.shape.slice(), x.dtype);
  for (let i = 0; i < m.data.length; i++) m.data[i] = test(x.data[i], i) ? 1 : 0;
  return m;
}

function extremeShare(g: Tensor, { inputs: [x], result, attrs: { dims, keepdim } }: BackwardContext, n: boolean[]): (Tensor | null)[] {
  if (!n[0]) return [null];
  const at = withoutGrad(() => unreduce(result, x, dims, keepdim));
  const mask = constMask(x, (v, i) => v === at.data[i]);
  const count = withoutGrad(() => unreduce(sum(mask, dims, keepdim), x, dims, keepdim));
  return [mul(unreduce(g, x, dims, keepdim), div(mask, count))];
}

/**
 * The normalisation layers' backward with recording ops (layer norm, group norm, batch norm in training): x
 * normalised over `dims`, so its second derivative is exact (PyTorch's *_norm_double_backward). `paramOf`
 * lays a parameter out against x, `paramSum` sums a product back to the parameter's shape.
 */
function normRecorded(
  g: Tensor, x: Tensor, wf: Tensor | null, b: Tensor | null, n: boolean[], dims: number[], eps: number,
  paramOf: (t: Tensor) => Tensor, paramSum: (t: Tensor) => Tensor,
): (Tensor | null)[] {
  const mu = mean(x, dims, true);
  const xc = sub(x, mu);
  const rstd = pow(add(mean(mul(xc, xc), dims, true), eps), -0.5);
  const xhat = mul(xc, rstd);
  const w = wf ? paramOf(wf) : null;
  const d = w ? mul(g, w) : g;
  const gx = n[0] ? mul(rstd, sub(sub(d, mean(d, dims, true)), mul(xhat, mean(mul(d, xhat), dims, true)))) : null;
  const out: (Tensor | null)[] = [gx];
  if (wf) out.push(n[1] ? paramSum(mul(g, xhat)) : null);
  if (b) out.push(n[wf ? 2 : 1] ? paramSum(g) : null);
  return out;
}

function batchNormRecorded(g: Tensor, { inputs, attrs: a }: BackwardContext, n: boolean[]): (Tensor | null)[] {
  const x = inputs[0];
  const w = a.hasWeight ? inputs[1] : null;
  const b = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : null;
  const C = x.shape[1];
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const asChannel = (t: Tensor) => reshape(t, [1, C, ...new Array<number>(x.ndim - 2).fill(1)]);
  const channelSum = (t: Tensor) => sum(t, dims);
  if (a.training) return normRecorded(g, x, w, b, n, dims, a.eps, asChannel, channelSum);
  // Evaluation: the running statistics are constants, so the map is affine in x.
  const stat = (v: ArrayLike<number>) => {
    const t = new Tensor(allocStorage(x.dtype, C), [C], x.dtype);
    for (let i = 0; i < C; i++) t.data[i] = v[i];
    return asChannel(t);
  };
  const rstd = stat(Array.from(a.runningVar as ArrayLike<number>, (v) => 1 / Math.sqrt(v + a.eps)));
  const xhat = mul(sub(x, stat(a.runningMean)), rstd);
  const out: (Tensor | null)[] = [n[0] ? mul(g, w ? mul(asChannel(w), rstd) : rstd) : null];
  if (w) out.push(n[1] ? channelSum(mul(g, xhat)) : null);
  if (b) out.push(n[w ? 2 : 1] ? channelSum(g) : null);
  return out;
}

function prodRecorded(g: Tensor, { inputs: [x], result, attrs }: BackwardContext, n: boolean[]): (Tensor | null)[] {
  if (!n[0]) return [null];
  if (Array.prototype.some.call(x.data, (v: number) => v === 0)) {
    throw runtimeError('create_graph=True: the derivative of prod over a zero element is not differentiable in this playground');
  }
  const dims: number[] | null = attrs?.dims ?? null;
  const keepdim: boolean = attrs?.keepdim ?? false;
  return [div(mul(unreduce(g, x, dims, keepdim), unreduce(result, x, dims, keepdim)), x)];
}

function varGrad(g: Tensor, x: Tensor, dim: number[] | null, correction: number, keepdim: boolean): Tensor {
  const dims = dim === null || dim.length === 0 ? [...Array(x.ndim).keys()] : dim.map((d) => (d < 0 ? d + x.ndim : d));
  const count = dims.reduce((c, d) => c * x.shape[d], 1);
  const centred = sub(x, mean(x, dims, true));
  return mul(unreduce(g, x, dim, keepdim), mul(centred, 2 / Math.max(count - correction, 0)));
}

function eqZero(t: Tensor): Tensor {
  const m = new Tensor(allocStorage('bool', t.numel), t.shape.slice(), 'bool');
  for (let i = 0; i < m.data.length; i++) m.data[i] = t.data[i] === 0 ? 1 : 0;
  return m;
}

/**
 * The node's input gradients with their graph: its recording formula, or its own backward where that records.
 * Throws where neither exists and the result would need a graph (the incoming gradient or a saved tensor
 * requires grad).
 */
export function recordingBackward(node: GradNode, g: Tensor, needs: boolean[]): (Tensor | null)[] {
  return recordingBackwardOf(node.name, node.op!, node.ctx!, g, needs);
}

/**
 * The same for an op and its context (one output of a multi-output node: std_mean's std); `nodeName` names the
 * node in the error.
 */
export function recordingBackwardOf(nodeName: string, op: OpDef, ctx: BackwardContext, g: Tensor, needs: boolean[]): (Tensor | null)[] {
  if (op.recording) return op.recording(g, ctx, needs, recordingBackwardOf);
  const name = op.gradFn;
  if (op.name === 'index_put') return indexPutRecorded(g, ctx, needs);
  const formula = FORMULAS[name];
  if (formula) return formula(g, ctx, needs);
  if (RECORDING.has(name)) return op.backward(g, ctx, needs);
  if (PIECEWISE_LINEAR.has(name) || (SCALAR_PIECEWISE.has(name) && g.numel === 1)) return piecewiseLinear(name, op, ctx, g, needs);
  if ((LINEAR.has(name) || GATHER_SAVED[name]) && needs.length === 1) return [needs[0] ? apply(adjointOf(op, name), [g], { ctx }) : null];
  if (g.requiresGrad || ctx.inputs.some((t) => t.requiresGrad)) {
    throw runtimeError(`create_graph=True: the derivative of ${nodeName} is not differentiable in this playground, so no gradient of this gradient can be formed through it`);
  }
  return op.backward(g, ctx, needs);
}

