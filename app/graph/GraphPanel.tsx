// The "Computational graph" region: header (which view, which iteration), the canvas, the legend.
import { useMemo } from 'react';
import { useApp } from '../store/useApp';
import { setSegment } from '../store/appStore';
import { GraphCanvas, useGraph } from './GraphCanvas';
import { LegendList, LegendSvg, type LegendExtras } from './Legend';
import { FoldToggle } from './FoldToggle';
import { hasModules } from './fold';
import type { RunModel, Segment } from '../store/types';
import { english, useT, type Tr } from '../i18n';

export function segmentLabel(s: Segment, t: Tr = english): string {
  // Named as the program counts (`t = 0` for the tutorial's first iteration) when the loop variable is an int.
  const iteration = (i: number | undefined, b: Segment['binding']) => (b ? t('Iteration {0} = {1}', b.name, b.value) : t('Iteration {0}', (i ?? 0) + 1));
  // A nested loop's entries say which iteration of the enclosing loop they are in (`epoch = 1 · Iteration 3`).
  const outer = s.outer ? `${s.outer.binding ? `${s.outer.binding.name} = ${s.outer.binding.value}` : iteration(s.outer.iteration, undefined)} · ` : '';
  if (s.kind === 'iteration') return outer + iteration(s.iteration, s.binding);
  if (s.kind === 'after-loop') return outer + t('After the loop');
  return s.index === 0 ? t('Before the loop') : t('Program');
}

function IterationPicker({ run }: { run: RunModel }) {
  const segment = useApp((s) => s.segment);
  const segs = run.segments;
  const cur = segs[segment];
  const t = useT();
  const note = rebuildNote(run, cur, t);
  // Which loop an entry belongs to only needs saying when the program has more than one.
  const manyLoops = useMemo(() => new Set(segs.flatMap((s) => (s.loop ? [`${s.loop.line}:${s.loop.col}`] : []))).size > 1, [segs]);
  return (
    <div className="iter-picker">
      <button type="button" className="icon-btn small" aria-label="Previous iteration" onClick={() => setSegment(segment - 1)} disabled={segment === 0}>
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M10 3L5 8l5 5" />
        </svg>
      </button>
      <select aria-label="Iteration" value={segment} onChange={(e) => setSegment(Number(e.target.value))}>
        {segs.map((s) => (
          <option key={s.index} value={s.index}>
            {segmentLabel(s, t)}
            {s.loop && manyLoops ? ` · ${t('loop at line {0}', s.loop.line)}` : ''}
          </option>
        ))}
      </select>
      <button type="button" className="icon-btn small" aria-label="Next iteration" onClick={() => setSegment(segment + 1)} disabled={segment >= segs.length - 1}>
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M6 3l5 5-5 5" />
        </svg>
      </button>
      {note ? <span className="rebuild-note">{note}</span> : null}
    </div>
  );
}

/** "The DAG is rebuilt on every iteration": how many nodes are new, and which leaves carry over. */
function rebuildNote(run: RunModel, seg: Segment, tr: Tr): string {
  if (seg.kind !== 'iteration') return '';
  const fresh = seg.ops.filter((i) => run.ops[i].gradFn).length;
  const reused = new Set<string>();
  for (const i of seg.ops)
    for (const inp of run.ops[i].inputs) {
      const t = inp.tensor !== null ? run.tensors[inp.tensor] : undefined;
      if (t && t.kind === 'leaf' && t.requiresGrad && t.segment !== seg.index) reused.add(t.name ?? `#${t.id}`);
    }
  const leaves = [...reused].slice(0, 4).join(', ');
  return leaves ? tr('New graph: {0} grad_fn nodes built this iteration; leaves {1} carried over.', fresh, leaves) : tr('New graph: {0} grad_fn nodes built this iteration.', fresh);
}

export function GraphPanel() {
  const view = useApp((s) => s.view);
  const run = useApp((s) => s.run);
  const status = useApp((s) => s.status);
  const empty = run.ops.length === 0 && Object.keys(run.tensors).length === 0;
  const t = useT();
  const { graph: full, shown, segment } = useGraph();
  const modules = hasModules(run, run.segments[segment] ?? run.segments[0]);
  const extras = useMemo<LegendExtras>(
    () => ({
      modules: shown.nodes.some((n) => n.kind === 'module'),
      clusters: (shown.clusters?.length ?? 0) > 0,
      frozen: shown.nodes.some((n) => n.kind === 'module' && (n.frozen || n.fold?.noGrad)),
      cut: shown.edges.some((e) => e.kind === 'cut'),
    }),
    [shown],
  );
  return (
    <section className="graph-panel" role="region" aria-label="Computational graph">
      <div className="graph-head">
        <div className="view-title">
          <h2>{t(view === 'forward' ? 'Forward graph' : 'Backward graph')}</h2>
          <span className="sub">{t(view === 'forward' ? 'tensors named by your variables; values flow down' : "PyTorch's grad_fn nodes, as torchviz draws them; gradients flow up along next_functions")}</span>
          {/* In the header, not over the canvas: the fit keeps the graph below the header, so the pill never hides a node. */}
          {modules && full.nodes.length ? <FoldToggle nodes={full.nodes.length} shown={shown.nodes.length} /> : null}
        </div>
        {run.segments.length > 1 ? <IterationPicker run={run} /> : null}
      </div>
      <GraphCanvas />
      {empty ? <div className="canvas-empty">{t(status === 'running' ? 'Running…' : 'Nothing to draw yet: run a program that makes tensors.')}</div> : null}
      <div className="legend-bar">
        <LegendList view={view} extras={extras} />
        <LegendSvg view={view} extras={extras} />
      </div>
    </section>
  );
}
