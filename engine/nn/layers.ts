// The layers: Linear, Conv2d, BatchNorm2d, ReLU, MaxPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Identity,
// Sequential. Each forward is the torch.nn.functional op PyTorch's layer calls, so the graph shows the same
// grad_fn names (AddmmBackward0, ConvolutionBackward0, NativeBatchNormBackward0, ...).
import { allocStorage, legacyTypeName } from '../dtype';
import { engine, EngineError, runtimeError, withoutGrad } from '../context';
import { inplace } from '../ops/inplace';
import { Tensor } from '../tensor';
import { linear } from '../ops/linalg';
import { conv1d, conv2d, convTranspose2d, batchNorm, maxPool2d, adaptiveAvgPool2d, dropout } from '../ops/nn';
import { prelu } from '../ops/extra';
import { mul } from '../ops/arith';
import { relu, reluOp, tanh, sigmoid } from '../ops/unary';
import { softmax, logSoftmax, mseLoss, crossEntropy, nllLoss } from '../ops/nn';
import { flatten } from '../ops/shape';
import { layerNorm, groupNorm, embedding } from '../ops/more';
import { interpolate } from '../ops/upsample';
import { randn } from '../creation';
import { Module, announceParameter, newBuffer, newParameter, pyRepr, releaseIntermediate, sealedForward, type StateDict } from './module';
import { kaimingUniform_, fanInOut, uniform_ } from './init';

const pair = (v: number | readonly number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v.length > 1 ? v[1] : v[0]]);

function checkPositive(kind: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new EngineError('ValueError', `${kind}: ${what} must be a positive integer, got ${v}`);
}

/** A parameter of `shape` initialised as PyTorch's reset_parameters does (kaiming_uniform_(a=sqrt(5))). */
function kaimingParameter(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = new Tensor(allocStorage('float32', n, false), shape, 'float32');
  kaimingUniform_(t, Math.sqrt(5));
  return announceParameter(t);
}

/** The bias that goes with it: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
function biasParameter(n: number, weightShape: number[]): Tensor {
  const [fanIn] = fanInOut(weightShape);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  const t = new Tensor(allocStorage('float32', n, false), [n], 'float32');
  uniform_(t, -bound, bound);
  return announceParameter(t);
}

export class Linear extends Module {
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
    kind = 'Linear',
  ) {
    super(kind);
    if (!Number.isInteger(inFeatures) || inFeatures < 0 || !Number.isInteger(outFeatures) || outFeatures < 0) {
      throw runtimeError(`Trying to create tensor with negative dimension ${Math.min(inFeatures, outFeatures)}: [${outFeatures}, ${inFeatures}]`);
    }
    this.registerParameter('weight', kaimingParameter([outFeatures, inFeatures]));
    this.registerParameter('bias', bias ? biasParameter(outFeatures, [outFeatures, inFeatures]) : null);
  }
  get weight(): Tensor {
    return this.param('weight')!;
  }
  get bias(): Tensor | null {
    return this.param('bias');
  }
  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyRepr(this.bias !== null)}`;
  }
}

export interface Conv2dOptions {
  stride?: number | number[];
  padding?: number | number[] | 'valid' | 'same';
  dilation?: number | number[];
  groups?: number;
  bias?: boolean;
  paddingMode?: 'zeros';
}

export class Conv2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly paddingText: string | null;
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | number[],
    o: Conv2dOptions = {},
  ) {
    super('Conv2d');
    this.kernelSize = pair(kernelSize);
    this.stride = pair(o.stride ?? 1);
    this.dilation = pair(o.dilation ?? 1);
    this.groups = o.groups ?? 1;
    checkPositive('Conv2d', 'groups', this.groups);
    if (inChannels % this.groups !== 0) throw new EngineError('ValueError', 'in_channels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new EngineError('ValueError', 'out_channels must be divisible by groups');
    const p = o.padding ?? 0;
    if (p === 'valid') {
      this.padding = [0, 0];
      this.paddingText = 'valid';
    } else if (p === 'same') {
      if (this.stride[0] !== 1 || this.stride[1] !== 1) throw new EngineError('ValueError', "padding='same' is not supported for strided convolutions");
      const total = [0, 1].map((i) => this.dilation[i] * (this.kernelSize[i] - 1));
      if (total.some((t) => t % 2 !== 0)) throw runtimeError("padding='same' with an even kernel needs asymmetric padding, which this engine does not support");
      this.padding = [total[0] / 2, total[1] / 2];
      this.paddingText = 'same';
    } else {
      this.padding = pair(p);
      this.paddingText = null;
    }
    const shape = [outChannels, inChannels / this.groups, ...this.kernelSize];
    this.registerParameter('weight', kaimingParameter(shape));
    this.registerParameter('bias', o.bias === false ? null : biasParameter(outChannels, shape));
  }
  get weight(): Tensor {
    return this.param('weight')!;
  }
  get bias(): Tensor | null {
    return this.param('bias');
  }
  override forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (this.paddingText) s += `, padding=${this.paddingText}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

export interface BatchNormOptions2d {
  eps?: number;
  /** null: a cumulative moving average (1 / num_batches_tracked). */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

