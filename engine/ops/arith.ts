// Binary arithmetic with broadcasting and PyTorch's type promotion: add, sub, mul, div, pow, comparisons.
import { allocStorage, int32Values, isFloating, isSmallInt, resultType2, DEFAULT_FLOAT, type DType, type Storage } from '../dtype';
import { EngineError, runtimeError, skipTensorIds } from '../context';
import { Tensor, numelOf } from '../tensor';
import { Bin, binaryKernel, broadcastIndex, powScalar } from '../kernels/elementwise';
import { dotF32, dotF64 } from '../kernels/reduce';
import { apply, defineOp } from './define';

/** The attrs of ops that have none: shared, never written. */
const NO_ATTRS: Record<string, never> = {};

/** A tensor, or a JS number standing for a Python number (integral = int, else float). */
export type Operand = Tensor | number | boolean;

/** A Python number as a zero-dim tensor: int64 for ints, float64 for floats, as PyTorch wraps them. */
export function wrapScalar(x: number | boolean, isFloat?: boolean): Tensor {
  const dtype: DType = typeof x === 'boolean' ? 'bool' : (isFloat ?? !Number.isInteger(x)) ? 'float64' : 'int64';
  const t = new Tensor(allocStorage(dtype, 1), [], dtype);
  t.data[0] = +x;
  t.isWrappedNumber = true;
  return t;
}

