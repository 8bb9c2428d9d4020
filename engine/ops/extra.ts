// Ops of PyTorch 1.13 found missing by a probe of the torch namespace against real PyTorch, each recorded under
// its grad_fn name: elementwise tan, asinh, acosh, atanh, rad2deg, deg2rad, logit, erfc, erfinv, sinc;
// logaddexp, fmod, copysign; addcmul, addcdiv; nansum, trace, diag, take, kthvalue, mode, cummax/cummin,
// logcumsumexp; scatter, scatter_add, index_add, index_fill; cross.
// Like ./more, they compute in float64 and round once to the tensor's dtype, except where PyTorch's float32
// arithmetic is reproduced step by step (addcmul, addcdiv, rad2deg).
import { allocStorage, isFloating, isIntegral, resultType2, DEFAULT_FLOAT } from '../dtype';
import { EngineError, runtimeError } from '../context';
import { Tensor, normalizeDim, numelOf, stridesOf } from '../tensor';
import { broadcastIndex } from '../kernels/elementwise';
import { apply, defineOp } from './define';
import { broadcastShapes } from './arith';
import {
  around, binaryFloat, checkReduce, eachIndex, erf, erfc, flatOf, floatOut, groupsOf, lines, make, mulScalarOp, pickBy, pickOp, pointwise,
  reduction, selectAlong, sortLines, type Pick,
} from './more';

// ---------------------------------------------------------------- elementwise

