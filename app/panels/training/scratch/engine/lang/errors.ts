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
  lines.push(error.toString());
  return lines.join('\n');
}
