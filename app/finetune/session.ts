// One fine-tuning run of the panel: the pretrained small ResNet with its backbone frozen and a new head,
// trained with SGD + momentum on the new classes, evaluated on held-out images after every epoch. No DOM
// and no timers: the worker decides when to run a chunk of work; tests drive it directly.
//
// Note: the backbone is frozen and in eval mode (its BatchNorm layers use their running statistics), so
// its output for an image is the same in every epoch: a pure function of the image. Each image goes
// through the real backbone once, the first time a batch (or the held-out evaluation) needs it, and its
// 64 features are kept; later epochs only run the head. The numbers are the ones the whole model would
// compute (the test checks it), and the graph the panel shows (`recordStep`) is a full forward of the
// whole model, backbone included, then the backward pass that stops at the head.
import {
  Tensor,
  argmax,
  backward,
  created,
  crossEntropy,
  engine,
  events,
  manualSeed,
  nn,
  noGrad,
  optim,
  setRequiresGrad,
} from '../../engine/index';
import type { GraphEvent } from '../../engine/events';
import { MT19937 } from '../../engine/random';
import { makeShapes, normalize, type ShapesData } from '../../engine/data/shapes';
import { loadPretrained, type PretrainedMeta } from '../../engine/models/pretrained';
import type { ResNet } from '../../engine/models/resnet';
import type { FinetuneRecipe } from './recipe';
import { stepProgram, stepSourceMap } from './program';
import type { EpochRecord, FinetuneStatus, ModuleCount, ParamCounts, Progress, Recorded, Setup } from './protocol';

/**
 * Relative costs for the progress bar, in "one image through the backbone" units (measured in Node and
 * Chromium: ~2.5 ms per image at batch 32; a head step on cached features ~0.35 ms; an evaluation of the
 * head over 400 cached features ~2 ms).
 */
const HEAD_STEP_COST = 0.15;
const EVAL_COST = 1;
/** Held-out images per backbone forward while evaluating (one unit of work: pause is answered between). */
const EVAL_CHUNK = 50;

/** The pretrained model, its backbone frozen (requires_grad = False), and its original head's size. */
export interface FrozenModel {
  model: ResNet;
  meta: PretrainedMeta;
  /** in_features of the head (64 for the small ResNet). */
  features: number;
}

/** Loads the pretrained model and freezes every parameter it has (the blog's `param.requires_grad = False`). */
export function loadFrozen(meta: PretrainedMeta, weights: Uint8Array): FrozenModel {
  const model = loadPretrained(meta, weights);
  for (const p of model.parameters()) setRequiresGrad(p, false);
  const fc = model.getAttr('fc') as nn.Linear;
  return { model, meta, features: fc.inFeatures };
}

/** `model.fc = nn.Linear(features, classes)`, seeded: the new head, the only trainable part. */
export function replaceHead(frozen: FrozenModel, classes: number, seed: number): nn.Linear {
  manualSeed(seed);
  const head = new nn.Linear(frozen.features, classes);
  frozen.model.setAttr('fc', head);
  return head;
}

const numel = (ps: Tensor[]): number => ps.reduce((n, p) => n + p.numel, 0);

/**
 * Trainable and frozen parameter counts, from the model as it stands, per part: the stem (the children
 * before the first stage: conv1, bn1), each stage (layer1, ...), the head (fc).
 */
export function countParameters(model: nn.Module): ParamCounts {
  const modules: ModuleCount[] = [];
  const stem: nn.Module[] = [];
  const add = (name: string, kind: string, detail: string, ps: Tensor[]) => {
    const trainable = numel(ps.filter((p) => p.requiresGrad));
    modules.push({ name, kind, detail, trainable, frozen: numel(ps) - trainable });
  };
  for (const [name, child] of model.namedChildren()) {
    const ps = child.parameters();
    if (!ps.length) continue;
    if (!modules.length && !name.startsWith('layer') && name !== 'fc') {
      stem.push(child);
      continue;
    }
    if (stem.length && !modules.length) add('stem', 'stem', stem.map((m) => m.kind).join(', '), stem.flatMap((m) => m.parameters()));
    add(name, child.kind, describe(child), ps);
  }
  const all = model.parameters();
  const trainable = numel(all.filter((p) => p.requiresGrad));
  return { trainable, frozen: numel(all) - trainable, modules };
}

