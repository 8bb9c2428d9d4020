// The editor's example programs: the tutorials' code as a course shows it, made to run offline.
import { TUTORIAL_PROGRAM } from '../store/fixtures/events';

export interface Example {
  id: string;
  title: string;
  /** One line under the title in the menu. */
  note: string;
  source: string;
}

export const POLYFIT_PROGRAM = `import torch
import math

dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)

a = torch.randn((), dtype=dtype, requires_grad=True)
b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True)
d = torch.randn((), dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')
`;

export const RESNET_STEP_PROGRAM = `import torch, torchvision
model = torchvision.models.resnet18()  # pretrained=True needs the network; the playground is offline
data = torch.rand(1, 3, 64, 64)
labels = torch.rand(1, 1000)
prediction = model(data)
loss = (prediction - labels).sum()
loss.backward()
optim = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
optim.step()
`;

export const RESNET_FINETUNE_PROGRAM = `import torch, torchvision
from torch import nn
model = torchvision.models.resnet18()
# Freeze all the parameters in the network
for param in model.parameters():
    param.requires_grad = False
# A new classifier for 10 labels: its parameters require grad
model.fc = nn.Linear(512, 10)
data = torch.rand(1, 3, 64, 64)
labels = torch.rand(1, 10)
prediction = model(data)
loss = (prediction - labels).sum()
loss.backward()
`;

export const EXAMPLES: Example[] = [
  { id: 'tutorial', title: 'Q = 3a³ − b²', note: 'A gentle introduction to torch.autograd', source: TUTORIAL_PROGRAM },
  { id: 'polyfit', title: 'Fitting sin(x) with a cubic', note: 'Tensors and autograd: a training loop', source: POLYFIT_PROGRAM },
  { id: 'resnet-step', title: 'ResNet-18: one training step', note: 'Forward, backward and SGD on torchvision’s ResNet-18', source: RESNET_STEP_PROGRAM },
  { id: 'resnet-finetune', title: 'ResNet-18: fine-tune the last layer', note: 'Frozen backbone: gradients reach only fc', source: RESNET_FINETUNE_PROGRAM },
];
