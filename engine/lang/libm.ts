// exp, log, log2, pow, sin, cos, tan and atan for Python's math module and float `**`, correctly rounded. CPython calls
// glibc's, whose results are the correctly rounded ones for all but about one argument in a thousand, while
// JS's Math.exp / Math.log / ** / Math.sin... (fdlibm-style, < 1 ulp) differ in the last digit for about one
// argument in ten (exp, pow), thirty (log, sin, cos, tan): print(math.exp(x)) showed it. Computed in
// double-double arithmetic (about 106 bits) and rounded once.

type DD = [number, number];

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function fastTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  let [h, l] = fastTwoSum(s, e + t);
  [h, l] = fastTwoSum(h, l + f);
  return [h, l];
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return fastTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function divByInt(a: DD, n: number): DD {
  const q = a[0] / n;
  const [p, e] = twoProd(q, n);
  const r = a[0] - p - e + a[1];
  return fastTwoSum(q, r / n);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** exp(x) as a double-double, for |x| <= 745. */
function expDD(x: DD): DD {
  const k = Math.round(x[0] / LN2[0]);
  // r = x - k*ln2, exactly enough: k*ln2 as a sum of exact products.
  const kh = twoProd(k, LN2[0]);
  const kl = twoProd(k, LN2[1]);
  let r = add(x, [-kh[0], -kh[1]]);
  r = add(r, [-kl[0], -kl[1]]);
  // Taylor series of exp(r), |r| <= 0.35: 27 terms reach 2^-110.
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let n = 1; n <= 27; n++) {
    term = divByInt(mul(term, r), n);
    sum = add(sum, term);
  }
  return [sum[0] * 2 ** k, sum[1] * 2 ** k];
}

/** Correctly rounded exp for results in the normal range; elsewhere Math.exp (overflow, underflow, NaN). */
export function exp(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x);
  const [h, l] = expDD([x, 0]);
  return h + l;
}

/** Correctly rounded log of a positive normal or subnormal x; Math.log elsewhere. */
export function log(x: number): number {
  if (!(x > 0 && x < Infinity) || x === 1) return x === 1 ? 0 : Math.log(x);
  const [h, l] = logDD(x);
  return h + l;
}

/** log(x) as a double-double, for a finite x > 0. */
function logDD(x: number): DD {
  // x = m * 2^e with m in [1, 2): log x = e*ln2 + log m.
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (m < 1) {
    e--;
    m = x / 2 ** e;
  } else if (m >= 2) {
    e++;
    m = x / 2 ** e;
  }
  if (e < -1022) {
    // A subnormal x: 2^e underflows; scale first.
    return add(logDD(x * 2 ** 60), mul([-60, 0], LN2));
  }
  // One Newton step from Math.log(m): y + log(1 + t) with t = m * exp(-y) - 1 (|t| ~ 1e-16), in double-double.
  const y = Math.log(m);
  const t = add(mul([m, 0], expDD([-y, 0])), [-1, 0]);
  const logm = add([y, 0], add(t, [-(t[0] * t[0]) / 2, 0]));
  const eln2 = add(twoProd(e, LN2[0]), twoProd(e, LN2[1]));
  return add(eln2, logm);
}

/**
 * x ** y for floats, correctly rounded when x > 0 (or x < 0 with an integer y) and the result is normal:
 * exp(y * log|x|) in double-double. Everything else (zeros, infinities, NaN, over/underflow) is JS's **, whose
 * special cases are C's pow's.
 */
export function pow(x: number, y: number): number {
  const fallback = x ** y;
  if (!Number.isFinite(fallback) || fallback === 0 || !Number.isFinite(y) || y === 0 || x === 1) return fallback;
  if (Math.abs(fallback) < 2 ** -1021 || Math.abs(fallback) > 2 ** 1020) return fallback;
  const negative = x < 0;
  if (negative && !Number.isInteger(y)) return fallback;
  const z = mul(logDD(Math.abs(x)), [y, 0]);
  const [h, l] = expDD(z);
  const r = h + l;
  return negative && y % 2 !== 0 ? -r : r;
}

// pi/2 as a sum of three doubles (161 bits): reduction of |x| < 2^20 keeps ~100 bits.
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;

