// SGD against its update rule computed by hand (PyTorch 1.13's _single_tensor_sgd), step by step.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { collect } from '../events';
import { events } from '../context';
import { SGD } from './sgd';

function param(values: number[]): Tensor {
  const t = new Tensor(Float64Array.from(values), [values.length], 'float64');
  t.requiresGrad = true;
  return t;
}
const setGrad = (p: Tensor, g: number[]): void => {
  p.grad = new Tensor(Float64Array.from(g), [g.length], 'float64');
};
const values = (t: Tensor): number[] => Array.from(t.data);

describe('SGD', () => {
  it('plain: p -= lr * grad', () => {
    const p = param([1, 2]);
    setGrad(p, [0.5, -1]);
    new SGD([p], { lr: 0.1 }).step();
    expect(values(p)).toEqual([1 - 0.05, 2 + 0.1]);
  });

  it('momentum: buffer starts as the first grad, then buf = m*buf + (1-dampening)*grad', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    setGrad(p, [2]);
    opt.step(); // buf = 2 (no dampening on the first step), p = 1 - 0.2
    expect(values(p)[0]).toBeCloseTo(0.8, 15);
    setGrad(p, [4]);
    opt.step(); // buf = 0.9*2 + 0.5*4 = 3.8, p = 0.8 - 0.38
    expect(values(p)[0]).toBeCloseTo(0.42, 15);
    expect(values(opt.state.get(p)!.get('momentum_buffer')!)[0]).toBeCloseTo(3.8, 15);
  });

  it('weight decay, nesterov and maximize', () => {
    const p = param([2]);
    const opt = new SGD([p], { lr: 0.5, momentum: 0.5, weightDecay: 0.1, nesterov: true });
    setGrad(p, [1]);
    opt.step(); // d_p = 1 + 0.2 = 1.2; buf = 1.2; d_p = 1.2 + 0.5*1.2 = 1.8; p = 2 - 0.9
    expect(values(p)[0]).toBeCloseTo(1.1, 15);
    const q = param([1]);
    setGrad(q, [1]);
    new SGD([q], { lr: 0.1, maximize: true }).step();
    expect(values(q)[0]).toBeCloseTo(1.1, 15);
  });

  it('skips parameters without grad; param groups override defaults', () => {
    const a = param([1]);
    const b = param([1]);
    const c = param([1]);
    setGrad(a, [1]);
    setGrad(c, [1]);
    const opt = new SGD([{ params: [a, b] }, { params: [c], lr: 1 }], { lr: 0.1 });
    opt.step();
    expect([values(a)[0], values(b)[0], values(c)[0]]).toEqual([0.9, 1, 0]);
  });

  it('emits optimizer-step, then one in-place update per parameter', () => {
    const p = param([1]);
    setGrad(p, [1]);
    const { events: got, stop } = collect(events);
    new SGD([p], { lr: 0.1, momentum: 0.9 }).step();
    stop();
    expect(got.map((e) => e.type)).toEqual(['optimizer-step', 'inplace']);
    const e = got[0];
    expect(e.type === 'optimizer-step' && e.params).toEqual([p.id]);
    expect(e.type === 'optimizer-step' && e.hyper.momentum).toBe(0.9);
  });

  it("has PyTorch's argument errors", () => {
    const p = param([1]);
    expect(() => new SGD([p])).toThrow("parameter group didn't specify a value of required optimization parameter lr");
    expect(() => new SGD([p], { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD(p as unknown as Tensor[], { lr: 0.1 })).toThrow(/should be an iterable of Tensors or dicts, but got torch.DoubleTensor/);
  });

  it('zero_grad keeps zeroed tensors by default (1.13) and drops them with set_to_none', () => {
    const p = param([1]);
    setGrad(p, [3]);
    const opt = new SGD([p], { lr: 0.1 });
    opt.zeroGrad();
    expect(values(p.grad!)).toEqual([0]);
    opt.zeroGrad(true);
    expect(p.grad).toBeNull();
  });
});
