#!/usr/bin/env python3
"""Writes golden/errors.json: programs that fail, with the exception type and message real PyTorch 1.13 gives
(Debian's python3-torch). The engine must fail at the same statement with the same wording.
Run with Debian's python: /usr/bin/python3 golden/gen/errors.py"""
import json, os, traceback
import torch

PROGRAMS = [
"import torch\na = torch.ones(2, 3)\nb = torch.ones(4, 5)\nc = a @ b",
"import torch\nx = torch.ones(2) + torch.ones(3)",
"import torch\nx = torch.ones(2, 3) * torch.ones(3, 2)",
"import torch\nx = torch.randn(3, 4)\ny = x.view(5, 5)",
"import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.backward()",
"import torch\nx = torch.ones(2)\nx.backward()",
"import torch\nx = torch.tensor([1., 2.], requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()",
"import torch\na = torch.ones(2, requires_grad=True)\na += 1",
"import torch\nx = torch.tensor([1, 2], requires_grad=True)",
"import torch\nx = torch.zeros(3)\ny = x[5]",
"import torch\nx = torch.zeros(2, 3)\ny = x.sum(dim=2)",
"import torch\nx = torch.zeros(2, 3)\ny = x.transpose(0, 3)",
"import torch\nimport torch.nn.functional as F\nlogits = torch.randn(3, 4)\ny = F.cross_entropy(logits, torch.tensor([1., 0., 2.]))",
"import torch\nimport torch.nn.functional as F\nlogits = torch.randn(3, 4)\ny = F.cross_entropy(logits, torch.tensor([1, 0]))",
"import torch\nimport torch.nn.functional as F\nx = torch.randn(1, 3, 8, 8)\nw = torch.randn(4, 2, 3, 3)\ny = F.conv2d(x, w)",
"import torch\nx = torch.ones(2, 2, requires_grad=True)\ny = x * 3\ny.backward(torch.ones(3))",
"import torch\nx = torch.ones(2, 3)\ny = torch.cat([x, torch.ones(2, 4)], dim=0)",
"import torch\nx = torch.ones(3)\nx.requires_grad = True\ny = (x * 2)\ny.requires_grad = False",
"import torch\nx = torch.ones(2, 3)\ny = x.expand(3, 3)",
"import torch\nx = torch.ones(2, 3).item()",
"import torch\nfrom torch import nn\nm = nn.Linear(3, 2)\ny = m(torch.ones(4, 5))",
"import torch\nfrom torch import nn\nm = nn.Linear(3, 2)\nm.load_state_dict({'weight': torch.ones(2, 3)})",
"import torch\nfrom torch import nn\nm = nn.Linear(3, 2)\nm.load_state_dict({'weight': torch.ones(3, 3), 'bias': torch.ones(2)})",
"import torch\nx = torch.ones(2)\nif x:\n    pass",
# Found by golden/gen/errors_fuzz.py: a built-in module called with missing, extra or non-tensor arguments
# (the engine read `.shape` of undefined), and CPython 3.11's syntax-error wording and columns.
"import torch\nfrom torch import nn\nm = nn.Linear(4, 3)\ny = m()",
"import torch\nfrom torch import nn\nloss = nn.MSELoss()(torch.ones(3))",
"import torch\nfrom torch import nn\nm = nn.Sequential(nn.Linear(2, 3), nn.ReLU())\ny = m([1.0, 2.0])",
"import torch\nfrom torch import nn\ny = nn.ReLU()(torch.ones(2), torch.ones(2))",
"import torch\nfrom torch import nn\ny = nn.Linear(2, 3)(x=torch.ones(2))",
"import torch\nfrom torch import nn\ny = nn.Conv2d(1, 2, 3, bias=False)(3.5)",
"import torch\nx = 1\n    y = 2",
"import torch\nif True:\n    x = 1\n  y = 2",
"import torch\nif True:\n        x = 1\n\ty = 2",
"import torch\nx = torch.tensor([1.0 2.0])",
"import torch\nx = torch.ones(2)\nif x.sum() = 1:\n    pass",
# Found by the fuzzer: PyTorch's wording for indices, conversions, views of leaves, matrix products, pooling,
# convolution and batch norm.
"import torch\nx = torch.randn(2, 2, 4)\ny = x[0, 4]",
"import torch\nx = torch.randn(2, 3, 4)\ny = x[None, ..., 9]",
"import torch\nx = torch.randn(2, 3)\ny = x[torch.tensor([1]), torch.tensor([5])]",
"import torch\nx = torch.randn(3, 3)\nn = int(x)",
"import torch\nx = torch.tensor(2.0)\ny = [1, 2, 3][x]",
"import torch\nx = torch.ones(3, 4)\nn = x.shape[2]",
"import torch\nx = 7\ny = x % 0",
"import torch\nx = torch.ones(2, 3, requires_grad=True)\ny = x.numpy()",
"import torch\nw = torch.rand(4, 4, requires_grad=True)\nw[0] = 1.0",
"import torch\nw = torch.rand(4, 4, requires_grad=True)\nw.view(-1).mul_(2)",
"import torch\nw = torch.rand(4, 4, requires_grad=True)\nw[w > 0.5] = 0.0",
"import torch\nx = torch.ones(6, 2).mv(torch.ones(6))",
"import torch\nx = torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5))",
"import torch\nx = torch.arange(6).view(2, 3) @ torch.ones(3, 2)",
"import torch\nx = torch.dot(torch.arange(3), torch.ones(3))",
"import torch\nfrom torch import nn\nfc = nn.Linear(8, 1)\ny = fc(torch.arange(32).view(4, 8))",
"import torch\nimport torch.nn.functional as F\ny = F.max_pool2d(torch.randn(1, 3, 2, 2), 5)",
"import torch\nimport torch.nn.functional as F\ny = F.max_pool2d(torch.randn(1, 1, 4, 4), (2, 3), padding=(1, 2))",
"import torch\nimport torch.nn.functional as F\ny = F.conv2d(torch.randn(1, 1, 5, 6), torch.randn(1, 1, 3, 3), padding=(0, 1), dilation=3)",
"import torch\nfrom torch import nn\nbn = nn.BatchNorm2d(4)\ny = bn(torch.randn(2, 5, 4, 4))",
# Found by the fuzzer: a saved output modified in place (not checked), a saved input named by its grad_fn after
# zero_ (which was not recorded), cross_entropy's class-probability targets, nll_loss's checks in PyTorch's order.
"import torch\nw0 = torch.rand(4, requires_grad=True)\na = w0 * 2\nq = a.tanh()\nq.add_(1)\nq.sum().backward()",
"import torch\nw0 = torch.ones(4, requires_grad=True)\nz = w0 * 2\nw = z ** 2\nz.zero_()\nw.sum().backward()",
"import torch\nimport torch.nn.functional as F\nx = torch.randn(5, 3)\nt = torch.zeros(5, 3, dtype=torch.long)\nloss = F.cross_entropy(x, t)",
"import torch\nimport torch.nn.functional as F\nloss = F.nll_loss(torch.randn(3, 4), torch.zeros(3, 4))",
"import torch\nimport torch.nn.functional as F\nloss = F.cross_entropy(torch.randn(3, 4), torch.zeros(2))",
"import torch\nimport torch.nn.functional as F\nloss = F.mse_loss(torch.ones(3, 2), torch.ones(4))",
# Found by the fuzzer: CPython's names in argument errors (__qualname__, list.append, Linear.__init__), nn.Module
# assignments before Module.__init__(), PyTorch's argument parser (tensors, sizes, missing arguments), torch.Size's
# type name, optimizer params, masked_fill's broadcast.
"import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(3, 1)\n    def forward(x):\n        return self.fc(x)\nnet = Net()\ny = net(torch.ones(1, 3))",
"import torch\nlosses = []\nlosses.append(1, 2)",
"import torch\nimport torch.nn as nn\nm = nn.Linear(3)",
"import torch\nimport torch.nn as nn\nm = nn.BatchNorm2d()",
"import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(3, 1)\nnet = Net()",
"import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        self.w = nn.Parameter(torch.ones(3))\n        super().__init__()\nnet = Net()",
"import torch\nx = torch.ones(4, 2)\ny = torch.stack(x)",
"import torch\ny = torch.cat([torch.ones(2), 1.0])",
"import torch\nx = torch.ones(3, 2.5)",
"import torch\nx = torch.ones(6).reshape(2.0, -1)",
"import torch\nx = torch.ones(6).view('-1')",
"import torch\nx = torch.tensor('abc')",
"import torch\nx = torch.mm(torch.ones(2, 2))",
"import torch\ns = torch.ones(2, 3).shape\nn = s()",
"import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters, lr=0.1)",
"import torch\nx = torch.rand(2, 3)\ny = x.masked_fill(torch.ones(3, 2) > 0, 0.0)",
# Found by the fuzzer: view() of a tensor whose PyTorch strides cannot give the shape (it succeeded here).
"import torch\nx = torch.rand(2, 3, 4)\ny = x.transpose(0, 1).view(-1)",
"import torch\nx = torch.rand(4, 4)\ny = x[:, :2].view(8)",
# Found by the fuzzer: an integer copy of a tensor does not require grad; x[i] = value checks the value's shape
# (it was silently accepted); index and backward argument messages; requires_grad = True on a non-leaf.
"import torch\nx = torch.tensor(9.0, requires_grad=True)\ny = (x * 2).long()\ny.backward()",
"import torch\nx = torch.zeros(3, 2)\nx[:, 0] = torch.ones(4)",
"import torch\nx = torch.zeros(3, 2)\nx[:] = torch.ones(2, 3)",
"import torch\nx = torch.zeros(3, 2)\nx[0] = torch.ones(2, 2)",
"import torch\nx = torch.zeros(3, 2)\nx[torch.tensor([0, 1])] = torch.ones(3)",
"import torch\nx = torch.zeros(2, 3)\ny = x[torch.tensor([0.0, 1.0])]",
"import torch\nx = torch.zeros(2, 3)\ny = x['0']",
"import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward(1)",
"import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.requires_grad = True",
"import torch\nw0 = torch.zeros(2, requires_grad=True)\nt = w0 * 2\nv = t ** 2\nt[0] = 0.0\nv.sum().backward()",
# Found by the fuzzer: PyTorch's argument parser on a wrongly typed argument (an overloaded function names none).
"import torch\nx = torch.ones(2, 3)\ny = x.sum(dim=1.0, keepdim=True)",
"import torch\nx = torch.ones(2, 3)\ny = torch.sum(x, 1.0)",
"import torch\nx = torch.ones(2, 3)\ny = x.unsqueeze(1.0)",
"import torch\nimport torch.nn.functional as F\ny = F.softmax((1.0, 2.0), dim=0)",
"import torch\nimport torch.nn.functional as F\nloss = F.cross_entropy(torch.ones(2, 3), [1, 2])",
"import torch\nimport torch.nn.functional as F\nloss = F.mse_loss(torch.ones(2), [1.0, 2.0])",
"import torch\nfrom torch import nn\nfc = nn.Linear(3.0, 2)",
"import torch\nfrom torch import nn\nconv = nn.Conv2d(1, 2.0, 3)",
# Found by re-running the error fuzzer on the merged tree: split with a size of 0 or below looped for ever.
"import torch\nb = torch.ones(2, 3, 4)\nout = b.split(0)",
"import torch\nb = torch.ones(2, 3, 4)\nout = b.split(-1)",
"import torch\nb = torch.ones(4)\nout = torch.split(b, [5, -1])",
"import torch\nq = torch.zeros(2, 3)\nb = (q * 3).sum()\ng = torch.autograd.grad(b, q)",
]

cases = []
for src in PROGRAMS:
    lines = src.split("\n")
    scope = {}
    try:
        code = compile(src, "<program>", "exec")
    except SyntaxError as e:
        cases.append({"program": src, "type": type(e).__name__, "message": e.msg, "line": e.lineno, "col": e.offset})
        continue
    try:
        exec(code, scope)
        raise SystemExit(f"program did not fail:\n{src}")
    except SystemExit:
        raise
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)
        line = [f.lineno for f in tb if f.filename == "<program>"][-1]
        cases.append({"program": src, "type": type(e).__name__, "message": str(e).split("\n")[0] if type(e).__name__ != "RuntimeError" or "state_dict" not in str(e) else str(e), "line": line})
path = os.path.join(os.path.dirname(__file__), "..", "errors.json")
with open(path, "w") as f:
    json.dump({"reference": f"PyTorch {torch.__version__} (Debian python3-torch)", "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} error cases")
