// Messages between the training panel (main thread) and the training worker. JSON-only (plus typed
// arrays, which structured clone copies), like the runner's protocol.
import type { GraphEvent } from '../../engine/events';
import type { Coeffs, Column, Divergence, PolyfitSetup } from '../../engine/train/polyfit';

/** Iterations per second, or null for as fast as the worker goes. */
export type Rate = number | null;

export type ToTraining =
  /** Start over from the setup, paused at iteration 0. */
  | { type: 'reset'; runId: number; setup: PolyfitSetup }
  | { type: 'play'; runId: number; rate: Rate }
  | { type: 'pause'; runId: number }
  | { type: 'step'; runId: number }
  | { type: 'rate'; runId: number; rate: Rate }
  /** Re-run iteration `iteration` (and its neighbour) of one column with events on. */
  | { type: 'inspect'; runId: number; requestId: number; column: Column; iteration: number };

export type TrainingStatus = 'ready' | 'running' | 'paused' | 'done' | 'diverged';

export interface ColumnProgress {
  /** a, b, c, d after the last iteration that ran (the start before any). */
  coeffs: Coeffs;
  /** The gradients of the last iteration (null before any). */
  grads: Coeffs | null;
  divergence: Divergence | null;
}

export interface Progress {
  type: 'progress';
  runId: number;
  /** Iterations run so far. */
  t: number;
  status: TrainingStatus;
  /** Index of the first loss in `losses` (the losses before it were sent earlier). */
  from: number;
  losses: Record<Column, Float64Array>;
  columns: Record<Column, ColumnProgress>;
  /** Time spent computing since the last reset (excludes pauses and waiting for the rate). */
  computeMs: number;
}

export interface Inspected {
  type: 'inspected';
  runId: number;
  requestId: number;
  column: Column;
  /** The program text the events' positions refer to. */
  program: string;
  /** The iterations the events hold, in order (the inspected one and a neighbour, to compare ids). */
  iterations: number[];
  /** The inspected iteration. */
  iteration: number;
  events: GraphEvent[];
}

export type FromTraining = Progress | Inspected | { type: 'failed'; runId: number; message: string };
