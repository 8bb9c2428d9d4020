// The importable modules a pasted program sees: torch, torch.nn, torch.nn.functional, torch.optim,
// torchvision, torchvision.models, safetensors.torch; and hostTypeOf for the engine's objects.
import { copyStorage } from '../dtype';
import * as E from '../index';
import { Tensor } from '../tensor';
import { runtimeError } from '../context';
import { GradNode } from '../autograd/node';
import { checkScalarFits, promoteTypes, resultType, type DType } from '../dtype';
import { PyError } from './errors';
import { makeAutogradFunctional } from './bindings/autogradFunctional';
import type { Runtime } from './runtime';
import { MISSING, signature, bindArgs } from './args';
import { Ellipsis, NotImplemented, PyBoundMethod, PyBuiltin, PyCallable, PyFloat, PyList, PyModule, PyTuple, PyType, hostRegistry, type HostType, type HostTypeOf, type Kwargs, type NotImplementedT, type PyValue } from './values';
import {
  DTYPES,
  tensorList,
  MEMORY_FORMATS,
  memoryFormatArg,
  TorchDType,
  TorchSize,
  boolArg,
  def,
  cppDef,
  dimsArg,
  dtypeArg,
  given,
  intArg,
  intsArg,
  nestedData,
  numArg,
  optTensorArg,
  pyTypeName,
  shapeArg,
  strArg,
  tensorArg,
  toOperand,
  typeError,
  type Arg,
} from './bindings/common';
import { AnomalyMode, AnomalyModeType, GradMode, GradModeType, SHARED, TensorType } from './bindings/tensor';
import { autogradGraphBindings, removableHandle } from './bindings/autogradGraph';
import { nnBindings, modulesBeforeInit, multiHeadAttentionForwardFn } from './bindings/nnModules';
import { setPrintOptions } from './bindings/tensorRepr';
import { Module } from '../nn/module';
import { PyClass, PyStaticMethod, type HostBase } from './classes';
import { dataBindings, usingGenerator } from './bindings/data';
import { floatRepr } from './format';
import { filled, moreFunctional, moreTorchAttrs, padWithMode, specialModule } from './bindings/moreTorch';
import { makeNumpy } from './numpy/numpyModule';
import { NDArray } from './numpy/ndarray';
import { tensorSharing } from './numpy/interop';

export interface TorchBindingOptions {
  /** Bytes of a file the program opens by name (safetensors.torch.load_file). */
  loadFile?: (name: string) => Uint8Array;
}

/** torch.set_grad_enabled(mode): takes effect at once; as a context manager, restores on exit. */
class SetGradEnabled {
  readonly prev: boolean;
  constructor(mode: boolean) {
    this.prev = E.isGradEnabled();
    E.setGradEnabled(mode);
  }
}
const SetGradEnabledType: HostType<SetGradEnabled> = {
  typeName: () => 'set_grad_enabled',
  enter: () => null,
  exit: (s) => {
    E.setGradEnabled(s.prev);
  },
  repr: () => '<torch.autograd.grad_mode.set_grad_enabled object>',
};

const requiresGradOpt = (fn: string, v: Arg): boolean => (given(v) ? boolArg(fn, 'requires_grad', v) : false);

function creationOpts(fn: string, dtype: Arg, requiresGrad: Arg, device?: Arg): E.CreateOptions {
  if (device !== undefined && given(device) && device !== null && device !== 'cpu') {
    throw runtimeError(`${fn}(): only the 'cpu' device exists in this playground`);
  }
  return { dtype: dtypeArg(fn, dtype), requiresGrad: requiresGradOpt(fn, requiresGrad) };
}

function fillValue(v: Arg): { value: number; dtype: DType } {
  if (typeof v === 'boolean') return { value: +v, dtype: 'bool' };
  if (typeof v === 'number') return { value: v, dtype: 'int64' };
  if (v instanceof PyFloat) return { value: v.value, dtype: 'float32' };
  if (v instanceof Tensor && v.numel === 1) return { value: v.data[0], dtype: v.dtype };
  throw typeError(`full(): argument 'fill_value' (position 2) must be Number, not ${pyTypeName(v as PyValue)}`);
}

/** A sequence of tensors (torch.cat's `tensors`): a list or tuple, as PyTorch's argument parser takes it. */
/** torch.eye's check of its sizes. */
function nonNegative(name: string, v: number): number {
  if (v < 0) throw runtimeError(`${name} must be greater or equal to 0, got ${v}`);
  return v;
}


/** repr() of a tuple or list of numbers, for messages. */
function numbersRepr(v: PyValue): string {
  const items = (v as PyTuple).items.map((x) => (x instanceof PyFloat ? floatRepr(x.value) : String(x)));
  return v instanceof PyList ? `[${items.join(', ')}]` : `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

/** F.interpolate's arguments, from Python values to the engine's (see E.interpolate). */
export function interpolate(x: Tensor, size: PyValue, scaleFactor: PyValue, mode: PyValue, alignCorners: PyValue, recompute: PyValue, antialias: boolean): Tensor {
  const seq = (v: PyValue) => v instanceof PyTuple || v instanceof PyList;
  return E.interpolate(x, {
    size: size === null ? null : seq(size) ? (size as PyTuple).items.map((v) => intArg('interpolate', 'size', v)) : intArg('interpolate', 'size', size),
    scaleFactor: scaleFactor === null ? null : seq(scaleFactor) ? (scaleFactor as PyTuple).items.map((v) => numArg('interpolate', 'scale_factor', v)) : numArg('interpolate', 'scale_factor', scaleFactor),
    text: { size: size !== null && seq(size) ? numbersRepr(size) : '', scaleFactor: scaleFactor !== null && seq(scaleFactor) ? numbersRepr(scaleFactor) : '' },
    mode: typeof mode === 'string' ? mode : 'nearest',
    alignCorners: alignCorners === null ? null : alignCorners === true,
    recomputeScaleFactor: recompute === true,
    antialias,
  });
}

/**
 * torch.einsum(equation, *operands), einsum(equation, [operands]) or the sublist form einsum(a, [0, 1], b,
 * [1, 2], [0, 2]), as torch.functional.einsum turns them into one equation.
 */
function einsumCall(args: PyValue[], kwargs: Kwargs | undefined, rt: Runtime): Tensor {
  if (kwargs && kwargs.size) throw typeError(`einsum() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
  if (args.length < 2) throw new PyError('ValueError', 'einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  let equation: string;
  let operands: PyValue[];
  if (args[0] instanceof Tensor) {
    const subscript = (n: PyValue): string => {
      if (n === Ellipsis) return '...';
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= 52) throw new PyError('ValueError', 'einsum(): subscript in subscript list is not within the valid range [0, 52)');
      return String.fromCharCode(n < 26 ? 65 + n : 97 + n - 26);
    };
    const sublist = (v: PyValue) => rt.toArray(v).map(subscript).join('');
    const pairs = Math.floor(args.length / 2);
    equation = Array.from({ length: pairs }, (_, i) => sublist(args[2 * i + 1])).join(',');
    if (args.length % 2 === 1) equation += '->' + sublist(args[args.length - 1]);
    operands = Array.from({ length: pairs }, (_, i) => args[2 * i]);
  } else {
    if (typeof args[0] !== 'string') throw typeError(`einsum(): argument 'equation' (position 1) must be str, not ${pyTypeName(args[0])}`);
    equation = args[0];
    operands = args.slice(1);
    if (operands.length === 1 && (operands[0] instanceof PyList || operands[0] instanceof PyTuple)) operands = rt.toArray(operands[0]);
  }
  const tensors = operands.map((t, i) => {
    if (!(t instanceof Tensor)) throw typeError(`einsum(): argument 'tensors' (position 2) must be tuple of Tensors, but found element of type ${pyTypeName(t)} at pos ${i}`);
    return t;
  });
  return E.einsum(equation, tensors);
}

