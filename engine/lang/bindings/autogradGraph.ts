// grad_fn objects' hooks and saved values, and torch.autograd.graph, as PyTorch 1.13 has them:
//   grad_fn.register_hook(hook(grad_inputs, grad_outputs)), grad_fn.register_prehook(hook(grad_outputs)),
//   grad_fn._saved_self / _saved_result / _saved_alpha ..., grad_fn._raw_saved_self.register_hooks(pack, unpack),
//   torch.autograd.graph.saved_tensors_hooks(pack, unpack), save_on_cpu(), disable_saved_tensors_hooks(message).
// (torch.autograd.graph.Node is not in 1.13: the module has no such attribute.)
import * as E from '../../index';
import { runtimeError } from '../../context';
import { copyStorage } from '../../dtype';
import { Tensor } from '../../tensor';
import type { GradNode } from '../../autograd/node';
import {
  disableSavedHooks, popSavedHooks, pushSavedHooks, restoreSavedHooksDisabled, savedAlias, savedFieldNames, savedOriginal, savedScalar,
  savedTensorNames, unpackSaved, type SavedScalar, type SavedTensorHooks,
} from '../../autograd/saved';
import { fakeAddress } from '../classes';
import type { Runtime } from '../runtime';
import { PyBuiltin, PyCallable, PyDict, PyFloat, PyModule, PyTuple, type HostType, type PyValue } from '../values';
import { def, pyTypeName, typeError } from './common';
import { GradNodeType } from './tensor';

const FREED_SAVED_HOOKS =
  'Calling register_hooks on a saved tensor after it has been freed. Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved variables after calling backward.';

/** A hook's name in PyTorch's messages (its __name__). */
const hookName = (fn: PyValue): string => (fn instanceof PyCallable ? fn.name : pyTypeName(fn));

/** torch.utils.hooks.RemovableHandle: `handle.remove()`, or `with handle:` to remove it at the end of the block. */
export class RemovableHandle {
  private static nextId = 0;
  readonly id = RemovableHandle.nextId++;
  constructor(readonly remove: () => void) {}
}

export function removableHandle(remove: () => void): PyValue {
  return new RemovableHandle(remove) as unknown as PyValue;
}

const removableHandleType: HostType<RemovableHandle> = {
  typeName: () => 'RemovableHandle',
  getattr: (h, name) => (name === 'remove' ? new PyBuiltin('remove', () => (h.remove(), null)) : name === 'id' ? h.id : undefined),
  enter: (h) => h as unknown as PyValue,
  exit: (h) => {
    h.remove();
  },
  dir: () => ['id', 'next_id', 'remove'],
  repr: (h) => `<torch.utils.hooks.RemovableHandle object at ${fakeAddress(h)}>`,
};

/** What a node hook returned, as PyTorch's C++ hook wrappers read it: None, or a tuple of tensors and Nones. */
function hookTuple(r: PyValue): (Tensor | null)[] | null {
  if (r === null) return null;
  if (!(r instanceof PyTuple)) throw typeError(`expected tuple, but hook returned '${pyTypeName(r)}'`);
  return r.items.map((v) => {
    if (v === null || v instanceof Tensor) return v;
    throw typeError(`expected Variable, but hook returned '${pyTypeName(v)}'`);
  });
}

/** grad_fn._raw_saved_x: torch._C._autograd.SavedTensor, whose register_hooks packs that one saved tensor. */
export class SavedTensorRef {
  constructor(
    readonly node: GradNode,
    readonly name: string,
  ) {}
}

function savedScalarValue(v: SavedScalar): PyValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return new PyTuple(v.slice());
  return new PyFloat((v as { float: number }).float);
}

/** saved_tensors_hooks(pack, unpack) and save_on_cpu(): a context manager that pushes its pair of hooks. */
export class SavedTensorsHooksManager {
  constructor(
    readonly className: string,
    readonly hooks: SavedTensorHooks,
  ) {}
}

/** disable_saved_tensors_hooks(error_message). */
export class DisableSavedTensorsHooks {
  private prev: (string | null)[] = [];
  constructor(readonly message: string) {}
  enter(): void {
    this.prev.push(disableSavedHooks(this.message));
  }
  exit(): void {
    restoreSavedHooksDisabled(this.prev.pop() ?? null);
  }
}

