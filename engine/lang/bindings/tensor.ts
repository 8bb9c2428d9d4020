// Tensor as the language sees it: attributes, methods, operators, indexing, repr; grad_fn objects;
// torch.no_grad(). Methods and the torch.* functions share one table where PyTorch has both.
import * as E from '../../index';
import { usingGenerator } from './data';
import { announceThrough, refreshView, writeThrough } from '../../views';
import { ELEMENT_SIZE, Tensor } from '../../tensor';
import { engine, runtimeError } from '../../context';
import { setRequiresGrad } from '../../creation';
import { inplace, fillInplace, checkInplace, announceInplace, customFunctionViewError, isViewFromCustomFunction, LEAF_INPLACE_MESSAGE, VIEW_OF_LEAF_INPLACE_MESSAGE } from '../../ops/inplace';
import { addOp, subOp, mulOp, divOp, type Operand } from '../../ops/arith';
import { indexPutOp, indexPutRaw, toDtype, toDtypeRaw, canView, VIEW_STRIDE_MESSAGE, type IndexItem } from '../../ops/shape';
import { GradNode } from '../../autograd/node';
import { summarize } from '../../summary';
import * as init from '../../nn/init';
import { allocStorage, checkScalarFits, isIntegral, scalarTypeName, type DType } from '../../dtype';
import { fakeAddress } from '../classes';
import { PyError } from '../errors';
import { formatNumber, floatRepr } from '../format';
import {
  Ellipsis,
  NotImplemented,
  PyBoundMethod,
  PyBuiltin,
  PyCallable,
  PyFloat,
  PyList,
  PyRange,
  PySlice,
  PyTuple,
  type BinOp,
  type CmpOp,
  type HostType,
  type Kwargs,
  type NotImplementedT,
  type PyValue,
} from '../values';
import {
  DTYPES,
  MISSING,
  TorchDType,
  TorchSize,
  boolArg,
  callMethodDef,
  dimsArg,
  dtypeArg,
  given,
  intArg,
  intsArg,
  method,
  nestedData,
  numArg,
  optNumArg,
  optTensorArg,
  pyTypeName,
  scalarOf,
  memoryFormatArg,
  shapeArg,
  tensorArg,
  toOperand,
  toTensor,
  typeError,
  type Arg,
  type MethodDef,
} from './common';
import { tensorRepr } from './tensorRepr';
import { moreMethods, moreShared } from './moreTorch';
import { isParameter } from '../../nn/module';
import { NDArray } from '../numpy/ndarray';
import { arraySharing } from '../numpy/interop';

const indexPutAdvancedOp = { ...indexPutOp, gradFn: 'IndexPutBackward0' };
const fillWithOp = { ...indexPutOp, gradFn: 'FillBackward3' };
const copyIntoOp = { ...indexPutOp, gradFn: 'CopyBackwards' };

// ---- helpers -------------------------------------------------------------------------------------

const floating = (t: Tensor): boolean => t.dtype === 'float32' || t.dtype === 'float64';

export function item(t: Tensor): PyValue {
  if (t.numel !== 1) throw new PyError('ValueError', 'only one element tensors can be converted to Python scalars');
  return scalarOf(t, t.data[0]);
}

export function tolist(t: Tensor): PyValue {
  if (t.shape.length === 0) return scalarOf(t, t.data[0]);
  const walk = (dim: number, offset: number, stride: number): PyValue => {
    const size = t.shape[dim];
    const inner = stride / size;
    const out: PyValue[] = [];
    for (let i = 0; i < size; i++) {
      out.push(dim === t.shape.length - 1 ? scalarOf(t, t.data[offset + i]) : walk(dim + 1, offset + i * inner, inner));
    }
    return new PyList(out);
  };
  return walk(0, 0, t.numel);
}

/** Python index values -> the engine's basic index items. */
function indexItems(index: PyValue): IndexItem[] {
  const items = index instanceof PyTuple && !(index instanceof TorchSize) ? index.items : [index];
  return items.map((it): IndexItem => {
    if (typeof it === 'number') return it;
    if (typeof it === 'boolean') throw new PyError('IndexError', 'indexing a tensor with a bool is not supported in this playground');
    if (it === null) return null;
    if (it === Ellipsis) return 'ellipsis';
    if (it instanceof PySlice) {
      const n = (v: PyValue, what: string): number | null => (v === null ? null : intArg('slice', what, v));
      return { start: n(it.start, 'start'), stop: n(it.stop, 'stop'), step: n(it.step, 'step') };
    }
    if (it instanceof Tensor) return it;
    if (it instanceof PyList) return E.tensor(nestedData(it));
    if (it instanceof PyRange) return E.arange(it.start, it.stop, it.step);
    // PyTorch makes a tensor of any other value (x['0'] fails as torch.tensor('0') does).
    if (typeof it === 'string') throw typeError("new(): invalid data type 'str'");
    throw new PyError('IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got ' + pyTypeName(it) + ')');
  });
}

/** x.view(shape): PyTorch refuses a shape its strides cannot give (a transposed tensor flattened). */
function checkedView(x: Tensor, shape: number[]): Tensor {
  if (!canView(x, shape)) throw runtimeError(VIEW_STRIDE_MESSAGE);
  return E.view(x, shape);
}

function setItem(t: Tensor, index: PyValue, value: PyValue): void {
  const items = indexItems(index);
  if (engine.gradEnabled && t.isLeaf && t.requiresGrad) {
    // An int, slice or None first makes a view of t (then copies into it); tensor indices alone write t itself.
    const basic = items.some((it) => typeof it === 'number' || it === null || (typeof it === 'object' && !(it instanceof Tensor)));
    throw runtimeError(basic ? VIEW_OF_LEAF_INPLACE_MESSAGE : LEAF_INPLACE_MESSAGE);
  }
  const v = value instanceof Tensor ? value : toTensor(value, 'value');
  // A Python number written into an integer tensor must fit (x[0] = 300 fails for uint8; -1 is 255).
  if (!(value instanceof Tensor)) checkScalarFits(v.data[0], t.dtype);
  const advanced = items.some((i) => i instanceof Tensor && (i.ndim > 0 || i.dtype === 'bool'));
  // Basic items copy the value into a view (copy_ casts it); tensor indices are index_put_, which refuses
  // another dtype, except a lone mask with one value (masked_fill_). A Python number is cast either way.
  const maskFill = items.length === 1 && items[0] instanceof Tensor && items[0].dtype === 'bool' && v.ndim === 0;
  if (value instanceof Tensor && advanced && !maskFill && v.dtype !== t.dtype) {
    throw runtimeError(`Index put requires the source and destination dtypes match, got ${scalarTypeName(t.dtype)} for the destination and ${scalarTypeName(v.dtype)} for the source.`);
  }
  if (engine.gradEnabled && (t.requiresGrad || v.requiresGrad)) {
    // Part of a graph: recorded as PyTorch records it. Basic items (ints, slices, None) make a view of t that the
    // value is copied into: CopySlices. Only tensors and lists: index_put_ on t itself (IndexPutBackward0).
    // Nothing but `...`: t itself is filled (FillBackward3 for a single value) or copied into (CopyBackwards).
    const skipped = wholeSlices(t, items);
    const basic = items.some((i, k) => i !== 'ellipsis' && !skipped[k] && !(i instanceof Tensor && (i.ndim > 0 || i.dtype === 'bool')));
    const def = basic ? indexPutOp : advanced ? indexPutAdvancedOp : v.ndim === 0 ? fillWithOp : copyIntoOp;
    if (basic && t.requiresGrad && isViewFromCustomFunction(t)) {
      // PyTorch views t by the basic items first (the last one names the view), then copies into the view.
      const last = items.filter((i, k) => i !== 'ellipsis' && !skipped[k] && !(i instanceof Tensor)).pop();
      throw customFunctionViewError(typeof last === 'number' ? 'SelectBackward0' : last === null ? 'UnsqueezeBackward0' : 'SliceBackward0', 0);
    }
    // With tensor indices PyTorch first views the value without its leading 1s (slicePrefix1sSize): a value
    // of shape [1] put by a mask records a ViewBackward0.
    let put = castTo(v, t.dtype);
    const lead = put.shape.findIndex((s) => s !== 1);
    if (advanced && put.ndim > 0 && lead !== 0) put = E.view(put, lead < 0 ? [] : put.shape.slice(lead));
    inplace(t, def, [put], { items }, '[ ]=');
    return;
  }
  // A view written in part: its other elements fresh first, then all of them written through (../../views).
  if (t.viewOf) refreshView(t);
  indexPutRaw(t, items, toDtypeRaw(v, t.dtype));
  t.version.v++;
  const base = writeThrough(t);
  if (engine.events.active) {
    engine.events.emit({
      type: 'inplace', tensor: t.id, op: 'index_put_', label: '[ ]=', other: value instanceof Tensor ? value.id : null,
      recorded: false, version: t.version.v, value: summarize(t), pos: engine.pos,
    });
  }
  announceThrough(base);
}

/**
 * Per item: a slice PyTorch's applySlice skips, writing t itself rather than a view of it: start 0, stop exactly
 * the dim's length and step 1, as written (y[0:3, [1]] = v on 3 rows is index_put_ on y; y[:, [1]] = v views y).
 */
function wholeSlices(t: Tensor, items: IndexItem[]): boolean[] {
  const consumes = (it: IndexItem): number => (it === null || it === 'ellipsis' ? 0 : it instanceof Tensor && it.dtype === 'bool' ? Math.max(it.ndim, 1) : 1);
  const used = items.reduce<number>((n, it) => n + consumes(it), 0);
  let dim = 0;
  return items.map((it) => {
    if (it === 'ellipsis') {
      dim += Math.max(t.ndim - used, 0);
      return false;
    }
    const at = dim;
    dim += consumes(it);
    if (it === null || typeof it !== 'object' || it instanceof Tensor) return false;
    return (it.start ?? 0) === 0 && it.stop === t.shape[at] && (it.step ?? 1) === 1;
  });
}

