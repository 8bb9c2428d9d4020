// recyclingAfter(): the app's runner reuses the memory of one run in the next. Reuse must never change a
// value: a run's values are the same on fresh memory, on recycled memory, and after other programs ran.
import { describe, expect, it } from 'vitest';
import { allocStorage, recycling, recyclingAfter, releaseStorage, type Storage } from './dtype';
import * as E from './index';
import { runProgram } from './lang/run';
import type { GraphEvent } from './events';

const BIG = 20_000; // 80 KB of float32: above the size runs record

describe('recyclingAfter', () => {
  it("hands a run's storages to the next allocations of their size, each once", () => {
    const during: Storage[] = [];
    recyclingAfter(() => {
      for (let i = 0; i < 3; i++) during.push(allocStorage('float32', BIG + 1));
      // A nested recycling scope hands one back to the free lists while the run goes on: still once after it.
      recycling(() => void during.push(allocStorage('float32', BIG + 1)));
      during.push(allocStorage('float32', BIG + 1));
      for (const st of during) st.fill(NaN);
    });
    // Four distinct arrays were made (the scope's one was taken again by the last allocation).
    expect(new Set(during).size).toBe(4);
    const after = Array.from({ length: 6 }, () => allocStorage('float32', BIG + 1));
    expect(new Set(after).size).toBe(6);
    expect(after.filter((st) => during.includes(st)).length).toBe(4);
    // Recycled arrays come back zeroed.
    expect(after.every((st) => st.every((v) => v === 0))).toBe(true);
  });

  it('leaves small arrays alone, and never hands out an array twice', () => {
    const small = recyclingAfter(() => allocStorage('float32', 100));
    expect(allocStorage('float32', 100)).not.toBe(small);
    const before = allocStorage('float64', BIG);
    releaseStorage(before); // in the free lists before the run
    // The run takes it, and a scope inside the run hands it back to the free lists: both the run and the
    // free lists hold it when the run ends.
    const inRun = recyclingAfter(() => recycling(() => allocStorage('float64', BIG)));
    expect(inRun).toBe(before);
    const a = allocStorage('float64', BIG);
    const b = allocStorage('float64', BIG);
    expect(a).toBe(before);
    expect(b).not.toBe(a);
  });
});

/** Every value a run's events carry, in order (ids differ from run to run; values must not). */
function values(events: GraphEvent[]): string {
  const out: unknown[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if ('numel' in v && 'min' in v) {
      out.push(v);
      return;
    }
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k]);
  };
  for (const e of events) e.type === 'print' ? out.push(e.text) : walk(e);
  return JSON.stringify(out);
}

function runWithEvents(src: string, recycled: boolean): string {
  const { events, stop } = E.collect(E.events);
  try {
    const go = () => runProgram(src, { onPrint: () => {} });
    const r = recycled ? recyclingAfter(go) : go();
    if (!r.ok) throw new Error(`${r.error!.type}: ${r.error!.message}`);
  } finally {
    stop();
  }
  return values(events);
}

const CONVNET = `import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.Conv2d(32, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 16 * 16, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
x = torch.randn(4, 3, 32, 32)
y = torch.tensor([1, 2, 3, 4])
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    print(step, loss.item())
w = model[0].weight.grad * 2 + 1
print(w.sum().item(), model[6].bias)
`;

const LOOP = `import torch
x = torch.linspace(-3, 3, 30000)
y = torch.sin(x)
w = torch.zeros(4, requires_grad=True)
for t in range(5):
    p = w[0] + w[1] * x + w[2] * x ** 2 + w[3] * x ** 3
    loss = (p - y).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
        w.grad.zero_()
print(w)
`;

describe('a program run on recycled memory', () => {
  it('gives the values it gives on fresh memory, run after run and after other programs', () => {
    const fresh = runWithEvents(CONVNET, false);
    const freshLoop = runWithEvents(LOOP, false);
    expect(fresh).toContain('"numel":32768'); // a 128 KB activation: what runs record and recycle
    for (let i = 0; i < 2; i++) {
      expect(runWithEvents(CONVNET, true)).toBe(fresh);
      expect(runWithEvents(LOOP, true)).toBe(freshLoop);
    }
    expect(runWithEvents(CONVNET, false)).toBe(fresh);
  }, 60_000);
});
