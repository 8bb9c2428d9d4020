// torch functions and methods added from a probe of torch's namespace (bindings/moreTorch.ts, ops/extra.ts),
// against real PyTorch 1.13's printed output for the same programs: the grad_fn chains they record, their
// values and gradients, the predicates and helpers, and +0 (not -0) where a gradient is masked.
import { describe, expect, it } from 'vitest';
import { runOutput } from './runOutput';

const out = (src: string): string => runOutput(`import torch\n${src}`);

describe('more of torch', () => {
  it('records the grad_fn chains PyTorch records (natives under their names, composites as PyTorch composes them)', () => {
    expect(out(`x = torch.tensor([[0.5, -0.3, 0.8], [0.1, 0.7, -0.6]], requires_grad=True)
def show(name, f):
    try:
        y = f()
    except Exception as e:
        print(name, 'ERROR', type(e).__name__)
        return
    if isinstance(y, (tuple, list)):
        print(name, [type(t.grad_fn).__name__ if t.grad_fn is not None else None for t in y])
    else:
        ch = []
        f = y.grad_fn
        for _ in range(4):
            if f is None: break
            ch.append(type(f).__name__)
            nf = [n for n, _ in f.next_functions if n is not None]
            f = nf[0] if nf else None
        print(name, ch)
show('tan', lambda: x.tan()); show('asinh', lambda: x.asinh()); show('acosh', lambda: (x + 2).acosh()); show('atanh', lambda: x.atanh())
show('rad2deg', lambda: x.rad2deg()); show('deg2rad', lambda: x.deg2rad()); show('logaddexp', lambda: torch.logaddexp(x, x * 2)); show('logit', lambda: (x.abs() + 0.05).logit())
show('erfc', lambda: x.erfc()); show('erfinv', lambda: x.erfinv()); show('sinc', lambda: x.sinc())
show('tile', lambda: x.tile(2, 1)); show('broadcast_to', lambda: x.broadcast_to(3, 2, 3)); show('broadcast_tensors', lambda: torch.broadcast_tensors(x, x[0]))
show('meshgrid', lambda: torch.meshgrid(x[0], x[1], indexing='ij')); show('meshgrid_xy', lambda: torch.meshgrid(x[0], x[1], indexing='xy'))
show('hstack', lambda: torch.hstack([x, x])); show('vstack', lambda: torch.vstack([x[0], x[1]])); show('dstack', lambda: torch.dstack([x, x])); show('column_stack', lambda: torch.column_stack([x[0], x[1]]))
show('atleast_1d', lambda: torch.atleast_1d(x[0, 0])); show('atleast_2d', lambda: torch.atleast_2d(x[0])); show('atleast_3d', lambda: torch.atleast_3d(x))
show('diag1', lambda: torch.diag(x[0])); show('diag2', lambda: torch.diag(x)); show('trace', lambda: torch.trace(x)); show('diff', lambda: torch.diff(x)); show('diff0', lambda: torch.diff(x, dim=0))
show('tensor_split', lambda: torch.tensor_split(x, 2, dim=1)); show('hsplit', lambda: torch.hsplit(x, [1])); show('vsplit', lambda: torch.vsplit(x, 2))
show('repeat_interleave', lambda: x.repeat_interleave(2)); show('repeat_interleave_d', lambda: x.repeat_interleave(2, dim=0)); show('type_as', lambda: x.type_as(x.double()))
show('addcmul', lambda: torch.addcmul(x, x, x, value=0.5)); show('addcdiv', lambda: torch.addcdiv(x, x, x + 2, value=0.5)); show('take', lambda: x.take(torch.tensor([0, 4])))
show('scatter', lambda: torch.zeros(2, 3).scatter(1, torch.tensor([[0], [2]]), x[:, :1])); show('scatter_src', lambda: x.scatter(1, torch.tensor([[0], [2]]), 5.0))
show('scatter_add', lambda: x.scatter_add(1, torch.tensor([[0, 0], [2, 1]]), x[:, :2])); show('index_add', lambda: x.index_add(1, torch.tensor([0, 2]), x[:, :2]))
show('index_fill', lambda: x.index_fill(1, torch.tensor([0]), 2.0)); show('cross', lambda: torch.cross(x, x * 2, dim=1)); show('nansum', lambda: x.nansum()); show('nanmean', lambda: x.nanmean())
show('msort', lambda: torch.msort(x)); show('kthvalue', lambda: x.kthvalue(2, 1)); show('mode', lambda: x.mode(1)); show('cummax', lambda: x.cummax(1)); show('logcumsumexp', lambda: x.logcumsumexp(1))
show('clamp_min', lambda: torch.clamp_min(x, 0.1))
show('fmod', lambda: torch.fmod(x, 0.3)); show('copysign', lambda: torch.copysign(x, -1.0))
show('cummin', lambda: x.cummin(1))
show('linalg.norm', lambda: torch.linalg.norm(x)); show('linalg.vector_norm', lambda: torch.linalg.vector_norm(x, dim=1)); show('linalg.matrix_norm', lambda: torch.linalg.matrix_norm(x))
`)).toBe(`tan ['TanBackward0', 'AccumulateGrad']
asinh ['AsinhBackward0', 'AccumulateGrad']
acosh ['AcoshBackward0', 'AddBackward0', 'AccumulateGrad']
atanh ['AtanhBackward0', 'AccumulateGrad']
rad2deg ['Rad2DegBackward0', 'AccumulateGrad']
deg2rad ['Deg2RadBackward0', 'AccumulateGrad']
logaddexp ['LogaddexpBackward0', 'AccumulateGrad']
logit ['LogitBackward0', 'AddBackward0', 'AbsBackward0', 'AccumulateGrad']
erfc ['ErfcBackward0', 'AccumulateGrad']
erfinv ['ErfinvBackward0', 'AccumulateGrad']
sinc ['SincBackward0', 'AccumulateGrad']
tile ['RepeatBackward0', 'AccumulateGrad']
broadcast_to ['ExpandBackward0', 'AccumulateGrad']
broadcast_tensors [None, 'ExpandBackward0']
meshgrid ['ExpandBackward0', 'ExpandBackward0']
meshgrid_xy ['ExpandBackward0', 'ExpandBackward0']
hstack ['CatBackward0', 'AccumulateGrad']
vstack ['CatBackward0', 'UnsqueezeBackward0', 'SelectBackward0', 'AccumulateGrad']
dstack ['CatBackward0', 'UnsqueezeBackward0', 'AccumulateGrad']
column_stack ['CatBackward0', 'ReshapeAliasBackward0', 'SelectBackward0', 'AccumulateGrad']
atleast_1d ['ReshapeAliasBackward0', 'SelectBackward0', 'SelectBackward0', 'AccumulateGrad']
atleast_2d ['UnsqueezeBackward0', 'SelectBackward0', 'AccumulateGrad']
atleast_3d ['UnsqueezeBackward0', 'AccumulateGrad']
diag1 ['DiagBackward0', 'SelectBackward0', 'AccumulateGrad']
diag2 ['DiagBackward0', 'AccumulateGrad']
trace ['TraceBackward0', 'AccumulateGrad']
diff ['SubBackward0', 'SliceBackward0', 'AccumulateGrad']
diff0 ['SubBackward0', 'SliceBackward0', 'AccumulateGrad']
tensor_split ['SliceBackward0', 'SliceBackward0']
hsplit ['SliceBackward0', 'SliceBackward0']
vsplit ['SliceBackward0', 'SliceBackward0']
repeat_interleave ['IndexSelectBackward0', 'ReshapeAliasBackward0', 'AccumulateGrad']
repeat_interleave_d ['IndexSelectBackward0', 'AccumulateGrad']
type_as ['ToCopyBackward0', 'AccumulateGrad']
addcmul ['AddcmulBackward0', 'AccumulateGrad']
addcdiv ['AddcdivBackward0', 'AccumulateGrad']
take ['TakeBackward0', 'AccumulateGrad']
scatter ['ScatterBackward0', 'SliceBackward0', 'SliceBackward0', 'AccumulateGrad']
scatter_src ['ScatterBackward1', 'AccumulateGrad']
scatter_add ['ScatterAddBackward0', 'AccumulateGrad']
index_add ['IndexAddBackward0', 'AccumulateGrad']
index_fill ['IndexFillBackward0', 'AccumulateGrad']
cross ['LinalgCrossBackward0', 'AccumulateGrad']
nansum ['NansumBackward0', 'AccumulateGrad']
nanmean ['DivBackward0', 'NansumBackward0', 'AccumulateGrad']
msort ['SortBackward0', 'AccumulateGrad']
kthvalue ['KthvalueBackward0', None]
mode ['ModeBackward0', None]
cummax ['CummaxBackward0', None]
logcumsumexp ['LogcumsumexpBackward0', 'AccumulateGrad']
clamp_min ['ClampMinBackward0', 'AccumulateGrad']
fmod ['FmodBackward0', 'AccumulateGrad']
copysign ['CopysignBackward1', 'AccumulateGrad']
cummin ['CumminBackward0', None]
linalg.norm ['LinalgVectorNormBackward0', 'AccumulateGrad']
linalg.vector_norm ['LinalgVectorNormBackward0', 'AccumulateGrad']
linalg.matrix_norm ['LinalgVectorNormBackward0', 'AccumulateGrad']
`);
  });

  it("gives PyTorch's values and gradients, and its predicates, finfo, backends, one_hot and inference_mode", () => {
    expect(out(`x = torch.tensor([[0.5, -0.3, 0.8], [0.1, 0.7, -0.6]], requires_grad=True)
w = torch.tensor([[1.5, 2.0, -1.0], [0.25, -0.5, 3.0]], requires_grad=True)
outs = {
    'tan': x.tan(), 'asinh': x.asinh(), 'acosh': (x + 2).acosh(), 'atanh': x.atanh(), 'rad2deg': x.rad2deg(), 'deg2rad': x.deg2rad(),
    'logaddexp': torch.logaddexp(x, w), 'logit': (x.abs() + 0.05).logit(), 'logit_eps': x.logit(eps=0.2), 'erfc': (x * 3).erfc(), 'erfinv': (x * 0.9).erfinv(), 'sinc': (x * 2).sinc(),
    'tile': x.tile(2, 1) * w.tile(2, 1), 'broadcast_to': x[0].broadcast_to(2, 3) * w, 'hstack': torch.hstack([x, w]), 'vstack': torch.vstack([x[0], w[1]]),
    'dstack': torch.dstack([x, w]), 'column_stack': torch.column_stack([x[0], w[1]]), 'diag1': torch.diag(x[0], 1), 'diag2': torch.diag(x, -1), 'trace': torch.trace(x @ w.t()),
    'diff': torch.diff(x * w, n=2), 'diffpre': torch.diff(x, dim=0, prepend=w[:1]), 'split0': torch.tensor_split(x * w, 2, dim=1)[1], 'rep': x.repeat_interleave(torch.tensor([1, 2, 0]), dim=1),
    'rep2': x.repeat_interleave(2), 'addcmul': torch.addcmul(x, x, w, value=0.5), 'addcdiv': torch.addcdiv(x, w, x + 2, value=-1.5), 'take': x.take(torch.tensor([0, 5, -1, 0])),
    'scatter': torch.zeros(2, 3).scatter(1, torch.tensor([[0], [2]]), x[:, :1] * w[:, :1]), 'scatter_val': x.scatter(1, torch.tensor([[0, 1], [2, 2]]), 5.0),
    'scatter_add': x.scatter_add(1, torch.tensor([[0, 0], [2, 1]]), w[:, :2]), 'index_add': x.index_add(1, torch.tensor([0, 2]), w[:, :2], alpha=2),
    'index_fill': (x * w).index_fill(1, torch.tensor([0]), 2.0), 'cross': torch.cross(x, w, dim=1), 'lcross': torch.linalg.cross(x, w), 'nansum': (x / (x - 0.5)).nansum(1),
    'nanmean': (x * w).nanmean(0), 'msort': torch.msort(x * w), 'kth': (x * w).kthvalue(2, 1).values, 'mode': torch.tensor([[1., 2., 2.], [3., 3., 1.]]).mode(1).values * x[:, 0],
    'cummax': (x * w).cummax(1).values, 'cummin': (x * w).cummin(0).values, 'lcse': (x * w).logcumsumexp(1), 'fmod': torch.fmod(x * 7, w), 'fmod_s': torch.fmod(x * 7, 2.5),
    'copysign': torch.copysign(x, w), 'copysign_s': torch.copysign(w, -1.0), 'vnorm': torch.linalg.vector_norm(x * w, ord=3, dim=1), 'lnorm': torch.linalg.norm(x), 'mnorm': torch.linalg.matrix_norm(x * w),
    'clamp_min': torch.clamp_min(x, 0.1), 'meshgrid': torch.meshgrid(x[0], w[1], indexing='xy')[0] * torch.meshgrid(x[0], w[1], indexing='xy')[1],
    'btensors': torch.broadcast_tensors(x, w[0])[1] * x,
}
loss = sum((v * torch.linspace(-1, 1, v.numel()).reshape(v.shape)).sum() for v in outs.values())
loss.backward()
for k, v in outs.items():
    print(k, v.detach())
print(x.grad, w.grad)
print(torch.isnan(x / 0), torch.isinf(x / 0), torch.isfinite(x), torch.isclose(x, x + 1e-9), x.allclose(x * 1.0), x.equal(x.clone()), torch.signbit(torch.tensor([-0., 0., -1.])))
print(torch.logical_and(x > 0, w > 0), torch.logical_xor(x > 0, w > 0), torch.nonzero(x > 0), torch.nonzero(x > 0, as_tuple=True), torch.logspace(0, 2, 3), torch.tril_indices(3, 3), torch.triu_indices(2, 3, 1))
print(torch.finfo(torch.float32).eps, torch.finfo().max, torch.iinfo(torch.int32).max, torch.backends.cudnn.deterministic, torch.backends.mps.is_available())
print(torch.nn.functional.one_hot(torch.tensor([0, 2, 1])), x.type_as(torch.tensor([1], dtype=torch.float64)).dtype)
with torch.inference_mode():
    print((x * 2).requires_grad)
print(torch.atleast_2d(x[0, 0]).shape, torch.atleast_3d(x).shape, torch.atleast_1d(x[0, 0], x).__class__.__name__, torch.hsplit(x, [1, 2])[2].shape, torch.vsplit(x, 2)[0].shape)
`)).toBe(`tan tensor([[ 0.5463, -0.3093,  1.0296],
        [ 0.1003,  0.8423, -0.6841]])
asinh tensor([[ 0.4812, -0.2957,  0.7327],
        [ 0.0998,  0.6527, -0.5688]])
acosh tensor([[1.5668, 1.1232, 1.6892],
        [1.3729, 1.6502, 0.8670]])
atanh tensor([[ 0.5493, -0.3095,  1.0986],
        [ 0.1003,  0.8673, -0.6931]])
rad2deg tensor([[ 28.6479, -17.1887,  45.8366],
        [  5.7296,  40.1070, -34.3775]])
deg2rad tensor([[ 0.0087, -0.0052,  0.0140],
        [ 0.0017,  0.0122, -0.0105]])
logaddexp tensor([[1.8133, 2.0955, 0.9530],
        [0.8710, 0.9633, 3.0270]])
logit tensor([[ 0.2007, -0.6190,  1.7346],
        [-1.7346,  1.0986,  0.6190]])
logit_eps tensor([[ 0.0000, -1.3863,  1.3863],
        [-1.3863,  0.8473, -1.3863]])
erfc tensor([[3.3895e-02, 1.7969e+00, 6.8851e-04],
        [6.7137e-01, 2.9795e-03, 1.9891e+00]])
erfinv tensor([[ 0.4227, -0.2440,  0.7639],
        [ 0.0799,  0.6339, -0.5224]])
sinc tensor([[-2.7828e-08,  5.0455e-01, -1.8921e-01],
        [ 9.3549e-01, -2.1624e-01, -1.5591e-01]])
tile tensor([[ 0.7500, -0.6000, -0.8000],
        [ 0.0250, -0.3500, -1.8000],
        [ 0.7500, -0.6000, -0.8000],
        [ 0.0250, -0.3500, -1.8000]])
broadcast_to tensor([[ 0.7500, -0.6000, -0.8000],
        [ 0.1250,  0.1500,  2.4000]])
hstack tensor([[ 0.5000, -0.3000,  0.8000,  1.5000,  2.0000, -1.0000],
        [ 0.1000,  0.7000, -0.6000,  0.2500, -0.5000,  3.0000]])
vstack tensor([[ 0.5000, -0.3000,  0.8000],
        [ 0.2500, -0.5000,  3.0000]])
dstack tensor([[[ 0.5000,  1.5000],
         [-0.3000,  2.0000],
         [ 0.8000, -1.0000]],

        [[ 0.1000,  0.2500],
         [ 0.7000, -0.5000],
         [-0.6000,  3.0000]]])
column_stack tensor([[ 0.5000,  0.2500],
        [-0.3000, -0.5000],
        [ 0.8000,  3.0000]])
diag1 tensor([[ 0.0000,  0.5000,  0.0000,  0.0000],
        [ 0.0000,  0.0000, -0.3000,  0.0000],
        [ 0.0000,  0.0000,  0.0000,  0.8000],
        [ 0.0000,  0.0000,  0.0000,  0.0000]])
diag2 tensor([0.1000])
trace tensor(-2.7750)
diff tensor([[ 1.1500],
        [-1.0750]])
diffpre tensor([[-1.0000, -2.3000,  1.8000],
        [-0.4000,  1.0000, -1.4000]])
split0 tensor([[-0.8000],
        [-1.8000]])
rep tensor([[ 0.5000, -0.3000, -0.3000],
        [ 0.1000,  0.7000,  0.7000]])
rep2 tensor([ 0.5000,  0.5000, -0.3000, -0.3000,  0.8000,  0.8000,  0.1000,  0.1000,
         0.7000,  0.7000, -0.6000, -0.6000])
addcmul tensor([[ 0.8750, -0.6000,  0.4000],
        [ 0.1125,  0.5250, -1.5000]])
addcdiv tensor([[-0.4000, -2.0647,  1.3357],
        [-0.0786,  0.9778, -3.8143]])
take tensor([ 0.5000, -0.6000, -0.6000,  0.5000])
scatter tensor([[0.7500, 0.0000, 0.0000],
        [0.0000, 0.0000, 0.0250]])
scatter_val tensor([[5.0000, 5.0000, 0.8000],
        [0.1000, 0.7000, 5.0000]])
scatter_add tensor([[ 4.0000, -0.3000,  0.8000],
        [ 0.1000,  0.2000, -0.3500]])
index_add tensor([[ 3.5000, -0.3000,  4.8000],
        [ 0.6000,  0.7000, -1.6000]])
index_fill tensor([[ 2.0000, -0.6000, -0.8000],
        [ 2.0000, -0.3500, -1.8000]])
cross tensor([[-1.3000,  1.7000,  1.4500],
        [ 1.8000, -0.4500, -0.2250]])
lcross tensor([[-1.3000,  1.7000,  1.4500],
        [ 1.8000, -0.4500, -0.2250]])
nansum tensor([   inf, 3.7955])
nanmean tensor([ 0.3875, -0.4750, -1.3000])
msort tensor([[ 0.0250, -0.6000, -1.8000],
        [ 0.7500, -0.3500, -0.8000]])
kth tensor([-0.6000, -0.3500])
mode tensor([1.0000, 0.3000])
cummax tensor([[0.7500, 0.7500, 0.7500],
        [0.0250, 0.0250, 0.0250]])
cummin tensor([[ 0.7500, -0.6000, -0.8000],
        [ 0.0250, -0.6000, -1.8000]])
lcse tensor([[0.7500, 0.9805, 1.1363],
        [0.0250, 0.5481, 0.6394]])
fmod tensor([[ 0.5000, -0.1000,  0.6000],
        [ 0.2000,  0.4000, -1.2000]])
fmod_s tensor([[ 1.0000, -2.1000,  0.6000],
        [ 0.7000,  2.4000, -1.7000]])
copysign tensor([[ 0.5000,  0.3000, -0.8000],
        [ 0.1000, -0.7000,  0.6000]])
copysign_s tensor([[-1.5000, -2.0000, -1.0000],
        [-0.2500, -0.5000, -3.0000]])
vnorm tensor([1.0477, 1.8044])
lnorm tensor(1.3565)
mnorm tensor(2.2194)
clamp_min tensor([[0.5000, 0.1000, 0.8000],
        [0.1000, 0.7000, 0.1000]])
meshgrid tensor([[ 0.1250, -0.0750,  0.2000],
        [-0.2500,  0.1500, -0.4000],
        [ 1.5000, -0.9000,  2.4000]])
btensors tensor([[ 0.7500, -0.6000, -0.8000],
        [ 0.1500,  1.4000,  0.6000]])
tensor([[     nan, -51.9798,  -6.8464],
        [ 13.5045,  48.2997,  96.6093]]) tensor([[-7.4497,  1.1186, -1.8367],
        [-1.1345, 11.5423,  2.9196]])
tensor([[False, False, False],
        [False, False, False]]) tensor([[True, True, True],
        [True, True, True]]) tensor([[True, True, True],
        [True, True, True]]) tensor([[True, True, True],
        [True, True, True]]) True True tensor([ True, False,  True])
tensor([[ True, False, False],
        [ True, False, False]]) tensor([[False,  True,  True],
        [False,  True,  True]]) tensor([[0, 0],
        [0, 2],
        [1, 0],
        [1, 1]]) (tensor([0, 0, 1, 1]), tensor([0, 2, 0, 1])) tensor([  1.,  10., 100.]) tensor([[0, 1, 1, 2, 2, 2],
        [0, 0, 1, 0, 1, 2]]) tensor([[0, 0, 1],
        [1, 2, 2]])
1.1920928955078125e-07 3.4028234663852886e+38 2147483647 False False
tensor([[1, 0, 0],
        [0, 0, 1],
        [0, 1, 0]]) torch.float64
False
torch.Size([1, 1]) torch.Size([2, 3, 1]) tuple torch.Size([2, 1]) torch.Size([1, 3])
`);
  });

  it('prints +0 where a gradient is masked (hardswish, hardtanh, relu6, logit with eps), as PyTorch does', () => {
    expect(runOutput(`import torch, torch.nn.functional as F
x = torch.tensor([-4., -0.3, 5.], requires_grad=True)
for f in [F.hardswish, F.hardsigmoid, lambda x: F.hardtanh(x), lambda x: F.relu6(x), lambda x: F.elu(x), lambda x: F.softplus(x, threshold=1), lambda x: x.logit(eps=0.1), lambda x: torch.copysign(x, -1.0)]:
    g, = torch.autograd.grad((f(x) * -1).sum(), x)
    print(g)
`)).toBe(`tensor([ 0.0000, -0.4000, -1.0000])
tensor([ 0.0000, -0.1667,  0.0000])
tensor([ 0., -1.,  0.])
tensor([ 0.,  0., -1.])
tensor([-0.0183, -0.7408, -1.0000])
tensor([-0.0180, -0.4256, -1.0000])
tensor([0., 0., 0.])
tensor([-1., -1.,  1.])
`);
  });

  it('det, inverse, solve, slogdet and logdet: values, gradients (batched; a singular det as PyTorch 1.13 gives it) and errors', () => {
    expect(runOutput(`import torch
A = torch.tensor([[2., 1., 0.5], [1., 3., -1.], [0.2, -0.4, 1.5]], requires_grad=True)
B = torch.tensor([[1., 2.], [0., -1.], [3., 0.5]], requires_grad=True)
d = torch.det(A)
i = torch.inverse(A)
s = torch.linalg.solve(A, B)
v = torch.linalg.solve(A, B[:, 0])
sl = torch.linalg.slogdet(A)
ld = torch.logdet(A)
print(d, i, s, v, sl, ld, A.det(), torch.linalg.det(A * 2), A.inverse().sum())
loss = d * 0.5 + (i * torch.arange(9.).reshape(3, 3)).sum() + (s ** 2).sum() + v.sum() + sl.logabsdet + ld
loss.backward()
print(loss, A.grad, B.grad)
S = torch.tensor([[1., 2.], [2., 4.]], requires_grad=True)
torch.det(S).backward()
print(S.grad, torch.logdet(torch.tensor([[0., 1.], [1., 0.]])), torch.slogdet(torch.tensor([[0., 1.], [1., 0.]])))
batch = torch.stack([A.detach(), A.detach() * 2]).requires_grad_()
torch.det(batch).sum().backward()
print(batch.grad)
for f in [lambda: torch.inverse(torch.zeros(2, 2)), lambda: torch.det(torch.ones(2, 3)), lambda: torch.linalg.solve(S.detach(), torch.ones(2))]:
    try:
        f()
    except RuntimeError as e:
        print(e)
print(type(torch.det(A).grad_fn).__name__, type(torch.inverse(A).grad_fn).__name__, type(torch.linalg.solve(A, B).grad_fn).__name__, type(torch.logdet(A).grad_fn).__name__)
`)).toBe(`tensor(6., grad_fn=<LinalgDetBackward0>) tensor([[ 0.6833, -0.2833, -0.4167],
        [-0.2833,  0.4833,  0.4167],
        [-0.1667,  0.1667,  0.8333]], grad_fn=<LinalgInvExBackward0>) tensor([[-0.5667,  1.4417],
        [ 0.9667, -0.8417],
        [ 2.3333, -0.0833]], grad_fn=<LinalgSolveExBackward0>) tensor([-0.5667,  0.9667,  2.3333], grad_fn=<LinalgSolveExBackward0>) torch.return_types.linalg_slogdet(
sign=tensor(1., grad_fn=<LinalgSlogdetBackward0>),
logabsdet=tensor(1.7918, grad_fn=<LinalgSlogdetBackward0>)) tensor(1.7918, grad_fn=<WhereBackward0>) tensor(6., grad_fn=<LinalgDetBackward0>) tensor(48., grad_fn=<LinalgDetBackward0>) tensor(1.4333, grad_fn=<SumBackward0>)
tensor(27.6939, grad_fn=<AddBackward0>) tensor([[ -0.9795,   3.3045,   4.8424],
        [  2.7844,  -3.2927,  -7.6187],
        [  5.2948, -10.3865, -16.7396]]) tensor([[-1.8667,  2.4750],
        [ 2.4000, -1.6583],
        [ 6.0000, -2.0417]])
tensor([[0., -0.],
        [-0., 0.]]) tensor(nan) torch.return_types.slogdet(
sign=tensor(-1.),
logabsdet=tensor(0.))
tensor([[[  4.1000,  -1.7000,  -1.0000],
         [ -1.7000,   2.9000,   1.0000],
         [ -2.5000,   2.5000,   5.0000]],

        [[ 16.4000,  -6.8000,  -4.0000],
         [ -6.8000,  11.6000,   4.0000],
         [-10.0000,  10.0000,  20.0000]]])
linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular.
linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices
torch.linalg.solve: The solver failed because the input matrix is singular.
LinalgDetBackward0 LinalgInvExBackward0 LinalgSolveExBackward0 WhereBackward0
`);
  });
});
