// create_graph=True through the language, against PyTorch 1.13's printed output (the programs' values were
// printed by real PyTorch; more in golden/extra.json: create_graph_higher_order, and a WGAN-GP gradient
// penalty through a conv critic, create_graph_gradient_penalty_conv_critic).
import { describe, expect, it } from 'vitest';
import { runProgram } from '../lang/run';
import { runOutput } from '../lang/runOutput';

const out = (src: string): string => runOutput(`import torch\n${src}`);

describe('create_graph=True', () => {
  it('gives .grad and autograd.grad results a graph: second and third derivatives', () => {
    expect(out(`x = torch.tensor([1., 2.], requires_grad=True)
y = (x ** 3).sum()
y.backward(create_graph=True)
print(x.grad, x.grad.requires_grad, x.grad.is_leaf, type(x.grad.grad_fn).__name__)
z = (x ** 2).sum()
z.backward(create_graph=True)
print(x.grad, type(x.grad.grad_fn).__name__)
g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
print(g, type(g.grad_fn).__name__)
g2, = torch.autograd.grad((2 * x).sum(), x, create_graph=True)
print(g2, g2.requires_grad)
t = torch.tensor(1.5, requires_grad=True)
d1, = torch.autograd.grad(t ** 4, t, create_graph=True)
d2, = torch.autograd.grad(d1, t, create_graph=True)
d3, = torch.autograd.grad(d2, t)
print(d1, d2, d3)`)).toBe(`tensor([ 3., 12.], grad_fn=<CopyBackwards>) True False CopyBackwards
tensor([ 5., 16.], grad_fn=<AddBackward0>) AddBackward0
tensor([ 3., 12.], grad_fn=<MulBackward0>) MulBackward0
tensor([2., 2.]) False
tensor(13.5000, grad_fn=<MulBackward0>) tensor(27., grad_fn=<MulBackward0>) tensor(36.)
`);
  });

  it('computes a Hessian-vector product and a gradient penalty through nn.Linear and tanh', () => {
    expect(out(`w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
loss = (w.exp() * w.sin()).sum() + (w @ w) ** 2
g, = torch.autograd.grad(loss, w, create_graph=True)
hv, = torch.autograd.grad(g @ torch.tensor([1.0, 0.0, -1.0]), w)
print(g, hv)
a = torch.randn(4, 3, generator=torch.Generator().manual_seed(0), requires_grad=True)
lin = torch.nn.Linear(3, 1)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[0.3, -0.2, 0.1]]))
    lin.bias.fill_(0.05)
ga, = torch.autograd.grad(torch.tanh(lin(a)).sum(), a, create_graph=True)
pen = ((ga * ga).sum(dim=1) - 1).pow(2).mean()
pen.backward()
print(pen, lin.weight.grad, lin.bias.grad)`)).toBe(`tensor([ 12.7373, -21.1108,  45.6439], grad_fn=<AddBackward0>) tensor([ 17.8938,  12.0000, -38.8501])
tensor(0.7637, grad_fn=<MeanBackward0>) tensor([[-0.8205,  0.5214, -0.5281]]) tensor([0.1257])
`);
  });

  it("relu's gradient requires grad, with a zero second derivative; clamp's does not", () => {
    expect(out(`for f in [torch.relu, torch.abs, lambda t: t.clamp(-0.5, 0.5)]:
    x = torch.tensor([0.321, -1.2, 0.7], requires_grad=True)
    gx, = torch.autograd.grad(f(x * 1.5).sum(), x, create_graph=True)
    print(gx.requires_grad)
    if gx.requires_grad:
        (gx * gx).sum().backward()
        print(x.grad)`)).toBe('True\ntensor([0., 0., 0.])\nTrue\ntensor([0., 0., 0.])\nFalse\n');
  });

  it('says which op it cannot differentiate twice, rather than return a wrong second derivative', () => {
    const r = runProgram(`import torch
x = torch.tensor([0., 2., 3.], requires_grad=True)
g, = torch.autograd.grad(x.prod(), x, create_graph=True)`);
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/^create_graph=True: the derivative of prod over a zero element is not differentiable in this playground/);
  });
  it("goes through PyTorch's NotImplemented node once, and fails with PyTorch's words the second time (multi_margin_loss)", () => {
    // PyTorch 1.13.1 printed exactly this.
    expect(out(`import torch.nn.functional as F
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = F.multi_margin_loss(x, torch.tensor([0, 1]), p=2)
g, = torch.autograd.grad(y, x, create_graph=True)
print(g, type(g.grad_fn).__name__)
try:
    g.sum().backward()
except RuntimeError as e:
    print(e)`)).toBe('tensor([[-1.,  1.],\n        [ 0.,  0.]], grad_fn=<NotImplemented>) NotImplemented\nderivative for aten::multi_margin_loss_backward is not implemented\n');
  });
});

