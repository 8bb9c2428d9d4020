// Keeps a long loop's events bounded: the first KEEP_HEAD iterations and the last KEEP_TAIL travel whole;
// the ones between are dropped except their print lines (the console still shows every print).
// Note: a 2000-iteration polynomial fit emits ~40 events per iteration with value summaries; all of
// them would be tens of megabytes for a picker nobody scrolls through. The DAG is rebuilt every
// iteration, so the first and last iterations show everything a learner needs.
import type { GraphEvent } from '../../engine/events';

export const KEEP_HEAD = 30;
export const KEEP_TAIL = 20;

export class IterationTrimmer {
  private iterations = 0;
  private depth: number | undefined;
  private sawBackward = false;
  private tail: GraphEvent[][] = [];
  dropped = 0;

  constructor(
    private readonly post: (events: GraphEvent[]) => void,
    private readonly head = KEEP_HEAD,
    private readonly keepTail = KEEP_TAIL,
  ) {}

  /** Returns true when the event was taken into the tail (the caller must not post it itself). */
  take(e: GraphEvent): boolean {
    if (e.type === 'backward-begin') this.sawBackward = true;
    // As the canvas counts entries (app/store/reduce.ts): a loop nested in an iteration that has run its
    // backward pass (a parameter update loop) belongs to that iteration.
    const own = e.type === 'iteration' && !(this.sawBackward && e.depth !== undefined && this.depth !== undefined && e.depth > this.depth);
    if (e.type === 'iteration' && own) {
      this.depth = e.depth;
      this.sawBackward = false;
      this.iterations++;
      if (this.iterations > this.head) {
        this.tail.push([]);
        if (this.tail.length > this.keepTail) {
          const old = this.tail.shift()!;
          // requires_grad changes outlive their iteration (a freezing loop over 62 parameters).
          const prints: GraphEvent[] = old.filter((x) => x.type === 'print' || x.type === 'error' || x.type === 'requires-grad');
          // An iteration that only froze parameters (that loop) loses nothing worth a notice; any other
          // one does, including one that arrives with no graph events because the engine was muted for it.
          const onlyFroze = old.some((x) => x.type === 'requires-grad') && old.every((x) => x.type === 'iteration' || x.type === 'bind' || x.type === 'requires-grad');
          if (!onlyFroze) this.dropped++;
          if (prints.length) this.post(prints);
        }
      }
    }
    if (this.tail.length === 0) return false;
    this.tail[this.tail.length - 1].push(e);
    return true;
  }

  /** The kept tail, in order (posted when the run ends). */
  flush(): GraphEvent[] {
    const out = this.tail.flat();
    this.tail = [];
    return out;
  }
}
