// The canvas: the current segment's graph in the current view, laid out by dagre, drawn with React,
// panned and zoomed by d3-zoom (which only ever sets the viewport's transform).
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import * as d3 from 'd3';
import { useApp } from '../store/useApp';
import { appStore, notify, select, toggleModule } from '../store/appStore';
import { frameAt } from '../store/frame';
import { buildGraph } from './buildGraph';
import type { Layout, Point } from './layout';
import { prefetchLayout, useLayout } from './useLayout';
import { nodeSize, showsNumbers, type Size } from './nodeSize';
import { activeNodeKey, edgeView, moduleHoldsActive, moduleOfSelection, nodeDetail, nodeName, nodeView, resolveSelection } from './view';
import type { GraphEdge, GraphModel, GraphNode, View } from './model';
import { NodeGlyph } from './NodeGlyph';
import { ClusterFrame, ModuleGlyph } from './ModuleGlyph';
import { foldGraph, hasModules } from './fold';
import { parallelRoutes, type Route } from './parallel';
import { GRAPH_CSS } from './graphCss';
import { formatShape, formatValue } from '../format';
import type { RunModel } from '../store/types';
import type { ValueSummary } from '../../engine/events';
import { useT } from '../i18n';

/** Room kept free at the top of the canvas for the header overlay. */
const TOP_MARGIN = 64;
/** Below this zoom, text on nodes cannot be read: fitting stops here and centres the current step. */
const MIN_READABLE_SCALE = 0.7;

/**
 * A transform at scale t.k moved as little as possible so that a graph larger than the canvas leaves no empty
 * band where it could show more of itself (following the last node put it mid-canvas over blank space); a
 * graph smaller than the canvas along an axis stays where t put it.
 */
function clampToGraph(t: d3.ZoomTransform, graphW: number, graphH: number, width: number, height: number, top: number): d3.ZoomTransform {
  const pad = 16;
  let { x, y } = t;
  const w = graphW * t.k, h = graphH * t.k;
  if (w + 2 * pad > width) x = Math.min(pad, Math.max(width - pad - w, x));
  if (h + 2 * pad > height - top) y = Math.min(top + pad, Math.max(height - pad - h, y));
  return d3.zoomIdentity.translate(x, y).scale(t.k);
}

function headOf(svg: SVGSVGElement): HTMLElement | null {
  return svg.closest('.graph-panel')?.querySelector<HTMLElement>('.graph-head') ?? null;
}

/**
 * Where the canvas starts below the graph's header (the title, the fold pill, the iteration picker), measured
 * now: for a fit (a new run, view or mode). A step reads the cached height instead (headTopRef): measuring
 * right after a step's DOM changes forced a layout of the whole drawing, ~10 ms per step on ResNet-18.
 */
function topOf(svg: SVGSVGElement): number {
  return Math.max(TOP_MARGIN, (headOf(svg)?.offsetHeight ?? 0) + 4);
}
/** In presentation mode (a projector, read from the back of a room): node text at its full size at least. */
const MIN_PRESENTATION_SCALE = 1;
/** Beyond this many nodes the canvas drops its animations. */
const BIG_GRAPH = 120;

let showAllForExport: ((on: boolean) => Promise<void>) | null = null;

/** Big graphs draw only what is in view; an export needs every node in the DOM for a moment. */
export async function withWholeGraph<T>(f: () => T | Promise<T>): Promise<T> {
  await showAllForExport?.(true);
  try {
    return await f();
  } finally {
    await showAllForExport?.(false);
  }
}

/**
 * The run as the canvas draws it. While a program runs, batches arrive every frame; redrawing a
 * growing ResNet graph that often would stall the page, so during a run the drawing follows at most
 * every RUNNING_REDRAW_MS. Finished runs are drawn at once.
 */
const RUNNING_REDRAW_MS = 500;

function useThrottledRun(): RunModel {
  const run = useApp((s) => s.run);
  const running = useApp((s) => s.status === 'running');
  const [shown, setShown] = useState(run);
  const last = useRef(0);
  useEffect(() => {
    if (!running) return;
    const wait = Math.max(0, last.current + RUNNING_REDRAW_MS - performance.now());
    const t = setTimeout(() => {
      last.current = performance.now();
      setShown(run);
    }, wait);
    return () => clearTimeout(t);
  }, [run, running]);
  return running ? shown : run;
}

