// Intermediates of a forward through the engine's own modules go back to the storage pool once the next layer
// has read them (releaseIntermediate): the values must be exactly those of a forward that keeps everything, and
// nothing a program can still reach (a hooked tensor, what a program's module kept, a saved tensor) may be reused.
import { describe, expect, it } from 'vitest';
import { manualSeed } from '../random';
import { noGrad } from '../context';
import { pooledStorageBytes } from '../dtype';
import { rand } from '../creation';
import { Tensor } from '../tensor';
import { Linear, ReLU, Sequential } from './layers';
import type { Module } from './module';
import { resnet18 } from '../models/resnet';
import { runOutput } from '../lang/runOutput';
import { backward } from '../autograd/backward';
import { sum } from '../ops/reduce';

const copy = (t: Tensor): number[] => Array.from(t.data);

describe('forwards through engine modules recycle their intermediates', () => {
  manualSeed(0);
  const model = resnet18();
  model.eval();
  const x = rand([1, 3, 64, 64]);

  it('gives the same logits, forward after forward, with intermediates back in the pool', () => {
    const before = pooledStorageBytes();
    const first = noGrad(() => model.call(x) as Tensor);
    const afterFirst = pooledStorageBytes();
    // The block outputs, the batch-norm outputs, fc's transposed weight (2 MB) ...: megabytes back in the pool.
    expect(afterFirst - before).toBeGreaterThan(2 * 1024 * 1024);
    const kept = copy(first);
    const second = noGrad(() => model.call(x) as Tensor);
    expect(copy(second)).toEqual(kept);
    // The first result was not recycled into the second forward.
    expect(copy(first)).toEqual(kept);
  });

  it('keeps what a forward hook was handed, and then recycles nothing', () => {
    const block = (model.getAttr('layer2') as Module).getAttr('0') as Module;
    const seen: { out: Tensor; values: number[] }[] = [];
    const remove = (block.getAttr('conv2') as Module).addForwardHook('post', (_m, _inputs, out) => {
      seen.push({ out: out as Tensor, values: copy(out as Tensor) });
      return undefined;
    });
    try {
      const reference = copy(noGrad(() => model.call(x) as Tensor));
      const before = pooledStorageBytes();
      const again = noGrad(() => model.call(x) as Tensor);
      expect(copy(again)).toEqual(reference);
      // The hooked model is not sealed: none of its intermediates go to the pool (fc's transposed weight does).
      expect(pooledStorageBytes() - before).toBeLessThanOrEqual(512 * 1000 * 4);
      for (const s of seen) expect(copy(s.out)).toEqual(s.values);
    } finally {
      remove();
    }
  });

  it('does not recycle what autograd saved: the gradients match a run with nothing in between', () => {
    manualSeed(3);
    const net = new Sequential([new Linear(64, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 8)]);
    const input = rand([16, 64]);
    const other = rand([16, 64]);
    const gradsAfter = (between: boolean): number[][] => {
      for (const p of net.parameters()) p.grad = null;
      const out = net.call(input) as Tensor;
      // A sealed forward in between takes whatever the pool holds, and gives back its own intermediates.
      if (between) for (let i = 0; i < 3; i++) noGrad(() => net.call(other));
      backward(sum(out));
      return net.parameters().map((p) => copy(p.grad!));
    };
    const reference = gradsAfter(false);
    expect(gradsAfter(true)).toEqual(reference);
  });

  it("never recycles what a program's module kept (its forward is the program's code)", () => {
    // PyTorch 1.13.1 printed True True for this program.
    expect(runOutput(`import torch
import torch.nn as nn
torch.manual_seed(0)
class Keep(nn.Module):
    def forward(self, x):
        self.x = x
        self.v = x.clone()
        return x * 2
keep = Keep()
net = nn.Sequential(nn.Linear(16, 128), keep, nn.ReLU(), nn.Linear(128, 128), nn.Linear(128, 4))
with torch.no_grad():
    for i in range(3):
        y = net(torch.randn(8, 16))
        kept, values = keep.x, keep.v
        net(torch.randn(8, 16))
        ok = torch.equal(kept, values)
print(ok, y.shape == (8, 4))
`)).toBe('True True\n');
  });
});