function setGrad(t: Tensor, value: PyValue): void {
  if (value === null) t.grad = null;
  else if (value instanceof Tensor) {
    if (value.shape.length !== t.shape.length || value.shape.some((s, i) => s !== t.shape[i])) {
      throw runtimeError('assigned grad has data of a different size');
    }
    if (value.dtype !== t.dtype) throw runtimeError('assigned grad has data of a different type');
    t.grad = value;
  } else throw typeError(`assigned grad expected to be a Tensor or None but got grad of type ${pyTypeName(value)}`);
  if (engine.events.active) engine.events.emit({ type: 'grad-set', tensor: t.id, grad: t.grad ? summarize(t.grad) : null, pos: engine.pos });
}

function retainGrad(t: Tensor): void {
  if (!t.requiresGrad) throw runtimeError("can't retain_grad on Tensor that has requires_grad=False");
  if (t.isLeaf || t.retainsGrad) return;
  t.retainsGrad = true;
  E.retainGradHook(t);
}

function sizeOf(t: Tensor, dim: Arg): PyValue {
  if (!given(dim) || dim === null) return new TorchSize(t.shape.slice());
  const d = E.normalizeDim(intArg('size', 'dim', dim), t.ndim);
  return t.shape[d];
}

function reductionDims(fn: string, dim: Arg): number | number[] | null {
  return dimsArg(fn, dim);
}

function sumLike(op: 'sum' | 'mean', x: Tensor, dim: Arg, keepdim: Arg, dtype: Arg): Tensor {
  refuseNamedDim(x, dim);
  let src = x;
  const dt = dtypeArg(op, dtype);
  if (dt) src = toDtype(x, dt);
  else if (op === 'mean' && !floating(x)) {
    throw runtimeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(x.dtype)}`);
  }
  const dims = reductionDims(op, dim);
  const kd = given(keepdim) ? boolArg(op, 'keepdim', keepdim) : false;
  // sum(dtype=) of a narrower integer: summed as int64, then wrapped into it (mod 2^k either way).
  if (op === 'sum' && dt && dt !== 'int64' && isIntegral(dt)) return castTo(E.sum(toDtype(src, 'int64'), dims, kd), dt);
  return op === 'sum' ? E.sum(src, dims, kd) : E.mean(src, dims, kd);
}

/**
 * A dimension given by name (x.sum('x')): PyTorch looks it up among the tensor's dim names, which are all None
 * here (no named tensors), and fails with its words.
 */
function refuseNamedDim(x: Tensor, dim: Arg): void {
  if (typeof dim === 'string') throw runtimeError(`Name '${dim}' not found in Tensor[${x.shape.map(() => 'None').join(', ')}].`);
}

function extreme(name: 'max' | 'min', x: Tensor, dim: Arg, keepdim: Arg): PyValue {
  refuseNamedDim(x, dim);
  if (!given(dim) || dim === null) {
    if (given(dim) && dim === null) throw typeError(`${name}() received an invalid combination of arguments - got (dim=None)`);
    return name === 'max' ? E.max(x) : E.min(x);
  }
  if (dim instanceof Tensor) return name === 'max' ? E.maximum(x, dim) : E.minimum(x, dim);
  const kd = given(keepdim) ? boolArg(name, 'keepdim', keepdim) : false;
  const d = intArg(name, 'dim', dim);
  const [values, indices] = name === 'max' ? E.max(x, d, kd) : E.min(x, d, kd);
  return new ReturnTypes(name, values, indices);
}

/** torch.return_types.max(values=..., indices=...): a tuple with named fields. */
export class ReturnTypes extends PyTuple {
  constructor(
    readonly fnName: string,
    readonly values: Tensor,
    readonly indices: Tensor,
  ) {
    super([values, indices]);
  }
  override get typeName(): string {
    return this.fnName;
  }
  override customRepr(): string {
    return `torch.return_types.${this.fnName}(\nvalues=${reprOf(this.values)},\nindices=${reprOf(this.indices)})`;
  }
  override pyGetattr(name: string): PyValue | undefined {
    if (name === 'values') return this.values;
    if (name === 'indices') return this.indices;
    return super.pyGetattr(name);
  }
}

function normOf(x: Tensor, p: Arg, dim: Arg, keepdim: Arg): Tensor {
  let pv = 2;
  if (given(p) && p !== null) {
    if (typeof p === 'string') {
      if (p !== 'fro') throw runtimeError(`norm(): unsupported norm type ${p}`);
    } else pv = numArg('norm', 'p', p);
  }
  const dims = dimsArg('norm', dim);
  const kd = given(keepdim) ? boolArg('norm', 'keepdim', keepdim) : false;
  // The Frobenius norm over two dims is frobenius_norm in PyTorch 1.13: sqrt(sum(x * x, dims)).
  if ((!given(p) || p === null || p === 'fro') && Array.isArray(dims) && dims.length === 2) {
    return E.sqrt(E.sum(E.mul(x, x), dims, kd));
  }
  return E.norm(x, pv, dims, kd);
}

function softmaxDim(fn: string, x: Tensor, dim: Arg): number {
  if (given(dim) && dim !== null) return intArg(fn, 'dim', dim);
  // PyTorch's implicit-dim rule (with a deprecation warning): 0 for 0-, 1- and 3-D input, else 1.
  return x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1;
}

function withDtype(fn: string, x: Tensor, dtype: Arg): Tensor {
  const dt = given(dtype) ? dtypeArg(fn, dtype) : undefined;
  return dt ? castTo(x, dt) : x;
}

function castTo(x: Tensor, d: DType): Tensor {
  return x.dtype === d ? x : toDtype(x, d);
}

function pow(a: Tensor, e: Arg): Tensor {
  const op = toOperand(e as PyValue);
  if (op === null) throw typeError(`pow(): argument 'exponent' must be Number or Tensor, not ${pyTypeName(e as PyValue)}`);
  return E.pow(a, op);
}

function binaryFn(name: string, f: (a: Operand, b: Operand) => Tensor): (a: Arg[]) => Tensor {
  return ([x, y]) => {
    const a = toOperand(x as PyValue);
    const b = toOperand(y as PyValue);
    if (a === null || b === null) {
      throw typeError(`${name}(): argument '${a === null ? 'input' : 'other'}' must be Tensor or Number, not ${pyTypeName((a === null ? x : y) as PyValue)}`);
    }
    if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw typeError(`${name}(): argument 'input' (position 1) must be Tensor, not ${pyTypeName(x as PyValue)}`);
    return f(a, b);
  };
}

/** div(a, b, rounding_mode=None | 'floor' | 'trunc'). */
function divWithMode(name: string): (a: Arg[]) => Tensor {
  const plain = binaryFn(name, E.div);
  return ([x, y, mode]) => {
    if (!given(mode) || mode === null) return plain([x, y]);
    if (mode !== 'floor' && mode !== 'trunc') {
      throw runtimeError(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${typeof mode === 'string' ? mode : pyTypeName(mode as PyValue)}'`);
    }
    return binaryFn(name, (a, b) => E.divRounding(a, b, mode))([x, y]);
  };
}

function withAlpha(name: 'add' | 'sub'): (a: Arg[]) => Tensor {
  return ([x, y, alpha]) => {
    const a = toOperand(x as PyValue);
    const b = toOperand(y as PyValue);
    if (a === null || b === null) throw typeError(`argument 'other' must be Tensor or Number, not ${pyTypeName(y as PyValue)}`);
    // One op with alpha, as PyTorch records add(a, b, alpha=k): AddBackward0 (SubBackward0) on a and b.
    const k = given(alpha) && alpha !== 1 ? numArg(name, 'alpha', alpha) : 1;
    return name === 'add' ? E.addScaled(a, b, k) : E.subScaled(a, b, k);
  };
}

/** ~x of a bool or integer tensor: not, or -x - 1 (two's complement). */
const invert = (t: Tensor): Tensor => (t.dtype === 'bool' ? E.logicalNot(t) : E.sub(E.neg(t), 1));

// ---- the shared function table: name -> (spec with the tensor first, body) ---------------------

type Body = (a: Arg[]) => PyValue;
interface Shared {
  spec: string;
  body: Body;
}

const unaryOps: Record<string, (t: Tensor) => Tensor> = {
  exp: E.exp, log: E.log, sqrt: E.sqrt, rsqrt: E.rsqrt, sin: E.sin, cos: E.cos, tanh: E.tanh, sigmoid: E.sigmoid,
  relu: E.relu, abs: E.abs, neg: E.neg, negative: E.neg, reciprocal: E.reciprocal, log1p: E.log1p, expm1: E.expm1,
  square: E.square, sign: E.sign, floor: E.floor, ceil: E.ceil, round: E.round, logical_not: E.logicalNot,
};

