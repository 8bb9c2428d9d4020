// 2-D convolution, NCHW, weights [OC, C/groups, KH, KW], as PyTorch's conv2d (cross-correlation).
//
// Note: every pass is im2col + the packed gemm of ./matmul, one group and one image (or a few, below)
// at a time:
//   forward          out[oc, ohw]      = W[oc, ckk] · cols[ckk, ohw]
//   backward input   gcols[ckk, ohw]   = Wᵀ · gy[oc, ohw], then col2im adds gcols back into gx
//   backward weight  gW[oc, ckk]      += gy[oc, ohw] · colsᵀ
// where ckk = (C/groups)·KH·KW and ohw = OH·OW. The column matrix lives in a reused Float64 scratch
// buffer. When OH·OW is small (late ResNet layers: 4×4, 2×2) several images share one gemm, their
// columns side by side, so that n stays wide and packing W is amortized. A 1×1 kernel with stride 1
// and no padding needs no columns when images go one at a time: x is already [C, H·W].
// The gemm does the heavy lifting at ~5 GFLOP/s; im2col/col2im cost O(ckk·ohw), a factor OC below.

import { type FloatArray, outOrAlloc, checkLength, Scratch } from './types';
import { gemm } from './matmul';

/** The shape of a convolution. `inChannels` and `outChannels` must both be divisible by `groups`. */
export interface Conv2dShape {
  batch: number;
  inChannels: number;
  inH: number;
  inW: number;
  outChannels: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  groups: number;
}

/** A Conv2dShape with PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1. */
export function conv2dShape(
  s: Pick<Conv2dShape, 'batch' | 'inChannels' | 'inH' | 'inW' | 'outChannels' | 'kernelH' | 'kernelW'> & Partial<Conv2dShape>,
): Conv2dShape {
  return { strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1, ...s };
}

