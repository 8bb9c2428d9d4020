// Per-frame node and edge state for the canvas and accessible names: pure functions, no React.
import type { ValueSummary } from '../../engine/events';
import type { Frame } from '../store/frame';
import { accumulatorOf, execOf, gradAt, tensorGradAt, valueAt } from '../store/frame';
import type { ExecRec, RunModel } from '../store/types';
import { formatValue } from '../format';
import type { GraphEdge, GraphModel, GraphNode } from './model';
import type { Selection } from '../store/appStore';

export type NodePhase = 'pending' | 'done' | 'active';

export interface NodeView {
  phase: NodePhase;
  value: ValueSummary | null;
  /** The gradient shown on the node: a leaf's .grad, the gradient into an op output or a grad node. */
  grad: ValueSummary | null;
  /** For grad nodes: whether the node has run in this frame. */
  ran: boolean;
  /** More than one contribution was summed into this gradient (fan-out). */
  summed: number;
}

export interface EdgeView {
  pending: boolean;
  /** The gradient travelling along the edge, once its sender has run. */
  grad: ValueSummary | null;
  /** Carried by the node that runs at this very step. */
  active: boolean;
}

export function nodeView(run: RunModel, f: Frame, n: GraphNode): NodeView {
  const seg = f.segment;
  const pending = n.appearSeq > f.seq;
  const t = n.tensor !== null ? run.tensors[n.tensor] : undefined;
  let value: ValueSummary | null = null;
  let grad: ValueSummary | null = null;
  let ran = false;
  let summed = 0;
  let exec: ExecRec | null = null;
  const isGradNode = n.kind === 'grad' || n.kind === 'accumulate';
  const active = isGradNode
    ? f.activeGradNode !== null && n.gradNode === f.activeGradNode
    : n.kind === 'inplace'
      ? f.step?.kind === 'inplace' && n.inplace === f.step.inplace
      : n.kind !== 'const' && n.tensor !== null && n.tensor === f.activeTensor;
  if (n.kind === 'grad' || n.kind === 'accumulate') {
    exec = n.gradNode !== null ? execOf(run, seg, n.gradNode, f.seq) : null;
    ran = exec !== null;
    grad = exec?.exec.gradOutput ?? null;
    summed = exec && exec.exec.contributions.length > 1 ? exec.exec.contributions.length : 0;
  } else if (t) {
    value = valueAt(t, f.seq);
    if (n.kind === 'root') {
      exec = t.gradFn !== null ? execOf(run, seg, t.gradFn, f.seq) : null;
      grad = exec?.exec.gradOutput ?? null;
    } else if (t.kind === 'leaf') {
      grad = gradAt(t, f.seq);
      if (t.gradFn === null) {
        // The AccumulateGrad of this leaf, for the fan-out count.
        const acc = accumulatorOf(run, t.id);
        const x = acc !== null ? execOf(run, seg, acc, f.seq) : null;
        summed = x && x.exec.contributions.length > 1 ? x.exec.contributions.length : 0;
      }
    } else if (n.kind === 'op') {
      grad = tensorGradAt(run, seg, t, f.seq);
      exec = t.gradFn !== null ? execOf(run, seg, t.gradFn, f.seq) : null;
      summed = exec && exec.exec.contributions.length > 1 ? exec.exec.contributions.length : 0;
    }
  }
  return { phase: pending ? 'pending' : active ? 'active' : 'done', value: pending ? null : value, grad: pending ? null : grad, ran, summed };
}

export function edgeView(run: RunModel, f: Frame, e: GraphEdge): EdgeView {
  const pending = e.appearSeq > f.seq;
  if (pending) return { pending, grad: null, active: false };
  if (e.kind === 'seed' || e.kind === 'attach') {
    // The seed enters at the root's grad_fn; an AccumulateGrad hands its sum to the leaf's .grad.
    const nodeId = e.kind === 'seed' ? Number(e.to.slice(1)) : Number(e.from.slice(1));
    const exec = execOf(run, f.segment, nodeId, f.seq);
    const grad = exec ? exec.exec.gradOutput : null;
    return { pending, grad, active: exec !== null && f.activeGradNode === nodeId };
  }
  if (!e.carries) return { pending, grad: null, active: false };
  const exec = execOf(run, f.segment, e.carries.gradNode, f.seq);
  const gi = exec?.exec.gradInputs.find((g) => g.slot === e.carries!.slot);
  const grad = gi?.value ?? null;
  return { pending, grad, active: grad !== null && f.activeGradNode === e.carries.gradNode };
}

