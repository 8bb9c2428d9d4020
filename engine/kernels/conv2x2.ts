// 3×3 convolutions with stride 1 and padding 1 on 2×2 maps: all three passes, written out.
//
// Note: why a kernel for one geometry. ResNets meet it in their last stage at low resolution (layer4 of
// ResNet-18 on a 64×64 image, layer3 on 32×32), and there every general path is poor: each weight
// W[oc, c, t] meets only 1 to 4 of the map's positions (16 (position, position) pairs per channel pair,
// 1.8 multiply-adds per weight read), so the passes stream 9.4 MB of weights (512→512) for little
// arithmetic. im2col multiplies padding zeros (56% of its work); the tap-wise products (./convTap) skip
// them but still walk W once per tap with a stride of 9 (forward) or C·9 (input gradient: a stride that
// maps W's rows onto a few cache sets). Here every pass reads W once, in order, one channel pair's nine
// weights at a time, and does that pair's 16 products in registers with the map written out:
//   forward         y[o, q]  += Σ_p W[o, c, t(p, q)] · x[c, p]   (4 sums per o held in registers)
//   input gradient  gx[c, p] += Σ_q W[o, c, t(p, q)] · gy[o, q]  (a rank update of a C×4 float64 accumulator,
//                                                                  two output channels per pass over it)
//   weight gradient gW[o, c, t] = Σ_n Σ_{p, q: t(p, q) = t} gy[n, o, q] · x[n, c, p]
// with p, q ∈ {(0,0), (0,1), (1,0), (1,1)} (row-major 0…3) and t(p, q) = (p_y − q_y + 1)·3 + (p_x − q_x + 1),
// the tap of W that joins input position p to output position q (every pair is in range on a 2×2 map).
// Measured on the 2-core box against the general paths (the tap path; Winograd from 8 images), 512→512,
// same process: one image, forward 2.8 → 1.5 ms, input gradient 3.2 → 1.8 ms, weight gradient 5.4 → 2.9 ms;
// 1.3-2.4× faster up to 64 images.
// Sums are float64 and rounded once, as on the other paths; only their order differs (products are exact in
// float64 for float32 operands, so results differ from the general paths only where float64 rounding
// flips a float32 one, which the tests allow for). No transforms, so infinities and NaNs propagate as
// the direct sum's do.

import { type FloatArray, Scratch } from './types';

/** The shape this file handles, per group: `cg` input channels, `ocg` output channels. */
export interface Conv2x2Shape {
  batch: number;
  inChannels: number;
  outChannels: number;
  groups: number;
}

const xScratch = new Scratch();
const gScratch = new Scratch();
const accScratch = new Scratch();
const pairScratch = new Scratch();

/** Copies `count` floats to a float64 scratch (the inner loops then read one element type). */
function toFloat64(src: FloatArray, scratch: Scratch, count: number): Float64Array {
  const out = scratch.get(count);
  for (let i = 0; i < count; i++) out[i] = src[i];
  return out;
}

/** y[N, OC, 2, 2] = conv2d(x[N, C, 2, 2], w[OC, C/groups, 3, 3], stride 1, padding 1). Overwrites y. */
export function conv2x2Forward(x: FloatArray, w: FloatArray, y: FloatArray, s: Conv2x2Shape): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  const cg = c / groups, ocg = oc / groups;
  const xd = toFloat64(x, xScratch, batch * c * 4);
  // One image per pass over W: with two (8 sums, 8 inputs, 9 weights live) V8 spills, measured 18% slower.
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < groups; g++) {
      const x0 = (n * c + g * cg) * 4, xEnd = x0 + cg * 4;
      for (let o = g * ocg; o < (g + 1) * ocg; o++) {
        let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
        let wo = o * cg * 9;
        for (let xi = x0; xi < xEnd; xi += 4, wo += 9) {
          const p0 = xd[xi], p1 = xd[xi + 1], p2 = xd[xi + 2], p3 = xd[xi + 3];
          const w0 = w[wo], w1 = w[wo + 1], w2 = w[wo + 2], w3 = w[wo + 3], w4 = w[wo + 4];
          const w5 = w[wo + 5], w6 = w[wo + 6], w7 = w[wo + 7], w8 = w[wo + 8];
          y0 += w4 * p0 + w5 * p1 + w7 * p2 + w8 * p3;
          y1 += w3 * p0 + w4 * p1 + w6 * p2 + w7 * p3;
          y2 += w1 * p0 + w2 * p1 + w4 * p2 + w5 * p3;
          y3 += w0 * p0 + w1 * p1 + w3 * p2 + w4 * p3;
        }
        const yo = (n * oc + o) * 4;
        y[yo] = y0; y[yo + 1] = y1; y[yo + 2] = y2; y[yo + 3] = y3;
      }
    }
  }
}

