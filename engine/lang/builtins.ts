// Python's builtin functions and types, the methods of str/list/dict/tuple/int/float, the builtin
// exception classes and the `math` module.
import { bindArgs, MISSING, noKwargs, signature, type Signature } from './args';
import { PyError } from './errors';
import * as libm from './libm';
import { floatRepr, toFixed } from './format';
import { PyExceptionType, PyExceptionValue, Runtime, asciiRepr, typeError, sliceIndices, setOp, setDifferenceUpdate, setSymmetricDifferenceUpdate } from './runtime';
import { PyClass, PyClassMethod, PyProperty, PyStaticMethod, classOf } from './classes';
import {
  ArrayIterator,
  JsIterator,
  PyBuiltin,
  PyCallable,
  PyDict,
  PySet,
  PyFloat,
  PyIterator,
  PyList,
  PyDictView,
  PyOrderedDict,
  PyDefaultDict,
  PyModule,
  PyObject,
  PyRange,
  PySlice,
  PyTuple,
  PyType,
  PyTypeRef,
  type Kwargs,
  type PyValue,
} from './values';

export interface BuiltinEnv {
  rt: Runtime;
  /** Receives exactly the text Python would write (including `end`). */
  print(text: string): void;
}

const fn = (name: string, f: (args: PyValue[], kwargs: Kwargs) => PyValue): PyBuiltin => new PyBuiltin(name, f);

/**
 * CPython's argument-count errors, in the three forms its C functions use: 'O' (one argument, METH_O:
 * "list.append() takes exactly one argument (2 given)"), 'clinic' (Argument Clinic: "isinstance expected 2
 * arguments, got 1", "pop expected at most 1 argument, got 2") and 'parse' (PyArg_ParseTuple: "find() takes at
 * least 1 argument (0 given)"). The default is 'O' for exactly one argument, else 'clinic'.
 */
function arity(name: string, args: PyValue[], min: number, max = min, style: 'O' | 'clinic' | 'parse' = min === 1 && max === 1 ? 'O' : 'clinic'): void {
  const n = args.length;
  if (n >= min && n <= max) return;
  const s = (k: number) => (k === 1 ? '' : 's');
  if (style === 'O') throw typeError(`${name}() takes exactly one argument (${n} given)`);
  if (style === 'parse') {
    if (min === max) throw typeError(`${name}() takes exactly ${min} argument${s(min)} (${n} given)`);
    throw typeError(n < min ? `${name}() takes at least ${min} argument${s(min)} (${n} given)` : `${name}() takes at most ${max} argument${s(max)} (${n} given)`);
  }
  if (min === max) throw typeError(`${name} expected ${min} argument${s(min)}, got ${n}`);
  if (n < min) throw typeError(`${name} expected at least ${min} argument${s(min)}, got ${n}`);
  throw typeError(`${name} expected at most ${max} argument${s(max)}, got ${n}`);
}

/** str.find/index/count/startswith/endswith: CPython's count check; the start/end arguments are not supported. */
function strArity(name: string, args: PyValue[]): void {
  arity(name, args, 1, 3, 'parse');
  if (args.length > 1) throw typeError(`str.${name}() with start/end arguments is not supported in this playground`);
}

function bound(sig: Signature, args: PyValue[], kwargs: Kwargs): PyValue[] {
  return bindArgs(sig, args, kwargs) as PyValue[];
}

/** The exception hierarchy the language knows. */
export function makeExceptions(): Map<string, PyExceptionType> {
  const m = new Map<string, PyExceptionType>();
  const def = (name: string, base: string | null): void => {
    m.set(name, new PyExceptionType(name, base ? m.get(base)! : null));
  };
  def('BaseException', null);
  def('Exception', 'BaseException');
  def('KeyboardInterrupt', 'BaseException');
  def('SystemExit', 'BaseException');
  def('GeneratorExit', 'BaseException');
  for (const n of ['ArithmeticError', 'LookupError', 'RuntimeError', 'ValueError', 'TypeError', 'NameError', 'AttributeError',
    'AssertionError', 'ImportError', 'StopIteration', 'MemoryError', 'SyntaxError', 'OSError']) def(n, 'Exception');
  def('ZeroDivisionError', 'ArithmeticError');
  def('OverflowError', 'ArithmeticError');
  def('FloatingPointError', 'ArithmeticError');
  def('IndexError', 'LookupError');
  def('KeyError', 'LookupError');
  def('NotImplementedError', 'RuntimeError');
  def('RecursionError', 'RuntimeError');
  def('UnboundLocalError', 'NameError');
  def('ModuleNotFoundError', 'ImportError');
  def('IndentationError', 'SyntaxError');
  def('TabError', 'IndentationError');
  def('FileNotFoundError', 'OSError');
  def('PermissionError', 'OSError');
  def('StopAsyncIteration', 'Exception');
  def('UnicodeError', 'ValueError');
  def('Warning', 'Exception');
  for (const n of ['UserWarning', 'DeprecationWarning', 'RuntimeWarning', 'FutureWarning']) def(n, 'Warning');
  return m;
}

/** The StopIteration an exhausted iterator raises, carrying a generator's return value when it has one. */
export function stopIteration(builtins: Map<string, PyValue>, value: PyValue | undefined): PyError {
  const err = new PyError('StopIteration', value === undefined || value === null ? '' : String(value));
  const t = builtins.get('StopIteration');
  if (value !== undefined && t instanceof PyExceptionType) err.value = new PyExceptionValue(t, [value]);
  return err;
}

/** The native half of `collections`: OrderedDict and defaultdict, dicts of their own kinds. */
export function makeCollectionsNative(rt: Runtime): PyModule {
  const fill = (d: PyDict, name: string, args: PyValue[], kwargs: Kwargs): PyDict => {
    if (args.length > 1) throw typeError(`${name} expected at most 1 argument, got ${args.length}`);
    if (args.length === 1) dictUpdate(rt, d, args[0]);
    if (kwargs) for (const [k, v] of kwargs) d.set(k, v);
    return d;
  };
  const ordered = new PyType('OrderedDict', (v) => v instanceof PyOrderedDict, (args, kwargs) => fill(new PyOrderedDict(), 'OrderedDict', args, kwargs));
  ordered.qualname = 'collections.OrderedDict';
  const defaultdict = new PyType('defaultdict', (v) => v instanceof PyDefaultDict, (args, kwargs) => {
    const factory = args.length > 0 ? args[0] : null;
    if (factory !== null && !rt.isCallable(factory)) throw typeError('first argument must be callable or None');
    return fill(new PyDefaultDict(factory), 'defaultdict', args.slice(1), kwargs);
  });
  defaultdict.qualname = 'collections.defaultdict';
  rt.builtinTypes.set('OrderedDict', ordered);
  rt.builtinTypes.set('collections.defaultdict', defaultdict);
  return new PyModule('_collections', { OrderedDict: ordered, defaultdict });
}

/** set_update_internal: a set merges, a dict makes room for its keys first, anything else adds one by one. */
function updateSet(rt: Runtime, st: PySet, a: PyValue): void {
  if (a instanceof PySet) return st.merge(a);
  if (a instanceof PyDict && a.constructor === PyDict) st.reserve(a.size);
  for (const x of rt.toArray(a)) st.add(x);
}

