// The training panel's two d3 plots: sin(x) with the fitted cubic of each column, and the loss per
// iteration on a log scale. React owns the <svg>; d3 owns what is inside it (scales, axes, paths).
import { useEffect, useRef } from 'react';
import * as d3 from 'd3';
import type { Coeffs, Column } from '../../../engine/train/polyfit';

export const COLUMN_COLOR: Record<Column, string> = { autograd: '#1d5fd1', hand: '#d9480f' };
const TARGET_COLOR = '#9aa3b1';

const W = 560;
const M = { top: 14, right: 16, bottom: 34, left: 52 };

/** Points of the drawn curves (the model is evaluated on the page; the values come from the worker). */
const CURVE_POINTS = 241;
const XS = d3.range(CURVE_POINTS).map((i) => -Math.PI + (2 * Math.PI * i) / (CURVE_POINTS - 1));

const cubic = ([a, b, c, d]: Coeffs) => (x: number) => a + b * x + c * x * x + d * x * x * x;

function frame(svg: SVGSVGElement, height: number) {
  const root = d3.select(svg);
  let g = root.select<SVGGElement>('g.plot');
  if (g.empty()) {
    g = root.append('g').attr('class', 'plot').attr('transform', `translate(${M.left},${M.top})`);
    g.append('g').attr('class', 'grid-y');
    g.append('g').attr('class', 'axis x').attr('transform', `translate(0,${height - M.top - M.bottom})`);
    g.append('g').attr('class', 'axis y');
    g.append('g').attr('class', 'lines').attr('clip-path', `url(#${svg.id}-clip)`);
    root
      .append('clipPath')
      .attr('id', `${svg.id}-clip`)
      .append('rect')
      .attr('width', W - M.left - M.right)
      .attr('height', height - M.top - M.bottom);
    g.append('text').attr('class', 'axis-label x-label');
    g.append('text').attr('class', 'axis-label y-label');
  }
  return g;
}

function line(g: d3.Selection<SVGGElement, unknown, null, undefined>, cls: string, d: string | null, color: string, width: number, dash?: string) {
  const lines = g.select<SVGGElement>('g.lines');
  let p = lines.select<SVGPathElement>(`path.${cls}`);
  if (p.empty()) p = lines.append('path').attr('class', cls).attr('fill', 'none');
  p.attr('d', d ?? '').attr('stroke', color).attr('stroke-width', width).attr('stroke-linejoin', 'round').attr('stroke-dasharray', dash ?? null);
}

export function FitPlot(props: { coeffs: Record<Column, Coeffs>; label: string; xLabel: string; targetLabel: string; columnLabels: Record<Column, string> }) {
  const ref = useRef<SVGSVGElement>(null);
  const H = 250;
  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const g = frame(svg, H);
    const iw = W - M.left - M.right;
    const ih = H - M.top - M.bottom;
    const x = d3.scaleLinear().domain([-Math.PI, Math.PI]).range([0, iw]);
    const y = d3.scaleLinear().domain([-2, 2]).range([ih, 0]);
    g.select<SVGGElement>('g.axis.x').call(
      d3
        .axisBottom(x)
        .tickValues([-Math.PI, -Math.PI / 2, 0, Math.PI / 2, Math.PI])
        .tickFormat((v) => ({ [-Math.PI]: '−π', [-Math.PI / 2]: '−π/2', 0: '0', [Math.PI / 2]: 'π/2', [Math.PI]: 'π' })[+v] ?? ''),
    );
    g.select<SVGGElement>('g.axis.y').call(d3.axisLeft(y).ticks(5));
    g.select<SVGGElement>('g.grid-y')
      .call(d3.axisLeft(y).ticks(5).tickSize(-iw).tickFormat(() => ''))
      .call((s) => s.select('.domain').remove());
    g.select('text.x-label').attr('x', iw).attr('y', ih + 30).attr('text-anchor', 'end').text(props.xLabel);
    const curve = (f: (v: number) => number) => {
      const pts = XS.map((v) => [x(v), y(f(v))] as [number, number]);
      if (pts.some(([, py]) => !Number.isFinite(py))) return null;
      return d3.line()(pts.map(([px, py]) => [px, Math.max(-1e4, Math.min(1e4, py))]));
    };
    line(g, 'target', curve(Math.sin), TARGET_COLOR, 5);
    line(g, 'fit-autograd', curve(cubic(props.coeffs.autograd)), COLUMN_COLOR.autograd, 2.4);
    line(g, 'fit-hand', curve(cubic(props.coeffs.hand)), COLUMN_COLOR.hand, 2, '6 5');
  }, [props.coeffs, props.xLabel]);
  return (
    <figure className="tp-plot">
      <figcaption>
        <span className="tp-plot-title">{props.label}</span>
        <span className="tp-legend">
          <Swatch color={TARGET_COLOR} width={5} /> {props.targetLabel}
          <Swatch color={COLUMN_COLOR.autograd} /> {props.columnLabels.autograd}
          <Swatch color={COLUMN_COLOR.hand} dash /> {props.columnLabels.hand}
        </span>
      </figcaption>
      <svg ref={ref} id="tp-fit" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} />
    </figure>
  );
}

