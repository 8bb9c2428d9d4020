// F.interpolate's kernels, as PyTorch 1.13 computes them on the CPU (aten/src/ATen/native/UpSample.h and
// cpu/UpSampleKernel.cpp): 'nearest' on 3-D and 4-D inputs, 'linear' on 3-D and 'bilinear' on 4-D, with or
// without align_corners, from an output size or from scale factors (which, as in PyTorch, set the source
// index step to 1/scale rather than in/out). Each spatial dim has its table of source indices (and, when
// linear, of two indices and two weights); the output walks the tables.
// Note: PyTorch computes the indices and weights in float for float tensors (nearest always in float), so a
// float32 tensor's table is rounded to float32 at each step, as there.
import { EngineError, runtimeError } from '../context';
import { allocStorage, type Storage } from '../dtype';
import { Tensor, numelOf } from '../tensor';
import { apply, defineOp } from './define';
import { adaptiveAvgPool2d } from './nn';

export interface UpsampleAttrs {
  /** The output's spatial sizes (1 or 2). */
  size: number[];
  /** Per spatial dim: the scale factor given, or null when the size was given. */
  scales: (number | null)[];
  alignCorners: boolean;
}

type Round = (x: number) => number;
const same: Round = (x) => x;

/**
 * a·b + c as PyTorch's compiled kernels compute it: GCC contracts the product and the sum into one fused
 * multiply-add (found on its float32 results: x0·w0 + x1·w1 is fma(x0, w0, x1·w1) there, in all of 945
 * one-dim and 242 two-dim outputs). A float32 product is exact in a double, so one rounding of a·b + c is
 * the fused result (up to a double rounding, far rarer than the difference it fixes).
 */
const fma = (a: number, b: number, c: number, r: Round): number => r(a * b + c);

/** compute_scales_value: the source step per output step. */
function scaleValue(scale: number | null, input: number, output: number, r: Round): number {
  return scale !== null && scale > 0 ? r(1 / scale) : r(input / output);
}

/** area_pixel_compute_scale. */
function areaScale(input: number, output: number, alignCorners: boolean, scale: number | null, r: Round): number {
  if (alignCorners) return output > 1 ? r((input - 1) / (output - 1)) : 0;
  return scaleValue(scale, input, output, r);
}

/** nearest_idx: the source index of each output index along one dim (always in float). */
function nearestTable(input: number, output: number, scale: number | null): Int32Array {
  const t = new Int32Array(output);
  if (output === input) for (let i = 0; i < output; i++) t[i] = i;
  else if (output === 2 * input) for (let i = 0; i < output; i++) t[i] = i >> 1;
  else {
    const s = scaleValue(scale, input, output, Math.fround);
    for (let i = 0; i < output; i++) t[i] = Math.min(Math.floor(Math.fround(i * s)), input - 1);
  }
  return t;
}

