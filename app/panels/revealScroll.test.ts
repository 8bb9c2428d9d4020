import { describe, expect, it } from 'vitest';
import { revealScroll } from './Editor';

const view = (top: number, left: number) => ({ top, left, width: 400, height: 200 });
const mark = (top: number, left: number, width = 60) => ({ top, left, width, height: 20 });

describe('revealScroll', () => {
  it('leaves the editor where it is when the step is in view', () => {
    expect(revealScroll(view(100, 0), mark(150, 40))).toEqual({ top: 100, left: 0 });
    expect(revealScroll(view(0, 300), mark(50, 450))).toEqual({ top: 0, left: 300 });
  });

  it('scrolls down to a step below the fold, a third of the way down', () => {
    const next = revealScroll(view(0, 0), mark(600, 10));
    expect(next.top).toBe(600 - 60);
    expect(next.left).toBe(0);
  });

  it('scrolls up to a step above the view', () => {
    expect(revealScroll(view(500, 0), mark(40, 10)).top).toBe(0);
    expect(revealScroll(view(900, 0), mark(400, 10)).top).toBe(340);
  });

  it('scrolls back to the left edge when the step fits there (the caret had scrolled a long line)', () => {
    expect(revealScroll(view(0, 520), mark(30, 10))).toEqual({ top: 0, left: 0 });
  });

  it('scrolls right to a step past the right edge, keeping some of its left context', () => {
    expect(revealScroll(view(0, 0), mark(30, 700))).toEqual({ top: 0, left: 652 });
  });
});
