// torch functions and Tensor methods found missing by a probe of torch's namespace against real PyTorch 1.13:
// the ops of ../../ops/extra, the composites PyTorch builds from other ops (tile is repeat, hstack is cat, diff
// is slices and a sub, repeat_interleave is index_select, meshgrid is views and expands: recorded as PyTorch
// records them), the predicates (isnan, isclose, ...), and torch.linalg's norms, torch.finfo/iinfo,
// torch.backends and torch.inference_mode.
import * as E from '../../index';
import { Tensor } from '../../tensor';
import { runtimeError } from '../../context';
import { PyError } from '../errors';
import { allocStorage, isFloating, isIntegral, type DType } from '../../dtype';
import { PyList, PyModule, PyObject, PyTuple, PyFloat, type PyValue } from '../values';
import type { Runtime } from '../runtime';
import { tensorRepr } from './tensorRepr';
import { usingGenerator } from './data';
import {
  boolArg, cppDef, def, tensorList, dimsArg, optTensorArg, strArg, dtypeArg, intArg, intsArg, numArg, optNumArg, tensorArg, toTensor, typeError, pyTypeName, TorchSize,
  type Arg,
} from './common';

interface Shared {
  spec: string;
  body: (a: Arg[]) => PyValue;
}

const given = (v: Arg): boolean => v !== undefined && v !== null;
const T = (fn: string, v: Arg, name = 'input'): Tensor => tensorArg(fn, name, v);
const unary = (fn: string, f: (t: Tensor) => Tensor): Shared => ({ spec: 'input', body: ([x]) => f(T(fn, x)) });
const binary = (fn: string, f: (a: Tensor, b: Tensor) => Tensor): Shared => ({
  spec: 'input, other',
  body: ([a, b]) => f(T(fn, a), toTensor(b as PyValue, 'other')),
});

/** Ints given as `*dims` or as one sequence (x.tile(2, 1), torch.tile(x, (2, 1))). */
function varInts(fn: string, name: string, v: PyTuple): number[] {
  const items = v.items.length === 1 && (v.items[0] instanceof PyList || v.items[0] instanceof PyTuple) ? (v.items[0] as PyTuple).items : v.items;
  return items.map((i) => intArg(fn, name, i as Arg));
}

/** A predicate (isnan, ...) as an op: not recorded, its event links the input. */
const predicates = new Map<string, ReturnType<typeof E.predicateOp>>();
function predicate(name: string, x: Tensor, test: (v: number) => boolean): Tensor {
  let op = predicates.get(name);
  if (!op) predicates.set(name, (op = E.predicateOp(name, test)));
  return E.apply(op, [x], {});
}

/**
 * A tensor the binding fills itself (unique's counts, nonzero's indices, one_hot): announced once filled, so the
 * canvas shows its value.
 */
export function filled(shape: number[], dtype: DType, fill: (data: Tensor['data']) => void, origin: string): Tensor {
  const t = new Tensor(allocStorage(dtype, shape.reduce((a, b) => a * b, 1)), shape, dtype);
  fill(t.data);
  return E.created(t, origin);
}

/** The split points of tensor_split: n near-equal sections (the first size % n one longer), or the given indices. */
function tensorSplit(fn: string, x: Tensor, spec: Arg, dimArg: Arg): PyTuple {
  const d = E.normalizeDim(intArg(fn, 'dim', dimArg), Math.max(x.ndim, 1));
  const size = x.shape[d];
  let bounds: number[];
  if (spec instanceof PyList || spec instanceof PyTuple) {
    bounds = spec.items.map((v) => intArg(fn, 'indices', v as Arg));
  } else if (spec instanceof Tensor && spec.ndim === 1) {
    bounds = Array.from(spec.data);
  } else {
    const n = intArg(fn, 'sections', spec);
    if (n <= 0) throw runtimeError(`number of sections must be larger than 0, got ${n}`);
    const base = Math.floor(size / n);
    const extra = size % n;
    bounds = [];
    let at = 0;
    for (let i = 0; i < n - 1; i++) bounds.push((at += base + (i < extra ? 1 : 0)));
  }
  const pieces: Tensor[] = [];
  let start = 0;
  for (const b of [...bounds, size]) {
    const clampTo = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const s = clampTo(start);
    const e = Math.max(clampTo(b), s);
    pieces.push(E.sliceDim(x, d, s, e));
    start = b;
  }
  return new PyTuple(pieces);
}

/** hsplit/vsplit/dsplit: tensor_split along dim 1 (0 for a vector), 0, 2; an int must divide the size. */
function directionalSplit(fn: 'hsplit' | 'vsplit' | 'dsplit', x: Tensor, spec: Arg): PyTuple {
  const need = fn === 'hsplit' ? 1 : fn === 'vsplit' ? 2 : 3;
  if (x.ndim < need) {
    throw runtimeError(`torch.${fn} requires a tensor with at least ${need} dimension${need > 1 ? 's' : ''}, but got a tensor with ${x.ndim} dimension${x.ndim === 1 ? '' : 's'}!`);
  }
  const dim = fn === 'hsplit' ? (x.ndim === 1 ? 0 : 1) : fn === 'vsplit' ? 0 : 2;
  if (typeof spec === 'number' && spec !== 0 && x.shape[dim] % spec !== 0) {
    throw runtimeError(`torch.${fn} attempted to split along dimension ${dim}, but the size of the dimension ${x.shape[dim]} is not divisible by the split_size ${spec}!`);
  }
  return tensorSplit(fn, x, spec, dim);
}

/** torch.diff: n times x[1:] − x[:-1] along dim, after prepend/append (cat). */
function diff(x: Tensor, n: number, dim: number, prepend: Tensor | null, append: Tensor | null): Tensor {
  const d = E.normalizeDim(dim, Math.max(x.ndim, 1));
  let t = x;
  if (prepend || append) t = E.cat([...(prepend ? [prepend] : []), x, ...(append ? [append] : [])], d);
  for (let k = 0; k < n; k++) {
    const len = t.shape[d];
    t = t.dtype === 'bool' ? E.ne(E.sliceDim(t, d, 1, len), E.sliceDim(t, d, 0, len - 1)) : E.sub(E.sliceDim(t, d, 1, len), E.sliceDim(t, d, 0, len - 1));
  }
  return t;
}

/** repeat_interleave: index_select with each index repeated (the input flattened first when no dim). */
function repeatInterleave(x: Tensor, repeats: Arg, dim: Arg): Tensor {
  const src = dim === null || dim === undefined ? E.reshape(x, [-1]) : x;
  const d = dim === null || dim === undefined ? 0 : E.normalizeDim(intArg('repeat_interleave', 'dim', dim), Math.max(x.ndim, 1));
  const size = src.shape[d];
  const reps = repeats instanceof Tensor ? Array.from(repeats.data) : [intArg('repeat_interleave', 'repeats', repeats)];
  if (reps.length !== 1 && reps.length !== size) throw runtimeError('repeats must have the same size as input along dim');
  const idx: number[] = [];
  for (let i = 0; i < size; i++) for (let r = 0; r < (reps.length === 1 ? reps[0] : reps[i]); r++) idx.push(i);
  return E.indexSelect(src, d, E.tensor(idx, { dtype: 'int64' }));
}

