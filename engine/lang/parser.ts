// Recursive-descent parser: tokens -> AST with source spans, CPython's error wording where it has one.
import type { BinOp } from './values';
import { PyError } from './errors';
import { Lexer, type FPart, type Token } from './lexer';
import type { CompareOp, Comprehension, Expr, FormattedValue, Handler, Keyword, Module, Param, Params, Pattern, Pos, Stmt } from './ast';

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const AUG_OPS: Record<string, BinOp> = {
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '//=': '//', '%=': '%', '**=': '**', '@=': '@',
  '&=': '&', '|=': '|', '^=': '^', '<<=': '<<', '>>=': '>>',
};

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export class Parser {
  private k = 0;
  /** The bracket depth after each token (CPython's token level). */
  private readonly levels: number[];
  /** Above 0 while parsing the second expression of a suspected missing comma (no nested check). */
  private noCommaCheck = 0;
  /** Loops around the statement being parsed, within the innermost function or class body ('break' outside loop). */
  private loopDepth = 0;
  /** Function bodies around it ('yield' outside function, nonlocal at module level). */
  funcDepth = 0;

  constructor(private readonly toks: Token[]) {
    let depth = 0;
    this.levels = toks.map((t) => {
      if (t.kind === 'op' && '([{'.includes(t.value)) depth++;
      else if (t.kind === 'op' && ')]}'.includes(t.value) && depth > 0) depth--;
      return depth;
    });
  }

  // ---- token helpers ------------------------------------------------------------------------

  private cur(): Token {
    return this.toks[this.k];
  }
  private peekAt(n: number): Token {
    return this.toks[Math.min(this.k + n, this.toks.length - 1)];
  }
  private isOp(v: string): boolean {
    const t = this.toks[this.k];
    return t.kind === 'op' && t.value === v;
  }
  private isKw(v: string): boolean {
    const t = this.toks[this.k];
    return t.kind === 'name' && t.value === v;
  }
  private advance(): Token {
    return this.toks[this.k++];
  }
  private eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.k++;
      return true;
    }
    return false;
  }
  private eatKw(v: string): boolean {
    if (this.isKw(v)) {
      this.k++;
      return true;
    }
    return false;
  }
  private get prev(): Token {
    return this.toks[this.k - 1];
  }

  private errorAt(t: Token, message = 'invalid syntax', type = 'SyntaxError'): PyError {
    if (t.kind === 'indent' && message === 'invalid syntax') return new PyError('IndentationError', 'unexpected indent', posOf(t));
    if (t.kind === 'eof' && message === 'invalid syntax') message = 'unexpected EOF while parsing';
    return new PyError(type, message, posOf(t));
  }

  private expectOp(v: string, message?: string): Token {
    // CPython: an expression where the ':' should be is plain invalid syntax (`if x y:`).
    if (!this.isOp(v)) throw this.errorAt(this.cur(), message ?? (v === ':' && !startsExpression(this.cur()) ? "expected ':'" : 'invalid syntax'));
    return this.advance();
  }

  private expectKw(v: string): Token {
    if (!this.isKw(v)) throw this.errorAt(this.cur());
    return this.advance();
  }

  private name(): Token {
    const t = this.cur();
    if (t.kind !== 'name' || KEYWORDS.has(t.value)) throw this.errorAt(t);
    return this.advance();
  }

  private span(start: Token | Pos, end: Token | Pos = this.prev): Pos {
    return { line: start.line, col: start.col, endLine: end.endLine, endCol: end.endCol };
  }

  // ---- statements ---------------------------------------------------------------------------

  /** The whole token stream as one expression (a bare tuple allowed). */
  parseExpressionOnly(): Expr {
    if (this.cur().kind === 'eof') throw this.errorAt(this.cur());
    const e = this.starExpressions();
    if (this.cur().kind !== 'eof') throw this.errorAt(this.cur());
    return e;
  }

  parseModule(): Module {
    const body: Stmt[] = [];
    while (this.cur().kind !== 'eof') {
      if (this.cur().kind === 'newline') {
        this.k++;
        continue;
      }
      body.push(...this.statement());
    }
    return { body };
  }

  /** One logical line (several simple statements separated by ';') or one compound statement. */
  private statement(): Stmt[] {
    const t = this.cur();
    if (t.kind === 'indent') throw new PyError('IndentationError', 'unexpected indent', posOf(t));
    if (t.kind === 'dedent') throw this.errorAt(t);
    if (t.kind === 'name') {
      switch (t.value) {
        case 'if':
          return [this.ifStatement()];
        case 'for':
          return [this.forStatement()];
        case 'while':
          return [this.whileStatement()];
        case 'with':
          return [this.withStatement()];
        case 'def':
          return [this.functionDef([])];
        case 'try':
          return [this.tryStatement()];
        case 'class':
          return [this.classDef([])];
        case 'async':
          throw this.errorAt(t, 'async code is not supported in this playground');
        case 'match': {
          const m = this.matchStatement();
          if (m) return [m];
          break;
        }
      }
    }
    if (this.isOp('@')) return [this.decorated()];
    const stmts = [this.simpleStatement()];
    while (this.eatOp(';')) {
      if (this.cur().kind === 'newline') break;
      stmts.push(this.simpleStatement());
    }
    if (this.cur().kind !== 'newline' && this.cur().kind !== 'eof') throw this.errorAt(this.cur());
    if (this.cur().kind === 'newline') this.k++;
    return stmts;
  }

  /** The block after ':' of a compound statement. */
  private block(what: string, header: Token): Stmt[] {
    this.expectOp(':');
    if (this.cur().kind !== 'newline') {
      // `if x: y = 1` — simple statements on the same line.
      const stmts = [this.simpleStatement()];
      while (this.eatOp(';')) {
        if (this.cur().kind === 'newline') break;
        stmts.push(this.simpleStatement());
      }
      if (this.cur().kind !== 'newline' && this.cur().kind !== 'eof') throw this.errorAt(this.cur());
      if (this.cur().kind === 'newline') this.k++;
      return stmts;
    }
    this.k++;
    if (this.cur().kind !== 'indent') {
      throw new PyError('IndentationError', `expected an indented block after ${what} on line ${header.line}`, posOf(this.cur()));
    }
    this.k++;
    const body: Stmt[] = [];
    while (this.cur().kind !== 'dedent' && this.cur().kind !== 'eof') {
      if (this.cur().kind === 'newline') {
        this.k++;
        continue;
      }
      body.push(...this.statement());
    }
    if (this.cur().kind === 'dedent') this.k++;
    return body;
  }

  /** `match subject:` and its `case` blocks; null when `match` starts an ordinary statement (a name). */
  private matchStatement(): Stmt | null {
    const save = this.k;
    const header = this.advance();
    let subject: Expr;
    try {
      subject = this.namedExpression();
      if (this.isOp(',')) {
        const elts = [subject];
        while (this.eatOp(',')) {
          if (this.isOp(':')) break;
          elts.push(this.starOrNamed());
        }
        subject = { kind: 'Tuple', pos: this.span(subject.pos), elts };
      }
    } catch {
      this.k = save;
      return null;
    }
    if (!this.isOp(':') || this.peekAt(1).kind !== 'newline') {
      this.k = save;
      return null;
    }
    this.k++;
    this.k++;
    if (this.cur().kind !== 'indent') throw new PyError('IndentationError', `expected an indented block after 'match' statement on line ${header.line}`, posOf(this.cur()));
    this.k++;
    const cases: { pattern: Pattern; guard: Expr | null; body: Stmt[] }[] = [];
    while (this.cur().kind !== 'dedent' && this.cur().kind !== 'eof') {
      if (this.cur().kind === 'newline') {
        this.k++;
        continue;
      }
      const c = this.cur();
      if (c.kind !== 'name' || c.value !== 'case') throw this.errorAt(c);
      this.k++;
      const pattern = this.casePatterns();
      const guard = this.eatKw('if') ? this.namedExpression() : null;
      const body = this.block("'case' statement", c);
      cases.push({ pattern, guard, body });
    }
    if (this.cur().kind === 'dedent') this.k++;
    if (cases.length === 0) throw this.errorAt(this.cur());
    return { kind: 'Match', pos: this.span(header, subject.pos), subject, cases };
  }

  /** A case's patterns: `a, b` without brackets is a sequence pattern. */
  private casePatterns(): Pattern {
    const start = this.cur();
    const first = this.maybeStarPattern();
    if (!this.isOp(',')) {
      if (first.kind === 'MatchStar') throw this.errorAt(start, "can't use starred expression here");
      return first;
    }
    const patterns = [first];
    while (this.eatOp(',')) {
      if (this.isOp(':') || this.isKw('if')) break;
      patterns.push(this.maybeStarPattern());
    }
    return { kind: 'MatchSequence', pos: this.span(start), patterns };
  }

  private maybeStarPattern(): Pattern {
    const t = this.cur();
    if (this.eatOp('*')) {
      const n = this.name().value;
      return { kind: 'MatchStar', pos: this.span(t), name: n === '_' ? null : n };
    }
    return this.asPattern();
  }

  private asPattern(): Pattern {
    const t = this.cur();
    const p = this.orPattern();
    if (this.eatKw('as')) {
      const n = this.name().value;
      if (n === '_') throw this.errorAt(this.prev, "cannot use '_' as a target");
      return { kind: 'MatchAs', pos: this.span(t), pattern: p, name: n };
    }
    return p;
  }

  private orPattern(): Pattern {
    const t = this.cur();
    const first = this.closedPattern();
    if (!this.isOp('|')) return first;
    const patterns = [first];
    while (this.eatOp('|')) patterns.push(this.closedPattern());
    return { kind: 'MatchOr', pos: this.span(t), patterns };
  }

  private closedPattern(): Pattern {
    const t = this.cur();
    const value = (v: Expr, identity = false): Pattern => ({ kind: 'MatchValue', pos: v.pos, value: v, identity });
    if (t.kind === 'int' || t.kind === 'float' || t.kind === 'string') {
      const v = this.atom();
      if (this.isOp('+') || this.isOp('-')) {
        // A complex literal (1 + 2j) has no place here: the playground has no complex numbers.
        throw this.errorAt(this.cur());
      }
      return value(v);
    }
    if (this.isOp('-')) {
      this.k++;
      const n = this.cur();
      if (n.kind !== 'int' && n.kind !== 'float') throw this.errorAt(n);
      const operand = this.atom();
      return value({ kind: 'UnaryOp', pos: this.span(t), op: '-', operand });
    }
    if (t.kind === 'name') {
      if (t.value === 'None' || t.value === 'True' || t.value === 'False') return value(this.atom(), true);
      if (KEYWORDS.has(t.value)) throw this.errorAt(t);
      this.k++;
      let target: Expr = { kind: 'Name', pos: posOf(t), id: t.value };
      let dotted = false;
      while (this.eatOp('.')) {
        const a = this.name();
        target = { kind: 'Attribute', pos: this.span(t), value: target, attr: a.value };
        dotted = true;
      }
      if (this.isOp('(')) return this.classPattern(t, target);
      if (dotted) return value(target);
      return { kind: 'MatchCapture', pos: posOf(t), name: t.value === '_' ? null : t.value };
    }
    if (this.isOp('(') || this.isOp('[')) {
      const close = this.isOp('(') ? ')' : ']';
      this.k++;
      if (this.eatOp(close)) return { kind: 'MatchSequence', pos: this.span(t), patterns: [] };
      const first = this.maybeStarPattern();
      if (close === ')' && this.eatOp(')')) {
        if (first.kind === 'MatchStar') throw this.errorAt(t, "can't use starred expression here");
        return first; // a group
      }
      const patterns = [first];
      while (this.eatOp(',')) {
        if (this.isOp(close)) break;
        patterns.push(this.maybeStarPattern());
      }
      this.expectOp(close);
      return { kind: 'MatchSequence', pos: this.span(t), patterns };
    }
    if (this.isOp('{')) {
      this.k++;
      const keys: Expr[] = [];
      const patterns: Pattern[] = [];
      let rest: string | null = null;
      while (!this.isOp('}')) {
        if (this.eatOp('**')) {
          rest = this.name().value;
          this.eatOp(',');
          break;
        }
        const k = this.closedPattern();
        if (k.kind !== 'MatchValue') throw new PyError('SyntaxError', 'mapping pattern keys may only match literals and attribute lookups', k.pos);
        keys.push(k.value);
        this.expectOp(':');
        patterns.push(this.asPattern());
        if (!this.eatOp(',')) break;
      }
      this.expectOp('}');
      return { kind: 'MatchMapping', pos: this.span(t), keys, patterns, rest };
    }
    throw this.errorAt(t);
  }

  /** `Point(0, y=yy)`: positional sub-patterns, then keyword ones. */
  private classPattern(start: Token, cls: Expr): Pattern {
    this.expectOp('(');
    const patterns: Pattern[] = [];
    const kwdAttrs: string[] = [];
    const kwdPatterns: Pattern[] = [];
    while (!this.isOp(')')) {
      const t = this.cur();
      if (t.kind === 'name' && this.peekAt(1).kind === 'op' && this.peekAt(1).value === '=') {
        this.k += 2;
        kwdAttrs.push(t.value);
        kwdPatterns.push(this.asPattern());
      } else {
        if (kwdAttrs.length > 0) throw this.errorAt(t, 'positional patterns follow keyword patterns');
        patterns.push(this.asPattern());
      }
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')');
    return { kind: 'MatchClass', pos: this.span(start), cls, patterns, kwdAttrs, kwdPatterns };
  }

  private ifStatement(what = "'if' statement"): Stmt {
    const header = this.advance();
    const test = this.condition();
    const body = this.block(what, header);
    let orelse: Stmt[] = [];
    if (this.isKw('elif')) orelse = [this.ifStatement("'elif' statement")];
    else if (this.isKw('else')) {
      const elseTok = this.advance();
      orelse = this.block("'else' statement", elseTok);
    }
    return { kind: 'If', pos: this.span(header, test.pos), test, body, orelse };
  }

  private forStatement(): Stmt {
    const header = this.advance();
    const target = this.toTarget(this.targetList(), 'for');
    this.expectKw('in');
    const iter = this.expressionList();
    const body = this.loopBody("'for' statement", header);
    let orelse: Stmt[] = [];
    if (this.isKw('else')) {
      const e = this.advance();
      orelse = this.block("'else' statement", e);
    }
    return { kind: 'For', pos: this.span(header, iter.pos), target, iter, body, orelse };
  }

  private whileStatement(): Stmt {
    const header = this.advance();
    const test = this.condition();
    const body = this.loopBody("'while' statement", header);
    let orelse: Stmt[] = [];
    if (this.isKw('else')) {
      const e = this.advance();
      orelse = this.block("'else' statement", e);
    }
    return { kind: 'While', pos: this.span(header, test.pos), test, body, orelse };
  }

  private withStatement(): Stmt {
    const header = this.advance();
    const items: { expr: Expr; target: Expr | null }[] = [];
    const parenthesized = this.isOp('(') && this.withItemsParenthesized();
    if (parenthesized) this.k++;
    do {
      if (parenthesized && this.isOp(')')) break;
      const expr = this.expression();
      let target: Expr | null = null;
      if (this.eatKw('as')) target = this.toTarget(this.targetAtom(), 'with');
      items.push({ expr, target });
    } while (this.eatOp(','));
    if (parenthesized) this.expectOp(')');
    const body = this.block("'with' statement", header);
    return { kind: 'With', pos: this.span(header, items[items.length - 1].expr.pos), items, body };
  }

  /** `with (a as b, c as d):` — a parenthesised list of items rather than a parenthesised expression. */
  private withItemsParenthesized(): boolean {
    let depth = 0;
    for (let j = this.k; j < this.toks.length; j++) {
      const t = this.toks[j];
      if (t.kind === 'op' && '([{'.includes(t.value)) depth++;
      else if (t.kind === 'op' && ')]}'.includes(t.value)) {
        depth--;
        if (depth === 0) {
          const n = this.toks[j + 1];
          return n.kind === 'op' && n.value === ':' && this.toks.slice(this.k, j).some((x) => x.kind === 'name' && x.value === 'as');
        }
      } else if (t.kind === 'newline' || t.kind === 'eof') return false;
    }
    return false;
  }

  private tryStatement(): Stmt {
    const header = this.advance();
    const body = this.block("'try' statement", header);
    const handlers: Handler[] = [];
    while (this.isKw('except')) {
      const h = this.advance();
      let type: Expr | null = null;
      let name: string | null = null;
      if (!this.isOp(':')) {
        if (this.cur().kind === 'newline') throw this.errorAt(this.cur(), "expected ':'");
        type = this.expression();
        if (this.eatKw('as')) name = this.name().value;
      }
      const hbody = this.block("'except' statement", h);
      handlers.push({ pos: posOf(h), type, name, body: hbody });
    }
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    if (handlers.length > 0 && this.isKw('else')) {
      const e = this.advance();
      orelse = this.block("'else' statement", e);
    }
    if (this.isKw('finally')) {
      const f = this.advance();
      finalbody = this.block("'finally' statement", f);
    }
    if (handlers.length === 0 && finalbody.length === 0) throw this.errorAt(this.cur(), "expected 'except' or 'finally' block");
    return { kind: 'Try', pos: posOf(header), body, handlers, orelse, finalbody };
  }

  private decorated(): Stmt {
    const decorators: Expr[] = [];
    while (this.eatOp('@')) {
      decorators.push(this.namedExpression());
      if (this.cur().kind !== 'newline') throw this.errorAt(this.cur());
      this.k++;
    }
    if (this.isKw('class')) return this.classDef(decorators);
    if (!this.isKw('def')) throw this.errorAt(this.cur());
    return this.functionDef(decorators);
  }

  private functionDef(decorators: Expr[]): Stmt {
    const header = this.advance();
    const nameTok = this.name();
    this.expectOp('(', "expected '('");
    const params = this.parameters(')', true);
    this.expectOp(')');
    if (this.eatOp('->')) this.expression();
    const body = this.scopeBody(true, () => this.block('function definition', header));
    return { kind: 'FunctionDef', pos: this.span(header, nameTok), name: nameTok.value, params, body, decorators };
  }

  private classDef(decorators: Expr[]): Stmt {
    const header = this.advance();
    const nameTok = this.name();
    const bases: Expr[] = [];
    if (this.eatOp('(')) {
      const [args, keywords] = this.callArguments();
      this.expectOp(')');
      if (keywords.length) throw new PyError('SyntaxError', 'class keywords (metaclass=...) are not supported in this playground', keywords[0].pos);
      for (const a of args) {
        if (a.kind === 'Starred' || a.kind === 'GeneratorExp') throw new PyError('SyntaxError', 'invalid syntax', a.pos);
        bases.push(a);
      }
    }
    const body = this.scopeBody(false, () => this.block('class definition', header));
    return { kind: 'ClassDef', pos: this.span(header, nameTok), name: nameTok.value, bases, body, decorators };
  }

  private parameters(closer: string, annotations: boolean): Params {
    const params: Param[] = [];
    const kwonly: Param[] = [];
    let vararg: string | null = null;
    let kwarg: string | null = null;
    let star = false;
    let posonly = 0;
    const seen = new Set<string>();
    const add = (t: Token): string => {
      if (seen.has(t.value)) throw this.errorAt(t, `duplicate argument '${t.value}' in function definition`);
      seen.add(t.value);
      return t.value;
    };
    while (!this.isOp(closer)) {
      if (this.eatOp('/')) {
        posonly = params.length;
      } else if (this.eatOp('**')) {
        kwarg = add(this.name());
        if (annotations && this.eatOp(':')) this.expression();
      } else if (this.isOp('*')) {
        const starTok = this.advance();
        star = true;
        if (this.cur().kind === 'name') {
          vararg = add(this.name());
          if (annotations && this.eatOp(':')) this.expression();
        } else if (this.isOp(closer) || (this.isOp(',') && this.peekAt(1).kind === 'op' && this.peekAt(1).value === closer)) {
          throw new PyError('SyntaxError', 'named arguments must follow bare *', posOf(starTok));
        }
      } else {
        const t = this.name();
        add(t);
        if (annotations && this.eatOp(':')) this.expression();
        let def: Expr | null = null;
        if (this.eatOp('=')) def = this.expression();
        else if (!star && params.length > 0 && params[params.length - 1].default) {
          throw this.errorAt(t, 'non-default argument follows default argument');
        }
        (star ? kwonly : params).push({ name: t.value, default: def, pos: posOf(t) });
      }
      if (!this.eatOp(',')) break;
    }
    return { params, vararg, kwonly, kwarg, posonly };
  }

  private simpleStatement(): Stmt {
    const t = this.cur();
    if (t.kind === 'name') {
      switch (t.value) {
        case 'pass':
          this.k++;
          return { kind: 'Pass', pos: posOf(t) };
        case 'break':
          this.k++;
          if (this.loopDepth === 0) throw new PyError('SyntaxError', "'break' outside loop", posOf(t));
          return { kind: 'Break', pos: posOf(t) };
        case 'continue':
          this.k++;
          if (this.loopDepth === 0) throw new PyError('SyntaxError', "'continue' not properly in loop", posOf(t));
          return { kind: 'Continue', pos: posOf(t) };
        case 'return': {
          this.k++;
          const value = this.atStatementEnd() ? null : this.expressionList();
          return { kind: 'Return', pos: this.span(t), value };
        }
        case 'import':
          return this.importStatement();
        case 'from':
          return this.fromImport();
        case 'global':
        case 'nonlocal': {
          this.k++;
          const names = [this.name().value];
          while (this.eatOp(',')) names.push(this.name().value);
          if (t.value === 'nonlocal') {
            if (this.funcDepth === 0) throw this.errorAt(t, 'nonlocal declaration not allowed at module level');
            return { kind: 'Nonlocal', pos: this.span(t), names };
          }
          return { kind: 'Global', pos: this.span(t), names };
        }
        case 'del': {
          this.k++;
          const targets: Expr[] = [];
          do {
            if (this.atStatementEnd()) break;
            targets.push(this.toTarget(this.bitOr(), 'del'));
          } while (this.eatOp(','));
          return { kind: 'Delete', pos: this.span(t), targets };
        }
        case 'assert': {
          this.k++;
          const test = this.expression();
          const msg = this.eatOp(',') ? this.expression() : null;
          return { kind: 'Assert', pos: this.span(t), test, msg };
        }
        case 'raise': {
          this.k++;
          const exc = this.atStatementEnd() ? null : this.expression();
          const cause = this.eatKw('from') ? this.expression() : null;
          return { kind: 'Raise', pos: this.span(t), exc, cause };
        }
        case 'print':
          if (this.peekAt(1).kind === 'string' || (this.peekAt(1).kind === 'name' && !KEYWORDS.has(this.peekAt(1).value))) {
            throw this.errorAt(t, "Missing parentheses in call to 'print'. Did you mean print(...)?");
          }
          break;
      }
    }
    if (this.isKw('yield')) {
      const y = this.yieldExpr();
      return { kind: 'ExprStmt', pos: y.pos, value: y };
    }
    const first = this.starExpressions();
    if (this.isOp('=')) {
      const targets = [this.toTarget(first, '=')];
      let value: Expr = first;
      while (this.eatOp('=')) {
        value = this.isKw('yield') ? this.yieldExpr() : this.starExpressions();
        if (this.isOp('=')) targets.push(this.toTarget(value, '='));
      }
      return { kind: 'Assign', pos: this.span(first.pos, value.pos), targets, value };
    }
    if (this.cur().kind === 'op' && AUG_OPS[this.cur().value] !== undefined) {
      const opTok = this.advance();
      if (first.kind !== 'Name' && first.kind !== 'Attribute' && first.kind !== 'Subscript') {
        throw new PyError('SyntaxError', `'${describe(first)}' is an illegal expression for augmented assignment`, first.pos);
      }
      const value = this.isKw('yield') ? this.yieldExpr() : this.expressionList();
      return { kind: 'AugAssign', pos: this.span(first.pos, value.pos), target: first, op: AUG_OPS[opTok.value], value };
    }
    if (this.isOp(':') && (first.kind === 'Name' || first.kind === 'Attribute' || first.kind === 'Subscript')) {
      this.k++;
      const annotation = this.expression();
      const value = this.eatOp('=') ? (this.isKw('yield') ? this.yieldExpr() : this.starExpressions()) : null;
      return { kind: 'AnnAssign', pos: this.span(first.pos), target: first, annotation, value };
    }
    return { kind: 'ExprStmt', pos: first.pos, value: first };
  }

  /** `yield`, `yield v`, `yield a, b`, `yield from it`, where a statement may hold one. */
  private yieldExpr(): Expr {
    const t = this.cur();
    if (this.funcDepth === 0) throw this.errorAt(t, "'yield' outside function");
    this.k++;
    if (this.eatKw('from')) {
      const value = this.expression();
      return { kind: 'YieldFrom', pos: this.span(posOf(t), value.pos), value };
    }
    if (this.atStatementEnd() || this.isOp(')')) return { kind: 'Yield', pos: this.span(t), value: null };
    const value = this.starExpressions();
    return { kind: 'Yield', pos: this.span(posOf(t), value.pos), value };
  }

  private unsupported(what: string): never {
    if (what === 'yield' && this.funcDepth === 0) throw this.errorAt(this.cur(), "'yield' outside function");
    if (what === 'yield') throw this.errorAt(this.cur(), "'yield' inside an expression is not supported in this playground: write it as a statement (`yield v` or `x = yield v`)");
    throw this.errorAt(this.cur(), `'${what}' is not supported in this playground`);
  }

  /** Parses a function or class body: loops outside it do not count for break/continue. */
  private scopeBody<T>(isFunction: boolean, parse: () => T): T {
    const loops = this.loopDepth;
    this.loopDepth = 0;
    if (isFunction) this.funcDepth++;
    try {
      return parse();
    } finally {
      this.loopDepth = loops;
      if (isFunction) this.funcDepth--;
    }
  }

  /** A loop's body (not its else block). */
  private loopBody(what: string, header: Token): Stmt[] {
    this.loopDepth++;
    try {
      return this.block(what, header);
    } finally {
      this.loopDepth--;
    }
  }

  private atStatementEnd(): boolean {
    const t = this.cur();
    return t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'op' && t.value === ';');
  }

  private dottedName(): string {
    let name = this.name().value;
    while (this.eatOp('.')) name += '.' + this.name().value;
    return name;
  }

  private importStatement(): Stmt {
    const t = this.advance();
    const names: { name: string; asname: string | null }[] = [];
    do {
      const name = this.dottedName();
      const asname = this.eatKw('as') ? this.name().value : null;
      names.push({ name, asname });
    } while (this.eatOp(','));
    return { kind: 'Import', pos: this.span(t), names };
  }

  private fromImport(): Stmt {
    const t = this.advance();
    if (this.isOp('.')) throw this.errorAt(this.cur(), 'relative imports are not supported in this playground');
    const module = this.dottedName();
    this.expectKw('import');
    const names: { name: string; asname: string | null }[] = [];
    if (this.isOp('*')) throw this.errorAt(this.cur(), "'from ... import *' is not supported in this playground");
    const paren = this.eatOp('(');
    do {
      if (paren && this.isOp(')')) break;
      const name = this.name().value;
      const asname = this.eatKw('as') ? this.name().value : null;
      names.push({ name, asname });
    } while (this.eatOp(','));
    if (paren) this.expectOp(')');
    return { kind: 'ImportFrom', pos: this.span(t), module, names };
  }

  /** Checks and converts an expression used as an assignment target. */
  private toTarget(e: Expr, context: '=' | 'for' | 'with' | 'del' | 'comprehension'): Expr {
    switch (e.kind) {
      case 'Name':
        return e;
      case 'Attribute':
      case 'Subscript':
        return e;
      case 'Tuple':
      case 'List':
        if (context === 'del') {
          for (const x of e.elts) this.toTarget(x, context);
          return e;
        }
        for (const x of e.elts) this.toTarget(x.kind === 'Starred' ? x.value : x, context);
        return e;
      case 'Const':
        if (e.value === true || e.value === false || e.value === null) {
          throw new PyError('SyntaxError', `cannot assign to ${e.value === null ? 'None' : e.value ? 'True' : 'False'}`, e.pos);
        }
    }
    const what = describe(e);
    // CPython's hint comes from its invalid_named_expression rule, which only a bitwise-or level expression reaches.
    const notBitOr = e.kind === 'Lambda' || e.kind === 'IfExp' || e.kind === 'Compare' || e.kind === 'BoolOp' || (e.kind === 'UnaryOp' && e.op === 'not');
    if (context === '=' && !notBitOr) throw new PyError('SyntaxError', `cannot assign to ${what} here. Maybe you meant '==' instead of '='?`, e.pos);
    if (context === '=') throw new PyError('SyntaxError', `cannot assign to ${what}`, e.pos);
    if (context === 'del') throw new PyError('SyntaxError', `cannot delete ${what}`, e.pos);
    throw new PyError('SyntaxError', `cannot assign to ${what}`, e.pos);
  }

  // ---- expressions --------------------------------------------------------------------------

  /** `a, b` (a tuple without parentheses) or a single expression; starred items allowed. */
  private starExpressions(): Expr {
    const first = this.starOrExpression();
    if (!this.isOp(',')) {
      if (first.kind === 'Starred') throw new PyError('SyntaxError', "can't use starred expression here", first.pos);
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.atExpressionListEnd()) break;
      elts.push(this.starOrExpression());
    }
    return { kind: 'Tuple', pos: this.span(first.pos), elts };
  }

  /** Like starExpressions but used where Python takes `expressions` (return, for ... in, augassign value). */
  private expressionList(): Expr {
    return this.starExpressions();
  }

  private atExpressionListEnd(): boolean {
    const t = this.cur();
    if (t.kind === 'newline' || t.kind === 'eof') return true;
    return t.kind === 'op' && (t.value === '=' || t.value === ')' || t.value === ']' || t.value === '}' || t.value === ':' || t.value === ';' || AUG_OPS[t.value] !== undefined);
  }

  /** An item of a list, set or parenthesised tuple display: `*it`, an expression, or `name := value`. */
  private starOrNamed(): Expr {
    const e = this.starOrExpression();
    return this.isOp(':=') ? this.walrus(e) : e;
  }

  private starOrExpression(): Expr {
    if (this.isOp('*')) {
      const t = this.advance();
      const value = this.bitOr();
      return { kind: 'Starred', pos: this.span(t), value };
    }
    return this.expression();
  }

  /** Targets of `for` and comprehensions: bit-or level items, so that `in` is not taken as an operator. */
  private targetList(): Expr {
    const first = this.targetAtom();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in') || this.isOp('=')) break;
      elts.push(this.targetAtom());
    }
    return { kind: 'Tuple', pos: this.span(first.pos), elts };
  }

  private targetAtom(): Expr {
    if (this.isOp('*')) {
      const t = this.advance();
      const value = this.bitOr();
      return { kind: 'Starred', pos: this.span(t), value };
    }
    return this.bitOr();
  }

  /** Python's `named_expression` (no walrus support: `:=` gives a clear error). */
  /** An if/while condition; `if x = 1:` fails as CPython's invalid_named_expression rule says. */
  private condition(): Expr {
    const test = this.namedExpression();
    if (!this.isOp('=')) return test;
    const plain = !['Compare', 'BoolOp', 'IfExp', 'Lambda', 'List', 'Tuple', 'GeneratorExp'].includes(test.kind) &&
      !(test.kind === 'UnaryOp' && test.op === 'not') && !(test.kind === 'Const' && (test.value === null || typeof test.value === 'boolean'));
    if (!plain) return test;
    const save = this.k;
    this.k++;
    let value: Expr;
    try {
      value = this.bitOr();
    } catch {
      this.k = save;
      return test;
    }
    if (this.isOp('=') || this.isOp(':=')) {
      this.k = save;
      return test;
    }
    if (test.kind === 'Name') throw new PyError('SyntaxError', "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", this.span(test.pos, value.pos));
    throw new PyError('SyntaxError', `cannot assign to ${describe(test)} here. Maybe you meant '==' instead of '='?`, test.pos);
  }

  /**
   * CPython's invalid_expression rule: inside brackets, an expression directly followed by another one
   * (`[1.0 2.0]`, `f(a b)`) is "invalid syntax. Perhaps you forgot a comma?", over both.
   */
  private checkForgotComma(first: Expr, startTok: number): void {
    if (this.noCommaCheck > 0 || !startsExpression(this.cur())) return;
    const s = this.toks[startTok];
    if (s.kind === 'name' && (SOFT_KEYWORDS.has(s.value) || this.toks[startTok + 1]?.kind === 'string')) return;
    const save = this.k;
    let second: Expr;
    this.noCommaCheck++;
    try {
      second = this.expression();
    } catch {
      this.k = save;
      return;
    } finally {
      this.noCommaCheck--;
    }
    if (this.levels[this.k - 1] === 0) {
      this.k = save;
      return;
    }
    throw new PyError('SyntaxError', 'invalid syntax. Perhaps you forgot a comma?', this.span(first.pos, second.pos));
  }

  private namedExpression(): Expr {
    const e = this.expression();
    return this.isOp(':=') ? this.walrus(e) : e;
  }

  /** `target := value`, the target parsed already. */
  private walrus(target: Expr): Expr {
    const op = this.advance();
    if (target.kind !== 'Name') throw new PyError('SyntaxError', `cannot use assignment expressions with ${describe(target)}`, target.pos);
    void op;
    const value = this.expression();
    return { kind: 'NamedExpr', pos: this.span(target.pos, value.pos), target, value };
  }

  expression(): Expr {
    if (this.isKw('lambda')) return this.lambda();
    const startTok = this.k;
    const body = this.disjunction();
    if (!this.isKw('if')) this.checkForgotComma(body, startTok);
    if (this.isKw('if')) {
      this.k++;
      const test = this.disjunction();
      if (!this.isKw('else')) throw new PyError('SyntaxError', "expected 'else' after 'if' expression", this.span(body.pos, test.pos));
      this.k++;
      const orelse = this.expression();
      return { kind: 'IfExp', pos: this.span(body.pos, orelse.pos), test, body, orelse };
    }
    return body;
  }

  private lambda(): Expr {
    const t = this.advance();
    const params = this.parameters(':', false);
    this.expectOp(':');
    const body = this.scopeBody(true, () => this.expression());
    return { kind: 'Lambda', pos: this.span(t, body.pos), params, body };
  }

  private disjunction(): Expr {
    const first = this.conjunction();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.eatKw('or')) values.push(this.conjunction());
    return { kind: 'BoolOp', pos: this.span(first.pos, values[values.length - 1].pos), op: 'or', values };
  }

  private conjunction(): Expr {
    const first = this.inversion();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.eatKw('and')) values.push(this.inversion());
    return { kind: 'BoolOp', pos: this.span(first.pos, values[values.length - 1].pos), op: 'and', values };
  }

  private inversion(): Expr {
    if (this.isKw('not')) {
      const t = this.advance();
      const operand = this.inversion();
      return { kind: 'UnaryOp', pos: this.span(t, operand.pos), op: 'not', operand };
    }
    return this.comparison();
  }

  private compareOp(): CompareOp | null {
    const t = this.cur();
    if (t.kind === 'op' && COMPARE_OPS.has(t.value)) {
      this.k++;
      return t.value as CompareOp;
    }
    if (t.kind === 'name') {
      if (t.value === 'in') {
        this.k++;
        return 'in';
      }
      if (t.value === 'is') {
        this.k++;
        return this.eatKw('not') ? 'is not' : 'is';
      }
      if (t.value === 'not' && this.peekAt(1).kind === 'name' && this.peekAt(1).value === 'in') {
        this.k += 2;
        return 'not in';
      }
    }
    return null;
  }

  private comparison(): Expr {
    const left = this.bitOr();
    const ops: CompareOp[] = [];
    const comparators: Expr[] = [];
    for (let op = this.compareOp(); op !== null; op = this.compareOp()) {
      ops.push(op);
      comparators.push(this.bitOr());
    }
    if (ops.length === 0) return left;
    return { kind: 'Compare', pos: this.span(left.pos, comparators[comparators.length - 1].pos), left, ops, comparators };
  }

  private binary(next: () => Expr, ops: readonly string[]): Expr {
    let left = next();
    while (this.cur().kind === 'op' && ops.includes(this.cur().value)) {
      const op = this.advance().value as BinOp;
      const right = next();
      left = { kind: 'BinOp', pos: this.span(left.pos, right.pos), op, left, right };
    }
    return left;
  }

  private bitOr = (): Expr => this.binary(this.bitXor, ['|']);
  private bitXor = (): Expr => this.binary(this.bitAnd, ['^']);
  private bitAnd = (): Expr => this.binary(this.shift, ['&']);
  private shift = (): Expr => this.binary(this.sum, ['<<', '>>']);
  private sum = (): Expr => this.binary(this.term, ['+', '-']);
  private term = (): Expr => this.binary(this.factor, ['*', '/', '//', '%', '@']);

  private factor = (): Expr => {
    const t = this.cur();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.k++;
      const operand = this.factor();
      return { kind: 'UnaryOp', pos: this.span(t, operand.pos), op: t.value as '-' | '+' | '~', operand };
    }
    return this.power();
  };

  private power(): Expr {
    const base = this.primary();
    if (this.isOp('**')) {
      this.k++;
      const exp = this.factor();
      return { kind: 'BinOp', pos: this.span(base.pos, exp.pos), op: '**', left: base, right: exp };
    }
    return base;
  }

  private primary(): Expr {
    let e = this.atom();
    while (true) {
      if (this.isOp('.')) {
        this.k++;
        const t = this.cur();
        if (t.kind !== 'name') throw this.errorAt(t);
        this.k++;
        e = { kind: 'Attribute', pos: this.span(e.pos, t), value: e, attr: t.value };
      } else if (this.isOp('(')) {
        this.k++;
        const [args, keywords] = this.callArguments();
        this.expectOp(')');
        e = { kind: 'Call', pos: this.span(e.pos), func: e, args, keywords };
      } else if (this.isOp('[')) {
        this.k++;
        const index = this.subscriptList();
        this.expectOp(']');
        e = { kind: 'Subscript', pos: this.span(e.pos), value: e, index };
      } else {
        return e;
      }
    }
  }

  private callArguments(): [Expr[], Keyword[]] {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    while (!this.isOp(')')) {
      const t = this.cur();
      if (this.eatOp('**')) {
        const value = this.expression();
        keywords.push({ name: null, value, pos: this.span(t, value.pos) });
      } else if (this.eatOp('*')) {
        const value = this.expression();
        args.push({ kind: 'Starred', pos: this.span(t, value.pos), value });
      } else if (t.kind === 'name' && this.peekAt(1).kind === 'op' && this.peekAt(1).value === '=' && !KEYWORDS.has(t.value)) {
        this.k += 2;
        const value = this.expression();
        if (keywords.some((k) => k.name === t.value)) throw this.errorAt(t, `keyword argument repeated: ${t.value}`);
        keywords.push({ name: t.value, value, pos: this.span(t, value.pos) });
      } else {
        const value = this.namedExpression();
        if (this.isKw('for')) {
          const generators = this.comprehensionClauses();
          args.push({ kind: 'GeneratorExp', pos: this.span(value.pos), elt: value, generators });
        } else {
          if (keywords.length > 0) {
            throw new PyError('SyntaxError', 'positional argument follows keyword argument', value.pos);
          }
          args.push(value);
        }
      }
      if (!this.eatOp(',')) break;
    }
    return [args, keywords];
  }

  private subscriptList(): Expr {
    const start = this.cur();
    const first = this.sliceItem();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.sliceItem());
    }
    return { kind: 'Tuple', pos: this.span(start), elts };
  }

  private sliceItem(): Expr {
    const start = this.cur();
    let lower: Expr | null = null;
    if (!this.isOp(':')) {
      lower = this.starOrExpression();
      if (!this.isOp(':')) return lower;
    }
    this.k++;
    const upper = this.isOp(':') || this.isOp(']') || this.isOp(',') ? null : this.expression();
    let step: Expr | null = null;
    if (this.eatOp(':')) step = this.isOp(']') || this.isOp(',') ? null : this.expression();
    return { kind: 'Slice', pos: this.span(start), lower, upper, step };
  }

  private comprehensionClauses(): Comprehension[] {
    const generators: Comprehension[] = [];
    while (this.isKw('for')) {
      this.k++;
      const target = this.toTarget(this.targetList(), 'comprehension');
      this.expectKw('in');
      const iter = this.disjunction();
      const ifs: Expr[] = [];
      while (this.isKw('if')) {
        this.k++;
        ifs.push(this.disjunction());
      }
      generators.push({ target, iter, ifs });
    }
    return generators;
  }

  private atom(): Expr {
    const t = this.cur();
    switch (t.kind) {
      case 'name': {
        if (KEYWORDS.has(t.value)) {
          this.k++;
          if (t.value === 'True') return { kind: 'Const', pos: posOf(t), value: true };
          if (t.value === 'False') return { kind: 'Const', pos: posOf(t), value: false };
          if (t.value === 'None') return { kind: 'Const', pos: posOf(t), value: null };
          if (t.value === 'yield' || t.value === 'await') this.k--, this.unsupported(t.value);
          this.k--;
          throw this.errorAt(t);
        }
        this.k++;
        return { kind: 'Name', pos: posOf(t), id: t.value };
      }
      case 'int':
        this.k++;
        return { kind: 'Const', pos: posOf(t), value: t.num! };
      case 'float':
        this.k++;
        return { kind: 'Const', pos: posOf(t), value: { float: t.num! } };
      case 'string':
        return this.strings();
      case 'op':
        break;
      default:
        throw this.errorAt(t);
    }
    switch (t.value) {
      case '(': {
        this.k++;
        if (this.eatOp(')')) return { kind: 'Tuple', pos: this.span(t), elts: [] };
        if (this.isKw('yield')) {
          // `(yield v)`: a yield anywhere an expression may be, once parenthesised.
          const y = this.yieldExpr();
          this.expectOp(')');
          return y;
        }
        const first = this.starOrExpression();
        if (this.isKw('for')) {
          const generators = this.comprehensionClauses();
          this.expectOp(')');
          return { kind: 'GeneratorExp', pos: this.span(t), elt: first, generators };
        }
        if (this.isOp(':=')) {
          const w = this.walrus(first);
          this.expectOp(')');
          return w;
        }
        if (this.eatOp(')')) {
          if (first.kind === 'Starred') throw new PyError('SyntaxError', "can't use starred expression here", first.pos);
          return first;
        }
        const elts = [first];
        while (this.eatOp(',')) {
          if (this.isOp(')')) break;
          elts.push(this.starOrNamed());
        }
        this.expectOp(')');
        return { kind: 'Tuple', pos: this.span(t), elts };
      }
      case '[': {
        this.k++;
        if (this.eatOp(']')) return { kind: 'List', pos: this.span(t), elts: [] };
        const first = this.starOrNamed();
        if (this.isKw('for')) {
          const generators = this.comprehensionClauses();
          this.expectOp(']');
          return { kind: 'ListComp', pos: this.span(t), elt: first, generators };
        }
        const elts = [first];
        while (this.eatOp(',')) {
          if (this.isOp(']')) break;
          elts.push(this.starOrNamed());
        }
        this.expectOp(']');
        return { kind: 'List', pos: this.span(t), elts };
      }
      case '{':
        return this.braces();
      case '...':
        this.k++;
        return { kind: 'Const', pos: posOf(t), value: { ellipsis: true } };
    }
    throw this.errorAt(t);
  }

  private braces(): Expr {
    const t = this.advance();
    if (this.eatOp('}')) return { kind: 'Dict', pos: this.span(t), keys: [], values: [] };
    if (this.eatOp('**')) {
      const v = this.bitOr();
      return this.dictRest(t, [null], [v]);
    }
    const first = this.starOrNamed();
    if (this.eatOp(':')) {
      const value = this.expression();
      if (this.isKw('for')) {
        const generators = this.comprehensionClauses();
        this.expectOp('}');
        return { kind: 'DictComp', pos: this.span(t), key: first, value, generators };
      }
      return this.dictRest(t, [first], [value]);
    }
    if (this.isKw('for')) {
      const generators = this.comprehensionClauses();
      this.expectOp('}');
      return { kind: 'SetComp', pos: this.span(t), elt: first, generators };
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp('}')) break;
      elts.push(this.starOrNamed());
    }
    this.expectOp('}');
    return { kind: 'Set', pos: this.span(t), elts };
  }

  private dictRest(t: Token, keys: (Expr | null)[], values: Expr[]): Expr {
    while (this.eatOp(',')) {
      if (this.isOp('}')) break;
      if (this.eatOp('**')) {
        keys.push(null);
        values.push(this.bitOr());
        continue;
      }
      const key = this.expression();
      keys.push(key);
      if ((this.isOp('}') || this.isOp(',')) && !this.isOp(':')) throw new PyError('SyntaxError', "':' expected after dictionary key", key.pos);
      this.expectOp(':');
      values.push(this.expression());
    }
    this.expectOp('}');
    return { kind: 'Dict', pos: this.span(t), keys, values };
  }

  /** Adjacent string literals concatenate; any f-string among them makes an FString node. */
  private strings(): Expr {
    const first = this.cur();
    const parts: (string | FormattedValue)[] = [];
    let isF = false;
    while (this.cur().kind === 'string') {
      const s = this.advance();
      if (s.fparts) {
        isF = true;
        for (const p of s.fparts) parts.push(convertPart(p, this.funcDepth));
      } else {
        parts.push(s.value);
      }
    }
    if (!isF) return { kind: 'Const', pos: this.span(first), value: parts.join('') };
    // Merge adjacent literal parts.
    const merged: (string | FormattedValue)[] = [];
    for (const p of parts) {
      if (typeof p === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += p;
      else merged.push(p);
    }
    return { kind: 'FString', pos: this.span(first), parts: merged };
  }
}

