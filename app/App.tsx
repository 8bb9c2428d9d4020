import { useEffect } from 'react';
import { useApp } from './store/useApp';
import { TopBar } from './TopBar';
import { Editor } from './panels/Editor';
import { Console } from './panels/Console';
import { GraphPanel } from './graph/GraphPanel';
import { Timeline } from './panels/Timeline';
import { Inspector } from './panels/Inspector';
import { PanelBoundary } from './ErrorBoundary';
import { PageTabs, usePage } from './panels/training/PageTabs';
import { TrainingPanel } from './panels/training/TrainingPanel';
import { FinetunePanel } from './panels/finetune/FinetunePanel';

export function App() {
  const presentation = useApp((s) => s.presentation);
  const toast = useApp((s) => s.toast);
  const lang = useApp((s) => s.lang);
  const page = usePage();
  useEffect(() => {
    document.documentElement.classList.toggle('presentation', presentation);
  }, [presentation]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <div className={`app ${presentation ? 'is-presentation' : ''}`}>
      <TopBar />
      <PageTabs />
      {page === 'training' ? <TrainingPanel /> : null}
      {page === 'finetune' ? <FinetunePanel /> : null}
      <main className="workspace" style={page !== 'graph' ? { display: 'none' } : undefined}>
        {presentation ? null : (
          <aside className="left" aria-label="Program and output">
            <Editor />
            <Console />
          </aside>
        )}
        <div className="center">
          <PanelBoundary name="graph">
            <GraphPanel />
          </PanelBoundary>
          <Timeline />
        </div>
        <aside className="right" aria-label="Inspector">
          <PanelBoundary name="inspector">
            <Inspector />
          </PanelBoundary>
        </aside>
      </main>
      <div className="toast" aria-live="polite">
        {toast ? <div className="toast-body">{toast}</div> : null}
      </div>
    </div>
  );
}
