// Dtypes, storage and PyTorch's type promotion.
import type { DType } from './events';
import { allocationError, checkAllocation, runtimeError } from './context';

export type { DType };
export type Storage = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
export type FloatStorage = Float32Array | Float64Array;

// Note: a fresh typed array is expensive in a browser (measured in Debian's Chromium here: 40-80 µs for an
// 8 KB Float32Array, against 2-7 µs in Node), and a training loop makes dozens per iteration. Inside a
// recycling scope every storage allocated is handed back to a free list when the scope ends, and the
// next allocation of the same kind and length takes one from it (zeroed, unless its caller writes every
// element). Only code that knows nothing allocated in the scope outlives it may open one: the backward pass
// (its gradients are temporaries; what it keeps as a .grad it takes out of the scope with keepStorage(), or
// copies out with copyStorage(), which does not take from the pool), and the training panels' loops, whose state lives outside the scope. Outside scopes, the
// language hands back the storage of temporaries it can prove dead (releaseTemporary: at once, or when backward
// frees the node that saved them); nothing else is ever reused.
interface Scope {
  taken: Storage[];
}
const freeLists = new Map<number, Storage[]>();
let scope: Scope | null = null;
let pooledBytes = 0;
const POOL_LIMIT_BYTES = 256 * 1024 * 1024;
/** Small arrays live on V8's heap and are cheap; pooling starts above this many bytes. */
const POOL_MIN_BYTES = 256;

// Key: length * 8 + kind (0 float32, 1 float64 and int64, 2 bool and uint8, 3 int32, 4 int16, 5 int8).
// bool and uint8 share Uint8Array storage: a recycled array of one serves the other (it is zeroed or fully written).
const kindOf = (dtype: DType): number => KIND[dtype];
const KIND: Record<DType, number> = { float32: 0, float64: 1, int64: 1, bool: 2, uint8: 2, int32: 3, int16: 4, int8: 5 };
const storageKind = (st: Storage): number =>
  st instanceof Float32Array ? 0 : st instanceof Uint8Array ? 2 : st instanceof Int32Array ? 3 : st instanceof Int16Array ? 4 : st instanceof Int8Array ? 5 : 1;
/** A dtype whose storage has st's class (bool for a Uint8Array, which uint8 shares). */
const storageDtype = (st: Storage): DType =>
  st instanceof Float32Array ? 'float32' : st instanceof Uint8Array ? 'bool' : st instanceof Int32Array ? 'int32' : st instanceof Int16Array ? 'int16' : st instanceof Int8Array ? 'int8' : 'float64';
/** Bytes per element of a dtype's storage. */
const storageBytes = (dtype: DType): number => BYTES[dtype];
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

/** Runs fn with storage recycling (see the note above). Scopes nest; each returns what it allocated. */
export function recycling<T>(fn: () => T): T {
  const outer = scope;
  const mine: Scope = { taken: [] };
  scope = mine;
  try {
    return fn();
  } finally {
    scope = outer;
    for (const st of mine.taken) releaseStorage(st);
  }
}

/** Bytes waiting in the free lists (for tests and benchmarks). */
export const pooledStorageBytes = (): number => pooledBytes;

/** Hands a storage that nothing will read again to the free list (see the note above). */
export function releaseStorage(st: Storage): void {
  if (st.byteLength < POOL_MIN_BYTES || pooledBytes + st.byteLength > POOL_LIMIT_BYTES) return;
  const key = st.length * 8 + storageKind(st);
  let list = freeLists.get(key);
  if (!list) freeLists.set(key, (list = []));
  list.push(st);
  pooledBytes += st.byteLength;
}

/**
 * Takes a storage allocated in the current recycling scope out of it, so that it outlives the scope:
 * AccumulateGrad keeps the incoming gradient as the new .grad, as PyTorch's steals it, instead of copying
 * it. False when the storage was not allocated in this scope, or was taken out already (a gradient that
 * reaches two leaves): the caller copies it then.
 */
export function keepStorage(st: Storage): boolean {
  if (scope === null) return false;
  const taken = scope.taken;
  const i = taken.lastIndexOf(st);
  if (i < 0) return false;
  taken[i] = taken[taken.length - 1];
  taken.pop();
  return true;
}