export function moreShared(ret: (fn: string, values: Tensor, indices: Tensor) => PyValue): Record<string, Shared> {
  return {
    tan: unary('tan', E.tan),
    asinh: unary('asinh', E.asinh),
    arcsinh: unary('arcsinh', E.asinh),
    acosh: unary('acosh', E.acosh),
    arccosh: unary('arccosh', E.acosh),
    atanh: unary('atanh', E.atanh),
    arctanh: unary('arctanh', E.atanh),
    erfc: unary('erfc', E.erfcT),
    erfinv: unary('erfinv', E.erfinvT),
    sinc: unary('sinc', E.sinc),
    rad2deg: unary('rad2deg', E.rad2deg),
    lgamma: unary('lgamma', E.lgamma),
    // bernoulli(input): draws with input's probabilities (BernoulliBackward0); with p=: empty_like(input).bernoulli_(p),
    // no graph, as PyTorch's.
    bernoulli: {
      spec: 'input, p=None, *, generator=None, out=None',
      body: ([x, p, gen]) => usingGenerator(gen, 'bernoulli', () => {
        const t = T('bernoulli', x);
        if (!given(p)) return E.bernoulli(t);
        const v = numArg('bernoulli', 'p', p);
        E.checkDrawArgs('bernoulli_', t.dtype, v);
        return E.withoutGrad(() => E.apply(E.bernoulliScalarOp, [E.zeros(t.shape.slice(), { dtype: t.dtype })], { p: v }));
      }),
    },
    multinomial: {
      spec: 'input, num_samples, replacement=False, *, generator=None, out=None',
      body: ([x, n, r, gen]) => usingGenerator(gen, 'multinomial', () =>
        E.created(E.multinomial(T('multinomial', x), intArg('multinomial', 'num_samples', n), boolArg('multinomial', 'replacement', r)), 'multinomial')),
    },
    i0: unary('i0', E.i0),
    rot90: {
      spec: 'input, k=1, dims=None',
      body: ([x, k, d]) => E.rot90(T('rot90', x), intArg('rot90', 'k', k), given(d) ? [intsArg('rot90', 'dims', d)].flat() : [0, 1]),
    },
    kron: { spec: 'input, other', body: ([a, b]) => E.kron(T('kron', a), T('kron', b, 'other')) },
    cov: {
      spec: 'input, *, correction=1, fweights=None, aweights=None',
      body: ([x, c, fw, aw]) => {
        if (given(fw) || given(aw)) throw runtimeError('cov(fweights=..., aweights=...) is not supported in this playground');
        return E.cov(T('cov', x), intArg('cov', 'correction', c));
      },
    },
    corrcoef: unary('corrcoef', E.corrcoef),
    renorm: {
      spec: 'input, p, dim, maxnorm',
      body: ([x, p, d, m]) => E.renorm(T('renorm', x), numArg('renorm', 'p', p), intArg('renorm', 'dim', d), numArg('renorm', 'maxnorm', m)),
    },
    bincount: {
      spec: 'input, weights=None, minlength=0',
      body: ([x, w, m]) => E.bincount(T('bincount', x), given(w) ? T('bincount', w, 'weights') : null, intArg('bincount', 'minlength', m)),
    },
    histc: {
      spec: 'input, bins=100, min=0, max=0',
      body: ([x, b, lo, hi]) => E.histc(T('histc', x), intArg('histc', 'bins', b), numArg('histc', 'min', lo), numArg('histc', 'max', hi)),
    },
    digamma: unary('digamma', E.digamma),
    mvlgamma: { spec: 'input, p', body: ([x, p]) => E.mvlgamma(T('mvlgamma', x), intArg('mvlgamma', 'p', p)) },
    deg2rad: unary('deg2rad', E.deg2rad),
    logit: { spec: 'input, eps=None', body: ([x, eps]) => E.logit(T('logit', x), optNumArg('logit', 'eps', eps)) },
    logaddexp: binary('logaddexp', E.logaddexp),
    copysign: binary('copysign', E.copysign),
    addcmul: {
      spec: 'input, tensor1, tensor2, *, value=1',
      body: ([s, a, b, v]) => E.addcmul(T('addcmul', s), T('addcmul', a, 'tensor1'), T('addcmul', b, 'tensor2'), numArg('addcmul', 'value', v)),
    },
    addcdiv: {
      spec: 'input, tensor1, tensor2, *, value=1',
      body: ([s, a, b, v]) => E.addcdiv(T('addcdiv', s), T('addcdiv', a, 'tensor1'), T('addcdiv', b, 'tensor2'), numArg('addcdiv', 'value', v)),
    },
    nansum: {
      spec: 'input, dim=None, keepdim=False, *, dtype=None',
      body: ([x, d, k, t]) => {
        const dt = dtypeArg('nansum', t);
        const src = T('nansum', x);
        return E.nansum(dt ? E.toDtype(src, dt) : src, dimsArg('nansum', d), boolArg('nansum', 'keepdim', k));
      },
    },
    // nansum over the count of non-NaN elements (a constant): DivBackward0 over NansumBackward0, as PyTorch's.
    nanmean: {
      spec: 'input, dim=None, keepdim=False, *, dtype=None',
      body: ([x, d, k, t]) => {
        const src = T('nanmean', x);
        if (!isFloating(src.dtype)) throw runtimeError(`nanmean(): expected input to have floating point dtype but got ${src.dtype === 'bool' ? 'Bool' : 'Long'}`);
        const dims = dimsArg('nanmean', d);
        const kd = boolArg('nanmean', 'keepdim', k);
        const count = E.sum(E.logicalNot(predicate('isnan', src, (v) => v !== v)), dims, kd);
        const dt = dtypeArg('nanmean', t);
        return E.div(E.nansum(dt ? E.toDtype(src, dt) : src, dims, kd), count);
      },
    },
    trace: unary('trace', E.trace),
    diag: { spec: 'input, diagonal=0', body: ([x, k]) => E.diag(T('diag', x), intArg('diag', 'diagonal', k)) },
    take: { spec: 'input, index', body: ([x, i]) => E.take(T('take', x), T('take', i, 'index')) },
    kthvalue: {
      spec: 'input, k, dim=-1, keepdim=False',
      body: ([x, k, d, kd]) => {
        const [v, i] = E.kthvalue(T('kthvalue', x), intArg('kthvalue', 'k', k), intArg('kthvalue', 'dim', d), boolArg('kthvalue', 'keepdim', kd));
        return ret('kthvalue', v, i);
      },
    },
    mode: {
      spec: 'input, dim=-1, keepdim=False',
      body: ([x, d, kd]) => {
        const [v, i] = E.mode(T('mode', x), intArg('mode', 'dim', d), boolArg('mode', 'keepdim', kd));
        return ret('mode', v, i);
      },
    },
    cummax: { spec: 'input, dim', body: ([x, d]) => ret('cummax', ...E.cumExtreme(T('cummax', x), intArg('cummax', 'dim', d), true)) },
    cummin: { spec: 'input, dim', body: ([x, d]) => ret('cummin', ...E.cumExtreme(T('cummin', x), intArg('cummin', 'dim', d), false)) },
    logcumsumexp: { spec: 'input, dim', body: ([x, d]) => E.logcumsumexp(T('logcumsumexp', x), intArg('logcumsumexp', 'dim', d)) },
    scatter: {
      spec: 'input, dim, index, src=None, value=None, *, reduce=None',
      body: ([x, d, i, src, value, reduce]) => {
        if (given(reduce)) throw runtimeError('scatter with reduce= is not supported in this playground');
        const v = given(src) ? src : value;
        if (!given(v)) throw typeError('scatter() missing required argument: src or value');
        const s: Tensor | number = v instanceof Tensor ? v : numArg('scatter', 'value', v);
        return E.scatter(T('scatter', x), intArg('scatter', 'dim', d), T('scatter', i, 'index'), s);
      },
    },
    scatter_add: {
      spec: 'input, dim, index, src',
      body: ([x, d, i, s]) => E.scatterAdd(T('scatter_add', x), intArg('scatter_add', 'dim', d), T('scatter_add', i, 'index'), T('scatter_add', s, 'src')),
    },
    index_add: {
      spec: 'input, dim, index, source, *, alpha=1',
      body: ([x, d, i, s, a]) => E.indexAdd(T('index_add', x), intArg('index_add', 'dim', d), T('index_add', i, 'index'), T('index_add', s, 'source'), numArg('index_add', 'alpha', a)),
    },
    index_fill: {
      spec: 'input, dim, index, value',
      body: ([x, d, i, v]) => E.indexFill(T('index_fill', x), intArg('index_fill', 'dim', d), T('index_fill', i, 'index'), numArg('index_fill', 'value', v instanceof Tensor ? v.data[0] : v)),
    },
    cross: {
      spec: 'input, other, dim=None',
      body: ([a, b, d]) => E.cross(T('cross', a), T('cross', b, 'other'), given(d) ? intArg('cross', 'dim', d) : null),
    },
    tile: {
      spec: 'input, *dims',
      body: ([x, d]) => {
        const t = T('tile', x);
        const reps = varInts('tile', 'dims', d as PyTuple);
        // tile pads the repeats with leading 1s up to the input's dims, then is repeat.
        return E.repeat(t, [...new Array<number>(Math.max(t.ndim - reps.length, 0)).fill(1), ...reps]);
      },
    },
    broadcast_to: {
      spec: 'input, *size',
      body: ([x, s]) => E.expand(T('broadcast_to', x), varInts('broadcast_to', 'size', s as PyTuple)),
    },
    clamp_min: { spec: 'input, min', body: ([x, m]) => E.clampMin(T('clamp_min', x), numArg('clamp_min', 'min', m)) },
    clamp_max: { spec: 'input, max', body: ([x, m]) => E.clampMax(T('clamp_max', x), numArg('clamp_max', 'max', m)) },
    msort: { spec: 'input', body: ([x]) => E.sort(T('msort', x), 0, false)[0] },
    tensor_split: {
      spec: 'input, indices_or_sections, dim=0',
      body: ([x, s, d]) => tensorSplit('tensor_split', T('tensor_split', x), s, d),
    },
    hsplit: { spec: 'input, indices_or_sections', body: ([x, s]) => directionalSplit('hsplit', T('hsplit', x), s) },
    vsplit: { spec: 'input, indices_or_sections', body: ([x, s]) => directionalSplit('vsplit', T('vsplit', x), s) },
    dsplit: { spec: 'input, indices_or_sections', body: ([x, s]) => directionalSplit('dsplit', T('dsplit', x), s) },
    diff: {
      spec: 'input, n=1, dim=-1, prepend=None, append=None',
      body: ([x, n, d, p, a]) =>
        diff(T('diff', x), intArg('diff', 'n', n), intArg('diff', 'dim', d), given(p) ? T('diff', p, 'prepend') : null, given(a) ? T('diff', a, 'append') : null),
    },
    repeat_interleave: {
      spec: 'input, repeats, dim=None, *, output_size=None',
      body: ([x, r, d]) => repeatInterleave(T('repeat_interleave', x), r, d),
    },
    isnan: unary('isnan', (x) => predicate('isnan', x, (v) => v !== v)),
    isinf: unary('isinf', (x) => predicate('isinf', x, (v) => v === Infinity || v === -Infinity)),
    isposinf: unary('isposinf', (x) => predicate('isposinf', x, (v) => v === Infinity)),
    isneginf: unary('isneginf', (x) => predicate('isneginf', x, (v) => v === -Infinity)),
    isfinite: unary('isfinite', (x) => predicate('isfinite', x, (v) => Number.isFinite(v))),
    isreal: unary('isreal', (x) => predicate('isreal', x, () => true)),
    signbit: unary('signbit', (x) => predicate('signbit', x, (v) => v < 0 || Object.is(v, -0))),
    isclose: {
      spec: 'input, other, rtol=1e-05, atol=1e-08, equal_nan=False',
      body: ([a, b, r, t, n]) => E.isclose(T('isclose', a), T('isclose', b, 'other'), numArg('isclose', 'rtol', r), numArg('isclose', 'atol', t), boolArg('isclose', 'equal_nan', n)),
    },
    logical_and: binary('logical_and', (a, b) => E.logicalAnd(a, b)),
    logical_or: binary('logical_or', (a, b) => E.logicalOr(a, b)),
    logical_xor: binary('logical_xor', (a, b) => E.ne(E.ne(a, 0), E.ne(b, 0))),
    // torch.unique over the flattened input: sorted values, and optionally the inverse indices and the counts.
    unique: {
      spec: 'input, sorted=True, return_inverse=False, return_counts=False, dim=None',
      body: ([x, , inv, cnt, d]) => {
        if (given(d)) throw runtimeError('unique(dim=...) is not supported in this playground');
        const t = T('unique', x);
        const values = [...new Set(Array.from(t.data))].sort((p, q) => (p !== p ? 1 : q !== q ? -1 : p - q));
        const at = new Map(values.map((v, i) => [v, i]));
        const parts: PyValue[] = [filled([values.length], t.dtype, (d) => d.set(values), 'unique')];
        if (boolArg('unique', 'return_inverse', inv)) {
          parts.push(filled(t.shape.slice(), 'int64', (d) => t.data.forEach((v, i) => (d[i] = at.get(v)!)), 'unique'));
        }
        if (boolArg('unique', 'return_counts', cnt)) {
          parts.push(filled([values.length], 'int64', (d) => t.data.forEach((v) => d[at.get(v)!]++), 'unique'));
        }
        return parts.length === 1 ? parts[0] : new PyTuple(parts);
      },
    },
    det: unary('det', E.det),
    inverse: unary('inverse', E.inv),
    logdet: unary('logdet', E.logdet),
    slogdet: { spec: 'input', body: ([x]) => new NamedPair('slogdet', ['sign', 'logabsdet'], E.slogdet(T('slogdet', x))) },
    nonzero: {
      spec: 'input, *, as_tuple=False',
      body: ([x, tuple]) => {
        const t = T('nonzero', x);
        const hits: number[][] = [];
        const st = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
        for (let i = 0; i < t.data.length; i++) if (t.data[i]) hits.push(st.map((s, d) => Math.floor(i / s) % t.shape[d]));
        if (boolArg('nonzero', 'as_tuple', tuple)) {
          const nd = Math.max(t.ndim, 1);
          return new PyTuple(Array.from({ length: nd }, (_, d) => E.tensor(hits.map((h) => h[d] ?? 0), { dtype: 'int64' })));
        }
        return filled([hits.length, t.ndim], 'int64', (d) => d.set(hits.flat()), 'nonzero');
      },
    },
  };
}