export const tanOp = pointwise('tan', 'TanBackward0', 'grad * (1 + result.pow(2))', Math.tan, (_x, y) => 1 + y * y);
export const asinhOp = pointwise('asinh', 'AsinhBackward0', 'grad * (self.pow(2) + 1).rsqrt()', Math.asinh, (x) => 1 / Math.sqrt(x * x + 1));
export const acoshOp = pointwise('acosh', 'AcoshBackward0', 'grad * (self.pow(2) - 1).rsqrt()', Math.acosh, (x) => 1 / Math.sqrt(x * x - 1));
export const atanhOp = pointwise('atanh', 'AtanhBackward0', 'grad * 1 / (1 - self.pow(2))', Math.atanh, (x) => 1 / (1 - x * x));
/** erfc with full precision in the tail (not 1 − erf). */
export const erfcOp = pointwise('erfc', 'ErfcBackward0', '-2.0 / sqrt(M_PI) * exp(-(self.pow(2))) * grad',
  (x) => (x !== x ? x : x < 0.5 ? 1 - erf(x) : erfc(x)), (x) => (-2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
export const erfinvOp = pointwise('erfinv', 'ErfinvBackward0', '0.5 * sqrt(M_PI) * exp(self.erfinv().pow(2)) * grad',
  erfinv, (_x, y) => 0.5 * Math.sqrt(Math.PI) * Math.exp(y * y));
/** sinc: sin(π·x)/(π·x), 1 at 0; in float32 π·x is rounded first, as PyTorch's kernel (sinc(1) is −2.8e−8, not 0). */
export const sincOp = pointwise<{ f32: boolean }>('sinc', 'SincBackward0', '((M_PI * self * (M_PI * self).cos() - (M_PI * self).sin()) / (M_PI * self * self)).masked_fill_(self == 0, 0) * grad',
  (x, { f32 }) => {
    if (x === 0) return 1;
    const p = f32 ? Math.fround(Math.fround(Math.PI) * x) : Math.PI * x;
    return (f32 ? Math.fround(Math.sin(p)) : Math.sin(p)) / p;
  },
  (x) => (x === 0 ? 0 : (Math.PI * x * Math.cos(Math.PI * x) - Math.sin(Math.PI * x)) / (Math.PI * x * x)));
/**
 * logit(x) = log(x / (1 − x)), x clamped to [lo, hi] = [eps, 1 − eps] (in the tensor's dtype, as PyTorch computes
 * them) when eps is given; the gradient is 0 outside.
 */
export const logitOp = pointwise<{ lo: number | null; hi: number | null }>('logit', 'LogitBackward0', 'logit_backward(grad, self, eps)',
  (x, { lo, hi }) => {
    const z = lo === null ? x : Math.min(Math.max(x, lo), hi!);
    return Math.log(z / (1 - z));
  },
  (x, _y, { lo, hi }) => (lo === null ? (x < 0 || x > 1 ? NaN : 1 / (x * (1 - x))) : x < lo || x > hi! ? 0 : 1 / (x * (1 - x))),
  false, true);

/** erfinv in double: Giles' approximation, then two Newton steps on erf. */
function erfinv(y: number): number {
  if (y !== y || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 6.25) {
    w -= 3.125;
    x = -3.6444120640178196996e-21;
    for (const c of [-1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14, 2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11, 1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08, 4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05, 0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533, 0.24015818242558961693, 1.6536545626831027356]) x = c + x * w;
  } else if (w < 16) {
    w = Math.sqrt(w) - 3.25;
    x = 2.2137376921775787049e-09;
    for (const c of [9.0756561938885390979e-08, -2.7517406297064545428e-07, 1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06, 2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05, 6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796, 0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066, -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334, 3.0838856104922207635]) x = c + x * w;
  } else {
    w = Math.sqrt(w) - 5;
    x = -2.7109920616438573243e-11;
    for (const c of [-2.5556418169965252055e-10, 1.5076572693500548083e-09, -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08, 2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07, -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05, 7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026, 1.0103004648645343977, 4.8499064014085844221]) x = c + x * w;
  }
  x *= y;
  for (let k = 0; k < 2; k++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/** rad2deg/deg2rad: self times the constant, as PyTorch's mul by a wrapped scalar (float32 rounds the constant first). */
export const rad2degOp = { ...mulScalarOp, name: 'rad2deg', label: 'rad2deg', gradFn: 'Rad2DegBackward0', formulas: { self: 'grad * 180.0 / M_PI' } };
export const deg2radOp = { ...mulScalarOp, name: 'deg2rad', label: 'deg2rad', gradFn: 'Deg2RadBackward0', formulas: { self: 'grad * M_PI / 180.0' } };
export const rad2deg = (x: Tensor): Tensor => apply(rad2degOp, [asFloat(x)], { other: 180 / Math.PI });
export const deg2rad = (x: Tensor): Tensor => apply(deg2radOp, [asFloat(x)], { other: Math.PI / 180 });

function asFloat(x: Tensor): Tensor {
  if (isFloating(x.dtype)) return x;
  const t = make(DEFAULT_FLOAT, x.shape);
  t.data.set(x.data);
  return t;
}

export const logaddexpOp = binaryFloat('logaddexp', 'LogaddexpBackward0',
  { self: 'grad / (1 + exp(other - self))', other: 'grad / (1 + exp(self - other))' },
  (a, b) => {
    const m = Math.max(a, b);
    return m === -Infinity ? -Infinity : m === Infinity ? Infinity : m + Math.log1p(Math.exp(-Math.abs(a - b)));
  },
  (a, b) => 1 / (1 + Math.exp(b - a)), (a, b) => 1 / (1 + Math.exp(a - b)));
/**
 * fmod: the C remainder (the dividend's sign), JavaScript's %, in the promoted dtype (integers stay integers; an
 * integer division by 0 raises as PyTorch's). FmodBackward1 for a tensor divisor, FmodBackward0 for a number.
 */
export const fmodOp = defineOp({
  name: 'fmod', label: 'fmod', gradFn: 'FmodBackward1', inputs: ['self', 'other'],
  formulas: { self: 'grad', other: '-grad * self.div(other, rounding_mode="trunc")' }, saves: ['self', 'other'],
  forward: ([a, b]) => {
    const dtype = resultType2(a.dtype, a.ndim === 0, a.isWrappedNumber, b.dtype, b.ndim === 0, b.isWrappedNumber);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = make(dtype, shape);
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    for (let i = 0; i < out.data.length; i++) {
      const y = b.data[ib[i]];
      if (y === 0 && !isFloating(dtype)) throw runtimeError('ZeroDivisionError');
      out.data[i] = a.data[ia[i]] % y;
    }
    return out;
  },
  backward: (g, { inputs: [a, b] }, n) => {
    let gb: Tensor | null = null;
    if (n[1]) {
      const { ia, ib } = broadcastIndex(a.shape, b.shape, g.shape);
      gb = make(g.dtype, g.shape);
      for (let i = 0; i < g.data.length; i++) gb.data[i] = -g.data[i] * Math.trunc(a.data[ia[i]] / b.data[ib[i]]);
    }
    return [n[0] ? g : null, gb];
  },
});
const fmodScalarOp = { ...fmodOp, gradFn: 'FmodBackward0', nonDifferentiable: [1] };
const copysignOf = (a: number, b: number): number => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a));
const copysignRaw = binaryFloat('copysign', 'CopysignBackward0', { self: 'copysign_tensor_self_backward(grad, self, result)', other: 'zeros_like(other)' },
  copysignOf, (a, _b, y) => (a === 0 ? 0 : y / a), () => 0);
/** copysign; other's gradient is zeros_like(other): +0, not grad · 0. */
export const copysignOp = {
  ...copysignRaw,
  backward: ((g, ctx, n) => {
    const [ga, gb] = copysignRaw.backward(g, ctx, n);
    if (gb) gb.data.fill(0);
    return [ga, gb];
  }) as typeof copysignRaw.backward,
};
const copysignScalarOp = { ...copysignOp, gradFn: 'CopysignBackward1', nonDifferentiable: [1] };

export const logaddexp = (a: Tensor, b: Tensor): Tensor => apply(logaddexpOp, [a, b], {});
export const fmod = (a: Tensor, b: Tensor): Tensor => apply(b.isWrappedNumber ? fmodScalarOp : fmodOp, [a, b], {});
export const copysign = (a: Tensor, b: Tensor): Tensor => apply(b.isWrappedNumber ? copysignScalarOp : copysignOp, [a, b], {});
export const tan = (x: Tensor): Tensor => apply(tanOp, [x], {});
export const asinh = (x: Tensor): Tensor => apply(asinhOp, [x], {});
export const acosh = (x: Tensor): Tensor => apply(acoshOp, [x], {});
export const atanh = (x: Tensor): Tensor => apply(atanhOp, [x], {});
export const erfcT = (x: Tensor): Tensor => apply(erfcOp, [x], {});
export const erfinvT = (x: Tensor): Tensor => apply(erfinvOp, [x], {});
export const sinc = (x: Tensor): Tensor => apply(sincOp, [x], { f32: x.dtype === 'float32' });
export function logit(x: Tensor, eps: number | null = null): Tensor {
  const r = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  return apply(logitOp, [x], eps === null ? { lo: null, hi: null } : { lo: r(eps), hi: r(1 - r(eps)) });
}

/**
 * self + value · t1 · t2 (addcmul) or self + value · t1 / t2 (addcdiv), in PyTorch's order, each step rounded in
 * float32 as its CPU kernel does.
 */
const addcOp = (name: 'addcmul' | 'addcdiv') =>
  defineOp<{ value: number }>({
    name, label: name, gradFn: name === 'addcmul' ? 'AddcmulBackward0' : 'AddcdivBackward0', inputs: ['self', 'tensor1', 'tensor2'],
    formulas: name === 'addcmul'
      ? { self: 'grad', tensor1: 'grad * tensor2 * value', tensor2: 'grad * tensor1 * value' }
      : { self: 'grad', tensor1: 'grad * value / tensor2', tensor2: '-grad * value * tensor1 / (tensor2 * tensor2)' },
    saves: ['tensor1', 'tensor2'],
    forward: ([s, t1, t2], { value }) => {
      const shape = broadcastShapes(broadcastShapes(s.shape, t1.shape), t2.shape);
      const dtype = [s, t1, t2].some((t) => t.dtype === 'float64') ? 'float64' : floatOut(s);
      const out = make(dtype, shape);
      const r = dtype === 'float32' ? Math.fround : (v: number) => v;
      const { ia: is } = broadcastIndex(s.shape, shape, shape);
      const { ia: i1 } = broadcastIndex(t1.shape, shape, shape);
      const { ia: i2 } = broadcastIndex(t2.shape, shape, shape);
      const v = r(value);
      for (let i = 0; i < out.data.length; i++) {
        const a = t1.data[i1[i]];
        const b = t2.data[i2[i]];
        out.data[i] = r(s.data[is[i]] + (name === 'addcmul' ? r(r(v * a) * b) : r(v * r(a / b))));
      }
      return out;
    },
    backward: (g, { inputs: [, t1, t2], attrs: { value } }, n) => {
      const shape = g.shape;
      const { ia: i1 } = broadcastIndex(t1.shape, shape, shape);
      const { ia: i2 } = broadcastIndex(t2.shape, shape, shape);
      const g1 = n[1] ? make(g.dtype, shape) : null;
      const g2 = n[2] ? make(g.dtype, shape) : null;
      for (let i = 0; i < g.data.length; i++) {
        const a = t1.data[i1[i]];
        const b = t2.data[i2[i]];
        if (name === 'addcmul') {
          if (g1) g1.data[i] = g.data[i] * b * value;
          if (g2) g2.data[i] = g.data[i] * a * value;
        } else {
          if (g1) g1.data[i] = (g.data[i] * value) / b;
          if (g2) g2.data[i] = (-g.data[i] * value * a) / (b * b);
        }
      }
      return [n[0] ? g : null, g1, g2];
    },
  });
export const addcmulOp = addcOp('addcmul');
export const addcdivOp = addcOp('addcdiv');
export function addcmul(s: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return apply(addcmulOp, [s, t1, t2], { value });
}
export function addcdiv(s: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  if (isIntegral(t1.dtype) && isIntegral(t2.dtype)) {
    throw runtimeError('Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.');
  }
  return apply(addcdivOp, [s, t1, t2], { value });
}

// ---------------------------------------------------------------- reductions and picks

/** nansum: NaNs count as 0; their gradient is 0. */
export const nansumOp = reduction('nansum', 'NansumBackward0', 'grad * self.isnan().logical_not()', false,
  (v) => v.reduce((s, x) => (x !== x ? s : s + x), 0), (v, _y, g) => v.map((x) => (x !== x ? 0 : g)));
export const nansum = (x: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor =>
  apply(nansumOp, [x], { dims: checkReduce(x, dim), keepdim });

export const traceOp = pickSum('trace', 'TraceBackward0', 'trace_backward(grad, self.sizes())');
/** A sum of picked elements (trace: the diagonal's). */
function pickSum(name: string, gradFn: string, formula: string) {
  return defineOp<{ picks: Int32Array }>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: [],
    forward: ([x], { picks }) => {
      const out = make(isFloating(x.dtype) ? x.dtype : 'int64', []);
      let s = 0;
      for (const i of picks) s += x.data[i];
      out.data[0] = s;
      return out;
    },
    backward: (g, { inputs: [x], attrs: { picks } }, n) => {
      if (!n[0]) return [null];
      const out = make(g.dtype, x.shape);
      for (const i of picks) out.data[i] = g.data[0];
      return [out];
    },
  });
}
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw runtimeError('trace: expected a matrix, but got tensor with dim ' + x.ndim);
  const n = Math.min(x.shape[0], x.shape[1]);
  return apply(traceOp, [x], { picks: Int32Array.from({ length: n }, (_, i) => i * x.shape[1] + i) });
}

