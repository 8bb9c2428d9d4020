// Shape ops: view/reshape (sharing storage), transpose/permute, (un)squeeze, flatten, expand, indexing, cat/stack.
import { allocStorage, isFloating, isIntegral, castInto, promoteTypes, type DType, type Storage, copyStorage, legacyTypeName } from '../dtype';
import { EngineError, runtimeError } from '../context';
import { Tensor, nonContiguous, normalizeDim, numelOf, stridesOf } from '../tensor';
import { apply, applyMulti, defineOp, type MultiOutputDef } from './define';
import type { BackwardContext, OutputPart } from '../autograd/node';
import { broadcastShapes, sameShape } from './arith';
import { sumRaw } from './reduce';

/** A tensor with the same storage and a new shape (no copy, no graph). */
export function aliasWithShape(x: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(x.data, shape.slice(), x.dtype, x.version);
}

/** Broadcast copy of x to shape (raw, no graph). */
export function expandTo(x: Tensor, shape: readonly number[]): Tensor {
  if (x.shape.length === shape.length && x.shape.every((s, i) => s === shape[i])) return x;
  const n = numelOf(shape);
  const out = new Tensor(allocStorage(x.dtype, n), shape.slice(), x.dtype);
  if (x.data.length === 1) {
    out.data.fill(x.data[0]);
    return out;
  }
  const off = shape.length - x.shape.length;
  const xs = stridesOf(x.shape);
  stridedCopy(x, out, shape.map((_, i) => (i < off || x.shape[i - off] === 1 ? 0 : xs[i - off])));
  return out;
}

/** out[o] = x[p] where p walks x's storage with `strides` along out's shape (broadcasts and permutations). */
function stridedCopy(x: Tensor, out: Tensor, strides: readonly number[]): void {
  const shape = out.shape;
  const nd = shape.length;
  const src = x.data, dst = out.data;
  const n = dst.length;
  if (nd === 0 || n === 0) {
    if (n) dst[0] = src[0];
    return;
  }
  // The last dim in a tight loop; the odometer over the others once per row.
  const len = shape[nd - 1], step = strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let p = 0;
  for (let o = 0; o < n; o += len) {
    if (step === 1) for (let j = 0; j < len; j++) dst[o + j] = src[p + j];
    else if (step === 0) dst.fill(src[p], o, o + len);
    else for (let j = 0, q = p; j < len; j++, q += step) dst[o + j] = src[q];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      p += strides[d];
      if (idx[d] < shape[d]) break;
      p -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** dst[j·rows + i] = src[off + i·cols + j]: a [rows, cols] matrix transposed, in tiles that stay in cache. */
function transpose2d(src: Storage, off: number, rows: number, cols: number, dst: Storage, dstOff: number): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let j = j0; j < j1; j++) {
        const d = dstOff + j * rows;
        for (let i = i0, s = off + i0 * cols + j; i < i1; i++, s += cols) dst[d + i] = src[s];
      }
    }
  }
}

/** The dims of a broadcast `from` that sum_to(·, `to`) sums (keeping them): the leading ones, and those `to` has as 1. */
export function sumToDims(from: readonly number[], to: readonly number[]): number[] {
  const lead = from.length - to.length;
  const dims: number[] = [];
  for (let i = 0; i < from.length; i++) if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) dims.push(i);
  return dims;
}

/** Sum a broadcast gradient back to `shape` (PyTorch's sum_to); raw. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const dims = sumToDims(g.shape, shape);
  const summed = dims.length ? sumRaw(g, dims, true) : g;
  return aliasWithShape(summed, shape);
}

/** Re-insert reduced dims as size 1 (raw): for the backward of reductions without keepdim. */
export function unsqueezeDims(g: Tensor, dims: number[], ndim: number): Tensor {
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < ndim; i++) shape.push(dims.includes(i) ? 1 : g.shape[k++]);
  return aliasWithShape(g, shape);
}

/** Resolves -1 and checks the element count, with PyTorch's messages. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((s, i) => {
    if (s === -1) {
      if (infer >= 0) throw runtimeError('only one dimension can be inferred');
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) throw runtimeError(`invalid shape dimension ${s}`);
    else known *= s;
  });
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) throw runtimeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${numel}`);
    out[infer] = numel / known;
  } else if (known !== numel) throw runtimeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${numel}`);
  return out;
}

// ---- PyTorch's strides of views (see Tensor.strides) ----------------------------------------------

/** The strides PyTorch would give x. */
export function stridesLike(x: Tensor): number[] {
  return x.strides ? x.strides.slice() : stridesOf(x.shape);
}

/** Records PyTorch's strides of a view's result, when they are not contiguous (size-1 dims do not count). */
export function withStrides(out: Tensor, strides: number[] | null): Tensor {
  if (strides === null) return out;
  const s = nonContiguous(out.shape, strides);
  if (s) out.strides = s;
  return out;
}

