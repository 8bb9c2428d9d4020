# Programs for golden/extra.json: run by golden/gen/make.py with real PyTorch (Debian's python3-torch 1.13.1).
# Each entry: (name, tier, program, [expressions]). Values are computed in float64 like the shared golden
# files, except cases that set their own dtype.
CASES = [
("broadcast_sub_div_rsub", 1, """import torch
a = torch.tensor([[0.5, -1.25, 2.0]], requires_grad=True)
b = torch.tensor([[1.5], [-0.75]], requires_grad=True)
y = (2 - a) / (b * b + 1) - (a - b) / 3 + 1 / (a * a + 2)
s = y.sum()
s.backward()
""", ["y", "s", "a.grad", "b.grad"]),
("pow_tensor_tensor_and_scalar_base", 1, """import torch
x = torch.tensor([0.7, 1.3, 2.1], requires_grad=True)
e = torch.tensor([1.5, -0.5, 2.0], requires_grad=True)
y = x ** e + 2 ** x + x ** 0.5 - x ** -1
y.sum().backward()
""", ["y", "x.grad", "e.grad"]),
("reductions_keepdim_max_min", 1, """import torch
x = torch.tensor([[[0.3, -1.2, 0.8], [1.1, 0.4, -0.6]], [[-0.9, 0.2, 1.7], [0.05, -0.35, 0.6]]], requires_grad=True)
m, i = x.max(dim=2)
n = x.min(1, keepdim=True)[0]
r = m.sum() + (n * 2).sum() + x.mean(dim=(0, 2)).pow(2).sum() + x.sum(dim=-1, keepdim=True).mean()
r.backward()
""", ["m", "i", "n", "r", "x.grad", "x.argmax(dim=1)", "x.argmin()"]),
("var_std_norm_cumsum", 1, """import torch
x = torch.tensor([[1.2, -0.4, 0.9, 2.2], [0.1, -1.5, 0.7, 0.3], [0.8, 0.6, -0.2, 1.4]], requires_grad=True)
v = x.var(dim=1)
s = x.std()
p = x.norm(p=3, dim=0)
c = x.cumsum(dim=1)
total = v.sum() + s + p.sum() + (c * c).mean() + x.norm()
total.backward()
""", ["v", "s", "p", "c", "total", "x.grad"]),
("shape_ops_chain", 1, """import torch
x = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4) / 10
x.requires_grad_(True)
y = x.permute(2, 0, 1).flatten(1) * torch.linspace(-1, 1, 6)
z = y.unsqueeze(0).expand(3, 4, 6).transpose(1, 2)
w = torch.cat([z, z * 2], dim=1).sum(0)
q = torch.stack([w, -w], dim=2).squeeze()
loss = (q ** 2).sum() + x.view(6, 4)[1:5:2, ::3].sum() + x[..., -1].sum() + x[1, None, :, 2].sum()
loss.backward()
""", ["q.shape", "loss", "x.grad"]),
("advanced_indexing_and_masks", 1, """import torch
x = torch.tensor([[0.2, -1.1, 0.5, 1.4], [-0.3, 0.8, -0.9, 0.1], [1.2, -0.4, 0.6, -1.6]], requires_grad=True)
rows = torch.tensor([0, 2, 2])
cols = torch.tensor([3, 0, 3])
a = x[rows, cols]
b = x[x > 0]
c = x[[1, 0]]
d = x[:, [2, 0]]
loss = (a * torch.tensor([1.0, 2.0, 3.0])).sum() + (b ** 2).sum() + c.sum() * 0.5 + (d * d).mean()
loss.backward()
""", ["a", "b", "c", "d", "loss", "x.grad"]),
("where_masked_fill_clamp", 1, """import torch
x = torch.tensor([-1.5, -0.2, 0.3, 0.9, 2.4], requires_grad=True)
y = torch.where(x > 0, x * x, -x)
z = x.masked_fill(x.abs() > 1, 0.0)
w = torch.clamp(x, min=-1.0, max=1.0) + x.clamp(min=0.5)
loss = (y + z * 3 + w).sum()
loss.backward()
""", ["y", "z", "w", "loss", "x.grad", "(x > 0).all()", "(x > 0).any()"]),
("losses_reductions", 1, """import torch
import torch.nn.functional as F
logits = torch.tensor([[1.2, -0.3, 0.5], [0.1, 2.2, -1.0], [-0.7, 0.4, 0.9], [0.0, 0.3, -0.2]], requires_grad=True)
target = torch.tensor([0, 1, 2, 1])
pred = torch.tensor([[0.3, -0.2], [1.1, 0.4], [-0.5, 0.8]], requires_grad=True)
goal = torch.tensor([[0.0, 0.5], [1.0, -0.5], [0.2, 0.3]])
l1 = F.cross_entropy(logits, target, reduction='sum')
l2 = F.nll_loss(F.log_softmax(logits, dim=1), target)
l3 = F.mse_loss(pred, goal, reduction='sum') + F.mse_loss(pred, goal, reduction='none').max()
l4 = F.binary_cross_entropy(torch.sigmoid(pred), torch.sigmoid(goal))
l5 = F.binary_cross_entropy_with_logits(pred, torch.sigmoid(goal), reduction='sum')
loss = l1 + l2 + l3 + l4 + l5
loss.backward()
""", ["l1", "l2", "l3", "l4", "l5", "logits.grad", "pred.grad"]),
("softmax_dims", 1, """import torch
x = torch.tensor([[[0.2, 1.4], [-0.6, 0.3]], [[1.1, -0.2], [0.5, 0.7]]], requires_grad=True)
a = torch.softmax(x, dim=0)
b = x.softmax(-1)
c = torch.log_softmax(x, dim=1)
loss = (a * torch.arange(8.).reshape(2, 2, 2)).sum() + (b ** 2).sum() - c.mean()
loss.backward()
""", ["a", "b", "c", "x.grad"]),
("conv_dilation_nobias_groups", 1, """import torch
import torch.nn.functional as F
x = torch.linspace(-1, 1, 2 * 4 * 6 * 6).reshape(2, 4, 6, 6).sin()
x.requires_grad_(True)
w = torch.linspace(-0.5, 0.7, 6 * 2 * 3 * 3).reshape(6, 2, 3, 3).cos()
w.requires_grad_(True)
y = F.conv2d(x, w, stride=1, padding=2, dilation=2, groups=2)
z = F.conv2d(y, w * 0.5, None, 2, 1, 1, 3)
loss = (z * z).sum() + y.mean()
loss.backward()
""", ["y.shape", "z", "loss", "x.grad.norm()", "w.grad"]),
("pooling_variants", 1, """import torch
import torch.nn.functional as F
x = torch.linspace(-2, 2, 2 * 3 * 7 * 7).reshape(2, 3, 7, 7).sin() * torch.linspace(0.5, 1.5, 7)
x.requires_grad_(True)
a = F.max_pool2d(x, kernel_size=3, stride=2, padding=1)
b = F.avg_pool2d(x, 3, stride=2, padding=1)
c = F.avg_pool2d(x, 2, count_include_pad=False)
d = F.adaptive_avg_pool2d(x, (2, 3))
e = F.adaptive_avg_pool2d(x, 1)
loss = (a * a).sum() + b.sum() * 2 + c.pow(2).sum() + (d * 3).sum() + e.sum()
loss.backward()
""", ["a", "b", "c", "d", "e.flatten()", "x.grad"]),
("batch_norm_running_stats", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([[0.5, -1.2, 0.3], [1.7, 0.4, -0.8], [-0.6, 0.9, 1.1], [0.2, -0.3, 0.6]], requires_grad=True)
rm = torch.tensor([0.1, -0.2, 0.05])
rv = torch.tensor([1.0, 0.5, 2.0])
w = torch.tensor([1.5, 0.8, -0.4], requires_grad=True)
y = F.batch_norm(x, rm, rv, weight=w, training=True, momentum=0.3)
z = F.batch_norm(x, rm, rv, bias=w, training=False, eps=0.01)
loss = (y ** 3).sum() + (z * z).sum()
loss.backward()
""", ["y", "z", "rm", "rv", "x.grad", "w.grad"]),
("nn_linear_init_matches_seed", 1, """import torch
from torch import nn
torch.manual_seed(0)
lin = nn.Linear(3, 2)
conv = nn.Conv2d(2, 3, kernel_size=3, padding=1)
x = torch.randn(4, 3)
out = lin(x)
loss = out.pow(2).mean()
loss.backward()
""", ["lin.weight", "lin.bias", "conv.weight[1, 0]", "conv.bias", "x", "out", "loss", "lin.weight.grad", "lin.bias.grad"]),
("sequential_sgd_momentum_nesterov_wd", 2, """import torch
from torch import nn, optim
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 2))
opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)
x = torch.randn(6, 4)
y = torch.randn(6, 2)
loss_fn = nn.MSELoss()
for step in range(4):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
final = loss_fn(model(x), y)
""", ["loss", "final", "model[0].weight", "model[2].bias", "model[0].bias.grad"]),
("adam_and_rmsprop", 2, """import torch
torch.manual_seed(5)
w = torch.randn(3, 2, requires_grad=True)
v = torch.randn(3, 2, requires_grad=True)
x = torch.randn(5, 3)
opt1 = torch.optim.Adam([w], lr=0.1)
opt2 = torch.optim.RMSprop([v], lr=0.01)
for t in range(5):
    opt1.zero_grad()
    opt2.zero_grad()
    loss = ((x @ w).tanh() ** 2).sum() + ((x @ v).sigmoid() - 0.5).pow(2).sum()
    loss.backward()
    opt1.step()
    opt2.step()
