// The program editor: a plain textarea over a backdrop that draws the error underline and the
// current step's source range. Ctrl/Cmd+Enter runs. The text is only ever given to the interpreter.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { EXAMPLES, type Example } from './examples';
import './examples.css';
import { useApp } from '../store/useApp';
import { setProgram } from '../store/appStore';
import { runProgram, stopRun } from '../bridge';
import { frameAt } from '../store/frame';
import type { SourcePos } from '../../engine/events';
import type { RunError, RunModel } from '../store/types';
import type { Frame } from '../store/frame';
import { useMessageT, useT } from '../i18n';

interface Range {
  start: number;
  end: number;
  kind: 'error' | 'step';
}

/** Offset in `text` of a 1-based line and column. */
export function offsetOf(text: string, line: number, col: number): number {
  let off = 0;
  const lines = text.split('\n');
  for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i].length + 1;
  const len = lines[line - 1]?.length ?? 0;
  return off + Math.max(0, Math.min(len, col - 1));
}

function rangeOf(text: string, pos: { line: number; col: number; endLine?: number; endCol?: number }, kind: Range['kind']): Range | null {
  const lines = text.split('\n');
  if (pos.line < 1 || pos.line > lines.length) return null;
  const start = offsetOf(text, pos.line, Math.max(1, pos.col));
  let end: number;
  if (pos.endLine !== undefined && pos.endCol !== undefined && (pos.endLine > pos.line || pos.endCol > pos.col)) end = offsetOf(text, pos.endLine, pos.endCol);
  else if (pos.col <= 1 && kind === 'error') end = offsetOf(text, pos.line, lines[pos.line - 1].length + 1);
  else {
    // To the end of the token at the column (at least one character).
    const rest = text.slice(start);
    const m = /^[A-Za-z_0-9.]+|^./.exec(rest);
    end = start + (m ? m[0].length : 1);
  }
  if (end <= start) end = Math.min(text.length, start + 1);
  return { start, end, kind };
}

function stepPos(run: RunModel, f: Frame): SourcePos | undefined {
  const s = f.step;
  if (!s) return undefined;
  if (s.kind === 'forward') return run.ops[s.op].pos;
  if (s.kind === 'inplace') return run.inplaces[s.inplace].pos;
  return run.backwards[s.backward].pos;
}

