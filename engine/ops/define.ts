// One definition per op: name, label, ordered inputs, forward, backward, formula text, PyTorch's grad_fn name.
// apply() runs the forward, records the grad node when autograd should, and emits the op event.
import { engine, runtimeError } from '../context';
import type { OpInput } from '../events';
import { summarize, jsonNumber } from '../summary';
import { refreshView } from '../views';
import { Tensor, iteratorStrides, preservedStrides } from '../tensor';
import { isFloating, scalarTypeName } from '../dtype';
import { edgeOf, GradNode, identitySlots, type BackwardContext, type Edge, type OutputPart } from '../autograd/node';
import { packSaved, savedHooks } from '../autograd/saved';

export interface ForwardResult<S = unknown> {
  out: Tensor;
  /** Anything backward needs beyond inputs, result and attrs (argmax indices, batch statistics...). */
  saved?: S;
}

export interface OpDef<A = any, S = any> {
  /** Registry name, as PyTorch's function: 'mul', 'pow', 'conv2d'. */
  readonly name: string;
  /** Short display label: '*', '**', '@', 'relu'. */
  readonly label: string;
  /** PyTorch's grad_fn class name: 'MulBackward0'. */
  readonly gradFn: string;
  /** Input names in order, in derivatives.yaml's vocabulary: ['self', 'other']. */
  readonly inputs: readonly string[];
  /** The local derivative per differentiable input, as derivatives.yaml writes it: { self: 'grad * other' }. */
  readonly formulas: Readonly<Record<string, string>>;
  /** Which of inputs/'result' backward reads. Freed after backward; a second backward through them fails. */
  readonly saves: readonly string[];
  /** Non-differentiable ops (comparisons, argmax) never record a node. */
  readonly differentiable?: boolean;
  /**
   * Inputs that are not differentiable (an int64 target, a bool mask or condition): PyTorch leaves them out
   * of next_functions. An op given fewer differentiable inputs than `inputs` names (bias=None) gets None
   * edges for the missing ones, as PyTorch does.
   */
  readonly nonDifferentiable?: readonly number[];
  /**
   * For ops whose optional inputs may be missing anywhere (batch_norm(bias=b) without a weight): per declared input,
   * which of the given inputs it is, or -1 (a None in next_functions, in PyTorch's order).
   */
  slotsFor?(inputs: Tensor[], attrs: A): number[];
  /** The backward runs the program's own code (a custom autograd.Function), which may keep what it is given. */
  readonly runsUserCode?: boolean;
  /** The node op of a multi-output op (see applyMulti): its backward takes every output's gradient. */
  readonly multi?: MultiOutputDef;
  forward(inputs: Tensor[], attrs: A): Tensor | ForwardResult<S>;
  /** Gradients for each input (null where not needed). Shapes may be broadcast: the engine sums them back. */
  backward(grad: Tensor, ctx: BackwardContext<A, S>, needs: boolean[]): (Tensor | null)[];
  /**
   * The backward with recording ops (create_graph=True), for an op whose formula is made at run time (CopySlices
   * runs the in-place op's own backward): `record` gives another op's recording backward.
   */
  recording?(grad: Tensor, ctx: BackwardContext<A, S>, needs: boolean[], record: RecordingBackward): (Tensor | null)[];
}

export type RecordingBackward = (nodeName: string, op: OpDef, ctx: BackwardContext, g: Tensor, needs: boolean[]) => (Tensor | null)[];

export function defineOp<A = Record<string, never>, S = undefined>(def: OpDef<A, S>): OpDef<A, S> {
  return def;
}

/**
 * The ops whose result is a view of their first input in PyTorch, by grad_fn (detach has none): 'copy' ones
 * copy here, 'share' ones share the storage array. A copy is linked to its input (./views); a shared one only
 * when its input is itself such a view (x[0].view(2, 2)).
 */