/** 'BasicBlock ×2' for a stage of repeated blocks, the class name otherwise. */
function describe(m: nn.Module): string {
  if (m.kind !== 'Sequential') return m.kind;
  const kinds = m.children().map((c) => c.kind);
  const groups: string[] = [];
  for (let i = 0; i < kinds.length; ) {
    let j = i;
    while (j < kinds.length && kinds[j] === kinds[i]) j++;
    groups.push(`${kinds[i]} ×${j - i}`);
    i = j;
  }
  return groups.join(', ');
}

/** Indices of `perClass` held-out images of each class, interleaved by class (c0, c1, ..., c0, c1, ...). */
export function sampleIndices(labels: Int32Array, classes: number, total: number): number[] {
  const perClass = Math.ceil(total / classes);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) if (byClass[labels[i]].length < perClass) byClass[labels[i]].push(i);
  const out: number[] = [];
  for (let k = 0; k < perClass && out.length < total; k++) for (let c = 0; c < classes && out.length < total; c++) if (byClass[c][k] !== undefined) out.push(byClass[c][k]);
  return out;
}

export class FinetuneSession {
  readonly train: ShapesData;
  readonly test: ShapesData;
  readonly head: nn.Linear;
  readonly optimizer: optim.SGD;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly losses: Float32Array;
  readonly epochs: EpochRecord[] = [];
  readonly samples: number[];
  /** The samples' pixels in [0, 1] (kept before the data are normalised in place). */
  private readonly sampleImagesRaw: Float32Array;
  samplePredictions: Int32Array | null = null;
  /** Steps done, and the step within the current epoch. */
  step = 0;
  private stepInEpoch = 0;
  private order: Int32Array;
  private readonly shuffler: MT19937;
  private readonly trainFeatures: Float32Array;
  private readonly trainHave: Uint8Array;
  private readonly testFeatures: Float32Array;
  private testHave = 0;
  featuresDone = 0;
  private evalPending = false;
  private epochLoss = 0;
  private epochCorrect = 0;
  private epochSeen = 0;
  phase: Progress['phase'] = 'idle';
  playing = false;
  computeMs = 0;
  /** Losses before this index were already sent. */
  private sent = 0;
  private readonly identity = new nn.Identity();

  constructor(
    readonly runId: number,
    readonly recipe: FinetuneRecipe,
    readonly frozen: FrozenModel,
  ) {
    const r = recipe;
    this.head = replaceHead(frozen, r.classes.length, r.seed);
    this.optimizer = new optim.SGD(this.head.parameters(), { lr: r.lr, momentum: r.momentum });
    this.train = makeShapes({ classes: r.classes, perClass: r.trainPerClass, seed: r.trainSeed });
    this.test = makeShapes({ classes: r.classes, perClass: r.testPerClass, seed: r.testSeed });
    this.samples = sampleIndices(this.test.labels, r.classes.length, r.samples);
    // The raw held-out pixels of the samples are kept for display before normalising in place.
    this.sampleImagesRaw = this.gather(this.test, this.samples);
    normalize(this.train.images);
    normalize(this.test.images);
    this.stepsPerEpoch = Math.ceil(this.train.n / r.batch);
    this.totalSteps = this.stepsPerEpoch * r.epochs;
    this.losses = new Float32Array(this.totalSteps);
    const f = frozen.features;
    this.trainFeatures = new Float32Array(this.train.n * f);
    this.trainHave = new Uint8Array(this.train.n);
    this.testFeatures = new Float32Array(this.test.n * f);
    this.shuffler = new MT19937(r.seed + 1000);
    this.order = Int32Array.from({ length: this.train.n }, (_, i) => i);
  }

  get epochsDone(): number {
    return this.epochs.length;
  }

  get done(): boolean {
    return this.epochsDone >= this.recipe.epochs;
  }

  get status(): FinetuneStatus {
    if (this.done) return 'done';
    if (this.playing) return 'running';
    return this.step === 0 && this.featuresDone === 0 ? 'ready' : 'paused';
  }

  get featuresTotal(): number {
    return this.train.n + this.test.n;
  }

