// The Python value model of the language, and the protocol host objects (tensors, modules) plug into.
//
// Note: the representation is decided and shared with the bindings:
//   int   = JS number (always integral)          float = PyFloat (so [1, 2] and [1., 2.] differ)
//   bool  = JS boolean (an int in arithmetic)     None  = null
//   str   = JS string                             list/tuple/dict = PyList/PyTuple/PyDict
//   functions = PyCallable subclasses             modules = PyModule (an explicit attribute table)
// Every other JS object is a host object: its behaviour comes only from the HostType that
// `hostTypeOf` returns for it. The interpreter never reads a property of an arbitrary JS object by a
// name from the program, so a program cannot reach JS globals or prototypes.
import { PyError } from './errors';
import { SetTable, portableHash } from './setTable';

export { PyError };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PyValue = number | boolean | string | null | object;

/** Keyword arguments of a call, in source order; null when the call has none. */
export type Kwargs = Map<string, PyValue> | null;

/** Base class of the interpreter's own values (everything that is not a primitive or a host object). */
export abstract class PyObject {
  abstract get typeName(): string;
  /** A subclass's own repr (torch.Size([2, 3])); undefined uses the base type's. */
  customRepr(): string | undefined {
    return undefined;
  }
  /** A subclass's own attributes (class objects, super()); undefined falls back to the type's table. */
  pyGetattr(_name: string): PyValue | undefined {
    return undefined;
  }
  /** A subclass's own attribute assignment; false when it has none. */
  pySetattr(_name: string, _value: PyValue): boolean {
    return false;
  }
}

export class PyFloat extends PyObject {
  constructor(readonly value: number) {
    super();
  }
  get typeName(): string {
    return 'float';
  }
}

/**
 * A float with arithmetic and printing of its own: numpy's float64 and float32 scalars (`a.sum()`). The
 * interpreter asks it first for `x op y` with a number, `-x`, repr and str; everything else treats it as a float.
 */
export abstract class PyFloatSubclass extends PyFloat {
  abstract binop(op: BinOp, other: PyValue, reflected: boolean): PyValue | NotImplementedT;
  abstract unaryOp(op: UnaryOp): PyValue;
  abstract reprText(): string;
}

export class PyList extends PyObject {
  constructor(public items: PyValue[] = []) {
    super();
  }
  get typeName(): string {
    return 'list';
  }
}

/**
 * dict.keys()/values()/items(): a snapshot list that prints as the view does (`dict_keys(['a', 'b'])`,
 * `odict_keys([...])` for an OrderedDict).
 */
export class PyDictView extends PyList {
  constructor(
    items: PyValue[],
    readonly viewName: string,
  ) {
    super(items);
  }
  override get typeName(): string {
    return this.viewName;
  }
}

export class PyTuple extends PyObject {
  constructor(readonly items: readonly PyValue[]) {
    super();
  }
  get typeName(): string {
    return 'tuple';
  }
  /** A tuple of this kind over other items (slices, `+`, `*`): torch.Size keeps being a Size. */
  derive(items: readonly PyValue[]): PyTuple {
    return new PyTuple(items);
  }
}

export class PySlice extends PyObject {
  constructor(
    readonly start: PyValue,
    readonly stop: PyValue,
    readonly step: PyValue,
  ) {
    super();
  }
  get typeName(): string {
    return 'slice';
  }
}

class PyEllipsisType extends PyObject {
  get typeName(): string {
    return 'ellipsis';
  }
}
/** The `...` singleton (host getitem receives it inside index tuples). */
export const Ellipsis: PyObject = new PyEllipsisType();

/** Returned by HostType.binop/compare/unary when the host does not handle the operands. */
export const NotImplemented: unique symbol = Symbol('NotImplemented');
export type NotImplementedT = typeof NotImplemented;

/** A dict key normalised so that 1, 1.0 and True collide as in Python. */
type DictKey = number | string | boolean | null | object;

