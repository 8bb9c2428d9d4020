// The backward engine, as PyTorch's engine.cpp: dependency counts per node, an input buffer that sums the
// incoming gradients, and a ready queue ordered by sequence number (later nodes first, AccumulateGrad
// as soon as it is ready). That order is exactly what the stepper shows.
import { allocStorage, recycling, copyStorage, keepStorage, legacyTypeName, releaseStorage, type DType, type Storage } from '../dtype';
import { engine, runtimeError, withGrad, withoutGrad } from '../context';
import type { GradContribution, ValueSummary } from '../events';
import { summarize } from '../summary';
import { Tensor, sizeText, zerosOf } from '../tensor';
import { cloneOp, sumTo, toDtypeRaw } from '../ops/shape';
import { add, binaryRaw } from '../ops/arith';
import { apply } from '../ops/define';
import { recordingBackward, recordingBackwardOf, sumToRecorded, toDtypeRecorded } from './differentiable';
import { Bin } from '../kernels/elementwise';
import { gradAccumulator, type GradNode, type PostHook, type PreHook } from './node';
import { setNeededSaves, withUnpacked } from './saved';
import type { OpDef } from '../ops/define';
import { created } from '../creation';

export const FREED_GRAPH_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

export interface BackwardOptions {
  gradient?: Tensor | null;
  retainGraph?: boolean;
  /** create_graph=True: the gradients are computed with grad mode on, and have a graph (see ./differentiable). */
  createGraph?: boolean;
}

/** A new .grad under create_graph: PyTorch's clone_obey_contract, a copy recorded as CopyBackwards. */
const copyBackwardsOp = { ...cloneOp, name: 'copy', label: 'copy', gradFn: 'CopyBackwards' };

/**
 * torch.autograd.grad(outputs, inputs): the gradients of root with respect to each of inputs, returned instead of
 * accumulated into .grad (no .grad anywhere changes). A tensor the graph does not reach gets null when
 * allowUnused, else PyTorch's error.
 */
export function grad(root: Tensor, inputs: Tensor[], options: BackwardOptions & { allowUnused?: boolean } = {}): (Tensor | null)[] {
  // PyTorch checks the outputs before the inputs.
  if (!root.requiresGrad) throw runtimeError('element 0 of tensors does not require grad and does not have a grad_fn');
  const capture: Capture = new Map();
  const keys = inputs.map((t) => {
    if (!t.requiresGrad) throw runtimeError('One of the differentiated Tensors does not require grad');
    const node = t.gradFn ?? gradAccumulator(t);
    capture.set(node, []);
    return node;
  });
  backward(root, options, capture);
  return keys.map((node, i) => {
    const g = capture.get(node)![inputs[i].gradFn ? inputs[i].outputNr : 0] ?? null;
    if (g === null) {
      if (!options.allowUnused) {
        throw runtimeError('One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
      }
      return null;
    }
    const t = inputs[i];
    const r = fitGrad(g, t.shape, t.dtype, options.createGraph ?? false);
    return options.createGraph ? r : new Tensor(copyStorage(r.data), t.shape.slice(), t.dtype);
  });
}

/** autograd.grad's inputs: per node, the gradient each of its outputs received. */
type Capture = Map<GradNode, (Tensor | null | undefined)[]>;

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

// Note: a backward run numbers the nodes it reaches (GradNode.bwRun/bwIndex) and keeps its dependency counts and
// input buffers in arrays by that number, not in maps keyed by node. A backward started while another runs
// (the program's own code, a custom Function's backward, can call one) renumbers nodes the outer run may
// share: it restores their numbers when it ends.
let lastRun = 0;
const activeRuns: number[] = [];

interface Plan {
  /** Nodes reachable from root, root first; node.bwIndex is the position. */
  nodes: GradNode[];
  /** How many edges point at each node. */
  deps: number[];
  /** A node runs the program's own code. */
  userCode: boolean;
  /** For a nested run: what it overwrote (node, run, index), to restore. */
  saved: (GradNode | number)[] | null;
}

function number(node: GradNode, run: number, index: number, saved: (GradNode | number)[] | null): void {
  if (saved !== null && activeRuns.includes(node.bwRun)) saved.push(node, node.bwRun, node.bwIndex);
  node.bwRun = run;
  node.bwIndex = index;
}

/** Nodes reachable from root, and how many edges point at each. */
function dependencies(root: GradNode, run: number, nested: boolean): Plan {
  const saved = nested ? [] : null;
  const nodes = [root];
  const deps = [0];
  let userCode = root.op?.runsUserCode === true || root.hooks !== null || root.postHooks !== null;
  number(root, run, 0, saved);
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const next = node.next;
    for (let k = 0; k < next.length; k++) {
      const n = next[k].node;
      if (!n) continue;
      if (n.bwRun === run) {
        deps[n.bwIndex]++;
        continue;
      }
      number(n, run, nodes.length, saved);
      nodes.push(n);
      deps.push(1);
      if (n.op?.runsUserCode || n.hooks !== null || n.postHooks !== null) userCode = true;
      stack.push(n);
    }
  }
  return { nodes, deps, userCode, saved };
}

