// torch.einsum and Tensor.diagonal through the language, against PyTorch 1.13's printed output (the
// values and graphs of many more equations are a golden program: golden/extra.json, einsum_and_diagonal).
import { describe, expect, it } from 'vitest';
import { runProgram } from '../lang/run';
import { runOutput } from '../lang/runOutput';

const out = (src: string): string => runOutput(`import torch\n${src}`);

function error(src: string): string {
  const r = runProgram(`import torch\n${src}`);
  expect(r.ok).toBe(false);
  return `${r.error!.type}: ${r.error!.message}`;
}

describe('torch.einsum', () => {
  it('takes the equation with operands, with a list of them, or in the sublist form', () => {
    expect(out(`e = torch.arange(4.).reshape(2, 2)
print(torch.einsum('ij,ij->', e, e), torch.einsum('ij,ji', [e, e]), torch.einsum('ii->', e))
print(torch.einsum(e, [0, 1], e, [1, 2], [0, 2]))
print(torch.einsum('bn,anm,bm->ba', torch.ones(2, 3), torch.ones(4, 3, 5), torch.ones(2, 5)))`)).toBe(
      'tensor(14.) tensor(13.) tensor(3.)\n' +
        'tensor([[ 2.,  3.],\n        [ 6., 11.]])\n' +
        'tensor([[15., 15., 15., 15.],\n        [15., 15., 15., 15.]])\n',
    );
  });

  it('records the graph PyTorch records: two operands contract through bmm', () => {
    expect(out(`a = torch.ones(2, 3, requires_grad=True)
b = torch.ones(3, 4, requires_grad=True)
r = torch.einsum('ij,jk->ik', a, b)
f = r.grad_fn
chain = []
while f is not None and type(f).__name__ != 'BmmBackward0':
    chain.append(type(f).__name__)
    f = f.next_functions[0][0]
print(chain, [type(g).__name__ for g, _ in f.next_functions])
r.sum().backward()
print(a.grad)`)).toBe("['ViewBackward0', 'PermuteBackward0', 'ViewBackward0'] ['ReshapeAliasBackward0', 'ReshapeAliasBackward0']\n" +
      'tensor([[4., 4., 4.],\n        [4., 4., 4.]])\n');
  });

  it("gives PyTorch's errors", () => {
    const a = 'a = torch.ones(2, 3)\n';
    expect(error(`${a}torch.einsum('ij,jk->ik', a, torch.ones(4, 4))`)).toBe('RuntimeError: einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3');
    expect(error(`${a}torch.einsum('ij,jk', a)`)).toBe('RuntimeError: einsum(): fewer operands were provided than specified in the equation');
    expect(error(`${a}torch.einsum('ij', a, a)`)).toBe('RuntimeError: einsum(): more operands were provided than specified in the equation');
    expect(error(`${a}torch.einsum('ij->k', a)`)).toBe('RuntimeError: einsum(): output subscript k does not appear in the equation for any input operand');
    expect(error(`${a}torch.einsum('ij->ii', a)`)).toBe('RuntimeError: einsum(): output subscript i appears more than once in the output');
    expect(error(`${a}torch.einsum('ii->i', a)`)).toBe("RuntimeError: einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2");
    expect(error(`${a}torch.einsum('i', a)`)).toBe('RuntimeError: einsum(): the number of subscripts in the equation (1) does not match the number of dimensions (2) for operand 0 and no ellipsis was given');
    expect(error(`${a}torch.einsum('i1', a)`)).toBe('RuntimeError: einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]');
    expect(error(`${a}torch.einsum('a..b', a)`)).toBe("RuntimeError: einsum(): found '.' for operand 0 that is not part of any ellipsis");
    expect(error(`torch.einsum('i')`)).toBe('ValueError: einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  });
});

describe('Tensor.diagonal and Tensor.stride', () => {
  it('is a view: writes reach the base, and an in-place change in a graph is a CopySlices', () => {
    expect(out(`m = torch.arange(9.).reshape(3, 3)
d = m.diagonal()
d.mul_(2)
print(m[1], d.is_contiguous(), d.stride(), m.diagonal(1).stride(), m.t().diagonal(-1), torch.arange(24.).reshape(2, 3, 4).diagonal(-1, 1, 2))
x = torch.ones(3, 3, requires_grad=True)
y = x * 2
y.diagonal().zero_()
y.sum().backward()
print(y.grad_fn.name(), x.grad[0])`)).toBe(
      'tensor([3., 8., 5.]) False (4,) (4,) tensor([1., 5.]) tensor([[ 4.,  9.],\n        [16., 21.]])\n' +
        'torch::autograd::CopySlices tensor([0., 2., 2.])\n',
    );
  });

  it("gives PyTorch's strides and errors", () => {
    expect(out('print(torch.tensor(1.).stride(), torch.ones(2, 1, 3).stride(), torch.ones(2, 3).t().stride(-1), torch.ones(2, 3).expand(4, 2, 3).stride())')).toBe('() (3, 3, 1) 3 (0, 3, 1)\n');
    expect(error('torch.tensor(1.).stride(0)')).toBe('IndexError: Dimension specified as 0 but tensor has no dimensions');
    expect(error('torch.diagonal(torch.ones(3))')).toBe('IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)');
    expect(error('torch.ones(2, 2).diagonal(0, 1, 1)')).toBe('RuntimeError: diagonal dimensions cannot be identical 1, 1');
  });
});
