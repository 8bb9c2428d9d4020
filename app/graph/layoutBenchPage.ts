// In-browser half of the layout benchmark (opened by scripts/bench-browser.ts through Vite's dev
// server): the same real graphs and libraries as layoutBench.ts, timed by Chromium's V8 on the page.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { GraphEvent } from '../../engine/events';
import { events as engineEvents } from '../../engine/index';
import { runProgram } from '../../engine/lang/run';
import { buildRun } from '../store/reduce';
import { buildGraph } from './buildGraph';
import { foldGraph } from './fold';
import { nodeSize } from './nodeSize';
import { layoutGraph, type Layout } from './layout';
import { layoutSugiyama } from './layoutSugiyama';
import { RESNET_STEP_PROGRAM } from '../panels/examples';
import type { GraphModel } from './model';

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(f: () => Layout | Promise<unknown>, reps: number): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

async function main(): Promise<string[]> {
  const got: GraphEvent[] = [];
  const stop = engineEvents.subscribe((e) => got.push(e));
  runProgram(RESNET_STEP_PROGRAM);
  stop();
  const run = buildRun(got, RESNET_STEP_PROGRAM);
  const out: string[] = [];
  const elk = new ELK();
  for (const view of ['forward', 'backward'] as const) {
    const full = buildGraph(run, 0, view);
    for (const [name, g] of [
      [`${view}, unfolded`, full],
      [`${view}, folded`, foldGraph(run, 0, full, new Set())],
    ] as [string, GraphModel][]) {
      const sizes: Record<string, { width: number; height: number }> = {};
      for (const n of g.nodes) sizes[n.key] = nodeSize(run, n);
      const sizeOf = (k: string) => sizes[k];
      const dagre = await time(() => layoutGraph(g, sizeOf), 7);
      const elkMs = await time(
        () =>
          elk.layout({
            id: 'root',
            layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN' },
            children: g.nodes.map((n) => ({ id: n.key, ...sizes[n.key] })),
            edges: g.edges.map((e) => ({ id: e.key, sources: [g.flow === 'down' ? e.from : e.to], targets: [g.flow === 'down' ? e.to : e.from] })),
          }),
        5,
      );
      const center = await time(() => layoutSugiyama(g, sizeOf, 'center'), 7);
      const simplex = await time(() => layoutSugiyama(g, sizeOf, 'simplex'), 7);
      out.push(`${name} (${g.nodes.length} nodes): dagre ${dagre.toFixed(1)} ms, elkjs ${elkMs.toFixed(1)} ms, d3-dag compact+center ${center.toFixed(1)} ms, d3-dag compact+simplex ${simplex.toFixed(1)} ms`);
    }
  }
  return out;
}

(window as unknown as { layoutBench: Promise<string[]> }).layoutBench = main();