export function autogradGraphBindings(rt: () => Runtime): {
  module: PyModule;
  gradNodeType: HostType<GradNode>;
  hostTypes: [abstract new (...args: never[]) => unknown, HostType][];
} {
  const call = (fn: PyValue, args: PyValue[]): PyValue => rt().call(fn, args, null);

  /** A program's pack/unpack pair as the engine calls it. */
  const programHooks = (pack: PyValue, unpack: PyValue): SavedTensorHooks => ({
    pack: (t) => call(pack, [t]),
    unpack: (p) => {
      const r = call(unpack, [p as PyValue]);
      if (!(r instanceof Tensor)) throw typeError(`Output of saved tensor unpack_hook expected to be a Tensor but got result of type ${pyTypeName(r)}`);
      return r;
    },
  });

  const metadata = new WeakMap<GradNode, PyDict>();

  /** grad_fn._saved_x for a saved tensor: None when the op did not save it; PyTorch's error once freed. */
  const savedTensor = (n: GradNode, name: string): PyValue => {
    if (!savedTensorNames(n).includes(name)) return null;
    if (n.released) throw runtimeError(E.FREED_GRAPH_MESSAGE);
    const original = savedOriginal(n, name)!;
    if (n.packed?.has(name)) return savedAlias(original, unpackSaved(n, name)!);
    // An input comes back as itself; an output as another tensor object (PyTorch saves outputs without their grad_fn
    // and gives them one again when unpacked).
    return name === 'result' ? savedAlias(original) : original;
  };

  const gradNodeType: HostType<GradNode> = {
    ...GradNodeType,
    getattr(n, name) {
      switch (name) {
        case 'register_hook':
          return new PyBuiltin('register_hook', (args) => {
            const fn = args[0] ?? null;
            return removableHandle(E.registerNodePostHook(n, hookName(fn), (gi, go) => hookTuple(call(fn, [new PyTuple(gi), new PyTuple(go)]))));
          });
        case 'register_prehook':
          return new PyBuiltin('register_prehook', (args) => {
            const fn = args[0] ?? null;
            return removableHandle(E.registerNodePreHook(n, hookName(fn), (go) => hookTuple(call(fn, [new PyTuple(go)]))));
          });
        case 'metadata': {
          let d = metadata.get(n);
          if (!d) metadata.set(n, (d = new PyDict()));
          return d;
        }
      }
      if (name.startsWith('_saved_') || name.startsWith('_raw_saved_')) {
        const fields = savedFieldNames(n);
        if (fields === null) return undefined;
        const raw = name.startsWith('_raw_saved_');
        const field = name.slice(raw ? '_raw_saved_'.length : '_saved_'.length);
        if (fields.tensors.includes(field)) return raw ? (new SavedTensorRef(n, field) as unknown as PyValue) : savedTensor(n, field);
        if (!raw && fields.scalars.includes(field)) return savedScalarValue(savedScalar(n, field) ?? null);
        return undefined;
      }
      if (name === 'requires_grad') return true;
      return GradNodeType.getattr!(n, name);
    },
    dir: (n) => {
      const fields = savedFieldNames(n);
      const saved = fields ? [...fields.tensors.flatMap((f) => [`_saved_${f}`, `_raw_saved_${f}`]), ...fields.scalars.map((f) => `_saved_${f}`)] : [];
      const names = [...saved, '_register_hook_dict', 'metadata', 'name', 'next_functions', 'register_hook', 'register_prehook', 'requires_grad'];
      if (n.variable) names.push('variable');
      return names.sort();
    },
  };

  const savedTensorType: HostType<SavedTensorRef> = {
    typeName: () => 'SavedTensor',
    getattr(s, name) {
      if (name !== 'register_hooks') return undefined;
      return def('register_hooks', 'pack_hook, unpack_hook', ([pack, unpack]) => {
        const n = s.node;
        if (!savedTensorNames(n).includes(s.name)) throw runtimeError('Calling register_hooks on a saved tensor with value None is forbidden');
        if (n.released) throw runtimeError(FREED_SAVED_HOOKS);
        if (n.packed?.has(s.name)) {
          throw runtimeError('Calling register_hooks on a saved tensor whose hooks have already been set. Hint: only one pair of hooks is allowed at a time.');
        }
        const original = savedOriginal(n, s.name)!;
        const hooks = programHooks(pack as PyValue, unpack as PyValue);
        // A saved output is kept without its grad_fn: pack sees it so.
        const data = s.name === 'result' ? new Tensor(original.data, original.shape.slice(), original.dtype, original.version) : original;
        (n.packed ??= new Map()).set(s.name, { hooks, packed: hooks.pack(data) });
        return null;
      });
    },
    dir: () => ['register_hooks'],
    repr: (s) => `<torch._C._autograd.SavedTensor object at ${fakeAddress(s)}>`,
  };

  const managerType: HostType<SavedTensorsHooksManager> = {
    typeName: (m) => m.className,
    enter: (m) => (pushSavedHooks(m.hooks), null),
    exit: () => {
      popSavedHooks();
    },
    repr: (m) => `<torch.autograd.graph.${m.className} object at ${fakeAddress(m)}>`,
  };

  const disableType: HostType<DisableSavedTensorsHooks> = {
    typeName: () => 'disable_saved_tensors_hooks',
    enter: (d) => (d.enter(), null),
    exit: (d) => {
      d.exit();
    },
    repr: (d) => `<torch.autograd.graph.disable_saved_tensors_hooks object at ${fakeAddress(d)}>`,
  };

  // save_on_cpu: pack copies the tensor (to the CPU, where it already is), unpack hands the copy back.
  const onCpu: SavedTensorHooks = {
    pack: (t) => new Tensor(copyStorage(t.data), t.shape.slice(), t.dtype),
    unpack: (p) => p as Tensor,
  };

  const module = new PyModule('torch.autograd.graph', {
    saved_tensors_hooks: def('saved_tensors_hooks', 'pack_hook, unpack_hook', ([pack, unpack]) =>
      new SavedTensorsHooksManager('saved_tensors_hooks', programHooks(pack as PyValue, unpack as PyValue)) as unknown as PyValue),
    save_on_cpu: def('save_on_cpu', 'pin_memory=False', () => new SavedTensorsHooksManager('save_on_cpu', onCpu) as unknown as PyValue),
    disable_saved_tensors_hooks: def('disable_saved_tensors_hooks', 'error_message', ([msg]) => {
      if (typeof msg !== 'string') throw typeError(`disable_saved_tensors_hooks(): argument 'error_message' must be str, not ${pyTypeName(msg as PyValue)}`);
      return new DisableSavedTensorsHooks(msg) as unknown as PyValue;
    }),
  });

  return {
    module,
    gradNodeType,
    hostTypes: [
      [SavedTensorRef, savedTensorType],
      [RemovableHandle, removableHandleType],
      [SavedTensorsHooksManager, managerType],
      [DisableSavedTensorsHooks, disableType],
    ],
  };
}