export const SHARED: Record<string, Shared> = {};
for (const [name, f] of Object.entries(unaryOps)) {
  SHARED[name] = { spec: 'input', body: ([x]) => f(tensorArg(name, 'input', x)) };
}
Object.assign(SHARED, {
  add: { spec: 'input, other, *, alpha=1', body: withAlpha('add') },
  sub: { spec: 'input, other, *, alpha=1', body: withAlpha('sub') },
  subtract: { spec: 'input, other, *, alpha=1', body: withAlpha('sub') },
  mul: { spec: 'input, other', body: binaryFn('mul', E.mul) },
  bitwise_and: { spec: 'input, other', body: binaryFn('bitwise_and', E.bitwiseAnd) },
  bitwise_or: { spec: 'input, other', body: binaryFn('bitwise_or', E.bitwiseOr) },
  bitwise_xor: { spec: 'input, other', body: binaryFn('bitwise_xor', E.bitwiseXor) },
  bitwise_not: {
    spec: 'input',
    body: ([x]) => {
      const t = tensorArg('bitwise_not', 'input', x);
      if (t.dtype !== 'bool' && !isIntegral(t.dtype)) throw runtimeError(`"bitwise_not_cpu" not implemented for '${scalarTypeName(t.dtype)}'`);
      return invert(t);
    },
  },
  multiply: { spec: 'input, other', body: binaryFn('mul', E.mul) },
  div: { spec: 'input, other, *, rounding_mode=None', body: divWithMode('div') },
  divide: { spec: 'input, other, *, rounding_mode=None', body: divWithMode('divide') },
  true_divide: { spec: 'input, other', body: binaryFn('true_divide', E.div) },
  floor_divide: { spec: 'input, other', body: binaryFn('floor_divide', E.floorDivide) },
  remainder: { spec: 'input, other', body: binaryFn('remainder', E.remainder) },
  pow: {
    spec: 'input, exponent',
    body: ([x, e]) => {
      // torch.pow(number, tensor): PyTorch's (Number self, Tensor exponent) overload.
      if ((typeof x === 'number' || typeof x === 'boolean' || x instanceof PyFloat) && e instanceof Tensor) {
        return E.powScalarBase(x instanceof PyFloat ? x.value : +x, e, x instanceof PyFloat);
      }
      return pow(tensorArg('pow', 'input', x), e);
    },
  },
  eq: { spec: 'input, other', body: binaryFn('eq', E.eq) },
  ne: { spec: 'input, other', body: binaryFn('ne', E.ne) },
  lt: { spec: 'input, other', body: binaryFn('lt', E.lt) },
  le: { spec: 'input, other', body: binaryFn('le', E.le) },
  gt: { spec: 'input, other', body: binaryFn('gt', E.gt) },
  ge: { spec: 'input, other', body: binaryFn('ge', E.ge) },
  maximum: { spec: 'input, other', body: ([a, b]) => E.maximum(tensorArg('maximum', 'input', a), tensorArg('maximum', 'other', b)) },
  minimum: { spec: 'input, other', body: ([a, b]) => E.minimum(tensorArg('minimum', 'input', a), tensorArg('minimum', 'other', b)) },
  matmul: { spec: 'input, other', body: ([a, b]) => E.matmul(tensorArg('matmul', 'input', a), tensorArg('matmul', 'other', b)) },
  mm: { spec: 'input, mat2', body: ([a, b]) => E.mm(tensorArg('mm', 'input', a), tensorArg('mm', 'mat2', b)) },
  bmm: { spec: 'input, mat2', body: ([a, b]) => E.bmm(tensorArg('bmm', 'input', a), tensorArg('bmm', 'mat2', b)) },
  baddbmm: {
    spec: 'input, batch1, batch2, *, beta=1, alpha=1',
    body: ([x, a, b, beta, alpha]) => E.baddbmm(tensorArg('baddbmm', 'input', x), tensorArg('baddbmm', 'batch1', a), tensorArg('baddbmm', 'batch2', b), numArg('baddbmm', 'beta', beta), numArg('baddbmm', 'alpha', alpha)),
  },
  mv: { spec: 'input, vec', body: ([a, b]) => E.mv(tensorArg('mv', 'input', a), tensorArg('mv', 'vec', b)) },
  dot: { spec: 'input, other', body: ([a, b]) => E.dot(tensorArg('dot', 'input', a), tensorArg('dot', 'other', b)) },
  sum: { spec: 'input, dim=None, keepdim=False, *, dtype=None', body: ([x, d, k, t]) => sumLike('sum', tensorArg('sum', 'input', x), d, k, t) },
  mean: { spec: 'input, dim=None, keepdim=False, *, dtype=None', body: ([x, d, k, t]) => sumLike('mean', tensorArg('mean', 'input', x), d, k, t) },
  max: { spec: 'input, dim=?, keepdim=False', body: ([x, d, k]) => extreme('max', tensorArg('max', 'input', x), d, k) },
  min: { spec: 'input, dim=?, keepdim=False', body: ([x, d, k]) => extreme('min', tensorArg('min', 'input', x), d, k) },
  argmax: {
    spec: 'input, dim=None, keepdim=False',
    body: ([x, d, k]) => E.argmax(tensorArg('argmax', 'input', x), d === null ? null : intArg('argmax', 'dim', d), boolArg('argmax', 'keepdim', k)),
  },
  argmin: {
    spec: 'input, dim=None, keepdim=False',
    body: ([x, d, k]) => E.argmin(tensorArg('argmin', 'input', x), d === null ? null : intArg('argmin', 'dim', d), boolArg('argmin', 'keepdim', k)),
  },
  norm: { spec: 'input, p="fro", dim=None, keepdim=False, dtype=None', body: ([x, p, d, k]) => normOf(tensorArg('norm', 'input', x), p, d, k) },
  flatten: {
    spec: 'input, start_dim=0, end_dim=-1',
    body: ([x, s, e]) => E.flatten(tensorArg('flatten', 'input', x), intArg('flatten', 'start_dim', s), intArg('flatten', 'end_dim', e)),
  },
  unsqueeze: { spec: 'input, dim', body: ([x, d]) => E.unsqueeze(tensorArg('unsqueeze', 'input', x), intArg('unsqueeze', 'dim', d)) },
  squeeze: {
    spec: 'input, dim=?',
    body: ([x, d]) => E.squeeze(tensorArg('squeeze', 'input', x), given(d) && d !== null ? intArg('squeeze', 'dim', d) : undefined),
  },
  transpose: {
    spec: 'input, dim0, dim1',
    body: ([x, a, b]) => E.transpose(tensorArg('transpose', 'input', x), intArg('transpose', 'dim0', a), intArg('transpose', 'dim1', b)),
  },
  swapaxes: {
    spec: 'input, axis0, axis1',
    body: ([x, a, b]) => E.transpose(tensorArg('swapaxes', 'input', x), intArg('swapaxes', 'axis0', a), intArg('swapaxes', 'axis1', b)),
  },
  t: { spec: 'input', body: ([x]) => E.t(tensorArg('t', 'input', x)) },
  clone: { spec: 'input, *, memory_format=None', body: ([x, mf]) => E.clone(tensorArg('clone', 'input', x), memoryFormatArg('clone', mf as PyValue)) },
  detach: { spec: 'input', body: ([x]) => E.detach(tensorArg('detach', 'input', x)) },
  // dtype=: the input is cast first (ToCopyBackward0 under the softmax), as PyTorch does.
  softmax: {
    spec: 'input, dim=None, dtype=None',
    body: ([x, d, t]) => {
      const src = withDtype('softmax', tensorArg('softmax', 'input', x), t);
      refuseNamedDim(src, d);
      return E.softmax(src, softmaxDim('softmax', src, d));
    },
  },
  log_softmax: {
    spec: 'input, dim=None, dtype=None',
    body: ([x, d, t]) => {
      const src = withDtype('log_softmax', tensorArg('log_softmax', 'input', x), t);
      return E.logSoftmax(src, softmaxDim('log_softmax', src, d));
    },
  },
  clamp: {
    spec: 'input, min=None, max=None',
    body: ([x, lo, hi]) => {
      const mn = optNumArg('clamp', 'min', lo);
      const mx = optNumArg('clamp', 'max', hi);
      if (mn === null && mx === null) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
      const t = tensorArg('clamp', 'input', x);
      for (const b of [mn, mx]) if (b !== null) checkScalarFits(b, t.dtype);
      return E.clamp(t, mn, mx);
    },
  },
  clip: {
    spec: 'input, min=None, max=None',
    body: ([x, lo, hi]) => E.clamp(tensorArg('clip', 'input', x), optNumArg('clip', 'min', lo), optNumArg('clip', 'max', hi)),
  },
  masked_fill: {
    spec: 'input, mask, value',
    body: ([x, m, v]) => E.maskedFill(tensorArg('masked_fill', 'input', x), tensorArg('masked_fill', 'mask', m), numArg('masked_fill', 'value', v)),
  },
  all: {
    spec: 'input, dim=None, keepdim=False',
    body: ([x, d, k]) => E.all(tensorArg('all', 'input', x), d === null ? null : intArg('all', 'dim', d), boolArg('all', 'keepdim', k)),
  },
  any: {
    spec: 'input, dim=None, keepdim=False',
    body: ([x, d, k]) => E.any(tensorArg('any', 'input', x), d === null ? null : intArg('any', 'dim', d), boolArg('any', 'keepdim', k)),
  },
  var: {
    spec: 'input, dim=None, unbiased=True, keepdim=False',
    body: ([x, d, u, k]) => {
      const t = tensorArg('var', 'input', x);
      refuseNamedDim(t, d);
      return E.variance(t, dimsArg('var', d), boolArg('var', 'unbiased', u), boolArg('var', 'keepdim', k));
    },
  },
  std: {
    spec: 'input, dim=None, unbiased=True, keepdim=False',
    body: ([x, d, u, k]) => {
      const t = tensorArg('std', 'input', x);
      refuseNamedDim(t, d);
      return E.std(t, dimsArg('std', d), boolArg('std', 'unbiased', u), boolArg('std', 'keepdim', k));
    },
  },
  cumsum: {
    spec: 'input, dim, *, dtype=None',
    body: ([x, d, t]) => {
      const dt = dtypeArg('cumsum', t);
      const src = tensorArg('cumsum', 'input', x);
      return E.cumsum(dt ? castTo(src, dt) : src, intArg('cumsum', 'dim', d));
    },
  },
  numel: { spec: 'input', body: ([x]) => tensorArg('numel', 'input', x).numel },
  dim: { spec: 'input', body: ([x]) => tensorArg('dim', 'input', x).ndim },
} satisfies Record<string, Shared>);

