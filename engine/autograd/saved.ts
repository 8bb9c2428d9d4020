// What a grad node saved for backward, as PyTorch shows it (grad_fn._saved_self, _saved_result, _saved_alpha,
// grad_fn._raw_saved_self), and the saved-tensor hooks (torch.autograd.graph.saved_tensors_hooks(pack, unpack)):
// pack runs when an op saves a tensor for backward, unpack when backward (or _saved_*) reads it.
//
// Note: the engine's ops read their inputs and result from the node's context, so saving costs nothing here; the
// hooks only change what backward reads. Ops record no per-op closure for this: apply() packs only while a
// saved_tensors_hooks block is open (one length check), and backward unpacks only for nodes that were packed.
import { runtimeError } from '../context';
import { stridesOf, Tensor } from '../tensor';
import type { GradNode } from './node';

/** A saved non-tensor value: an int, a float, a bool, a tuple of ints (sizes, strides, dims), or None. */
export type SavedScalar = number | { float: number } | boolean | readonly number[] | null;

/** pack(tensor) -> anything; unpack(anything) -> tensor: one torch.autograd.graph.saved_tensors_hooks pair. */
export interface SavedTensorHooks {
  pack(t: Tensor): unknown;
  unpack(packed: unknown): Tensor;
}

/** A saved tensor that went through pack: what pack returned and the hooks to unpack it with. */
export interface PackedTensor {
  hooks: SavedTensorHooks;
  packed: unknown;
}

/** The open saved_tensors_hooks blocks, innermost last; disabled: disable_saved_tensors_hooks(message)'s message. */
export const savedHooks = {
  stack: [] as SavedTensorHooks[],
  disabled: null as string | null,
};

type ScalarOf = (node: GradNode) => SavedScalar;

interface SavedSpec {
  /** Saved tensors, by the op's input names or 'result', in the order PyTorch packs and unpacks them. */
  tensors: readonly string[];
  /** Saved non-tensor values (attribute name without `_saved_`). */
  scalars?: Readonly<Record<string, ScalarOf>>;
}

const input = (node: GradNode, name: string): Tensor | null => {
  const i = node.op!.inputs.indexOf(name);
  return i >= 0 && node.ctx ? node.ctx.inputs[i] ?? null : null;
};
const sizes = (name: string): ScalarOf => (n) => input(n, name)?.shape.slice() ?? null;
const strides = (name: string): ScalarOf => (n) => {
  const t = input(n, name);
  return t ? (t.strides ?? stridesOf(t.shape)).slice() : null;
};
const attr = (key: string): ScalarOf => (n) => {
  const v = (n.ctx?.attrs as Record<string, unknown> | undefined)?.[key];
  return v === undefined ? null : (v as SavedScalar);
};
/** A Scalar argument: an int prints as one, a float as a float. */
const scalarAttr = (key: string, floatKey: string | null, fallback: number | null): ScalarOf => (n) => {
  const attrs = n.ctx?.attrs as Record<string, unknown> | undefined;
  const v = attrs?.[key];
  if (typeof v !== 'number') return fallback;
  const isFloat = floatKey !== null && typeof attrs?.[floatKey] === 'boolean' ? (attrs[floatKey] as boolean) : !Number.isInteger(v);
  return isFloat ? { float: v } : v;
};
const one: ScalarOf = () => 1;
/** An optional dims list as PyTorch keeps it (an int64 array; a dim of `sum(-1)` stays -1 here, see the note). */
const dims: ScalarOf = (n) => {
  const d = attr('dim')(n);
  return d === null ? null : Array.isArray(d) ? d.slice() : [d as number];
};

// Note: PyTorch 1.13 reads a saved negative dim back as an unsigned 64-bit number (x.sum(-1) gives
// _saved_dim (18446744073709551615,)); a JavaScript number cannot hold that, so the dim is shown as given.

