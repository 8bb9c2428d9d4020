// Classes defined by the program: `class Net(nn.Module):`, `class Polynomial3(torch.nn.Module):`, and
// plain classes with __init__/__call__/__repr__/operators.
//
// Note: instances are host objects as far as the runtime is concerned: a plain class's instance is a
// PyInstance whose behaviour comes from INSTANCE_TYPE (dunder methods looked up on its class), and an
// instance of a class deriving from a host base (nn.Module) is the host's own object (an engine Module
// whose forward calls the program's), seen through a HostType that consults the class first and then
// the base's HostType. Attribute tables are Maps; nothing is read off JS objects by name.
import { PyError } from './errors';
import type { Runtime } from './runtime';
import {
  NotImplemented,
  PyBoundMethod,
  PyCallable,
  PyDict,
  PyObject,
  PyTuple,
  isForbiddenName,
  setObjectKeyHook,
  type BinOp,
  type CmpOp,
  type HostType,
  type HostTypeOf,
  type Kwargs,
  type NotImplementedT,
  type PyValue,
  type UnaryOp,
} from './values';

/** A class a program's class can derive from, provided by the bindings (nn.Module). */
export interface HostBase {
  /**
   * Makes the host object for a new instance of `className`. `callMethod(self, name, args)` runs a
   * method of the program's class (NotImplemented when the class has none), e.g. for forward().
   */
  newInstance(className: string, callMethod: (self: object, name: string, args: PyValue[]) => PyValue | NotImplementedT): object;
  /** Attributes the base gives the class object itself (torch.autograd.Function's `apply`). */
  classAttr?(cls: PyClass, name: string): PyValue | undefined;
  /** The base's own __init__ (nn.Module.__init__): run by super().__init__(), or for a class without __init__. */
  initInstance?(self: object): void;
}

/** Special methods a program may set on a class after creating it (dataclass-like decorators do). */
const DUNDER_METHODS = new Set(['__dataclass_fields__', '__dataclass_params__', '__match_args__', '__post_init__', '__delattr__', '__init__', '__repr__', '__str__', '__eq__', '__ne__', '__lt__', '__le__', '__gt__', '__ge__', '__hash__', '__call__', '__iter__', '__len__', '__getitem__', '__setitem__', '__contains__', '__add__', '__mul__', '__bool__', '__setattr__']);

/** `@staticmethod`, `@classmethod`, `@property` wrappers stored in a class body. */
export class PyStaticMethod extends PyObject {
  constructor(readonly fn: PyValue) {
    super();
  }
  get typeName(): string {
    return 'staticmethod';
  }
}
export class PyClassMethod extends PyObject {
  constructor(readonly fn: PyValue) {
    super();
  }
  get typeName(): string {
    return 'classmethod';
  }
}
export class PyProperty extends PyObject {
  constructor(
    readonly getter: PyValue,
    readonly setter: PyValue = null,
  ) {
    super();
  }
  get typeName(): string {
    return 'property';
  }
  /** `@x.setter` / `@x.getter`: a copy of the property with that function. */
  override pyGetattr(name: string): PyValue | undefined {
    if (name === 'setter') return new PyBoundMethod(this, name, (_p, args) => new PyProperty(this.getter, args[0] ?? null));
    if (name === 'getter') return new PyBoundMethod(this, name, (_p, args) => new PyProperty(args[0] ?? null, this.setter));
    if (name === 'fget') return this.getter;
    if (name === 'fset') return this.setter;
    return undefined;
  }
}

export class PyClass extends PyCallable {
  /** The host base (nn.Module) somewhere up the chain, if any. */
  readonly hostBase: HostBase | null;

  private readonly rtOf: () => Runtime;

  /** `rt` may be a thunk: a library's base class (torch.utils.data.Dataset) is made before its interpreter. */
  constructor(
    public name: string,
    readonly bases: PyClass[],
    hostBase: HostBase | null,
    readonly attrs: Map<string, PyValue>,
    rt: Runtime | (() => Runtime),
  ) {
    super();
    this.hostBase = hostBase ?? bases.find((b) => b.hostBase)?.hostBase ?? null;
    this.rtOf = typeof rt === 'function' ? rt : () => rt;
  }

  private get rt(): Runtime {
    return this.rtOf();
  }

