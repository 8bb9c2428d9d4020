import { describe, it, expect } from 'vitest';
import { softmaxForward, logSoftmaxForward, softmaxBackward, logSoftmaxBackward } from './softmax';
import { TOL32, TOL64, TOL_FD, assertClose, numericGrad, randomArray, rng } from './testUtil';

/** softmax along the middle axis from the definition (with the max shift, in float64). */
function refSoftmax(x: ArrayLike<number>, outer: number, size: number, inner: number, log: boolean): Float64Array {
  const y = new Float64Array(outer * size * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const at = (d: number) => (o * size + d) * inner + i;
    let max = -Infinity;
    for (let d = 0; d < size; d++) max = Math.max(max, x[at(d)]);
    let sum = 0;
    for (let d = 0; d < size; d++) sum += Math.exp(x[at(d)] - max);
    for (let d = 0; d < size; d++) y[at(d)] = log ? x[at(d)] - max - Math.log(sum) : Math.exp(x[at(d)] - max) / sum;
  }
  return y;
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [1, 7, 1], [3, 5, 1], [2, 5, 3], [1, 3, 17], [4, 1, 5], [3, 33, 7]];

describe('softmax / log_softmax', () => {
  for (const [outer, size, inner] of SHAPES) {
    for (const log of [false, true]) {
      const name = log ? 'log_softmax' : 'softmax';
      const forward = log ? logSoftmaxForward : softmaxForward;
      const backward = log ? logSoftmaxBackward : softmaxBackward;
      it(`${name} [${outer}, ${size}, ${inner}]`, () => {
        const r = rng(outer * 100 + size * 10 + inner);
        const x = randomArray(Float32Array, outer * size * inner, r).map((v) => v * 5);
        assertClose(forward(x, null, outer, size, inner), refSoftmax(x, outer, size, inner, log), TOL32, 'forward float32');
        const x64 = Float64Array.from(x);
        const y64 = forward(x64, null, outer, size, inner);
        assertClose(y64, refSoftmax(x64, outer, size, inner, log), TOL64, 'forward float64');
        const gy = randomArray(Float64Array, x.length, r);
        const gx = backward(gy, y64, new Float64Array(x.length).fill(NaN), outer, size, inner);
        assertClose(gx, numericGrad((xv) => refSoftmax(xv, outer, size, inner, log), x64, gy), TOL_FD, 'grad input');
      });
    }
  }

  it('is stable for large logits and propagates NaN', () => {
    const x = new Float32Array([1000, 1001, 1002, -1000]);
    assertClose(softmaxForward(x, null, 1, 4, 1), refSoftmax(x, 1, 4, 1, false), TOL32, 'softmax');
    assertClose(logSoftmaxForward(x, null, 1, 4, 1), refSoftmax(x, 1, 4, 1, true), TOL32, 'log_softmax');
    const withNaN = softmaxForward(new Float64Array([1, NaN, 2, 3, 4, 5]), null, 2, 3, 1);
    expect(Array.from(withNaN.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    assertClose(withNaN.subarray(3), refSoftmax([3, 4, 5], 1, 3, 1, false), TOL64, 'clean row');
    const strided = softmaxForward(new Float64Array([1, NaN, 2, 3]), null, 1, 2, 2);
    expect(Number.isNaN(strided[1]) && Number.isNaN(strided[3])).toBe(true);
  });
});