/** The saved fields PyTorch 1.13 reports for common nodes (checked with dir(grad_fn) in real PyTorch). */
const SPECS: Readonly<Record<string, SavedSpec>> = {
  MulBackward0: { tensors: ['self', 'other'] },
  DivBackward0: { tensors: ['self', 'other'] },
  AddBackward0: { tensors: [], scalars: { alpha: scalarAttr('alpha', null, 1) } },
  SubBackward0: { tensors: [], scalars: { alpha: scalarAttr('alpha', null, 1) } },
  PowBackward0: { tensors: ['self'], scalars: { exponent: scalarAttr('exponent', 'floatExponent', null) } },
  PowBackward1: { tensors: ['self', 'exponent', 'result'] },
  ExpBackward0: { tensors: ['result'] },
  SinBackward0: { tensors: ['self'] },
  CosBackward0: { tensors: ['self'] },
  LogBackward0: { tensors: ['self'] },
  AbsBackward0: { tensors: ['self'] },
  SqrtBackward0: { tensors: ['result'] },
  ReluBackward0: { tensors: ['result'] },
  SigmoidBackward0: { tensors: ['result'] },
  TanhBackward0: { tensors: ['result'] },
  NegBackward0: { tensors: [] },
  TBackward0: { tensors: [] },
  MmBackward0: {
    tensors: ['self', 'mat2'],
    scalars: { self_sym_sizes: sizes('self'), self_sym_strides: strides('self'), mat2_sym_sizes: sizes('mat2'), mat2_sym_strides: strides('mat2') },
  },
  AddmmBackward0: {
    tensors: ['mat1', 'mat2'],
    scalars: { alpha: one, beta: one, mat1_sym_sizes: sizes('mat1'), mat1_sym_strides: strides('mat1'), mat2_sym_sizes: sizes('mat2'), mat2_sym_strides: strides('mat2') },
  },
  MvBackward0: { tensors: ['self', 'vec'] },
  DotBackward0: { tensors: ['self', 'tensor'] },
  BmmBackward0: { tensors: ['self', 'mat2'] },
  SumBackward0: { tensors: [], scalars: { self_sym_sizes: sizes('self') } },
  SumBackward1: { tensors: [], scalars: { dim: dims, keepdim: (n) => attr('keepdim')(n) === true, self_sym_sizes: sizes('self') } },
  MeanBackward0: { tensors: [], scalars: { self_sizes: sizes('self'), self_numel: (n) => input(n, 'self')?.numel ?? null } },
  MeanBackward1: { tensors: ['self'], scalars: { dim: dims, keepdim: (n) => attr('keepdim')(n) === true, self_sym_sizes: sizes('self') } },
  SoftmaxBackward0: { tensors: ['result'], scalars: { dim: (n) => attr('dim')(n) } },
  ViewBackward0: { tensors: [], scalars: { self_sym_sizes: sizes('self') } },
  ReshapeAliasBackward0: { tensors: [], scalars: { self_sym_sizes: sizes('self') } },
  UnsafeViewBackward0: { tensors: [], scalars: { self_sym_sizes: sizes('self') } },
  RsubBackward1: { tensors: [], scalars: { alpha: one } },
  MaxBackward1: { tensors: ['self', 'result'] },
  MinBackward1: { tensors: ['self', 'result'] },
  MseLossBackward0: { tensors: ['self', 'target'], scalars: { reduction: (n) => REDUCTION[attr('reduction')(n) as unknown as string] ?? null } },
  ClampBackward1: { tensors: ['self'], scalars: { min: scalarAttr('min', null, null), max: scalarAttr('max', null, null) } },
};

/** at::Reduction's numbers, as a saved `reduction` shows them. */
const REDUCTION: Record<string, number> = { none: 0, mean: 1, sum: 2 };

/** MeanBackward1 saves self (PyTorch's mean formula reads self.numel()), which the engine's formula text does not name. */
const ALWAYS_SAVED: Readonly<Record<string, readonly string[]>> = { MeanBackward1: ['self'] };

/** The attribute names a node has (`_saved_x`, `_raw_saved_x`), null when this playground does not list them. */
export function savedFieldNames(node: GradNode): { tensors: readonly string[]; scalars: readonly string[] } | null {
  const spec = SPECS[node.name];
  if (!spec || !node.op) return null;
  return { tensors: spec.tensors, scalars: Object.keys(spec.scalars ?? {}) };
}

/** A saved non-tensor value (`_saved_alpha`), undefined when the node has no such field. */
export function savedScalar(node: GradNode, name: string): SavedScalar | undefined {
  const f = SPECS[node.name]?.scalars?.[name];
  return f ? f(node) : undefined;
}

let neededOf: ((node: GradNode) => Set<string> | null) | null = null;
/** backward.ts's neededSaves (which saved inputs the formulas of the inputs needing grad read), set there. */
export function setNeededSaves(fn: (node: GradNode) => Set<string> | null): void {
  neededOf = fn;
}

