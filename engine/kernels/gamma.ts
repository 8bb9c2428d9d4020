// The gamma family's scalar kernels as PyTorch 1.13's CPU kernels compute them, value for value:
// - digamma, trigamma (polygamma(1)) and polygamma(n ≥ 2) are ATen/native/Math.h's calc_digamma, trigamma and
//   calc_polygamma (from Cephes): float arithmetic for float32 and double for float64; zeta sums in double for
//   both, and n! is exp(lgamma(n + 1)) in double, the C library's;
// - float32 lgamma is Sleef's (./sleefGamma); lgamma here is glibc's double one (fdlibm's e_lgamma_r.c), which
//   polygamma's n! uses.
//
// Note: float arithmetic is C's with FLT_EVAL_METHOD 0, each operation rounded to float (Math.fround). Math.h
// calls the C library's logf and sinf: glibc 2.36's logf is ported below (its FMA build, as x86-64 selects);
// its sinf computes in double and rounds once, which the correctly rounded double sine rounded to float
// reproduces. PyTorch's AVX2 kernels are compiled with FMA contraction, so Math.h's polynomial steps
// `p * z + a` are one fused operation there (fmaf).
import * as libm from '../lang/libm';

const fr = Math.fround;
const F32 = new Float32Array(1);
const U32F = new Uint32Array(F32.buffer);
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** The double whose high word is `hi` and low word 0 (fdlibm compares high words). */
function doubleOfHigh(hi: number): number {
  U32[0] = 0;
  U32[1] = hi >>> 0;
  return F64[0];
}

/**
 * float fma(a, b, c), correctly rounded: the product of two floats is exact in a double, and the double sum's
 * rounding error is recovered (two-sum) to settle a sum that lands exactly halfway between two floats.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const v = s - p;
  const e = p - (s - v) + (c - v);
  const r = fr(s);
  if (e === 0 || r === s || !Number.isFinite(r)) return r;
  F32[0] = r;
  U32F[0] += (s > r) === (r > 0) ? 1 : -1;
  const other = F32[0];
  // Not halfway: the double sum rounds as the exact one would.
  if (Math.abs(s - r) !== Math.abs(other - s)) return r;
  return (e > 0) === (other > r) ? other : r;
}

const SPLIT = 134217729; // 2^27 + 1
/** double fma(a, b, c): a·b exactly (Dekker's product), then the sum rounded once (but for double roundings). */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  const v = s - p;
  return s + (p - (s - v) + (c - v) + e);
}

/** A C99 hexadecimal float literal ('-0x1.57bf7808caadep-2'). */
function hexFloat(s: string): number {
  const m = /^(-?)0x([0-9a-f]*)\.?([0-9a-f]*)p([+-]?\d+)$/i.exec(s)!;
  return (m[1] ? -1 : 1) * parseInt(m[2] + m[3], 16) * 2 ** (Number(m[4]) - 4 * m[3].length);
}

const LOGF_TAB = `0x1.661ec79f8f3bep+0 -0x1.57bf7808caadep-2 0x1.571ed4aaf883dp+0 -0x1.2bef0a7c06ddbp-2 0x1.49539f0f010bp+0
  -0x1.01eae7f513a67p-2 0x1.3c995b0b80385p+0 -0x1.b31d8a68224e9p-3 0x1.30d190c8864a5p+0 -0x1.6574f0ac07758p-3 0x1.25e227b0b8eap+0
  -0x1.1aa2bc79c81p-3 0x1.1bb4a4a1a343fp+0 -0x1.a4e76ce8c0e5ep-4 0x1.12358f08ae5bap+0 -0x1.1973c5a611cccp-4 0x1.0953f419900a7p+0
  -0x1.252f438e10c1ep-5 0x1p+0 0x0p+0 0x1.e608cfd9a47acp-1 0x1.aa5aa5df25984p-5 0x1.ca4b31f026aap-1 0x1.c5e53aa362eb4p-4
  0x1.b2036576afce6p-1 0x1.526e57720db08p-3 0x1.9c2d163a1aa2dp-1 0x1.bc2860d22477p-3 0x1.886e6037841edp-1 0x1.1058bc8a07ee1p-2
  0x1.767dcf5534862p-1 0x1.4043057b6ee09p-2`.trim().split(/\s+/).map(hexFloat);
