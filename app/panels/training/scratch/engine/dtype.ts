// Dtypes, storage and PyTorch's type promotion.
import type { DType } from './events';

export type { DType };
export type Storage = Float32Array | Float64Array | Uint8Array;
export type FloatStorage = Float32Array | Float64Array;

/** int64 is stored in a Float64Array: exact for |x| < 2^53, which covers every index and count a program here makes. */
let scope: Storage[] | null = null;
const free = new Map<string, Storage[]>();
export function recycling<T>(fn: () => T): T {
  const prev = scope;
  const mine: Storage[] = [];
  scope = mine;
  try {
    return fn();
  } finally {
    scope = prev;
    for (const s of mine) {
      const k = s.constructor.name + s.length;
      let l = free.get(k);
      if (!l) free.set(k, (l = []));
      l.push(s);
    }
  }
}
export function allocStorage(dtype: DType, n: number): Storage {
  if (scope) {
    const k = (dtype === 'float32' ? 'Float32Array' : dtype === 'bool' ? 'Uint8Array' : 'Float64Array') + n;
    const l = free.get(k);
    const s = l && l.pop();
    const out = s ? (s.fill(0), s) : allocRaw(dtype, n);
    scope.push(out);
    return out;
  }
  return allocRaw(dtype, n);
}
function allocRaw(dtype: DType, n: number): Storage {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
    case 'int64':
      return new Float64Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';

export const DEFAULT_FLOAT: DType = 'float32';

/** PyTorch's name for a dtype, as printed: torch.float32 ... */
export function torchDtypeName(d: DType): string {
  return `torch.${d}`;
}

/** The legacy type name PyTorch uses in some messages: torch.FloatTensor ... */
export function legacyTypeName(d: DType): string {
  return { float32: 'torch.FloatTensor', float64: 'torch.DoubleTensor', int64: 'torch.LongTensor', bool: 'torch.BoolTensor' }[d];
}

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };
const category = (d: DType): number => (d === 'bool' ? 0 : d === 'int64' ? 1 : 2);

/** promote_types for the four dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** One operand of type promotion: a tensor's dtype, whether it is zero-dim, and whether it is a wrapped Python number. */
export interface PromotionOperand {
  dtype: DType;
  zeroDim: boolean;
  wrappedNumber: boolean;
}

// Note: PyTorch's result_type. Dimensioned tensors take priority over zero-dim tensors, which take priority
// over Python numbers, unless the lower-priority group is of a higher category (bool < int < float).
// A Python float participates as the default float dtype, a Python int as int64.
export function resultType(operands: PromotionOperand[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  let wrapped: DType | null = null;
  for (const o of operands) {
    if (o.wrappedNumber) {
      const d = isFloating(o.dtype) ? DEFAULT_FLOAT : o.dtype;
      wrapped = wrapped === null ? d : promoteTypes(wrapped, d);
    } else if (o.zeroDim) zero = zero === null ? o.dtype : promoteTypes(zero, o.dtype);
    else dim = dim === null ? o.dtype : promoteTypes(dim, o.dtype);
  }
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? DEFAULT_FLOAT;
}

function combineCategories(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (isFloating(higher)) return higher;
  if (higher === 'bool' || category(lower) > category(higher)) return promoteTypes(higher, lower);
  return higher;
}
