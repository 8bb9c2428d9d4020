// The event sequence of the tutorial's Q = 3*a**3 - b**2, run through the language: what the canvas
// and the stepper are built from. Written out by hand from PyTorch's semantics (engine.cpp's order).
import { describe, expect, it } from 'vitest';
import { events, type GraphEvent } from './index';
import { runProgram } from './lang/run';

const PROGRAM = `import torch
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
`;

function record(source: string): GraphEvent[] {
  const log: GraphEvent[] = [];
  const stop = events.subscribe((e) => log.push(e));
  try {
    const r = runProgram(source);
    expect(r.ok, r.error?.message).toBe(true);
  } finally {
    stop();
  }
  return log;
}

/** One line per event: its type and the facts the UI reads. */
function line(e: GraphEvent, name: (id: number) => string): string {
  switch (e.type) {
    case 'tensor': return `tensor ${e.gradOf ? `${name(e.gradOf)}.grad` : name(e.tensor)} ${JSON.stringify(e.value.data)} requires_grad=${e.requiresGrad} @${e.pos?.line}`;
    case 'bind': return `bind ${e.name}`;
    case 'op': return `op ${e.op} -> ${name(e.tensor)} ${e.gradFn?.name} next=[${e.gradFn?.next.map((n) => n.name ?? 'None').join(', ')}] ${JSON.stringify(e.value.data)} @${e.pos?.line}:${e.pos?.col}`;
    case 'backward-begin': return `backward-begin seed=${JSON.stringify(e.seed.data)} order=${e.order.length}`;
    case 'node-exec': return `exec ${e.step}/${e.total} ${e.name} grad=${JSON.stringify(e.gradOutput.data)} -> ${e.gradInputs.map((g) => JSON.stringify(g.value?.data ?? null)).join(' ')}`;
    case 'accumulate': return `accumulate ${name(e.tensor)} ${JSON.stringify(e.total.data)}`;
    case 'graph-freed': return `graph-freed ${e.nodes.length}`;
    default: return e.type;
  }
}