export const diagOp = pickOp('diag', 'DiagBackward0', 'diag_backward(grad, self.sizes(), diagonal)');
/** torch.diag: a vector to a matrix with it on diagonal `k`, or a matrix's diagonal `k` as a vector. */
export function diag(x: Tensor, k = 0): Tensor {
  if (x.ndim === 1) {
    const n = x.shape[0] + Math.abs(k);
    const pick: Pick = pickBy(x, [n, n], ([i, j]) => (j - i === k ? (k >= 0 ? i : j) : -1));
    return apply(diagOp, [x], { pick });
  }
  if (x.ndim !== 2) throw runtimeError('diag(): Supports 1D or 2D tensors. Got ' + x.ndim + 'D');
  const [r, c] = x.shape;
  const len = Math.max(0, k >= 0 ? Math.min(r, c - k) : Math.min(r + k, c));
  const pick: Pick = { shape: [len], map: Int32Array.from({ length: len }, (_, i) => (k >= 0 ? i * c + i + k : (i - k) * c + i)) };
  return apply(diagOp, [x], { pick });
}

export const takeOp = pickOp('take', 'TakeBackward0', 'take_backward(grad, self, index)');
export function take(x: Tensor, index: Tensor): Tensor {
  if (!isIntegral(index.dtype)) throw runtimeError('take(): Expected a long tensor for index, but got ' + (index.dtype === 'bool' ? 'Bool' : 'Float'));
  const n = x.numel;
  const map = Int32Array.from(index.data, (v) => {
    if (v < -n || v >= n) throw new EngineError('IndexError', `out of range: tried to access index ${v} on a tensor of ${n} elements.`);
    return v < 0 ? v + n : v;
  });
  return apply(takeOp, [x], { pick: { shape: index.shape.slice(), map } });
}