const VIEW_KIND = new Map<string, 'copy' | 'share'>([
  ...['SelectBackward0', 'SliceBackward0', 'TBackward0', 'TransposeBackward0', 'PermuteBackward0', 'ExpandBackward0',
    'UnbindBackward0', 'SplitBackward0', 'SplitWithSizesBackward0', 'AliasBackward0', 'DiagonalBackward0', 'UnfoldBackward0']
    .map((g): [string, 'copy'] => [g, 'copy']),
  ...['ViewBackward0', 'ReshapeAliasBackward0', 'UnsqueezeBackward0', 'SqueezeBackward0', 'SqueezeBackward1', 'SqueezeBackward3']
    .map((g): [string, 'share'] => [g, 'share']),
]);

export function linkView<A, S>(def: OpDef<A, S>, x: Tensor, out: Tensor, attrs: A): void {
  out.version = x.version;
  out.viewOf = {
    root: x.viewOf ? x.viewOf.root : x,
    parent: x.viewOf ?? null,
    sourceShape: x.shape.slice(),
    remap: (p) => {
      const r = def.forward([p], attrs);
      return r instanceof Tensor ? r : r.out;
    },
    positions: null,
    seen: x.version.v,
  };
}

/** Runs an op: forward, then the grad node and the event. */
export function apply<A, S>(def: OpDef<A, S>, inputs: Tensor[], attrs: A): Tensor {
  // A view whose base changed since it was read reads again first (./views).
  for (let i = 0; i < inputs.length; i++) if (inputs[i].viewOf) refreshView(inputs[i]);
  const r = def.forward(inputs, attrs);
  const out = r instanceof Tensor ? r : r.out;
  if (out.strides === undefined && out.ndim > 1 && hasStrided(inputs)) {
    // The layout PyTorch's result would have (see tensor.ts): elementwise ops follow their inputs'.
    const how = LAYOUT.get(def.name);
    if (how === 'iterator') out.strides = iteratorStrides(out.shape, inputs);
    else if (how === 'preserve' && (attrs as { memoryFormat?: string } | undefined)?.memoryFormat !== 'contiguous') out.strides = preservedStrides(inputs[0]);
  }
  const view = VIEW_KIND.get(def.gradFn) ?? (def.name === 'detach' ? 'share' : undefined);
  if (view !== undefined && out !== inputs[0] && (view === 'copy' || inputs[0].viewOf)) linkView(def, inputs[0], out, attrs);
  const saved = r instanceof Tensor ? undefined : r.saved;
  let node: GradNode | null = null;
  // Only floating results join the graph: PyTorch records nothing for an int64 or bool result (x.long()).
  if (engine.gradEnabled && def.differentiable !== false && isFloating(out.dtype) && anyRequiresGrad(inputs)) {
    const skip = def.nonDifferentiable;
    let slots: readonly number[];
    let next: Edge[];
    if (def.slotsFor) {
      slots = def.slotsFor(inputs, attrs);
      next = slots.map((i) => (i >= 0 ? edgeOf(inputs[i]) : { node: null, inputNr: 0 }));
    } else if (!skip && inputs.length >= def.inputs.length) {
      slots = identitySlots(inputs.length);
      next = new Array<Edge>(inputs.length);
      for (let i = 0; i < inputs.length; i++) next[i] = edgeOf(inputs[i]);
    } else {
      const s: number[] = [];
      for (let i = 0; i < inputs.length; i++) if (!skip || !skip.includes(i)) s.push(i);
      const declared = def.inputs.length - (skip ? skip.length : 0);
      while (s.length < declared) s.push(-1);
      slots = s;
      next = s.map((i) => (i >= 0 ? edgeOf(inputs[i]) : { node: null, inputNr: 0 }));
    }
    node = new GradNode(def.gradFn, def, next, out.id, { inputs, result: out, attrs, saved }, null, slots);
    out.requiresGrad = true;
    out.gradFn = node;
    if (savedHooks.stack.length !== 0) packSaved(node);
  }
  if (engine.events.active) emitOp(def, inputs, out, attrs, node);
  return out;
}

