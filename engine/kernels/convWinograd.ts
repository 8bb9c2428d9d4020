// Winograd F(2×2, 3×3) for 3×3, stride-1, undilated convolutions: each 2×2 output tile costs 16
// multiplies per (input, output) channel pair instead of 36, so the gemm work is 2.25× smaller. And, at
// the end, F(4×4, 4×4) for the input gradient of stride-2 convolutions with 5×5 to 8×8 kernels.
//
// Note: the algorithm (Lavin & Gray, 2015). For a 4×4 input tile d (zeros in the padding) and a 3×3
// filter g, the 2×2 output is Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A with
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],  Aᵀ = [1 1 1 0; 0 1 −1 −1].
// Summed over input channels, the 16 elementwise products become 16 gemms over the channels:
//   R[ξ][m, tile] = Σ_k U[ξ][m, k] · V[ξ][k, tile],  U = G g Gᵀ per (m, k),  V = Bᵀ d B per (k, tile).
// Every transform and the gemms run in float64 (the transforms' constants are ½ and ±1), and the
// result is rounded once when written, so float32 results are as accurate as im2col's.
// The input gradient of a stride-1 convolution is the same operation on gy with the filter flipped
// and its channel axes swapped, and padding 2 − pad, so both passes use this kernel.
// With a helper thread (./parallel) the products go to two threads: as tickets of (ξ, block of rows)
// over a shared U and V (winogradParallel), or, with few tiles, as tickets of rows that each transform
// their own filters (winogradByRows); bit for bit the one-thread result either way.

import { type FloatArray, Scratch } from './types';
import { gemmInPlace } from './convTap';
import { type HelperChannel, type HelperJob, JobKind, MAX_TICKETS, SHARED_LENGTH, SHARED_OUT, activeChannel, ticketPatienceMs } from './parallel';

const uScratch = new Scratch();
const vScratch = new Scratch();
const rScratch = new Scratch();
const padScratch = new Scratch();

/** Tiles per gemm: images are added until the tile count reaches this. */
const TILE_COLUMNS = 256;
/**
 * Extra float64s between the 16 matrices of U, V and R: their sizes are often powers of two, and 16
 * streams a power of two apart fall into the same cache sets (measured: the filter transform ran
 * ~2× slower without it).
 */
const SKEW = 24;
/** The filter matrices U of one block of output channels: at most about this many float64s (8 MB). */
const U_BLOCK_ELEMENTS = 1 << 20;

/**
 * dst[img, m, OH, OW] = Σ_k conv3x3(src[img, k], filter(m, k)) for `batch` images, OH = H + 2·pad − 2
 * (likewise OW). src image i's channel k plane starts at srcOff + i·srcImage + k·H·W; dst image i's
 * channel m plane at dstOff + i·dstImage + m·OH·OW (overwritten). The filter of (m, k) is
 * w[wOff + m·wM + k·wK + t] for tap t = kh·3 + kw, or tap 8 − t when `flip`.
 */
export function winograd3x3(
  batch: number, m: number, k: number, hgt: number, wd: number, pad: number,
  src: FloatArray, srcOff: number, srcImage: number,
  w: FloatArray, wOff: number, wM: number, wK: number, flip: boolean,
  dst: FloatArray, dstOff: number, dstImage: number,
): void {
  const oh = hgt + 2 * pad - 2;
  const ow = wd + 2 * pad - 2;
  const th = (oh + 1) >> 1;
  const tw = (ow + 1) >> 1;
  const tilesPerImage = th * tw;
  const chunk = Math.max(1, Math.min(batch, Math.floor(TILE_COLUMNS / tilesPerImage)));
  if (16 * m * k * Math.min(batch, chunk) * tilesPerImage >= PARALLEL_MIN_MADDS) {
    const h = activeChannel();
    if (h !== null && winogradParallel(h, batch, m, k, hgt, wd, pad, src, srcOff, srcImage, w, wOff, wM, wK, flip, dst, dstOff, dstImage, chunk)) return;
  }
  // Output channels in blocks whose 16 filter matrices stay within U_BLOCK_ELEMENTS (the input
  // transform is then redone per block: O(k·tiles), a block's m below its gemms).
  const mb = Math.min(m, Math.max(4, Math.floor(U_BLOCK_ELEMENTS / (16 * k * 4)) * 4));
  const u = uScratch.get(16 * (mb * k + SKEW));
  // Rows of V and R hold an even number of tiles and R an MR multiple of rows, for gemmInPlace's tiles.
  const maxT = chunk * tilesPerImage + 1;
  const v = vScratch.get(16 * (k * maxT + SKEW));
  const r = rScratch.get(16 * ((mb + 3) * maxT + SKEW));
  // A zero-bordered copy of one image's channel planes, so every 4×4 window is in bounds.
  const ph = 2 * th + 2;
  const pw = 2 * tw + 2;
  const padded = padScratch.get(k * ph * pw);
  padded.fill(0, 0, k * ph * pw);
  for (let m0 = 0; m0 < m; m0 += mb) {
    const mr = Math.min(mb, m - m0);
    const us = mr * k + SKEW;
    transformFilters(mr, k, w, wOff + m0 * wM, wM, wK, flip, u, us);
    for (let n0 = 0; n0 < batch; n0 += chunk) {
      const count = Math.min(chunk, batch - n0);
      const t = count * tilesPerImage;
      const tl = t + (t & 1);
      const vs = k * tl + SKEW;
      const rs = (mr + 3 - ((mr + 3) & 3)) * tl + SKEW;
      for (let j = 0; j < count; j++) {
        copyPadded(src, srcOff + (n0 + j) * srcImage, k, hgt, wd, pad, padded, ph, pw);
        transformInput(padded, k, ph, pw, th, tw, v, vs, tl, j * tilesPerImage);
      }
      if (tl > t) {
        for (let xi = 0; xi < 16; xi++) for (let ki = 0; ki < k; ki++) v[xi * vs + ki * tl + t] = 0;
      }
      for (let xi = 0; xi < 16; xi++) gemmInPlace(mr, tl, k, u, xi * us, k, v, xi * vs, tl, r, xi * rs, tl);
      for (let j = 0; j < count; j++) {
        transformOutput(r, rs, mr, tl, j * tilesPerImage, th, tw, oh, ow, dst, dstOff + (n0 + j) * dstImage + m0 * oh * ow);
      }
    }
  }
}

