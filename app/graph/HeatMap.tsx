// A small heat-map of a tensor's values (its grid summary, or its data when whole), as SVG rects.
import type { ValueSummary } from '../../engine/events';
import { toNumber } from '../format';

export function heatColor(v: number, scale: number): string {
  if (!Number.isFinite(v)) return '#7c3aed';
  const t = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
  // Diverging: blue (negative), white (zero), red (positive); perceptually even enough for a glance.
  const mix = (a: number, b: number, u: number) => Math.round(a + (b - a) * u);
  if (t < 0) return `rgb(${mix(255, 37, -t)},${mix(255, 99, -t)},${mix(255, 235, -t)})`;
  return `rgb(${mix(255, 220, t)},${mix(255, 38, t)},${mix(255, 38, t)})`;
}

/** The grid to draw: rows x cols of numbers. */
export function heatGrid(v: ValueSummary, maxCells = 24): { rows: number; cols: number; data: number[] } {
  if (v.grid) return { rows: v.grid.rows, cols: v.grid.cols, data: v.grid.data.map(toNumber) };
  const data = (v.data ?? []).map(toNumber);
  const w = v.shape.length ? v.shape[v.shape.length - 1] : 1;
  const h = v.shape.length >= 2 ? v.shape[v.shape.length - 2] : 1;
  const rows = Math.min(h, maxCells);
  const cols = Math.min(w, maxCells);
  const out: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      // Block means, as the engine's summary does for larger tensors.
      let s = 0;
      let n = 0;
      const r0 = Math.floor((r * h) / rows), r1 = Math.floor(((r + 1) * h) / rows);
      const c0 = Math.floor((c * w) / cols), c1 = Math.floor(((c + 1) * w) / cols);
      for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) {
        const x = data[i * w + j];
        if (x !== undefined) {
          s += x;
          n++;
        }
      }
      out.push(n ? s / n : 0);
    }
  return { rows, cols, data: out };
}

export function HeatMap({ value, x, y, width, height }: { value: ValueSummary; x: number; y: number; width: number; height: number }) {
  const g = heatGrid(value);
  const scale = Math.max(Math.abs(toNumber(value.min)) || 0, Math.abs(toNumber(value.max)) || 0);
  const cw = width / g.cols;
  const ch = height / g.rows;
  return (
    <g aria-hidden="true">
      {g.data.map((v, i) => (
        <rect key={i} x={x + (i % g.cols) * cw} y={y + Math.floor(i / g.cols) * ch} width={cw + 0.3} height={ch + 0.3} fill={heatColor(v, scale)} />
      ))}
      <rect x={x} y={y} width={width} height={height} fill="none" stroke="#cbd2dc" strokeWidth={0.8} />
    </g>
  );
}
