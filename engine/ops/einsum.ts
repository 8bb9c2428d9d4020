// torch.einsum, as PyTorch 1.13 computes it (aten/src/ATen/native/Linear.cpp), so that its values and its
// graph are PyTorch's: every operand is aligned to one dim order (diagonals for repeated labels, unsqueezes
// for missing ones, a permute), then the operands are contracted left to right, each pair through
// sumproduct_pair (permute, reshape, bmm, view, permute), and the contracted dims are viewed away at the end
// (or summed, for one operand). Without opt_einsum, which Debian's PyTorch does not have, 1.13 always goes
// left to right.
import { runtimeError } from '../context';
import type { Tensor } from '../tensor';
import { mul } from './arith';
import { bmm } from './linalg';
import { diagonal } from './more';
import { sum } from './reduce';
import { inversePerm, movedim, permute, reshape, unsqueeze, view } from './shape';

const LETTERS = 26;
const TOTAL_LABELS = 2 * LETTERS;
/** The ellipsis among an operand's labels. */
const ELLIPSIS = TOTAL_LABELS;

/** A label's index: A-Z are 0-25, a-z are 26-51 (so an implicit output lists capitals first). */
const subscriptOf = (c: string): number => (c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 65 : c.charCodeAt(0) - 97 + LETTERS);
const labelOf = (s: number): string => String.fromCharCode(s < LETTERS ? s + 65 : s - LETTERS + 97);
const isLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);

function check(ok: boolean, message: () => string): void {
  if (!ok) throw runtimeError(message());
}

