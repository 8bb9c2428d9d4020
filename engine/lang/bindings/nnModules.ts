// Python bindings for torch.nn (modules, nn.init, nn.Parameter), torch.optim, torchvision.models and
// safetensors.torch, on the host-object protocol of ../values.ts.
//
// Use: `const nn = nnBindings({ openFile })`, then give the interpreter `nn.modules` (merged into its module
// table, after torch's own entries: `torch.nn` and `torch.optim` are also set as attributes of the `torch`
// module when it is in the table) and `nn.hostTypes` (in its hostRegistry). `torch.nn.functional` is not
// defined here: when the table has it, it becomes `torch.nn.functional` and the `functional` attribute.
import { EngineError, runtimeError } from '../../context';
import * as E from '../../index';
import { Tensor } from '../../tensor';
import { copyStorage, isFloating, legacyTypeName, type DType } from '../../dtype';
import { created } from '../../creation';
import { copyInstanceState, PyInstance } from '../classes';
import { PyError } from '../errors';
import { bindArgs, signature, MISSING, type Signature } from '../args';
import { floatRepr } from '../format';
import {
  ArrayIterator,
  NotImplemented,
  PyBoundMethod,
  PyBuiltin,
  PyCallable,
  PyDict,
  PyDictView,
  PyOrderedDict,
  PyFloat,
  PyIterator,
  PyList,
  PyModule,
  PySlice,
  PyTuple,
  PyType,
  numberOf,
  type HostType,
  type Kwargs,
  type PyValue,
} from '../values';
import {
  Module, isParameter, asParameter, castModule, copyInto, newParameter, pyRepr, type IncompatibleKeys,
  forwardTuples, hookNames, type ModuleBackwardHook,
} from '../../nn/module';
import {
  Activation, AdaptiveAvgPool2d, Upsample, BatchNorm1d, Embedding, GroupNorm, LayerNorm, ModuleList, BatchNorm2d, Conv2d, ElementwiseLoss, CrossEntropyLoss, Dropout, Flatten, Identity, Linear, LogSoftmax, MaxPool2d, MSELoss, NLLLoss, ReLU,
  Sequential, Sigmoid, Softmax, Tanh, Conv1d, ConvTranspose2d, PReLU, Dropout2d, BinaryModule, ModuleDict, ParameterList, ParameterDict,
} from '../../nn/layers';
import { RNNBase, RNNCellBase } from '../../nn/rnn';
import {
  MultiheadAttention, NonDynamicallyQuantizableLinear, Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder,
  TransformerEncoderLayer, multiHeadAttentionForward, squareSubsequentMask, type TransformerActivation,
} from '../../nn/transformer';
import * as init from '../../nn/init';
import { Optimizer, SGD, type ParamGroup, type ParamGroupInput } from '../../optim/sgd';
import { Adam, AdamW, Adagrad, RMSprop } from '../../optim/adaptive';
import { BasicBlock, ResNet, resnet18, resnet34 } from '../../models/resnet';
import { loadFile, saveFile } from '../../io/safetensors';
import { announceInplace, inplace } from '../../ops/inplace';
import { TorchDType, TorchSize } from './common';
import { moreFunctional } from './moreTorch';
import { removableHandle } from './autogradGraph';

export interface NnBindingsOptions {
  /** The bytes of a file the program names (load_file("resnet18-f16.safetensors")); undefined if there is none. */
  openFile?: (name: string) => Uint8Array | undefined;
  /** Receives save_file's bytes; without it save_file fails. */
  writeFile?: (name: string, bytes: Uint8Array) => void;
}

export interface NnBindings {
  /** Dotted module names to merge into the interpreter's table: torch.nn, torch.nn.init, torch.optim, torchvision, ... */
  modules: Map<string, PyValue>;
  /** (class, HostType) pairs for the interpreter's hostRegistry. */
  hostTypes: [abstract new (...args: any[]) => unknown, HostType][];
  /** Wires torch.nn / torch.optim into the `torch` module (and torch.nn.functional into torch.nn) of a table. */
  install(table: Map<string, PyValue>): void;
}

// ---------------------------------------------------------------------------------------------- values

const typeError = (msg: string): PyError => new PyError('TypeError', msg);

function pyTypeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof Tensor) return 'Tensor';
  if (v instanceof Module) return v.kind;
  if (v instanceof PyCallable || v instanceof PyFloat || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict) return v.typeName;
  return 'object';
}

function num(v: PyValue, fn: string, name: string): number {
  const n = numberOf(v);
  if (n === undefined) throw typeError(`${fn}(): argument '${name}' must be a number, not ${pyTypeName(v)}`);
  return n;
}

function int(v: PyValue, fn: string, name: string): number {
  if (typeof v === 'number' || typeof v === 'boolean') return +v;
  throw typeError(`${fn}(): argument '${name}' must be int, not ${pyTypeName(v)}`);
}

function bool(v: PyValue): boolean {
  if (typeof v === 'boolean') return v;
  const n = numberOf(v);
  if (n !== undefined) return n !== 0;
  return v !== null;
}

function str(v: PyValue, fn: string, name: string): string {
  if (typeof v !== 'string') throw typeError(`${fn}(): argument '${name}' must be str, not ${pyTypeName(v)}`);
  return v;
}

/** An int or a tuple/list of ints (kernel_size=3 or (3, 3)). */
function intOrTuple(v: PyValue, fn: string, name: string): number | number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => int(x, fn, name));
  return int(v, fn, name);
}

function tensorArg(v: PyValue, fn: string, name: string): Tensor {
  if (!(v instanceof Tensor)) throw typeError(`${fn}(): argument '${name}' (position 1) must be Tensor, not ${pyTypeName(v)}`);
  return v;
}

