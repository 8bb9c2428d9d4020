// In-place updates: `a -= lr * a.grad`, zero_(), fill_(), optimizer steps, x[i] = v.
// Under no_grad (or on a tensor that needs no grad) they write the storage and bump the version;
// on a leaf that requires grad, outside no_grad, they fail as PyTorch does; on a non-leaf they are
// recorded: the tensor takes the op's grad_fn and a new id (a new node in the graph).
import { allocStorage, checkScalarFits, copyStorage, isFloating, resultType2, scalarTypeName } from '../dtype';
import { engine, runtimeError, skipTensorIds } from '../context';
import { summarize } from '../summary';
import { Tensor, zerosOf } from '../tensor';
import { announceThrough, refreshView, viewPositions, writeThrough } from '../views';
import { apply, defineOp, type OpDef } from './define';
import { expandTo, sumTo, toDtypeRaw } from './shape';
import { addOp, divOp, mulOp, subOp } from './arith';
import { Bin, binaryKernel } from '../kernels/elementwise';

export const LEAF_INPLACE_MESSAGE = 'a leaf Variable that requires grad is being used in an in-place operation.';
export const VIEW_OF_LEAF_INPLACE_MESSAGE = 'a view of a leaf Variable that requires grad is being used in an in-place operation.';

/** The grad_fns of PyTorch's view ops: their output shares the input's storage (a view of it). */
const VIEW_GRAD_FNS = new Set([
  'ViewBackward0', 'ReshapeAliasBackward0', 'SelectBackward0', 'SliceBackward0', 'TBackward0', 'TransposeBackward0',
  'PermuteBackward0', 'UnsqueezeBackward0', 'SqueezeBackward0', 'SqueezeBackward1', 'SqueezeBackward3', 'ExpandBackward0',
  'AliasBackward0', 'UnbindBackward0', 'SplitBackward0', 'SplitWithSizesBackward0', 'DiagonalBackward0', 'UnfoldBackward0',
]);

/** Whether t is a piece of split/chunk/unbind (an output of a multi-output node), or a view of one. */
function isViewOfMultiOutput(t: Tensor): boolean {
  let node = t.gradFn;
  while (node !== null && VIEW_GRAD_FNS.has(node.name)) {
    if (node.outputs) return true;
    node = node.next[0]?.node ?? null;
  }
  return false;
}

/** Whether t is (a view of a view of ...) a view of a leaf that requires grad, as its grad_fn chain shows. */
export function isViewOfLeaf(t: Tensor): boolean {
  let node = t.gradFn;
  while (node !== null && VIEW_GRAD_FNS.has(node.name)) {
    const next = node.next[0]?.node ?? null;
    if (next === null) return false;
    if (next.name === 'AccumulateGrad') return true;
    node = next;
  }
  return false;
}

/** PyTorch's check before an in-place op outside no_grad: not on a leaf that requires grad, nor on a view of one. */
export function checkInplace(self: Tensor): void {
  if (!engine.gradEnabled || !self.requiresGrad) return;
  if (self.isLeaf) throw runtimeError(LEAF_INPLACE_MESSAGE);
  if (isViewOfMultiOutput(self)) {
    throw runtimeError(
      `Output ${self.outputNr} of ${self.gradFn!.name} is a view and is being modified inplace. This view is the output of a function that returns multiple views. ` +
        'Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.',
    );
  }
  if (isViewOfLeaf(self)) throw runtimeError(VIEW_OF_LEAF_INPLACE_MESSAGE);
  if (isViewFromCustomFunction(self)) throw customFunctionViewError(self.gradFn!.name, self.outputNr);
}

/** PyTorch's error for an in-place change of (a view of) a custom Function's output that is a view of its input. */
export function customFunctionViewError(gradFn: string, outputNr: number): Error {
  return runtimeError(
    `Output ${outputNr} of ${gradFn} is a view and is being modified inplace. This view was created inside a custom Function (or because an input was returned as-is) ` +
      'and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. ' +
      'This behavior is forbidden. You can fix this by cloning the output of the custom Function.',
  );
}

/**
 * Whether t is (a view of) an output of BackwardHookFunction, which returns its inputs as they are: PyTorch makes
 * those views and forbids changing them in place (a module with a full backward hook, its inputs and outputs).
 */
export function isViewFromCustomFunction(t: Tensor): boolean {
  let node = t.gradFn;
  while (node !== null) {
    if (node.name === 'BackwardHookFunctionBackward') return true;
    if (!VIEW_GRAD_FNS.has(node.name)) return false;
    node = node.next[0]?.node ?? null;
  }
  return false;
}