/**
 * Past this many nodes an unfolded graph stays folded by module (with a notice): measured layouts stay
 * under 2 s up to here (d3-dag, app/graph/layoutBench.ts), and nobody reads more on one screen anyway.
 */
export const UNFOLD_MAX_NODES = 3000;

// Note: the canvas, the inspector and the legend all ask for the same graphs; they are built once per
// run model (immutable) and key, not once per component.
const graphCache = new WeakMap<RunModel, Map<string, GraphModel>>();
const sizeCache = new WeakMap<GraphModel, Record<string, Size>>();

function cachedGraph(run: RunModel, key: string, make: () => GraphModel): GraphModel {
  let m = graphCache.get(run);
  if (!m) graphCache.set(run, (m = new Map()));
  let g = m.get(key);
  if (!g) m.set(key, (g = make()));
  return g;
}

export function sizesOf(run: RunModel, g: GraphModel): Record<string, Size> {
  let m = sizeCache.get(g);
  if (!m) {
    m = {};
    for (const n of g.nodes) m[n.key] = nodeSize(run, n);
    sizeCache.set(g, m);
  }
  return m;
}

/** What the canvas draws: the whole graph, or folded by module (and why it stayed folded, if it did). */
export function shownGraph(run: RunModel, segment: number, view: View, expanded: readonly string[], unfolded: boolean): { graph: GraphModel; shown: GraphModel; layoutKey: string; forcedFold: boolean } {
  const graph = cachedGraph(run, `${segment}:${view}`, () => buildGraph(run, segment, view));
  const seg = run.segments[segment] ?? run.segments[0];
  const modules = hasModules(run, seg);
  const forcedFold = modules && unfolded && graph.nodes.length > UNFOLD_MAX_NODES;
  if (!modules || (unfolded && !forcedFold)) return { graph, shown: graph, layoutKey: `${segment}:${view}`, forcedFold };
  const foldKey = [...expanded].sort().join('|');
  const key = `${segment}:${view}:fold:${foldKey}`;
  const shown = cachedGraph(run, key, () => foldGraph(run, segment, graph, new Set(expanded)));
  return { graph, shown, layoutKey: key, forcedFold };
}

/** The layout cache key of the unfolded graph (as shownGraph names it). */
const layoutKeyOf = (g: GraphModel, segment: number) => `${segment}:${g.view}`;

export function useGraph() {
  const run = useThrottledRun();
  const segment = useApp((s) => s.segment);
  const view = useApp((s) => s.view);
  const expanded = useApp((s) => s.expanded);
  const unfolded = useApp((s) => s.unfolded);
  const { graph, shown, layoutKey, forcedFold } = useMemo(() => shownGraph(run, segment, view, expanded, unfolded), [run, segment, view, expanded, unfolded]);
  const sizes = useMemo(() => sizesOf(run, shown), [run, shown]);
  return { run, graph, shown, sizes, segment, view, layoutKey, forcedFold };
}

const EMPTY_LAYOUT: Layout = { nodes: {}, edges: {}, width: 0, height: 0 };