/** einsum(equation, operands). */
export function einsum(equation: string, operands: Tensor[]): Tensor {
  check(operands.length > 0, () => 'einsum(): must provide at least one operand');
  const numOps = operands.length;
  const arrow = equation.indexOf('->');
  const lhs = arrow < 0 ? equation : equation.slice(0, arrow);

  // 1. Each operand's labels (ELLIPSIS for "...").
  const opLabels: number[][] = Array.from({ length: numOps }, () => []);
  let ellInInput = false;
  let curr = 0;
  for (let i = 0; i < lhs.length; i++) {
    const c = lhs[i];
    if (c === ' ') continue;
    if (c === '.') {
      check(!ellInInput, () => `einsum(): found '.' for operand ${curr} for which an ellipsis was already found`);
      check(i + 2 < lhs.length && lhs[++i] === '.' && lhs[++i] === '.', () => `einsum(): found '.' for operand ${curr} that is not part of any ellipsis`);
      opLabels[curr].push(ELLIPSIS);
      ellInInput = true;
    } else if (c === ',') {
      curr++;
      check(curr < numOps, () => 'einsum(): fewer operands were provided than specified in the equation');
      ellInInput = false;
    } else {
      check(isLetter(c), () => `einsum(): invalid subscript given at index ${i} in the equation string, subscripts must be in [a-zA-Z]`);
      opLabels[curr].push(subscriptOf(c));
    }
  }
  check(curr === numOps - 1, () => 'einsum(): more operands were provided than specified in the equation');

  // 2. How often each label occurs, and the most dims any ellipsis covers.
  const labelCount = new Array<number>(TOTAL_LABELS).fill(0);
  let ellNumDim = 0;
  operands.forEach((op, i) => {
    let nlabels = opLabels[i].length;
    let hasEllipsis = false;
    for (const l of opLabels[i]) {
      if (l === ELLIPSIS) {
        nlabels--;
        hasEllipsis = true;
        ellNumDim = Math.max(ellNumDim, op.ndim - nlabels);
      } else labelCount[l]++;
    }
    check(hasEllipsis ? nlabels <= op.ndim : nlabels === op.ndim, () =>
      `einsum(): the number of subscripts in the equation (${nlabels}) ${hasEllipsis ? 'is more than the number of dimensions (' : 'does not match the number of dimensions ('}` +
      `${op.ndim}) for operand ${i}${hasEllipsis ? '' : ' and no ellipsis was given'}`);
  });

  // 3. Where each label goes: the output's dims first, then the contracted ones.
  const permIndexOf = new Array<number>(TOTAL_LABELS).fill(-1);
  let permIndex = 0;
  let ellIndex = 0;
  let ellInOutput = false;
  if (arrow < 0) {
    // Implicit output: the ellipsis dims, then the labels seen once, in order.
    permIndex = ellNumDim;
    ellInOutput = true;
    for (let l = 0; l < TOTAL_LABELS; l++) if (labelCount[l] === 1) permIndexOf[l] = permIndex++;
  } else {
    const rhs = equation.slice(arrow + 2);
    for (let i = 0; i < rhs.length; i++) {
      const c = rhs[i];
      if (c === ' ') continue;
      if (c === '.') {
        check(!ellInOutput, () => "einsum(): found '.' for output but an ellipsis (...) was already found");
        check(i + 2 < rhs.length && rhs[++i] === '.' && rhs[++i] === '.', () => "einsum(): found '.' for output that is not part of any ellipsis (...)");
        ellIndex = permIndex;
        permIndex += ellNumDim;
        ellInOutput = true;
      } else {
        check(isLetter(c), () => `einsum(): invalid subscript given at index ${lhs.length + 2 + i} in the equation string, subscripts must be in [a-zA-Z]`);
        const s = subscriptOf(c);
        check(labelCount[s] > 0 && permIndexOf[s] === -1, () =>
          `einsum(): output subscript ${c}${permIndexOf[s] > -1 ? ' appears more than once in the output' : ' does not appear in the equation for any input operand'}`);
        permIndexOf[s] = permIndex++;
      }
    }
  }
  const outNumDim = permIndex;
  if (!ellInOutput) {
    ellIndex = permIndex;
    permIndex += ellNumDim;
  }
  for (let l = 0; l < TOTAL_LABELS; l++) if (labelCount[l] > 0 && permIndexOf[l] === -1) permIndexOf[l] = permIndex++;

  // 4. Align every operand to that order: diagonals for repeated labels, unsqueezes for missing ones.
  const labelSize = new Array<number>(TOTAL_LABELS).fill(1);
  const ellSizes = new Array<number>(ellNumDim).fill(1);
  const dimCounts = new Array<number>(permIndex).fill(0);
  const ops: Tensor[] = [];
  operands.forEach((operand, i) => {
    let op = operand;
    const permutation = new Array<number>(permIndex).fill(-1);
    let dim = 0;
    for (const s of opLabels[i]) {
      if (s === ELLIPSIS) {
        const ndim = operand.ndim - (opLabels[i].length - 1);
        for (let j = ellNumDim - ndim; j < ellNumDim; j++) {
          if (op.shape[dim] !== 1) {
            check(ellSizes[j] === 1 || ellSizes[j] === op.shape[dim], () =>
              `einsum(): dimension ${dim} covered by ellipsis in operand ${i}has size ${op.shape[dim]} which does not broadcast with previously seen ellipsis with size ${ellSizes[j]} for the respective dimension`);
            ellSizes[j] = op.shape[dim];
            dimCounts[ellIndex + j]++;
          }
          permutation[ellIndex + j] = dim++;
        }
      } else if (permutation[permIndexOf[s]] === -1) {
        if (op.shape[dim] !== 1) {
          check(labelSize[s] === 1 || labelSize[s] === op.shape[dim], () =>
            `einsum(): subscript ${labelOf(s)} has size ${op.shape[dim]} for operand ${i} which does not broadcast with previously seen size ${labelSize[s]}`);
          labelSize[s] = op.shape[dim];
          dimCounts[permIndexOf[s]]++;
        }
        permutation[permIndexOf[s]] = dim++;
      } else {
        // A repeated label: its diagonal, moved to where the label first was.
        const prev = permutation[permIndexOf[s]];
        check(op.shape[dim] === op.shape[prev], () =>
          `einsum(): subscript ${labelOf(s)} is repeated for operand ${i} but the sizes don't match, ${op.shape[dim]} != ${op.shape[prev]}`);
        op = movedim(diagonal(op, 0, prev, dim), [op.ndim - 2], [prev]);
      }
    }
    for (let k = 0; k < permIndex; k++) {
      if (permutation[k] === -1) {
        op = unsqueeze(op, dim);
        permutation[k] = dim++;
      }
    }
    ops.push(permute(op, permutation));
  });

  // 5. Contract left to right, summing each dim as soon as no later operand has it.
  while (ops.length > 1) {
    let a = ops.shift()!;
    let b = ops.shift()!;
    const sumDims: number[] = [];
    const aDimsToSum: number[] = [];
    const bDimsToSum: number[] = [];
    for (let dim = outNumDim; dim < permIndex; dim++) {
      if (a.shape[dim] !== 1 && b.shape[dim] !== 1) {
        if (--dimCounts[dim] === 1) {
          sumDims.push(dim);
          dimCounts[dim] = 0;
        }
      } else if (dimCounts[dim] === 1) {
        if (a.shape[dim] !== 1) {
          aDimsToSum.push(dim);
          dimCounts[dim] = 0;
        } else if (b.shape[dim] !== 1) {
          bDimsToSum.push(dim);
          dimCounts[dim] = 0;
        }
      }
    }
    if (aDimsToSum.length > 0) a = sum(a, aDimsToSum, true);
    if (bDimsToSum.length > 0) b = sum(b, bDimsToSum, true);
    ops.unshift(sumproductPair(a, b, sumDims));
  }

  // 6. The contracted dims are all size 1 now (several operands) or still to sum (one operand).
  if (permIndex - outNumDim > 0) {
    if (numOps > 1) return view(ops[0], ops[0].shape.slice(0, outNumDim));
    return sum(ops[0], Array.from({ length: permIndex - outNumDim }, (_, k) => outNumDim + k));
  }
  return ops[0];
}

