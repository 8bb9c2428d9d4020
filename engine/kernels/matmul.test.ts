import { describe, it, expect } from 'vitest';
import { matmul, bmm, gemm } from './matmul';
import { TOL32, TOL64, assertClose, randomArray, rng } from './testUtil';

/** C = op(A)·op(B) in float64, straight from the definition. */
function refMatmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

// Sizes cover the unpacked small path, edge tiles (not multiples of 4), and more than one
// KC (256) block of k, MC (128) block of m and NC (2048) block of n.
const SIZES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [3, 5, 7], [5, 1, 3], [17, 33, 5], [33, 17, 65], [7, 300, 9], [130, 261, 37], [5, 7, 2050], [64, 64, 64],
];

describe('matmul', () => {
  for (const [ctor, tol, label] of [[Float32Array, TOL32, 'float32'], [Float64Array, TOL64, 'float64']] as const) {
    for (const [m, k, n] of SIZES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          it(`${label} ${m}x${k}x${n} transA=${transA} transB=${transB}`, () => {
            const r = rng(m * 1000 + k * 10 + n);
            const a = randomArray(ctor, m * k, r);
            const b = randomArray(ctor, k * n, r);
            const want = refMatmul(a, b, m, k, n, transA, transB);
            const got = matmul(a, b, null, m, k, n, transA, transB);
            expect(got).toBeInstanceOf(ctor);
            assertClose(got, want, { rtol: tol.rtol, atol: tol.atol * Math.sqrt(k) }, 'C');
            // accumulate adds onto what is there; without it, stale contents (even NaN) are ignored.
            const out = randomArray(ctor, m * n, r);
            const before = Float64Array.from(out);
            matmul(a, b, out, m, k, n, transA, transB, true);
            assertClose(out, want.map((v, i) => v + before[i]), { rtol: tol.rtol, atol: tol.atol * Math.sqrt(k) }, 'C accumulated');
            out.fill(NaN);
            matmul(a, b, out, m, k, n, transA, transB, false);
            assertClose(out, want, { rtol: tol.rtol, atol: tol.atol * Math.sqrt(k) }, 'C overwritten');
          });
        }
      }
    }
  }

  it('k = 0 gives zeros, and keeps C when accumulating', () => {
    const out = new Float32Array([1, 2, 3, 4, 5, 6]);
    matmul(new Float32Array(0), new Float32Array(0), out, 2, 0, 3, false, false, true);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    matmul(new Float32Array(0), new Float32Array(0), out, 2, 0, 3);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('propagates NaN and Infinity like a dot product', () => {
    const m = 9, k = 30, n = 11; // packed path
    const r = rng(7);
    const a = randomArray(Float64Array, m * k, r);
    const b = randomArray(Float64Array, k * n, r);
    a[2 * k + 3] = NaN;
    b[4 * n + 5] = Infinity;
    assertClose(matmul(a, b, null, m, k, n), refMatmul(a, b, m, k, n, false, false), TOL64, 'C');
  });

  it('rejects short buffers with the kernel name', () => {
    expect(() => matmul(new Float32Array(5), new Float32Array(6), null, 2, 3, 2)).toThrow(/matmul: A has 5 elements, needs 6/);
  });

  it('gemm works on strided sub-matrices', () => {
    // A is the [5, 6] block at row 2, col 1 of a [9, 10] matrix; B is the transpose view of a [8, 6]
    // block; C is written into a [7, 12] matrix at row 1, col 3, leaving the rest untouched.
    const r = rng(3);
    const bigA = randomArray(Float64Array, 9 * 10, r);
    const bigB = randomArray(Float64Array, 8 * 6, r);
    const bigC = randomArray(Float64Array, 7 * 12, r);
    const untouched = Float64Array.from(bigC);
    const m = 5, k = 6, n = 8;
    gemm(m, n, k, bigA, 2 * 10 + 1, 10, 1, bigB, 0, 1, 6, bigC, 1 * 12 + 3, 12, false);
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 12; j++) {
        if (i >= 1 && i < 1 + m && j >= 3 && j < 3 + n) {
          let s = 0;
          for (let p = 0; p < k; p++) s += bigA[(2 + i - 1) * 10 + 1 + p] * bigB[(j - 3) * 6 + p];
          expect(bigC[i * 12 + j]).toBeCloseTo(s, 12);
        } else {
          expect(bigC[i * 12 + j]).toBe(untouched[i * 12 + j]);
        }
      }
    }
  });
});

describe('bmm', () => {
  for (const [batch, m, k, n] of [[1, 3, 5, 7], [3, 17, 9, 33], [4, 33, 40, 5]] as const) {
    for (const [transA, transB] of [[false, false], [true, true]] as const) {
      it(`${batch}x${m}x${k}x${n} trans=${transA},${transB}, dense and broadcast B`, () => {
        const r = rng(batch + m + k + n);
        const a = randomArray(Float32Array, batch * m * k, r);
        const b = randomArray(Float32Array, batch * k * n, r);
        const dense = bmm(a, b, null, batch, m, k, n, transA, transB);
        const shared = bmm(a, b, null, batch, m, k, n, transA, transB, false, m * k, 0);
        for (let i = 0; i < batch; i++) {
          const ai = a.subarray(i * m * k, (i + 1) * m * k);
          assertClose(dense.subarray(i * m * n), refMatmul(ai, b.subarray(i * k * n), m, k, n, transA, transB), TOL32, `C[${i}]`);
          assertClose(shared.subarray(i * m * n), refMatmul(ai, b, m, k, n, transA, transB), TOL32, `C[${i}] with B broadcast`);
        }
      });
    }
  }
});