/** PyTorch's output length of a convolution or pooling window along one axis (ceil_mode=False). */
export function convOutSize(inSize: number, kernel: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((inSize + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** [OH, OW] of a convolution; throws a RangeError naming the shapes when the output would be empty. */
export function conv2dOutputHW(s: Conv2dShape): [number, number] {
  const oh = convOutSize(s.inH, s.kernelH, s.strideH, s.padH, s.dilationH);
  const ow = convOutSize(s.inW, s.kernelW, s.strideW, s.padW, s.dilationW);
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(
      `conv2d: calculated output size (${oh}x${ow}) is too small for input ${s.inH}x${s.inW}, ` +
      `kernel ${s.kernelH}x${s.kernelW}, padding ${s.padH}x${s.padW}, dilation ${s.dilationH}x${s.dilationW}`,
    );
  }
  return [oh, ow];
}

const columns = new Scratch();
const rowsScratch = new Scratch();

interface Derived {
  oh: number; ow: number; ohw: number; hw: number;
  cg: number; ocg: number; ckk: number; pointwise: boolean;
}

function derive(kernel: string, s: Conv2dShape): Derived {
  const { inChannels, outChannels, groups } = s;
  if (groups < 1 || inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new RangeError(`${kernel}: in_channels ${inChannels} and out_channels ${outChannels} must be divisible by groups ${groups}`);
  }
  if (s.strideH < 1 || s.strideW < 1 || s.dilationH < 1 || s.dilationW < 1 || s.padH < 0 || s.padW < 0) {
    throw new RangeError(`${kernel}: stride and dilation must be positive and padding non-negative`);
  }
  const [oh, ow] = conv2dOutputHW(s);
  const cg = inChannels / groups;
  const ocg = outChannels / groups;
  const pointwise = s.kernelH === 1 && s.kernelW === 1 && s.strideH === 1 && s.strideW === 1 && s.padH === 0 && s.padW === 0;
  return { oh, ow, ohw: oh * ow, hw: s.inH * s.inW, cg, ocg, ckk: cg * s.kernelH * s.kernelW, pointwise };
}

/** Images per gemm: enough that its n = images·OH·OW reaches this, so late layers (OH·OW = 4) still get wide gemms. */
const MIN_GEMM_COLUMNS = 256;

function imagesPerChunk(batch: number, ohw: number): number {
  return Math.max(1, Math.min(batch, Math.ceil(MIN_GEMM_COLUMNS / ohw)));
}

/**
 * Moves group g's channels of images n0…n0+count−1 between `nchw` ([N, OC, OHW]) and `rows`
 * ([ocg, count·OHW], the images side by side): into `rows`, or back when `toNchw`.
 */
function moveRows(nchw: FloatArray, rows: FloatArray, n0: number, count: number, oc: number, g: number, ocg: number, ohw: number, toNchw: boolean): void {
  const ld = count * ohw;
  for (let j = 0; j < count; j++) {
    for (let o = 0; o < ocg; o++) {
      const at = ((n0 + j) * oc + g * ocg + o) * ohw;
      const rowAt = o * ld + j * ohw;
      if (toNchw) for (let i = 0; i < ohw; i++) nchw[at + i] = rows[rowAt + i];
      else for (let i = 0; i < ohw; i++) rows[rowAt + i] = nchw[at + i];
    }
  }
}

/** out[N, OC, OH, OW] = conv2d(x[N, C, H, W], w[OC, C/groups, KH, KW]) + bias[OC]. */
export function conv2dForward(
  x: FloatArray, w: FloatArray, bias: FloatArray | null | undefined, out: FloatArray | null | undefined, s: Conv2dShape,
): FloatArray {
  const d = derive('conv2dForward', s);
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  checkLength('conv2dForward', 'input', x, batch * c * d.hw);
  checkLength('conv2dForward', 'weight', w, oc * d.ckk);
  if (bias) checkLength('conv2dForward', 'bias', bias, oc);
  const y = outOrAlloc('conv2dForward', out, x, batch * oc * d.ohw);
  const chunk = imagesPerChunk(batch, d.ohw);
  const direct = d.pointwise && chunk === 1;
  const cols = direct ? null : columns.get(d.ckk * chunk * d.ohw);
  const tile = chunk > 1 ? rowsScratch.get(d.ocg * chunk * d.ohw) : null;
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const ld = count * d.ohw;
    for (let g = 0; g < groups; g++) {
      const wOff = g * d.ocg * d.ckk;
      const yOff = (n0 * oc + g * d.ocg) * d.ohw;
      if (!cols) {
        gemm(d.ocg, d.ohw, d.ckk, w, wOff, d.ckk, 1, x, (n0 * c + g * d.cg) * d.hw, d.hw, 1, y, yOff, d.ohw, false);
        continue;
      }
      for (let j = 0; j < count; j++) im2col(x, ((n0 + j) * c + g * d.cg) * d.hw, d.cg, s, d.oh, d.ow, cols, j * d.ohw, ld);
      if (count === 1) {
        gemm(d.ocg, d.ohw, d.ckk, w, wOff, d.ckk, 1, cols, 0, d.ohw, 1, y, yOff, d.ohw, false);
      } else {
        gemm(d.ocg, ld, d.ckk, w, wOff, d.ckk, 1, cols, 0, ld, 1, tile!, 0, ld, false);
        moveRows(y, tile!, n0, count, oc, g, d.ocg, d.ohw, true);
      }
    }
  }
  if (bias) {
    for (let n = 0; n < batch; n++) {
      for (let o = 0; o < oc; o++) {
        const base = (n * oc + o) * d.ohw;
        const v = bias[o];
        for (let i = 0; i < d.ohw; i++) y[base + i] += v;
      }
    }
  }
  return y;
}

/** gx[N, C, H, W] = ∂(Σ gy·conv2d(x, w))/∂x for gy[N, OC, OH, OW]. Overwrites `gx`. */
export function conv2dBackwardInput(
  gy: FloatArray, w: FloatArray, gx: FloatArray | null | undefined, s: Conv2dShape,
): FloatArray {
  const d = derive('conv2dBackwardInput', s);
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  checkLength('conv2dBackwardInput', 'grad_output', gy, batch * oc * d.ohw);
  checkLength('conv2dBackwardInput', 'weight', w, oc * d.ckk);
  const gxOut = outOrAlloc('conv2dBackwardInput', gx, gy, batch * c * d.hw);
  const chunk = imagesPerChunk(batch, d.ohw);
  const direct = d.pointwise && chunk === 1;
  const cols = direct ? null : columns.get(d.ckk * chunk * d.ohw);
  const rows = chunk > 1 ? rowsScratch.get(d.ocg * chunk * d.ohw) : null;
  if (cols) gxOut.fill(0, 0, batch * c * d.hw);
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const ld = count * d.ohw;
    for (let g = 0; g < groups; g++) {
      const wOff = g * d.ocg * d.ckk;
      // Wᵀ as A[ckk, ocg]: A[i, p] = w[wOff + p*ckk + i].
      if (!cols) {
        gemm(d.ckk, d.ohw, d.ocg, w, wOff, 1, d.ckk, gy, (n0 * oc + g * d.ocg) * d.ohw, d.ohw, 1, gxOut, (n0 * c + g * d.cg) * d.hw, d.hw, false);
        continue;
      }
      if (count === 1) {
        gemm(d.ckk, d.ohw, d.ocg, w, wOff, 1, d.ckk, gy, (n0 * oc + g * d.ocg) * d.ohw, d.ohw, 1, cols, 0, d.ohw, false);
      } else {
        moveRows(gy, rows!, n0, count, oc, g, d.ocg, d.ohw, false);
        gemm(d.ckk, ld, d.ocg, w, wOff, 1, d.ckk, rows!, 0, ld, 1, cols, 0, ld, false);
      }
      for (let j = 0; j < count; j++) col2imAdd(cols, d.cg, s, d.oh, d.ow, gxOut, ((n0 + j) * c + g * d.cg) * d.hw, j * d.ohw, ld);
    }
  }
  return gxOut;
}

