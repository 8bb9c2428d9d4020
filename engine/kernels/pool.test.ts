import { describe, it, expect } from 'vitest';
import {
  type Pool2dShape, pool2dShape, pool2dOutputHW, maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward,
  adaptiveAvgPool2dForward, adaptiveAvgPool2dBackward,
} from './pool';
import { TOL32, TOL64, TOL_FD, assertClose, numericGrad, randomArray, rng } from './testUtil';

/** Max pooling from the definition: values, and PyTorch's in-plane flat index of the first maximum. */
function refMaxPool(x: ArrayLike<number>, s: Pool2dShape) {
  const [oh, ow] = pool2dOutputHW('ref', s);
  const values = new Float64Array(s.planes * oh * ow);
  const indices = new Int32Array(s.planes * oh * ow);
  let o = 0;
  for (let p = 0; p < s.planes; p++) for (let yo = 0; yo < oh; yo++) for (let xo = 0; xo < ow; xo++, o++) {
    let best = -Infinity, at = -1;
    for (let i = 0; i < s.kernelH; i++) for (let j = 0; j < s.kernelW; j++) {
      const iy = yo * s.strideH - s.padH + i * s.dilationH, ix = xo * s.strideW - s.padW + j * s.dilationW;
      if (iy < 0 || iy >= s.inH || ix < 0 || ix >= s.inW) continue;
      const v = x[(p * s.inH + iy) * s.inW + ix];
      if (at < 0 || v > best) { best = v; at = iy * s.inW + ix; }
    }
    values[o] = best;
    indices[o] = at;
  }
  return { values, indices, oh, ow };
}

/** avg_pool2d as PyTorch documents it: the window over the zero-padded input, then the divisor. */
function refAvgPool(x: ArrayLike<number>, s: Pool2dShape, countIncludePad: boolean, divisorOverride?: number) {
  const [oh, ow] = pool2dOutputHW('ref', s);
  const y = new Float64Array(s.planes * oh * ow);
  let o = 0;
  for (let p = 0; p < s.planes; p++) for (let yo = 0; yo < oh; yo++) for (let xo = 0; xo < ow; xo++, o++) {
    let sum = 0, inside = 0, padded = 0;
    for (let i = 0; i < s.kernelH; i++) for (let j = 0; j < s.kernelW; j++) {
      const iy = yo * s.strideH - s.padH + i, ix = xo * s.strideW - s.padW + j;
      // The padded input spans [-pad, in + pad); windows never run past it when ceil_mode=False.
      if (iy < s.inH + s.padH && ix < s.inW + s.padW) padded++;
      if (iy < 0 || iy >= s.inH || ix < 0 || ix >= s.inW) continue;
      sum += x[(p * s.inH + iy) * s.inW + ix];
      inside++;
    }
    y[o] = sum / (divisorOverride ?? (countIncludePad ? padded : inside));
  }
  return y;
}

function refAdaptive(x: ArrayLike<number>, planes: number, h: number, w: number, oh: number, ow: number) {
  const y = new Float64Array(planes * oh * ow);
  let o = 0;
  for (let p = 0; p < planes; p++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++, o++) {
    const y0 = Math.floor((i * h) / oh), y1 = Math.ceil(((i + 1) * h) / oh);
    const x0 = Math.floor((j * w) / ow), x1 = Math.ceil(((j + 1) * w) / ow);
    let sum = 0;
    for (let a = y0; a < y1; a++) for (let b = x0; b < x1; b++) sum += x[(p * h + a) * w + b];
    y[o] = sum / ((y1 - y0) * (x1 - x0));
  }
  return y;
}

const MAX_CASES: Pool2dShape[] = [
  pool2dShape({ planes: 1, inH: 1, inW: 1, kernelH: 1, kernelW: 1 }),
  pool2dShape({ planes: 3, inH: 7, inW: 5, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }),
  pool2dShape({ planes: 2, inH: 8, inW: 8, kernelH: 2, kernelW: 2 }),
  pool2dShape({ planes: 2, inH: 9, inW: 7, kernelH: 3, kernelW: 2, strideH: 1, strideW: 2, padH: 1, padW: 1 }),
  pool2dShape({ planes: 2, inH: 9, inW: 9, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 2, dilationW: 2 }),
  pool2dShape({ planes: 5, inH: 17, inW: 17, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }),
  pool2dShape({ planes: 1, inH: 5, inW: 3, kernelH: 5, kernelW: 3, strideH: 3, strideW: 1 }),
];
const AVG_CASES = MAX_CASES.filter((s) => s.dilationH === 1);
const describePool = (s: Pool2dShape) => `P${s.planes} ${s.inH}x${s.inW} k${s.kernelH}x${s.kernelW} s${s.strideH},${s.strideW} p${s.padH},${s.padW} d${s.dilationH},${s.dilationW}`;

