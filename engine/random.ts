// PyTorch's CPU generator: mt19937 with the same seeding and the same uniform and normal transforms,
// so torch.manual_seed(0); torch.rand(3) gives PyTorch's numbers.
const N = 624;
/** The most draws() hands out at once. */
export const DRAW_BLOCK = N;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

export class MT19937 {
  private state = new Uint32Array(N);
  private index = N;
  private scratch = new Uint32Array(N);
  /** Box-Muller's second sample, cached as at::normal_distribution<double> does. */
  nextDoubleNormal: number | null = null;
  seedValue = 0;

  constructor(seed: number | bigint = 67280421310721n) {
    this.seed(seed);
  }

  seed(seed: number | bigint): void {
    const s = BigInt.asUintN(64, BigInt(seed));
    this.seedValue = Number(s);
    const st = this.state;
    st[0] = Number(s & 0xffffffffn);
    for (let j = 1; j < N; j++) {
      const prev = st[j - 1] ^ (st[j - 1] >>> 30);
      st[j] = (Math.imul(1812433253, prev) + j) >>> 0;
    }
    this.index = N;
    this.nextDoubleNormal = null;
  }

  // Note: the twist in three loops, as mt19937's reference code writes it: indexing with `% N` cost two
  // integer divisions per draw, most of the time ResNet-18's initialisation took (11.7M draws).
  private twist(): void {
    const st = this.state;
    let i = 0;
    for (; i < N - M; i++) {
      const y = (st[i] & UPPER) | (st[i + 1] & LOWER);
      st[i] = st[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; i < N - 1; i++) {
      const y = (st[i] & UPPER) | (st[i + 1] & LOWER);
      st[i] = st[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    const y = (st[N - 1] & UPPER) | (st[0] & LOWER);
    st[N - 1] = st[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.index = 0;
  }

  /**
   * The next n <= 624 results of random(), in order, in a scratch array that the next call overwrites: the
   * bulk fills below draw through this rather than one method call per element.
   */
  draws(n: number): Uint32Array {
    const out = this.scratch;
    const st = this.state;
    let idx = this.index;
    for (let j = 0; j < n; j++) {
      if (idx >= N) {
        this.twist();
        idx = 0;
      }
      let y = st[idx++];
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      out[j] = y;
    }
    this.index = idx;
    return out;
  }

  /** Exchanges the whole state with another generator (torch functions given generator=g draw from g this way). */
  swap(other: MT19937): void {
    [this.state, other.state] = [other.state, this.state];
    [this.index, other.index] = [other.index, this.index];
    [this.nextDoubleNormal, other.nextDoubleNormal] = [other.nextDoubleNormal, this.nextDoubleNormal];
    [this.seedValue, other.seedValue] = [other.seedValue, this.seedValue];
  }

  /** 32 random bits. */
  random(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** uniform_real_distribution<float>(0, 1): 24 random bits. */
  uniformFloat(): number {
    return (this.random() & 0xffffff) * 2 ** -24;
  }

  /** uniform_real_distribution<double>(0, 1): 53 random bits of random64(). */
  uniformDouble(): number {
    const hi = this.random();
    const lo = this.random();
    // ((hi << 32) | lo) & (2^53 - 1)
    return ((hi & 0x1fffff) * 2 ** 32 + lo) * 2 ** -53;
  }

  /** at::normal_distribution<double>, with its cached second sample. */
  normalDouble(): number {
    if (this.nextDoubleNormal !== null) {
      const v = this.nextDoubleNormal;
      this.nextDoubleNormal = null;
      return v;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.nextDoubleNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

export const generator = new MT19937();

export function manualSeed(seed: number | bigint): void {
  generator.seed(seed);
}

/** torch.rand: serial uniform draws in the tensor's precision. */
export function fillUniform(out: Float32Array | Float64Array, from = 0, to = 1): void {
  const range = to - from;
  if (out instanceof Float64Array) {
    forEachUniformDouble(out.length, (i, u) => void (out[i] = u * range + from));
    return;
  }
  for (let i = 0; i < out.length; ) {
    const k = Math.min(N, out.length - i);
    const b = generator.draws(k);
    for (let j = 0; j < k; j++) out[i + j] = (b[j] & 0xffffff) * 2 ** -24 * range + from;
    i += k;
  }
}

/** uniformDouble() for i = 0..n-1, in order, two draws each (uniform_real_distribution<double>). */
export function forEachUniformDouble(n: number, use: (i: number, u: number) => void): void {
  const half = N >> 1;
  for (let i = 0; i < n; ) {
    const k = Math.min(half, n - i);
    const b = generator.draws(2 * k);
    for (let j = 0; j < k; j++) use(i + j, ((b[2 * j] & 0x1fffff) * 2 ** 32 + b[2 * j + 1]) * 2 ** -53);
    i += k;
  }
}

/** torch.randn: PyTorch's normal_fill in blocks of 16 for 16+ elements, else serial Box-Muller. */
export function fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
  const n = out.length;
  if (n >= 16) {
    fillUniform(out);
    for (let i = 0; i + 16 <= n; i += 16) fill16(out, i, mean, std);
    if (n % 16 !== 0) {
      const start = n - 16;
      fillUniform(out.subarray(start));
      fill16(out, start, mean, std);
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = generator.normalDouble() * std + mean;
}

function fill16(d: Float32Array | Float64Array, off: number, mean: number, std: number): void {
  if (d instanceof Float32Array) {
    fill16Float(d, off, mean, std);
    return;
  }
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[off + j];
    const u2 = d[off + j + 8];
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    d[off + j] = radius * Math.cos(theta) * std + mean;
    d[off + j + 8] = radius * Math.sin(theta) * std + mean;
  }
}

// Note: float32 randn as PyTorch's CPU kernel computes it (normal_fill_16_AVX2, the path of x86 builds with
// AVX2): Box-Muller in float32, with log and sincos from ATen's avx_mathfun.h (Cephes polynomials), not
// libm, as GCC compiles them: every multiply that feeds an add is fused (vfmadd). Each float32 operation is
// Math.fround of the exact double result; a fused a*b+c is fround(a*b + c), a*b being exact in double
// (24+24 bits), so only the sum is rounded twice (to double, then float), which can differ from one
// rounding only when the double sum lands exactly halfway between two floats. Checked against Debian's
// PyTorch 1.13 (GCC 12, AVX2): torch.manual_seed(0); torch.randn(200000), normal_(mean, std), and every
// weight of torchvision's resnet18() after torch.manual_seed(0) are equal bit for bit. The double-precision
// libm version this replaces differed in 66% of randn's values (by up to 1e-6 relative).
const fr = Math.fround;
const TWO_PI_F = fr(2 * Math.PI);
const SQRTHF = fr(0.707106781186547524);
const LOG_P0 = fr(7.0376836292e-2);
const LOG_P1 = fr(-1.151461031e-1);
const LOG_P2 = fr(1.167699874e-1);
const LOG_P3 = fr(-1.2420140846e-1);
const LOG_P4 = fr(1.4249322787e-1);
const LOG_P5 = fr(-1.6668057665e-1);
const LOG_P6 = fr(2.0000714765e-1);
const LOG_P7 = fr(-2.4999993993e-1);
const LOG_P8 = fr(3.3333331174e-1);
const LOG_Q1 = fr(-2.1219444e-4);
const LOG_Q2 = fr(0.693359375);
const FOPI = fr(1.27323954473516);
const DP1 = fr(-0.78515625);
const DP2 = fr(-2.4187564849853515625e-4);
const DP3 = fr(-3.77489497744594108e-8);
const SIN_P0 = fr(-1.9515295891e-4);
const SIN_P1 = fr(8.3321608736e-3);
const SIN_P2 = fr(-1.6666654611e-1);
const COS_P0 = fr(2.443315711809948e-5);
const COS_P1 = fr(-1.388731625493765e-3);
const COS_P2 = fr(4.166664568298827e-2);
const MIN_NORM = 2 ** -126;
const bitsF = new Float32Array(1);
const bitsU = new Uint32Array(bitsF.buffer);

/**
 * One 16-block of float32 randn (normal_fill_16_AVX2): pairs (j, j + 8) of uniforms become two normals, by
 * avx_mathfun's log256_ps and sincos256_ps on one lane, written out in straight-line code (no calls, no
 * arrays of constants: measured 2x faster than the same steps in helper functions).
 */
function fill16Float(d: Float32Array, off: number, mean: number, std: number): void {
  const m = fr(mean);
  const sd = fr(std);
  for (let j = 0; j < 8; j++) {
    // log(u1), u1 = 1 - u in (0, 1]: exponent and mantissa from the float's bits, x in [0.5, 1).
    const u1 = fr(1 - d[off + j]);
    bitsF[0] = u1 < MIN_NORM ? MIN_NORM : u1;
    const b = bitsU[0];
    let e = (b >>> 23) - 126;
    bitsU[0] = (b & 0x807fffff) | 0x3f000000;
    let x = bitsF[0];
    const tmp = x < SQRTHF ? x : 0;
    if (tmp !== 0) e -= 1;
    x = fr(fr(x - 1) + tmp);
    const z = fr(x * x);
    let y = fr(LOG_P0 * x + LOG_P1);
    y = fr(y * x + LOG_P2);
    y = fr(y * x + LOG_P3);
    y = fr(y * x + LOG_P4);
    y = fr(y * x + LOG_P5);
    y = fr(y * x + LOG_P6);
    y = fr(y * x + LOG_P7);
    y = fr(y * x + LOG_P8);
    y = fr(y * x);
    y = fr(y * z + fr(e * LOG_Q1));
    y = fr(z * -0.5 + y);
    const log = fr(e * LOG_Q2 + fr(x + y));
    const radius = fr(Math.sqrt(fr(-2 * log)));
    // sincos(theta), theta = 2 pi u2 >= 0.
    let t = fr(TWO_PI_F * d[off + j + 8]);
    const k = (Math.trunc(fr(t * FOPI)) + 1) & ~1;
    t = fr(k * DP1 + t);
    t = fr(k * DP2 + t);
    t = fr(k * DP3 + t);
    const zz = fr(t * t);
    let c = fr(COS_P0 * zz + COS_P1);
    c = fr(c * zz + COS_P2);
    c = fr(c * zz);
    c = fr(fr(c * zz - fr(zz * 0.5)) + 1);
    let s = fr(SIN_P0 * zz + SIN_P1);
    s = fr(s * zz + SIN_P2);
    s = fr(s * zz);
    s = fr(s * t + t);
    const sinPoly = (k & 2) === 0;
    let sin = sinPoly ? s : c;
    let cos = sinPoly ? c : s;
    if (k & 4) sin = -sin;
    if (~(k - 2) & 4) cos = -cos;
    d[off + j] = fr(radius * cos) * sd + m;
    d[off + j + 8] = fr(radius * sin) * sd + m;
  }
}
