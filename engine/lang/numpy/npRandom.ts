// numpy's legacy RandomState (np.random.seed, randn, rand, randint, normal, uniform, shuffle, permutation),
// bit for bit: MT19937 seeded by init_genrand(seed) (numpy's _legacy_seeding for an int seed), doubles from two
// draws ((a >> 5) * 2^26 + (b >> 6)) / 2^53, gauss by the polar method keeping the second value, and bounded
// integers by masked rejection sampling (random_bounded_uint64_fill with use_masked=True).
import { MT19937 } from '../../random';
import * as libm from '../libm';

export class RandomState {
  private readonly mt = new MT19937(0);
  private hasGauss = false;
  private gauss = 0;

  constructor(seed?: number) {
    this.seed(seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  seed(seed: number): void {
    this.mt.seed(seed >>> 0);
    this.hasGauss = false;
    this.gauss = 0;
  }

  nextUint32(): number {
    return this.mt.draws(1)[0];
  }

  /** mt19937_next_double. */
  nextDouble(): number {
    const d = this.mt.draws(2);
    const a = d[0] >>> 5;
    const b = d[1] >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** legacy_gauss: the polar method, the second value kept for the next call. */
  nextGauss(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.nextDouble() - 1.0;
      x2 = 2.0 * this.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * libm.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** A value in [0, rng] by masked rejection (rng < 2^53), as random_bounded_uint64_fill with use_masked. */
  bounded(rng: number): number {
    if (rng === 0) return 0;
    if (rng <= 0xffffffff) {
      if (rng === 0xffffffff) return this.nextUint32();
      let mask = rng;
      mask |= mask >>> 1;
      mask |= mask >>> 2;
      mask |= mask >>> 4;
      mask |= mask >>> 8;
      mask |= mask >>> 16;
      mask >>>= 0;
      let v: number;
      while ((v = (this.nextUint32() & mask) >>> 0) > rng);
      return v;
    }
    // 64-bit draws: (hi << 32) | lo, masked.
    const r = BigInt(rng);
    let mask = r;
    for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> s;
    for (;;) {
      const hi = BigInt(this.nextUint32());
      const lo = BigInt(this.nextUint32());
      const v = ((hi << 32n) | lo) & mask;
      if (v <= r) return Number(v);
    }
  }

  /** random_interval(max): what shuffle draws for each position. */
  interval(max: number): number {
    return this.bounded(max);
  }
}
