// A small heat-map of a tensor's values (its grid summary, or its data when whole), as SVG rects.
// Note: the canvas is SVG so that an exported SVG or PNG is the page as drawn.
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

/**
 * The grid with at most maxRows rows, each the mean of the grid rows it covers, weighted by how many of the
 * tensor's rows each stands for (the engine's cell rows split h rows at ceil(k·h/rows), heatGrid's at
 * floor). A node's strip is 13 px tall: a 16×16 activation drew 256 rects in it, sub-pixel rows that
 * cost a step 250 SVG elements a node to lay out and paint.
 */
export function stripGrid(v: ValueSummary, maxRows: number): { rows: number; cols: number; data: number[] } {
  const g = heatGrid(v);
  if (g.rows <= maxRows) return g;
  const h = v.shape.length >= 2 ? v.shape[v.shape.length - 2] : 1;
  const edge = (k: number) => (v.grid ? Math.ceil((k * h) / g.rows) : Math.floor((k * h) / g.rows));
  const data: number[] = [];
  for (let j = 0; j < maxRows; j++) {
    const k0 = Math.floor((j * g.rows) / maxRows), k1 = Math.floor(((j + 1) * g.rows) / maxRows);
    for (let c = 0; c < g.cols; c++) {
      let s = 0, n = 0;
      for (let k = k0; k < k1; k++) {
        const weight = edge(k + 1) - edge(k);
        s += g.data[k * g.cols + c] * weight;
        n += weight;
      }
      data.push(n ? s / n : NaN);
    }
  }
  return { rows: maxRows, cols: g.cols, data };
}

/** Rows of a node's heat-map strip at most. */
export const STRIP_ROWS = 4;

export function HeatMap({ value, x, y, width, height }: { value: ValueSummary; x: number; y: number; width: number; height: number }) {
  const g = stripGrid(value, STRIP_ROWS);
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