/** Every item of an iterable the program passes (lists, tuples, generators, dict keys, Sequential). */
function items(v: PyValue, what: string): PyValue[] {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.slice();
  if (v instanceof PyIterator) {
    const out: PyValue[] = [];
    for (let x = v.next(); x !== undefined; x = v.next()) out.push(x);
    return out;
  }
  if (v instanceof PyDict) return v.keys();
  if (v instanceof Sequential) return Array.from(v);
  void what;
  throw typeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** A Python float as the program sees numbers that are floats in PyTorch (eps, momentum, lr). */
const pyNum = (n: number, float: boolean): PyValue => (float || !Number.isInteger(n) ? new PyFloat(n) : n);

const generator = (values: PyValue[]): PyIterator => new ArrayIterator(values, 'generator');

/** Binds a call's arguments to a Python signature (cached per spec). */
const sigCache = new Map<string, Signature>();
function args(name: string, spec: string, a: PyValue[], kw: Kwargs, initOf?: string): PyValue[] {
  const key = `${initOf ?? ''}:${name}(${spec})`;
  let sig = sigCache.get(key);
  if (!sig) {
    sigCache.set(key, (sig = signature(name, spec)));
    sig.initOf = initOf;
  }
  return bindArgs(sig, a, kw).map((v) => (v === MISSING ? null : v)) as PyValue[];
}

/** A PyDict of string keys to tensors, or a Map, as a JS Map (state dicts). */
function stringMap(v: PyValue, what: string): Map<string, unknown> {
  if (!(v instanceof PyDict)) throw typeError(`Expected state_dict to be dict-like, got <class '${pyTypeName(v)}'>.`);
  const m = new Map<string, unknown>();
  for (const [k, x] of v.entries()) {
    if (typeof k !== 'string') throw typeError(`${what}: keys must be str, not ${pyTypeName(k)}`);
    m.set(k, x);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------- modules

/** Plain attributes the program sets on a module (model.name = 'x'), as Python's instance __dict__. */
const plainAttrs = new WeakMap<Module, Map<string, PyValue>>();

function tuple2(v: readonly number[]): PyTuple {
  return new PyTuple(v.slice());
}

/** The configuration attributes of the layers, by PyTorch's names. */
function layerAttr(m: Module, name: string): PyValue | undefined {
  if (name === 'training') return m.training;
  if (m instanceof GroupNorm) {
    if (name === 'num_groups') return m.numGroups;
    if (name === 'num_channels') return m.numChannels;
    if (name === 'eps') return new PyFloat(m.eps);
    if (name === 'affine') return m.affine;
  }
  if (m instanceof LayerNorm) {
    if (name === 'normalized_shape') return new PyTuple(m.normalizedShape.slice());
    if (name === 'eps') return new PyFloat(m.eps);
    if (name === 'elementwise_affine') return m.elementwiseAffine;
  }
  if (m instanceof Linear) {
    if (name === 'in_features') return m.inFeatures;
    if (name === 'out_features') return m.outFeatures;
  } else if (m instanceof Conv2d) {
    switch (name) {
      case 'in_channels': return m.inChannels;
      case 'out_channels': return m.outChannels;
      case 'kernel_size': return tuple2(m.kernelSize);
      case 'stride': return tuple2(m.stride);
      case 'padding': return m.paddingText ?? tuple2(m.padding);
      case 'dilation': return tuple2(m.dilation);
      case 'groups': return m.groups;
      case 'padding_mode': return 'zeros';
    }
  } else if (m instanceof BatchNorm2d) {
    switch (name) {
      case 'num_features': return m.numFeatures;
      case 'eps': return new PyFloat(m.eps);
      case 'momentum': return m.momentum === null ? null : new PyFloat(m.momentum);
      case 'affine': return m.affine;
      case 'track_running_stats': return m.trackRunningStats;
    }
  } else if (m instanceof ReLU || m instanceof Dropout) {
    if (name === 'inplace') return m.inplace;
    if (name === 'p' && m instanceof Dropout) return new PyFloat(m.p);
  } else if (m instanceof MaxPool2d) {
    const v = (x: number | number[]): PyValue => (Array.isArray(x) ? new PyTuple(x) : x);
    switch (name) {
      case 'kernel_size': return v(m.kernelSize);
      case 'stride': return v(m.stride);
      case 'padding': return v(m.padding);
      case 'dilation': return v(m.dilation);
      case 'ceil_mode': return m.ceilMode;
      case 'return_indices': return false;
    }
  } else if (m instanceof AdaptiveAvgPool2d) {
    if (name === 'output_size') return Array.isArray(m.outputSize) ? new PyTuple(m.outputSize) : m.outputSize;
  } else if (m instanceof Upsample) {
    switch (name) {
      case 'size': return m.size === null ? null : Array.isArray(m.size) ? (m.sizeText.startsWith('[') ? new PyList(m.size) : new PyTuple(m.size)) : m.size;
      case 'scale_factor': return m.scaleFactor === null ? null : Array.isArray(m.scaleFactor) ? new PyTuple(m.scaleFactor.map((f) => new PyFloat(f))) : new PyFloat(m.scaleFactor);
      case 'mode': return m.mode;
      case 'align_corners': return m.alignCorners;
      case 'recompute_scale_factor': return m.recomputeScaleFactor;
      case 'name': return m.kind;
    }
  } else if (m instanceof Flatten) {
    if (name === 'start_dim') return m.startDim;
    if (name === 'end_dim') return m.endDim;
  } else if (m instanceof Softmax) {
    if (name === 'dim') return m.dim;
  } else if (m instanceof MSELoss || m instanceof CrossEntropyLoss || m instanceof NLLLoss) {
    if (name === 'reduction') return m.reduction;
    if (name === 'ignore_index' && !(m instanceof MSELoss)) return m.ignoreIndex;
  } else if (m instanceof ResNet) {
    if (name === 'inplanes') return m.options.widths[m.options.widths.length - 1];
  } else if (m instanceof RNNBase) {
    switch (name) {
      case 'mode': return m.mode;
      case 'input_size': return m.inputSize;
      case 'hidden_size': return m.hiddenSize;
      case 'num_layers': return m.numLayers;
      case 'bias': return m.bias;
      case 'batch_first': return m.batchFirst;
      case 'dropout': return new PyFloat(m.dropout);
      case 'bidirectional': return m.bidirectional;
      case 'proj_size': return m.projSize;
      case 'nonlinearity': return m.kind === 'RNN' ? (m.mode === 'RNN_RELU' ? 'relu' : 'tanh') : undefined;
      case '_flat_weights_names': return new PyList(m.weightNames.flat());
      case '_all_weights': return new PyList(m.weightNames.map((names) => new PyList(names.slice())));
      case 'all_weights': return new PyList(m.weightNames.map((names) => new PyList(names.map((n) => m.getAttr(n) as PyValue))));
      case '_flat_weights': return new PyList(m.weightNames.flat().map((n) => m.getAttr(n) as PyValue));
    }
  } else if (m instanceof MultiheadAttention) {
    switch (name) {
      case 'embed_dim': return m.embedDim;
      case 'kdim': return m.kdim;
      case 'vdim': return m.vdim;
      case '_qkv_same_embed_dim': return m.qkvSameEmbedDim;
      case 'num_heads': return m.numHeads;
      case 'dropout': return new PyFloat(m.dropout);
      case 'batch_first': return m.batchFirst;
      case 'head_dim': return m.headDim;
      case 'add_zero_attn': return m.addZeroAttn;
      // Plain attributes set to None without add_bias_kv.
      case 'bias_k': case 'bias_v': return null;
    }
  } else if (m instanceof TransformerEncoderLayer || m instanceof TransformerDecoderLayer) {
    switch (name) {
      case 'norm_first': return m.normFirst;
      case 'activation_relu_or_gelu': return m instanceof TransformerEncoderLayer ? m.activation.reluOrGelu : undefined;
      case 'activation': return activationValues.get(m) ?? undefined;
    }
  } else if (m instanceof TransformerEncoder || m instanceof TransformerDecoder) {
    switch (name) {
      case 'num_layers': return m.numLayers;
      // A plain attribute when it is None.
      case 'norm': return null;
      case 'enable_nested_tensor': return m instanceof TransformerEncoder ? m.enableNestedTensor : undefined;
      case 'mask_check': return m instanceof TransformerEncoder ? m.maskCheck : undefined;
    }
  } else if (m instanceof Transformer) {
    switch (name) {
      case 'generate_square_subsequent_mask': return generateSquareSubsequentMask;
      case 'd_model': return m.dModel;
      case 'nhead': return m.nhead;
      case 'batch_first': return m.batchFirst;
    }
  } else if (m instanceof RNNCellBase) {
    switch (name) {
      case 'input_size': return m.inputSize;
      case 'hidden_size': return m.hiddenSize;
      case 'bias': return m.bias;
      case 'nonlinearity': return m.kind === 'RNNCell' ? m.nonlinearity : undefined;
    }
  }
  return undefined;
}

class IncompatibleKeysValue {
  constructor(readonly keys: IncompatibleKeys) {}
}

const incompatibleKeysType: HostType<IncompatibleKeysValue> = {
  typeName: () => '_IncompatibleKeys',
  getattr: (o, name) => {
    if (name === 'missing_keys') return new PyList(o.keys.missingKeys.slice());
    if (name === 'unexpected_keys') return new PyList(o.keys.unexpectedKeys.slice());
    return undefined;
  },
  repr: (o) => {
    const { missingKeys: m, unexpectedKeys: u } = o.keys;
    if (!m.length && !u.length) return '<All keys matched successfully>';
    const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
    return `_IncompatibleKeys(missing_keys=${list(m)}, unexpected_keys=${list(u)})`;
  },
  iter: (o) => [new PyList(o.keys.missingKeys.slice()), new PyList(o.keys.unexpectedKeys.slice())],
};

type Method = (m: Module, a: PyValue[], kw: Kwargs) => PyValue;

/** A program's nn.Module subclasses whose __init__ has not yet called super().__init__(). */
export const modulesBeforeInit = new WeakSet<Module>();

function resolvePath(m: Module, target: string): Module {
  if (target === '') return m;
  let cur = m;
  for (const part of target.split('.')) {
    const next = cur._modules.get(part);
    if (!next) throw new EngineError('AttributeError', `${cur.kind} has no attribute \`${part}\``);
    cur = next;
  }
  return cur;
}

// ---- forward's arguments, checked as PyTorch's Python code checks them (a JS forward would read `.shape` of
// whatever it is given).

/** The parameters of the built-in modules' forward (after self). */
const FORWARD_PARAMS: Record<string, string[]> = {
  MSELoss: ['input', 'target'], CrossEntropyLoss: ['input', 'target'], NLLLoss: ['input', 'target'],
  BasicBlock: ['x'], ResNet: ['x'],
  RNN: ['input', 'hx=None'], LSTM: ['input', 'hx=None'], GRU: ['input', 'hx=None'],
  RNNCell: ['input', 'hx=None'], LSTMCell: ['input', 'hx=None'], GRUCell: ['input', 'hx=None'],
};

/**
 * What PyTorch raises when a built-in module's forward gets `v` (not a tensor) as its argument `index`:
 * the error of the first torch function its forward calls with it. Null when the module takes anything.
 */
function notTensorError(m: Module, index: number, v: PyValue): PyError | null {
  const t = pyTypeName(v);
  const must = (fn: string) => typeError(`${fn}(): argument '${index === 0 ? 'input' : 'target'}' (position ${index + 1}) must be Tensor, not ${t}`);
  const noAttr = (attr: string) => new PyError('AttributeError', `'${t}' object has no attribute '${attr}'`);
  switch (m.kind) {
    case 'Linear': return must('linear');
    case 'ReLU': return must('relu');
    case 'Sigmoid': return must('sigmoid');
    case 'Tanh': return must('tanh');
    case 'MaxPool2d': return must('max_pool2d');
    case 'Dropout': return must('dropout');
    case 'CrossEntropyLoss': return must('cross_entropy_loss');
    case 'NLLLoss': return must('nll_loss_nd');
    case 'Flatten': return noAttr('flatten');
    case 'Softmax': return noAttr('softmax');
    case 'LogSoftmax': return noAttr('log_softmax');
    case 'MSELoss': case 'AdaptiveAvgPool2d': return noAttr('size');
    case 'BatchNorm2d': return noAttr('dim');
    // input.dim() and hx.dim() in rnn.py; an LSTM's hx is a tuple, checked by rnnState.
    case 'RNN': case 'GRU': case 'RNNCell': case 'GRUCell': return v === null && index === 1 ? null : noAttr('dim');
    case 'LSTM': case 'LSTMCell': return index === 1 ? null : noAttr('dim');
    case 'Conv2d': case 'BasicBlock': case 'ResNet': {
      const c = (m instanceof Conv2d ? m : m._modules.get('conv1')) as Conv2d | undefined;
      if (!c) return null;
      const bias = c._parameters.get('bias') ? 'Parameter' : 'NoneType';
      return typeError(`conv2d() received an invalid combination of arguments - got (${t}, Parameter, ${bias}, tuple, ${c.paddingText !== null ? 'str' : 'tuple'}, tuple, int), but expected one of:`);
    }
    case 'Sequential': {
      const first = m._modules.values().next().value;
      return first instanceof Module ? notTensorError(first, index, v) : null;
    }
    default: return null;
  }
}

/** module(*a, **kw) or module.forward(...): the arguments as forward's Python signature binds them. */
function forwardArgs(m: Module, a: PyValue[], kw: Kwargs | undefined): unknown[] {
  const attention = attentionForwardArgs(m, a, kw ?? null);
  if (attention) return attention;
  const spec = FORWARD_PARAMS[m.kind] ?? ['input'];
  // A parameter written 'hx=None' is optional (None when not given).
  const params = spec.map((p) => p.split('=')[0]);
  const required = spec.filter((p) => !p.includes('=')).length;
  const fn = `${m.kind}.forward()`;
  const builtin = HOST_MODULE_CLASSES.some((c) => m.constructor === c);
  if (!builtin) {
    if (kw && kw.size) throw typeError(`forward() got an unexpected keyword argument '${kw.keys().next().value}'`);
    return a;
  }
  if (a.length > params.length) {
    const takes = required === params.length ? `${params.length + 1}` : `from ${required + 1} to ${params.length + 1}`;
    throw typeError(`${fn} takes ${takes} positional arguments but ${a.length + 1} were given`);
  }
  const bound: (PyValue | undefined)[] = params.map((_, i) => a[i]);
  for (const [k, v] of kw ?? []) {
    const i = params.indexOf(k);
    if (i < 0) throw typeError(`${fn} got an unexpected keyword argument '${k}'`);
    if (bound[i] !== undefined) throw typeError(`${fn} got multiple values for argument '${k}'`);
    bound[i] = v;
  }
  for (let i = required; i < params.length; i++) if (bound[i] === undefined) bound[i] = null;
  const missing = params.filter((_, i) => bound[i] === undefined);
  if (missing.length) {
    const names = missing.map((n) => `'${n}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw typeError(`${fn} missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
  }
  const values = bound as PyValue[];
  values.forEach((v, i) => {
    if (v instanceof Tensor) return;
    const err = notTensorError(m, i, v);
    if (err) throw err;
  });
  if (m instanceof RNNBase || m instanceof RNNCellBase) return [values[0], rnnState(m, values[1])];
  return values;
}

/** A mask argument: a tensor or None. */
function optTensor(v: PyValue, fn: string, name: string): Tensor | null {
  if (v === null || v instanceof Tensor) return v;
  throw new PyError('AttributeError', `'${pyTypeName(v)}' object has no attribute '${name === 'query' || name === 'src' ? 'dim' : 'dtype'}'`);
}

/** forward's arguments of MultiheadAttention and the Transformer modules, by their Python signatures. */
function attentionForwardArgs(m: Module, a: PyValue[], kw: Kwargs): unknown[] | null {
  const fn = `${m.kind}.forward`;
  const bind = (spec: string): (Tensor | null)[] & PyValue[] => args(fn, spec, a, kw) as (Tensor | null)[] & PyValue[];
  const masks = 'tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None';
  const t = (v: PyValue, name: string): Tensor => {
    if (!(v instanceof Tensor)) throw new PyError('AttributeError', `'${pyTypeName(v)}' object has no attribute 'dim'`);
    return v;
  };
  const decoderMasks = (v: PyValue[]) => ({
    tgtMask: optTensor(v[0], fn, 'tgt_mask'), memoryMask: optTensor(v[1], fn, 'memory_mask'),
    tgtKeyPaddingMask: optTensor(v[2], fn, 'tgt_key_padding_mask'), memoryKeyPaddingMask: optTensor(v[3], fn, 'memory_key_padding_mask'),
  });
  if (m instanceof MultiheadAttention) {
    const [q, k, v, kpm, nw, am, avg] = bind('query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True');
    return [t(q, 'query'), t(k, 'key'), t(v, 'value'), {
      keyPaddingMask: optTensor(kpm, fn, 'key_padding_mask'), needWeights: bool(nw), attnMask: optTensor(am, fn, 'attn_mask'), averageAttnWeights: bool(avg),
    }];
  }
  if (m instanceof TransformerEncoderLayer) {
    const [src, mask, kpm] = bind('src, src_mask=None, src_key_padding_mask=None');
    return [t(src, 'src'), optTensor(mask, fn, 'src_mask'), optTensor(kpm, fn, 'src_key_padding_mask')];
  }
  if (m instanceof TransformerEncoder) {
    const [src, mask, kpm] = bind('src, mask=None, src_key_padding_mask=None');
    return [t(src, 'src'), optTensor(mask, fn, 'mask'), optTensor(kpm, fn, 'src_key_padding_mask')];
  }
  if (m instanceof TransformerDecoderLayer || m instanceof TransformerDecoder) {
    const [tgt, mem, ...rest] = bind(`tgt, memory, ${masks}`);
    return [t(tgt, 'tgt'), t(mem, 'memory'), decoderMasks(rest)];
  }
  if (m instanceof Transformer) {
    const [src, tgt, sm, tm, mm, skpm, tkpm, mkpm] = bind('src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None');
    return [t(src, 'src'), t(tgt, 'tgt'), { ...decoderMasks([tm, mm, tkpm, mkpm]), srcMask: optTensor(sm, fn, 'src_mask'), srcKeyPaddingMask: optTensor(skpm, fn, 'src_key_padding_mask') }];
  }
  return null;
}

/** An LSTM's hx as rnn.py reads it (hx[0], hx[1]: a tuple, a list, or a tensor indexed); RNN and GRU take a tensor. */
function rnnState(m: RNNBase | RNNCellBase, hx: PyValue): Tensor | [Tensor, Tensor] | null {
  if (hx === null || m.mode !== 'LSTM') return hx as Tensor | null;
  const items = hx instanceof PyTuple || hx instanceof PyList ? hx.items : null;
  if (items && m instanceof RNNCellBase && items.length !== 2) throw runtimeError('lstm_cell expects two hidden states');
  const at = (i: number): Tensor => {
    const v = items ? items[i] : hx instanceof Tensor ? E.index(hx, [i]) : null;
    if (v === undefined) throw new PyError('IndexError', `${items ? pyTypeName(hx) : 'list'} index out of range`);
    if (!(v instanceof Tensor)) throw new PyError('AttributeError', `'${pyTypeName(v)}' object has no attribute 'dim'`);
    return v;
  };
  return [at(0), at(1)];
}

/** What a module's forward returned, as the program sees it: an RNN's arrays as tuples. */
function forwardResult(v: unknown): PyValue {
  return Array.isArray(v) ? new PyTuple(v.map(forwardResult)) : (v as PyValue);
}

/** The modules the bindings construct (a program's own nn.Module subclass is not one of them). */
const HOST_MODULE_CLASSES: Function[] = [
  Linear, Conv2d, BatchNorm2d, ReLU, MaxPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Identity, Sequential,
  Tanh, Sigmoid, Softmax, LogSoftmax, MSELoss, CrossEntropyLoss, NLLLoss, BasicBlock, ResNet, RNNBase, RNNCellBase,
  MultiheadAttention, NonDynamicallyQuantizableLinear, TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer,
];

/**
 * A program's backward hook, hook(module, grad_input, grad_output), as the engine calls it. What it returns is read
 * as PyTorch reads it: for a full hook, anything with a len() (torch/utils/hooks.py compares len(out) with
 * len(grad_input), and indexes it); for a legacy one, a tuple (the C++ post hook's check_result).
 */
function moduleBackwardHook(hook: PyValue, full: boolean): ModuleBackwardHook {
  const fn: ModuleBackwardHook = (mod, gi, go) => {
    if (!(hook instanceof PyCallable)) throw typeError(`'${pyTypeName(hook)}' object is not callable`);
    const r = hook.call([mod as unknown as PyValue, new PyTuple(gi), new PyTuple(go)], null);
    if (r === null) return null;
    // No input requires grad (grad_input all None): torch/utils/hooks.py takes only None or a tuple of Nones.
    if (full && gi.every((g) => g === null) && !(r instanceof PyTuple && r.items.every((v) => v === null))) {
      throw runtimeError('Backward hook for Modules where no input requires gradient should always return None or None for all gradients.');
    }
    let items: readonly PyValue[];
    if (!full) {
      if (!(r instanceof PyTuple)) throw typeError(`expected tuple, but hook returned '${pyTypeName(r)}'`);
      items = r.items;
    } else if (r instanceof PyTuple || r instanceof PyList) items = r.items;
    else if (r instanceof Tensor) {
      if (r.ndim === 0) throw typeError('len() of a 0-d tensor');
      items = Array.from({ length: r.shape[0] }, (_, i) => E.index(r, [i]) as PyValue);
    } else throw typeError(`object of type '${pyTypeName(r)}' has no len()`);
    if (full && items.length !== gi.length) {
      throw runtimeError(`Backward hook returned an invalid number of grad_input, got ${items.length}, but expected ${gi.length}`);
    }
    // Entries where grad_input has None are dropped by the full hook's unpacking (a non-tensor argument).
    return items.map((v, k) => {
      if (v === null || (full && gi[k] === null)) return null;
      if (!(v instanceof Tensor)) throw typeError(`expected Variable, but hook returned '${pyTypeName(v)}'`);
      return v;
    });
  };
  hookNames.set(fn, hook instanceof PyCallable ? hook.name : pyTypeName(hook));
  return fn;
}

// A program's forward returns its own tuples: the full backward hooks wrap each tensor in them, as PyTorch does.
forwardTuples.items = (v) => (v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null);
forwardTuples.make = (items, like) => (like instanceof PyTuple ? new PyTuple(items as PyValue[]) : items);

const MODULE_METHODS: Record<string, Method> = {
  forward: (m, a, kw) => forwardResult(m.forward(...forwardArgs(m, a, kw))),
  __call__: (m, a, kw) => forwardResult(m.call(...forwardArgs(m, a, kw))),
  parameters: (m, a, kw) => {
    const [recurse] = args('parameters', 'recurse=True', a, kw);
    return generator(m.parameters(bool(recurse)));
  },
  named_parameters: (m, a, kw) => {
    const [prefix, recurse] = args('named_parameters', "prefix='', recurse=True", a, kw);
    return generator(m.namedParameters(str(prefix, 'named_parameters', 'prefix'), bool(recurse)).map(([n, p]) => new PyTuple([n, p])));
  },
  buffers: (m, a, kw) => {
    const [recurse] = args('buffers', 'recurse=True', a, kw);
    return generator(m.buffers(bool(recurse)));
  },
  named_buffers: (m, a, kw) => {
    const [prefix, recurse] = args('named_buffers', "prefix='', recurse=True", a, kw);
    return generator(m.namedBuffers(str(prefix, 'named_buffers', 'prefix'), bool(recurse)).map(([n, b]) => new PyTuple([n, b])));
  },
  children: (m, a, kw) => {
    args('children', '', a, kw);
    return generator(m.children());
  },
  named_children: (m, a, kw) => {
    args('named_children', '', a, kw);
    return generator(m.namedChildren().map(([n, c]) => new PyTuple([n, c])));
  },
  modules: (m, a, kw) => {
    args('modules', '', a, kw);
    return generator(m.modules());
  },
  named_modules: (m, a, kw) => {
    const [, prefix, removeDuplicate] = args('named_modules', "memo=None, prefix='', remove_duplicate=True", a, kw);
    return generator(Array.from(m.namedModules(str(prefix, 'named_modules', 'prefix'), new Set(), bool(removeDuplicate)), ([n, c]) => new PyTuple([n, c])));
  },
  train: (m, a, kw) => {
    const [mode] = args('train', 'mode=True', a, kw);
    if (typeof mode !== 'boolean') throw new PyError('ValueError', 'training mode is expected to be boolean');
    return m.train(mode);
  },
  eval: (m, a, kw) => {
    args('eval', '', a, kw);
    return m.eval();
  },
  requires_grad_: (m, a, kw) => {
    const [flag] = args('requires_grad_', 'requires_grad=True', a, kw);
    return m.requiresGrad_(bool(flag));
  },
  zero_grad: (m, a, kw) => {
    const [setToNone] = args('zero_grad', 'set_to_none=False', a, kw);
    m.zeroGrad(bool(setToNone));
    return null;
  },
  state_dict: (m, a, kw) => {
    const [, , prefix, keepVars] = args('state_dict', "*args, destination=None, prefix='', keep_vars=False", a, kw);
    return PyOrderedDict.fromEntries(m.stateDict(str(prefix, 'state_dict', 'prefix'), bool(keepVars)));
  },
  load_state_dict: (m, a, kw) => {
    const [sd, strict] = args('load_state_dict', 'state_dict, strict=True', a, kw);
    return new IncompatibleKeysValue(m.loadStateDict(stringMap(sd, 'load_state_dict'), bool(strict))) as unknown as PyValue;
  },
  add_module: (m, a, kw) => {
    const [name, module] = args('add_module', 'name, module', a, kw);
    if (module !== null && !(module instanceof Module)) throw typeError(`${pyTypeName(module)} is not a Module subclass`);
    m.addModule(str(name, 'add_module', 'name'), module);
    return null;
  },
  register_module: (m, a, kw) => MODULE_METHODS.add_module(m, a, kw),
  register_buffer: (m, a, kw) => {
    const [name, t, persistent] = args('register_buffer', 'name, tensor, persistent=True', a, kw);
    if (t !== null && !(t instanceof Tensor)) throw typeError(`cannot assign '${pyTypeName(t)}' object to buffer '${name}' (torch Tensor or None required)`);
    m.registerBuffer(str(name, 'register_buffer', 'name'), t, bool(persistent));
    return null;
  },
  register_parameter: (m, a, kw) => {
    const [name, p] = args('register_parameter', 'name, param', a, kw);
    m.registerParameter(str(name, 'register_parameter', 'name'), p as Tensor | null);
    return null;
  },
  get_submodule: (m, a, kw) => {
    const [target] = args('get_submodule', 'target', a, kw);
    return resolvePath(m, str(target, 'get_submodule', 'target'));
  },
  get_parameter: (m, a, kw) => {
    const [target] = args('get_parameter', 'target', a, kw);
    const path = str(target, 'get_parameter', 'target');
    const dot = path.lastIndexOf('.');
    const owner = resolvePath(m, dot < 0 ? '' : path.slice(0, dot));
    const name = path.slice(dot + 1);
    const p = owner._parameters.get(name);
    if (!p) throw new EngineError('AttributeError', `${owner.kind} has no attribute \`${name}\``);
    return p;
  },
  apply: (m, a, kw) => {
    const [fn] = args('apply', 'fn', a, kw);
    if (!(fn instanceof PyCallable)) throw typeError(`'${pyTypeName(fn)}' object is not callable`);
    const visit = (x: Module): void => {
      for (const c of x.children()) visit(c);
      fn.call([x], null);
    };
    visit(m);
    return m;
  },
  register_forward_pre_hook: (m, a, kw) => {
    const [hook] = args('register_forward_pre_hook', 'hook', a, kw);
    if (!(hook instanceof PyCallable)) throw typeError(`'${pyTypeName(hook)}' object is not callable`);
    // hook(module, args) -> None or new args (a single value is wrapped in a tuple, as PyTorch does).
    return removableHandle(m.addForwardHook('pre', (mod, inputs) => {
      const r = hook.call([mod as unknown as PyValue, new PyTuple(inputs as PyValue[])], null);
      if (r === null) return undefined;
      return r instanceof PyTuple ? [...r.items] : [r];
    }));
  },
  register_full_backward_hook: (m, a, kw) => {
    const [hook] = args('register_full_backward_hook', 'hook', a, kw);
    return removableHandle(m.addBackwardHook(true, moduleBackwardHook(hook, true)));
  },
  register_backward_hook: (m, a, kw) => {
    const [hook] = args('register_backward_hook', 'hook', a, kw);
    return removableHandle(m.addBackwardHook(false, moduleBackwardHook(hook, false)));
  },
  register_forward_hook: (m, a, kw) => {
    const [hook] = args('register_forward_hook', 'hook', a, kw);
    if (!(hook instanceof PyCallable)) throw typeError(`'${pyTypeName(hook)}' object is not callable`);
    // hook(module, args, output) -> None or a new output.
    return removableHandle(m.addForwardHook('post', (mod, inputs, out) => {
      const r = hook.call([mod as unknown as PyValue, new PyTuple(inputs as PyValue[]), forwardResult(out)], null);
      return r === null ? undefined : r;
    }));
  },
  // model.to('cpu'), model.to(torch.float64), model.to(dtype=...), model.to(tensor): floating parameters converted.
  to: (m, a, kw) => {
    let dtype: DType | null = null;
    for (const x of [...a, ...(kw ? [...kw.values()] : [])]) {
      if (typeof x === 'string' && !x.startsWith('cpu')) throw new EngineError('AssertionError', 'Torch not compiled with CUDA enabled');
      if (x instanceof TorchDType) dtype = x.dtype;
      else if (x instanceof Tensor) dtype = x.dtype;
    }
    if (dtype !== null && !isFloating(dtype)) throw typeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.${dtype}`);
    return dtype === null ? m : castModule(m, dtype);
  },
  cpu: (m) => m,
  cuda: () => {
    throw new EngineError('AssertionError', 'Torch not compiled with CUDA enabled');
  },
  float: (m) => castModule(m, 'float32'),
  double: (m) => castModule(m, 'float64'),
  extra_repr: (m) => m.extraRepr(),
  __repr__: (m) => m.repr(),
  append: (m, a, kw) => {
    if (m instanceof ParameterList) {
      const [p] = args('append', 'value', a, kw);
      if (!(p instanceof Tensor)) throw typeError(`cannot assign '${pyTypeName(p)}' object to parameter '${m.length}' (torch.nn.Parameter or None required)`);
      return m.append(isParameter(p) ? p : asParameter(p));
    }
    if (!(m instanceof Sequential)) return NotImplemented as unknown as PyValue;
    const [module] = args('append', 'module', a, kw);
    if (!(module instanceof Module)) throw typeError(`${pyTypeName(module)} is not a Module subclass`);
    return m.append(module);
  },
  // A no-op off cuDNN, as in PyTorch.
  flatten_parameters: () => null,
  // ModuleDict / ParameterDict as mappings.
  keys: (m) => new PyDictView(dictKeys(m), 'odict_keys'),
  values: (m) => new PyDictView(dictKeys(m).map((k) => dictEntry(m, k)), 'odict_values'),
  items: (m) => new PyDictView(dictKeys(m).map((k) => new PyTuple([k, dictEntry(m, k)])), 'odict_items'),
  update: (m, a, kw) => {
    const [other] = args('update', 'modules', a, kw);
    const pairs: [PyValue, PyValue][] = other instanceof PyDict ? other.entries() : items(other, 'modules').map((p) => (p as PyTuple).items as [PyValue, PyValue]);
    for (const [k, v] of pairs) moduleHostType.setitem!(m, k, v);
    return null;
  },
  pop: (m, a, kw) => {
    const [key] = args('pop', 'key', a, kw);
    const v = dictEntry(m, key);
    if (m instanceof ModuleDict) m._modules.delete(String(key));
    else m._parameters.delete(String(key));
    return v;
  },
  extend: (m, a, kw) => {
    const [values] = args('extend', 'values', a, kw);
    for (const p of items(values, 'values')) MODULE_METHODS.append(m, [p], null);
    return m;
  },
};

function dictKeys(m: Module): string[] {
  return [...(m instanceof ModuleDict ? m._modules.keys() : m._parameters.keys())];
}

function dictEntry(m: Module, key: PyValue): PyValue {
  const k = String(key);
  const v = m instanceof ModuleDict ? m._modules.get(k) : m._parameters.get(k);
  if (v === undefined) throw new PyError('KeyError', `'${k}'`);
  return v;
}

/** The methods only some modules have. */
const isMapping = (m: Module): boolean => m instanceof ModuleDict || m instanceof ParameterDict;
const METHOD_OWNERS: Record<string, (m: Module) => boolean> = {
  append: (m) => m instanceof Sequential || m instanceof ParameterList,
  extend: (m) => m instanceof ParameterList,
  keys: isMapping,
  values: isMapping,
  items: isMapping,
  update: isMapping,
  pop: isMapping,
  flatten_parameters: (m) => m instanceof RNNBase,
};
const hasMethod = (m: Module, name: string): boolean =>
  Object.prototype.hasOwnProperty.call(MODULE_METHODS, name) && (METHOD_OWNERS[name]?.(m) ?? true);

function sequentialIndex(m: Sequential, index: PyValue): Module | Sequential {
  if (index instanceof PySlice) {
    const n = m.length;
    const step = index.step === null ? 1 : int(index.step, 'slice', 'step');
    if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
    const clamp = (v: PyValue, def: number): number => {
      if (v === null) return def;
      let i = int(v, 'slice', 'index');
      if (i < 0) i = Math.max(i + n, step < 0 ? -1 : 0);
      return Math.min(i, step < 0 ? n - 1 : n);
    };
    const start = clamp(index.start, step < 0 ? n - 1 : 0);
    const stop = clamp(index.stop, step < 0 ? -1 : n);
    const picked: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) picked.push(i);
    return m.slice(picked);
  }
  if (typeof index !== 'number' && typeof index !== 'boolean') {
    throw typeError(`'${pyTypeName(index)}' object cannot be interpreted as an integer`);
  }
  return m.at(+index);
}

export const moduleHostType: HostType<Module> = {
  typeName: (m) => m.kind,
  getattr: (m, name) => {
    const own = plainAttrs.get(m)?.get(name);
    if (own !== undefined) return own;
    const member = m.getAttr(name);
    if (member !== undefined) return member;
    const cfg = layerAttr(m, name);
    if (cfg !== undefined) return cfg;
    const method = MODULE_METHODS[name];
    if (method && hasMethod(m, name)) {
      return new PyBoundMethod(m, name, (self, a, kw) => method(self as Module, a, kw), true);
    }
    return undefined;
  },
  setattr: (m, name, value) => {
    if (modulesBeforeInit.has(m)) {
      // nn.Module.__setattr__ before Module.__init__() made _parameters and _modules.
      if (isParameter(value)) throw new PyError('AttributeError', 'cannot assign parameters before Module.__init__() call');
      if (value instanceof Module) throw new PyError('AttributeError', 'cannot assign module before Module.__init__() call');
    }
    if (m.setAttr(name, value)) return true;
    if (name === 'training') {
      m.training = bool(value);
      return true;
    }
    let own = plainAttrs.get(m);
    if (!own) plainAttrs.set(m, (own = new Map()));
    own.set(name, value);
    return true;
  },
  callMethod: (m, name, a, kw) => {
    if (plainAttrs.get(m)?.has(name) || m.getAttr(name) !== undefined) return NotImplemented;
    if (!hasMethod(m, name)) return NotImplemented;
    return MODULE_METHODS[name](m, a, kw);
  },
  call: (m, a, kw) => forwardResult(m.call(...forwardArgs(m, a, kw))),
  getitem: (m, index) => {
    if (m instanceof ModuleDict || m instanceof ParameterDict) return dictEntry(m, index);
    if (m instanceof ParameterList) return m.at(int(index, '__getitem__', 'idx'));
    if (!(m instanceof Sequential)) throw typeError(`'${m.kind}' object is not subscriptable`);
    return sequentialIndex(m, index);
  },
  setitem: (m, index, value) => {
    if (m instanceof ModuleDict) {
      if (!(value instanceof Module)) throw typeError(`${pyTypeName(value)} is not a Module subclass`);
      m.addModule(str(index, '__setitem__', 'key'), value);
      return;
    }
    if (m instanceof ParameterDict || m instanceof ParameterList) {
      if (!(value instanceof Tensor)) throw typeError(`cannot assign '${pyTypeName(value)}' object to parameter '${String(index)}' (torch.nn.Parameter or None required)`);
      const key = m instanceof ParameterList ? String(int(index, '__setitem__', 'idx') < 0 ? int(index, '__setitem__', 'idx') + m.length : index) : str(index, '__setitem__', 'key');
      m.registerParameter(key, isParameter(value) ? value : asParameter(value));
      return;
    }
    if (!(m instanceof Sequential)) throw typeError(`'${m.kind}' object does not support item assignment`);
    if (!(value instanceof Module)) throw typeError(`${pyTypeName(value)} is not a Module subclass`);
    m.setAt(int(index, '__setitem__', 'idx'), value);
  },
  len: (m) => {
    if (m instanceof ModuleDict) return m._modules.size;
    if (m instanceof ParameterDict || m instanceof ParameterList) return m._parameters.size;
    if (!(m instanceof Sequential)) throw typeError(`object of type '${m.kind}' has no len()`);
    return m.length;
  },
  iter: (m) => {
    if (m instanceof ModuleDict) return [...m._modules.keys()];
    if (m instanceof ParameterDict) return [...m._parameters.keys()];
    if (m instanceof ParameterList) return [...m._parameters.values()] as Tensor[];
    if (!(m instanceof Sequential)) throw typeError(`'${m.kind}' object is not iterable`);
    return Array.from(m);
  },
  contains: (m, key) => (m instanceof ModuleDict ? m._modules.has(String(key)) : m instanceof ParameterDict ? m._parameters.has(String(key)) : false),
  bool: () => true,
  repr: (m) => m.repr(),
  str: (m) => m.repr(),
  dir: (m) => [
    ...m._parameters.keys(), ...m._buffers.keys(), ...m._modules.keys(), ...(plainAttrs.get(m)?.keys() ?? []), 'training',
    ...Object.keys(MODULE_METHODS).filter((k) => !k.startsWith('__') && hasMethod(m, k)),
  ],
};

// ---------------------------------------------------------------------------------------------- classes

/**
 * A layer's sizes as its __init__ passes them to torch.empty for the weight (Linear: (out, in); Conv2d: (out, in,
 * kh, kw); BatchNorm2d: num_features alone): a non-int fails there, in the words of PyTorch's argument parser.
 */
function weightSize(dims: PyValue[], tuple = true): void {
  const isInt = (v: PyValue) => typeof v === 'number' || typeof v === 'boolean';
  const bad = dims.findIndex((v) => !isInt(v));
  if (bad < 0) return;
  if (bad === 0) {
    throw typeError(`empty() received an invalid combination of arguments - got (${tuple ? 'tuple' : pyTypeName(dims[0])}, dtype=NoneType, device=NoneType), but expected one of:`);
  }
  throw typeError(`empty(): argument 'size' must be tuple of SymInts, but found element of type ${pyTypeName(dims[bad])} at pos ${bad + 1}`);
}

/** The class whose __init__ a module's constructor runs, when it inherits one (nn.BatchNorm2d's is _BatchNorm's). */
const INIT_CLASS: Record<string, string> = {
  BatchNorm2d: '_BatchNorm', MaxPool2d: '_MaxPoolNd', AdaptiveAvgPool2d: '_AdaptiveAvgPoolNd', Dropout: '_DropoutNd',
  Tanh: 'Module', Sigmoid: 'Module', Identity: 'Identity',
};

/** nn.Upsample, and its two subclasses that fix the mode (and align_corners for bilinear). */
function upsampleClass(name: 'Upsample' | 'UpsamplingNearest2d' | 'UpsamplingBilinear2d', spec: string): PyType {
  return new PyType(name, (v) => v instanceof Upsample && v.kind === name, (a, kw) => {
    const [sz, sf, m, ac, rsf] = args(name, spec, a, kw, name);
    const seq = (v: PyValue) => v instanceof PyTuple || v instanceof PyList;
    const size = sz === null ? null : seq(sz) ? (sz as PyTuple).items.map((v) => int(v, name, 'size')) : int(sz, name, 'size');
    const sizeText = sz === null ? 'None' : seq(sz) ? (sz instanceof PyList ? `[${(size as number[]).join(', ')}]` : pyRepr(size as number[])) : String(size);
    // float(scale_factor) if scale_factor else None: 0 is None, as in PyTorch.
    const scale = sf === null ? null : seq(sf) ? (sf as PyTuple).items.map((v) => num(v, name, 'scale_factor')) : num(sf, name, 'scale_factor') || null;
    if (name === 'UpsamplingNearest2d') return new Upsample(size, sizeText, scale, 'nearest', null, null, name);
    if (name === 'UpsamplingBilinear2d') return new Upsample(size, sizeText, scale, 'bilinear', true, null, name);
    if (typeof m !== 'string') throw typeError(`${name}(): mode must be a string`);
    return new Upsample(size, sizeText, scale, m, ac === null || ac === undefined ? null : bool(ac), rsf === null || rsf === undefined ? null : bool(rsf), name);
  });
}

function moduleClass(name: string, ctor: abstract new (...a: any[]) => Module, spec: string, build: (v: PyValue[]) => Module): PyType {
  return new PyType(name, (v) => v instanceof ctor, (a, kw) => build(args(name, spec, a, kw, INIT_CLASS[name] ?? name)));
}

function reductionArg(size: PyValue, reduce: PyValue, reduction: PyValue, fn: string): string {
  if (size !== null || reduce !== null) {
    // The legacy flags, as torch.nn._reduction.legacy_get_string.
    const s = size === null ? true : bool(size);
    const r = reduce === null ? true : bool(reduce);
    return !r ? 'none' : s ? 'mean' : 'sum';
  }
  return str(reduction, fn, 'reduction');
}

/** Activation modules: one PyType per kind over the Activation class (isinstance checks the kind). */
function activationClasses(): PyType[] {
  const kind = (name: string, spec: string, build: (v: PyValue[]) => Activation): PyType =>
    new PyType(name, (v) => v instanceof Activation && v.kind === name, (a, kw) => build(args(name, spec, a, kw)));
  const f = (v: PyValue, fn: string, what: string): string => pyRepr(num(v, fn, what), true);
  return [
    kind('LeakyReLU', 'negative_slope=0.01, inplace=False', ([s]) => new Activation('LeakyReLU', (x) => E.leakyRelu(x, num(s, 'LeakyReLU', 'negative_slope')), `negative_slope=${f(s, 'LeakyReLU', 'negative_slope')}`)),
    kind('GELU', "approximate='none'", ([ap]) => {
      const a = str(ap, 'GELU', 'approximate');
      if (a !== 'none' && a !== 'tanh') throw runtimeError(`approximate argument must be either none or tanh.`);
      return new Activation('GELU', (x) => E.gelu(x, a), `approximate='${a}'`);
    }),
    kind('AvgPool2d', 'kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None', ([k, st, p, ceil, cip, dov]) => {
      const divisor = dov === null ? null : int(dov, 'AvgPool2d', 'divisor_override');
      const kernel = intOrTuple(k, 'AvgPool2d', 'kernel_size');
      const stride = st === null ? null : intOrTuple(st, 'AvgPool2d', 'stride');
      const padding = intOrTuple(p, 'AvgPool2d', 'padding');
      const r = (v: number | number[]): string => (Array.isArray(v) ? `(${v.join(', ')})` : String(v));
      return new Activation('AvgPool2d', (x) => E.avgPool2d(x, kernel, stride, padding, bool(cip), bool(ceil), divisor), `kernel_size=${r(kernel)}, stride=${r(stride ?? kernel)}, padding=${r(padding)}`);
    }),
    kind('AdaptiveMaxPool2d', 'output_size, return_indices=False', ([o, ri]) => {
      if (bool(ri)) throw new PyError('ValueError', 'AdaptiveMaxPool2d: return_indices=True is not supported here');
      const out = o instanceof PyTuple || o instanceof PyList ? o.items.map((x) => (x === null ? null : int(x, 'AdaptiveMaxPool2d', 'output_size'))) : int(o, 'AdaptiveMaxPool2d', 'output_size');
      const r = Array.isArray(out) ? `(${out.map((v) => (v === null ? 'None' : String(v))).join(', ')})` : String(out);
      return new Activation('AdaptiveMaxPool2d', (x) => E.adaptiveMaxPool2d(x, out), `output_size=${r}`);
    }),
    kind('SiLU', 'inplace=False', () => new Activation('SiLU', E.silu)),
    kind('Mish', 'inplace=False', () => new Activation('Mish', E.mish)),
    kind('ELU', 'alpha=1.0, inplace=False', ([al]) => new Activation('ELU', (x) => E.elu(x, num(al, 'ELU', 'alpha')), `alpha=${f(al, 'ELU', 'alpha')}`)),
    kind('SELU', 'inplace=False', () => new Activation('SELU', E.selu)),
    kind('Softplus', 'beta=1, threshold=20', ([b, t]) => new Activation('Softplus', (x) => E.softplus(x, num(b, 'Softplus', 'beta'), num(t, 'Softplus', 'threshold')), `beta=${pyRepr(num(b, 'Softplus', 'beta'))}, threshold=${pyRepr(num(t, 'Softplus', 'threshold'))}`)),
    kind('ReLU6', 'inplace=False', () => new Activation('ReLU6', (x) => E.hardtanh(x, 0, 6))),
    kind('Hardtanh', 'min_val=-1.0, max_val=1.0, inplace=False', ([lo, hi]) => new Activation('Hardtanh', (x) => E.hardtanh(x, num(lo, 'Hardtanh', 'min_val'), num(hi, 'Hardtanh', 'max_val')), `min_val=${f(lo, 'Hardtanh', 'min_val')}, max_val=${f(hi, 'Hardtanh', 'max_val')}`)),
    kind('LogSigmoid', '', () => new Activation('LogSigmoid', E.logSigmoid)),
    kind('Hardswish', 'inplace=False', () => new Activation('Hardswish', E.hardswish)),
    kind('Hardsigmoid', 'inplace=False', () => new Activation('Hardsigmoid', E.hardsigmoid)),
    kind('Tanhshrink', '', () => new Activation('Tanhshrink', (x) => E.sub(x, E.tanh(x)))),
    kind('Softsign', '', () => new Activation('Softsign', (x) => E.div(x, E.add(E.abs(x), 1)))),
    ...moreModuleClasses(),
  ];
}

/** Modules over the functions bindings/moreTorch adds (1-D pooling, padding modes, pixel shuffle, ...). */
function moreModuleClasses(): PyType[] {
  const F = moreFunctional();
  const call = (fn: string, ...rest: PyValue[]) => (x: Tensor): Tensor => (F[fn] as PyBuiltin).call([x, ...rest], null) as Tensor;
  const kind = (name: string, spec: string, build: (v: PyValue[]) => Module): PyType =>
    new PyType(name, (v) => v instanceof Module && v.kind === name, (a, kw) => build(args(name, spec, a, kw)));
  const tup = (v: PyValue): string => (v instanceof PyTuple || v instanceof PyList ? `(${v.items.map((x) => r(x)).join(', ')})` : String(v));
  /** An argument as Python prints it (20.0 stays a float). */
  const r = (v: PyValue): string => (v instanceof PyFloat ? floatRepr(v.value) : v instanceof PyTuple || v instanceof PyList ? tup(v) : v === null ? 'None' : String(v));
  const pad = (name: string, mode: string, n: number) =>
    kind(name, mode === 'constant' && name !== 'ZeroPad2d' ? 'padding, value' : 'padding', ([p, v]) => {
      const pads = p instanceof PyTuple || p instanceof PyList ? p.items.map((x) => int(x, name, 'padding')) : new Array<number>(2 * n).fill(int(p, name, 'padding'));
      const padding = new PyTuple(pads);
      const value = mode === 'constant' && name !== 'ZeroPad2d' ? num(v, name, 'value') : 0;
      const fn = (x: Tensor) => (mode === 'constant' ? E.pad(x, pads, value) : E.padMode(x, pads, mode as 'reflect' | 'replicate'));
      // As PyTorch's extra_repr: the padding alone, or padding= and value= for the constant pads.
      return new Activation(name, fn, mode === 'constant' && name !== 'ZeroPad2d' ? `padding=${tup(padding)}, value=${r(v)}` : tup(padding));
    });
  return [
    moduleClass('Conv1d', Conv1d, "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None", ([i, o, k, s, p, d, g, b, mode]) => {
      if (mode !== 'zeros') throw new PyError('ValueError', `Conv1d: padding_mode '${mode}' is not supported here (only 'zeros')`);
      const one = (v: PyValue, what: string) => (v instanceof PyTuple || v instanceof PyList ? int(v.items[0], 'Conv1d', what) : int(v, 'Conv1d', what));
      if (typeof p === 'string') throw new PyError('ValueError', `Conv1d: padding='${p}' is not supported here (give a number)`);
      return new Conv1d(int(i, 'Conv1d', 'in_channels'), int(o, 'Conv1d', 'out_channels'), one(k, 'kernel_size'), one(s, 'stride'), one(p, 'padding'), one(d, 'dilation'), int(g, 'Conv1d', 'groups'), bool(b));
    }),
    moduleClass('ConvTranspose2d', ConvTranspose2d, "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None", ([i, o, k, s, p, op, g, b, d, mode]) => {
      if (mode !== 'zeros') throw new PyError('ValueError', 'Only "zeros" padding mode is supported for ConvTranspose2d');
      return new ConvTranspose2d(int(i, 'ConvTranspose2d', 'in_channels'), int(o, 'ConvTranspose2d', 'out_channels'), intOrTuple(k, 'ConvTranspose2d', 'kernel_size'), {
        stride: intOrTuple(s, 'ConvTranspose2d', 'stride'), padding: intOrTuple(p, 'ConvTranspose2d', 'padding'), outputPadding: intOrTuple(op, 'ConvTranspose2d', 'output_padding'),
        groups: int(g, 'ConvTranspose2d', 'groups'), bias: bool(b), dilation: intOrTuple(d, 'ConvTranspose2d', 'dilation'),
      });
    }),
    new PyType('KLDivLoss', (v) => v instanceof ElementwiseLoss && v.kind === 'KLDivLoss', (a, kw) => {
      const [s, r, red, lt] = args('KLDivLoss', "size_average=None, reduce=None, reduction='mean', log_target=False", a, kw);
      const reduction = reductionArg(s, r, red, 'KLDivLoss');
      const kl = F.kl_div as PyBuiltin;
      return new ElementwiseLoss('KLDivLoss', (x, t) => kl.call([x, t, null, null, reduction, lt], null) as Tensor, reduction === 'batchmean' ? 'sum' : reduction);
    }),
    kind('CosineSimilarity', 'dim=1, eps=1e-08', ([d, eps]) =>
      new BinaryModule('CosineSimilarity', (a, b) => (F.cosine_similarity as PyBuiltin).call([a, b, d, eps], null) as Tensor)),
    ...[1, 2].map((k) => kind(`InstanceNorm${k}d`, 'num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None', ([n, eps, mom, aff, track]) => {
      if (bool(track)) throw new PyError('ValueError', `InstanceNorm${k}d: track_running_stats=True is not supported here`);
      const features = int(n, `InstanceNorm${k}d`, 'num_features');
      const m = new Activation(`InstanceNorm${k}d`, (x) => {
        const p = (k: string): Tensor | null => m._parameters.get(k) ?? null;
        return (F.instance_norm as PyBuiltin).call([x, null, null, p('weight'), p('bias'), true, mom, eps], null) as Tensor;
      }, `${features}, eps=${r(eps)}, momentum=${r(mom)}, affine=${pyRepr(bool(aff))}, track_running_stats=False`);
      if (bool(aff)) {
        m.registerParameter('weight', newParameter(new Float32Array(features).fill(1), [features]));
        m.registerParameter('bias', newParameter(new Float32Array(features), [features]));
      }
      return m;
    })),
    moduleClass('PReLU', PReLU, 'num_parameters=1, init=0.25, device=None, dtype=None', ([n, init]) => new PReLU(int(n, 'PReLU', 'num_parameters'), num(init, 'PReLU', 'init'))),
    moduleClass('Dropout2d', Dropout2d, 'p=0.5, inplace=False', ([p, ip]) => new Dropout2d(num(p, 'Dropout2d', 'p'), bool(ip))),
    kind('MaxPool1d', 'kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False', ([k, s, p, d, ri, c]) => {
      if (bool(ri)) throw new PyError('ValueError', 'MaxPool1d: return_indices=True is not supported here');
      return new Activation('MaxPool1d', call('max_pool1d', k, s, p, d, c), `kernel_size=${r(k)}, stride=${r(s === null ? k : s)}, padding=${r(p)}, dilation=${r(d)}, ceil_mode=${pyRepr(bool(c))}`);
    }),
    kind('AvgPool1d', 'kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True', ([k, s, p, c, cip]) =>
      new Activation('AvgPool1d', call('avg_pool1d', k, s, p, c, cip), `kernel_size=(${tup(k)},), stride=(${tup(s === null ? k : s)},), padding=(${tup(p)},)`)),
    kind('AdaptiveAvgPool1d', 'output_size', ([o]) => new Activation('AdaptiveAvgPool1d', call('adaptive_avg_pool1d', o), `output_size=${r(o)}`)),
    kind('AdaptiveMaxPool1d', 'output_size, return_indices=False', ([o]) => new Activation('AdaptiveMaxPool1d', call('adaptive_max_pool1d', o), `output_size=${r(o)}`)),
    pad('ZeroPad2d', 'constant', 2),
    pad('ConstantPad1d', 'constant', 1),
    pad('ConstantPad2d', 'constant', 2),
    pad('ReflectionPad1d', 'reflect', 1),
    pad('ReflectionPad2d', 'reflect', 2),
    pad('ReplicationPad1d', 'replicate', 1),
    pad('ReplicationPad2d', 'replicate', 2),
    kind('PixelShuffle', 'upscale_factor', ([u]) => new Activation('PixelShuffle', call('pixel_shuffle', u), `upscale_factor=${r(u)}`)),
    kind('PixelUnshuffle', 'downscale_factor', ([u]) => new Activation('PixelUnshuffle', call('pixel_unshuffle', u), `downscale_factor=${r(u)}`)),
    kind('Softmin', 'dim=None', ([d]) => new Activation('Softmin', call('softmin', d), `dim=${d === null ? 'None' : r(d)}`)),
    kind('Threshold', 'threshold, value, inplace=False', ([t, v]) => new Activation('Threshold', call('threshold', t, v), `threshold=${r(t)}, value=${r(v)}`)),
    kind('GLU', 'dim=-1', ([d]) => new Activation('GLU', (x) => E.glu(x, int(d, 'GLU', 'dim')), `dim=${r(d)}`)),
    kind('Unflatten', 'dim, unflattened_size', ([d, s]) => {
      const sizes = s instanceof PyTuple || s instanceof PyList ? s.items.map((v) => int(v, 'Unflatten', 'unflattened_size')) : [int(s, 'Unflatten', 'unflattened_size')];
      const dim = int(d, 'Unflatten', 'dim');
      return new Activation('Unflatten', (x) => {
        const at = dim < 0 ? dim + x.ndim : dim;
        return E.view(x, [...x.shape.slice(0, at), ...sizes, ...x.shape.slice(at + 1)]);
      }, `dim=${dim}, unflattened_size=(${sizes.join(', ')}${sizes.length === 1 ? ',' : ''})`);
    }),
    kind('PairwiseDistance', 'p=2.0, eps=1e-06, keepdim=False', ([p, eps, k]) =>
      new BinaryModule('PairwiseDistance', (a, b) => (F.pairwise_distance as PyBuiltin).call([a, b, p, eps, k], null) as Tensor)),
  ];
}

/** Loss modules over ElementwiseLoss (isinstance checks the kind). */
function lossClasses(): PyType[] {
  const spec = "size_average=None, reduce=None, reduction='mean'";
  const kind = (name: string, extra: string, build: (v: PyValue[], reduction: string) => ElementwiseLoss): PyType =>
    new PyType(name, (v) => v instanceof ElementwiseLoss && v.kind === name, (a, kw) => {
      const v = args(name, extra ? `${spec}, ${extra}` : spec, a, kw);
      return build(v.slice(3), reductionArg(v[0], v[1], v[2], name));
    });
  return [
    kind('L1Loss', '', (_v, r) => new ElementwiseLoss('L1Loss', E.l1Loss, r)),
    kind('SmoothL1Loss', 'beta=1.0', ([b], r) => new ElementwiseLoss('SmoothL1Loss', (x, y, red) => E.smoothL1Loss(x, y, red, num(b, 'SmoothL1Loss', 'beta')), r)),
    kind('HuberLoss', 'delta=1.0', ([d], r) => new ElementwiseLoss('HuberLoss', (x, y, red) => E.huberLoss(x, y, red, num(d, 'HuberLoss', 'delta')), r)),
    kind('BCELoss', 'weight=None', ([w], r) => {
      if (w !== null) throw new PyError('ValueError', 'BCELoss: weight is not supported here');
      return new ElementwiseLoss('BCELoss', E.binaryCrossEntropy, r);
    }),
    kind('BCEWithLogitsLoss', 'weight=None, pos_weight=None', ([w, pw], r) => {
      const weight = w === null ? null : tensorArg(w, 'BCEWithLogitsLoss', 'weight');
      const posWeight = pw === null ? null : tensorArg(pw, 'BCEWithLogitsLoss', 'pos_weight');
      return new ElementwiseLoss('BCEWithLogitsLoss', (x, y, red) => E.binaryCrossEntropyWithLogits(x, y, red, weight, posWeight), r);
    }),
  ];
}

/** nn.RNN, nn.LSTM, nn.GRU (RNNBase's __init__ arguments; RNN's nonlinearity is keyword-only) and the three cells. */
function rnnClasses(): PyType[] {
  const base = 'input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None';
  const layer = (kind: 'RNN' | 'LSTM' | 'GRU'): PyType =>
    new PyType(kind, (v) => v instanceof RNNBase && v.kind === kind, (a, kw) => {
      if (kind !== 'LSTM' && kw?.has('proj_size')) throw new PyError('ValueError', 'proj_size argument is only supported for LSTM, not RNN or GRU');
      const [i, h, n, b, bf, d, bi, ps, , , nl] = args(kind, kind === 'RNN' ? `${base}, *, nonlinearity='tanh'` : base, a, kw, 'RNNBase');
      weightSize([h, i]);
      // A bool or a non-number dropout is refused as PyTorch refuses it: NaN fails the engine's range check.
      const dropout = typeof d === 'boolean' ? NaN : numberOf(d) ?? NaN;
      return new RNNBase(kind, int(i, kind, 'input_size'), int(h, kind, 'hidden_size'), {
        numLayers: int(n, kind, 'num_layers'), bias: bool(b), batchFirst: bool(bf), dropout, bidirectional: bool(bi),
        projSize: int(ps, kind, 'proj_size'), nonlinearity: kind === 'RNN' ? str(nl, kind, 'nonlinearity') : undefined,
      });
    });
  const cell = (kind: 'RNNCell' | 'LSTMCell' | 'GRUCell'): PyType =>
    new PyType(kind, (v) => v instanceof RNNCellBase && v.kind === kind, (a, kw) => {
      const spec = `input_size, hidden_size, bias=True, ${kind === 'RNNCell' ? "nonlinearity='tanh', " : ''}device=None, dtype=None`;
      const [i, h, b, nl] = args(kind, spec, a, kw, kind);
      weightSize([h, i]);
      return new RNNCellBase(kind, int(i, kind, 'input_size'), int(h, kind, 'hidden_size'), bool(b), kind === 'RNNCell' ? str(nl, kind, 'nonlinearity') : 'tanh');
    });
  return [layer('RNN'), layer('LSTM'), layer('GRU'), cell('RNNCell'), cell('LSTMCell'), cell('GRUCell')];
}

/** The activation value a Transformer layer was given, as the program reads layer.activation back. */
const activationValues = new WeakMap<Module, PyValue>();

/** A Transformer layer's activation argument: 'relu' or 'gelu', a module (registered as a child), or a function. */
function activationArg(v: PyValue): TransformerActivation {
  if (typeof v === 'string') {
    if (v === 'relu') return { fn: E.relu, reluOrGelu: 1 };
    if (v === 'gelu') return { fn: (x) => E.gelu(x), reluOrGelu: 2 };
    throw runtimeError(`activation should be relu/gelu, not ${v}`);
  }
  if (v instanceof Module) return { fn: null, reluOrGelu: v.kind === 'ReLU' ? 1 : v.kind === 'GELU' ? 2 : 0, module: v };
  if (v instanceof PyCallable) {
    const f = v;
    const fn = (x: Tensor): Tensor => {
      const y = f.call([x], null);
      if (!(y instanceof Tensor)) throw typeError(`linear(): argument 'input' (position 1) must be Tensor, not ${pyTypeName(y)}`);
      return y;
    };
    // F.relu and F.gelu are what activation_relu_or_gelu looks for.
    return { fn, reluOrGelu: f instanceof PyBuiltin && f.name === 'relu' ? 1 : f instanceof PyBuiltin && f.name === 'gelu' ? 2 : 0 };
  }
  throw typeError(`'${pyTypeName(v)}' object is not callable`);
}

/** A layer the Transformer containers deep-copy: one of the built-in layers (a program's own module is not copied). */
function copyableLayer(v: PyValue, kind: string, what: string): Module {
  if (!(v instanceof Module)) throw new PyError('TypeError', `${kind}: ${what} must be a module, not ${pyTypeName(v)}`);
  if (!HOST_MODULE_CLASSES.some((c) => v.constructor === c)) throw new PyError('NotImplementedError', `${kind}: copy.deepcopy of a ${v.kind} defined in the program is not supported in this playground; pass a built-in layer`);
  return v;
}

/** Transformer.generate_square_subsequent_mask(sz), a static method (also read from an instance). */
const generateSquareSubsequentMask = new PyBuiltin('generate_square_subsequent_mask', (a, kw) => {
  const [sz] = args('generate_square_subsequent_mask', "sz, device='cpu'", a, kw);
  return squareSubsequentMask(int(sz, 'generate_square_subsequent_mask', 'sz'));
});

/** A class with static methods (nn.Transformer.generate_square_subsequent_mask). */
class PyTypeWithStatics extends PyType {
  readonly statics = new Map<string, PyValue>();
  override pyGetattr(name: string): PyValue | undefined {
    return this.statics.get(name);
  }
}

/** nn.MultiheadAttention and the Transformer modules, with PyTorch 1.13's __init__ signatures. */
function transformerClasses(): PyType[] {
  const layerSpec = "d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu', layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None";
  const layerOptions = (kind: string, [dff, p, act, eps, bf, nf]: PyValue[]) => ({
    dimFeedforward: int(dff, kind, 'dim_feedforward'), dropout: num(p, kind, 'dropout'), activation: activationArg(act),
    layerNormEps: num(eps, kind, 'layer_norm_eps'), batchFirst: bool(bf), normFirst: bool(nf),
  });
  const layer = (kind: 'TransformerEncoderLayer' | 'TransformerDecoderLayer', ctor: typeof TransformerEncoderLayer | typeof TransformerDecoderLayer): PyType =>
    new PyType(kind, (v) => v instanceof ctor, (a, kw) => {
      const [d, h, ...rest] = args(kind, layerSpec, a, kw, kind);
      const m = new ctor(int(d, kind, 'd_model'), int(h, kind, 'nhead'), layerOptions(kind, rest));
      if (typeof rest[2] !== 'string') activationValues.set(m, rest[2]);
      return m;
    });
  const optModule = (v: PyValue, kind: string, what: string): Module | null => {
    if (v === null || v instanceof Module) return v;
    throw new PyError('TypeError', `${kind}: ${what} must be a module or None, not ${pyTypeName(v)}`);
  };
  const transformer = new PyTypeWithStatics('Transformer', (v) => v instanceof Transformer, (a, kw) => {
    const [d, h, ne, nd, dff, p, act, ce, cd, eps, bf, nf] = args('Transformer', "d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation='relu', custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None", a, kw, 'Transformer');
    return new Transformer(int(d, 'Transformer', 'd_model'), int(h, 'Transformer', 'nhead'), {
      ...layerOptions('Transformer', [dff, p, act, eps, bf, nf]), numEncoderLayers: int(ne, 'Transformer', 'num_encoder_layers'), numDecoderLayers: int(nd, 'Transformer', 'num_decoder_layers'),
      customEncoder: optModule(ce, 'Transformer', 'custom_encoder'), customDecoder: optModule(cd, 'Transformer', 'custom_decoder'),
    });
  });
  transformer.statics.set('generate_square_subsequent_mask', generateSquareSubsequentMask);
  return [
    moduleClass('MultiheadAttention', MultiheadAttention, 'embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None',
      ([e, h, p, b, bkv, zero, kd, vd, bf]) => new MultiheadAttention(int(e, 'MultiheadAttention', 'embed_dim'), int(h, 'MultiheadAttention', 'num_heads'), {
        dropout: num(p, 'MultiheadAttention', 'dropout'), bias: bool(b), addBiasKv: bool(bkv), addZeroAttn: bool(zero),
        kdim: kd === null ? null : int(kd, 'MultiheadAttention', 'kdim'), vdim: vd === null ? null : int(vd, 'MultiheadAttention', 'vdim'), batchFirst: bool(bf),
      })),
    layer('TransformerEncoderLayer', TransformerEncoderLayer),
    layer('TransformerDecoderLayer', TransformerDecoderLayer),
    moduleClass('TransformerEncoder', TransformerEncoder, 'encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True', ([l, n, norm, nested, check]) =>
      new TransformerEncoder(copyableLayer(l, 'TransformerEncoder', 'encoder_layer'), int(n, 'TransformerEncoder', 'num_layers'), optModule(norm, 'TransformerEncoder', 'norm'), bool(nested), bool(check))),
    moduleClass('TransformerDecoder', TransformerDecoder, 'decoder_layer, num_layers, norm=None', ([l, n, norm]) =>
      new TransformerDecoder(copyableLayer(l, 'TransformerDecoder', 'decoder_layer'), int(n, 'TransformerDecoder', 'num_layers'), optModule(norm, 'TransformerDecoder', 'norm'))),
    transformer,
  ];
}

/** F.multi_head_attention_forward, with functional.py's signature. */
export function multiHeadAttentionForwardFn(): PyBuiltin {
  const name = 'multi_head_attention_forward';
  const spec = 'query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training=True, key_padding_mask=None, need_weights=True, attn_mask=None, use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True';
  return new PyBuiltin(name, (a, kw) => {
    const v = args(name, spec, a, kw);
    const t = (i: number, what: string): Tensor => tensorArg(v[i], name, what);
    const o = (i: number, what: string): Tensor | null => (v[i] === null ? null : t(i, what));
    const [out, w] = multiHeadAttentionForward(t(0, 'query'), t(1, 'key'), t(2, 'value'), {
      embedDimToCheck: int(v[3], name, 'embed_dim_to_check'), numHeads: int(v[4], name, 'num_heads'), inProjWeight: o(5, 'in_proj_weight'), inProjBias: o(6, 'in_proj_bias'),
      biasK: o(7, 'bias_k'), biasV: o(8, 'bias_v'), addZeroAttn: bool(v[9]), dropoutP: num(v[10], name, 'dropout_p'), outProjWeight: t(11, 'out_proj_weight'), outProjBias: o(12, 'out_proj_bias'),
      training: bool(v[13]), keyPaddingMask: o(14, 'key_padding_mask'), needWeights: bool(v[15]), attnMask: o(16, 'attn_mask'), useSeparateProjWeight: bool(v[17]),
      qProjWeight: o(18, 'q_proj_weight'), kProjWeight: o(19, 'k_proj_weight'), vProjWeight: o(20, 'v_proj_weight'), staticK: o(21, 'static_k'), staticV: o(22, 'static_v'),
      averageAttnWeights: bool(v[23]),
    });
    return new PyTuple([out, w]);
  });
}

function makeNn(): Map<string, PyValue> {
  const classes: PyType[] = [
    new PyType('Module', (v) => v instanceof Module, (a, kw) => {
      args('Module', '', a, kw);
      return new Module('Module');
    }),
    moduleClass('Linear', Linear, 'in_features, out_features, bias=True, device=None, dtype=None', ([i, o, b]) => {
      weightSize([o, i]);
      return new Linear(int(i, 'Linear', 'in_features'), int(o, 'Linear', 'out_features'), bool(b));
    }),
    moduleClass('Conv2d', Conv2d, "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None", ([i, o, k, s, p, d, g, b, mode]) => {
      if (mode !== 'zeros') throw new PyError('ValueError', `Conv2d: padding_mode '${mode}' is not supported here (only 'zeros')`);
      weightSize([o, i, ...(k instanceof PyTuple || k instanceof PyList ? k.items : [k])]);
      const padding = typeof p === 'string' ? (p === 'same' || p === 'valid' ? p : (() => { throw new PyError('ValueError', `Invalid padding string '${p}', should be one of {'valid', 'same'}`); })()) : intOrTuple(p, 'Conv2d', 'padding');
      return new Conv2d(int(i, 'Conv2d', 'in_channels'), int(o, 'Conv2d', 'out_channels'), intOrTuple(k, 'Conv2d', 'kernel_size'), {
        stride: intOrTuple(s, 'Conv2d', 'stride'), padding, dilation: intOrTuple(d, 'Conv2d', 'dilation'), groups: int(g, 'Conv2d', 'groups'), bias: bool(b),
      });
    }),
    new PyType('BatchNorm1d', (v) => v instanceof BatchNorm1d, (a, kw) => {
      const [n, eps, mom, affine, track] = args('BatchNorm1d', 'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None', a, kw);
      return new BatchNorm1d(int(n, 'BatchNorm1d', 'num_features'), {
        eps: num(eps, 'BatchNorm1d', 'eps'), momentum: mom === null ? null : num(mom, 'BatchNorm1d', 'momentum'), affine: bool(affine), trackRunningStats: bool(track),
      });
    }),
    moduleClass('GroupNorm', GroupNorm, 'num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None', ([g, c, eps, aff]) =>
      new GroupNorm(int(g, 'GroupNorm', 'num_groups'), int(c, 'GroupNorm', 'num_channels'), num(eps, 'GroupNorm', 'eps'), bool(aff))),
    moduleClass('LayerNorm', LayerNorm, 'normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None', ([ns, eps, aff]) =>
      new LayerNorm(ns instanceof PyTuple || ns instanceof PyList ? ns.items.map((v) => int(v, 'LayerNorm', 'normalized_shape')) : [int(ns, 'LayerNorm', 'normalized_shape')], num(eps, 'LayerNorm', 'eps'), bool(aff))),
    ...activationClasses(),
    ...lossClasses(),
    ...rnnClasses(),
    ...transformerClasses(),
    moduleClass('BatchNorm2d', BatchNorm2d, 'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None', ([n, eps, mom, affine, track]) =>
      (weightSize([n], false), new BatchNorm2d(int(n, 'BatchNorm2d', 'num_features'), {
        eps: num(eps, 'BatchNorm2d', 'eps'), momentum: mom === null ? null : num(mom, 'BatchNorm2d', 'momentum'), affine: bool(affine), trackRunningStats: bool(track),
      }))),
    moduleClass('ReLU', ReLU, 'inplace=False', ([inplace]) => new ReLU(bool(inplace))),
    moduleClass('Tanh', Tanh, '', () => new Tanh()),
    moduleClass('Sigmoid', Sigmoid, '', () => new Sigmoid()),
    moduleClass('Softmax', Softmax, 'dim=None', ([d]) => new Softmax(d === null ? null : int(d, 'Softmax', 'dim'))),
    moduleClass('LogSoftmax', LogSoftmax, 'dim=None', ([d]) => new LogSoftmax(d === null ? null : int(d, 'LogSoftmax', 'dim'))),
    moduleClass('MaxPool2d', MaxPool2d, 'kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False', ([k, s, p, d, ri, ceil]) => {
      if (bool(ri)) throw new PyError('ValueError', 'MaxPool2d: return_indices=True is not supported here');
      return new MaxPool2d(intOrTuple(k, 'MaxPool2d', 'kernel_size'), s === null ? null : intOrTuple(s, 'MaxPool2d', 'stride'), intOrTuple(p, 'MaxPool2d', 'padding'), intOrTuple(d, 'MaxPool2d', 'dilation'), bool(ceil));
    }),
    moduleClass('AdaptiveAvgPool2d', AdaptiveAvgPool2d, 'output_size', ([o]) =>
      new AdaptiveAvgPool2d(o instanceof PyTuple || o instanceof PyList ? o.items.map((x) => (x === null ? null : int(x, 'AdaptiveAvgPool2d', 'output_size'))) : int(o, 'AdaptiveAvgPool2d', 'output_size'))),
    upsampleClass('Upsample', "size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None"),
    upsampleClass('UpsamplingNearest2d', 'size=None, scale_factor=None'),
    upsampleClass('UpsamplingBilinear2d', 'size=None, scale_factor=None'),
    moduleClass('Flatten', Flatten, 'start_dim=1, end_dim=-1', ([s, e]) => new Flatten(int(s, 'Flatten', 'start_dim'), int(e, 'Flatten', 'end_dim'))),
    moduleClass('Dropout', Dropout, 'p=0.5, inplace=False', ([p, inplace]) => new Dropout(num(p, 'Dropout', 'p'), bool(inplace))),
    moduleClass('Identity', Identity, '*args, **kwargs', () => new Identity()),
    new PyType('ModuleDict', (v) => v instanceof ModuleDict, (a, kw) => {
      const [mods] = args('ModuleDict', 'modules=None', a, kw);
      const pairs: [PyValue, PyValue][] = mods === null ? [] : mods instanceof PyDict ? mods.entries() : items(mods, 'modules').map((p) => (p as PyTuple).items as [PyValue, PyValue]);
      return new ModuleDict(pairs.map(([k, v]) => {
        if (!(v instanceof Module)) throw typeError(`${pyTypeName(v)} is not a Module subclass`);
        return [String(k), v];
      }));
    }),
    new PyType('ParameterList', (v) => v instanceof ParameterList, (a, kw) => {
      const [vals] = args('ParameterList', 'values=None', a, kw);
      return new ParameterList(vals === null ? [] : items(vals, 'values').map((v) => {
        if (!(v instanceof Tensor)) throw typeError(`cannot assign '${pyTypeName(v)}' object to parameter (torch.nn.Parameter or None required)`);
        return isParameter(v) ? v : asParameter(v);
      }));
    }),
    new PyType('ParameterDict', (v) => v instanceof ParameterDict, (a, kw) => {
      const [ps] = args('ParameterDict', 'parameters=None', a, kw);
      const pairs: [PyValue, PyValue][] = ps === null ? [] : ps instanceof PyDict ? ps.entries() : items(ps, 'parameters').map((p) => (p as PyTuple).items as [PyValue, PyValue]);
      return new ParameterDict(pairs.map(([k, v]) => {
        if (!(v instanceof Tensor)) throw typeError(`cannot assign '${pyTypeName(v)}' object to parameter '${String(k)}' (torch.nn.Parameter or None required)`);
        return [String(k), isParameter(v) ? v : asParameter(v)];
      }));
    }),
    new PyType('ModuleList', (v) => v instanceof ModuleList, (a, kw) => {
      const [mods] = args('ModuleList', 'modules=None', a, kw);
      return new ModuleList(mods === null ? [] : items(mods, 'modules').map((v) => {
        if (!(v instanceof Module)) throw typeError(`${pyTypeName(v)} is not a Module subclass`);
        return v;
      }));
    }),
    moduleClass('Embedding', Embedding, 'num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, device=None, dtype=None', ([n, d, pi, mn]) => {
      if (pi !== null || mn !== null) throw new PyError('ValueError', 'Embedding: padding_idx and max_norm are not supported here');
      return new Embedding(int(n, 'Embedding', 'num_embeddings'), int(d, 'Embedding', 'embedding_dim'));
    }),
    new PyType('Sequential', (v) => v instanceof Sequential && !(v instanceof ModuleList), (a, kw) => {
      if (kw && kw.size) throw typeError(`Sequential.__init__() got an unexpected keyword argument '${kw.keys().next().value}'`);
      if (a.length === 1 && a[0] instanceof PyDict) {
        const named = new Map<string, Module>();
        for (const [k, v] of a[0].entries()) {
          if (!(v instanceof Module)) throw typeError(`${pyTypeName(v)} is not a Module subclass`);
          named.set(String(k), v);
        }
        return new Sequential(named);
      }
      return new Sequential(a.map((v) => {
        if (!(v instanceof Module)) throw typeError(`${pyTypeName(v)} is not a Module subclass`);
        return v;
      }));
    }),
    moduleClass('MSELoss', MSELoss, "size_average=None, reduce=None, reduction='mean'", ([s, r, red]) => new MSELoss(reductionArg(s, r, red, 'MSELoss'))),
    moduleClass('CrossEntropyLoss', CrossEntropyLoss, "weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0", ([w, s, ii, r, red, ls]) =>
      new CrossEntropyLoss(reductionArg(s, r, red, 'CrossEntropyLoss'), int(ii, 'CrossEntropyLoss', 'ignore_index'), w === null ? null : tensorArg(w, 'CrossEntropyLoss', 'weight'), num(ls, 'CrossEntropyLoss', 'label_smoothing'))),
    moduleClass('NLLLoss', NLLLoss, "weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", ([w, s, ii, r, red]) =>
      new NLLLoss(reductionArg(s, r, red, 'NLLLoss'), int(ii, 'NLLLoss', 'ignore_index'), w === null ? null : tensorArg(w, 'NLLLoss', 'weight'))),
    Object.assign(new PyType('Parameter', (v) => isParameter(v), (a, kw) => {
      const [data, requiresGrad] = args('Parameter', 'data=None, requires_grad=True', a, kw);
      if (data === null) throw new PyError('ValueError', 'Parameter(): data=None (an empty parameter) is not supported here');
      return asParameter(tensorArg(data, 'Parameter', 'data'), bool(requiresGrad));
    }), { qualname: 'torch.nn.parameter.Parameter' }),
  ];
  // The module each class is defined in, as type(...) and print(nn.Linear) show it.
  const where: Record<string, string> = {
    Module: 'module', Linear: 'linear', Identity: 'linear', Conv2d: 'conv', BatchNorm2d: 'batchnorm', ReLU: 'activation', Tanh: 'activation',
    Sigmoid: 'activation', Softmax: 'activation', LogSoftmax: 'activation', MaxPool2d: 'pooling', AdaptiveAvgPool2d: 'pooling',
    Flatten: 'flatten', Dropout: 'dropout', Upsample: 'upsampling', UpsamplingNearest2d: 'upsampling', UpsamplingBilinear2d: 'upsampling', Sequential: 'container', MSELoss: 'loss', CrossEntropyLoss: 'loss', NLLLoss: 'loss',
    RNN: 'rnn', LSTM: 'rnn', GRU: 'rnn', RNNCell: 'rnn', LSTMCell: 'rnn', GRUCell: 'rnn', MultiheadAttention: 'activation',
    TransformerEncoderLayer: 'transformer', TransformerEncoder: 'transformer', TransformerDecoderLayer: 'transformer', TransformerDecoder: 'transformer', Transformer: 'transformer',
  };
  for (const c of classes) if (where[c.name]) c.qualname = `torch.nn.modules.${where[c.name]}.${c.name}`;
  const attrs = new Map<string, PyValue>(classes.map((c) => [c.name, c]));
  attrs.set('init', makeInit());
  attrs.set('utils', makeNnUtils());
  return attrs;
}

/**
 * torch.nn.utils: clip_grad_norm_ and clip_grad_value_ (in place on the .grads, as PyTorch's code computes the
 * norm and the factor: the norm of the per-parameter norms, max_norm · (norm + 1e-6)⁻¹ clamped to 1),
 * parameters_to_vector and vector_to_parameters.
 */
function makeNnUtils(): PyModule {
  const paramsOf = (v: PyValue): Tensor[] =>
    (v instanceof Tensor ? [v] : items(v, 'parameters')).map((p) => {
      if (!(p instanceof Tensor)) throw typeError(`expected Tensor as element of parameters, but got ${pyTypeName(p)}`);
      return p;
    });
  return new PyModule('torch.nn.utils', {
    clip_grad_norm_: new PyTypeless('clip_grad_norm_', (a, kw) => {
      const [ps, mx, nt, strict] = args('clip_grad_norm_', 'parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None', a, kw);
      const maxNorm = num(mx, 'clip_grad_norm_', 'max_norm');
      const normType = num(nt, 'clip_grad_norm_', 'norm_type');
      const grads = paramsOf(ps).map((p) => p.grad).filter((g): g is Tensor => g !== null);
      if (!grads.length) return E.zeros([]);
      return E.withoutGrad(() => {
        const norms = grads.map((g) => (normType === Infinity ? E.amax(E.abs(g)) : E.norm(g, normType)));
        const total = normType === Infinity ? (norms.length === 1 ? norms[0] : E.amax(E.stack(norms))) : E.norm(E.stack(norms), normType);
        if (bool(strict) && !Number.isFinite(total.data[0])) {
          throw runtimeError(`The total norm of order ${pyRepr(normType, true)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
        }
        // max_norm / (total + 1e-6) is Tensor.__rtruediv__: reciprocal() times max_norm.
        const coef = E.clampMax(E.mul(E.reciprocal(E.add(total, 1e-6)), maxNorm), 1);
        for (const g of grads) inplace(g, E.mulOp, [coef], {}, 'mul_');
        return total;
      });
    }),
    clip_grad_value_: new PyTypeless('clip_grad_value_', (a, kw) => {
      const [ps, cv] = args('clip_grad_value_', 'parameters, clip_value, foreach=None', a, kw);
      const v = num(cv, 'clip_grad_value_', 'clip_value');
      E.withoutGrad(() => {
        for (const p of paramsOf(ps)) if (p.grad) inplace(p.grad, E.clampOp, [], { min: -v, max: v }, 'clamp_');
      });
      return null;
    }),
    parameters_to_vector: new PyTypeless('parameters_to_vector', (a, kw) => {
      const [ps] = args('parameters_to_vector', 'parameters', a, kw);
      return E.cat(paramsOf(ps).map((p) => E.view(p, [-1])));
    }),
    vector_to_parameters: new PyTypeless('vector_to_parameters', (a, kw) => {
      const [vec, ps] = args('vector_to_parameters', 'vec, parameters', a, kw);
      const v = tensorArg(vec, 'vector_to_parameters', 'vec');
      let at = 0;
      E.withoutGrad(() => {
        for (const p of paramsOf(ps)) {
          copyInto(p, E.view(E.sliceDim(v, 0, at, at + p.numel), p.shape.slice()));
          at += p.numel;
        }
      });
      return null;
    }),
  });
}

