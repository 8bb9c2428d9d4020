// nn.MultiheadAttention and the Transformer modules through the language, against PyTorch 1.13.1's printed output
// (each expected text below is what /usr/bin/python3 printed for the same program).
import { describe, expect, it } from 'vitest';
import { runOutput } from '../lang/runOutput';

/** graph(t): t's grad_fn and the nodes under it, one per line: name#index, output slot, '@index' for a node seen before. */
const GRAPH = `def walk(fn, seen, depth=0, slot=0):
    if fn is None:
        return ['  ' * depth + str(slot) + ' None']
    for i, s in enumerate(seen):
        if s is fn:
            return ['  ' * depth + str(slot) + ' @' + str(i)]
    seen.append(fn)
    lines = ['  ' * depth + str(slot) + ' ' + type(fn).__name__ + '#' + str(len(seen) - 1)]
    for nf, nr in fn.next_functions:
        lines += walk(nf, seen, depth + 1, nr)
    return lines
def graph(t):
    return '\\n'.join(walk(t.grad_fn, []))
`;

describe('attention and transformer modules', () => {
  it("nn.MultiheadAttention draws PyTorch's parameters after manual_seed and records its graph: one packed in-projection chunked, heads by view/transpose, bmm, softmax, bmm, out_proj's addmm, the weights averaged", () => {
    expect(runOutput(`import torch
import torch.nn as nn
${GRAPH}torch.manual_seed(0)
m = nn.MultiheadAttention(4, 2)
print(m)
print([(n, tuple(p.shape)) for n, p in m.named_parameters()])
print(m.in_proj_weight, m.out_proj.weight)
x = torch.randn(3, 2, 4, requires_grad=True)
out, w = m(x, x, x)
print(out, w)
print(graph(out))
print(graph(w))
(out.pow(2).sum() + (w * torch.arange(18.).view(2, 3, 3)).sum()).backward()
# The key bias's gradient is zero up to rounding (softmax ignores a shift): left out.
print(m.in_proj_bias.grad[:4], m.in_proj_bias.grad[8:])
for n, p in m.named_parameters():
    if n != 'in_proj_bias':
        print(n, p.grad)
print(x.grad)
`)).toBe(`MultiheadAttention(
  (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)
)
[('in_proj_weight', (12, 4)), ('in_proj_bias', (12,)), ('out_proj.weight', (4, 4)), ('out_proj.bias', (4,))]
Parameter containing:
tensor([[ 0.2224,  0.5085, -0.1260,  0.4582],
        [-0.0987,  0.0648,  0.5545, -0.5681],
        [-0.3855, -0.1550, -0.2387,  0.5291],
        [-0.3969, -0.2819, -0.4278, -0.5735],
        [-0.3575,  0.5264,  0.2733,  0.2968],
        [ 0.0322, -0.3140,  0.1036, -0.5718],
        [-0.4425, -0.3157,  0.3864,  0.3590],
        [-0.2716, -0.0221,  0.3916,  0.6088],
        [ 0.2430,  0.0827,  0.4106, -0.3606],
        [ 0.1141, -0.4748, -0.4244, -0.3163],
        [ 0.2771,  0.2463, -0.3627,  0.1850],
        [ 0.3362, -0.0773,  0.0234,  0.1419]], requires_grad=True) Parameter containing:
tensor([[-0.0037,  0.2682, -0.4115, -0.3680],
        [-0.1926,  0.1341, -0.0099,  0.3964],
        [-0.0444,  0.1323, -0.1511, -0.0983],
        [-0.4777, -0.3311, -0.2061,  0.0185]], requires_grad=True)
tensor([[[-0.3001, -0.0931, -0.1315,  0.4494],
         [-0.8237, -0.1454, -0.3715,  0.5394]],

        [[-0.4960,  0.0544, -0.1857,  0.1899],
         [-0.4957,  0.0478, -0.2009,  0.1293]],

        [[-0.0282, -0.0664, -0.0203, -0.0112],
         [-0.5541,  0.0224, -0.2287,  0.1798]]], grad_fn=<ViewBackward0>) tensor([[[0.5531, 0.1770, 0.2698],
         [0.3685, 0.4810, 0.1505],
         [0.2659, 0.2923, 0.4418]],

        [[0.4798, 0.3336, 0.1866],
         [0.2893, 0.3732, 0.3375],
         [0.3387, 0.3237, 0.3376]]], grad_fn=<DivBackward0>)
0 ViewBackward0#0
  0 AddmmBackward0#1
    0 AccumulateGrad#2
    0 ViewBackward0#3
      0 CloneBackward0#4
        0 TransposeBackward0#5
          0 BmmBackward0#6
            0 SoftmaxBackward0#7
              0 BmmBackward0#8
                0 DivBackward0#9
                  0 TransposeBackward0#10
                    0 ViewBackward0#11
                      0 CloneBackward0#12
                        0 SplitBackward0#13
                          0 ViewBackward0#14
                            0 AddmmBackward0#15
                              0 AccumulateGrad#16
                              0 ViewBackward0#17
                                0 AccumulateGrad#18
                              0 TBackward0#19
                                0 AccumulateGrad#20
                  0 None
                0 TransposeBackward0#21
                  0 TransposeBackward0#22
                    0 ViewBackward0#23
                      0 CloneBackward0#24
                        1 @13
            0 TransposeBackward0#25
              0 ViewBackward0#26
                0 CloneBackward0#27
                  2 @13
    0 TBackward0#28
      0 AccumulateGrad#29
0 DivBackward0#0
  0 SumBackward1#1
    0 ViewBackward0#2
      0 SoftmaxBackward0#3
        0 BmmBackward0#4
          0 DivBackward0#5
            0 TransposeBackward0#6
              0 ViewBackward0#7
                0 CloneBackward0#8
                  0 SplitBackward0#9
                    0 ViewBackward0#10
                      0 AddmmBackward0#11
                        0 AccumulateGrad#12
                        0 ViewBackward0#13
                          0 AccumulateGrad#14
                        0 TBackward0#15
                          0 AccumulateGrad#16
            0 None
          0 TransposeBackward0#17
            0 TransposeBackward0#18
              0 ViewBackward0#19
                0 CloneBackward0#20
                  1 @9
  0 None
tensor([ 0.3314, -0.1990,  0.1441, -0.2076]) tensor([-1.2200, -2.7748,  1.9595,  2.1211])
in_proj_weight tensor([[ 0.3929,  0.3331,  0.1830,  0.2721],
        [-0.2424, -0.2239, -0.1398, -0.2009],
        [-0.4158, -0.0078, -0.0277,  0.1543],
        [-0.3174, -0.1000, -0.0147,  0.0248],
        [-0.1780,  0.4076,  0.0731,  0.2030],
        [ 0.0342, -0.0525, -0.0478, -0.0584],
        [-0.2423, -0.2828,  0.0298,  0.1162],
        [-0.1093,  0.1072,  0.0387,  0.1704],
        [-0.4466, -1.9523, -0.7588, -1.4452],
        [-1.6393, -3.9005, -2.0243, -3.4621],
        [ 2.0512, -0.1622,  0.6971,  1.0030],
        [ 2.2165, -0.1021,  0.7299,  1.0469]])
out_proj.weight tensor([[-0.7324,  6.7463, -1.2220, -2.2317],
        [-0.0389,  0.6370,  0.0241, -0.0322],
        [-0.3264,  2.9085, -0.4916, -0.9387],
        [ 0.1784, -4.0449,  0.5619,  0.9695]])
out_proj.bias tensor([-5.3958, -0.3605, -2.2773,  2.9532])
tensor([[[-0.1548,  0.3580,  0.0791,  0.5595],
         [-0.1791,  0.6572,  0.2588,  0.7765]],

        [[ 0.3712,  0.1776, -0.0762,  0.0844],
         [ 0.4794,  0.2873, -0.2099,  0.5141]],

        [[-0.1436, -0.0758,  0.0937,  0.0857],
         [ 0.3900,  0.3227, -0.2276,  0.4212]]])
`);
  });
  it("masks: a bool and a float attn_mask (baddbmm), key_padding_mask merged into either, per-head weights, need_weights=False, batch_first", () => {
    expect(runOutput(`import torch
import torch.nn as nn
${GRAPH}torch.manual_seed(1)
m = nn.MultiheadAttention(4, 2, batch_first=True)
q = torch.randn(2, 3, 4, requires_grad=True)
kv = torch.randn(2, 2, 4, requires_grad=True)
causal = torch.tensor([[False, True], [False, False], [True, False]])
out, w = m(q, kv, kv, attn_mask=causal, average_attn_weights=False)
print(out, w, type(out.grad_fn).__name__, w.shape)
print(graph(out))
out, w = m(q, kv, kv, attn_mask=torch.tensor([[0., -1.], [0.5, 0.], [0., 0.]]), key_padding_mask=torch.tensor([[False, True], [False, False]]))
print(out, w)
out, w = m(q, kv, kv, attn_mask=causal, key_padding_mask=torch.tensor([[False, False], [True, False]]), need_weights=False)
print(out, w)
out.sum().backward()
print(q.grad, kv.grad, m.in_proj_bias.grad[8:])
`)).toBe(`tensor([[[ 0.1596, -0.7985,  0.1831,  0.2031],
         [ 0.1619, -0.6789,  0.1381,  0.1644],
         [ 0.1388, -0.5659,  0.1014,  0.1168]],

        [[ 0.0634, -0.1072,  0.2075, -0.1206],
         [ 0.1120, -0.4513,  0.1292,  0.0586],
         [ 0.2276, -0.8961,  0.0709,  0.2893]]], grad_fn=<TransposeBackward0>) tensor([[[[1.0000, 0.0000],
          [0.5410, 0.4590],
          [0.0000, 1.0000]],

         [[1.0000, 0.0000],
          [0.3995, 0.6005],
          [0.0000, 1.0000]]],


        [[[1.0000, 0.0000],
          [0.5899, 0.4101],
          [0.0000, 1.0000]],

         [[1.0000, 0.0000],
          [0.4958, 0.5042],
          [0.0000, 1.0000]]]], grad_fn=<ViewBackward0>) TransposeBackward0 torch.Size([2, 2, 3, 2])
0 TransposeBackward0#0
  0 ViewBackward0#1
    0 AddmmBackward0#2
      0 AccumulateGrad#3
      0 ViewBackward0#4
        0 CloneBackward0#5
          0 TransposeBackward0#6
            0 BmmBackward0#7
              0 SoftmaxBackward0#8
                0 BaddbmmBackward0#9
                  0 None
                  0 DivBackward0#10
                    0 TransposeBackward0#11
                      0 ViewBackward0#12
                        0 AddBackward0#13
                          0 UnsafeViewBackward0#14
                            0 MmBackward0#15
                              0 UnsafeViewBackward0#16
                                0 CloneBackward0#17
                                  0 TransposeBackward0#18
                                    0 AccumulateGrad#19
                              0 TBackward0#20
                                0 SplitWithSizesBackward0#21
                                  0 AccumulateGrad#22
                          0 SplitWithSizesBackward0#23
                            0 AccumulateGrad#24
                    0 None
                  0 TransposeBackward0#25
                    0 TransposeBackward0#26
                      0 ViewBackward0#27
                        0 CloneBackward0#28
                          0 SplitBackward0#29
                            0 AddBackward0#30
                              0 UnsafeViewBackward0#31
                                0 MmBackward0#32
                                  0 UnsafeViewBackward0#33
                                    0 CloneBackward0#34
                                      0 TransposeBackward0#35
                                        0 AccumulateGrad#36
                                  0 TBackward0#37
                                    1 @21
                              1 @23
              0 TransposeBackward0#38
                0 ViewBackward0#39
                  0 CloneBackward0#40
                    1 @29
      0 TBackward0#41
        0 AccumulateGrad#42
tensor([[[ 0.1596, -0.7985,  0.1831,  0.2031],
         [ 0.1596, -0.7985,  0.1831,  0.2031],
         [ 0.1596, -0.7985,  0.1831,  0.2031]],

        [[ 0.0606, -0.2691,  0.1498, -0.0359],
         [ 0.0952, -0.3597,  0.1469,  0.0110],
         [ 0.0543, -0.3877,  0.1042,  0.0262]]], grad_fn=<TransposeBackward0>) tensor([[[1.0000, 0.0000],
         [1.0000, 0.0000],
         [1.0000, 0.0000]],

        [[0.7615, 0.2385],
         [0.6610, 0.3390],
         [0.5831, 0.4169]]], grad_fn=<DivBackward0>)
tensor([[[ 0.1596, -0.7985,  0.1831,  0.2031],
         [ 0.1619, -0.6789,  0.1381,  0.1644],
         [ 0.1388, -0.5659,  0.1014,  0.1168]],

        [[    nan,     nan,     nan,     nan],
         [ 0.2276, -0.8961,  0.0709,  0.2893],
         [ 0.2276, -0.8961,  0.0709,  0.2893]]], grad_fn=<TransposeBackward0>) None
tensor([[[ 0.0000,  0.0000,  0.0000,  0.0000],
         [ 0.0071, -0.0037, -0.0035, -0.0062],
         [ 0.0000,  0.0000,  0.0000,  0.0000]],

        [[    nan,     nan,     nan,     nan],
         [ 0.0000,  0.0000,  0.0000,  0.0000],
         [ 0.0000,  0.0000,  0.0000,  0.0000]]]) tensor([[[-0.1579, -0.0038, -0.1256, -0.0258],
         [-0.1548, -0.0548, -0.1264, -0.0507]],

        [[    nan,     nan,     nan,     nan],
         [    nan,     nan,     nan,     nan]]]) tensor([nan, nan, nan, nan])
`);
  });
  it("kdim/vdim give separate q/k/v projection weights; add_bias_kv, add_zero_attn, no bias; unbatched input; dropout in training is seeded", () => {
    expect(runOutput(`import torch
import torch.nn as nn
${GRAPH}torch.manual_seed(2)
m = nn.MultiheadAttention(4, 2, kdim=3, vdim=2, add_bias_kv=True, add_zero_attn=True, bias=False)
print([(n, tuple(p.shape)) for n, p in m.named_parameters()], m.in_proj_weight, m.out_proj.bias)
print(m.bias_k, m.bias_v)
q = torch.randn(2, 4, requires_grad=True)
k = torch.randn(3, 3)
v = torch.randn(3, 2)
out, w = m(q, k, v, key_padding_mask=torch.tensor([False, True, False]))
print(out, w)
print(graph(out))
out.sum().backward()
print(q.grad, m.q_proj_weight.grad, m.bias_k.grad)
torch.manual_seed(3)
d = nn.MultiheadAttention(4, 1, dropout=0.5)
x = torch.randn(3, 1, 4)
out, w = d(x, x, x)
print(out, w, type(w.grad_fn.next_functions[0][0].next_functions[0][0]).__name__)
d.eval()
print(d(x, x, x)[1])
`)).toBe(`[('q_proj_weight', (4, 4)), ('k_proj_weight', (4, 3)), ('v_proj_weight', (4, 2)), ('bias_k', (1, 1, 4)), ('bias_v', (1, 1, 4)), ('out_proj.weight', (4, 4))] None None
Parameter containing:
tensor([[[ 0.0780, -0.0804,  0.2086,  0.5002]]], requires_grad=True) Parameter containing:
tensor([[[ 0.3004,  0.0549, -0.4206, -0.1454]]], requires_grad=True)
tensor([[-0.0114,  0.0452, -0.0217,  0.0068],
        [-0.0093,  0.0236, -0.0165,  0.0100]], grad_fn=<SqueezeBackward1>) tensor([[0.0951, 0.0000, 0.2076, 0.3640, 0.3333],
        [0.2633, 0.0000, 0.2347, 0.2522, 0.2498]], grad_fn=<SqueezeBackward1>)
0 SqueezeBackward1#0
  0 ViewBackward0#1
    0 MmBackward0#2
      0 ViewBackward0#3
        0 CloneBackward0#4
          0 TransposeBackward0#5
            0 BmmBackward0#6
              0 SoftmaxBackward0#7
                0 BaddbmmBackward0#8
                  0 None
                  0 DivBackward0#9
                    0 TransposeBackward0#10
                      0 ViewBackward0#11
                        0 UnsafeViewBackward0#12
                          0 MmBackward0#13
                            0 ReshapeAliasBackward0#14
                              0 UnsqueezeBackward0#15
                                0 AccumulateGrad#16
                            0 TBackward0#17
                              0 AccumulateGrad#18
                    0 None
                  0 TransposeBackward0#19
                    0 CatBackward0#20
                      0 TransposeBackward0#21
                        0 ViewBackward0#22
                          0 CatBackward0#23
                            0 UnsafeViewBackward0#24
                              0 MmBackward0#25
                                0 None
                                0 TBackward0#26
                                  0 AccumulateGrad#27
                            0 RepeatBackward0#28
                              0 AccumulateGrad#29
                      0 None
              0 CatBackward0#30
                0 TransposeBackward0#31
                  0 ViewBackward0#32
                    0 CatBackward0#33
                      0 UnsafeViewBackward0#34
                        0 MmBackward0#35
                          0 None
                          0 TBackward0#36
                            0 AccumulateGrad#37
                      0 RepeatBackward0#38
                        0 AccumulateGrad#39
                0 None
      0 TBackward0#40
        0 AccumulateGrad#41
tensor([[ 0.0039, -0.0011, -0.0002,  0.0030],
        [ 0.0071, -0.0026, -0.0012,  0.0069]]) tensor([[-0.0056, -0.0005, -0.0084,  0.0084],
        [ 0.0011,  0.0008,  0.0025, -0.0025],
        [-0.0034,  0.0003, -0.0043,  0.0043],
        [ 0.0018,  0.0004,  0.0029, -0.0029]]) tensor([[[ 0.0239,  0.0194,  0.0041, -0.0043]]])
tensor([[[-0.0902, -0.2588,  0.0693,  0.0035]],

        [[ 0.1709, -0.7531, -0.3347, -0.4204]],

        [[-0.0593, -0.1700,  0.0456,  0.0023]]], grad_fn=<ViewBackward0>) tensor([[[0.0000, 0.0000, 0.7996],
         [1.1021, 0.0000, 0.4694],
         [0.0000, 0.0000, 0.5253]]], grad_fn=<DivBackward0>) ViewBackward0
tensor([[[0.3256, 0.2746, 0.3998],
         [0.5510, 0.2143, 0.2347],
         [0.5478, 0.1896, 0.2627]]], grad_fn=<DivBackward0>)
`);
  });
  it("F.multi_head_attention_forward; PyTorch's errors for wrong shapes and mask types", () => {
    expect(runOutput(`import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(4)
q = torch.randn(2, 1, 4, requires_grad=True)
W = torch.randn(12, 4)
Wo = torch.randn(4, 4)
o, w = F.multi_head_attention_forward(q, q, q, 4, 2, W, None, None, None, False, 0.0, Wo, None)
print(o, w, type(o.grad_fn).__name__)
def attempt(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
attempt(lambda: nn.MultiheadAttention(8, 3))
m = nn.MultiheadAttention(4, 2)
x = torch.randn(3, 2, 4)
attempt(lambda: m(x, x, x, attn_mask=torch.zeros(3, 4)))
attempt(lambda: m(x, x, x, attn_mask=torch.zeros(5, 3, 3)))
attempt(lambda: m(x, x, x, key_padding_mask=torch.zeros(3, 2, dtype=torch.bool)))
attempt(lambda: m(x, x, x, key_padding_mask=torch.zeros(2, 3, dtype=torch.long)))
attempt(lambda: m(x, x, x, attn_mask=torch.zeros(3, 3, dtype=torch.long)))
attempt(lambda: m(x, x, torch.randn(4, 2, 4)))
attempt(lambda: m(torch.randn(3, 2, 6), torch.randn(3, 2, 6), torch.randn(3, 2, 6)))
attempt(lambda: m(torch.randn(4), torch.randn(4), torch.randn(4)))
attempt(lambda: m(x))
`)).toBe(`tensor([[[-2.1830, -0.9852,  3.9528, -4.3761]],

        [[-1.7050, -0.0630, -1.8636, -0.2831]]], grad_fn=<ViewBackward0>) tensor([[[0.5000, 0.5000],
         [0.9976, 0.0024]]], grad_fn=<DivBackward0>) ViewBackward0
AssertionError embed_dim must be divisible by num_heads
RuntimeError The shape of the 2D attn_mask is torch.Size([3, 4]), but should be (3, 3).
RuntimeError The shape of the 3D attn_mask is torch.Size([5, 3, 3]), but should be (4, 3, 3).
AssertionError expecting key_padding_mask shape of (2, 3), but got torch.Size([3, 2])
AssertionError only bool and floating types of key_padding_mask are supported
AssertionError Only float, byte, and bool types are supported for attn_mask, not torch.int64
AssertionError key shape torch.Size([3, 2, 4]) does not match value shape torch.Size([4, 2, 4])
AssertionError was expecting embedding dimension of 4, but got 6
AssertionError query should be unbatched 2D or batched 3D tensor but received 1-D query tensor
TypeError MultiheadAttention.forward() missing 2 required positional arguments: 'key' and 'value'
`);
  });
  it("nn.TransformerEncoderLayer: PyTorch's modules and draws, post-norm output with masks and seeded dropout in training, every gradient, and the graph at the output", () => {
    expect(runOutput(`import torch
import torch.nn as nn
${GRAPH}torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.25)
print(layer)
print(layer.linear1.weight, layer.self_attn.in_proj_weight[:3], layer.norm_first, layer.activation_relu_or_gelu)
x = torch.randn(3, 2, 4, requires_grad=True)
mask = torch.tensor([[False, True, True], [False, False, True], [False, False, False]])
y = layer(x, src_mask=mask, src_key_padding_mask=torch.tensor([[False, False, True], [False, False, False]]))
print(y)
print(graph(y))
(y * torch.arange(24.).view(3, 2, 4)).sum().backward()
torch.set_printoptions(precision=2)
for n, p in layer.named_parameters():
    if not n.startswith('self_attn.in_proj'):
        print(n, p.grad)
print(x.grad)
`)).toBe(`TransformerEncoderLayer(
  (self_attn): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)
  )
  (linear1): Linear(in_features=4, out_features=6, bias=True)
  (dropout): Dropout(p=0.25, inplace=False)
  (linear2): Linear(in_features=6, out_features=4, bias=True)
  (norm1): LayerNorm((4,), eps=1e-05, elementwise_affine=True)
  (norm2): LayerNorm((4,), eps=1e-05, elementwise_affine=True)
  (dropout1): Dropout(p=0.25, inplace=False)
  (dropout2): Dropout(p=0.25, inplace=False)
)
Parameter containing:
tensor([[ 0.3102,  0.4801, -0.3853, -0.1832],
        [ 0.1965,  0.4143,  0.4351,  0.4412],
        [ 0.0995, -0.4348,  0.0460, -0.3128],
        [-0.4660,  0.4442,  0.3802, -0.4988],
        [ 0.0936, -0.0842, -0.0823, -0.2289],
        [ 0.1923, -0.2962,  0.1833,  0.2529]], requires_grad=True) tensor([[ 0.2224,  0.5085, -0.1260,  0.4582],
        [-0.0987,  0.0648,  0.5545, -0.5681],
        [-0.3855, -0.1550, -0.2387,  0.5291]], grad_fn=<SliceBackward0>) False 1
tensor([[[ 1.6473, -0.5585, -0.1076, -0.9812],
         [-1.7297,  0.6253,  0.4929,  0.6115]],

        [[ 0.2707,  0.8187,  0.6092, -1.6986],
         [ 1.1088,  0.6186, -1.5330, -0.1944]],

        [[ 0.4925, -0.1589,  1.1890, -1.5227],
         [-0.4881, -0.3031,  1.6911, -0.8999]]],
       grad_fn=<NativeLayerNormBackward0>)
0 NativeLayerNormBackward0#0
  0 AddBackward0#1
    0 NativeLayerNormBackward0#2
      0 AddBackward0#3
        0 AccumulateGrad#4
        0 MulBackward0#5
          0 ViewBackward0#6
            0 AddmmBackward0#7
              0 AccumulateGrad#8
              0 ViewBackward0#9
                0 CloneBackward0#10
                  0 TransposeBackward0#11
                    0 BmmBackward0#12
                      0 MulBackward0#13
                        0 SoftmaxBackward0#14
                          0 BaddbmmBackward0#15
                            0 None
                            0 DivBackward0#16
                              0 TransposeBackward0#17
                                0 ViewBackward0#18
                                  0 CloneBackward0#19
                                    0 SplitBackward0#20
                                      0 ViewBackward0#21
                                        0 AddmmBackward0#22
                                          0 AccumulateGrad#23
                                          0 ViewBackward0#24
                                            0 @4
                                          0 TBackward0#25
                                            0 AccumulateGrad#26
                              0 None
                            0 TransposeBackward0#27
                              0 TransposeBackward0#28
                                0 ViewBackward0#29
                                  0 CloneBackward0#30
                                    1 @20
                        0 None
                      0 TransposeBackward0#31
                        0 ViewBackward0#32
                          0 CloneBackward0#33
                            2 @20
              0 TBackward0#34
                0 AccumulateGrad#35
          0 None
      0 AccumulateGrad#36
      0 AccumulateGrad#37
    0 MulBackward0#38
      0 ViewBackward0#39
        0 AddmmBackward0#40
          0 AccumulateGrad#41
          0 ViewBackward0#42
            0 MulBackward0#43
              0 ReluBackward0#44
                0 ViewBackward0#45
                  0 AddmmBackward0#46
                    0 AccumulateGrad#47
                    0 ViewBackward0#48
                      0 @2
                    0 TBackward0#49
                      0 AccumulateGrad#50
              0 None
          0 TBackward0#51
            0 AccumulateGrad#52
      0 None
  0 AccumulateGrad#53
  0 AccumulateGrad#54
self_attn.out_proj.weight tensor([[-7.04e-01, -2.80e+01, -6.17e+00,  1.05e+00],
        [ 1.31e-01, -3.39e+00, -3.69e-01,  3.86e-01],
        [-1.68e-01,  2.61e+00,  1.95e-01, -2.78e-02],
        [ 5.50e-01,  1.20e+00,  3.71e+00,  8.20e-01]])
self_attn.out_proj.bias tensor([-29.35,  -6.14,   2.18,   9.59])
linear1.weight tensor([[ 2.90e+00,  4.94e-01,  4.63e-01, -3.86e+00],
        [-9.53e-02,  1.16e-01,  1.57e+00, -1.59e+00],
        [ 1.24e+00, -3.75e-01, -9.85e-01,  1.26e-01],
        [-2.17e-01, -4.12e-02, -1.70e-01,  4.28e-01],
        [ 7.96e-01,  4.60e-01,  1.55e+00, -2.80e+00],
        [-3.74e-02,  1.55e-03,  9.96e-02, -6.37e-02]])
linear1.bias tensor([ 2.77,  1.27,  0.40, -0.24,  2.24,  0.06])
linear2.weight tensor([[-5.04, -0.72, -0.16, -3.66, -3.76, -0.03],
        [-3.31, -1.14, -0.19, -1.41, -2.55, -0.01],
        [ 0.00,  0.23,  0.00,  0.54, -0.34,  0.01],
        [ 2.27,  0.75,  0.07,  2.53,  2.99,  0.04]])
linear2.bias tensor([-5.36, -4.35, -0.31,  4.79])
norm1.weight tensor([-0.96,  0.54,  2.34, -2.79])
norm1.bias tensor([-3.11, -1.90,  2.04,  4.60])
norm2.weight tensor([  6.67,   8.91,  45.98, -69.89])
norm2.bias tensor([60., 66., 72., 78.])
tensor([[[  3.32,   1.56,   0.24,   3.83],
         [ -0.52,  -1.22,   0.21,   1.83]],

        [[  2.01,   4.47,   0.81,   4.29],
         [  0.15,   0.19,  -0.92,   1.50]],

        [[-18.06,  -1.32,  17.18,   1.26],
         [ -2.57,  -0.19,   1.29,   3.36]]])
`);
  });
  it("nn.TransformerEncoderLayer with norm_first, batch_first and gelu; eval mode with and without grad (PyTorch's fused path there gives the same values)", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(1)
layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, activation='gelu', batch_first=True, norm_first=True)
x = torch.randn(2, 3, 4, requires_grad=True)
y = layer(x)
print(y, layer.activation_relu_or_gelu)
y.pow(2).sum().backward()
print(x.grad, layer.linear2.weight.grad)
layer.eval()
y = layer(x)
print(y, type(y.grad_fn).__name__)
with torch.no_grad():
    print(layer(x, src_key_padding_mask=torch.tensor([[False, False, True], [False, False, False]])))
`)).toBe(`tensor([[[ 0.0759,  0.2623,  1.1746, -1.7573],
         [ 0.9602,  0.9445,  0.1550, -1.8615],
         [ 0.8258, -2.1697,  1.0480, -0.4288]],

        [[ 0.3555, -0.0657,  0.6100, -0.6718],
         [-0.2491,  2.2384,  0.7698, -1.1894],
         [-0.0071, -0.5660,  1.1293, -0.3868]]], grad_fn=<AddBackward0>) 2
tensor([[[-0.1164,  0.7879,  2.2858, -3.4462],
         [ 1.8308,  2.0561,  0.0827, -3.5731],
         [ 1.0547, -4.2511,  2.6925, -0.9456]],

        [[ 0.5090,  0.0293,  1.1627, -1.2450],
         [-0.4541,  4.6856,  1.1265, -2.2186],
         [-0.4701, -0.6605,  2.3901, -0.9206]]]) tensor([[ 6.3152e-01,  6.6419e-01, -3.5976e-01, -4.0985e-01,  1.1110e-02,
          1.9540e+00],
        [-2.6660e+00, -1.5361e+00, -1.1630e-01, -8.0279e-01, -2.3930e+00,
          7.1693e+00],
        [ 3.7225e+00,  1.3548e+00, -1.4028e+00, -1.8337e-01, -7.1906e-01,
          4.8738e+00],
        [-1.1276e+00, -7.8503e-01,  1.7063e+00,  1.4643e+00,  2.0878e+00,
         -1.1522e+01]])
tensor([[[ 0.5296,  0.3017,  1.1093, -1.7505],
         [ 0.8401,  1.0009,  0.0547, -1.8364],
         [ 0.8107, -2.0223,  0.9452, -0.4283]],

        [[ 0.3068,  0.0612,  0.5025, -0.6938],
         [-0.2833,  2.3297,  1.2048, -1.1492],
         [-0.0262, -1.1192,  1.0565, -0.4308]]], grad_fn=<AddBackward0>) AddBackward0
tensor([[[ 0.4797,  0.3565,  1.1172, -1.7500],
         [ 0.7953,  1.0371,  0.0620, -1.8343],
         [ 0.7470, -1.9535,  0.9498, -0.4163]],

        [[ 0.3068,  0.0612,  0.5025, -0.6938],
         [-0.2833,  2.3297,  1.2048, -1.1492],
         [-0.0262, -1.1192,  1.0565, -0.4308]]])
`);
  });
  it("nn.TransformerEncoder deep-copies the layer (same initial weights in every copy), runs each with the masks and a final norm; in eval under no_grad the padded positions come out zero, as PyTorch's nested-tensor path gives them", () => {
    expect(runOutput(`import torch
import torch.nn as nn
${GRAPH}torch.manual_seed(2)
layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.1, batch_first=True)
enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(4))
print(enc.num_layers, len(enc.layers), enc.layers[0] is layer, enc.layers[0].linear1.weight is enc.layers[1].linear1.weight)
print(torch.equal(enc.layers[0].linear1.weight, enc.layers[1].linear1.weight), torch.equal(enc.layers[1].linear1.weight, layer.linear1.weight))
print([n for n, _ in enc.named_parameters()][:6], len(list(enc.parameters())))
x = torch.randn(2, 3, 4, requires_grad=True)
kpm = torch.tensor([[False, False, True], [False, False, False]])
torch.manual_seed(3)
z = enc(x, src_key_padding_mask=kpm)
print(z)
print(graph(z))
(z * torch.arange(24.).view(2, 3, 4)).sum().backward()
print(x.grad, enc.layers[0].linear2.weight.grad, enc.layers[1].norm2.bias.grad, enc.norm.weight.grad)
enc.eval()
with torch.no_grad():
    print(enc(x, src_key_padding_mask=kpm))