// Note: the app's runner starts every run from nothing and keeps only events (plain data), so once a run is
// over, every storage it allocated is dead. recyclingAfter() records the storages a run allocates (64 KB and
// up, at most POOL_LIMIT_BYTES of them) and, when it returns, hands them all to the free lists: the next run
// takes them instead of fresh memory. Fresh memory is what costs here: the first write to a new array
// faults its pages in, measured at ~2.7 ms per MB on this VM (47 MB of ResNet-18 weights: 127 ms to fill
// once, 1.7 ms to fill again), so a rerun of the ResNet-18 step in Chromium went from ~1.2 s to ~0.75 s.
// Each storage goes to the free lists once: the run's ones and those already there are merged in a Set.
let arena: { storages: Set<Storage>; bytes: number } | null = null;
const ARENA_MIN_BYTES = 64 * 1024;

/** Runs fn, after which nothing it allocated may be read again, and recycles its storages (see the note above). */
export function recyclingAfter<T>(fn: () => T): T {
  const outer = arena;
  const mine = { storages: new Set<Storage>(), bytes: 0 };
  arena = mine;
  try {
    return fn();
  } finally {
    arena = outer;
    if (outer) {
      for (const st of mine.storages) record(outer, st);
    } else {
      const all = mine.storages;
      for (const list of freeLists.values()) for (const st of list) all.add(st);
      freeLists.clear();
      pooledBytes = 0;
      for (const st of all) releaseStorage(st);
    }
  }
}

function record(a: { storages: Set<Storage>; bytes: number }, st: Storage): void {
  if (st.byteLength < ARENA_MIN_BYTES || a.bytes + st.byteLength > POOL_LIMIT_BYTES || a.storages.has(st)) return;
  a.storages.add(st);
  a.bytes += st.byteLength;
}

/**
 * int64 is stored in a Float64Array: exact for |x| < 2^53, which covers every index and count a program here makes.
 * int32 is stored in an Int32Array, so a write wraps around as PyTorch's int32 arithmetic does (2147483647 + 1 is
 * -2147483648) and a float written to it is truncated toward zero, as PyTorch's cast. int16, int8 and uint8 live in
 * an Int16Array, Int8Array and Uint8Array alike (uint8 shares bool's class; the dtype, not the class, tells them apart).
 * Zero-filled, unless `zeroed` is false: a kernel that writes every element may skip the fill of a recycled array.
 */
export function allocStorage(dtype: DType, n: number, zeroed = true): Storage {
  const bytes = n * storageBytes(dtype);
  if (bytes < POOL_MIN_BYTES) return freshStorage(dtype, n);
  let st = pooledBytes > 0 ? freeLists.get(n * 8 + kindOf(dtype))?.pop() : undefined;
  if (st) {
    pooledBytes -= st.byteLength;
    if (zeroed) st.fill(0);
  } else st = freshStorage(dtype, n);
  if (scope !== null) scope.taken.push(st);
  if (arena !== null) record(arena, st);
  return st;
}

/**
 * A copy of a storage in a new array, never one from a recycling pool (what must outlive a scope, like
 * a .grad, is copied with this). Note: TypedArray.prototype.slice is about 15x slower than allocating and
 * set() for large arrays in V8 (measured: 2.36M floats, 60 ms against 4 ms), so nothing here uses slice().
 */
export function copyStorage<S extends Storage>(src: S): S {
  const out = freshStorage(storageDtype(src), src.length) as S;
  if (arena !== null) record(arena, out);
  out.set(src);
  return out;
}

// Note: what makes a fresh typed array expensive is its ArrayBuffer (a zeroed external allocation, with
// GC accounting); a view on an existing buffer is a small heap object. Measured in this Chromium: 77 µs
// for a new 8 KB Float32Array, 0.17 µs for a Float32Array view (Node: a few µs against ~0.1 µs). So
// arrays up to SLAB_MAX_BYTES are carved out of slabs, one bump-allocated slab per size class: a slab is
// freed by the GC once none of its arrays is reachable. Classes keep lifetimes apart: the scalar a
// program keeps each iteration (`losses.append(loss)`) pins a slab of scalars, not one of the 8 KB
// temporaries around it, so what a kept array can hold back is at most its class's slab.
// Consequence for every consumer: a storage's .buffer is shared. Never transfer it (postMessage's
// transfer list would detach every tensor in the slab) and never read .buffer without byteOffset and
// byteLength; copy first (copyStorage).
const SLAB_MAX_BYTES = 64 * 1024;
/** At least this many bytes per slab, and at least SLAB_ARRAYS arrays of the class's largest size. */
const SLAB_MIN_BYTES = 256 * 1024;
const SLAB_ARRAYS = 16;
interface Slab {
  buffer: ArrayBuffer;
  used: number;
}
const slabs: (Slab | null)[] = [];

