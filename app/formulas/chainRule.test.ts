import { describe, expect, it } from 'vitest';
import { buildRun } from '../store/reduce';
import { tutorialEvents } from '../store/fixtures/events';
import { chainRule, constantLatex, numberLatex } from './chainRule';
import type { OpFormula } from '../store/appStore';

const formulas: Record<string, OpFormula> = {
  pow: { label: '**', gradFn: 'PowBackward0', inputs: ['self'], formulas: { self: 'grad * exponent * self.pow(exponent - 1)' } },
  sub: { label: '−', gradFn: 'SubBackward0', inputs: ['self', 'other'], formulas: { self: 'grad', other: '-grad' } },
};

describe('chain rule with numbers', () => {
  const run = buildRun(tutorialEvents());
  it("substitutes this run's values into the op's own formula (a**3, upstream grad [3, 3])", () => {
    const op = run.ops[0];
    const exec = run.backwards[0].execs[4];
    const [r] = chainRule(run, op, exec, formulas);
    expect(r.local).toBe('\\frac{\\partial\\,\\mathrm{result}}{\\partial\\,\\mathrm{self}} = \\mathrm{exponent} \\cdot \\mathrm{self}^{\\mathrm{exponent} - 1}');
    expect(r.numbers).toBe(
      '\\mathrm{grad}_{\\mathrm{self}} = \\begin{bmatrix}3 & 3\\end{bmatrix} \\cdot 3 \\cdot \\begin{bmatrix}2 & 3\\end{bmatrix}^{3 - 1} = \\begin{bmatrix}36 & 81\\end{bmatrix}',
    );
  });
  it('gives each input of sub its own line, before the node ran only the formula', () => {
    const op = run.ops[3];
    const before = chainRule(run, op, null, formulas);
    expect(before.map((r) => [r.param, r.numbers])).toEqual([['self', null], ['other', null]]);
    const after = chainRule(run, op, run.backwards[0].execs[0], formulas);
    expect(after[1].numbers).toBe('\\mathrm{grad}_{\\mathrm{other}} = -\\begin{bmatrix}1 & 1\\end{bmatrix} = \\begin{bmatrix}-1 & -1\\end{bmatrix}');
  });
});

describe('numbers as LaTeX', () => {
  it("writes a program's constants as the program has them, values to four digits, exponents as powers of ten", () => {
    expect(constantLatex(1.0001)).toBe('1.0001');
    expect(constantLatex(1e-5)).toBe('1\\times10^{-5}');
    expect(constantLatex(2.5e20)).toBe('2.5\\times10^{20}');
    expect(numberLatex(1.0001)).toBe('1');
    expect(numberLatex(-0.0000123456)).toBe('-1.235\\times10^{-5}');
    expect(numberLatex('NaN')).toBe('\\mathrm{nan}');
  });
});
