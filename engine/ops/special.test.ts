// torch.lgamma, digamma, polygamma, mvlgamma and torch.special in programs, against real PyTorch 1.13.1's printed
// output (values, grad_fn names, layouts, errors, create_graph second derivatives, in-place forms), the Bessel
// functions, ndtri and log_ndtr.
import { describe, expect, it } from 'vitest';
import { runOutput } from '../lang/runOutput';

describe('the gamma family and torch.special in programs', () => {
  it('prints what PyTorch prints', () => {
    expect(runOutput(`import torch
x = torch.tensor([[0.5, 1.5, 2.5],[3.0, -0.5, 7.25]], requires_grad=True)
for f in [torch.lgamma, torch.digamma, lambda t: torch.polygamma(2, t), torch.special.gammaln, torch.special.digamma, torch.special.psi, lambda t: torch.special.polygamma(3, t), lambda t: torch.mvlgamma(t+3, 2), lambda t: t.lgamma(), lambda t: t.polygamma(1), lambda t: t.mvlgamma(p=1), lambda t: torch.special.multigammaln(t + 2, 3)]:
    y = f(x)
    print(y.grad_fn.name() if y.grad_fn else None, y)
t = x.detach().t()
print(t.lgamma().stride(), t.digamma().stride(), t.polygamma(2).stride(), torch.mvlgamma(t + 3, 2).stride(), torch.special.entr(t).stride(), torch.special.xlog1py(t, t).stride())
print(torch.lgamma(torch.tensor([1,2,3])))
print(torch.polygamma(1, torch.tensor([1,2,3])))
for bad in [lambda: torch.polygamma(-1, x), lambda: torch.polygamma(1.5, x), lambda: torch.mvlgamma(x, 0), lambda: torch.lgamma(3), lambda: x.polygamma_(1), lambda: torch.tensor([1, 2]).lgamma_()]:
    try: print(bad())
    except Exception as e: print(type(e).__name__, e)
y = torch.lgamma(x).sum(); g, = torch.autograd.grad(y, x, create_graph=True); print(g)
h, = torch.autograd.grad(g.sum(), x); print(h)
y = torch.polygamma(2, x).sum(); g, = torch.autograd.grad(y, x, create_graph=True); print(g)
h, = torch.autograd.grad(g.sum(), x); print(h)
y = torch.mvlgamma(x + 3, 2).sum(); g, = torch.autograd.grad(y, x, create_graph=True); print(g)
h, = torch.autograd.grad(g.sum(), x); print(h)
z = x.detach().clone(); z.lgamma_(); print(z); z.digamma_(); print(z); z.polygamma_(1); print(z); z.mvlgamma_(1); print(z)
w = x * 1
w.lgamma_(); print(w.grad_fn.name()); w.sum().backward(); print(x.grad)
print(torch.special.gammaln(torch.tensor([0., -1., -2.5, 1e10, float('inf'), float('-inf'), float('nan')])))
print(torch.digamma(torch.tensor([0., -0., -1., -2.5, 1e10, float('inf'), float('-inf')])))
print(torch.polygamma(3, torch.tensor([0., -1., -2.5, 1e10])))
print(torch.lgamma(torch.tensor([0.5, 1e-3, 30.0], dtype=torch.float64)))
print(torch.lgamma(torch.linspace(-5, 5, 11)))
print(torch.lgamma(torch.tensor(4.5)).item(), torch.digamma(torch.tensor(4.5)).item(), torch.polygamma(4, torch.tensor(0.25)).item())
S = torch.special
e = torch.tensor([[0.0, 0.5, 2.0],[-1.0, float('nan'), 1e-3]], requires_grad=True)
y = S.entr(e); print(y); y.sum().backward(); print(e.grad)
print(S.entr(torch.tensor([0, 1, 2])))
a = torch.tensor([0.0, 1.5, -2.0, 3.0], requires_grad=True); b = torch.tensor([-1.0, 0.5, float('nan'), 2.0], requires_grad=True)
z = S.xlog1py(a, b); print(z); z.sum().backward(); print(a.grad, b.grad)
print(S.xlog1py(2.0, b).grad_fn.name(), S.xlog1py(a, 3.0).grad_fn.name(), S.xlog1py(2, torch.tensor([1, 2])))
q = torch.tensor([[0.2, 0.5, 0.9],[0.3, 0.7, 0.1]], requires_grad=True)
for k, f in {'expit': S.expit, 'logit': S.logit, 'erf': S.erf, 'erfc': S.erfc, 'erfinv': S.erfinv, 'exp2': S.exp2, 'expm1': S.expm1, 'log1p': S.log1p,
  'xlogy': lambda t: S.xlogy(t, t+1), 'sinc': S.sinc, 'logsumexp': lambda t: S.logsumexp(t, 1), 'log_softmax': lambda t: S.log_softmax(t, 1),
  'softmax': lambda t: S.softmax(t, 0), 'round': S.round, 'ndtr': S.ndtr}.items():
    y = f(q); print(k, y.grad_fn.name(), y)
from torch.special import gammaln, xlog1py
import torch.special as sp
print(gammaln(torch.tensor([2.5])), sp.psi(torch.tensor([2.5])))
`)).toBe(`LgammaBackward0 tensor([[ 0.5724, -0.1208,  0.2847],
        [ 0.6931,  1.2655,  7.0522]], grad_fn=<LgammaBackward0>)
DigammaBackward0 tensor([[-1.9635,  0.0365,  0.7032],
        [ 0.9228,  0.0365,  1.9105]], grad_fn=<DigammaBackward0>)
PolygammaBackward0 tensor([[-16.8288,  -0.8288,  -0.2362],
        [ -0.1541,  -0.8288,  -0.0218]], grad_fn=<PolygammaBackward0>)
LgammaBackward0 tensor([[ 0.5724, -0.1208,  0.2847],
        [ 0.6931,  1.2655,  7.0522]], grad_fn=<LgammaBackward0>)
DigammaBackward0 tensor([[-1.9635,  0.0365,  0.7032],
        [ 0.9228,  0.0365,  1.9105]], grad_fn=<DigammaBackward0>)
DigammaBackward0 tensor([[-1.9635,  0.0365,  0.7032],
        [ 0.9228,  0.0365,  1.9105]], grad_fn=<DigammaBackward0>)
PolygammaBackward0 tensor([[9.7409e+01, 1.4091e+00, 2.2391e-01],
        [1.1894e-01, 1.9341e+02, 6.4330e-03]], grad_fn=<PolygammaBackward0>)
MvlgammaBackward0 tensor([[ 2.4665,  4.8179,  7.7082],
        [ 9.3177,  0.8570, 26.1826]], grad_fn=<MvlgammaBackward0>)
LgammaBackward0 tensor([[ 0.5724, -0.1208,  0.2847],
        [ 0.6931,  1.2655,  7.0522]], grad_fn=<LgammaBackward0>)
PolygammaBackward0 tensor([[4.9348, 0.9348, 0.4904],
        [0.3949, 8.9348, 0.1479]], grad_fn=<PolygammaBackward0>)
MvlgammaBackward0 tensor([[ 0.5724, -0.1208,  0.2847],
        [ 0.6931,  1.2655,  7.0522]], grad_fn=<MvlgammaBackward0>)
MvlgammaBackward0 tensor([[ 1.8810,  3.8959,  7.1636],
        [ 9.1406,  2.1687, 31.9668]], grad_fn=<MvlgammaBackward0>)
(1, 3) (1, 3) (1, 3) (2, 1) (1, 3) (1, 3)
tensor([0.0000, 0.0000, 0.6931])
tensor([1.6449, 0.6449, 0.3949])
RuntimeError polygamma(n, x) does not support negative n.
TypeError polygamma(): argument 'n' (position 1) must be int, not float
RuntimeError p has to be greater than or equal to 1
TypeError lgamma(): argument 'input' (position 1) must be Tensor, not int
RuntimeError a leaf Variable that requires grad is being used in an in-place operation.
RuntimeError result type Float can't be cast to the desired output type Long
tensor([[-1.9635,  0.0365,  0.7032],
        [ 0.9228,  0.0365,  1.9105]], grad_fn=<MulBackward0>)
tensor([[4.9348, 0.9348, 0.4904],
        [0.3949, 8.9348, 0.1479]])
tensor([[9.7409e+01, 1.4091e+00, 2.2391e-01],
        [1.1894e-01, 1.9341e+02, 6.4330e-03]], grad_fn=<MulBackward0>)
tensor([[-7.7147e+02, -3.4743e+00, -3.1376e-01],
        [-1.3627e-01, -3.4743e+00, -2.8388e-03]])
tensor([[2.0259, 2.6450, 3.1172],
        [3.3172, 1.1259, 4.5028]], grad_fn=<MulBackward0>)
tensor([[0.7253, 0.5325, 0.4207],
        [0.3807, 1.1353, 0.2105]])
tensor([[ 0.5724, -0.1208,  0.2847],
        [ 0.6931,  1.2655,  7.0522]])
tensor([[-1.6451,  7.4838, -3.6994],
        [-1.2396, -0.2090,  1.8808]])
tensor([[11.7832,  0.1429, 14.8003],
        [20.5581, 25.2250,  0.6969]])
tensor([[16.9748,  1.8785, 24.6586],
        [41.0056, 55.5054,  0.2647]])
LgammaBackward0
tensor([[-1.9635,  0.0365,  0.7032],
        [ 0.9228,  0.0365,  1.9105]])
tensor([        inf,         inf, -5.6244e-02,  2.2026e+11,         inf,
                inf,         nan])
tensor([   -inf,     inf,     nan,  1.1032, 23.0259,     inf,     nan])
tensor([       inf,        inf, 1.9475e+02, 2.0000e-30])
tensor([ 0.5724,  6.9072, 71.2570], dtype=torch.float64)
tensor([   inf,    inf,    inf,    inf,    inf,    inf, 0.0000, 0.0000, 0.6931,
        1.7918, 3.1781])
2.4537365436553955 1.3888709545135498 -24584.376953125
tensor([[ 0.0000,  0.3466, -1.3863],
        [   -inf,     nan,  0.0069]], grad_fn=<SpecialEntrBackward0>)
tensor([[    inf, -0.3069, -1.6931],
        [    nan,     nan,  5.9078]])
tensor([ 0.0000, -0.0000, -1.3863])
tensor([0.0000, 0.6082,    nan, 3.2958], grad_fn=<SpecialXlog1PyBackward0>)
tensor([0.0000, 0.4055,    nan, 1.0986]) tensor([nan, 1., nan, 1.])
SpecialXlog1PyBackward1 SpecialXlog1PyBackward2 tensor([1.3863, 2.1972])
expit SigmoidBackward0 tensor([[0.5498, 0.6225, 0.7109],
        [0.5744, 0.6682, 0.5250]], grad_fn=<SigmoidBackward0>)
logit LogitBackward0 tensor([[-1.3863,  0.0000,  2.1972],
        [-0.8473,  0.8473, -2.1972]], grad_fn=<LogitBackward0>)
erf ErfBackward0 tensor([[0.2227, 0.5205, 0.7969],
        [0.3286, 0.6778, 0.1125]], grad_fn=<ErfBackward0>)
erfc ErfcBackward0 tensor([[0.7773, 0.4795, 0.2031],
        [0.6714, 0.3222, 0.8875]], grad_fn=<ErfcBackward0>)
erfinv ErfinvBackward0 tensor([[0.1791, 0.4769, 1.1631],
        [0.2725, 0.7329, 0.0889]], grad_fn=<ErfinvBackward0>)
exp2 Exp2Backward0 tensor([[1.1487, 1.4142, 1.8661],
        [1.2311, 1.6245, 1.0718]], grad_fn=<Exp2Backward0>)
expm1 Expm1Backward0 tensor([[0.2214, 0.6487, 1.4596],
        [0.3499, 1.0138, 0.1052]], grad_fn=<Expm1Backward0>)
log1p Log1PBackward0 tensor([[0.1823, 0.4055, 0.6419],
        [0.2624, 0.5306, 0.0953]], grad_fn=<Log1PBackward0>)
xlogy XlogyBackward0 tensor([[0.0365, 0.2027, 0.5777],
        [0.0787, 0.3714, 0.0095]], grad_fn=<XlogyBackward0>)
sinc SincBackward0 tensor([[0.9355, 0.6366, 0.1093],
        [0.8584, 0.3679, 0.9836]], grad_fn=<SincBackward0>)
logsumexp LogsumexpBackward0 tensor([1.6733, 1.4971], grad_fn=<LogsumexpBackward0>)
log_softmax LogSoftmaxBackward0 tensor([[-1.4733, -1.1733, -0.7733],
        [-1.1971, -0.7971, -1.3971]], grad_fn=<LogSoftmaxBackward0>)
softmax SoftmaxBackward0 tensor([[0.4750, 0.4502, 0.6900],
        [0.5250, 0.5498, 0.3100]], grad_fn=<SoftmaxBackward0>)
round RoundBackward1 tensor([[0., 0., 1.],
        [0., 1., 0.]], grad_fn=<RoundBackward1>)
ndtr MulBackward1 tensor([[0.5793, 0.6915, 0.8159],
        [0.6179, 0.7580, 0.5398]], grad_fn=<MulBackward1>)
tensor([0.2847]) tensor([0.7032])
`);
  });
  it('torch.i0 and torch.special.i0/i0e/i1/i1e: values, grad_fns, first and second derivatives (0.5 at 0), in place', () => {
    expect(runOutput(`import torch
x = torch.tensor([[0.0, 0.5, -1.5], [3.0, -9.0, 12.0]], requires_grad=True)
S = torch.special
for name, f in [('i0', torch.i0), ('si0', S.i0), ('i0e', S.i0e), ('i1', S.i1), ('i1e', S.i1e), ('m', lambda t: t.i0())]:
    y = f(x); print(name, type(y.grad_fn).__name__, y)
    g, = torch.autograd.grad(y.sum(), x, create_graph=True); print(g, type(g.grad_fn).__name__)
    h, = torch.autograd.grad(g.sum(), x); print(h)
print(torch.i0(torch.tensor([1, 2])), S.i1e(torch.tensor([1., 2.], dtype=torch.float64)))
z = x.detach().clone(); z.i0_(); print(z)
print(x.detach().t().i0().stride(), S.i1(x.detach().t()).stride())
`)).toBe(`i0 I0Backward0 tensor([[1.0000e+00, 1.0635e+00, 1.6467e+00],
        [4.8808e+00, 1.0936e+03, 1.8949e+04]], grad_fn=<I0Backward0>)
tensor([[ 0.0000e+00,  2.5789e-01, -9.8167e-01],
        [ 3.9534e+00, -1.0309e+03,  1.8141e+04]], grad_fn=<MulBackward0>) MulBackward0
tensor([[5.0000e-01, 5.4769e-01, 9.9228e-01],
        [3.5630e+00, 9.7904e+02, 1.7437e+04]])
si0 I0Backward0 tensor([[1.0000e+00, 1.0635e+00, 1.6467e+00],
        [4.8808e+00, 1.0936e+03, 1.8949e+04]], grad_fn=<I0Backward0>)
tensor([[ 0.0000e+00,  2.5789e-01, -9.8167e-01],
        [ 3.9534e+00, -1.0309e+03,  1.8141e+04]], grad_fn=<MulBackward0>) MulBackward0
tensor([[5.0000e-01, 5.4769e-01, 9.9228e-01],
        [3.5630e+00, 9.7904e+02, 1.7437e+04]])
i0e SpecialI0EBackward0 tensor([[1.0000, 0.6450, 0.3674],
        [0.2430, 0.1350, 0.1164]], grad_fn=<SpecialI0EBackward0>)
tensor([[ 0.0000, -0.4886,  0.1484],
        [-0.0462,  0.0077, -0.0050]], grad_fn=<MulBackward0>) MulBackward0
tensor([[5.0000e-01, 6.6439e-01, 1.5076e-01],
        [2.6738e-02, 1.3330e-03, 6.3513e-04]])
i1 SpecialI1Backward0 tensor([[ 0.0000e+00,  2.5789e-01, -9.8167e-01],
        [ 3.9534e+00, -1.0309e+03,  1.8141e+04]], grad_fn=<SpecialI1Backward0>)
tensor([[5.0000e-01, 5.4769e-01, 9.9228e-01],
        [3.5630e+00, 9.7904e+02, 1.7437e+04]], grad_fn=<MulBackward0>) MulBackward0
tensor([[ 0.0000e+00,  1.9408e-01, -7.5644e-01],
        [ 3.2050e+00, -9.3486e+02,  1.6814e+04]])
i1e SpecialI1EBackward0 tensor([[ 0.0000,  0.1564, -0.2190],
        [ 0.1968, -0.1272,  0.1115]], grad_fn=<SpecialI1EBackward0>)
tensor([[ 0.5000,  0.1758,  0.0024],
        [-0.0194, -0.0064, -0.0043]], grad_fn=<MulBackward0>) MulBackward0
tensor([[ 0.0000, -0.3903,  0.0550],
        [ 0.0016, -0.0009,  0.0005]])
m I0Backward0 tensor([[1.0000e+00, 1.0635e+00, 1.6467e+00],
        [4.8808e+00, 1.0936e+03, 1.8949e+04]], grad_fn=<I0Backward0>)
tensor([[ 0.0000e+00,  2.5789e-01, -9.8167e-01],
        [ 3.9534e+00, -1.0309e+03,  1.8141e+04]], grad_fn=<MulBackward0>) MulBackward0
tensor([[5.0000e-01, 5.4769e-01, 9.9228e-01],
        [3.5630e+00, 9.7904e+02, 1.7437e+04]])
tensor([1.2661, 2.2796]) tensor([0.2079, 0.2153], dtype=torch.float64)
tensor([[1.0000e+00, 1.0635e+00, 1.6467e+00],
        [4.8808e+00, 1.0936e+03, 1.8949e+04]])
(1, 3) (1, 3)
`);
  });
  it('torch.special.ndtri: values (0 and 1 to ∓inf, NaN outside), SpecialNdtriBackward0, first and second derivatives', () => {
    expect(runOutput(`import torch
p = torch.tensor([[0.01, 0.3, 0.5], [0.7, 0.95, 0.999]], requires_grad=True)
q = torch.special.ndtri(p); print(q, type(q.grad_fn).__name__)
g, = torch.autograd.grad(q.sum(), p, create_graph=True); print(g)
print(torch.autograd.grad(g.sum(), p)[0])
print(torch.special.ndtri(torch.tensor([0., 1., -0.1, 1.1, 0.5])), torch.special.ndtri(torch.tensor([0.25], dtype=torch.float64)).item())
print(torch.special.ndtri(torch.special.ndtr(torch.tensor([-2., 0.3, 1.5]))))
`)).toBe(`tensor([[-2.3263, -0.5244,  0.0000],
        [ 0.5244,  1.6449,  3.0902]], grad_fn=<SpecialNdtriBackward0>) SpecialNdtriBackward0
tensor([[ 37.5204,   2.8761,   2.5066],
        [  2.8761,   9.6960, 296.9959]], grad_fn=<MulBackward0>)
tensor([[-3.2750e+03, -4.3378e+00,  0.0000e+00],
        [ 4.3378e+00,  1.5464e+02,  2.7258e+05]])
tensor([-inf, inf, nan, nan, 0.]) -0.6744897501960817
tensor([-2.0000,  0.3000,  1.5000])
`);
  });
  it('torch.special.log_ndtr: both branches, infinities, SpecialLogNdtrBackward0 and its second derivative', () => {
    expect(runOutput(`import torch
x = torch.tensor([[-40., -5.5, -1.2], [-0.3, 2.0, 9.0]], requires_grad=True)
y = torch.special.log_ndtr(x); print(y, type(y.grad_fn).__name__)
g, = torch.autograd.grad(y.sum(), x, create_graph=True); print(g)
print(torch.autograd.grad(g.sum(), x)[0])
print(torch.special.log_ndtr(torch.tensor([float('-inf'), float('inf'), float('nan'), 0.])), torch.special.log_ndtr(torch.tensor([-3., 1.], dtype=torch.float64)))
print(torch.special.log_ndtr(torch.tensor([1, -2])))
`)).toBe(`tensor([[-8.0461e+02, -1.7779e+01, -2.1622e+00],
        [-9.6210e-01, -2.3013e-02, -1.1286e-19]],
       grad_fn=<SpecialLogNdtrBackward0>) SpecialLogNdtrBackward0
tensor([[4.0026e+01, 5.6714e+00, 1.6876e+00],
        [9.9817e-01, 5.5248e-02, 1.0280e-18]], grad_fn=<MulBackward0>)
tensor([[-1.0273e+00, -9.7210e-01, -8.2277e-01],
        [-6.9689e-01, -1.1355e-01, -9.2518e-18]])
tensor([   -inf, -0.0000,     nan, -0.6931]) tensor([-6.6077, -0.1728], dtype=torch.float64)
tensor([-0.1728, -3.7832])
`);
  });
});
