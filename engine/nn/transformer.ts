// nn.MultiheadAttention and F.multi_head_attention_forward, and the Transformer modules built on them
// (TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer), as
// PyTorch 1.13's Python code computes and records them: torch/nn/functional.py's multi_head_attention_forward
// (_in_projection_packed's linear + chunk, heads by contiguous/view/transpose, baddbmm with a mask else bmm,
// softmax, dropout, bmm, out_proj's linear, the weights averaged over heads) and torch/nn/modules/transformer.py.
//
// Note: in eval mode, with batch_first, under no_grad (or with no tensor requiring grad) and a few more
// conditions, PyTorch takes fused kernels instead (torch._native_multi_head_attention,
// torch._transformer_encoder_layer_fwd). Those record no graph, so the composite path here gives the same
// values; the one visible difference, TransformerEncoder's nested-tensor path zeroing padded positions, is
// reproduced (see TransformerEncoder.forward).
import { allocStorage, copyStorage, isFloating, type DType } from '../dtype';
import { EngineError, runtimeError, isGradEnabled } from '../context';
import { Tensor } from '../tensor';
import { zeros, zerosLike } from '../creation';
import { add, div, logicalOr } from '../ops/arith';
import { baddbmm, bmm, linear } from '../ops/linalg';
import { dropout, softmax } from '../ops/nn';
import { maskedFill } from '../ops/select';
import { pad, repeat } from '../ops/more';
import { sum } from '../ops/reduce';
import { cat, clone, expand, reshape, splitPieces, squeeze, transpose, unsqueeze, view } from '../ops/shape';
import { Module, announceParameter } from './module';
import { Dropout, LayerNorm, Linear, ModuleList } from './layers';
import { constant_, xavierNormal_, xavierUniform_ } from './init';

const sizeText = (s: readonly number[]): string => `torch.Size([${s.join(', ')}])`;
const tupleText = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
const assertion = (ok: boolean, message: string): void => {
  if (!ok) throw new EngineError('AssertionError', message);
};

/** x.contiguous(): a copy (CloneBackward0) only when x is not contiguous. */
const contiguous = (x: Tensor): Tensor => (x.strides === undefined ? x : clone(x));

/** A Python `x.size(-1)`-style read of the last dim. */
const last = (x: Tensor): number => x.shape[x.ndim - 1];

/** Which dtypes a key_padding_mask may have. */
function checkKeyPaddingMask(mask: Tensor | null): void {
  if (mask && mask.dtype !== 'bool' && !isFloating(mask.dtype)) throw new EngineError('AssertionError', 'only bool and floating types of key_padding_mask are supported');
}

/** F.multi_head_attention_forward's arguments after (query, key, value), by their Python names in camelCase. */
export interface MhaArgs {
  embedDimToCheck: number;
  numHeads: number;
  inProjWeight: Tensor | null;
  inProjBias: Tensor | null;
  biasK: Tensor | null;
  biasV: Tensor | null;
  addZeroAttn: boolean;
  dropoutP: number;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
}