/** The execution order the engine will follow (a dry run of the ready queue). */
function plannedOrder(root: GradNode, deps: readonly number[]): GradNode[] {
  const count = deps.slice();
  const q = new ReadyQueue();
  q.push(root);
  const order: GradNode[] = [];
  while (q.size) {
    const n = q.pop();
    order.push(n);
    for (const e of n.next) {
      if (!e.node) continue;
      const c = --count[e.node.bwIndex];
      if (c === 0) q.push(e.node);
    }
  }
  return order;
}

/**
 * A gradient summed back to its tensor's shape and cast to its dtype (PyTorch's validate_outputs): raw, or
 * with recording ops under create_graph.
 */
function fitGrad(g: Tensor, shape: readonly number[], dtype: DType, recorded: boolean): Tensor {
  if (recorded) return toDtypeRecorded(sumToRecorded(g, shape), dtype);
  const r = sumTo(g, shape);
  return r.dtype === dtype ? r : toDtypeRaw(r, dtype);
}

function addInto(buffer: Tensor | undefined, g: Tensor, createGraph: boolean): Tensor {
  if (!buffer) return g;
  return createGraph ? add(buffer, g) : binaryRaw(Bin.Add, buffer, g, buffer.dtype);
}

/** tensor.backward(gradient, retain_graph). */
export function backward(root: Tensor, options: BackwardOptions = {}, capture: Capture | null = null): void {
  // As in PyTorch, retain_graph defaults to create_graph.
  const retainGraph = options.retainGraph ?? options.createGraph ?? false;
  if (!root.requiresGrad) throw runtimeError('element 0 of tensors does not require grad and does not have a grad_fn');
  let seed = options.gradient ?? null;
  const seedTensor = seed ? seed.id : undefined;
  if (seed === null) {
    if (root.numel !== 1) throw runtimeError('grad can be implicitly created only for scalar outputs');
    seed = new Tensor(allocStorage(root.dtype, 1), root.shape.slice(), root.dtype);
    seed.data[0] = 1;
    // Under create_graph the implicit gradient (torch.ones_like(output)) enters the new graph: drawn as a leaf.
    if (options.createGraph) created(seed, 'ones_like');
  } else if (seed.shape.length !== root.shape.length || seed.shape.some((s, i) => s !== root.shape[i])) {
    throw runtimeError(`Mismatch in shape: grad_output[0] has a shape of ${sizeText(seed.shape)} and output[0] has a shape of ${sizeText(root.shape)}.`);
  }
  seed = toDtypeRaw(seed, root.dtype);
  const rootNode = root.gradFn ?? gradAccumulator(root);
  const run = ++lastRun;
  const plan = dependencies(rootNode, run, activeRuns.length > 0);
  activeRuns.push(run);
  try {
    runBackward(root, rootNode, plan, seed, seedTensor, retainGraph, capture, options.createGraph ?? false);
  } finally {
    activeRuns.pop();
    const saved = plan.saved;
    if (saved) {
      for (let i = saved.length - 3; i >= 0; i -= 3) {
        const node = saved[i] as GradNode;
        node.bwRun = saved[i + 1] as number;
        node.bwIndex = saved[i + 2] as number;
      }
    }
  }
}

