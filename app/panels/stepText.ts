// Words for the current step (the timeline's caption). Pure: English unless given the UI's translator.
import type { Frame } from '../store/frame';
import type { RunModel } from '../store/types';
import { outputName, tensorLabel } from '../graph/buildGraph';
import { formatConstant, formatValue } from '../format';
import { english, type Tr } from '../i18n';

/** What a hook (register_hook) made of a gradient: kept it, or changed it (to `after`, or from `before`). */
export function hookNote(before: string, after: string, changedTo = false, t: Tr = english): string {
  return before === after ? t('a hook ran on it and kept it') : changedTo ? t('a hook changed it to {0}', after) : t('a hook changed it from {0}', before);
}

export function stepCaption(run: RunModel, f: Frame, t: Tr = english): string {
  const s = f.step;
  if (!s) {
    if (f.total === 0) return t(run.error ? 'Nothing was recorded before the error.' : 'Nothing to step through.');
    return t('Start: the leaves exist; no op has run yet.');
  }
  const unrecorded = ` ${t('(under no_grad: not recorded)')}`;
  if (s.kind === 'forward') {
    const op = run.ops[s.op];
    const tensor = run.tensors[op.tensor];
    const args = op.inputs.map((i) => (i.tensor === null ? formatConstant(i.constant ?? 'NaN') : tensorLabel(run, run.tensors[i.tensor]))).join(', ');
    const name = tensor?.name ? `${tensor.name} = ` : '';
    const how = !op.gradMode ? unrecorded : op.gradFn ? `, grad_fn=${op.gradFn.name}` : '';
    return `${name}${op.op}(${args}) → ${formatValue(tensor.values[0].value)}${how}`;
  }
  if (s.kind === 'inplace') {
    const ip = run.inplaces[s.inplace];
    return `${tensorLabel(run, run.tensors[ip.tensor])} ${ip.label} … → ${formatValue(ip.value)}${ip.recorded ? '' : unrecorded}`;
  }
  const x = run.backwards[s.backward].execs[s.exec];
  const e = x.exec;
  if (e.name === 'AccumulateGrad') {
    const leaf = tensorLabel(run, run.tensors[e.tensor]);
    const acc = x.accumulates[0];
    const hook = e.hooks ? ` (${hookNote(formatValue(e.hooks.before), formatValue(e.gradOutput), false, t)})` : '';
    if (acc?.accumulated) return `AccumulateGrad: ${leaf}.grad += ${formatValue(acc.incoming)} → ${formatValue(acc.total)}${hook}`;
    if (acc) return `AccumulateGrad: ${leaf}.grad = ${formatValue(acc.total)}${hook}`;
    // torch.autograd.grad: the gradient is returned, and no .grad changes.
    return t("AccumulateGrad: {0}'s gradient {1} is returned by autograd.grad; {0}.grad is unchanged", leaf, formatValue(e.gradOutput)) + hook;
  }
  // A hook after the node (a module's backward hook, grad_fn.register_hook) may have replaced what it sends.
  const changedAfter = (slot: number, sent: string): string => {
    const before = e.postHooks?.before[slot];
    if (!before) return '';
    const was = formatValue(before);
    return was === sent ? '' : ` (${t('a hook after the node changed it from {0}', was)})`;
  };
  const outs = e.gradInputs
    .filter((g) => g.to !== null && g.value)
    .map((g) => {
      const sent = formatValue(g.value!);
      return `${sent} → ${run.gradNodes[g.to!]?.name ?? 'node'}${changedAfter(g.slot, sent)}`;
    })
    .join(', ');
  if (e.outputs) {
    // One node for several outputs (chunk's pieces, std_mean): each output's gradient; none is zeros.
    const each = e.outputs.map((o, k) => `${outputName(run, o.tensor, k)} ${o.value ? formatValue(o.value) : t('none (zeros)')}`).join(', ');
    if (e.hooks) return outs ? t('{0} received grads {1} (after hooks); sends {2}', e.name, each, outs) : t('{0} received grads {1} (after hooks)', e.name, each);
    return outs ? t('{0} received grads {1}; sends {2}', e.name, each, outs) : t('{0} received grads {1}', e.name, each);
  }
  const many = e.contributions.length > 1 ? e.contributions.length : 0;
  if (e.hooks) {
    // In the order it happened: the summed gradient, then what the hook made of it, then what was sent.
    const before = formatValue(e.hooks.before);
    const hook = hookNote(before, formatValue(e.gradOutput), true, t);
    if (many)
      return outs
        ? t('{0} received grad {1} (sum of {2} contributions); {3}; sends {4}', e.name, before, many, hook, outs)
        : t('{0} received grad {1} (sum of {2} contributions); {3}', e.name, before, many, hook);
    return outs ? t('{0} received grad {1}; {2}; sends {3}', e.name, before, hook, outs) : t('{0} received grad {1}; {2}', e.name, before, hook);
  }
  const grad = formatValue(e.gradOutput);
  if (many)
    return outs
      ? t('{0} received grad {1} (sum of {2} contributions); sends {3}', e.name, grad, many, outs)
      : t('{0} received grad {1} (sum of {2} contributions)', e.name, grad, many);
  return outs ? t('{0} received grad {1}; sends {2}', e.name, grad, outs) : t('{0} received grad {1}', e.name, grad);
}
