import { describe, expect, it } from 'vitest';
import { formatConstant, formatData, formatNumber, formatValue } from './format';
import { summary } from './store/fixtures/events';

describe('formatNumber', () => {
  it('writes integers bare, others with four significant digits, tiny and huge ones in exponent form', () => {
    expect(formatNumber(36)).toBe('36');
    expect(formatNumber(-12)).toBe('-12');
    expect(formatNumber(1 / 3)).toBe('0.3333');
    expect(formatNumber(10.498986643999993)).toBe('10.5');
    expect(formatNumber(-0.0000123456)).toBe('-1.235e-5');
    expect(formatNumber(123456.7)).toBe('1.235e5');
    expect(formatNumber('NaN')).toBe('nan');
    expect(formatNumber('-Infinity')).toBe('-inf');
    expect(formatNumber(-0)).toBe('0');
  });
});

describe('formatConstant', () => {
  it("writes a program's Python number as Python's repr, not rounded to four digits", () => {
    expect(formatConstant(1.0001)).toBe('1.0001');
    expect(formatConstant(1e-6)).toBe('1e-06');
    expect(formatConstant(0.1)).toBe('0.1');
    expect(formatConstant(3)).toBe('3');
    expect(formatConstant(-2.5)).toBe('-2.5');
    expect(formatConstant('-Infinity')).toBe('-inf');
    // A computed constant whose repr is long: six significant digits.
    expect(formatConstant(1 / 3)).toBe('0.333333');
    expect(formatConstant(0.1 + 0.2)).toBe('0.3');
  });
});

describe('formatData', () => {
  it('nests brackets by shape', () => {
    expect(formatData([36, 81], [2])).toBe('[36, 81]');
    expect(formatData([1, 2, 3, 4], [2, 2])).toBe('[[1, 2], [3, 4]]');
    expect(formatData([7], [])).toBe('7');
  });
  it('summarises large tensors', () => {
    const big = summary(Array.from({ length: 40 }, (_, i) => i), [40]);
    expect(formatValue(big)).toBe('[40] float32, min 0, max 39, mean 19.5');
  });
});