/** Tensor methods that are not torch functions. */
export function moreMethods(): Record<string, Shared> {
  return {
    polygamma: { spec: 'input, n', body: ([x, n]) => E.polygamma(intArg('polygamma', 'n', n), T('polygamma', x)) },
    type_as: { spec: 'input, other', body: ([x, o]) => E.toDtype(T('type_as', x), T('type_as', o, 'other').dtype) },
    allclose: {
      spec: 'input, other, rtol=1e-05, atol=1e-08, equal_nan=False',
      body: ([a, b, r, t, n]) => E.isclose(T('allclose', a), T('allclose', b, 'other'), numArg('allclose', 'rtol', r), numArg('allclose', 'atol', t), boolArg('allclose', 'equal_nan', n)).data.every((v) => v === 1),
    },
    equal: {
      spec: 'input, other',
      body: ([a, b]) => {
        const x = T('equal', a);
        const y = T('equal', b, 'other');
        return x.shape.length === y.shape.length && x.shape.every((s, i) => s === y.shape[i]) && x.data.every((v, i) => v === y.data[i]);
      },
    },
  };
}


/** atleast_1d/2d/3d of one tensor: views adding dims, as PyTorch's (reshape for a scalar, unsqueeze otherwise). */
function atLeast(t: Tensor, n: 1 | 2 | 3): Tensor {
  if (t.ndim >= n) return t;
  if (t.ndim === 0) return E.reshape(t, new Array<number>(n).fill(1));
  if (n === 2) return E.unsqueeze(t, 0);
  // 3-D: a vector becomes [1, n, 1], a matrix [r, c, 1].
  return t.ndim === 1 ? E.unsqueeze(E.unsqueeze(t, 0), 2) : E.unsqueeze(t, 2);
}

