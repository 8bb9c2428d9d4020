// Matrix products: mm, mv, dot, batched matmul, addmm, and linear built from them as PyTorch does.
import { allocStorage, type DType, copyStorage, releaseStorage, scalarTypeName } from '../dtype';
import { runtimeError } from '../context';
import { Tensor, numelOf } from '../tensor';
import { matmul as gemmKernel, bmm as bmmKernel } from '../kernels/matmul';
import type { FloatArray } from '../kernels/types';
import { apply, defineOp } from './define';
import { add, broadcastShapes } from './arith';
import { expandTo, sumTo, t, unsqueeze, squeeze, reshape, unsafeViewOp, transpose, expand, clone, view } from './shape';


/** PyTorch 1.13's wording for operands of different dtypes: addmm (linear), dot, and the rest (mm, mv, bmm). */
function sameDtype(op: 'addmm' | 'mm' | 'mv' | 'dot' | 'bmm', a: Tensor, b: Tensor): void {
  if (a.dtype === b.dtype) return;
  if (op === 'addmm') throw runtimeError('mat1 and mat2 must have the same dtype');
  if (op === 'dot') throw runtimeError(`dot : expected both vectors to have same dtype, but found ${scalarTypeName(a.dtype)} and ${scalarTypeName(b.dtype)}`);
  throw runtimeError(`expected scalar type ${scalarTypeName(a.dtype)} but found ${scalarTypeName(b.dtype)}`);
}

/** C = op(A)·op(B) for 2-D tensors, raw. */
export function mmRaw(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  const out = new Tensor(allocStorage(a.dtype, m * n), [m, n], a.dtype);
  gemmKernel(a.data as FloatArray, b.data as FloatArray, out.data as FloatArray, m, k, n, transA, transB);
  return out;
}

export const mmOp = defineOp({
  name: 'mm', label: '@', gradFn: 'MmBackward0', inputs: ['self', 'mat2'],
  formulas: { self: 'grad.mm(mat2.t())', mat2: 'self.t().mm(grad)' }, saves: ['self', 'mat2'],
  forward: ([a, b]) => {
    if (a.ndim !== 2) throw runtimeError(`self must be a matrix`);
    if (b.ndim !== 2) throw runtimeError(`mat2 must be a matrix`);
    if (a.shape[1] !== b.shape[0]) {
      throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
    }
    sameDtype('mm', a, b);
    return mmRaw(a, b);
  },
  backward: (g, { inputs: [a, b] }, n) => [n[0] ? mmRaw(g, b, false, true) : null, n[1] ? mmRaw(a, g, true, false) : null],
});

export const addmmOp = defineOp({
  name: 'addmm', label: 'addmm', gradFn: 'AddmmBackward0', inputs: ['self', 'mat1', 'mat2'],
  formulas: { self: 'grad', mat1: 'grad.mm(mat2.t())', mat2: 'mat1.t().mm(grad)' }, saves: ['mat1', 'mat2'],
  forward: ([bias, a, b]) => {
    if (a.shape[1] !== b.shape[0]) {
      throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
    }
    sameDtype('addmm', a, b);
    const out = expandTo(bias, [a.shape[0], b.shape[1]]);
    const c = out === bias ? new Tensor(copyStorage(bias.data), bias.shape.slice(), bias.dtype) : out;
    gemmKernel(a.data as FloatArray, b.data as FloatArray, c.data as FloatArray, a.shape[0], a.shape[1], b.shape[1], false, false, true);
    return c;
  },
  backward: (g, { inputs: [bias, a, b] }, n) => [
    n[0] ? sumTo(g, bias.shape) : null,
    n[1] ? mmRaw(g, b, false, true) : null,
    n[2] ? mmRaw(a, g, true, false) : null,
  ],
});

