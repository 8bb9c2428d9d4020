import { readFileSync } from 'fs';
import { buildRun } from '../app/store/reduce';
import { buildGraph } from '../app/graph/buildGraph';
import { nodeSize } from '../app/graph/nodeSize';
import { layoutGraph } from '../app/graph/layout';
import { layoutSugiyama } from '../app/graph/layoutSugiyama';
import { graph as mutGraph, sugiyama, layeringLongestPath, layeringSimplex, decrossTwoLayer, decrossDfs, coordSimplex, coordCenter, coordGreedy } from 'd3-dag';
const { src, events } = JSON.parse(readFileSync(`/tmp/h4/events-rn.json`, 'utf8'));
const run = buildRun(events, src);
function med(f: () => void, reps = 7) { const ts: number[] = []; for (let i = 0; i < reps; i++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); } ts.sort((a, b) => a - b); return ts[reps >> 1].toFixed(1); }
for (const v of ['forward', 'backward'] as const) {
  const g = buildGraph(run, 0, v);
  const sizes: Record<string, any> = {}; for (const n of g.nodes) sizes[n.key] = nodeSize(run, n);
  const so = (k: string) => sizes[k];
  console.log(v, g.nodes.length, 'dagre', med(() => layoutGraph(g, so), 5), 'sugi-fast-simplex', med(() => layoutSugiyama(g, so, 'simplex')), 'sugi-fast-center', med(() => layoutSugiyama(g, so, 'center')));
  const mk = (lay: any, dec: any, crd: any) => () => { const d = mutGraph<any, any>(); const m = new Map(); for (const n of g.nodes) m.set(n.key, d.node(n.key)); for (const e of g.edges) { const [a, b] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from]; d.link(m.get(a), m.get(b)); } sugiyama().layering(lay).decross(dec).coord(crd).nodeSize([140, 60]).gap([26, 40])(d as any); };
  console.log('  longest+2layer+simplex', med(mk(layeringLongestPath(), decrossTwoLayer(), coordSimplex())), 'longest+dfs+simplex', med(mk(layeringLongestPath(), decrossDfs(), coordSimplex())), 'longest+2layer+greedy', med(mk(layeringLongestPath(), decrossTwoLayer(), coordGreedy())), 'simplexlayer+2layer+simplex', med(mk(layeringSimplex(), decrossTwoLayer(), coordSimplex()), 3));
}
