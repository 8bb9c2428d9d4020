// view() of a transposed, expanded or sliced tensor fails where PyTorch's strides cannot give the shape
// (found by golden/gen/errors_fuzz.py: every tensor here is contiguous, so view used to succeed). Expected
// outcomes from Debian's PyTorch 1.13.1.
import { describe, expect, it } from 'vitest';
import { runProgram } from '../lang/run';
import { viewStrides } from './shape';

const MESSAGE =
  "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";

function viewFails(expr: string): boolean {
  const r = runProgram(`import torch\ny = ${expr}`);
  if (r.ok) return false;
  expect(r.error!.message, expr).toBe(MESSAGE);
  return true;
}

describe('view and PyTorch strides', () => {
  it('computes strides as computeStride does', () => {
    expect(viewStrides([4, 2], [1, 4], [8])).toBeNull();
    expect(viewStrides([4, 2], [1, 4], [2, 2, 2])).toEqual([2, 1, 4]);
    expect(viewStrides([2, 3, 4], [12, 4, 1], [6, 4])).toEqual([4, 1]);
    expect(viewStrides([3, 2, 4], [4, 12, 1], [3, 2, 2, 2])).toEqual([4, 12, 2, 1]);
  });

  it('refuses what PyTorch refuses, allows what it allows', () => {
    const fails = [
      'torch.rand(2, 4).transpose(0, 1).view(-1)', 'torch.rand(2, 3, 4).permute(1, 0, 2).view(-1)', 'torch.rand(4, 4)[:, :2].view(-1)',
      'torch.rand(4, 4)[::2].view(-1)', 'torch.rand(4, 1).expand(4, 3).view(-1)',
      'torch.rand(4, 3).t().unsqueeze(0).view(-1)', 'torch.rand(4, 3).T.view(-1)', 'torch.rand(3, 4).t().view_as(torch.rand(12))',
    ];
    const works = [
      'torch.rand(2, 4).t().view(4, 2)', 'torch.rand(2, 4).t().view(2, 2, 2)', 'torch.rand(2, 3, 4).transpose(0, 1).view(3, 2, 2, 2)',
      'torch.rand(4, 4)[:2].view(-1)', 'torch.rand(4, 4)[0].view(-1)', 'torch.rand(4, 4)[:, 0].view(-1)', 'torch.rand(4, 4)[:, 0].view(2, 2)', 'torch.rand(4, 3).t().contiguous().view(-1)',
      'torch.rand(4, 3).t().reshape(-1).view(2, 6)', 'torch.rand(2, 1, 3).transpose(0, 1).view(-1)', 'torch.rand(3, 1).t().view(-1)',
      'torch.rand(6)[1:5].view(2, 2)', 'torch.rand(6)[::2].view(3)', 'torch.rand(2, 3, 4)[..., 1].view(-1)', 'torch.rand(6)[::2].view(3, 1)',
    ];
    for (const e of fails) expect(viewFails(e), e).toBe(true);
    for (const e of works) expect(viewFails(e), e).toBe(false);
  });

  it('contiguous() copies a non-contiguous tensor (CloneBackward0) and is_contiguous() says which', () => {
    const r = runProgram('import torch\nx = torch.rand(4, 3, requires_grad=True)\ny = x.t()\nz = y.contiguous()\n' +
      'print(y.is_contiguous(), z.is_contiguous(), z.grad_fn.name(), x.contiguous() is x)');
    expect(r.output).toBe('False True CloneBackward0 True\n');
  });
});
