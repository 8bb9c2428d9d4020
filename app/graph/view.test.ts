import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../../engine/events';
import { events as engineEvents } from '../../engine/index';
import { runProgram } from '../../engine/lang/run';
import { stepCaption } from '../panels/stepText';
import { buildRun } from '../store/reduce';
import { frameAt } from '../store/frame';
import { fanoutEvents, tutorialEvents } from '../store/fixtures/events';
import { buildGraph } from './buildGraph';
import { activeNodeKey, nodeName, nodeView, resolveSelection } from './view';

/** The run model of a program, from the engine's events as the app receives them. */
function recordRun(source: string): ReturnType<typeof buildRun> {
  const got: GraphEvent[] = [];
  const stop = engineEvents.subscribe((e) => got.push(e));
  try {
    expect(runProgram(source).ok).toBe(true);
  } finally {
    stop();
  }
  return buildRun(got, source);
}

const names = (events: ReturnType<typeof tutorialEvents>, view: 'forward' | 'backward', position: number) => {
  const run = buildRun(events);
  const g = buildGraph(run, 0, view);
  const f = frameAt(run, 0, position);
  return Object.fromEntries(g.nodes.map((n) => [n.key, nodeName(n, nodeView(run, f, n), run)]));
};

describe('accessible names of nodes', () => {
  it('start with the label, then value, then the gradient once reached', () => {
    const end = names(tutorialEvents(), 'forward', 99);
    expect(end.t1).toBe('a, leaf, value [2, 3], grad [36, 81], current step');
    expect(end.t2).toBe('b, leaf, value [6, 4], grad [-12, -8]');
    expect(end.t6).toBe('Q, sub, root, value [-12, 65], grad [1, 1]');
    expect(end.t3).toBe('pow, value [8, 27], grad [3, 3]');
    const start = names(tutorialEvents(), 'forward', 0);
    expect(start.t6).toBe('Q, sub, root, not reached yet');
    expect(start.t1).toBe('a, leaf, value [2, 3]');
  });

  it('name grad_fn nodes in the backward view, with what they received', () => {
    const mid = names(tutorialEvents(), 'backward', 7);
    expect(mid.g6).toBe('SubBackward0, Q, grad [1, 1]');
    expect(mid.g4).toBe('AccumulateGrad, for b, grad [-12, -8], current step');
    expect(mid.g1).toBe('AccumulateGrad, for a, not run yet');
  });

  it('the current step is the node the stepper is on, in either view', () => {
    const run = buildRun(tutorialEvents());
    expect(activeNodeKey(run, frameAt(run, 0, 9), buildGraph(run, 0, 'backward'))).toBe('g2');
    expect(activeNodeKey(run, frameAt(run, 0, 9), buildGraph(run, 0, 'forward'))).toBe('t3');
  });

  it('keeps a selection across views: a forward op selects its grad_fn', () => {
    const run = buildRun(tutorialEvents());
    const sel = { key: 't4', tensor: 4, gradNode: 3 };
    expect(resolveSelection(buildGraph(run, 0, 'backward'), sel)).toBe('g3');
    expect(resolveSelection(buildGraph(run, 0, 'forward'), { key: 'g3', tensor: 4, gradNode: 3 })).toBe('t4');
  });

  it('says how many contributions were summed at a fan-out', () => {
    const run = buildRun(fanoutEvents());
    const g = buildGraph(run, 0, 'backward');
    const acc = g.nodes.find((n) => n.kind === 'accumulate')!;
    expect(nodeView(run, frameAt(run, 0, 99), acc).summed).toBe(3);
  });
});

describe('tensor hooks', () => {
  const source = `import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 3
y.register_hook(lambda g: g * 10)
x.register_hook(lambda g: None)
z = (y * y).sum()
z.backward()
`;
  const record = () => recordRun(source);

  it('name the gradient a hook changed, and the one a hook only looked at', () => {
    const run = record();
    const end = frameAt(run, 0, Number.MAX_SAFE_INTEGER);
    const g = buildGraph(run, 0, 'forward');
    const name = (label: string) => {
      const n = g.nodes.find((m) => m.label === label)!;
      return nodeName(n, nodeView(run, end, n), run);
    };
    // y = x * 3 gets 2y = [6, 12] from z; its hook returns [60, 120], so x.grad = 3 · [60, 120].
    expect(name('y')).toContain('grad [60, 120], a hook changed it from [6, 12]');
    expect(name('x')).toContain('grad [180, 360], a hook ran on it and kept it');
    expect(name('z')).not.toContain('hook');
    const before = frameAt(run, 0, 0);
    const y = g.nodes.find((m) => m.label === 'y')!;
    expect(nodeView(run, before, y).hooked).toBeNull();
  });

  it('say so in the step caption of the node the hook ran before', () => {
    const run = record();
    const captions: string[] = [];
    for (let i = 0; i <= 30; i++) captions.push(stepCaption(run, frameAt(run, 0, i)));
    expect(captions).toContain('MulBackward0 received grad [6, 12] (sum of 2 contributions); a hook changed it to [60, 120]; sends [180, 360] → AccumulateGrad');
    expect(captions.some((c) => c.startsWith('AccumulateGrad: x.grad = [180, 360] (a hook ran on it and kept it)'))).toBe(true);
  });
});

