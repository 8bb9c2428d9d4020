// Messages between the bridge (main thread) and the runner worker. JSON-only, like the events.
import type { GraphEvent } from '../../engine/events';
import type { RunError } from '../store/types';

export interface OpFormulaEntry {
  name: string;
  gradFn: string;
  label: string;
  inputs: string[];
  formulas: Record<string, string>;
  /** A multi-output op's node (chunk's SplitBackward0): its formula takes every output's gradient (`grads`). */
  multi?: boolean;
}

export type ToWorker = { type: 'run'; runId: number; source: string; timeoutHint?: number };

export type FromWorker =
  | { type: 'ready'; engine: 'engine' | 'fixtures'; ops: OpFormulaEntry[] }
  | { type: 'events'; runId: number; events: GraphEvent[] }
  | { type: 'skipped'; runId: number; iterations: number }
  | { type: 'done'; runId: number; ok: boolean; error: RunError | null; elapsedMs: number; threads?: number };