interface LinearTable {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

/**
 * compute_source_index_and_lambda along one dim. Matched to PyTorch's float32 results (every weight of
 * 945 one-dim resizes): the step is rounded to the tensor's precision, the source position is then
 * computed in double, and the weights rounded from it.
 */
function linearTable(input: number, output: number, alignCorners: boolean, scale: number | null, r: Round): LinearTable {
  const t = { i0: new Int32Array(output), i1: new Int32Array(output), w0: new Float64Array(output), w1: new Float64Array(output) };
  const ratio = areaScale(input, output, alignCorners, scale, r);
  for (let o = 0; o < output; o++) {
    if (output === input) {
      t.i0[o] = t.i1[o] = o;
      t.w0[o] = 1;
      continue;
    }
    // area_pixel_compute_source_index (not cubic): negative source positions clamp to 0.
    let real = alignCorners ? ratio * o : ratio * (o + 0.5) - 0.5;
    if (real < 0) real = 0;
    const i0 = Math.trunc(real);
    t.i0[o] = i0;
    t.i1[o] = i0 + (i0 < input - 1 ? 1 : 0);
    const l1 = r(Math.min(Math.max(real - i0, 0), 1));
    t.w1[o] = l1;
    t.w0[o] = r(1 - l1);
  }
  return t;
}

const roundOf = (x: Tensor): Round => (x.dtype === 'float32' ? Math.fround : same);

/** The input's planes (N·C), its spatial sizes (h = 1 for 3-D inputs) and the output's. */
function geometry(x: Tensor, size: number[]) {
  const two = x.ndim === 4;
  const planes = numelOf(x.shape.slice(0, 2));
  const ih = two ? x.shape[2] : 1;
  const iw = x.shape[x.ndim - 1];
  const oh = two ? size[0] : 1;
  const ow = size[size.length - 1];
  return { two, planes, ih, iw, oh, ow };
}

function nearestTables(x: Tensor, a: UpsampleAttrs) {
  const g = geometry(x, a.size);
  const th = g.two ? nearestTable(g.ih, g.oh, a.scales[0]) : new Int32Array(1);
  const tw = nearestTable(g.iw, g.ow, a.scales[a.scales.length - 1]);
  return { ...g, th, tw };
}

function linearTables(x: Tensor, a: UpsampleAttrs) {
  const g = geometry(x, a.size);
  const r = roundOf(x);
  const th = g.two ? linearTable(g.ih, g.oh, a.alignCorners, a.scales[0], r) : { i0: new Int32Array(1), i1: new Int32Array(1), w0: Float64Array.of(1), w1: Float64Array.of(0) };
  const tw = linearTable(g.iw, g.ow, a.alignCorners, a.scales[a.scales.length - 1], r);
  return { ...g, th, tw, r };
}

const outShape = (x: Tensor, size: number[]) => [...x.shape.slice(0, 2), ...size];

function nearestForward(x: Tensor, a: UpsampleAttrs): Tensor {
  const { planes, ih, iw, oh, ow, th, tw } = nearestTables(x, a);
  const src = x.data;
  const out = allocStorage(x.dtype, planes * oh * ow);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * ih * iw;
    for (let h = 0; h < oh; h++) {
      const row = base + th[h] * iw;
      for (let w = 0; w < ow; w++) out[o++] = src[row + tw[w]];
    }
  }
  return new Tensor(out, outShape(x, a.size), x.dtype);
}

function nearestBackward(g: Tensor, x: Tensor, a: UpsampleAttrs): Tensor {
  const { planes, ih, iw, oh, ow, th, tw } = nearestTables(x, a);
  const r = roundOf(x);
  const gx: Storage = allocStorage(x.dtype, x.numel);
  const gy = g.data;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * ih * iw;
    for (let h = 0; h < oh; h++) {
      const row = base + th[h] * iw;
      for (let w = 0; w < ow; w++) gx[row + tw[w]] = r(gx[row + tw[w]] + gy[o++]);
    }
  }
  return new Tensor(gx, x.shape.slice(), x.dtype);
}

function linearForward(x: Tensor, a: UpsampleAttrs): Tensor {
  const { two, planes, ih, iw, oh, ow, th, tw, r } = linearTables(x, a);
  const oneChannel = two && x.shape[1] === 1;
  const src = x.data;
  const out = allocStorage(x.dtype, planes * oh * ow);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * ih * iw;
    for (let h = 0; h < oh; h++) {
      const r0 = base + th.i0[h] * iw;
      const r1 = base + th.i1[h] * iw;
      const wh0 = th.w0[h];
      const wh1 = th.w1[h];
      for (let w = 0; w < ow; w++) {
        const c0 = tw.i0[w];
        const c1 = tw.i1[w];
        if (oneChannel) {
          // PyTorch's channels-last kernel (a one-channel NCHW tensor is channels-last contiguous too): the
          // four weight products, then one sum.
          out[o++] = r(r(wh0 * tw.w0[w]) * src[r0 + c0] + r(wh0 * tw.w1[w]) * src[r0 + c1] + r(wh1 * tw.w0[w]) * src[r1 + c0] + r(wh1 * tw.w1[w]) * src[r1 + c1]);
          continue;
        }
        const t0 = fma(src[r0 + c0], tw.w0[w], r(src[r0 + c1] * tw.w1[w]), r);
        if (!two) {
          out[o++] = t0;
          continue;
        }
        const t1 = fma(src[r1 + c0], tw.w0[w], r(src[r1 + c1] * tw.w1[w]), r);
        out[o++] = fma(t0, wh0, r(t1 * wh1), r);
      }
    }
  }
  return new Tensor(out, outShape(x, a.size), x.dtype);
}