export const asTensor = (x: Operand): Tensor => (x instanceof Tensor ? x : wrapScalar(x));

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  // From the trailing dim, as PyTorch's infer_size, so the error names the last mismatch.
  for (let i = n - 1; i >= 0; i--) {
    const ai = i - (n - a.length);
    const bi = i - (n - b.length);
    const x = ai >= 0 ? a[ai] : 1;
    const y = bi >= 0 ? b[bi] : 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw runtimeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** The operand's values as the compute dtype sees them (a Python float meeting float32 is rounded to float32 first). */
function valuesIn(t: Tensor, dtype: DType, scratch?: Float32Array): Storage {
  if (dtype === 'float32' && t.dtype === 'float64') {
    // A Python number (one element) is rounded into a scratch array the kernel reads and nothing keeps.
    if (scratch && t.data.length === 1) {
      scratch[0] = t.data[0];
      return scratch;
    }
    return new Float32Array(t.data);
  }
  return t.data;
}
const SCRATCH_A = new Float32Array(1);
const SCRATCH_B = new Float32Array(1);

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Elementwise a OP b into a new tensor of outDtype, computing in computeDtype. */
export function binaryRaw(op: Bin, a: Tensor, b: Tensor, computeDtype: DType, outDtype: DType = computeDtype): Tensor {
  const shape = sameShape(a.shape, b.shape) ? a.shape.slice() : broadcastShapes(a.shape, b.shape);
  const n = numelOf(shape);
  // Every mode of binaryKernel writes every output element.
  const out = new Tensor(allocStorage(outDtype, n, false), shape, outDtype);
  if (isSmallInt(computeDtype)) {
    // int16, int8 and uint8 compute in int32 (see int32Values in dtype.ts); the store back into the narrow result wraps.
    const o = outDtype === computeDtype ? new Int32Array(n) : out.data;
    binaryInto(op, o, int32Values(a.data, a.dtype, computeDtype), int32Values(b.data, b.dtype, computeDtype), a, b, shape, n);
    if (o !== out.data) out.data.set(o);
  } else binaryInto(op, out.data, valuesIn(a, computeDtype, SCRATCH_A), valuesIn(b, computeDtype, SCRATCH_B), a, b, shape, n);
  if (outDtype === 'bool') normalizeBool(out.data);
  return out;
}

function binaryInto(op: Bin, o: Storage, A: Storage, B: Storage, a: Tensor, b: Tensor, shape: number[], n: number): void {
  if (a.data.length === n && b.data.length === n && sameShape(a.shape, b.shape)) binaryKernel(op, o, A, B, n, 0);
  else if (b.data.length === 1 && a.data.length === n) binaryKernel(op, o, A, B, n, 2);
  else if (a.data.length === 1 && b.data.length === n) binaryKernel(op, o, A, B, n, 1);
  else {
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    binaryKernel(op, o, A, B, n, 3, ia, ib);
  }
}

function normalizeBool(d: Storage): void {
  for (let i = 0; i < d.length; i++) d[i] = d[i] !== 0 ? 1 : 0;
}

const promote = (a: Tensor, b: Tensor): DType =>
  resultType2(a.dtype, a.shape.length === 0, a.isWrappedNumber, b.dtype, b.shape.length === 0, b.isWrappedNumber);

const arith = (op: Bin) => (inputs: Tensor[]) => {
  const dtype = promote(inputs[0], inputs[1]);
  return binaryRaw(op, inputs[0], inputs[1], dtype);
};

/** Integer // and % by zero: PyTorch's CPU kernels raise RuntimeError('ZeroDivisionError'). */
const integerDivision = (op: Bin) => (inputs: Tensor[]) => {
  const dtype = promote(inputs[0], inputs[1]);
  if (!isFloating(dtype)) checkIntegerDivisor(inputs[1]);
  return binaryRaw(op, inputs[0], inputs[1], dtype);
};

function checkIntegerDivisor(b: Tensor): void {
  for (let i = 0; i < b.data.length; i++) if (b.data[i] === 0) throw runtimeError('ZeroDivisionError');
}

/** a + alpha * b in one pass (PyTorch's add kernel: a fused multiply-add; float32 rounds once at the end). */
function scaledArith(sign: 1 | -1) {
  return (inputs: Tensor[], attrs: { alpha?: number }): Tensor => {
    const alpha = attrs.alpha;
    if (alpha === undefined || alpha === 1) return arith(sign === 1 ? Bin.Add : Bin.Sub)(inputs);
    const [a, b] = inputs;
    const dtype = promote(a, b);
    const shape = sameShape(a.shape, b.shape) ? a.shape.slice() : broadcastShapes(a.shape, b.shape);
    const out = new Tensor(allocStorage(dtype, numelOf(shape)), shape, dtype);
    const k = sign * (dtype === 'float32' ? Math.fround(alpha) : alpha);
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[ia[i]] + k * b.data[ib[i]];
    return out;
  };
}

export const addOp = defineOp<{ alpha?: number }>({
  name: 'add', label: '+', gradFn: 'AddBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad', other: 'grad * alpha' }, saves: [],
  forward: scaledArith(1),
  backward: (g, { attrs: { alpha } }, needs) => [needs[0] ? g : null, needs[1] ? (alpha === undefined || alpha === 1 ? g : mul(g, alpha)) : null],
});

export const subOp = defineOp<{ alpha?: number }>({
  name: 'sub', label: '−', gradFn: 'SubBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad', other: '-grad * alpha' }, saves: [],
  forward: scaledArith(-1),
  backward: (g, { attrs: { alpha } }, needs) => [needs[0] ? g : null, needs[1] ? (alpha === undefined || alpha === 1 ? neg(g) : mul(g, -alpha)) : null],
});

export const mulOp = defineOp({
  name: 'mul', label: '×', gradFn: 'MulBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad * other', other: 'grad * self' }, saves: ['self', 'other'],
  forward: arith(Bin.Mul),
  backward: (g, { inputs: [a, b] }, needs) => [needs[0] ? mulGrad(g, b, a) : null, needs[1] ? mulGrad(g, a, b) : null],
});

/**
 * grad * other, the gradient of `self` in self * other. When self has one element and the product has many
 * (a scalar parameter times a tensor), the engine would sum the product back to self's shape: here the
 * product and the sum are one pass, with each product rounded to the dtype first, so the value is exactly
 * what mul followed by the sum gives.
 */
