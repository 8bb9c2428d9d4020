// torch.rot90, block_diag, kron, tensordot, cov, corrcoef (differentiable, recorded as PyTorch 1.13 records them:
// rot90 and block_diag are their own nodes, kron/tensordot/cov/corrcoef PyTorch's composites of views, mul, mm,
// sums and divisions) and searchsorted, bucketize, bincount, histc (integer or counting results, no gradient).
import { engine, EngineError, runtimeError, withoutGrad } from '../context';
import { created } from '../creation';
import { isFloating, isIntegral, resultType2, scalarTypeName, DEFAULT_FLOAT, type DType } from '../dtype';
import { Tensor, normalizeDim, numelOf, stridesOf } from '../tensor';
import * as libm from '../lang/libm';
import { apply, defineOp } from './define';
import { broadcastShapes, div, eq, gt, mul, pow, sub } from './arith';
import { addScalar } from './extra';
import { where } from './select';
import { abs, clamp, clampMin, reciprocal, sign, sqrt } from './unary';
import { sum, vectorNorm } from './reduce';
import { matmul, mm } from './linalg';
import { cumprod, diagonal, flatOf, flip, make, pickBy, pickOp } from './more';
import { fillOp, inplace } from './inplace';
import { broadcastIndex } from '../kernels/elementwise';
import { cat, clone, expand, permute, reshape, selectDim, sliceDim, squeeze, t as transpose2d, transpose, unsafeViewOp, unsqueeze, view, withStrides } from './shape';

// ---------------------------------------------------------------- rot90

export const rot90Op = pickOp('rot90', 'Rot90Backward0', 'grad.rot90(-k, dims)');

/**
 * rot90(x, k, dims): k quarter turns from dims[0] towards dims[1]. PyTorch's result for an odd k is a transposed
 * view of a flip (its strides say so); k = 0 is a contiguous clone; all are one Rot90Backward0 node.
 */
export function rot90(x: Tensor, k = 1, dims: number[] = [0, 1]): Tensor {
  const total = x.ndim;
  if (dims.length !== 2) throw runtimeError(`expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (total < 2) throw runtimeError(`expected total dims >= 2, but got total dims = ${total}`);
  if (dims[0] === dims[1] || Math.abs(dims[0] - dims[1]) === total) {
    throw runtimeError(`expected rotation dims to be different, but got dim0 = ${dims[0]} and dim1 = ${dims[1]}`);
  }
  if (dims[0] >= total || dims[0] < -total) throw runtimeError(`Rotation dim0 out of range, dim0 = ${dims[0]}`);
  if (dims[1] >= total || dims[1] < -total) throw runtimeError(`Rotation dim1 out of range, dim1 = ${dims[1]}`);
  const d0 = normalizeDim(dims[0], total);
  const d1 = normalizeDim(dims[1], total);
  const turns = (4 + (k % 4)) % 4;
  const st = stridesOf(x.shape);
  const n0 = x.shape[d0];
  const n1 = x.shape[d1];
  const shape = x.shape.slice();
  if (turns % 2) [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  const pick = pickBy(x, shape, (idx) => {
    const src = idx.slice();
    if (turns === 1) [src[d0], src[d1]] = [idx[d1], n1 - 1 - idx[d0]];
    else if (turns === 2) [src[d0], src[d1]] = [n0 - 1 - idx[d0], n1 - 1 - idx[d1]];
    else if (turns === 3) [src[d0], src[d1]] = [n0 - 1 - idx[d1], idx[d0]];
    return flatOf(src, st);
  });
  const out = apply(rot90Op, [x], { pick });
  if (turns % 2 === 0) return out;
  const strides = stridesOf(x.shape);
  [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  return withStrides(out, strides);
}

// ---------------------------------------------------------------- block_diag

/** torch.block_diag: the inputs (scalars and vectors as one row) down the diagonal of a zero matrix. */
export const blockDiagOp = defineOp<{ shapes: [number, number][] }>({
  name: 'block_diag', label: 'block_diag', gradFn: 'BlockDiagBackward0', inputs: ['tensors'],
  formulas: { tensors: 'block_diag_backward(grad, sizes, dtypes)' }, saves: [],
  forward: (xs, { shapes }) => {
    const rows = shapes.reduce((s, [r]) => s + r, 0);
    const cols = shapes.reduce((s, [, c]) => s + c, 0);
    const dtype = xs.reduce<DType>((d, x) => resultType2(d, false, false, x.dtype, false, false), xs[0].dtype);
    const out = make(dtype, [rows, cols]);
    let r0 = 0;
    let c0 = 0;
    xs.forEach((x, k) => {
      const [r, c] = shapes[k];
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[(r0 + i) * cols + c0 + j] = x.data[i * c + j];
      r0 += r;
      c0 += c;
    });
    return out;
  },
  backward: (g, { inputs, attrs: { shapes } }, n) => {
    const cols = g.shape[1];
    let r0 = 0;
    let c0 = 0;
    return inputs.map((x, k) => {
      const [r, c] = shapes[k];
      let out: Tensor | null = null;
      if (n[k]) {
        out = make(g.dtype, x.shape);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[i * c + j] = g.data[(r0 + i) * cols + c0 + j];
      }
      r0 += r;
      c0 += c;
      return out;
    });
  },
});

export function blockDiag(xs: Tensor[]): Tensor {
  if (xs.length === 0) return make(DEFAULT_FLOAT, [0, 0]);
  const shapes = xs.map((x, i): [number, number] => {
    if (x.ndim > 2) throw runtimeError(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${x.ndim} dimensions`);
    return x.ndim === 2 ? [x.shape[0], x.shape[1]] : x.ndim === 1 ? [1, x.shape[0]] : [1, 1];
  });
  return apply(blockDiagOp, xs, { shapes });
}

