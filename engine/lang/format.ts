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

/**
 * The exact decimal expansion of a finite x >= 0: value = 0.DIGITS x 10^point. Every double is
 * m x 2^e exactly, so its decimal expansion is finite; formatting rounds from it half-to-even, as
 * CPython does (JS's toFixed/toExponential round exact ties away from zero).
 */
function exactDecimal(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: '0', point: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) {
    const digits = (mant << BigInt(exp)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mant * 5n ** BigInt(-exp)).toString();
  return { digits, point: digits.length + exp };
}

/** Rounds a digit string to its first `keep` digits, half to even; carry when it grew a digit (999 -> 1000). */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (keep >= digits.length) return { digits: digits + '0'.repeat(keep - digits.length), carry: false };
  if (keep < 0) return { digits: '', carry: false };
  const next = digits.charCodeAt(keep) - 48;
  let up = next > 5;
  if (next === 5) {
    const restNonZero = /[1-9]/.test(digits.slice(keep + 1));
    up = restNonZero || (keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1);
  }
  let kept = digits.slice(0, keep);
  if (!up) return { digits: kept, carry: false };
  const arr = kept.split('');
  let i = arr.length - 1;
  while (i >= 0 && arr[i] === '9') arr[i--] = '0';
  if (i < 0) return { digits: '1' + arr.join(''), carry: true };
  arr[i] = String.fromCharCode(arr[i].charCodeAt(0) + 1);
  kept = arr.join('');
  return { digits: kept, carry: false };
}

/** x.toFixed(p) for any magnitude, rounding exact ties to even as Python does. */
export function toFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const { digits, point } = exactDecimal(Math.abs(x));
  // round(|x| * 10^p) as a digit string: the digits of D at or above 10^-p, rounded.
  const keep = point + p;
  const n = (keep < 0 ? '' : roundDigits(digits, keep).digits || '').padStart(p + 1, '0');
  return sign + n.slice(0, n.length - p) + (p > 0 ? '.' + n.slice(n.length - p) : '');
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** The p+1 significant digits of |x| rounded half-even, and the decimal exponent of the first. */
export function significantDigits(x: number, p: number): { digits: string; exp: number } {
  const { digits, point } = exactDecimal(Math.abs(x));
  if (digits === '0') return { digits: '0'.repeat(p + 1), exp: 0 };
  const r = roundDigits(digits, p + 1);
  return { digits: r.carry ? r.digits.slice(0, p + 1) : r.digits, exp: point - 1 + (r.carry ? 1 : 0) };
}

/** Python's 'e' format: mantissa with p digits after the point, exponent of at least two digits. */
function toExp(x: number, p: number, upper = false): string {
  if (!Number.isFinite(x)) return upper ? nonFinite(x).toUpperCase() : nonFinite(x);
  const { digits, exp } = significantDigits(x, p);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const m = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits[0];
  const s = `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

/**
 * Python's 'g' format. With `emptyType` (a precision and no type letter) it keeps a '.0' and switches to
 * the exponent one digit earlier, as CPython's Py_DTSF_ADD_DOT_0 does.
 */
function toGeneral(x: number, p: number, alt: boolean, emptyType: boolean): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (p === 0) p = 1;
  // Zero goes the same way with exponent 0: format(0.0, '.1') is '0e+00', as CPython writes it.
  const { exp } = significantDigits(x, p - 1);
  const useExp = exp < -4 || exp >= (emptyType ? p - 1 : p);
  let s: string;
  if (!useExp) {
    s = toFixed(x, Math.max(0, p - 1 - exp));
    if (!alt && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    if (emptyType && !s.includes('.')) s += '.0';
  } else {
    s = toExp(x, p - 1);
    if (!alt) {
      const [m, e] = s.split('e');
      s = (m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m) + 'e' + e;
    }
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
    // '0' before the width fills with zeros unless a fill is given; it also makes numbers' default alignment '='.
    fill: m[1] ?? (m[6] ? '0' : ' '),
    align: m[2] ?? '',
    sign: m[3] ?? '-',
    alt: m[5] !== undefined,
    zero: m[6] !== undefined,
    width: m[7] ? Number(m[7]) : 0,
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? Number(m[9]) : undefined,
    type: m[10] ?? '',
  };
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function group(intPart: string, sep: string): string {
  if (!sep) return intPart;
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** Pads sign + body to the width; with '=' alignment the fill goes between them. Lengths count code points. */
function pad(body: string, sign: string, spec: Spec, defaultAlign: string): string {
  const align = spec.align || defaultAlign;
  const len = codePoints(sign) + codePoints(body);
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
    const sign = signOf(x, spec);
    return pad(groupDigits(intRepr(Math.abs(x)), spec, sign.length), sign, spec, numberAlign(spec));
  }
  if (isInt && 'bcoxX'.includes(type) && type !== '') {
    const n = BigInt(Math.abs(x));
    let body =
      type === 'c' ? String.fromCodePoint(Number(n)) : n.toString(type === 'b' ? 2 : type === 'o' ? 8 : 16);
    if (type === 'X') body = body.toUpperCase();
    // '_' groups binary, octal and hex digits by four: '1111_1111'.
    if (spec.grouping === '_' && type !== 'c') body = body.replace(/\B(?=(.{4})+$)/g, '_');
    // The '0x' of '#x' sits with the sign: zero padding goes after it ('0x00ff').
    const prefix = spec.alt && type !== 'c' ? `0${type}` : '';
    return pad(body, signOf(x, spec) + prefix, spec, numberAlign(spec));
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
  // '#' keeps the decimal point even with no digits after it: '2.', '7.e+00', '50.%'.
  // Not for inf and nan, nor for a '%' that overflowed to inf (format(1e308, '#%') is 'inf%').
  if (spec.alt && /^\d/.test(body) && !body.includes('.')) body = body.replace(/(?=[eE%])|$/, '.');
  const negative = x < 0 || Object.is(x, -0);
  const sign = negative && !Number.isNaN(x) ? '-' : signOf(1, spec);
  if (spec.grouping && /^\d/.test(body)) {
    const [i, rest] = splitInt(body);
    body = groupDigits(i, spec, sign.length + rest.length) + rest;
  }
  return pad(body, sign, spec, numberAlign(spec));
}

/**
 * Integer digits with their thousands separators. When zeros pad to the width ('0' fill, '=' alignment) the
 * separators run through the zeros too, and a separator never leads: format(1234, '08,d') is '0,001,234'.
 */
function groupDigits(intPart: string, spec: Spec, otherLen: number): string {
  if (!spec.grouping) return intPart;
  if (spec.fill !== '0' || (spec.align || numberAlign(spec)) !== '=') return group(intPart, spec.grouping);
  for (let n = intPart.length; ; n++) {
    const g = group(intPart.padStart(n, '0'), spec.grouping);
    if (g.length >= spec.width - otherLen) return g;
  }
}

/** Numbers align right, or '=' (sign, then zeros) when the width starts with '0'. */
function numberAlign(spec: Spec): string {
  return spec.zero ? '=' : '>';
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