/**
 * An op with several differentiable outputs, as PyTorch records split, chunk, unbind and std_mean: one node
 * (SplitBackward0) whose outputs are the pieces; `piece.grad_fn` is that node for every piece, and
 * `piece.output_nr` says which output it is. Each output is computed by a single-output op (a slice, std, mean);
 * the node's backward takes every output's gradient at once.
 */
export interface MultiOutputDef<A = any> extends Pick<OpDef, 'name' | 'label' | 'gradFn' | 'inputs' | 'formulas' | 'saves'> {
  /**
   * The input gradients from every output's gradient (null where none arrived, which PyTorch's formulas take as
   * zeros). Absent: the sum of each output op's own backward.
   */
  backward?(grads: (Tensor | null)[], ctx: BackwardContext<A>, parts: OutputPart[], needs: boolean[]): (Tensor | null)[];
  /** The same under create_graph, with recording ops. Absent: the sum of each output op's recorded backward. */
  recordedBackward?(grads: (Tensor | null)[], ctx: BackwardContext<A>, parts: OutputPart[], needs: boolean[]): (Tensor | null)[];
}

const multiNodeOps = new Map<MultiOutputDef, OpDef>();

/** The node's op: its name, inputs, formulas and saves (what checkVersions reads); its backward runs per output. */
export function multiNodeOp(def: MultiOutputDef): OpDef {
  let op = multiNodeOps.get(def);
  if (!op) {
    const unused = (): never => {
      throw new Error(`${def.gradFn} has several outputs: it runs through the engine's multi-output path`);
    };
    op = { name: def.name, label: def.label, gradFn: def.gradFn, inputs: def.inputs, formulas: def.formulas, saves: def.saves, multi: def, forward: unused, backward: unused };
    multiNodeOps.set(def, op);
  }
  return op;
}

/** Runs a multi-output op: each output's forward, one grad node for them all, an op event per output. */
export function applyMulti<A>(def: MultiOutputDef<A>, inputs: Tensor[], attrs: A, parts: { op: OpDef; attrs: unknown }[]): Tensor[] {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].viewOf) refreshView(inputs[i]);
  const ran = parts.map(({ op, attrs: a }) => {
    const r = op.forward(inputs, a);
    const out = r instanceof Tensor ? r : r.out;
    if (VIEW_KIND.get(op.gradFn) === 'copy') linkView(op, inputs[0], out, a);
    return { out, saved: r instanceof Tensor ? undefined : r.saved };
  });
  const outs = ran.map((r) => r.out);
  let node: GradNode | null = null;
  if (engine.gradEnabled && outs.every((o) => isFloating(o.dtype)) && anyRequiresGrad(inputs)) {
    const next = inputs.map(edgeOf);
    node = new GradNode(def.gradFn, multiNodeOp(def), next, outs[0].id, { inputs, result: outs[0], attrs, saved: undefined }, null, identitySlots(inputs.length));
    node.outputs = parts.map((p, k) => ({ op: p.op, ctx: { inputs, result: outs[k], attrs: p.attrs, saved: ran[k].saved } }));
    outs.forEach((o, k) => {
      o.requiresGrad = true;
      o.gradFn = node;
      o.outputNr = k;
    });
  }
  if (engine.events.active) outs.forEach((o, k) => emitOp(parts[k].op, inputs, o, parts[k].attrs, node, node ? k : undefined));
  return outs;
}

/**
 * Ops whose result PyTorch lays out after their inputs: 'iterator', TensorIterator's elementwise kernels;
 * 'preserve', empty_like's MemoryFormat::Preserve (clone, .to(dtype)). Checked one by one against PyTorch 1.13's
 * stride() of each op on a transposed input (engine/layout.test.ts); softmax, cumsum, masked_fill, log_sigmoid,
 * prelu, roll, tril, repeat, pad and the reductions give contiguous results there. A new elementwise op belongs
 * here too (the test's probe is where to check it).
 */
