// Parallel edges between the same two nodes (`x * x`, `a + a`): one lens, not a twist. The layout may already
// have spread their ends apart (dagre does for a multigraph); each edge keeps the side it was given, bows out on
// that side, and says on which side its label goes so two shapes never print over each other.
import type { GraphEdge } from './model';
import type { Layout, Point } from './layout';

export interface Route {
  points: Point[];
  /** Where the edge's label goes: right of the curve (+1) or left of it (-1). */
  side: 1 | -1;
}

const GAP = 22;

export function parallelRoutes(edges: readonly GraphEdge[], layout: Layout): Map<string, Route> {
  const groups = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    if (!layout.edges[e.key] || layout.edges[e.key].points.length < 2) continue;
    const pair = `${e.from}>${e.to}`;
    const g = groups.get(pair);
    if (g) g.push(e);
    else groups.set(pair, [e]);
  }
  const out = new Map<string, Route>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const paths = group.map((e) => layout.edges[e.key].points);
    const meanX = (pts: Point[]) => pts.reduce((s, p) => s + p.x, 0) / pts.length;
    // Left to right as laid out; ties (a layout that gave them one route) by their order in the program.
    const order = group.map((e, i) => ({ e, i, x: meanX(paths[i]) })).sort((p, q) => p.x - q.x || p.e.parallel - q.e.parallel);
    const a = centre(paths.map((p) => p[0]));
    const b = centre(paths.map((p) => p[p.length - 1]));
    order.forEach(({ e }, rank) => {
      const off = (rank - (order.length - 1) / 2) * GAP;
      const start = { x: a.x + off * 0.35, y: a.y };
      const end = { x: b.x + off * 0.35, y: b.y };
      const mid = { x: (a.x + b.x) / 2 + off, y: (a.y + b.y) / 2 };
      const points = [start, { x: start.x + off * 0.6, y: start.y + (mid.y - start.y) * 0.5 }, mid, { x: end.x + off * 0.6, y: end.y - (end.y - mid.y) * 0.5 }, end];
      out.set(e.key, { points, side: off < 0 ? -1 : 1 });
    });
  }
  return out;
}

function centre(ps: Point[]): Point {
  return { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
}
