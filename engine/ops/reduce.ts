// Reductions: sum, mean, max/min (whole and along a dim), argmax, norm.
import { allocStorage, isFloating, isIntegral, scalarTypeName, DEFAULT_FLOAT, type DType } from '../dtype';
import { EngineError, runtimeError } from '../context';
import { Tensor, normalizeDim, numelOf } from '../tensor';
import { apply, applyMulti, defineOp, type MultiOutputDef } from './define';
import { cascadeSum, cascadeColumnSums } from '../kernels/cascadeSum';
import { binaryRaw, div, mul, eq } from './arith';
import { Bin } from '../kernels/elementwise';
import { expandTo, sumTo, unsqueezeDims } from './shape';

/** (outer, size, inner) of a reduction over one dim. */
function split(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[dim], inner];
}

function reducedShape(shape: readonly number[], dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, i) => {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(s);
  });
  return out;
}

export function normalizeDims(dim: number | number[] | null | undefined, ndim: number): number[] {
  // No dims, or an empty list of them (x.sum(())), reduces over every dim, as PyTorch 1.13 does.
  if (dim === null || dim === undefined || (Array.isArray(dim) && dim.length === 0)) return [...Array(ndim).keys()];
  const dims = (Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, ndim));
  const seen = new Set<number>();
  for (const d of dims) {
    if (seen.has(d)) throw runtimeError(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  if (ndim === 0) return [];
  return dims.sort((a, b) => a - b);
}

/**
 * Sum over dims (ascending). A float tensor whose reduced dims form one block (consecutive, or separated
 * only by dims of size 1) is summed in its own precision in PyTorch's order (kernels/cascadeSum): a whole
 * tensor, the last dims (one contiguous run per output), or dims with others after them (one column sum
 * per output, down the rows). Anything else is accumulated in float64, one dim at a time.
 */
export function sumRaw(x: Tensor, dims: number[], keepdim: boolean, dtype?: DType): Tensor {
  // Sums of bool and of integers narrower than int64 are int64, as PyTorch's.
  const outDtype: DType = dtype ?? (x.dtype === 'bool' || (isIntegral(x.dtype) && x.dtype !== 'int64') ? 'int64' : x.dtype);
  const shape = reducedShape(x.shape, dims, keepdim);
  const d = x.data;
  if ((d instanceof Float32Array || d instanceof Float64Array) && outDtype === x.dtype) {
    const block = reducedBlock(x.shape, dims);
    if (block) {
      const { outer, size, inner } = block;
      const out = new Tensor(allocStorage(outDtype, outer * inner), shape, outDtype);
      const o = out.data as Float32Array | Float64Array;
      if (inner === 1) for (let r = 0; r < outer; r++) o[r] = cascadeSum(d, r * size, size);
      else for (let r = 0; r < outer; r++) cascadeColumnSums(d, r * size * inner, size, inner, o, r * inner);
      return out;
    }
  }
  if (dims.length === x.shape.length || x.shape.length === 0) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i];
    const out = new Tensor(allocStorage(outDtype, 1), shape, outDtype);
    out.data[0] = s;
    return out;
  }
  // Reduce one dim at a time, innermost-first layout unchanged (keepdim until the end).
  let cur = x.data as ArrayLike<number>;
  let curShape = x.shape.slice();
  for (const dim of dims) {
    const [outer, size, inner] = split(curShape, dim);
    const next = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      const base = o * size * inner;
      const ob = o * inner;
      for (let r = 0; r < size; r++) {
        const rb = base + r * inner;
        for (let i = 0; i < inner; i++) next[ob + i] += cur[rb + i];
      }
    }
    cur = next;
    curShape[dim] = 1;
  }
  const out = new Tensor(allocStorage(outDtype, cur.length), shape, outDtype);
  out.data.set(cur as Float64Array);
  return out;
}

/**
 * The reduced dims as one block [outer, size, inner] of a contiguous tensor, when they are consecutive once
 * dims of size 1 are left out (those move nothing); null otherwise.
 */
function reducedBlock(shape: readonly number[], dims: number[]): { outer: number; size: number; inner: number } | null {
  let first = -1;
  let last = -1;
  for (const d of dims) {
    if (shape[d] === 1) continue;
    if (first < 0 || d < first) first = d;
    if (d > last) last = d;
  }
  let outer = 1;
  let size = 1;
  let inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (first >= 0 && i >= first && i <= last) {
      if (!dims.includes(i) && shape[i] !== 1) return null;
      size *= shape[i];
    } else if (first < 0 || i < first) outer *= shape[i];
    else inner *= shape[i];
  }
  return { outer, size, inner };
}

