// nn.Module: parameters, buffers and child modules in registration order, train/eval, state_dict and
// load_state_dict with PyTorch's messages, and `call`, which runs forward between module events.
//
// Note: a parameter is a plain leaf Tensor with requiresGrad = true, remembered in a WeakSet so that
// isinstance(x, nn.Parameter) can be answered. Children are held only in the `_modules` table (no typed
// fields), so `model.fc = nn.Linear(512, 10)` replaces what forward calls; subclasses read children
// with `this.child('fc')`.
import { engine, EngineError, runtimeError, withoutGrad } from '../context';
import { created, setRequiresGrad } from '../creation';
import { allocStorage, castInto, isFloating, isSmallInt, legacyTypeName, releaseStorage, type DType } from '../dtype';
import { summarize } from '../summary';
import { announceInplace } from '../ops/inplace';
import { Tensor, sizeText } from '../tensor';
import type { GradNode } from '../autograd/node';
import { registerNodePostHook } from '../autograd/backward';
import { backwardHookFunction } from '../ops/backwardHook';

const PARAMETERS = new WeakSet<Tensor>();

export const isParameter = (t: unknown): t is Tensor => t instanceof Tensor && PARAMETERS.has(t);

/** nn.Parameter(data, requires_grad=True): marks a leaf tensor as a parameter (no copy, as PyTorch shares storage). */
export function asParameter(t: Tensor, requiresGrad = true): Tensor {
  if (!t.isLeaf) {
    // Parameter(t) makes a new leaf over the same storage, as PyTorch's _make_subclass does.
    const leaf = new Tensor(t.data, t.shape.slice(), t.dtype, t.version);
    t = created(leaf, 'parameter');
  }
  if (requiresGrad && !isFloating(t.dtype)) throw runtimeError('Only Tensors of floating point and complex dtype can require gradients');
  t.requiresGrad = requiresGrad;
  PARAMETERS.add(t);
  return t;
}

/** Makes a fresh tensor a parameter and announces it as a created leaf (origin 'parameter'). */
export function announceParameter(t: Tensor): Tensor {
  t.requiresGrad = true;
  PARAMETERS.add(t);
  return created(t, 'parameter');
}

/** A new float32 parameter over `data`. */
export function newParameter(data: Float32Array, shape: number[]): Tensor {
  return announceParameter(new Tensor(data, shape.slice(), 'float32'));
}

/** A new buffer (running statistics), announced as a created leaf (origin 'buffer'). */
export function newBuffer(shape: number[], dtype: DType, fill = 0): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  const t = new Tensor(allocStorage(dtype, n), shape.slice(), dtype);
  if (fill !== 0) t.data.fill(fill);
  return created(t, 'buffer');
}

/** repr(float) as Python writes it: shortest round-trip digits, scientific below 1e-4 and from 1e16 (1e-05, 0.1, 1.0). */
function floatRepr(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(Math.abs(x));
  return sign + (s.includes('.') ? s : `${s}.0`);
}

