// torch.bernoulli, Tensor.bernoulli_/exponential_/geometric_ and torch.multinomial, drawing from PyTorch's CPU
// generator (../random) exactly as PyTorch 1.13's CPU kernels draw (this build has no MKL, so every sampler is
// the serial default): one draw per element in memory order,
//   bernoulli_(p: float)      uniform double < p                     (bernoulli_distribution<double>)
//   bernoulli(p: tensor)      uniform float (24 bits) < p for float32 p, uniform double < p for float64 p
//   exponential_(λ)           −1/λ · log(1 − u), u a uniform double, in double, rounded to the dtype
//   geometric_(p)             ceil(log(u) / log(1 − p)), in double
//   multinomial               without replacement (or one sample): argmax/topk of p / q, q = exponential_(1) in
//                             p's dtype; with replacement: per row, a cumulative distribution in the dtype and one
//                             uniform double per sample, binary-searched.
// The gradients PyTorch records for them are zeros (BernoulliBackward0/1/2, ExponentialBackward0, ...).
import { runtimeError } from '../context';
import { isFloating, scalarTypeName, type DType } from '../dtype';
import { Tensor } from '../tensor';
import * as libm from '../lang/libm';
import { generator } from '../random';
import { apply, defineOp, type OpDef } from './define';
import { make } from './more';
import { broadcastShapes } from './arith';
import { broadcastIndex } from '../kernels/elementwise';

/** An op whose result is drawn; its gradient is zeros_like for every differentiable input. */
function drawnOp<A>(name: string, gradFn: string, inputs: string[], forward: (xs: Tensor[], a: A) => Tensor): OpDef<A> {
  return defineOp<A>({
    name, label: name, gradFn, inputs, formulas: Object.fromEntries(inputs.map((i) => [i, 'zeros_like(grad)'])), saves: [],
    forward,
    backward: (g, { inputs: xs }, n) => xs.map((x, k) => (n[k] ? make(g.dtype, x.shape) : null)),
  });
}

const checkP = (p: Tensor): void => {
  for (let i = 0; i < p.data.length; i++) {
    if (!(p.data[i] >= 0 && p.data[i] <= 1)) {
      throw runtimeError('Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)');
    }
  }
};

/** Draws 0/1 for each of `n` elements with probability p(i) (p's precision picks the uniform's). */
function bernoulliDraws(out: Tensor, p: (i: number) => number, doubleP: boolean): void {
  for (let i = 0; i < out.data.length; i++) out.data[i] = (doubleP ? generator.uniformDouble() : generator.uniformFloat()) < p(i) ? 1 : 0;
}

/** torch.bernoulli(p): a new tensor of p's dtype and shape. */
export const bernoulliOp = drawnOp<Record<string, never>>('bernoulli', 'BernoulliBackward0', ['self'], ([p]) => {
  checkP(p);
  const out = make(p.dtype, p.shape);
  bernoulliDraws(out, (i) => p.data[i], p.dtype === 'float64');
  return out;
});

/** x.bernoulli_(p) with a number: uniform doubles. */
export const bernoulliScalarOp = drawnOp<{ p: number }>('bernoulli_', 'BernoulliBackward2', ['self'], ([x], { p }) => {
  const out = make(x.dtype, x.shape);
  bernoulliDraws(out, () => p, true);
  return out;
});

/** x.bernoulli_(p) with a tensor p, broadcast to x. */
export const bernoulliTensorOp = drawnOp<Record<string, never>>('bernoulli_', 'BernoulliBackward1', ['self', 'p'], ([x, p]) => {
  checkP(p);
  const out = make(x.dtype, x.shape);
  broadcastShapes(p.shape, x.shape);
  const { ia } = broadcastIndex(p.shape, x.shape, x.shape);
  bernoulliDraws(out, (i) => p.data[ia ? ia[i] : i], p.dtype === 'float64');
  return out;
});

