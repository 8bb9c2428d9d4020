import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, argmax, noGrad } from '../../engine/index';
import type { GraphEvent, ModuleEvent, NodeExecEvent, OpEvent } from '../../engine/events';
import type { PretrainedMeta } from '../../engine/models/pretrained';
import { buildRun } from '../store/reduce';
import { DEFAULT_RECIPE, type FinetuneRecipe } from './recipe';
import { FinetuneSession, countParameters, loadFrozen, sampleIndices, type FrozenModel } from './session';
import { stepSourceMap } from './program';

const MODELS = join(__dirname, '../../public/models');
const meta = JSON.parse(readFileSync(join(MODELS, 'small-resnet.json'), 'utf8')) as PretrainedMeta;
const weights = new Uint8Array(readFileSync(join(MODELS, 'small-resnet.safetensors')));

/** A small run: the same code path, a few seconds less. */
const SMALL: FinetuneRecipe = { ...DEFAULT_RECIPE, trainPerClass: 24, testPerClass: 10, epochs: 2, batch: 16, samples: 8 };

const freshModel = (): FrozenModel => loadFrozen(meta, weights);

describe('the frozen model and its new head', () => {
  it('counts trainable and frozen parameters from the model: only the new head trains', () => {
    const frozen = freshModel();
    const s = new FinetuneSession(1, SMALL, frozen);
    const counts = countParameters(frozen.model);
    const head = 64 * 4 + 4;
    expect(counts.trainable).toBe(head);
    // The pretrained model had 77,782 parameters, 64 * 6 + 6 of them in its old head.
    expect(counts.frozen).toBe(meta.parameters - (64 * 6 + 6));
    expect(counts.modules.map((m) => m.name)).toEqual(['stem', 'layer1', 'layer2', 'layer3', 'fc']);
    expect(counts.modules.find((m) => m.name === 'fc')).toMatchObject({ trainable: head, frozen: 0, kind: 'Linear' });
    expect(counts.modules.find((m) => m.name === 'layer2')).toMatchObject({ trainable: 0, detail: 'BasicBlock ×1' });
    // conv1 (16 * 3 * 3 * 3) and bn1 (16 + 16).
    expect(counts.modules[0]).toMatchObject({ name: 'stem', detail: 'Conv2d, BatchNorm2d', trainable: 0, frozen: 16 * 27 + 32 });
    expect(counts.modules.reduce((n, m) => n + m.trainable + m.frozen, 0)).toBe(counts.trainable + counts.frozen);
    expect(frozen.model.parameters().filter((p) => p.requiresGrad)).toEqual(s.head.parameters());
  });

  it('picks sample images interleaved by class', () => {
    const labels = Int32Array.from([2, 0, 0, 1, 2, 1, 0, 2, 1]);
    const picked = sampleIndices(labels, 3, 6);
    expect(picked).toEqual([1, 3, 0, 2, 5, 4]);
    expect(picked.map((i) => labels[i])).toEqual([0, 1, 2, 0, 1, 2]);
  });
});

