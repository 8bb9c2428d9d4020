// Creation functions: tensor, zeros, ones, full, *_like, rand, randn, linspace, arange, eye.
import { checkScalarFits, INT_RANGE, isFloating, isIntegral, scalarTypeName, DEFAULT_FLOAT, type DType, type Storage } from './dtype';
import { engine, EngineError, runtimeError } from './context';
import { summarize } from './summary';
import { Tensor, empty } from './tensor';
import { fillNormal, fillUniform, generator } from './random';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** A nested list of numbers (a Python float marked by the caller as such), as torch.tensor takes. */
export type NestedData = number | boolean | NestedData[] | { float: number };

/** Marks a leaf as requiring grad, with PyTorch's check on the dtype. */
export function setRequiresGrad(t: Tensor, flag: boolean): void {
  if (flag && !isFloating(t.dtype)) throw runtimeError('only Tensors of floating point dtype can require gradients');
  if (!t.isLeaf && !flag) {
    throw runtimeError("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  }
  if (t.requiresGrad === flag) return;
  t.requiresGrad = flag;
  if (engine.events.listening) engine.events.emitAlways({ type: 'requires-grad', tensor: t.id, requiresGrad: flag, pos: engine.pos });
}

/** Emits the creation event of a new leaf. */
export function created(t: Tensor, origin: string): Tensor {
  if (engine.events.active) {
    engine.events.emit({ type: 'tensor', tensor: t.id, origin, requiresGrad: t.requiresGrad, isLeaf: true, value: summarize(t), pos: engine.pos });
  }
  return t;
}

function finish(t: Tensor, origin: string, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) {
    if (!isFloating(t.dtype)) throw runtimeError('Only Tensors of floating point and complex dtype can require gradients');
    t.requiresGrad = true;
  }
  return created(t, origin);
}

/** torch.tensor(data): the dtype is inferred (bool < int64 < float32) unless given. */
export function tensor(data: NestedData | Tensor, opts: CreateOptions = {}): Tensor {
  if (data instanceof Tensor) {
    const t = empty(data.shape, opts.dtype ?? data.dtype);
    t.data.set(data.data);
    return finish(t, 'tensor', opts);
  }
  const shape: number[] = [];
  let kind = 0 as 0 | 1 | 2; // bool, int, float
  const flat: number[] = [];
  const walk = (x: NestedData, depth: number): void => {
    if (Array.isArray(x)) {
      if (shape.length <= depth) shape.push(x.length);
      else if (shape[depth] !== x.length) throw new EngineError('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got ${x.length})`);
      for (const y of x) walk(y, depth + 1);
      return;
    }
    if (depth !== shape.length) throw new EngineError('TypeError', `not a sequence`);
    if (typeof x === 'boolean') flat.push(+x);
    else if (typeof x === 'number') {
      kind = Math.max(kind, 1) as 1 | 2;
      if (!Number.isInteger(x)) kind = 2;
      flat.push(x);
    } else {
      kind = 2;
      flat.push(x.float);
    }
  };
  walk(data, 0);
  const dtype = opts.dtype ?? (kind === 2 ? DEFAULT_FLOAT : kind === 1 ? 'int64' : flat.length ? 'bool' : DEFAULT_FLOAT);
  const t = empty(shape, dtype);
  if (isIntegral(dtype)) for (const v of flat) checkScalarFits(v, dtype, 'tensor');
  for (let i = 0; i < flat.length; i++) t.data[i] = isIntegral(dtype) ? Math.trunc(flat[i]) : dtype === 'bool' ? +(flat[i] !== 0) : flat[i];
  return finish(t, 'tensor', opts);
}

export function full(shape: number[], value: number, opts: CreateOptions = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_FLOAT);
  checkScalarFits(value, t.dtype);
  t.data.fill(value);
  return finish(t, 'full', opts);
}

export const zeros = (shape: number[], opts: CreateOptions = {}): Tensor => finish(empty(shape, opts.dtype ?? DEFAULT_FLOAT), 'zeros', opts);
export const ones = (shape: number[], opts: CreateOptions = {}): Tensor => {
  const t = empty(shape, opts.dtype ?? DEFAULT_FLOAT);
  t.data.fill(1);
  return finish(t, 'ones', opts);
};
export const zerosLike = (x: Tensor, opts: CreateOptions = {}): Tensor => zeros(x.shape.slice(), { dtype: x.dtype, ...opts });
export const onesLike = (x: Tensor, opts: CreateOptions = {}): Tensor => ones(x.shape.slice(), { dtype: x.dtype, ...opts });
export const fullLike = (x: Tensor, v: number, opts: CreateOptions = {}): Tensor => full(x.shape.slice(), v, { dtype: x.dtype, ...opts });

export function rand(shape: number[], opts: CreateOptions = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_FLOAT);
  if (!isFloating(t.dtype)) throw runtimeError(`"check_uniform_bounds" not implemented for '${scalarTypeName(t.dtype)}'`);
  fillUniform(t.data as Float32Array);
  return finish(t, 'rand', opts);
}

