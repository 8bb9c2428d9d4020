// 2-D pooling on NCHW planes: max (with argmax indices), average, adaptive average. The caller folds
// N and C into `planes` (= N·C); every kernel works plane by plane.
//
// Note: PyTorch's conventions, kept exactly because its grads and indices are what learners compare:
// - max_pool2d pads with −∞, propagates NaN (a NaN wins the window), and returns for each output the
//   flat index h·W + w of the winner within its own input plane (the first one on ties, the last NaN);
// - avg_pool2d (ceil_mode=False) divides by the window clipped to the padded input when
//   count_include_pad (PyTorch's default), by the in-image part of it otherwise, or by divisor_override;
// - adaptive_avg_pool2d uses bins [floor(i·in/out), ceil((i+1)·in/out)).
// ceil_mode=True adds a last window that may hang over the (padded) input: the same clipping applies.

import { type FloatArray, outOrAlloc, checkLength } from './types';
import { convOutSize } from './conv';

export interface Pool2dShape {
  /** N·C planes of H×W. */
  planes: number;
  /** C, for PyTorch's error messages (planes when not given). */
  channels?: number;
  inH: number;
  inW: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  /** max pooling only; 1 for average pooling. */
  dilationH: number;
  dilationW: number;
  /** ceil_mode=True: a last, partial window where one starts inside the input or its left padding. */
  ceilMode?: boolean;
}

/** A Pool2dShape with PyTorch's defaults: stride = kernel, padding 0, dilation 1. */
export function pool2dShape(
  s: Pick<Pool2dShape, 'planes' | 'inH' | 'inW' | 'kernelH' | 'kernelW'> & Partial<Pool2dShape>,
): Pool2dShape {
  return { strideH: s.kernelH, strideW: s.kernelW, padH: 0, padW: 0, dilationH: 1, dilationW: 1, ...s };
}

/** PyTorch's pooling_output_shape: floor((in + 2·pad − dil·(k − 1) − 1 (+ stride − 1 with ceil_mode)) / stride) + 1, with ceil_mode's last window starting inside the input or its left padding. */
export function poolOutSize(size: number, kernel: number, stride: number, pad: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** [OH, OW] of a pooling; throws PyTorch's errors on bad padding or an empty output. */
export function pool2dOutputHW(kernel: string, s: Pool2dShape): [number, number] {
  // PyTorch's checks in its order (pooling_output_shape_pad_lr, height then width; pool2d_shape_check).
  if (s.strideH === 0 || s.strideW === 0) throw new RangeError('stride should not be zero');
  for (const [pad, k] of [[s.padH, s.kernelH], [s.padW, s.kernelW]]) {
    if (pad * 2 > k) throw new RangeError(`pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${k}`);
  }
  if (s.strideH < 1 || s.strideW < 1 || s.dilationH < 1 || s.dilationW < 1 || s.kernelH < 1 || s.kernelW < 1) {
    throw new RangeError(`${kernel}: kernel, stride and dilation must be positive`);
  }
  const oh = poolOutSize(s.inH, s.kernelH, s.strideH, s.padH, s.dilationH, s.ceilMode === true);
  const ow = poolOutSize(s.inW, s.kernelW, s.strideW, s.padW, s.dilationW, s.ceilMode === true);
  if (oh <= 0 || ow <= 0) {
    const c = s.channels ?? s.planes;
    throw new RangeError(`Given input size: (${c}x${s.inH}x${s.inW}). Calculated output size: (${c}x${oh}x${ow}). Output size is too small`);
  }
  return [oh, ow];
}

/**
 * out[p, oh, ow] = max over the window; indices[p, oh, ow] = the winner's h·W + w within plane p.
 * Returns both (allocated when not given).
 */
export function maxPool2dForward(
  x: FloatArray, out: FloatArray | null | undefined, indices: Int32Array | null | undefined, s: Pool2dShape,
): { out: FloatArray; indices: Int32Array } {
  const [oh, ow] = pool2dOutputHW('max_pool2d', s);
  const { planes, inH: h, inW: w, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw } = s;
  const hw = h * w;
  const ohw = oh * ow;
  checkLength('maxPool2dForward', 'input', x, planes * hw);
  const y = outOrAlloc('maxPool2dForward', out, x, planes * ohw);
  const idx = indices ?? new Int32Array(planes * ohw);
  checkLength('maxPool2dForward', 'indices', idx, planes * ohw);
  for (let p = 0; p < planes; p++) {
    const plane = p * hw;
    for (let oy = 0; oy < oh; oy++) {
      const hStart = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++) {
        const wStart = ox * sw - pw;
        let best = -Infinity;
        let bestIndex = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = hStart + ki * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = wStart + kj * dw;
            if (ix < 0 || ix >= w) continue;
            const at = iy * w + ix;
            const v = x[plane + at];
            // `v !== v` is NaN: as in PyTorch's CPU kernel, a NaN always wins, so it propagates.
            if (v > best || v !== v || bestIndex < 0) {
              best = v;
              bestIndex = at;
            }
          }
        }
        const o = p * ohw + oy * ow + ox;
        y[o] = best;
        idx[o] = bestIndex;
      }
    }
  }
  return { out: y, indices: idx };
}