export const mvOp = defineOp({
  name: 'mv', label: '@', gradFn: 'MvBackward0', inputs: ['self', 'vec'],
  formulas: { self: 'grad.ger(vec)', vec: 'self.t().mv(grad)' }, saves: ['self', 'vec'],
  forward: ([a, v]) => {
    if (a.shape[1] !== v.shape[0]) throw runtimeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]}`);
    sameDtype('mv', a, v);
    const out = mmRaw(a, reshapeRaw(v, [v.shape[0], 1]));
    return reshapeRaw(out, [a.shape[0]]);
  },
  backward: (g, { inputs: [a, v] }, n) => [
    n[0] ? mmRaw(reshapeRaw(g, [g.shape[0], 1]), reshapeRaw(v, [1, v.shape[0]])) : null,
    n[1] ? reshapeRaw(mmRaw(a, reshapeRaw(g, [g.shape[0], 1]), true, false), [a.shape[1]]) : null,
  ],
});

export const dotOp = defineOp({
  name: 'dot', label: '·', gradFn: 'DotBackward0', inputs: ['self', 'tensor'],
  formulas: { self: 'grad * tensor', tensor: 'grad * self' }, saves: ['self', 'tensor'],
  forward: ([a, b]) => {
    if (a.shape[0] !== b.shape[0]) {
      throw runtimeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
    }
    sameDtype('dot', a, b);
    let s = 0;
    for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
    const out = new Tensor(allocStorage(a.dtype, 1), [], a.dtype);
    out.data[0] = s;
    return out;
  },
  backward: (g, { inputs: [a, b] }, n) => [n[0] ? scale(b, g.data[0]) : null, n[1] ? scale(a, g.data[0]) : null],
});

function scale(x: Tensor, s: number): Tensor {
  const out = new Tensor(allocStorage(x.dtype, x.data.length), x.shape.slice(), x.dtype);
  for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i] * s;
  return out;
}

function reshapeRaw(x: Tensor, shape: number[]): Tensor {
  return new Tensor(x.data, shape, x.dtype, x.version);
}

/** Batched product with broadcast batch dims: [..., n, k] @ [..., k, m]. */
export const bmmOp = defineOp({
  name: 'matmul', label: '@', gradFn: 'BmmBackward0', inputs: ['self', 'mat2'],
  formulas: { self: 'grad.bmm(mat2.transpose(1, 2))', mat2: 'self.transpose(1, 2).bmm(grad)' }, saves: ['self', 'mat2'],
  forward: ([a, b]) => batched(a, b, false, false),
  backward: (g, { inputs: [a, b] }, n) => [
    n[0] ? sumTo(batched(g, b, false, true), a.shape) : null,
    n[1] ? sumTo(batched(a, g, true, false), b.shape) : null,
  ],
});

function batched(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [am, ak] = transA ? [a.shape[a.ndim - 1], a.shape[a.ndim - 2]] : [a.shape[a.ndim - 2], a.shape[a.ndim - 1]];
  const [bk, bn] = transB ? [b.shape[b.ndim - 1], b.shape[b.ndim - 2]] : [b.shape[b.ndim - 2], b.shape[b.ndim - 1]];
  // matmul broadcasts the batch dims first, then bmm checks the expanded operands.
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (ak !== bk) {
    throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${numelOf(batch)}, ${ak}] but got: [${numelOf(batch)}, ${bk}].`);
  }
  sameDtype('bmm', a, b);
  const A = expandTo(a, [...batch, a.shape[a.ndim - 2], a.shape[a.ndim - 1]]);
  const B = expandTo(b, [...batch, b.shape[b.ndim - 2], b.shape[b.ndim - 1]]);
  const nb = numelOf(batch);
  const out = new Tensor(allocStorage(a.dtype, nb * am * bn), [...batch, am, bn], a.dtype);
  bmmKernel(A.data as FloatArray, B.data as FloatArray, out.data as FloatArray, nb, am, ak, bn, transA, transB);
  return out;
}

/**
 * torch.baddbmm(self, batch1, batch2, beta=1, alpha=1): beta * self + alpha * (batch1 @ batch2), self broadcast to the
 * product's shape (MultiheadAttention adds its float attn_mask this way).
 */
