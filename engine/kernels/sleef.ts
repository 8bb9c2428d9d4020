// float32 sin, cos, exp, log, tanh, expm1, log1p and sigmoid as PyTorch's CPU kernels compute them on x86 with AVX2: Sleef's
// 1-ulp functions (Sleef_sinf8_u10, cosf8_u10, expf8_u10, logf8_u10, tanhf8_u10, expm1f8_u10, log1pf8_u10;
// SLEEF 3.5), in float32 with fused
// multiply-adds, on every element: PyTorch 1.13 runs these through at::vml (vec::map), whose last partial
// vector goes through the same Sleef function (checked on every length 1 to 65 against Debian's PyTorch).
// sigmoid is different: a cpu_kernel_vec op, 1 / (1 + exp(-x)) with that exp in float32 on every whole pair of
// vectors (16 elements), and the C library's float exp (modelled by rounding the double result) on the rest.
// Each float32 operation is Math.fround of the exact result. A fused a*b+c is fround(a*b + c): a*b of two
// floats is exact in a double, so only the sum is rounded twice (to double, then float), which can differ
// from one rounding only when the double sum falls exactly halfway between two floats. Checked against
// Debian's PyTorch 1.13.1 (libsleef 3.5.1): see sleef.test.ts.
// Arguments of magnitude 125 and more take Sleef's other reduction (not ported here): those are rounded from
// the double result, which can be an ulp away from PyTorch's.

const fr = Math.fround;
const M_1_PI_F = fr(1 / Math.PI);
const PI_A2 = fr(3.1414794921875);
const PI_B2 = fr(0.00011315941810607910156);
const PI_C2 = fr(1.9841872589410058936e-9);
const S0 = fr(2.6083159809786593541503e-6);
const S1 = fr(-0.0001981069071916863322258);
const S2 = fr(0.00833307858556509017944336);
const S3 = fr(-0.166666597127914428710938);
const RANGE = 125;
const HALF_PI_A2 = fr(-PI_A2 * 0.5);
const HALF_PI_B2 = fr(-PI_B2 * 0.5);
const HALF_PI_C2 = fr(-PI_C2 * 0.5);

/** rint: to the nearest integer, ties to even (the rounding of vroundps and cvtps2dq). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The shared core of sinf_u1 and cosf_u1: sin of the double-float s = (sx, sy), |s| <= pi/2. */
function sinCore(sx: number, sy: number): number {
  // s² as a double-float (dfsqu).
  const qx = fr(sx * sx);
  const qy = fr(fr(sx + sx) * sy + fr(sx * sx - qx));
  let u = fr(S0 * qx + S1);
  u = fr(u * qx + S2);
  // 1 + (S3 + u·s²)·s², in double-float (dfadd, dfmul, dfadd).
  const a = fr(u * qx);
  const bx = fr(S3 + a);
  const by = fr(fr(S3 - bx) + a);
  const mx = fr(bx * qx);
  const my = fr(bx * qy + fr(by * qx + fr(bx * qx - mx)));
  const xx = fr(1 + mx);
  const xy = fr(fr(fr(1 - xx) + mx) + my);
  // s · that, rounded to a float (dfmul_vf_vf2_vf2).
  return fr(sx * xx + fr(sy * xx + fr(sx * xy)));
}

/** Sleef's xsinf_u1 on one float. */
export function sinf(d: number): number {
  if (!(Math.abs(d) < RANGE)) return fr(Math.sin(d));
  const u = rint(fr(d * M_1_PI_F));
  const v = fr(u * -PI_A2 + d);
  // dfadd2(v, u * -PI_B2), then dfadd(·, u * -PI_C2).
  const y1 = fr(u * -PI_B2);
  let sx = fr(v + y1);
  const w = fr(sx - v);
  let sy = fr(fr(v - fr(sx - w)) + fr(y1 - w));
  const y2 = fr(u * -PI_C2);
  const rx = fr(sx + y2);
  sy = fr(fr(fr(sx - rx) + y2) + sy);
  sx = rx;
  const r = sinCore(sx, sy);
  if (Object.is(d, -0)) return -0;
  return u % 2 !== 0 ? -r : r;
}

/** Sleef's xcosf_u1 on one float. */
export function cosf(d: number): number {
  if (!(Math.abs(d) < RANGE)) return fr(Math.cos(d));
  // q = 2·rint(d/pi - 1/2) + 1: the odd multiple of pi/2 nearest to d.
  const dq = fr(rint(fr(d * M_1_PI_F + -0.5)) * 2 + 1);
  // dfadd2(d, dq * -PI_A2/2), dfadd2(·, dq * -PI_B2/2), dfadd2(·, dq * -PI_C2/2).
  dfAdd2(d, 0, fr(dq * HALF_PI_A2));
  dfAdd2(hiOut, loOut, fr(dq * HALF_PI_B2));
  dfAdd2(hiOut, loOut, fr(dq * HALF_PI_C2));
  const r = sinCore(hiOut, loOut);
  return (dq & 2) === 0 ? -r : r;
}

