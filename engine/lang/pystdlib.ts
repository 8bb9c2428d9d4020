// Standard-library modules written in Python, run by the interpreter on their first import (see
// Interpreter.loadPyModule): functools, itertools, operator, typing, and the Python half of collections.
// They follow the "roughly equivalent" code of Python's documentation, so they behave as CPython's do for
// what tutorials use; what needs a dict of its own (OrderedDict, defaultdict) is native (`_collections`).
//
// Note: their lines are numbered from LIBRARY_LINE, so an error raised inside them is reported at the
// program's line that called into them, as a traceback's last line of the program would show it.

export const LIBRARY_LINE = 1_000_000;

const FUNCTOOLS = `
class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        self.func = func
        self.args = args
        self.keywords = keywords
    def __call__(self, *args, **keywords):
        kw = dict(self.keywords)
        kw.update(keywords)
        return self.func(*self.args, *args, **kw)
    def __repr__(self):
        parts = [repr(self.func)] + [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.keywords.items()]
        return "functools.partial(" + ", ".join(parts) + ")"

class _Missing:
    pass

_initial_missing = _Missing()

def reduce(function, iterable, initial=_initial_missing):
    it = iter(iterable)
    if initial is _initial_missing:
        try:
            value = next(it)
        except StopIteration:
            raise TypeError("reduce() of empty iterable with no initial value") from None
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__')

def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=()):
    for attr in assigned:
        try:
            value = getattr(wrapped, attr)
        except AttributeError:
            pass
        else:
            setattr(wrapper, attr, value)
    wrapper.__wrapped__ = wrapped
    return wrapper

def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=()):
    return partial(update_wrapper, wrapped=wrapped, assigned=assigned, updated=updated)

class _CacheInfo:
    def __init__(self, hits, misses, maxsize, currsize):
        self.hits, self.misses, self.maxsize, self.currsize = hits, misses, maxsize, currsize
    def __repr__(self):
        return f"CacheInfo(hits={self.hits}, misses={self.misses}, maxsize={self.maxsize}, currsize={self.currsize})"
    def __iter__(self):
        return iter((self.hits, self.misses, self.maxsize, self.currsize))
    def __eq__(self, other):
        return tuple(self) == tuple(other)

class _lru_cache_wrapper:
    def __init__(self, func, maxsize, typed):
        self.__wrapped__ = func
        self._func = func
        self._maxsize = maxsize
        self._cache = {}
        self._hits = 0
        self._misses = 0
        update_wrapper(self, func)
    def __call__(self, *args, **kwargs):
        key = args
        if kwargs:
            key = args + (_kwmark,) + tuple(kwargs.items())
        if key in self._cache:
            self._hits += 1
            value = self._cache.pop(key)
            self._cache[key] = value
            return value
        self._misses += 1
        value = self._func(*args, **kwargs)
        if self._maxsize != 0:
            self._cache[key] = value
            if self._maxsize is not None and len(self._cache) > self._maxsize:
                del self._cache[next(iter(self._cache))]
        return value
    def cache_info(self):
        return _CacheInfo(self._hits, self._misses, self._maxsize, len(self._cache))
    def cache_clear(self):
        self._cache.clear()
        self._hits = self._misses = 0

_kwmark = _Missing()

def lru_cache(maxsize=128, typed=False):
    if callable(maxsize) and not isinstance(maxsize, bool):
        return _lru_cache_wrapper(maxsize, 128, typed)
    def decorating_function(user_function):
        return _lru_cache_wrapper(user_function, maxsize, typed)
    return decorating_function

def cache(user_function):
    return _lru_cache_wrapper(user_function, None, False)

def cmp_to_key(mycmp):
    class K:
        def __init__(self, obj):
            self.obj = obj
        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0
        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0
        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0
        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0
        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0
    return K

def _derived(root, negate, join):
    # CPython's _gt_from_lt and its eleven siblings: root's result r, maybe negated, then "or self == other"
    # (join 'eq') or "and self != other" (join 'ne'). (They also pass NotImplemented on; programs here have no
    # NotImplemented to return.)
    def op(self, other):
        r = getattr(type(self), root)(self, other)
        if negate:
            r = not r
        if join == 'eq':
            return r or self == other
        if join == 'ne':
            return r and self != other
        return r
    return op

_ORDER_FROM = {
    '__lt__': [('__gt__', True, 'ne'), ('__le__', False, 'eq'), ('__ge__', True, None)],
    '__le__': [('__ge__', True, 'eq'), ('__lt__', False, 'ne'), ('__gt__', True, None)],
    '__gt__': [('__lt__', True, 'ne'), ('__ge__', False, 'eq'), ('__le__', True, None)],
    '__ge__': [('__le__', True, 'eq'), ('__gt__', False, 'ne'), ('__lt__', True, None)],
}

def total_ordering(cls):
    roots = [op for op in _ORDER_FROM if any(op in c.__dict__ for c in cls.__mro__ if c is not object)]
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = max(roots)
    for name, negate, join in _ORDER_FROM[root]:
        if name not in roots:
            setattr(cls, name, _derived(root, negate, join))
    return cls
`;