/** _mha_shape_check: whether the input is batched, with functional.py's assertions. */
function mhaShapeCheck(query: Tensor, key: Tensor, value: Tensor, kpm: Tensor | null, attnMask: Tensor | null, numHeads: number): boolean {
  if (query.ndim === 3) {
    assertion(key.ndim === 3 && value.ndim === 3, `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    if (kpm) assertion(kpm.ndim === 2, `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.ndim}-D tensor instead`);
    if (attnMask) assertion(attnMask.ndim === 2 || attnMask.ndim === 3, `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`);
    return true;
  }
  if (query.ndim === 2) {
    assertion(key.ndim === 2 && value.ndim === 2, `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    if (kpm) assertion(kpm.ndim === 1, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.ndim}-D tensor instead`);
    if (attnMask) {
      assertion(attnMask.ndim === 2 || attnMask.ndim === 3, `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`);
      if (attnMask.ndim === 3) {
        const want = [numHeads, query.shape[0], key.shape[0]];
        assertion(sameShape(attnMask.shape, want), `Expected \`attn_mask\` shape to be ${tupleText(want)} but got ${sizeText(attnMask.shape)}`);
      }
    }
    return false;
  }
  throw new EngineError('AssertionError', `query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
}

/** _in_projection_packed: one linear and a chunk for self-attention, q apart from a shared k/v, else three. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): Tensor[] {
  const e = last(q);
  const chunk = (x: Tensor, n: number, dim: number): Tensor[] => splitPieces(x, dim, new Array<number>(n).fill(Math.ceil(x.shape[dim] / n)), false);
  if (k === v) {
    if (q === k) return chunk(linear(q, w, b), 3, q.ndim - 1);
    const [wQ, wKv] = splitPieces(w, 0, [e, e * 2], true);
    const [bQ, bKv] = b ? splitPieces(b, 0, [e, e * 2], true) : [null, null];
    const kv = linear(k, wKv, bKv);
    return [linear(q, wQ, bQ), ...chunk(kv, 2, kv.ndim - 1)];
  }
  const [wQ, wK, wV] = chunk(w, 3, 0);
  const [bQ, bK, bV] = b ? chunk(b, 3, 0) : [null, null, null];
  return [linear(q, wQ, bQ), linear(k, wK, bK), linear(v, wV, bV)];
}

/** _in_projection: three linears, with its weight shape assertions. */
function inProjection(q: Tensor, k: Tensor, v: Tensor, w: [Tensor, Tensor, Tensor], b: (Tensor | null)[]): Tensor[] {
  const [eq, ek, ev] = [last(q), last(k), last(v)];
  const what = ['query', 'key', 'value'];
  [[eq, eq], [eq, ek], [eq, ev]].forEach((want, i) => assertion(sameShape(w[i].shape, want), `expecting ${what[i]} weights shape of ${tupleText(want)}, but got ${sizeText(w[i].shape)}`));
  b.forEach((x, i) => assertion(!x || sameShape(x.shape, [eq]), `expecting ${what[i]} bias shape of ${tupleText([eq])}, but got ${x ? sizeText(x.shape) : ''}`));
  return [linear(q, w[0], b[0]), linear(k, w[1], b[1]), linear(v, w[2], b[2])];
}

/** A bool or float mask padded with one column (pad(mask, (0, 1))). */
const padOne = (mask: Tensor): Tensor => pad(mask, [0, 1]);

/** F.multi_head_attention_forward: [attn_output, attn_output_weights or null]. */
export function multiHeadAttentionForward(query: Tensor, key: Tensor, value: Tensor, a: MhaArgs): [Tensor, Tensor | null] {
  const numHeads = a.numHeads;
  let kpm = a.keyPaddingMask ?? null;
  let attnMask = a.attnMask ?? null;
  const isBatched = mhaShapeCheck(query, key, value, kpm, attnMask, numHeads);
  if (!isBatched) {
    // Unbatched input runs as a batch of one, squeezed at the end. Three new tensors: self-attention then
    // projects them apart, as PyTorch's `q is k` is False from here.
    query = unsqueeze(query, 1);
    key = unsqueeze(key, 1);
    value = unsqueeze(value, 1);
    if (kpm) kpm = unsqueeze(kpm, 0);
  }
  const [tgtLen, bsz, embedDim] = query.shape;
  let srcLen = key.shape[0];
  checkKeyPaddingMask(kpm);
  assertion(embedDim === a.embedDimToCheck, `was expecting embedding dimension of ${a.embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / numHeads);
  assertion(headDim * numHeads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
  if (a.useSeparateProjWeight) {
    assertion(sameShape(key.shape.slice(0, 2), value.shape.slice(0, 2)), `key's sequence and batch dims ${sizeText(key.shape.slice(0, 2))} do not match value's ${sizeText(value.shape.slice(0, 2))}`);
  } else {
    assertion(sameShape(key.shape, value.shape), `key shape ${sizeText(key.shape)} does not match value shape ${sizeText(value.shape)}`);
  }

  // In-projection.
  let q: Tensor, k: Tensor, v: Tensor;
  if (!a.useSeparateProjWeight) {
    assertion(a.inProjWeight != null, 'use_separate_proj_weight is False but in_proj_weight is None');
    [q, k, v] = inProjectionPacked(query, key, value, a.inProjWeight!, a.inProjBias);
  } else {
    assertion(a.qProjWeight != null, 'use_separate_proj_weight is True but q_proj_weight is None');
    assertion(a.kProjWeight != null, 'use_separate_proj_weight is True but k_proj_weight is None');
    assertion(a.vProjWeight != null, 'use_separate_proj_weight is True but v_proj_weight is None');
    const b = a.inProjBias ? splitPieces(a.inProjBias, 0, new Array<number>(3).fill(Math.ceil(a.inProjBias.shape[0] / 3)), false) : [null, null, null];
    [q, k, v] = inProjection(query, key, value, [a.qProjWeight!, a.kProjWeight!, a.vProjWeight!], b);
  }

  // The attention mask as 3-D.
  if (attnMask) {
    assertion(isFloating(attnMask.dtype) || attnMask.dtype === 'bool', `Only float, byte, and bool types are supported for attn_mask, not torch.${attnMask.dtype}`);
    if (attnMask.ndim === 2) {
      const want = [tgtLen, srcLen];
      if (!sameShape(attnMask.shape, want)) throw runtimeError(`The shape of the 2D attn_mask is ${sizeText(attnMask.shape)}, but should be ${tupleText(want)}.`);
      attnMask = unsqueeze(attnMask, 0);
    } else if (attnMask.ndim === 3) {
      const want = [bsz * numHeads, tgtLen, srcLen];
      if (!sameShape(attnMask.shape, want)) throw runtimeError(`The shape of the 3D attn_mask is ${sizeText(attnMask.shape)}, but should be ${tupleText(want)}.`);
    } else throw runtimeError(`attn_mask's dimension ${attnMask.ndim} is not supported`);
  }

  // bias_k and bias_v as one more key and value.
  if (a.biasK && a.biasV) {
    assertion(!a.staticK, 'bias cannot be added to static key.');
    assertion(!a.staticV, 'bias cannot be added to static value.');
    k = cat([k, repeat(a.biasK, [1, bsz, 1])]);
    v = cat([v, repeat(a.biasV, [1, bsz, 1])]);
    if (attnMask) attnMask = padOne(attnMask);
    if (kpm) kpm = padOne(kpm);
  } else {
    assertion(!a.biasK, '');
    assertion(!a.biasV, '');
  }

  // Heads batch-first: (bsz * num_heads, len, head_dim).
  q = transpose(view(contiguous(q), [tgtLen, bsz * numHeads, headDim]), 0, 1);
  if (!a.staticK) k = transpose(view(contiguous(k), [k.shape[0], bsz * numHeads, headDim]), 0, 1);
  else {
    assertion(a.staticK.shape[0] === bsz * numHeads, `expecting static_k.size(0) of ${bsz * numHeads}, but got ${a.staticK.shape[0]}`);
    assertion(a.staticK.shape[2] === headDim, `expecting static_k.size(2) of ${headDim}, but got ${a.staticK.shape[2]}`);
    k = a.staticK;
  }
  if (!a.staticV) v = transpose(view(contiguous(v), [v.shape[0], bsz * numHeads, headDim]), 0, 1);
  else {
    assertion(a.staticV.shape[0] === bsz * numHeads, `expecting static_v.size(0) of ${bsz * numHeads}, but got ${a.staticV.shape[0]}`);
    assertion(a.staticV.shape[2] === headDim, `expecting static_v.size(2) of ${headDim}, but got ${a.staticV.shape[2]}`);
    v = a.staticV;
  }

  if (a.addZeroAttn) {
    const zeroShape = [bsz * numHeads, 1, headDim];
    k = cat([k, zeros(zeroShape, { dtype: k.dtype })], 1);
    v = cat([v, zeros(zeroShape, { dtype: v.dtype })], 1);
    if (attnMask) attnMask = padOne(attnMask);
    if (kpm) kpm = padOne(kpm);
  }
  srcLen = k.shape[1];

  // Merge key_padding_mask into attn_mask.
  if (kpm) {
    assertion(sameShape(kpm.shape, [bsz, srcLen]), `expecting key_padding_mask shape of ${tupleText([bsz, srcLen])}, but got ${sizeText(kpm.shape)}`);
    kpm = reshape(expand(view(kpm, [bsz, 1, 1, srcLen]), [bsz, numHeads, 1, srcLen]), [bsz * numHeads, 1, srcLen]);
    if (!attnMask) attnMask = kpm;
    else if (attnMask.dtype === 'bool') attnMask = logicalOr(attnMask, kpm);
    else attnMask = maskedFill(attnMask, kpm, -Infinity);
  }
  // A bool mask becomes -inf where True.
  if (attnMask && attnMask.dtype === 'bool') attnMask = maskedFill(zerosLike(attnMask, { dtype: q.dtype }), attnMask, -Infinity);

  const dropoutP = a.training === false ? 0 : a.dropoutP;

  // The attention itself.
  const e = q.shape[2];
  const qScaled = div(q, Math.sqrt(e));
  let weights = attnMask ? baddbmm(attnMask, qScaled, transpose(k, -2, -1)) : bmm(qScaled, transpose(k, -2, -1));
  weights = softmax(weights, -1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, true);
  let out = bmm(weights, v);
  out = view(contiguous(transpose(out, 0, 1)), [tgtLen * bsz, embedDim]);
  out = linear(out, a.outProjWeight, a.outProjBias);
  out = view(out, [tgtLen, bsz, out.shape[1]]);
  if (a.needWeights === false) return [isBatched ? out : squeeze(out, 1), null];
  weights = view(weights, [bsz, numHeads, tgtLen, srcLen]);
  if (a.averageAttnWeights !== false) weights = div(sum(weights, 1), numHeads);
  return isBatched ? [out, weights] : [squeeze(out, 1), squeeze(weights, 0)];
}

/** An uninitialised float32 parameter (torch.empty): reset_parameters draws its values later. */
function emptyParameter(shape: number[]): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return announceParameter(new Tensor(allocStorage('float32', n), shape, 'float32'));
}

