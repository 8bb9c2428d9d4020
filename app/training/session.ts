// One training run of the panel: both columns of the tutorial in lockstep, the losses so far, the start
// of every iteration (to inspect one later), and the progress messages. No DOM and no timers: the
// worker decides when to run a chunk; tests drive it directly.
//
// Note: the bulk run never subscribes to the engine's events (emitting costs nothing then). Inspecting an
// iteration builds a fresh pair of trainers from the recorded start of that iteration and runs it with a
// subscriber: float32 all the way and deterministic, so the numbers are bit for bit the ones of the run.
import * as E from '../../engine/index';
import type { GraphEvent } from '../../engine/events';
import {
  COLUMNS,
  PolyfitTrainer,
  polyfitProgram,
  polyfitSourceMap,
  type Coeffs,
  type Column,
  type PolyfitSetup,
} from '../../engine/train/polyfit';
import type { Inspected, Progress, TrainingStatus } from './protocol';

export class TrainingSession {
  readonly trainers: Record<Column, PolyfitTrainer>;
  readonly losses: Record<Column, Float64Array>;
  /** a, b, c, d at the start of iteration t, for t = 0..iterations (4 floats each). */
  private readonly starts: Record<Column, Float32Array>;
  private readonly grads: Record<Column, Coeffs | null> = { hand: null, autograd: null };
  /** Losses before this index were already sent. */
  private sent = 0;
  playing = false;
  computeMs = 0;

  constructor(
    readonly runId: number,
    readonly setup: PolyfitSetup,
  ) {
    this.trainers = { hand: new PolyfitTrainer('hand', setup), autograd: new PolyfitTrainer('autograd', setup) };
    this.losses = { hand: new Float64Array(setup.iterations), autograd: new Float64Array(setup.iterations) };
    this.starts = { hand: new Float32Array((setup.iterations + 1) * 4), autograd: new Float32Array((setup.iterations + 1) * 4) };
    for (const c of COLUMNS) this.starts[c].set(this.trainers[c].coeffs(), 0);
  }

  get t(): number {
    return this.trainers.autograd.t;
  }

  get done(): boolean {
    return this.trainers.hand.done || this.trainers.autograd.done;
  }

  get status(): TrainingStatus {
    if (this.trainers.hand.divergence || this.trainers.autograd.divergence) return 'diverged';
    if (this.t >= this.setup.iterations) return 'done';
    if (this.playing) return 'running';
    return this.t === 0 ? 'ready' : 'paused';
  }

  /** One iteration of both columns. A divergence in either stops both (the lockstep is the point). */
  step(): boolean {
    if (this.done) return false;
    const t = this.t;
    for (const c of COLUMNS) {
      const r = this.trainers[c].step();
      this.losses[c][t] = r.loss;
      this.grads[c] = r.grads;
      this.starts[c].set(r.coeffs, (t + 1) * 4);
    }
    if (this.done) this.playing = false;
    return true;
  }

  /** Runs iterations until `budgetMs` has passed or `max` ran; returns how many ran. */
  runFor(budgetMs: number, max = Infinity, now: () => number = () => performance.now()): number {
    const t0 = now();
    let n = 0;
    while (n < max && !this.done) {
      this.step();
      n++;
      if (now() - t0 >= budgetMs) break;
    }
    this.computeMs += now() - t0;
    return n;
  }

  /** The progress since the last message: new losses, and where both columns stand. */
  progress(): Progress {
    const from = this.sent;
    const to = this.t;
    this.sent = to;
    const column = (c: Column) => ({ coeffs: this.trainers[c].coeffs(), grads: this.grads[c], divergence: this.trainers[c].divergence });
    return {
      type: 'progress',
      runId: this.runId,
      t: to,
      status: this.status,
      from,
      losses: { hand: this.losses.hand.slice(from, to), autograd: this.losses.autograd.slice(from, to) },
      columns: { hand: column('hand'), autograd: column('autograd') },
      computeMs: this.computeMs,
    };
  }

  /** The start of iteration t, as recorded (t up to the iterations run so far). */
  startOf(column: Column, t: number): Coeffs {
    return Array.from(this.starts[column].subarray(t * 4, t * 4 + 4)) as Coeffs;
  }

  /** The iterations one can inspect now: those that ran, and the next one. */
  inspectable(): number {
    return Math.min(this.t, this.setup.iterations - 1);
  }

  /**
   * The events of iteration k of one column, with the iteration before it (or after, for k = 0), so the
   * canvas can show that the same shape is built anew with new ids. Positions refer to `program`.
   */
  inspect(column: Column, k: number, requestId: number): Inspected {
    const iteration = Math.max(0, Math.min(Math.floor(k), this.inspectable()));
    const first = iteration > 0 ? iteration - 1 : 0;
    const last = iteration > 0 ? iteration : Math.min(1, this.inspectable());
    const program = polyfitProgram(column, this.setup);
    const map = polyfitSourceMap(program);
    const events: GraphEvent[] = [];
    const iterations: number[] = [];
    const stop = E.events.subscribe((e) => events.push(e));
    try {
      // The program as it stands when iteration `first` begins: x, y and a..d hold exactly those values.
      const trainer = new PolyfitTrainer(column, { ...this.setup, start: this.startOf(column, first) }, { sourceMap: map });
      trainer.t = first;
      for (let i = first; i <= last; i++) {
        iterations.push(i);
        E.events.emit({ type: 'iteration', loop: map.loop, index: i, pos: map.loop, binding: { name: 't', value: i } });
        trainer.step();
      }
    } finally {
      stop();
      E.engine.pos = undefined;
    }
    return { type: 'inspected', runId: this.runId, requestId, column, program, iterations, iteration, events };
  }
}
