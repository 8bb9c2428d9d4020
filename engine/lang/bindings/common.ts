// Shared pieces of the torch bindings: dtype objects, torch.Size, argument conversion from Python
// values to the engine's types, and a small declarative way to bind functions by signature.
import { Tensor } from '../../tensor';
import { isIntegral, type DType } from '../../dtype';
import { wrapScalar, type Operand } from '../../ops/arith';
import type { NestedData } from '../../creation';
import { bindArgs, MISSING, signature, type Missing, type Signature } from '../args';
import { PyError } from '../errors';
import type { Runtime } from '../runtime';
import { NDArray, fromStorage } from '../numpy/ndarray';
import { rawTensor, tensorCopy } from '../numpy/interop';
import {
  PyBuiltin,
  PyFloat,
  PyFloatSubclass,
  PyList,
  PyObject,
  PyTuple,
  type Kwargs,
  type PyValue,
} from '../values';

export { MISSING };
export type Arg = PyValue | Missing;

/** torch.float32 and friends. */
export class TorchDType extends PyObject {
  constructor(
    readonly dtype: DType,
    readonly isFloatingPoint: boolean,
  ) {
    super();
  }
  get typeName(): string {
    return 'dtype';
  }
  override customRepr(): string {
    return `torch.${this.dtype}`;
  }
  override pyGetattr(name: string): PyValue | undefined {
    if (name === 'is_floating_point') return this.isFloatingPoint;
    if (name === 'is_signed') return this.dtype !== 'bool' && this.dtype !== 'uint8';
    if (name === 'is_complex') return false;
    return super.pyGetattr(name);
  }
}

/** torch.contiguous_format, torch.preserve_format (clone's and the *_like functions' memory_format). */
export class TorchMemoryFormat extends PyObject {
  constructor(readonly format: 'contiguous' | 'preserve') {
    super();
  }
  get typeName(): string {
    return 'memory_format';
  }
  override customRepr(): string {
    return `torch.${this.format}_format`;
  }
}

export const MEMORY_FORMATS = { contiguous: new TorchMemoryFormat('contiguous'), preserve: new TorchMemoryFormat('preserve') };

/** A memory_format argument: preserve unless torch.contiguous_format. */
export function memoryFormatArg(fn: string, v: PyValue | undefined): 'contiguous' | 'preserve' {
  if (v === null || v === undefined) return 'preserve';
  if (v instanceof TorchMemoryFormat) return v.format;
  throw typeError(`${fn}(): argument 'memory_format' must be torch.memory_format, not ${pyTypeName(v)}`);
}

export const DTYPES: Record<DType, TorchDType> = {
  float32: new TorchDType('float32', true),
  float64: new TorchDType('float64', true),
  int64: new TorchDType('int64', false),
  int32: new TorchDType('int32', false),
  int16: new TorchDType('int16', false),
  int8: new TorchDType('int8', false),
  uint8: new TorchDType('uint8', false),
  bool: new TorchDType('bool', false),
};

/** torch.Size: a tuple of ints that prints as torch.Size([2, 3]). */
export class TorchSize extends PyTuple {
  override get typeName(): string {
    // CPython's tp_name, as messages show it ('torch.Size' object is not callable).
    return 'torch.Size';
  }
  override customRepr(): string {
    return `torch.Size([${this.items.join(', ')}])`;
  }
  override derive(items: readonly PyValue[]): PyTuple {
    return new TorchSize(items);
  }
  override pyGetattr(name: string): PyValue | undefined {
    if (name === 'numel') return new PyBuiltin('numel', () => this.items.reduce((a: number, b) => a * (b as number), 1));
    return super.pyGetattr(name);
  }
}

export const typeError = (m: string): PyError => new PyError('TypeError', m);

/** A Python number or tensor as an engine operand (a Python float wraps as a float64 number, as PyTorch does). */
export function toOperand(v: PyValue): Operand | null {
  if (v instanceof Tensor) return v;
  // An array meets a tensor as a tensor (PyTorch converts it): `t + a` is a Tensor of the promoted dtype.
  if (v instanceof NDArray) return tensorCopy(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof PyFloat) return Number.isInteger(v.value) || !Number.isFinite(v.value) ? wrapScalar(v.value, true) : v.value;
  return null;
}