export const kthvalueOp = pickOp('kthvalue', 'KthvalueBackward0', 'value_selecting_reduction_backward(grad, dim, indices, self.sizes(), keepdim)');
export const modeOp = pickOp('mode', 'ModeBackward0', 'value_selecting_reduction_backward(grad, dim, indices, self.sizes(), keepdim)');
export const cummaxOp = pickOp('cummax', 'CummaxBackward0', 'cummaxmin_backward(grad, self, indices, dim)');
export const cumminOp = pickOp('cummin', 'CumminBackward0', 'cummaxmin_backward(grad, self, indices, dim)');

/** Values picked one per line along dim (kthvalue, mode): the values and their indices, keepdim or not. */
function pickOnePerLine(x: Tensor, dim: number, keepdim: boolean, op: typeof kthvalueOp, choose: (line: number, idx: number[]) => number): [Tensor, Tensor] {
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const groups = lines(x.shape, d);
  const { pick, indices } = selectAlong(x, d, 1, true, (k) => [choose(k, groups[k])]);
  if (!keepdim && x.ndim) {
    pick.shape.splice(d, 1);
    return [apply(op, [x], { pick }), new Tensor(indices.data, pick.shape.slice(), 'int64')];
  }
  return [apply(op, [x], { pick }), indices];
}

/** The k-th smallest along dim (1-based), as PyTorch's kthvalue. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): [Tensor, Tensor] {
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const size = x.ndim ? x.shape[d] : 1;
  if (k < 1 || k > size) throw runtimeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  const { order } = sortLines(x, d, false);
  return pickOnePerLine(x, d, keepdim, kthvalueOp, (line) => order[line][k - 1]);
}

/** The most frequent value along dim (the smallest among ties) and the last index where it occurs. */
export function mode(x: Tensor, dim = -1, keepdim = false): [Tensor, Tensor] {
  return pickOnePerLine(x, dim, keepdim, modeOp, (_line, idx) => {
    const counts = new Map<number, number>();
    for (const i of idx) counts.set(x.data[i], (counts.get(x.data[i]) ?? 0) + 1);
    let best = NaN;
    let bestCount = -1;
    for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
    let at = 0;
    idx.forEach((i, j) => {
      if (x.data[i] === best) at = j;
    });
    return at;
  });
}

/** cummax/cummin along dim: each position's running extreme (the latest index among ties, as PyTorch's). */
export function cumExtreme(x: Tensor, dim: number, isMax: boolean): [Tensor, Tensor] {
  const d = normalizeDim(dim, Math.max(x.ndim, 1));
  const map = new Int32Array(x.numel);
  const indices = make('int64', x.shape);
  for (const idx of lines(x.shape, d)) {
    let best = 0;
    idx.forEach((i, j) => {
      const v = x.data[i];
      const b = x.data[idx[best]];
      if (j === 0 || v !== v || (b === b && (isMax ? v >= b : v <= b))) best = b !== b && j > 0 ? best : j;
      map[i] = idx[best];
      indices.data[i] = best;
    });
  }
  return [apply(isMax ? cummaxOp : cumminOp, [x], { pick: { shape: x.shape.slice(), map } }), indices];
}

