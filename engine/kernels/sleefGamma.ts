// float32 lgamma as PyTorch 1.13's CPU kernel computes it on x86 with AVX2: Sleef's Sleef_lgammaf8_u10 (SLEEF
// 3.5, xlgammaf_u1: gammafk and logk2f in double-float arithmetic with fused multiply-adds) on every element,
// through at::vml like ./sleef's functions. Each float operation is Math.fround of the exact result; a fused
// a*b+c is fround(a*b + c) (the product of two floats is exact in a double). Checked against Debian's PyTorch
// 1.13.1 (libsleef 3.5.1) over 500,000 arguments: see gamma.test.ts.

import { fmaf } from './gamma';

const fr = Math.fround;
type DF = [number, number];

const fma = fmaf;
/** a*b − c, fused (vfmapn). */
const fmapn = (a: number, b: number, c: number): number => fmaf(a, b, -c);
/** c − a*b, fused (vfmanp). */
const fmanp = (a: number, b: number, c: number): number => fmaf(-a, b, c);

/** A double split into two floats (vcast_vf2_d). */
const df = (d: number): DF => [fr(d), fr(d - fr(d))];
const dfNeg = (x: DF): DF => [-x[0], -x[1]];
const dfAbs = (x: DF): DF => (x[0] < 0 || Object.is(x[0], -0) ? [-x[0], -x[1]] : x);
function dfNormalize(t: DF): DF {
  const sx = fr(t[0] + t[1]);
  return [sx, fr(fr(t[0] - sx) + t[1])];
}
const dfScale = (d: DF, s: number): DF => [fr(d[0] * s), fr(d[1] * s)];
function dfAdd2FF(x: number, y: number): DF {
  const rx = fr(x + y);
  const v = fr(rx - x);
  return [rx, fr(fr(x - fr(rx - v)) + fr(y - v))];
}
function dfAdd2FDf(x: number, y: DF): DF {
  const rx = fr(x + y[0]);
  const v = fr(rx - x);
  return [rx, fr(fr(fr(x - fr(rx - v)) + fr(y[0] - v)) + y[1])];
}
function dfAdd2DfF(x: DF, y: number): DF {
  const rx = fr(x[0] + y);
  const v = fr(rx - x[0]);
  return [rx, fr(fr(fr(x[0] - fr(rx - v)) + fr(y - v)) + x[1])];
}
function dfAdd2(x: DF, y: DF): DF {
  const rx = fr(x[0] + y[0]);
  const v = fr(rx - x[0]);
  return [rx, fr(fr(fr(x[0] - fr(rx - v)) + fr(y[0] - v)) + fr(x[1] + y[1]))];
}
/** dfadd_vf2_vf2_vf2 (|x| ≥ |y|). */
function dfAdd(x: DF, y: DF): DF {
  const rx = fr(x[0] + y[0]);
  return [rx, fr(fr(fr(fr(x[0] - rx) + y[0]) + x[1]) + y[1])];
}
function dfMulFF(x: number, y: number): DF {
  const rx = fr(x * y);
  return [rx, fmapn(x, y, rx)];
}
function dfMulDfF(x: DF, y: number): DF {
  const rx = fr(x[0] * y);
  return [rx, fma(x[1], y, fmapn(x[0], y, rx))];
}
function dfMul(x: DF, y: DF): DF {
  const rx = fr(x[0] * y[0]);
  return [rx, fma(x[0], y[1], fma(x[1], y[0], fmapn(x[0], y[0], rx)))];
}
function dfSqu(x: DF): DF {
  const rx = fr(x[0] * x[0]);
  return [rx, fma(fr(x[0] + x[0]), x[1], fmapn(x[0], x[0], rx))];
}
function dfDiv(n: DF, d: DF): DF {
  const t = fr(1 / d[0]);
  const qx = fr(n[0] * t);
  const u = fmapn(t, n[0], qx);
  let qy = fmanp(d[1], t, fmanp(d[0], t, 1));
  qy = fma(qx, qy, fma(n[1], t, u));
  return [qx, qy];
}

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** Sleef's vilogbk: the exponent of d (subnormals scaled by 2^64 first). */
function ilogbk(d: number): number {
  const tiny = d < 5.421010862427522e-20;
  if (tiny) d = fr(1.8446744073709552e19 * d);
  F32[0] = d;
  return ((I32[0] >>> 23) & 0xff) - (tiny ? 64 + 0x7f : 0x7f);
}
const pow2i = (q: number): number => 2 ** q;

