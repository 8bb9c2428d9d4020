// What the panel says about an inspected pair of iterations: the same shape, new ids. Pure, from the
// events the worker recorded (the canvas gets the very same events).
import type { GraphEvent } from '../../engine/events';

export interface IterationShape {
  iteration: number;
  /** Forward ops in order, as 'op' names: equal between iterations. */
  shape: string[];
  recorded: number;
  /** In-place updates not recorded by autograd (the no_grad update; every update by hand). */
  unrecordedInplace: number;
  /** Tensor ids of the ops' outputs, first and last. */
  tensorIds: [number, number] | null;
  /** Grad node ids created in this iteration, first and last. */
  nodeIds: [number, number] | null;
  /** Named tensors of this iteration (y_pred, loss, grad_y_pred…) and their ids. */
  names: Record<string, number>;
  /** loss's grad_fn (autograd only). */
  lossNode: { id: number; name: string } | null;
}

export function summarizeIterations(events: readonly GraphEvent[]): IterationShape[] {
  const out: IterationShape[] = [];
  let cur: IterationShape | null = null;
  const gradFnOf = new Map<number, { id: number; name: string }>();
  const span = (r: [number, number] | null, id: number): [number, number] => (r ? [Math.min(r[0], id), Math.max(r[1], id)] : [id, id]);
  for (const e of events) {
    if (e.type === 'iteration') {
      cur = { iteration: e.index, shape: [], recorded: 0, unrecordedInplace: 0, tensorIds: null, nodeIds: null, names: {}, lossNode: null };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    switch (e.type) {
      case 'op':
        cur.shape.push(e.op);
        cur.tensorIds = span(cur.tensorIds, e.tensor);
        if (e.recorded) cur.recorded++;
        if (e.gradFn) {
          cur.nodeIds = span(cur.nodeIds, e.gradFn.id);
          gradFnOf.set(e.tensor, { id: e.gradFn.id, name: e.gradFn.name });
        }
        break;
      case 'inplace':
        if (!e.recorded) cur.unrecordedInplace++;
        break;
      case 'bind':
        if (!(e.name in cur.names)) cur.names[e.name] = e.tensor;
        if (e.name === 'loss') cur.lossNode = gradFnOf.get(e.tensor) ?? null;
        break;
    }
  }
  return out;
}

/** True when two iterations built the same graph (same ops in the same order) from disjoint ids. */
export function rebuiltAnew(a: IterationShape, b: IterationShape): boolean {
  const sameShape = a.shape.length === b.shape.length && a.shape.every((op, i) => op === b.shape[i]);
  const disjoint = !a.tensorIds || !b.tensorIds || a.tensorIds[1] < b.tensorIds[0] || b.tensorIds[1] < a.tensorIds[0];
  return sameShape && disjoint;
}