""", ["loss", "w", "v"]),
("retain_grad_and_nonleaf", 1, """import torch
a = torch.tensor([1.5, -0.5, 2.0], requires_grad=True)
b = a * 3
b.retain_grad()
c = b.exp() / (1 + b.exp())
c.retain_grad()
d = (c * a).sum()
d.backward()
""", ["b.grad", "c.grad", "a.grad", "b.is_leaf", "c.requires_grad", "d.grad is None"]),
("inplace_on_nonleaf_and_grad_mode", 2, """import torch
x = torch.tensor([0.5, 1.5, -2.0], requires_grad=True)
y = x * 2
y += 1
y *= 3
y = y * y
z = y.sum()
z.backward()
with torch.no_grad():
    x *= 0.5
    x.add_(1.0)
w = (x * x).sum()
w.backward()
""", ["y", "z", "x", "x.grad", "w"]),
("accumulation_across_loops", 2, """import torch
p = torch.tensor([[0.3, -0.7], [1.1, 0.2]], requires_grad=True)
history = []
for k in range(4):
    loss = (p * (k + 1)).sin().sum()
    loss.backward()
    history.append(p.grad.sum().item())
    if k == 1:
        p.grad.zero_()
total = sum(history)
""", ["p.grad", "total"]),
("random_seeded_values", 1, """import torch
torch.manual_seed(42)
a = torch.rand(3, 2)
b = torch.randn(5)
c = torch.randn(20)
d = torch.randint(0, 10, (6,))
torch.manual_seed(7)
e = torch.randn(())
f = torch.randn(())
g = torch.rand(17)
""", ["a", "b", "c", "d", "e", "f", "g"]),
("custom_module_class", 2, """import torch
from torch import nn
class TwoLayer(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, 1)
    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.fc2(h).squeeze(1)
torch.manual_seed(11)
net = TwoLayer(3, 4)
x = torch.randn(5, 3)
y = torch.randn(5)
pred = net(x)
loss = ((pred - y) ** 2).mean()
loss.backward()
n_params = sum(p.numel() for p in net.parameters())
""", ["pred", "loss", "net.fc1.weight.grad", "net.fc2.bias.grad", "n_params"]),
("polynomial3_module_tutorial", 2, """import torch
import math
class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))
    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 200)
y = torch.sin(x)
model = Polynomial3()
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
for t in range(50):
    y_pred = model(x)
    loss = criterion(y_pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
""", ["loss", "model.a", "model.b", "model.c", "model.d"]),
("matmul_batched_and_vectors", 1, """import torch
A = torch.linspace(-1, 1, 24).reshape(2, 3, 4).requires_grad_()
B = torch.linspace(0.5, -0.5, 20).reshape(4, 5).requires_grad_()
v = torch.tensor([0.3, -0.2, 0.9, 0.1], requires_grad=True)
C = A @ B
D = torch.matmul(A, v)
E = v @ B
F = torch.bmm(A, B.expand(2, 4, 5))
s = C.sum() + (D ** 2).sum() + E.sum() + F.pow(2).mean() + v.dot(v)
s.backward()
""", ["C", "D", "E", "s", "A.grad", "B.grad", "v.grad"]),
("unary_more", 1, """import torch
x = torch.tensor([0.25, 0.8, 1.6, 2.9], requires_grad=True)
y = x.rsqrt() + x.log1p() + x.expm1() * 0.1 + x.reciprocal() + torch.square(x) + x.sign() + x.floor() + x.ceil() - x.round()
z = torch.nn.functional.leaky_relu(x - 1, 0.2) + torch.nn.functional.relu(1 - x)
loss = (y * z).sum()
loss.backward()
""", ["y", "z", "x.grad"]),
("dtype_promotion_rules", 1, """import torch
i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 1.5, 2.5])
d = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
b = torch.tensor([True, False, True])
r1 = i + 1.5
r2 = i * 2
r3 = f + d
r4 = i / 2
r5 = i // 2
r6 = b + b
r7 = i + b
r8 = (f * torch.tensor(2.0, dtype=torch.float64))
r9 = i % 2
r10 = -i ** 2
""", ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"]),
("frozen_layers_requires_grad", 2, """import torch
from torch import nn
torch.manual_seed(2)
body = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 6), nn.ReLU())
for p in body.parameters():
    p.requires_grad = False
head = nn.Linear(6, 3)
x = torch.randn(7, 4)
target = torch.tensor([0, 2, 1, 1, 0, 2, 2])
logits = head(body(x))
loss = nn.functional.cross_entropy(logits, target)
loss.backward()
trainable = sum(p.numel() for p in list(body.parameters()) + list(head.parameters()) if p.requires_grad)
""", ["loss", "head.weight.grad", "head.bias.grad", "body[0].weight.grad is None", "logits.requires_grad", "trainable"]),
("resnet18_other_inputs_train_mode", 3, """import torch, torchvision
from safetensors.torch import load_file
torch.manual_seed(1)
model = torchvision.models.resnet18()
model.load_state_dict(load_file("resnet18-f16.safetensors"))
data = torch.rand(2, 3, 48, 48)
labels = torch.rand(2, 1000)
prediction = model(data)
loss = ((prediction - labels) ** 2).mean()
loss.backward()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5, weight_decay=1e-3)
optimizer.step()
after = model(data[:1]).sum()
""", ["loss", "model.layer2[0].downsample[1].weight.grad", "model.fc.weight.grad.norm()", "model.conv1.weight.grad.norm()", "model.bn1.running_var", "model.layer3[1].bn2.num_batches_tracked", "after"],
 {"files": ["resnet18-f16.safetensors"], "rtol": 0.005, "atol_scale": 0.0001}),
("resnet18_frozen_head_cross_entropy_eval", 3, """import torch, torchvision
from torch import nn, optim
from safetensors.torch import load_file
torch.manual_seed(2)
model = torchvision.models.resnet18()
model.load_state_dict(load_file("resnet18-f16.safetensors"))
for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(512, 5)
model.eval()
x = torch.rand(3, 3, 32, 32)
y = torch.tensor([4, 0, 2])
opt = optim.SGD(model.fc.parameters(), lr=0.5, momentum=0.9)
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
""", ["loss", "model.fc.weight", "model.fc.bias.grad", "model.layer4[1].conv2.weight.grad is None", "frozen"],
 {"files": ["resnet18-f16.safetensors"], "rtol": 0.005, "atol_scale": 0.0001}),
("fuzz_bitwise_and_inf_norm", 1, """import torch
i = torch.tensor([0, 5, -2, 7])
b = torch.tensor([True, False, True, True])
r1 = i & 3
r2 = (i | 8) + (i ^ 3) + ~i
r3 = (i > 0) & b | (i < -1)
x = torch.tensor([[1.0, -3.0, 3.0], [2.0, 0.5, -1.0], [-0.25, 0.75, 0.5]], requires_grad=True)
n1 = x.norm(p=float('inf'), dim=1)
n2 = x.norm(p=float('-inf'))
n3 = x.norm(float('inf'), 0, True)
loss = n1.sum() + n2 * 2 + (n3 * torch.tensor([1.0, 2.0, 3.0])).sum() + x.norm(p=float('inf'))
loss.backward()
""", ["r1", "r2", "r3", "n1", "n2", "n3", "loss", "x.grad"]),
("fuzz_matmul_and_indexing_graphs", 1, """import torch
a3 = torch.linspace(-1, 1, 12).reshape(3, 2, 2).requires_grad_()
m = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
v = torch.tensor([0.3, -0.7], requires_grad=True)
b4 = torch.linspace(-2, 1, 16).reshape(2, 1, 2, 4).requires_grad_()
c1 = a3 @ v
c2 = v @ a3
c3 = m @ a3
c4 = m[:1] @ b4[:1, :, :, :3]
c5 = a3 @ b4[0]
loss = (c1 ** 2).sum() + c2.sum() + (c3 * c3).sum() + c4.sum() + c5.pow(2).mean()
loss.backward()
x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
i1 = x[0, :, [1, 2]]
i2 = x[1:, [0, 2]]
i3 = x[...]
i4 = x[..., [0, 1]]
y = x * 1
y[y > 20] = 0
z = x * 2
z[0, 1] = 5
w = x + 0
w[...] = 1.5
s = tuple(x.shape)
""", ["c1", "c2", "c3", "c4", "c5", "a3.grad", "m.grad", "v.grad", "b4.grad", "i1", "i2", "i4", "y", "z", "s == (2, 3, 4)",
      "type(c1.grad_fn).__name__ == 'UnsafeViewBackward0'", "type(c1.grad_fn.next_functions[0][0]).__name__ == 'MvBackward0'",
      "type(c2.grad_fn.next_functions[0][0].next_functions[1][0]).__name__ == 'UnsafeViewBackward0'",
      "type(c3.grad_fn).__name__ == 'CloneBackward0'", "type(c4.grad_fn).__name__ == 'TransposeBackward0'",
      "type(c5.grad_fn.next_functions[0][0]).__name__ == 'BmmBackward0'",
      "type(i1.grad_fn.next_functions[0][0]).__name__ == 'SliceBackward0'", "type(i3.grad_fn).__name__ == 'AliasBackward0'",
      "type(i4.grad_fn.next_functions[0][0]).__name__ == 'AccumulateGrad'",
      "type(y.grad_fn).__name__ == 'IndexPutBackward0'", "type(z.grad_fn).__name__ == 'CopySlices'",
      "type(w.grad_fn).__name__ == 'FillBackward3'", "type(s) is tuple"]),
("fuzz_more_ops_values_and_grad_fns", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([[0.5, -1.2, 2.0, 0.1], [0.3, 1.4, -0.7, -2.2], [1.1, -0.4, 0.6, 0.9]], requires_grad=True)
t = torch.tensor([[0.2, -1.0, 1.5, 0.0], [1.3, 1.0, -0.5, -1.0], [0.6, 0.1, 0.2, 2.0]])
u = x.erf() + x.atan() * 2 + x.sinh() * 0.1 + x.cosh() * 0.1 + x.abs().log2() + (x.abs() + 1).log10() + x.trunc() + x.frac()
a = F.softplus(x) + F.silu(x) + F.gelu(x) + F.gelu(x, approximate='tanh') + F.elu(x, 0.5) + F.selu(x) + F.relu6(x * 4) + F.hardtanh(x) + F.logsigmoid(x) + F.mish(x)
r = x.prod(1) + x.amax(1) - x.amin(dim=1) + x.logsumexp(1) + x.cumprod(1)[:, -1] + torch.prod(x)
s = x.flip(0) * torch.roll(x, 1, 1) + x.repeat(1, 1) + x.tril() - x.triu(1) + F.pad(x, (1, 0))[:, :4]
g = x.index_select(1, torch.tensor([3, 0])).sum() + x.gather(1, torch.tensor([[0, 0], [2, 1], [3, 3]])).sum() + x.masked_select(x > 0).sum()
v, i = x.sort(dim=1, descending=True)
k = x.topk(2, dim=0)
m = x.median() + x.median(1).values.sum()
p, q = x.split([1, 3], dim=1)
c = x.chunk(2, 0)[1].sum() + x.narrow(1, 1, 2).sum() + x.select(0, 2).sum() + torch.unbind(x, 1)[3].sum()
l = F.smooth_l1_loss(x, t) + F.smooth_l1_loss(x, t, beta=0.5, reduction='sum') + F.huber_loss(x, t, delta=0.7) + F.l1_loss(x, t) + torch.nn.L1Loss(reduction='sum')(x, t)
o = torch.atan2(x, t + 3) + torch.hypot(x, t)
loss = u.sum() + a.sum() + r.sum() + (s * s).sum() + g + (v[:, 0] * 2).sum() + k.values.sum() + m + (p * q.sum(1, keepdim=True)).sum() + c + l + o.sum()
loss.backward()
y1 = 3.0 - x
y2 = x.clone()
y2.relu_()
y2.clamp_(max=1.0)
with torch.no_grad():
    z = x.clone()
    z.sigmoid_()
    z.masked_fill_(z > 0.6, 0.0)
""", ["u", "a", "r", "s", "g", "v", "i", "k.indices", "m", "c", "l", "o", "loss", "x.grad", "y1", "y2", "z",
      "type(u.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[1][0]).__name__ == 'FracBackward0'",
      "type(y1.grad_fn).__name__ == 'RsubBackward1'", "type(y2.grad_fn).__name__ == 'ClampBackward1'",
      "type(F.softplus(x).grad_fn).__name__ == 'SoftplusBackward0'", "type(F.relu6(x).grad_fn).__name__ == 'HardtanhBackward0'",
      "type(x.prod(0).grad_fn).__name__ == 'ProdBackward1'", "type(x.amax(0).grad_fn).__name__ == 'AmaxBackward0'",
      "type(x.flip(0).grad_fn).__name__ == 'FlipBackward0'", "type(x.sort()[0].grad_fn).__name__ == 'SortBackward0'",
      "type(x.gather(1, torch.tensor([[0], [1], [2]])).grad_fn).__name__ == 'GatherBackward0'",
      "type(F.smooth_l1_loss(x, t).grad_fn).__name__ == 'SmoothL1LossBackward0'", "type(F.l1_loss(x, t).grad_fn).__name__ == 'MeanBackward0'"]),
