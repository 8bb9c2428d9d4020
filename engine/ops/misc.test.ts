// torch.rot90, kron, tensordot, searchsorted, bucketize, bincount, histc, cov, corrcoef and block_diag in programs,
// against real PyTorch 1.13.1's printed output.
import { describe, expect, it } from 'vitest';
import { runOutput } from '../lang/runOutput';

describe('rot90, kron, tensordot, cov and the counting functions in programs', () => {
  it('rot90 (layouts, errors), kron, tensordot (both dims forms), searchsorted/bucketize, bincount, histc, cov, corrcoef, block_diag: values, grad_fn chains and gradients', () => {
    expect(runOutput(`import torch
def chain(t, depth=8):
    out = []; f = t.grad_fn
    while f is not None and depth:
        out.append(type(f).__name__); nf = [g for g, _ in f.next_functions if g is not None]
        f = nf[0] if nf else None; depth -= 1
    return out
a = torch.arange(1., 7.).reshape(2, 3).requires_grad_()
for k in [0, 1, 2, 3, -1, 5]:
    r = torch.rot90(a, k); print(k, r, type(r.grad_fn).__name__, r.stride(), r.is_contiguous())
print(a.rot90(1, (1, 0)), a.rot90(dims=[1, 0]).shape)
x3 = torch.arange(24.).reshape(2, 3, 4)
print(torch.rot90(x3, 1, [0, 2]).stride(), torch.rot90(x3, 1, [2, 0]))
for f in [lambda: torch.rot90(a, 1, [0, 1, 2]), lambda: torch.rot90(a, 1, [0, 0]), lambda: torch.rot90(a[0], 1), lambda: torch.rot90(a, 1, [0, 2]), lambda: torch.rot90(a, 1, [-3, 1])]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
r = torch.rot90(a, 1); (r * torch.arange(6.).reshape(3, 2)).sum().backward(); print(a.grad)
b = torch.tensor([[0., 1.], [1., 0.], [2., 3.]], requires_grad=True)
k = torch.kron(a, b); print(k, chain(k), k.stride()); k.sum().backward(); print(a.grad, b.grad)
print(torch.kron(torch.tensor([1, 2]), torch.tensor([[1, 10], [100, 1000]])), a.kron(torch.tensor([1., -1.])))
x = torch.arange(24.).reshape(2, 3, 4).requires_grad_(); y = torch.arange(12.).reshape(4, 3).requires_grad_()
t = torch.tensordot(x, y, dims=1); print(t, chain(t))
t2 = torch.tensordot(x, y, dims=([1, 2], [1, 0])); print(t2, chain(t2)); t2.sum().backward(); print(y.grad)
print(torch.tensordot(x, torch.ones(3, 4), dims=2), torch.tensordot(torch.arange(3.), torch.arange(3.), dims=0).shape)
print(torch.tensordot(x, y, dims=[[2], [0]]).shape)
for f in [lambda: torch.tensordot(x, y, dims=-1), lambda: torch.tensordot(x, y, dims=([0], [0]))]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
s = torch.tensor([1., 3., 5., 7.]); v = torch.tensor([[3., 6., 9.], [0., 5., 8.]])
print(torch.searchsorted(s, v), torch.searchsorted(s, v, right=True), torch.bucketize(v, s), torch.bucketize(v, s, right=True), torch.searchsorted(s, 4.0), torch.searchsorted(s, v, side='right'))
print(torch.searchsorted(torch.tensor([[1, 3, 5], [2, 4, 6]]), torch.tensor([[3, 6], [1, 7]])), torch.searchsorted(s, v, out_int32=True).dtype)
print(torch.bincount(torch.tensor([0, 1, 1, 3])), torch.bincount(torch.tensor([0, 1, 1, 3]), weights=torch.tensor([0.5, 1., 2., 3.]), minlength=6), torch.tensor([2, 2, 0]).bincount())
for f in [lambda: torch.bincount(torch.tensor([-1, 2])), lambda: torch.bincount(torch.tensor([1., 2.]))]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
print(torch.histc(torch.tensor([1., 2, 1, 4]), bins=4, min=0, max=3), torch.tensor([0.5, 0.2, 0.9, 0.1, 0.7]).histc(5), torch.histc(torch.tensor([1., 1.]), 3))
c = torch.cov(b.t()); print(c, chain(c, 10)); c.sum().backward(); print(b.grad)
print(torch.cov(torch.tensor([1., 2., 4.])), torch.cov(b.t(), correction=0), torch.cov(torch.tensor([[1, 2, 4], [3, 1, 0]])))
cc = torch.corrcoef(b.t()); print(cc, chain(cc, 12))
print(torch.corrcoef(torch.tensor([[1., 2., 4., 7.], [3., 1., 0., -2.], [0., 0.5, 1., 1.]])), b.t().corrcoef())
bd = torch.block_diag(a, b, torch.tensor([7.]), torch.tensor(9.)); print(bd, chain(bd)); bd.sum().backward(); print(b.grad)
print(torch.block_diag(torch.tensor([[1, 2]]), torch.tensor([[3], [4]])))
`)).toBe(`0 tensor([[1., 2., 3.],
        [4., 5., 6.]], grad_fn=<Rot90Backward0>) Rot90Backward0 (3, 1) True
1 tensor([[3., 6.],
        [2., 5.],
        [1., 4.]], grad_fn=<Rot90Backward0>) Rot90Backward0 (1, 3) False
2 tensor([[6., 5., 4.],
        [3., 2., 1.]], grad_fn=<Rot90Backward0>) Rot90Backward0 (3, 1) True
3 tensor([[4., 1.],
        [5., 2.],
        [6., 3.]], grad_fn=<Rot90Backward0>) Rot90Backward0 (1, 3) False
-1 tensor([[4., 1.],
        [5., 2.],
        [6., 3.]], grad_fn=<Rot90Backward0>) Rot90Backward0 (1, 3) False
5 tensor([[3., 6.],
        [2., 5.],
        [1., 4.]], grad_fn=<Rot90Backward0>) Rot90Backward0 (1, 3) False
tensor([[4., 1.],
        [5., 2.],
        [6., 3.]], grad_fn=<Rot90Backward0>) torch.Size([3, 2])
(1, 4, 12) tensor([[[12.,  0.],
         [16.,  4.],
         [20.,  8.]],

        [[13.,  1.],
         [17.,  5.],
         [21.,  9.]],

        [[14.,  2.],
         [18.,  6.],
         [22., 10.]],

        [[15.,  3.],
         [19.,  7.],
         [23., 11.]]])
RuntimeError expected total rotation dims == 2, but got dims = 3
RuntimeError expected rotation dims to be different, but got dim0 = 0 and dim1 = 0
RuntimeError expected total dims >= 2, but got total dims = 1
RuntimeError expected rotation dims to be different, but got dim0 = 0 and dim1 = 2
RuntimeError Rotation dim0 out of range, dim0 = -3
tensor([[4., 2., 0.],
        [5., 3., 1.]])
tensor([[ 0.,  1.,  0.,  2.,  0.,  3.],
        [ 1.,  0.,  2.,  0.,  3.,  0.],
        [ 2.,  3.,  4.,  6.,  6.,  9.],
        [ 0.,  4.,  0.,  5.,  0.,  6.],
        [ 4.,  0.,  5.,  0.,  6.,  0.],
        [ 8., 12., 10., 15., 12., 18.]], grad_fn=<UnsafeViewBackward0>) ['UnsafeViewBackward0', 'MulBackward0', 'UnsafeViewBackward0', 'AccumulateGrad'] (6, 1)
tensor([[11.,  9.,  7.],
        [12., 10.,  8.]]) tensor([[21., 21.],
        [21., 21.],
        [21., 21.]])
tensor([[   1,   10,    2,   20],
        [ 100, 1000,  200, 2000]]) tensor([[ 1., -1.,  2., -2.,  3., -3.],
        [ 4., -4.,  5., -5.,  6., -6.]], grad_fn=<UnsafeViewBackward0>)
tensor([[[ 42.,  48.,  54.],
         [114., 136., 158.],
         [186., 224., 262.]],

        [[258., 312., 366.],
         [330., 400., 470.],
         [402., 488., 574.]]], grad_fn=<ReshapeAliasBackward0>) ['ReshapeAliasBackward0', 'MmBackward0', 'ReshapeAliasBackward0', 'PermuteBackward0', 'AccumulateGrad']
tensor([ 440., 1232.], grad_fn=<ReshapeAliasBackward0>) ['ReshapeAliasBackward0', 'MmBackward0', 'ReshapeAliasBackward0', 'PermuteBackward0', 'AccumulateGrad']
tensor([[12., 20., 28.],
        [14., 22., 30.],
        [16., 24., 32.],
        [18., 26., 34.]])
tensor([ 66., 210.], grad_fn=<ReshapeAliasBackward0>) torch.Size([3, 3])
torch.Size([2, 3, 3])
RuntimeError tensordot expects dims >= 0, but got dims=-1
RuntimeError contracted dimensions need to match, but first has size 2 in dim 0 and second has size 4 in dim 0
tensor([[1, 3, 4],
        [0, 2, 4]]) tensor([[2, 3, 4],
        [0, 3, 4]]) tensor([[1, 3, 4],
        [0, 2, 4]]) tensor([[2, 3, 4],
        [0, 3, 4]]) tensor(2) tensor([[2, 3, 4],
        [0, 3, 4]])
tensor([[1, 3],
        [0, 3]]) torch.int32
tensor([1, 2, 0, 1]) tensor([0.5000, 3.0000, 0.0000, 3.0000, 0.0000, 0.0000]) tensor([1, 0, 2])
RuntimeError bincount only supports 1-d non-negative integral inputs.
RuntimeError "bincount_cpu" not implemented for 'Float'
tensor([0., 2., 1., 0.]) tensor([2., 0., 1., 1., 1.]) tensor([0., 2., 0.])
tensor([[1.0000, 1.0000],
        [1.0000, 2.3333]], grad_fn=<SqueezeBackward0>) ['SqueezeBackward0', 'DivBackward0', 'MmBackward0', 'SubBackward0', 'TBackward0', 'AccumulateGrad']
tensor([[19.6667, 19.6667],
        [19.6667, 19.6667],
        [23.6667, 23.6667]])
tensor(2.3333) tensor([[0.6667, 0.6667],
        [0.6667, 1.5556]], grad_fn=<SqueezeBackward0>) tensor([[ 2.3333, -2.1667],
        [-2.1667,  2.3333]])
tensor([[1.0000, 0.6547],
        [0.6547, 1.0000]], grad_fn=<ClampBackward1>) ['ClampBackward1', 'DivBackward0', 'DivBackward0', 'SqueezeBackward0', 'DivBackward0', 'MmBackward0', 'SubBackward0', 'TBackward0', 'AccumulateGrad']
tensor([[ 1.0000, -0.9684,  0.8553],
        [-0.9684,  1.0000, -0.9199],
        [ 0.8553, -0.9199,  1.0000]]) tensor([[1.0000, 0.6547],
        [0.6547, 1.0000]], grad_fn=<ClampBackward1>)
tensor([[1., 2., 3., 0., 0., 0., 0.],
        [4., 5., 6., 0., 0., 0., 0.],
        [0., 0., 0., 0., 1., 0., 0.],
        [0., 0., 0., 1., 0., 0., 0.],
        [0., 0., 0., 2., 3., 0., 0.],
        [0., 0., 0., 0., 0., 7., 0.],
        [0., 0., 0., 0., 0., 0., 9.]], grad_fn=<BlockDiagBackward0>) ['BlockDiagBackward0', 'AccumulateGrad']
tensor([[20.6667, 20.6667],
        [20.6667, 20.6667],
        [24.6667, 24.6667]])
tensor([[1, 2, 0],
        [0, 0, 3],
        [0, 0, 4]])
`);
  });
  it('histc and bincount errors; no gradient for histc or searchsorted', () => {
    expect(runOutput(`import torch
for f in [lambda: torch.histc(torch.tensor([1, 2])), lambda: torch.bincount(torch.tensor([True])), lambda: torch.histc(torch.tensor([1., 2.]), bins=0), lambda: torch.histc(torch.tensor([1., 2.]), min=3, max=1)]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
x = torch.tensor([0.5, 2.0], requires_grad=True)
h = torch.histc(x, 3); print(h, h.requires_grad)
print(torch.searchsorted(torch.tensor([1., 3.]), x).requires_grad)
`)).toBe(`RuntimeError "histogram_cpu" not implemented for 'Long'
RuntimeError "bincount_cpu" not implemented for 'Bool'
RuntimeError torch.histogram(): bins must be > 0, but got 0 for dimension 0
RuntimeError torch.histc: max must be larger than min
tensor([1., 0., 1.]) False
False
`);
  });
});
