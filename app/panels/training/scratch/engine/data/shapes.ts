// A procedural image data set: coloured shapes and stripe patterns on noisy backgrounds, drawn from a seeded
// mt19937 (the engine's generator class, its own instance), so a (classes, count, seed) triple always gives
// the same images, in Node and in the browser, without a download.
//
// Note: ten classes share one drawing routine. The pretraining script uses the first six; the fine-tune
// panel asks for others (ring, half disc, checker, diagonal stripes) to make a "new task" whose images look
// like the old ones (same colours, noise, jitter) but whose labels the pretrained head has never seen.
import { MT19937 } from '../random';

export const SHAPE_CLASSES = [
  'circle', 'square', 'triangle', 'cross', 'horizontal stripes', 'vertical stripes',
  'ring', 'half disc', 'checker', 'diagonal stripes',
] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** The classes the bundled small ResNet was pretrained on. */
export const PRETRAIN_CLASSES: readonly ShapeClass[] = SHAPE_CLASSES.slice(0, 6);
/** Classes it has never seen: the fine-tune panel's new task. */
export const FINETUNE_CLASSES: readonly ShapeClass[] = SHAPE_CLASSES.slice(6);

/** Per-channel normalisation applied by `normalize` (the images are in [0, 1]). */
export const SHAPES_MEAN = 0.5;
export const SHAPES_STD = 0.25;

export interface ShapesOptions {
  classes: readonly ShapeClass[];
  /** Images per class. */
  perClass: number;
  /** Side in pixels (default 32). */
  size?: number;
  seed?: number;
  /** Interleave classes (0, 1, 2, ..., 0, 1, 2, ...) instead of shuffling with the generator (default false). */
  ordered?: boolean;
}

export interface ShapesData {
  /** [N, 3, size, size], values in [0, 1]. */
  images: Float32Array;
  /** Class index into `classes` per image. */
  labels: Int32Array;
  n: number;
  size: number;
  classes: readonly ShapeClass[];
}

/** Draws `perClass` images of each class, shuffled (Fisher-Yates on the same generator). */
export function makeShapes(o: ShapesOptions): ShapesData {
  const size = o.size ?? 32;
  const rng = new MT19937(o.seed ?? 0);
  const k = o.classes.length;
  const n = k * o.perClass;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i % k;
  if (!o.ordered) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.random() % (i + 1);
      const t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
  }
  const images = new Float32Array(n * 3 * size * size);
  for (let i = 0; i < n; i++) drawImage(images.subarray(i * 3 * size * size, (i + 1) * 3 * size * size), o.classes[labels[i]], size, rng);
  return { images, labels, n, size, classes: o.classes };
}

/** (x - mean) / std in place, the input scaling the models are trained with. */
export function normalize(images: Float32Array): Float32Array {
  for (let i = 0; i < images.length; i++) images[i] = (images[i] - SHAPES_MEAN) / SHAPES_STD;
  return images;
}

const U = (rng: MT19937): number => rng.uniformFloat();

/** A random colour with a given lightness band, as RGB in [0, 1]. */
function colour(rng: MT19937, light: boolean): [number, number, number] {
  const h = U(rng) * 6;
  const s = 0.5 + 0.5 * U(rng);
  const v = light ? 0.75 + 0.25 * U(rng) : 0.1 + 0.3 * U(rng);
  const c = v * s;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = v - c;
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  return [r + m, g + m, b + m];
}

/**
 * Whether the point (u, v) — coordinates relative to the shape's centre, in units of its radius, already
 * rotated — is inside the shape. Stripe patterns ignore the radius and fill the whole image.
 */
function inside(cls: ShapeClass, u: number, v: number, period: number, px: number, py: number): boolean {
  switch (cls) {
    case 'circle':
      return u * u + v * v <= 1;
    case 'ring': {
      const r = Math.sqrt(u * u + v * v);
      return r <= 1 && r >= 0.55;
    }
    case 'square':
      return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    case 'half disc':
      return u * u + v * v <= 1 && v >= -0.1;
    case 'triangle':
      // An upward triangle: below the two slanted edges and above the base.
      return v <= 0.7 && v >= -1 + 1.7 * Math.abs(u) * 1.15;
    case 'cross':
      return (Math.abs(u) <= 0.28 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.28 && Math.abs(u) <= 1);
    case 'horizontal stripes':
      return Math.floor(py / period) % 2 === 0;
    case 'vertical stripes':
      return Math.floor(px / period) % 2 === 0;
    case 'diagonal stripes':
      return Math.floor((px + py) / (period * 1.4)) % 2 === 0;
    case 'checker':
      return (Math.floor(px / period) + Math.floor(py / period)) % 2 === 0;
  }
}

function drawImage(out: Float32Array, cls: ShapeClass, size: number, rng: MT19937): void {
  const plane = size * size;
  const lightForeground = U(rng) < 0.5;
  const fg = colour(rng, lightForeground);
  const bg = colour(rng, !lightForeground);
  const noise = 0.05 + 0.1 * U(rng);
  // Shape placement: centre within the middle half, radius 22-40% of the side, any rotation.
  const cx = size * (0.3 + 0.4 * U(rng));
  const cy = size * (0.3 + 0.4 * U(rng));
  const radius = size * (0.22 + 0.18 * U(rng));
  const angle = cls === 'triangle' ? (U(rng) - 0.5) * 0.6 : U(rng) * Math.PI * 2;
  const period = Math.max(2, Math.round(size * (0.08 + 0.07 * U(rng))));
  const phaseX = Math.floor(U(rng) * period * 2);
  const phaseY = Math.floor(U(rng) * period * 2);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x + 0.5 - cx) / radius;
      const dy = (y + 0.5 - cy) / radius;
      const u = cos * dx + sin * dy;
      const v = -sin * dx + cos * dy;
      const on = inside(cls, u, -v, period, x + phaseX, y + phaseY);
      const c = on ? fg : bg;
      for (let ch = 0; ch < 3; ch++) {
        const value = c[ch] + noise * (2 * U(rng) - 1);
        out[ch * plane + y * size + x] = value < 0 ? 0 : value > 1 ? 1 : value;
      }
    }
  }
}

/** One image's pixels as RGBA bytes (for a canvas in the app), from [3, size, size] data in [0, 1]. */
export function toRgba(image: Float32Array, size: number): Uint8ClampedArray {
  const plane = size * size;
  const out = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    out[4 * i] = image[i] * 255;
    out[4 * i + 1] = image[plane + i] * 255;
    out[4 * i + 2] = image[2 * plane + i] * 255;
    out[4 * i + 3] = 255;
  }
  return out;
}