("fuzz_autograd_grad_and_modules", 2, """import torch
from torch import nn
x = torch.tensor([1.0, 2.0, -0.5], requires_grad=True)
w = torch.tensor([0.3, -1.0, 2.0], requires_grad=True)
y = (x * w).sin() * x
h = y * 2
(gx,) = torch.autograd.grad(y.sum(), x, retain_graph=True)
gx2, gw = torch.autograd.grad((y * y).sum(), [x, w], retain_graph=True)
gy = torch.autograd.grad(h.sum(), y, retain_graph=True)[0]
gm = torch.autograd.grad([y.sum(), h.sum()], [w], retain_graph=True)[0]
untouched = x.grad is None
torch.autograd.backward([h.sum()])
torch.manual_seed(4)
net = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 4), nn.SiLU(), nn.BatchNorm1d(4), nn.Linear(4, 2), nn.Softplus(), nn.LeakyReLU(0.2))
inp = torch.randn(5, 3)
out = net(inp)
lossf = nn.SmoothL1Loss(beta=0.5)
loss = lossf(out, torch.zeros(5, 2)) + nn.HuberLoss(delta=0.3)(out, torch.ones(5, 2)) + nn.BCEWithLogitsLoss()(out, torch.full((5, 2), 0.3))
loss.backward()
""", ["gx", "gx2", "gw", "gy", "gm", "untouched", "x.grad", "w.grad", "out", "loss", "net[0].weight.grad", "net[4].running_mean", "isinstance(net[1], nn.GELU)", "isinstance(net[1], nn.SiLU)"]),
("fuzz_cross_entropy_weights_smoothing_probs", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([[1.2, -0.3, 0.5], [0.1, 2.2, -1.0], [-0.7, 0.4, 0.9], [0.0, 0.3, -0.2]], requires_grad=True)
t = torch.tensor([0, 1, 2, 1])
w = torch.tensor([0.5, 2.0, 1.5])
p = torch.softmax(torch.tensor([[0.3, 0.1, -0.2], [1.0, 0.0, 0.5], [0.2, 0.2, 0.2], [-1.0, 2.0, 0.0]]), 1)
a = F.cross_entropy(x, t, weight=w)
b = F.cross_entropy(x, t, label_smoothing=0.1, reduction='sum')
c = F.cross_entropy(x, t, ignore_index=1, label_smoothing=0.3)
d = F.cross_entropy(x, t, weight=w, ignore_index=2, label_smoothing=0.1, reduction='none')
e = F.cross_entropy(x, p)
f = F.cross_entropy(x, p, weight=w, label_smoothing=0.25, reduction='sum')
g = F.nll_loss(F.log_softmax(x, 1), t, weight=w)
h = torch.nn.CrossEntropyLoss(weight=w, label_smoothing=0.05)(x, t)
loss = a + b + c + d.sum() + e + f + g + h
loss.backward()
""", ["a", "b", "c", "d", "e", "f", "g", "h", "x.grad", "type(e.grad_fn).__name__ == 'DivBackward1'", "type(c.grad_fn).__name__ == 'AddBackward0'"]),
("fuzz_randperm_normal_adamw_adagrad", 2, """import torch
from torch import nn
torch.manual_seed(3)
a = torch.randperm(10)
c = torch.randperm(37)
d = torch.normal(0.5, 2.0, size=(20,))
e = torch.normal(1.0, 0.1, (3,))
m1 = nn.Linear(3, 2)
m2 = nn.Linear(3, 2)
o1 = torch.optim.AdamW(m1.parameters(), lr=0.05)
o2 = torch.optim.Adagrad(m2.parameters(), lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.2)
x = torch.randn(6, 3)
y = torch.randn(6, 2)
perm = torch.randperm(6)
for i in range(5):
    for m, o in [(m1, o1), (m2, o2)]:
        o.zero_grad()
        l = ((m(x[perm]) - y[perm]) ** 2).mean()
        l.backward()
        o.step()
z = torch.addmm(m1.bias, x, m1.weight.t())
""", ["a", "c", "d", "e", "perm", "m1.weight", "m1.bias", "m2.weight", "m2.bias", "z"]),
("fuzz_tensor_hooks", 1, """import torch
a = torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]], requires_grad=True)
g = []
h = a.register_hook(lambda grad: g.append(grad.clone()))
y = (a * a).sum()
y.backward()
h.remove()
(a * 3).sum().backward()
b0 = torch.tensor([1.0, 2.0], requires_grad=True)
b = b0 * 2
b.register_hook(lambda grad: grad * 10)
(b * b).sum().backward()
c0 = torch.tensor([1.0, 2.0], requires_grad=True)
c0.register_hook(lambda g: g + 1)
(c0 ** 3).sum().backward()
d0 = torch.tensor([1.0, 2.0], requires_grad=True)
d = d0.exp()
d.register_hook(lambda g: g * 0)
gd = torch.autograd.grad(d.sum(), d0)[0]
""", ["a.grad", "g[0]", "len(g)", "b0.grad", "c0.grad", "gd"]),
("fuzz_alpha_split_lerp_conv_same_graphs", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
w = torch.tensor([0.3, 0.2, -1.0], requires_grad=True)
y = torch.add(x.exp(), w.cos(), alpha=2)
z = torch.sub(x, w, alpha=0.5)
q = x.add(w, alpha=-3)
(y.sum() + z.sum() * 2 + (q * q).sum()).backward()
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
p1, p2 = a.split([1, 2], 1)
c1, c2 = a.chunk(2, 1)
u0, u1, u2 = a.unbind(1)
n = a.narrow(1, 1, 2)
l = torch.lerp(a, a * 2, 0.3) + torch.lerp(a, a.exp(), 0.7)
(p1.sum() + (p2 * c2).sum() + (u0 * u2).sum() + n.pow(2).sum() + l.sum() + a.sgn().sum()).backward()
img = torch.linspace(-1, 1, 2 * 2 * 5 * 6).reshape(2, 2, 5, 6).sin().requires_grad_()
k = torch.linspace(-0.5, 0.6, 3 * 2 * 2 * 3).reshape(3, 2, 2, 3).cos().requires_grad_()
s1 = F.conv2d(img, k, padding='same')
s2 = F.conv2d(img, k, padding='valid')
(s1.pow(2).sum() + s2.sum()).backward()
logits = torch.tensor([[1.2, -0.3, 0.5], [0.1, 2.2, -1.0]], requires_grad=True)
ce = F.cross_entropy(logits, torch.tensor([2, 0]), label_smoothing=0.2)
""", ["y", "z", "q", "x.grad", "w.grad", "a.grad", "l", "s1.shape", "s1", "s2", "img.grad", "k.grad", "ce",
      "type(y.grad_fn).__name__ == 'AddBackward0'", "[type(f).__name__ for f, _ in y.grad_fn.next_functions] == ['ExpBackward0', 'CosBackward0']",
      "type(p2.grad_fn).__name__ == 'SplitWithSizesBackward0'", "type(c2.grad_fn).__name__ == 'SplitBackward0'",
      "type(u1.grad_fn).__name__ == 'UnbindBackward0'", "type(n.grad_fn.next_functions[0][0]).__name__ == 'AccumulateGrad'",
      "type(l.grad_fn.next_functions[0][0]).__name__ == 'LerpBackward0'", "type(a.sgn().grad_fn).__name__ == 'SgnBackward0'",
      "type(s1.grad_fn.next_functions[0][0]).__name__ == 'ConstantPadNdBackward0'",
      "[type(f).__name__ for f, _ in ce.grad_fn.next_functions] == ['MulBackward1', 'MulBackward1']"]),
