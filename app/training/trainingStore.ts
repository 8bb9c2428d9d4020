// The training panel's state: a vanilla zustand store (no React), its actions, and the one client of the
// training worker. Progress messages are applied as they come (the worker sends about one per frame);
// the losses live in a preallocated array and `lossVersion` tells the plots to redraw.
import { createStore } from 'zustand/vanilla';
import {
  COLUMNS,
  TUTORIAL,
  float32Literal,
  polyfitProgram,
  seededStart,
  type Coeffs,
  type Column,
  type PolyfitSetup,
} from '../../engine/train/polyfit';
import type { ColumnProgress, FromTraining, Inspected, Rate, ToTraining, TrainingStatus } from './protocol';
import { summarizeIterations, type IterationShape } from './inspectSummary';
import { parseNumber, validate, type FieldErrors, type FieldName, type TrainingForm } from './validate';

export const DEFAULT_SEED = 0;

export interface InspectedView {
  column: Column;
  iteration: number;
  iterations: IterationShape[];
}

export interface TrainingState {
  form: TrainingForm;
  errors: FieldErrors;
  /** The setup the current run uses (the last valid form). */
  setup: PolyfitSetup;
  /** The seed that drew the current start, or null once a start value was typed. */
  seed: number | null;
  runId: number;
  status: TrainingStatus;
  /** Iterations run. */
  t: number;
  losses: Record<Column, Float64Array>;
  lossVersion: number;
  columns: Record<Column, ColumnProgress>;
  computeMs: number;
  column: Column;
  rate: Rate;
  inspectAt: string;
  /** True until the user types an iteration: then inspectAt stays where they put it. */
  inspectFollows: boolean;
  inspectError: string | null;
  inspecting: boolean;
  inspected: InspectedView | null;
  /** A failure reported by the worker. */
  failure: string | null;
}

function formFor(seed: number, start: Coeffs, setup: Omit<PolyfitSetup, 'start'>): TrainingForm {
  return {
    seed: String(seed),
    start: start.map(float32Literal) as TrainingForm['start'],
    learningRate: '1e-6',
    iterations: String(setup.iterations),
  };
}

const emptyColumn = (start: Coeffs): ColumnProgress => ({ coeffs: start.slice() as Coeffs, grads: null, divergence: null });

export function initialTrainingState(): TrainingState {
  const start = seededStart(DEFAULT_SEED);
  const setup: PolyfitSetup = { ...TUTORIAL, start };
  return {
    form: formFor(DEFAULT_SEED, start, setup),
    errors: {},
    setup,
    seed: DEFAULT_SEED,
    runId: 0,
    status: 'ready',
    t: 0,
    losses: { hand: new Float64Array(setup.iterations), autograd: new Float64Array(setup.iterations) },
    lossVersion: 0,
    columns: { hand: emptyColumn(start), autograd: emptyColumn(start) },
    computeMs: 0,
    column: 'autograd',
    rate: null,
    inspectAt: '0',
    inspectFollows: true,
    inspectError: null,
    inspecting: false,
    inspected: null,
    failure: null,
  };
}

export const trainingStore = createStore<TrainingState>(() => initialTrainingState());
const set = trainingStore.setState;
const get = trainingStore.getState;

// ---- the worker ----

let worker: Worker | null = null;
let nextRunId = 1;
let nextRequest = 1;
/** Called with the recorded events of an inspected iteration (the app shell wires this to the canvas). */
let inspectedHandler: ((r: Inspected) => void) | null = null;

function spawn(): Worker {
  const w = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'autograd-training' });
  w.onmessage = (e: MessageEvent<FromTraining>) => receive(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    worker?.terminate();
    worker = null;
    set({ failure: 'The training worker stopped unexpectedly. Press Reset to start over.', status: 'paused', inspecting: false });
  };
  return w;
}

function send(m: ToTraining): void {
  if (!worker) {
    worker = spawn();
    // A fresh worker knows no run: give it the current one.
    if (m.type !== 'reset') {
      const s = get();
      worker.postMessage({ type: 'reset', runId: s.runId, setup: s.setup } satisfies ToTraining);
    }
  }
  worker.postMessage(m);
}

function receive(m: FromTraining): void {
  const s = get();
  if (m.runId !== s.runId) return;
  if (m.type === 'failed') {
    set({ failure: m.message, inspecting: false, status: s.status === 'running' ? 'paused' : s.status });
    return;
  }
  if (m.type === 'inspected') {
    set({
      inspecting: false,
      inspected: { column: m.column, iteration: m.iteration, iterations: summarizeIterations(m.events) },
    });
    inspectedHandler?.(m);
    return;
  }
  const losses = s.losses;
  for (const c of COLUMNS) losses[c].set(m.losses[c], m.from);
  set({
    t: m.t,
    // The reply to a Reset that came before Play must not undo Play.
    status: s.status === 'running' && m.status === 'ready' ? 'running' : m.status,
    columns: m.columns,
    computeMs: m.computeMs,
    lossVersion: s.lossVersion + 1,
    // Follow the run: the newest iteration is the one to inspect until the user types another.
    inspectAt: s.inspectFollows ? String(Math.max(0, m.t - 1)) : s.inspectAt,
  });
}

