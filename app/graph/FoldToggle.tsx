// "Folded by module · 15 of 260 nodes  [Show every op]": for graphs with module events.
import { useApp } from '../store/useApp';
import { setUnfolded } from '../store/appStore';
import './folding.css';
import { useT } from '../i18n';

/** "Fold by module" / "Show every op", for graphs with module events. */
export function FoldToggle({ nodes, shown }: { nodes: number; shown: number }) {
  const unfolded = useApp((s) => s.unfolded);
  const t = useT();
  return (
    <div className="fold-toggle">
      <span className="fold-note">{unfolded ? t('All {0} nodes', nodes) : t('Folded by module · {0} of {1} nodes', shown, nodes)}</span>
      <button type="button" className="btn small" aria-pressed={!unfolded} onClick={() => setUnfolded(!unfolded)} title={unfolded ? t('Fold the graph by module') : t('Draw all {0} nodes', nodes)} aria-label={unfolded ? 'Fold by module' : 'Show every op'}>
        <svg viewBox="0 0 16 16" aria-hidden="true" className="btn-icon">
          {unfolded ? <path d="M2.5 3.5h11v9h-11zM5 6.5h6M5 9.5h6" /> : <path d="M2.5 2.5h5v5h-5zM8.5 8.5h5v5h-5zM7.5 5h3.5v3.5" />}
        </svg>
        {t(unfolded ? 'Fold by module' : 'Show every op')}
      </button>
    </div>
  );
}