// More shared ops (engine/ops/more.ts), found missing by golden/gen/fuzz.py.
const moreUnary: Record<string, (t: Tensor) => Tensor> = {
  erf: E.erfT, atan: E.atan, arctan: E.atan, asin: E.asin, arcsin: E.asin, acos: E.acos, arccos: E.acos, sinh: E.sinh,
  cosh: E.cosh, log2: E.log2, log10: E.log10, exp2: E.exp2, trunc: E.trunc, fix: E.trunc, frac: E.frac,
  absolute: E.abs, positive: (t) => t, sgn: E.sgn, fliplr: (t) => E.flip(t, [1]), flipud: (t) => E.flip(t, [0]),
};
for (const [name, f] of Object.entries(moreUnary)) SHARED[name] = { spec: 'input', body: ([x]) => f(tensorArg(name, 'input', x)) };
SHARED.diagonal = {
  spec: 'input, offset=0, dim1=0, dim2=1',
  body: ([x, o, d1, d2]) => E.diagonal(tensorArg('diagonal', 'input', x), intArg('diagonal', 'offset', o), intArg('diagonal', 'dim1', d1), intArg('diagonal', 'dim2', d2)),
};
const splitSizes = (fn: string, x: Tensor, size: Arg, dim: number, chunks: boolean): number[] => {
  const n = x.shape[dim];
  if (chunks) {
    const k = intArg(fn, 'chunks', size);
    if (k <= 0) throw runtimeError('chunk expects `chunks` to be greater than 0, got: ' + k);
    const step = Math.ceil(n / k);
    const out: number[] = [];
    for (let s = 0; s < n; s += step) out.push(Math.min(step, n - s));
    return out.length ? out : [0];
  }
  if (size instanceof PyList || size instanceof PyTuple) {
    const sizes = size.items.map((v) => intArg(fn, 'split_size', v));
    if (sizes.some((v) => v < 0)) throw runtimeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[${sizes.join(', ')}]`);
    if (sizes.reduce((a, b) => a + b, 0) !== n) {
      throw runtimeError(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${dim}), but got split_sizes=[${sizes.join(', ')}]`);
    }
    return sizes;
  }
  const step = intArg(fn, 'split_size', size);
  if (step < 0) throw runtimeError(`split expects split_size be non-negative, but got split_size=${step}`);
  if (step === 0 && n !== 0) throw runtimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
  const out: number[] = [];
  for (let s = 0; s < n; s += step) out.push(Math.min(step, n - s));
  return out.length ? out : [0];
};
/**
 * split/chunk: the pieces, outputs of one SplitBackward0 (SplitWithSizesBackward0 for a list of sizes), as PyTorch
 * records them; unsafe_split/unsafe_chunk's of one UnsafeSplitBackward0 (UnsafeSplitWithSizesBackward0).
 */
function splitInto(fn: string, x: Tensor, size: Arg, dimArg: Arg, chunks: boolean, unsafe = false): PyTuple {
  const d = E.normalizeDim(intArg(fn, 'dim', dimArg), Math.max(x.ndim, 1));
  const withSizes = size instanceof PyList || size instanceof PyTuple;
  return new PyTuple(E.splitPieces(x, d, splitSizes(fn, x, size, d, chunks), withSizes, unsafe));
}
/** x.normal_() / x.uniform_(): PyTorch's in-place rules, the fill, an inplace event. Floating tensors only. */
function randomFill(self: Tensor, op: string, fill: () => void): Tensor {
  checkInplace(self);
  if (self.dtype !== 'float32' && self.dtype !== 'float64') {
    throw runtimeError(`"${op === 'normal_' ? 'normal_kernel_cpu' : 'check_uniform_bounds'}" not implemented for '${scalarTypeName(self.dtype)}'`);
  }
  fill();
  announceInplace(self, op);
  return self;
}