const tensorReprOf = (t: Tensor): string => tensorRepr(t, { gradFn: t.gradFn ? t.gradFn.name : null });

/** torch.return_types.X(a=..., b=...): a pair with named fields (slogdet's sign and logabsdet). */
class NamedPair extends PyTuple {
  constructor(
    readonly fnName: string,
    readonly names: [string, string],
    values: [Tensor, Tensor],
  ) {
    super(values);
  }
  override get typeName(): string {
    return this.fnName;
  }
  override customRepr(): string {
    return `torch.return_types.${this.fnName}(\n${this.names.map((n, i) => `${n}=${tensorReprOf(this.items[i] as Tensor)}`).join(',\n')})`;
  }
  override pyGetattr(name: string): PyValue | undefined {
    const i = this.names.indexOf(name);
    return i >= 0 ? this.items[i] : super.pyGetattr(name);
  }
}

/** The limits torch.finfo / torch.iinfo report per dtype (floats as PyFloat, ints and bits as ints), and their repr. */
const TYPE_INFO: Partial<Record<DType, { numbers: Record<string, number>; ints: string[]; repr: string }>> = {
  float32: {
    numbers: { eps: 1.1920928955078125e-7, max: 3.4028234663852886e38, min: -3.4028234663852886e38, tiny: 1.1754943508222875e-38, smallest_normal: 1.1754943508222875e-38, resolution: 1e-6, bits: 32 },
    ints: ['bits'],
    repr: 'finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)',
  },
  float64: {
    numbers: { eps: 2.220446049250313e-16, max: Number.MAX_VALUE, min: -Number.MAX_VALUE, tiny: 2.2250738585072014e-308, smallest_normal: 2.2250738585072014e-308, resolution: 1e-15, bits: 64 },
    ints: ['bits'],
    repr: 'finfo(resolution=1e-15, min=-1.79769e+308, max=1.79769e+308, eps=2.22045e-16, smallest_normal=2.22507e-308, tiny=2.22507e-308, dtype=float64)',
  },
  int64: { numbers: { max: 9223372036854775807, min: -9223372036854775808, bits: 64 }, ints: ['max', 'min', 'bits'], repr: 'iinfo(min=-9.22337e+18, max=9.22337e+18, dtype=int64)' },
  int32: { numbers: { max: 2147483647, min: -2147483648, bits: 32 }, ints: ['max', 'min', 'bits'], repr: 'iinfo(min=-2.14748e+09, max=2.14748e+09, dtype=int32)' },
  int16: { numbers: { max: 32767, min: -32768, bits: 16 }, ints: ['max', 'min', 'bits'], repr: 'iinfo(min=-32768, max=32767, dtype=int16)' },
  int8: { numbers: { max: 127, min: -128, bits: 8 }, ints: ['max', 'min', 'bits'], repr: 'iinfo(min=-128, max=127, dtype=int8)' },
  uint8: { numbers: { max: 255, min: 0, bits: 8 }, ints: ['max', 'min', 'bits'], repr: 'iinfo(min=0, max=255, dtype=uint8)' },
};

/** torch.finfo(dtype) / torch.iinfo(dtype): a dtype's limits, as PyTorch reports them. */
class TypeInfo extends PyObject {
  constructor(
    readonly kind: 'finfo' | 'iinfo',
    readonly dtype: DType,
  ) {
    super();
  }
  get typeName(): string {
    return this.kind;
  }
  override pyGetattr(name: string): PyValue | undefined {
    const info = TYPE_INFO[this.dtype]!;
    if (name === 'dtype') return this.dtype;
    if (name in info.numbers) return info.ints.includes(name) ? info.numbers[name] : new PyFloat(info.numbers[name]);
    return super.pyGetattr(name);
  }
  override customRepr(): string {
    return TYPE_INFO[this.dtype]!.repr;
  }
}

function dtypeOf(fn: string, v: Arg): DType {
  if (v === null || v === undefined) return 'float32';
  const d = dtypeArg(fn, v);
  if (!d) throw typeError(`${fn}(): argument 'type' must be torch.dtype, not ${pyTypeName(v as PyValue)}`);
  return d;
}

