// int32 tensors, against PyTorch 1.13's printed output for the same programs: promotion (sums and products
// are int64, a float operand makes float32), wrap-around on overflow, casts from floats (NaN and out of range
// give -2^31), repr's dtype=torch.int32, and PyTorch's errors naming 'Int'.
import { describe, expect, it } from 'vitest';
import { runOutput } from './runOutput';

const out = (src: string): string => runOutput(`import torch\n${src}`);

describe('int32', () => {
  it('promotes, wraps, casts and prints as PyTorch does, and fails with its words', () => {
    expect(out(`x = torch.tensor([1.7, -2.5, 3.2])
i = x.int()
print(i, i.dtype, i.element_size(), i.type(), torch.tensor([], dtype=torch.int32), torch.zeros(0, dtype=torch.int32))
print(i + 1, (i + 1).dtype, i * 2.5, i / 2, i // 2, i.sum(), i.sum().dtype, i.cumsum(0).dtype, i.prod().dtype, i.max(), i.argmax())
print(i + torch.tensor([1, 2, 3]), torch.tensor(3, dtype=torch.int32) * torch.tensor([1.]), i.float(), i.long(), i == 1)
print(torch.arange(3, dtype=torch.int32), torch.tensor([1, 2]).to(torch.int32), torch.ones(2, dtype=torch.int).dtype)
print(torch.tensor([2**31 - 1], dtype=torch.int32) + 1)
print(i.abs(), -i, i ** 2, (i ** 2).dtype, i.float().mean(), i.tolist(), i[0].item(), int(i[0]), i.dtype == torch.int, torch.int)
print(i.exp(), i.sqrt().dtype, torch.sigmoid(i))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.int32))
print(repr(torch.tensor(5, dtype=torch.int32)))
print(i.to(torch.float64), i.double(), i.bool(), i.type(torch.float32), (i > 0).int())
print(torch.where(i > 0, i, 0), torch.clamp(i, min=0), i.clamp(-1, 1).dtype, i % 2, i.float() / i)
print(torch.tensor([1, 2], dtype=torch.int32) * torch.tensor([1, 2], dtype=torch.int64))
m = torch.nn.Embedding(4, 2)
print(m(torch.tensor([1, 3], dtype=torch.int32)).shape)
print(i.new_zeros(2), torch.zeros_like(i), torch.full((2,), 7, dtype=torch.int32), torch.randint(0, 5, (3,), dtype=torch.int32).dtype)
print(torch.dot(i, i), torch.tensor([float('nan'), 3e9, -3e9]).int(), torch.tensor([2**40]).int(), ~i, i.type())
a = torch.randn(5)
print(a.index_select(0, torch.tensor([0, 2], dtype=torch.int32)).shape, a[torch.tensor(1, dtype=torch.int32)].shape)
for f in [lambda: i.mean(), lambda: i.requires_grad_(), lambda: torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.tensor([0, 1], dtype=torch.int32)),
          lambda: a.gather(0, torch.tensor([0, 2], dtype=torch.int32)), lambda: a[torch.tensor([0, 2], dtype=torch.int32)], lambda: i.add_(0.5), lambda: i.normal_()]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
print(torch.tensor([1, 2, 3], dtype=torch.int32).max(0), torch.tensor([3, 1], dtype=torch.int32).sort())
print(f'{i[0]:5d}', i.numpy() if False else '', torch.tensor([1,2],dtype=torch.int32).float().requires_grad_().dtype)
w = torch.tensor([1., 2., 3.], requires_grad=True)
y = (w * torch.tensor([1, 2, 3], dtype=torch.int32)).sum()
y.backward()
print(y, w.grad, (w.int() * 2).requires_grad)
`)).toBe(`tensor([ 1, -2,  3], dtype=torch.int32) torch.int32 4 torch.IntTensor tensor([], dtype=torch.int32) tensor([], dtype=torch.int32)
tensor([ 2, -1,  4], dtype=torch.int32) torch.int32 tensor([ 2.5000, -5.0000,  7.5000]) tensor([ 0.5000, -1.0000,  1.5000]) tensor([ 0, -1,  1], dtype=torch.int32) tensor(2) torch.int64 torch.int64 torch.int64 tensor(3, dtype=torch.int32) tensor(2)
tensor([2, 0, 6]) tensor([3.]) tensor([ 1., -2.,  3.]) tensor([ 1, -2,  3]) tensor([ True, False, False])
tensor([0, 1, 2], dtype=torch.int32) tensor([1, 2], dtype=torch.int32) torch.int32
tensor([-2147483648], dtype=torch.int32)
tensor([1, 2, 3], dtype=torch.int32) tensor([-1,  2, -3], dtype=torch.int32) tensor([1, 4, 9], dtype=torch.int32) torch.int32 tensor(0.6667) [1, -2, 3] 1 1 True torch.int32
tensor([ 2.7183,  0.1353, 20.0855]) torch.float32 tensor([0.7311, 0.1192, 0.9526])
tensor([[1, 2],
        [3, 4]], dtype=torch.int32)
tensor(5, dtype=torch.int32)
tensor([ 1., -2.,  3.], dtype=torch.float64) tensor([ 1., -2.,  3.], dtype=torch.float64) tensor([True, True, True]) tensor([ 1., -2.,  3.]) tensor([1, 0, 1], dtype=torch.int32)
tensor([1, 0, 3], dtype=torch.int32) tensor([1, 0, 3], dtype=torch.int32) torch.int32 tensor([1, 0, 1], dtype=torch.int32) tensor([1., 1., 1.])
tensor([1, 4])
torch.Size([2, 2])
tensor([0, 0], dtype=torch.int32) tensor([0, 0, 0], dtype=torch.int32) tensor([7, 7], dtype=torch.int32) torch.int32
tensor(14, dtype=torch.int32) tensor([-2147483648, -2147483648, -2147483648], dtype=torch.int32) tensor([0], dtype=torch.int32) tensor([-2,  1, -4], dtype=torch.int32) torch.IntTensor
torch.Size([2]) torch.Size([])
RuntimeError mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Int
RuntimeError only Tensors of floating point dtype can require gradients
RuntimeError expected scalar type Long but found Int
RuntimeError gather(): Expected dtype int64 for index
IndexError tensors used as indices must be long, byte or bool tensors
RuntimeError result type Float can't be cast to the desired output type Int
RuntimeError "normal_kernel_cpu" not implemented for 'Int'
torch.return_types.max(
values=tensor(3, dtype=torch.int32),
indices=tensor(2)) torch.return_types.sort(
values=tensor([1, 3], dtype=torch.int32),
indices=tensor([1, 0]))
    1  torch.float32
tensor(14., grad_fn=<SumBackward0>) tensor([1., 2., 3.]) False
`);
  });

  it('divides as integers: //, %, bitwise ops, and ZeroDivisionError as a RuntimeError', () => {
    expect(out(`i = torch.tensor([5, -7, 0], dtype=torch.int32)
print(i // 2, i % 3, i // torch.tensor([2, 2, 1], dtype=torch.int32), torch.remainder(i, -3), i & 3, i | 8, i ^ 1)
try:
    print(i // 0)
except Exception as e:
    print(type(e).__name__, e)
print(torch.tensor([7], dtype=torch.int32) * torch.tensor([3]), (i * i).dtype, i.pow(2), torch.bitwise_not(i))
print(torch.tensor([100000], dtype=torch.int32) * 100000)
for f in [lambda: torch.tensor([5]) // 0, lambda: torch.tensor([5]) % 0, lambda: torch.div(torch.tensor([5]), 0, rounding_mode='floor'), lambda: torch.tensor([5.]) // 0, lambda: torch.bitwise_not(torch.tensor([1.])), lambda: torch.bitwise_and(torch.tensor([1.]), 1)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print(torch.bitwise_and(torch.tensor([6, 3]), 3), torch.tensor([6]).bitwise_or(1), torch.bitwise_xor(torch.tensor([True]), torch.tensor([True])))
`)).toBe(`tensor([ 2, -4,  0], dtype=torch.int32) tensor([2, 2, 0], dtype=torch.int32) tensor([ 2, -4,  0], dtype=torch.int32) tensor([-1, -1,  0], dtype=torch.int32) tensor([1, 1, 0], dtype=torch.int32) tensor([13, -7,  8], dtype=torch.int32) tensor([ 4, -8,  1], dtype=torch.int32)
RuntimeError ZeroDivisionError
tensor([21]) torch.int32 tensor([25, 49,  0], dtype=torch.int32) tensor([-6,  6, -1], dtype=torch.int32)
tensor([1410065408], dtype=torch.int32)
RuntimeError ZeroDivisionError
RuntimeError ZeroDivisionError
RuntimeError ZeroDivisionError
tensor([inf])
RuntimeError "bitwise_not_cpu" not implemented for 'Float'
RuntimeError "bitwise_and_cpu" not implemented for 'Float'
tensor([2, 3]) tensor([7]) tensor([False])
`);
  });
});