const ITERTOOLS = `
def count(start=0, step=1):
    n = start
    while True:
        yield n
        n += step

def cycle(iterable):
    saved = []
    for element in iterable:
        yield element
        saved.append(element)
    while saved:
        for element in saved:
            yield element

def repeat(object, times=None):
    if times is None:
        while True:
            yield object
    else:
        for i in range(times):
            yield object

def accumulate(iterable, func=None, *, initial=None):
    it = iter(iterable)
    total = initial
    if initial is None:
        try:
            total = next(it)
        except StopIteration:
            return
    yield total
    for element in it:
        total = func(total, element) if func is not None else total + element
        yield total

def chain(*iterables):
    for it in iterables:
        for element in it:
            yield element

def _from_iterable(iterables):
    for it in iterables:
        for element in it:
            yield element

chain.from_iterable = _from_iterable

def compress(data, selectors):
    return (d for d, s in zip(data, selectors) if s)

def dropwhile(predicate, iterable):
    it = iter(iterable)
    for x in it:
        if not predicate(x):
            yield x
            break
    for x in it:
        yield x

def takewhile(predicate, iterable):
    for x in iterable:
        if predicate(x):
            yield x
        else:
            break

def filterfalse(predicate, iterable):
    if predicate is None:
        predicate = bool
    for x in iterable:
        if not predicate(x):
            yield x

def groupby(iterable, key=None):
    keyfunc = (lambda x: x) if key is None else key
    items = list(iterable)
    i = 0
    while i < len(items):
        k = keyfunc(items[i])
        group = [items[i]]
        i += 1
        while i < len(items) and keyfunc(items[i]) == k:
            group.append(items[i])
            i += 1
        yield k, iter(group)

def islice(iterable, *args):
    s = slice(*args)
    start, stop, step = s.start or 0, s.stop, s.step or 1
    if start < 0 or (stop is not None and stop < 0):
        raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
    if step <= 0:
        raise ValueError("Step for islice() must be a positive integer or None.")
    it = iter(iterable)
    nexti = start
    i = 0
    if stop is not None and start >= stop:
        return
    for element in it:
        if i == nexti:
            yield element
            nexti += step
            if stop is not None and nexti >= stop:
                return
        i += 1

def pairwise(iterable):
    it = iter(iterable)
    try:
        a = next(it)
    except StopIteration:
        return
    for b in it:
        yield a, b
        a = b

def starmap(function, iterable):
    for args in iterable:
        yield function(*args)

def tee(iterable, n=2):
    items = list(iterable)
    return tuple(iter(items) for _ in range(n))

def zip_longest(*args, fillvalue=None):
    iterators = [iter(it) for it in args]
    num_active = len(iterators)
    if not num_active:
        return
    while True:
        values = []
        for i, it in enumerate(iterators):
            try:
                value = next(it)
            except StopIteration:
                num_active -= 1
                if not num_active:
                    return
                iterators[i] = repeat(fillvalue)
                value = fillvalue
            values.append(value)
        yield tuple(values)

def product(*args, repeat=1):
    pools = [tuple(pool) for pool in args] * repeat
    result = [[]]
    for pool in pools:
        result = [x + [y] for x in result for y in pool]
    for prod in result:
        yield tuple(prod)

def permutations(iterable, r=None):
    pool = tuple(iterable)
    n = len(pool)
    r = n if r is None else r
    if r > n:
        return
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    yield tuple(pool[i] for i in indices[:r])
    while n:
        for i in reversed(range(r)):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple(pool[i] for i in indices[:r])
                break
        else:
            return

def combinations(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    if r > n:
        return
    indices = list(range(r))
    yield tuple(pool[i] for i in indices)
    while True:
        for i in reversed(range(r)):
            if indices[i] != i + n - r:
                break
        else:
            return
        indices[i] += 1
        for j in range(i + 1, r):
            indices[j] = indices[j - 1] + 1
        yield tuple(pool[i] for i in indices)

def combinations_with_replacement(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    if not n and r:
        return
    indices = [0] * r
    yield tuple(pool[i] for i in indices)
    while True:
        for i in reversed(range(r)):
            if indices[i] != n - 1:
                break
        else:
            return
        indices[i:] = [indices[i] + 1] * (r - i)
        yield tuple(pool[i] for i in indices)
`;

