// The engine's graph events: a typed, JSON-only union with a sequence number.
// Nothing in engine/ calls back into the UI: the app subscribes to this stream in one place.
//
// Note: events carry ids the engine assigns (tensor ids and grad-node ids are separate monotonic
// counters), the source position of the expression that caused them, and values as bounded
// summaries (whole for small tensors). Every field is plain JSON: NaN and ±Infinity inside value
// data are written as the strings 'NaN', 'Infinity', '-Infinity' so that a replay through
// JSON.stringify/parse loses nothing.

export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** 1-based line and column of the program text that produced an event, as Python reports them. */
export interface SourcePos {
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A tensor's value as the UI needs it: whole when small, a bounded summary when large. */
export interface ValueSummary {
  shape: number[];
  dtype: DType;
  numel: number;
  /** Row-major values, present when numel <= SUMMARY_FULL_LIMIT. */
  data?: JsonNumber[];
  /** For larger tensors: a downsampled grid (rows x cols, means of blocks) of the last two dims of the first matrix. */
  grid?: { rows: number; cols: number; data: JsonNumber[] };
  min: JsonNumber;
  max: JsonNumber;
  mean: JsonNumber;
  /** How many elements are NaN or infinite. */
  nonFinite: number;
}

/** One input slot of a recorded op. `tensor` is null for a Python number (a wrapped scalar). */
export interface OpInput {
  slot: number;
  /** The input tensor's id; null when the input is a Python number. */
  tensor: number | null;
  /** The Python number, when the input is one. */
  constant?: JsonNumber;
  requiresGrad: boolean;
}

/** An edge of PyTorch's backward graph: grad_fn.next_functions[slot] = (node, inputNr). */
export interface NextFunction {
  /** Position in next_functions. */
  slot: number;
  /** Which op input (OpInput.slot) this edge is; -1 for a None PyTorch adds for an absent optional input
   * (bias=None). Non-differentiable inputs (an int target, a bool mask) have no edge at all, as in PyTorch. */
  input?: number;
  /** The grad node id, or null where PyTorch shows None (input does not require grad). */
  node: number | null;
  name: string | null;
  inputNr: number;
}

export interface GradNodeInfo {
  id: number;
  /** PyTorch's grad_fn class name, e.g. 'MulBackward0', 'AccumulateGrad'. */
  name: string;
  next: NextFunction[];
  /** For AccumulateGrad: the leaf tensor it accumulates into. */
  variable?: number;
  /**
   * For a node with several outputs (SplitBackward0 of chunk, UnbindBackward0, StdMeanBackward0): the output
   * tensors' ids by output_nr. Each output's op event carries this same node.
   */
  outputs?: number[];
}

interface Base {
  seq: number;
  pos?: SourcePos;
}

/** A tensor made by a creation function (tensor, zeros, randn, load_file...) or a parameter. */
export interface TensorCreatedEvent extends Base {
  type: 'tensor';
  tensor: number;
  /** 'tensor', 'zeros', 'randn', 'load', 'parameter', ... or 'grad' for a .grad made by backward. */
  origin: string;
  /** For origin 'grad': the tensor whose .grad this is. */
  gradOf?: number;
  requiresGrad: boolean;
  isLeaf: true;
  value: ValueSummary;
}

/** An op recorded in the forward pass (also emitted under no_grad, with recorded=false). */
export interface OpEvent extends Base {
  type: 'op';
  /** The output tensor's id. */
  tensor: number;
  /** The op's registry name, e.g. 'mul', 'pow', 'matmul'. */
  op: string;
  /** Short display label, e.g. '*', '**', '@', 'relu'. */
  label: string;
  inputs: OpInput[];
  /** Non-tensor arguments (dims, stride, ...), JSON only. */
  attrs: Record<string, unknown>;
  /** The grad node created for the output, when the op was recorded; null otherwise. */
  gradFn: GradNodeInfo | null;
  /** False under no_grad or when no input requires grad. */
  recorded: boolean;
  requiresGrad: boolean;
  value: ValueSummary;
  /** For an output of a multi-output node (GradNodeInfo.outputs): which output this is (its output_nr). */
  outputNr?: number;
}

/** An in-place update of a tensor (a -= lr * a.grad, zero_(), optimizer updates). */
export interface InplaceEvent extends Base {
  type: 'inplace';
  tensor: number;
  op: string;
  label: string;
  /** The other operand tensor's id, if any. */
  other: number | null;
  /** True when autograd recorded it (never for leaves); false under no_grad. */
  recorded: boolean;
  version: number;
  value: ValueSummary;
}

/** A Python name bound to a tensor by the program (Q = ...), so the forward graph can use it. */
export interface BindEvent extends Base {
  type: 'bind';
  name: string;
  tensor: number;
}

/** A tensor's requires_grad flag changed (p.requires_grad = False, requires_grad_()). */
export interface RequiresGradEvent extends Base {
  type: 'requires-grad';
  tensor: number;
  requiresGrad: boolean;
}

/** A tensor's .grad was set or cleared by the program (a.grad = None, zero_grad()). */
export interface GradSetEvent extends Base {
  type: 'grad-set';
  tensor: number;
  grad: ValueSummary | null;
}

export interface BackwardBeginEvent extends Base {
  type: 'backward-begin';
  /** The tensor backward() was called on. */
  root: number;
  /** Its grad_fn node. */
  rootNode: number;
  /** The seed gradient (ones for a scalar, the `gradient=` argument otherwise). */
  seed: ValueSummary;
  /** The `gradient=` tensor's id, when one was given. */
  seedTensor?: number;
  retainGraph: boolean;
  /** The node ids in the order the engine will execute them. */
  order: number[];
}

/** One contribution to a node's input buffer, from the node that computed it. */
export interface GradContribution {
  from: number | null;
  value: ValueSummary;
  /** For a multi-output node: the output the gradient arrived at. */
  outputNr?: number;
}

/** A backward node ran: it received the (summed) upstream gradient and produced one gradient per input edge. */
export interface NodeExecEvent extends Base {
  type: 'node-exec';
  node: number;
  name: string;
  /** The op that created this node (for AccumulateGrad: 'accumulate'). */
  op: string;
  /** The forward tensor whose grad_fn this node is (for AccumulateGrad: the leaf). */
  tensor: number;
  /**
   * The gradient of the output, i.e. the input buffer: the sum of `contributions`. For a multi-output node,
   * output 0's (zeros where none arrived, as PyTorch's formulas take it); `outputs` has them all.
   */
  gradOutput: ValueSummary;
  /** For a multi-output node: each output's tensor and gradient by output_nr (null where none arrived). */
  outputs?: { tensor: number; value: ValueSummary | null }[];
  /** What each upstream edge contributed (more than one where the tensor fans out). */
  contributions: GradContribution[];
  /**
   * Tensor hooks (register_hook) ran on the gradient before the node: how many, and what they were handed
   * (the sum of `contributions`); `gradOutput` is what the last of them returned. Absent when none ran.
   */
  hooks?: { count: number; before: ValueSummary };
  /**
   * Hooks that ran after the node (grad_fn.register_hook; a module's backward hooks are such hooks of its
   * BackwardHookFunctionBackward nodes): how many, and per next edge what the node itself computed (`gradInputs`
   * is what they left). Absent when none ran.
   */
  postHooks?: { count: number; before: (ValueSummary | null)[] };
  /** The gradient each edge of next_functions receives (null where the input needs no grad); `input` as in NextFunction. */
  gradInputs: { slot: number; input?: number; to: number | null; value: ValueSummary | null }[];
  /** 1-based execution index and total count in this backward pass. */
  step: number;
  total: number;
}

/** A leaf's .grad received a gradient (AccumulateGrad), or a retain_grad() tensor kept its grad. */
export interface AccumulateEvent extends Base {
  type: 'accumulate';
  node: number;
  tensor: number;
  incoming: ValueSummary;
  /** The .grad after accumulation (equal to incoming when .grad was None). */
  total: ValueSummary;
  /** True when .grad already held a value and the incoming gradient was added to it. */
  accumulated: boolean;
}

export interface BackwardEndEvent extends Base {
  type: 'backward-end';
  root: number;
}

/** Saved tensors of these nodes were freed after backward (retain_graph=False). */
export interface GraphFreedEvent extends Base {
  type: 'graph-freed';
  nodes: number[];
}

export interface GradModeEvent extends Base {
  type: 'grad-mode';
  /** False on entering torch.no_grad(), true on leaving it. */
  enabled: boolean;
}

export interface OptimizerStepEvent extends Base {
  type: 'optimizer-step';
  optimizer: string;
  params: number[];
  hyper: Record<string, number | boolean>;
}

/** The interpreter printed a line (print). */
export interface PrintEvent extends Base {
  type: 'print';
  text: string;
}

/** The interpreter began iteration `index` of the loop at `pos`. */
export interface IterationEvent extends Base {
  type: 'iteration';
  loop: SourcePos;
  index: number;
  /** The loop variable, when a for loop binds one plain name to an int (`for t in range(2000)`). */
  binding?: { name: string; value: number };
  /**
   * How many loops run around this one (0 for a loop at the top of the program), counting loops in the
   * functions that called it: a helper's loop over parameters inside the training loop has depth 1.
   */
  depth?: number;
}

/** The loop at `loop` ended (normally, by break, or by an error); `depth` as its iterations had. */
export interface LoopEndEvent extends Base {
  type: 'loop-end';
  loop: SourcePos;
  depth: number;
}

/** A module's forward began or ended: lets the canvas fold the graph by module. */
export interface ModuleEvent extends Base {
  type: 'module-enter' | 'module-exit';
  /** Dotted path from the root module ('' for the root, 'layer1.0', 'fc'). */
  path: string;
  /** Class name: 'ResNet', 'BasicBlock', 'Conv2d', ... */
  kind: string;
  /** For module-exit: the output tensor, if it is one. */
  output?: number;
  frozen: boolean;
}

/** The program failed: a Python-style error with its position. */
export interface ErrorEvent extends Base {
  type: 'error';
  errorType: string;
  message: string;
}

export type GraphEvent =
  | TensorCreatedEvent
  | OpEvent
  | InplaceEvent
  | BindEvent
  | RequiresGradEvent
  | GradSetEvent
  | BackwardBeginEvent
  | NodeExecEvent
  | AccumulateEvent
  | BackwardEndEvent
  | GraphFreedEvent
  | GradModeEvent
  | OptimizerStepEvent
  | PrintEvent
  | IterationEvent
  | LoopEndEvent
  | ModuleEvent
  | ErrorEvent;

export type GraphEventType = GraphEvent['type'];

/** Distributes the Omit over the union so each variant keeps its own fields. */
export type EventBody = GraphEvent extends infer E ? (E extends GraphEvent ? Omit<E, 'seq'> : never) : never;

export type Listener = (event: GraphEvent) => void;

/**
 * The event stream. `active` is checked before an event is even built, so emitting costs
 * next to nothing when no one listens.
 */
export class EventStream {
  private listeners: Listener[] = [];
  private seq = 0;
  private muted = false;
  /** True when someone listens and the stream is not muted: producers check it before building an event. */
  active = false;

