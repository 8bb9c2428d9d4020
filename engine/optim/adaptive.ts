// RMSprop and Adam with PyTorch 1.13's single-tensor updates (the tutorial's "PyTorch: optim" uses RMSprop).
//   RMSprop: v = alpha v + (1 - alpha) g²; (centered: a = alpha a + (1 - alpha) g, v - a²);
//            avg = sqrt(v) + eps; momentum: b = momentum b + g / avg, p -= lr b; else p -= lr g / avg
//   Adam:    m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g²  (amsgrad: vmax = max(vmax, v))
//            p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// with g = grad (negated if maximize) + weight_decay * p.
import { allocStorage } from '../dtype';
import { EngineError } from '../context';
import { Tensor } from '../tensor';
import { Optimizer, rnd, type ParamGroup, type ParamGroupInput } from './sgd';

type Floats = Float32Array | Float64Array;

/** A state tensor of the parameter's shape and dtype, made on first use. */
function stateBuffer(opt: Optimizer, p: Tensor, name: string): Floats {
  let state = opt.state.get(p);
  if (!state) opt.state.set(p, (state = new Map()));
  let t = state.get(name);
  if (!t) {
    t = new Tensor(allocStorage(p.dtype, p.numel), p.shape.slice(), p.dtype);
    state.set(name, t);
  } else t.version.v++;
  return t.data as Floats;
}

/** The step count, kept as PyTorch does in state['step'] (a float tensor). */
function nextStep(opt: Optimizer, p: Tensor): number {
  let state = opt.state.get(p);
  if (!state) opt.state.set(p, (state = new Map()));
  let t = state.get('step');
  if (!t) state.set('step', (t = new Tensor(new Float32Array(1), [], 'float32')));
  t.data[0] += 1;
  return t.data[0];
}

/** grad (negated if maximize) plus weight decay, rounded to the parameter's precision. */
function effectiveGrad(p: Tensor, maximize: boolean, weightDecay: number): Floats {
  const w = p.data as Floats;
  const g = p.grad!.data;
  const out = w instanceof Float32Array ? new Float32Array(w.length) : new Float64Array(w.length);
  // grad.add(param, alpha=weight_decay): one fused multiply-add, alpha cast to the dtype (see ./sgd).
  const wd = w instanceof Float32Array ? Math.fround(weightDecay) : weightDecay;
  for (let i = 0; i < w.length; i++) out[i] = (maximize ? -g[i] : g[i]) + w[i] * wd;
  return out;
}

const check = (ok: boolean, message: string): void => {
  if (!ok) throw new EngineError('ValueError', message);
};

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

export class RMSprop extends Optimizer {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput>, o: RMSpropOptions = {}) {
    const d = { lr: o.lr ?? 1e-2, alpha: o.alpha ?? 0.99, eps: o.eps ?? 1e-8, weight_decay: o.weightDecay ?? 0, momentum: o.momentum ?? 0, centered: o.centered ?? false, maximize: o.maximize ?? false };
    check(d.lr >= 0, `Invalid learning rate: ${d.lr}`);
    check(d.eps >= 0, `Invalid epsilon value: ${d.eps}`);
    check(d.momentum >= 0, `Invalid momentum value: ${d.momentum}`);
    check(d.weight_decay >= 0, `Invalid weight_decay value: ${d.weight_decay}`);
    check(d.alpha >= 0, `Invalid alpha value: ${d.alpha}`);
    super('RMSprop', params, d);
  }

  protected update(group: ParamGroup, updated: Tensor[]): void {
    const h = group.options;
    const [lr, alpha, eps, momentum] = [+h.lr, +h.alpha, +h.eps, +h.momentum];
    for (const p of group.params) {
      if (!p.grad) continue;
      const w = p.data as Floats;
      const g = effectiveGrad(p, !!h.maximize, +h.weight_decay);
      nextStep(this, p);
      const sq = stateBuffer(this, p, 'square_avg');
      const avgGrad = h.centered ? stateBuffer(this, p, 'grad_avg') : null;
      const buf = momentum > 0 ? stateBuffer(this, p, 'momentum_buffer') : null;
      // PyTorch 1.13's single-tensor RMSprop op by op (see the note on Adam below).
      const f32 = w instanceof Float32Array;
      const al = rnd(f32, alpha);
      const a1 = rnd(f32, 1 - alpha);
      const ep = rnd(f32, eps);
      const mo = rnd(f32, momentum);
      const negLr = rnd(f32, -lr);
      for (let i = 0; i < w.length; i++) {
        // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        sq[i] = rnd(f32, rnd(f32, sq[i] * al) + rnd(f32, a1 * g[i]) * g[i]);
        let v = sq[i];
        if (avgGrad) {
          // grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha); square_avg.addcmul(grad_avg, grad_avg, value=-1)
          avgGrad[i] = rnd(f32, rnd(f32, avgGrad[i] * al) + g[i] * a1);
          v = rnd(f32, v - avgGrad[i] * avgGrad[i]);
        }
        const avg = rnd(f32, rnd(f32, Math.sqrt(v)) + ep);
        if (buf) {
          // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
          buf[i] = rnd(f32, rnd(f32, buf[i] * mo) + rnd(f32, g[i] / avg));
          w[i] = rnd(f32, w[i] + buf[i] * negLr);
        } else w[i] = rnd(f32, w[i] + rnd(f32, rnd(f32, negLr * g[i]) / avg));
      }
      p.version.v++;
      updated.push(p);
    }
  }
}

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