/** Applies `op(self, ...others)` and writes the result into self. */
export function inplace(self: Tensor, def: OpDef, others: Tensor[], attrs: object, label: string): Tensor {
  const recording = engine.gradEnabled && (self.requiresGrad || others.some((o) => o.requiresGrad));
  if (recording) checkInplace(self);
  if (self.viewOf) refreshView(self);
  if (recording && self.viewOf) return inplaceOnView(self, def, others, attrs);
  if (!recording) {
    if ('alpha' in attrs || !writeArithInPlace(self, def, others)) {
      // Compute without events, then write through the storage.
      const wasActive = engine.events.active;
      engine.events.active = false;
      let r: Tensor;
      try {
        r = apply(def, [self, ...others], attrs);
      } finally {
        engine.events.active = wasActive;
      }
      writeInto(self, r);
    }
    self.version.v++;
    const base = writeThrough(self);
    if (engine.events.active) {
      engine.events.emit({
        type: 'inplace', tensor: self.id, op: def.name, label, other: others.find((o) => !o.isWrappedNumber)?.id ?? null,
        recorded: false, version: self.version.v, value: summarize(self), pos: engine.pos,
      });
    }
    announceThrough(base);
    return self;
  }
  // Recorded: the op reads a snapshot of the old value, then self becomes the op's output.
  const old = new Tensor(copyStorage(self.data), self.shape.slice(), self.dtype);
  old.requiresGrad = self.requiresGrad;
  old.gradFn = self.gradFn;
  old.outputNr = self.outputNr;
  old.id = self.id;
  const r = apply(def, [old, ...others], attrs);
  writeInto(self, r);
  self.version.v++;
  self.id = r.id;
  self.gradFn = r.gradFn;
  self.outputNr = 0;
  self.requiresGrad = r.requiresGrad;
  // The node computed r; its output tensor is now self.
  return self;
}

/**
 * An in-place op on a view while autograd records it, as PyTorch records it: the view's base gets a CopySlices
 * node (the base as it was, with the view's part replaced by the op's result; its backward hands the base the
 * incoming gradient with that part replaced by the op's gradient for the view), and the view becomes an
 * AsStridedBackward0 of the new base. `y = x * 2; z = y[0]; z.mul_(3)` then gives x.grad = [6, 2, 2].
 */