/** Bytes from a slab of the size class of `bytes` (a power of two from 64 up), 16-byte aligned. */
function carve(bytes: number): { buffer: ArrayBuffer; offset: number } {
  const cls = Math.max(6, Math.ceil(Math.log2(bytes)));
  const need = (bytes + 15) & ~15;
  let slab = slabs[cls];
  if (!slab || slab.used + need > slab.buffer.byteLength) {
    slab = { buffer: new ArrayBuffer(Math.max(SLAB_MIN_BYTES, SLAB_ARRAYS << cls)), used: 0 };
    slabs[cls] = slab;
  }
  const offset = slab.used;
  slab.used += need;
  return { buffer: slab.buffer, offset };
}

function freshStorage(dtype: DType, n: number): Storage {
  const size = storageBytes(dtype);
  const bytes = n * size;
  // Past the engine's element limit (a tab's memory), PyTorch's words for a refused allocation.
  checkAllocation(n, size);
  try {
    if (bytes > 0 && bytes <= SLAB_MAX_BYTES) {
      const { buffer, offset } = carve(bytes);
      return dtype === 'float32' ? new Float32Array(buffer, offset, n) : dtype === 'int32' ? new Int32Array(buffer, offset, n) : size === 8 ? new Float64Array(buffer, offset, n)
        : dtype === 'int16' ? new Int16Array(buffer, offset, n) : dtype === 'int8' ? new Int8Array(buffer, offset, n) : new Uint8Array(buffer, offset, n);
    }
    switch (dtype) {
      case 'float32':
        return new Float32Array(n);
      case 'float64':
      case 'int64':
        return new Float64Array(n);
      case 'int32':
        return new Int32Array(n);
      case 'int16':
        return new Int16Array(n);
      case 'int8':
        return new Int8Array(n);
      case 'bool':
      case 'uint8':
        return new Uint8Array(n);
    }
  } catch {
    // The JS engine refused the memory (RangeError: Array buffer allocation failed): PyTorch's words for it.
    throw allocationError(bytes);
  }
}


export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';
/** An integer dtype (not bool): int64, int32, int16, int8 or uint8. */
export const isIntegral = (d: DType): boolean => d === 'int64' || d === 'int32' || d === 'int16' || d === 'int8' || d === 'uint8';
/** The integer dtypes narrower than int32, whose arithmetic goes through int32 (see binaryRaw in ops/arith.ts). */
export const isSmallInt = (d: DType): boolean => d === 'int16' || d === 'int8' || d === 'uint8';

export const DEFAULT_FLOAT: DType = 'float32';

/** PyTorch's name for a dtype, as printed: torch.float32 ... */
export function torchDtypeName(d: DType): string {
  return `torch.${d}`;
}

/** The legacy type name PyTorch uses in some messages: torch.FloatTensor ... */
export function legacyTypeName(d: DType): string {
  return `torch.${scalarTypeName(d)}Tensor`;
}

const SCALAR_TYPE_NAMES: Record<DType, string> = {
  float32: 'Float', float64: 'Double', int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool',
};
/** c10's name of a scalar type, as messages say it: Float, Double, Long, Int, Short, Char, Byte, Bool. */
export function scalarTypeName(d: DType): string {
  return SCALAR_TYPE_NAMES[d];
}

/** The smallest and largest value of an integer dtype (torch.iinfo); int64's are beyond a double's exact range. */
export const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1],
};

/**
 * A float to int64 as x86-64's cvttsd2si converts it (PyTorch's CPU cast): truncated; NaN, infinities and
 * anything outside the int64 range become INT64_MIN (-2^63).
 */
function toInt64(v: number): number {
  const t = Math.trunc(v);
  return t >= -(2 ** 63) && t < 2 ** 63 ? t : -(2 ** 63);
}

/** A float cast to int32 as PyTorch's CPU does it: truncated; NaN and out of range give -2^31. (An int64 wraps: Int32Array's own write.) */
function toInt32(v: number): number {
  const t = Math.trunc(v);
  return t >= -(2 ** 31) && t < 2 ** 31 ? t : -(2 ** 31);
}

/**
 * dst = src cast from srcDtype to dstDtype, element for element, as PyTorch's CPU casts. Integers narrow by
 * wrapping (the typed array's own store does it: 300 is 44 as uint8). A float goes to int16, int8 and uint8
 * through int32, as PyTorch's cast does (NaN and out of range give -2^31, whose low bits are 0; -1.5 is 255).
 */
