// repr(tensor) as PyTorch 1.13's torch/_tensor_str.py prints it: one formatter for the whole tensor
// (integer mode `36.`, fixed `0.1235` or scientific `1.0000e-06`), right-aligned to a common width,
// wrapped at 80 columns, summarized with '...' beyond 1000 elements, and the suffixes
// `dtype=`, `grad_fn=<...>`, `requires_grad=True`.
import { refreshView } from '../../views';
import { Tensor } from '../../tensor';
import { formatNumber, intRepr } from '../format';

/** torch.set_printoptions's settings (PRINT_OPTS); a run starts from the defaults (resetPrintOptions). */
export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  /** null: chosen per tensor by the formatter. */
  sciMode: boolean | null;
}
const DEFAULTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const opts: PrintOptions = { ...DEFAULTS };

export function resetPrintOptions(): void {
  Object.assign(opts, DEFAULTS);
}

/**
 * torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode) as _tensor_str.py does
 * it: a profile first, then each option given; sci_mode is set on every call, to None when not given.
 */
export function setPrintOptions(o: Partial<Omit<PrintOptions, 'sciMode'>> & { profile?: string; sciMode: boolean | null }): void {
  if (o.profile === 'default') Object.assign(opts, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
  else if (o.profile === 'short') Object.assign(opts, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
  else if (o.profile === 'full') Object.assign(opts, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
  for (const k of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) if (o[k] !== undefined) opts[k] = o[k]!;
  opts.sciMode = o.sciMode;
}

interface Formatter {
  width: number;
  format(v: number): string;
}

const fmt = (v: number, spec: string): string => formatNumber(v, false, spec);

function makeFormatter(t: Tensor, values: ArrayLike<number>): Formatter {
  const PRECISION = opts.precision;
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
  // As _Formatter, which returns before this when no element is finite and nonzero: those stay '0.'.
  if (opts.sciMode !== null && finite.length > 0) sciMode = opts.sciMode;
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

/**
 * The indices shown along a dim of `size`: all, or the first and last edgeitems with a gap (-1). The last dim
 * takes its tail as Python's self[-edgeitems:], which is the whole dim when edgeitems is 0.
 */
function shownIndices(size: number, summarize: boolean, lastDim: boolean): number[] {
  const all = (from: number): number[] => Array.from({ length: size - from }, (_, i) => from + i);
  const e = opts.edgeitems;
  if (!summarize || size <= 2 * e) return all(0);
  const head = all(0).slice(0, e);
  const tail = lastDim && e === 0 ? all(0) : all(size - e);
  return [...head, -1, ...tail];
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
    for (const i of shownIndices(t.shape[dim], summarize, dim === t.shape.length - 1)) if (i >= 0) walk(dim + 1, offset + i * st[dim]);
  };
  walk(0, 0);
  return out;
}

function body(t: Tensor, f: Formatter, indent: number, summarize: boolean): string {
  const shape = t.shape;
  const st = strides(shape);
  const rec = (dim: number, offset: number, ind: number): string => {
    const size = shape[dim];
    const idx = shownIndices(size, summarize, dim === shape.length - 1);
    if (dim === shape.length - 1) {
      const elementLength = f.width + 2;
      const perLine = Math.max(1, Math.floor((opts.linewidth - ind) / elementLength));
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
  if (t.viewOf) refreshView(t);
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
    const summarize = t.numel > opts.threshold;
    const f = makeFormatter(t, summarize ? summarizedValues(t, true) : t.data);
    text = body(t, f, indent, summarize);
    // PyTorch names the dtype unless it is the default float or what the values show (int64 and bool).
    if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') suffixes.push(`dtype=torch.${t.dtype}`);
  }
  if (extras.gradFn) suffixes.push(`grad_fn=<${extras.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  let out = prefix + text;
  let lastLineLen = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLen + s.length + 2 > opts.linewidth) {
      out += ',\n' + ' '.repeat(indent) + s;
      lastLineLen = indent + s.length;
    } else {
      out += ', ' + s;
      lastLineLen += s.length + 2;
    }
  }
  return out + ')';
}