/**
 * u[ξ·mk + mi·k + ki] = (G g Gᵀ)[ξ] for the filter g of (mi, ki). The loop over the filters runs along
 * w (the index with the smaller stride innermost), as reading W across rows is the slow part.
 */
function transformFilters(m: number, k: number, w: FloatArray, wOff: number, wM: number, wK: number, flip: boolean, u: Float64Array, mk: number): void {
  if (wK <= wM) {
    for (let mi = 0; mi < m; mi++) {
      for (let ki = 0; ki < k; ki++) transformFilter(w, wOff + mi * wM + ki * wK, flip, u, mi * k + ki, mk);
    }
  } else {
    for (let ki = 0; ki < k; ki++) {
      for (let mi = 0; mi < m; mi++) transformFilter(w, wOff + mi * wM + ki * wK, flip, u, mi * k + ki, mk);
    }
  }
}

/** u[at + ξ·mk] = (G g Gᵀ)[ξ] for the 3×3 filter g at w[o…o+8] (reversed when `flip`). */
function transformFilter(w: FloatArray, o: number, flip: boolean, u: Float64Array, at: number, mk: number): void {
  let g0, g1, g2, g3, g4, g5, g6, g7, g8;
  if (flip) {
    g0 = w[o + 8]; g1 = w[o + 7]; g2 = w[o + 6]; g3 = w[o + 5]; g4 = w[o + 4]; g5 = w[o + 3]; g6 = w[o + 2]; g7 = w[o + 1]; g8 = w[o];
  } else {
    g0 = w[o]; g1 = w[o + 1]; g2 = w[o + 2]; g3 = w[o + 3]; g4 = w[o + 4]; g5 = w[o + 5]; g6 = w[o + 6]; g7 = w[o + 7]; g8 = w[o + 8];
  }
  // G g: rows g[0], (g[0]+g[1]+g[2])/2, (g[0]−g[1]+g[2])/2, g[2] (g[i] the filter's rows).
  const a0 = g0, a1 = g1, a2 = g2;
  const b0 = 0.5 * (g0 + g3 + g6), b1 = 0.5 * (g1 + g4 + g7), b2 = 0.5 * (g2 + g5 + g8);
  const c0 = 0.5 * (g0 - g3 + g6), c1 = 0.5 * (g1 - g4 + g7), c2 = 0.5 * (g2 - g5 + g8);
  const d0 = g6, d1 = g7, d2 = g8;
  // (G g) Gᵀ: each row (x, y, z) → (x, (x+y+z)/2, (x−y+z)/2, z).
  u[at] = a0; at += mk; u[at] = 0.5 * (a0 + a1 + a2); at += mk; u[at] = 0.5 * (a0 - a1 + a2); at += mk; u[at] = a2; at += mk;
  u[at] = b0; at += mk; u[at] = 0.5 * (b0 + b1 + b2); at += mk; u[at] = 0.5 * (b0 - b1 + b2); at += mk; u[at] = b2; at += mk;
  u[at] = c0; at += mk; u[at] = 0.5 * (c0 + c1 + c2); at += mk; u[at] = 0.5 * (c0 - c1 + c2); at += mk; u[at] = c2; at += mk;
  u[at] = d0; at += mk; u[at] = 0.5 * (d0 + d1 + d2); at += mk; u[at] = 0.5 * (d0 - d1 + d2); at += mk; u[at] = d2;
}

/** padded[ki, pad + y, pad + x] = src[off + ki·H·W + y·W + x]; the border stays zero. */
function copyPadded(src: FloatArray, off: number, k: number, h: number, wd: number, pad: number, padded: Float64Array, ph: number, pw: number): void {
  for (let ki = 0; ki < k; ki++) {
    const from = off + ki * h * wd;
    const to = ki * ph * pw + pad * pw + pad;
    for (let y = 0; y < h; y++) {
      const s = from + y * wd;
      const d = to + y * pw;
      for (let x = 0; x < wd; x++) padded[d + x] = src[s + x];
    }
  }
}

/** v[ξ·kt + ki·T + t0 + tile] = (Bᵀ d B)[ξ] for each channel's 4×4 window at (2·ty, 2·tx). */
function transformInput(padded: Float64Array, k: number, ph: number, pw: number, th: number, tw: number, v: Float64Array, kt: number, t: number, t0: number): void {
  for (let ki = 0; ki < k; ki++) {
    const plane = ki * ph * pw;
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        const o0 = plane + 2 * ty * pw + 2 * tx, o1 = o0 + pw, o2 = o1 + pw, o3 = o2 + pw;
        // Bᵀ d: rows d0 − d2, d1 + d2, d2 − d1, d1 − d3, column by column.
        const p00 = padded[o0], p01 = padded[o0 + 1], p02 = padded[o0 + 2], p03 = padded[o0 + 3];
        const p10 = padded[o1], p11 = padded[o1 + 1], p12 = padded[o1 + 2], p13 = padded[o1 + 3];
        const p20 = padded[o2], p21 = padded[o2 + 1], p22 = padded[o2 + 2], p23 = padded[o2 + 3];
        const p30 = padded[o3], p31 = padded[o3 + 1], p32 = padded[o3 + 2], p33 = padded[o3 + 3];
        const s00 = p00 - p20, s01 = p01 - p21, s02 = p02 - p22, s03 = p03 - p23;
        const s10 = p10 + p20, s11 = p11 + p21, s12 = p12 + p22, s13 = p13 + p23;
        const s20 = p20 - p10, s21 = p21 - p11, s22 = p22 - p12, s23 = p23 - p13;
        const s30 = p10 - p30, s31 = p11 - p31, s32 = p12 - p32, s33 = p13 - p33;
        // (Bᵀ d) B: the same on each row's columns.
        let at = ki * t + t0 + ty * tw + tx;
        v[at] = s00 - s02; at += kt; v[at] = s01 + s02; at += kt; v[at] = s02 - s01; at += kt; v[at] = s01 - s03; at += kt;
        v[at] = s10 - s12; at += kt; v[at] = s11 + s12; at += kt; v[at] = s12 - s11; at += kt; v[at] = s11 - s13; at += kt;
        v[at] = s20 - s22; at += kt; v[at] = s21 + s22; at += kt; v[at] = s22 - s21; at += kt; v[at] = s21 - s23; at += kt;
        v[at] = s30 - s32; at += kt; v[at] = s31 + s32; at += kt; v[at] = s32 - s31; at += kt; v[at] = s31 - s33;
      }
    }
  }
}

