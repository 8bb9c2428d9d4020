// float32 sin and cos as PyTorch's CPU kernels compute them on x86 with AVX2: Sleef's sinf/cosf with 1-ulp
// accuracy (Sleef_sinf8_u10, Sleef_cosf8_u10, SLEEF 3.5), in float32 with fused multiply-adds, for every whole
// pair of 8-lane vectors of a contiguous tensor; the last n % 16 elements go through the C library's sinf and
// cosf, which agree with the correctly rounded value (modelled by rounding the double result).
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
  let sx = d;
  let sy = 0;
  for (const c of [PI_A2, PI_B2, PI_C2]) {
    const y = fr(dq * fr(-c * 0.5));
    const rx = fr(sx + y);
    const w = fr(rx - sx);
    sy = fr(fr(fr(sx - fr(rx - w)) + fr(y - w)) + sy);
    sx = rx;
  }
  const r = sinCore(sx, sy);
  return (dq & 2) === 0 ? -r : r;
}

/**
 * out[i] = sin (or cos) of x[i] for i < n as PyTorch's float32 kernel gives it: Sleef on every whole pair of
 * vectors (16 elements), the C library on the rest.
 */
export function sinCosF32(x: ArrayLike<number>, out: Float32Array, n: number, cos: boolean): void {
  const body = n - (n % 16);
  if (cos) {
    for (let i = 0; i < body; i++) out[i] = cosf(x[i]);
    for (let i = body; i < n; i++) out[i] = Math.cos(x[i]);
  } else {
    for (let i = 0; i < body; i++) out[i] = sinf(x[i]);
    for (let i = body; i < n; i++) out[i] = Math.sin(x[i]);
  }
}
