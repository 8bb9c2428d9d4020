import { describe, expect, it } from 'vitest';
import { parse, parseExpression } from './parser';
import { PyError } from './errors';
import type { Expr } from './ast';

/** A compact s-expression of an expression tree, for precedence checks. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'Name':
      return e.id;
    case 'Const':
      if (e.value === null) return 'None';
      if (typeof e.value === 'boolean') return e.value ? 'True' : 'False';
      return typeof e.value === 'object' ? ('float' in e.value ? `${e.value.float}f` : '...') : String(e.value);
    case 'BinOp':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'UnaryOp':
      return `(${e.op} ${show(e.operand)})`;
    case 'BoolOp':
      return `(${e.op} ${e.values.map(show).join(' ')})`;
    case 'Compare':
      return `(${show(e.left)} ${e.ops.map((o, i) => `${o} ${show(e.comparators[i])}`).join(' ')})`;
    case 'Call':
      return `${show(e.func)}(${[...e.args.map(show), ...e.keywords.map((k) => `${k.name ?? '**'}=${show(k.value)}`)].join(', ')})`;
    case 'Attribute':
      return `${show(e.value)}.${e.attr}`;
    case 'Subscript':
      return `${show(e.value)}[${show(e.index)}]`;
    case 'Slice':
      return `${e.lower ? show(e.lower) : ''}:${e.upper ? show(e.upper) : ''}${e.step ? ':' + show(e.step) : ''}`;
    case 'Tuple':
      return `tuple(${e.elts.map(show).join(', ')})`;
    case 'List':
      return `[${e.elts.map(show).join(', ')}]`;
    case 'Starred':
      return `*${show(e.value)}`;
    case 'IfExp':
      return `(${show(e.body)} if ${show(e.test)} else ${show(e.orelse)})`;
    case 'Lambda':
      return `lambda(${e.params.params.map((p) => p.name).join(', ')}: ${show(e.body)})`;
    case 'ListComp':
      return `[${show(e.elt)} for ${e.generators.map((g) => `${show(g.target)} in ${show(g.iter)}${g.ifs.map((c) => ' if ' + show(c)).join('')}`).join(' for ')}]`;
    default:
      return e.kind;
  }
}

const p = (src: string): string => show(parseExpression(src));

function syntaxError(src: string): PyError {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof PyError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parser: expressions', () => {
  it('binds ** tighter than unary minus on its left, right-associative', () => {
    expect(p('-2**2')).toBe('(- (2 ** 2))');
    expect(p('2**-1')).toBe('(2 ** (- 1))');
    expect(p('a**b**c')).toBe('(a ** (b ** c))');
  });

  it('follows Python precedence from or down to primary', () => {
    expect(p('3*a**3 - b**2')).toBe('((3 * (a ** 3)) - (b ** 2))');
    expect(p('a or b and not c')).toBe('(or a (and b (not c)))');
    expect(p('a | b ^ c & d << 1 + 2 * 3 @ e')).toBe('(a | (b ^ (c & (d << (1 + ((2 * 3) @ e))))))');
    expect(p('1 < x <= 2 is not None')).toBe('(1 < x <= 2 is not None)');
    expect(p('a not in b')).toBe('(a not in b)');
    expect(p('x if c else y if d else z')).toBe('(x if c else (y if d else z))');
    expect(p('-x.y(1)[0]')).toBe('(- x.y(1)[0])');
  });

  it('parses calls with positional, keyword, *args and **kwargs', () => {
    expect(p('f(a, b=1, *c, **d)')).toBe('f(a, *c, b=1, **=d)');
    expect(p('torch.tensor([1., 2.], requires_grad=True)')).toBe('torch.tensor([1f, 2f], requires_grad=True)');
    expect(p('sum(x*x for x in y)')).toBe('sum(GeneratorExp)');
  });

  it('parses subscripts with slices, tuples, ellipsis and None', () => {
    expect(p('x[0, :, 1:3]')).toBe('x[tuple(0, :, 1:3)]');
    expect(p('x[..., None]')).toBe('x[tuple(..., None)]');
    expect(p('x[::2]')).toBe('x[::2]');
    expect(p('x[1:]')).toBe('x[1:]');
    expect(p('m.layer1[0].conv1.weight.grad.norm()')).toBe('m.layer1[0].conv1.weight.grad.norm()');
  });

  it('parses literals, comprehensions and lambdas', () => {
    expect(p('(1,)')).toBe('tuple(1)');
    expect(p('()')).toBe('tuple()');
    expect(p('[i*i for i in range(3) if i]')).toBe('[(i * i) for i in range(3) if i]');
    expect(p('lambda x, y: x + y')).toBe('lambda(x, y: (x + y))');
    expect(p('a, b')).toBe('tuple(a, b)');
    expect(parseExpression('{"a": 1, **d}').kind).toBe('Dict');
  });

  it('keeps spans: binary ops start at the left operand, calls at the function', () => {
    const e = parseExpression('3*a**3 - b**2') as Extract<Expr, { kind: 'BinOp' }>;
    expect(e.pos).toEqual({ line: 1, col: 1, endLine: 1, endCol: 14 });
    expect((e.right as Extract<Expr, { kind: 'BinOp' }>).pos).toEqual({ line: 1, col: 10, endLine: 1, endCol: 14 });
    const call = parseExpression('loss.backward()');
    expect(call.pos).toEqual({ line: 1, col: 1, endLine: 1, endCol: 16 });
  });
});

describe('parser: statements', () => {
  it('parses the tutorial programs', () => {
    const m = parse(`import torch, torchvision
import torch.nn.functional as F
from torch import nn, optim
from safetensors.torch import load_file
a = torch.tensor([2., 3.], requires_grad=True)
a.grad = None
x[0] = 1
a, b = b, a
w -= lr * w.grad
for t in range(2000):
    if t % 100 == 99:
        print(t)
    elif t:
        pass
    else:
        continue
with torch.no_grad():
    w -= 1
while x:
    break
def f(x, y=2, *args, k=1, **kw):
    return x
assert x, 'msg'
del x
`);
    expect(m.body.map((s) => s.kind)).toEqual([
      'Import', 'Import', 'ImportFrom', 'ImportFrom', 'Assign', 'Assign', 'Assign', 'Assign', 'AugAssign', 'For', 'With',
      'While', 'FunctionDef', 'Assert', 'Delete',
    ]);
    const imp = m.body[1] as Extract<(typeof m.body)[number], { kind: 'Import' }>;
    expect(imp.names).toEqual([{ name: 'torch.nn.functional', asname: 'F' }]);
  });

  it('parses simple statements after a colon and semicolons', () => {
    const m = parse('if x: a = 1; b = 2\nfor i in y: pass\n');
    expect(m.body.length).toBe(2);
    expect((m.body[0] as Extract<(typeof m.body)[number], { kind: 'If' }>).body.length).toBe(2);
  });

  it('reports syntax errors with CPython wording and position', () => {
    const cases: [string, string, string, number, number][] = [
      ['for i in range(3):\nprint(i)\n', 'IndentationError', "expected an indented block after 'for' statement on line 1", 2, 1],
      // CPython 3.11's columns (found by golden/gen/errors_fuzz.py): the last character of the indentation.
      ['x = 1\n    y = 2\n', 'IndentationError', 'unexpected indent', 2, 4],
      ['x = 1\n\ty = 2\n', 'IndentationError', 'unexpected indent', 2, 1],
      ['if 1:\n    a = 1\n  b = 2  # c\n', 'IndentationError', 'unindent does not match any outer indentation level', 3, 13],
      ['if 1:\n        a = 1\n\tb = 2\n', 'TabError', 'inconsistent use of tabs and spaces in indentation', 3, 1],
      ['if 1:\n\ta = 1\n        b = 2\n', 'TabError', 'inconsistent use of tabs and spaces in indentation', 3, 1],
      ['if 1:\n    if 2:\n\ta = 1\n', 'TabError', 'inconsistent use of tabs and spaces in indentation', 3, 1],
      ['x = torch.tensor([1.0 2.0])', 'SyntaxError', 'invalid syntax. Perhaps you forgot a comma?', 1, 19],
      ["f(a=1 b=2)", 'SyntaxError', 'invalid syntax. Perhaps you forgot a comma?', 1, 5],
      ['x = 1 2', 'SyntaxError', 'invalid syntax', 1, 7],
      ['x = [a for a in b c]', 'SyntaxError', 'invalid syntax', 1, 19],
      ["if x = 1:\n    pass", 'SyntaxError', "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4],
      ["while x.y = 1:\n    pass", 'SyntaxError', "cannot assign to attribute here. Maybe you meant '==' instead of '='?", 1, 7],
      ['for i in range(2) print(i)', 'SyntaxError', 'invalid syntax', 1, 19],
      ['h = 1 if True', 'SyntaxError', "expected 'else' after 'if' expression", 1, 5],
      ['t = {1: 2, 3}', 'SyntaxError', "':' expected after dictionary key", 1, 12],
      ['v = 1__0', 'SyntaxError', 'invalid decimal literal', 1, 6],
      ['nonlocal q', 'SyntaxError', 'nonlocal declaration not allowed at module level', 1, 1],
      ['continue', 'SyntaxError', "'continue' not properly in loop", 1, 1],
      ['for i in range(3):\n    def g():\n        break', 'SyntaxError', "'break' outside loop", 3, 9],
      ['while 1:\n    pass\nelse:\n    continue', 'SyntaxError', "'continue' not properly in loop", 4, 5],
      ['def f(*, ):\n    pass', 'SyntaxError', 'named arguments must follow bare *', 1, 7],
      ['def f:\n    pass', 'SyntaxError', "expected '('", 1, 6],
      ['z = lambda x: y = 1', 'SyntaxError', 'cannot assign to lambda', 1, 5],
      ['a < b = 1', 'SyntaxError', 'cannot assign to comparison', 1, 1],
      ['w, q += 1', 'SyntaxError', "'tuple' is an illegal expression for augmented assignment", 1, 1],
      ['b = yield 1', 'SyntaxError', "'yield' outside function", 1, 5],
      ['try:\n    x = 1\nexcept\n    pass', 'SyntaxError', "expected ':'", 3, 7],
      ["x = 1 + f'{a' + 2", 'SyntaxError', "f-string: expecting '}'", 1, 15],
      ["x = f'a}b'", 'SyntaxError', "f-string: single '}' is not allowed", 1, 11],
      ['def f(x):\nreturn x\n', 'IndentationError', 'expected an indented block after function definition on line 1', 2, 1],
      ['if x\n    pass\n', 'SyntaxError', "expected ':'", 1, 5],
      ['x = = 1', 'SyntaxError', 'invalid syntax', 1, 5],
      ['f() = 1', 'SyntaxError', "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1],
      ['print "hi"', 'SyntaxError', "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1],
      ['f(a=1, 2)', 'SyntaxError', 'positional argument follows keyword argument', 1, 8],
      ['x = (1 +\n', 'SyntaxError', "'(' was never closed", 1, 5],
      ['class A:\npass', 'IndentationError', 'expected an indented block after class definition on line 1', 2, 1],
      ['class A(metaclass=M):\n  pass', 'SyntaxError', 'class keywords (metaclass=...) are not supported in this playground', 1, 9],
    ];
    for (const [src, type, message, line, col] of cases) {
      const e = syntaxError(src);
      expect([e.type, e.message, e.line, e.col], src).toEqual([type, message, line, col]);
    }
  });
});
