// A folded module on the canvas, and the frame of an expanded one. Both are buttons that toggle the
// module (click, Enter or Space); the stepper keeps its step.
import { memo } from 'react';
import type { Cluster, GraphNode } from './model';
import type { NodeBox } from './layout';
import { CLUSTER_HEADER } from './layout';
import type { NodeView } from './view';
import { formatCount } from './view';
import { formatShape } from '../format';
import { useT } from '../i18n';

interface Props {
  node: GraphNode;
  box: NodeBox;
  view: NodeView;
  name: string;
  selected: boolean;
  backward: boolean;
  onToggle: (path: string, key: string) => void;
}

const CHAR = 7.3;
const SMALL = 6.3;

function fit(text: string, width: number, char = CHAR): string {
  const max = Math.max(4, Math.floor(width / char));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const same = (a: Props, b: Props) =>
  a.name === b.name && a.selected === b.selected && a.box === b.box && a.node === b.node && a.view.phase === b.view.phase && a.onToggle === b.onToggle && a.backward === b.backward;

export const ModuleGlyph = memo(function ModuleGlyph({ node, box, view, name, selected, backward, onToggle }: Props) {
  const f = node.fold!;
  const w = box.width;
  const h = box.height;
  const cls = ['node', 'k-module', `ph-${view.phase}`, f.frozen ? 'is-frozen' : '', f.noGrad ? 'no-grad' : '', node.dead ? 'is-dead' : '', selected ? 'is-selected' : '']
    .filter(Boolean)
    .join(' ');
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onToggle(f.path, node.key);
    }
  };
  const t = useT();
  const kindW = f.kind.length * SMALL + 14;
  const nodes = f.gradNodes.length;
  const counts = [
    backward && !node.dead ? (nodes === 1 ? t('1 node') : t('{0} nodes', nodes)) : f.inner === 1 ? t('1 op') : t('{0} ops', f.inner),
    f.paramTensors ? t('{0} params', formatCount(f.paramCount)) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const pending = view.phase === 'pending';
  let status: string;
  if (pending) status = '…';
  else if (node.dead) status = t('no gradient: requires_grad=False');
  else if (backward) status = view.grad ? `grad ${formatShape(view.grad.shape)}` : 'grad —';
  else status = view.value ? `out ${formatShape(view.value.shape)}` : '…';
  const total = f.gradNodes.length;
  const ran = view.ranCount ?? 0;
  return (
    <g
      className={cls}
      transform={`translate(${box.x - w / 2},${box.y - h / 2})`}
      role="button"
      tabIndex={0}
      aria-label={name}
      aria-expanded={false}
      data-key={node.key}
      data-module={f.path}
      onClick={() => onToggle(f.path, node.key)}
      onKeyDown={onKey}
    >
      <title>{t('{0} (click to expand)', name)}</title>
      <rect className="halo" x={-4} y={-4} width={w + 8} height={h + 8} rx={14} fill="none" stroke="none" />
      <rect className="sel" x={-6} y={-6} width={w + 12} height={h + 12} rx={16} fill="none" stroke="none" />
      {/* A second card behind the first: this node stands for several. */}
      <rect className="stack" x={4} y={4} width={w} height={h} rx={10} />
      <rect className="box" width={w} height={h} rx={10} />
      <text className="label" x={12} y={19}>
        {fit(node.label, w - kindW - 30)}
      </text>
      <g>
        <rect className="badge" x={w - 10 - kindW} y={7} width={kindW} height={17} rx={8.5} />
        <text className="detail" x={w - 10 - kindW / 2} y={19} textAnchor="middle">
          {f.kind}
        </text>
      </g>
      <text className="summary" x={12} y={36}>
        {fit(f.summary, w - 40, SMALL)}
      </text>
      <text className="counts" x={12} y={52}>
        {fit(counts, w - 24, SMALL)}
      </text>
      <line className="rule" x1={1} x2={w - 1} y1={58} y2={58} />
      <text className={node.dead ? 'muted small' : backward ? (view.grad ? 'grad small' : 'muted small') : 'value small'} x={12} y={72}>
        {fit(status, w - 24, 6.6)}
      </text>
      {f.frozen ? <Lock x={w - 26} y={28} /> : <Expand x={w - 24} y={28} />}
      {backward && total > 0 && !pending ? (
        <g className="progress" aria-hidden="true">
          <rect x={10} y={h - 5} width={w - 20} height={2.5} rx={1.25} className="pg-track" />
          <rect x={10} y={h - 5} width={((w - 20) * ran) / total} height={2.5} rx={1.25} className="pg-done" />
        </g>
      ) : null}
    </g>
  );
}, same);

function Expand({ x, y }: { x: number; y: number }) {
  return (
    <g className="expand-icon" transform={`translate(${x},${y})`} aria-hidden="true">
      <rect width={14} height={14} rx={3} />
      <path d="M4 7h6M7 4v6" />
    </g>
  );
}

function Lock({ x, y }: { x: number; y: number }) {
  return (
    <g className="lock-icon" transform={`translate(${x},${y})`} aria-hidden="true">
      <path d="M3.5 6.5V4.8a3.5 3.5 0 017 0v1.7" />
      <rect x={2} y={6.5} width={10} height={7} rx={1.5} />
    </g>
  );
}

/** The frame of an expanded module: its title bar folds it again. */
export const ClusterFrame = memo(function ClusterFrame({ cluster, box, active, onToggle }: { cluster: Cluster; box: NodeBox; active: boolean; onToggle: (path: string, key: string) => void }) {
  const t = useT();
  const title = `${cluster.path} · ${cluster.kind}`;
  const tw = title.length * 7.2 + 40;
  // The title sits on the frame's top border, left of the edge that enters the frame in its middle.
  const width = Math.max(box.width, 2 * (tw + 22));
  const x0 = box.x - width / 2;
  const y0 = box.y - box.height / 2;
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onToggle(cluster.path, cluster.key);
    }
  };
  return (
    <g className={`cluster ${cluster.frozen ? 'is-frozen' : ''} ${active ? 'holds-active' : ''}`} transform={`translate(${x0},${y0})`} data-cluster={cluster.path}>
      <rect className="frame" width={width} height={box.height} rx={12} />
      <g
        className="cluster-head"
        role="button"
        tabIndex={0}
        aria-expanded={true}
        aria-label={`${title}, expanded module${cluster.frozen ? ', frozen' : ''}${active ? ', current step inside' : ''}`}
        onClick={() => onToggle(cluster.path, cluster.key)}
        onKeyDown={onKey}
      >
        <title>{t('{0} (click to fold)', title)}</title>
        <rect className="tab" x={10} y={-CLUSTER_HEADER / 2} width={tw} height={CLUSTER_HEADER} rx={CLUSTER_HEADER / 2} />
        <g transform={`translate(17,${-6})`} aria-hidden="true" className="collapse-icon">
          <rect width={12} height={12} rx={2.5} />
          <path d="M3 6h6" />
        </g>
        <text className="cluster-title" x={35} y={4.5}>
          {title}
        </text>
      </g>
    </g>
  );
});