function runBackward(root: Tensor, rootNode: GradNode, plan: Plan, seed: Tensor, seedTensor: number | undefined, retainGraph: boolean, capture: Capture | null, createGraph: boolean): void {
  const deps = plan.deps;
  const emitting = engine.events.active;
  const pos = engine.pos;
  let order: GradNode[] | null = null;
  if (emitting) {
    order = plannedOrder(rootNode, deps);
    engine.events.emit({ type: 'backward-begin', root: root.id, rootNode: rootNode.id, seed: summarize(seed), seedTensor, retainGraph, order: order.map((n) => n.id), pos });
  }
  const buffers = new Array<Tensor | undefined>(plan.nodes.length);
  // A multi-output node's input buffer: one gradient per output.
  const multi = new Array<(Tensor | undefined)[] | undefined>(plan.nodes.length);
  const contributions = emitting ? new Map<GradNode, GradContribution[]>() : null;
  if (rootNode.outputs) {
    multi[0] = [];
    multi[0][root.outputNr] = seed;
  } else buffers[0] = seed;
  contributions?.set(rootNode, [{ from: null, value: summarize(seed), ...(rootNode.outputs ? { outputNr: root.outputNr } : {}) }]);
  const queue = new ReadyQueue();
  queue.push(rootNode);
  const freed: number[] = [];
  const toFree: Storage[][] = [];
  let step = 0;
  const total = order ? order.length : 0;
  // Backward formulas run without recording and without forward events, and their temporaries are
  // recycled: what backward keeps as a .grad is taken out of the scope (keepStorage) or copied. Not when the program's own code
  // runs as a backward (it could keep a gradient it is handed).
  const wasActive = engine.events.active;
  // With create_graph, the formulas record (grad mode on) and nothing they make is recycled: it is the new graph.
  const scoped = plan.userCode || createGraph ? <T>(fn: () => T): T => fn() : recycling;
  const gradMode = createGraph ? withGrad : withoutGrad;
  scoped(() => gradMode(() => {
    while (queue.size) {
      const node = queue.pop();
      // A multi-output node's gradients, by output (null where none arrived). Its `grad` only feeds the events
      // (output 0's, zeros if none arrived, as the formulas take it): no zeros are made when nothing listens.
      const grads = node.outputs ? outputGrads(node, multi[node.bwIndex]!) : null;
      multi[node.bwIndex] = undefined;
      let grad = grads ? grads[0] ?? (emitting ? zerosOf(node.outputs![0].ctx.result) : grads.find((g) => g !== null)!) : buffers[node.bwIndex]!;
      buffers[node.bwIndex] = undefined;
      step++;
      let gradInputs: (Tensor | null)[];
      let hooksRan = 0;
      let handed: ValueSummary | null = null;
      let dropped = false;
      // A node's computations, a tensor hook's (g * 2) and a custom Function's backward among them, are not
      // forward ops of the program: no events; the step shows their result. Under create_graph they are: they
      // build the gradient's graph, which the program goes on to use, so the canvas draws them.
      if (!createGraph) engine.events.active = false;
      // What the node's own computation returned, before its post hooks (grad_fn.register_hook) replaced any.
      let computed: (Tensor | null)[] | null = null;
      let postRan = 0;
      try {
        if (node.hooks) {
          hooksRan = countPreHooks(node.hooks);
          // Summarized before the hooks run: one may change the gradient in place (g.mul_(2)).
          if (emitting && hooksRan) handed = summarize(grad);
          const list = grads ?? [grad];
          runPreHooks(node, list, wasActive);
          if (grads) grad = grads[0] ?? grad;
          else {
            // A pre-hook may drop the only gradient (return (None,)): the node then computes nothing.
            grad = list[0] ?? grad;
            if (list[0] === null) dropped = true;
          }
        }
        gradInputs = dropped ? node.next.map(() => null) : grads ? runMulti(node, grads, createGraph) : runNode(node, grad, createGraph);
        if (engine.anomaly) checkNan(node, gradInputs);
        if (node.postHooks && !node.variable) {
          computed = gradInputs;
          postRan = countPostHooks(node.postHooks);
          // A custom Function's backward (BackwardHookFunction's) returns a gradient for every input, which its
          // post hooks see, also where next_functions has None (an input that does not require grad).
          const seen = (node.op?.multi as { materializesGrads?: boolean } | undefined)?.materializesGrads
            ? gradInputs.map((g, k) => g ?? zerosOf(node.ctx!.inputs[k]))
            : gradInputs;
          gradInputs = runPostHooks(node, seen, grads ?? [dropped ? null : grad]);
          if (seen !== computed) gradInputs = gradInputs.map((g, k) => (node.next[k].node ? g : null));
        }
      } finally {
        engine.events.active = wasActive;
      }
      if (emitting) {
        engine.events.emit({
          type: 'node-exec', node: node.id, name: node.name, op: node.op ? node.op.name : 'accumulate', tensor: node.tensorId,
          gradOutput: summarize(grad), contributions: contributions!.get(node) ?? [],
          ...(grads ? { outputs: grads.map((g, k) => ({ tensor: node.outputs![k].ctx.result.id, value: g ? summarize(g) : null })) } : {}),
          ...(handed ? { hooks: { count: hooksRan, before: handed } } : {}),
          ...(computed && postRan ? { postHooks: { count: postRan, before: node.next.map((_, k) => (computed![k] ? summarize(computed![k]!) : null)) } } : {}),
          gradInputs: node.next.map((e, slot) => ({ slot, input: node.slots[slot], to: e.node ? e.node.id : null, value: gradInputs[slot] ? summarize(gradInputs[slot]!) : null })),
          step, total, pos,
        });
      }
      if (capture) {
        // autograd.grad: keep what reaches the asked-for tensors; no .grad changes.
        const kept = capture.get(node);
        if (kept) {
          const keep = (g: Tensor) => (createGraph ? g : new Tensor(copyStorage(g.data), g.shape.slice(), g.dtype));
          if (grads) grads.forEach((g, k) => (kept[k] = g ? keep(g) : null));
          else kept[0] = keep(grad);
        }
      } else if (node.variable && !dropped) (createGraph ? accumulateRecorded : accumulate)(node, grad, emitting);
      // AccumulateGrad's post hooks run after it accumulated (they get no input gradients: it has no next edges).
      // (autograd.grad does not run AccumulateGrad: it takes the gradient before it.)
      if (node.variable && node.postHooks && !capture) {
        engine.events.active = false;
        try {
          runPostHooks(node, [], [dropped ? null : grad]);
        } finally {
          engine.events.active = wasActive;
        }
      }
      const next = node.next;
      for (let slot = 0; slot < next.length; slot++) {
        const target = next[slot].node;
        if (!target) continue;
        const ti = target.bwIndex;
        const g = gradInputs[slot];
        if (g) {
          if (target.outputs) {
            const nr = next[slot].inputNr;
            const list = (multi[ti] ??= []);
            list[nr] = addInto(list[nr], g, createGraph);
          } else buffers[ti] = addInto(buffers[ti], g, createGraph);
          if (contributions) {
            const list = contributions.get(target) ?? [];
            list.push({ from: node.id, value: summarize(g), ...(target.outputs ? { outputNr: next[slot].inputNr } : {}) });
            contributions.set(target, list);
          }
        }
        const c = --deps[ti];
        if (c === 0) {
          if (buffers[ti] !== undefined || multi[ti] !== undefined) queue.push(target);
          else skipBranch(target, deps, queue, buffers, multi);
        }
      }
      if (!retainGraph && node.op) {
        // Note: the context stays (shapes and attrs, which PyTorch keeps too); `released` makes any
        // backward that reads saved tensors fail as PyTorch's does after the graph was freed.
        node.released = true;
        node.packed = null;
        freed.push(node.id);
        if (node.freeOnRelease) {
          toFree.push(node.freeOnRelease);
          node.freeOnRelease = null;
        }
      }
    }
  }));
  // Saved temporaries nothing can read any more (see releaseTemporary), once no gradient can alias them.
  for (const list of toFree) for (const st of list) releaseStorage(st);
  if (emitting) {
    engine.events.emit({ type: 'backward-end', root: root.id, pos });
    if (freed.length) engine.events.emit({ type: 'graph-freed', nodes: freed, pos });
  }
}