/**
 * (left * right).sum(sumDims, keepdim=True) by a batched matrix product: both permuted to [lro, lo, sum] and
 * [lro, sum, ro] (dims in both and the output, in left only, in right only), reshaped to 3-D, multiplied,
 * then viewed and permuted back. Both have the same number of dims (size 1 where broadcast).
 */
function sumproductPair(left0: Tensor, right0: Tensor, sumDims: number[]): Tensor {
  if (sumDims.length === 0) return mul(left0, right0);
  let left = left0;
  let right = right0;
  const dim = left.ndim;
  const summed = new Set(sumDims);
  const lro: number[] = [];
  const lo: number[] = [];
  const ro: number[] = [];
  let lroSize = 1;
  let loSize = 1;
  let roSize = 1;
  let sumSize = 1;
  for (let i = 0; i < dim; i++) {
    const sl = left.shape[i] !== 1;
    const sr = right.shape[i] !== 1;
    if (summed.has(i)) {
      if (sl && sr) {
        check(left.shape[i] === right.shape[i], () => 'non-broadcast dimensions must match');
        sumSize *= left.shape[i];
      } else if (sl) left = sum(left, i, true);
      else if (sr) right = sum(right, i, true);
    } else if (sl && sr) {
      check(left.shape[i] === right.shape[i], () => 'non-broadcast dimensions must match');
      lro.push(i);
      lroSize *= left.shape[i];
    } else if (sl) {
      lo.push(i);
      loSize *= left.shape[i];
    } else {
      ro.push(i);
      roSize *= right.shape[i];
    }
  }
  const outSize = [...lro.map((d) => left.shape[d]), ...lo.map((d) => left.shape[d]), ...sumDims.map(() => 1), ...ro.map((d) => right.shape[d])];
  const lperm = [...lro, ...lo, ...sumDims, ...ro];
  const rperm = [...lro, ...sumDims, ...ro, ...lo];
  const operm = inversePerm(lperm);
  const l3 = reshape(permute(left, lperm), [lroSize, loSize, sumSize]);
  const r3 = reshape(permute(right, rperm), [lroSize, sumSize, roSize]);
  return permute(view(bmm(l3, r3), outSize), operm);
}