describe('graph events', () => {
  it("Q = 3*a**3 - b**2: forward ops, then backward in engine order with each edge's gradient", () => {
    const log = record(PROGRAM);
    const names = new Map<number, string>();
    for (const e of log) if (e.type === 'bind') names.set(e.tensor, e.name);
    const name = (id: number) => names.get(id) ?? `t`;
    expect(log.map((e) => line(e, name))).toEqual([
      'tensor a [2,3] requires_grad=true @2',
      'bind a',
      'tensor b [6,4] requires_grad=true @3',
      'bind b',
      'op pow -> t PowBackward0 next=[AccumulateGrad] [8,27] @4:7',
      'op mul -> t MulBackward0 next=[PowBackward0, None] [24,81] @4:5',
      'op pow -> t PowBackward0 next=[AccumulateGrad] [36,16] @4:14',
      'op sub -> Q SubBackward0 next=[MulBackward0, PowBackward0] [-12,65] @4:5',
      'bind Q',
      'tensor external_grad [1,1] requires_grad=false @5',
      'bind external_grad',
      'backward-begin seed=[1,1] order=6',
      'exec 1/6 SubBackward0 grad=[1,1] -> [1,1] [-1,-1]',
      'exec 2/6 PowBackward0 grad=[-1,-1] -> [-12,-8]',
      'exec 3/6 AccumulateGrad grad=[-12,-8] -> ',
      'tensor b.grad [-12,-8] requires_grad=false @6',
      'accumulate b [-12,-8]',
      'exec 4/6 MulBackward0 grad=[1,1] -> [3,3] null',
      'exec 5/6 PowBackward0 grad=[3,3] -> [36,81]',
      'exec 6/6 AccumulateGrad grad=[36,81] -> ',
      'tensor a.grad [36,81] requires_grad=false @6',
      'accumulate a [36,81]',
      'backward-end',
      'graph-freed 4',
    ]);
  });

  it('is plain JSON: a replay through JSON loses nothing', () => {
    const log = record(PROGRAM);
    expect(JSON.parse(JSON.stringify(log))).toEqual(log);
    const seqs = log.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('a fan-out shows every contribution to the summed gradient', () => {
    const log = record(`import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * x
z = (y + x).sum()
z.backward()
`);
    const acc = log.find((e) => e.type === 'node-exec' && e.name === 'AccumulateGrad');
    expect(acc?.type).toBe('node-exec');
    if (acc?.type !== 'node-exec') return;
    // x receives 2x from x*x (twice x, once per slot) and 1 from y + x.
    expect(acc.contributions.map((c) => c.value.data)).toEqual([[1, 1], [1, 2], [1, 2]]);
    expect(acc.gradOutput.data).toEqual([3, 5]);
  });

  it('NaN and infinity survive as JSON strings', () => {
    const log = record(`import torch
x = torch.tensor([0., 1.], requires_grad=True)
y = torch.log(x)
`);
    const op = log.find((e) => e.type === 'op');
    expect(op?.type === 'op' && op.value.data).toEqual(['-Infinity', 0]);
    expect(op?.type === 'op' && op.value.nonFinite).toBe(1);
  });
});

describe('a freed graph', () => {
  it('backward through ops that saved no tensors works again; through saved tensors it fails as PyTorch does', () => {
    const again = runProgram(`import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = (x + 1).sum()
y.backward()
y.backward()
`);
    expect(again.ok).toBe(true);
    expect(again.evaluate('x.grad')).toMatchObject({ data: new Float32Array([2, 2]) });
    const twice = runProgram(`import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = (x * x).sum()
y.backward()
y.backward()
`);
    expect(twice.error?.type).toBe('RuntimeError');
    expect(twice.error?.message).toMatch(/^Trying to backward through the graph a second time/);
    expect(twice.error?.line).toBe(5);
  });
});

describe('recording only some iterations of a long loop', () => {
  it('mutes the graph events of the iterations the consumer will not show, but keeps prints and marks', () => {
    const log: GraphEvent[] = [];
    const stop = events.subscribe((e) => log.push(e));
    try {
      const r = runProgram(
        `import torch
w = torch.tensor([1., 2.], requires_grad=True)
for t in range(10):
    loss = (w * w).sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        w.grad = None
    if t % 3 == 0:
        print(t)
y = w * 2
`,
        { recordIteration: (i, total) => i < 2 || (total !== undefined && i >= total - 1) },
      );
      expect(r.ok).toBe(true);
    } finally {
      stop();
    }
    // Ops of iterations 0, 1 and 9, plus the one after the loop.
    const opIterations: number[] = [];
    let current = -1;
    for (const e of log) {
      if (e.type === 'iteration') current = e.index;
      if (e.type === 'op' && e.op === 'mul' && e.pos?.line === 4) opIterations.push(current);
    }
    expect(opIterations).toEqual([0, 1, 9]);
    expect(log.filter((e) => e.type === 'iteration').map((e) => (e.type === 'iteration' ? e.index : -1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.filter((e) => e.type === 'print').map((e) => (e.type === 'print' ? e.text : ''))).toEqual(['0', '3', '6', '9']);
    expect(log.some((e) => e.type === 'op' && e.pos?.line === 11)).toBe(true);
    expect(events.isMuted).toBe(false);
  });
});

describe('temporaries of arithmetic expressions', () => {
  it('reuses their memory only where nothing can read them again', () => {
    // (x * 2) is a temporary of the addition; (x * 3) is saved by the multiplication that consumes it.
    const r = runProgram(`import torch
x = torch.linspace(0, 1, 500, requires_grad=True)
y = (x * 2 + 1) * (x * 3) + (x ** 2 + x) / (x + 1)
loss = y.sum()
loss.backward()
z = torch.linspace(0, 1, 500)
w = (z * 2 + z * 3) * 4 - z / 2
`);
    expect(r.ok).toBe(true);
    const x = r.evaluate('x') as import('./tensor').Tensor;
    const g = r.evaluate('x.grad') as import('./tensor').Tensor;
    for (let i = 0; i < x.data.length; i += 37) {
      const v = x.data[i];
      // d/dx [(2x+1)(3x) + (x^2+x)/(x+1)] = 12x + 3 + 1  (since (x^2+x)/(x+1) = x)
      expect(g.data[i]).toBeCloseTo(12 * v + 4, 3);
    }
    const z = r.evaluate('z') as import('./tensor').Tensor;
    const w = r.evaluate('w') as import('./tensor').Tensor;
    for (let i = 0; i < z.data.length; i += 41) expect(w.data[i]).toBeCloseTo(20 * z.data[i] - z.data[i] / 2, 4);
  });
});

describe('tensor hooks in the backward events', () => {
  it('report what a hook was handed where it changed the gradient, and nothing on nodes without hooks', () => {
    const log = record(`import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 3
y.register_hook(lambda g: g * 10)
x.register_hook(lambda g: None)
z = (y * y).sum()
z.backward()
`);
    const execs = log.filter((e): e is Extract<GraphEvent, { type: 'node-exec' }> => e.type === 'node-exec');
    const byName = (n: string) => execs.find((e) => e.name === n)!;
    // y's grad_fn (MulBackward0 of x * 3) gets 2y = [6, 12] from z; the hook makes it [60, 120].
    const mulY = execs.filter((e) => e.name === 'MulBackward0').find((e) => e.hooks)!;
    expect(mulY.hooks).toEqual({ count: 1, before: expect.objectContaining({ data: [6, 12] }) });
    expect(mulY.gradOutput.data).toEqual([60, 120]);
    // A hook that returns None ran too: handed and kept the same gradient.
    const acc = byName('AccumulateGrad');
    expect(acc.hooks?.count).toBe(1);
    expect(acc.hooks?.before.data).toEqual([180, 360]);
    expect(acc.gradOutput.data).toEqual([180, 360]);
    expect(byName('SumBackward0').hooks).toBeUndefined();
    expect(execs.filter((e) => e.hooks).length).toBe(2);
  });
});

describe('tensors the bindings make', () => {
  it('announce what a binding fills itself (isnan, one_hot, nonzero, unique) with its final value', () => {
    const log = record(`import torch
import torch.nn.functional as F
x = torch.tensor([1., float('nan'), 3.])
m = torch.isnan(x)
h = F.one_hot(torch.tensor([1, 0]), 2)
n = torch.nonzero(x > 2)
u, c = torch.unique(torch.tensor([2, 1, 2]), return_counts=True)
`);
    const named = (name: string) => (log.find((e) => e.type === 'bind' && e.name === name) as Extract<GraphEvent, { type: 'bind' }>).tensor;
    const valueOf = (id: number) => {
      const e = log.find((ev) => (ev.type === 'tensor' || ev.type === 'op') && ev.tensor === id) as Extract<GraphEvent, { type: 'tensor' | 'op' }>;
      return e.value.data;
    };
    // isnan is an op of x (not recorded), as comparisons are.
    const isnan = log.find((e) => e.type === 'op' && e.op === 'isnan') as Extract<GraphEvent, { type: 'op' }>;
    expect(isnan.inputs.map((i) => i.tensor)).toEqual([named('x')]);
    expect(valueOf(named('m'))).toEqual([0, 1, 0]);
    expect(valueOf(named('h'))).toEqual([0, 1, 1, 0]);
    expect(valueOf(named('n'))).toEqual([2]);
    expect(valueOf(named('c'))).toEqual([1, 2]);
  });
});
