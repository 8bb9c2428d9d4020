// torch.nn modules, loss objects, torch.optim optimizers and torchvision.models as host objects.
//
// Note: a module's Python attributes come from explicit tables: its parameters, buffers and children
// (Module.getAttr), the methods below, per-layer settings (LAYER_ATTRS), and plain values the program
// stored on it (kept in a side table, never on the JS object).
import { Tensor } from '../../tensor';
import { runtimeError } from '../../context';
import { Module, isParameter, asParameter, zeroGrads } from '../../nn/module';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d, ReLU, Sequential } from '../../nn/layers';
import { Optimizer, SGD, type ParamGroupInput } from '../../optim/sgd';
import { resnet18, resnet34 } from '../../models/resnet';
import * as E from '../../index';
import { PyError } from '../errors';
import { floatRepr } from '../format';
import { bindArgs, signature, MISSING, type Signature } from '../args';
import {
  ArrayIterator,
  NotImplemented,
  PyBuiltin,
  PyDict,
  PyFloat,
  PyList,
  PySlice,
  PyTuple,
  PyType,
  type HostType,
  type Kwargs,
  type PyValue,
} from '../values';
import { boolArg, def, intArg, intsArg, numArg, pyTypeName, strArg, tensorArg, typeError, type Arg } from './common';
import { sliceIndices, type Runtime } from '../runtime';

const num = (v: number): PyValue => (Number.isInteger(v) ? v : new PyFloat(v));
const tuple2 = (v: readonly number[]): PyValue => new PyTuple(v.slice());
const intOrTuple = (v: number | readonly number[]): PyValue => (typeof v === 'number' ? v : tuple2(v));

/** Per-layer settings readable from Python (model.fc.in_features ...). */
const LAYER_ATTRS: Record<string, Record<string, (m: any) => PyValue>> = {
  Linear: { in_features: (m: Linear) => m.inFeatures, out_features: (m: Linear) => m.outFeatures },
  Conv2d: {
    in_channels: (m: Conv2d) => m.inChannels,
    out_channels: (m: Conv2d) => m.outChannels,
    kernel_size: (m: Conv2d) => tuple2(m.kernelSize),
    stride: (m: Conv2d) => tuple2(m.stride),
    padding: (m: Conv2d) => ((m as unknown as { paddingText: string | null }).paddingText ?? tuple2(m.padding)),
    dilation: (m: Conv2d) => tuple2(m.dilation),
    groups: (m: Conv2d) => m.groups,
  },
  BatchNorm2d: {
    num_features: (m: BatchNorm2d) => m.numFeatures,
    eps: (m: BatchNorm2d) => new PyFloat(m.eps),
    momentum: (m: BatchNorm2d) => (m.momentum === null ? null : new PyFloat(m.momentum)),
    affine: (m: BatchNorm2d) => m.affine,
    track_running_stats: (m: BatchNorm2d) => m.trackRunningStats,
  },
  ReLU: { inplace: (m: ReLU) => m.inplace },
  MaxPool2d: {
    kernel_size: (m: MaxPool2d) => intOrTuple(m.kernelSize),
    stride: (m: MaxPool2d) => intOrTuple(m.stride),
    padding: (m: MaxPool2d) => intOrTuple(m.padding),
  },
  AdaptiveAvgPool2d: {
    output_size: (m: AdaptiveAvgPool2d) => (typeof m.outputSize === 'number' ? m.outputSize : new PyTuple(m.outputSize.slice())),
  },
  Flatten: { start_dim: (m: Flatten) => m.startDim, end_dim: (m: Flatten) => m.endDim },
  Dropout: { p: (m: Dropout) => new PyFloat(m.p), inplace: (m: Dropout) => m.inplace },
};

/** Plain attributes the program set on a module (model.name = 'x'). */
const extras = new WeakMap<Module, Map<string, PyValue>>();

function iter(items: PyValue[], name: string): PyValue {
  return new ArrayIterator(items, name);
}