/** out_proj's class: a Linear under another name (it exists to keep dynamic quantization off it). */
export class NonDynamicallyQuantizableLinear extends Linear {
  constructor(inFeatures: number, outFeatures: number, bias = true) {
    super(inFeatures, outFeatures, bias, 'NonDynamicallyQuantizableLinear');
  }
}

export interface MhaOptions {
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
}

/** MultiheadAttention.forward's optional arguments. */
export interface MhaForwardOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

/**
 * nn.MultiheadAttention(embed_dim, num_heads, ...): in_proj_weight (or q/k/v_proj_weight when kdim or vdim differ
 * from embed_dim), in_proj_bias, bias_k/bias_v, and the child out_proj, made and drawn in PyTorch's order: out_proj's
 * Linear init first, then xavier_uniform_ of the in-projection, zeros for both biases, xavier_normal_ of bias_k/v.
 */
export class MultiheadAttention extends Module {
  readonly kdim: number;
  readonly vdim: number;
  readonly qkvSameEmbedDim: boolean;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    o: MhaOptions = {},
  ) {
    super('MultiheadAttention');
    this.kdim = o.kdim ?? embedDim;
    this.vdim = o.vdim ?? embedDim;
    this.qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.dropout = o.dropout ?? 0;
    this.batchFirst = o.batchFirst ?? false;
    this.addZeroAttn = o.addZeroAttn ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new EngineError('AssertionError', 'embed_dim must be divisible by num_heads');
    const bias = o.bias ?? true;
    if (!this.qkvSameEmbedDim) {
      this.registerParameter('q_proj_weight', emptyParameter([embedDim, embedDim]));
      this.registerParameter('k_proj_weight', emptyParameter([embedDim, this.kdim]));
      this.registerParameter('v_proj_weight', emptyParameter([embedDim, this.vdim]));
      this.registerParameter('in_proj_weight', null);
    } else {
      this.registerParameter('in_proj_weight', emptyParameter([3 * embedDim, embedDim]));
      for (const n of ['q_proj_weight', 'k_proj_weight', 'v_proj_weight']) this.registerParameter(n, null);
    }
    this.registerParameter('in_proj_bias', bias ? emptyParameter([3 * embedDim]) : null);
    this.addModule('out_proj', new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias));
    if (o.addBiasKv) {
      this.registerParameter('bias_k', emptyParameter([1, 1, embedDim]));
      this.registerParameter('bias_v', emptyParameter([1, 1, embedDim]));
    }
    // _reset_parameters.
    if (this.qkvSameEmbedDim) xavierUniform_(this.param('in_proj_weight')!);
    else for (const n of ['q_proj_weight', 'k_proj_weight', 'v_proj_weight']) xavierUniform_(this.param(n)!);
    if (bias) {
      constant_(this.param('in_proj_bias')!, 0);
      constant_(this.outProj.bias!, 0);
    }
    if (o.addBiasKv) {
      xavierNormal_(this.param('bias_k')!);
      xavierNormal_(this.param('bias_v')!);
    }
  }

  get outProj(): Linear {
    return this.child<Linear>('out_proj');
  }

  /** A parameter the module may hold (None otherwise: bias_k without add_bias_kv). */
  p(name: string): Tensor | null {
    return this.param(name);
  }

  /** module(query, key, value, ...): [attn_output, attn_output_weights or null]. */
  override forward(query: Tensor, key: Tensor, value: Tensor, o: MhaForwardOptions = {}): [Tensor, Tensor | null] {
    const isBatched = query.ndim === 3;
    checkKeyPaddingMask(o.keyPaddingMask ?? null);
    if (this.batchFirst && isBatched) {
      // Transposed so that `key is value` and `query is key` still hold where they did.
      if (key === value) {
        if (query === key) query = key = value = transpose(query, 1, 0);
        else {
          [query, key] = [transpose(query, 1, 0), transpose(key, 1, 0)];
          value = key;
        }
      } else [query, key, value] = [transpose(query, 1, 0), transpose(key, 1, 0), transpose(value, 1, 0)];
    }
    const out = this.outProj;
    const [y, w] = multiHeadAttentionForward(query, key, value, {
      embedDimToCheck: this.embedDim, numHeads: this.numHeads, inProjWeight: this.param('in_proj_weight'), inProjBias: this.param('in_proj_bias'),
      biasK: this.param('bias_k'), biasV: this.param('bias_v'), addZeroAttn: this.addZeroAttn, dropoutP: this.dropout,
      outProjWeight: out.weight, outProjBias: out.bias, training: this.training,
      keyPaddingMask: o.keyPaddingMask ?? null, needWeights: o.needWeights ?? true, attnMask: o.attnMask ?? null,
      useSeparateProjWeight: !this.qkvSameEmbedDim, qProjWeight: this.param('q_proj_weight'), kProjWeight: this.param('k_proj_weight'),
      vProjWeight: this.param('v_proj_weight'), averageAttnWeights: o.averageAttnWeights ?? true,
    });
    return [this.batchFirst && isBatched ? transpose(y, 1, 0) : y, w];
  }
}