// ---------------------------------------------------------------- kron, tensordot

/**
 * kron(a, b) as PyTorch 1.13's KronImpl: a viewed as [a0, 1, a1, 1, ...], b as [1, b0, 1, b1, ...] (both padded
 * to the larger rank), multiplied with broadcasting, viewed as [a0·b0, a1·b1, ...]: UnsafeViewBackward0 over
 * MulBackward0 over each input's UnsafeViewBackward0.
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const nd = Math.max(a.ndim, b.ndim);
  const padA = nd - a.ndim;
  const padB = nd - b.ndim;
  const aShape: number[] = [];
  const bShape: number[] = [];
  const outShape: number[] = [];
  for (let i = 0; i < nd; i++) {
    const ai = i >= padA ? a.shape[i - padA] : 1;
    const bi = i >= padB ? b.shape[i - padB] : 1;
    aShape.push(ai, 1);
    bShape.push(1, bi);
    outShape.push(ai * bi);
  }
  const av = apply(unsafeViewOp, [a], { shape: aShape });
  const bv = apply(unsafeViewOp, [b], { shape: bShape });
  return apply(unsafeViewOp, [mul(av, bv)], { shape: outShape });
}

/**
 * tensordot(a, b, dims_a, dims_b) as PyTorch 1.13's: contracted dims of size 1 on one side summed first, each
 * input permuted (free dims, then contracted) and reshaped to a matrix, one mm, then reshaped to the free sizes.
 */