  override get typeName(): string {
    return 'type';
  }

  override customRepr(): string {
    return `<class '__main__.${this.name}'>`;
  }

  override pyGetattr(name: string): PyValue | undefined {
    return classGetattr(this.rt, this, name) ?? (isForbiddenName(name) ? undefined : this.hostBase?.classAttr?.(this, name));
  }

  override pySetattr(name: string, value: PyValue): boolean {
    if (name === '__name__' || name === '__qualname__') {
      if (typeof value !== 'string') throw new PyError('TypeError', `can only assign string to ${this.name}.${name}, not '${this.rt.typeName(value)}'`);
      if (name === '__name__') this.name = value;
      else this.qualname = value;
      return true;
    }
    if (name.startsWith('__') && name.endsWith('__') && name !== '__doc__' && !this.attrs.has(name) && this.lookup(name) === undefined && !DUNDER_METHODS.has(name)) return false;
    this.attrs.set(name, value);
    this.mroCache = null;
    return true;
  }

  /** `__qualname__` where a program set one (namedtuple's classes). */
  qualname: string | null = null;

  private mroCache: PyClass[] | null = null;
  /** The method resolution order, by C3 linearisation as Python's (object, not a PyClass, is left out). */
  mro(): PyClass[] {
    if (this.mroCache !== null) return this.mroCache;
    const seqs = [...this.bases.map((b) => b.mro().slice()), this.bases.slice()].filter((q) => q.length > 0);
    const out: PyClass[] = [this];
    while (seqs.some((q) => q.length > 0)) {
      const head = seqs.find((q) => q.length > 0 && !seqs.some((r) => r.indexOf(q[0]) > 0))?.[0];
      if (head === undefined) throw new PyError('TypeError', `Cannot create a consistent method resolution order (MRO) for bases ${this.bases.map((b) => b.name).join(', ')}`);
      out.push(head);
      for (const q of seqs) if (q[0] === head) q.shift();
    }
    return (this.mroCache = out);
  }

