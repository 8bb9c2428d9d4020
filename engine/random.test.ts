// The generator's bulk paths (draws(), the fills) must give exactly the sequence of one random() per draw:
// PyTorch's values for a seed depend on every draw being the same, in the same order.
import { describe, expect, it } from 'vitest';
import { MT19937, fillNormal, fillUniform, generator, manualSeed } from './random';
import { uniform_ } from './nn/init';
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

  it('uniform_ on float32 rounds as uniform_real_distribution<float> does, from the same draws', () => {
    const n = 3000;
    const ref = new MT19937(3);
    const f = Math.fround;
    const lo = f(-0.25);
    const range = f(f(0.5) - lo);
    const want = Array.from({ length: n }, () => f(f(ref.uniformFloat() * range) + lo));
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