/** out[i] = sin (or cos) of x[i] for i < n as PyTorch's float32 kernel gives it: Sleef on every element. */
export function sinCosF32(x: ArrayLike<number>, out: Float32Array, n: number, cos: boolean): void {
  if (cos) for (let i = 0; i < n; i++) out[i] = cosf(x[i]);
  else for (let i = 0; i < n; i++) out[i] = sinf(x[i]);
}

const R_LN2 = fr(1.442695040888963407359924681001892137426645954152985934135449406931);
const L2U = fr(0.693145751953125);
const L2L = fr(1.428606765330187045e-6);
const E0 = fr(0.000198527617612853646278381);
const E1 = fr(0.00139304355252534151077271);
const E2 = fr(0.00833336077630519866943359);
const E3 = fr(0.0416664853692054748535156);
const E4 = fr(0.166666671633720397949219);

/** Sleef's xexpf (1 ulp) on one float. */
export function expf(d: number): number {
  if (d !== d) return NaN;
  if (d < -104) return 0;
  if (d > 100) return Infinity;
  const q = rint(fr(d * R_LN2));
  let s = fr(q * -L2U + d);
  s = fr(q * -L2L + s);
  let u = fr(E0 * s + E1);
  u = fr(u * s + E2);
  u = fr(u * s + E3);
  u = fr(u * s + E4);
  u = fr(u * s + 0.5);
  u = fr(1 + fr(fr(s * s) * u + s));
  // ldexp2: two exact scalings by powers of two (each can round only into the subnormals).
  const h = q >> 1;
  return fr(fr(u * 2 ** h) * 2 ** (q - h));
}

const LN2_HI = fr(0.69314718246459960938);
const LN2_LO = fr(-1.904654323148236017e-9);
const L0 = fr(0.3027294874);
const L1 = fr(0.3996108174);
const L2 = fr(0.666669488);
const FOUR_THIRDS = fr(1 / 0.75);
const logBits = new Float32Array(1);
const logInt = new Int32Array(logBits.buffer);

/** Sleef's xlogf_u1 on one float. */
export function logf(v: number): number {
  if (v !== v || v < 0) return NaN;
  if (v === 0) return -Infinity;
  if (v === Infinity) return Infinity;
  const e = splitLog(v);
  logRatio(mantOut);
  return logFinish(e, hiOut, loOut);
}

let mantOut = 0;

/**
 * v = m · 2^e with m in [0.75, 1.5) (Sleef's ilogb2k and ldexp3; subnormals scaled by 2^64 first): returns e,
 * leaves m in mantOut.
 */
function splitLog(v: number): number {
  let d = v;
  const tiny = d < 1.1754943508222875e-38;
  if (tiny) d = fr(d * 18446744073709551616);
  logBits[0] = fr(d * FOUR_THIRDS);
  const e = ((logInt[0] >> 23) & 0xff) - 0x7f;
  mantOut = fr(d * 2 ** -e);
  return tiny ? e - 64 : e;
}

/** (m - 1) / (m + 1) as a double-float (dfadd2 of each, then dfdiv), into hiOut/loOut. */
function logRatio(m: number): void {
  const nx = fr(-1 + m);
  let w = fr(nx - -1);
  const ny = fr(fr(-1 - fr(nx - w)) + fr(m - w));
  const dx = fr(1 + m);
  w = fr(dx - 1);
  const dy = fr(fr(1 - fr(dx - w)) + fr(m - w));
  const t = fr(1 / dx);
  const qx = fr(nx * t);
  const u = fr(t * nx - qx);
  hiOut = qx;
  loOut = fr(qx * fr(fr(1 - dx * t) - dy * t) + fr(ny * t + u));
}

