// 2-D convolution, NCHW, weights [OC, C/groups, KH, KW], as PyTorch's conv2d (cross-correlation).
//
// Note: the baseline for every pass is im2col + the packed gemm of ./matmul, one group and one image
// (or a few, below) at a time:
//   forward          out[oc, ohw]      = W[oc, ckk] · cols[ckk, ohw]
//   backward input   gcols[ckk, ohw]   = Wᵀ · gy[oc, ohw], then col2im adds gcols back into gx
//   backward weight  gW[oc, ckk]      += gy[oc, ohw] · colsᵀ
// where ckk = (C/groups)·KH·KW and ohw = OH·OW. The column matrix lives in a reused Float64 scratch
// buffer. When OH·OW is small (late ResNet layers: 4×4, 2×2) several images share one gemm, their
// columns side by side, so that n stays wide and packing W is amortized. A 1×1 kernel with stride 1
// and no padding needs no columns when images go one at a time: x is already [C, H·W]; with a stride,
// the input gradient's col2im is a plain store (backwardInputStrided1x1).
// The gemm does the heavy lifting at ~5 GFLOP/s; im2col/col2im cost O(ckk·ohw), a factor OC below.
// As the micro-kernel is near what V8's scalar code can do, the forward and input-gradient passes
// gain by doing fewer multiplies (conv2dAlgorithm picks one):
//   'winograd'  3×3 stride-1 kernels with enough 2×2 output tiles: F(2×2, 3×3), 2.25× fewer
//               multiplies (./convWinograd; measured ~2× faster on ResNet-18's layer1–layer3 shapes)
//   'taps'      small maps where many of im2col's (tap, position) pairs are padding: one product per
//               tap over its in-image positions only (./convTap; layer4 at 2×2: 44% of the work,
//               measured ~2× faster)
//   'winograd-s2'  input gradient only: stride-2 kernels of 5×5 to 8×8 taps (ResNet-18's 7×7 stem), split
//               by the parity of the input position into four stride-1 correlations of gy with 4×4
//               sub-filters, all four on the same windows of gy, by F(4×4, 4×4): 4× fewer multiplies
//               (./convWinograd; the stem at 64×64, batch 2, measured ~2.5× faster than im2col)
// The weight gradient keeps im2col: its gemm reduces over positions, and padding columns are cheap.
// With a helper thread installed (./parallel), every path runs on two threads, bit for bit as on one:
// im2col through gemm, both Winograds and the tap-wise products through their own tickets (see their notes);
// the tap path with few columns per tap (layer4 at 2×2) stays on one thread, where copying W for the
// helper costs what it would save.

