// The pure reducer: batches of engine events in, the run's view model out. Tested without React.
//
// Note: copy-on-write per batch. Containers (the maps and arrays of the model) are copied once per
// batch and a record is copied the first time the batch touches it, so `reduceRun(prev, batch)` never
// mutates `prev` and replaying the same events always yields an equal model.
import type { GraphEvent, SourcePos } from '../../engine/events';
import type { BackwardRec, ExecRec, GradNodeRec, RunModel, Segment, TensorRec } from './types';

export function emptyRun(source = ''): RunModel {
  return {
    source,
    tensors: {},
    ops: [],
    inplaces: [],
    gradNodes: {},
    backwards: [],
    segments: [newSegment(0, 'main', 0)],
    prints: [],
    modules: [],
    error: null,
    gradEnabled: true,
    moduleStack: [],
    callStack: [],
    lastSeq: 0,
    eventCount: 0,
  };
}

function newSegment(index: number, kind: Segment['kind'], seq: number, loop?: SourcePos, iteration?: number, binding?: Segment['binding'], depth?: number): Segment {
  const s: Segment = { index, kind, startSeq: seq, endSeq: seq, ops: [], inplaces: [], backwards: [], created: [], steps: [] };
  if (loop) s.loop = loop;
  if (iteration !== undefined) s.iteration = iteration;
  if (binding) s.binding = { ...binding };
  if (depth !== undefined) s.depth = depth;
  return s;
}

/** Replays a whole run (tests, and the store when a run is loaded at once). */
export function buildRun(events: readonly GraphEvent[], source = ''): RunModel {
  return reduceRun(emptyRun(source), events);
}

