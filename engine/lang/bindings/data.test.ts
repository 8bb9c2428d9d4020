import { describe, expect, it } from 'vitest';
import { events, type GraphEvent } from '../../index';
import { runProgram } from '../run';

function record(source: string) {
  const log: GraphEvent[] = [];
  const stop = events.subscribe((e) => log.push(e));
  let r: ReturnType<typeof runProgram>;
  try {
    r = runProgram(source);
  } finally {
    stop();
  }
  return { r, log };
}

describe('torch.utils.data in the graph', () => {
  it("makes a TensorDataset's batches as leaves of default_collate, without an op per sample", () => {
    const { r, log } = record(`import torch
from torch.utils.data import DataLoader, TensorDataset
X = torch.arange(12.).reshape(6, 2)
Y = torch.arange(6.)
w = torch.ones(2, requires_grad=True)
for xb, yb in DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=True):
    loss = ((xb @ w - yb) ** 2).sum()
    loss.backward()
`);
    expect(r.ok, r.error?.message).toBe(true);
    const collated = log.filter((e) => e.type === 'tensor' && e.origin === 'utils.data.default_collate');
    // Two batches (4 + 2 rows) of two tensors each.
    expect(collated.map((e) => (e.type === 'tensor' ? e.value.shape : null))).toEqual([[4, 2], [4], [2, 2], [2]]);
    const ops = log.filter((e): e is Extract<GraphEvent, { type: 'op' }> => e.type === 'op').map((e) => e.op);
    expect(ops.filter((o) => o === 'index' || o === 'select' || o === 'stack')).toEqual([]);
    expect(ops.filter((o) => o === 'matmul' || o === 'mv').length).toBe(2);
  });

  it('records SelectBackward0 and StackBackward0 where the rows need grad, as PyTorch does', () => {
    const { r } = record(`import torch
from torch.utils.data import DataLoader, TensorDataset
w = torch.ones(4, 2, requires_grad=True)
xb = next(iter(DataLoader(TensorDataset(w * 2), batch_size=3)))[0]
xb.sum().backward()
`);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.evaluate('xb.grad_fn.name()')).toBe('StackBackward0');
    expect(r.evaluate('xb.grad_fn.next_functions[0][0].name()')).toBe('SelectBackward0');
    expect(Array.from((r.evaluate('w.grad') as { data: Float32Array }).data)).toEqual([2, 2, 2, 2, 2, 2, 0, 0]);
  });

  it("runs a program's own Dataset as written: its __getitem__ ops are the program's", () => {
    const { r, log } = record(`import torch
from torch.utils.data import DataLoader, Dataset
class Pairs(Dataset):
    def __init__(self, x):
        self.x = x
    def __len__(self):
        return len(self.x)
    def __getitem__(self, i):
        return self.x[i] * 2, i
xs, ys = next(iter(DataLoader(Pairs(torch.arange(5.)), batch_size=2)))
`);
    expect(r.ok, r.error?.message).toBe(true);
    expect(Array.from((r.evaluate('xs') as { data: Float32Array }).data)).toEqual([0, 2]);
    expect(r.evaluate('ys.dtype')).toBeTruthy();
    const mulLines = log.filter((e) => e.type === 'op' && e.op === 'mul').map((e) => (e.type === 'op' ? e.pos?.line : 0));
    expect(mulLines).toEqual([9, 9]);
  });
});

describe('torch.utils.data errors, in PyTorch words', () => {
  const cases: [string, string][] = [
    ['TensorDataset(torch.zeros(3), torch.zeros(4))', 'AssertionError: Size mismatch between tensors'],
    ['DataLoader(TensorDataset(torch.zeros(3)), batch_size=0)', 'ValueError: batch_size should be a positive integer value, but got batch_size=0'],
    ['DataLoader(TensorDataset(torch.zeros(3)), batch_size=None, drop_last=True)', 'ValueError: batch_size=None option disables auto-batching and is mutually exclusive with drop_last'],
    ['TensorDataset(torch.zeros(3), 5)', "AttributeError: 'int' object has no attribute 'size'"],
    ['list(DataLoader(5))', "TypeError: object of type 'int' has no len()"],
    ['random_split(TensorDataset(torch.zeros(3)), [2, 2])', 'ValueError: Sum of input lengths does not equal the length of the input dataset!'],
  ];
  for (const [expr, message] of cases) {
    it(expr, () => {
      const r = runProgram(`import torch\nfrom torch.utils.data import DataLoader, TensorDataset, random_split\nx = ${expr}\n`);
      expect(r.ok).toBe(false);
      expect(`${r.error!.type}: ${r.error!.message}`).toBe(message);
      expect(r.error!.line).toBe(3);
    });
  }
});

describe('default_collate', () => {
  it('makes the tensors and containers PyTorch 1.13 makes, as it prints them', () => {
    // Printed by PyTorch 1.13.1 for the same program.
    const r = runProgram(`import torch
from torch.utils.data import DataLoader
print(next(iter(DataLoader([1, 2.5, 3], batch_size=3))))
print(next(iter(DataLoader([2.5, 1, 3], batch_size=3))))
print(next(iter(DataLoader([True, False], batch_size=2))))
print(next(iter(DataLoader([True, 2], batch_size=2))))
print(next(iter(DataLoader([(1, 'a'), (2, 'b')], batch_size=2))))
print(next(iter(DataLoader([{'a': 1, 'b': 2.0}, {'a': 3, 'b': 4.0}], batch_size=2))))
print(next(iter(DataLoader([(torch.zeros(1), 5)], batch_size=None))))
`);
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.output).toBe([
      'tensor([1.0000, 2.5000, 3.0000])',
      'tensor([2.5000, 1.0000, 3.0000], dtype=torch.float64)',
      'tensor([ True, False])',
      'tensor([1, 2])',
      "[tensor([1, 2]), ('a', 'b')]",
      "{'a': tensor([1, 3]), 'b': tensor([2., 4.], dtype=torch.float64)}",
      '[tensor([0.]), 5]',
      '',
    ].join('\n'));
  });
});