const LOGF_LN2 = hexFloat('0x1.62e42fefa39efp-1');
const LOGF_POLY = ['-0x1.00ea348b88334p-2', '0x1.5575b0be00b6ap-2', '-0x1.ffffef20a4123p-2'].map(hexFloat);

/** glibc's logf (sysdeps/ieee754/flt-32/e_logf.c, the FMA build): a 16-entry table and a cubic, in double. */
export function logf(x: number): number {
  F32[0] = x;
  let ix = U32F[0];
  if (ix === 0x3f800000) return 0;
  if (ix - 0x00800000 >= 0x7f800000 - 0x00800000 || ix < 0x00800000) {
    if ((ix & 0x7fffffff) === 0) return -Infinity;
    if (ix === 0x7f800000) return x;
    if (ix & 0x80000000 || ix > 0x7f800000) return NaN;
    // A subnormal: normalised by 2^23.
    F32[0] = fr(x * 2 ** 23);
    ix = U32F[0] - (23 << 23);
  }
  const tmp = (ix - 0x3f330000) >>> 0;
  const i = (tmp >>> 19) % 16;
  const k = (tmp | 0) >> 23;
  U32F[0] = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const z = F32[0];
  const r = fma(z, LOGF_TAB[2 * i], -1);
  const y0 = fma(k, LOGF_LN2, LOGF_TAB[2 * i + 1]);
  const r2 = r * r;
  let y = fma(LOGF_POLY[1], r, LOGF_POLY[2]);
  y = fma(LOGF_POLY[0], r2, y);
  y = fma(y, r2, y0 + r);
  return fr(y);
}

const SINCOSF = {
  hpiInv: hexFloat('0x1.45F306DC9C883p+23'),
  hpi: hexFloat('0x1.921FB54442D18p0'),
  c: [1, hexFloat('-0x1.ffffffd0c621cp-2'), hexFloat('0x1.55553e1068f19p-5'), hexFloat('-0x1.6c087e89a359dp-10'), hexFloat('0x1.99343027bf8c3p-16')],
  s: [hexFloat('-0x1.555545995a603p-3'), hexFloat('0x1.1107605230bc4p-7'), hexFloat('-0x1.994eb3774cf24p-13')],
};
const INV_PIO4 = [0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529, 0x441529fc, 0x1529fc27,
  0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0, 0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599,
  0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041].map(BigInt);
/** The sign of the sine in quadrants 0..3. */
const QUADRANT_SIGN = [1, -1, -1, 1];
const PI63 = hexFloat('0x1.921FB54442D18p-62');
const M64 = (1n << 64n) - 1n;

/** sin (even quadrant n) or ±cos (odd; negated by `negate`) of the reduced x, glibc's sinf_poly. */
function sinfPoly(x: number, x2: number, n: number, negate: boolean): number {
  if ((n & 1) === 0) {
    const x3 = x * x2;
    const s1 = fma(x2, SINCOSF.s[2], SINCOSF.s[1]);
    const x7 = x3 * x2;
    const s = fma(x3, SINCOSF.s[0], x);
    return fr(fma(x7, s1, s));
  }
  const k = negate ? -1 : 1;
  const x4 = x2 * x2;
  const c2 = fma(x2, k * SINCOSF.c[4], k * SINCOSF.c[3]);
  const c1 = fma(x2, k * SINCOSF.c[1], k * SINCOSF.c[0]);
  const x6 = x4 * x2;
  const c = fma(x4, k * SINCOSF.c[2], c1);
  return fr(fma(x6, c2, c));
}

/**
 * glibc's sinf (sysdeps/ieee754/flt-32/s_sinf.c, the FMA build): the float argument reduced in double (one
 * multiply-subtract below 120, 4/π to 192 bits above), then a polynomial in double rounded once.
 */
