// The layout PyTorch gives results (engine/tensor.ts): elementwise ops follow their inputs' strides, as
// TensorIterator lays them out; clone(), .to() and the *_like functions preserve them; softmax, cumsum,
// masked_fill and the reductions do not. It decides what view() accepts and what reshape() records. The
// expected text was printed by real PyTorch 1.13 for the same programs.
import { describe, expect, it } from 'vitest';
import { runOutput } from './lang/runOutput';

const out = (src: string): string => runOutput(`import torch\n${src}`);

describe('result layouts', () => {
  it('match PyTorch op by op on a transposed input: stride(), is_contiguous(), view() and reshape()', () => {
    expect(out(`import torch.nn.functional as F
x = torch.arange(1., 7.).reshape(2, 3).requires_grad_()
t = x.t()
cases = [
    ('exp', lambda t: t.exp()), ('mul', lambda t: t * 2), ('add', lambda t: t + t), ('sub', lambda t: t - 1), ('div', lambda t: t / 3), ('rsub', lambda t: 1 - t),
    ('pow', lambda t: t ** 2), ('rpow', lambda t: 2 ** t), ('powt', lambda t: t ** t), ('eq', lambda t: t == 2), ('lt', lambda t: t < 3),
    ('floordiv', lambda t: t.detach() // 2), ('rem', lambda t: t % 2), ('maximum', lambda t: torch.maximum(t, t * 0.5)), ('neg', lambda t: -t),
    ('log', torch.log), ('sqrt', torch.sqrt), ('rsqrt', torch.rsqrt), ('sin', torch.sin), ('tanh', torch.tanh), ('sigmoid', torch.sigmoid), ('relu', torch.relu),
    ('abs', torch.abs), ('reciprocal', torch.reciprocal), ('log1p', torch.log1p), ('square', torch.square), ('sign', torch.sign), ('floor', torch.floor),
    ('round', torch.round), ('clamp', lambda t: t.clamp(1, 3)), ('clamp_min', lambda t: t.clamp(min=2)), ('leaky', F.leaky_relu), ('where', lambda t: torch.where(t > 2, t, 0.)),
    ('dropout', lambda t: F.dropout(t, 0.0)), ('erf', torch.erf), ('atan', torch.atan), ('sinh', torch.sinh), ('log2', torch.log2), ('exp2', torch.exp2), ('trunc', torch.trunc),
    ('frac', torch.frac), ('softplus', F.softplus), ('silu', F.silu), ('mish', F.mish), ('gelu', F.gelu), ('elu', F.elu), ('hardtanh', F.hardtanh), ('hardswish', F.hardswish),
    ('hardsigmoid', F.hardsigmoid), ('atan2', lambda t: torch.atan2(t, t + 1)), ('hypot', lambda t: torch.hypot(t, t)), ('lerp', lambda t: torch.lerp(t, t * 2, 0.5)),
    ('sgn', torch.sgn), ('flip', lambda t: t.flip(0)), ('to64', lambda t: t.double()), ('clone', lambda t: t.clone()), ('clone_c', lambda t: t.clone(memory_format=torch.contiguous_format)),
    ('zeros_like', torch.zeros_like), ('ones_like', torch.ones_like), ('full_like', lambda t: torch.full_like(t, 2.)), ('softmax', lambda t: t.softmax(0)), ('cumsum', lambda t: t.cumsum(0)),
    ('masked_fill', lambda t: t.masked_fill(t > 2, 0.)), ('logsig', F.logsigmoid), ('roll', lambda t: t.roll(1, 0)), ('tril', torch.tril), ('repeat', lambda t: t.repeat(1, 1)),
    ('pad', lambda t: F.pad(t, (1, 1))), ('sum1k', lambda t: t.sum(1, keepdim=True)), ('mm', lambda t: t @ torch.ones(2, 2)), ('bcast', lambda t: t + torch.ones(3, 1)),
    ('bcast2', lambda t: torch.ones(3, 1) * t), ('contig', lambda t: t.contiguous()), ('mixed', lambda t: t + torch.ones(3, 2)), ('mixed2', lambda t: torch.ones(3, 2) + t),
    ('slice', lambda t: t[1:] * 1), ('expand', lambda t: t[:, :1].expand(3, 4) * 1), ('int', lambda t: t.detach().long() + 1), ('mse', lambda t: F.mse_loss(t, t * 0, reduction='none')),
    ('bce', lambda t: F.binary_cross_entropy(torch.sigmoid(t), torch.ones(3, 2), reduction='none')), ('detach', lambda t: t.detach()), ('bcel', lambda t: F.binary_cross_entropy_with_logits(t, torch.ones(3, 2), reduction='none')), ('sl1', lambda t: F.smooth_l1_loss(t, t * 0, reduction='none')), ('huber', lambda t: F.huber_loss(t, t * 0, reduction='none')), ('glu', lambda t: F.glu(t, 1) * 1), ('nan2num', lambda t: torch.nan_to_num(t)), ('xlogy', lambda t: torch.xlogy(t, t)), ('triple', lambda t: (t * 2).exp() + 1),
]
for name, f in cases:
    y = f(t)
    r = y.reshape(-1)
    try:
        y.view(-1)
        v = 'view ok'
    except RuntimeError:
        v = 'view fails'
    print(name, y.stride(), y.is_contiguous(), type(r.grad_fn).__name__ if r.grad_fn is not None else None, v)
z = torch.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)
print((z[:, :, 1:] * 1).stride(), (z * z).stride(), (z + torch.ones(4, 1, 1)).stride(), torch.zeros_like(z[:, :, 1:]).stride(), (z.sum(0) * 1).stride())
torch.manual_seed(0)
print(torch.randn_like(t), torch.rand_like(z)[1, 0])
`)).toBe(`exp (1, 3) False UnsafeViewBackward0 view fails
mul (1, 3) False UnsafeViewBackward0 view fails
add (1, 3) False UnsafeViewBackward0 view fails
sub (1, 3) False UnsafeViewBackward0 view fails
div (1, 3) False UnsafeViewBackward0 view fails
rsub (1, 3) False UnsafeViewBackward0 view fails
pow (1, 3) False UnsafeViewBackward0 view fails
rpow (1, 3) False UnsafeViewBackward0 view fails
powt (1, 3) False UnsafeViewBackward0 view fails
eq (1, 3) False None view fails
lt (1, 3) False None view fails
floordiv (1, 3) False None view fails
rem (1, 3) False UnsafeViewBackward0 view fails
maximum (1, 3) False UnsafeViewBackward0 view fails
neg (1, 3) False UnsafeViewBackward0 view fails
log (1, 3) False UnsafeViewBackward0 view fails
sqrt (1, 3) False UnsafeViewBackward0 view fails
rsqrt (1, 3) False UnsafeViewBackward0 view fails
sin (1, 3) False UnsafeViewBackward0 view fails
tanh (1, 3) False UnsafeViewBackward0 view fails
sigmoid (1, 3) False UnsafeViewBackward0 view fails
relu (1, 3) False UnsafeViewBackward0 view fails
abs (1, 3) False UnsafeViewBackward0 view fails
reciprocal (1, 3) False UnsafeViewBackward0 view fails
log1p (1, 3) False UnsafeViewBackward0 view fails
square (1, 3) False UnsafeViewBackward0 view fails
sign (1, 3) False UnsafeViewBackward0 view fails
floor (1, 3) False UnsafeViewBackward0 view fails
round (1, 3) False UnsafeViewBackward0 view fails
clamp (1, 3) False UnsafeViewBackward0 view fails
clamp_min (1, 3) False UnsafeViewBackward0 view fails
leaky (1, 3) False UnsafeViewBackward0 view fails
where (1, 3) False UnsafeViewBackward0 view fails
dropout (1, 3) False UnsafeViewBackward0 view fails
erf (1, 3) False UnsafeViewBackward0 view fails
atan (1, 3) False UnsafeViewBackward0 view fails
sinh (1, 3) False UnsafeViewBackward0 view fails
log2 (1, 3) False UnsafeViewBackward0 view fails
exp2 (1, 3) False UnsafeViewBackward0 view fails
trunc (1, 3) False UnsafeViewBackward0 view fails
frac (1, 3) False UnsafeViewBackward0 view fails
softplus (1, 3) False UnsafeViewBackward0 view fails
silu (1, 3) False UnsafeViewBackward0 view fails
mish (1, 3) False UnsafeViewBackward0 view fails
gelu (1, 3) False UnsafeViewBackward0 view fails
elu (1, 3) False UnsafeViewBackward0 view fails
hardtanh (1, 3) False UnsafeViewBackward0 view fails
hardswish (1, 3) False UnsafeViewBackward0 view fails
hardsigmoid (1, 3) False UnsafeViewBackward0 view fails
atan2 (1, 3) False UnsafeViewBackward0 view fails
hypot (1, 3) False UnsafeViewBackward0 view fails
lerp (1, 3) False UnsafeViewBackward0 view fails
sgn (1, 3) False UnsafeViewBackward0 view fails
flip (1, 3) False UnsafeViewBackward0 view fails
to64 (1, 3) False UnsafeViewBackward0 view fails
clone (1, 3) False UnsafeViewBackward0 view fails
clone_c (2, 1) True ReshapeAliasBackward0 view ok
zeros_like (1, 3) False None view fails
ones_like (1, 3) False None view fails
full_like (1, 3) False None view fails
softmax (2, 1) True ReshapeAliasBackward0 view ok
cumsum (2, 1) True ReshapeAliasBackward0 view ok
masked_fill (2, 1) True ReshapeAliasBackward0 view ok
logsig (2, 1) True ReshapeAliasBackward0 view ok
roll (2, 1) True ReshapeAliasBackward0 view ok
tril (2, 1) True ReshapeAliasBackward0 view ok
repeat (2, 1) True ReshapeAliasBackward0 view ok
pad (4, 1) True ReshapeAliasBackward0 view ok
sum1k (1, 1) True ReshapeAliasBackward0 view ok
mm (2, 1) True ReshapeAliasBackward0 view ok
bcast (1, 3) False UnsafeViewBackward0 view fails
bcast2 (1, 3) False UnsafeViewBackward0 view fails
contig (2, 1) True ReshapeAliasBackward0 view ok
mixed (1, 3) False UnsafeViewBackward0 view fails
mixed2 (2, 1) True ReshapeAliasBackward0 view ok
slice (1, 2) False UnsafeViewBackward0 view fails
expand (4, 1) True ReshapeAliasBackward0 view ok
int (1, 3) False None view fails
mse (1, 3) False UnsafeViewBackward0 view fails
bce (1, 3) False UnsafeViewBackward0 view fails
detach (1, 3) False None view fails
bcel (2, 1) True ReshapeAliasBackward0 view ok
sl1 (1, 3) False UnsafeViewBackward0 view fails
huber (1, 3) False UnsafeViewBackward0 view fails
glu (1, 1) True ReshapeAliasBackward0 view ok
nan2num (1, 3) False UnsafeViewBackward0 view fails
xlogy (1, 3) False UnsafeViewBackward0 view fails
triple (1, 3) False UnsafeViewBackward0 view fails
(1, 8, 4) (1, 12, 4) (1, 12, 4) (1, 8, 4) (3, 1)
tensor([[ 1.5410,  0.5684],
        [-0.2934, -1.0845],
        [-2.1788, -1.3986]]) tensor([0.1689, 0.8000, 0.9152])
`);
  });

  it("refuse to view (x.t() * 2) with PyTorch's message; reshape copies (UnsafeViewBackward0 over CloneBackward0)", () => {
    expect(out(`x = torch.arange(6.).reshape(2, 3).requires_grad_()
y = x.t() * 2
print(y.is_contiguous(), y.stride())
try:
    y.view(6)
except RuntimeError as e:
    print(e)
z = y.reshape(6)
print(type(z.grad_fn).__name__, [type(f).__name__ for f, _ in z.grad_fn.next_functions])
w = y.contiguous().view(6)
print(type(w.grad_fn).__name__, w)
(z.sum() + w.sum()).backward()
print(x.grad)
print(torch.zeros_like(x.t()).stride(), x.t().clone().stride(), x.t().clone(memory_format=torch.contiguous_format).stride(), x.t().double().stride(), torch.contiguous_format)
`)).toBe(`False (1, 3)
view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.
UnsafeViewBackward0 ['CloneBackward0']
ViewBackward0 tensor([ 0.,  6.,  2.,  8.,  4., 10.], grad_fn=<ViewBackward0>)
tensor([[4., 4., 4.],
        [4., 4., 4.]])
(1, 3) (1, 3) (2, 1) (1, 3) torch.contiguous_format
`);
  });

  it('covers the ops added since (tan, erfc, logit, fmod, addcmul, threshold, the predicates, ...); prelu stays contiguous', () => {
    expect(out(`import torch.nn.functional as F
x = torch.arange(1., 7.).reshape(2, 3).requires_grad_()
t = x.t() / 10
for name, f in [('tan', torch.tan), ('asinh', torch.asinh), ('acosh', lambda t: (t + 2).acosh()), ('atanh', torch.atanh), ('erfc', torch.erfc), ('erfinv', torch.erfinv), ('sinc', torch.sinc),
                ('logit', torch.logit), ('rad2deg', torch.rad2deg), ('deg2rad', torch.deg2rad), ('logaddexp', lambda t: torch.logaddexp(t, t)), ('fmod', lambda t: torch.fmod(t, 0.3)),
                ('copysign', lambda t: torch.copysign(t, -1.)), ('addcmul', lambda t: torch.addcmul(t, t, t)), ('addcdiv', lambda t: torch.addcdiv(t, t, t + 1)),
                ('threshold', lambda t: F.threshold(t, 0.2, 0.)), ('prelu', lambda t: F.prelu(t, torch.tensor([0.2]))), ('isnan', torch.isnan), ('isclose', lambda t: torch.isclose(t, t)),
                ('signbit', torch.signbit), ('isfinite', torch.isfinite)]:
    y = f(t)
    print(name, y.stride(), y.is_contiguous())
`)).toBe(`tan (1, 3) False
asinh (1, 3) False
acosh (1, 3) False
atanh (1, 3) False
erfc (1, 3) False
erfinv (1, 3) False
sinc (1, 3) False
logit (1, 3) False
rad2deg (1, 3) False
deg2rad (1, 3) False
logaddexp (1, 3) False
fmod (1, 3) False
copysign (1, 3) False
addcmul (1, 3) False
addcdiv (1, 3) False
threshold (1, 3) False
prelu (2, 1) True
isnan (1, 3) False
isclose (1, 3) False
signbit (1, 3) False
isfinite (1, 3) False
`);
  });
});
