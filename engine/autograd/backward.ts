// The backward engine, as PyTorch's engine.cpp: dependency counts per node, an input buffer that sums the
// incoming gradients, and a ready queue ordered by sequence number (later nodes first, AccumulateGrad
// as soon as it is ready). That order is exactly what the stepper shows.
import { allocStorage, recycling, copyStorage } from '../dtype';
import { engine, runtimeError, withoutGrad } from '../context';
import type { GradContribution, ValueSummary } from '../events';
import { summarize } from '../summary';
import { Tensor, sizeText } from '../tensor';
import { sumTo, toDtypeRaw } from '../ops/shape';
import { binaryRaw } from '../ops/arith';
import { Bin } from '../kernels/elementwise';
import { gradAccumulator, type GradNode } from './node';

export const FREED_GRAPH_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

export interface BackwardOptions {
  gradient?: Tensor | null;
  retainGraph?: boolean;
}

/** A binary max-heap of nodes by priority. */
class ReadyQueue {
  private heap: GradNode[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(n: GradNode): void {
    const h = this.heap;
    h.push(n);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].priority >= h[i].priority) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }
  pop(): GradNode {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].priority > h[m].priority) m = l;
        if (r < h.length && h[r].priority > h[m].priority) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Nodes reachable from root, and how many edges point at each. */
function dependencies(root: GradNode): Map<GradNode, number> {
  const deps = new Map<GradNode, number>([[root, 0]]);
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    for (const e of node.next) {
      if (!e.node) continue;
      const seen = deps.has(e.node);
      deps.set(e.node, (deps.get(e.node) ?? 0) + 1);
      if (!seen) stack.push(e.node);
    }
  }
  return deps;
}

/** The execution order the engine will follow (a dry run of the ready queue). */
function plannedOrder(root: GradNode, deps: Map<GradNode, number>): GradNode[] {
  const count = new Map(deps);
  const q = new ReadyQueue();
  q.push(root);
  const order: GradNode[] = [];
  while (q.size) {
    const n = q.pop();
    order.push(n);
    for (const e of n.next) {
      if (!e.node) continue;
      const c = count.get(e.node)! - 1;
      count.set(e.node, c);
      if (c === 0) q.push(e.node);
    }
  }
  return order;
}

function addInto(buffer: Tensor | undefined, g: Tensor): Tensor {
  if (!buffer) return g;
  return binaryRaw(Bin.Add, buffer, g, buffer.dtype);
}