function inplaceOnView(view: Tensor, def: OpDef, others: Tensor[], attrs: object): Tensor {
  const link = view.viewOf!;
  const root = link.root;
  const positions = viewPositions(view);
  // The base as it was (its graph, its id), and the view's values the op reads.
  const rootOld = new Tensor(copyStorage(root.data), root.shape.slice(), root.dtype);
  rootOld.requiresGrad = root.requiresGrad;
  rootOld.gradFn = root.gradFn;
  rootOld.outputNr = root.outputNr;
  rootOld.id = root.id;
  const viewOld = new Tensor(copyStorage(view.data), view.shape.slice(), view.dtype);
  viewOld.requiresGrad = view.requiresGrad;
  let inner: Tensor | null = null;
  let innerSaved: unknown;
  const copySlices: OpDef = {
    name: 'copy_slices', label: def.label, gradFn: 'CopySlices', inputs: ['self', ...def.inputs.slice(1)],
    formulas: { self: `grad, with the view's part replaced by ${def.gradFn}'s gradient` }, saves: def.saves,
    forward: ([rOld, ...os]) => {
      const r = def.forward([viewOld, ...os], attrs);
      inner = r instanceof Tensor ? r : r.out;
      innerSaved = r instanceof Tensor ? undefined : r.saved;
      const src = toDtypeRaw(expandTo(inner, viewOld.shape), rOld.dtype);
      const out = new Tensor(copyStorage(rOld.data), rOld.shape.slice(), rOld.dtype);
      for (let i = 0; i < positions.length; i++) out.data[positions[i]] = src.data[i];
      return out;
    },
    // create_graph: the same with recording ops. The in-place op reads the view of the base as it was and (its
    // formula's `result`) the view of the new base, so both are views of this node's input and output here.
    recording: (g, ctx, needs, record) => {
      const out = inner!;
      if (out.dtype !== rootOld.dtype || out.shape.length !== viewOld.shape.length || out.shape.some((s, i) => s !== viewOld.shape[i])) {
        throw runtimeError(`create_graph=True: the derivative of CopySlices (${def.gradFn} broadcast or cast into a view) is not differentiable in this playground`);
      }
      const at = (t: Tensor) => apply(asStridedOp, [t], { positions, shape: viewOld.shape.slice() });
      const innerCtx = { inputs: [at(ctx.inputs[0]), ...ctx.inputs.slice(1)], result: at(ctx.result), attrs, saved: innerSaved };
      const grads = record(`CopySlices (${def.gradFn})`, def, innerCtx, at(g), [true, ...needs.slice(1)]);
      const gRoot = needs[0] ? apply(putAtOp, [g, grads[0] ?? new Tensor(allocStorage(g.dtype, positions.length), viewOld.shape.slice(), g.dtype)], { positions }) : null;
      return [gRoot, ...grads.slice(1)];
    },
    backward: (g, ctx, needs) => {
      const gView = new Tensor(allocStorage(g.dtype, positions.length), viewOld.shape.slice(), g.dtype);
      for (let i = 0; i < positions.length; i++) gView.data[i] = g.data[positions[i]];
      const grads = def.backward(gView, { inputs: [viewOld, ...ctx.inputs.slice(1)], result: inner!, attrs, saved: innerSaved } as never, [true, ...needs.slice(1)]);
      let gRoot: Tensor | null = null;
      if (needs[0]) {
        gRoot = new Tensor(copyStorage(g.data), g.shape.slice(), g.dtype);
        const gSelf = grads[0] ? sumTo(grads[0], viewOld.shape) : null;
        for (let i = 0; i < positions.length; i++) gRoot.data[positions[i]] = gSelf ? gSelf.data[i] : 0;
      }
      return [gRoot, ...grads.slice(1)];
    },
  };
  const res = apply(copySlices, [rootOld, ...others], {});
  root.data.set(res.data);
  root.version.v++;
  root.id = res.id;
  root.gradFn = res.gradFn;
  root.outputNr = 0;
  root.requiresGrad = res.requiresGrad;
  // The view, read again from the new base, as PyTorch's regenerated view: AsStridedBackward0.
  const w = apply(asStridedOp, [root], { positions, shape: view.shape.slice() });
  view.data.set(w.data);
  view.id = w.id;
  view.gradFn = w.gradFn;
  view.outputNr = 0;
  view.requiresGrad = w.requiresGrad;
  link.seen = view.version.v;
  return view;
}

/** The elements of a tensor at `positions`, as a tensor of `shape` (a view regenerated after CopySlices). */
export const asStridedOp = defineOp<{ positions: Int32Array; shape: number[] }>({
  name: 'as_strided', label: 'as_strided', gradFn: 'AsStridedBackward0', inputs: ['self'],
  formulas: { self: 'as_strided_backward(grad, self, size, stride, storage_offset)' }, saves: [],
  forward: ([x], { positions, shape }) => {
    const out = new Tensor(allocStorage(x.dtype, positions.length), shape.slice(), x.dtype);
    for (let i = 0; i < positions.length; i++) out.data[i] = x.data[positions[i]];
    return out;
  },
  backward: (g, { inputs: [x], attrs: { positions } }, n) => {
    if (!n[0]) return [null];
    const out = new Tensor(allocStorage(g.dtype, x.data.length), x.shape.slice(), g.dtype);
    for (let i = 0; i < positions.length; i++) out.data[positions[i]] += g.data[i];
    return [out];
  },
});

/** base with src written at `positions` (CopySlices' gradient for the base, recorded). */
const putAtOp = defineOp<{ positions: Int32Array }>({
  name: 'put_at', label: 'put', gradFn: 'CopySlices', inputs: ['self', 'src'],
  formulas: { self: 'grad, 0 at the positions', src: 'grad at the positions' }, saves: [],
  forward: ([base, src], { positions }) => {
    const out = new Tensor(copyStorage(base.data), base.shape.slice(), base.dtype);
    for (let i = 0; i < positions.length; i++) out.data[positions[i]] = src.data[i];
    return out;
  },
  backward: (g, { inputs: [, src], attrs: { positions } }, n) => {
    const gb = n[0] ? new Tensor(copyStorage(g.data), g.shape.slice(), g.dtype) : null;
    const gs = n[1] ? new Tensor(allocStorage(g.dtype, positions.length), src.shape.slice(), g.dtype) : null;
    for (let i = 0; i < positions.length; i++) {
      if (gb) gb.data[positions[i]] = 0;
      if (gs) gs.data[i] = g.data[positions[i]];
    }
    return [gb, gs];
  },
});