/** A feed-forward activation: F.relu, F.gelu, a module (registered as the child `activation`) or any function. */
export interface TransformerActivation {
  fn: ((x: Tensor) => Tensor) | null;
  /** activation_relu_or_gelu: 1 for relu, 2 for gelu, else 0. */
  reluOrGelu: 0 | 1 | 2;
  module?: Module;
}

export interface TransformerLayerOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
}

/** The parts both layers share: attention(s), linear1, dropout, linear2, norms, dropouts, in PyTorch's order. */
abstract class TransformerLayerBase extends Module {
  readonly normFirst: boolean;
  readonly activation: TransformerActivation;

  constructor(kind: string, readonly dModel: number, readonly nhead: number, o: TransformerLayerOptions, attentions: string[], norms: number) {
    super(kind);
    const p = o.dropout ?? 0.1;
    const dff = o.dimFeedforward ?? 2048;
    const eps = o.layerNormEps ?? 1e-5;
    for (const name of attentions) this.addModule(name, new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: o.batchFirst ?? false }));
    this.addModule('linear1', new Linear(dModel, dff));
    this.addModule('dropout', new Dropout(p));
    this.addModule('linear2', new Linear(dff, dModel));
    this.normFirst = o.normFirst ?? false;
    for (let i = 1; i <= norms; i++) this.addModule(`norm${i}`, new LayerNorm([dModel], eps));
    for (let i = 1; i <= norms; i++) this.addModule(`dropout${i}`, new Dropout(p));
    this.activation = o.activation ?? { fn: null, reluOrGelu: 1 };
    if (this.activation.module) this.addModule('activation', this.activation.module);
  }

  /** Calls a child module (module events for the app). */
  protected run<T>(name: string, ...inputs: unknown[]): T {
    return this.child(name).call(...inputs) as T;
  }

  protected activate(x: Tensor): Tensor {
    if (this.activation.module) return this.run('activation', x);
    if (this.activation.fn) return this.activation.fn(x);
    throw runtimeError('activation is not set');
  }

  /** _sa_block: self-attention without weights, then dropout1. */
  protected saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [y] = this.run<[Tensor, Tensor | null]>('self_attn', x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.run('dropout1', y);
  }

  /** _ff_block: linear2(dropout(activation(linear1(x)))), then the last dropout. */
  protected ffBlock(x: Tensor, lastDropout: string): Tensor {
    const h = this.run<Tensor>('dropout', this.activate(this.run('linear1', x)));
    return this.run(lastDropout, this.run('linear2', h));
  }
}

