// Pure graph extraction (micrograd's trace(), with ordered slots): run model + segment → nodes and edges.
import type { OpRec, RunModel, Segment, TensorRec } from '../store/types';
import type { GraphEdge, GraphModel, GraphNode, View } from './model';
import { formatConstant, formatNumber, toNumber } from '../format';

export const tensorKey = (id: number) => `t${id}`;
export const gradKey = (id: number) => `g${id}`;
const constKey = (op: number, slot: number) => `c${op}_${slot}`;
const inplaceKey = (i: number) => `i${i}`;

export function buildGraph(run: RunModel, segmentIndex: number, view: View): GraphModel {
  const seg = run.segments[segmentIndex] ?? run.segments[0];
  return view === 'forward' ? forwardGraph(run, seg) : backwardGraph(run, seg);
}

export function tensorLabel(run: RunModel, t: TensorRec | undefined): string {
  if (!t) return 'tensor';
  if (t.name) return t.name;
  if (t.opIndex !== undefined) return run.ops[t.opIndex].op;
  return t.origin ?? 'tensor';
}

/** An output of a multi-output node (a chunk's piece): its variable's name, else `output k`. */
export function outputName(run: RunModel, tensor: number, k: number): string {
  const t = run.tensors[tensor];
  return t?.name ? t.name : `output ${k}`;
}

/** Backward roots of the segment; without a backward call, the recorded ops nothing consumes. */
function rootsOf(run: RunModel, seg: Segment): Set<number> {
  const roots = new Set(seg.backwards.map((b) => run.backwards[b].root));
  if (roots.size) return roots;
  const consumed = new Set<number>();
  for (const i of seg.ops) for (const inp of run.ops[i].inputs) if (inp.tensor !== null) consumed.add(inp.tensor);
  for (const i of seg.inplaces) if (run.inplaces[i].other !== null) consumed.add(run.inplaces[i].other!);
  for (const i of seg.ops) {
    const op = run.ops[i];
    if (op.recorded && !consumed.has(op.tensor)) roots.add(op.tensor);
  }
  return roots;
}

