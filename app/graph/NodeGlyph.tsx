// One node of the canvas: an accessible, focusable SVG group drawn from the frame's node view.
import { memo } from 'react';
import type { GraphNode } from './model';
import type { NodeBox } from './layout';
import type { NodeView } from './view';
import type { ValueSummary } from '../../engine/events';
import { formatValue, formatShape } from '../format';
import { HeatMap } from './HeatMap';
import { hangulWidth, useT, type Tr } from '../i18n';

interface Props {
  node: GraphNode;
  box: NodeBox;
  view: NodeView;
  name: string;
  numbers: boolean;
  selected: boolean;
  detail: string;
  onSelect: (node: GraphNode) => void;
}

const CHAR = 7.3;

function fit(text: string, width: number): string {
  const max = Math.max(4, Math.floor(width / CHAR));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Note: a frame changes few nodes; everything a node shows is in its accessible name, so comparing
// names (plus layout and selection) lets the other few hundred skip rendering on a step.
const same = (a: Props, b: Props) =>
  a.name === b.name && a.selected === b.selected && a.box === b.box && a.node === b.node && a.numbers === b.numbers && a.detail === b.detail &&
  a.view.value === b.view.value && a.view.grad === b.view.grad && a.view.hooked === b.view.hooked && a.view.outputs === b.view.outputs && a.view.phase === b.view.phase && a.onSelect === b.onSelect;

export const NodeGlyph = memo(function NodeGlyph({ node, box, view, name, numbers, selected, detail, onSelect }: Props) {
  const w = box.width;
  const h = box.height;
  const x0 = box.x - w / 2;
  const y0 = box.y - h / 2;
  const cls = [
    'node',
    `k-${node.kind}`,
    `ph-${view.phase}`,
    node.isRoot ? 'is-root' : '',
    node.frozen ? 'is-frozen' : '',
    !node.requiresGrad && node.kind !== 'const' && node.kind !== 'grad' && node.kind !== 'accumulate' ? 'no-grad' : '',
    !node.recorded ? 'unrecorded' : '',
    selected ? 'is-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onSelect(node);
    }
  };
  const t = useT();
  const rx = node.kind === 'const' ? h / 2 : node.kind === 'grad' || node.kind === 'accumulate' ? 4 : 9;
  return (
    <g
      className={cls}
      transform={`translate(${x0},${y0})`}
      role="button"
      tabIndex={0}
      aria-label={name}
      aria-pressed={selected}
      data-key={node.key}
      onClick={() => onSelect(node)}
      onKeyDown={onKey}
    >
      <title>{name}</title>
      <rect className="halo" x={-4} y={-4} width={w + 8} height={h + 8} rx={rx + 4} fill="none" stroke="none" />
      <rect className="sel" x={-6} y={-6} width={w + 12} height={h + 12} rx={rx + 6} fill="none" stroke="none" />
      <rect className="box" width={w} height={h} rx={rx} />
      {node.kind === 'const' ? (
        <text className="label" x={w / 2} y={h / 2 + 4.5} textAnchor="middle">
          {node.label}
        </text>
      ) : node.kind === 'grad' || node.kind === 'accumulate' ? (
        <GradBody node={node} view={view} w={w} t={t} />
      ) : node.kind === 'inplace' ? (
        <>
          <text className="label" x={12} y={20}>
            {fit(node.label, w - 24)}
          </text>
          <text className="detail" x={12} y={40}>
            {t(node.recorded ? 'in-place update' : 'no_grad · not recorded')}
          </text>
        </>
      ) : (
        <TensorBody node={node} view={view} w={w} numbers={numbers} detail={badgeText(detail, t)} />
      )}
    </g>
  );
}, same);

/** The badge's words in the UI's language ('leaf', '** 3 · root'); an op's symbol stays as it is. */
function badgeText(detail: string, t: Tr): string {
  const m = /^(.*?)(?: · )?(leaf|root|frozen|earlier|untracked)$/.exec(detail);
  if (!m) return detail;
  return m[1] ? `${m[1]} · ${t(m[2])}` : t(m[2]);
}