export function tensordot(a: Tensor, b: Tensor, dimsA: number[], dimsB: number[]): Tensor {
  if (dimsA.length !== dimsB.length) throw runtimeError('both dimension lists should have same length');
  let t1 = a;
  let t2 = b;
  let csize = 1;
  for (let i = 0; i < dimsA.length; i++) {
    const s1 = a.shape[normalizeDim(dimsA[i], Math.max(a.ndim, 1))];
    const s2 = b.shape[normalizeDim(dimsB[i], Math.max(b.ndim, 1))];
    if (s2 === 1) t1 = sum(t1, [dimsA[i]], true);
    else if (s1 === 1) t2 = sum(t2, [dimsB[i]], true);
    else {
      if (s1 !== s2) throw runtimeError(`contracted dimensions need to match, but first has size ${s1} in dim ${dimsA[i]} and second has size ${s2} in dim ${dimsB[i]}`);
      csize *= s1;
    }
  }
  const ca = new Set(dimsA.map((d) => normalizeDim(d, Math.max(a.ndim, 1))));
  const cb = new Set(dimsB.map((d) => normalizeDim(d, Math.max(b.ndim, 1))));
  if (ca.size !== dimsA.length) throw runtimeError(`dim ${dimsA.find((d, i) => dimsA.findIndex((e) => normalizeDim(e, a.ndim) === normalizeDim(d, a.ndim)) !== i)} appears multiple times in the list of dims`);
  if (cb.size !== dimsB.length) throw runtimeError(`dim ${dimsB.find((d, i) => dimsB.findIndex((e) => normalizeDim(e, b.ndim) === normalizeDim(d, b.ndim)) !== i)} appears multiple times in the list of dims`);
  const p1: number[] = [];
  const p2: number[] = [];
  const rsizes: number[] = [];
  let size1 = 1;
  let size2 = 1;
  for (let i = 0; i < a.ndim; i++) {
    if (!ca.has(i)) {
      p1.push(i);
      size1 *= t1.shape[i];
      rsizes.push(t1.shape[i]);
    }
  }
  p1.push(...dimsA);
  p2.push(...dimsB);
  for (let i = 0; i < b.ndim; i++) {
    if (!cb.has(i)) {
      p2.push(i);
      size2 *= t2.shape[i];
      rsizes.push(t2.shape[i]);
    }
  }
  const m1 = reshape(permute(t1, p1), [size1, csize]);
  const m2 = reshape(permute(t2, p2), [csize, size2]);
  return reshape(mm(m1, m2), rsizes);
}

// ---------------------------------------------------------------- cov, corrcoef

/**
 * torch.cov without weights, as PyTorch 1.13 composes it: the mean over observations (a sum divided by their
 * count), the centred input, mm with its transpose, divided by count − correction (0 when that is ≤ 0), squeezed.
 */
export function cov(x: Tensor, correction = 1): Tensor {
  if (x.ndim > 2) throw runtimeError(`cov(): expected input to have two or fewer dimensions but got an input with ${x.ndim} dimensions`);
  if (x.dtype === 'bool') throw runtimeError('cov(): bool dtype is not supported for input');
  let input = x.ndim < 2 ? view(x, [1, -1]) : x;
  const observations = input.shape[1];
  const count = longScalar(observations);
  const avg = div(sum(input, [1]), count);
  const factor = longScalar(Math.max(observations - correction, 0));
  input = sub(input, unsqueeze(avg, 1));
  return squeeze(div(mm(input, transpose2d(input)), factor));
}

/** PyTorch's at::scalar_tensor(n, kLong): a new 0-dim leaf. */
function longScalar(v: number): Tensor {
  const t = make('int64', []);
  t.data[0] = v;
  return created(t, 'scalar_tensor');
}

/** torch.corrcoef: cov divided by the standard deviations on both sides, clipped to [−1, 1]. */
export function corrcoef(x: Tensor): Tensor {
  let c = cov(x);
  if (c.ndim === 0) return div(c, c);
  const stddev = sqrt(diagonal(c));
  c = div(c, view(stddev, [-1, 1]));
  c = div(c, view(stddev, [1, -1]));
  return clamp(c, -1, 1);
}

// ---------------------------------------------------------------- searchsorted, bucketize, bincount, histc

/** An op with an integer (or counting) result: not recorded; its event links its inputs. */
function countingOp<A>(name: string, forward: (xs: Tensor[], a: A) => Tensor) {
  return defineOp<A>({ name, label: name, gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false, forward, backward: () => [null] });
}

