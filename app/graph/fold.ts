// Module folding: the unfolded graph of a segment + the set of expanded module paths → the graph the
// canvas draws, with each folded module call as one node. Pure; tested without React.
//
// Note: a module is identified per call (RunModel.modules holds one record per module-enter), so a ReLU
// a block calls twice folds into two nodes and the folded graph stays acyclic. Expansion is per path,
// so expanding `layer1.0.relu` opens both calls. The outermost call (the model itself) is always open:
// a folded graph starts at the model's children (conv1, bn1, relu, maxpool, layer1…layer4, avgpool, fc).
//
// Parameters, buffers, Python numbers, AccumulateGrad nodes and optimizer updates have no module of
// their own (they are made outside forward): each is drawn inside the one visible node that uses it,
// and stays visible when nodes in several places use it.
import type { ModuleRec, RunModel, Segment } from '../store/types';
import type { Cluster, GraphEdge, GraphModel, GraphNode, ModuleFold } from './model';

export const moduleKey = (call: number) => `m${call}`;
export const clusterKey = (call: number) => `x${call}`;

/** The module calls of a segment, by index. */
export function segmentCalls(run: RunModel, seg: Segment): ModuleRec[] {
  return run.modules.filter((m) => m.segment === seg.index);
}

export function hasModules(run: RunModel, seg: Segment): boolean {
  return run.modules.some((m) => m.segment === seg.index);
}

/** The calls from the outermost down to `call`. */
function chainOf(run: RunModel, call: number): ModuleRec[] {
  const out: ModuleRec[] = [];
  for (let c: number | null = call; c !== null; c = run.modules[c].parent) out.push(run.modules[c]);
  return out.reverse();
}

const isOpen = (m: ModuleRec, expanded: ReadonlySet<string>) => m.parent === null || expanded.has(m.path);

/** The folded call standing for something made in `call`, or null when every module around it is open. */
export function ownerCall(run: RunModel, call: number | undefined, expanded: ReadonlySet<string>): number | null {
  if (call === undefined) return null;
  for (const m of chainOf(run, call)) if (!isOpen(m, expanded)) return m.index;
  return null;
}

/** The innermost expanded (non-outermost) call around `call`'s folded node or op: the frame it is drawn in. */
function clusterOfCall(run: RunModel, call: number | undefined, expanded: ReadonlySet<string>): number | null {
  if (call === undefined) return null;
  let inner: number | null = null;
  for (const m of chainOf(run, call)) {
    if (!isOpen(m, expanded)) break;
    if (m.parent !== null) inner = m.index;
  }
  return inner;
}

/** The module path shown for a call: its path, or its class for the outermost module. */
export function callLabel(m: ModuleRec): string {
  return m.path || m.kind;
}

/** Which op a node of the unfolded graph belongs to (forward ops, numbers, grad_fn nodes, the frozen region). */
function opOf(run: RunModel, n: GraphNode): number | null {
  if (n.kind === 'op' || n.kind === 'const') return n.op;
  if (n.kind === 'grad' && n.gradNode !== null) return run.gradNodes[n.gradNode]?.opIndex ?? null;
  return null;
}

/** Nodes with no module of their own, drawn inside the one node that uses them. */
function isAttachable(run: RunModel, n: GraphNode): boolean {
  if (n.kind === 'accumulate' || n.kind === 'inplace') return true;
  if (n.kind !== 'leaf') return false;
  const t = n.tensor !== null ? run.tensors[n.tensor] : undefined;
  return !!t && (t.origin === 'parameter' || t.origin === 'buffer' || t.origin === 'grad' || t.call !== undefined);
}