  /** Attribute lookup along the method resolution order. */
  lookup(name: string): PyValue | undefined {
    const own = this.attrs.get(name);
    if (own !== undefined) return own;
    if (this.bases.length === 0) return undefined;
    for (const c of this.mro()) {
      const v = c.attrs.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  isSubclassOf(other: PyClass): boolean {
    return other === this || this.bases.some((b) => b.isSubclassOf(other));
  }

  /** The builtin exception class (Exception, ValueError ...) this class derives from, if any. */
  ownExceptionBase: ExceptionBase | null = null;
  get exceptionBase(): ExceptionBase | null {
    return this.ownExceptionBase ?? this.bases.find((b) => b.exceptionBase)?.exceptionBase ?? null;
  }

  /** The abstract methods (abc.abstractmethod) an ABC's class leaves unimplemented, sorted. */
  abstractMethods(): string[] {
    if (this.lookup('_abc_impl') === undefined) return [];
    const names = new Set<string>();
    for (const c of this.mro()) for (const k of c.attrs.keys()) names.add(k);
    return [...names].filter((n) => {
      const v = this.lookup(n);
      return v instanceof PyObject && v.pyGetattr('__isabstractmethod__') === true;
    }).sort();
  }

  call(args: PyValue[], kwargs: Kwargs): PyValue {
    const abstract = this.abstractMethods();
    if (abstract.length > 0) {
      throw new PyError('TypeError', `Can't instantiate abstract class ${this.name} with abstract method${abstract.length > 1 ? 's' : ''} ${abstract.join(', ')}`);
    }
    if (this.exceptionBase) return this.newException(args, kwargs);
    let self: object;
    if (this.hostBase) {
      self = this.hostBase.newInstance(this.name, (obj, name, a) => {
        const fn = this.lookup(name);
        if (fn === undefined) return NotImplemented;
        return callAttr(this.rt, fn, obj, a, null);
      });
      instanceClass.set(self, this);
    } else self = new PyInstance(this);
    const init = this.lookup('__init__');
    if (init !== undefined) {
      const r = callAttr(this.rt, init, self, args, kwargs);
      if (r !== null) throw new PyError('TypeError', `__init__() should return None, not '${this.rt.typeName(r)}'`);
    } else {
      if ((args.length || (kwargs && kwargs.size)) && !this.hostBase) throw new PyError('TypeError', `${this.name}() takes no arguments`);
      this.hostBase?.initInstance?.(self);
    }
    return self;
  }

  /** An instance of an exception class: `args` are what it was called with (BaseException.__new__), then __init__. */
  private newException(args: PyValue[], kwargs: Kwargs): PyValue {
    const self = new PyInstance(this);
    self.dict.set('args', new PyTuple(args));
    const init = this.lookup('__init__');
    if (init !== undefined) {
      const r = callAttr(this.rt, init, self, args, kwargs);
      if (r !== null) throw new PyError('TypeError', `__init__() should return None, not '${this.rt.typeName(r)}'`);
    } else if (kwargs && kwargs.size) throw new PyError('TypeError', `${this.name}() takes no keyword arguments`);
    return self;
  }
}

/** The values `next()` gives until it raises `stop` (StopIteration, or IndexError for __getitem__), as a JS iterable. */
function callUntilStop(next: () => PyValue, stop = 'StopIteration'): Iterable<PyValue> {
  return {
    [Symbol.iterator]: () => ({
      next: () => {
        try {
          return { done: false, value: next() };
        } catch (e) {
          if (e instanceof PyError && (e.type === stop || (stop === 'StopIteration' && isStop(e)))) return { done: true, value: undefined };
          throw e;
        }
      },
    }),
  };
}

/** A StopIteration, or an exception of a program class deriving from it. */
function isStop(e: PyError): boolean {
  const cls = classOf(e.value as PyValue);
  return cls?.exceptionBase?.name === 'StopIteration';
}

/** `ValueError('x')`'s str: its one argument's str, '' for none, the tuple for more. */
export function exceptionStr(rt: Runtime, args: readonly PyValue[]): string {
  return args.length === 0 ? '' : args.length === 1 ? rt.str(args[0]) : rt.repr(new PyTuple(args));
}

/** `ValueError('x')`'s repr: the class name and its arguments. */
export function exceptionRepr(rt: Runtime, name: string, args: readonly PyValue[]): string {
  return `${name}(${args.map((a) => rt.repr(a)).join(', ')})`;
}

/** The arguments of an exception instance of a program class (what `args` holds). */
function instanceArgs(self: object): readonly PyValue[] {
  const a = self instanceof PyInstance ? self.dict.get('args') : undefined;
  return a instanceof PyTuple ? a.items : [];
}

/**
 * An instance of a class with its own __hash__ is a dict key or set member by value: the first instance seen
 * with that hash and equal by __eq__ stands for all of them. A class with __eq__ and no __hash__ is unhashable,
 * as Python makes it.
 */
const keyBuckets = new WeakMap<PyClass, Map<number | string, object[]>>();
setObjectKeyHook((o) => {
  if (!(o instanceof PyInstance)) return undefined;
  const cls = o.cls;
  const hash = cls.lookup('__hash__');
  const eq = cls.lookup('__eq__');
  if (hash === undefined) {
    if (eq !== undefined) throw new PyError('TypeError', `unhashable type: '${cls.name}'`);
    return undefined;
  }
  if (hash === null) throw new PyError('TypeError', `unhashable type: '${cls.name}'`);
  if (!(hash instanceof PyCallable)) return undefined;
  const h = hash.call([o], null);
  if (typeof h !== 'number' && typeof h !== 'boolean') throw new PyError('TypeError', '__hash__ method should return an integer');
  let buckets = keyBuckets.get(cls);
  if (!buckets) keyBuckets.set(cls, (buckets = new Map()));
  const k = +h;
  let bucket = buckets.get(k);
  if (!bucket) buckets.set(k, (bucket = []));
  for (const rep of bucket) {
    if (rep === o) return rep;
    if (eq instanceof PyCallable) {
      const r = eq.call([rep, o], null);
      if (r === true || (typeof r === 'number' && r !== 0)) return rep;
    }
  }
  bucket.push(o);
  return o;
});

/** A builtin exception class as a program class's base sees it (PyExceptionType, without importing the runtime). */
export interface ExceptionBase {
  readonly name: string;
  isSubclassOf(other: ExceptionBase): boolean;
}

/** An instance of a plain program class. Not a PyObject: the runtime reaches it through INSTANCE_TYPE. */
export class PyInstance {
  readonly dict = new Map<string, PyValue>();
  constructor(readonly cls: PyClass) {}
}

/** Host objects made for program classes (engine Modules of `class Net(nn.Module)`), with their class. */
const instanceClass = new WeakMap<object, PyClass>();
/** Attributes of host-based instances that their host type does not keep itself. */
const hostInstanceDicts = new WeakMap<object, Map<string, PyValue>>();

/**
 * copy.deepcopy of an instance of a program class: a host-based one (a `class Net(nn.Module)`) gets the original's
 * class and attributes, a plain one a new instance; `copyValue` copies each attribute value.
 */
export function copyInstanceState(original: object, copy: object, copyValue: (v: PyValue) => PyValue): void {
  const cls = instanceClass.get(original);
  if (cls) instanceClass.set(copy, cls);
  const d = hostInstanceDicts.get(original);
  if (d) hostInstanceDicts.set(copy, new Map([...d].map(([k, v]) => [k, copyValue(v)])));
}

export function classOf(v: PyValue): PyClass | undefined {
  if (v instanceof PyInstance) return v.cls;
  if (typeof v === 'object' && v !== null) return instanceClass.get(v);
  return undefined;
}

/** Calls a class attribute as a method of `self` (plain functions get self; static/class methods as declared). */
function callAttr(rt: Runtime, attr: PyValue, self: PyValue, args: PyValue[], kwargs: Kwargs): PyValue {
  if (attr instanceof PyStaticMethod) return rt.call(attr.fn, args, kwargs);
  if (attr instanceof PyClassMethod) return rt.call(attr.fn, [classOf(self)!, ...args], kwargs);
  return rt.call(attr, [self, ...args], kwargs);
}

/** A class attribute read through an instance: functions bind, properties run, other values as they are. */
function bindAttr(rt: Runtime, attr: PyValue, self: PyValue, name: string): PyValue {
  if (attr instanceof PyStaticMethod) return attr.fn;
  if (attr instanceof PyClassMethod) {
    const cls = classOf(self)!;
    return new PyBoundMethod(cls, name, (c, a, k) => rt.call(attr.fn, [c, ...a], k));
  }
  if (attr instanceof PyProperty) return rt.call(attr.getter, [self], null);
  if (attr instanceof PyCallable && !(attr instanceof PyClass) && attr.typeName === 'function') {
    return new PyBoundMethod(self, name, (s, a, k) => rt.call(attr, [s, ...a], k));
  }
  return attr;
}

/** Reading an attribute of a class object itself (Net.forward, Counter.count). */
export function classGetattr(rt: Runtime, cls: PyClass, name: string): PyValue | undefined {
  if (name === '__name__') return cls.name;
  if (name === '__qualname__') return cls.qualname ?? cls.name;
  if (name === '__module__') return '__main__';
  if (name === '__mro__') return new PyTuple([...cls.mro(), rt.builtinTypes.get('object') ?? null]);
  if (name === '__bases__') return new PyTuple(cls.bases.length ? cls.bases : [rt.builtinTypes.get('object') ?? null]);
  if (name === '__doc__') return cls.attrs.get('__doc__') ?? null;
  if (name === '__dict__') return PyDict.fromEntries(cls.attrs.entries());
  if (isForbiddenName(name)) return undefined;
  const v = cls.lookup(name);
  if (v instanceof PyStaticMethod) return v.fn;
  if (v instanceof PyClassMethod) return new PyBoundMethod(cls, name, (c, a, k) => rt.call(v.fn, [c, ...a], k));
  return v;
}

const BINOP_NAMES: Record<BinOp, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow', '@': 'matmul',
  '&': 'and', '|': 'or', '^': 'xor', '<<': 'lshift', '>>': 'rshift',
};
const CMP_NAMES: Record<CmpOp, string> = { '==': '__eq__', '!=': '__ne__', '<': '__lt__', '<=': '__le__', '>': '__gt__', '>=': '__ge__' };
const UNARY_NAMES: Record<UnaryOp, string> = { '-': '__neg__', '+': '__pos__', '~': '__invert__' };

/** A stable made-up address for an object's repr ('0x7f…'), one per object for the whole run (PyTorch's are real ones). */
export function fakeAddress(obj: object): string {
  let id = addresses.get(obj);
  if (id === undefined) addresses.set(obj, (id = nextAddress++));
  return '0x7f' + (0x5b000000 + id * 64).toString(16).padStart(10, '0');
}
const addresses = new WeakMap<object, number>();
let nextAddress = 1;

/**
 * The HostType of program-class instances. For host-based instances, `base` is the host's own
 * HostType; the class's attributes come first, then the base's.
 */
export function instanceType(rt: Runtime, base: HostType | undefined): HostType {
  const method = (self: object, name: string): PyValue | undefined => {
    const cls = classOf(self);
    return cls?.lookup(name);
  };
  const dunder = (self: object, name: string, args: PyValue[]): PyValue | NotImplementedT => {
    const fn = method(self, name);
    if (fn === undefined) return NotImplemented;
    return callAttr(rt, fn, self, args, null);
  };
  /** What __str__/__repr__ returned, which must be a str (CPython's TypeError otherwise). */
  const stringResult = (name: string, r: PyValue | NotImplementedT): string => {
    if (typeof r !== 'string') throw new PyError('TypeError', `${name} returned non-string (type ${rt.typeName(r as PyValue)})`);
    return r;
  };
  return {
    typeName: (self) => classOf(self)?.name ?? 'object',
    getattr(self, name) {
      if (isForbiddenName(name)) return undefined;
      const own = self instanceof PyInstance ? self.dict.get(name) : hostInstanceDicts.get(self)?.get(name);
      if (own !== undefined) return own;
      if (name === '__class__') return classOf(self);
      if (name === '__dict__' && self instanceof PyInstance) return PyDict.fromEntries(self.dict.entries());
      const attr = method(self, name);
      if (attr !== undefined) return bindAttr(rt, attr, self, name);
      if (base?.getattr) return base.getattr(self, name);
      const ga = method(self, '__getattr__');
      if (ga !== undefined) return callAttr(rt, ga, self, [name], null);
      return undefined;
    },
    setattr(self, name, value) {
      if (isForbiddenName(name)) return false;
      const custom = method(self, '__setattr__');
      if (custom !== undefined) {
        callAttr(rt, custom, self, [name, value], null);
        return true;
      }
      const attr = method(self, name);
      if (attr instanceof PyProperty) {
        if (attr.setter === null) throw new PyError('AttributeError', `property '${name}' of '${classOf(self)!.name}' object has no setter`);
        rt.call(attr.setter, [self, value], null);
        return true;
      }
      if (self instanceof PyInstance) {
        self.dict.set(name, value);
        return true;
      }
      if (base?.setattr && base.setattr(self, name, value)) return true;
      let dict = hostInstanceDicts.get(self);
      if (!dict) hostInstanceDicts.set(self, (dict = new Map()));
      dict.set(name, value);
      return true;
    },
    callMethod(self, name, args, kwargs) {
      if (self instanceof PyInstance ? self.dict.has(name) : hostInstanceDicts.get(self)?.has(name)) return NotImplemented;
      const attr = isForbiddenName(name) ? undefined : method(self, name);
      if (attr !== undefined && !(attr instanceof PyProperty)) {
        if (attr instanceof PyCallable || attr instanceof PyStaticMethod || attr instanceof PyClassMethod) {
          return callAttr(rt, attr, self, args, kwargs);
        }
        return NotImplemented;
      }
      if (base?.callMethod) return base.callMethod(self, name, args, kwargs);
      return NotImplemented;
    },
    call(self, args, kwargs) {
      // A host-based instance (a Module) keeps its base's call (module events around forward).
      if (base?.call) return base.call(self, args, kwargs);
      const fn = method(self, '__call__');
      if (fn === undefined) throw new PyError('TypeError', `'${classOf(self)!.name}' object is not callable`);
      return callAttr(rt, fn, self, args, kwargs);
    },
    getitem(self, index) {
      const r = dunder(self, '__getitem__', [index]);
      if (r !== NotImplemented) return r;
      if (base?.getitem) return base.getitem(self, index);
      throw new PyError('TypeError', `'${classOf(self)!.name}' object is not subscriptable`);
    },
    setitem(self, index, value) {
      if (dunder(self, '__setitem__', [index, value]) !== NotImplemented) return;
      if (base?.setitem) return base.setitem(self, index, value);
      throw new PyError('TypeError', `'${classOf(self)!.name}' object does not support item assignment`);
    },
    binop(op, self, other, reflected) {
      const name = `__${reflected ? 'r' : ''}${BINOP_NAMES[op]}__`;
      const r = dunder(self, name, [other]);
      if (r !== NotImplemented) return r;
      return base?.binop ? base.binop(op, self, other, reflected) : NotImplemented;
    },
    inplace(op, self, other) {
      const r = dunder(self, `__i${BINOP_NAMES[op]}__`, [other]);
      if (r !== NotImplemented) return r;
      return base?.inplace ? base.inplace(op, self, other) : NotImplemented;
    },
    unary(op, self) {
      const r = dunder(self, UNARY_NAMES[op], []);
      if (r !== NotImplemented) return r;
      return base?.unary ? base.unary(op, self) : NotImplemented;
    },
    compare(op, self, other) {
      const r = dunder(self, CMP_NAMES[op], [other]);
      if (r !== NotImplemented) return r;
      // object.__ne__: the class's own __eq__, inverted (a class that defines only __eq__ gets != from it).
      if (op === '!=') {
        const eq = dunder(self, '__eq__', [other]);
        if (eq !== NotImplemented) return !rt.truthy(eq as PyValue);
      }
      return base?.compare ? base.compare(op, self, other) : NotImplemented;
    },
    contains(self, item) {
      const r = dunder(self, '__contains__', [item]);
      if (r !== NotImplemented) return rt.truthy(r);
      if (base?.contains) return base.contains(self, item);
      for (const x of rt.toArray(self)) if (rt.eq(x, item)) return true;
      return false;
    },
    iter(self) {
      const r = dunder(self, '__iter__', []);
      if (r !== NotImplemented) {
        // An iterator of a program class (often `self`): its __next__ until it raises StopIteration.
        if (typeof r === 'object' && r !== null && classOf(r)?.lookup('__next__') !== undefined) return callUntilStop(() => dunder(r, '__next__', []) as PyValue);
        const it = rt.iter(r);
        return { [Symbol.iterator]: () => ({ next: () => {
          const x = it.next();
          return x === undefined ? { done: true, value: undefined } : { done: false, value: x };
        } }) } as Iterable<PyValue>;
      }
      if (base?.iter) return base.iter(self);
      // The old sequence protocol: __getitem__(0), (1) ... until IndexError (a Dataset with __len__ and __getitem__).
      if (method(self, '__getitem__') !== undefined) {
        let i = 0;
        return callUntilStop(() => dunder(self, '__getitem__', [i++]) as PyValue, 'IndexError');
      }
      throw new PyError('TypeError', `'${classOf(self)!.name}' object is not iterable`);
    },
    len(self) {
      const r = dunder(self, '__len__', []);
      if (r !== NotImplemented) return rt.index(r);
      if (base?.len) return base.len(self);
      throw new PyError('TypeError', `object of type '${classOf(self)!.name}' has no len()`);
    },
    bool(self) {
      const r = dunder(self, '__bool__', []);
      if (r !== NotImplemented) return rt.truthy(r);
      const l = dunder(self, '__len__', []);
      if (l !== NotImplemented) return rt.index(l) > 0;
      return base?.bool ? base.bool(self) : true;
    },
    repr(self) {
      const r = dunder(self, '__repr__', []);
      if (r !== NotImplemented) return stringResult('__repr__', r);
      if (base?.repr) return base.repr(self);
      if (classOf(self)?.exceptionBase) return exceptionRepr(rt, classOf(self)!.name, instanceArgs(self));
      return `<__main__.${classOf(self)!.name} object at ${fakeAddress(self)}>`;
    },
    str(self) {
      const r = dunder(self, '__str__', []);
      if (r !== NotImplemented) return stringResult('__str__', r);
      if (classOf(self)?.exceptionBase) return exceptionStr(rt, instanceArgs(self));
      const rr = dunder(self, '__repr__', []);
      if (rr !== NotImplemented) return stringResult('__repr__', rr);
      if (base?.str) return base.str(self);
      if (base?.repr) return base.repr(self);
      return `<__main__.${classOf(self)!.name} object at ${fakeAddress(self)}>`;
    },
    format(self, spec) {
      const r = dunder(self, '__format__', [spec]);
      if (r !== NotImplemented) return String(rt.str(r));
      if (base?.format) return base.format(self, spec);
      if (spec === '') return this.str!(self);
      throw new PyError('TypeError', `unsupported format string passed to ${classOf(self)!.name}.__format__`);
    },
    toNumber(self, kind) {
      const r = dunder(self, kind === 'float' ? '__float__' : kind === 'int' ? '__int__' : '__index__', []);
      if (r !== NotImplemented) return rt.toNumber(r) ?? NaN;
      if (base?.toNumber) return base.toNumber(self, kind);
      if (kind === 'index') throw new PyError('TypeError', `'${classOf(self)!.name}' object cannot be interpreted as an integer`);
      throw new PyError('TypeError', `${kind}() argument must be a string or a real number, not '${classOf(self)!.name}'`);
    },
    enter(self) {
      const r = dunder(self, '__enter__', []);
      if (r !== NotImplemented) return r;
      if (base?.enter) return base.enter(self);
      throw new PyError('TypeError', `'${classOf(self)!.name}' object does not support the context manager protocol`);
    },
    exit(self, error) {
      const ev = error ? rt.exceptionValue(error) : null;
      const r = dunder(self, '__exit__', [error ? rt.typeOf(ev) : null, ev, null]);
      if (r !== NotImplemented) return rt.truthy(r);
      return base?.exit ? base.exit(self, error) : false;
    },
    dir(self) {
      const names = self instanceof PyInstance ? [...self.dict.keys()] : [];
      for (let c: PyClass | undefined = classOf(self); c; c = c.bases[0]) names.push(...c.attrs.keys());
      return [...names, ...(base?.dir?.(self) ?? [])];
    },
  };
}

/**
 * Wraps a hostTypeOf so that program-class instances get their class's behaviour first. Plain
 * instances have no base; host-based ones keep the host's type underneath.
 */
export function withClasses(rt: () => Runtime, inner: HostTypeOf): HostTypeOf {
  let plain: HostType | null = null;
  const composite = new Map<HostType | undefined, HostType>();
  return (v) => {
    if (v instanceof PyInstance) return (plain ??= instanceType(rt(), undefined));
    const base = inner(v);
    if (!instanceClass.has(v)) return base;
    let t = composite.get(base);
    if (!t) composite.set(base, (t = instanceType(rt(), base)));
    return t;
  };
}

/** `super()` inside a method: attributes of the class after `cls` in the chain, bound to self. */
export class PySuper extends PyObject {
  constructor(
    readonly cls: PyClass,
    readonly self: PyValue,
    private readonly rt: Runtime,
    /** The bindings' own hostTypeOf (without the class layer), for attributes of a host base. */
    private readonly hostTypeOf: HostTypeOf,
  ) {
    super();
  }
  get typeName(): string {
    return 'super';
  }
  override pyGetattr(name: string): PyValue | undefined {
    if (isForbiddenName(name)) return undefined;
    // The classes after this one in the method resolution order of the instance's class (Python's super()).
    const own = classOf(this.self as PyValue);
    const order = own instanceof PyClass && own.isSubclassOf(this.cls) ? own.mro() : this.cls.mro();
    for (const c of order.slice(order.indexOf(this.cls) + 1)) {
      const v = c.attrs.get(name);
      if (v !== undefined) return bindAttr(this.rt, v, this.self, name);
    }
    // BaseException.__init__ keeps the arguments as `args`.
    if (name === '__init__' && this.cls.exceptionBase && this.self instanceof PyInstance) {
      const self = this.self;
      return new PyBoundMethod(self, name, (_s, a) => {
        self.dict.set('args', new PyTuple(a));
        return null;
      });
    }
    // A host base's __init__ (the host object exists already: this marks it initialized); object's does nothing.
    if (name === '__init__') {
      return new PyBoundMethod(this.self, name, () => {
        if (this.cls.hostBase?.initInstance && typeof this.self === 'object' && this.self !== null) this.cls.hostBase.initInstance(this.self);
        return null;
      });
    }
    if (this.cls.hostBase && typeof this.self === 'object' && this.self !== null) {
      return this.hostTypeOf(this.self)?.getattr?.(this.self, name);
    }
    return undefined;
  }
}