/** PyTorch's computeStride: the strides of x viewed as `shape`, or null when no view can give it. */
export function viewStrides(oldShape: readonly number[], oldStride: readonly number[], shape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return shape.map(() => 1);
  const numel = numelOf(oldShape);
  if (numel === 0) return shape.length ? stridesOf(shape) : [];
  const out = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStride[oldStride.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStride[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStride[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

export const VIEW_STRIDE_MESSAGE =
  "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";

/** Whether x.view(shape) is possible in PyTorch (x's strides allow it). */
export function canView(x: Tensor, shape: number[]): boolean {
  return !x.strides || viewStrides(x.shape, x.strides, inferShape(shape, x.numel)) !== null;
}

/** A view-like op's result keeps x's layout where PyTorch's would (reshape of a non-viewable copies: contiguous). */
const viewed = (x: Tensor, out: Tensor): Tensor => (x.strides ? withStrides(out, viewStrides(x.shape, x.strides, out.shape)) : out);

const reshapeBackward = (g: Tensor, c: { inputs: Tensor[] }, n: boolean[]) => [n[0] ? aliasWithShape(g, c.inputs[0].shape) : null];

export const viewOp = defineOp<{ shape: number[] }>({
  name: 'view', label: 'view', gradFn: 'ViewBackward0', inputs: ['self'],
  formulas: { self: 'grad.reshape(self.sizes())' }, saves: [],
  forward: ([x], { shape }) => aliasWithShape(x, inferShape(shape, x.numel)),
  backward: reshapeBackward,
});
// Note: PyTorch 1.13 names the grad_fn of reshape on a contiguous tensor ReshapeAliasBackward0.
export const reshapeOp = { ...viewOp, name: 'reshape', label: 'reshape', gradFn: 'ReshapeAliasBackward0' };
export const flattenOp = { ...viewOp, name: 'flatten', label: 'flatten', gradFn: 'ReshapeAliasBackward0' };
export const unsqueezeOp = { ...viewOp, name: 'unsqueeze', label: 'unsqueeze', gradFn: 'UnsqueezeBackward0', formulas: { self: 'grad.squeeze(dim)' } };
export const squeezeOp = { ...viewOp, name: 'squeeze', label: 'squeeze', gradFn: 'SqueezeBackward0', formulas: { self: 'unsqueeze_to(grad, self.sizes())' } };
/** squeeze(dim) is SqueezeBackward1; the in-place squeeze_(dim) matmul uses is SqueezeBackward3. */
const squeezeDimOp = { ...squeezeOp, gradFn: 'SqueezeBackward1', formulas: { self: 'unsqueeze_to(grad, dim, self.sizes())' } };
const squeezeInplaceDimOp = { ...squeezeOp, gradFn: 'SqueezeBackward3', formulas: { self: 'unsqueeze_to(grad, dim, self.sizes())' } };
/** matmul's last reshape of a folded batch is _unsafe_view. */
export const unsafeViewOp = { ...viewOp, name: 'reshape', label: 'reshape', gradFn: 'UnsafeViewBackward0' };

export const view = (x: Tensor, shape: number[]): Tensor => viewed(x, apply(viewOp, [x], { shape }));
/**
 * x.reshape(shape): a view (ReshapeAliasBackward0) where x's strides allow one, else PyTorch's copy,
 * _unsafe_view(clone(x)) (UnsafeViewBackward0 over CloneBackward0): an expanded or transposed x flattened.
 */
export function reshape(x: Tensor, shape: number[]): Tensor {
  if (!canView(x, shape)) return apply(unsafeViewOp, [clone(x)], { shape: inferShape(shape, x.numel) });
  return viewed(x, apply(reshapeOp, [x], { shape }));
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return apply(flattenOp, [x], { shape: [1] });
  const s = normalizeDim(startDim, x.ndim);
  const e = normalizeDim(endDim, x.ndim);
  if (s > e) throw runtimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...x.shape.slice(e + 1)];
  if (s === e) return x;
  if (!canView(x, shape)) return apply(unsafeViewOp, [clone(x)], { shape });
  return viewed(x, apply(flattenOp, [x], { shape }));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  const out = apply(unsqueezeOp, [x], { shape });
  if (!x.strides) return out;
  const st = x.strides.slice();
  st.splice(d, 0, d >= x.ndim ? 1 : x.shape[d] * st[d]);
  return withStrides(out, st);
}

export function squeeze(x: Tensor, dim?: number, inplaceForm = false): Tensor {
  let shape: number[];
  if (dim === undefined) shape = x.shape.filter((s) => s !== 1);
  else {
    const d = normalizeDim(dim, x.ndim);
    shape = x.shape.slice();
    if (x.ndim > 0 && shape[d] === 1) shape.splice(d, 1);
  }
  const out = apply(dim === undefined ? squeezeOp : inplaceForm ? squeezeInplaceDimOp : squeezeDimOp, [x], { shape });
  if (!x.strides) return out;
  const st = x.strides.filter((_, i) => (dim === undefined ? x.shape[i] !== 1 : !(i === normalizeDim(dim, x.ndim) && x.shape[i] === 1)));
  return withStrides(out, st);
}

/** Copy with permuted dims (raw). */
export function permuteRaw(x: Tensor, perm: number[]): Tensor {
  const nd = x.ndim;
  const shape = perm.map((p) => x.shape[p]);
  const n = x.data.length;
  const out = new Tensor(allocStorage(x.dtype, n), shape, x.dtype);
  // Swapping the last two dims (t(), transpose(-2, -1), a batch of matrices): tiled transposes.
  const lastTwo = nd >= 2 && perm[nd - 2] === nd - 1 && perm[nd - 1] === nd - 2 && perm.slice(0, nd - 2).every((p, i) => p === i);
  if (lastTwo) {
    const r = x.shape[nd - 2], c = x.shape[nd - 1];
    for (let b = 0; b < n; b += r * c) transpose2d(x.data, b, r, c, out.data, b);
    return out;
  }
  const xs = stridesOf(x.shape);
  stridedCopy(x, out, perm.map((p) => xs[p]));
  return out;
}

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export const permuteOp = defineOp<{ dims: number[] }>({
  name: 'permute', label: 'permute', gradFn: 'PermuteBackward0', inputs: ['self'],
  formulas: { self: 'permute_backwards(grad, dims)' }, saves: [],
  forward: ([x], { dims }) => permuteRaw(x, dims),
  backward: (g, { attrs: { dims } }, n) => [n[0] ? permuteRaw(g, inversePerm(dims)) : null],
});
export const transposeOp = { ...permuteOp, name: 'transpose', label: 'transpose', gradFn: 'TransposeBackward0', formulas: { self: 'grad.transpose(dim0, dim1)' } };
export const tOp = { ...permuteOp, name: 't', label: 'ᵀ', gradFn: 'TBackward0', formulas: { self: 'grad.t()' } };

export function permute(x: Tensor, dims: number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw runtimeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`);
  }
  const d = dims.map((v) => normalizeDim(v, x.ndim));
  if (new Set(d).size !== d.length) throw runtimeError('permute(): duplicate dims are not allowed.');
  return permuted(x, apply(permuteOp, [x], { dims: d }), d);
}

/**
 * x.movedim(source, destination): a permute that moves each source dim to its destination, the other dims
 * keeping their order (dims already normalized).
 */
export function movedim(x: Tensor, source: readonly number[], destination: readonly number[]): Tensor {
  const perm = new Array<number>(x.ndim).fill(-1);
  destination.forEach((d, i) => (perm[d] = source[i]));
  const rest = [...Array(x.ndim).keys()].filter((d) => !source.includes(d));
  for (let i = 0, k = 0; i < x.ndim; i++) if (perm[i] < 0) perm[i] = rest[k++];
  return permute(x, perm);
}

/** A permutation's result has x's strides permuted (PyTorch's permute and transpose are views). */
function permuted(x: Tensor, out: Tensor, dims: number[]): Tensor {
  const st = stridesLike(x);
  return withStrides(out, dims.map((p) => st[p]));
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const nd = Math.max(x.ndim, 1);
  const a = normalizeDim(dim0, nd);
  const b = normalizeDim(dim1, nd);
  if (x.ndim < 2) return apply(transposeOp, [x], { dims: x.ndim === 1 ? [0] : [] });
  const dims = [...Array(x.ndim).keys()];
  dims[a] = b;
  dims[b] = a;
  return permuted(x, apply(transposeOp, [x], { dims }), dims);
}

/** The in-place x.transpose_(dim0, dim1) of a non-leaf (TransposeBackward1), as the RNNs' batch_first output; dims normalized, x at least 2-D. */
const transposeInplaceOp = { ...transposeOp, name: 'transpose_', gradFn: 'TransposeBackward1' };
export function transposeInplaceForm(x: Tensor, dim0: number, dim1: number): Tensor {
  const dims = [...Array(x.ndim).keys()];
  dims[dim0] = dim1;
  dims[dim1] = dim0;
  return permuted(x, apply(transposeInplaceOp, [x], { dims }), dims);
}

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw runtimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  const dims = x.ndim === 2 ? [1, 0] : x.ndim === 1 ? [0] : [];
  return permuted(x, apply(tOp, [x], { dims }), dims);
}

/** x.T: reverses all dims (PyTorch 1.13 records it as a permute). */
export function T(x: Tensor): Tensor {
  const dims = [...Array(x.ndim).keys()].reverse();
  return permuted(x, apply(permuteOp, [x], { dims }), dims);
}

export const expandOp = defineOp<{ shape: number[] }>({
  name: 'expand', label: 'expand', gradFn: 'ExpandBackward0', inputs: ['self'],
  formulas: { self: 'at::sum_to(grad, self.sizes())' }, saves: [],
  forward: ([x], { shape }) => expandTo(x, shape),
  backward: (g, { inputs: [x] }, n) => [n[0] ? sumTo(g, x.shape) : null],
});

/** expand's checks, with PyTorch's messages: x's shape can be expanded to `shape` (-1 keeps a size). */
function expandTarget(x: Tensor, shape: readonly number[]): number[] {
  const lead = shape.length - x.ndim;
  if (lead < 0) {
    throw runtimeError(`expand(${legacy(x.dtype)}{[${x.shape.join(', ')}]}, size=[${shape.join(', ')}]): the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const target = shape.map((s, i) => (s === -1 && i >= lead ? x.shape[i - lead] : s));
  // From the last dim, as infer_expand_geometry: the message names the last mismatch.
  for (let i = target.length - 1; i >= lead; i--) {
    const s = target[i];
    if (x.shape[i - lead] !== 1 && x.shape[i - lead] !== s) {
      throw runtimeError(`The expanded size of the tensor (${s}) must match the existing size (${x.shape[i - lead]}) at non-singleton dimension ${i}.  Target sizes: [${shape.join(', ')}].  Tensor sizes: [${x.shape.join(', ')}]`);
    }
  }
  return target;
}

/**
 * The value of x[items] = value fits the indexed part as PyTorch requires: copied into a view (basic
 * indexing: leading 1s dropped, then expand's rules and messages), or broadcast by index_put (advanced).
 */
export function checkIndexPutValue(value: Tensor, plan: { shape: number[]; advanced: boolean }): void {
  if (plan.advanced) {
    let ok = value.ndim <= plan.shape.length;
    for (let i = 1; ok && i <= value.ndim; i++) {
      const v = value.shape[value.ndim - i];
      ok = v === 1 || v === plan.shape[plan.shape.length - i];
    }
    if (!ok) throw runtimeError(`shape mismatch: value tensor of shape [${value.shape.join(', ')}] cannot be broadcast to indexing result of shape [${plan.shape.join(', ')}]`);
    return;
  }
  let k = 0;
  while (k < value.ndim && value.shape[k] === 1 && value.ndim - k > plan.shape.length) k++;
  expandTarget(k ? aliasWithShape(value, value.shape.slice(k)) : value, plan.shape);
}

export function expand(x: Tensor, shape: number[]): Tensor {
  const lead = shape.length - x.ndim;
  const target = expandTarget(x, shape);
  const out = apply(expandOp, [x], { shape: target });
  const st = stridesLike(x);
  return withStrides(out, target.map((s, i) => (i < lead || (x.shape[i - lead] === 1 && s !== 1) ? 0 : st[i - lead])));
}

const legacy = legacyTypeName;

export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  broadcastShapes(x.shape, shape);
  return expand(x, shape);
}

export const cloneOp = defineOp<{ memoryFormat?: 'contiguous' }>({
  name: 'clone', label: 'clone', gradFn: 'CloneBackward0', inputs: ['self'],
  formulas: { self: 'grad' }, saves: [],
  forward: ([x]) => new Tensor(copyStorage(x.data), x.shape.slice(), x.dtype),
  backward: (g, _c, n) => [n[0] ? g : null],
});
/** x.clone(): contiguous (what reshape and contiguous() copy into), or laid out as x ('preserve', clone()'s default). */
export const clone = (x: Tensor, memoryFormat: 'contiguous' | 'preserve' = 'contiguous'): Tensor => apply(cloneOp, [x], memoryFormat === 'contiguous' ? { memoryFormat } : {});

/** detach(): shares storage, cut from the graph. */
export const detachOp = defineOp({
  name: 'detach', label: 'detach', gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false,
  forward: ([x]) => {
    const out = aliasWithShape(x, x.shape);
    if (x.strides) out.strides = x.strides;
    return out;
  },
  backward: () => [null],
});
export const detach = (x: Tensor): Tensor => apply(detachOp, [x], {});

/** dtype conversion (float(), double(), long(), to(dtype)). */
export const toDtypeOp = defineOp<{ dtype: DType }>({
  name: 'to', label: 'to', gradFn: 'ToCopyBackward0', inputs: ['self'],
  formulas: { self: 'grad.to(self.options())' }, saves: [],
  forward: ([x], { dtype }) => {
    const out = new Tensor(allocStorage(dtype, x.data.length, false), x.shape.slice(), dtype);
    castInto(out.data, dtype, x.data, x.dtype);
    return out;
  },
  backward: (g, { inputs: [x] }, n) => [n[0] ? toDtypeRaw(g, x.dtype) : null],
});
export function toDtypeRaw(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = new Tensor(allocStorage(dtype, x.data.length, false), x.shape.slice(), dtype);
  castInto(out.data, dtype, x.data, x.dtype);
  return out;
}

export function toDtype(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  // An int64 or bool result records nothing (apply keeps integer results out of the graph).
  return apply(toDtypeOp, [x], { dtype });
}

// ---------------------------------------------------------------- indexing

/**
 * One item of an index: an int, a slice, None (new axis), an ellipsis, or (advanced indexing) an int64
 * tensor of positions or a bool tensor mask.
 */
export type IndexItem = number | { start: number | null; stop: number | null; step: number | null } | null | 'ellipsis' | Tensor;

interface IndexPlan {
  shape: number[];
  /** For each output element, the input element it reads. */
  map: Int32Array;
  advanced: boolean;
}

const FULL = { start: null, stop: null, step: null };

/** A bool mask over k dims -> k int64 index tensors of its true positions (nonzero). */
function maskToIndices(mask: Tensor, x: Tensor, dim: number): Tensor[] {
  const k = mask.ndim;
  mask.shape.forEach((s, i) => {
    if (x.shape[dim + i] !== s) {
      throw new EngineError('IndexError', `The shape of the mask [${mask.shape.join(', ')}] at index ${i} does not match the shape of the indexed tensor [${x.shape.join(', ')}] at index ${dim + i}`);
    }
  });
  const strides = stridesOf(mask.shape);
  const hits: number[] = [];
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) hits.push(i);
  return [...Array(k).keys()].map((d) => {
    const t = new Tensor(allocStorage('int64', hits.length), [hits.length], 'int64');
    hits.forEach((h, j) => (t.data[j] = Math.floor(h / strides[d]) % mask.shape[d]));
    return t;
  });
}

function planIndex(x: Tensor, rawItems: IndexItem[]): IndexPlan {
  // Bool masks become index tensors; a 0-dim int tensor is an int.
  const items: IndexItem[] = [];
  // PyTorch names an out-of-range integer index by its place in the index tuple (applySlicing's real_dim).
  const tuplePos = new Map<number, number>();
  let dimCursor = 0;
  // A uint8 tensor indexes as a mask, as PyTorch 1.13's does (it warns that this is deprecated, on stderr).
  const isMask = (it: IndexItem): it is Tensor => it instanceof Tensor && (it.dtype === 'bool' || it.dtype === 'uint8');
  const consumes = (it: IndexItem): number => (it === null || it === 'ellipsis' ? 0 : isMask(it) ? Math.max(it.ndim, 1) : 1);
  const consumedTotal = rawItems.reduce<number>((n, it) => n + consumes(it), 0);
  if (consumedTotal > x.ndim) throw new EngineError('IndexError', `too many indices for tensor of dimension ${x.ndim}`);
  for (const [pos, it] of rawItems.entries()) {
    if (typeof it === 'number') tuplePos.set(items.length, pos);
    if (it === 'ellipsis') {
      for (let k = 0; k < x.ndim - consumedTotal; k++) items.push(FULL);
      dimCursor += x.ndim - consumedTotal;
    } else if (isMask(it)) {
      if (it.ndim === 0) throw new EngineError('IndexError', 'indexing with a 0-dim bool tensor is not supported in this playground');
      items.push(...maskToIndices(it, x, dimCursor));
      dimCursor += it.ndim;
    } else if (it instanceof Tensor && it.ndim === 0 && isIntegral(it.dtype)) {
      tuplePos.set(items.length, pos);
      items.push(it.data[0]);
      dimCursor++;
    } else {
      if (it instanceof Tensor && it.dtype !== 'int64') {
        throw new EngineError('IndexError', 'tensors used as indices must be long, byte or bool tensors');
      }
      items.push(it);
      if (it !== null) dimCursor++;
    }
  }
  while (items.filter((i) => i !== null).length < x.ndim) items.push(FULL);
  const advPos = items.map((it, i) => (it instanceof Tensor ? i : -1)).filter((i) => i >= 0);
  if (advPos.length && advPos[advPos.length - 1] - advPos[0] !== advPos.length - 1) {
    throw new EngineError('IndexError', 'advanced indices (tensors or lists) separated by a slice are not supported in this playground; index them one after the other');
  }
  const xs = stridesOf(x.shape);
  const outShape: number[] = [];
  const axes: { stride: number; idx: ArrayLike<number> }[] = [];
  let base = 0;
  let dim = 0;
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (it === null) {
      outShape.push(1);
      axes.push({ stride: 0, idx: [0] });
      continue;
    }
    if (it instanceof Tensor) {
      // The whole block of advanced indices, broadcast together, as one axis of flat offsets.
      const block = advPos.map((p) => items[p] as Tensor);
      const bshape = block.reduce<number[]>((sh, t) => broadcastShapes(sh, t.shape), []);
      const n = numelOf(bshape);
      const offsets = new Float64Array(n);
      block.forEach((t, j) => {
        const d = dim + j;
        const size = x.shape[d];
        const e = expandTo(t, bshape);
        for (let i = 0; i < n; i++) {
          const v = e.data[i];
          // The index kernel counts only the tensor indices.
          if (v < -size || v >= size) throw new EngineError('IndexError', `index ${v} is out of bounds for dimension ${j} with size ${size}`);
          offsets[i] += (v < 0 ? v + size : v) * xs[d];
        }
      });
      outShape.push(...bshape);
      axes.push({ stride: 1, idx: offsets });
      dim += block.length;
      k += block.length - 1;
      continue;
    }
    const size = x.shape[dim];
    if (typeof it === 'number') {
      if (it < -size || it >= size) throw new EngineError('IndexError', `index ${it} is out of bounds for dimension ${tuplePos.get(k) ?? dim} with size ${size}`);
      base += (it < 0 ? it + size : it) * xs[dim];
    } else if (it !== 'ellipsis') {
      const step = it.step ?? 1;
      if (step <= 0) throw new EngineError('ValueError', 'step must be greater than zero');
      const clampI = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
      const start = it.start === null ? 0 : clampI(it.start);
      const stop = it.stop === null ? size : clampI(it.stop);
      const idx: number[] = [];
      for (let i = start; i < stop; i += step) idx.push(i);
      outShape.push(idx.length);
      axes.push({ stride: xs[dim], idx });
    }
    dim++;
  }
  const n = numelOf(outShape);
  const map = new Int32Array(n);
  const pos = new Array<number>(axes.length).fill(0);
  for (let o = 0; o < n; o++) {
    let p = base;
    for (let a = 0; a < axes.length; a++) p += axes[a].idx[pos[a]] * axes[a].stride;
    map[o] = p;
    for (let a = axes.length - 1; a >= 0; a--) {
      if (++pos[a] < axes[a].idx.length) break;
      pos[a] = 0;
    }
  }
  return { shape: outShape, map, advanced: advPos.length > 0 };
}