/** gx[p, indices[p, o]] += gy[p, o]; gx is zeroed first (planes·inHW elements) unless `accumulate`. */
export function maxPool2dBackward(
  gy: FloatArray, indices: Int32Array, gx: FloatArray | null | undefined,
  planes: number, outHW: number, inHW: number, accumulate = false,
): FloatArray {
  checkLength('maxPool2dBackward', 'grad_output', gy, planes * outHW);
  checkLength('maxPool2dBackward', 'indices', indices, planes * outHW);
  const g = outOrAlloc('maxPool2dBackward', gx, gy, planes * inHW);
  if (!accumulate) g.fill(0, 0, planes * inHW);
  for (let p = 0; p < planes; p++) {
    const inBase = p * inHW;
    const outBase = p * outHW;
    for (let o = 0; o < outHW; o++) {
      const at = indices[outBase + o];
      if (at >= 0) g[inBase + at] += gy[outBase + o];
    }
  }
  return g;
}

export interface AvgPoolOptions {
  /** PyTorch's default true: padding zeros count in the divisor. */
  countIncludePad?: boolean;
  /** When set, every window divides by this instead. */
  divisorOverride?: number | null;
}

function avgWindowDivisor(
  hStart: number, wStart: number, s: Pool2dShape, countIncludePad: boolean, divisorOverride: number | null | undefined,
): number {
  if (divisorOverride) return divisorOverride;
  const hEnd = Math.min(hStart + s.kernelH, s.inH + s.padH);
  const wEnd = Math.min(wStart + s.kernelW, s.inW + s.padW);
  if (countIncludePad) return (hEnd - hStart) * (wEnd - wStart);
  return (Math.min(hEnd, s.inH) - Math.max(hStart, 0)) * (Math.min(wEnd, s.inW) - Math.max(wStart, 0));
}

/** out[p, oh, ow] = mean over the window (see the note for the divisor). Dilation must be 1. */
export function avgPool2dForward(
  x: FloatArray, out: FloatArray | null | undefined, s: Pool2dShape, options: AvgPoolOptions = {},
): FloatArray {
  if (s.dilationH !== 1 || s.dilationW !== 1) throw new RangeError('avg_pool2d: dilation is not supported');
  const [oh, ow] = pool2dOutputHW('avg_pool2d', s);
  const { planes, inH: h, inW: w, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw } = s;
  const countIncludePad = options.countIncludePad ?? true;
  const hw = h * w;
  const ohw = oh * ow;
  checkLength('avgPool2dForward', 'input', x, planes * hw);
  const y = outOrAlloc('avgPool2dForward', out, x, planes * ohw);
  for (let oy = 0; oy < oh; oy++) {
    const hStart = oy * sh - ph;
    const y0 = Math.max(hStart, 0), y1 = Math.min(hStart + kh, h);
    for (let ox = 0; ox < ow; ox++) {
      const wStart = ox * sw - pw;
      const x0 = Math.max(wStart, 0), x1 = Math.min(wStart + kw, w);
      const divisor = avgWindowDivisor(hStart, wStart, s, countIncludePad, options.divisorOverride);
      for (let p = 0; p < planes; p++) {
        const plane = p * hw;
        let sum = 0;
        for (let iy = y0; iy < y1; iy++) {
          const row = plane + iy * w;
          for (let ix = x0; ix < x1; ix++) sum += x[row + ix];
        }
        y[p * ohw + oy * ow + ox] = sum / divisor;
      }
    }
  }
  return y;
}

/** The adjoint of avgPool2dForward: gx (zeroed unless `accumulate`) += gy / divisor over every pooling window (per output cell). */
export function avgPool2dBackward(
  gy: FloatArray, gx: FloatArray | null | undefined, s: Pool2dShape, options: AvgPoolOptions = {}, accumulate = false,
): FloatArray {
  if (s.dilationH !== 1 || s.dilationW !== 1) throw new RangeError('avg_pool2d: dilation is not supported');
  const [oh, ow] = pool2dOutputHW('avg_pool2d', s);
  const { planes, inH: h, inW: w, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw } = s;
  const countIncludePad = options.countIncludePad ?? true;
  const hw = h * w;
  const ohw = oh * ow;
  checkLength('avgPool2dBackward', 'grad_output', gy, planes * ohw);
  const g = outOrAlloc('avgPool2dBackward', gx, gy, planes * hw);
  if (!accumulate) g.fill(0, 0, planes * hw);
  for (let oy = 0; oy < oh; oy++) {
    const hStart = oy * sh - ph;
    const y0 = Math.max(hStart, 0), y1 = Math.min(hStart + kh, h);
    for (let ox = 0; ox < ow; ox++) {
      const wStart = ox * sw - pw;
      const x0 = Math.max(wStart, 0), x1 = Math.min(wStart + kw, w);
      const divisor = avgWindowDivisor(hStart, wStart, s, countIncludePad, options.divisorOverride);
      for (let p = 0; p < planes; p++) {
        const plane = p * hw;
        const share = gy[p * ohw + oy * ow + ox] / divisor;
        for (let iy = y0; iy < y1; iy++) {
          const row = plane + iy * w;
          for (let ix = x0; ix < x1; ix++) g[row + ix] += share;
        }
      }
    }
  }
  return g;
}

