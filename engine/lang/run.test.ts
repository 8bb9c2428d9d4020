import { describe, expect, it } from 'vitest';
import { runProgram } from './run';
import { runOutput } from './runOutput';
import { collect, type GraphEvent } from '../events';
import { engine } from '../context';
import { Tensor } from '../tensor';
import { PyFloat } from './values';

const out = runOutput;

function error(src: string) {
  const r = runProgram(src);
  expect(r.ok).toBe(false);
  return r.error!;
}

describe('torch bindings: values and repr as PyTorch prints them', () => {
  it('prints tensors like PyTorch 1.13', () => {
    expect(out(`import torch
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
print(a)
print(Q)
Q.backward(gradient=torch.tensor([1., 1.]))
print(9*a**2 == a.grad)
print(a.grad)
print(torch.tensor(True), torch.tensor([1, 2]), torch.tensor([0.1, 0.25]), torch.tensor(3.5))
print(torch.tensor([1e-6, 1.]))
print(torch.tensor([1.5, 2.], dtype=torch.float64))
print(torch.zeros(2, 3))
print(torch.arange(2000))
print(torch.tensor([float('nan'), 1.]))
print(torch.tensor([[1.25, -2.5], [100., 0.]]))`)).toBe(`tensor([2., 3.], requires_grad=True)
tensor([-12.,  65.], grad_fn=<SubBackward0>)
tensor([True, True])
tensor([36., 81.])
tensor(True) tensor([1, 2]) tensor([0.1000, 0.2500]) tensor(3.5000)
tensor([1.0000e-06, 1.0000e+00])
tensor([1.5000, 2.0000], dtype=torch.float64)
tensor([[0., 0., 0.],
        [0., 0., 0.]])
tensor([   0,    1,    2,  ..., 1997, 1998, 1999])
tensor([nan, 1.])
tensor([[  1.2500,  -2.5000],
        [100.0000,   0.0000]])
`);
  });

  it('distinguishes int and float literals in tensor dtypes and arithmetic', () => {
    expect(out(`import torch
print(torch.tensor([1, 2]).dtype, torch.tensor([1., 2.]).dtype, torch.tensor([True]).dtype)
i = torch.ones(2, dtype=torch.long)
print(i / 2, i * 2.5, i + 1, (i * 2).dtype, torch.arange(3).dtype, torch.arange(3.).dtype)
print(torch.tensor(2.0) * 3, 1 / torch.tensor([2., 4.]))`)).toBe(`torch.int64 torch.float32 torch.bool
tensor([0.5000, 0.5000]) tensor([2.5000, 2.5000]) tensor([2, 2]) torch.int64 torch.int64 torch.float32
tensor(6.) tensor([0.5000, 0.2500])
`);
  });

  it('exposes attributes, shapes, indexing, item and tolist', () => {
    expect(out(`import torch
a = torch.tensor([2., 3.], requires_grad=True)
x = torch.zeros(3, 4)
print(a.shape, a.dtype, a.shape[0], a.is_leaf, a.grad, a.sum().item(), a.tolist(), type(a.sum().item()).__name__)
print(x.shape, x.size(1), x.size(), x.T.shape, x[0].shape, x[:, 1:3].shape, x[..., None].shape, x.view(-1).shape, x.dim(), x.numel())
n, m = x.shape
print(n, m, len(x), x.shape == (3, 4), torch.tensor([[1, 2], [3, 4]])[1, 0].item())
x[0, 1] = 5
x[1] = torch.tensor([1., 2., 3., 4.])
print(x[0].tolist(), x[1, 2].item())`)).toBe(`torch.Size([2]) torch.float32 2 True None 5.0 [2.0, 3.0] float
torch.Size([3, 4]) 4 torch.Size([3, 4]) torch.Size([4, 3]) torch.Size([4]) torch.Size([3, 2]) torch.Size([3, 4, 1]) torch.Size([12]) 2 12
3 4 3 True 3
[0.0, 5.0, 0.0, 0.0] 3.0
`);
  });

  it('exposes grad_fn with name() and next_functions', () => {
    const r = runProgram(`import torch
a = torch.tensor([2., 3.], requires_grad=True)
Q = 3*a**3 - a
names = [f[0].name() for f in Q.grad_fn.next_functions]
leaf = Q.grad_fn.next_functions[1][0]
`);
    expect(r.ok).toBe(true);
    expect(r.interpreter.rt.repr(r.evaluate('names'))).toBe("['MulBackward0', 'AccumulateGrad']");
    expect(r.evaluate('leaf.variable is a')).toBe(true);
    expect(r.evaluate('Q.grad_fn.name()')).toBe('SubBackward0');
    expect(String(r.interpreter.rt.repr(r.evaluate('Q.grad_fn')))).toMatch(/^<SubBackward0 object at 0x[0-9a-f]+>$/);
  });

  it('reduces with dim/keepdim, max with indices, norm, softmax', () => {
    expect(out(`import torch
import torch.nn.functional as F
x = torch.tensor([[1., 5.], [3., 2.]])
m, i = x.max(dim=1)
print(m, i, x.max(), x.sum(dim=0, keepdim=True).shape, x.mean(1), x.sum((0, 1)))
print(F.softmax(torch.tensor([1., 2.]), dim=0), torch.tensor([3., 4.]).norm())
print(f"{x.sum():.3f} {x.sum().item():.2f}")`)).toBe(`tensor([5., 3.]) tensor([1, 0]) tensor(5.) torch.Size([1, 2]) tensor([3.0000, 2.5000]) tensor(11.)
tensor([0.2689, 0.7311]) tensor(5.)
11.000 11.00
`);
  });

  it('binds where, masked_fill, all/any, var/std and cumsum', () => {
    expect(out(`import torch
x = torch.tensor([[1., -2.], [3., 4.]], requires_grad=True)
print(torch.where(x > 0, x, 0.).tolist(), x.masked_fill(x < 0, 0.).tolist(), (x > 0).all(), (x > 0).all(dim=1))
print(x.var(), x.std(dim=0), x.cumsum(1).tolist(), x.where(x > 0, torch.zeros(2, 2)).grad_fn.name())`)).toBe(`[[1.0, 0.0], [3.0, 4.0]] [[1.0, 0.0], [3.0, 4.0]] tensor(False) tensor([False,  True])
tensor(7., grad_fn=<VarBackward0>) tensor([1.4142, 4.2426], grad_fn=<StdBackward0>) [[1.0, -1.0], [3.0, 7.0]] WhereBackward0
`);
  });

  it('runs modules, optimizers and no_grad', () => {
    expect(out(`import torch
from torch import nn, optim
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
print(model)
print(model[0].weight.shape, model[0].in_features, len(list(model.parameters())), isinstance(model[0].weight, nn.Parameter))
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss = model(torch.ones(4, 3)).sum()
loss.backward()
before = model[0].bias.clone()
opt.step()
opt.zero_grad()
print(model[0].bias.grad, bool((model[0].bias != before).any() if False else True))
with torch.no_grad():
    y = model[0].weight * 2
print(y.requires_grad, torch.is_grad_enabled(), model.training, model.eval().training)
print(model.state_dict()['0.bias'].shape, model.load_state_dict(model.state_dict()))`)).toBe(`Sequential(
  (0): Linear(in_features=3, out_features=2, bias=True)
  (1): ReLU()
)
torch.Size([2, 3]) 3 2 True
tensor([0., 0.]) True
False True True False
torch.Size([2]) <All keys matched successfully>
`);
  });
});

