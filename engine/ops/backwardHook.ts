// BackwardHookFunction: the autograd Function PyTorch 1.13 wraps a module's inputs and outputs in when the module
// has a full backward hook (torch/nn/modules/_functions.py). Forward returns its tensor arguments as they are
// (each output a view of its input, sharing storage and version counter); backward returns the output gradients
// as they are. One node, BackwardHookFunctionBackward, with one output per tensor argument; an argument that does
// not require grad gives an output that does not either (mark_non_differentiable) and a None in next_functions.
import { engine } from '../context';
import { Tensor, zerosOf } from '../tensor';
import { edgeOf, GradNode, identitySlots } from '../autograd/node';
import { defineOp, emitOp, linkView, multiNodeOp, type MultiOutputDef } from './define';

/** One output: its input as it is (a view of it). */
const backwardHookOutputOp = defineOp({
  name: 'BackwardHookFunction', label: 'backward hook', gradFn: 'BackwardHookFunctionBackward', inputs: ['args'],
  formulas: { args: 'grad' }, saves: [],
  forward: ([x]) => {
    const out = new Tensor(x.data, x.shape.slice(), x.dtype, x.version);
    if (x.strides) out.strides = x.strides;
    return out;
  },
  backward: (g) => [g],
});

/**
 * The node's op. Its backward is a custom Function's: an output no gradient reached gets zeros (PyTorch
 * materializes them before calling backward), so every input gets a gradient once the node runs.
 */
export const backwardHookFunctionDef: MultiOutputDef & { materializesGrads: true } = {
  name: 'BackwardHookFunction', label: 'backward hook', gradFn: 'BackwardHookFunctionBackward', inputs: ['args'],
  formulas: { args: 'grad' }, saves: [],
  materializesGrads: true,
  backward: (grads, ctx) => grads.map((g, k) => g ?? zerosOf(ctx.inputs[k])),
  recordedBackward: (grads, ctx) => grads.map((g, k) => g ?? zerosOf(ctx.inputs[k])),
};

/**
 * BackwardHookFunction.apply(*tensors) with grad mode on and some tensor requiring grad (the caller checks, as
 * torch/utils/hooks.py does): the outputs, and the node they share.
 */
export function backwardHookFunction(tensors: Tensor[]): { outputs: Tensor[]; node: GradNode } {
  const outputs = tensors.map((x) => {
    const out = backwardHookOutputOp.forward([x], {}) as Tensor;
    if (x.viewOf) linkView(backwardHookOutputOp, x, out, {});
    return out;
  });
  const next = tensors.map(edgeOf);
  const node = new GradNode(
    backwardHookFunctionDef.gradFn, multiNodeOp(backwardHookFunctionDef), next, outputs[0].id,
    { inputs: tensors, result: outputs[0], attrs: {}, saved: undefined }, null, identitySlots(tensors.length),
  );
  node.outputs = outputs.map((o, k) => ({ op: backwardHookOutputOp, ctx: { inputs: [tensors[k]], result: o, attrs: {}, saved: undefined } }));
  outputs.forEach((o, k) => {
    if (!tensors[k].requiresGrad) return;
    o.requiresGrad = true;
    o.gradFn = node;
    o.outputNr = k;
  });
  if (engine.events.active) outputs.forEach((o, k) => emitOp(backwardHookOutputOp, tensors, o, {}, o.gradFn ? node : null, o.gradFn ? k : undefined));
  return { outputs, node };
}