/** nn.TransformerEncoderLayer: x = norm1(x + _sa_block(x)); x = norm2(x + _ff_block(x)) (norm_first: pre-norm). */
export class TransformerEncoderLayer extends TransformerLayerBase {
  constructor(dModel: number, nhead: number, o: TransformerLayerOptions = {}) {
    super('TransformerEncoderLayer', dModel, nhead, o, ['self_attn'], 2);
  }

  override forward(src: Tensor, srcMask: Tensor | null = null, srcKeyPaddingMask: Tensor | null = null): Tensor {
    checkKeyPaddingMask(srcKeyPaddingMask);
    let x = src;
    if (this.normFirst) {
      x = add(x, this.saBlock(this.run('norm1', x), srcMask, srcKeyPaddingMask));
      x = add(x, this.ffBlock(this.run('norm2', x), 'dropout2'));
    } else {
      x = this.run('norm1', add(x, this.saBlock(x, srcMask, srcKeyPaddingMask)));
      x = this.run('norm2', add(x, this.ffBlock(x, 'dropout2')));
    }
    return x;
  }
}

/** nn.TransformerDecoderLayer: self-attention, attention over memory (multihead_attn), feed-forward. */
export class TransformerDecoderLayer extends TransformerLayerBase {
  constructor(dModel: number, nhead: number, o: TransformerLayerOptions = {}) {
    super('TransformerDecoderLayer', dModel, nhead, o, ['self_attn', 'multihead_attn'], 3);
  }

