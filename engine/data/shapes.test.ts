// The procedural data set: deterministic per seed, balanced, in range, and classes that differ.
import { describe, expect, it } from 'vitest';
import { makeShapes, normalize, SHAPE_CLASSES, PRETRAIN_CLASSES, FINETUNE_CLASSES, toRgba } from './shapes';

describe('makeShapes', () => {
  it('gives the same images for the same seed and different ones for another', () => {
    const a = makeShapes({ classes: PRETRAIN_CLASSES, perClass: 3, seed: 7 });
    const b = makeShapes({ classes: PRETRAIN_CLASSES, perClass: 3, seed: 7 });
    const c = makeShapes({ classes: PRETRAIN_CLASSES, perClass: 3, seed: 8 });
    expect(a.images).toEqual(b.images);
    expect(a.labels).toEqual(b.labels);
    expect(a.images).not.toEqual(c.images);
  });

  it('is balanced, shuffled, in [0, 1], with the requested layout', () => {
    const d = makeShapes({ classes: FINETUNE_CLASSES, perClass: 10, size: 16, seed: 1 });
    expect(d.n).toBe(40);
    expect(d.images.length).toBe(40 * 3 * 16 * 16);
    const counts = [0, 0, 0, 0];
    for (const l of d.labels) counts[l]++;
    expect(counts).toEqual([10, 10, 10, 10]);
    expect(Array.from(d.labels.slice(0, 8))).not.toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(Math.min(...d.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.images)).toBeLessThanOrEqual(1);
    expect(toRgba(d.images.subarray(0, 3 * 256), 16).length).toBe(256 * 4);
  });

  it('draws horizontal stripes constant along rows and vertical stripes constant along columns', () => {
    const d = makeShapes({ classes: ['horizontal stripes', 'vertical stripes'], perClass: 5, size: 16, seed: 3 });
    const px = 3 * 256;
    for (let i = 0; i < d.n; i++) {
      const img = d.images.subarray(i * px, i * px + 256);
      let alongRows = 0;
      let alongCols = 0;
      for (let y = 0; y < 15; y++) {
        for (let x = 0; x < 15; x++) {
          alongRows += Math.abs(img[y * 16 + x + 1] - img[y * 16 + x]);
          alongCols += Math.abs(img[(y + 1) * 16 + x] - img[y * 16 + x]);
        }
      }
      if (d.classes[d.labels[i]] === 'horizontal stripes') expect(alongRows).toBeLessThan(alongCols);
      else expect(alongCols).toBeLessThan(alongRows);
    }
  });

  it('normalize maps [0, 1] to [-2, 2]', () => {
    expect(Array.from(normalize(Float32Array.from([0, 0.5, 1])))).toEqual([-2, 0, 2]);
  });
});
