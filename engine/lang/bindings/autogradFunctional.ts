// torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp, hvp, computed as PyTorch 1.13's
// torch/autograd/functional.py computes them (reverse mode, one backward per output element for the
// Jacobian; the double-backward trick for jvp and hvp), with its argument checks and messages. The tensor
// steps go through the language's own methods (view_as, detach, reshape, indexing, view), so they record
// what the same Python would record.
import { isGradEnabled, withGradMode } from '../../context';
import * as E from '../../index';
import { Tensor } from '../../tensor';
import { PyError } from '../errors';
import type { Runtime } from '../runtime';
import { PyBuiltin, PyModule, PyTuple, type PyValue } from '../values';
import { boolArg, def, numArg } from './common';

type Grads = (Tensor | null)[];

export function makeAutogradFunctional(rt: () => Runtime): PyModule {
  const m = (t: PyValue, name: string, ...args: PyValue[]) => rt().callMethod(t, name, args, null) as Tensor;
  const fail = (message: string): never => {
    throw new PyError('RuntimeError', message);
  };

  /** `_as_tuple`: a tuple of tensors, or one tensor (only a tuple counts as a tuple). */
  function asTuple(inp: PyValue, arg: string, fn: string): [boolean, Tensor[]] {
    const isTuple = inp instanceof PyTuple;
    const items = isTuple ? inp.items : [inp];
    items.forEach((el, i) => {
      if (el instanceof Tensor) return;
      const type = `<class '${rt().typeName(el)}'>`;
      throw new PyError(
        'TypeError',
        isTuple
          ? `The ${arg} given to ${fn} must be either a Tensor or a tuple of Tensors but the value at index ${i} has type ${type}.`
          : `The ${arg} given to ${fn} must be either a Tensor or a tuple of Tensors but the given ${arg} has type ${type}.`,
      );
    });
    return [isTuple, items as Tensor[]];
  }

  const preprocess = (xs: Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] =>
    xs.map((x) => (createGraph && x.requiresGrad ? m(x, 'view_as', x) : m(m(x, 'detach'), 'requires_grad_', needGraph)));

  /** `_grad_postprocess`: detached unless the caller wants the graph (nested tuples alike). */
  const postprocess = (v: PyValue, createGraph: boolean): PyValue =>
    v instanceof PyTuple ? new PyTuple(v.items.map((x) => postprocess(x, createGraph))) : v instanceof Tensor && !createGraph ? m(v, 'detach') : v;

  /** `_tuple_postprocess` with (outputs, inputs) flags: unwraps what was given as a single tensor. */
  function unpack(res: PyTuple, outputsTuple: boolean, inputsTuple?: boolean): PyValue {
    let r: PyTuple = res;
    if (inputsTuple === false) r = new PyTuple(r.items.map((el) => (el as PyTuple).items[0]));
    return outputsTuple ? r : r.items[0];
  }

  function validateV(v: Tensor[], other: Tensor[], otherTuple: boolean): void {
    if (v.length !== other.length) fail(otherTuple ? `v is a tuple of invalid length: should be ${other.length} but got ${v.length}.` : 'The given v should contain a single Tensor.');
    v.forEach((el, i) => {
      if (el.shape.join() !== other[i].shape.join()) {
        fail(`${otherTuple ? `Entry ${i} in ` : ''}v has invalid size: should be torch.Size([${other[i].shape.join(', ')}]) but got torch.Size([${el.shape.join(', ')}]).`);
      }
    });
  }

  function checkRequiresGrad(xs: Grads, type: 'outputs' | 'grad_inputs' | 'jacobian' | 'hessian', strict: boolean): void {
    if (!strict) return;
    xs.forEach((x, i) => {
      if (x === null) fail(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
      if (x!.requiresGrad) return;
      if (type === 'hessian') {
        fail(`The hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.`);
      } else if (type === 'jacobian') {
        fail(`While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).`);
      } else if (type === 'grad_inputs') {
        fail(`The gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`);
      } else {
        fail(`Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`);
      }
    });
  }

  /** `_autograd_grad`: torch.autograd.grad over the outputs that require grad (allow_unused); Nones if none do. */
  function autogradGrad(outs: Grads, ins: Tensor[], gradOutputs: Grads | null, createGraph: boolean, retainGraph?: boolean): Grads {
    const pairs = outs.flatMap((o, k) => (o !== null && o.requiresGrad ? [[o, gradOutputs ? gradOutputs[k] : null] as const] : []));
    if (pairs.length === 0) return ins.map(() => null);
    const retain = retainGraph ?? createGraph;
    let total: Grads = ins.map(() => null);
    pairs.forEach(([o, g], k) => {
      const gs = E.autogradGrad(o, ins, { gradient: g, retainGraph: k < pairs.length - 1 || retain, allowUnused: true, createGraph });
      total = total.map((t, i) => (gs[i] === null ? t : t === null ? gs[i] : E.add(t, gs[i]!)));
    });
    return total;
  }

  type Stage = 'back' | 'back_trick' | 'double_back' | 'double_back_trick';
  function fillInZeros(grads: Grads, refs: Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
    return grads.map((g, i) => {
      if (g === null) {
        if (strict) {
          if (stage === 'back') fail(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
          if (stage === 'back_trick') fail(`The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.`);
          if (stage === 'double_back') fail(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
          fail(`The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`);
        }
        return E.zerosLike(refs[i]);
      }
      if (strict && createGraph && !g.requiresGrad) {
        fail(stage.includes('double')
          ? `The hessian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`
          : `The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
      }
      return g;
    });
  }

  const call = (func: PyValue, ins: Tensor[]): PyValue => rt().call(func, ins, null);

  function jacobian(func: PyValue, inputs: PyValue, createGraph: boolean, strict: boolean): PyValue {
    return withGradMode(true, () => {
      const [inputsTuple, given] = asTuple(inputs, 'inputs', 'jacobian');
      const ins = preprocess(given, createGraph, true);
      const [outputsTuple, outs] = asTuple(call(func, ins), 'outputs of the user-provided function', 'jacobian');
      checkRequiresGrad(outs, 'outputs', strict);
      const rows = outs.map((out, i) => {
        const cols: Tensor[][] = ins.map(() => []);
        for (let j = 0; j < out.numel; j++) {
          const el = rt().getitem(m(out, 'reshape', -1), j) as Tensor;
          autogradGrad([el], ins, null, createGraph, true).forEach((g, k) => {
            if (g !== null) {
              if (strict && createGraph && !g.requiresGrad) fail(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
              cols[k].push(g);
            } else {
              if (strict) fail(`Output ${i} of the user-provided function is independent of input ${k}. This is not allowed in strict mode.`);
              cols[k].push(E.zerosLike(ins[k]));
            }
          });
        }
        return new PyTuple(cols.map((c, k) => m(E.stack(c, 0), 'view', new PyTuple([...out.shape, ...ins[k].shape]))));
      });
      return unpack(postprocess(new PyTuple(rows), createGraph) as PyTuple, outputsTuple, inputsTuple);
    });
  }

  function hessian(func: PyValue, inputs: PyValue, createGraph: boolean, strict: boolean): PyValue {
    const [inputsTuple, ins] = asTuple(inputs, 'inputs', 'hessian');
    const single = new PyBuiltin('ensure_single_output_function', (args) => {
      const out = rt().call(func, args, null);
      const [outTuple, tOut] = asTuple(out, 'outputs of the user-provided function', 'hessian');
      checkRequiresGrad(tOut, 'outputs', strict);
      if (outTuple || !(out instanceof Tensor)) fail('The function given to hessian should return a single Tensor');
      if ((out as Tensor).numel !== 1) fail('The Tensor returned by the function given to hessian should contain a single element');
      return m(out, 'squeeze');
    });
    const jacFunc = new PyBuiltin('jac_func', (args) => {
      const jac = jacobian(single, new PyTuple(args), true, strict);
      checkRequiresGrad((jac as PyTuple).items as Tensor[], 'jacobian', strict);
      return jac;
    });
    return unpack(jacobian(jacFunc, new PyTuple(ins), createGraph, strict) as PyTuple, inputsTuple, inputsTuple);
  }

  /** The vector v: given (checked against `like`), or None where `like` is one single-element tensor. */
  function vectorV(v: PyValue, fn: string, like: Tensor[], likeTuple: boolean, createGraph: boolean, noneMessage: string): Tensor[] | null {
    if (v === null) {
      if (like.length !== 1 || like[0].numel !== 1) fail(noneMessage);
      return null;
    }
    const [, vs] = asTuple(v, 'v', fn);
    const out = preprocess(vs, createGraph, false);
    validateV(out, like, likeTuple);
    return out;
  }

  const pair = (a: PyValue, b: PyValue) => new PyTuple([a, b]);
  const withGrad = <T>(createGraph: boolean, fn: () => T): T => withGradMode(createGraph ? true : isGradEnabled(), fn);

  function vjp(func: PyValue, inputs: PyValue, v: PyValue, createGraph: boolean, strict: boolean): PyValue {
    const [inputsTuple, ins, outputsTuple, outs, vs] = withGradMode(true, () => {
      const [it, given] = asTuple(inputs, 'inputs', 'vjp');
      const xs = preprocess(given, createGraph, true);
      const [ot, os] = asTuple(call(func, xs), 'outputs of the user-provided function', 'vjp');
      checkRequiresGrad(os, 'outputs', strict);
      const vv = vectorV(v, 'vjp', os, ot, createGraph, 'The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
      return [it, xs, ot, os, vv] as const;
    });
    const res = withGrad(createGraph, () => fillInZeros(autogradGrad(outs, ins, vs, createGraph), ins, strict, createGraph, 'back'));
    return pair(unpack(postprocess(new PyTuple(outs), createGraph) as PyTuple, outputsTuple), unpack(postprocess(new PyTuple(res), createGraph) as PyTuple, inputsTuple));
  }

  function jvp(func: PyValue, inputs: PyValue, v: PyValue, createGraph: boolean, strict: boolean): PyValue {
    const [outputsTuple, outs, gradInputs, gradOutputs, vs] = withGradMode(true, () => {
      const [it, given] = asTuple(inputs, 'inputs', 'jvp');
      const xs = preprocess(given, createGraph, true);
      const vv = vectorV(v, 'jvp', xs, it, createGraph, 'The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
      const [ot, os] = asTuple(call(func, xs), 'outputs of the user-provided function', 'jvp');
      checkRequiresGrad(os, 'outputs', strict);
      // The backward is linear in grad_outputs: their value does not matter, only that they require grad.
      const gos = os.map((o) => E.zerosLike(o, { requiresGrad: true }));
      const gis = autogradGrad(os, xs, gos, true);
      checkRequiresGrad(gis, 'grad_inputs', strict);
      return [ot, os, gis, gos, vv] as const;
    });
    const run = () => fillInZeros(autogradGrad(gradInputs, gradOutputs, vs, createGraph), outs, strict, createGraph, 'back_trick');
    const res = createGraph ? withGradMode(true, run) : run();
    return pair(unpack(postprocess(new PyTuple(outs), createGraph) as PyTuple, outputsTuple), unpack(postprocess(new PyTuple(res), createGraph) as PyTuple, outputsTuple));
  }

  /** vhp (v·H) and hvp (H·v, by the double-backward trick). */
  function hessianVector(fn: 'vhp' | 'hvp', func: PyValue, inputs: PyValue, v: PyValue, createGraph: boolean, strict: boolean): PyValue {
    const [inputsTuple, ins, outputsTuple, outs, vs, jac, trick] = withGradMode(true, () => {
      const [it, given] = asTuple(inputs, 'inputs', fn);
      const xs = preprocess(given, createGraph, true);
      const vv = vectorV(v, fn, xs, it, createGraph, 'The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
      const [ot, os] = asTuple(call(func, xs), 'outputs of the user-provided function', fn);
      checkRequiresGrad(os, 'outputs', strict);
      if (ot) fail(`The function given to ${fn} should return a single Tensor`);
      if (os[0].numel !== 1) fail(`The Tensor returned by the function given to ${fn} should contain a single element`);
      const j = autogradGrad(os, xs, null, true);
      checkRequiresGrad(j, 'jacobian', strict);
      if (fn === 'vhp') return [it, xs, ot, os, vv, j, null] as const;
      const gradJac = xs.map((x) => E.zerosLike(x, { requiresGrad: true }));
      const doubleBack = autogradGrad(j, xs, gradJac, true);
      checkRequiresGrad(j, 'hessian', strict);
      return [it, xs, ot, os, vv, j, { gradJac, doubleBack }] as const;
    });
    const res = withGrad(createGraph, () =>
      trick === null
        ? fillInZeros(autogradGrad(jac, ins, vs, createGraph), ins, strict, createGraph, 'double_back')
        : fillInZeros(autogradGrad(trick.doubleBack, trick.gradJac, vs, createGraph), ins, strict, createGraph, 'double_back_trick'),
    );
    return pair(unpack(postprocess(new PyTuple(outs), createGraph) as PyTuple, outputsTuple), unpack(postprocess(new PyTuple(res), createGraph) as PyTuple, inputsTuple));
  }

  /**
   * torch.autograd.gradcheck (the slow mode): the Jacobian by central differences, each input element moved
   * by ±eps in place, against the one backward computes, row by row of one-hot grad_outputs; both laid out
   * (input element, output element) as PyTorch's message prints them.
   */
  function gradcheck(func: PyValue, inputs: PyValue, eps: number, atol: number, rtol: number, raise: boolean): boolean {
    const ins = inputs instanceof Tensor ? [inputs] : rt().toArray(inputs);
    const diff = ins.flatMap((x, i) => (x instanceof Tensor && x.requiresGrad ? [[x, i] as const] : []));
    if (diff.length === 0) throw new PyError('ValueError', 'gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.');
    const run = (): Tensor[] => {
      const out = rt().call(func, ins, null);
      return (out instanceof PyTuple ? out.items : [out]).filter((o): o is Tensor => o instanceof Tensor);
    };
    const outs = run();
    // Numerical: (input numel, output numel) per (output, input), in the output's dtype.
    const numerical = outs.map((o) => diff.map(([x]) => new Float64Array(x.numel * o.numel)));
    E.noGrad(() => {
      for (let k = 0; k < diff.length; k++) {
        const x = diff[k][0];
        for (let e = 0; e < x.numel; e++) {
          const orig = x.data[e];
          x.data[e] = orig - eps;
          const a = run();
          x.data[e] = orig + eps;
          const b = run();
          x.data[e] = orig;
          outs.forEach((o, oi) => {
            const ad = a[oi].data;
            const bd = b[oi].data;
            const row = numerical[oi][k];
            // (b - a) / (2 * eps) in the output's dtype, as PyTorch computes it on tensors.
            const round = o.dtype === 'float64' ? (v: number) => v : Math.fround;
            for (let j = 0; j < o.numel; j++) row[e * o.numel + j] = round(round(bd[j] - ad[j]) / round(2 * eps));
          });
        }
      }
    });
    const mismatch = (oi: number, k: number, a: Float64Array, n: Float64Array): never | void => {
      for (let i = 0; i < a.length; i++) {
        if (!(Math.abs(a[i] - n[i]) <= atol + rtol * Math.abs(n[i]))) {
          const [x] = diff[k];
          const shape = [x.numel, outs[oi].numel];
          const num = E.reshape(E.tensor(Array.from(n), { dtype: outs[oi].dtype }), shape);
          const ana = E.reshape(E.tensor(Array.from(a), { dtype: x.dtype }), shape);
          throw new PyError('GradcheckError', `Jacobian mismatch for output ${oi} with respect to input ${k},\nnumerical:${rt().str(num)}\nanalytical:${rt().str(ana)}\n`);
        }
      }
    };
    try {
      outs.forEach((o, oi) => {
        if (!o.requiresGrad) {
          if (numerical[oi].some((n) => n.some((v) => v !== 0))) throw new PyError('GradcheckError', 'Numerical gradient for function expected to be zero');
          return;
        }
        const analytical = diff.map(([x]) => new Float64Array(x.numel * o.numel));
        for (let j = 0; j < o.numel; j++) {
          const seed = E.zerosLike(o);
          seed.data[j] = 1;
          const gs = E.autogradGrad(o, diff.map(([x]) => x), { gradient: E.reshape(seed, o.shape.slice()), retainGraph: true, allowUnused: true });
          gs.forEach((g, k) => {
            if (g === null) return;
            const gd = g.data;
            for (let e = 0; e < gd.length; e++) analytical[k][e * o.numel + j] = gd[e];
          });
        }
        analytical.forEach((a, k) => mismatch(oi, k, a, numerical[oi][k]));
      });
    } catch (e) {
      if (!raise && e instanceof PyError && e.type === 'GradcheckError') return false;
      throw e;
    }
    return true;
  }

  const flags = (fn: string, cg: unknown, st: unknown): [boolean, boolean] => [boolArg(fn, 'create_graph', cg as PyValue), boolArg(fn, 'strict', st as PyValue)];
  const gradcheckFn = def(
    'gradcheck',
    'func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True, check_sparse_nnz=False, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False, check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True, fast_mode=False',
    ([f, x, eps, atol, rtol, raise]) =>
      gradcheck(f as PyValue, x as PyValue, numArg('gradcheck', 'eps', eps), numArg('gradcheck', 'atol', atol), numArg('gradcheck', 'rtol', rtol), boolArg('gradcheck', 'raise_exception', raise)),
  );
  return new PyModule('torch.autograd.functional', {
    gradcheck: gradcheckFn,
    jacobian: def('jacobian', 'func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"', ([f, x, cg, st, vec, strat]) => {
      if (strat !== 'reverse-mode' && strat !== 'forward-mode') fail('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has more outputs than inputs, "forward-mode" tends to be more performant. Otherwise, prefer to use "reverse-mode".');
      void vec;
      return jacobian(f as PyValue, x as PyValue, ...flags('jacobian', cg, st));
    }),
    hessian: def('hessian', 'func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"', ([f, x, cg, st]) =>
      hessian(f as PyValue, x as PyValue, ...flags('hessian', cg, st))),
    vjp: def('vjp', 'func, inputs, v=None, create_graph=False, strict=False', ([f, x, v, cg, st]) => vjp(f as PyValue, x as PyValue, v as PyValue, ...flags('vjp', cg, st))),
    jvp: def('jvp', 'func, inputs, v=None, create_graph=False, strict=False', ([f, x, v, cg, st]) => jvp(f as PyValue, x as PyValue, v as PyValue, ...flags('jvp', cg, st))),
    vhp: def('vhp', 'func, inputs, v=None, create_graph=False, strict=False', ([f, x, v, cg, st]) => hessianVector('vhp', f as PyValue, x as PyValue, v as PyValue, ...flags('vhp', cg, st))),
    hvp: def('hvp', 'func, inputs, v=None, create_graph=False, strict=False', ([f, x, v, cg, st]) => hessianVector('hvp', f as PyValue, x as PyValue, v as PyValue, ...flags('hvp', cg, st))),
  });
}