export function GraphCanvas() {
  const { run, graph: full, shown: graph, sizes, layoutKey, forcedFold, segment: segIndex } = useGraph();
  const modules = hasModules(run, run.segments[segIndex] ?? run.segments[0]);
  const laidOut = useLayout(run, layoutKey, graph, sizes);
  const layout = laidOut ?? EMPTY_LAYOUT;
  const tr = useT();
  // While the folded graph is on screen, the worker lays out the unfolded one.
  const runDone = useApp((s) => s.status === 'done' || s.status === 'failed');
  useEffect(() => {
    if (!runDone || full === graph || full.nodes.length > UNFOLD_MAX_NODES) return;
    const t = setTimeout(() => prefetchLayout(run, layoutKeyOf(full, segIndex), full, sizesOf(run, full)), 400);
    return () => clearTimeout(t);
  }, [runDone, run, full, graph, segIndex]);
  useEffect(() => {
    if (forcedFold) notify(`This graph has more than ${UNFOLD_MAX_NODES} nodes: it stays folded by module. Expand the modules you want to see.`);
  }, [forcedFold]);
  const segment = useApp((s) => s.segment);
  const position = useApp((s) => s.position);
  const selected = useApp((s) => s.selected);
  const fitRequest = useApp((s) => s.fitRequest);
  const frame = useMemo(() => frameAt(run, segment, position), [run, segment, position]);
  const svgRef = useRef<SVGSVGElement>(null);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const frameRef = useRef(frame);
  frameRef.current = frame;
  const viewportRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<d3.ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const activeKeyRef = useRef<string | null>(null);
  const sizeRef = useRef({ width: 0, height: 0 });
  const big = graph.nodes.length > BIG_GRAPH;
  const bigRef = useRef(big);
  bigRef.current = big;
  // Note: the browser lays out an <svg> as a whole, so a step on a ResNet-size graph re-laid out
  // thousands of text elements (~270 ms). Big graphs draw only what is in (or near) the view.
  const [visible, setVisible] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const [showAll, setShowAll] = useState(false);
  useEffect(() => {
    showAllForExport = (on: boolean) =>
      new Promise<void>((resolve) => {
        setShowAll(on);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
      });
    return () => {
      showAllForExport = null;
    };
  }, []);
  const cull = big && !showAll;
  const pendingCull = useRef<number | null>(null);
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  const updateVisible = useCallback((t: d3.ZoomTransform) => {
    if (!bigRef.current) return;
    if (pendingCull.current !== null) cancelAnimationFrame(pendingCull.current);
    pendingCull.current = requestAnimationFrame(() => {
      pendingCull.current = null;
      const { width, height } = sizeRef.current;
      // Note: the drawn region reaches 40% of the canvas beyond each edge. While a pan (the stepper
      // following its node, 300 ms) stays within it, nothing is redrawn: recomputing it every frame
      // re-rendered the canvas and added and removed nodes on every frame of the pan.
      const v = visibleRef.current;
      const [a0, b0] = t.invert([-width * 0.1, -height * 0.1]);
      const [a1, b1] = t.invert([width * 1.1, height * 1.1]);
      const wide = v ? (v.x1 - v.x0) * (v.y1 - v.y0) : 0;
      const inside = v && a0 >= v.x0 && b0 >= v.y0 && a1 <= v.x1 && b1 <= v.y1 && wide <= 4 * (a1 - a0) * (b1 - b0);
      if (inside) return;
      const [x0, y0] = t.invert([-width * 0.4, -height * 0.4]);
      const [x1, y1] = t.invert([width * 1.4, height * 1.4]);
      setVisible({ x0, y0, x1, y1 });
    });
  }, []);

  const headTopRef = useRef(TOP_MARGIN);
  const pendingFitRef = useRef(false);
  const fitRef = useRef<(animate: boolean) => void>(() => {});
  useEffect(() => {
    const el = svgRef.current!;
    const r = el.getBoundingClientRect();
    sizeRef.current = { width: r.width, height: r.height };
    headTopRef.current = topOf(el);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const c = entries[0].contentRect;
      sizeRef.current = { width: c.width, height: c.height };
      // A fit asked for while the canvas had no size (its page hidden: Inspect iteration, Show graph) runs now.
      if (pendingFitRef.current && c.width > 0 && c.height > 0) fitRef.current(false);
    });
    ro.observe(el);
    const head = headOf(el);
    const headRo = new ResizeObserver(() => {
      headTopRef.current = topOf(el);
    });
    if (head) headRo.observe(head);
    return () => {
      ro.disconnect();
      headRo.disconnect();
    };
  }, []);

  useEffect(() => {
    const svg = d3.select(svgRef.current!);
    const zoom = d3
      .zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      // Note: d3's default van Wijk interpolation zooms out mid-flight; a step that interrupts a
      // follow-the-active-node transition kept that smaller scale, so fast stepping shrank the graph
      // to 0.07 (and drew every node). Linear interpolation keeps the scale while panning.
      .interpolate(d3.interpolate)
      .on('zoom', (e: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
        d3.select(viewportRef.current).attr('transform', e.transform.toString());
        updateVisible(e.transform);
      });
    svg.call(zoom).on('dblclick.zoom', null);
    zoomRef.current = zoom;
    return () => {
      svg.on('.zoom', null);
    };
  }, []);

  const fit = useCallback(
    (animate: boolean) => {
      const svg = svgRef.current;
      const zoom = zoomRef.current;
      if (!svg || !zoom || layout.width === 0) return;
      const { width, height } = sizeRef.current;
      if (width === 0 || height === 0) {
        pendingFitRef.current = true;
        return;
      }
      pendingFitRef.current = false;
      const top = topOf(svg);
      headTopRef.current = top;
      const availH = height - top - 12;
      const presentation = appStore.getState().presentation;
      const maxScale = presentation ? 1.9 : 1.3;
      const minScale = presentation ? MIN_PRESENTATION_SCALE : MIN_READABLE_SCALE;
      const fitScale = Math.min(maxScale, (0.94 * width) / layout.width, (0.96 * availH) / layout.height);
      let t = d3.zoomIdentity.translate((width - layout.width * fitScale) / 2, top + (availH - layout.height * fitScale) / 2).scale(fitScale);
      if (fitScale < minScale) {
        // Too big to read whole: show a readable part around the current step (or the root).
        // Before the backward pass, a fine-tuning graph is about where the gradient stops: show that.
        const cut = graphRef.current.view === 'backward' && frameRef.current.phase !== 'backward' ? graphRef.current.edges.find((e) => e.kind === 'cut') : undefined;
        const active = activeKeyRef.current ? layout.nodes[activeKeyRef.current] : undefined;
        const cutBox = cut ? layout.nodes[cut.from] : undefined;
        const k = minScale;
        let focus = cutBox || active || Object.values(layout.nodes).sort((a, b) => b.y - a.y)[0];
        // The cut and the stepper's node both in view when they fit (the active-node follow would move away otherwise).
        if (cutBox && active && Math.abs(active.y - cutBox.y) * k < availH * 0.7) focus = { ...cutBox, y: (cutBox.y + active.y) / 2 };
        t = clampToGraph(d3.zoomIdentity.translate(width / 2 - focus.x * k, top + availH / 2 - focus.y * k).scale(k), layout.width, layout.height, width, height, top);
      }
      const sel = d3.select(svg);
      if (animate) sel.transition().duration(350).call(zoom.transform, t);
      else sel.call(zoom.transform, t);
    },
    [layout],
  );

  fitRef.current = fit;

  // Fit when asked (a new run, another view or iteration, presentation mode) and when the canvas resizes.
  useLayoutEffect(() => {
    fit(false);
  }, [fitRequest, fit]);
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    let first = true;
    const ro = new ResizeObserver(() => {
      if (first) return void (first = false);
      fit(false);
    });
    ro.observe(svg);
    return () => ro.disconnect();
  }, [fit]);

  // Bring the active node into view when the stepper moves it off screen.
  const activeKey = useMemo(() => activeNodeKey(run, frame, graph), [graph, run, frame]);
  activeKeyRef.current = activeKey;
  useEffect(() => {
    if (!activeKey) return;
    const svg = svgRef.current;
    const zoom = zoomRef.current;
    const box = layout.nodes[activeKey];
    if (!svg || !zoom || !box) return;
    const t = d3.zoomTransform(svg);
    const { width, height } = sizeRef.current;
    const [sx, sy] = t.apply([box.x, box.y]);
    const mx = (box.width / 2) * t.k + 24;
    const my = (box.height / 2) * t.k + 24;
    const top = headTopRef.current;
    if (sx - mx >= 0 && sx + mx <= width && sy - my >= top && sy + my <= height) return;
    // Centred in the part of the canvas below the header, as far as the graph reaches.
    const to = clampToGraph(d3.zoomIdentity.translate(width / 2 - box.x * t.k, (top + height) / 2 - box.y * t.k).scale(t.k), layout.width, layout.height, width, height, top);
    d3.select(svg).transition().duration(300).call(zoom.transform, to);
  }, [activeKey, layout]);

  // A node reached with Tab is brought into view, as the stepper's node is.
  const onFocusNode = useCallback((e: React.FocusEvent<SVGGElement>) => {
    const el = (e.target as Element).closest('[data-key],[data-cluster]');
    const svg = svgRef.current;
    const zoom = zoomRef.current;
    if (!el || !svg || !zoom) return;
    const key = el.getAttribute('data-key');
    const l = layoutRef.current;
    const cluster = graphRef.current.clusters?.find((c) => c.path === el.getAttribute('data-cluster'));
    const box = key ? l.nodes[key] : cluster ? l.clusters?.[cluster.key] : undefined;
    if (!box) return;
    const t = d3.zoomTransform(svg);
    const { width, height } = sizeRef.current;
    const [sx, sy] = t.apply([box.x, box.y]);
    const top = box.y - box.height / 2;
    const [, stop] = t.apply([box.x, top]);
    const headTop = headTopRef.current;
    if (sx >= 24 && sx <= width - 24 && stop >= headTop && sy <= height - 24) return;
    if (key) d3.select(svg).call(zoom.translateTo, box.x, box.y, [width / 2, (headTop + height) / 2]);
    // A frame's title is at its top: bring the top below the header.
    else d3.select(svg).call(zoom.transform, d3.zoomIdentity.translate(width / 2 - box.x * t.k, headTop + 36 - top * t.k).scale(t.k));
  }, []);

  // Tab through a culled graph: the next node may not be drawn yet. Tab and Shift+Tab on a node move
  // to the neighbour in the graph's order (the order Tab follows when everything is drawn), pan it
  // into view, draw it whatever the view, and focus it once it is in the DOM.
  const [tabKey, setTabKey] = useState<string | null>(null);
  const cullRef = useRef(cull);
  cullRef.current = cull;
  const onTabNode = useCallback((e: React.KeyboardEvent<SVGGElement>) => {
    if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey || !cullRef.current) return;
    const key = (e.target as Element).getAttribute('data-key');
    if (!key) return;
    const l = layoutRef.current;
    const order = graphRef.current.nodes.filter((n) => l.nodes[n.key]);
    const next = order[order.findIndex((n) => n.key === key) + (e.shiftKey ? -1 : 1)];
    if (!next) return; // past the first or last node: leave the canvas as Tab normally does
    e.preventDefault();
    setTabKey(next.key);
  }, []);
  useEffect(() => {
    if (!tabKey) return;
    const el = svgRef.current?.querySelector<SVGGElement>(`[data-key="${CSS.escape(tabKey)}"]`);
    el?.focus();
  }, [tabKey]);

  const zoomBy = (k: number) => {
    if (svgRef.current && zoomRef.current) d3.select(svgRef.current).transition().duration(200).call(zoomRef.current.scaleBy, k);
  };

  const onSelect = useCallback((n: GraphNode) => {
    select({ key: n.key, tensor: n.tensor, gradNode: n.gradNode });
  }, []);

  // Expanding or folding a module keeps it where it was on screen: the node's top edge becomes the
  // frame's, and the other way round. The stepper keeps its step.
  const anchorRef = useRef<{ call: string; sx: number; sy: number } | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const onToggle = useCallback((path: string, key: string) => {
    const svg = svgRef.current;
    const box = layoutRef.current.nodes[key] ?? layoutRef.current.clusters?.[key];
    if (svg && box) {
      const t = d3.zoomTransform(svg);
      const [sx, sy] = t.apply([box.x, box.y - box.height / 2]);
      anchorRef.current = { call: key.slice(1), sx, sy };
    }
    toggleModule(path);
  }, []);
  useLayoutEffect(() => {
    const a = anchorRef.current;
    const svg = svgRef.current;
    const zoom = zoomRef.current;
    if (!a || !svg || !zoom || !laidOut) return;
    const box = laidOut.clusters?.[`x${a.call}`] ?? laidOut.nodes[`m${a.call}`];
    if (!box) return;
    anchorRef.current = null;
    const t = d3.zoomTransform(svg);
    const x = box.x;
    const y = box.y - box.height / 2;
    d3.select(svg).call(zoom.transform, d3.zoomIdentity.translate(a.sx - x * t.k, a.sy - y * t.k).scale(t.k));
  }, [laidOut]);

  const selectedKey = useMemo(() => resolveSelection(graph, selected) ?? moduleOfSelection(graph, selected), [graph, selected]);

  const routes = useMemo(() => parallelRoutes(graph.edges, layout), [graph, layout]);

  // Note: an animated edge makes the browser repaint the whole SVG every frame; on big graphs it stays still.
  return (
    <div className="canvas-wrap">
    <svg ref={svgRef} className={`graph-svg ${graph.nodes.length > BIG_GRAPH ? 'big' : ''}`} data-view={graph.view} data-width={Math.ceil(layout.width)} data-height={Math.ceil(layout.height)} data-nodes={graph.nodes.length} data-layout-engine={layout.stats?.engine} data-layout-ms={layout.stats ? layout.stats.ms.toFixed(1) : undefined}>
      <style>{GRAPH_CSS}</style>
      <defs>
        <Arrow id="arrow" color="#9aa3b1" />
        <Arrow id="arrow-carried" color="#f0a36b" />
        <Arrow id="arrow-active" color="#d9480f" />
        <Arrow id="arrow-unrecorded" color="#b7791f" />
        <Arrow id="arrow-dead" color="#c3c8d1" />
        <marker id="stop" viewBox="0 0 12 16" refX="6" refY="8" markerWidth="9" markerHeight="12" orient="auto">
          <path d="M3 1 L3 15 M9 1 L9 15" stroke="#9aa3b1" strokeWidth="2.2" />
        </marker>
        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#fff8eb" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#f1dfb8" strokeWidth="2.5" />
        </pattern>
      </defs>
      <g ref={viewportRef} className="g-root viewport" onFocus={onFocusNode} onKeyDown={onTabNode}>
        {graph.clusters?.length ? (
          <g className="clusters">
            {graph.clusters.map((c) => {
              const box = layout.clusters?.[c.key];
              if (!box) return null;
              const active = frame.activeTensor !== null || frame.activeGradNode !== null ? clusterHoldsActive(graph, c.key, frame, activeKey) : false;
              return <ClusterFrame key={c.key} cluster={c} box={box} active={active} onToggle={onToggle} />;
            })}
          </g>
        ) : null}
        <g className="edges" aria-hidden="true">
          {graph.edges.filter((e) => !cull || edgeInView(layout, e.key, visible)).map((e) => {
            const v = edgeView(run, frame, e);
            return <EdgeGlyph key={e.key} edge={e} path={layout.edges[e.key]} pending={v.pending} grad={v.grad} active={v.active} route={routes.get(e.key)} forwardView={graph.view === 'forward'} />;
          })}
        </g>
        <g className="nodes">
          {graph.nodes.map((n) => {
            const box = layout.nodes[n.key];
            if (!box) return null;
            if (cull && !boxInView(box, visible) && n.key !== selectedKey && n.key !== tabKey) return null;
            const v = nodeView(run, frame, n);
            if (n.kind === 'module')
              return <ModuleGlyph key={n.key} node={n} box={box} view={v} name={nodeName(n, v, run)} selected={n.key === selectedKey} backward={graph.view === 'backward'} onToggle={onToggle} />;
            return (
              <NodeGlyph
                key={n.key}
                node={n}
                box={box}
                view={v}
                name={nodeName(n, v, run)}
                numbers={showsNumbers(run, n.tensor)}
                selected={n.key === selectedKey}
                detail={nodeDetail(run, n)}
                onSelect={onSelect}
              />
            );
          })}
        </g>
      </g>
    </svg>
      {laidOut === null && graph.nodes.length ? <div className="canvas-empty">{tr('Laying out {0} nodes…', graph.nodes.length)}</div> : null}
      <div className="zoom-controls">
        <button type="button" className="icon-btn" aria-label="Zoom in" title={tr('Zoom in')} onClick={() => zoomBy(1.25)}>
          <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 3v10M3 8h10" /></svg>
        </button>
        <button type="button" className="icon-btn" aria-label="Zoom out" title={tr('Zoom out')} onClick={() => zoomBy(0.8)}>
          <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8h10" /></svg>
        </button>
        <button type="button" className="icon-btn" aria-label="Fit to view" title={tr('Fit to view')} onClick={() => fit(true)}>
          <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" /></svg>
        </button>
      </div>
    </div>
  );
}

