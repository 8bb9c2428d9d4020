// Square-matrix linear algebra over the last two dims (batched): det, inverse, solve, slogdet, logdet, as
// torch.linalg records them (LinalgDetBackward0, LinalgInvExBackward0, LinalgSolveExBackward0,
// LinalgSlogdetBackward0). An LU factorisation with partial pivoting in float64, rounded once to the dtype.
import { allocStorage, isFloating } from '../dtype';
import { runtimeError } from '../context';
import { Tensor, numelOf } from '../tensor';
import { apply, applyMulti, defineOp, type MultiOutputDef } from './define';
import { where } from './select';
import { eq } from './arith';

interface LU {
  /** Row-major n×n factors (L below the diagonal, unit; U on and above), the row permutation and its sign. */
  lu: Float64Array;
  perm: Int32Array;
  sign: number;
  singular: boolean;
}

function factor(a: ArrayLike<number>, off: number, n: number): LU {
  const lu = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) lu[i] = a[off + i];
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[p * n + j]] = [lu[p * n + j], lu[k * n + j]];
      [perm[k], perm[p]] = [perm[p], perm[k]];
      sign = -sign;
    }
    const d = lu[k * n + k];
    if (d === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, perm, sign, singular };
}

const detOf = (f: LU, n: number): number => {
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i];
  return d;
};

/** X = A⁻¹·B for an n×k right-hand side (row-major), from A's factors. */
function solveWith(f: LU, n: number, b: ArrayLike<number>, boff: number, k: number): Float64Array {
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) x[i * k + j] = b[boff + f.perm[i] * k + j];
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * k + j];
      for (let m = 0; m < i; m++) s -= f.lu[i * n + m] * x[m * k + j];
      x[i * k + j] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * k + j];
      for (let m = i + 1; m < n; m++) s -= f.lu[i * n + m] * x[m * k + j];
      x[i * k + j] = s / f.lu[i * n + i];
    }
  }
  return x;
}

const identity = (n: number): Float64Array => {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
};

function transposeOf(m: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}

function matmulOf(a: Float64Array, b: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let m = 0; m < n; m++) for (let j = 0; j < k; j++) out[i * k + j] += a[i * n + m] * b[m * k + j];
  return out;
}

function checkSquare(fn: string, a: Tensor): number {
  if (a.ndim < 2) throw runtimeError(`${fn}: The input tensor A must have at least 2 dimensions.`);
  const n = a.shape[a.ndim - 1];
  if (a.shape[a.ndim - 2] !== n) throw runtimeError(`${fn}: A must be batches of square matrices, but they are ${a.shape[a.ndim - 2]} by ${n} matrices`);
  if (!isFloating(a.dtype)) throw runtimeError(`${fn}: Expected a floating point or complex tensor as input. Got ${a.dtype === 'bool' ? 'Bool' : 'Long'}`);
  return n;
}

/** Per matrix of the batch: f(offset, batch index). */
function eachMatrix(a: Tensor, n: number, f: (off: number, b: number) => void): void {
  const count = n === 0 ? 0 : a.numel / (n * n);
  for (let b = 0; b < count; b++) f(b * n * n, b);
}

const make = (like: Tensor, shape: number[]): Tensor => new Tensor(allocStorage(like.dtype, numelOf(shape)), shape, like.dtype);

/** The cofactor matrix (adj(A)ᵀ) of a possibly singular matrix: det(A)·A⁻ᵀ, or minor by minor when singular. */
function cofactors(a: ArrayLike<number>, off: number, n: number, f: LU): Float64Array {
  if (!f.singular) {
    const inv = solveWith(f, n, identity(n), 0, n);
    const d = detOf(f, n);
    const c = transposeOf(inv, n);
    for (let i = 0; i < c.length; i++) c[i] *= d;
    return c;
  }
  const c = new Float64Array(n * n);
  const minor = new Float64Array((n - 1) * (n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let q = 0;
      for (let r = 0; r < n; r++) for (let s = 0; s < n; s++) if (r !== i && s !== j) minor[q++] = a[off + r * n + s];
      c[i * n + j] = ((i + j) % 2 ? -1 : 1) * (n === 1 ? 1 : detOf(factor(minor, 0, n - 1), n - 1));
    }
  }
  return c;
}

/**
 * det(A): LinalgDetBackward0, whose gradient is grad · det · A⁻ᵀ. At a singular A PyTorch 1.13's formula gives
 * 0 (signed as the cofactors), not the cofactor matrix: so does this one, to show PyTorch's numbers.
 */
