// The numpy module of the language (`import numpy as np`, numpy.random, numpy.linalg): ndarray as a host type,
// numpy's scalars, dtypes, creation functions, ufuncs, reductions and the legacy random generator. What is not
// here fails with numpy's AttributeError ("module 'numpy' has no attribute 'X'").
import { bindArgs, MISSING, signature, type Missing, type Signature } from '../args';
import { PyError } from '../errors';
import { sliceIndices, type Runtime } from '../runtime';
import {
  Ellipsis,
  NotImplemented,
  PyBoundMethod,
  PyBuiltin,
  PyFloat,
  PyFloatSubclass,
  PyList,
  PyModule,
  PySlice,
  PyTuple,
  PyType,
  type BinOp,
  type CmpOp,
  type HostType,
  type Kwargs,
  type NotImplementedT,
  type PyValue,
  type UnaryOp,
} from '../values';
import { formatNumber } from '../format';
import { allocStorage, type Storage } from '../../dtype';
import { ELEMENT_SIZE } from '../../tensor';
import { arrayRepr, arrayStr, scalarStr } from './arrayPrint';
import { RandomState } from './npRandom';
import { arrayCopy, arraySharing, Tensor } from './interop';
import {
  NDArray,
  argReduce,
  assignInto,
  binary,
  binaryTypes,
  broadcastShapes,
  broadcastTo,
  castValue,
  compare,
  copyAs,
  cStrides,
  emptyArray,
  flatData,
  forEachOffset,
  fromStorage,
  indexError,
  isFloatDtype,
  isIntDtype,
  moveAxisToEnd,
  normAxis,
  promoteTypes,
  reduceAxes,
  reduceContiguous,
  reshapeView,
  resolveShape,
  resultType,
  rint,
  shapeText2,
  transposeView,
  typeError,
  unary,
  valueError,
  type BinaryName,
  type CompareName,
  type DType,
  type KernelArg,
  type ReduceKind,
  type UnaryName,
} from './ndarray';

// ---- scalars and dtypes --------------------------------------------------------------------------

/** numpy.float64 / numpy.float32 scalars: what a.sum(), a[0] and np.sin(2.0) return. */
export class NpFloat extends PyFloatSubclass {
  constructor(
    value: number,
    readonly dtype: 'float64' | 'float32',
  ) {
    super(dtype === 'float32' ? Math.fround(value) : value);
  }
  override get typeName(): string {
    return `numpy.${this.dtype}`;
  }
  reprText(): string {
    return scalarStr(this.value, this.dtype);
  }
  binop(op: BinOp, other: PyValue, reflected: boolean): PyValue | NotImplementedT {
    const name = BINARY_OPS[op];
    if (!name) return NotImplemented;
    const o = scalarArg(other);
    if (o === null) return NotImplemented;
    const me = { scalar: this.value, dtype: this.dtype as DType };
    const r = binary(name, reflected ? o : me, reflected ? me : o);
    return scalarOf(r.data[0], r.dtype);
  }
  unaryOp(op: UnaryOp): PyValue {
    if (op === '-') return new NpFloat(-this.value, this.dtype);
    if (op === '+') return this;
    throw typeError("ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''");
  }
  override pyGetattr(name: string): PyValue | undefined {
    switch (name) {
      case 'item':
      case 'tolist':
        return new PyBuiltin(name, () => new PyFloat(this.value));
      case 'dtype':
        return DTYPE_OBJECTS[this.dtype];
      case 'shape':
        return new PyTuple([]);
      case 'ndim':
        return 0;
      case 'size':
        return 1;
      case 'astype':
        return new PyBuiltin('astype', (args) => scalarOf(castValue(this.value, dtypeOf(args[0])), dtypeOf(args[0])));
    }
    return undefined;
  }
}

/** A Python value as numpy sees an element of `dtype`: numpy scalars for floats, int and bool as Python's. */
export function scalarOf(v: number, dtype: DType): PyValue {
  if (dtype === 'bool') return v !== 0;
  if (dtype === 'float64' || dtype === 'float32') return new NpFloat(v, dtype);
  return v;
}

/** The element as a plain Python value (.item(), .tolist()). */
function pyValueOf(v: number, dtype: DType): PyValue {
  if (dtype === 'bool') return v !== 0;
  if (isFloatDtype(dtype)) return new PyFloat(v);
  return v;
}

/** np.dtype('float32'): what a.dtype is. Prints `float32`; equal to np.float32 and to 'float32'. */
export class NpDType {
  constructor(readonly dtype: DType) {}
}

/** np.float32 and friends: the scalar types (callable: np.float32(1.5)). */
export class NpScalarType {
  constructor(
    readonly dtype: DType,
    readonly name: string,
  ) {}
}

const DTYPE_OBJECTS: Record<DType, NpDType> = {
  float64: new NpDType('float64'),
  float32: new NpDType('float32'),
  int64: new NpDType('int64'),
  int32: new NpDType('int32'),
  int16: new NpDType('int16'),
  int8: new NpDType('int8'),
  uint8: new NpDType('uint8'),
  bool: new NpDType('bool'),
};

const SCALAR_TYPES: Record<string, NpScalarType> = {
  float64: new NpScalarType('float64', 'float64'),
  float32: new NpScalarType('float32', 'float32'),
  int64: new NpScalarType('int64', 'int64'),
  int32: new NpScalarType('int32', 'int32'),
  int16: new NpScalarType('int16', 'int16'),
  int8: new NpScalarType('int8', 'int8'),
  uint8: new NpScalarType('uint8', 'uint8'),
  bool_: new NpScalarType('bool', 'bool_'),
};

const DTYPE_NAMES: Record<string, DType> = {
  float64: 'float64', float: 'float64', double: 'float64', f8: 'float64', d: 'float64', float_: 'float64',
  float32: 'float32', single: 'float32', f4: 'float32', f: 'float32',
  int64: 'int64', int: 'int64', i8: 'int64', long: 'int64', int_: 'int64', intp: 'int64',
  int32: 'int32', i4: 'int32',
  int16: 'int16', i2: 'int16', short: 'int16',
  int8: 'int8', i1: 'int8', byte: 'int8',
  uint8: 'uint8', u1: 'uint8', ubyte: 'uint8', B: 'uint8',
  bool: 'bool', bool_: 'bool', '?': 'bool', b1: 'bool',
};

/** A dtype argument: np.float32, np.dtype('float32'), 'float32', Python's float/int/bool types. */
export function dtypeOf(v: PyValue): DType {
  if (v instanceof NpDType || v instanceof NpScalarType) return v.dtype;
  if (typeof v === 'string') {
    const d = DTYPE_NAMES[v];
    if (!d) {
      if (/^(float16|half|f2|complex\d*|uint(16|32|64)?|str|object)$/.test(v)) throw typeError(`numpy arrays of dtype ${v} are not supported in this playground: float64, float32, int64, int32, int16, int8, uint8 and bool are`);
      throw typeError(`data type '${v}' not understood`);
    }
    return d;
  }
  if (v instanceof PyType) {
    if (v.name === 'float') return 'float64';
    if (v.name === 'int') return 'int64';
    if (v.name === 'bool') return 'bool';
  }
  if (v !== null && typeof v === 'object' && 'dtype' in v && typeof (v as { dtype: unknown }).dtype === 'string' && (v as { customRepr?: unknown }).customRepr) {
    // torch.float32 and friends: numpy cannot read them.
    throw typeError('Cannot interpret \'' + `torch.${(v as { dtype: string }).dtype}` + "' as a data type");
  }
  throw typeError(`Cannot interpret '${v === null ? 'None' : String(v)}' as a data type`);
}

const optDtype = (v: PyValue | Missing): DType | undefined => (v === MISSING || v === null ? undefined : dtypeOf(v));

// ---- conversions -----------------------------------------------------------------------------------

/** The kernel operand of a Python value: arrays as they are, numbers as scalars of their type. */
function scalarArg(v: PyValue): KernelArg | null {
  if (typeof v === 'number') return { scalar: v, dtype: 'int64' };
  if (typeof v === 'boolean') return { scalar: +v, dtype: 'bool' };
  if (v instanceof NpFloat) return { scalar: v.value, dtype: v.dtype };
  if (v instanceof PyFloat) return { scalar: v.value, dtype: 'float64' };
  return null;
}

function kernelArg(v: PyValue): KernelArg | null {
  if (v instanceof NDArray) return v;
  const s = scalarArg(v);
  if (s !== null) return s;
  if (v instanceof PyList || v instanceof PyTuple || v instanceof Tensor) return asArray(v);
  return null;
}

function needKernelArg(v: PyValue): KernelArg {
  const k = kernelArg(v);
  if (k === null) throw typeError(`unsupported operand type: '${typeNameOf(v)}'`);
  return k;
}

function typeNameOf(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof NDArray) return 'numpy.ndarray';
  if (v instanceof Tensor) return 'Tensor';
  if (v instanceof NpFloat) return v.typeName;
  if (v instanceof PyFloat) return 'float';
  return (v as { typeName?: string }).typeName ?? 'object';
}

