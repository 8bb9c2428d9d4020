// numpy's ndarray for the language: strided views over the engine's storage, numpy 1.24's type promotion and
// broadcasting, and the elementwise and reduction kernels numpy programs use.
//
// Note: an array is not a tensor. It has no id, no grad_fn and emits no events: numpy code runs beside the
// autograd graph, not in it (torch.from_numpy makes a tensor, which is a graph leaf, from an array's memory).
// Arrays are numpy's (data, offset, shape, strides) views, so a[0], a[:, 1], a.T and a.reshape(...) share
// memory with `a` as numpy's do, and a write through one is seen through the other. The storage kinds are the
// engine's (int64 in a Float64Array, exact below 2^53; bool in a Uint8Array), so torch.from_numpy and
// Tensor.numpy() share one typed array.
import { allocStorage, releaseStorage, type DType, type Storage } from '../../dtype';
import { stridesOf } from '../../tensor';
import * as libm from '../libm';
import { PyError } from '../errors';

export type { DType };

export class NDArray {
  constructor(
    public data: Storage,
    public shape: number[],
    public strides: number[],
    public offset: number,
    public dtype: DType,
    /** The array whose memory this one views (numpy's .base), or null when it owns its memory. */
    public base: NDArray | null = null,
  ) {}

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    let n = 1;
    for (const s of this.shape) n *= s;
    return n;
  }

  /** Row-major with no gaps (numpy's C_CONTIGUOUS; dims of size 1 do not count). */
  get contiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== expected) return this.size === 0;
      expected *= this.shape[i];
    }
    return true;
  }
}

export const valueError = (m: string): PyError => new PyError('ValueError', m);
export const typeError = (m: string): PyError => new PyError('TypeError', m);
export const indexError = (m: string): PyError => new PyError('IndexError', m);

/** Row-major strides (numpy's C order), as the engine's contiguous tensors have them. */
export const cStrides = stridesOf;

function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** A new zero-filled C-contiguous array. */
export function emptyArray(shape: readonly number[], dtype: DType): NDArray {
  for (const s of shape) {
    if (!Number.isInteger(s)) throw typeError(`'float' object cannot be interpreted as an integer`);
    if (s < 0) throw valueError('negative dimensions are not allowed');
  }
  return new NDArray(allocStorage(dtype, numel(shape)), shape.slice(), cStrides(shape), 0, dtype);
}

/** An array over a contiguous storage holding its elements in row-major order. */
export function fromStorage(data: Storage, shape: readonly number[], dtype: DType): NDArray {
  return new NDArray(data, shape.slice(), cStrides(shape), 0, dtype);
}

/** Converts a number to what an element of `dtype` holds (numpy's unsafe cast: floats truncate toward zero). */
export function castValue(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return v;
    case 'float32':
      return Math.fround(v);
    case 'bool':
      return v !== 0 ? 1 : 0;
    case 'int32':
      return Number.isFinite(v) ? Math.trunc(v) | 0 : -2147483648;
    // Truncated, then wrapped as the narrow array's own store wraps (inf and NaN as C's cast on x86: 0 in the low bits).
    case 'int16':
      return Number.isFinite(v) ? (Math.trunc(v) << 16) >> 16 : 0;
    case 'int8':
      return Number.isFinite(v) ? (Math.trunc(v) << 24) >> 24 : 0;
    case 'uint8':
      return Number.isFinite(v) ? Math.trunc(v) & 255 : 0;
    case 'int64':
      return Number.isFinite(v) ? Math.trunc(v) : -9223372036854775808;
  }
}

