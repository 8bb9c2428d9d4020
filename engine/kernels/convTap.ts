// Tap-wise convolution gemm: the forward pass and the input gradient of a convolution as a sum over
// kernel taps of small gemms that touch only the in-image positions of each tap.
//
// Note: why. im2col + gemm multiplies the zeros of the padding too. At ResNet-18's late layers for a
// 64×64 input that is most of the work: a 3×3 kernel with padding 1 on a 2×2 map has only 16 of its
// 36 (tap, position) pairs inside the image (44%), on a 4×4 map 100 of 144 (69%). Here each tap t of
// the KH·KW kernel is its own product over the channels,
//   C[i, dst_t(n)] += Σ_p A_t[i, p] · B_t[p, n]   for the n in-image columns of tap t only,
// forward:     A_t = W[:, :, t] (ocg × cg),  B_t = x at the shifted input positions, dst = output position
// grad input:  A_t = W[:, :, t]ᵀ (cg × ocg), B_t = gy at the output positions,      dst = input position
// so the multiply-adds are exactly the useful ones. All taps' B panels are packed once per call. A is
// W itself: with few columns per tap (the small maps this is for) each element of W is used by one or
// two column panels, and packing it cost as much as the multiply (measured on layer4 at 2×2: 2× faster
// reading W in place, strided, than packing it), so the micro-kernel reads it where it is; with more
// columns all taps' A panels are packed, a row block at a time, in one pass over W. C is a Float64
// scratch [rows × columns + 1]: each tap's sums (over the whole of K, in float64) are added into it
// through the tap's column map, the padded columns of a last partial panel add into the trash column
// (the last one), and the caller copies C out once, so float32 results are rounded once.

import { type FloatArray, Scratch } from './types';
import { type HelperChannel, type HelperJob, JobKind, MAX_TICKETS, SHARED_LENGTH, SHARED_OUT, activeChannel, ticketPatienceMs } from './parallel';

const MR = 4;
const NR = 4;
/** A row block of packed A (all taps) is kept near this many float64s, so it stays in L2. */
const A_BLOCK_ELEMENTS = 65536;
/** Up to this many NR-wide column panels per tap on average, A is read in place rather than packed. */
const DIRECT_MAX_PANELS = 8;

const packedA = new Scratch();
const packedB = new Scratch();
const accumulator = new Scratch();
let srcCols = new Int32Array(0);
let dstCols = new Int32Array(0);
let tapStart = new Int32Array(0);

function ensureInts(length: number): void {
  if (srcCols.length < length) {
    const size = Math.max(length, srcCols.length * 2);
    srcCols = new Int32Array(size);
    dstCols = new Int32Array(size);
  }
}

/** A tap's in-image output positions along one axis: o·stride + offset ∈ [0, size). */
function validStart(offset: number, stride: number, outSize: number): number {
  return Math.min(outSize, Math.max(0, Math.ceil(-offset / stride)));
}

function validEnd(offset: number, stride: number, size: number, outSize: number, start: number): number {
  return Math.min(outSize, Math.max(start, Math.ceil((size - offset) / stride)));
}

/** The geometry of one convolution (one group's channels, `count` images). */
export interface TapGeometry {
  inH: number; inW: number; oh: number; ow: number;
  kernelH: number; kernelW: number;
  strideH: number; strideW: number; padH: number; padW: number; dilationH: number; dilationW: number;
}

/**
 * The fraction of (tap, output position) pairs that fall inside the image: the share of an im2col
 * gemm's multiply-adds that are not on padding zeros.
 */
export function tapDensity(g: TapGeometry): number {
  let rows = 0;
  for (let ki = 0; ki < g.kernelH; ki++) {
    const off = ki * g.dilationH - g.padH;
    const st = validStart(off, g.strideH, g.oh);
    rows += validEnd(off, g.strideH, g.inH, g.oh, st) - st;
  }
  let cols = 0;
  for (let kj = 0; kj < g.kernelW; kj++) {
    const off = kj * g.dilationW - g.padW;
    const st = validStart(off, g.strideW, g.ow);
    cols += validEnd(off, g.strideW, g.inW, g.ow, st) - st;
  }
  return (rows * cols) / (g.kernelH * g.kernelW * g.oh * g.ow);
}