/** Accessible name: label first, then kind, value and (once reached) gradient, numbers as the inspector prints them. */
export function nodeName(n: GraphNode, v: NodeView, run: RunModel): string {
  const parts: string[] = [n.label];
  switch (n.kind) {
    case 'leaf':
      parts.push(n.frozen ? 'leaf, frozen (requires_grad=False)' : n.requiresGrad ? 'leaf' : 'leaf, requires_grad=False');
      break;
    case 'op': {
      const op = n.op !== null ? run.ops[n.op] : null;
      if (op && n.label !== op.op) parts.push(op.op);
      if (n.isRoot) parts.push('root');
      if (!n.recorded) parts.push('not recorded (no_grad)');
      else if (!n.requiresGrad) parts.push('requires_grad=False');
      break;
    }
    case 'root':
      parts.push('root');
      break;
    case 'const':
      parts.push('number');
      break;
    case 'external':
      parts.push('from earlier');
      break;
    case 'inplace':
      parts.push(n.recorded ? 'in-place update' : 'in-place update, not recorded (no_grad)');
      break;
    case 'grad':
    case 'accumulate':
      if (n.detail) parts.push(n.detail);
      break;
  }
  if (v.phase === 'pending') {
    parts.push('not reached yet');
    return parts.join(', ');
  }
  if (v.value) parts.push(`value ${formatValue(v.value)}`);
  if (v.grad) parts.push(`grad ${formatValue(v.grad)}`);
  else if ((n.kind === 'grad' || n.kind === 'accumulate') && !v.ran) parts.push('not run yet');
  if (v.phase === 'active') parts.push('current step');
  return parts.join(', ');
}


/** The node of this graph that shows the selection (made in either view), or null. */
export function resolveSelection(g: GraphModel, sel: Selection | null): string | null {
  if (!sel) return null;
  if (g.nodes.some((n) => n.key === sel.key)) return sel.key;
  if (g.view === 'forward') {
    const n = g.nodes.find((n) => (n.kind === 'op' || n.kind === 'leaf' || n.kind === 'external') && sel.tensor !== null && n.tensor === sel.tensor);
    return n?.key ?? null;
  }
  const n = g.nodes.find((n) => (n.kind === 'grad' || n.kind === 'accumulate') && sel.gradNode !== null && n.gradNode === sel.gradNode);
  return n?.key ?? null;
}

/** The node the stepper is on, in this graph (the grad node in the backward view). */
export function activeNodeKey(run: RunModel, f: Frame, g: GraphModel): string | null {
  for (const n of g.nodes) {
    if (g.view === 'backward' && n.kind !== 'grad' && n.kind !== 'accumulate' && f.phase === 'backward') continue;
    if (nodeView(run, f, n).phase === 'active') return n.key;
  }
  return null;
}

/** The badge on a node: the op's symbol (with a scalar exponent), 'leaf', 'root'. */
export function nodeDetail(run: RunModel, n: GraphNode): string {
  switch (n.kind) {
    case 'leaf':
      return n.frozen ? 'frozen' : 'leaf';
    case 'op': {
      const op = n.op !== null ? run.ops[n.op] : null;
      if (!op) return '';
      const exp = op.attrs.exponent;
      const sym = op.label + (typeof exp === 'number' ? ` ${exp}` : '');
      return n.isRoot ? `${sym} · root` : sym;
    }
    case 'external':
      return n.tensor !== null && run.tensors[n.tensor] ? 'earlier' : 'untracked';
    case 'root':
      return 'root';
    default:
      return n.detail;
  }
}