/** tensor.backward(gradient, retain_graph). */
export function backward(root: Tensor, options: BackwardOptions = {}): void {
  const retainGraph = options.retainGraph ?? false;
  if (!root.requiresGrad) throw runtimeError('element 0 of tensors does not require grad and does not have a grad_fn');
  let seed = options.gradient ?? null;
  const seedTensor = seed ? seed.id : undefined;
  if (seed === null) {
    if (root.numel !== 1) throw runtimeError('grad can be implicitly created only for scalar outputs');
    seed = new Tensor(allocStorage(root.dtype, 1), root.shape.slice(), root.dtype);
    seed.data[0] = 1;
  } else if (seed.shape.length !== root.shape.length || seed.shape.some((s, i) => s !== root.shape[i])) {
    throw runtimeError(`Mismatch in shape: grad_output[0] has a shape of ${sizeText(seed.shape)} and output[0] has a shape of ${sizeText(root.shape)}.`);
  }
  seed = toDtypeRaw(seed, root.dtype);
  const rootNode = root.gradFn ?? gradAccumulator(root);
  const deps = dependencies(rootNode);
  const emitting = engine.events.active;
  const pos = engine.pos;
  let order: GradNode[] | null = null;
  if (emitting) {
    order = plannedOrder(rootNode, deps);
    engine.events.emit({ type: 'backward-begin', root: root.id, rootNode: rootNode.id, seed: summarize(seed), seedTensor, retainGraph, order: order.map((n) => n.id), pos });
  }
  const buffers = new Map<GradNode, Tensor>();
  const contributions = emitting ? new Map<GradNode, GradContribution[]>() : null;
  buffers.set(rootNode, seed);
  contributions?.set(rootNode, [{ from: null, value: summarize(seed) }]);
  const queue = new ReadyQueue();
  queue.push(rootNode);
  const freed: number[] = [];
  let step = 0;
  const total = order ? order.length : 0;
  // Backward formulas run without recording and without forward events, and their temporaries are
  // recycled: what backward keeps (.grad) is copied out with copyStorage(). Not when the program's own code
  // runs as a backward (it could keep a gradient it is handed).
  const wasActive = engine.events.active;
  let userCode = false;
  for (const n of deps.keys()) if (n.op?.runsUserCode) userCode = true;
  const scoped = userCode ? <T>(fn: () => T): T => fn() : recycling;
  scoped(() => withoutGrad(() => {
    while (queue.size) {
      const node = queue.pop();
      const grad = buffers.get(node)!;
      buffers.delete(node);
      step++;
      let gradInputs: (Tensor | null)[];
      engine.events.active = false;
      try {
        gradInputs = runNode(node, grad);
      } finally {
        engine.events.active = wasActive;
      }
      if (emitting) {
        engine.events.emit({
          type: 'node-exec', node: node.id, name: node.name, op: node.op ? node.op.name : 'accumulate', tensor: node.tensorId,
          gradOutput: summarize(grad), contributions: contributions!.get(node) ?? [],
          gradInputs: node.next.map((e, slot) => ({ slot, input: node.slots[slot], to: e.node ? e.node.id : null, value: gradInputs[slot] ? summarize(gradInputs[slot]!) : null })),
          step, total, pos,
        });
      }
      if (node.variable) accumulate(node, grad, emitting);
      if (node.retained) for (const t of node.retained) retain(t, grad);
      node.next.forEach((e, slot) => {
        if (!e.node) return;
        const g = gradInputs[slot];
        if (g) {
          buffers.set(e.node, addInto(buffers.get(e.node), g));
          if (contributions) {
            const list = contributions.get(e.node) ?? [];
            list.push({ from: node.id, value: summarize(g) });
            contributions.set(e.node, list);
          }
        }
        const c = deps.get(e.node)! - 1;
        deps.set(e.node, c);
        if (c === 0) {
          if (buffers.has(e.node)) queue.push(e.node);
          else skipBranch(e.node, deps, queue, buffers);
        }
      });
      if (!retainGraph && node.op) {
        // Note: the context stays (shapes and attrs, which PyTorch keeps too); `released` makes any
        // backward that reads saved tensors fail as PyTorch's does after the graph was freed.
        node.released = true;
        freed.push(node.id);
      }
    }
  }));
  if (emitting) {
    engine.events.emit({ type: 'backward-end', root: root.id, pos });
    if (freed.length) engine.events.emit({ type: 'graph-freed', nodes: freed, pos });
  }
}

// A node that received no gradient at all (every incoming edge had none) does not run; its own
// dependents still have to be released so the rest of the graph can go on.
function skipBranch(node: GradNode, deps: Map<GradNode, number>, queue: ReadyQueue, buffers: Map<GradNode, Tensor>): void {
  for (const e of node.next) {
    if (!e.node) continue;
    const c = deps.get(e.node)! - 1;
    deps.set(e.node, c);
    if (c === 0) {
      if (buffers.has(e.node)) queue.push(e.node);
      else skipBranch(e.node, deps, queue, buffers);
    }
  }
}

