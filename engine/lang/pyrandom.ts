// Python's `random` module on CPython's own generator (MT19937 seeded by init_by_array), so that
// `random.seed(0); random.randint(4, 5)` gives CPython's numbers.
//
// Note: an unseeded generator starts from seed 0 rather than from the OS: a re-run of the same program
// draws the same graph, which is what a visualizer wants.
import { PyError } from './errors';
import { typeError, type Runtime } from './runtime';
import { PyBuiltin, PyDict, PyFloat, PyList, PyModule, PySet, type PyValue } from './values';

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
    sample: new PyBuiltin('sample', (a, kwargs) => {
      // Random.sample of CPython 3.11: a partial shuffle of a copy for small populations, else rejection.
      if (kwargs && kwargs.size && !(kwargs.size === 1 && kwargs.has('k'))) throw typeError(`sample() got an unexpected keyword argument '${[...kwargs.keys()].find((k) => k !== 'k')}'`);
      const population = a[0];
      const kArg = a.length > 1 ? a[1] : kwargs?.get('k');
      if (kArg === undefined) throw typeError("Random.sample() missing 1 required positional argument: 'k'");
      if (population instanceof PySet || population instanceof PyDict) throw typeError('Population must be a sequence.  For dicts or sets, use sorted(d).');
      const n = rt.len(population);
      const k = int(kArg);
      if (k < 0 || k > n) throw new PyError('ValueError', 'Sample larger than population or is negative');
      const result: PyValue[] = new Array(k).fill(null);
      let setsize = 21;
      if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
      if (n <= setsize) {
        const pool = rt.toArray(population);
        for (let i = 0; i < k; i++) {
          const j = gen.randbelow(n - i);
          result[i] = pool[j];
          pool[j] = pool[n - i - 1];
        }
      } else {
        const selected = new Set<number>();
        for (let i = 0; i < k; i++) {
          let j = gen.randbelow(n);
          while (selected.has(j)) j = gen.randbelow(n);
          selected.add(j);
          result[i] = rt.getitem(population, j);
        }
      }
      return new PyList(result);
    }),
    choices: new PyBuiltin('choices', (a, kwargs) => {
      // Random.choices of CPython 3.11: floor(random() * n), or a bisection of the cumulative weights.
      const population = a[0];
      const weights = a.length > 1 ? a[1] : (kwargs?.get('weights') ?? null);
      let cum = kwargs?.get('cum_weights') ?? null;
      const k = int(kwargs?.get('k') ?? 1);
      const n = rt.len(population);
      const out: PyValue[] = [];
      if (cum === null) {
        if (weights === null) {
          for (let i = 0; i < k; i++) out.push(rt.getitem(population, Math.floor(gen.random() * n)));
          return new PyList(out);
        }
        let acc: PyValue = 0;
        const list: PyValue[] = [];
        for (const w of rt.toArray(weights)) list.push((acc = list.length ? rt.binop('+', acc, w) : w));
        cum = new PyList(list);
      } else if (weights !== null) throw typeError('Cannot specify both weights and cumulative weights');
      const cw = rt.toArray(cum).map((w) => num(w, 'choices'));
      if (cw.length !== n) throw new PyError('ValueError', 'The number of weights does not match the population');
      const total = cw[cw.length - 1];
      if (!(total > 0)) throw new PyError('ValueError', 'Total of weights must be greater than zero');
      if (!Number.isFinite(total)) throw new PyError('ValueError', 'Total of weights must be finite');
      for (let i = 0; i < k; i++) {
        const x = gen.random() * total;
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (x < cw[mid]) hi = mid;
          else lo = mid + 1;
        }
        out.push(rt.getitem(population, lo));
      }
      return new PyList(out);
    }),
    gauss: fn('gauss', (a) => new PyFloat(gen.gauss(a.length ? num(a[0], 'gauss') : 0, a.length > 1 ? num(a[1], 'gauss') : 1))),
  });
}
