// PyTorch's own float bits, not just values within a tolerance: sums in PyTorch's order of additions, sin and
// cos as its Sleef kernels give them, linspace as its vectorized kernel fills it, and the tutorial's printed
// losses and Result line, character for character. The expected values were computed by real PyTorch
// (engine/testdata/torch-exact.json says how).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as E from './index';
import { runProgram } from './lang/run';

const DATA = JSON.parse(readFileSync(new URL('./testdata/torch-exact.json', import.meta.url), 'utf8')) as {
  sums: [kind: 'all' | 'dim0' | 'dim1', dtype: 'float32' | 'float64', shape: number[], seed: number, want: string[]][];
  trig: { x_seed: number; scale: number; sin: string[]; cos: string[] };
  linspace: Record<string, string[]>;
  exp: { x_seed: number; scale: number; exp: string[]; sigmoid: string[] };
  log: { x_seed: number; scale: number; offset: number; log: string[] };
  tanh: { x_seed: number; scale: number; tanh: string[] };
  more: { x_seed: number; x_scale: number; l_seed: number; l_scale: number; expm1: string[]; log1p: string[]; rsqrt: string[] };
  tutorialOutput: string;
  sgdProgram: string;
  sgdOutput: string;
  adaptiveProgram: string;
  adaptiveOutput: string;
  powProgram: string;
  powOutput: string;
  programs: Record<string, { program: string; output: string }>;
  spread: { cases: { seed: number; shape: number[]; dim: number[] | null; unbiased: boolean; var: string[]; std: string[] }[] };
  tails: { cases: Record<'x' | 'xp' | 'sin' | 'cos' | 'exp' | 'tanh' | 'expm1' | 'sigmoid' | 'log' | 'log1p', string[]>[] };
};

/** The inputs: an LCG's draws, with exponents spread over 16 binades (the Python side makes the same). */
function lcg(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s / 2 ** 32 - 0.5) * 2 ** (((s >>> 24) % 16) - 8));
  }
  return out;
}

function hex(t: E.Tensor): string[] {
  const d = t.data;
  if (d instanceof Float32Array) return Array.from(new Uint32Array(d.buffer, d.byteOffset, d.length), (v) => v.toString(16).padStart(8, '0'));
  const f = d as Float64Array;
  return Array.from(new BigUint64Array(f.buffer, f.byteOffset, f.length), (v) => v.toString(16).padStart(16, '0'));
}

const make = (values: number[], shape: number[], dtype: 'float32' | 'float64') =>
  E.fromData(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), shape, dtype);

const fromHex = (bits: string[]) => E.fromData(new Float32Array(Uint32Array.from(bits, (b) => parseInt(b, 16)).buffer), [bits.length], 'float32');