/** How many hooks will run on a node's gradients (a tensor's count one by one; removed ones and retain_grad not). */
function countPreHooks(hooks: PreHook[]): number {
  let n = 0;
  for (const h of hooks) {
    if (h.kind === 'tensor') {
      for (const t of h.hooks) if (t) n++;
    } else if (h.kind === 'node' && h.fn !== null) n++;
  }
  return n;
}

function countPostHooks(hooks: PostHook[]): number {
  let n = 0;
  for (const h of hooks) if (h.fn) n++;
  return n;
}

/**
 * The node's pre-hooks in PyTorch's order, on `grads` (one per output) in place: a tensor's hooks on its output's
 * gradient, each on what the one before returned (None keeps it; at an output no gradient reached, they get None);
 * retain_grad() keeps the gradient as it is at that point; a node pre-hook gets and may replace them all.
 */
function runPreHooks(node: GradNode, grads: (Tensor | null)[], events: boolean): void {
  for (const entry of node.hooks!) {
    if (entry.kind === 'tensor') {
      const nr = entry.nr;
      for (const h of entry.hooks) {
        if (!h) continue;
        const g = grads[nr];
        const r = h.fn(g);
        if (r === null) continue;
        if (g !== null) checkHookResult(h.name, g, r);
        grads[nr] = r;
      }
    } else if (entry.kind === 'retain') {
      const g = grads[entry.nr];
      if (!g) continue;
      // The kept .grad is the program's: announced like any (hooks themselves run without events).
      const active = engine.events.active;
      engine.events.active = events;
      try {
        retain(entry.tensor, g);
      } finally {
        engine.events.active = active;
      }
    } else if (entry.fn) {
      const r = entry.fn(grads.slice());
      if (r === null) continue;
      checkHookResults(entry.name, grads, r);
      for (let k = 0; k < grads.length; k++) grads[k] = r[k];
    }
  }
}