export function reduceRun(prev: RunModel, batch: readonly GraphEvent[]): RunModel {
  if (batch.length === 0) return prev;
  const m: RunModel = {
    ...prev,
    tensors: { ...prev.tensors },
    ops: prev.ops.slice(),
    inplaces: prev.inplaces.slice(),
    gradNodes: { ...prev.gradNodes },
    backwards: prev.backwards.slice(),
    segments: prev.segments.slice(),
    prints: prev.prints.slice(),
    modules: prev.modules.slice(),
    moduleStack: prev.moduleStack.slice(),
    callStack: (prev.callStack ?? []).slice(),
  };
  const touchedTensors = new Set<number>();
  const touchedSegments = new Set<number>();
  const touchedBackwards = new Set<number>();

  const tensor = (id: number): TensorRec | undefined => {
    const t = m.tensors[id];
    if (!t) return undefined;
    if (touchedTensors.has(id)) return t;
    touchedTensors.add(id);
    const copy = { ...t, values: t.values.slice(), grads: t.grads.slice() };
    m.tensors[id] = copy;
    return copy;
  };
  const segment = (): Segment => {
    const i = m.segments.length - 1;
    if (!touchedSegments.has(i)) {
      touchedSegments.add(i);
      const s = m.segments[i];
      m.segments[i] = {
        ...s,
        ops: s.ops.slice(),
        inplaces: s.inplaces.slice(),
        backwards: s.backwards.slice(),
        created: s.created.slice(),
        steps: s.steps.slice(),
      };
    }
    return m.segments[i];
  };
  const backward = (i: number): BackwardRec => {
    if (!touchedBackwards.has(i)) {
      touchedBackwards.add(i);
      const b = m.backwards[i];
      m.backwards[i] = { ...b, execs: b.execs.slice() };
    }
    return m.backwards[i];
  };
  const openBackward = (): number | null => {
    const i = m.backwards.length - 1;
    return i >= 0 && m.backwards[i].endSeq === null ? i : null;
  };
  const moduleNow = () => m.moduleStack[m.moduleStack.length - 1] ?? '';
  const callNow = (): { call?: number } => (m.callStack.length ? { call: m.callStack[m.callStack.length - 1] } : {});
  /** A new tensor record: where and when it was made, its first value, no grads yet. */
  const newTensor = (
    e: { tensor: number; requiresGrad: boolean; pos?: GraphEvent['pos']; seq: number; value: TensorRec['values'][number]['value'] },
    fields: Pick<TensorRec, 'kind' | 'gradFn'> & Partial<TensorRec>,
  ): TensorRec => ({
    id: e.tensor,
    name: null,
    requiresGrad: e.requiresGrad,
    frozen: false,
    pos: e.pos,
    seq: e.seq,
    segment: segment().index,
    module: moduleNow(),
    ...callNow(),
    values: [{ seq: e.seq, value: e.value }],
    grads: [],
    ...fields,
  });

  for (const e of batch) {
    m.eventCount++;
    m.lastSeq = e.seq;
    maybeLeaveLoop(m, e, touchedSegments);
    const seg = segment();
    seg.endSeq = e.seq;
    switch (e.type) {
      case 'tensor': {
        m.tensors[e.tensor] = newTensor(e, { kind: 'leaf', origin: e.origin, gradFn: null });
        touchedTensors.add(e.tensor);
        seg.created.push(e.tensor);
        break;
      }
      case 'op': {
        const index = m.ops.length;
        m.ops.push({
          index,
          seq: e.seq,
          tensor: e.tensor,
          op: e.op,
          label: e.label,
          inputs: e.inputs,
          attrs: e.attrs,
          gradFn: e.gradFn,
          recorded: e.recorded,
          requiresGrad: e.requiresGrad,
          gradMode: m.gradEnabled,
          pos: e.pos,
          segment: seg.index,
          module: moduleNow(),
          ...callNow(),
        });
        m.tensors[e.tensor] = newTensor(e, { kind: 'op', opIndex: index, gradFn: e.gradFn ? e.gradFn.id : null });
        touchedTensors.add(e.tensor);
        // A node with several outputs (chunk's pieces) comes with each of its outputs' op events: its record is the first's.
        if (e.gradFn && !(e.outputNr && m.gradNodes[e.gradFn.id]?.opIndex != null)) {
          const node: GradNodeRec = {
            id: e.gradFn.id,
            name: e.gradFn.name,
            next: e.gradFn.next,
            tensor: e.tensor,
            opIndex: index,
            segment: seg.index,
          };
          m.gradNodes[node.id] = node;
          // The AccumulateGrad nodes of leaf inputs are only ever seen as next_functions: name their leaf here.
          for (const n of e.gradFn.next) {
            if (n.node === null || m.gradNodes[n.node]) continue;
            const input = e.inputs.find((i) => i.slot === n.slot);
            const isAcc = n.name === 'AccumulateGrad';
            m.gradNodes[n.node] = {
              id: n.node,
              name: n.name ?? '?',
              next: [],
              tensor: isAcc && input ? input.tensor : null,
              opIndex: null,
              segment: seg.index,
            };
          }
        }
        seg.ops.push(index);
        seg.steps.push({ kind: 'forward', seq: e.seq, op: index });
        break;
      }
      case 'inplace': {
        const index = m.inplaces.length;
        m.inplaces.push({
          index,
          seq: e.seq,
          tensor: e.tensor,
          op: e.op,
          label: e.label,
          other: e.other,
          recorded: e.recorded,
          gradMode: m.gradEnabled,
          version: e.version,
          value: e.value,
          pos: e.pos,
          segment: seg.index,
          folded: e.other !== null && !e.recorded ? foldTemporaries(m, seg, e.other, index) : [],
          ...callNow(),
        });
        tensor(e.tensor)?.values.push({ seq: e.seq, value: e.value });
        seg.inplaces.push(index);
        seg.steps.push({ kind: 'inplace', seq: e.seq, inplace: index });
        break;
      }
      case 'bind': {
        const t = tensor(e.tensor);
        if (t && t.name === null) t.name = e.name;
        break;
      }
      case 'requires-grad': {
        const t = tensor(e.tensor);
        if (t) {
          t.requiresGrad = e.requiresGrad;
          t.frozen = !e.requiresGrad;
        }
        break;
      }
      case 'grad-set': {
        tensor(e.tensor)?.grads.push({ seq: e.seq, grad: e.grad, accumulated: false });
        break;
      }
      case 'backward-begin': {
        const index = m.backwards.length;
        m.backwards.push({
          index,
          seq: e.seq,
          endSeq: null,
          root: e.root,
          rootNode: e.rootNode,
          seed: e.seed,
          retainGraph: e.retainGraph,
          order: e.order,
          execs: [],
          pending: [],
          segment: seg.index,
          pos: e.pos,
        });
        touchedBackwards.add(index);
        seg.backwards.push(index);
        break;
      }
      case 'node-exec': {
        const bi = openBackward();
        if (bi === null) break;
        const b = backward(bi);
        const { type: _type, ...exec } = e;
        const early = b.pending.filter((a) => a.node === e.node);
        if (early.length) b.pending = b.pending.filter((a) => a.node !== e.node);
        const rec: ExecRec = { seq: e.seq, backward: bi, exec, accumulates: early };
        b.execs.push(rec);
        seg.steps.push({ kind: 'backward', seq: e.seq, backward: bi, exec: b.execs.length - 1 });
        // An accumulate the engine reported before its node-exec is shown with this step.
        const t = m.tensors[e.tensor];
        if (t && t.grads.some((g) => g.seq > e.seq)) {
          const tt = tensor(e.tensor)!;
          tt.grads = tt.grads.map((g) => (g.seq > e.seq ? { ...g, seq: e.seq } : g));
        }
        break;
      }
      case 'accumulate': {
        const bi = openBackward();
        let shownAt = e.seq;
        if (bi !== null) {
          const b = backward(bi);
          const k = findLastIndex(b.execs, (x) => x.exec.node === e.node);
          if (k >= 0) {
            b.execs[k] = { ...b.execs[k], accumulates: [...b.execs[k].accumulates, e] };
          } else {
            // Reported before its node-exec (the node runs, then reports): shown with that step.
            b.pending = [...b.pending, e];
            shownAt = Number.MAX_SAFE_INTEGER;
          }
        }
        tensor(e.tensor)?.grads.push({ seq: shownAt, grad: e.total, accumulated: e.accumulated });
        break;
      }
      case 'backward-end': {
        const bi = openBackward();
        if (bi !== null) backward(bi).endSeq = e.seq;
        break;
      }
      case 'graph-freed':
        break;
      case 'grad-mode':
        m.gradEnabled = e.enabled;
        break;
      case 'optimizer-step':
        break;
      case 'print':
        m.prints.push({ seq: e.seq, text: e.text, segment: seg.index });
        break;
      case 'iteration': {
        const nothing = !seg.ops.length && !seg.created.length && !seg.inplaces.length && !seg.backwards.length;
        const printed = m.prints.some((p) => p.segment === seg.index);
        const nested = e.depth !== undefined && seg.depth !== undefined && e.depth > seg.depth;
        // A loop inside an iteration that has already run its backward pass (the tutorial's
        // `for param in model.parameters(): param -= lr * param.grad`, d2l's sgd helper) is part of that
        // iteration's step: its iterations are not entries of their own.
        if (nested && seg.kind === 'iteration' && seg.backwards.length > 0) break;
        const empty = nothing && (seg.kind !== 'iteration' || (!printed && ((seg.loop !== undefined && sameLoop(seg.loop, e.loop)) || nested)));
        // The enclosing loop's iteration, for the entry's name (`epoch = 1 · Iteration 3`).
        const outer = nested && seg.kind === 'iteration' ? { iteration: seg.iteration, binding: seg.binding } : seg.kind === 'iteration' && seg.loop && sameLoop(seg.loop, e.loop) && seg.depth === e.depth ? seg.outer : undefined;
        let made: Segment;
        if (empty) {
          // Note: an iteration that drew nothing (`for p in model.parameters(): p.requires_grad = False`)
          // is replaced by the next one, so such a loop leaves one segment, not one per parameter.
          // Nothing drawable before the loop (imports only): the first iteration replaces the segment.
          // An outer iteration that drew nothing before its inner loop (`for epoch ...: for X, y in ...`)
          // gives way to the inner loop's first iteration.
          made = m.segments[seg.index] = newSegment(seg.index, 'iteration', seg.startSeq, e.loop, e.index, e.binding, e.depth);
        } else {
          made = newSegment(m.segments.length, 'iteration', e.seq, e.loop, e.index, e.binding, e.depth);
          m.segments.push(made);
          touchedSegments.add(made.index);
        }
        if (outer && (outer.iteration !== undefined || outer.binding)) made.outer = outer;
        break;
      }
      case 'loop-end': {
        // The loop whose iteration is the current entry ended: what follows is "after the loop" (an
        // enclosing loop's next iteration replaces that entry if nothing is drawn in it). A loop over an
        // iterator reports one iteration more, the fetch that found it exhausted: an empty one goes first.
        const of = (s: Segment | undefined) => s !== undefined && s.kind === 'iteration' && s.loop !== undefined && sameLoop(s.loop, e.loop) && s.depth === e.depth;
        let cur = seg;
        if (of(cur) && drewNothing(m, cur) && of(m.segments[cur.index - 1])) {
          m.segments.pop();
          cur = m.segments[m.segments.length - 1];
        }
        if (of(cur)) leaveLoop(m, cur, e.seq, e.depth - 1, touchedSegments);
        break;
      }
      case 'module-enter': {
        const index = m.modules.length;
        const parent = m.callStack.length ? m.callStack[m.callStack.length - 1] : null;
        m.moduleStack.push(e.path);
        m.callStack.push(index);
        m.modules.push({ index, seq: e.seq, endSeq: null, path: e.path, kind: e.kind, frozen: e.frozen, segment: seg.index, parent });
        break;
      }
      case 'module-exit': {
        m.moduleStack.pop();
        const index = m.callStack.pop();
        if (index !== undefined) {
          const rec = { ...m.modules[index], endSeq: e.seq };
          if (e.output !== undefined) rec.output = e.output;
          m.modules[index] = rec;
        }
        break;
      }
      case 'error':
        m.error = {
          type: e.errorType,
          message: e.message,
          line: e.pos?.line ?? 0,
          col: e.pos?.col ?? 0,
          endLine: e.pos?.endLine,
          endCol: e.pos?.endCol,
        };
        break;
    }
  }
  return m;
}

