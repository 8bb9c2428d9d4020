// Measures the layered-layout libraries on graphs shaped like the ones the app draws, and on the real
// event graphs of ResNet-18 (the engine runs the Examples' programs here).
// Run: npx tsx app/graph/layoutBench.ts   (figures recorded in the Note in layout.ts)
import ELK from 'elkjs/lib/elk.bundled.js';
import { graphStratify, sugiyama, decrossTwoLayer, coordSimplex, layeringSimplex } from 'd3-dag';
import type { GraphEdge, GraphModel, GraphNode } from './model';
import { layoutGraph, type Layout, type Point } from './layout';
import { layoutSugiyama } from './layoutSugiyama';
import { buildGraph } from './buildGraph';
import { foldGraph } from './fold';
import { nodeSize } from './nodeSize';
import { buildRun } from '../store/reduce';
import { tutorialEvents } from '../store/fixtures/events';
import type { RunModel } from '../store/types';
import type { GraphEvent } from '../../engine/events';
import { events as engineEvents } from '../../engine/index';
import { runProgram } from '../../engine/lang/run';
import { RESNET_FINETUNE_PROGRAM, RESNET_STEP_PROGRAM } from '../panels/examples';

const node = (key: string): GraphNode => ({
  key, kind: 'op', label: key, detail: '', tensor: null, gradNode: null, op: null, inplace: null,
  isRoot: false, requiresGrad: true, frozen: false, recorded: true, appearSeq: 0, module: '',
});
const edge = (from: string, to: string, slot = 0): GraphEdge => ({
  key: `${from}>${to}:${slot}`, from, to, slot, kind: 'data', shape: null, appearSeq: 0, parallel: 0, recorded: true,
});

function resnetLike(blocks: number): GraphModel {
  const nodes: GraphNode[] = [node('x')];
  const edges: GraphEdge[] = [];
  let prev = 'x';
  let id = 0;
  const op = (inputs: string[], withParam = true) => {
    const k = `n${id++}`;
    nodes.push(node(k));
    inputs.forEach((i, s) => edges.push(edge(i, k, s)));
    if (withParam) {
      const p = `p${id++}`;
      nodes.push(node(p));
      edges.push(edge(p, k, inputs.length));
    }
    return k;
  };
  prev = op([op([op([prev])], false)]);
  for (let b = 0; b < blocks; b++) {
    const c1 = op([prev]);
    const bn1 = op([c1]);
    const r1 = op([bn1], false);
    const c2 = op([r1]);
    const bn2 = op([c2]);
    const add = op([bn2, prev], false);
    prev = op([add], false);
  }
  op([op([prev], false)]);
  return { view: 'forward', flow: 'down', nodes, edges };
}

function polyLike(): GraphModel {
  const nodes = ['a', 'b', 'c', 'd', 'x', 'y', 'bx', 'x2', 'cx2', 'x3', 'dx3', 's1', 's2', 's3', 'sub', 'pow', 'sum'].map(node);
  const e = [
    ['b', 'bx'], ['x', 'bx'], ['x', 'x2'], ['c', 'cx2'], ['x2', 'cx2'], ['x', 'x3'], ['d', 'dx3'], ['x3', 'dx3'],
    ['a', 's1'], ['bx', 's1'], ['s1', 's2'], ['cx2', 's2'], ['s2', 's3'], ['dx3', 's3'], ['s3', 'sub'], ['y', 'sub'], ['sub', 'pow'], ['pow', 'sum'],
  ].map(([f, t], i) => edge(f, t, i % 2));
  return { view: 'forward', flow: 'down', nodes, edges: e };
}

function randomDag(n: number, seed = 7): GraphModel {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const nodes = Array.from({ length: n }, (_, i) => node(`r${i}`));
  const edges: GraphEdge[] = [];
  for (let i = 1; i < n; i++) {
    const k = 1 + Math.floor(rnd() * 2);
    for (let j = 0; j < k; j++) edges.push(edge(`r${Math.max(0, i - 1 - Math.floor(rnd() * 8))}`, `r${i}`, j));
  }
  return { view: 'forward', flow: 'down', nodes, edges };
}

const SIZE = { width: 130, height: 62 };