export const exponentialOp = drawnOp<{ lambd: number }>('exponential_', 'ExponentialBackward0', ['self'], ([x], { lambd }) => {
  const out = make(x.dtype, x.shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = (-1 / lambd) * libm.log(1 - generator.uniformDouble());
  return out;
});

export const geometricOp = drawnOp<{ p: number }>('geometric_', 'GeometricBackward0', ['self'], ([x], { p }) => {
  const out = make(x.dtype, x.shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.ceil(libm.log(generator.uniformDouble()) / libm.log(1 - p));
  return out;
});

export const bernoulli = (p: Tensor): Tensor => {
  if (!isFloating(p.dtype)) throw runtimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${scalarTypeName(p.dtype)}'`);
  return apply(bernoulliOp, [p], {});
};

/** The checks of bernoulli_(p), exponential_(λ) and geometric_(p) before drawing. */
export function checkDrawArgs(op: 'bernoulli_' | 'exponential_' | 'geometric_', dtype: DType, v: number): void {
  if (op === 'bernoulli_' && !(v >= 0 && v <= 1)) throw runtimeError(`bernoulli_ expects p to be in [0, 1], but got p=${v}`);
  if (op === 'exponential_') {
    if (!isFloating(dtype)) throw runtimeError(`"exponential_cpu" not implemented for '${scalarTypeName(dtype)}'`);
    if (!(v >= 0)) throw runtimeError(`exponential_ expects lambda >= 0.0, but found lambda=${v}`);
  }
  if (op === 'geometric_' && !(v > 0 && v < 1)) throw runtimeError(`geometric_ expects p to be in (0, 1), but got p=${v}`);
}

/** torch.multinomial(p, n, replacement): int64 category indices per row. */
export function multinomial(p: Tensor, n: number, replacement = false): Tensor {
  if (!isFloating(p.dtype)) throw runtimeError(`multinomial only supports floating-point dtypes for input, got: ${scalarTypeName(p.dtype)}`);
  if (p.ndim !== 1 && p.ndim !== 2) throw runtimeError('prob_dist must be 1 or 2 dim');
  const cats = p.shape[p.ndim - 1];
  const rows = p.ndim === 2 ? p.shape[0] : 1;
  if (cats > 2 ** 24) throw runtimeError('number of categories cannot exceed 2^24');
  if (!replacement && n > cats) throw runtimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  if (n <= 0) throw runtimeError('cannot sample n_sample <= 0 samples');
  const out = make('int64', p.ndim === 2 ? [rows, n] : [n]);
  const f32 = p.dtype === 'float32';
  const r = f32 ? Math.fround : (v: number) => v;
  if (!replacement || n === 1) {
    let bad = false;
    for (let i = 0; i < p.data.length; i++) if (!(p.data[i] >= 0 && p.data[i] < Infinity)) bad = true;
    if (bad) throw runtimeError('probability tensor contains either `inf`, `nan` or element < 0');
    for (let row = 0; row < rows; row++) {
      let s = 0;
      for (let j = 0; j < cats; j++) s += p.data[row * cats + j];
      if (s === 0) throw runtimeError('invalid multinomial distribution (sum of probabilities <= 0)');
    }
    // q = exponential_(1) over the whole tensor in order, then p / q; the n largest per row (topk, sorted).
    const q = new Float64Array(p.data.length);
    for (let i = 0; i < q.length; i++) q[i] = r(p.data[i] / r(-libm.log(1 - generator.uniformDouble())));
    for (let row = 0; row < rows; row++) {
      const order = Array.from({ length: cats }, (_, j) => j).sort((a, b) => q[row * cats + b] - q[row * cats + a] || a - b);
      for (let k = 0; k < n; k++) out.data[row * n + k] = order[k];
    }
    return out;
  }
  const cum = new Float64Array(cats);
  for (let row = 0; row < rows; row++) {
    let s = 0;
    for (let j = 0; j < cats; j++) {
      const v = p.data[row * cats + j];
      if (!(v >= 0)) throw runtimeError('invalid multinomial distribution (encountering probability entry < 0)');
      if (!Number.isFinite(v)) throw runtimeError('invalid multinomial distribution (encountering probability entry = infinity or NaN)');
      s = r(s + v);
      cum[j] = s;
    }
    if (!(s > 0)) throw runtimeError('invalid multinomial distribution (sum of probabilities <= 0)');
    for (let j = 0; j < cats; j++) cum[j] = r(cum[j] / s);
    for (let k = 0; k < n; k++) {
      const u = generator.uniformDouble();
      cum[cats - 1] = 1;
      let lo = 0;
      let hi = cats;
      while (hi - lo > 0) {
        const mid = lo + ((hi - lo) >> 1);
        if (cum[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      out.data[row * n + k] = lo;
    }
  }
  return out;
}