import { type FloatArray, outOrAlloc, checkLength, Scratch } from './types';
import { gemm } from './matmul';
import { tapDensity, tapGemm } from './convTap';
import { S2_MAX_ELEMENTS, winograd3x3, winogradStride2Input, stride2Window } from './convWinograd';
import { conv2x2BackwardInput, conv2x2BackwardWeight, conv2x2Forward } from './conv2x2';

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
    // PyTorch's check (the padded input against the dilated kernel), in its words.
    throw new RangeError(
      `Calculated padded input size per channel: (${s.inH + 2 * s.padH} x ${s.inW + 2 * s.padW}). ` +
      `Kernel size: (${s.dilationH * (s.kernelH - 1) + 1} x ${s.dilationW * (s.kernelW - 1) + 1}). Kernel size can't be greater than actual input size`,
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
  const algorithm = finiteOr(chooseAlgorithm(s, d, false), x, w);
  if (algorithm === 'winograd') {
    for (let g = 0; g < groups; g++) {
      winograd3x3(batch, d.ocg, d.cg, s.inH, s.inW, s.padH, x, g * d.cg * d.hw, c * d.hw, w, g * d.ocg * d.ckk, d.ckk, 9, false, y, g * d.ocg * d.ohw, oc * d.ohw);
    }
  } else if (algorithm === 'map2x2') conv2x2Forward(x, w, y, s);
  else if (algorithm === 'taps') forwardByTaps(x, w, y, s, d);
  else forwardIm2col(x, w, y, s, d);
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

function forwardIm2col(x: FloatArray, w: FloatArray, y: FloatArray, s: Conv2dShape, d: Derived): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
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
  const algorithm = finiteOr(chooseAlgorithm(s, d, true), gy, w);
  if (algorithm === 'winograd') {
    // The input gradient of a stride-1 convolution: gy convolved with the flipped, transposed filter.
    for (let g = 0; g < groups; g++) {
      winograd3x3(batch, d.cg, d.ocg, d.oh, d.ow, 2 - s.padH, gy, g * d.ocg * d.ohw, oc * d.ohw, w, g * d.ocg * d.ckk, 9, d.ckk, true, gxOut, g * d.cg * d.hw, c * d.hw);
    }
  } else if (algorithm === 'winograd-s2') {
    for (let g = 0; g < groups; g++) {
      winogradStride2Input(batch, d.cg, d.ocg, s.inH, s.inW, d.oh, d.ow, s.kernelH, s.kernelW, s.padH, s.padW,
        gy, g * d.ocg * d.ohw, oc * d.ohw, w, g * d.ocg * d.ckk, d.ckk, s.kernelH * s.kernelW, gxOut, g * d.cg * d.hw, c * d.hw);
    }
  } else if (algorithm === 'map2x2') conv2x2BackwardInput(gy, w, gxOut, s);
  else if (algorithm === 'taps') backwardInputByTaps(gy, w, gxOut, s, d);
  else backwardInputIm2col(gy, w, gxOut, s, d);
  return gxOut;
}

function backwardInputIm2col(gy: FloatArray, w: FloatArray, gxOut: FloatArray, s: Conv2dShape, d: Derived): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  if (s.kernelH === 1 && s.kernelW === 1 && s.padH === 0 && s.padW === 0 && !d.pointwise) {
    backwardInputStrided1x1(gy, w, gxOut, s, d);
    return;
  }
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
}

/**
 * A 1×1 kernel with a stride (ResNet's downsample shortcuts): each input position gets at most one
 * product, so col2im is a store and gy needs no gathering: one gemm per image and group straight from
 * gy into the columns (as many columns as images side by side would give: the sums are the same), then
 * every gx plane written once, zeros between the strided positions.
 */
function backwardInputStrided1x1(gy: FloatArray, w: FloatArray, gx: FloatArray, s: Conv2dShape, d: Derived): void {
  const { batch, inChannels: c, outChannels: oc, groups, inH: h, inW: wd, strideH: sh, strideW: sw } = s;
  const { oh, ow, ohw, hw, cg, ocg } = d;
  const cols = columns.get(cg * ohw);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < groups; g++) {
      gemm(cg, ohw, ocg, w, g * ocg * cg, 1, cg, gy, (n * oc + g * ocg) * ohw, ohw, 1, cols, 0, ohw, false);
      for (let ci = 0; ci < cg; ci++) {
        const plane = (n * c + g * cg + ci) * hw;
        gx.fill(0, plane, plane + hw);
        for (let y = 0; y < oh; y++) {
          const dst = plane + y * sh * wd, src = ci * ohw + y * ow;
          for (let x = 0; x < ow; x++) gx[dst + x * sw] = cols[src + x];
        }
      }
    }
  }
}

/** How conv2dForward ('forward') or conv2dBackwardInput ('input') computes a shape; see the note on top. */
export type Conv2dAlgorithm = 'im2col' | 'winograd' | 'winograd-s2' | 'taps' | 'map2x2';

/**
 * Winograd's transforms add and subtract inputs before multiplying, so an infinity there becomes NaN
 * where the direct sum would keep ±Infinity: with any non-finite value in the operands, im2col. (A
 * float64 sum of float32 values is finite exactly when they all are; for float64 a huge finite sum
 * only costs the fast path.)
 */
