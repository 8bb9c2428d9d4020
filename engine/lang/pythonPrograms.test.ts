// Ordinary Python as tutorials and students write it: each program with what CPython 3.11 (python3 with
// PyTorch 1.13.1) printed for it, byte for byte. Generated from the programs by scratch/gen_test.py.
import { describe, expect, it } from 'vitest';
import { runOutput } from './runOutput';

const PROGRAMS: [name: string, source: string, cpythonStdout: string][] = [
  ["walrus_nonlocal",
   "data = [1, 5, 12, 7, 30]\nif (n := len(data)) > 3:\n    print(f\"list is long ({n} elements)\")\nprint([y for x in data if (y := x * 2) > 10], y)\ndef f(xs):\n    total = 0\n    while (k := len(xs)) > 0:\n        total += xs.pop()\n    found = any((hit := v) > 10 for v in [3, 11, 20])\n    return total, k, found, hit, (z := 4) + z\nprint(f([1, 2, 3]))\nprint(x if (x := 5) > 3 else 0, x, [last := i for i in range(3)], last)\ndef make_counter():\n    count = 0\n    def inc(step=1):\n        nonlocal count\n        count += step\n        return count\n    def get():\n        return count\n    return inc, get\ninc, get = make_counter()\ninc(); inc(5)\nprint(get(), inc())\ndef outer():\n    a = 1\n    def middle():\n        def inner():\n            nonlocal a\n            a = a * 10\n        inner()\n        return a\n    return middle(), a\nprint(outer())\n",
   "list is long (5 elements)\n[24, 14, 60] 60\n(6, 0, True, 11, 8)\n5 5 [0, 1, 2] 2\n6 7\n(10, 10)\n"],
];

describe('Python programs print what CPython prints', () => {
  it.each(PROGRAMS.map(([name, src, want]) => ({ name, src, want })))('$name', ({ src, want }) => {
    expect(runOutput(src)).toBe(want);
  });
});
