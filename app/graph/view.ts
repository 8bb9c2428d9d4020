// Per-frame node and edge state for the canvas and accessible names: pure functions, no React.
import type { ValueSummary } from '../../engine/events';
import type { Frame } from '../store/frame';
import { accumulatorOf, execOf, gradAt, gradOfOutput, tensorGradAt, valueAt } from '../store/frame';
import type { ExecRec, RunModel } from '../store/types';
import { formatShape, formatValue } from '../format';
import { hookNote } from '../panels/stepText';
import { outputName } from './buildGraph';
import type { GraphEdge, GraphModel, GraphNode, ModuleFold } from './model';
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
  /** A tensor hook (register_hook) ran on this gradient: what it was handed (the grad shown is what it returned). */
  hooked: ValueSummary | null;
  /** Folded modules: how many grad_fn nodes inside have run. */
  ranCount?: number;
  /** A grad node with several outputs (chunk's SplitBackward0) once run: each output's gradient (null: none arrived). */
  outputs?: { name: string; grad: ValueSummary | null }[];
}

export interface EdgeView {
  pending: boolean;
  /** The gradient travelling along the edge, once its sender has run. */
  grad: ValueSummary | null;
  /** Carried by the node that runs at this very step. */
  active: boolean;
}

export function nodeView(run: RunModel, f: Frame, n: GraphNode): NodeView {
  if (n.kind === 'module') return moduleView(run, f, n);
  const seg = f.segment;
  const pending = n.appearSeq > f.seq;
  const t = n.tensor !== null ? run.tensors[n.tensor] : undefined;
  let value: ValueSummary | null = null;
  let grad: ValueSummary | null = null;
  let ran = false;
  let summed = 0;
  let hooked: ValueSummary | null = null;
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
    const outs = exec?.exec.outputs;
    if (outs && !pending) {
      // Several outputs, each with its own gradient: no one gradient (nor a sum of contributions) is the node's.
      const outputs = outs.map((o, k) => ({ name: outputName(run, o.tensor, k), grad: o.value }));
      return { phase: active ? 'active' : 'done', value: null, grad: null, ran, summed: 0, hooked: null, outputs };
    }
    grad = exec?.exec.gradOutput ?? null;
    summed = exec && exec.exec.contributions.length > 1 ? exec.exec.contributions.length : 0;
    hooked = exec?.exec.hooks?.before ?? null;
  } else if (t) {
    value = valueAt(t, f.seq);
    if (n.kind === 'root') {
      exec = t.gradFn !== null ? execOf(run, seg, t.gradFn, f.seq) : null;
      grad = exec ? gradOfOutput(exec.exec, t.id) : null;
      hooked = exec?.exec.hooks?.before ?? null;
    } else if (t.kind === 'leaf') {
      grad = gradAt(t, f.seq);
      if (t.gradFn === null) {
        // The AccumulateGrad of this leaf, for the fan-out count.
        const acc = accumulatorOf(run, t.id);
        const x = acc !== null ? execOf(run, seg, acc, f.seq) : null;
        summed = x && x.exec.contributions.length > 1 ? x.exec.contributions.length : 0;
        hooked = x?.exec.hooks?.before ?? null;
      }
    } else if (n.kind === 'op') {
      grad = tensorGradAt(run, seg, t, f.seq);
      exec = t.gradFn !== null ? execOf(run, seg, t.gradFn, f.seq) : null;
      summed = exec && exec.exec.contributions.length > 1 ? exec.exec.contributions.length : 0;
      hooked = exec?.exec.hooks?.before ?? null;
    }
  }
  return {
    phase: pending ? 'pending' : active ? 'active' : 'done', value: pending ? null : value, grad: pending ? null : grad, ran, summed,
    hooked: pending ? null : hooked,
  };
}

const memberSets = new WeakMap<ModuleFold, { tensors: Set<number>; gradNodes: Set<number> }>();

function setsOf(fold: ModuleFold) {
  let s = memberSets.get(fold);
  if (!s) memberSets.set(fold, (s = { tensors: new Set(fold.tensors), gradNodes: new Set(fold.gradNodes) }));
  return s;
}

/** Whether the stepper's current node is inside a folded module. */
export function moduleHoldsActive(f: Frame, fold: ModuleFold): boolean {
  const s = setsOf(fold);
  return (f.activeGradNode !== null && s.gradNodes.has(f.activeGradNode)) || (f.activeTensor !== null && s.tensors.has(f.activeTensor));
}