export class BatchNorm2d extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(
    readonly numFeatures: number,
    o: BatchNormOptions2d = {},
    kind: 'BatchNorm2d' | 'BatchNorm1d' = 'BatchNorm2d',
  ) {
    super(kind);
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? true;
    this.trackRunningStats = o.trackRunningStats ?? true;
    if (this.affine) {
      this.registerParameter('weight', newParameter(new Float32Array(numFeatures).fill(1), [numFeatures]));
      this.registerParameter('bias', newParameter(new Float32Array(numFeatures), [numFeatures]));
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', newBuffer([numFeatures], 'float32'));
      this.registerBuffer('running_var', newBuffer([numFeatures], 'float32', 1));
      this.registerBuffer('num_batches_tracked', newBuffer([], 'int64'));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
  }
  get weight(): Tensor | null {
    return this.param('weight');
  }
  get bias(): Tensor | null {
    return this.param('bias');
  }
  get runningMean(): Tensor | null {
    return this.buffer('running_mean');
  }
  get runningVar(): Tensor | null {
    return this.buffer('running_var');
  }
  get numBatchesTracked(): Tensor | null {
    return this.buffer('num_batches_tracked');
  }

  override forward(x: Tensor): Tensor {
    if (this.kind === 'BatchNorm1d') {
      if (x.ndim !== 2 && x.ndim !== 3) throw new EngineError('ValueError', `expected 2D or 3D input (got ${x.ndim}D input)`);
    } else if (x.ndim !== 4) throw new EngineError('ValueError', `expected 4D input (got ${x.ndim}D input)`);
    let factor = this.momentum ?? 0;
    const tracked = this.numBatchesTracked;
    if (this.training && this.trackRunningStats && tracked) {
      tracked.data[0] += 1;
      tracked.version.v++;
      factor = this.momentum === null ? 1 / tracked.data[0] : this.momentum;
    }
    const useBatchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(x, {
      runningMean: useRunning ? this.runningMean : null,
      runningVar: useRunning ? this.runningVar : null,
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** Version-1 state dicts (and safetensors files) may lack num_batches_tracked: PyTorch fills in 0. */
  protected override loadFrom(stateDict: Map<string, unknown>, prefix: string, ...rest: [boolean, string[], string[], string[], [Tensor, Tensor][]]): void {
    const key = `${prefix}num_batches_tracked`;
    if (this.trackRunningStats && !stateDict.has(key)) stateDict.set(key, new Tensor(new Float64Array(1), [], 'int64'));
    super.loadFrom(stateDict, prefix, ...rest);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyRepr(this.eps, true)}, momentum=${this.momentum === null ? 'None' : pyRepr(this.momentum, true)}, affine=${pyRepr(this.affine)}, track_running_stats=${pyRepr(this.trackRunningStats)}`;
  }
}

/** nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True): weight ones, bias zeros. */
export class LayerNorm extends Module {
  constructor(
    readonly normalizedShape: number[],
    readonly eps = 1e-5,
    readonly elementwiseAffine = true,
  ) {
    super('LayerNorm');
    const n = normalizedShape.reduce((a, b) => a * b, 1);
    this.registerParameter('weight', elementwiseAffine ? newParameter(new Float32Array(n).fill(1), normalizedShape.slice()) : null);
    this.registerParameter('bias', elementwiseAffine ? newParameter(new Float32Array(n), normalizedShape.slice()) : null);
  }
  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.param('weight'), this.param('bias'), this.eps);
  }
  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''}), eps=${pyRepr(this.eps, true)}, elementwise_affine=${pyRepr(this.elementwiseAffine)}`;
  }
}

/** nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True): weight ones, bias zeros. */
export class GroupNorm extends Module {
  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    readonly eps = 1e-5,
    readonly affine = true,
  ) {
    super('GroupNorm');
    if (numChannels % numGroups !== 0) throw new EngineError('ValueError', 'num_channels must be divisible by num_groups');
    this.registerParameter('weight', affine ? newParameter(new Float32Array(numChannels).fill(1), [numChannels]) : null);
    this.registerParameter('bias', affine ? newParameter(new Float32Array(numChannels), [numChannels]) : null);
  }
  override forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.param('weight'), this.param('bias'), this.eps);
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyRepr(this.eps, true)}, affine=${pyRepr(this.affine)}`;
  }
}

/** nn.BatchNorm1d: BatchNorm2d's computation over (N, C) or (N, C, L) input. */
export class BatchNorm1d extends BatchNorm2d {
  constructor(numFeatures: number, o: BatchNormOptions2d = {}) {
    super(numFeatures, o, 'BatchNorm1d');
  }
}

/** An elementwise activation module (GELU, SiLU, Softplus, ELU, LeakyReLU...): `fn` applied to the input. */
export class Activation extends Module {
  constructor(kind: string, readonly fn: (x: Tensor) => Tensor, readonly reprText = '') {
    super(kind);
  }
  override forward(x: Tensor): Tensor {
    return this.fn(x);
  }
  override extraRepr(): string {
    return this.reprText;
  }
}

/** A loss module (L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss): `fn(input, target, reduction)`. */
export class ElementwiseLoss extends Module {
  readonly reduction: Reduction;
  constructor(kind: string, readonly fn: (input: Tensor, target: Tensor, reduction: Reduction) => Tensor, reduction: string = 'mean') {
    super(kind);
    this.reduction = checkReduction(reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return this.fn(input, target, this.reduction);
  }
}

/** ReLU(inplace=...): the flag is kept for repr; the computation is out of place (same values, same grad_fn). */
export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super('ReLU');
  }
  override forward(x: Tensor): Tensor {
    // relu_ changes x itself, as PyTorch's: what a forward hook kept of the layer before (bn1's output) reads
    // the rectified values afterwards, and it refuses what any in-place change refuses (a leaf that requires
    // grad, a module input wrapped by a full backward hook).
    return this.inplace ? inplace(x, reluOp, [], {}, 'relu_') : relu(x);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class MaxPool2d extends Module {
  readonly stride: number | number[];
  constructor(
    readonly kernelSize: number | number[],
    stride: number | number[] | null = null,
    readonly padding: number | number[] = 0,
    readonly dilation: number | number[] = 1,
    readonly ceilMode = false,
  ) {
    super('MaxPool2d');
    this.stride = stride ?? kernelSize;
  }
  override forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.stride, this.padding, this.dilation, this.ceilMode);
  }
  override extraRepr(): string {
    const r = (v: number | number[]) => pyRepr(v);
    return `kernel_size=${r(this.kernelSize)}, stride=${r(this.stride)}, padding=${r(this.padding)}, dilation=${r(this.dilation)}, ceil_mode=${pyRepr(this.ceilMode)}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | (number | null)[]) {
    super('AdaptiveAvgPool2d');
  }
  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    const o = this.outputSize;
    return `output_size=${typeof o === 'number' ? o : `(${o.map((v) => (v === null ? 'None' : String(v))).join(', ')})`}`;
  }
}

