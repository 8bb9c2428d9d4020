// derivatives.yaml formula text (e.g. 'grad * exponent * self.pow(exponent - 1)') → LaTeX for KaTeX.
//
// Note: a tiny Pratt-style parser over the vocabulary the op registry uses: names, numbers, + - * /,
// comparisons, & |, ?:, calls f(x), methods x.f(y), at:: prefixes. Only identifiers matching
// [A-Za-z_][A-Za-z0-9_]* and numbers reach the LaTeX output; anything unparsed is shown as escaped
// \texttt text. User text (variable names) never goes into a formula: the inspector writes it with React.

export type Ast =
  | { k: 'num'; v: string }
  | { k: 'str'; v: string }
  | { k: 'id'; v: string }
  | { k: 'neg'; a: Ast }
  | { k: 'bin'; op: string; a: Ast; b: Ast }
  | { k: 'tern'; c: Ast; a: Ast; b: Ast }
  | { k: 'call'; f: string; args: Ast[] }
  | { k: 'method'; obj: Ast; f: string; args: Ast[] }
  | { k: 'kw'; name: string; v: Ast }
  | { k: 'val'; latex: string }; // a substituted value, already LaTeX

const TOKEN = /\s*(?:(\d+\.?\d*(?:e-?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)|("[^"]*"|'[^']*')|(>=|<=|==|!=|[-+*/()<>,.?:&|=]))/y;

export function parseFormula(text: string): Ast {
  const toks: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read formula at ${TOKEN.lastIndex}`);
    toks.push(m[0].trim());
  }
  let i = 0;
  const peek = () => toks[i];
  const eat = (t?: string) => {
    const x = toks[i++];
    if (t !== undefined && x !== t) throw new Error(`expected ${t}`);
    return x;
  };
  const args = (): Ast[] => {
    const out: Ast[] = [];
    eat('(');
    while (peek() !== ')') {
      if (/^[A-Za-z_]\w*$/.test(peek()) && toks[i + 1] === '=') {
        const name = eat();
        eat('=');
        out.push({ k: 'kw', name, v: expr() });
      } else out.push(expr());
      if (peek() === ',') eat(',');
      else break;
    }
    eat(')');
    return out;
  };
  const primary = (): Ast => {
    const t = eat();
    if (t === undefined) throw new Error('unexpected end');
    if (t === '(') {
      const e = expr();
      eat(')');
      return e;
    }
    if (t === '-') return { k: 'neg', a: postfix() };
    if (/^[\d.]/.test(t)) return { k: 'num', v: t };
    if (/^["']/.test(t)) return { k: 'str', v: t.slice(1, -1) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') return { k: 'call', f: t.replace(/^at::/, ''), args: args() };
      return { k: 'id', v: t };
    }
    throw new Error(`unexpected ${t}`);
  };
  const postfix = (): Ast => {
    let a = primary();
    while (peek() === '.') {
      eat('.');
      const f = eat();
      a = { k: 'method', obj: a, f, args: peek() === '(' ? args() : [] };
    }
    return a;
  };
  const PREC: Record<string, number> = { '|': 1, '&': 2, '>': 3, '<': 3, '>=': 3, '<=': 3, '==': 3, '!=': 3, '+': 4, '-': 4, '*': 5, '/': 5 };
  const binary = (min: number): Ast => {
    let a = postfix();
    for (;;) {
      const op = peek();
      const p = PREC[op];
      if (p === undefined || p < min) return a;
      eat();
      a = { k: 'bin', op, a, b: binary(p + 1) };
    }
  };
  function expr(): Ast {
    const c = binary(1);
    if (peek() === '?') {
      eat('?');
      const a = expr();
      eat(':');
      return { k: 'tern', c, a, b: expr() };
    }
    return c;
  }
  const e = expr();
  if (i < toks.length) throw new Error(`unexpected ${toks[i]}`);
  return e;
}

const name = (v: string) => `\\mathrm{${v.replace(/_/g, '\\_')}}`;
const op = (v: string) => `\\operatorname{${v.replace(/_/g, '\\_')}}`;
const PREC_OF = (a: Ast): number => (a.k === 'bin' ? ({ '|': 1, '&': 2, '+': 4, '-': 4, '*': 5, '/': 6 } as Record<string, number>)[a.op] ?? 9 : a.k === 'tern' ? 0 : a.k === 'neg' ? 5.5 : 9);
const paren = (a: Ast, min: number) => (PREC_OF(a) < min ? `\\left(${toLatex(a)}\\right)` : toLatex(a));

const FUNCS: Record<string, string> = { cos: '\\cos', sin: '\\sin', log: '\\log', exp: '\\exp', tanh: '\\tanh' };

export function toLatex(a: Ast): string {
  switch (a.k) {
    case 'num':
      return a.v;
    case 'str':
      return `\\text{"${a.v.replace(/[^A-Za-z0-9_ ]/g, '')}"}`;
    case 'id':
      return name(a.v);
    case 'val':
      return a.latex;
    case 'kw':
      return `${name(a.name)}{=}${toLatex(a.v)}`;
    case 'neg':
      return `-${paren(a.a, 5)}`;
    case 'tern':
      return `\\begin{cases} ${toLatex(a.a)} & \\text{if } ${toLatex(a.c)} \\\\ ${toLatex(a.b)} & \\text{otherwise} \\end{cases}`;
    case 'bin': {
      if (a.op === '/') return `\\frac{${toLatex(a.a)}}{${toLatex(a.b)}}`;
      if (['>', '<', '>=', '<=', '==', '!='].includes(a.op)) {
        const sym = { '>': '>', '<': '<', '>=': '\\ge', '<=': '\\le', '==': '=', '!=': '\\ne' }[a.op];
        return `\\mathbb{1}\\left[${toLatex(a.a)} ${sym} ${toLatex(a.b)}\\right]`;
      }
      if (a.op === '&') return `${paren(a.a, 3)} \\land ${paren(a.b, 3)}`;
      if (a.op === '|') return `${paren(a.a, 3)} \\lor ${paren(a.b, 3)}`;
      if (a.op === '*') return `${paren(a.a, 5)} \\cdot ${paren(a.b, 6)}`;
      return `${paren(a.a, 4)} ${a.op} ${paren(a.b, 4.6)}`;
    }
    case 'call': {
      const f = FUNCS[a.f];
      if (f && a.args.length === 1) return `${f}\\left(${toLatex(a.args[0])}\\right)`;
      return `${op(a.f)}\\left(${a.args.map(toLatex).join(',\\ ')}\\right)`;
    }
    case 'method': {
      const x = a.obj;
      const base = paren(x, 9);
      switch (a.f) {
        case 'pow':
          return `${base}^{${toLatex(a.args[0])}}`;
        case 't':
        case 'T':
        case 'transpose':
          return `${base}^{\\top}`;
        case 'mm':
        case 'bmm':
        case 'mv':
        case 'matmul':
          return `${base}\\,${paren(a.args[0], 9)}`;
        case 'ger':
          return `${base}\\,${paren(a.args[0], 9)}^{\\top}`;
        case 'sizes':
          return `\\operatorname{shape}(${toLatex(x)})`;
        case 'numel':
          return `\\operatorname{numel}(${toLatex(x)})`;
      }
      const f = FUNCS[a.f];
      if (f && a.args.length === 0) return `${f}\\left(${toLatex(x)}\\right)`;
      return `${op(a.f)}\\left(${[toLatex(x), ...a.args.map(toLatex)].join(',\\ ')}\\right)`;
    }
  }
}

/** Replaces identifiers by values (LaTeX already made by the caller from numbers). */
export function substitute(a: Ast, values: Record<string, string | undefined>): Ast {
  const s = (x: Ast) => substitute(x, values);
  switch (a.k) {
    case 'id':
      return values[a.v] !== undefined ? { k: 'val', latex: values[a.v]! } : a;
    case 'neg':
      return { ...a, a: s(a.a) };
    case 'bin':
      return { ...a, a: s(a.a), b: s(a.b) };
    case 'tern':
      return { ...a, c: s(a.c), a: s(a.a), b: s(a.b) };
    case 'call':
      return { ...a, args: a.args.map(s) };
    case 'method':
      return { ...a, obj: s(a.obj), args: a.args.map(s) };
    case 'kw':
      return { ...a, v: s(a.v) };
    default:
      return a;
  }
}

/**
 * The local derivative: the formula with the upstream `grad` factored out, when the formula is a
 * product/quotient in which grad appears once as a factor (grad * other, -grad, grad / (2 * result)).
 * Null for vector-Jacobian products that are not a plain product (grad.mm(mat2.t())).
 */
export function localDerivative(a: Ast): Ast | null {
  const isGrad = (x: Ast) => x.k === 'id' && x.v === 'grad';
  if (isGrad(a)) return { k: 'num', v: '1' };
  if (a.k === 'neg') {
    const l = localDerivative(a.a);
    return l ? (l.k === 'num' && l.v === '1' ? { k: 'num', v: '-1' } : { k: 'neg', a: l }) : null;
  }
  if (a.k === 'bin' && a.op === '*') {
    if (isGrad(a.a)) return a.b;
    if (isGrad(a.b)) return a.a;
    const la = mentionsGrad(a.a) ? localDerivative(a.a) : null;
    if (la && !mentionsGrad(a.b)) return simplifyOne({ k: 'bin', op: '*', a: la, b: a.b });
    const lb = mentionsGrad(a.b) ? localDerivative(a.b) : null;
    if (lb && !mentionsGrad(a.a)) return simplifyOne({ k: 'bin', op: '*', a: a.a, b: lb });
    return null;
  }
  if (a.k === 'bin' && a.op === '/' && mentionsGrad(a.a) && !mentionsGrad(a.b)) {
    const l = localDerivative(a.a);
    return l ? { k: 'bin', op: '/', a: l, b: a.b } : null;
  }
  return null;
}

function simplifyOne(a: Ast): Ast {
  if (a.k === 'bin' && a.op === '*') {
    if (a.a.k === 'num' && a.a.v === '1') return a.b;
    if (a.b.k === 'num' && a.b.v === '1') return a.a;
    if (a.a.k === 'num' && a.a.v === '-1') return { k: 'neg', a: a.b };
  }
  return a;
}

export function mentionsGrad(a: Ast): boolean {
  switch (a.k) {
    case 'id':
      return a.v === 'grad';
    case 'neg':
      return mentionsGrad(a.a);
    case 'bin':
      return mentionsGrad(a.a) || mentionsGrad(a.b);
    case 'tern':
      return mentionsGrad(a.c) || mentionsGrad(a.a) || mentionsGrad(a.b);
    case 'call':
      return a.args.some(mentionsGrad);
    case 'method':
      return mentionsGrad(a.obj) || a.args.some(mentionsGrad);
    case 'kw':
      return mentionsGrad(a.v);
    default:
      return false;
  }
}

/** Safe fallback: the raw text in typewriter font, with every TeX-special character escaped. */
export function rawLatex(text: string): string {
  const esc = text.replace(/[\\{}$&#^_%~]/g, (c) => ({ '\\': '\\backslash ', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '#': '\\#', '^': '\\hat{}', _: '\\_', '%': '\\%', '~': '\\sim ' })[c]!);
  return `\\texttt{${esc}}`;
}

export function formulaLatex(text: string): string {
  try {
    return toLatex(parseFormula(text));
  } catch {
    return rawLatex(text);
  }
}
