// A tensor's value: numbers when small, a heat-map when larger; always with shape and dtype.
import type { ValueSummary } from '../../engine/events';
import { formatNumber, formatShape, isSmall, toNumber } from '../format';
import { heatColor, heatGrid } from '../graph/HeatMap';
import { useT } from '../i18n';

export function TensorView({ value, tone = 'value' }: { value: ValueSummary; tone?: 'value' | 'grad' }) {
  const t = useT();
  const meta = (
    <div className="tensor-meta">
      shape {formatShape(value.shape)} · {value.dtype}
      {value.numel > 1 ? ` · ${t('{0} elements', value.numel)}` : ''}
      {value.nonFinite ? ` · ${t('{0} non-finite', value.nonFinite)}` : ''}
    </div>
  );
  if (isSmall(value)) {
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
  const g = heatGrid(value);
  const scale = Math.max(Math.abs(toNumber(value.min)) || 0, Math.abs(toNumber(value.max)) || 0);
  const W = 300;
  const cw = W / g.cols;
  const H = Math.min(160, Math.max(18, cw * g.rows));
  const ch = H / g.rows;
  return (
    <div className={`tensor tone-${tone}`}>
      <svg className="heat" width={W} height={H} role="img" aria-label={`Heat-map of a ${formatShape(value.shape)} tensor, min ${formatNumber(value.min)}, max ${formatNumber(value.max)}`}>
        {g.data.map((v, i) => (
          <rect key={i} x={(i % g.cols) * cw} y={Math.floor(i / g.cols) * ch} width={cw + 0.3} height={ch + 0.3} fill={heatColor(v, scale)} />
        ))}
      </svg>
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
