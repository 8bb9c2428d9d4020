// The gamma family (lgamma, digamma, polygamma, mvlgamma) and torch.special's own elementwise ops (entr,
// xlog1py), each recorded under PyTorch 1.13's grad_fn. Values are PyTorch's CPU kernels' (../kernels/gamma,
// ../kernels/sleefGamma): float32 in float arithmetic, float64 in double.
import { runtimeError } from '../context';
import { isFloating, resultType2, DEFAULT_FLOAT } from '../dtype';
import { Tensor } from '../tensor';
import { broadcastIndex } from '../kernels/elementwise';
import { digamma as digamma64, digammaf, lgamma as lgamma64, log1pf, logf, polygammaOf } from '../kernels/gamma';
import * as libm from '../lang/libm';
import { lgammaf } from '../kernels/sleefGamma';
import { bessel, ndtri as ndtriOf } from '../kernels/bessel';
import { apply, defineOp } from './define';
import { add, broadcastShapes, div, eq, gt, le, logicalAnd, mul, pow, sub } from './arith';
import { erf, erfc, sgn } from './more';
import { logNdtr as logNdtrOf, logNdtrf } from '../kernels/logNdtr';
import { addScalar } from './extra';
import { where } from './select';
import { abs, exp, log, neg, reciprocal, roundOp, square } from './unary';
import { sum, sumRaw } from './reduce';
import { unsqueeze } from './shape';
import { make } from './more';

/** An elementwise op of one input whose gradient is grad · d(self), d itself a recorded op (create_graph works). */
function gammaOp<A>(name: string, gradFn: string, formula: string, f32: (x: number, a: A) => number, f64: (x: number, a: A) => number,
  derivative: (x: Tensor, a: A) => Tensor) {
  return defineOp<A>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: ['self'],
    forward: ([x], a) => {
      const dtype = isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT;
      const out = make(dtype, x.shape);
      const f = dtype === 'float32' ? f32 : f64;
      for (let i = 0; i < out.data.length; i++) out.data[i] = f(dtype === 'float32' ? Math.fround(x.data[i]) : x.data[i], a);
      return out;
    },
    backward: (g, { inputs: [x], attrs }, n) => [n[0] ? mul(g, derivative(x, attrs)) : null],
  });
}

export const lgammaOp = gammaOp('lgamma', 'LgammaBackward0', 'grad * digamma(self)', lgammaf, lgamma64, (x) => digamma(x));
export const digammaOp = gammaOp('digamma', 'DigammaBackward0', 'grad * polygamma(1, self)', digammaf, digamma64, (x) => polygamma(1, x));
export const polygammaOp = gammaOp<{ n: number }>('polygamma', 'PolygammaBackward0', 'grad * polygamma(n + 1, self)',
  (x, { n }) => polygammaOf(n, x, true), (x, { n }) => polygammaOf(n, x, false), (x, { n }) => polygamma(n + 1, x));

export const lgamma = (x: Tensor): Tensor => apply(lgammaOp, [x], {});
export const digamma = (x: Tensor): Tensor => apply(digammaOp, [x], {});
export function polygamma(n: number, x: Tensor): Tensor {
  if (n < 0) throw runtimeError('polygamma(n, x) does not support negative n.');
  return apply(polygammaOp, [x], { n });
}

/**
 * mvlgamma(x, p) = Σ_{i<p} lgamma(x − i/2) + p(p − 1)/4 · log π, as PyTorch computes it: x + arange(−p/2 + 0.5,
 * 0.5, 0.5) in the dtype, their lgammas summed in order, then the constant added (rounded to the dtype first).
 */
export const mvlgammaOp = defineOp<{ p: number }>({
  name: 'mvlgamma', label: 'mvlgamma', gradFn: 'MvlgammaBackward0', inputs: ['self'],
  formulas: { self: 'grad * (self.unsqueeze(-1) + arange(-p / 2 + 0.5, 0.5, 0.5)).digamma().sum(-1)' }, saves: ['self'],
  forward: ([x], { p }) => {
    const dtype = isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT;
    const out = make(dtype, x.shape);
    const f32 = dtype === 'float32';
    const r = f32 ? Math.fround : (v: number) => v;
    const lg = f32 ? lgammaf : lgamma64;
    const constant = r((p * (p - 1) * Math.log(Math.PI)) / 4);
    // The lgammas as a [..., p] tensor, summed over the last dim in PyTorch's order (sumRaw), then the constant.
    const terms = make(dtype, [...x.shape, p]);
    for (let i = 0; i < out.data.length; i++) {
      const v = r(x.data[i]);
      for (let k = 0; k < p; k++) terms.data[i * p + k] = lg(r(v + (-p / 2 + 0.5 + k * 0.5)));
    }
    const sums = sumRaw(terms, [x.ndim], false);
    for (let i = 0; i < out.data.length; i++) out.data[i] = r(sums.data[i] + constant);
    return out;
  },
  backward: (g, { inputs: [x], attrs: { p } }, n) => {
    if (!n[0]) return [null];
    const offsets = make(isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT, [p]);
    for (let k = 0; k < p; k++) offsets.data[k] = -p / 2 + 0.5 + k * 0.5;
    return [mul(g, sum(digamma(add(unsqueeze(x, -1), offsets)), [-1]))];
  },
});