/** dst[off + mi·OH·OW + …] = Aᵀ R A for each tile, the last row/column dropped when OH/OW is odd. */
function transformOutput(r: Float64Array, mt: number, m: number, t: number, t0: number, th: number, tw: number, oh: number, ow: number, dst: FloatArray, off: number): void {
  for (let mi = 0; mi < m; mi++) {
    const plane = off + mi * oh * ow;
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        let at = mi * t + t0 + ty * tw + tx;
        const r00 = r[at]; at += mt; const r01 = r[at]; at += mt; const r02 = r[at]; at += mt; const r03 = r[at]; at += mt;
        const r10 = r[at]; at += mt; const r11 = r[at]; at += mt; const r12 = r[at]; at += mt; const r13 = r[at]; at += mt;
        const r20 = r[at]; at += mt; const r21 = r[at]; at += mt; const r22 = r[at]; at += mt; const r23 = r[at]; at += mt;
        const r30 = r[at]; at += mt; const r31 = r[at]; at += mt; const r32 = r[at]; at += mt; const r33 = r[at];
        // Aᵀ R: rows r0 + r1 + r2 and r1 − r2 − r3; then the same on columns.
        const s0 = r00 + r10 + r20, s1 = r01 + r11 + r21, s2 = r02 + r12 + r22, s3 = r03 + r13 + r23;
        const q0 = r10 - r20 - r30, q1 = r11 - r21 - r31, q2 = r12 - r22 - r32, q3 = r13 - r23 - r33;
        const y = 2 * ty, x = 2 * tx;
        const o = plane + y * ow + x;
        dst[o] = s0 + s1 + s2;
        if (x + 1 < ow) dst[o + 1] = s1 - s2 - s3;
        if (y + 1 < oh) {
          dst[o + ow] = q0 + q1 + q2;
          if (x + 1 < ow) dst[o + ow + 1] = q1 - q2 - q3;
        }
      }
    }
  }
}

// ---- two threads (see ./parallel) ----
//
// Note: the same blocks as winograd3x3, with U and V transformed by the engine straight into the shared
// data (U from 0, V after it) and the 16 products R[ξ] = U[ξ]·V[ξ] shared out as tickets of (ξ, a block
// of rows). The engine computes its tickets into its own R with gemmInPlace; the helper computes its
// tickets with the same gemmInPlace into the same layout above SHARED_OUT, and the engine copies them
// into R when it collects them. Every element of R is the same k-long sum in the same order whichever
// thread did it, and the transforms are the engine's, so the result is bit for bit the one-thread one.
// The output-channel block is smaller than one thread's when U, V and the helper's R must fit the shared
// areas (R's elements do not depend on the blocking); a shape whose one image's V does not fit stays on
// one thread. The transforms stay on the engine here; with few tiles per product the tickets are rows
// instead, each with its filters' transform (winogradByRows, below).

/** Winograd blocks of at least this many multiply-adds (16 products) use the helper when there is one. */
const PARALLEL_MIN_MADDS = 1 << 19;
/** Tickets per product at most (so at most 48 per block), each at least MIN_TICKET_MADDS. */
const ROW_CHUNKS = 3;
const MIN_TICKET_MADDS = 1 << 15;

const took = new Uint8Array(MAX_TICKETS);
const jobParams = new Int32Array(11);
/** The block being settled, for fromHelper and takeBack. */
const none: Float64Array = new Float64Array(0);
const wjob: {
  mr: number; tl: number; k: number; us: number; vs: number; rs: number; per: number; chunks: number;
  u: Float64Array; v: Float64Array; r: Float64Array; d: Float64Array;
} = { mr: 0, tl: 0, k: 0, us: 0, vs: 0, rs: 0, per: 0, chunks: 0, u: none, v: none, r: none, d: none };