function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = E.normalizeDim(dim, Math.max(x.ndim, 1));
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (s < 0 || s > n) throw new PyError('IndexError', `start out of range (expected to be in range of [${-n}, ${n}], but got ${start})`);
  if (s + length > n) throw runtimeError(`start (${s}) + length (${length}) exceeds dimension size (${n}).`);
  return E.sliceDim(x, d, s, s + length);
}
function selectDim(x: Tensor, dim: number, i: number): Tensor {
  const d = E.normalizeDim(dim, Math.max(x.ndim, 1));
  const n = x.shape[d];
  if (i < -n || i >= n) throw new PyError('IndexError', `select(): index ${i} out of range for tensor of size [${x.shape.join(', ')}] at dimension ${dim}`);
  return E.selectDim(x, d, i < 0 ? i + n : i);
}
const reduceDims = (fn: string, x: Tensor, dim: Arg): number | number[] | null => {
  const d = dimsArg(fn, dim);
  return Array.isArray(d) && d.length === 0 ? null : d;
};
const sortResult = (fn: string, [values, indices]: [Tensor, Tensor]): PyValue => new ReturnTypes(fn, values, indices);
Object.assign(SHARED, {
  prod: {
    spec: 'input, dim=None, keepdim=False, *, dtype=None',
    body: ([x, d, k, t]) => {
      const dt = dtypeArg('prod', t);
      let src = tensorArg('prod', 'input', x);
      if (dt) src = castTo(src, dt);
      // A product of bools or int32s is int64, as PyTorch's.
      else if (src.dtype === 'bool' || (isIntegral(src.dtype) && src.dtype !== 'int64')) src = castTo(src, 'int64');
      return E.prod(src, d === null ? null : intArg('prod', 'dim', d), boolArg('prod', 'keepdim', k));
    },
  },
  amax: { spec: 'input, dim=None, keepdim=False', body: ([x, d, k]) => E.amax(tensorArg('amax', 'input', x), reduceDims('amax', tensorArg('amax', 'input', x), d), boolArg('amax', 'keepdim', k)) },
  amin: { spec: 'input, dim=None, keepdim=False', body: ([x, d, k]) => E.amin(tensorArg('amin', 'input', x), reduceDims('amin', tensorArg('amin', 'input', x), d), boolArg('amin', 'keepdim', k)) },
  logsumexp: {
    spec: 'input, dim, keepdim=False',
    body: ([x, d, k]) => E.logsumexp(tensorArg('logsumexp', 'input', x), dimsArg('logsumexp', d) ?? [], boolArg('logsumexp', 'keepdim', k)),
  },
  cumprod: {
    spec: 'input, dim, *, dtype=None',
    body: ([x, d, t]) => {
      const dt = dtypeArg('cumprod', t);
      const src = tensorArg('cumprod', 'input', x);
      return E.cumprod(dt ? castTo(src, dt) : src, intArg('cumprod', 'dim', d));
    },
  },
  atan2: { spec: 'input, other', body: ([a, b]) => E.atan2(tensorArg('atan2', 'input', a), tensorArg('atan2', 'other', b)) },
  arctan2: { spec: 'input, other', body: ([a, b]) => E.atan2(tensorArg('arctan2', 'input', a), tensorArg('arctan2', 'other', b)) },
  hypot: { spec: 'input, other', body: ([a, b]) => E.hypot(tensorArg('hypot', 'input', a), tensorArg('hypot', 'other', b)) },
  xlogy: { spec: 'input, other', body: ([a, b]) => E.xlogy(toTensor(a as PyValue, 'input'), toTensor(b as PyValue, 'other')) },
  nan_to_num: {
    spec: 'input, nan=0.0, posinf=None, neginf=None',
    body: ([x, n, p, q]) => E.nanToNum(tensorArg('nan_to_num', 'input', x), numArg('nan_to_num', 'nan', n), optNumArg('nan_to_num', 'posinf', p), optNumArg('nan_to_num', 'neginf', q)),
  },
  tril: { spec: 'input, diagonal=0', body: ([x, d]) => E.tril(tensorArg('tril', 'input', x), intArg('tril', 'diagonal', d)) },
  triu: { spec: 'input, diagonal=0', body: ([x, d]) => E.triu(tensorArg('triu', 'input', x), intArg('triu', 'diagonal', d)) },
  roll: {
    spec: 'input, shifts, dims=None',
    body: ([x, sh, d]) => {
      const shifts = intsArg('roll', 'shifts', sh);
      const dims = dimsArg('roll', d);
      return E.roll(tensorArg('roll', 'input', x), Array.isArray(shifts) ? shifts : [shifts], dims === null ? null : Array.isArray(dims) ? dims : [dims]);
    },
  },
  index_select: {
    spec: 'input, dim, index',
    body: ([x, d, i]) => E.indexSelect(tensorArg('index_select', 'input', x), intArg('index_select', 'dim', d), tensorArg('index_select', 'index', i)),
  },
  gather: {
    spec: 'input, dim, index, *, sparse_grad=False',
    body: ([x, d, i]) => E.gather(tensorArg('gather', 'input', x), intArg('gather', 'dim', d), tensorArg('gather', 'index', i)),
  },
  masked_select: { spec: 'input, mask', body: ([x, m]) => E.maskedSelect(tensorArg('masked_select', 'input', x), tensorArg('masked_select', 'mask', m)) },
  sort: {
    spec: 'input, dim=-1, descending=False, stable=False',
    body: ([x, d, desc]) => sortResult('sort', E.sort(tensorArg('sort', 'input', x), intArg('sort', 'dim', d), boolArg('sort', 'descending', desc))),
  },
  argsort: {
    spec: 'input, dim=-1, descending=False, stable=False',
    body: ([x, d, desc]) => E.withoutGrad(() => E.sort(tensorArg('argsort', 'input', x), intArg('argsort', 'dim', d), boolArg('argsort', 'descending', desc))[1]),
  },
  topk: {
    spec: 'input, k, dim=-1, largest=True, sorted=True',
    body: ([x, k, d, l, srt]) => sortResult('topk', E.topk(tensorArg('topk', 'input', x), intArg('topk', 'k', k), intArg('topk', 'dim', d), boolArg('topk', 'largest', l), boolArg('topk', 'sorted', srt))),
  },
  median: {
    spec: 'input, dim=?, keepdim=False',
    body: ([x, d, k]) => {
      const t = tensorArg('median', 'input', x);
      if (!given(d) || d === null) return E.median(t);
      return sortResult('median', E.medianDim(t, intArg('median', 'dim', d), boolArg('median', 'keepdim', k)));
    },
  },
  narrow: {
    spec: 'input, dim, start, length',
    body: ([x, d, s, l]) => narrow(tensorArg('narrow', 'input', x), intArg('narrow', 'dim', d), intArg('narrow', 'start', s), intArg('narrow', 'length', l)),
  },
  select: { spec: 'input, dim, index', body: ([x, d, i]) => selectDim(tensorArg('select', 'input', x), intArg('select', 'dim', d), intArg('select', 'index', i)) },
  split: {
    spec: 'tensor, split_size_or_sections, dim=0',
    body: ([x, s, d]) => splitInto('split', tensorArg('split', 'tensor', x), s, d, false),
  },
  chunk: { spec: 'input, chunks, dim=0', body: ([x, c, d]) => splitInto('chunk', tensorArg('chunk', 'input', x), c, d, true) },
  unsafe_chunk: { spec: 'input, chunks, dim=0', body: ([x, c, d]) => splitInto('unsafe_chunk', tensorArg('unsafe_chunk', 'input', x), c, d, true, true) },
  unsafe_split: {
    spec: 'input, split_size, dim=0',
    body: ([x, s, d]) => splitInto('unsafe_split', tensorArg('unsafe_split', 'input', x), intArg('unsafe_split', 'split_size', s), d, false, true),
  },
  unsafe_split_with_sizes: {
    spec: 'input, split_sizes, dim=0',
    body: ([x, s, d]) => {
      if (!(s instanceof PyList || s instanceof PyTuple)) throw new PyError('TypeError', `unsafe_split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not ${typeof s === 'number' ? 'int' : typeof s === 'string' ? 'str' : 'object'}`);
      return splitInto('unsafe_split_with_sizes', tensorArg('unsafe_split_with_sizes', 'input', x), s, d, false, true);
    },
  },
  unbind: {
    spec: 'input, dim=0',
    body: ([x, d]) => {
      const t = tensorArg('unbind', 'input', x);
      const dim = E.normalizeDim(intArg('unbind', 'dim', d), Math.max(t.ndim, 1));
      return new PyTuple(E.unbind(t, dim));
    },
  },
  outer: {
    spec: 'input, vec2',
    // PyTorch 1.13: self.reshape({n, 1}) * vec2.
    body: ([a, b]) => {
      const x = tensorArg('outer', 'input', a);
      return E.mul(E.reshape(x, [x.numel, 1]), tensorArg('outer', 'vec2', b));
    },
  },
  ger: { spec: 'input, vec2', body: ([a, b]) => SHARED.outer.body([a, b]) },
  inner: {
    spec: 'input, other',
    body: ([a, b]) => {
      const x = tensorArg('inner', 'input', a);
      const y = tensorArg('inner', 'other', b);
      if (x.ndim === 0 || y.ndim === 0) return E.mul(x, y);
      // PyTorch 1.13: tensordot over the last dims: x.permute(...).reshape(m, k) @ y.permute(last, ...).reshape(k, n),
      // reshaped to x.shape[:-1] + y.shape[:-1] (each reshape a view here: ReshapeAliasBackward0).
      const k = x.shape[x.ndim - 1];
      if (y.shape[y.ndim - 1] !== k) throw runtimeError(`contracted dimensions need to match, but first has size ${k} in dim 0 and second has size ${y.shape[y.ndim - 1]} in dim 0`);
      const xs = x.shape.slice(0, -1);
      const ys = y.shape.slice(0, -1);
      const prod = (a: readonly number[]): number => a.reduce((p, v) => p * v, 1);
      const t1 = E.reshape(E.permute(x, [...xs.keys()].concat(x.ndim - 1)), [prod(xs), k]);
      const t2 = E.reshape(E.permute(y, [y.ndim - 1, ...ys.keys()]), [k, prod(ys)]);
      return E.reshape(E.mm(t1, t2), [...xs, ...ys]);
    },
  },
  fmod: {
    spec: 'input, other',
    // C's fmod: the remainder with the dividend's sign.
    body: ([x, y]) => {
      const a = tensorArg('fmod', 'input', x);
      const b = toOperand(y as PyValue);
      if (b === null) throw typeError(`fmod(): argument 'other' must be Tensor or Number, not ${pyTypeName(y as PyValue)}`);
      return E.fmod(a, b instanceof Tensor ? b : E.wrapScalar(b));
    },
  },
  dist: {
    spec: 'input, other, p=2',
    body: ([x, y, p]) => E.dist(tensorArg('dist', 'input', x), tensorArg('dist', 'other', y), numArg('dist', 'p', p)),
  },
  movedim: {
    spec: 'input, source, destination',
    // torch.movedim: a permute moving the source dims to the destinations, the rest keeping their order.
    body: ([x, src, dst]) => {
      const t = tensorArg('movedim', 'input', x);
      const s0 = intsArg('movedim', 'source', src);
      const d0 = intsArg('movedim', 'destination', dst);
      const ss = (Array.isArray(s0) ? s0 : [s0]).map((d) => E.normalizeDim(d, Math.max(t.ndim, 1)));
      const ds = (Array.isArray(d0) ? d0 : [d0]).map((d) => E.normalizeDim(d, Math.max(t.ndim, 1)));
      if (ss.length !== ds.length) throw runtimeError(`movedim: Invalid source or destination dims: source (${JSON.stringify(s0)} dims) should contain the same number of dims as destination (${JSON.stringify(d0)} dims)`);
      return E.movedim(t, ss, ds);
    },
  },
  swapdims: {
    spec: 'input, dim0, dim1',
    body: ([x, a, b]) => E.transpose(tensorArg('swapdims', 'input', x), intArg('swapdims', 'dim0', a), intArg('swapdims', 'dim1', b)),
  },
  unflatten: {
    spec: 'input, dim, sizes',
    body: ([x, d, sz]) => {
      const t = tensorArg('unflatten', 'input', x);
      const dim = E.normalizeDim(intArg('unflatten', 'dim', d), Math.max(t.ndim, 1));
      const sizes = intsArg('unflatten', 'sizes', sz);
      const list = Array.isArray(sizes) ? sizes : [sizes];
      const known = list.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
      const filled = list.map((v) => (v === -1 ? t.shape[dim] / known : v));
      return E.view(t, [...t.shape.slice(0, dim), ...filled, ...t.shape.slice(dim + 1)]);
    },
  },
  ravel: { spec: 'input', body: ([x]) => E.view(tensorArg('ravel', 'input', x), [-1]) },
  moveaxis: {
    spec: 'input, source, destination',
    body: (a) => SHARED.movedim.body(a),
  },
  count_nonzero: {
    spec: 'input, dim=None',
    body: ([x, d]) => E.sum(E.ne(tensorArg('count_nonzero', 'input', x), 0), dimsArg('count_nonzero', d)),
  },
  var_mean: {
    spec: 'input, dim=None, unbiased=True, keepdim=False',
    body: ([x, d, u, k]) => new PyTuple(E.spreadAndMean(tensorArg('var_mean', 'input', x), 'var', dimsArg('var_mean', d), boolArg('var_mean', 'unbiased', u), boolArg('var_mean', 'keepdim', k))),
  },
  std_mean: {
    spec: 'input, dim=None, unbiased=True, keepdim=False',
    body: ([x, d, u, k]) => new PyTuple(E.spreadAndMean(tensorArg('std_mean', 'input', x), 'std', dimsArg('std_mean', d), boolArg('std_mean', 'unbiased', u), boolArg('std_mean', 'keepdim', k))),
  },
  lerp: {
    spec: 'input, end, weight',
    body: ([a, b, w]) => {
      const x = tensorArg('lerp', 'input', a);
      const end = tensorArg('lerp', 'end', b);
      if (w instanceof Tensor) return E.add(x, E.mul(w, E.sub(end, x)));
      return E.lerp(x, end, numArg('lerp', 'weight', w));
    },
  },
} satisfies Record<string, Shared>);

// ---- methods only ------------------------------------------------------------------------------

function inplaceArith(name: string, def: E.OpDef, label: string) {
  return method(name, 'other, *, alpha=1', (self, [o, alpha]) => {
    const other = toTensor(o as PyValue, 'other');
    const k = given(alpha) && alpha !== 1 ? numArg(name, 'alpha', alpha) : 1;
    return inplace(self, def, [other], k === 1 ? {} : { alpha: k }, label);
  });
}

const LEGACY_TYPES = new Map<string, DType>([
  ['torch.FloatTensor', 'float32'],
  ['torch.DoubleTensor', 'float64'],
  ['torch.LongTensor', 'int64'],
  ['torch.IntTensor', 'int32'],
  ['torch.ShortTensor', 'int16'],
  ['torch.CharTensor', 'int8'],
  ['torch.ByteTensor', 'uint8'],
  ['torch.BoolTensor', 'bool'],
]);

