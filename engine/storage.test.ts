import { describe, expect, it } from 'vitest';
import { allocStorage, copyStorage } from './dtype';

describe('storage allocation', () => {
  it('carves small arrays out of shared slabs: aligned, zeroed, never overlapping', () => {
    const arrays = [allocStorage('float32', 3), allocStorage('float64', 5), allocStorage('bool', 7), allocStorage('float32', 2000), allocStorage('float32', 2000), allocStorage('float64', 1)];
    for (const a of arrays) {
      expect(a.byteOffset % 16).toBe(0);
      expect(Array.from(a).every((v) => v === 0)).toBe(true);
    }
    // Fill each with its own mark: no array sees another's writes.
    arrays.forEach((a, i) => a.fill(i + 1));
    arrays.forEach((a, i) => expect(Array.from(a).every((v) => v === i + 1)).toBe(true));
    const [, , , big1, big2] = arrays;
    expect(big1.buffer).toBe(big2.buffer);
    expect(big1.buffer.byteLength).toBeGreaterThan(big1.byteLength);
  });

  it('gives large arrays a buffer of their own', () => {
    const a = allocStorage('float32', 100_000);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(400_000);
  });

  it('copies into a new array that does not alias the source', () => {
    const src = allocStorage('float64', 10);
    src.fill(2.5);
    const copy = copyStorage(src);
    expect(copy).toBeInstanceOf(Float64Array);
    src.fill(0);
    expect(Array.from(copy)).toEqual(new Array(10).fill(2.5));
  });
});
