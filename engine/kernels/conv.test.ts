import { describe, it, expect } from 'vitest';
import { type Conv2dShape, type Conv2dAlgorithm, conv2dShape, conv2dOutputHW, conv2dForward, conv2dBackwardInput, conv2dBackwardWeight, conv2dBackwardBias, conv2dAlgorithm } from './conv';
import { TOL32, TOL64, TOL_FD, assertClose, numericGrad, randomArray, rng } from './testUtil';

/** Direct float64 conv2d from the definition, plus its exact adjoints (same loops, transposed). */
function refConv(x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null, gy: ArrayLike<number> | null, s: Conv2dShape) {
  const [oh, ow] = conv2dOutputHW(s);
  const { batch, inChannels: c, inH: h, inW: wd, outChannels: oc, kernelH: kh, kernelW: kw, groups } = s;
  const cg = c / groups, ocg = oc / groups;
  const y = new Float64Array(batch * oc * oh * ow);
  const gx = new Float64Array(batch * c * h * wd);
  const gw = new Float64Array(oc * cg * kh * kw);
  const gb = new Float64Array(oc);
  for (let n = 0; n < batch; n++) for (let o = 0; o < oc; o++) {
    const g = Math.floor(o / ocg);
    for (let yo = 0; yo < oh; yo++) for (let xo = 0; xo < ow; xo++) {
      const yi = ((n * oc + o) * oh + yo) * ow + xo;
      let sum = bias ? bias[o] : 0;
      const gyv = gy ? gy[yi] : 0;
      gb[o] += gyv;
      for (let ci = 0; ci < cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const iy = yo * s.strideH - s.padH + i * s.dilationH;
        const ix = xo * s.strideW - s.padW + j * s.dilationW;
        if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
        const xi = ((n * c + g * cg + ci) * h + iy) * wd + ix;
        const wi = ((o * cg + ci) * kh + i) * kw + j;
        sum += x[xi] * w[wi];
        gx[xi] += w[wi] * gyv;
        gw[wi] += x[xi] * gyv;
      }
      y[yi] = sum;
    }
  }
  return { y, gx, gw, gb, oh, ow };
}

