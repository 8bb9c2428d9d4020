// The language hands back the storage of expression temporaries (arithmetic and method chains), at once or, when
// autograd saved them, once backward has freed their node. Reusing that storage must never change a value.
import { describe, expect, it } from 'vitest';
import * as E from '../index';
import { runProgram } from '../lang/run';
import { resultType, resultType2, type DType } from '../dtype';
import type { Tensor } from '../tensor';

function run(src: string) {
  const r = runProgram(src);
  if (r.error) throw new Error(`${r.error.type}: ${r.error.message} (line ${r.error.line})`);
  return r;
}

const values = (v: unknown): number[] => Array.from((v as Tensor).data);

describe('temporaries of expressions', () => {
  it('a training loop with method chains and saved temporaries gives the values of the same ops through the API', () => {
    const r = run(`import torch
x = torch.linspace(-2, 2, 300)
y = torch.cos(x)
w = torch.tensor([0.3, -0.2, 0.1], requires_grad=True)
for t in range(30):
    p = w[0] + w[1] * x + w[2] * x ** 2
    loss = (p - y).pow(2).sum() + (p * 0.5).exp().mean() + (x * w[1]).sin().abs().sum()
    loss.backward()
    with torch.no_grad():
        w -= 1e-3 * w.grad
        w.grad = None
last = loss.item()
`);
    const x = E.linspace(-2, 2, 300);
    const y = E.cos(x);
    const w = E.tensor([0.3, -0.2, 0.1].map((v) => ({ float: v })), { requiresGrad: true });
    let loss: Tensor | null = null;
    for (let t = 0; t < 30; t++) {
      const [w0, w1, w2] = [0, 1, 2].map((i) => E.index(w, [i]));
      const p = E.add(E.add(w0, E.mul(w1, x)), E.mul(w2, E.pow(x, 2)));
      loss = E.add(E.add(E.sum(E.pow(E.sub(p, y), 2)), E.mean(E.exp(E.mul(p, 0.5)))), E.sum(E.abs(E.sin(E.mul(x, w1)))));
      E.backward(loss);
      E.noGrad(() => {
        E.inplace(w, E.OPS.sub, [E.mul(1e-3, w.grad!)], {}, '-=');
        w.grad = null;
      });
    }
    expect(values(r.globals.get('w'))).toEqual(Array.from(w.data));
    expect(values(r.globals.get('loss'))).toEqual(Array.from(loss!.data));
  });

  it('keeps saved temporaries while the graph is retained, and a second backward after freeing fails as PyTorch', () => {
    const r = run(`import torch
x = torch.linspace(0, 1, 100)
a = torch.tensor(2.0, requires_grad=True)
loss = (a * x ** 2).sum()
loss.backward(retain_graph=True)
g1 = a.grad.clone()
z = x ** 3 + x ** 4
loss.backward()
g2 = a.grad.clone()
try:
    loss.backward()
    msg = 'no error'
except RuntimeError as e:
    msg = str(e)
`);
    const g1 = values(r.globals.get('g1'))[0];
    expect(values(r.globals.get('g2'))[0]).toBe(Math.fround(g1 * 2));
    expect(r.evaluate('msg')).toMatch(/^Trying to backward through the graph a second time/);
  });
});

describe('resultType2', () => {
  it('agrees with resultType on every pair of operands', () => {
    const dtypes: DType[] = ['bool', 'int64', 'float32', 'float64'];
    const kinds = [
      { zeroDim: false, wrappedNumber: false },
      { zeroDim: true, wrappedNumber: false },
      { zeroDim: true, wrappedNumber: true },
    ];
    for (const ad of dtypes) for (const bd of dtypes) for (const ak of kinds) for (const bk of kinds) {
      const want = resultType([{ dtype: ad, ...ak }, { dtype: bd, ...bk }]);
      expect(resultType2(ad, ak.zeroDim, ak.wrappedNumber, bd, bk.zeroDim, bk.wrappedNumber)).toBe(want);
    }
  });
});