/** The insertion index of v in the sorted run s[lo, lo + n): the first s ≥ v (the first s > v when right). */
function insertionIndex(s: ArrayLike<number>, lo: number, n: number, v: number, right: boolean): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = (a + b) >> 1;
    const x = s[lo + m];
    if (right ? !(x > v) : x < v) a = m + 1;
    else b = m;
  }
  return a;
}

export const searchsortedOp = countingOp<{ right: boolean; int32: boolean }>('searchsorted', ([s, v], { right, int32 }) => {
  const out = make(int32 ? 'int32' : 'int64', v.shape);
  const n = s.shape[s.ndim - 1] ?? 1;
  const inner = v.ndim === 0 ? 1 : v.shape[v.ndim - 1];
  for (let i = 0; i < out.data.length; i++) {
    const row = s.ndim <= 1 ? 0 : Math.floor(i / inner);
    out.data[i] = insertionIndex(s.data, row * n, n, v.data[i], right);
  }
  return out;
});

export function searchsorted(sorted: Tensor, values: Tensor, right = false, int32 = false): Tensor {
  if (sorted.ndim > 1 && (values.ndim !== sorted.ndim || values.shape.slice(0, -1).some((d, i) => d !== sorted.shape[i]))) {
    throw runtimeError(`torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [${sorted.shape.join(', ')}] and input value tensor [${values.shape.join(', ')}]`);
  }
  if (sorted.ndim === 0) throw runtimeError('torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension');
  return apply(searchsortedOp, [sorted, values], { right, int32 });
}

export function bucketize(values: Tensor, boundaries: Tensor, right = false, int32 = false): Tensor {
  if (boundaries.ndim !== 1) throw runtimeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return apply(searchsortedOp, [boundaries, values], { right, int32 });
}

export const bincountOp = countingOp<{ length: number }>('bincount', ([x, w], { length }) => {
  const dtype: DType = w ? (w.dtype === 'float32' ? 'float32' : 'float64') : 'int64';
  const out = make(dtype, [length]);
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  for (let i = 0; i < x.data.length; i++) out.data[x.data[i]] = w ? r(out.data[x.data[i]] + w.data[i]) : out.data[x.data[i]] + 1;
  return out;
});