/**
 * The tensors PyTorch saved for this node, in its order: the result always (generated code saves outputs
 * unconditionally), an input when a formula of an input that needs a gradient reads it (mul saves `self` only
 * when `other` requires grad). Ops outside the table: the engine's own `saves`, filtered the same way.
 */
export function savedTensorNames(node: GradNode): string[] {
  const op = node.op;
  if (!op || !node.ctx) return [];
  const names = SPECS[node.name]?.tensors ?? op.saves;
  if (names.length === 0) return [];
  const needed = neededOf ? neededOf(node) : null;
  const always = ALWAYS_SAVED[node.name];
  return names.filter((n) => n === 'result' || needed === null || needed.has(n) || (always !== undefined && always.includes(n)));
}

/** The saved tensor itself (before any unpack), null where the op has no such input. */
export function savedOriginal(node: GradNode, name: string): Tensor | null {
  if (!node.ctx) return null;
  if (name === 'result') return node.ctx.result;
  const i = node.op!.inputs.indexOf(name);
  return i >= 0 ? node.ctx.inputs[i] ?? null : null;
}

/** A tensor that is `t` as far as the graph goes (same id, data, version, grad_fn) but another object, as PyTorch's unpacked outputs are. */
export function savedAlias(t: Tensor, data: Tensor = t): Tensor {
  const a = new Tensor(data.data, data.shape.slice(), data.dtype, data === t ? t.version : undefined);
  a.id = t.id;
  a.requiresGrad = t.requiresGrad;
  a.gradFn = t.gradFn;
  a.outputNr = t.outputNr;
  a.gradAccumulator = t.gradAccumulator;
  a.isWrappedNumber = t.isWrappedNumber;
  if (data === t && t.strides) a.strides = t.strides;
  return a;
}

/** Runs the innermost saved_tensors_hooks' pack on each tensor the new node saves (apply() calls it only while one is open). */
export function packSaved(node: GradNode): void {
  const hooks = savedHooks.stack[savedHooks.stack.length - 1];
  const packed = new Map<string, PackedTensor>();
  for (const name of savedTensorNames(node)) {
    const t = savedOriginal(node, name);
    if (t) packed.set(name, { hooks, packed: hooks.pack(t) });
  }
  if (packed.size) node.packed = packed;
}

/** The saved tensor as backward (or `_saved_x`) reads it: through unpack when it was packed. */
export function unpackSaved(node: GradNode, name: string): Tensor | null {
  const t = savedOriginal(node, name);
  const p = node.packed?.get(name);
  if (!t || !p) return t;
  const r = p.hooks.unpack(p.packed);
  if (!(r instanceof Tensor)) throw runtimeError('unpack hook must return a Tensor');
  return r;
}

/**
 * Runs fn (a node's backward) with the node's context reading the unpacked saved tensors, in PyTorch's unpack
 * order. Only for nodes that were packed.
 */
export function withUnpacked<T>(node: GradNode, fn: () => T): T {
  const ctx = node.ctx!;
  const inputs = ctx.inputs.slice();
  let result = ctx.result;
  for (const name of node.packed!.keys()) {
    const t = unpackSaved(node, name);
    if (t === null) continue;
    if (name === 'result') result = t;
    else inputs[node.op!.inputs.indexOf(name)] = t;
  }
  node.ctx = { ...ctx, inputs, result };
  try {
    return fn();
  } finally {
    node.ctx = ctx;
  }
}

/** saved_tensors_hooks(pack, unpack).__enter__. */
export function pushSavedHooks(hooks: SavedTensorHooks): void {
  if (savedHooks.disabled !== null) throw runtimeError(savedHooks.disabled);
  savedHooks.stack.push(hooks);
}

export function popSavedHooks(): void {
  savedHooks.stack.pop();
}

/** disable_saved_tensors_hooks(message).__enter__: returns what to restore on exit. */
export function disableSavedHooks(message: string): string | null {
  if (savedHooks.stack.length) throw runtimeError(message);
  const prev = savedHooks.disabled;
  savedHooks.disabled = message;
  return prev;
}

export function restoreSavedHooksDisabled(prev: string | null): void {
  savedHooks.disabled = prev;
}

/** A new program starts with no hooks. */
export function resetSavedHooks(): void {
  savedHooks.stack.length = 0;
  savedHooks.disabled = null;
}