describe("PyTorch's bits", () => {
  it('float32 sin, cos, exp, log, tanh, expm1, log1p: Sleef on every element, the last partial vector too; sigmoid: the C library on the last n % 16', () => {
    // PyTorch 1.13 runs the first seven through at::vml's vec::map (a partial load for the tail); sigmoid is a
    // cpu_kernel_vec op (whole pairs of vectors, then the scalar function). Lengths 1, 7, 17, 27, 47.
    for (const c of DATA.tails.cases) {
      const x = fromHex(c.x);
      const xp = fromHex(c.xp);
      const n = c.x.length;
      expect(hex(E.sin(x)), `sin, n = ${n}`).toEqual(c.sin);
      expect(hex(E.cos(x)), `cos, n = ${n}`).toEqual(c.cos);
      expect(hex(E.exp(x)), `exp, n = ${n}`).toEqual(c.exp);
      expect(hex(E.tanh(x)), `tanh, n = ${n}`).toEqual(c.tanh);
      expect(hex(E.expm1(x)), `expm1, n = ${n}`).toEqual(c.expm1);
      expect(hex(E.sigmoid(x)), `sigmoid, n = ${n}`).toEqual(c.sigmoid);
      expect(hex(E.log(xp)), `log, n = ${n}`).toEqual(c.log);
      expect(hex(E.log1p(xp)), `log1p, n = ${n}`).toEqual(c.log1p);
    }
  });

  it("var and std: std_var_all_cpu over every element, Welford over dims, the square root before the rounding", () => {
    for (const c of DATA.spread.cases) {
      E.manualSeed(c.seed);
      const x = E.add(E.mul(E.randn(c.shape), 3), 1);
      const what = `${c.dim === null ? 'all' : `dim ${c.dim}`} of [${c.shape}]`;
      expect(hex(E.variance(x, c.dim, c.unbiased)), `var, ${what}`).toEqual(c.var);
      expect(hex(E.std(x, c.dim, c.unbiased)), `std, ${what}`).toEqual(c.std);
    }
  });

  it('sum: whole tensors, sum(0) and sum(1), float32 and float64', () => {
    for (const [kind, dtype, shape, seed, want] of DATA.sums) {
      const x = make(lcg(shape.reduce((a, b) => a * b, 1), seed), shape, dtype);
      const got = kind === 'all' ? E.sum(x) : E.sum(x, kind === 'dim0' ? 0 : 1);
      expect(hex(got), `${kind} ${dtype} [${shape}]`).toEqual(want);
    }
  });

  it('mean is the sum divided in the tensor\'s precision', () => {
    const x = make(lcg(2000, 5), [2000], 'float32');
    expect(E.mean(x).data[0]).toBe(Math.fround(E.sum(x).data[0] / 2000));
  });

  it('sin and cos of float32 (Sleef)', () => {
    // |x| < 125, where Sleef's first range reduction applies (the other is not ported: see kernels/sleef.ts).
    const x = make(lcg(64, DATA.trig.x_seed).map((v) => v * DATA.trig.scale), [64], 'float32');
    expect(hex(E.sin(x))).toEqual(DATA.trig.sin);
    expect(hex(E.cos(x))).toEqual(DATA.trig.cos);
  });

  it('exp, sigmoid, log, tanh, expm1, log1p and rsqrt of float32 (Sleef)', () => {
    const x = make(lcg(64, DATA.exp.x_seed).map((v) => v * DATA.exp.scale), [64], 'float32');
    expect(hex(E.exp(x))).toEqual(DATA.exp.exp);
    expect(hex(E.sigmoid(x))).toEqual(DATA.exp.sigmoid);
    const l = make(lcg(64, DATA.log.x_seed).map((v) => Math.abs(v) * DATA.log.scale + DATA.log.offset), [64], 'float32');
    expect(hex(E.log(l))).toEqual(DATA.log.log);
    const t = make(lcg(64, DATA.tanh.x_seed).map((v) => v * DATA.tanh.scale), [64], 'float32');
    expect(hex(E.tanh(t))).toEqual(DATA.tanh.tanh);
    const m = make(lcg(64, DATA.more.x_seed).map((v) => v * DATA.more.x_scale), [64], 'float32');
    expect(hex(E.expm1(m))).toEqual(DATA.more.expm1);
    const p = make(lcg(64, DATA.more.l_seed).map((v) => Math.abs(v) * DATA.more.l_scale), [64], 'float32');
    expect(hex(E.log1p(p))).toEqual(DATA.more.log1p);
    expect(hex(E.rsqrt(p))).toEqual(DATA.more.rsqrt);
  });

  it('pow: fractional, integer and tensor exponents, a number base, rsqrt', () => {
    const r = runProgram(DATA.powProgram, { onPrint: () => {} });
    expect(r.error).toBeUndefined();
    expect(r.output).toBe(DATA.powOutput);
  });

  it('softmax, log_softmax and their backward, cross_entropy, nll_loss, mse_loss, cumsum, var, std, norm', () => {
    for (const [name, { program, output }] of Object.entries(DATA.programs)) {
      const r = runProgram(program, { onPrint: () => {} });
      expect(r.error, name).toBeUndefined();
      expect(r.output, name).toBe(output);
    }
  }, 30_000);

  it('linspace in float32', () => {
    for (const [key, want] of Object.entries(DATA.linspace)) {
      const [a, b, n] = key.split(',').map(Number);
      expect(hex(E.linspace(a, b, n)), key).toEqual(want);
    }
  });

  it('SGD steps (momentum, dampening, weight decay, Nesterov) leave the parameters PyTorch leaves', () => {
    const r = runProgram(DATA.sgdProgram, { onPrint: () => {} });
    expect(r.error).toBeUndefined();
    expect(r.output).toBe(DATA.sgdOutput);
  });

  it('RMSprop (plain, with weight decay and momentum, centered) and Adam (AMSGrad, weight decay) too', () => {
    const r = runProgram(DATA.adaptiveProgram, { onPrint: () => {} });
    expect(r.error).toBeUndefined();
    expect(r.output).toBe(DATA.adaptiveOutput);
  }, 30_000);

  it("the tutorial's loop prints what PyTorch prints, to the last digit", () => {
    const program = JSON.parse(readFileSync(new URL('../golden/polyfit.json', import.meta.url), 'utf8')).cases[0].program as string;
    const r = runProgram(program, { onPrint: () => {} });
    expect(r.ok).toBe(true);
    expect(r.output).toBe(DATA.tutorialOutput);
  }, 30_000);
});