type ModuleMethod = (m: Module, a: Arg[]) => PyValue;
const MODULE_METHODS = new Map<string, { sig: Signature; body: ModuleMethod }>();
function mm(name: string, spec: string, body: ModuleMethod): void {
  MODULE_METHODS.set(name, { sig: signature(name, spec), body });
}

mm('parameters', 'recurse=True', (m, [r]) => iter(m.parameters(r !== false), 'generator'));
mm('named_parameters', "prefix='', recurse=True", (m, [p, r]) =>
  iter(m.namedParameters(strArg('named_parameters', 'prefix', p), r !== false).map(([k, v]) => new PyTuple([k, v])), 'generator'),
);
mm('buffers', 'recurse=True', (m, [r]) => iter(m.buffers(r !== false), 'generator'));
mm('named_buffers', "prefix='', recurse=True", (m, [p, r]) =>
  iter(m.namedBuffers(strArg('named_buffers', 'prefix', p), r !== false).map(([k, v]) => new PyTuple([k, v])), 'generator'),
);
mm('children', '', (m) => iter(m.children(), 'generator'));
mm('named_children', '', (m) => iter(m.namedChildren().map(([k, v]) => new PyTuple([k, v])), 'generator'));
mm('modules', '', (m) => iter(m.modules(), 'generator'));
mm('named_modules', '', (m) => iter(Array.from(m.namedModules(), ([k, v]) => new PyTuple([k, v])), 'generator'));
mm('train', 'mode=True', (m, [mode]) => m.train(boolArg('train', 'mode', mode)));
mm('eval', '', (m) => m.eval());
mm('requires_grad_', 'requires_grad=True', (m, [r]) => m.requiresGrad_(boolArg('requires_grad_', 'requires_grad', r)));
mm('zero_grad', 'set_to_none=False', (m, [s]) => (m.zeroGrad(boolArg('zero_grad', 'set_to_none', s)), null));
mm('state_dict', "destination=None, prefix='', keep_vars=False", (m, [, p, k]) => {
  const sd = m.stateDict(strArg('state_dict', 'prefix', p), boolArg('state_dict', 'keep_vars', k));
  return PyDict.fromEntries(sd.entries());
});
mm('load_state_dict', 'state_dict, strict=True', (m, [sd, strict]) => {
  if (!(sd instanceof PyDict)) throw typeError(`Expected state_dict to be dict-like, got ${pyTypeName(sd as PyValue)}.`);
  const map = new Map<string, unknown>();
  for (const [k, v] of sd.entries()) {
    if (typeof k !== 'string') throw typeError('state_dict keys must be strings');
    map.set(k, v);
  }
  const r = m.loadStateDict(map, boolArg('load_state_dict', 'strict', strict));
  return new IncompatibleKeys(r.missingKeys, r.unexpectedKeys);
});
mm('forward', '*args', (m, [args]) => m.forward(...(args as PyTuple).items) as PyValue);
mm('to', '*args, **kwargs', (m) => m);
mm('cpu', '', (m) => m);
mm('float', '', (m) => m);
mm('extra_repr', '', (m) => m.extraRepr());
mm('add_module', 'name, module', (m, [n, c]) => (m.addModule(strArg('add_module', 'name', n), c as Module), null));
mm('register_buffer', 'name, tensor, persistent=True', (m, [n, t, p]) => (m.registerBuffer(strArg('register_buffer', 'name', n), t as Tensor | null, p !== false), null));
mm('append', 'module', (m, [c]) => {
  if (!(m instanceof Sequential)) throw new PyError('AttributeError', `'${m.kind}' object has no attribute 'append'`);
  if (!(c instanceof Module)) throw typeError(`${pyTypeName(c as PyValue)} is not a Module subclass`);
  return m.append(c);
});