export function sinf(y: number): number {
  const ay = Math.abs(y);
  if (ay < 0.75) return ay < 2 ** -12 ? y : sinfPoly(y, y * y, 0, false);
  if (ay < 120) {
    const r = y * SINCOSF.hpiInv;
    const n = ((Math.trunc(r) | 0) + 0x800000) >> 24;
    const x = fma(-n, SINCOSF.hpi, y);
    return sinfPoly(x * QUADRANT_SIGN[n & 3], x * x, n, (n & 2) !== 0);
  }
  if (ay === Infinity || y !== y) return NaN;
  F32[0] = y;
  const bits = U32F[0];
  const sign = bits >>> 31;
  const shift = BigInt((bits >>> 23) & 7);
  const base = (bits >>> 26) & 15;
  const xi = (BigInt((bits & 0xffffff) | 0x800000) << shift) & 0xffffffffn;
  let res0 = (xi * INV_PIO4[base]) & 0xffffffffn;
  const res1 = xi * INV_PIO4[base + 4];
  const res2 = xi * INV_PIO4[base + 8];
  res0 = ((res2 >> 32n) | (res0 << 32n)) & M64;
  res0 = (res0 + res1) & M64;
  const nBig = ((res0 + (1n << 61n)) & M64) >> 62n;
  res0 = (res0 - (nBig << 62n)) & M64;
  const x = Number(BigInt.asIntN(64, res0)) * PI63;
  const n = Number(nBig);
  const q = (n + sign) & 3;
  return sinfPoly(x * QUADRANT_SIGN[q], x * x, n, (q & 2) !== 0);
}
const PI_F = fr(Math.PI);

const LN2_HI_F = fr(6.9313812256e-01);
const LN2_LO_F = fr(9.0580006145e-06);
const LP = [1.4798198640e-01, 1.5313838422e-01, 1.8183572590e-01, 2.2222198546e-01, 2.8571429849e-01, 4.0000000596e-01, 6.6666668653e-01].map(fr);
const TWO_THIRDS_F = fr(0.66666666666666666);

/** glibc's log1pf (fdlibm's s_log1pf.c), in float arithmetic. */
export function log1pf(x: number): number {
  F32[0] = x;
  const hx = U32F[0] | 0;
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3ed413d7) {
    if (ax >= 0x3f800000) return x === -1 ? -Infinity : NaN;
    if (ax < 0x31000000) return ax < 0x24800000 ? x : fr(x - fr(fr(x * x) * 0.5));
    if (hx > 0 || hx <= (0xbe95f61f | 0)) {
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7f800000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x5a000000) {
      u = fr(1 + x);
      F32[0] = u;
      hu = U32F[0] | 0;
      k = (hu >> 23) - 127;
      c = k > 0 ? fr(1 - fr(u - x)) : fr(x - fr(u - 1));
      c = fr(c / u);
    } else {
      u = x;
      hu = hx;
      k = (hu >> 23) - 127;
      c = 0;
    }
    hu &= 0x007fffff;
    if (hu < 0x3504f7) {
      U32F[0] = hu | 0x3f800000;
    } else {
      k += 1;
      U32F[0] = hu | 0x3f000000;
      hu = (0x00800000 - hu) >> 2;
    }
    f = fr(F32[0] - 1);
  }
  const hfsq = fr(fr(0.5 * f) * f);
  const kf = fr(k);
  if (hu === 0) {
    if (f === 0) return k === 0 ? 0 : fr(fr(kf * LN2_HI_F) + fr(c + fr(kf * LN2_LO_F)));
    const R = fr(hfsq * fr(1 - fr(TWO_THIRDS_F * f)));
    return k === 0 ? fr(f - R) : fr(fr(kf * LN2_HI_F) - fr(fr(R - fr(fr(kf * LN2_LO_F) + c)) - f));
  }
  const s = fr(f / fr(2 + f));
  const z = fr(s * s);
  let R = LP[0];
  for (let i = 1; i < LP.length; i++) R = fr(LP[i] + fr(z * R));
  R = fr(z * R);
  if (k === 0) return fr(f - fr(hfsq - fr(s * fr(hfsq + R))));
  return fr(fr(kf * LN2_HI_F) - fr(fr(hfsq - fr(fr(s * fr(hfsq + R)) + fr(fr(kf * LN2_LO_F) + c))) - f));
}

