// time, sys and os.path as tutorials use them: timing a training loop, checking the Python version, joining
// file names. The playground has no file system and no real sleeping: time.sleep advances the clocks instead,
// so a program that measures a sleep sees it.
import { typeError, type Runtime } from './runtime';
import { PyError, PyBuiltin, PyDict, PyFloat, PyList, PyModule, PyTuple, type PyValue } from './values';

function num(v: PyValue, fn: string): number {
  if (typeof v === 'number' || typeof v === 'boolean') return +v;
  if (v instanceof PyFloat) return v.value;
  throw typeError(`'${v === null ? 'NoneType' : typeof v === 'string' ? 'str' : 'object'}' object cannot be interpreted as a number (${fn})`);
}

function str(v: PyValue, fn: string, i: number): string {
  if (typeof v !== 'string') throw typeError(`${fn}() argument ${i} must be str, not ${v === null ? 'NoneType' : typeof v === 'number' ? 'int' : 'object'}`);
  return v;
}

export function makeTimeModule(): PyModule {
  let slept = 0;
  const clock = (globalThis as { performance?: { now(): number } }).performance;
  const now = (): number => (clock ? clock.now() : Date.now()) / 1000 + slept;
  const wall = (): number => Date.now() / 1000 + slept;
  return new PyModule('time', {
    time: new PyBuiltin('time', () => new PyFloat(wall())),
    perf_counter: new PyBuiltin('perf_counter', () => new PyFloat(now())),
    monotonic: new PyBuiltin('monotonic', () => new PyFloat(now())),
    process_time: new PyBuiltin('process_time', () => new PyFloat(now())),
    time_ns: new PyBuiltin('time_ns', () => Math.round(wall() * 1e9)),
    perf_counter_ns: new PyBuiltin('perf_counter_ns', () => Math.round(now() * 1e9)),
    sleep: new PyBuiltin('sleep', (args) => {
      if (args.length !== 1) throw typeError(`time.sleep() takes exactly one argument (${args.length} given)`);
      const s = num(args[0], 'sleep');
      if (s < 0) throw new PyError('ValueError', 'sleep length must be non-negative');
      slept += s;
      return null;
    }),
  });
}

export function makeSysModule(print: (text: string) => void): PyModule {
  // sys.stdout and sys.stderr both write to the console (print(..., file=sys.stderr) shows there too).
  const stream = (name: string): PyModule =>
    new PyModule(name, {
      write: new PyBuiltin('write', (args) => {
        if (typeof args[0] !== 'string') throw typeError(`write() argument must be str, not ${args[0] === null ? 'None' : 'object'}`);
        print(args[0]);
        return args[0].length;
      }),
      flush: new PyBuiltin('flush', () => null),
    });
  return new PyModule('sys', {
    stdout: stream('sys.stdout'),
    stderr: stream('sys.stderr'),
    version: '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
    exit: new PyBuiltin('exit', (args) => {
      const code = args.length > 0 ? args[0] : null;
      throw new PyError('SystemExit', code === null ? '' : typeof code === 'string' ? code : String(code));
    }),
    version_info: new PyTuple([3, 11, 2, 'final', 0]),
    argv: new PyList(['program.py']),
    platform: 'linux',
    maxsize: 2 ** 63 - 1,
    byteorder: 'little',
    float_info: new PyTuple([new PyFloat(Number.MAX_VALUE), 1024, 308, new PyFloat(2.2250738585072014e-308), -1021, -307, 15, 53, new PyFloat(Number.EPSILON), 2, 1]),
  });
}

export function makeOsModule(): { os: PyModule; path: PyModule } {
  const join = (parts: string[]): string => {
    let out = '';
    for (const p of parts) {
      if (p.startsWith('/')) out = p;
      else if (out === '' || out.endsWith('/')) out += p;
      else out += '/' + p;
    }
    return out;
  };
  const splitext = (p: string): [string, string] => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || base.slice(0, dot).split('').every((c) => c === '.')) return [p, ''];
    const cut = p.length - (base.length - dot);
    return [p.slice(0, cut), p.slice(cut)];
  };
  const path = new PyModule('os.path', {
    join: new PyBuiltin('join', (args) => join(args.map((a, i) => str(a, 'join', i + 1)))),
    basename: new PyBuiltin('basename', (args) => str(args[0], 'basename', 1).slice(str(args[0], 'basename', 1).lastIndexOf('/') + 1)),
    dirname: new PyBuiltin('dirname', (args) => {
      const p = str(args[0], 'dirname', 1);
      const i = p.lastIndexOf('/');
      return i < 0 ? '' : p.slice(0, i).replace(/\/+$/, '') || '/';
    }),
    splitext: new PyBuiltin('splitext', (args) => new PyTuple(splitext(str(args[0], 'splitext', 1)))),
    split: new PyBuiltin('split', (args) => {
      const p = str(args[0], 'split', 1);
      const i = p.lastIndexOf('/') + 1;
      return new PyTuple([p.slice(0, i).replace(/(.)\/+$/, '$1'), p.slice(i)]);
    }),
    exists: new PyBuiltin('exists', () => false),
    isfile: new PyBuiltin('isfile', () => false),
    isdir: new PyBuiltin('isdir', () => false),
    sep: '/',
  });
  const os = new PyModule('os', {
    path,
    sep: '/',
    getcwd: new PyBuiltin('getcwd', () => '/playground'),
    cpu_count: new PyBuiltin('cpu_count', () => 2),
    listdir: new PyBuiltin('listdir', () => new PyList([])),
  });
  return { os, path };
}