export function foldGraph(run: RunModel, segmentIndex: number, g: GraphModel, expanded: ReadonlySet<string>): GraphModel {
  const seg = run.segments[segmentIndex] ?? run.segments[0];
  if (!hasModules(run, seg)) return g;
  const byKey = new Map(g.nodes.map((n) => [n.key, n]));
  /** Visible key per node of the unfolded graph (a module node's key, or its own). */
  const visible = new Map<string, string>();
  /** Cluster call per visible key. */
  const clusterCall = new Map<string, number | null>();
  const ownerOf = new Map<string, number>();

  const place = (n: GraphNode, call: number | undefined) => {
    const owner = ownerCall(run, call, expanded);
    if (owner !== null) {
      visible.set(n.key, moduleKey(owner));
      ownerOf.set(n.key, owner);
      const key = moduleKey(owner);
      if (!clusterCall.has(key)) clusterCall.set(key, clusterOfCall(run, run.modules[owner].parent ?? undefined, expanded));
    } else {
      visible.set(n.key, n.key);
      clusterCall.set(n.key, clusterOfCall(run, call, expanded));
    }
  };

  // 1. Nodes made by an op inside a module call.
  const attachable: GraphNode[] = [];
  for (const n of g.nodes) {
    if (n.kind === 'root') {
      visible.set(n.key, n.key);
      clusterCall.set(n.key, null);
      continue;
    }
    const op = opOf(run, n);
    const inplaceCall = n.kind === 'inplace' && n.inplace !== null ? run.inplaces[n.inplace]?.call : undefined;
    if (op !== null) place(n, run.ops[op]?.call);
    // An update made inside a module (ReLU(inplace=True) under no_grad) belongs to that module, as its ops do.
    else if (inplaceCall !== undefined) place(n, inplaceCall);
    else if (isAttachable(run, n)) attachable.push(n);
    else {
      visible.set(n.key, n.key);
      clusterCall.set(n.key, null);
    }
  }

  // 2. Parameters, AccumulateGrad, numbers, updates: inside the one visible node around them, if one.
  const neighbours = new Map<string, string[]>();
  for (const e of g.edges) {
    if (!neighbours.has(e.from)) neighbours.set(e.from, []);
    if (!neighbours.has(e.to)) neighbours.set(e.to, []);
    neighbours.get(e.from)!.push(e.to);
    neighbours.get(e.to)!.push(e.from);
  }
  // AccumulateGrad before its leaf, leaves before the updates that read them, a .grad after its update.
  const rank = (n: GraphNode) => (n.kind === 'accumulate' ? 0 : n.kind === 'inplace' ? 2 : n.tensor !== null && run.tensors[n.tensor]?.origin === 'grad' ? 3 : 1);
  attachable.sort((a, b) => rank(a) - rank(b));
  for (const n of attachable) {
    const around = new Set<string>();
    for (const k of neighbours.get(n.key) ?? []) {
      const v = visible.get(k);
      if (v === undefined) continue;
      // An update reads the leaf and its .grad: where the leaf is drawn is where it goes.
      if (n.kind === 'inplace' && byKey.get(k)?.kind !== 'leaf') continue;
      around.add(v);
    }
    const v = around.size === 1 ? [...around][0] : null;
    if (v !== null && !byKey.has(v)) {
      visible.set(n.key, v);
      ownerOf.set(n.key, Number(v.slice(1)));
    } else {
      visible.set(n.key, n.key);
      clusterCall.set(n.key, v !== null ? (clusterCall.get(v) ?? null) : null);
    }
  }

  // 3. Module nodes.
  const members = new Map<number, GraphNode[]>();
  for (const n of g.nodes) {
    const o = ownerOf.get(n.key);
    if (o === undefined) continue;
    if (!members.has(o)) members.set(o, []);
    members.get(o)!.push(n);
  }
  const children = new Map<number, ModuleRec[]>();
  for (const m of segmentCalls(run, seg)) if (m.parent !== null) {
    if (!children.has(m.parent)) children.set(m.parent, []);
    children.get(m.parent)!.push(m);
  }
  const nodes: GraphNode[] = [];
  const emitted = new Set<string>();
  for (const n of g.nodes) {
    const v = visible.get(n.key)!;
    if (emitted.has(v)) continue;
    emitted.add(v);
    const cc = clusterCall.get(v);
    const cluster = cc !== null && cc !== undefined ? clusterKey(cc) : undefined;
    if (v === n.key) {
      nodes.push(cluster ? { ...n, cluster } : n);
      continue;
    }
    const call = Number(v.slice(1));
    const rec = run.modules[call];
    const inside = members.get(call) ?? [];
    const fold = moduleFold(run, g, rec, inside, children.get(call) ?? []);
    const firstSeq = Math.min(...inside.filter((x) => x.appearSeq > 0 && (x.kind === 'op' || x.kind === 'grad' || x.kind === 'const')).map((x) => x.appearSeq), Infinity);
    nodes.push({
      key: v,
      kind: 'module',
      label: callLabel(rec),
      detail: rec.kind,
      tensor: rec.output ?? null,
      gradNode: null,
      op: null,
      inplace: null,
      isRoot: false,
      requiresGrad: !fold.noGrad,
      frozen: rec.frozen,
      recorded: true,
      appearSeq: Number.isFinite(firstSeq) ? firstSeq : 0,
      module: rec.path,
      dead: inside.length > 0 && inside.every((x) => x.dead) ? true : undefined,
      fold,
      cluster,
    });
  }

  // 4. Edges between visible nodes; those between the same two nodes merge into one.
  const edges: GraphEdge[] = [];
  const merged = new Map<string, GraphEdge>();
  for (const e of g.edges) {
    const from = visible.get(e.from)!;
    const to = visible.get(e.to)!;
    if (from === to) continue;
    if (from === e.from && to === e.to) {
      edges.push(e);
      continue;
    }
    const pair = `${from}>${to}`;
    const prev = merged.get(pair);
    if (prev) {
      prev.members!.push(e);
      if (e.appearSeq < prev.appearSeq) prev.appearSeq = e.appearSeq;
      // A cut anywhere in the bundle is what the bundle shows.
      if (e.kind === 'cut') prev.kind = 'cut';
      continue;
    }
    const m: GraphEdge = { ...e, key: `${pair}:f`, from, to, parallel: 0, carries: undefined, members: [e] };
    merged.set(pair, m);
    edges.push(m);
  }

  // 5. Frames of expanded modules that have something drawn inside.
  const used = new Set<number>();
  for (const v of clusterCall.values()) if (v !== null && v !== undefined) for (let c: number | null = v; c !== null && run.modules[c].parent !== null; c = run.modules[c].parent) used.add(c);
  const clusters: Cluster[] = [...used]
    .sort((a, b) => a - b)
    .map((c) => {
      const m = run.modules[c];
      const parent = m.parent !== null && run.modules[m.parent].parent !== null ? clusterKey(m.parent) : null;
      return { key: clusterKey(c), call: c, path: m.path, kind: m.kind, frozen: m.frozen, parent };
    });
  return {
    ...g,
    nodes,
    edges,
    clusters,
    folded: { from: g.nodes.length, modules: nodes.filter((n) => n.kind === 'module').length },
  };
}

