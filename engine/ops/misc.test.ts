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
  it('cdist: CdistBackward0 for every p, ViewBackward0 over EuclideanDistBackward0 past 25 rows (batched: expanded, made contiguous, viewed), PyTorch\'s missing _cdist_backward derivative, errors', () => {
    expect(runOutput(`import torch
def tree(f, d=0):
    if f is None or d > 6: return
    print('  ' * d + type(f).__name__)
    for g, _ in f.next_functions: tree(g, d + 1)
torch.manual_seed(0)
x = torch.randn(30, 3, requires_grad=True); y = torch.randn(4, 3, requires_grad=True)
d = torch.cdist(x[:5], y); print(d); tree(d.grad_fn)
d.sum().backward(); print(x.grad[:5], y.grad)
for p in [0, 1, 1.5, 3, float('inf')]:
    x.grad = None; y.grad = None
    e = torch.cdist(x[:4], y[:3], p=p); print(p, e); e.sum().backward(); print(x.grad[:4], y.grad)
big = torch.cdist(x, y); print(big[::6]); tree(big.grad_fn); print(big.stride())
x.grad = None; y.grad = None; big.sum().backward(); print(x.grad[::7], y.grad)
print(torch.cdist(x[:3], y, compute_mode='use_mm_for_euclid_dist'), torch.cdist(x, y, compute_mode='donot_use_mm_for_euclid_dist')[:2])
xb = x.view(3, 10, 3); tree(torch.cdist(xb, y, p=1).grad_fn); print(torch.cdist(xb, y, p=1)[:, :2])
tree(torch.cdist(torch.randn(2, 30, 3, requires_grad=True), y).grad_fn)
g, = torch.autograd.grad(torch.cdist(x[:3], y).sum(), x, create_graph=True); print(type(g.grad_fn).__name__)
try: torch.autograd.grad(g.sum(), x)
except Exception as e: print(type(e).__name__, e)
g, = torch.autograd.grad(torch.cdist(x, y).sum(), x, create_graph=True); print(type(g.grad_fn).__name__)
print(torch.autograd.grad(g.sum(), y)[0])
for f in [lambda: torch.cdist(x[0], y), lambda: torch.cdist(x, torch.randn(3, 2)), lambda: torch.cdist(x, y, p=-1), lambda: torch.cdist(x, y, compute_mode='foo'), lambda: torch.cdist(torch.tensor([[1, 2]]), torch.tensor([[1, 2]]))]:
    try: f()
    except Exception as e: print(type(e).__name__, e)
`)).toBe(`tensor([[3.0917, 2.4080, 0.9609, 2.8362],
        [2.8278, 1.8337, 1.6555, 1.0609],
        [3.0772, 2.5139, 1.6901, 3.5210],
        [3.2442, 2.3121, 1.0441, 1.7860],
        [2.8802, 1.9394, 2.3268, 1.1356]], grad_fn=<CdistBackward0>)
CdistBackward0
  SliceBackward0
    AccumulateGrad
  AccumulateGrad
tensor([[-2.2640, -2.2114, -0.8134],
        [-1.7011,  1.2419,  1.7059],
        [-0.8465, -3.3351,  0.4904],
        [-2.8375,  0.6989,  0.4552],
        [-0.5238,  1.8255,  2.5308]]) tensor([[ 3.8422e+00,  1.0162e-03, -2.1353e+00],
        [ 3.5877e+00,  5.5533e-02, -1.3285e+00],
        [-1.2927e+00, -1.2891e+00,  9.4014e-01],
        [ 2.0357e+00,  3.0126e+00, -1.8454e+00]])
0 tensor([[3., 3., 3.],
        [3., 3., 3.],
        [3., 3., 3.],
        [3., 3., 3.]], grad_fn=<CdistBackward0>)
tensor([[0., 0., 0.],
        [0., 0., 0.],
        [0., 0., 0.],
        [0., 0., 0.]]) tensor([[0., 0., 0.],
        [0., 0., 0.],
        [0., 0., 0.],
        [0., 0., 0.]])
1 tensor([[4.4632, 3.4147, 1.3232],
        [4.6773, 3.0598, 2.3124],
        [5.1891, 3.8283, 2.5186],
        [4.6241, 3.0067, 1.4022]], grad_fn=<CdistBackward0>)
tensor([[-3., -3., -1.],
        [-1.,  3.,  3.],
        [-1., -3.,  1.],
        [-3.,  3.,  1.]]) tensor([[ 4.,  0., -4.],
        [ 4.,  0., -2.],
        [ 0.,  0.,  2.],
        [ 0.,  0.,  0.]])
1.5 tensor([[3.4153, 2.6682, 1.0638],
        [3.3212, 2.1614, 1.8188],
        [3.6488, 2.8530, 1.9004],
        [3.5709, 2.4520, 1.1214]], grad_fn=<CdistBackward0>)
tensor([[-1.8506, -1.8882, -0.7061],
        [-1.0025,  2.0805,  1.5410],
        [-0.7731, -2.4746,  0.5848],
        [-2.2269,  1.6935,  0.4884]]) tensor([[ 3.3887,  0.3713, -2.2208],
        [ 3.3331,  0.5065, -1.1487],
        [-0.8687, -0.2890,  1.4613],
        [ 0.0000,  0.0000,  0.0000]])
3 tensor([[2.9102, 2.2190, 0.8781],
        [2.4495, 1.5833, 1.5473],
        [2.6182, 2.2683, 1.5438],
        [3.0558, 2.2561, 1.0080]], grad_fn=<CdistBackward0>)
tensor([[-1.8711, -0.7155, -0.8365],
        [-1.3883,  1.3914,  0.6417],
        [-0.6687, -2.3374,  0.2036],
        [-1.9749,  1.0364,  0.1047]]) tensor([[ 3.3241,  0.5096, -0.7644],
        [ 3.0320,  0.8168, -0.3074],
        [-0.4531, -0.7014,  0.9583],
        [ 0.0000,  0.0000,  0.0000]])
inf tensor([[2.8599, 2.1114, 0.8199],
        [2.1679, 1.4194, 1.5000],
        [2.0500, 2.1100, 1.4640],
        [2.9973, 2.2489, 1.0012]], grad_fn=<CdistBackward0>)
tensor([[-2.,  0., -1.],
        [-2.,  1.,  0.],
        [-1., -2.,  0.],
        [-2.,  1.,  0.]]) tensor([[ 4.,  0.,  0.],
        [ 3.,  1.,  0.],
        [ 0., -1.,  1.],
        [ 0.,  0.,  0.]])
tensor([[3.0917, 2.4080, 0.9609, 2.8362],
        [2.0684, 1.1376, 2.2238, 0.9156],
        [1.9784, 0.9232, 1.7413, 1.4273],
        [1.2796, 0.6866, 1.9686, 1.8399],
        [3.9371, 2.9546, 0.7908, 2.8787]], grad_fn=<SliceBackward0>)
ViewBackward0
  EuclideanDistBackward0
    AccumulateGrad
    AccumulateGrad
(4, 1)
tensor([[-2.2640, -2.2114, -0.8134],
        [-2.4399, -0.4848,  2.7705],
        [-1.2792, -0.1168,  1.3085],
        [-1.0591, -1.1729,  2.0599],
        [-1.0458, -2.7108,  0.0806]]) tensor([[ 1.8980e+01,  2.5129e-01, -1.3829e+01],
        [ 1.5247e+01,  1.8886e+00, -7.5532e+00],
        [-1.5277e+01, -7.9464e+00, -8.6107e-03],
        [ 2.0519e+00,  1.8558e+01, -8.4479e+00]])
tensor([[3.0917, 2.4080, 0.9609, 2.8362],
        [2.8278, 1.8337, 1.6555, 1.0609],
        [3.0772, 2.5139, 1.6901, 3.5210]], grad_fn=<ViewBackward0>) tensor([[3.0917, 2.4080, 0.9609, 2.8362],
        [2.8278, 1.8337, 1.6555, 1.0609]], grad_fn=<SliceBackward0>)
CdistBackward0
  ViewBackward0
    AccumulateGrad
  AccumulateGrad
tensor([[[4.4632, 3.4147, 1.3232, 4.0507],
         [4.6773, 3.0598, 2.3124, 1.8215]],

        [[1.7193, 1.3968, 3.4452, 3.5690],
         [3.1451, 1.7843, 1.6347, 2.2539]],

        [[7.0206, 5.6598, 2.2409, 6.1294],
         [4.4763, 3.1155, 1.0047, 3.5851]]], grad_fn=<SliceBackward0>)
ViewBackward0
  EuclideanDistBackward0
    ViewBackward0
      ExpandBackward0
        AccumulateGrad
    ViewBackward0
      CloneBackward0
        ExpandBackward0
          AccumulateGrad
SliceBackwardBackward0
NotImplementedError the derivative for '_cdist_backward' is not implemented.
SubBackward0
tensor([[ -9.5913, -10.3389, -12.5717],
        [-13.0486, -11.1256, -15.1459],
        [-10.0541,  -9.9756, -13.6234],
        [-14.2876,  -9.0303, -13.4965]])
RuntimeError cdist only supports at least 2D tensors, X1 got: 1D
RuntimeError X1 and X2 must have the same number of columns. X1: 3 X2: 2
RuntimeError cdist only supports non-negative p values
ValueError foo is not a valid value for compute_mode
RuntimeError cdist only supports floating-point dtypes, X1 got: Long
`);
  });
  it('cartesian_prod and combinations (meshgrid grids copied or masked, stacked), renorm (RenormBackward0), count_nonzero', () => {
    expect(runOutput(`import torch
def tree(f, d=0):
    if f is None or d > 7: return
    print('  ' * d + type(f).__name__)
    for g, _ in f.next_functions: tree(g, d + 1)
a = torch.tensor([1., 2.], requires_grad=True); b = torch.tensor([3., 4., 5.], requires_grad=True)
c = torch.cartesian_prod(a, b); print(c); tree(c.grad_fn)
print(torch.cartesian_prod(a), torch.cartesian_prod(a, b, a).shape)
k = torch.combinations(b); print(k); tree(k.grad_fn)
print(torch.combinations(b, 3), torch.combinations(b, 2, with_replacement=True), torch.combinations(b, 0), torch.combinations(b, 4))
x = torch.tensor([[1., 2., 3.], [4., 5., 6.], [0.1, 0.2, 0.1]], requires_grad=True)
r = torch.renorm(x, 2, 0, 5.0); print(r); tree(r.grad_fn); r.sum().backward(); print(x.grad)
print(x.renorm(1, 1, 3.0))
print(torch.count_nonzero(torch.tensor([[0, 1], [2, 0]])), torch.count_nonzero(torch.tensor([[0., 1], [2, 0]]), dim=0), torch.tensor([[0., 1], [2, 0]]).count_nonzero(dim=(0, 1)))
for f in [lambda: torch.combinations(x), lambda: torch.cartesian_prod(x, a), lambda: torch.renorm(x, 0, 0, 1.0), lambda: torch.renorm(a, 2, 0, 1.0), lambda: torch.renorm(x, 2, 0, -1.0)]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
g, = torch.autograd.grad(torch.renorm(x, 2, 0, 5.0).pow(2).sum(), x, create_graph=True); print(g[::2], type(g.grad_fn).__name__)
print(torch.autograd.grad(g.sum(), x)[0][0])
`)).toBe(`tensor([[1., 3.],
        [1., 4.],
        [1., 5.],
        [2., 3.],
        [2., 4.],
        [2., 5.]], grad_fn=<StackBackward0>)
StackBackward0
  UnsafeViewBackward0
    CloneBackward0
      ExpandBackward0
        ViewBackward0
          AccumulateGrad
  UnsafeViewBackward0
    CloneBackward0
      ExpandBackward0
        ViewBackward0
          AccumulateGrad
tensor([1., 2.], requires_grad=True) torch.Size([12, 3])
tensor([[3., 4.],
        [3., 5.],
        [4., 5.]], grad_fn=<StackBackward0>)
StackBackward0
  MaskedSelectBackward0
    ExpandBackward0
      ViewBackward0
        AccumulateGrad
  MaskedSelectBackward0
    ExpandBackward0
      ViewBackward0
        AccumulateGrad
tensor([[3., 4., 5.]], grad_fn=<StackBackward0>) tensor([[3., 3.],
        [3., 4.],
        [3., 5.],
        [4., 4.],
        [4., 5.],
        [5., 5.]], grad_fn=<StackBackward0>) tensor([]) tensor([], size=(0, 4), grad_fn=<StackBackward0>)
tensor([[1.0000, 2.0000, 3.0000],
        [2.2792, 2.8490, 3.4188],
        [0.1000, 0.2000, 0.1000]], grad_fn=<RenormBackward0>)
RenormBackward0
  AccumulateGrad
tensor([[ 1.0000,  1.0000,  1.0000],
        [ 0.1258,  0.0148, -0.0962],
        [ 1.0000,  1.0000,  1.0000]])
tensor([[0.5882, 0.8333, 0.9890],
        [2.3529, 2.0833, 1.9780],
        [0.0588, 0.0833, 0.0330]], grad_fn=<RenormBackward0>)
tensor(2) tensor([1, 1]) tensor(2)
RuntimeError Expect a 1D vector, but got shape [3, 3]
RuntimeError Expect a 1D vector, but got shape [3, 3]
RuntimeError renorm: non-positive-norm not supported
RuntimeError renorm: input needs at least 2 dimensions, got 1 dimensions
RuntimeError renorm: expected maxnorm to be >= 0 but got -1
tensor([[2.0000, 4.0000, 6.0000],
        [0.2000, 0.4000, 0.2000]], grad_fn=<SliceBackward0>) WhereBackward0
tensor([2., 2., 2.])
`);
  });
  it('vander: the values and the graph PyTorch writes (two CopySlices, a flip), and PyTorch\'s own failure to differentiate it (a view regenerated as AsStridedBackward0)', () => {
    expect(runOutput(`import torch
def tree(f, d=0):
    if f is None or d > 7: return
    print('  ' * d + type(f).__name__)
    for g, _ in f.next_functions: tree(g, d + 1)
a = torch.tensor([1.5, 2., -3.], requires_grad=True)
v = torch.vander(a, 4); print(v); tree(v.grad_fn)
# PyTorch 1.13's own vander cannot be differentiated: cumprod's saved input is overwritten by the second copy_.
try: (v * torch.arange(12.).reshape(3, 4)).sum().backward()
except RuntimeError as e: print(e)
print(torch.vander(torch.tensor([1, 2, 3])), torch.vander(torch.tensor([1., 2.]), 2, True), torch.vander(a, 0), torch.vander(a, 1), torch.vander(torch.tensor([True, False])))
w = torch.vander(a, increasing=True); print(w, type(w.grad_fn).__name__)
for f in [lambda: torch.vander(a.reshape(3, 1)), lambda: torch.vander(a, -1)]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
`)).toBe(`tensor([[  3.3750,   2.2500,   1.5000,   1.0000],
        [  8.0000,   4.0000,   2.0000,   1.0000],
        [-27.0000,   9.0000,  -3.0000,   1.0000]], grad_fn=<FlipBackward0>)
FlipBackward0
  CopySlices
    CopySlices
      UnsqueezeBackward0
        AccumulateGrad
    CumprodBackward0
      SliceBackward0
        CopySlices
          UnsqueezeBackward0
            AccumulateGrad
one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3, 3]], which is output 0 of AsStridedBackward0, is at version 3; expected version 2 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).
tensor([[1, 1, 1],
        [4, 2, 1],
        [9, 3, 1]]) tensor([[1., 1.],
        [1., 2.]]) tensor([], size=(3, 0)) tensor([[1.],
        [1.],
        [1.]]) tensor([[1, 1],
        [0, 1]])
tensor([[ 1.0000,  1.5000,  2.2500],
        [ 1.0000,  2.0000,  4.0000],
        [ 1.0000, -3.0000,  9.0000]], grad_fn=<CopySlices>) CopySlices
RuntimeError x must be a one-dimensional tensor.
RuntimeError N must be non-negative.
`);
  });
});