/**
 * gw[OC, C/groups, KH, KW] = ∂(Σ gy·conv2d(x, w))/∂w, summed over the batch. Overwrites `gw`
 * unless `accumulate`.
 */
export function conv2dBackwardWeight(
  x: FloatArray, gy: FloatArray, gw: FloatArray | null | undefined, s: Conv2dShape, accumulate = false,
): FloatArray {
  const d = derive('conv2dBackwardWeight', s);
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  checkLength('conv2dBackwardWeight', 'input', x, batch * c * d.hw);
  checkLength('conv2dBackwardWeight', 'grad_output', gy, batch * oc * d.ohw);
  const gwOut = outOrAlloc('conv2dBackwardWeight', gw, x, oc * d.ckk);
  const chunk = imagesPerChunk(batch, d.ohw);
  const direct = d.pointwise && chunk === 1;
  const cols = direct ? null : columns.get(d.ckk * chunk * d.ohw);
  const rows = chunk > 1 ? rowsScratch.get(d.ocg * chunk * d.ohw) : null;
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const ld = count * d.ohw;
    for (let g = 0; g < groups; g++) {
      const wOff = g * d.ocg * d.ckk;
      const gyOff = (n0 * oc + g * d.ocg) * d.ohw;
      // colsᵀ as B[ohw, ckk]: B[p, j] = cols[j*ld + p]. The first chunk overwrites unless accumulating.
      const add = accumulate || n0 > 0;
      if (!cols) {
        gemm(d.ocg, d.ckk, d.ohw, gy, gyOff, d.ohw, 1, x, (n0 * c + g * d.cg) * d.hw, 1, d.hw, gwOut, wOff, d.ckk, add);
        continue;
      }
      for (let j = 0; j < count; j++) im2col(x, ((n0 + j) * c + g * d.cg) * d.hw, d.cg, s, d.oh, d.ow, cols, j * d.ohw, ld);
      if (count === 1) {
        gemm(d.ocg, d.ckk, d.ohw, gy, gyOff, d.ohw, 1, cols, 0, 1, ld, gwOut, wOff, d.ckk, add);
      } else {
        moveRows(gy, rows!, n0, count, oc, g, d.ocg, d.ohw, false);
        gemm(d.ocg, d.ckk, ld, rows!, 0, ld, 1, cols, 0, 1, ld, gwOut, wOff, d.ckk, add);
      }
    }
  }
  return gwOut;
}