function winogradParallel(
  h: HelperChannel, batch: number, m: number, k: number, hgt: number, wd: number, pad: number,
  src: FloatArray, srcOff: number, srcImage: number,
  w: FloatArray, wOff: number, wM: number, wK: number, flip: boolean,
  dst: FloatArray, dstOff: number, dstImage: number, chunk: number,
): boolean {
  const oh = hgt + 2 * pad - 2;
  const ow = wd + 2 * pad - 2;
  const th = (oh + 1) >> 1;
  const tw = (ow + 1) >> 1;
  const tilesPerImage = th * tw;
  // Images per product: as one thread, fewer if V would not leave room for a block of 4 rows of U.
  const maxT = (c: number) => c * tilesPerImage + 1;
  const vLength = (c: number) => 16 * (k * maxT(c) + SKEW);
  const roomFor = (c: number) => Math.min(
    Math.floor((SHARED_OUT - vLength(c) - 16 * SKEW) / (16 * k)),
    Math.floor((SHARED_LENGTH - SHARED_OUT - 16 * SKEW) / (16 * maxT(c))),
  );
  if (Math.min(batch, chunk) * tilesPerImage <= ROWS_MAX_TILES &&
    winogradByRows(h, batch, m, k, hgt, wd, pad, src, srcOff, srcImage, w, wOff, wM, wK, flip, dst, dstOff, dstImage, chunk)) return true;
  while (chunk > 1 && roomFor(chunk) < 4) chunk = Math.max(1, chunk >> 1);
  const room = roomFor(chunk) & ~3;
  if (room < 4) return false;
  const mbOne = Math.min(m, Math.max(4, Math.floor(U_BLOCK_ELEMENTS / (16 * k * 4)) * 4));
  let mb = Math.min(mbOne, room);
  mb = Math.min(mb, Math.ceil(m / Math.ceil(m / mb) / 4) * 4); // even blocks
  const d = h.data;
  const uLength = 16 * (mb * k + SKEW);
  const u = d.subarray(0, uLength);
  const v = d.subarray(uLength, uLength + vLength(chunk));
  const r = rScratch.get(16 * ((mb + 3) * maxT(chunk) + SKEW));
  const ph = 2 * th + 2;
  const pw = 2 * tw + 2;
  const padded = padScratch.get(k * ph * pw);
  padded.fill(0, 0, k * ph * pw);
  const j0 = wjob;
  j0.u = u; j0.v = v; j0.r = r; j0.d = d; j0.k = k;
  for (let m0 = 0; m0 < m; m0 += mb) {
    const mr = Math.min(mb, m - m0);
    const us = mr * k + SKEW;
    h.wake(); // the helper's wake-up (~0.1 ms when it sleeps) overlaps the transforms
    transformFilters(mr, k, w, wOff + m0 * wM, wM, wK, flip, u, us);
    for (let n0 = 0; n0 < batch; n0 += chunk) {
      const count = Math.min(chunk, batch - n0);
      const t = count * tilesPerImage;
      const tl = t + (t & 1);
      const vs = k * tl + SKEW;
      const rs = (mr + 3 - ((mr + 3) & 3)) * tl + SKEW;
      if (n0 > 0) h.wake();
      for (let j = 0; j < count; j++) {
        copyPadded(src, srcOff + (n0 + j) * srcImage, k, hgt, wd, pad, padded, ph, pw);
        transformInput(padded, k, ph, pw, th, tw, v, vs, tl, j * tilesPerImage);
      }
      if (tl > t) {
        for (let xi = 0; xi < 16; xi++) for (let ki = 0; ki < k; ki++) v[xi * vs + ki * tl + t] = 0;
      }
      const panels = (mr + 3) >> 2;
      const chunks = Math.max(1, Math.min(ROW_CHUNKS, panels, Math.floor((mr * tl * k) / MIN_TICKET_MADDS)));
      const per = Math.ceil(panels / chunks) * 4;
      const realChunks = Math.ceil(mr / per);
      const tickets = 16 * realChunks;
      j0.mr = mr; j0.tl = tl; j0.us = us; j0.vs = vs; j0.rs = rs; j0.per = per; j0.chunks = realChunks;
      jobParams[0] = mr; jobParams[1] = tl; jobParams[2] = k; jobParams[3] = us; jobParams[4] = vs;
      jobParams[5] = rs; jobParams[6] = uLength; jobParams[7] = per; jobParams[8] = realChunks; jobParams[9] = 16;
      took.fill(0, 0, tickets);
      h.post(JobKind.winograd, jobParams, tickets);
      for (let tk = h.take(); tk >= 0; tk = h.take()) {
        took[tk] = 1;
        engineTicket(tk);
        h.collect(took, fromHelper);
      }
      h.settle(took, ticketPatienceMs(per * tl * k), fromHelper, engineTicket);
      for (let j = 0; j < count; j++) {
        transformOutput(r, rs, mr, tl, j * tilesPerImage, th, tw, oh, ow, dst, dstOff + (n0 + j) * dstImage + m0 * oh * ow);
      }
    }
  }
  j0.u = j0.v = j0.r = j0.d = none;
  return true;
}

// Note: with few tiles per product (ResNet-18's layer3 at 4×4: 8), U is most of the data (each element of
// U meets only tl columns of V) and its transform a large part of the time (~1/6 on one thread); sharing U
// between the cores then cost more than the helper saved (measured: layer3's forward 4.7 → 4.8 ms, the
// filter transform 2× slower once the helper had read the previous block's U). So for those shapes the
// tickets are blocks of rows with all 16 products: each thread transforms its rows' filters into its own
// U (the helper from a copy of W in the shared data, TypedArray.set, W's element type) and multiplies them
// by the shared V. The transforms are the same arithmetic on the same values, so U and R are bit for bit
// the one-thread ones.

/**
 * Winograd products of at most this many tiles take the tickets of rows (winogradByRows). Measured, one
 * thread → two (ms): 8 tiles × 256 channels 6.5 → 3.5 by rows (4.7 → 4.8 by products); 32 tiles × 128
 * channels 4.4 → 2.8 by rows, → 3.1 by products; 64 tiles × 64 channels 2.05 → 1.6 by rows, → 1.5 by
 * products.
 */
const ROWS_MAX_TILES = 32;

const uPrivate = new Scratch();
const rjob: {
  m: number; k: number; tl: number; vs: number; rs: number; per: number; flip: boolean;
  w: FloatArray; wOff: number; wM: number; wK: number; v: Float64Array; r: Float64Array; d: Float64Array;
} = { m: 0, k: 0, tl: 0, vs: 0, rs: 0, per: 0, flip: false, w: none, wOff: 0, wM: 0, wK: 0, v: none, r: none, d: none };