interface SumAttrs {
  dim: number[] | null;
  keepdim: boolean;
}

export const sumOp = defineOp<SumAttrs>({
  name: 'sum', label: 'sum', gradFn: 'SumBackward0', inputs: ['self'],
  formulas: { self: 'grad.expand(self.sizes())' }, saves: [],
  forward: ([x], { dim, keepdim }) => sumRaw(x, normalizeDims(dim, x.ndim), keepdim),
  backward: (g, { inputs: [x], attrs: { dim, keepdim } }, n) => [n[0] ? expandTo(keepdim ? g : unsqueezeDims(g, normalizeDims(dim, x.ndim), x.ndim), x.shape) : null],
});
export const sumDimOp = { ...sumOp, name: 'sum_dim', gradFn: 'SumBackward1', formulas: { self: 'sum_backward(grad, self.sizes(), dim, keepdim)' } };

export const meanOp = defineOp<SumAttrs>({
  name: 'mean', label: 'mean', gradFn: 'MeanBackward0', inputs: ['self'],
  formulas: { self: 'grad.expand(self.sizes()) / self.numel()' }, saves: [],
  forward: ([x], { dim, keepdim }) => {
    if (!isFloating(x.dtype)) {
      throw runtimeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(x.dtype)}`);
    }
    const dims = normalizeDims(dim, x.ndim);
    const s = sumRaw(x, dims, keepdim);
    let count = 1;
    for (const d of dims) count *= x.shape[d];
    for (let i = 0; i < s.data.length; i++) s.data[i] = s.data[i] / count;
    return s;
  },
  backward: (g, { inputs: [x], attrs: { dim, keepdim } }, n) => {
    if (!n[0]) return [null];
    const dims = normalizeDims(dim, x.ndim);
    let count = 1;
    for (const d of dims) count *= x.shape[d];
    return [div(expandTo(keepdim ? g : unsqueezeDims(g, dims, x.ndim), x.shape), count)];
  },
});
export const meanDimOp = { ...meanOp, name: 'mean_dim', gradFn: 'MeanBackward1', formulas: { self: 'mean_backward(grad, self.sizes(), dim, self.numel() / result.numel(), keepdim)' } };

export function sum(x: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor {
  if (dim === null) return apply(sumOp, [x], { dim: null, keepdim: false });
  return apply(sumDimOp, [x], { dim: Array.isArray(dim) ? dim : [dim], keepdim });
}

export function mean(x: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor {
  if (dim === null) return apply(meanOp, [x], { dim: null, keepdim: false });
  return apply(meanDimOp, [x], { dim: Array.isArray(dim) ? dim : [dim], keepdim });
}

/** max or min over one dim: values and indices. */
function extremeDim(x: Tensor, dim: number, keepdim: boolean, isMax: boolean): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim === 0) {
    const values = new Tensor(allocStorage(x.dtype, 1), [], x.dtype);
    values.data[0] = x.data[0];
    return { values, indices: new Tensor(allocStorage('int64', 1), [], 'int64') };
  }
  const [outer, size, inner] = split(x.shape, d);
  if (size === 0) throw new EngineError('IndexError', `${isMax ? 'max' : 'min'}(): Expected reduction dim ${d} to have non-zero size.`);
  const shape = reducedShape(x.shape, [d], keepdim);
  const values = new Tensor(allocStorage(x.dtype, outer * inner), shape, x.dtype);
  const indices = new Tensor(allocStorage('int64', outer * inner), shape, 'int64');
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = src[o * size * inner + i];
      let bi = 0;
      for (let r = 1; r < size && best === best; r++) {
        const v = src[o * size * inner + r * inner + i];
        if (v !== v || (isMax ? v > best : v < best)) {
          best = v;
          bi = r;
        }
      }
      values.data[o * inner + i] = best;
      indices.data[o * inner + i] = bi;
    }
  }
  return { values, indices };
}

interface DimAttrs {
  dim: number;
  keepdim: boolean;
}

const extremeDimOp = (name: 'max' | 'min') =>
  defineOp<DimAttrs, Tensor>({
    name: `${name}_dim`, label: name, gradFn: name === 'max' ? 'MaxBackward0' : 'MinBackward0', inputs: ['self'],
    formulas: { self: 'value_selecting_reduction_backward(grad, dim, indices, self.sizes(), keepdim)' }, saves: ['indices'],
    forward: ([x], { dim, keepdim }) => {
      const { values, indices } = extremeDim(x, dim, keepdim, name === 'max');
      return { out: values, saved: indices };
    },
    backward: (g, { inputs: [x], attrs: { dim, keepdim }, saved: indices }, n) => {
      if (!n[0]) return [null];
      const d = normalizeDim(dim, x.ndim);
      const out = new Tensor(allocStorage(g.dtype, x.data.length), x.shape.slice(), g.dtype);
      if (x.ndim === 0) {
        out.data[0] = g.data[0];
        return [out];
      }
      const [outer, size, inner] = split(x.shape, d);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) out.data[o * size * inner + indices.data[o * inner + i] * inner + i] = g.data[o * inner + i];
      return [out];
    },
  });
export const maxDimOp = extremeDimOp('max');
export const minDimOp = extremeDimOp('min');

const extremeAllOp = (name: 'max' | 'min') =>
  defineOp({
    name, label: name, gradFn: name === 'max' ? 'MaxBackward1' : 'MinBackward1', inputs: ['self'],
    formulas: { self: 'evenly_distribute_backward(grad, self, result)' }, saves: ['self', 'result'],
    forward: ([x]) => {
      if (x.data.length === 0) {
        throw runtimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
      }
      let best = x.data[0];
      for (let i = 1; i < x.data.length && best === best; i++) {
        const v = x.data[i];
        if (v !== v || (name === 'max' ? v > best : v < best)) best = v;
      }
      const out = new Tensor(allocStorage(x.dtype, 1), [], x.dtype);
      out.data[0] = best;
      return out;
    },
    backward: (g, { inputs: [x], result }, n) => {
      if (!n[0]) return [null];
      const mask = eq(x, result);
      let count = 0;
      for (let i = 0; i < mask.data.length; i++) count += mask.data[i];
      return [div(mul(mask, g), count)];
    },
  });
export const maxOp = extremeAllOp('max');
export const minOp = extremeAllOp('min');

/** max(x) over everything, or (values, indices) over dim. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return extreme(x, 'max', dim, keepdim);
}
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return extreme(x, 'min', dim, keepdim);
}

function extreme(x: Tensor, name: 'max' | 'min', dim: number | undefined, keepdim: boolean): Tensor | [Tensor, Tensor] {
  if (dim === undefined) return apply(name === 'max' ? maxOp : minOp, [x], {});
  const values = apply(name === 'max' ? maxDimOp : minDimOp, [x], { dim, keepdim });
  const node = values.gradFn;
  // The indices are the op's second output; they never require grad.
  const indices = node ? (node.ctx!.saved as Tensor) : extremeDim(x, dim, keepdim, name === 'max').indices;
  return [values, indices];
}

export const argmaxOp = defineOp<{ dim: number | null; keepdim: boolean }>({
  name: 'argmax', label: 'argmax', gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false,
  forward: ([x], { dim, keepdim }) => {
    if (dim === null) {
      const flat = new Tensor(x.data, [x.data.length], x.dtype);
      const r = extremeDim(flat, 0, false, true).indices;
      return r;
    }
    return extremeDim(x, dim, keepdim, true).indices;
  },
  backward: () => [null],
});
export const argminOp = defineOp<{ dim: number | null; keepdim: boolean }>({
  name: 'argmin', label: 'argmin', gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false,
  forward: ([x], { dim, keepdim }) => {
    if (dim === null) return extremeDim(new Tensor(x.data, [x.data.length], x.dtype), 0, false, false).indices;
    return extremeDim(x, dim, keepdim, false).indices;
  },
  backward: () => [null],
});
export const argmax = (x: Tensor, dim: number | null = null, keepdim = false): Tensor => apply(argmaxOp, [x], { dim, keepdim });
export const argmin = (x: Tensor, dim: number | null = null, keepdim = false): Tensor => apply(argminOp, [x], { dim, keepdim });

/** The 2-norm (Frobenius) of the whole tensor, or the p-norm along dims. */
export const normOp = defineOp<{ p: number; dim: number[] | null; keepdim: boolean }>({
  name: 'norm', label: 'norm', gradFn: 'NormBackward1', inputs: ['self'],
  formulas: { self: 'norm_backward(grad, self, p, result)' }, saves: ['self', 'result'],
  forward: ([x], { p, dim, keepdim }) => {
    if (!isFloating(x.dtype)) throw runtimeError(`norm(): input dtype should be either floating point or complex. Got Long instead.`);
    const dims = normalizeDims(dim, x.ndim);
    const powed = new Tensor(allocStorage('float64', x.data.length), x.shape.slice(), 'float64');
    for (let i = 0; i < x.data.length; i++) powed.data[i] = p === Infinity || p === -Infinity ? Math.abs(x.data[i]) : Math.pow(Math.abs(x.data[i]), p);
    if (p === Infinity || p === -Infinity) {
      // max (or min) of |x| over the dims: sum's output shape, filled by a walk over the reduced index.
      const shape = sumRaw(powed, dims, keepdim, 'float64').shape;
      const out = new Tensor(allocStorage(x.dtype, numelOf(shape)), shape.slice(), x.dtype);
      out.data.fill(-p);
      const at = reducedIndex(x.shape, dims);
      for (let i = 0; i < powed.data.length; i++) {
        const v = powed.data[i];
        const o = out.data[at[i]];
        if (v !== v || o !== o) out.data[at[i]] = NaN;
        else if (p === Infinity ? v > o : v < o) out.data[at[i]] = v;
      }
      return out;
    }
    const sums = sumRaw(powed, dims, keepdim, 'float64');
    const out = new Tensor(allocStorage(x.dtype, sums.data.length), sums.shape.slice(), x.dtype);
    for (let i = 0; i < sums.data.length; i++) out.data[i] = Math.pow(sums.data[i], 1 / p);
    return out;
  },
  backward: (g, { inputs: [x], result, attrs: { p, dim, keepdim } }, n) => {
    if (!n[0]) return [null];
    const dims = normalizeDims(dim, x.ndim);
    const gr = keepdim ? g : unsqueezeDims(g, dims, x.ndim);
    const r = keepdim ? result : unsqueezeDims(result, dims, x.ndim);
    const out = new Tensor(allocStorage(x.dtype, x.data.length), x.shape.slice(), x.dtype);
    const ge = expandTo(gr, x.shape);
    const re = expandTo(r, x.shape);
    if (p === Infinity || p === -Infinity) {
      // PyTorch 1.13: sign(x) * grad / (how many elements reach the norm) where |x| reaches it (or is NaN).
      const at = reducedIndex(x.shape, dims);
      const count = new Float64Array(result.data.length);
      for (let i = 0; i < x.data.length; i++) if (Math.abs(x.data[i]) === re.data[i] || x.data[i] !== x.data[i]) count[at[i]]++;
      for (let i = 0; i < x.data.length; i++) {
        const v = x.data[i];
        const hit = Math.abs(v) === re.data[i] || v !== v;
        out.data[i] = Math.sign(v) * (hit ? ge.data[i] / count[at[i]] : 0);
      }
      return [out];
    }
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i];
      const nr = re.data[i];
      // d||x||_p / dx = sign(x) |x|^(p-1) / ||x||_p^(p-1); 0 where the norm is 0 (and for p = 0).
      out.data[i] = nr === 0 || p === 0 ? 0 : (ge.data[i] * Math.sign(v) * Math.pow(Math.abs(v), p - 1)) / Math.pow(nr, p - 1);
    }
    return [out];
  },
});
/** torch.dist(a, b, p): the p-norm of a − b (broadcast) as one node, DistBackward0, as PyTorch records it. */
export const distOp = defineOp<{ p: number }, Tensor>({
  name: 'dist', label: 'dist', gradFn: 'DistBackward0', inputs: ['self', 'other'],
  formulas: { self: 'norm_backward(grad, self - other, p, result)', other: '-norm_backward(grad, self - other, p, result)' }, saves: ['self', 'other', 'result'],
  forward: ([a, b], { p }) => {
    const diff = binaryRaw(Bin.Sub, a, b, a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32');
    const r = normOp.forward([diff], { p, dim: null, keepdim: false });
    return { out: r instanceof Tensor ? r : r.out, saved: diff };
  },
  backward: (g, { inputs: [a, b], result, saved: diff, attrs: { p } }, n) => {
    const [gd] = normOp.backward(g, { inputs: [diff!], result, attrs: { p, dim: null, keepdim: false }, saved: undefined } as never, [true]);
    if (!gd) return [null, null];
    let gb: Tensor | null = null;
    if (n[1]) {
      gb = new Tensor(allocStorage(gd.dtype, gd.data.length), gd.shape.slice(), gd.dtype);
      for (let i = 0; i < gd.data.length; i++) gb.data[i] = -gd.data[i];
    }
    return [n[0] ? sumTo(gd, a.shape) : null, gb ? sumTo(gb, b.shape) : null];
  },
});
export const dist = (a: Tensor, b: Tensor, p = 2): Tensor => apply(distOp, [a, b], { p });

/** For each element of a tensor of `shape`, the flat index of its slot in the reduction over `dims`. */
export function reducedIndex(shape: readonly number[], dims: number[]): Int32Array {
  const n = numelOf(shape);
  const at = new Int32Array(n);
  const nd = shape.length;
  // Output strides (over the kept dims, row-major), 0 on the reduced dims.
  const ostr = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (!dims.includes(d)) {
      ostr[d] = acc;
      acc *= shape[d];
    }
  }
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) {
    let o = 0;
    for (let d = 0; d < nd; d++) o += idx[d] * ostr[d];
    at[i] = o;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return at;
}

export const norm = (x: Tensor, p = 2, dim: number | number[] | null = null, keepdim = false): Tensor =>
  apply(normOp, [x], { p, dim: dim === null ? null : Array.isArray(dim) ? dim : [dim], keepdim });

/** torch.linalg.vector_norm (and linalg.norm of a vector, matrix_norm 'fro'): the p-norm, LinalgVectorNormBackward0. */
export const vectorNormOp = { ...normOp, name: 'linalg_vector_norm', gradFn: 'LinalgVectorNormBackward0', formulas: { self: 'linalg_vector_norm_backward(grad, self, ord, result, dim, keepdim)' } };
export const vectorNorm = (x: Tensor, p = 2, dim: number[] | null = null, keepdim = false): Tensor => apply(vectorNormOp, [x], { p, dim, keepdim });

export { DEFAULT_FLOAT };

/** all()/any() over everything or one dim: bool results (uint8 for a uint8 input, as PyTorch's), never recorded. */
const boolReduce = (name: 'all' | 'any') =>
  defineOp<{ dim: number | null; keepdim: boolean }>({
    name, label: name, gradFn: '', inputs: ['self'], formulas: {}, saves: [], differentiable: false,
    forward: ([x], { dim, keepdim }) => {
      const dims = normalizeDims(dim, x.ndim);
      const nonzero = new Tensor(allocStorage('float64', x.data.length), x.shape.slice(), 'float64');
      for (let i = 0; i < x.data.length; i++) nonzero.data[i] = x.data[i] !== 0 ? 1 : 0;
      const counts = sumRaw(nonzero, dims, keepdim, 'float64');
      let size = 1;
      for (const d of dims) size *= x.shape[d];
      const dtype = x.dtype === 'uint8' ? 'uint8' : 'bool';
      const out = new Tensor(allocStorage(dtype, counts.data.length), counts.shape.slice(), dtype);
      for (let i = 0; i < counts.data.length; i++) out.data[i] = name === 'all' ? +(counts.data[i] === size) : +(counts.data[i] > 0);
      return out;
    },
    backward: () => [null],
  });
export const allOp = boolReduce('all');
export const anyOp = boolReduce('any');
export const all = (x: Tensor, dim: number | null = null, keepdim = false): Tensor => apply(allOp, [x], { dim, keepdim });
export const any = (x: Tensor, dim: number | null = null, keepdim = false): Tensor => apply(anyOp, [x], { dim, keepdim });

interface VarAttrs {
  dim: number[] | null;
  correction: number;
  keepdim: boolean;
}

/** at::internal::GRAIN_SIZE: std_var_all_cpu sums its squared deviations in chunks of this many elements. */
const GRAIN_SIZE = 32768;

/**
 * var (or std, `takeSqrt`) as PyTorch 1.13's CPU kernels compute them, so float32 results are PyTorch's bits.
 * Over every element (std_var_all_cpu): the mean as x.mean() gives it (in the tensor's dtype), then
 * Σ (x - mean)² in double, in memory order, in chunks of GRAIN_SIZE added in order; divided by n - correction
 * and square-rooted in double, rounded once. Over some dims (std_var_kernel): Welford's update in double per
 * output, over its elements in memory order; m2 / (n - correction), square-rooted in double, rounded once.
 * (Rounding the variance to float32 before the square root, as this did, was an ulp off in about 1 of 4 std().)
 */
function varianceRaw(x: Tensor, dims: number[], correction: number, keepdim: boolean, takeSqrt: boolean): Tensor {
  const shape = reducedShape(x.shape, dims, keepdim);
  const outN = shape.reduce((a, b) => a * b, 1);
  const out = new Tensor(allocStorage(x.dtype, outN), shape, x.dtype);
  const d = x.data;
  const o = out.data;
  const finish = (m2: number, n: number) => {
    const v = m2 / Math.max(0, n - correction);
    return takeSqrt ? Math.sqrt(v) : v;
  };
  if (d.length === 0) {
    o.fill(NaN);
    return out;
  }
  if (dims.length === x.ndim) {
    const n = d.length;
    const s = sumRaw(x, dims, false).data[0];
    const mean = x.dtype === 'float32' ? Math.fround(s / n) : s / n;
    let total = 0;
    for (let b = 0; b < n; b += GRAIN_SIZE) {
      let local = 0;
      for (let i = b, e = Math.min(n, b + GRAIN_SIZE); i < e; i++) {
        const dx = d[i] - mean;
        local += dx * dx;
      }
      total += local;
    }
    o[0] = finish(total, n);
    return out;
  }
  // Each output's elements: its base offset plus every combination of the reduced dims, in memory order.
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const kept: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (!dims.includes(i)) kept.push(i);
  const sorted = [...dims].sort((a, b) => a - b);
  let count = 1;
  for (const i of sorted) count *= x.shape[i];
  const offsets = new Int32Array(count);
  for (let q = 0; q < count; q++) {
    let off = 0;
    let r = q;
    for (let k = sorted.length - 1; k >= 0; k--) {
      const i = sorted[k];
      off += (r % x.shape[i]) * strides[i];
      r = Math.floor(r / x.shape[i]);
    }
    offsets[q] = off;
  }
  const keptN = kept.reduce((a, i) => a * x.shape[i], 1);
  for (let p = 0; p < keptN; p++) {
    let base = 0;
    let r = p;
    for (let k = kept.length - 1; k >= 0; k--) {
      const i = kept[k];
      base += (r % x.shape[i]) * strides[i];
      r = Math.floor(r / x.shape[i]);
    }
    let mean = 0;
    let m2 = 0;
    for (let q = 0; q < count; q++) {
      const v = d[base + offsets[q]];
      const delta = v - mean;
      mean += delta / (q + 1);
      m2 += delta * (v - mean);
    }
    o[p] = finish(m2, count);
  }
  return out;
}

/** var/std: d var / dx = 2 (x - mean) / (n - correction); std divides that by 2 std. */
const spread = (name: 'var' | 'std') =>
  defineOp<VarAttrs>({
    name, label: name, gradFn: name === 'var' ? 'VarBackward0' : 'StdBackward0', inputs: ['self'],
    formulas: { self: name === 'var' ? 'var_backward(grad, self, dim, correction, keepdim)' : 'std_backward(result, grad, self, dim, correction, keepdim)' },
    saves: name === 'var' ? ['self'] : ['self', 'result'],
    forward: ([x], { dim, correction, keepdim }) => {
      if (!isFloating(x.dtype)) throw runtimeError(`std and var only support floating point and complex dtypes`);
      return varianceRaw(x, normalizeDims(dim, x.ndim), correction, keepdim, name === 'std');
    },
    backward: (g, { inputs: [x], result, attrs: { dim, correction, keepdim } }, n) => {
      if (!n[0]) return [null];
      const dims = normalizeDims(dim, x.ndim);
      let count = 1;
      for (const d of dims) count *= x.shape[d];
      const m = sumRaw(x, dims, true, 'float64');
      for (let i = 0; i < m.data.length; i++) m.data[i] /= count;
      const me = expandTo(m, x.shape);
      const ge = expandTo(keepdim ? g : unsqueezeDims(g, dims, x.ndim), x.shape);
      const re = name === 'std' ? expandTo(keepdim ? result : unsqueezeDims(result, dims, x.ndim), x.shape) : null;
      const out = new Tensor(allocStorage(x.dtype, x.data.length), x.shape.slice(), x.dtype);
      for (let i = 0; i < x.data.length; i++) {
        const d = (2 * (x.data[i] - me.data[i])) / (count - correction);
        out.data[i] = re ? (ge.data[i] * d) / (2 * re.data[i]) : ge.data[i] * d;
      }
      return [out];
    },
  });
export const varOp = spread('var');
export const stdOp = spread('std');
const spreadMean = (name: 'var' | 'std'): MultiOutputDef => ({
  name: `${name}_mean`, label: `${name}_mean`, gradFn: name === 'var' ? 'VarMeanBackward0' : 'StdMeanBackward0', inputs: ['self'],
  formulas: {
    self: name === 'var'
      ? 'var_mean_backward(grads[0], grads[1], self, dim, correction, keepdim)'
      : 'std_mean_backward(grads[0], grads[1], self, result0, dim, correction, keepdim)',
  },
  saves: name === 'var' ? ['self'] : ['self', 'result'],
});
export const varMeanDef = spreadMean('var');
export const stdMeanDef = spreadMean('std');

/**
 * torch.var_mean / torch.std_mean: both statistics, outputs of one VarMeanBackward0 (StdMeanBackward0) as
 * PyTorch records them; the node's backward is var's (std's) plus mean's.
 */
export function spreadAndMean(x: Tensor, which: 'var' | 'std', dim: number | number[] | null = null, unbiased = true, keepdim = false): [Tensor, Tensor] {
  const dims = dim === null ? null : Array.isArray(dim) ? dim : [dim];
  const spreadPart = { op: which === 'var' ? varOp : stdOp, attrs: { dim: dims, correction: unbiased ? 1 : 0, keepdim } };
  const meanPart = dims === null && !keepdim ? { op: meanOp, attrs: { dim: null, keepdim: false } } : { op: meanDimOp, attrs: { dim: dims ?? x.shape.map((_, i) => i), keepdim } };
  const [s, m] = applyMulti(which === 'var' ? varMeanDef : stdMeanDef, [x], {}, [spreadPart, meanPart]);
  return [s, m];
}
export const variance = (x: Tensor, dim: number | number[] | null = null, unbiased = true, keepdim = false): Tensor =>
  apply(varOp, [x], { dim: dim === null ? null : Array.isArray(dim) ? dim : [dim], correction: unbiased ? 1 : 0, keepdim });
export const std = (x: Tensor, dim: number | number[] | null = null, unbiased = true, keepdim = false): Tensor =>
  apply(stdOp, [x], { dim: dim === null ? null : Array.isArray(dim) ? dim : [dim], correction: unbiased ? 1 : 0, keepdim });

/** cumsum along dim; its backward is the reversed cumsum of the gradient. */
export const cumsumOp = defineOp<{ dim: number }>({
  name: 'cumsum', label: 'cumsum', gradFn: 'CumsumBackward0', inputs: ['self'],
  formulas: { self: 'cumsum_backward(grad.to(self.scalar_type()), dim)' }, saves: [],
  forward: ([x], { dim }) => cumulate(x, normalizeDim(dim, Math.max(x.ndim, 1)), false),
  backward: (g, { attrs: { dim } }, n) => [n[0] ? cumulate(g, normalizeDim(dim, Math.max(g.ndim, 1)), true) : null],
});
function cumulate(x: Tensor, dim: number, reverse: boolean): Tensor {
  const dtype = isFloating(x.dtype) ? x.dtype : 'int64';
  const out = new Tensor(allocStorage(dtype, x.data.length), x.shape.slice(), dtype);
  const [outer, size, inner] = x.ndim === 0 ? [1, 1, 1] : split(x.shape, dim);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let r = 0; r < size; r++) {
        const k = o * size * inner + (reverse ? size - 1 - r : r) * inner + i;
        s += x.data[k];
        out.data[k] = s;
      }
    }
  return out;
}
export const cumsum = (x: Tensor, dim: number): Tensor => apply(cumsumOp, [x], { dim });
