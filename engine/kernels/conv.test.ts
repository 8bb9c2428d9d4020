import { describe, it, expect } from 'vitest';
import { type Conv2dShape, conv2dShape, conv2dOutputHW, conv2dForward, conv2dBackwardInput, conv2dBackwardWeight, conv2dBackwardBias } from './conv';
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

describe('conv2d errors', () => {
  it('names the shapes when the output would be empty', () => {
    const s = conv2dShape({ batch: 1, inChannels: 1, inH: 2, inW: 2, outChannels: 1, kernelH: 3, kernelW: 3 });
    expect(() => conv2dForward(new Float32Array(4), new Float32Array(9), null, null, s)).toThrow(/output size \(0x0\) is too small/);
  });
  it('rejects channels not divisible by groups', () => {
    const s = conv2dShape({ batch: 1, inChannels: 3, inH: 2, inW: 2, outChannels: 2, kernelH: 1, kernelW: 1, groups: 2 });
    expect(() => conv2dForward(new Float32Array(12), new Float32Array(4), null, null, s)).toThrow(/divisible by groups/);
  });
});