export const indexOp = defineOp<{ items: IndexItem[] }, IndexPlan>({
  name: 'index', label: '[ ]', gradFn: 'SliceBackward0', inputs: ['self'],
  formulas: { self: 'index_backward(grad, self.sizes(), indices)' }, saves: [],
  forward: ([x], { items }) => {
    const plan = planIndex(x, items);
    const out = new Tensor(allocStorage(x.dtype, plan.map.length), plan.shape, x.dtype);
    for (let i = 0; i < plan.map.length; i++) out.data[i] = x.data[plan.map[i]];
    return { out, saved: plan };
  },
  backward: (g, { inputs: [x], saved: plan }, n) => {
    if (!n[0]) return [null];
    const out = new Tensor(allocStorage(g.dtype, x.data.length), x.shape.slice(), g.dtype);
    for (let i = 0; i < plan.map.length; i++) out.data[plan.map[i]] += g.data[i];
    return [out];
  },
});
const selectOp = { ...indexOp, gradFn: 'SelectBackward0' };
const advancedIndexOp = { ...indexOp, gradFn: 'IndexBackward0' };
/** The ops of split/chunk's and unbind's pieces (each a slice or select of the input, a view). */
const splitPieceOp = { ...indexOp, name: 'split', label: 'split', gradFn: 'SplitBackward0' };
const splitWithSizesPieceOp = { ...indexOp, name: 'split_with_sizes', label: 'split', gradFn: 'SplitWithSizesBackward0' };
const unbindPieceOp = { ...indexOp, name: 'unbind', label: 'unbind', gradFn: 'UnbindBackward0' };
// Note: unsafe_split's pieces are not views for autograd (PyTorch gives each its own version counter, so the RNN
// cells may modify them in place); here they are copies, so an in-place write to one does not reach the input,
// where PyTorch's would (they share its storage).
const unsafeSplitPieceOp = { ...indexOp, name: 'unsafe_split', label: 'unsafe_split', gradFn: 'UnsafeSplitBackward0' };
const unsafeSplitWithSizesPieceOp = { ...indexOp, name: 'unsafe_split_with_sizes', label: 'unsafe_split', gradFn: 'UnsafeSplitWithSizesBackward0' };