function convertPart(p: FPart, funcDepth = 0): string | FormattedValue {
  if (typeof p === 'string') return p;
  const value = parseExpression(p.source, { line: p.line, col: p.col }, funcDepth);
  return {
    value,
    conversion: p.conversion,
    spec: p.spec ? p.spec.map((q) => convertPart(q, funcDepth)) : null,
    debugText: p.debugText,
  };
}

function posOf(t: Token): Pos {
  return { line: t.line, col: t.col, endLine: t.endLine, endCol: t.endCol };
}

/** How CPython names an expression in "cannot assign to ..." messages. */
const SOFT_KEYWORDS = new Set(['match', 'case', '_']);

/** Whether a token can begin an expression that cannot continue the one before it. */
function startsExpression(t: Token): boolean {
  if (t.kind === 'int' || t.kind === 'float' || t.kind === 'string') return true;
  if (t.kind === 'name') return !KEYWORDS.has(t.value) || ['None', 'True', 'False', 'lambda', 'await'].includes(t.value);
  return t.kind === 'op' && ['{', '~', '...'].includes(t.value);
}

function describe(e: Expr): string {
  switch (e.kind) {
    case 'Call':
      return 'function call';
    case 'Const':
      return e.value === null || typeof e.value === 'boolean' ? String(e.value) : e.value instanceof Object && 'ellipsis' in e.value ? 'ellipsis' : 'literal';
    case 'FString':
      return 'f-string expression';
    case 'Compare':
      return 'comparison';
    case 'BoolOp':
    case 'BinOp':
    case 'UnaryOp':
      return 'expression';
    case 'Lambda':
      return 'lambda';
    case 'IfExp':
      return 'conditional expression';
    case 'ListComp':
      return 'list comprehension';
    case 'DictComp':
      return 'dict comprehension';
    case 'SetComp':
      return 'set comprehension';
    case 'GeneratorExp':
      return 'generator expression';
    case 'Dict':
      return 'dict literal';
    case 'Set':
      return 'set display';
    case 'Starred':
      return 'starred';
    case 'Attribute':
      return 'attribute';
    case 'Tuple':
      return 'tuple';
    case 'List':
      return 'list';
    case 'Subscript':
      return 'subscript';
    case 'Name':
      return 'name';
    default:
      return 'expression';
  }
}


export function parse(source: string, origin = { line: 1, col: 1 }): Module {
  const tokens = new Lexer(source, origin).tokenize();
  return new Parser(tokens).parseModule();
}

/** Parses a single expression (the golden runner's `evaluate`, f-string fields). */
export function parseExpression(source: string, origin = { line: 1, col: 1 }, funcDepth = 0): Expr {
  const tokens = new Lexer(source, origin).tokenize(true);
  const parser = new Parser(tokens);
  parser.funcDepth = funcDepth; // an f-string field in a function may hold a (yield)
  return parser.parseExpressionOnly();
}