  /** 0..1, weighted by cost: backbone forwards dominate, then the head's steps and evaluations. */
  get fraction(): number {
    const total = this.featuresTotal + this.totalSteps * HEAD_STEP_COST + this.recipe.epochs * EVAL_COST;
    const done = this.featuresDone + this.step * HEAD_STEP_COST + this.epochsDone * EVAL_COST;
    return this.done ? 1 : Math.min(1, done / total);
  }

  get heldOutAccuracy(): number | null {
    return this.epochs.length ? this.epochs[this.epochs.length - 1].heldOutAccuracy : null;
  }

  /** The setup message: counts from the model as it stands, the samples' pixels and labels. */
  setup(): Setup {
    const m = this.frozen.meta;
    return {
      type: 'setup',
      runId: this.runId,
      recipe: this.recipe,
      pretrainedClasses: m.classes.slice(),
      pretrainedAccuracy: m.accuracy.test,
      counts: countParameters(this.frozen.model),
      modelText: this.frozen.model.repr(),
      totalSteps: this.totalSteps,
      stepsPerEpoch: this.stepsPerEpoch,
      features: this.frozen.features,
      sampleImages: this.sampleImagesRaw.slice(),
      sampleLabels: Int32Array.from(this.samples, (i) => this.test.labels[i]),
      sampleSize: this.test.size,
    };
  }

  private gather(d: ShapesData, indices: ArrayLike<number>): Float32Array {
    const px = 3 * d.size * d.size;
    const out = new Float32Array(indices.length * px);
    for (let k = 0; k < indices.length; k++) out.set(d.images.subarray(indices[k] * px, (indices[k] + 1) * px), k * px);
    return out;
  }

  /** The frozen backbone's output for images [m, 3, s, s]: the model with `fc = nn.Identity()`. */
  private backbone(images: Float32Array, m: number, size: number): Float32Array {
    const model = this.frozen.model;
    model.setAttr('fc', this.identity);
    try {
      return noGrad(() => (model.call(new Tensor(images, [m, 3, size, size], 'float32')) as Tensor).data as Float32Array);
    } finally {
      model.setAttr('fc', this.head);
    }
  }

  /** The indices of the next step's batch (reshuffling at the start of an epoch). */
  private batchIndices(): Int32Array {
    if (this.stepInEpoch === 0) this.shuffle();
    const from = this.stepInEpoch * this.recipe.batch;
    return this.order.subarray(from, Math.min(this.train.n, from + this.recipe.batch));
  }

  private shuffledFor = -1;
  private shuffle(): void {
    // Once per epoch, with its own generator: the order depends on the seed only.
    if (this.shuffledFor === this.epochsDone) return;
    this.shuffledFor = this.epochsDone;
    const o = this.order;
    for (let i = o.length - 1; i > 0; i--) {
      const j = this.shuffler.random() % (i + 1);
      const t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
  }

  /** Features of the given training images, running the backbone on those not seen yet. */
  private trainBatch(indices: Int32Array): { x: Tensor; y: Tensor; computed: number } {
    const f = this.frozen.features;
    const missing = Array.from(indices).filter((i) => !this.trainHave[i]);
    if (missing.length) {
      const out = this.backbone(this.gather(this.train, missing), missing.length, this.train.size);
      missing.forEach((i, k) => {
        this.trainFeatures.set(out.subarray(k * f, (k + 1) * f), i * f);
        this.trainHave[i] = 1;
      });
      this.featuresDone += missing.length;
    }
    const m = indices.length;
    const x = new Float32Array(m * f);
    const y = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      x.set(this.trainFeatures.subarray(indices[k] * f, (indices[k] + 1) * f), k * f);
      y[k] = this.train.labels[indices[k]];
    }
    return { x: new Tensor(x, [m, f], 'float32'), y: new Tensor(y, [m], 'int64'), computed: missing.length };
  }

  /** One unit of work: a training step, a chunk of held-out features, or the end-of-epoch evaluation. */
  unit(): boolean {
    if (this.done) return false;
    if (this.evalPending) {
      if (this.testHave < this.test.n) this.testChunk();
      else this.finishEpoch();
      return true;
    }
    this.trainStep();
    return true;
  }

