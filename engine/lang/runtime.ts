// Python's operations on values: arithmetic, comparison, truthiness, repr/str, attributes, items,
// iteration and calls, dispatching to HostType hooks for host objects.
//
// Note: attribute lookup only ever consults explicit tables (method tables below, PyModule.attrs,
// HostType.getattr); names like `__proto__` or `constructor` are refused before any table is read.
import { PyError, withSuggestion } from './errors';
import { floatRepr, formatNumber, formatString, intRepr } from './format';
import * as libm from './libm';
import { PyInstance, classOf } from './classes';
import {
  ArrayIterator,
  Ellipsis,
  JsIterator,
  NotImplemented,
  PyBoundMethod,
  PyBuiltin,
  PyCallable,
  PyDict,
  PyDictView,
  PyOrderedDict,
  PyDefaultDict,
  PyFloat,
  PyFloatSubclass,
  PyIterator,
  PyList,
  PyModule,
  PyObject,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyType,
  PyTypeRef,
  isForbiddenName,
  type BinOp,
  type CmpOp,
  type HostType,
  type HostTypeOf,
  type Kwargs,
  type NativeMethod,
  type PyValue,
  type UnaryOp,
} from './values';

export type MethodTable = Map<string, NativeMethod<any>>;

const SWAPPED: Record<CmpOp, CmpOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export const typeError = (msg: string): PyError => new PyError('TypeError', msg);

/** A Python-level exception object (raise ValueError('x'); except ValueError as e). */
export class PyExceptionValue extends PyObject {
  /** `raise ... from cause`: the cause (None for `from None`), undefined without a from. */
  cause: PyValue | undefined = undefined;
  constructor(
    readonly type: PyExceptionType,
    readonly args: PyValue[],
  ) {
    super();
  }
  get typeName(): string {
    return this.type.name;
  }
}

/** A builtin exception class: ValueError, RuntimeError ... with its base for `except` matching. */
export class PyExceptionType extends PyCallable {
  constructor(
    readonly name: string,
    readonly base: PyExceptionType | null,
  ) {
    super();
  }
  override get typeName(): string {
    return 'type';
  }
  call(args: PyValue[]): PyValue {
    return new PyExceptionValue(this, args);
  }
  isSubclassOf(other: PyExceptionType): boolean {
    for (let t: PyExceptionType | null = this; t; t = t.base) if (t === other) return true;
    return false;
  }
}

class ListIterator extends PyIterator {
  private i = 0;
  constructor(private readonly list: PyList) {
    super();
  }
  override get typeName(): string {
    return 'list_iterator';
  }
  next(): PyValue | undefined {
    const items = this.list.items;
    return this.i < items.length ? items[this.i++] : undefined;
  }
}

export class RangeIterator extends PyIterator {
  private i = 0;
  constructor(private readonly range: PyRange) {
    super();
  }
  override get typeName(): string {
    return 'range_iterator';
  }
  next(): PyValue | undefined {
    return this.i < this.range.length ? this.range.at(this.i++) : undefined;
  }
}

/** [start, stop, step, length] of a slice over a sequence of `length`, as PySlice_AdjustIndices. */
export function sliceIndices(rt: Pick<Runtime, 'index'>, s: PySlice, length: number): [number, number, number, number] {
  const step = s.step === null ? 1 : rt.index(s.step, 'slice indices must be integers or None or have an __index__ method');
  if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  const lowerDefault = step < 0 ? length - 1 : 0;
  const upperDefault = step < 0 ? -1 : length;
  const clamp = (v: PyValue, def: number): number => {
    if (v === null) return def;
    let i = rt.index(v, 'slice indices must be integers or None or have an __index__ method');
    if (i < 0) {
      i += length;
      if (i < 0) i = step < 0 ? -1 : 0;
    } else if (i >= length) i = step < 0 ? length - 1 : length;
    return i;
  };
  const start = clamp(s.start, lowerDefault);
  const stop = clamp(s.stop, upperDefault);
  let n = 0;
  if (step < 0) n = stop < start ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  else n = start < stop ? Math.floor((stop - start - 1) / step) + 1 : 0;
  return [start, stop, step, n];
}

/** Dtypes PyTorch has and this playground does not, by where a program reaches them. */
const UNSUPPORTED_DTYPES = new Map<string, string>([
  ...['float16', 'half', 'bfloat16', 'complex64', 'complex128', 'cfloat', 'cdouble']
    .map((d): [string, string] => [`torch.${d}`, `torch.${d}`]),
  ...['half', 'bfloat16', 'cfloat', 'cdouble']
    .map((m): [string, string] => [`Tensor.${m}`, `Tensor.${m}()`]),
]);

export class Runtime {
  /** Method tables of builtin types, filled by builtins.ts. */
  readonly methods = {
    str: new Map() as MethodTable,
    list: new Map() as MethodTable,
    tuple: new Map() as MethodTable,
    dict: new Map() as MethodTable,
    int: new Map() as MethodTable,
    float: new Map() as MethodTable,
    /** The generator's own methods (send), filled by the interpreter. */
    generator: new Map() as MethodTable,
    set: new Map() as MethodTable,
  };
  private reprDepth = 0;
  private readonly reprStack: object[] = [];

  constructor(readonly hostTypeOf: HostTypeOf = () => undefined) {}

  host(v: object): HostType | undefined {
    return this.hostTypeOf(v);
  }

  // ---- names and text ------------------------------------------------------------------------

  typeName(v: PyValue): string {
    if (v === null) return 'NoneType';
    switch (typeof v) {
      case 'number':
        return 'int';
      case 'boolean':
        return 'bool';
      case 'string':
        return 'str';
    }
    if (v instanceof PyObject) return v.typeName;
    return this.hostTypeOf(v)?.typeName(v) ?? 'object';
  }

  repr(v: PyValue): string {
    if (v === null) return 'None';
    switch (typeof v) {
      case 'number':
        return intRepr(v);
      case 'boolean':
        return v ? 'True' : 'False';
      case 'string':
        return strRepr(v);
    }
    if (v instanceof PyFloat) return v instanceof PyFloatSubclass ? v.reprText() : floatRepr(v.value);
    if (v instanceof PyObject) return this.objectRepr(v);
    const h = this.hostTypeOf(v);
    if (h?.repr) return h.repr(v);
    return `<${h?.typeName(v) ?? 'object'} object>`;
  }