/** logcumsumexp along dim; its gradient at i sums grad_j · exp(self_i − result_j) over j ≥ i. */
export const logcumsumexpOp = defineOp<{ dim: number }>({
  name: 'logcumsumexp', label: 'logcumsumexp', gradFn: 'LogcumsumexpBackward0', inputs: ['self'],
  formulas: { self: 'logcumsumexp_backward(grad, self, result, dim)' }, saves: ['self', 'result'],
  forward: ([x], { dim }) => {
    const out = make(floatOut(x), x.shape);
    for (const idx of lines(x.shape, normalizeDim(dim, Math.max(x.ndim, 1)))) {
      let acc = -Infinity;
      for (const i of idx) {
        const v = x.data[i];
        const m = Math.max(acc, v);
        acc = m === -Infinity ? -Infinity : m === Infinity ? Infinity : m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
        out.data[i] = acc;
      }
    }
    return out;
  },
  backward: (g, { inputs: [x], result, attrs: { dim } }, n) => {
    if (!n[0]) return [null];
    const out = make(g.dtype, x.shape);
    for (const idx of lines(x.shape, normalizeDim(dim, Math.max(x.ndim, 1)))) {
      for (let a = 0; a < idx.length; a++) {
        let s = 0;
        for (let b = a; b < idx.length; b++) s += g.data[idx[b]] * Math.exp(x.data[idx[a]] - result.data[idx[b]]);
        out.data[idx[a]] = s;
      }
    }
    return [out];
  },
});
export const logcumsumexp = (x: Tensor, dim: number): Tensor => apply(logcumsumexpOp, [x], { dim });

// ---------------------------------------------------------------- scatter and friends

interface ScatterAttrs {
  dim: number;
  /** Per src element: its position in self (-1 where the index tensor does not reach: src larger than index). */
  target: Int32Array;
  /** Per src element counted: whether it is written (index's shape, which may be smaller than src's). */
  srcAt: Int32Array;
  value?: number;
  alpha?: number;
  /** The index tensor, for the recorded backward (create_graph: grad.gather(dim, index)). */
  index?: Tensor;
}

/** Positions index[i] along dim for every element of index: the flat target in self and the flat source in src. */
function scatterPlan(fn: string, self: Tensor, dim: number, index: Tensor, srcShape: readonly number[] | null): { target: Int32Array; srcAt: Int32Array } {
  if (index.dtype !== 'int64') throw runtimeError(`${fn}(): Expected dtype int64 for index`);
  const d = normalizeDim(dim, Math.max(self.ndim, 1));
  if (index.ndim !== self.ndim && index.numel > 0) throw runtimeError('Index tensor must have the same number of dimensions as self tensor');
  const st = stridesOf(self.shape);
  const sst = srcShape ? stridesOf(srcShape) : null;
  const target = new Int32Array(index.numel);
  const srcAt = new Int32Array(index.numel);
  eachIndex(index.shape, (k, idx) => {
    const j = index.data[k];
    const size = self.shape[d] ?? 1;
    if (j < -size || j >= size) throw runtimeError(`index ${j} is out of bounds for dimension ${d} with size ${size}`);
    const at = idx.slice();
    at[d] = j < 0 ? j + size : j;
    target[k] = flatOf(at, st);
    srcAt[k] = sst ? flatOf(idx, sst) : 0;
  });
  return { target, srcAt };
}

/** scatter (src: ScatterBackward0, a value: ScatterBackward1) and scatter_add: self with src written (added) at index. */
const scatterOp = (name: string, gradFn: string, add: boolean, withSrc: boolean) =>
  defineOp<ScatterAttrs>({
    name, label: name, gradFn, inputs: withSrc ? ['self', 'src'] : ['self'],
    formulas: add ? { self: 'grad', src: 'grad.gather(dim, index)' } : withSrc ? { self: 'grad.scatter(dim, index, 0)', src: 'grad.gather(dim, index)' } : { self: 'grad.scatter(dim, index, 0)' },
    saves: [],
    forward: ([self, src], { target, srcAt, value }) => {
      const out = make(self.dtype, self.shape);
      out.data.set(self.data);
      for (let k = 0; k < target.length; k++) {
        const v = src ? src.data[srcAt[k]] : value!;
        out.data[target[k]] = add ? out.data[target[k]] + v : v;
      }
      return out;
    },
    backward: (g, { inputs: [self, src], attrs: { target, srcAt, index } }, n) => {
      if (src && n[1]) checkSrcGradShape(gradFn, index!, src);
      let gs: Tensor | null = null;
      if (n[0]) {
        gs = make(g.dtype, self.shape);
        gs.data.set(g.data);
        if (!add) for (const t of target) gs.data[t] = 0;
      }
      let gsrc: Tensor | null = null;
      if (src && n[1]) {
        gsrc = make(g.dtype, src.shape);
        for (let k = 0; k < target.length; k++) gsrc.data[srcAt[k]] = g.data[target[k]];
      }
      return src ? [gs, gsrc] : [gs];
    },
  });
/**
 * src's gradient is grad.gather(dim, index), of index's shape: PyTorch's engine refuses it where src is larger
 * (validate_outputs), so a src larger than index has no gradient there either.
 */
export function checkSrcGradShape(gradFn: string, index: Tensor, src: Tensor): void {
  if (index.shape.length !== src.shape.length || index.shape.some((s, i) => s !== src.shape[i])) {
    throw runtimeError(`Function ${gradFn} returned an invalid gradient at index 1 - got [${index.shape.join(', ')}] but expected shape compatible with [${src.shape.join(', ')}]`);
  }
}
export const scatterSrcOp = scatterOp('scatter', 'ScatterBackward0', false, true);
export const scatterValueOp = scatterOp('scatter', 'ScatterBackward1', false, false);
export const scatterAddOp = scatterOp('scatter_add', 'ScatterAddBackward0', true, true);

