// F.interpolate, nn.Upsample, F.glu, F.instance_norm and F.multi_margin_loss through the language, against PyTorch 1.13's
// printed output. F.interpolate's float32 values are PyTorch's bits: its weights come from a double source position, and its sums are fused
// multiply-adds (see ./upsample.ts); 3,490 values of random resizes matched bit for bit when this was
// written. Values and gradients of more cases: golden/extra.json, interpolate_and_upsample.
import { describe, expect, it } from 'vitest';
import { runProgram } from '../lang/run';
import { runOutput } from '../lang/runOutput';

const out = (src: string): string => runOutput(`import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\ntorch.set_printoptions(precision=10)\n${src}`);

describe('F.interpolate', () => {
  it("gives PyTorch's float32 bits: bilinear on one channel and on several (two kernels there), linear, nearest", () => {
    expect(out(`x = torch.arange(12.).reshape(1, 1, 3, 4)
print(F.interpolate(x, size=(5, 7), mode='bilinear')[0, 0, 1])
print(F.interpolate(torch.arange(24.).reshape(1, 2, 3, 4), size=(5, 7), mode='bilinear')[0, 1, 1])
print(F.interpolate(torch.arange(4.).reshape(1, 1, 4), size=7, mode='linear'))
print(F.interpolate(x, scale_factor=1.5)[0, 0, :, :3])`)).toBe(`tensor([1.6000001431, 1.9571429491, 2.5285716057, 3.1000001431, 3.6714289188,
        4.2428574562, 4.6000003815])
tensor([13.6000003815, 13.9571428299, 14.5285720825, 15.1000003815,
        15.6714296341, 16.2428569794, 16.6000003815])
tensor([[[0.0000000000, 0.3571428955, 0.9285714626, 1.5000001192, 2.0714287758,
          2.6428573132, 3.0000000000]]])
tensor([[0., 0., 1.],
        [0., 0., 1.],
        [4., 4., 5.],
        [8., 8., 9.]])
`);
  });

  it("gives PyTorch's errors", () => {
    const errors = [
      'F.interpolate(a, size=(2, 3), scale_factor=2)', 'F.interpolate(a)', 'F.interpolate(a, size=(2,))', 'F.interpolate(a, scale_factor=[2.0])',
      "F.interpolate(torch.ones(1, 1, 5), scale_factor=2, mode='bilinear')", 'F.interpolate(a, scale_factor=2, align_corners=True)',
      'F.interpolate(a, size=(2, 2), recompute_scale_factor=True)', 'F.interpolate(torch.ones(3, 3), scale_factor=2)', 'F.interpolate(a, scale_factor=0.1)',
    ].map((e) => `try:\n    ${e}\nexcept Exception as e:\n    print(type(e).__name__ + ': ' + str(e))`).join('\n');
    expect(out(`a = torch.ones(1, 1, 3, 4)\n${errors}`)).toBe(`ValueError: only one of size or scale_factor should be defined
ValueError: either size or scale_factor should be defined
ValueError: Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [3, 4] and output size of (2,). Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.
ValueError: Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [3, 4] and scale_factor of shape [2.0]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.
NotImplementedError: Got 3D input, but bilinear mode needs 4D input
ValueError: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear
ValueError: recompute_scale_factor is not meaningful with an explicit size.
NotImplementedError: Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got nearest)
RuntimeError: Input and output sizes should be greater than 0, but got input (H: 3, W: 4) output (H: 0, W: 0)
`);
  });

  it('says plainly what the playground does not do', () => {
    const r = runProgram("import torch\nimport torch.nn.functional as F\nF.interpolate(torch.ones(1, 1, 3, 4), scale_factor=2, mode='bicubic')");
    expect(r.error?.message).toBe("F.interpolate(mode='bicubic') on a 4-D input is not supported in this playground");
  });
});

describe('nn.Upsample', () => {
  it('prints and keeps its arguments as PyTorch does, and runs F.interpolate', () => {
    expect(out(`print(nn.Upsample(size=[2, 3]), nn.UpsamplingBilinear2d(scale_factor=2), nn.Upsample(scale_factor=(2, 3), mode='bilinear'))
m = nn.Upsample(size=[2, 3])
print(m.size, m.scale_factor, m.mode, m.align_corners, nn.Upsample(scale_factor=2).scale_factor)
y = nn.UpsamplingBilinear2d(scale_factor=2)(torch.arange(4.).reshape(1, 1, 2, 2).requires_grad_())
print(y[0, 0, 1], y.grad_fn.name())`)).toBe(`Upsample(size=[2, 3], mode=nearest) UpsamplingBilinear2d(scale_factor=2.0, mode=bilinear) Upsample(scale_factor=(2.0, 3.0), mode=bilinear)
[2, 3] None nearest None 2.0
tensor([0.6666666865, 1.0000000000, 1.3333333731, 1.6666667461],
       grad_fn=<SelectBackward0>) UpsampleBilinear2DBackward1
`);
  });
});