function crossings(l: Layout): number {
  const segs: [Point, Point, string][] = [];
  for (const e of Object.values(l.edges)) for (let i = 0; i + 1 < e.points.length; i++) segs.push([e.points[i], e.points[i + 1], e.key]);
  const ccw = (a: Point, b: Point, c: Point) => (c.y - a.y) * (b.x - a.x) - (b.y - a.y) * (c.x - a.x);
  let n = 0;
  for (let i = 0; i < segs.length; i++)
    for (let j = i + 1; j < segs.length; j++) {
      const [a, b, ka] = segs[i];
      const [c, d, kb] = segs[j];
      if (ka === kb) continue;
      const shared = [a, b].some((p) => [c, d].some((q) => Math.abs(p.x - q.x) < 0.5 && Math.abs(p.y - q.y) < 0.5));
      if (shared) continue;
      if (ccw(a, b, c) * ccw(a, b, d) < 0 && ccw(c, d, a) * ccw(c, d, b) < 0) n++;
    }
  return n;
}

async function elkLayout(g: GraphModel): Promise<Layout> {
  const elk = new ELK();
  const res = await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.spacing.nodeNode': '28', 'elk.layered.spacing.nodeNodeBetweenLayers': '46', 'elk.edgeRouting': 'POLYLINE' },
    children: g.nodes.map((n) => ({ id: n.key, ...SIZE })),
    edges: g.edges.map((e) => ({ id: e.key, sources: [e.from], targets: [e.to] })),
  });
  const nodes: Layout['nodes'] = {};
  for (const c of res.children ?? []) nodes[c.id] = { key: c.id, x: c.x! + SIZE.width / 2, y: c.y! + SIZE.height / 2, ...SIZE };
  const edges: Layout['edges'] = {};
  for (const e of (res.edges ?? []) as any[]) {
    const sec = e.sections?.[0];
    edges[e.id] = { key: e.id, points: sec ? [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint] : [] };
  }
  const r = res as unknown as { width?: number; height?: number };
  return { nodes, edges, width: r.width ?? 0, height: r.height ?? 0 };
}

function d3dagLayout(g: GraphModel): Layout {
  const parents = new Map<string, string[]>();
  for (const n of g.nodes) parents.set(n.key, []);
  for (const e of g.edges) parents.get(e.to)!.push(e.from);
  const dag = graphStratify()(g.nodes.map((n) => ({ id: n.key, parentIds: parents.get(n.key)! })));
  const layout = sugiyama()
    .layering(layeringSimplex())
    .decross(decrossTwoLayer())
    .coord(coordSimplex())
    .nodeSize([SIZE.width + 28, SIZE.height + 46]);
  const { width, height } = layout(dag as any);
  const nodes: Layout['nodes'] = {};
  for (const n of dag.nodes()) nodes[(n.data as any).id] = { key: (n.data as any).id, x: n.x, y: n.y, ...SIZE };
  const edges: Layout['edges'] = {};
  let i = 0;
  for (const l of dag.links()) edges[`l${i++}`] = { key: `l${i}`, points: l.points.map(([x, y]) => ({ x, y })) };
  return { nodes, edges, width, height };
}

async function time<T>(f: () => T | Promise<T>, reps = 11): Promise<{ ms: number; out: T }> {
  const ts: number[] = [];
  let out!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = await f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { ms: ts[Math.floor(reps / 2)], out };
}

function record(source: string): RunModel {
  const got: GraphEvent[] = [];
  const stop = engineEvents.subscribe((e) => got.push(e));
  runProgram(source);
  stop();
  return buildRun(got, source);
}

/** A real graph of ~2,100 nodes: 699 products of one tensor summed by Python's sum (a 699-long chain). */
export const BIG_CHAIN_PROGRAM = `import torch
x = torch.ones(3, requires_grad=True)
ys = [x * i for i in range(1, 700)]
s = sum(ys)
s.sum().backward()
`;

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeSync(f: () => Layout, reps: number): { ms: number; out: Layout } {
  const ts: number[] = [];
  let out!: Layout;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = f();
    ts.push(performance.now() - t0);
  }
  return { ms: median(ts), out };
}

