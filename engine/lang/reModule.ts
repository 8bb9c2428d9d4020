// The `re` module over JavaScript's RegExp: what text preprocessing in tutorials uses (re.sub(r"([.!?])", r" \1", s),
// findall, split, compiled patterns, match objects). Python's pattern syntax is translated where the two differ:
// (?P<name>...) and (?P=name), \A and \Z, \w and \d over Unicode letters and digits as Python's str patterns
// match them, escapes of punctuation that JavaScript's Unicode mode refuses, and re.VERBOSE.
//
// Note: positions are JavaScript string indices (UTF-16 code units), as the rest of the language's str.
import { PyError } from './errors';
import { PyExceptionType, PyExceptionValue, typeError, type Runtime } from './runtime';
import { JsIterator, PyBuiltin, PyCallable, PyDict, PyList, PyModule, PyObject, PyTuple, type Kwargs, type PyValue } from './values';

/** re.error, a subclass of Exception, one per runtime. */
const errorTypes = new WeakMap<Runtime, PyExceptionType>();
function errorType(rt: Runtime): PyExceptionType {
  let t = errorTypes.get(rt);
  if (t === undefined) {
    const base = rt.builtinTypes.get('Exception');
    errorTypes.set(rt, (t = new PyExceptionType('re.error', base instanceof PyExceptionType ? base : null)));
  }
  return t;
}
function reError(rt: Runtime, message: string): PyError {
  const err = new PyError('re.error', message);
  err.value = new PyExceptionValue(errorType(rt), [message]);
  return err;
}

const FLAGS = { IGNORECASE: 2, I: 2, MULTILINE: 8, M: 8, DOTALL: 16, S: 16, VERBOSE: 64, X: 64, ASCII: 256, A: 256, UNICODE: 32, U: 32 };
const FLAG_NAMES: [number, string][] = [
  [2, 're.IGNORECASE'],
  [8, 're.MULTILINE'],
  [16, 're.DOTALL'],
  [64, 're.VERBOSE'],
  [256, 're.ASCII'],
];