export class PyDict extends PyObject {
  private readonly map = new Map<DictKey, [PyValue, PyValue]>();
  get typeName(): string {
    return 'dict';
  }
  get size(): number {
    return this.map.size;
  }
  get(key: PyValue): PyValue | undefined {
    return this.map.get(dictKey(key))?.[1];
  }
  has(key: PyValue): boolean {
    return this.map.has(dictKey(key));
  }
  set(key: PyValue, value: PyValue): void {
    const k = dictKey(key);
    const entry = this.map.get(k);
    if (entry) entry[1] = value;
    else this.map.set(k, [key, value]);
  }
  delete(key: PyValue): boolean {
    return this.map.delete(dictKey(key));
  }
  clear(): void {
    this.map.clear();
  }
  keys(): PyValue[] {
    return Array.from(this.map.values(), (e) => e[0]);
  }
  values(): PyValue[] {
    return Array.from(this.map.values(), (e) => e[1]);
  }
  entries(): [PyValue, PyValue][] {
    return Array.from(this.map.values(), (e) => [e[0], e[1]]);
  }
  /** OrderedDict.move_to_end: the key's entry goes last (or first). */
  moveToEnd(key: PyValue, last: boolean): boolean {
    const k = dictKey(key);
    const entry = this.map.get(k);
    if (entry === undefined) return false;
    this.map.delete(k);
    if (last) this.map.set(k, entry);
    else {
      const rest = [...this.map];
      this.map.clear();
      this.map.set(k, entry);
      for (const [kk, e] of rest) this.map.set(kk, e);
    }
    return true;
  }
  /** A dict from string keys (for bindings: state dicts, load_file results). */
  static fromEntries(entries: Iterable<[PyValue, PyValue]>): PyDict {
    const d = new PyDict();
    for (const [k, v] of entries) d.set(k, v);
    return d;
  }
}

/** collections.defaultdict: a missing key gets `factory()` (when there is one) stored under it. */
export class PyDefaultDict extends PyDict {
  constructor(public factory: PyValue) {
    super();
  }
  override get typeName(): string {
    return 'collections.defaultdict';
  }
}

/** collections.OrderedDict (what state_dict() returns): a dict that prints `OrderedDict([('k', v), ...])`. */
export class PyOrderedDict extends PyDict {
  override get typeName(): string {
    return 'OrderedDict';
  }
  static override fromEntries(entries: Iterable<[PyValue, PyValue]>): PyOrderedDict {
    const d = new PyOrderedDict();
    for (const [k, v] of entries) d.set(k, v);
    return d;
  }
}

/**
 * set and frozenset. Members are kept by their dict key; iteration follows CPython's hash table where that is
 * portable (ints hash to themselves, so `{3, 1, 2}` prints `{1, 2, 3}` as in Python; see setTable.ts), else the
 * order they were added in (Python's own order for strings changes from run to run).
 */
export class PySet extends PyObject {
  private readonly map = new Map<DictKey, PyValue>();
  /** CPython's table while every member has a portable hash; null once one has not (until the set is emptied). */
  private table: SetTable<PyValue> | null = newTable();
  private order: PyValue[] | null = null;
  constructor(
    items: Iterable<PyValue> | PySet = [],
    readonly frozen = false,
  ) {
    super();
    if (items instanceof PySet) this.merge(items);
    else for (const x of items) this.add(x);
  }
  get typeName(): string {
    return this.frozen ? 'frozenset' : 'set';
  }
  get size(): number {
    return this.map.size;
  }
  has(x: PyValue): boolean {
    return this.map.has(dictKey(x));
  }
  add(x: PyValue): void {
    const k = dictKey(x);
    if (this.map.has(k)) return;
    this.map.set(k, x);
    this.order = null;
    if (this.table === null) return;
    const h = portableHash(x);
    if (h === undefined) this.table = null;
    else this.table.add(x, h);
  }
  /** Another set's members, as CPython's set_merge adds them (it makes room for them first). */
  merge(other: PySet): void {
    if (other === this || other.size === 0) return;
    if (this.table !== null && other.table !== null) {
      for (const [k, x] of other.map) if (!this.map.has(k)) this.map.set(k, x);
      this.table.merge(other.table);
      this.order = null;
      return;
    }
    for (const x of other.items()) this.add(x);
  }
  /** Room for `n` more members before they are added one by one (CPython does so for a dict's keys). */
  reserve(n: number): void {
    this.table?.reserve(n);
  }
  delete(x: PyValue): boolean {
    const k = dictKey(x);
    if (!this.map.delete(k)) return false;
    this.order = null;
    if (this.table !== null) this.table.discard(x, portableHash(x)!);
    else if (this.map.size === 0) this.table = newTable();
    return true;
  }
  /** set.pop: CPython's choice where the table is known, else the earliest added. */
  pop(): PyValue | undefined {
    let x: PyValue | undefined;
    if (this.table !== null) x = this.table.pop();
    else x = this.map.size > 0 ? this.map.values().next().value : undefined;
    if (x === undefined) return undefined;
    this.map.delete(dictKey(x));
    if (this.map.size === 0 && this.table === null) this.table = newTable();
    this.order = null;
    return x;
  }
  /** After removing the members of another set (`-=`): CPython resizes when over a quarter are dummies. */
  compact(): void {
    this.table?.compactAfterRemovals();
    this.order = null;
  }
  /** Takes another set's members and table (CPython's set_swap_bodies, for `&=`). */
  become(other: PySet): void {
    this.map.clear();
    for (const [k, x] of other.map) this.map.set(k, x);
    if (this.table !== null && other.table !== null) this.table.takeBody(other.table);
    else this.table = other.table;
    this.order = null;
  }
  clear(): void {
    this.map.clear();
    if (this.table !== null) this.table.clear();
    else this.table = newTable();
    this.order = null;
  }
  items(): PyValue[] {
    if (this.order === null) this.order = this.table !== null ? this.table.members() : [...this.map.values()];
    return this.order;
  }
}