export function bincount(x: Tensor, weights: Tensor | null = null, minlength = 0): Tensor {
  if (minlength < 0) throw runtimeError('minlength should be >= 0');
  if (!isIntegral(x.dtype)) throw runtimeError(`"bincount_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (x.ndim !== 1 || Array.prototype.some.call(x.data, (v: number) => v < 0)) {
    throw runtimeError('bincount only supports 1-d non-negative integral inputs.');
  }
  if (weights && (weights.ndim !== 1 || weights.shape[0] !== x.shape[0])) throw runtimeError('weights should be 1-d and have the same length as input');
  let max = -1;
  for (let i = 0; i < x.data.length; i++) max = Math.max(max, x.data[i]);
  return apply(bincountOp, weights ? [x, weights] : [x], { length: Math.max(max + 1, minlength) });
}

export const histcOp = countingOp<{ bins: number; min: number; max: number }>('histc', ([x], { bins, min, max }) => {
  const out = make(x.dtype, [bins]);
  const r = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i];
    if (!(v >= min && v <= max)) continue;
    let pos = Math.trunc(r(r(r(v - min) * bins) / r(max - min)));
    if (pos === bins) pos -= 1;
    out.data[pos] += 1;
  }
  return out;
});

export function histc(x: Tensor, bins = 100, min = 0, max = 0): Tensor {
  if (!isFloating(x.dtype)) throw runtimeError(`"histogram_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (bins <= 0) throw runtimeError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
  let lo = min;
  let hi = max;
  if (lo === hi && x.numel > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < x.data.length; i++) {
      lo = Math.min(lo, x.data[i]);
      hi = Math.max(hi, x.data[i]);
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (lo > hi) throw runtimeError('torch.histc: max must be larger than min');
  const r = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  return apply(histcOp, [x], { bins, min: r(lo), max: r(hi) });
}

// ---------------------------------------------------------------- cdist

/** Runs f with grad mode and events off: an op's forward composed of other ops' kernels. */
function quietly<T>(f: () => T): T {
  const wasActive = engine.events.active;
  engine.events.active = false;
  try {
    return withoutGrad(f);
  } finally {
    engine.events.active = wasActive;
  }
}

/**
 * ‖x1ᵢ − x2ⱼ‖_p for every pair of rows (batched, broadcast), PyTorch's CPU kernel: one sequential pass over the
 * columns per pair in the dtype (p = 2: Σ d² with fused multiply-adds, then sqrt; 1: Σ |d|; 0: the count of
 * d ≠ 0; ∞: max |d|; else pow(Σ |d|^p, 1/p)).
 */
export const cdistOp = defineOp<{ p: number; batch: number[] }>({
  name: 'cdist', label: 'cdist', gradFn: 'CdistBackward0', inputs: ['x1', 'x2'],
  formulas: { x1: '_cdist_backward(grad, x1, x2, p, result)', x2: '_cdist_backward(grad.mT(), x2, x1, p, result.mT())' }, saves: ['x1', 'x2', 'result'],
  forward: ([a, b], { p, batch }) => {
    const [r1, c] = a.shape.slice(-2);
    const r2 = b.shape[b.ndim - 2];
    const dtype = a.dtype;
    const out = make(dtype, [...batch, r1, r2]);
    const f32 = dtype === 'float32';
    const r = f32 ? Math.fround : (v: number) => v;
    const B = numelOf(batch);
    const ba = numelOf(a.shape.slice(0, -2)) === 1 ? 0 : r1 * c;
    const bb = numelOf(b.shape.slice(0, -2)) === 1 ? 0 : r2 * c;
    for (let l = 0; l < B; l++) {
      for (let i = 0; i < r1; i++) {
        for (let j = 0; j < r2; j++) {
          let agg = 0;
          for (let k = 0; k < c; k++) {
            const d = Math.abs(r(a.data[l * ba + i * c + k] - b.data[l * bb + j * c + k]));
            if (p === 2) agg = r(d * d + agg);
            else if (p === 1) agg = r(agg + d);
            else if (p === 0) agg = r(agg + Math.min(Math.ceil(d), 1));
            else if (p === Infinity) agg = Math.max(agg, d);
            else agg = r(agg + r(libm.pow(d, p)));
          }
          out.data[(l * r1 + i) * r2 + j] = p === 2 ? r(Math.sqrt(agg)) : p === 1 || p === 0 || p === Infinity ? agg : r(libm.pow(agg, 1 / p));
        }
      }
    }
    return out;
  },
  backward: (g, { inputs: [a, b], result, attrs }, n) => [
    n[0] ? cdistGrad(g, a, b, result, attrs, false) : null,
    n[1] ? cdistGrad(g, a, b, result, attrs, true) : null,
  ],
});

/**
 * PyTorch's _cdist_backward for x1 (or, with `second`, for x2: _cdist_backward(grad.mT, x2, x1, p, result.mT)):
 * per element of a row, Σ over the other side's rows of the p-norm's local derivative times grad, each step in the
 * dtype, in the kernel's order.
 */
function cdistGrad(g: Tensor, a: Tensor, b: Tensor, result: Tensor, { p, batch }: { p: number; batch: number[] }, second: boolean): Tensor {
  const [r1, c] = a.shape.slice(-2);
  const r2 = b.shape[b.ndim - 2];
  const B = numelOf(batch);
  const r = g.dtype === 'float32' ? Math.fround : (v: number) => v;
  const [rows, others] = second ? [r2, r1] : [r1, r2];
  const out = make(g.dtype, [...batch, rows, c]);
  const ba = numelOf(a.shape.slice(0, -2)) === 1 ? 0 : r1 * c;
  const bb = numelOf(b.shape.slice(0, -2)) === 1 ? 0 : r2 * c;
  const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);
  for (let l = 0; l < B; l++) {
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let j = 0; j < others; j++) {
          const [ia, jb] = second ? [j, i] : [i, j];
          const at = (l * r1 + ia) * r2 + jb;
          const x = a.data[l * ba + ia * c + k];
          const y = b.data[l * bb + jb * c + k];
          const diff = second ? r(y - x) : r(x - y);
          const dist = result.data[at];
          const gr = g.data[at];
          let v: number;
          if (p === 0) v = 0;
          else if (p === 1) v = r(gr * sign(diff));
          else if (p === 2) v = dist === 0 ? 0 : r(r(gr * diff) / dist);
          else if (p === Infinity) v = r(r(gr * sign(diff)) * (Math.abs(diff) === dist ? 1 : 0));
          else if (p < 2) v = dist === 0 || (diff === 0 && p < 1) ? 0 : r(r(r(sign(diff) * r(libm.pow(Math.abs(diff), r(p - 1)))) * gr) / r(libm.pow(dist, r(p - 1))));
          else v = dist === 0 ? 0 : r(r(r(diff * r(libm.pow(Math.abs(diff), r(p - 2)))) * gr) / r(libm.pow(dist, r(p - 1))));
          acc = r(acc + v);
        }
        out.data[(l * rows + i) * c + k] = acc;
      }
    }
  }
  return out;
}

