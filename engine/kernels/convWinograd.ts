// Winograd F(2×2, 3×3) for 3×3, stride-1, undilated convolutions: each 2×2 output tile costs 16
// multiplies per (input, output) channel pair instead of 36, so the gemm work is 2.25× smaller.
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

import { type FloatArray, Scratch } from './types';
import { gemmInPlace } from './convTap';

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
  batch: number, m: number, k: number, h: number, wd: number, pad: number,
  src: FloatArray, srcOff: number, srcImage: number,
  w: FloatArray, wOff: number, wM: number, wK: number, flip: boolean,
  dst: FloatArray, dstOff: number, dstImage: number,
): void {
  const oh = h + 2 * pad - 2;
  const ow = wd + 2 * pad - 2;
  const th = (oh + 1) >> 1;
  const tw = (ow + 1) >> 1;
  const tilesPerImage = th * tw;
  const chunk = Math.max(1, Math.min(batch, Math.floor(TILE_COLUMNS / tilesPerImage)));
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
        copyPadded(src, srcOff + (n0 + j) * srcImage, k, h, wd, pad, padded, ph, pw);
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
