import { describe, expect, it } from 'vitest';
import * as E from '../../engine/index';
import { heatGrid, stripGrid } from './HeatMap';

/** The exact mean of x[0, 0, r0:r1, c0:c1] for a [1, 1, h, w] tensor's data. */
function blockMean(data: Float32Array, w: number, r0: number, r1: number, c0: number, c1: number): number {
  let s = 0;
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += data[r * w + c];
  return s / ((r1 - r0) * (c1 - c0));
}

describe("a node's heat-map strip", () => {
  it('merges a 16-row map into 4 rows of exact 4-row block means', () => {
    const x = E.randn([1, 1, 16, 16]);
    const v = E.summarize(x);
    const g = stripGrid(v, 4);
    expect([g.rows, g.cols]).toEqual([4, 16]);
    const d = x.data as Float32Array;
    for (let j = 0; j < 4; j++) for (let c = 0; c < 16; c++) expect(g.data[j * 16 + c]).toBeCloseTo(blockMean(d, 16, 4 * j, 4 * j + 4, c, c + 1), 5);
  });

  it('weights merged cells by the rows each stands for when the grid split rows unevenly (30 rows in 24 cells)', () => {
    // The engine's grid (480 elements) splits rows at ceil(k·30/24); heatGrid's own (240, sent whole) at floor.
    for (const [w, edge] of [[16, Math.ceil], [8, Math.floor]] as const) {
      const x = E.randn([1, 1, 30, w]);
      const v = E.summarize(x);
      expect(heatGrid(v).rows).toBe(24);
      const g = stripGrid(v, 4);
      const d = x.data as Float32Array;
      // Display row j covers grid rows 6j..6j+5, which cover tensor rows edge(6j·30/24) .. edge(6(j+1)·30/24).
      for (let j = 0; j < 4; j++) {
        const r0 = edge((6 * j * 30) / 24), r1 = edge((6 * (j + 1) * 30) / 24);
        for (let c = 0; c < w; c++) expect(g.data[j * w + c]).toBeCloseTo(blockMean(d, w, r0, r1, c, c + 1), 5);
      }
    }
  });

  it('leaves a grid of few rows as it is, and keeps a NaN visible', () => {
    const small = E.summarize(E.randn([1, 512, 2, 2]));
    expect(stripGrid(small, 4)).toEqual(heatGrid(small));
    const withNan = E.tensor(Array.from({ length: 16 }, (_, r) => Array.from({ length: 16 }, (_, c) => (r === 5 && c === 3 ? NaN : r + c))));
    const g = stripGrid(E.summarize(withNan), 4);
    expect(Number.isNaN(g.data[1 * 16 + 3])).toBe(true);
    expect(g.data[0]).toBeCloseTo(1.5, 6);
  });
});
