// Generator functions (a def whose body holds a yield), as d2l's `data_iter` and the tutorials use them.
// Expected outputs are what Python 3.11 / PyTorch 1.13.1 print for the same programs.
import { describe, expect, it } from 'vitest';
import { runProgram } from './run';
import { runOutput } from './runOutput';

// Yields inside expressions, and generator expressions that run lazily: programs and what CPython 3.11 printed.
const YIELD_IN_EXPRESSION_CASES: [string, string][] = [
  ["def acc():\n    total = 0\n    while True:\n        v = (yield total) + 1\n        total += v\ng = acc()\nprint(next(g), g.send(1), g.send(10))\ndef printer():\n    while True:\n        print(\"got\", (yield))\np = printer(); next(p); p.send(\"a\"); p.send(3)\ndef collector(out):\n    while True:\n        out.append((yield))\nlst = []\nc = collector(lst); next(c); c.send(1); c.send(2)\nprint(lst)\ndef f():\n    x = yield 1\n    y = yield x + 1\n    return y\ngg = f()\nprint(next(gg), gg.send(5))\ntry:\n    gg.send(9)\nexcept StopIteration as e:\n    print(\"stop\", e.value, repr(e))\ndef g2():\n    res = yield from f()\n    print('res', res)\n    return res * 2\nx = g2()\nprint(next(x), x.send(3))\ntry:\n    x.send(4)\nexcept StopIteration as e:\n    print('done', e.value)\n",
   "0 2 13\ngot a\ngot 3\n[1, 2]\n1 6\nstop 9 StopIteration(9)\n1 4\nres 4\ndone 8\n"],
  ["def calls():\n    d = {'a': (yield 1), 'b': [(yield 2), (yield 3)]}\n    s = f\"{(yield 'f')}!\"\n    t = max((yield 'm1'), (yield 'm2'), key=abs)\n    if (yield 'test'):\n        print('test was true')\n    n = 0\n    while (yield 'w') != 'stop':\n        n += 1\n    r = (yield 'cond') if n else 'skipped'\n    total = 0\n    total += yield 'aug'\n    return d, s, t, n, r, total\ngen = calls()\nvals = [None, 'A', 'B', 'C', 'F', -7, 3, 1, 0, 0, 'stop', 'R', 40]\nout = []\ntry:\n    for v in vals:\n        out.append(gen.send(v))\nexcept StopIteration as e:\n    print('returned', e.value)\nprint(out)\ndef kw():\n    print('kw', dict(x=(yield 'kx'), y=1), *[(yield 's')], sep='|')\n    items = [1, 2, 3]\n    print(items[(yield 'i'):])\n    return (yield 'last') or 'fallback'\nk = kw()\nprint(next(k), k.send(5), k.send('star'), k.send(1), end=' ')\ntry:\n    k.send(0)\nexcept StopIteration as e:\n    print(e.value)\ndef lazy():\n    n = 0\n    while True:\n        yield n\n        n += 1\nprint(list(x * x for x in lazy() if x % 2 for _ in range(1) if x < 3) if False else [y for y, _ in zip((x * x for x in lazy()), range(4))])\ngexp = (i * 10 for i in range(3))\nprint(type(gexp).__name__, next(gexp), list(gexp), list(gexp))\nprint(sum(x for x in range(5)), sorted((c for c in 'cab'), reverse=True))\n",
   "test was true\nreturned ({'a': 'A', 'b': ['B', 'C']}, 'F!', -7, 2, 'R', 40)\n[1, 2, 3, 'f', 'm1', 'm2', 'test', 'w', 'w', 'w', 'cond', 'aug']\nkw|{'x': 5, 'y': 1}|star\n[2, 3]\nkx s i last fallback\n[0, 1, 4, 9]\ngenerator 0 [10, 20] []\n10 ['c', 'b', 'a']\n"],
];