/** An operand that must be a tensor after wrapping (for ops taking two tensors). */
export function toTensor(v: PyValue, what = 'argument'): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return wrapScalar(v);
  if (v instanceof PyFloat) return wrapScalar(v.value, true);
  throw typeError(`${what} must be Tensor, not ${pyTypeName(v)}`);
}

export function pyTypeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof Tensor) return 'Tensor';
  if (v instanceof PyObject) return v.typeName;
  return 'object';
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

export function tensorArg(fn: string, name: string, v: Arg): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fn}(): argument '${name}' (position 1) must be Tensor, not ${pyTypeName(v as PyValue)}`);
}

export function optTensorArg(fn: string, name: string, v: Arg): Tensor | null {
  if (v === MISSING || v === null) return null;
  if (v instanceof Tensor) return v;
  throw typeError(`${fn}(): argument '${name}' must be Tensor, not ${pyTypeName(v)}`);
}

export function intArg(fn: string, name: string, v: Arg): number {
  if (typeof v === 'number') return smallInt(v);
  if (typeof v === 'boolean') return +v;
  if (v instanceof Tensor && v.numel === 1 && (isIntegral(v.dtype) || v.dtype === 'bool')) return smallInt(v.data[0]);
  throw typeError(`${fn}(): argument '${name}' must be int, not ${pyTypeName(v as PyValue)}`);
}

// Note: an int the interpreter computed may reach here as a boxed double (V8's HeapNumber 2000.0, from optimized
// code that also saw floats, or read from an int64 tensor's Float64Array). Stored into a shape, it turns the array,
// and the allocation site that made it, into one of doubles; every array made there afterwards is one too, so
// shapes throughout the engine carry doubles, and the kernels that index with them deoptimize ("not a Smi") and
// come back computing indices in floating point: ResNet-18's forward took 60-77 ms after the tutorial's loop had
// run through the language, against 43-48 ms before. `v | 0` gives V8 the integer back as an integer.
/** An int as V8's small integer where it is one (|v| < 2^31), else as it is. */
export function smallInt(v: number): number {
  return (v | 0) === v ? v | 0 : v;
}

export function numArg(fn: string, name: string, v: Arg): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return +v;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Tensor && v.numel === 1) return v.data[0];
  throw typeError(`${fn}(): argument '${name}' must be Number, not ${pyTypeName(v as PyValue)}`);
}

export function optNumArg(fn: string, name: string, v: Arg): number | null {
  return v === MISSING || v === null ? null : numArg(fn, name, v);
}

export function boolArg(fn: string, name: string, v: Arg): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw typeError(`${fn}(): argument '${name}' must be bool, not ${pyTypeName(v as PyValue)}`);
}

export function strArg(fn: string, name: string, v: Arg): string {
  if (typeof v === 'string') return v;
  throw typeError(`${fn}(): argument '${name}' must be str, not ${pyTypeName(v as PyValue)}`);
}

export function dtypeArg(fn: string, v: Arg): DType | undefined {
  if (v === MISSING || v === null) return undefined;
  if (v instanceof TorchDType) return v.dtype;
  throw typeError(`${fn}(): argument 'dtype' must be torch.dtype, not ${pyTypeName(v)}`);
}

/** An int or a sequence of ints (kernel sizes, strides, padding). */
export function intsArg(fn: string, name: string, v: Arg): number | number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intArg(fn, name, x));
  return intArg(fn, name, v);
}

/** dim: None, an int, or a tuple/list of ints. */
export function dimsArg(fn: string, v: Arg): number | number[] | null {
  if (v === MISSING || v === null) return null;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intArg(fn, 'dim', x));
  return intArg(fn, 'dim', v);
}

/** An int as PyTorch's argument parser takes one for a size: a Python int or bool, or a one-element integer tensor. */
const intLike = (x: PyValue): boolean =>
  typeof x === 'number' || typeof x === 'boolean' || (x instanceof Tensor && x.numel === 1 && (isIntegral(x.dtype) || x.dtype === 'bool'));

export interface ShapeArgOptions {
  /** The parameter's name in PyTorch's signature: 'size' (default), 'shape' (reshape), 'dims' (permute). */
  name?: string;
  /** PyTorch declares it int[] (rand, randn, permute) rather than SymInt[]. */
  ints?: boolean;
  /** Its position among the positional arguments (torch.reshape(x, shape): 2). */
  position?: number;
}

/**
 * A size given as `*size` (ones(2, 3)) or one sequence (ones((2, 3))), with the errors of PyTorch's argument
 * parser: "ones(): argument 'size' (position 1) must be tuple of SymInts, not float", "... but found element
 * of type float at pos 2".
 */
export function shapeArg(fn: string, size: PyTuple, o: ShapeArgOptions = {}): number[] {
  const name = o.name ?? 'size';
  const kind = o.ints ? 'ints' : 'SymInts';
  let items = size.items;
  // A bad first item fails the whole argument ("not float", or for a sequence "not tuple"), a later one its element.
  const notTuple = (v: PyValue) => typeError(`${fn}(): argument '${name}' (position ${o.position ?? 1}) must be tuple of ${kind}, not ${pyTypeName(v)}`);
  if (items.length === 1 && (items[0] instanceof PyTuple || items[0] instanceof PyList)) {
    const seq = items[0];
    items = seq.items;
    if (items.length >= 1 && !intLike(items[0])) throw notTuple(seq);
  } else if (items.length >= 1 && !intLike(items[0])) throw notTuple(items[0]);
  return items.map((x, i) => {
    if (!intLike(x)) throw typeError(`${fn}(): argument '${name}' must be tuple of ${kind}, but found element of type ${pyTypeName(x)} at pos ${i + 1}`);
    return intArg(fn, name, x);
  });
}

/** torch.tensor's data: nested lists/tuples of Python numbers (or one-element tensors). */
export function nestedData(v: PyValue): NestedData | Tensor {
  if (v instanceof Tensor) return v;
  if (v instanceof NDArray) return rawTensor(v);
  // A numpy scalar keeps its dtype: torch.tensor(np.float64(2.5)) is float64.
  if (v instanceof PyFloatSubclass && 'dtype' in v) return rawTensor(fromStorage(Float64Array.of(v.value), [], (v as unknown as { dtype: DType }).dtype));
  const walk = (x: PyValue): NestedData => {
    if (typeof x === 'number' || typeof x === 'boolean') return x;
    if (x instanceof PyFloat) return { float: x.value };
    if (x instanceof PyList || x instanceof PyTuple) return x.items.map(walk);
    if (x instanceof Tensor) {
      if (x.numel !== 1) throw new PyError('ValueError', 'only one element tensors can be converted to Python scalars');
      const d = x.data[0];
      return x.dtype === 'bool' ? d !== 0 : isIntegral(x.dtype) ? d : { float: d };
    }
    if (typeof x === 'string') throw typeError("new(): invalid data type 'str'");
    throw new PyError('RuntimeError', `Could not infer dtype of ${pyTypeName(x)}`);
  };
  return walk(v);
}

/** A number from a tensor element, as Python sees it (.item(), .tolist()). */
export function scalarOf(t: Tensor, v: number): PyValue {
  if (t.dtype === 'bool') return v !== 0;
  if (isIntegral(t.dtype)) return v;
  return new PyFloat(v);
}

// ---- declarative bindings ------------------------------------------------------------------------

export type BoundFn = (a: Arg[]) => PyValue;

/** A function bound by signature: the body receives one value per parameter (MISSING when absent). */
export function def(name: string, spec: string, body: BoundFn, cpp = false): PyBuiltin {
  const sig = signature(name, spec);
  sig.cpp = cpp;
  if (!cpp) return new PyBuiltin(name, (args, kwargs) => body(bindArgs(sig, args, numpyAliases(sig, kwargs))));
  return new PyBuiltin(name, (args, kwargs) => {
    const bound = bindArgs(sig, args, numpyAliases(sig, kwargs));
    try {
      return body(bound);
    } catch (e) {
      throw parserTypeError(e, sig, args, kwargs, 0);
    }
  });
}

/** PyTorch's argument parser takes NumPy's names too: axis= for dim=, keepdims= for keepdim=. */
function numpyAliases(sig: Signature, kwargs: Kwargs): Kwargs {
  if (!kwargs || (!kwargs.has('axis') && !kwargs.has('keepdims'))) return kwargs;
  const out = new Map(kwargs);
  for (const [alias, name] of [['axis', 'dim'], ['keepdims', 'keepdim']] as const) {
    if (out.has(alias) && !out.has(name) && sig.params.includes(name) && !sig.params.includes(alias)) {
      out.set(name, out.get(alias)!);
      out.delete(alias);
    }
  }
  return out;
}

/** A function PyTorch implements in C++ (torch.mm, F.linear): its argument parser's wording for missing arguments. */
export const cppDef = (name: string, spec: string, body: BoundFn): PyBuiltin => def(name, spec, body, true);

/** A method: its signature omits self; the body gets self first. */
export interface MethodDef {
  sig: Signature;
  body: (self: Tensor, a: Arg[]) => PyValue;
}

export function method(name: string, spec: string, body: (self: Tensor, a: Arg[]) => PyValue): [string, MethodDef] {
  const sig = signature(name, spec);
  sig.cpp = true;
  return [name, { sig, body }];
}

export function callMethodDef(m: MethodDef, self: Tensor, args: PyValue[], kwargs: Kwargs): PyValue {
  const bound = bindArgs(m.sig, args, numpyAliases(m.sig, kwargs));
  try {
    return m.body(self, bound);
  } catch (e) {
    throw parserTypeError(e, m.sig, args, kwargs, 0);
  }
}

/** Functions PyTorch declares with several overloads: a bad argument matches none of them. */
const OVERLOADED = new Set([
  'sum', 'mean', 'max', 'min', 'std', 'var', 'transpose', 'softmax', 'log_softmax', 'squeeze', 'pow', 'clamp', 'cumsum',
  'arange', 'zeros', 'ones', 'rand', 'randn', 'empty', 'cat',
]);

/**
 * An argument of the wrong type, as PyTorch's argument parser words it: "sum() received an invalid combination of
 * arguments - got (dim=float, ), but expected one of:" for an overloaded function (its list of signatures is
 * left out), or "unsqueeze(): argument 'dim' (position 1) must be int, not float". `offset` counts the arguments
 * before `args` (none for a method).
 */
function parserTypeError(e: unknown, sig: Signature, args: PyValue[], kwargs: Kwargs, offset: number): unknown {
  if (!(e instanceof PyError) || e.type !== 'TypeError') return e;
  // (A message that already names the position is the parser's own: left as it is.)
  const m = new RegExp(`^${sig.name}\\(\\): argument '(\\w+)' must be `).exec(e.message);
  // A size's own messages ("must be tuple of SymInts") are the parser's already.
  if (!m || e.message.includes('must be tuple of')) return e;
  if (OVERLOADED.has(sig.name)) {
    const pos = args.map((a) => pyTypeName(a));
    const kw = [...(kwargs ?? new Map()).entries()].reverse().map(([k, v]) => `${k}=${pyTypeName(v)}`);
    const got = pos.length ? [...pos, ...kw].join(', ') : kw.map((k) => `${k}, `).join('');
    return typeError(`${sig.name}() received an invalid combination of arguments - got (${got}), but expected one of:`);
  }
  const i = sig.params.indexOf(m[1]);
  if (i >= 0 && i < args.length && i !== sig.varargs) {
    return typeError(e.message.replace(`argument '${m[1]}' must be`, `argument '${m[1]}' (position ${i + 1 + offset}) must be`));
  }
  return e;
}

export function given(v: Arg): v is PyValue {
  return v !== MISSING;
}

export type { Runtime };

/** A list or tuple of tensors (torch.cat's, torch.stack's argument). */
export function tensorList(fn: string, v: Arg, rt: Runtime): Tensor[] {
  if (!(v instanceof PyList || v instanceof PyTuple) || v instanceof TorchSize) {
    throw typeError(`${fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not ${pyTypeName(v as PyValue)}`);
  }
  return rt.toArray(v).map((t, i) => {
    if (!(t instanceof Tensor)) throw typeError(`expected Tensor as element ${i} in argument 0, but got ${pyTypeName(t)}`);
    return t;
  });
}