/** The node's post hooks, each on the input gradients the one before left (None keeps them). */
function runPostHooks(node: GradNode, gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
  let gi = gradInputs;
  for (const h of node.postHooks!) {
    if (!h.fn) continue;
    const r = h.fn(gi.slice(), gradOutputs.slice());
    if (r === null) continue;
    checkHookResults(h.name, gi, r);
    gi = r;
  }
  return gi;
}

/** PyTorch's check_result of a hook's returned gradients against the ones it was given. */
function checkHookResults(name: string, given: (Tensor | null)[], returned: (Tensor | null)[]): void {
  if (returned.length !== given.length) {
    throw runtimeError(`hook '${name}' has returned an incorrect number of values (got ${returned.length}, but expected ${given.length})`);
  }
  for (let k = 0; k < given.length; k++) {
    const g = given[k];
    const r = returned[k];
    if (g === null) {
      if (r !== null) throw runtimeError(`can't replace a None gradient with a non-None value`);
      continue;
    }
    if (r !== null) checkHookResult(name, g, r);
  }
}

/** PyTorch's check_single_result: a hook may not change a gradient's type or size. */
function checkHookResult(name: string, g: Tensor, r: Tensor): void {
  if (r.dtype !== g.dtype) {
    throw runtimeError(`hook '${name}' has changed the type of value (was ${legacy(g)} got ${legacy(r)})`);
  }
  if (r.shape.length !== g.shape.length || r.shape.some((s, i) => s !== g.shape[i])) {
    throw runtimeError(`hook '${name}' has changed the size of value`);
  }
}