function mulGrad(g: Tensor, other: Tensor, self: Tensor): Tensor {
  const n = g.data.length;
  if (self.data.length !== 1 || n <= 1 || other.data.length !== n || other.isWrappedNumber || g.dtype !== other.dtype || !sameShape(g.shape, other.shape)) return mul(g, other);
  const G = g.data;
  const B = other.data;
  let total: number;
  if (G instanceof Float32Array && B instanceof Float32Array) total = dotF32(G, B, n);
  else if (G instanceof Float64Array && B instanceof Float64Array && g.dtype === 'float64') total = dotF64(G, B, n);
  else return mul(g, other);
  // The unfused path makes the product, its sum, and the sum's view in self's shape (see sumTo).
  skipTensorIds(2);
  const out = new Tensor(allocStorage(g.dtype, 1), self.shape.slice(), g.dtype);
  out.data[0] = total;
  return out;
}


export const divOp = defineOp({
  name: 'div', label: '÷', gradFn: 'DivBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad / other', other: '-grad * self / (other * other)' }, saves: ['self', 'other'],
  forward: (inputs: Tensor[]) => {
    const dtype = promote(inputs[0], inputs[1]);
    return binaryRaw(Bin.Div, inputs[0], inputs[1], isFloating(dtype) ? dtype : DEFAULT_FLOAT);
  },
  backward: (g, { inputs: [a, b] }, needs) => [
    needs[0] ? div(g, b) : null,
    needs[1] ? neg(div(mul(g, a), mul(b, b))) : null,
  ],
});

/** `scalar - tensor` (Tensor.__rsub__). */
export const rsubOp = defineOp<{ other: number; floatOther?: boolean }>({
  name: 'rsub', label: '−', gradFn: 'RsubBackward1', inputs: ['self'],
  formulas: { self: '-grad' }, saves: [],
  forward: ([a], { other, floatOther }) => {
    const s = wrapScalar(other, floatOther);
    return binaryRaw(Bin.Sub, s, a, promote(a, s));
  },
  backward: (g, _c, needs) => [needs[0] ? neg(g) : null],
});

/** `tensor / scalar` as PyTorch's C++ writes it (div.Scalar, DivBackward1): cross_entropy's mean over probabilities. */
export const divScalarOp = defineOp<{ other: number }>({
  name: 'div_scalar', label: '÷', gradFn: 'DivBackward1', inputs: ['self'],
  formulas: { self: 'grad / other' }, saves: [],
  forward: ([a], { other }) => {
    const s = wrapScalar(other);
    const dtype = promote(a, s);
    return binaryRaw(Bin.Div, a, s, isFloating(dtype) ? dtype : DEFAULT_FLOAT);
  },
  backward: (g, _c, needs) => [needs[0] ? div(g, wrapScalar(_c.attrs.other)) : null],
});

/** tensor ** number */
export const powScalarOp = defineOp<{ exponent: number; floatExponent?: boolean }>({
  name: 'pow', label: '**', gradFn: 'PowBackward0', inputs: ['self'],
  formulas: { self: 'grad * exponent * self.pow(exponent - 1)' }, saves: ['self'],
  forward: ([a], { exponent, floatExponent }) => {
    if (a.shape.length === 0) {
      const e = wrapScalar(exponent, floatExponent);
      return binaryRaw(Bin.Pow, a, e, promote(a, e));
    }
    // What binaryRaw does with the exponent as a wrapped Python number (a dimensioned base always broadcasts
    // it), without making the wrapper: the exponent is rounded as the compute dtype sees it.
    const eDtype: DType = (floatExponent ?? !Number.isInteger(exponent)) ? 'float64' : 'int64';
    const dtype = resultType2(a.dtype, false, a.isWrappedNumber, eDtype, true, true);
    const s = dtype === 'float32' && eDtype === 'float64' ? Math.fround(exponent) : exponent;
    const n = a.data.length;
    skipTensorIds(1); // the wrapper's id
    const out = new Tensor(allocStorage(dtype, n, false), a.shape.slice(), dtype);
    powScalar(out.data, valuesIn(a, dtype), s, n, exponent);
    return out;
  },
  backward: (g, { inputs: [a], attrs: { exponent } }, needs) => {
    if (!needs[0]) return [null];
    if (exponent === 0) return [mul(g, 0)];
    return [powBackward(g, a, exponent)];
  },
});