export function scatter(self: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  const d = normalizeDim(dim, Math.max(self.ndim, 1));
  if (typeof src === 'number') return apply(scatterValueOp, [self], { dim: d, ...scatterPlan('scatter', self, d, index, null), value: src });
  checkScatterSrc('scatter', self, index, src);
  return apply(scatterSrcOp, [self, src], { dim: d, ...scatterPlan('scatter', self, d, index, src.shape), index });
}
export function scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, Math.max(self.ndim, 1));
  checkScatterSrc('scatter_add', self, index, src);
  return apply(scatterAddOp, [self, src], { dim: d, ...scatterPlan('scatter_add', self, d, index, src.shape), index });
}
function checkScatterSrc(fn: string, self: Tensor, index: Tensor, src: Tensor): void {
  if (src.dtype !== self.dtype) throw runtimeError(`${fn}(): Expected self.dtype to be equal to src.dtype`);
  if (index.shape.some((s, i) => s > (src.shape[i] ?? 1))) {
    throw runtimeError(`Expected index ${`[${index.shape.join(', ')}]`} to be smaller than self ${`[${self.shape.join(', ')}]`} apart from dimension ${0} and to be smaller size than src ${`[${src.shape.join(', ')}]`}`);
  }
}

/** index_add: src's slices along dim added (times alpha) into self at index; its backward selects them back. */
export const indexAddOp = defineOp<{ dim: number; index: Int32Array; alpha: number }>({
  name: 'index_add', label: 'index_add', gradFn: 'IndexAddBackward0', inputs: ['self', 'source'],
  formulas: { self: 'grad', source: 'maybe_multiply(grad.index_select(dim, index).expand_as(source), alpha)' }, saves: [],
  forward: ([self, src], { dim, index, alpha }) => {
    const out = make(self.dtype, self.shape);
    out.data.set(self.data);
    const [outer, size, inner] = around(self, dim);
    const k = self.dtype === 'float32' ? Math.fround(alpha) : alpha;
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < index.length; j++)
        for (let i = 0; i < inner; i++) out.data[(o * size + index[j]) * inner + i] += src.data[(o * index.length + j) * inner + i] * k;
    return out;
  },
  backward: (g, { inputs: [self, src], attrs: { dim, index, alpha } }, n) => {
    let gsrc: Tensor | null = null;
    if (n[1]) {
      gsrc = make(g.dtype, src.shape);
      const [outer, size, inner] = around(self, dim);
      for (let o = 0; o < outer; o++)
        for (let j = 0; j < index.length; j++)
          for (let i = 0; i < inner; i++) gsrc.data[(o * index.length + j) * inner + i] = g.data[(o * size + index[j]) * inner + i] * alpha;
    }
    return [n[0] ? g : null, gsrc];
  },
});
export function indexAdd(self: Tensor, dim: number, index: Tensor, src: Tensor, alpha = 1): Tensor {
  const d = normalizeDim(dim, Math.max(self.ndim, 1));
  return apply(indexAddOp, [self, src], { dim: d, index: indexVector('index_add', self, d, index), alpha });
}

/** index_fill: self's slices along dim at index set to value; their gradient is 0. */
export const indexFillOp = defineOp<{ dim: number; index: Int32Array; value: number }>({
  name: 'index_fill', label: 'index_fill', gradFn: 'IndexFillBackward0', inputs: ['self'],
  formulas: { self: 'grad.index_fill(dim, index, 0)' }, saves: [],
  forward: ([self], { dim, index, value }) => {
    const out = make(self.dtype, self.shape);
    out.data.set(self.data);
    fillSlices(out, dim, index, value);
    return out;
  },
  backward: (g, { attrs: { dim, index } }, n) => {
    if (!n[0]) return [null];
    const out = make(g.dtype, g.shape);
    out.data.set(g.data);
    fillSlices(out, dim, index, 0);
    return [out];
  },
});
function fillSlices(t: Tensor, dim: number, index: Int32Array, value: number): void {
  const [outer, size, inner] = around(t, dim);
  for (let o = 0; o < outer; o++) for (const j of index) for (let i = 0; i < inner; i++) t.data[(o * size + j) * inner + i] = value;
}
export function indexFill(self: Tensor, dim: number, index: Tensor, value: number): Tensor {
  const d = normalizeDim(dim, Math.max(self.ndim, 1));
  return apply(indexFillOp, [self], { dim: d, index: indexVector('index_fill', self, d, index), value });
}

function indexVector(fn: string, self: Tensor, dim: number, index: Tensor): Int32Array {
  if (index.dtype !== 'int64') throw runtimeError(`${fn}(): Expected dtype int64 for index`);
  if (index.ndim > 1) throw new EngineError('IndexError', `${fn}(): Index is supposed to be a vector`);
  const size = self.ndim ? self.shape[dim] : 1;
  return Int32Array.from(index.data, (v) => {
    if (v < -size || v >= size) throw new EngineError('IndexError', `index out of range in self`);
    return v < 0 ? v + size : v;
  });
}

// ---------------------------------------------------------------- cross