/** tensor.register_hook(hook): returns a function that removes it. */
export function registerHook(t: Tensor, hook: (grad: Tensor | null) => Tensor | null, name = 'hook'): () => void {
  if (!t.requiresGrad) throw runtimeError("cannot register a hook on a tensor that doesn't require gradient");
  const node = t.gradFn ?? gradAccumulator(t);
  const nr = t.gradFn ? t.outputNr : 0;
  const hooks = (node.hooks ??= []);
  // One entry per tensor (its hooks dict), where its first hook was registered.
  let entry = hooks.find((h): h is Extract<PreHook, { kind: 'tensor' }> => h.kind === 'tensor' && h.nr === nr);
  if (!entry) {
    entry = { kind: 'tensor', nr, hooks: [] };
    hooks.push(entry);
  }
  const list = entry.hooks;
  const at = list.length;
  list.push({ nr, name, fn: hook });
  return () => {
    list[at] = null;
  };
}

/** t.retain_grad() on a non-leaf: a pre-hook of its grad_fn that keeps the gradient as it arrives there. */
export function retainGradHook(t: Tensor): void {
  (t.gradFn!.hooks ??= []).push({ kind: 'retain', nr: t.outputNr, tensor: t });
}

/** grad_fn.register_prehook(hook): hook(grad_outputs) may return new grad_outputs. Returns the remover. */
export function registerNodePreHook(node: GradNode, name: string, fn: (grads: (Tensor | null)[]) => (Tensor | null)[] | null): () => void {
  const entry: PreHook = { kind: 'node', name, fn };
  (node.hooks ??= []).push(entry);
  return () => {
    entry.fn = null;
  };
}

/** grad_fn.register_hook(hook): hook(grad_inputs, grad_outputs) may return new grad_inputs. Returns the remover. */
export function registerNodePostHook(node: GradNode, name: string, fn: NonNullable<PostHook['fn']>): () => void {
  const entry: PostHook = { name, fn };
  (node.postHooks ??= []).push(entry);
  return () => {
    entry.fn = null;
  };
}

// A node that received no gradient at all (every incoming edge had none) does not run; its own
// dependents still have to be released so the rest of the graph can go on.
function skipBranch(node: GradNode, deps: number[], queue: ReadyQueue, buffers: (Tensor | undefined)[], multi: ((Tensor | undefined)[] | undefined)[]): void {
  for (const e of node.next) {
    if (!e.node) continue;
    const ti = e.node.bwIndex;
    const c = --deps[ti];
    if (c === 0) {
      if (buffers[ti] !== undefined || multi[ti] !== undefined) queue.push(e.node);
      else skipBranch(e.node, deps, queue, buffers, multi);
    }
  }
}

/** A multi-output node's buffer as one entry per output, null where no gradient arrived. */
function outputGrads(node: GradNode, buffer: (Tensor | undefined)[]): (Tensor | null)[] {
  return node.outputs!.map((_, k) => buffer[k] ?? null);
}

/**
 * Runs a multi-output node: its op's backward over every output's gradient, or else the sum of each output op's
 * own backward (an output without a gradient adds nothing, PyTorch's zeros), then validate_outputs.
 */
function runMulti(node: GradNode, grads: (Tensor | null)[], createGraph: boolean): (Tensor | null)[] {
  const op = node.op!;
  if (node.released && op.saves.length) throw runtimeError(FREED_GRAPH_MESSAGE);
  if (op.saves.length) checkVersions(node);
  if (node.packed) return withUnpacked(node, () => runMultiOn(node, op, grads, createGraph));
  return runMultiOn(node, op, grads, createGraph);
}

