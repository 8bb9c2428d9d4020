// Where the stepper is: pure functions of (run, segment, position). Position 0 is before the segment's
// first step; position k shows the run just after step k (and whatever the engine reported with it).
import type { ValueSummary } from '../../engine/events';
import type { BackwardRec, ExecRec, RunModel, Segment, Step, TensorRec } from './types';
// Only the type: the store knows nothing of React or of the language.
import type { Tr } from '../i18n';

export interface Frame {
  segment: Segment;
  position: number;
  total: number;
  /** Events with seq <= this are visible. */
  seq: number;
  step: Step | null;
  /** Forward ops, the backward pass, or in-place updates (w -= lr * w.grad, optimizer.step()). */
  phase: 'forward' | 'backward' | 'update';
  /** 1-based index within its phase, 0 at the start. */
  phaseIndex: number;
  phaseTotal: number;
  activeTensor: number | null;
  activeGradNode: number | null;
  exec: ExecRec | null;
  backward: BackwardRec | null;
}

export function clampPosition(seg: Segment, position: number): number {
  return Math.max(0, Math.min(seg.steps.length, Math.round(position)));
}

export function seqAt(seg: Segment, position: number): number {
  if (seg.steps.length === 0) return seg.endSeq;
  if (position <= 0) return seg.steps[0].seq - 1;
  if (position >= seg.steps.length) return seg.endSeq;
  return seg.steps[position].seq - 1;
}

const phaseOf = (s: Step): Frame['phase'] => (s.kind === 'forward' ? 'forward' : s.kind === 'backward' ? 'backward' : 'update');

export function frameAt(run: RunModel, segmentIndex: number, position: number): Frame {
  const segment = run.segments[segmentIndex] ?? run.segments[0];
  const pos = clampPosition(segment, position);
  const step = pos > 0 ? segment.steps[pos - 1] : null;
  const phase: Frame['phase'] = step ? phaseOf(step) : segment.steps.length ? phaseOf(segment.steps[0]) : 'forward';
  const inPhase = (s: Step) => phaseOf(s) === phase;
  const phaseTotal = segment.steps.filter(inPhase).length;
  const phaseIndex = segment.steps.slice(0, pos).filter(inPhase).length;
  let activeTensor: number | null = null;
  let activeGradNode: number | null = null;
  let exec: ExecRec | null = null;
  let backward: BackwardRec | null = null;
  if (step?.kind === 'forward') activeTensor = run.ops[step.op].tensor;
  else if (step?.kind === 'inplace') activeTensor = run.inplaces[step.inplace].tensor;
  else if (step?.kind === 'backward') {
    backward = run.backwards[step.backward];
    exec = backward.execs[step.exec];
    activeGradNode = exec.exec.node;
    activeTensor = exec.exec.tensor;
  }
  return {
    segment,
    position: pos,
    total: segment.steps.length,
    seq: seqAt(segment, pos),
    step,
    phase,
    phaseIndex,
    phaseTotal,
    activeTensor,
    activeGradNode,
    exec,
    backward,
  };
}

/** The text of the role=status element: "Backward step 3 of 6", in English unless given the UI's translator. */
export function statusText(f: Frame, t: Tr = (en, ...args) => en.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))): string {
  const [i, n] = [f.phaseIndex, f.phaseTotal];
  if (f.phase === 'forward') return t('Forward step {0} of {1}', i, n);
  return f.phase === 'backward' ? t('Backward step {0} of {1}', i, n) : t('Update step {0} of {1}', i, n);
}

/** The tensor's value as of `seq` (in-place updates make later versions). */
export function valueAt(t: TensorRec, seq: number): ValueSummary | null {
  let v: ValueSummary | null = null;
  for (const x of t.values) if (x.seq <= seq) v = x.value;
  return v;
}

/** The leaf's .grad as of `seq`. */
export function gradAt(t: TensorRec, seq: number): ValueSummary | null {
  let g: ValueSummary | null = null;
  for (const x of t.grads) if (x.seq <= seq) g = x.grad;
  return g;
}

// Note: the canvas asks for every node's execution on every frame; indexing each segment's executions
// by grad node once (per run model, which is immutable) keeps a step on a ResNet-size graph cheap.
const execIndex = new WeakMap<RunModel, Map<number, Map<number, ExecRec[]>>>();

function execsByNode(run: RunModel, seg: Segment): Map<number, ExecRec[]> {
  let perRun = execIndex.get(run);
  if (!perRun) execIndex.set(run, (perRun = new Map()));
  let m = perRun.get(seg.index);
  if (!m) {
    m = new Map();
    for (const b of seg.backwards)
      for (const x of run.backwards[b].execs) {
        const list = m.get(x.exec.node);
        if (list) list.push(x);
        else m.set(x.exec.node, [x]);
      }
    perRun.set(seg.index, m);
  }
  return m;
}

/** The latest execution of a grad node within the segment up to `seq`. */
export function execOf(run: RunModel, seg: Segment, gradNode: number, seq: number): ExecRec | null {
  const list = execsByNode(run, seg).get(gradNode);
  if (!list) return null;
  let found: ExecRec | null = null;
  for (const x of list) {
    if (x.seq > seq) break;
    found = x;
  }
  return found;
}

const accIndex = new WeakMap<RunModel, Map<number, number>>();

/** The AccumulateGrad node of a leaf, if autograd made one. */
export function accumulatorOf(run: RunModel, leaf: number): number | null {
  let m = accIndex.get(run);
  if (!m) {
    m = new Map();
    for (const g of Object.values(run.gradNodes)) if (g.name === 'AccumulateGrad' && g.tensor !== null) m.set(g.tensor, g.id);
    accIndex.set(run, m);
  }
  return m.get(leaf) ?? null;
}

/**
 * The gradient shown on a tensor at `seq`: a leaf's .grad, else the gradient its grad_fn received
 * in this segment's backward pass (not kept by PyTorch in .grad, but what flowed through it).
 */
export function tensorGradAt(run: RunModel, seg: Segment, t: TensorRec, seq: number): ValueSummary | null {
  if (t.kind === 'leaf') return gradAt(t, seq);
  if (t.gradFn === null) return null;
  const x = execOf(run, seg, t.gradFn, seq);
  return x ? gradOfOutput(x.exec, t.id) : null;
}

/**
 * The gradient a node's run received at the output that is `tensor`: its gradOutput, or for a node with several
 * outputs (chunk's SplitBackward0, std_mean's) that output's own (null where none arrived).
 */
export function gradOfOutput(exec: ExecRec['exec'], tensor: number | null): ValueSummary | null {
  if (!exec.outputs) return exec.gradOutput;
  return exec.outputs.find((o) => o.tensor === tensor)?.value ?? null;
}
