// In-place arithmetic under no_grad writes straight into the tensor's storage: the values must be those of the
// out-of-place op cast back to the tensor's dtype, and ids must advance as if that op's result had been made.
import { describe, expect, it } from 'vitest';
import * as E from '../index';
import { engine } from '../context';
import type { Tensor } from '../tensor';

const ops = [
  [E.OPS.add, E.add],
  [E.OPS.sub, E.sub],
  [E.OPS.mul, E.mul],
  [E.OPS.div, E.div],
] as const;

function check(make: () => Tensor, other: () => Tensor | number): void {
  for (const [op, fn] of ops) {
    const self = make();
    const o = other();
    const want = E.noGrad(() => E.toDtype(fn(self, o), self.dtype));
    const before = self.version.v;
    const operand = E.asTensor(o);
    const id0 = engine.nextTensorId;
    E.noGrad(() => E.inplace(self, op, [operand], {}, op.name));
    expect(engine.nextTensorId - id0).toBe(1);
    expect(Array.from(self.data)).toEqual(Array.from(want.data));
    expect(self.version.v).toBe(before + 1);
  }
}

describe('in-place arithmetic under no_grad', () => {
  it('float32 by a Python float, a one-element tensor and a tensor of its shape', () => {
    const base = () => E.tensor([0.1, -2.5, 3.25, 1e-3].map((v) => ({ float: v })));
    check(base, () => 1e-6);
    check(base, () => 0.3);
    check(base, () => E.tensor([{ float: 0.7 }]));
    check(base, () => E.tensor([0.5, 1.5, -3, 7].map((v) => ({ float: v }))));
  });

  it('float64, and a leaf that requires grad', () => {
    check(() => E.tensor([0.1, 0.2, 0.3].map((v) => ({ float: v })), { dtype: 'float64' }), () => 0.1);
    check(() => E.tensor({ float: -0.461 }, { requiresGrad: true }), () => E.tensor({ float: 1e-6 }));
  });
});