export function LossPlot(props: {
  losses: Record<Column, Float64Array>;
  t: number;
  iterations: number;
  version: number;
  label: string;
  xLabel: string;
  columnLabels: Record<Column, string>;
}) {
  const ref = useRef<SVGSVGElement>(null);
  const H = 220;
  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const g = frame(svg, H);
    const iw = W - M.left - M.right;
    const ih = H - M.top - M.bottom;
    const n = props.t;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of ['hand', 'autograd'] as const) {
      const l = props.losses[c];
      for (let i = 0; i < n; i++) {
        const v = l[i];
        if (v > 0 && Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    if (!Number.isFinite(lo)) {
      lo = 1;
      hi = 1e4;
    }
    if (hi / lo < 100) {
      lo /= 10;
      hi *= 10;
    }
    const x = d3.scaleLinear().domain([0, Math.max(1, props.iterations - 1)]).range([0, iw]);
    const y = d3.scaleLog().domain([lo, hi]).range([ih, 0]).nice();
    g.select<SVGGElement>('g.axis.x').call(d3.axisBottom(x).ticks(6, 'd'));
    const decades = Math.log10(y.domain()[1]) - Math.log10(y.domain()[0]);
    const yAxis = d3.axisLeft(y).ticks(Math.min(6, Math.max(2, Math.round(decades))), '~e');
    g.select<SVGGElement>('g.axis.y').call(yAxis);
    g.select<SVGGElement>('g.grid-y')
      .call(d3.axisLeft(y).ticks(Math.min(6, Math.max(2, Math.round(decades)))).tickSize(-iw).tickFormat(() => ''))
      .call((s) => s.select('.domain').remove());
    g.select('text.x-label').attr('x', iw).attr('y', ih + 30).attr('text-anchor', 'end').text(props.xLabel);
    // At most ~2 points per pixel column: a 100k-iteration run draws as fast as a 2000-iteration one.
    const stride = Math.max(1, Math.floor(n / (iw * 2)));
    const path = (l: Float64Array) => {
      const pts: [number, number][] = [];
      for (let i = 0; i < n; i += stride) {
        const v = l[i];
        if (!(v > 0) || !Number.isFinite(v)) break;
        pts.push([x(i), y(v)]);
      }
      if (n > 0 && (n - 1) % stride !== 0 && l[n - 1] > 0 && Number.isFinite(l[n - 1])) pts.push([x(n - 1), y(l[n - 1])]);
      return pts.length ? d3.line()(pts) : null;
    };
    line(g, 'loss-autograd', path(props.losses.autograd), COLUMN_COLOR.autograd, 2.6);
    line(g, 'loss-hand', path(props.losses.hand), COLUMN_COLOR.hand, 1.6, '6 5');
  }, [props.version, props.t, props.iterations, props.xLabel]);
  return (
    <figure className="tp-plot">
      <figcaption>
        <span className="tp-plot-title">{props.label}</span>
        <span className="tp-legend">
          <Swatch color={COLUMN_COLOR.autograd} /> {props.columnLabels.autograd}
          <Swatch color={COLUMN_COLOR.hand} dash /> {props.columnLabels.hand}
        </span>
      </figcaption>
      <svg ref={ref} id="tp-loss" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} />
    </figure>
  );
}

function Swatch({ color, width = 2.5, dash = false }: { color: string; width?: number; dash?: boolean }) {
  return (
    <svg className="tp-swatch" width="22" height="10" aria-hidden="true">
      <line x1="1" y1="5" x2="21" y2="5" stroke={color} strokeWidth={width} strokeDasharray={dash ? '5 3' : undefined} strokeLinecap="round" />
    </svg>
  );
}
