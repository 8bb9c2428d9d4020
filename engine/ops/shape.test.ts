import { describe, it, expect } from 'vitest';
import { Tensor, numelOf, stridesOf } from '../tensor';
import { expandTo, permuteRaw } from './shape';

function counting(shape: number[], ctor: Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor = Float32Array): Tensor {
  const n = numelOf(shape);
  const data = new ctor(n);
  for (let i = 0; i < n; i++) data[i] = ctor === Uint8Array ? (i * 7) % 3 & 1 : i * 0.5 - 3;
  return new Tensor(data, shape, ctor === Uint8Array ? 'bool' : ctor === Float64Array ? 'float64' : 'float32');
}

/** out[index] = x[index permuted], from the definition: the multi-index of each output element. */
function permuteReference(x: Tensor, perm: number[]): number[] {
  const shape = perm.map((p) => x.shape[p]);
  const xs = stridesOf(x.shape);
  const out: number[] = [];
  const n = numelOf(shape);
  for (let o = 0; o < n; o++) {
    let rest = o, p = 0;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      p += i * xs[perm[d]];
    }
    out.push(x.data[p]);
  }
  return out;
}

describe('permute copies', () => {
  const cases: [number[], number[]][] = [
    [[3, 5], [1, 0]],
    // Tiles of 32: partial tiles on both sides, and a batch of matrices (the last two dims swapped).
    [[70, 33], [1, 0]],
    [[4, 37, 65], [0, 2, 1]],
    [[2, 3, 4, 5], [0, 2, 3, 1]],
    [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[6, 1, 7], [2, 0, 1]],
    [[5], [0]],
    [[0, 4], [1, 0]],
    [[3, 0, 2], [2, 0, 1]],
  ];
  for (const [shape, perm] of cases) {
    it(`[${shape}] by (${perm})`, () => {
      for (const ctor of [Float32Array, Float64Array, Uint8Array] as const) {
        const x = counting(shape, ctor);
        const out = permuteRaw(x, perm);
        expect(out.shape).toEqual(perm.map((p) => shape[p]));
        expect(out.data).toBeInstanceOf(ctor);
        expect(Array.from(out.data)).toEqual(permuteReference(x, perm));
      }
    });
  }
});

describe('expand copies', () => {
  it('repeat broadcast dims, leading and inner, and keep a 0-d value', () => {
    const x = counting([3, 1, 2]);
    const out = expandTo(x, [2, 3, 4, 2]);
    const want: number[] = [];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) for (let d = 0; d < 2; d++) want.push(x.data[b * 2 + d]);
    expect(Array.from(out.data)).toEqual(want);
    const scalar = new Tensor(Float32Array.of(2.5), [], 'float32');
    expect(Array.from(expandTo(scalar, [2, 3]).data)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(expandTo(counting([4, 1]), [4, 3]).data)).toEqual([-3, -3, -3, -2.5, -2.5, -2.5, -2, -2, -2, -1.5, -1.5, -1.5]);
  });
});
