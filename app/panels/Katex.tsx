// KaTeX output for formulas built by app/formulas from the op registry's own formula text and numbers.
// Note: the only HTML this app injects. The LaTeX never contains user text (variable names are written
// with React beside it), and KaTeX runs with trust: false, so \href, \url, \htmlClass... are refused.
import katex from 'katex';
import { memo } from 'react';

/** Formulas already typeset, most recently used last: stepping back and forth shows the same ones again. */
const typeset = new Map<string, string>();
const TYPESET_KEEP = 500;

export function katexHtml(latex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${latex}`;
  let html = typeset.get(key);
  if (html !== undefined) {
    typeset.delete(key);
  } else {
    html = katex.renderToString(latex, { throwOnError: false, trust: false, strict: 'ignore', displayMode: display, maxExpand: 200, maxSize: 20 });
    if (typeset.size >= TYPESET_KEEP) typeset.delete(typeset.keys().next().value!);
  }
  typeset.set(key, html);
  return html;
}

export const Katex = memo(function Katex({ latex, display = false, label }: { latex: string; display?: boolean; label?: string }) {
  return <span className={display ? 'katex-block' : 'katex-inline'} aria-label={label} dangerouslySetInnerHTML={{ __html: katexHtml(latex, display) }} />;
});