print(nn.TransformerEncoder(layer, 1).norm)
`)).toBe(`2 2 False False
True True
['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias', 'layers.0.self_attn.out_proj.weight', 'layers.0.self_attn.out_proj.bias', 'layers.0.linear1.weight', 'layers.0.linear1.bias'] 26
tensor([[[-1.6635,  0.1016,  0.8175,  0.7445],
         [-0.2186, -0.3679,  1.6432, -1.0567],
         [ 0.0419, -1.1337, -0.4830,  1.5747]],

        [[-1.6057,  1.1437,  0.1725,  0.2896],
         [-0.4822, -0.0730,  1.6207, -1.0656],
         [-0.4611,  1.0860,  0.7859, -1.4108]]],
       grad_fn=<NativeLayerNormBackward0>)
0 NativeLayerNormBackward0#0
  0 NativeLayerNormBackward0#1
    0 AddBackward0#2
      0 NativeLayerNormBackward0#3
        0 AddBackward0#4
          0 NativeLayerNormBackward0#5
            0 AddBackward0#6
              0 NativeLayerNormBackward0#7
                0 AddBackward0#8
                  0 AccumulateGrad#9
                  0 MulBackward0#10
                    0 TransposeBackward0#11
                      0 ViewBackward0#12
                        0 AddmmBackward0#13
                          0 AccumulateGrad#14
                          0 ViewBackward0#15
                            0 CloneBackward0#16
                              0 TransposeBackward0#17
                                0 BmmBackward0#18
                                  0 MulBackward0#19
                                    0 SoftmaxBackward0#20
                                      0 BaddbmmBackward0#21
                                        0 None
                                        0 DivBackward0#22
                                          0 TransposeBackward0#23
                                            0 ViewBackward0#24
                                              0 CloneBackward0#25
                                                0 SplitBackward0#26
                                                  0 AddBackward0#27
                                                    0 UnsafeViewBackward0#28
                                                      0 MmBackward0#29
                                                        0 UnsafeViewBackward0#30
                                                          0 CloneBackward0#31
                                                            0 TransposeBackward0#32
                                                              0 @9
                                                        0 TBackward0#33
                                                          0 AccumulateGrad#34
                                                    0 AccumulateGrad#35
                                          0 None
                                        0 TransposeBackward0#36
                                          0 TransposeBackward0#37
                                            0 ViewBackward0#38
                                              0 CloneBackward0#39
                                                1 @26
                                    0 None
                                  0 TransposeBackward0#40
                                    0 ViewBackward0#41
                                      0 CloneBackward0#42
                                        2 @26
                          0 TBackward0#43
                            0 AccumulateGrad#44
                    0 None
                0 AccumulateGrad#45
                0 AccumulateGrad#46
              0 MulBackward0#47
                0 ViewBackward0#48
                  0 AddmmBackward0#49
                    0 AccumulateGrad#50
                    0 ViewBackward0#51
                      0 MulBackward0#52
                        0 ReluBackward0#53
                          0 ViewBackward0#54
                            0 AddmmBackward0#55
                              0 AccumulateGrad#56
                              0 ViewBackward0#57
                                0 @7
                              0 TBackward0#58
                                0 AccumulateGrad#59
                        0 None
                    0 TBackward0#60
                      0 AccumulateGrad#61
                0 None
            0 AccumulateGrad#62
            0 AccumulateGrad#63
          0 MulBackward0#64
            0 TransposeBackward0#65
              0 ViewBackward0#66
                0 AddmmBackward0#67
                  0 AccumulateGrad#68
                  0 ViewBackward0#69
                    0 CloneBackward0#70
                      0 TransposeBackward0#71
                        0 BmmBackward0#72
                          0 MulBackward0#73
                            0 SoftmaxBackward0#74
                              0 BaddbmmBackward0#75
                                0 None
                                0 DivBackward0#76
                                  0 TransposeBackward0#77
                                    0 ViewBackward0#78
                                      0 CloneBackward0#79
                                        0 SplitBackward0#80
                                          0 AddBackward0#81
                                            0 UnsafeViewBackward0#82
                                              0 MmBackward0#83
                                                0 UnsafeViewBackward0#84
                                                  0 CloneBackward0#85
                                                    0 TransposeBackward0#86
                                                      0 @5
                                                0 TBackward0#87
                                                  0 AccumulateGrad#88
                                            0 AccumulateGrad#89
                                  0 None
                                0 TransposeBackward0#90
                                  0 TransposeBackward0#91
                                    0 ViewBackward0#92
                                      0 CloneBackward0#93
                                        1 @80
                            0 None
                          0 TransposeBackward0#94
                            0 ViewBackward0#95
                              0 CloneBackward0#96
                                2 @80
                  0 TBackward0#97
                    0 AccumulateGrad#98
            0 None
        0 AccumulateGrad#99
        0 AccumulateGrad#100
      0 MulBackward0#101
        0 ViewBackward0#102
          0 AddmmBackward0#103
            0 AccumulateGrad#104
            0 ViewBackward0#105
              0 MulBackward0#106
                0 ReluBackward0#107
                  0 ViewBackward0#108
                    0 AddmmBackward0#109
                      0 AccumulateGrad#110
                      0 ViewBackward0#111
                        0 @3
                      0 TBackward0#112
                        0 AccumulateGrad#113
                0 None
            0 TBackward0#114
              0 AccumulateGrad#115
        0 None
    0 AccumulateGrad#116
    0 AccumulateGrad#117
  0 AccumulateGrad#118
  0 AccumulateGrad#119