function newTable(): SetTable<PyValue> {
  return new SetTable<PyValue>((a, b) => dictKey(a) === dictKey(b));
}

/** How an object of a program class is a key: by its __hash__ and __eq__ (set by classes.ts); undefined for identity. */
let objectKeyHook: ((o: object) => DictKey | undefined) | null = null;
export function setObjectKeyHook(hook: (o: object) => DictKey | undefined): void {
  objectKeyHook = hook;
}

function dictKey(key: PyValue): DictKey {
  if (key === null || typeof key === 'number' || typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 1 : 0;
  if (key instanceof PyFloat) return Number.isNaN(key.value) ? key : key.value;
  if (key instanceof PyTuple) return 't(' + key.items.map(tupleKeyPart).join(',') + ')';
  if (key instanceof PyList || key instanceof PyDict || (key instanceof PySet && !key.frozen)) {
    throw new PyError('TypeError', `unhashable type: '${key.typeName}'`);
  }
  if (key instanceof PySet) return 'f(' + key.items().map(tupleKeyPart).sort().join(',') + ')';
  if (objectKeyHook !== null && typeof key === 'object') return objectKeyHook(key) ?? key;
  return key; // identity, as Python's default hash
}

function tupleKeyPart(v: PyValue): string {
  const k = dictKey(v);
  if (typeof k === 'string') return k.startsWith('t(') && v instanceof PyTuple ? k : JSON.stringify(k);
  if (typeof k === 'number') return String(k);
  if (k === null) return 'None';
  throw new PyError('TypeError', `unhashable type in tuple key`);
}

/** Anything callable from the program: builtins, user functions, bound methods, types, host functions. */
export abstract class PyCallable extends PyObject {
  abstract readonly name: string;
  abstract call(args: PyValue[], kwargs: Kwargs): PyValue;
  get typeName(): string {
    return 'builtin_function_or_method';
  }
}

export type NativeFn = (args: PyValue[], kwargs: Kwargs) => PyValue;

/** A function implemented in TypeScript (builtins, torch.zeros, F.relu ...). */
export class PyBuiltin extends PyCallable {
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
  ) {
    super();
  }
  call(args: PyValue[], kwargs: Kwargs): PyValue {
    return this.fn(args, kwargs);
  }
}

export type NativeMethod<T = PyValue> = (self: T, args: PyValue[], kwargs: Kwargs) => PyValue;