/** A badge's width: the node's size allowed for the English, and Hangul at its own width. */
const badgeWidth = (text: string) => (text ? text.length * 6.6 + hangulWidth(text, 11 - 6.6) + 12 : 0);

function Badge({ text, right, y }: { text: string; right: number; y: number }) {
  if (!text) return null;
  const bw = badgeWidth(text);
  return (
    <g>
      <rect className="badge" x={right - bw} y={y - 12} width={bw} height={17} rx={8.5} />
      <text className="detail" x={right - bw / 2} y={y} textAnchor="middle">
        {text}
      </text>
    </g>
  );
}

/** Right of a gradient: "Σ of n" where fan-out summed it, "hook" where a tensor hook ran on it. */
function GradTags({ view, right, y }: { view: NodeView; right: number; y: number }) {
  if (!view.summed && !view.hooked) return null;
  return (
    <text x={right} y={y} textAnchor="end">
      {view.summed ? <tspan className="sum">Σ of {view.summed}</tspan> : null}
      {view.summed && view.hooked ? <tspan className="sum"> · </tspan> : null}
      {view.hooked ? <tspan className="hook">hook</tspan> : null}
    </text>
  );
}

function tagWidth(view: NodeView): number {
  const chars = (view.summed ? 4 + String(view.summed).length : 0) + (view.summed && view.hooked ? 3 : 0) + (view.hooked ? 4 : 0);
  return chars ? chars * 6.4 + 12 : 0;
}

function TensorBody({ node, view, w, numbers, detail }: { node: GraphNode; view: NodeView; w: number; numbers: boolean; detail: string }) {
  const pending = view.phase === 'pending';
  const showGrad = node.requiresGrad || node.kind === 'root' || view.grad !== null;
  const badgeW = badgeWidth(detail);
  let cy = 28;
  const rows: React.ReactNode[] = [];
  if (!numbers) {
    rows.push(view.value ? <HeatMap key="hm" value={view.value} x={12} y={cy + 6} width={w - 24} height={13} /> : null);
    cy += 20;
  }
  const t = useT();
  const valueText = node.kind === 'external' && !view.value ? t('value not recorded') : pending || !view.value ? '…' : numbers ? formatValue(view.value) : `${formatShape(view.value.shape)} ${view.value.dtype}`;
  rows.push(
    <text key="v" className={pending ? 'muted' : 'value'} x={12} y={cy + 15}>
      {fit(valueText, w - 24)}
    </text>,
  );
  cy += 19;
  if (showGrad) {
    const g = view.grad;
    const text = g ? `grad ${numbers && g.data ? formatValue(g) : `${formatShape(g.shape)} ${g.dtype}`}` : 'grad —';
    rows.push(
      <text key="g" className={g ? 'grad' : 'muted'} x={12} y={cy + 15}>
        {fit(text, w - 24 - (g ? tagWidth(view) : 0))}
      </text>,
    );
    if (g) rows.push(<GradTags key="t" view={view} right={w - 12} y={cy + 15} />);
  }
  return (
    <>
      <text className="label" x={12} y={19}>
        {fit(node.label, w - 30 - badgeW)}
      </text>
      <Badge text={detail} right={w - 8} y={18} />
      <line className="rule" x1={1} x2={w - 1} y1={28} y2={28} />
      {rows}
    </>
  );
}

function GradBody({ node, view, w, t }: { node: GraphNode; view: NodeView; w: number; t: Tr }) {
  const g = view.grad;
  const short = (v: ValueSummary) => (v.data && v.numel <= 6 ? formatValue(v) : formatShape(v.shape));
  const text = view.outputs
    ? `grads ${view.outputs.map((o) => (o.grad ? short(o.grad) : '—')).join(' · ')}`
    : g ? `grad ${short(g)}` : view.phase === 'pending' ? '…' : t('not run yet');
  return (
    <>
      <text className="label" x={12} y={20}>
        {fit(node.label, w - 24)}
      </text>
      <text className={g || view.outputs ? 'grad' : 'muted'} x={12} y={40}>
        {fit(text, w - 24 - (g ? tagWidth(view) : 0))}
      </text>
      {g ? <GradTags view={view} right={w - 10} y={40} /> : null}
    </>
  );
}
