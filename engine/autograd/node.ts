// Grad nodes: PyTorch's autograd Node, with ordered edges (next_functions) and saved values.
import type { DType } from '../dtype';
import type { GradNodeInfo } from '../events';
import { newNodeId } from '../context';
import type { Tensor } from '../tensor';
import type { OpDef } from '../ops/define';

/** grad_fn.next_functions[slot] = (node, inputNr); node is null where PyTorch shows None. */
export interface Edge {
  node: GradNode | null;
  inputNr: number;
}

/** What backward gets: the op's inputs and result as they were in the forward pass, its attrs and any extra saved value. */
export interface BackwardContext<A = any, S = any> {
  inputs: Tensor[];
  result: Tensor;
  attrs: A;
  saved: S;
}

export class GradNode {
  readonly id: number = newNodeId();
  /** Execution priority, as PyTorch's sequence_nr: later nodes run first; AccumulateGrad runs as soon as it is ready. */
  readonly priority: number;
  /** Per next edge: the input's shape and dtype (grads are summed to the shape and cast to the dtype), null for a padded None. */
  readonly inputMeta: ({ shape: readonly number[]; dtype: DType } | null)[];
  /** Per next edge: which op input it is (-1 for an absent optional input, as PyTorch's None for bias=None). */
  readonly slots: number[];
  ctx: BackwardContext | null;
  /** Versions of the saved tensors when saved (an in-place change after that makes backward fail). */
  readonly savedVersions: number[];
  released = false;
  /** Non-leaf tensors whose grad is kept (retain_grad()). */
  retained: Tensor[] | null = null;

  constructor(
    readonly name: string,
    readonly op: OpDef | null,
    readonly next: Edge[],
    /** The forward tensor's id when the node was made (the leaf's id for AccumulateGrad). */
    readonly tensorId: number,
    ctx: BackwardContext | null,
    /** For AccumulateGrad: the leaf. */
    readonly variable: Tensor | null = null,
    slots?: number[],
  ) {
    this.priority = variable ? Number.MAX_SAFE_INTEGER : this.id;
    this.ctx = ctx;
    this.slots = slots ?? next.map((_, i) => i);
    this.inputMeta = this.slots.map((i) => (ctx && i >= 0 ? { shape: ctx.inputs[i].shape, dtype: ctx.inputs[i].dtype } : null));
    this.savedVersions = ctx ? ctx.inputs.map((t) => t.version.v) : [];
  }

  info(): GradNodeInfo {
    const info: GradNodeInfo = {
      id: this.id,
      name: this.name,
      next: this.next.map((e, slot) => ({ slot, input: this.slots[slot], node: e.node ? e.node.id : null, name: e.node ? e.node.name : null, inputNr: e.inputNr })),
    };
    if (this.variable) info.variable = this.variable.id;
    return info;
  }
}

/** The AccumulateGrad node of a leaf, made once and cached on it. */
export function gradAccumulator(leaf: Tensor): GradNode {
  if (!leaf.gradAccumulator) leaf.gradAccumulator = new GradNode('AccumulateGrad', null, [], leaf.id, null, leaf);
  return leaf.gradAccumulator;
}

/** The edge a tensor contributes as an op input: its grad_fn, its AccumulateGrad, or None. */
export function edgeOf(t: Tensor): Edge {
  if (!t.requiresGrad) return { node: null, inputNr: 0 };
  if (t.gradFn) return { node: t.gradFn, inputNr: t.outputNr };
  return { node: gradAccumulator(t), inputNr: 0 };
}
