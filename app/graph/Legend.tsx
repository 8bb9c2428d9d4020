// The legend, drawn in SVG so the exported image carries the very same one.
import type { View } from './model';
import { GRAPH_FONT } from './graphCss';
import { english, hangulWidth, useT, type Tr } from '../i18n';

interface Item {
  label: string;
  swatch: 'leaf' | 'op' | 'root' | 'const' | 'frozen' | 'unrecorded' | 'grad' | 'accumulate' | 'active' | 'flow' | 'module' | 'frozenModule' | 'cut' | 'cluster';
}

/** What else the graph on screen shows: folded modules, frozen ones, a gradient that stops. */
export interface LegendExtras {
  modules?: boolean;
  clusters?: boolean;
  frozen?: boolean;
  cut?: boolean;
}

export function legendItems(view: View, extras: LegendExtras = {}): Item[] {
  const more: Item[] = [];
  if (extras.modules) more.push({ label: 'module (click to expand)', swatch: 'module' });
  if (extras.clusters) more.push({ label: 'expanded module (its title folds it)', swatch: 'cluster' });
  if (extras.frozen) more.push({ label: 'frozen module', swatch: 'frozenModule' });
  if (extras.cut) more.push({ label: 'no gradient (requires_grad=False)', swatch: 'cut' });
  return [...baseItems(view), ...more];
}

function baseItems(view: View): Item[] {
  return view === 'forward'
    ? [
        { label: 'leaf tensor', swatch: 'leaf' },
        { label: 'op result', swatch: 'op' },
        { label: 'root (output)', swatch: 'root' },
        { label: 'Python number', swatch: 'const' },
        { label: 'requires_grad=False', swatch: 'frozen' },
        { label: 'no_grad: not recorded', swatch: 'unrecorded' },
        { label: 'current step', swatch: 'active' },
        { label: 'gradient flowing', swatch: 'flow' },
      ]
    : [
        { label: 'grad_fn node', swatch: 'grad' },
        { label: 'AccumulateGrad', swatch: 'accumulate' },
        { label: 'leaf tensor', swatch: 'leaf' },
        { label: 'root (output)', swatch: 'root' },
        { label: 'current step', swatch: 'active' },
        { label: 'gradient along next_functions', swatch: 'flow' },
      ];
}

const SW: Record<Item['swatch'], { fill: string; stroke: string; dash?: string; rx: number }> = {
  leaf: { fill: '#e8f0fe', stroke: '#2f62c8', rx: 4 },
  op: { fill: '#ffffff', stroke: '#8b95a5', rx: 4 },
  root: { fill: '#e5f5ea', stroke: '#23874b', rx: 4 },
  const: { fill: '#f3f4f6', stroke: '#b6bcc6', rx: 7 },
  frozen: { fill: '#f1f2f4', stroke: '#b3b9c3', rx: 4 },
  unrecorded: { fill: 'url(#legend-hatch)', stroke: '#9a6b16', dash: '4 3', rx: 4 },
  grad: { fill: '#eceff3', stroke: '#6b7483', rx: 2 },
  accumulate: { fill: '#eceff3', stroke: '#2f62c8', rx: 2 },
  active: { fill: '#ffffff', stroke: '#d9480f', rx: 4 },
  flow: { fill: 'none', stroke: '#d9480f', rx: 0 },
  module: { fill: '#eef2ff', stroke: '#4f5bd5', rx: 5 },
  frozenModule: { fill: '#f1f2f4', stroke: '#a3aab5', rx: 5 },
  cut: { fill: 'none', stroke: '#9aa3b1', rx: 0 },
  cluster: { fill: '#f7f8fe', stroke: '#a9b1ec', dash: '4 3', rx: 5 },
};

export const LEGEND_HEIGHT = 26;

/** The width of a label at the legend's 11.5 px: a Hangul syllable is about twice as wide as a Latin letter. */
const labelWidth = (label: string) => label.length * 6.4 + hangulWidth(label, 11.5 - 6.4);

/** The exported legend's width, for labels in the UI's language. */
export function legendWidth(view: View, extras: LegendExtras = {}, t: Tr = english): number {
  return legendItems(view, extras).reduce((w, it) => w + 34 + labelWidth(t(it.label)) + 18, 0);
}

export function LegendSvg({ view, standalone = true, extras = {} }: { view: View; standalone?: boolean; extras?: LegendExtras }) {
  const t = useT();
  const items = legendItems(view, extras).map((i) => ({ ...i, label: t(i.label) }));
  let x = 0;
  const body = (
    <g className="legend" style={{ fontFamily: GRAPH_FONT }}>
      <defs>
        <pattern id="legend-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="5" height="5" fill="#fff8eb" />
          <line x1="0" y1="0" x2="0" y2="5" stroke="#f1dfb8" strokeWidth="2" />
        </pattern>
      </defs>
      {items.map((it) => {
        const s = SW[it.swatch];
        const gx = x;
        x += 34 + labelWidth(it.label) + 18;
        return (
          <g key={it.label} transform={`translate(${gx},0)`}>
            {it.swatch === 'flow' ? (
              <path d="M1 13 H27" stroke={s.stroke} strokeWidth={2.6} strokeDasharray="6 4" fill="none" />
            ) : it.swatch === 'cut' ? (
              <path d="M1 13 H27 M18 7 V19 M22 7 V19" stroke={s.stroke} strokeWidth={1.8} strokeDasharray="3 0" fill="none" />
            ) : (
              <rect x={1} y={6} width={26} height={14} rx={s.rx} fill={s.fill} stroke={s.stroke} strokeWidth={it.swatch === 'active' ? 2.4 : 1.3} strokeDasharray={s.dash} />
            )}
            <text x={34} y={17} fontSize={11.5} fill="#374151">
              {it.label}
            </text>
          </g>
        );
      })}
    </g>
  );
  if (!standalone) return body;
  // Export copy only (hidden on the page): the exporter appends its children under the graph.
  return (
    <svg className="legend-svg legend-export" width={legendWidth(view, extras, t)} height={LEGEND_HEIGHT} aria-hidden="true">
      {body}
    </svg>
  );
}

/** The on-page legend: the same swatches, as a wrapping list. */
export function LegendList({ view, extras = {} }: { view: View; extras?: LegendExtras }) {
  const t = useT();
  return (
    <ul className="legend-list" aria-label="Legend">
      {legendItems(view, extras).map((it) => {
        const s = SW[it.swatch];
        return (
          <li key={it.label}>
            <svg width={28} height={16} aria-hidden="true">
              {it.swatch === 'unrecorded' ? (
                <defs>
                  <pattern id="legend-hatch-ui" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="5" height="5" fill="#fff8eb" />
                    <line x1="0" y1="0" x2="0" y2="5" stroke="#f1dfb8" strokeWidth="2" />
                  </pattern>
                </defs>
              ) : null}
              {it.swatch === 'flow' ? (
                <path d="M1 8 H27" stroke={s.stroke} strokeWidth={2.6} strokeDasharray="6 4" fill="none" />
              ) : it.swatch === 'cut' ? (
                <path d="M1 8 H27 M18 2 V14 M22 2 V14" stroke={s.stroke} strokeWidth={1.8} fill="none" />
              ) : (
                <rect x={1} y={1} width={26} height={14} rx={s.rx} fill={it.swatch === 'unrecorded' ? 'url(#legend-hatch-ui)' : s.fill} stroke={s.stroke} strokeWidth={it.swatch === 'active' ? 2.4 : 1.3} strokeDasharray={s.dash} />
              )}
            </svg>
            {t(it.label)}
          </li>
        );
      })}
    </ul>
  );
}
