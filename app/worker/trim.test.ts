import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../../engine/events';
import { IterationTrimmer } from './trim';

describe('IterationTrimmer', () => {
  it('keeps the head and the tail of a long loop, and every print', () => {
    const posted: GraphEvent[] = [];
    const t = new IterationTrimmer((es) => posted.push(...es), 2, 2);
    let seq = 0;
    const loop = { line: 1, col: 1 };
    for (let i = 0; i < 6; i++) {
      for (const e of [
        { type: 'iteration', loop, index: i, seq: ++seq },
        { type: 'print', text: `p${i}`, seq: ++seq },
      ] as GraphEvent[]) {
        if (!t.take(e)) posted.push(e);
      }
    }
    posted.push(...t.flush());
    const its = posted.filter((e) => e.type === 'iteration').map((e) => (e.type === 'iteration' ? e.index : -1));
    expect(its).toEqual([0, 1, 4, 5]);
    const prints = posted.filter((e) => e.type === 'print').map((e) => (e.type === 'print' ? e.text : ''));
    expect(prints).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    expect(t.dropped).toBe(2);
  });

  it('counts an iteration the engine was muted for as not shown, and one that only froze parameters as nothing lost', () => {
    const t = new IterationTrimmer(() => {}, 1, 1);
    const loop = { line: 1, col: 1 };
    let seq = 0;
    // Iterations 0-3: muted ones carry only their iteration mark; iterations 4-5 only froze a parameter.
    for (let i = 0; i < 4; i++) t.take({ type: 'iteration', loop, index: i, seq: ++seq } as GraphEvent);
    for (let i = 4; i < 6; i++) {
      t.take({ type: 'iteration', loop, index: i, seq: ++seq } as GraphEvent);
      t.take({ type: 'requires-grad', tensor: i, requiresGrad: false, seq: ++seq } as GraphEvent);
    }
    // Iterations 1, 2, 3 (muted) and 4 (froze only) left the tail; only the muted ones count.
    expect(t.dropped).toBe(3);
  });
});