/** load_state_dict's result: prints <All keys matched successfully> when nothing is missing. */
export class IncompatibleKeys extends PyTuple {
  constructor(
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
  ) {
    super([new PyList(missingKeys.slice()), new PyList(unexpectedKeys.slice())]);
  }
  override get typeName(): string {
    return '_IncompatibleKeys';
  }
  override customRepr(): string | undefined {
    if (!this.missingKeys.length && !this.unexpectedKeys.length) return '<All keys matched successfully>';
    const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
    return `_IncompatibleKeys(missing_keys=${list(this.missingKeys)}, unexpected_keys=${list(this.unexpectedKeys)})`;
  }
}

function moduleGetattr(m: Module, name: string): PyValue | undefined {
  const own = m.getAttr(name);
  if (own !== undefined) return own;
  const extra = extras.get(m)?.get(name);
  if (extra !== undefined) return extra;
  if (name === 'training') return m.training;
  const layer = LAYER_ATTRS[m.kind]?.[name];
  if (layer) return layer(m);
  const meth = MODULE_METHODS.get(name);
  if (meth) return new PyBuiltin(name, (args, kwargs) => meth.body(m, bindArgs(meth.sig, args, kwargs)));
  return undefined;
}

function moduleSetattr(m: Module, name: string, value: PyValue): boolean {
  if (name === 'training') {
    m.training = boolArg('training', 'training', value);
    return true;
  }
  if (m.setAttr(name, value)) return true;
  if (value instanceof Tensor && !isParameter(value) && m._parameters.has(name)) return false;
  if (LAYER_ATTRS[m.kind]?.[name] || MODULE_METHODS.has(name)) {
    throw new PyError('AttributeError', `setting '${name}' of a ${m.kind} is not supported in this playground`);
  }
  let table = extras.get(m);
  if (!table) extras.set(m, (table = new Map()));
  table.set(name, value);
  return true;
}

export function makeModuleType(rt: () => Runtime): HostType<Module> {
  return {
    typeName: (m) => m.kind,
    getattr: moduleGetattr,
    setattr: moduleSetattr,
    callMethod(m, name, args, kwargs) {
      if (m.getAttr(name) !== undefined || extras.get(m)?.has(name)) return NotImplemented;
      const meth = MODULE_METHODS.get(name);
      return meth ? meth.body(m, bindArgs(meth.sig, args, kwargs)) : NotImplemented;
    },
    call(m, args, kwargs) {
      if (kwargs && kwargs.size) throw typeError(`forward() got an unexpected keyword argument '${kwargs.keys().next().value}'`);
      return m.call(...args) as PyValue;
    },
    getitem(m, index) {
      if (!(m instanceof Sequential)) throw typeError(`'${m.kind}' object is not subscriptable`);
      if (index instanceof PySlice) {
        const [start, , step, n] = sliceIndices(rt(), index, m.length);
        return m.slice(Array.from({ length: n }, (_, k) => start + k * step));
      }
      return m.at(intArg('__getitem__', 'idx', index));
    },
    setitem(m, index, value) {
      if (!(m instanceof Sequential)) throw typeError(`'${m.kind}' object does not support item assignment`);
      if (!(value instanceof Module)) throw typeError(`${pyTypeName(value)} is not a Module subclass`);
      m.setAt(intArg('__setitem__', 'idx', index), value);
    },
    iter(m) {
      if (!(m instanceof Sequential)) throw typeError(`'${m.kind}' object is not iterable`);
      return Array.from(m) as PyValue[];
    },
    len(m) {
      if (!(m instanceof Sequential)) throw typeError(`object of type '${m.kind}' has no len()`);
      return m.length;
    },
    repr: (m) => m.repr(),
    dir: (m) => [...m._parameters.keys(), ...m._buffers.keys(), ...m._modules.keys(), ...MODULE_METHODS.keys()],
  };
}

// ---- losses as objects: nn.MSELoss(), nn.CrossEntropyLoss() -------------------------------------

type Reduction = 'mean' | 'sum' | 'none';