function moduleFold(run: RunModel, g: GraphModel, rec: ModuleRec, inside: GraphNode[], kids: ModuleRec[]): ModuleFold {
  const tensors: number[] = [];
  const gradNodes: number[] = [];
  let inner = 0;
  let params = 0;
  let paramTensors = 0;
  for (const n of inside) {
    if ((n.kind === 'op' || n.kind === 'grad') && !n.dead) inner++;
    else if (n.kind === 'op' && n.dead) inner++;
    if (n.kind !== 'const' && n.tensor !== null && (n.kind === 'op' || n.kind === 'grad' || n.kind === 'accumulate' || n.kind === 'inplace')) tensors.push(n.tensor);
    if ((n.kind === 'grad' || n.kind === 'accumulate') && n.gradNode !== null) gradNodes.push(n.gradNode);
    if (n.kind === 'leaf' && n.tensor !== null) {
      const t = run.tensors[n.tensor];
      if (t?.origin === 'parameter') {
        // A parameter's AccumulateGrad step and its optimizer update are inside the module: it lights up for them.
        tensors.push(n.tensor);
        params += t.values[0].value.numel;
        paramTensors++;
      }
    }
  }
  // Parameters live in the forward view only as leaves; the backward view has them too (above AccumulateGrad).
  const noGrad = g.view === 'forward' ? inside.filter((n) => n.kind === 'op').every((n) => !n.requiresGrad) : inside.every((n) => n.dead);
  return {
    call: rec.index,
    path: rec.path,
    kind: rec.kind,
    frozen: rec.frozen,
    noGrad: inside.length > 0 && noGrad,
    summary: summaryOf(run, rec, kids),
    members: inside.map((n) => n.key),
    tensors,
    gradNodes,
    output: rec.output ?? null,
    paramCount: params,
    paramTensors,
    inner,
  };
}

/** 'BasicBlock ×2' for a container of repeated blocks, the children's names otherwise, or the ops. */
function summaryOf(run: RunModel, rec: ModuleRec, kids: ModuleRec[]): string {
  if (kids.length === 0) {
    const ops = run.ops.filter((o) => o.call === rec.index).map((o) => o.op);
    return [...new Set(ops)].join(' · ');
  }
  const kinds = new Set(kids.map((k) => k.kind));
  if (kinds.size === 1 && kids.every((k) => /^\d+$/.test(k.path.slice(k.path.lastIndexOf('.') + 1)))) return `${kids[0].kind} ×${kids.length}`;
  const names: string[] = [];
  for (const k of kids) {
    const name = k.path.slice(k.path.lastIndexOf('.') + 1);
    if (names[names.length - 1] !== name) names.push(name);
  }
  return names.join(' · ');
}