const OPERATOR = `
_abs = abs

def add(a, b): return a + b
def sub(a, b): return a - b
def mul(a, b): return a * b
def truediv(a, b): return a / b
def floordiv(a, b): return a // b
def mod(a, b): return a % b
def pow(a, b): return a ** b
def matmul(a, b): return a @ b
def neg(a): return -a
def pos(a): return +a
def abs(a): return _abs(a)
def eq(a, b): return a == b
def ne(a, b): return a != b
def lt(a, b): return a < b
def le(a, b): return a <= b
def gt(a, b): return a > b
def ge(a, b): return a >= b
def not_(a): return not a
def truth(a): return bool(a)
def and_(a, b): return a & b
def or_(a, b): return a | b
def xor(a, b): return a ^ b
def contains(a, b): return b in a
def getitem(a, b): return a[b]
def concat(a, b): return a + b
def is_(a, b): return a is b
def is_not(a, b): return a is not b
def index(a): return a.__index__()

class itemgetter:
    def __init__(self, item, *items):
        self._items = (item,) + items
    def __call__(self, obj):
        if len(self._items) == 1:
            return obj[self._items[0]]
        return tuple(obj[i] for i in self._items)
    def __repr__(self):
        return "operator.itemgetter(" + ", ".join(repr(i) for i in self._items) + ")"

class attrgetter:
    def __init__(self, attr, *attrs):
        self._attrs = (attr,) + attrs
    def _get(self, obj, name):
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    def __call__(self, obj):
        if len(self._attrs) == 1:
            return self._get(obj, self._attrs[0])
        return tuple(self._get(obj, a) for a in self._attrs)

class methodcaller:
    def __init__(self, name, *args, **kwargs):
        self._name, self._args, self._kwargs = name, args, kwargs
    def __call__(self, obj):
        return getattr(obj, self._name)(*self._args, **self._kwargs)
`;

const TYPING = `
class _Alias:
    def __init__(self, name, args=()):
        self._name = name
        self.__args__ = args
    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        return _Alias(self._name, params)
    def __call__(self, *args, **kwargs):
        raise TypeError(f"Type {self._name} cannot be instantiated; use {self._name.lower()}() instead")
    def __repr__(self):
        if not self.__args__:
            return "typing." + self._name
        return "typing." + self._name + "[" + ", ".join(_type_repr(a) for a in self.__args__) + "]"

def _type_repr(t):
    if isinstance(t, type):
        return t.__name__
    if t is None or t is type(None):
        return "NoneType"
    if t is ...:
        return "..."
    return repr(t)

Any = _Alias("Any")
List = _Alias("List")
Dict = _Alias("Dict")
Tuple = _Alias("Tuple")
Set = _Alias("Set")
FrozenSet = _Alias("FrozenSet")
Optional = _Alias("Optional")
Union = _Alias("Union")
Callable = _Alias("Callable")
Iterable = _Alias("Iterable")
Iterator = _Alias("Iterator")
Generator = _Alias("Generator")
Sequence = _Alias("Sequence")
Mapping = _Alias("Mapping")
MutableMapping = _Alias("MutableMapping")
Type = _Alias("Type")
Literal = _Alias("Literal")
Final = _Alias("Final")
ClassVar = _Alias("ClassVar")
Deque = _Alias("Deque")
DefaultDict = _Alias("DefaultDict")
OrderedDict = _Alias("OrderedDict")
Counter = _Alias("Counter")
NoReturn = _Alias("NoReturn")
TYPE_CHECKING = False

class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
    def __repr__(self):
        return "~" + self.__name__

def cast(typ, val):
    return val

def overload(func):
    return func

def no_type_check(func):
    return func

def get_type_hints(obj):
    return {}
`;