export function Editor() {
  const program = useApp((s) => s.program);
  const runSource = useApp((s) => s.runSource);
  const error = useApp((s) => s.error);
  const status = useApp((s) => s.status);
  const run = useApp((s) => s.run);
  const segment = useApp((s) => s.segment);
  const position = useApp((s) => s.position);
  const taRef = useRef<HTMLTextAreaElement>(null);
  const backRef = useRef<HTMLPreElement>(null);
  const syntaxRef = useRef<HTMLPreElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const tabLeaves = useRef(false);
  const unchanged = program === runSource;
  const t = useT();

  const ranges = useMemo(() => {
    const out: Range[] = [];
    if (!unchanged) return out;
    if (error && error.line > 0) {
      const r = rangeOf(program, error, 'error');
      if (r) out.push(r);
    }
    const p = stepPos(run, frameAt(run, segment, position));
    if (p) {
      const r = rangeOf(program, p, 'step');
      if (r && !out.some((o) => o.start < r.end && r.start < o.end)) out.push(r);
    }
    return out.sort((a, b) => a.start - b.start);
  }, [program, unchanged, error, run, segment, position]);

  const lineCount = program.split('\n').length;
  const errorLine = unchanged && error && error.line > 0 ? error.line : null;

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      runProgram(e.currentTarget.value);
      return;
    }
    if (e.key === 'Escape') {
      // Escape, then Tab, leaves the editor (Tab alone indents): no keyboard trap.
      tabLeaves.current = true;
      return;
    }
    if (e.key === 'Tab' && !tabLeaves.current && !e.shiftKey) {
      e.preventDefault();
      const ta = e.currentTarget;
      const { selectionStart: s, selectionEnd: t, value } = ta;
      const next = `${value.slice(0, s)}    ${value.slice(t)}`;
      setProgram(next);
      requestAnimationFrame(() => {
        ta.selectionStart = ta.selectionEnd = s + 4;
      });
      return;
    }
    tabLeaves.current = false;
  };

  const onScroll = () => {
    const ta = taRef.current;
    if (!ta) return;
    for (const el of [backRef.current, syntaxRef.current]) {
      if (!el) continue;
      el.scrollTop = ta.scrollTop;
      el.scrollLeft = ta.scrollLeft;
    }
    if (gutterRef.current) gutterRef.current.scrollTop = ta.scrollTop;
  };

  // The current step's source (or the error) is kept in view, as a debugger does: stepping through a
  // long training loop moves the editor to the line that ran, without moving the caret or the focus.
  const shown = ranges.find((r) => r.kind === 'step') ?? ranges.find((r) => r.kind === 'error');
  useLayoutEffect(() => {
    const ta = taRef.current;
    const mark = backRef.current?.querySelector<HTMLElement>(`mark.mark-${shown?.kind}`);
    if (!ta || !mark) return;
    const next = revealScroll(
      { top: ta.scrollTop, left: ta.scrollLeft, width: ta.clientWidth, height: ta.clientHeight },
      { top: mark.offsetTop, left: mark.offsetLeft, width: mark.offsetWidth, height: mark.offsetHeight },
    );
    ta.scrollTop = next.top;
    ta.scrollLeft = next.left;
    onScroll(); // reads only refs
    // Every step (and every new error) reveals its range, even one the previous step shared.
  }, [shown?.kind, shown?.start, shown?.end, segment, position, error]);

  const highlighted = useMemo(() => highlight(program), [program]);
  const pieces: React.ReactNode[] = [];
  let at = 0;
  ranges.forEach((r, i) => {
    if (r.start > at) pieces.push(program.slice(at, r.start));
    pieces.push(
      <mark key={i} className={`mark-${r.kind}`}>
        {program.slice(r.start, r.end)}
      </mark>,
    );
    at = r.end;
  });
  pieces.push(program.slice(at) + '\n');

  return (
    <section className="panel editor" aria-labelledby="editor-title">
      <header className="panel-head">
        <h2 id="editor-title">{t('Program')}</h2>
        <span className="hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> {t('to run')}
        </span>
        <ExamplesMenu />
        {status === 'running' ? (
          <button type="button" className="btn" onClick={stopRun} aria-label="Stop">
            {t('Stop')}
          </button>
        ) : null}
        <button type="button" className="btn primary" title={t('Run (Ctrl+Enter)')} aria-label="Run" aria-keyshortcuts="Control+Enter Meta+Enter" onClick={() => runProgram(taRef.current?.value ?? program)}>
          <svg viewBox="0 0 16 16" aria-hidden="true" className="btn-icon">
            <path d="M4 2.5l9 5.5-9 5.5z" />
          </svg>
          {t('Run')}
        </button>
      </header>
      <div className={`code ${errorLine ? 'has-error' : ''}`}>
        <div className="gutter" ref={gutterRef} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={i + 1 === errorLine ? 'err' : ''}>
              {i + 1}
            </div>
          ))}
          <div>&nbsp;</div>
        </div>
        <div className="code-area">
          <pre className="backdrop" ref={backRef} aria-hidden="true">
            {pieces}
          </pre>
          <pre className="backdrop syntax" ref={syntaxRef} aria-hidden="true">
            {highlighted}
          </pre>
          <textarea
            ref={taRef}
            aria-label="Program"
            aria-invalid={errorLine ? true : undefined}
            aria-describedby={error ? 'program-error' : undefined}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            autoComplete="off"
            wrap="off"
            value={program}
            onChange={(e) => setProgram(e.target.value)}
            onKeyDown={onKeyDown}
            onScroll={onScroll}
          />
        </div>
      </div>
      {error ? <ErrorBox error={error} stale={!unchanged} /> : null}
    </section>
  );
}

interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

/** Room kept between a revealed range and the editor's edge, in pixels. */
const REVEAL_MARGIN = 24;

/**
 * The scroll position that shows `mark` (in the text's coordinates) in a viewport at `view`'s scroll
 * position and size: unchanged when the mark is already in view; otherwise the mark a third of the way
 * down, and the text scrolled back to its left edge whenever the mark fits there.
 */
