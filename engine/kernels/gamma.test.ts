// The gamma family's kernels against PyTorch 1.13.1's own results (engine/testdata/torch-gamma.json, made by
// golden/gen/gamma_exact.py): float32 bit for bit, float64 within a few ulps (glibc's double lgamma and
// Math.h's double digamma are not ported operation for operation).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digamma, digammaf, lgamma, log1pf, logf, polygammaOf, sinf } from './gamma';
import { lgammaf } from './sleefGamma';
import { bessel, ndtri } from './bessel';
import { expLogSigmoidF32 } from './sleef';
import { erfcf, logNdtrf } from './logNdtr';

const DATA = JSON.parse(readFileSync(new URL('../testdata/torch-gamma.json', import.meta.url), 'utf8')) as {
  x: string[]; lgamma: string[]; digamma: string[]; polygamma: Record<string, string[]>; entr: string[]; xlog1py: string[];
  bessel: Record<'i0' | 'i0e' | 'i1' | 'i1e', string[]>; ndtri: string[]; log_ndtr: string[]; erfc: string[];
  float64: { lgamma: string[]; digamma: string[]; polygamma2: string[] };
};

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const ofBits = (h: string): number => {
  U32[0] = parseInt(h, 16);
  return F32[0];
};
const bitsOf = (v: number): string => {
  F32[0] = v;
  return U32[0].toString(16).padStart(8, '0');
};
const xs = DATA.x.map(ofBits);

/** The arguments where f's float32 bits differ from PyTorch's, with both (empty when all agree). */
function mismatches(f: (x: number) => number, want: string[]): string[] {
  const bad: string[] = [];
  xs.forEach((x, i) => {
    const got = bitsOf(f(x));
    // Any NaN is PyTorch's NaN.
    if (got !== want[i] && !(Number.isNaN(ofBits(got)) && Number.isNaN(ofBits(want[i])))) bad.push(`x=${x}: ${got} vs ${want[i]}`);
  });
  return bad;
}

describe("the gamma family's float32 bits are PyTorch's", () => {
  it('lgamma (Sleef) over 1,600 arguments: poles, negatives, huge and tiny ones included', () => {
    expect(mismatches(lgammaf, DATA.lgamma)).toEqual([]);
  });
  it('digamma (Math.h with glibc logf)', () => {
    expect(mismatches(digammaf, DATA.digamma)).toEqual([]);
  });
  it('polygamma n = 1 (trigamma, glibc sinf), 2, 3, 5 (zeta)', () => {
    for (const n of ['1', '2', '3', '5']) expect(mismatches((x) => polygammaOf(Number(n), x, true), DATA.polygamma[n]), `n=${n}`).toEqual([]);
  });
  it('entr and xlog1py (glibc logf and log1pf)', () => {
    expect(mismatches((x) => (x !== x ? x : x > 0 ? Math.fround(-x * logf(x)) : x === 0 ? 0 : -Infinity), DATA.entr)).toEqual([]);
    expect(mismatches((x) => {
      const y = Math.fround(Math.abs(x) - 0.5);
      return y !== y ? NaN : x === 0 ? 0 : Math.fround(x * log1pf(y));
    }, DATA.xlog1py)).toEqual([]);
  });
  it('i0, i0e, i1, i1e (Cephes with glibc expf); i1 and i1e: an argument in a few thousand is off by up to 3 ulps', () => {
    for (const k of ['i0', 'i0e'] as const) expect(mismatches((x) => bessel(k, x, true), DATA.bessel[k]), k).toEqual([]);
    for (const k of ['i1', 'i1e'] as const) {
      const off = mismatches((x) => bessel(k, x, true), DATA.bessel[k]);
      expect(off.length, k).toBeLessThanOrEqual(1);
      for (const m of off) {
        const [got, want] = m.split(': ')[1].split(' vs ').map((h) => parseInt(h, 16));
        expect(Math.abs(got - want), m).toBeLessThanOrEqual(3);
      }
    }
  });
  it('ndtri (Cephes, fused where PyTorch fuses, C double log and sqrt) of sigmoid(x)', () => {
    const s = new Float32Array(xs.length);
    expLogSigmoidF32(xs, s, xs.length, 'sigmoid');
    const at = new Map(xs.map((x, i) => [bitsOf(x), s[i]]));
    expect(mismatches((x) => ndtri(at.get(bitsOf(x))!, true), DATA.ndtri)).toEqual([]);
  });
  it('log_ndtr (erfcx in double below −1, glibc erfcf and log1pf above) and glibc erfcf itself', () => {
    expect(mismatches(logNdtrf, DATA.log_ndtr)).toEqual([]);
    expect(mismatches(erfcf, DATA.erfc)).toEqual([]);
  });
  it('glibc sinf and logf at some known arguments (where the correctly rounded float differs)', () => {
    expect(sinf(Math.fround(-21.616383))).toBe(Math.fround(-0.36605477));
    expect(logf(Math.fround(12.153458595275879))).toBe(Math.fround(2.497614));
  });
});

describe('float64 within a few ulps', () => {
  const check = (f: (x: number) => number, want: string[], tol: number) => {
    let worst = 0;
    want.forEach((w, i) => {
      const x = xs[4 * i];
      const expected = Number(w === 'inf' ? Infinity : w === '-inf' ? -Infinity : w);
      const got = f(x);
      if (Number.isNaN(expected) || !Number.isFinite(expected)) {
        expect(got, `x=${x}`).toBe(expected);
        return;
      }
      worst = Math.max(worst, Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-300));
    });
    expect(worst).toBeLessThan(tol);
  };
  it('lgamma, digamma, polygamma(2)', () => {
    check(lgamma, DATA.float64.lgamma, 1e-11);
    check(digamma, DATA.float64.digamma, 1e-12);
    check((x) => polygammaOf(2, x, false), DATA.float64.polygamma2, 1e-13);
  });
});