/**
 * The gradient of CdistBackward0 under create_graph: _cdist_backward's result, a node with no derivative in PyTorch
 * (NotImplemented): going through it again fails with PyTorch's error.
 */
export const cdistBackwardOp = defineOp<{ p: number; batch: number[]; second: boolean }>({
  name: 'cdist_backward', label: 'cdist backward', gradFn: 'NotImplemented', inputs: ['grad', 'x1', 'x2', 'result'],
  formulas: { grad: 'not_implemented("_cdist_backward")' }, saves: [],
  forward: ([g, a, b, result], attrs) => cdistGrad(g, a, b, result, attrs, attrs.second),
  backward: () => {
    throw new EngineError('NotImplementedError', "the derivative for '_cdist_backward' is not implemented.");
  },
});

/**
 * _euclidean_dist: sqrt(clamp_min([−2·x1, |x1|², 1] @ [x2, 1, |x2|²]ᵀ, 0)), the matrix-product form cdist takes for
 * p = 2 when either side has more than 25 rows. Its backward is PyTorch's _euclidean_dist_backward, with recording
 * ops (so it has a second derivative, as in PyTorch).
 */
export const euclideanDistOp = defineOp({
  name: 'euclidean_dist', label: 'euclidean_dist', gradFn: 'EuclideanDistBackward0', inputs: ['self', 'x2'],
  formulas: { self: 'x1 * ratio.sum(-1, true) - ratio.matmul(x2), ratio = grad / result (0 where result is 0)', x2: 'x2 * ratio.sum(-2).unsqueeze(-1) - ratio.mT().matmul(x1)' },
  saves: ['self', 'x2', 'result'],
  forward: ([a, b]) => quietly(() => {
    const an = sum(mul(a, a), [-1], true);
    const bn = sum(mul(b, b), [-1], true);
    const a1 = cat([mul(a, -2), an, onesLike(an)], -1);
    const b1 = cat([b, onesLike(bn), bn], -1);
    return sqrt(clampMin(matmul(a1, transpose(b1, -1, -2)), 0));
  }),
  backward: (g, { inputs: [a, b], result }, n) => {
    const ratio = where(eq(result, 0), 0, div(g, result));
    return [
      n[0] ? sub(mul(a, sum(ratio, [-1], true)), matmul(ratio, b)) : null,
      n[1] ? sub(mul(b, unsqueeze(sum(ratio, [-2]), -1)), matmul(transpose(ratio, -1, -2), a)) : null,
    ];
  },
});