export class LossFn {
  constructor(
    readonly kind: string,
    readonly reduction: Reduction,
    readonly f: (input: Tensor, target: Tensor, reduction: Reduction) => Tensor,
  ) {}
}

export const LossType: HostType<LossFn> = {
  typeName: (l) => l.kind,
  call(l, args, kwargs) {
    const [input, target] = bindArgs(signature('forward', 'input, target'), args, kwargs);
    return l.f(tensorArg(l.kind, 'input', input), tensorArg(l.kind, 'target', target), l.reduction);
  },
  getattr: (l, name) => (name === 'reduction' ? l.reduction : undefined),
  repr: (l) => `${l.kind}()`,
};

export function reductionArg(fn: string, v: Arg): Reduction {
  const r = strArg(fn, 'reduction', v);
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new PyError('ValueError', `${r} is not a valid value for reduction`);
  return r;
}

// ---- optimizers ----------------------------------------------------------------------------------

function tensorsOf(v: PyValue, rt: Runtime): Tensor[] | PyValue[] {
  return rt.toArray(v) as Tensor[];
}

export function makeOptimizerType(): HostType<Optimizer> {
  const stepSig = signature('step', 'closure=None');
  const zeroSig = signature('zero_grad', 'set_to_none=False');
  return {
    typeName: (o) => o.kind,
    getattr(o, name) {
      switch (name) {
        case 'step':
          return new PyBuiltin('step', (a, k) => {
            const [closure] = bindArgs(stepSig, a, k);
            if (closure !== null) throw runtimeError('optimizer.step(closure) is not supported in this playground');
            o.step();
            return null;
          });
        case 'zero_grad':
          return new PyBuiltin('zero_grad', (a, k) => {
            const [s] = bindArgs(zeroSig, a, k);
            o.zeroGrad(s === true);
            return null;
          });
        case 'param_groups':
          return new PyList(
            o.paramGroups.map((g) => {
              const d = new PyDict();
              d.set('params', new PyList(g.params.slice()));
              for (const [k, v] of Object.entries(g.options)) d.set(k, typeof v === 'boolean' ? v : num(v));
              return d;
            }),
          );
        case 'defaults': {
          const d = new PyDict();
          for (const [k, v] of Object.entries(o.defaults)) d.set(k, typeof v === 'boolean' ? v : num(v));
          return d;
        }
      }
      return undefined;
    },
    repr(o) {
      const lines = [`${o.kind} (`];
      o.paramGroups.forEach((g, i) => {
        lines.push(`Parameter Group ${i}`);
        for (const k of Object.keys(g.options).sort()) {
          const v = g.options[k];
          lines.push(`    ${k}: ${typeof v === 'boolean' ? (v ? 'True' : 'False') : Number.isInteger(v) && k !== 'lr' ? String(v) : floatRepr(v)}`);
        }
      });
      return lines.join('\n') + '\n)';
    },
  };
}

// ---- builders ------------------------------------------------------------------------------------

const reductionOf = (fn: string, size: Arg, reduce: Arg, reduction: Arg): Reduction => {
  if ((size !== null && size !== MISSING) || (reduce !== null && reduce !== MISSING)) {
    throw runtimeError(`${fn}: size_average and reduce are deprecated; use reduction='mean' | 'sum' | 'none'`);
  }
  return reductionArg(fn, reduction);
};

function sgdParams(rt: Runtime, params: PyValue): Iterable<Tensor> | Iterable<ParamGroupInput> {
  if (params instanceof Tensor) return params as unknown as Iterable<Tensor>;
  const items = rt.toArray(params);
  if (items.length && items[0] instanceof PyDict) {
    return items.map((g) => {
      const d = g as PyDict;
      const out: ParamGroupInput = { params: [] };
      for (const [k, v] of d.entries()) {
        if (k === 'params') out.params = rt.toArray(v) as Tensor[];
        else if (typeof k === 'string') out[k] = typeof v === 'boolean' ? v : numArg('SGD', k, v);
      }
      return out;
    });
  }
  return items as Tensor[];
}