/** Functions of the torch module only (not Tensor methods), and torch.linalg, torch.backends. */
export function moreTorchAttrs(rt: () => Runtime): Record<string, PyValue> {
  const stack = (fn: string, make: (ts: Tensor[]) => Tensor) => cppDef(fn, 'tensors, *, out=None', ([ts]) => make(tensorList(fn, ts, rt())));
  const vectorNorm = (fn: string, x: Tensor, ord: Arg, dim: Arg, keepdim: Arg): Tensor => {
    const p = given(ord) ? numArg(fn, 'ord', ord) : 2;
    return E.vectorNorm(x, p, given(dim) ? [intsArg(fn, 'dim', dim)].flat() : null, boolArg(fn, 'keepdim', keepdim));
  };
  const linalg = new PyModule('torch.linalg', {
    vector_norm: cppDef('linalg_vector_norm', 'input, ord=2, dim=None, keepdim=False, *, dtype=None, out=None', ([x, o, d, k]) =>
      vectorNorm('linalg_vector_norm', T('linalg_vector_norm', x), o, d, k)),
    norm: cppDef('linalg_norm', 'input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None', ([x, o, d, k]) => {
      const t = T('linalg_norm', x);
      if (given(o) && (typeof o === 'string' || (!given(d) && t.ndim === 2))) {
        if (o !== 'fro') throw runtimeError(`linalg.norm: the matrix norm ord=${typeof o === 'string' ? `'${o}'` : String(o)} is not supported in this playground`);
        return vectorNorm('linalg_norm', t, 2, d, k);
      }
      return vectorNorm('linalg_norm', t, o, d, k);
    }),
    // dim defaults to (-2, -1) (the signature parser takes no tuple default).
    matrix_norm: cppDef('linalg_matrix_norm', "input, ord='fro', dim=None, keepdim=False, *, dtype=None, out=None", ([x, o, d, k]) => {
      if (o !== 'fro') throw runtimeError(`linalg.matrix_norm: ord=${typeof o === 'string' ? `'${o}'` : String(o)} is not supported in this playground`);
      return vectorNorm('linalg_matrix_norm', T('linalg_matrix_norm', x), 2, given(d) ? d : new PyTuple([-2, -1]), k);
    }),
    det: cppDef('linalg_det', 'A, *, out=None', ([a]) => E.det(T('linalg_det', a, 'A'))),
    inv: cppDef('linalg_inv', 'A, *, out=None', ([a]) => E.inv(T('linalg_inv', a, 'A'))),
    solve: cppDef('linalg_solve', 'A, B, *, left=True, out=None', ([a, b, left]) => {
      if (left === false) throw runtimeError('linalg.solve(left=False) is not supported in this playground');
      return E.solve(T('linalg_solve', a, 'A'), T('linalg_solve', b, 'B'));
    }),
    slogdet: cppDef('linalg_slogdet', 'A, *, out=None', ([a]) => new NamedPair('linalg_slogdet', ['sign', 'logabsdet'], E.slogdet(T('linalg_slogdet', a, 'A')))),
    cross: cppDef('linalg_cross', 'input, other, *, dim=-1, out=None', ([a, b, d]) => E.cross(T('linalg_cross', a), T('linalg_cross', b, 'other'), intArg('linalg_cross', 'dim', d))),
  });
  const cudnn = new PyModule('torch.backends.cudnn', { enabled: true, benchmark: false, deterministic: false, is_available: def('is_available', '', () => false) });
  const mps = new PyModule('torch.backends.mps', { is_available: def('is_available', '', () => false), is_built: def('is_built', '', () => false) });
  const backends = new PyModule('torch.backends', { cudnn, mps });
  const F = moreFunctional();
  return {
    linalg,
    backends,
    cdist: def('cdist', "x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary'", ([a, b, p, m]) =>
      E.cdist(T('cdist', a, 'x1'), T('cdist', b, 'x2'), numArg('cdist', 'p', p), strArg('cdist', 'compute_mode', m))),
    // cartesian_prod: meshgrid's grids flattened (a copy of each expanded grid) and stacked as columns.
    cartesian_prod: def('cartesian_prod', '*tensors', ([ts]) => {
      const list = (ts as PyTuple).items.map((t, i) => T('cartesian_prod', t as Arg, `tensors[${i}]`));
      for (const t of list) if (t.ndim !== 1) throw runtimeError(`Expect a 1D vector, but got shape [${t.shape.join(', ')}]`);
      if (list.length === 1) return list[0];
      const shape = list.map((t) => t.numel);
      return E.stack(list.map((t, i) => E.reshape(E.expand(E.view(t, shape.map((_, k) => (k === i ? -1 : 1))), shape), [-1])), 1);
    }),
    // combinations: r meshgrid copies, each masked_select'ed by the strictly (or weakly) increasing index mask, stacked.
    combinations: def('combinations', 'input, r=2, with_replacement=False', ([x, rr, wr]) => {
      const t = T('combinations', x);
      const r = intArg('combinations', 'r', rr);
      if (t.ndim !== 1) throw runtimeError(`Expect a 1D vector, but got shape [${t.shape.join(', ')}]`);
      if (r < 0) throw runtimeError(`Expect a non-negative number, but got ${r}`);
      if (r === 0) return E.zeros([0], { dtype: t.dtype });
      const n = t.numel;
      const shape = new Array<number>(r).fill(n);
      const replace = boolArg('combinations', 'with_replacement', wr);
      const mask = filled(shape, 'bool', (d) => {
        const idx = new Array<number>(r).fill(0);
        for (let i = 0; i < d.length; i++) {
          let ok = true;
          for (let k = 1; k < r; k++) if (replace ? idx[k] < idx[k - 1] : idx[k] <= idx[k - 1]) ok = false;
          d[i] = ok ? 1 : 0;
          for (let k = r - 1; k >= 0 && ++idx[k] === n; k--) idx[k] = 0;
        }
      }, 'combinations');
      return E.stack(shape.map((_, i) => E.maskedSelect(E.expand(E.view(t, shape.map((_, k) => (k === i ? -1 : 1))), shape), mask)), 1);
    }),
    vander: def('vander', 'x, N=None, increasing=False', ([x, n, inc]) =>
      E.vander(T('vander', x, 'x'), given(n) ? intArg('vander', 'N', n) : null, boolArg('vander', 'increasing', inc))),
    block_diag: def('block_diag', '*tensors', ([ts]) => E.blockDiag((ts as PyTuple).items.map((t, i) => T('block_diag', t as Arg, `tensors[${i}]`)))),
    tensordot: def('tensordot', 'a, b, dims=2, out=None', ([a, b, d]) => {
      const x = T('tensordot', a, 'a');
      const y = T('tensordot', b, 'b');
      if (typeof d === 'number') {
        if (d < 0) throw runtimeError(`tensordot expects dims >= 0, but got dims=${d}`);
        return E.tensordot(x, y, Array.from({ length: d }, (_, i) => i - d), Array.from({ length: d }, (_, i) => i));
      }
      const pair = d instanceof Tensor ? [Array.from(d.data.subarray(0, d.numel / 2)), Array.from(d.data.subarray(d.numel / 2))] : (d as PyTuple).items;
      if (pair.length !== 2) throw runtimeError('tensordot expects dims to be a pair of lists of dimensions');
      const dims = pair.map((p) => [intsArg('tensordot', 'dims', p as Arg)].flat());
      return E.tensordot(x, y, dims[0], dims[1]);
    }),
    searchsorted: cppDef('searchsorted', 'sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None, out=None', ([s, v, i32, r, side, sorter]) => {
      if (given(sorter)) throw runtimeError('searchsorted(sorter=...) is not supported in this playground');
      const seq = T('searchsorted', s, 'sorted_sequence');
      const right = boolArg('searchsorted', 'right', r);
      if (given(side) && side !== 'left' && side !== 'right') throw runtimeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`);
      if (side === 'left' && right) throw runtimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
      const values = v instanceof Tensor ? v : E.full([], numArg('searchsorted', 'input', v), { dtype: seq.dtype });
      return E.searchsorted(seq, values, right || side === 'right', boolArg('searchsorted', 'out_int32', i32));
    }),
    bucketize: cppDef('bucketize', 'input, boundaries, *, out_int32=False, right=False, out=None', ([v, b, i32, r]) => {
      const bounds = T('bucketize', b, 'boundaries');
      const values = v instanceof Tensor ? v : E.full([], numArg('bucketize', 'input', v), { dtype: bounds.dtype });
      return E.bucketize(values, bounds, boolArg('bucketize', 'right', r), boolArg('bucketize', 'out_int32', i32));
    }),
    polygamma: cppDef('polygamma', 'n, input, *, out=None', ([n, x]) => E.polygamma(intArg('polygamma', 'n', n), T('polygamma', x))),
    cosine_similarity: F.cosine_similarity,
    pairwise_distance: F.pairwise_distance,
    hstack: stack('hstack', (ts) => E.cat(ts.map((t) => atLeast(t, 1)), ts.every((t) => t.ndim <= 1) ? 0 : 1)),
    vstack: stack('vstack', (ts) => E.cat(ts.map((t) => atLeast(t, 2)), 0)),
    row_stack: stack('row_stack', (ts) => E.cat(ts.map((t) => atLeast(t, 2)), 0)),
    dstack: stack('dstack', (ts) => E.cat(ts.map((t) => atLeast(t, 3)), 2)),
    // column_stack: vectors (and scalars) as columns (reshape to [n, 1]), the rest as they are, then cat on dim 1.
    column_stack: stack('column_stack', (ts) => E.cat(ts.map((t) => (t.ndim <= 1 ? E.reshape(t, [t.numel, 1]) : t)), 1)),
    atleast_1d: def('atleast_1d', '*tensors', ([ts]) => atLeastAll(ts as PyTuple, 1)),
    atleast_2d: def('atleast_2d', '*tensors', ([ts]) => atLeastAll(ts as PyTuple, 2)),
    atleast_3d: def('atleast_3d', '*tensors', ([ts]) => atLeastAll(ts as PyTuple, 3)),
    broadcast_tensors: def('broadcast_tensors', '*tensors', ([ts]) => {
      const list = (ts as PyTuple).items.map((t, i) => T('broadcast_tensors', t as Arg, `tensors[${i}]`));
      const shape = list.reduce<number[]>((s, t) => E.broadcastShapes(s, t.shape), []);
      return new PyTuple(list.map((t) => (t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]) ? t : E.expand(t, shape))));
    }),
    broadcast_shapes: def('broadcast_shapes', '*shapes', ([ss]) =>
      new TorchSize((ss as PyTuple).items.reduce<number[]>((s, v) => E.broadcastShapes(s, [intsArg('broadcast_shapes', 'shape', v as Arg)].flat()), []))),
    meshgrid: def('meshgrid', '*tensors, indexing=None', ([ts, idx]) => {
      let list = (ts as PyTuple).items as PyValue[];
      if (list.length === 1 && (list[0] instanceof PyList || list[0] instanceof PyTuple)) list = (list[0] as PyList).items;
      const tensors = list.map((t, i) => T('meshgrid', t as Arg, `tensors[${i}]`));
      const xy = idx === 'xy';
      if (given(idx) && idx !== 'ij' && idx !== 'xy') throw runtimeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(idx)}`);
      // xy swaps the first two inputs, builds ij grids, and swaps the first two outputs back, as PyTorch does.
      const order = xy && tensors.length >= 2 ? [1, 0, ...tensors.slice(2).map((_, i) => i + 2)] : tensors.map((_, i) => i);
      const ins = order.map((i) => tensors[i]);
      const shape = ins.map((t) => t.numel);
      const grids = ins.map((t, i) => {
        const view = shape.map((_, k) => (k === i ? -1 : 1));
        return E.expand(E.view(t, view), shape);
      });
      return new PyTuple(order.map((_, k) => grids[order[k]]));
    }),
    logspace: cppDef('logspace', 'start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False', ([s, e, n, b, , dt]) => {
      const lin = E.linspaceValues(numArg('logspace', 'start', s), numArg('logspace', 'end', e), intArg('logspace', 'steps', n), 'float64');
      const base = numArg('logspace', 'base', b);
      return filled([lin.numel], dtypeArg('logspace', dt) ?? 'float32', (d) => lin.data.forEach((v, i) => (d[i] = base ** v)), 'logspace');
    }),
    tril_indices: cppDef('tril_indices', 'row, col, offset=0, *, dtype=None, device=None, layout=None', ([r, c, o]) =>
      triIndices(intArg('tril_indices', 'row', r), intArg('tril_indices', 'col', c), intArg('tril_indices', 'offset', o), true)),
    triu_indices: cppDef('triu_indices', 'row, col, offset=0, *, dtype=None, device=None, layout=None', ([r, c, o]) =>
      triIndices(intArg('triu_indices', 'row', r), intArg('triu_indices', 'col', c), intArg('triu_indices', 'offset', o), false)),
    finfo: def('finfo', 'type=None', ([t]) => {
      const d = dtypeOf('finfo', t);
      if (!isFloating(d)) throw typeError('torch.finfo() requires a floating point input type. Use torch.iinfo to handle \'torch.finfo\'');
      return new TypeInfo('finfo', d);
    }),
    iinfo: def('iinfo', 'type', ([t]) => {
      const d = dtypeOf('iinfo', t);
      if (!isIntegral(d)) throw typeError('torch.iinfo() requires an integer input type. Use torch.finfo to handle \'torch.iinfo\'');
      return new TypeInfo('iinfo', d);
    }),
  };
}