describe('create_graph=True on the canvas', () => {
  const source = `import torch
x = torch.tensor([1., 2.], requires_grad=True)
y = (x ** 3).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
z = (g * g).sum()
z.backward()
`;
  const record = () => recordRun(source);

  it("draws the gradient's graph: g is an op of x, and z's backward reaches x through it", () => {
    const run = record();
    const graph = buildGraph(run, 0, 'forward');
    const node = (label: string) => graph.nodes.find((n) => n.label === label);
    const g = node('g');
    expect(g).toBeDefined();
    // g = grad · (3 · x²): its inputs come from the implicit ones_like seed and from x through pow.
    const into = graph.edges.filter((e) => e.to === g!.key).map((e) => graph.nodes.find((n) => n.key === e.from)?.label);
    expect(into.length).toBe(2);
    const end = frameAt(run, 0, Number.MAX_SAFE_INTEGER);
    expect(nodeName(node('x')!, nodeView(run, end, node('x')!), run)).toContain('grad [36, 288]');
    expect(nodeName(g!, nodeView(run, end, g!), run)).toContain('value [3, 12]');
  });

  it("says autograd.grad returns the leaf's gradient without setting .grad", () => {
    const run = record();
    const captions: string[] = [];
    for (let i = 0; i <= 40; i++) captions.push(stepCaption(run, frameAt(run, 0, i)));
    expect(captions).toContain("AccumulateGrad: x's gradient [3, 12] is returned by autograd.grad; x.grad is unchanged");
    expect(captions).toContain('AccumulateGrad: x.grad = [36, 288]');
  });
});

describe('a node with several outputs (chunk)', () => {
  const source = `import torch
x = torch.tensor([1., 2., 3., 4.], requires_grad=True)
a, b = (x * 1).chunk(2)
loss = (a * 3).sum()
loss.backward()
`;

  it('is one SplitBackward0 in the backward view, drawn once, naming its outputs', () => {
    const run = recordRun(source);
    const g = buildGraph(run, 0, 'backward');
    const splits = g.nodes.filter((n) => n.label === 'SplitBackward0');
    expect(splits).toHaveLength(1);
    expect(splits[0].detail).toBe('a, b');
    // One edge from it to MulBackward0 (x * 1), not one per piece.
    expect(g.edges.filter((e) => e.from === splits[0].key)).toHaveLength(1);
    // In the forward view each piece is its own tensor.
    const f = buildGraph(run, 0, 'forward');
    expect(f.nodes.filter((n) => n.label === 'a' || n.label === 'b').map((n) => n.detail)).toEqual(['split', 'split']);
  });

  it('shows each piece its own gradient (none for the unused one), and says so in the step caption', () => {
    const run = recordRun(source);
    const f = buildGraph(run, 0, 'forward');
    const end = frameAt(run, 0, 99);
    const byLabel = (l: string) => nodeName(f.nodes.find((n) => n.label === l)!, nodeView(run, end, f.nodes.find((n) => n.label === l)!), run);
    expect(byLabel('a')).toBe('a, split, value [1, 2], grad [3, 3]');
    expect(byLabel('b')).toBe('b, split, value [3, 4]');
    const b = run.backwards[0];
    const at = b.execs.findIndex((x) => x.exec.name === 'SplitBackward0');
    const seq = b.execs[at].seq;
    let pos = 0;
    while (frameAt(run, 0, pos).seq < seq) pos++;
    expect(stepCaption(run, frameAt(run, 0, pos))).toBe('SplitBackward0 received grads a [3, 3], b none (zeros); sends [3, 3, 0, 0] → MulBackward0');
  });
});

describe('module backward hooks on the canvas', () => {
  // PyTorch 1.13 prints x.grad = [[-0.0529, 3.7932]] here: the hook multiplies the input's gradient by 10.
  const source = `import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Linear(2, 1)
m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 10,))
x = torch.tensor([[1., 2.]], requires_grad=True)
y = m(x)
y.sum().backward()
`;

  it("draws the BackwardHookFunctionBackward nodes around the module's op, as next_functions has them", () => {
    const run = recordRun(source);
    const g = buildGraph(run, 0, 'backward');
    const label = (key: string) => g.nodes.find((n) => n.key === key)?.label;
    const hooks = g.nodes.filter((n) => n.label === 'BackwardHookFunctionBackward');
    expect(hooks.length).toBe(2);
    // y's grad_fn (the output's hook node) feeds AddmmBackward0, which feeds the input's hook node, then x's AccumulateGrad.
    const into = (key: string) => g.edges.filter((e) => e.from === key).map((e) => label(e.to));
    const output = hooks.find((n) => into(n.key).includes('AddmmBackward0'))!;
    expect(output).toBeDefined();
    const addmm = g.nodes.find((n) => n.label === 'AddmmBackward0')!;
    expect(into(addmm.key)).toContain('BackwardHookFunctionBackward');
    const input = hooks.find((n) => n !== output)!;
    expect(into(input.key)).toEqual(['AccumulateGrad']);
  });

  it('says the hook changed what the input node sends', () => {
    const run = recordRun(source);
    const captions: string[] = [];
    for (let i = 0; i <= 30; i++) captions.push(stepCaption(run, frameAt(run, 0, i)));
    expect(captions).toContain(
      'BackwardHookFunctionBackward received grads output 0 [[-0.005294, 0.3793]]; sends [[-0.05294, 3.793]] → AccumulateGrad (a hook after the node changed it from [[-0.005294, 0.3793]])',
    );
  });
});
