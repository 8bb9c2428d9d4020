// Ints reach the engine from the interpreter as V8's small integers, not boxed doubles (see smallInt in
// bindings/common.ts): a double stored into a shape turns the allocation site that made the array into one of
// doubles, every shape made there afterwards carries doubles, and the kernels that index with them deoptimize and
// run their index arithmetic in floating point (ResNet-18's forward: 43-48 ms before the tutorial's loop ran
// through the language, 60-77 ms after). V8 is asked directly (node --allow-natives-syntax, see vite.config.ts).
import { describe, expect, it } from 'vitest';
import { runProgram } from './run';
import * as E from '../index';
import polyfit from '../../golden/polyfit.json';

const hasDoubles = new Function('a', 'return %HasDoubleElements(a)') as (a: unknown) => boolean;

describe('ints from programs stay small integers', () => {
  it("keeps shapes made after a program's training loop free of doubles", () => {
    const programs = [
      'import torch\na = torch.tensor(0.5, requires_grad=True)\nx = torch.linspace(-3, 3, 2000)\nl = (a * x).pow(2).sum()\nl.backward()\nprint(l.item())\n',
      (polyfit as { cases: { program: string }[] }).cases[0].program,
      'import torch\nx = torch.linspace(-3, 3, 2000)\nn = x.shape[0] // 2\ny = x.view(2, n).sum(dim=1)\nz = torch.zeros(int(x.numel() / 4), 4)\n',
    ];
    for (const src of programs) {
      const r = runProgram(src, { onPrint: () => {} });
      expect(r.ok, r.error?.message).toBe(true);
      const x = r.globals!.get('x') as E.Tensor;
      expect(hasDoubles(x.shape)).toBe(false);
    }
    const t = E.rand([2, 3]);
    const c = E.conv2d(E.rand([1, 2, 5, 5]), E.rand([3, 2, 3, 3]), null, 1, 1);
    for (const s of [t.shape, E.mul(t, 2).shape, E.sum(t, [1]).shape, c.shape, E.flatten(c, 1).shape, E.add(t, E.rand([3])).shape]) {
      expect(hasDoubles(s)).toBe(false);
    }
  });
});