export function mvlgamma(x: Tensor, p: number): Tensor {
  if (p < 1) throw runtimeError('p has to be greater than or equal to 1');
  return apply(mvlgammaOp, [x], { p });
}

/** entr(x) = −x·log x (0 at 0, −∞ below): the C library's logf in float32, as PyTorch's kernel. */
export const entrOp = defineOp({
  name: 'entr', label: 'entr', gradFn: 'SpecialEntrBackward0', inputs: ['self'], formulas: { self: 'grad * (-(1 + self.log()))' }, saves: ['self'],
  forward: ([x]) => {
    const dtype = isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT;
    const out = make(dtype, x.shape);
    const f32 = dtype === 'float32';
    for (let i = 0; i < out.data.length; i++) {
      const v = x.data[i];
      out.data[i] = v !== v ? v : v > 0 ? (f32 ? Math.fround(-v * logf(v)) : -v * libm.log(v)) : v === 0 ? 0 : -Infinity;
    }
    return out;
  },
  backward: (g, { inputs: [x] }, n) => [n[0] ? mul(g, neg(addScalar(log(x), 1))) : null],
});
export const entr = (x: Tensor): Tensor => apply(entrOp, [x], {});

/**
 * xlog1py(x, y) = x·log1p(y), 0 where x is 0 (NaN where y is), log1p the C library's in float32. A Python
 * number on either side is recorded as SpecialXlog1PyBackward1 (self) or 2 (other), with one edge.
 */
export const xlog1pyOp = defineOp({
  name: 'xlog1py', label: 'xlog1py', gradFn: 'SpecialXlog1PyBackward0', inputs: ['self', 'other'],
  formulas: { self: 'at::xlog1py(grad, other).masked_fill((self == 0.) & (other <= -1.), 0.)', other: 'grad * self / (other + 1)' },
  saves: ['self', 'other'],
  forward: ([a, b]) => {
    const shape = broadcastShapes(a.shape, b.shape);
    const dtype = resultType2(a.dtype, a.ndim === 0, a.isWrappedNumber, b.dtype, b.ndim === 0, b.isWrappedNumber);
    const out = make(isFloating(dtype) ? dtype : DEFAULT_FLOAT, shape);
    const f32 = out.dtype === 'float32';
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    for (let i = 0; i < out.data.length; i++) {
      const x = f32 ? Math.fround(a.data[ia[i]]) : a.data[ia[i]];
      const y = f32 ? Math.fround(b.data[ib[i]]) : b.data[ib[i]];
      out.data[i] = y !== y ? NaN : x === 0 ? 0 : f32 ? Math.fround(x * log1pf(y)) : x * Math.log1p(y);
    }
    return out;
  },
  backward: (g, { inputs: [a, b] }, n) => [
    n[0] ? where(logicalAnd(eq(a, 0), le(b, -1)), 0, xlog1py(g, b)) : null,
    n[1] ? div(mul(g, a), addScalar(b, 1)) : null,
  ],
});
const xlog1pyScalarSelf = { ...xlog1pyOp, gradFn: 'SpecialXlog1PyBackward1', nonDifferentiable: [0] };
const xlog1pyScalarOther = { ...xlog1pyOp, gradFn: 'SpecialXlog1PyBackward2', nonDifferentiable: [1] };
export const xlog1py = (a: Tensor, b: Tensor): Tensor =>
  apply(b.isWrappedNumber ? xlog1pyScalarOther : a.isWrappedNumber ? xlog1pyScalarSelf : xlog1pyOp, [a, b], {});

/** torch.special.round: round's computation under the decimals overload's grad_fn. */
export const roundDecimalsOp = { ...roundOp, gradFn: 'RoundBackward1' };

// ---------------------------------------------------------------- modified Bessel functions