const IN_PLACE_BIN = new Map<OpDef, Bin>([
  [addOp, Bin.Add],
  [subOp, Bin.Sub],
  [mulOp, Bin.Mul],
  [divOp, Bin.Div],
]);

/**
 * `p -= lr * p.grad` under no_grad: + − × ÷ of a float tensor by a tensor of its shape or one element, in its own
 * dtype, computed straight into its storage. The values are those of the op followed by the copy (the op would
 * compute in self's dtype and write nothing else). False when the general path applies.
 */
function writeArithInPlace(self: Tensor, def: OpDef, others: Tensor[]): boolean {
  const op = IN_PLACE_BIN.get(def);
  if (op === undefined || others.length !== 1) return false;
  const other = others[0];
  const dtype = self.dtype;
  if ((dtype !== 'float32' && dtype !== 'float64') || other.shape.length > self.shape.length) return false;
  if (resultType2(dtype, self.shape.length === 0, self.isWrappedNumber, other.dtype, other.shape.length === 0, other.isWrappedNumber) !== dtype) return false;
  const n = self.data.length;
  let B = other.data;
  if (other.dtype !== dtype) {
    // A float64 number meeting float32 is rounded to float32 first, as binaryRaw does; other mixes go the general way.
    if (dtype !== 'float32' || other.dtype !== 'float64' || B.length !== 1) return false;
    B = SCRATCH;
    B[0] = other.data[0];
  }
  if (other.shape.length === self.shape.length && other.shape.every((s, i) => s === self.shape[i])) binaryKernel(op, self.data, self.data, B, n, 0);
  else if (other.data.length === 1) binaryKernel(op, self.data, self.data, B, n, 2);
  else return false;
  skipTensorIds(1); // the result tensor the general path makes
  return true;
}
const SCRATCH = new Float32Array(1);

function writeInto(self: Tensor, r: Tensor): void {
  if (r.shape.length > self.shape.length || r.shape.some((s, i) => s !== self.shape[self.shape.length - r.shape.length + i] && s !== 1)) {
    throw runtimeError(`output with shape [${self.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
  }
  if (r.dtype !== self.dtype && !isFloating(self.dtype) && isFloating(r.dtype)) {
    throw runtimeError(`result type Float can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  }
  const src = toDtypeRaw(expandTo(r, self.shape), self.dtype);
  self.data.set(src.data);
}


/** zero_() on a tensor in a graph: the result no longer depends on the old value (PyTorch's ZeroBackward0). */
export const zeroOp = defineOp({
  name: 'zero_', label: 'zero_', gradFn: 'ZeroBackward0', inputs: ['self'], formulas: { self: 'zeros_like(grad)' }, saves: [],
  forward: ([a]) => zerosOf(a),
  backward: (g, _c, n) => [n[0] ? zerosOf(g) : null],
});

/** fill_(number) on a tensor in a graph (PyTorch's FillBackward2). */
export const fillOp = defineOp<{ value: number }>({
  name: 'fill_', label: 'fill_', gradFn: 'FillBackward2', inputs: ['self'], formulas: { self: 'zeros_like(grad)' }, saves: [],
  forward: ([a], { value }) => {
    const t = zerosOf(a);
    t.data.fill(value);
    return t;
  },
  backward: (g, _c, n) => [n[0] ? zerosOf(g) : null],
});

/**
 * zero_(), fill_(v): always allowed under no_grad; on a leaf requiring grad (or a view of one) outside it,
 * PyTorch's error; on a tensor in a graph, recorded (ZeroBackward0, FillBackward2).
 */
export function fillInplace(self: Tensor, value: number, op = 'fill_'): Tensor {
  checkInplace(self);
  checkScalarFits(value, self.dtype);
  if (engine.gradEnabled && self.requiresGrad) return inplace(self, op === 'zero_' ? zeroOp : fillOp, [], { value }, op);
  self.data.fill(value);
  self.version.v++;
  announceInplace(self, op);
  return self;
}

/** The event of an in-place update the graph does not record (a fill, an initialiser, a copy_), after it. */
export function announceInplace(t: Tensor, op: string, other: Tensor | null = null): void {
  // A view's change reaches what it views first (a summary would re-read the stale base); its event, then the base's.
  const base = writeThrough(t);
  if (engine.events.active) {
    engine.events.emit({ type: 'inplace', tensor: t.id, op, label: op, other: other?.id ?? null, recorded: false, version: t.version.v, value: summarize(t), pos: engine.pos });
  }
  announceThrough(base);
}