export const detOp = defineOp({
  name: 'linalg_det', label: 'det', gradFn: 'LinalgDetBackward0', inputs: ['A'],
  formulas: { A: 'linalg_det_backward(grad, result, A, LU, pivots)' }, saves: ['A'],
  forward: ([a]) => perMatrix(a, (f, n) => (n === 0 ? 1 : detOf(f, n))),
  backward: (g, { inputs: [a] }, need) => [
    need[0] ? gradPerMatrix(g, a, (off, f, n) => {
      const c = cofactors(a.data, off, n, f);
      if (f.singular) for (let i = 0; i < c.length; i++) c[i] *= 0;
      return c;
    }) : null,
  ],
});

/** One number per matrix of the batch, from its factors. */
function perMatrix(a: Tensor, value: (f: LU, n: number) => number): Tensor {
  const n = a.shape[a.ndim - 1];
  const out = make(a, a.shape.slice(0, -2));
  if (n === 0) out.data.fill(value(factor([], 0, 0), 0));
  eachMatrix(a, n, (off, b) => (out.data[b] = value(factor(a.data, off, n), n)));
  return out;
}

/** A gradient per matrix: the incoming number for that matrix times a matrix of its own. */
function gradPerMatrix(g: Tensor, a: Tensor, local: (off: number, f: LU, n: number) => Float64Array): Tensor {
  const n = a.shape[a.ndim - 1];
  const ga = make(g, a.shape.slice());
  eachMatrix(a, n, (off, b) => {
    const m = local(off, factor(a.data, off, n), n);
    for (let i = 0; i < n * n; i++) ga.data[off + i] = g.data[b] * m[i];
  });
  return ga;
}

/** inv(A): LinalgInvExBackward0; the gradient is −A⁻ᵀ·grad·A⁻ᵀ. A singular matrix is PyTorch's error. */
export const invOp = defineOp({
  name: 'linalg_inv', label: 'inv', gradFn: 'LinalgInvExBackward0', inputs: ['A'],
  formulas: { A: '-at::matmul(inverse.mH(), at::matmul(grad, inverse.mH()))' }, saves: ['result'],
  forward: ([a]) => {
    const n = a.shape[a.ndim - 1];
    const out = make(a, a.shape.slice());
    eachMatrix(a, n, (off, b) => {
      const f = factor(a.data, off, n);
      if (f.singular) throw singularError('linalg.inv', a, b, f, n);
      out.data.set(solveWith(f, n, identity(n), 0, n), off);
    });
    return out;
  },
  backward: (g, { inputs: [a], result }, need) => {
    if (!need[0]) return [null];
    const n = a.shape[a.ndim - 1];
    const ga = make(g, a.shape.slice());
    eachMatrix(a, n, (off) => {
      const invT = transposeOf(Float64Array.from(result.data.subarray(off, off + n * n)), n);
      const gm = Float64Array.from(g.data.subarray(off, off + n * n));
      const r = matmulOf(matmulOf(invT, gm, n, n), invT, n, n);
      for (let i = 0; i < n * n; i++) ga.data[off + i] = -r[i];
    });
    return [ga];
  },
});

/** The (first) zero pivot as PyTorch reports it: "The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular." */
function singularError(fn: string, a: Tensor, b: number, f: LU, n: number): Error {
  let k = 0;
  while (k < n && f.lu[k * n + k] !== 0) k++;
  const batch = a.ndim > 2 ? `(Batch element ${b}): ` : '';
  return runtimeError(`${fn}: ${batch}The diagonal element ${k + 1} is zero, the inversion could not be completed because the input matrix is singular.`);
}

/**
 * solve(A, B) = A⁻¹·B for B of shape [.., n] (a vector) or [.., n, k]: LinalgSolveExBackward0; grad B = A⁻ᵀ·grad,
 * grad A = −(grad B)·Xᵀ.
 */
