// Tokenizer with Python's INDENT/DEDENT, implicit line joining inside brackets, backslash continuation,
// number literals, strings (with escapes, raw, triple-quoted) and f-strings split into parts.
import { PyError } from './errors';
import type { SourcePos } from '../events';

export type TokKind = 'name' | 'int' | 'float' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  kind: TokKind;
  /** The source text (for strings: the decoded value; for newline/indent/dedent/eof: ''). */
  value: string;
  line: number;
  col: number;
  endLine: number;
  /** Exclusive: the 1-based column just past the token. */
  endCol: number;
  /** The number of an int/float token. */
  num?: number;
  /** For string tokens of f-strings: the parts. */
  fparts?: FPart[];
}

/** An f-string replacement field `{expr!r:spec}`. */
export interface FField {
  source: string;
  /** Where `source` begins in the program. */
  line: number;
  col: number;
  conversion: 'r' | 's' | 'a' | null;
  /** The format spec, itself made of literal text and nested fields. */
  spec: FPart[] | null;
  /** `{x=}`: the text 'x=' printed before the value. */
  debugText: string | null;
}
export type FPart = string | FField;

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '=',
];
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const isIdStart = (c: string): boolean => /[A-Za-z_]/.test(c) || (c > '\x7f' && /\p{L}/u.test(c));
const isIdChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c) || (c > '\x7f' && /[\p{L}\p{N}]/u.test(c));
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

export class Lexer {
  private readonly src: string;
  private readonly lineStarts: number[] = [0];
  private i = 0;
  private readonly tokens: Token[] = [];
  private readonly brackets: { ch: string; offset: number }[] = [];
  private readonly indents: number[] = [0];
  /** The same indentation widths with a tab counted as one column: CPython's check for TabError. */
  private readonly altIndents: number[] = [0];

  constructor(
    source: string,
    /** Position of the source in an enclosing program (f-string fields). */
    private readonly origin: { line: number; col: number } = { line: 1, col: 1 },
  ) {
    this.src = source.replace(/\r\n?/g, '\n');
    for (let k = 0; k < this.src.length; k++) if (this.src[k] === '\n') this.lineStarts.push(k + 1);
  }

  /** 1-based line/col of an offset, shifted by the origin. */
  loc(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    const col = offset - this.lineStarts[lo] + 1;
    return line === 1
      ? { line: this.origin.line, col: col + this.origin.col - 1 }
      : { line: line + this.origin.line - 1, col };
  }

  private error(type: string, message: string, offset: number, endOffset?: number): PyError {
    const a = this.loc(offset);
    const pos: SourcePos = { line: a.line, col: a.col };
    if (endOffset !== undefined) {
      const b = this.loc(endOffset);
      pos.endLine = b.line;
      pos.endCol = b.col;
    }
    return new PyError(type, message, pos);
  }

  private push(kind: TokKind, value: string, start: number, end: number, extra?: Partial<Token>): void {
    const a = this.loc(start);
    const b = this.loc(end);
    this.tokens.push({ kind, value, line: a.line, col: a.col, endLine: b.line, endCol: b.col, ...extra });
  }

  /** Tokens of a whole program (with NEWLINE/INDENT/DEDENT), or of an expression (`expressionOnly`). */
  tokenize(expressionOnly = false): Token[] {
    const src = this.src;
    let atLineStart = !expressionOnly;
    while (true) {
      if (atLineStart && this.brackets.length === 0) {
        atLineStart = false;
        if (this.indentation()) {
          atLineStart = true;
          continue;
        }
      }
      if (this.i >= src.length) break;
      const c = src[this.i];
      if (c === ' ' || c === '\t' || c === '\f') {
        this.i++;
      } else if (c === '#') {
        while (this.i < src.length && src[this.i] !== '\n') this.i++;
      } else if (c === '\\') {
        if (src[this.i + 1] === '\n') this.i += 2;
        else if (this.i + 1 >= src.length) throw this.error('SyntaxError', 'unexpected EOF while parsing', this.i);
        else throw this.error('SyntaxError', 'unexpected character after line continuation character', this.i);
      } else if (c === '\n') {
        if (this.brackets.length === 0 && !expressionOnly) {
          this.push('newline', '', this.i, this.i + 1);
          atLineStart = true;
        }
        this.i++;
      } else if (isDigit(c) || (c === '.' && isDigit(src[this.i + 1]))) {
        this.number();
      } else if (isIdStart(c)) {
        const start = this.i;
        while (this.i < src.length && isIdChar(src[this.i])) this.i++;
        const word = src.slice(start, this.i);
        const q = src[this.i];
        if ((q === '"' || q === "'") && /^(r|u|f|b|br|rb|fr|rf)$/i.test(word)) {
          this.string(start, word.toLowerCase());
        } else {
          this.push('name', word, start, this.i);
        }
      } else if (c === '"' || c === "'") {
        this.string(this.i, '');
      } else {
        this.operator();
      }
    }
    if (this.brackets.length > 0) {
      const open = this.brackets[this.brackets.length - 1];
      throw this.error('SyntaxError', `'${open.ch}' was never closed`, open.offset, open.offset + 1);
    }
    const end = src.length;
    if (!expressionOnly) {
      const last = this.tokens[this.tokens.length - 1];
      if (last && last.kind !== 'newline' && last.kind !== 'dedent' && last.kind !== 'indent') {
        this.push('newline', '', end, end);
      }
      while (this.indents.length > 1) {
        this.indents.pop();
        this.altIndents.pop();
        this.push('dedent', '', end, end);
      }
    }
    this.push('eof', '', end, end);
    return this.tokens;
  }

