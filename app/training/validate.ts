// The panel's inputs as typed, checked into a setup. Pure: the messages are shown next to the field.
import { LIMITS, TUTORIAL, type Coeffs, type PolyfitSetup } from '../../engine/train/polyfit';

export interface TrainingForm {
  seed: string;
  start: [string, string, string, string];
  learningRate: string;
  iterations: string;
}

export type FieldName = 'seed' | 'a' | 'b' | 'c' | 'd' | 'learningRate' | 'iterations';
export type FieldErrors = Partial<Record<FieldName, string>>;

/** A number as Python would read it (1e-6, .5, -0.461, 2_000), or null. */
export function parseNumber(text: string): number | null {
  const s = text.trim().replace(/_/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

export function checkLearningRate(text: string): string | null {
  const v = parseNumber(text);
  if (v === null) return 'Enter a number, e.g. 1e-6.';
  if (v <= 0) return 'The learning rate must be positive.';
  if (v > LIMITS.maxLearningRate) return `At most ${LIMITS.maxLearningRate}.`;
  return null;
}

export function checkIterations(text: string): string | null {
  const v = parseNumber(text);
  if (v === null || !Number.isInteger(v)) return 'Enter a whole number of iterations.';
  if (v < 1) return 'At least 1 iteration.';
  if (v > LIMITS.maxIterations) return `At most ${LIMITS.maxIterations.toLocaleString('en-US')} iterations.`;
  return null;
}

export function checkSeed(text: string): string | null {
  const v = parseNumber(text);
  if (v === null || !Number.isSafeInteger(v) || v < 0) return 'A seed is a whole number ≥ 0.';
  return null;
}

export function checkStart(text: string): string | null {
  const v = parseNumber(text);
  if (v === null) return 'Enter a number.';
  if (Math.abs(v) > 1e6) return 'Keep the start within ±1e6.';
  return null;
}

/** Every field's error, and the setup when all of the fields that make it are valid. */
export function validate(form: TrainingForm, points = TUTORIAL.points): { errors: FieldErrors; setup: PolyfitSetup | null } {
  const errors: FieldErrors = {};
  const put = (name: FieldName, e: string | null) => {
    if (e) errors[name] = e;
  };
  put('seed', checkSeed(form.seed));
  (['a', 'b', 'c', 'd'] as const).forEach((n, i) => put(n, checkStart(form.start[i])));
  put('learningRate', checkLearningRate(form.learningRate));
  put('iterations', checkIterations(form.iterations));
  const setupFields: FieldName[] = ['a', 'b', 'c', 'd', 'learningRate', 'iterations'];
  if (setupFields.some((f) => errors[f])) return { errors, setup: null };
  return {
    errors,
    setup: {
      start: form.start.map((s) => parseNumber(s)!) as Coeffs,
      learningRate: parseNumber(form.learningRate)!,
      iterations: parseNumber(form.iterations)!,
      points,
    },
  };
}