describe('a fine-tuning run', () => {
  it('is deterministic, and the cached features give exactly what the whole model computes', () => {
    const a = new FinetuneSession(1, SMALL, freshModel());
    a.runAll();
    const frozen = freshModel();
    const b = new FinetuneSession(2, SMALL, frozen);
    b.runAll();
    expect(Array.from(b.losses)).toEqual(Array.from(a.losses));
    expect(b.epochs).toEqual(a.epochs);
    expect(b.step).toBe(b.totalSteps);
    expect(b.featuresDone).toBe(b.featuresTotal);
    // The held-out predictions again, this time through the whole model (backbone + head) at once.
    const { predictions } = b.evaluate();
    const n = b.test.n;
    const whole = noGrad(() => argmax(frozen.model.call(new Tensor(b.test.images, [n, 3, 32, 32], 'float32')) as Tensor, 1).data);
    expect(Array.from(whole)).toEqual(Array.from(predictions));
  });

  it('runs in bounded chunks and reports progress since the last message', () => {
    const s = new FinetuneSession(1, SMALL, freshModel());
    let t = 0;
    const ran = s.runFor(5, () => (t += 10));
    expect(ran).toBe(1);
    const p1 = s.progress();
    expect(p1.step).toBe(1);
    expect(p1.losses.length).toBe(1);
    expect(p1.featuresDone).toBe(SMALL.batch);
    expect(p1.fraction).toBeGreaterThan(0);
    s.runFor(1e9);
    const p2 = s.progress();
    expect(p2.status).toBe('done');
    expect(p2.from).toBe(1);
    expect(p2.losses.length).toBe(s.totalSteps - 1);
    expect(p2.fraction).toBe(1);
    expect(p2.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(p2.samplePredictions?.length).toBe(SMALL.samples);
  });

  it('reaches at least 90% held-out accuracy with the default recipe, seeded', () => {
    const s = new FinetuneSession(1, DEFAULT_RECIPE, freshModel());
    s.runAll();
    expect(s.heldOutAccuracy!).toBeGreaterThanOrEqual(0.9);
  });
});

describe('recording one step for the canvas', () => {
  const frozen = freshModel();
  const s = new FinetuneSession(1, SMALL, frozen);
  s.runFor(0);
  const r = s.recordStep(7);
  const ev = r.events;
  const of = <T extends GraphEvent['type']>(type: T) => ev.filter((e) => e.type === type) as Extract<GraphEvent, { type: T }>[];

  it('folds by module: every module is entered and left, the backbone frozen, the head not', () => {
    const enters = of('module-enter') as ModuleEvent[];
    expect(enters.length).toBe((of('module-exit') as ModuleEvent[]).length);
    const byPath = new Map(enters.map((e) => [e.path, e]));
    expect(byPath.get('')?.kind).toBe('ResNet');
    for (const p of ['conv1', 'bn1', 'layer1', 'layer1.0', 'layer2.0.downsample', 'layer3']) expect(byPath.get(p)?.frozen, p).toBe(true);
    expect(byPath.get('fc')).toMatchObject({ kind: 'Linear', frozen: false });
  });

  it('runs the backbone forward unrecorded, and backward stops at the head', () => {
    const ops = of('op') as OpEvent[];
    const conv = ops.filter((o) => o.op.includes('conv'));
    expect(conv.length).toBeGreaterThan(0);
    expect(conv.every((o) => !o.recorded)).toBe(true);
    const execs = of('node-exec') as NodeExecEvent[];
    expect(execs.length).toBeGreaterThan(0);
    const accumulated = new Set(of('accumulate').map((a) => a.tensor));
    expect(accumulated).toEqual(new Set(s.head.parameters().map((p) => p.id)));
    // The reducer sees the backbone's parameters as frozen.
    const run = buildRun(ev);
    const w = frozen.model.namedParameters().find(([n]) => n === 'layer1.0.conv1.weight')![1];
    expect(run.tensors[w.id]).toMatchObject({ name: 'layer1.0.conv1.weight', frozen: true });
    expect(run.backwards.length).toBe(1);
    expect(r.step).toBe(2);
  });

  it('places the events at the statements of the program it shows', () => {
    const at = stepSourceMap(r.program);
    const line = (key: keyof typeof at) => at[key]!.line;
    expect(r.program.split('\n')[line('freeze') - 1].trim()).toBe('param.requires_grad = False');
    expect(new Set(of('requires-grad').map((e) => e.pos?.line))).toEqual(new Set([line('freeze')]));
    expect(new Set((of('op') as OpEvent[]).filter((o) => o.op.includes('conv')).map((o) => o.pos?.line))).toEqual(new Set([line('forward')]));
    expect(of('backward-begin')[0].pos?.line).toBe(line('backward'));
    expect(of('optimizer-step')[0].pos?.line).toBe(line('step'));
  });

  it('changes nothing in the run', () => {
    const plain = new FinetuneSession(2, SMALL, freshModel());
    plain.runAll();
    s.recordStep(8);
    s.runAll();
    expect(Array.from(s.losses)).toEqual(Array.from(plain.losses));
    expect(frozen.model.parameters().filter((p) => p.requiresGrad).length).toBe(2);
  });
});