const LN2_DF: DF = [fr(0.69314718246459960938), fr(-1.904654323148236017e-9)];
const LK = [0.2392828464508056640625, 0.28518211841583251953125, 0.400005877017974853515625, 0.666666686534881591796875].map(fr);
const FOUR_THIRDS = fr(1 / 0.75);

/** Sleef's logk2f: log of a double-float. */
function logk2f(d: DF): DF {
  const e = ilogbk(fr(d[0] * FOUR_THIRDS));
  const m = dfScale(d, pow2i(-e));
  const x = dfDiv(dfAdd2DfF(m, -1), dfAdd2DfF(m, 1));
  const x2 = dfSqu(x);
  let t = LK[0];
  t = fma(t, x2[0], LK[1]);
  t = fma(t, x2[0], LK[2]);
  t = fma(t, x2[0], LK[3]);
  let s = dfMulDfF(LN2_DF, e);
  s = dfAdd(s, dfScale(x, 2));
  s = dfAdd(s, dfMulDfF(dfMul(x2, x), t));
  return s;
}

const SINPI_U = [[-0.2430611801e-7, 0.3093842054e-6], [0.3590577080e-5, -0.3657307388e-4], [-0.3259917721e-3, 0.2490393585e-2]].map((p) => p.map(fr));
const SINPI_A: [DF, DF] = [[fr(0.015854343771934509277), fr(4.4940051354032242811e-10)], [fr(-0.080745510756969451904), fr(-1.3373665339076936258e-9)]];
const SINPI_B: [DF, DF] = [[fr(-0.30842512845993041992), fr(-9.0728339030733922277e-9)], [fr(0.78539818525314331055), fr(-2.1857338617566484855e-8)]];

/** Sleef's sinpifk: sin(π·d) as a double-float. */
function sinpifk(d: number): DF {
  const u0 = fr(d * 4);
  let q = Math.trunc(u0) | 0;
  q = (q + ((q >>> 31) ^ 1)) & ~1;
  const o = (q & 2) === 2;
  const k = o ? 0 : 1;
  let s = fr(u0 - q);
  const t = s;
  s = fr(s * s);
  const s2 = dfMulFF(t, t);
  let u = SINPI_U[0][k];
  u = fma(u, s, SINPI_U[1][k]);
  u = fma(u, s, SINPI_U[2][k]);
  let x = dfAdd2FDf(fr(u * s), SINPI_A[k]);
  x = dfAdd2(dfMul(s2, x), SINPI_B[k]);
  x = dfMul(x, o ? s2 : [t, 0]);
  if (o) x = dfAdd2DfF(x, 1);
  if ((q & 4) === 4) x = [-x[0], -x[1]];
  return x;
}