function allclose(a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean): boolean {
  const n = Math.max(a.numel, b.numel);
  if (a.numel !== b.numel && a.numel !== 1 && b.numel !== 1) {
    throw runtimeError(`The size of tensor a (${a.shape[a.ndim - 1]}) must match the size of tensor b (${b.shape[b.ndim - 1]})`);
  }
  for (let i = 0; i < n; i++) {
    const x = a.data[a.numel === 1 ? 0 : i];
    const y = b.data[b.numel === 1 ? 0 : i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (!(equalNan && Number.isNaN(x) && Number.isNaN(y))) return false;
      continue;
    }
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
  }
  return true;
}

type Reduction = 'mean' | 'sum' | 'none';

function reductionArg(fn: string, v: Arg): Reduction {
  const r = strArg(fn, 'reduction', v);
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new PyError('ValueError', `${r} is not a valid value for reduction`);
  return r;
}

/** F.* functions with PyTorch's signatures. */
function makeFunctional(): Record<string, PyValue> {
  const T = (fn: string, v: Arg, name = 'input'): Tensor => tensorArg(fn, name, v);
  // F.softmax, F.tanh, ... are Python functions calling a method of their input: a non-tensor has no such attribute.
  const M = (method: string, v: Arg): Tensor => {
    if (v instanceof Tensor) return v;
    throw new PyError('AttributeError', `'${pyTypeName(v as PyValue)}' object has no attribute '${method}'`);
  };
  // A loss PyTorch computes in C++ (torch._C._nn.cross_entropy_loss): its parser names the argument's position.
  const C = (fn: string, v: Arg, name: string, position: number): Tensor => {
    if (v instanceof Tensor) return v;
    throw typeError(`${fn}(): argument '${name}' (position ${position}) must be Tensor, not ${pyTypeName(v as PyValue)}`);
  };
  const lossReduction = (fn: string, size: Arg, reduce: Arg, reduction: Arg) => {
    if (size !== null || reduce !== null) throw runtimeError(`${fn}: size_average and reduce are deprecated; use reduction='mean' | 'sum' | 'none'`);
    return reductionArg(fn, reduction);
  };
  return {
    one_hot: cppDef('one_hot', 'tensor, num_classes=-1', ([x, n]) => {
      const t = tensorArg('one_hot', 'tensor', x);
      if (t.dtype !== 'int64') throw runtimeError('one_hot is only applicable to index tensor.');
      let classes = intArg('one_hot', 'num_classes', n);
      const values = Array.from(t.data);
      if (values.some((v) => v < 0)) throw runtimeError('Class values must be non-negative.');
      if (classes === -1) classes = values.length ? Math.max(...values) + 1 : 0;
      if (values.some((v) => v >= classes)) throw runtimeError('Class values must be smaller than num_classes.');
      return filled([...t.shape, classes], 'int64', (d) => values.forEach((v, i) => (d[i * classes + v] = 1)), 'one_hot');
    }),
    relu: def('relu', 'input, inplace=False', ([x, ip]) => {
      if (ip === true) return E.inplace(T('relu', x), E.reluOp, [], {}, 'relu_');
      return E.relu(T('relu', x));
    }),
    sigmoid: def('sigmoid', 'input', ([x]) => E.sigmoid(M('sigmoid', x))),
    tanh: def('tanh', 'input', ([x]) => E.tanh(M('tanh', x))),
    leaky_relu: def('leaky_relu', 'input, negative_slope=0.01, inplace=False', ([x, s]) => E.leakyRelu(T('leaky_relu', x), numArg('leaky_relu', 'negative_slope', s))),
    softmax: def('softmax', 'input, dim=None, _stacklevel=3, dtype=None', ([x, d, , t]) => SHARED.softmax.body([M('softmax', x), d, t])),
    log_softmax: def('log_softmax', 'input, dim=None, _stacklevel=3, dtype=None', ([x, d, , t]) => SHARED.log_softmax.body([M('log_softmax', x), d, t])),
    cross_entropy: def('cross_entropy', "input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0", ([x, t, w, s, ii, r, red, ls]) => {
      return E.crossEntropy(C('cross_entropy_loss', x, 'input', 1), C('cross_entropy_loss', t, 'target', 2), lossReduction('cross_entropy', s, r, red), intArg('cross_entropy', 'ignore_index', ii),
        optTensorArg('cross_entropy', 'weight', w), numArg('cross_entropy', 'label_smoothing', ls));
    }),
    nll_loss: def('nll_loss', "input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", ([x, t, w, s, ii, r, red]) => {
      return E.nllLoss(C('nll_loss_nd', x, 'input', 1), C('nll_loss_nd', t, 'target', 2), lossReduction('nll_loss', s, r, red), intArg('nll_loss', 'ignore_index', ii), optTensorArg('nll_loss', 'weight', w));
    }),
    multi_margin_loss: def('multi_margin_loss', "input, target, p=1, margin=1, weight=None, size_average=None, reduce=None, reduction='mean'", ([x, t, p, m, w, s, r, red]) =>
      E.multiMarginLoss(T('multi_margin_loss', x), T('multi_margin_loss', t, 'target'), {
        p: numArg('multi_margin_loss', 'p', p), margin: numArg('multi_margin_loss', 'margin', m), weight: optTensorArg('multi_margin_loss', 'weight', w),
        reduction: lossReduction('multi_margin_loss', s, r, red),
      })),
    mse_loss: def('mse_loss', "input, target, size_average=None, reduce=None, reduction='mean'", ([x, t, s, r, red]) =>
      // F.mse_loss compares target.size() with input.size() first.
      E.mseLoss(M('size', x), M('size', t), lossReduction('mse_loss', s, r, red)),
    ),
    binary_cross_entropy: def('binary_cross_entropy', "input, target, weight=None, size_average=None, reduce=None, reduction='mean'", ([x, t, w, s, r, red]) => {
      if (w !== null) throw runtimeError('binary_cross_entropy(weight=...) is not supported in this playground');
      return E.binaryCrossEntropy(T('binary_cross_entropy', x), T('binary_cross_entropy', t, 'target'), lossReduction('binary_cross_entropy', s, r, red));
    }),
    binary_cross_entropy_with_logits: def('binary_cross_entropy_with_logits', "input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None", ([x, t, w, s, r, red, pw]) => {
      return E.binaryCrossEntropyWithLogits(T('binary_cross_entropy_with_logits', x), T('binary_cross_entropy_with_logits', t, 'target'), lossReduction('binary_cross_entropy_with_logits', s, r, red),
        optTensorArg('binary_cross_entropy_with_logits', 'weight', w), optTensorArg('binary_cross_entropy_with_logits', 'pos_weight', pw));
    }),
    linear: cppDef('linear', 'input, weight, bias=None', ([x, w, b]) => E.linear(T('linear', x), T('linear', w, 'weight'), optTensorArg('linear', 'bias', b))),
    conv2d: cppDef('conv2d', 'input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1', ([x, w, b, s, p, d, g]) => {
      if (typeof p === 'string') {
        if (p !== 'same' && p !== 'valid') throw runtimeError(`Invalid padding string: '${p}'`);
        const input = T('conv2d', x);
        const weight = T('conv2d', w, 'weight');
        const bias = optTensorArg('conv2d', 'bias', b);
        const stride = intsArg('conv2d', 'stride', s);
        const dil = intsArg('conv2d', 'dilation', d);
        const groups = intArg('conv2d', 'groups', g);
        if (p === 'valid') return E.conv2d(input, weight, bias, stride, 0, dil, groups);
        if ((Array.isArray(stride) ? stride : [stride]).some((v) => v !== 1)) throw runtimeError("padding='same' is not supported for strided convolutions");
        // PyTorch's _convolution_mode: total padding dilation * (k - 1) per dim, the smaller half on both sides
        // and, when it is odd, one more row/column on the bottom/right by constant_pad_nd.
        const dl = Array.isArray(dil) ? dil : [dil, dil];
        const total = [0, 1].map((i) => dl[i] * (weight.shape[2 + i] - 1));
        const left = total.map((t) => Math.floor(t / 2));
        const extra = total.map((t, i) => t - 2 * left[i]);
        const padded = extra.some((e) => e > 0) ? E.pad(input, [0, extra[1], 0, extra[0]]) : input;
        return E.conv2d(padded, weight, bias, stride, left, dil, groups);
      }
      return E.conv2d(T('conv2d', x), T('conv2d', w, 'weight'), optTensorArg('conv2d', 'bias', b), intsArg('conv2d', 'stride', s), intsArg('conv2d', 'padding', p), intsArg('conv2d', 'dilation', d), intArg('conv2d', 'groups', g));
    }),
    max_pool2d: def('max_pool2d', 'input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False', ([x, k, s, p, d, c, ri]) => {
      if (ri === true) throw runtimeError('max_pool2d(return_indices=True) is not supported in this playground');
      return E.maxPool2d(T('max_pool2d', x), intsArg('max_pool2d', 'kernel_size', k), s === null ? null : intsArg('max_pool2d', 'stride', s), intsArg('max_pool2d', 'padding', p), intsArg('max_pool2d', 'dilation', d), boolArg('max_pool2d', 'ceil_mode', c));
    }),
    avg_pool2d: cppDef('avg_pool2d', 'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None', ([x, k, s, p, c, cip, dov]) => {
      return E.avgPool2d(T('avg_pool2d', x), intsArg('avg_pool2d', 'kernel_size', k), s === null ? null : intsArg('avg_pool2d', 'stride', s), intsArg('avg_pool2d', 'padding', p),
        boolArg('avg_pool2d', 'count_include_pad', cip), boolArg('avg_pool2d', 'ceil_mode', c), dov === null ? null : intArg('avg_pool2d', 'divisor_override', dov));
    }),
    adaptive_avg_pool2d: def('adaptive_avg_pool2d', 'input, output_size', ([x, o]) =>
      E.adaptiveAvgPool2d(
        T('adaptive_avg_pool2d', x),
        o instanceof PyTuple || o instanceof PyList ? o.items.map((v) => (v === null ? null : intArg('adaptive_avg_pool2d', 'output_size', v))) : intArg('adaptive_avg_pool2d', 'output_size', o),
      ),
    ),
    adaptive_max_pool2d: def('adaptive_max_pool2d', 'input, output_size, return_indices=False', ([x, o, ri]) => {
      if (ri === true) throw runtimeError('adaptive_max_pool2d(return_indices=True) is not supported in this playground');
      return E.adaptiveMaxPool2d(
        T('adaptive_max_pool2d', x),
        o instanceof PyTuple || o instanceof PyList ? o.items.map((v) => (v === null ? null : intArg('adaptive_max_pool2d', 'output_size', v))) : intArg('adaptive_max_pool2d', 'output_size', o),
      );
    }),
    batch_norm: def('batch_norm', 'input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05', ([x, rm, rv, w, b, tr, mom, eps]) =>
      E.batchNorm(T('batch_norm', x), {
        runningMean: optTensorArg('batch_norm', 'running_mean', rm),
        runningVar: optTensorArg('batch_norm', 'running_var', rv),
        weight: optTensorArg('batch_norm', 'weight', w),
        bias: optTensorArg('batch_norm', 'bias', b),
        training: boolArg('batch_norm', 'training', tr),
        momentum: numArg('batch_norm', 'momentum', mom),
        eps: numArg('batch_norm', 'eps', eps),
      }),
    ),
    l1_loss: def('l1_loss', "input, target, size_average=None, reduce=None, reduction='mean'", ([x, t, s, r, red]) =>
      E.l1Loss(T('l1_loss', x), T('l1_loss', t, 'target'), lossReduction('l1_loss', s, r, red)),
    ),
    smooth_l1_loss: def('smooth_l1_loss', "input, target, size_average=None, reduce=None, reduction='mean', beta=1.0", ([x, t, s, r, red, b]) =>
      E.smoothL1Loss(T('smooth_l1_loss', x), T('smooth_l1_loss', t, 'target'), lossReduction('smooth_l1_loss', s, r, red), numArg('smooth_l1_loss', 'beta', b)),
    ),
    huber_loss: def('huber_loss', "input, target, reduction='mean', delta=1.0", ([x, t, red, d]) =>
      E.huberLoss(T('huber_loss', x), T('huber_loss', t, 'target'), reductionArg('huber_loss', red), numArg('huber_loss', 'delta', d)),
    ),
    softplus: def('softplus', 'input, beta=1, threshold=20', ([x, b, t]) => E.softplus(T('softplus', x), numArg('softplus', 'beta', b), numArg('softplus', 'threshold', t))),
    silu: def('silu', 'input, inplace=False', ([x]) => E.silu(T('silu', x))),
    mish: def('mish', 'input, inplace=False', ([x]) => E.mish(T('mish', x))),
    gelu: def('gelu', "input, approximate='none'", ([x, a]) => {
      const ap = strArg('gelu', 'approximate', a);
      if (ap !== 'none' && ap !== 'tanh') throw runtimeError('approximate argument must be either none or tanh.');
      return E.gelu(T('gelu', x), ap);
    }),
    elu: def('elu', 'input, alpha=1.0, inplace=False', ([x, a]) => E.elu(T('elu', x), numArg('elu', 'alpha', a))),
    selu: def('selu', 'input, inplace=False', ([x]) => E.selu(T('selu', x))),
    relu6: def('relu6', 'input, inplace=False', ([x]) => E.hardtanh(T('relu6', x), 0, 6)),
    hardtanh: def('hardtanh', 'input, min_val=-1.0, max_val=1.0, inplace=False', ([x, lo, hi]) => E.hardtanh(T('hardtanh', x), numArg('hardtanh', 'min_val', lo), numArg('hardtanh', 'max_val', hi))),
    logsigmoid: def('logsigmoid', 'input', ([x]) => E.logSigmoid(T('logsigmoid', x))),
    hardswish: def('hardswish', 'input, inplace=False', ([x]) => E.hardswish(T('hardswish', x))),
    hardsigmoid: def('hardsigmoid', 'input, inplace=False', ([x]) => E.hardsigmoid(T('hardsigmoid', x))),
    tanhshrink: def('tanhshrink', 'input', ([x]) => E.sub(T('tanhshrink', x), E.tanh(T('tanhshrink', x)))),
    softsign: def('softsign', 'input', ([x]) => E.div(T('softsign', x), E.add(E.abs(T('softsign', x)), 1))),
    softmin: def('softmin', 'input, dim=None, _stacklevel=3, dtype=None', ([x, d, , t]) => SHARED.softmax.body([E.neg(T('softmin', x)), d, t])),
    normalize: def('normalize', 'input, p=2.0, dim=1, eps=1e-12, out=None', ([x, p, d, eps]) => {
      const t = T('normalize', x);
      const n = E.clamp(E.norm(t, numArg('normalize', 'p', p), intArg('normalize', 'dim', d), true), numArg('normalize', 'eps', eps), null);
      return E.div(t, E.expand(n, t.shape.slice()));
    }),
    pad: def('pad', "input, pad, mode='constant', value=None", ([x, p, m, v]) => {
      const pads = intsArg('pad', 'pad', p);
      const mode = strArg('pad', 'mode', m);
      if (mode !== 'constant') return padWithMode(T('pad', x), Array.isArray(pads) ? pads : [pads], mode);
      return E.pad(T('pad', x), Array.isArray(pads) ? pads : [pads], v === null ? 0 : numArg('pad', 'value', v));
    }),
    group_norm: def('group_norm', 'input, num_groups, weight=None, bias=None, eps=1e-05', ([x, g, w, b, eps]) =>
      E.groupNorm(T('group_norm', x), intArg('group_norm', 'num_groups', g), optTensorArg('group_norm', 'weight', w), optTensorArg('group_norm', 'bias', b), numArg('group_norm', 'eps', eps)),
    ),
    layer_norm: def('layer_norm', 'input, normalized_shape, weight=None, bias=None, eps=1e-05', ([x, ns, w, b, eps]) => {
      const shape = intsArg('layer_norm', 'normalized_shape', ns);
      return E.layerNorm(T('layer_norm', x), Array.isArray(shape) ? shape : [shape], optTensorArg('layer_norm', 'weight', w), optTensorArg('layer_norm', 'bias', b), numArg('layer_norm', 'eps', eps));
    }),
    embedding: def('embedding', 'input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False', ([x, w, pi, mn]) => {
      if (pi !== null || mn !== null) throw runtimeError('embedding(padding_idx=..., max_norm=...) is not supported in this playground');
      return E.embedding(T('embedding', x), T('embedding', w, 'weight'));
    }),
    interpolate: def('interpolate', "input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False", ([x, sz, sf, m, ac, rsf, aa]) =>
      interpolate(T('interpolate', x), sz as PyValue, sf as PyValue, m as PyValue, ac as PyValue, rsf as PyValue, aa === true)),
    // The deprecated spellings (PyTorch warns on stderr, which the console does not show).
    upsample: def('upsample', "input, size=None, scale_factor=None, mode='nearest', align_corners=None", ([x, sz, sf, m, ac]) =>
      interpolate(T('upsample', x), sz as PyValue, sf as PyValue, m as PyValue, ac as PyValue, null, false)),
    upsample_nearest: def('upsample_nearest', 'input, size=None, scale_factor=None', ([x, sz, sf]) =>
      interpolate(T('upsample_nearest', x), sz as PyValue, sf as PyValue, 'nearest', null, null, false)),
    upsample_bilinear: def('upsample_bilinear', 'input, size=None, scale_factor=None', ([x, sz, sf]) =>
      interpolate(T('upsample_bilinear', x), sz as PyValue, sf as PyValue, 'bilinear', true, null, false)),
    glu: def('glu', 'input, dim=-1', ([x, d]) => E.glu(T('glu', x), intArg('glu', 'dim', d))),
    dropout: def('dropout', 'input, p=0.5, training=True, inplace=False', ([x, p, tr]) => E.dropout(T('dropout', x), numArg('dropout', 'p', p), boolArg('dropout', 'training', tr))),
  };
}

