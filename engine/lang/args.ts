// Argument binding for functions written in TypeScript, by a Python-like signature string, with
// CPython's error wording: `sum(input, dim=None, keepdim=False, *, dtype=None)`.
import { PyError } from './errors';
import { PyFloat, PyTuple, type Kwargs, type PyValue } from './values';

/** Marks an optional parameter that was not given (distinct from an explicit None). */
export const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;

export interface Signature {
  name: string;
  params: string[];
  /** Default per parameter; undefined = required. */
  defaults: (PyValue | Missing | undefined)[];
  /** Index of the first keyword-only parameter (params.length when none). */
  kwOnly: number;
  /** Index of the `*args` parameter (gets a PyTuple), or -1. */
  varargs: number;
  /** Whether `**kwargs` is accepted (the extras come back as a Map in the last slot). */
  varkw: boolean;
  index: Map<string, number>;
  /** A function PyTorch implements in C++: a missing argument is reported in its argument parser's words. */
  cpp?: boolean;
  /**
   * The class whose Python __init__ this is (nn.Linear's): errors name `Linear.__init__()` and count `self`,
   * as CPython does ("takes from 3 to 6 positional arguments but 7 were given").
   */
  initOf?: string;
}

function parseDefault(text: string): PyValue | Missing {
  switch (text) {
    case 'None':
      return null;
    case 'True':
      return true;
    case 'False':
      return false;
    case '?':
      return MISSING;
  }
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?[\d.]+(e-?\d+)?$/i.test(text)) return new PyFloat(Number(text));
  if (/^(['"]).*\1$/.test(text)) return text.slice(1, -1);
  throw new Error(`signature: bad default ${text}`);
}

/**
 * `signature('sum', 'input, dim=None, keepdim=False, *, dtype=None')`. A default of `?` means optional
 * without a Python default: the slot holds MISSING when the caller did not pass it.
 * `*size` collects extra positionals into a PyTuple; `**kwargs` collects extra keywords.
 */
export function signature(name: string, spec: string): Signature {
  const params: string[] = [];
  const defaults: (PyValue | Missing | undefined)[] = [];
  let kwOnly = -1;
  let varargs = -1;
  let varkw = false;
  for (const raw of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (raw === '*') {
      kwOnly = params.length;
      continue;
    }
    if (raw.startsWith('**')) {
      varkw = true;
      params.push(raw.slice(2));
      defaults.push(MISSING);
      continue;
    }
    if (raw.startsWith('*')) {
      varargs = params.length;
      kwOnly = params.length + 1;
      params.push(raw.slice(1));
      defaults.push(MISSING);
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0) {
      params.push(raw);
      defaults.push(undefined);
    } else {
      params.push(raw.slice(0, eq).trim());
      defaults.push(parseDefault(raw.slice(eq + 1).trim()));
    }
  }
  if (kwOnly < 0) kwOnly = varkw ? params.length - 1 : params.length;
  const index = new Map<string, number>();
  params.forEach((p, i) => index.set(p, i));
  return { name, params, defaults, kwOnly, varargs, varkw, index };
}

function listNames(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** Binds a call's arguments to a signature: one value per parameter (MISSING for absent optionals). */
export function bindArgs(sig: Signature, args: PyValue[], kwargs: Kwargs): (PyValue | Missing)[] {
  const n = sig.params.length;
  const fname = sig.initOf !== undefined ? `${sig.initOf}.__init__` : sig.name;
  const self = sig.initOf !== undefined ? 1 : 0;
  const out: (PyValue | Missing | undefined)[] = new Array(n);
  const positional = sig.varargs >= 0 ? sig.varargs : sig.kwOnly;
  if (args.length > positional) {
    if (sig.varargs >= 0) {
      out[sig.varargs] = new PyTuple(args.slice(positional));
    } else {
      const required = sig.defaults.slice(0, positional).filter((d) => d === undefined).length;
      const takes = required === positional ? `${positional + self}` : `from ${required + self} to ${positional + self}`;
      const given = args.length + self;
      throw new PyError(
        'TypeError',
        `${fname}() takes ${takes} positional argument${positional + self === 1 && required === positional ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`,
      );
    }
  } else if (sig.varargs >= 0) out[sig.varargs] = new PyTuple([]);
  for (let i = 0; i < Math.min(args.length, positional); i++) out[i] = args[i];
  let extra: Map<string, PyValue> | null = null;
  // PyTorch's argument parser reports a missing argument before an unexpected keyword.
  let unexpected: string | null = null;
  if (kwargs) {
    for (const [k, v] of kwargs) {
      const i = sig.index.get(k);
      if (i === undefined || i === sig.varargs || (sig.varkw && i === n - 1)) {
        if (sig.varkw) {
          (extra ??= new Map()).set(k, v);
          continue;
        }
        if (sig.cpp) {
          unexpected ??= k;
          continue;
        }
        throw new PyError('TypeError', `${fname}() got an unexpected keyword argument '${k}'`);
      }
      if (out[i] !== undefined) throw new PyError('TypeError', `${fname}() got multiple values for argument '${k}'`);
      out[i] = v;
    }
  }
  if (sig.varkw) out[n - 1] = extra ?? new Map();
  const missing: string[] = [];
  const missingKw: string[] = [];
  for (let i = 0; i < n; i++) {
    if (out[i] !== undefined) continue;
    const d = sig.defaults[i];
    if (d === undefined) (i >= sig.kwOnly ? missingKw : missing).push(sig.params[i]);
    else out[i] = d;
  }
  if (missing.length > 0 && sig.cpp) {
    // python_arg_parser.cpp's wording, its plural included ("missing 1 required positional arguments").
    throw new PyError('TypeError', `${sig.name}() missing ${missing.length} required positional argument${missing.length === 1 ? 's' : ''}: ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
  if (unexpected !== null) throw new PyError('TypeError', `${fname}() got an unexpected keyword argument '${unexpected}'`);
  if (missing.length > 0) {
    throw new PyError(
      'TypeError',
      `${fname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${listNames(missing)}`,
    );
  }
  if (missingKw.length > 0) {
    throw new PyError(
      'TypeError',
      `${fname}() missing ${missingKw.length} required keyword-only argument${missingKw.length > 1 ? 's' : ''}: ${listNames(missingKw)}`,
    );
  }
  return out as (PyValue | Missing)[];
}

/** Throws unless the call has no keyword arguments (for functions that take none). */
export function noKwargs(name: string, kwargs: Kwargs): void {
  if (kwargs && kwargs.size > 0) {
    const k = kwargs.keys().next().value;
    throw new PyError('TypeError', `${name}() got an unexpected keyword argument '${k}'`);
  }
}

export { listNames };
