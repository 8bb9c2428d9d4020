// The torch.nn / torch.optim / torchvision / safetensors bindings of nnModules.ts, run as Python programs on
// the interpreter with the torch environment (tensors, torch.nn.functional) and these modules installed.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interpreter } from '../interpreter';
import { makeTorchEnvironment } from '../torchBindings';
import { hostRegistry, PyFloat, type PyValue } from '../values';
import { Tensor } from '../../tensor';
import { nnBindings } from './nnModules';

const GOLDEN = '/work/shared/golden';

function run(source: string): Interpreter {
  let interp: Interpreter | null = null;
  const openFile = (name: string): Uint8Array | undefined => {
    const p = join(GOLDEN, name);
    return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
  };
  const env = makeTorchEnvironment(() => interp!.rt, { loadFile: (n) => openFile(n)! });
  const nn = nnBindings({ openFile });
  nn.install(env.modules);
  const mine = hostRegistry(nn.hostTypes);
  interp = new Interpreter({ modules: env.modules, hostTypeOf: (v) => mine(v) ?? env.hostTypeOf(v) });
  interp.run(source);
  return interp;
}

const num = (v: PyValue): number => (v instanceof PyFloat ? v.value : v instanceof Tensor ? v.item() : (v as number));

describe('nn bindings', () => {
  it("runs the tutorial's nn.Sequential polynomial fit", () => {
    const it = run(`
import torch, math
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
loss_fn = torch.nn.MSELoss(reduction='sum')
learning_rate = 1e-6
for t in range(200):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
first = loss.item()
linear_layer = model[0]
n = len(list(model.parameters()))
text = repr(model)
`);
    expect(num(it.evaluate('n'))).toBe(2);
    expect(num(it.evaluate('loss.item()'))).toBeLessThan(1000);
    expect(it.evaluate('text')).toBe('Sequential(\n  (0): Linear(in_features=3, out_features=1, bias=True)\n  (1): Flatten(start_dim=0, end_dim=1)\n)');
    expect(num(it.evaluate('linear_layer.weight.shape[1]'))).toBe(3);
  });

  it('optimizers: SGD with param groups, mutable lr, repr, closure', () => {
    const it = run(`
import torch
from torch import nn, optim
torch.manual_seed(0)
lin = nn.Linear(3, 2)
opt = optim.SGD([{'params': [lin.weight]}, {'params': lin.bias, 'lr': 0.5}], lr=0.1, momentum=0.9)
opt.param_groups[0]['lr'] = 0.01
def closure():
    opt.zero_grad()
    out = lin(torch.ones(1, 3)).sum()
    out.backward()
    return out
loss = opt.step(closure)
text = repr(opt)
lr0 = opt.param_groups[0]['lr']
b = lin.bias
`);
    expect(num(it.evaluate('lr0'))).toBe(0.01);
    expect(it.evaluate('text')).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    lr: 0.01\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n    weight_decay: 0\n\n' +
        'Parameter Group 1\n    dampening: 0\n    differentiable: False\n    foreach: None\n    lr: 0.5\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n    weight_decay: 0\n)',
    );
    // bias had U(-1/sqrt(3), 1/sqrt(3)) values -0.0114, 0.4578 with seed 0; one step of lr 0.5 on grad 1.
    const b = it.evaluate('b') as Tensor;
    expect(b.data[0]).toBeCloseTo(-0.0114 - 0.5, 3);
  });

  it("runs the tutorial's torch.optim.RMSprop loop; Adam shows betas as PyTorch does", () => {
    const it = run(`
import torch, math
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
loss_fn = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
losses = []
for t in range(300):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
adam = torch.optim.Adam(model.parameters(), lr=0.01)
adam.param_groups[0]['betas'] = (0.8, 0.99)
text = repr(adam)
`);
    const losses = (it.evaluate('losses') as { items: PyValue[] }).items.map(num);
    expect(losses[299]).toBeLessThan(losses[0] / 2);
    expect(it.evaluate('text')).toBe(
      'Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.8, 0.99)\n    capturable: False\n    differentiable: False\n    eps: 1e-08\n    foreach: None\n    fused: False\n    lr: 0.01\n    maximize: False\n    weight_decay: 0\n)',
    );
  });

  it('module attributes, assignment, state dicts and errors', () => {
    const it = run(`
import torch
import torchvision
from torch import nn
model = torchvision.models.resnet18(num_classes=10)
n = sum(p.numel() for p in model.parameters())
k = len(model.state_dict())
c = model.layer1[0].conv1
ks = c.kernel_size
model.fc = nn.Linear(512, 3)
out = model.fc.out_features
frozen = [name for name, p in model.named_parameters() if not p.requires_grad]
try:
    model.load_state_dict({"fc.weight": torch.zeros(3, 512)})
    msg = ''
except RuntimeError as e:
    msg = str(e)
r = repr(model.fc.load_state_dict({"weight": torch.zeros(3, 512), "bias": torch.zeros(3)}))
is_param = isinstance(model.fc.weight, nn.Parameter)
is_mod = isinstance(model.layer1, nn.Sequential)
try:
    torchvision.models.resnet18(pretrained=True)
    net = ''
except RuntimeError as e:
    net = str(e)
`);
    expect(num(it.evaluate('n'))).toBe(11_181_642);
    expect(num(it.evaluate('k'))).toBe(122);
    expect(num(it.evaluate('out'))).toBe(3);
    expect((it.evaluate('msg') as string).startsWith('Error(s) in loading state_dict for ResNet:\n\tMissing key(s) in state_dict: "conv1.weight", ')).toBe(true);
    expect(it.evaluate('r')).toBe('<All keys matched successfully>');
    expect(it.evaluate('is_param')).toBe(true);
    expect(it.evaluate('is_mod')).toBe(true);
    expect(it.evaluate('net')).toMatch(/offline/);
  });

  it.runIf(existsSync(join(GOLDEN, 'resnet18-f16.safetensors')))('runs the fine-tune program with weights=<local file>', () => {
    const it = run(`
import torch, torchvision
from torch import nn, optim
from safetensors.torch import load_file
model = torchvision.models.resnet18(weights="resnet18-f16.safetensors")
io = load_file("resnet-io.safetensors")
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(512, 10)
model.fc.load_state_dict({"weight": io["head_weight"], "bias": io["head_bias"]})
optimizer = optim.SGD(model.fc.parameters(), lr=1e-2, momentum=0.9)
prediction = model(io["batch"])
loss = torch.nn.functional.cross_entropy(prediction, io["target"])
loss.backward()
optimizer.step()
`);
    expect(num(it.evaluate('loss'))).toBeCloseTo(2.0926008038674047, 4);
    expect(it.evaluate('model.conv1.weight.grad is None')).toBe(true);
  });
});

describe("CPython's 'Did you mean' for the torch names (found by golden/gen/errors_fuzz.py)", () => {
  const hintOf = (src: string): string | undefined => {
    try {
      run(src);
    } catch (e) {
      return (e as { hint?: string }).hint ?? '(none)';
    }
    return undefined;
  };
  it('suggests an optimizer method, and nothing for the torch module (CPython looks at 750 names at most)', () => {
    expect(hintOf('import torch\nm = torch.nn.Linear(2, 1)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\nopt.zero_grads()')).toBe("Did you mean: 'zero_grad'?");
    expect(hintOf('import torch\nx = torch.randm(3)')).toBe('(none)');
  });
});