describe('generators', () => {
  it('run lazily up to each yield: next, send, StopIteration, return, yield from, try/finally', () => {
    const src = `
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return 'done'

print(list(count(4)))
g = count(3)
print(next(g), next(g), next(g))
print(next(g, 'end'))
try:
    next(g)
except StopIteration:
    print('stop')

def pairs(xs):
    for i, x in enumerate(xs):
        if i % 2 == 0:
            yield i, x
        else:
            continue
print(list(pairs('abcde')))

def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], (3,), count(2))))

def echo():
    total = 0
    while True:
        x = yield total
        if x is None:
            break
        total += x
e = echo()
print(next(e), e.send(5), e.send(7))
print(sum(x * x for x in count(5)))
for a, b in zip(count(3), pairs('xyz')):
    print(a, b)

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])

def safe():
    try:
        yield 1
        raise ValueError('bad')
    except ValueError as err:
        yield str(err)
    finally:
        print('cleanup')
print(list(safe()))
print(type(count(1)))
def gen_outer():
    yield 0
    yield from gen_inner()
    yield 3
def gen_inner():
    yield 1
    yield 2
print(list(gen_outer()))
print(max(count(7)), min(count(3)), sorted(count(3), reverse=True))
g = count(2)
print(iter(g) is g)

def log():
    print('started')
    yield 1
lazy = log()
print('made')
print(next(lazy))
`;
    expect(runOutput(src)).toBe(`[0, 1, 2, 3]
0 1 2
end
stop
[(0, 'a'), (2, 'c'), (4, 'e')]
[1, 2, 3, 0, 1]
0 5 12
30
0 (0, 'x')
1 (2, 'z')
[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
cleanup
[1, 'bad']
<class 'generator'>
[0, 1, 2, 3]
6 0 [2, 1, 0]
True
made
started
1
`);
  });

  it("d2l's data_iter feeds a training loop: batches, gradients and values as PyTorch's", () => {
    const src = `
import torch

def data_iter(batch_size, features, labels):
    n = len(features)
    for i in range(0, n, batch_size):
        yield features[i:i + batch_size], labels[i:i + batch_size]

X = torch.arange(10.).reshape(5, 2)
y = torch.arange(5.)
w = torch.ones(2, requires_grad=True)
for xb, yb in data_iter(2, X, y):
    loss = ((xb @ w - yb) ** 2).sum()
    loss.backward()
    print(xb.shape, loss.item())
print(w.grad)
`;
    expect(runOutput(src)).toBe(`torch.Size([2, 2]) 17.0
torch.Size([2, 2]) 149.0
torch.Size([1, 2]) 169.0
tensor([400., 470.])
`);
  });

  it("errors: Python's wording, at the line in the generator's body", () => {
    const fail = (src: string) => {
      const r = runProgram(src);
      expect(r.ok).toBe(false);
      return r.error!;
    };
    const div = fail('def bad():\n    yield 1\n    return 1 / 0\nfor v in bad():\n    pass\n');
    expect([div.type, div.message, div.line]).toEqual(['ZeroDivisionError', 'division by zero', 3]);
    const send = fail('def g():\n    yield 1\nx = g()\nx.send(3)\n');
    expect([send.type, send.message]).toEqual(['TypeError', "can't send non-None value to a just-started generator"]);
    const outside = fail('yield 3\n');
    expect([outside.type, outside.message, outside.line]).toEqual(['SyntaxError', "'yield' outside function", 1]);
    const again = fail('def g():\n    yield next(me)\nme = g()\nnext(me)\n');
    expect([again.type, again.message]).toEqual(['ValueError', 'generator already executing']);
    // A generator that never ends, drained by list(): the step budget stops it.
    const forever = runProgram('def ones():\n    while True:\n        yield 1\nlist(ones())\n', { stepBudget: 100_000 });
    expect(forever.error?.message).toMatch(/ran too long/);
    expect(forever.error?.line).toBe(2);
  });
  it.each(YIELD_IN_EXPRESSION_CASES.map(([src, want], i) => ({ i, src, want })))('yield inside expressions, lazy generator expressions (case $i)', ({ src, want }) => {
    expect(runOutput(src)).toBe(want);
  });
});
