import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../../engine/events';
import { events as engineEvents } from '../../engine/index';
import { runProgram } from '../../engine/lang/run';
import { buildRun } from '../store/reduce';
import { frameAt } from '../store/frame';
import { tutorialEvents } from '../store/fixtures/events';
import type { RunModel } from '../store/types';
import { buildGraph } from './buildGraph';
import { foldGraph } from './fold';
import { compactLayers, layoutSugiyama } from './layoutSugiyama';
import { layoutAuto } from './layoutChoice';
import { moduleView, nodeView } from './view';
import { RESNET_FINETUNE_PROGRAM, RESNET_STEP_PROGRAM } from '../panels/examples';
import type { GraphModel } from './model';

function record(source: string): RunModel {
  const got: GraphEvent[] = [];
  const stop = engineEvents.subscribe((e) => got.push(e));
  try {
    const r = runProgram(source);
    if (!r.ok) throw new Error(r.error?.message);
  } finally {
    stop();
  }
  return buildRun(got, source);
}

const modules = (g: GraphModel) => g.nodes.filter((n) => n.kind === 'module').map((n) => n.label);
const byLabel = (g: GraphModel, label: string) => g.nodes.find((n) => n.label === label)!;
/** Every edge of a layered drawing points down at least one layer. */
function layersValid(g: GraphModel): boolean {
  const l = compactLayers(g)!;
  return g.edges.every((e) => {
    const [a, b] = g.flow === 'down' ? [e.from, e.to] : [e.to, e.from];
    return l.get(b)! - l.get(a)! >= 1;
  });
}