const COLLECTIONS = `
from _collections import OrderedDict, defaultdict

class deque:
    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None and maxlen < 0:
            raise ValueError("maxlen must be non-negative")
        self.maxlen = maxlen
        self._items = []
        for x in iterable:
            self.append(x)
    def append(self, x):
        self._items.append(x)
        if self.maxlen is not None and len(self._items) > self.maxlen:
            self._items.pop(0)
    def appendleft(self, x):
        self._items.insert(0, x)
        if self.maxlen is not None and len(self._items) > self.maxlen:
            self._items.pop()
    def pop(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop()
    def popleft(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop(0)
    def extend(self, iterable):
        for x in iterable:
            self.append(x)
    def extendleft(self, iterable):
        for x in iterable:
            self.appendleft(x)
    def rotate(self, n=1):
        if self._items:
            n = n % len(self._items)
            self._items[:] = self._items[-n:] + self._items[:-n]
    def clear(self):
        self._items.clear()
    def count(self, x):
        return self._items.count(x)
    def index(self, x):
        return self._items.index(x)
    def remove(self, x):
        self._items.remove(x)
    def reverse(self):
        self._items.reverse()
    def copy(self):
        return deque(self._items, self.maxlen)
    def __len__(self):
        return len(self._items)
    def __iter__(self):
        return iter(list(self._items))
    def __reversed__(self):
        return reversed(self._items)
    def __getitem__(self, i):
        if isinstance(i, slice):
            raise TypeError("sequence index must be integer, not 'slice'")
        try:
            return self._items[i]
        except IndexError:
            raise IndexError("deque index out of range") from None
    def __setitem__(self, i, v):
        self._items[i] = v
    def __contains__(self, x):
        return x in self._items
    def __bool__(self):
        return len(self._items) > 0
    def __eq__(self, other):
        return isinstance(other, deque) and self._items == other._items
    def __repr__(self):
        if self.maxlen is None:
            return f"deque({self._items!r})"
        return f"deque({self._items!r}, maxlen={self.maxlen})"

class Counter:
    def __init__(self, iterable=None, **kwds):
        self._d = {}
        self.update(iterable, **kwds)
    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if isinstance(iterable, (dict, Counter)):
                for elem, count in iterable.items():
                    self._d[elem] = self._d.get(elem, 0) + count
            else:
                for elem in iterable:
                    self._d[elem] = self._d.get(elem, 0) + 1
        for elem, count in kwds.items():
            self._d[elem] = self._d.get(elem, 0) + count
    def subtract(self, iterable=None, **kwds):
        if iterable is not None:
            if isinstance(iterable, (dict, Counter)):
                for elem, count in iterable.items():
                    self._d[elem] = self._d.get(elem, 0) - count
            else:
                for elem in iterable:
                    self._d[elem] = self._d.get(elem, 0) - 1
        for elem, count in kwds.items():
            self._d[elem] = self._d.get(elem, 0) - count
    def most_common(self, n=None):
        items = sorted(self._d.items(), key=lambda kv: kv[1], reverse=True)
        return items if n is None else items[:n]
    def elements(self):
        for elem, count in self._d.items():
            for _ in range(count):
                yield elem
    def total(self):
        return sum(self._d.values())
    def keys(self):
        return self._d.keys()
    def values(self):
        return self._d.values()
    def items(self):
        return self._d.items()
    def get(self, key, default=None):
        return self._d.get(key, default)
    def pop(self, key, *default):
        return self._d.pop(key, *default)
    def clear(self):
        self._d.clear()
    def copy(self):
        return Counter(self._d)
    def __getitem__(self, key):
        return self._d.get(key, 0)
    def __setitem__(self, key, value):
        self._d[key] = value
    def __delitem__(self, key):
        if key in self._d:
            del self._d[key]
    def __contains__(self, key):
        return key in self._d
    def __iter__(self):
        return iter(self._d)
    def __len__(self):
        return len(self._d)
    def __eq__(self, other):
        if isinstance(other, Counter):
            other = other._d
        return {k: v for k, v in self._d.items() if v} == {k: v for k, v in other.items() if v}
    def __add__(self, other):
        result = Counter()
        for elem, count in self._d.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self._d and count > 0:
                result[elem] = count
        return result
    def __sub__(self, other):
        result = Counter()
        for elem, count in self._d.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self._d and count < 0:
                result[elem] = 0 - count
        return result
    def __or__(self, other):
        result = Counter()
        for elem, count in self._d.items():
            newcount = max(count, other[elem])
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self._d and count > 0:
                result[elem] = count
        return result
    def __and__(self, other):
        result = Counter()
        for elem, count in self._d.items():
            newcount = min(count, other[elem])
            if newcount > 0:
                result[elem] = newcount
        return result
    def __repr__(self):
        if not self._d:
            return "Counter()"
        return "Counter({" + ", ".join(f"{k!r}: {v!r}" for k, v in self.most_common()) + "})"

def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    fields = tuple(field_names)
    defaults = tuple(defaults) if defaults is not None else ()
    nfields = len(fields)
    field_defaults = dict(zip(fields[nfields - len(defaults):], defaults)) if defaults else {}

    class _NamedTuple:
        _fields = fields
        _field_defaults = field_defaults
        def __init__(self, *args, **kwargs):
            if len(args) > nfields:
                raise TypeError(f"{typename}.__new__() takes {nfields + 1} positional arguments but {len(args) + 1} were given")
            values = list(args)
            for name in fields[len(args):]:
                if name in kwargs:
                    values.append(kwargs.pop(name))
                elif name in field_defaults:
                    values.append(field_defaults[name])
                else:
                    missing = [n for n in fields[len(values):] if n not in kwargs and n not in field_defaults]
                    quoted = [repr(n) for n in missing]
                    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + (" and " if len(quoted) == 2 else ", and ") + quoted[-1]
                    raise TypeError(f"{typename}.__new__() missing {len(missing)} required positional argument{'s' if len(missing) > 1 else ''}: {listed}")
            if kwargs:
                raise TypeError(f"{typename}.__new__() got an unexpected keyword argument {next(iter(kwargs))!r}")
            self._values = tuple(values)
            for name, value in zip(fields, values):
                setattr(self, name, value)
        @classmethod
        def _make(cls, iterable):
            return cls(*iterable)
        def _asdict(self):
            return dict(zip(fields, self._values))
        def _replace(self, **kwargs):
            return type(self)(**{**self._asdict(), **kwargs})
        def __iter__(self):
            return iter(self._values)
        def __len__(self):
            return nfields
        def __getitem__(self, i):
            return self._values[i]
        def __eq__(self, other):
            if isinstance(other, _NamedTuple):
                return self._values == other._values
            return self._values == other
        def __ne__(self, other):
            return not self == other
        def __lt__(self, other):
            return self._values < tuple(other)
        def __le__(self, other):
            return self._values <= tuple(other)
        def __gt__(self, other):
            return self._values > tuple(other)
        def __ge__(self, other):
            return self._values >= tuple(other)
        def __hash__(self):
            return hash(self._values)
        def __add__(self, other):
            return self._values + tuple(other)
        def __contains__(self, x):
            return x in self._values
        def count(self, x):
            return self._values.count(x)
        def index(self, x):
            return self._values.index(x)
        def __repr__(self):
            return typename + "(" + ", ".join(f"{n}={v!r}" for n, v in zip(fields, self._values)) + ")"
    _NamedTuple.__name__ = typename
    _NamedTuple.__qualname__ = typename
    return _NamedTuple
`;