const sel3 = (o2: boolean, o0: boolean, a: number, b: number, c: number): number => fr(o2 ? a : o0 ? b : c);
const GAMMA_U: [number, number, number][] = [
  [0.000839498720672087279971000786, 0.9435157776e+0, 0.1102489550e-3],
  [-5.17179090826059219329394422e-05, 0.8670063615e+0, 0.8160019934e-4],
  [-0.000592166437353693882857342347, 0.4826702476e+0, 0.1528468856e-3],
  [6.97281375836585777403743539e-05, -0.8855129778e-1, -0.2355068718e-3],
  [0.000784039221720066627493314301, 0.1013825238e+0, 0.4962242092e-3],
  [-0.000229472093621399176949318732, -0.1493408978e+0, -0.1193488017e-2],
  [-0.002681327160493827160473958490, 0.1697509140e+0, 0.2891599433e-2],
  [0.003472222222222222222175164840, -0.2072454542e+0, -0.7385451812e-2],
  [0.083333333333333333335592087900, 0.2705872357e+0, 0.2058077045e-1],
];
const HALF_LOG_2PI = df(0.91893853320467278056);
const LOG_PI = df(1.1447298858494001639);
const LOG_2_60 = df(41.58883083359671856503);
const TWO_60 = fr(2 ** 30 * fr(2 ** 30));

/** Sleef's gammafk: lgamma(a) = a + log|b| (and Γ(a) = e^a · b). */
function gammafk(a: number): [DF, DF] {
  let clln: DF = [1, 0];
  let clld: DF = [1, 0];
  const otiny = Math.abs(a) < 1e-30;
  const oref = a < 0.5;
  let x: DF = otiny ? [0, 0] : oref ? dfAdd2FF(1, -a) : [a, 0];
  const o0 = 0.5 <= x[0] && x[0] <= fr(1.2);
  const o2 = fr(2.3) <= x[0];
  let y = dfNormalize(dfMul(dfAdd2DfF(x, 1), x));
  y = dfNormalize(dfMul(dfAdd2DfF(x, 2), y));
  const o = o2 && x[0] <= 7;
  if (o) clln = y;
  if (o) x = dfAdd2DfF(x, 3);
  const t = o2 ? fr(1 / x[0]) : dfNormalize(dfAdd2DfF(x, o0 ? -1 : -2))[0];
  let u = sel3(o2, o0, ...GAMMA_U[0]);
  for (let i = 1; i < GAMMA_U.length; i++) u = fma(u, t, sel3(o2, o0, ...GAMMA_U[i]));
  let yy = dfMul(dfAdd2DfF(x, -0.5), logk2f(x));
  yy = dfAdd2(yy, dfNeg(x));
  yy = dfAdd2(yy, HALF_LOG_2PI);
  let z = dfAdd2DfF(dfMulFF(u, t), fr(o0 ? -0.400686534596170958447352690395e+0 : -0.673523028297382446749257758235e-1));
  z = dfAdd2DfF(dfMulDfF(z, t), fr(o0 ? 0.822466960142643054450325495997e+0 : 0.322467033928981157743538726901e+0));
  z = dfAdd2DfF(dfMulDfF(z, t), fr(o0 ? -0.577215665946766039837398973297e+0 : 0.422784335087484338986941629852e+0));
  z = dfMulDfF(z, t);
  let clc = o2 ? yy : z;
  if (o2) clld = dfAdd2DfF(dfMulFF(u, t), 1);
  y = clln;
  clc = otiny ? LOG_2_60 : oref ? dfAdd2(LOG_PI, dfNeg(clc)) : clc;
  clln = otiny ? [1, 0] : oref ? clln : clld;
  if (oref) {
    const tt = fr(a - fr(4096 * fr(Math.trunc(fr(a * fr(1 / 4096))))));
    x = dfMul(clld, sinpifk(tt));
  }
  clld = otiny ? [fr(a * TWO_60), 0] : oref ? x : y;
  return [clc, dfDiv(clln, clld)];
}

/** Sleef's xlgammaf_u1 on one float. */
export function lgammaf(a: number): number {
  if (a !== a) return NaN;
  if (a === Infinity || a === -Infinity || (a <= 0 && Math.trunc(a) === a)) return Infinity;
  const [da, db] = gammafk(a);
  const y = dfAdd2(da, logk2f(dfAbs(db)));
  const r = fr(y[0] + y[1]);
  return r !== r ? Infinity : r;
}