export function makeNnModule(rt: () => Runtime) {
  const P = (name: string, check: (v: PyValue) => boolean, construct: (a: PyValue[], k: Kwargs) => PyValue): PyType =>
    new PyType(name, check, construct);
  const layer = <M extends Module>(name: string, cls: abstract new (...a: any[]) => M, spec: string, build: (a: Arg[]) => M): PyType => {
    const sig = signature(name, spec);
    return P(name, (v) => v instanceof cls, (a, k) => build(bindArgs(sig, a, k)));
  };
  const attrs: Record<string, PyValue> = {
    Module: P('Module', (v) => v instanceof Module, () => {
      throw runtimeError('subclassing nn.Module (class definitions) is not supported in this playground');
    }),
    Parameter: P('Parameter', (v) => isParameter(v), (a, k) => {
      const [data, rg] = bindArgs(signature('Parameter', 'data=None, requires_grad=True'), a, k);
      return asParameter(tensorArg('Parameter', 'data', data), boolArg('Parameter', 'requires_grad', rg));
    }),
    Linear: layer('Linear', Linear, 'in_features, out_features, bias=True, device=None, dtype=None', ([i, o, b]) =>
      new Linear(intArg('Linear', 'in_features', i), intArg('Linear', 'out_features', o), boolArg('Linear', 'bias', b)),
    ),
    Conv2d: layer('Conv2d', Conv2d, "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None", ([i, o, ks, s, p, d, g, b]) =>
      new Conv2d(intArg('Conv2d', 'in_channels', i), intArg('Conv2d', 'out_channels', o), intsArg('Conv2d', 'kernel_size', ks), {
        stride: intsArg('Conv2d', 'stride', s),
        padding: typeof p === 'string' ? (p as 'same' | 'valid') : intsArg('Conv2d', 'padding', p),
        dilation: intsArg('Conv2d', 'dilation', d),
        groups: intArg('Conv2d', 'groups', g),
        bias: boolArg('Conv2d', 'bias', b),
      }),
    ),
    BatchNorm2d: layer('BatchNorm2d', BatchNorm2d, 'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None', ([n, eps, mom, aff, track]) =>
      new BatchNorm2d(intArg('BatchNorm2d', 'num_features', n), {
        eps: numArg('BatchNorm2d', 'eps', eps),
        momentum: mom === null ? null : numArg('BatchNorm2d', 'momentum', mom),
        affine: boolArg('BatchNorm2d', 'affine', aff),
        trackRunningStats: boolArg('BatchNorm2d', 'track_running_stats', track),
      }),
    ),
    ReLU: layer('ReLU', ReLU, 'inplace=False', ([ip]) => new ReLU(boolArg('ReLU', 'inplace', ip))),
    MaxPool2d: layer('MaxPool2d', MaxPool2d, 'kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False', ([k, s, p, d, ri, c]) => {
      if (ri === true) throw runtimeError('MaxPool2d(return_indices=True) is not supported in this playground');
      return new MaxPool2d(intsArg('MaxPool2d', 'kernel_size', k), s === null ? null : intsArg('MaxPool2d', 'stride', s), intsArg('MaxPool2d', 'padding', p), intsArg('MaxPool2d', 'dilation', d), boolArg('MaxPool2d', 'ceil_mode', c));
    }),
    AdaptiveAvgPool2d: layer('AdaptiveAvgPool2d', AdaptiveAvgPool2d, 'output_size', ([o]) =>
      new AdaptiveAvgPool2d(o instanceof PyTuple || o instanceof PyList ? o.items.map((x) => (x === null ? null : intArg('AdaptiveAvgPool2d', 'output_size', x))) : intArg('AdaptiveAvgPool2d', 'output_size', o)),
    ),
    Flatten: layer('Flatten', Flatten, 'start_dim=1, end_dim=-1', ([s, e]) => new Flatten(intArg('Flatten', 'start_dim', s), intArg('Flatten', 'end_dim', e))),
    Dropout: layer('Dropout', Dropout, 'p=0.5, inplace=False', ([p, ip]) => new Dropout(numArg('Dropout', 'p', p), boolArg('Dropout', 'inplace', ip))),
    Identity: layer('Identity', Identity, '*args, **kwargs', () => new Identity()),
    Sequential: P('Sequential', (v) => v instanceof Sequential, (a, k) => {
      if (k && k.size) throw typeError(`Sequential() got an unexpected keyword argument '${k.keys().next().value}'`);
      if (a.length === 1 && a[0] instanceof PyDict) {
        return new Sequential(new Map(a[0].entries().map(([n, m]) => [String(n), m as Module])));
      }
      for (const m of a) if (!(m instanceof Module)) throw typeError(`${pyTypeName(m)} is not a Module subclass`);
      return new Sequential(a as Module[]);
    }),
    MSELoss: lossClass('MSELoss', (i, t, r) => E.mseLoss(i, t, r)),
    CrossEntropyLoss: lossClass('CrossEntropyLoss', (i, t, r) => E.crossEntropy(i, t, r)),
    NLLLoss: lossClass('NLLLoss', (i, t, r) => E.nllLoss(i, t, r)),
  };
  return attrs;

  function lossClass(name: string, f: LossFn['f']): PyType {
    const sig = signature(name, "weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0");
    const mseSig = signature(name, "size_average=None, reduce=None, reduction='mean'");
    return P(name, (v) => v instanceof LossFn && v.kind === name, (a, k) => {
      if (name === 'MSELoss') {
        const [s, r, red] = bindArgs(mseSig, a, k);
        return new LossFn(name, reductionOf(name, s, r, red), f);
      }
      const [w, s, , r, red, ls] = bindArgs(sig, a, k);
      if (w !== null) throw runtimeError(`${name}(weight=...) is not supported in this playground`);
      if (ls !== MISSING && numArg(name, 'label_smoothing', ls) !== 0) throw runtimeError(`${name}(label_smoothing=...) is not supported in this playground`);
      return new LossFn(name, reductionOf(name, s, r, red), f);
    });
  }
}