export function installBuiltins(env: BuiltinEnv): Map<string, PyValue> {
  const { rt } = env;
  const b = new Map<string, PyValue>();
  installMethods(rt);

  // ---- types -------------------------------------------------------------------------------
  const intType = new PyType(
    'int',
    (v) => typeof v === 'number' || typeof v === 'boolean',
    (args, kwargs) => {
      const [x, base] = bound(intSig, args, kwargs);
      return toInt(rt, x, base);
    },
  );
  const intSig = signature('int', 'x=0, base=?');
  const floatType = new PyType('float', (v) => v instanceof PyFloat, (args, kwargs) => {
    noKwargs('float', kwargs);
    arity('float', args, 0, 1);
    return args.length === 0 ? new PyFloat(0) : new PyFloat(toFloat(rt, args[0]));
  });
  const boolType = new PyType('bool', (v) => typeof v === 'boolean', (args, kwargs) => {
    noKwargs('bool', kwargs);
    arity('bool', args, 0, 1);
    return args.length === 0 ? false : rt.truthy(args[0]);
  });
  const strType = new PyType('str', (v) => typeof v === 'string', (args, kwargs) => {
    noKwargs('str', kwargs);
    arity('str', args, 0, 1);
    return args.length === 0 ? '' : rt.str(args[0]);
  });
  const listType = new PyType('list', (v) => v instanceof PyList, (args, kwargs) => {
    noKwargs('list', kwargs);
    arity('list', args, 0, 1);
    return new PyList(args.length === 0 ? [] : rt.toArray(args[0]));
  });
  const tupleType = new PyType('tuple', (v) => v instanceof PyTuple, (args, kwargs) => {
    noKwargs('tuple', kwargs);
    arity('tuple', args, 0, 1);
    // A tuple is returned as it is; a torch.Size or a torch.return_types tuple becomes a plain one.
    if (args.length === 1 && args[0] instanceof PyTuple && args[0].constructor === PyTuple) return args[0];
    return new PyTuple(args.length === 0 ? [] : rt.toArray(args[0]));
  });
  const dictType = new PyType('dict', (v) => v instanceof PyDict, (args, kwargs) => {
    arity('dict', args, 0, 1);
    const d = new PyDict();
    if (args.length === 1) dictUpdate(rt, d, args[0]);
    if (kwargs) for (const [k, v] of kwargs) d.set(k, v);
    return d;
  });
  const setType = new PyType('set', (v) => v instanceof PySet && !v.frozen, (args, kwargs) => {
    noKwargs('set', kwargs);
    if (args.length > 1) throw typeError(`set expected at most 1 argument, got ${args.length}`);
    const out = new PySet();
    if (args.length === 1) updateSet(rt, out, args[0]);
    return out;
  });
  const frozensetType = new PyType('frozenset', (v) => v instanceof PySet && v.frozen, (args, kwargs) => {
    noKwargs('frozenset', kwargs);
    if (args.length > 1) throw typeError(`frozenset expected at most 1 argument, got ${args.length}`);
    return new PySet(args.length === 0 ? [] : args[0] instanceof PySet ? args[0] : rt.toArray(args[0]), true);
  });
  const rangeSig = signature('range', 'start, stop=?, step=?');
  const rangeType = new PyType('range', (v) => v instanceof PyRange, (args, kwargs) => {
    noKwargs('range', kwargs);
    if (args.length === 0) throw typeError('range expected at least 1 argument, got 0');
    if (args.length > 3) throw typeError(`range expected at most 3 arguments, got ${args.length}`);
    bound(rangeSig, args, null);
    const ints = args.map((a) => rt.index(a));
    const [start, stop, step] = ints.length === 1 ? [0, ints[0], 1] : [ints[0], ints[1], ints[2] ?? 1];
    if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
    return new PyRange(start, stop, step);
  });
  const sliceType = new PyType('slice', (v) => v instanceof PySlice, (args) => {
    arity('slice', args, 1, 3);
    return args.length === 1 ? new PySlice(null, args[0], null) : new PySlice(args[0], args[1], args[2] ?? null);
  });
  const noneType = new PyType('NoneType', (v) => v === null, () => null);
  const typeType = new PyType('type', (v) => v instanceof PyType || v instanceof PyTypeRef || v instanceof PyExceptionType, (args) => {
    if (args.length !== 1) throw typeError(args.length === 3 ? 'type() with 3 arguments is not supported in this playground' : 'type() takes 1 or 3 arguments');
    return rt.typeOf(args[0]);
  });
  const objectType = new PyType('object', () => true, () => {
    throw typeError('object() is not supported in this playground');
  });
  for (const t of [intType, floatType, boolType, strType, listType, tupleType, dictType, setType, frozensetType, rangeType, sliceType, typeType, objectType]) {
    b.set(t.name, t);
    rt.builtinTypes.set(t.name, t);
  }
  rt.builtinTypes.set('NoneType', noneType);
  const fnType = new PyTypeRef('function');
  rt.builtinTypes.set('function', fnType);

  for (const [name, t] of makeExceptions()) {
    b.set(name, t);
    rt.builtinTypes.set(name, t);
  }

  // ---- functions -----------------------------------------------------------------------------
  const printSig = signature('print', '*values, sep=None, end=None, file=None, flush=False');
  b.set('print', fn('print', (args, kwargs) => {
    const [values, sep, end] = bound(printSig, args, kwargs);
    if (sep !== null && typeof sep !== 'string') throw typeError(`sep must be None or a string, not ${rt.typeName(sep)}`);
    if (end !== null && typeof end !== 'string') throw typeError(`end must be None or a string, not ${rt.typeName(end)}`);
    const text = (values as PyTuple).items.map((v) => rt.str(v)).join(sep ?? ' ') + (end ?? '\n');
    env.print(text);
    return null;
  }));
  b.set('len', fn('len', (args, kwargs) => {
    noKwargs('len', kwargs);
    arity('len', args, 1);
    return rt.len(args[0]);
  }));
  b.set('repr', fn('repr', (args) => (arity('repr', args, 1), rt.repr(args[0]))));
  b.set('abs', fn('abs', (args) => {
    arity('abs', args, 1);
    const x = args[0];
    if (typeof x === 'number' || typeof x === 'boolean') return Math.abs(+x);
    if (x instanceof PyFloat) return new PyFloat(Math.abs(x.value));
    const h = typeof x === 'object' && x !== null && !(x instanceof PyObject) ? rt.host(x) : undefined;
    if (h?.callMethod) {
      const r = h.callMethod(x, 'abs', [], null);
      if (typeof r !== 'symbol') return r;
    }
    throw typeError(`bad operand type for abs(): '${rt.typeName(x)}'`);
  }));
  const minmax = (name: 'min' | 'max'): PyBuiltin => {
    const sig = signature(name, '*args, key=None, default=?');
    return fn(name, (args, kwargs) => {
      const [items0, key, def] = bindArgs(sig, args, kwargs) as [PyTuple, PyValue, PyValue | typeof MISSING];
      let items: PyValue[];
      if (items0.items.length === 0) throw typeError(`${name} expected at least 1 argument, got 0`);
      if (items0.items.length === 1) items = rt.toArray(items0.items[0], false);
      else items = items0.items as PyValue[];
      if (items.length === 0) {
        if (def !== MISSING) return def;
        throw new PyError('ValueError', `${name}() arg is an empty sequence`);
      }
      let best = items[0];
      let bestKey = key === null ? best : rt.call(key, [best], null);
      for (let i = 1; i < items.length; i++) {
        const k = key === null ? items[i] : rt.call(key, [items[i]], null);
        if (rt.truthy(rt.compare(name === 'min' ? '<' : '>', k, bestKey))) {
          best = items[i];
          bestKey = k;
        }
      }
      return best;
    });
  };
  b.set('min', minmax('min'));
  b.set('max', minmax('max'));
  const sumSig = signature('sum', 'iterable, start=0');
  b.set('sum', fn('sum', (args, kwargs) => {
    const [iterable, start] = bound(sumSig, args, kwargs);
    if (typeof start === 'string') throw typeError("sum() can't sum strings [use ''.join(seq) instead]");
    let acc: PyValue = start;
    const it = rt.iter(iterable);
    for (let x = it.next(); x !== undefined; x = it.next()) acc = rt.binop('+', acc, x);
    return acc;
  }));
  const roundSig = signature('round', 'number, ndigits=None');
  b.set('round', fn('round', (args, kwargs) => {
    const [x, nd] = bound(roundSig, args, kwargs);
    if (typeof x === 'number' || typeof x === 'boolean') {
      if (nd === null || rt.index(nd) >= 0) return +x;
      const p = 10 ** -rt.index(nd);
      return roundHalfEven(+x / p) * p;
    }
    const v = x instanceof PyFloat ? x.value : rt.toNumber(x);
    if (v === undefined) throw typeError(`type ${rt.typeName(x)} doesn't define __round__ method`);
    if (nd === null) {
      if (!Number.isFinite(v)) {
        throw new PyError(Number.isNaN(v) ? 'ValueError' : 'OverflowError', `cannot convert float ${floatRepr(v)} to integer`);
      }
      return roundHalfEven(v);
    }
    const n = rt.index(nd);
    if (!Number.isFinite(v)) return new PyFloat(v);
    if (n >= 0) return new PyFloat(n > 300 ? v : Number(toFixed(v, n)));
    const p = 10 ** -n;
    // A float keeps its sign when it rounds to zero: round(-0.18, -2) == -0.0.
    const r = roundHalfEven(v / p) * p;
    return new PyFloat(r === 0 && (v < 0 || Object.is(v, -0)) ? -0 : r);
  }));
  const enumSig = signature('enumerate', 'iterable, start=0');
  b.set('enumerate', fn('enumerate', (args, kwargs) => {
    const [iterable, start] = bound(enumSig, args, kwargs);
    const it = rt.iter(iterable);
    let i = rt.index(start);
    return new JsIterator(
      (function* () {
        for (let x = it.next(); x !== undefined; x = it.next()) yield new PyTuple([i++, x]);
      })(),
      'enumerate',
    );
  }));
  b.set('zip', fn('zip', (args, kwargs) => {
    noKwargs('zip', kwargs);
    const its = args.map((a) => rt.iter(a));
    return new JsIterator(
      (function* () {
        if (its.length === 0) return;
        while (true) {
          const row: PyValue[] = [];
          for (const it of its) {
            const x = it.next();
            if (x === undefined) return;
            row.push(x);
          }
          yield new PyTuple(row);
        }
      })(),
      'zip',
    );
  }));
  b.set('map', fn('map', (args) => {
    if (args.length < 2) throw typeError('map() must have at least two arguments.');
    const f = args[0];
    const its = args.slice(1).map((a) => rt.iter(a));
    return new JsIterator(
      (function* () {
        while (true) {
          const row: PyValue[] = [];
          for (const it of its) {
            const x = it.next();
            if (x === undefined) return;
            row.push(x);
          }
          yield rt.call(f, row, null);
        }
      })(),
      'map',
    );
  }));
  b.set('filter', fn('filter', (args) => {
    arity('filter', args, 2);
    const [f, iterable] = args;
    const it = rt.iter(iterable);
    return new JsIterator(
      (function* () {
        for (let x = it.next(); x !== undefined; x = it.next()) if (rt.truthy(f === null ? x : rt.call(f, [x], null))) yield x;
      })(),
      'filter',
    );
  }));
  const sortedSig = signature('sorted', 'iterable, *, key=None, reverse=False');
  b.set('sorted', fn('sorted', (args, kwargs) => {
    const [iterable, key, reverse] = bound(sortedSig, args, kwargs);
    const items = rt.toArray(iterable);
    return new PyList(sortItems(rt, items, key, rt.truthy(reverse)));
  }));
  b.set('reversed', fn('reversed', (args) => {
    arity('reversed', args, 1, 1, 'clinic');
    const v = args[0];
    if (v instanceof PyRange) return new ArrayIterator(rangeItems(v).reverse(), 'range_iterator');
    if (v instanceof PyList || v instanceof PyTuple || typeof v === 'string' || v instanceof PyDict) {
      return new ArrayIterator(rt.toArray(v).reverse(), 'list_reverseiterator');
    }
    throw typeError(`'${rt.typeName(v)}' object is not reversible`);
  }));
  b.set('any', fn('any', (args) => {
    arity('any', args, 1);
    const it = rt.iter(args[0]);
    for (let x = it.next(); x !== undefined; x = it.next()) if (rt.truthy(x)) return true;
    return false;
  }));
  b.set('all', fn('all', (args) => {
    arity('all', args, 1);
    const it = rt.iter(args[0]);
    for (let x = it.next(); x !== undefined; x = it.next()) if (!rt.truthy(x)) return false;
    return true;
  }));
  b.set('isinstance', fn('isinstance', (args) => {
    arity('isinstance', args, 2);
    return isInstance(rt, args[0], args[1]);
  }));
  b.set('hasattr', fn('hasattr', (args) => {
    arity('hasattr', args, 2);
    if (typeof args[1] !== 'string') throw typeError('hasattr(): attribute name must be string');
    try {
      return rt.getattrOrUndefined(args[0], args[1]) !== undefined;
    } catch (e) {
      if (e instanceof PyError && e.type === 'AttributeError') return false;
      throw e;
    }
  }));
  b.set('getattr', fn('getattr', (args) => {
    arity('getattr', args, 2, 3);
    if (typeof args[1] !== 'string') throw typeError("attribute name must be string, not '" + rt.typeName(args[1]) + "'");
    if (args.length === 3) {
      try {
        const v = rt.getattrOrUndefined(args[0], args[1]);
        return v === undefined ? args[2] : v;
      } catch (e) {
        if (e instanceof PyError && e.type === 'AttributeError') return args[2];
        throw e;
      }
    }
    return rt.getattr(args[0], args[1]);
  }));
  b.set('setattr', fn('setattr', (args) => {
    arity('setattr', args, 3);
    if (typeof args[1] !== 'string') throw typeError("attribute name must be string, not '" + rt.typeName(args[1]) + "'");
    rt.setattr(args[0], args[1], args[2]);
    return null;
  }));
  b.set('delattr', fn('delattr', (args) => {
    arity('delattr', args, 2);
    if (typeof args[1] !== 'string') throw typeError(`attribute name must be string, not '${rt.typeName(args[1])}'`);
    rt.delattr(args[0], args[1]);
    return null;
  }));
  b.set('vars', fn('vars', (args) => {
    arity('vars', args, 1);
    const v = args[0];
    if (v instanceof PyModule) return PyDict.fromEntries(v.attrs.entries());
    const d = rt.getattrOrUndefined(v, '__dict__');
    if (!(d instanceof PyDict)) throw typeError('vars() argument must have __dict__ attribute');
    return d;
  }));
  b.set('staticmethod', fn('staticmethod', (args) => (arity('staticmethod', args, 1, 1, 'clinic'), new PyStaticMethod(args[0]))));
  b.set('classmethod', fn('classmethod', (args) => (arity('classmethod', args, 1, 1, 'clinic'), new PyClassMethod(args[0]))));
  b.set('property', fn('property', (args) => {
    arity('property', args, 1, 2);
    return new PyProperty(args[0], args[1] ?? null);
  }));
  b.set('issubclass', fn('issubclass', (args) => {
    arity('issubclass', args, 2);
    const [c, base] = args;
    const bases = base instanceof PyTuple ? base.items : [base];
    if (c instanceof PyClass) return bases.some((x) => x instanceof PyClass && c.isSubclassOf(x));
    if (c instanceof PyExceptionType) return bases.some((x) => x instanceof PyExceptionType && c.isSubclassOf(x));
    return bases.some((x) => x === c);
  }));
  b.set('callable', fn('callable', (args) => (arity('callable', args, 1), rt.isCallable(args[0]))));
  b.set('iter', fn('iter', (args) => {
    arity('iter', args, 1, 2);
    if (args.length === 2) throw typeError('iter(callable, sentinel) is not supported in this playground');
    return rt.iter(args[0]);
  }));
  b.set('next', fn('next', (args) => {
    arity('next', args, 1, 2);
    const it = args[0];
    if (!(it instanceof PyIterator) && classOf(it)?.lookup('__next__') !== undefined) {
      // An iterator of a program class.
      try {
        return rt.callMethod(it, '__next__', [], null);
      } catch (e) {
        if (args.length === 2 && e instanceof PyError && e.type === 'StopIteration') return args[1];
        throw e;
      }
    }
    if (!(it instanceof PyIterator)) throw typeError(`'${rt.typeName(it)}' object is not an iterator`);
    const x = it.next();
    if (x !== undefined) return x;
    if (args.length === 2) return args[1];
    throw stopIteration(b, it.stopValue());
  }));
  b.set('divmod', fn('divmod', (args) => {
    arity('divmod', args, 2);
    return new PyTuple([rt.binop('//', args[0], args[1]), rt.binop('%', args[0], args[1])]);
  }));
  b.set('pow', fn('pow', (args) => {
    arity('pow', args, 2, 3);
    const r = rt.binop('**', args[0], args[1]);
    return args.length === 3 && args[2] !== null ? rt.binop('%', r, args[2]) : r;
  }));
  b.set('format', fn('format', (args) => {
    arity('format', args, 1, 2);
    const spec = args[1] ?? '';
    if (typeof spec !== 'string') throw typeError(`format() argument 2 must be str, not ${rt.typeName(spec)}`);
    return rt.format(args[0], spec);
  }));
  b.set('chr', fn('chr', (args) => {
    arity('chr', args, 1);
    const c = rt.index(args[0]);
    if (c < 0 || c > 0x10ffff) throw new PyError('ValueError', 'chr() arg not in range(0x110000)');
    return String.fromCodePoint(c);
  }));
  b.set('ascii', fn('ascii', (args) => (arity('ascii', args, 1), asciiRepr(rt.repr(args[0])))));
  for (const [name, base, tag] of [['hex', 16, 'x'], ['oct', 8, 'o'], ['bin', 2, 'b']] as const) {
    b.set(name, fn(name, (args) => {
      arity(name, args, 1);
      const n = rt.index(args[0]);
      return `${n < 0 ? '-' : ''}0${tag}${BigInt(Math.abs(n)).toString(base)}`;
    }));
  }
  b.set('ord', fn('ord', (args) => {
    arity('ord', args, 1);
    const s = args[0];
    if (typeof s !== 'string' || [...s].length !== 1) throw typeError('ord() expected a character');
    return s.codePointAt(0)!;
  }));
  let nextId = 1;
  const ids = new WeakMap<object, number>();
  b.set('id', fn('id', (args) => {
    arity('id', args, 1);
    const v = args[0];
    if (typeof v !== 'object' || v === null) return typeof v === 'number' ? v * 2 + 1 : 7;
    let id = ids.get(v);
    if (id === undefined) ids.set(v, (id = 140000000000000 + 16 * nextId++));
    return id;
  }));
  b.set('hash', fn('hash', (args) => {
    arity('hash', args, 1);
    const v = args[0];
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return +v;
    if (v instanceof PyFloat && Number.isInteger(v.value)) return v.value;
    if (v instanceof PyList || v instanceof PyDict) throw typeError(`unhashable type: '${v.typeName}'`);
    let h = 0;
    for (const ch of rt.repr(v)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
    return h;
  }));
  b.set('dir', fn('dir', (args) => {
    arity('dir', args, 0, 1);
    if (args.length === 0) return new PyList([]);
    const v = args[0];
    if (v instanceof PyModule) return new PyList([...v.attrs.keys()].sort());
    if (typeof v === 'object' && v !== null && !(v instanceof PyObject)) return new PyList((rt.host(v)?.dir?.(v) ?? []).slice().sort());
    return new PyList([]);
  }));
  b.set('input', fn('input', () => {
    throw new PyError('RuntimeError', 'input() is not available in this playground');
  }));
  b.set('open', fn('open', () => {
    throw new PyError('RuntimeError', 'open() is not available in this playground');
  }));
  b.set('None', null);
  return b;
}

function rangeItems(r: PyRange): PyValue[] {
  const out: PyValue[] = [];
  for (let i = 0; i < r.length; i++) out.push(r.at(i));
  return out;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export function isInstance(rt: Runtime, v: PyValue, cls: PyValue): boolean {
  if (cls instanceof PyTuple) return cls.items.some((c) => isInstance(rt, v, c));
  if (cls instanceof PyType) {
    if (cls.name === 'int') return typeof v === 'number' || typeof v === 'boolean';
    if (cls.name === 'object') return true;
    return cls.check(v);
  }
  if (cls instanceof PyExceptionType) {
    if (v instanceof PyExceptionValue) return v.type.isSubclassOf(cls);
    const base = classOf(v)?.exceptionBase;
    return base instanceof PyExceptionType && base.isSubclassOf(cls);
  }
  if (cls instanceof PyClass) return classOf(v)?.isSubclassOf(cls) ?? false;
  if (typeof cls === 'object' && cls !== null && !(cls instanceof PyObject)) {
    const h = rt.host(cls);
    if (h?.instancecheck) return h.instancecheck(cls, v);
  }
  if (cls instanceof PyTypeRef) return rt.typeName(v) === cls.name;
  throw typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
}

export function toInt(rt: Runtime, x: PyValue, base: PyValue | typeof MISSING): number {
  if (base !== MISSING) {
    if (typeof x !== 'string') throw typeError("int() can't convert non-string with explicit base");
    let bse = rt.index(base as PyValue);
    const s = x.trim().replace(/_/g, '').toLowerCase();
    const prefix = /^[+-]?0([xob])/.exec(s)?.[1];
    // Base 0: the literal's own prefix decides, as in source code.
    if (bse === 0) bse = prefix === 'x' ? 16 : prefix === 'o' ? 8 : prefix === 'b' ? 2 : 10;
    const digits = s.replace(/^[+-]?(0[xob])?/, '');
    const n = /^[0-9a-z]+$/.test(digits) && [...digits].every((c) => parseInt(c, 36) < bse) ? parseInt(s.startsWith('-') ? '-' + digits : digits, bse) : NaN;
    if (Number.isNaN(n)) throw new PyError('ValueError', `invalid literal for int() with base ${bse}: ${rt.repr(x)}`);
    return n;
  }
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return +x;
  if (typeof x === 'string') {
    const s = x.trim().replace(/(\d)_(\d)/g, '$1$2');
    if (!/^[+-]?\d+$/.test(s)) throw new PyError('ValueError', `invalid literal for int() with base 10: ${rt.repr(x)}`);
    return Number(s);
  }
  const v = x instanceof PyFloat ? x.value : rt.toNumber(x, 'int');
  if (v === undefined) {
    throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${rt.typeName(x)}'`);
  }
  if (Number.isNaN(v)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(v)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
  return Math.trunc(v) || 0;
}

export function toFloat(rt: Runtime, x: PyValue): number {
  if (typeof x === 'string') {
    const s = x.trim().toLowerCase().replace(/(\d)_(\d)/g, '$1$2');
    if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(s)) return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) {
      throw new PyError('ValueError', `could not convert string to float: ${rt.repr(x)}`);
    }
    return Number(s);
  }
  const v = rt.toNumber(x, 'float');
  if (v === undefined) throw typeError(`float() argument must be a string or a real number, not '${rt.typeName(x)}'`);
  return v;
}

function sortItems(rt: Runtime, items: PyValue[], key: PyValue, reverse: boolean): PyValue[] {
  const keys = key === null ? items : items.map((x) => rt.call(key, [x], null));
  const idx = items.map((_, i) => i);
  idx.sort((i, j) => {
    const [a, b] = reverse ? [keys[j], keys[i]] : [keys[i], keys[j]];
    if (rt.truthy(rt.compare('<', a, b))) return -1;
    if (rt.truthy(rt.compare('<', b, a))) return 1;
    return 0;
  });
  return idx.map((i) => items[i]);
}

function dictUpdate(rt: Runtime, d: PyDict, src: PyValue): void {
  if (src instanceof PyDict) {
    for (const [k, v] of src.entries()) d.set(k, v);
    return;
  }
  const it = rt.iter(src);
  let i = 0;
  for (let x = it.next(); x !== undefined; x = it.next(), i++) {
    let pair: PyValue[];
    try {
      pair = rt.toArray(x);
    } catch (e) {
      if (e instanceof PyError && e.type === 'TypeError') throw typeError(`cannot convert dictionary update sequence element #${i} to a sequence`);
      throw e;
    }
    if (pair.length !== 2) {
      throw new PyError('ValueError', `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
    }
    d.set(pair[0], pair[1]);
  }
}

// ---- methods of builtin types ----------------------------------------------------------------

function installMethods(rt: Runtime): void {
  const { str, list, tuple, dict, int, float } = rt.methods;
  const strArg = (name: string, v: PyValue): string => {
    if (typeof v !== 'string') throw typeError(`${name}() argument must be str, not ${rt.typeName(v)}`);
    return v;
  };

  // str
  str.set('format', (s: string, args, kwargs) => strFormat(rt, s, args, kwargs));
  str.set('join', (s: string, args) => {
    arity('str.join', args, 1);
    return rt.toArray(args[0], false).map((x, i) => {
      if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${rt.typeName(x)} found`);
      return x;
    }).join(s);
  });
  str.set('split', (s: string, args, kwargs) => {
    const [sep, maxsplit] = bound(splitSig, args, kwargs);
    const max = rt.index(maxsplit);
    if (sep === null) {
      const parts = s.trim().split(/\s+/).filter((p) => p !== '');
      if (max >= 0 && parts.length > max + 1) {
        const head = parts.slice(0, max);
        let rest = s.trimStart();
        for (const h of head) rest = rest.slice(rest.indexOf(h) + h.length).trimStart();
        return new PyList([...head, rest]);
      }
      return new PyList(parts);
    }
    if (typeof sep !== 'string') throw typeError(`must be str or None, not ${rt.typeName(sep)}`);
    const sp = sep;
    if (sp === '') throw new PyError('ValueError', 'empty separator');
    const parts = s.split(sp);
    if (max >= 0 && parts.length > max + 1) return new PyList([...parts.slice(0, max), parts.slice(max).join(sp)]);
    return new PyList(parts);
  });
  const splitSig = signature('split', 'sep=None, maxsplit=-1');
  str.set('rsplit', (s: string, args, kwargs) => {
    const [sep, maxsplit] = bound(rsplitSig, args, kwargs);
    const max = rt.index(maxsplit);
    if (sep === null) {
      const parts = s.trim().split(/\s+/).filter((p) => p !== '');
      if (max >= 0 && parts.length > max + 1) {
        const tail = parts.slice(parts.length - max);
        let rest = s.trimEnd();
        for (const t of [...tail].reverse()) rest = rest.slice(0, rest.lastIndexOf(t)).trimEnd();
        return new PyList([rest, ...tail]);
      }
      return new PyList(parts);
    }
    if (typeof sep !== 'string') throw typeError(`must be str or None, not ${rt.typeName(sep)}`);
    const sp = sep;
    if (sp === '') throw new PyError('ValueError', 'empty separator');
    const parts = s.split(sp);
    if (max >= 0 && parts.length > max + 1) return new PyList([parts.slice(0, parts.length - max).join(sp), ...parts.slice(parts.length - max)]);
    return new PyList(parts);
  });
  const rsplitSig = signature('rsplit', 'sep=None, maxsplit=-1');
  /** A str method's start and end, as CPython's ADJUST_INDICES: negatives from the end, end capped at n; a start past n stays past it. */
  const strRange = (n: number, startArg: PyValue | undefined, endArg: PyValue | undefined): [number, number] => {
    const at = (v: PyValue | undefined, d: number) => {
      if (v === undefined || v === null) return d;
      const i = rt.index(v);
      return i < 0 ? Math.max(0, n + i) : i;
    };
    return [at(startArg, 0), Math.min(at(endArg, n), n)];
  };
  const finder = (name: string, last: boolean, raise: boolean) =>
    str.set(name, (s: string, args) => {
      arity(name, args, 1, 3);
      const sub = strArg(name, args[0]);
      const [start, end] = strRange(s.length, args[1], args[2]);
      let at = -1;
      if (end - start >= sub.length) {
        at = last ? s.lastIndexOf(sub, end - sub.length) : s.indexOf(sub, start);
        if (at < start || at + sub.length > end) at = -1;
      }
      if (at < 0 && raise) throw new PyError('ValueError', 'substring not found');
      return at;
    });
  finder('find', false, false);
  finder('index', false, true);
  finder('rfind', true, false);
  finder('rindex', true, true);
  const partition = (name: string, last: boolean) =>
    str.set(name, (s: string, args) => {
      arity(name, args, 1);
      const sep = strArg(name, args[0]);
      if (sep === '') throw new PyError('ValueError', 'empty separator');
      const i = last ? s.lastIndexOf(sep) : s.indexOf(sep);
      if (i < 0) return new PyTuple(last ? ['', '', s] : [s, '', '']);
      return new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
    });
  partition('partition', false);
  partition('rpartition', true);
  str.set('swapcase', (s: string) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''));
  str.set('casefold', (s: string) => s.toLowerCase().replace(/ß/g, 'ss'));
  str.set('removeprefix', (s: string, args) => {
    arity('removeprefix', args, 1);
    const p = strArg('removeprefix', args[0]);
    return p !== '' && s.startsWith(p) ? s.slice(p.length) : s;
  });
  str.set('removesuffix', (s: string, args) => {
    arity('removesuffix', args, 1);
    const p = strArg('removesuffix', args[0]);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  });
  str.set('isalnum', (s: string) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s));
  str.set('isnumeric', (s: string) => s.length > 0 && /^\p{N}+$/u.test(s));
  str.set('isdecimal', (s: string) => s.length > 0 && /^\p{Nd}+$/u.test(s));
  str.set('isidentifier', (s: string) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s));
  str.set('istitle', (s: string) => {
    let cased = false;
    let prevCased = false;
    for (const c of s) {
      const upper = c !== c.toLowerCase();
      const lower = c !== c.toUpperCase();
      if (upper) {
        if (prevCased) return false;
        prevCased = cased = true;
      } else if (lower) {
        if (!prevCased) return false;
        prevCased = cased = true;
      } else prevCased = false;
    }
    return cased;
  });
  str.set('expandtabs', (s: string, args) => {
    arity('expandtabs', args, 0, 1);
    const size = args.length ? rt.index(args[0]) : 8;
    let out = '';
    let col = 0;
    for (const c of s) {
      if (c === '\t') {
        const n = size > 0 ? size - (col % size) : 0;
        out += ' '.repeat(n);
        col += n;
      } else {
        out += c;
        col = c === '\n' || c === '\r' ? 0 : col + 1;
      }
    }
    return out;
  });
  const stripper = (name: string, f: (s: string, chars: string | null) => string) =>
    str.set(name, (s: string, args) => {
      arity(name, args, 0, 1);
      const chars = args[0] ?? null;
      return f(s, chars === null ? null : strArg(name, chars));
    });
  const esc = (c: string): string => c.replace(/[\\\]^-]/g, '\\$&');
  stripper('strip', (s, c) => (c === null ? s.trim() : s.replace(new RegExp(`^[${esc(c)}]+|[${esc(c)}]+$`, 'g'), '')));
  stripper('lstrip', (s, c) => (c === null ? s.trimStart() : s.replace(new RegExp(`^[${esc(c)}]+`), '')));
  stripper('rstrip', (s, c) => (c === null ? s.trimEnd() : s.replace(new RegExp(`[${esc(c)}]+$`), '')));
  str.set('upper', (s: string) => s.toUpperCase());
  str.set('lower', (s: string) => s.toLowerCase());
  str.set('title', (s: string) => s.replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()));
  str.set('capitalize', (s: string) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s));
  str.set('startswith', (s: string, args) => {
    strArity('startswith', args);
    const p = args[0];
    if (p instanceof PyTuple) return p.items.some((x) => s.startsWith(strArg('startswith', x)));
    return s.startsWith(strArg('startswith', p));
  });
  str.set('endswith', (s: string, args) => {
    strArity('endswith', args);
    const p = args[0];
    if (p instanceof PyTuple) return p.items.some((x) => s.endsWith(strArg('endswith', x)));
    return s.endsWith(strArg('endswith', p));
  });
  str.set('replace', (s: string, args) => {
    arity('replace', args, 2, 3);
    const from = strArg('replace', args[0]);
    const to = strArg('replace', args[1]);
    let count = args.length === 3 ? rt.index(args[2]) : -1;
    if (count < 0) return s.split(from).join(to);
    let out = '';
    let rest = s;
    while (count-- > 0) {
      const i = rest.indexOf(from);
      if (i < 0) break;
      out += rest.slice(0, i) + to;
      rest = rest.slice(i + from.length);
    }
    return out + rest;
  });
  str.set('count', (s: string, args) => {
    arity('count', args, 1, 3);
    const sub = strArg('count', args[0]);
    const [start, end] = strRange(s.length, args[1], args[2]);
    if (end - start < sub.length) return 0;
    const part = s.slice(start, end);
    return sub === '' ? part.length + 1 : part.split(sub).length - 1;
  });
  str.set('isdigit', (s: string) => /^\d+$/.test(s));
  str.set('isalpha', (s: string) => /^\p{L}+$/u.test(s));
  str.set('isspace', (s: string) => /^\s+$/.test(s));
  str.set('isupper', (s: string) => /[A-Z]/.test(s) && s === s.toUpperCase());
  str.set('islower', (s: string) => /[a-z]/.test(s) && s === s.toLowerCase());
  str.set('zfill', (s: string, args) => {
    arity('str.zfill', args, 1);
    const w = rt.index(args[0]);
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  });
  const padder = (name: string, f: (s: string, w: number, c: string) => string) =>
    str.set(name, (s: string, args) => {
      arity(name, args, 1, 2);
      return f(s, rt.index(args[0]), args.length > 1 ? strArg(name, args[1]) : ' ');
    });
  padder('ljust', (s, w, c) => s.padEnd(w, c));
  padder('rjust', (s, w, c) => s.padStart(w, c));
  padder('center', (s, w, c) => {
    const total = Math.max(0, w - s.length);
    const left = Math.floor(total / 2) + (total % 2 && w % 2 ? 1 : 0);
    return c.repeat(left) + s + c.repeat(total - left);
  });
  str.set('splitlines', (s: string) => new PyList(s.split(/\r\n|\r|\n/).filter((_, i, a) => i < a.length - 1 || a[i] !== '')));

  // list
  // set and frozenset (the mutating ones refuse a frozenset, as it has no such method)
  const set = rt.methods.set;
  const mutable = (name: string, fn: (st: PySet, args: PyValue[]) => PyValue) =>
    set.set(name, (st: PySet, args) => {
      if (st.frozen) throw new PyError('AttributeError', `'frozenset' object has no attribute '${name}'`);
      return fn(st, args);
    });
  const others = (args: PyValue[]) => args.map((a) => (a instanceof PySet ? a : new PySet(rt.toArray(a))));
  const updateFrom = (st: PySet, a: PyValue): void => updateSet(rt, st, a);
  mutable('add', (st, args) => (arity('set.add', args, 1), st.add(args[0]), null));
  mutable('update', (st, args) => {
    for (const a of args) updateFrom(st, a);
    return null;
  });
  mutable('remove', (st, args) => {
    arity('set.remove', args, 1);
    if (!st.delete(args[0])) throw rt.keyError(args[0]);
    return null;
  });
  mutable('discard', (st, args) => (arity('set.discard', args, 1), st.delete(args[0]), null));
  mutable('pop', (st, args) => {
    arity('set.pop', args, 0);
    const x = st.pop();
    if (x === undefined) throw new PyError('KeyError', "'pop from an empty set'");
    return x;
  });
  mutable('clear', (st, args) => (arity('set.clear', args, 0), st.clear(), null));
  set.set('copy', (st: PySet, args) => (arity('set.copy', args, 0), new PySet(st, st.frozen)));
  set.set('union', (st: PySet, args) => {
    const out = new PySet(st, st.frozen);
    for (const a of args) updateFrom(out, a);
    return out;
  });
  /** set_intersection: over the smaller of two sets; over any other iterable in its order. */
  const intersect = (st: PySet, a: PyValue): PySet => {
    if (a instanceof PySet) return setOp('&', st, a);
    const out = new PySet([], st.frozen);
    for (const x of rt.toArray(a)) if (st.has(x)) out.add(x);
    return out;
  };
  set.set('intersection', (st: PySet, args) => args.reduce<PySet>((acc, a) => intersect(acc, a), args.length === 0 ? new PySet(st, st.frozen) : st));
  mutable('intersection_update', (st, args) => (st.become(args.reduce<PySet>((acc, a) => intersect(acc, a), st)), null));
  /** set_difference: with a set (or dict) it depends on the sizes; with another iterable it copies, then removes. */
  set.set('difference', (st: PySet, args) => {
    if (args.length === 0) return new PySet(st, st.frozen);
    const [first, ...rest] = args;
    let out: PySet;
    if (first instanceof PySet) out = setOp('-', st, first);
    else {
      out = new PySet(st, st.frozen);
      setDifferenceUpdate(out, new PySet(rt.toArray(first)));
    }
    for (const a of rest) setDifferenceUpdate(out, others([a])[0]);
    return out;
  });
  mutable('difference_update', (st, args) => {
    for (const a of others(args)) setDifferenceUpdate(st, a);
    return null;
  });
  set.set('symmetric_difference', (st: PySet, args) => {
    arity('set.symmetric_difference', args, 1);
    const out = new PySet(others(args)[0], st.frozen);
    setSymmetricDifferenceUpdate(out, st);
    return out;
  });
  mutable('symmetric_difference_update', (st, args) => (arity('set.symmetric_difference_update', args, 1), setSymmetricDifferenceUpdate(st, others(args)[0]), null));
  set.set('issubset', (st: PySet, args) => {
    arity('set.issubset', args, 1);
    const other = others(args)[0];
    return st.items().every((x) => other.has(x));
  });
  set.set('issuperset', (st: PySet, args) => (arity('set.issuperset', args, 1), others(args)[0].items().every((x) => st.has(x))));
  set.set('isdisjoint', (st: PySet, args) => (arity('set.isdisjoint', args, 1), !others(args)[0].items().some((x) => st.has(x))));

  list.set('append', (l: PyList, args) => (arity('list.append', args, 1), l.items.push(args[0]), null));
  list.set('extend', (l: PyList, args) => {
    arity('list.extend', args, 1);
    for (const x of rt.toArray(args[0])) l.items.push(x);
    return null;
  });
  list.set('insert', (l: PyList, args) => {
    arity('insert', args, 2);
    let i = rt.index(args[0]);
    if (i < 0) i = Math.max(0, i + l.items.length);
    l.items.splice(Math.min(i, l.items.length), 0, args[1]);
    return null;
  });
  list.set('pop', (l: PyList, args) => {
    arity('pop', args, 0, 1);
    if (l.items.length === 0) throw new PyError('IndexError', 'pop from empty list');
    let i = args.length ? rt.index(args[0]) : l.items.length - 1;
    if (i < 0) i += l.items.length;
    if (i < 0 || i >= l.items.length) throw new PyError('IndexError', 'pop index out of range');
    return l.items.splice(i, 1)[0];
  });
  list.set('remove', (l: PyList, args) => {
    arity('list.remove', args, 1);
    const i = l.items.findIndex((x) => rt.eq(x, args[0]) || rt.truthy(rt.compare('==', x, args[0])));
    if (i < 0) throw new PyError('ValueError', 'list.remove(x): x not in list');
    l.items.splice(i, 1);
    return null;
  });
  const seqIndex = (name: string) => (l: PyList | PyTuple, args: PyValue[]) => {
    arity('index', args, 1, 3);
    if (args.length > 1) throw typeError(`${name}.index() with start/stop arguments is not supported in this playground`);
    const i = l.items.findIndex((x) => x === args[0] || rt.truthy(rt.compare('==', x, args[0])));
    if (i < 0) throw new PyError('ValueError', name === 'list' ? `${rt.repr(args[0])} is not in list` : 'tuple.index(x): x not in tuple');
    return i;
  };
  const seqCount = (l: PyList | PyTuple, args: PyValue[]): number => {
    arity(l instanceof PyList ? 'list.count' : 'tuple.count', args, 1);
    return l.items.filter((x) => x === args[0] || rt.truthy(rt.compare('==', x, args[0]))).length;
  };
  list.set('index', seqIndex('list'));
  list.set('count', seqCount);
  tuple.set('index', seqIndex('tuple'));
  tuple.set('count', seqCount);
  list.set('reverse', (l: PyList) => (l.items.reverse(), null));
  const sortSig = signature('sort', '*, key=None, reverse=False');
  list.set('sort', (l: PyList, args, kwargs) => {
    const [key, reverse] = bound(sortSig, args, kwargs);
    l.items = sortItems(rt, l.items, key, rt.truthy(reverse));
    return null;
  });
  list.set('copy', (l: PyList) => new PyList(l.items.slice()));
  list.set('clear', (l: PyList) => ((l.items.length = 0), null));

  // dict
  const view = (d: PyDict, kind: string): string => (d instanceof PyOrderedDict ? 'odict_' : 'dict_') + kind;
  dict.set('keys', (d: PyDict) => new PyDictView(d.keys(), view(d, 'keys')));
  dict.set('values', (d: PyDict) => new PyDictView(d.values(), view(d, 'values')));
  dict.set('items', (d: PyDict) => new PyDictView(d.entries().map((e) => new PyTuple(e)), view(d, 'items')));
  dict.set('get', (d: PyDict, args) => {
    arity('get', args, 1, 2);
    const v = d.get(args[0]);
    return v !== undefined ? v : args.length > 1 ? args[1] : null;
  });
  dict.set('pop', (d: PyDict, args) => {
    arity('pop', args, 1, 2);
    const v = d.get(args[0]);
    if (v === undefined) {
      if (args.length > 1) return args[1];
      throw rt.keyError(args[0]);
    }
    d.delete(args[0]);
    return v;
  });
  dict.set('setdefault', (d: PyDict, args) => {
    arity('setdefault', args, 1, 2);
    const v = d.get(args[0]);
    if (v !== undefined) return v;
    const def = args.length > 1 ? args[1] : null;
    d.set(args[0], def);
    return def;
  });
  dict.set('update', (d: PyDict, args, kwargs) => {
    arity('update', args, 0, 1);
    if (args.length) dictUpdate(rt, d, args[0]);
    if (kwargs) for (const [k, v] of kwargs) d.set(k, v);
    return null;
  });
  dict.set('copy', (d: PyDict) => {
    const out = d instanceof PyOrderedDict ? new PyOrderedDict() : d instanceof PyDefaultDict ? new PyDefaultDict(d.factory) : new PyDict();
    for (const [k, v] of d.entries()) out.set(k, v);
    return out;
  });
  const popitemSig = signature('popitem', 'last=True');
  dict.set('popitem', (d: PyDict, args, kwargs) => {
    // dict.popitem takes no argument; OrderedDict's may take the first item instead of the last.
    const [lastArg] = d instanceof PyOrderedDict ? bindArgs(popitemSig, args, kwargs) : (arity('popitem', args, 0), [true]);
    const entries = d.entries();
    if (entries.length === 0) throw new PyError('KeyError', d instanceof PyOrderedDict ? "'dictionary is empty'" : "'popitem(): dictionary is empty'");
    const [k, v] = rt.truthy(lastArg === MISSING ? true : lastArg) ? entries[entries.length - 1] : entries[0];
    d.delete(k);
    return new PyTuple([k, v]);
  });
  const moveSig = signature('move_to_end', 'key, last=True');
  dict.set('move_to_end', (d: PyDict, args, kwargs) => {
    if (!(d instanceof PyOrderedDict)) throw new PyError('AttributeError', `'${rt.typeName(d)}' object has no attribute 'move_to_end'`);
    const [key, last] = bindArgs(moveSig, args, kwargs);
    if (!d.moveToEnd(key as PyValue, last === MISSING ? true : rt.truthy(last as PyValue))) throw rt.keyError(key as PyValue);
    return null;
  });
  dict.set('clear', (d: PyDict) => (d.clear(), null));

  // numbers
  int.set('bit_length', (n: number) => (n === 0 ? 0 : Math.abs(n).toString(2).length));
  int.set('is_integer', () => true);
  float.set('is_integer', (x: PyFloat) => Number.isInteger(x.value));
  float.set('hex', (x: PyFloat) => {
    throw new PyError('NotImplementedError', `float.hex is not supported (${floatRepr(x.value)})`);
  });
  void int;
}

