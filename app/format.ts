// Number and tensor formatting shared by node glyphs, accessible names and the inspector, so a value reads
// the same everywhere ("[36, 81]", "-12", "0.3333", "1.2e-5"). ASCII minus on purpose: it is what people type.
import type { JsonNumber, ValueSummary } from '../engine/events';
import { floatRepr } from '../engine/lang/format';

/** Tensors up to this many elements are written out as numbers; larger ones are drawn as heat-maps. */
export const SMALL_NUMEL = 16;

export function toNumber(x: JsonNumber): number {
  return typeof x === 'number' ? x : x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : -Infinity;
}

export function formatNumber(x: JsonNumber, digits = 4): string {
  const v = toNumber(x);
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (Number.isInteger(v) && abs < 1e7) return String(v);
  if (abs >= 1e5 || abs < 1e-3) {
    const [mant, exp] = v.toExponential(digits - 1).split('e');
    return `${trimZeros(mant)}e${exp.replace('+', '')}`;
  }
  return trimZeros(v.toPrecision(digits));
}

/**
 * A Python number of the program (an op's constant operand) as the program has it: Python's repr, so
 * `x * 1.0001` reads 1.0001 and not 1 (4 significant digits would round it away); a repr longer than
 * `maxLength` (a computed 1/3) falls back to 6 significant digits.
 */
export function formatConstant(x: JsonNumber, maxLength = 12): string {
  const v = toNumber(x);
  if (!Number.isFinite(v)) return formatNumber(v);
  const repr = Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : floatRepr(v);
  return repr.length <= maxLength ? repr : formatNumber(v, 6);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function isSmall(v: ValueSummary): boolean {
  return v.data !== undefined && v.numel <= SMALL_NUMEL;
}

/** Nested brackets, as PyTorch prints a tensor's values: "[[1, 2], [3, 4]]"; a 0-d tensor is a bare number. */
export function formatData(data: readonly JsonNumber[], shape: readonly number[]): string {
  if (shape.length === 0) return formatNumber(data[0]);
  let i = 0;
  const rec = (d: number): string => {
    const n = shape[d];
    const parts: string[] = [];
    for (let k = 0; k < n; k++) parts.push(d === shape.length - 1 ? formatNumber(data[i++]) : rec(d + 1));
    return `[${parts.join(', ')}]`;
  };
  return rec(0);
}

/** The short form used on nodes and in accessible names. */
// Note: a run's summaries never change once recorded, and every step writes the same ones again (each node's
// accessible name, the inspector); the text is kept with the summary.
const formatted = new WeakMap<ValueSummary, string>();

export function formatValue(v: ValueSummary): string {
  let s = formatted.get(v);
  if (s === undefined) {
    s = isSmall(v) ? formatData(v.data!, v.shape) : `${formatShape(v.shape)} ${v.dtype}, min ${formatNumber(v.min)}, max ${formatNumber(v.max)}, mean ${formatNumber(v.mean)}`;
    formatted.set(v, s);
  }
  return s;
}

/** Element-wise sum check for fan-out captions; not used to compute anything shown as the engine's result. */
export function shapeLabel(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