/**
 * Python's copy module for what programs copy: copy.deepcopy of tensors (leaves, as PyTorch allows; .grad is
 * copied, except a Parameter's, as PyTorch's __deepcopy__), modules (built-in or the program's own: every parameter and buffer a new
 * tensor, children and attributes copied, what is shared stays shared), state dicts, lists, tuples, dicts and
 * instances of program classes; copy.copy of containers (a shallow copy).
 */
function deepcopy(v: PyValue, memo: Map<unknown, PyValue>): PyValue {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  const again = (x: PyValue): PyValue => deepcopy(x, memo);
  if (v instanceof Tensor) {
    if (!v.isLeaf) throw runtimeError('Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment');
    const t = new Tensor(copyStorage(v.data), v.shape.slice(), v.dtype);
    t.requiresGrad = v.requiresGrad;
    if (v.strides) t.strides = v.strides;
    const grad = v.grad;
    const param = isParameter(v);
    const out = param ? asParameter(t, v.requiresGrad) : created(t, 'deepcopy');
    memo.set(v, out);
    // Tensor.__deepcopy__ copies .grad; Parameter.__deepcopy__ does not.
    if (grad && !param) out.grad = again(grad) as Tensor;
    return out;
  }
  if (v instanceof Module) {
    const c = Object.create(Object.getPrototypeOf(v) as object) as Module;
    memo.set(v, c);
    Object.assign(c, v);
    const w = c as unknown as Record<string, unknown>;
    w._parameters = new Map([...v._parameters].map(([n, p]) => [n, p && (again(p) as Tensor)]));
    w._buffers = new Map([...v._buffers].map(([n, b]) => [n, b && (again(b) as Tensor)]));
    w._nonPersistent = new Set(v._nonPersistent);
    w._modules = new Map([...v._modules].map(([n, m]) => [n, m && (again(m) as Module)]));
    const own = plainAttrs.get(v);
    if (own) plainAttrs.set(c, new Map([...own].map(([k, x]) => [k, again(x)])));
    copyInstanceState(v, c, again);
    return c;
  }
  if (v instanceof PyList) {
    const out = new PyList([]);
    memo.set(v, out);
    out.items.push(...v.items.map(again));
    return out;
  }
  if (v instanceof PyTuple && !(v instanceof TorchSize)) return new PyTuple(v.items.map(again));
  if (v instanceof PyDict) {
    const out = v instanceof PyOrderedDict ? new PyOrderedDict() : new PyDict();
    memo.set(v, out);
    for (const [k, x] of v.entries()) out.set(k, again(x));
    return out;
  }
  if (v instanceof PyInstance) {
    const out = new PyInstance(v.cls);
    memo.set(v, out);
    for (const [k, x] of v.dict) out.dict.set(k, again(x));
    return out;
  }
  if (typeof v === 'string' || v instanceof TorchSize || v instanceof PyType || v instanceof PyModule || v instanceof PyCallable) return v;
  throw new PyError('NotImplementedError', `copy.deepcopy of a '${pyTypeName(v)}' object is not supported in this playground`);
}

