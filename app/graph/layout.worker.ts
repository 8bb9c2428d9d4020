// Lays out big graphs off the main thread (dagre on a ResNet-size graph takes most of a second).
/// <reference lib="webworker" />
import { layoutAuto } from './layoutChoice';
import type { GraphEdge, GraphModel, GraphNode } from './model';
import type { Size } from './nodeSize';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<{ id: number; graph: GraphModel; sizes: Record<string, Size> }>) => {
  const { id, graph, sizes } = e.data;
  try {
    self.postMessage({ id, layout: layoutAuto(graph, (k) => sizes[k]) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};

/**
 * Note: the first layouts in a fresh worker run unoptimised code (110-150 ms for ResNet-18's forward
 * graph against 17 ms warm, measured by scripts/bench-browser.ts). A few layouts of a ResNet-shaped
 * graph when the worker starts, before any request can arrive, pay that once, off the main thread.
 */
function warmUp(): void {
  const node = (key: string): GraphNode => ({
    key, kind: 'op', label: key, detail: '', tensor: null, gradNode: null, op: null, inplace: null,
    isRoot: false, requiresGrad: true, frozen: false, recorded: true, appearSeq: 0, module: '',
  });
  const nodes: GraphNode[] = [node('x')];
  const edges: GraphEdge[] = [];
  let prev = 'x';
  for (let b = 0; b < 24; b++) {
    const chain = [0, 1, 2, 3, 4].map((i) => `b${b}_${i}`);
    for (const k of chain) nodes.push(node(k), node(`${k}_w`));
    let at = prev;
    for (const k of chain) {
      edges.push({ key: `${at}>${k}`, from: at, to: k, slot: 0, kind: 'data', shape: null, appearSeq: 0, parallel: 0, recorded: true });
      edges.push({ key: `${k}_w>${k}`, from: `${k}_w`, to: k, slot: 1, kind: 'data', shape: null, appearSeq: 0, parallel: 0, recorded: true });
      at = k;
    }
    edges.push({ key: `${prev}>${at}:skip`, from: prev, to: at, slot: 2, kind: 'data', shape: null, appearSeq: 0, parallel: 0, recorded: true });
    prev = at;
  }
  const g: GraphModel = { view: 'forward', flow: 'down', nodes, edges };
  for (let i = 0; i < 4; i++) layoutAuto(g, () => ({ width: 140, height: 60 }));
}

warmUp();