("fuzz_bce_pos_weight_full_slices_clamp_min", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([[1.2, -0.3, 0.5], [0.1, 2.2, -1.0]], requires_grad=True)
t = torch.tensor([[1.0, 0.0, 0.3], [0.0, 1.0, 0.8]], requires_grad=True)
pw = torch.tensor([2.0, 0.5, 3.0])
w = torch.tensor([[0.5], [2.0]])
a = F.binary_cross_entropy_with_logits(x, t, pos_weight=pw)
b = F.binary_cross_entropy_with_logits(x, t, weight=w, reduction='sum')
c = F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction='none')
d = torch.nn.BCEWithLogitsLoss(pos_weight=pw)(x, t)
v1 = x[:2, 1]
v2 = x[0:2, 1:3]
v3 = x[:2, :3]
v4 = x[:2]
m = x.clamp_min(0.2) + x.clamp_max(0.4)
(a + b + c.sum() + d + v1.sum() + v2.pow(2).sum() + v3.mean() + v4.sum() + m.sum()).backward()
""", ["a", "b", "c", "d", "x.grad", "t.grad", "type(v1.grad_fn.next_functions[0][0]).__name__ == 'AccumulateGrad'",
      "type(v2.grad_fn.next_functions[0][0]).__name__ == 'AccumulateGrad'", "type(v3.grad_fn).__name__ == 'AliasBackward0'",
      "type(v4.grad_fn).__name__ == 'SliceBackward0'", "type(x.clamp_min(0.2).grad_fn).__name__ == 'ClampMinBackward0'"]),
("fuzz_layer_norm_kl_div", 2, """import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 3, 4, requires_grad=True)
w = torch.randn(4, requires_grad=True)
b = torch.randn(4, requires_grad=True)
y = F.layer_norm(x, (4,), w, b)
z = F.layer_norm(x, (3, 4), eps=1e-3)
m = torch.nn.LayerNorm(4)
q = m(x * 2)
k = F.kl_div(F.log_softmax(x, -1), F.softmax(x.detach() * 2, -1), reduction='batchmean')
k2 = F.kl_div(F.log_softmax(x, -1), F.log_softmax(x.detach(), -1), reduction='sum', log_target=True)
(y.pow(2).sum() + z.pow(3).sum() + q.sum() + (q * q).mean() + k + k2).backward()
""", ["y", "z", "q", "k", "k2", "x.grad", "w.grad", "b.grad", "m.weight.grad", "m.bias.grad",
      "type(y.grad_fn).__name__ == 'NativeLayerNormBackward0'", "[type(f).__name__ if f is not None else None for f, _ in z.grad_fn.next_functions] == ['AccumulateGrad', None, None]"]),
("fuzz_div_rounding_int_linspace_modulelist_embedding", 2, """import torch
from torch import nn
i = torch.tensor([-7, -3, 0, 4, 9])
f = torch.tensor([-7.5, -3.2, 0.0, 4.4, 9.9], requires_grad=True)
d1 = torch.div(i, 2, rounding_mode='floor')
d2 = torch.div(i, 2, rounding_mode='trunc')
d3 = torch.div(f, 2, rounding_mode='floor')
d4 = f.div(3, rounding_mode='trunc')
(d3.sum() + d4.sum() + f.sum()).backward()
ls = torch.linspace(0, 10, 5, dtype=torch.int64)
torch.manual_seed(0)
layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
emb = nn.Embedding(5, 3)
idx = torch.tensor([[0, 2], [4, 1]])
h = emb(idx).sum(1)
for l in layers:
    h = torch.relu(l(h))
out = h.sum()
out.backward()
n_params = sum(p.numel() for p in layers.parameters())
""", ["d1", "d2", "d3", "d4", "f.grad", "ls", "h", "emb.weight", "emb.weight.grad", "layers[1].weight.grad", "n_params",
      "type(d3.grad_fn).__name__ == 'DivBackward2'", "type(emb(idx).grad_fn).__name__ == 'EmbeddingBackward0'"]),
("fuzz_numpy_aliases_new_tensors_softmax_dtype_inner", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([[1.0, -2.0, 3.0], [0.5, 0.25, -1.0]], requires_grad=True)
a = x.sum(axis=0)
b = x.mean(axis=1, keepdims=True)
c = torch.sum(x, axis=1)
d = x.max(axis=0).values
z = x.new_zeros(2)
o = x.new_ones((1, 2))
t = x.new_tensor([1, 2])
f = x.new_full((2,), 3.0)
s = F.softmax(x, dim=1, dtype=torch.float64)
i = torch.inner(x, x)
(a.sum() + b.sum() + c.sum() + d.sum() + s[:, 0].sum() + i.sum() + torch.absolute(x).sum()).backward()
""", ["a", "b", "c", "d", "z", "o", "t", "f", "s", "i", "x.grad", "type(i.grad_fn.next_functions[0][0]).__name__ == 'MmBackward0'"]),
("fuzz_batch_norm_bias_without_weight", 1, """import torch
import torch.nn.functional as F
x = torch.tensor([[1.484, 0.3], [-1.102, 0.1], [-1.358, 2.0], [1.809, -1.0]], requires_grad=True)
g = torch.tensor([0.382, -0.5], requires_grad=True)
rm = torch.zeros(2)
rv = torch.ones(2)
y = F.batch_norm(x, rm, rv, bias=g, training=True)
((y ** 3).sum() + y.sum()).backward()
""", ["y", "x.grad", "g.grad", "rm", "rv", "[type(f).__name__ if f is not None else None for f, _ in y.grad_fn.next_functions] == ['AccumulateGrad', None, 'AccumulateGrad']"]),
("fuzz_lr_schedulers", 2, """import torch
from torch import nn
torch.manual_seed(1)
x = torch.randn(8, 3)
y = torch.randn(8, 1)
m = nn.Linear(3, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
lrs = []
for i in range(5):
    opt.zero_grad()
    loss = ((m(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    sched.step()
    lrs.append(sched.get_last_lr()[0])
cos = []
o2 = torch.optim.Adam(nn.Linear(2, 1).parameters(), lr=0.2)
sc = torch.optim.lr_scheduler.CosineAnnealingLR(o2, T_max=3, eta_min=0.01)
for i in range(8):
    o2.step()
    sc.step()
    cos.append(o2.param_groups[0]['lr'])
o3 = torch.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.3)
lam = torch.optim.lr_scheduler.LambdaLR(o3, lambda e: 1 / (e + 1))
for i in range(3):
    o3.step()
    lam.step()
""", ["m.weight", "m.bias", "loss", "torch.tensor(lrs)", "torch.tensor(cos)", "o3.param_groups[0]['lr']", "o3.param_groups[0]['initial_lr']"]),
("fuzz_reduction_dim_lists_frobenius", 1, """import torch
x = torch.tensor([[[1.0, -2.0], [3.0, 0.5]], [[0.25, -1.0], [2.0, 4.0]]], requires_grad=True)
a = x.sum(dim=[0, 2])
b = x.mean([1, 2], keepdim=True)
c = x.sum(())
d = x.mean(())
e = x.amax([0, -1])
f = x.norm(dim=[1, 2])
g = x.norm(dim=(0, 1), keepdim=True)
h = x.norm(p=2, dim=[1, 2])
(a.sum() + b.sum() + c + d + e.sum() + f.sum() + g.sum() + h.sum()).backward()
""", ["a", "b", "c", "d", "e", "f", "g", "h", "x.grad", "type(c.grad_fn).__name__ == 'SumBackward1'",
      "type(f.grad_fn).__name__ == 'SqrtBackward0'", "type(h.grad_fn).__name__ == 'NormBackward1'"]),