/** np.array's data: nested lists/tuples of numbers and arrays, an array, a tensor or a scalar. */
export function asArray(v: PyValue, dtype?: DType, copy = false): NDArray {
  if (v instanceof NDArray) return dtype !== undefined && dtype !== v.dtype ? copyAs(v, dtype) : copy ? copyAs(v) : v;
  if (v instanceof Tensor) {
    const a = copy ? arrayCopy(v) : arraySharing(v);
    return dtype !== undefined && dtype !== a.dtype ? copyAs(a, dtype) : a;
  }
  const shape: number[] = [];
  const values: number[] = [];
  let inferred: DType | null = null;
  const see = (d: DType): void => {
    inferred = inferred === null ? d : promoteTypes(inferred, d);
  };
  const inhomogeneous = (depth: number): PyError =>
    valueError(`setting an array element with a sequence. The requested array has an inhomogeneous shape after ${depth} dimensions. The detected shape was (${shape.slice(0, depth).join(', ')}${depth === 1 ? ',' : ''}) + inhomogeneous part.`);
  const walk = (x: PyValue, depth: number): void => {
    if (x instanceof PyList || x instanceof PyTuple || x instanceof NDArray || (x instanceof Tensor && x.ndim > 0)) {
      const sub = x instanceof NDArray ? x : x instanceof Tensor ? arraySharing(x) : null;
      const len = sub ? sub.shape[0] : (x as PyList).items.length;
      if (sub && sub.ndim === 0) return walk(scalarOf(flatData(sub)[0], sub.dtype), depth);
      if (shape.length === depth) {
        if (values.length > 0) throw inhomogeneous(depth);
        shape.push(len);
      } else if (shape[depth] !== len || shape.length < depth) throw inhomogeneous(depth);
      if (sub) {
        see(sub.dtype);
        if (shape.length === depth + 1) for (let d = 1; d < sub.ndim; d++) shape.push(sub.shape[d]);
        else for (let d = 1; d < sub.ndim; d++) if (shape[depth + d] !== sub.shape[d]) throw inhomogeneous(depth + d);
        if (shape.length !== depth + sub.ndim) throw inhomogeneous(depth + 1);
        for (const e of flatData(sub)) values.push(e);
        return;
      }
      for (const e of (x as PyList).items) walk(e, depth + 1);
      return;
    }
    if (depth !== shape.length) throw inhomogeneous(shape.length > depth ? depth : shape.length);
    if (typeof x === 'number') {
      see('int64');
      values.push(x);
    } else if (typeof x === 'boolean') {
      see('bool');
      values.push(+x);
    } else if (x instanceof NpFloat) {
      see(x.dtype);
      values.push(x.value);
    } else if (x instanceof PyFloat) {
      see('float64');
      values.push(x.value);
    } else if (x instanceof Tensor) {
      see(x.dtype);
      values.push(x.item());
    } else if (typeof x === 'string') {
      throw typeError('strings are not supported by the numpy arrays of this playground');
    } else throw typeError(`numpy arrays of '${typeNameOf(x)}' objects are not supported in this playground`);
  };
  walk(v, 0);
  const d: DType = dtype ?? inferred ?? 'float64';
  const out = emptyArray(shape, d);
  for (let i = 0; i < values.length; i++) out.data[i] = castValue(values[i], d);
  return out;
}

/** A ufunc's result: a 0-d result is a numpy scalar, as numpy's ufuncs return. */
function result(a: NDArray): PyValue {
  return a.ndim === 0 ? scalarOf(flatData(a)[0], a.dtype) : a;
}

function intValue(fn: string, v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return +v;
  if (v instanceof NDArray && v.size === 1 && isIntDtype(v.dtype)) return flatData(v)[0];
  throw typeError(`'${typeNameOf(v)}' object cannot be interpreted as an integer`);
}

/** A shape argument: an int or a sequence of ints. */
function shapeOf(fn: string, v: PyValue): number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intValue(fn, x));
  return [intValue(fn, v)];
}

function numberValue(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return +v;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof NDArray && v.size === 1) return flatData(v)[0];
  throw typeError(`must be real number, not ${typeNameOf(v)}`);
}

const floatish = (v: PyValue): boolean => v instanceof PyFloat || (v instanceof NDArray && isFloatDtype(v.dtype));

function axisArg(v: PyValue | Missing): number | number[] | null {
  if (v === MISSING || v === null) return null;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intValue('axis', x));
  return intValue('axis', v);
}

// ---- indexing ----------------------------------------------------------------------------------------

/** An index as numpy takes one in a slice: an int, a bool or a one-element integer array, else `message`'s TypeError. */
const sliceIndex = {
  index(v: PyValue, message?: string): number {
    if (typeof v === 'number' || typeof v === 'boolean') return +v;
    if (v instanceof NDArray && v.size === 1 && isIntDtype(v.dtype)) return flatData(v)[0];
    throw typeError(message ?? `'${typeNameOf(v)}' object cannot be interpreted as an integer`);
  },
};

type Located = { view: NDArray } | { offsets: number[]; shape: number[]; base: NDArray };

/** An index array (ints, or a bool mask) from an index item; null when the item is basic. */
function advancedItem(v: PyValue): NDArray | null {
  if (v instanceof NDArray && v.ndim > 0) return v;
  if (v instanceof PyList) return asArray(v);
  if (v instanceof Tensor && v.ndim > 0) return arrayCopy(v);
  return null;
}

/** Where `a[index]` is: a view for basic indexing, element offsets for integer-array and mask indexing. */
function locate(a: NDArray, index: PyValue): Located {
  let items: PyValue[] = index instanceof PyTuple ? [...index.items] : [index];
  const advanced = items.some((x) => advancedItem(x) !== null || (x instanceof NDArray && x.dtype === 'bool'));
  // Expand the ellipsis and count the dims the index uses.
  const used = (x: PyValue): number => {
    if (x === null || x === Ellipsis) return 0;
    const adv = advancedItem(x);
    if (adv && adv.dtype === 'bool') return adv.ndim;
    if (x instanceof NDArray && x.dtype === 'bool') return x.ndim;
    return 1;
  };
  const ell = items.filter((x) => x === Ellipsis).length;
  if (ell > 1) throw indexError("an index can only have a single ellipsis ('...')");
  const count = items.reduce((n: number, x) => n + used(x), 0);
  if (count > a.ndim) throw indexError(`too many indices for array: array is ${a.ndim}-dimensional, but ${count} were indexed`);
  if (ell === 1) {
    const i = items.indexOf(Ellipsis);
    items = [...items.slice(0, i), ...new Array<PyValue>(a.ndim - count).fill(new PySlice(null, null, null)), ...items.slice(i + 1)];
  }
  let offset = a.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  /** For each advanced index: its integer arrays (one per dim it covers) and the view dims they index. */
  const adv: { arrays: NDArray[]; dims: number[] }[] = [];
  let dim = 0;
  for (const x of items) {
    if (x === null) {
      shape.push(1);
      strides.push(0);
      continue;
    }
    if (x instanceof PySlice) {
      const len = a.shape[dim];
      const [start, , step, n] = sliceIndices(sliceIndex, x, len);
      if (n > 0) offset += start * a.strides[dim];
      shape.push(n);
      strides.push(a.strides[dim] * step);
      dim++;
      continue;
    }
    const arr = advancedItem(x) ?? (x instanceof NDArray && x.dtype === 'bool' ? x : null);
    if (arr !== null || (advanced && (typeof x === 'number' || typeof x === 'boolean' || x instanceof NDArray))) {
      const ix = arr ?? asArray(x);
      if (ix.dtype === 'bool') {
        for (let d = 0; d < ix.ndim; d++) {
          if (ix.shape[d] !== a.shape[dim + d]) {
            throw indexError(`boolean index did not match indexed array along dimension ${dim + d}; dimension is ${a.shape[dim + d]} but corresponding boolean dimension is ${ix.shape[d]}`);
          }
        }
        const nz = nonzero(ix);
        const dims: number[] = [];
        for (let d = 0; d < ix.ndim; d++) {
          dims.push(shape.length);
          shape.push(a.shape[dim]);
          strides.push(a.strides[dim]);
          dim++;
        }
        adv.push({ arrays: nz, dims });
      } else {
        if (isFloatDtype(ix.dtype)) throw indexError('arrays used as indices must be of integer (or boolean) type');
        adv.push({ arrays: [ix], dims: [shape.length] });
        shape.push(a.shape[dim]);
        strides.push(a.strides[dim]);
        dim++;
      }
      continue;
    }
    if (typeof x === 'number' || typeof x === 'boolean' || x instanceof NDArray || (x instanceof PyFloat && false)) {
      const len = a.shape[dim];
      let i = x instanceof NDArray ? intIndex(x) : +x;
      if (i < -len || i >= len) throw indexError(`index ${i} is out of bounds for axis ${dim} with size ${len}`);
      if (i < 0) i += len;
      offset += i * a.strides[dim];
      dim++;
      continue;
    }
    throw indexError('only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices');
  }
  for (; dim < a.ndim; dim++) {
    shape.push(a.shape[dim]);
    strides.push(a.strides[dim]);
  }
  const view = new NDArray(a.data, shape, strides, offset, a.dtype, a.base ?? a);
  if (adv.length === 0) return { view };
  // Integer arrays broadcast together; their dims replace the indexed ones, in place when they are adjacent.
  const arrays = adv.flatMap((x) => x.arrays);
  const dims = adv.flatMap((x) => x.dims);
  const bshape = broadcastShapes(arrays.map((x) => x.shape));
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1] + 1);
  const rest = shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const first = adjacent ? dims[0] : 0;
  const before = rest.filter((i) => i < first);
  const after = rest.filter((i) => i >= first);
  const outShape = [...before.map((i) => shape[i]), ...bshape, ...after.map((i) => shape[i])];
  const idx = arrays.map((x, k) => {
    const flat = flatData(broadcastTo(x, bshape));
    const len = shape[dims[k]];
    return Array.from(flat, (i) => {
      if (i < -len || i >= len) throw indexError(`index ${i} is out of bounds for axis ${dims[k]} with size ${len}`);
      return i < 0 ? i + len : i;
    });
  });
  const bsize = bshape.reduce((p, s) => p * s, 1);
  const offsets: number[] = [];
  const walkRest = (list: number[], k: number, off: number, emit: (off: number) => void): void => {
    if (k === list.length) return emit(off);
    const d = list[k];
    for (let i = 0; i < shape[d]; i++) walkRest(list, k + 1, off + i * strides[d], emit);
  };
  walkRest(before, 0, offset, (o1) => {
    for (let b = 0; b < bsize; b++) {
      let o = o1;
      for (let k = 0; k < idx.length; k++) o += idx[k][b] * strides[dims[k]];
      walkRest(after, 0, o, (o2) => offsets.push(o2));
    }
  });
  return { offsets, shape: outShape, base: view };
}