const FULL_ITEM: IndexItem = { start: null, stop: null, step: null };

/** The input's gradient from the pieces': each piece's gradient in its place, zeros where none arrived. */
function scatterPieces(grads: (Tensor | null)[], { inputs: [x] }: BackwardContext, parts: OutputPart[], needs: boolean[]): (Tensor | null)[] {
  if (!needs[0]) return [null];
  const g0 = grads.find((g) => g !== null)!;
  const out = new Tensor(allocStorage(g0.dtype, x.numel), x.shape.slice(), g0.dtype);
  parts.forEach((part, k) => {
    const g = grads[k];
    if (!g) return;
    const map = (part.ctx.saved as IndexPlan).map;
    for (let i = 0; i < map.length; i++) out.data[map[i]] = g.data[i];
  });
  return [out];
}

/** Under create_graph: PyTorch's split_backward (cat) and unbind_backward (stack) of the gradients, zeros filled in. */
const joinPieces = (join: (xs: Tensor[], dim: number) => Tensor) =>
  (grads: (Tensor | null)[], { attrs: { dim } }: BackwardContext<{ dim: number }>, parts: OutputPart[], needs: boolean[]): (Tensor | null)[] => {
    if (!needs[0]) return [null];
    const g0 = grads.find((g) => g !== null)!;
    const filled = parts.map((p, k) => grads[k] ?? new Tensor(allocStorage(g0.dtype, p.ctx.result.numel), p.ctx.result.shape.slice(), g0.dtype));
    return [join(filled, dim)];
  };