  /** _mha_block: attention of x over the memory, then dropout2. */
  private mhaBlock(x: Tensor, mem: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [y] = this.run<[Tensor, Tensor | null]>('multihead_attn', x, mem, mem, { attnMask, keyPaddingMask, needWeights: false });
    return this.run('dropout2', y);
  }

  override forward(tgt: Tensor, memory: Tensor, m: DecoderMasks = {}): Tensor {
    let x = tgt;
    const [tm, mm, tk, mk] = [m.tgtMask ?? null, m.memoryMask ?? null, m.tgtKeyPaddingMask ?? null, m.memoryKeyPaddingMask ?? null];
    if (this.normFirst) {
      x = add(x, this.saBlock(this.run('norm1', x), tm, tk));
      x = add(x, this.mhaBlock(this.run('norm2', x), memory, mm, mk));
      x = add(x, this.ffBlock(this.run('norm3', x), 'dropout3'));
    } else {
      x = this.run('norm1', add(x, this.saBlock(x, tm, tk)));
      x = this.run('norm2', add(x, this.mhaBlock(x, memory, mm, mk)));
      x = this.run('norm3', add(x, this.ffBlock(x, 'dropout3')));
    }
    return x;
  }
}

export interface DecoderMasks {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

/** _get_clones: a ModuleList of num_layers deep copies of the layer (the layer itself is not registered). */
function clones(layer: Module, n: number): ModuleList {
  return new ModuleList(Array.from({ length: n }, () => deepCopyModule(layer)));
}

/** Whether nothing that reaches the layer requires grad with grad enabled (the fused paths' last condition). */
const noGradNeeded = (ts: (Tensor | null)[]): boolean => !isGradEnabled() || !ts.some((t) => t?.requiresGrad);

/** nn.TransformerEncoder(encoder_layer, num_layers, norm=None): the layers in turn, then norm. */
export class TransformerEncoder extends Module {
  constructor(
    layer: Module,
    readonly numLayers: number,
    norm: Module | null = null,
    readonly enableNestedTensor = true,
    readonly maskCheck = true,
  ) {
    super('TransformerEncoder');
    this.addModule('layers', clones(layer, numLayers));
    this.addModule('norm', norm);
  }