const DATACLASSES = `
class FrozenInstanceError(AttributeError):
    pass

class _MISSING_TYPE:
    def __repr__(self):
        return "MISSING"

MISSING = _MISSING_TYPE()

class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata if metadata is not None else {}
        self.kw_only = kw_only
    def __repr__(self):
        return (f"Field(name={self.name!r},type={self.type!r},default={self.default!r},"
                f"default_factory={self.default_factory!r},init={self.init!r},repr={self.repr!r},"
                f"hash={self.hash!r},compare={self.compare!r},metadata={self.metadata!r},kw_only={self.kw_only!r},_field_type=_FIELD)")

def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)

def _own_annotations(cls):
    return cls.__dict__.get("__annotations__", {})

def _quoted_list(names):
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return quoted[0] + " and " + quoted[1]
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]

def _process_class(cls, init, repr, eq, order, unsafe_hash, frozen):
    fields = {}
    for b in cls.__mro__[-2:0:-1]:
        base_fields = getattr(b, "__dataclass_fields__", None)
        if base_fields is not None:
            for f in base_fields.values():
                fields[f.name] = f
    own = cls.__dict__
    for name, typ in _own_annotations(cls).items():
        default = own.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = field(default=default)
        f.name = name
        f.type = typ
        if f.default is not MISSING and type(f.default) in (list, dict, set):
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory")
        if isinstance(default, Field):
            if f.default is MISSING:
                delattr_class(cls, name)
            else:
                setattr(cls, name, f.default)
        fields[name] = f
    qualname = cls.__qualname__
    init_fields = [f for f in fields.values() if f.init]
    seen_default = None
    for f in init_fields:
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = f
        elif seen_default is not None:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    cls.__dataclass_fields__ = fields
    cls.__match_args__ = tuple(f.name for f in init_fields)

    if init:
        def __init__(self, *args, **kwargs):
            if len(args) > len(init_fields):
                n = len(init_fields) + 1
                raise TypeError(f"{qualname}.__init__() takes {n} positional argument{'s' if n > 1 else ''} but {len(args) + 1} were given")
            missing = []
            for i, f in enumerate(init_fields):
                if i < len(args):
                    if f.name in kwargs:
                        raise TypeError(f"{qualname}.__init__() got multiple values for argument {f.name!r}")
                    value = args[i]
                elif f.name in kwargs:
                    value = kwargs.pop(f.name)
                elif f.default is not MISSING:
                    value = f.default
                elif f.default_factory is not MISSING:
                    value = f.default_factory()
                else:
                    missing.append(f.name)
                    continue
                object.__setattr__(self, f.name, value)
            if kwargs:
                raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {next(iter(kwargs))!r}")
            if missing:
                raise TypeError(f"{qualname}.__init__() missing {len(missing)} required positional argument{'s' if len(missing) > 1 else ''}: {_quoted_list(missing)}")
            for f in fields.values():
                if not f.init:
                    if f.default is not MISSING:
                        object.__setattr__(self, f.name, f.default)
                    elif f.default_factory is not MISSING:
                        object.__setattr__(self, f.name, f.default_factory())
            post = getattr(self, "__post_init__", None)
            if post is not None:
                post()
        cls.__init__ = __init__

    if repr and "__repr__" not in own:
        def __repr__(self):
            return qualname + "(" + ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields.values() if f.repr) + ")"
        cls.__repr__ = __repr__

    def _values(obj):
        return tuple(getattr(obj, f.name) for f in fields.values() if f.compare)

    if eq and "__eq__" not in own:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return _values(self) == _values(other)
            return False
        cls.__eq__ = __eq__

    if order:
        def _check(op, self, other):
            if other.__class__ is not self.__class__:
                raise TypeError(f"'{op}' not supported between instances of {type(self).__name__!r} and {type(other).__name__!r}")
        def __lt__(self, other):
            _check("<", self, other)
            return _values(self) < _values(other)
        def __le__(self, other):
            _check("<=", self, other)
            return _values(self) <= _values(other)
        def __gt__(self, other):
            _check(">", self, other)
            return _values(self) > _values(other)
        def __ge__(self, other):
            _check(">=", self, other)
            return _values(self) >= _values(other)
        cls.__lt__ = __lt__
        cls.__le__ = __le__
        cls.__gt__ = __gt__
        cls.__ge__ = __ge__

    if frozen:
        def __setattr__(self, name, value):
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        cls.__setattr__ = __setattr__

    if unsafe_hash or (eq and frozen):
        def __hash__(self):
            return hash(_values(self))
        cls.__hash__ = __hash__
    elif eq and "__hash__" not in own:
        cls.__hash__ = None
    return cls

def delattr_class(cls, name):
    setattr(cls, name, MISSING)

def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False, match_args=True, kw_only=False, slots=False):
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen)
    if cls is None:
        return wrap
    return wrap(cls)

def fields(class_or_instance):
    fs = getattr(class_or_instance, "__dataclass_fields__", None)
    if fs is None:
        raise TypeError("must be called with a dataclass type or instance")
    return tuple(fs.values())

def is_dataclass(obj):
    return getattr(obj, "__dataclass_fields__", None) is not None

def _asdict_inner(obj):
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _asdict_inner(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, list):
        return [_asdict_inner(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_asdict_inner(v) for v in obj)
    if isinstance(obj, dict):
        return {_asdict_inner(k): _asdict_inner(v) for k, v in obj.items()}
    return obj

def asdict(obj):
    if not is_dataclass(obj):
        raise TypeError("asdict() should be called on dataclass instances")
    return _asdict_inner(obj)

def astuple(obj):
    if not is_dataclass(obj):
        raise TypeError("astuple() should be called on dataclass instances")
    return tuple(_asdict_inner(getattr(obj, f.name)) for f in fields(obj))

def replace(obj, **changes):
    for f in fields(obj):
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)
`;


