import { describe, expect, it } from 'vitest';
import { buildRun, emptyRun, loopEndLine, reduceRun } from './reduce';
import { frameAt, gradAt, statusText, tensorGradAt, valueAt } from './frame';
import { fanoutEvents, loopEvents, LOOP_PROGRAM, tutorialEvents } from './fixtures/events';
import { buildGraph } from '../graph/buildGraph';
import { formatValue } from '../format';
import { segmentLabel } from '../graph/GraphPanel';
import { runProgram } from '../../engine/lang/run';
import { collect, events as engineEvents } from '../../engine/index';

describe('reduceRun on the tutorial', () => {
  const events = tutorialEvents();
  const run = buildRun(events);

  it('names tensors by their bind events and keeps op outputs unnamed otherwise', () => {
    expect(run.tensors[1].name).toBe('a');
    expect(run.tensors[6].name).toBe('Q');
    expect(run.tensors[3].name).toBeNull();
    expect(run.ops.map((o) => o.op)).toEqual(['pow', 'mul', 'pow', 'sub']);
  });

  it('makes one timeline: four forward ops, then six backward nodes in engine order', () => {
    const seg = run.segments[0];
    expect(seg.steps.map((s) => s.kind)).toEqual(['forward', 'forward', 'forward', 'forward', 'backward', 'backward', 'backward', 'backward', 'backward', 'backward']);
    const names = seg.steps.filter((s) => s.kind === 'backward').map((s) => (s.kind === 'backward' ? run.backwards[s.backward].execs[s.exec].exec.name : ''));
    expect(names).toEqual(['SubBackward0', 'PowBackward0', 'AccumulateGrad', 'MulBackward0', 'PowBackward0', 'AccumulateGrad']);
  });

  it('attaches an accumulate reported before its node-exec to that step', () => {
    const b = run.backwards[0];
    expect(b.execs[2].accumulates.map((a) => a.tensor)).toEqual([2]);
    expect(b.execs[5].accumulates.map((a) => a.tensor)).toEqual([1]);
    // b.grad is not visible before the AccumulateGrad step (position 7), and is after it.
    const seg = run.segments[0];
    expect(gradAt(run.tensors[2], frameAt(run, 0, 6).seq)).toBeNull();
    expect(formatValue(gradAt(run.tensors[2], frameAt(run, 0, 7).seq)!)).toBe('[-12, -8]');
    expect(formatValue(gradAt(run.tensors[1], frameAt(run, 0, seg.steps.length).seq)!)).toBe('[36, 81]');
  });

  it('says where the stepper is', () => {
    expect(statusText(frameAt(run, 0, 0))).toBe('Forward step 0 of 4');
    expect(statusText(frameAt(run, 0, 2))).toBe('Forward step 2 of 4');
    expect(statusText(frameAt(run, 0, 7))).toBe('Backward step 3 of 6');
    expect(statusText(frameAt(run, 0, 99))).toBe('Backward step 6 of 6');
  });

  it('shows op values only from their step on', () => {
    const q = run.tensors[6];
    expect(frameAt(run, 0, 3).seq).toBeLessThan(q.seq);
    expect(formatValue(valueAt(q, frameAt(run, 0, 4).seq)!)).toBe('[-12, 65]');
  });

  it('gives the gradient flowing into an intermediate tensor once its node ran', () => {
    const seg = run.segments[0];
    const pow = run.tensors[3];
    expect(tensorGradAt(run, seg, pow, frameAt(run, 0, 8).seq)).toBeNull();
    expect(formatValue(tensorGradAt(run, seg, pow, frameAt(run, 0, 9).seq)!)).toBe('[3, 3]');
  });

  it('is pure: batches give the same model as one replay, and never mutate the previous state', () => {
    let state = emptyRun();
    const snapshots: string[] = [];
    for (let i = 0; i < events.length; i += 3) {
      const before = JSON.stringify(state);
      const next = reduceRun(state, events.slice(i, i + 3));
      expect(JSON.stringify(state)).toBe(before);
      snapshots.push(before);
      state = next;
    }
    expect(state).toEqual(run);
  });
});