/** The app's real graphs, with the app's node sizes: each library and setting, median ms. */
async function realGraphs() {
  const step = record(RESNET_STEP_PROGRAM);
  const ft = record(RESNET_FINETUNE_PROGRAM);
  const big = record(BIG_CHAIN_PROGRAM);
  const cases: [string, RunModel, GraphModel][] = [
    ['resnet18 step, forward, folded', step, foldGraph(step, 0, buildGraph(step, 0, 'forward'), new Set())],
    ['resnet18 step, backward, folded', step, foldGraph(step, 0, buildGraph(step, 0, 'backward'), new Set())],
    ['resnet18 step, backward, layer4+layer4.0 open', step, foldGraph(step, 0, buildGraph(step, 0, 'backward'), new Set(['layer4', 'layer4.0']))],
    ['resnet18 step, forward, unfolded', step, buildGraph(step, 0, 'forward')],
    ['resnet18 step, backward, unfolded', step, buildGraph(step, 0, 'backward')],
    ['resnet18 fine-tune, backward, unfolded', ft, buildGraph(ft, 0, 'backward')],
    ['sum of 699 products, forward', big, buildGraph(big, 0, 'forward')],
    ['sum of 699 products, backward', big, buildGraph(big, 0, 'backward')],
  ];
  console.log('\nreal event graphs (app node sizes), median ms | crossings:');
  console.log('graph | nodes/edges | dagre | elk | d3-dag compact+center | d3-dag compact+simplex | d3-dag compact+greedy');
  for (const [name, run, g] of cases) {
    const sizes: Record<string, { width: number; height: number }> = {};
    for (const n of g.nodes) sizes[n.key] = nodeSize(run, n);
    const sizeOf = (k: string) => sizes[k];
    const huge = g.nodes.length > 1000;
    const cell = (f: () => Layout, reps: number) => {
      try {
        const r = timeSync(f, reps);
        return `${r.ms.toFixed(1)} ms${huge ? '' : `, ${crossings(r.out)} x`}`;
      } catch (e) {
        return `failed (${e instanceof Error ? e.message.slice(0, 40) : e})`;
      }
    };
    const reps = huge ? 1 : 7;
    const dagreCell = huge ? 'skipped (minutes)' : cell(() => layoutGraph(g, sizeOf), reps);
    let elkCell = 'skipped';
    if (!huge) {
      const ts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await elkLayout(g);
        ts.push(performance.now() - t0);
      }
      elkCell = `${median(ts).toFixed(1)} ms`;
    }
    const center = cell(() => layoutSugiyama(g, sizeOf, 'center'), huge ? 3 : reps);
    const simplex = huge ? 'skipped' : cell(() => layoutSugiyama(g, sizeOf, 'simplex'), reps);
    const greedy = cell(() => layoutSugiyama(g, sizeOf, 'greedy'), huge ? 3 : reps);
    console.log(`${name} | ${g.nodes.length}/${g.edges.length} | ${dagreCell} | ${elkCell} | ${center} | ${simplex} | ${greedy}`);
  }
}

async function main() {
  await realGraphs();
  const graphs: [string, GraphModel][] = [
    ['tutorial forward', buildGraph(buildRun(tutorialEvents()), 0, 'forward')],
    ['tutorial backward', buildGraph(buildRun(tutorialEvents()), 0, 'backward')],
    ['polyfit iteration', polyLike()],
    ['resnet-like 8 blocks', resnetLike(8)],
    ['random DAG 600', randomDag(600)],
  ];
  console.log('graph | nodes/edges | dagre ms, crossings, area | elk ms, crossings, area | d3-dag ms, crossings, area');
  for (const [name, g] of graphs) {
    const a = await time(() => layoutGraph(g, () => SIZE));
    const b = await time(() => elkLayout(g));
    let c: { ms: number; out: Layout } | null = null;
    try {
      c = await time(() => d3dagLayout(g), g.nodes.length > 300 ? 3 : 11);
    } catch (err) {
      c = null;
    }
    const f = (r: { ms: number; out: Layout } | null) =>
      r ? `${r.ms.toFixed(1)} ms, ${crossings(r.out)} x, ${((r.out.width * r.out.height) / 1e6).toFixed(2)} Mpx²` : 'failed';
    console.log(`${name} | ${g.nodes.length}/${g.edges.length} | ${f(a)} | ${f(b)} | ${f(c)}`);
  }
}

if (process.argv[1]?.endsWith('layoutBench.ts')) main();