/** Python's repr of the values extra_repr prints: ints, floats, bools, tuples. */
export function pyRepr(v: number | boolean | string | null | readonly (number | boolean)[], float = false): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return float || !Number.isInteger(v) ? floatRepr(v) : String(v);
  return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map((x) => pyRepr(x)).join(', ')})`;
}

/** The module currently running forward, with its path, so that children know theirs. */
interface Frame {
  module: Module;
  path: string;
  frozen: boolean;
}
const callStack: Frame[] = [];
/** The names under which parameters were announced with a bind event (first name wins in the app). */
const announced = new WeakMap<Tensor, string>();

/** A state dict: names to tensors, in PyTorch's order. */
export type StateDict = Map<string, Tensor>;

export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** A forward pre-hook: may return new inputs (undefined keeps them). */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown[] | undefined;
/** A forward hook: may return a new output (undefined keeps it). */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;
/**
 * A module backward hook: hook(module, grad_input, grad_output), which may return new grad_input (null keeps it).
 * The language checks what a hook returned (its length, its entries) before it gets here.
 */
export type ModuleBackwardHook = (module: Module, gradInput: (Tensor | null)[], gradOutput: (Tensor | null)[]) => (Tensor | null)[] | null;
let nextHookId = 0;

/**
 * What a tuple is to call(): the engine's modules return arrays; the language sets this so that a program's
 * forward returning its own tuple type is read the same way (the full backward hooks wrap each tensor of it).
 */
export const forwardTuples = {
  items: (v: unknown): readonly unknown[] | null => (Array.isArray(v) ? v : null),
  make: (items: unknown[], _like: unknown): unknown => items,
};

// Note: a forward made of the engine's own modules (ResNet's and its blocks', a Sequential's) makes intermediates
// that only the next layer reads. Three things could read one again: a hook (it is handed the tensor and may keep
// it), a program's module (its forward may keep what it is given: `self.last = x`), and autograd (a node that
// saved it). Where none can, the intermediate's storage goes back to the pool once the next layer has run, so a
// loop of forwards (an evaluation, a frozen backbone) takes memory already faulted in instead of fresh pages.
// Fresh pages are what costs: in this Chromium the first write to a new array costs ~40 µs per 4 KB page
// (a 2 MB transpose into a fresh array: 17-25 ms, into a used one: 1 ms).

/** Whether a forward through m may release its intermediates: no hooks and no program code anywhere in it. */
export function sealedForward(m: Module): boolean {
  if (m.runsProgramCode || m._forwardPreHooks.size !== 0 || m._forwardHooks.size !== 0 || m._backwardHooks.size !== 0) return false;
  for (const c of m._modules.values()) if (c !== null && !sealedForward(c)) return false;
  return true;
}

/**
 * Inside a sealed forward, after `next` was computed from the intermediate `used` (made by that forward): `used`'s
 * storage goes back to the pool unless something can still read it: a node (either requires grad: the op that
 * made `used` keeps it as its result, the one that read it may have saved it), or `next` itself (the same tensor,
 * its storage shared, or a view linked to it).
 */
export function releaseIntermediate(used: Tensor, next: Tensor): void {
  if (next === used || used.requiresGrad || next.requiresGrad || used.viewOf !== undefined || next.data === used.data || next.viewOf?.root === used) return;
  releaseStorage(used.data);
}

export class Module {
  /** The Python class name: 'Linear', 'ResNet' ... (explicit, so minified builds keep it). */
  readonly kind: string;
  /** A program's module (`class Net(nn.Module)`): its forward is the program's code. */
  get runsProgramCode(): boolean {
    return false;
  }
  training = true;
  readonly _parameters = new Map<string, Tensor | null>();
  readonly _buffers = new Map<string, Tensor | null>();
  readonly _nonPersistent = new Set<string>();
  readonly _modules = new Map<string, Module | null>();
  /** register_forward_pre_hook / register_forward_hook: run around each call, in registration order. */
  readonly _forwardPreHooks = new Map<number, ForwardPreHook>();
  readonly _forwardHooks = new Map<number, ForwardHook>();
  /** register_full_backward_hook / register_backward_hook, in registration order. */
  readonly _backwardHooks = new Map<number, ModuleBackwardHook>();
  /** Which kind of backward hook this module took first (PyTorch refuses mixing them, even after removal). */
  _isFullBackwardHook: boolean | null = null;

  constructor(kind: string) {
    this.kind = kind;
  }

  // ------------------------------------------------------------------ registration

  registerParameter(name: string, param: Tensor | null): void {
    checkName(name, 'parameter');
    if (this._modules.has(name) || this._buffers.has(name)) throw new EngineError('KeyError', `"attribute '${name}' already exists"`);
    if (param !== null && !isParameter(param)) {
      throw new EngineError('TypeError', `cannot assign '${legacyType(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (param !== null && !param.isLeaf) {
      throw new EngineError('ValueError', `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`);
    }
    this._parameters.set(name, param);
  }

  registerBuffer(name: string, buffer: Tensor | null, persistent = true): void {
    checkName(name, 'buffer');
    if ((this._parameters.has(name) || this._modules.has(name)) && !this._buffers.has(name)) {
      throw new EngineError('KeyError', `"attribute '${name}' already exists"`);
    }
    this._buffers.set(name, buffer);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
  }

  addModule(name: string, module: Module | null): void {
    checkName(name, 'module');
    if ((this._parameters.has(name) || this._buffers.has(name)) && !this._modules.has(name)) {
      throw new EngineError('KeyError', `"attribute '${name}' already exists"`);
    }
    this._modules.set(name, module);
  }

  /**
   * `module.name = value` as nn.Module.__setattr__ routes it. Returns false when the value is a plain
   * attribute (not a parameter, buffer or module): the caller keeps it.
   */
  setAttr(name: string, value: unknown): boolean {
    if (value instanceof Tensor && isParameter(value)) {
      this._buffers.delete(name);
      this._modules.delete(name);
      this.registerParameter(name, value);
      return true;
    }
    if (this._parameters.has(name)) {
      if (value !== null) {
        throw new EngineError('TypeError', `cannot assign '${typeNameOf(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
      }
      this._parameters.set(name, null);
      return true;
    }
    if (value instanceof Module) {
      this._parameters.delete(name);
      this._buffers.delete(name);
      this._modules.set(name, value);
      return true;
    }
    if (this._modules.has(name)) {
      if (value !== null) throw new EngineError('TypeError', `cannot assign '${typeNameOf(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
      this._modules.set(name, null);
      return true;
    }
    if (this._buffers.has(name)) {
      if (value !== null && !(value instanceof Tensor)) {
        throw new EngineError('TypeError', `cannot assign '${typeNameOf(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
      }
      this._buffers.set(name, value as Tensor | null);
      return true;
    }
    return false;
  }

  /** `module.name` for a parameter, buffer or child; undefined when it is none of them. */
  getAttr(name: string): Tensor | Module | null | undefined {
    if (this._parameters.has(name)) return this._parameters.get(name)!;
    if (this._buffers.has(name)) return this._buffers.get(name)!;
    if (this._modules.has(name)) return this._modules.get(name)!;
    return undefined;
  }

  /** `del module.name`. */
  delAttr(name: string): boolean {
    return this._parameters.delete(name) || this._buffers.delete(name) || this._modules.delete(name);
  }

  /** A child the subclass registered (throws if it was removed or set to None). */
  protected child<M extends Module = Module>(name: string): M {
    const m = this._modules.get(name);
    if (!m) throw new EngineError('TypeError', `'NoneType' object is not callable`);
    return m as M;
  }

  protected param(name: string): Tensor | null {
    return this._parameters.get(name) ?? null;
  }

  protected buffer(name: string): Tensor | null {
    return this._buffers.get(name) ?? null;
  }

  // ------------------------------------------------------------------ traversal

  *namedModules(prefix = '', memo: Set<Module> = new Set(), removeDuplicate = true): Generator<[string, Module]> {
    if (memo.has(this)) return;
    if (removeDuplicate) memo.add(this);
    yield [prefix, this];
    for (const [name, m] of this._modules) {
      if (!m) continue;
      yield* m.namedModules(prefix ? `${prefix}.${name}` : name, memo, removeDuplicate);
    }
  }

  modules(): Module[] {
    return Array.from(this.namedModules(), ([, m]) => m);
  }

  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, m] of this._modules) {
      if (m && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers(table: (m: Module) => Map<string, Tensor | null>, prefix: string, recurse: boolean): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    const mods: [string, Module][] = recurse ? Array.from(this.namedModules(prefix)) : [[prefix, this]];
    for (const [modPrefix, m] of mods) {
      for (const [name, t] of table(m)) {
        if (!t || seen.has(t)) continue;
        seen.add(t);
        out.push([modPrefix ? `${modPrefix}.${name}` : name, t]);
      }
    }
    return out;
  }

  /** named_parameters(): pre-order over modules, each module's parameters in registration order, shared ones once. */
  namedParameters(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedMembers((m) => m._parameters, prefix, recurse);
  }

  parameters(recurse = true): Tensor[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers, prefix, recurse);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  // ------------------------------------------------------------------ modes and grads

  train(mode = true): this {
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) setRequiresGrad(p, requiresGrad);
    return this;
  }

  /** zero_grad(set_to_none=False), PyTorch 1.13's default. */
  zeroGrad(setToNone = false): void {
    zeroGrads(this.parameters(), setToNone);
  }

  // ------------------------------------------------------------------ state dict

  /** state_dict(): per module, parameters then persistent buffers, then its children; detached aliases. */
  stateDict(prefix = '', keepVars = false): StateDict {
    const out: StateDict = new Map();
    this.saveTo(out, prefix, keepVars);
    return out;
  }

  private saveTo(out: StateDict, prefix: string, keepVars: boolean): void {
    for (const [name, p] of this._parameters) if (p) out.set(prefix + name, keepVars ? p : detachedAlias(p));
    for (const [name, b] of this._buffers) {
      if (b && !this._nonPersistent.has(name)) out.set(prefix + name, keepVars ? b : detachedAlias(b));
    }
    for (const [name, m] of this._modules) if (m) m.saveTo(out, `${prefix}${name}.`, keepVars);
  }

  /**
   * load_state_dict(state_dict, strict=True): copies in place (the tensors keep their identity, so an
   * optimizer made before still holds them), converting dtypes, with PyTorch's error text.
   */
  loadStateDict(stateDict: ReadonlyMap<string, unknown>, strict = true): IncompatibleKeys {
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    const load = (module: Module, local: [string, unknown][], prefix: string): void => {
      // PyTorch passes strict=True here whatever the caller asked: unexpected keys are always reported.
      module.loadFrom(new Map(local), prefix, true, missingKeys, unexpectedKeys, errors, copies);
      for (const [name, child] of module._modules) {
        if (!child) continue;
        const childPrefix = `${prefix}${name}.`;
        load(child, local.filter(([k]) => k.startsWith(childPrefix)), childPrefix);
      }
    };
    load(this, Array.from(stateDict), '');
    if (strict) {
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) throw runtimeError(`Error(s) in loading state_dict for ${this.kind}:\n\t${errors.join('\n\t')}`);
    // Note: PyTorch copies module by module and stops at the first error with the model half loaded; here the
    // checks all come first, so a failed load changes nothing.
    withoutGrad(() => {
      for (const [dst, src] of copies) copyInto(dst, src);
    });
    return { missingKeys, unexpectedKeys };
  }

  /** _load_from_state_dict: checks this module's own entries and queues the copies. */
  protected loadFrom(
    stateDict: Map<string, unknown>, prefix: string, strict: boolean,
    missingKeys: string[], unexpectedKeys: string[], errors: string[], copies: [Tensor, Tensor][],
  ): void {
    const local = new Map<string, Tensor>();
    for (const [name, p] of this._parameters) if (p) local.set(name, p);
    for (const [name, b] of this._buffers) if (b && !this._nonPersistent.has(name)) local.set(name, b);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!stateDict.has(key)) {
        missingKeys.push(key);
        continue;
      }
      let input = stateDict.get(key);
      if (!(input instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyTypeRepr(input)}`);
        continue;
      }
      // PyTorch's leniency for a one-element [1] tensor loaded into a 0-dim one (num_batches_tracked).
      if (param.ndim === 0 && input.ndim === 1) input = new Tensor(input.data.slice(0, 1), [], input.dtype);
      const src = input as Tensor;
      if (src.shape.length !== param.shape.length || src.shape.some((s, i) => s !== param.shape[i])) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${sizeText(src.shape)} from checkpoint, the shape in current model is ${sizeText(param.shape)}.`);
        continue;
      }
      copies.push([param, src]);
    }
    if (strict) {
      for (const key of stateDict.keys()) {
        if (!key.startsWith(prefix)) continue;
        const head = key.slice(prefix.length).split('.', 1)[0];
        if (!this._modules.has(head) && !local.has(head)) unexpectedKeys.push(key);
      }
    }
  }

  // ------------------------------------------------------------------ forward

  /** The layer's computation; `call` is what runs it (with module events around it). */
  forward(..._inputs: unknown[]): unknown {
    throw new EngineError('NotImplementedError', `Module [${this.kind}] is missing the required "forward" function`);
  }

  /** Adds a hook run before (pre) or after each forward; returns its remover. */
  addForwardHook(kind: 'pre', hook: ForwardPreHook): () => void;
  addForwardHook(kind: 'post', hook: ForwardHook): () => void;
  addForwardHook(kind: 'pre' | 'post', hook: ForwardPreHook | ForwardHook): () => void {
    const id = nextHookId++;
    const table = (kind === 'pre' ? this._forwardPreHooks : this._forwardHooks) as Map<number, unknown>;
    table.set(id, hook);
    return () => void table.delete(id);
  }

  /**
   * register_full_backward_hook (full) or register_backward_hook (the legacy one); returns its remover. PyTorch's
   * error when a module would get both kinds.
   */
  addBackwardHook(full: boolean, hook: ModuleBackwardHook): () => void {
    if (this._isFullBackwardHook === !full) {
      throw runtimeError('Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.');
    }
    this._isFullBackwardHook = full;
    const id = nextHookId++;
    this._backwardHooks.set(id, hook);
    return () => void this._backwardHooks.delete(id);
  }

  /**
   * module(x): the hooks around forward as PyTorch's _call_impl runs them (forward pre-hooks, the full backward
   * hooks' wrapping of the inputs, forward, forward hooks, the wrapping of the outputs, the legacy backward hooks
   * on the output's grad_fn), with module events when someone listens.
   */
  call(...inputs: unknown[]): unknown {
    if (this._forwardPreHooks.size === 0 && this._forwardHooks.size === 0 && this._backwardHooks.size === 0) return this.callForward(inputs);
    const backwardHooks = [...this._backwardHooks.values()];
    const full = this._isFullBackwardHook === true && backwardHooks.length ? backwardHooks : null;
    const legacy = this._isFullBackwardHook === false && backwardHooks.length ? backwardHooks : null;
    for (const hook of [...this._forwardPreHooks.values()]) {
      const r = hook(this, inputs);
      if (r !== undefined) inputs = r;
    }
    const bwHook = full ? new BackwardHook(this, full) : null;
    if (bwHook) inputs = bwHook.setupInputHook(inputs);
    let out = this.callForward(inputs);
    for (const hook of [...this._forwardHooks.values()]) {
      const r = hook(this, inputs, out);
      if (r !== undefined) out = r;
    }
    if (bwHook) out = bwHook.setupOutputHook(out);
    if (legacy) {
      let v = out;
      while (!(v instanceof Tensor)) {
        const items = forwardTuples.items(v);
        if (!items || items.length === 0) break;
        v = items[0];
      }
      const node = v instanceof Tensor ? v.gradFn : null;
      if (node) {
        // PyTorch's _WrappedHook: hook(module, grad_input, grad_output) as a post hook of that one node.
        for (const hook of legacy) registerNodePostHook(node, hookNames.get(hook) ?? 'hook', (gi, go) => hook(this, gi, go));
      }
    }
    return out;
  }

  /** forward between 'module-enter' and 'module-exit' events, so the canvas can fold by module. */
  private callForward(inputs: unknown[]): unknown {
    if (!engine.events.active) return this.forward(...inputs);
    const parent = callStack.length ? callStack[callStack.length - 1] : null;
    let path = '';
    if (parent) {
      const name = parent.module.childName(this) ?? this.kind;
      path = parent.path ? `${parent.path}.${name}` : name;
    } else {
      this.announceParameters();
    }
    const params = this.parameters();
    const frozen = params.length ? !params.some((p) => p.requiresGrad) : parent ? parent.frozen : false;
    engine.events.emit({ type: 'module-enter', path, kind: this.kind, frozen, pos: engine.pos });
    callStack.push({ module: this, path, frozen });
    let out: unknown;
    try {
      out = this.forward(...inputs);
    } finally {
      callStack.pop();
    }
    engine.events.emit({ type: 'module-exit', path, kind: this.kind, frozen, pos: engine.pos, ...(out instanceof Tensor ? { output: out.id } : {}) });
    return out;
  }

  /** The name this module has `child` under (first one, if several). */
  childName(child: Module): string | null {
    for (const [name, m] of this._modules) if (m === child) return name;
    return null;
  }

  /** Bind events naming each parameter by its path ('fc.weight'), once per name: the canvas labels leaves with them. */
  announceParameters(): void {
    if (!engine.events.active) return;
    for (const [name, p] of this.namedParameters()) {
      if (announced.get(p) === name) continue;
      announced.set(p, name);
      engine.events.emit({ type: 'bind', name, tensor: p.id, pos: engine.pos });
    }
  }

  // ------------------------------------------------------------------ repr

  /** extra_repr(): the layer's own settings. */
  extraRepr(): string {
    return '';
  }

  repr(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [name, m] of this._modules) {
      const text = m ? m.repr() : 'None';
      childLines.push(`(${name}): ${addIndent(text, 2)}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this.kind}(`;
    if (lines.length) {
      if (extraLines.length === 1 && !childLines.length) main += extraLines[0];
      else main += '\n  ' + lines.join('\n  ') + '\n';
    }
    return main + ')';
  }
}

function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  return [lines[0], ...lines.slice(1).map((l) => ' '.repeat(n) + l)].join('\n');
}

function checkName(name: string, what: string): void {
  if (name.includes('.')) throw new EngineError('KeyError', `"${what} name can't contain \\".\\""`);
  if (name === '') throw new EngineError('KeyError', `"${what} name can't be empty string \\"\\""`);
}

function legacyType(t: Tensor): string {
  return legacyTypeName(t.dtype);
}

function typeNameOf(v: unknown): string {
  if (v instanceof Tensor) return legacyType(v);
  if (v instanceof Module) return v.kind;
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  const name = (v as { typeName?: unknown }).typeName;
  return typeof name === 'string' ? name : 'object';
}

function pyTypeRepr(v: unknown): string {
  return `<class '${typeNameOf(v)}'>`;
}

function detachedAlias(t: Tensor): Tensor {
  return created(new Tensor(t.data, t.shape.slice(), t.dtype, t.version), 'state_dict');
}

/** param.copy_(src) under no_grad: converts the dtype, bumps the version, reports an in-place update. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const d = dst.data;
  const s = src.data;
  if (dst.dtype === 'int64') for (let i = 0; i < d.length; i++) d[i] = Math.trunc(s[i]);
  else if (dst.dtype === 'int32') for (let i = 0; i < d.length; i++) d[i] = Math.trunc(s[i]) | 0;
  else if (dst.dtype === 'bool') for (let i = 0; i < d.length; i++) d[i] = s[i] !== 0 ? 1 : 0;
  else if (isSmallInt(dst.dtype) && s.length === d.length) castInto(d, dst.dtype, s, src.dtype);
  else if (s.length === d.length) d.set(s);
  else d.fill(s[0]);
  dst.version.v++;
  announceInplace(dst, 'copy_', src);
}

/** Optimizer.zero_grad / Module.zero_grad: set .grad to None, or zero it in place. */
export function zeroGrads(params: Iterable<Tensor>, setToNone: boolean): void {
  for (const p of params) {
    if (!p.grad) continue;
    if (setToNone) p.grad = null;
    else {
      p.grad.gradFn = null;
      p.grad.requiresGrad = false;
      p.grad.data.fill(0);
      p.grad.version.v++;
    }
    if (engine.events.active) engine.events.emit({ type: 'grad-set', tensor: p.id, grad: p.grad ? summarize(p.grad) : null, pos: engine.pos });
  }
}

/**
 * model.float() / model.double() / model.to(dtype): every floating parameter (and its .grad) converted in place,
 * keeping the Parameter object (PyTorch's param.data = fn(param)), and every floating buffer replaced.
 */
export function castModule(m: Module, dtype: DType): Module {
  for (const mod of m.modules()) {
    for (const p of mod._parameters.values()) {
      if (!p || !isFloating(p.dtype) || p.dtype === dtype) continue;
      castInPlace(p, dtype);
      if (p.grad && isFloating(p.grad.dtype)) castInPlace(p.grad, dtype);
      announceInplace(p, 'to');
    }
    for (const [name, b] of mod._buffers) {
      if (!b || !isFloating(b.dtype) || b.dtype === dtype) continue;
      const out = new Tensor(allocStorage(dtype, b.numel), b.shape.slice(), dtype);
      out.data.set(b.data);
      mod._buffers.set(name, created(out, 'buffer'));
    }
  }
  return m;
}

/** A tensor's storage and dtype replaced by the same values in another floating dtype (rounded to float32). */
export function castInPlace(t: Tensor, dtype: DType): void {
  const data = allocStorage(dtype, t.numel);
  data.set(t.data);
  t.data = data;
  t.dtype = dtype;
  t.version.v++;
}

/** The name PyTorch's errors give a backward hook (its __name__), as the language registered it. */
export const hookNames = new WeakMap<ModuleBackwardHook, string>();

const packWithNone = (indices: readonly number[], values: readonly (Tensor | null)[], size: number): (Tensor | null)[] => {
  const res = new Array<Tensor | null>(size).fill(null);
  indices.forEach((idx, k) => (res[idx] = values[k] ?? null));
  return res;
};

const unpackNone = (indices: readonly number[], values: readonly (Tensor | null)[]): (Tensor | null)[] => indices.map((idx) => values[idx] ?? null);

/**
 * torch/utils/hooks.py's BackwardHook, line for line: the module's tensor inputs and outputs each go through a
 * BackwardHookFunction; the output node's post hook keeps the output gradients, and the input node's calls the
 * user hooks with both once the input gradients are known. So the hooks run once per backward through the
 * module, with grad_input for exactly the module's positional arguments (None where one is not a tensor).
 */
class BackwardHook {
  private gradOutputs: (Tensor | null)[] | null = null;
  private nOutputs = -1;
  private outputTensorsIndex: number[] | null = null;
  private nInputs = -1;
  private inputTensorsIndex: number[] | null = null;

  constructor(
    private readonly module: Module,
    private readonly userHooks: ModuleBackwardHook[],
  ) {}

  private applyOnTensors(fn: (node: GradNode) => void, args: readonly unknown[]): [unknown[], number[] | null] {
    const tensorsIdx: number[] = [];
    const tensors: Tensor[] = [];
    let requiresGrad = false;
    args.forEach((a, i) => {
      if (a instanceof Tensor) {
        tensorsIdx.push(i);
        tensors.push(a);
        requiresGrad ||= a.requiresGrad;
      }
    });
    if (!(requiresGrad && engine.gradEnabled)) return [args.slice(), null];
    const { outputs, node } = backwardHookFunction(tensors);
    fn(node);
    const list = args.slice();
    tensorsIdx.forEach((idx, k) => (list[idx] = outputs[k]));
    return [list, tensorsIdx];
  }

  setupInputHook(args: unknown[]): unknown[] {
    const [res, idx] = this.applyOnTensors((node) => this.setUserHook(node), args);
    this.nInputs = args.length;
    this.inputTensorsIndex = idx;
    return res;
  }

  private setUserHook(node: GradNode): void {
    registerNodePostHook(node, 'hook', (gradInput) => {
      // The module's input gradient came without going through its output (a double backward): no hook.
      if (this.gradOutputs === null) return null;
      const indices = this.inputTensorsIndex!;
      let res = packWithNone(indices, gradInput, this.nInputs);
      for (const hook of this.userHooks) {
        const out = hook(this.module, res, this.gradOutputs);
        if (out === null) continue;
        if (out.length !== res.length) {
          throw runtimeError(`Backward hook returned an invalid number of grad_input, got ${out.length}, but expected ${res.length}`);
        }
        res = out;
      }
      this.gradOutputs = null;
      return unpackNone(indices, res);
    });
  }

  setupOutputHook(result: unknown): unknown {
    const items = forwardTuples.items(result);
    const args = items ?? [result];
    const [res, idx] = this.applyOnTensors((node) => {
      registerNodePostHook(node, 'hook', (_gradInput, gradOutput) => {
        this.gradOutputs = packWithNone(this.outputTensorsIndex!, gradOutput, this.nOutputs);
        // No input requires grad: the output's node calls the user hooks itself, with grad_input all None.
        if (this.inputTensorsIndex === null) {
          const gradInputs = packWithNone([], [], this.nInputs);
          for (const hook of this.userHooks) {
            const r = hook(this.module, gradInputs, this.gradOutputs);
            if (r !== null && !r.every((g) => g === null)) {
              throw runtimeError('Backward hook for Modules where no input requires gradient should always return None or None for all gradients.');
            }
          }
          this.gradOutputs = null;
        }
        return null;
      });
    }, args);
    this.nOutputs = args.length;
    this.outputTensorsIndex = idx;
    return items ? forwardTuples.make(res, result) : res[0];
  }
}