describe('graphs', () => {
  it('draws the forward graph with constants, slots and the root', () => {
    const g = buildGraph(buildRun(tutorialEvents()), 0, 'forward');
    expect(g.nodes.map((n) => `${n.kind}:${n.label}`).sort()).toEqual(
      ['const:2', 'const:3', 'const:3', 'leaf:a', 'leaf:b', 'op:Q', 'op:mul', 'op:pow', 'op:pow'].sort(),
    );
    expect(g.nodes.find((n) => n.label === 'Q')!.isRoot).toBe(true);
    expect(g.edges).toHaveLength(8);
  });

  it('draws a * a as two edges', () => {
    const g = buildGraph(buildRun(fanoutEvents()), 0, 'forward');
    const xy = g.edges.filter((e) => e.from === 't1' && e.to === 't2');
    expect(xy.map((e) => [e.slot, e.parallel])).toEqual([[0, 0], [1, 1]]);
  });

  it('draws the backward graph as torchviz does: grad_fn nodes, AccumulateGrad with its leaf, the root', () => {
    const g = buildGraph(buildRun(tutorialEvents()), 0, 'backward');
    expect(g.nodes.map((n) => `${n.kind}:${n.label}`).sort()).toEqual(
      ['accumulate:AccumulateGrad', 'accumulate:AccumulateGrad', 'grad:MulBackward0', 'grad:PowBackward0', 'grad:PowBackward0', 'grad:SubBackward0', 'leaf:a', 'leaf:b', 'root:Q'].sort(),
    );
    const acc = g.nodes.filter((n) => n.kind === 'accumulate').map((n) => n.detail).sort();
    expect(acc).toEqual(['for a', 'for b']);
    // Along next_functions: SubBackward0 → MulBackward0 and → PowBackward0.
    expect(g.edges.filter((e) => e.from === 'g6').map((e) => e.to)).toEqual(['g3', 'g5']);
  });

  it('sums a fan-out: AccumulateGrad(x) gets three contributions', () => {
    const run = buildRun(fanoutEvents());
    const acc = run.backwards[0].execs[2];
    expect(acc.exec.contributions).toHaveLength(3);
    expect(formatValue(gradAt(run.tensors[1], run.lastSeq)!)).toBe('7');
  });
});