export function makeOptimModule(rt: () => Runtime): Record<string, PyValue> {
  const sgdSig = signature('SGD', 'params, lr=?, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False');
  return {
    SGD: new PyType('SGD', (v) => v instanceof SGD, (a, k) => {
      const [params, lr, mom, damp, wd, nest, max] = bindArgs(sgdSig, a, k);
      return new SGD(sgdParams(rt(), params as PyValue), {
        lr: lr === MISSING ? undefined : numArg('SGD', 'lr', lr),
        momentum: numArg('SGD', 'momentum', mom),
        dampening: numArg('SGD', 'dampening', damp),
        weightDecay: numArg('SGD', 'weight_decay', wd),
        nesterov: boolArg('SGD', 'nesterov', nest),
        maximize: boolArg('SGD', 'maximize', max),
      });
    }),
    Optimizer: new PyType('Optimizer', (v) => v instanceof Optimizer, () => {
      throw runtimeError('torch.optim.Optimizer is abstract; use torch.optim.SGD');
    }),
  };
}

export function makeTorchvisionModels(): Record<string, PyValue> {
  const spec = 'pretrained=False, progress=True, *, weights=None, num_classes=1000, zero_init_residual=False';
  const build = (name: string, f: typeof resnet18) =>
    def(name, spec, ([pre, , w, n, z]) =>
      f({
        pretrained: pre === true,
        weights: w === null ? null : typeof w === 'string' ? w : 'weights',
        numClasses: intArg(name, 'num_classes', n),
        zeroInitResidual: boolArg(name, 'zero_init_residual', z),
      }),
    );
  return { resnet18: build('resnet18', resnet18), resnet34: build('resnet34', resnet34) };
}

export { zeroGrads, tensorsOf };
