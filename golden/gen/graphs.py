#!/usr/bin/env python3
"""Writes golden/graphs.json: for each expression, the backward graph real PyTorch 1.13 records, walked along
next_functions (grad_fn class names, None for inputs that need no grad), one line per node, indented by depth.
Run with Debian's python: /usr/bin/python3 golden/gen/graphs.py"""
import json, os
import torch

WALK = '''def walk(fn, depth=0, out=None):
    if out is None:
        out = []
    if fn is None:
        out.append('  ' * depth + 'None')
        return out
    out.append('  ' * depth + type(fn).__name__)
    for nxt, idx in fn.next_functions:
        walk(nxt, depth + 1, out)
    return out
'''

SETUP = '''import torch
import torch.nn.functional as F
from torch import nn
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
v = torch.tensor([0.3, -0.2, 0.9], requires_grad=True)
c = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
img = torch.linspace(-1, 1, 2 * 3 * 6 * 6).reshape(2, 3, 6, 6).requires_grad_()
w = torch.linspace(-0.5, 0.5, 4 * 3 * 3 * 3).reshape(4, 3, 3, 3).requires_grad_()
bias = torch.tensor([0.1, -0.1, 0.2, 0.0], requires_grad=True)
target = torch.tensor([2, 0])
'''

EXPRESSIONS = [
    "x + 2", "2 + x", "x - 2", "2 - x", "x * 2", "2 * x", "x / 2", "2 / x", "-x", "x ** 2", "2 ** x", "x ** x",
    "x + c", "x * v", "x - v", "x / v",
    "x.exp()", "x.log()", "x.sqrt()", "x.sin()", "x.cos()", "x.tanh()", "x.sigmoid()", "x.relu()", "x.abs()",
    "torch.exp(x) * torch.sigmoid(x)", "x.reciprocal()", "x.rsqrt()", "x.clamp(min=0)", "x.clamp(-1, 1)",
    "x.sum()", "x.sum(dim=1)", "x.sum(0, keepdim=True)", "x.mean()", "x.mean(dim=0)", "x.max()", "x.max(dim=1)[0]",
    "x.min()", "x.min(0).values", "x.norm()", "x.var()", "x.std(dim=1)", "x.cumsum(dim=1)",
    "x.view(3, 2)", "x.reshape(-1)", "x.flatten()", "x.unsqueeze(0)", "x.unsqueeze(0).squeeze(0)", "x.permute(1, 0)",
    "x.transpose(0, 1)", "x.t()", "x.T", "v.expand(2, 3)", "x[0]", "x[:, 1]", "x[1, 2]", "x[0:1, ::2]", "x[[0, 1], [2, 0]]",
    "x[x > 0]", "x.clone()", "torch.cat([x, x], dim=0)", "torch.stack([v, v])",
    "v @ v", "x @ v", "v[:2] @ x", "x @ x.t()", "img[0, 0] @ img[0, 1]", "img[0] @ img[1, 0]", "torch.bmm(img[0], img[1])",
    "F.linear(x, x)", "F.linear(x, x, v[:2])", "F.linear(v, x)", "F.linear(v, x, v[:2])",
    "F.softmax(x, dim=1)", "F.log_softmax(x, dim=0)", "F.cross_entropy(x, target)", "F.nll_loss(x, target)",
    "F.mse_loss(x, c)", "F.binary_cross_entropy(x.sigmoid(), c / 6)", "F.binary_cross_entropy_with_logits(x, c / 6)",
    "F.conv2d(img, w)", "F.conv2d(img, w, bias, stride=2, padding=1)", "F.max_pool2d(img, 2)", "F.avg_pool2d(img, 3)",
    "F.adaptive_avg_pool2d(img, (1, 1))", "F.adaptive_avg_pool2d(img, (2, 2))",
    "F.batch_norm(img, None, None, training=True)", "F.batch_norm(img, None, None, weight=bias[:3], bias=bias[1:], training=True)",
    "F.relu(F.conv2d(img, w, bias))", "torch.flatten(F.adaptive_avg_pool2d(img, 1), 1)", "F.dropout(x, 0.5, training=False)",
    "torch.where(x > 0, x, v)", "x.masked_fill(x < 0, 0.0)", "F.leaky_relu(x)", "torch.maximum(x, v)", "torch.minimum(x, c)",
    "(x * 3).pow(2).sum().sqrt()", "x.sum() * v.sum() - x.mean()",
]

STATEMENTS = [
    ("y = x * 2\ny += 1", "y"),
    ("y = x * 2\ny *= v", "y"),
    ("y = x * 2\ny -= 1\ny /= 2", "y"),
    ("y = x.clone()\ny[0] = 5.0", "y"),
    ("y = x * 1\ny[:, 1] = v[:2]", "y"),
    ("lin = nn.Linear(3, 4)\ny = lin(x)", "y"),
    ("lin = nn.Linear(3, 4, bias=False)\ny = lin(x)", "y"),
    ("conv = nn.Conv2d(3, 2, 3, padding=1)\ny = conv(img)", "y"),
    ("bn = nn.BatchNorm2d(3)\ny = bn(img)", "y"),
    ("bn = nn.BatchNorm2d(3)\nbn.eval()\ny = bn(img)", "y"),
    ("seq = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))\ny = seq(x)", "y"),
    ("seq = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(4, 2))\ny = seq(img)", "y"),
    ("a = x.detach()\na.requires_grad_(True)\ny = a * x", "y"),
    ("with torch.no_grad():\n    h = x * 2\ny = h * x", "y"),
    ("y = nn.CrossEntropyLoss()(x, target)", "y"),
    ("y = nn.MSELoss(reduction='sum')(x, c)", "y"),
]

cases = []
def run(src, expr):
    scope = {}
    exec(compile(WALK + SETUP + src, "<program>", "exec"), scope)
    value = eval(expr, scope)
    return "\n".join(eval("walk", scope)(value.grad_fn))

torch.set_default_dtype(torch.float32)
for e in EXPRESSIONS:
    cases.append({"program": f"y = {e}", "expr": "y", "graph": run(f"y = {e}\n", "y")})
for src, expr in STATEMENTS:
    torch.manual_seed(0)
    cases.append({"program": src, "expr": expr, "graph": run(src + "\n", expr)})
out = {"reference": f"PyTorch {torch.__version__} (Debian python3-torch)", "walk": WALK, "setup": SETUP, "cases": cases}
path = os.path.join(os.path.dirname(__file__), "..", "graphs.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {len(cases)} graphs")
