// In-place updates: `a -= lr * a.grad`, zero_(), fill_(), optimizer steps, x[i] = v.
// Under no_grad (or on a tensor that needs no grad) they write the storage and bump the version;
// on a leaf that requires grad, outside no_grad, they fail as PyTorch does; on a non-leaf they are
// recorded: the tensor takes the op's grad_fn and a new id (a new node in the graph).
import { allocStorage, copyStorage, resultType2 } from '../dtype';
import { engine, runtimeError, skipTensorIds } from '../context';
import { summarize } from '../summary';
import { Tensor } from '../tensor';
import { announceThrough, checkRecordedInplaceOnView, refreshView, writeThrough } from '../views';
import { apply, defineOp, type OpDef } from './define';
import { expandTo, toDtypeRaw } from './shape';
import { addOp, divOp, mulOp, subOp } from './arith';
import { Bin, binaryKernel } from '../kernels/elementwise';

export const LEAF_INPLACE_MESSAGE = 'a leaf Variable that requires grad is being used in an in-place operation.';
export const VIEW_OF_LEAF_INPLACE_MESSAGE = 'a view of a leaf Variable that requires grad is being used in an in-place operation.';

/** The grad_fns of PyTorch's view ops: their output shares the input's storage (a view of it). */
const VIEW_GRAD_FNS = new Set([
  'ViewBackward0', 'ReshapeAliasBackward0', 'SelectBackward0', 'SliceBackward0', 'TBackward0', 'TransposeBackward0',
  'PermuteBackward0', 'UnsqueezeBackward0', 'SqueezeBackward0', 'SqueezeBackward1', 'SqueezeBackward3', 'ExpandBackward0',
  'AliasBackward0', 'UnbindBackward0', 'SplitBackward0',
]);

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
  if (isViewOfLeaf(self)) throw runtimeError(VIEW_OF_LEAF_INPLACE_MESSAGE);
}

/** Applies `op(self, ...others)` and writes the result into self. */
export function inplace(self: Tensor, def: OpDef, others: Tensor[], attrs: object, label: string): Tensor {
  const recording = engine.gradEnabled && (self.requiresGrad || others.some((o) => o.requiresGrad));
  if (recording) {
    checkInplace(self);
    checkRecordedInplaceOnView(self, label);
  }
  if (self.viewOf) refreshView(self);
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
  if (r.dtype !== self.dtype && (self.dtype === 'int64' || self.dtype === 'bool') && (r.dtype === 'float32' || r.dtype === 'float64')) {
    throw runtimeError(`result type Float can't be cast to the desired output type ${self.dtype === 'int64' ? 'Long' : 'Bool'}`);
  }
  const src = toDtypeRaw(expandTo(r, self.shape), self.dtype);
  self.data.set(src.data);
}

const zerosLike = (t: Tensor): Tensor => new Tensor(allocStorage(t.dtype, t.data.length), t.shape.slice(), t.dtype);

/** zero_() on a tensor in a graph: the result no longer depends on the old value (PyTorch's ZeroBackward0). */
export const zeroOp = defineOp({
  name: 'zero_', label: 'zero_', gradFn: 'ZeroBackward0', inputs: ['self'], formulas: { self: 'zeros_like(grad)' }, saves: [],
  forward: ([a]) => zerosLike(a),
  backward: (g, _c, n) => [n[0] ? zerosLike(g) : null],
});

/** fill_(number) on a tensor in a graph (PyTorch's FillBackward2). */
export const fillOp = defineOp<{ value: number }>({
  name: 'fill_', label: 'fill_', gradFn: 'FillBackward2', inputs: ['self'], formulas: { self: 'zeros_like(grad)' }, saves: [],
  forward: ([a], { value }) => {
    const t = zerosLike(a);
    t.data.fill(value);
    return t;
  },
  backward: (g, _c, n) => [n[0] ? zerosLike(g) : null],
});

/**
 * zero_(), fill_(v): always allowed under no_grad; on a leaf requiring grad (or a view of one) outside it,
 * PyTorch's error; on a tensor in a graph, recorded (ZeroBackward0, FillBackward2).
 */
export function fillInplace(self: Tensor, value: number, op = 'fill_'): Tensor {
  checkInplace(self);
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