/** The end of xlogf_u1 and xlog1pf: e·ln2 + 2x + x³·t(x²) in double-float steps, x = (xx, xy). */
function logFinish(e: number, xx: number, xy: number): number {
  // s = ln2 (double-float) * e
  const sx0 = fr(LN2_HI * e);
  const sy0 = fr(LN2_LO * e + fr(LN2_HI * e - sx0));
  const x2 = fr(xx * xx);
  let tt = fr(L0 * x2 + L1);
  tt = fr(tt * x2 + L2);
  // s += 2x (dfadd_vf2_vf2_vf2), then s += x2 * x * t (dfadd_vf2_vf2_vf).
  const ax = fr(xx * 2);
  const ay = fr(xy * 2);
  let rx = fr(sx0 + ax);
  let ry = fr(fr(fr(fr(sx0 - rx) + ax) + sy0) + ay);
  const z = fr(fr(x2 * xx) * tt);
  const rx2 = fr(rx + z);
  ry = fr(fr(fr(rx - rx2) + z) + ry);
  rx = rx2;
  return fr(rx + ry);
}

/**
 * out[i] = f(x[i]) for i < n as PyTorch's float32 kernel gives it: exp and log Sleef's on every element (at::vml);
 * sigmoid with Sleef's exp on every whole pair of vectors (16 elements), the C library's on the rest.
 */
export function expLogSigmoidF32(x: ArrayLike<number>, out: Float32Array, n: number, op: 'exp' | 'log' | 'sigmoid'): void {
  if (op === 'exp') {
    for (let i = 0; i < n; i++) out[i] = expf(x[i]);
  } else if (op === 'log') {
    for (let i = 0; i < n; i++) out[i] = logf(x[i]);
  } else {
    const body = n - (n % 16);
    // PyTorch: (1 + exp(-x)).reciprocal() on vectors; 1 / (1 + std::exp(-x)) in float on the rest.
    for (let i = 0; i < body; i++) out[i] = fr(1 / fr(1 + expf(-x[i])));
    for (let i = body; i < n; i++) out[i] = fr(1 / fr(1 + fr(Math.exp(-x[i]))));
  }
}

const K0 = fr(0.1980960224e-3);
const K1 = fr(0.1394256484e-2);
const K2 = fr(0.8333456703e-2);
const K3 = fr(0.4166637361e-1);
const K4 = fr(0.166666659414234244790680580464);
let hiOut = 0;
let loOut = 0;

/** dfadd2_vf2_vf2_vf: (xx, xy) + y as a double-float, into hiOut/loOut. */
function dfAdd2(xx: number, xy: number, y: number): void {
  const rx = fr(xx + y);
  const v = fr(rx - xx);
  hiOut = rx;
  loOut = fr(fr(fr(xx - fr(rx - v)) + fr(y - v)) + xy);
}

/** Sleef's expk2f: e^x as a double-float for x >= 0 (tanh's argument), into hiOut/loOut. */
function expk2(x: number): void {
  const q = rint(fr(x * R_LN2));
  dfAdd2(x, 0, fr(q * -L2U));
  dfAdd2(hiOut, loOut, fr(q * -L2L));
  const sx = hiOut;
  const sy = loOut;
  let u = fr(K0 * sx + K1);
  u = fr(u * sx + K2);
  u = fr(u * sx + K3);
  // t = s*u + K4 (dfmul_vf2_vf2_vf, dfadd2 with a float)
  let mx = fr(sx * u);
  let my = fr(sy * u + fr(sx * u - mx));
  dfAdd2(mx, my, K4);
  let tx = hiOut;
  let ty = loOut;
  // t = s*t + 0.5 (dfmul_vf2_vf2_vf2)
  mx = fr(sx * tx);
  my = fr(sx * ty + fr(sy * tx + fr(sx * tx - mx)));
  dfAdd2(mx, my, 0.5);
  tx = hiOut;
  ty = loOut;
  // t = s + s²·t (dfsqu, dfmul_vf2_vf2_vf2, dfadd2_vf2_vf2_vf2)
  const qx = fr(sx * sx);
  const qy = fr(fr(sx + sx) * sy + fr(sx * sx - qx));
  mx = fr(qx * tx);
  my = fr(qx * ty + fr(qy * tx + fr(qx * tx - mx)));
  const rx = fr(sx + mx);
  const v = fr(rx - sx);
  const ry = fr(fr(fr(sx - fr(rx - v)) + fr(mx - v)) + fr(sy + my));
  // t = 1 + t (dfadd_vf2_vf_vf2), then both halves scaled by 2^q.
  const ox = fr(1 + rx);
  const oy = fr(fr(fr(1 - ox) + rx) + ry);
  const h = q >> 1;
  hiOut = fr(fr(ox * 2 ** h) * 2 ** (q - h));
  loOut = fr(fr(oy * 2 ** h) * 2 ** (q - h));
}

