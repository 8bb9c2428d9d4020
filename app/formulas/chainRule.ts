// The chain rule at one node, with this run's numbers: upstream grad × local derivative = what each
// input receives. LaTeX only from the registry's formula text, numbers, and fixed symbols.
import type { JsonNumber, ValueSummary } from '../../engine/events';
import type { OpFormula } from '../store/appStore';
import type { ExecRec, OpRec, RunModel } from '../store/types';
import { valueAt } from '../store/frame';
import { formatConstant, formatNumber, toNumber } from '../format';
import { localDerivative, parseFormula, rawLatex, substitute, toLatex } from './latex';

export function numberLatex(x: JsonNumber): string {
  return latexOf(formatNumber(x));
}

/** A Python number of the program (an op's constant operand) as LaTeX, as the program has it. */
export function constantLatex(x: JsonNumber): string {
  return latexOf(formatConstant(x));
}

function latexOf(s: string): string {
  if (s === 'nan' || s === 'inf' || s === '-inf') return `\\mathrm{${s}}`;
  const m = /^(-?[\d.]+)e([-+]?)0*(\d+)$/.exec(s);
  return m ? `${m[1]}\\times10^{${m[2] === '-' ? '-' : ''}${m[3]}}` : s;
}

/** A value as LaTeX: a number, a small bmatrix, or its shape. */
export function valueLatex(v: ValueSummary): string {
  if (v.data && v.shape.length === 0) return numberLatex(v.data[0]);
  if (v.data && v.numel <= 8 && v.shape.length === 1) return `\\begin{bmatrix}${v.data.map(numberLatex).join(' & ')}\\end{bmatrix}`;
  if (v.data && v.numel <= 16 && v.shape.length === 2) {
    const [r, c] = v.shape;
    const rows: string[] = [];
    for (let i = 0; i < r; i++) rows.push(v.data.slice(i * c, i * c + c).map(numberLatex).join(' & '));
    return `\\begin{bmatrix}${rows.join(' \\\\ ')}\\end{bmatrix}`;
  }
  return `\\square_{[${v.shape.join(',')}]}`;
}

export interface InputRule {
  slot: number;
  /** The input's name in the formula vocabulary ('self', 'other'). */
  param: string;
  formula: string | null;
  /** LaTeX lines; null when the op has no formula text for this input. */
  local: string | null;
  vjp: string | null;
  numbers: string | null;
  /** What the engine sent along this edge (null if nothing: the input needs no grad). */
  sent: ValueSummary | null;
  to: number | null;
}

export function formulaFor(formulas: Record<string, OpFormula>, op: OpRec): OpFormula | null {
  return formulas[`${op.op}|${op.gradFn?.name ?? ''}`] ?? formulas[op.op] ?? null;
}

export function chainRule(run: RunModel, op: OpRec, exec: ExecRec | null, formulas: Record<string, OpFormula>): InputRule[] {
  const def = formulaFor(formulas, op);
  const out: InputRule[] = [];
  const values: Record<string, string | undefined> = {};
  if (exec) values.grad = valueLatex(exec.exec.gradOutput);
  const names = def?.inputs ?? op.inputs.map((_, i) => (i === 0 ? 'self' : i === 1 ? 'other' : `input${i}`));
  op.inputs.forEach((inp, k) => {
    const n = names[k];
    if (!n) return;
    if (inp.tensor === null) values[n] = constantLatex(inp.constant ?? 'NaN');
    else {
      const t = run.tensors[inp.tensor];
      const v = t ? valueAt(t, op.seq) : null;
      if (v) values[n] = valueLatex(v);
    }
  });
  const result = run.tensors[op.tensor];
  if (result) values.result = valueLatex(result.values[0].value);
  for (const [k, v] of Object.entries(op.attrs)) if (typeof v === 'number' && values[k] === undefined) values[k] = numberLatex(v);

  op.inputs.forEach((inp, slot) => {
    const param = names[slot] ?? `input${slot}`;
    const text = def?.formulas[param] ?? null;
    const sent = exec?.exec.gradInputs.find((g) => g.slot === slot) ?? null;
    if (!inp.requiresGrad && !(sent && sent.value)) return;
    let local: string | null = null;
    let vjp: string | null = null;
    let numbers: string | null = null;
    const lhs = `\\mathrm{grad}_{\\mathrm{${param.replace(/_/g, '\\_')}}}`;
    if (text) {
      try {
        const ast = parseFormula(text);
        const ld = localDerivative(ast);
        if (ld) local = `\\frac{\\partial\\,\\mathrm{result}}{\\partial\\,\\mathrm{${param.replace(/_/g, '\\_')}}} = ${toLatex(ld)}`;
        vjp = `${lhs} = ${toLatex(ast)}`;
        if (exec) {
          const sub = toLatex(substitute(ast, values));
          numbers = `${lhs} = ${sub}${sent?.value ? ` = ${valueLatex(sent.value)}` : ''}`;
        }
      } catch {
        vjp = `${lhs} = ${rawLatex(text)}`;
      }
    } else if (exec && sent?.value) {
      numbers = `${lhs} = ${valueLatex(sent.value)}`;
    }
    out.push({ slot, param, formula: text, local, vjp, numbers, sent: sent?.value ?? null, to: sent?.to ?? null });
  });
  return out;
}

/** Sum check for the inspector's fan-out line: contributions and their sum, as LaTeX. */
export function sumLatex(contribs: ValueSummary[], total: ValueSummary): string {
  return `${contribs.map(valueLatex).join(' + ')} = ${valueLatex(total)}`;
}

export const isScalarOne = (v: ValueSummary) => v.numel === 1 && v.data !== undefined && toNumber(v.data[0]) === 1;