/**
 * torch.save and torch.load over the run's own files, kept in memory (no file system here): what a program saves,
 * it can load back later in the same run, as a copy (torch.load builds new tensors). Anything else is
 * FileNotFoundError, as open() would give.
 */
function makeSaveLoad(): { save: PyValue; load: PyValue } {
  const files = new Map<string, PyValue>();
  const pathOf = (fn: string, v: PyValue): string => {
    if (typeof v !== 'string') throw typeError(`${fn}(): f must be a path (str) in this playground, not ${pyTypeName(v)}`);
    return v;
  };
  return {
    save: new PyTypeless('save', (a, kw) => {
      const [obj, f] = args('save', 'obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True', a, kw);
      files.set(pathOf('save', f), deepcopy(obj, new Map()));
      return null;
    }),
    load: new PyTypeless('load', (a, kw) => {
      const [f] = args('load', 'f, map_location=None, pickle_module=None, weights_only=False', a, kw);
      const path = pathOf('load', f);
      const saved = files.get(path);
      if (saved === undefined) throw new PyError('FileNotFoundError', `[Errno 2] No such file or directory: '${path}'`);
      return deepcopy(saved, new Map());
    }),
  };
}

function makeCopyModule(): PyModule {
  return new PyModule('copy', {
    deepcopy: new PyTypeless('deepcopy', (a, kw) => {
      const [x] = args('deepcopy', 'x, memo=None', a, kw);
      return deepcopy(x, new Map());
    }),
    copy: new PyTypeless('copy', (a, kw) => {
      const [x] = args('copy', 'x', a, kw);
      if (x instanceof PyList) return new PyList(x.items.slice());
      if (x instanceof PyDict) return (x instanceof PyOrderedDict ? PyOrderedDict : PyDict).fromEntries(x.entries());
      return x;
    }),
  });
}