/** str.format: `{}`, `{0}`, `{name}`, `{0.attr}`, `{0[key]}`, conversions and specs. */
export function strFormat(rt: Runtime, fmt: string, args: PyValue[], kwargs: Kwargs): string {
  let auto = 0;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === '{' && fmt[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (c === '}' && fmt[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (c === '}') {
      throw new PyError('ValueError', "Single '}' encountered in format string");
    } else if (c === '{') {
      let depth = 1;
      let j = i + 1;
      while (j < fmt.length && depth > 0) {
        if (fmt[j] === '{') depth++;
        else if (fmt[j] === '}') depth--;
        if (depth > 0) j++;
      }
      if (depth > 0) throw new PyError('ValueError', "Single '{' encountered in format string");
      const field = fmt.slice(i + 1, j);
      i = j + 1;
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (!m) throw new PyError('ValueError', 'invalid format field');
      const [, ref, conv, spec0] = m;
      const path = /^([^.[]*)(.*)$/s.exec(ref)!;
      let value: PyValue;
      if (path[1] === '') {
        if (auto >= args.length) throw new PyError('IndexError', `Replacement index ${auto} out of range for positional args tuple`);
        value = args[auto++];
      } else if (/^\d+$/.test(path[1])) {
        const k = Number(path[1]);
        if (k >= args.length) throw new PyError('IndexError', `Replacement index ${k} out of range for positional args tuple`);
        value = args[k];
      } else {
        const v = kwargs?.get(path[1]);
        if (v === undefined) throw new PyError('KeyError', `'${path[1]}'`);
        value = v;
      }
      for (const [, attr, key] of path[2].matchAll(/\.(\w+)|\[([^\]]*)\]/g)) {
        if (attr !== undefined) value = rt.getattr(value, attr);
        else value = rt.getitem(value, /^\d+$/.test(key) ? Number(key) : key);
      }
      if (conv === 'r') value = rt.repr(value);
      else if (conv === 'a') value = asciiRepr(rt.repr(value));
      else if (conv === 's') value = rt.str(value);
      const spec = spec0 ? strFormat(rt, spec0, args.slice(auto), kwargs) : '';
      out += rt.format(value, spec);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// ---- math --------------------------------------------------------------------------------------

export function makeMathModule(rt: Runtime): PyModule {
  const num = (name: string, v: PyValue): number => {
    const n = rt.toNumber(v);
    if (n === undefined) throw typeError(`must be real number, not ${rt.typeName(v)}`);
    return n;
  };
  const domain = (): PyError => new PyError('ValueError', 'math domain error');
  const unary = (name: string, f: (x: number) => number, valid: (x: number) => boolean = () => true): PyBuiltin =>
    fn(name, (args, kwargs) => {
      noKwargs(name, kwargs);
      arity(name, args, 1);
      const x = num(name, args[0]);
      if (!valid(x)) throw domain();
      const r = f(x);
      if (Number.isNaN(r) && !Number.isNaN(x)) throw domain();
      if (!Number.isFinite(r) && Number.isFinite(x)) throw new PyError('OverflowError', 'math range error');
      return new PyFloat(r);
    });
  const attrs: Record<string, PyValue> = {
    pi: new PyFloat(Math.PI),
    e: new PyFloat(Math.E),
    tau: new PyFloat(2 * Math.PI),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    sqrt: unary('sqrt', Math.sqrt, (x) => x >= 0 || Number.isNaN(x)),
    exp: unary('exp', libm.exp),
    log: fn('log', (args) => {
      if (args.length < 1 || args.length > 2) throw typeError('math.log requires 1 to 2 arguments');
      const x = num('log', args[0]);
      if (x <= 0) throw domain();
      if (args.length === 2) {
        const base = num('log', args[1]);
        if (base <= 0) throw domain();
        if (base === 1) throw new PyError('ZeroDivisionError', 'float division by zero');
        return new PyFloat(libm.log(x) / libm.log(base));
      }
      return new PyFloat(libm.log(x));
    }),
    log2: unary('log2', libm.log2, (x) => x > 0 || Number.isNaN(x)),
    log10: unary('log10', Math.log10, (x) => x > 0 || Number.isNaN(x)),
    log1p: unary('log1p', Math.log1p, (x) => x > -1 || Number.isNaN(x)),
    expm1: unary('expm1', Math.expm1),
    sin: unary('sin', libm.sin, (x) => Number.isFinite(x) || Number.isNaN(x)),
    cos: unary('cos', libm.cos, (x) => Number.isFinite(x) || Number.isNaN(x)),
    tan: unary('tan', libm.tan, (x) => Number.isFinite(x) || Number.isNaN(x)),
    asin: unary('asin', Math.asin),
    acos: unary('acos', Math.acos),
    atan: unary('atan', libm.atan),
    sinh: unary('sinh', Math.sinh),
    cosh: unary('cosh', Math.cosh),
    tanh: unary('tanh', Math.tanh),
    fabs: unary('fabs', Math.abs),
    atan2: fn('atan2', (args) => (arity('atan2', args, 2), new PyFloat(Math.atan2(num('atan2', args[0]), num('atan2', args[1]))))),
    hypot: fn('hypot', (args) => new PyFloat(Math.hypot(...args.map((a) => num('hypot', a))))),
    pow: fn('pow', (args) => {
      arity('pow', args, 2);
      const x = num('pow', args[0]);
      const y = num('pow', args[1]);
      if (x === 0 && y < 0) throw domain();
      if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) throw domain();
      const r = libm.pow(x, y);
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new PyError('OverflowError', 'math range error');
      return new PyFloat(r);
    }),
    floor: fn('floor', (args) => (arity('math.floor', args, 1), intOf(Math.floor(num('floor', args[0]))))),
    ceil: fn('ceil', (args) => (arity('math.ceil', args, 1), intOf(Math.ceil(num('ceil', args[0]))))),
    trunc: fn('trunc', (args) => (arity('math.trunc', args, 1), intOf(Math.trunc(num('trunc', args[0]))))),
    isnan: fn('isnan', (args) => (arity('math.isnan', args, 1), Number.isNaN(num('isnan', args[0])))),
    isinf: fn('isinf', (args) => {
      arity('math.isinf', args, 1);
      const x = num('isinf', args[0]);
      return x === Infinity || x === -Infinity;
    }),
    isfinite: fn('isfinite', (args) => (arity('math.isfinite', args, 1), Number.isFinite(num('isfinite', args[0])))),
    isclose: fn('isclose', (args, kwargs) => {
      const [a0, b0, rel, abs] = bound(iscloseSig, args, kwargs);
      const a = num('isclose', a0);
      const b2 = num('isclose', b0);
      if (a === b2) return true;
      if (!Number.isFinite(a) || !Number.isFinite(b2)) return false;
      const d = Math.abs(a - b2);
      return d <= Math.abs(num('isclose', rel) * b2) || d <= Math.abs(num('isclose', rel) * a) || d <= num('isclose', abs);
    }),
    degrees: unary('degrees', (x) => (x * 180) / Math.PI),
    radians: unary('radians', (x) => (x * Math.PI) / 180),
    factorial: fn('factorial', (args) => {
      arity('factorial', args, 1);
      const n = args[0];
      if (typeof n !== 'number') throw typeError("'float' object cannot be interpreted as an integer");
      if (n < 0) throw new PyError('ValueError', 'factorial() not defined for negative values');
      let r = 1;
      for (let i = 2; i <= n; i++) r *= i;
      return r;
    }),
    fsum: fn('fsum', (args) => {
      arity('fsum', args, 1);
      let s = 0;
      for (const x of rt.toArray(args[0])) s += num('fsum', x);
      return new PyFloat(s);
    }),
    fmod: fn('fmod', (args) => {
      arity('fmod', args, 2);
      const x = num('fmod', args[0]);
      const y = num('fmod', args[1]);
      if (y === 0 || !Number.isFinite(x)) throw domain();
      return new PyFloat(x % y);
    }),
    remainder: fn('remainder', (args) => {
      arity('remainder', args, 2);
      const x = num('remainder', args[0]);
      const y = num('remainder', args[1]);
      if (y === 0 || !Number.isFinite(x)) throw domain();
      // IEEE remainder: x - n*y with n the nearest integer to x/y, ties to even.
      const q = x / y;
      let n = Math.round(q);
      if (Math.abs(q - Math.trunc(q)) === 0.5) n = 2 * Math.round(q / 2);
      return new PyFloat(x - n * y);
    }),
    modf: fn('modf', (args) => {
      arity('modf', args, 1);
      const x = num('modf', args[0]);
      if (!Number.isFinite(x)) return new PyTuple([new PyFloat(Number.isNaN(x) ? x : Math.sign(x) * 0), new PyFloat(x)]);
      const i = Math.trunc(x);
      return new PyTuple([new PyFloat(x - i === 0 && Object.is(x, -0) ? -0 : x - i), new PyFloat(i)]);
    }),
    frexp: fn('frexp', (args) => {
      arity('frexp', args, 1);
      const x = num('frexp', args[0]);
      if (x === 0 || !Number.isFinite(x)) return new PyTuple([new PyFloat(x), 0]);
      let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
      let m = x * 2 ** -e;
      while (Math.abs(m) < 0.5) {
        m *= 2;
        e--;
      }
      while (Math.abs(m) >= 1) {
        m /= 2;
        e++;
      }
      return new PyTuple([new PyFloat(m), e]);
    }),
    ldexp: fn('ldexp', (args) => {
      arity('ldexp', args, 2);
      const r = num('ldexp', args[0]) * 2 ** rt.index(args[1]);
      if (!Number.isFinite(r) && Number.isFinite(num('ldexp', args[0]))) throw new PyError('OverflowError', 'math range error');
      return new PyFloat(r);
    }),
    dist: fn('dist', (args) => {
      arity('dist', args, 2);
      const p = rt.toArray(args[0]).map((v) => num('dist', v));
      const q = rt.toArray(args[1]).map((v) => num('dist', v));
      if (p.length !== q.length) throw new PyError('ValueError', 'both points must have the same number of dimensions');
      return new PyFloat(Math.hypot(...p.map((v, i) => v - q[i])));
    }),
    comb: fn('comb', (args) => {
      arity('comb', args, 2);
      const [n, k] = args.map((a) => rt.index(a));
      if (n < 0) throw new PyError('ValueError', 'n must be a non-negative integer');
      if (k < 0) throw new PyError('ValueError', 'k must be a non-negative integer');
      if (k > n) return 0;
      let r = 1;
      for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
      return Math.round(r);
    }),
    perm: fn('perm', (args) => {
      arity('perm', args, 1, 2);
      const n = rt.index(args[0]);
      const k = args.length > 1 && args[1] !== null ? rt.index(args[1]) : n;
      if (n < 0) throw new PyError('ValueError', 'n must be a non-negative integer');
      if (k < 0) throw new PyError('ValueError', 'k must be a non-negative integer');
      if (k > n) return 0;
      let r = 1;
      for (let i = 0; i < k; i++) r *= n - i;
      return r;
    }),
    isqrt: fn('isqrt', (args) => {
      arity('isqrt', args, 1);
      const n = rt.index(args[0]);
      if (n < 0) throw new PyError('ValueError', 'isqrt() argument must be nonnegative');
      let r = Math.floor(Math.sqrt(n));
      while (r * r > n) r--;
      while ((r + 1) * (r + 1) <= n) r++;
      return r;
    }),
    prod: fn('prod', (args) => {
      arity('prod', args, 1);
      let acc: PyValue = 1;
      for (const x of rt.toArray(args[0])) acc = rt.binop('*', acc, x);
      return acc;
    }),
    gcd: fn('gcd', (args) => {
      let g = 0;
      for (const a of args) {
        let x = Math.abs(rt.index(a));
        let y = g;
        while (y) [x, y] = [y, x % y];
        g = x;
      }
      return g;
    }),
    copysign: fn('copysign', (args) => {
      arity('copysign', args, 2);
      const x = Math.abs(num('copysign', args[0]));
      const s = num('copysign', args[1]);
      return new PyFloat(s < 0 || Object.is(s, -0) ? -x : x);
    }),
  };
  const iscloseSig = signature('isclose', 'a, b, *, rel_tol=1e-09, abs_tol=0.0');
  return new PyModule('math', attrs);
}

function intOf(n: number): number {
  if (Number.isNaN(n)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(n)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
  return n || 0;
}

export { sliceIndices, PyCallable, PyExceptionValue };
