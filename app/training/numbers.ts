// Numbers as the panel shows them: Python's repr (what the tutorial prints) and float32 distances.
import { progressPrints, pyFloat } from '../../engine/train/polyfit';

export { progressPrints, pyFloat };

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The float32 bit pattern as a monotonic integer (negative floats mirrored), for ulp distances. */
function ordered(x: number): number {
  f32[0] = x;
  const bits = i32[0];
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** How many float32 values lie between a and b (0 when identical); NaN when either is not finite. */
export function ulpDistance(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return NaN;
  return Math.abs(ordered(a) - ordered(b));
}

/** A difference for the panel: '0' or a short scientific number. */
export function shortDiff(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  return x.toExponential(1).replace('e-', 'e−');
}
