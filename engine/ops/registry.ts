// The op registry: one object literal listing every op definition, so a duplicate name is a type error
// and the inspector's formulas and the gradient-check test read the same definitions the engine runs.
import * as arith from './arith';
import * as unary from './unary';
import * as reduce from './reduce';
import * as shape from './shape';
import * as linalg from './linalg';
import * as nn from './nn';
import * as select from './select';
import * as more from './more';
import * as inplace from './inplace';
import * as upsample from './upsample';
import * as extra from './extra';
import * as lu from './lu';
import * as special from './special';
import * as misc from './misc';
import * as sampling from './sampling';
import type { MultiOutputDef, OpDef } from './define';

export const OPS = {
  add: arith.addOp, sub: arith.subOp, mul: arith.mulOp, div: arith.divOp, rsub: arith.rsubOp, div_scalar: arith.divScalarOp, zero_: inplace.zeroOp, fill_: inplace.fillOp,
  pow: arith.powScalarOp, pow_tensor: arith.powTensorOp, pow_scalar_base: arith.powScalarBaseOp,
  eq: arith.eqOp, ne: arith.neOp, lt: arith.ltOp, le: arith.leOp, gt: arith.gtOp, ge: arith.geOp,
  logical_and: arith.logicalAndOp, logical_or: arith.logicalOrOp,
  bitwise_and: arith.bitwiseAndOp, bitwise_or: arith.bitwiseOrOp, bitwise_xor: arith.bitwiseXorOp, floor_divide: arith.floorDivideOp, div_rounding: arith.divRoundingOp,
  remainder: arith.remainderOp, maximum: arith.maximumOp, minimum: arith.minimumOp,
  neg: unary.negOp, exp: unary.expOp, log: unary.logOp, sqrt: unary.sqrtOp, rsqrt: unary.rsqrtOp,
  sin: unary.sinOp, cos: unary.cosOp, tanh: unary.tanhOp, sigmoid: unary.sigmoidOp, relu: unary.reluOp,
  abs: unary.absOp, reciprocal: unary.reciprocalOp, log1p: unary.log1pOp, expm1: unary.expm1Op, square: unary.squareOp,
  sign: unary.signOp, floor: unary.floorOp, ceil: unary.ceilOp, round: unary.roundOp, logical_not: unary.logicalNotOp,
  clamp: unary.clampOp, clamp_min: unary.clampMinOp, clamp_max: unary.clampMaxOp, leaky_relu: unary.leakyReluOp,
  sum: reduce.sumOp, sum_dim: reduce.sumDimOp, mean: reduce.meanOp, mean_dim: reduce.meanDimOp,
  max: reduce.maxOp, min: reduce.minOp, max_dim: reduce.maxDimOp, min_dim: reduce.minDimOp,
  argmax: reduce.argmaxOp, argmin: reduce.argminOp, norm: reduce.normOp, dist: reduce.distOp,
  all: reduce.allOp, any: reduce.anyOp, var: reduce.varOp, std: reduce.stdOp, cumsum: reduce.cumsumOp,
  where: select.whereOp, masked_fill: select.maskedFillOp,
  view: shape.viewOp, reshape: shape.reshapeOp, flatten: shape.flattenOp, unsqueeze: shape.unsqueezeOp, squeeze: shape.squeezeOp,
  permute: shape.permuteOp, transpose: shape.transposeOp, t: shape.tOp, expand: shape.expandOp, clone: shape.cloneOp,
  detach: shape.detachOp, to: shape.toDtypeOp, index: shape.indexOp, index_put: shape.indexPutOp, cat: shape.catOp, stack: shape.stackOp,
  mm: linalg.mmOp, addmm: linalg.addmmOp, baddbmm: linalg.baddbmmOp, mv: linalg.mvOp, dot: linalg.dotOp, matmul: linalg.bmmOp,
  softmax: nn.softmaxOp, log_softmax: nn.logSoftmaxOp, nll_loss: nn.nllLossOp, mse_loss: nn.mseLossOp,
  conv2d: nn.conv2dOp, max_pool2d: nn.maxPool2dOp, avg_pool2d: nn.avgPool2dOp, adaptive_avg_pool2d: nn.adaptiveAvgPool2dOp, adaptive_max_pool2d: nn.adaptiveMaxPool2dOp,
  batch_norm: nn.batchNormOp, dropout: nn.dropoutOp,
  binary_cross_entropy: nn.binaryCrossEntropyOp, binary_cross_entropy_with_logits: nn.bceWithLogitsOp,
  erf: more.erfOp, atan: more.atanOp, asin: more.asinOp, acos: more.acosOp, sinh: more.sinhOp, cosh: more.coshOp,
  log2: more.log2Op, log10: more.log10Op, exp2: more.exp2Op, trunc: more.truncOp, frac: more.fracOp,
  softplus: more.softplusOp, silu: more.siluOp, mish: more.mishOp, gelu: more.geluOp, elu: more.eluOp, hardtanh: more.hardtanhOp,
  log_sigmoid: more.logSigmoidOp, hardswish: more.hardswishOp, hardsigmoid: more.hardsigmoidOp, atan2: more.atan2Op, hypot: more.hypotOp,
  prod: more.prodAllOp, prod_dim: more.prodDimOp, amax: more.amaxOp, amin: more.aminOp, logsumexp: more.logsumexpOp, cumprod: more.cumprodOp,
  mul_scalar: more.mulScalarOp, lerp: more.lerpOp, sgn: more.sgnOp, smooth_l1_loss: more.smoothL1LossOp, huber_loss: more.huberLossOp,
  flip: more.flipOp, roll: more.rollOp, repeat: more.repeatOp, tril: more.trilOp, triu: more.triuOp, index_select: more.indexSelectOp,
  gather: more.gatherOp, masked_select: more.maskedSelectOp, sort: more.sortOp, topk: more.topkOp, median: more.medianAllOp,
  median_dim: more.medianDimOp, layer_norm: more.layerNormOp, group_norm: more.groupNormOp, embedding: more.embeddingOp, constant_pad_nd: more.padOp,
  diagonal: more.diagonalOp, glu: more.gluOp, multi_margin_loss: nn.multiMarginLossOp,
  upsample_nearest1d: upsample.upsampleNearest1dOp, upsample_nearest2d: upsample.upsampleNearest2dOp,
  nan_to_num: more.nanToNumOp, xlogy: more.xlogyOp,
  tan: extra.tanOp, asinh: extra.asinhOp, acosh: extra.acoshOp, atanh: extra.atanhOp, erfc: extra.erfcOp, erfinv: extra.erfinvOp, sinc: extra.sincOp,
  logit: extra.logitOp, rad2deg: extra.rad2degOp, deg2rad: extra.deg2radOp, logaddexp: extra.logaddexpOp, fmod: extra.fmodOp, copysign: extra.copysignOp,
  addcmul: extra.addcmulOp, addcdiv: extra.addcdivOp, nansum: extra.nansumOp, trace: extra.traceOp, diag: extra.diagOp, take: extra.takeOp,
  kthvalue: extra.kthvalueOp, mode: extra.modeOp, cummax: extra.cummaxOp, cummin: extra.cumminOp, logcumsumexp: extra.logcumsumexpOp,
  scatter: extra.scatterSrcOp, scatter_value: extra.scatterValueOp, scatter_add: extra.scatterAddOp, index_add: extra.indexAddOp, index_fill: extra.indexFillOp,
  cross: extra.crossOp, linalg_vector_norm: reduce.vectorNormOp, conv1d: nn.conv1dOp, pixel_shuffle: extra.pixelShuffleOp,
  pixel_unshuffle: extra.pixelUnshuffleOp, prelu: extra.preluOp, threshold: extra.thresholdOp, add_scalar: extra.addScalarOp,
  conv_transpose2d: nn.convTranspose2dOp, linalg_det: lu.detOp, linalg_inv: lu.invOp, linalg_solve: lu.solveOp, linalg_slogdet: lu.logabsdetOp,
  upsample_linear1d: upsample.upsampleLinear1dOp, upsample_bilinear2d: upsample.upsampleBilinear2dOp,
  lgamma: special.lgammaOp, digamma: special.digammaOp, polygamma: special.polygammaOp, mvlgamma: special.mvlgammaOp,
  entr: special.entrOp, xlog1py: special.xlog1pyOp, i0: special.i0Op, i0e: special.i0eOp, i1: special.i1Op, i1e: special.i1eOp, ndtri: special.ndtriOp, log_ndtr: special.logNdtrOp,
  rot90: misc.rot90Op, block_diag: misc.blockDiagOp, searchsorted: misc.searchsortedOp, bincount: misc.bincountOp, histc: misc.histcOp,
  cdist: misc.cdistOp, euclidean_dist: misc.euclideanDistOp, renorm: misc.renormOp, copy_: misc.copyOp,
  bernoulli: sampling.bernoulliOp, bernoulli_: sampling.bernoulliScalarOp, bernoulli_tensor_: sampling.bernoulliTensorOp, exponential_: sampling.exponentialOp, geometric_: sampling.geometricOp,
} satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;

/** The multi-output ops (one node for several outputs, see applyMulti): their formulas, for the chain rule view. */
export const MULTI_OPS: readonly MultiOutputDef[] = [shape.splitMulti, shape.splitWithSizesMulti, shape.unsafeSplitMulti, shape.unsafeSplitWithSizesMulti, shape.unbindMulti, reduce.stdMeanDef, reduce.varMeanDef];

/** Definitions by their `name` field (what op events carry). */
export const OPS_BY_EVENT_NAME: ReadonlyMap<string, OpDef> = new Map(Object.values(OPS).map((d: OpDef) => [d.name, d] as const));