function winogradByRows(
  h: HelperChannel, batch: number, m: number, k: number, hgt: number, wd: number, pad: number,
  src: FloatArray, srcOff: number, srcImage: number,
  w: FloatArray, wOff: number, wM: number, wK: number, flip: boolean,
  dst: FloatArray, dstOff: number, dstImage: number, chunk: number,
): boolean {
  const oh = hgt + 2 * pad - 2;
  const ow = wd + 2 * pad - 2;
  const th = (oh + 1) >> 1;
  const tw = (ow + 1) >> 1;
  const tilesPerImage = th * tw;
  const maxT = chunk * tilesPerImage + 1;
  const f32 = w instanceof Float32Array;
  const wLength = m * k * 9;
  const wDoubles = f32 ? Math.ceil(wLength / 2) : wLength;
  const vOff = wDoubles + (wDoubles & 1);
  const vLength = 16 * (k * maxT + SKEW);
  const mPad = (m + 3) & ~3;
  if (vOff + vLength > SHARED_OUT || 16 * (mPad * maxT + SKEW) > SHARED_LENGTH - SHARED_OUT) return false;
  if (!((wK === 9 && wM === 9 * k) || wM === 9)) return false;
  h.wake();
  const d = h.data;
  // W as it is, rows of 9·k (the forward) or k runs of 9·m (the input gradient: wK' = 9·m).
  const to = f32 ? h.data32 : d;
  let wKc = wK;
  if (wK === 9) to.set(w.subarray(wOff, wOff + wLength), 0);
  else {
    wKc = 9 * m;
    for (let ki = 0; ki < k; ki++) to.set(w.subarray(wOff + ki * wK, wOff + ki * wK + 9 * m), ki * wKc);
  }
  const v = d.subarray(vOff, vOff + vLength);
  const r = rScratch.get(16 * (mPad * maxT + SKEW));
  const ph = 2 * th + 2;
  const pw = 2 * tw + 2;
  const padded = padScratch.get(k * ph * pw);
  padded.fill(0, 0, k * ph * pw);
  const j = rjob;
  j.m = m; j.k = k; j.flip = flip; j.w = w; j.wOff = wOff; j.wM = wM; j.wK = wK; j.v = v; j.r = r; j.d = d;
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const t = count * tilesPerImage;
    const tl = t + (t & 1);
    const vs = k * tl + SKEW;
    const rs = mPad * tl + SKEW;
    if (n0 > 0) h.wake();
    for (let i = 0; i < count; i++) {
      copyPadded(src, srcOff + (n0 + i) * srcImage, k, hgt, wd, pad, padded, ph, pw);
      transformInput(padded, k, ph, pw, th, tw, v, vs, tl, i * tilesPerImage);
    }
    if (tl > t) {
      for (let xi = 0; xi < 16; xi++) for (let ki = 0; ki < k; ki++) v[xi * vs + ki * tl + t] = 0;
    }
    const panels = mPad >> 2;
    const perPanels = Math.max(Math.ceil(panels / 48), Math.ceil(MIN_TICKET_MADDS / (4 * 16 * tl * k)));
    const per = perPanels * 4;
    const tickets = Math.ceil(m / per);
    j.tl = tl; j.vs = vs; j.rs = rs; j.per = per;
    if (tickets < 2) {
      for (let tk = 0; tk < tickets; tk++) rowsTicket(tk);
    } else {
      jobParams[0] = -1; jobParams[1] = tl; jobParams[2] = k; jobParams[3] = m; jobParams[4] = vs;
      jobParams[5] = rs; jobParams[6] = vOff; jobParams[7] = per; jobParams[8] = (f32 ? 2 : 0) | (flip ? 1 : 0);
      jobParams[9] = wM; jobParams[10] = wKc;
      took.fill(0, 0, tickets);
      h.post(JobKind.winograd, jobParams, tickets);
      for (let tk = h.take(); tk >= 0; tk = h.take()) {
        took[tk] = 1;
        rowsTicket(tk);
        h.collect(took, rowsFromHelper);
      }
      h.settle(took, ticketPatienceMs(per * 16 * tl * k), rowsFromHelper, rowsTicket);
    }
    for (let i = 0; i < count; i++) {
      transformOutput(r, rs, m, tl, i * tilesPerImage, th, tw, oh, ow, dst, dstOff + (n0 + i) * dstImage);
    }
  }
  j.w = j.v = j.r = j.d = none;
  return true;
}

/** Rows r0 … r0 + rows of all 16 products: their filters into a private U, times V, into R at `out`. */
function rowsProducts(
  r0: number, rows: number, k: number, tl: number, w: FloatArray, wOff: number, wM: number, wK: number, flip: boolean,
  v: Float64Array, vOff: number, vs: number, out: Float64Array, outOff: number, rs: number,
): void {
  const us = rows * k + SKEW;
  const u = uPrivate.get(16 * us);
  transformFilters(rows, k, w, wOff + r0 * wM, wM, wK, flip, u, us);
  for (let xi = 0; xi < 16; xi++) gemmInPlace(rows, tl, k, u, xi * us, k, v, vOff + xi * vs, tl, out, outOff + xi * rs + r0 * tl, tl);
}

function rowsTicket(tk: number): void {
  const j = rjob;
  const r0 = tk * j.per;
  rowsProducts(r0, Math.min(j.per, j.m - r0), j.k, j.tl, j.w, j.wOff, j.wM, j.wK, j.flip, j.v, 0, j.vs, j.r, 0, j.rs);
}

function rowsFromHelper(tk: number): void {
  const j = rjob;
  const r0 = tk * j.per;
  const r1 = Math.min(j.m, r0 + j.per);
  for (let xi = 0; xi < 16; xi++) {
    const at = xi * j.rs + r0 * j.tl;
    j.r.set(j.d.subarray(SHARED_OUT + at, SHARED_OUT + xi * j.rs + r1 * j.tl), at);
  }
}

/** The helper's ticket of a Winograd job by rows (params[0] = −1; see winogradByRows). */
function helperRowsTicket(job: HelperJob, tk: number): number {
  const p = job.params;
  const tl = p[1], k = p[2], m = p[3], vs = p[4], rs = p[5], vOff = p[6], per = p[7], flags = p[8], wM = p[9], wK = p[10];
  const r0 = tk * per;
  const rows = Math.min(per, m - r0);
  if (rows <= 0 || SHARED_OUT + 15 * rs + (r0 + ((rows + 3) & ~3)) * tl > job.data.length) return 0;
  rowsProducts(r0, rows, k, tl, flags & 2 ? job.data32 : job.data, 0, wM, wK, (flags & 1) !== 0, job.data, vOff, vs, job.data, SHARED_OUT, rs);
  return 16 * ((rows + 3) >> 2) * (tl >> 2);
}

/** Ticket tk of the block on the engine: rows of one product into R. */
function engineTicket(tk: number): void {
  const j = wjob;
  const xi = (tk / j.chunks) | 0;
  const r0 = (tk - xi * j.chunks) * j.per;
  const rows = Math.min(j.per, j.mr - r0);
  gemmInPlace(rows, j.tl, j.k, j.u, xi * j.us + r0 * j.k, j.k, j.v, xi * j.vs, j.tl, j.r, xi * j.rs + r0 * j.tl, j.tl);
}

/** Ticket tk done by the helper: its rows of R, from above SHARED_OUT. */
function fromHelper(tk: number): void {
  const j = wjob;
  const xi = (tk / j.chunks) | 0;
  const r0 = (tk - xi * j.chunks) * j.per;
  const r1 = Math.min(j.mr, r0 + j.per);
  const at = xi * j.rs + r0 * j.tl;
  j.r.set(j.d.subarray(SHARED_OUT + at, SHARED_OUT + xi * j.rs + r1 * j.tl), at);
}

/**
 * The helper's ticket of a Winograd job: rows of one product, U and V from the shared inputs, into the
 * layout of R above SHARED_OUT. Params: mr, tl, k, us, vs, rs, V's offset, rows per ticket, tickets per ξ,
 * products (16 for F(2×2, 3×3), 49 for F(4×4, 4×4)).
 */
