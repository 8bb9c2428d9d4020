// Views as PyTorch's behave: writes through them reach their base, and they see their base's changes. The
// printed outputs were printed by PyTorch 1.13.1 for the same programs.
import { describe, expect, it } from 'vitest';
import { runProgram } from './lang/run';

const run = (src: string) => {
  const r = runProgram(`import torch\n${src}`);
  expect(r.ok, r.error?.message).toBe(true);
  return r.output;
};

describe('views', () => {
  it('write through to their base, and read again after it changed', () => {
    expect(run(`x = torch.arange(12.).reshape(3, 4)
row = x[0]
row.mul_(2)
print(x)
col = x[:, 1]
x.add_(100)
print(col)
t = x.t()
t[0, 0] = -1
print(x[0, 0])
`)).toBe(`tensor([[ 0.,  2.,  4.,  6.],
        [ 4.,  5.,  6.,  7.],
        [ 8.,  9., 10., 11.]])
tensor([102., 105., 109.])
tensor(-1.)
`);
  });

  it('of views, of reshapes and of split pieces, and under no_grad of parameters', () => {
    expect(run(`a = torch.zeros(2, 3)
b = a[1]
b += 5
s = a.view(6)[2:4]
s.zero_()
s += 7
print(a)
print(b)
base = torch.arange(6.)
u, v = base.chunk(2)
v.neg_()
print(base, u)
torch.manual_seed(0)
m = torch.nn.Linear(3, 2)
with torch.no_grad():
    m.weight[0].fill_(1.0)
    m.weight.t()[2].copy_(torch.tensor([5., 6.]))
print(m.weight.data)
`)).toBe(`tensor([[0., 0., 7.],
        [7., 5., 5.]])
tensor([7., 5., 5.])
tensor([ 0.,  1.,  2., -3., -4., -5.]) tensor([0., 1., 2.])
tensor([[ 1.0000,  1.0000,  5.0000],
        [-0.4249, -0.2224,  6.0000]])
`);
  });

  it('share their base version: a saved view changed through its base fails backward as in PyTorch', () => {
    const r = runProgram(`import torch
x = torch.ones(2, 3, requires_grad=True)
y = x * 1
a = y.t()
b = a * a
y.add_(1)
b.sum().backward()
`);
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[3, 2\]\], which is output 0 of \w+Backward0, is at version 1; expected version 0 instead/);
  });

  it('refuse a write through an expanded view, in PyTorch words', () => {
    const r = runProgram('import torch\ne = torch.zeros(3).expand(2, 3)\ne.add_(1)\n');
    expect(r.ok).toBe(false);
    expect(r.error!.message).toBe('unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.');
  });

  it('in a graph, rewrite their base\'s history as PyTorch does: CopySlices, AsStridedBackward0', () => {
    // Printed by PyTorch 1.13.1 for the same program.
    expect(run(`x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
z = y[0]
z.mul_(3)
print(y, z)
print(y.grad_fn.name(), [f.name() if f is not None else None for f, _ in y.grad_fn.next_functions])
print(z.grad_fn.name(), [f.name() if f is not None else None for f, _ in z.grad_fn.next_functions])
(y.sum() + z * 10).backward()
print(x.grad)
a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.tensor([0.5, -1.], requires_grad=True)
b = a * 1
col = b[:, 1]
col.add_(w)
col.mul_(w)
(b * b).sum().backward()
print(a.grad, w.grad)
buf = torch.zeros(2, 3)
r = buf[1]
r.add_(w.sum())
buf.sum().backward()
print(w.grad)
`)).toBe(`tensor([6., 4., 6.], grad_fn=<CopySlices>) tensor(6., grad_fn=<AsStridedBackward0>)
torch::autograd::CopySlices ['MulBackward0', None]
AsStridedBackward0 ['torch::autograd::CopySlices']
tensor([66.,  2.,  2.])
tensor([[2.0000, 1.2500],
        [6.0000, 6.0000]]) tensor([  7.5000, -12.0000])
tensor([10.5000, -9.0000])
`);
  });
});

describe('views in the events', () => {
  it('announce the base changed through a view, after the view', async () => {
    const { events } = await import('./index');
    const log: { type: string; tensor?: number; label?: string; value?: { data?: unknown } }[] = [];
    const stop = events.subscribe((e) => log.push(e as never));
    try {
      const r = runProgram('import torch\nx = torch.zeros(2, 2)\nrow = x[1]\nrow.add_(3)\n');
      expect(r.ok, r.error?.message).toBe(true);
    } finally {
      stop();
    }
    const inplaces = log.filter((e) => e.type === 'inplace');
    expect(inplaces.map((e) => e.label)).toEqual(['+=', 'changed through a view']);
    expect(inplaces[1].value?.data).toEqual([0, 0, 3, 3]);
  });
});