/** torch.nn.init: in-place initialisers (they run under no_grad and report an in-place update). */
function makeInit(): PyModule {
  const wrap = (name: string, spec: string, run: (t: Tensor, v: PyValue[]) => void): [string, PyValue] => [
    name,
    new PyTypeless(name, (a, kw) => {
      const v = args(name, spec, a, kw);
      const t = tensorArg(v[0], name, 'tensor');
      run(t, v);
      announceInplace(t, name);
      return t;
    }),
  ];
  const mode = (v: PyValue): 'fan_in' | 'fan_out' => {
    if (v !== 'fan_in' && v !== 'fan_out') throw new PyError('ValueError', `Mode ${String(v)} not supported, please use one of fan_in, fan_out`);
    return v;
  };
  const nonlin = (v: PyValue): 'relu' | 'leaky_relu' => {
    if (v !== 'relu' && v !== 'leaky_relu') throw new PyError('ValueError', `Unsupported nonlinearity ${String(v)}`);
    return v;
  };
  return new PyModule('torch.nn.init', new Map<string, PyValue>([
    wrap('uniform_', 'tensor, a=0.0, b=1.0', (t, [, a, b]) => init.uniform_(t, num(a, 'uniform_', 'a'), num(b, 'uniform_', 'b'))),
    wrap('normal_', 'tensor, mean=0.0, std=1.0', (t, [, m, s]) => init.normal_(t, num(m, 'normal_', 'mean'), num(s, 'normal_', 'std'))),
    wrap('constant_', 'tensor, val', (t, [, v]) => init.constant_(t, num(v, 'constant_', 'val'))),
    wrap('zeros_', 'tensor', (t) => init.constant_(t, 0)),
    wrap('ones_', 'tensor', (t) => init.constant_(t, 1)),
    wrap('kaiming_uniform_', "tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'", (t, [, a, m, n]) => init.kaimingUniform_(t, num(a, 'kaiming_uniform_', 'a'), mode(m), nonlin(n))),
    wrap('kaiming_normal_', "tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'", (t, [, a, m, n]) => init.kaimingNormal_(t, num(a, 'kaiming_normal_', 'a'), mode(m), nonlin(n))),
    wrap('xavier_uniform_', 'tensor, gain=1.0', (t, [, g]) => init.xavierUniform_(t, num(g, 'xavier_uniform_', 'gain'))),
    wrap('xavier_normal_', 'tensor, gain=1.0', (t, [, g]) => init.xavierNormal_(t, num(g, 'xavier_normal_', 'gain'))),
  ]));
}