/**
 * Note: `w -= lr * w.grad` under no_grad runs a mul (not recorded) and then the in-place sub. Drawn
 * apart, every iteration of a training loop grows a tangle of unrecorded temporaries; folded into the
 * update's node (and out of the timeline), the update reads as one statement. Only no_grad ops of the
 * same segment are folded, following their inputs back.
 */
function foldTemporaries(m: RunModel, seg: Segment, tensorId: number, into: number): number[] {
  const t = m.tensors[tensorId];
  if (!t || t.kind !== 'op' || t.segment !== seg.index || t.opIndex === undefined) return [];
  const op = m.ops[t.opIndex];
  if (op.gradMode || op.recorded || op.foldedInto !== undefined) return [];
  m.ops[op.index] = { ...op, foldedInto: into };
  seg.steps = seg.steps.filter((s) => !(s.kind === 'forward' && s.op === op.index));
  seg.ops = seg.ops.filter((i) => i !== op.index);
  const inner = op.inputs.flatMap((i) => (i.tensor !== null ? foldTemporaries(m, seg, i.tensor, into) : []));
  return [...inner, op.index];
}

/**
 * Events positioned after the end of the loop whose iteration is the current segment start an
 * "after the loop" segment. The loop's extent is its body's indented block in the source (the
 * engine's loop position covers the `for` header only).
 */