/**
 * grad * (exponent * self.pow(exponent - 1)) in one pass over self (the hot path of the tutorial's loop). Each
 * intermediate is rounded to the result dtype as PyTorch's kernels round it: self.pow(exponent - 1), then the
 * product with exponent, then the product with grad.
 */
function powBackward(g: Tensor, a: Tensor, exponent: number): Tensor {
  const dtype = isFloating(a.dtype) ? a.dtype : DEFAULT_FLOAT;
  const n = a.data.length;
  const scalarGrad = g.data.length === 1;
  // A grad of another shape (broadcast) or dtype goes through the general path.
  if ((!scalarGrad && (g.data.length !== n || !sameShape(g.shape, a.shape))) || g.dtype !== dtype || !(a.data instanceof Float32Array || a.data instanceof Float64Array)) {
    const local = new Tensor(allocStorage(dtype, n), a.shape.slice(), dtype);
    powScalar(local.data, a.data, exponent - 1, n);
    const L = local.data;
    for (let i = 0; i < n; i++) L[i] = exponent * L[i];
    if (scalarGrad) {
      const s = g.data[0];
      for (let i = 0; i < n; i++) L[i] = s * L[i];
      return local;
    }
    return binaryRaw(Bin.Mul, g, local, dtype);
  }
  // The unfused formula makes self.pow(exponent - 1) * exponent, then its product with a full grad.
  if (!scalarGrad) skipTensorIds(1);
  const out = new Tensor(allocStorage(dtype, n, false), a.shape.slice(), dtype);
  const O = out.data as Float32Array | Float64Array;
  const A = a.data as Float32Array | Float64Array;
  const f32 = O instanceof Float32Array;
  if (exponent === 2) {
    // self.pow(1) is self.
    const G = g.data;
    const s = G[0];
    if (f32 && scalarGrad) for (let i = 0; i < n; i++) O[i] = s * Math.fround(2 * A[i]);
    else if (f32) {
      const m = n & ~3;
      let i = 0;
      for (; i < m; i += 4) {
        O[i] = G[i] * Math.fround(2 * A[i]);
        O[i + 1] = G[i + 1] * Math.fround(2 * A[i + 1]);
        O[i + 2] = G[i + 2] * Math.fround(2 * A[i + 2]);
        O[i + 3] = G[i + 3] * Math.fround(2 * A[i + 3]);
      }
      for (; i < n; i++) O[i] = G[i] * Math.fround(2 * A[i]);
    }
    else if (scalarGrad) for (let i = 0; i < n; i++) O[i] = s * (2 * A[i]);
    else for (let i = 0; i < n; i++) O[i] = G[i] * (2 * A[i]);
    return out;
  }
  powScalar(O, A, exponent - 1, n);
  if (scalarGrad) {
    const s = g.data[0];
    if (f32) for (let i = 0; i < n; i++) O[i] = s * Math.fround(exponent * O[i]);
    else for (let i = 0; i < n; i++) O[i] = s * (exponent * O[i]);
  } else {
    const G = g.data;
    if (f32) for (let i = 0; i < n; i++) O[i] = G[i] * Math.fround(exponent * O[i]);
    else for (let i = 0; i < n; i++) O[i] = G[i] * (exponent * O[i]);
  }
  return out;
}

/** tensor ** tensor */
export const powTensorOp = defineOp({
  name: 'pow_tensor', label: '**', gradFn: 'PowBackward1', inputs: ['self', 'exponent'],
  formulas: { self: 'grad * exponent * self.pow(exponent - 1)', exponent: 'grad * result * self.log()' }, saves: ['self', 'exponent', 'result'],
  forward: arith(Bin.Pow),
  backward: (g, { inputs: [a, e], result }, needs) => [
    needs[0] ? mul(mul(g, e), pow(a, sub(e, 1))) : null,
    needs[1] ? mul(mul(g, result), powLog(a, e, result.dtype).log) : null,
  ],
});