/** Sleef's xtanhf (1 ulp) on one float. */
export function tanhf(x: number): number {
  if (x !== x) return NaN;
  const y = Math.abs(x);
  if (y > 8.664339742) return x < 0 ? -1 : 1;
  expk2(y);
  const dx = hiOut;
  const dy = loOut;
  // e = 1/d (dfrec_vf2_vf2)
  const ex = fr(1 / dx);
  const ey = fr(ex * fr(fr(1 - dx * ex) - dy * ex));
  // n = d - e, m = d + e (dfadd_vf2_vf2_vf2)
  const nx = fr(dx - ex);
  const ny = fr(fr(fr(fr(dx - nx) - ex) + dy) - ey);
  const mx = fr(dx + ex);
  const my = fr(fr(fr(fr(dx - mx) + ex) + dy) + ey);
  // n / m (dfdiv_vf2_vf2_vf2)
  const t = fr(1 / mx);
  const qx = fr(nx * t);
  const u = fr(t * nx - qx);
  const qy = fr(fr(1 - mx * t) - my * t);
  const r = fr(qx + fr(qx * qy + fr(ny * t + u)));
  const out = r !== r ? 1 : r;
  return x < 0 || Object.is(x, -0) ? -out : out;
}

/** tanh for float32 as PyTorch's kernel gives it: Sleef on every element (at::vml). */
export function tanhF32(x: ArrayLike<number>, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = tanhf(x[i]);
}

/** Sleef's xexpm1f (1 ulp) on one float. */
export function expm1f(a: number): number {
  if (a !== a) return NaN;
  if (a > 88.72283172607421875) return Infinity;
  if (a < -16.635532333438687426013570) return -1;
  if (Object.is(a, -0)) return -0;
  expk2(a);
  dfAdd2(hiOut, loOut, -1);
  return fr(hiOut + loOut);
}

/** Sleef's xlog1pf (1 ulp) on one float. */
export function log1pf(d: number): number {
  if (d !== d || d < -1) return NaN;
  if (d === -1) return -Infinity;
  if (d > 1e38) return Infinity;
  if (Object.is(d, -0)) return -0;
  let dp1 = fr(d + 1);
  const tiny = dp1 < 1.1754943508222875e-38;
  if (tiny) dp1 = fr(dp1 * 18446744073709551616);
  logBits[0] = fr(dp1 * FOUR_THIRDS);
  let e = ((logInt[0] >> 23) & 0xff) - 0x7f;
  const t = 2 ** -e;
  const m = fr(d * t + fr(t - 1));
  if (tiny) e -= 64;
  // x = m / (2 + m) as a double-float (dfadd_vf2_vf_vf, then dfdiv with a numerator (m, 0)).
  const dx = fr(2 + m);
  const dy = fr(fr(2 - dx) + m);
  const r = fr(1 / dx);
  const qx = fr(m * r);
  const u = fr(r * m - qx);
  return logFinish(e, qx, fr(qx * fr(fr(1 - dx * r) - dy * r) + u));
}

/** expm1 or log1p for float32 as PyTorch's kernel gives it: Sleef on every element (at::vml). */
export function expm1Log1pF32(x: ArrayLike<number>, out: Float32Array, n: number, op: 'expm1' | 'log1p'): void {
  if (op === 'expm1') for (let i = 0; i < n; i++) out[i] = expm1f(x[i]);
  else for (let i = 0; i < n; i++) out[i] = log1pf(x[i]);
}

const LK0 = fr(0.240320354700088500976562);
const LK1 = fr(0.285112679004669189453125);
const LK2 = fr(0.400007992982864379882812);
const LKC_HI = fr(0.66666662693023681640625);
const LKC_LO = fr(3.69183861259614332084311e-9);
const EK0 = fr(0.00136324646882712841033936);
const EK1 = fr(0.00836596917361021041870117);
const EK2 = fr(0.0416710823774337768554688);
const EK3 = fr(0.166665524244308471679688);
const EK4 = fr(0.499999850988388061523438);

