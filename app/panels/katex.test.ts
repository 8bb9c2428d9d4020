import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { katexHtml } from './Katex';

const fresh = (latex: string, display: boolean) =>
  katex.renderToString(latex, { throwOnError: false, trust: false, strict: 'ignore', displayMode: display, maxExpand: 200, maxSize: 20 });

describe('katexHtml', () => {
  it('gives what KaTeX gives, from the cache as from a first typesetting, inline and display apart', () => {
    const f = String.raw`\frac{\partial Q}{\partial a} = 9a^2 = [36, 81]`;
    expect(katexHtml(f, false)).toBe(fresh(f, false));
    expect(katexHtml(f, false)).toBe(fresh(f, false));
    expect(katexHtml(f, true)).toBe(fresh(f, true));
    expect(katexHtml(f, true)).not.toBe(katexHtml(f, false));
  });

  it('keeps typesetting right past the cache size, and still refuses \\href', () => {
    for (let i = 0; i < 1200; i++) expect(katexHtml(`x_{${i}} = ${i}`, false)).toBe(fresh(`x_{${i}} = ${i}`, false));
    expect(katexHtml('x_{3} = 3', false)).toBe(fresh('x_{3} = 3', false));
    expect(katexHtml(String.raw`\href{javascript:alert(1)}{x}`, false)).not.toMatch(/<a\b|href=/);
  });
});
