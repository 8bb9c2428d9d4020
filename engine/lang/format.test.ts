import { describe, expect, it } from 'vitest';
import { floatRepr, formatNumber, formatString, intRepr } from './format';

describe('floatRepr (Python repr of float)', () => {
  it('matches CPython on a table of values', () => {
    const table: [number, string][] = [
      [0.1, '0.1'], [1, '1.0'], [-0, '-0.0'], [0, '0.0'], [1e-6, '1e-06'], [1e-5, '1e-05'], [0.0001, '0.0001'],
      [1e16, '1e+16'], [1e15, '1000000000000000.0'], [1234567890123456, '1234567890123456.0'], [1.5e300, '1.5e+300'],
      [Infinity, 'inf'], [-Infinity, '-inf'], [NaN, 'nan'], [0.1 + 0.2, '0.30000000000000004'], [2 / 3, '0.6666666666666666'],
      [-2.5, '-2.5'], [123.456, '123.456'], [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [Math.fround(0.1), '0.10000000149011612'], [100, '100.0'], [1.25e-7, '1.25e-07'],
    ];
    for (const [x, s] of table) expect(floatRepr(x), String(x)).toBe(s);
  });

  it('prints ints plainly, beyond 2^53 too', () => {
    expect(intRepr(42)).toBe('42');
    expect(intRepr(2 ** 64)).toBe('18446744073709551616');
  });
});

describe('format specs', () => {
  it('formats floats like format(x, spec)', () => {
    const table: [number, string, string][] = [
      [Math.PI, '.4f', '3.1416'], [Math.PI, '.2e', '3.14e+00'], [1234.5, ',.1f', '1,234.5'], [0.256, '.1%', '25.6%'],
      [Math.PI, '10.3f', '     3.142'], [Math.PI, '<10.2f', '3.14      '], [Math.PI, '^10.2f', '   3.14   '],
      [Math.PI, '+.1f', '+3.1'], [-Math.PI, '08.3f', '-003.142'], [1e-7, 'g', '1e-07'], [123456789, 'g', '1.23457e+08'],
      [0.0001, 'g', '0.0001'], [2.5, '.0f', '2'], [3.5, '.0f', '4'], [1.0, '', '1.0'], [1234.5, '.3', '1.23e+03'],
      [0.5, '.3', '0.5'], [2, '.3', '2.0'], [Infinity, '.2f', 'inf'], [NaN, 'f', 'nan'], [-1e-7, '.3e', '-1.000e-07'],
    ];
    for (const [x, spec, s] of table) expect(formatNumber(x, false, spec), `${x}:${spec}`).toBe(s);
  });

  it('formats ints and strings', () => {
    expect(formatNumber(42, true, '5d')).toBe('   42');
    expect(formatNumber(42, true, '05d')).toBe('00042');
    expect(formatNumber(1234567, true, ',')).toBe('1,234,567');
    expect(formatNumber(255, true, 'x')).toBe('ff');
    expect(formatNumber(255, true, '#x')).toBe('0xff');
    expect(formatNumber(5, true, '.2f')).toBe('5.00');
    expect(formatString('ab', '>4')).toBe('  ab');
    expect(formatString('ab', '*^6')).toBe('**ab**');
    expect(formatString('abcdef', '.3')).toBe('abc');
  });
});

describe('format: exact ties round half to even, from the exact binary value (checked against CPython)', () => {
  it('matches format(x, spec) where JS toFixed/toExponential would differ', () => {
    const table: [number, string, string][] = [
      [2.5, '.0f', '2'], [0.125, '.2f', '0.12'], [0.375, '.2f', '0.38'], [471564705215283.6, '.2f', '471564705215283.62'],
      [-23475561477.90205, '.4f', '-23475561477.9021'], [-458032.5, 'g', '-458032'], [694.8674738744653, '.3', '6.95e+02'],
      [1e22, '.1f', '10000000000000000000000.0'], [5e-324, '.3e', '4.941e-324'], [0.5, '.0e', '5e-01'], [2.5e-5, '.0e', '3e-05'],
      [-0.0001, '.2f', '-0.00'], [9.9999, '.2f', '10.00'], [999.5, '.0f', '1000'], [0.05, '.1f', '0.1'],
    ];
    for (const [x, spec, s] of table) expect(formatNumber(x, false, spec), `${x}:${spec}`).toBe(s);
  });
});

describe('format specs found by the printed-output fuzzer (expected: CPython 3.11)', () => {
  it("puts '#x' prefixes before the zero padding, keeps '#' decimal points, upper-cases NAN/INF", () => {
    const table: [number, boolean, string, string][] = [
      [255, true, '0= #8x', ' 0x000ff'], [255, true, '#08x', '0x0000ff'], [-255, true, '#08x', '-0x000ff'],
      [255, true, '>#8x', '    0xff'], [255, true, '^#9x', '  0xff   '], [5, true, '<05', '50000'], [-5, true, '<05', '-5000'],
      [5.5, false, '^08', '005.5000'], [2, false, '#.0f', '2.'], [0.5, false, '#.0%', '50.%'], [7, false, '#', '7.0'],
      [7, false, '#.1', '7.e+00'], [2, false, '#.1g', '2.'], [2 ** 31, false, '#.0e', '2.e+09'], [1e100, false, '*>#20_.0G', '*************1.E+100'],
      [Infinity, false, '#.0f', 'inf'], [5, true, '#.0f', '5.'], [NaN, false, 'E', 'NAN'], [Infinity, false, 'G', 'INF'],
      [NaN, false, 'F', 'NAN'], [NaN, false, '+08.2f', '+0000nan'], [Infinity, false, '010', '0000000inf'],
      [1000000, true, '0=12c', '00000000000\u{f4240}'], [1.7976931348623157e308, false, '*>#8.17%', '****inf%'], [NaN, false, '#.0f', 'nan'],
    ];
    for (const [x, isInt, spec, s] of table) expect(formatNumber(x, isInt, spec), `${x}:${spec}`).toBe(s);
    expect(formatString('ab', '05')).toBe('ab000');
  });

  it("writes a zero with a precision and no type as CPython ('.1' -> '0e+00'); runs separators through zero padding", () => {
    const table: [number, boolean, string, string][] = [
      [0, false, '.0', '0e+00'], [0, false, '.1', '0e+00'], [0, false, '.2', '0.0'], [-0, false, '.1', '-0e+00'], [0, false, '#.1', '0.e+00'],
      [0, false, '+.0', '+0e+00'], [0, false, '#.3', '0.00'], [5, false, '.1', '5e+00'], [0, false, 'g', '0'], [0, false, '#g', '0.00000'],
      [100, false, '.2', '1e+02'], [1234, true, '08,d', '0,001,234'], [2.5, false, '0=+5_.0F', '+0_002'], [2, true, '06_d', '00_002'],
      [-1234.5, false, '012,.1f', '-0,001,234.5'], [1234, true, '0>8,d', '0001,234'], [12, true, '*=8,d', '******12'],
      [1234567, true, '013_d', '0_001_234_567'], [1.5e10, false, '020,.2e', '0,000,000,001.50e+10'], [12345.678, false, '015,.2%', '001,234,567.80%'],
    ];
    for (const [x, isInt, spec, s] of table) expect(formatNumber(x, isInt, spec), `${x}:${spec}`).toBe(s);
  });
});
