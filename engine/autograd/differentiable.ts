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
import { Tensor } from '../tensor';
import type { BackwardContext, GradNode } from './node';
import { add, div, gt, mul, pow, powLog, rsub, sameShape, sub } from '../ops/arith';
import { where } from '../ops/select';
import { cosh, erfT, flip, sinh } from '../ops/more';
import { cumsum, mean, sum } from '../ops/reduce';
import { expand, index, inversePerm, permute, reshape, sumToDims, toDtypeOp, transpose, unsqueeze, type IndexItem } from '../ops/shape';
import { apply, defineOp, type OpDef } from '../ops/define';
import { abs, exp, log, log1p, neg, sigmoid, sign, square, tanh } from '../ops/unary';
import { bmm, mm, mv } from '../ops/linalg';
import { conv2dBackwardRecorded } from '../ops/nn';

type Formula = (g: Tensor, ctx: BackwardContext, needs: boolean[]) => (Tensor | null)[];

/** Ops whose own backward records: checked one by one (they call mul, div, neg, cos, rsub, ... only). */
const RECORDING = new Set([
  'AddBackward0', 'SubBackward0', 'NegBackward0', 'DivBackward0', 'DivBackward1', 'RsubBackward1', 'PowBackward2',
  'ExpBackward0', 'LogBackward0', 'SqrtBackward0', 'SinBackward0', 'CosBackward0', 'TanhBackward0', 'SigmoidBackward0',
  'AbsBackward0', 'ReciprocalBackward0', 'Log1PBackward0', 'Expm1Backward0', 'SignBackward0',
  'FloorBackward0', 'CeilBackward0', 'RoundBackward0', 'RsqrtBackward0',
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

function zerosOf(x: Tensor): Tensor {
  return new Tensor(allocStorage(x.dtype, x.numel), x.shape.slice(), x.dtype);
}

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
]);

const adjointOps = new Map<OpDef, OpDef<{ ctx: BackwardContext }>>();

function adjointOf(op: OpDef, gradFn: string): OpDef<{ ctx: BackwardContext }> {
  let adj = adjointOps.get(op);
  if (!adj) {
    adj = defineOp<{ ctx: BackwardContext }>({
      name: `${op.name}_backward`, label: `${op.label}ᵀ`, gradFn: gradFn.replace(/Backward\d*$/, 'BackwardBackward0'), inputs: ['grad'],
      formulas: { grad: `${op.name}(grad)` }, saves: [],
      forward: ([g], { ctx }) => withoutGrad(() => op.backward(g, ctx, [true])[0]!),
      backward: (gg, { attrs: { ctx } }, n) => {
        if (!n[0]) return [null];
        // The linear part of the forward: constant padding's value is a constant term, not part of L.
        const attrs = ctx.attrs && typeof ctx.attrs === 'object' && 'fill' in ctx.attrs ? { ...ctx.attrs, fill: 0 } : ctx.attrs;
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
  ConvolutionBackward0: (g, { inputs: [x, w, b], attrs }, n) => conv2dBackwardRecorded(g, x, w, b, attrs, n),
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
};

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
  const name = op.gradFn;
  const formula = FORMULAS[name];
  if (formula) return formula(g, ctx, needs);
  if (RECORDING.has(name)) return op.backward(g, ctx, needs);
  if (PIECEWISE_LINEAR.has(name) || (SCALAR_PIECEWISE.has(name) && g.numel === 1)) return piecewiseLinear(name, op, ctx, g, needs);
  if (LINEAR.has(name) && needs.length === 1) return [needs[0] ? apply(adjointOf(op, name), [g], { ctx }) : null];
  if (g.requiresGrad || ctx.inputs.some((t) => t.requiresGrad)) {
    throw runtimeError(`create_graph=True: the derivative of ${nodeName} is not differentiable in this playground, so no gradient of this gradient can be formed through it`);
  }
  return op.backward(g, ctx, needs);
}

