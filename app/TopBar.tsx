// The top bar: the view toggle and the share / export / presentation actions.
import { useApp } from './store/useApp';
import { appStore, showToast, togglePresentation, toggleView, setLang } from './store/appStore';
import { currentUrl } from './urlSync';
import { download, graphSvgString, svgToPng } from './graph/exportGraph';
import { withWholeGraph } from './graph/GraphCanvas';
import { t, useT } from './i18n';

function exportTitle(): string {
  const s = appStore.getState();
  return `Autograd Playground · ${t(s.view === 'forward' ? 'Forward graph' : 'Backward graph')}`;
}

function currentSvg(): { svg: SVGSVGElement; legend: SVGSVGElement | null } | null {
  const svg = document.querySelector<SVGSVGElement>('svg.graph-svg');
  if (!svg) return null;
  return { svg, legend: document.querySelector<SVGSVGElement>('.legend-bar svg.legend-svg') };
}

async function exportSvg() {
  const text = await withWholeGraph(() => {
    const c = currentSvg();
    return c ? graphSvgString(c.svg, c.legend, exportTitle()) : null;
  });
  if (!text) return;
  download(new Blob([text], { type: 'image/svg+xml' }), `autograd-${appStore.getState().view}.svg`);
}

async function exportPng() {
  const text = await withWholeGraph(() => {
    const c = currentSvg();
    return c ? graphSvgString(c.svg, c.legend, exportTitle()) : null;
  });
  if (!text) return;
  try {
    const png = await svgToPng(text);
    download(png, `autograd-${appStore.getState().view}.png`);
  } catch {
    showToast(t('Could not make the PNG in this browser; Export SVG works everywhere.'));
  }
}

async function shareLink() {
  const url = currentUrl();
  try {
    await navigator.clipboard.writeText(url);
    showToast(t('Link copied: it opens this program at this step.'));
  } catch {
    showToast(t('Copy this link: {0}', url), 15000);
  }
}

const I = ({ d }: { d: string }) => (
  <svg viewBox="0 0 16 16" aria-hidden="true" className="btn-icon">
    <path d={d} />
  </svg>
);

export function TopBar() {
  const view = useApp((s) => s.view);
  const presentation = useApp((s) => s.presentation);
  const lang = useApp((s) => s.lang);
  const tr = useT();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ∂
        </span>
        <span className="brand-name">Autograd Playground</span>
        <span className="brand-sub">{tr('PyTorch autograd, step by step')}</span>
      </div>
      <div className="view-toggle">
        <span className="current-view" aria-hidden="true">
          <span className={view === 'forward' ? 'on' : ''}>{tr('Forward')}</span>
          <span className={view === 'backward' ? 'on' : ''}>{tr('Backward')}</span>
        </span>
        <button type="button" className="btn toggle" onClick={toggleView} title={tr('Switch view (B)')} aria-keyshortcuts="B" aria-label={view === 'forward' ? 'Backward graph' : 'Forward graph'}>
          <I d="M3 5h9l-2.5-2.5M13 11H4l2.5 2.5" />
          {tr(view === 'forward' ? 'Backward' : 'Forward')}
          <span className="btn-label"> {tr('graph')}</span>
        </button>
      </div>
      <div className="actions">
        <button type="button" className="btn ghost" onClick={shareLink} aria-label="Share link" title={tr('Share link: this program at this step')}>
          <I d="M6.5 9.5l3-3M7 4.5l1-1a2.8 2.8 0 014 4l-1 1M9 11.5l-1 1a2.8 2.8 0 01-4-4l1-1" />
          <span className="btn-label">{tr('Share link')}</span>
        </button>
        <button type="button" className="btn ghost" onClick={exportSvg} aria-label="Export SVG" title={tr('Export the graph as SVG')}>
          <I d="M8 2v8M5 7l3 3 3-3M3 12.5h10" />
          <span className="btn-label">{tr('Export SVG')}</span>
        </button>
        <button type="button" className="btn ghost" onClick={exportPng} aria-label="Export PNG" title={tr('Export the graph as PNG')}>
          <I d="M8 2v8M5 7l3 3 3-3M3 12.5h10" />
          <span className="btn-label">{tr('Export PNG')}</span>
        </button>
        <button type="button" className={`btn ghost ${presentation ? 'active' : ''}`} aria-pressed={presentation} onClick={togglePresentation} aria-label="Presentation mode" title={tr('Presentation mode (P; Escape leaves it)')} aria-keyshortcuts="P">
          <I d="M2 3h12v8H2zM8 11v3M5 14h6" />
          <span className="btn-label">{tr('Presentation mode')}</span>
        </button>
        <button type="button" className="btn ghost lang" onClick={() => setLang(lang === 'en' ? 'ko' : 'en')} lang={lang === 'en' ? 'ko' : 'en'} aria-label={lang === 'en' ? '한국어' : 'English'}>
          {lang === 'en' ? '한국어' : 'EN'}
        </button>
      </div>
    </header>
  );
}