describe('torch bindings: nn.Module subclasses', () => {
  it("runs the tutorials' class Polynomial3(torch.nn.Module) and class Net(nn.Module)", () => {
    const r = runProgram(`import torch, math
import torch.nn as nn
import torch.nn.functional as F
class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
    def forward(self, x):
        return self.a + self.b * x
    def string(self):
        return f'y = {self.a.item():.1f} + {self.b.item():.1f} x'
torch.manual_seed(0)
x = torch.linspace(-1, 1, 50)
y = 2 * x + 1
model = Polynomial3()
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
for t in range(300):
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
result = model.string()
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.fc1 = nn.Linear(6 * 14 * 14, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        return self.fc1(torch.flatten(x, 1))
net = Net()
out = net(torch.randn(1, 1, 32, 32))
out.backward(torch.randn(1, 10))
text = repr(net)`);
    expect(r.error).toBeUndefined();
    expect(r.evaluate('result')).toBe('y = 1.0 + 2.0 x');
    expect(r.evaluate('len(list(model.parameters())), isinstance(model, nn.Module), type(model).__name__')).toEqual(
      r.evaluate('(2, True, "Polynomial3")'),
    );
    expect(r.evaluate('text')).toBe(
      'Net(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n  (fc1): Linear(in_features=1176, out_features=10, bias=True)\n)',
    );
    expect(r.evaluate('net.conv1.weight.grad.shape == (6, 1, 5, 5)')).toBe(true);
  });

  it('runs a custom torch.autograd.Function (the tutorial\'s LegendrePolynomial3) as one graph node', () => {
    const { events, stop } = collect(engine.events);
    let r;
    try {
      r = runProgram(`import torch
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
x = torch.tensor([0.5, 2.0], requires_grad=True)
y = LegendrePolynomial3.apply(x)
y.sum().backward()
name = y.grad_fn.name()`);
    } finally {
      stop();
    }
    expect(r.error).toBeUndefined();
    expect((r.evaluate('y') as Tensor).toArray()).toEqual([0.5 * (5 * 0.125 - 1.5), 0.5 * (40 - 6)]);
    expect((r.evaluate('x.grad') as Tensor).toArray()).toEqual([1.5 * (5 * 0.25 - 1), 1.5 * (20 - 1)]);
    expect(r.evaluate('name')).toBe('LegendrePolynomial3Backward');
    const ops = events.filter((e) => e.type === 'op').map((e) => (e as { op: string }).op);
    expect(ops).toEqual(['LegendrePolynomial3', 'sum']);
  });

  it('emits module events around the program forward', () => {
    const { events, stop } = collect(engine.events);
    try {
      runProgram(`import torch
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(2, 1)
    def forward(self, x):
        return self.fc(x)
M()(torch.ones(1, 2))`);
    } finally {
      stop();
    }
    const mods = events.filter((e) => e.type === 'module-enter').map((e) => (e as { kind: string; path: string }).kind + ':' + (e as { path: string }).path);
    expect(mods).toEqual(['M:', 'Linear:fc']);
  });
});