const ABC_MODULE = `
class ABCMeta:
    pass

class ABC:
    _abc_impl = True

def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj
`;


const ARGPARSE = `
class Namespace:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
    def __repr__(self):
        return "Namespace(" + ", ".join(f"{k}={v!r}" for k, v in vars(self).items()) + ")"
    def __eq__(self, other):
        return isinstance(other, Namespace) and vars(self) == vars(other)
    def __contains__(self, key):
        return key in vars(self)

class ArgumentError(Exception):
    pass

class _Action:
    def __init__(self, flags, dest, action, type, default, choices, required, nargs, const, help, metavar):
        self.option_strings = [f for f in flags if f.startswith("-")]
        self.dest = dest
        self.action = action
        self.type = type
        self.default = default
        self.choices = choices
        self.required = required
        self.nargs = nargs
        self.const = const
        self.help = help
        self.metavar = metavar

class ArgumentParser:
    def __init__(self, prog=None, description=None, epilog=None, formatter_class=None, add_help=True, **kwargs):
        self.prog = prog if prog is not None else "program.py"
        self.description = description
        self._actions = []
        self._defaults = {}
    def add_argument(self, *flags, action="store", type=None, default=None, choices=None, required=False, nargs=None, const=None, help=None, metavar=None, dest=None):
        if dest is None:
            longs = [f for f in flags if f.startswith("--")]
            name = longs[0] if longs else flags[0]
            dest = name.lstrip("-").replace("-", "_")
        if action == "store_true":
            default = False if default is None else default
        elif action == "store_false":
            default = True if default is None else default
        elif action == "count" and default is None:
            default = None
        a = _Action(flags, dest, action, type, default, choices, required, nargs, const, help, metavar)
        self._actions.append(a)
        return a
    def add_argument_group(self, *args, **kwargs):
        return self
    def add_mutually_exclusive_group(self, **kwargs):
        return self
    def set_defaults(self, **kwargs):
        self._defaults.update(kwargs)
    def _convert(self, a, text):
        value = a.type(text) if a.type is not None else text
        if a.choices is not None and value not in a.choices:
            self.error(f"argument {'/'.join(a.option_strings) or a.dest}: invalid choice: {value!r} (choose from {', '.join(repr(c) for c in a.choices)})")
        return value
    def error(self, message):
        print(f"usage: {self.prog} [-h] ...")
        print(f"{self.prog}: error: {message}")
        raise SystemExit(2)
    def parse_known_args(self, args=None, namespace=None):
        ns = namespace if namespace is not None else Namespace()
        for a in self._actions:
            if not hasattr(ns, a.dest):
                setattr(ns, a.dest, self._convert(a, a.default) if isinstance(a.default, str) and a.type is not None else a.default)
        for k, v in self._defaults.items():
            setattr(ns, k, v)
        args = list(args) if args is not None else []
        extras = []
        positionals = [a for a in self._actions if not a.option_strings]
        i = 0
        while i < len(args):
            tok = args[i]
            if tok.startswith("-") and len(tok) > 1:
                name, eq, inline = tok.partition("=")
                action = next((a for a in self._actions if name in a.option_strings), None)
                if action is None:
                    extras.append(tok)
                    i += 1
                    continue
                if action.action == "store_true":
                    setattr(ns, action.dest, True)
                elif action.action == "store_false":
                    setattr(ns, action.dest, False)
                elif action.action == "store_const":
                    setattr(ns, action.dest, action.const)
                elif action.action == "count":
                    setattr(ns, action.dest, (getattr(ns, action.dest) or 0) + 1)
                elif action.nargs in ("+", "*"):
                    values = []
                    i += 1
                    while i < len(args) and not args[i].startswith("-"):
                        values.append(self._convert(action, args[i]))
                        i += 1
                    setattr(ns, action.dest, values)
                    continue
                else:
                    if eq:
                        text = inline
                    else:
                        i += 1
                        if i >= len(args):
                            self.error(f"argument {'/'.join(action.option_strings)}: expected one argument")
                        text = args[i]
                    value = self._convert(action, text)
                    if action.action == "append":
                        setattr(ns, action.dest, (getattr(ns, action.dest) or []) + [value])
                    else:
                        setattr(ns, action.dest, value)
            elif positionals:
                a = positionals.pop(0)
                setattr(ns, a.dest, self._convert(a, tok))
            else:
                extras.append(tok)
            i += 1
        missing = [a for a in positionals if a.nargs not in ("?", "*")]
        missing += [a for a in self._actions if a.required and a.option_strings and getattr(ns, a.dest) is None]
        if missing:
            names = ", ".join("/".join(a.option_strings) or a.dest for a in missing)
            self.error(f"the following arguments are required: {names}")
        return ns, extras
    def parse_args(self, args=None, namespace=None):
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return ns
    def print_help(self):
        print(f"usage: {self.prog} [-h] ...")
        if self.description:
            print()
            print(self.description)
`;