export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super('Flatten');
  }
  override forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * nn.Upsample (and UpsamplingNearest2d, UpsamplingBilinear2d: its mode and align_corners fixed): F.interpolate
 * with the module's arguments. A scale factor is kept as a float, as PyTorch keeps it.
 */
export class Upsample extends Module {
  constructor(
    readonly size: number | number[] | null,
    /** size as the program wrote it: a list prints as [2, 3], a tuple as (2, 3). */
    readonly sizeText: string,
    readonly scaleFactor: number | number[] | null,
    readonly mode = 'nearest',
    readonly alignCorners: boolean | null = null,
    readonly recomputeScaleFactor: boolean | null = null,
    kind = 'Upsample',
  ) {
    super(kind);
  }
  override forward(x: Tensor): Tensor {
    return interpolate(x, {
      size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners,
      recomputeScaleFactor: this.recomputeScaleFactor === true, antialias: false,
      text: { size: this.sizeText, scaleFactor: this.scaleFactorText() },
    });
  }
  scaleFactorText(): string {
    const f = this.scaleFactor;
    return f === null ? 'None' : Array.isArray(f) ? `(${f.map((v) => pyRepr(v, true)).join(', ')}${f.length === 1 ? ',' : ''})` : pyRepr(f, true);
  }
  override extraRepr(): string {
    return `${this.scaleFactor !== null ? `scale_factor=${this.scaleFactorText()}` : `size=${this.sizeText}`}, mode=${this.mode}`;
  }
}