  get layers(): ModuleList {
    return this.child<ModuleList>('layers');
  }

  override forward(src: Tensor, mask: Tensor | null = null, srcKeyPaddingMask: Tensor | null = null): Tensor {
    checkKeyPaddingMask(srcKeyPaddingMask);
    const nested = this.takesNestedPath(src, mask, srcKeyPaddingMask);
    let output = src;
    // On the nested-tensor path the padded positions are not there at all: attending with the mask gives the
    // same values at the others, and to_padded_tensor(0.) fills them with zeros.
    for (const layer of this.layers.children()) output = layer.call(output, mask, srcKeyPaddingMask) as Tensor;
    if (nested) output = maskedFill(output, unsqueeze(srcKeyPaddingMask!, -1), 0);
    const norm = this._modules.get('norm');
    return norm ? (norm.call(output) as Tensor) : output;
  }

  /**
   * TransformerEncoder's sparsity fast path (eval, batch_first, a left-aligned src_key_padding_mask, no grad
   * needed, ...): PyTorch runs the layers on a nested tensor of the unpadded rows.
   */
  private takesNestedPath(src: Tensor, mask: Tensor | null, kpm: Tensor | null): boolean {
    const first = this.layers.children()[0];
    if (!(first instanceof TransformerEncoderLayer) || first.normFirst || first.training || !kpm || mask || src.ndim !== 3) return false;
    const attn = first._modules.get('self_attn') as MultiheadAttention;
    const [n1, n2] = [first._modules.get('norm1'), first._modules.get('norm2')] as LayerNorm[];
    if (!attn.batchFirst || !attn.qkvSameEmbedDim || !first.activation.reluOrGelu || n1.eps !== n2.eps || !this.enableNestedTensor || attn.numHeads % 2 === 1) return false;
    if (kpm.dtype !== 'bool') return false;
    // mask_check: every row's kept positions come first.
    if (this.maskCheck) {
      const [b, s] = kpm.shape;
      for (let i = 0; i < b; i++) for (let j = 1; j < s; j++) if (kpm.data[i * s + j - 1] && !kpm.data[i * s + j]) return false;
    }
    return noGradNeeded([src, ...first.parameters()]);
  }
}

/** nn.TransformerDecoder(decoder_layer, num_layers, norm=None). */
export class TransformerDecoder extends Module {
  constructor(
    layer: Module,
    readonly numLayers: number,
    norm: Module | null = null,
  ) {
    super('TransformerDecoder');
    this.addModule('layers', clones(layer, numLayers));
    this.addModule('norm', norm);
  }