export const baddbmmOp = defineOp<{ beta: number; alpha: number }>({
  name: 'baddbmm', label: 'baddbmm', gradFn: 'BaddbmmBackward0', inputs: ['self', 'batch1', 'batch2'],
  formulas: { self: 'maybe_multiply(grad, beta)', batch1: 'grad.bmm(batch2.transpose(1, 2)) * alpha', batch2: 'batch1.transpose(1, 2).bmm(grad) * alpha' },
  saves: ['batch1', 'batch2'],
  forward: ([self, a, b], { beta, alpha }) => {
    const prod = batched(a, b, false, false);
    const base = expandTo(self, prod.shape);
    const out = prod.data;
    // beta == 0 ignores self (NaN and inf in it included), as PyTorch does.
    for (let i = 0; i < out.length; i++) out[i] = (beta === 0 ? 0 : beta * base.data[i]) + alpha * out[i];
    return prod;
  },
  backward: (g, { inputs: [self, a, b], attrs: { beta, alpha } }, n) => [
    n[0] ? sumTo(scaleBy(g, beta), self.shape) : null,
    n[1] ? scaleBy(batched(g, b, false, true), alpha) : null,
    n[2] ? scaleBy(batched(a, g, true, false), alpha) : null,
  ],
});

const scaleBy = (x: Tensor, s: number): Tensor => (s === 1 ? x : scale(x, s));

/**
 * PyTorch 1.13's should_fold: a 3-D or more operand against a 1-D or 2-D one folds its batch into rows (one mm),
 * except a 3-D one whose last two dims are transposed over a contiguous first (x.transpose(1, 2) @ w), which
 * would need a copy: that goes to bmm.
 */
function shouldFold(x: Tensor, otherDims: number): boolean {
  if (x.ndim < 3 || otherDims > 2) return false;
  if (x.ndim === 3 && otherDims === 2 && x.strides) {
    const st = x.strides;
    if (st[2] !== 1 && st[0] === x.shape[1] * x.shape[2]) return false;
  }
  return true;
}