/** A plain function value (module-level functions of bindings). */
class PyTypeless extends PyCallable {
  constructor(
    readonly name: string,
    private readonly fn: (a: PyValue[], kw: Kwargs) => PyValue,
  ) {
    super();
  }
  override get typeName(): string {
    return 'function';
  }
  call(a: PyValue[], kw: Kwargs): PyValue {
    return this.fn(a, kw);
  }
}

// ---------------------------------------------------------------------------------------------- optim

/** The Python values of each group's hyper-parameters (0.01 stays a float, 0 an int, foreach None). */
const groupValues = new WeakMap<ParamGroup, Map<string, PyValue>>();

function groupView(g: ParamGroup): Map<string, PyValue> {
  let v = groupValues.get(g);
  if (!v) {
    v = new Map();
    for (const [k, x] of Object.entries(g.options)) {
      if (k === 'beta2') continue;
      if (k === 'beta1') v.set('betas', new PyTuple([pyNum(x as number, true), pyNum(g.options.beta2 as number, true)]));
      else v.set(k, typeof x === 'boolean' ? x : pyNum(x, k === 'lr'));
    }
    groupValues.set(g, v);
  }
  return v;
}

class ParamGroupRef {
  constructor(
    readonly opt: Optimizer,
    readonly group: ParamGroup,
  ) {}
  keys(): string[] {
    return ['params', ...Array.from(groupView(this.group).keys())];
  }
  get(key: PyValue): PyValue {
    if (key === 'params') return new PyList(this.group.params.slice());
    const v = typeof key === 'string' ? groupView(this.group).get(key) : undefined;
    if (v === undefined) throw new PyError('KeyError', typeof key === 'string' ? `'${key}'` : String(key));
    return v;
  }
  set(key: PyValue, value: PyValue): void {
    if (typeof key !== 'string') throw typeError('param group keys are str');
    if (key === 'params') {
      this.group.params = items(value, 'params').map((p) => tensorArg(p, 'param_groups', 'params'));
      return;
    }
    if (value !== null) Object.assign(this.group.options, optionsOf(this.opt.kind, [[key, value]]));
    groupView(this.group).set(key, value);
  }
}