tensor([[[ 1.0620, -0.2599,  0.2877,  0.9234],
         [-0.9844, -0.7338,  0.7856,  1.5885],
         [-3.0455, -1.6140, -0.5135,  5.4072]],

        [[-0.1035, -1.6451,  0.8234,  0.8229],
         [-1.4599, -1.0299,  1.0652,  1.3936],
         [-1.9288,  0.0288,  1.7856,  0.1165]]]) tensor([[-0.2289, -0.1466, -3.7826, -4.1977, -1.1989, -0.1203],
        [-1.3402, -0.7707, -0.5722, -0.9788, -0.2794,  0.0000],
        [ 0.2881,  0.1841,  1.5297,  0.4384,  0.1169,  0.0479],
        [ 1.2810,  0.7332,  3.3456,  4.7381,  1.3614,  0.1292]]) tensor([-6.6289, -2.6271,  2.8281,  6.4279]) tensor([-36.7455,  24.4934,  55.5406, -36.1910])
tensor([[[-1.6902,  0.2175,  0.8126,  0.6601],
         [-0.1205, -0.7452,  1.6688, -0.8032],
         [ 0.0000,  0.0000,  0.0000,  0.0000]],

        [[-1.6490,  1.0480,  0.3290,  0.2720],
         [-0.5682,  0.1618,  1.5389, -1.1325],
         [-0.4931,  1.1034,  0.7795, -1.3898]]])