const LAYOUT = new Map<string, 'iterator' | 'preserve'>([
  ...[
    'add', 'sub', 'mul', 'div', 'rsub', 'div_scalar', 'pow', 'pow_tensor', 'pow_scalar_base', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
    'logical_and', 'logical_or', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'floor_divide', 'div_rounding', 'remainder',
    'maximum', 'minimum', 'neg', 'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'reciprocal',
    'log1p', 'expm1', 'square', 'sign', 'floor', 'ceil', 'round', 'logical_not', 'clamp', 'clamp_min', 'clamp_max', 'leaky_relu',
    'where', 'dropout', 'erf', 'atan', 'asin', 'acos', 'sinh', 'cosh', 'log2', 'log10', 'exp2', 'trunc', 'frac', 'softplus', 'silu',
    'mish', 'gelu', 'elu', 'hardtanh', 'hardswish', 'hardsigmoid', 'atan2', 'hypot', 'mul_scalar', 'lerp', 'sgn', 'flip',
    'mse_loss', 'binary_cross_entropy', 'smooth_l1_loss', 'huber_loss', 'nan_to_num', 'xlogy', 'tan', 'asinh', 'acosh',
    'atanh', 'erfc', 'erfinv', 'sinc', 'logit', 'rad2deg', 'deg2rad', 'logaddexp', 'fmod', 'copysign', 'addcmul', 'addcdiv',
    'threshold', 'isnan', 'isinf', 'isposinf', 'isneginf', 'isfinite', 'isreal', 'signbit', 'isclose', 'lgamma', 'digamma', 'polygamma', 'entr', 'xlog1py', 'i0', 'i0e', 'i1', 'i1e', 'ndtri', 'log_ndtr',
  ].map((n): [string, 'iterator'] => [n, 'iterator']),
  ['to', 'preserve'],
  ['clone', 'preserve'],
]);

function hasStrided(inputs: Tensor[]): boolean {
  for (const t of inputs) if (t.strides) return true;
  return false;
}

function anyRequiresGrad(inputs: Tensor[]): boolean {
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

export function describeInputs(inputs: Tensor[]): OpInput[] {
  return inputs.map((t, slot) =>
    t.isWrappedNumber
      ? { slot, tensor: null, constant: jsonNumber(t.data[0]), requiresGrad: false }
      : { slot, tensor: t.id, requiresGrad: t.requiresGrad },
  );
}

export function emitOp(def: OpDef, inputs: Tensor[], out: Tensor, attrs: unknown, node: GradNode | null, outputNr?: number): void {
  engine.events.emit({
    type: 'op',
    tensor: out.id,
    op: def.name,
    label: def.label,
    inputs: describeInputs(inputs),
    attrs: jsonAttrs(attrs),
    gradFn: node ? node.info() : null,
    recorded: node !== null,
    requiresGrad: out.requiresGrad,
    value: summarize(out),
    ...(outputNr !== undefined ? { outputNr } : {}),
    pos: engine.pos,
  });
}

/** Attrs as plain JSON: tensors (index tensors) become their id and shape, typed arrays are left out. */
function jsonAttrs(attrs: unknown): Record<string, unknown> {
  if (!attrs || typeof attrs !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    const j = jsonValue(v);
    if (j !== undefined) out[k] = j;
  }
  return out;
}

function jsonValue(v: unknown): unknown {
  if (v === undefined || typeof v === 'function' || ArrayBuffer.isView(v)) return undefined;
  if (typeof v === 'number') return jsonNumber(v);
  if (v instanceof Tensor) return { tensor: v.id, shape: v.shape.slice() };
  if (Array.isArray(v)) return v.map((x) => jsonValue(x) ?? null);
  if (v && typeof v === 'object') return jsonAttrs(v);
  return v;
}

/** PyTorch's error for ops that need floating inputs. */
export function requireFloat(op: string, t: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw runtimeError(`"${op}" not implemented for '${scalarTypeName(t.dtype)}'`);
  }
}