/** Runs one node: the op's backward formula, then PyTorch's validate_outputs (sum to shape, cast dtype). */
function runNode(node: GradNode, grad: Tensor): (Tensor | null)[] {
  if (!node.op) return [];
  if (node.released && node.op.saves.length) throw runtimeError(FREED_GRAPH_MESSAGE);
  const ctx = node.ctx!;
  checkVersions(node);
  const needs = ctx.inputs.map(() => false);
  node.next.forEach((e, k) => {
    if (e.node !== null && node.slots[k] >= 0) needs[node.slots[k]] = true;
  });
  const raw = node.op.backward(grad, ctx, needs);
  return node.next.map((e, k) => {
    const slot = node.slots[k];
    const g = slot >= 0 ? raw[slot] : null;
    if (!e.node || !g) return null;
    const meta = node.inputMeta[k];
    let out = g;
    if (meta) {
      out = sumTo(out, meta.shape);
      if (out.dtype !== meta.dtype) out = toDtypeRaw(out, meta.dtype);
    }
    return out;
  });
}

function checkVersions(node: GradNode): void {
  const ctx = node.ctx!;
  const names = node.op!.inputs;
  ctx.inputs.forEach((t, i) => {
    const savedName = names[i] ?? names[names.length - 1];
    if (!node.op!.saves.includes(savedName)) return;
    if (t.version.v !== node.savedVersions[i]) {
      throw runtimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [${legacy(t)} [${t.shape.join(', ')}]]` +
          (t.gradFn ? `, which is output ${t.outputNr} of ${t.gradFn.name},` : '') +
          ` is at version ${t.version.v}; expected version ${node.savedVersions[i]} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
      );
    }
  });
}

const legacy = (t: Tensor): string => ({ float32: 'torch.FloatTensor', float64: 'torch.DoubleTensor', int64: 'torch.LongTensor', bool: 'torch.BoolTensor' })[t.dtype];

/** AccumulateGrad: .grad = incoming, or .grad += incoming in place. */
function accumulate(node: GradNode, incoming: Tensor, emitting: boolean): void {
  const leaf = node.variable!;
  let g = incoming;
  if (g.shape.length !== leaf.shape.length || g.shape.some((s, i) => s !== leaf.shape[i])) g = sumTo(g, leaf.shape);
  const accumulated = leaf.grad !== null;
  if (leaf.grad) {
    const cur = leaf.grad;
    for (let i = 0; i < cur.data.length; i++) cur.data[i] += g.data[i];
    cur.version.v++;
  } else {
    // A fresh tensor: never alias a buffer the engine or another leaf holds.
    const src = toDtypeRaw(g, leaf.dtype);
    leaf.grad = new Tensor(copyStorage(src.data), leaf.shape.slice(), leaf.dtype);
    if (emitting) announceGrad(leaf, summarize(g));
  }
  if (emitting) {
    const incoming = summarize(g);
    // A fresh .grad holds exactly the incoming gradient: one summary serves both.
    engine.events.emit({ type: 'accumulate', node: node.id, tensor: leaf.id, incoming, total: accumulated ? summarize(leaf.grad) : incoming, accumulated, pos: engine.pos });
  }
}

function retain(t: Tensor, grad: Tensor): void {
  if (t.grad) {
    for (let i = 0; i < t.grad.data.length; i++) t.grad.data[i] += grad.data[i];
  } else {
    t.grad = new Tensor(copyStorage(grad.data), t.shape.slice(), t.dtype);
    announceGrad(t);
  }
  if (engine.events.active) engine.events.emit({ type: 'grad-set', tensor: t.id, grad: summarize(t.grad), pos: engine.pos });
}

/** A new .grad tensor is a tensor the program can read and use: announce it so the canvas can name it `a.grad`. */
function announceGrad(owner: Tensor, value?: ValueSummary): void {
  if (!engine.events.active || !owner.grad) return;
  const g = owner.grad;
  engine.events.emit({ type: 'tensor', tensor: g.id, origin: 'grad', gradOf: owner.id, requiresGrad: false, isLeaf: true, value: value ?? summarize(g), pos: engine.pos });
}