export function revealScroll(view: Box, mark: Box): { top: number; left: number } {
  let { top, left } = view;
  if (mark.top < top + REVEAL_MARGIN / 2 || mark.top + mark.height > top + view.height - REVEAL_MARGIN / 2) {
    top = Math.max(0, mark.top - Math.max(REVEAL_MARGIN, (view.height - mark.height) / 3));
  }
  const right = mark.left + Math.min(mark.width, view.width - 2 * REVEAL_MARGIN);
  if (mark.left < left + REVEAL_MARGIN / 2 || right > left + view.width - REVEAL_MARGIN / 2) {
    left = right <= view.width - REVEAL_MARGIN ? 0 : Math.max(0, mark.left - 2 * REVEAL_MARGIN);
  }
  return { top, left };
}

/** The "Examples" menu button next to Run: picking one puts its code in the editor and runs it. */
function ExamplesMenu() {
  const t = useT();
  const lang = useApp((s) => s.lang);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);
  const choose = (ex: Example) => {
    setOpen(false);
    setProgram(ex.source);
    runProgram(ex.source);
  };
  const onMenuKey = (e: React.KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      setOpen(false);
      buttonRef.current?.focus();
    } else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === 'Home') items[0]?.focus();
    else if (e.key === 'End') items[items.length - 1]?.focus();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="examples">
      <button ref={buttonRef} type="button" className="btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} aria-label="Examples">
        {t('Examples')}
        <svg viewBox="0 0 16 16" aria-hidden="true" className="btn-icon caret">
          <path d="M4 6l4 4 4-4" />
        </svg>
      </button>
      {open ? (
        <div ref={menuRef} className="examples-menu" role="menu" aria-label="Examples" onKeyDown={onMenuKey}>
          {EXAMPLES.map((ex) => (
            <button key={ex.id} type="button" role="menuitem" tabIndex={-1} className="examples-item" onClick={() => choose(ex)} aria-label={lang === 'ko' ? `${ex.title} ${ex.note}` : undefined}>
              <span className="examples-title">{t(ex.title)}</span>
              <span className="examples-note">{t(ex.note)}</span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function ErrorBox({ error, stale }: { error: RunError; stale: boolean }) {
  const t = useT();
  const tm = useMessageT();
  const where = error.line > 0 ? t('Line {0}, column {1}', error.line, error.col) : '';
  // The app's own messages (a stop, a time-out, an engine crash) are translated; Python's errors never are.
  const own = error.type === 'Stopped' || error.type === 'InternalError';
  return (
    <div id="program-error" className={`error-box ${stale ? 'stale' : ''}`} role="alert">
      <div className="error-title">
        {error.type === 'Stopped' ? t('Stopped') : error.type}
        {where ? <span className="where">{where}</span> : null}
      </div>
      <div className="error-msg">{own ? tm(error.message) : error.message}</div>
      <div className="error-note">{error.type === 'Stopped' ? '' : t('The graph shows what ran before the error.')}</div>
    </div>
  );
}

// Python colouring for the layer under the (transparent-text) textarea. Tokens only; no parsing.
const TOKENS =
  /(#[^\n]*)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\b\d+\.?\d*(?:[eE][-+]?\d+)?\b|\.\d+\b)|\b(import|from|as|for|in|while|if|elif|else|with|def|return|and|or|not|is|lambda|pass|break|continue|class|try|except|raise|finally|del|global|assert|yield)\b|\b(True|False|None|torch|nn|F|math|print|range|len)\b|\b([A-Za-z_]\w*)(?=\()/g;

export function highlight(text: string): React.ReactNode[] {
  const out: React.ReactNode[] = [];
  let at = 0;
  let k = 0;
  for (const m of text.matchAll(TOKENS)) {
    const i = m.index ?? 0;
    if (i > at) out.push(text.slice(at, i));
    const cls = m[1] ? 'tk-comment' : m[2] ? 'tk-string' : m[3] ? 'tk-number' : m[4] ? 'tk-keyword' : m[5] ? 'tk-builtin' : 'tk-call';
    out.push(
      <span key={k++} className={cls}>
        {m[0]}
      </span>,
    );
    at = i + m[0].length;
  }
  out.push(text.slice(at) + '\n');
  return out;
}