("fuzz_movedim_swapdims_unflatten_ravel", 1, """import torch
x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
a = x.movedim(0, -1)
b = torch.movedim(x, (0, 1), (2, 0))
c = x.swapdims(0, 2)
d = x.unflatten(2, (2, 2))
e = x.unflatten(1, (-1, 1))
f = x.ravel()
w = torch.arange(24.)
loss = (a.reshape(-1) * w).sum() + (b.reshape(-1) * w).sum() + (c.reshape(-1) * w).sum() + (d * d).sum() + e.sum() + (f * w).sum()
loss.backward()
""", ["a", "b", "c.shape", "d.shape", "e.shape", "f", "loss", "x.grad", "type(b.grad_fn).__name__ == 'PermuteBackward0'",
      "type(d.grad_fn).__name__ == 'ViewBackward0'", "type(f.grad_fn).__name__ == 'ViewBackward0'"]),
("fuzz_avgpool_module_dropout_seeded", 2, """import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 3, 6, 6, requires_grad=True)
y1 = nn.Dropout(0.3)(x)
y3 = nn.AvgPool2d(2)(x)
y3b = nn.AvgPool2d((2, 3), stride=1, padding=1, count_include_pad=False)(x)
y4 = nn.MaxPool2d(3, stride=2, padding=1)(x)
c = nn.Conv2d(3, 2, 3, stride=2, bias=False)
y7 = c(x)
y8 = nn.LeakyReLU()(y7) + nn.ELU(alpha=0.5)(y7)
t = y1.sum() + y3.sum() + (y3b * y3b).sum() + y4.sum() + y8.sum()
t.backward()
""", ["y1", "y3", "y3b", "y4", "y8", "t", "x.grad", "c.weight.grad"]),
("dataloader_shuffled_training_loop", 2, """import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split
torch.manual_seed(42)
X = torch.randn(20, 3)
Y = X @ torch.tensor([[1.], [-2.], [0.5]]) + 0.1
ds = TensorDataset(X, Y)
train, val = random_split(ds, [15, 5])
val_idx = torch.tensor(val.indices)
loader = DataLoader(train, batch_size=4, shuffle=True)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
losses = []
for epoch in range(3):
    for xb, yb in loader:
        loss = ((model(xb) - yb) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    losses.append(loss.item())
last_losses = torch.tensor(losses)
after = torch.rand(3)
""", ["val_idx", "last_losses", "model.weight", "model.bias", "model.weight.grad", "after", "len(loader)", "len(train)"]),
("dataloader_generators_collate_and_own_dataset", 2, """import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset, random_split
ds = TensorDataset(torch.arange(20.), torch.arange(20))
g = torch.Generator().manual_seed(3)
loader = DataLoader(ds, batch_size=8, shuffle=True, generator=g)
epochs = torch.stack([torch.cat([yb for xb, yb in loader]) for e in range(3)])
a, b = random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(7))
b_idx = torch.tensor(b.indices)
perm = torch.randperm(10, generator=torch.Generator().manual_seed(1))
class Squares(Dataset):
    def __init__(self, n):
        super().__init__()
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        return {'x': torch.tensor([float(i), 1.0]), 'y': i * i, 'w': 0.5 * i}
batches = list(DataLoader(Squares(5), batch_size=2, drop_last=True))
bx = batches[1]['x']
by = batches[1]['y']
bw = batches[1]['w']
n_batches = len(batches)
torch.manual_seed(0)
shuffled = torch.cat([yb for xb, yb in DataLoader(ds, batch_size=6, shuffle=True)])
next_draw = torch.randn(2)
""", ["epochs", "b_idx", "perm", "bx", "by", "bw", "n_batches", "shuffled", "next_draw"]),
("fuzz_reshape_of_expanded_or_transposed_copies", 1, """import torch
x = torch.linspace(-1, 1, 36).reshape([3, 3, 4]).requires_grad_(True)
y0 = x.expand(2, -1, -1, -1)
y1 = y0.reshape(-1)
loss = (y1 * (torch.arange(y1.numel(), dtype=torch.float64).reshape(y1.shape) - 1.5)).sum()
loss.backward()
z = x[0].t().flatten()
w = x.transpose(0, 2).reshape(4, 9)
loss2 = (z * z).sum() + (w * w).sum()
""", ["y1", "y1.shape", "loss", "x.grad", "type(y1.grad_fn).__name__ == 'UnsafeViewBackward0'", "[type(f).__name__ if f is not None else None for f, _ in y1.grad_fn.next_functions] == ['CloneBackward0']", "type(z.grad_fn).__name__ == 'UnsafeViewBackward0'", "type(w.grad_fn).__name__ == 'UnsafeViewBackward0'", "[type(f).__name__ for f, _ in z.grad_fn.next_functions] == ['CloneBackward0']", "loss2"]),
("pool_ceil_mode_and_divisor_override", 2, """import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.linspace(-2, 3, 2 * 3 * 7 * 6).reshape(2, 3, 7, 6).sin().requires_grad_()
m1 = nn.MaxPool2d(2, ceil_mode=True)(x)
m2 = F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True)
m3 = F.max_pool2d(x, (3, 2), stride=(2, 3), dilation=(2, 1), ceil_mode=True)
a1 = nn.AvgPool2d(2, ceil_mode=True)(x)
a2 = F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True)
a3 = F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
a4 = F.avg_pool2d(x, (2, 3), stride=2, ceil_mode=True, divisor_override=5)
w = torch.linspace(0.5, 1.5, 100)
loss = sum((t.reshape(-1) * w[:t.numel()]).sum() for t in [m1, m2, m3, a1, a2, a3, a4])
loss.backward()
""", ["m1", "m2", "m3", "a1", "a2", "a3", "a4", "loss", "x.grad"]),
("adaptive_max_pool2d_function_and_module", 2, """import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.linspace(-2, 3, 2 * 3 * 7 * 5).reshape(2, 3, 7, 5).cos().requires_grad_()
p1 = F.adaptive_max_pool2d(x, 3)
p2 = F.adaptive_max_pool2d(x, (2, None))
p3 = nn.AdaptiveMaxPool2d((4, 2))(x)
p4 = nn.AdaptiveMaxPool2d(1)(x)
loss = (p1 * p1).sum() + p2.sum() * 2 + (p3 * torch.linspace(0, 1, 8).reshape(4, 2)).sum() + p4.sum()
loss.backward()
""", ["p1", "p2", "p3", "p4", "loss", "x.grad", "type(p1.grad_fn).__name__ == 'AdaptiveMaxPool2DBackward0'", "str(nn.AdaptiveMaxPool2d((4, 2))) == 'AdaptiveMaxPool2d(output_size=(4, 2))'"]),
("views_write_through_and_read_again", 1, """import torch
x = torch.arange(12.).reshape(3, 4)
row = x[0]
row.mul_(2)
col = x[:, 1]
x.add_(100)
col_after = col * 1
t = x.t()
t[0, 0] = -1
tt = t[1:3]
tt.zero_()
a = torch.zeros(2, 3)
b = a[1]
b += 5
s = a.view(6)[2:4]
s.zero_()
s += 7
base = torch.arange(6.)
u, v = base.chunk(2)
v.neg_()
torch.manual_seed(0)
w = torch.nn.Linear(3, 2)
with torch.no_grad():
    w.weight[0].fill_(1.0)
    w.bias[1:].zero_()
    w.weight.t()[2].copy_(torch.tensor([5., 6.]))
p = torch.ones(2, 3, requires_grad=True)
y = p * 2
y[0] += 1
y[1] *= 3
loss = (y * y).sum()
loss.backward()
""", ["x", "row", "col_after", "t", "a", "b", "s", "base", "u", "v", "w.weight", "w.bias", "y", "p.grad"]),
("dist_one_node_with_broadcast", 1, """import torch
a = torch.tensor([[0.5, -1.5, 2.0], [1.0, 0.25, -0.75]], requires_grad=True)
b = torch.tensor([0.25, 1.0, -1.0], requires_grad=True)
d2 = torch.dist(a, b)
d3 = a.dist(b, 3)
dinf = torch.dist(a, b, float('inf'))
loss = d2 + d3 * 2 + dinf
loss.backward()
""", ["d2", "d3", "dinf", "a.grad", "b.grad", "type(d2.grad_fn).__name__ == 'DistBackward0'", "[type(f).__name__ for f, _ in d3.grad_fn.next_functions] == ['AccumulateGrad', 'AccumulateGrad']"]),
("views_in_place_inside_a_graph_copyslices", 1, """import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
z = y[0]
z.mul_(3)
y[1] += 1
y[1] += 1
a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.tensor([0.5, -1.], requires_grad=True)
b = a * 1
col = b.t()[1]
col.add_(w)
col.mul_(w)
loss = (y * y).sum() + z * 10 + (b * b).sum()
loss.backward()
""", ["y", "z", "b", "col", "loss", "x.grad", "a.grad", "w.grad", "type(y.grad_fn).__name__ == 'CopySlices'", "type(z.grad_fn).__name__ == 'AsStridedBackward0'", "[type(f).__name__ if f is not None else None for f, _ in y.grad_fn.next_functions] == ['CopySlices', 'AsStridedBackward0']", "[type(f).__name__ if f is not None else None for f, _ in b.grad_fn.next_functions] == ['CopySlices', 'AccumulateGrad']"]),
("fuzz_chunk_piece_reshape_copies", 1, """import torch
x = torch.tensor([[[0.386], [1.571], [-1.766]], [[1.928], [0.823], [1.127]]], requires_grad=True)
y0 = x.select(-1, 0)
y1 = y0.contiguous().view(-1, 3)
y2 = y1.chunk(2, -1)[0]
y3 = y2.reshape(-1)
loss = (y3 ** 2).sum()
loss.backward()
""", ["y3", "y3.shape", "loss", "x.grad", "type(y3.grad_fn).__name__ == 'UnsafeViewBackward0'", "[type(f).__name__ if f is not None else None for f, _ in y3.grad_fn.next_functions] == ['CloneBackward0']"]),
("group_norm_function_and_module", 2, """import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.linspace(-2, 3, 2 * 6 * 3 * 2).reshape(2, 6, 3, 2).sin().requires_grad_()
gn = nn.GroupNorm(3, 6)
with torch.no_grad():
    gn.weight.copy_(torch.linspace(0.5, 1.5, 6))
    gn.bias.copy_(torch.linspace(-0.2, 0.3, 6))
y1 = gn(x)
y2 = F.group_norm(x, 2, eps=1e-3)
y3 = nn.GroupNorm(6, 6, affine=False)(x)
w = torch.linspace(0, 1, 72).reshape(2, 6, 3, 2)
loss = (y1 * w).sum() + (y2 * y2 * w).sum() + (y3 * w.flip(0)).sum()
loss.backward()
""", ["y1", "y2", "y3", "loss", "x.grad", "gn.weight.grad", "gn.bias.grad", "type(y1.grad_fn).__name__ == 'NativeGroupNormBackward0'", "str(gn) == 'GroupNorm(3, 6, eps=1e-05, affine=True)'"]),
("matmul_of_transposed_and_expanded_operands", 1, """import torch
x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
w = torch.arange(8.).reshape(4, 2).requires_grad_()
v = torch.arange(6.).reshape(3, 2).requires_grad_()
u = torch.arange(8.).reshape(2, 4).requires_grad_()
def names(f, d):
    return None if f is None else type(f).__name__ + '(' + ','.join(str(names(g, d - 1)) for g, _ in f.next_functions if d) + ')'
ys = [x.transpose(0, 1) @ w, x @ w, x.transpose(1, 2) @ v, x.expand(3, 2, 3, 4) @ w, u @ x.transpose(1, 2), w.t() @ x.permute(0, 2, 1)]
graphs = ' | '.join(names(y.grad_fn, 3) for y in ys)
loss = sum((y * y).sum() for y in ys)
loss.backward()
""", ["loss", "x.grad", "w.grad", "v.grad", "u.grad", "graphs == 'UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0()),AccumulateGrad())) | UnsafeViewBackward0(MmBackward0(ReshapeAliasBackward0(AccumulateGrad()),AccumulateGrad())) | UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0()),ReshapeAliasBackward0(ExpandBackward0()))) | UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0()),AccumulateGrad())) | UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0()),ReshapeAliasBackward0(ExpandBackward0()))) | UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0()),ReshapeAliasBackward0(ExpandBackward0())))'"]),
("einsum_and_diagonal", 1, """import torch
a = torch.linspace(-1, 1, 6).reshape(2, 3).requires_grad_()
b = torch.linspace(0, 2, 12).reshape(3, 4).requires_grad_()
q = torch.linspace(-2, 2, 48).reshape(2, 2, 3, 4).cos().requires_grad_()
k = torch.linspace(-1, 3, 80).reshape(2, 2, 5, 4).sin().requires_grad_()
m = torch.arange(9.).reshape(3, 3).requires_grad_()
v = torch.tensor([1., -2., 0.5], requires_grad=True)
x = torch.linspace(0, 1, 24).reshape(2, 3, 4).requires_grad_()
def names(f, d):
    return None if f is None else type(f).__name__ + '(' + ','.join(str(names(g, d - 1)) for g, _ in f.next_functions if d) + ')'
ys = [torch.einsum('ij,jk->ik', a, b), torch.einsum('bhqd,bhkd->bhqk', q, k), torch.einsum('ii->i', m), torch.einsum('ii', m),
      torch.einsum('ij->', m), torch.einsum('i,j->ij', v, v), torch.einsum('...ji,jk,k->...i', x, b, torch.ones(4)),
      torch.einsum(a, [0, 1], b, [1, 2], [0, 2]), torch.einsum('bji,jk', x, b), torch.einsum('ji', a), torch.einsum('i,i', [v, v])]
graphs = ' | '.join(names(y.grad_fn, 4) for y in ys)
d1 = torch.diagonal(m, 1)
d2 = x.diagonal(-1, 1, 2)
loss = sum((y * y).sum() for y in ys) + (d1 * d1).sum() + d2.sum()
loss.backward()
""", ["ys[0]", "ys[1]", "ys[2]", "ys[3]", "ys[4]", "ys[5]", "ys[6]", "ys[7]", "ys[8]", "ys[9]", "ys[10]", "d1", "d2", "loss", "a.grad", "b.grad", "q.grad", "k.grad", "m.grad", "v.grad", "x.grad", "graphs == 'ViewBackward0(PermuteBackward0(ViewBackward0(BmmBackward0(ReshapeAliasBackward0(),ReshapeAliasBackward0())))) | ViewBackward0(PermuteBackward0(ViewBackward0(BmmBackward0(ReshapeAliasBackward0(),ReshapeAliasBackward0())))) | PermuteBackward0(PermuteBackward0(DiagonalBackward0(AccumulateGrad()))) | SumBackward1(PermuteBackward0(PermuteBackward0(DiagonalBackward0(AccumulateGrad())))) | SumBackward1(PermuteBackward0(AccumulateGrad())) | MulBackward0(PermuteBackward0(UnsqueezeBackward0(AccumulateGrad())),PermuteBackward0(UnsqueezeBackward0(AccumulateGrad()))) | ViewBackward0(PermuteBackward0(ViewBackward0(BmmBackward0(ReshapeAliasBackward0(),None)))) | ViewBackward0(PermuteBackward0(ViewBackward0(BmmBackward0(ReshapeAliasBackward0(),ReshapeAliasBackward0())))) | ViewBackward0(PermuteBackward0(ViewBackward0(BmmBackward0(UnsafeViewBackward0(),ReshapeAliasBackward0())))) | PermuteBackward0(AccumulateGrad()) | ViewBackward0(PermuteBackward0(ViewBackward0(BmmBackward0(ReshapeAliasBackward0(),ReshapeAliasBackward0()))))'"]),
("interpolate_and_upsample", 1, """import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.linspace(-1, 2, 2 * 3 * 3 * 4).reshape(2, 3, 3, 4).sin().requires_grad_()
g = torch.linspace(0, 1, 5).reshape(1, 1, 5).requires_grad_()
y1 = F.interpolate(x, scale_factor=2)
y2 = F.interpolate(x, size=(5, 7), mode='bilinear')
y3 = F.interpolate(x, scale_factor=(0.7, 1.6), mode='bilinear', align_corners=True)
y4 = F.interpolate(x[:, :1], size=(4, 6), mode='bilinear')
y5 = F.interpolate(g, size=8, mode='linear')
y6 = F.interpolate(g, scale_factor=1.5)
y7 = F.interpolate(x, size=(2, 2), mode='area')
up = nn.Sequential(nn.Conv2d(3, 2, 3, padding=1), nn.Upsample(scale_factor=2, mode='bilinear'), nn.ReLU())
with torch.no_grad():
    up[0].weight.copy_(torch.linspace(-0.5, 0.5, 54).reshape(2, 3, 3, 3))
    up[0].bias.fill_(0.1)
y8 = up(x)
w = lambda y: torch.linspace(-1, 1, y.numel()).reshape(y.shape)
loss = sum((y * w(y)).sum() for y in [y1, y2, y3, y4, y5, y6, y7, y8])
loss.backward()
""", ["y1", "y2", "y3", "y4", "y5", "y6", "y7", "y8", "loss", "x.grad", "g.grad", "up[0].weight.grad", "type(y2.grad_fn).__name__ == 'UpsampleBilinear2DBackward1'", "type(y1.grad_fn).__name__ == 'UpsampleNearest2DBackward1'", "type(y5.grad_fn).__name__ == 'UpsampleLinear1DBackward1'", "type(y6.grad_fn).__name__ == 'UpsampleNearest1DBackward1'", "str(up[1]) == 'Upsample(scale_factor=2.0, mode=bilinear)'"]),
("create_graph_higher_order", 1, """import torch
import torch.nn as nn
x = torch.tensor([0.7, -1.3, 2.1], requires_grad=True)
y = (torch.sin(x) * x.exp() / (x * x + 1)).sum() + torch.tanh(x).pow(3).sum() + torch.sigmoid(2 * x).prod()
g, = torch.autograd.grad(y, x, create_graph=True)
v = torch.tensor([1.0, -2.0, 0.5])
hv, = torch.autograd.grad(g @ v, x, retain_graph=True)
t = torch.tensor(1.5, requires_grad=True)
d1, = torch.autograd.grad(t ** 4 + 3.0 ** (t * t), t, create_graph=True)
d2, = torch.autograd.grad(d1, t, create_graph=True)
d3, = torch.autograd.grad(d2, t)
a = torch.linspace(-1, 1, 12).reshape(4, 3).requires_grad_()
net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1))
ga, = torch.autograd.grad(net(a).sum(), a, create_graph=True)
penalty = ((ga.pow(2).sum(dim=1) + 1e-6).sqrt() - 1).pow(2).mean()
penalty.backward()
w = torch.tensor([0.4, -0.9], requires_grad=True)
loss = (torch.relu(w) * w).sum() + torch.clamp(w, -0.5, 0.5).sum() ** 2
loss.backward(create_graph=True)
gw = w.grad
s = (gw * gw).sum()
w.grad = None
s.backward()
""", ["g", "hv", "d1", "d2", "d3", "ga", "penalty", "net[0].weight.grad", "net[0].bias.grad", "net[2].weight.grad", "a.grad is None", "gw", "s", "w.grad", "g.requires_grad", "gw.requires_grad"]),
("glu_and_instance_norm", 1, """import torch
import torch.nn.functional as F
x = torch.linspace(-1, 2, 2 * 3 * 4).reshape(2, 3, 4).sin().requires_grad_()
w = torch.tensor([1.0, 0.5, -1.0], requires_grad=True)
b = torch.tensor([0.1, 0.0, -0.2], requires_grad=True)
y1 = F.instance_norm(x, weight=w, bias=b)
y2 = F.instance_norm(x.unsqueeze(-1).expand(2, 3, 4, 2) * 1.5, eps=1e-3)
q = torch.linspace(-1, 1, 24).reshape(2, 6, 2).requires_grad_()
y3 = F.glu(q, 1)
y4 = F.glu(q.transpose(1, 2))
loss = (y1 * torch.linspace(0, 1, 24).reshape(2, 3, 4)).sum() + (y2 ** 2).mean() + (y3 ** 3).sum() + y4.exp().sum()
loss.backward()
""", ["y1", "y2", "y3", "y4", "loss", "x.grad", "w.grad", "b.grad", "q.grad", "type(y1.grad_fn).__name__ == 'ViewBackward0'", "type(y3.grad_fn).__name__ == 'GluBackward0'"]),
("create_graph_gradient_penalty_conv_critic", 1, """import torch
import torch.nn as nn
torch.manual_seed(0)
critic = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(3, 2, 3, stride=2), nn.Flatten(), nn.Linear(2 * 2 * 2, 1))
real = torch.randn(4, 1, 5, 5)
fake = torch.randn(4, 1, 5, 5)
alpha = torch.rand(4, 1, 1, 1)
mix = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
out = critic(mix)
grad, = torch.autograd.grad(out, mix, grad_outputs=torch.ones_like(out), create_graph=True)
gp = ((grad.view(4, -1).norm(2, dim=1) - 1) ** 2).mean()
gp.backward()
x = torch.tensor([[1., 2., 3.], [0.5, -1., 2.]], requires_grad=True)
g, = torch.autograd.grad(x.std(dim=1).sum() + x.var() + x.norm(p=3), x, create_graph=True)
h, = torch.autograd.grad(g.pow(2).sum(), x)
""", ["gp", "grad", "critic[0].weight.grad", "critic[0].bias.grad is None", "critic[2].weight.grad", "critic[2].bias.grad is None", "critic[4].weight.grad", "g", "h", "grad.requires_grad"]),
("multi_margin_loss", 1, """import torch
import torch.nn.functional as F
x = torch.linspace(-1, 1, 15).reshape(3, 5).sin().requires_grad_()
y = torch.tensor([4, 0, 2])
l1 = F.multi_margin_loss(x, y)
l2 = F.multi_margin_loss(x * 2, y, p=2, margin=0.7, reduction='none')
l3 = F.multi_margin_loss(x, y, weight=torch.tensor([1.0, 0.5, 2.0, 1.5, 3.0]), reduction='sum')
loss = l1 + (l2 * torch.tensor([1.0, 2.0, 3.0])).sum() + l3
loss.backward()
""", ["l1", "l2", "l3", "loss", "x.grad", "type(l1.grad_fn).__name__ == 'MultiMarginLossBackward0'"]),
("multi_output_nodes", 1, """import torch
x = torch.linspace(-1, 2, 12).reshape(4, 3).cos().requires_grad_()
y = x * 2
a, b = y.chunk(2)
u = y.unbind(1)
p, q = y.split([1, 2], 1)
s, m = torch.std_mean(x, 1)
v, m2 = torch.var_mean(x, 0, unbiased=False)
loss = (a * b).sum() + (s * m).sum() + (v * m2).sum() + (u[0] * u[2]).sum() + (q ** 2).sum()
loss.backward()
w = torch.tensor([[1., -2., 3., 0.5], [2., 1., -1., 4.]], requires_grad=True)
e, f = w.chunk(2, 1)
g, = torch.autograd.grad((e ** 3).sum(), w, create_graph=True)
g.pow(2).sum().backward()
""", ["loss", "x.grad", "w.grad", "g", "s", "m", "v", "m2", "a.grad_fn is b.grad_fn", "s.grad_fn is m.grad_fn", "b.output_nr", "u[2].output_nr", "q.output_nr", "m2.output_nr",
      "type(a.grad_fn).__name__ == 'SplitBackward0'", "type(u[0].grad_fn).__name__ == 'UnbindBackward0'", "type(p.grad_fn).__name__ == 'SplitWithSizesBackward0'",
      "type(s.grad_fn).__name__ == 'StdMeanBackward0'", "type(v.grad_fn).__name__ == 'VarMeanBackward0'", "(a * b).grad_fn.next_functions[1][1]", "type(g.grad_fn).__name__ == 'CatBackward0'"]),