function linearBackward(g: Tensor, x: Tensor, a: UpsampleAttrs): Tensor {
  const { two, planes, ih, iw, oh, ow, th, tw, r } = linearTables(x, a);
  const gx: Storage = allocStorage(x.dtype, x.numel);
  const gy = g.data;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * ih * iw;
    for (let h = 0; h < oh; h++) {
      const r0 = base + th.i0[h] * iw;
      const r1 = base + th.i1[h] * iw;
      const wh0 = th.w0[h];
      const wh1 = th.w1[h];
      for (let w = 0; w < ow; w++) {
        const v = gy[o++];
        const c0 = tw.i0[w];
        const c1 = tw.i1[w];
        if (!two) {
          gx[r0 + c0] = r(gx[r0 + c0] + r(tw.w0[w] * v));
          gx[r0 + c1] = r(gx[r0 + c1] + r(tw.w1[w] * v));
          continue;
        }
        gx[r0 + c0] = r(gx[r0 + c0] + r(r(wh0 * tw.w0[w]) * v));
        gx[r0 + c1] = r(gx[r0 + c1] + r(r(wh0 * tw.w1[w]) * v));
        gx[r1 + c0] = r(gx[r1 + c0] + r(r(wh1 * tw.w0[w]) * v));
        gx[r1 + c1] = r(gx[r1 + c1] + r(r(wh1 * tw.w1[w]) * v));
      }
    }
  }
  return new Tensor(gx, x.shape.slice(), x.dtype);
}

function upsampleOp(name: string, gradFn: string, formula: string, linear: boolean) {
  return defineOp<UpsampleAttrs>({
    name, label: name, gradFn, inputs: ['self'], formulas: { self: formula }, saves: [],
    forward: ([x], a) => (linear ? linearForward(x, a) : nearestForward(x, a)),
    backward: (g, { inputs: [x], attrs }, n) => [n[0] ? (linear ? linearBackward(g, x, attrs) : nearestBackward(g, x, attrs)) : null],
  });
}

export const upsampleNearest1dOp = upsampleOp('upsample_nearest1d', 'UpsampleNearest1DBackward1', 'upsample_nearest1d_backward(grad, output_size, input.sizes(), scale_factors)', false);
export const upsampleNearest2dOp = upsampleOp('upsample_nearest2d', 'UpsampleNearest2DBackward1', 'upsample_nearest2d_backward(grad, output_size, input.sizes(), scale_factors)', false);
export const upsampleLinear1dOp = upsampleOp('upsample_linear1d', 'UpsampleLinear1DBackward1', 'upsample_linear1d_backward(grad, output_size, input.sizes(), align_corners, scale_factors)', true);
export const upsampleBilinear2dOp = upsampleOp('upsample_bilinear2d', 'UpsampleBilinear2DBackward1', 'upsample_bilinear2d_backward(grad, output_size, input.sizes(), align_corners, scale_factors)', true);

/**
 * upsample_{nearest,linear}{1,2}d with an output size or scale factors (one per spatial dim): the output
 * size from scale factors is floor(input · scale), as PyTorch's compute_output_size.
 */
export function upsample(x: Tensor, linear: boolean, size: number[] | null, scales: number[] | null, alignCorners = false): Tensor {
  const spatial = x.shape.slice(2);
  const out = size ?? spatial.map((s, i) => Math.floor(s * scales![i]));
  if (out.some((s) => !(s > 0))) {
    throw runtimeError(`Input and output sizes should be greater than 0, but got input (${x.ndim === 4 ? `H: ${spatial[0]}, W: ${spatial[1]}) output (H: ${out[0]}, W: ${out[1]})` : `W: ${spatial[0]}) and output (W: ${out[0]})`}`);
  }
  const op = linear ? (x.ndim === 4 ? upsampleBilinear2dOp : upsampleLinear1dOp) : x.ndim === 4 ? upsampleNearest2dOp : upsampleNearest1dOp;
  return apply(op, [x], { size: out, scales: size ? out.map(() => null) : scales!, alignCorners });
}

