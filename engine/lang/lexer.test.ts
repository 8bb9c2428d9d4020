import { describe, expect, it } from 'vitest';
import { tokenize, type Token } from './lexer';
import { PyError } from './errors';

const kinds = (src: string): string[] => tokenize(src).map((t) => (t.kind === 'op' || t.kind === 'name' ? t.value : t.kind));

function lexError(src: string): PyError {
  try {
    tokenize(src);
  } catch (e) {
    if (e instanceof PyError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('lexer', () => {
  it('emits INDENT/DEDENT and NEWLINE, skipping blank and comment lines', () => {
    const src = 'for i in x:\n    a = 1\n\n    # note\n    if a:\n        b\nc\n';
    expect(kinds(src)).toEqual([
      'for', 'i', 'in', 'x', ':', 'newline',
      'indent', 'a', '=', 'int', 'newline',
      'if', 'a', ':', 'newline',
      'indent', 'b', 'newline',
      'dedent', 'dedent', 'c', 'newline', 'eof',
    ]);
  });

  it('closes open blocks at EOF without a trailing newline', () => {
    expect(kinds('if a:\n  b')).toEqual(['if', 'a', ':', 'newline', 'indent', 'b', 'newline', 'dedent', 'eof']);
  });

  it('gives 1-based line/col on every token', () => {
    const toks = tokenize('x = 1\n  \ny  =  foo(2)\n');
    const y = toks.find((t) => t.value === 'y')!;
    expect([y.line, y.col]).toEqual([3, 1]);
    const foo = toks.find((t) => t.value === 'foo')!;
    expect([foo.line, foo.col, foo.endCol]).toEqual([3, 7, 10]);
  });

  it('reads int and float literals', () => {
    const nums = (src: string): [string, number][] =>
      tokenize(src)
        .filter((t) => t.kind === 'int' || t.kind === 'float')
        .map((t) => [t.kind, t.num!]);
    expect(nums('1 2. .5 1e-6 1.5E+3 0x1F 0b101 0o17 1_000 3.25')).toEqual([
      ['int', 1], ['float', 2], ['float', 0.5], ['float', 1e-6], ['float', 1500], ['int', 31], ['int', 5], ['int', 15],
      ['int', 1000], ['float', 3.25],
    ]);
  });

  it('joins lines inside brackets and after a backslash', () => {
    expect(kinds('x = (1,\n     2)\ny = 1 + \\\n    2\n')).toEqual([
      'x', '=', '(', 'int', ',', 'int', ')', 'newline', 'y', '=', 'int', '+', 'int', 'newline', 'eof',
    ]);
  });

  it('decodes strings: escapes, raw, triple-quoted, both quotes', () => {
    const strs = (src: string): string[] => tokenize(src).filter((t) => t.kind === 'string').map((t) => t.value);
    expect(strs(`'a\\nb' "it's" r'\\d' '''x\ny''' "\\x41\\u00e9" 'tab\\t'`)).toEqual(['a\nb', "it's", '\\d', 'x\ny', 'Aé', 'tab\t']);
  });

  it('splits f-strings into literal parts and fields with positions and specs', () => {
    const t = tokenize(`s = f"a{x:.4f}b{y!r}{{c}}{z=}"`).find((k: Token) => k.kind === 'string')!;
    expect(t.fparts).toEqual([
      'a',
      { source: 'x', line: 1, col: 9, conversion: null, spec: ['.4f'], debugText: null },
      'b',
      { source: 'y', line: 1, col: 17, conversion: 'r', spec: null, debugText: null },
      '{c}',
      { source: 'z', line: 1, col: 27, conversion: 'r', spec: null, debugText: 'z=' },
    ]);
  });

  it('handles nested quotes, dicts and comparisons inside f-string fields', () => {
    const t = tokenize(`f"{d['k']} {a != b} {(lambda: 1)()}"`).find((k) => k.kind === 'string')!;
    expect((t.fparts!.filter((p) => typeof p !== 'string') as { source: string }[]).map((p) => p.source)).toEqual([
      "d['k']", 'a != b', '(lambda: 1)()',
    ]);
  });

  it('reports unclosed and mismatched brackets like CPython', () => {
    const e = lexError('x = foo(1,\n  2\n');
    expect([e.type, e.message, e.line, e.col]).toEqual(['SyntaxError', "'(' was never closed", 1, 8]);
    const m = lexError('x = [1, 2)');
    expect(m.message).toBe("closing parenthesis ')' does not match opening parenthesis '['");
    expect(lexError('x = 1)').message).toBe("unmatched ')'");
  });

  it('reports bad dedents and unterminated strings', () => {
    const e = lexError('if a:\n    b\n  c\n');
    expect([e.type, e.message, e.line]).toEqual(['IndentationError', 'unindent does not match any outer indentation level', 3]);
    const s = lexError("x = 'abc\n");
    expect([s.type, s.message, s.line, s.col]).toEqual(['SyntaxError', 'unterminated string literal (detected at line 1)', 1, 5]);
    expect(lexError('x = 1 $ 2').message).toBe('invalid syntax');
    expect(lexError('x = 1abc').message).toBe('invalid decimal literal');
  });
});