/**
 * Builds every tap's column lists for `count` images: src (B's column in the source, relative to its
 * first image and channel) and dst (C's column), each tap's list padded to a multiple of NR with
 * src −1 and dst `trash`. `forward`: B is the input (src = image·srcImage + input position) and C the
 * output (dst = image·OH·OW + output position); else B is the output gradient and C the input one.
 * Returns the total padded column count; tapStart[t] … tapStart[t+1] is tap t's range.
 */
function buildColumns(g: TapGeometry, count: number, srcImage: number, forward: boolean, trash: number): number {
  const taps = g.kernelH * g.kernelW;
  if (tapStart.length < taps + 1) tapStart = new Int32Array(taps + 1);
  const ohw = g.oh * g.ow;
  const hw = g.inH * g.inW;
  ensureInts(taps * (count * ohw + NR));
  let at = 0;
  let t = 0;
  for (let ki = 0; ki < g.kernelH; ki++) {
    const offH = ki * g.dilationH - g.padH;
    const y0 = validStart(offH, g.strideH, g.oh);
    const y1 = validEnd(offH, g.strideH, g.inH, g.oh, y0);
    for (let kj = 0; kj < g.kernelW; kj++) {
      const offW = kj * g.dilationW - g.padW;
      const x0 = validStart(offW, g.strideW, g.ow);
      const x1 = validEnd(offW, g.strideW, g.inW, g.ow, x0);
      tapStart[t++] = at;
      for (let j = 0; j < count; j++) {
        for (let y = y0; y < y1; y++) {
          for (let xo = x0; xo < x1; xo++) {
            const outPos = y * g.ow + xo;
            const inPos = (y * g.strideH + offH) * g.inW + xo * g.strideW + offW;
            srcCols[at] = j * srcImage + (forward ? inPos : outPos);
            dstCols[at] = forward ? j * ohw + outPos : j * hw + inPos;
            at++;
          }
        }
      }
      while ((at - tapStart[t - 1]) % NR !== 0) {
        srcCols[at] = -1;
        dstCols[at] = trash;
        at++;
      }
    }
  }
  tapStart[taps] = at;
  return at;
}

/**
 * C[m rows (padded to MR) × ldc] (Float64, from `accumulator`, zeroed here) = Σ over taps as in the
 * note, for `count` images of one group. A_t[i, p] = w[wOff + i·aRow + p·aCol + t];
 * B[p, col] = src[srcOff + p·pStride + srcCol]. `forward` selects the column maps (see
 * buildColumns); `srcImage` is the stride between images in `src`. Returns C; its row length is
 * `ldc` = count·(OH·OW, forward; else H·W) + 1, and row i of the result starts at i·ldc.
 */
