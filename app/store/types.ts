// View-state types: what the reducer builds from the engine's events.
// Note: records are plain JSON-like objects keyed by the engine's ids, so a run can be replayed,
// snapshotted in tests and compared with toEqual; nothing here refers to React or the DOM.
import type {
  AccumulateEvent,
  GradNodeInfo,
  NodeExecEvent,
  OpInput,
  SourcePos,
  ValueSummary,
} from '../../engine/events';

export interface ValueVersion {
  /** Sequence number of the event that set this value (creation, op, in-place update). */
  seq: number;
  value: ValueSummary;
}

export interface GradVersion {
  /** The seq from which this .grad is visible (an accumulate is shown with its AccumulateGrad step). */
  seq: number;
  grad: ValueSummary | null;
  accumulated: boolean;
}

export interface TensorRec {
  id: number;
  /** The first Python name the program bound to this tensor. */
  name: string | null;
  kind: 'leaf' | 'op';
  /** Creation function for leaves ('tensor', 'zeros', 'parameter', ...). */
  origin?: string;
  /** For op outputs: the index into RunModel.ops. */
  opIndex?: number;
  requiresGrad: boolean;
  /** True once the program set requires_grad = False on it (a frozen parameter). */
  frozen: boolean;
  gradFn: number | null;
  pos?: SourcePos;
  seq: number;
  segment: number;
  /** Module path active when it was made ('' outside modules). */
  module: string;
  /** The innermost module call it was made in (index into RunModel.modules), if any. */
  call?: number;
  values: ValueVersion[];
  grads: GradVersion[];
}

export interface OpRec {
  index: number;
  seq: number;
  tensor: number;
  op: string;
  label: string;
  inputs: OpInput[];
  attrs: Record<string, unknown>;
  gradFn: GradNodeInfo | null;
  recorded: boolean;
  requiresGrad: boolean;
  /** False under torch.no_grad(). */
  gradMode: boolean;
  pos?: SourcePos;
  segment: number;
  module: string;
  /** A no_grad temporary that only feeds an in-place update: drawn inside that update's node. */
  foldedInto?: number;
  /** The innermost module call (index into RunModel.modules) the op ran in, if any. */
  call?: number;
}

export interface InplaceRec {
  index: number;
  seq: number;
  tensor: number;
  op: string;
  label: string;
  other: number | null;
  recorded: boolean;
  gradMode: boolean;
  version: number;
  value: ValueSummary;
  pos?: SourcePos;
  segment: number;
  /** Ops folded into this update (the no_grad `lr * w.grad` of `w -= lr * w.grad`). */
  folded: number[];
  /** The module call it ran in (a ReLU(inplace=True) under no_grad), as OpRec's. */
  call?: number;
}

export interface GradNodeRec {
  id: number;
  name: string;
  next: GradNodeInfo['next'];
  /** The forward tensor whose grad_fn this is; for AccumulateGrad, the leaf. */
  tensor: number | null;
  /** The op that created it (null for AccumulateGrad). */
  opIndex: number | null;
  segment: number;
}

export interface ExecRec {
  seq: number;
  backward: number;
  exec: Omit<NodeExecEvent, 'type'>;
  accumulates: AccumulateEvent[];
}

export interface BackwardRec {
  index: number;
  seq: number;
  endSeq: number | null;
  root: number;
  rootNode: number;
  seed: ValueSummary;
  retainGraph: boolean;
  order: number[];
  execs: ExecRec[];
  /** Accumulate events reported before their node-exec, waiting to be attached to it. */
  pending: AccumulateEvent[];
  segment: number;
  pos?: SourcePos;
}

export type Step =
  | { kind: 'forward'; seq: number; op: number }
  | { kind: 'inplace'; seq: number; inplace: number }
  | { kind: 'backward'; seq: number; backward: number; exec: number };

export interface Segment {
  index: number;
  kind: 'main' | 'iteration' | 'after-loop';
  loop?: SourcePos;
  /** The engine's iteration index (0-based, as `range` counts). */
  iteration?: number;
  /** The loop variable's value in this iteration, when it is a plain int (`t = 41`). */
  binding?: { name: string; value: number };
  /** How many loops run around the segment's loop (the engine's iteration depth); unset for runs without it. */
  depth?: number;
  /** The enclosing loop's iteration, for a nested loop's entries (`epoch = 1 · Iteration 3`). */
  outer?: { iteration?: number; binding?: { name: string; value: number } };
  startSeq: number;
  endSeq: number;
  ops: number[];
  inplaces: number[];
  backwards: number[];
  /** Tensors created (leaves) in this segment. */
  created: number[];
  steps: Step[];
}

export interface PrintRec {
  seq: number;
  text: string;
  segment: number;
}

export interface RunError {
  type: string;
  message: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface ModuleRec {
  /** Index in RunModel.modules: one record per call (a ReLU used twice in a block has two). */
  index: number;
  seq: number;
  /** Seq of the module-exit event (null while the call is running). */
  endSeq: number | null;
  path: string;
  kind: string;
  frozen: boolean;
  segment: number;
  /** The enclosing call, or null for the outermost module. */
  parent: number | null;
  /** The output tensor of the call, when it returned one. */
  output?: number;
}

export interface RunModel {
  /** The program text the events' positions refer to (used to find where a loop's body ends). */
  source: string;
  tensors: Record<number, TensorRec>;
  ops: OpRec[];
  inplaces: InplaceRec[];
  gradNodes: Record<number, GradNodeRec>;
  backwards: BackwardRec[];
  segments: Segment[];
  prints: PrintRec[];
  modules: ModuleRec[];
  error: RunError | null;
  gradEnabled: boolean;
  /** Stack of module paths currently entered. */
  moduleStack: string[];
  /** The same stack as indices into `modules` (which call of a module path). */
  callStack: number[];
  lastSeq: number;
  eventCount: number;
}