const EXP2F_TAB = `0x3ff0000000000000 0x3fefd9b0d3158574 0x3fefb5586cf9890f 0x3fef9301d0125b51 0x3fef72b83c7d517b 0x3fef54873168b9aa
  0x3fef387a6e756238 0x3fef1e9df51fdee1 0x3fef06fe0a31b715 0x3feef1a7373aa9cb 0x3feedea64c123422 0x3feece086061892d 0x3feebfdad5362a27
  0x3feeb42b569d4f82 0x3feeab07dd485429 0x3feea47eb03a5585 0x3feea09e667f3bcd 0x3fee9f75e8ec5f74 0x3feea11473eb0187 0x3feea589994cce13
  0x3feeace5422aa0db 0x3feeb737b0cdc5e5 0x3feec49182a3f090 0x3feed503b23e255d 0x3feee89f995ad3ad 0x3feeff76f2fb5e47 0x3fef199bdd85529c
  0x3fef3720dcef9069 0x3fef5818dcfba487 0x3fef7c97337b9b5f 0x3fefa4afa2a490da 0x3fefd0765b6e4540`.trim().split(/\s+/).map((h, i) => {
  // 2^(i/32): the table's bits plus i << 47, as expf adds them.
  const B = new BigUint64Array(1);
  B[0] = BigInt(h) + (BigInt(i) << 47n);
  return new Float64Array(B.buffer)[0];
});
const EXPF_INV_LN2_N = hexFloat('0x1.71547652b82fep+0') * 32;
const EXPF_SHIFT = hexFloat('0x1.8p+52');
const EXPF_C = [hexFloat('0x1.c6af84b912394p-5') / 32 / 32 / 32, hexFloat('0x1.ebfce50fac4f3p-3') / 32 / 32, hexFloat('0x1.62e42ff0c52d6p-1') / 32];

/** glibc's expf (sysdeps/ieee754/flt-32/e_expf.c, the FMA build): 2^(k/32) from a table times a cubic, in double. */
export function expf(x: number): number {
  if (x !== x) return x;
  if (x === -Infinity) return 0;
  if (x > hexFloat('0x1.62e42ep6')) return Infinity;
  if (x < hexFloat('-0x1.9fe368p6')) return 0;
  const z = EXPF_INV_LN2_N * x;
  const k = (z + EXPF_SHIFT) - EXPF_SHIFT;
  const r = z - k;
  const i = ((k % 32) + 32) % 32;
  const s = EXP2F_TAB[i] * 2 ** ((k - i) / 32);
  const c = fma(EXPF_C[0], r, EXPF_C[1]);
  let y = fma(EXPF_C[2], r, 1);
  y = fma(c, r * r, y);
  return fr(y * s);
}

// ---------------------------------------------------------------- lgamma (glibc's double, fdlibm)

const A_EVEN = [2.52144565451257326939e-05, 2.20862790713908385557e-04, 1.19270763183362067845e-03, 7.38555086081402883957e-03, 6.73523010531292681824e-02, 7.72156649015328655494e-02];
const A_ODD = [4.48640949618915160150e-05, 1.08011567247583939954e-04, 5.10069792153511336608e-04, 2.89051383673415629091e-03, 2.05808084325167332806e-02, 3.22467033424113591611e-01];
const TC = 1.46163214496836224576e+00;
const TF = -1.21486290535849611461e-01;
const TT = -3.63867699703950536541e-18;
const T_0 = [3.15632070903625950361e-04, -1.40346469989232843813e-03, 6.10053870246291332635e-03, -3.27885410759859649565e-02, 4.83836122723810047042e-01];
const T_1 = [-3.12754168375120860518e-04, 8.81081882437654011382e-04, -3.68452016781138256760e-03, 1.79706750811820387126e-02, -1.47587722994593911752e-01];
const T_2 = [3.35529192635519073543e-04, -5.38595305356740546715e-04, 2.25964780900612472250e-03, -1.03142241298341437450e-02, 6.46249402391333854778e-02];
const U = [1.33810918536787660377e-02, 2.28963728064692451092e-01, 9.77717527963372745603e-01, 1.45492250137234768737e+00, 6.32827064025093366517e-01, -7.72156649015328655494e-02];
const V = [3.21709242282423911810e-03, 1.04222645593369134254e-01, 7.69285150456672783825e-01, 2.12848976379893395361e+00, 2.45597793713041134822e+00, 1];
const S = [3.19475326584100867617e-05, 1.84028451407337715652e-03, 2.66422703033638609560e-02, 1.46350472652464452805e-01, 3.25778796408930981787e-01, 2.14982415960608852501e-01, -7.72156649015328655494e-02];
const R = [7.32668430744625636189e-06, 7.77942496381893596434e-04, 1.86459191715652901344e-02, 1.71933865632803078993e-01, 7.21935547567138069525e-01, 1.39200533467621045958e+00, 1];
const W = [-1.63092934096575273989e-03, 8.36339918996282139126e-04, -5.95187557450339963135e-04, 7.93650558643019558500e-04, -2.77777777728775536470e-03, 8.33333333333329678849e-02];
const W0 = 4.18938533204672725052e-01;
// fdlibm's thresholds compare the high word of |x|: these are those high words as values.
const BELOW_09 = doubleOfHigh(0x3feccccd);
const CUT_0 = doubleOfHigh(0x3fe76944);
const CUT_1 = doubleOfHigh(0x3fcda661);
const CUT_2 = doubleOfHigh(0x3ffbb4c3);
const CUT_3 = doubleOfHigh(0x3ff3b4c4);