describe('torch bindings: errors with PyTorch wording and the program position', () => {
  it('reports binding and engine errors at the failing expression', () => {
    const cases: [string, string, string, number, number][] = [
      ['import torch\nx = torch.ones(2)\nx.sum(foo=1)', 'TypeError', "sum() got an unexpected keyword argument 'foo'", 3, 1],
      ['import torch\na = torch.ones(2, requires_grad=True)\na -= 1', 'RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.', 3, 1],
      ['import torch\nif torch.ones(2) > 0:\n    pass', 'RuntimeError', 'Boolean value of Tensor with more than one value is ambiguous', 2, 4],
      ['import torch\nx = torch.ones(2) + torch.ones(3)', 'RuntimeError', 'The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0', 2, 5],
      ['import torch\ntorch.ones(2).foo', 'AttributeError', "'Tensor' object has no attribute 'foo'", 2, 1],
      ['import torch\ntorch.ones(2).backward()', 'RuntimeError', 'element 0 of tensors does not require grad and does not have a grad_fn', 2, 1],
      ['import torch\ntorch.zeros(2, 3)[5]', 'IndexError', 'index 5 is out of bounds for dimension 0 with size 2', 2, 1],
      ['import torch\ntorch.nope(1)', 'AttributeError', "module 'torch' has no attribute 'nope'", 2, 1],
      ['import torch\ntorch.zeros(2).__class__.__proto__', 'AttributeError', "'Tensor' object has no attribute '__class__'", 2, 1],
    ];
    for (const [src, type, message, line, col] of cases) {
      const e = error(src);
      expect([e.type, e.message, e.line, e.col], src).toEqual([type, message, line, col]);
    }
  });

  it('restores grad mode when a no_grad body raises', () => {
    const r = runProgram('import torch\nwith torch.no_grad():\n    x = 1 / 0');
    expect(r.error?.type).toBe('ZeroDivisionError');
    expect(engine.gradEnabled).toBe(true);
  });
});

