// repr(tensor) cases found by the printed-output fuzzer (golden/gen/print_fuzz.py, scripts/print-fuzz.ts);
// the expected strings are what PyTorch 1.13.1 printed.
import { describe, expect, it } from 'vitest';
import { runProgram } from '../run';

function output(source: string): string {
  const r = runProgram(source);
  if (!r.ok) throw new Error(`${r.error!.type}: ${r.error!.message}`);
  return r.output;
}

describe('tensor repr', () => {
  it('names every dtype but float32 on an empty tensor, int64 and bool too', () => {
    expect(output(`import torch
print(torch.zeros(0, 2, 3, dtype=torch.int64))
print(torch.tensor([], dtype=torch.int64))
print(torch.zeros(3, 0, dtype=torch.bool))
print(torch.zeros(0, dtype=torch.float64))
print(torch.zeros(2, 0))
print(torch.zeros(0, requires_grad=True, dtype=torch.float64))
`)).toBe(`tensor([], size=(0, 2, 3), dtype=torch.int64)
tensor([], dtype=torch.int64)
tensor([], size=(3, 0), dtype=torch.bool)
tensor([], dtype=torch.float64)
tensor([], size=(2, 0))
tensor([], dtype=torch.float64, requires_grad=True)
`);
  });

  it("writes nn.Parameter's repr with its 'Parameter containing:' line, in containers and f-strings too", () => {
    expect(output(`import torch
p = torch.nn.Parameter(torch.ones(2))
print(p)
print((p,), p * 2)
print(f"{torch.nn.Parameter(torch.tensor(2.))}")
print(torch.nn.Parameter(torch.ones(2, dtype=torch.float64), requires_grad=False))
`)).toBe(`Parameter containing:
tensor([1., 1.], requires_grad=True)
(Parameter containing:
tensor([1., 1.], requires_grad=True),) tensor([2., 2.], grad_fn=<MulBackward0>)
Parameter containing:
tensor(2., requires_grad=True)
Parameter containing:
tensor([1., 1.], dtype=torch.float64)
`);
    const r = runProgram(`import torch
print(f"{torch.nn.Parameter(torch.tensor(2.)):.2f}")`);
    expect(r.error?.message).toBe('unsupported format string passed to Parameter.__format__');
  });

  it('prints max/min(dim) as torch.return_types, keeps torch.Size a Size when sliced or added to, names torch classes', () => {
    expect(output(`import torch
s = torch.Size([2, 3, 4])
print(s[1:], s + (5,), (1,) + s, s * 2, 2 * s, s[::-1], tuple(s), list(s), type(s[1:]).__name__, s.numel())
r = torch.tensor([[1., 2.], [3., 0.]], requires_grad=True).max(1)
print(r)
print([torch.tensor([[1., 5.]]).min(dim=1, keepdim=True)], tuple(r)[1], r.indices)
print(type(torch.ones(1)), type(s), type(torch.float32), type(torch.ones(1)) is torch.Tensor)
`)).toBe(`torch.Size([3, 4]) torch.Size([2, 3, 4, 5]) (1, 2, 3, 4) torch.Size([2, 3, 4, 2, 3, 4]) torch.Size([2, 3, 4, 2, 3, 4]) torch.Size([4, 3, 2]) (2, 3, 4) [2, 3, 4] Size 24
torch.return_types.max(
values=tensor([2., 3.], grad_fn=<MaxBackward0>),
indices=tensor([1, 0]))
[torch.return_types.min(
values=tensor([[1.]]),
indices=tensor([[0]]))] tensor([1, 0]) tensor([1, 0])
<class 'torch.Tensor'> <class 'torch.Size'> <class 'torch.dtype'> True
`);
  });

  it('prints state_dict() as an OrderedDict and dict views as dict_keys/odict_keys', () => {
    expect(output(`import torch
m = torch.nn.Linear(2, 1)
sd = m.state_dict()
print(sd.keys(), type(sd).__name__, len(sd), list(sd.values())[1].shape)
print(torch.nn.Sequential().state_dict(), dict(sd).keys())
d = {'a': 1, 'b': 2.5}
print(d.keys(), d.values(), d.items(), list(d.items()), type(d.keys()).__name__)
torch.manual_seed(0)
print(torch.nn.Linear(2, 1).state_dict())
`)).toBe(`odict_keys(['weight', 'bias']) OrderedDict 2 torch.Size([1])
OrderedDict() dict_keys(['weight', 'bias'])
dict_keys(['a', 'b']) dict_values([1, 2.5]) dict_items([('a', 1), ('b', 2.5)]) [('a', 1), ('b', 2.5)] dict_keys
OrderedDict([('weight', tensor([[-0.0053,  0.3793]])), ('bias', tensor([-0.5820]))])
`);
  });

  it('shows no grad_fn on an int64 or bool result of a tensor that requires grad (x.long())', () => {
    expect(output(`import torch
x = torch.tensor([[1.5, -2.], [0.25, 3.]], requires_grad=True)
print(x.long(), x.bool(), x.to(torch.int64).requires_grad, (x * 2).long().grad_fn, x.double())
y = x.long()
print(y.is_leaf, y.requires_grad)
`)).toBe(`tensor([[ 1, -2],
        [ 0,  3]]) tensor([[True, True],
        [True, True]]) False None tensor([[ 1.5000, -2.0000],
        [ 0.2500,  3.0000]], dtype=torch.float64, grad_fn=<ToCopyBackward0>)
True False
`);
  });

  it('follows torch.set_printoptions (precision, sci_mode, threshold, edgeitems, linewidth, profiles), reset for each run', () => {
    expect(output(`import torch
x = torch.arange(12.).reshape(3, 4) / 7
torch.set_printoptions(precision=2)
print(x)
torch.set_printoptions(sci_mode=True)
print(x, torch.zeros(2), torch.tensor([1., 2.]))
torch.set_printoptions(precision=6, sci_mode=False)
print(torch.tensor([1e-8, 1.]), torch.tensor([1e10, 1.]))
torch.set_printoptions(threshold=5)
print(torch.arange(10), torch.arange(10.).reshape(2, 5))
torch.set_printoptions(edgeitems=1)
print(torch.arange(24).reshape(2, 3, 4))
torch.set_printoptions(edgeitems=0)
print(torch.arange(10))
torch.set_printoptions(profile='default')
print(torch.arange(2000.)/3)
torch.set_printoptions(linewidth=40)
print(torch.arange(30.) / 7, torch.ones(3, requires_grad=True) * 2)
torch.set_printoptions(profile='full')
print(torch.arange(1200)[1190:], torch.arange(1001).shape)
torch.set_printoptions(profile='short')
print(torch.tensor([3.14159, 2.71828]), torch.arange(2000))
torch.set_printoptions(precision=0)
print(torch.tensor([1.5, 2.5, 0.4]), torch.tensor(3.7))
`)).toBe(`tensor([[0.00, 0.14, 0.29, 0.43],
        [0.57, 0.71, 0.86, 1.00],
        [1.14, 1.29, 1.43, 1.57]])
tensor([[0.00e+00, 1.43e-01, 2.86e-01, 4.29e-01],
        [5.71e-01, 7.14e-01, 8.57e-01, 1.00e+00],
        [1.14e+00, 1.29e+00, 1.43e+00, 1.57e+00]]) tensor([0., 0.]) tensor([1.00e+00, 2.00e+00])
tensor([    0.000000,     1.000000]) tensor([10000000000.,           1.])
tensor([0, 1, 2,  ..., 7, 8, 9]) tensor([[0., 1., 2., 3., 4.],
        [5., 6., 7., 8., 9.]])
tensor([[[ 0,  ...,  3],
         ...,
         [ 8,  ..., 11]],

        [[12,  ..., 15],
         ...,
         [20,  ..., 23]]])
tensor([ ..., 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
tensor([0.0000e+00, 3.3333e-01, 6.6667e-01,  ..., 6.6567e+02, 6.6600e+02,
        6.6633e+02])
tensor([0.0000, 0.1429, 0.2857, 0.4286,
        0.5714, 0.7143, 0.8571, 1.0000,
        1.1429, 1.2857, 1.4286, 1.5714,
        1.7143, 1.8571, 2.0000, 2.1429,
        2.2857, 2.4286, 2.5714, 2.7143,
        2.8571, 3.0000, 3.1429, 3.2857,
        3.4286, 3.5714, 3.7143, 3.8571,
        4.0000, 4.1429]) tensor([2., 2., 2.],
       grad_fn=<MulBackward0>)
tensor([1190, 1191, 1192, 1193, 1194, 1195, 1196, 1197, 1198, 1199]) torch.Size([1001])
tensor([3.14, 2.72]) tensor([   0,    1,  ..., 1998, 1999])
tensor([2, 2, 0]) tensor(4)
`);
    expect(output('import torch\nprint(torch.arange(12.).reshape(3, 4) / 7)')).toBe(`tensor([[0.0000, 0.1429, 0.2857, 0.4286],
        [0.5714, 0.7143, 0.8571, 1.0000],
        [1.1429, 1.2857, 1.4286, 1.5714]])
`);
  });

  it('answers dtype.is_floating_point / is_signed / is_complex', () => {
    expect(output(`import torch
print([(d.is_floating_point, d.is_signed, d.is_complex) for d in (torch.float32, torch.float64, torch.int64, torch.bool)])
`)).toBe('[(True, True, False), (True, True, False), (False, True, False), (False, False, False)]\n');
  });

  it('casts NaN, infinities and out-of-range floats to int64 as INT64_MIN, as x86-64 PyTorch does (printed -inf before)', () => {
    expect(output(`import torch
x = torch.tensor([float('nan'), float('inf'), -float('inf'), 1e19, -1e19, 9.2e18, -9.3e18, -2.7, 2.7, -0.0])
print(x.long(), x.double().long(), x.to(torch.int64).tolist())
`)).toBe(`tensor([-9223372036854775808, -9223372036854775808, -9223372036854775808,
        -9223372036854775808, -9223372036854775808,  9200000267938955264,
        -9223372036854775808,                   -2,                    2,
                           0]) tensor([-9223372036854775808, -9223372036854775808, -9223372036854775808,
        -9223372036854775808, -9223372036854775808,  9200000267938955264,
        -9223372036854775808,                   -2,                    2,
                           0]) [-9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, 9200000267938955264, -9223372036854775808, -2, 2, 0]
`);
  });

  it("prints nn classes and a parameter's type with their modules (<class 'torch.nn.modules.linear.Linear'>)", () => {
    expect(output(`import torch
import torch.nn as nn
m = nn.Linear(2, 1)
print(type(m), type(m.weight), type(m.weight) is nn.Parameter, type(nn.Sequential()), type(nn.ReLU()), nn.Conv2d, nn.Module, nn.Parameter)
class Net(nn.Module):
    pass
print(type(Net()), type(m.weight * 2), type(m.weight.data), type(m.weight.detach()))
print(type(nn.MSELoss()), type(nn.Identity()), type(nn.BatchNorm2d(2)), type(nn.Flatten()))
`)).toBe(`<class 'torch.nn.modules.linear.Linear'> <class 'torch.nn.parameter.Parameter'> True <class 'torch.nn.modules.container.Sequential'> <class 'torch.nn.modules.activation.ReLU'> <class 'torch.nn.modules.conv.Conv2d'> <class 'torch.nn.modules.module.Module'> <class 'torch.nn.parameter.Parameter'>
<class '__main__.Net'> <class 'torch.Tensor'> <class 'torch.Tensor'> <class 'torch.Tensor'>
<class 'torch.nn.modules.loss.MSELoss'> <class 'torch.nn.modules.linear.Identity'> <class 'torch.nn.modules.batchnorm.BatchNorm2d'> <class 'torch.nn.modules.flatten.Flatten'>
`);
  });
});