const METHODS = new Map<string, MethodDef>([
  method('backward', 'gradient=None, retain_graph=None, create_graph=False, inputs=None', (self, [g, retain, create]) => {
    // torch.autograd.backward makes a tuple of `gradient` unless it is a tensor: a number is not iterable.
    if (typeof g === 'number' || typeof g === 'boolean' || g instanceof PyFloat) throw typeError(`'${pyTypeName(g)}' object is not iterable`);
    if ((g instanceof PyList || g instanceof PyTuple) && g.items.length === 1 && g.items[0] instanceof Tensor) g = g.items[0];
    const gradient = optTensorArg('backward', 'gradient', g);
    const createGraph = create === true;
    // retain_graph defaults to create_graph, as in PyTorch.
    E.backward(self, { gradient, retainGraph: retain === null || !given(retain) ? createGraph : boolArg('backward', 'retain_graph', retain), createGraph });
    return null;
  }),
  method('item', '', (self) => item(self)),
  method('tolist', '', (self) => tolist(self)),
  method('size', 'dim=None', (self, [d]) => sizeOf(self, d)),
  method('ndimension', '', (self) => self.ndim),
  method('nelement', '', (self) => self.numel),
  method('retain_grad', '', (self) => (retainGrad(self), null)),
  method('requires_grad_', 'requires_grad=True', (self, [flag]) => (setRequiresGrad(self, boolArg('requires_grad_', 'requires_grad', flag)), self)),
  method('zero_', '', (self) => fillInplace(self, 0, 'zero_')),
  method('fill_', 'value', (self, [v]) => fillInplace(self, numArg('fill_', 'value', v), 'fill_')),
  // Random fills in place (m.weight.data.normal_(0, 0.01)): PyTorch's draws, as nn.init's.
  method('normal_', 'mean=0, std=1, *, generator=None', (self, [m, sd, gen]) => randomFill(self, 'normal_', () => {
    const std = numArg('normal_', 'std', sd);
    if (std < 0) throw runtimeError(`normal expects std >= 0.0, but found std ${std}`);
    usingGenerator(gen, 'normal_', () => init.normal_(self, numArg('normal_', 'mean', m), std));
  })),
  method('uniform_', 'from=0, to=1, *, generator=None', (self, [a, b, gen]) => randomFill(self, 'uniform_', () => {
    const from = numArg('uniform_', 'from', a), to = numArg('uniform_', 'to', b);
    if (!(from <= to)) throw runtimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
    usingGenerator(gen, 'uniform_', () => init.uniform_(self, from, to));
  })),
  // PyTorch's samplers, drawn in place (x.bernoulli_(0.5), torch.empty(3).exponential_()); recorded as PyTorch
  // records them (BernoulliBackward2 / 1, ExponentialBackward0, GeometricBackward0: zero gradients).
  method('bernoulli_', 'p=0.5, *, generator=None', (self, [p, gen]) => usingGenerator(gen, 'bernoulli_', () => {
    if (p instanceof Tensor && !p.isWrappedNumber) return inplace(self, E.bernoulliTensorOp, [p], {}, 'bernoulli_');
    const v = numArg('bernoulli_', 'p', p);
    E.checkDrawArgs('bernoulli_', self.dtype, v);
    return inplace(self, E.bernoulliScalarOp, [], { p: v }, 'bernoulli_');
  })),
  method('exponential_', 'lambd=1, *, generator=None', (self, [l, gen]) => usingGenerator(gen, 'exponential_', () => {
    const v = numArg('exponential_', 'lambd', l);
    E.checkDrawArgs('exponential_', self.dtype, v);
    return inplace(self, E.exponentialOp, [], { lambd: v }, 'exponential_');
  })),
  method('geometric_', 'p, *, generator=None', (self, [p, gen]) => usingGenerator(gen, 'geometric_', () => {
    const v = numArg('geometric_', 'p', p);
    E.checkDrawArgs('geometric_', self.dtype, v);
    return inplace(self, E.geometricOp, [], { p: v }, 'geometric_');
  })),
  inplaceArith('add_', addOp, '+='),
  inplaceArith('sub_', subOp, '-='),
  method('mul_', 'other', (self, [o]) => inplace(self, mulOp, [toTensor(o as PyValue, 'other')], {}, '*=')),
  method('div_', 'other, *, rounding_mode=None', (self, [o, mode]) => {
    const other = toTensor(o as PyValue, 'other');
    if (mode === 'floor' || mode === 'trunc') return inplace(self, E.divRoundingOp, [other], { mode }, '/=');
    if (mode !== null) throw runtimeError(`div_ expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
    return inplace(self, divOp, [other], {}, '/=');
  }),
  ...Object.entries({
    neg: E.negOp, exp: E.expOp, log: E.logOp, sqrt: E.sqrtOp, rsqrt: E.rsqrtOp, sin: E.sinOp, cos: E.cosOp, tanh: E.tanhOp,
    sigmoid: E.sigmoidOp, relu: E.reluOp, abs: E.absOp, reciprocal: E.reciprocalOp, log1p: E.log1pOp, expm1: E.expm1Op,
    square: E.squareOp, sign: E.signOp, floor: E.floorOp, ceil: E.ceilOp, round: E.roundOp, trunc: E.truncOp, frac: E.fracOp,
    erf: E.erfOp, atan: E.atanOp, sinh: E.sinhOp, cosh: E.coshOp, lgamma: E.lgammaOp, digamma: E.digammaOp, i0: E.i0Op,
  }).map(([name, def]) => method(`${name}_`, '', (self) => {
    if (!floating(self) && def !== E.negOp && def !== E.absOp && def !== E.signOp && def !== E.squareOp) {
      throw runtimeError(`result type Float can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
    }
    return inplace(self, def as E.OpDef, [], {}, `${name}_`);
  })),
  method('polygamma_', 'n', (self, [n]) => {
    const k = intArg('polygamma_', 'n', n);
    if (k < 0) throw runtimeError('polygamma(n, x) does not support negative n.');
    if (!floating(self)) throw runtimeError(`result type Float can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
    return inplace(self, E.polygammaOp, [], { n: k }, 'polygamma_');
  }),
  method('mvlgamma_', 'p', (self, [p]) => {
    const k = intArg('mvlgamma_', 'p', p);
    if (k < 1) throw runtimeError('p has to be greater than or equal to 1');
    if (!floating(self)) throw runtimeError(`result type Float can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
    return inplace(self, E.mvlgammaOp, [], { p: k }, 'mvlgamma_');
  }),
  method('clamp_', 'min=None, max=None', (self, [lo, hi]) => {
    const mn = optNumArg('clamp_', 'min', lo);
    const mx = optNumArg('clamp_', 'max', hi);
    if (mn === null && mx === null) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
    return inplace(self, E.clampOp, [], { min: mn, max: mx }, 'clamp_');
  }),
  method('clip_', 'min=None, max=None', (self, [lo, hi]) => inplace(self, E.clampOp, [], { min: optNumArg('clip_', 'min', lo), max: optNumArg('clip_', 'max', hi) }, 'clip_')),
  method('clamp_min_', 'min', (self, [lo]) => inplace(self, E.clampMinOp, [], { min: numArg('clamp_min_', 'min', lo), max: null }, 'clamp_min_')),
  method('clamp_max_', 'max', (self, [hi]) => inplace(self, E.clampMaxOp, [], { min: null, max: numArg('clamp_max_', 'max', hi) }, 'clamp_max_')),
  method('clamp_min', 'min', (self, [lo]) => E.clampMin(self, numArg('clamp_min', 'min', lo))),
  method('clamp_max', 'max', (self, [hi]) => E.clampMax(self, numArg('clamp_max', 'max', hi))),
  method('pow_', 'exponent', (self, [e]) => {
    const ex = toOperand(e as PyValue);
    if (ex === null) throw typeError(`pow_(): argument 'exponent' must be Number or Tensor, not ${pyTypeName(e as PyValue)}`);
    if (ex instanceof Tensor) return inplace(self, E.OPS.pow_tensor, [ex], {}, 'pow_');
    return inplace(self, E.OPS.pow, [], { exponent: ex }, 'pow_');
  }),
  method('masked_fill_', 'mask, value', (self, [m, v]) => {
    const value = v instanceof Tensor ? v : toTensor(v as PyValue, 'value');
    return inplace(self, E.OPS.masked_fill, [tensorArg('masked_fill_', 'mask', m)], { value: value.data[0] }, 'masked_fill_');
  }),
  method('copy_', 'src', (self, [src]) => {
    const s = tensorArg('copy_', 'src', src);
    checkInplace(self);
    indexPutRaw(self, [], castTo(s, self.dtype));
    self.version.v++;
    announceThrough(writeThrough(self));
    return self;
  }),
  method('float', '', (self) => castTo(self, 'float32')),
  method('double', '', (self) => castTo(self, 'float64')),
  method('long', '', (self) => castTo(self, 'int64')),
  method('int', '', (self) => castTo(self, 'int32')),
  method('short', '', (self) => castTo(self, 'int16')),
  method('char', '', (self) => castTo(self, 'int8')),
  method('byte', '', (self) => castTo(self, 'uint8')),
  method('bool', '', (self) => castTo(self, 'bool')),
  method('element_size', '', (self) => ELEMENT_SIZE[self.dtype]),
  method('to', '*args, dtype=None, copy=False', (self, [args, dt]) => {
    let d = dtypeArg('to', dt);
    for (const a of (args as PyTuple).items) {
      if (a instanceof Tensor) d = a.dtype;
      else if (a instanceof TorchDType) d = a.dtype;
      else if (typeof a === 'string') {
        if (a !== 'cpu') throw runtimeError(`to(): only the 'cpu' device exists in this playground, got '${a}'`);
      } else throw typeError(`to() received an invalid combination of arguments - got (${pyTypeName(a)})`);
    }
    return d ? castTo(self, d) : self;
  }),
  method('type', 'dtype=None', (self, [dt]) => {
    if (dt === null) return E.legacyTypeName(self.dtype);
    if (typeof dt === 'string') {
      const d = LEGACY_TYPES.get(dt);
      if (!d) throw new PyError('ValueError', `invalid type: '${dt}'`);
      return castTo(self, d);
    }
    return castTo(self, dtypeArg('type', dt)!);
  }),
  method('cpu', '', (self) => self),
  // A non-contiguous tensor (a transpose, an expand, a slice) is copied, as PyTorch does (CloneBackward0).
  method('contiguous', 'memory_format=None', (self) => (self.strides === undefined ? self : E.clone(self))),
  method('cuda', '*args, **kwargs', () => {
    throw new PyError('AssertionError', 'Torch not compiled with CUDA enabled');
  }),
  method('numpy', 'force=False', (self) => arraySharing(self)),
  method('is_floating_point', '', (self) => floating(self)),
  method('is_signed', '', (self) => self.dtype !== 'bool' && self.dtype !== 'uint8'),
  method('reshape', '*shape', (self, [shape]) => E.reshape(self, shapeArg('reshape', shape as PyTuple, { name: 'shape' }))),
  method('view', '*shape', (self, [shape]) => {
    const items = (shape as PyTuple).items;
    if (items.length === 1 && items[0] instanceof TorchDType) throw runtimeError('view(dtype) is not supported in this playground');
    // Neither of PyTorch's overloads, view(dtype) and view(*size), takes a non-int first.
    const first = items[0];
    if (first !== undefined && !(first instanceof PyTuple || first instanceof PyList) && !(typeof first === 'number' || typeof first === 'boolean' || first instanceof Tensor)) {
      throw typeError(`view() received an invalid combination of arguments - got (${items.map((x) => pyTypeName(x)).join(', ')}), but expected one of:`);
    }
    return checkedView(self, shapeArg('view', shape as PyTuple));
  }),
  method('view_as', 'other', (self, [o]) => checkedView(self, tensorArg('view_as', 'other', o).shape.slice())),
  method('is_contiguous', 'memory_format=None', (self) => self.strides === undefined),
  // The strides PyTorch gives the tensor: a view's are its base's, rearranged (see Tensor.strides).
  method('stride', 'dim=None', (self, [d]) => {
    const st = E.stridesLike(self);
    if (d === null) return new PyTuple(st);
    const dim = intArg('stride', 'dim', d);
    if (self.ndim === 0) throw new PyError('IndexError', `Dimension specified as ${dim} but tensor has no dimensions`);
    return st[E.normalizeDim(dim, self.ndim)];
  }),
  method('reshape_as', 'other', (self, [o]) => E.reshape(self, tensorArg('reshape_as', 'other', o).shape.slice())),
  // dims positionally (x.permute(1, 0), x.permute((1, 0))) or by name (x.permute(dims=(1, 0))).
  method('permute', '*dims_, dims=None', (self, [pos, kw]) => E.permute(self, shapeArg('permute', kw === null ? (pos as PyTuple) : new PyTuple([kw as PyValue]), { name: 'dims', ints: true }))),
  method('flip', '*dims_, dims=None', (self, [pos, kw]) => E.flip(self, shapeArg('flip', kw === null ? (pos as PyTuple) : new PyTuple([kw as PyValue])))),
  // x.new_*: a new tensor with x's dtype unless dtype= says otherwise.
  method('new_zeros', '*size, dtype=None, device=None, requires_grad=False', (self, [size, dt, , rg]) =>
    E.zeros(shapeArg('new_zeros', size as PyTuple), { dtype: dtypeArg('new_zeros', dt) ?? self.dtype, requiresGrad: rg === true })),
  method('new_ones', '*size, dtype=None, device=None, requires_grad=False', (self, [size, dt, , rg]) =>
    E.ones(shapeArg('new_ones', size as PyTuple), { dtype: dtypeArg('new_ones', dt) ?? self.dtype, requiresGrad: rg === true })),
  method('new_empty', '*size, dtype=None, device=None, requires_grad=False', (self, [size, dt, , rg]) =>
    E.zeros(shapeArg('new_empty', size as PyTuple), { dtype: dtypeArg('new_empty', dt) ?? self.dtype, requiresGrad: rg === true })),
  method('new_full', 'size, fill_value, *, dtype=None, device=None, requires_grad=False', (self, [size, v, dt, , rg]) =>
    E.full(shapeArg('new_full', new PyTuple([size as PyValue])), numArg('new_full', 'fill_value', v), { dtype: dtypeArg('new_full', dt) ?? self.dtype, requiresGrad: rg === true })),
  method('new_tensor', 'data, *, dtype=None, device=None, requires_grad=False', (self, [data, dt, , rg]) =>
    E.tensor(nestedData(data as PyValue), { dtype: dtypeArg('new_tensor', dt) ?? self.dtype, requiresGrad: rg === true })),
  method('repeat', '*sizes', (self, [sizes]) => E.repeat(self, shapeArg('repeat', sizes as PyTuple))),
  method('expand', '*sizes', (self, [sizes]) => E.expand(self, shapeArg('expand', sizes as PyTuple))),
  method('expand_as', 'other', (self, [o]) => E.expand(self, tensorArg('expand_as', 'other', o).shape.slice())),
  method('where', 'condition, other', (self, [c, o]) => {
    const other = toOperand(o as PyValue);
    if (other === null) throw typeError(`where(): argument 'other' must be Tensor or Number, not ${pyTypeName(o as PyValue)}`);
    return E.where(tensorArg('where', 'condition', c), self, other);
  }),
  method('detach_', '', (self) => {
    self.gradFn = null;
    self.requiresGrad = false;
    return self;
  }),
]);