export function randn(shape: number[], opts: CreateOptions = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_FLOAT);
  if (!isFloating(t.dtype)) throw runtimeError(`"normal_kernel_cpu" not implemented for '${scalarTypeName(t.dtype)}'`);
  fillNormal(t.data as Float32Array);
  return finish(t, 'randn', opts);
}

/** torch.normal(mean, std, size): normal_ with that mean and std (the same draws as randn). */
export function normal(mean: number, std: number, shape: number[], opts: CreateOptions = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_FLOAT);
  if (!isFloating(t.dtype)) throw runtimeError(`"normal_kernel_cpu" not implemented for '${scalarTypeName(t.dtype)}'`);
  if (std < 0) throw runtimeError(`normal expects std >= 0.0, but found std ${std}`);
  fillNormal(t.data as Float32Array, mean, std);
  return finish(t, 'normal', opts);
}

export const randLike = (x: Tensor, opts: CreateOptions = {}): Tensor => rand(x.shape.slice(), { dtype: x.dtype, ...opts });
export const randnLike = (x: Tensor, opts: CreateOptions = {}): Tensor => randn(x.shape.slice(), { dtype: x.dtype, ...opts });

/** torch.randint(low, high, shape): random_from_to, as PyTorch's CPU kernel (random() % range + low). */
export function randint(low: number, high: number, shape: number[], opts: CreateOptions = {}): Tensor {
  if (high <= low) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const t = empty(shape, opts.dtype ?? 'int64');
  const bounds = INT_RANGE[t.dtype];
  if (bounds) {
    // check_from_to's words, naming the C type.
    const cName = { uint8: 'unsigned char', int8: 'signed char', int16: 'short int', int32: 'int' }[t.dtype as 'uint8'];
    if (low < bounds[0] || low > bounds[1]) throw runtimeError(`from is out of bounds for ${cName}`);
    if (high - 1 < bounds[0] || high - 1 > bounds[1]) throw runtimeError(`to - 1 is out of bounds for ${cName}`);
  }
  const range = high - low;
  for (let i = 0; i < t.data.length; i++) {
    // range < 2^32: PyTorch draws 32 bits.
    t.data[i] = (generator.random() % range) + low;
  }
  return finish(t, 'randint', opts);
}

/** torch.randperm: 0..n-1 shuffled as PyTorch's CPU kernel does (a Fisher-Yates pass, 32 random bits per swap). */
export function randperm(n: number, opts: CreateOptions = {}): Tensor {
  if (n < 0) throw runtimeError(`n must be non-negative, got${n}`);
  const t = empty([n], opts.dtype ?? 'int64');
  for (let i = 0; i < n; i++) t.data[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = generator.random() % (n - i);
    const sav = t.data[i];
    t.data[i] = t.data[z + i];
    t.data[z + i] = sav;
  }
  return finish(t, 'randperm', opts);
}

