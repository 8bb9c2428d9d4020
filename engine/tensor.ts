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
  readonly dtype: DType;
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

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Bytes per element as PyTorch counts them (element_size()); int64 is 8 though stored in a Float64Array. */
export const ELEMENT_SIZE: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1 };

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
