// d3-dag's Sugiyama layout with its fast operators, for graphs too big for dagre within a frame budget.
// Chosen by measurement on the real ResNet-18 event graphs (app/graph/layoutBench.ts; figures in layout.ts).
import { coordSimplex, coordCenter, decrossTwoLayer, graph as mutGraph, layeringLongestPath, sugiyama, twolayerAgg, aggMedian, type MutGraphNode } from 'd3-dag';
import type { GraphModel } from './model';
import type { Size } from './nodeSize';
import { LAYOUT_SPACING, type Layout, type NodeBox, type Point } from './layout';

export type SugiyamaCoord = 'simplex' | 'center';

interface NodeDatum {
  key: string;
  size: Size;
}

/**
 * Note: longest-path layering (linear) and one median sweep pass (two-layer, agg median) instead of
 * network-simplex layering and dagre's 24 barycenter sweeps. coordSimplex keeps long chains straight
 * (the look of a network); coordCenter is the fallback past SIMPLEX_COORD_MAX nodes, where the LP grows.
 */
export function layoutSugiyama(g: GraphModel, sizeOf: (key: string) => Size, coord: SugiyamaCoord = g.nodes.length > SIMPLEX_COORD_MAX ? 'center' : 'simplex'): Layout {
  if (g.nodes.length === 0) return { nodes: {}, edges: {}, width: 0, height: 0 };
  const dag = mutGraph<NodeDatum, string>();
  const byKey = new Map<string, MutGraphNode<NodeDatum, string>>();
  for (const n of g.nodes) byKey.set(n.key, dag.node({ key: n.key, size: sizeOf(n.key) }));
  for (const e of g.edges) {
    const [from, to] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from];
    const a = byKey.get(from);
    const b = byKey.get(to);
    if (a && b && a !== b) dag.link(a, b, e.key);
  }
  let maxH = 0;
  for (const n of g.nodes) maxH = Math.max(maxH, sizeOf(n.key).height);
  const layout = sugiyama()
    .layering(layeringLongestPath())
    .decross(decrossTwoLayer().order(twolayerAgg().aggregator(aggMedian)).passes(1))
    .coord(coord === 'simplex' ? coordSimplex() : coordCenter())
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
  return { nodes, edges, width: width + 2 * mx, height: height + 2 * my };
}

/** Past this many nodes coordSimplex's linear program costs more than the rest of the layout. */
export const SIMPLEX_COORD_MAX = 900;