function runMultiOn(node: GradNode, op: OpDef, grads: (Tensor | null)[], createGraph: boolean): (Tensor | null)[] {
  const ctx = node.ctx!;
  const needs = needsOf(node);
  const def = op.multi;
  let raw: (Tensor | null)[];
  if (def?.backward && !createGraph) raw = def.backward(grads, ctx, node.outputs!, needs);
  else if (def?.recordedBackward && createGraph) raw = def.recordedBackward(grads, ctx, node.outputs!, needs);
  else {
    raw = new Array<Tensor | null>(ctx.inputs.length).fill(null);
    node.outputs!.forEach((part, k) => {
      const g = grads[k];
      if (!g) return;
      const r = createGraph ? recordingBackwardOf(node.name, part.op, part.ctx, g, needs) : part.op.backward(g, part.ctx, needs);
      r.forEach((x, i) => {
        if (x) raw[i] = raw[i] ? addInto(raw[i]!, x, createGraph) : x;
      });
    });
  }
  return fitAll(node, raw, createGraph);
}

const NO_GRADS: (Tensor | null)[] = [];

/** Runs one node: the op's backward formula, then PyTorch's validate_outputs (sum to shape, cast dtype). */
/** Anomaly mode (torch.autograd.set_detect_anomaly(True)): a node whose gradients hold a NaN stops backward, in PyTorch's words. */
function checkNan(node: GradNode, grads: (Tensor | null)[]): void {
  grads.forEach((g, k) => {
    if (g === null) return;
    const d = g.data;
    for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) throw runtimeError(`Function '${node.name}' returned nan values in its ${k}th output.`);
  });
}

function runNode(node: GradNode, grad: Tensor, createGraph: boolean): (Tensor | null)[] {
  const op = node.op;
  if (!op) return NO_GRADS;
  if (node.released && op.saves.length) throw runtimeError(FREED_GRAPH_MESSAGE);
  if (op.saves.length) checkVersions(node);
  const needs = needsOf(node);
  // A node whose saved tensors went through saved_tensors_hooks reads them through unpack (see ./saved).
  if (node.packed) return fitAll(node, withUnpacked(node, () => computeNode(node, op, grad, needs, createGraph)), createGraph);
  return fitAll(node, computeNode(node, op, grad, needs, createGraph), createGraph);
}

function computeNode(node: GradNode, op: OpDef, grad: Tensor, needs: boolean[], createGraph: boolean): (Tensor | null)[] {
  return createGraph ? recordingBackward(node, grad, needs) : op.backward(grad, node.ctx!, needs);
}

/** Per op input: whether an edge needs its gradient. */
function needsOf(node: GradNode): boolean[] {
  const needs = new Array<boolean>(node.ctx!.inputs.length).fill(false);
  for (let k = 0; k < node.next.length; k++) if (node.next[k].node !== null && node.slots[k] >= 0) needs[node.slots[k]] = true;
  return needs;
}

/** PyTorch's validate_outputs: each input's gradient summed to its shape and cast to its dtype, per next edge. */
function fitAll(node: GradNode, raw: (Tensor | null)[], createGraph: boolean): (Tensor | null)[] {
  const next = node.next;
  const slots = node.slots;
  const out = new Array<Tensor | null>(next.length);
  for (let k = 0; k < next.length; k++) {
    const slot = slots[k];
    const g = slot >= 0 ? raw[slot] : null;
    if (!next[k].node || !g) {
      out[k] = null;
      continue;
    }
    const meta = node.inputMeta(k);
    out[k] = meta ? fitGrad(g, meta.shape, meta.dtype, createGraph) : g;
  }
  return out;
}