export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly inplace = false,
  ) {
    super('Dropout');
    if (p < 0 || p > 1) throw new EngineError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${pyRepr(this.p, true)}, inplace=${pyRepr(this.inplace)}`;
  }
}

export class Identity extends Module {
  constructor() {
    super('Identity');
  }
  override forward(x: unknown): unknown {
    return x;
  }
}

/** nn.Sequential: children named '0', '1', ...; forward chains them; indexable, sliceable, iterable. */
export class Sequential extends Module {
  constructor(modules: Module[] | Map<string, Module> = [], kind: 'Sequential' | 'ModuleList' = 'Sequential') {
    super(kind);
    if (modules instanceof Map) for (const [name, m] of modules) this.addModule(name, m);
    else modules.forEach((m, i) => this.addModule(String(i), m));
  }

  get length(): number {
    return this._modules.size;
  }

  /** self[i], with Python's negative indices and its IndexError. */
  at(index: number): Module {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) throw new EngineError('IndexError', `index ${index} is out of range`);
    return Array.from(this._modules.values())[i]!;
  }

  /** self[start:stop:step]: a new Sequential over the same modules, keeping their names. */
  slice(indices: number[]): Sequential {
    const entries = Array.from(this._modules.entries());
    const picked = indices.map((i) => entries[i] as [string, Module]);
    // A ModuleList slice is a new ModuleList numbered from 0; a Sequential slice keeps the names.
    if (this.kind === 'ModuleList') return new ModuleList(picked.map(([, m]) => m));
    return new Sequential(new Map(picked));
  }

  /** self[i] = module. */
  setAt(index: number, module: Module): void {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) throw new EngineError('IndexError', `index ${index} is out of range`);
    const name = Array.from(this._modules.keys())[i];
    this._modules.set(name, module);
  }

  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return (Array.from(this._modules.values()).filter((m) => m !== null) as Module[])[Symbol.iterator]();
  }

  override forward(x: unknown): unknown {
    // Each layer's output is recycled once the next layer has read it, where nothing else can (see releaseIntermediate).
    const sealed = sealedForward(this);
    let out = x;
    for (const m of this._modules.values()) {
      if (!m) continue;
      const next = m.call(out);
      if (sealed && out !== x && out instanceof Tensor && next instanceof Tensor) releaseIntermediate(out, next);
      out = next;
    }
    return out;
  }
}

/** A container's forward: PyTorch's error, as Module.forward has none. */
function missingForward(m: Module): never {
  throw new EngineError('NotImplementedError', `Module [${m.kind}] is missing the required "forward" function`);
}

/** nn.ModuleList: Sequential's container (indexing, iteration, append, len) without a forward. */
export class ModuleList extends Sequential {
  constructor(modules: Module[] = []) {
    super(modules, 'ModuleList');
  }
  override forward(): unknown {
    return missingForward(this);
  }
}

/** nn.Embedding(num_embeddings, embedding_dim): a weight drawn from N(0, 1); forward picks rows (EmbeddingBackward0). */
export class Embedding extends Module {
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
  ) {
    super('Embedding');
    this.registerParameter('weight', newParameter(randn([numEmbeddings, embeddingDim], { dtype: 'float32' }).data as Float32Array, [numEmbeddings, embeddingDim]));
  }
  get weight(): Tensor {
    return this.param('weight')!;
  }
  override forward(idx: Tensor): Tensor {
    return embedding(idx, this.weight);
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }
}

/** Tanh, Sigmoid: parameter-free activations (the polynomial tutorial's nn examples). */
export class Tanh extends Module {
  constructor() {
    super('Tanh');
  }
  override forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export class Sigmoid extends Module {
  constructor() {
    super('Sigmoid');
  }
  override forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Softmax extends Module {
  constructor(
    readonly dim: number | null = null,
    kind = 'Softmax',
  ) {
    super(kind);
  }
  override forward(x: Tensor): Tensor {
    return this.kind === 'LogSoftmax' ? logSoftmax(x, this.dim) : softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

export class LogSoftmax extends Softmax {
  constructor(dim: number | null = null) {
    super(dim, 'LogSoftmax');
  }
}

export type Reduction = 'mean' | 'sum' | 'none';

function checkReduction(r: string): Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new EngineError('ValueError', `${r} is not a valid value for reduction`);
  return r;
}

/** nn.MSELoss(reduction='mean'): loss_fn(input, target). */
export class MSELoss extends Module {
  readonly reduction: Reduction;
  constructor(reduction: string = 'mean') {
    super('MSELoss');
    this.reduction = checkReduction(reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.reduction);
  }
}

/** What CrossEntropyLoss and NLLLoss share: a reduction and an ignored target index. */
abstract class ClassificationLoss extends Module {
  readonly reduction: Reduction;
  constructor(
    kind: string,
    reduction: string,
    readonly ignoreIndex: number,
    weight: Tensor | null = null,
  ) {
    super(kind);
    this.reduction = checkReduction(reduction);
    // PyTorch's _WeightedLoss keeps the class weights as a buffer.
    this.registerBuffer('weight', weight);
  }
  get weight(): Tensor | null {
    return this.buffer('weight');
  }
}

/** nn.CrossEntropyLoss(weight=None, reduction='mean', ignore_index=-100, label_smoothing=0.0). */
export class CrossEntropyLoss extends ClassificationLoss {
  constructor(reduction: string = 'mean', ignoreIndex = -100, weight: Tensor | null = null, readonly labelSmoothing = 0) {
    super('CrossEntropyLoss', reduction, ignoreIndex, weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.reduction, this.ignoreIndex, this.weight, this.labelSmoothing);
  }
}

/** nn.NLLLoss(weight=None, reduction='mean', ignore_index=-100): on log-probabilities. */
export class NLLLoss extends ClassificationLoss {
  constructor(reduction: string = 'mean', ignoreIndex = -100, weight: Tensor | null = null) {
    super('NLLLoss', reduction, ignoreIndex, weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.reduction, this.ignoreIndex, this.weight);
  }
}

export type { StateDict };

/** nn.Conv1d: conv2d's initialisation (kaiming_uniform with a = √5, then the bias), over [N, C, L] inputs. */
export class Conv1d extends Module {
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    readonly stride = 1,
    readonly padding = 0,
    readonly dilation = 1,
    readonly groups = 1,
    bias = true,
  ) {
    super('Conv1d');
    checkPositive('Conv1d', 'groups', groups);
    if (inChannels % groups !== 0) throw new EngineError('ValueError', 'in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new EngineError('ValueError', 'out_channels must be divisible by groups');
    const shape = [outChannels, inChannels / groups, kernelSize];
    this.registerParameter('weight', kaimingParameter(shape));
    this.registerParameter('bias', bias ? biasParameter(outChannels, shape) : null);
  }
  override forward(x: Tensor): Tensor {
    return conv1d(x, this.param('weight')!, this.param('bias'), this.stride, this.padding, this.dilation, this.groups);
  }
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize},), stride=(${this.stride},)`;
    if (this.padding !== 0) s += `, padding=(${this.padding},)`;
    if (this.dilation !== 1) s += `, dilation=(${this.dilation},)`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.param('bias') === null) s += ', bias=False';
    return s;
  }
}