export class Adam extends Optimizer {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput>, o: AdamOptions = {}, kind: 'Adam' | 'AdamW' = 'Adam') {
    const [beta1, beta2] = o.betas ?? [0.9, 0.999];
    const d = { lr: o.lr ?? 1e-3, beta1, beta2, eps: o.eps ?? 1e-8, weight_decay: o.weightDecay ?? 0, amsgrad: o.amsgrad ?? false, maximize: o.maximize ?? false };
    check(d.lr >= 0, `Invalid learning rate: ${d.lr}`);
    check(d.eps >= 0, `Invalid epsilon value: ${d.eps}`);
    check(beta1 >= 0 && beta1 < 1, `Invalid beta parameter at index 0: ${beta1}`);
    check(beta2 >= 0 && beta2 < 1, `Invalid beta parameter at index 1: ${beta2}`);
    check(d.weight_decay >= 0, `Invalid weight_decay value: ${d.weight_decay}`);
    super(kind, params, d);
  }

  protected update(group: ParamGroup, updated: Tensor[]): void {
    const h = group.options;
    const [lr, beta1, beta2, eps] = [+h.lr, +h.beta1, +h.beta2, +h.eps];
    for (const p of group.params) {
      if (!p.grad) continue;
      const w = p.data as Floats;
      const g = effectiveGrad(p, !!h.maximize, +h.weight_decay);
      const step = nextStep(this, p);
      const m = stateBuffer(this, p, 'exp_avg');
      const v = stateBuffer(this, p, 'exp_avg_sq');
      const vmax = h.amsgrad ? stateBuffer(this, p, 'max_exp_avg_sq') : null;
      const stepSize = lr / (1 - beta1 ** step);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
      // PyTorch 1.13's single-tensor Adam op by op: exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1);
      // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2); denom = (exp_avg_sq.sqrt() /
      // bias_correction2_sqrt).add_(eps); param.addcdiv_(exp_avg, denom, value=-step_size). Scalars are cast to
      // the dtype; add with alpha and addcmul's last multiply are fused multiply-adds (float32: fround of the
      // exact double); addcdiv divides, then adds. Checked bit for bit against PyTorch (exactness.test.ts).
      const f32 = w instanceof Float32Array;
      const b1 = rnd(f32, beta1);
      const a1 = rnd(f32, 1 - beta1);
      const b2 = rnd(f32, beta2);
      const a2 = rnd(f32, 1 - beta2);
      const bc = rnd(f32, bc2Sqrt);
      const ep = rnd(f32, eps);
      const negStep = rnd(f32, -stepSize);
      for (let i = 0; i < w.length; i++) {
        m[i] = rnd(f32, rnd(f32, m[i] * b1) + g[i] * a1);
        v[i] = rnd(f32, rnd(f32, v[i] * b2) + rnd(f32, a2 * g[i]) * g[i]);
        let second = v[i];
        if (vmax) second = vmax[i] = Math.max(vmax[i], v[i]);
        const denom = rnd(f32, rnd(f32, rnd(f32, Math.sqrt(second)) / bc) + ep);
        w[i] = rnd(f32, w[i] + rnd(f32, rnd(f32, negStep * m[i]) / denom));
      }
      p.version.v++;
      updated.push(p);
    }
  }
}