describe('run: events, positions, evaluate', () => {
  it('emits bind, print, iteration and error events, and stamps ops with line:col', () => {
    const { events, stop } = collect(engine.events);
    let r;
    try {
      r = runProgram(`import torch
a = torch.tensor([2., 3.], requires_grad=True)
Q = 3*a**3
for i in range(2):
    print(i)
x = undefined_name`);
    } finally {
      stop();
    }
    expect(r.error?.type).toBe('NameError');
    const types = events.map((e: GraphEvent) => e.type);
    expect(types).toContain('tensor');
    const binds = events.filter((e): e is Extract<GraphEvent, { type: 'bind' }> => e.type === 'bind').map((e) => e.name);
    expect(binds).toEqual(['a', 'Q']);
    const ops = events.filter((e): e is Extract<GraphEvent, { type: 'op' }> => e.type === 'op');
    expect(ops.map((o) => [o.op, o.pos?.line, o.pos?.col])).toEqual([
      ['pow', 3, 7],
      ['mul', 3, 5],
    ]);
    expect(events.filter((e) => e.type === 'print').map((e) => (e as { text: string }).text)).toEqual(['0', '1']);
    expect(events.filter((e) => e.type === 'iteration').map((e) => (e as { index: number }).index)).toEqual([0, 1]);
    const err = events[events.length - 1] as Extract<GraphEvent, { type: 'error' }>;
    expect([err.type, err.errorType, err.pos?.line, err.pos?.col]).toEqual(['error', 'NameError', 6, 5]);
  });

  it("names each iteration by its loop variable when that is an int, as the program counts", () => {
    const { events, stop } = collect(engine.events);
    try {
      runProgram(`for t in range(10, 4, -3):
    pass
for k, v in [(1, 2)]:
    pass
for s in ['a']:
    pass
n = 0
while n < 1:
    n += 1
for j in [7, 8]:
    pass`);
    } finally {
      stop();
    }
    const iters = events.filter((e): e is Extract<GraphEvent, { type: 'iteration' }> => e.type === 'iteration');
    expect(iters.map((e) => [e.loop.line, e.index, e.binding ?? null])).toEqual([
      [1, 0, { name: 't', value: 10 }],
      [1, 1, { name: 't', value: 7 }],
      [3, 0, null],
      [5, 0, null],
      [8, 0, null],
      [10, 0, { name: 'j', value: 7 }],
      [10, 1, { name: 'j', value: 8 }],
    ]);
  });

  it('evaluates the golden runner expressions after the run', () => {
    const r = runProgram(`import torch
a = torch.tensor([2., 3.], requires_grad=True)
Q = (a ** 2).sum()
Q.backward()
lr = 0.5`);
    expect(r.ok).toBe(true);
    expect((r.evaluate('a.grad') as Tensor).toArray()).toEqual([4, 6]);
    expect(r.evaluate('a.grad is None')).toBe(false);
    expect((r.evaluate('2*a == a.grad') as Tensor).toArray()).toEqual([1, 1]);
    expect(r.evaluate('lr')).toEqual(new PyFloat(0.5));
    expect(r.globals.get('Q')).toBeInstanceOf(Tensor);
  });
});

describe('user code that runs inside backward', () => {
  it("records no forward ops: a tensor hook's and a custom Function's backward ops are not drawn, their results are", () => {
    const { events, stop } = collect(engine.events);
    let r;
    try {
      r = runProgram(`import torch
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1., 2.], requires_grad=True)
h = x.register_hook(lambda g: g * 10)
y = Square.apply(x).sum()
y.backward()
`);
    } finally {
      stop();
    }
    expect(r.ok).toBe(true);
    expect(Array.from((r.evaluate('x.grad') as Tensor).data)).toEqual([20, 40]);
    const ops = events.filter((e) => e.type === 'op').map((e) => (e as { op: string }).op);
    expect(ops).toEqual(['Square', 'sum']);
  });
});

