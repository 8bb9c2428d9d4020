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
  | 'root'; // the output tensor's box in the backward view

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
}

export interface GraphEdge {
  key: string;
  from: string;
  to: string;
  slot: number;
  kind: 'data' | 'grad' | 'attach' | 'seed';
  /** Shape of the tensor travelling along it (the op input's shape). */
  shape: number[] | null;
  appearSeq: number;
  /** The grad node whose execution sends a gradient along this edge, and from which of its inputs. */
  carries?: { gradNode: number; slot: number };
  /** Parallel edges between the same nodes (a * a): index among them, to bend them apart. */
  parallel: number;
  recorded: boolean;
}

export interface GraphModel {
  view: View;
  flow: 'down' | 'up';
  nodes: GraphNode[];
  edges: GraphEdge[];
}