export function winogradTicket(job: HelperJob, tk: number): number {
  const p = job.params;
  if (p[0] === -1) return helperRowsTicket(job, tk);
  const mr = p[0], tl = p[1], k = p[2], us = p[3], vs = p[4], rs = p[5], vOff = p[6], per = p[7], chunks = p[8], products = p[9];
  const xi = (tk / chunks) | 0;
  const r0 = (tk - xi * chunks) * per;
  const rows = Math.min(per, mr - r0);
  if (rows <= 0 || xi >= products || products > 49) return 0;
  const end = SHARED_OUT + xi * rs + (r0 + ((rows + 3) & ~3)) * tl;
  if (end > job.data.length) return 0;
  const d = job.data;
  gemmInPlace(rows, tl, k, d, xi * us + r0 * k, k, d, vOff + xi * vs, tl, d, SHARED_OUT + xi * rs + r0 * tl, tl);
  return ((rows + 3) >> 2) * (tl >> 2);
}

// ---- Winograd F(4×4, 4×4) for the input gradient of stride-2 convolutions (ResNet's 7×7 stem) ----
//
// Note: the input gradient of a stride-2 convolution splits by the parity (a, b) of the input position
// (the polyphase form): gx[2i + a, 2j + b] = Σ_{u,v} f_ab[u, v] · gy[i + e0 + u, j + e0' + v], a
// stride-1 correlation of gy with the sub-filter f_ab[u, v] = w[a + pad − 2(u + e0), b + pad' − 2(v + e0')]
// (0 where that tap is outside the kernel). For a 7×7 kernel with padding 3, e0 = −1 and every parity's
// taps fit a 4×4 window of gy (3 or 4 taps per axis), so all four parities read the same windows of gy:
// one input transform serves the four, and each product has 4·C rows (the (parity, channel) pairs;
// 12 for RGB, three full 4-row panels). With F(4×4, 4×4) (Toom-Cook points ±1, ±2, ±½, ∞) a 4×4
// output tile costs 49 multiplies per (row, gy channel) pair, against 196 for the im2col gemm (49 taps
// × 4 outputs): ResNet-18's stem at 64×64, batch 2, goes from 19.3M to 4.8M multiply-adds, plus the
// transforms (the input one, O(OC·tiles), is shared by the 4·C rows). Measured there (one thread):
// im2col ~8.2 ms; here ~3.3 ms, of which the 49 products ~2.2, the input transform ~1.0. As in
// F(2×2, 3×3) above, every transform and product is in float64 and the result rounded once when
// written; the transforms' larger constants (up to 8) cost a few float64 ulps, far below float32's
// (tests: within half a float32 ulp of the exact sum on the stem). With a helper thread the 49 products
// go out as Winograd tickets of the first kind (one per product, U and V in the shared data), bit for
// bit as on one thread; the transforms stay on the engine.

/** Toom-Cook points of F(4, 4) (and ∞): symmetric, so that Bᵀ's and Aᵀ's rows pair up (see bt7, at7). */
const P4 = [1, -1, 2, -2, 0.5, -0.5];
const N4 = 7;
/** G (7×4), row-major: G[j, k] = p_j^k / Π_{l≠j} (p_j − p_l), and [0 0 0 1] for ∞. */
const G4 = new Float64Array(N4 * 4);
{
  for (let j = 0; j < P4.length; j++) {
    let d = 1;
    for (let l = 0; l < P4.length; l++) if (l !== j) d *= P4[j] - P4[l];
    for (let k = 0; k < 4; k++) G4[j * 4 + k] = P4[j] ** k / d;
  }
  G4[6 * 4 + 3] = 1;
}

/**
 * dst[d + j·dStep] = (Bᵀ x)[j] for x[i] = src[s + i·step], i < 7. Bᵀ's rows are the coefficients of
 * Π_{l≠j} (x − p_l) (and of Π_l (x − p_l) for ∞); for the points ±p the two rows are even ± odd parts.
 */
function bt7(src: Float64Array, s: number, step: number, dst: Float64Array, d: number, dStep: number): void {
  const x0 = src[s], x1 = src[s + step], x2 = src[s + 2 * step], x3 = src[s + 3 * step];
  const x4 = src[s + 4 * step], x5 = src[s + 5 * step], x6 = src[s + 6 * step];
  const e1 = x0 + x4 - 4.25 * x2, o1 = x1 + x5 - 4.25 * x3;
  const e2 = 0.5 * x0 - 2.5 * x2 + 2 * x4, o2 = 0.25 * x1 - 1.25 * x3 + x5;
  const e3 = 2 * x0 - 2.5 * x2 + 0.5 * x4, o3 = 4 * x1 - 5 * x3 + x5;
  dst[d] = o1 + e1;
  dst[d + dStep] = o1 - e1;
  dst[d + 2 * dStep] = o2 + e2;
  dst[d + 3 * dStep] = o2 - e2;
  dst[d + 4 * dStep] = o3 + e3;
  dst[d + 5 * dStep] = o3 - e3;
  dst[d + 6 * dStep] = x6 - x0 + 5.25 * (x2 - x4);
}

/**
 * The first gy offset e0 of the window along one axis (e0 ≤ 0), or null when the offsets of the taps
 * (e0 … e1 over both parities) do not fit 4 or start after the position.
 */
export function stride2Window(kernel: number, pad: number): number | null {
  const e0 = Math.ceil((pad - kernel + 1) / 2);
  const e1 = Math.floor((1 + pad) / 2);
  return e0 <= 0 && e1 - e0 <= 3 ? e0 : null;
}

const s1Scratch = new Scratch();
const filterTmp = new Float64Array(N4 * 4);
const tileZ = new Float64Array(4 * N4);
/** Tiles per product: whole images while they fit, else bands of tile rows … */
const S2_TILE_COLUMNS = 256;
/** … and U, V and R each at most about this many float64s (conv2dAlgorithm keeps U and one row of tiles within it). */
export const S2_MAX_ELEMENTS = 1 << 20;