/**
 * torch.pow(number, tensor): PowBackward2, whose only input is the exponent (the base is a Scalar, not a
 * wrapped tensor as in `number ** tensor`, which records PowBackward1).
 */
export const powScalarBaseOp = defineOp<{ base: number; floatBase?: boolean }>({
  name: 'pow_scalar_base', label: '**', gradFn: 'PowBackward2', inputs: ['exponent'],
  formulas: { exponent: 'pow_backward_exponent(grad, self, exponent, result)' }, saves: ['exponent', 'result'],
  forward: ([e], { base, floatBase }) => arith(Bin.Pow)([wrapScalar(base, floatBase), e]),
  backward: (g, { inputs: [e], result, attrs: { base } }, needs) => [needs[0] ? mul(g, mul(result, powLog(wrapScalar(base), e, result.dtype).log)) : null],
});

export const powScalarBase = (base: number, exponent: Tensor, floatBase?: boolean): Tensor => apply(powScalarBaseOp, [exponent], { base, floatBase });

/**
 * The exponent's gradient of self ** exponent is grad · result · log(self), and PyTorch's pow_backward_exponent
 * takes 0 (the limit) where self is 0 and the exponent is not negative. Here, over the broadcast shape: `zero`,
 * that mask, and `log`, log(self) with 0 under the mask (raw, in `dtype`). The recorded backward of
 * create_graph uses the mask with a recorded log (../autograd/differentiable).
 */
export function powLog(a: Tensor, e: Tensor, dtype: DType): { log: Tensor; zero: Tensor } {
  const shape = broadcastShapes(a.shape, e.shape);
  const { ia, ib } = broadcastIndex(a.shape, e.shape, shape);
  const n = numelOf(shape);
  const log = new Tensor(allocStorage(dtype, n), shape.slice(), dtype);
  const zero = new Tensor(allocStorage('bool', n), shape.slice(), 'bool');
  for (let i = 0; i < n; i++) {
    const x = a.data[ia[i]];
    if (x === 0 && e.data[ib[i]] >= 0) zero.data[i] = 1;
    else log.data[i] = Math.log(x);
  }
  return { log, zero };
}

const compare = (name: string, label: string, op: Bin) =>
  defineOp({
    name, label, gradFn: '', inputs: ['self', 'other'], formulas: {}, saves: [], differentiable: false,
    forward: (inputs: Tensor[]) => binaryRaw(op, inputs[0], inputs[1], promote(inputs[0], inputs[1]), 'bool'),
    backward: () => [null, null],
  });

export const eqOp = compare('eq', '==', Bin.Eq);
export const neOp = compare('ne', '!=', Bin.Ne);
export const ltOp = compare('lt', '<', Bin.Lt);
export const leOp = compare('le', '<=', Bin.Le);
export const gtOp = compare('gt', '>', Bin.Gt);
export const geOp = compare('ge', '>=', Bin.Ge);
export const logicalAndOp = compare('logical_and', '&', Bin.And);
export const logicalOrOp = compare('logical_or', '|', Bin.Or);

/** &, |, ^ on integer and bool tensors (bitwise; logical on bools); floating inputs are an error as in PyTorch. */
const bitwiseOp = (name: string, label: string, op: Bin) =>
  defineOp({
    name, label, gradFn: '', inputs: ['self', 'other'], formulas: {}, saves: [], differentiable: false,
    forward: (inputs: Tensor[]) => {
      const dtype = promote(inputs[0], inputs[1]);
      if (isFloating(dtype)) throw runtimeError(`"${name}_cpu" not implemented for '${dtype === 'float32' ? 'Float' : 'Double'}'`);
      return binaryRaw(op, inputs[0], inputs[1], dtype);
    },
    backward: () => [null, null],
  });
export const bitwiseAndOp = bitwiseOp('bitwise_and', '&', Bin.BitAnd);
export const bitwiseOrOp = bitwiseOp('bitwise_or', '|', Bin.BitOr);
export const bitwiseXorOp = bitwiseOp('bitwise_xor', '^', Bin.BitXor);