/** Python's pattern as a JavaScript RegExp source (see the note at the top). */
function translate(pattern: string, flags: number): string {
  const ascii = (flags & FLAGS.ASCII) !== 0;
  const verbose = (flags & FLAGS.VERBOSE) !== 0;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (verbose && !inClass) {
      if (/\s/.test(c)) continue;
      if (c === '#') {
        while (i < pattern.length && pattern[i] !== '\n') i++;
        continue;
      }
    }
    if (c === '\\') {
      const d = pattern[i + 1] ?? '';
      i++;
      if (d === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (d === 'Z' && !inClass) out += '(?![\\s\\S])';
      else if (d === 'w' && !ascii) out += inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      else if (d === 'W' && !ascii && !inClass) out += '[^\\p{L}\\p{N}_]';
      else if (d === 'd' && !ascii) out += inClass ? '\\p{Nd}' : '\\p{Nd}';
      else if (d === 'D' && !ascii && !inClass) out += '\\P{Nd}';
      else if (/[A-Za-z0-9]/.test(d) || '^$\\.*+?()[]{}|/'.includes(d) || (inClass && d === '-')) out += '\\' + d;
      else out += d === '\n' ? '\\n' : d; // `\-`, `\'`, `\ `: the character itself
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += '\\' + pattern[++i]; // `[]...]`: a literal ] first
      continue;
    }
    if (c === '(' && pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && pattern.startsWith('(?P=', i)) {
      const end = pattern.indexOf(')', i);
      out += `\\k<${pattern.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}

function jsFlags(flags: number): string {
  return 'u' + (flags & FLAGS.IGNORECASE ? 'i' : '') + (flags & FLAGS.MULTILINE ? 'm' : '') + (flags & FLAGS.DOTALL ? 's' : '');
}

export class PyPattern extends PyObject {
  readonly groups: number;
  readonly groupNames: Map<string, number>;
  constructor(
    private readonly rt: Runtime,
    readonly pattern: string,
    readonly flags: number,
    readonly source: string,
  ) {
    super();
    this.regex('g'); // a bad pattern fails here, as re.compile does
    const probe = new RegExp(this.source + '|', jsFlags(flags)).exec('')!;
    this.groups = probe.length - 1;
    this.groupNames = new Map();
    const names = [...this.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
    // Named groups number in order among all capturing groups.
    let n = 0;
    for (let i = 0; i < this.source.length; i++) {
      if (this.source[i] === '\\') {
        i++;
        continue;
      }
      if (this.source[i] === '(' && (this.source[i + 1] !== '?' || this.source[i + 2] === '<') && !(this.source[i + 2] === '<' && (this.source[i + 3] === '=' || this.source[i + 3] === '!'))) {
        n++;
        if (this.source[i + 1] === '?') this.groupNames.set(names.shift()!, n);
      }
    }
  }
  get typeName(): string {
    return 're.Pattern';
  }
  regex(extra: string): RegExp {
    try {
      return new RegExp(this.source, jsFlags(this.flags) + extra);
    } catch (e) {
      throw reError(this.rt, (e as Error).message.replace(/^Invalid regular expression: /, ''));
    }
  }
  override customRepr(): string {
    const names = FLAG_NAMES.filter(([bit]) => this.flags & bit).map(([, n]) => n);
    return `re.compile(${this.rt.repr(this.pattern)}${names.length ? ', ' + names.join('|') : ''})`;
  }
  /** The first match at or after `pos` (anchored at `pos` for match/fullmatch). */
  exec(s: string, pos: number, mode: 'search' | 'match' | 'full'): PyMatch | null {
    if (mode === 'full') {
      const r = new RegExp(`(?:${this.source})(?![\\s\\S])`, jsFlags(this.flags) + 'y');
      r.lastIndex = pos;
      const m = r.exec(s);
      return m ? new PyMatch(this.rt, this, s, m) : null;
    }
    const r = this.regex(mode === 'match' ? 'y' : 'g');
    r.lastIndex = pos;
    const m = r.exec(s);
    return m ? new PyMatch(this.rt, this, s, m) : null;
  }
  all(s: string): PyMatch[] {
    const out: PyMatch[] = [];
    const r = this.regex('g');
    for (const m of s.matchAll(r)) out.push(new PyMatch(this.rt, this, s, m));
    return out;
  }
  override pyGetattr(name: string): PyValue | undefined {
    if (name === 'pattern') return this.pattern;
    if (name === 'flags') return this.flags | FLAGS.UNICODE;
    if (name === 'groups') return this.groups;
    if (name === 'groupindex') return PyDict.fromEntries([...this.groupNames]);
    const f = patternMethod(this.rt, name);
    return f ? new PyBuiltin(name, (args, kwargs) => f(this, args, kwargs)) : undefined;
  }
}

export class PyMatch extends PyObject {
  constructor(
    private readonly rt: Runtime,
    readonly re: PyPattern,
    readonly string: string,
    readonly m: RegExpExecArray | RegExpMatchArray,
  ) {
    super();
  }
  get typeName(): string {
    return 're.Match';
  }
  private index(g: PyValue): number {
    if (typeof g === 'string') {
      const i = this.re.groupNames.get(g);
      if (i === undefined) throw new PyError('IndexError', 'no such group');
      return i;
    }
    const i = this.rt.index(g);
    if (i < 0 || i > this.re.groups) throw new PyError('IndexError', 'no such group');
    return i;
  }
  group(g: PyValue = 0): PyValue {
    return this.m[this.index(g)] ?? null;
  }
  /** Start and end of group `i` (-1, -1 when it did not take part); JavaScript gives them for the whole match only. */
  span(i: number): [number, number] {
    const start = this.m.index!;
    if (i === 0) return [start, start + this.m[0].length];
    const text = this.m[i];
    if (text === undefined) return [-1, -1];
    const withIndices = new RegExp(this.re.source, jsFlags(this.re.flags) + 'dy');
    withIndices.lastIndex = start;
    const mm = withIndices.exec(this.string) as (RegExpExecArray & { indices?: [number, number][] }) | null;
    const span = mm?.indices?.[i];
    return span ? [span[0], span[1]] : [-1, -1];
  }
  override customRepr(): string {
    const [a, b] = this.span(0);
    return `<re.Match object; span=(${a}, ${b}), match=${this.rt.repr(this.m[0])}>`;
  }
  override pyGetattr(name: string): PyValue | undefined {
    const rt = this.rt;
    switch (name) {
      case 'string':
        return this.string;
      case 're':
        return this.re;
      case 'pos':
        return 0;
      case 'lastindex': {
        for (let i = this.re.groups; i >= 1; i--) if (this.m[i] !== undefined) return i;
        return null;
      }
      case 'group':
        return new PyBuiltin(name, (args) => (args.length <= 1 ? this.group(args[0] ?? 0) : new PyTuple(args.map((g) => this.group(g)))));
      case 'groups':
        return new PyBuiltin(name, (args, kwargs) => {
          const d = args[0] ?? kwargs?.get('default') ?? null;
          return new PyTuple(Array.from({ length: this.re.groups }, (_, i) => this.m[i + 1] ?? d));
        });
      case 'groupdict':
        return new PyBuiltin(name, (args) => PyDict.fromEntries([...this.re.groupNames].map(([k, i]) => [k, this.m[i] ?? args[0] ?? null])));
      case 'start':
        return new PyBuiltin(name, (args) => this.span(this.index(args[0] ?? 0))[0]);
      case 'end':
        return new PyBuiltin(name, (args) => this.span(this.index(args[0] ?? 0))[1]);
      case 'span':
        return new PyBuiltin(name, (args) => new PyTuple(this.span(this.index(args[0] ?? 0))));
      case 'expand':
        return new PyBuiltin(name, (args) => expandTemplate(rt, String(args[0]), this));
    }
    return undefined;
  }
}

/** `\1`, `\g<1>`, `\g<name>` and escapes in a replacement string, filled from a match. */
function expandTemplate(rt: Runtime, template: string, m: PyMatch): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = template[++i];
    if (d === undefined) throw reError(rt, 'bad escape (end of pattern)');
    if (/[0-9]/.test(d)) {
      let num = d;
      if (/[0-9]/.test(template[i + 1] ?? '')) num += template[++i];
      out += (m.group(Number(num)) as string | null) ?? '';
    } else if (d === 'g') {
      const end = template.indexOf('>', i);
      const ref = template.slice(i + 2, end);
      i = end;
      out += (m.group(/^\d+$/.test(ref) ? Number(ref) : ref) as string | null) ?? '';
    } else if (d === 'n') out += '\n';
    else if (d === 't') out += '\t';
    else if (d === 'r') out += '\r';
    else if (d === '\\') out += '\\';
    else if (/[A-Za-z]/.test(d)) throw reError(rt, `bad escape \\${d} at position ${i - 1}`);
    else out += '\\' + d;
  }
  void rt;
  return out;
}

type PatternFn = (p: PyPattern, args: PyValue[], kwargs: Kwargs) => PyValue;

function patternMethod(rt: Runtime, name: string): PatternFn | undefined {
  const str = (v: PyValue, what = 'string'): string => {
    if (typeof v !== 'string') throw typeError(`expected string or bytes-like object, got '${rt.typeName(v)}'`);
    void what;
    return v;
  };
  const kw = (kwargs: Kwargs, key: string, args: PyValue[], i: number, d: PyValue): PyValue => (args.length > i ? args[i] : (kwargs?.get(key) ?? d));
  const sub = (p: PyPattern, args: PyValue[], kwargs: Kwargs): [string, number] => {
    const repl = args[0];
    const s = str(args[1]);
    const count = rt.index(kw(kwargs, 'count', args, 2, 0));
    let n = 0;
    let out = '';
    let last = 0;
    for (const m of p.all(s)) {
      if (count > 0 && n >= count) break;
      const [a, b] = m.span(0);
      out += s.slice(last, a);
      out += repl instanceof PyCallable || (typeof repl === 'object' && repl !== null && rt.isCallable(repl)) ? rt.str(rt.call(repl, [m], null)) : expandTemplate(rt, str(repl), m);
      last = b;
      n++;
    }
    return [out + s.slice(last), n];
  };
  switch (name) {
    case 'search':
    case 'match':
    case 'fullmatch':
      return (p, args, kwargs) => p.exec(str(args[0]), rt.index(kw(kwargs, 'pos', args, 1, 0)), name === 'search' ? 'search' : name === 'match' ? 'match' : 'full');
    case 'findall':
      return (p, args) =>
        new PyList(
          p.all(str(args[0])).map((m) => {
            if (p.groups === 0) return m.group(0);
            if (p.groups === 1) return m.m[1] ?? '';
            return new PyTuple(Array.from({ length: p.groups }, (_, i) => m.m[i + 1] ?? ''));
          }),
        );
    case 'finditer':
      return (p, args) => new JsIterator(p.all(str(args[0]))[Symbol.iterator](), 'callable_iterator');
    case 'sub':
      return (p, args, kwargs) => sub(p, args, kwargs)[0];
    case 'subn':
      return (p, args, kwargs) => new PyTuple(sub(p, args, kwargs));
    case 'split':
      return (p, args, kwargs) => {
        const s = str(args[0]);
        const max = rt.index(kw(kwargs, 'maxsplit', args, 1, 0));
        const out: PyValue[] = [];
        let last = 0;
        let n = 0;
        for (const m of p.all(s)) {
          if (max > 0 && n >= max) break;
          const [a, b] = m.span(0);
          out.push(s.slice(last, a));
          for (let i = 1; i <= p.groups; i++) out.push(m.m[i] ?? null);
          last = b;
          n++;
        }
        out.push(s.slice(last));
        return new PyList(out);
      };
  }
  return undefined;
}

export function makeReModule(rt: Runtime): PyModule {
  const cache = new Map<string, PyPattern>();
  const compile = (p: PyValue, flags: PyValue): PyPattern => {
    if (p instanceof PyPattern) return p;
    if (typeof p !== 'string') throw typeError(`first argument must be string or compiled pattern`);
    let f = flags === null || flags === undefined ? 0 : rt.index(flags);
    const key = `${f}:${p}`;
    let c = cache.get(key);
    if (c === undefined) {
      // Inline flags at the start, `(?i)...`, are the pattern's flags (JavaScript has no such syntax).
      const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
      let body = p;
      if (inline) {
        for (const ch of inline[1]) f |= ({ a: FLAGS.A, i: FLAGS.I, m: FLAGS.M, s: FLAGS.S, x: FLAGS.X } as Record<string, number>)[ch] ?? 0;
        body = p.slice(inline[0].length);
      }
      cache.set(key, (c = new PyPattern(rt, p, f, translate(body, f))));
    }
    return c;
  };
  const attrs: Record<string, PyValue> = {
    compile: new PyBuiltin('compile', (args, kwargs) => compile(args[0], args[1] ?? kwargs?.get('flags') ?? 0)),
    escape: new PyBuiltin('escape', (args) => {
      if (typeof args[0] !== 'string') throw typeError('expected string');
      // Python 3.7+ escapes only the characters special in patterns.
      return args[0].replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
    }),
    purge: new PyBuiltin('purge', () => (cache.clear(), null)),
  };
  // The module functions take the pattern first, flags last: re.sub(pattern, repl, string, count=0, flags=0).
  const flagIndex: Record<string, number> = { search: 2, match: 2, fullmatch: 2, findall: 2, finditer: 2, split: 3, sub: 4, subn: 4 };
  for (const [name, at] of Object.entries(flagIndex)) {
    attrs[name] = new PyBuiltin(name, (args, kwargs) => {
      const flags = args.length > at ? args[at] : (kwargs?.get('flags') ?? 0);
      const rest = args.slice(1, at);
      const kw = kwargs ? new Map([...kwargs].filter(([k]) => k !== 'flags')) : null;
      return patternMethod(rt, name)!(compile(args[0], flags), rest, kw);
    });
  }
  for (const [k, v] of Object.entries(FLAGS)) attrs[k] = v;
  attrs.error = errorType(rt);
  return new PyModule('re', attrs);
}