const paramGroupType: HostType<ParamGroupRef> = {
  typeName: () => 'dict',
  getitem: (g, key) => g.get(key),
  setitem: (g, key, value) => g.set(key, value),
  contains: (g, key) => typeof key === 'string' && g.keys().includes(key),
  iter: (g) => g.keys(),
  len: (g) => g.keys().length,
  callMethod: (g, name, a) => {
    if (name === 'keys') return new PyList(g.keys());
    if (name === 'items') return new PyList(g.keys().map((k) => new PyTuple([k, g.get(k)])));
    if (name === 'values') return new PyList(g.keys().map((k) => g.get(k)));
    if (name === 'get') return g.keys().includes(a[0] as string) ? g.get(a[0]) : (a[1] ?? null);
    return NotImplemented;
  },
  repr: (g) => `{${g.keys().map((k) => `'${k}': ${k === 'params' ? `[${g.group.params.length} tensors]` : reprValue(g.get(k))}`).join(', ')}}`,
};

function reprValue(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof PyTuple || v instanceof PyList) {
    const inner = v.items.map(reprValue).join(', ');
    return v instanceof PyList ? `[${inner}]` : v.items.length === 1 ? `(${inner},)` : `(${inner})`;
  }
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

/** Python values of optimizer options as the engine's numbers and flags; `betas=(b1, b2)` becomes beta1, beta2. */
function optionsOf(kind: string, values: Iterable<[string, PyValue]>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of values) {
    if (k === 'params' || v === null) continue;
    if (k === 'betas') {
      const b = v instanceof PyTuple || v instanceof PyList ? v.items : [];
      if (b.length !== 2) throw typeError(`${kind}(): betas must be a pair of floats`);
      out.beta1 = num(b[0], kind, 'betas');
      out.beta2 = num(b[1], kind, 'betas');
    } else out[k] = typeof v === 'boolean' ? v : num(v, kind, k);
  }
  return out;
}

interface OptimizerBinding {
  kind: string;
  /** The constructor's Python signature; `lr=?` marks a required lr (SGD in 1.13). */
  spec: string;
  /** Keys of a group as PyTorch shows them that are not constructor arguments here (foreach: None ...). */
  extra: [string, PyValue][];
  build(params: Tensor[] | ParamGroupInput[], options: Record<string, number | boolean>): Optimizer;
}

const OPTIMIZERS: OptimizerBinding[] = [
  {
    kind: 'SGD',
    spec: 'params, lr=?, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False',
    extra: [['foreach', null], ['differentiable', false]],
    build: (params, o) => new SGD(params, {
      lr: o.lr as number | undefined, momentum: o.momentum as number, dampening: o.dampening as number, weightDecay: o.weight_decay as number,
      nesterov: o.nesterov as boolean, maximize: o.maximize as boolean,
    }),
  },
  {
    kind: 'RMSprop',
    spec: 'params, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False, foreach=None, maximize=False, differentiable=False',
    extra: [['foreach', null], ['differentiable', false]],
    build: (params, o) => new RMSprop(params, {
      lr: o.lr as number, alpha: o.alpha as number, eps: o.eps as number, weightDecay: o.weight_decay as number, momentum: o.momentum as number,
      centered: o.centered as boolean, maximize: o.maximize as boolean,
    }),
  },
  {
    kind: 'Adam',
    spec: 'params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=False',
    extra: [['foreach', null], ['capturable', false], ['differentiable', false], ['fused', false]],
    build: (params, o) => new Adam(params, {
      lr: o.lr as number, betas: [o.beta1 as number, o.beta2 as number], eps: o.eps as number, weightDecay: o.weight_decay as number,
      amsgrad: o.amsgrad as boolean, maximize: o.maximize as boolean,
    }),
  },
  {
    kind: 'AdamW',
    spec: 'params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False, *, maximize=False, foreach=None, capturable=False, differentiable=False, fused=None',
    extra: [['foreach', null], ['capturable', false], ['differentiable', false], ['fused', null]],
    build: (params, o) => new AdamW(params, {
      lr: o.lr as number, betas: [o.beta1 as number, o.beta2 as number], eps: o.eps as number, weightDecay: o.weight_decay as number,
      amsgrad: o.amsgrad as boolean, maximize: o.maximize as boolean,
    }),
  },
  {
    kind: 'Adagrad',
    spec: 'params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False, differentiable=False',
    extra: [['foreach', null], ['differentiable', false]],
    build: (params, o) => new Adagrad(params, {
      lr: o.lr as number, lrDecay: o.lr_decay as number, weightDecay: o.weight_decay as number,
      initialAccumulatorValue: o.initial_accumulator_value as number, eps: o.eps as number, maximize: o.maximize as boolean,
    }),
  },
];

/** Adam's betas default is a tuple, which the signature parser does not read: it is filled in here. */
const DEFAULT_BETAS = new PyTuple([new PyFloat(0.9), new PyFloat(0.999)]);