/** Sleef's logkf: log(d) as a double-float (d > 0, finite), into hiOut/loOut. */
function logk(v: number): void {
  const e = splitLog(v);
  logRatio(mantOut);
  const xx = hiOut;
  const xy = loOut;
  // x2 = x² (dfsqu)
  const x2x = fr(xx * xx);
  const x2y = fr(fr(xx + xx) * xy + fr(xx * xx - x2x));
  let tt = fr(LK0 * x2x + LK1);
  tt = fr(tt * x2x + LK2);
  // s = ln2 * e (dfmul_vf2_vf2_vf), s += 2x (dfadd_vf2_vf2_vf2)
  let sx = fr(LN2_HI * e);
  let sy = fr(LN2_LO * e + fr(LN2_HI * e - sx));
  const ax = fr(xx * 2);
  const ay = fr(xy * 2);
  let rx = fr(sx + ax);
  sy = fr(fr(fr(fr(sx - rx) + ax) + sy) + ay);
  sx = rx;
  // a = x2 * x (dfmul_vf2_vf2_vf2); b = x2 * t + c (dfmul_vf2_vf2_vf, dfadd2_vf2_vf2_vf2); s += a * b
  const px = fr(x2x * xx);
  const py = fr(x2x * xy + fr(x2y * xx + fr(x2x * xx - px)));
  const qx = fr(x2x * tt);
  const qy = fr(x2y * tt + fr(x2x * tt - qx));
  const bx = fr(qx + LKC_HI);
  const bv = fr(bx - qx);
  const by = fr(fr(fr(qx - fr(bx - bv)) + fr(LKC_HI - bv)) + fr(qy + LKC_LO));
  const cx = fr(px * bx);
  const cy = fr(px * by + fr(py * bx + fr(px * bx - cx)));
  rx = fr(sx + cx);
  hiOut = rx;
  loOut = fr(fr(fr(fr(sx - rx) + cx) + sy) + cy);
}

/**
 * Sleef's vldexp_vf_vf_vi2: x * 2^q as four multiplications by 2^(m) and one by 2^(q - 4m), each rounded to
 * float (in the subnormal range the steps round more than once, as Sleef's do).
 */
function ldexpk(x: number, q: number): number {
  let m = q >> 31;
  m = (((m + q) >> 6) - m) << 4;
  const rest = q - (m << 2);
  m += 0x7f;
  if (m < 0) m = 0;
  if (m > 0xff) m = 0xff;
  const u = m === 0 ? 0 : 2 ** (m - 127);
  const r = fr(fr(fr(fr(x * u) * u) * u) * u);
  return fr(r * 2 ** rest);
}

/** Sleef's expkf: e^(dx + dy) for a double-float argument. */
function expk(dx: number, dy: number): number {
  const q = rint(fr(fr(dx + dy) * R_LN2));
  dfAdd2(dx, dy, fr(q * -L2U));
  dfAdd2(hiOut, loOut, fr(q * -L2L));
  // dfnormalize
  let sx = fr(hiOut + loOut);
  const sy = fr(fr(hiOut - sx) + loOut);
  let u = fr(EK0 * sx + EK1);
  u = fr(u * sx + EK2);
  u = fr(u * sx + EK3);
  u = fr(u * sx + EK4);
  // t = s + s² * u (dfsqu, dfmul_vf2_vf2_vf, dfadd_vf2_vf2_vf2)
  const qx = fr(sx * sx);
  const qy = fr(fr(sx + sx) * sy + fr(sx * sx - qx));
  const mx = fr(qx * u);
  const my = fr(qy * u + fr(qx * u - mx));
  const tx = fr(sx + mx);
  const ty = fr(fr(fr(fr(sx - tx) + mx) + sy) + my);
  sx = tx;
  // 1 + t (dfadd_vf2_vf_vf2), then ldexp by q
  const ox = fr(1 + sx);
  const oy = fr(fr(fr(1 - ox) + sx) + ty);
  return dx < -104 ? 0 : ldexpk(fr(ox + oy), q);
}

/** Sleef's xpowf (1 ulp) on floats x, y. */
export function powf(x: number, y: number): number {
  if (x !== x || y !== y) return y === 0 || x === 1 ? 1 : NaN;
  if (y === 0 || x === 1) return 1;
  const ty = Math.trunc(y);
  const yIsInt = ty === y || Math.abs(y) > 16777216;
  const yIsOdd = yIsInt && Math.abs(y) < 16777216 && (ty & 1) === 1;
  const ax = Math.abs(x);
  if (Math.abs(y) === Infinity) {
    const efx = (ax - 1) * (y < 0 ? -1 : 1);
    return efx < 0 ? 0 : efx === 0 ? 1 : Infinity;
  }
  if (ax === Infinity || x === 0) {
    const sign = yIsOdd ? (Object.is(x, -0) || x < 0 ? -1 : 1) : 1;
    return sign * ((x === 0 ? -y : y) < 0 ? 0 : Infinity);
  }
  logk(ax);
  const lx = hiOut;
  const ly = loOut;
  // dfmul_vf2_vf2_vf(log|x|, y)
  const px = fr(lx * y);
  const py = fr(ly * y + fr(lx * y - px));
  let r = expk(px, py);
  if (r !== r) r = Infinity;
  const sign = x > 0 ? 1 : yIsInt ? (yIsOdd ? -1 : 1) : NaN;
  return fr(r * sign);
}