// The functions ./moreTorch adds (tan, nansum, scatter, tile, isnan, ...), torch functions and methods alike.
for (const [name, s] of Object.entries(moreShared((fn, v, i) => new ReturnTypes(fn, v, i)))) if (!(name in SHARED)) SHARED[name] = s;

/** Every method: METHODS plus the shared functions with self as the input. */
const ALL_METHODS = new Map<string, MethodDef>(METHODS);
for (const [name, s] of [...Object.entries(SHARED), ...Object.entries(moreMethods())]) {
  if (ALL_METHODS.has(name)) continue;
  const spec = s.spec.split(',').slice(1).join(',');
  ALL_METHODS.set(name, method(name, spec, (self, a) => s.body([self, ...a]))[1]);
}

// ---- attributes ----------------------------------------------------------------------------------

function getTensorAttr(t: Tensor, name: string): PyValue | undefined {
  switch (name) {
    case 'grad':
      return t.grad;
    case 'requires_grad':
      return t.requiresGrad;
    case 'is_leaf':
      return t.isLeaf;
    case 'grad_fn':
      return t.gradFn;
    case 'shape':
      return new TorchSize(t.shape.slice());
    case 'dtype':
      return DTYPES[t.dtype];
    case 'ndim':
      return t.ndim;
    case 'T':
      return E.T(t);
    case 'mT':
      return E.transpose(t, -2, -1);
    case 'data': {
      const alias = new Tensor(t.data, t.shape.slice(), t.dtype, t.version);
      return alias;
    }
    case 'device':
      return 'cpu';
    case 'is_cuda':
      return false;
    case 'output_nr':
      return t.outputNr;
    case '_version':
      return t.version.v;
  }
  const m = ALL_METHODS.get(name);
  if (m) return new PyBoundMethod(t, name, (self, args, kwargs) => callMethodDef(m, self as Tensor, args, kwargs));
  return undefined;
}

function setTensorAttr(t: Tensor, name: string, value: PyValue): boolean {
  switch (name) {
    case 'grad':
      setGrad(t, value);
      return true;
    case 'requires_grad':
      if (typeof value !== 'boolean') throw typeError(`requires_grad must be a bool, not ${pyTypeName(value)}`);
      // The attribute refuses a non-leaf either way (requires_grad_(True) on one is allowed: a no-op).
      if (value && !t.isLeaf) throw runtimeError('you can only change requires_grad flags of leaf variables.');
      setRequiresGrad(t, value);
      return true;
    case 'data':
      if (!(value instanceof Tensor)) throw typeError(`data must be a Tensor, not ${pyTypeName(value)}`);
      if (value.shape.length !== t.shape.length || value.shape.some((s, i) => s !== t.shape[i])) {
        throw runtimeError('setting .data to a tensor of another shape is not supported in this playground');
      }
      if (value.dtype !== t.dtype) {
        // p.data = p.data.double(): the tensor takes the new dtype, as PyTorch's set_data does.
        t.data = allocStorage(value.dtype, value.numel);
        t.dtype = value.dtype;
      }
      t.data.set(value.data);
      t.version.v++;
      announceThrough(writeThrough(t));
      return true;
  }
  return false;
}

// ---- operators -----------------------------------------------------------------------------------

