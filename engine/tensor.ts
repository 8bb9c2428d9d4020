// Tensor: contiguous row-major storage + shape + the autograd fields.
//
// Note: every tensor is contiguous. Views that PyTorch makes without copying (view, reshape, flatten,
// unsqueeze, squeeze, expand-free reshapes) share the storage array, so an in-place update through one is seen
// through the other; transposes and slices copy, and keep a link to what they view (./views) so that writes
// through them reach it and they re-read it after it changed. That keeps every kernel a plain loop over typed
// arrays.
import { refreshView, setTensorMaker, type ViewLink } from './views';
import { allocStorage, type DType, type Storage } from './dtype';
import { checkAllocation, EngineError, newTensorId, runtimeError } from './context';
import type { GradNode } from './autograd/node';

export class Tensor {
  /** Monotonic id the engine assigns; a recorded in-place op gives the tensor a new id (a new graph node). */
  id: number;
  data: Storage;
  readonly shape: readonly number[];
  /** Changes only when a module or .data converts a parameter in place (model.double(), p.data = t.double()). */
  dtype: DType;
  requiresGrad = false;
  grad: Tensor | null = null;
  gradFn: GradNode | null = null;
  /** Which output of gradFn this tensor is (multi-output ops). */
  outputNr = 0;
  retainsGrad = false;
  /** A Python number turned into a zero-dim tensor for an op; shown as a constant, None in next_functions. */
  isWrappedNumber = false;
  /** Version counter, shared by views of the same storage; bumped by in-place ops. */
  version: { v: number };
  /** The AccumulateGrad node of a leaf that requires grad, made on first use and kept (PyTorch caches it too). */
  gradAccumulator: GradNode | null = null;
  /**
   * The strides PyTorch would give this tensor when they are not the contiguous ones (a transpose, an expand,
   * a slice, or a view of those): the data here is contiguous regardless; only view() reads them, to refuse
   * what PyTorch cannot view. Undefined when contiguous.
   */
  strides?: readonly number[];
  /** Set on a view (x[0], x.t(), …): what it views, for writes through it and re-reads after its base changed (./views). */
  viewOf: ViewLink | undefined = undefined;

