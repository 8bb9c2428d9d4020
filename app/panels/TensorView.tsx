// A tensor's value: numbers when small, a heat-map when larger; always with shape and dtype.
import type { ValueSummary } from '../../engine/events';
import { formatNumber, formatShape, isSmall, toNumber } from '../format';
import { heatColor, heatGrid } from '../graph/HeatMap';
import { useT } from '../i18n';
import { useLayoutEffect, useMemo, useRef } from 'react';

/**
 * The inspector's heat-map, painted on a canvas: as SVG it was up to 576 rects, all restyled on every step
 * (the inspector follows the stepper), about a third of the inspector's share of a step.
 */
function HeatCanvas({ grid, scale, width, height, label }: { grid: { rows: number; cols: number; data: number[] }; scale: number; width: number; height: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const dpr = typeof window === 'undefined' ? 1 : Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const W = Math.round(width * dpr);
    const H = Math.round(height * dpr);
    ctx.clearRect(0, 0, W, H);
    // Cell edges on whole device pixels: neighbouring cells meet without a seam.
    for (let r = 0; r < grid.rows; r++) {
      const y0 = Math.round((r * H) / grid.rows);
      const y1 = Math.round(((r + 1) * H) / grid.rows);
      for (let c = 0; c < grid.cols; c++) {
        const x0 = Math.round((c * W) / grid.cols);
        const x1 = Math.round(((c + 1) * W) / grid.cols);
        ctx.fillStyle = heatColor(grid.data[r * grid.cols + c], scale);
        ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      }
    }
  }, [grid, scale, width, height, dpr]);
  return <canvas ref={ref} className="heat" width={Math.round(width * dpr)} height={Math.round(height * dpr)} style={{ width }} role="img" aria-label={label} />;
}

export function TensorView({ value, tone = 'value' }: { value: ValueSummary; tone?: 'value' | 'grad' }) {
  const t = useT();
  const meta = (
    <div className="tensor-meta">
      shape {formatShape(value.shape)} · {value.dtype}
      {value.numel > 1 ? ` · ${t('{0} elements', value.numel)}` : ''}
      {value.nonFinite ? ` · ${t('{0} non-finite', value.nonFinite)}` : ''}
    </div>
  );
  // The same summary keeps its grid (and the canvas is not repainted) when the inspector re-renders.
  const grid = useMemo(() => (isSmall(value) ? null : heatGrid(value)), [value]);
  if (grid === null) {
    const data = value.data!;
    if (value.shape.length === 0)
      return (
        <div className={`tensor tone-${tone}`}>
          <div className="scalar">{formatNumber(data[0])}</div>
          {meta}
        </div>
      );
    const cols = value.shape[value.shape.length - 1] || 1;
    const rows = Math.max(1, data.length / cols);
    return (
      <div className={`tensor tone-${tone}`}>
        <table className="numbers">
          <tbody>
            {Array.from({ length: rows }, (_, r) => (
              <tr key={r}>
                {data.slice(r * cols, r * cols + cols).map((x, c) => (
                  <td key={c}>{formatNumber(x)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {meta}
      </div>
    );
  }
  const g = grid;
  const scale = Math.max(Math.abs(toNumber(value.min)) || 0, Math.abs(toNumber(value.max)) || 0);
  const W = 300;
  const H = Math.min(160, Math.max(18, (W / g.cols) * g.rows));
  return (
    <div className={`tensor tone-${tone}`}>
      <HeatCanvas grid={g} scale={scale} width={W} height={H} label={`Heat-map of a ${formatShape(value.shape)} tensor, min ${formatNumber(value.min)}, max ${formatNumber(value.max)}`} />
      <div className="heat-scale">
        <span>min {formatNumber(value.min)}</span>
        <span className="bar" aria-hidden="true" />
        <span>max {formatNumber(value.max)}</span>
        <span>mean {formatNumber(value.mean)}</span>
      </div>
      {meta}
    </div>
  );
}