function finiteOr(algorithm: Conv2dAlgorithm, a: FloatArray, b: FloatArray): Conv2dAlgorithm {
  if (algorithm !== 'winograd' && algorithm !== 'winograd-s2') return algorithm;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  for (let i = 0; i < b.length; i++) sum += b[i];
  return sum - sum === 0 ? algorithm : 'im2col';
}

export function conv2dAlgorithm(s: Conv2dShape, pass: 'forward' | 'input'): Conv2dAlgorithm {
  return chooseAlgorithm(s, derive('conv2dAlgorithm', s), pass === 'input');
}

/** Winograd needs both channel counts at least this (its transforms are O(channels), the gemm O(channels²)) … */
const WINOGRAD_MIN_CHANNELS = 16;
/**
 * … and at least this many 2×2 output tiles over the batch: with fewer, the filter transform costs
 * more than the multiplies saved (measured: 8 tiles of 256 channels ~1.8× faster than im2col, 2 tiles
 * of 512 slower than the tap path).
 */
const WINOGRAD_MIN_TILES = 8;
/**
 * The tap path below this share of in-image (tap, position) pairs … (ResNet-18's layer2 stride-2 shape
 * at 16×16, 92%: ~8% faster than im2col) …
 */
const TAP_MAX_DENSITY = 0.95;
/** … when each tap's product sums over at least this many channels … */
const TAP_MIN_K = 32;
/**
 * … into at least this many rows (ResNet-18's stem, 95% dense: its input gradient has 3 rows per tap
 * where im2col's gemm has 147, and taps were 2× slower).
 */
const TAP_MIN_M = 16;
/** Images per tap-wise product: up to this many output columns … */
const TAP_COLUMNS = 512;
/** … and packed B panels (columns × channels) up to about this many float64s. */
const TAP_PANEL_ELEMENTS = 1 << 21;

/**
 * The stride-2 Winograd input gradient ('winograd-s2', see ./convWinograd): for kernels of at least this
 * many taps (a 5×5 kernel fills 9 of each parity's 16 window taps: measured 1.2× faster than im2col at
 * 32×32 and 64×64; a 3×3 one, 4 of 16, 2.6× slower) …
 */
const S2_MIN_TAPS = 25;
/**
 * … on inputs with both sides at least twice this (the products then have at least 3×3 tiles of 4×4 per
 * image, fully used: measured on the 7×7 stem, 3→64 channels, one image, against im2col: 2.5× faster at
 * 224×224, 2.7× at 64×64, 1.5× at 24×24, 1.04× at 20×20 (3×3 tiles, partly empty), 0.98× at 16×16) …
 */
const S2_MIN_SIZE = 12;

/**
 * A 3×3 kernel, stride 1, padding 1, on a 2×2 map ('map2x2', ./conv2x2): every pass, any batch (measured
 * against the tap path and Winograd, 512→512: 1.2-2× faster from 1 to 64 images).
 */
function isMap2x2(s: Conv2dShape): boolean {
  return s.inH === 2 && s.inW === 2 && s.kernelH === 3 && s.kernelW === 3 && s.strideH === 1 && s.strideW === 1 &&
    s.padH === 1 && s.padW === 1 && s.dilationH === 1 && s.dilationW === 1;
}

