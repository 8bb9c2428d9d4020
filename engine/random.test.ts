// The generator's bulk paths (draws(), the fills) must give exactly the sequence of one random() per draw:
// PyTorch's values for a seed depend on every draw being the same, in the same order.
import { describe, expect, it } from 'vitest';
import { MT19937, fillNormal, fillUniform, generator, manualSeed } from './random';
import { normal_, uniform_ } from './nn/init';
import { fromData } from './creation';

/** mt19937 as its reference code writes it, one draw at a time, without the bulk paths. */
function referenceDraws(seed: number, n: number): number[] {
  const st = new Uint32Array(624);
  st[0] = seed >>> 0;
  for (let j = 1; j < 624; j++) st[j] = (Math.imul(1812433253, st[j - 1] ^ (st[j - 1] >>> 30)) + j) >>> 0;
  let index = 624;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    if (index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (st[i] & 0x80000000) | (st[(i + 1) % 624] & 0x7fffffff);
        st[i] = (st[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      index = 0;
    }
    let y = st[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    out.push(y >>> 0);
  }
  return out;
}

describe('mt19937', () => {
  it("gives mt19937's known outputs: seed 5489, the 10000th draw is 4123659995", () => {
    const g = new MT19937(5489);
    let last = 0;
    for (let i = 0; i < 10000; i++) last = g.random();
    expect(last).toBe(4123659995);
  });

  it('draws() in blocks of any size is the same sequence as random(), across twists', () => {
    const ref = referenceDraws(1234, 20000);
    const g = new MT19937(1234);
    const got: number[] = [];
    for (let k = 0; got.length < 20000; k = (k * 7 + 13) % 625) {
      const n = Math.min(k, 20000 - got.length);
      if (n > 0 && got.length % 3 === 0) got.push(g.random());
      else got.push(...g.draws(n).subarray(0, n));
    }
    expect(got.slice(0, 20000)).toEqual(ref);
  });

  it('fills float32 and float64 storage with the draws of uniformFloat() and uniformDouble(), in order', () => {
    for (const n of [1, 15, 16, 17, 623, 624, 625, 5000]) {
      const ref = new MT19937(7);
      const want32 = Array.from({ length: n }, () => Math.fround(ref.uniformFloat() * 3 - 1));
      const want64 = Array.from({ length: n }, () => ref.uniformDouble() * 3 - 1);
      manualSeed(7);
      const a32 = new Float32Array(n);
      fillUniform(a32, -1, 2);
      const a64 = new Float64Array(n);
      fillUniform(a64, -1, 2);
      expect(Array.from(a32)).toEqual(want32);
      expect(Array.from(a64)).toEqual(want64);
    }
  });

  it('uniform_ on float32 computes x * (to - from) + from in double, as uniform_real_distribution<float> does, from the same draws', () => {
    const n = 3000;
    const ref = new MT19937(3);
    const f = Math.fround;
    const lo = f(-0.25);
    const range = f(f(0.5) - lo);
    const want = Array.from({ length: n }, () => f(ref.uniformFloat() * range + lo));
    manualSeed(3);
    const t = fromData(new Float32Array(n), [n], 'float32');
    uniform_(t, -0.25, 0.5);
    expect(Array.from(t.data)).toEqual(want);
    // The generator moved on by exactly n draws.
    expect(generator.random()).toBe(ref.random());
  });

  it('randn draws one uniform per element (16 more for a ragged tail) before the Box-Muller blocks', () => {
    for (const n of [16, 40, 1000]) {
      manualSeed(11);
      const a = new Float32Array(n);
      fillNormal(a);
      const ref = new MT19937(11);
      for (let i = 0; i < n + (n % 16 ? 16 : 0); i++) ref.random();
      expect(generator.random()).toBe(ref.random());
      expect(a.every((v) => Number.isFinite(v))).toBe(true);
    }
  });
});

// Bits of float32 values from Debian's PyTorch 1.13.1 (x86-64, AVX2), e.g. torch.manual_seed(0);
// torch.randn(40).view(torch.int32).
const TORCH = {
  randn40: [0xbf901b85, 0xbf93808a, 0xbe804bd6, 0xbede255d, 0x3f594515, 0x3f312783, 0xbea1cc6d, 0xc0075fc1, 0x3ea50138, 0xbfa1b4f4, 0x3eb330ff, 0x3e9dc3bb, 0x3df56f77, 0x3f9e6b93, 0x3f8ef28e, 0xbe7d367c, 0xbfad23c2, 0xbfd91446, 0x3f111004, 0x3f4b235d, 0x3f194d8b, 0xbfc70d5b, 0xbeaec6ca, 0x3fed2f4e, 0xbe5d0b42, 0xbf3e17a3, 0x3f100e82, 0x3e84ede2, 0xbe3222d5, 0xbf2dc250, 0x3f7031db, 0x3efa4d25, 0x3f9a033c, 0x3dad2087, 0xbf999e2b, 0xbb9cd1ae, 0xbf04a08d, 0xbe9d0855, 0xbfca5e02, 0x3fda734a],
  // torch.manual_seed(7); torch.empty(37).normal_(0.3, 0.02)
  normal37: [0x3e9133ab, 0x3e9da6ba, 0x3ea2ce09, 0x3e8b61fc, 0x3e97e3d5, 0x3e9c851b, 0x3e930905, 0x3e9072f0, 0x3ea3167a, 0x3e941dca, 0x3e8db977, 0x3e94e354, 0x3ea0daff, 0x3ea3f87b, 0x3e9bf593, 0x3ea4c367, 0x3e8964be, 0x3e9646c5, 0x3ead5376, 0x3e96387f, 0x3e9ba1d0, 0x3e92d28e, 0x3e911ddd, 0x3e9365d9, 0x3e983690, 0x3ea14021, 0x3e9fdd71, 0x3eacb9e2, 0x3eb3519e, 0x3e9709e5, 0x3e9ebb43, 0x3e9c4345, 0x3e88d640, 0x3e9b3709, 0x3e9da703, 0x3e8b9827, 0x3e989188],
  // torch.manual_seed(3); torch.empty(20).uniform_(-1 / math.sqrt(512), 1 / math.sqrt(512)): nn.Linear(512, n)'s bound
  uniform20: [0xbd3379cc, 0xbd0ecc95, 0xbc9b110d, 0xbd2b42b9, 0xbb246d5c, 0xbd1f4142, 0x3cc4da16, 0x3cb0750a, 0x3c08bc8c, 0x3d0c6b4b, 0xbb8dd414, 0x3cd8dab8, 0xbcfd8ad2, 0xbc0eb03b, 0xbd2167bb, 0xbb6b2663, 0xbceae30b, 0x3d229f1f, 0x3cfb7c4e, 0x3d07b663],
  // torch.manual_seed(0); int(torch.randn(200000).view(torch.int32).to(torch.int64).sum())
  randn200000BitSum: -3956299136913,
};

const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe("PyTorch's float32 random numbers, bit for bit", () => {
  it('randn: Box-Muller in float32 with avx_mathfun\'s log and sincos, the ragged tail redrawn', () => {
    manualSeed(0);
    const a = new Float32Array(40);
    fillNormal(a);
    expect(bitsOf(a)).toEqual(TORCH.randn40);
  });

  it('randn of 200000 values: every one', () => {
    manualSeed(0);
    const a = new Float32Array(200000);
    fillNormal(a);
    let sum = 0;
    for (const b of new Int32Array(a.buffer)) sum += b;
    expect(sum).toBe(TORCH.randn200000BitSum);
  });

  it('normal_(mean, std) and uniform_(from, to)', () => {
    manualSeed(7);
    const n = fromData(new Float32Array(37), [37], 'float32');
    normal_(n, 0.3, 0.02);
    expect(bitsOf(n.data as Float32Array)).toEqual(TORCH.normal37);
    manualSeed(3);
    const u = fromData(new Float32Array(20), [20], 'float32');
    uniform_(u, -1 / Math.sqrt(512), 1 / Math.sqrt(512));
    expect(bitsOf(u.data as Float32Array)).toEqual(TORCH.uniform20);
  });
});

describe('dropout draws as PyTorch does', () => {
  it("torch.manual_seed(0); F.dropout(torch.ones(24), 0.3): PyTorch's mask and scale", async () => {
    const { dropout } = await import('./ops/nn');
    manualSeed(0);
    const out = dropout(fromData(new Float32Array(24).fill(1), [24], 'float32'), 0.3);
    const zeros = Array.from(out.data).flatMap((v, i) => (v === 0 ? [i] : []));
    expect(zeros).toEqual([0, 1, 3, 5, 19]);
    expect(Array.from(out.data).filter((v) => v !== 0).every((v) => v === 1.4285714626312256)).toBe(true);
    // p = 1 draws nothing.
    manualSeed(0);
    dropout(fromData(new Float32Array(5).fill(1), [5], 'float32'), 1);
    const after = generator.random();
    manualSeed(0);
    expect(generator.random()).toBe(after);
  });
});
