// Words for the current step (the timeline's caption). Pure.
import type { Frame } from '../store/frame';
import type { RunModel } from '../store/types';
import { outputName, tensorLabel } from '../graph/buildGraph';
import { formatConstant, formatValue, hookNote } from '../format';

export function stepCaption(run: RunModel, f: Frame): string {
  const s = f.step;
  if (!s) {
    if (f.total === 0) return run.error ? 'Nothing was recorded before the error.' : 'Nothing to step through.';
    return 'Start: the leaves exist; no op has run yet.';
  }
  if (s.kind === 'forward') {
    const op = run.ops[s.op];
    const t = run.tensors[op.tensor];
    const args = op.inputs.map((i) => (i.tensor === null ? formatConstant(i.constant ?? 'NaN') : tensorLabel(run, run.tensors[i.tensor]))).join(', ');
    const name = t?.name ? `${t.name} = ` : '';
    const how = !op.gradMode ? ' (under no_grad: not recorded)' : op.gradFn ? `, grad_fn=${op.gradFn.name}` : '';
    return `${name}${op.op}(${args}) → ${formatValue(t.values[0].value)}${how}`;
  }
  if (s.kind === 'inplace') {
    const ip = run.inplaces[s.inplace];
    const t = run.tensors[ip.tensor];
    return `${tensorLabel(run, t)} ${ip.label} … → ${formatValue(ip.value)}${ip.recorded ? '' : ' (under no_grad: not recorded)'}`;
  }
  const x = run.backwards[s.backward].execs[s.exec];
  const e = x.exec;
  if (e.name === 'AccumulateGrad') {
    const leaf = tensorLabel(run, run.tensors[e.tensor]);
    const acc = x.accumulates[0];
    const hook = e.hooks ? ` (${hookNote(e.hooks.before, e.gradOutput)})` : '';
    if (acc?.accumulated) return `AccumulateGrad: ${leaf}.grad += ${formatValue(acc.incoming)} → ${formatValue(acc.total)}${hook}`;
    if (acc) return `AccumulateGrad: ${leaf}.grad = ${formatValue(acc.total)}${hook}`;
    // torch.autograd.grad: the gradient is returned, and no .grad changes.
    return `AccumulateGrad: ${leaf}'s gradient ${formatValue(e.gradOutput)} is returned by autograd.grad; ${leaf}.grad is unchanged${hook}`;
  }
  const sum = e.contributions.length > 1 ? ` (sum of ${e.contributions.length} contributions)` : '';
  const outs = e.gradInputs
    .filter((g) => g.to !== null && g.value)
    .map((g) => `${formatValue(g.value!)} → ${run.gradNodes[g.to!]?.name ?? 'node'}`)
    .join(', ');
  if (e.outputs) {
    // One node for several outputs (chunk's pieces, std_mean): each output's gradient; none is zeros.
    const each = e.outputs.map((o, k) => `${outputName(run, o.tensor, k)} ${o.value ? formatValue(o.value) : 'none (zeros)'}`).join(', ');
    return `${e.name} received grads ${each}${e.hooks ? ' (after hooks)' : ''}${outs ? `; sends ${outs}` : ''}`;
  }
  if (e.hooks) {
    // In the order it happened: the summed gradient, then what the hook made of it, then what was sent.
    const after = formatValue(e.gradOutput);
    const hook = formatValue(e.hooks.before) === after ? 'a hook ran on it and kept it' : `a hook changed it to ${after}`;
    return `${e.name} received grad ${formatValue(e.hooks.before)}${sum}; ${hook}${outs ? `; sends ${outs}` : ''}`;
  }
  return `${e.name} received grad ${formatValue(e.gradOutput)}${sum}${outs ? `; sends ${outs}` : ''}`;
}