describe('F.glu and F.instance_norm', () => {
  it("give PyTorch's values, graph and errors", () => {
    expect(out(`torch.set_printoptions(precision=4)
x = torch.linspace(-1, 2, 24).reshape(2, 3, 4).requires_grad_()
y = F.instance_norm(x, weight=torch.tensor([1.0, 0.5, -1.0]), bias=torch.tensor([0.1, 0.0, -0.2]))
print(y[1, 2], y.grad_fn.name(), [f.name() if f else None for f, _ in y.grad_fn.next_functions])
g = F.glu(torch.linspace(-1, 1, 8).reshape(2, 4).requires_grad_(), dim=-1)
print(g, g.grad_fn.name())
for f in [lambda: F.glu(torch.ones(2, 3)), lambda: F.instance_norm(torch.ones(2, 3, 1)), lambda: F.instance_norm(torch.ones(2, 3, 4), weight=torch.ones(2))]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)`)).toBe(`tensor([ 1.1413,  0.2471, -0.6471, -1.5413], grad_fn=<SelectBackward0>) ViewBackward0 ['NativeBatchNormBackward0']
tensor([[-0.3945, -0.3317],
        [ 0.0959,  0.3133]], grad_fn=<GluBackward0>) GluBackward0
RuntimeError Halving dimension must be even, but dimension 1 is size 3
ValueError Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])
RuntimeError weight should contain 6 elements not 4
`);
  });
});

describe('F.multi_margin_loss', () => {
  it("gives PyTorch's values, node and errors", () => {
    expect(out(`torch.set_printoptions(precision=4)
x = torch.tensor([[0.1, 0.2, 0.4, 0.8], [0.5, -0.3, 0.2, 0.1]], requires_grad=True)
y = torch.tensor([3, 0])
print(F.multi_margin_loss(x, y), F.multi_margin_loss(x, y, reduction='none'))
for f in [lambda: F.multi_margin_loss(x, y, p=3), lambda: F.multi_margin_loss(x, torch.tensor([4, 0])), lambda: F.multi_margin_loss(x, torch.tensor([1, 0, 2]))]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)`)).toBe(`tensor(0.3500, grad_fn=<MultiMarginLossBackward0>) tensor([0.3250, 0.3750], grad_fn=<MultiMarginLossBackward0>)
ValueError only p == 1 and p == 2 supported
RuntimeError target out of range
RuntimeError inconsistent target size, got: [3]
`);
  });
});

describe('F.linear, F.dropout and unbind as the RNNs use them', () => {
  it("records PyTorch's nodes: a contiguous 3-D input's addmm between views, dropout's None noise edge; an empty unbind", () => {
    expect(runOutput(`import torch
import torch.nn as nn
import torch.nn.functional as F
names = lambda y: [type(f).__name__ if f else None for f, _ in y.grad_fn.next_functions]
w = torch.tensor([[0.5, -1.0, 0.25], [2.0, 0.1, -0.3]], requires_grad=True)
b = torch.tensor([0.1, -0.2], requires_grad=True)
x = torch.arange(12.).reshape(2, 2, 3).requires_grad_()
for y in [F.linear(x, w, b), F.linear(x.transpose(0, 1), w, b), F.linear(x[:, :1], w, b), F.linear(x, w)]:
    print(type(y.grad_fn).__name__, names(y), y.is_contiguous())
y = F.linear(x, w, b)
y.pow(2).sum().backward()
print(y[1], w.grad, b.grad, x.grad[0])
torch.manual_seed(0)
d = F.dropout(x * 1, 0.5)
print(type(d.grad_fn).__name__, names(d), type(nn.Dropout(0.2)(x).grad_fn.next_functions[1][0]))
print(torch.zeros(0, 3, requires_grad=True).unbind(0), torch.ones(2, 0).unbind(1))`)).toBe(`ViewBackward0 ['AddmmBackward0'] True
AddBackward0 ['UnsafeViewBackward0', 'AccumulateGrad'] True
AddBackward0 ['UnsafeViewBackward0', 'AccumulateGrad'] True
UnsafeViewBackward0 ['MmBackward0'] True
tensor([[-1.9000, 10.1000],
        [-2.6500, 15.5000]], grad_fn=<SelectBackward0>) tensor([[ -77.4000,  -89.6000, -101.8000],
        [ 428.4000,  487.6000,  546.8000]]) tensor([-12.2000,  59.2000]) tensor([[-3.2000,  0.6600,  0.2200],
        [17.6500,  3.2400, -3.3950]])
MulBackward0 ['MulBackward0', None] <class 'NoneType'>
() ()
`);
  });
});
