// torch.optim: the Optimizer base (param groups, zero_grad, state) and SGD with PyTorch 1.13's update:
//   d_p = grad (negated if maximize) + weight_decay * p
//   buf = d_p on the first step, else momentum * buf + (1 - dampening) * d_p
//   d_p = d_p + momentum * buf if nesterov, else buf
//   p  -= lr * d_p
// step() runs without recording, skips parameters whose .grad is None, and reports an 'optimizer-step'
// event followed by one 'inplace' event per updated parameter.
import { allocStorage, legacyTypeName } from '../dtype';
import { engine, EngineError, withoutGrad } from '../context';
import { summarize } from '../summary';
import { Tensor } from '../tensor';
import { zeroGrads } from '../nn/module';

/** Hyper-parameters of a group: numbers and flags, by PyTorch's names (lr, momentum, ...). */
export type Hyper = Record<string, number | boolean>;

export interface ParamGroup {
  params: Tensor[];
  options: Hyper;
}

/** A group as the caller gives it: its params and any hyper-parameters that differ from the defaults. */
export interface ParamGroupInput {
  params: Iterable<Tensor>;
  [option: string]: number | boolean | Iterable<Tensor> | undefined;
}

export abstract class Optimizer {
  readonly paramGroups: ParamGroup[] = [];
  /** Per-parameter state (momentum_buffer ...). */
  readonly state = new Map<Tensor, Map<string, Tensor>>();

  constructor(
    readonly kind: string,
    params: Iterable<Tensor> | Iterable<ParamGroupInput>,
    readonly defaults: Hyper,
    /** Hyper-parameters without a default (SGD's lr in 1.13). */
    readonly required: readonly string[] = [],
  ) {
    if (params instanceof Tensor) {
      throw new EngineError('TypeError', `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${legacyType(params)}`);
    }
    const list = Array.from(params as Iterable<Tensor | ParamGroupInput>);
    if (list.length === 0) throw new EngineError('ValueError', 'optimizer got an empty parameter list');
    const groups: ParamGroupInput[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as ParamGroupInput[]);
    for (const g of groups) this.addParamGroup(g);
  }

  addParamGroup(group: ParamGroupInput): void {
    if (group.params instanceof Tensor) group = { ...group, params: [group.params] };
    const params = Array.from(group.params);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new EngineError('TypeError', `optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new EngineError('ValueError', "can't optimize a non-leaf Tensor");
    }
    const options: Hyper = {};
    for (const [k, v] of Object.entries(group)) {
      if (k !== 'params' && v !== undefined) options[k] = v as number | boolean;
    }
    for (const name of this.required) {
      if (!(name in options) && !(name in this.defaults)) {
        throw new EngineError('ValueError', `parameter group didn't specify a value of required optimization parameter ${name}`);
      }
    }
    for (const [k, v] of Object.entries(this.defaults)) if (!(k in options)) options[k] = v;
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p))) throw new EngineError('ValueError', 'some parameters appear in more than one parameter group');
    this.paramGroups.push({ params, options });
  }

  /** zero_grad(set_to_none=False), PyTorch 1.13's default. */
  zeroGrad(setToNone = false): void {
    for (const g of this.paramGroups) zeroGrads(g.params, setToNone);
  }

  /** One update of every parameter that has a gradient; `closure` re-evaluates the loss first. */
  step(closure?: () => unknown): unknown {
    const loss = closure ? closure() : null;
    const updated: Tensor[] = [];
    withoutGrad(() => {
      for (const group of this.paramGroups) this.update(group, updated);
    });
    if (engine.events.active) {
      const pos = engine.pos;
      const hyper = this.paramGroups[0]?.options ?? {};
      engine.events.emit({ type: 'optimizer-step', optimizer: this.kind, params: updated.map((p) => p.id), hyper, pos });
      for (const p of updated) {
        engine.events.emit({ type: 'inplace', tensor: p.id, op: `${this.kind.toLowerCase()}_step`, label: this.kind, other: p.grad?.id ?? null, recorded: false, version: p.version.v, value: summarize(p), pos });
      }
    }
    return loss;
  }

  /** Updates one group's parameters in place, pushing each one it changed. */
  protected abstract update(group: ParamGroup, updated: Tensor[]): void;
}

const legacyType = (t: Tensor): string => legacyTypeName(t.dtype);

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

/**
 * x rounded to the parameter's precision (float32 when f32). One function for every call site: a variable holding
 * either Math.fround or an identity made Adam's loop 5x slower (measured 119 against 23 ns per parameter on 2M
 * float32 parameters).
 */
export const rnd = (f32: boolean, x: number): number => (f32 ? Math.fround(x) : x);

