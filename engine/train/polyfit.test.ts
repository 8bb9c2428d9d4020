// The tutorial's cubic fit against PyTorch's own numbers (golden/autograd.json, golden/polyfit.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as E from '../index';
import type { GraphEvent } from '../events';
import { runProgram } from '../lang/run';
import {
  COEFF_NAMES,
  PolyfitTrainer,
  TUTORIAL,
  polyfitProgram,
  polyfitSourceMap,
  progressPrints,
  resultLine,
  runPolyfit,
  seededStart,
  type Coeffs,
  type Column,
  type PolyfitSetup,
} from './polyfit';

interface GoldenCase {
  name: string;
  program: string;
  expect: Record<string, { data: number[] }>;
}

const golden = (file: string): GoldenCase[] =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../golden/${file}`, import.meta.url)), 'utf8')).cases;

const goldenCase = (file: string, name: string): GoldenCase => golden(file).find((c) => c.name === name)!;

/** The golden files' comparison: |got - want| <= atol + rtol·|want|, atol = atol_scale·max(1, |want|). */
const RTOL = 1e-4;
const ATOL_SCALE = 1e-5;
function expectClose(got: number, want: number, what: string): void {
  const tol = ATOL_SCALE * Math.max(1, Math.abs(want)) + RTOL * Math.abs(want);
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(tol);
}

/** The start, learning rate and iteration count, read from a golden program's own text. */
function setupOf(program: string): PolyfitSetup {
  const start = COEFF_NAMES.map((n) => Number(new RegExp(`^${n} = torch\\.tensor\\(([-0-9.e]+)`, 'm').exec(program)![1])) as Coeffs;
  const iterations = Number(/for t in range\((\d+)\)/.exec(program)![1]);
  const learningRate = Number(/learning_rate = ([-0-9.e]+)/.exec(program)![1]);
  const points = Number(/linspace\(-math\.pi, math\.pi, (\d+)/.exec(program)![1]);
  return { start, iterations, learningRate, points };
}

function checkAgainst(c: GoldenCase, column: Column): void {
  const setup = setupOf(c.program);
  const r = runPolyfit(column, setup);
  expect(r.iterations).toBe(setup.iterations);
  expect(r.divergence).toBeNull();
  expectClose(r.loss, c.expect.loss.data[0], `${c.name} loss`);
  COEFF_NAMES.forEach((n, i) => expectClose(r.coeffs[i], c.expect[n].data[0], `${c.name} ${n}`));
}

describe('a few iterations match PyTorch for the same start', () => {
  it('autograd: polynomial_autograd_loop (6 iterations)', () => {
    checkAgainst(goldenCase('autograd.json', 'polynomial_autograd_loop'), 'autograd');
  });
  it('by hand: polynomial_manual_numpy_style (9 iterations)', () => {
    checkAgainst(goldenCase('autograd.json', 'polynomial_manual_numpy_style'), 'hand');
  });
});

describe("the tutorial's full run: 2000 iterations end at PyTorch's coefficients", () => {
  it('autograd column', () => checkAgainst(goldenCase('polyfit.json', 'polyfit_autograd_2000'), 'autograd'));
  it('by-hand column', () => checkAgainst(goldenCase('polyfit.json', 'polyfit_by_hand_2000'), 'hand'));

  it('the two columns stay within float precision of each other at every iteration', () => {
    const setup: PolyfitSetup = { ...TUTORIAL, start: seededStart(0) };
    const hand = new PolyfitTrainer('hand', setup);
    const auto = new PolyfitTrainer('autograd', setup);
    let worst = 0;
    while (!hand.done) {
      const h = hand.step();
      const g = auto.step();
      for (let i = 0; i < 4; i++) worst = Math.max(worst, Math.abs(h.coeffs[i] - g.coeffs[i]) / Math.max(1e-3, Math.abs(g.coeffs[i])));
    }
    expect(auto.t).toBe(2000);
    // float32 has 2^-23 ≈ 1.2e-7 relative precision; a few roundings apart at most.
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('start, divergence, result line', () => {
  it('the seeded start is torch.manual_seed(0); torch.randn(()) four times', () => {
    // PyTorch: torch.manual_seed(0); [torch.randn(()).item() for _ in range(4)]
    expect(seededStart(0)).toEqual([1.5409960746765137, -0.293428897857666, -2.1787893772125244, 0.5684312582015991]);
  });

  it('a diverging learning rate stops at the first non-finite value and names it', () => {
    for (const column of ['hand', 'autograd'] as const) {
      const r = runPolyfit(column, { ...TUTORIAL, learningRate: 1e-3, start: seededStart(0) });
      expect(r.divergence).not.toBeNull();
      expect(r.iterations).toBeLessThan(2000);
      expect(r.divergence!.iteration).toBe(r.iterations - 1);
      expect(Number.isFinite(r.divergence!.value)).toBe(false);
      expect(r.divergence!.quantity).toMatch(/^(loss|grad_[abcd]|[abcd])$/);
    }
  });

  it("prints the tutorial's result line with Python's float repr", () => {
    expect(resultLine([-0.014758200384676456, 0.8565725088119507, 0.0025460354518145323, -0.09330644458532333])).toBe(
      'Result: y = -0.014758200384676456 + 0.8565725088119507 x + 0.0025460354518145323 x^2 + -0.09330644458532333 x^3',
    );
    expect(resultLine([1e-5, 2, -0, 0.5])).toBe('Result: y = 1e-05 + 2.0 x + -0.0 x^2 + 0.5 x^3');
  });
});

describe('the program text', () => {
  // polyfit.json's programs, minus the tutorial's prints that the golden by-hand program leaves out.
  const withoutPrints = (text: string) =>
    text
      .split('\n')
      .filter((l) => !/print\(|if t % 100 == 99:/.test(l))
      .join('\n');

  for (const [name, column] of [
    ['polyfit_autograd_2000', 'autograd'],
    ['polyfit_by_hand_2000', 'hand'],
  ] as const) {
    it(`${column}: is polyfit.json's ${name} for its start`, () => {
      const c = goldenCase('polyfit.json', name);
      const text = polyfitProgram(column, setupOf(c.program));
      expect(withoutPrints(text)).toBe(withoutPrints(c.program));
      expect(text.trimEnd().split('\n').pop()).toBe("print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')");
    });
  }

  it('the autograd program is polyfit.json’s, character for character, closing print included', () => {
    const c = goldenCase('polyfit.json', 'polyfit_autograd_2000');
    expect(polyfitProgram('autograd', setupOf(c.program))).toBe(c.program);
  });

  it('writes a random start so that torch.tensor gives back the same float32', () => {
    const start = seededStart(3);
    const text = polyfitProgram('hand', { ...TUTORIAL, start });
    expect(setupOf(text).start.map(Math.fround)).toEqual(start);
  });
});