function forwardGraph(run: RunModel, seg: Segment): GraphModel {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const roots = rootsOf(run, seg);
  const inSegment = (t: TensorRec) => t.segment === seg.index;

  const ensureTensor = (id: number): string => {
    const key = tensorKey(id);
    if (nodes.has(key)) return key;
    const t = run.tensors[id];
    const leafLike = !t || t.kind === 'leaf' || !inSegment(t);
    nodes.set(key, {
      key,
      kind: !t ? 'external' : t.kind === 'leaf' ? 'leaf' : inSegment(t) ? 'op' : 'external',
      label: t ? tensorLabel(run, t) : 'tensor',
      detail: !t ? 'untracked' : t.kind === 'leaf' ? 'leaf' : inSegment(t) ? run.ops[t.opIndex!].label : 'earlier',
      tensor: id,
      gradNode: t?.gradFn ?? null,
      op: t && !leafLike ? t.opIndex! : null,
      inplace: null,
      isRoot: roots.has(id),
      requiresGrad: t?.requiresGrad ?? false,
      frozen: t?.frozen ?? false,
      recorded: t && !leafLike ? run.ops[t.opIndex!].gradMode : true,
      appearSeq: t && inSegment(t) ? t.seq : 0,
      module: t?.module ?? '',
    });
    return key;
  };

  const addInputs = (op: OpRec, to: string) => {
    for (const inp of op.inputs) {
      let from: string;
      let shape: number[] | null = null;
      if (inp.tensor === null) {
        from = constKey(op.index, inp.slot);
        const c = inp.constant ?? 'NaN';
        nodes.set(from, {
          key: from,
          kind: 'const',
          label: formatConstant(c),
          detail: 'number',
          tensor: null,
          gradNode: null,
          op: op.index,
          inplace: null,
          constant: typeof c === 'number' ? c : String(toNumber(c)),
          isRoot: false,
          requiresGrad: false,
          frozen: false,
          recorded: true,
          appearSeq: op.seq,
          module: op.module,
        });
        shape = [];
      } else {
        from = ensureTensor(inp.tensor);
        shape = valueShape(run, inp.tensor);
      }
      edges.push({
        key: `${from}>${to}:${inp.slot}`,
        from,
        to,
        slot: inp.slot,
        kind: 'data',
        shape,
        appearSeq: op.seq,
        carries: op.gradFn ? { gradNode: op.gradFn.id, slot: inp.slot } : undefined,
        parallel: 0,
        recorded: op.gradMode,
      });
    }
  };

  if (seg.ops.length === 0 && seg.inplaces.length === 0) {
    for (const id of seg.created) ensureTensor(id);
  }
  for (const i of seg.ops) {
    const op = run.ops[i];
    const key = ensureTensor(op.tensor);
    addInputs(op, key);
  }
  for (const i of seg.inplaces) {
    const ip = run.inplaces[i];
    const key = inplaceKey(i);
    const target = run.tensors[ip.tensor];
    nodes.set(key, {
      key,
      kind: 'inplace',
      // A base written through one of its views (row = x[0]; row.add_(5)) says so rather than repeat the statement.
      label: ip.op === 'write_through_view' ? `${tensorLabel(run, target)} ${ip.label}` : statementText(run.source, ip.pos) ?? `${tensorLabel(run, target)} ${ip.label}`,
      detail: ip.recorded ? 'in-place' : 'not recorded',
      tensor: ip.tensor,
      gradNode: null,
      op: null,
      inplace: i,
      isRoot: false,
      requiresGrad: target?.requiresGrad ?? false,
      frozen: false,
      recorded: ip.recorded || ip.gradMode,
      appearSeq: ip.seq,
      module: '',
    });
    const t = ensureTensor(ip.tensor);
    edges.push({ key: `${t}>${key}:0`, from: t, to: key, slot: 0, kind: 'data', shape: valueShape(run, ip.tensor), appearSeq: ip.seq, parallel: 0, recorded: ip.recorded || ip.gradMode });
    const otherFolded = ip.other !== null && run.tensors[ip.other]?.opIndex !== undefined && run.ops[run.tensors[ip.other].opIndex!].foldedInto !== undefined;
    if (ip.other !== null && !otherFolded) {
      const o = ensureTensor(ip.other);
      edges.push({ key: `${o}>${key}:1`, from: o, to: key, slot: 1, kind: 'data', shape: valueShape(run, ip.other), appearSeq: ip.seq, parallel: 0, recorded: ip.recorded || ip.gradMode });
    }
  }
  return { view: 'forward', flow: 'down', nodes: [...nodes.values()], edges: numberParallel(edges) };
}

/** A multi-output node's outputs (chunk's pieces), named: `a, b`. */
function outputsOf(run: RunModel, g: RunModel['gradNodes'][number] | undefined): string | null {
  const outs = g?.opIndex != null ? run.ops[g.opIndex].gradFn?.outputs : undefined;
  return outs ? outs.map((id) => tensorLabel(run, run.tensors[id])).join(', ') : null;
}

