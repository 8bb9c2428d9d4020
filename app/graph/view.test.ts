import { describe, expect, it } from 'vitest';
import { buildRun } from '../store/reduce';
import { frameAt } from '../store/frame';
import { fanoutEvents, tutorialEvents } from '../store/fixtures/events';
import { buildGraph } from './buildGraph';
import { activeNodeKey, nodeName, nodeView, resolveSelection } from './view';

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