  /** Handles the indentation of a new logical line; returns true when the line was blank (consumed). */
  private indentation(): boolean {
    const src = this.src;
    let width = 0;
    let alt = 0;
    const start = this.i;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === ' ') {
        width++;
        alt++;
      } else if (c === '\t') {
        width = (Math.floor(width / 8) + 1) * 8;
        alt++;
      } else if (c === '\f') width = alt = 0;
      else break;
      this.i++;
    }
    const c = src[this.i];
    if (this.i >= src.length) return false;
    if (c === '\n' || c === '#' || (c === '\\' && src[this.i + 1] === '\n')) {
      // Blank or comment-only line: no tokens, no indentation change.
      while (this.i < src.length && src[this.i] !== '\n') this.i++;
      if (this.i < src.length) this.i++;
      return true;
    }
    const top = this.indents[this.indents.length - 1];
    const altTop = this.altIndents[this.altIndents.length - 1];
    // CPython's columns: "unexpected indent" at the last character of the indentation, a bad unindent at
    // the end of the line, an inconsistent tab at the line's start.
    const tabError = () => this.error('TabError', 'inconsistent use of tabs and spaces in indentation', start);
    if (width > top) {
      if (alt <= altTop) throw tabError();
      this.indents.push(width);
      this.altIndents.push(alt);
      this.push('indent', '', this.i - 1, this.i);
    } else if (width < top) {
      while (width < this.indents[this.indents.length - 1]) {
        this.indents.pop();
        this.altIndents.pop();
        this.push('dedent', '', this.i, this.i);
      }
      if (width !== this.indents[this.indents.length - 1]) {
        let end = src.indexOf('\n', this.i);
        if (end < 0) end = src.length;
        throw this.error('IndentationError', 'unindent does not match any outer indentation level', end);
      }
      if (alt !== this.altIndents[this.altIndents.length - 1]) throw tabError();
    } else if (alt !== altTop) throw tabError();
    return false;
  }

  private number(): void {
    const src = this.src;
    const start = this.i;
    const rest = src.slice(start);
    const radix = /^0([xXoObB])[0-9a-fA-F_]+/.exec(rest);
    if (radix) {
      this.i += radix[0].length;
      const base = { x: 16, o: 8, b: 2 }[radix[1].toLowerCase() as 'x' | 'o' | 'b'];
      const digits = radix[0].slice(2).replace(/_/g, '');
      const valid = base === 16 ? /^[0-9a-f]+$/i : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
      if (!valid.test(digits)) throw this.error('SyntaxError', 'invalid digit in literal', start);
      this.push('int', radix[0], start, this.i, { num: Number(BigInt(`0${radix[1]}${digits}`)) });
      this.checkAfterNumber(start);
      return;
    }
    const m = /^(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][+-]?\d[\d_]*)?/.exec(rest)!;
    let text = m[0];
    // An underscore must sit between two digits: CPython's tokenizer stops at the first one that does not.
    const badUnderscore = /_(?!\d)/.exec(text);
    if (badUnderscore) throw this.error('SyntaxError', 'invalid decimal literal', start + badUnderscore.index);
    // `1.e5` and `1.` are floats; but `1..real` is not Python we need. Also `x[1:2]` never reaches here with '.'.
    this.i += text.length;
    text = text.replace(/_/g, '');
    if (src[this.i] === 'j' || src[this.i] === 'J') {
      throw this.error('SyntaxError', 'complex numbers are not supported', start);
    }
    const isFloat = /[.eE]/.test(text);
    if (!isFloat && text.length > 1 && text[0] === '0' && /[1-9]/.test(text)) {
      throw this.error(
        'SyntaxError',
        'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
        start,
      );
    }
    this.push(isFloat ? 'float' : 'int', src.slice(start, this.i), start, this.i, { num: Number(text) });
    this.checkAfterNumber(start);
  }

  private checkAfterNumber(start: number): void {
    const c = this.src[this.i];
    if (c !== undefined && isIdStart(c)) {
      throw this.error('SyntaxError', 'invalid decimal literal', start);
    }
  }

  private operator(): void {
    const src = this.src;
    const start = this.i;
    for (const op of OPERATORS) {
      if (src.startsWith(op, start)) {
        if (op === '(' || op === '[' || op === '{') this.brackets.push({ ch: op, offset: start });
        else if (op === ')' || op === ']' || op === '}') {
          const open = this.brackets.pop();
          if (!open) throw this.error('SyntaxError', `unmatched '${op}'`, start, start + 1);
          if (open.ch !== CLOSERS[op]) {
            const o = this.loc(open.offset);
            const sameLine = o.line === this.loc(start).line;
            throw this.error(
              'SyntaxError',
              `closing parenthesis '${op}' does not match opening parenthesis '${open.ch}'` +
                (sameLine ? '' : ` on line ${o.line}`),
              start,
              start + 1,
            );
          }
        }
        this.i += op.length;
        this.push('op', op, start, this.i);
        return;
      }
    }
    const c = String.fromCodePoint(src.codePointAt(start)!);
    if (c === '$' || c === '?' || c === '`' || c === '!') {
      throw this.error('SyntaxError', 'invalid syntax', start, start + 1);
    }
    const code = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw this.error('SyntaxError', `invalid character '${c}' (U+${code})`, start, start + c.length);
  }

  private string(start: number, prefix: string): void {
    const src = this.src;
    const quote = src[this.i];
    const triple = src.startsWith(quote.repeat(3), this.i);
    const delim = triple ? quote.repeat(3) : quote;
    this.i += delim.length;
    const bodyStart = this.i;
    while (true) {
      if (this.i >= src.length || (!triple && src[this.i] === '\n')) {
        const detected = this.loc(Math.min(this.i, src.length)).line;
        throw this.error(
          'SyntaxError',
          `unterminated ${triple ? 'triple-quoted ' : ''}string literal (detected at line ${detected})`,
          start,
        );
      }
      const c = src[this.i];
      if (c === '\\') {
        this.i += 2;
        continue;
      }
      if (src.startsWith(delim, this.i)) break;
      this.i++;
    }
    const bodyEnd = this.i;
    this.i += delim.length;
    const raw = prefix.includes('r');
    if (prefix.includes('b')) throw this.error('SyntaxError', 'bytes literals are not supported', start);
    if (prefix.includes('f')) {
      let fparts: FPart[];
      try {
        fparts = this.fstringParts(bodyStart, bodyEnd, raw);
      } catch (e) {
        // CPython 3.11 reports an f-string's own errors where its parser stood: at the token after the string
        // (the end of the line when none follows).
        if (e instanceof PyError && e.message.startsWith('f-string')) {
          let k = this.i;
          while (k < src.length && (src[k] === ' ' || src[k] === '\t')) k++;
          throw this.error('SyntaxError', e.message, k);
        }
        throw e;
      }
      this.push('string', '', start, this.i, { fparts });
    } else {
      this.push('string', this.decode(bodyStart, bodyEnd, raw), start, this.i);
    }
  }

  /** The value of a string body: escapes decoded unless raw. */
  private decode(from: number, to: number, raw: boolean): string {
    const body = this.src.slice(from, to);
    if (raw || !body.includes('\\')) return body;
    let out = '';
    for (let k = 0; k < body.length; k++) {
      const c = body[k];
      if (c !== '\\') {
        out += c;
        continue;
      }
      const n = body[++k];
      switch (n) {
        case '\n':
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '\\':
        case "'":
        case '"':
          out += n;
          break;
        case 'a':
          out += '\x07';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
          const hex = body.slice(k + 1, k + 1 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) {
            throw this.error('SyntaxError', `(unicode error) truncated \\${n}${'X'.repeat(len)} escape`, from + k - 1);
          }
          out += String.fromCodePoint(parseInt(hex, 16));
          k += len;
          break;
        }
        default:
          if (n !== undefined && n >= '0' && n <= '7') {
            let oct = n;
            while (oct.length < 3 && body[k + 1] >= '0' && body[k + 1] <= '7') oct += body[++k];
            out += String.fromCharCode(parseInt(oct, 8));
          } else {
            out += '\\' + (n ?? '');
          }
      }
    }
    return out;
  }

  /** Splits an f-string body into literal text and replacement fields. */
  private fstringParts(from: number, to: number, raw: boolean): FPart[] {
    const src = this.src;
    const parts: FPart[] = [];
    let k = from;
    let litStart = from;
    let lit = '';
    const flush = (end: number): void => {
      lit += this.decode(litStart, end, raw);
    };
    while (k < to) {
      const c = src[k];
      if (c === '\\' && !raw) {
        k += 2;
        continue;
      }
      if (c === '{' && src[k + 1] === '{') {
        flush(k + 1);
        k += 2;
        litStart = k;
      } else if (c === '}' && src[k + 1] === '}') {
        flush(k + 1);
        k += 2;
        litStart = k;
      } else if (c === '}') {
        throw this.error('SyntaxError', "f-string: single '}' is not allowed", k);
      } else if (c === '{') {
        flush(k);
        if (lit !== '') parts.push(lit);
        lit = '';
        const [field, end] = this.fstringField(k + 1, to, raw);
        parts.push(field);
        k = end;
        litStart = k;
      } else {
        k++;
      }
    }
    flush(to);
    if (lit !== '') parts.push(lit);
    return parts;
  }

  /** Parses a field starting after '{'; returns it and the offset after its closing '}'. */
  private fstringField(from: number, to: number, raw: boolean): [FField, number] {
    const src = this.src;
    let depth = 0;
    let k = from;
    let quote: string | null = null;
    while (k < to) {
      const c = src[k];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      else if (depth === 0 && (c === '}' || c === ':' || (c === '!' && src[k + 1] !== '='))) break;
      else if (depth === 0 && c === '=' && src[k + 1] !== '=' && !'=!<>'.includes(src[k - 1])) {
        // `{x=}` debug form, only when followed (after any spaces: `{x = :.2f}`) by the end, a conversion or a spec.
        let j = k + 1;
        while (src[j] === ' ') j++;
        const next = src[j];
        if (next === '}' || next === '!' || next === ':') break;
      }
      k++;
    }
    if (k >= to) throw this.error('SyntaxError', "f-string: expecting '}'", from - 1);
    let exprEnd = k;
    let debugText: string | null = null;
    if (src[k] === '=') {
      exprEnd = k;
      k++;
      while (src[k] === ' ') k++;
      debugText = src.slice(from, k);
    }
    const source = src.slice(from, exprEnd);
    if (source.trim() === '') throw this.error('SyntaxError', 'f-string: empty expression not allowed', from - 1);
    let conversion: FField['conversion'] = null;
    if (src[k] === '!') {
      const conv = src[k + 1];
      if (conv !== 'r' && conv !== 's' && conv !== 'a') {
        throw this.error('SyntaxError', "f-string: invalid conversion character: expected 's', 'r', or 'a'", k);
      }
      conversion = conv;
      k += 2;
    }
    let spec: FPart[] | null = null;
    if (src[k] === ':') {
      // The spec runs to the matching '}' and may hold nested fields.
      const specStart = k + 1;
      let d = 0;
      k = specStart;
      while (k < to && !(src[k] === '}' && d === 0)) {
        if (src[k] === '{') d++;
        else if (src[k] === '}') d--;
        k++;
      }
      spec = this.fstringParts(specStart, k, raw);
    }
    if (src[k] !== '}') throw this.error('SyntaxError', "f-string: expecting '}'", k);
    const at = this.loc(from);
    if (debugText !== null && conversion === null && spec === null) conversion = 'r';
    return [{ source, line: at.line, col: at.col, conversion, spec, debugText }, k + 1];
  }
}

export function tokenize(source: string): Token[] {
  return new Lexer(source).tokenize();
}