function backwardGraph(run: RunModel, seg: Segment): GraphModel {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const roots = rootsOf(run, seg);

  const ensureGradNode = (id: number, appearSeq: number): string => {
    const key = gradKey(id);
    const existing = nodes.get(key);
    if (existing) return key;
    const g = run.gradNodes[id];
    const isAcc = g?.name === 'AccumulateGrad';
    const t = g?.tensor != null ? run.tensors[g.tensor] : undefined;
    nodes.set(key, {
      key,
      kind: isAcc ? 'accumulate' : 'grad',
      label: g?.name ?? 'Node',
      detail: isAcc ? `for ${tensorLabel(run, t)}` : outputsOf(run, g) ?? (t ? tensorLabel(run, t) : ''),
      tensor: g?.tensor ?? null,
      gradNode: id,
      op: g?.opIndex ?? null,
      inplace: null,
      isRoot: false,
      requiresGrad: true,
      frozen: false,
      recorded: true,
      appearSeq: g && g.segment === seg.index ? appearSeq : 0,
      module: g?.opIndex != null ? run.ops[g.opIndex].module : '',
    });
    if (isAcc && g?.tensor != null) {
      // torchviz draws the leaf itself above its AccumulateGrad.
      const leafKey = tensorKey(g.tensor);
      if (!nodes.has(leafKey)) {
        nodes.set(leafKey, {
          key: leafKey,
          kind: 'leaf',
          label: tensorLabel(run, t),
          detail: t ? `leaf ${shapeText(run, g.tensor)}` : 'leaf',
          tensor: g.tensor,
          gradNode: null,
          op: null,
          inplace: null,
          isRoot: false,
          requiresGrad: true,
          frozen: t?.frozen ?? false,
          recorded: true,
          appearSeq: t && t.segment === seg.index ? Math.min(t.seq, appearSeq) : 0,
          module: t?.module ?? '',
        });
      }
      edges.push({ key: `${key}>${leafKey}`, from: key, to: leafKey, slot: 0, kind: 'attach', shape: valueShape(run, g.tensor), appearSeq, parallel: 0, recorded: true, carries: undefined });
    }
    return key;
  };

  const drawn = new Set<number>();
  for (const i of seg.ops) {
    const op = run.ops[i];
    if (!op.gradFn) continue;
    const key = ensureGradNode(op.gradFn.id, op.seq);
    // A node with several outputs (chunk's SplitBackward0) has an op event per output: its edges once.
    const again = drawn.has(op.gradFn.id);
    drawn.add(op.gradFn.id);
    if (!again) for (const n of op.gradFn.next) {
      if (n.node === null) continue;
      const to = ensureGradNode(n.node, op.seq);
      const inp = op.inputs.find((x) => x.slot === n.slot);
      edges.push({
        key: `${key}>${to}:${n.slot}`,
        from: key,
        to,
        slot: n.slot,
        kind: 'grad',
        shape: inp?.tensor != null ? valueShape(run, inp.tensor) : null,
        appearSeq: op.seq,
        carries: { gradNode: op.gradFn.id, slot: n.slot },
        parallel: 0,
        recorded: true,
      });
    }
    if (roots.has(op.tensor)) {
      const t = run.tensors[op.tensor];
      const rk = tensorKey(op.tensor);
      nodes.set(rk, {
        key: rk,
        kind: 'root',
        label: tensorLabel(run, t),
        detail: `output ${shapeText(run, op.tensor)}`,
        tensor: op.tensor,
        gradNode: op.gradFn.id,
        op: i,
        inplace: null,
        isRoot: true,
        requiresGrad: true,
        frozen: false,
        recorded: true,
        appearSeq: op.seq,
        module: op.module,
      });
      edges.push({ key: `${rk}>${key}`, from: rk, to: key, slot: 0, kind: 'seed', shape: valueShape(run, op.tensor), appearSeq: op.seq, parallel: 0, recorded: true });
    }
  }
  if (run.modules.some((m) => m.segment === seg.index)) addFrozenRegion(run, seg, nodes, edges);
  return { view: 'backward', flow: 'up', nodes: [...nodes.values()], edges: numberParallel(edges) };
}

/**
 * Note: PyTorch's backward graph simply ends where an input needs no grad (next_functions holds None):
 * for a fine-tuned network with a frozen backbone it is a handful of nodes, and nothing shows where the
 * gradient stopped. For programs with modules, the backward view also draws the forward ops behind
 * such a None (and the frozen parameters they read) as a faded region behind a cut edge, so the learner
 * sees the gradient reach `fc` and stop at the frozen backbone. Programs without modules are unchanged.
 */