function maybeLeaveLoop(m: RunModel, e: GraphEvent, touched: Set<number>): void {
  if (e.type === 'iteration' || e.type === 'loop-end' || !e.pos) return;
  const cur = m.segments[m.segments.length - 1];
  // The engine says where its loops end (loop-end events): the source lines are only for runs without them.
  if (cur.kind !== 'iteration' || !cur.loop || cur.depth !== undefined) return;
  const end = loopEndLine(m.source, cur.loop);
  if (end === null) return;
  if (e.pos.line >= cur.loop.line && e.pos.line <= end) return;
  leaveLoop(m, cur, e.seq, undefined, touched);
}

function drewNothing(m: RunModel, s: Segment): boolean {
  return !s.ops.length && !s.created.length && !s.inplaces.length && !s.backwards.length && !m.prints.some((p) => p.segment === s.index);
}

function leaveLoop(m: RunModel, cur: Segment, seq: number, depth: number | undefined, touched: Set<number>): void {
  if (drewNothing(m, cur)) {
    // A loop that drew nothing (freezing parameters) leaves no segment of its own: what follows continues the one before.
    if (cur.index > 0) m.segments.pop();
    else {
      m.segments[0] = newSegment(0, 'main', cur.startSeq);
      touched.add(0);
    }
    return;
  }
  const s = newSegment(m.segments.length, 'after-loop', seq, cur.loop, undefined, undefined, depth);
  if (cur.outer) s.outer = cur.outer;
  m.segments.push(s);
  touched.add(s.index);
}

function sameLoop(a: SourcePos, b: SourcePos): boolean {
  return a.line === b.line && a.col === b.col;
}

function findLastIndex<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i])) return i;
  return -1;
}

/** The last line of a loop: its header's end, else the end of the indented block that follows it. */
export function loopEndLine(source: string, loop: SourcePos): number | null {
  const lines = source.split('\n');
  const header = lines[loop.line - 1];
  if (header === undefined) return loop.endLine !== undefined && loop.endLine > loop.line ? loop.endLine : null;
  const indent = (l: string) => l.length - l.trimStart().length;
  const base = indent(header);
  let last = Math.max(loop.line, loop.endLine ?? loop.line);
  for (let i = last; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    if (indent(l) <= base) break;
    last = i + 1;
  }
  return last;
}