export function castInto(dst: Storage, dstDtype: DType, src: Storage, srcDtype: DType): void {
  const n = src.length;
  if (dstDtype === 'int64') for (let i = 0; i < n; i++) dst[i] = toInt64(src[i]);
  else if ((dstDtype === 'int32' || isSmallInt(dstDtype)) && isFloating(srcDtype)) for (let i = 0; i < n; i++) dst[i] = toInt32(src[i]);
  else if (dstDtype === 'bool') for (let i = 0; i < n; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  else dst.set(src);
}

// Note: the elementwise kernels are polymorphic in their typed arrays, and V8 optimises an element access for at
// most four array classes (Float32Array, Float64Array, Int32Array and Uint8Array here); a fifth makes it
// megamorphic, and every float32 loop through it slower. So int16, int8 and uint8 never reach the kernels: their
// operands go in as int32 copies (exact: every value of theirs is an int32) and the int32 result is stored back,
// which wraps it as PyTorch's narrow arithmetic does (mod 2^32, then mod 2^8 or 2^16, is mod 2^8 or 2^16).
/** The values of a storage of dtype `from` as `as` holds them, in a new Int32Array (for the kernels, see above). */
export function int32Values(src: Storage, from: DType, as: DType = from): Int32Array {
  let values = src;
  if (from !== as) {
    // Narrowed first: an int64 5000 meeting uint8 is 136, a float 300.7 is 44.
    values = freshStorage(as, src.length);
    castInto(values, as, src, from);
  }
  const out = new Int32Array(src.length);
  out.set(values);
  return out;
}

const C_TYPE_NAMES: Partial<Record<DType, string>> = { uint8: 'uint8_t', int8: 'int8_t', int16: 'int16_t', int32: 'int' };

/**
 * A Python number about to be stored in an integer tensor, checked as c10's checked_convert does: a float must lie
 * in the dtype's range (NaN and infinities never do); an int too, except that a negative int meets uint8 as its
 * two's complement (-1 is 255) when its magnitude fits. Then the store itself truncates and wraps. `where` picks
 * the type's name in the message: torch.tensor says 'uint8', full, fill_ and index writes say 'uint8_t'.
 * int64 is not checked: a double cannot hold anything past its range.
 */
export function checkScalarFits(v: number, dtype: DType, where: 'tensor' | 'fill' = 'fill'): void {
  const range = INT_RANGE[dtype];
  if (range === undefined) return;
  const [lo, hi] = range;
  const fits = !Number.isFinite(v) ? false : !Number.isInteger(v) || lo < 0 ? v >= lo && v <= hi : v <= hi && (v >= 0 || -v <= hi);
  if (!fits) throw runtimeError(`value cannot be converted to type ${where === 'tensor' ? dtype : C_TYPE_NAMES[dtype]} without overflow`);
}

// c10's promotion table, for these dtypes: bool < the integers < the floats; among integers the wider wins,
// and uint8 with int8 (neither holds the other's range) gives int16.
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int8: 1, int16: 2, int32: 3, int64: 4, float32: 5, float64: 6 };
const category = (d: DType): number => (d === 'bool' ? 0 : isIntegral(d) ? 1 : 2);

/** promote_types. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a !== b && RANK[a] === 1 && RANK[b] === 1) return 'int16';
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

/** resultType of two operands, without building the operand list (the binary ops' hot path). */
export function resultType2(ad: DType, aZeroDim: boolean, aWrapped: boolean, bd: DType, bZeroDim: boolean, bWrapped: boolean): DType {
  if (!aWrapped && !bWrapped && ad === bd) return ad;
  let dim: DType | null = null;
  let zero: DType | null = null;
  let wrapped: DType | null = null;
  if (aWrapped) wrapped = isFloating(ad) ? DEFAULT_FLOAT : ad;
  else if (aZeroDim) zero = ad;
  else dim = ad;
  if (bWrapped) {
    const d = isFloating(bd) ? DEFAULT_FLOAT : bd;
    wrapped = wrapped === null ? d : promoteTypes(wrapped, d);
  } else if (bZeroDim) zero = zero === null ? bd : promoteTypes(zero, bd);
  else dim = dim === null ? bd : promoteTypes(dim, bd);
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? DEFAULT_FLOAT;
}

function combineCategories(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (isFloating(higher)) return higher;
  if (higher === 'bool' || category(lower) > category(higher)) return promoteTypes(higher, lower);
  return higher;
}