/** Calls fn(offset) for each element of `a` in row-major order. */
export function forEachOffset(a: NDArray, fn: (offset: number, i: number) => void): void {
  const n = a.size;
  if (n === 0) return;
  const nd = a.ndim;
  if (nd === 0) {
    fn(a.offset, 0);
    return;
  }
  const shape = a.shape;
  const strides = a.strides;
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const lastLen = shape[last];
  const lastStride = strides[last];
  let base = a.offset;
  let i = 0;
  for (;;) {
    let off = base;
    for (let k = 0; k < lastLen; k++, off += lastStride) fn(off, i++);
    let d = last - 1;
    for (; d >= 0; d--) {
      base += strides[d];
      if (++idx[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * The elements in row-major order as one contiguous storage: the array's own memory when it is contiguous
 * (a subarray view: do not write to it unless you mean to write to the array), else a copy.
 */
export function flatData(a: NDArray): Storage {
  const n = a.size;
  if (a.contiguous) {
    return a.offset === 0 && a.data.length === n ? a.data : (a.data.subarray(a.offset, a.offset + n) as Storage);
  }
  const out = allocStorage(a.dtype, n, false);
  const src = a.data;
  forEachOffset(a, (off, i) => {
    out[i] = src[off];
  });
  return out;
}

/** A contiguous copy of `a` in `dtype` (numpy's astype, C order). */
export function copyAs(a: NDArray, dtype: DType = a.dtype): NDArray {
  const n = a.size;
  const out = allocStorage(dtype, n, false);
  const src = a.data;
  if (dtype === a.dtype || (dtype === 'float64' && a.dtype !== 'float32') || (dtype === 'float32' && a.dtype === 'float64')) {
    if (a.contiguous) out.set(src.subarray(a.offset, a.offset + n));
    else forEachOffset(a, (off, i) => (out[i] = src[off]));
    // Int32Array/Float32Array/Uint8Array round or wrap on store; a float to int64 needs its truncation.
    if (dtype === 'int64' && a.dtype !== 'int64' && a.dtype !== 'int32' && a.dtype !== 'bool') for (let i = 0; i < n; i++) out[i] = castValue(out[i], dtype);
  } else {
    forEachOffset(a, (off, i) => (out[i] = castValue(src[off], dtype)));
  }
  return fromStorage(out, a.shape, dtype);
}

/** The single element of a one-element array. */
export function scalarValue(a: NDArray): number {
  return a.data[a.offset];
}

// ---- dtypes and promotion ------------------------------------------------------------------------

// Note: numpy 1.24 promotes by value when scalars (Python numbers, numpy scalars, 0-d arrays) meet arrays of the
// same or a higher kind (bool < int < float): the scalar counts as the smallest type that holds its value
// (min_scalar_type). So float32_array * 0.5 stays float32, int32_array + 1 stays int32, while
// float32_array + 100000 is float64 (100000 needs uint32, and float32 with uint32 is float64), and
// int_array + 0.5 is float64 (a float scalar is of a higher kind than an int array). With only scalars,
// their dtypes promote as they are (a Python int is int64, a Python float float64).

/** The types promotion passes through: ours, plus the small ones min_scalar_type yields. */
type PType = 'bool' | 'u8' | 'u16' | 'u32' | 'u64' | 'i8' | 'i16' | 'i32' | 'i64' | 'f16' | 'f32' | 'f64';

const KIND: Record<PType, number> = { bool: 0, u8: 1, u16: 1, u32: 1, u64: 1, i8: 1, i16: 1, i32: 1, i64: 1, f16: 2, f32: 2, f64: 2 };
const BITS: Record<PType, number> = { bool: 1, u8: 8, u16: 16, u32: 32, u64: 64, i8: 8, i16: 16, i32: 32, i64: 64, f16: 16, f32: 32, f64: 64 };

const TO_P: Record<DType, PType> = { float64: 'f64', float32: 'f32', int64: 'i64', int32: 'i32', int16: 'i16', int8: 'i8', uint8: 'u8', bool: 'bool' };
const toP = (d: DType): PType => TO_P[d];

function fromP(p: PType): DType {
  switch (p) {
    case 'f64':
      return 'float64';
    case 'f32':
    case 'f16':
      return 'float32';
    case 'i16':
      return 'int16';
    case 'i8':
      return 'int8';
    case 'u8':
      return 'uint8';
    // No uint16 here: the next type that holds it.
    case 'i32':
    case 'u16':
      return 'int32';
    case 'bool':
      return 'bool';
    default:
      return 'int64';
  }
}

const isUnsigned = (p: PType): boolean => p[0] === 'u';

function promoteP(a: PType, b: PType): PType {
  if (a === b) return a;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  const ka = KIND[a];
  const kb = KIND[b];
  if (ka === 2 && kb === 2) return BITS[a] >= BITS[b] ? a : b;
  if (ka === 2 || kb === 2) {
    const [f, i] = ka === 2 ? [a, b] : [b, a];
    // The smallest float holding the integer type exactly enough, as numpy's table: f16 takes 8-bit ints,
    // f32 16-bit ones, f64 the rest.
    const need: PType = BITS[i] <= 8 ? 'f16' : BITS[i] <= 16 ? 'f32' : 'f64';
    return BITS[f] >= BITS[need] ? f : need;
  }
  const ua = isUnsigned(a);
  const ub = isUnsigned(b);
  if (ua === ub) return BITS[a] >= BITS[b] ? a : b;
  const [u, s] = ua ? [a, b] : [b, a];
  if (BITS[s] > BITS[u]) return s;
  const bits = BITS[u] * 2;
  return bits > 64 ? 'f64' : ((`i${bits}`) as PType);
}

function minScalarType(value: number, dtype: DType, signedArrays = false): PType {
  if (dtype === 'bool') return 'bool';
  if (dtype === 'float32' || dtype === 'float64') {
    if (!Number.isFinite(value)) return 'f16';
    const a = Math.abs(value);
    return a <= 65504 ? 'f16' : a <= 3.4028234663852886e38 ? 'f32' : 'f64';
  }
  // Beside signed integer arrays a positive int counts as the smallest signed type that holds it, as numpy's
  // legacy promotion does (int8_array * 100 stays int8; * 200 is int16).
  if (value >= 0 && signedArrays) return value < 128 ? 'i8' : value < 32768 ? 'i16' : value < 2147483648 ? 'i32' : 'i64';
  if (value >= 0) return value < 256 ? 'u8' : value < 65536 ? 'u16' : value < 4294967296 ? 'u32' : 'u64';
  return value >= -128 ? 'i8' : value >= -32768 ? 'i16' : value >= -2147483648 ? 'i32' : 'i64';
}

/** One operand of promotion: an array's dtype, or a scalar's dtype and value. */
export interface Operand {
  dtype: DType;
  /** A scalar (Python number, numpy scalar, 0-d array): its value decides its type when arrays are present. */
  scalar: boolean;
  value: number;
}

/** numpy 1.24's result_type of the operands (see the note above). */
export function resultType(ops: readonly Operand[]): DType {
  let arrayKind = -1;
  let scalarKind = -1;
  for (const o of ops) {
    const k = KIND[toP(o.dtype)];
    if (o.scalar) scalarKind = Math.max(scalarKind, k);
    else arrayKind = Math.max(arrayKind, k);
  }
  const byValue = arrayKind >= 0 && scalarKind >= 0 && scalarKind <= arrayKind;
  const signedArrays = ops.some((o) => !o.scalar && KIND[toP(o.dtype)] === 1 && !isUnsigned(toP(o.dtype)));
  let t: PType | null = null;
  for (const o of ops) {
    const p = byValue && o.scalar ? minScalarType(o.value, o.dtype, signedArrays) : toP(o.dtype);
    t = t === null ? p : promoteP(t, p);
  }
  return fromP(t ?? 'f64');
}

export function promoteTypes(a: DType, b: DType): DType {
  return fromP(promoteP(toP(a), toP(b)));
}

export const isFloatDtype = (d: DType): boolean => d === 'float64' || d === 'float32';
export const isIntDtype = (d: DType): boolean => d === 'int64' || d === 'int32' || d === 'int16' || d === 'int8' || d === 'uint8';

// ---- broadcasting --------------------------------------------------------------------------------

const shapeText = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(',')})`);

/** The broadcast shape of several shapes, or numpy's ValueError. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = nd - s.length + i;
      const v = s[i];
      if (v === out[d] || v === 1) continue;
      if (out[d] === 1) out[d] = v;
      else throw valueError(`operands could not be broadcast together with shapes ${shapes.map(shapeText).join(' ')} `);
    }
  }
  return out;
}

/** `a` seen with `shape` (stride 0 along broadcast dims): a view, as np.broadcast_to. */
export function broadcastTo(a: NDArray, shape: readonly number[]): NDArray {
  const nd = shape.length;
  const strides = new Array<number>(nd).fill(0);
  for (let i = 0; i < a.ndim; i++) {
    const d = nd - a.ndim + i;
    strides[d] = a.shape[i] === 1 && shape[d] !== 1 ? 0 : a.strides[i];
  }
  return new NDArray(a.data, shape.slice(), strides, a.offset, a.dtype, a.base ?? a);
}

// ---- elementwise kernels -------------------------------------------------------------------------

export type BinaryName = 'add' | 'subtract' | 'multiply' | 'true_divide' | 'floor_divide' | 'remainder' | 'power' | 'maximum' | 'minimum' | 'bitwise_and' | 'bitwise_or' | 'bitwise_xor' | 'arctan2' | 'fmod';
export type CompareName = 'equal' | 'not_equal' | 'less' | 'less_equal' | 'greater' | 'greater_equal';

/** Python's float floor division and modulo, as numpy's npy_divmod computes them (a zero divisor gives inf or nan, no error). */
function divmod(a: number, b: number): [number, number] {
  return b === 0 ? [a / b, NaN] : libm.floatDivmod(a, b);
}

function intPow(a: number, b: number): number {
  if (b < 0) throw valueError('Integers to negative integer powers are not allowed.');
  let r = 1;
  let base = a;
  let e = b;
  while (e > 0) {
    if (e & 1) r *= base;
    base *= base;
    e = Math.floor(e / 2);
  }
  return r;
}

const SPLIT = 134217729; // 2^27 + 1

/**
 * a ** n for a small integer n >= 3, correctly rounded but for results within 2^-100 of a rounding boundary:
 * the power as an unevaluated sum hi + lo (each step exact products, Dekker's split), rounded once. pow() of
 * glibc (what numpy calls) is correctly rounded; libm.pow is too, but ~100x slower, and `x ** 3` over an
 * array in a training loop is the common case.
 */
function smallIntPow(a: number, n: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  let hi = a;
  let lo = 0;
  for (let k = 1; k < n; k++) {
    const p = hi * a;
    c = SPLIT * hi;
    const hh = c - (c - hi);
    const hl = hi - hh;
    const e = hh * ah - p + hh * al + hl * ah + hl * al;
    const t = lo * a + e;
    hi = p + t;
    lo = t - (hi - p);
  }
  return hi + lo;
}

function floatPow(a: number, b: number): number {
  // numpy's fast paths for these exponents (x*x, sqrt, 1/x) give the correctly rounded results pow gives too.
  if (b === 2) return a * a;
  if ((b === 3 || b === 4 || b === 5 || b === 6) && Number.isFinite(a)) {
    const r = smallIntPow(a, b);
    const m = Math.abs(r);
    if (m > 2 ** -900 && m < 2 ** 900) return r;
  }
  return libm.pow(a, b);
}

function binaryFn(name: BinaryName, compute: DType): (a: number, b: number) => number {
  const float = isFloatDtype(compute);
  switch (name) {
    case 'add':
      return compute === 'bool' ? (a, b) => +(a !== 0 || b !== 0) : (a, b) => a + b;
    case 'subtract':
      return (a, b) => a - b;
    case 'multiply':
      return compute === 'bool' ? (a, b) => +(a !== 0 && b !== 0) : (a, b) => a * b;
    case 'true_divide':
      return (a, b) => a / b;
    case 'floor_divide':
      return float ? (a, b) => divmod(a, b)[0] : (a, b) => (b === 0 ? 0 : Math.floor(a / b));
    case 'remainder':
      return float ? (a, b) => divmod(a, b)[1] : (a, b) => (b === 0 ? 0 : a - Math.floor(a / b) * b);
    case 'fmod':
      return float ? (a, b) => a % b : (a, b) => (b === 0 ? 0 : a % b);
    case 'power':
      return float ? floatPow : intPow;
    case 'maximum':
      return (a, b) => (a !== a || b !== b ? NaN : a >= b ? a : b);
    case 'minimum':
      return (a, b) => (a !== a || b !== b ? NaN : a <= b ? a : b);
    case 'bitwise_and':
      return compute === 'bool' ? (a, b) => +(a !== 0 && b !== 0) : (a, b) => Number(BigInt(a) & BigInt(b));
    case 'bitwise_or':
      return compute === 'bool' ? (a, b) => +(a !== 0 || b !== 0) : (a, b) => Number(BigInt(a) | BigInt(b));
    case 'bitwise_xor':
      return compute === 'bool' ? (a, b) => +((a !== 0) !== (b !== 0)) : (a, b) => Number(BigInt(a) ^ BigInt(b));
    case 'arctan2':
      return Math.atan2;
  }
}

function compareFn(name: CompareName): (a: number, b: number) => boolean {
  switch (name) {
    case 'equal':
      return (a, b) => a === b;
    case 'not_equal':
      return (a, b) => a !== b;
    case 'less':
      return (a, b) => a < b;
    case 'less_equal':
      return (a, b) => a <= b;
    case 'greater':
      return (a, b) => a > b;
    case 'greater_equal':
      return (a, b) => a >= b;
  }
}

/** An operand of a kernel: an array, or a scalar with the dtype it promotes as. */
export type KernelArg = NDArray | { scalar: number; dtype: DType };

const operandOf = (x: KernelArg): Operand =>
  x instanceof NDArray ? { dtype: x.dtype, scalar: x.ndim === 0, value: x.ndim === 0 ? scalarValue(x) : 0 } : { dtype: x.dtype, scalar: true, value: x.scalar };

/** The elements of `x` cast to `dtype`, in row-major order over `shape` (broadcast): a flat storage or a constant. */
function inputFor(x: KernelArg, dtype: DType, shape: readonly number[]): Storage | number {
  if (!(x instanceof NDArray)) return castValue(x.scalar, dtype);
  if (x.size === 1) return castValue(scalarValue(x), dtype);
  let a = x;
  if (a.ndim !== shape.length || a.shape.some((s, i) => s !== shape[i])) a = broadcastTo(a, shape);
  const flat = flatData(a);
  if (a.dtype === dtype || (dtype === 'float64' && a.dtype !== 'float32') || (dtype === 'int64' && a.dtype !== 'float32' && a.dtype !== 'float64')) return flat;
  const out = allocStorage(dtype, flat.length, false);
  for (let i = 0; i < flat.length; i++) out[i] = castValue(flat[i], dtype);
  return out;
}

/** The dtype an arithmetic ufunc computes in, with numpy's refusals (bool subtract, int true division). */
export function binaryTypes(name: BinaryName, a: KernelArg, b: KernelArg): { compute: DType; out: DType } {
  let compute = resultType([operandOf(a), operandOf(b)]);
  if (name === 'true_divide' || name === 'arctan2') {
    if (!isFloatDtype(compute)) compute = 'float64';
  } else if (name === 'subtract' && compute === 'bool') {
    throw typeError('numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.');
  } else if ((name === 'floor_divide' || name === 'remainder' || name === 'power' || name === 'fmod') && compute === 'bool') {
    compute = 'int32';
  } else if (name.startsWith('bitwise') && isFloatDtype(compute)) {
    throw typeError(`ufunc '${name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''`);
  }
  // numpy has int8 for bool // bool; int32 here stands for it (the values agree).
  return { compute, out: compute };
}

/** A binary ufunc with broadcasting, into a new array (or into `out`, numpy's out= / in-place operators). */
export function binary(name: BinaryName, a: KernelArg, b: KernelArg, out?: NDArray): NDArray {
  const { compute } = binaryTypes(name, a, b);
  const shapes = [a, b].map((x) => (x instanceof NDArray ? x.shape : []));
  const shape = broadcastShapes(out ? [...shapes, out.shape] : shapes);
  if (out && (shape.length !== out.ndim || shape.some((s, i) => s !== out.shape[i]))) {
    throw valueError(`non-broadcastable output operand with shape ${shapeText(out.shape)} doesn't match the broadcast shape ${shapeText(shape)}`);
  }
  const x = inputFor(a, compute, shape);
  const y = inputFor(b, compute, shape);
  const n = numel(shape);
  const res = allocStorage(compute, n, false);
  const f = binaryFn(name, compute);
  const fastOp = name === 'add' ? 0 : name === 'subtract' ? 1 : name === 'multiply' ? 2 : name === 'true_divide' ? 3 : -1;
  // The hot paths written out (a training loop's `b * x`, `y_pred - y`): no closure call per element.
  if (compute === 'float64' && fastOp >= 0 && (typeof x === 'number' || x instanceof Float64Array) && (typeof y === 'number' || y instanceof Float64Array)) {
    f64Kernel(fastOp, x, y, res as Float64Array, n);
  } else if (compute === 'float64' && name === 'power' && x instanceof Float64Array && typeof y === 'number' && y >= 2 && y <= 6 && Number.isInteger(y)) {
    f64Power(x, y, res as Float64Array, n);
  } else if (typeof x === 'number' && typeof y === 'number') res.fill(f(x, y));
  else if (name === 'add' && compute !== 'bool') {
    if (typeof x === 'number') for (let i = 0; i < n; i++) res[i] = x + (y as Storage)[i];
    else if (typeof y === 'number') for (let i = 0; i < n; i++) res[i] = x[i] + y;
    else for (let i = 0; i < n; i++) res[i] = x[i] + y[i];
  } else if (name === 'subtract') {
    if (typeof x === 'number') for (let i = 0; i < n; i++) res[i] = x - (y as Storage)[i];
    else if (typeof y === 'number') for (let i = 0; i < n; i++) res[i] = x[i] - y;
    else for (let i = 0; i < n; i++) res[i] = x[i] - y[i];
  } else if (name === 'multiply' && compute !== 'bool') {
    if (typeof x === 'number') for (let i = 0; i < n; i++) res[i] = x * (y as Storage)[i];
    else if (typeof y === 'number') for (let i = 0; i < n; i++) res[i] = x[i] * y;
    else for (let i = 0; i < n; i++) res[i] = x[i] * y[i];
  } else if (typeof x === 'number') for (let i = 0; i < n; i++) res[i] = f(x, (y as Storage)[i]);
  else if (typeof y === 'number') for (let i = 0; i < n; i++) res[i] = f(x[i], y);
  else for (let i = 0; i < n; i++) res[i] = f(x[i], y[i]);
  if (name === 'power' && isIntDtype(compute) && typeof y !== 'number') {
    for (let i = 0; i < n; i++) if ((y as Storage)[i] < 0) throw valueError('Integers to negative integer powers are not allowed.');
  }
  return finish(fromStorage(res, shape, compute), out);
}

function finish(result: NDArray, out: NDArray | undefined): NDArray {
  if (!out) return result;
  assignInto(out, result);
  return out;
}

/** x ** k for k in 2..6 over float64 (the loop's `x ** 2`, `x ** 3`), monomorphic as f64Kernel. */
function f64Power(x: Float64Array, k: number, res: Float64Array, n: number): void {
  if (k === 2) {
    for (let i = 0; i < n; i++) res[i] = x[i] * x[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const a = x[i];
    const r = Number.isFinite(a) ? smallIntPow(a, k) : NaN;
    const m = Math.abs(r);
    res[i] = m > 2 ** -900 && m < 2 ** 900 ? r : libm.pow(a, k);
  }
}

/**
 * + - * / on float64 (a training loop's `b * x`, `y_pred - y`): one function only ever given Float64Arrays, so
 * that V8 keeps its element accesses monomorphic (the generic loops see five typed-array kinds).
 */
function f64Kernel(op: number, x: Float64Array | number, y: Float64Array | number, res: Float64Array, n: number): void {
  if (typeof x === 'number') {
    if (typeof y === 'number') {
      res.fill(op === 0 ? x + y : op === 1 ? x - y : op === 2 ? x * y : x / y);
      return;
    }
    if (op === 0) for (let i = 0; i < n; i++) res[i] = x + y[i];
    else if (op === 1) for (let i = 0; i < n; i++) res[i] = x - y[i];
    else if (op === 2) for (let i = 0; i < n; i++) res[i] = x * y[i];
    else for (let i = 0; i < n; i++) res[i] = x / y[i];
  } else if (typeof y === 'number') {
    if (op === 0) for (let i = 0; i < n; i++) res[i] = x[i] + y;
    else if (op === 1) for (let i = 0; i < n; i++) res[i] = x[i] - y;
    else if (op === 2) for (let i = 0; i < n; i++) res[i] = x[i] * y;
    else for (let i = 0; i < n; i++) res[i] = x[i] / y;
  } else if (op === 0) for (let i = 0; i < n; i++) res[i] = x[i] + y[i];
  else if (op === 1) for (let i = 0; i < n; i++) res[i] = x[i] - y[i];
  else if (op === 2) for (let i = 0; i < n; i++) res[i] = x[i] * y[i];
  else for (let i = 0; i < n; i++) res[i] = x[i] / y[i];
}

/** Hands back the storage of an array nothing can reach any more (an operator's temporary, see run.ts). */
export function releaseArrayTemporary(temp: NDArray, consumer: unknown): void {
  if (temp.base !== null || temp.offset !== 0 || temp.data.length !== temp.size) return;
  if (consumer instanceof NDArray && (consumer === temp || consumer.data === temp.data || consumer.base === temp)) return;
  releaseStorage(temp.data);
}

/** A comparison ufunc: a bool array. */
export function compare(name: CompareName, a: KernelArg, b: KernelArg): NDArray {
  const compute = resultType([operandOf(a), operandOf(b)]);
  const shape = broadcastShapes([a, b].map((x) => (x instanceof NDArray ? x.shape : [])));
  const x = inputFor(a, compute, shape);
  const y = inputFor(b, compute, shape);
  const n = numel(shape);
  const res = allocStorage('bool', n, false);
  const f = compareFn(name);
  for (let i = 0; i < n; i++) res[i] = f(typeof x === 'number' ? x : x[i], typeof y === 'number' ? y : y[i]) ? 1 : 0;
  return fromStorage(res, shape, 'bool');
}

export type UnaryName =
  | 'negative' | 'positive' | 'absolute' | 'square' | 'sqrt' | 'exp' | 'log' | 'log10' | 'log2' | 'log1p' | 'expm1'
  | 'sin' | 'cos' | 'tan' | 'arcsin' | 'arccos' | 'arctan' | 'sinh' | 'cosh' | 'tanh' | 'sign' | 'floor' | 'ceil'
  | 'trunc' | 'rint' | 'reciprocal' | 'isnan' | 'isinf' | 'isfinite' | 'logical_not' | 'invert' | 'exp2' | 'cbrt';

/** numpy's sign: nan for nan, else -1, 0 or 1. */
const sign = (x: number): number => (x !== x ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0);

/** Round half to even (numpy's rint / around with 0 decimals). */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r === 0 && x < 0 ? -0 : r;
}

function unaryFn(name: UnaryName): (x: number) => number {
  switch (name) {
    case 'negative':
      return (x) => -x;
    case 'positive':
      return (x) => x;
    case 'absolute':
      return Math.abs;
    case 'square':
      return (x) => x * x;
    case 'sqrt':
      return Math.sqrt;
    case 'exp':
      return libm.exp;
    case 'log':
      return libm.log;
    case 'log10':
      return Math.log10;
    case 'log2':
      return libm.log2;
    case 'log1p':
      return Math.log1p;
    case 'expm1':
      return Math.expm1;
    case 'exp2':
      return (x) => libm.pow(2, x);
    case 'cbrt':
      return Math.cbrt;
    case 'sin':
      return libm.sin;
    case 'cos':
      return libm.cos;
    case 'tan':
      return libm.tan;
    case 'arcsin':
      return Math.asin;
    case 'arccos':
      return Math.acos;
    case 'arctan':
      return libm.atan;
    case 'sinh':
      return Math.sinh;
    case 'cosh':
      return Math.cosh;
    case 'tanh':
      return Math.tanh;
    case 'sign':
      return sign;
    case 'floor':
      return Math.floor;
    case 'ceil':
      return Math.ceil;
    case 'trunc':
      return Math.trunc;
    case 'rint':
      return rint;
    case 'reciprocal':
      return (x) => 1 / x;
    case 'isnan':
      return (x) => +(x !== x);
    case 'isinf':
      return (x) => +(x === Infinity || x === -Infinity);
    case 'isfinite':
      return (x) => +Number.isFinite(x);
    case 'logical_not':
      return (x) => +(x === 0);
    case 'invert':
      return (x) => -x - 1;
  }
}

/** What a unary ufunc returns for an input dtype (math functions of ints are float64). */
export function unaryOutDtype(name: UnaryName, d: DType): DType {
  switch (name) {
    case 'isnan':
    case 'isinf':
    case 'isfinite':
    case 'logical_not':
      return 'bool';
    case 'negative':
      if (d === 'bool') throw typeError('The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.');
      return d;
    case 'invert':
      if (isFloatDtype(d)) throw typeError("ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''");
      return d;
    case 'positive':
    case 'absolute':
    case 'sign':
    case 'reciprocal':
      return d === 'bool' && name !== 'absolute' ? 'int32' : d;
    case 'square':
      return d === 'bool' ? 'int32' : d;
    case 'floor':
    case 'ceil':
    case 'trunc':
    case 'rint':
      return isFloatDtype(d) ? d : d === 'bool' ? 'float32' : 'float64';
    default:
      return isFloatDtype(d) ? d : d === 'bool' ? 'float32' : 'float64';
  }
}

export function unary(name: UnaryName, a: NDArray): NDArray {
  const outDtype = unaryOutDtype(name, a.dtype);
  const src = flatData(a);
  const n = src.length;
  const res = allocStorage(outDtype, n, false);
  const f = unaryFn(name);
  if (outDtype === 'float64' && src instanceof Float64Array && (name === 'square' || name === 'negative' || name === 'absolute')) {
    const out = res as Float64Array;
    if (name === 'square') for (let i = 0; i < n; i++) out[i] = src[i] * src[i];
    else if (name === 'negative') for (let i = 0; i < n; i++) out[i] = -src[i];
    else for (let i = 0; i < n; i++) out[i] = Math.abs(src[i]);
  } else if (name === 'invert' && a.dtype === 'bool') for (let i = 0; i < n; i++) res[i] = src[i] ? 0 : 1;
  else if (outDtype === 'float32' && a.dtype !== 'float32') for (let i = 0; i < n; i++) res[i] = f(Math.fround(src[i]));
  else for (let i = 0; i < n; i++) res[i] = f(src[i]);
  return fromStorage(res, a.shape, outDtype);
}

/** Writes `src` (broadcast to dst's shape, cast to its dtype) into the elements of `dst`. */
export function assignInto(dst: NDArray, src: NDArray | number): void {
  const data = dst.data;
  if (typeof src === 'number') {
    const v = castValue(src, dst.dtype);
    if (dst.contiguous) data.fill(v, dst.offset, dst.offset + dst.size);
    else forEachOffset(dst, (off) => (data[off] = v));
    return;
  }
  const shape = broadcastShapes([dst.shape, src.shape]);
  if (shape.length !== dst.ndim || shape.some((s, i) => s !== dst.shape[i])) {
    throw valueError(`could not broadcast input array from shape ${shapeText(src.shape)} into shape ${shapeText(dst.shape)}`);
  }
  // A copy first: src may overlap dst (a[1:] = a[:-1]).
  const b = src.ndim === dst.ndim && src.shape.every((s, i) => s === dst.shape[i]) ? src : broadcastTo(src, dst.shape);
  const flat = flatData(b);
  const vals = flat.buffer === data.buffer ? Float64Array.from(flat) : flat;
  const cast = src.dtype !== dst.dtype && !(dst.dtype === 'float64' && src.dtype !== 'float32') && dst.dtype !== 'float32' && dst.dtype !== 'int32';
  if (dst.contiguous) {
    if (!cast) data.set(vals as ArrayLike<number>, dst.offset);
    else for (let i = 0; i < vals.length; i++) data[dst.offset + i] = castValue(vals[i], dst.dtype);
  } else forEachOffset(dst, (off, i) => (data[off] = cast ? castValue(vals[i], dst.dtype) : vals[i]));
}

// ---- reductions ----------------------------------------------------------------------------------

/**
 * numpy's pairwise summation (pairwise_sum in loops_utils.h): below 8 elements a plain loop, up to 128 eight
 * accumulators over the multiples of 8 then the rest, above that the two halves (split at a multiple of 8)
 * summed recursively. `round` rounds each addition to the dtype (Math.fround for float32).
 */
export function pairwiseSum(a: ArrayLike<number>, start: number, n: number, stride: number, round?: (x: number) => number): number {
  if (n < 8) {
    let res = 0;
    if (round) for (let i = 0; i < n; i++) res = round(res + a[start + i * stride]);
    else for (let i = 0; i < n; i++) res += a[start + i * stride];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start];
    let r1 = a[start + stride];
    let r2 = a[start + 2 * stride];
    let r3 = a[start + 3 * stride];
    let r4 = a[start + 4 * stride];
    let r5 = a[start + 5 * stride];
    let r6 = a[start + 6 * stride];
    let r7 = a[start + 7 * stride];
    let i = 8;
    const end = n - (n % 8);
    if (round) {
      for (; i < end; i += 8) {
        const o = start + i * stride;
        r0 = round(r0 + a[o]);
        r1 = round(r1 + a[o + stride]);
        r2 = round(r2 + a[o + 2 * stride]);
        r3 = round(r3 + a[o + 3 * stride]);
        r4 = round(r4 + a[o + 4 * stride]);
        r5 = round(r5 + a[o + 5 * stride]);
        r6 = round(r6 + a[o + 6 * stride]);
        r7 = round(r7 + a[o + 7 * stride]);
      }
      let res = round(round(round(r0 + r1) + round(r2 + r3)) + round(round(r4 + r5) + round(r6 + r7)));
      for (; i < n; i++) res = round(res + a[start + i * stride]);
      return res;
    }
    for (; i < end; i += 8) {
      const o = start + i * stride;
      r0 += a[o];
      r1 += a[o + stride];
      r2 += a[o + 2 * stride];
      r3 += a[o + 3 * stride];
      r4 += a[o + 4 * stride];
      r5 += a[o + 5 * stride];
      r6 += a[o + 6 * stride];
      r7 += a[o + 7 * stride];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i * stride];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  const s = pairwiseSum(a, start, n2, stride, round) + pairwiseSum(a, start + n2 * stride, n - n2, stride, round);
  return round ? round(s) : s;
}

/** Normalises an axis argument (negative, range check with numpy's AxisError words). */
export function normAxis(axis: number, ndim: number): number {
  if (axis < -ndim || axis >= ndim) throw new PyError('numpy.AxisError', `axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

/** Axes to reduce: all for null, else the given ones normalised, without repeats. */
export function reduceAxes(axis: number | number[] | null, ndim: number): boolean[] {
  const red = new Array<boolean>(ndim).fill(axis === null);
  if (axis === null) return red;
  for (const a of Array.isArray(axis) ? axis : [axis]) {
    const d = normAxis(a, ndim);
    if (red[d]) throw valueError('duplicate value in \'axis\'');
    red[d] = true;
  }
  return red;
}

export type ReduceKind = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all';

/**
 * A reduction over the marked axes of a C-contiguous array `a` computed in `dtype`, as numpy's iterator runs it:
 * when the last axes are reduced, each output element sums its run of them pairwise (add) or in order; when
 * the last axis is kept, the rows are accumulated one after another. Returns the result's flat data over the
 * kept axes.
 */
export function reduceContiguous(a: NDArray, red: boolean[], kind: ReduceKind, dtype: DType): { data: Storage; shape: number[] } {
  const src0 = flatData(a);
  const src = a.dtype === dtype || !(dtype === 'float32' || kind === 'sum' || kind === 'prod') ? src0 : castStorage(src0, dtype);
  const shape = a.shape;
  const nd = shape.length;
  const keptShape = shape.filter((_, i) => !red[i]);
  const outN = numel(keptShape);
  const round = dtype === 'float32' ? Math.fround : undefined;
  const outDtype = kind === 'any' || kind === 'all' ? 'bool' : dtype;
  const out = allocStorage(outDtype, outN, false);
  const n = src.length;
  const init = kind === 'sum' ? 0 : kind === 'prod' ? 1 : kind === 'any' ? 0 : kind === 'all' ? 1 : NaN;
  if ((kind === 'max' || kind === 'min') && shape.some((s, i) => red[i] && s === 0)) {
    throw valueError(`zero-size array to reduction operation ${kind === 'max' ? 'maximum' : 'minimum'} which has no identity`);
  }
  // inner: the trailing reduced run (summed per output element), reduced dims before it are outer passes.
  let innerStart = nd;
  while (innerStart > 0 && red[innerStart - 1]) innerStart--;
  const inner = numel(shape.slice(innerStart));
  const step = (acc: number, x: number): number => {
    switch (kind) {
      case 'sum':
        return round ? round(acc + x) : acc + x;
      case 'prod':
        return round ? round(acc * x) : acc * x;
      case 'max':
        return acc !== acc || x !== x ? NaN : x > acc ? x : acc;
      case 'min':
        return acc !== acc || x !== x ? NaN : x < acc ? x : acc;
      case 'any':
        return acc || x !== 0 ? 1 : 0;
      case 'all':
        return acc && x !== 0 ? 1 : 0;
    }
  };
  if (outN === 0) return { data: out, shape: keptShape };
  // The output offset of each source row of length `inner`, walking the leading dims in order.
  const lead = shape.slice(0, innerStart);
  const outStrides = new Array<number>(lead.length);
  {
    let s = 1;
    for (let i = nd - 1; i >= 0; i--) {
      if (i < innerStart) outStrides[i] = red[i] ? 0 : s;
      if (!red[i]) s *= shape[i];
    }
  }
  const started = new Uint8Array(outN);
  const idx = new Array<number>(lead.length).fill(0);
  const rows = inner === 0 ? 0 : n / inner;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * inner;
    if (inner === 1 || innerStart === nd) {
      // The last axis kept: numpy adds each row into the output elementwise, in order.
      const x = src[base];
      if (!started[o]) {
        started[o] = 1;
        out[o] = kind === 'max' || kind === 'min' ? x : step(init, x);
      } else out[o] = step(out[o], x);
    } else {
      let v: number;
      if (kind === 'sum') v = pairwiseSum(src, base, inner, 1, round);
      else {
        v = kind === 'max' || kind === 'min' ? src[base] : init;
        for (let k = kind === 'max' || kind === 'min' ? 1 : 0; k < inner; k++) v = step(v, src[base + k]);
      }
      if (!started[o]) {
        started[o] = 1;
        out[o] = kind === 'sum' ? (round ? round(0 + v) : 0 + v) : v;
      } else out[o] = step(out[o], v);
    }
    for (let d = lead.length - 1; d >= 0; d--) {
      o += outStrides[d];
      if (++idx[d] < lead[d]) break;
      o -= outStrides[d] * lead[d];
      idx[d] = 0;
    }
  }
  // Output elements no row reached (a reduced dim of size 0): the identity.
  for (let i = 0; i < outN; i++) if (!started[i]) out[i] = init;
  return { data: out, shape: keptShape };
}

function castStorage(src: Storage, dtype: DType): Storage {
  const out = allocStorage(dtype, src.length, false);
  for (let i = 0; i < src.length; i++) out[i] = castValue(src[i], dtype);
  return out;
}

/** The index of the first maximum (or minimum) of each run along an axis (first nan wins, as numpy's). */
export function argReduce(a: NDArray, axis: number | null, max: boolean): { data: Storage; shape: number[] } {
  const name = max ? 'argmax' : 'argmin';
  const pick = (get: (k: number) => number, len: number): number => {
    if (len === 0) throw valueError(`attempt to get ${name} of an empty sequence`);
    let best = get(0);
    let bi = 0;
    if (best !== best) return 0;
    for (let k = 1; k < len; k++) {
      const v = get(k);
      if (v !== v) return k;
      if (max ? v > best : v < best) {
        best = v;
        bi = k;
      }
    }
    return bi;
  };
  if (axis === null) {
    const flat = flatData(a);
    const out = allocStorage('int64', 1);
    out[0] = pick((k) => flat[k], flat.length);
    return { data: out, shape: [] };
  }
  const d = normAxis(axis, a.ndim);
  const outShape = a.shape.filter((_, i) => i !== d);
  const moved = moveAxisToEnd(a, d);
  const flat = flatData(moved);
  const len = a.shape[d];
  const outN = numel(outShape);
  const out = allocStorage('int64', outN);
  for (let i = 0; i < outN; i++) out[i] = pick((k) => flat[i * len + k], len);
  return { data: out, shape: outShape };
}

/** A view with axis `d` moved last. */
export function moveAxisToEnd(a: NDArray, d: number): NDArray {
  const order = a.shape.map((_, i) => i).filter((i) => i !== d);
  order.push(d);
  return transposeView(a, order);
}

export function transposeView(a: NDArray, order: readonly number[]): NDArray {
  return new NDArray(a.data, order.map((i) => a.shape[i]), order.map((i) => a.strides[i]), a.offset, a.dtype, a.base ?? a);
}

/** A view with a new shape when the memory allows it (contiguous), else undefined. */
export function reshapeView(a: NDArray, shape: number[]): NDArray | undefined {
  if (!a.contiguous) return undefined;
  return new NDArray(a.data, shape, cStrides(shape), a.offset, a.dtype, a.base ?? a);
}

/** Resolves one -1 in a new shape, with numpy's errors. */
export function resolveShape(size: number, shape: number[], from: readonly number[]): number[] {
  const unknown = shape.filter((s) => s === -1).length;
  if (unknown > 1) throw valueError('can only specify one unknown dimension');
  for (const s of shape) if (s < -1) throw valueError('negative dimensions not allowed');
  const known = numel(shape.filter((s) => s !== -1));
  const err = (): PyError => valueError(`cannot reshape array of size ${size} into shape ${shapeText(shape)}`);
  if (unknown === 1) {
    if (known === 0 || size % known !== 0) throw err();
    return shape.map((s) => (s === -1 ? size / known : s));
  }
  if (known !== size) throw err();
  void from;
  return shape;
}

/** A shape as a Python tuple prints it: (3,), (2, 3). */
export function shapeText2(s: readonly number[]): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}