/**
 * torch.matmul with its dispatch on dimensions, recording the graph PyTorch 1.13's _matmul_impl records:
 * dot, mv, mm; a 1-D or 2-D operand against a batch folds the batch into mm/mv rows (transposing both sides
 * when the batch is on the right); two batches expand to a common batch, reshape to 3-D and bmm.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const d1 = a.ndim;
  const d2 = b.ndim;
  if (d1 === 0 || d2 === 0) {
    throw runtimeError(`both arguments to matmul need to be at least 1D, but they are ${d1}D and ${d2}D`);
  }
  if (d1 === 1 && d2 === 1) return dot(a, b);
  if (d1 === 2 && d2 === 1) return mv(a, b);
  if (d1 === 1 && d2 === 2) return squeeze(mm(unsqueeze(a, 0), b), 0, true);
  if (d1 === 2 && d2 === 2) return mm(a, b);
  if (shouldFold(a, d2) || shouldFold(b, d1)) {
    const transposed = d2 > d1;
    // Each operand as PyTorch sees it, with its strides (a transpose keeps them): reshape views or copies as PyTorch's would.
    const t1 = transposed ? transpose(b, -1, -2) : a;
    const t2 = !transposed ? b : d1 === 2 ? t(a) : a;
    const outShape = t1.shape.slice(0, -1);
    const folded = numelOf(outShape);
    const k = t1.shape[t1.ndim - 1];
    if (t2.shape[0] !== k) {
      const rows = transposed ? `${folded}x${k}` : `${folded}x${k}`;
      throw runtimeError(t2.ndim === 2 ? `mat1 and mat2 shapes cannot be multiplied (${rows} and ${t2.shape[0]}x${t2.shape[1]})` : `size mismatch, got ${folded}, ${folded}x${k},${t2.shape[0]}`);
    }
    const t1Folded = reshape(t1, [folded, k]);
    if (t2.ndim === 2) {
      outShape.push(t2.shape[1]);
      const out = apply(unsafeViewOp, [mm(t1Folded, t2)], { shape: outShape });
      if (!transposed) return out;
      const outT = transpose(out, -1, -2);
      return outT.strides ? clone(outT) : outT;
    }
    return apply(unsafeViewOp, [mv(t1Folded, t2)], { shape: outShape });
  }
  // Both batched: expand to the broadcast batch, view as 3-D, bmm, and view back.
  const n = a.shape[d1 - 2];
  const m1 = a.shape[d1 - 1];
  const m2 = b.shape[d2 - 2];
  const p = b.shape[d2 - 1];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const nb = numelOf(batch);
  const a3 = reshape(expand(a, [...batch, n, m1]), [nb, n, m1]);
  const b3 = reshape(expand(b, [...batch, m2, p]), [nb, m2, p]);
  return apply(unsafeViewOp, [bmm(a3, b3)], { shape: [...batch, n, p] });
}

export const mm = (a: Tensor, b: Tensor): Tensor => apply(mmOp, [a, b], {});
export const addmm = (bias: Tensor, a: Tensor, b: Tensor): Tensor => apply(addmmOp, [bias, a, b], {});

/**
 * F.linear: addmm(bias, x, W.t()) for 2-D input with bias; for contiguous 3-D input with bias the same addmm
 * over x viewed as rows, viewed back (ViewBackward0 over AddmmBackward0, PyTorch 1.13's _flatten_3d_linear);
 * else matmul(x, W.t()) (+ bias).
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const inF = weight.shape[1];
  // With a bias, PyTorch takes its addmm path for 2-D and (contiguous) 3-D input, and addmm's dtype check speaks.
  if (bias && (x.ndim === 2 || x.ndim === 3) && x.shape[x.ndim - 1] === inF) sameDtype('addmm', x, weight);
  if (x.shape[x.ndim - 1] !== inF) {
    const rows = x.ndim === 1 ? 1 : numelOf(x.shape.slice(0, -1));
    throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${rows}x${x.shape[x.ndim - 1]} and ${weight.shape[1]}x${weight.shape[0]})`);
  }
  const wt = t(weight);
  if (x.ndim === 2 && bias) return dropTransposed(wt, addmm(bias, x, wt));
  if (x.ndim === 3 && bias && !x.strides) {
    const [d0, d1, k] = x.shape;
    return view(dropTransposed(wt, addmm(bias, view(x, [d0 * d1, k]), wt)), [d0, d1, weight.shape[0]]);
  }
  const out = dropTransposed(wt, matmul(x, wt));
  return bias ? add(out, bias) : out;
}

/**
 * W.t() is a copy here (a view in PyTorch): where no node kept it (nothing requires grad: an evaluation, a frozen
 * layer), nothing can read it once the product is made, so its storage goes back to the pool (for ResNet-18's fc,
 * 2 MB per forward that would otherwise be fresh pages).
 */
function dropTransposed(wt: Tensor, out: Tensor): Tensor {
  if (!wt.requiresGrad && !out.requiresGrad && out.data !== wt.data) releaseStorage(wt.data);
  return out;
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw runtimeError('batch1 must be a 3D tensor');
  if (b.ndim !== 3) throw runtimeError('batch2 must be a 3D tensor');
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  return apply(bmmOp, [a, b], {});
}
export function baddbmm(self: Tensor, a: Tensor, b: Tensor, beta = 1, alpha = 1): Tensor {
  if (a.ndim !== 3) throw runtimeError('batch1 must be a 3D tensor');
  if (b.ndim !== 3) throw runtimeError('batch2 must be a 3D tensor');
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  const outShape = [a.shape[0], a.shape[1], b.shape[2]];
  const fits = self.ndim <= 3 && self.shape.every((s, i) => s === 1 || s === outShape[i + 3 - self.ndim]);
  if (!fits) {
    throw runtimeError(`The expanded size of the tensor (${outShape[2]}) must match the existing size (${self.shape[self.ndim - 1]}) at non-singleton dimension 2.  Target sizes: [${outShape.join(', ')}].  Tensor sizes: [${self.shape.join(', ')}]`);
  }
  return apply(baddbmmOp, [self, a, b], { beta, alpha });
}
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw runtimeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  return apply(dotOp, [a, b], {});
}
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.ndim !== 2 || v.ndim !== 1) throw runtimeError(`vector + matrix @ vector expected, got 1, ${a.ndim}, ${v.ndim}`);
  return apply(mvOp, [a, v], {});
}
