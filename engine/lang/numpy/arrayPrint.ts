// numpy 1.24's printing of arrays and scalars (numpy/core/arrayprint.py and Dragon4): str(a) `[1. 2. 3.]`,
// repr(a) `array([1., 2., 3.])`, float32 arrays with `dtype=float32`, line wrapping at 75 characters, the
// FloatingFormat rules (maxprec 8 digits, unique shortest digits, common padding, scientific notation when
// the values span too much) and summarisation with `...` above 1000 elements.
import { significantDigits, toFixed } from '../format';
import { flatData, isIntDtype, type DType, type NDArray } from './ndarray';

const PRECISION = 8;
const LINEWIDTH = 75;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

/** Shortest round-trip digits of x (> 0, finite) in its dtype: digits without the point, and the exponent of the first. */
function shortest(x: number, dtype: DType): { digits: string; exp: number } {
  let text: string;
  if (dtype === 'float32') {
    text = '';
    for (let p = 1; p <= 9; p++) {
      text = x.toExponential(p - 1);
      if (Math.fround(Number(text)) === x) break;
    }
  } else text = x.toExponential();
  const [mant, e] = text.split('e');
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
}

/** Dragon4 in numpy's 'unique' mode with a precision cap: the shortest digits, or the exact value rounded at the cap. */
function uniqueDigits(x: number, dtype: DType, fractionDigits: number | null, significant: number | null): { digits: string; exp: number } {
  const s = shortest(x, dtype);
  if (fractionDigits !== null) {
    const frac = s.digits.length - 1 - s.exp;
    if (frac <= fractionDigits) return s;
    const fixed = toFixed(x, fractionDigits);
    const [ip, fp] = fixed.replace('-', '').split('.');
    const all = (ip === '0' ? '' : ip) + (fp ?? '');
    const lead = all.search(/[1-9]/);
    if (lead < 0) return { digits: '0', exp: 0 };
    const exp = ip === '0' ? -(lead + 1) : ip.length - 1;
    return { digits: all.slice(lead).replace(/0+$/, ''), exp };
  }
  if (significant !== null && s.digits.length > significant) {
    const r = significantDigits(x, significant - 1);
    return { digits: r.digits.replace(/0+$/, '') || '0', exp: r.exp };
  }
  return s;
}

/** dragon4_positional(x, precision=8, unique=True, fractional=True, trim='.'): `1.`, `0.25`, `-3.14159265`. */
function positional(x: number, dtype: DType): string {
  if (x === 0) return Object.is(x, -0) ? '-0.' : '0.';
  const neg = x < 0;
  const { digits, exp } = uniqueDigits(Math.abs(x), dtype, PRECISION, null);
  let ip: string;
  let fp: string;
  if (digits === '0') {
    ip = '0';
    fp = '';
  } else if (exp >= 0) {
    ip = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    fp = digits.slice(exp + 1);
  } else {
    ip = '0';
    fp = '0'.repeat(-exp - 1) + digits;
  }
  return `${neg ? '-' : ''}${ip}.${fp}`;
}

/** dragon4_scientific(x, precision=8, unique=True, trim='.'): `1.e-05`, `1.5e+10`. */
function scientific(x: number, dtype: DType): { mant: string; exp: number } {
  if (x === 0) return { mant: Object.is(x, -0) ? '-0.' : '0.', exp: 0 };
  const { digits, exp } = uniqueDigits(Math.abs(x), dtype, null, PRECISION + 1);
  return { mant: `${x < 0 ? '-' : ''}${digits[0]}.${digits.slice(1)}`, exp };
}