/**
 * gx[img, c, H, W] (overwritten) = the input gradient of a stride-2, undilated convolution whose taps
 * fit 4×4 windows of gy (see stride2Window and the note above), for `batch` images of one group:
 * gy image i's channel o plane at gyOff + i·gyImage + o·OH·OW, the filter tap (kh, kw) of (o, c) at
 * w[wOff + o·wO + c·wC + kh·KW + kw], gx image i's channel c plane at gxOff + i·gxImage + c·H·W.
 * Products cover several images, or bands of tile rows of one (large images), S2_TILE_COLUMNS tiles at most.
 */
export function winogradStride2Input(
  batch: number, cg: number, k: number, hgt: number, wd: number, oh: number, ow: number,
  kh: number, kw: number, padH: number, padW: number,
  gy: FloatArray, gyOff: number, gyImage: number,
  w: FloatArray, wOff: number, wO: number, wC: number,
  gx: FloatArray, gxOff: number, gxImage: number,
): void {
  const e0h = stride2Window(kh, padH)!, e0w = stride2Window(kw, padW)!;
  const m = 4 * cg;
  const mPad = (m + 3) & ~3;
  const th = Math.ceil(Math.ceil(hgt / 2) / 4), tw = Math.ceil(Math.ceil(wd / 2) / 4);
  const columns = Math.max(2, Math.min(S2_TILE_COLUMNS, Math.floor(S2_MAX_ELEMENTS / (49 * Math.max(mPad, k)))));
  const band = Math.min(th, Math.max(1, Math.floor(columns / tw)));
  const chunk = band < th ? 1 : Math.max(1, Math.min(batch, Math.floor(columns / (th * tw))));
  const maxT = chunk * band * tw + 1;
  const us = m * k + SKEW;
  const maxVs = k * maxT + SKEW;
  const r = rScratch.get(49 * (mPad * maxT + SKEW));
  const pw = 4 * tw + 3;
  const padded = padScratch.get((4 * band + 3) * pw);
  const s1 = s1Scratch.get(N4 * pw);
  // Two threads share the 49 products (see winogradParallel): U and V then live in the shared data.
  let h = 49 * m * k * Math.min(maxT - 1, chunk * th * tw) >= PARALLEL_MIN_MADDS ? activeChannel() : null;
  if (h !== null && (49 * (us + maxVs) > SHARED_OUT || SHARED_OUT + 49 * (mPad * maxT + SKEW) > SHARED_LENGTH)) h = null;
  if (h !== null) h.wake(); // its wake-up (~0.1 ms when it sleeps) overlaps the transforms
  const u = h !== null ? h.data.subarray(0, 49 * us) : uScratch.get(49 * us);
  const v = h !== null ? h.data.subarray(49 * us, 49 * (us + maxVs)) : vScratch.get(49 * maxVs);
  transformFilters4(cg, k, kh, kw, padH, padW, e0h, e0w, w, wOff, wO, wC, u, us);
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    for (let ty0 = 0; ty0 < th; ty0 += band) {
      const rows = Math.min(band, th - ty0);
      const perImage = rows * tw;
      const t = count * perImage;
      const tl = t + (t & 1);
      const vs = k * tl + SKEW;
      const rs = mPad * tl + SKEW;
      if (h !== null && (n0 > 0 || ty0 > 0)) h.wake();
      // The band's rows of the zero-bordered window grid: gy row y at grid row y − e0 − 4·ty0.
      const y0 = Math.max(0, 4 * ty0 + e0h), y1 = Math.min(oh, 4 * (ty0 + rows) + 3 + e0h);
      const xEnd = Math.min(ow, pw + e0w);
      padded.fill(0, 0, (4 * rows + 3) * pw);
      for (let j = 0; j < count; j++) {
        for (let o = 0; o < k; o++) {
          const src = gyOff + (n0 + j) * gyImage + o * oh * ow;
          for (let y = y0; y < y1; y++) {
            const d = (y - e0h - 4 * ty0) * pw - e0w, sy = src + y * ow;
            for (let x = 0; x < xEnd; x++) padded[d + x] = gy[sy + x];
          }
          transformInput4(padded, rows, tw, pw, s1, v, vs, o * tl + j * perImage);
        }
      }
      if (tl > t) for (let xi = 0; xi < 49; xi++) for (let o = 0; o < k; o++) v[xi * vs + o * tl + t] = 0;
      if (h !== null) productsParallel(h, m, tl, k, u, us, v, 49 * us, vs, r, rs);
      else for (let xi = 0; xi < 49; xi++) gemmInPlace(m, tl, k, u, xi * us, k, v, xi * vs, tl, r, xi * rs, tl);
      for (let j = 0; j < count; j++) {
        transformOutput4(r, rs, cg, tl, j * perImage, ty0, rows, tw, hgt, wd, gx, gxOff + (n0 + j) * gxImage);
      }
    }
  }
}

/**
 * R[ξ] = U[ξ]·V[ξ] for the 49 products on two threads: one ticket per product (rows in blocks when
 * there are few products per ticket limit), computed with the same gemmInPlace as one thread, the
 * helper's into the layout of R above SHARED_OUT (see winogradTicket), copied into R when collected.
 */
function productsParallel(
  h: HelperChannel, m: number, tl: number, k: number, u: Float64Array, us: number, v: Float64Array, vOff: number, vs: number,
  r: Float64Array, rs: number,
): void {
  const panels = (m + 3) >> 2;
  const chunks = Math.max(1, Math.min(Math.floor(MAX_TICKETS / 49), panels, Math.floor((m * tl * k) / MIN_TICKET_MADDS)));
  const per = Math.ceil(panels / chunks) * 4;
  const realChunks = Math.ceil(m / per);
  const tickets = 49 * realChunks;
  const j0 = wjob;
  j0.u = u; j0.v = v; j0.r = r; j0.d = h.data; j0.k = k;
  j0.mr = m; j0.tl = tl; j0.us = us; j0.vs = vs; j0.rs = rs; j0.per = per; j0.chunks = realChunks;
  jobParams[0] = m; jobParams[1] = tl; jobParams[2] = k; jobParams[3] = us; jobParams[4] = vs;
  jobParams[5] = rs; jobParams[6] = vOff; jobParams[7] = per; jobParams[8] = realChunks; jobParams[9] = 49;
  took.fill(0, 0, tickets);
  h.post(JobKind.winograd, jobParams, tickets);
  for (let tk = h.take(); tk >= 0; tk = h.take()) {
    took[tk] = 1;
    engineTicket(tk);
    h.collect(took, fromHelper);
  }
  h.settle(took, ticketPatienceMs(per * tl * k), fromHelper, engineTicket);
  j0.u = j0.v = j0.r = j0.d = none;
}