/** Horner from the highest degree down. */
function horner(z: number, cs: number[]): number {
  let acc = cs[0];
  for (let i = 1; i < cs.length; i++) acc = cs[i] + z * acc;
  return acc;
}

/** sin(π·x) for negative x (fdlibm's sin_pi), 0 at the integers. */
function sinPi(x: number): number {
  if (Math.abs(x) < 0.25) return libm.sin(Math.PI * x);
  let y = -x;
  if (Math.floor(y) === y) return 0;
  y *= 0.5;
  y = 2 * (y - Math.floor(y));
  const n = Math.trunc(y * 4);
  let s: number;
  if (n === 0) s = libm.sin(Math.PI * y);
  else if (n <= 2) s = libm.cos(Math.PI * (0.5 - y));
  else if (n <= 4) s = libm.sin(Math.PI * (1 - y));
  else if (n <= 6) s = -libm.cos(Math.PI * (y - 1.5));
  else s = libm.sin(Math.PI * (y - 2));
  return -s;
}

/**
 * glibc's lgamma of a double (fdlibm's e_lgamma_r.c). Note: glibc's lgamma_neg (−28 < x < −2, long tables)
 * is not ported; fdlibm's reflection is within an ulp or two of it but right at lgamma's zeros.
 */
export function lgamma(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax === Infinity || ax === 0) return Infinity;
  if (ax < 2 ** -70) return -libm.log(ax);
  let nadj = 0;
  if (x < 0) {
    if (ax >= 2 ** 52) return Infinity;
    const t = sinPi(x);
    if (t === 0) return Infinity;
    nadj = libm.log(Math.PI / Math.abs(t * x));
    x = -x;
  }
  let r: number;
  if (x === 1 || x === 2) r = 0;
  else if (x < 2) {
    let y: number;
    let i: number;
    if (x < BELOW_09) {
      r = -libm.log(x);
      if (x >= CUT_0) [y, i] = [1 - x, 0];
      else if (x >= CUT_1) [y, i] = [x - (TC - 1), 1];
      else [y, i] = [x, 2];
    } else {
      r = 0;
      if (x >= CUT_2) [y, i] = [2 - x, 0];
      else if (x >= CUT_3) [y, i] = [x - TC, 1];
      else [y, i] = [x - 1, 2];
    }
    if (i === 0) {
      const z = y * y;
      const p = y * horner(z, A_EVEN) + z * horner(z, A_ODD);
      r += p - 0.5 * y;
    } else if (i === 1) {
      const z = y * y;
      const w = z * y;
      const p = z * horner(w, T_0) - (TT - w * (horner(w, T_1) + y * horner(w, T_2)));
      r += TF + p;
    } else {
      r += -0.5 * y + (y * horner(y, U)) / horner(y, V);
    }
  } else if (x < 8) {
    const i = Math.trunc(x);
    const y = x - i;
    r = 0.5 * y + (y * horner(y, S)) / horner(y, R);
    let z = 1;
    for (let k = i - 1; k >= 2; k--) z *= y + k;
    if (i >= 3) r += libm.log(z);
  } else if (x < 2 ** 58) {
    const t = libm.log(x);
    const z = 1 / x;
    const w = W0 + z * horner(z * z, W);
    r = (x - 0.5) * (t - 1) + w;
  } else {
    r = x * (libm.log(x) - 1);
  }
  return nadj ? nadj - r : r;
}

