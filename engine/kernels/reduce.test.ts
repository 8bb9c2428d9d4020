import { describe, it, expect } from 'vitest';
import { sumDim, meanDim, maxDim, minDim, argReduceBackward } from './reduce';
import { TOL32, TOL_FD, assertClose, numericGrad, randomArray, rng } from './testUtil';

function refReduce(x: ArrayLike<number>, outer: number, size: number, inner: number, kind: 'sum' | 'max' | 'min') {
  const values = new Float64Array(outer * inner);
  const indices = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    let acc = kind === 'sum' ? 0 : x[o * size * inner + i], at = 0;
    for (let d = kind === 'sum' ? 0 : 1; d < size; d++) {
      const v = x[(o * size + d) * inner + i];
      if (kind === 'sum') acc += v;
      else if (kind === 'max' ? v > acc : v < acc) { acc = v; at = d; }
    }
    values[o * inner + i] = acc;
    indices[o * inner + i] = at;
  }
  return { values, indices };
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [1, 7, 1], [3, 5, 1], [2, 5, 3], [1, 3, 17], [4, 1, 5], [3, 33, 7]];

describe('reductions along one dim', () => {
  for (const [outer, size, inner] of SHAPES) {
    it(`[${outer}, ${size}, ${inner}]`, () => {
      const r = rng(outer + size * 3 + inner * 7);
      const x = randomArray(Float32Array, outer * size * inner, r);
      const sum = refReduce(x, outer, size, inner, 'sum').values;
      assertClose(sumDim(x, new Float32Array(outer * inner).fill(NaN), outer, size, inner), sum, TOL32, 'sum');
      assertClose(meanDim(x, null, outer, size, inner), sum.map((v) => v / size), TOL32, 'mean');
      for (const kind of ['max', 'min'] as const) {
        const ref = refReduce(x, outer, size, inner, kind);
        const got = (kind === 'max' ? maxDim : minDim)(x, null, null, outer, size, inner);
        assertClose(got.values, ref.values, TOL32, kind);
        expect(Array.from(got.indices)).toEqual(Array.from(ref.indices));
        const x64 = Float64Array.from(x);
        const gy = randomArray(Float64Array, outer * inner, r);
        const gx = argReduceBackward(gy, got.indices, null, outer, size, inner);
        const f = (xv: Float64Array) => (kind === 'max' ? maxDim : minDim)(xv, null, null, outer, size, inner).values;
        assertClose(gx, numericGrad(f, x64, gy), TOL_FD, `${kind} grad`);
      }
    });
  }

  it('max/min: first index on ties, NaN propagates with its first index', () => {
    const x = new Float32Array([2, 7, 7, 1, NaN, 3, NaN, 0]);
    const max = maxDim(x, null, null, 2, 4, 1);
    expect(Array.from(max.values)).toEqual([7, NaN]);
    expect(Array.from(max.indices)).toEqual([1, 0]);
    const min = minDim(new Float64Array([4, 1, 1, 9, 5, NaN]), null, null, 2, 3, 1);
    expect(Array.from(min.values)).toEqual([1, NaN]);
    expect(Array.from(min.indices)).toEqual([1, 2]);
  });
});
