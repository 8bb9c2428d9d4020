// The fine-tune panel's state: a vanilla zustand store (no React), its actions, and the one client of the
// fine-tune worker. The worker's messages go through pure functions (`applySetup`, `applyProgress`,
// tested without a worker); the losses live in a preallocated array and `lossVersion` tells the plots
// to redraw.
import { createStore } from 'zustand/vanilla';
import { DEFAULT_RECIPE, MODEL_FILES, type FinetuneRecipe } from './recipe';
import type { EpochRecord, FinetuneStatus, FromFinetune, ParamCounts, Progress, Recorded, Setup, ToFinetune } from './protocol';

export interface FinetuneState {
  runId: number;
  recipe: FinetuneRecipe;
  status: FinetuneStatus;
  /** From the worker's setup message (null while the model loads). */
  setup: Omit<Setup, 'type' | 'runId'> | null;
  counts: ParamCounts | null;
  step: number;
  epoch: number;
  fraction: number;
  featuresDone: number;
  featuresTotal: number;
  phase: Progress['phase'];
  losses: Float32Array;
  /** Losses received (losses[0 .. lossCount)). */
  lossCount: number;
  lossVersion: number;
  epochs: EpochRecord[];
  samplePredictions: Int32Array | null;
  computeMs: number;
  /** Wall-clock time the run spent playing: from Start/Resume to Pause or the end. */
  wallMs: number;
  /** When the current stretch of playing began (performance.now()), or null. */
  playingSince: number | null;
  /** Pause was asked for and the worker has not confirmed yet. */
  pausing: boolean;
  /** A Show graph request is on its way. */
  recording: boolean;
  /** The step the canvas last received, 1-based. */
  shownStep: number | null;
  failure: string | null;
}

export function initialFinetuneState(recipe: FinetuneRecipe = DEFAULT_RECIPE): FinetuneState {
  return {
    runId: 0,
    recipe,
    status: 'loading',
    setup: null,
    counts: null,
    step: 0,
    epoch: 0,
    fraction: 0,
    featuresDone: 0,
    featuresTotal: 0,
    phase: 'idle',
    losses: new Float32Array(0),
    lossCount: 0,
    lossVersion: 0,
    epochs: [],
    samplePredictions: null,
    computeMs: 0,
    wallMs: 0,
    playingSince: null,
    pausing: false,
    recording: false,
    shownStep: null,
    failure: null,
  };
}

// ---- pure transitions ----

export function applySetup(s: FinetuneState, m: Setup): Partial<FinetuneState> {
  if (m.runId !== s.runId) return {};
  const { type: _type, runId: _runId, ...setup } = m;
  return {
    setup,
    counts: m.counts,
    status: s.status === 'loading' ? 'ready' : s.status,
    losses: new Float32Array(m.totalSteps),
    lossCount: 0,
    lossVersion: s.lossVersion + 1,
  };
}

/**
 * A progress message. The worker's status wins, except that the reply to a Reset or Pause sent before
 * the user pressed Start must not undo Start (the store says 'running' as soon as Start is pressed).
 */
export function applyProgress(s: FinetuneState, m: Progress, now: number): Partial<FinetuneState> {
  if (m.runId !== s.runId) return {};
  let losses = s.losses;
  if (losses.length < m.from + m.losses.length) {
    const grown = new Float32Array(m.from + m.losses.length);
    grown.set(losses);
    losses = grown;
  }
  losses.set(m.losses, m.from);
  const keepRunning = s.status === 'running' && (m.status === 'ready' || m.status === 'paused') && s.playingSince !== null && !s.pausing;
  const status: FinetuneStatus = keepRunning ? 'running' : m.status;
  const stopped = s.playingSince !== null && status !== 'running';
  return {
    status,
    step: m.step,
    epoch: m.epoch,
    fraction: m.fraction,
    featuresDone: m.featuresDone,
    featuresTotal: m.featuresTotal,
    phase: m.phase,
    losses,
    lossCount: m.from + m.losses.length,
    lossVersion: s.lossVersion + 1,
    epochs: m.epochs,
    samplePredictions: m.samplePredictions,
    computeMs: m.computeMs,
    wallMs: stopped ? s.wallMs + (now - s.playingSince!) : s.wallMs,
    playingSince: stopped ? null : s.playingSince,
    pausing: status === 'running' ? s.pausing : false,
  };
}

