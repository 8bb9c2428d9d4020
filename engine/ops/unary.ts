// Unary elementwise ops: neg, exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs, ...
import { allocStorage, int32Values, isFloating, isSmallInt, DEFAULT_FLOAT } from '../dtype';
import { Tensor } from '../tensor';
import { Un, unaryKernel } from '../kernels/elementwise';
import { apply, defineOp, type OpDef } from './define';
import { add, div, mul, rsub, gt, logicalAnd, ge, le } from './arith';

/** Elementwise f(a); floating ops turn integer inputs into the default float dtype, as PyTorch does. */
export function unaryRaw(op: Un, a: Tensor, keepIntegers = false): Tensor {
  const dtype = isFloating(a.dtype) || keepIntegers ? a.dtype : DEFAULT_FLOAT;
  // unaryKernel writes every element.
  const out = new Tensor(allocStorage(dtype, a.data.length, false), a.shape.slice(), dtype);
  if (isSmallInt(a.dtype)) {
    // int16, int8 and uint8 reach the kernel as int32 (see int32Values in dtype.ts); the store back wraps (abs(-128) is -128).
    const o = dtype === a.dtype ? new Int32Array(a.data.length) : out.data;
    unaryKernel(op, o, int32Values(a.data, a.dtype), a.data.length);
    if (o !== out.data) out.data.set(o);
  } else unaryKernel(op, out.data, a.data, a.data.length);
  return out;
}

type Backward = OpDef['backward'];

function unary(name: string, gradFn: string, op: Un, formula: string, saves: string[], backward: Backward, keepIntegers = false) {
  return defineOp({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves,
    forward: ([a]) => unaryRaw(op, a, keepIntegers),
    backward,
  });
}

export const negOp = unary('neg', 'NegBackward0', Un.Neg, '-grad', [], (g, _c, n) => [n[0] ? neg(g) : null], true);
export const expOp = unary('exp', 'ExpBackward0', Un.Exp, 'grad * result', ['result'], (g, c, n) => [n[0] ? mul(g, c.result) : null]);
export const logOp = unary('log', 'LogBackward0', Un.Log, 'grad / self', ['self'], (g, c, n) => [n[0] ? div(g, c.inputs[0]) : null]);
export const sqrtOp = unary('sqrt', 'SqrtBackward0', Un.Sqrt, 'grad / (2 * result)', ['result'], (g, c, n) => [n[0] ? div(g, mul(c.result, 2)) : null]);
export const rsqrtOp = unary('rsqrt', 'RsqrtBackward0', Un.Rsqrt, '-0.5 * grad * result.pow(3)', ['result'], (g, c, n) => [
  n[0] ? mul(mul(g, -0.5), mul(c.result, mul(c.result, c.result))) : null,
]);
export const sinOp = unary('sin', 'SinBackward0', Un.Sin, 'grad * self.cos()', ['self'], (g, c, n) => [n[0] ? mul(g, cos(c.inputs[0])) : null]);
export const cosOp = unary('cos', 'CosBackward0', Un.Cos, 'grad * -self.sin()', ['self'], (g, c, n) => [n[0] ? mul(g, neg(sin(c.inputs[0]))) : null]);
export const tanhOp = unary('tanh', 'TanhBackward0', Un.Tanh, 'grad * (1 - result * result)', ['result'], (g, c, n) => [
  n[0] ? mul(g, rsub(mul(c.result, c.result), 1)) : null,
]);
export const sigmoidOp = unary('sigmoid', 'SigmoidBackward0', Un.Sigmoid, 'grad * result * (1 - result)', ['result'], (g, c, n) => [
  n[0] ? mul(g, mul(c.result, rsub(c.result, 1))) : null,
]);
export const reluOp = unary('relu', 'ReluBackward0', Un.Relu, 'grad * (result > 0)', ['result'], (g, c, n) => [n[0] ? mul(g, gt(c.result, 0)) : null], true);
export const absOp = unary('abs', 'AbsBackward0', Un.Abs, 'grad * self.sign()', ['self'], (g, c, n) => [n[0] ? mul(g, sign(c.inputs[0])) : null], true);
export const reciprocalOp = unary('reciprocal', 'ReciprocalBackward0', Un.Reciprocal, '-grad * result * result', ['result'], (g, c, n) => [
  n[0] ? neg(mul(g, mul(c.result, c.result))) : null,
]);
export const log1pOp = unary('log1p', 'Log1PBackward0', Un.Log1p, 'grad / (self + 1)', ['self'], (g, c, n) => [n[0] ? div(g, add(c.inputs[0], 1)) : null]);
export const expm1Op = unary('expm1', 'Expm1Backward0', Un.Expm1, 'grad * (result + 1)', ['result'], (g, c, n) => [n[0] ? mul(g, add(c.result, 1)) : null]);
export const squareOp = unary('square', 'PowBackward0', Un.Square, 'grad * 2 * self', ['self'], (g, c, n) => [n[0] ? mul(mul(g, 2), c.inputs[0]) : null], true);
/** zeros_like(grad): +0 everywhere (grad * 0 would give -0 where grad is negative) and no graph. */
const zeroGrad: Backward = (g, _c, n) => [n[0] ? new Tensor(allocStorage(g.dtype, g.numel), g.shape.slice(), g.dtype) : null];
export const signOp = unary('sign', 'SignBackward0', Un.Sign, 'zeros_like(grad)', [], zeroGrad, true);
export const floorOp = unary('floor', 'FloorBackward0', Un.Floor, 'zeros_like(grad)', [], zeroGrad, true);
export const ceilOp = unary('ceil', 'CeilBackward0', Un.Ceil, 'zeros_like(grad)', [], zeroGrad, true);
export const roundOp = unary('round', 'RoundBackward0', Un.Round, 'zeros_like(grad)', [], zeroGrad, true);
export const logicalNotOp = defineOp({
  name: 'logical_not', label: 'not', gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false,
  forward: ([a]) => {
    const out = new Tensor(allocStorage('bool', a.data.length), a.shape.slice(), 'bool');
    unaryKernel(Un.Not, out.data, a.data, a.data.length);
    return out;
  },
  backward: () => [null],
});