function onesLike(t: Tensor): Tensor {
  const o = make(t.dtype, t.shape);
  o.data.fill(1);
  return o;
}

const COMPUTE_MODES = ['use_mm_for_euclid_dist_if_necessary', 'use_mm_for_euclid_dist', 'donot_use_mm_for_euclid_dist'];

/**
 * torch.cdist(x1, x2, p, compute_mode) as PyTorch 1.13 records it: CdistBackward0 on the inputs, or for p = 2 with
 * more than 25 rows on a side (or compute_mode='use_mm_for_euclid_dist') the matrix-product form,
 * ViewBackward0 over EuclideanDistBackward0 (batched inputs expanded, made contiguous and viewed as [B, r, c]).
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2, computeMode = COMPUTE_MODES[0]): Tensor {
  const mode = COMPUTE_MODES.indexOf(computeMode);
  if (mode < 0) throw new EngineError('ValueError', `${computeMode} is not a valid value for compute_mode`);
  if (x1.ndim < 2) throw runtimeError(`cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw runtimeError(`cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  const c = x1.shape[x1.ndim - 1];
  if (c !== x2.shape[x2.ndim - 1]) throw runtimeError(`X1 and X2 must have the same number of columns. X1: ${c} X2: ${x2.shape[x2.ndim - 1]}`);
  if (!isFloating(x1.dtype)) throw runtimeError(`cdist only supports floating-point dtypes, X1 got: ${scalarTypeName(x1.dtype)}`);
  if (!isFloating(x2.dtype)) throw runtimeError(`cdist only supports floating-point dtypes, X2 got: ${scalarTypeName(x2.dtype)}`);
  if (p < 0) throw runtimeError('cdist only supports non-negative p values');
  const r1 = x1.shape[x1.ndim - 2];
  const r2 = x2.shape[x2.ndim - 2];
  const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  const outShape = [...batch, r1, r2];
  if (p === 2 && (mode === 1 || (mode === 0 && (r1 > 25 || r2 > 25)))) {
    const B = numelOf(batch);
    if (B === 1) return view(apply(euclideanDistOp, [x1, x2], {}), outShape);
    const flat = (x: Tensor, r: number) => {
      const e = expand(x, [...batch, r, c]);
      return view(e.strides ? clone(e) : e, [B, r, c]);
    };
    return view(apply(euclideanDistOp, [flat(x1, r1), flat(x2, r2)], {}), outShape);
  }
  return apply(cdistOp, [x1, x2], { p, batch });
}

// ---------------------------------------------------------------- renorm

const otherDims = (x: Tensor, dim: number): number[] => [...Array(x.ndim).keys()].filter((d) => d !== dim);

/**
 * renorm(x, p, dim, maxnorm): each slice along dim whose p-norm exceeds maxnorm scaled by maxnorm / (norm + 1e-7)
 * (in the dtype, as PyTorch's renorm_scale_factor), as one RenormBackward0 node; its backward is PyTorch's
 * renorm_backward, with recording ops.
 */