const splitDef = (gradFn: string, name: string, formula: string): MultiOutputDef<{ dim: number }> => ({
  name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: [],
  backward: scatterPieces,
  recordedBackward: joinPieces((xs, dim) => cat(xs, dim)),
});
export const splitMulti = splitDef('SplitBackward0', 'split', 'split_backward(grads, split_size, dim, self.sym_sizes(), self.options())');
export const splitWithSizesMulti = splitDef('SplitWithSizesBackward0', 'split_with_sizes', 'split_with_sizes_backward(grads, split_sizes, dim, self.sym_sizes(), self.options())');
export const unsafeSplitMulti = splitDef('UnsafeSplitBackward0', 'unsafe_split', 'unsafe_split_backward(grads, split_size, dim, self.sym_sizes(), self.options())');
export const unsafeSplitWithSizesMulti = splitDef('UnsafeSplitWithSizesBackward0', 'unsafe_split_with_sizes', 'unsafe_split_with_sizes_backward(grads, split_sizes, dim, self.sym_sizes(), self.options())');
export const unbindMulti: MultiOutputDef<{ dim: number }> = {
  name: 'unbind', label: 'unbind', gradFn: 'UnbindBackward0', inputs: ['self'], formulas: { self: 'unbind_backward(grads, dim)' }, saves: [],
  backward: scatterPieces,
  recordedBackward: joinPieces((xs, dim) => stack(xs, dim)),
};

