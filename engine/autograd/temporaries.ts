// Temporaries of arithmetic expressions: `a + b * x` makes `b * x`, which only the addition ever sees.
// When the language proves a tensor is such a temporary (see Interpreter.compileArith), the engine may
// reuse its storage once the consuming op is done, unless autograd still needs it; when autograd saved it
// (for its own node or the consumer's), once backward has freed that node.
import { releaseStorage } from '../dtype';
import type { Tensor } from '../tensor';
import type { GradNode } from './node';

/** Releases `temp`'s storage after `consumer` (the op that took it as an input) has been computed. */
export function releaseTemporary(temp: Tensor, consumer: Tensor): void {
  if (temp === consumer || temp.data === consumer.data || temp.retainsGrad) return;
  let holder: GradNode | null = null;
  // Its own grad node may keep it as its result (PowBackward1 does).
  const own = temp.gradFn;
  if (own?.op && own.op.saves.includes('result')) holder = own;
  // The consumer's node may have saved it as an input (MulBackward0 saves both).
  const node = consumer.gradFn;
  if (node?.op && node.ctx) {
    const names = node.op.inputs;
    const saves = node.op.saves;
    const inputs = node.ctx.inputs;
    // A composite consumer (several nodes) could hold it in a node further in: only direct inputs are safe.
    if (!inputs.includes(temp)) return;
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i] === temp && saves.includes(names[i] ?? '')) {
        if (holder !== null && holder !== node) return;
        holder = node;
      }
    }
  }
  if (holder === null) releaseStorage(temp.data);
  else if (!holder.op!.runsUserCode) (holder.freeOnRelease ??= []).push(temp.data);
}