describe('maxPool2d', () => {
  for (const s of MAX_CASES) {
    for (const [ctor, tol, label] of [[Float32Array, TOL32, 'float32'], [Float64Array, TOL64, 'float64']] as const) {
      it(`${label} ${describePool(s)}`, () => {
        const r = rng(s.inH * 100 + s.kernelH);
        const x = randomArray(ctor, s.planes * s.inH * s.inW, r);
        const ref = refMaxPool(x, s);
        const { out, indices } = maxPool2dForward(x, null, null, s);
        assertClose(out, ref.values, tol, 'values');
        expect(Array.from(indices)).toEqual(Array.from(ref.indices));
        const gy = randomArray(ctor, out.length, r);
        const gx = maxPool2dBackward(gy, indices, new ctor(x.length).fill(NaN), s.planes, ref.oh * ref.ow, s.inH * s.inW);
        const want = new Float64Array(x.length);
        for (let p = 0; p < s.planes; p++) for (let o = 0; o < ref.oh * ref.ow; o++) {
          want[p * s.inH * s.inW + ref.indices[p * ref.oh * ref.ow + o]] += gy[p * ref.oh * ref.ow + o];
        }
        assertClose(gx, want, tol, 'grad input');
      });
    }
  }

  it('backward matches finite differences', () => {
    const s = MAX_CASES[1];
    const r = rng(5);
    const x = randomArray(Float64Array, s.planes * s.inH * s.inW, r);
    const { out, indices } = maxPool2dForward(x, null, null, s);
    const gy = randomArray(Float64Array, out.length, r);
    const [oh, ow] = pool2dOutputHW('max_pool2d', s);
    const gx = maxPool2dBackward(gy, indices, null, s.planes, oh * ow, s.inH * s.inW);
    assertClose(gx, numericGrad((xv) => maxPool2dForward(xv, null, null, s).out, x, gy), TOL_FD, 'grad input');
  });

  it('ties pick the first element; NaN propagates with its index; -Infinity windows keep an index', () => {
    const s = pool2dShape({ planes: 1, inH: 2, inW: 4, kernelH: 2, kernelW: 2 });
    const x = new Float32Array([1, 5, NaN, 2, 5, 0, 3, 9]);
    const { out, indices } = maxPool2dForward(x, null, null, s);
    expect(Array.from(out)).toEqual([5, NaN]);
    expect(Array.from(indices)).toEqual([1, 2]);
    const inf = maxPool2dForward(new Float64Array(4).fill(-Infinity), null, null, pool2dShape({ planes: 1, inH: 2, inW: 2, kernelH: 2, kernelW: 2 }));
    expect(Array.from(inf.out)).toEqual([-Infinity]);
    expect(Array.from(inf.indices)).toEqual([0]);
  });

  it('rejects padding above half the kernel with PyTorch\'s message', () => {
    const s = pool2dShape({ planes: 1, inH: 4, inW: 4, kernelH: 3, kernelW: 3, padH: 2, padW: 2 });
    expect(() => maxPool2dForward(new Float32Array(16), null, null, s)).toThrow(/pad should be at most half of kernel size, but got pad=/);
  });
});

describe('avgPool2d', () => {
  for (const s of AVG_CASES) {
    for (const [countIncludePad, divisorOverride] of [[true, undefined], [false, undefined], [true, 3]] as const) {
      it(`${describePool(s)} count_include_pad=${countIncludePad} divisor_override=${divisorOverride}`, () => {
        const r = rng(s.inW * 10 + s.padH);
        const x = randomArray(Float32Array, s.planes * s.inH * s.inW, r);
        const options = { countIncludePad, divisorOverride };
        assertClose(avgPool2dForward(x, null, s, options), refAvgPool(x, s, countIncludePad, divisorOverride), TOL32, 'forward');
        const x64 = Float64Array.from(x);
        const gy = randomArray(Float64Array, refAvgPool(x, s, true).length, r);
        const gx = avgPool2dBackward(gy, new Float64Array(x.length).fill(NaN), s, options);
        assertClose(gx, numericGrad((xv) => refAvgPool(xv, s, countIncludePad, divisorOverride), x64, gy), TOL_FD, 'grad input');
      });
    }
  }
});

describe('adaptiveAvgPool2d', () => {
  for (const [h, w, oh, ow] of [[5, 5, 3, 3], [7, 5, 2, 4], [4, 4, 1, 1], [3, 3, 5, 5], [6, 8, 6, 8], [1, 1, 1, 1], [2, 2, 1, 1]]) {
    it(`${h}x${w} → ${oh}x${ow}`, () => {
      const planes = 3;
      const r = rng(h * w + oh);
      const x = randomArray(Float32Array, planes * h * w, r);
      assertClose(adaptiveAvgPool2dForward(x, null, planes, h, w, oh, ow), refAdaptive(x, planes, h, w, oh, ow), TOL32, 'forward');
      const x64 = Float64Array.from(x);
      const gy = randomArray(Float64Array, planes * oh * ow, r);
      const gx = adaptiveAvgPool2dBackward(gy, null, planes, h, w, oh, ow);
      assertClose(gx, numericGrad((xv) => refAdaptive(xv, planes, h, w, oh, ow), x64, gy), TOL_FD, 'grad input');
    });
  }
});