/**
 * torch.special: most of its functions are torch's under other names, recorded as those (expit is sigmoid,
 * SigmoidBackward0; gammaln is lgamma; psi and digamma are digamma; multigammaln is mvlgamma); round records
 * RoundBackward1 (the decimals overload), ndtr is PyTorch's composite (1 + erf(x·√½))·½; entr and xlog1py are
 * their own ops.
 */
export function specialModule(torch: Record<string, PyValue>): PyModule {
  const alias = (name: string, torchName = name): [string, PyValue] => [name, torch[torchName]];
  return new PyModule('torch.special', {
    ...Object.fromEntries([
      alias('expit', 'sigmoid'), alias('logit'), alias('erf'), alias('erfc'), alias('erfinv'), alias('exp2'), alias('expm1'), alias('log1p'),
      alias('xlogy'), alias('sinc'), alias('logsumexp'), alias('gammaln', 'lgamma'), alias('digamma'), alias('psi', 'digamma'), alias('polygamma'),
    ]),
    multigammaln: cppDef('special_multigammaln', 'input, p, *, out=None', ([x, p]) => E.mvlgamma(T('special_multigammaln', x), intArg('special_multigammaln', 'p', p))),
    softmax: cppDef('special_softmax', 'input, dim, dtype=None', ([x, d, t]) => {
      const dt = dtypeArg('special_softmax', t);
      const src = T('special_softmax', x);
      return E.softmax(dt ? E.toDtype(src, dt) : src, intArg('special_softmax', 'dim', d));
    }),
    log_softmax: cppDef('special_log_softmax', 'input, dim, *, dtype=None', ([x, d, t]) => {
      const dt = dtypeArg('special_log_softmax', t);
      const src = T('special_log_softmax', x);
      return E.logSoftmax(dt ? E.toDtype(src, dt) : src, intArg('special_log_softmax', 'dim', d));
    }),
    round: cppDef('special_round', 'input, *, decimals=0, out=None', ([x, dec]) => {
      if (intArg('special_round', 'decimals', dec) !== 0) throw runtimeError('special.round(decimals=...) is not supported in this playground');
      return E.apply(E.roundDecimalsOp, [T('special_round', x)], {});
    }),
    ndtr: cppDef('special_ndtr', 'input, *, out=None', ([x]) => {
      const t = T('special_ndtr', x);
      return E.mulScalar(E.addScalar(E.erfT(E.mulScalar(isFloating(t.dtype) ? t : E.toDtype(t, 'float32'), Math.SQRT1_2)), 1), 0.5);
    }),
    i0: cppDef('special_i0', 'input, *, out=None', ([x]) => E.i0(T('special_i0', x))),
    i0e: cppDef('special_i0e', 'input, *, out=None', ([x]) => E.i0e(T('special_i0e', x))),
    i1: cppDef('special_i1', 'input, *, out=None', ([x]) => E.i1(T('special_i1', x))),
    i1e: cppDef('special_i1e', 'input, *, out=None', ([x]) => E.i1e(T('special_i1e', x))),
    log_ndtr: cppDef('special_log_ndtr', 'input, *, out=None', ([x]) => E.logNdtr(T('special_log_ndtr', x))),
    ndtri: cppDef('special_ndtri', 'input, *, out=None', ([x]) => E.ndtri(T('special_ndtri', x))),
    entr: cppDef('special_entr', 'input, *, out=None', ([x]) => E.entr(T('special_entr', x))),
    xlog1py: cppDef('special_xlog1py', 'input, other, *, out=None', ([a, b]) => E.xlog1py(toTensor(a as PyValue, 'input'), toTensor(b as PyValue, 'other'))),
  });
}