/**
 * x.split(sizes, dim) and x.chunk(n, dim) (dim already normalized): the pieces, views of x, as PyTorch records them,
 * outputs of one SplitBackward0 (SplitWithSizesBackward0 for a list of sizes). `unsafe`: unsafe_split and
 * unsafe_chunk, whose node is UnsafeSplitBackward0 (UnsafeSplitWithSizesBackward0).
 */
export function splitPieces(x: Tensor, dim: number, sizes: number[], withSizes: boolean, unsafe = false): Tensor[] {
  const pieceOp = unsafe ? (withSizes ? unsafeSplitWithSizesPieceOp : unsafeSplitPieceOp) : withSizes ? splitWithSizesPieceOp : splitPieceOp;
  const multi = unsafe ? (withSizes ? unsafeSplitWithSizesMulti : unsafeSplitMulti) : withSizes ? splitWithSizesMulti : splitMulti;
  let start = 0;
  const parts = sizes.map((len) => {
    const items = [...new Array<IndexItem>(dim).fill(FULL_ITEM), { start, stop: start + len, step: null }];
    start += len;
    return { op: pieceOp, attrs: { items } };
  });
  // A piece keeps its input's strides (a chunk of the last dim is not contiguous: reshape then copies).
  return applyMulti(multi, [x], { dim }, parts).map((p) => withStrides(p, stridesLike(x)));
}