  private trainStep(): void {
    const indices = this.batchIndices();
    const { x, y, computed } = this.trainBatch(indices);
    this.phase = computed ? 'backbone' : 'head';
    this.optimizer.paramGroups[0].options.lr = this.lrAt(this.step);
    const logits = this.head.call(x) as Tensor;
    const loss = crossEntropy(logits, y);
    this.optimizer.zeroGrad(true);
    backward(loss);
    this.optimizer.step();
    const value = loss.item();
    this.losses[this.step] = value;
    const pred = argmax(logits, 1).data;
    for (let i = 0; i < y.numel; i++) this.epochCorrect += +(pred[i] === y.data[i]);
    this.epochLoss += value * y.numel;
    this.epochSeen += y.numel;
    this.step++;
    this.stepInEpoch++;
    if (this.stepInEpoch === this.stepsPerEpoch) {
      this.stepInEpoch = 0;
      this.evalPending = true;
    }
  }

  /** The learning rate of step `step` under the recipe's schedule. */
  lrAt(step: number): number {
    const r = this.recipe;
    return r.schedule === 'cosine' ? (r.lr * (1 + Math.cos((Math.PI * step) / this.totalSteps))) / 2 : r.lr;
  }

  private testChunk(): void {
    this.phase = 'evaluate';
    const f = this.frozen.features;
    const from = this.testHave;
    const to = Math.min(this.test.n, from + EVAL_CHUNK);
    const idx = Array.from({ length: to - from }, (_, k) => from + k);
    const out = this.backbone(this.gather(this.test, idx), idx.length, this.test.size);
    this.testFeatures.set(out, from * f);
    this.testHave = to;
    this.featuresDone += to - from;
  }

  /** Held-out loss, accuracy and the samples' predictions with the head as it is now. */
  evaluate(): { loss: number; accuracy: number; predictions: Int32Array } {
    const f = this.frozen.features;
    const n = this.test.n;
    return noGrad(() => {
      const logits = this.head.call(new Tensor(this.testFeatures.slice(0, n * f), [n, f], 'float32')) as Tensor;
      const loss = crossEntropy(logits, new Tensor(Float64Array.from(this.test.labels), [n], 'int64')).item();
      const pred = argmax(logits, 1).data;
      let correct = 0;
      for (let i = 0; i < n; i++) correct += +(pred[i] === this.test.labels[i]);
      return { loss, accuracy: correct / n, predictions: Int32Array.from(pred) };
    });
  }

  private finishEpoch(): void {
    this.phase = 'evaluate';
    const e = this.evaluate();
    this.epochs.push({
      epoch: this.epochs.length + 1,
      trainLoss: this.epochLoss / this.epochSeen,
      trainAccuracy: this.epochCorrect / this.epochSeen,
      heldOutLoss: e.loss,
      heldOutAccuracy: e.accuracy,
    });
    this.samplePredictions = Int32Array.from(this.samples, (i) => e.predictions[i]);
    this.epochLoss = 0;
    this.epochCorrect = 0;
    this.epochSeen = 0;
    this.evalPending = false;
    if (this.done) {
      this.playing = false;
      this.phase = 'idle';
    }
  }

  /** Runs units of work until `budgetMs` has passed (at least one unit); returns how many ran. */
  runFor(budgetMs: number, now: () => number = () => performance.now()): number {
    const t0 = now();
    let n = 0;
    while (!this.done) {
      this.unit();
      n++;
      if (now() - t0 >= budgetMs) break;
    }
    this.computeMs += now() - t0;
    return n;
  }

  /** Runs to the end (tests, measurements). */
  runAll(): void {
    while (this.unit());
  }

  /** The progress since the last message: new losses, every epoch record, where the run stands. */
  progress(): Progress {
    const from = this.sent;
    this.sent = this.step;
    return {
      type: 'progress',
      runId: this.runId,
      status: this.status,
      step: this.step,
      epoch: Math.min(this.recipe.epochs, this.epochsDone + (this.done ? 0 : 1)),
      fraction: this.fraction,
      featuresDone: this.featuresDone,
      featuresTotal: this.featuresTotal,
      phase: this.playing ? this.phase : 'idle',
      from,
      losses: this.losses.slice(from, this.step),
      epochs: this.epochs.slice(),
      samplePredictions: this.samplePredictions ? this.samplePredictions.slice() : null,
      computeMs: this.computeMs,
    };
  }

