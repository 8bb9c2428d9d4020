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