/** x.unbind(dim) (dim already normalized): the slices along dim, outputs of one UnbindBackward0. */
export function unbind(x: Tensor, dim: number): Tensor[] {
  if (x.shape[dim] === 0) return [];
  const parts = Array.from({ length: x.shape[dim] }, (_, i) => ({ op: unbindPieceOp, attrs: { items: [...new Array<IndexItem>(dim).fill(FULL_ITEM), i] } }));
  // A select drops its dim's stride.
  const strides = stridesLike(x).filter((_, d) => d !== dim);
  return applyMulti(unbindMulti, [x], { dim }, parts).map((p) => withStrides(p, strides));
}

/** x.narrow(dim, start, length): one slice op (SliceBackward0). */
export function sliceDim(x: Tensor, dim: number, start: number, stop: number): Tensor {
  const out = apply(indexOp, [x], { items: [...new Array<IndexItem>(dim).fill(FULL_ITEM), { start, stop, step: null }] });
  // A slice keeps its input's strides (a chunk of the last dim is not contiguous: reshape then copies).
  return withStrides(out, stridesLike(x));
}

/** x.select(dim, i): one select op (SelectBackward0). */
export function selectDim(x: Tensor, dim: number, i: number): Tensor {
  const out = apply(selectOp, [x], { items: [...new Array<IndexItem>(dim).fill(FULL_ITEM), i] });
  // A select drops its dim's stride.
  const at = dim < 0 ? dim + x.ndim : dim;
  return withStrides(out, stridesLike(x).filter((_, d) => d !== at));
}

const aliasOp = { ...indexOp, gradFn: 'AliasBackward0' };

const isAdvanced = (i: IndexItem): i is Tensor => i instanceof Tensor && (i.ndim > 0 || i.dtype === 'bool');

/**
 * x[items] as PyTorch 1.13 records it (applySlicing, then dispatch_index): the basic items first, as a chain of
 * ops, one per item: an int is a select (SelectBackward0), a slice a slice (SliceBackward0, also for `:`), None an
 * unsqueeze; tensors and lists keep their dim. Then, if there were any, one advanced-indexing op
 * (IndexBackward0) on what the chain left. `x[...]` alone is an alias (AliasBackward0).
 */
export function index(x: Tensor, items: IndexItem[], single = false): Tensor {
  // A uint8 tensor indexes as a mask, as PyTorch 1.13's does (it warns that this is deprecated, on stderr).
  const isMask = (it: IndexItem): it is Tensor => it instanceof Tensor && (it.dtype === 'bool' || it.dtype === 'uint8');
  const consumes = (it: IndexItem): number => (it === null || it === 'ellipsis' ? 0 : isMask(it) ? Math.max(it.ndim, 1) : 1);
  const consumed = items.reduce<number>((n, it) => n + consumes(it), 0);
  if (consumed > x.ndim) throw new EngineError('IndexError', `too many indices for tensor of dimension ${x.ndim}`);
  let out = x;
  let dim = 0;
  let recorded = false;
  const rest: IndexItem[] = [];
  for (const [pos, it] of items.entries()) {
    if (it === 'ellipsis') {
      dim += x.ndim - consumed;
      rest.push('ellipsis');
      continue;
    }
    if (isAdvanced(it)) {
      dim += consumes(it);
      rest.push(it);
      continue;
    }
    if (typeof it === 'number' || it instanceof Tensor) {
      // PyTorch's applySelect names the dimension by the item's place in the index tuple (real_dim).
      const v = typeof it === 'number' ? it : it.data[0];
      const size = out.shape[dim];
      if (v < -size || v >= size) throw new EngineError('IndexError', `index ${v} is out of bounds for dimension ${pos} with size ${size}`);
    }
    if (it === null) {
      recorded = true;
      out = unsqueeze(out, dim);
      dim++;
      rest.push(FULL);
      continue;
    }
    const lead: IndexItem[] = new Array(dim).fill(FULL);
    // A select drops the dim's stride, a slice multiplies it by its step (both are views in PyTorch).
    const st = stridesLike(out);
    if (typeof it === 'number' || it instanceof Tensor) {
      recorded = true;
      out = apply(selectOp, [out], { items: [...lead, it] });
      st.splice(dim, 1);
    } else if (!single && (it.start === null || it.start === 0) && it.stop === out.shape[dim] && (it.step === null || it.step === 1)) {
      // In a tuple of indices PyTorch skips a slice that spells out the whole dim (0:n, :n): no op recorded.
      dim++;
      rest.push(FULL);
    } else {
      recorded = true;
      out = apply(indexOp, [out], { items: [...lead, it] });
      st[dim] *= it.step ?? 1;
      dim++;
      rest.push(FULL);
    }
    withStrides(out, st);
  }
  if (rest.some(isAdvanced)) return apply(advancedIndexOp, [out], { items: rest });
  return recorded ? out : apply(aliasOp, [x], { items: [] });
}

/** x[items] = value, in place (raw: the caller checks autograd rules). */
export function indexPutRaw(x: Tensor, items: IndexItem[], value: Tensor): void {
  const plan = planIndex(x, items);
  checkIndexPutValue(value, plan);
  const v = expandTo(value, plan.shape);
  for (let i = 0; i < plan.map.length; i++) x.data[plan.map[i]] = v.data[i];
}

