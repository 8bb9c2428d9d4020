import { describe, expect, it } from 'vitest';
import { formulaLatex, localDerivative, parseFormula, substitute, toLatex } from './latex';

describe('formula text to LaTeX', () => {
  it('renders the registry vocabulary', () => {
    expect(formulaLatex('grad * other')).toBe('\\mathrm{grad} \\cdot \\mathrm{other}');
    expect(formulaLatex('grad * exponent * self.pow(exponent - 1)')).toBe(
      '\\mathrm{grad} \\cdot \\mathrm{exponent} \\cdot \\mathrm{self}^{\\mathrm{exponent} - 1}',
    );
    expect(formulaLatex('-grad * self / (other * other)')).toBe('\\frac{-\\mathrm{grad} \\cdot \\mathrm{self}}{\\mathrm{other} \\cdot \\mathrm{other}}');
    expect(formulaLatex('grad.mm(mat2.t())')).toBe('\\mathrm{grad}\\,\\mathrm{mat2}^{\\top}');
    expect(formulaLatex('grad * (result > 0)')).toBe('\\mathrm{grad} \\cdot \\mathbb{1}\\left[\\mathrm{result} > 0\\right]');
    expect(formulaLatex('grad * (self > 0 ? 1 : negative_slope)')).toContain('\\begin{cases}');
    expect(formulaLatex('at::sum_to(grad, self.sizes())')).toBe('\\operatorname{sum\\_to}\\left(\\mathrm{grad},\\ \\operatorname{shape}(\\mathrm{self})\\right)');
  });

  it('falls back to escaped text it cannot parse', () => {
    expect(formulaLatex('grad $ \\evil{x}')).toBe('\\texttt{grad \\$ \\backslash evil\\{x\\}}');
  });

  it('factors the upstream grad out to give the local derivative', () => {
    const ld = (t: string) => {
      const l = localDerivative(parseFormula(t));
      return l ? toLatex(l) : null;
    };
    expect(ld('grad * other')).toBe('\\mathrm{other}');
    expect(ld('-grad')).toBe('-1');
    expect(ld('grad')).toBe('1');
    expect(ld('grad * exponent * self.pow(exponent - 1)')).toBe('\\mathrm{exponent} \\cdot \\mathrm{self}^{\\mathrm{exponent} - 1}');
    expect(ld('grad / (2 * result)')).toBe('\\frac{1}{2 \\cdot \\mathrm{result}}');
    expect(ld('grad.mm(mat2.t())')).toBeNull();
  });

  it('substitutes values', () => {
    const a = substitute(parseFormula('grad * exponent * self.pow(exponent - 1)'), { grad: '3', exponent: '3', self: 'x' });
    expect(toLatex(a)).toBe('3 \\cdot 3 \\cdot x^{3 - 1}');
  });
});