/** nn.ConvTranspose2d: weight [in, out/groups, kH, kW] with conv2d's initialisation (its fan-in from dim 1, as PyTorch). */
export class ConvTranspose2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | number[],
    o: { stride?: number | number[]; padding?: number | number[]; outputPadding?: number | number[]; groups?: number; bias?: boolean; dilation?: number | number[] } = {},
    readonly groups = o.groups ?? 1,
  ) {
    super('ConvTranspose2d');
    this.kernelSize = pair(kernelSize);
    this.stride = pair(o.stride ?? 1);
    this.padding = pair(o.padding ?? 0);
    this.outputPadding = pair(o.outputPadding ?? 0);
    this.dilation = pair(o.dilation ?? 1);
    checkPositive('ConvTranspose2d', 'groups', this.groups);
    if (inChannels % this.groups !== 0) throw new EngineError('ValueError', 'in_channels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new EngineError('ValueError', 'out_channels must be divisible by groups');
    const shape = [inChannels, outChannels / this.groups, ...this.kernelSize];
    this.registerParameter('weight', kaimingParameter(shape));
    this.registerParameter('bias', o.bias === false ? null : biasParameter(outChannels, shape));
  }
  override forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.param('weight')!, this.param('bias'), this.stride, this.padding, this.outputPadding, this.groups, this.dilation);
  }
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.outputPadding[0] !== 0 || this.outputPadding[1] !== 0) s += `, output_padding=${pyRepr(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.param('bias') === null) s += ', bias=False';
    return s;
  }
}

/** nn.PReLU(num_parameters=1, init=0.25): a learnable negative slope, one or one per channel. */
export class PReLU extends Module {
  constructor(readonly numParameters = 1, init = 0.25) {
    super('PReLU');
    this.registerParameter('weight', newParameter(new Float32Array(numParameters).fill(init), [numParameters]));
  }
  override forward(x: Tensor): Tensor {
    return prelu(x, this.param('weight')!);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** nn.Dropout2d: whole channels zeroed in training (a [N, C, 1, 1] mask, as F.dropout2d). */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5, readonly inplace = false) {
    super('Dropout2d');
    if (p < 0 || p > 1) throw new EngineError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const shape = x.ndim === 4 ? [x.shape[0], x.shape[1], 1, 1] : [x.shape[0], 1, 1];
    const ones = new Tensor(allocStorage(x.dtype, shape.reduce((a, b) => a * b, 1)), shape, x.dtype);
    ones.data.fill(1);
    const noise = withoutGrad(() => dropout(ones, this.p, true));
    return mul(x, noise);
  }
  override extraRepr(): string {
    return `p=${pyRepr(this.p, true)}, inplace=${pyRepr(this.inplace)}`;
  }
}

/** A module of two inputs over a function (PairwiseDistance): forward(a, b). */
export class BinaryModule extends Module {
  constructor(kind: string, readonly fn: (a: Tensor, b: Tensor) => Tensor, readonly reprText = '') {
    super(kind);
  }
  override forward(a: Tensor, b: Tensor): Tensor {
    return this.fn(a, b);
  }
  override extraRepr(): string {
    return this.reprText;
  }
}

/** nn.ModuleDict: modules by name, in insertion order; no forward. */
export class ModuleDict extends Module {
  constructor(entries: [string, Module][] = []) {
    super('ModuleDict');
    for (const [k, m] of entries) this.addModule(k, m);
  }
  override forward(): unknown {
    return missingForward(this);
  }
}

/** A parameter as ParameterList/ParameterDict print it: `Parameter containing: [torch.float32 of size 2x2]`. */
function parameterLine(key: string, p: Tensor, typeName: string): string {
  return `  (${key}): Parameter containing: [${typeName} of size ${p.shape.join('x')}]`;
}

/** nn.ParameterList: parameters registered as '0', '1', ... */
export class ParameterList extends Module {
  constructor(params: Tensor[] = []) {
    super('ParameterList');
    for (const p of params) this.append(p);
  }
  get length(): number {
    return this._parameters.size;
  }
  at(i: number): Tensor {
    const n = this.length;
    const k = i < 0 ? i + n : i;
    if (k < 0 || k >= n) throw new EngineError('IndexError', `index ${i} is out of range`);
    return this._parameters.get(String(k))!;
  }
  append(p: Tensor): this {
    this.registerParameter(String(this.length), p);
    return this;
  }
  override forward(): unknown {
    return missingForward(this);
  }
  override extraRepr(): string {
    return [...this._parameters].map(([k, p]) => parameterLine(k, p!, `torch.${p!.dtype}`)).join('\n');
  }
}

/** nn.ParameterDict: parameters by name, in insertion order. */
export class ParameterDict extends Module {
  constructor(entries: [string, Tensor][] = []) {
    super('ParameterDict');
    for (const [k, p] of entries) this.registerParameter(k, p);
  }
  override forward(): unknown {
    return missingForward(this);
  }
  override extraRepr(): string {
    return [...this._parameters].map(([k, p]) => parameterLine(k, p!, legacyTypeName(p!.dtype))).join('\n');
  }
}