function intIndex(x: NDArray): number {
  if (x.ndim !== 0 || !isIntDtype(x.dtype)) throw indexError('only integer scalar arrays can be converted to a scalar index');
  return flatData(x)[0];
}

function getItem(a: NDArray, index: PyValue): PyValue {
  const loc = locate(a, index);
  if ('view' in loc) {
    const v = loc.view;
    return v.ndim === 0 ? scalarOf(v.data[v.offset], v.dtype) : v;
  }
  const out = allocStorage(a.dtype, loc.offsets.length, false);
  const src = a.data;
  for (let i = 0; i < loc.offsets.length; i++) out[i] = src[loc.offsets[i]];
  return fromStorage(out, loc.shape, a.dtype);
}

function setItem(a: NDArray, index: PyValue, value: PyValue): void {
  const loc = locate(a, index);
  const src = value instanceof NDArray ? value : typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat ? numberValue(value) : asArray(value);
  if ('view' in loc) return assignInto(loc.view, src);
  const n = loc.offsets.length;
  const tmp = fromStorage(allocStorage(a.dtype, n, false), loc.shape, a.dtype);
  assignInto(tmp, src);
  for (let i = 0; i < n; i++) a.data[loc.offsets[i]] = tmp.data[i];
}

function nonzero(a: NDArray): NDArray[] {
  const flat = flatData(a);
  const hits: number[] = [];
  for (let i = 0; i < flat.length; i++) if (flat[i] !== 0) hits.push(i);
  const strides = cStrides(a.shape);
  const nd = Math.max(a.ndim, 1);
  return Array.from({ length: nd }, (_, d) => {
    const out = emptyArray([hits.length], 'int64');
    for (let k = 0; k < hits.length; k++) out.data[k] = a.ndim === 0 ? 0 : Math.floor(hits[k] / strides[d]) % a.shape[d];
    return out;
  });
}

// ---- operations ----------------------------------------------------------------------------------------

const BINARY_OPS: Partial<Record<BinOp, BinaryName>> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'true_divide',
  '//': 'floor_divide',
  '%': 'remainder',
  '**': 'power',
  '&': 'bitwise_and',
  '|': 'bitwise_or',
  '^': 'bitwise_xor',
};

const COMPARE_OPS: Record<CmpOp, CompareName> = { '==': 'equal', '!=': 'not_equal', '<': 'less', '<=': 'less_equal', '>': 'greater', '>=': 'greater_equal' };

/** The same-kind casting check of an in-place operator or out=. */
function checkCast(ufunc: string, from: DType, to: DType): void {
  const kind = (d: DType): number => (d === 'bool' ? 0 : isIntDtype(d) ? 1 : 2);
  if (kind(from) > kind(to)) {
    throw new PyError('UFuncTypeError', `Cannot cast ufunc '${ufunc}' output from dtype('${from}') to dtype('${to}') with casting rule 'same_kind'`);
  }
}

function matmul(a: NDArray, b: NDArray, name: 'matmul' | 'dot'): PyValue {
  if (a.ndim === 0 || b.ndim === 0) {
    if (name === 'dot') return result(binary('multiply', a, b));
    throw valueError(`matmul: Input operand ${a.ndim === 0 ? 0 : 1} does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,n?)->(n?) requires 1)`);
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  const a2 = a.ndim === 1 ? reshapeTo(a, [1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? reshapeTo(b, [b.shape[0], 1]) : b;
  const n = a2.shape[a2.ndim - 2];
  const k = a2.shape[a2.ndim - 1];
  const k2 = b2.shape[b2.ndim - 2];
  const m = b2.shape[b2.ndim - 1];
  if (k !== k2) {
    if (name === 'dot') throw valueError(`shapes (${a.shape.join(',')}${a.ndim === 1 ? ',' : ''}) and (${b.shape.join(',')}${b.ndim === 1 ? ',' : ''}) not aligned: ${k} (dim ${a.ndim - 1}) != ${k2} (dim ${Math.max(0, b.ndim - 2)})`);
    throw valueError(`matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size ${k2} is different from ${k})`);
  }
  if (name === 'dot' && (a.ndim > 2 || b.ndim > 2)) throw new PyError('NotImplementedError', 'np.dot of arrays with more than 2 dimensions is not supported in this playground; use np.matmul');
  const batch = broadcastShapes([a2.shape.slice(0, -2), b2.shape.slice(0, -2)]);
  const A = flatData(broadcastTo(a2, [...batch, n, k]));
  const B = flatData(broadcastTo(b2, [...batch, k, m]));
  const nb = batch.reduce((p, s) => p * s, 1);
  const out = allocStorage(dtype, nb * n * m);
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  for (let bi = 0; bi < nb; bi++) {
    const ao = bi * n * k;
    const bo = bi * k * m;
    const oo = bi * n * m;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        if (dtype === 'bool') {
          for (let p = 0; p < k; p++) if (A[ao + i * k + p] && B[bo + p * m + j]) s = 1;
        } else for (let p = 0; p < k; p++) s = round(s + A[ao + i * k + p] * B[bo + p * m + j]);
        out[oo + i * m + j] = s;
      }
    }
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [n]), ...(b.ndim === 1 ? [] : [m])];
  return result(fromStorage(out, shape, dtype));
}

function reshapeTo(a: NDArray, shape: number[]): NDArray {
  return reshapeView(a, shape) ?? fromStorage(flatData(copyAs(a)), shape, a.dtype);
}

function arrayBinop(op: BinOp, self: NDArray, otherV: PyValue, reflected: boolean): PyValue | NotImplementedT {
  if (otherV instanceof Tensor) {
    // What PyTorch 1.13 with numpy 1.24 does with `array op tensor` (ndarray first): only / goes through, to
    // Tensor.__rtruediv__; + meets CPython's sequence concatenation; the rest are unsupported.
    if (reflected) return NotImplemented;
    if (op === '/') return NotImplemented;
    if (op === '+') throw typeError('Concatenation operation is not implemented for NumPy arrays, use np.concatenate() instead. Please do not rely on this error; it may not be given on all Python implementations.');
    throw typeError(`unsupported operand type(s) for ${op === '**' ? '** or pow()' : op}: 'numpy.ndarray' and 'Tensor'`);
  }
  const other = kernelArg(otherV);
  if (other === null) return NotImplemented;
  if (op === '@') {
    const o = other instanceof NDArray ? other : asArray(otherV);
    return reflected ? matmul(o, self, 'matmul') : matmul(self, o, 'matmul');
  }
  const name = BINARY_OPS[op];
  if (!name) return NotImplemented;
  return result(reflected ? binary(name, other, self) : binary(name, self, other));
}

function arrayInplace(op: BinOp, self: NDArray, otherV: PyValue): PyValue | NotImplementedT {
  if (otherV instanceof Tensor) return NotImplemented;
  const other = kernelArg(otherV);
  if (other === null) return NotImplemented;
  if (op === '@') {
    const r = matmul(self, other instanceof NDArray ? other : asArray(otherV), 'matmul');
    assignInto(self, r instanceof NDArray ? r : numberValue(r));
    return self;
  }
  const name = BINARY_OPS[op];
  if (!name) return NotImplemented;
  checkCast(name === 'true_divide' ? 'divide' : name, binaryTypes(name, self, other).compute, self.dtype);
  binary(name, self, other, self);
  return self;
}

// ---- reductions ------------------------------------------------------------------------------------

function reduceDtype(kind: ReduceKind, d: DType): DType {
  if (kind === 'sum' || kind === 'prod') return d === 'bool' || d === 'int32' || d === 'int16' || d === 'int8' || d === 'uint8' ? 'int64' : d;
  return d;
}

function reduce(a: NDArray, kind: ReduceKind, axisV: PyValue | Missing, keepdims: boolean, dtype?: DType): PyValue {
  const axis = axisArg(axisV);
  const red = reduceAxes(axis, a.ndim);
  const d = dtype ?? reduceDtype(kind, a.dtype);
  const r = reduceContiguous(a, red, kind, d);
  const outDtype = kind === 'any' || kind === 'all' ? 'bool' : d;
  const shape = keepdims ? a.shape.map((s, i) => (red[i] ? 1 : s)) : r.shape;
  const out = fromStorage(r.data, shape, outDtype);
  return keepdims || axis !== null ? result(out) : scalarOf(r.data[0], outDtype);
}

function reducedCount(a: NDArray, axisV: PyValue | Missing): number {
  const red = reduceAxes(axisArg(axisV), a.ndim);
  return a.shape.reduce((p, s, i) => (red[i] ? p * s : p), 1);
}

function mean(a: NDArray, axisV: PyValue | Missing, keepdims: boolean, dtype?: DType): PyValue {
  const d = dtype ?? (isFloatDtype(a.dtype) ? a.dtype : 'float64');
  const n = reducedCount(a, axisV);
  const s = reduce(a, 'sum', axisV, keepdims, d);
  if (s instanceof NDArray) return result(binary('true_divide', s, { scalar: n, dtype: 'int64' }));
  return new NpFloat(numberValue(s) / n, d === 'float32' ? 'float32' : 'float64');
}