/** A parameter that must be a torch.dtype, with PyTorch's message naming it and its position. */
function dtypeParam(fn: string, name: string, position: number, v: PyValue | typeof MISSING): DType {
  if (v instanceof TorchDType) return v.dtype;
  throw typeError(`${fn}(): argument '${name}' (position ${position}) must be torch.dtype, not ${pyTypeName(v as PyValue)}`);
}

function makeTorch(rt: () => Runtime): Record<string, PyValue> {
  const attrs: Record<string, PyValue> = {};
  for (const [name, s] of Object.entries(SHARED)) attrs[name] = cppDef(name, s.spec, s.body);
  for (const [name, v] of Object.entries(moreTorchAttrs(rt))) if (!(name in attrs)) attrs[name] = v;
  const sizeSpec = '*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False';
  const likeSpec = 'input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None';
  const sized = (name: string, f: (shape: number[], o: E.CreateOptions) => Tensor) =>
    cppDef(name, sizeSpec, ([size, , dt, , dev, rg]) => f(shapeArg(name, size as PyTuple, { ints: name === 'rand' || name === 'randn' }), creationOpts(name, dt, rg, dev)));
  const random = (name: string, f: (shape: number[], o: E.CreateOptions) => Tensor) =>
    cppDef(name, '*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False', ([size, gen, , dt, , dev, rg]) =>
      usingGenerator(gen, name, () => f(shapeArg(name, size as PyTuple, { ints: true }), creationOpts(name, dt, rg, dev))));
  // The *_like functions lay their result out as the input (MemoryFormat::Preserve): zeros_like(x.t()) is
  // transposed too, and randn_like(x.t()) draws its numbers in that memory order.
  const laidOutLike = (name: string, x: Tensor, out: Tensor, mf: PyValue | undefined): Tensor => {
    const strides = memoryFormatArg(name, mf) === 'preserve' ? E.preservedStrides(x) : undefined;
    return strides ? E.inLayout(out, strides, name === 'rand_like' || name === 'randn_like') : out;
  };
  const like = (name: string, f: (x: Tensor, o: E.CreateOptions) => Tensor) =>
    cppDef(name, likeSpec, ([x, dt, , dev, rg, mf]) => {
      const o = creationOpts(name, dt, rg, dev);
      if (o.dtype === undefined) delete o.dtype;
      const input = tensorArg(name, 'input', x);
      return laidOutLike(name, input, f(input, o), mf as PyValue);
    });
  Object.assign(attrs, {
    tensor: cppDef('tensor', 'data, *, dtype=None, device=None, requires_grad=False, pin_memory=False', ([data, dt, dev, rg]) =>
      E.tensor(nestedData(data as PyValue), creationOpts('tensor', dt, rg, dev)),
    ),
    as_tensor: cppDef('as_tensor', 'data, dtype=None, device=None', ([data, dt]) => {
      if (data instanceof Tensor && (dt === null || (dt as TorchDType).dtype === data.dtype)) return data;
      return E.tensor(nestedData(data as PyValue), { dtype: dtypeArg('as_tensor', dt) });
    }),
    // The legacy typed constructors Korean and older tutorials use: torch.FloatTensor([[1], [2]]) is a float32
    // tensor of that data; torch.FloatTensor(2, 3) one of that shape (uninitialized in PyTorch; zeros here).
    ...Object.fromEntries(
      ([['FloatTensor', 'float32'], ['DoubleTensor', 'float64'], ['LongTensor', 'int64'], ['IntTensor', 'int32'], ['BoolTensor', 'bool']] as const).map(([name, dtype]) => [
        name,
        new PyBuiltin(name, (args, kwargs) => {
          if (kwargs && kwargs.size) throw typeError(`${name}() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
          if (args.length === 0) return E.zeros([0], { dtype });
          if (args.every((a) => typeof a === 'number')) return E.zeros(args as number[], { dtype });
          if (args.length === 1 && args[0] instanceof PyTuple && args[0].items.every((a) => typeof a === 'number') && args[0].typeName === 'torch.Size') {
            return E.zeros(args[0].items as number[], { dtype });
          }
          if (args.length !== 1) throw typeError(`new(): invalid data type '${pyTypeName(args[1])}'`);
          return E.tensor(nestedData(args[0]), { dtype });
        }),
      ]),
    ),
    zeros: sized('zeros', E.zeros),
    ones: sized('ones', E.ones),
    empty: sized('empty', E.zeros),
    rand: random('rand', E.rand),
    randn: random('randn', E.randn),
    zeros_like: like('zeros_like', E.zerosLike),
    ones_like: like('ones_like', E.onesLike),
    empty_like: like('empty_like', E.zerosLike),
    rand_like: like('rand_like', E.randLike),
    randn_like: like('randn_like', E.randnLike),
    full: cppDef('full', 'size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False', ([size, fv, , dt, , dev, rg]) => {
      const f = fillValue(fv);
      const o = creationOpts('full', dt, rg, dev);
      return E.full((size instanceof PyTuple || size instanceof PyList ? size.items : [size as PyValue]).map((s) => intArg('full', 'size', s)), f.value, { ...o, dtype: o.dtype ?? f.dtype });
    }),
    full_like: cppDef('full_like', 'input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None', ([x, fv, dt, , dev, rg, mf]) => {
      const o = creationOpts('full_like', dt, rg, dev);
      if (o.dtype === undefined) delete o.dtype;
      const input = tensorArg('full_like', 'input', x);
      return laidOutLike('full_like', input, E.fullLike(input, numArg('full_like', 'fill_value', fv), o), mf as PyValue);
    }),
    randint: new PyType('randint', () => false, (args, kwargs) => {
      const pos = args.slice();
      const sig = signature('randint', pos.length >= 3 ? 'low, high, size, *, generator=None, dtype=None, device=None, requires_grad=False' : 'high, size, *, generator=None, dtype=None, device=None, requires_grad=False');
      const a = bindArgs(sig, pos, kwargs);
      const [low, high, size, gen, dt, dev, rg] = pos.length >= 3 ? a : [0, ...a];
      const shape = size instanceof PyTuple || size instanceof PyList ? size.items.map((s) => intArg('randint', 'size', s)) : [intArg('randint', 'size', size)];
      return usingGenerator(gen, 'randint', () => E.randint(intArg('randint', 'low', low), intArg('randint', 'high', high), shape, creationOpts('randint', dt, rg, dev)));
    }),
    randperm: def('randperm', 'n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False', ([n, gen, , dt, , dev, rg]) =>
      usingGenerator(gen, 'randperm', () => E.randperm(intArg('randperm', 'n', n), creationOpts('randperm', dt, rg, dev))),
    ),
    normal: def('normal', 'mean, std, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False', ([m, s, size, gen, , dt, , dev, rg]) => {
      if (m instanceof Tensor || s instanceof Tensor || size === null) throw runtimeError('torch.normal with tensor mean/std is not supported in this playground; use torch.normal(mean, std, size=...)');
      const shape = size instanceof PyTuple || size instanceof PyList ? size.items.map((v) => intArg('normal', 'size', v)) : [intArg('normal', 'size', size)];
      return usingGenerator(gen, 'normal', () => E.normal(numArg('normal', 'mean', m), numArg('normal', 'std', s), shape, creationOpts('normal', dt, rg, dev)));
    }),
    addmm: def('addmm', 'input, mat1, mat2, *, beta=1, alpha=1', ([b, x, y, beta, alpha]) => {
      if (beta !== 1 || alpha !== 1) throw runtimeError('addmm(beta=..., alpha=...) is not supported in this playground');
      return E.addmm(tensorArg('addmm', 'input', b), tensorArg('addmm', 'mat1', x), tensorArg('addmm', 'mat2', y));
    }),
    linspace: cppDef('linspace', 'start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False', ([s, e, n, , dt, , dev, rg]) =>
      E.linspace(numArg('linspace', 'start', s), numArg('linspace', 'end', e), intArg('linspace', 'steps', n), creationOpts('linspace', dt, rg, dev)),
    ),
    arange: cppDef('arange', 'start, end=?, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False', ([s, e, st, , dt, , dev, rg]) => {
      const anyFloat = [s, e, st].some((v) => v instanceof PyFloat);
      const o = creationOpts('arange', dt, rg, dev);
      return E.arange(numArg('arange', 'start', s), given(e) ? numArg('arange', 'end', e) : undefined, numArg('arange', 'step', st), { ...o, anyFloat });
    }),
    eye: cppDef('eye', 'n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False', ([n, m, , dt, , dev, rg]) =>
      E.eye(nonNegative('n', intArg('eye', 'n', n)), m === null ? undefined : nonNegative('m', intArg('eye', 'm', m)), creationOpts('eye', dt, rg, dev)),
    ),
    manual_seed: def('manual_seed', 'seed', ([s]) => {
      E.manualSeed(intArg('manual_seed', 'seed', s));
      return null;
    }),
    cat: cppDef('cat', 'tensors, dim=0, *, out=None', ([ts, d]) => E.cat(tensorList('cat', ts, rt()), intArg('cat', 'dim', d))),
    concat: cppDef('concat', 'tensors, dim=0, *, out=None', ([ts, d]) => E.cat(tensorList('concat', ts, rt()), intArg('concat', 'dim', d))),
    concatenate: cppDef('concatenate', 'tensors, dim=0, *, out=None', ([ts, d]) => E.cat(tensorList('concatenate', ts, rt()), intArg('concatenate', 'dim', d))),
    einsum: new PyBuiltin('einsum', (args, kwargs) => einsumCall(args, kwargs, rt())),
    stack: cppDef('stack', 'tensors, dim=0, *, out=None', ([ts, d]) => E.stack(tensorList('stack', ts, rt()), intArg('stack', 'dim', d))),
    reshape: cppDef('reshape', 'input, shape', ([x, s]) => E.reshape(tensorArg('reshape', 'input', x), shapeArg('reshape', new PyTuple([s as PyValue]), { name: 'shape', position: 2 }))),
    flip: cppDef('flip', 'input, dims', ([x, d]) => E.flip(tensorArg('flip', 'input', x), shapeArg('flip', new PyTuple([d as PyValue])))),
    permute: cppDef('permute', 'input, dims', ([x, d]) => E.permute(tensorArg('permute', 'input', x), shapeArg('permute', new PyTuple([d as PyValue]), { name: 'dims', ints: true, position: 2 }))),
    where: cppDef('where', 'condition, input=?, other=?', ([c, x, y]) => {
      if (!given(x) || !given(y)) throw runtimeError('torch.where(condition) with one argument (nonzero) is not supported in this playground');
      const a = toOperand(x);
      const b = toOperand(y);
      if (a === null || b === null) throw typeError(`where(): argument '${a === null ? 'input' : 'other'}' must be Tensor or Number, not ${pyTypeName((a === null ? x : y) as PyValue)}`);
      // A number beside an integer tensor becomes one of its type, and must fit.
      if (a instanceof Tensor && typeof b === 'number') checkScalarFits(b, a.dtype);
      if (b instanceof Tensor && typeof a === 'number') checkScalarFits(a, b.dtype);
      return E.where(tensorArg('where', 'condition', c), a, b);
    }),
    no_grad: def('no_grad', '', () => new GradMode('no_grad', false)),
    // inference_mode is no_grad here (its tensors' extra restrictions are not modelled).
    inference_mode: def('inference_mode', 'mode=True', ([m]) => new GradMode('inference_mode', !(m === true || m === MISSING))),
    enable_grad: def('enable_grad', '', () => new GradMode('enable_grad', true)),
    set_grad_enabled: def('set_grad_enabled', 'mode', ([m]) => new SetGradEnabled(boolArg('set_grad_enabled', 'mode', m))),
    is_grad_enabled: cppDef('is_grad_enabled', '', () => E.isGradEnabled()),
    is_tensor: def('is_tensor', 'obj', ([o]) => o instanceof Tensor),
    promote_types: cppDef('promote_types', 'type1, type2', ([a, b]) =>
      DTYPES[promoteTypes(dtypeParam('promote_types', 'type1', 1, a), dtypeParam('promote_types', 'type2', 2, b))]),
    // Python numbers take part as PyTorch wraps them: lower priority than any tensor of their category.
    result_type: cppDef('result_type', 'tensor1, tensor2', (args) => DTYPES[resultType(args.map((v) => {
      if (v instanceof Tensor) return { dtype: v.dtype, zeroDim: v.ndim === 0, wrappedNumber: v.isWrappedNumber };
      if (typeof v === 'boolean') return { dtype: 'bool', zeroDim: true, wrappedNumber: true };
      if (typeof v === 'number') return { dtype: 'int64', zeroDim: true, wrappedNumber: true };
      if (v instanceof PyFloat) return { dtype: 'float64', zeroDim: true, wrappedNumber: true };
      throw typeError(`result_type() received an invalid combination of arguments - got (${args.map((x) => pyTypeName(x as PyValue)).join(', ')})`);
    }))]),
    // c10's canCast: no float to an integer, nothing but bool to bool.
    can_cast: cppDef('can_cast', 'from, to', ([a, b]) => {
      const from = dtypeParam('can_cast', 'from', 1, a);
      const to = dtypeParam('can_cast', 'to', 2, b);
      return !(E.isFloating(from) && !E.isFloating(to)) && !(from !== 'bool' && to === 'bool');
    }),
    is_floating_point: cppDef('is_floating_point', 'input', ([x]) => E.isFloating(tensorArg('is_floating_point', 'input', x).dtype)),
    get_default_dtype: cppDef('get_default_dtype', '', () => DTYPES.float32),
    set_default_dtype: def('set_default_dtype', 'd', () => {
      throw runtimeError('set_default_dtype is not supported in this playground (the default is torch.float32); pass dtype= instead');
    }),
    set_printoptions: def('set_printoptions', 'precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None', ([p, t, e, l, pr, sci]) => {
      const opt = (v: Arg, name: string): number | undefined => (given(v) && v !== null ? intArg('set_printoptions', name, v) : undefined);
      setPrintOptions({
        precision: opt(p, 'precision'),
        threshold: given(t) && t !== null ? numArg('set_printoptions', 'threshold', t) : undefined,
        edgeitems: opt(e, 'edgeitems'),
        linewidth: opt(l, 'linewidth'),
        profile: given(pr) && pr !== null ? String(pr) : undefined,
        sciMode: given(sci) && sci !== null ? boolArg('set_printoptions', 'sci_mode', sci) : null,
      });
      return null;
    }),
    allclose: cppDef('allclose', 'input, other, rtol=1e-05, atol=1e-08, equal_nan=False', ([a, b, r, t, n]) =>
      allclose(tensorArg('allclose', 'input', a), tensorArg('allclose', 'other', b), numArg('allclose', 'rtol', r), numArg('allclose', 'atol', t), boolArg('allclose', 'equal_nan', n)),
    ),
    equal: cppDef('equal', 'input, other', ([a, b]) => {
      const x = tensorArg('equal', 'input', a);
      const y = tensorArg('equal', 'other', b);
      return x.shape.length === y.shape.length && x.shape.every((s, i) => s === y.shape[i]) && x.data.every((v, i) => v === y.data[i]);
    }),
    device: def('device', 'type, index=None', ([t]) => {
      const s = strArg('device', 'type', t);
      if (s !== 'cpu') throw runtimeError(`only the 'cpu' device exists in this playground, got '${s}'`);
      return 'cpu';
    }),
    from_numpy: cppDef('from_numpy', 'ndarray', ([a]) => {
      if (!(a instanceof NDArray)) throw typeError(`expected np.ndarray (got ${pyTypeName(a as PyValue)})`);
      return tensorSharing(a);
    }),
    Tensor: new PyType('Tensor', (v) => v instanceof Tensor, (a, k) => {
      if (k && k.size) throw typeError('Tensor() takes no keyword arguments');
      if (a.length === 1 && (a[0] instanceof PyList || a[0] instanceof PyTuple)) return E.tensor(nestedData(a[0]), { dtype: 'float32' });
      return E.zeros(a.map((x) => intArg('Tensor', 'size', x)), { dtype: 'float32' });
    }),
    Size: new PyType('Size', (v) => v instanceof TorchSize, (a) => new TorchSize(a.length ? rt().toArray(a[0]) : [])),
    dtype: new PyType('dtype', (v) => v instanceof TorchDType, () => {
      throw typeError("cannot create 'torch.dtype' instances");
    }),
    // The version whose semantics, names and numbers the engine follows (what version checks in pasted code see).
    __version__: '1.13.1',
    float32: DTYPES.float32,
    float: DTYPES.float32,
    float64: DTYPES.float64,
    double: DTYPES.float64,
    int64: DTYPES.int64,
    long: DTYPES.int64,
    int32: DTYPES.int32,
    int: DTYPES.int32,
    int16: DTYPES.int16,
    short: DTYPES.int16,
    int8: DTYPES.int8,
    uint8: DTYPES.uint8,
    contiguous_format: MEMORY_FORMATS.contiguous,
    preserve_format: MEMORY_FORMATS.preserve,
    bool: DTYPES.bool,
    cuda: new PyModule('torch.cuda', {
      is_available: def('is_available', '', () => false),
      device_count: def('device_count', '', () => 0),
    }),
  });
  attrs.special = specialModule(attrs);
  return attrs;
}

/**
 * The modules table and hostTypeOf for an interpreter running torch programs: torch and
 * torch.nn.functional from here, torch.nn / torch.optim / torchvision / safetensors from
 * bindings/nnModules.ts (installed into the same table).
 */
export function makeTorchEnvironment(
  rt: () => Runtime,
  options: TorchBindingOptions = {},
): { modules: Map<string, PyValue>; hostTypeOf: HostTypeOf; hostBases: Map<PyValue, HostBase>; types: Map<string, PyValue> } {
  const F = new PyModule('torch.nn.functional', { ...moreFunctional(), ...makeFunctional(), multi_head_attention_forward: multiHeadAttentionForwardFn() });
  const torchAttrs = makeTorch(rt);
  const torch = new PyModule('torch', torchAttrs);
  // type(x) of a tensor, a torch.Size or a dtype is torch's class (`<class 'torch.Tensor'>`, `type(x) is torch.Tensor`).
  const types = new Map<string, PyValue>();
  for (const name of ['Tensor', 'Size', 'dtype'] as const) {
    const t = torchAttrs[name] as PyType;
    t.qualname = `torch.${name}`;
    types.set(name, t);
  }
  const modules = new Map<string, PyValue>([
    ['torch', torch],
    ['torch.nn.functional', F],
    ['torch.cuda', torchAttrs.cuda],
    ['torch.special', torchAttrs.special],
  ]);
  const openFile = (name: string): Uint8Array | undefined => {
    if (!options.loadFile) return undefined;
    try {
      return options.loadFile(name);
    } catch {
      return undefined;
    }
  };
  const nn = nnBindings({ openFile });
  nn.install(modules);
  // type(model) is nn.Linear; type(p) of a parameter is nn.Parameter.
  for (const [name, t] of (modules.get('torch.nn') as PyModule).attrs) if (t instanceof PyType) types.set(name, t);
  const nnHostTypeOf = hostRegistry(nn.hostTypes);
  const data = dataBindings(rt);
  const utils = new PyModule('torch.utils', { data: data.module });
  modules.set('torch.utils', utils);
  modules.set('torch.utils.data', data.module);
  torch.attrs.set('utils', utils);
  torch.attrs.set('Generator', data.generatorClass);
  const dataHostTypeOf = hostRegistry(data.hostTypes);
  // Tensor methods that call back into the program (register_hook) need this environment's runtime.
  const registerHook = (self: Tensor, args: PyValue[], kwargs: Kwargs): PyValue => {
    const [fn] = bindArgs(signature('register_hook', 'hook'), args, kwargs);
    const remove = E.registerHook(self, (g) => {
      const r = rt().call(fn as PyValue, [g], null);
      if (r === null) return null;
      if (!(r instanceof Tensor)) throw typeError(`hook returned ${pyTypeName(r)}; expected a Tensor or None`);
      return r;
    }, fn instanceof PyCallable ? fn.name : pyTypeName(fn as PyValue));
    return removableHandle(remove);
  };
  const tensorType: HostType<Tensor> = {
    ...TensorType,
    getattr: (t, name) => (name === 'register_hook' ? new PyBoundMethod(t, name, (self, a, k) => registerHook(self as Tensor, a, k)) : TensorType.getattr!(t, name)),
    callMethod: (self, name, args, kwargs) => (name === 'register_hook' ? registerHook(self, args, kwargs) : TensorType.callMethod!(self, name, args, kwargs)),
  };
  const graph = autogradGraphBindings(rt);
  const graphHostTypeOf = hostRegistry(graph.hostTypes);
  const numpy = makeNumpy(rt);
  for (const [name, m] of numpy.modules) modules.set(name, m);
  types.set('numpy.ndarray', numpy.ndarrayType);
  const numpyHostTypeOf = hostRegistry(numpy.hostTypes);
  const hostTypeOf: HostTypeOf = (v) => {
    if (v instanceof Tensor) return tensorType;
    if (v instanceof NDArray) return numpy.hostTypes[0][1];
    if (v instanceof GradNode) return graph.gradNodeType;
    if (v instanceof GradMode) return GradModeType;
    if (v instanceof AnomalyMode) return AnomalyModeType;
    if (v instanceof SetGradEnabled) return SetGradEnabledType;
    if (v instanceof FunctionCtx) return FunctionCtxType;
    return nnHostTypeOf(v) ?? dataHostTypeOf(v) ?? numpyHostTypeOf(v) ?? graphHostTypeOf(v);
  };
  const hostBases = new Map<PyValue, HostBase>();
  const moduleClass = (modules.get('torch.nn') as PyModule | undefined)?.attrs.get('Module');
  if (moduleClass !== undefined) hostBases.set(moduleClass, MODULE_BASE);
  const functionClass = new PyType('Function', () => false, () => {
    throw runtimeError('torch.autograd.Function is used by deriving from it: class MyFunction(torch.autograd.Function)');
  });
  hostBases.set(functionClass, makeFunctionBase(rt));
  const tensorsOf = (fn: string, what: string, v: Arg): Tensor[] =>
    v instanceof Tensor ? [v] : rt().toArray(v as PyValue).map((t) => tensorArg(fn, what, t));
  const optTensorsOf = (fn: string, what: string, v: Arg, n: number): (Tensor | null)[] =>
    v === null ? new Array<null>(n).fill(null) : v instanceof Tensor ? [v] : rt().toArray(v as PyValue).map((t) => (t === null ? null : tensorArg(fn, what, t)));
  /** Runs backward from each output with its seed; every run but the last keeps the graph. */
  const eachOutput = (outs: Tensor[], seeds: (Tensor | null)[], retain: boolean, run: (o: Tensor, seed: Tensor | null, keep: boolean) => void): void => {
    if (seeds.length !== outs.length) throw runtimeError(`grad can be implicitly created only for scalar outputs`);
    outs.forEach((o, i) => run(o, seeds[i], i < outs.length - 1 || retain));
  };
  const autograd = new PyModule('torch.autograd', {
    Function: functionClass,
    grad: def('grad', 'outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True, allow_unused=False, is_grads_batched=False', ([o, i, go, rg, cg, , au]) => {
      const createGraph = boolArg('grad', 'create_graph', cg);
      const outs = tensorsOf('grad', 'outputs', o);
      const ins = tensorsOf('grad', 'inputs', i);
      const seeds = optTensorsOf('grad', 'grad_outputs', go, outs.length);
      // retain_graph defaults to create_graph, as in PyTorch.
      const retain = rg === null ? createGraph : boolArg('grad', 'retain_graph', rg);
      const allowUnused = boolArg('grad', 'allow_unused', au);
      let total: (Tensor | null)[] = ins.map(() => null);
      eachOutput(outs, seeds, retain, (out, seed, keep) => {
        const gs = E.autogradGrad(out, ins, { gradient: seed, retainGraph: keep, allowUnused: true, createGraph });
        total = total.map((t, k) => (gs[k] === null ? t : t === null ? gs[k] : E.add(t, gs[k]!)));
      });
      if (!allowUnused && total.some((t) => t === null)) {
        throw runtimeError('One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
      }
      return new PyTuple(total);
    }),
    backward: def('backward', 'tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None', ([t, gt, rg, cg]) => {
      const createGraph = boolArg('backward', 'create_graph', cg);
      const outs = tensorsOf('backward', 'tensors', t);
      eachOutput(outs, optTensorsOf('backward', 'grad_tensors', gt, outs.length), rg === null ? createGraph : boolArg('backward', 'retain_graph', rg), (out, seed, keep) =>
        E.backward(out, { gradient: seed, retainGraph: keep, createGraph }));
      return null;
    }),
  });
  autograd.attrs.set('set_detect_anomaly', def('set_detect_anomaly', 'mode, check_nan=True', ([mode]) => new AnomalyMode('set_detect_anomaly', boolArg('set_detect_anomaly', 'mode', mode)) as unknown as PyValue));
  autograd.attrs.set('detect_anomaly', def('detect_anomaly', 'check_nan=True', () => new AnomalyMode('detect_anomaly', true) as unknown as PyValue));
  torch.attrs.set('is_anomaly_enabled', def('is_anomaly_enabled', '', () => E.engine.anomaly));
  const functional = makeAutogradFunctional(rt);
  autograd.attrs.set('functional', functional);
  // gradcheck lives in torch.autograd (the functional module carries it for the binding only).
  autograd.attrs.set('gradcheck', functional.attrs.get('gradcheck')!);
  functional.attrs.delete('gradcheck');
  modules.set('torch.autograd.gradcheck', new PyModule('torch.autograd.gradcheck', { gradcheck: autograd.attrs.get('gradcheck')! }));
  autograd.attrs.set('graph', graph.module);
  modules.set('torch.autograd.graph', graph.module);
  torch.attrs.set('autograd', autograd);
  modules.set('torch.autograd', autograd);
  modules.set('torch.autograd.functional', functional);
  return { modules, hostTypeOf, hostBases, types };
}

/** `class Net(nn.Module)`: an engine Module whose forward runs the program's forward. */
class ProgramModule extends Module {
  constructor(
    kind: string,
    private readonly dispatch: (self: object, name: string, args: PyValue[]) => PyValue | NotImplementedT,
  ) {
    super(kind);
  }
  override get runsProgramCode(): boolean {
    return true;
  }
  override forward(...inputs: unknown[]): unknown {
    const r = this.dispatch(this, 'forward', inputs as PyValue[]);
    if (r === NotImplemented) throw new PyError('NotImplementedError', `Module [${this.kind}] is missing the required "forward" function`);
    return r;
  }
}

const MODULE_BASE: HostBase = {
  newInstance: (className, callMethod) => {
    const m = new ProgramModule(className, callMethod);
    modulesBeforeInit.add(m);
    return m;
  },
  initInstance: (self) => {
    modulesBeforeInit.delete(self as Module);
  },
};

// ---- torch.autograd.Function -----------------------------------------------------------------

/** The `ctx` of a custom autograd Function: saved tensors, needs_input_grad, and plain attributes. */
class FunctionCtx {
  saved: (Tensor | null)[] = [];
  needsInputGrad: boolean[] = [];
  readonly attrs = new Map<string, PyValue>();
}

const CTX_METHODS = new Set(['save_for_backward', 'saved_tensors', 'needs_input_grad', 'mark_non_differentiable', 'mark_dirty', 'set_materialize_grads']);

const FunctionCtxType: HostType<FunctionCtx> = {
  typeName: () => 'FunctionCtx',
  getattr(c, name) {
    switch (name) {
      case 'save_for_backward':
        return new PyBuiltin('save_for_backward', (args) => {
          c.saved = args.map((t) => {
            if (t !== null && !(t instanceof Tensor)) throw typeError(`save_for_backward can only save variables, but argument ${args.indexOf(t)} is of type ${pyTypeName(t)}`);
            return t;
          });
          return null;
        });
      case 'saved_tensors':
        return new PyTuple(c.saved);
      case 'needs_input_grad':
        return new PyTuple(c.needsInputGrad);
      case 'mark_non_differentiable':
      case 'mark_dirty':
      case 'set_materialize_grads':
        return new PyBuiltin(name, () => null);
    }
    return c.attrs.get(name);
  },
  setattr(c, name, value) {
    if (CTX_METHODS.has(name)) return false;
    c.attrs.set(name, value);
    return true;
  },
  repr: () => '<torch.autograd.function.FunctionCtx object>',
};

function staticFn(cls: PyClass, name: string): PyValue {
  const f = cls.lookup(name);
  if (f === undefined) throw new PyError('NotImplementedError', `You must implement the ${name} function for custom autograd.Function.`);
  return f instanceof PyStaticMethod ? f.fn : f;
}

/** MyFunction.apply(*args): forward without recording, then one graph node whose backward is the program's. */
function applyFunction(rt: Runtime, cls: PyClass, args: PyValue[]): PyValue {
  const forward = staticFn(cls, 'forward');
  const backward = staticFn(cls, 'backward');
  const ctx = new FunctionCtx();
  ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad && E.isGradEnabled());
  const tensorSlots = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
  const inputs = tensorSlots.map((i) => args[i] as Tensor);
  // Note: the ops inside forward are the Function's own business: they run without recording and
  // without events, so the graph shows one node, as PyTorch's does.
  const active = E.engine.events.active;
  E.engine.events.active = false;
  let out: PyValue;
  try {
    out = E.withoutGrad(() => rt.call(forward, [ctx, ...args], null));
  } finally {
    E.engine.events.active = active;
  }
  if (!(out instanceof Tensor)) {
    throw runtimeError(`${cls.name}.forward must return one Tensor here (returning ${pyTypeName(out)} is not supported in this playground)`);
  }
  const result = inputs.includes(out) ? new Tensor(copyStorage(out.data), out.shape.slice(), out.dtype) : out;
  const names = tensorSlots.map((i) => `input${i}`);
  const def: E.OpDef = {
    name: cls.name,
    label: cls.name,
    gradFn: `${cls.name}Backward`,
    inputs: names,
    formulas: Object.fromEntries(names.map((n) => [n, `${cls.name}.backward(ctx, grad)`])),
    saves: ctx.saved.length ? names : [],
    runsUserCode: true,
    forward: () => result,
    backward: (g) => {
      const r = rt.call(backward, [ctx, g], null);
      const list = r instanceof PyTuple ? r.items : [r];
      if (list.length !== args.length) {
        throw runtimeError(`function ${cls.name}Backward returned an incorrect number of gradients (expected ${args.length}, got ${list.length})`);
      }
      return tensorSlots.map((i) => {
        const v = list[i];
        if (v === null) return null;
        if (!(v instanceof Tensor)) throw typeError(`${cls.name}.backward must return Tensors or None, got ${pyTypeName(v)}`);
        return v;
      });
    },
  };
  return E.apply(def, inputs, {});
}

function makeFunctionBase(rt: () => Runtime): HostBase {
  return {
    newInstance: () => {
      throw runtimeError(
        'Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd function with static forward method. (Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)',
      );
    },
    classAttr: (cls, name) => (name === 'apply' ? new PyBuiltin('apply', (args) => applyFunction(rt(), cls, args)) : undefined),
  };
}

export { dimsArg, MISSING };
export type { Kwargs };