("int32_tensors", 1, """import torch
x = torch.tensor([1.7, -2.5, 3.2, float('nan'), 3e9])
i = x.int()
j = torch.tensor([[5, -7, 0], [2, 9, -1]], dtype=torch.int32)
s = j.sum()
c = j.cumsum(1)
p = j.prod(0)
q = j // 2
r = j % 3
m = j * 2.5
d = j / 4
k = j + torch.tensor([1, 2, 3])
w = torch.tensor([2 ** 31 - 1], dtype=torch.int32) + 1
v = torch.tensor([100000], dtype=torch.int32) * 100000
e = torch.nn.Embedding(4, 2)
torch.manual_seed(0)
emb = torch.nn.Embedding(10, 3)
out = emb(j.abs())
a = torch.linspace(-1, 1, 6).requires_grad_()
y = (a * torch.arange(6, dtype=torch.int32)).sum() + a.index_select(0, torch.tensor([1, 4], dtype=torch.int32)).pow(2).sum()
y.backward()
""", ["i", "j", "s", "c", "p", "q", "r", "m", "d", "k", "w", "v", "out", "y", "a.grad", "i.dtype == torch.int32", "s.dtype == torch.int64", "c.dtype == torch.int64", "p.dtype == torch.int64",
      "q.dtype == torch.int32", "m.dtype == torch.float32", "k.dtype == torch.int64", "j.element_size()", "j.max()", "(~j)", "j.float().mean()"]),
