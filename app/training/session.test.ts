// The training worker's logic without a worker: lockstep, progress messages, divergence, inspection.
import { describe, expect, it } from 'vitest';
import { TUTORIAL, seededStart, type PolyfitSetup } from '../../engine/train/polyfit';
import { buildRun } from '../store/reduce';
import { TrainingSession } from './session';
import { rebuiltAnew, summarizeIterations } from './inspectSummary';
import { checkIterations, checkLearningRate, parseNumber, validate } from './validate';
import { shortDiff, ulpDistance } from './numbers';

const setup = (over: Partial<PolyfitSetup> = {}): PolyfitSetup => ({ ...TUTORIAL, start: seededStart(0), ...over });

describe('TrainingSession', () => {
  it('runs both columns in lockstep and sends each loss once', () => {
    const s = new TrainingSession(1, setup({ iterations: 30 }));
    expect(s.status).toBe('ready');
    const first = s.progress();
    expect(first.t).toBe(0);
    expect(first.losses.hand.length).toBe(0);
    s.runFor(Infinity, 10);
    const p = s.progress();
    expect(p.from).toBe(0);
    expect(p.t).toBe(10);
    expect(p.losses.autograd.length).toBe(10);
    expect(Array.from(p.losses.hand)).toEqual(Array.from(p.losses.autograd));
    expect(p.columns.hand.coeffs).toEqual(p.columns.autograd.coeffs);
    s.step();
    const q = s.progress();
    expect(q.from).toBe(10);
    expect(q.losses.hand.length).toBe(1);
    expect(q.status).toBe('paused');
    s.runFor(Infinity);
    expect(s.progress().status).toBe('done');
    expect(s.step()).toBe(false);
  });

  it('stops at the first NaN/Inf and says so', () => {
    const s = new TrainingSession(2, setup({ learningRate: 1e-3 }));
    s.playing = true;
    s.runFor(Infinity);
    const p = s.progress();
    expect(p.status).toBe('diverged');
    expect(s.playing).toBe(false);
    expect(p.t).toBeLessThan(2000);
    const d = p.columns.autograd.divergence ?? p.columns.hand.divergence;
    expect(d?.iteration).toBe(p.t - 1);
    expect(Number.isFinite(d!.value)).toBe(false);
  });

  it('a chunk ends when its time budget is spent', () => {
    const s = new TrainingSession(3, setup());
    let clock = 0;
    const n = s.runFor(5, Infinity, () => (clock += 1));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(10);
  });

  it('inspects an iteration: the same values as the run, two segments with the same shape and new ids', () => {
    const s = new TrainingSession(4, setup({ iterations: 50 }));
    s.runFor(Infinity, 42);
    const r = s.inspect('autograd', 41, 7);
    expect(r.iterations).toEqual([40, 41]);
    expect(r.iteration).toBe(41);
    expect(r.requestId).toBe(7);
    expect(r.program).toContain('loss.backward()');
    // The recorded loss of iteration 41 is the run's own.
    const losses = r.events.filter((e) => e.type === 'op' && e.op === 'sum').map((e) => (e.type === 'op' ? e.value.data?.[0] : null));
    expect(losses).toEqual([s.losses.autograd[40], s.losses.autograd[41]]);
    const [a, b] = summarizeIterations(r.events);
    expect(rebuiltAnew(a, b)).toBe(true);
    expect(a.unrecordedInplace).toBe(4);
    expect(a.lossNode?.name).toBe('SumBackward0');
    expect(b.lossNode!.id).toBeGreaterThan(a.lossNode!.id);
    // The app's reducer makes an iteration segment for each, as for a program run.
    const run = buildRun(r.events);
    const segs = run.segments.filter((g) => g.kind === 'iteration');
    expect(segs.map((g) => g.iteration)).toEqual([40, 41]);
    expect(segs.every((g) => g.backwards.length === 1)).toBe(true);
    // Events are plain JSON.
    expect(JSON.parse(JSON.stringify(r.events))).toEqual(r.events);
  });

  it('iteration 0 can be inspected before training; later ones only once they ran', () => {
    const s = new TrainingSession(5, setup({ iterations: 10 }));
    expect(s.inspect('hand', 0, 1).iterations).toEqual([0]);
    expect(s.inspect('hand', 5, 2).iteration).toBe(0);
    s.runFor(Infinity, 3);
    expect(s.inspect('hand', 0, 3).iterations).toEqual([0, 1]);
    expect(s.inspect('hand', 3, 4).iterations).toEqual([2, 3]);
  });
});

describe('inputs', () => {
  it('reads numbers as Python writes them', () => {
    expect(parseNumber('1e-6')).toBe(1e-6);
    expect(parseNumber(' -0.461 ')).toBe(-0.461);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('2_000')).toBe(2000);
    expect(parseNumber('1e-6x')).toBeNull();
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('inf')).toBeNull();
  });

  it('validates the learning rate and the iteration count', () => {
    expect(checkLearningRate('1e-6')).toBeNull();
    expect(checkLearningRate('0')).toMatch(/positive/);
    expect(checkLearningRate('-1e-6')).toMatch(/positive/);
    expect(checkLearningRate('abc')).toMatch(/number/);
    expect(checkIterations('2000')).toBeNull();
    expect(checkIterations('2.5')).toMatch(/whole/);
    expect(checkIterations('0')).toMatch(/At least/);
    expect(checkIterations('1e9')).toMatch(/At most/);
  });

  it('makes a setup only when every field of it is valid', () => {
    const form = { seed: '0', start: ['-0.461', '0.731', '0.125', '-0.902'] as [string, string, string, string], learningRate: '1e-6', iterations: '2000' };
    expect(validate(form).setup).toEqual({ start: [-0.461, 0.731, 0.125, -0.902], learningRate: 1e-6, iterations: 2000, points: 2000 });
    const bad = validate({ ...form, learningRate: '1e-6e' });
    expect(bad.setup).toBeNull();
    expect(bad.errors.learningRate).toBeTruthy();
    // A bad seed does not stop a typed start from training.
    expect(validate({ ...form, seed: '-1' }).setup).not.toBeNull();
  });
});

describe('differences', () => {
  it('counts float32 steps between two values', () => {
    expect(ulpDistance(1, 1)).toBe(0);
    expect(ulpDistance(1, 1 + 2 ** -23)).toBe(1);
    expect(ulpDistance(-0, 0)).toBe(0);
    expect(ulpDistance(-(2 ** -149), 2 ** -149)).toBe(2);
    expect(ulpDistance(1, NaN)).toBeNaN();
    expect(shortDiff(0)).toBe('0');
    expect(shortDiff(3.7e-9)).toBe('3.7e−9');
  });
});