export const solveOp = defineOp<{ vector: boolean }>({
  name: 'linalg_solve', label: 'solve', gradFn: 'LinalgSolveExBackward0', inputs: ['A', 'B'],
  formulas: { A: '-gB · result.mH()', B: 'linalg_solve(A.mH(), grad)' }, saves: ['A', 'result'],
  forward: ([a, b], { vector }) => {
    const n = a.shape[a.ndim - 1];
    const k = vector ? 1 : b.shape[b.ndim - 1];
    const out = make(b.dtype === 'float64' ? b : a, b.shape.slice());
    eachMatrix(a, n, (off, i) => {
      const f = factor(a.data, off, n);
      if (f.singular) throw runtimeError('torch.linalg.solve: The solver failed because the input matrix is singular.');
      out.data.set(solveWith(f, n, b.data, i * n * k, k), i * n * k);
    });
    return out;
  },
  backward: (g, { inputs: [a, b], result, attrs: { vector } }, need) => {
    const n = a.shape[a.ndim - 1];
    const k = vector ? 1 : b.shape[b.ndim - 1];
    const ga = need[0] ? make(g, a.shape.slice()) : null;
    const gb = make(g, b.shape.slice());
    eachMatrix(a, n, (off, i) => {
      const fT = factor(transposeOf(Float64Array.from(a.data.subarray(off, off + n * n)), n), 0, n);
      const gbm = solveWith(fT, n, g.data, i * n * k, k);
      gb.data.set(gbm, i * n * k);
      if (ga) {
        for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
          let s = 0;
          for (let j = 0; j < k; j++) s += gbm[r * k + j] * result.data[i * n * k + c * k + j];
          ga.data[off + r * n + c] = -s;
        }
      }
    });
    return [ga, need[1] ? gb : null];
  },
});

/** slogdet's log|det(A)| (LinalgSlogdetBackward0): its gradient is grad · A⁻ᵀ. */
export const logabsdetOp = defineOp({
  name: 'linalg_slogdet', label: 'slogdet', gradFn: 'LinalgSlogdetBackward0', inputs: ['A'],
  formulas: { A: 'slogdet_backward(grad_sign, grad_logabsdet, A, sign, LU, pivots)' }, saves: ['A'],
  forward: ([a]) => perMatrix(a, (f, n) => Math.log(Math.abs(detOf(f, n)))),
  backward: (g, { inputs: [a] }, need) => [need[0] ? gradPerMatrix(g, a, (_off, f, n) => transposeOf(solveWith(f, n, identity(n), 0, n), n)) : null],
});

export function det(a: Tensor): Tensor {
  checkSquare('linalg.det', a);
  return apply(detOp, [a], {});
}
export function inv(a: Tensor): Tensor {
  checkSquare('linalg.inv', a);
  return apply(invOp, [a], {});
}
export function solve(a: Tensor, b: Tensor): Tensor {
  const n = checkSquare('linalg.solve', a);
  const vector = b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i]));
  if (b.shape[vector ? b.ndim - 1 : b.ndim - 2] !== n) {
    throw runtimeError(`linalg.solve: Incompatible shapes of A and B for the equation AX = B (${a.shape.slice(-2).join('x')} and ${b.shape.slice(-2).join('x')})`);
  }
  if (a.ndim > 2 && b.ndim > 1 && a.numel / (n * n) !== (vector ? b.numel / n : b.numel / (n * b.shape[b.ndim - 1]))) {
    throw runtimeError('linalg.solve: batched A and B must have the same batch shape in this playground');
  }
  return apply(solveOp, [a, b], { vector });
}

/** slogdet's sign: an output of the same node, with no gradient of its own. */
const signOp = defineOp({
  name: 'linalg_slogdet_sign', label: 'slogdet', gradFn: 'LinalgSlogdetBackward0', inputs: ['A'], formulas: { A: '0' }, saves: [],
  forward: ([a]) => perMatrix(a, (f, n) => Math.sign(detOf(f, n))),
  backward: () => [null],
});
const slogdetMulti: MultiOutputDef = {
  name: 'linalg_slogdet', label: 'slogdet', gradFn: 'LinalgSlogdetBackward0', inputs: ['A'], formulas: logabsdetOp.formulas, saves: ['A'],
};
/** (sign, logabsdet): both outputs of one LinalgSlogdetBackward0, as in PyTorch; only logabsdet has a gradient. */
export function slogdet(a: Tensor): [Tensor, Tensor] {
  checkSquare('linalg.slogdet', a);
  const [sign, logabsdet] = applyMulti(slogdetMulti, [a], {}, [{ op: signOp, attrs: {} }, { op: logabsdetOp, attrs: {} }]);
  return [sign, logabsdet];
}
/** logdet: log|det| where det > 0, NaN where negative (WhereBackward0 over LinalgSlogdetBackward0, as PyTorch). */
export function logdet(a: Tensor): Tensor {
  const [sign, logabsdet] = slogdet(a);
  return where(eq(sign, -1), NaN, logabsdet);
}
