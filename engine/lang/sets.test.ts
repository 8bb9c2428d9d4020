// Sets and frozensets: literals, comprehensions, operators, methods, errors, and CPython's iteration order
// for ints (a set's table replayed: adds, and the room a merge makes first). Expected outputs are Python 3.11's.
import { describe, expect, it } from 'vitest';
import { runOutput } from './runOutput';

describe('sets', () => {
  it('behave as Python\'s, printed in CPython\'s order', () => {
    expect(runOutput("s = {1, 2, 2}\nprint(s, len(s), 2 in s, 5 not in s)\nt = set([3, 1])\nt.add(5)\nprint(sorted(t | s), t, s | t, s & t, s - t, s ^ t)\nprint({3, 1, 2}, {10, 3, 100, 7, 8, 9, 1}, set(range(20, 0, -3)), {-1, -2, 5})\nprint(set(), frozenset([2, 1]), frozenset())\nu = {x % 4 for x in range(10)}\nprint(u, type(u), isinstance(u, set))\nu.discard(0); u.remove(1)\nprint(u, u.pop(), u)\nwords = 'the cat sat on the mat'.split()\nvocab = set(words)\nprint(len(vocab), sorted(vocab), 'cat' in vocab)\nw2i = {w: i for i, w in enumerate(sorted(vocab))}\nprint(w2i)\nprint({1, 2} <= {1, 2, 3}, {1, 2} < {1, 2}, {1, 2} == {2, 1}, {1}.issubset([1, 2]), {1, 2}.union([3], (4,)))\nprint(bool(set()), list({5, 3, 9}), {(1, 2), (1, 2)}, {True, 1, 1.0})\ntry:\n    {1}.remove(7)\nexcept KeyError as e:\n    print('KeyError', e)\ntry:\n    {[1]}\nexcept TypeError as e:\n    print(e)\na = {1, 2}\na |= {9}\na.update([4, 4], {100})\nprint(a, a.copy() == a, {1, 2}.isdisjoint({3}), {1, 2}.intersection({2, 3}, {2}), {1, 2, 3}.difference({1}))\nprint(set('hello') == set('olleh'), len(set('hello')))\nprint(sum({1, 2, 3}), max({4, 8, 1}), sorted({3, 1, 2}, reverse=True))\nprint(set(range(100)) == set(range(99, -1, -1)), list(set(range(40)))[:12])\n")).toBe("{1, 2} 2 True True\n[1, 2, 3, 5] {1, 3, 5} {1, 2, 3, 5} {1} {2} {2, 3, 5}\n{1, 2, 3} {1, 3, 100, 7, 8, 9, 10} {2, 5, 8, 11, 14, 17, 20} {5, -1, -2}\nset() frozenset({1, 2}) frozenset()\n{0, 1, 2, 3} <class 'set'> True\n{3} 2 {3}\n5 ['cat', 'mat', 'on', 'sat', 'the'] True\n{'cat': 0, 'mat': 1, 'on': 2, 'sat': 3, 'the': 4}\nTrue False True True {1, 2, 3, 4}\nFalse [9, 3, 5] {(1, 2)} {True}\nKeyError 7\nunhashable type: 'list'\n{1, 2, 4, 100, 9} True True {2} {2, 3}\nTrue 4\n6 8 [3, 2, 1]\nTrue [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n");
  });
  it('order after adds one by one, a literal, |= and update', () => {
    expect(runOutput("a = {1, 2, 9, 4, 100}\nprint(a)\nb = {1, 2}\nb.add(9)\nb.add(4)\nb.add(100)\nprint(b)\nc = {1, 2}\nc |= {9}\nprint(c)\nc.update([4])\nprint(c)\nc.update([100])\nprint(c)\n")).toBe("{1, 2, 100, 4, 9}\n{1, 2, 100, 4, 9}\n{1, 2, 9}\n{1, 2, 4, 9}\n{1, 2, 100, 4, 9}\n");
  });
});
