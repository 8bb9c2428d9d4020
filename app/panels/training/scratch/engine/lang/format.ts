// Python's number formatting: repr of floats and ints, and the format-spec mini-language
// (`{x:.4f}`, `{n:>5d}`, `{p:.1%}`) used by f-strings, str.format and format().
import { PyError } from './errors';

/**
 * repr(float) exactly as Python: the shortest digits that round-trip (JS finds the same digits),
 * laid out Python's way: scientific when the exponent is < -4 or >= 16, always a '.0' or an exponent.
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length === 1 ? digits : digits[0] + '.' + digits.slice(1);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** str(int): exact digits even beyond 2^53 (Python ints print plainly, never in exponent form). */
export function intRepr(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  return BigInt(n).toString();
}

/** x.toFixed(p) for any magnitude, rounding exact ties to even as Python does. */
export function toFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (Math.abs(x) >= 1e21) {
    const int = BigInt(Math.trunc(x)).toString();
    return p > 0 ? `${int}.${'0'.repeat(p)}` : int;
  }
  let s = x.toFixed(Math.min(p, 100));
  // Note: toFixed rounds exact ties away from zero (2.5 -> '3'); Python rounds them to even.
  const scaled = Math.abs(x) * 10 ** p;
  if (p <= 15 && scaled < 2 ** 52 && scaled - Math.floor(scaled) === 0.5 && Math.abs(x) === scaled / 10 ** p) {
    const down = (Math.floor(scaled) / 10 ** p) * Math.sign(x);
    if (Math.floor(scaled) % 2 === 0) s = down.toFixed(p);
  }
  if (p > 100) s += '0'.repeat(p - 100);
  return s;
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** Python's 'e' format: mantissa with p digits after the point, exponent of at least two digits. */
function toExp(x: number, p: number, upper = false): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const [m, e] = x.toExponential(Math.min(p, 100)).split('e');
  const exp = Number(e);
  const s = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

/** Python's 'g' format (and the empty type with a precision when `emptyType`). */
function toGeneral(x: number, p: number, alt: boolean, emptyType: boolean): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (p === 0) p = 1;
  if (x === 0) {
    const z = Object.is(x, -0) ? '-0' : '0';
    return alt ? `${z}.${'0'.repeat(p - 1)}` : emptyType ? `${z}.0` : z;
  }
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp >= -4 && exp < p) {
    s = x.toFixed(Math.max(0, p - 1 - exp));
    if (!alt && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    if (emptyType && !s.includes('.')) s += '.0';
  } else {
    s = toExp(x, p - 1);
    if (!alt) s = s.replace(/\.?0+e/, 'e');
  }
  return s;
}

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

export function parseSpec(spec: string): Spec {
  const m = SPEC_RE.exec(spec);
  if (!m) throw new PyError('ValueError', 'Invalid format specifier');
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : ''),
    sign: m[3] ?? '-',
    alt: m[5] !== undefined,
    zero: m[6] !== undefined,
    width: m[7] ? Number(m[7]) : 0,
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? Number(m[9]) : undefined,
    type: m[10] ?? '',
  };
}

function group(intPart: string, sep: string): string {
  if (!sep) return intPart;
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function pad(body: string, sign: string, spec: Spec, defaultAlign: string): string {
  const align = spec.align || defaultAlign;
  const len = sign.length + body.length;
  if (len >= spec.width) return sign + body;
  const fill = spec.fill.repeat(spec.width - len);
  switch (align) {
    case '<':
      return sign + body + fill;
    case '^': {
      const left = Math.floor(fill.length / 2);
      return fill.slice(0, left) + sign + body + fill.slice(left);
    }
    case '=':
      return sign + fill + body;
    default:
      return fill + sign + body;
  }
}

/** format(number, spec) for int (isInt) and float values. */
export function formatNumber(x: number, isInt: boolean, specText: string): string {
  const spec = parseSpec(specText);
  let type = spec.type;
  if (isInt && (type === '' || type === 'd' || type === 'n')) {
    if (spec.precision !== undefined) throw new PyError('ValueError', 'Precision not allowed in integer format specifier');
    const body = group(intRepr(Math.abs(x)), spec.grouping);
    return pad(body, signOf(x, spec), spec, '>');
  }
  if (isInt && 'bcoxX'.includes(type) && type !== '') {
    const n = BigInt(Math.abs(x));
    let body =
      type === 'c' ? String.fromCodePoint(Number(n)) : n.toString(type === 'b' ? 2 : type === 'o' ? 8 : 16);
    if (type === 'X') body = body.toUpperCase();
    if (spec.alt && type !== 'c') body = `0${type}${body}`;
    return pad(body, signOf(x, spec), spec, '>');
  }
  if (!isInt && 'dbcoxX'.includes(type) && type !== '') {
    throw new PyError('ValueError', `Unknown format code '${type}' for object of type 'float'`);
  }
  const abs = Math.abs(x);
  let body: string;
  const p = spec.precision;
  switch (type) {
    case 'f':
    case 'F':
      body = toFixed(abs, p ?? 6);
      if (type === 'F') body = body.toUpperCase();
      break;
    case 'e':
    case 'E':
      body = toExp(abs, p ?? 6, type === 'E');
      break;
    case 'g':
    case 'G':
    case 'n':
      body = toGeneral(abs, p ?? 6, spec.alt, false);
      if (type === 'G') body = body.toUpperCase();
      break;
    case '%':
      body = toFixed(abs * 100, p ?? 6) + '%';
      break;
    default:
      // The empty type: repr for floats without precision, else 'g' that keeps a '.0'.
      body = p === undefined ? (isInt ? intRepr(abs) : floatRepr(abs)) : toGeneral(abs, p, spec.alt, true);
      type = '';
  }
  if (spec.grouping && /^\d/.test(body)) {
    const [i, rest] = splitInt(body);
    body = group(i, spec.grouping) + rest;
  }
  const negative = x < 0 || Object.is(x, -0);
  return pad(body, negative && !Number.isNaN(x) ? '-' : signOf(1, spec), spec, '>');
}

function splitInt(body: string): [string, string] {
  const m = /^(\d+)(.*)$/s.exec(body)!;
  return [m[1], m[2]];
}

function signOf(x: number, spec: Spec): string {
  if (x < 0) return '-';
  return spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
}

/** format(str, spec). */
export function formatString(s: string, specText: string): string {
  const spec = parseSpec(specText);
  if (spec.type !== '' && spec.type !== 's') {
    throw new PyError('ValueError', `Unknown format code '${spec.type}' for object of type 'str'`);
  }
  if (spec.sign !== '-' || spec.align === '=') throw new PyError('ValueError', 'Sign not allowed in string format specifier');
  const body = spec.precision !== undefined ? s.slice(0, spec.precision) : s;
  return pad(body, '', spec, '<');
}