const expText = (e: number, width: number): string => (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(width, '0');

type ElementFormat = (x: number) => string;

/** numpy's FloatingFormat over the values to be shown (fillFormat, then __call__). */
function floatingFormat(values: ArrayLike<number>, dtype: DType): ElementFormat {
  const finite: number[] = [];
  let hasNonFinite = false;
  let negInf = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) finite.push(v);
    else {
      hasNonFinite = true;
      if (v === -Infinity) negInf = true;
    }
  }
  let expFormat = false;
  let maxVal = 0;
  let minVal = Infinity;
  for (const v of finite) {
    const a = Math.abs(v);
    if (a === 0) continue;
    if (a > maxVal) maxVal = a;
    if (a < minVal) minVal = a;
  }
  if (maxVal > 0) {
    const ratio = dtype === 'float32' ? Math.fround(maxVal / minVal) : maxVal / minVal;
    if (maxVal >= 1e8 || minVal < 0.0001 || ratio > 1000) expFormat = true;
  }
  let padLeft = 0;
  let padRight = 0;
  let precision = 0;
  let expSize = -1;
  if (finite.length === 0) {
    // nothing to measure
  } else if (expFormat) {
    const parts = finite.map((v) => scientific(v, dtype));
    expSize = Math.max(...parts.map((p) => String(Math.abs(p.exp)).padStart(2, '0').length));
    precision = Math.max(...parts.map((p) => p.mant.split('.')[1].length));
    padLeft = Math.max(...parts.map((p) => p.mant.split('.')[0].length));
    padRight = expSize + 2 + precision;
  } else {
    const parts = finite.map((v) => positional(v, dtype).split('.'));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
  }
  if (hasNonFinite) {
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
  }
  return (x: number): string => {
    if (!Number.isFinite(x)) {
      const ret = x !== x ? 'nan' : x < 0 ? '-inf' : 'inf';
      return ' '.repeat(Math.max(0, padLeft + padRight + 1 - ret.length)) + ret;
    }
    if (expFormat) {
      const { mant, exp } = scientific(x, dtype);
      const [ip, fp] = mant.split('.');
      return ip.padStart(padLeft) + '.' + fp.padEnd(precision, '0') + 'e' + expText(exp, expSize);
    }
    const [ip, fp] = positional(x, dtype).split('.');
    return ip.padStart(padLeft) + '.' + fp.padEnd(padRight);
  };
}

function intFormat(values: ArrayLike<number>): ElementFormat {
  let width = 0;
  for (let i = 0; i < values.length; i++) width = Math.max(width, String(values[i]).length);
  return (x) => String(x).padStart(width);
}

function formatFor(values: ArrayLike<number>, dtype: DType, zeroDim: boolean): ElementFormat {
  if (dtype === 'bool') return (x) => (x ? (zeroDim ? 'True' : ' True') : 'False');
  if (isIntDtype(dtype)) return intFormat(values);
  return floatingFormat(values, dtype);
}