function variance(a: NDArray, axisV: PyValue | Missing, keepdims: boolean, ddof: number, sqrt: boolean): PyValue {
  const d: DType = isFloatDtype(a.dtype) ? a.dtype : 'float64';
  const n = reducedCount(a, axisV);
  const m = reduce(a, 'sum', axisV, true, d) as NDArray | PyValue;
  const mArr = m instanceof NDArray ? m : asArray(m, d);
  const meanArr = binary('true_divide', mArr, { scalar: n, dtype: 'int64' }, mArr.ndim === 0 ? undefined : mArr);
  const x = binary('subtract', a.dtype === d ? a : copyAs(a, d), meanArr);
  binary('multiply', x, x, x);
  const s = reduce(x, 'sum', axisV, keepdims, d);
  const div = Math.max(n - ddof, 0);
  const v = s instanceof NDArray ? binary('true_divide', s, { scalar: div, dtype: 'int64' }) : null;
  if (v) return result(sqrt ? unary('sqrt', v) : v);
  const val = numberValue(s) / div;
  return new NpFloat(sqrt ? Math.sqrt(d === 'float32' ? Math.fround(val) : val) : val, d as 'float64' | 'float32');
}

function cumsum(a: NDArray, axisV: PyValue | Missing, prod = false): NDArray {
  const axis = axisArg(axisV);
  const d = reduceDtype('sum', a.dtype);
  const src = axis === null ? copyAs(a, d) : moveAxisToEnd(a, normAxis(axis as number, a.ndim));
  const flat = flatData(axis === null ? src : copyAs(src, d));
  const len = axis === null ? flat.length : src.shape[src.ndim - 1];
  const out = allocStorage(d, flat.length, false);
  const round = d === 'float32' ? Math.fround : (x: number) => x;
  for (let r = 0; r < flat.length; r += len || 1) {
    let acc = prod ? 1 : 0;
    for (let k = 0; k < len; k++) {
      acc = round(prod ? acc * flat[r + k] : acc + flat[r + k]);
      out[r + k] = acc;
    }
  }
  if (axis === null) return fromStorage(out, [flat.length], d);
  const moved = fromStorage(out, src.shape, d);
  const ax = normAxis(axis as number, a.ndim);
  const order = a.shape.map((_, i) => (i < ax ? i : i === ax ? a.ndim - 1 : i - 1));
  return copyAs(transposeView(moved, order));
}

/** numpy's sort along an axis (nan last). Stable: numpy's quicksort is not, which shows only in argsort's ties. */
function sortAlong(a: NDArray, axisV: PyValue | Missing, arg: boolean): NDArray {
  const axis = axisV === MISSING ? -1 : axisV === null ? null : intValue('axis', axisV);
  const src = axis === null ? fromStorage(flatData(a), [a.size], a.dtype) : a;
  const ax = axis === null ? 0 : normAxis(axis, src.ndim);
  const moved = moveAxisToEnd(src, ax);
  const flat = flatData(moved);
  const len = src.shape[ax];
  const outDtype = arg ? 'int64' : a.dtype;
  const out = allocStorage(outDtype, flat.length, false);
  const cmp = (x: number, y: number): number => (x !== x ? (y !== y ? 0 : 1) : y !== y ? -1 : x - y);
  for (let r = 0; r < flat.length; r += len || 1) {
    const idx = Array.from({ length: len }, (_, k) => k);
    idx.sort((i, j) => cmp(flat[r + i], flat[r + j]) || i - j);
    for (let k = 0; k < len; k++) out[r + k] = arg ? idx[k] : flat[r + idx[k]];
  }
  const sortedMoved = fromStorage(out, moved.shape, outDtype);
  const order = src.shape.map((_, i) => (i < ax ? i : i === ax ? src.ndim - 1 : i - 1));
  return copyAs(transposeView(sortedMoved, order));
}

function concatenate(arrays: NDArray[], axisV: PyValue | Missing, fn = 'concatenate'): NDArray {
  if (arrays.length === 0) throw valueError('need at least one array to concatenate');
  if (axisV === null) return concatenate(arrays.map((x) => fromStorage(flatData(x), [x.size], x.dtype)), 0, fn);
  const first = arrays[0];
  if (first.ndim === 0) throw valueError('zero-dimensional arrays cannot be concatenated');
  const ax = normAxis(axisV === MISSING ? 0 : intValue('axis', axisV), first.ndim);
  let dtype = first.dtype;
  let total = 0;
  arrays.forEach((x, i) => {
    if (x.ndim !== first.ndim) {
      throw valueError(`all the input array dimensions except for the concatenation axis must match exactly, but along dimension 0, the array at index 0 has ${first.ndim} dimension(s) and the array at index ${i} has ${x.ndim} dimension(s)`.replace('must match exactly, but along dimension 0, the array at index 0 has', 'must match exactly, but along dimension 0, the array at index 0 has').replace(/^.*$/, `all the input arrays must have same number of dimensions, but the array at index 0 has ${first.ndim} dimension(s) and the array at index ${i} has ${x.ndim} dimension(s)`));
    }
    for (let d = 0; d < first.ndim; d++) {
      if (d !== ax && x.shape[d] !== first.shape[d]) {
        throw valueError(`all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${first.shape[d]} and the array at index ${i} has size ${x.shape[d]}`);
      }
    }
    dtype = promoteTypes(dtype, x.dtype);
    total += x.shape[ax];
  });
  const shape = first.shape.slice();
  shape[ax] = total;
  const out = emptyArray(shape, dtype);
  let at = 0;
  for (const x of arrays) {
    const sl = shape.map((s, d) => (d === ax ? new PySlice(at, at + x.shape[ax], null) : new PySlice(null, null, null)));
    setItem(out, new PyTuple(sl), x);
    at += x.shape[ax];
  }
  return out;
}

function arrayList(fn: string, v: PyValue, rt: Runtime): NDArray[] {
  return rt.toArray(v).map((x) => asArray(x));
}

function expandDims(a: NDArray, axis: number): NDArray {
  const ax = normAxis(axis, a.ndim + 1);
  const shape = a.shape.slice();
  shape.splice(ax, 0, 1);
  return reshapeTo(a, shape);
}

function where(cond: NDArray, x: KernelArg, y: KernelArg): NDArray {
  const xs = x instanceof NDArray ? x : asArray(scalarToPy(x));
  const ys = y instanceof NDArray ? y : asArray(scalarToPy(y));
  const dtype = resultType([x, y].map((k) => (k instanceof NDArray ? { dtype: k.dtype, scalar: k.ndim === 0, value: 0 } : { dtype: k.dtype, scalar: true, value: k.scalar })));
  const shape = broadcastShapes([cond.shape, xs.shape, ys.shape]);
  const c = flatData(broadcastTo(cond, shape));
  const xv = flatData(broadcastTo(xs, shape));
  const yv = flatData(broadcastTo(ys, shape));
  const out = emptyArray(shape, dtype);
  for (let i = 0; i < c.length; i++) out.data[i] = castValue(c[i] ? xv[i] : yv[i], dtype);
  return out;
}

function scalarToPy(k: KernelArg): PyValue {
  if (k instanceof NDArray) return k;
  return scalarOf(k.scalar, k.dtype);
}

function isclose(a: KernelArg, b: KernelArg, rtol: number, atol: number, equalNan: boolean): NDArray {
  const A = a instanceof NDArray ? a : asArray(scalarToPy(a), 'float64');
  const B = b instanceof NDArray ? b : asArray(scalarToPy(b), 'float64');
  const shape = broadcastShapes([A.shape, B.shape]);
  const x = flatData(broadcastTo(A, shape));
  const y = flatData(broadcastTo(B, shape));
  const out = emptyArray(shape, 'bool');
  for (let i = 0; i < x.length; i++) {
    const p = x[i];
    const q = y[i];
    let close: boolean;
    if (Number.isFinite(p) && Number.isFinite(q)) close = Math.abs(p - q) <= atol + rtol * Math.abs(q);
    else close = p === q || (equalNan && p !== p && q !== q);
    out.data[i] = close ? 1 : 0;
  }
  return out;
}

