// Runs golden files (format autograd-golden/1): each case's program through the engine's language,
// then each `expect` key as an expression in the program's scope, compared as the format's header says.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tensor } from '../engine/index';
import { PyFloat, PyList, PyTuple } from '../engine/lang/values';
import { runProgram } from '../engine/lang/run';

export interface GoldenExpectTensor {
  shape: number[];
  data: (number | boolean)[];
  dtype?: string;
}
export type GoldenExpect = GoldenExpectTensor | { bool: boolean };

export interface GoldenCase {
  name: string;
  tier: number;
  program: string;
  files?: string[];
  rtol?: number;
  atol_scale?: number;
  expect: Record<string, GoldenExpect>;
}

export interface GoldenFile {
  format: string;
  cases: GoldenCase[];
}

export interface Failure {
  caseName: string;
  expr: string;
  want: string;
  got: string;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  failures: Failure[];
  ms: number;
}

const short = (xs: ArrayLike<number | boolean>, n = 6): string => {
  const a = Array.from(xs).slice(0, n).map((v) => (typeof v === 'number' ? +v.toPrecision(8) : v));
  return `[${a.join(', ')}${xs.length > n ? `, … (${xs.length})` : ''}]`;
};

/** What an expression evaluated to, as shape + numbers, or a bool, or a description of what it is. */
type Got = { kind: 'tensor'; shape: number[]; data: ArrayLike<number>; dtype: string } | { kind: 'bool'; value: boolean } | { kind: 'other'; text: string };

function toGot(v: unknown): Got {
  if (v instanceof Tensor) return { kind: 'tensor', shape: v.shape.slice(), data: v.data, dtype: v.dtype };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return { kind: 'tensor', shape: [], data: [v], dtype: 'int64' };
  if (v instanceof PyFloat) return { kind: 'tensor', shape: [], data: [v.value], dtype: 'float64' };
  // A tuple or list of numbers (torch.Size, x.tolist() rows) compares as a 1-D tensor.
  if ((v instanceof PyTuple || v instanceof PyList) && v.items.every((x) => typeof x === 'number' || x instanceof PyFloat || typeof x === 'boolean')) {
    const data = v.items.map((x) => (x instanceof PyFloat ? x.value : +(x as number)));
    return { kind: 'tensor', shape: [data.length], data, dtype: 'float64' };
  }
  return { kind: 'other', text: v === null ? 'None' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : String(v) };
}

/** Compares one expectation; returns the failure text or null. */
export function compare(want: GoldenExpect, got: Got, rtol: number, atolScale: number): string | null {
  if ('bool' in want) {
    if (got.kind === 'bool' && got.value === want.bool) return null;
    if (got.kind === 'tensor' && got.data.length === 1 && got.dtype === 'bool' && !!got.data[0] === want.bool) return null;
    return got.kind === 'bool' ? String(got.value) : got.kind === 'tensor' ? `tensor ${short(got.data)}` : got.text;
  }
  if (got.kind !== 'tensor') return got.kind === 'bool' ? `bool ${got.value}` : got.text;
  if (got.shape.length !== want.shape.length || got.shape.some((s, i) => s !== want.shape[i])) {
    return `shape [${got.shape.join(', ')}]`;
  }
  const isBool = want.dtype === 'bool';
  if (isBool) {
    for (let i = 0; i < want.data.length; i++) {
      if (!!got.data[i] !== !!want.data[i]) return `bool tensor ${short(Array.from(got.data, (x) => !!x))} (element ${i})`;
    }
    return null;
  }
  let maxAbs = 0;
  for (const w of want.data) maxAbs = Math.max(maxAbs, Math.abs(+w));
  const atol = atolScale * Math.max(1, maxAbs);
  for (let i = 0; i < want.data.length; i++) {
    const w = +want.data[i];
    const g = got.data[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok) return `${short(got.data)} (element ${i}: ${g} vs ${w})`;
  }
  return null;
}

export function runCase(c: GoldenCase, baseDir: string): CaseResult {
  const t0 = performance.now();
  const rtol = c.rtol ?? 1e-4;
  const atolScale = c.atol_scale ?? 1e-5;
  const failures: Failure[] = [];
  const loadFile = (name: string): Uint8Array => {
    const path = join(baseDir, name);
    if (!existsSync(path)) throw new Error(`No such file or directory: '${name}'`);
    return new Uint8Array(readFileSync(path));
  };
  const run = runProgram(c.program, { loadFile, onPrint: () => {} });
  if (!run.ok) {
    failures.push({ caseName: c.name, expr: '<program>', want: 'runs', got: `${run.error!.type}: ${run.error!.message} (line ${run.error!.line})` });
    return { name: c.name, ok: false, failures, ms: performance.now() - t0 };
  }
  for (const [expr, want] of Object.entries(c.expect)) {
    let got: Got;
    try {
      got = toGot(run.evaluate(expr));
    } catch (e) {
      const err = e as { type?: string; message?: string };
      failures.push({ caseName: c.name, expr, want: describe(want), got: `${err.type ?? 'Error'}: ${err.message}` });
      continue;
    }
    const bad = compare(want, got, rtol, atolScale);
    if (bad) failures.push({ caseName: c.name, expr, want: describe(want), got: bad });
  }
  return { name: c.name, ok: failures.length === 0, failures, ms: performance.now() - t0 };
}

function describe(want: GoldenExpect): string {
  if ('bool' in want) return String(want.bool);
  return `shape [${want.shape.join(', ')}] ${short(want.data)}`;
}

export function loadGolden(path: string): GoldenFile {
  const file = JSON.parse(readFileSync(path, 'utf8')) as GoldenFile;
  if (file.format !== 'autograd-golden/1') throw new Error(`${path}: unknown format ${file.format}`);
  return file;
}

export function runGoldenFile(path: string): CaseResult[] {
  const file = loadGolden(path);
  return file.cases.map((c) => runCase(c, dirname(path)));
}