describe('loops', () => {
  const run = buildRun(loopEvents(), LOOP_PROGRAM);
  it('starts a segment per iteration and one after the loop', () => {
    expect(run.segments.map((s) => `${s.kind}${s.iteration ?? ''}`)).toEqual(['main', 'iteration0', 'iteration1', 'after-loop']);
    expect(run.prints[0].segment).toBe(3);
  });
  it('labels iterations by the loop variable as the program counts, else from 1', () => {
    const { events, stop } = collect(engineEvents);
    try {
      runProgram('import torch\nw = torch.ones(2, requires_grad=True)\nfor t in range(2):\n    (w * t).sum().backward()\nfor p in [w]:\n    p.grad.zero_()\n');
    } finally {
      stop();
    }
    const r = buildRun(events);
    expect(r.segments.filter((s) => s.kind === 'iteration').map((s) => segmentLabel(s))).toEqual(['Iteration t = 0', 'Iteration t = 1', 'Iteration 1']);
  });
  const record = (src: string) => {
    const { events, stop } = collect(engineEvents);
    try {
      expect(runProgram(src).ok).toBe(true);
    } finally {
      stop();
    }
    return buildRun(events, src);
  };
  const labels = (r: ReturnType<typeof buildRun>) => r.segments.map((s) => segmentLabel(s));

  it("a loop nested in an iteration after its backward pass (the tutorial's parameter update) is part of that iteration", () => {
    const r = record(`import torch
model = torch.nn.Linear(2, 1)
x = torch.ones(4, 2)
for t in range(3):
    loss = model(x).pow(2).sum()
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= 0.1 * param.grad
print(loss.item())
`);
    expect(labels(r)).toEqual(['Before the loop', 'Iteration t = 0', 'Iteration t = 1', 'Iteration t = 2', 'After the loop']);
    // Each iteration holds its two in-place updates.
    expect(r.segments.slice(1, 4).map((s) => s.inplaces.length)).toEqual([2, 2, 2]);
  });

  it("epochs of batches from a generator, with d2l's sgd helper: entries by epoch and batch, each batch's data in its own entry", () => {
    const r = record(`import torch
def data_iter(X, y, bs):
    for i in range(0, len(X), bs):
        yield X[i:i + bs], y[i:i + bs]
def sgd(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()
X = torch.arange(8.).reshape(4, 2)
y = torch.ones(4)
w = torch.zeros(2, requires_grad=True)
for epoch in range(2):
    for xb, yb in data_iter(X, y, 2):
        l = ((xb @ w - yb) ** 2).sum()
        l.backward()
        sgd([w], 0.01)
    with torch.no_grad():
        print(epoch, ((X @ w - y) ** 2).mean().item())
`);
    expect(labels(r)).toEqual([
      'Before the loop',
      'epoch = 0 · Iteration 1', 'epoch = 0 · Iteration 2', 'epoch = 0 · After the loop',
      'epoch = 1 · Iteration 1', 'epoch = 1 · Iteration 2', 'epoch = 1 · After the loop',
    ]);
    // The generator's slices for a batch are made in that batch's entry (its loop asks for them).
    const slices = (s: (typeof r.segments)[number]) => s.ops.filter((i) => r.ops[i].pos?.line === 4).length;
    expect(r.segments.map(slices)).toEqual([0, 2, 2, 0, 2, 2, 0]);
    expect(r.segments.map((s) => s.backwards.length)).toEqual([0, 1, 1, 0, 1, 1, 0]);
  });

  it('finds where a loop body ends from the indentation', () => {
    expect(loopEndLine(LOOP_PROGRAM, { line: 3, col: 1, endLine: 3, endCol: 18 })).toBe(8);
    expect(loopEndLine('for i in range(2):\n    x = 1\n\n    # c\n    y = 2\nz = 3\n', { line: 1, col: 1 })).toBe(5);
  });
  it('rebuilds the graph each iteration: new op tensors, the same leaf', () => {
    const g1 = buildGraph(run, 1, 'forward');
    const g2 = buildGraph(run, 2, 'forward');
    const ops1 = g1.nodes.filter((n) => n.kind === 'op').map((n) => n.tensor);
    const ops2 = g2.nodes.filter((n) => n.kind === 'op').map((n) => n.tensor);
    expect(ops1.some((t) => ops2.includes(t))).toBe(false);
    expect(g1.nodes.find((n) => n.label === 'w')!.kind).toBe('leaf');
    expect(g2.nodes.find((n) => n.label === 'w')!.kind).toBe('leaf');
  });
  it('marks the no_grad update as not recorded', () => {
    const g = buildGraph(run, 1, 'forward');
    const upd = g.nodes.find((n) => n.kind === 'inplace')!;
    expect(upd.recorded).toBe(false);
    expect(upd.label).toBe('w -= 0.1 * w.grad');
    // The no_grad temporary `0.1 * w.grad` is folded into the update: not a node, not a step.
    expect(g.nodes.filter((n) => n.kind === 'op').map((n) => n.label)).toEqual(['mul', 'sub', 'loss']);
    expect(run.segments[1].steps.map((s) => s.kind)).toEqual(['forward', 'forward', 'forward', 'backward', 'backward', 'backward', 'backward', 'inplace']);
  });
  it('counts in-place updates as their own phase', () => {
    expect(statusText(frameAt(run, 1, 3))).toBe('Forward step 3 of 3');
    expect(statusText(frameAt(run, 1, 7))).toBe('Backward step 4 of 4');
    expect(statusText(frameAt(run, 1, 8))).toBe('Update step 1 of 1');
  });
  it('shows w.grad cleared by w.grad = None', () => {
    const seg = run.segments[1];
    const w = run.tensors[1];
    expect(gradAt(w, seg.endSeq)).toBeNull();
    expect(formatValue(gradAt(w, frameAt(run, 1, 7).seq)!)).toBe('4');
    expect(gradAt(w, frameAt(run, 1, 8).seq)).toBeNull();
  });
});