function addFrozenRegion(run: RunModel, seg: Segment, nodes: Map<string, GraphNode>, edges: GraphEdge[]): void {
  const queue: number[] = [];
  const seen = new Set<number>();
  const deadOp = (t: TensorRec | undefined): boolean =>
    !!t && t.kind === 'op' && t.segment === seg.index && !t.requiresGrad && t.opIndex !== undefined && run.ops[t.opIndex].foldedInto === undefined;
  const ensureDead = (t: TensorRec): string => {
    const key = tensorKey(t.id);
    if (!seen.has(t.id)) {
      seen.add(t.id);
      queue.push(t.id);
      const op = run.ops[t.opIndex!];
      nodes.set(key, {
        key,
        kind: 'op',
        label: tensorLabel(run, t),
        detail: op.label,
        tensor: t.id,
        gradNode: null,
        op: op.index,
        inplace: null,
        isRoot: false,
        requiresGrad: false,
        frozen: false,
        recorded: true,
        appearSeq: op.seq,
        module: op.module,
        dead: true,
      });
    }
    return key;
  };
  for (const i of seg.ops) {
    const op = run.ops[i];
    if (!op.gradFn) continue;
    for (const n of op.gradFn.next) {
      if (n.node !== null) continue;
      const inp = op.inputs.find((x) => x.slot === n.slot);
      const t = inp?.tensor != null ? run.tensors[inp.tensor] : undefined;
      if (!t || !deadOp(t)) continue;
      const from = gradKey(op.gradFn.id);
      const to = ensureDead(t);
      edges.push({ key: `${from}>${to}:${n.slot}`, from, to, slot: n.slot, kind: 'cut', shape: valueShape(run, t.id), appearSeq: op.seq, parallel: 0, recorded: true });
    }
  }
  for (let q = 0; q < queue.length; q++) {
    const t = run.tensors[queue[q]];
    const op = run.ops[t.opIndex!];
    const from = tensorKey(t.id);
    for (const inp of op.inputs) {
      if (inp.tensor === null) continue;
      const src = run.tensors[inp.tensor];
      let to: string | null = null;
      if (src && deadOp(src)) to = ensureDead(src);
      else if (src && src.kind === 'leaf' && src.origin !== 'buffer' && !src.requiresGrad) {
        // A frozen parameter (no AccumulateGrad: its .grad stays None) or the input data.
        to = tensorKey(src.id);
        if (!nodes.has(to))
          nodes.set(to, {
            key: to,
            kind: 'leaf',
            label: tensorLabel(run, src),
            detail: src.frozen ? 'frozen' : 'leaf',
            tensor: src.id,
            gradNode: null,
            op: null,
            inplace: null,
            isRoot: false,
            requiresGrad: false,
            frozen: src.frozen,
            recorded: true,
            appearSeq: src.segment === seg.index ? src.seq : 0,
            module: src.module,
            dead: true,
          });
      }
      if (to) edges.push({ key: `${from}>${to}:${inp.slot}`, from, to, slot: inp.slot, kind: 'dead', shape: valueShape(run, inp.tensor), appearSeq: op.seq, parallel: 0, recorded: true });
    }
  }
}

function valueShape(run: RunModel, id: number): number[] | null {
  const t = run.tensors[id];
  return t ? t.values[0].value.shape : null;
}

function shapeText(run: RunModel, id: number): string {
  const s = valueShape(run, id);
  return s ? `[${s.join(', ')}]` : '';
}

function numberParallel(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Map<string, number>();
  return edges.map((e) => {
    const pair = `${e.from}>${e.to}`;
    const k = seen.get(pair) ?? 0;
    seen.set(pair, k + 1);
    return k ? { ...e, parallel: k, key: `${e.key}#${k}` } : e;
  });
}

/** The source text of a short statement (an in-place update's `w -= lr * w.grad`), or null. */
export function statementText(source: string, pos?: { line: number; col: number }): string | null {
  if (!pos) return null;
  const line = source.split('\n')[pos.line - 1]?.trim();
  return line && line.length <= 28 ? line : null;
}
