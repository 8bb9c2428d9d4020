// torch.nn.init on raw storage: the draws PyTorch's CPU kernels make, in the same order and precision, so
// `torch.manual_seed(0); nn.Linear(3, 2).weight` gives PyTorch's numbers.
//
// Note: these write storage directly (no graph, no events): they run inside module constructors, where
// PyTorch wraps them in no_grad. The caller announces the finished tensor.
import { DRAW_BLOCK, fillNormal, forEachUniformDouble, generator } from '../random';
import { runtimeError } from '../context';
import type { Tensor } from '../tensor';

/** fan_in and fan_out as torch.nn.init._calculate_fan_in_and_fan_out computes them. */
export function fanInOut(shape: readonly number[]): [number, number] {
  if (shape.length < 2) throw runtimeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return [shape[1] * receptive, shape[0] * receptive];
}

/** calculate_gain for the nonlinearities the layers use. */
export function calculateGain(nonlinearity: 'linear' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu', param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv2d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
  }
}

/**
 * tensor.uniform_(from, to) on float32 storage: uniform_real_distribution<float> takes 24 bits of one 32-bit
 * draw and computes `x * (to - from) + from` in double (its accumulate type on the CPU), with `to - from`
 * in float, then rounds to float; float64 takes 53 bits of two draws, in double.
 */
export function uniform_(t: Tensor, from: number, to: number): Tensor {
  const d = t.data;
  if (d instanceof Float32Array) {
    const f = Math.fround;
    const lo = f(from);
    const range = f(f(to) - lo);
    for (let i = 0; i < d.length; ) {
      const k = Math.min(DRAW_BLOCK, d.length - i);
      const b = generator.draws(k);
      // uniformFloat() is (bits & 0xffffff) * 2^-24.
      for (let j = 0; j < k; j++) d[i + j] = (b[j] & 0xffffff) * 2 ** -24 * range + lo;
      i += k;
    }
  } else {
    const data = d;
    forEachUniformDouble(d.length, (i, u) => void (data[i] = u * (to - from) + from));
  }
  t.version.v++;
  return t;
}

/** tensor.normal_(mean, std): PyTorch's normal_fill for 16+ contiguous elements, else serial Box-Muller. */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  fillNormal(t.data as Float32Array | Float64Array, mean, std);
  t.version.v++;
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  t.version.v++;
  return t;
}

type Mode = 'fan_in' | 'fan_out';

/** kaiming_uniform_(a, mode, nonlinearity): U(-bound, bound) with bound = gain * sqrt(3 / fan). */
export function kaimingUniform_(t: Tensor, a = 0, mode: Mode = 'fan_in', nonlinearity: 'relu' | 'leaky_relu' = 'leaky_relu'): Tensor {
  const [fanIn, fanOut] = fanInOut(t.shape);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan);
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound);
}

/** kaiming_normal_(a, mode, nonlinearity): N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, a = 0, mode: Mode = 'fan_in', nonlinearity: 'relu' | 'leaky_relu' = 'leaky_relu'): Tensor {
  const [fanIn, fanOut] = fanInOut(t.shape);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan);
  return normal_(t, 0, std);
}

/** xavier_uniform_(gain): U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = fanInOut(t.shape);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(t, -Math.sqrt(3) * std, Math.sqrt(3) * std);
}

/** xavier_normal_(gain): N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = fanInOut(t.shape);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}
