// The layout of the graph on screen: synchronous for small graphs, in a worker for big ones.
//
// Note: while a big program runs, every batch of events makes a new graph. Requests are coalesced:
// at most one layout runs in the worker and only the newest waiting request follows it, so a ResNet
// run re-lays out about once a second instead of queueing fifty layouts.
import { useEffect, useState } from 'react';
import type { Layout } from './layout';
import { layoutAuto } from './layoutChoice';
import type { GraphModel } from './model';
import type { Size } from './nodeSize';
import type { RunModel } from '../store/types';

/** Graphs with more nodes than this are laid out in a worker. */
export const ASYNC_LAYOUT_NODES = 150;

const cache = new WeakMap<RunModel, Map<string, Layout>>();

function cached(run: RunModel, key: string): Layout | undefined {
  return cache.get(run)?.get(key);
}

function remember(run: RunModel, key: string, layout: Layout): void {
  let m = cache.get(run);
  if (!m) cache.set(run, (m = new Map()));
  m.set(key, layout);
}

interface Request {
  graph: GraphModel;
  sizes: Record<string, Size>;
  done: (l: Layout | null) => void;
}

let worker: Worker | null = null;
let busy: Request | null = null;
let waiting: Request | null = null;
let nextId = 1;

function send(r: Request): void {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'graph-layout' });
    worker.onmessage = (e: MessageEvent<{ id: number; layout?: Layout }>) => {
      const r = busy;
      busy = null;
      r?.done(e.data.layout ?? null);
      if (waiting) {
        const w = waiting;
        waiting = null;
        // Asked for the very graph a prefetch was laying out: no need to lay it out again.
        if (r && w.graph === r.graph && e.data.layout) w.done(e.data.layout);
        else send(w);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const r = busy;
      busy = null;
      // Fall back to the main thread rather than showing nothing.
      r?.done(layoutAuto(r.graph, (k) => r.sizes[k]));
    };
  }
  busy = r;
  worker.postMessage({ id: nextId++, graph: r.graph, sizes: r.sizes });
}

function request(r: Request): void {
  if (busy) {
    waiting?.done(null);
    waiting = r;
  } else send(r);
}

/**
 * Lays out a graph the user may ask for next (the unfolded graph while the folded one is shown) in
 * the worker when it is idle, so "Show every op" draws at once. Never displaces a requested layout.
 */
export function prefetchLayout(run: RunModel, key: string, graph: GraphModel, sizes: Record<string, Size>): void {
  if (cached(run, key) || busy || waiting || graph.nodes.length <= ASYNC_LAYOUT_NODES) return;
  send({ graph, sizes, done: (l) => l && remember(run, key, l) });
}

/** `key` names the graph within the run: segment, view and folding (the cache is per run model). */
export function useLayout(run: RunModel, key: string, graph: GraphModel, sizes: Record<string, Size>): Layout | null {
  const big = graph.nodes.length > ASYNC_LAYOUT_NODES;
  const [latest, setLatest] = useState<{ key: string; layout: Layout } | null>(null);
  let layout = cached(run, key) ?? null;
  if (!layout && !big) {
    layout = layoutAuto(graph, (k) => sizes[k]);
    remember(run, key, layout);
  }
  useEffect(() => {
    if (!big || cached(run, key)) return;
    let live = true;
    request({
      graph,
      sizes,
      done: (l) => {
        if (!l) return;
        remember(run, key, l);
        if (live) setLatest({ key, layout: l });
      },
    });
    return () => {
      live = false;
    };
  }, [run, key, big, graph, sizes]);
  // While a newer layout is being made, keep showing the last one of the same segment and view.
  return layout ?? (latest && latest.key === key ? latest.layout : null);
}
