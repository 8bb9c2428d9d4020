// uint8, int8 and int16 tensors against PyTorch 1.13.1 (and numpy 1.24): each program's output is what real PyTorch
// printed for it (/usr/bin/python3, stderr's deprecation warnings left out, as the console shows none).
import { describe, expect, it } from 'vitest';
import { runOutput } from './runOutput';

describe('uint8, int8 and int16', () => {
  it('creates, prints, promotes, wraps and casts as PyTorch does', () => {
    expect(runOutput(`import torch
x = torch.tensor([1, 200, 255], dtype=torch.uint8)
print(x, x.dtype, x.element_size(), x.is_floating_point(), x.type())
print(repr(torch.tensor(5, dtype=torch.int8)), torch.tensor([-3, 100], dtype=torch.int16))
print(x + 1000, (x + 1000).dtype, x * 2, x - 2, -x)
i8 = torch.tensor([-128, 127, 5], dtype=torch.int8)
print(x + i8, (x+i8).dtype, torch.result_type(x, i8), torch.promote_types(torch.uint8, torch.int8))
print(torch.promote_types(torch.uint8, torch.int16), torch.promote_types(torch.int8, torch.bool))
print(i8 + 1, i8 - 1, i8 * 2, i8 // 3, i8 % 3, i8 / 2, x / 2, x // 3, x % 7)
print(torch.tensor([-1.5, 300.7, 256., -256.5, 1e10, float('nan'), float('inf')]).byte())
print(torch.tensor([-1.5, 300.7, 128., -129.5, 1e10, float('nan'), float('inf')]).char())
print(torch.tensor([-1.5, 40000.7, 32768., -32769.5, 1e10, float('nan'), float('inf')]).short())
print(torch.tensor([-1, 300, 256, -256, 2**40]).byte(), torch.tensor([-1, 300, 256, -256, 2**40]).char(), torch.tensor([-1, 300, 70000]).short())
print(x.sum(), x.sum().dtype, x.prod(), x.max(), x.min(), i8.max(), i8.argmax(), x.cumsum(0))
try: x.mean()
except Exception as e: print(type(e).__name__, e)
try: x.requires_grad_()
except Exception as e: print(type(e).__name__, e)
try: torch.tensor([1], dtype=torch.uint8, requires_grad=True)
except Exception as e: print(type(e).__name__, e)
try: torch.zeros(2, dtype=torch.int8, requires_grad=True)
except Exception as e: print(type(e).__name__, e)
print(x == 200, x > 100, x & 3, x | 8, x ^ 255, ~x, ~i8)
print(torch.zeros(2, dtype=torch.uint8), torch.ones(2, dtype=torch.int8), torch.full((2,), 300, dtype=torch.int16), torch.arange(5, dtype=torch.uint8), torch.empty(0, dtype=torch.uint8))
torch.manual_seed(0)
print(torch.randint(0, 255, (4,), dtype=torch.uint8))
print(x.to(torch.int8), x.byte().char(), x.short(), x.float() / 255, x.type('torch.ShortTensor'), x.type('torch.CharTensor'))
print(torch.iinfo(torch.uint8), torch.iinfo(torch.int8).min, torch.iinfo(torch.int16).max, torch.iinfo(torch.uint8).bits)
`)).toBe(`tensor([  1, 200, 255], dtype=torch.uint8) torch.uint8 1 False torch.ByteTensor
tensor(5, dtype=torch.int8) tensor([ -3, 100], dtype=torch.int16)
tensor([233, 176, 231], dtype=torch.uint8) torch.uint8 tensor([  2, 144, 254], dtype=torch.uint8) tensor([255, 198, 253], dtype=torch.uint8) tensor([255,  56,   1], dtype=torch.uint8)
tensor([-127,  327,  260], dtype=torch.int16) torch.int16 torch.int16 torch.int16
torch.int16 torch.int8
tensor([-127, -128,    6], dtype=torch.int8) tensor([127, 126,   4], dtype=torch.int8) tensor([ 0, -2, 10], dtype=torch.int8) tensor([-43,  42,   1], dtype=torch.int8) tensor([1, 1, 2], dtype=torch.int8) tensor([-64.0000,  63.5000,   2.5000]) tensor([  0.5000, 100.0000, 127.5000]) tensor([ 0, 66, 85], dtype=torch.uint8) tensor([1, 4, 3], dtype=torch.uint8)
tensor([255,  44,   0,   0,   0,   0,   0], dtype=torch.uint8)
tensor([  -1,   44, -128,  127,    0,    0,    0], dtype=torch.int8)
tensor([    -1, -25536, -32768,  32767,      0,      0,      0],
       dtype=torch.int16)
tensor([255,  44,   0,   0,   0], dtype=torch.uint8) tensor([-1, 44,  0,  0,  0], dtype=torch.int8) tensor([  -1,  300, 4464], dtype=torch.int16)
tensor(456) torch.int64 tensor(51000) tensor(255, dtype=torch.uint8) tensor(1, dtype=torch.uint8) tensor(127, dtype=torch.int8) tensor(1) tensor([  1, 201, 456])
RuntimeError mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Byte
RuntimeError only Tensors of floating point dtype can require gradients
RuntimeError Only Tensors of floating point and complex dtype can require gradients
RuntimeError Only Tensors of floating point and complex dtype can require gradients
tensor([False,  True, False]) tensor([False,  True,  True]) tensor([1, 0, 3], dtype=torch.uint8) tensor([  9, 200, 255], dtype=torch.uint8) tensor([254,  55,   0], dtype=torch.uint8) tensor([254,  55,   0], dtype=torch.uint8) tensor([ 127, -128,   -6], dtype=torch.int8)
tensor([0, 0], dtype=torch.uint8) tensor([1, 1], dtype=torch.int8) tensor([300, 300], dtype=torch.int16) tensor([0, 1, 2, 3, 4], dtype=torch.uint8) tensor([], dtype=torch.uint8)
tensor([194,  54, 233, 135], dtype=torch.uint8)
tensor([  1, -56,  -1], dtype=torch.int8) tensor([  1, -56,  -1], dtype=torch.int8) tensor([  1, 200, 255], dtype=torch.int16) tensor([0.0039, 0.7843, 1.0000]) tensor([  1, 200, 255], dtype=torch.int16) tensor([  1, -56,  -1], dtype=torch.int8)
iinfo(min=0, max=255, dtype=uint8) -128 32767 8
`);
  });

  it('indexes with uint8 masks, crosses to numpy and back, and reduces', () => {
    expect(runOutput(`import torch, numpy as np
x = torch.tensor([1, 200, 255], dtype=torch.uint8)
print(x < 1000, x == 256+200, x > -1)
y = torch.tensor([10., 20., 30.])
m = torch.tensor([1, 0, 1], dtype=torch.uint8)
print(y[m])
print(y[m])
y[m] = 0
print(y)
print(y.masked_fill(m.bool(), 5))
try: print(y.masked_fill(m, 5))
except Exception as e: print(type(e).__name__, e)
print(torch.where(m.bool(), y, 1.))
a = np.array([[0, 128, 255]], dtype=np.uint8)
t = torch.from_numpy(a)
print(t, t.dtype, torch.tensor(a), t.numpy(), t.numpy().dtype, x.numpy())
print(torch.tensor(np.array([1, -2], dtype=np.int8)), torch.tensor(np.array([1, -2], dtype=np.int16)))
print(np.array([250, 10], dtype=np.uint8) + np.uint8(10))
print(x + 1.5, (x + 1.5).dtype, x + y, (x + True).dtype, torch.tensor(3, dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8))
print(torch.tensor([5], dtype=torch.uint8) + torch.tensor(300), (torch.tensor([5], dtype=torch.int16) * torch.tensor(3.5, dtype=torch.float64)).dtype)
print(x.bool(), x.long(), x.int(), x.double(), (x.float() / 255).dtype)
print(torch.tensor([-100, 100], dtype=torch.int8).sum(), torch.tensor([-100, 100, 100], dtype=torch.int8).cumsum(0))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8).sum(0), torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8).max(1))
i = torch.tensor([-128, 5], dtype=torch.int8)
print(x.clamp(0, 100), x.abs(), i, i.abs(), i.neg(), i.sign())
print(x.sqrt(), x.exp().dtype, torch.sigmoid(x))
print(x.dtype == torch.uint8, torch.uint8, torch.int8, torch.int16, torch.short, torch.char if hasattr(torch, 'char') else '-')
print(x.tolist(), x[1].item(), int(x[1]), float(x[1]))
print(torch.tensor(200, dtype=torch.uint8) // 0 if False else '')
for f in [lambda: x // 0, lambda: x % 0, lambda: x / 0, lambda: torch.tensor([-128], dtype=torch.int8) // -1]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
print(x.pow(2), i ** 2, x ** 0.5, 2 ** x)
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8) @ torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8))
`)).toBe(`tensor([ True,  True, False]) tensor([False,  True, False]) tensor([False, False, False])
tensor([10., 30.])
tensor([10., 30.])
tensor([ 0., 20.,  0.])
tensor([ 5., 20.,  5.])
tensor([ 5., 20.,  5.])
tensor([0., 1., 0.])
tensor([[  0, 128, 255]], dtype=torch.uint8) torch.uint8 tensor([[  0, 128, 255]], dtype=torch.uint8) [[  0 128 255]] uint8 [  1 200 255]
tensor([ 1, -2], dtype=torch.int8) tensor([ 1, -2], dtype=torch.int16)
[ 4 20]
tensor([  2.5000, 201.5000, 256.5000]) torch.float32 tensor([  1., 220., 255.]) torch.uint8 tensor([4], dtype=torch.int8)
tensor([49], dtype=torch.uint8) torch.float64
tensor([True, True, True]) tensor([  1, 200, 255]) tensor([  1, 200, 255], dtype=torch.int32) tensor([  1., 200., 255.], dtype=torch.float64) torch.float32
tensor(0) tensor([-100,    0,  100])
tensor([4, 6]) torch.return_types.max(
values=tensor([2, 4], dtype=torch.uint8),
indices=tensor([1, 1]))
tensor([  1, 100, 100], dtype=torch.uint8) tensor([  1, 200, 255], dtype=torch.uint8) tensor([-128,    5], dtype=torch.int8) tensor([-128,    5], dtype=torch.int8) tensor([-128,   -5], dtype=torch.int8) tensor([-1,  1], dtype=torch.int8)
tensor([ 1.0000, 14.1421, 15.9687]) torch.float32 tensor([0.7311, 1.0000, 1.0000])
True torch.uint8 torch.int8 torch.int16 torch.int16 -
[1, 200, 255] 200 200 200.0

RuntimeError ZeroDivisionError
RuntimeError ZeroDivisionError
tensor([inf, inf, inf])
tensor([-128], dtype=torch.int8)
tensor([ 1, 64,  1], dtype=torch.uint8) tensor([ 0, 25], dtype=torch.int8) tensor([ 1.0000, 14.1421, 15.9687]) tensor([2, 0, 0], dtype=torch.uint8)
tensor([[ 7, 10],
        [15, 22]], dtype=torch.uint8)
`);
  });

  it('checks Python numbers against the dtype where PyTorch does, and wraps where it does not', () => {
    expect(runOutput(`import torch
def t(f):
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
t(lambda: torch.tensor([300], dtype=torch.uint8))
t(lambda: torch.tensor([-1], dtype=torch.uint8))
t(lambda: torch.tensor([2.7, -0.5], dtype=torch.uint8))
t(lambda: torch.tensor([-2.7], dtype=torch.uint8))
t(lambda: torch.tensor([255, 256.5], dtype=torch.uint8))
t(lambda: torch.tensor([128], dtype=torch.int8))
t(lambda: torch.tensor([-128, 127], dtype=torch.int8))
t(lambda: torch.tensor([40000], dtype=torch.int16))
t(lambda: torch.full((2,), 300, dtype=torch.uint8))
t(lambda: torch.full((2,), -1.5, dtype=torch.uint8))
t(lambda: torch.full((2,), 2.5, dtype=torch.uint8))
x = torch.zeros(3, dtype=torch.uint8)
def s(i, v): x[i] = v; return x
t(lambda: s(0, 300))
t(lambda: s(1, -1))
t(lambda: s(2, 2.9))
t(lambda: x.fill_(257))
t(lambda: x.fill_(5))
def ia(): 
    global x
    x += 1000; return x
t(ia)
def im():
    global x
    x *= 2; return x
t(im)
def iadd():
    global x
    x += 1.5
t(iadd)
def idiv():
    global x
    x /= 2
t(idiv)
t(lambda: x.add_(torch.tensor([1,2,3], dtype=torch.int8)))
t(lambda: x.add_(torch.tensor([1,2,3], dtype=torch.int16)))
t(lambda: torch.tensor([1,2,3], dtype=torch.int16).add_(x))
t(lambda: torch.arange(250, 260, dtype=torch.uint8))
t(lambda: torch.arange(0, 300, 100, dtype=torch.uint8))
t(lambda: torch.ones(2, 2, dtype=torch.int16) * torch.ones(2, dtype=torch.uint8))
t(lambda: torch.cat([torch.ones(2, dtype=torch.uint8), torch.ones(2, dtype=torch.int8)]))
t(lambda: torch.stack([torch.ones(2, dtype=torch.uint8), torch.ones(2)]))
t(lambda: (torch.tensor([[1,2],[3,4]], dtype=torch.uint8).t(), torch.tensor([[1,2],[3,4]], dtype=torch.uint8).view(-1), torch.tensor([[1,2],[3,4]], dtype=torch.uint8)[:, 0]))
t(lambda: (torch.zeros(3, dtype=torch.uint8).new_ones(2), torch.zeros_like(torch.zeros(3, dtype=torch.int8)), torch.empty(2, dtype=torch.int16).dtype))
torch.manual_seed(0)
t(lambda: (torch.randint(-5, 5, (5,), dtype=torch.int8), torch.randint(0, 1000, (3,), dtype=torch.int16)))
t(lambda: torch.randint(0, 300, (3,), dtype=torch.uint8))
t(lambda: torch.tensor([1, 2], dtype=torch.uint8) + torch.tensor([1.5]))
t(lambda: torch.tensor([1, 2], dtype=torch.uint8).float().requires_grad_())
t(lambda: torch.tensor([1, 2], dtype=torch.uint8).max(0))
t(lambda: torch.tensor([3, 1, 2], dtype=torch.int8).sort())
t(lambda: torch.tensor([3, 1, 2], dtype=torch.int8).argsort())
t(lambda: torch.tensor([3, 1, 2], dtype=torch.int8).topk(2))
t(lambda: torch.tensor([[3, 1], [2, 5]], dtype=torch.int16).amax(0))
t(lambda: torch.tensor([3, 1, 2], dtype=torch.uint8).unique())
t(lambda: torch.tensor([3, 1, 2], dtype=torch.uint8).var())
t(lambda: torch.tensor([3, 1, 2], dtype=torch.uint8).float().mean())
t(lambda: torch.tensor([3, 1, 2], dtype=torch.uint8).sum(dtype=torch.uint8))
t(lambda: torch.tensor([200, 100], dtype=torch.uint8).sum(dtype=torch.uint8))
t(lambda: torch.tensor([200, 100], dtype=torch.uint8).mean(dtype=torch.float32))
t(lambda: torch.tensor([200, 100], dtype=torch.uint8).prod(dtype=torch.uint8))
t(lambda: torch.tensor([[1,2],[3,4]], dtype=torch.uint8).sum(1, keepdim=True))
t(lambda: torch.tensor([1, 2], dtype=torch.uint8).to(torch.float64))
t(lambda: torch.tensor([200, 100], dtype=torch.uint8).all())
t(lambda: torch.tensor([200, 0], dtype=torch.uint8).any())
t(lambda: torch.tensor([200, 0], dtype=torch.uint8).all())
t(lambda: torch.tensor([200, 0], dtype=torch.uint8).nonzero())
t(lambda: torch.tensor([200, 0], dtype=torch.uint8).count_nonzero())
t(lambda: torch.tensor([200, 0], dtype=torch.uint8).logical_not())
`)).toBe(`RuntimeError value cannot be converted to type uint8 without overflow
tensor([255], dtype=torch.uint8)
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type int8 without overflow
tensor([-128,  127], dtype=torch.int8)
RuntimeError value cannot be converted to type int16 without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
tensor([2, 2], dtype=torch.uint8)
RuntimeError value cannot be converted to type uint8_t without overflow
tensor([  0, 255,   0], dtype=torch.uint8)
tensor([  0, 255,   2], dtype=torch.uint8)
RuntimeError value cannot be converted to type uint8_t without overflow
tensor([5, 5, 5], dtype=torch.uint8)
tensor([237, 237, 237], dtype=torch.uint8)
tensor([218, 218, 218], dtype=torch.uint8)
RuntimeError result type Float can't be cast to the desired output type Byte
RuntimeError result type Float can't be cast to the desired output type Byte
tensor([219, 220, 221], dtype=torch.uint8)
tensor([220, 222, 224], dtype=torch.uint8)
tensor([221, 224, 227], dtype=torch.int16)
tensor([250, 251, 252, 253, 254, 255,   0,   1,   2,   3], dtype=torch.uint8)
tensor([  0, 100, 200], dtype=torch.uint8)
tensor([[1, 1],
        [1, 1]], dtype=torch.int16)
tensor([1, 1, 1, 1], dtype=torch.int16)
tensor([[1., 1.],
        [1., 1.]])
(tensor([[1, 3],
        [2, 4]], dtype=torch.uint8), tensor([1, 2, 3, 4], dtype=torch.uint8), tensor([1, 3], dtype=torch.uint8))
(tensor([1, 1], dtype=torch.uint8), tensor([0, 0, 0], dtype=torch.int8), torch.int16)
(tensor([-1,  4, -2, -5, -2], dtype=torch.int8), tensor([379, 427, 503], dtype=torch.int16))
RuntimeError to - 1 is out of bounds for unsigned char
tensor([2.5000, 3.5000])
tensor([1., 2.], requires_grad=True)
torch.return_types.max(
values=tensor(2, dtype=torch.uint8),
indices=tensor(1))
torch.return_types.sort(
values=tensor([1, 2, 3], dtype=torch.int8),
indices=tensor([1, 2, 0]))
tensor([1, 2, 0])
torch.return_types.topk(
values=tensor([3, 2], dtype=torch.int8),
indices=tensor([0, 2]))
tensor([3, 5], dtype=torch.int16)
tensor([1, 2, 3], dtype=torch.uint8)
RuntimeError std and var only support floating point and complex dtypes
tensor(2.)
tensor(6, dtype=torch.uint8)
tensor(44, dtype=torch.uint8)
tensor(150.)
tensor(32, dtype=torch.uint8)
tensor([[3],
        [7]])
tensor([1., 2.], dtype=torch.float64)
tensor(1, dtype=torch.uint8)
tensor(1, dtype=torch.uint8)
tensor(0, dtype=torch.uint8)
tensor([[0]])
tensor(1)
tensor([False,  True])
`);
  });

  it("names the C type in overflow messages as PyTorch's checked conversion does", () => {
    expect(runOutput(`import torch
def t(f):
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
for d in [torch.int8, torch.int16, torch.int32, torch.uint8]:
    t(lambda: torch.full((1,), 1e6, dtype=d))
    t(lambda: torch.tensor([1e6], dtype=d))
    t(lambda: torch.tensor([1000000], dtype=d))
    t(lambda: torch.zeros(1, dtype=d).fill_(1e10))
    t(lambda: torch.zeros(1, dtype=d).masked_fill(torch.tensor([True]), 1e6))
    t(lambda: torch.tensor([-129], dtype=d))
    t(lambda: torch.tensor([255], dtype=d))
    t(lambda: torch.tensor([float('nan')], dtype=d))
    t(lambda: torch.tensor([float('inf')], dtype=d))
    t(lambda: torch.full((1,), float('nan'), dtype=d))
    t(lambda: torch.tensor(-200, dtype=d))
t(lambda: torch.tensor([True, 2], dtype=torch.uint8))
t(lambda: torch.zeros(2, dtype=torch.uint8).clamp(-5, 300))
t(lambda: torch.zeros(2, dtype=torch.uint8).clamp(max=300))
t(lambda: torch.where(torch.tensor([True, False]), torch.tensor([5, 10], dtype=torch.uint8), 300))
t(lambda: torch.where(torch.tensor([True, False]), torch.tensor([5, 10], dtype=torch.uint8), torch.tensor([1,2], dtype=torch.int8)))
`)).toBe(`RuntimeError value cannot be converted to type int8_t without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int8_t without overflow
RuntimeError value cannot be converted to type int8_t without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int8_t without overflow
RuntimeError value cannot be converted to type int8 without overflow
RuntimeError value cannot be converted to type int16_t without overflow
RuntimeError value cannot be converted to type int16 without overflow
RuntimeError value cannot be converted to type int16 without overflow
RuntimeError value cannot be converted to type int16_t without overflow
RuntimeError value cannot be converted to type int16_t without overflow
tensor([-129], dtype=torch.int16)
tensor([255], dtype=torch.int16)
RuntimeError value cannot be converted to type int16 without overflow
RuntimeError value cannot be converted to type int16 without overflow
RuntimeError value cannot be converted to type int16_t without overflow
tensor(-200, dtype=torch.int16)
tensor([1000000], dtype=torch.int32)
tensor([1000000], dtype=torch.int32)
tensor([1000000], dtype=torch.int32)
RuntimeError value cannot be converted to type int without overflow
tensor([1000000], dtype=torch.int32)
tensor([-129], dtype=torch.int32)
tensor([255], dtype=torch.int32)
RuntimeError value cannot be converted to type int32 without overflow
RuntimeError value cannot be converted to type int32 without overflow
RuntimeError value cannot be converted to type int without overflow
tensor(-200, dtype=torch.int32)
RuntimeError value cannot be converted to type uint8_t without overflow
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
tensor([127], dtype=torch.uint8)
tensor([255], dtype=torch.uint8)
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type uint8 without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
tensor(56, dtype=torch.uint8)
tensor([1, 2], dtype=torch.uint8)
RuntimeError value cannot be converted to type uint8_t without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
RuntimeError value cannot be converted to type uint8_t without overflow
tensor([5, 2], dtype=torch.int16)
`);
  });

  it('runs an image pipeline: rand * 255 to uint8, float / 255, numpy and back', () => {
    expect(runOutput(`import torch
import numpy as np
torch.manual_seed(0)
img = (torch.rand(2, 3, 4) * 255).to(torch.uint8)
print(img)
print(img.shape, img.dtype, img.permute(1, 2, 0).shape, img.float().div(255).mean())
x = img.float() / 255
y = (x * 255).round().byte()
print(torch.equal(y, img), (y == img).all(), y.dtype)
print((x - 0.5).clamp(0, 1).mul(255).to(torch.uint8))
n = img.numpy()
print(n.dtype, n.shape, n[0, 0], n.max(), n.min(), n.sum(), n.mean())
a = np.arange(12, dtype=np.uint8).reshape(3, 4) * 30
print(a, a.dtype)
t = torch.from_numpy(a)
print(t, t.sum(), t.max(dim=1), t.argmax(), t.float().std())
print(img.view(-1)[:5], img.reshape(6, 4)[1], img[0, 1:, ::2], img.flatten().topk(3))
print(img.max(), img.min(dim=0).values, img.argmin(), img.sort(dim=-1).values[0])
print(torch.tensor([3, 1, 2], dtype=torch.uint8).flip(0), torch.tensor([3, 1, 2], dtype=torch.int8).roll(1), torch.tensor([3, 1], dtype=torch.int16).repeat(2))
print(torch.nn.functional.one_hot(torch.tensor([0, 2]), 3).byte())
print(img[0].tolist())
print(img[0, 0, 0].item(), type(img[0, 0, 0].item()))
print(torch.tensor([1, 2, 3], dtype=torch.int8).cumprod(0), torch.tensor([100, 100], dtype=torch.int8).cumprod(0))
b = torch.zeros(4, 4, dtype=torch.uint8)
b[1:3, 1:3] = 255
print(b, b.sum(), b.bool().sum(), (b > 0).byte())
print(torch.tensor([1, 2], dtype=torch.uint8).dot(torch.tensor([200, 1], dtype=torch.uint8)))
print(torch.stack([torch.tensor([1, 2], dtype=torch.uint8), torch.tensor([3, 4], dtype=torch.uint8)]))
print(torch.tensor([1, 2], dtype=torch.int8).unsqueeze(0).expand(3, 2))
print(torch.tensor([[1, 2]], dtype=torch.int16).T, torch.tensor([250], dtype=torch.uint8).clone() + 10)
print(torch.tensor(list(range(0, 256, 3)), dtype=torch.uint8))
print(torch.arange(2000, dtype=torch.int16))
print(torch.tensor([-5, 3], dtype=torch.int8) >> 1 if False else '', torch.tensor([1, 2], dtype=torch.int16).float().requires_grad_().dtype)
w = torch.randn(3, requires_grad=True)
z = (w * torch.tensor([1, 2, 3], dtype=torch.uint8)).sum()
z.backward()
print(w.grad, z.dtype)
`)).toBe(`tensor([[[126, 195,  22,  33],
         [ 78, 161, 124, 228],
         [116, 161,  88, 102]],

        [[  5,  43,  74, 132],
         [177, 204,  41,  71],
         [173, 233, 101, 222]]], dtype=torch.uint8)
torch.Size([2, 3, 4]) torch.uint8 torch.Size([3, 4, 2]) tensor(0.4755)
True tensor(True) torch.uint8
tensor([[[  0,  67,   0,   0],
         [  0,  33,   0, 100],
         [  0,  33,   0,   0]],

        [[  0,   0,   0,   4],
         [ 49,  76,   0,   0],
         [ 45, 105,   0,  94]]], dtype=torch.uint8)
uint8 (2, 3, 4) [126 195  22  33] 233 5 2910 121.25
[[  0  30  60  90]
 [120 150 180 210]
 [240  14  44  74]] uint8
tensor([[  0,  30,  60,  90],
        [120, 150, 180, 210],
        [240,  14,  44,  74]], dtype=torch.uint8) tensor(1212) torch.return_types.max(
values=tensor([ 90, 210, 240], dtype=torch.uint8),
indices=tensor([3, 3, 0])) tensor(8) tensor(79.0834)
tensor([126, 195,  22,  33,  78], dtype=torch.uint8) tensor([ 78, 161, 124, 228], dtype=torch.uint8) tensor([[ 78, 124],
        [116,  88]], dtype=torch.uint8) torch.return_types.topk(
values=tensor([233, 228, 222], dtype=torch.uint8),
indices=tensor([21,  7, 23]))
tensor(233, dtype=torch.uint8) tensor([[  5,  43,  22,  33],
        [ 78, 161,  41,  71],
        [116, 161,  88, 102]], dtype=torch.uint8) tensor(12) tensor([[ 22,  33, 126, 195],
        [ 78, 124, 161, 228],
        [ 88, 102, 116, 161]], dtype=torch.uint8)
tensor([2, 1, 3], dtype=torch.uint8) tensor([2, 3, 1], dtype=torch.int8) tensor([3, 1, 3, 1], dtype=torch.int16)
tensor([[1, 0, 0],
        [0, 0, 1]], dtype=torch.uint8)
[[126, 195, 22, 33], [78, 161, 124, 228], [116, 161, 88, 102]]
126 <class 'int'>
tensor([1, 2, 6]) tensor([  100, 10000])
tensor([[  0,   0,   0,   0],
        [  0, 255, 255,   0],
        [  0, 255, 255,   0],
        [  0,   0,   0,   0]], dtype=torch.uint8) tensor(1020) tensor(4) tensor([[0, 0, 0, 0],
        [0, 1, 1, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0]], dtype=torch.uint8)
tensor(202, dtype=torch.uint8)
tensor([[1, 2],
        [3, 4]], dtype=torch.uint8)
tensor([[1, 2],
        [1, 2],
        [1, 2]], dtype=torch.int8)
tensor([[1],
        [2]], dtype=torch.int16) tensor([4], dtype=torch.uint8)
tensor([  0,   3,   6,   9,  12,  15,  18,  21,  24,  27,  30,  33,  36,  39,
         42,  45,  48,  51,  54,  57,  60,  63,  66,  69,  72,  75,  78,  81,
         84,  87,  90,  93,  96,  99, 102, 105, 108, 111, 114, 117, 120, 123,
        126, 129, 132, 135, 138, 141, 144, 147, 150, 153, 156, 159, 162, 165,
        168, 171, 174, 177, 180, 183, 186, 189, 192, 195, 198, 201, 204, 207,
        210, 213, 216, 219, 222, 225, 228, 231, 234, 237, 240, 243, 246, 249,
        252, 255], dtype=torch.uint8)
tensor([   0,    1,    2,  ..., 1997, 1998, 1999], dtype=torch.int16)
 torch.float32
tensor([1., 2., 3.]) torch.float32
`);
  });

  it("fails with PyTorch's words where narrow ints are refused, and takes them where PyTorch does", () => {
    expect(runOutput(`import torch
def t(f):
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
u = torch.tensor([3, 1, 2], dtype=torch.uint8)
i8 = torch.tensor([0, 2], dtype=torch.int8)
a = torch.randn(5)
t(lambda: a[i8])
t(lambda: a.index_select(0, i8))
t(lambda: a.gather(0, i8.long()).shape)
t(lambda: a.gather(0, i8))
t(lambda: torch.nn.functional.cross_entropy(torch.randn(2, 3), u[:2].long()))
t(lambda: torch.nn.functional.cross_entropy(torch.randn(2, 3), u[:2]))
t(lambda: torch.nn.Embedding(4, 2)(u).shape)
t(lambda: u.masked_fill(torch.tensor([1, 0, 1], dtype=torch.int8), 0))
t(lambda: u.requires_grad_())
t(lambda: u.add_(0.5))
t(lambda: u.normal_())
t(lambda: u.uniform_())
t(lambda: torch.rand(2, dtype=torch.uint8))
t(lambda: torch.randn(2, dtype=torch.int8))
t(lambda: u.exp_())
t(lambda: u.std())
t(lambda: u.float().mean())
t(lambda: torch.matmul(u.float(), u))
t(lambda: torch.mm(u.view(1, 3), u.view(3, 1)))
t(lambda: torch.nn.functional.relu(u))
t(lambda: torch.softmax(u, 0))
t(lambda: u.softmax(0))
t(lambda: torch.nn.Linear(3, 2)(u))
t(lambda: u.log())
t(lambda: u.sum(0))
t(lambda: u.median())
t(lambda: torch.maximum(u, i8[:1]))
t(lambda: torch.max(u, torch.tensor([2, 2, 2], dtype=torch.int8)))
t(lambda: u.unique(return_counts=True))
t(lambda: torch.bincount(u))
t(lambda: u.type())
t(lambda: u.new_tensor([1, 2]))
t(lambda: torch.tensor(u))
t(lambda: torch.as_tensor([1, 2], dtype=torch.int8))
t(lambda: torch.empty(2, 2, dtype=torch.uint8).shape)
t(lambda: torch.full_like(u, 7))
t(lambda: torch.ones_like(u, dtype=torch.int16))
t(lambda: torch.linspace(0, 10, 5, dtype=torch.uint8))
t(lambda: torch.eye(2, dtype=torch.uint8))
t(lambda: torch.tensor([1.5, 2.5]).to(dtype=torch.int16))
t(lambda: u.is_signed())
t(lambda: (torch.uint8.is_signed, torch.int8.is_signed, torch.uint8.is_floating_point))
t(lambda: torch.tensor([True, False]) + u)
t(lambda: u * True)
t(lambda: u.div(2, rounding_mode='floor'))
t(lambda: u.div(2, rounding_mode='trunc'))
t(lambda: torch.tensor([-7], dtype=torch.int8).div(2, rounding_mode='trunc'))
t(lambda: torch.tensor([-7], dtype=torch.int8).div(2, rounding_mode='floor'))
t(lambda: torch.tensor([-7], dtype=torch.int8) % 3)
t(lambda: torch.tensor([-7], dtype=torch.int8).fmod(3))
t(lambda: torch.tensor([-7], dtype=torch.int8).remainder(-3))
t(lambda: u ** 2)
t(lambda: u.float() ** u)
t(lambda: hash(torch.uint8) == hash(torch.uint8))
t(lambda: f'{u[0]}' + f' {u[0]:3d}')
t(lambda: str(u.dtype))
t(lambda: u.int().dtype == torch.int)
t(lambda: u.nbytes if hasattr(u, 'nbytes') else u.element_size() * u.nelement())
`)).toBe(`IndexError tensors used as indices must be long, byte or bool tensors
RuntimeError index_select(): Expected dtype int32 or int64 for index
torch.Size([2])
RuntimeError gather(): Expected dtype int64 for index
IndexError Target 3 is out of bounds.
IndexError Target 3 is out of bounds.
RuntimeError Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.ByteTensor instead (while checking arguments for embedding)
tensor([0, 1, 0], dtype=torch.uint8)
RuntimeError only Tensors of floating point dtype can require gradients
RuntimeError result type Float can't be cast to the desired output type Byte
RuntimeError "normal_kernel_cpu" not implemented for 'Byte'
RuntimeError "check_uniform_bounds" not implemented for 'Byte'
RuntimeError "check_uniform_bounds" not implemented for 'Byte'
RuntimeError "normal_kernel_cpu" not implemented for 'Char'
RuntimeError result type Float can't be cast to the desired output type Byte
RuntimeError std and var only support floating point and complex dtypes
tensor(2.)
RuntimeError dot : expected both vectors to have same dtype, but found Float and Byte
tensor([[14]], dtype=torch.uint8)
tensor([3, 1, 2], dtype=torch.uint8)
RuntimeError "softmax_lastdim_kernel_impl" not implemented for 'Byte'
RuntimeError "softmax_lastdim_kernel_impl" not implemented for 'Byte'
RuntimeError expected scalar type Byte but found Float
tensor([1.0986, 0.0000, 0.6931])
tensor(6)
tensor(2, dtype=torch.uint8)
tensor([3, 1, 2], dtype=torch.int16)
tensor([3, 2, 2], dtype=torch.int16)
(tensor([1, 2, 3], dtype=torch.uint8), tensor([1, 1, 1]))
tensor([0, 1, 1, 1])
torch.ByteTensor
tensor([1, 2], dtype=torch.uint8)
tensor([3, 1, 2], dtype=torch.uint8)
tensor([1, 2], dtype=torch.int8)
torch.Size([2, 2])
tensor([7, 7, 7], dtype=torch.uint8)
tensor([1, 1, 1], dtype=torch.int16)
tensor([ 0,  2,  5,  7, 10], dtype=torch.uint8)
tensor([[1, 0],
        [0, 1]], dtype=torch.uint8)
tensor([1, 2], dtype=torch.int16)
False
(False, True, False)
RuntimeError The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0
tensor([3, 1, 2], dtype=torch.uint8)
tensor([1, 0, 1], dtype=torch.uint8)
tensor([1, 0, 1], dtype=torch.uint8)
tensor([-3], dtype=torch.int8)
tensor([-4], dtype=torch.int8)
tensor([2], dtype=torch.int8)
tensor([-1], dtype=torch.int8)
tensor([-1], dtype=torch.int8)
tensor([9, 1, 4], dtype=torch.uint8)
tensor([27.,  1.,  4.])
True
3   3
torch.uint8
True
3
`);
  });

  it('numpy arrays of uint8, int8 and int16: value-based promotion and wrap-around', () => {
    expect(runOutput(`import numpy as np
import torch
a = np.array([250, 10, 0], dtype=np.uint8)
print(a + 10, (a + 10).dtype, a - 1, a * 2, a / 2, a // 3, a.astype(np.float32) / 255)
print(a + np.int8(1), (a + np.array([1], dtype=np.int8)).dtype, a.sum(), a.mean(), a.max(), a.min(), a.argmax())
b = np.array([[1, -2], [3, 4]], dtype=np.int8)
print(b, b.dtype, b * 100, b.T, b.astype(np.int16) * 100, np.abs(b), -b)
c = np.zeros((2, 2), dtype=np.uint8)
c[0, 0] = 255
c[1] = 7
print(c, c.dtype, c.tolist(), c.itemsize, c.nbytes, np.dtype('uint8'), np.uint8(300) if False else '', a.dtype.kind, b.dtype.kind)
t = torch.from_numpy(c)
t[1, 1] = 9
print(c, t.numpy().dtype, torch.tensor(b).dtype, torch.as_tensor(a).dtype)
print(np.array([1.7, -1.7, 300.5]).astype(np.uint8), np.array([1.7, -1.7, 300.5]).astype(np.int8))
print(np.array([1, 2, 3], dtype='uint8'), np.array([1, 2], dtype='int16') + np.array([1, 2], dtype='uint8'), (np.array([1, 2], dtype='int16') + np.array([1, 2], dtype='uint8')).dtype)
print(np.uint8, np.int8, np.int16, repr(a), repr(b))
print(a == 250, a > 5, a & 3, a[a > 5])
x = torch.tensor([1, 2, 3], dtype=torch.uint8).numpy()
print(x, x.dtype, repr(x))
`)).toBe(`[ 4 20 10] uint8 [249   9 255] [244  20   0] [125.   5.   0.] [83  3  0] [0.98039216 0.03921569 0.        ]
[251  11   1] int16 260 86.66666666666667 250 0 0
[[ 1 -2]
 [ 3  4]] int8 [[ 100   56]
 [  44 -112]] [[ 1  3]
 [-2  4]] [[ 100 -200]
 [ 300  400]] [[1 2]
 [3 4]] [[-1  2]
 [-3 -4]]
[[255   0]
 [  7   7]] uint8 [[255, 0], [7, 7]] 1 4 uint8  u i
[[255   0]
 [  7   9]] uint8 torch.int8 torch.uint8
[  1 255  44] [ 1 -1 44]
[1 2 3] [2 4] int16
<class 'numpy.uint8'> <class 'numpy.int8'> <class 'numpy.int16'> array([250,  10,   0], dtype=uint8) array([[ 1, -2],
       [ 3,  4]], dtype=int8)
[ True False False] [ True  True False] [2 2 0] [250  10]
[1 2 3] uint8 array([1, 2, 3], dtype=uint8)
`);
  });

  it('updates in place with wrap-around, copies with casts', () => {
    expect(runOutput(`import torch
def t(f):
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
u = torch.zeros(3, dtype=torch.uint8)
t(lambda: u.copy_(torch.tensor([1.7, -1.5, 300.2])))
t(lambda: u.copy_(torch.tensor([1000, -1, 5])))
i = torch.zeros(2, dtype=torch.int16)
t(lambda: i.copy_(torch.tensor([40000, -40000])))
x = torch.tensor([1, 2, 3], dtype=torch.uint8)
x += torch.tensor([255, 255, 255], dtype=torch.uint8)
print(x)
x -= 5
print(x)
x //= 2
print(x)
x.mul_(3)
print(x)
x.clamp_(0, 100)
print(x)
x.neg_()
print(x)
x[x > 100] = 7
print(x)
x[0] = torch.tensor(300)
print(x)
t(lambda: x.sub_(torch.tensor([1.0, 2, 3])))
s = torch.tensor([1, 2, 3], dtype=torch.uint8)
print(s * 0.5, s / s, s.float() * s, s.double().dtype, s.bool().byte(), torch.tensor([True]).byte())
print(torch.tensor([[10, 20], [30, 40]], dtype=torch.uint8).float().mean(dim=0))
print(s.to(torch.float32).requires_grad_().sum())
print(torch.tensor([-3, 3], dtype=torch.int8).abs(), torch.tensor([-3, 3], dtype=torch.int8).sign(), torch.tensor([5], dtype=torch.int16) ** 3)
print(torch.tensor([1, 2], dtype=torch.uint8).eq(torch.tensor([1, 3])), torch.tensor([1, 2], dtype=torch.uint8).ne(2))
print(torch.tensor([1, 2], dtype=torch.uint8) < torch.tensor([1.5, 1.5]))
print(torch.tensor([0, 5, 255], dtype=torch.uint8).argmax(), torch.tensor([0, 5, 255], dtype=torch.uint8).max(0))
print(torch.maximum(torch.tensor([1, 200], dtype=torch.uint8), torch.tensor([5, 5], dtype=torch.int8)))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.int8) @ torch.tensor([[100], [100]], dtype=torch.int8))
`)).toBe(`tensor([  1, 255,  44], dtype=torch.uint8)
tensor([232, 255,   5], dtype=torch.uint8)
tensor([-25536,  25536], dtype=torch.int16)
tensor([0, 1, 2], dtype=torch.uint8)
tensor([251, 252, 253], dtype=torch.uint8)
tensor([125, 126, 126], dtype=torch.uint8)
tensor([119, 122, 122], dtype=torch.uint8)
tensor([100, 100, 100], dtype=torch.uint8)
tensor([156, 156, 156], dtype=torch.uint8)
tensor([7, 7, 7], dtype=torch.uint8)
tensor([44,  7,  7], dtype=torch.uint8)
RuntimeError result type Float can't be cast to the desired output type Byte
tensor([0.5000, 1.0000, 1.5000]) tensor([1., 1., 1.]) tensor([1., 4., 9.]) torch.float64 tensor([1, 1, 1], dtype=torch.uint8) tensor([1], dtype=torch.uint8)
tensor([20., 30.])
tensor(6., grad_fn=<SumBackward0>)
tensor([3, 3], dtype=torch.int8) tensor([-1,  1], dtype=torch.int8) tensor([125], dtype=torch.int16)
tensor([ True, False]) tensor([ True, False])
tensor([ True, False])
tensor(2) torch.return_types.max(
values=tensor(255, dtype=torch.uint8),
indices=tensor(2))
tensor([  5, 200], dtype=torch.int16)
tensor([[ 44],
        [-68]], dtype=torch.int8)
`);
  });

});
