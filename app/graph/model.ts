// The drawable graph of one segment of a run, in either view, built by pure functions from the run model.
//
// Note: edges are stored in the direction their arrow points. In the forward view data flows from the
// leaves down to the root. In the backward view arrows follow next_functions (the gradient's direction)
// but the layout keeps torchviz's orientation (leaves on top, the root at the bottom), so switching views
// keeps every tensor in roughly the same place: `flow: 'up'` tells the layout to rank edges reversed.

export type View = 'forward' | 'backward';

export type NodeKind =
  | 'leaf' // a leaf tensor (forward view) or its box above AccumulateGrad (backward view)
  | 'op' // an op's output tensor
  | 'const' // a Python number input
  | 'external' // a tensor made in an earlier iteration or by code we did not see
  | 'inplace' // an in-place update (a -= lr * a.grad)
  | 'grad' // a grad_fn node
  | 'accumulate' // AccumulateGrad
  | 'root' // the output tensor's box in the backward view
  | 'module'; // a folded module call (nn.Module forward) standing for the nodes inside it

export interface GraphNode {
  key: string;
  kind: NodeKind;
  /** The node's name: the variable, else the op; in the backward view the grad_fn name. */
  label: string;
  /** A short second line: the op's symbol, 'leaf', 'for a'. */
  detail: string;
  tensor: number | null;
  gradNode: number | null;
  op: number | null;
  inplace: number | null;
  constant?: number | string;
  isRoot: boolean;
  requiresGrad: boolean;
  /** requires_grad was switched off by the program (a frozen parameter). */
  frozen: boolean;
  /** False for ops run under no_grad (or with no input requiring grad): not in the autograd graph. */
  recorded: boolean;
  /** The node appears once the stepper reaches this seq (0: before the segment starts). */
  appearSeq: number;
  /** Module path, for folding big graphs later. */
  module: string;
  /** Backward view: a forward op or frozen leaf that no gradient reaches (drawn faded behind a cut edge). */
  dead?: boolean;
  /** For kind 'module': what the folded call stands for. */
  fold?: ModuleFold;
  /** The expanded module (cluster key) whose frame the node is drawn in. */
  cluster?: string;
}

/** A folded module call on the canvas. */
export interface ModuleFold {
  /** Index of the call in RunModel.modules. */
  call: number;
  path: string;
  kind: string;
  /** The module's parameters are all frozen (requires_grad=False). */
  frozen: boolean;
  /** Nothing inside requires grad (a frozen backbone, or ops fed only by frozen ones). */
  noGrad: boolean;
  /** One line on what is inside: 'BasicBlock ×2', 'conv1 · bn1 · relu · conv2 · bn2'. */
  summary: string;
  /** Keys of the unfolded graph's nodes drawn inside it. */
  members: string[];
  /** Tensors of its op outputs and the grad nodes inside (to light it up while the stepper is inside). */
  tensors: number[];
  gradNodes: number[];
  /** The tensor the call returned. */
  output: number | null;
  /** How many parameters (numel) it holds, and how many parameter tensors. */
  paramCount: number;
  paramTensors: number;
  /** Number of ops (forward) or grad_fn nodes (backward) inside. */
  inner: number;
}

/** An expanded module: a labelled frame around the nodes inside it. */
export interface Cluster {
  key: string;
  call: number;
  path: string;
  kind: string;
  frozen: boolean;
  /** The enclosing expanded module's cluster key. */
  parent: string | null;
}

export interface GraphEdge {
  key: string;
  from: string;
  to: string;
  slot: number;
  /**
   * 'cut': backward view, where a grad_fn's input needs no grad (next_functions holds None) and the
   * forward op behind it ran in a module: the gradient stops there. 'dead': the forward edges behind a
   * cut, which no gradient travels.
   */
  kind: 'data' | 'grad' | 'attach' | 'seed' | 'cut' | 'dead';
  /** Shape of the tensor travelling along it (the op input's shape). */
  shape: number[] | null;
  appearSeq: number;
  /** The grad node whose execution sends a gradient along this edge, and from which of its inputs. */
  carries?: { gradNode: number; slot: number };
  /** Parallel edges between the same nodes (a * a): index among them, to bend them apart. */
  parallel: number;
  recorded: boolean;
  /** Edges of the unfolded graph this one stands for (between folded modules). */
  members?: GraphEdge[];
}

export interface GraphModel {
  view: View;
  flow: 'down' | 'up';
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Expanded modules, outermost first (folded graphs only). */
  clusters?: Cluster[];
  /** Set when module folding produced this graph from a bigger one. */
  folded?: { from: number; modules: number };
}
