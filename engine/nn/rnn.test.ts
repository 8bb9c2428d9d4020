// nn.RNN, nn.LSTM, nn.GRU and their cells through the language, against PyTorch 1.13.1's printed output (each
// expected text below is what /usr/bin/python3 printed for the same program). More values and gradients:
// golden/extra.json, rnn_lstm_gru.
import { describe, expect, it } from 'vitest';
import { runOutput } from '../lang/runOutput';

describe('recurrent layers', () => {
  it("nn.LSTM draws PyTorch's parameters after manual_seed and gives its output, h_n, c_n and every parameter's gradient", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(0)
lstm = nn.LSTM(3, 4)
print(lstm, [(n, tuple(p.shape)) for n, p in lstm.named_parameters()])
print(lstm.weight_ih_l0[:5], lstm.bias_hh_l0)
x = torch.randn(5, 2, 3)
out, (h, c) = lstm(x)
print(out.shape, h.shape, c.shape, type(out.grad_fn).__name__, type(h.grad_fn).__name__, type(c.grad_fn).__name__)
print(out[-1], h, c)
(out.pow(2).sum() + c.sum()).backward()
for n, p in lstm.named_parameters():
    print(n, p.grad)`)).toBe(`LSTM(3, 4) [('weight_ih_l0', (16, 3)), ('weight_hh_l0', (16, 4)), ('bias_ih_l0', (16,)), ('bias_hh_l0', (16,))]
tensor([[-0.0037,  0.2682, -0.4115],
        [-0.3680, -0.1926,  0.1341],
        [-0.0099,  0.3964, -0.0444],
        [ 0.1323, -0.1511, -0.0983],
        [-0.4777, -0.3311, -0.2061]], grad_fn=<SliceBackward0>) Parameter containing:
tensor([-0.1749, -0.4098, -0.1064,  0.1069, -0.3257, -0.0257,  0.3579, -0.0514,
         0.0139, -0.0431,  0.1012,  0.3179,  0.4736,  0.3175,  0.4747, -0.0362],
       requires_grad=True)
torch.Size([5, 2, 4]) torch.Size([1, 2, 4]) torch.Size([1, 2, 4]) StackBackward0 StackBackward0 StackBackward0
tensor([[ 0.1596,  0.1969, -0.1948,  0.1879],
        [-0.0953,  0.0063,  0.1176,  0.1934]], grad_fn=<SelectBackward0>) tensor([[[ 0.1596,  0.1969, -0.1948,  0.1879],
         [-0.0953,  0.0063,  0.1176,  0.1934]]], grad_fn=<StackBackward0>) tensor([[[ 0.2778,  0.5860, -0.4240,  0.3421],
         [-0.1997,  0.0106,  0.1987,  0.5095]]], grad_fn=<StackBackward0>)
weight_ih_l0 tensor([[-0.3692, -0.1517,  0.4405],
        [-0.4221, -0.2795,  0.2969],
        [ 0.2160,  0.0775, -0.3374],
        [-0.3281, -0.0779, -0.0443],
        [-0.1775, -0.1024,  0.1949],
        [-0.1807, -0.0330,  0.0099],
        [ 0.0367, -0.0110,  0.0146],
        [-0.1976,  0.0134, -0.0351],
        [-0.5899,  0.1215, -0.1580],
        [-1.6143, -0.5185,  0.5437],
        [-0.8716,  0.2129, -0.3705],
        [-0.8056, -0.1534,  0.4508],
        [-0.0832, -0.0226,  0.0562],
        [-0.1908, -0.1200,  0.0813],
        [-0.1038, -0.1118,  0.0662],
        [-0.1005, -0.0199,  0.0018]])
weight_hh_l0 tensor([[ 0.0388,  0.0121, -0.0123,  0.0350],
        [ 0.0397,  0.0181, -0.0379,  0.0410],
        [-0.0287, -0.0075, -0.0017, -0.0069],
        [ 0.0230,  0.0781, -0.0574,  0.1051],
        [ 0.0220,  0.0078, -0.0106,  0.0173],
        [ 0.0194,  0.0594, -0.0358,  0.0652],
        [-0.0047, -0.0163,  0.0092, -0.0177],
        [ 0.0113,  0.0621, -0.0338,  0.0793],
        [ 0.0320,  0.1537, -0.1105,  0.2298],
        [ 0.1444,  0.2617, -0.2093,  0.3860],
        [ 0.0369,  0.2314, -0.1160,  0.3029],
        [ 0.0698,  0.1468, -0.0851,  0.2104],
        [ 0.0069,  0.0079, -0.0056,  0.0145],
        [ 0.0161,  0.0183, -0.0275,  0.0288],
        [ 0.0097,  0.0056, -0.0146,  0.0150],
        [ 0.0052,  0.0172, -0.0187,  0.0232]])
bias_ih_l0 tensor([ 0.2582,  0.3033,  0.0409,  0.6390,  0.1114,  0.3246, -0.0835,  0.4407,
         1.5721,  2.4731,  1.5188,  1.2899,  0.0954,  0.2173,  0.1477,  0.1600])
bias_hh_l0 tensor([ 0.2582,  0.3033,  0.0409,  0.6390,  0.1114,  0.3246, -0.0835,  0.4407,
         1.5721,  2.4731,  1.5188,  1.2899,  0.0954,  0.2173,  0.1477,  0.1600])
`);
  });
  it("nn.GRU and nn.RNN run batch_first, two layers, bidirectional, a given h_0, unbatched input and relu, with PyTorch's values and gradients", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(1)
gru = nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True)
print(gru, [n for n, _ in gru.named_parameters()][4:])
x = torch.randn(2, 3, 3, requires_grad=True)
h0 = torch.randn(4, 2, 4, requires_grad=True)
out, h = gru(x, h0)
print(out.shape, h.shape, out.is_contiguous(), out.stride(), type(out.grad_fn).__name__, type(out.grad_fn.next_functions[0][0]).__name__)
print(out[:, -1], h[-1])
(out.sum() + h.pow(2).sum()).backward()
print(x.grad, h0.grad[0], gru.weight_hh_l1_reverse.grad[:3], gru.bias_ih_l0.grad)
rnn = nn.RNN(3, 4, nonlinearity='relu')
y, hn = rnn(torch.randn(6, 3))
print(rnn, y.shape, hn.shape, hn, type(y.grad_fn).__name__, type(hn.grad_fn).__name__)
rnn = nn.RNN(3, 2, bias=False, num_layers=2)
h0 = torch.randn(2, 2, requires_grad=True)
y, hn = rnn(torch.randn(4, 3, requires_grad=True), h0)
hn.sum().backward()
print(y, hn, h0.grad, rnn.weight_hh_l1.grad, [n for n, _ in rnn.named_parameters()])
lstm = nn.LSTM(3, 4, batch_first=True)
o, (h, c) = lstm(torch.randn(5, 3), (torch.zeros(1, 4), torch.ones(1, 4)))
print(o.shape, h.shape, c, type(o.grad_fn).__name__)
o = lstm(torch.randn(2, 5, 3))[0]
print(type(o.grad_fn).__name__, [type(f).__name__ for f, _ in o.grad_fn.next_functions], o.stride())`)).toBe(`GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True) ['weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse', 'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1', 'weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse']
torch.Size([2, 3, 8]) torch.Size([4, 2, 4]) False (8, 16, 1) TransposeBackward1 CatBackward0
tensor([[-0.6912,  0.0580, -0.0286, -0.1871,  0.2725,  0.5741,  0.0366, -0.3990],
        [ 0.1945,  0.1358, -0.4028, -0.3053, -0.7594, -2.1006, -0.3250, -0.7930]],
       grad_fn=<SelectBackward0>) tensor([[ 0.1593,  0.3028, -0.0317, -0.3870],
        [-0.5744, -1.5720,  0.0697,  0.0663]], grad_fn=<SelectBackward0>)
tensor([[[-0.0197, -0.0748, -0.5552],
         [ 0.1475,  0.1121, -0.4146],
         [ 0.2095,  0.3181, -0.3704]],

        [[-0.2731, -0.0379,  0.2812],
         [-0.1701, -0.0566,  0.2138],
         [-0.1363, -0.0984,  0.1838]]]) tensor([[-0.0934, -0.0274, -0.3608, -0.0689],
        [ 0.2998,  0.0017, -0.6425, -0.3903]]) tensor([[-0.0158,  0.1029,  0.0436, -0.0132],
        [ 0.0604,  0.1655,  0.0120,  0.0387],
        [-0.3663, -0.8448, -0.1576, -0.3660]]) tensor([ 0.0490,  0.0393, -0.1816, -0.0063, -0.3083, -0.2463,  0.1914,  0.4004,
        -0.1167, -0.3251, -1.0343, -1.0152])
RNN(3, 4) torch.Size([6, 4]) torch.Size([1, 4]) tensor([[0.0000, 0.0134, 0.0000, 0.5309]], grad_fn=<SqueezeBackward1>) SqueezeBackward1 SqueezeBackward1
tensor([[ 0.2916, -0.2856],
        [-0.6996,  0.5781],
        [ 0.2308,  0.0101],
        [ 0.5897, -0.5681]], grad_fn=<SqueezeBackward1>) tensor([[ 0.7639,  0.7084],
        [ 0.5897, -0.5681]], grad_fn=<SqueezeBackward1>) tensor([[-0.0297, -0.0097],
        [ 0.0003, -0.0071]]) tensor([[ 0.2743, -0.1009],
        [ 0.0798,  0.1027]]) ['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l1', 'weight_hh_l1']
torch.Size([5, 4]) torch.Size([1, 4]) tensor([[-0.2586, -0.5369,  0.0723, -0.2021]], grad_fn=<SqueezeBackward1>) SqueezeBackward1
TransposeBackward0 ['StackBackward0'] (4, 8, 1)
`);
  });
  it("the graph is PyTorch's CPU graph node for node: UnbindBackward0 of the sequence's projection, UnsafeSplitBackward0 gates, StackBackward0, CatBackward0, TransposeBackward1, dropout's MulBackward0, SqueezeBackward1", () => {
    expect(runOutput(`import torch
import torch.nn as nn
def walk(fn):
    seen = []
    lines = []
    def visit(f, depth):
        if f is None:
            lines.append('  ' * depth + 'None')
            return
        for i, s in enumerate(seen):
            if s is f:
                lines.append('  ' * depth + type(f).__name__ + ' @' + str(i))
                return
        seen.append(f)
        lines.append('  ' * depth + type(f).__name__ + ' #' + str(len(seen) - 1))
        for n, k in f.next_functions:
            if n is not None and k != 0:
                lines.append('  ' * (depth + 1) + '[' + str(k) + ']')
            visit(n, depth + 1)
    visit(fn, 0)
    print('\\n'.join(lines))
torch.manual_seed(0)
out, (h, c) = nn.LSTM(2, 3)(torch.randn(2, 1, 2))
walk(out.grad_fn)
out, h = nn.GRU(2, 3, batch_first=True)(torch.randn(1, 1, 2), torch.randn(1, 1, 3, requires_grad=True))
walk(h.grad_fn)
out, h = nn.RNN(2, 3, num_layers=2, dropout=0.5, bidirectional=True)(torch.randn(1, 2, requires_grad=True))
walk(out.grad_fn)`)).toBe(`StackBackward0 #0
  MulBackward0 #1
    SigmoidBackward0 #2
      [3]
      UnsafeSplitBackward0 #3
        AddBackward0 #4
          AddmmBackward0 #5
            AccumulateGrad #6
            None
            TBackward0 #7
              AccumulateGrad #8
          UnbindBackward0 #9
            ViewBackward0 #10
              AddmmBackward0 #11
                AccumulateGrad #12
                None
                TBackward0 #13
                  AccumulateGrad #14
    TanhBackward0 #15
      AddBackward0 #16
        MulBackward0 #17
          SigmoidBackward0 #18
            [1]
            UnsafeSplitBackward0 @3
          None
        MulBackward0 #19
          SigmoidBackward0 #20
            UnsafeSplitBackward0 @3
          TanhBackward0 #21
            [2]
            UnsafeSplitBackward0 @3
  MulBackward0 #22
    SigmoidBackward0 #23
      [3]
      UnsafeSplitBackward0 #24
        AddBackward0 #25
          AddmmBackward0 #26
            AccumulateGrad @6
            MulBackward0 @1
            TBackward0 #27
              AccumulateGrad @8
          [1]
          UnbindBackward0 @9
    TanhBackward0 #28
      AddBackward0 #29
        MulBackward0 #30
          SigmoidBackward0 #31
            [1]
            UnsafeSplitBackward0 @24
          AddBackward0 @16
        MulBackward0 #32
          SigmoidBackward0 #33
            UnsafeSplitBackward0 @24
          TanhBackward0 #34
            [2]
            UnsafeSplitBackward0 @24
StackBackward0 #0
  AddBackward0 #1
    MulBackward0 #2
      SubBackward0 #3
        UnbindBackward0 #4
          AccumulateGrad #5
        TanhBackward0 #6
          AddBackward0 #7
            [2]
            UnsafeSplitBackward0 #8
              UnbindBackward0 #9
                ViewBackward0 #10
                  AddmmBackward0 #11
                    AccumulateGrad #12
                    None
                    TBackward0 #13
                      AccumulateGrad #14
            MulBackward0 #15
              [2]
              UnsafeSplitBackward0 #16
                AddmmBackward0 #17
                  AccumulateGrad #18
                  UnbindBackward0 @4
                  TBackward0 #19
                    AccumulateGrad #20
              SigmoidBackward0 #21
                AddBackward0 #22
                  UnsafeSplitBackward0 @16
                  UnsafeSplitBackward0 @8
      SigmoidBackward0 #23
        AddBackward0 #24
          [1]
          UnsafeSplitBackward0 @16
          [1]
          UnsafeSplitBackward0 @8
    TanhBackward0 @6
SqueezeBackward1 #0
  CatBackward0 #1
    StackBackward0 #2
      TanhBackward0 #3
        AddBackward0 #4
          AddmmBackward0 #5
            AccumulateGrad #6
            None
            TBackward0 #7
              AccumulateGrad #8
          UnbindBackward0 #9
            ViewBackward0 #10
              AddmmBackward0 #11
                AccumulateGrad #12
                ViewBackward0 #13
                  MulBackward0 #14
                    CatBackward0 #15
                      StackBackward0 #16
                        TanhBackward0 #17
                          AddBackward0 #18
                            AddmmBackward0 #19
                              AccumulateGrad #20
                              None
                              TBackward0 #21
                                AccumulateGrad #22
                            UnbindBackward0 #23
                              ViewBackward0 #24
                                AddmmBackward0 #25
                                  AccumulateGrad #26
                                  ViewBackward0 #27
                                    UnsqueezeBackward0 #28
                                      AccumulateGrad #29
                                  TBackward0 #30
                                    AccumulateGrad #31
                      StackBackward0 #32
                        TanhBackward0 #33
                          AddBackward0 #34
                            AddmmBackward0 #35
                              AccumulateGrad #36
                              None
                              TBackward0 #37
                                AccumulateGrad #38
                            UnbindBackward0 #39
                              ViewBackward0 #40
                                AddmmBackward0 #41
                                  AccumulateGrad #42
                                  ViewBackward0 #43
                                    UnsqueezeBackward0 @28
                                  TBackward0 #44
                                    AccumulateGrad #45
                    None
                TBackward0 #46
                  AccumulateGrad #47
    StackBackward0 #48
      TanhBackward0 #49
        AddBackward0 #50
          AddmmBackward0 #51
            AccumulateGrad #52
            None
            TBackward0 #53
              AccumulateGrad #54
          UnbindBackward0 #55
            ViewBackward0 #56
              AddmmBackward0 #57
                AccumulateGrad #58
                ViewBackward0 #59
                  MulBackward0 @14
                TBackward0 #60
                  AccumulateGrad #61
`);
  });
  it("the cells, RNNCell, LSTMCell, GRUCell step by step: PyTorch's parameters, values, gradients and grad_fns, batched and unbatched", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(2)
cells = [nn.RNNCell(3, 4), nn.LSTMCell(3, 4), nn.GRUCell(3, 4), nn.RNNCell(3, 4, bias=False, nonlinearity='relu')]
x = torch.randn(4, 2, 3)
for cell in cells:
    print(cell, [(n, tuple(p.shape)) for n, p in cell.named_parameters() if p is not None])
    h = None
    outs = []
    for t in range(4):
        h = cell(x[t]) if h is None else cell(x[t], h)
        outs.append(h[0] if isinstance(h, tuple) else h)
    y = torch.stack(outs)
    first = outs[0].grad_fn
    print(type(first).__name__, [type(f).__name__ if f else None for f, _ in first.next_functions])
    y.pow(2).sum().backward()
    print(y[-1], cell.weight_hh.grad[:2], cell.bias_ih.grad if cell.bias_ih is not None else None)
h, c = cells[1](torch.randn(3), (torch.zeros(4), torch.ones(4, requires_grad=True)))
print(h, c, h.shape)
print(cells[2](torch.randn(3)))`)).toBe(`RNNCell(3, 4) [('weight_ih', (4, 3)), ('weight_hh', (4, 4)), ('bias_ih', (4,)), ('bias_hh', (4,))]
TanhBackward0 ['AddBackward0']
tensor([[-0.1333, -0.2509, -0.3484, -0.7371],
        [-0.1716, -0.2945, -0.2821, -0.4001]], grad_fn=<SelectBackward0>) tensor([[ 0.3709,  0.1783,  0.5349,  0.6202],
        [ 0.3295, -0.0566,  0.5309,  1.1464]]) tensor([-2.0150, -2.0174, -2.8109, -5.7362])
LSTMCell(3, 4) [('weight_ih', (16, 3)), ('weight_hh', (16, 4)), ('bias_ih', (16,)), ('bias_hh', (16,))]
MulBackward0 ['SigmoidBackward0', 'TanhBackward0']
tensor([[ 0.1339,  0.0734,  0.2591,  0.3015],
        [-0.0525, -0.0038, -0.0513, -0.1184]], grad_fn=<SelectBackward0>) tensor([[-0.0011, -0.0026,  0.0043,  0.0006],
        [-0.0028, -0.0029,  0.0057, -0.0016]]) tensor([ 0.0580,  0.0882,  0.1559,  0.2080,  0.0133, -0.0084,  0.0417,  0.0345,
        -0.0703, -0.0170,  0.3545,  0.1761,  0.1262,  0.0689,  0.1275,  0.2483])
GRUCell(3, 4) [('weight_ih', (12, 3)), ('weight_hh', (12, 4)), ('bias_ih', (12,)), ('bias_hh', (12,))]
AddBackward0 ['MulBackward0', 'TanhBackward0']
tensor([[-0.1885, -0.3442, -0.6489, -0.3966],
        [-0.0873, -0.0075, -0.3292, -0.6166]], grad_fn=<SelectBackward0>) tensor([[ 0.0074,  0.0077,  0.0178,  0.0157],
        [-0.0074, -0.0062, -0.0177, -0.0156]]) tensor([-0.0853,  0.0729, -0.0086,  0.1425, -0.1681, -0.1158, -0.7617, -0.6318,
        -1.1410, -1.1919, -2.4859, -3.0702])
RNNCell(3, 4, bias=False, nonlinearity=relu) [('weight_ih', (4, 3)), ('weight_hh', (4, 4))]
ReluBackward0 ['AddBackward0']
tensor([[0.7116, 0.7146, 1.5558, 0.0000],
        [0.3285, 0.4055, 0.0000, 0.0000]], grad_fn=<SelectBackward0>) tensor([[2.6242, 1.2573, 4.0103, 0.8115],
        [3.5679, 1.8447, 4.5588, 1.0141]]) None
tensor([ 0.1408, -0.0349,  0.3420,  0.2717], grad_fn=<SqueezeBackward1>) tensor([ 0.4877, -0.0598,  0.5616,  0.5359], grad_fn=<SqueezeBackward1>) torch.Size([4])
tensor([-0.2331,  0.0824, -0.1149, -0.0693], grad_fn=<SqueezeBackward1>)
`);
  });
  it("errors and attributes speak PyTorch's words; repr, configuration attributes, proj_size's parameters, state_dict keys", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(0)
r, l, g = nn.RNN(3, 4), nn.LSTM(3, 4), nn.GRU(3, 4, 2)
c, lc = nn.RNNCell(3, 4), nn.LSTMCell(3, 4)
tries = [
    lambda: r(torch.randn(2, 1, 5)), lambda: r(torch.randn(2, 1, 3, 1)), lambda: r(torch.randn(3)),
    lambda: r(torch.randn(2, 1, 3), torch.randn(1, 2, 4)), lambda: r(torch.randn(2, 1, 3), torch.randn(2, 4)),
    lambda: r(torch.randn(2, 3), torch.randn(1, 1, 4)), lambda: r(torch.randn(2, 3), torch.randn(2, 4)),
    lambda: l(torch.randn(2, 1, 3), (torch.randn(1, 1, 4), torch.randn(1, 2, 4))),
    lambda: l(torch.randn(2, 1, 3), (torch.randn(1, 1, 5), torch.randn(1, 1, 4))),
    lambda: l(torch.randn(2, 1, 3), (torch.randn(1, 4), torch.randn(1, 1, 4))),
    lambda: l(torch.randn(2, 3), (torch.randn(1, 1, 4), torch.randn(1, 4))),
    lambda: g(torch.randn(2, 1, 3), torch.randn(1, 1, 4)), lambda: g(torch.randn(0, 1, 3)), lambda: g([1, 2]),
    lambda: g(torch.randn(2, 1, 3).double()), lambda: g(torch.randn(2, 1, 3), None, 1),
    lambda: nn.RNN(3, 4, nonlinearity='sig'), lambda: nn.GRU(3, 4, proj_size=2), lambda: nn.LSTM(3, 4, proj_size=4),
    lambda: nn.LSTM(3, 4, proj_size=-1), lambda: nn.LSTM(3, 4, dropout=1.5), lambda: nn.LSTM(3, 4, dropout=True), lambda: nn.LSTM(3),
    lambda: c(torch.randn(2, 5)), lambda: c(torch.randn(2, 3, 1)), lambda: c(torch.randn(2, 3), torch.randn(3, 4)),
    lambda: c(torch.randn(2, 3), torch.randn(2, 5)), lambda: lc(torch.randn(2, 3), (torch.randn(2, 4), torch.randn(1, 4))),
    lambda: c([1.0]), lambda: nn.RNNCell(3, 4, nonlinearity='foo')(torch.randn(2, 3)),
]
for f in tries:
    try:
        f()
        print('no error')
    except Exception as e:
        print(type(e).__name__ + ':', e)
m = nn.LSTM(3, 4, num_layers=2, batch_first=True, dropout=0.25, bidirectional=True, proj_size=2)
print(m, m.input_size, m.hidden_size, m.num_layers, m.bias, m.batch_first, m.dropout, m.bidirectional, m.proj_size, m.mode)
print([(n, tuple(p.shape)) for n, p in m.named_parameters()])
print(nn.RNN(3, 4, 1, False, True, 0.5, True, nonlinearity='relu'), nn.RNN(2, 2, nonlinearity='relu').nonlinearity, nn.GRU(3, 4, dropout=1))
print(nn.RNNCell(3, 4, bias=False, nonlinearity='relu'), nn.LSTMCell(3, 4), nn.GRUCell(3, 4, False), nn.GRUCell(2, 5).hidden_size)
print(type(m), isinstance(m, nn.LSTM), isinstance(m, nn.GRU), len(m.all_weights), m._flat_weights_names[:5])
sd = nn.GRU(2, 3).state_dict()
print(list(sd.keys()))
m = nn.LSTM(3, 4)
print(m.flatten_parameters(), "flatten_parameters" in dir(m), "append" in dir(m), "append" in dir(nn.Sequential()))
try:
    nn.Linear(2, 2).flatten_parameters()
except Exception as e:
    print(type(e).__name__, e)`)).toBe(`RuntimeError: input.size(-1) must be equal to input_size. Expected 3, got 5
RuntimeError: input must have 3 dimensions, got 5
RuntimeError: input must have 3 dimensions, got 2
RuntimeError: Expected hidden size (1, 1, 4), got [1, 2, 4]
RuntimeError: For batched 3-D input, hx should also be 3-D but got 2-D tensor
RuntimeError: For unbatched 2-D input, hx should also be 2-D but got 3-D tensor
RuntimeError: Expected hidden size (1, 1, 4), got [2, 1, 4]
RuntimeError: Expected hidden[1] size (1, 1, 4), got [1, 2, 4]
RuntimeError: Expected hidden[0] size (1, 1, 4), got [1, 1, 5]
RuntimeError: For batched 3-D input, hx and cx should also be 3-D but got (2-D, 3-D) tensors
RuntimeError: For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 2-D) tensors
RuntimeError: Expected hidden size (2, 1, 4), got [1, 1, 4]
RuntimeError: Expected sequence length to be larger than 0 in RNN
AttributeError: 'list' object has no attribute 'dim'
RuntimeError: mat1 and mat2 must have the same dtype
TypeError: GRU.forward() takes from 2 to 3 positional arguments but 4 were given
ValueError: Unknown nonlinearity 'sig'
ValueError: proj_size argument is only supported for LSTM, not RNN or GRU
ValueError: proj_size has to be smaller than hidden_size
ValueError: proj_size should be a positive integer or zero to disable projections
ValueError: dropout should be a number in range [0, 1] representing the probability of an element being zeroed
ValueError: dropout should be a number in range [0, 1] representing the probability of an element being zeroed
TypeError: RNNBase.__init__() missing 1 required positional argument: 'hidden_size'
RuntimeError: input has inconsistent input_size: got 5 expected 3
AssertionError: RNNCell: Expected input to be 1-D or 2-D but received 3-D tensor
RuntimeError: Input batch size 2 doesn't match hidden0 batch size 3
RuntimeError: hidden0 has inconsistent hidden_size: got 5, expected 4
RuntimeError: Input batch size 2 doesn't match hidden0 batch size 1
AttributeError: 'list' object has no attribute 'dim'
RuntimeError: Unknown nonlinearity: foo
LSTM(3, 4, proj_size=2, num_layers=2, batch_first=True, dropout=0.25, bidirectional=True) 3 4 2 True True 0.25 True 2 LSTM
[('weight_ih_l0', (16, 3)), ('weight_hh_l0', (16, 2)), ('bias_ih_l0', (16,)), ('bias_hh_l0', (16,)), ('weight_hr_l0', (2, 4)), ('weight_ih_l0_reverse', (16, 3)), ('weight_hh_l0_reverse', (16, 2)), ('bias_ih_l0_reverse', (16,)), ('bias_hh_l0_reverse', (16,)), ('weight_hr_l0_reverse', (2, 4)), ('weight_ih_l1', (16, 4)), ('weight_hh_l1', (16, 2)), ('bias_ih_l1', (16,)), ('bias_hh_l1', (16,)), ('weight_hr_l1', (2, 4)), ('weight_ih_l1_reverse', (16, 4)), ('weight_hh_l1_reverse', (16, 2)), ('bias_ih_l1_reverse', (16,)), ('bias_hh_l1_reverse', (16,)), ('weight_hr_l1_reverse', (2, 4))]
RNN(3, 4, bias=False, batch_first=True, dropout=0.5, bidirectional=True) relu GRU(3, 4, dropout=1.0)
RNNCell(3, 4, bias=False, nonlinearity=relu) LSTMCell(3, 4) GRUCell(3, 4, bias=False) 5
<class 'torch.nn.modules.rnn.LSTM'> True False 4 ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_hr_l0']
['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
None True False True
AttributeError 'Linear' object has no attribute 'flatten_parameters'
`);
  });
  it("dropout between layers draws PyTorch's masks in training (the generator consumed as PyTorch consumes it), none in eval", () => {
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(3)
lstm = nn.LSTM(2, 3, num_layers=3, dropout=0.5)
x = torch.randn(3, 2, 2)
out, (h, c) = lstm(x)
print(out[-1], h[1], c[2])
out.sum().backward()
print(lstm.weight_ih_l1.grad[:4], lstm.bias_hh_l0.grad[:6])
print(torch.rand(2))
lstm.eval()
out2, _ = lstm(x)
print(out2[-1], torch.rand(2))
gru = nn.GRU(2, 3, num_layers=2, dropout=1.0, bidirectional=True)
y, hn = gru(x)
print(y[0], hn, type(y.grad_fn.next_functions[0][0]).__name__)`)).toBe(`tensor([[ 0.2157, -0.1313, -0.2382],
        [ 0.2212, -0.1357, -0.3230]], grad_fn=<SelectBackward0>) tensor([[ 0.1206,  0.1850, -0.2823],
        [ 0.1189,  0.1821, -0.2958]], grad_fn=<SelectBackward0>) tensor([[ 0.5815, -0.2973, -0.6280],
        [ 0.5708, -0.3429, -0.7036]], grad_fn=<SelectBackward0>)
tensor([[ 0.0000e+00,  5.9265e-04, -1.1381e-03],
        [ 1.8403e-03,  5.5360e-03, -6.6147e-03],
        [-3.1322e-04, -4.1938e-03,  1.0844e-02],
        [ 0.0000e+00,  2.8277e-05,  0.0000e+00]]) tensor([ 0.0007, -0.0022,  0.0020, -0.0049, -0.0022,  0.0003])
tensor([0.6473, 0.6565])
tensor([[ 0.2162, -0.1364, -0.2805],
        [ 0.2141, -0.1373, -0.2815]], grad_fn=<SelectBackward0>) tensor([0.2442, 0.9283])
tensor([[ 0.0554,  0.1975, -0.2076,  0.1740,  0.3463,  0.0132],
        [ 0.0554,  0.1975, -0.2076,  0.1740,  0.3463,  0.0132]],
       grad_fn=<SelectBackward0>) tensor([[[-0.4544, -0.4323,  0.5215],
         [-0.5522, -0.5568,  0.5520]],

        [[ 0.0986, -0.1195,  0.3275],
         [-0.0629,  0.0855,  0.3474]],

        [[ 0.0336,  0.3620, -0.2776],
         [ 0.0336,  0.3620, -0.2776]],

        [[ 0.1740,  0.3463,  0.0132],
         [ 0.1740,  0.3463,  0.0132]]], grad_fn=<StackBackward0>) StackBackward0
`);
  });
});