function checkVersions(node: GradNode): void {
  const ctx = node.ctx!;
  const names = node.op!.inputs;
  const saves = node.op!.saves;
  const inputs = ctx.inputs;
  const modified = (t: Tensor, owner: string | null, outputNr: number, expected: number) => runtimeError(
    `one of the variables needed for gradient computation has been modified by an inplace operation: [${legacy(t)} [${t.shape.join(', ')}]]` +
      (owner !== null ? `, which is output ${outputNr} of ${owner},` : '') +
      ` is at version ${t.version.v}; expected version ${expected} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
  );
  const needed = neededSaves(node);
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    const savedName = names[i] ?? names[names.length - 1];
    if (!saves.includes(savedName) || (needed !== null && !needed.has(savedName))) continue;
    // A saved input is named by its grad_fn now (after an in-place op, that op's).
    // Node::name() of CopySlices (x[i] = v) is its C++ name, as the message shows it.
    // A view whose base was modified since has its grad_fn regenerated when read, as AsStridedBackward0.
    const owner = t.gradFn
      ? t.gradFn.name === 'CopySlices' ? 'torch::autograd::CopySlices' : t.viewOf && t.gradFn.name !== 'AsStridedBackward0' ? 'AsStridedBackward0' : t.gradFn.name
      : null;
    if (t.version.v !== node.savedVersions[i]) throw modified(t, owner, t.outputNr, node.savedVersions[i]);
  }
  // A saved output is named by the node that saved it (PyTorch's SavedVariable for an output).
  if (node.savedResultVersion >= 0 && (needed === null || needed.has('result')) && ctx.result.version.v !== node.savedResultVersion) {
    throw modified(ctx.result, node.name, 0, node.savedResultVersion);
  }
}

/** A tensor's metadata in a formula (`self.sizes()`): PyTorch saves the sizes, not the tensor. */
const METADATA_USE = /\b\w+\.(?:sizes|sym_sizes|dim|numel|options|scalar_type)\(\)/g;

/**
 * The saved values PyTorch actually saved for this node: those the formulas of the inputs that need a gradient
 * read (mul saves `self` only when `other` requires grad, so modifying `self` in place is fine otherwise).
 * Null when a formula is missing (then every saved value counts).
 */
function neededSaves(node: GradNode): Set<string> | null {
  const op = node.op!;
  const needed = new Set<string>();
  for (let k = 0; k < node.next.length; k++) {
    if (node.next[k].node === null || node.slots[k] < 0) continue;
    const name = op.inputs[node.slots[k]] ?? op.inputs[op.inputs.length - 1];
    const formula = op.formulas[name];
    if (formula === undefined) return null;
    const used = formula.replace(METADATA_USE, '');
    for (const s of op.saves) if (new RegExp(`\\b${s}\\b`).test(used)) needed.add(s);
  }
  return needed;
}

setNeededSaves(neededSaves);

const legacy = (t: Tensor): string => legacyTypeName(t.dtype);

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
    // A fresh tensor that never aliases a buffer the engine or another leaf holds: the incoming gradient's own
    // storage when backward allocated it and no other leaf took it (PyTorch's AccumulateGrad steals it too),
    // otherwise a copy. Measured on a ResNet-18 step: 4-15% faster than copying every .grad (47 MB).
    const src = toDtypeRaw(g, leaf.dtype);
    leaf.grad = new Tensor(keepStorage(src.data) ? src.data : copyStorage(src.data), leaf.shape.slice(), leaf.dtype);
    if (emitting) announceGrad(leaf, summarize(g));
  }
  if (emitting) {
    const incoming = summarize(g);
    // A fresh .grad holds exactly the incoming gradient: one summary serves both.
    engine.events.emit({ type: 'accumulate', node: node.id, tensor: leaf.id, incoming, total: accumulated ? summarize(leaf.grad) : incoming, accumulated, pos: engine.pos });
  }
}

/**
 * AccumulateGrad under create_graph (grad mode on): a new .grad is a recorded copy of the gradient, and a
 * second one is added out of place (variable.grad + new_grad), so .grad keeps its graph.
 */
function accumulateRecorded(node: GradNode, incoming: Tensor, emitting: boolean): void {
  const leaf = node.variable!;
  const g = fitGrad(incoming, leaf.shape, leaf.dtype, true);
  const accumulated = leaf.grad !== null;
  // Recorded ops like the formulas' (see runBackward): drawn, since .grad now has a graph.
  leaf.grad = accumulated ? add(leaf.grad!, g) : apply(copyBackwardsOp, [g], {});
  if (emitting) {
    if (!accumulated) announceGrad(leaf, summarize(g));
    const value = summarize(g);
    engine.events.emit({ type: 'accumulate', node: node.id, tensor: leaf.id, incoming: value, total: accumulated ? summarize(leaf.grad) : value, accumulated, pos: engine.pos });
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