  str(v: PyValue): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.str) return h.str(v);
    }
    if (v instanceof PyExceptionValue) {
      // KeyError's str is its key's repr (so `print(e)` shows 'k' with quotes).
      if (v.args.length === 1 && v.type.name === 'KeyError') return this.repr(v.args[0]);
      return v.args.length === 0 ? '' : v.args.length === 1 ? this.str(v.args[0]) : this.repr(new PyTuple(v.args));
    }
    return this.repr(v);
  }

  private objectRepr(v: PyObject): string {
    const custom = v.customRepr();
    if (custom !== undefined) return custom;
    if (v instanceof PySet) {
      const inner = v.items().map((x) => this.repr(x)).join(', ');
      if (v.frozen) return inner ? `frozenset({${inner}})` : 'frozenset()';
      return inner ? `{${inner}}` : 'set()';
    }
    if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict) {
      if (this.reprStack.includes(v)) return v instanceof PyDict ? '{...}' : v instanceof PyList ? '[...]' : '(...)';
      if (this.reprDepth > 200) throw new PyError('RecursionError', 'maximum recursion depth exceeded while getting the repr of an object');
      this.reprStack.push(v);
      this.reprDepth++;
      try {
        if (v instanceof PyDictView) return `${v.viewName}([${v.items.map((x) => this.repr(x)).join(', ')}])`;
        if (v instanceof PyList) return '[' + v.items.map((x) => this.repr(x)).join(', ') + ']';
        if (v instanceof PyTuple) {
          const inner = v.items.map((x) => this.repr(x)).join(', ');
          return v.items.length === 1 ? `(${inner},)` : `(${inner})`;
        }
        if (v instanceof PyOrderedDict) {
          const items = v.entries().map(([k, x]) => `(${this.repr(k)}, ${this.repr(x)})`);
          return items.length ? `OrderedDict([${items.join(', ')}])` : 'OrderedDict()';
        }
        const braces = '{' + v.entries().map(([k, x]) => `${this.repr(k)}: ${this.repr(x)}`).join(', ') + '}';
        if (v instanceof PyDefaultDict) return `defaultdict(${this.repr(v.factory)}, ${braces})`;
        return braces;
      } finally {
        this.reprStack.pop();
        this.reprDepth--;
      }
    }
    if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    if (v instanceof PySlice) return `slice(${this.repr(v.start)}, ${this.repr(v.stop)}, ${this.repr(v.step)})`;
    if (v === Ellipsis) return 'Ellipsis';
    if (v instanceof PyModule) return `<module '${v.name}'>`;
    if (v instanceof PyExceptionValue) {
      const args = v.args.map((a) => this.repr(a)).join(', ');
      return `${v.type.name}(${args})`;
    }
    if (v instanceof PyType) return `<class '${v.qualname ?? v.name}'>`;
    if (v instanceof PyExceptionType) return `<class '${v.name}'>`;
    if (v instanceof PyTypeRef) return `<class '${v.name}'>`;
    if (v instanceof PyBoundMethod) return `<built-in method ${v.name} of ${this.typeName(v.self)} object>`;
    if (v instanceof PyCallable) {
      return v.typeName === 'function' ? `<function ${v.name}>` : `<built-in function ${v.name}>`;
    }
    return `<${v.typeName} object>`;
  }

  format(v: PyValue, spec: string): string {
    if (typeof v === 'number') return formatNumber(v, true, spec);
    // (numpy's scalars format as Python floats: f'{np.float32(0.1)}' is 0.10000000149011612.)
    if (v instanceof PyFloat) return formatNumber(v.value, false, spec);
    if (typeof v === 'boolean') return spec === '' ? this.str(v) : formatNumber(v ? 1 : 0, true, spec);
    if (typeof v === 'string') return formatString(v, spec);
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.format) return h.format(v, spec);
    }
    if (spec === '') return this.str(v);
    throw typeError(`unsupported format string passed to ${this.typeName(v)}.__format__`);
  }

  // ---- truth, numbers ------------------------------------------------------------------------

  truthy(v: PyValue): boolean {
    if (v === null) return false;
    switch (typeof v) {
      case 'boolean':
        return v;
      case 'number':
        return v !== 0;
      case 'string':
        return v.length > 0;
    }
    if (v instanceof PyFloat) return v.value !== 0;
    if (v instanceof PyList) return v.items.length > 0;
    if (v instanceof PyTuple) return v.items.length > 0;
    if (v instanceof PyDict) return v.size > 0;
    if (v instanceof PySet) return v.size > 0;
    if (v instanceof PyRange) return v.length > 0;
    if (v instanceof PyObject) return true;
    const h = this.hostTypeOf(v);
    if (h?.bool) return h.bool(v);
    if (h?.len) return h.len(v) > 0;
    return true;
  }

  /** An int for indexing (ints, bools, host objects that convert to an integral number). */
  index(v: PyValue, message?: string): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.toNumber) {
        const n = h.toNumber(v, 'index');
        if (Number.isInteger(n)) return n;
      }
    }
    throw typeError(message ?? `'${this.typeName(v)}' object cannot be interpreted as an integer`);
  }

  /** int/float/bool (or a host object with toNumber) as a JS number. */
  toNumber(v: PyValue, kind: 'float' | 'int' | 'index' = 'float'): number | undefined {
    if (typeof v === 'number') return v;
    if (v instanceof PyFloat) return v.value;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.toNumber) return h.toNumber(v, kind);
    }
    return undefined;
  }

  // ---- operators -----------------------------------------------------------------------------

  binop(op: BinOp, l: PyValue, r: PyValue): PyValue {
    if (typeof l === 'number' && typeof r === 'number') return intOp(op, l, r);
    if (l instanceof PySet && r instanceof PySet && (op === '|' || op === '&' || op === '-' || op === '^')) return setOp(op, l, r);
    if (op === '|' && l instanceof PyDict && r instanceof PyDict) {
      // d1 | d2: a new dict of the left one's kind, the right one's values winning.
      const out = l instanceof PyOrderedDict ? new PyOrderedDict() : l instanceof PyDefaultDict ? new PyDefaultDict(l.factory) : new PyDict();
      for (const [k, v] of l.entries()) out.set(k, v);
      for (const [k, v] of r.entries()) out.set(k, v);
      return out;
    }
    const lf = l instanceof PyFloat;
    const rf = r instanceof PyFloat;
    if ((lf || typeof l === 'number' || typeof l === 'boolean') && (rf || typeof r === 'number' || typeof r === 'boolean')) {
      if (typeof l === 'boolean' && typeof r === 'boolean' && (op === '&' || op === '|' || op === '^')) {
        return op === '&' ? l && r : op === '|' ? l || r : l !== r;
      }
      const a = lf ? (l as PyFloat).value : +(l as number | boolean);
      const b = rf ? (r as PyFloat).value : +(r as number | boolean);
      if (lf || rf) {
        if (l instanceof PyFloatSubclass || r instanceof PyFloatSubclass) {
          const res = l instanceof PyFloatSubclass ? l.binop(op, r, false) : (r as PyFloatSubclass).binop(op, l, true);
          if (res !== NotImplemented) return res;
        }
        return floatOp(op, a, b, this, l, r);
      }
      return intOp(op, a, b);
    }
    if (typeof l === 'object' && l !== null && !(l instanceof PyObject)) {
      const h = this.hostTypeOf(l);
      if (h?.binop) {
        const res = h.binop(op, l, r, false);
        if (res !== NotImplemented) return res;
      }
    }
    if (typeof r === 'object' && r !== null && !(r instanceof PyObject)) {
      const h = this.hostTypeOf(r);
      if (h?.binop) {
        const res = h.binop(op, r, l, true);
        if (res !== NotImplemented) return res;
      }
    }
    return this.sequenceOp(op, l, r);
  }

  private sequenceOp(op: BinOp, l: PyValue, r: PyValue): PyValue {
    if (op === '+') {
      if (typeof l === 'string' && typeof r === 'string') return l + r;
      if (l instanceof PyList && r instanceof PyList) return new PyList(l.items.concat(r.items));
      if (l instanceof PyTuple && r instanceof PyTuple) return l.derive(l.items.concat(r.items));
      if (typeof l === 'string' || l instanceof PyList || l instanceof PyTuple) {
        const t = typeof l === 'string' ? 'str' : l instanceof PyList ? 'list' : 'tuple';
        throw typeError(`can only concatenate ${t} (not "${this.typeName(r)}") to ${t}`);
      }
    }
    if (op === '*') {
      const [seq, n] = isSequence(l) && isIntLike(r) ? [l, r] : isSequence(r) && isIntLike(l) ? [r, l] : [null, 0];
      if (seq !== null) {
        const count = Math.max(0, +n);
        if (typeof seq === 'string') {
          if (seq.length * count > 1e8) throw new PyError('MemoryError', '');
          return seq.repeat(count);
        }
        const items = (seq as PyList | PyTuple).items;
        if (items.length * count > 1e7) throw new PyError('MemoryError', '');
        const out: PyValue[] = [];
        for (let i = 0; i < count; i++) for (const x of items) out.push(x);
        return seq instanceof PyList ? new PyList(out) : (seq as PyTuple).derive(out);
      }
      if (isSequence(l) || isSequence(r)) {
        const seq = isSequence(l) ? l : r;
        const other = seq === l ? r : l;
        throw typeError(`can't multiply sequence by non-int of type '${this.typeName(other)}'`);
      }
    }
    if (op === '%' && typeof l === 'string') return percentFormat(this, l, r);
    const opText = op === '**' ? '** or pow()' : op;
    throw typeError(`unsupported operand type(s) for ${opText}: '${this.typeName(l)}' and '${this.typeName(r)}'`);
  }

  /** `l op= r`: in place for host objects that support it and for lists (+=, *=), else `l op r`. */
  inplace(op: BinOp, l: PyValue, r: PyValue): PyValue {
    if (typeof l === 'object' && l !== null) {
      if (!(l instanceof PyObject)) {
        const h = this.hostTypeOf(l);
        if (h?.inplace) {
          const res = h.inplace(op, l, r);
          if (res !== NotImplemented) return res;
        }
      } else if (l instanceof PyDict && op === '|' && r instanceof PyDict) {
        for (const [k, v] of r.entries()) l.set(k, v);
        return l;
      } else if (l instanceof PySet && !l.frozen && r instanceof PySet && (op === '|' || op === '&' || op === '-' || op === '^')) {
        return setInplace(op, l, r);
      } else if (l instanceof PyList && op === '+') {
        const items = this.toArray(r);
        for (const x of items) l.items.push(x);
        return l;
      } else if (l instanceof PyList && op === '*' && isIntLike(r)) {
        const src = l.items.slice();
        l.items.length = 0;
        for (let i = 0; i < +r; i++) for (const x of src) l.items.push(x);
        return l;
      }
    }
    return this.binop(op, l, r);
  }

  unary(op: UnaryOp, v: PyValue): PyValue {
    if (typeof v === 'number') return op === '-' ? 0 - v : op === '+' ? v : -v - 1;
    if (typeof v === 'boolean') return op === '-' ? (v ? -1 : 0) : op === '+' ? +v : v ? -2 : -1;
    if (v instanceof PyFloat) {
      if (v instanceof PyFloatSubclass) return v.unaryOp(op);
      if (op === '-') return new PyFloat(-v.value);
      if (op === '+') return v;
    }
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.unary) {
        const res = h.unary(op, v);
        if (res !== NotImplemented) return res;
      }
    }
    throw typeError(`bad operand type for unary ${op}: '${this.typeName(v)}'`);
  }

  compare(op: CmpOp, l: PyValue, r: PyValue): PyValue {
    if (typeof l === 'number' && typeof r === 'number') return numCompare(op, l, r);
    const lh = typeof l === 'object' && l !== null && !(l instanceof PyObject);
    const rh = typeof r === 'object' && r !== null && !(r instanceof PyObject);
    if (lh) {
      const h = this.hostTypeOf(l);
      if (h?.compare) {
        const res = h.compare(op, l, r);
        if (res !== NotImplemented) return res;
      }
    }
    if (rh) {
      const h = this.hostTypeOf(r);
      if (h?.compare) {
        const res = h.compare(SWAPPED[op], r, l);
        if (res !== NotImplemented) return res;
      }
    }
    if (op === '==') return this.eq(l, r);
    if (op === '!=') return !this.eq(l, r);
    if (l instanceof PySet && r instanceof PySet) {
      // Subsets, not an order: a <= b when every member of a is in b.
      const sub = (a: PySet, b: PySet) => a.items().every((x) => b.has(x));
      if (op === '<=') return sub(l, r);
      if (op === '<') return l.size < r.size && sub(l, r);
      if (op === '>=') return sub(r, l);
      return r.size < l.size && sub(r, l);
    }
    const c = this.order(l, r, op);
    switch (op) {
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      default:
        return c >= 0;
    }
  }

  /** Python `==` for builtin values (host objects: identity unless their compare hook answered). */
  eq(l: PyValue, r: PyValue): boolean {
    if (l === r) return !(l instanceof PyFloat && Number.isNaN(l.value));
    const a = numOf(l);
    if (a !== undefined) {
      const b = numOf(r);
      return b !== undefined && a === b;
    }
    if (l instanceof PyList && r instanceof PyList) return this.seqEq(l.items, r.items);
    if (l instanceof PyTuple && r instanceof PyTuple) return this.seqEq(l.items, r.items);
    if (l instanceof PyDict && r instanceof PyDict) {
      if (l.size !== r.size) return false;
      for (const [k, v] of l.entries()) {
        const w = r.get(k);
        if (w === undefined || !this.truthy(this.compare('==', v, w))) return false;
      }
      return true;
    }
    if (l instanceof PySet && r instanceof PySet) return l.size === r.size && l.items().every((x) => r.has(x));
    if (l instanceof PyRange && r instanceof PyRange) {
      return l.length === r.length && (l.length === 0 || (l.start === r.start && (l.length === 1 || l.step === r.step)));
    }
    if (l instanceof PySlice && r instanceof PySlice) {
      return this.eq(l.start, r.start) && this.eq(l.stop, r.stop) && this.eq(l.step, r.step);
    }
    return false;
  }

  private seqEq(a: readonly PyValue[], b: readonly PyValue[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i] && !this.truthy(this.compare('==', a[i], b[i]))) return false;
    }
    return true;
  }

  /** Three-way order for <, <=, >, >= on numbers, strings, lists and tuples. */
  private order(l: PyValue, r: PyValue, op: string): number {
    const a = numOf(l);
    const b = numOf(r);
    if (a !== undefined && b !== undefined) return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
    if (typeof l === 'string' && typeof r === 'string') return l < r ? -1 : l > r ? 1 : 0;
    if ((l instanceof PyList && r instanceof PyList) || (l instanceof PyTuple && r instanceof PyTuple)) {
      const x = l.items;
      const y = r.items;
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        if (!this.eq(x[i], y[i])) return this.truthy(this.compare('<', x[i], y[i])) ? -1 : 1;
      }
      return x.length - y.length;
    }
    throw typeError(`'${op}' not supported between instances of '${this.typeName(l)}' and '${this.typeName(r)}'`);
  }

  is(l: PyValue, r: PyValue): boolean {
    return l === r;
  }

  contains(container: PyValue, item: PyValue): boolean {
    if (typeof container === 'string') {
      if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${this.typeName(item)}`);
      return container.includes(item);
    }
    if (container instanceof PyList || container instanceof PyTuple) {
      for (const x of container.items) if (x === item || this.truthy(this.compare('==', x, item))) return true;
      return false;
    }
    if (container instanceof PyDict) return container.has(item);
    if (container instanceof PySet) return container.has(item);
    if (container instanceof PyRange) {
      const n = numOf(item);
      if (n === undefined || !Number.isInteger(n)) return false;
      const k = (n - container.start) / container.step;
      return Number.isInteger(k) && k >= 0 && k < container.length;
    }
    if (typeof container === 'object' && container !== null && !(container instanceof PyObject)) {
      const h = this.hostTypeOf(container);
      if (h?.contains) return h.contains(container, item);
    }
    const it = this.iterOrNull(container);
    if (it === null) throw typeError(`argument of type '${this.typeName(container)}' is not iterable`);
    for (let x = it.next(); x !== undefined; x = it.next()) {
      if (x === item || this.truthy(this.compare('==', x, item))) return true;
    }
    return false;
  }

  // ---- attributes ----------------------------------------------------------------------------

  attributeError(obj: PyValue, name: string): PyError {
    // PyTorch has these; this playground does not: say so, rather than that PyTorch lacks them.
    const owner = obj instanceof PyModule ? obj.name : this.typeName(obj) === 'Tensor' ? 'Tensor' : null;
    const missing = owner === null ? undefined : UNSUPPORTED_DTYPES.get(`${owner}.${name}`);
    if (missing !== undefined) {
      return new PyError('AttributeError', `${missing} is not supported in this playground: its tensors are float32, float64, int64, int32, int16, int8, uint8 or bool`);
    }
    // CPython 3.11 looks for a suggestion among at most 750 names: the real torch module has some 1250, so none.
    const noHint = isForbiddenName(name) || (obj instanceof PyModule && obj.name === 'torch');
    const msg = (m: string): PyError =>
      noHint ? new PyError('AttributeError', m) : withSuggestion('AttributeError', m, name, this.attributeNames(obj));
    if (obj instanceof PyModule) return msg(`module '${obj.name}' has no attribute '${name}'`);
    if (obj instanceof PyType || obj instanceof PyExceptionType || obj instanceof PyTypeRef) {
      return msg(`type object '${obj.name}' has no attribute '${name}'`);
    }
    return msg(`'${this.typeName(obj)}' object has no attribute '${name}'`);
  }

  /** The attribute names of a value, for suggestions. */
  private attributeNames(obj: PyValue): string[] {
    if (obj instanceof PyModule) return [...obj.attrs.keys()];
    if (typeof obj === 'object' && obj !== null && !(obj instanceof PyObject)) return this.hostTypeOf(obj)?.dir?.(obj) ?? [];
    return [...(this.methodTable(obj)?.keys() ?? [])];
  }

  getattr(obj: PyValue, name: string): PyValue {
    const v = this.getattrOrUndefined(obj, name);
    if (v === undefined) throw this.attributeError(obj, name);
    return v;
  }

  getattrOrUndefined(obj: PyValue, name: string): PyValue | undefined {
    if (isForbiddenName(name)) return undefined;
    if (typeof obj === 'object' && obj !== null && !(obj instanceof PyObject)) {
      const h = this.hostTypeOf(obj);
      return h?.getattr ? h.getattr(obj, name) : undefined;
    }
    if (obj instanceof PyModule) return obj.attrs.get(name);
    if (obj instanceof PyObject) {
      const own = obj.pyGetattr(name);
      if (own !== undefined) return own;
    }
    const table = this.methodTable(obj);
    if (table) {
      const fn = table.get(name);
      if (fn) return new PyBoundMethod(obj, name, fn);
    }
    return this.specialAttribute(obj, name);
  }

  /**
   * `str.lower`, `list.append`, `dict.fromkeys`: a method taken from a builtin type, called with the receiver
   * first (`sorted(words, key=str.lower)`, `map(str.strip, lines)`).
   */
  private unboundMethod(type: PyType, name: string): PyValue | undefined {
    if (type.name === 'dict' && name === 'fromkeys') {
      return new PyBuiltin('fromkeys', (args) => {
        if (args.length < 1 || args.length > 2) throw typeError(`fromkeys expected at least 1 argument, got ${args.length}`);
        const d = new PyDict();
        for (const k of this.toArray(args[0])) d.set(k, args.length > 1 ? args[1] : null);
        return d;
      });
    }
    if (type.name === 'object' && name === '__setattr__') {
      // object.__setattr__(self, name, value): past a class's own __setattr__ (frozen dataclasses set fields so).
      return new PyBuiltin(name, (args) => {
        if (args.length !== 3) throw typeError(`expected 3 arguments, got ${args.length}`);
        const [self, attr, value] = args;
        if (typeof attr !== 'string') throw typeError(`attribute name must be string, not '${this.typeName(attr)}'`);
        if (self instanceof PyInstance) self.dict.set(attr, value);
        else this.setattr(self, attr, value);
        return null;
      });
    }
    const table = (this.methods as unknown as Record<string, MethodTable | undefined>)[type.name];
    const fn = table instanceof Map ? table.get(name) : undefined;
    if (fn === undefined) return undefined;
    return new PyBuiltin(name, (args, kwargs) => {
      if (args.length === 0) throw typeError(`unbound method ${type.name}.${name}() needs an argument`);
      const self = args[0];
      if (!type.check(self)) throw typeError(`descriptor '${name}' for '${type.name}' objects doesn't apply to a '${this.typeName(self)}' object`);
      return fn(self, args.slice(1), kwargs);
    });
  }

  private specialAttribute(obj: PyValue, name: string): PyValue | undefined {
    if (obj instanceof PyType) {
      const m = this.unboundMethod(obj, name);
      if (m !== undefined) return m;
    }
    if (name === '__name__') {
      if (obj instanceof PyCallable) return obj.name;
      if (obj instanceof PyTypeRef) return obj.name.slice(obj.name.lastIndexOf('.') + 1);
      if (obj instanceof PyModule) return obj.name;
    }
    if (name === '__class__') return this.typeOf(obj);
    if (obj instanceof PyFloat) {
      if (name === 'real') return obj;
      if (name === 'imag') return new PyFloat(0);
    }
    if (typeof obj === 'number' || typeof obj === 'boolean') {
      if (name === 'real' || name === 'numerator') return +obj;
      if (name === 'imag') return 0;
      if (name === 'denominator') return 1;
    }
    if (obj instanceof PyExceptionValue && name === 'args') return new PyTuple(obj.args);
    if (obj instanceof PyExceptionValue && name === '__cause__') return obj.cause ?? null;
    if (obj instanceof PyExceptionValue && name === 'value' && obj.type.name === 'StopIteration') return obj.args.length > 0 ? obj.args[0] : null;
    if (obj instanceof PySlice) {
      if (name === 'start') return obj.start;
      if (name === 'stop') return obj.stop;
      if (name === 'step') return obj.step;
    }
    if (obj instanceof PyRange) {
      if (name === 'start') return obj.start;
      if (name === 'stop') return obj.stop;
      if (name === 'step') return obj.step;
    }
    return undefined;
  }

  /** KeyError(key): its message is the key's repr, its args the key itself (`e.args[0]`, `repr(e)`). */
  keyError(key: PyValue): PyError {
    const err = new PyError('KeyError', this.repr(key));
    const t = this.builtinTypes.get('KeyError');
    if (t instanceof PyExceptionType) err.value = new PyExceptionValue(t, [key]);
    return err;
  }

  /** The exception object of a raised error (made from its type and message when Python code did not make it). */
  exceptionValue(error: PyError): PyValue {
    if (error.value) return error.value;
    const t = this.builtinTypes.get(error.type);
    if (!(t instanceof PyExceptionType)) return null;
    return (error.value = new PyExceptionValue(t, error.message === '' ? [] : [error.message]));
  }

  /** The type object of a value (builtin types are filled in by builtins.ts). */
  typeOf(v: PyValue): PyValue {
    const cls = classOf(v);
    if (cls) return cls;
    const name = this.typeName(v);
    const key = v !== null && typeof v === 'object' && !(v instanceof PyObject) ? this.hostTypeOf(v)?.typeKey?.(v) ?? name : name;
    return this.builtinTypes.get(key) ?? new PyTypeRef(name);
  }
  readonly builtinTypes = new Map<string, PyValue>();

  private methodTable(obj: PyValue): MethodTable | undefined {
    switch (typeof obj) {
      case 'string':
        return this.methods.str;
      case 'number':
      case 'boolean':
        return this.methods.int;
    }
    if (obj instanceof PyList) return this.methods.list;
    if (obj instanceof PyTuple) return this.methods.tuple;
    if (obj instanceof PyDict) return this.methods.dict;
    if (obj instanceof PySet) return this.methods.set;
    if (obj instanceof PyFloat) return this.methods.float;
    if (obj instanceof PyIterator && obj.typeName === 'generator') return this.methods.generator;
    return undefined;
  }

  setattr(obj: PyValue, name: string, value: PyValue): void {
    if (!isForbiddenName(name) && typeof obj === 'object' && obj !== null && !(obj instanceof PyObject)) {
      const h = this.hostTypeOf(obj);
      if (h?.setattr && h.setattr(obj, name, value)) return;
      throw this.attributeError(obj, name);
    }
    if (obj instanceof PyModule) throw new PyError('AttributeError', `cannot set attribute '${name}' of module '${obj.name}' in this playground`);
    if (obj instanceof PyObject && !isForbiddenName(name) && obj.pySetattr(name, value)) return;
    if (this.methodTable(obj)?.has(name)) {
      throw new PyError('AttributeError', `'${this.typeName(obj)}' object attribute '${name}' is read-only`);
    }
    throw this.attributeError(obj, name);
  }

  /** `del obj.name` / delattr(obj, name): an attribute of an instance of a program class, or of a function. */
  delattr(obj: PyValue, name: string): void {
    if (obj instanceof PyInstance) {
      if (!obj.dict.delete(name)) throw this.attributeError(obj, name);
      return;
    }
    throw new PyError('AttributeError', `'${this.typeName(obj)}' object attribute '${name}' cannot be deleted in this playground`);
  }

  /** `obj.name(args)` without allocating a bound method where the receiver has a table or a fast path. */
  callMethod(obj: PyValue, name: string, args: PyValue[], kwargs: Kwargs): PyValue {
    if (typeof obj === 'object' && obj !== null && !(obj instanceof PyObject)) {
      const h = this.hostTypeOf(obj);
      if (h?.callMethod && !isForbiddenName(name)) {
        const res = h.callMethod(obj, name, args, kwargs);
        if (res !== NotImplemented) return res;
      }
    } else if (!(obj instanceof PyModule)) {
      const fn = this.methodTable(obj)?.get(name);
      if (fn) return fn(obj, args, kwargs);
    }
    return this.call(this.getattr(obj, name), args, kwargs);
  }

  // ---- items ---------------------------------------------------------------------------------

  getitem(obj: PyValue, index: PyValue): PyValue {
    if (obj instanceof PyList || obj instanceof PyTuple) {
      // dict.keys()/values()/items() are views: iterable, not indexable (`list(d.items())[0]`).
      if (obj instanceof PyDictView) throw typeError(`'${obj.viewName}' object is not subscriptable`);
      const items = obj.items;
      if (typeof index === 'number' || typeof index === 'boolean') {
        let i = +index;
        if (i < 0) i += items.length;
        // CPython's wording names the base type (torch.Size is a tuple).
        if (i < 0 || i >= items.length) throw new PyError('IndexError', `${obj instanceof PyList ? 'list' : 'tuple'} index out of range`);
        return items[i];
      }
      if (index instanceof PySlice) {
        const out = this.sliceArray(items, index);
        return obj instanceof PyList ? new PyList(out) : obj.derive(out);
      }
      return items[this.seqIndex(obj, index, items.length)];
    }
    if (obj instanceof PyDict) {
      const v = obj.get(index);
      if (v !== undefined) return v;
      if (obj instanceof PyDefaultDict && obj.factory !== null) {
        const made = this.call(obj.factory, [], null);
        obj.set(index, made);
        return made;
      }
      throw this.keyError(index);
    }
    if (typeof obj === 'string') {
      if (index instanceof PySlice) return this.sliceArray(Array.from(obj), index).join('');
      const chars = obj;
      return chars[this.seqIndex(obj, index, chars.length, 'string')];
    }
    if (obj instanceof PyRange) {
      if (index instanceof PySlice) {
        const [start, , step, n] = sliceIndices(this, index, obj.length);
        return new PyRange(obj.at(start), obj.at(start) + n * step * obj.step, step * obj.step);
      }
      return obj.at(this.seqIndex(obj, index, obj.length));
    }
    if (typeof obj === 'object' && obj !== null && !(obj instanceof PyObject)) {
      const h = this.hostTypeOf(obj);
      if (h?.getitem) return h.getitem(obj, index);
    }
    if (obj instanceof PyType && (obj.name === 'list' || obj.name === 'tuple' || obj.name === 'dict')) return obj; // list[int] annotations
    throw typeError(`'${this.typeName(obj)}' object is not subscriptable`);
  }

  private seqIndex(obj: PyValue, index: PyValue, length: number, what = this.typeName(obj)): number {
    if (typeof index !== 'number' && typeof index !== 'boolean' && !(typeof index === 'object' && index !== null && !(index instanceof PyObject))) {
      throw typeError(`${what} indices must be integers or slices, not ${this.typeName(index)}`);
    }
    let i = this.index(index, `${what} indices must be integers or slices, not ${this.typeName(index)}`);
    if (i < 0) i += length;
    if (i < 0 || i >= length) throw new PyError('IndexError', `${what} index out of range`);
    return i;
  }

  sliceArray<T>(items: readonly T[], s: PySlice): T[] {
    const [start, , step, n] = sliceIndices(this, s, items.length);
    if (step === 1) return items.slice(start, start + n);
    const out: T[] = [];
    for (let k = 0, i = start; k < n; k++, i += step) out.push(items[i]);
    return out;
  }

  setitem(obj: PyValue, index: PyValue, value: PyValue): void {
    if (obj instanceof PyList) {
      if (index instanceof PySlice) {
        const [start, , step, n] = sliceIndices(this, index, obj.items.length);
        const values = this.toArray(value);
        if (step === 1) {
          obj.items.splice(start, n, ...values);
          return;
        }
        if (values.length !== n) {
          throw new PyError('ValueError', `attempt to assign sequence of size ${values.length} to extended slice of size ${n}`);
        }
        for (let k = 0, i = start; k < n; k++, i += step) obj.items[i] = values[k];
        return;
      }
      const i = this.seqIndex(obj, index, obj.items.length, 'list assignment');
      obj.items[i] = value;
      return;
    }
    if (obj instanceof PyDict) {
      obj.set(index, value);
      return;
    }
    if (typeof obj === 'object' && obj !== null && !(obj instanceof PyObject)) {
      const h = this.hostTypeOf(obj);
      if (h?.setitem) {
        h.setitem(obj, index, value);
        return;
      }
    }
    throw typeError(`'${this.typeName(obj)}' object does not support item assignment`);
  }

  delitem(obj: PyValue, index: PyValue): void {
    if (obj instanceof PyList) {
      if (index instanceof PySlice) {
        const [start, , step, n] = sliceIndices(this, index, obj.items.length);
        const drop = new Set<number>();
        for (let k = 0, i = start; k < n; k++, i += step) drop.add(i);
        obj.items = obj.items.filter((_, i) => !drop.has(i));
        return;
      }
      const i = this.seqIndex(obj, index, obj.items.length, 'list assignment');
      obj.items.splice(i, 1);
      return;
    }
    if (obj instanceof PyDict) {
      if (!obj.delete(index)) throw this.keyError(index);
      return;
    }
    throw typeError(`'${this.typeName(obj)}' object does not support item deletion`);
  }

  // ---- iteration, length, calls --------------------------------------------------------------

  iter(v: PyValue): PyIterator {
    const it = this.iterOrNull(v);
    if (it === null) throw typeError(`'${this.typeName(v)}' object is not iterable`);
    return it;
  }

  private iterOrNull(v: PyValue): PyIterator | null {
    if (v instanceof PyList) return new ListIterator(v);
    if (v instanceof PyTuple) return new ArrayIterator(v.items, 'tuple_iterator');
    if (v instanceof PyRange) return new RangeIterator(v);
    if (v instanceof PyIterator) return v;
    if (v instanceof PyDict) return new ArrayIterator(v.keys(), 'dict_keyiterator');
    if (v instanceof PySet) return new ArrayIterator(v.items().slice(), 'set_iterator');
    if (typeof v === 'string') return new ArrayIterator(Array.from(v), 'str_iterator');
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.iter) return new JsIterator(h.iter(v)[Symbol.iterator]());
    }
    return null;
  }

  /** All items of an iterable, as an array (lists and tuples without copying when `copy` is false). */
  toArray(v: PyValue, copy = true): PyValue[] {
    if (v instanceof PyList) return copy ? v.items.slice() : v.items;
    if (v instanceof PyTuple) return copy ? v.items.slice() : (v.items as PyValue[]);
    const it = this.iter(v);
    const out: PyValue[] = [];
    for (let x = it.next(); x !== undefined; x = it.next()) {
      out.push(x);
      if (out.length > 50_000_000) throw new PyError('MemoryError', 'too many items');
    }
    return out;
  }

  len(v: PyValue): number {
    if (typeof v === 'string') return v.length;
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
    if (v instanceof PyDict) return v.size;
    if (v instanceof PySet) return v.size;
    if (v instanceof PyRange) return v.length;
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) {
      const h = this.hostTypeOf(v);
      if (h?.len) return h.len(v);
    }
    throw typeError(`object of type '${this.typeName(v)}' has no len()`);
  }

  call(fn: PyValue, args: PyValue[], kwargs: Kwargs): PyValue {
    if (fn instanceof PyCallable) return fn.call(args, kwargs);
    if (typeof fn === 'object' && fn !== null && !(fn instanceof PyObject)) {
      const h = this.hostTypeOf(fn);
      if (h?.call) return h.call(fn, args, kwargs);
    }
    throw typeError(`'${this.typeName(fn)}' object is not callable`);
  }

  isCallable(fn: PyValue): boolean {
    if (fn instanceof PyCallable) return true;
    if (typeof fn === 'object' && fn !== null && !(fn instanceof PyObject)) return this.hostTypeOf(fn)?.call !== undefined;
    return false;
  }
}