  override forward(tgt: Tensor, memory: Tensor, masks: DecoderMasks = {}): Tensor {
    let output = tgt;
    for (const layer of this.child<ModuleList>('layers').children()) output = layer.call(output, memory, masks) as Tensor;
    const norm = this._modules.get('norm');
    return norm ? (norm.call(output) as Tensor) : output;
  }
}

export interface TransformerOptions extends TransformerLayerOptions {
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
}

export interface TransformerMasks extends DecoderMasks {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/** nn.Transformer: an encoder and a decoder (each with a final LayerNorm), every matrix re-drawn by xavier_uniform_. */
export class Transformer extends Module {
  readonly batchFirst: boolean;

  constructor(
    readonly dModel = 512,
    readonly nhead = 8,
    o: TransformerOptions = {},
  ) {
    super('Transformer');
    const eps = o.layerNormEps ?? 1e-5;
    this.addModule('encoder', o.customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, o), o.numEncoderLayers ?? 6, new LayerNorm([dModel], eps)));
    this.addModule('decoder', o.customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, o), o.numDecoderLayers ?? 6, new LayerNorm([dModel], eps)));
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
    this.batchFirst = o.batchFirst ?? false;
  }

  override forward(src: Tensor, tgt: Tensor, m: TransformerMasks = {}): Tensor {
    const isBatched = src.ndim === 3;
    const b = this.batchFirst ? 0 : 1;
    if (isBatched && src.shape[b] !== tgt.shape[b]) throw runtimeError('the batch number of src and tgt must be equal');
    if (last(src) !== this.dModel || last(tgt) !== this.dModel) throw runtimeError('the feature number of src and tgt must be equal to d_model');
    const memory = this.child('encoder').call(src, m.srcMask ?? null, m.srcKeyPaddingMask ?? null) as Tensor;
    return this.child('decoder').call(tgt, memory, m) as Tensor;
  }
}

/** Transformer.generate_square_subsequent_mask(sz): -inf above the diagonal, 0 elsewhere. */
export function squareSubsequentMask(sz: number): Tensor {
  const t = zeros([sz, sz]);
  for (let i = 0; i < sz; i++) for (let j = i + 1; j < sz; j++) t.data[i * sz + j] = -Infinity;
  return t;
}

/**
 * copy.deepcopy of a module: the same class with its settings, every parameter and buffer a new tensor with the
 * same values (a parameter keeps requires_grad and its .grad's values), children copied the same way; what is
 * shared within the module stays shared within the copy.
 */
export function deepCopyModule<M extends Module>(m: M, memo = new Map<object, unknown>()): M {
  const hit = memo.get(m);
  if (hit) return hit as M;
  const c = Object.create(Object.getPrototypeOf(m) as object) as M;
  memo.set(m, c);
  Object.assign(c, m);
  const copy = (t: Tensor | null, param: boolean): Tensor | null => {
    if (!t) return null;
    const seen = memo.get(t);
    if (seen) return seen as Tensor;
    const out = copyTensor(t, param);
    memo.set(t, out);
    return out;
  };
  const w = c as unknown as Record<string, unknown>;
  w._parameters = new Map([...m._parameters].map(([n, p]) => [n, copy(p, true)]));
  w._buffers = new Map([...m._buffers].map(([n, b]) => [n, copy(b, false)]));
  w._nonPersistent = new Set(m._nonPersistent);
  w._modules = new Map([...m._modules].map(([n, s]) => [n, s && deepCopyModule(s, memo)]));
  if (m instanceof TransformerLayerBase && m.activation.module) w.activation = { ...m.activation, module: (c as Module)._modules.get('activation') };
  return c;
}

function copyTensor(t: Tensor, param: boolean): Tensor {
  const out = new Tensor(copyStorage(t.data), t.shape.slice(), t.dtype as DType);
  if (!param) return out;
  const p = announceParameter(out);
  p.requiresGrad = t.requiresGrad;
  return p;
}