export const renormOp = defineOp<{ p: number; dim: number; maxnorm: number }>({
  name: 'renorm', label: 'renorm', gradFn: 'RenormBackward0', inputs: ['self'], formulas: { self: 'renorm_backward(grad, self, p, dim, maxnorm)' }, saves: ['self'],
  forward: ([x], { p, dim, maxnorm }) => {
    const norm = quietly(() => vectorNormRaw(x, p, otherDims(x, dim)));
    const r = x.dtype === 'float32' ? Math.fround : (v: number) => v;
    const max = r(maxnorm);
    const eps = r(1e-7);
    const out = make(x.dtype, x.shape);
    const inner = numelOf(x.shape.slice(dim + 1));
    const size = x.shape[dim];
    for (let i = 0; i < out.data.length; i++) {
      const n = norm.data[Math.floor(i / inner) % size];
      out.data[i] = r(x.data[i] * (n > max ? r(max / r(n + eps)) : 1));
    }
    return out;
  },
  backward: (g, { inputs: [x], attrs: { p, dim, maxnorm } }, n) => {
    if (!n[0]) return [null];
    const dims = otherDims(x, dim);
    const norm = vectorNormRaw(x, p, dims);
    const go = sum(mul(x, g), dims, true);
    // norm_backward's order: self · (grad / norm) for p = 2, sgn · grad for 1, self · |self|^(p−2) · grad / norm^(p−1).
    const nb = p === 2 ? mul(x, where(eq(norm, 0), 0, div(go, norm))) : p === 1 ? mul(sign(x), go)
      : where(eq(norm, 0), 0, div(mul(mul(x, pow(abs(x), p - 2)), go), pow(norm, p - 1)));
    const invnorm = reciprocal(addScalar(norm, 1e-7));
    const factor = mul(invnorm, maxnorm);
    return [where(gt(norm, maxnorm), sub(mul(factor, g), mul(mul(factor, invnorm), nb)), g)];
  },
});

const vectorNormRaw = (x: Tensor, p: number, dims: number[]): Tensor => vectorNorm(x, p, dims, true);

export function renorm(x: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  if (p <= 0) throw runtimeError('renorm: non-positive-norm not supported');
  if (maxnorm < 0) throw runtimeError(`renorm: expected maxnorm to be >= 0 but got ${maxnorm}`);
  if (!Number.isFinite(p)) throw runtimeError('renorm(p=inf) is not supported in this playground');
  if (x.ndim <= 1) throw runtimeError(`renorm: input needs at least 2 dimensions, got ${x.ndim} dimensions`);
  return apply(renormOp, [x], { p, dim: normalizeDim(dim, x.ndim), maxnorm });
}

// ---------------------------------------------------------------- vander

/** x.copy_(src) as a recorded op (CopyBackwards): src broadcast to x and cast to its dtype; grad to src only. */
export const copyOp = defineOp({
  name: 'copy_', label: 'copy_', gradFn: 'CopyBackwards', inputs: ['self', 'src'], formulas: { self: 'zeros_like(grad)', src: 'grad' }, saves: [],
  forward: ([x, src]) => {
    const out = make(x.dtype, x.shape);
    const { ia } = broadcastIndex(src.shape, x.shape, x.shape);
    for (let i = 0; i < out.data.length; i++) out.data[i] = src.data[ia[i]];
    return out;
  },
  backward: (g, { inputs: [x] }, n) => [n[0] ? make(g.dtype, x.shape) : null, n[1] ? g : null],
});

/**
 * torch.vander(x, N, increasing) as PyTorch 1.13 writes it: an empty [len, N] result (x's dtype promoted with
 * int64), column 0 filled with 1, columns 1.. copied from x.unsqueeze(1), then overwritten by their cumprod along
 * dim 1 (two CopySlices), flipped unless increasing.
 */
export function vander(x: Tensor, n: number | null = null, increasing = false): Tensor {
  if (x.ndim !== 1) throw runtimeError('x must be a one-dimensional tensor.');
  const cols = n ?? x.shape[0];
  if (cols < 0) throw runtimeError('N must be non-negative.');
  const dtype: DType = isFloating(x.dtype) ? x.dtype : 'int64';
  const result = created(make(dtype, [x.shape[0], cols]), 'empty');
  if (cols > 0) {
    inplace(selectDim(result, 1, 0), fillOp, [], { value: 1 }, 'fill_');
    if (cols > 1) {
      inplace(sliceDim(result, 1, 1, cols), copyOp, [unsqueeze(x, 1)], {}, 'copy_');
      inplace(sliceDim(result, 1, 1, cols), copyOp, [cumprod(sliceDim(result, 1, 1, cols), 1)], {}, 'copy_');
    }
  }
  return increasing ? result : flip(result, [1]);
}
