import { describe, expect, it } from 'vitest';
import { allocStorage, copyStorage, keepStorage, recycling } from './dtype';
import * as E from './index';

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

describe('storage kept out of a recycling scope', () => {
  it('is never handed out again, while the scope\'s other arrays are', () => {
    let kept: Float32Array | null = null;
    let other: Float32Array | null = null;
    recycling(() => {
      kept = allocStorage('float32', 777) as Float32Array;
      other = allocStorage('float32', 777) as Float32Array;
      expect(keepStorage(kept)).toBe(true);
      // Once taken out, a second claim fails: the caller must copy.
      expect(keepStorage(kept)).toBe(false);
      // Not allocated in this scope.
      expect(keepStorage(new Float32Array(777))).toBe(false);
    });
    expect(keepStorage(kept!)).toBe(false);
    const again = recycling(() => [allocStorage('float32', 777), allocStorage('float32', 777)]);
    expect(again).toContain(other);
    expect(again).not.toContain(kept);
  });
});

describe('a .grad made by backward', () => {
  const leaf = (n: number, v: number) => E.full([n], v, { requiresGrad: true });

  it('does not share storage with another leaf fed by the same gradient', () => {
    const a = leaf(1000, 1);
    const b = leaf(1000, 2);
    const w = E.full([1000], 3);
    // AddBackward hands the same gradient to both leaves.
    E.backward(E.sum(E.mul(E.add(a, b), w)));
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.data.fill(-1);
    expect(Array.from(b.grad!.data).every((v) => v === 3)).toBe(true);
  });

  it('keeps its values while later backward passes recycle their temporaries', () => {
    const a = leaf(1000, 1);
    const w = E.arange(0, 1000);
    E.backward(E.sum(E.mul(E.mul(a, 2), w)));
    const first = a.grad!;
    const expected = Array.from(first.data);
    expect(expected[999]).toBe(1998);
    for (let i = 0; i < 5; i++) {
      a.grad = null;
      const b = leaf(1000, i);
      E.backward(E.sum(E.mul(E.mul(a, 2), E.mul(b, -7))));
      E.backward(E.sum(E.mul(E.sin(b), w)));
    }
    expect(Array.from(first.data)).toEqual(expected);
  });
});
