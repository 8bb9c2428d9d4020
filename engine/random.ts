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
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[off + j];
    const u2 = d[off + j + 8];
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    d[off + j] = radius * Math.cos(theta) * std + mean;
    d[off + j + 8] = radius * Math.sin(theta) * std + mean;
  }
}