  /** Sends every loss again with the next progress (a new subscriber). */
  resend(): void {
    this.sent = 0;
  }

  /**
   * The events of the step the run would take next, on the whole model: the model's parameters
   * announced (the backbone's frozen, the new head's not), the batch, the full forward through
   * every module (module-enter/exit around each), the loss, backward (which stops at the head: nothing
   * before it requires grad) and the optimizer's step. Afterwards the head, its gradients and the
   * optimizer's momentum are put back as they were, so recording changes nothing in the run.
   */
  recordStep(requestId: number): Recorded {
    const model = this.frozen.model;
    const indices = Array.from(this.batchIndices());
    const m = indices.length;
    const size = this.train.size;
    const params = this.head.parameters();
    const saved = params.map((p) => ({ data: (p.data as Float32Array).slice(), grad: p.grad }));
    const momentum = params.map((p) => this.optimizer.state.get(p)?.get('momentum_buffer') ?? null);
    const headSet = new Set(params);
    const recorded: GraphEvent[] = [];
    // After the end, one more step with the last step's learning rate (the cosine schedule ends at 0).
    const lr = this.lrAt(Math.min(this.step, this.totalSteps - 1));
    const program = stepProgram(this.recipe, { step: this.step + 1, totalSteps: this.totalSteps, lr, batch: m, features: this.frozen.features });
    const at = stepSourceMap(program);
    const stop = events.subscribe((e) => recorded.push(e));
    try {
      const bind = (name: string, t: Tensor) => events.emit({ type: 'bind', name, tensor: t.id, pos: engine.pos });
      // model = small_resnet(); model.load_state_dict(...): the parameters, requiring grad as built. (The
      // BatchNorm running statistics are buffers that no op takes as an input: left out of the graph.)
      engine.pos = at.model;
      const backboneParams = model.namedParameters().filter(([, p]) => !headSet.has(p));
      for (const [name, p] of backboneParams) {
        p.requiresGrad = true;
        created(p, 'parameter');
        bind(name, p);
      }
      // for param in model.parameters(): param.requires_grad = False
      engine.pos = at.freeze;
      for (const [, p] of backboneParams) setRequiresGrad(p, false);
      // model.fc = nn.Linear(...)
      engine.pos = at.head;
      for (const [name, p] of this.head.namedParameters('fc')) {
        created(p, 'parameter');
        bind(name, p);
      }
      engine.pos = at.batch;
      const images = created(new Tensor(this.gather(this.train, indices), [m, 3, size, size], 'float32'), 'data');
      bind('images', images);
      const labels = created(new Tensor(Float64Array.from(indices, (i) => this.train.labels[i]), [m], 'int64'), 'data');
      bind('labels', labels);
      // The step itself, with an optimizer that starts from the run's momentum.
      const opt = new optim.SGD(params, { lr, momentum: this.recipe.momentum });
      params.forEach((p, k) => {
        const buf = momentum[k];
        if (buf) opt.state.set(p, new Map([['momentum_buffer', new Tensor((buf.data as Float32Array).slice(), buf.shape.slice(), buf.dtype)]]));
      });
      engine.pos = at.forward;
      const prediction = model.call(images) as Tensor;
      bind('prediction', prediction);
      engine.pos = at.loss;
      const loss = crossEntropy(prediction, labels);
      bind('loss', loss);
      engine.pos = at.zeroGrad;
      opt.zeroGrad(true);
      engine.pos = at.backward;
      backward(loss);
      engine.pos = at.step;
      opt.step();
    } finally {
      stop();
      engine.pos = undefined;
      for (const p of model.parameters()) if (!headSet.has(p)) p.requiresGrad = false;
      params.forEach((p, k) => {
        (p.data as Float32Array).set(saved[k].data);
        p.grad = saved[k].grad;
      });
    }
    return {
      type: 'recorded',
      runId: this.runId,
      requestId,
      step: this.step + 1,
      program,
      events: recorded,
    };
  }
}
