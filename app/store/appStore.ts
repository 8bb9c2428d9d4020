// The app's one store: zustand without React (components read it with narrow selectors through
// app/store/useApp.ts; the bridge, the URL sync and tests call the actions directly).
import { createStore } from 'zustand/vanilla';
import type { GraphEvent } from '../../engine/events';
import type { View } from '../graph/model';
import { emptyRun, reduceRun } from './reduce';
import { clampPosition } from './frame';
import type { RunError, RunModel } from './types';
import { TUTORIAL_PROGRAM } from './fixtures/events';

/** Where the formula table keeps a multi-output node's formula (SplitBackward0's split_backward(grads, ...)). */
export const multiFormulaKey = (gradFn: string): string => `node:${gradFn}`;

export interface OpFormula {
  label: string;
  gradFn: string;
  inputs: string[];
  formulas: Record<string, string>;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'stopped';

/** Which node is selected, by engine ids, so the selection survives switching views. */
export interface Selection {
  key: string;
  tensor: number | null;
  gradNode: number | null;
}

export interface AppState {
  program: string;
  /** The source text of the run on screen (positions in events refer to it). */
  runSource: string;
  runId: number;
  run: RunModel;
  status: RunStatus;
  /** The program's error (from the result or an error event), or a stop/crash message. */
  error: RunError | null;
  elapsedMs: number | null;
  /** Threads the engine's gemm had for the run (2 with the helper thread), when the worker said. */
  threads: number | null;
  segment: number;
  position: number;
  view: View;
  selected: Selection | null;
  playing: boolean;
  /** Steps per second. */
  speed: number;
  presentation: boolean;
  lang: 'en' | 'ko';
  sideTab: 'inspector' | 'console';
  formulas: Record<string, OpFormula>;
  /** Segment and position to restore (from the URL) when the next run ends. */
  restore: { segment: number; position: number } | null;
  notice: string | null;
  /** A short-lived message (link copied, export failed). */
  toast: string | null;
  /** Bumped to ask the canvas to fit the graph to the view. */
  fitRequest: number;
  /** Module paths the user expanded on the canvas (kept across runs: a rerun keeps its view). */
  expanded: string[];
  /** Graphs with module events are drawn folded by module unless the user unfolds them all. */
  unfolded: boolean;
}

export const DEFAULT_PROGRAM = TUTORIAL_PROGRAM;

export function initialState(): AppState {
  return {
    program: DEFAULT_PROGRAM,
    runSource: '',
    runId: 0,
    run: emptyRun(),
    status: 'idle',
    error: null,
    elapsedMs: null,
    threads: null,
    segment: 0,
    position: 0,
    view: 'forward',
    selected: null,
    playing: false,
    speed: 1.5,
    presentation: false,
    lang: 'en',
    sideTab: 'inspector',
    formulas: {},
    restore: null,
    notice: null,
    toast: null,
    fitRequest: 0,
    expanded: [],
    unfolded: false,
  };
}

export const appStore = createStore<AppState>(() => initialState());

const set = appStore.setState;
const get = appStore.getState;

export function resetStore(): void {
  set(initialState(), true);
}

// ---- run lifecycle (called by the bridge) ----

export function runStarted(runId: number, source: string): void {
  set({ runId, runSource: source, run: emptyRun(source), status: 'running', error: null, notice: null, elapsedMs: null, playing: false, segment: 0, position: 0 });
}

export function eventsArrived(runId: number, batch: GraphEvent[]): void {
  const s = get();
  if (runId !== s.runId) return;
  const run = reduceRun(s.run, batch);
  // While running, follow the newest segment and step so a long run shows progress.
  set({ run, segment: run.segments.length - 1, position: run.segments[run.segments.length - 1].steps.length });
}

export function runFinished(runId: number, result: { ok: boolean; error?: RunError | null; stopped?: string; elapsedMs?: number; threads?: number }): void {
  const s = get();
  if (runId !== s.runId) return;
  let error = result.error ?? s.run.error ?? null;
  if (result.stopped) error = { type: 'Stopped', message: result.stopped, line: 0, col: 0 };
  const run = s.run;
  let segment = defaultSegment(run);
  let position = defaultPosition(run, segment);
  if (s.restore) {
    segment = Math.max(0, Math.min(run.segments.length - 1, s.restore.segment));
    position = clampPosition(run.segments[segment], s.restore.position);
  }
  const selected = s.selected && stillExists(run, s.selected) ? s.selected : null;
  set({
    status: result.stopped ? 'stopped' : result.ok ? 'done' : 'failed',
    error: result.ok ? null : error,
    elapsedMs: result.elapsedMs ?? null,
    threads: result.threads ?? null,
    segment,
    position,
    restore: null,
    selected,
    fitRequest: s.fitRequest + 1,
  });
}

function stillExists(run: RunModel, sel: Selection): boolean {
  return (sel.tensor !== null && run.tensors[sel.tensor] !== undefined) || (sel.gradNode !== null && run.gradNodes[sel.gradNode] !== undefined);
}

/** The first segment with a backward pass, else the last one with ops (the graph people came to see). */
export function defaultSegment(run: RunModel): number {
  const withBackward = run.segments.find((s) => s.backwards.length > 0);
  if (withBackward) return withBackward.index;
  for (let i = run.segments.length - 1; i >= 0; i--) if (run.segments[i].ops.length) return i;
  return run.segments.length - 1;
}

/** After the forward pass: every value drawn, no gradient yet; stepping on walks the backward pass. */
export function defaultPosition(run: RunModel, segment: number): number {
  const seg = run.segments[segment];
  const firstBackward = seg.steps.findIndex((s) => s.kind === 'backward');
  return firstBackward >= 0 ? firstBackward : seg.steps.length;
}

export function setFormulas(formulas: Record<string, OpFormula>): void {
  set({ formulas: { ...get().formulas, ...formulas } });
}

// ---- user actions ----

export function setProgram(program: string): void {
  set({ program });
}

export function setPosition(position: number): void {
  const s = get();
  set({ position: clampPosition(s.run.segments[s.segment], position) });
}

export function stepForward(): boolean {
  const s = get();
  const seg = s.run.segments[s.segment];
  if (s.position >= seg.steps.length) {
    set({ playing: false });
    return false;
  }
  set({ position: s.position + 1 });
  return true;
}

export function stepBack(): void {
  const s = get();
  set({ position: Math.max(0, s.position - 1), playing: false });
}

export function toStart(): void {
  set({ position: 0, playing: false });
}

export function toEnd(): void {
  const s = get();
  set({ position: s.run.segments[s.segment].steps.length, playing: false });
}

export function togglePlay(): void {
  const s = get();
  if (s.playing) return set({ playing: false });
  const seg = s.run.segments[s.segment];
  // Play from the start when at the end, as media players do.
  set({ playing: true, position: s.position >= seg.steps.length ? 0 : s.position });
}

export function pause(): void {
  set({ playing: false });
}

export function setSpeed(speed: number): void {
  set({ speed });
}

export function setSegment(segment: number): void {
  const s = get();
  const i = Math.max(0, Math.min(s.run.segments.length - 1, segment));
  set({ segment: i, position: defaultPosition(s.run, i), playing: false, fitRequest: s.fitRequest + 1 });
}

export function toggleView(): void {
  const s = get();
  set({ view: s.view === 'forward' ? 'backward' : 'forward', fitRequest: s.fitRequest + 1 });
}

export function setView(view: View): void {
  set({ view });
}

export function select(sel: Selection | null): void {
  set({ selected: sel, sideTab: 'inspector' });
}

export function togglePresentation(): void {
  const s = get();
  set({ presentation: !s.presentation, fitRequest: s.fitRequest + 1 });
}

export function setLang(lang: 'en' | 'ko'): void {
  set({ lang });
}

export function setSideTab(sideTab: AppState['sideTab']): void {
  set({ sideTab });
}

// ---- module folding (the canvas) ----

/** Expands a folded module or folds an expanded one; the stepper keeps its step. */
export function toggleModule(path: string): void {
  const s = get();
  const open = s.expanded.includes(path);
  // Folding a module folds what was opened inside it too.
  const expanded = open ? s.expanded.filter((p) => p !== path && !p.startsWith(`${path}.`)) : [...s.expanded, path];
  set({ expanded, unfolded: false });
}

/** Draws every op (true) or folds the graph by module again (false, with nothing expanded). */
export function setUnfolded(unfolded: boolean): void {
  const s = get();
  set({ unfolded, expanded: unfolded ? s.expanded : [], fitRequest: s.fitRequest + 1 });
}

export function requestFit(): void {
  set({ fitRequest: get().fitRequest + 1 });
}

export function notify(notice: string | null): void {
  set({ notice });
}

let toastTimer: ReturnType<typeof setTimeout> | null = null;

export function showToast(toast: string | null, ms = 5000): void {
  if (toastTimer) clearTimeout(toastTimer);
  set({ toast });
  if (toast) toastTimer = setTimeout(() => set({ toast: null }), ms);
}

export function setRestore(restore: AppState['restore']): void {
  set({ restore });
}
