// PyTorch 1.13's rules for in-place ops in a graph, and the losses that broadcast or take probabilities, as
// golden/gen/errors_fuzz.py found them differing (expected values from Debian's PyTorch 1.13.1).
import { describe, expect, it } from 'vitest';
import { runProgram } from '../lang/run';

const VERSION_ERROR = (what: string, shape: string, owner: string) =>
  `one of the variables needed for gradient computation has been modified by an inplace operation: [${what} [${shape}]], which is output 0 of ${owner}, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`;

function fails(src: string): { type: string; message: string; line?: number } {
  const r = runProgram(src);
  expect(r.ok, src).toBe(false);
  return { type: r.error!.type, message: r.error!.message, line: r.error!.line };
}

function output(src: string): string {
  const r = runProgram(src);
  if (!r.ok) throw new Error(`${src}\n${r.error!.toString()}`);
  return r.output;
}

describe('saved tensors modified in place', () => {
  it('an output that its op saved (exp, tanh, sigmoid) is named by that op', () => {
    expect(fails('import torch\nw = torch.ones(4, requires_grad=True)\na = w * 2\nq = a.tanh()\nq.add_(1)\nq.sum().backward()')).toEqual({
      type: 'RuntimeError', message: VERSION_ERROR('torch.FloatTensor', '4', 'TanhBackward0'), line: 6,
    });
    expect(fails('import torch\nw = torch.ones(4, 2, requires_grad=True)\nq = (w * 2).exp()\nr = q * 3\nq[0] = 0.0\nr.sum().backward()').message)
      .toBe(VERSION_ERROR('torch.FloatTensor', '4, 2', 'ExpBackward0'));
  });

  it('a saved input is named by its grad_fn after the in-place op (zero_ is recorded as ZeroBackward0)', () => {
    expect(fails('import torch\nw = torch.ones(4, requires_grad=True)\nz = w * 2\ny = z ** 2\nz.zero_()\ny.sum().backward()').message)
      .toBe(VERSION_ERROR('torch.FloatTensor', '4', 'ZeroBackward0'));
    expect(output('import torch\nw = torch.ones(3, requires_grad=True)\nz = w * 2\nz.fill_(2.0)\n(z * w).sum().backward()\nprint(w.grad, z.grad_fn.name())'))
      .toBe('tensor([2., 2., 2.]) FillBackward2\n');
  });

  it('only what the backward formulas read is saved: q * 3 and constant @ q do not save q', () => {
    expect(output('import torch\na = torch.ones(4, requires_grad=True)\nq = a + 1\nr = q * 3\nq.add_(1)\nr.sum().backward()\nprint(a.grad)'))
      .toBe('tensor([3., 3., 3., 3.])\n');
    expect(output('import torch\na = torch.ones(2, 2, requires_grad=True)\nq = a + 1\nr = torch.ones(2, 2) @ q\nq.add_(1)\nr.sum().backward()\nprint(a.grad)'))
      .toBe('tensor([[2., 2.],\n        [2., 2.]])\n');
    expect(fails('import torch\na = torch.ones(4, requires_grad=True)\nq = a + 1\nr = q * a\nq.add_(1)\nr.sum().backward()').message)
      .toBe(VERSION_ERROR('torch.FloatTensor', '4', 'AddBackward0'));
  });
});

describe('views of a leaf that requires grad', () => {
  it('refuses in-place ops through a view, as PyTorch does', () => {
    const msg = 'a view of a leaf Variable that requires grad is being used in an in-place operation.';
    for (const stmt of ['w[0].add_(1)', 'w.view(-1).mul_(2)', 'w.t().zero_()', 'w[0][1] = 2.0', 'w[:, 0] = 1.0']) {
      expect(fails(`import torch\nw = torch.ones(3, 2, requires_grad=True)\n${stmt}`).message, stmt).toBe(msg);
    }
    expect(fails('import torch\nw = torch.ones(3, 2, requires_grad=True)\nw[w > 0] = 1.0').message)
      .toBe('a leaf Variable that requires grad is being used in an in-place operation.');
    expect(output('import torch\nw = torch.ones(3, 2, requires_grad=True)\nwith torch.no_grad():\n    w[0] = 5.0\nprint(w[0].tolist())')).toBe('[5.0, 5.0]\n');
  });
});

describe('losses', () => {
  it('mse_loss broadcasts different sizes (PyTorch warns) and fails only when they do not broadcast', () => {
    const src = 'import torch\nimport torch.nn.functional as F\nx = torch.tensor([[0.5], [-1.25], [2.0]], requires_grad=True)\n' +
      'y = torch.tensor([0.1, 0.7, -0.3])\nl = F.mse_loss(x, y)\nl.backward()\nprint(l.item(), l.grad_fn.next_functions[0][0].name())\nprint(x.grad.tolist())';
    expect(output(src)).toBe('1.9952778816223145 ExpandBackward0\n[[0.222222238779068], [-0.944444477558136], [1.222222089767456]]\n');
    expect(fails('import torch\nimport torch.nn.functional as F\nl = F.mse_loss(torch.ones(3, 2), torch.ones(4))')).toEqual({
      type: 'RuntimeError', message: 'The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 1', line: 3,
    });
  });

  it('cross_entropy takes class probabilities when the target has the input shape', () => {
    const src = 'import torch\nimport torch.nn.functional as F\n' +
      'x = torch.tensor([[0.5, -1.25, 2.0, 0.1], [1.5, 0.3, -0.7, 0.9]], requires_grad=True)\n' +
      'p = torch.tensor([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]])\nl = F.cross_entropy(x, p)\nl.backward()\n' +
      'print(l.item(), l.grad_fn.name())\nprint(x.grad.tolist())';
    expect(output(src).split('\n').slice(0, 2)).toEqual(['1.7889955043792725 DivBackward1', '[[0.029041599482297897, -0.08626463264226913, 0.2042398452758789, -0.14701683819293976], [0.12999680638313293, -0.04819644242525101, -0.0967455506324768, 0.01494520902633667]]']);
    expect(fails('import torch\nimport torch.nn.functional as F\nl = F.cross_entropy(torch.randn(3, 4), torch.zeros(3, 4, dtype=torch.long))').message)
      .toBe('Expected floating point type for target with class probabilities, got Long');
    expect(fails('import torch\nimport torch.nn.functional as F\nl = F.cross_entropy(torch.randn(3, 4), torch.zeros(2))')).toEqual({
      type: 'ValueError', message: 'Expected input batch_size (3) to match target batch_size (2).', line: 3,
    });
    expect(fails('import torch\nimport torch.nn.functional as F\nl = F.nll_loss(torch.randn(3, 4), torch.zeros(3, 4))').message)
      .toBe('0D or 1D target tensor expected, multi-target not supported');
  });
});
