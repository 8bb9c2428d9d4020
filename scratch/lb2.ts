import { readFileSync } from 'fs';
import { buildRun } from '../app/store/reduce';
import { buildGraph } from '../app/graph/buildGraph';
import { graph as mutGraph, sugiyama, layeringLongestPath, layeringSimplex, decrossTwoLayer, decrossDfs, coordSimplex, coordCenter, coordGreedy, twolayerAgg, aggMedian } from 'd3-dag';
const { src, events } = JSON.parse(readFileSync(`/tmp/h4/events-rn.json`, 'utf8'));
const run = buildRun(events, src);
function med(f: () => any, reps = 5) { const ts: number[] = []; let out; for (let i = 0; i < reps; i++) { const t0 = performance.now(); out = f(); ts.push(performance.now() - t0); } ts.sort((a, b) => a - b); return ts[reps >> 1].toFixed(1) + 'ms/' + out; }
for (const v of ['forward', 'backward'] as const) {
  const g = buildGraph(run, 0, v);
  const mk = (lay: any, dec: any, crd: any) => () => { const d = mutGraph<any, any>(); const m = new Map(); for (const n of g.nodes) m.set(n.key, d.node(n.key)); for (const e of g.edges) { const [a, b] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from]; d.link(m.get(a), m.get(b)); } const r = sugiyama().layering(lay).decross(dec).coord(crd).nodeSize([140, 60]).gap([26, 40])(d as any); return `${Math.round(r.width)}x${Math.round(r.height)}`; };
  const bu = () => layeringLongestPath().topDown(false);
  console.log(v, g.nodes.length);
  console.log('  bottomup+2layer+simplex', med(mk(bu(), decrossTwoLayer(), coordSimplex())));
  console.log('  bottomup+2layer1+simplex', med(mk(bu(), decrossTwoLayer().passes(1), coordSimplex())));
  console.log('  bottomup+dfs+simplex', med(mk(bu(), decrossDfs(), coordSimplex())));
  console.log('  bottomup+2layer+center', med(mk(bu(), decrossTwoLayer(), coordCenter())));
  console.log('  bottomup+2layer+greedy', med(mk(bu(), decrossTwoLayer(), coordGreedy())));
  console.log('  simplexL+2layer+simplex', med(mk(layeringSimplex(), decrossTwoLayer(), coordSimplex()), 3));
}