function optimizerClass(b: OptimizerBinding): PyType {
  const sig = signature(b.kind, b.spec.replace('betas=(0.9, 0.999)', 'betas=?'));
  sig.initOf = b.kind;
  return new PyType(b.kind, (v) => v instanceof Optimizer && v.kind === b.kind, (a, kw) => {
    const bound = bindArgs(sig, a, kw);
    const values = new Map<string, PyValue>();
    sig.params.forEach((name, i) => {
      const v = bound[i];
      if (name === 'betas') values.set(name, v === MISSING ? DEFAULT_BETAS : (v as PyValue));
      else if (v !== MISSING) values.set(name, v as PyValue);
    });
    const params = values.get('params')!;
    values.delete('params');
    if (params instanceof Tensor) {
      throw typeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${legacyType(params)}`);
    }
    const list = items(params, 'params');
    const dicts = list.some((x) => x instanceof PyDict);
    const groups: Tensor[] | ParamGroupInput[] = dicts
      ? list.map((g) => {
          if (!(g instanceof PyDict)) throw typeError('param groups must be dicts');
          const ps = g.get('params');
          const tensors = ps instanceof Tensor ? [ps] : items(ps ?? null, 'params').map((p) => tensorArg(p, b.kind, 'params'));
          return { params: tensors, ...optionsOf(b.kind, g.entries() as [string, PyValue][]) };
        })
      : list.map((p) => {
          if (!(p instanceof Tensor)) throw typeError(`optimizer can only optimize Tensors, but one of the params is ${pyTypeName(p)}`);
          return p;
        });
    const opt = b.build(groups, optionsOf(b.kind, values));
    // The Python values, so the repr and param_groups show 0.01 as a float, 0 as an int, betas as a tuple.
    opt.paramGroups.forEach((g, i) => {
      const view = new Map<string, PyValue>();
      const own = dicts ? (list[i] as PyDict) : null;
      for (const [k, v] of values) {
        const x = own?.has(k) ? own.get(k)! : v;
        if (x !== null || !(k in g.options)) view.set(k, x);
        else view.set(k, pyNum(g.options[k] as number, k === 'lr'));
      }
      if (!values.has('lr')) view.set('lr', pyNum(g.options.lr as number, true));
      for (const [k, v] of b.extra) if (!view.has(k)) view.set(k, v);
      groupValues.set(g, view);
    });
    return opt;
  });
}

const legacyType = (t: Tensor): string => legacyTypeName(t.dtype);

function optimizerRepr(o: Optimizer): string {
  let s = `${o.kind} (`;
  o.paramGroups.forEach((g, i) => {
    s += `\nParameter Group ${i}\n`;
    const v = groupView(g);
    for (const k of Array.from(v.keys()).sort()) s += `    ${k}: ${reprValue(v.get(k)!)}\n`;
  });
  return s + ')';
}

export const optimizerHostType: HostType<Optimizer> = {
  typeName: (o) => o.kind,
  getattr: (o, name) => {
    if (name === 'param_groups') return new PyList(o.paramGroups.map((g) => new ParamGroupRef(o, g)));
    if (name === 'state') {
      const d = new PyDict();
      for (const [p, st] of o.state) d.set(p, PyDict.fromEntries(st));
      return d;
    }
    if (name === 'defaults') return PyDict.fromEntries(Object.entries(o.defaults).map(([k, v]) => [k, typeof v === 'boolean' ? v : pyNum(v, k === 'lr')]));
    if (['step', 'zero_grad', 'add_param_group'].includes(name)) {
      return new PyBoundMethod(o, name, (self, a, kw) => optimizerHostType.callMethod!(self as Optimizer, name, a, kw) as PyValue);
    }
    return undefined;
  },
  callMethod: (o, name, a, kw) => {
    switch (name) {
      case 'step': {
        const [closure] = args('step', 'closure=None', a, kw);
        if (closure !== null && !(closure instanceof PyCallable)) throw typeError(`'${pyTypeName(closure)}' object is not callable`);
        return (o.step(closure ? () => closure.call([], null) : undefined) ?? null) as PyValue;
      }
      case 'zero_grad': {
        const [setToNone] = args('zero_grad', 'set_to_none=False', a, kw);
        o.zeroGrad(bool(setToNone));
        return null;
      }
      case 'add_param_group': {
        const [g] = args('add_param_group', 'param_group', a, kw);
        if (!(g instanceof PyDict)) throw typeError('param group must be a dict');
        const ps = g.get('params');
        const tensors = ps instanceof Tensor ? [ps] : items(ps ?? null, 'params').map((p) => tensorArg(p, 'add_param_group', 'params'));
        o.addParamGroup({ params: tensors, ...optionsOf(o.kind, g.entries() as [string, PyValue][]) });
        return null;
      }
    }
    return NotImplemented;
  },
  repr: optimizerRepr,
  str: optimizerRepr,
  // dir(optimizer)'s public names, for CPython's "Did you mean" (opt.zero_grads()).
  dir: () => ['add_param_group', 'defaults', 'load_state_dict', 'param_groups', 'state', 'state_dict', 'step', 'zero_grad'],
};

// ---------------------------------------------------------------------------------------------- torchvision, safetensors

function makeTorchvision(openFile: NnBindingsOptions['openFile']): PyModule {
  const build = (name: string, make: typeof resnet18) =>
    new PyTypeless(name, (a, kw) => {
      const [weights, , pretrained, numClasses, zeroInit] = args(name, 'weights=None, progress=True, *, pretrained=False, num_classes=1000, zero_init_residual=False', a, kw);
      if (bool(pretrained)) make({ pretrained: true });
      let file: Uint8Array | undefined;
      if (weights !== null) {
        if (typeof weights === 'string' && /\.safetensors$/.test(weights)) file = openFile?.(weights);
        if (!file) make({ weights: typeof weights === 'string' ? weights : 'DEFAULT' });
      }
      const model = make({ numClasses: int(numClasses, name, 'num_classes'), zeroInitResidual: bool(zeroInit) });
      if (file) model.loadStateDict(loadFile(file));
      return model;
    });
  const weightsEnum = (name: string) =>
    new PyModule(name, { IMAGENET1K_V1: `${name}.IMAGENET1K_V1`, DEFAULT: `${name}.IMAGENET1K_V1` });
  const models = new PyModule('torchvision.models', {
    resnet18: build('resnet18', resnet18),
    resnet34: build('resnet34', resnet34),
    ResNet: new PyType('ResNet', (v) => v instanceof ResNet, () => {
      throw typeError('ResNet(): build it with torchvision.models.resnet18()');
    }),
    BasicBlock: new PyType('BasicBlock', (v) => v instanceof BasicBlock, (a, kw) => {
      const [inplanes, planes, stride, downsample] = args('BasicBlock', 'inplanes, planes, stride=1, downsample=None', a, kw);
      if (downsample !== null && !(downsample instanceof Module)) throw typeError('downsample must be a Module or None');
      return new BasicBlock(int(inplanes, 'BasicBlock', 'inplanes'), int(planes, 'BasicBlock', 'planes'), int(stride, 'BasicBlock', 'stride'), downsample);
    }),
    ResNet18_Weights: weightsEnum('ResNet18_Weights'),
    ResNet34_Weights: weightsEnum('ResNet34_Weights'),
  });
  return models;
}

function makeSafetensorsTorch(o: NnBindingsOptions): PyModule {
  return new PyModule('safetensors.torch', {
    load_file: new PyTypeless('load_file', (a, kw) => {
      const [filename] = args('load_file', "filename, device='cpu'", a, kw);
      const name = str(filename, 'load_file', 'filename');
      const bytes = o.openFile?.(name);
      if (!bytes) throw new PyError('FileNotFoundError', `No such file or directory: '${name}'`);
      return PyDict.fromEntries(loadFile(bytes));
    }),
    load: new PyTypeless('load', () => {
      throw typeError('safetensors.torch.load(bytes): bytes objects are not supported here; use load_file')
    }),
    save_file: new PyTypeless('save_file', (a, kw) => {
      const [tensors, filename, metadata] = args('save_file', 'tensors, filename, metadata=None', a, kw);
      const name = str(filename, 'save_file', 'filename');
      const map = stringMap(tensors, 'save_file');
      for (const [k, t] of map) if (!(t instanceof Tensor)) throw typeError(`save_file: '${k}' is not a Tensor`);
      const meta = metadata instanceof PyDict ? Object.fromEntries(metadata.entries().map(([k, v]) => [String(k), String(v)])) : undefined;
      if (!o.writeFile) throw new PyError('PermissionError', `cannot write '${name}': this playground has no writable files`);
      o.writeFile(name, saveFile(map as Map<string, Tensor>, { metadata: meta }));
      return null;
    }),
  });
}

// ---------------------------------------------------------------------------------------------- lr_scheduler

/**
 * torch.optim.lr_scheduler as PyTorch 1.13 steps it: the constructor records initial_lr and takes step 0 (no change);
 * each step() moves last_epoch on and sets every group's lr by the scheduler's chainable rule (LambdaLR: base_lr *
 * lambda(epoch)), in Python floats.
 */
class LRScheduler {
  lastEpoch = 0;
  readonly baseLrs: number[];
  constructor(
    readonly kind: string,
    readonly opt: Optimizer,
    readonly rule: (epoch: number, lr: number, base: number, i: number) => number,
  ) {
    this.baseLrs = opt.paramGroups.map((g) => {
      const ref = new ParamGroupRef(opt, g);
      if (!('initial_lr' in g.options)) ref.set('initial_lr', new PyFloat(+g.options.lr));
      return +g.options.initial_lr;
    });
  }
  step(): void {
    this.lastEpoch++;
    const lrs = this.opt.paramGroups.map((g, i) => this.rule(this.lastEpoch, +g.options.lr, this.baseLrs[i], i));
    this.opt.paramGroups.forEach((g, i) => new ParamGroupRef(this.opt, g).set('lr', new PyFloat(lrs[i])));
  }
  lastLrs(): PyValue {
    return new PyList(this.opt.paramGroups.map((g) => new PyFloat(+g.options.lr)));
  }
}

const schedulerType: HostType<LRScheduler> = {
  typeName: (s) => s.kind,
  getattr: (s, name) => {
    if (name === 'last_epoch') return s.lastEpoch;
    if (name === 'base_lrs') return new PyList(s.baseLrs.map((v) => new PyFloat(v)));
    if (name === 'optimizer') return s.opt as unknown as PyValue;
    if (name === 'step' || name === 'get_last_lr') return new PyBoundMethod(s, name, (self, a, kw) => schedulerType.callMethod!(self as LRScheduler, name, a, kw) as PyValue);
    return undefined;
  },
  callMethod: (s, name, a, kw) => {
    if (name === 'step') {
      args('step', 'epoch=None', a, kw);
      s.step();
      return null;
    }
    if (name === 'get_last_lr') {
      args('get_last_lr', '', a, kw);
      return s.lastLrs();
    }
    return NotImplemented;
  },
  repr: (s) => `<torch.optim.lr_scheduler.${s.kind} object>`,
};

function makeLrScheduler(): PyModule {
  const opt = (v: PyValue, fn: string): Optimizer => {
    if (!(v instanceof Optimizer)) throw typeError(`${pyTypeName(v)} is not an Optimizer`);
    return v;
  };
  const call = (f: PyValue, epoch: number, fn: string): number => {
    if (!(f instanceof PyCallable)) throw typeError(`${fn}: lr_lambda must be callable`);
    return num(f.call([epoch], null), fn, 'lr_lambda');
  };
  const lambdas = (v: PyValue, n: number): readonly PyValue[] => (v instanceof PyList || v instanceof PyTuple ? v.items : new Array<PyValue>(n).fill(v));
  const kind = (name: string, spec: string, build: (v: PyValue[]) => LRScheduler): PyType =>
    new PyType(name, (x) => x instanceof LRScheduler && x.kind === name, (a, kw) => build(args(name, spec, a, kw)));
  return new PyModule('torch.optim.lr_scheduler', {
    StepLR: kind('StepLR', 'optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False', ([o, ss, g]) => {
      const size = int(ss, 'StepLR', 'step_size');
      const gamma = num(g, 'StepLR', 'gamma');
      return new LRScheduler('StepLR', opt(o, 'StepLR'), (e, lr) => (e === 0 || e % size !== 0 ? lr : lr * gamma));
    }),
    MultiStepLR: kind('MultiStepLR', 'optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False', ([o, ms, g]) => {
      const milestones = items(ms, 'milestones').map((m) => int(m, 'MultiStepLR', 'milestones'));
      const gamma = num(g, 'MultiStepLR', 'gamma');
      return new LRScheduler('MultiStepLR', opt(o, 'MultiStepLR'), (e, lr) => {
        const hits = milestones.filter((m) => m === e).length;
        return hits ? lr * gamma ** hits : lr;
      });
    }),
    ExponentialLR: kind('ExponentialLR', 'optimizer, gamma, last_epoch=-1, verbose=False', ([o, g]) => {
      const gamma = num(g, 'ExponentialLR', 'gamma');
      return new LRScheduler('ExponentialLR', opt(o, 'ExponentialLR'), (e, lr) => (e === 0 ? lr : lr * gamma));
    }),
    CosineAnnealingLR: kind('CosineAnnealingLR', 'optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False', ([o, tm, em]) => {
      const T = int(tm, 'CosineAnnealingLR', 'T_max');
      const etaMin = num(em, 'CosineAnnealingLR', 'eta_min');
      return new LRScheduler('CosineAnnealingLR', opt(o, 'CosineAnnealingLR'), (e, lr, base) => {
        if (e === 0) return lr;
        if ((e - 1 - T) % (2 * T) === 0) return lr + ((base - etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
        return ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin;
      });
    }),
    LambdaLR: kind('LambdaLR', 'optimizer, lr_lambda, last_epoch=-1, verbose=False', ([o, f]) => {
      const op = opt(o, 'LambdaLR');
      const fs = lambdas(f, op.paramGroups.length);
      return new LRScheduler('LambdaLR', op, (e, _lr, base, i) => base * call(fs[i], e, 'LambdaLR'));
    }),
    MultiplicativeLR: kind('MultiplicativeLR', 'optimizer, lr_lambda, last_epoch=-1, verbose=False', ([o, f]) => {
      const op = opt(o, 'MultiplicativeLR');
      const fs = lambdas(f, op.paramGroups.length);
      return new LRScheduler('MultiplicativeLR', op, (e, lr, _b, i) => (e > 0 ? lr * call(fs[i], e, 'MultiplicativeLR') : lr));
    }),
  });
}

// ---------------------------------------------------------------------------------------------- registration

export function nnBindings(options: NnBindingsOptions = {}): NnBindings {
  const nn = new PyModule('torch.nn', makeNn());
  const optim = new PyModule('torch.optim', {
    ...Object.fromEntries(OPTIMIZERS.map((b) => [b.kind, optimizerClass(b)])),
    Optimizer: new PyType('Optimizer', (v) => v instanceof Optimizer, () => {
      throw typeError('Optimizer is an abstract base class: use torch.optim.SGD, RMSprop or Adam');
    }),
    lr_scheduler: makeLrScheduler(),
  });
  const models = makeTorchvision(options.openFile);
  const torchvision = new PyModule('torchvision', { models });
  const safetensorsTorch = makeSafetensorsTorch(options);
  const safetensors = new PyModule('safetensors', { torch: safetensorsTorch });
  const modules = new Map<string, PyValue>([
    ['torch.nn', nn],
    ['torch.nn.init', nn.attrs.get('init')!],
    ['torch.nn.utils', nn.attrs.get('utils')!],
    ['torch.optim', optim],
    ['torch.optim.lr_scheduler', optim.attrs.get('lr_scheduler')!],
    ['torchvision', torchvision],
    ['torchvision.models', models],
    ['safetensors', safetensors],
    ['copy', makeCopyModule()],
    ['safetensors.torch', safetensorsTorch],
  ]);
  const hostTypes: [abstract new (...args: any[]) => unknown, HostType][] = [
    [Module, moduleHostType],
    [Optimizer, optimizerHostType],
    [ParamGroupRef, paramGroupType],
    [LRScheduler, schedulerType],
    [IncompatibleKeysValue, incompatibleKeysType],
  ];
  const install = (table: Map<string, PyValue>): void => {
    for (const [k, v] of modules) table.set(k, v);
    const functional = table.get('torch.nn.functional');
    if (functional !== undefined) nn.attrs.set('functional', functional);
    const torch = table.get('torch');
    if (torch instanceof PyModule) {
      torch.attrs.set('nn', nn);
      torch.attrs.set('optim', optim);
      const { save, load } = makeSaveLoad();
      torch.attrs.set('save', save);
      torch.attrs.set('load', load);
    }
  };
  return { modules, hostTypes, install };
}