/** The cross product of 3-vectors along dim (LinalgCrossBackward0). */
export const crossOp = defineOp<{ dim: number }>({
  name: 'cross', label: 'cross', gradFn: 'LinalgCrossBackward0', inputs: ['self', 'other'],
  formulas: { self: 'at::linalg_cross(other.conj(), grad, dim)', other: 'at::linalg_cross(grad, self.conj(), dim)' }, saves: ['self', 'other'],
  forward: ([a, b], { dim }) => crossRaw(a, b, dim),
  backward: (g, { inputs: [a, b], attrs: { dim } }, n) => [n[0] ? crossRaw(b, g, dim) : null, n[1] ? crossRaw(g, a, dim) : null],
});
function crossRaw(a: Tensor, b: Tensor, dim: number): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const dtype = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : floatOut(a);
  const out = new Tensor(allocStorage(dtype, numelOf(shape)), shape.slice(), dtype);
  const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
  const d = normalizeDim(dim, shape.length);
  for (const idx of groupsOf(shape, [d])) {
    const [i0, i1, i2] = idx;
    const x = (k: number) => a.data[ia[k]];
    const y = (k: number) => b.data[ib[k]];
    out.data[i0] = x(i1) * y(i2) - x(i2) * y(i1);
    out.data[i1] = x(i2) * y(i0) - x(i0) * y(i2);
    out.data[i2] = x(i0) * y(i1) - x(i1) * y(i0);
  }
  return out;
}
export function cross(a: Tensor, b: Tensor, dim: number | null): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  if (a.ndim !== b.ndim) throw runtimeError(`linalg.cross: inputs must have the same number of dimensions.`);
  const d = dim === null ? shape.findIndex((s) => s === 3) : normalizeDim(dim, shape.length);
  if (d < 0) throw runtimeError('no dimension of size 3 in input');
  if (shape[d] !== 3) throw runtimeError(`linalg.cross: inputs dimension ${d} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
  return apply(crossOp, [a, b], { dim: d });
}

// ---------------------------------------------------------------- nn: padding modes, pixel shuffle, prelu, threshold

const padOps = new Map<string, ReturnType<typeof pickOp>>();

/**
 * F.pad with mode 'reflect' or 'replicate' over the last pads.length / 2 dims (1 to 3): the picks of
 * ReflectionPad{k}DBackward0 / ReplicationPad{k}DBackward0.
 */
export function padMode(x: Tensor, pads: number[], mode: 'reflect' | 'replicate'): Tensor {
  const k = pads.length / 2;
  if (!Number.isInteger(k) || k < 1 || k > 3 || x.ndim < k + 1 || x.ndim > k + 2) {
    throw new EngineError('NotImplementedError', 'Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
  }
  const before = new Array<number>(x.ndim).fill(0);
  const shape = x.shape.slice();
  for (let j = 0; j < k; j++) {
    const d = x.ndim - 1 - j;
    const [lo, hi] = [pads[2 * j], pads[2 * j + 1]];
    if (mode === 'reflect' && (lo >= x.shape[d] || hi >= x.shape[d])) {
      throw runtimeError(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${lo}, ${hi}) at dimension ${d} of input [${x.shape.join(', ')}]`);
    }
    before[d] = lo;
    shape[d] += lo + hi;
  }
  const st = stridesOf(x.shape);
  const pick = pickBy(x, shape, (idx) =>
    flatOf(idx.map((v, d) => {
      const n = x.shape[d];
      const s = v - before[d];
      if (mode === 'replicate') return Math.min(Math.max(s, 0), n - 1);
      return s < 0 ? -s : s >= n ? 2 * (n - 1) - s : s;
    }), st));
  const gradFn = `${mode === 'reflect' ? 'Reflection' : 'Replication'}Pad${k}DBackward0`;
  let op = padOps.get(gradFn);
  if (!op) padOps.set(gradFn, (op = pickOp(`${mode}_pad${k}d`, gradFn, `${mode}ion_pad${k}d_backward(grad, self, padding)`)));
  return apply(op, [x], { pick });
}

export const pixelShuffleOp = pickOp('pixel_shuffle', 'PixelShuffleBackward0', 'pixel_unshuffle(grad, upscale_factor)');
export const pixelUnshuffleOp = pickOp('pixel_unshuffle', 'PixelUnshuffleBackward0', 'pixel_shuffle(grad, downscale_factor)');

