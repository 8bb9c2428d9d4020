// PyTorch's CPU generator: mt19937 with the same seeding and the same uniform and normal transforms,
// so torch.manual_seed(0); torch.rand(3) gives PyTorch's numbers.
const N = 624;
const M = 397;

export class MT19937 {
  private state = new Uint32Array(N);
  private index = N;
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

  private twist(): void {
    const st = this.state;
    for (let i = 0; i < N; i++) {
      const y = (st[i] & 0x80000000) | (st[(i + 1) % N] & 0x7fffffff);
      let v = st[(i + M) % N] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      st[i] = v >>> 0;
    }
    this.index = 0;
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
  const double = out instanceof Float64Array;
  for (let i = 0; i < out.length; i++) {
    const u = double ? generator.uniformDouble() : generator.uniformFloat();
    out[i] = u * (to - from) + from;
  }
}

/** torch.randn: PyTorch's normal_fill in blocks of 16 for 16+ elements, else serial Box-Muller. */
export function fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
  const n = out.length;
  if (n >= 16) {
    const double = out instanceof Float64Array;
    const u = (): number => (double ? generator.uniformDouble() : generator.uniformFloat());
    for (let i = 0; i < n; i++) out[i] = u();
    for (let i = 0; i + 16 <= n; i += 16) fill16(out, i, mean, std);
    if (n % 16 !== 0) {
      const start = n - 16;
      for (let i = 0; i < 16; i++) out[start + i] = u();
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