("narrow_int_tensors", 1, """import torch
u = torch.tensor([1, 200, 255], dtype=torch.uint8)
c = torch.tensor([-128, 127, 5], dtype=torch.int8)
h = torch.tensor([-3, 100, 30000], dtype=torch.int16)
f = torch.tensor([-1.5, 300.7, 1e10, float('nan'), 2.9, -129.5])
mix = u + c
wrap = u + 1000
prod = u * 2
neg = -u
fd = c // 3
md = c % 3
hm = h * 3
dv = u / 2
s = u.sum()
cs = c.cumsum(0)
img = torch.tensor([[0, 128], [255, 64]], dtype=torch.uint8)
x = img.float() / 255
back = (x * 255).round().byte()
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = (w * u).sum() + (w * c.float()).pow(2).sum()
y.backward()
a = torch.tensor([10., 20., 30.])
m = torch.tensor([1, 0, 1], dtype=torch.uint8)
""", ["mix", "wrap", "prod", "neg", "fd", "md", "hm", "dv", "s", "cs", "f.byte()", "f.char()", "f.short()", "x", "back", "y", "w.grad", "a[m]",
      "u & 3", "u | 8", "~u", "u.max()", "c.min()", "c.argmax()", "u > 100", "mix.dtype == torch.int16", "wrap.dtype == torch.uint8", "s.dtype == torch.int64",
      "torch.promote_types(torch.uint8, torch.int8) == torch.int16", "u.element_size()", "h.element_size()"]),
("layouts_follow_inputs", 1, """import torch
x = torch.linspace(-1, 1, 24).reshape(2, 3, 4).requires_grad_()
p = x.permute(2, 0, 1)
y = (p * 2).exp() + p.sin()
z = y.reshape(4, 6)
c = y.contiguous().view(4, 6)
s = y[:, :, 1:] * 1
f = torch.flatten(p.flip(-2))
loss = (z * torch.linspace(0, 1, 24).reshape(4, 6)).sum() + c.pow(2).mean() + s.sum() + (f * torch.arange(24)).sum()
loss.backward()
""", ["loss", "x.grad", "y.is_contiguous()", "torch.tensor(y.stride())", "torch.tensor(s.stride())", "torch.tensor(x.t().double().stride()) if x.dim() == 2 else torch.tensor(p.clone().stride())",
      "type(z.grad_fn).__name__ == 'UnsafeViewBackward0'", "type(z.grad_fn.next_functions[0][0]).__name__ == 'CloneBackward0'", "type(c.grad_fn).__name__ == 'ViewBackward0'",
      "type(f.grad_fn).__name__ == 'UnsafeViewBackward0'", "torch.tensor(torch.zeros_like(s).stride())"]),