export function tapGemm(
  g: TapGeometry, forward: boolean, count: number, m: number, k: number,
  w: FloatArray, wOff: number, aRow: number, aCol: number,
  src: FloatArray, srcOff: number, pStride: number, srcImage: number,
): Float64Array {
  const taps = g.kernelH * g.kernelW;
  const cols = count * (forward ? g.oh * g.ow : g.inH * g.inW);
  const ldc = cols + 1;
  const mPad = Math.ceil(m / MR) * MR;
  const c = accumulator.get(mPad * ldc);
  c.fill(0, 0, mPad * ldc);
  const nCols = buildColumns(g, count, srcImage, forward, cols);
  if (m * k * nCols >= PARALLEL_MIN_MADDS && (nCols > DIRECT_MAX_PANELS * NR * taps || nCols >= DIRECT_PARALLEL_MIN_COLUMNS * taps)) {
    const h = activeChannel();
    if (h !== null && tapGemmParallel(h, m, k, taps, nCols, cols, w, wOff, aRow, aCol, src, srcOff, pStride, c, ldc)) return c;
  }
  const bp = packedB.get(nCols * k);
  packB(nCols, k, src, srcOff, pStride, bp);
  if (nCols <= DIRECT_MAX_PANELS * NR * taps) {
    // Few columns per tap: each A element is used by a panel or two, so packing would cost as much as
    // the multiply; read A where it is (padded rows re-read the last real one and land in C's padding).
    for (let r0 = 0; r0 < m; r0 += MR) {
      const last = m - 1;
      const w0 = wOff + r0 * aRow, w1 = wOff + Math.min(r0 + 1, last) * aRow, w2 = wOff + Math.min(r0 + 2, last) * aRow, w3 = wOff + Math.min(r0 + 3, last) * aRow;
      const co = r0 * ldc;
      for (let t = 0; t < taps; t++) {
        for (let q = tapStart[t]; q < tapStart[t + 1]; q += NR) {
          if (dstCols[q + 2] === cols) {
            microTapW2(k, w, w0 + t, w1 + t, w2 + t, w3 + t, aCol, bp, q * k, NR, c, co, ldc, dstCols[q], dstCols[q + 1]);
          } else {
            microTapW(k, w, w0 + t, w1 + t, w2 + t, w3 + t, aCol, bp, q * k, NR, c, co, ldc, dstCols[q], dstCols[q + 1], dstCols[q + 2], dstCols[q + 3]);
          }
        }
      }
    }
    return c;
  }
  // Rows per block: a multiple of MR whose packed A (all taps) stays near A_BLOCK_ELEMENTS.
  const mc = Math.min(mPad, Math.max(MR, Math.floor(A_BLOCK_ELEMENTS / (k * taps * MR)) * MR));
  const ap = packedA.get(mc * k * taps);
  for (let ic = 0; ic < m; ic += mc) {
    const rows = Math.min(mc, m - ic);
    const panels = Math.ceil(rows / MR);
    packA(rows, k, taps, w, wOff + ic * aRow, aRow, aCol, ap, panels);
    for (let t = 0; t < taps; t++) {
      const aTap = t * panels * MR * k;
      for (let q = tapStart[t]; q < tapStart[t + 1]; q += NR) {
        const bo = q * k;
        const d0 = dstCols[q], d1 = dstCols[q + 1], d2 = dstCols[q + 2], d3 = dstCols[q + 3];
        for (let r = 0; r < panels; r++) {
          microTap(k, ap, aTap + r * MR * k, bp, bo, c, (ic + r * MR) * ldc, ldc, d0, d1, d2, d3);
        }
      }
    }
  }
  return c;
}

/**
 * C[i, j] = Σ_p A[i, p]·B[p, j] (overwriting) with A[i, p] = a[aOff + i·aRow + p] and B[p, j] =
 * b[bOff + p·bRow + j] read in place (Winograd's 16 products: A and B are already float64, and each
 * B panel stays in cache across the row panels). n must be even; C must have rows up to m rounded up
 * to 4 (the rows past m re-read A's last row).
 */
export function gemmInPlace(
  m: number, n: number, k: number, a: Float64Array, aOff: number, aRow: number,
  b: Float64Array, bOff: number, bRow: number, c: Float64Array, cOff: number, ldc: number,
): void {
  const last = aOff + (m - 1) * aRow;
  for (let i = 0; i < m; i += MR) {
    const a0 = aOff + i * aRow;
    const a1 = Math.min(a0 + aRow, last), a2 = Math.min(a0 + 2 * aRow, last), a3 = Math.min(a0 + 3 * aRow, last);
    const co = cOff + i * ldc;
    c.fill(0, co, co + 4 * ldc);
    let j = 0;
    for (; j + NR <= n; j += NR) microInPlace4(k, a, a0, a1, a2, a3, 1, b, bOff + j, bRow, c, co, ldc, j, j + 1, j + 2, j + 3);
    if (j < n) microInPlace2(k, a, a0, a1, a2, a3, 1, b, bOff + j, bRow, c, co, ldc, j, j + 1);
  }
}

/** Packs B's columns as NR-wide panels: dst[q·k + p·NR + j] = src[off + p·pStride + srcCols[q + j]] (0 for −1). */
function packB(nCols: number, k: number, src: FloatArray, off: number, pStride: number, dst: Float64Array): void {
  for (let q = 0; q < nCols; q += NR) {
    const s0 = srcCols[q], s1 = srcCols[q + 1], s2 = srcCols[q + 2], s3 = srcCols[q + 3];
    const base = q * k;
    if (s3 >= 0) {
      for (let p = 0, d = base, o = off; p < k; p++, d += NR, o += pStride) {
        dst[d] = src[o + s0];
        dst[d + 1] = src[o + s1];
        dst[d + 2] = src[o + s2];
        dst[d + 3] = src[o + s3];
      }
    } else {
      for (let j = 0; j < NR; j++) {
        const sj = srcCols[q + j];
        for (let p = 0, d = base + j, o = off + sj; p < k; p++, d += NR, o += pStride) dst[d] = sj >= 0 ? src[o] : 0;
      }
    }
  }
}