/** The elements the summary shows: the first and last EDGEITEMS along each axis when summarising. */
function shownValues(a: NDArray, summarise: boolean): number[] {
  const flat = flatData(a);
  if (!summarise) return Array.from(flat);
  const out: number[] = [];
  const strides = a.shape.map((_, i) => a.shape.slice(i + 1).reduce((p, s) => p * s, 1));
  const walk = (d: number, off: number): void => {
    if (d === a.ndim) {
      out.push(flat[off]);
      return;
    }
    const n = a.shape[d];
    const idx = 2 * EDGEITEMS < n ? [0, 1, 2, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    for (const i of idx) walk(d + 1, off + i * strides[d]);
  };
  walk(0, 0);
  return out;
}

/** numpy's _formatArray: nested brackets, rows wrapped at the line width, `...` for summarised axes. */
function formatArray(a: NDArray, fmt: ElementFormat, lineWidth: number, nextLinePrefix: string, separator: string, summarise: boolean): string {
  const flat = flatData(a);
  const strides = a.shape.map((_, i) => a.shape.slice(i + 1).reduce((p, s) => p * s, 1));
  const extendLine = (s: string, line: string, word: string, width: number, prefix: string): [string, string] => {
    let needsWrap = line.length + word.length > width;
    if (line.length <= prefix.length) needsWrap = false;
    if (needsWrap) {
      s += line.replace(/\s+$/, '') + '\n';
      line = prefix;
    }
    return [s, line + word];
  };
  const recurse = (axis: number, off: number, hanging: string, currWidth: number): string => {
    const axesLeft = a.ndim - axis;
    if (axesLeft === 0) return fmt(flat[off]);
    const nextHanging = hanging + ' ';
    const nextWidth = currWidth - 1;
    const len = a.shape[axis];
    const showSummary = summarise && 2 * EDGEITEMS < len;
    const leading = showSummary ? EDGEITEMS : 0;
    const trailing = showSummary ? EDGEITEMS : len;
    const at = (i: number): number => off + (i < 0 ? len + i : i) * strides[axis];
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(separator.trimEnd().length, 1);
      let line = hanging;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLine(s, line, recurse(axis + 1, at(i), nextHanging, nextWidth), elemWidth, hanging);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, '...', elemWidth, hanging);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extendLine(s, line, recurse(axis + 1, at(-i), nextHanging, nextWidth), elemWidth, hanging);
        line += separator;
      }
      [s, line] = extendLine(s, line, recurse(axis + 1, at(-1), nextHanging, nextWidth), elemWidth, hanging);
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hanging + recurse(axis + 1, at(i), nextHanging, nextWidth) + lineSep;
      if (showSummary) s += hanging + '...' + lineSep;
      for (let i = trailing; i > 1; i--) s += hanging + recurse(axis + 1, at(-i), nextHanging, nextWidth) + lineSep;
      s += hanging + recurse(axis + 1, at(-1), nextHanging, nextWidth);
    }
    return '[' + s.slice(hanging.length) + ']';
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

function array2string(a: NDArray, separator: string, prefix: string, suffix: string): string {
  const summarise = a.size > THRESHOLD;
  const fmt = formatFor(shownValues(a, summarise), a.dtype, a.ndim === 0);
  return formatArray(a, fmt, LINEWIDTH - suffix.length, ' ' + ' '.repeat(prefix.length), separator, summarise);
}

/** Whether repr leaves the dtype out: numpy's default types (float64, int64, bool). */
const impliedDtype = (d: DType): boolean => d === 'float64' || d === 'int64' || d === 'bool';

/** str(a). */
export function arrayStr(a: NDArray): string {
  if (a.ndim === 0) return scalarStr(flatData(a)[0], a.dtype);
  if (a.size === 0) return '[]';
  return array2string(a, ' ', '', '');
}

/** repr(a). */
export function arrayRepr(a: NDArray): string {
  const skipDtype = impliedDtype(a.dtype) && a.size > 0;
  const prefix = 'array(';
  const suffix = skipDtype ? ')' : ',';
  let body: string;
  if (a.size > 0 || (a.ndim === 1 && a.shape[0] === 0)) body = a.size === 0 ? '[]' : array2string(a, ', ', prefix, suffix);
  else body = `[], shape=(${a.shape.join(', ')}${a.ndim === 1 ? ',' : ''})`;
  const text = prefix + body + suffix;
  if (skipDtype) return text;
  const dtypeText = `dtype=${a.dtype})`;
  const lastLine = text.length - (text.lastIndexOf('\n') + 1);
  const spacer = lastLine + dtypeText.length + 1 > LINEWIDTH ? '\n' + ' '.repeat(prefix.length) : ' ';
  return text + spacer + dtypeText;
}

/** repr/str of a numpy scalar (1.24: like a Python float, with the dtype's own shortest digits). */
export function scalarStr(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (isIntDtype(dtype)) return String(v);
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const { digits, exp } = shortest(Math.abs(v), dtype);
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1e16 || a < 1e-4) {
    const m = digits.length === 1 ? digits : digits[0] + '.' + digits.slice(1);
    return `${sign}${m}e${expText(exp, 2)}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