/** json.dumps and json.loads as Python's: `{"a": 1, "b": [1.0, null]}`, indent, sort_keys, separators. */
export function makeJsonModule(rt: Runtime): PyModule {
  const dumps = (v: PyValue, opts: { indent: string | null; sortKeys: boolean; itemSep: string; keySep: string; ensureAscii: boolean }, level: number): string => {
    const str = (s: string): string => {
      let out = '"';
      for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (ch === '"') out += '\\"';
        else if (ch === '\\') out += '\\\\';
        else if (ch === '\n') out += '\\n';
        else if (ch === '\r') out += '\\r';
        else if (ch === '\t') out += '\\t';
        else if (c < 0x20 || (opts.ensureAscii && c > 0x7e)) {
          const units = c > 0xffff ? [0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)] : [c];
          for (const u of units) out += '\\u' + u.toString(16).padStart(4, '0');
        } else out += ch;
      }
      return out + '"';
    };
    const nl = (l: number): string => (opts.indent === null ? '' : '\n' + opts.indent.repeat(l));
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') return str(v);
    if (v instanceof PyFloat) {
      if (Number.isNaN(v.value)) return 'NaN';
      if (!Number.isFinite(v.value)) return v.value > 0 ? 'Infinity' : '-Infinity';
      return rt.repr(v);
    }
    if (v instanceof PyList || v instanceof PyTuple) {
      if (v.items.length === 0) return '[]';
      return '[' + v.items.map((x) => nl(level + 1) + dumps(x, opts, level + 1)).join(opts.itemSep) + nl(level) + ']';
    }
    if (v instanceof PyDict) {
      let entries = v.entries().map(([k, x]): [string, PyValue] => {
        if (typeof k === 'string') return [k, x];
        if (typeof k === 'number' || typeof k === 'boolean' || k === null || k instanceof PyFloat) return [dumps(k, opts, 0), x];
        throw typeError(`keys must be str, int, float, bool or None, not ${rt.typeName(k)}`);
      });
      if (entries.length === 0) return '{}';
      if (opts.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return '{' + entries.map(([k, x]) => nl(level + 1) + str(k) + opts.keySep + dumps(x, opts, level + 1)).join(opts.itemSep) + nl(level) + '}';
    }
    throw typeError(`Object of type ${rt.typeName(v)} is not JSON serializable`);
  };
  const options = (kwargs: Map<string, PyValue> | null) => {
    const ind = kwargs?.get('indent') ?? null;
    const indent = ind === null ? null : typeof ind === 'string' ? ind : ' '.repeat(rt.index(ind));
    const seps = kwargs?.get('separators');
    const [itemSep, keySep] = seps instanceof PyTuple || seps instanceof PyList ? seps.items.map(String) : [indent === null ? ', ' : ',', ': '];
    return { indent, sortKeys: rt.truthy(kwargs?.get('sort_keys') ?? false), itemSep, keySep, ensureAscii: rt.truthy(kwargs?.get('ensure_ascii') ?? true) };
  };
  return new PyModule('json', {
    dumps: new PyBuiltin('dumps', (args, kwargs) => dumps(args[0], options(kwargs), 0)),
    loads: new PyBuiltin('loads', (args) => {
      const text = args[0];
      if (typeof text !== 'string') throw typeError(`the JSON object must be str, bytes or bytearray, not ${rt.typeName(text)}`);
      // Floats stay floats (1.0 is float in Python): mark them before JavaScript parses them into numbers.
      const marked = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, (m, s, n) => (s !== undefined ? s : /[.eE]/.test(n) ? `{"__float__":"${n}"}` : n));
      let parsed: unknown;
      try {
        parsed = JSON.parse(marked, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '__float__' in v ? new PyFloat(Number(v.__float__)) : v));
      } catch (e) {
        throw new PyError('json.decoder.JSONDecodeError', (e as Error).message);
      }
      const conv = (x: unknown): PyValue => (x instanceof PyFloat ? x : Array.isArray(x) ? new PyList(x.map(conv)) : x !== null && typeof x === 'object' ? PyDict.fromEntries(Object.entries(x).map(([k, v]) => [k, conv(v)])) : (x as PyValue));
      return conv(parsed);
    }),
  });
}