/**
 * Packs rows [0, rows) of every tap's A (from `off`) as MR-tall panels, zero-padded:
 * dst[(t·panels + r)·MR·k + p·MR + i] = w[off + (r·MR + i)·aRow + p·aCol + t].
 */
function packA(rows: number, k: number, taps: number, w: FloatArray, off: number, aRow: number, aCol: number, dst: Float64Array, panels: number): void {
  const tapStride = panels * MR * k;
  const full = Math.floor(rows / MR);
  if (aRow < aCol) {
    // Rows are close together (the input gradient: a row block is one run of W per p): p outermost.
    for (let p = 0; p < k; p++) {
      for (let r = 0; r < full; r++) {
        const r0 = off + r * MR * aRow + p * aCol, r1 = r0 + aRow, r2 = r1 + aRow, r3 = r2 + aRow;
        for (let t = 0, d = r * MR * k + p * MR; t < taps; t++, d += tapStride) {
          dst[d] = w[r0 + t];
          dst[d + 1] = w[r1 + t];
          dst[d + 2] = w[r2 + t];
          dst[d + 3] = w[r3 + t];
        }
      }
    }
  } else {
    // Rows far apart (the forward: rows of W): four rows at a time, each read in order.
    for (let r = 0; r < full; r++) {
      const r0 = off + r * MR * aRow, r1 = r0 + aRow, r2 = r1 + aRow, r3 = r2 + aRow;
      for (let p = 0; p < k; p++) {
        const pa = p * aCol;
        for (let t = 0, d = r * MR * k + p * MR; t < taps; t++, d += tapStride) {
          dst[d] = w[r0 + pa + t];
          dst[d + 1] = w[r1 + pa + t];
          dst[d + 2] = w[r2 + pa + t];
          dst[d + 3] = w[r3 + pa + t];
        }
      }
    }
  }
  if (full < panels) {
    const mr = rows - full * MR;
    const src = off + full * MR * aRow;
    for (let p = 0; p < k; p++) {
      for (let t = 0, d = full * MR * k + p * MR; t < taps; t++, d += tapStride) {
        for (let i = 0; i < MR; i++) dst[d + i] = i < mr ? w[src + i * aRow + p * aCol + t] : 0;
      }
    }
  }
}

/**
 * C[co + i·ldc + d_j] += Σ_p A[i, p]·B[p, j] for the 4×4 tile, A and B packed panels over k; the 16
 * sums live in locals. Straight-line, no data-dependent branch (see the note in ./matmul).
 */
function microTap(
  k: number, ap: Float64Array, ao: number, bp: Float64Array, bo: number,
  c: Float64Array, co: number, ldc: number, d0: number, d1: number, d2: number, d3: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < k; p++) {
    const a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3];
    const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ao += MR;
    bo += NR;
  }
  c[co + d0] += c00; c[co + d1] += c01; c[co + d2] += c02; c[co + d3] += c03; co += ldc;
  c[co + d0] += c10; c[co + d1] += c11; c[co + d2] += c12; c[co + d3] += c13; co += ldc;
  c[co + d0] += c20; c[co + d1] += c21; c[co + d2] += c22; c[co + d3] += c23; co += ldc;
  c[co + d0] += c30; c[co + d1] += c31; c[co + d2] += c32; c[co + d3] += c33;
}

/**
 * As microTap, with A read in place from w (no packing): A[i, p] = w[wo + i·aRow + p·aCol], the
 * four rows at wo + r_i (r_i clamped by the caller so that padded rows re-read a real one).
 */
function microTapW(
  k: number, w: FloatArray, w0: number, w1: number, w2: number, w3: number, aCol: number, bp: Float64Array, bo: number, bRow: number,
  c: Float64Array, co: number, ldc: number, d0: number, d1: number, d2: number, d3: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // One induction variable, the other rows at fixed distances: measured ~12% faster than four.
  const r1 = w1 - w0, r2 = w2 - w0, r3 = w3 - w0;
  for (const end = w0 + k * aCol; w0 < end; w0 += aCol) {
    const a0 = w[w0], a1 = w[w0 + r1], a2 = w[w0 + r2], a3 = w[w0 + r3];
    const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    bo += bRow;
  }
  c[co + d0] += c00; c[co + d1] += c01; c[co + d2] += c02; c[co + d3] += c03; co += ldc;
  c[co + d0] += c10; c[co + d1] += c11; c[co + d2] += c12; c[co + d3] += c13; co += ldc;
  c[co + d0] += c20; c[co + d1] += c21; c[co + d2] += c22; c[co + d3] += c23; co += ldc;
  c[co + d0] += c30; c[co + d1] += c31; c[co + d2] += c32; c[co + d3] += c33;
}

