// Shared types of the numeric kernels.

/** The storage a kernel reads and writes: the engine's float32 (default) or float64 tensors. */
export type FloatArray = Float32Array | Float64Array;

/** A new zeroed array of the same element type as `like`. */
export function allocLike(like: FloatArray, length: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}

/** `out` when given (its length checked), else a new zeroed array of the same element type as `like`. */
export function outOrAlloc(kernel: string, out: FloatArray | null | undefined, like: FloatArray, length: number): FloatArray {
  if (out == null) return allocLike(like, length);
  if (out.length < length) {
    throw new RangeError(`${kernel}: output buffer has ${out.length} elements, needs ${length}`);
  }
  return out;
}

/** Throws a RangeError naming the kernel when `array` is shorter than `needed`. */
export function checkLength(kernel: string, what: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) {
    throw new RangeError(`${kernel}: ${what} has ${array.length} elements, needs ${needed}`);
  }
}

/** A Float64Array scratch buffer that grows on demand and is reused across calls. */
export class Scratch {
  private buffer = new Float64Array(0);
  get(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(Math.max(length, this.buffer.length * 2));
    return this.buffer;
  }
}
