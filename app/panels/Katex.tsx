// KaTeX output for formulas built by app/formulas from the op registry's own formula text and numbers.
// Note: the only HTML this app injects. The LaTeX never contains user text (variable names are written
// with React beside it), and KaTeX runs with trust: false, so \href, \url, \htmlClass... are refused.
import katex from 'katex';
import { memo } from 'react';

export const Katex = memo(function Katex({ latex, display = false, label }: { latex: string; display?: boolean; label?: string }) {
  const html = katex.renderToString(latex, { throwOnError: false, trust: false, strict: 'ignore', displayMode: display, maxExpand: 200, maxSize: 20 });
  return <span className={display ? 'katex-block' : 'katex-inline'} aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
});