/** A method bound to its receiver (`x.append`, `t.sum` taken without calling it). */
export class PyBoundMethod extends PyCallable {
  constructor(
    readonly self: PyValue,
    readonly name: string,
    readonly fn: NativeMethod,
    /** A method PyTorch writes in Python (nn.Module's): type 'method' rather than 'builtin_function_or_method'. */
    readonly pythonMethod = false,
  ) {
    super();
  }
  override get typeName(): string {
    return this.pythonMethod ? 'method' : 'builtin_function_or_method';
  }
  call(args: PyValue[], kwargs: Kwargs): PyValue {
    return this.fn(this.self, args, kwargs);
  }
}

/** A builtin type (int, float, str, list ...): callable as a constructor, usable with isinstance. */
export class PyType extends PyCallable {
  /** The name repr shows when it is not the bare name: `<class 'torch.Tensor'>`. */
  qualname?: string;
  constructor(
    readonly name: string,
    readonly check: (v: PyValue) => boolean,
    readonly construct: NativeFn,
  ) {
    super();
  }
  override get typeName(): string {
    return 'type';
  }
  call(args: PyValue[], kwargs: Kwargs): PyValue {
    return this.construct(args, kwargs);
  }
}

/** A module: a name and an explicit attribute table (torch, torch.nn.functional, math ...). */
export class PyModule extends PyObject {
  readonly attrs: Map<string, PyValue>;
  constructor(
    readonly name: string,
    attrs: Map<string, PyValue> | Record<string, PyValue> = new Map(),
  ) {
    super();
    this.attrs = attrs instanceof Map ? attrs : new Map(Object.entries(attrs));
  }
  get typeName(): string {
    return 'module';
  }
}

export class PyRange extends PyObject {
  readonly length: number;
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    super();
    const n = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
    this.length = Math.max(0, n);
  }
  get typeName(): string {
    return 'range';
  }
  at(i: number): number {
    return this.start + i * this.step;
  }
}

/** An iterator: `next()` returns undefined when exhausted (no per-item result objects). */
export abstract class PyIterator extends PyObject {
  abstract next(): PyValue | undefined;
  /** What the StopIteration that ends it carries (a generator's return value); undefined for none. */
  stopValue(): PyValue | undefined {
    return undefined;
  }
  get typeName(): string {
    return 'iterator';
  }
}

export class ArrayIterator extends PyIterator {
  private i = 0;
  constructor(
    private readonly items: readonly PyValue[],
    private readonly name = 'list_iterator',
  ) {
    super();
  }
  override get typeName(): string {
    return this.name;
  }
  next(): PyValue | undefined {
    return this.i < this.items.length ? this.items[this.i++] : undefined;
  }
}

export class JsIterator extends PyIterator {
  constructor(
    private readonly it: Iterator<PyValue>,
    private readonly name = 'iterator',
  ) {
    super();
  }
  override get typeName(): string {
    return this.name;
  }
  private closed = false;
  next(): PyValue | undefined {
    if (this.closed) return undefined;
    const r = this.it.next();
    return r.done ? undefined : r.value;
  }
  /** A generator expression's close(): no more items. */
  close(): void {
    this.closed = true;
    this.it.return?.();
  }
}

/** A type as `type(x)` returns it for values without a PyType (host objects): name only. */
export class PyTypeRef extends PyObject {
  constructor(readonly name: string) {
    super();
  }
  get typeName(): string {
    return 'type';
  }
}

export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '&' | '|' | '^' | '<<' | '>>';
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type UnaryOp = '-' | '+' | '~';

/**
 * How a host object behaves in the language. Every hook is optional; a missing hook gives Python's
 * TypeError/AttributeError. Hooks may throw PyError (or engine errors) without a position: the
 * interpreter stamps the position of the expression being evaluated.
 */