function binop(op: BinOp, self: Tensor, otherV: PyValue, reflected: boolean): PyValue | NotImplementedT {
  const other = toOperand(otherV);
  if (other === null) return NotImplemented;
  const [a, b]: [Operand, Operand] = reflected ? [other, self] : [self, other];
  switch (op) {
    case '+':
      return reflected ? E.add(self, other) : E.add(a, b);
    case '*':
      return reflected ? E.mul(self, other) : E.mul(a, b);
    case '-':
      if (reflected && typeof other === 'number') return E.rsub(self, other);
      // A float that is a whole number (3.0) arrives wrapped: still Python's number - tensor, RsubBackward1.
      if (reflected && other instanceof Tensor && other.isWrappedNumber) return E.rsub(self, other.data[0], E.isFloating(other.dtype));
      return E.sub(a, b);
    case '/':
      // Tensor.__rtruediv__ is reciprocal(self) * other, so `1 / p` records ReciprocalBackward0 then MulBackward0.
      if (reflected && !(other instanceof Tensor && !other.isWrappedNumber)) return E.mul(E.reciprocal(self), other);
      return E.div(a, b);
    case '//':
      return E.floorDivide(a, b);
    case '%':
      return E.remainder(a, b);
    case '**':
      return E.pow(a, b);
    case '@':
      if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.isWrappedNumber || b.isWrappedNumber) return NotImplemented;
      return E.matmul(a, b);
    case '&':
      return E.bitwiseAnd(a, b);
    case '|':
      return E.bitwiseOr(a, b);
    case '^':
      return E.bitwiseXor(a, b);
    default:
      return NotImplemented;
  }
}

const INPLACE: Partial<Record<BinOp, [E.OpDef, string]>> = {
  '+': [addOp, '+='],
  '-': [subOp, '-='],
  '*': [mulOp, '*='],
  '/': [divOp, '/='],
};

function inplaceOp(op: BinOp, self: Tensor, otherV: PyValue): PyValue | NotImplementedT {
  const entry = INPLACE[op];
  if (!entry) return NotImplemented;
  const other = toOperand(otherV);
  if (other === null) return NotImplemented;
  const o = other instanceof Tensor ? other : toTensor(otherV);
  return inplace(self, entry[0], [o], {}, entry[1]);
}

function compare(op: CmpOp, self: Tensor, otherV: PyValue): PyValue | NotImplementedT {
  // PyTorch 1.13 with numpy 1.24: `t == a` is False, `t < a` unsupported (Tensor.__eq__ gives NotImplemented).
  if (otherV instanceof NDArray) return NotImplemented;
  const other = toOperand(otherV);
  if (other === null) return NotImplemented;
  switch (op) {
    case '==':
      return E.eq(self, other);
    case '!=':
      return E.ne(self, other);
    case '<':
      return E.lt(self, other);
    case '<=':
      return E.le(self, other);
    case '>':
      return E.gt(self, other);
    default:
      return E.ge(self, other);
  }
}

function truth(t: Tensor): boolean {
  if (t.numel === 0) throw runtimeError('Boolean value of Tensor with no values is ambiguous');
  if (t.numel > 1) throw runtimeError('Boolean value of Tensor with more than one value is ambiguous');
  return t.data[0] !== 0;
}

function* iterate(t: Tensor): Generator<PyValue> {
  if (t.ndim === 0) throw typeError('iteration over a 0-d tensor');
  for (let i = 0; i < t.shape[0]; i++) yield E.index(t, [i]);
}

export function gradFnName(t: Tensor): string | null {
  return t.gradFn ? t.gradFn.name : null;
}

export const TensorType: HostType<Tensor> = {
  typeName: () => 'Tensor',
  typeKey: (t) => (isParam(t) ? 'Parameter' : 'Tensor'),
  getattr: getTensorAttr,
  setattr: setTensorAttr,
  callMethod(self, name, args, kwargs) {
    const m = ALL_METHODS.get(name);
    return m ? callMethodDef(m, self, args, kwargs) : NotImplemented;
  },
  getitem: (t, index) => E.index(t, indexItems(index), !(index instanceof PyTuple)),
  setitem: setItem,
  binop,
  inplace: inplaceOp,
  unary(op, self) {
    if (op === '-') return E.neg(self);
    if (op === '+') return self;
    if (op === '~') {
      if (self.dtype === 'bool' || isIntegral(self.dtype)) return invert(self);
      throw typeError('~ (operator.invert) is only implemented on integer and Boolean-type tensors');
    }
    return NotImplemented;
  },
  compare,
  contains: (t, item) => {
    if (item instanceof Tensor) return E.eq(t, item).data.some((v) => v !== 0);
    const v = typeof item === 'number' || typeof item === 'boolean' ? +item : item instanceof PyFloat ? item.value : null;
    if (v === null) throw runtimeError(`Tensor.__contains__ only supports Tensor or scalar, but you passed in a ${pyTypeName(item)}.`);
    return t.data.some((x) => x === v);
  },
  iter: (t) => iterate(t),
  len: (t) => {
    if (t.ndim === 0) throw typeError('len() of a 0-d tensor');
    return t.shape[0];
  },
  bool: truth,
  repr: (t) => reprOf(t),
  format: (t, spec) => {
    // A Parameter formats as object.__format__ does: its repr, and no format spec.
    if (isParam(t)) {
      if (spec === '') return reprOf(t);
      throw typeError('unsupported format string passed to Parameter.__format__');
    }
    if (t.ndim === 0) {
      const v = t.data[0];
      if (t.dtype === 'bool') return spec === '' ? (v ? 'True' : 'False') : formatNumber(v, true, spec);
      return formatNumber(v, isIntegral(t.dtype), spec);
    }
    if (spec === '') return reprOf(t);
    throw typeError('unsupported format string passed to Tensor.__format__');
  },
  toNumber: (t, kind) => {
    // int()/float() take any one-element tensor; __index__ (a list index, range) only an integer one.
    if (kind === 'index' && (t.numel !== 1 || floating(t))) throw typeError('only integer tensors of a single element can be converted to an index');
    if (t.numel !== 1) throw new PyError('ValueError', 'only one element tensors can be converted to Python scalars');
    return t.data[0];
  },
  dir: () => [...ALL_METHODS.keys(), 'grad', 'requires_grad', 'is_leaf', 'grad_fn', 'shape', 'dtype', 'ndim', 'T', 'data', 'device'],
};

/** repr(t); nn.Parameter's starts with a line of its own, as Parameter.__repr__ writes it. */
function reprOf(t: Tensor): string {
  const text = tensorRepr(t, { gradFn: gradFnName(t) });
  return isParam(t) ? 'Parameter containing:\n' + text : text;
}

/** isParameter without its type guard (every Parameter is a Tensor: the guard would narrow the rest to never). */
const isParam = (t: Tensor): boolean => isParameter(t);

// ---- grad_fn objects -----------------------------------------------------------------------------

export const GradNodeType: HostType<GradNode> = {
  typeName: (n) => n.name,
  getattr(n, name) {
    switch (name) {
      case 'next_functions':
        return new PyTuple(n.next.map((e) => new PyTuple([e.node, e.inputNr])));
      case 'name':
        // Node::name(): CopySlices (x[i] = v) is named by its C++ class (its repr says CopySlices).
        return new PyBuiltin('name', () => (n.name === 'CopySlices' ? 'torch::autograd::CopySlices' : n.name));
      case 'variable':
        return n.variable ?? undefined;
      case 'metadata':
        return undefined;
    }
    return undefined;
  },
  // A Python autograd Function's node (a program's Function, BackwardHookFunction) is a class of torch.autograd.function.
  repr: (n) => `<${n.op?.runsUserCode || n.name === 'BackwardHookFunctionBackward' ? 'torch.autograd.function.' : ''}${n.name} object at ${fakeAddress(n)}>`,
};

// ---- torch.no_grad() and friends ---------------------------------------------------------------

/** A grad-mode context manager: torch.no_grad(), torch.enable_grad(), torch.set_grad_enabled(b). */
export class GradMode {
  private saved: boolean[] = [];
  constructor(
    readonly name: string,
    readonly enabled: boolean,
  ) {}
  enter(): void {
    this.saved.push(E.isGradEnabled());
    E.setGradEnabled(this.enabled);
  }
  exit(): void {
    const prev = this.saved.pop();
    E.setGradEnabled(prev ?? true);
  }
}

export const GradModeType: HostType<GradMode> = {
  typeName: (g) => g.name,
  enter: (g) => (g.enter(), null),
  exit: (g) => {
    g.exit();
  },
  // @torch.no_grad() as a decorator.
  call: (g, args) => {
    const fn = args[0];
    if (args.length !== 1 || !(fn instanceof PyCallable)) throw typeError(`${g.name}() takes a function`);
    return new PyBuiltin(fn.name, (a: PyValue[], k: Kwargs) => {
      g.enter();
      try {
        return fn.call(a, k);
      } finally {
        g.exit();
      }
    });
  },
  repr: (g) => `<torch.autograd.grad_mode.${g.name} object at ${fakeAddress(g)}>`,
};

/**
 * torch.autograd.set_detect_anomaly(mode) (on when made; `with` restores the previous mode on exit) and
 * torch.autograd.detect_anomaly() (on from `with` to its end): backward stops at a node that returns NaN.
 */
export class AnomalyMode {
  private saved: boolean[] = [];
  constructor(
    readonly name: 'set_detect_anomaly' | 'detect_anomaly',
    readonly mode: boolean,
  ) {
    if (name === 'set_detect_anomaly') {
      this.saved.push(engine.anomaly);
      engine.anomaly = mode;
    }
  }
  enter(): void {
    if (this.name === 'detect_anomaly') {
      this.saved.push(engine.anomaly);
      engine.anomaly = true;
    }
  }
  exit(): void {
    engine.anomaly = this.saved.pop() ?? false;
  }
}

export const AnomalyModeType: HostType<AnomalyMode> = {
  typeName: (a) => a.name,
  enter: (a) => (a.enter(), null),
  exit: (a) => {
    a.exit();
  },
  repr: (a) => `<torch.autograd.anomaly_mode.${a.name} object at ${fakeAddress(a)}>`,
};

export { floatRepr, PyFloat, MISSING };
