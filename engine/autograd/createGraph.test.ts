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
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = torch.logsumexp(x, dim=1).sum()
g, = torch.autograd.grad(y, x, create_graph=True)`);
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/^create_graph=True: the derivative of LogsumexpBackward0 is not differentiable in this playground/);
  });
});