/** torch.linspace: PyTorch's symmetric formula (from the start for the first half, from the end for the rest). */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  return finish(linspaceValues(start, end, steps, opts.dtype ?? DEFAULT_FLOAT), 'linspace', opts);
}

/** linspace's values, not announced (logspace raises a base to them). */
export function linspaceValues(start: number, end: number, steps: number, dtype: DType): Tensor {
  if (steps < 0) throw runtimeError('number of steps must be non-negative');
  const t = empty([steps], dtype);
  if (steps === 1) t.data[0] = start;
  else if (steps > 1 && (t.dtype === 'float32' || t.dtype === 'float64')) {
    // PyTorch's CPU kernel, in the tensor's precision: step = (end - start) / (steps - 1); the first half
    // counts from start, the second from end. Its vectorized loop takes two vectors at a time (8 float32 or 4
    // float64 lanes each) while 2 vectors fit: a vector starting at idx gets base = start + step * idx (or
    // end - step * (steps - idx - 1) from halfway on) and lanes base + i * step; the last elements go one by
    // one. Checked bit for bit against PyTorch 1.13 in float32 (the plain formula differed from it in 896 of the
    // tutorial's 2000 points).
    const f = t.dtype === 'float32' ? Math.fround : (x: number) => x;
    const lanes = t.dtype === 'float32' ? 8 : 4;
    const s0 = f(start);
    const e0 = f(end);
    const step = f(f(e0 - s0) / (steps - 1));
    const half = Math.floor(steps / 2);
    // `start + step * idx` is one fused multiply-add as GCC compiles it (exact product, one rounding); emulated
    // for float32 only, where fround(a * b + c) is that (the product of two floats is exact in a double).
    const from = (idx: number): number =>
      t.dtype === 'float32'
        ? idx < half ? f(s0 + step * idx) : f(e0 - step * (steps - idx - 1))
        : idx < half ? s0 + step * idx : e0 - step * (steps - idx - 1);
    const vectorEnd = Math.floor(steps / (2 * lanes)) * 2 * lanes;
    let idx = 0;
    for (; idx < vectorEnd; idx += lanes) {
      const base = from(idx);
      for (let i = 0; i < lanes; i++) t.data[idx + i] = f(base + f(i * step));
    }
    for (; idx < steps; idx++) t.data[idx] = from(idx);
  } else if (steps > 1) {
    const step = (end - start) / (steps - 1);
    const half = Math.floor(steps / 2);
    // Integer dtypes: the double value cast to the type (truncated toward zero), as PyTorch's kernel stores it.
    for (let i = 0; i < steps; i++) t.data[i] = Math.trunc(i < half ? start + step * i : end - step * (steps - i - 1));
  }
  return t;
}

/** torch.arange: int64 when every argument is an integer, else the default float dtype. */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions & { anyFloat?: boolean } = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0) throw runtimeError('step must be nonzero');
  if ((end - start) / step < 0) throw runtimeError('upper bound and larger bound inconsistent with step sign');
  const n = Math.ceil((end - start) / step);
  const isInt = !opts.anyFloat && [start, end, step].every(Number.isInteger);
  const t = empty([n], opts.dtype ?? (isInt ? 'int64' : DEFAULT_FLOAT));
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return finish(t, 'arange', opts);
}

export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  const t = empty([n, m], opts.dtype ?? DEFAULT_FLOAT);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return finish(t, 'eye', opts);
}

/** A leaf made from raw storage (safetensors, parameters). */
export function fromData(data: Storage, shape: number[], dtype: DType, origin = 'load', requiresGrad = false): Tensor {
  const t = new Tensor(data, shape.slice(), dtype);
  t.requiresGrad = requiresGrad;
  return created(t, origin);
}