/**
 * torch.optim.AdamW (PyTorch 1.13's single-tensor _single_tensor_adamw): param.mul_(1 - lr * weight_decay) first
 * (the scalar cast to the dtype), then Adam's step without weight decay in the gradient. weight_decay defaults to 0.01.
 */
export class AdamW extends Adam {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput>, o: AdamOptions = {}) {
    super(params, { ...o, weightDecay: o.weightDecay ?? 1e-2 }, 'AdamW');
  }

  protected override update(group: ParamGroup, updated: Tensor[]): void {
    const h = group.options;
    const decay = 1 - +h.lr * +h.weight_decay;
    for (const p of group.params) {
      if (!p.grad) continue;
      const w = p.data as Floats;
      const f32 = w instanceof Float32Array;
      const k = rnd(f32, decay);
      for (let i = 0; i < w.length; i++) w[i] = rnd(f32, w[i] * k);
    }
    const wd = h.weight_decay;
    h.weight_decay = 0;
    try {
      super.update(group, updated);
    } finally {
      h.weight_decay = wd;
    }
  }
}

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

/**
 * torch.optim.Adagrad (PyTorch 1.13's _single_tensor_adagrad): clr = lr / (1 + (step - 1) * lr_decay);
 * state_sum.addcmul_(grad, grad, value=1); param.addcdiv_(grad, state_sum.sqrt().add_(eps), value=-clr).
 */
export class Adagrad extends Optimizer {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput>, o: AdagradOptions = {}) {
    const d = {
      lr: o.lr ?? 1e-2, lr_decay: o.lrDecay ?? 0, weight_decay: o.weightDecay ?? 0,
      initial_accumulator_value: o.initialAccumulatorValue ?? 0, eps: o.eps ?? 1e-10, maximize: o.maximize ?? false,
    };
    check(d.lr >= 0, `Invalid learning rate: ${d.lr}`);
    check(d.lr_decay >= 0, `Invalid lr_decay value: ${d.lr_decay}`);
    check(d.weight_decay >= 0, `Invalid weight_decay value: ${d.weight_decay}`);
    check(d.initial_accumulator_value >= 0, `Invalid initial_accumulator_value value: ${d.initial_accumulator_value}`);
    check(d.eps >= 0, `Invalid epsilon value: ${d.eps}`);
    super('Adagrad', params, d);
  }

  protected update(group: ParamGroup, updated: Tensor[]): void {
    const h = group.options;
    const [lr, lrDecay, eps, init] = [+h.lr, +h.lr_decay, +h.eps, +h.initial_accumulator_value];
    for (const p of group.params) {
      if (!p.grad) continue;
      const w = p.data as Floats;
      const f32 = w instanceof Float32Array;
      const fresh = !this.state.get(p)?.has('sum');
      const sum = stateBuffer(this, p, 'sum');
      if (fresh) sum.fill(rnd(f32, init));
      const g = effectiveGrad(p, !!h.maximize, +h.weight_decay);
      const step = nextStep(this, p);
      const negClr = rnd(f32, -(lr / (1 + (step - 1) * lrDecay)));
      const ep = rnd(f32, eps);
      for (let i = 0; i < w.length; i++) {
        sum[i] = rnd(f32, sum[i] + g[i] * g[i]);
        const std = rnd(f32, rnd(f32, Math.sqrt(sum[i])) + ep);
        w[i] = rnd(f32, w[i] + rnd(f32, rnd(f32, negClr * g[i]) / std));
      }
      p.version.v++;
      updated.push(p);
    }
  }
}