/** microTapW for a panel with only its first two columns real. */
function microTapW2(
  k: number, w: FloatArray, w0: number, w1: number, w2: number, w3: number, aCol: number, bp: Float64Array, bo: number, bRow: number,
  c: Float64Array, co: number, ldc: number, d0: number, d1: number,
): void {
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  // One induction variable, the other rows at fixed distances: measured ~12% faster than four.
  const r1 = w1 - w0, r2 = w2 - w0, r3 = w3 - w0;
  for (const end = w0 + k * aCol; w0 < end; w0 += aCol) {
    const a0 = w[w0], a1 = w[w0 + r1], a2 = w[w0 + r2], a3 = w[w0 + r3];
    const b0 = bp[bo], b1 = bp[bo + 1];
    c00 += a0 * b0; c01 += a0 * b1;
    c10 += a1 * b0; c11 += a1 * b1;
    c20 += a2 * b0; c21 += a2 * b1;
    c30 += a3 * b0; c31 += a3 * b1;
    bo += bRow;
  }
  c[co + d0] += c00; c[co + d1] += c01; co += ldc;
  c[co + d0] += c10; c[co + d1] += c11; co += ldc;
  c[co + d0] += c20; c[co + d1] += c21; co += ldc;
  c[co + d0] += c30; c[co + d1] += c31;
}
/** microTapW for Float64 A only (gemmInPlace), so that each twin stays monomorphic. */
function microInPlace4(
  k: number, w: Float64Array, w0: number, w1: number, w2: number, w3: number, aCol: number, bp: Float64Array, bo: number, bRow: number,
  c: Float64Array, co: number, ldc: number, d0: number, d1: number, d2: number, d3: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // One induction variable, the other rows at fixed distances: measured ~12% faster than four.
  const r1 = w1 - w0, r2 = w2 - w0, r3 = w3 - w0;
  for (const end = w0 + k * aCol; w0 < end; w0 += aCol) {
    const a0 = w[w0], a1 = w[w0 + r1], a2 = w[w0 + r2], a3 = w[w0 + r3];
    const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    bo += bRow;
  }
  c[co + d0] += c00; c[co + d1] += c01; c[co + d2] += c02; c[co + d3] += c03; co += ldc;
  c[co + d0] += c10; c[co + d1] += c11; c[co + d2] += c12; c[co + d3] += c13; co += ldc;
  c[co + d0] += c20; c[co + d1] += c21; c[co + d2] += c22; c[co + d3] += c23; co += ldc;
  c[co + d0] += c30; c[co + d1] += c31; c[co + d2] += c32; c[co + d3] += c33;
}

/** microTapW2 for Float64 A only. */
function microInPlace2(
  k: number, w: Float64Array, w0: number, w1: number, w2: number, w3: number, aCol: number, bp: Float64Array, bo: number, bRow: number,
  c: Float64Array, co: number, ldc: number, d0: number, d1: number,
): void {
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  // One induction variable, the other rows at fixed distances: measured ~12% faster than four.
  const r1 = w1 - w0, r2 = w2 - w0, r3 = w3 - w0;
  for (const end = w0 + k * aCol; w0 < end; w0 += aCol) {
    const a0 = w[w0], a1 = w[w0 + r1], a2 = w[w0 + r2], a3 = w[w0 + r3];
    const b0 = bp[bo], b1 = bp[bo + 1];
    c00 += a0 * b0; c01 += a0 * b1;
    c10 += a1 * b0; c11 += a1 * b1;
    c20 += a2 * b0; c21 += a2 * b1;
    c30 += a3 * b0; c31 += a3 * b1;
    bo += bRow;
  }
  c[co + d0] += c00; c[co + d1] += c01; co += ldc;
  c[co + d0] += c10; c[co + d1] += c11; co += ldc;
  c[co + d0] += c20; c[co + d1] += c21; co += ldc;
  c[co + d0] += c30; c[co + d1] += c31;
}

