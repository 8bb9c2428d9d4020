// nn functions and modules added from a probe of torch.nn against real PyTorch 1.13 (conv1d, 1-D pooling, the
// padding modes, pixel shuffle, prelu, threshold, softmin, pairwise_distance, dropout2d, and their modules),
// checked against PyTorch's printed output for the same programs: grad_fn chains, values, gradients, reprs.
import { describe, expect, it } from 'vitest';
import { runOutput } from './runOutput';

describe('more of torch.nn', () => {
  it("F.conv1d, 1-D pooling, reflect/replicate padding, pixel shuffle, prelu, threshold, softmin, pairwise_distance and dropout2d record PyTorch's nodes and values", () => {
    expect(runOutput(`import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 3, 8, requires_grad=True)
w = torch.randn(4, 3, 3, requires_grad=True)
b = torch.randn(4, requires_grad=True)
def ch(y):
    out = []
    f = y.grad_fn
    while f is not None and len(out) < 4:
        out.append(type(f).__name__)
        nf = [n for n, _ in f.next_functions if n is not None]
        f = nf[0] if nf else None
    return out
outs = {
    'conv1d': F.conv1d(x, w, b, stride=2, padding=1), 'conv1d_same': F.conv1d(x, w[:, :, :2], padding='same', dilation=1), 'conv1d_valid': F.conv1d(x, w, padding='valid'),
    'max_pool1d': F.max_pool1d(x, 3, stride=2, padding=1), 'avg_pool1d': F.avg_pool1d(x, 2), 'aap1d': F.adaptive_avg_pool1d(x, 3), 'amp1d': F.adaptive_max_pool1d(x, 3),
    'reflect1': F.pad(x, (2, 1), mode='reflect'), 'replicate1': F.pad(x, (1, 3), mode='replicate'), 'reflect2': F.pad(x.view(2, 3, 2, 4), (1, 2, 1, 0), mode='reflect'),
    'replicate2': F.pad(x.view(2, 3, 2, 4), (1, 1, 1, 1), mode='replicate'), 'pixel_shuffle': F.pixel_shuffle(x.view(1, 4, 3, 4), 2), 'pixel_unshuffle': F.pixel_unshuffle(x.view(2, 3, 2, 4), 2),
    'prelu': F.prelu(x, torch.tensor([0.1, 0.2, 0.3])), 'prelu1': F.prelu(x, torch.tensor([0.25])), 'threshold': F.threshold(x, 0.1, 20.), 'softmin': F.softmin(x, dim=-1),
    'pairwise': F.pairwise_distance(x[0], x[1]), 'dropout2d': F.dropout2d(x.view(2, 3, 2, 4), 0.4),
}
for k, v in outs.items():
    print(k, ch(v), v.shape)
loss = sum((v * torch.linspace(-1, 1, v.numel()).reshape(v.shape)).sum() for v in outs.values())
loss.backward()
print(loss)
print(x.grad, w.grad, b.grad)
for f in [lambda: F.pad(x, (8, 1), mode='reflect'), lambda: F.prelu(x, torch.ones(2)), lambda: F.pixel_shuffle(x.view(1, 6, 2, 2), 2)]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
`)).toBe(`conv1d ['ConvolutionBackward0', 'AccumulateGrad'] torch.Size([2, 4, 4])
conv1d_same ['ConvolutionBackward0', 'ConstantPadNdBackward0', 'AccumulateGrad'] torch.Size([2, 4, 8])
conv1d_valid ['ConvolutionBackward0', 'AccumulateGrad'] torch.Size([2, 4, 6])
max_pool1d ['SqueezeBackward1', 'MaxPool2DWithIndicesBackward0', 'UnsqueezeBackward0', 'AccumulateGrad'] torch.Size([2, 3, 4])
avg_pool1d ['SqueezeBackward1', 'AvgPool2DBackward0', 'UnsqueezeBackward0', 'AccumulateGrad'] torch.Size([2, 3, 4])
aap1d ['SqueezeBackward1', 'AdaptiveAvgPool2DBackward0', 'UnsqueezeBackward0', 'AccumulateGrad'] torch.Size([2, 3, 3])
amp1d ['SqueezeBackward1', 'AdaptiveMaxPool2DBackward0', 'UnsqueezeBackward0', 'AccumulateGrad'] torch.Size([2, 3, 3])
reflect1 ['ReflectionPad1DBackward0', 'AccumulateGrad'] torch.Size([2, 3, 11])
replicate1 ['ReplicationPad1DBackward0', 'AccumulateGrad'] torch.Size([2, 3, 12])
reflect2 ['ReflectionPad2DBackward0', 'ViewBackward0', 'AccumulateGrad'] torch.Size([2, 3, 3, 7])
replicate2 ['ReplicationPad2DBackward0', 'ViewBackward0', 'AccumulateGrad'] torch.Size([2, 3, 4, 6])
pixel_shuffle ['PixelShuffleBackward0', 'ViewBackward0', 'AccumulateGrad'] torch.Size([1, 1, 6, 8])
pixel_unshuffle ['PixelUnshuffleBackward0', 'ViewBackward0', 'AccumulateGrad'] torch.Size([2, 12, 1, 2])
prelu ['PreluBackward0', 'AccumulateGrad'] torch.Size([2, 3, 8])
prelu1 ['PreluBackward0', 'AccumulateGrad'] torch.Size([2, 3, 8])
threshold ['ThresholdBackward0', 'AccumulateGrad'] torch.Size([2, 3, 8])
softmin ['SoftmaxBackward0', 'NegBackward0', 'AccumulateGrad'] torch.Size([2, 3, 8])
pairwise ['NormBackward1', 'AddBackward1', 'SubBackward0', 'SelectBackward0'] torch.Size([3])
dropout2d ['MulBackward0', 'ViewBackward0', 'AccumulateGrad'] torch.Size([2, 3, 2, 4])
tensor(100.0677, grad_fn=<AddBackward0>)
tensor([[[-14.5289, -19.8883, -22.6683, -21.0003, -22.5768, -24.7386, -17.3850,
          -17.3178],
         [ -6.6670,  -3.0983,  -5.7846,  -4.3034,  -5.4054,  -8.5269,  -5.7922,
           -6.8608],
         [ -3.4477,  -3.1315,  -2.2640,  -3.7267,  -0.4354,  -2.4042,   0.9940,
           -0.2475]],

        [[  1.9358,   5.1114,   4.8848,   7.8216,   7.8004,  11.9500,   8.3130,
            8.7459],
         [  4.9521,   6.3513,   6.2612,   5.9710,   8.3056,   6.4515,  10.9803,
            9.4051],
         [  8.4265,  15.3946,  11.0115,  14.0327,  15.3690,  24.1084,  15.4846,
           20.1015]]]) tensor([[[ 7.3489,  5.5493,  4.3147],
         [-1.9707, -3.6660, -2.0321],
         [ 7.0934,  1.7538, -1.0927]],

        [[ 7.7127,  6.7243,  4.0123],
         [-0.8933, -1.6797, -0.7165],
         [ 7.2018,  1.4813, -0.4764]],

        [[ 8.0765,  7.8994,  3.7100],
         [ 0.1841,  0.3066,  0.5992],
         [ 7.3102,  1.2089,  0.1400]],

        [[ 8.4402,  9.0744,  3.4077],
         [ 1.2615,  2.2929,  1.9148],
         [ 7.4187,  0.9365,  0.7564]]]) tensor([-3.0968, -1.0323,  1.0323,  3.0968])
RuntimeError Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (8, 1) at dimension 2 of input [2, 3, 8]
RuntimeError Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3.
RuntimeError shape '[1, 6, 2, 2]' is invalid for input of size 48
`);
  });

  it('nn.Conv1d, PReLU, Dropout2d, the 1-D pools, the pads, PixelShuffle, Softmin, Threshold, GLU, Unflatten and PairwiseDistance: reprs, seeded weights, outputs and gradients', () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(0)
c = nn.Conv1d(3, 4, 3, stride=2, padding=1)
c2 = nn.Conv1d(4, 2, (2,), bias=False, dilation=2)
pr = nn.PReLU(4)
mods = [nn.MaxPool1d(2), nn.AvgPool1d(3, stride=1), nn.AdaptiveAvgPool1d(2), nn.AdaptiveMaxPool1d(2), nn.Softmin(dim=-1), nn.Threshold(0.1, 20.0), nn.GLU(1), nn.ReflectionPad1d(2), nn.ReplicationPad1d((1, 3)), nn.ConstantPad1d(2, 3.5)]
print(c, c2, pr)
for m in mods:
    print(m)
print(nn.ZeroPad2d((1, 1, 2, 0)), nn.ReflectionPad2d(1), nn.ReplicationPad2d(1), nn.ConstantPad2d(1, 0.5), nn.PixelShuffle(2), nn.PixelUnshuffle(2), nn.Unflatten(1, (2, 2)), nn.Dropout2d(0.3), nn.PairwiseDistance())
x = torch.randn(2, 3, 8, requires_grad=True)
y = pr(c(x))
z = c2(y)
outs = [y, z] + [m(y) for m in mods]
img = y.view(2, 4, 2, 2)
outs += [nn.ZeroPad2d((1, 1, 2, 0))(img), nn.ReflectionPad2d(1)(img), nn.ReplicationPad2d(1)(img), nn.PixelShuffle(2)(img), nn.PixelUnshuffle(2)(img), nn.Unflatten(1, (2, 2))(y), nn.PairwiseDistance()(y[0], y[1])]
d2 = nn.Dropout2d(0.5)
outs.append(d2(img))
d2.eval()
outs.append(d2(img))
loss = sum((o * torch.linspace(-1, 1, o.numel()).reshape(o.shape)).sum() for o in outs)
loss.backward()
print(loss, x.grad, c.weight.grad, c.bias.grad, c2.weight.grad, pr.weight.grad)
print([tuple(o.shape) for o in outs])
print(nn.Conv1d(3, 4, 3)(torch.randn(3, 8)).shape, type(nn.Conv1d(3, 4, 3)(torch.randn(3, 8, requires_grad=True)).grad_fn).__name__)
`)).toBe(`Conv1d(3, 4, kernel_size=(3,), stride=(2,), padding=(1,)) Conv1d(4, 2, kernel_size=(2,), stride=(1,), dilation=(2,), bias=False) PReLU(num_parameters=4)
MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
AvgPool1d(kernel_size=(3,), stride=(1,), padding=(0,))
AdaptiveAvgPool1d(output_size=2)
AdaptiveMaxPool1d(output_size=2)
Softmin(dim=-1)
Threshold(threshold=0.1, value=20.0)
GLU(dim=1)
ReflectionPad1d((2, 2))
ReplicationPad1d((1, 3))
ConstantPad1d(padding=(2, 2), value=3.5)
ZeroPad2d((1, 1, 2, 0)) ReflectionPad2d((1, 1, 1, 1)) ReplicationPad2d((1, 1, 1, 1)) ConstantPad2d(padding=(1, 1, 1, 1), value=0.5) PixelShuffle(upscale_factor=2) PixelUnshuffle(downscale_factor=2) Unflatten(dim=1, unflattened_size=(2, 2)) Dropout2d(p=0.3, inplace=False) PairwiseDistance()
tensor(12.8060, grad_fn=<AddBackward0>) tensor([[[ -1.0902,   7.7687,  -1.0081,   6.7728,   1.8517,   0.8857,   0.5962,
            2.0206],
         [  6.9052,   5.6868,   6.2164,   1.7974,   4.0417,   4.3671,   3.2274,
            0.8337],
         [ -8.5496,  -4.2922,  -7.7098,  -4.0158,  -3.2232,  -4.7110,  -2.8568,
           -2.5460]],

        [[ -4.9713, -10.4284,  -7.0301,  -7.8524,  -5.1546,  -6.4808,  -4.5775,
            0.7523],
         [  3.6224,  -5.5083,   2.3223,  -4.1957,   5.3689,  -3.3530,  -2.4274,
            2.1278],
         [ -3.2188,  -7.2770,  -2.5030,  -2.9766,  -4.3818,  -6.8372,   1.2784,
            6.1699]]]) tensor([[[   4.3140,    1.2785,   19.2911],
         [   0.1982,   41.1467,    0.4944],
         [ -55.9852,  -63.5067, -100.5971]],

        [[  -8.6104,  -16.6717,    2.5091],
         [  11.3114,   52.9916,  -11.8012],
         [ -74.0125,  -21.3038,  -47.9495]],

        [[  -2.7496,  -17.5806,    8.5601],
         [  10.2477,   48.6306,    1.1316],
         [ -59.8378,   -7.3067,  -10.0139]],

        [[ -12.9185,  -37.8114,   -6.5485],
         [   2.5258,   67.0234,   12.3120],
         [  16.7871,  -20.5695,   -8.1836]]]) tensor([-52.8347, -26.8220,  13.1349,  60.6719]) tensor([[[-0.6319,  0.0750],
         [-1.6499, -0.4079],
         [-1.0973,  0.1725],
         [ 0.7551,  0.2132]],

        [[-0.3603, -0.1864],
         [ 0.0903, -0.1898],
         [ 0.4152,  0.3973],
         [ 1.0930,  0.6456]]]) tensor([ 6.0190, -5.5281, -3.2048, 11.1910])
[(2, 4, 4), (2, 2, 2), (2, 4, 2), (2, 4, 2), (2, 4, 2), (2, 4, 2), (2, 4, 4), (2, 4, 4), (2, 2, 4), (2, 4, 8), (2, 4, 8), (2, 4, 8), (2, 4, 4, 4), (2, 4, 4, 4), (2, 4, 4, 4), (2, 1, 4, 4), (2, 16, 1, 1), (2, 2, 2, 4), (4,), (2, 4, 2, 2), (2, 4, 2, 2)]
torch.Size([4, 6]) SqueezeBackward1
`);
  });

  it('nn.ModuleDict, ParameterList and ParameterDict: indexing, keys/values/items, update, pop, append, reprs, named_parameters and gradients', () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(0)
d = nn.ModuleDict({'enc': nn.Linear(2, 3), 'act': nn.ReLU()})
d['dec'] = nn.Linear(3, 1)
print(d)
print(len(d), list(d.keys()), 'enc' in d, [type(m).__name__ for m in d.values()], [k for k, _ in d.items()])
x = torch.randn(4, 2)
y = d['dec'](d['act'](d['enc'](x)))
pl = nn.ParameterList([nn.Parameter(torch.ones(3)), nn.Parameter(torch.zeros(2, 2))])
pl.append(nn.Parameter(torch.full((2,), 0.5)))
print(pl)
print(len(pl), pl[0], [p.shape for p in pl])
pd = nn.ParameterDict({'scale': nn.Parameter(torch.tensor(2.0)), 'shift': nn.Parameter(torch.tensor([0.5, -0.5]))})
print(pd)
print(len(pd), list(pd.keys()), pd['scale'])
loss = (y * pd['scale']).sum() + (pl[2] * pd['shift']).sum() + pl[0].sum()
loss.backward()
print(d['enc'].weight.grad, pd['scale'].grad, pl[2].grad)
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict({'a': nn.Linear(2, 2)})
        self.ps = nn.ParameterList([nn.Parameter(torch.ones(2))])
    def forward(self, x):
        return self.layers['a'](x) * self.ps[0]
m = M()
print([n for n, _ in m.named_parameters()], m)
print(m(torch.ones(1, 2)))
d.update({'act': nn.Tanh()})
print(list(d.keys()), d['act'], d.pop('act'), list(d.keys()))
try:
    d(x)
except NotImplementedError as e:
    print('NotImplementedError', e)
`)).toBe(`ModuleDict(
  (enc): Linear(in_features=2, out_features=3, bias=True)
  (act): ReLU()
  (dec): Linear(in_features=3, out_features=1, bias=True)
)
3 ['enc', 'act', 'dec'] True ['Linear', 'ReLU', 'Linear'] ['enc', 'act', 'dec']
ParameterList(
    (0): Parameter containing: [torch.float32 of size 3]
    (1): Parameter containing: [torch.float32 of size 2x2]
    (2): Parameter containing: [torch.float32 of size 2]
)
3 Parameter containing:
tensor([1., 1., 1.], requires_grad=True) [torch.Size([3]), torch.Size([2, 2]), torch.Size([2])]
ParameterDict(
    (scale): Parameter containing: [torch.FloatTensor of size ]
    (shift): Parameter containing: [torch.FloatTensor of size 2]
)
2 ['scale', 'shift'] Parameter containing:
tensor(2., requires_grad=True)
tensor([[-0.9371,  1.2652],
        [ 0.5908, -0.4514],
        [ 0.6961, -0.9399]]) tensor(-2.4758) tensor([ 0.5000, -0.5000])
['layers.a.weight', 'layers.a.bias', 'ps.0'] M(
  (layers): ModuleDict(
    (a): Linear(in_features=2, out_features=2, bias=True)
  )
  (ps): ParameterList(  (0): Parameter containing: [torch.float32 of size 2])
)
tensor([[-0.7801, -0.3414]], grad_fn=<MulBackward0>)
['enc', 'act', 'dec'] Tanh() Tanh() ['enc', 'dec']
NotImplementedError Module [ModuleDict] is missing the required "forward" function
`);
  });

  it('nn.ConvTranspose2d and F.conv_transpose2d: a DCGAN-style generator with seeded weights, strides, padding, output_padding, groups, gradients', () => {
    expect(runOutput(`import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
g = nn.Sequential(nn.ConvTranspose2d(4, 3, 4, 1, 0, bias=False), nn.BatchNorm2d(3), nn.ReLU(), nn.ConvTranspose2d(3, 2, 4, 2, 1), nn.Tanh())
print(g)
z = torch.randn(2, 4, 1, 1)
out = g(z)
print(out.shape, out[0, 0, :2])
loss = (out * torch.linspace(-1, 1, out.numel()).reshape(out.shape)).sum()
loss.backward()
print(g[0].weight.grad.sum(), g[0].weight.grad[0, 0], g[3].weight.grad[1, 1], g[3].bias.grad)
x = torch.randn(1, 2, 3, 3, requires_grad=True)
w = torch.randn(2, 2, 3, 3, requires_grad=True)
y = F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1, groups=2, dilation=1)
print(y.shape, type(y.grad_fn).__name__, nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1))
y.pow(2).sum().backward()
print(x.grad, w.grad.sum())
print(nn.ConvTranspose2d(2, 2, 3)(torch.randn(2, 4, 4)).shape)
`)).toBe(`Sequential(
  (0): ConvTranspose2d(4, 3, kernel_size=(4, 4), stride=(1, 1), bias=False)
  (1): BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (2): ReLU()
  (3): ConvTranspose2d(3, 2, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))
  (4): Tanh()
)
torch.Size([2, 2, 8, 8]) tensor([[-0.0370, -0.1003, -0.0645, -0.1524,  0.1350, -0.0224,  0.1626, -0.0227],
        [-0.0256, -0.1661, -0.0059, -0.1697,  0.0908, -0.2200, -0.2417, -0.1156]],
       grad_fn=<SliceBackward0>)
tensor(20.4914) tensor([[ 0.4789,  0.2873, -0.5878,  0.2757],
        [-0.4506, -1.7789,  0.1794,  0.0727],
        [ 0.1606, -1.4050, -1.5235,  0.1786],
        [-0.6545,  1.0368,  0.3359, -0.3927]]) tensor([[1.7354, 2.8231, 2.8651, 2.0309],
        [3.0992, 3.9750, 4.1725, 3.4025],
        [3.9987, 5.1358, 5.1505, 4.4303],
        [3.6377, 5.1709, 5.4335, 4.1296]]) tensor([-31.3522,  30.0307])
torch.Size([1, 4, 6, 6]) ConvolutionBackward0 ConvTranspose2d(3, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))
tensor([[[[ -25.0333,   15.6085,   66.5630],
          [  25.0397,   58.3197,  -34.9595],
          [  33.9990,   14.2031,   11.1134]],

         [[  24.8352,   11.2494, -123.4559],
          [  70.7670,  -94.1654,  -91.0004],
          [   5.7322,  -32.5312,  -16.2400]]]]) tensor(-205.7652)
torch.Size([2, 6, 6])
`);
  });

  it('nn.KLDivLoss (batchmean, log_target), CosineSimilarity, InstanceNorm1d/2d and torch.unique', () => {
    expect(runOutput(`import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(4, 5, requires_grad=True)
t = torch.softmax(torch.randn(4, 5), 1)
kl = nn.KLDivLoss(reduction='batchmean')
cs = nn.CosineSimilarity(dim=1)
inorm = nn.InstanceNorm1d(2, affine=True)
print(kl, cs, inorm, nn.InstanceNorm2d(3))
a = kl(F.log_softmax(x, 1), t)
b = cs(x[:2], x[2:]).sum()
c = (inorm(x.view(2, 2, 5)) * torch.arange(20.).view(2, 2, 5)).sum()
d = nn.KLDivLoss(reduction='sum', log_target=True)(F.log_softmax(x, 1), t.log())
(a + b + c + d).backward()
print(a, b, c, d, x.grad, inorm.weight.grad)
print(torch.unique(torch.tensor([3, 1, 2, 3, 1])), torch.unique(torch.tensor([[2., 1.], [2., 5.]]), return_inverse=True, return_counts=True))
`)).toBe(`KLDivLoss() CosineSimilarity() InstanceNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False) InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)
tensor(0.5777, grad_fn=<DivBackward0>) tensor(0.1471, grad_fn=<SumBackward0>) tensor(13.2715, grad_fn=<SumBackward0>) tensor(2.3110, grad_fn=<SumBackward0>) tensor([[-1.1146,  0.3416, -0.5137,  1.6288,  0.4454],
        [-0.9924, -0.5117, -0.2107,  0.8641,  1.3330],
        [-4.6227, -1.8480,  0.1081,  1.8588,  4.3895],
        [-1.3476, -1.1249, -0.0327,  0.4559,  1.7875]]) tensor([7.1278, 6.1437])
tensor([1, 2, 3]) (tensor([1., 2., 5.]), tensor([[1, 0],
        [1, 2]]), tensor([1, 2, 1]))
`);
  });

  it('torch.nn.utils: clip_grad_norm_ (2 and inf norms, no grads), clip_grad_value_, parameters_to_vector, vector_to_parameters', () => {
    expect(runOutput(`import torch
import torch.nn as nn
from torch.nn.utils import clip_grad_norm_
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
(m(torch.randn(5, 3)) ** 2).sum().backward()
total = clip_grad_norm_(m.parameters(), 0.5)
print(total, m[0].weight.grad, m[2].bias.grad)
(m(torch.randn(5, 3)) ** 2).sum().backward()
print(nn.utils.clip_grad_norm_(m.parameters(), 1.0, norm_type=float('inf')), m[2].weight.grad)
nn.utils.clip_grad_value_(m.parameters(), 0.05)
print(m[0].bias.grad)
v = nn.utils.parameters_to_vector(m.parameters())
print(v.shape, type(v.grad_fn).__name__)
nn.utils.vector_to_parameters(v * 0 + 0.5, m.parameters())
print(m[2].bias)
print(nn.utils.clip_grad_norm_([], 1.0), nn.utils.clip_grad_norm_(nn.Linear(2, 2).parameters(), 1.0))
`)).toBe(`tensor(1.7676) tensor([[-0.0280, -0.0057, -0.0420],
        [-0.0853, -0.0351, -0.1688],
        [ 0.0386,  0.0099,  0.1010],
        [-0.0494, -0.0459, -0.0726]]) tensor([-0.2807, -0.1013])
tensor(2.0036) tensor([[ 0.1818,  0.7322, -0.2573,  0.0603],
        [ 0.2177,  0.5562, -0.2400,  0.1108]])
tensor([-0.0500, -0.0500,  0.0500, -0.0500])
torch.Size([26]) CatBackward0
Parameter containing:
tensor([0.5000, 0.5000], requires_grad=True)
tensor(0.) tensor(0.)
`);
  });

  it("copy.deepcopy of a program's module, a state dict, tensors and containers (a Parameter's .grad not copied, a tensor's copied), copy.copy", () => {
    expect(runOutput(`import copy
import torch
import torch.nn as nn
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 1)
        self.scale = 2.0
        self.tags = ['a', 'b']
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x))) * self.scale
net = Net()
x = torch.randn(5, 3)
net(x).sum().backward()
best = copy.deepcopy(net)
best_state = copy.deepcopy(net.state_dict())
with torch.no_grad():
    net.fc1.weight.add_(1.0)
net.tags.append('c')
print(type(best).__name__, best.scale, best.tags, net.tags)
print(torch.equal(best.fc1.weight, net.fc1.weight), torch.equal(best_state['fc1.weight'], net.fc1.weight))
print(best.fc1.weight.grad is not None, best.fc1.weight.requires_grad, best.fc1.weight.is_leaf, type(best.fc1.weight).__name__)
print(best(x).sum(), net(x).sum())
net.load_state_dict(best_state)
print(net(x).sum())
t = torch.tensor([1., 2.], requires_grad=True)
u = copy.deepcopy(t)
print(u, u is t, u.requires_grad)
try:
    copy.deepcopy(t * 2)
except RuntimeError as e:
    print(e)
l = [t, {'k': t}]
l2 = copy.deepcopy(l)
print(l2[0] is l2[1]['k'], l2[0] is t, copy.copy(l) is l, copy.copy(l)[0] is t)
print(best)
t=torch.tensor([1.,2.],requires_grad=True); (t*2).sum().backward()
u=copy.deepcopy(t); print(u.grad)
p=torch.nn.Parameter(torch.ones(2)); p.sum().backward(); print(copy.deepcopy(p).grad)
`)).toBe(`Net 2.0 ['a', 'b'] ['a', 'b', 'c']
False False
False True True Parameter
tensor(1.1070, grad_fn=<SumBackward0>) tensor(-1.3502, grad_fn=<SumBackward0>)
tensor(1.1070, grad_fn=<SumBackward0>)
tensor([1., 2.], requires_grad=True) False True
Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment
True False False True
Net(
  (fc1): Linear(in_features=3, out_features=4, bias=True)
  (fc2): Linear(in_features=4, out_features=1, bias=True)
)
tensor([2., 2.])
None
`);
  });

  it('torch.save and torch.load within a run (a state dict, a checkpoint dict), FileNotFoundError otherwise', () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Linear(3, 2)
torch.save(m.state_dict(), 'model.pt')
with torch.no_grad():
    m.weight.zero_()
print(m.weight)
sd = torch.load('model.pt')
print(type(sd).__name__, list(sd.keys()))
print(m.load_state_dict(sd))
print(m.weight)
torch.save({'epoch': 3, 'w': m.weight.detach()}, 'ckpt.pt')
ck = torch.load('ckpt.pt', map_location='cpu')
print(ck['epoch'], ck['w'].shape)
try:
    torch.load('missing.pt')
except FileNotFoundError as e:
    print(e)
`)).toBe(`Parameter containing:
tensor([[0., 0., 0.],
        [0., 0., 0.]], requires_grad=True)
OrderedDict ['weight', 'bias']
<All keys matched successfully>
Parameter containing:
tensor([[-0.0043,  0.3097, -0.4752],
        [-0.4249, -0.2224,  0.1548]], requires_grad=True)
3 torch.Size([2, 3])
[Errno 2] No such file or directory: 'missing.pt'
`);
  });
});

describe('in-place ReLU', () => {
  it("nn.ReLU(inplace=True), F.relu(inplace=True) and relu_ change the tensor itself, as PyTorch 1.13.1 printed (a hook's bn1 output reads rectified after the forward)", () => {
    expect(runOutput("import torch\nimport torchvision\nimport torch.nn.functional as F\nx = torch.tensor([-1.0, 2.0, -3.0])\ny = x.relu_()\nprint(x, y is x)\na = torch.tensor([-1.0, 2.0])\nb = F.relu(a, inplace=True)\nprint(a, b is a)\nc = torch.tensor([-1.0, 2.0])\nd = torch.nn.ReLU(inplace=True)(c)\nprint(c, d is c)\nw = torch.tensor([1.0, -2.0], requires_grad=True)\nh = w * 2\nk = torch.nn.ReLU(inplace=True)(h)\nprint(h, k is h, type(h.grad_fn).__name__)\nk.sum().backward()\nprint(w.grad)\n\ntorch.manual_seed(0)\nm = torchvision.models.resnet18()\nm.eval()\nseen = []\nm.layer2[0].bn1.register_forward_hook(lambda mod, i, o: seen.append((o, o.clone())))\nwith torch.no_grad():\n    y = m(torch.rand(1, 3, 64, 64))\no, c = seen[0]\nprint(o.min().item() >= 0, c.min().item() < 0, torch.equal(o, c.clamp(min=0)))\n")).toBe("tensor([0., 2., 0.]) True\ntensor([0., 2.]) True\ntensor([0., 2.]) True\ntensor([2., 0.], grad_fn=<ReluBackward0>) True ReluBackward0\ntensor([2., 0.])\nTrue True True\n");
  });
});