/** Whether the stepper's node is drawn inside this expanded module's frame (nested frames included). */
function clusterHoldsActive(g: GraphModel, cluster: string, f: ReturnType<typeof frameAt>, activeKey: string | null): boolean {
  const inside = (c: string | undefined): boolean => {
    for (let k = c; k; k = g.clusters!.find((x) => x.key === k)?.parent ?? undefined) if (k === cluster) return true;
    return false;
  };
  if (activeKey) {
    const n = g.nodes.find((x) => x.key === activeKey);
    if (n && inside(n.cluster)) return true;
  }
  for (const n of g.nodes) if (n.kind === 'module' && n.fold && inside(n.cluster) && moduleHoldsActive(f, n.fold)) return true;
  return false;
}

function boxInView(b: { x: number; y: number; width: number; height: number }, v: { x0: number; y0: number; x1: number; y1: number } | null): boolean {
  if (!v) return false;
  return b.x + b.width / 2 >= v.x0 && b.x - b.width / 2 <= v.x1 && b.y + b.height / 2 >= v.y0 && b.y - b.height / 2 <= v.y1;
}

function edgeInView(layout: Layout, key: string, v: { x0: number; y0: number; x1: number; y1: number } | null): boolean {
  const p = layout.edges[key]?.points;
  if (!p || !v) return false;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const q of p) {
    x0 = Math.min(x0, q.x); y0 = Math.min(y0, q.y); x1 = Math.max(x1, q.x); y1 = Math.max(y1, q.y);
  }
  return x1 >= v.x0 && x0 <= v.x1 && y1 >= v.y0 && y0 <= v.y1;
}

