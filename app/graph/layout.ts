// Layered DAG layout with dagre, for small graphs and folded ones (app/graph/layoutChoice.ts picks).
//
// Note: first measurements (medians of 11 runs in Node, 130x62 nodes, same spacing for all three):
//   graph (nodes/edges)        dagre                    elkjs layered            d3-dag sugiyama (simplex, two-layer)
//   tutorial forward (9/8)      5.1 ms, 0 crossings      20.0 ms, 0 crossings     2.5 ms, 0 crossings
//   polyfit iteration (17/18)  10.4 ms, 0                22.2 ms, 0               8.9 ms, 1
//   resnet-like (97/104)       44.2 ms, 0, 8.4 Mpx²      84.7 ms, 0, 11.2 Mpx²    21.5 ms, 0, 3.8 Mpx²
//   random DAG (600/908)        952 ms, 450              365 ms, 248              3496 ms, 250
// Then on the real ResNet-18 event graphs (the Examples' step program, app node sizes; medians in
// Chromium's page, scripts/bench-browser.ts; Node figures from layoutBench.ts agree within ~2x):
//   graph (nodes)                  dagre     elkjs     d3-dag compact+center   d3-dag compact+simplex
//   forward unfolded (260)         165 ms    338 ms    17 ms                   128 ms
//   backward unfolded (197)         56 ms    128 ms     6 ms                    96 ms
//   forward folded (15)              3 ms     27 ms     0.3 ms                  0.8 ms
//   sum of 699 products (2,100)    minutes   -        570-730 ms              -
// d3-dag's default layering (network simplex) took 227 ms on the forward graph, its longest-path
// layering 13-20 s (every parameter on the top layer: ~4,000 dummy nodes). Hence: dagre up to
// FAST_LAYOUT_NODES (no crossings on graphs shaped like ours, clusters for expanded modules, a
// multigraph so `a * a` keeps two edges), d3-dag with a linear layering (layoutSugiyama.ts) beyond,
// in the layout worker. Saved tensors are not drawn, so no saved-tensor edge enters any layout.
import dagre from '@dagrejs/dagre';
import type { GraphModel } from './model';
import type { Size } from './nodeSize';

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  key: string;
  x: number; // centre
  y: number;
  width: number;
  height: number;
}

export interface EdgePath {
  key: string;
  points: Point[];
}

export interface Layout {
  nodes: Record<string, NodeBox>;
  edges: Record<string, EdgePath>;
  width: number;
  height: number;
  /** Frames of expanded modules (centre, size), by cluster key. */
  clusters?: Record<string, NodeBox>;
  /** Which layout made it and how long it took (shown as data attributes for the benchmarks). */
  stats?: { engine: string; ms: number };
}

/** Height of an expanded module's title tab (drawn on the frame's top border). */
export const CLUSTER_HEADER = 20;
export const CLUSTER_PAD = 14;

export const LAYOUT_SPACING = { nodesep: 26, ranksep: 40, edgesep: 14, marginx: 16, marginy: 16 };

export function layoutGraph(g: GraphModel, sizeOf: (key: string) => Size): Layout {
  if (g.nodes.length === 0) return { nodes: {}, edges: {}, width: 0, height: 0 };
  const compound = (g.clusters?.length ?? 0) > 0;
  const d = new dagre.graphlib.Graph({ multigraph: true, directed: true, compound });
  d.setGraph({ rankdir: 'TB', ...LAYOUT_SPACING, ranker: 'network-simplex' });
  d.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) d.setNode(n.key, { ...sizeOf(n.key) });
  if (compound) {
    // Expanded modules as dagre clusters: their nodes are kept together inside one frame.
    for (const c of g.clusters!) d.setNode(c.key, { paddingTop: CLUSTER_HEADER, paddingLeft: CLUSTER_PAD, paddingRight: CLUSTER_PAD, paddingBottom: CLUSTER_PAD });
    for (const c of g.clusters!) if (c.parent) d.setParent(c.key, c.parent);
    for (const n of g.nodes) if (n.cluster && d.hasNode(n.cluster)) d.setParent(n.key, n.cluster);
  }
  for (const e of g.edges) {
    const [from, to] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from];
    // Attach edges (leaf → AccumulateGrad) and seeds are short; others leave room for a shape label.
    d.setEdge(from, to, { minlen: 1, weight: e.kind === 'attach' ? 4 : 1, width: 0, height: 0 }, e.key);
  }
  dagre.layout(d);
  const nodes: Record<string, NodeBox> = {};
  const clusters: Record<string, NodeBox> = {};
  const clusterKeys = new Set(g.clusters?.map((c) => c.key) ?? []);
  for (const key of d.nodes()) {
    const n = d.node(key) as unknown as NodeBox;
    if (clusterKeys.has(key)) clusters[key] = { key, x: n.x, y: n.y, width: n.width, height: n.height };
    else nodes[key] = { key, x: n.x, y: n.y, width: n.width, height: n.height };
  }
  const edges: Record<string, EdgePath> = {};
  for (const e of g.edges) {
    const [from, to] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from];
    const de = d.edge({ v: from, w: to, name: e.key }) as unknown as { points?: Point[] } | undefined;
    let points = de?.points?.map((p) => ({ x: p.x, y: p.y })) ?? [
      { x: nodes[from].x, y: nodes[from].y },
      { x: nodes[to].x, y: nodes[to].y },
    ];
    if (g.flow === 'up') points = points.reverse();
    edges[e.key] = { key: e.key, points };
  }
  const gg = d.graph() as { width?: number; height?: number };
  const out: Layout = { nodes, edges, width: gg.width ?? 0, height: gg.height ?? 0 };
  if (compound) out.clusters = clusters;
  return out;
}
