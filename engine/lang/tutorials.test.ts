// Snippets of PyTorch's own tutorials with the output the tutorials print, run as pasted.
import { describe, expect, it } from 'vitest';
import { runProgram } from './run';

function output(source: string): string {
  const r = runProgram(source);
  if (!r.ok) throw new Error(`${r.error!.type}: ${r.error!.message} (line ${r.error!.line})`);
  return r.output;
}

describe("the tutorials' snippets print what the tutorials show", () => {
  it('"Automatic differentiation with torch.autograd": gradient accumulation and zeroing', () => {
    const out = output(`import torch
inp = torch.eye(4, 5, requires_grad=True)
out = (inp+1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\\nSecond call\\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\\nCall after zeroing gradients\\n{inp.grad}")
`);
    expect(out).toBe(`First call
tensor([[4., 2., 2., 2., 2.],
        [2., 4., 2., 2., 2.],
        [2., 2., 4., 2., 2.],
        [2., 2., 2., 4., 2.]])

Second call
tensor([[8., 4., 4., 4., 4.],
        [4., 8., 4., 4., 4.],
        [4., 4., 8., 4., 4.],
        [4., 4., 4., 8., 4.]])

Call after zeroing gradients
tensor([[4., 2., 2., 2., 2.],
        [2., 4., 2., 2., 2.],
        [2., 2., 4., 2., 2.],
        [2., 2., 2., 4., 2.]])
`);
  });

  it('"A Gentle Introduction to torch.autograd": the gradients equal the hand-derived ones', () => {
    const out = output(`import torch
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9*a**2 == a.grad)
print(-2*b == b.grad)
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
a = x + y
print(f"Does \`a\` require gradients? : {a.requires_grad}")
b = x + z
print(f"Does \`b\` require gradients?: {b.requires_grad}")
`);
    expect(out).toBe(`tensor([True, True])
tensor([True, True])
Does \`a\` require gradients? : False
Does \`b\` require gradients?: True
`);
  });

  it('the 60-minute blitz: grad_fn names and the mean gradient', () => {
    const out = output(`import torch
x = torch.ones(2, 2, requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn.name())
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
`);
    expect(out).toBe(`tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
AddBackward0
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
`);
  });

  it("seeded random numbers are PyTorch's (torch.manual_seed(0))", () => {
    const out = output(`import torch
torch.manual_seed(0)
print(torch.rand(3))
torch.manual_seed(0)
print(torch.randn(2, 3))
`);
    expect(out).toBe(`tensor([0.4963, 0.7682, 0.0885])
tensor([[ 1.5410, -0.2934, -2.1788],
        [ 0.5684, -1.0845, -1.3986]])
`);
  });
});