function atLeastAll(ts: PyTuple, n: 1 | 2 | 3): PyValue {
  let items = ts.items;
  if (items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple)) items = (items[0] as PyList).items;
  const out = items.map((t, i) => atLeast(T(`atleast_${n}d`, t as Arg, `tensors[${i}]`), n));
  return ts.items.length === 1 && out.length === 1 && !(ts.items[0] instanceof PyList || ts.items[0] instanceof PyTuple) ? out[0] : new PyTuple(out);
}

/** The [2, k] coordinates of the lower (upper) triangle with an offset, row by row. */
function triIndices(row: number, col: number, offset: number, lower: boolean): Tensor {
  const rs: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < row; i++) {
    for (let j = 0; j < col; j++) {
      if (lower ? j - i <= offset : j - i >= offset) {
        rs.push(i);
        cs.push(j);
      }
    }
  }
  return E.tensor([rs, cs], { dtype: 'int64' });
}


/** An int or a one-int tuple (kernel_size=3 or (3,)), as the 1-D functions take them. */
function int1(fn: string, name: string, v: Arg): number {
  const r = intsArg(fn, name, v);
  return Array.isArray(r) ? r[0] : r;
}

/** A 1-D op as PyTorch composes it: unsqueeze(-2), the 2-D op with a height of 1, squeeze(-2). */
const via2d = (x: Tensor, f: (t: Tensor) => Tensor): Tensor => E.squeeze(f(E.unsqueeze(x, -2)), -2);