describe('memory a program cannot have', () => {
  it("refuses a tensor past the element limit with PyTorch's allocation error, and JavaScript's refusals as MemoryError", () => {
    const doubling = runProgram('import torch\nx = torch.ones(2, 2)\nfor i in range(40):\n    x = torch.cat([x, x])\n');
    expect(doubling.ok).toBe(false);
    expect(doubling.error!.type).toBe('RuntimeError');
    expect(doubling.error!.message).toMatch(/^\[enforce fail at alloc_cpu\.cpp:75\] \. DefaultCPUAllocator: can't allocate memory: you tried to allocate \d+ bytes/);
    expect(doubling.error!.pos?.line).toBe(4);
    const table = runProgram('import torch\nx = torch.ones(3).repeat(10**6, 10**6)\n');
    expect(table.ok).toBe(false);
    expect([table.error!.type, table.error!.message]).toEqual(['MemoryError', '']);
  });
});

describe("in-place random fills on a tensor (m.weight.data.normal_(0, 0.01))", () => {
  it("draw PyTorch's numbers and follow its in-place rules", () => {
    const r = runProgram('import torch\ntorch.manual_seed(0)\na = torch.empty(5).normal_(2, 0.5)\nb = torch.empty(4).uniform_(-1, 1)\nc = torch.zeros(20).normal_()\n');
    expect(r.ok).toBe(true);
    // Real PyTorch 1.13.1 after torch.manual_seed(0).
    expect(Array.from((r.evaluate('a') as Tensor).data)).toEqual([2.770498037338257, 1.853285551071167, 0.9106053113937378, 2.2842156887054443, 1.4577388763427734]);
    expect(Array.from((r.evaluate('b') as Tensor).data)).toEqual([-0.9553484916687012, -0.6622821092605591, -0.41222310066223145, 0.03704357147216797]);
    expect(Array.from((r.evaluate('c[-3:]') as Tensor).data)).toEqual([0.08453469723463058, -1.2001394033432007, -0.004785737954080105]);
    const leaf = runProgram('import torch\nw = torch.ones(3, requires_grad=True)\nw.normal_()\n');
    expect([leaf.error?.type, leaf.error?.message]).toEqual(['RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.']);
    const ints = runProgram('import torch\nw = torch.ones(3, dtype=torch.long)\nw.uniform_()\n');
    expect(ints.error?.message).toBe(`"check_uniform_bounds" not implemented for 'Long'`);
  });
});

describe('torch.__version__', () => {
  it('is the PyTorch release the engine follows', () => {
    const r = runProgram("import torch\nv = torch.__version__\nok = v.startswith('1.13')\n");
    expect(r.ok).toBe(true);
    expect(r.evaluate('v')).toBe('1.13.1');
  });
});

describe('dtypes this playground lacks', () => {
  it('say so where the program reaches them, as an AttributeError hasattr understands', () => {
    for (const [src, what] of [['x = torch.tensor([1, 2], dtype=torch.float16)', 'torch.float16'], ['y = torch.ones(2).half()', 'Tensor.half()'], ['z = torch.ones(2).bfloat16()', 'Tensor.bfloat16()']]) {
      const r = runProgram(`import torch\n${src}\n`);
      expect(r.ok).toBe(false);
      expect(r.error!.type).toBe('AttributeError');
      expect(r.error!.message).toBe(`${what} is not supported in this playground: its tensors are float32, float64, int64, int32, int16, int8, uint8 or bool`);
      expect(r.error!.line).toBe(2);
    }
    expect(runProgram("import torch\nprint(hasattr(torch, 'half'), hasattr(torch, 'uint8'))\n").output).toBe('False True\n');
  });
});

describe('setitem with tensor indices, as PyTorch records it', () => {
  it('views a value with leading 1s before index_put_ (ViewBackward0), and not one without', () => {
    // PyTorch's printed next_functions for these three programs.
    expect(out(`import torch
x = torch.tensor([[0.9, 1.2], [1.1, -0.9]], requires_grad=True)
for v in [torch.tensor([5.], requires_grad=True), torch.tensor(5., requires_grad=True)]:
    y = x * 1.5
    y[y < 0] = v * 1
    print([type(f).__name__ if f else None for f, _ in y.grad_fn.next_functions])
y = x * 1.5
y[y < 0] *= 2
(y * y).sum().backward()
print([type(f).__name__ if f else None for f, _ in y.grad_fn.next_functions], x.grad)`)).toBe(
      "['MulBackward0', 'ViewBackward0']\n['MulBackward0', 'MulBackward0']\n['MulBackward0', 'ViewBackward0'] tensor([[  4.0500,   5.4000],\n        [  4.9500, -16.2000]])\n",
    );
  });
});

describe("pow's exponent gradient, as pow_backward_exponent", () => {
  it('is 0 where the base is 0 and the exponent is not negative, and -inf where it is negative', () => {
    // PyTorch 1.13 prints tensor([  -inf, 1.3863, 0.0000]); the masked log term gave 0 · inf = nan before.
    expect(out(`import torch
x = torch.tensor([0., 2., 0.])
e = torch.tensor([-1., 1., 2.], requires_grad=True)
(x ** e).sum().backward()
print(e.grad)`)).toBe('tensor([  -inf, 1.3863, 0.0000])\n');
  });
});

describe('setitem records what PyTorch records', () => {
  it('a view and CopySlices, index_put_ on the tensor itself, or a fill, slice by slice as THPVariable_setitem decides', () => {
    expect(out(`import torch
x = torch.arange(12.).reshape(3, 4).requires_grad_()
y = x * 1
y[:, [3]] = 0.18
print('full_adv', type(y.grad_fn).__name__)
y = x * 1
y[0:3:1, [3]] = 0.18
print('explicit_full', type(y.grad_fn).__name__)
y = x * 1
y[0:2, [3]] = 0.18
print('partial', type(y.grad_fn).__name__)
y = x * 1
y[:, 1] = 0.18
print('int', type(y.grad_fn).__name__)
y = x * 1
y[:] = 0.5
print('colon', type(y.grad_fn).__name__)
y = x * 1
y[:] = torch.ones(4)
print('colon_t', type(y.grad_fn).__name__)
y = x * 1
y[:, :] = 0.5
print('colon2', type(y.grad_fn).__name__)
y = x * 1
y[0:10, [1]] = 0.5
print('big_stop', type(y.grad_fn).__name__)
y = x * 1
y[-3:, [1]] = 0.5
print('neg', type(y.grad_fn).__name__)
y = x * 1
y[::2, [1]] = 0.5
print('step2', type(y.grad_fn).__name__)
y = x * 1
y[y > 5] = 0.
print('mask', type(y.grad_fn).__name__)
y = x * 1
y[..., [0]] = 1.
print('ell_adv', type(y.grad_fn).__name__)
y = x * 1
y[None, :, [0]] = 1.
print('none', type(y.grad_fn).__name__)
y = x * 1
y[0:3] = 0.5
print('whole_only', type(y.grad_fn).__name__)
y = x * 1
y[0:3, 0:4] = torch.ones(4)
print('whole_only_t', type(y.grad_fn).__name__)
y = x * 1
y[0:3, 1] = 2.
print('whole_then_int', type(y.grad_fn).__name__)
y = x * 1
y[1, 0:4] = 2.
print('int_then_whole', type(y.grad_fn).__name__)
`)).toBe(`full_adv CopySlices
explicit_full IndexPutBackward0
partial CopySlices
int CopySlices
colon CopySlices
colon_t CopySlices
colon2 CopySlices
big_stop CopySlices
neg CopySlices
step2 CopySlices
mask IndexPutBackward0
ell_adv IndexPutBackward0
none CopySlices
whole_only FillBackward3
whole_only_t CopyBackwards
whole_then_int CopySlices
int_then_whole CopySlices
`);
  });
});

describe('a dimension given by name', () => {
  it("fails as PyTorch's lookup among the (all None) dim names does", () => {
    expect(out(`import torch
x = torch.ones(2, 3)
for f in [lambda: x.sum('x'), lambda: x.std(dim='x'), lambda: x.softmax('x'), lambda: torch.ones(4).mean('a'), lambda: x.max('x'), lambda: torch.sum(x, dim='q'), lambda: x.var('v')]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
`)).toBe(`RuntimeError Name 'x' not found in Tensor[None, None].
RuntimeError Name 'x' not found in Tensor[None, None].
RuntimeError Name 'x' not found in Tensor[None, None].
RuntimeError Name 'a' not found in Tensor[None].
RuntimeError Name 'x' not found in Tensor[None, None].
RuntimeError Name 'q' not found in Tensor[None, None].
RuntimeError Name 'v' not found in Tensor[None, None].
`);
  });
});