describe("Open as program: the language runs the generated text to the panel's very output", () => {
  for (const column of ['hand', 'autograd'] as const) {
    it(`${column}: prints and the closing Result line equal the panel's`, () => {
      const setup: PolyfitSetup = { ...TUTORIAL, iterations: 250, start: seededStart(1) };
      const run = runProgram(polyfitProgram(column, setup));
      expect(run.error?.message).toBeUndefined();
      expect(run.ok).toBe(true);
      const panel = runPolyfit(column, setup);
      const printed = run.prints.map((p) => p.replace(/\n$/, ''));
      expect(printed).toEqual([...progressPrints(panel.losses, panel.iterations), resultLine(panel.coeffs)]);
    });
  }
});

describe('events when someone listens (Inspect iteration)', () => {
  function iterationEvents(column: Column, iterations: number): GraphEvent[][] {
    const setup: PolyfitSetup = { ...TUTORIAL, iterations, start: seededStart(0) };
    const program = polyfitProgram(column, setup);
    const map = polyfitSourceMap(program);
    const per: GraphEvent[][] = [];
    const stop = E.events.subscribe((e) => per[per.length - 1]?.push(e));
    try {
      const trainer = new PolyfitTrainer(column, setup);
      trainer.sourceMap = map;
      while (!trainer.done) {
        per.push([]);
        trainer.step();
      }
    } finally {
      stop();
      E.engine.pos = undefined;
    }
    return per;
  }

  it('autograd: a new DAG every iteration (new ids, same shape), the update under no_grad not recorded', () => {
    const [first, second] = iterationEvents('autograd', 2);
    const shape = (es: GraphEvent[]) => es.filter((e) => e.type === 'op').map((e) => (e.type === 'op' ? `${e.op}:${e.gradFn?.name}:${e.recorded}` : ''));
    const ids = (es: GraphEvent[]) => es.flatMap((e) => (e.type === 'op' ? [e.tensor] : []));
    expect(shape(first)).toEqual(shape(second));
    expect(shape(first).length).toBeGreaterThan(8);
    const again = new Set(ids(first));
    expect(ids(second).some((id) => again.has(id))).toBe(false);
    // Forward ops recorded; updates are in-place and not recorded; the grad mode toggles around them.
    const ops = first.filter((e) => e.type === 'op');
    expect(ops.filter((e) => e.type === 'op' && e.recorded).length).toBe(9); // pow, mul, add, ×3 terms + sub, pow, sum
    const inplaces = first.filter((e) => e.type === 'inplace');
    expect(inplaces.length).toBe(4);
    expect(inplaces.every((e) => e.type === 'inplace' && !e.recorded)).toBe(true);
    expect(first.filter((e) => e.type === 'grad-mode').map((e) => e.type === 'grad-mode' && e.enabled)).toEqual([false, true]);
    expect(first.some((e) => e.type === 'backward-begin')).toBe(true);
    expect(first.filter((e) => e.type === 'grad-set').length).toBe(4);
    // Positions point into the generated program text.
    const program = polyfitProgram('autograd', { ...TUTORIAL, iterations: 2, start: seededStart(0) });
    const lines = program.split('\n');
    const upd = inplaces[0];
    expect(lines[upd.pos!.line - 1].trim()).toBe('a -= learning_rate * a.grad');
    const back = first.find((e) => e.type === 'backward-begin')!;
    expect(lines[back.pos!.line - 1].trim()).toBe('loss.backward()');
  });

  it('by hand: nothing is recorded', () => {
    const [first] = iterationEvents('hand', 1);
    expect(first.some((e) => e.type === 'op' && e.recorded)).toBe(false);
    expect(first.some((e) => e.type === 'backward-begin')).toBe(false);
    expect(first.filter((e) => e.type === 'inplace').length).toBe(4);
  });
});
