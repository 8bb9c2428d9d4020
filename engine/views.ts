// Views: x[0], x[:, 1:], x.t(), x.permute(...), x.expand(...), split/unbind pieces, and reshapes of those.
//
// Note: how they behave as PyTorch's do without strided storage. Every tensor here owns contiguous data, so a
// view is a copy that remembers where it came from (ViewLink): the tensor owning the storage, and the chain
// of view ops that led from it. What makes it a view is kept in two places:
//   - an in-place change of the view (row.mul_(2), w[0].fill_(1) under no_grad) is written through into the
//     storage it views (writeThrough), at the positions the view op picks; and
//   - it shares its base's version counter, so a change of the base (or of any other view of it) shows as a
//     version the view has not seen: it re-reads its elements before it is next read (refreshView, called by
//     apply() for every op input and by printing, item() and the event summaries).
// The positions are found by running the view op on the base's positions (0 … n−1), once per view and only
// when a write or a re-read needs them: no op needs its own description of what it selects.
// An in-place change of a view while autograd records it rewrites its base's history as PyTorch does
// (CopySlices, in ../ops/inplace).

import { EngineError, engine } from './context';
import { summarize } from './summary';
import type { Tensor } from './tensor';

export interface ViewLink {
  /** The tensor that owns the storage the view reads. */
  readonly root: Tensor;
  /**
   * The link of the tensor the view was made from, when that is a view too (x.t()[0]). Only links are kept
   * along a chain, not the tensors: `s = s[1:]` in a loop keeps its base alive, not every step's copy.
   */
  readonly parent: ViewLink | null;
  /** The shape of the tensor the view was made from. */
  readonly sourceShape: readonly number[];
  /** The view op on a tensor shaped like that one: used on positions to find which elements the view holds. */
  readonly remap: (source: Tensor) => Tensor;
  /** Positions in the root's data of the view's elements, once needed. */
  positions: Int32Array | null;
  /** The version of the shared counter the view's data reflects. */
  seen: number;
}

function positionsOf(link: ViewLink, make: (shape: readonly number[], data: Float64Array) => Tensor): Int32Array {
  if (link.positions) return link.positions;
  const srcPos = link.parent ? positionsOf(link.parent, make) : null;
  let n = 1;
  for (const s of link.sourceShape) n *= s;
  const pos = new Float64Array(n);
  for (let i = 0; i < n; i++) pos[i] = srcPos ? srcPos[i] : i;
  const wasActive = engine.events.active;
  const wasGrad = engine.gradEnabled;
  engine.events.active = false;
  engine.gradEnabled = false;
  let out: Tensor;
  try {
    out = link.remap(make(link.sourceShape, pos));
  } finally {
    engine.events.active = wasActive;
    engine.gradEnabled = wasGrad;
  }
  link.positions = Int32Array.from(out.data as Float64Array);
  return link.positions;
}

let makeTensor: ((shape: readonly number[], data: Float64Array) => Tensor) | null = null;

/** Set once by tensor.ts (this module cannot import the Tensor class: tensor.ts imports this one). */
export function setTensorMaker(make: (shape: readonly number[], data: Float64Array) => Tensor): void {
  makeTensor = make;
}

/** A view whose base (or another view of it) changed since it was read: its elements read again. */
export function refreshView(t: Tensor): void {
  const link = t.viewOf;
  if (!link || link.seen === t.version.v) return;
  const pos = positionsOf(link, makeTensor!);
  const root = link.root.data;
  const d = t.data;
  for (let i = 0; i < pos.length; i++) d[i] = root[pos[i]];
  link.seen = t.version.v;
}

/**
 * Right after an in-place change of t's data (its version bumped; before anything reads it, which would re-read
 * the stale base): a view writes its elements through into the storage it views. Returns the base that
 * changed, for announceThrough once t's own event is out. PyTorch refuses a write to an expanded view
 * (several elements, one location).
 */
export function writeThrough(t: Tensor): Tensor | null {
  const link = t.viewOf;
  if (!link) return null;
  const pos = positionsOf(link, makeTensor!);
  const seenAt = new Uint8Array(link.root.data.length);
  for (let i = 0; i < pos.length; i++) {
    if (seenAt[pos[i]]) {
      throw new EngineError(
        'RuntimeError',
        'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
      );
    }
    seenAt[pos[i]] = 1;
  }
  const rootTensor = link.root;
  const root = rootTensor.data;
  const d = t.data;
  for (let i = 0; i < pos.length; i++) root[pos[i]] = d[i];
  link.seen = t.version.v;
  return rootTensor;
}

/** The base a view's write changed (writeThrough's result), as an in-place update of it on the canvas. */
export function announceThrough(base: Tensor | null): void {
  if (base === null || !engine.events.active) return;
  engine.events.emit({
    type: 'inplace', tensor: base.id, op: 'write_through_view', label: 'changed through a view', other: null,
    recorded: false, version: base.version.v, value: summarize(base), pos: engine.pos,
  });
}

/** Positions in its root's data of a view's elements. */
export function viewPositions(t: Tensor): Int32Array {
  return positionsOf(t.viewOf!, makeTensor!);
}
