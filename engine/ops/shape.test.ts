import { describe, it, expect } from 'vitest';
import { Tensor, numelOf, stridesOf } from '../tensor';
import { expandTo, permuteRaw } from './shape';
import { runOutput } from '../lang/runOutput';

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

describe('unsafe_chunk, unsafe_split, unsafe_split_with_sizes', () => {
  // Printed by PyTorch 1.13.1. The pieces are not views for autograd: sigmoid_ on one is allowed and bumps only its
  // own version (in PyTorch it would also write into x's storage; here pieces are copies, so that is left out).
  it("records the pieces as outputs of one UnsafeSplitBackward0 (UnsafeSplitWithSizesBackward0), with PyTorch's gradients and errors", () => {
    expect(runOutput(`import torch
x = torch.arange(10.).reshape(2, 5).requires_grad_()
a = x.unsafe_chunk(2, 1)
print([tuple(p.shape) for p in a], type(a[0].grad_fn).__name__, a[1].grad_fn is a[0].grad_fn, a[1].output_nr)
b = torch.unsafe_split(x, 2, 1)
print(len(b), type(b[2].grad_fn).__name__, [type(f).__name__ for f, _ in b[2].grad_fn.next_functions])
c = torch.unsafe_split_with_sizes(x * 1, [1, 4], 1)
print(type(c[1].grad_fn).__name__, c[1])
d = c[1].sigmoid_()
print(type(d.grad_fn).__name__, d.grad_fn.next_functions[0][1], c[0]._version, d._version)
(a[0].sum() * 2 + b[2].pow(2).sum() + d.sum()).backward()
print(x.grad)
for f in [lambda: torch.unsafe_split_with_sizes(x, 2), lambda: x.unsafe_chunk(0), lambda: x.unsafe_split_with_sizes([1, 2], 1)]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)`)).toBe(`[(2, 3), (2, 2)] UnsafeSplitBackward0 True 1
3 UnsafeSplitBackward0 ['AccumulateGrad']
UnsafeSplitWithSizesBackward0 tensor([[1., 2., 3., 4.],
        [6., 7., 8., 9.]], grad_fn=<UnsafeSplitWithSizesBackward0>)
SigmoidBackward0 1 0 1
tensor([[2.0000e+00, 2.1966e+00, 2.1050e+00, 4.5177e-02, 8.0177e+00],
        [2.0000e+00, 2.0025e+00, 2.0009e+00, 3.3522e-04, 1.8000e+01]])
TypeError unsafe_split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not int
RuntimeError chunk expects \`chunks\` to be greater than 0, got: 0
RuntimeError split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 1), but got split_sizes=[1, 2]
`);
  });
});
