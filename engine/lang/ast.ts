// The syntax tree. Every node carries its source span (1-based line/col; endCol exclusive).
import type { SourcePos } from '../events';
import type { BinOp, CmpOp } from './values';

export type Pos = SourcePos;

export type ConstValue = number | boolean | string | null | { float: number } | { ellipsis: true };

export type Expr =
  | { kind: 'Name'; pos: Pos; id: string }
  | { kind: 'Const'; pos: Pos; value: ConstValue }
  | { kind: 'FString'; pos: Pos; parts: (string | FormattedValue)[] }
  | { kind: 'BinOp'; pos: Pos; op: BinOp; left: Expr; right: Expr }
  | { kind: 'UnaryOp'; pos: Pos; op: '-' | '+' | '~' | 'not'; operand: Expr }
  | { kind: 'BoolOp'; pos: Pos; op: 'and' | 'or'; values: Expr[] }
  | { kind: 'Compare'; pos: Pos; left: Expr; ops: CompareOp[]; comparators: Expr[] }
  | { kind: 'Call'; pos: Pos; func: Expr; args: Expr[]; keywords: Keyword[] }
  | { kind: 'Attribute'; pos: Pos; value: Expr; attr: string }
  | { kind: 'Subscript'; pos: Pos; value: Expr; index: Expr }
  | { kind: 'Slice'; pos: Pos; lower: Expr | null; upper: Expr | null; step: Expr | null }
  | { kind: 'Tuple'; pos: Pos; elts: Expr[] }
  | { kind: 'List'; pos: Pos; elts: Expr[] }
  | { kind: 'Set'; pos: Pos; elts: Expr[] }
  | { kind: 'Dict'; pos: Pos; keys: (Expr | null)[]; values: Expr[] }
  | { kind: 'Starred'; pos: Pos; value: Expr }
  | { kind: 'IfExp'; pos: Pos; test: Expr; body: Expr; orelse: Expr }
  | { kind: 'Lambda'; pos: Pos; params: Params; body: Expr }
  | { kind: 'ListComp' | 'SetComp' | 'GeneratorExp'; pos: Pos; elt: Expr; generators: Comprehension[] }
  | { kind: 'DictComp'; pos: Pos; key: Expr; value: Expr; generators: Comprehension[] }
  /** `yield v` / `yield from it`: a statement, an assignment's value (`x = yield v`), or anywhere once parenthesised. */
  | { kind: 'Yield'; pos: Pos; value: Expr | null }
  | { kind: 'YieldFrom'; pos: Pos; value: Expr }
  /** `name := value` (binds in the enclosing function even from inside a comprehension). */
  | { kind: 'NamedExpr'; pos: Pos; target: Extract<Expr, { kind: 'Name' }>; value: Expr };

export type CompareOp = CmpOp | 'is' | 'is not' | 'in' | 'not in';

export interface FormattedValue {
  value: Expr;
  conversion: 'r' | 's' | 'a' | null;
  spec: (string | FormattedValue)[] | null;
  debugText: string | null;
}

/** A keyword argument; `name` null for `**mapping`. */
export interface Keyword {
  name: string | null;
  value: Expr;
  pos: Pos;
}

export interface Comprehension {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}

export interface Param {
  name: string;
  default: Expr | null;
  pos: Pos;
}

export interface Params {
  params: Param[];
  /** `*args` name. */
  vararg: string | null;
  /** Parameters after `*` / `*args`. */
  kwonly: Param[];
  /** `**kwargs` name. */
  kwarg: string | null;
  /** How many of `params` come before a `/` (positional-only). */
  posonly?: number;
}

export type Stmt =
  | { kind: 'ExprStmt'; pos: Pos; value: Expr }
  | { kind: 'Assign'; pos: Pos; targets: Expr[]; value: Expr }
  | { kind: 'AugAssign'; pos: Pos; target: Expr; op: BinOp; value: Expr }
  | { kind: 'AnnAssign'; pos: Pos; target: Expr; annotation?: Expr; value: Expr | null }
  | { kind: 'For'; pos: Pos; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
  | { kind: 'While'; pos: Pos; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { kind: 'If'; pos: Pos; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { kind: 'With'; pos: Pos; items: { expr: Expr; target: Expr | null }[]; body: Stmt[] }
  | { kind: 'FunctionDef'; pos: Pos; name: string; params: Params; body: Stmt[]; decorators: Expr[] }
  | { kind: 'ClassDef'; pos: Pos; name: string; bases: Expr[]; body: Stmt[]; decorators: Expr[] }
  | { kind: 'Return'; pos: Pos; value: Expr | null }
  | { kind: 'Pass'; pos: Pos }
  | { kind: 'Break'; pos: Pos }
  | { kind: 'Continue'; pos: Pos }
  | { kind: 'Import'; pos: Pos; names: { name: string; asname: string | null }[] }
  | { kind: 'ImportFrom'; pos: Pos; module: string; names: { name: string; asname: string | null }[] }
  | { kind: 'Delete'; pos: Pos; targets: Expr[] }
  | { kind: 'Assert'; pos: Pos; test: Expr; msg: Expr | null }
  | { kind: 'Global'; pos: Pos; names: string[] }
  | { kind: 'Nonlocal'; pos: Pos; names: string[] }
  | { kind: 'Raise'; pos: Pos; exc: Expr | null; cause?: Expr | null }
  | { kind: 'Try'; pos: Pos; body: Stmt[]; handlers: Handler[]; orelse: Stmt[]; finalbody: Stmt[] }
  | { kind: 'Match'; pos: Pos; subject: Expr; cases: MatchCase[] };

export interface MatchCase {
  pattern: Pattern;
  guard: Expr | null;
  body: Stmt[];
}

/** A `case` pattern (PEP 634). A capture or star with a null name is the wildcard `_`. */
export type Pattern =
  | { kind: 'MatchValue'; pos: Pos; value: Expr; identity: boolean }
  | { kind: 'MatchCapture'; pos: Pos; name: string | null }
  | { kind: 'MatchSequence'; pos: Pos; patterns: Pattern[] }
  | { kind: 'MatchStar'; pos: Pos; name: string | null }
  | { kind: 'MatchMapping'; pos: Pos; keys: Expr[]; patterns: Pattern[]; rest: string | null }
  | { kind: 'MatchClass'; pos: Pos; cls: Expr; patterns: Pattern[]; kwdAttrs: string[]; kwdPatterns: Pattern[] }
  | { kind: 'MatchAs'; pos: Pos; pattern: Pattern; name: string }
  | { kind: 'MatchOr'; pos: Pos; patterns: Pattern[] };

export interface Handler {
  pos: Pos;
  type: Expr | null;
  name: string | null;
  body: Stmt[];
}

export interface Module {
  body: Stmt[];
}
