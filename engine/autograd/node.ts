// Grad nodes: PyTorch's autograd Node, with ordered edges (next_functions) and saved values.
import type { DType, Storage } from '../dtype';
import type { GradNodeInfo } from '../events';
import { newNodeId } from '../context';
import type { Tensor } from '../tensor';
import type { OpDef } from '../ops/define';
import type { PackedTensor } from './saved';

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

/** A tensor hook (register_hook): the gradient of output `nr` of a node (null where none arrived at an output of a multi-output node). */
export interface GradHook {
  nr: number;
  /** The hook's name, as PyTorch's errors name it (`hook '<lambda>' has changed the size of value`). */
  name: string;
  fn: (grad: Tensor | null) => Tensor | null;
}

/**
 * What runs on a node's gradients before it, in PyTorch's pre_hooks order: a tensor's hooks as one entry (its
 * `_backward_hooks` dict, placed where the tensor's first hook was registered; removing a hook leaves the entry),
 * a retain_grad(), or a grad_fn.register_prehook(hook) over all the node's output gradients.
 */
export type PreHook =
  | { kind: 'tensor'; nr: number; hooks: (GradHook | null)[] }
  | { kind: 'retain'; nr: number; tensor: Tensor }
  | { kind: 'node'; name: string; fn: ((grads: (Tensor | null)[]) => (Tensor | null)[] | null) | null };

/**
 * grad_fn.register_hook(hook): runs after the node with its input gradients (one per next edge, after
 * validate_outputs) and output gradients; may return replacements for the input gradients. Null once removed.
 */
export interface PostHook {
  name: string;
  fn: ((gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | null) | null;
}

/** One output of a multi-output node: the single-output op that computes it, and its backward context. */
export interface OutputPart {
  op: OpDef;
  ctx: BackwardContext;
}

export class GradNode {
  readonly id: number = newNodeId();
  /** Execution priority, as PyTorch's sequence_nr: later nodes run first; AccumulateGrad runs as soon as it is ready. */
  readonly priority: number;
  /** Per next edge: which op input it is (-1 for an absent optional input, as PyTorch's None for bias=None). */
  readonly slots: readonly number[];
  ctx: BackwardContext | null;
  /** Versions of the saved tensors when saved (an in-place change after that makes backward fail). */
  readonly savedVersions: number[];
  /** The result's version when the op saved it (ops whose backward reads their output: exp, tanh, sigmoid, ...). */
  savedResultVersion = -1;
  released = false;
  /**
   * Storage of saved tensors that only this node holds (temporaries of the program's expressions, see
   * releaseTemporary): handed back to the pool once backward has freed the node.
   */
  freeOnRelease: Storage[] | null = null;
  /** The edge to this node's output 0 (see edgeOf). */
  edge0: Edge | null = null;
  /** The backward run that last numbered this node, and its number in that run (see backward.ts). */
  bwRun = 0;
  bwIndex = 0;
  /**
   * Pre-hooks in PyTorch's order: tensor hooks (register_hook) of this node's tensors (the leaf, for
   * AccumulateGrad), retain_grad() and grad_fn.register_prehook. Null while there are none (the hot path).
   */
  hooks: PreHook[] | null = null;
  /** Saved tensors that went through a saved_tensors_hooks pack, by saved name (see ./saved); null when none did. */
  packed: Map<string, PackedTensor> | null = null;
  /** grad_fn.register_hook(hook) hooks, run after the node; null while there are none. */
  postHooks: PostHook[] | null = null;
  /**
   * For a node with several differentiable outputs (split, chunk, unbind, std_mean): per output, the op that
   * computes it and its context. PyTorch records one node for them all; a tensor's outputNr says which it is.
   */
  outputs: OutputPart[] | null = null;

  constructor(
    readonly name: string,
    readonly op: OpDef | null,
    readonly next: Edge[],
    /** The forward tensor's id when the node was made (the leaf's id for AccumulateGrad). */
    readonly tensorId: number,
    ctx: BackwardContext | null,
    /** For AccumulateGrad: the leaf. */
    readonly variable: Tensor | null = null,
    slots?: readonly number[],
  ) {
    this.priority = variable ? Number.MAX_SAFE_INTEGER : this.id;
    this.ctx = ctx;
    this.slots = slots ?? identitySlots(next.length);
    // Only saved inputs are checked (see checkVersions).
    if (ctx && op && op.saves.length) {
      const inputs = ctx.inputs;
      const versions = new Array<number>(inputs.length);
      for (let i = 0; i < inputs.length; i++) versions[i] = inputs[i].version.v;
      this.savedVersions = versions;
      if (op.saves.includes('result')) this.savedResultVersion = ctx.result.version.v;
    } else this.savedVersions = NO_VERSIONS;
  }

  /**
   * Per next edge: the input's shape and dtype (grads are summed to the shape and cast to the dtype), null for a
   * padded None. Read from the input itself: a tensor's shape and dtype never change.
   */
  inputMeta(k: number): { shape: readonly number[]; dtype: DType } | null {
    const i = this.slots[k];
    return this.ctx && i >= 0 ? this.ctx.inputs[i] : null;
  }

  info(): GradNodeInfo {
    const info: GradNodeInfo = {
      id: this.id,
      name: this.name,
      next: this.next.map((e, slot) => ({ slot, input: this.slots[slot], node: e.node ? e.node.id : null, name: e.node ? e.node.name : null, inputNr: e.inputNr })),
    };
    if (this.variable) info.variable = this.variable.id;
    if (this.outputs) info.outputs = this.outputs.map((p) => p.ctx.result.id);
    return info;
  }
}

const NO_VERSIONS: number[] = [];
const IDENTITY_SLOTS: number[][] = [];

/** [0, 1, ..., n - 1], shared (slots are never written). */
export function identitySlots(n: number): readonly number[] {
  let s = IDENTITY_SLOTS[n];
  if (!s) {
    s = [];
    for (let i = 0; i < n; i++) s.push(i);
    IDENTITY_SLOTS[n] = s;
  }
  return s;
}

/** The AccumulateGrad node of a leaf, made once and cached on it. */
export function gradAccumulator(leaf: Tensor): GradNode {
  if (!leaf.gradAccumulator) leaf.gradAccumulator = new GradNode('AccumulateGrad', null, [], leaf.id, null, leaf);
  return leaf.gradAccumulator;
}

/** The edge a tensor contributes as an op input: its grad_fn, its AccumulateGrad, or None. Edges are never written, so they are shared. */
export function edgeOf(t: Tensor): Edge {
  if (!t.requiresGrad) return NO_EDGE;
  const node = t.gradFn ?? gradAccumulator(t);
  const nr = t.gradFn ? t.outputNr : 0;
  if (nr === 0) return (node.edge0 ??= { node, inputNr: 0 });
  return { node, inputNr: nr };
}

const NO_EDGE: Edge = { node: null, inputNr: 0 };
