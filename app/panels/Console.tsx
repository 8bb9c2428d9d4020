// print output of the run, and how it ended.
import { useEffect, useRef } from 'react';
import { useApp } from '../store/useApp';
import { useT } from '../i18n';

/** The time the run took, as a person says it: '85 ms', '1.8 s', '12 s'. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

export function Console() {
  const prints = useApp((s) => s.run.prints);
  const status = useApp((s) => s.status);
  const elapsed = useApp((s) => s.elapsedMs);
  const error = useApp((s) => s.error);
  const notice = useApp((s) => s.notice);
  const events = useApp((s) => s.run.eventCount);
  const threads = useApp((s) => s.threads);
  const endRef = useRef<HTMLDivElement>(null);
  const t = useT();
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [prints.length]);
  const summary =
    status === 'running'
      ? 'Running…'
      : status === 'done'
        ? `Ran in ${formatDuration(elapsed ?? 0)} · ${events} events${threads && threads > 1 ? ` · ${threads} threads` : ''}`
        : status === 'failed'
          ? `Failed: ${error?.type ?? 'Error'}${error && error.line ? ` at line ${error.line}` : ''}`
          : status === 'stopped'
            ? 'Stopped'
            : '';
  return (
    <section className="panel console" aria-labelledby="console-title">
      <header className="panel-head">
        <h2 id="console-title">{t('Console')}</h2>
        <span className={`hint run-${status}`}>{summary}</span>
      </header>
      <div className="console-body" tabIndex={0} aria-label="print output">
        {prints.length === 0 ? <div className="empty">{t('print() output appears here.')}</div> : null}
        {prints.map((p, i) => (
          <div key={i} className="out">
            {p.text}
          </div>
        ))}
        {notice ? <div className="notice">{notice}</div> : null}
        <div ref={endRef} />
      </div>
    </section>
  );
}