  /** Someone listens (muted or not): for the few events that are never muted (prints, errors, iterations). */
  get listening(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    this.active = !this.muted;
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      this.active = this.listeners.length > 0 && !this.muted;
    };
  }

  /**
   * Mutes the graph events (ops, backward, values) while keeping the essential ones (emitAlways): a
   * consumer that shows only some iterations of a long loop asks for the others not to be built at all.
   */
  setMuted(muted: boolean): void {
    this.muted = muted;
    this.active = this.listeners.length > 0 && !muted;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  emit(body: EventBody): void {
    if (!this.active) return;
    this.deliver(body);
  }

  /** Emits even while muted (prints, errors, iteration marks, requires_grad changes). */
  emitAlways(body: EventBody): void {
    if (this.listeners.length) this.deliver(body);
  }

  // Producers build each body as a fresh literal for this one call, so the sequence number is set on it
  // rather than on a copy (a spread per event was a measurable share of the cost of events).
  private deliver(body: EventBody): void {
    const event = body as GraphEvent;
    event.seq = ++this.seq;
    for (const listener of this.listeners) listener(event);
  }
}

/** Collects every event of a run into an array (tests, workers, replay). */
export function collect(stream: EventStream): { events: GraphEvent[]; stop: () => void } {
  const events: GraphEvent[] = [];
  const stop = stream.subscribe((e) => events.push(e));
  return { events, stop };
}