function besselOp(kind: 'i0' | 'i0e' | 'i1' | 'i1e', gradFn: string, formula: string, derivative: (x: Tensor, y: Tensor) => Tensor) {
  return defineOp({
    name: kind, label: kind, gradFn, inputs: ['self'], formulas: { self: formula }, saves: ['self', 'result'],
    forward: ([x]) => {
      const dtype = isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT;
      const out = make(dtype, x.shape);
      const f32 = dtype === 'float32';
      for (let i = 0; i < out.data.length; i++) out.data[i] = bessel(kind, f32 ? Math.fround(x.data[i]) : x.data[i], f32);
      return out;
    },
    backward: (g, { inputs: [x], result }, n) => [n[0] ? mul(g, derivative(x, result)) : null],
  });
}

/** i1_backward / i1e_backward: x replaced by eps where |x| ≤ eps, the derivative 0.5 there. */
function nearZero(x: Tensor, f: (safe: Tensor) => Tensor): Tensor {
  const eps = x.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
  const notTiny = gt(abs(x), eps);
  return where(notTiny, f(where(notTiny, x, eps)), 0.5);
}

export const i0Op = besselOp('i0', 'I0Backward0', 'grad * at::special_i1(self)', (x) => i1(x));
export const i0eOp = besselOp('i0e', 'SpecialI0EBackward0', 'grad * (at::special_i1e(self) - self.sgn() * result)', (x, y) => sub(i1e(x), mul(sgn(x), y)));
export const i1Op = besselOp('i1', 'SpecialI1Backward0', 'i1_backward(grad, self, result)', (x, y) => nearZero(x, (s) => sub(i0(s), mul(y, reciprocal(s)))));
export const i1eOp = besselOp('i1e', 'SpecialI1EBackward0', 'i1e_backward(grad, self, result)',
  (x, y) => nearZero(x, (s) => sub(i0e(s), mul(y, add(sgn(s), reciprocal(s))))));

export const i0 = (x: Tensor): Tensor => apply(i0Op, [x], {});
export const i0e = (x: Tensor): Tensor => apply(i0eOp, [x], {});
export const i1 = (x: Tensor): Tensor => apply(i1Op, [x], {});
export const i1e = (x: Tensor): Tensor => apply(i1eOp, [x], {});

/** ndtri: the standard normal quantile (Cephes' calc_ndtri); its gradient grad · √(2π) · exp(result² / 2). */
export const ndtriOp = defineOp({
  name: 'ndtri', label: 'ndtri', gradFn: 'SpecialNdtriBackward0', inputs: ['self'], formulas: { self: 'grad * std::sqrt(2 * M_PI) * (result.square() / 2).exp()' },
  saves: ['result'],
  forward: ([x]) => {
    const dtype = isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT;
    const out = make(dtype, x.shape);
    const f32 = dtype === 'float32';
    for (let i = 0; i < out.data.length; i++) out.data[i] = ndtriOf(f32 ? Math.fround(x.data[i]) : x.data[i], f32);
    return out;
  },
  backward: (g, { result }, n) => [n[0] ? mul(mul(g, Math.sqrt(2 * Math.PI)), exp(div(square(result), 2))) : null],
});
export const ndtri = (x: Tensor): Tensor => apply(ndtriOp, [x], {});

const erfcDouble = (x: number): number => (x < 0.5 ? 1 - erf(x) : erfc(x));

/** log_ndtr: log Φ(x) (../kernels/logNdtr); its gradient grad / √(2π) · exp(−(result + self² / 2)). */
export const logNdtrOp = defineOp({
  name: 'log_ndtr', label: 'log_ndtr', gradFn: 'SpecialLogNdtrBackward0', inputs: ['self'],
  formulas: { self: 'grad / std::sqrt(2 * M_PI) * (result + self.pow(2) / 2).neg().exp()' }, saves: ['self', 'result'],
  forward: ([x]) => {
    const dtype = isFloating(x.dtype) ? x.dtype : DEFAULT_FLOAT;
    const out = make(dtype, x.shape);
    const f32 = dtype === 'float32';
    for (let i = 0; i < out.data.length; i++) out.data[i] = f32 ? logNdtrf(Math.fround(x.data[i])) : logNdtrOf(x.data[i], erfcDouble);
    return out;
  },
  backward: (g, { inputs: [x], result }, n) => [n[0] ? mul(div(g, Math.sqrt(2 * Math.PI)), exp(neg(add(result, div(pow(x, 2), 2))))) : null],
});
export const logNdtr = (x: Tensor): Tensor => apply(logNdtrOp, [x], {});
