// time, sys and os.path as tutorials use them: timing a training loop, checking the Python version, joining
// file names. The playground has no file system and no real sleeping: time.sleep advances the clocks instead,
// so a program that measures a sleep sees it.
import { typeError } from './runtime';
import { PyError, PyBuiltin, PyFloat, PyList, PyModule, PyTuple, type PyValue } from './values';

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

export function makeSysModule(): PyModule {
  return new PyModule('sys', {
    version: '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
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