function Arrow({ id, color }: { id: string; color: string }) {
  return (
    <marker id={id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
      <path d="M 0 0 L 10 5 L 0 10 z" fill={color} />
    </marker>
  );
}

const line = d3
  .line<Point>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(d3.curveBasis);

interface EdgeProps {
  edge: GraphEdge;
  path: Layout['edges'][string] | undefined;
  pending: boolean;
  grad: ValueSummary | null;
  active: boolean;
  route: Route | undefined;
  forwardView: boolean;
}

// Note: a step changes a handful of edges; the others (their props are the layout's and the run's own
// objects) skip rendering, and their curve is not rebuilt.
const EdgeGlyph = memo(function EdgeGlyph({ edge, path, pending, grad, active, route, forwardView }: EdgeProps) {
  if (!path || path.points.length < 2) return null;
  // Parallel edges (a * a) are bent apart around their shared route, each labelled on its own side.
  const pts = route?.points ?? path.points;
  const side = route?.side ?? 1;
  const v = { pending, grad, active };
  const cls = ['edge', `e-${edge.kind}`, v.pending ? 'e-pending' : '', !edge.recorded ? 'e-unrecorded' : '', v.active ? 'e-active' : v.grad ? 'e-carried' : ''].filter(Boolean).join(' ');
  const marker = v.active ? 'arrow-active' : v.grad ? 'arrow-carried' : edge.kind === 'cut' ? 'stop' : edge.kind === 'dead' ? 'arrow-dead' : !edge.recorded ? 'arrow-unrecorded' : 'arrow';
  const m = pts[Math.floor(pts.length / 2)];
  const mm = pts.length % 2 === 0 ? { x: (pts[pts.length / 2 - 1].x + m.x) / 2, y: (pts[pts.length / 2 - 1].y + m.y) / 2 } : m;
  const showGrad = v.active && v.grad;
  const gradText = v.grad ? (v.grad.data && v.grad.numel <= 4 ? formatValue(v.grad) : formatShape(v.grad.shape)) : '';
  const shapeText = edge.kind === 'attach' || edge.kind === 'seed' || edge.shape === null || edge.shape.length === 0 || edge.from.startsWith('c') ? '' : formatShape(edge.shape);
  return (
    <g className={cls} data-key={edge.key}>
      {/* In the forward view a gradient travels against the arrow: an active edge shows the way it flows. */}
      {forwardView && v.active ? <path d={line(pts) ?? ''} markerStart="url(#arrow-active)" /> : <path d={line(pts) ?? ''} markerEnd={`url(#${marker})`} />}
      {showGrad ? (
        <g transform={`translate(${side > 0 ? mm.x + 8 : mm.x - 8 - (gradText.length * 6.9 + 14)},${mm.y})`}>
          <rect className="gradpill" x={0} y={-10} width={gradText.length * 6.9 + 14} height={20} rx={10} />
          <text className="gradtext" x={7} y={4}>
            {gradText}
          </text>
        </g>
      ) : edge.kind === 'cut' ? (
        <g transform={`translate(${mm.x + 8},${mm.y})`}>
          <rect className="cutpill" x={0} y={-10} width={124} height={20} rx={10} />
          <text className="cuttext" x={9} y={4}>
            gradient stops here
          </text>
        </g>
      ) : shapeText ? (
        <text className="shape" x={mm.x + 6 * side} y={mm.y + 4} textAnchor={side > 0 ? undefined : 'end'}>
          {shapeText}
        </text>
      ) : null}
    </g>
  );
});
