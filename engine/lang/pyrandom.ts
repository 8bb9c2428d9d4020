// Python's `random` module on CPython's own generator (MT19937 seeded by init_by_array), so that
// `random.seed(0); random.randint(4, 5)` gives CPython's numbers.
//
// Note: an unseeded generator starts from seed 0 rather than from the OS: a re-run of the same program
// draws the same graph, which is what a visualizer wants.
import { PyError } from './errors';
import { typeError, type Runtime } from './runtime';
import { PyBuiltin, PyFloat, PyList, PyModule, type PyValue } from './values';

const N = 624;
const M = 397;

export class PyMersenne {
  private mt = new Uint32Array(N);
  private mti = N + 1;
  private gaussNext: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  /** random.seed(n) for an int: the key is |n| in 32-bit words, least significant first. */
  seed(n: number): void {
    let v = BigInt(Math.abs(Math.trunc(n)));
    const key: number[] = [];
    do {
      key.push(Number(v & 0xffffffffn));
      v >>= 32n;
    } while (v > 0n);
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.gaussNext = null;
  }

  genrand(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  random(): number {
    const a = this.genrand() >>> 5;
    const b = this.genrand() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** getrandbits(k), k <= 53 here. */
  getrandbits(k: number): number {
    if (k <= 32) return this.genrand() >>> (32 - k);
    let result = 0;
    let shift = 1;
    for (let left = k; left > 0; left -= 32) {
      let r = this.genrand();
      if (left < 32) r >>>= 32 - left;
      result += r * shift;
      shift *= 2 ** 32;
    }
    return result;
  }

  /** _randbelow_with_getrandbits(n). */
  randbelow(n: number): number {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  gauss(mu: number, sigma: number): number {
    let z = this.gaussNext;
    this.gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * 2 * Math.PI;
      const g2rad = Math.sqrt(-2 * Math.log(1 - this.random()));
      z = Math.cos(x2pi) * g2rad;
      this.gaussNext = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }
}

export function makeRandomModule(rt: Runtime): PyModule {
  const gen = new PyMersenne(0);
  const int = (v: PyValue): number => rt.index(v);
  const num = (v: PyValue, fn: string): number => {
    const n = rt.toNumber(v);
    if (n === undefined) throw typeError(`${fn}() argument must be a real number, not '${rt.typeName(v)}'`);
    return n;
  };
  const fn = (name: string, f: (a: PyValue[]) => PyValue): PyBuiltin => new PyBuiltin(name, (a) => f(a));
  const randrange = (start: number, stop?: number, step = 1): number => {
    if (stop === undefined) {
      if (start <= 0) throw new PyError('ValueError', 'empty range for randrange()');
      return gen.randbelow(start);
    }
    const width = stop - start;
    if (step === 1) {
      if (width <= 0) throw new PyError('ValueError', `empty range for randrange() (${start}, ${stop}, ${width})`);
      return start + gen.randbelow(width);
    }
    if (step === 0) throw new PyError('ValueError', 'zero step for randrange()');
    const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
    if (n <= 0) throw new PyError('ValueError', 'empty range for randrange()');
    return start + step * gen.randbelow(n);
  };
  return new PyModule('random', {
    seed: fn('seed', (a) => {
      gen.seed(a.length && a[0] !== null ? int(a[0]) : 0);
      return null;
    }),
    random: fn('random', () => new PyFloat(gen.random())),
    uniform: fn('uniform', ([a, b]) => {
      const lo = num(a, 'uniform');
      return new PyFloat(lo + (num(b, 'uniform') - lo) * gen.random());
    }),
    randint: fn('randint', ([a, b]) => randrange(int(a), int(b) + 1)),
    randrange: fn('randrange', (a) => randrange(int(a[0]), a.length > 1 ? int(a[1]) : undefined, a.length > 2 ? int(a[2]) : 1)),
    getrandbits: fn('getrandbits', ([k]) => gen.getrandbits(int(k))),
    choice: fn('choice', ([seq]) => {
      const n = rt.len(seq);
      if (n === 0) throw new PyError('IndexError', 'Cannot choose from an empty sequence');
      return rt.getitem(seq, gen.randbelow(n));
    }),
    shuffle: fn('shuffle', ([x]) => {
      if (!(x instanceof PyList)) throw typeError(`shuffle() argument must be a list, not '${rt.typeName(x)}'`);
      const items = x.items;
      for (let i = items.length - 1; i > 0; i--) {
        const j = gen.randbelow(i + 1);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return null;
    }),
    gauss: fn('gauss', (a) => new PyFloat(gen.gauss(a.length ? num(a[0], 'gauss') : 0, a.length > 1 ? num(a[1], 'gauss') : 1))),
  });
}