/** Wall-clock seconds of playing so far (including the current stretch). */
export function playedMs(s: FinetuneState, now: number): number {
  return s.wallMs + (s.playingSince !== null ? now - s.playingSince : 0);
}

// ---- the store and the worker ----

export const finetuneStore = createStore<FinetuneState>(() => initialFinetuneState());
const set = finetuneStore.setState;
const get = finetuneStore.getState;

let worker: Worker | null = null;
let nextRunId = 1;
let nextRequest = 1;
/** Start was pressed after the end: play as soon as the new run is set up. */
let playWhenReady = false;
/** Called with a recorded step (the app shell wires it to the canvas). */
let recordedHandler: ((r: Recorded) => void) | null = null;

const now = () => performance.now();

function spawn(): Worker {
  const w = new Worker(new URL('../worker/finetune.worker.ts', import.meta.url), { type: 'module', name: 'autograd-finetune' });
  w.onmessage = (e: MessageEvent<FromFinetune>) => receive(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    worker?.terminate();
    worker = null;
    const s = get();
    set({ failure: 'The fine-tune worker stopped unexpectedly. Press Reset to start over.', status: 'failed', recording: false, ...stopClock(s) });
  };
  return w;
}

function stopClock(s: FinetuneState): Partial<FinetuneState> {
  return s.playingSince !== null ? { wallMs: s.wallMs + (now() - s.playingSince), playingSince: null } : {};
}

function send(m: ToFinetune): void {
  if (!worker) worker = spawn();
  worker.postMessage(m);
}

function receive(m: FromFinetune): void {
  const s = get();
  if (m.runId !== s.runId) return;
  switch (m.type) {
    case 'setup':
      set(applySetup(s, m));
      if (playWhenReady) {
        playWhenReady = false;
        play();
      }
      return;
    case 'progress':
      set(applyProgress(s, m, now()));
      return;
    case 'recorded':
      set({ recording: false, shownStep: m.step });
      recordedHandler?.(m);
      return;
    case 'failed':
      set({ failure: m.message, recording: false, status: s.setup ? 'paused' : 'failed', ...stopClock(s) });
      return;
  }
}

function restart(recipe: FinetuneRecipe): void {
  const runId = nextRunId++;
  set({ ...initialFinetuneState(recipe), runId, lossVersion: get().lossVersion + 1 });
  const base = typeof document !== 'undefined' ? document.baseURI : self.location.href;
  send({ type: 'reset', runId, recipe, metaUrl: new URL(MODEL_FILES.meta, base).href, weightsUrl: new URL(MODEL_FILES.weights, base).href });
}

/** Starts the worker and loads the model (the panel calls it on mount; later calls do nothing). */
export function initFinetune(): void {
  if (!worker) restart(get().recipe);
}

/** The app shell's hook for Show graph: receives the recorded step to hand to the canvas. */
export function onRecorded(handler: ((r: Recorded) => void) | null): void {
  recordedHandler = handler;
}

// ---- actions ----

/** Start fine-tuning / Resume; after the end, starts over (as media players do). */
export function play(): void {
  let s = get();
  if (s.status === 'running' || s.status === 'loading' || !s.setup) return;
  if (s.status === 'done') {
    restart(s.recipe);
    playWhenReady = true;
    return;
  }
  set({ status: 'running', playingSince: now(), failure: null, pausing: false });
  s = get();
  send({ type: 'play', runId: s.runId });
}

/** Asks the worker to pause; the state says Paused when the worker confirms. */
export function pause(): void {
  const s = get();
  if (s.status !== 'running') return;
  set({ pausing: true });
  send({ type: 'pause', runId: s.runId });
}

export function togglePlay(): void {
  if (get().status === 'running') pause();
  else play();
}

/** Starts over: a new head, the same seeded data; the model stays loaded in the worker. */
export function reset(): void {
  playWhenReady = false;
  restart(get().recipe);
}

/** Show graph: records the next training step of the whole model with events on. */
export function showGraph(): void {
  const s = get();
  if (!s.setup || s.recording) return;
  set({ recording: true });
  send({ type: 'record', runId: s.runId, requestId: nextRequest++ });
}

/** Tests: a fresh state and no worker. */
export function resetFinetuneStore(): void {
  worker?.terminate();
  worker = null;
  set(initialFinetuneState(), true);
}
