// Which layout a graph gets. Pure (runs in the layout worker and in tests).
//
// Note (measured with `npx tsx app/graph/layoutBench.ts`, figures in layout.ts): dagre draws the small
// graphs best (no crossings on every graph shaped like ours) and handles expanded modules as clusters;
// past FAST_LAYOUT_NODES its network-simplex ranking and 24 ordering sweeps cost 70-430 ms on
// ResNet-18's unfolded graphs, where d3-dag's Sugiyama with a linear layering, one median sweep and
// centred coordinates takes 5-20 ms. Frames of expanded modules are then the boxes around their nodes.
import { CLUSTER_HEADER, CLUSTER_PAD, layoutGraph, type Layout, type NodeBox } from './layout';
import { layoutSugiyama } from './layoutSugiyama';
import type { GraphModel } from './model';
import type { Size } from './nodeSize';

export const FAST_LAYOUT_NODES = 150;

export type LayoutEngine = 'dagre' | 'sugiyama';

export function layoutEngineFor(g: GraphModel): LayoutEngine {
  return g.nodes.length <= FAST_LAYOUT_NODES ? 'dagre' : 'sugiyama';
}

export function layoutAuto(g: GraphModel, sizeOf: (key: string) => Size): Layout {
  const t0 = performance.now();
  const l = pick(g, sizeOf);
  l.stats = { engine: l.stats?.engine ?? 'dagre', ms: performance.now() - t0 };
  return l;
}

function pick(g: GraphModel, sizeOf: (key: string) => Size): Layout {
  if (layoutEngineFor(g) === 'dagre') return layoutGraph(g, sizeOf);
  let l: Layout;
  try {
    l = layoutSugiyama(g, sizeOf, 'center');
  } catch {
    return layoutGraph(g, sizeOf); // a cycle: dagre breaks it
  }
  if (g.clusters?.length) l.clusters = clusterBoxes(g, l);
  l.stats = { engine: 'd3-dag', ms: 0 };
  return l;
}

/** Frames around each expanded module's nodes (inner frames first, so outer ones include them). */
export function clusterBoxes(g: GraphModel, l: Layout): Record<string, NodeBox> {
  const out: Record<string, NodeBox> = {};
  const depth = (key: string): number => {
    const c = g.clusters!.find((x) => x.key === key);
    return c?.parent ? 1 + depth(c.parent) : 0;
  };
  const order = [...g.clusters!].sort((a, b) => depth(b.key) - depth(a.key));
  for (const c of order) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const grow = (b: NodeBox, pad: number, head: number) => {
      x0 = Math.min(x0, b.x - b.width / 2 - pad);
      x1 = Math.max(x1, b.x + b.width / 2 + pad);
      y0 = Math.min(y0, b.y - b.height / 2 - head);
      y1 = Math.max(y1, b.y + b.height / 2 + pad);
    };
    for (const n of g.nodes) if (n.cluster === c.key && l.nodes[n.key]) grow(l.nodes[n.key], CLUSTER_PAD, CLUSTER_HEADER);
    for (const k of g.clusters!) if (k.parent === c.key && out[k.key]) grow(out[k.key], CLUSTER_PAD, CLUSTER_HEADER);
    if (x0 < Infinity) out[c.key] = { key: c.key, x: (x0 + x1) / 2, y: (y0 + y1) / 2, width: x1 - x0, height: y1 - y0 };
  }
  return out;
}