function arange(args: PyValue[], dtypeV: DType | undefined): NDArray {
  const nums = args.map(numberValue);
  let [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : nums.length === 2 ? [nums[0], nums[1], 1] : [nums[0], nums[1], nums[2]];
  if (step === 0) throw new PyError('ZeroDivisionError', 'division by zero');
  const isFloat = args.some(floatish);
  const dtype = dtypeV ?? (isFloat ? 'float64' : 'int64');
  const len = Math.max(0, Math.ceil((stop - start) / step));
  const out = emptyArray([len], dtype);
  if (len > 0) out.data[0] = castValue(start, dtype);
  if (len > 1) {
    const second = start + step;
    const delta = second - start;
    out.data[1] = castValue(second, dtype);
    for (let i = 2; i < len; i++) out.data[i] = castValue(start + i * delta, dtype);
  }
  void stop;
  return out;
}

function linspace(start: number, stop: number, num: number, endpoint: boolean, dtype?: DType): NDArray {
  if (num < 0) throw valueError(`Number of samples, ${num}, must be non-negative.`);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const out = emptyArray([num], 'float64');
  const y = out.data;
  for (let i = 0; i < num; i++) y[i] = i;
  if (div > 0) {
    const step = delta / div;
    if (step === 0) for (let i = 0; i < num; i++) y[i] = (y[i] / div) * delta;
    else for (let i = 0; i < num; i++) y[i] = y[i] * step;
  } else for (let i = 0; i < num; i++) y[i] = y[i] * delta;
  for (let i = 0; i < num; i++) y[i] += start;
  if (endpoint && num > 1) y[num - 1] = stop;
  if (dtype && dtype !== 'float64') {
    if (isIntDtype(dtype)) for (let i = 0; i < num; i++) y[i] = Math.floor(y[i]);
    return copyAs(out, dtype);
  }
  return out;
}

function tolist(a: NDArray): PyValue {
  const flat = flatData(a);
  if (a.ndim === 0) return pyValueOf(flat[0], a.dtype);
  let i = 0;
  const build = (d: number): PyValue => {
    if (d === a.ndim) return pyValueOf(flat[i++], a.dtype);
    return new PyList(Array.from({ length: a.shape[d] }, () => build(d + 1)));
  };
  return build(0);
}

function reshape(a: NDArray, shape: number[]): NDArray {
  const s = resolveShape(a.size, shape, a.shape);
  return reshapeTo(a, s);
}

function squeeze(a: NDArray, axisV: PyValue | Missing): NDArray {
  const axis = axisArg(axisV);
  if (axis === null) return reshapeTo(a, a.shape.filter((s) => s !== 1));
  const axes = (Array.isArray(axis) ? axis : [axis]).map((x) => normAxis(x, a.ndim));
  for (const ax of axes) if (a.shape[ax] !== 1) throw valueError('cannot select an axis to squeeze out which has size not equal to one');
  return reshapeTo(a, a.shape.filter((_, i) => !axes.includes(i)));
}

function transpose(a: NDArray, axes: number[] | null): NDArray {
  const order = axes === null ? a.shape.map((_, i) => a.ndim - 1 - i) : axes.map((x) => normAxis(x, a.ndim));
  if (order.length !== a.ndim) throw valueError("axes don't match array");
  return transposeView(a, order);
}

function clip(a: NDArray, lo: PyValue, hi: PyValue): PyValue {
  let r: NDArray = a;
  if (lo !== null) r = binary('maximum', r, needKernelArg(lo));
  if (hi !== null) r = binary('minimum', r, needKernelArg(hi));
  return result(r === a ? copyAs(a) : r);
}

function around(a: NDArray, decimals: number): PyValue {
  if (isIntDtype(a.dtype) || a.dtype === 'bool') return result(copyAs(a));
  const src = flatData(a);
  const out = allocStorage(a.dtype, src.length, false);
  const f = 10 ** Math.abs(decimals);
  for (let i = 0; i < src.length; i++) {
    const x = src[i];
    // numpy's around: multiply by 10**decimals, rint, divide (for negative decimals the other way).
    out[i] = decimals >= 0 ? rint(x * f) / f : rint(x / f) * f;
  }
  return result(fromStorage(out, a.shape, a.dtype));
}

// ---- the ndarray host type -------------------------------------------------------------------------

type MethodBody = (self: NDArray, a: (PyValue | Missing)[], rt: Runtime) => PyValue;
interface Method {
  sig: Signature;
  body: MethodBody;
}

const given = (v: PyValue | Missing): v is PyValue => v !== MISSING;
const kd = (v: PyValue | Missing): boolean => v === true;

/** Shape arguments given as a.reshape(2, 3) or a.reshape((2, 3)). */
function varShape(fn: string, t: PyValue | Missing): number[] {
  const items = (t as PyTuple).items;
  if (items.length === 1 && (items[0] instanceof PyTuple || items[0] instanceof PyList)) return shapeOf(fn, items[0]);
  return items.map((x) => intValue(fn, x));
}

export function makeNumpy(rt: () => Runtime): { modules: Map<string, PyValue>; hostTypes: [abstract new (...args: never[]) => unknown, HostType][]; ndarrayType: PyType } {
  const methods = new Map<string, Method>();
  const m = (name: string, spec: string, body: MethodBody): void => {
    methods.set(name, { sig: signature(name, spec), body });
  };
  m('item', '*args', (self, [args]) => {
    const items = (args as PyTuple).items;
    if (items.length === 0) {
      if (self.size !== 1) throw valueError('can only convert an array of size 1 to a Python scalar');
      return pyValueOf(flatData(self)[0], self.dtype);
    }
    if (items.length === 1 && typeof items[0] === 'number') {
      const flat = flatData(self);
      const i = items[0] < 0 ? items[0] + flat.length : items[0];
      if (i < 0 || i >= flat.length) throw indexError('index ' + items[0] + ' is out of bounds for size ' + flat.length);
      return pyValueOf(flat[i], self.dtype);
    }
    const r = getItem(self, items.length === 1 ? items[0] : new PyTuple(items));
    return typeof r === 'object' && r instanceof NpFloat ? new PyFloat(r.value) : r;
  });
  m('tolist', '', (self) => tolist(self));
  m('copy', 'order="C"', (self) => copyAs(self));
  m('astype', 'dtype, order="K", casting="unsafe", subok=True, copy=True', (self, [d]) => copyAs(self, dtypeOf(d as PyValue)));
  m('reshape', '*shape, order="C"', (self, [s]) => reshape(self, varShape('reshape', s)));
  m('flatten', 'order="C"', (self) => fromStorage(flatData(copyAs(self)), [self.size], self.dtype));
  m('ravel', 'order="C"', (self) => reshapeTo(self, [self.size]));
  m('transpose', '*axes', (self, [s]) => transpose(self, (s as PyTuple).items.length ? varShape('transpose', s) : null));
  m('squeeze', 'axis=None', (self, [ax]) => squeeze(self, ax));
  m('sum', 'axis=None, dtype=None, out=None, keepdims=False', (self, [ax, d, , k]) => reduce(self, 'sum', ax, kd(k), optDtype(d)));
  m('prod', 'axis=None, dtype=None, out=None, keepdims=False', (self, [ax, d, , k]) => reduce(self, 'prod', ax, kd(k), optDtype(d)));
  m('max', 'axis=None, out=None, keepdims=False', (self, [ax, , k]) => reduce(self, 'max', ax, kd(k)));
  m('min', 'axis=None, out=None, keepdims=False', (self, [ax, , k]) => reduce(self, 'min', ax, kd(k)));
  m('any', 'axis=None, out=None, keepdims=False', (self, [ax, , k]) => reduce(self, 'any', ax, kd(k)));
  m('all', 'axis=None, out=None, keepdims=False', (self, [ax, , k]) => reduce(self, 'all', ax, kd(k)));
  m('mean', 'axis=None, dtype=None, out=None, keepdims=False', (self, [ax, d, , k]) => mean(self, ax, kd(k), optDtype(d)));
  m('var', 'axis=None, dtype=None, out=None, ddof=0, keepdims=False', (self, [ax, , , dd, k]) => variance(self, ax, kd(k), numberValue(dd as PyValue), false));
  m('std', 'axis=None, dtype=None, out=None, ddof=0, keepdims=False', (self, [ax, , , dd, k]) => variance(self, ax, kd(k), numberValue(dd as PyValue), true));
  m('argmax', 'axis=None, out=None', (self, [ax]) => argResult(self, ax, true));
  m('argmin', 'axis=None, out=None', (self, [ax]) => argResult(self, ax, false));
  m('cumsum', 'axis=None, dtype=None, out=None', (self, [ax]) => cumsum(self, ax));
  m('cumprod', 'axis=None, dtype=None, out=None', (self, [ax]) => cumsum(self, ax, true));
  m('dot', 'b, out=None', (self, [b]) => matmul(self, asArray(b as PyValue), 'dot'));
  m('clip', 'min=None, max=None, out=None', (self, [lo, hi]) => clip(self, lo as PyValue, hi as PyValue));
  m('round', 'decimals=0, out=None', (self, [d]) => around(self, intValue('round', d as PyValue)));
  m('fill', 'value', (self, [v]) => (assignInto(self, numberValue(v as PyValue)), null));
  m('sort', 'axis=-1, kind=None, order=None', (self, [ax]) => (assignInto(self, sortAlong(self, ax, false)), null));
  m('argsort', 'axis=-1, kind=None, order=None', (self, [ax]) => sortAlong(self, ax, true));
  m('nonzero', '', (self) => new PyTuple(nonzero(self)));
  m('numpy', '', (self) => self);

  function argResult(a: NDArray, ax: PyValue | Missing, max: boolean): PyValue {
    const r = argReduce(a, ax === MISSING || ax === null ? null : intValue('axis', ax), max);
    return r.shape.length === 0 ? r.data[0] : fromStorage(r.data, r.shape, 'int64');
  }

  const callMethod = (self: NDArray, name: string, args: PyValue[], kwargs: Kwargs): PyValue | NotImplementedT => {
    const def = methods.get(name);
    if (!def) return NotImplemented;
    return def.body(self, bindArgs(def.sig, args, kwargs), rt());
  };

  const attr = (a: NDArray, name: string): PyValue | undefined => {
    switch (name) {
      case 'shape':
        return new PyTuple(a.shape.slice());
      case 'ndim':
        return a.ndim;
      case 'size':
        return a.size;
      case 'dtype':
        return DTYPE_OBJECTS[a.dtype];
      case 'T':
        return transpose(a, null);
      case 'itemsize':
        return ELEMENT_SIZE[a.dtype];
      case 'nbytes':
        return a.size * (ELEMENT_SIZE[a.dtype]);
      case 'base':
        return a.base;
      case 'real':
        return a;
      case 'strides': {
        const size = ELEMENT_SIZE[a.dtype];
        return new PyTuple(a.strides.map((s) => s * size));
      }
    }
    if (methods.has(name)) return new PyBoundMethod(a, name, (self, args, kwargs) => callMethod(self as NDArray, name, args, kwargs) as PyValue);
    return undefined;
  };

  const ndarrayHost: HostType<NDArray> = {
    typeName: () => 'numpy.ndarray',
    typeKey: () => 'numpy.ndarray',
    getattr: attr,
    setattr(a, name, value) {
      if (name === 'shape') {
        const s = resolveShape(a.size, shapeOf('shape', value), a.shape);
        const v = reshapeView(a, s);
        if (!v) throw new PyError('AttributeError', 'Incompatible shape for in-place modification. Use `.reshape()` to make a copy with the desired shape.');
        a.shape = v.shape;
        a.strides = v.strides;
        return true;
      }
      return false;
    },
    callMethod,
    getitem: getItem,
    setitem: setItem,
    binop: arrayBinop,
    inplace: arrayInplace,
    unary(op, a) {
      if (op === '-') return result(unary('negative', a));
      if (op === '+') return result(copyAs(a));
      return result(unary('invert', a));
    },
    compare(op, a, otherV) {
      if (otherV instanceof Tensor) return NotImplemented;
      const other = kernelArg(otherV);
      if (other === null) {
        if (op === '==' || op === '!=') return result(fromStorage(allocStorage('bool', a.size).fill(op === '==' ? 0 : 1), a.shape, 'bool'));
        return NotImplemented;
      }
      return result(compare(COMPARE_OPS[op], a, other));
    },
    contains: (a, item) => {
      const k = kernelArg(item);
      if (k === null) return false;
      return flatData(compare('equal', a, k)).some((v) => v !== 0);
    },
    *iter(a) {
      if (a.ndim === 0) throw typeError('iteration over a 0-d array');
      for (let i = 0; i < a.shape[0]; i++) yield getItem(a, i);
    },
    len(a) {
      if (a.ndim === 0) throw typeError('len() of unsized object');
      return a.shape[0];
    },
    bool(a) {
      if (a.size === 1) return flatData(a)[0] !== 0;
      if (a.size === 0) return false;
      throw valueError('The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()');
    },
    repr: arrayRepr,
    str: arrayStr,
    format(a, spec) {
      if (spec === '') return arrayStr(a);
      if (a.ndim === 0) return formatNumber(flatData(a)[0], isIntDtype(a.dtype), spec);
      throw typeError('unsupported format string passed to numpy.ndarray.__format__');
    },
    toNumber(a, kind) {
      if (kind === 'index') {
        if (a.ndim !== 0 || !isIntDtype(a.dtype)) throw typeError('only integer scalar arrays can be converted to a scalar index');
        return flatData(a)[0];
      }
      if (a.size !== 1) throw typeError('only size-1 arrays can be converted to Python scalars');
      return flatData(a)[0];
    },
    dir: () => [...methods.keys(), 'shape', 'ndim', 'size', 'dtype', 'T'],
  };

  const dtypeHost: HostType<NpDType> = {
    typeName: (d) => `numpy.dtype[${d.dtype === 'bool' ? 'bool_' : d.dtype}]`,
    repr: (d) => `dtype('${d.dtype}')`,
    str: (d) => d.dtype,
    getattr(d, name) {
      if (name === 'name') return d.dtype;
      if (name === 'itemsize') return ELEMENT_SIZE[d.dtype];
      if (name === 'kind') return d.dtype === 'bool' ? 'b' : d.dtype === 'uint8' ? 'u' : isIntDtype(d.dtype) ? 'i' : 'f';
      if (name === 'type') return SCALAR_TYPES[d.dtype === 'bool' ? 'bool_' : d.dtype];
      return undefined;
    },
    compare: (op, d, other) => dtypeCompare(op, d.dtype, other),
  };
  const scalarTypeHost: HostType<NpScalarType> = {
    typeName: () => 'type',
    repr: (t) => `<class 'numpy.${t.name}'>`,
    call(t, args) {
      const v = args.length === 0 ? 0 : args[0];
      if (v instanceof NDArray || v instanceof PyList || v instanceof PyTuple) return result(asArray(v, t.dtype, true));
      const x = typeof v === 'string' ? Number(v) : numberValue(v);
      return scalarOf(castValue(x, t.dtype), t.dtype);
    },
    compare: (op, t, other) => dtypeCompare(op, t.dtype, other),
    getattr(t, name) {
      if (name === '__name__') return t.name;
      return undefined;
    },
  };
  function dtypeCompare(op: CmpOp, d: DType, other: PyValue): PyValue | NotImplementedT {
    if (op !== '==' && op !== '!=') return NotImplemented;
    let eq = false;
    try {
      eq = other !== null && dtypeOf(other) === d;
    } catch {
      eq = false;
    }
    return op === '==' ? eq : !eq;
  }

  // ---- module functions ----
  const fn = (name: string, spec: string, body: (a: (PyValue | Missing)[]) => PyValue): PyBuiltin => {
    const sig = signature(name, spec);
    return new PyBuiltin(name, (args, kwargs) => body(bindArgs(sig, args, kwargs)));
  };
  const arr = (v: PyValue | Missing): NDArray => asArray(v as PyValue);
  const attrs: Record<string, PyValue> = {
    pi: new PyFloat(Math.PI),
    e: new PyFloat(Math.E),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    newaxis: null,
    ...Object.fromEntries(Object.entries(SCALAR_TYPES)),
    float_: SCALAR_TYPES.float64,
    int_: SCALAR_TYPES.int64,
    double: SCALAR_TYPES.float64,
    single: SCALAR_TYPES.float32,
    dtype: new PyBuiltin('dtype', (args) => DTYPE_OBJECTS[dtypeOf(args[0])]),
    array: fn('array', 'object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0', ([o, d, c]) => asArray(o as PyValue, optDtype(d), c !== false)),
    asarray: fn('asarray', 'a, dtype=None, order=None', ([o, d]) => asArray(o as PyValue, optDtype(d))),
    zeros: fn('zeros', 'shape, dtype=None, order="C"', ([s, d]) => emptyArray(shapeOf('zeros', s as PyValue), optDtype(d) ?? 'float64')),
    empty: fn('empty', 'shape, dtype=None, order="C"', ([s, d]) => emptyArray(shapeOf('empty', s as PyValue), optDtype(d) ?? 'float64')),
    ones: fn('ones', 'shape, dtype=None, order="C"', ([s, d]) => filled(shapeOf('ones', s as PyValue), 1, optDtype(d) ?? 'float64')),
    full: fn('full', 'shape, fill_value, dtype=None, order="C"', ([s, v, d]) => {
      const value = v as PyValue;
      if (value instanceof NDArray) return result(binary('add', emptyArray(shapeOf('full', s as PyValue), optDtype(d) ?? value.dtype), value));
      const dt = optDtype(d) ?? (typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'int64' : value instanceof NpFloat ? value.dtype : 'float64');
      return filled(shapeOf('full', s as PyValue), numberValue(value), dt);
    }),
    zeros_like: fn('zeros_like', 'a, dtype=None', ([a, d]) => emptyArray(arr(a).shape, optDtype(d) ?? arr(a).dtype)),
    empty_like: fn('empty_like', 'a, dtype=None', ([a, d]) => emptyArray(arr(a).shape, optDtype(d) ?? arr(a).dtype)),
    ones_like: fn('ones_like', 'a, dtype=None', ([a, d]) => filled(arr(a).shape, 1, optDtype(d) ?? arr(a).dtype)),
    full_like: fn('full_like', 'a, fill_value, dtype=None', ([a, v, d]) => filled(arr(a).shape, numberValue(v as PyValue), optDtype(d) ?? arr(a).dtype)),
    arange: fn('arange', '*args, dtype=None', ([a, d]) => {
      const items = (a as PyTuple).items;
      if (items.length === 0 || items.length > 3) throw typeError(`arange() requires stop to be specified.`);
      return arange([...items], optDtype(d));
    }),
    linspace: fn('linspace', 'start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0', ([s, e, n, ep, rs, d]) => {
      const num = intValue('linspace', n as PyValue);
      const out = linspace(numberValue(s as PyValue), numberValue(e as PyValue), num, ep !== false, optDtype(d));
      if (rs === true) {
        const div = ep !== false ? num - 1 : num;
        return new PyTuple([out, new NpFloat(div > 0 ? (numberValue(e as PyValue) - numberValue(s as PyValue)) / div : NaN, 'float64')]);
      }
      return out;
    }),
    eye: fn('eye', 'N, M=None, k=0, dtype=None', ([n, mm, k, d]) => {
      const rows = intValue('eye', n as PyValue);
      const cols = mm === null ? rows : intValue('eye', mm as PyValue);
      const off = intValue('eye', k as PyValue);
      const out = emptyArray([rows, cols], optDtype(d) ?? 'float64');
      for (let i = 0; i < rows; i++) if (i + off >= 0 && i + off < cols) out.data[i * cols + i + off] = 1;
      return out;
    }),
    identity: fn('identity', 'n, dtype=None', ([n, d]) => {
      const rows = intValue('identity', n as PyValue);
      const out = emptyArray([rows, rows], optDtype(d) ?? 'float64');
      for (let i = 0; i < rows; i++) out.data[i * rows + i] = 1;
      return out;
    }),
    reshape: fn('reshape', 'a, newshape, order="C"', ([a, s]) => reshape(arr(a), shapeOf('reshape', s as PyValue))),
    ravel: fn('ravel', 'a, order="C"', ([a]) => reshapeTo(arr(a), [arr(a).size])),
    transpose: fn('transpose', 'a, axes=None', ([a, ax]) => transpose(arr(a), ax === null ? null : shapeOf('transpose', ax as PyValue))),
    squeeze: fn('squeeze', 'a, axis=None', ([a, ax]) => squeeze(arr(a), ax)),
    expand_dims: fn('expand_dims', 'a, axis', ([a, ax]) => expandDims(arr(a), intValue('expand_dims', ax as PyValue))),
    copy: fn('copy', 'a, order="K"', ([a]) => copyAs(arr(a))),
    shape: fn('shape', 'a', ([a]) => new PyTuple(arr(a).shape)),
    size: fn('size', 'a, axis=None', ([a]) => arr(a).size),
    ndim: fn('ndim', 'a', ([a]) => arr(a).ndim),
    sum: fn('sum', 'a, axis=None, dtype=None, out=None, keepdims=False', ([a, ax, d, , k]) => reduce(arr(a), 'sum', ax, kd(k), optDtype(d))),
    prod: fn('prod', 'a, axis=None, dtype=None, out=None, keepdims=False', ([a, ax, d, , k]) => reduce(arr(a), 'prod', ax, kd(k), optDtype(d))),
    max: fn('max', 'a, axis=None, out=None, keepdims=False', ([a, ax, , k]) => reduce(arr(a), 'max', ax, kd(k))),
    amax: fn('amax', 'a, axis=None, out=None, keepdims=False', ([a, ax, , k]) => reduce(arr(a), 'max', ax, kd(k))),
    min: fn('min', 'a, axis=None, out=None, keepdims=False', ([a, ax, , k]) => reduce(arr(a), 'min', ax, kd(k))),
    amin: fn('amin', 'a, axis=None, out=None, keepdims=False', ([a, ax, , k]) => reduce(arr(a), 'min', ax, kd(k))),
    any: fn('any', 'a, axis=None, out=None, keepdims=False', ([a, ax, , k]) => reduce(arr(a), 'any', ax, kd(k))),
    all: fn('all', 'a, axis=None, out=None, keepdims=False', ([a, ax, , k]) => reduce(arr(a), 'all', ax, kd(k))),
    mean: fn('mean', 'a, axis=None, dtype=None, out=None, keepdims=False', ([a, ax, d, , k]) => mean(arr(a), ax, kd(k), optDtype(d))),
    var: fn('var', 'a, axis=None, dtype=None, out=None, ddof=0, keepdims=False', ([a, ax, , , dd, k]) => variance(arr(a), ax, kd(k), numberValue(dd as PyValue), false)),
    std: fn('std', 'a, axis=None, dtype=None, out=None, ddof=0, keepdims=False', ([a, ax, , , dd, k]) => variance(arr(a), ax, kd(k), numberValue(dd as PyValue), true)),
    argmax: fn('argmax', 'a, axis=None, out=None', ([a, ax]) => argResult(arr(a), ax, true)),
    argmin: fn('argmin', 'a, axis=None, out=None', ([a, ax]) => argResult(arr(a), ax, false)),
    cumsum: fn('cumsum', 'a, axis=None, dtype=None, out=None', ([a, ax]) => cumsum(arr(a), ax)),
    cumprod: fn('cumprod', 'a, axis=None, dtype=None, out=None', ([a, ax]) => cumsum(arr(a), ax, true)),
    dot: fn('dot', 'a, b, out=None', ([a, b]) => matmul(arr(a), arr(b), 'dot')),
    matmul: fn('matmul', 'a, b, out=None', ([a, b]) => matmul(arr(a), arr(b), 'matmul')),
    outer: fn('outer', 'a, b, out=None', ([a, b]) => {
      const x = arr(a);
      const y = arr(b);
      return binary('multiply', reshapeTo(x, [x.size, 1]), reshapeTo(y, [1, y.size]));
    }),
    concatenate: fn('concatenate', 'arrays, axis=0, out=None', ([a, ax]) => concatenate(arrayList('concatenate', a as PyValue, rt()), ax)),
    stack: fn('stack', 'arrays, axis=0, out=None', ([a, ax]) => {
      const list = arrayList('stack', a as PyValue, rt());
      if (list.length === 0) throw valueError('need at least one array to stack');
      if (list.some((x) => x.ndim !== list[0].ndim || x.shape.some((s, i) => s !== list[0].shape[i]))) throw valueError('all input arrays must have the same shape');
      const axis = normAxis(intValue('stack', ax as PyValue), list[0].ndim + 1);
      return concatenate(list.map((x) => expandDims(x, axis)), axis);
    }),
    vstack: fn('vstack', 'tup', ([a]) => concatenate(arrayList('vstack', a as PyValue, rt()).map((x) => (x.ndim < 2 ? reshapeTo(x, [1, x.size]) : x)), 0)),
    hstack: fn('hstack', 'tup', ([a]) => {
      const list = arrayList('hstack', a as PyValue, rt()).map((x) => (x.ndim === 0 ? reshapeTo(x, [1]) : x));
      return concatenate(list, list[0]?.ndim === 1 ? 0 : 1);
    }),
    where: fn('where', 'condition, x=?, y=?', ([c, x, y]) => {
      const cond = asArray(c as PyValue, 'bool');
      if (!given(x) && !given(y)) return new PyTuple(nonzero(cond));
      if (!given(x) || !given(y)) throw valueError('either both or neither of x and y should be given');
      return where(cond, needKernelArg(x), needKernelArg(y));
    }),
    nonzero: fn('nonzero', 'a', ([a]) => new PyTuple(nonzero(arr(a)))),
    allclose: fn('allclose', 'a, b, rtol=1e-05, atol=1e-08, equal_nan=False', ([a, b, r, t, en]) =>
      flatData(isclose(needKernelArg(a as PyValue), needKernelArg(b as PyValue), numberValue(r as PyValue), numberValue(t as PyValue), en === true)).every((v) => v !== 0),
    ),
    isclose: fn('isclose', 'a, b, rtol=1e-05, atol=1e-08, equal_nan=False', ([a, b, r, t, en]) =>
      result(isclose(needKernelArg(a as PyValue), needKernelArg(b as PyValue), numberValue(r as PyValue), numberValue(t as PyValue), en === true)),
    ),
    array_equal: fn('array_equal', 'a1, a2, equal_nan=False', ([a, b]) => {
      const x = arr(a);
      const y = arr(b);
      if (x.ndim !== y.ndim || x.shape.some((s, i) => s !== y.shape[i])) return false;
      return flatData(compare('equal', x, y)).every((v) => v !== 0);
    }),
    sort: fn('sort', 'a, axis=-1, kind=None, order=None', ([a, ax]) => sortAlong(arr(a), ax, false)),
    argsort: fn('argsort', 'a, axis=-1, kind=None, order=None', ([a, ax]) => sortAlong(arr(a), ax, true)),
    clip: fn('clip', 'a, a_min, a_max, out=None', ([a, lo, hi]) => clip(arr(a), lo as PyValue, hi as PyValue)),
    round: fn('round_', 'a, decimals=0, out=None', ([a, d]) => around(arr(a), intValue('round', d as PyValue))),
    around: fn('around', 'a, decimals=0, out=None', ([a, d]) => around(arr(a), intValue('around', d as PyValue))),
    count_nonzero: fn('count_nonzero', 'a, axis=None', ([a]) => flatData(arr(a)).filter((v) => v !== 0).length),
  };
  function filled(shape: number[], v: number, dtype: DType): NDArray {
    const out = emptyArray(shape, dtype);
    out.data.fill(castValue(v, dtype));
    return out;
  }
  const UNARY: [string, UnaryName][] = [
    ['sin', 'sin'], ['cos', 'cos'], ['tan', 'tan'], ['arcsin', 'arcsin'], ['arccos', 'arccos'], ['arctan', 'arctan'],
    ['sinh', 'sinh'], ['cosh', 'cosh'], ['tanh', 'tanh'], ['exp', 'exp'], ['exp2', 'exp2'], ['expm1', 'expm1'], ['log', 'log'],
    ['log10', 'log10'], ['log2', 'log2'], ['log1p', 'log1p'], ['sqrt', 'sqrt'], ['cbrt', 'cbrt'], ['square', 'square'],
    ['abs', 'absolute'], ['absolute', 'absolute'], ['fabs', 'absolute'], ['sign', 'sign'], ['floor', 'floor'], ['ceil', 'ceil'],
    ['trunc', 'trunc'], ['rint', 'rint'], ['negative', 'negative'], ['positive', 'positive'], ['reciprocal', 'reciprocal'],
    ['isnan', 'isnan'], ['isinf', 'isinf'], ['isfinite', 'isfinite'], ['logical_not', 'logical_not'], ['invert', 'invert'],
  ];
  for (const [name, u] of UNARY) {
    attrs[name] = fn(name === 'abs' ? 'absolute' : name, 'x, out=None', ([x, out]) => {
      const r = unary(u, arr(x));
      if (out instanceof NDArray) {
        assignInto(out, r);
        return out;
      }
      return result(r);
    });
  }
  const BINARY: [string, BinaryName][] = [
    ['add', 'add'], ['subtract', 'subtract'], ['multiply', 'multiply'], ['divide', 'true_divide'], ['true_divide', 'true_divide'],
    ['floor_divide', 'floor_divide'], ['mod', 'remainder'], ['remainder', 'remainder'], ['fmod', 'fmod'], ['power', 'power'],
    ['maximum', 'maximum'], ['minimum', 'minimum'], ['arctan2', 'arctan2'], ['logical_and', 'bitwise_and'], ['logical_or', 'bitwise_or'],
    ['logical_xor', 'bitwise_xor'], ['bitwise_and', 'bitwise_and'], ['bitwise_or', 'bitwise_or'], ['bitwise_xor', 'bitwise_xor'],
  ];
  for (const [name, b] of BINARY) {
    const logical = name.startsWith('logical');
    attrs[name] = fn(name, 'x1, x2, out=None', ([x, y, out]) => {
      const xa = logical ? asArray(x as PyValue, 'bool') : needKernelArg(x as PyValue);
      const ya = logical ? asArray(y as PyValue, 'bool') : needKernelArg(y as PyValue);
      if (out instanceof NDArray) return binary(b, xa, ya, out);
      return result(binary(b, xa, ya));
    });
  }
  for (const [name, c] of Object.entries(COMPARE_OPS)) {
    void name;
    attrs[c] = fn(c, 'x1, x2', ([x, y]) => result(compare(c, needKernelArg(x as PyValue), needKernelArg(y as PyValue))));
  }

  // ---- numpy.random ----
  const randomAttrs = (state: RandomState): Record<string, PyValue> => {
    const sized = (size: PyValue | Missing, draw: () => number, dtype: DType = 'float64'): PyValue => {
      if (size === MISSING || size === null) return scalarOf(draw(), dtype);
      const out = emptyArray(shapeOf('size', size), dtype);
      for (let i = 0; i < out.data.length; i++) out.data[i] = draw();
      return out;
    };
    const dims = (t: PyValue | Missing): PyValue => {
      const items = (t as PyTuple).items;
      return items.length === 0 ? null : new PyTuple(items.map((x) => intValue('rand', x)));
    };
    const randint = (lo: PyValue, hi: PyValue | Missing, size: PyValue | Missing): PyValue => {
      let low = numberValue(lo);
      let high: number;
      if (hi === MISSING || hi === null) {
        high = low;
        low = 0;
      } else high = numberValue(hi);
      if (low >= high) throw valueError('low >= high');
      const rng = high - 1 - low;
      return sized(size, () => low + state.bounded(rng), 'int64');
    };
    const shuffle = (x: PyValue): void => {
      if (x instanceof NDArray) {
        if (x.ndim === 0) throw typeError('len() of unsized object');
        const n = x.shape[0];
        for (let i = n - 1; i >= 1; i--) {
          const j = state.interval(i);
          if (i === j) continue;
          if (x.ndim === 1) {
            const oi = x.offset + i * x.strides[0];
            const oj = x.offset + j * x.strides[0];
            const t = x.data[oi];
            x.data[oi] = x.data[oj];
            x.data[oj] = t;
          } else {
            const rowI = getItem(x, i) as NDArray;
            const rowJ = getItem(x, j) as NDArray;
            const tmp = copyAs(rowJ);
            assignInto(rowJ, rowI);
            assignInto(rowI, tmp);
          }
        }
        return;
      }
      if (x instanceof PyList) {
        for (let i = x.items.length - 1; i >= 1; i--) {
          const j = state.interval(i);
          [x.items[i], x.items[j]] = [x.items[j], x.items[i]];
        }
        return;
      }
      throw typeError(`shuffle of ${typeNameOf(x)} is not supported in this playground`);
    };
    return {
      seed: fn('seed', 'seed=None', ([s]) => {
        if (s === null) state.seed(Math.floor(Math.random() * 2 ** 32));
        else {
          const v = intValue('seed', s as PyValue);
          if (v < 0 || v > 2 ** 32 - 1) throw valueError('Seed must be between 0 and 2**32 - 1');
          state.seed(v);
        }
        return null;
      }),
      rand: fn('rand', '*args', ([d]) => sized(dims(d), () => state.nextDouble())),
      randn: fn('randn', '*args', ([d]) => sized(dims(d), () => state.nextGauss())),
      random: fn('random', 'size=None', ([s]) => sized(s, () => state.nextDouble())),
      random_sample: fn('random_sample', 'size=None', ([s]) => sized(s, () => state.nextDouble())),
      ranf: fn('ranf', 'size=None', ([s]) => sized(s, () => state.nextDouble())),
      sample: fn('sample', 'size=None', ([s]) => sized(s, () => state.nextDouble())),
      standard_normal: fn('standard_normal', 'size=None', ([s]) => sized(s, () => state.nextGauss())),
      normal: fn('normal', 'loc=0.0, scale=1.0, size=None', ([l, sc, s]) => {
        const loc = numberValue(l as PyValue);
        const scale = numberValue(sc as PyValue);
        if (scale < 0) throw valueError('scale < 0');
        return sized(s, () => loc + scale * state.nextGauss());
      }),
      uniform: fn('uniform', 'low=0.0, high=1.0, size=None', ([lo, hi, s]) => {
        const low = numberValue(lo as PyValue);
        const range = numberValue(hi as PyValue) - low;
        return sized(s, () => low + range * state.nextDouble());
      }),
      randint: fn('randint', 'low, high=None, size=None, dtype=None', ([lo, hi, s]) => randint(lo as PyValue, hi, s)),
      shuffle: fn('shuffle', 'x', ([x]) => (shuffle(x as PyValue), null)),
      permutation: fn('permutation', 'x', ([x]) => {
        const v = x as PyValue;
        const a = typeof v === 'number' ? arange([v], undefined) : copyAs(asArray(v));
        shuffle(a);
        return a;
      }),
      choice: fn('choice', 'a, size=None, replace=True, p=None', ([a, s, rep, p]) => {
        const pop = typeof a === 'number' ? arange([a], undefined) : asArray(a as PyValue);
        const n = pop.size;
        if (n === 0) throw valueError("'a' cannot be empty unless no samples are taken");
        if (p !== null) throw new PyError('NotImplementedError', 'np.random.choice with p= is not supported in this playground');
        let idx: PyValue;
        if (rep !== false) idx = randint(0, n, s);
        else {
          const count = s === null ? 1 : shapeOf('choice', s as PyValue).reduce((x, y) => x * y, 1);
          if (count > n) throw valueError("Cannot take a larger sample than population when 'replace=False'");
          const perm = arange([n], undefined);
          shuffle(perm);
          const firstK = fromStorage(perm.data.slice(0, count), [count], 'int64');
          idx = s === null ? firstK.data[0] : reshape(firstK, shapeOf('choice', s as PyValue));
        }
        return getItem(pop, idx);
      }),
    };
  };
  const globalState = new RandomState();
  const random = new PyModule('numpy.random', randomAttrs(globalState));
  random.attrs.set(
    'RandomState',
    new PyBuiltin('RandomState', (args) => new PyModule('numpy.random.RandomState', randomAttrs(new RandomState(args.length && args[0] !== null ? intValue('RandomState', args[0]) : undefined)))),
  );
  random.attrs.set('default_rng', new PyBuiltin('default_rng', () => {
    throw new PyError('NotImplementedError', "np.random.default_rng (numpy's PCG64 Generator) is not supported in this playground; use np.random.seed and the np.random functions");
  }));

  // ---- numpy.linalg ----
  const linalg = new PyModule('numpy.linalg', {
    norm: fn('norm', 'x, ord=None, axis=None, keepdims=False', ([x, ord, ax]) => {
      if (ord !== null || ax !== null) throw new PyError('NotImplementedError', 'np.linalg.norm with ord= or axis= is not supported in this playground');
      const a = arr(x);
      const f = flatData(isFloatDtype(a.dtype) ? a : copyAs(a, 'float64'));
      let s = 0;
      for (let i = 0; i < f.length; i++) s += f[i] * f[i];
      return new NpFloat(Math.sqrt(s), a.dtype === 'float32' ? 'float32' : 'float64');
    }),
    inv: fn('inv', 'a', ([x]) => {
      const a = arr(x);
      if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) throw new PyError('numpy.linalg.LinAlgError', `Last 2 dimensions of the array must be square`);
      const n = a.shape[0];
      const m = Array.from(flatData(copyAs(a, 'float64')));
      const inv: number[] = Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0));
      for (let c = 0; c < n; c++) {
        let piv = c;
        for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
        if (m[piv * n + c] === 0) throw new PyError('numpy.linalg.LinAlgError', 'Singular matrix');
        for (let k = 0; k < n; k++) {
          [m[c * n + k], m[piv * n + k]] = [m[piv * n + k], m[c * n + k]];
          [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k], inv[c * n + k]];
        }
        const p = m[c * n + c];
        for (let k = 0; k < n; k++) {
          m[c * n + k] /= p;
          inv[c * n + k] /= p;
        }
        for (let r = 0; r < n; r++) {
          if (r === c) continue;
          const f = m[r * n + c];
          if (f === 0) continue;
          for (let k = 0; k < n; k++) {
            m[r * n + k] -= f * m[c * n + k];
            inv[r * n + k] -= f * inv[c * n + k];
          }
        }
      }
      const out = emptyArray([n, n], a.dtype === 'float32' ? 'float32' : 'float64');
      out.data.set(inv);
      return out;
    }),
  });
  const ndarrayType = new PyType('ndarray', (v) => v instanceof NDArray, () => {
    throw typeError('np.ndarray(shape) is not supported in this playground; use np.zeros or np.empty');
  });
  ndarrayType.qualname = 'numpy.ndarray';
  attrs.ndarray = ndarrayType;
  attrs.random = random;
  attrs.linalg = linalg;
  const numpy = new PyModule('numpy', attrs);
  const modules = new Map<string, PyValue>([
    ['numpy', numpy],
    ['numpy.random', random],
    ['numpy.linalg', linalg],
  ]);
  void forEachOffset;
  void cStrides;
  return {
    modules,
    hostTypes: [
      [NDArray, ndarrayHost],
      [NpDType, dtypeHost],
      [NpScalarType, scalarTypeHost],
    ],
    ndarrayType,
  };
}

export { NDArray };
export type { Storage };
