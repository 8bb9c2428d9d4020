// RMSprop and Adam against their update rules written out by hand (float64 parameters, two steps).
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { Adam, RMSprop } from './adaptive';

function param(v: number): Tensor {
  const t = new Tensor(Float64Array.from([v]), [1], 'float64');
  t.requiresGrad = true;
  return t;
}
const setGrad = (p: Tensor, g: number): void => {
  p.grad = new Tensor(Float64Array.from([g]), [1], 'float64');
};

describe('RMSprop', () => {
  it('divides by the running RMS of the gradient', () => {
    const p = param(1);
    const opt = new RMSprop([p], { lr: 0.01 });
    setGrad(p, 2);
    opt.step();
    let v = 0.01 * 4;
    let want = 1 - (0.01 * 2) / (Math.sqrt(v) + 1e-8);
    expect(p.data[0]).toBeCloseTo(want, 14);
    setGrad(p, 1);
    opt.step();
    v = 0.99 * v + 0.01;
    want -= 0.01 / (Math.sqrt(v) + 1e-8);
    expect(p.data[0]).toBeCloseTo(want, 14);
    expect(opt.state.get(p)!.get('step')!.item()).toBe(2);
  });

  it('momentum and centered variants', () => {
    const p = param(0);
    const opt = new RMSprop([p], { lr: 0.1, momentum: 0.5, centered: true, alpha: 0.9 });
    setGrad(p, 1);
    opt.step(); // v = 0.1, a = 0.1, avg = sqrt(0.1 - 0.01) + eps, buf = 1 / avg
    const avg = Math.sqrt(0.1 - 0.01) + 1e-8;
    expect(p.data[0]).toBeCloseTo(-0.1 / avg, 14);
    expect(() => new RMSprop([p], { lr: 0.1, alpha: -1 })).toThrow('Invalid alpha value: -1');
  });
});

describe('Adam', () => {
  it('takes bias-corrected steps', () => {
    const p = param(1);
    const opt = new Adam([p], { lr: 0.1 });
    let m = 0;
    let v = 0;
    let want = 1;
    for (const [t, g] of [[1, 2], [2, 1]]) {
      setGrad(p, g);
      opt.step();
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      want -= ((0.1 / (1 - 0.9 ** t)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
      expect(p.data[0]).toBeCloseTo(want, 13);
    }
    expect(p.data[0]).toBeCloseTo(0.806782, 5);
  });

  it('amsgrad keeps the largest second moment; errors name the bad beta', () => {
    const p = param(0);
    const opt = new Adam([p], { lr: 0.1, amsgrad: true, weightDecay: 0.5 });
    setGrad(p, 4);
    opt.step();
    setGrad(p, 0);
    opt.step();
    const state = opt.state.get(p)!;
    expect(state.get('max_exp_avg_sq')!.item()).toBeCloseTo(0.016, 12);
    expect(() => new Adam([p], { betas: [0.9, 1] })).toThrow('Invalid beta parameter at index 1: 1');
  });
});
