// Ops with several differentiable outputs, as PyTorch 1.13 records them: one node for all the pieces of chunk,
// split and unbind (SplitBackward0, SplitWithSizesBackward0, UnbindBackward0) and for both statistics of
// std_mean/var_mean; `piece.output_nr` says which output a tensor is. The expected text was printed by real
// PyTorch 1.13 running the same programs.
import { describe, expect, it } from 'vitest';
import { events, type GraphEvent, type NodeExecEvent } from '../index';
import { runProgram } from '../lang/run';
import { runOutput } from '../lang/runOutput';

const out = (src: string): string => runOutput(`import torch\n${src}`);

describe('multi-output nodes', () => {
  it('gives every piece the one node, with its output_nr in next_functions, and PyTorch gradients', () => {
    expect(out(`x = torch.tensor([[1., 2., 3.], [4., 5., 7.], [0.5, -1., 2.], [3., 3., 1.]], requires_grad=True)
y = x * 2
a, b = y.chunk(2)
print(a.grad_fn is b.grad_fn, a.output_nr, b.output_nr, type(a.grad_fn).__name__)
z = a * b
print([(type(f).__name__, n) for f, n in z.grad_fn.next_functions])
u = y.unbind(1)
p, q = y.split([1, 2], 1)
print(type(u[2].grad_fn).__name__, u[2].output_nr, type(p.grad_fn).__name__, q.output_nr)
s, m = torch.std_mean(x, 1)
v, m2 = torch.var_mean(x)
print(type(s.grad_fn).__name__, s.grad_fn is m.grad_fn, type(v.grad_fn).__name__, m2.output_nr)
loss = z.sum() + (s * m).sum() + v * m2 + (u[0] * u[2]).sum() + (q ** 2).sum()
loss.backward()
print(x.grad)
`)).toBe(`True 0 1 SplitBackward0
[('SplitBackward0', 0), ('SplitBackward0', 1)]
UnbindBackward0 2 SplitWithSizesBackward0 1
StdMeanBackward0 True VarMeanBackward0 1
tensor([[13.0052, 12.4673, 37.9295],
        [39.2398, 53.4476, 81.8633],
        [11.9408, -1.0024, 30.8840],
        [21.6546, 45.6546, 46.7096]])
`);
  });

  it('takes a piece no gradient reached as zeros; hooks, retain_grad, autograd.grad and in-place rules per output', () => {
    expect(out(`w = torch.tensor([[1., -2., 3., 0.5], [2., 1., -1., 4.]], requires_grad=True)
c, d = w.chunk(2, 1)
d.register_hook(lambda g: g * 10)
d.retain_grad()
(c.sum() + d.sum()).backward()
print(w.grad, d.grad)
c, d = w.chunk(2, 1)
print(torch.autograd.grad((d * 3).sum(), [d, c], allow_unused=True))
w.grad = None
(w.unbind(0)[1] ** 2).sum().backward()
print(w.grad)
y = w * 1
a, b = y.chunk(2, 1)
for f in [lambda: b.mul_(2), lambda: a[0].zero_(), lambda: w.unbind(1)[3].add_(1)]:
    try:
        f()
    except RuntimeError as e:
        print(e)
with torch.no_grad():
    a2, b2 = w.chunk(2, 1)
    b2.mul_(0.5)
print(w)
`)).toBe(`tensor([[ 1.,  1., 10., 10.],
        [ 1.,  1., 10., 10.]]) tensor([[10., 10.],
        [10., 10.]])
(tensor([[3., 3.],
        [3., 3.]]), None)
tensor([[ 0.,  0.,  0.,  0.],
        [ 4.,  2., -2.,  8.]])
Output 1 of SplitBackward0 is a view and is being modified inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.
Output 0 of SelectBackward0 is a view and is being modified inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.
Output 3 of UnbindBackward0 is a view and is being modified inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.
tensor([[ 1.0000, -2.0000,  1.5000,  0.2500],
        [ 2.0000,  1.0000, -0.5000,  2.0000]], requires_grad=True)
`);
  });

  it('records its backward under create_graph (split: cat, unbind: stack) and differentiates it again', () => {
    expect(out(`w = torch.tensor([[1., -2., 3., 0.5], [2., 1., -1., 4.]], requires_grad=True)
e, f = w.chunk(2, 1)
g = torch.autograd.grad((e ** 3).sum() + (f * e).sum(), w, create_graph=True)[0]
print(g, type(g.grad_fn).__name__)
g.pow(2).sum().backward()
print(w.grad)
r = torch.tensor([1., 2., 3.], requires_grad=True)
k = r.unbind()
h = torch.autograd.grad(k[0] * k[1] ** 2, r, create_graph=True)[0]
print(h, type(h.grad_fn).__name__)
s, m = torch.std_mean(r)
h2 = torch.autograd.grad(s * m, r, create_graph=True)[0]
print(h2)
h2.sum().backward()
print(r.grad)
`)).toBe(`tensor([[ 6.0000, 12.5000,  1.0000, -2.0000],
        [11.0000,  7.0000,  2.0000,  1.0000]], grad_fn=<CatBackward0>) CatBackward0
tensor([[  74., -304.,   12.,   25.],
        [ 268.,   86.,   22.,   14.]])
tensor([4., 4., 0.], grad_fn=<StackBackward0>) StackBackward0
tensor([-0.6667,  0.3333,  1.3333], grad_fn=<AddBackward0>)
tensor([-0.5000,  0.0000,  0.5000])
`);
  });

  it('runs the node once in backward, with each output gradient in its event', () => {
    const log: GraphEvent[] = [];
    const stop = events.subscribe((e) => log.push(e));
    try {
      const r = runProgram(`import torch
x = torch.tensor([1., 2., 3., 4.], requires_grad=True)
a, b, c = (x * 1).split([1, 2, 1])
(a * 5 + c * 7).sum().backward()
`);
      expect(r.ok, r.error?.message).toBe(true);
    } finally {
      stop();
    }
    const execs = log.filter((e): e is NodeExecEvent => e.type === 'node-exec' && e.name === 'SplitWithSizesBackward0');
    expect(execs).toHaveLength(1);
    const [split] = execs;
    expect(split.outputs!.map((o) => o.value?.data ?? null)).toEqual([[5], null, [7]]);
    expect(split.contributions.map((c) => c.outputNr).sort()).toEqual([0, 2]);
    expect(split.gradInputs[0].value!.data).toEqual([5, 0, 0, 7]);
    const ops = log.filter((e) => e.type === 'op' && e.gradFn?.name === 'SplitWithSizesBackward0');
    expect(ops.map((e) => (e.type === 'op' ? e.outputNr : -1))).toEqual([0, 1, 2]);
    expect(new Set(ops.map((e) => (e.type === 'op' ? e.gradFn!.id : -1))).size).toBe(1);
  });
});
