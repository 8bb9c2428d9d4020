// print output of the run, and how it ended.
import { useEffect, useRef } from 'react';
import { useApp } from '../store/useApp';
import { useMessageT, useT } from '../i18n';

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
  const tm = useMessageT();
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [prints.length]);
  const duration = formatDuration(elapsed ?? 0);
  const summary =
    status === 'running'
      ? t('Running…')
      : status === 'done'
        ? threads && threads > 1
          ? t('Ran in {0} · {1} events · {2} threads', duration, events, threads)
          : t('Ran in {0} · {1} events', duration, events)
        : status === 'failed'
          ? error && error.line
            ? t('Failed: {0} at line {1}', error.type, error.line)
            : t('Failed: {0}', error?.type ?? 'Error')
          : status === 'stopped'
            ? t('Stopped')
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
        {notice ? <div className="notice">{tm(notice)}</div> : null}
        <div ref={endRef} />
      </div>
    </section>
  );
}