describe('create_graph=True through normalisation, pooling and selection', () => {
  it('gives a gradient penalty through max pooling, layer norm, GELU and hardswish, and second derivatives of max, logsumexp, amax, sort, eval batch norm and BCE with logits', () => {
    expect(out(`import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
critic = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.MaxPool2d(2), nn.LayerNorm([4, 3, 3]), nn.GELU(), nn.Flatten(), nn.Linear(36, 8), nn.Hardswish(), nn.Linear(8, 1))
x = torch.randn(3, 1, 6, 6, requires_grad=True)
out = critic(x)
g, = torch.autograd.grad(out.sum(), x, create_graph=True)
gp = ((g.view(3, -1).norm(2, dim=1) - 1) ** 2).mean()
gp.backward()
print(gp)
print(critic[0].weight.grad.sum(), critic[2].weight.grad.abs().sum(), critic[5].weight.grad.abs().sum(), x.grad.abs().sum())
bn = nn.BatchNorm1d(4)
bn.eval()
bn.running_mean.fill_(0.3)
bn.running_var.fill_(2.0)
y = torch.randn(5, 4, requires_grad=True)
h, = torch.autograd.grad((bn(y) ** 3).sum(), y, create_graph=True)
h.sum().backward()
print(h.sum(), y.grad, bn.weight.grad)
v = torch.randn(4, 5, requires_grad=True)
m, i = v.max(1)
s = torch.logsumexp(v, 1) + m + v.amax(0).sum() + v.sort(1)[0][:, 0]
q, = torch.autograd.grad(s.sum(), v, create_graph=True)
(q * v).sum().backward()
print(q, v.grad)
l = F.binary_cross_entropy_with_logits(v, torch.sigmoid(v.detach() * 2), pos_weight=torch.tensor([2.0, 1, 1, 1, 0.5]))
w, = torch.autograd.grad(l, v, create_graph=True)
w.pow(2).sum().backward()
print(w.abs().sum(), v.grad.abs().sum())
`)).toBe(`tensor(0.6930, grad_fn=<MeanBackward0>)
tensor(-0.3405) tensor(0.3533) tensor(7.4851) tensor(0.5305)
tensor(15.3119, grad_fn=<SumBackward0>) tensor([[-0.8410,  0.0642, -1.0342,  1.6141],
        [-0.3852,  1.3404,  2.0079,  2.7909],
        [ 0.0899, -0.6190,  0.0198,  0.1363],
        [ 1.3002, -1.3846, -1.3640,  0.1719],
        [-1.6018, -5.3998, -2.8452, -1.0407]]) tensor([ 3.6206, 23.5182, 10.6470,  8.1499])
tensor([[0.1697, 1.0803, 0.1130, 0.2176, 5.4193],
        [5.7181, 0.0442, 0.0506, 0.1643, 1.0228],
        [1.0090, 0.1105, 0.1624, 5.6101, 0.1081],
        [0.0647, 4.0551, 5.8287, 1.0052, 0.0464]], grad_fn=<AddBackward0>) tensor([[ 0.1142,  0.9939,  0.0301,  0.2004,  5.6614],
        [ 6.1335, -0.0535, -0.0544,  0.0170,  0.9573],
        [ 0.9767, -0.0089,  0.0495,  5.9937, -0.0110],
        [-0.0696,  3.9319,  6.2218,  0.9812, -0.0653]])
tensor(0.1165, grad_fn=<SumBackward0>) tensor(32.5252)
`);
  });

  it('differentiates batch norm (training) and group norm twice, in float64 (model.double())', () => {
    expect(out(`import torch.nn as nn
torch.manual_seed(0)
torch.set_printoptions(precision=6)
bn2 = nn.BatchNorm1d(4).double()
z = torch.randn(6, 4, dtype=torch.float64, requires_grad=True)
k, = torch.autograd.grad((bn2(z) ** 2 * torch.arange(4.)).sum(), z, create_graph=True)
k.pow(2).sum().backward()
print(k.abs().sum(), z.grad.abs().sum(), bn2.weight.grad)
bn3 = nn.BatchNorm2d(3).double()
z3 = torch.randn(2, 3, 2, 2, dtype=torch.float64, requires_grad=True)
k3, = torch.autograd.grad((bn3(z3).sin() * torch.arange(3.).view(1, 3, 1, 1)).sum(), z3, create_graph=True)
(k3 * torch.randn(2, 3, 2, 2, dtype=torch.float64)).sum().backward()
print(k3.abs().sum(), z3.grad.abs().sum(), bn3.weight.grad, bn3.bias.grad)
gn = nn.GroupNorm(2, 4).double()
z4 = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
k4, = torch.autograd.grad((gn(z4).tanh() * torch.arange(3.)).sum(), z4, create_graph=True)
k4.pow(2).sum().backward()
print(k4.abs().sum(), z4.grad.abs().sum(), gn.weight.grad, gn.bias.grad)
`)).toBe(`tensor(0.000976, dtype=torch.float64, grad_fn=<SumBackward0>) tensor(4.332249e-07, dtype=torch.float64) tensor([0.000000e+00, 3.560687e-08, 1.472191e-07, 8.951460e-08],
       dtype=torch.float64)
tensor(11.047994, dtype=torch.float64, grad_fn=<SumBackward0>) tensor(21.220934, dtype=torch.float64) tensor([ 0.000000, -6.123713,  4.565210], dtype=torch.float64) tensor([ 0.000000, -0.187737,  1.818318], dtype=torch.float64)
tensor(17.487797, dtype=torch.float64, grad_fn=<SumBackward0>) tensor(77.421057, dtype=torch.float64) tensor([1.191095e-03, 7.048408e+00, 1.261026e+01, 1.660557e+01],
       dtype=torch.float64) tensor([ 0.635432,  5.037922, -5.189465, -1.025547], dtype=torch.float64)
`);
  });
});
