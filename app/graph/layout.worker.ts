// Lays out big graphs off the main thread (dagre on a ResNet-size graph takes most of a second).
/// <reference lib="webworker" />
import { layoutAuto } from './layoutChoice';
import type { GraphModel } from './model';
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
