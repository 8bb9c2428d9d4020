// Python-style exceptions with the program position they come from.
import type { SourcePos } from '../events';

/**
 * A Python exception: `type` is the Python class name ('NameError', 'RuntimeError', ...). Host code throws
 * it without a position (`throw new PyError('RuntimeError', msg)`); the interpreter stamps the position of
 * the expression being evaluated as the error passes through.
 */
export class PyError extends Error {
  line?: number;
  col?: number;
  endLine?: number;
  endCol?: number;
  /** The exception object as the program sees it (raise/except), when one was made. */
  value: unknown = null;
  /** Not catchable by the program (try/except, __exit__): the step budget. */
  fatal = false;
  /** CPython's suggestion shown after the message in a traceback: "Did you mean: 'sum'?". */
  hint?: string;

  constructor(
    readonly type: string,
    message: string,
    pos?: SourcePos,
  ) {
    super(message);
    this.name = type;
    if (pos) this.setPos(pos);
  }

  get pos(): SourcePos | undefined {
    if (this.line === undefined || this.col === undefined) return undefined;
    return { line: this.line, col: this.col, endLine: this.endLine, endCol: this.endCol };
  }

  get hasPos(): boolean {
    return this.line !== undefined;
  }

  setPos(pos: SourcePos): this {
    this.line = pos.line;
    this.col = pos.col;
    this.endLine = pos.endLine;
    this.endCol = pos.endCol;
    return this;
  }

  /** Sets the position only if the error has none yet (the innermost expression wins). */
  at(pos: SourcePos | undefined): this {
    if (this.line === undefined && pos) this.setPos(pos);
    return this;
  }

  override toString(): string {
    return this.message === '' ? this.type : `${this.type}: ${this.message}`;
  }

  /** The message as a traceback shows it: with the hint, when there is one. */
  get displayMessage(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

export const pyError = (type: string, message: string): PyError => new PyError(type, message);

/**
 * Python-like report:
 *   File "<program>", line 3, col 5
 *     print(x)
 *           ^
 * NameError: name 'x' is not defined
 */
export function formatError(error: PyError, source?: string, fileName = '<program>'): string {
  const lines: string[] = [];
  if (error.line !== undefined) {
    lines.push(`  File "${fileName}", line ${error.line}, col ${error.col ?? 1}`);
    const text = source?.split(/\r\n|\r|\n/)[error.line - 1];
    if (text !== undefined && text.trim() !== '') {
      const indent = text.length - text.trimStart().length;
      lines.push('    ' + text.trim());
      const col = Math.max(error.col ?? 1, indent + 1);
      const sameLine = error.endLine === undefined || error.endLine === error.line;
      const width = sameLine && error.endCol !== undefined ? Math.max(1, error.endCol - col) : 1;
      lines.push('    ' + ' '.repeat(col - 1 - indent) + '^'.repeat(Math.min(width, text.length - (col - 1) || 1)));
    }
  }
  lines.push(error.message === '' ? error.type : `${error.type}: ${error.displayMessage}`);
  return lines.join('\n');
}

/**
 * CPython 3.10+'s "Did you mean" suggestion: the closest candidate by an edit distance where a case
 * change costs 1 and any other edit 2, within (len(a) + len(b) + 3) / 3 edits; null when none is close.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | null {
  if (name.length > 40) return null;
  let best: string | null = null;
  let bestCost = Infinity;
  let count = 0;
  for (const c of candidates) {
    if (++count > 750) break;
    if (c === name || c.startsWith('_') !== name.startsWith('_')) continue;
    const max = Math.floor(((name.length + c.length + 3) * 2) / 6);
    const cost = editCost(name, c, max);
    if (cost <= max && cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

function editCost(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) * 2 > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j * 2);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i * 2];
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1];
      const y = b[j - 1];
      const sub = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? 1 : 2;
      cur[j] = Math.min(prev[j - 1] + sub, prev[j] + 2, cur[j - 1] + 2);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * An error with CPython's "Did you mean: 'x'?" hint when a candidate is close. As in CPython, the hint
 * is not part of the message (str(e) in an `except` block): the traceback (formatError) shows it.
 */
export function withSuggestion(type: string, message: string, name: string, candidates: Iterable<string>, pos?: SourcePos): PyError {
  const err = new PyError(type, message, pos);
  const s = suggestName(name, candidates);
  if (s !== null) err.hint = `Did you mean: '${s}'?`;
  return err;
}