/** gx[N, C, 2, 2] = the input gradient for gy[N, OC, 2, 2]. Overwrites gx. */
export function conv2x2BackwardInput(gy: FloatArray, w: FloatArray, gx: FloatArray, s: Conv2x2Shape): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  const cg = c / groups, ocg = oc / groups;
  const gd = toFloat64(gy, gScratch, batch * oc * 4);
  const acc = accScratch.get(cg * 4);
  const k = cg * 9;
  let n = 0;
  // Two images per pass over W (one output channel at a time, so that the eight gradients stay in
  // registers): measured 25% faster than one image per pass, two output channels at a time (below).
  for (; n + 1 < batch; n += 2) {
    const acc2 = pairScratch.get(cg * 4);
    for (let g = 0; g < groups; g++) {
      acc.fill(0, 0, cg * 4);
      acc2.fill(0, 0, cg * 4);
      for (let o = g * ocg; o < (g + 1) * ocg; o++) {
        const b = (n * oc + o) * 4, b2 = b + oc * 4;
        const g0 = gd[b], g1 = gd[b + 1], g2 = gd[b + 2], g3 = gd[b + 3];
        const h0 = gd[b2], h1 = gd[b2 + 1], h2 = gd[b2 + 2], h3 = gd[b2 + 3];
        let wo = o * k;
        for (let a = 0; a < cg * 4; a += 4, wo += 9) {
          const w0 = w[wo], w1 = w[wo + 1], w2 = w[wo + 2], w3 = w[wo + 3], w4 = w[wo + 4];
          const w5 = w[wo + 5], w6 = w[wo + 6], w7 = w[wo + 7], w8 = w[wo + 8];
          acc[a] += w4 * g0 + w3 * g1 + w1 * g2 + w0 * g3;
          acc[a + 1] += w5 * g0 + w4 * g1 + w2 * g2 + w1 * g3;
          acc[a + 2] += w7 * g0 + w6 * g1 + w4 * g2 + w3 * g3;
          acc[a + 3] += w8 * g0 + w7 * g1 + w5 * g2 + w4 * g3;
          acc2[a] += w4 * h0 + w3 * h1 + w1 * h2 + w0 * h3;
          acc2[a + 1] += w5 * h0 + w4 * h1 + w2 * h2 + w1 * h3;
          acc2[a + 2] += w7 * h0 + w6 * h1 + w4 * h2 + w3 * h3;
          acc2[a + 3] += w8 * h0 + w7 * h1 + w5 * h2 + w4 * h3;
        }
      }
      const at = (n * c + g * cg) * 4, at2 = at + c * 4;
      for (let i = 0; i < cg * 4; i++) { gx[at + i] = acc[i]; gx[at2 + i] = acc2[i]; }
    }
  }
  for (; n < batch; n++) {
    for (let g = 0; g < groups; g++) {
      acc.fill(0, 0, cg * 4);
      const o0 = g * ocg, oEnd = o0 + ocg;
      let o = o0;
      // Two output channels per pass over the accumulator: half its loads and stores per product.
      for (; o + 1 < oEnd; o += 2) {
        const b = (n * oc + o) * 4;
        const g0 = gd[b], g1 = gd[b + 1], g2 = gd[b + 2], g3 = gd[b + 3];
        const h0 = gd[b + 4], h1 = gd[b + 5], h2 = gd[b + 6], h3 = gd[b + 7];
        let wo = o * k;
        for (let a = 0; a < cg * 4; a += 4, wo += 9) {
          const v = wo + k;
          const w0 = w[wo], w1 = w[wo + 1], w2 = w[wo + 2], w3 = w[wo + 3], w4 = w[wo + 4];
          const w5 = w[wo + 5], w6 = w[wo + 6], w7 = w[wo + 7], w8 = w[wo + 8];
          const v0 = w[v], v1 = w[v + 1], v2 = w[v + 2], v3 = w[v + 3], v4 = w[v + 4];
          const v5 = w[v + 5], v6 = w[v + 6], v7 = w[v + 7], v8 = w[v + 8];
          acc[a] += w4 * g0 + w3 * g1 + w1 * g2 + w0 * g3 + (v4 * h0 + v3 * h1 + v1 * h2 + v0 * h3);
          acc[a + 1] += w5 * g0 + w4 * g1 + w2 * g2 + w1 * g3 + (v5 * h0 + v4 * h1 + v2 * h2 + v1 * h3);
          acc[a + 2] += w7 * g0 + w6 * g1 + w4 * g2 + w3 * g3 + (v7 * h0 + v6 * h1 + v4 * h2 + v3 * h3);
          acc[a + 3] += w8 * g0 + w7 * g1 + w5 * g2 + w4 * g3 + (v8 * h0 + v7 * h1 + v5 * h2 + v4 * h3);
        }
      }
      if (o < oEnd) {
        const b = (n * oc + o) * 4;
        const g0 = gd[b], g1 = gd[b + 1], g2 = gd[b + 2], g3 = gd[b + 3];
        let wo = o * k;
        for (let a = 0; a < cg * 4; a += 4, wo += 9) {
          const w0 = w[wo], w1 = w[wo + 1], w2 = w[wo + 2], w3 = w[wo + 3], w4 = w[wo + 4];
          const w5 = w[wo + 5], w6 = w[wo + 6], w7 = w[wo + 7], w8 = w[wo + 8];
          acc[a] += w4 * g0 + w3 * g1 + w1 * g2 + w0 * g3;
          acc[a + 1] += w5 * g0 + w4 * g1 + w2 * g2 + w1 * g3;
          acc[a + 2] += w7 * g0 + w6 * g1 + w4 * g2 + w3 * g3;
          acc[a + 3] += w8 * g0 + w7 * g1 + w5 * g2 + w4 * g3;
        }
      }
      const at = (n * c + g * cg) * 4;
      for (let i = 0; i < cg * 4; i++) gx[at + i] = acc[i];
    }
  }
}