export interface HostType<T = any> {
  /** The Python type name used in messages: 'Tensor', 'torch.Size', 'Linear' ... */
  typeName(obj: T): string;
  /** The name type(obj) is registered under, when not typeName (an nn.Parameter is a 'Tensor' here). */
  typeKey?(obj: T): string;
  /** Attribute read; return undefined when there is no such attribute (AttributeError follows). */
  getattr?(obj: T, name: string): PyValue | undefined;
  /** Attribute write; return false when the attribute cannot be set (AttributeError follows). */
  setattr?(obj: T, name: string, value: PyValue): boolean;
  /**
   * A fast path for `obj.name(args)`: return NotImplemented when there is no such method (the
   * interpreter then falls back to getattr + call).
   */
  callMethod?(obj: T, name: string, args: PyValue[], kwargs: Kwargs): PyValue | NotImplementedT;
  call?(obj: T, args: PyValue[], kwargs: Kwargs): PyValue;
  /** `obj[index]`: index is an int, PySlice, Ellipsis, null (None), a host object, or a PyTuple of those. */
  getitem?(obj: T, index: PyValue): PyValue;
  setitem?(obj: T, index: PyValue, value: PyValue): void;
  /** `self op other` (reflected: `other op self`). NotImplemented lets the other operand try. */
  binop?(op: BinOp, self: T, other: PyValue, reflected: boolean): PyValue | NotImplementedT;
  /** `self op= other` in place; NotImplemented falls back to `self = self op other`. */
  inplace?(op: BinOp, self: T, other: PyValue): PyValue | NotImplementedT;
  unary?(op: UnaryOp, self: T): PyValue | NotImplementedT;
  /** `self op other`, already swapped to the host's side when the host object is on the right. */
  compare?(op: CmpOp, self: T, other: PyValue): PyValue | NotImplementedT;
  contains?(self: T, item: PyValue): boolean;
  iter?(obj: T): Iterable<PyValue>;
  len?(obj: T): number;
  bool?(obj: T): boolean;
  repr?(obj: T): string;
  str?(obj: T): string;
  /** `format(obj, spec)` / f-string `{obj:spec}`. */
  format?(obj: T, spec: string): string;
  /**
   * `float(obj)`, `int(obj)`, `round(obj)`: the object as a JS number (e.g. a one-element tensor); 'index' is
   * `__index__` (a list index, range()), which may refuse what int() takes.
   */
  toNumber?(obj: T, kind: 'float' | 'int' | 'index'): number;
  /** Context manager protocol of `with`: the value bound by `as`. */
  enter?(obj: T): PyValue;
  /** Runs when the `with` body ends, also when it raised (error given). Return true to swallow the error. */
  exit?(obj: T, error: PyError | null): boolean | void;
  /** `isinstance(value, obj)` where obj is a host class object (torch.Tensor, nn.Module). */
  instancecheck?(obj: T, value: PyValue): boolean;
  /** Names for dir()/hasattr-style listings (optional). */
  dir?(obj: T): string[];
}

export type HostTypeOf = (value: object) => HostType | undefined;

/** Builds a hostTypeOf from (class, HostType) pairs, checked with instanceof in order. */
export function hostRegistry(entries: [abstract new (...args: any[]) => unknown, HostType][]): HostTypeOf {
  return (value: object) => {
    for (const [ctor, type] of entries) if (value instanceof ctor) return type;
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers for bindings.

export const isInt = (v: PyValue): v is number => typeof v === 'number';
export const isFloat = (v: PyValue): v is PyFloat => v instanceof PyFloat;
/** int, float or bool. */
export const isNumber = (v: PyValue): v is number | boolean | PyFloat =>
  typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
export const isHost = (v: PyValue): v is object => typeof v === 'object' && v !== null && !(v instanceof PyObject);

/** The JS number of an int/float/bool, or undefined. */
export function numberOf(v: PyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export const pyFloat = (v: number): PyFloat => new PyFloat(v);
export const pyTuple = (items: readonly PyValue[]): PyTuple => new PyTuple(items);
export const pyList = (items: PyValue[]): PyList => new PyList(items);
/** A JS number as Python int when integral and safe, else float (e.g. for `.item()` of an int64 tensor use int explicitly). */
export const pyInt = (v: number): number => v;

export function builtin(name: string, fn: NativeFn): PyBuiltin {
  return new PyBuiltin(name, fn);
}

export function pyModule(name: string, attrs: Record<string, PyValue> | Map<string, PyValue>): PyModule {
  return new PyModule(name, attrs);
}

/** Names that must never be looked up on anything (guards host tables written with plain objects). */
export function isForbiddenName(name: string): boolean {
  return (
    name === '__proto__' ||
    name === 'prototype' ||
    name === 'constructor' ||
    Object.prototype.hasOwnProperty.call(Object.prototype, name)
  );
}