export const floorDivideOp = defineOp({
  name: 'floor_divide', label: '//', gradFn: '', inputs: ['self', 'other'], formulas: {}, saves: [], differentiable: false,
  forward: integerDivision(Bin.FloorDiv),
  backward: () => [null, null],
});

/** torch.div(a, b, rounding_mode='floor' | 'trunc'): the quotient rounded, in the promoted dtype; zero gradients (DivBackward2). */
export const divRoundingOp = defineOp<{ mode: 'floor' | 'trunc' }>({
  name: 'div_rounding', label: '/', gradFn: 'DivBackward2', inputs: ['self', 'other'],
  formulas: { self: 'zeros_like(grad)', other: 'zeros_like(grad)' }, saves: [],
  forward: ([a, b], { mode }) => {
    const dtype = promote(a, b);
    const shape = sameShape(a.shape, b.shape) ? a.shape.slice() : broadcastShapes(a.shape, b.shape);
    const out = new Tensor(allocStorage(dtype, numelOf(shape)), shape, dtype);
    const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
    const round = mode === 'floor' ? Math.floor : Math.trunc;
    for (let i = 0; i < out.data.length; i++) {
      const y = b.data[ib[i]];
      if (y === 0 && !isFloating(dtype)) throw runtimeError('ZeroDivisionError');
      out.data[i] = round(a.data[ia[i]] / y);
    }
    return out;
  },
  backward: (g, { inputs: [a, b] }, needs) => [needs[0] ? mul(g, 0) : null, needs[1] ? mul(g, 0) : null],
});

export const remainderOp = defineOp({
  name: 'remainder', label: '%', gradFn: 'RemainderBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad', other: '-grad * self.div(other, rounding_mode="floor")' }, saves: ['self', 'other'],
  forward: integerDivision(Bin.Mod),
  backward: (g, { inputs: [a, b] }, needs) => [needs[0] ? g : null, needs[1] ? neg(mul(g, floorDivide(a, b))) : null],
});

// Where the two are equal the gradient is split evenly, as PyTorch's masked formulas do.
function extremumBackward(g: Tensor, a: Tensor, b: Tensor, isMax: boolean, needs: boolean[]): (Tensor | null)[] {
  const dtype = g.dtype;
  const shape = broadcastShapes(a.shape, b.shape);
  const n = numelOf(shape);
  const { ia, ib } = broadcastIndex(a.shape, b.shape, shape);
  const G = g.data.length === 1 ? null : g.data;
  const ga = new Tensor(allocStorage(dtype, n), shape, dtype);
  const gb = new Tensor(allocStorage(dtype, n), shape, dtype);
  for (let i = 0; i < n; i++) {
    const x = a.data[ia[i]];
    const y = b.data[ib[i]];
    const gi = G ? G[i] : g.data[0];
    const share = x === y ? 0.5 : (isMax ? x > y : x < y) ? 1 : 0;
    ga.data[i] = gi * share;
    gb.data[i] = gi * (x === y ? 0.5 : 1 - share);
  }
  return [needs[0] ? ga : null, needs[1] ? gb : null];
}

export const maximumOp = defineOp({
  name: 'maximum', label: 'max', gradFn: 'MaximumBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad * (self >= other) / (1 + (self == other))', other: 'grad * (other >= self) / (1 + (self == other))' }, saves: ['self', 'other'],
  forward: arith(Bin.Max),
  backward: (g, { inputs: [a, b] }, needs) => extremumBackward(g, a, b, true, needs),
});

export const minimumOp = defineOp({
  name: 'minimum', label: 'min', gradFn: 'MinimumBackward0', inputs: ['self', 'other'],
  formulas: { self: 'grad * (self <= other) / (1 + (self == other))', other: 'grad * (other <= self) / (1 + (self == other))' }, saves: ['self', 'other'],
  forward: arith(Bin.Min),
  backward: (g, { inputs: [a, b] }, needs) => extremumBackward(g, a, b, false, needs),
});

