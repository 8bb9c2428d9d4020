// Selection by mask: where, masked_fill.
import { allocStorage, checkScalarFits, isIntegral, resultType, copyStorage } from '../dtype';
import { runtimeError } from '../context';
import { Tensor, numelOf } from '../tensor';
import { broadcastIndex } from '../kernels/elementwise';
import { apply, defineOp } from './define';
import { broadcastShapes, asTensor, type Operand } from './arith';
import { expand } from './shape';

function broadcast3(c: Tensor, a: Tensor, b: Tensor): { shape: number[]; ic: Int32Array; ia: Int32Array; ib: Int32Array } {
  const shape = broadcastShapes(broadcastShapes(c.shape, a.shape), b.shape);
  const { ia: ic } = broadcastIndex(c.shape, shape, shape);
  const { ia } = broadcastIndex(a.shape, shape, shape);
  const { ia: ib } = broadcastIndex(b.shape, shape, shape);
  return { shape, ic, ia, ib };
}

export const whereOp = defineOp({
  name: 'where', label: 'where', gradFn: 'WhereBackward0', inputs: ['condition', 'self', 'other'], nonDifferentiable: [0],
  formulas: { self: 'where(condition, grad, 0)', other: 'where(condition, 0, grad)' }, saves: ['condition'],
  forward: ([c, a, b]) => {
    if (c.dtype !== 'bool') throw runtimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${c.dtype === 'float32' ? 'Float' : c.dtype === 'float64' ? 'Double' : 'Long'}`);
    const dtype = resultType([
      { dtype: a.dtype, zeroDim: a.ndim === 0, wrappedNumber: a.isWrappedNumber },
      { dtype: b.dtype, zeroDim: b.ndim === 0, wrappedNumber: b.isWrappedNumber },
    ]);
    const { shape, ic, ia, ib } = broadcast3(c, a, b);
    const out = new Tensor(allocStorage(dtype, numelOf(shape)), shape, dtype);
    for (let i = 0; i < out.data.length; i++) out.data[i] = c.data[ic[i]] ? a.data[ia[i]] : b.data[ib[i]];
    return out;
  },
  backward: (g, { inputs: [c, a, b] }, n) => {
    const { shape, ic } = broadcast3(c, a, b);
    const ga = n[1] ? new Tensor(allocStorage(g.dtype, g.data.length), shape, g.dtype) : null;
    const gb = n[2] ? new Tensor(allocStorage(g.dtype, g.data.length), shape, g.dtype) : null;
    for (let i = 0; i < g.data.length; i++) {
      if (c.data[ic[i]]) {
        if (ga) ga.data[i] = g.data[i];
      } else if (gb) gb.data[i] = g.data[i];
    }
    return [null, ga, gb];
  },
});

export const where = (condition: Tensor, self: Operand, other: Operand): Tensor => apply(whereOp, [condition, asTensor(self), asTensor(other)], {});

export const maskedFillOp = defineOp<{ value: number }>({
  name: 'masked_fill', label: 'masked_fill', gradFn: 'MaskedFillBackward0', inputs: ['self', 'mask'], nonDifferentiable: [1],
  formulas: { self: 'grad.masked_fill(mask, 0)' }, saves: ['mask'],
  forward: ([x, m], { value }) => {
    // An integer mask is taken as PyTorch 1.13.1 takes it (with a deprecation warning on stderr): nonzero fills.
    if (m.dtype !== 'bool' && !isIntegral(m.dtype)) throw runtimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${m.dtype === 'int64' ? 'long int' : m.dtype === 'int32' ? 'int' : m.dtype}`);
    const { ia: im } = broadcastIndex(m.shape, x.shape, x.shape);
    const out = new Tensor(copyStorage(x.data), x.shape.slice(), x.dtype);
    for (let i = 0; i < out.data.length; i++) if (m.data[im[i]]) out.data[i] = value;
    return out;
  },
  backward: (g, { inputs: [x, m] }, n) => {
    if (!n[0]) return [null, null];
    const { ia: im } = broadcastIndex(m.shape, x.shape, x.shape);
    const out = new Tensor(copyStorage(g.data), g.shape.slice(), g.dtype);
    for (let i = 0; i < out.data.length; i++) if (m.data[im[i]]) out.data[i] = 0;
    return [out, null];
  },
});
/** x.masked_fill(mask, v): the mask broadcasts with x (PyTorch's expand_outplace(mask, self), so its error names the mask first). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkScalarFits(value, x.dtype);
  const shape = broadcastShapes(mask.shape, x.shape);
  if (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i])) x = expand(x, shape);
  return apply(maskedFillOp, [x, mask], { value });
}