describe('module folding', () => {
  it('leaves programs without modules alone', () => {
    const run = buildRun(tutorialEvents());
    for (const view of ['forward', 'backward'] as const) {
      const g = buildGraph(run, 0, view);
      expect(foldGraph(run, 0, g, new Set())).toBe(g);
    }
  });

  it('folds a Sequential into its layers, parameters inside them', () => {
    const run = record(`import torch
from torch import nn
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
x = torch.ones(5, 3)
loss = net(x).sum()
loss.backward()
`);
    const g = buildGraph(run, 0, 'forward');
    const f = foldGraph(run, 0, g, new Set());
    expect(modules(f)).toEqual(['0', '1', '2']);
    expect(f.nodes.some((n) => n.label === '0.weight')).toBe(false);
    expect(byLabel(f, '0').fold!.paramCount).toBe(16);
    expect(byLabel(f, 'x').kind).toBe('leaf');
    // Expanding layer 0 shows its ops and parameters, in a frame.
    const e = foldGraph(run, 0, g, new Set(['0']));
    expect(modules(e)).toEqual(['1', '2']);
    expect(e.clusters!.map((c) => c.path)).toEqual(['0']);
    expect(e.nodes.find((n) => n.label === '0.weight')!.cluster).toBe(e.clusters![0].key);
  });

  it('lights a layer while its parameters receive their gradients', () => {
    const run = record(`import torch
from torch import nn
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
loss = net(torch.ones(5, 3)).sum()
loss.backward()
`);
    const f = foldGraph(run, 0, buildGraph(run, 0, 'forward'), new Set());
    const weight0 = Object.values(run.tensors).find((t) => t.name === '0.weight')!;
    // Every frame whose step is an AccumulateGrad of 0.weight lights module 0 and no other.
    let seen = 0;
    for (let seq = 0; seq < 200; seq++) {
      const fr = frameAt(run, 0, seq);
      if (fr.step?.kind !== 'backward' || fr.activeTensor !== weight0.id) continue;
      seen++;
      const lit = f.nodes.filter((n) => n.kind === 'module' && moduleView(run, fr, n).phase === 'active').map((n) => n.label);
      expect(lit).toEqual(['0']);
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('ResNet-18 folded by module', () => {
  const run = record(RESNET_STEP_PROGRAM);

  it('starts at the model’s children, repeated blocks summarised', () => {
    const f = foldGraph(run, 0, buildGraph(run, 0, 'forward'), new Set());
    expect(modules(f)).toEqual(['conv1', 'bn1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc']);
    expect(byLabel(f, 'layer1').fold!.summary).toBe('BasicBlock ×2');
    expect(byLabel(f, 'layer1').detail).toBe('Sequential');
    // The optimizer's 62 updates are inside the modules whose parameters they update.
    expect(f.nodes.filter((n) => n.kind === 'inplace')).toHaveLength(0);
    expect(f.nodes.length).toBeLessThan(20);
    const b = foldGraph(run, 0, buildGraph(run, 0, 'backward'), new Set());
    expect(modules(b)).toEqual(modules(f));
    expect(b.edges.some((e) => e.kind === 'cut')).toBe(false);
  });

  it('expands one module in place; the rest stays folded', () => {
    const g = buildGraph(run, 0, 'backward');
    const f = foldGraph(run, 0, g, new Set(['layer4']));
    expect(modules(f)).toContain('layer4.0');
    expect(modules(f)).toContain('layer3');
    expect(modules(f)).not.toContain('layer4');
    expect(f.clusters!.map((c) => c.path)).toEqual(['layer4']);
  });

  it('lights the module holding the stepper’s node, and the node inside once expanded', () => {
    const g = buildGraph(run, 0, 'backward');
    const seg = run.segments[0];
    const firstBackward = seg.steps.findIndex((s) => s.kind === 'backward');
    const frame = frameAt(run, 0, firstBackward + 30);
    const folded = foldGraph(run, 0, g, new Set());
    const active = folded.nodes.filter((n) => nodeView(run, frame, n).phase === 'active').map((n) => n.label);
    expect(active).toEqual(['layer4']);
    expect(moduleView(run, frame, byLabel(folded, 'layer4')).ranCount).toBeGreaterThan(0);
    const open = foldGraph(run, 0, g, new Set(['layer4', 'layer4.0']));
    const inside = open.nodes.filter((n) => nodeView(run, frame, n).phase === 'active');
    expect(inside).toHaveLength(1);
    expect(inside[0].module.startsWith('layer4.0') || inside[0].label.startsWith('layer4.0')).toBe(true);
  });

  it('lays out the unfolded graphs in layers that every edge respects', () => {
    for (const view of ['forward', 'backward'] as const) {
      const g = buildGraph(run, 0, view);
      expect(layersValid(g)).toBe(true);
      const l = layoutSugiyama(g, () => ({ width: 140, height: 60 }), 'greedy');
      expect(Object.keys(l.nodes)).toHaveLength(g.nodes.length);
      const folded = foldGraph(run, 0, g, new Set(['layer2', 'layer2.0']));
      const lf = layoutAuto(folded, () => ({ width: 200, height: 70 }));
      expect(Object.keys(lf.clusters ?? {})).toEqual(expect.arrayContaining(['x' + folded.clusters![0].call]));
    }
  });
});

describe('fine-tuning with a frozen backbone', () => {
  const run = record(RESNET_FINETUNE_PROGRAM);

  it('draws the gradient reaching fc and stopping at the frozen part', () => {
    expect(run.segments).toHaveLength(1);
    const g = buildGraph(run, 0, 'backward');
    const acc = g.nodes.filter((n) => n.kind === 'accumulate').map((n) => n.detail);
    expect(acc.sort()).toEqual(['for fc.bias', 'for fc.weight']);
    const cut = g.edges.filter((e) => e.kind === 'cut');
    expect(cut).toHaveLength(1);
    expect(g.nodes.find((n) => n.key === cut[0].from)!.label).toBe('AddmmBackward0');
    const f = foldGraph(run, 0, g, new Set());
    expect(modules(f)).toEqual(expect.arrayContaining(['conv1', 'layer1', 'layer4', 'avgpool', 'fc']));
    const fc = byLabel(f, 'fc');
    expect(fc.fold!.frozen).toBe(false);
    expect(fc.dead).toBeUndefined();
    for (const m of ['conv1', 'layer1', 'layer4']) {
      expect(byLabel(f, m).frozen).toBe(true);
      expect(byLabel(f, m).dead).toBe(true);
    }
    // The cut edge survives folding, from fc into the frozen part.
    const fcut = f.edges.filter((e) => e.kind === 'cut');
    expect(fcut.map((e) => e.from)).toEqual([fc.key]);
  });

  it("keeps the frozen ReLU(inplace=True) updates inside their modules (nothing recorded: PyTorch's relu_ changes the tensor itself)", () => {
    // The backbone's 17 ReLUs run as in-place updates: nothing requires grad there.
    expect(run.inplaces.filter((u) => u.op === 'relu').length).toBe(17);
    const f = foldGraph(run, 0, buildGraph(run, 0, 'forward'), new Set());
    expect(f.nodes.filter((n) => n.kind === 'inplace')).toHaveLength(0);
    expect(f.nodes.length).toBeLessThan(20);
    expect(modules(f)).toContain('relu');
    // Expanded, a block's two ReLU calls are drawn in it, each holding its update, not beside the model.
    const open = foldGraph(run, 0, buildGraph(run, 0, 'forward'), new Set(['layer1', 'layer1.0']));
    expect(open.nodes.filter((n) => n.kind === 'inplace')).toHaveLength(0);
    expect(modules(open).filter((m) => m === 'layer1.0.relu')).toHaveLength(2);
  });
});