// ---- two threads (see ./parallel) ----
//
// Note: the tickets are blocks of MR-row panels of C, each doing every tap for its rows, so each element
// of C still gets its taps' sums added in tap order. The engine packs B (all taps) into the shared data,
// and A as one thread does (the packed path) but into the shared data too; with few columns per tap (the
// direct path, A read in place) it copies W's rows for the block as they are (W's element type, with
// TypedArray.set) for the helper, and reads W in place itself. The engine computes its tickets straight
// into C with the one-thread micro-kernels; the helper computes its panels' per-column sums (each column
// of the padded lists belongs to one tap) into [rows × nCols] above SHARED_OUT, and the engine adds them
// into C through the column map, in column (so tap) order: the same sums added in the same order, so
// the result is bit for bit the one-thread one. The helper takes nothing but the tap boundaries from the
// shared data as indices, clamped to the job's columns.

/** Tap products of at least this many multiply-adds use the helper when there is one … */
const PARALLEL_MIN_MADDS = 1 << 19;
/**
 * … and, where one thread reads A in place (few columns per tap), at least this many (padded) columns per
 * tap on average: the engine copies W for the helper (memcpy, but W is large and each of its elements
 * meets only a few columns), and both threads then stream W from memory. Measured on the 2-core box, one
 * thread → two: ResNet-18's layer3 at 4×4, batch 1 (112 columns, 12 per tap) 2.8 → 2.0 ms; layer4 at
 * 2×2, batch 2 (40 columns, 4.4 per tap) 3.5 → 3.1 ms forward but 3.6 → 3.7 ms for the input gradient,
 * and batch 1 (36 columns) slower both ways.
 */
const DIRECT_PARALLEL_MIN_COLUMNS = 8;
/**
 * The share of a block's rows the engine does on its own, before taking tickets, where A is read in place
 * (those rows need no copy of W, and the helper starts on the rest meanwhile). Measured on layer3 at 4×4,
 * batch 1 (ms, one thread → two): 2.8 → 2.05 (forward) and 3.0 → 2.4 (input gradient) with none, → 1.9-2.0
 * and → 2.1-2.2 with 0.25-0.35. It does not rescue layer4 at 2×2 (W is 9.4 MB of float32 for ~4
 * multiply-adds per element): the forward gains ~15% at batch 2, the input gradient nothing or worse.
 */
const DIRECT_ENGINE_SHARE = 0.3;
const TICKETS_PER_BLOCK = 48;
const MIN_TICKET_MADDS = 1 << 15;

const took = new Uint8Array(MAX_TICKETS);
const tapParams = new Int32Array(12);
/** The block being settled, for fromHelper and engineTicket. */
const none: Float64Array = new Float64Array(0);
const tjob: {
  direct: boolean; m: number; k: number; taps: number; nCols: number; r0: number; panels: number; per: number; cols: number;
  w: FloatArray; wOff: number; aRow: number; aCol: number; ap: Float64Array; bp: Float64Array; c: Float64Array; ldc: number; d: Float64Array;
} = {
  direct: false, m: 0, k: 0, taps: 0, nCols: 0, r0: 0, panels: 0, per: 0, cols: 0,
  w: none, wOff: 0, aRow: 0, aCol: 0, ap: none, bp: none, c: none, ldc: 0, d: none,
};