/** F.pixel_shuffle (r > 0) and F.pixel_unshuffle: [*, C·r², H, W] ↔ [*, C, H·r, W·r]. */
export function pixelShuffle(x: Tensor, r: number, inverse = false): Tensor {
  const fn = inverse ? 'pixel_unshuffle' : 'pixel_shuffle';
  if (x.ndim < 3) throw runtimeError(`${fn} expects input to have at least 3 dimensions, but got input with ${x.ndim} dimension(s)`);
  const [c, h, w] = x.shape.slice(-3);
  const lead = x.shape.slice(0, -3);
  if (!inverse && c % (r * r) !== 0) throw runtimeError(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
  if (inverse && (h % r !== 0 || w % r !== 0)) throw runtimeError(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  const shape = inverse ? [...lead, c * r * r, h / r, w / r] : [...lead, c / (r * r), h * r, w * r];
  const st = stridesOf(x.shape);
  const n = lead.length;
  const pick = pickBy(x, shape, (idx) => {
    const [oc, oh, ow] = idx.slice(n);
    const src = inverse
      ? [...idx.slice(0, n), Math.floor(oc / (r * r)), oh * r + Math.floor((oc % (r * r)) / r), ow * r + (oc % r)]
      : [...idx.slice(0, n), oc * r * r + (oh % r) * r + (ow % r), Math.floor(oh / r), Math.floor(ow / r)];
    return flatOf(src, st);
  });
  return apply(inverse ? pixelUnshuffleOp : pixelShuffleOp, [x], { pick });
}

/** prelu: x where positive, else weight · x, one weight or one per channel (dim 1). */
export const preluOp = defineOp({
  name: 'prelu', label: 'prelu', gradFn: 'PreluBackward0', inputs: ['self', 'weight'],
  formulas: { self: 'grad * (self > 0 ? 1 : weight)', weight: 'sum(grad * (self > 0 ? 0 : self)) per channel' }, saves: ['self', 'weight'],
  forward: ([x, w]) => {
    const out = make(x.dtype, x.shape);
    const ch = channelOf(x, w);
    for (let i = 0; i < out.data.length; i++) out.data[i] = x.data[i] > 0 ? x.data[i] : w.data[ch(i)] * x.data[i];
    return out;
  },
  backward: (g, { inputs: [x, w] }, n) => {
    const ch = channelOf(x, w);
    const gx = n[0] ? make(g.dtype, x.shape) : null;
    const gw = n[1] ? new Float64Array(w.numel) : null;
    for (let i = 0; i < g.data.length; i++) {
      const pos = x.data[i] > 0;
      if (gx) gx.data[i] = pos ? g.data[i] : g.data[i] * w.data[ch(i)];
      if (gw && !pos) gw[ch(i)] += g.data[i] * x.data[i];
    }
    let gwt: Tensor | null = null;
    if (gw) {
      gwt = make(w.dtype, w.shape);
      gwt.data.set(gw);
    }
    return [gx, gwt];
  },
});
function channelOf(x: Tensor, w: Tensor): (i: number) => number {
  if (w.numel === 1 || x.ndim < 2) return () => 0;
  const inner = numelOf(x.shape.slice(2));
  return (i) => Math.floor(i / inner) % x.shape[1];
}
export function prelu(x: Tensor, w: Tensor): Tensor {
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  if (w.numel !== 1 && w.numel !== channels) {
    throw runtimeError(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${w.numel} and channel size = ${channels}.`);
  }
  return apply(preluOp, [x, w], {});
}

/** F.threshold: x where x > threshold, else value; the gradient passes where x > threshold (+0 elsewhere). */
export const thresholdOp = pointwise<{ threshold: number; value: number }>(
  'threshold', 'ThresholdBackward0', 'threshold_backward(grad, self, threshold)',
  (x, { threshold, value }) => (x > threshold ? x : x !== x ? x : value),
  (x, _y, { threshold }) => (x > threshold ? 1 : 0), true, true);
export const threshold = (x: Tensor, th: number, value: number): Tensor => apply(thresholdOp, [x], { threshold: th, value });

/** tensor + number from PyTorch's C++ code (at::add(Tensor, Scalar), as in pairwise_distance): AddBackward1, one input. */
export const addScalarOp = defineOp<{ other: number }>({
  name: 'add_scalar', label: '+', gradFn: 'AddBackward1', inputs: ['self'], formulas: { self: 'grad' }, saves: [],
  forward: ([x], { other }) => {
    const out = make(floatOut(x), x.shape);
    const k = out.data instanceof Float32Array ? Math.fround(other) : other;
    for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i] + k;
    return out;
  },
  backward: (g, _c, n) => [n[0] ? g : null],
});
export const addScalar = (x: Tensor, other: number): Tensor => apply(addScalarOp, [x], { other });

// ---------------------------------------------------------------- predicates (no gradient)

/** isnan, isinf, isfinite, ...: a bool tensor of x's shape, as an op (not recorded; its event shows the input). */
export function predicateOp(name: string, test: (v: number) => boolean) {
  return defineOp({
    name, label: name, gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false,
    forward: ([x]) => {
      const out = make('bool', x.shape);
      for (let i = 0; i < out.data.length; i++) out.data[i] = test(x.data[i]) ? 1 : 0;
      return out;
    },
    backward: () => [null],
  });
}

/** isclose: |a − b| ≤ atol + rtol·|b| elementwise (broadcast), equal infinities close, NaNs only with equal_nan. */
export const iscloseOp = defineOp<{ rtol: number; atol: number; equalNan: boolean }>({
  name: 'isclose', label: 'isclose', gradFn: '', inputs: ['self', 'other'], formulas: {}, saves: [], differentiable: false,
  forward: ([a, b], { rtol, atol, equalNan }) => {
    const shape = broadcastShapes(a.shape, b.shape);
    const out = make('bool', shape);
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    for (let i = 0; i < out.data.length; i++) {
      const v = a.data[ia[i]];
      const w = b.data[ib[i]];
      const close = v !== v || w !== w ? equalNan && v !== v && w !== w : v === w || (Number.isFinite(v) && Number.isFinite(w) && Math.abs(v - w) <= atol + rtol * Math.abs(w));
      out.data[i] = close ? 1 : 0;
    }
    return out;
  },
  backward: () => [null, null],
});
export const isclose = (a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor => apply(iscloseOp, [a, b], { rtol, atol, equalNan });