  constructor(data: Storage, shape: readonly number[], dtype: DType, version?: { v: number }) {
    this.id = newTensorId();
    this.data = data;
    this.shape = shape;
    this.dtype = dtype;
    this.version = version ?? { v: 0 };
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get numel(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** The value of a one-element tensor, as a JS number (bool as 0/1). */
  item(): number {
    if (this.viewOf) refreshView(this);
    if (this.data.length !== 1) {
      throw new EngineError('ValueError', 'only one element tensors can be converted to Python scalars');
    }
    return this.data[0];
  }

  toArray(): number[] {
    if (this.viewOf) refreshView(this);
    return Array.from(this.data);
  }
}

/** A new contiguous tensor of zeros with t's shape and dtype (no graph, no events: a kernel's or a backward's own). */
export function zerosOf(t: Tensor): Tensor {
  return new Tensor(allocStorage(t.dtype, t.numel), t.shape.slice(), t.dtype);
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Bytes per element as PyTorch counts them (element_size()); int64 is 8 though stored in a Float64Array. */
export const ELEMENT_SIZE: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

/** A new zero-filled tensor, within the allocation budget. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw runtimeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`);
  }
  const n = numelOf(shape);
  checkAllocation(n, ELEMENT_SIZE[dtype]);
  return new Tensor(allocStorage(dtype, n), shape.slice(), dtype);
}

export function fromStorage(data: Storage, shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(data, shape.slice(), dtype);
}

/** Row-major strides of a contiguous tensor. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** PyTorch's torch.Size([2, 3]) text. */
export function sizeText(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** Wraps a negative dim and checks its range with PyTorch's message. */
export function normalizeDim(dim: number, ndim: number): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new EngineError('IndexError', `Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

setTensorMaker((shape, data) => new Tensor(data, shape.slice(), 'float64'));

// Note: the data here is always row-major; `strides` only records the layout PyTorch would give a tensor, which
// decides what view() accepts, what reshape() copies (CloneBackward0 + UnsafeViewBackward0) and what
// is_contiguous() and stride() say. Elementwise ops run through PyTorch's TensorIterator, whose output follows
// its inputs' layout: x.t() * 2 is laid out as x.t() is, so (x.t() * 2).view(-1) fails in PyTorch as here.

/** Strides when they differ from the row-major ones at a dim of size > 1; undefined when contiguous. */
export function nonContiguous(shape: readonly number[], strides: readonly number[]): readonly number[] | undefined {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return shape.some((s) => s === 0) ? undefined : strides;
    expected *= shape[i];
  }
  return undefined;
}

/** A layout with no gaps and no overlaps (a permutation of a contiguous one): what empty_like keeps. */
function isNonOverlappingAndDense(shape: readonly number[], strides: readonly number[]): boolean {
  const dims = shape.map((_, i) => i).filter((i) => shape[i] !== 1).sort((a, b) => strides[a] - strides[b]);
  let expected = 1;
  for (const d of dims) {
    if (strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/**
 * The strides of empty_like(x) (MemoryFormat::Preserve: clone(), .to(dtype), zeros_like): x's own when x is
 * non-overlapping and dense, else dense in the order of x's strides (infer_dense_strides: a slice of a
 * permuted tensor keeps the permutation).
 */
export function preservedStrides(x: Tensor): readonly number[] | undefined {
  if (!x.strides) return undefined;
  return isNonOverlappingAndDense(x.shape, x.strides) ? x.strides : iteratorStrides(x.shape, [x]);
}

/**
 * The strides of an elementwise op's output, as PyTorch's TensorIterator lays it out (reorder_dimensions): the
 * dims sorted by the inputs' strides, the first input whose strides differ deciding (broadcast dims do not count;
 * equal strides put the smaller dim first), and the output dense in that order. Undefined when contiguous.
 */
export function iteratorStrides(shape: readonly number[], inputs: readonly Tensor[]): readonly number[] | undefined {
  const nd = shape.length;
  if (nd < 2) return undefined;
  const operands: number[][] = [];
  let anyStrided = false;
  for (const t of inputs) {
    if (t.isWrappedNumber || t.ndim === 0) continue;
    if (t.strides) anyStrided = true;
    const own = t.strides ?? stridesOf(t.shape);
    const offset = nd - t.ndim;
    operands.push(shape.map((s, d) => (d < offset || (t.shape[d - offset] === 1 && s !== 1) ? 0 : own[d - offset])));
  }
  if (!anyStrided) return undefined;
  const shouldSwap = (d0: number, d1: number): number => {
    for (const st of operands) {
      const s0 = st[d0];
      const s1 = st[d1];
      if (s0 === 0 || s1 === 0) continue;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[d0] > shape[d1]) return 1;
    }
    return 0;
  };
  // perm[0] is the fastest-moving dim; insertion sort with ambiguous comparisons, as PyTorch's.
  const perm = shape.map((_, i) => nd - 1 - i);
  for (let i = 1; i < nd; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0], perm[d1]);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1], perm[d0]];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const strides = new Array<number>(nd);
  let acc = 1;
  for (const d of perm) {
    strides[d] = acc;
    acc *= shape[d];
  }
  return nonContiguous(shape, strides);
}

/**
 * t laid out with `strides` (a permutation of a dense layout, see preservedStrides), its elements read from
 * `storage`, which holds them in memory order: what randn_like(x.t()) draws (the generator fills memory in order).
 */
export function inLayout(t: Tensor, strides: readonly number[], storageOrder: boolean): Tensor {
  if (storageOrder) {
    const src = t.data;
    const out = src.slice();
    const nd = t.shape.length;
    const idx = new Array<number>(nd).fill(0);
    for (let k = 0; k < src.length; k++) {
      let off = 0;
      for (let d = 0; d < nd; d++) off += idx[d] * strides[d];
      out[k] = src[off];
      for (let d = nd - 1; d >= 0; d--) {
        if (++idx[d] < t.shape[d]) break;
        idx[d] = 0;
      }
    }
    t.data = out;
  }
  t.strides = strides;
  return t;
}