const TQDM = `
class tqdm:
    def __init__(self, iterable=None, desc=None, total=None, leave=True, ncols=None, unit="it", disable=False, position=None, **kwargs):
        self.iterable = iterable
        self.desc = desc
        self.total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)
        self.n = 0
        self.postfix = None
    def __iter__(self):
        for x in self.iterable:
            yield x
            self.n += 1
    def __len__(self):
        return self.total if self.total is not None else len(self.iterable)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
    def update(self, n=1):
        self.n += n
    def set_description(self, desc=None, refresh=True):
        self.desc = desc
    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        self.postfix = kwargs if ordered_dict is None else ordered_dict
    def set_postfix_str(self, s="", refresh=True):
        self.postfix = s
    def close(self):
        pass
    def refresh(self):
        pass
    @staticmethod
    def write(s, file=None, end="\\n"):
        print(s, end=end)

def trange(*args, **kwargs):
    return tqdm(range(*args), **kwargs)
`;

const LOGGING = `
CRITICAL = 50
FATAL = 50
ERROR = 40
WARNING = 30
WARN = 30
INFO = 20
DEBUG = 10
NOTSET = 0
_names = {50: "CRITICAL", 40: "ERROR", 30: "WARNING", 20: "INFO", 10: "DEBUG", 0: "NOTSET"}
_config = {"format": "%(levelname)s:%(name)s:%(message)s", "configured": False}

def getLevelName(level):
    return _names.get(level, f"Level {level}")

class Logger:
    def __init__(self, name, level=NOTSET):
        self.name = name
        self.level = level
        self.disabled = False
    def setLevel(self, level):
        self.level = level
    def getEffectiveLevel(self):
        if self.level != NOTSET:
            return self.level
        return root.level if self is not root else WARNING
    def isEnabledFor(self, level):
        return level >= self.getEffectiveLevel()
    def log(self, level, msg, *args, **kwargs):
        if self.disabled or not self.isEnabledFor(level):
            return
        if args:
            msg = msg % args
        record = {"levelname": getLevelName(level), "name": self.name, "message": str(msg), "levelno": level, "asctime": "", "filename": "program.py", "lineno": 0, "module": "program", "funcName": "<module>"}
        print(_config["format"] % record)
    def debug(self, msg, *args, **kwargs):
        self.log(DEBUG, msg, *args)
    def info(self, msg, *args, **kwargs):
        self.log(INFO, msg, *args)
    def warning(self, msg, *args, **kwargs):
        self.log(WARNING, msg, *args)
    warn = warning
    def error(self, msg, *args, **kwargs):
        self.log(ERROR, msg, *args)
    def exception(self, msg, *args, **kwargs):
        self.log(ERROR, msg, *args)
    def critical(self, msg, *args, **kwargs):
        self.log(CRITICAL, msg, *args)
    def addHandler(self, handler):
        pass
    def removeHandler(self, handler):
        pass

root = Logger("root", WARNING)
_loggers = {}

def getLogger(name=None):
    if name is None or name == "root":
        return root
    if name not in _loggers:
        _loggers[name] = Logger(name)
    return _loggers[name]

def basicConfig(level=None, format=None, datefmt=None, filename=None, force=False, **kwargs):
    if _config["configured"] and not force:
        return
    _config["configured"] = True
    if level is not None:
        root.setLevel(level)
    if format is not None:
        _config["format"] = format

class Handler:
    def __init__(self, *args, **kwargs):
        pass
    def setLevel(self, level):
        pass
    def setFormatter(self, fmt):
        pass

StreamHandler = Handler
FileHandler = Handler

class Formatter:
    def __init__(self, fmt=None, datefmt=None, *args, **kwargs):
        self.fmt = fmt

def debug(msg, *args, **kwargs):
    root.debug(msg, *args)
def info(msg, *args, **kwargs):
    root.info(msg, *args)
def warning(msg, *args, **kwargs):
    root.warning(msg, *args)
def error(msg, *args, **kwargs):
    root.error(msg, *args)
def critical(msg, *args, **kwargs):
    root.critical(msg, *args)
def exception(msg, *args, **kwargs):
    root.error(msg, *args)
def disable(level=CRITICAL):
    pass
`;

const WARNINGS = `
def warn(message, category=None, stacklevel=1, source=None):
    pass

def filterwarnings(action, message="", category=None, module="", lineno=0, append=False):
    pass

def simplefilter(action, category=None, lineno=0, append=False):
    pass

class catch_warnings:
    def __init__(self, *args, **kwargs):
        pass
    def __enter__(self):
        return []
    def __exit__(self, *exc):
        return False
`;

export const PY_MODULES: Record<string, string> = {
  argparse: ARGPARSE,
  tqdm: TQDM,
  'tqdm.auto': TQDM,
  'tqdm.notebook': TQDM,
  logging: LOGGING,
  warnings: WARNINGS,
  abc: ABC_MODULE,
  dataclasses: DATACLASSES,
  functools: FUNCTOOLS,
  itertools: ITERTOOLS,
  operator: OPERATOR,
  typing: TYPING,
  collections: COLLECTIONS,
};