function tapGemmParallel(
  h: HelperChannel, m: number, k: number, taps: number, nCols: number, cols: number,
  w: FloatArray, wOff: number, aRow: number, aCol: number,
  src: FloatArray, srcOff: number, pStride: number, c: Float64Array, ldc: number,
): boolean {
  const direct = nCols <= DIRECT_MAX_PANELS * NR * taps;
  const f32 = w instanceof Float32Array;
  // The layout: B panels, the tap boundaries, then A (packed, or W's rows as they are).
  const tapOff = nCols * k;
  const aOff = tapOff + taps + 1 + ((tapOff + taps + 1) & 1);
  const aRoom = SHARED_OUT - aOff;
  const perRow = direct && f32 ? (k * taps) / 2 : k * taps;
  const mPad = Math.ceil(m / MR) * MR;
  let rows = Math.min(mPad, Math.floor(aRoom / perRow / MR) * MR, Math.floor((SHARED_LENGTH - SHARED_OUT) / nCols / MR) * MR);
  if (!direct) rows = Math.min(rows, Math.max(MR, Math.floor(A_BLOCK_ELEMENTS / (k * taps * MR)) * MR));
  if (direct && !(aRow > aCol ? aRow === k * aCol : aRow === taps)) return false;
  if (rows < MR) return false;
  rows = Math.min(rows, Math.ceil(m / Math.ceil(m / rows) / MR) * MR); // even blocks
  h.wake();
  const d = h.data;
  const bp = d.subarray(0, tapOff);
  packB(nCols, k, src, srcOff, pStride, bp);
  for (let t = 0; t <= taps; t++) d[tapOff + t] = tapStart[t];
  const j = tjob;
  j.direct = direct; j.m = m; j.k = k; j.taps = taps; j.nCols = nCols; j.cols = cols;
  j.w = w; j.wOff = wOff; j.aRow = aRow; j.aCol = aCol; j.bp = bp; j.c = c; j.ldc = ldc; j.d = d;
  for (let b0 = 0; b0 < m; b0 += rows) {
    const br = Math.min(rows, m - b0);
    // With A read in place, the engine does the first rows of the block on its own (no copy for them)
    // while the helper starts on the rest: the job is the rows after them.
    const pre = direct ? Math.min(Math.floor((br - 1) / MR), Math.floor((br * DIRECT_ENGINE_SHARE) / MR)) * MR : 0;
    const r0 = b0 + pre;
    const rr = b0 + br - r0;
    const panels = Math.ceil(rr / MR);
    let aRowH = aRow, aColH = aCol;
    if (direct) {
      // W's rows r0 … r0 + rr as they are, for the helper (the engine reads W in place).
      const to = f32 ? h.data32 : d;
      const at = f32 ? 2 * aOff : aOff;
      if (aRow > aCol) to.set(w.subarray(wOff + r0 * aRow, wOff + (r0 + rr) * aRow), at);
      else {
        aColH = rr * aRow;
        for (let p = 0; p < k; p++) to.set(w.subarray(wOff + p * aCol + r0 * aRow, wOff + p * aCol + (r0 + rr) * aRow), at + p * aColH);
      }
    } else {
      if (r0 > 0) h.wake();
      j.ap = d.subarray(aOff, aOff + panels * MR * k * taps);
      packA(rr, k, taps, w, wOff + r0 * aRow, aRow, aCol, j.ap, panels);
    }
    const per = Math.max(Math.ceil(panels / TICKETS_PER_BLOCK), Math.ceil(MIN_TICKET_MADDS / (MR * k * nCols)));
    const tickets = Math.ceil(panels / per);
    j.r0 = r0; j.panels = panels; j.per = per;
    if (tickets < 2) {
      if (r0 > b0) directPanels(b0, r0);
      for (let t = 0; t < tickets; t++) engineTicket(t);
      continue;
    }
    tapParams[0] = direct ? (f32 ? 2 : 1) : 0; tapParams[1] = k; tapParams[2] = taps; tapParams[3] = nCols;
    tapParams[4] = rr; tapParams[5] = panels; tapParams[6] = per; tapParams[7] = aOff; tapParams[8] = aRowH;
    tapParams[9] = aColH; tapParams[10] = tapOff;
    took.fill(0, 0, tickets);
    h.post(JobKind.taps, tapParams, tickets);
    if (r0 > b0) directPanels(b0, r0);
    for (let t = h.take(); t >= 0; t = h.take()) {
      took[t] = 1;
      engineTicket(t);
      h.collect(took, fromHelper);
    }
    h.settle(took, ticketPatienceMs(per * MR * k * nCols), fromHelper, engineTicket);
  }
  j.w = j.ap = j.bp = j.c = j.d = none;
  return true;
}

/** Ticket t of the block on the engine: its row panels, every tap, straight into C (as one thread). */
function engineTicket(t: number): void {
  const j = tjob;
  const p0 = t * j.per, p1 = Math.min(j.panels, p0 + j.per);
  const { k, taps, c, ldc, bp } = j;
  if (j.direct) {
    directPanels(j.r0 + p0 * MR, Math.min(j.m, j.r0 + p1 * MR));
    return;
  }
  const ap = j.ap;
  const panels = j.panels;
  for (let tp = 0; tp < taps; tp++) {
    const aTap = tp * panels * MR * k;
    for (let q = tapStart[tp]; q < tapStart[tp + 1]; q += NR) {
      const bo = q * k;
      const d0 = dstCols[q], d1 = dstCols[q + 1], d2 = dstCols[q + 2], d3 = dstCols[q + 3];
      for (let r = p0; r < p1; r++) microTap(k, ap, aTap + r * MR * k, bp, bo, c, (j.r0 + r * MR) * ldc, ldc, d0, d1, d2, d3);
    }
  }
}

