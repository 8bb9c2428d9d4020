// d3-dag's Sugiyama layout with its fast operators, for graphs too big for dagre within a frame budget.
// Chosen by measurement on the real ResNet-18 event graphs (app/graph/layoutBench.ts; figures in layout.ts).
import { coordSimplex, coordCenter, coordGreedy, decrossTwoLayer, graph as mutGraph, sugiyama, twolayerAgg, aggMedian, type MutGraphNode } from 'd3-dag';
import type { GraphModel } from './model';
import type { Size } from './nodeSize';
import { LAYOUT_SPACING, type Layout, type NodeBox, type Point } from './layout';

export type SugiyamaCoord = 'simplex' | 'center' | 'greedy';

interface NodeDatum {
  key: string;
  size: Size;
}

/**
 * Note: a linear-time layering (compactLayers below) and one median sweep (two-layer, agg median)
 * instead of network-simplex layering and dagre's 24 barycenter sweeps. d3-dag's own longest-path
 * layering puts every parameter on the top layer and every optimizer update on the bottom one: on
 * ResNet-18's forward graph that is ~4,000 dummy nodes and 13-20 s of coordSimplex. Coordinates:
 * coordCenter (each layer centred) is the fastest and the most compact; coordSimplex draws straighter
 * chains but costs 160 ms on ResNet-18's forward graph; coordGreedy drifts diagonally. Figures in layout.ts.
 */
export function layoutSugiyama(g: GraphModel, sizeOf: (key: string) => Size, coord: SugiyamaCoord = 'center'): Layout {
  if (g.nodes.length === 0) return { nodes: {}, edges: {}, width: 0, height: 0 };
  const layers = compactLayers(g);
  if (!layers) throw new Error('layoutSugiyama: the graph has a cycle');
  const dag = mutGraph<NodeDatum, string>();
  const byKey = new Map<string, MutGraphNode<NodeDatum, string>>();
  for (const n of g.nodes) byKey.set(n.key, dag.node({ key: n.key, size: sizeOf(n.key) }));
  // Note: an edge spanning many layers becomes one dummy node per layer in Sugiyama's method. A tensor
  // read all along a long chain (x in `sum([x * i for i in range(700)])`) makes ~250,000 of them and a
  // layout of minutes; such edges are left out of the layering and crossing minimisation and drawn
  // afterwards as direct curves.
  const long: { key: string; from: string; to: string }[] = [];
  for (const e of g.edges) {
    const [from, to] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from];
    const a = byKey.get(from);
    const b = byKey.get(to);
    if (!a || !b || a === b) continue;
    if (layers.get(to)! - layers.get(from)! > LONG_EDGE_LAYERS) long.push({ key: e.key, from, to });
    else dag.link(a, b, e.key);
  }
  let maxH = 0;
  for (const n of g.nodes) maxH = Math.max(maxH, sizeOf(n.key).height);
  const layering = (dag: { nodes(): Iterable<{ data: NodeDatum; y: number }> }) => {
    let max = 0;
    for (const n of dag.nodes()) max = Math.max(max, (n.y = layers.get(n.data.key)!));
    return max;
  };
  const layout = sugiyama()
    .layering(layering as never)
    .decross(decrossTwoLayer().order(twolayerAgg().aggregator(aggMedian)).passes(1))
    .coord(coord === 'simplex' ? coordSimplex() : coord === 'greedy' ? coordGreedy() : coordCenter())
    // Every layer gets the tallest node's height, so ranks line up as in dagre.
    .nodeSize((node: { data: NodeDatum }) => [node.data.size.width, maxH] as const)
    .gap([LAYOUT_SPACING.nodesep, LAYOUT_SPACING.ranksep]);
  const { width, height } = layout(dag as never);
  const mx = LAYOUT_SPACING.marginx;
  const my = LAYOUT_SPACING.marginy;
  const nodes: Record<string, NodeBox> = {};
  for (const n of dag.nodes()) {
    const { key, size } = n.data;
    nodes[key] = { key, x: n.x + mx, y: n.y + my, width: size.width, height: size.height };
  }
  const edges: Layout['edges'] = {};
  for (const l of dag.links()) {
    let points: Point[] = l.points.map(([x, y]) => ({ x: x + mx, y: y + my }));
    // Start and end at the boxes' borders (d3-dag routes centre to centre).
    const s = nodes[l.source.data.key];
    const t = nodes[l.target.data.key];
    if (points.length >= 2) {
      points[0] = { x: points[0].x, y: s.y + s.height / 2 };
      points[points.length - 1] = { x: points[points.length - 1].x, y: t.y - t.height / 2 };
    }
    if (g.flow === 'up') points = points.reverse();
    edges[l.data] = { key: l.data, points };
  }
  for (const e of long) {
    const s = nodes[e.from];
    const t = nodes[e.to];
    const a = { x: s.x, y: s.y + s.height / 2 };
    const b = { x: t.x, y: t.y - t.height / 2 };
    // Leave downwards, arrive from above: the curve reads as the same direction as every other edge.
    const bend = Math.min(120, (b.y - a.y) / 3);
    let points: Point[] = [a, { x: a.x, y: a.y + bend }, { x: b.x, y: b.y - bend }, b];
    if (g.flow === 'up') points = points.reverse();
    edges[e.key] = { key: e.key, points };
  }
  return { nodes, edges, width: width + 2 * mx, height: height + 2 * my };
}