/** out[p, i, j] = mean of x[p] over rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) and the same for columns. */
export function adaptiveAvgPool2dForward(
  x: FloatArray, out: FloatArray | null | undefined, planes: number, inH: number, inW: number, outH: number, outW: number,
): FloatArray {
  if (outH < 1 || outW < 1) throw new RangeError(`adaptive_avg_pool2d: output size ${outH}x${outW} must be positive`);
  const hw = inH * inW;
  const ohw = outH * outW;
  checkLength('adaptiveAvgPool2dForward', 'input', x, planes * hw);
  const y = outOrAlloc('adaptiveAvgPool2dForward', out, x, planes * ohw);
  for (let oy = 0; oy < outH; oy++) {
    const y0 = Math.floor((oy * inH) / outH), y1 = Math.ceil(((oy + 1) * inH) / outH);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = Math.floor((ox * inW) / outW), x1 = Math.ceil(((ox + 1) * inW) / outW);
      const count = (y1 - y0) * (x1 - x0);
      for (let p = 0; p < planes; p++) {
        const plane = p * hw;
        let sum = 0;
        for (let iy = y0; iy < y1; iy++) {
          const row = plane + iy * inW;
          for (let ix = x0; ix < x1; ix++) sum += x[row + ix];
        }
        y[p * ohw + oy * outW + ox] = sum / count;
      }
    }
  }
  return y;
}

/**
 * out[p, i, j] = max of x[p] over adaptive_avg_pool2d's windows; indices as maxPool2dForward's (its backward
 * is maxPool2dBackward's). A NaN wins, as in PyTorch's kernel.
 */
export function adaptiveMaxPool2dForward(
  x: FloatArray, planes: number, inH: number, inW: number, outH: number, outW: number,
): { out: FloatArray; indices: Int32Array } {
  if (outH < 1 || outW < 1) throw new RangeError(`adaptive_max_pool2d: output size ${outH}x${outW} must be positive`);
  const hw = inH * inW;
  const ohw = outH * outW;
  checkLength('adaptiveMaxPool2dForward', 'input', x, planes * hw);
  const y = outOrAlloc('adaptiveMaxPool2dForward', null, x, planes * ohw);
  const idx = new Int32Array(planes * ohw);
  for (let oy = 0; oy < outH; oy++) {
    const y0 = Math.floor((oy * inH) / outH), y1 = Math.ceil(((oy + 1) * inH) / outH);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = Math.floor((ox * inW) / outW), x1 = Math.ceil(((ox + 1) * inW) / outW);
      for (let p = 0; p < planes; p++) {
        const plane = p * hw;
        let best = -Infinity;
        let at = -1;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const v = x[plane + iy * inW + ix];
            if (v > best || v !== v || at < 0) {
              best = v;
              at = iy * inW + ix;
            }
          }
        }
        y[p * ohw + oy * outW + ox] = best;
        idx[p * ohw + oy * outW + ox] = at;
      }
    }
  }
  return { out: y, indices: idx };
}

/** The adjoint of adaptiveAvgPool2dForward; gx is zeroed first unless `accumulate`. */
export function adaptiveAvgPool2dBackward(
  gy: FloatArray, gx: FloatArray | null | undefined, planes: number, inH: number, inW: number, outH: number, outW: number,
  accumulate = false,
): FloatArray {
  if (outH < 1 || outW < 1) throw new RangeError(`adaptive_avg_pool2d: output size ${outH}x${outW} must be positive`);
  const hw = inH * inW;
  const ohw = outH * outW;
  checkLength('adaptiveAvgPool2dBackward', 'grad_output', gy, planes * ohw);
  const g = outOrAlloc('adaptiveAvgPool2dBackward', gx, gy, planes * hw);
  if (!accumulate) g.fill(0, 0, planes * hw);
  for (let oy = 0; oy < outH; oy++) {
    const y0 = Math.floor((oy * inH) / outH), y1 = Math.ceil(((oy + 1) * inH) / outH);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = Math.floor((ox * inW) / outW), x1 = Math.ceil(((ox + 1) * inW) / outW);
      const count = (y1 - y0) * (x1 - x0);
      for (let p = 0; p < planes; p++) {
        const plane = p * hw;
        const share = gy[p * ohw + oy * outW + ox] / count;
        for (let iy = y0; iy < y1; iy++) {
          const row = plane + iy * inW;
          for (let ix = x0; ix < x1; ix++) g[row + ix] += share;
        }
      }
    }
  }
  return g;
}