/** x - k*pi/2 as a double-double, and k mod 4. */
function reduce(x: number): { r: DD; q: number } {
  const k = Math.round(x / PIO2_1);
  let r = add([x, 0], neg(twoProd(k, PIO2_1)));
  r = add(r, neg(twoProd(k, PIO2_2)));
  r = add(r, neg(twoProd(k, PIO2_3)));
  return { r, q: ((k % 4) + 4) % 4 };
}

const neg = (a: DD): DD => [-a[0], -a[1]];

/** sin(r) and cos(r) for |r| <= pi/4, as double-doubles (Taylor series to 2^-110). */
function sinCosDD(r: DD): [DD, DD] {
  const r2 = mul(r, r);
  let term: DD = r;
  let sin: DD = r;
  for (let n = 3; n <= 31; n += 2) {
    term = neg(divByInt(mul(term, r2), (n - 1) * n));
    sin = add(sin, term);
  }
  term = [1, 0];
  let cos: DD = [1, 0];
  for (let n = 2; n <= 30; n += 2) {
    term = neg(divByInt(mul(term, r2), (n - 1) * n));
    cos = add(cos, term);
  }
  return [sin, cos];
}

const TRIG_LIMIT = 2 ** 20;

function sinCosOf(x: number): [DD, DD] {
  const { r, q } = reduce(x);
  const [s, c] = sinCosDD(r);
  switch (q) {
    case 0:
      return [s, c];
    case 1:
      return [c, neg(s)];
    case 2:
      return [neg(s), neg(c)];
    default:
      return [neg(c), s];
  }
}

/** Correctly rounded sin for |x| < 2^20 (Math.sin beyond, and for tiny x where sin x rounds to x). */
export function sin(x: number): number {
  if (!(Math.abs(x) < TRIG_LIMIT) || Math.abs(x) < 2 ** -26) return Math.sin(x);
  const [h, l] = sinCosOf(x)[0];
  return h + l;
}

/** Correctly rounded cos for |x| < 2^20. */
export function cos(x: number): number {
  if (!(Math.abs(x) < TRIG_LIMIT) || Math.abs(x) < 2 ** -27) return Math.cos(x);
  const [h, l] = sinCosOf(x)[1];
  return h + l;
}

/** Correctly rounded tan for |x| < 2^20: sin/cos divided in double-double. */
export function tan(x: number): number {
  if (!(Math.abs(x) < TRIG_LIMIT) || Math.abs(x) < 2 ** -26) return Math.tan(x);
  const [s, c] = sinCosOf(x);
  const q = s[0] / c[0];
  // One correction: q + (s - q*c) / c.
  const [h, l] = add([q, 0], [add(s, neg(mul([q, 0], c)))[0] / c[0], 0]);
  return h + l;
}

/** Correctly rounded atan for 2^-26 <= |x| < 2^50: one Newton step from Math.atan on tan, in double-double. */
export function atan(x: number): number {
  const a = Math.abs(x);
  if (!(a >= 2 ** -26 && a < 2 ** 50)) return Math.atan(x);
  const y = Math.atan(x);
  const [s, c] = sinCosOf(y);
  // tan(y) = s/c; y' = y + (x - tan y) / (1 + x^2), with x - s/c = (x*c - s)/c.
  const num = add(mul([x, 0], c), neg(s));
  const dy = num[0] / c[0] / (1 + x * x);
  const [h, l] = fastTwoSum(y, dy);
  return h + l;
}

const INV_LN2: DD = [1.4426950408889634, 2.0355273740931033e-17];

/**
 * Correctly rounded log2 (log in double-double times 1/ln 2). There is no log10 here: glibc's log10 is not
 * correctly rounded, and JS's Math.log10 agrees with it more often than the correctly rounded one would.
 */
export function log2(x: number): number {
  if (!(x > 0 && x < Infinity)) return Math.log2(x);
  const [h, l] = mul(logDD(x), INV_LN2);
  return h + l;
}

/**
 * CPython's float_divmod (C truthiness: NaN counts as nonzero): the floor quotient from the exact remainder fmod(a, b), not floor(a / b), which
 * rounds first (1 // 0.1 is 9.0; inf // 2 is nan). b is not 0.
 */
export function floatDivmod(a: number, b: number): [number, number] {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  } else {
    mod = b < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = a / b < 0 || Object.is(a / b, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}