// The functional API. Numbers stand for Python numbers.
export const add = (a: Operand, b: Operand): Tensor => apply(addOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const sub = (a: Operand, b: Operand): Tensor => apply(subOp, [asTensor(a), asTensor(b)], NO_ATTRS);
/** torch.add(a, b, alpha=k) / torch.sub(a, b, alpha=k): one op, as PyTorch records it. */
export const addScaled = (a: Operand, b: Operand, alpha: number): Tensor => apply(addOp, [asTensor(a), asTensor(b)], alpha === 1 ? NO_ATTRS : { alpha });
export const subScaled = (a: Operand, b: Operand, alpha: number): Tensor => apply(subOp, [asTensor(a), asTensor(b)], alpha === 1 ? NO_ATTRS : { alpha });
export const mul = (a: Operand, b: Operand): Tensor => apply(mulOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const div = (a: Operand, b: Operand): Tensor => apply(divOp, [asTensor(a), asTensor(b)], NO_ATTRS);
/** other - self, for `number - tensor`. */
/** other - self for a Python number other (floatOther: it was a float such as 3.0, which makes int tensors float). */
export const rsub = (self: Tensor, other: number, floatOther?: boolean): Tensor =>
  apply(rsubOp, [self], floatOther === undefined ? { other } : { other, floatOther });
export const divRounding = (a: Operand, b: Operand, mode: 'floor' | 'trunc'): Tensor => apply(divRoundingOp, [asTensor(a), asTensor(b)], { mode });
export const divScalar = (self: Tensor, other: number): Tensor => apply(divScalarOp, [self], { other });
export const floorDivide = (a: Operand, b: Operand): Tensor => apply(floorDivideOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const remainder = (a: Operand, b: Operand): Tensor => apply(remainderOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const maximum = (a: Tensor, b: Tensor): Tensor => apply(maximumOp, [a, b], NO_ATTRS);
export const minimum = (a: Tensor, b: Tensor): Tensor => apply(minimumOp, [a, b], NO_ATTRS);
export const eq = (a: Operand, b: Operand): Tensor => apply(eqOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const ne = (a: Operand, b: Operand): Tensor => apply(neOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const lt = (a: Operand, b: Operand): Tensor => apply(ltOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const le = (a: Operand, b: Operand): Tensor => apply(leOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const gt = (a: Operand, b: Operand): Tensor => apply(gtOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const ge = (a: Operand, b: Operand): Tensor => apply(geOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const logicalAnd = (a: Operand, b: Operand): Tensor => apply(logicalAndOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const bitwiseAnd = (a: Operand, b: Operand): Tensor => apply(bitwiseAndOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const bitwiseOr = (a: Operand, b: Operand): Tensor => apply(bitwiseOrOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const bitwiseXor = (a: Operand, b: Operand): Tensor => apply(bitwiseXorOp, [asTensor(a), asTensor(b)], NO_ATTRS);
export const logicalOr = (a: Operand, b: Operand): Tensor => apply(logicalOrOp, [asTensor(a), asTensor(b)], NO_ATTRS);

/** self ** exponent for any mix of tensors and numbers. */
export function pow(self: Operand, exponent: Operand): Tensor {
  if (self instanceof Tensor && !(exponent instanceof Tensor)) return apply(powScalarOp, [self], { exponent: +exponent });
  if (self instanceof Tensor && exponent instanceof Tensor) {
    if (exponent.isWrappedNumber) {
      return apply(powScalarOp, [self], { exponent: exponent.data[0], floatExponent: exponent.dtype === 'float64' });
    }
    return apply(powTensorOp, [self, exponent], NO_ATTRS);
  }
  // number ** tensor: PyTorch wraps the number and records PowBackward1 (None for the base).
  if (exponent instanceof Tensor) return apply(powTensorOp, [wrapScalar(self as number | boolean), exponent], NO_ATTRS);
  throw new EngineError('TypeError', 'pow() expects a tensor');
}

/** Unary minus, kept here so the binary backward formulas can use it without a cycle. */
import { neg } from './unary';
export { neg };