export interface InterpolateOptions {
  size: number | number[] | null;
  scaleFactor: number | number[] | null;
  mode: string;
  /** null: not given (False for the interpolating modes). */
  alignCorners: boolean | null;
  recomputeScaleFactor: boolean;
  antialias: boolean;
  /** size and scale_factor as the program wrote them, for messages: "(5, 7)". */
  text?: { size: string; scaleFactor: string };
}

const MODES = ['nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', 'nearest-exact'];
const NEEDS: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };
const valueError = (message: string) => new EngineError('ValueError', message);

/** F.interpolate, as torch/nn/functional.py (1.13) checks its arguments and picks a kernel. */
export function interpolate(x: Tensor, o: InterpolateOptions): Tensor {
  const { mode } = o;
  let alignCorners = o.alignCorners;
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (alignCorners !== null) throw valueError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  } else if (alignCorners === null) alignCorners = false;
  const dim = x.ndim - 2;
  const spatial = `[${x.shape.slice(2).join(', ')}]`;
  let outputSize: number[] | null = null;
  let scales: number[] | null = null;
  if (o.size !== null && o.scaleFactor !== null) throw valueError('only one of size or scale_factor should be defined');
  if (o.size !== null) {
    if (Array.isArray(o.size) && o.size.length !== dim) {
      throw valueError(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and output size of ${o.text?.size ?? `(${o.size.join(', ')})`}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    const s = o.size;
    outputSize = Array.isArray(s) ? s : Array.from({ length: Math.max(dim, 0) }, () => s);
  } else if (o.scaleFactor !== null) {
    if (Array.isArray(o.scaleFactor) && o.scaleFactor.length !== dim) {
      throw valueError(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and scale_factor of shape ${o.text?.scaleFactor ?? `(${o.scaleFactor.join(', ')})`}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
    }
    const f = o.scaleFactor;
    scales = Array.isArray(f) ? f : Array.from({ length: Math.max(dim, 0) }, () => f);
  } else throw valueError('either size or scale_factor should be defined');
  let recompute = o.recomputeScaleFactor;
  if (recompute && o.size !== null) throw valueError('recompute_scale_factor is not meaningful with an explicit size.');
  // "area" always takes a size: the recompute path makes one.
  if (mode === 'area' && outputSize === null) recompute = true;
  if (recompute && scales) {
    outputSize = scales.map((f, i) => Math.floor(x.shape[i + 2] * f));
    scales = null;
  }
  if (o.antialias && !((mode === 'bilinear' || mode === 'bicubic') && x.ndim === 4)) throw valueError('Anti-alias option is only supported for bilinear and bicubic modes');
  if (o.antialias) throw runtimeError('F.interpolate(antialias=True) is not supported in this playground');
  if (x.ndim === 3 || x.ndim === 4) {
    if (mode === 'nearest') return upsample(x, false, outputSize, scales);
    if ((mode === 'linear' && x.ndim === 3) || (mode === 'bilinear' && x.ndim === 4)) return upsample(x, true, outputSize, scales, alignCorners!);
    if (mode === 'area' && x.ndim === 4) return adaptiveAvgPool2d(x, outputSize!);
  }
  if (x.ndim >= 3 && x.ndim <= 5 && NEEDS[mode] !== undefined && NEEDS[mode] !== x.ndim) {
    throw new EngineError('NotImplementedError', `Got ${x.ndim}D input, but ${mode} mode needs ${NEEDS[mode]}D input`);
  }
  if (x.ndim >= 3 && x.ndim <= 5 && MODES.includes(mode)) throw runtimeError(`F.interpolate(mode='${mode}') on a ${x.ndim}-D input is not supported in this playground`);
  throw new EngineError('NotImplementedError', `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
}
