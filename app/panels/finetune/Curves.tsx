// The fine-tune panel's two d3 plots: the loss (training loss per step, held-out loss per epoch) and the
// accuracy per epoch (training and held-out, with the 90% goal). React owns the <svg>; d3 owns what is
// inside it (scales, axes, paths).
import { useEffect, useRef } from 'react';
import * as d3 from 'd3';
import type { EpochRecord } from '../../finetune/protocol';

export const TRAIN_COLOR = '#7f9fdc';
export const HELD_OUT_COLOR = '#1d5fd1';
export const TRAIN_ACC_COLOR = '#9aa3b1';
const GOAL_COLOR = '#23874b';

const W = 520;
const H = 220;
const M = { top: 12, right: 16, bottom: 34, left: 46 };
const IW = W - M.left - M.right;
const IH = H - M.top - M.bottom;

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

function frame(svg: SVGSVGElement): G {
  const root = d3.select(svg);
  let g = root.select<SVGGElement>('g.plot');
  if (g.empty()) {
    g = root.append('g').attr('class', 'plot').attr('transform', `translate(${M.left},${M.top})`);
    g.append('g').attr('class', 'grid-y');
    g.append('g').attr('class', 'axis x').attr('transform', `translate(0,${IH})`);
    g.append('g').attr('class', 'axis y');
    g.append('g').attr('class', 'lines');
    g.append('g').attr('class', 'dots');
    g.append('text').attr('class', 'axis-label x-label').attr('x', IW).attr('y', IH + 30).attr('text-anchor', 'end');
  }
  return g;
}

function path(g: G, cls: string, d: string | null, color: string, width: number, dash?: string): void {
  const lines = g.select<SVGGElement>('g.lines');
  let p = lines.select<SVGPathElement>(`path.${cls}`);
  if (p.empty()) p = lines.append('path').attr('class', cls).attr('fill', 'none');
  p.attr('d', d ?? '').attr('stroke', color).attr('stroke-width', width).attr('stroke-linejoin', 'round').attr('stroke-dasharray', dash ?? null);
}

function dots(g: G, cls: string, pts: [number, number][], color: string): void {
  g.select<SVGGElement>('g.dots')
    .selectAll<SVGCircleElement, [number, number]>(`circle.${cls}`)
    .data(pts)
    .join('circle')
    .attr('class', cls)
    .attr('cx', (d) => d[0])
    .attr('cy', (d) => d[1])
    .attr('r', 3.2)
    .attr('fill', '#fff')
    .attr('stroke', color)
    .attr('stroke-width', 2);
}

function grid(g: G, x: d3.AxisScale<number>, y: d3.ScaleLinear<number, number>, xTicks: number, yFormat?: (v: d3.NumberValue) => string): void {
  g.select<SVGGElement>('g.axis.x').call(d3.axisBottom(x).ticks(xTicks, 'd'));
  const yAxis = d3.axisLeft(y).ticks(5);
  if (yFormat) yAxis.tickFormat(yFormat);
  g.select<SVGGElement>('g.axis.y').call(yAxis);
  g.select<SVGGElement>('g.grid-y')
    .call(d3.axisLeft(y).ticks(5).tickSize(-IW).tickFormat(() => ''))
    .call((s) => s.select('.domain').remove());
}

export function LossPlot(props: {
  losses: Float32Array;
  count: number;
  version: number;
  totalSteps: number;
  stepsPerEpoch: number;
  epochs: EpochRecord[];
  xLabel: string;
  label: string;
}) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const g = frame(svg);
    const x = d3.scaleLinear().domain([0, Math.max(1, props.totalSteps)]).range([0, IW]);
    let top = 0;
    for (let i = 0; i < props.count; i++) top = Math.max(top, props.losses[i]);
    for (const e of props.epochs) top = Math.max(top, e.heldOutLoss);
    const y = d3.scaleLinear().domain([0, Math.max(0.5, top * 1.05)]).nice().range([IH, 0]);
    grid(g, x, y, 6);
    g.select('text.x-label').text(props.xLabel);
    // At most ~2 points per pixel: the per-step loss is noisy, thinning keeps the path small.
    const stride = Math.max(1, Math.floor(props.count / (IW * 2)));
    const pts: [number, number][] = [];
    for (let i = 0; i < props.count; i += stride) pts.push([x(i + 1), y(props.losses[i])]);
    path(g, 'train', pts.length ? d3.line()(pts) : null, TRAIN_COLOR, 1.2);
    const held = props.epochs.map((e) => [x(e.epoch * props.stepsPerEpoch), y(e.heldOutLoss)] as [number, number]);
    path(g, 'held-out', held.length ? d3.line()(held) : null, HELD_OUT_COLOR, 2.4);
    dots(g, 'held-out', held, HELD_OUT_COLOR);
  }, [props.version, props.count, props.totalSteps, props.stepsPerEpoch, props.epochs, props.xLabel]);
  return <svg ref={ref} className="ft-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} />;
}

export function AccuracyPlot(props: { epochs: EpochRecord[]; totalEpochs: number; xLabel: string; goalLabel: string; label: string }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const g = frame(svg);
    const x = d3.scaleLinear().domain([0, Math.max(1, props.totalEpochs)]).range([0, IW]);
    // The interesting part is above chance (25% for four classes): start the axis at 0.2.
    const y = d3.scaleLinear().domain([0.2, 1]).range([IH, 0]);
    grid(g, x, y, Math.min(10, props.totalEpochs), (v) => `${Math.round(+v * 100)}%`);
    g.select('text.x-label').text(props.xLabel);
    path(g, 'goal', d3.line()([[0, y(0.9)], [IW, y(0.9)]]), GOAL_COLOR, 1.4, '5 4');
    let goal = g.select<SVGTextElement>('text.goal-label');
    if (goal.empty()) goal = g.append('text').attr('class', 'goal-label');
    goal.attr('x', 6).attr('y', y(0.9) - 5).attr('fill', GOAL_COLOR).attr('font-size', 11).attr('font-weight', 600).text(props.goalLabel);
    const train = props.epochs.map((e) => [x(e.epoch), y(Math.max(0.2, e.trainAccuracy))] as [number, number]);
    const held = props.epochs.map((e) => [x(e.epoch), y(Math.max(0.2, e.heldOutAccuracy))] as [number, number]);
    path(g, 'train', train.length ? d3.line()(train) : null, TRAIN_ACC_COLOR, 2, '4 3');
    path(g, 'held-out', held.length ? d3.line()(held) : null, HELD_OUT_COLOR, 2.4);
    dots(g, 'held-out', held, HELD_OUT_COLOR);
  }, [props.epochs, props.totalEpochs, props.xLabel, props.goalLabel]);
  return <svg ref={ref} className="ft-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} />;
}