export const clampOp = defineOp<{ min: number | null; max: number | null }>({
  name: 'clamp', label: 'clamp', gradFn: 'ClampBackward1', inputs: ['self'],
  formulas: { self: 'grad * ((self >= min) & (self <= max))' }, saves: ['self'],
  forward: ([a], { min, max }) => {
    const out = new Tensor(allocStorage(a.dtype, a.data.length), a.shape.slice(), a.dtype);
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    for (let i = 0; i < a.data.length; i++) {
      const x = a.data[i];
      out.data[i] = x !== x ? x : x < lo ? lo : x > hi ? hi : x;
    }
    return out;
  },
  // where(mask, grad, 0), as PyTorch's clamp_backward: +0 outside (grad · mask would give −0 for a negative grad).
  backward: (g, { inputs: [a], attrs: { min, max } }, n) => {
    if (!n[0]) return [null];
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    const out = new Tensor(allocStorage(g.dtype, a.data.length), a.shape.slice(), g.dtype);
    for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[i] >= lo && a.data[i] <= hi ? g.data[i] : 0;
    return [out];
  },
});

export const leakyReluOp = defineOp<{ slope: number }>({
  name: 'leaky_relu', label: 'leaky_relu', gradFn: 'LeakyReluBackward0', inputs: ['self'],
  formulas: { self: 'grad * (self > 0 ? 1 : negative_slope)' }, saves: ['self'],
  forward: ([a], { slope }) => {
    const out = new Tensor(allocStorage(a.dtype, a.data.length), a.shape.slice(), a.dtype);
    for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] > 0 ? a.data[i] : a.data[i] * slope;
    return out;
  },
  backward: (g, { inputs: [a], attrs: { slope } }, n) => {
    if (!n[0]) return [null];
    const pos = gt(a, 0);
    return [mul(g, add(pos, mul(le(a, 0), slope)))];
  },
});

export const neg = (a: Tensor): Tensor => apply(negOp, [a], {});
export const exp = (a: Tensor): Tensor => apply(expOp, [a], {});
export const log = (a: Tensor): Tensor => apply(logOp, [a], {});
export const sqrt = (a: Tensor): Tensor => apply(sqrtOp, [a], {});
export const rsqrt = (a: Tensor): Tensor => apply(rsqrtOp, [a], {});
export const sin = (a: Tensor): Tensor => apply(sinOp, [a], {});
export const cos = (a: Tensor): Tensor => apply(cosOp, [a], {});
export const tanh = (a: Tensor): Tensor => apply(tanhOp, [a], {});
export const sigmoid = (a: Tensor): Tensor => apply(sigmoidOp, [a], {});
export const relu = (a: Tensor): Tensor => apply(reluOp, [a], {});
export const abs = (a: Tensor): Tensor => apply(absOp, [a], {});
export const reciprocal = (a: Tensor): Tensor => apply(reciprocalOp, [a], {});
export const log1p = (a: Tensor): Tensor => apply(log1pOp, [a], {});
export const expm1 = (a: Tensor): Tensor => apply(expm1Op, [a], {});
export const square = (a: Tensor): Tensor => apply(squareOp, [a], {});
export const sign = (a: Tensor): Tensor => apply(signOp, [a], {});
export const floor = (a: Tensor): Tensor => apply(floorOp, [a], {});
export const ceil = (a: Tensor): Tensor => apply(ceilOp, [a], {});
export const round = (a: Tensor): Tensor => apply(roundOp, [a], {});
export const logicalNot = (a: Tensor): Tensor => apply(logicalNotOp, [a], {});
export const clamp = (a: Tensor, min: number | null, max: number | null): Tensor => apply(clampOp, [a], { min, max });
/** x.clamp_min(v) / x.clamp_max(v): clamp's computation under their own grad_fn names. */
export const clampMinOp = { ...clampOp, name: 'clamp_min', gradFn: 'ClampMinBackward0' };
export const clampMaxOp = { ...clampOp, name: 'clamp_max', gradFn: 'ClampMaxBackward0' };
export const clampMin = (a: Tensor, min: number): Tensor => apply(clampMinOp, [a], { min, max: null });
export const clampMax = (a: Tensor, max: number): Tensor => apply(clampMaxOp, [a], { min: null, max });
export const leakyRelu = (a: Tensor, slope = 0.01): Tensor => apply(leakyReluOp, [a], { slope });