/**
 * gw[OC, C/groups, 3, 3] = the weight gradient for x[N, C, 2, 2] and gy[N, OC, 2, 2], summed over the
 * batch. Overwrites gw unless `accumulate` (then each element gets its float64 sum added once).
 */
export function conv2x2BackwardWeight(x: FloatArray, gy: FloatArray, gw: FloatArray, s: Conv2x2Shape, accumulate: boolean): void {
  const { batch, inChannels: c, outChannels: oc, groups } = s;
  const cg = c / groups, ocg = oc / groups;
  const xd = toFloat64(x, xScratch, batch * c * 4);
  const gd = toFloat64(gy, gScratch, batch * oc * 4);
  for (let o = 0; o < oc; o++) {
    const g = Math.floor(o / ocg);
    let wo = o * cg * 9;
    for (let ci = 0; ci < cg; ci++, wo += 9) {
      let t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0, t8 = 0;
      for (let n = 0; n < batch; n++) {
        const b = (n * oc + o) * 4, xi = (n * c + g * cg + ci) * 4;
        const q0 = gd[b], q1 = gd[b + 1], q2 = gd[b + 2], q3 = gd[b + 3];
        const p0 = xd[xi], p1 = xd[xi + 1], p2 = xd[xi + 2], p3 = xd[xi + 3];
        // t(p, q) = (p_y − q_y + 1)·3 + (p_x − q_x + 1): the centre tap joins every position to itself,
        // an edge tap two pairs, a corner one.
        t0 += p0 * q3;
        t1 += p0 * q2 + p1 * q3;
        t2 += p1 * q2;
        t3 += p0 * q1 + p2 * q3;
        t4 += p0 * q0 + p1 * q1 + p2 * q2 + p3 * q3;
        t5 += p1 * q0 + p3 * q2;
        t6 += p2 * q1;
        t7 += p2 * q0 + p3 * q1;
        t8 += p3 * q0;
      }
      if (accumulate) {
        gw[wo] += t0; gw[wo + 1] += t1; gw[wo + 2] += t2; gw[wo + 3] += t3; gw[wo + 4] += t4;
        gw[wo + 5] += t5; gw[wo + 6] += t6; gw[wo + 7] += t7; gw[wo + 8] += t8;
      } else {
        gw[wo] = t0; gw[wo + 1] = t1; gw[wo + 2] = t2; gw[wo + 3] = t3; gw[wo + 4] = t4;
        gw[wo + 5] = t5; gw[wo + 6] = t6; gw[wo + 7] = t7; gw[wo + 8] = t8;
      }
    }
  }
}
