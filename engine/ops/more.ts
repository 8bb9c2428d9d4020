// More of PyTorch's ops, each recorded under PyTorch 1.13's grad_fn name: elementwise math (erf, atan, sinh,
// cosh, log2, log10, asin, acos, trunc, frac, exp2), activations (softplus, silu, gelu, elu/selu, hardtanh/relu6,
// logsigmoid, mish, hardswish, hardsigmoid), binary atan2/hypot, reductions (prod, amax, amin, logsumexp,
// cumprod), the losses smooth_l1 and huber, and ops that pick elements (flip, roll, repeat, tril, triu,
// index_select, gather, masked_select, sort, topk, median, pad).
// These ops run in float64 and round once to the tensor's dtype. Under create_graph their backward is recorded
// by ../autograd/differentiable (a formula per grad_fn, or the linear adjoint of a pick).
import { allocStorage, isFloating, isIntegral, legacyTypeName, resultType2, DEFAULT_FLOAT, type DType } from '../dtype';
import { EngineError, runtimeError } from '../context';
import { Tensor, normalizeDim, numelOf, stridesOf } from '../tensor';
import { broadcastIndex } from '../kernels/elementwise';
import { apply, defineOp, type OpDef } from './define';
import { broadcastShapes, sub } from './arith';
import { abs } from './unary';
import { reducedIndex, normalizeDims, sum, mean } from './reduce';
import { stridesLike, withStrides } from './shape';

type Backward = OpDef['backward'];
export const floatOut = (x: Tensor): DType => (isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT);
export const make = (dtype: DType, shape: readonly number[]): Tensor => new Tensor(allocStorage(dtype, numelOf(shape)), shape.slice(), dtype);

// ---------------------------------------------------------------- elementwise, one input

/** f(x) elementwise with attrs; the backward is grad * df(x, f(x)). */
export function pointwise<A = Record<string, never>>(
  name: string, gradFn: string, formula: string,
  f: (x: number, a: A) => number, df: ((x: number, y: number, a: A) => number) | null, keepIntegers = false,
  /** The formula is a where(): a zero derivative gives +0, not grad · 0 (−0 for a negative grad), as PyTorch prints. */
  masked = false,
) {
  return defineOp<A>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: ['self', 'result'],
    forward: ([x], a) => {
      const out = make(keepIntegers ? x.dtype : floatOut(x), x.shape);
      for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i], a);
      return out;
    },
    backward: ((g, { inputs: [x], result, attrs }, n) => {
      if (!n[0]) return [null];
      const out = make(g.dtype, x.shape);
      if (df) {
        for (let i = 0; i < out.data.length; i++) {
          const d = df(x.data[i], result.data[i], attrs as A);
          out.data[i] = masked && d === 0 ? 0 : g.data[i] * d;
        }
      }
      return [out];
    }) as Backward,
  });
}

const SQRT_2_PI = 2 / Math.sqrt(Math.PI);
/** erf to double precision (W. J. Cody's rational approximations, as in most C libraries). */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const top = ((((0.1857777061846031526730 * t + 3.161123743870565596947) * t + 113.8641541510501556495) * t + 377.4852376853020208137) * t + 3209.377589138469472562);
    const bot = ((((t + 23.60129095234412093499) * t + 244.0246379344441733056) * t + 1282.616526077372275645) * t + 2844.236833439170622273);
    return (x * top) / bot;
  }
  return x < 0 ? -(1 - erfc(ax)) : 1 - erfc(ax);
}
export function erfc(ax: number): number {
  if (ax >= 27) return 0;
  let r: number;
  if (ax < 4) {
    const c = [0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8];
    const d = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
    let num = c[8] * ax;
    let den = ax;
    for (let i = 0; i < 7; i++) {
      num = (num + c[i]) * ax;
      den = (den + d[i]) * ax;
    }
    r = (num + c[7]) / (den + d[7]);
  } else {
    const p = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
    const q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
    const z = 1 / (ax * ax);
    let num = p[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + p[i]) * z;
      den = (den + q[i]) * z;
    }
    r = (z * (num + p[4])) / (den + q[4]);
    r = (1 / Math.sqrt(Math.PI) - r) / ax;
  }
  // exp(-x^2) split to keep precision, as Cody does.
  const xs = Math.trunc(ax * 16) / 16;
  const del = (ax - xs) * (ax + xs);
  return Math.exp(-xs * xs) * Math.exp(-del) * r;
}

export const erfOp = pointwise('erf', 'ErfBackward0', 'grad * 2/sqrt(pi) * exp(-self^2)', erf, (x) => SQRT_2_PI * Math.exp(-x * x));
export const atanOp = pointwise('atan', 'AtanBackward0', 'grad / (self^2 + 1)', Math.atan, (x) => 1 / (x * x + 1));
export const asinOp = pointwise('asin', 'AsinBackward0', 'grad / sqrt(1 - self^2)', Math.asin, (x) => 1 / Math.sqrt(1 - x * x));
export const acosOp = pointwise('acos', 'AcosBackward0', '-grad / sqrt(1 - self^2)', Math.acos, (x) => -1 / Math.sqrt(1 - x * x));
export const sinhOp = pointwise('sinh', 'SinhBackward0', 'grad * self.cosh()', Math.sinh, (x) => Math.cosh(x));
export const coshOp = pointwise('cosh', 'CoshBackward0', 'grad * self.sinh()', Math.cosh, (x) => Math.sinh(x));
export const log2Op = pointwise('log2', 'Log2Backward0', 'grad / (self * ln 2)', Math.log2, (x) => 1 / (x * Math.LN2));
export const log10Op = pointwise('log10', 'Log10Backward0', 'grad / (self * ln 10)', Math.log10, (x) => 1 / (x * Math.LN10));
export const exp2Op = pointwise('exp2', 'Exp2Backward0', 'grad * result * ln 2', (x) => Math.pow(2, x), (_x, y) => y * Math.LN2);
export const truncOp = pointwise('trunc', 'TruncBackward0', 'zeros_like(grad)', Math.trunc, () => 0, true);
export const sgnOp = pointwise('sgn', 'SgnBackward0', 'sgn_backward(self, grad, result)', Math.sign, () => 0, true);
export const fracOp = pointwise('frac', 'FracBackward0', 'grad', (x) => x - Math.trunc(x), () => 1, true);

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const softplus1 = (x: number): number => (x > 20 ? x : Math.log1p(Math.exp(x)));