/** torch.nn.functional's functions added here. */
export function moreFunctional(): Record<string, PyValue> {
  return {
    conv1d: cppDef('conv1d', 'input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1', ([x, w, b, s, p, d, g]) => {
      const input = T('conv1d', x);
      const weight = T('conv1d', w, 'weight');
      const bias = given(b) ? T('conv1d', b, 'bias') : null;
      const stride = int1('conv1d', 'stride', s);
      const dil = int1('conv1d', 'dilation', d);
      const groups = intArg('conv1d', 'groups', g);
      if (typeof p === 'string') {
        if (p === 'valid') return E.conv1d(input, weight, bias, stride, 0, dil, groups);
        if (p !== 'same') throw runtimeError(`Invalid padding string: '${p}'`);
        if (stride !== 1) throw runtimeError("padding='same' is not supported for strided convolutions");
        // As conv2d's 'same': the smaller half on both sides, one more on the right by constant_pad_nd when odd.
        const total = dil * (weight.shape[2] - 1);
        const left = Math.floor(total / 2);
        return E.conv1d(total % 2 ? E.pad(input, [0, 1]) : input, weight, bias, stride, left, dil, groups);
      }
      return E.conv1d(input, weight, bias, stride, int1('conv1d', 'padding', p), dil, groups);
    }),
    max_pool1d: def('max_pool1d', 'input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False', ([x, k, s, p, d, c, ri]) => {
      if (ri === true) throw runtimeError('max_pool1d(return_indices=True) is not supported in this playground');
      const kk = int1('max_pool1d', 'kernel_size', k);
      return via2d(T('max_pool1d', x), (t) => E.maxPool2d(t, [1, kk], [1, given(s) ? int1('max_pool1d', 'stride', s) : kk], [0, int1('max_pool1d', 'padding', p)], [1, int1('max_pool1d', 'dilation', d)], boolArg('max_pool1d', 'ceil_mode', c)));
    }),
    avg_pool1d: cppDef('avg_pool1d', 'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True', ([x, k, s, p, c, cip]) => {
      const kk = int1('avg_pool1d', 'kernel_size', k);
      return via2d(T('avg_pool1d', x), (t) => E.avgPool2d(t, [1, kk], [1, given(s) ? int1('avg_pool1d', 'stride', s) : kk], [0, int1('avg_pool1d', 'padding', p)], boolArg('avg_pool1d', 'count_include_pad', cip), boolArg('avg_pool1d', 'ceil_mode', c)));
    }),
    adaptive_avg_pool1d: cppDef('adaptive_avg_pool1d', 'input, output_size', ([x, o]) =>
      via2d(T('adaptive_avg_pool1d', x), (t) => E.adaptiveAvgPool2d(t, [1, int1('adaptive_avg_pool1d', 'output_size', o)]))),
    adaptive_max_pool1d: def('adaptive_max_pool1d', 'input, output_size, return_indices=False', ([x, o, ri]) => {
      if (ri === true) throw runtimeError('adaptive_max_pool1d(return_indices=True) is not supported in this playground');
      return via2d(T('adaptive_max_pool1d', x), (t) => E.adaptiveMaxPool2d(t, [1, int1('adaptive_max_pool1d', 'output_size', o)]));
    }),
    conv_transpose2d: cppDef('conv_transpose2d', 'input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1', ([x, w, b, s, p, op, g, d]) =>
      E.convTranspose2d(T('conv_transpose2d', x), T('conv_transpose2d', w, 'weight'), given(b) ? T('conv_transpose2d', b, 'bias') : null,
        intsArg('conv_transpose2d', 'stride', s), intsArg('conv_transpose2d', 'padding', p), intsArg('conv_transpose2d', 'output_padding', op), intArg('conv_transpose2d', 'groups', g), intsArg('conv_transpose2d', 'dilation', d))),
    pixel_shuffle: cppDef('pixel_shuffle', 'input, upscale_factor', ([x, r]) => E.pixelShuffle(T('pixel_shuffle', x), intArg('pixel_shuffle', 'upscale_factor', r))),
    pixel_unshuffle: cppDef('pixel_unshuffle', 'input, downscale_factor', ([x, r]) => E.pixelShuffle(T('pixel_unshuffle', x), intArg('pixel_unshuffle', 'downscale_factor', r), true)),
    prelu: cppDef('prelu', 'input, weight', ([x, w]) => E.prelu(T('prelu', x), T('prelu', w, 'weight'))),
    threshold: def('threshold', 'input, threshold, value, inplace=False', ([x, t, v]) => E.threshold(T('threshold', x), numArg('threshold', 'threshold', t), numArg('threshold', 'value', v))),
    kl_div: def('kl_div', "input, target, size_average=None, reduce=None, reduction='mean', log_target=False", ([x, t, s, r, red, lt]) => {
      const rd = strArg('kl_div', 'reduction', red);
      if (s !== null || r !== null) throw runtimeError('kl_div: size_average and reduce are deprecated; use reduction=');
      const input = T('kl_div', x);
      const target = T('kl_div', t, 'target');
      // PyTorch 1.13: exp(target) * (target - input) for log targets, else xlogy(target, target) - target * input.
      const pointwise = boolArg('kl_div', 'log_target', lt)
        ? E.mul(E.exp(target), E.sub(target, input))
        : E.sub(E.where(E.eq(target, 0), 0, E.mul(target, E.log(target))), E.mul(target, input));
      if (rd === 'none') return pointwise;
      if (rd === 'sum') return E.sum(pointwise);
      if (rd === 'batchmean') return input.ndim === 0 ? E.sum(pointwise) : E.div(E.sum(pointwise), input.shape[0]);
      if (rd === 'mean') return E.mean(pointwise);
      throw new PyError('ValueError', `${rd} is not a valid value for reduction`);
    }),
    cosine_similarity: def('cosine_similarity', 'x1, x2, dim=1, eps=1e-08', ([a, b, d, eps]) => {
      const x = T('cosine_similarity', a, 'x1');
      const y = T('cosine_similarity', b, 'x2');
      const dim = intArg('cosine_similarity', 'dim', d);
      const e = numArg('cosine_similarity', 'eps', eps);
      // 1.13: each side divided by its norm (clamped to eps), then the sum of the products.
      const xn = E.div(x, E.clamp(E.norm(x, 2, dim, true), e, null));
      const yn = E.div(y, E.clamp(E.norm(y, 2, dim, true), e, null));
      return E.sum(E.mul(xn, yn), dim);
    }),
    instance_norm: def('instance_norm', 'input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05', ([x, rm, rv, w, b, uis, , eps]) => {
      if (rm !== null || rv !== null || uis === false) throw runtimeError('instance_norm with running statistics is not supported in this playground');
      return E.instanceNorm(T('instance_norm', x), { weight: optTensorArg('instance_norm', 'weight', w), bias: optTensorArg('instance_norm', 'bias', b), eps: numArg('instance_norm', 'eps', eps) });
    }),
    // softmin is softmax of −input (NegBackward0 under SoftmaxBackward0), the implicit dim as softmax's.
    softmin: def('softmin', 'input, dim=None, _stacklevel=3, dtype=None', ([x, d, , dt]) => {
      const t = T('softmin', x);
      const dtype = dtypeArg('softmin', dt);
      return E.softmax(E.neg(dtype ? E.toDtype(t, dtype) : t), given(d) ? intArg('softmin', 'dim', d) : t.ndim === 0 || t.ndim === 1 || t.ndim === 3 ? 0 : 1);
    }),
    // ‖x1 − x2 + eps‖_p over the last dim (SubBackward0, AddBackward1, NormBackward1, as PyTorch).
    pairwise_distance: cppDef('pairwise_distance', 'x1, x2, p=2.0, eps=1e-06, keepdim=False', ([a, b, p, eps, k]) =>
      E.norm(E.addScalar(E.sub(T('pairwise_distance', a, 'x1'), T('pairwise_distance', b, 'x2')), numArg('pairwise_distance', 'eps', eps)), numArg('pairwise_distance', 'p', p), -1, boolArg('pairwise_distance', 'keepdim', k))),
    // Whole channels dropped: a [N, C, 1, 1] mask drawn as PyTorch's bernoulli_, times the input (MulBackward0).
    dropout2d: def('dropout2d', 'input, p=0.5, training=True, inplace=False', ([x, p, tr]) => {
      const t = T('dropout2d', x);
      const prob = numArg('dropout2d', 'p', p);
      if (prob < 0 || prob > 1) throw new PyError('ValueError', `dropout probability has to be between 0 and 1, but got ${prob}`);
      if (!boolArg('dropout2d', 'training', tr) || prob === 0) return t;
      const batched = t.ndim === 4;
      const maskShape = batched ? [t.shape[0], t.shape[1], 1, 1] : [t.shape[0], 1, 1];
      const noise = E.withoutGrad(() => E.dropout(E.ones(maskShape, { dtype: t.dtype }), prob, true));
      return E.mul(t, noise);
    }),
  };
}

/** F.pad's other modes. */
export function padWithMode(x: Tensor, pads: number[], mode: string): Tensor {
  if (mode === 'reflect' || mode === 'replicate') return E.padMode(x, pads, mode);
  throw runtimeError(`pad(mode='${mode}') is not supported in this playground (only 'constant', 'reflect' and 'replicate')`);
}