function chooseAlgorithm(s: Conv2dShape, d: Derived, input: boolean): Conv2dAlgorithm {
  if (isMap2x2(s)) return 'map2x2';
  const k = input ? d.ocg : d.cg;
  if (s.kernelH === 3 && s.kernelW === 3 && s.strideH === 1 && s.strideW === 1 && s.dilationH === 1 && s.dilationW === 1 &&
    s.padH === s.padW && (!input || s.padH <= 2) && d.cg >= WINOGRAD_MIN_CHANNELS && d.ocg >= WINOGRAD_MIN_CHANNELS) {
    // The tiles cover the pass's output: y (OH×OW) forward, gx (H×W) for the input gradient.
    const tiles = input ? ((s.inH + 1) >> 1) * ((s.inW + 1) >> 1) : ((d.oh + 1) >> 1) * ((d.ow + 1) >> 1);
    if (s.batch * tiles >= WINOGRAD_MIN_TILES) return 'winograd';
  }
  if (input && s.strideH === 2 && s.strideW === 2 && s.dilationH === 1 && s.dilationW === 1 &&
    stride2Window(s.kernelH, s.padH) !== null && stride2Window(s.kernelW, s.padW) !== null &&
    s.kernelH * s.kernelW >= S2_MIN_TAPS && Math.ceil(s.inH / 2) >= S2_MIN_SIZE && Math.ceil(s.inW / 2) >= S2_MIN_SIZE &&
    // Its filter matrices (U) and the products of one row of tiles (V, R) within S2_MAX_ELEMENTS.
    49 * 4 * d.cg * d.ocg <= S2_MAX_ELEMENTS &&
    49 * Math.max(4 * d.cg + 3, d.ocg) * Math.ceil(Math.ceil(s.inW / 2) / 4) <= S2_MAX_ELEMENTS) return 'winograd-s2';
  const m = input ? d.cg : d.ocg;
  if (k >= TAP_MIN_K && m >= TAP_MIN_M && tapDensity({ ...s, oh: d.oh, ow: d.ow }) < TAP_MAX_DENSITY) return 'taps';
  return 'im2col';
}

function tapImages(s: Conv2dShape, d: Derived, k: number): number {
  const byColumns = Math.floor(TAP_COLUMNS / d.ohw);
  const byPanels = Math.floor(TAP_PANEL_ELEMENTS / (d.ohw * s.kernelH * s.kernelW * k));
  return Math.max(1, Math.min(s.batch, byColumns, byPanels));
}

function forwardByTaps(x: FloatArray, w: FloatArray, y: FloatArray, s: Conv2dShape, d: Derived): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  const geo = { ...s, oh: d.oh, ow: d.ow };
  const taps = s.kernelH * s.kernelW;
  const chunk = tapImages(s, d, d.cg);
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const ldc = count * d.ohw + 1;
    for (let g = 0; g < groups; g++) {
      const acc = tapGemm(geo, true, count, d.ocg, d.cg, w, g * d.ocg * d.ckk, d.ckk, taps, x, (n0 * c + g * d.cg) * d.hw, d.hw, c * d.hw);
      for (let j = 0; j < count; j++) {
        for (let i = 0; i < d.ocg; i++) {
          const at = ((n0 + j) * oc + g * d.ocg + i) * d.ohw;
          const from = i * ldc + j * d.ohw;
          for (let p = 0; p < d.ohw; p++) y[at + p] = acc[from + p];
        }
      }
    }
  }
}

function backwardInputByTaps(gy: FloatArray, w: FloatArray, gx: FloatArray, s: Conv2dShape, d: Derived): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  const geo = { ...s, oh: d.oh, ow: d.ow };
  const taps = s.kernelH * s.kernelW;
  const chunk = tapImages(s, d, d.ocg);
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const ldc = count * d.hw + 1;
    for (let g = 0; g < groups; g++) {
      const acc = tapGemm(geo, false, count, d.cg, d.ocg, w, g * d.ocg * d.ckk, taps, d.ckk, gy, (n0 * oc + g * d.ocg) * d.ohw, d.ohw, oc * d.ohw);
      for (let j = 0; j < count; j++) {
        for (let i = 0; i < d.cg; i++) {
          const at = ((n0 + j) * c + g * d.cg + i) * d.hw;
          const from = i * ldc + j * d.hw;
          for (let q = 0; q < d.hw; q++) gx[at + q] = acc[from + q];
        }
      }
    }
  }
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
  if (isMap2x2(s)) {
    conv2x2BackwardWeight(x, gy, gwOut, s, accumulate);
    return gwOut;
  }
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
