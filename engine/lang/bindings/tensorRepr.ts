// repr(tensor) as PyTorch 1.13's torch/_tensor_str.py prints it: one formatter for the whole tensor
// (integer mode `36.`, fixed `0.1235` or scientific `1.0000e-06`), right-aligned to a common width,
// wrapped at 80 columns, summarized with '...' beyond 1000 elements, and the suffixes
// `dtype=`, `grad_fn=<...>`, `requires_grad=True`.
import { Tensor } from '../../tensor';
import { formatNumber, intRepr } from '../format';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGEITEMS = 3;
const LINEWIDTH = 80;

interface Formatter {
  width: number;
  format(v: number): string;
}

const fmt = (v: number, spec: string): string => formatNumber(v, false, spec);

function makeFormatter(t: Tensor, values: ArrayLike<number>): Formatter {
  const floating = t.dtype === 'float32' || t.dtype === 'float64';
  let width = 1;
  if (!floating) {
    const text = (v: number): string => (t.dtype === 'bool' ? (v ? 'True' : 'False') : intRepr(v));
    for (let i = 0; i < values.length; i++) width = Math.max(width, text(values[i]).length);
    return { width, format: (v) => text(v).padStart(width) };
  }
  let intMode = true;
  let sciMode = false;
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && v !== 0) finite.push(v);
  }
  if (finite.length > 0) {
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      min = Math.min(min, a);
      max = Math.max(max, a);
      if (v !== Math.ceil(v)) intMode = false;
    }
    if (intMode) {
      if (max / min > 1000 || max > 1e8) {
        sciMode = true;
        for (const v of finite) width = Math.max(width, fmt(v, `.${PRECISION}e`).length);
      } else {
        for (const v of finite) width = Math.max(width, fmt(v, '.0f').length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      sciMode = true;
      for (const v of finite) width = Math.max(width, fmt(v, `.${PRECISION}e`).length);
    } else {
      for (const v of finite) width = Math.max(width, fmt(v, `.${PRECISION}f`).length);
    }
  }
  const format = (v: number): string => {
    let s: string;
    if (sciMode) s = fmt(v, `${width}.${PRECISION}e`);
    else if (intMode) {
      s = fmt(v, '.0f');
      if (Number.isFinite(v)) s += '.';
    } else s = fmt(v, `.${PRECISION}f`);
    return s.padStart(width);
  };
  return { width, format };
}

/** Row-major strides. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** The indices shown along a dim of `size`: all, or the first and last EDGEITEMS with a gap (-1). */
function shownIndices(size: number, summarize: boolean): number[] {
  if (!summarize || size <= 2 * EDGEITEMS) return Array.from({ length: size }, (_, i) => i);
  return [0, 1, 2, -1, size - 3, size - 2, size - 1];
}

/** The values a summarized print looks at (for the formatter's width), as get_summarized_data. */
function summarizedValues(t: Tensor, summarize: boolean): number[] {
  const out: number[] = [];
  const st = strides(t.shape);
  const walk = (dim: number, offset: number): void => {
    if (dim === t.shape.length) {
      out.push(t.data[offset]);
      return;
    }
    for (const i of shownIndices(t.shape[dim], summarize)) if (i >= 0) walk(dim + 1, offset + i * st[dim]);
  };
  walk(0, 0);
  return out;
}

function body(t: Tensor, f: Formatter, indent: number, summarize: boolean): string {
  const shape = t.shape;
  const st = strides(shape);
  const rec = (dim: number, offset: number, ind: number): string => {
    const size = shape[dim];
    const idx = shownIndices(size, summarize);
    if (dim === shape.length - 1) {
      const elementLength = f.width + 2;
      const perLine = Math.max(1, Math.floor((LINEWIDTH - ind) / elementLength));
      const items = idx.map((i) => (i < 0 ? ' ...' : f.format(t.data[offset + i * st[dim]])));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
    }
    const rest = shape.length - dim;
    const slices = idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * st[dim], ind + 1)));
    return '[' + slices.join(',' + '\n'.repeat(rest - 1) + ' '.repeat(ind + 1)) + ']';
  };
  if (shape.length === 0) return f.format(t.data[0]);
  return rec(0, 0, indent);
}

export interface ReprExtras {
  /** PyTorch's grad_fn class name, when the tensor has one. */
  gradFn: string | null;
}

/** repr(t) / str(t), PyTorch's way. */
export function tensorRepr(t: Tensor, extras: ReprExtras): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let text: string;
  if (t.numel === 0) {
    text = '[]';
    if (t.shape.length !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''})`);
    // No element to tell int64 or bool from float: every dtype but the default one is named.
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
  } else {
    const summarize = t.numel > THRESHOLD;
    const f = makeFormatter(t, summarize ? summarizedValues(t, true) : t.data);
    text = body(t, f, indent, summarize);
    if (t.dtype === 'float64') suffixes.push('dtype=torch.float64');
  }
  if (extras.gradFn) suffixes.push(`grad_fn=<${extras.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  let out = prefix + text;
  let lastLineLen = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLen + s.length + 2 > LINEWIDTH) {
      out += ',\n' + ' '.repeat(indent) + s;
      lastLineLen = indent + s.length;
    } else {
      out += ', ' + s;
      lastLineLen += s.length + 2;
    }
  }
  return out + ')';
}