export const softplusOp = pointwise<{ beta: number; threshold: number }>(
  'softplus', 'SoftplusBackward0', 'softplus_backward(grad, self, beta, threshold)',
  (x, { beta, threshold }) => (x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta),
  (x, _y, { beta, threshold }) => {
    if (x * beta > threshold) return 1;
    const z = Math.exp(x * beta);
    return z / (z + 1);
  },
);
export const siluOp = pointwise('silu', 'SiluBackward0', 'grad * sigmoid(self) * (1 + self * (1 - sigmoid(self)))', (x) => x * sigmoid(x), (x) => {
  const s = sigmoid(x);
  return s * (1 + x * (1 - s));
});
export const mishOp = pointwise('mish', 'MishBackward0', 'mish_backward(grad, self)', (x) => x * Math.tanh(softplus1(x)), (x) => {
  const t = Math.tanh(softplus1(x));
  return t + x * sigmoid(x) * (1 - t * t);
});
const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
export const geluOp = pointwise<{ tanh: boolean }>(
  'gelu', 'GeluBackward0', 'gelu_backward(grad, self, approximate)',
  (x, { tanh }) => {
    if (!tanh) return 0.5 * x * (1 + erf(x * INV_SQRT2));
    const inner = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
    return 0.5 * x * (1 + Math.tanh(inner));
  },
  (x, _y, { tanh }) => {
    if (!tanh) return 0.5 * (1 + erf(x * INV_SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    const k = Math.sqrt(2 / Math.PI);
    const inner = k * (x + 0.044715 * x * x * x);
    const t = Math.tanh(inner);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
  },
);
export const eluOp = pointwise<{ alpha: number; scale: number; inputScale: number }>(
  'elu', 'EluBackward0', 'elu_backward(grad, alpha, scale, input_scale, self)',
  (x, { alpha, scale, inputScale }) => (x > 0 ? scale * x : scale * alpha * Math.expm1(x * inputScale)),
  (x, _y, { alpha, scale, inputScale }) => (x > 0 ? scale : scale * alpha * inputScale * Math.exp(x * inputScale)),
);
export const hardtanhOp = pointwise<{ min: number; max: number }>(
  'hardtanh', 'HardtanhBackward0', 'grad * (self > min_val & self < max_val)',
  (x, { min, max }) => (x !== x ? x : x < min ? min : x > max ? max : x),
  (x, _y, { min, max }) => (x > min && x < max ? 1 : 0),
  true,
  true,
);
export const logSigmoidOp = pointwise('log_sigmoid', 'LogSigmoidBackward0', 'grad * sigmoid(-self)', (x) => -softplus1(-x), (x) => sigmoid(-x));
export const hardswishOp = pointwise('hardswish', 'HardswishBackward0', 'hardswish_backward(grad, self)',
  (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
  (x) => (x < -3 ? 0 : x <= 3 ? (2 * x + 3) / 6 : 1), false, true);
export const hardsigmoidOp = pointwise('hardsigmoid', 'HardsigmoidBackward0', 'grad * (self > -3 & self < 3) / 6',
  (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
  (x) => (x > -3 && x < 3 ? 1 / 6 : 0), false, true);

/** torch.nan_to_num: NaN and ±inf replaced (by default with 0 and the dtype's largest finite values). */
export const nanToNumOp = pointwise<{ nan: number; posinf: number; neginf: number }>(
  'nan_to_num', 'NanToNumBackward0', 'grad * at::isfinite(self)',
  (x, { nan, posinf, neginf }) => (x !== x ? nan : x === Infinity ? posinf : x === -Infinity ? neginf : x),
  (x) => (Number.isFinite(x) ? 1 : 0),
  true,
);
export function nanToNum(x: Tensor, nan = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  const big = x.dtype === 'float32' ? 3.4028234663852886e38 : x.dtype === 'float64' ? Number.MAX_VALUE : 0;
  return apply(nanToNumOp, [x], { nan, posinf: posinf ?? big, neginf: neginf ?? -big });
}

export const erfT = (x: Tensor): Tensor => apply(erfOp, [x], {});
export const atan = (x: Tensor): Tensor => apply(atanOp, [x], {});
export const asin = (x: Tensor): Tensor => apply(asinOp, [x], {});
export const acos = (x: Tensor): Tensor => apply(acosOp, [x], {});
export const sinh = (x: Tensor): Tensor => apply(sinhOp, [x], {});
export const cosh = (x: Tensor): Tensor => apply(coshOp, [x], {});
export const log2 = (x: Tensor): Tensor => apply(log2Op, [x], {});
export const log10 = (x: Tensor): Tensor => apply(log10Op, [x], {});
export const exp2 = (x: Tensor): Tensor => apply(exp2Op, [x], {});
export const trunc = (x: Tensor): Tensor => apply(truncOp, [x], {});
export const frac = (x: Tensor): Tensor => apply(fracOp, [x], {});
export const sgn = (x: Tensor): Tensor => apply(sgnOp, [x], {});
export const softplus = (x: Tensor, beta = 1, threshold = 20): Tensor => apply(softplusOp, [x], { beta, threshold });
export const silu = (x: Tensor): Tensor => apply(siluOp, [x], {});
export const mish = (x: Tensor): Tensor => apply(mishOp, [x], {});
export const gelu = (x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor => apply(geluOp, [x], { tanh: approximate === 'tanh' });
export const elu = (x: Tensor, alpha = 1): Tensor => apply(eluOp, [x], { alpha, scale: 1, inputScale: 1 });
export const selu = (x: Tensor): Tensor =>
  apply(eluOp, [x], { alpha: 1.6732632423543772848170429916717, scale: 1.0507009873554804934193349852946, inputScale: 1 });
export const hardtanh = (x: Tensor, min = -1, max = 1): Tensor => apply(hardtanhOp, [x], { min, max });
export const logSigmoid = (x: Tensor): Tensor => apply(logSigmoidOp, [x], {});
export const hardswish = (x: Tensor): Tensor => apply(hardswishOp, [x], {});
export const hardsigmoid = (x: Tensor): Tensor => apply(hardsigmoidOp, [x], {});

// ---------------------------------------------------------------- elementwise, two inputs

export function binaryFloat(name: string, gradFn: string, formulas: Record<string, string>, f: (a: number, b: number) => number, da: (a: number, b: number, y: number) => number, db: (a: number, b: number, y: number) => number) {
  return defineOp({
    name, label: name, gradFn, inputs: ['self', 'other'], formulas, saves: ['self', 'other', 'result'],
    forward: ([a, b]) => {
      let dtype = resultType2(a.dtype, a.ndim === 0, a.isWrappedNumber, b.dtype, b.ndim === 0, b.isWrappedNumber);
      if (!isFloating(dtype)) dtype = DEFAULT_FLOAT;
      const shape = broadcastShapes(a.shape, b.shape);
      const out = make(dtype, shape);
      const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
      for (let i = 0; i < out.data.length; i++) out.data[i] = f(a.data[ia[i]], b.data[ib[i]]);
      return out;
    },
    backward: (g, { inputs: [a, b], result }, n) => {
      const { ia, ib } = broadcastIndex(a.shape, b.shape, result.shape);
      const ga = n[0] ? make(g.dtype, result.shape) : null;
      const gb = n[1] ? make(g.dtype, result.shape) : null;
      for (let i = 0; i < g.data.length; i++) {
        const x = a.data[ia[i]];
        const y = b.data[ib[i]];
        if (ga) ga.data[i] = g.data[i] * da(x, y, result.data[i]);
        if (gb) gb.data[i] = g.data[i] * db(x, y, result.data[i]);
      }
      return [ga, gb];
    },
  });
}

export const atan2Op = binaryFloat('atan2', 'Atan2Backward0', { self: 'grad * other / (self^2 + other^2)', other: 'grad * -self / (self^2 + other^2)' },
  Math.atan2, (a, b) => b / (a * a + b * b), (a, b) => -a / (a * a + b * b));
export const hypotOp = binaryFloat('hypot', 'HypotBackward0', { self: 'grad * self / result', other: 'grad * other / result' },
  Math.hypot, (a, _b, y) => a / y, (_a, b, y) => b / y);
/** torch.xlogy: self * log(other), 0 where self is 0 (unless other is NaN). */
export const xlogyOp = binaryFloat('xlogy', 'XlogyBackward0', { self: 'grad * at::xlogy((self != 0), other)', other: 'grad * self / other' },
  (a, b) => (b !== b ? NaN : a === 0 ? 0 : a * Math.log(b)), (a, b) => (b !== b ? NaN : a !== 0 ? Math.log(b) : 0), (a, b) => a / b);
/** With a Python number for other (XlogyBackward2) or for self (XlogyBackward1): one edge, as in PyTorch. */
const xlogyScalarOther = { ...xlogyOp, gradFn: 'XlogyBackward2', nonDifferentiable: [1] };
const xlogyScalarSelf = { ...xlogyOp, gradFn: 'XlogyBackward1', nonDifferentiable: [0] };
export const xlogy = (a: Tensor, b: Tensor): Tensor =>
  apply(b.isWrappedNumber ? xlogyScalarOther : a.isWrappedNumber ? xlogyScalarSelf : xlogyOp, [a, b], {});
export const atan2 = (a: Tensor, b: Tensor): Tensor => apply(atan2Op, [a, b], {});
export const hypot = (a: Tensor, b: Tensor): Tensor => apply(hypotOp, [a, b], {});

/** tensor * number from PyTorch's C++ code (at::mul(Tensor, Scalar)): MulBackward1, one input. */
export const mulScalarOp = defineOp<{ other: number }>({
  name: 'mul_scalar', label: '×', gradFn: 'MulBackward1', inputs: ['self'], formulas: { self: 'grad * other' }, saves: [],
  forward: ([x], { other }) => {
    const out = make(floatOut(x), x.shape);
    const k = out.data instanceof Float32Array ? Math.fround(other) : other;
    for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i] * k;
    return out;
  },
  backward: (g, { attrs: { other } }, n) => {
    if (!n[0]) return [null];
    const out = make(g.dtype, g.shape);
    const k = out.data instanceof Float32Array ? Math.fround(other) : other;
    for (let i = 0; i < g.data.length; i++) out.data[i] = g.data[i] * k;
    return [out];
  },
});
export const mulScalar = (x: Tensor, other: number): Tensor => apply(mulScalarOp, [x], { other });

/** torch.lerp(start, end, weight) for a number weight: start + weight * (end - start), LerpBackward0. */
export const lerpOp = defineOp<{ weight: number }>({
  name: 'lerp', label: 'lerp', gradFn: 'LerpBackward0', inputs: ['self', 'end'],
  formulas: { self: 'grad * (1 - weight)', end: 'grad * weight' }, saves: [],
  forward: ([a, b], { weight }) => {
    let dtype = resultType2(a.dtype, a.ndim === 0, a.isWrappedNumber, b.dtype, b.ndim === 0, b.isWrappedNumber);
    if (!isFloating(dtype)) dtype = DEFAULT_FLOAT;
    const shape = broadcastShapes(a.shape, b.shape);
    const out = make(dtype, shape);
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    // PyTorch's lerp: from the nearer end, start + w * (end - start) for |w| < 0.5, else end - (end - start) * (1 - w).
    for (let i = 0; i < out.data.length; i++) {
      const x = a.data[ia[i]];
      const y = b.data[ib[i]];
      out.data[i] = Math.abs(weight) < 0.5 ? x + weight * (y - x) : y - (y - x) * (1 - weight);
    }
    return out;
  },
  backward: (g, { attrs: { weight } }, n) => {
    const scale = (k: number): Tensor => {
      const out = make(g.dtype, g.shape);
      for (let i = 0; i < g.data.length; i++) out.data[i] = g.data[i] * k;
      return out;
    };
    return [n[0] ? scale(1 - weight) : null, n[1] ? scale(weight) : null];
  },
});
export const lerp = (a: Tensor, b: Tensor, weight: number): Tensor => apply(lerpOp, [a, b], { weight });

// ---------------------------------------------------------------- reductions

interface ReduceAttrs {
  dims: number[];
  keepdim: boolean;
}

/** The output shape of a reduction over dims. */
function reducedShape(shape: readonly number[], dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, d) => {
    if (!dims.includes(d)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** Elements grouped by their reduction slot: groups[slot] lists flat indices in order. */
export function groupsOf(shape: readonly number[], dims: number[]): number[][] {
  const at = reducedIndex(shape, dims);
  const n = numelOf(reducedShape(shape, dims, true));
  const groups: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < at.length; i++) groups[at[i]].push(i);
  return groups;
}

export function reduction(name: string, gradFn: string, formula: string, keepIntegers: boolean,
  fwd: (vals: number[]) => number, bwd: (vals: number[], y: number, g: number) => number[]) {
  return defineOp<ReduceAttrs>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: ['self', 'result'],
    forward: ([x], { dims, keepdim }) => {
      const out = make(keepIntegers ? x.dtype : floatOut(x), reducedShape(x.shape, dims, keepdim));
      groupsOf(x.shape, dims).forEach((idx, k) => (out.data[k] = fwd(idx.map((i) => x.data[i]))));
      return out;
    },
    backward: (g, { inputs: [x], result, attrs: { dims } }, n) => {
      if (!n[0]) return [null];
      const out = make(g.dtype, x.shape);
      groupsOf(x.shape, dims).forEach((idx, k) => {
        const gs = bwd(idx.map((i) => x.data[i]), result.data[k], g.data[k]);
        idx.forEach((i, j) => (out.data[i] = gs[j]));
      });
      return [out];
    },
  });
}

const product = (v: number[]): number => v.reduce((a, b) => a * b, 1);
/** d prod / d x_i = the product of the others (prefix and suffix products, so zeros are handled). */
function prodBackward(v: number[], _y: number, g: number): number[] {
  const pre = new Array<number>(v.length);
  let p = 1;
  for (let i = 0; i < v.length; i++) {
    pre[i] = p;
    p *= v[i];
  }
  const out = new Array<number>(v.length);
  let s = 1;
  for (let i = v.length - 1; i >= 0; i--) {
    out[i] = g * pre[i] * s;
    s *= v[i];
  }
  return out;
}
/** Ties share the gradient evenly, as PyTorch's amax/amin backward does. */
function tiesBackward(v: number[], y: number, g: number): number[] {
  const hits = v.filter((x) => x === y || (x !== x && y !== y)).length;
  return v.map((x) => (x === y || (x !== x && y !== y) ? g / hits : 0));
}
const maxOf = (v: number[]): number => v.reduce((a, b) => (a !== a || b !== b ? NaN : b > a ? b : a), -Infinity);
const minOf = (v: number[]): number => v.reduce((a, b) => (a !== a || b !== b ? NaN : b < a ? b : a), Infinity);
function logsumexpOf(v: number[]): number {
  const m = maxOf(v);
  if (!Number.isFinite(m)) return m === -Infinity ? -Infinity : m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
}

export const prodAllOp = reduction('prod', 'ProdBackward0', 'prod_backward(grad, self, result)', true, product, prodBackward);
export const prodDimOp = reduction('prod', 'ProdBackward1', 'prod_backward(grad, self, result, dim, keepdim)', true, product, prodBackward);
export const amaxOp = reduction('amax', 'AmaxBackward0', 'scale_grad_by_count(restore_reduced_dims(grad, dim, keepdim), restore_reduced_dims(result, dim, keepdim) == self, dim)', true, maxOf, tiesBackward);
export const aminOp = reduction('amin', 'AminBackward0', 'scale_grad_by_count(restore_reduced_dims(grad, dim, keepdim), restore_reduced_dims(result, dim, keepdim) == self, dim)', true, minOf, tiesBackward);
export const logsumexpOp = reduction('logsumexp', 'LogsumexpBackward0', 'logsumexp_backward(grad, self, result, dim, keepdim)', false, logsumexpOf,
  (v, y, g) => v.map((x) => g * Math.exp(x - y)));

export function checkReduce(x: Tensor, dim: number | number[] | null): number[] {
  return normalizeDims(dim, x.ndim);
}
export function prod(x: Tensor, dim: number | null = null, keepdim = false): Tensor {
  if (dim === null) return apply(prodAllOp, [x], { dims: checkReduce(x, null), keepdim: false });
  return apply(prodDimOp, [x], { dims: [normalizeDim(dim, Math.max(x.ndim, 1))].filter((d) => d < x.ndim), keepdim });
}
export const amax = (x: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor => apply(amaxOp, [x], { dims: checkReduce(x, dim), keepdim });
export const amin = (x: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor => apply(aminOp, [x], { dims: checkReduce(x, dim), keepdim });
export function logsumexp(x: Tensor, dim: number | number[], keepdim = false): Tensor {
  return apply(logsumexpOp, [x], { dims: checkReduce(x, dim), keepdim });
}

/** cumprod along a dim (CumprodBackward0). */
export const cumprodOp = defineOp<{ dim: number }>({
  name: 'cumprod', label: 'cumprod', gradFn: 'CumprodBackward0', inputs: ['self'],
  formulas: { self: 'cumprod_backward(grad, self, dim, result)' }, saves: ['self', 'result'],
  forward: ([x], { dim }) => {
    const out = make(isFloating(x.dtype) ? x.dtype : 'int64', x.shape);
    for (const idx of lines(x.shape, dim)) {
      let p = 1;
      for (const i of idx) out.data[i] = p *= x.data[i];
    }
    return out;
  },
  backward: (g, { inputs: [x], attrs: { dim } }, n) => {
    if (!n[0]) return [null];
    const out = make(g.dtype, x.shape);
    for (const idx of lines(x.shape, dim)) {
      // d out_k / d x_i = prod_{j<=k, j!=i} x_j for k >= i.
      for (let i = 0; i < idx.length; i++) {
        let s = 0;
        for (let k = i; k < idx.length; k++) {
          let p = 1;
          for (let j = 0; j <= k; j++) if (j !== i) p *= x.data[idx[j]];
          s += g.data[idx[k]] * p;
        }
        out.data[idx[i]] = s;
      }
    }
    return [out];
  },
});
export const cumprod = (x: Tensor, dim: number): Tensor => apply(cumprodOp, [x], { dim: normalizeDim(dim, Math.max(x.ndim, 1)) });

/** The flat indices of each line along `dim`. */
export function lines(shape: readonly number[], dim: number): number[][] {
  if (shape.length === 0) return [[0]];
  const others = shape.map((_, d) => d).filter((d) => d !== dim);
  return groupsOf(shape, others.length ? [dim] : [dim]);
}

// ---------------------------------------------------------------- losses

type Reduction = 'mean' | 'sum' | 'none';
function lossOp(name: string, gradFn: string, formula: string, f: (d: number, p: number) => number, df: (d: number, p: number) => number) {
  return defineOp<{ reduction: Reduction; param: number }>({
    name, label: name, gradFn, inputs: ['self', 'target'], formulas: { self: formula, target: `-(${formula})` }, saves: ['self', 'target'],
    forward: ([x, y], { reduction, param }) => {
      const shape = broadcastShapes(x.shape, y.shape);
      const { ia, ib } = broadcastIndex(x.shape, y.shape, shape);
      const each = new Float64Array(numelOf(shape));
      for (let i = 0; i < each.length; i++) each[i] = f(x.data[ia[i]] - y.data[ib[i]], param);
      if (reduction === 'none') {
        const out = make(floatOut(x), shape);
        out.data.set(each);
        return out;
      }
      let s = 0;
      for (const v of each) s += v;
      const out = make(floatOut(x), []);
      out.data[0] = reduction === 'mean' ? s / each.length : s;
      return out;
    },
    backward: (g, { inputs: [x, y], attrs: { reduction, param } }, n) => {
      const shape = broadcastShapes(x.shape, y.shape);
      const { ia, ib } = broadcastIndex(x.shape, y.shape, shape);
      const total = numelOf(shape);
      const gx = make(g.dtype, shape);
      for (let i = 0; i < total; i++) {
        const gi = reduction === 'none' ? g.data[i] : reduction === 'mean' ? g.data[0] / total : g.data[0];
        gx.data[i] = gi * df(x.data[ia[i]] - y.data[ib[i]], param);
      }
      let gy: Tensor | null = null;
      if (n[1]) {
        gy = make(g.dtype, shape);
        for (let i = 0; i < total; i++) gy.data[i] = -gx.data[i];
      }
      return [n[0] ? gx : null, gy];
    },
  });
}
export const smoothL1LossOp = lossOp('smooth_l1_loss', 'SmoothL1LossBackward0', 'smooth_l1_loss_backward(grad, self, target, reduction, beta)',
  (d, beta) => (beta === 0 ? Math.abs(d) : Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - 0.5 * beta),
  (d, beta) => (beta === 0 ? Math.sign(d) : Math.abs(d) < beta ? d / beta : Math.sign(d)));
export const huberLossOp = lossOp('huber_loss', 'HuberLossBackward0', 'huber_loss_backward(grad, self, target, reduction, delta)',
  (d, delta) => (Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta)),
  (d, delta) => (Math.abs(d) < delta ? d : delta * Math.sign(d)));

function lossShapes(fn: string, x: Tensor, y: Tensor): void {
  broadcastShapes(x.shape, y.shape);
  if (!isFloating(x.dtype)) throw runtimeError(`"${fn}" not implemented for 'Long'`);
}
export function smoothL1Loss(x: Tensor, y: Tensor, reduction: Reduction = 'mean', beta = 1): Tensor {
  lossShapes('smooth_l1_loss', x, y);
  if (beta < 0) throw runtimeError('smooth_l1_loss does not support negative values for beta.');
  return apply(smoothL1LossOp, [x, y], { reduction, param: beta });
}
export function huberLoss(x: Tensor, y: Tensor, reduction: Reduction = 'mean', delta = 1): Tensor {
  lossShapes('huber_loss', x, y);
  if (delta <= 0) throw runtimeError('huber_loss does not support non-positive values for delta.');
  return apply(huberLossOp, [x, y], { reduction, param: delta });
}

/** F.l1_loss as PyTorch 1.13 computes it: (input - target).abs(), then mean or sum (AbsBackward0, MeanBackward0). */
export function l1Loss(x: Tensor, y: Tensor, reduction: Reduction = 'mean'): Tensor {
  const d = abs(sub(x, y));
  return reduction === 'none' ? d : reduction === 'sum' ? sum(d) : mean(d);
}

// ---------------------------------------------------------------- ops that pick elements

/** Which input element each output element is (-1: a zero, as tril's or pad's), and the output's shape. */
export interface Pick {
  shape: number[];
  map: Int32Array;
}

/** An op whose output elements are input elements (or zeros); backward scatters (adds) grad back. */
export function pickOp(name: string, gradFn: string, formula: string) {
  return defineOp<{ pick: Pick; fill?: number }>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: [],
    forward: ([x], { pick, fill }) => {
      const out = make(x.dtype, pick.shape);
      for (let i = 0; i < pick.map.length; i++) out.data[i] = pick.map[i] >= 0 ? x.data[pick.map[i]] : (fill ?? 0);
      return out;
    },
    backward: (g, { inputs: [x], attrs: { pick } }, n) => {
      if (!n[0]) return [null];
      const out = make(g.dtype, x.shape);
      for (let i = 0; i < pick.map.length; i++) if (pick.map[i] >= 0) out.data[pick.map[i]] += g.data[i];
      return [out];
    },
  });
}

export const flipOp = pickOp('flip', 'FlipBackward0', 'grad.flip(dims)');
export const rollOp = pickOp('roll', 'RollBackward0', 'grad.roll(-shifts, dims)');
export const repeatOp = pickOp('repeat', 'RepeatBackward0', 'repeat_backward(grad, repeats, self.sizes())');
export const trilOp = pickOp('tril', 'TrilBackward0', 'grad.tril(diagonal)');
export const triuOp = pickOp('triu', 'TriuBackward0', 'grad.triu(diagonal)');
export const indexSelectOp = pickOp('index_select', 'IndexSelectBackward0', 'index_select_backward(grad, self.sizes(), dim, index)');
export const gatherOp = pickOp('gather', 'GatherBackward0', 'gather_backward(grad, self, dim, index)');
export const maskedSelectOp = pickOp('masked_select', 'MaskedSelectBackward0', 'masked_select_backward(grad, self, mask)');
export const sortOp = pickOp('sort', 'SortBackward0', 'value_selecting_reduction_backward(grad, dim, indices, self.sizes(), true)');
export const topkOp = pickOp('topk', 'TopkBackward0', 'value_selecting_reduction_backward(grad, dim, indices, self.sizes(), true)');
export const medianAllOp = pickOp('median', 'MedianBackward0', 'evenly_distribute_backward(grad, self, result)');
export const medianDimOp = pickOp('median', 'MedianBackward1', 'value_selecting_reduction_backward(grad, dim, indices, self.sizes(), keepdim)');
export const embeddingOp = pickOp('embedding', 'EmbeddingBackward0', 'embedding_backward(grad, indices, num_weights, padding_idx)');
export const padOp = pickOp('constant_pad_nd', 'ConstantPadNdBackward0', 'constant_pad_nd_backward(grad, pad)');
export const diagonalOp = pickOp('diagonal', 'DiagonalBackward0', 'diagonal_backward(grad, self.sizes(), offset, dim1, dim2)');

/** Walks every multi-index of shape, calling f(flat index, multi-index). */
export function eachIndex(shape: readonly number[], f: (flat: number, idx: number[]) => void): void {
  const n = numelOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(i, idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}
export const flatOf = (idx: number[], strides: number[]): number => idx.reduce((s, v, d) => s + v * strides[d], 0);

export function pickBy(x: Tensor, shape: number[], src: (idx: number[]) => number): Pick {
  const map = new Int32Array(numelOf(shape));
  eachIndex(shape, (i, idx) => (map[i] = src(idx)));
  return { shape, map };
}

/** [outer, size, inner] of x around dim. */
export function around(x: Tensor, dim: number): [number, number, number] {
  return [numelOf(x.shape.slice(0, dim)), x.shape[dim], numelOf(x.shape.slice(dim + 1))];
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** F.glu: the first half of dim times the sigmoid of the second (GluBackward0, one node). */
export const gluOp = defineOp<{ dim: number }>({
  name: 'glu', label: 'glu', gradFn: 'GluBackward0', inputs: ['self'], formulas: { self: 'glu_backward(grad, self, dim)' }, saves: ['self'],
  forward: ([x], { dim }) => {
    const [outer, size, inner] = around(x, dim);
    const half = size / 2;
    const shape = x.shape.slice();
    shape[dim] = half;
    const out = make(x.dtype, shape);
    const r = x.dtype === 'float32' ? Math.fround : (v: number) => v;
    for (let o = 0; o < outer; o++) {
      for (let h = 0; h < half; h++) {
        for (let i = 0; i < inner; i++) {
          const a = x.data[(o * size + h) * inner + i];
          const b = x.data[(o * size + h + half) * inner + i];
          out.data[(o * half + h) * inner + i] = r(a * r(sig(b)));
        }
      }
    }
    return out;
  },
  backward: (g, { inputs: [x], attrs: { dim } }, n) => {
    if (!n[0]) return [null];
    const [outer, size, inner] = around(x, dim);
    const half = size / 2;
    const gx = make(g.dtype, x.shape);
    for (let o = 0; o < outer; o++) {
      for (let h = 0; h < half; h++) {
        for (let i = 0; i < inner; i++) {
          const ia = (o * size + h) * inner + i;
          const ib = (o * size + h + half) * inner + i;
          const gv = g.data[(o * half + h) * inner + i];
          const s = sig(x.data[ib]);
          gx.data[ia] = gv * s;
          gx.data[ib] = gv * x.data[ia] * s * (1 - s);
        }
      }
    }
    return [gx];
  },
});

export function glu(x: Tensor, dim = -1): Tensor {
  if (x.ndim === 0) throw runtimeError('glu does not support scalars because halving size must be even');
  const d = normalizeDim(dim, x.ndim);
  if (x.shape[d] % 2 !== 0) throw runtimeError(`Halving dimension must be even, but dimension ${d} is size ${x.shape[d]}`);
  return apply(gluOp, [x], { dim: d });
}

/**
 * x.diagonal(offset, dim1, dim2): a view whose last dim walks the diagonal of dims dim1 and dim2 (above it
 * for offset > 0, below for offset < 0); the other dims keep their order.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, x.ndim);
  const d2 = normalizeDim(dim2, x.ndim);
  if (d1 === d2) throw runtimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const len = Math.max(0, offset >= 0 ? Math.min(x.shape[d1], x.shape[d2] - offset) : Math.min(x.shape[d1] + offset, x.shape[d2]));
  const rest = [...Array(x.ndim).keys()].filter((d) => d !== d1 && d !== d2);
  const st = stridesOf(x.shape);
  const start = offset >= 0 ? offset * st[d2] : -offset * st[d1];
  const pick = pickBy(x, [...rest.map((d) => x.shape[d]), len], (idx) => {
    let at = start + idx[rest.length] * (st[d1] + st[d2]);
    for (let k = 0; k < rest.length; k++) at += idx[k] * st[rest[k]];
    return at;
  });
  const out = apply(diagonalOp, [x], { pick });
  const xs = stridesLike(x);
  return withStrides(out, [...rest.map((d) => xs[d]), xs[d1] + xs[d2]]);
}

export function flip(x: Tensor, dims: number[]): Tensor {
  const ds = dims.map((d) => normalizeDim(d, Math.max(x.ndim, 1)));
  const st = stridesOf(x.shape);
  return apply(flipOp, [x], { pick: pickBy(x, x.shape.slice(), (idx) => flatOf(idx.map((v, d) => (ds.includes(d) ? x.shape[d] - 1 - v : v)), st)) });
}

export function roll(x: Tensor, shifts: number[], dims: number[] | null): Tensor {
  if (dims === null || dims.length === 0) {
    const flat = x.numel;
    const pick = pickBy(x, x.shape.slice(), () => 0);
    for (let i = 0; i < flat; i++) pick.map[i] = (((i - shifts[0]) % flat) + flat) % flat;
    return apply(rollOp, [x], { pick });
  }
  if (shifts.length !== dims.length) throw runtimeError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  const ds = dims.map((d) => normalizeDim(d, x.ndim));
  const st = stridesOf(x.shape);
  return apply(rollOp, [x], {
    pick: pickBy(x, x.shape.slice(), (idx) => flatOf(idx.map((v, d) => {
      let s = 0;
      ds.forEach((dd, k) => dd === d && (s += shifts[k]));
      const n = x.shape[d];
      return (((v - s) % n) + n) % n;
    }), st)),
  });
}

export function repeat(x: Tensor, reps: number[]): Tensor {
  if (reps.length < x.ndim) throw runtimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const lead = reps.length - x.ndim;
  const src = [...new Array<number>(lead).fill(1), ...x.shape];
  const shape = src.map((s, d) => s * reps[d]);
  const st = stridesOf(src);
  return apply(repeatOp, [x], { pick: pickBy(x, shape, (idx) => flatOf(idx.map((v, d) => v % src[d]), st)) });
}

function triangle(x: Tensor, diagonal: number, lower: boolean): Tensor {
  if (x.ndim < 2) throw runtimeError(`${lower ? 'tril' : 'triu'}: input tensor must have at least 2 dimensions`);
  const st = stridesOf(x.shape);
  const nd = x.ndim;
  const pick = pickBy(x, x.shape.slice(), (idx) => {
    const keep = lower ? idx[nd - 1] - idx[nd - 2] <= diagonal : idx[nd - 1] - idx[nd - 2] >= diagonal;
    return keep ? flatOf(idx, st) : -1;
  });
  return apply(lower ? trilOp : triuOp, [x], { pick });
}
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle(x, diagonal, true);
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle(x, diagonal, false);

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.ndim > 1) throw new EngineError('IndexError', 'index_select(): Index is supposed to be a vector');
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw runtimeError('index_select(): Expected dtype int32 or int64 for index');
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const shape = x.shape.slice();
  if (x.ndim) shape[d] = index.numel;
  const st = stridesOf(x.shape);
  return apply(indexSelectOp, [x], {
    pick: pickBy(x, shape, (idx) => {
      const j = index.data[idx[d]];
      if (j < -x.shape[d] || j >= x.shape[d]) throw new EngineError('IndexError', 'index out of range in self');
      const ii = idx.slice();
      ii[d] = j < 0 ? j + x.shape[d] : j;
      return flatOf(ii, st);
    }),
  });
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.dtype !== 'int64') throw runtimeError('gather(): Expected dtype int64 for index');
  if (index.ndim !== x.ndim) throw runtimeError('Index tensor must have the same number of dimensions as input tensor');
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const st = stridesOf(x.shape);
  const ist = stridesOf(index.shape);
  return apply(gatherOp, [x], {
    pick: pickBy(x, index.shape.slice(), (idx) => {
      const j = index.data[flatOf(idx, ist)];
      if (j < -x.shape[d] || j >= x.shape[d]) throw runtimeError(`index ${j} is out of bounds for dimension ${d} with size ${x.shape[d]}`);
      const ii = idx.slice();
      ii[d] = j < 0 ? j + x.shape[d] : j;
      return flatOf(ii, st);
    }),
  });
}

export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw runtimeError(`masked_select: expected BoolTensor for mask`);
  const shape = broadcastShapes(x.shape, mask.shape);
  const { ia, ib } = broadcastIndex(x.shape, mask.shape, shape);
  const hits: number[] = [];
  for (let i = 0; i < ia.length; i++) if (mask.data[ib[i]]) hits.push(ia[i]);
  return apply(maskedSelectOp, [x], { pick: { shape: [hits.length], map: Int32Array.from(hits) } });
}

/** Sorted values along dim (stable; NaN last, as PyTorch), their indices. */
export function sortLines(x: Tensor, dim: number, descending: boolean): { order: number[][]; groups: number[][] } {
  const groups = lines(x.shape, dim);
  const key = (v: number): number => (v !== v ? (descending ? Infinity : Infinity) : v);
  const order = groups.map((idx) => {
    const o = idx.map((_, j) => j);
    o.sort((p, q) => {
      const a = x.data[idx[p]];
      const b = x.data[idx[q]];
      if (a !== a || b !== b) return a !== a && b !== b ? p - q : a !== a ? (descending ? -1 : 1) : descending ? 1 : -1;
      return (descending ? key(b) - key(a) : key(a) - key(b)) || p - q;
    });
    return o;
  });
  return { order, groups };
}

export function selectAlong(x: Tensor, dim: number, count: number, keepdim: boolean, choose: (line: number) => number[]): { pick: Pick; indices: Tensor } {
  const groups = lines(x.shape, dim);
  const shape = x.shape.slice();
  if (x.ndim) shape[dim] = count;
  const outShape = keepdim || count !== -1 ? shape : shape;
  const pick = { shape: outShape, map: new Int32Array(numelOf(outShape)) };
  const indices = make('int64', outShape);
  // The output's lines along dim, in the same order as the input's.
  const outGroups = lines(outShape, dim);
  groups.forEach((idx, k) => {
    const js = choose(k);
    js.forEach((j, r) => {
      pick.map[outGroups[k][r]] = idx[j];
      indices.data[outGroups[k][r]] = j;
    });
  });
  return { pick, indices };
}

export function sort(x: Tensor, dim = -1, descending = false): [Tensor, Tensor] {
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const { order } = sortLines(x, d, descending);
  const { pick, indices } = selectAlong(x, d, x.ndim ? x.shape[d] : 1, true, (k) => order[k]);
  return [apply(sortOp, [x], { pick }), indices];
}

export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): [Tensor, Tensor] {
  void sorted;
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const size = x.ndim ? x.shape[d] : 1;
  if (k < 0 || k > size) throw runtimeError('selected index k out of range');
  const { order } = sortLines(x, d, largest);
  const { pick, indices } = selectAlong(x, d, k, true, (line) => order[line].slice(0, k));
  return [apply(topkOp, [x], { pick }), indices];
}

/** The lower median (PyTorch's): element (n - 1) / 2 of the sorted values; NaN if any. */
export function median(x: Tensor): Tensor {
  const vals = Array.from(x.data);
  const order = vals.map((_, j) => j).sort((p, q) => (vals[p] !== vals[p] ? 1 : vals[q] !== vals[q] ? -1 : vals[p] - vals[q] || p - q));
  const nanAt = vals.findIndex((v) => v !== v);
  const j = nanAt >= 0 ? nanAt : order[Math.floor((vals.length - 1) / 2)];
  return apply(medianAllOp, [x], { pick: { shape: [], map: Int32Array.of(j) } });
}

export function medianDim(x: Tensor, dim: number, keepdim = false): [Tensor, Tensor] {
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const { order, groups } = sortLines(x, d, false);
  const { pick, indices } = selectAlong(x, d, 1, true, (k) => {
    const idx = groups[k];
    const nan = idx.findIndex((i) => x.data[i] !== x.data[i]);
    return [nan >= 0 ? nan : order[k][Math.floor((idx.length - 1) / 2)]];
  });
  if (!keepdim && x.ndim) {
    pick.shape.splice(d, 1);
    return [apply(medianDimOp, [x], { pick }), new Tensor(indices.data, pick.shape.slice(), 'int64')];
  }
  return [apply(medianDimOp, [x], { pick }), indices];
}

/** F.pad with a constant: pad lists (before, after) pairs from the last dim backwards; negative pads crop. */
export function pad(x: Tensor, pads: number[], value = 0): Tensor {
  if (pads.length % 2 !== 0) throw runtimeError('Padding length must be divisible by 2');
  if (pads.length / 2 > x.ndim) throw runtimeError('Padding length too large');
  const before = new Array<number>(x.ndim).fill(0);
  const shape = x.shape.slice();
  for (let k = 0; k < pads.length / 2; k++) {
    const d = x.ndim - 1 - k;
    before[d] = pads[2 * k];
    shape[d] += pads[2 * k] + pads[2 * k + 1];
  }
  const st = stridesOf(x.shape);
  const pick = pickBy(x, shape, (idx) => {
    const src = idx.map((v, d) => v - before[d]);
    return src.every((v, d) => v >= 0 && v < x.shape[d]) ? flatOf(src, st) : -1;
  });
  return apply(padOp, [x], { pick, fill: value });
}

// ---------------------------------------------------------------- layer norm

interface LayerNormSaved {
  mean: Float64Array;
  rstd: Float64Array;
}

/**
 * Where layer norm and group norm differ: the x elements of group gi are m consecutive ones from gi·m; element
 * j of it is scaled and shifted by the parameters at offset(gi) + param[j].
 */
interface NormLayout {
  m: number;
  count: number;
  param: Int32Array;
  offset: (gi: number) => number;
}

/** Layer norm: the last dims are a group, their parameters one per element. */
function layerNormLayout(x: Tensor, normalized: number[]): NormLayout {
  const m = numelOf(normalized);
  return { m, count: m === 0 ? 0 : x.data.length / m, param: Int32Array.from({ length: m }, (_, j) => j), offset: () => 0 };
}

/** Group norm: an image's channels in `groups` groups, their parameters one per channel. */
function groupNormLayout(x: Tensor, groups: number): NormLayout {
  const [n, c] = x.shape;
  const hw = c === 0 || n === 0 ? 0 : x.data.length / (n * c);
  const cg = c / groups;
  const m = cg * hw;
  return { m, count: n * groups, param: Int32Array.from({ length: m }, (_, j) => Math.floor(j / hw)), offset: (gi) => (gi % groups) * cg };
}

/** Each group's mean and 1/std (float64), then (x − mean)·rstd·weight + bias. */
function normForward(x: Tensor, w: Tensor | undefined, b: Tensor | undefined, eps: number, L: NormLayout): { out: Tensor; saved: LayerNormSaved } {
  const { m, count, param } = L;
  const out = make(x.dtype, x.shape);
  const mean = new Float64Array(count);
  const rstd = new Float64Array(count);
  for (let gi = 0; gi < count; gi++) {
    const base = gi * m;
    const at = L.offset(gi);
    let s = 0;
    for (let j = 0; j < m; j++) s += x.data[base + j];
    const mu = m ? s / m : 0;
    let v = 0;
    for (let j = 0; j < m; j++) v += (x.data[base + j] - mu) ** 2;
    mean[gi] = mu;
    rstd[gi] = 1 / Math.sqrt((m ? v / m : 0) + eps);
    for (let j = 0; j < m; j++) {
      const xh = (x.data[base + j] - mu) * rstd[gi];
      out.data[base + j] = xh * (w ? w.data[at + param[j]] : 1) + (b ? b.data[at + param[j]] : 0);
    }
  }
  return { out, saved: { mean, rstd } };
}

/** grad input = rstd/m · (m·d − Σd − xhat·Σ(d·xhat)) with d = grad·weight, per group; weight and bias sum per parameter. */
function normBackward(
  g: Tensor, x: Tensor, w: Tensor | undefined, b: Tensor | undefined, need: boolean[], { mean, rstd }: LayerNormSaved, L: NormLayout,
): (Tensor | null)[] {
  const { m, count, param } = L;
  const gx = need[0] ? make(g.dtype, x.shape) : null;
  const gw = w && need[1] ? new Float64Array(w.data.length) : null;
  const gb = b && need[2] ? new Float64Array(b.data.length) : null;
  for (let gi = 0; gi < count; gi++) {
    const base = gi * m;
    const at = L.offset(gi);
    let sumD = 0;
    let sumDX = 0;
    for (let j = 0; j < m; j++) {
      const k = base + j;
      const xh = (x.data[k] - mean[gi]) * rstd[gi];
      const d = g.data[k] * (w ? w.data[at + param[j]] : 1);
      sumD += d;
      sumDX += d * xh;
      if (gw) gw[at + param[j]] += g.data[k] * xh;
      if (gb) gb[at + param[j]] += g.data[k];
    }
    if (gx) {
      for (let j = 0; j < m; j++) {
        const k = base + j;
        const xh = (x.data[k] - mean[gi]) * rstd[gi];
        const d = g.data[k] * (w ? w.data[at + param[j]] : 1);
        gx.data[k] = (rstd[gi] / m) * (m * d - sumD - xh * sumDX);
      }
    }
  }
  const asTensor = (a: Float64Array | null, like: Tensor): Tensor | null => {
    if (!a) return null;
    const t = make(like.dtype, like.shape);
    t.data.set(a);
    return t;
  };
  const res: (Tensor | null)[] = [gx];
  if (w) res.push(asTensor(gw, w));
  if (b) res.push(asTensor(gb, b));
  return res;
}

/** F.layer_norm over the last dims (normalizedSize elements per group): NativeLayerNormBackward0. */
export const layerNormOp = defineOp<{ normalized: number[]; eps: number }, LayerNormSaved>({
  name: 'layer_norm', label: 'layer_norm', gradFn: 'NativeLayerNormBackward0', inputs: ['input', 'weight', 'bias'],
  formulas: {
    input: 'rstd * (grad * weight - mean(grad * weight) - xhat * mean(grad * weight * xhat))',
    weight: 'sum(grad * xhat)',
    bias: 'sum(grad)',
  },
  saves: ['input', 'weight'],
  forward: ([x, w, b], { normalized, eps }) => normForward(x, w, b, eps, layerNormLayout(x, normalized)),
  backward: (g, { inputs: [x, w, b], attrs: { normalized }, saved }, n) => normBackward(g, x, w, b, n, saved, layerNormLayout(x, normalized)),
});

export function layerNorm(x: Tensor, normalized: number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const k = normalized.length;
  if (k === 0 || k > x.ndim || normalized.some((s, i) => s !== x.shape[x.ndim - k + i])) {
    throw runtimeError(`Given normalized_shape=[${normalized.join(', ')}], expected input with shape [*, ${normalized.join(', ')}], but got input of size[${x.shape.join(', ')}]`);
  }
  for (const t of [weight, bias]) {
    if (t && (t.ndim !== k || t.shape.some((s, i) => s !== normalized[i]))) {
      throw runtimeError(`Expected weight to be of same shape as normalized_shape, but got weight of shape [${t.shape.join(', ')}] and normalized_shape = [${normalized.join(', ')}]`);
    }
  }
  if (!weight && bias) throw runtimeError('layer_norm with a bias but no weight is not supported in this playground');
  const inputs = [x];
  if (weight) inputs.push(weight);
  if (bias) inputs.push(bias);
  return apply(layerNormOp, inputs, { normalized: normalized.slice(), eps });
}

/**
 * F.group_norm over [N, C, *]: each image's channels in `groups` groups, each group normalised over its channels
 * and positions, then scaled and shifted per channel: NativeGroupNormBackward0.
 */
export const groupNormOp = defineOp<{ groups: number; eps: number }, LayerNormSaved>({
  name: 'group_norm', label: 'group_norm', gradFn: 'NativeGroupNormBackward0', inputs: ['input', 'weight', 'bias'],
  formulas: {
    input: 'rstd * (grad * weight - mean(grad * weight) - xhat * mean(grad * weight * xhat)) per group',
    weight: 'sum(grad * xhat) per channel',
    bias: 'sum(grad) per channel',
  },
  saves: ['input', 'weight'],
  forward: ([x, w, b], { groups, eps }) => normForward(x, w, b, eps, groupNormLayout(x, groups)),
  backward: (g, { inputs: [x, w, b], attrs: { groups }, saved }, n) => normBackward(g, x, w, b, n, saved, groupNormLayout(x, groups)),
});

export function groupNorm(x: Tensor, groups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (x.ndim < 2) throw runtimeError(`Expected at least 2 dimensions for input tensor but received ${x.ndim}`);
  const c = x.shape[1];
  if (groups <= 0 || c % groups !== 0) {
    throw runtimeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${x.shape.join(', ')}] and num_groups=${groups}`);
  }
  for (const [t, what] of [[weight, 'weight'], [bias, 'bias']] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== c)) {
      throw runtimeError(`Expected ${what} to be a vector of size equal to the number of channels in input, but got ${what} of shape [${t.shape.join(', ')}] and input of shape [${x.shape.join(', ')}]`);
    }
  }
  if (!weight && bias) throw runtimeError('group_norm with a bias but no weight is not supported in this playground');
  const inputs = [x];
  if (weight) inputs.push(weight);
  if (bias) inputs.push(bias);
  return apply(groupNormOp, inputs, { groups, eps });
}

/** F.embedding(input, weight): the rows of weight at the int64 indices, shaped input.shape + [dim]. */
export function embedding(idx: Tensor, weight: Tensor): Tensor {
  if (idx.dtype !== 'int64' && idx.dtype !== 'int32') throw runtimeError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${legacyTypeName(idx.dtype)} instead (while checking arguments for embedding)`);
  if (weight.ndim !== 2) throw runtimeError("'weight' must be 2-D");
  const [n, d] = weight.shape;
  const shape = [...idx.shape, d];
  const map = new Int32Array(idx.numel * d);
  for (let i = 0; i < idx.numel; i++) {
    const r = idx.data[i];
    if (r < 0 || r >= n) throw new EngineError('IndexError', 'index out of range in self');
    for (let j = 0; j < d; j++) map[i * d + j] = r * d + j;
  }
  return apply(embeddingOp, [weight], { pick: { shape, map } });
}