const CASES: Conv2dShape[] = [
  conv2dShape({ batch: 1, inChannels: 1, inH: 1, inW: 1, outChannels: 1, kernelH: 1, kernelW: 1 }),
  conv2dShape({ batch: 2, inChannels: 3, inH: 7, inW: 5, outChannels: 5, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  conv2dShape({ batch: 2, inChannels: 3, inH: 7, inW: 5, outChannels: 4, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, padH: 1, padW: 0, dilationH: 1, dilationW: 2 }),
  conv2dShape({ batch: 1, inChannels: 4, inH: 9, inW: 9, outChannels: 6, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1, groups: 2 }),
  conv2dShape({ batch: 2, inChannels: 6, inH: 5, inW: 7, outChannels: 9, kernelH: 1, kernelW: 1, groups: 3 }),
  conv2dShape({ batch: 2, inChannels: 8, inH: 7, inW: 7, outChannels: 16, kernelH: 1, kernelW: 1, strideH: 2, strideW: 2 }),
  // A strided 1×1 kernel (its input gradient stores each column once): uneven strides, groups, dilation.
  conv2dShape({ batch: 3, inChannels: 6, inH: 9, inW: 8, outChannels: 4, kernelH: 1, kernelW: 1, strideH: 3, strideW: 2, dilationH: 2, groups: 2 }),
  conv2dShape({ batch: 1, inChannels: 3, inH: 17, inW: 17, outChannels: 8, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }),
  conv2dShape({ batch: 1, inChannels: 2, inH: 11, inW: 13, outChannels: 3, kernelH: 3, kernelW: 3, padH: 2, padW: 2, dilationH: 2, dilationW: 2 }),
  conv2dShape({ batch: 1, inChannels: 2, inH: 3, inW: 3, outChannels: 3, kernelH: 5, kernelW: 5, padH: 2, padW: 2 }),
  conv2dShape({ batch: 2, inChannels: 4, inH: 6, inW: 5, outChannels: 4, kernelH: 3, kernelW: 3, strideH: 3, strideW: 2, padH: 1, padW: 1, groups: 4 }),
  // OH·OW = 128: two images per gemm, then a last chunk of one.
  conv2dShape({ batch: 3, inChannels: 2, inH: 16, inW: 8, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  // OH·OW = 256: one image per gemm, and the 1×1 kernel reads x directly.
  conv2dShape({ batch: 2, inChannels: 5, inH: 16, inW: 16, outChannels: 6, kernelH: 1, kernelW: 1 }),
  // Large enough for the packed gemm path on every pass.
  conv2dShape({ batch: 2, inChannels: 33, inH: 9, inW: 9, outChannels: 17, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  // 3×3 on 2×2 maps (./conv2x2, every pass): groups with an odd count of output channels per group (the
  // input gradient's last channel goes alone), one channel, and 40→33 over two images.
  conv2dShape({ batch: 3, inChannels: 6, inH: 2, inW: 2, outChannels: 10, kernelH: 3, kernelW: 3, padH: 1, padW: 1, groups: 2 }),
  conv2dShape({ batch: 1, inChannels: 1, inH: 2, inW: 2, outChannels: 1, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  conv2dShape({ batch: 2, inChannels: 40, inH: 2, inW: 2, outChannels: 33, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
];

const describeShape = (s: Conv2dShape) =>
  `N${s.batch} C${s.inChannels} ${s.inH}x${s.inW} → OC${s.outChannels} k${s.kernelH}x${s.kernelW} s${s.strideH},${s.strideW} p${s.padH},${s.padW} d${s.dilationH},${s.dilationW} g${s.groups}`;

describe('conv2d against a direct float64 reference', () => {
  for (const s of CASES) {
    for (const [ctor, tol, label] of [[Float32Array, TOL32, 'float32'], [Float64Array, TOL64, 'float64']] as const) {
      it(`${label} ${describeShape(s)}`, () => {
        const r = rng(s.inChannels * 31 + s.inH * 7 + s.outChannels);
        const [oh, ow] = conv2dOutputHW(s);
        const ckk = (s.inChannels / s.groups) * s.kernelH * s.kernelW;
        const x = randomArray(ctor, s.batch * s.inChannels * s.inH * s.inW, r);
        const w = randomArray(ctor, s.outChannels * ckk, r);
        const b = randomArray(ctor, s.outChannels, r);
        const gy = randomArray(ctor, s.batch * s.outChannels * oh * ow, r);
        const ref = refConv(x, w, b, gy, s);
        const scaled = { rtol: tol.rtol, atol: tol.atol * Math.sqrt(ckk) };
        const y = conv2dForward(x, w, b, null, s);
        expect(y).toBeInstanceOf(ctor);
        assertClose(y, ref.y, scaled, 'forward');
        assertClose(conv2dForward(x, w, null, null, s), refConv(x, w, null, null, s).y, scaled, 'forward without bias');
        // Stale output buffers must be overwritten, not accumulated into.
        const gx = new ctor(x.length).fill(NaN);
        assertClose(conv2dBackwardInput(gy, w, gx, s), ref.gx, scaled, 'grad input');
        const gw = new ctor(w.length).fill(NaN);
        assertClose(conv2dBackwardWeight(x, gy, gw, s), ref.gw, scaled, 'grad weight');
        assertClose(conv2dBackwardWeight(x, gy, Float64Array.from(ref.gw), s, true), ref.gw.map((v) => 2 * v), scaled, 'grad weight accumulated');
        assertClose(conv2dBackwardBias(gy, null, s.batch, s.outChannels, oh * ow), ref.gb, scaled, 'grad bias');
      });
    }
  }
});

// Shapes that select each algorithm of the forward and input-gradient passes, with the edges of each:
// [shape, forward algorithm, input-gradient algorithm].
const ALGORITHM_CASES: [Conv2dShape, Conv2dAlgorithm, Conv2dAlgorithm][] = [
  // Winograd, 8 tiles, 20 output channels.
  [conv2dShape({ batch: 2, inChannels: 16, inH: 4, inW: 4, outChannels: 20, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'winograd', 'winograd'],
  // Odd output sizes (the last tile row and column half outside), 12 tiles.
  [conv2dShape({ batch: 1, inChannels: 32, inH: 5, inW: 7, outChannels: 16, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'winograd', 'winograd'],
  // 9 tiles (an odd count: gemmInPlace's rows get a zero column), 18 output channels.
  [conv2dShape({ batch: 1, inChannels: 16, inH: 5, inW: 5, outChannels: 18, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'winograd', 'winograd'],
  // No padding (the input gradient then pads by 2); 17 and 18 channels: not multiples of 4.
  [conv2dShape({ batch: 3, inChannels: 17, inH: 6, inW: 5, outChannels: 18, kernelH: 3, kernelW: 3 }), 'winograd', 'winograd'],
  // Padding 2 (the input gradient pads by 0).
  [conv2dShape({ batch: 2, inChannels: 16, inH: 3, inW: 3, outChannels: 16, kernelH: 3, kernelW: 3, padH: 2, padW: 2 }), 'winograd', 'winograd'],
  // Groups, and 32 tiles.
  [conv2dShape({ batch: 2, inChannels: 32, inH: 8, inW: 8, outChannels: 32, kernelH: 3, kernelW: 3, padH: 1, padW: 1, groups: 2 }), 'winograd', 'winograd'],
  // 512 input channels: the filter matrices of 160 output channels go in two blocks (128 + 32).
  [conv2dShape({ batch: 2, inChannels: 512, inH: 4, inW: 4, outChannels: 160, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'winograd', 'winograd'],
  // 289 tiles per image: one image per chunk.
  [conv2dShape({ batch: 2, inChannels: 16, inH: 34, inW: 33, outChannels: 16, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'winograd', 'winograd'],
  // Padding 3: Winograd forward, but not for the input gradient (it would need padding −1); 3×3 maps: taps.
  [conv2dShape({ batch: 1, inChannels: 32, inH: 3, inW: 3, outChannels: 32, kernelH: 3, kernelW: 3, padH: 3, padW: 3 }), 'winograd', 'taps'],
  // A 2×3 map: 2 tiles, too few for Winograd; taps, A read in place, 34 output channels (the last row
  // panel re-reads a real row), panels of 2 columns.
  [conv2dShape({ batch: 2, inChannels: 32, inH: 2, inW: 3, outChannels: 34, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'taps', 'taps'],
  // A 2×2 map (ResNet-18's layer4 at 64×64), any channels and batch, even past Winograd's 8 tiles: map2x2.
  [conv2dShape({ batch: 2, inChannels: 32, inH: 2, inW: 2, outChannels: 34, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'map2x2', 'map2x2'],
  [conv2dShape({ batch: 9, inChannels: 16, inH: 2, inW: 2, outChannels: 17, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'map2x2', 'map2x2'],
  // … but not with another padding, stride or dilation.
  [conv2dShape({ batch: 1, inChannels: 32, inH: 2, inW: 2, outChannels: 32, kernelH: 3, kernelW: 3, padH: 2, padW: 2 }), 'taps', 'taps'],
  // Stride 2 on a small map, 8 images: enough columns per tap to pack A.
  [conv2dShape({ batch: 8, inChannels: 33, inH: 5, inW: 5, outChannels: 35, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }), 'taps', 'taps'],
  // Dilation, a 5×5 kernel, groups.
  [conv2dShape({ batch: 2, inChannels: 64, inH: 3, inW: 4, outChannels: 64, kernelH: 3, kernelW: 3, padH: 2, padW: 2, dilationH: 2, dilationW: 2, groups: 2 }), 'taps', 'taps'],
  [conv2dShape({ batch: 1, inChannels: 33, inH: 3, inW: 3, outChannels: 40, kernelH: 5, kernelW: 5, padH: 2, padW: 2 }), 'taps', 'taps'],
  // Too few channels to sum over for taps (forward: 16) or for Winograd (15): im2col.
  [conv2dShape({ batch: 2, inChannels: 16, inH: 2, inW: 3, outChannels: 40, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'im2col', 'taps'],
  [conv2dShape({ batch: 2, inChannels: 15, inH: 8, inW: 8, outChannels: 16, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }), 'im2col', 'im2col'],
  // ResNet-18's layer2 stride-2 shape, fewer channels: 92% dense, taps with packed A.
  [conv2dShape({ batch: 2, inChannels: 32, inH: 16, inW: 16, outChannels: 32, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }), 'taps', 'taps'],
  // ResNet-18's stem at 20×20: 3 input channels, too few to sum over (forward); too small a map for the
  // stride-2 Winograd input gradient (5×5 sub-grids, 3×3 tiles of 4×4 partly empty).
  [conv2dShape({ batch: 1, inChannels: 3, inH: 20, inW: 20, outChannels: 64, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }), 'im2col', 'im2col'],
  // The stride-2 Winograd input gradient: the stem at 24×24 (3×3 tiles per parity, 2 images per product).
  [conv2dShape({ batch: 2, inChannels: 3, inH: 24, inW: 24, outChannels: 16, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }), 'im2col', 'winograd-s2'],
  // Odd sizes (parity 1 has one row/column fewer, the last tiles partly outside), 3 images, 5 output channels.
  [conv2dShape({ batch: 3, inChannels: 2, inH: 25, inW: 27, outChannels: 5, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }), 'im2col', 'winograd-s2'],
  // Groups; a 7×5 kernel with padding 2×1 (windows starting 2 and 1 rows/columns before the position).
  [conv2dShape({ batch: 2, inChannels: 4, inH: 26, inW: 23, outChannels: 6, kernelH: 7, kernelW: 5, strideH: 2, strideW: 2, padH: 2, padW: 1, groups: 2 }), 'im2col', 'winograd-s2'],
  // 5×5, padding 2: 3 and 2 taps per parity and axis; 8×6 with padding 4×2; 7×7 without padding.
  [conv2dShape({ batch: 1, inChannels: 3, inH: 24, inW: 25, outChannels: 8, kernelH: 5, kernelW: 5, strideH: 2, strideW: 2, padH: 2, padW: 2 }), 'im2col', 'winograd-s2'],
  [conv2dShape({ batch: 1, inChannels: 2, inH: 28, inW: 24, outChannels: 7, kernelH: 8, kernelW: 6, strideH: 2, strideW: 2, padH: 4, padW: 2 }), 'im2col', 'winograd-s2'],
  [conv2dShape({ batch: 2, inChannels: 3, inH: 30, inW: 31, outChannels: 4, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2 }), 'im2col', 'winograd-s2'],
  // 19×18 tiles per image, more than a product takes: bands of 14 tile rows, then 5.
  [conv2dShape({ batch: 1, inChannels: 1, inH: 150, inW: 140, outChannels: 2, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }), 'im2col', 'winograd-s2'],
  // A 3×3 kernel (4 of a window's 16 taps) stays with im2col.
  [conv2dShape({ batch: 1, inChannels: 3, inH: 32, inW: 32, outChannels: 16, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }), 'im2col', 'im2col'],
];

describe('conv2d algorithms against the direct reference', () => {
  for (const [s, forward, input] of ALGORITHM_CASES) {
    it(`${forward}/${input} ${describeShape(s)}`, () => {
      expect(conv2dAlgorithm(s, 'forward')).toBe(forward);
      expect(conv2dAlgorithm(s, 'input')).toBe(input);
      for (const [ctor, tol] of [[Float32Array, TOL32], [Float64Array, TOL64]] as const) {
        const r = rng(s.inChannels * 13 + s.inH * 5 + s.outChannels);
        const [oh, ow] = conv2dOutputHW(s);
        const ckk = (s.inChannels / s.groups) * s.kernelH * s.kernelW;
        const x = randomArray(ctor, s.batch * s.inChannels * s.inH * s.inW, r);
        const w = randomArray(ctor, s.outChannels * ckk, r);
        const b = randomArray(ctor, s.outChannels, r);
        const gy = randomArray(ctor, s.batch * s.outChannels * oh * ow, r);
        const ref = refConv(x, w, b, gy, s);
        const scaled = { rtol: tol.rtol, atol: tol.atol * Math.sqrt(ckk) };
        assertClose(conv2dForward(x, w, b, new ctor(ref.y.length).fill(NaN), s), ref.y, scaled, 'forward');
        assertClose(conv2dBackwardInput(gy, w, new ctor(x.length).fill(NaN), s), ref.gx, scaled, 'grad input');
      }
    });
  }
});

describe('conv2d backward by finite differences (float64)', () => {
  for (const s of [CASES[2], CASES[3], CASES[5], CASES[7]]) {
    it(describeShape(s), () => {
      const r = rng(11);
      const [oh, ow] = conv2dOutputHW(s);
      const x = randomArray(Float64Array, s.batch * s.inChannels * s.inH * s.inW, r);
      const w = randomArray(Float64Array, s.outChannels * (s.inChannels / s.groups) * s.kernelH * s.kernelW, r);
      const b = randomArray(Float64Array, s.outChannels, r);
      const gy = randomArray(Float64Array, s.batch * s.outChannels * oh * ow, r);
      assertClose(conv2dBackwardInput(gy, w, null, s), numericGrad((xv) => conv2dForward(xv, w, b, null, s), x, gy), TOL_FD, 'grad input');
      assertClose(conv2dBackwardWeight(x, gy, null, s), numericGrad((wv) => conv2dForward(x, wv, b, null, s), w, gy), TOL_FD, 'grad weight');
      assertClose(conv2dBackwardBias(gy, null, s.batch, s.outChannels, oh * ow), numericGrad((bv) => conv2dForward(x, w, bv, null, s), b, gy), TOL_FD, 'grad bias');
    });
  }
});

describe('the stride-2 Winograd input gradient', () => {
  it('is not picked when its filter matrices would be too large', () => {
    const s = conv2dShape({ batch: 1, inChannels: 64, inH: 32, inW: 32, outChannels: 128, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 });
    expect(conv2dAlgorithm(s, 'input')).not.toBe('winograd-s2');
    expect(conv2dAlgorithm({ ...s, outChannels: 64 }, 'input')).toBe('winograd-s2');
    // 1024 gy channels: one row of 20 tiles fits (160 wide), of 25 (200 wide) not.
    const wide = conv2dShape({ batch: 1, inChannels: 1, inH: 24, inW: 160, outChannels: 1024, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 });
    expect(conv2dAlgorithm(wide, 'input')).toBe('winograd-s2');
    expect(conv2dAlgorithm({ ...wide, inW: 200 }, 'input')).not.toBe('winograd-s2');
  });
  it('matches the direct sum on every map size from 24 to 31 (both parities, partial and empty tiles)', () => {
    for (const [k, pad] of [[7, 3], [5, 2], [6, 1]]) {
      for (let h = 24; h <= 31; h++) {
        for (let wd = 24; wd <= 31; wd++) {
          const s = conv2dShape({ batch: 1, inChannels: 1, inH: h, inW: wd, outChannels: 2, kernelH: k, kernelW: k, strideH: 2, strideW: 2, padH: pad, padW: pad });
          expect(conv2dAlgorithm(s, 'input')).toBe('winograd-s2');
          const r = rng(h * 37 + wd);
          const [oh, ow] = conv2dOutputHW(s);
          const w = randomArray(Float64Array, 2 * k * k, r);
          const gy = randomArray(Float64Array, 2 * oh * ow, r);
          const ref = refConv(new Float64Array(h * wd), w, null, gy, s).gx;
          assertClose(conv2dBackwardInput(gy, w, new Float64Array(h * wd).fill(NaN), s), ref, TOL64, `${k}×${k} pad ${pad} at ${h}×${wd}`);
        }
      }
    }
  });
  it("keeps ResNet-18's stem within a float32 rounding of the direct sum", () => {
    const s = conv2dShape({ batch: 2, inChannels: 3, inH: 64, inW: 64, outChannels: 64, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 });
    expect(conv2dAlgorithm(s, 'input')).toBe('winograd-s2');
    const r = rng(5);
    const w = randomArray(Float32Array, 64 * 3 * 49, r);
    const gy = randomArray(Float32Array, 2 * 64 * 32 * 32, r);
    const ref = refConv(new Float32Array(2 * 3 * 64 * 64), w, null, gy, s).gx;
    const gx = conv2dBackwardInput(gy, w, null, s);
    for (let i = 0; i < ref.length; i++) {
      // At most half a float32 ulp from the exact sum, plus float64 error far below it.
      const ulp = Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(Math.abs(ref[i]) || 1)) - 23));
      expect(Math.abs(gx[i] - ref[i])).toBeLessThanOrEqual(0.5 * ulp + 1e-12 * Math.abs(ref[i]) + 1e-12);
    }
  });
});

describe('conv2d errors', () => {
  it('names the shapes when the output would be empty, as PyTorch does', () => {
    const s = conv2dShape({ batch: 1, inChannels: 1, inH: 2, inW: 2, outChannels: 1, kernelH: 3, kernelW: 3 });
    expect(() => conv2dForward(new Float32Array(4), new Float32Array(9), null, null, s)).toThrow(
      "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size");
    const d = conv2dShape({ batch: 1, inChannels: 1, inH: 5, inW: 6, outChannels: 1, kernelH: 3, kernelW: 3, padW: 1, dilationH: 3, dilationW: 3 });
    expect(() => conv2dForward(new Float32Array(30), new Float32Array(9), null, null, d)).toThrow(
      "Calculated padded input size per channel: (5 x 8). Kernel size: (7 x 7). Kernel size can't be greater than actual input size");
  });
  it('rejects channels not divisible by groups', () => {
    const s = conv2dShape({ batch: 1, inChannels: 3, inH: 2, inW: 2, outChannels: 2, kernelH: 1, kernelW: 1, groups: 2 });
    expect(() => conv2dForward(new Float32Array(12), new Float32Array(4), null, null, s)).toThrow(/divisible by groups/);
  });
});

describe('conv2d with non-finite operands', () => {
  // Winograd adds and subtracts inputs before multiplying: an infinity would turn into NaN where the
  // direct sum keeps ±Infinity. Such operands take im2col, whose sums are the definition's.
  const s = conv2dShape({ batch: 1, inChannels: 16, inH: 6, inW: 6, outChannels: 16, kernelH: 3, kernelW: 3, padH: 1, padW: 1 });
  it('gives the direct sums for an infinite input on a Winograd shape', () => {
    expect(conv2dAlgorithm(s, 'forward')).toBe('winograd');
    const r = rng(7);
    // Positive operands: every output that sees the infinity is +Infinity, none NaN.
    const x = Float32Array.from(randomArray(Float64Array, 16 * 36, r), (v) => Math.abs(v) + 0.1);
    const w = Float32Array.from(randomArray(Float64Array, 16 * 16 * 9, r), (v) => Math.abs(v) + 0.1);
    x[14] = Infinity;
    const y = conv2dForward(x, w, null, null, s);
    const ref = refConv(x, w, null, null, s).y;
    expect(Array.from(y).filter((v) => v === Infinity).length).toBeGreaterThan(0);
    for (let i = 0; i < ref.length; i++) {
      if (!Number.isFinite(ref[i])) expect(y[i]).toBe(ref[i]);
      else expect(Math.abs(y[i] - ref[i])).toBeLessThan(1e-3 * Math.abs(ref[i]) + 1e-4);
    }
    const gx = conv2dBackwardInput(Float32Array.from(y, (v) => (Number.isFinite(v) ? 1 : Infinity)), w, null, s);
    expect(Array.from(gx).some((v) => Number.isNaN(v))).toBe(false);
  });
  it('gives the direct sums for an infinite or NaN gradient on a stride-2 Winograd shape', () => {
    const s2 = conv2dShape({ batch: 1, inChannels: 3, inH: 24, inW: 24, outChannels: 8, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 });
    expect(conv2dAlgorithm(s2, 'input')).toBe('winograd-s2');
    const r = rng(9);
    const w = Float32Array.from(randomArray(Float64Array, 8 * 3 * 49, r), (v) => Math.abs(v) + 0.1);
    for (const bad of [Infinity, -Infinity, NaN]) {
      const gy = Float32Array.from(randomArray(Float64Array, 8 * 12 * 12, r), (v) => Math.abs(v) + 0.1);
      gy[30] = bad;
      const gx = conv2dBackwardInput(gy, w, null, s2);
      const ref = refConv(new Float32Array(3 * 24 * 24), w, null, gy, s2).gx;
      let nonFinite = 0;
      for (let i = 0; i < ref.length; i++) {
        if (!Number.isFinite(ref[i])) {
          nonFinite++;
          expect(gx[i]).toBe(ref[i]);
        } else expect(Math.abs(gx[i] - ref[i])).toBeLessThan(1e-3 * Math.abs(ref[i]) + 1e-4);
      }
      expect(nonFinite).toBeGreaterThan(0);
    }
  });
});
