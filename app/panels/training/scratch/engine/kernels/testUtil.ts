// Helpers for the kernel tests (imported only by *.test.ts): a seeded RNG, closeness checks with
// stated tolerances, and a central finite-difference gradient.
import type { FloatArray } from './types';

/** Tolerances: float32 kernels against float64 references, and float64 kernels. */
export const TOL32 = { rtol: 1e-5, atol: 1e-5 };
export const TOL64 = { rtol: 1e-10, atol: 1e-11 };
/** Central differences in float64 with step 1e-6 agree with analytic grads to about 1e-7 relative. */
export const TOL_FD = { rtol: 1e-5, atol: 1e-6 };

/** mulberry32: a small deterministic generator, so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-1, 1) of the given array type. */
export function randomArray(ctor: Float64ArrayConstructor, n: number, random: () => number): Float64Array;
export function randomArray(ctor: Float32ArrayConstructor, n: number, random: () => number): Float32Array;
export function randomArray(ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, random: () => number): FloatArray;
export function randomArray(ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, random: () => number): FloatArray {
  const a = new ctor(n);
  for (let i = 0; i < n; i++) a[i] = random() * 2 - 1;
  return a;
}

/**
 * Throws an Error naming the first element where |actual − expected| > atol + rtol·|expected|
 * (NaNs must match NaNs), so a test fails with the index and both values.
 */
export function assertClose(
  actual: ArrayLike<number>, expected: ArrayLike<number>, tol: { rtol: number; atol: number }, label: string,
): void {
  if (actual.length < expected.length) throw new Error(`${label}: length ${actual.length} < expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      throw new Error(`${label}: element ${i}: got ${a}, expected ${e}`);
    }
    if (a === e) continue;
    const err = Math.abs(a - e);
    if (!(err <= tol.atol + tol.rtol * Math.abs(e))) {
      throw new Error(`${label}: element ${i}: got ${a}, expected ${e} (|diff| ${err.toExponential(2)} > atol ${tol.atol} + rtol ${tol.rtol}·|expected|)`);
    }
  }
}

/**
 * d/dx_i of L(x) = Σ gy·f(x), by central differences in float64. `f` maps a Float64Array to one.
 */
export function numericGrad(f: (x: Float64Array) => ArrayLike<number>, x: Float64Array, gy: ArrayLike<number>, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const loss = (): number => {
    const y = f(x);
    let s = 0;
    for (let i = 0; i < gy.length; i++) s += gy[i] * y[i];
    return s;
  };
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + h;
    const up = loss();
    x[i] = keep - h;
    const down = loss();
    x[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}