export class SGD extends Optimizer {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput>, o: SGDOptions = {}) {
    const defaults: Hyper = {
      momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, weight_decay: o.weightDecay ?? 0, nesterov: o.nesterov ?? false, maximize: o.maximize ?? false,
    };
    if (o.lr !== undefined) defaults.lr = o.lr;
    checkSgd(defaults);
    super('SGD', params, defaults, ['lr']);
    for (const g of this.paramGroups) checkSgd(g.options);
  }

  // Note: PyTorch 1.13's single-tensor SGD, op by op in the parameter's precision: d_p.add(param, alpha=wd),
  // buf.mul_(momentum).add_(d_p, alpha=1 - dampening) (a clone of d_p the first time), d_p.add(buf,
  // alpha=momentum) for Nesterov, param.add_(d_p, alpha=-lr). Each scalar is cast to the parameter's dtype
  // first, and add with alpha is one fused multiply-add on AVX2 (vec::fmadd): for float32, fround(a + b *
  // alpha), the product of two floats being exact in a double. (float64 has no exact emulation here: the
  // product is rounded once more.)
  protected update(group: ParamGroup, updated: Tensor[]): void {
    const lr = +group.options.lr;
    const momentum = +group.options.momentum;
    const dampening = +group.options.dampening;
    const weightDecay = +group.options.weight_decay;
    const nesterov = !!group.options.nesterov;
    const maximize = !!group.options.maximize;
    for (const p of group.params) {
      if (!p.grad) continue;
      const w = p.data as Float32Array | Float64Array;
      const g = p.grad.data;
      const n = w.length;
      const f32 = w instanceof Float32Array;
      const negLr = rnd(f32, -lr);
      let buf: Float32Array | Float64Array | null = null;
      let first = false;
      if (momentum !== 0) {
        let state = this.state.get(p);
        if (!state) this.state.set(p, (state = new Map()));
        let b = state.get('momentum_buffer');
        if (!b) {
          b = new Tensor(allocStorage(p.dtype, n), p.shape.slice(), p.dtype);
          state.set('momentum_buffer', b);
          first = true;
        } else b.version.v++;
        buf = b.data as Float32Array | Float64Array;
      }
      // One fused pass per parameter (no temporaries: ResNet-18 has 11.7M of them); the common case
      // (momentum, no weight decay, no nesterov) gets its own loop without branches.
      if (buf && !nesterov && !maximize && weightDecay === 0) {
        plainMomentum(w, g as Float32Array | Float64Array, buf, n, negLr, first ? 0 : rnd(f32, momentum), rnd(f32, 1 - dampening), first);
        p.version.v++;
        updated.push(p);
        continue;
      }
      const wd = rnd(f32, weightDecay);
      const mom = rnd(f32, momentum);
      const damp = rnd(f32, 1 - dampening);
      for (let i = 0; i < n; i++) {
        let d = maximize ? -g[i] : g[i];
        if (weightDecay !== 0) d = rnd(f32, d + w[i] * wd);
        if (buf) {
          buf[i] = first ? d : rnd(f32, rnd(f32, buf[i] * mom) + d * damp);
          d = nesterov ? rnd(f32, d + buf[i] * mom) : buf[i];
        }
        w[i] = rnd(f32, w[i] + d * negLr);
      }
      p.version.v++;
      updated.push(p);
    }
  }
}

/**
 * buf = buf * momentum + grad * scale (buf = grad on the first step); p += buf * negLr. Stores into the
 * parameter's own array round each step to its precision; the intermediate buf * momentum is rounded too.
 */
function plainMomentum(w: Float32Array | Float64Array, g: Float32Array | Float64Array, buf: Float32Array | Float64Array, n: number, negLr: number, momentum: number, scale: number, first: boolean): void {
  if (first) {
    for (let i = 0; i < n; i++) {
      const d = g[i];
      buf[i] = d;
      w[i] += d * negLr;
    }
    return;
  }
  const f32 = buf instanceof Float32Array;
  for (let i = 0; i < n; i++) {
    const t = f32 ? Math.fround(buf[i] * momentum) : buf[i] * momentum;
    buf[i] = t + g[i] * scale;
    w[i] += buf[i] * negLr;
  }
}

function checkSgd(h: Hyper): void {
  const num = (k: string): number => +(h[k] ?? 0);
  if (h.lr !== undefined && num('lr') < 0) throw new EngineError('ValueError', `Invalid learning rate: ${h.lr}`);
  if (num('momentum') < 0) throw new EngineError('ValueError', `Invalid momentum value: ${h.momentum}`);
  if (num('weight_decay') < 0) throw new EngineError('ValueError', `Invalid weight_decay value: ${h.weight_decay}`);
  if (h.nesterov && (num('momentum') <= 0 || num('dampening') !== 0)) throw new EngineError('ValueError', 'Nesterov momentum requires a momentum and zero dampening');
}
