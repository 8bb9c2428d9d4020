// Node box sizes, estimated from text lengths (no DOM), so layout can run in tests and workers.
import type { RunModel } from '../store/types';
import type { ValueSummary } from '../../engine/events';
import type { GraphNode } from './model';
import { formatValue, isSmall } from '../format';
import { nodeDetail } from './view';
import { gradOfOutput } from '../store/frame';

export const NODE_FONT = 13;
const MONO_CHAR = 7.4;
const SANS_CHAR = 8.1;
/** Node values up to this many elements are written on the node; larger ones get a heat-map. */
export const NODE_NUMBERS_MAX = 6;
const MAX_VALUE_CHARS = 30;

export interface Size {
  width: number;
  height: number;
}

export function showsNumbers(run: RunModel, tensor: number | null): boolean {
  const t = tensor !== null ? run.tensors[tensor] : undefined;
  if (!t) return true;
  const v = t.values[t.values.length - 1].value;
  return isSmall(v) && v.numel <= NODE_NUMBERS_MAX && formatValue(v).length <= MAX_VALUE_CHARS;
}

export function nodeSize(run: RunModel, n: GraphNode): Size {
  switch (n.kind) {
    case 'const':
      return { width: Math.max(34, n.label.length * MONO_CHAR + 18), height: 26 };
    case 'grad':
    case 'accumulate':
      return { width: Math.max(132, n.label.length * SANS_CHAR + 28), height: 52 };
    case 'inplace':
      return { width: Math.max(170, n.label.length * MONO_CHAR + 28), height: 52 };
    case 'module': {
      const f = n.fold!;
      const head = n.label.length * MONO_CHAR + f.kind.length * 6.3 + 14 + 44;
      const body = Math.min(f.summary.length, 34) * 6.3 + 44;
      return { width: Math.min(300, Math.max(220, head, body)), height: 80 };
    }
    default: {
      const t = n.tensor !== null ? run.tensors[n.tensor] : undefined;
      const numbers = showsNumbers(run, n.tensor);
      const last = t ? t.values[t.values.length - 1].value : null;
      const valueChars = numbers && last ? formatValue(last).length : 14;
      const finalGrad = t ? lastGrad(run, t.id) : null;
      // A gradient summed from several uses shows "Σ of n" beside it: room for that too (about 8 characters).
      const sumChars = (t && usedMoreThanOnce(run).has(t.id) ? 8 : 0) + (t && hookedTensors(run).has(t.id) ? 7 : 0);
      const gradChars = (numbers && finalGrad?.data ? formatValue(finalGrad).length + 6 : numbers ? valueChars + 6 : 14) + sumChars;
      const badge = nodeDetail(run, n);
      const badgeWidth = badge ? badge.length * 6.6 + 12 : 0;
      const width = Math.max(120, n.label.length * MONO_CHAR + badgeWidth + 34, Math.max(valueChars, gradChars) * MONO_CHAR + 24);
      const rows = t?.requiresGrad || n.kind === 'root' ? 2 : 1;
      const height = 28 + (numbers ? 0 : 20) + rows * 19 + 6;
      return { width: Math.min(width, 280), height };
    }
  }
}

const usedCache = new WeakMap<RunModel, Set<number>>();

/** The tensors that are an input of more than one op slot in the run (whose gradients may be sums). */
function usedMoreThanOnce(run: RunModel): Set<number> {
  let set = usedCache.get(run);
  if (set) return set;
  const seen = new Set<number>();
  set = new Set<number>();
  for (const op of run.ops) {
    for (const inp of op.inputs) {
      if (inp.tensor === null) continue;
      if (seen.has(inp.tensor)) set.add(inp.tensor);
      else seen.add(inp.tensor);
    }
  }
  usedCache.set(run, set);
  return set;
}

const hookedCache = new WeakMap<RunModel, Set<number>>();

/** The tensors on whose gradient a tensor hook ran in some backward of the run (they show "hook"). */
function hookedTensors(run: RunModel): Set<number> {
  let set = hookedCache.get(run);
  if (set) return set;
  set = new Set<number>();
  for (const b of run.backwards) for (const x of b.execs) if (x.exec.hooks) set.add(x.exec.tensor);
  hookedCache.set(run, set);
  return set;
}

/** The last gradient a tensor shows in this run, so the node is wide enough for it from the start. */
function lastGrad(run: RunModel, id: number): ValueSummary | null {
  const t = run.tensors[id];
  if (!t) return null;
  if (t.kind === 'leaf') {
    for (let i = t.grads.length - 1; i >= 0; i--) if (t.grads[i].grad) return t.grads[i].grad;
    return null;
  }
  if (t.gradFn === null) return null;
  for (let b = run.backwards.length - 1; b >= 0; b--)
    for (const x of run.backwards[b].execs) if (x.exec.node === t.gradFn) return gradOfOutput(x.exec, t.id);
  return null;
}
