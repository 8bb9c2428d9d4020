// nn.MultiheadAttention and the Transformer modules through the language, against PyTorch 1.13.1's printed output
// (each expected text below is what /usr/bin/python3 printed for the same program).
import { describe, expect, it } from 'vitest';
import { runOutput } from '../lang/runOutput';

describe('attention and transformer modules', () => {
  it("nn.MultiheadAttention draws PyTorch's parameters after manual_seed and records its graph: one packed in-projection chunked, heads by view/transpose, bmm, softmax, bmm, out_proj's addmm, the weights averaged", () => {
    expect(runOutput(`import torch
import torch.nn as nn
def walk(fn, seen, depth=0, slot=0):
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
torch.manual_seed(0)
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
def walk(fn, seen, depth=0, slot=0):
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
torch.manual_seed(1)
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
def walk(fn, seen, depth=0, slot=0):
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
torch.manual_seed(2)
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
});