/**
 * self[items] = value as an op (the out-of-place form of index_put_): used by the in-place machinery so
 * that assigning into a tensor that is part of a graph is recorded, as PyTorch's CopySlices.
 */
export const indexPutOp = defineOp<{ items: IndexItem[] }, IndexPlan>({
  name: 'index_put', label: '[ ]=', gradFn: 'CopySlices', inputs: ['self', 'values'],
  formulas: { self: 'grad.index_put(indices, zeros)', values: 'grad[indices].sum_to(values.sizes())' }, saves: [],
  forward: ([x, v], { items }) => {
    const plan = planIndex(x, items);
    checkIndexPutValue(v, plan);
    const out = new Tensor(copyStorage(x.data), x.shape.slice(), x.dtype);
    const ve = expandTo(v, plan.shape);
    for (let i = 0; i < plan.map.length; i++) out.data[plan.map[i]] = ve.data[i];
    return { out, saved: plan };
  },
  backward: (g, { saved: plan }, n) => {
    const gs = n[0] ? new Tensor(copyStorage(g.data), g.shape.slice(), g.dtype) : null;
    const gv = n[1] ? new Tensor(allocStorage(g.dtype, plan.map.length), plan.shape.slice(), g.dtype) : null;
    for (let i = 0; i < plan.map.length; i++) {
      if (gv) gv.data[i] = g.data[plan.map[i]];
      if (gs) gs.data[plan.map[i]] = 0;
    }
    return [gs, gv];
  },
});

// ---------------------------------------------------------------- cat / stack

export const catOp = defineOp<{ dim: number }>({
  name: 'cat', label: 'cat', gradFn: 'CatBackward0', inputs: ['tensors'],
  formulas: { tensors: 'cat_tensors_backward(grad, to_args_sizes(tensors), dim)' }, saves: [],
  forward: (xs, { dim }) => {
    const ref = xs[0];
    const d = normalizeDim(dim, ref.ndim);
    xs.forEach((x, i) => {
      if (x.ndim !== ref.ndim) throw runtimeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${x.ndim}`);
      x.shape.forEach((s, k) => {
        if (k !== d && s !== ref.shape[k]) throw runtimeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${s} for tensor number ${i} in the list.`);
      });
    });
    const shape = ref.shape.slice();
    shape[d] = xs.reduce((a, x) => a + x.shape[d], 0);
    // Mixed dtypes promote, as PyTorch 1.13's cat (a uint8 and an int8 piece give int16); the copies below widen.
    const dtype = xs.reduce<DType>((t, x) => promoteTypes(t, x.dtype), ref.dtype);
    const out = new Tensor(allocStorage(dtype, numelOf(shape)), shape, dtype);
    let outer = 1;
    for (let i = 0; i < d; i++) outer *= shape[i];
    const rowOut = numelOf(shape.slice(d));
    let off = 0;
    for (const x of xs) {
      const row = numelOf(x.shape.slice(d));
      for (let o = 0; o < outer; o++) out.data.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + off);
      off += row;
    }
    return out;
  },
  backward: (g, { inputs, attrs: { dim } }, n) => {
    const d = normalizeDim(dim, g.ndim);
    let start = 0;
    return inputs.map((x, i) => {
      const items: IndexItem[] = g.shape.map(() => FULL);
      items[d] = { start, stop: start + x.shape[d], step: null };
      start += x.shape[d];
      if (!n[i]) return null;
      const plan = planIndex(g, items);
      const out = new Tensor(allocStorage(g.dtype, plan.map.length), plan.shape, g.dtype);
      for (let k = 0; k < plan.map.length; k++) out.data[k] = g.data[plan.map[k]];
      return out;
    });
  },
});
export function cat(xs: Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw runtimeError('torch.cat(): expected a non-empty list of Tensors');
  return apply(catOp, xs, { dim });
}
export const stackOp = defineOp<{ dim: number }>({
  name: 'stack', label: 'stack', gradFn: 'StackBackward0', inputs: ['tensors'],
  formulas: { tensors: 'stack_tensors_backward(grad, dim)' }, saves: [],
  forward: (xs, { dim }) => {
    const shape = xs[0].shape.slice();
    shape.splice(dim, 0, 1);
    return catOp.forward(xs.map((x) => aliasWithShape(x, shape)), { dim }) as Tensor;
  },
  backward: (g, { inputs, attrs: { dim } }, n) => {
    const parts = catOp.backward(g, { inputs: inputs.map((x) => { const sh = x.shape.slice(); sh.splice(dim, 0, 1); return aliasWithShape(x, sh); }), result: g, attrs: { dim }, saved: undefined }, n);
    return parts.map((p, i) => (p ? aliasWithShape(p, inputs[i].shape) : null));
  },
});

export function stack(xs: Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw runtimeError('stack expects a non-empty TensorList');
  xs.forEach((x, i) => {
    if (x.shape.join() !== xs[0].shape.join()) {
      throw runtimeError(`stack expects each tensor to be equal size, but got [${xs[0].shape.join(', ')}] at entry 0 and [${x.shape.join(', ')}] at entry ${i}`);
    }
  });
  return apply(stackOp, xs, { dim: normalizeDim(dim, xs[0].ndim + 1) });
}