("rnn_lstm_gru", 2, """import torch
import torch.nn as nn
torch.manual_seed(0)
lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
gru = nn.GRU(8, 3)
rnn = nn.RNN(3, 2, nonlinearity='relu', bias=False)
cell = nn.LSTMCell(3, 3)
gcell = nn.GRUCell(2, 3)
x = torch.randn(2, 5, 3, requires_grad=True)
h0 = torch.randn(4, 2, 4, requires_grad=True)
c0 = torch.randn(4, 2, 4)
out, (h, c) = lstm(x, (h0, c0))
y, hn = gru(out.transpose(0, 1))
z, zn = rnn(y[:, 0])
hc = (torch.zeros(5, 3), torch.zeros(5, 3))
for t in range(2):
    hc = cell(y[:, t], hc)
g = gcell(z, hc[1])
loss = out.pow(2).mean() + h.sum() + c.tanh().sum() + hn.sum() + zn.pow(2).sum() + g.sum() + hc[0].sum()
loss.backward()
""", ["out", "h", "c", "y", "hn", "z", "zn", "g", "loss", "x.grad", "h0.grad", "lstm.weight_ih_l1_reverse.grad", "lstm.bias_hh_l0.grad", "lstm.weight_hh_l1.grad",
      "gru.weight_ih_l0.grad", "gru.bias_hh_l0.grad", "rnn.weight_hh_l0.grad", "cell.weight_ih.grad", "cell.bias_hh.grad", "gcell.weight_hh.grad", "gcell.bias_ih.grad",
      "lstm.weight_hh_l0_reverse", "gru.bias_ih_l0", "out.is_contiguous()", "type(out.grad_fn).__name__ == 'TransposeBackward1'",
      "type(out.grad_fn.next_functions[0][0]).__name__ == 'CatBackward0'", "type(hn.grad_fn).__name__ == 'StackBackward0'",
      "type(g.grad_fn.next_functions[1][0]).__name__ == 'TanhBackward0'", "type(z.grad_fn).__name__ == 'StackBackward0'"]),
("transformer_attention", 2, """import torch
import torch.nn as nn
torch.manual_seed(0)
mha = nn.MultiheadAttention(8, 2, kdim=6, vdim=4, add_bias_kv=True, batch_first=True)
layer = nn.TransformerEncoderLayer(8, 4, dim_feedforward=16, dropout=0.2)
enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
q = torch.randn(2, 3, 8, requires_grad=True)
k = torch.randn(2, 5, 6)
v = torch.randn(2, 5, 4, requires_grad=True)
kpm = torch.tensor([[False, False, False, True, True], [False, True, False, False, False]])
a, w = mha(q, k, v, key_padding_mask=kpm, attn_mask=torch.randn(3, 5), average_attn_weights=False)
causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
y = enc(a.transpose(0, 1), mask=causal)
loss = y.pow(2).mean() + (w * torch.arange(72.).view(2, 2, 3, 6)).sum() + a.sum()
loss.backward()
""", ["a", "w", "y", "loss", "q.grad", "v.grad", "mha.q_proj_weight.grad", "mha.k_proj_weight.grad", "mha.bias_k.grad", "mha.in_proj_bias.grad[:8]",
      "mha.out_proj.weight.grad", "enc.layers[0].self_attn.in_proj_weight.grad[16:]", "enc.layers[1].linear1.weight.grad", "enc.layers[0].norm2.weight.grad",
      "enc.norm.bias.grad", "mha.bias_v", "enc.layers[1].linear2.weight",
      "type(a.grad_fn).__name__ == 'TransposeBackward0'", "type(w.grad_fn).__name__ == 'ViewBackward0'",
      "type(w.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]).__name__ == 'BaddbmmBackward0'",
      "type(y.grad_fn).__name__ == 'NativeLayerNormBackward0'"]),
("numpy_interop_regression", 1, """import numpy as np
import torch
np.random.seed(0)
X = np.random.randn(8, 3)
true_w = np.array([1.5, -2.0, 0.5])
Y = X @ true_w + 0.1 * np.random.randn(8)
x = torch.from_numpy(X)
y = torch.tensor(Y)
w = torch.from_numpy(np.zeros(3)).requires_grad_()
b = torch.tensor(np.float64(0.25), requires_grad=True)
for step in range(3):
    pred = x @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
final = ((x @ w + b - y) ** 2).mean()
final.backward()
g = w.grad.numpy()
Xs = torch.as_tensor(X[:, :2] * g[:2])
z = Xs + x[:, 2:] * torch.from_numpy(np.ones(1))
""", ["x", "y", "w", "b", "loss", "final", "w.grad", "b.grad", "Xs", "z"]),
("special_gamma_kron_cdist", 2, """import torch
x = torch.linspace(0.3, 4.2, 12).reshape(3, 4).requires_grad_()
w = torch.linspace(-1, 1, 8).reshape(4, 2).requires_grad_()
g = torch.lgamma(x) + torch.digamma(x + 1) * 0.5 - torch.special.polygamma(2, x).mul(0.1) + torch.mvlgamma(x + 2, 3) * 0.01
e = torch.special.entr(x / 5) + torch.special.xlog1py(x, x) + torch.special.ndtr(x - 2) + torch.special.gammaln(x).exp() * 0.1
k = torch.kron(x[:2, :2], w[:2])
t = torch.tensordot(x, w, dims=([1], [0]))
t2 = torch.tensordot(x.reshape(3, 2, 2), w.reshape(2, 2, 2), dims=2)
d = torch.cdist(x, w.t(), p=2) + torch.cdist(x, w.t() * 2, p=1)
r = torch.rot90(x, 1, [0, 1])
c = torch.cov(x) + torch.corrcoef(x.t()).sum()
loss = g.sum() + e.pow(2).sum() + k.pow(2).sum() + t.sin().sum() + t2.sum() + d.sum() + (r * torch.arange(12.).reshape(4, 3)).sum() + c.sum()
loss.backward()
""", ["g", "e", "k", "t", "t2", "d", "r", "c", "loss", "x.grad", "w.grad",
      "type(g.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]).__name__ == 'LgammaBackward0'",
      "type(k.grad_fn).__name__ == 'UnsafeViewBackward0'", "type(d.grad_fn.next_functions[0][0]).__name__ == 'CdistBackward0'",
      "type(r.grad_fn).__name__ == 'Rot90Backward0'", "type(e.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[1][0]).__name__ == 'SpecialXlog1PyBackward0'"]),
("second_order_scatter_linalg_views", 2, """import torch
x = torch.tensor([[0.5, -1.25, 0.0], [2.0, 0.3, -0.7]], requires_grad=True)
s = torch.tensor([[1.5, -2.0], [0.25, 3.0]], requires_grad=True)
A = torch.tensor([[2.0, 0.5, -0.3], [0.1, 1.5, 0.7], [-0.4, 0.2, 1.8]], requires_grad=True)
B = torch.tensor([[1.0, -0.5], [0.3, 2.0], [-1.2, 0.4]], requires_grad=True)
w = torch.tensor([0.25, -0.5])
idx = torch.tensor([[0, 2], [1, 0]])
y = x * 1
y[0, 1:] = s[0].exp()
y[:, :1].mul_(s[:, 1:])
f = (torch.sinc(x + 0.1) + torch.logcumsumexp(x * x, 1) + x.scatter(1, idx, s * s) + x.scatter_add(1, idx, s).pow(2)).sum() \
    + x.index_add(1, torch.tensor([2, 0]), s * s, alpha=1.5).pow(2).sum() + torch.nn.functional.prelu(x.t() - 0.2, w).pow(3).sum() \
    + torch.linalg.det(A * x[1, 0]) + torch.linalg.inv(A).pow(2).sum() + torch.linalg.solve(A, B).pow(2).sum() + torch.logdet(A) + y.pow(3).sum()
gx, gs, gA, gB = torch.autograd.grad(f, [x, s, A, B], create_graph=True)
h = (gx * gx).sum() + (gs * gs).sum() + (gA * gA).sum() + (gB * gB).sum()
h.backward()
""", ["f", "gx", "gs", "gA", "gB", "h", "x.grad", "s.grad", "A.grad", "B.grad"]),
("backward_hooks_and_saved_tensor_hooks", 1, """import torch
import torch.nn as nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
seen = []
def scale_input(m, gi, go):
    seen.append(go[0].sum())
    return (gi[0] * 0.5,)
net[2].register_full_backward_hook(scale_input)
net[0].register_backward_hook(lambda m, gi, go: (gi[0] * 3, gi[1], gi[2]))
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach() * 2, lambda t: t):
    out = net(x)
    loss = (out * out).sum()
pre = loss.grad_fn.register_prehook(lambda go: (go[0] * 2,))
loss.backward()
g0 = seen[0]
y = (x * x).sin()
y.grad_fn.register_hook(lambda gi, go: (gi[0] + 1,))
y.sum().backward()
""", ["out", "loss", "g0", "x.grad", "net[0].weight.grad", "net[0].bias.grad", "net[2].weight.grad", "net[2].bias.grad",
      "type(out.grad_fn).__name__ == 'BackwardHookFunctionBackward'",
      "type(out.grad_fn.next_functions[0][0].next_functions[1][0]).__name__ == 'BackwardHookFunctionBackward'"]),
]
