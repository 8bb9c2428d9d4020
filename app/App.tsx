import { useEffect } from 'react';
import { useApp } from './store/useApp';
import { TopBar } from './TopBar';
import { Editor } from './panels/Editor';
import { Console } from './panels/Console';
import { GraphPanel } from './graph/GraphPanel';
import { Timeline } from './panels/Timeline';
import { Inspector } from './panels/Inspector';

export function App() {
  const presentation = useApp((s) => s.presentation);
  const notice = useApp((s) => s.notice);
  useEffect(() => {
    document.documentElement.classList.toggle('presentation', presentation);
  }, [presentation]);
  return (
    <div className={`app ${presentation ? 'is-presentation' : ''}`}>
      <TopBar />
      <main className="workspace">
        {presentation ? null : (
          <aside className="left" aria-label="Program and output">
            <Editor />
            <Console />
          </aside>
        )}
        <div className="center">
          <GraphPanel />
          <Timeline />
        </div>
        <aside className="right" aria-label="Inspector">
          <Inspector />
        </aside>
      </main>
      <div className="toast" aria-live="polite">
        {notice ? <div className="toast-body">{notice}</div> : null}
      </div>
    </div>
  );
}