/** Rows [from, to) of C (from a multiple of MR), A read in place, every tap: as one thread does. */
function directPanels(from: number, to: number): void {
  const j = tjob;
  const { k, taps, c, ldc, bp } = j;
  {
    const { w, wOff, aRow, aCol, cols } = j;
    const last = j.m - 1;
    for (let r0 = from; r0 < to; r0 += MR) {
      const w0 = wOff + r0 * aRow, w1 = wOff + Math.min(r0 + 1, last) * aRow, w2 = wOff + Math.min(r0 + 2, last) * aRow, w3 = wOff + Math.min(r0 + 3, last) * aRow;
      const co = r0 * ldc;
      for (let tp = 0; tp < taps; tp++) {
        for (let q = tapStart[tp]; q < tapStart[tp + 1]; q += NR) {
          if (dstCols[q + 2] === cols) {
            microTapW2(k, w, w0 + tp, w1 + tp, w2 + tp, w3 + tp, aCol, bp, q * k, NR, c, co, ldc, dstCols[q], dstCols[q + 1]);
          } else {
            microTapW(k, w, w0 + tp, w1 + tp, w2 + tp, w3 + tp, aCol, bp, q * k, NR, c, co, ldc, dstCols[q], dstCols[q + 1], dstCols[q + 2], dstCols[q + 3]);
          }
        }
      }
    }
  }
}

/** Ticket t done by the helper: its rows' column sums, added into C through the column map in order. */
function fromHelper(t: number): void {
  const j = tjob;
  const p0 = t * j.per, p1 = Math.min(j.panels, p0 + j.per);
  const { c, ldc, d, nCols } = j;
  for (let i = p0 * MR; i < p1 * MR; i++) {
    const co = (j.r0 + i) * ldc;
    const from = SHARED_OUT + i * nCols;
    for (let q = 0; q < nCols; q++) c[co + dstCols[q]] += d[from + q];
  }
}

/**
 * The helper's ticket of a tap job: its row panels' sums per (row, column) into [rows × nCols] above
 * SHARED_OUT. Params: mode (0 packed A, 1 W's rows as float64, 2 as float32), k, taps, nCols, rows,
 * panels, panels per ticket, A's offset, A's row and column strides (the direct modes), the tap
 * boundaries' offset.
 */
export function tapTicket(job: HelperJob, t: number): number {
  const p = job.params;
  const mode = p[0], k = p[1], taps = p[2], nCols = p[3], rr = p[4], panels = p[5], per = p[6], aOff = p[7], aRow = p[8], aCol = p[9], tapOff = p[10];
  const p0 = t * per, p1 = Math.min(panels, p0 + per);
  const d = job.data;
  if (p0 >= p1 || SHARED_OUT + p1 * MR * nCols > d.length) return 0;
  d.fill(0, SHARED_OUT + p0 * MR * nCols, SHARED_OUT + p1 * MR * nCols);
  const clampQ = (x: number) => Math.min(nCols, Math.max(0, x | 0)) & ~(NR - 1);
  for (let tp = 0; tp < taps; tp++) {
    const q0 = clampQ(d[tapOff + tp]), q1 = clampQ(d[tapOff + tp + 1]);
    for (let q = q0; q < q1; q += NR) {
      const bo = q * k;
      for (let r = p0; r < p1; r++) {
        const co = SHARED_OUT + r * MR * nCols + q;
        if (mode === 0) microTap(k, d, aOff + (tp * panels + r) * MR * k, d, bo, d, co, nCols, 0, 1, 2, 3);
        else {
          const a = mode === 2 ? job.data32 : d;
          const base = (mode === 2 ? 2 * aOff : aOff) + tp;
          const i0 = r * MR, last = rr - 1;
          microTapW(k, a, base + i0 * aRow, base + Math.min(i0 + 1, last) * aRow, base + Math.min(i0 + 2, last) * aRow, base + Math.min(i0 + 3, last) * aRow, aCol, d, bo, NR, d, co, nCols, 0, 1, 2, 3);
        }
      }
    }
  }
  return (p1 - p0) * (nCols / NR);
}