/** gb[OC] = Σ over batch and space of gy[N, OC, OHW]. Overwrites `gb` unless `accumulate`. */
export function conv2dBackwardBias(
  gy: FloatArray, gb: FloatArray | null | undefined, batch: number, outChannels: number, outHW: number, accumulate = false,
): FloatArray {
  checkLength('conv2dBackwardBias', 'grad_output', gy, batch * outChannels * outHW);
  const gbOut = outOrAlloc('conv2dBackwardBias', gb, gy, outChannels);
  for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * outChannels + o) * outHW;
      for (let i = 0; i < outHW; i++) sum += gy[base + i];
    }
    gbOut[o] = accumulate ? gbOut[o] + sum : sum;
  }
  return gbOut;
}

// The output positions o whose tap at `offset` (= k·dilation − pad) lands inside [0, size) form the
// range [validStart, validEnd):  o·stride + offset ∈ [0, size)  ⇔  o ∈ [⌈−offset/stride⌉, ⌈(size − offset)/stride⌉).

function validStart(offset: number, stride: number, outSize: number): number {
  return Math.min(outSize, Math.max(0, Math.ceil(-offset / stride)));
}

function validEnd(offset: number, stride: number, size: number, outSize: number, start: number): number {
  return Math.min(outSize, Math.max(start, Math.ceil((size - offset) / stride)));
}

/**
 * cols[colOff + ((ci·KH + kh)·KW + kw)·ld + oh·OW + ow] = x[xOff + ci·H·W + ih·W + iw] (0 in the
 * padding), with ih = oh·sH − pH + kh·dH, iw = ow·sW − pW + kw·dW, for the `cg` channels from xOff.
 * `ld` (row length) and `colOff` place several images' columns side by side.
 */
export function im2col(
  x: FloatArray, xOff: number, cg: number, s: Conv2dShape, oh: number, ow: number, cols: FloatArray, colOff = 0, ld = oh * ow,
): void {
  const { inH: h, inW: w, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw } = s;
  const ohw = oh * ow;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const plane = xOff + ci * h * w;
    for (let ki = 0; ki < kh; ki++) {
      const offH = ki * dh - ph;
      const ohStart = validStart(offH, sh, oh);
      const ohEnd = validEnd(offH, sh, h, oh, ohStart);
      for (let kj = 0; kj < kw; kj++) {
        const offW = kj * dw - pw;
        const owStart = validStart(offW, sw, ow);
        const owEnd = validEnd(offW, sw, w, ow, owStart);
        const base = row * ld + colOff;
        cols.fill(0, base, base + ohStart * ow);
        for (let y = ohStart; y < ohEnd; y++) {
          const dst = base + y * ow;
          const src = plane + (y * sh + offH) * w + offW;
          for (let xo = 0; xo < owStart; xo++) cols[dst + xo] = 0;
          if (sw === 1) {
            for (let xo = owStart; xo < owEnd; xo++) cols[dst + xo] = x[src + xo];
          } else {
            for (let xo = owStart; xo < owEnd; xo++) cols[dst + xo] = x[src + xo * sw];
          }
          for (let xo = owEnd; xo < ow; xo++) cols[dst + xo] = 0;
        }
        cols.fill(0, base + ohEnd * ow, base + ohw);
        row++;
      }
    }
  }
}

/** The adjoint of im2col: gx[xOff + …] += cols[…] for every in-image tap. */
export function col2imAdd(
  cols: FloatArray, cg: number, s: Conv2dShape, oh: number, ow: number, gx: FloatArray, xOff: number, colOff = 0, ld = oh * ow,
): void {
  const { inH: h, inW: w, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw } = s;
  let row = 0;
  for (let ci = 0; ci < cg; ci++) {
    const plane = xOff + ci * h * w;
    for (let ki = 0; ki < kh; ki++) {
      const offH = ki * dh - ph;
      const ohStart = validStart(offH, sh, oh);
      const ohEnd = validEnd(offH, sh, h, oh, ohStart);
      for (let kj = 0; kj < kw; kj++) {
        const offW = kj * dw - pw;
        const owStart = validStart(offW, sw, ow);
        const owEnd = validEnd(offW, sw, w, ow, owStart);
        const base = row * ld + colOff;
        for (let y = ohStart; y < ohEnd; y++) {
          const srcRow = base + y * ow;
          const dst = plane + (y * sh + offH) * w + offW;
          for (let xo = owStart; xo < owEnd; xo++) gx[dst + xo * sw] += cols[srcRow + xo];
        }
        row++;
      }
    }
  }
}
