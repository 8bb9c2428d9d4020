import { describe, expect, it } from 'vitest';
import { applyProgress, applySetup, initialFinetuneState, playedMs, type FinetuneState } from './finetuneStore';
import type { Progress, Setup } from './protocol';
import { DEFAULT_RECIPE } from './recipe';

const setupMsg = (runId: number, totalSteps = 10): Setup => ({
  type: 'setup',
  runId,
  recipe: DEFAULT_RECIPE,
  pretrainedClasses: ['circle'],
  pretrainedAccuracy: 0.96,
  counts: { trainable: 260, frozen: 77392, modules: [] },
  modelText: 'ResNet(...)',
  totalSteps,
  stepsPerEpoch: 5,
  features: 64,
  sampleImages: new Float32Array(0),
  sampleLabels: new Int32Array(0),
  sampleSize: 32,
});

const progress = (runId: number, p: Partial<Progress>): Progress => ({
  type: 'progress',
  runId,
  status: 'running',
  step: 0,
  epoch: 1,
  fraction: 0,
  featuresDone: 0,
  featuresTotal: 100,
  phase: 'backbone',
  from: 0,
  losses: new Float32Array(0),
  epochs: [],
  samplePredictions: null,
  computeMs: 0,
  ...p,
});

function state(patch: Partial<FinetuneState> = {}): FinetuneState {
  const s = { ...initialFinetuneState(), runId: 3, ...patch };
  return { ...s, ...applySetup(s, setupMsg(3)) };
}

describe('the fine-tune store transitions', () => {
  it('ignores messages of another run', () => {
    const s = state();
    expect(applySetup(s, setupMsg(2))).toEqual({});
    expect(applyProgress(s, progress(2, { step: 4 }), 0)).toEqual({});
  });

  it('is ready once the model is set up', () => {
    const s = { ...initialFinetuneState(), runId: 3 };
    expect(s.status).toBe('loading');
    expect(applySetup(s, setupMsg(3))).toMatchObject({ status: 'ready', lossCount: 0 });
    expect(applySetup(s, setupMsg(3)).losses?.length).toBe(10);
  });

  it('appends the losses sent since the last message', () => {
    let s = state({ status: 'running', playingSince: 0 });
    s = { ...s, ...applyProgress(s, progress(3, { step: 2, from: 0, losses: Float32Array.from([1.5, 1.25]) }), 100) };
    s = { ...s, ...applyProgress(s, progress(3, { step: 3, from: 2, losses: Float32Array.from([1]) }), 200) };
    expect(s.lossCount).toBe(3);
    expect(Array.from(s.losses.subarray(0, 3))).toEqual([1.5, 1.25, 1]);
    expect(s.step).toBe(3);
  });

  it('keeps Start pressed when an older reply says ready, but accepts a confirmed pause', () => {
    const s = state({ status: 'running', playingSince: 0 });
    expect(applyProgress(s, progress(3, { status: 'ready' }), 50).status).toBe('running');
    const pausing = { ...s, pausing: true };
    const paused = { ...pausing, ...applyProgress(pausing, progress(3, { status: 'paused', step: 4 }), 1500) };
    expect(paused.status).toBe('paused');
    expect(paused.pausing).toBe(false);
    expect(paused.playingSince).toBeNull();
    expect(paused.wallMs).toBe(1500);
  });

  it('stops the clock when the run ends, and counts only the time spent playing', () => {
    let s = state({ status: 'running', playingSince: 1000, wallMs: 2000 });
    expect(playedMs(s, 1500)).toBe(2500);
    s = { ...s, ...applyProgress(s, progress(3, { status: 'done', step: 10, fraction: 1 }), 4000) };
    expect(s.status).toBe('done');
    expect(s.wallMs).toBe(5000);
    expect(playedMs(s, 9999)).toBe(5000);
  });
});