/** u[ξ·us + row·k + o] = (G f Gᵀ)[ξ] for row = (2a + b)·cg + c and gy channel o (f the parity's sub-filter). */
function transformFilters4(
  cg: number, k: number, kh: number, kw: number, padH: number, padW: number, e0h: number, e0w: number,
  w: FloatArray, wOff: number, wO: number, wC: number, u: Float64Array, us: number,
): void {
  const tmp = filterTmp;
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < cg; c++) {
        const row = ((2 * a + b) * cg + c) * k;
        for (let o = 0; o < k; o++) {
          const base = wOff + o * wO + c * wC;
          // tmp[j·4 + v] = Σ_u G[j, u] f[u, v]
          tmp.fill(0);
          for (let uu = 0; uu < 4; uu++) {
            const ih = a + padH - 2 * (uu + e0h);
            if (ih < 0 || ih >= kh) continue;
            for (let vv = 0; vv < 4; vv++) {
              const iw = b + padW - 2 * (vv + e0w);
              if (iw < 0 || iw >= kw) continue;
              const f = w[base + ih * kw + iw];
              for (let j = 0; j < N4; j++) tmp[j * 4 + vv] += G4[j * 4 + uu] * f;
            }
          }
          for (let j = 0; j < N4; j++) {
            const t0 = tmp[j * 4], t1 = tmp[j * 4 + 1], t2 = tmp[j * 4 + 2], t3 = tmp[j * 4 + 3];
            for (let l = 0; l < N4; l++) {
              u[(j * N4 + l) * us + row + o] = t0 * G4[l * 4] + t1 * G4[l * 4 + 1] + t2 * G4[l * 4 + 2] + t3 * G4[l * 4 + 3];
            }
          }
        }
      }
    }
  }
}

/**
 * v[ξ·vs + at + ty·tw + tx] = (Bᵀ d B)[ξ] for the 7×7 window d of `padded` at (4·ty, 4·tx): each
 * grid column of a row of windows along y first (shared by the windows that overlap it, into s1), then
 * each window's rows along x.
 */
function transformInput4(padded: Float64Array, th: number, tw: number, pw: number, s1: Float64Array, v: Float64Array, vs: number, at: number): void {
  const vRow = N4 * vs;
  for (let ty = 0; ty < th; ty++) {
    const top = 4 * ty * pw;
    for (let x = 0; x < pw; x++) bt7(padded, top + x, pw, s1, x, pw);
    for (let tx = 0; tx < tw; tx++) {
      const col = at + ty * tw + tx;
      for (let jy = 0; jy < N4; jy++) bt7(s1, jy * pw + 4 * tx, 1, v, jy * vRow + col, vs);
    }
  }
}

/**
 * gx[off + c·H·W + (2(4·(ty0 + ty) + i) + a)·W + 2(4tx + j) + b] = (Aᵀ R A)[i, j] for row (2a + b)·cg + c
 * and the band's tile rows ty < th, where in the image.
 */
function transformOutput4(
  r: Float64Array, rs: number, cg: number, tl: number, t0: number, ty0: number, th: number, tw: number, hgt: number, wd: number,
  gx: FloatArray, off: number,
): void {
  const z = tileZ;
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < cg; c++) {
        const row = (2 * a + b) * cg + c;
        const plane = off + c * hgt * wd;
        for (let ty = 0; ty < th; ty++) {
          const rows = Math.min(4, ((hgt - a + 1) >> 1) - 4 * (ty0 + ty));
          if (rows <= 0) continue;
          for (let tx = 0; tx < tw; tx++) {
            // The last tile column of parity 1 can be wholly outside an odd-width image.
            const cols = Math.min(4, ((wd - b + 1) >> 1) - 4 * tx);
            if (cols <= 0) continue;
            const at = row * tl + t0 + ty * tw + tx;
            // Along y: z[i·7 + jx] = (Aᵀ R)[i, jx].
            for (let jx = 0; jx < N4; jx++) at7(r, at + jx * rs, N4 * rs, z, jx, N4);
            const x0 = 2 * 4 * tx + b;
            for (let i = 0; i < rows; i++) {
              const o = plane + (2 * (4 * (ty0 + ty) + i) + a) * wd + x0;
              const q = i * N4;
              const s0 = z[q] + z[q + 1], d0 = z[q] - z[q + 1];
              const s1 = z[q + 2] + z[q + 3], d1 = z[q + 2] - z[q + 3];
              const s2 = z[q + 4] + z[q + 5], d2 = z[q + 4] - z[q + 5];
              gx[o] = s0 + s1 + s2;
              if (cols > 1) gx[o + 2] = d0 + 2 * d1 + 0.5 * d2;
              if (cols > 2) gx[o + 4] = s0 + 4 * s1 + 0.25 * s2;
              if (cols > 3) gx[o + 6] = d0 + 8 * d1 + 0.125 * d2 + z[q + 6];
            }
          }
        }
      }
    }
  }
}

/** dst[d + i·dStep] = (Aᵀ x)[i] for x[j] = src[s + j·step], j < 7: Aᵀ[i, j] = p_j^i, and [0 0 0 1] for ∞. */
function at7(src: Float64Array, s: number, step: number, dst: Float64Array, d: number, dStep: number): void {
  const x0 = src[s], x1 = src[s + step], x2 = src[s + 2 * step], x3 = src[s + 3 * step];
  const x4 = src[s + 4 * step], x5 = src[s + 5 * step], x6 = src[s + 6 * step];
  const s0 = x0 + x1, d0 = x0 - x1, s1 = x2 + x3, d1 = x2 - x3, s2 = x4 + x5, d2 = x4 - x5;
  dst[d] = s0 + s1 + s2;
  dst[d + dStep] = d0 + 2 * d1 + 0.5 * d2;
  dst[d + 2 * dStep] = s0 + 4 * s1 + 0.25 * s2;
  dst[d + 3 * dStep] = d0 + 8 * d1 + 0.125 * d2 + x6;
}