// ---------------------------------------------------------------- digamma, trigamma, polygamma (ATen's Math.h)

const PSI_10 = 2.25175258906672110764;
const DIGAMMA_A = [8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3,
  3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2];
const DIGAMMA_A_F = DIGAMMA_A.map(fr);

/** calc_digamma(float). */
export function digammaf(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    const piOverTan = fr(Math.PI / libm.tan(Math.PI * r));
    return fr(digammaf(fr(1 - x)) - piOverTan);
  }
  let result = 0;
  while (x < 10) {
    result = fr(result - fr(1 / x));
    x = fr(x + 1);
  }
  if (x === 10) return fr(result + fr(PSI_10));
  let y = 0;
  if (x < 1e17) {
    const z = fr(1 / fr(x * x));
    let p = 0;
    for (const a of DIGAMMA_A_F) p = fmaf(p, z, a);
    y = fr(z * p);
  }
  return fr(fr(fr(result + logf(x)) - fr(0.5 / x)) - y);
}

/** calc_digamma(double). */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / libm.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = 0;
    for (const a of DIGAMMA_A) p = fma(p, z, a);
    y = z * p;
  }
  return result + libm.log(x) - 0.5 / x - y;
}

/** Math.h's trigamma(float). */
export function trigammaf(x: number): number {
  let sign = 1;
  let result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = sinf(fr(PI_F * x));
    result = fr(result - fr(fr(PI_F * PI_F) / fr(s * s)));
    x = fr(1 - x);
  }
  for (let i = 0; i < 6; i++) {
    result = fr(result + fr(1 / fr(x * x)));
    x = fr(x + 1);
  }
  const ixx = fr(1 / fr(x * x));
  const inner = fmaf(-ixx, fmaf(-ixx, fr(1 / 42), fr(1 / 30)), fr(1 / 6));
  result = fr(result + fr(fmaf(ixx, inner, fr(1 + fr(1 / fr(2 * x)))) / x));
  return fr(sign * result);
}

/** Math.h's trigamma(double). */
export function trigamma(x: number): number {
  let sign = 1;
  let result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = libm.sin(Math.PI * x);
    result -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) {
    result += 1 / (x * x);
    x += 1;
  }
  const ixx = 1 / (x * x);
  result += fma(ixx, fma(-ixx, fma(-ixx, 1 / 42, 1 / 30), 1 / 6), 1 + 1 / (2 * x)) / x;
  return sign * result;
}

const ZETA_A = [12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10, -2.950130727918164224e12,
  1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18];
const MACHEP = 1.11022302462515654042e-16;

/** The Hurwitz zeta function ζ(x, q) (Cephes), in double as ATen sums it for float and double alike. */
export function zeta(x: number, q: number): number {
  if (x === 1) return Infinity;
  if (x < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (x !== Math.floor(x)) return NaN;
  }
  let s = libm.pow(q, -x);
  let a = q;
  let i = 0;
  let b = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = libm.pow(a, -x);
    s += b;
    if (-MACHEP * s < b && b < MACHEP * s) return s;
  }
  const w = a;
  s += (b * w) / (x - 1);
  s -= 0.5 * b;
  a = 1;
  let k = 0;
  for (let j = 0; j < 12; j++) {
    a *= x + k;
    b /= w;
    let t = (a * b) / ZETA_A[j];
    s = s + t;
    t = Math.abs(t / s);
    if (t < MACHEP) return s;
    k += 1;
    a *= x + k;
    b /= w;
    k += 1;
  }
  return s;
}

/**
 * polygamma(n, x): digamma and trigamma for n = 0 and 1, else (−1)^(n+1) · n! · ζ(n + 1, x) with n! as
 * exp(lgamma(n + 1)) in double (C's ::exp and ::lgamma of the promoted argument) and ζ rounded to the dtype
 * first, as calc_polygamma's expression does.
 */
export function polygammaOf(n: number, x: number, f32: boolean): number {
  if (n === 0) return f32 ? digammaf(x) : digamma(x);
  if (n === 1) return f32 ? trigammaf(x) : trigamma(x);
  const signedFactorial = (n % 2 ? 1 : -1) * libm.exp(lgamma(n + 1));
  return f32 ? fr(signedFactorial * fr(zeta(n + 1, x))) : signedFactorial * zeta(n + 1, x);
}