/** A folded module: lit while the stepper is inside it; its output's value and the gradient into it. */
export function moduleView(run: RunModel, f: Frame, n: GraphNode): NodeView {
  const fold = n.fold!;
  const pending = n.appearSeq > f.seq;
  if (pending) return { phase: 'pending', value: null, grad: null, ran: false, summed: 0, hooked: null };
  const out = fold.output !== null ? run.tensors[fold.output] : undefined;
  const value = out ? valueAt(out, f.seq) : null;
  const grad = out ? tensorGradAt(run, f.segment, out, f.seq) : null;
  let ran = 0;
  for (const g of fold.gradNodes) if (execOf(run, f.segment, g, f.seq)) ran++;
  return { phase: moduleHoldsActive(f, fold) ? 'active' : 'done', value, grad, ran: ran > 0, summed: 0, hooked: null, ranCount: ran };
}

export function edgeView(run: RunModel, f: Frame, e: GraphEdge): EdgeView {
  if (e.members) {
    // A bundle between folded modules: pending until one of its edges appears, lit by any of them.
    let pending = true;
    let grad: ValueSummary | null = null;
    let active = false;
    for (const m of e.members) {
      const v = edgeView(run, f, m);
      if (!v.pending) pending = false;
      if (v.grad) grad = v.grad;
      if (v.active) active = true;
    }
    return { pending, grad, active };
  }
  const pending = e.appearSeq > f.seq;
  if (pending) return { pending, grad: null, active: false };
  if (e.kind === 'seed' || e.kind === 'attach') {
    // The seed enters at the root's grad_fn; an AccumulateGrad hands its sum to the leaf's .grad.
    const nodeId = e.kind === 'seed' ? Number(e.to.slice(1)) : Number(e.from.slice(1));
    const exec = execOf(run, f.segment, nodeId, f.seq);
    // The seed enters at the root's own output (a chunk's piece is one output of its node).
    const grad = exec ? (e.kind === 'seed' ? gradOfOutput(exec.exec, Number(e.from.slice(1))) : exec.exec.gradOutput) : null;
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
  if (n.kind === 'module') return moduleName(n, v);
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
  if (n.dead) parts.push('no gradient reaches it');
  if (v.phase === 'pending') {
    parts.push('not reached yet');
    return parts.join(', ');
  }
  if (v.value) parts.push(`value ${formatValue(v.value)}`);
  if (v.outputs) parts.push(`grads ${v.outputs.map((o) => `${o.name} ${o.grad ? formatValue(o.grad) : 'none'}`).join('; ')}`);
  else if (v.grad) parts.push(`grad ${formatValue(v.grad)}`);
  else if ((n.kind === 'grad' || n.kind === 'accumulate') && !v.ran) parts.push('not run yet');
  if (v.hooked && v.grad) parts.push(hookNote(formatValue(v.hooked), formatValue(v.grad)));
  if (v.phase === 'active') parts.push('current step');
  return parts.join(', ');
}


/** "layer1 · Sequential, folded module, BasicBlock ×2, 16 ops, ...": path and class first, as the canvas writes it. */
export function moduleName(n: GraphNode, v: NodeView): string {
  const f = n.fold!;
  const parts = [`${n.label} · ${f.kind}`, 'folded module', f.summary];
  const backward = f.gradNodes.length > 0 || n.dead;
  if (n.dead) parts.push('no gradient reaches it');
  else if (backward) parts.push(`${f.gradNodes.length} backward node${f.gradNodes.length === 1 ? '' : 's'}`);
  else parts.push(`${f.inner} op${f.inner === 1 ? '' : 's'}`);
  if (f.paramTensors) parts.push(`${formatCount(f.paramCount)} parameters${f.frozen ? ', frozen (requires_grad=False)' : ''}`);
  else if (f.frozen) parts.push('frozen');
  if (v.phase === 'pending') {
    parts.push('not reached yet');
    return parts.join(', ');
  }
  if (v.value) parts.push(`output ${formatShape(v.value.shape)}`);
  if (backward && !n.dead) parts.push(`${v.ranCount ?? 0} of ${f.gradNodes.length} run`);
  if (v.grad) parts.push(`grad ${formatShape(v.grad.shape)}`);
  if (v.phase === 'active') parts.push('current step inside');
  return parts.join(', ');
}

/** 11689512 → '11.7M', 9408 → '9.4k'. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2).replace(/\.?0+$/, '')}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1).replace(/\.0$/, '')}k`;
  return String(n);
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

/** In a folded graph: the module node standing for the selection, when it is folded away. */
export function moduleOfSelection(g: GraphModel, sel: Selection | null): string | null {
  if (!sel || !g.folded) return null;
  for (const n of g.nodes) if (n.fold?.members.includes(sel.key)) return n.key;
  return null;
}

/** The node the stepper is on, in this graph (the grad node in the backward view). */
export function activeNodeKey(run: RunModel, f: Frame, g: GraphModel): string | null {
  for (const n of g.nodes) {
    if (g.view === 'backward' && n.kind !== 'grad' && n.kind !== 'accumulate' && n.kind !== 'module' && f.phase === 'backward') continue;
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
    case 'module':
      return n.fold?.kind ?? n.detail;
    default:
      return n.detail;
  }
}
