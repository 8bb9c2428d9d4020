import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../../engine/events';
import { events as engineEvents } from '../../engine/index';
import { runProgram } from '../../engine/lang/run';
import { buildRun } from '../store/reduce';
import { buildGraph } from './buildGraph';
import { layoutGraph, type Layout } from './layout';
import { nodeSize } from './nodeSize';
import { parallelRoutes } from './parallel';

function laidOut(source: string, view: 'forward' | 'backward') {
  const got: GraphEvent[] = [];
  const stop = engineEvents.subscribe((e) => got.push(e));
  try {
    expect(runProgram(source).ok).toBe(true);
  } finally {
    stop();
  }
  const run = buildRun(got, source);
  const graph = buildGraph(run, 0, view);
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  return { graph, layout: layoutGraph(graph, (k) => nodeSize(run, byKey.get(k)!)) };
}

/** Where two polylines cross, sampling each as a chain of segments: none for a lens. */
function crossings(p: { x: number; y: number }[], q: { x: number; y: number }[]): number {
  let n = 0;
  const side = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) => Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
  for (let i = 0; i + 1 < p.length; i++) {
    for (let j = 0; j + 1 < q.length; j++) {
      if (side(p[i], p[i + 1], q[j]) * side(p[i], p[i + 1], q[j + 1]) < 0 && side(q[j], q[j + 1], p[i]) * side(q[j], q[j + 1], p[i + 1]) < 0) n++;
    }
  }
  return n;
}

describe('parallel edges (x * x)', () => {
  for (const view of ['forward', 'backward'] as const) {
    it(`bow apart without crossing, labels on opposite sides (${view} view)`, () => {
      const { graph, layout } = laidOut('import torch\nx = torch.tensor([1., 2., 3.], requires_grad=True)\ny = (x * x).sum()\ny.backward()\n', view);
      const routes = parallelRoutes(graph.edges, layout);
      const pair = graph.edges.filter((e) => routes.has(e.key));
      expect(pair).toHaveLength(2);
      const [r0, r1] = pair.map((e) => routes.get(e.key)!);
      expect(crossings(r0.points, r1.points)).toBe(0);
      expect(new Set([r0.side, r1.side])).toEqual(new Set([-1, 1]));
      // The left one is labelled on the left, and the two middles are a label's width apart.
      const [left, right] = r0.points[2].x < r1.points[2].x ? [r0, r1] : [r1, r0];
      expect(left.side).toBe(-1);
      expect(right.points[2].x - left.points[2].x).toBeGreaterThanOrEqual(20);
      // Every other edge keeps the layout's route.
      expect(routes.size).toBe(2);
    });
  }

  it('keeps the side the layout gave each edge, even against the program order', () => {
    const layout: Layout = {
      nodes: {},
      width: 0,
      height: 0,
      edges: {
        e0: { key: 'e0', points: [{ x: 110, y: 0 }, { x: 110, y: 40 }] },
        e1: { key: 'e1', points: [{ x: 100, y: 0 }, { x: 100, y: 40 }] },
      },
    };
    const edge = (key: string, parallel: number) => ({ key, from: 'a', to: 'b', slot: parallel, kind: 'data' as const, shape: [3], appearSeq: 0, parallel, recorded: true });
    const routes = parallelRoutes([edge('e0', 0), edge('e1', 1)], layout);
    expect(routes.get('e0')!.points[2].x).toBeGreaterThan(routes.get('e1')!.points[2].x);
    expect(crossings(routes.get('e0')!.points, routes.get('e1')!.points)).toBe(0);
  });
});