None
`);
  });
  it("nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer: PyTorch's draws (every matrix re-drawn by xavier_uniform_), the causal mask, outputs, gradients and errors", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(4)
t = nn.Transformer(d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=6, dropout=0.0)
print([n for n, _ in t.named_children()], [n for n, _ in t.decoder.layers[0].named_children()], t.decoder.norm, t.encoder.norm)
print(t.encoder.layers[0].self_attn.in_proj_weight[:2], t.decoder.layers[0].linear2.weight)
mask = t.generate_square_subsequent_mask(3)
print(mask, nn.Transformer.generate_square_subsequent_mask(2))
src = torch.randn(4, 1, 4, requires_grad=True)
tgt = torch.randn(3, 1, 4, requires_grad=True)
out = t(src, tgt, tgt_mask=mask, memory_key_padding_mask=torch.tensor([[False, False, True, False]]))
print(out, type(out.grad_fn).__name__)
(out * torch.arange(12.).view(3, 1, 4)).sum().backward()
print(src.grad, tgt.grad, t.decoder.layers[0].multihead_attn.out_proj.weight.grad)
def attempt(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
attempt(lambda: t(src, torch.randn(3, 2, 4)))
attempt(lambda: t(src, torch.randn(3, 1, 6)))
attempt(lambda: nn.TransformerEncoderLayer(4, 2, activation='tanh'))
`)).toBe(`['encoder', 'decoder'] ['self_attn', 'multihead_attn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'norm3', 'dropout1', 'dropout2', 'dropout3'] LayerNorm((4,), eps=1e-05, elementwise_affine=True) LayerNorm((4,), eps=1e-05, elementwise_affine=True)
tensor([[ 0.3454, -0.0907, -0.4173, -0.5674],
        [-0.5506,  0.1846,  0.0970, -0.4584]], grad_fn=<SliceBackward0>) Parameter containing:
tensor([[ 0.5859, -0.6269,  0.1406, -0.7446,  0.1926,  0.1970],
        [-0.1749,  0.6947,  0.4357,  0.1808,  0.2594, -0.7237],
        [ 0.0745,  0.7622,  0.4301,  0.3301, -0.3478,  0.3808],
        [ 0.2510, -0.4109, -0.6594,  0.7580,  0.3142,  0.1433]],
       requires_grad=True)
tensor([[0., -inf, -inf],
        [0., 0., -inf],
        [0., 0., 0.]]) tensor([[0., -inf],
        [0., 0.]])
tensor([[[-1.0218,  1.6361, -0.5197, -0.0947]],

        [[-0.9033,  1.5737,  0.1561, -0.8265]],

        [[-1.2560, -0.4399,  1.4768,  0.2191]]],
       grad_fn=<NativeLayerNormBackward0>) NativeLayerNormBackward0
tensor([[[ 0.0730, -0.1059, -0.3730, -0.3572]],

        [[-0.1503,  0.4008, -0.4947,  0.0395]],

        [[-0.5007,  0.0494, -0.3092, -0.0211]],

        [[ 0.7136, -1.1624, -0.3236,  0.1525]]]) tensor([[[-0.5812,  1.3414,  1.5514,  1.4097]],

        [[-1.3825,  2.0216,  1.8718, -0.5340]],

        [[-0.2029, -0.2111, -0.1031,  0.3889]]]) tensor([[-0.1242,  0.6209, -1.1767,  1.1068],
        [ 0.0237, -0.3124,  0.6486, -0.6239],
        [ 0.0425, -0.4450,  0.8706, -0.8434],
        [ 0.0580,  0.1365, -0.3425,  0.3605]])
RuntimeError the batch number of src and tgt must be equal
RuntimeError the feature number of src and tgt must be equal to d_model
RuntimeError activation should be relu/gelu, not tanh
`);
  });
});