/** Starts the worker with the current setup (the panel calls it on mount). */
export function initTraining(): void {
  if (!worker) restart(get().setup);
}

/** The app shell's hook for Inspect iteration: receives the events to hand to the canvas. */
export function onInspected(handler: ((r: Inspected) => void) | null): void {
  inspectedHandler = handler;
}

function restart(setup: PolyfitSetup): void {
  const runId = nextRunId++;
  set({
    setup,
    runId,
    status: 'ready',
    t: 0,
    losses: { hand: new Float64Array(setup.iterations), autograd: new Float64Array(setup.iterations) },
    lossVersion: get().lossVersion + 1,
    columns: { hand: emptyColumn(setup.start), autograd: emptyColumn(setup.start) },
    computeMs: 0,
    inspectAt: '0',
    inspectFollows: true,
    inspectError: null,
    inspecting: false,
    inspected: null,
    failure: null,
  });
  send({ type: 'reset', runId, setup });
}

// ---- actions ----

/** Plays on; at the end (or after a divergence) plays again from the start, as media players do. */
export function play(): void {
  let s = get();
  if (s.status === 'running' || hasSetupErrors(s.errors)) return;
  if (s.status === 'done' || s.status === 'diverged') {
    restart(s.setup);
    s = get();
  }
  set({ status: 'running' });
  send({ type: 'play', runId: s.runId, rate: s.rate });
}

/** Asks the worker to pause; the state says Paused when the worker confirms (after its last chunk's progress). */
export function pause(): void {
  const s = get();
  if (s.status !== 'running') return;
  send({ type: 'pause', runId: s.runId });
}

export function togglePlay(): void {
  if (get().status === 'running') pause();
  else play();
}

export function stepOnce(): void {
  const s = get();
  if (s.status === 'done' || s.status === 'diverged' || hasSetupErrors(s.errors)) return;
  send({ type: 'step', runId: s.runId });
}

export function reset(): void {
  restart(get().setup);
}

export function setRate(rate: Rate): void {
  const s = get();
  set({ rate });
  if (s.status === 'running') send({ type: 'rate', runId: s.runId, rate });
}

export function selectColumn(column: Column): void {
  set({ column });
}

const hasSetupErrors = (errors: FieldErrors) => (['a', 'b', 'c', 'd', 'learningRate', 'iterations'] as FieldName[]).some((f) => errors[f]);

/** Edits one field; a valid setup that differs from the running one starts over with it. */
export function editField(field: FieldName, text: string): void {
  const s = get();
  const form: TrainingForm = { ...s.form, start: [...s.form.start] as TrainingForm['start'] };
  let seed = s.seed;
  if (field === 'seed') form.seed = text;
  else if (field === 'learningRate') form.learningRate = text;
  else if (field === 'iterations') form.iterations = text;
  else {
    form.start['abcd'.indexOf(field)] = text;
    seed = null;
  }
  const { errors, setup } = validate(form);
  set({ form, errors, seed });
  if (setup && !sameSetup(setup, s.setup)) restart(setup);
}

/** torch.manual_seed(seed), then torch.randn(()) for a, b, c, d: the tutorial's random start. */
export function drawStart(): void {
  const s = get();
  const seed = parseNumber(s.form.seed);
  if (seed === null || s.errors.seed) return;
  const start = seededStart(seed);
  const form: TrainingForm = { ...s.form, start: start.map(float32Literal) as TrainingForm['start'] };
  const { errors, setup } = validate(form);
  set({ form, errors, seed });
  if (setup) restart(setup);
}

export function setInspectAt(text: string): void {
  set({ inspectAt: text, inspectFollows: false, inspectError: null });
}

/** Records iteration k of the selected column with events on; the handler opens it in the canvas. */
export function inspect(): void {
  const s = get();
  const k = parseNumber(s.inspectAt);
  const max = Math.min(s.t, s.setup.iterations - 1);
  if (k === null || !Number.isInteger(k) || k < 0 || k > max) {
    set({ inspectError: max === 0 ? 'Only iteration 0 can be inspected before training.' : `Choose an iteration from 0 to ${max}.` });
    return;
  }
  set({ inspecting: true, inspectError: null });
  send({ type: 'inspect', runId: s.runId, requestId: nextRequest++, column: s.column, iteration: k });
}

/** The tutorial's program for the selected column, as the current setup runs it. */
export function programText(column: Column = get().column): string {
  return polyfitProgram(column, get().setup);
}

function sameSetup(a: PolyfitSetup, b: PolyfitSetup): boolean {
  return a.learningRate === b.learningRate && a.iterations === b.iterations && a.points === b.points && a.start.every((v, i) => Math.fround(v) === Math.fround(b.start[i]));
}

/** Tests: a fresh state and no worker. */
export function resetTrainingStore(): void {
  worker?.terminate();
  worker = null;
  set(initialTrainingState(), true);
}