/** Edges spanning more layers than this are drawn as direct curves, outside the layered layout. */
export const LONG_EDGE_LAYERS = 8;

/**
 * Layers for a layered drawing in O(V + E): longest path from the top, then one pass bottom-up that
 * moves every node with no more inputs than outputs down to just above its first consumer (a
 * parameter, a number, the transposed weight of a Linear: each sits right above the op that uses it),
 * then sinks fed only by such nodes (an optimizer's in-place update of a parameter) just below them.
 * Returns null on a cycle.
 */
export function compactLayers(g: GraphModel): Map<string, number> | null {
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const n of g.nodes) {
    succ.set(n.key, []);
    pred.set(n.key, []);
  }
  for (const e of g.edges) {
    const [from, to] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from];
    if (from === to || !succ.has(from) || !succ.has(to)) continue;
    succ.get(from)!.push(to);
    pred.get(to)!.push(from);
  }
  const isSource = (k: string) => pred.get(k)!.length === 0;
  const hanging = new Set(g.nodes.map((n) => n.key).filter((k) => succ.get(k)!.length === 0 && pred.get(k)!.length > 0 && pred.get(k)!.every(isSource)));
  const keys = g.nodes.map((n) => n.key).filter((k) => !hanging.has(k));
  const indeg = new Map<string, number>();
  for (const k of keys) indeg.set(k, pred.get(k)!.length);
  const layer = new Map<string, number>();
  const order = keys.filter((k) => indeg.get(k) === 0);
  for (const k of order) layer.set(k, 0);
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    for (const c of succ.get(k)!) {
      if (hanging.has(c)) continue;
      layer.set(c, Math.max(layer.get(c) ?? 0, layer.get(k)! + 1));
      const d = indeg.get(c)! - 1;
      indeg.set(c, d);
      if (d === 0) order.push(c);
    }
  }
  if (order.length !== keys.length) return null;
  const placed = new Set<string>();
  for (let i = order.length - 1; i >= 0; i--) {
    const k = order[i];
    const below = succ.get(k)!.filter((c) => !hanging.has(c));
    if (below.length === 0 || pred.get(k)!.length > below.length) continue;
    let min = Infinity;
    for (const c of below) min = Math.min(min, layer.get(c)!);
    layer.set(k, Math.max(layer.get(k)!, min - 1));
    placed.add(k);
  }
  for (const k of hanging) {
    const from = pred.get(k)!.filter((p) => succ.get(p)!.some((c) => !hanging.has(c)));
    layer.set(k, from.length ? Math.max(...from.map((p) => layer.get(p)!)) + 1 : 1);
  }
  // Sources that only feed hanging sinks (a gradient read by an update) sit right above them.
  for (const k of keys) {
    if (!isSource(k) || succ.get(k)!.some((c) => !hanging.has(c)) || succ.get(k)!.length === 0) continue;
    layer.set(k, Math.min(...succ.get(k)!.map((c) => layer.get(c)!)) - 1);
  }
  let min = Infinity;
  for (const v of layer.values()) min = Math.min(min, v);
  for (const [k, v] of layer) layer.set(k, v - min);
  return layer;
}