export function builtinFn(name: string, fn: (args: PyValue[], kwargs: Kwargs) => PyValue): PyBuiltin {
  return new PyBuiltin(name, fn);
}

function isSequence(v: PyValue): v is string | PyList | PyTuple {
  return typeof v === 'string' || v instanceof PyList || v instanceof PyTuple;
}

function isIntLike(v: PyValue): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}

function numOf(v: PyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function numCompare(op: CmpOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

const zeroDivision = (msg: string): PyError => new PyError('ZeroDivisionError', msg);

function intOp(op: BinOp, a: number, b: number): PyValue {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw zeroDivision('division by zero');
      return new PyFloat(a / b);
    case '//':
      if (b === 0) throw zeroDivision('integer division or modulo by zero');
      return Math.floor(a / b);
    case '%': {
      if (b === 0) throw zeroDivision('integer modulo by zero');
      const r = a % b;
      return r !== 0 && r < 0 !== b < 0 ? r + b : r === 0 ? 0 : r;
    }
    case '**':
      if (b < 0) {
        if (a === 0) throw zeroDivision('0.0 cannot be raised to a negative power');
        return new PyFloat(libm.pow(a, b));
      }
      return a ** b;
    case '@':
      throw typeError(`unsupported operand type(s) for @: 'int' and 'int'`);
    default: {
      const x = BigInt(a);
      const y = BigInt(b);
      switch (op) {
        case '&':
          return Number(x & y);
        case '|':
          return Number(x | y);
        case '^':
          return Number(x ^ y);
        case '<<':
          if (b < 0) throw new PyError('ValueError', 'negative shift count');
          return Number(x << y);
        default:
          if (b < 0) throw new PyError('ValueError', 'negative shift count');
          return Number(x >> y);
      }
    }
  }
}

function floatOp(op: BinOp, a: number, b: number, rt: Runtime, l: PyValue, r: PyValue): PyValue {
  switch (op) {
    case '+':
      return new PyFloat(a + b);
    case '-':
      return new PyFloat(a - b);
    case '*':
      return new PyFloat(a * b);
    case '/':
      if (b === 0) throw zeroDivision('float division by zero');
      return new PyFloat(a / b);
    case '//':
      if (b === 0) throw zeroDivision('float floor division by zero');
      return new PyFloat(libm.floatDivmod(a, b)[0]);
    case '%': {
      if (b === 0) throw zeroDivision('float modulo');
      return new PyFloat(libm.floatDivmod(a, b)[1]);
    }
    case '**':
      if (a === 0 && b < 0) throw zeroDivision('0.0 cannot be raised to a negative power');
      if (a < 0 && !Number.isInteger(b) && Number.isFinite(b)) {
        throw new PyError('ValueError', 'negative number cannot be raised to a fractional power (complex numbers are not supported)');
      }
      {
        const p = libm.pow(a, b);
        // C's pow sets ERANGE on overflow from finite operands: CPython raises it.
        if (!Number.isFinite(p) && Number.isFinite(a) && Number.isFinite(b)) throw new PyError('OverflowError', "(34, 'Numerical result out of range')");
        return new PyFloat(p);
      }
    default:
      throw typeError(`unsupported operand type(s) for ${op}: '${rt.typeName(l)}' and '${rt.typeName(r)}'`);
  }
}

/** ascii(v): the repr with every non-ASCII character escaped (\xe9, \u20ac, \U0001f600). */
export function asciiRepr(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out += ch;
    else if (c < 0x100) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out;
}

/** Python's repr of a str: single quotes unless the text has them and no double quotes. */
export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

/** printf-style `'%.3f' % x`. */
function percentFormat(rt: Runtime, fmt: string, arg: PyValue): string {
  const args = arg instanceof PyTuple ? arg.items : [arg];
  const mapping = arg instanceof PyDict ? arg : null;
  let k = 0;
  const out = fmt.replace(/%(\([^)]*\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g, (_m, key, flags, width, prec, type) => {
    if (type === '%') return '%';
    const next = (): PyValue => {
      if (k >= args.length) throw typeError('not enough arguments for format string');
      return args[k++];
    };
    if (width === '*') width = String(rt.index(next()));
    if (prec === '*') prec = String(rt.index(next()));
    const found = key ? mapping?.get(key.slice(1, -1)) : undefined;
    if (key && found === undefined) throw rt.keyError(key.slice(1, -1));
    const v = key ? found! : next();
    const align = flags.includes('-') ? '<' : '';
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const zero = flags.includes('0') && !align ? '0' : '';
    const alt = flags.includes('#') ? '#' : '';
    const w = width ?? '';
    const p = prec !== undefined ? '.' + prec : '';
    if (type === 's' || type === 'r' || type === 'a' || (type === 'c' && typeof v === 'string')) {
      if (type === 'c' && [...(v as string)].length !== 1) throw typeError('%c requires int or char');
      const text = type === 's' ? rt.str(v) : type === 'c' ? (v as string) : type === 'r' ? rt.repr(v) : asciiRepr(rt.repr(v));
      // Right-aligned unless '-', unlike format()'s strings.
      return formatString(text, `${align || '>'}${w}${p}`);
    }
    const n = rt.toNumber(v);
    if (n === undefined) throw typeError(`%${type} format: a real number is required, not ${rt.typeName(v)}`);
    if ('diuoxX'.includes(type)) {
      // The precision of an integer conversion is its least number of digits: '%.3d' % 5 == '005'.
      const i = Math.trunc(n);
      const base = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
      let digits = base === 10 ? intRepr(Math.abs(i)) : BigInt(Math.abs(i)).toString(base);
      if (type === 'X') digits = digits.toUpperCase();
      if (prec !== undefined) digits = digits.padStart(Number(prec), '0');
      const prefix = alt && base !== 10 ? '0' + (type === 'o' ? 'o' : type) : '';
      const signText = i < 0 ? '-' : sign;
      const width = w ? Number(w) : 0;
      if (align) return (signText + prefix + digits).padEnd(width);
      if (zero) return signText + prefix + digits.padStart(width - signText.length - prefix.length, '0');
      return (signText + prefix + digits).padStart(width);
    }
    if (type === 'c') return formatString(String.fromCodePoint(n), `${align || '>'}${w}`);
    return formatNumber(n, false, `${align}${sign}${alt}${zero}${w}${p || '.6'}${type}`);
  });
  if (!mapping && k < args.length) throw typeError('not all arguments converted during string formatting');
  return out;
}

export { PyTuple, PyList, PyDict, PyFloat };

/** `a | b`, `a & b`, `a - b`, `a ^ b` on sets: a new set of the left operand's kind, built as CPython builds it. */
export function setOp(op: '|' | '&' | '-' | '^', l: PySet, r: PySet): PySet {
  if (op === '|') {
    const out = new PySet(l, l.frozen);
    out.merge(r);
    return out;
  }
  if (op === '&') {
    // CPython walks the smaller set.
    const out = new PySet([], l.frozen);
    const [small, big] = r.size > l.size ? [l, r] : [r, l];
    for (const x of small.items()) if (big.has(x)) out.add(x);
    return out;
  }
  if (op === '-') {
    // Much larger than the other: a copy with the other's members removed (it keeps their dummies).
    if (l.size >> 2 > r.size) {
      const out = new PySet(l, l.frozen);
      setDifferenceUpdate(out, r);
      return out;
    }
    const out = new PySet([], l.frozen);
    for (const x of l.items()) if (!r.has(x)) out.add(x);
    return out;
  }
  const out = new PySet(r, l.frozen);
  setSymmetricDifferenceUpdate(out, l);
  return out;
}

/** `a -= b`, a.difference_update(b). */
export function setDifferenceUpdate(s: PySet, other: PySet): void {
  if (other === s) return s.clear();
  for (const x of other.items()) s.delete(x);
  s.compact();
}

/** `a ^= b`, a.symmetric_difference_update(b). */
export function setSymmetricDifferenceUpdate(s: PySet, other: PySet): void {
  if (other === s) return s.clear();
  for (const x of other.items().slice()) if (!s.delete(x)) s.add(x);
}

/** `a op= b` on a set: the set itself changes (`&=` takes the intersection's table, as CPython swaps them in). */
export function setInplace(op: '|' | '&' | '-' | '^', l: PySet, r: PySet): PySet {
  if (op === '|') l.merge(r);
  else if (op === '-') setDifferenceUpdate(l, r);
  else if (op === '^') setSymmetricDifferenceUpdate(l, r);
  else l.become(setOp('&', l, r));
  return l;
}
