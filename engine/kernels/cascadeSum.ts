// PyTorch's CPU sum, in its order of additions (aten/src/ATen/native/cpu/SumKernel.cpp, cascade_sum, as built
// for AVX2): a float32 tensor is summed in float32, a float64 one in float64, and which additions happen in
// which order decides the last bits. Summing in float64 instead (as this engine did) is more accurate but
// not PyTorch's number: the tutorial's printed losses and its Result line differed in the last digits.
//
// The algorithm, for one output of a contiguous reduction over n elements:
// - Elements are read as vectors of LANES (8 float32 or 4 float64: AVX2's 256 bits), four vectors to a row.
// - multiRowSum: one accumulator per column of the row at each of 4 levels. A level-0 accumulator takes
//   2^p rows (p = max(4, ceil(log2(rows)) / 4)), then is added into level 1 and cleared; level 1 into 2 when
//   its own count of 2^p is reached, and so on (a cascade: long sums stay accurate). At the end the levels
//   are added into level 0.
// - rowSum: the four vector accumulators are added into the first in order; vectors left over after the
//   last full row go into the first before that; then a scalar total takes the elements after the last full
//   vector, then each lane of the first accumulator in turn.
// - Fewer elements than a vector: the same with scalars (rows of four elements).
// A reduction over an outer dim (sum(0) of [B, N]) sums each column down the rows: columns in groups of
// 4 vectors take multiRowSum with one accumulator per column; the next whole vectors of columns, and the
// last columns one by one, take rowSum over the column (four interleaved accumulators).
// Checked bit for bit against Debian's PyTorch 1.13.1 (see cascadeSum.test.ts).

const fr = Math.fround;
const LEVELS = 4;
/** Accumulators: LEVELS levels of up to 4 vectors of 8 lanes. */
const ACC = new Float64Array(LEVELS * 32);

/** CeilLog2 of ATen's cpu/utils.h: 1 for x <= 2, else the bit length of x - 1. */
function ceilLog2(x: number): number {
  return x <= 2 ? 1 : 32 - Math.clz32(x - 1);
}

/**
 * multi_row_sum: `rows` rows of `items` items of `lanes` lanes; accumulator k * lanes + l (item k, lane l)
 * of row i reads x[off + i * rowStride + k * itemStride + l * laneStride]. Leaves the sums in ACC[0 .. items * lanes).
 */
function multiRowSum(x: Float32Array | Float64Array, off: number, rowStride: number, itemStride: number, laneStride: number, items: number, lanes: number, rows: number, f32: boolean): void {
  const width = items * lanes;
  const power = Math.max(4, Math.floor(ceilLog2(rows) / LEVELS));
  const step = 1 << power;
  const mask = step - 1;
  ACC.fill(0, 0, LEVELS * width);
  let i = 0;
  while (i + step <= rows) {
    for (let j = 0; j < step; j++, i++) addRow(x, off + i * rowStride, itemStride, laneStride, items, lanes, f32);
    for (let level = 1; level < LEVELS; level++) {
      const cur = level * width;
      const prev = cur - width;
      for (let e = 0; e < width; e++) {
        const s = ACC[cur + e] + ACC[prev + e];
        ACC[cur + e] = f32 ? fr(s) : s;
        ACC[prev + e] = 0;
      }
      if ((i & (mask << (level * power))) !== 0) break;
    }
  }
  for (; i < rows; i++) addRow(x, off + i * rowStride, itemStride, laneStride, items, lanes, f32);
  for (let level = 1; level < LEVELS; level++) {
    for (let e = 0; e < width; e++) {
      const s = ACC[e] + ACC[level * width + e];
      ACC[e] = f32 ? fr(s) : s;
    }
  }
}

/** Level 0 += one row. */
function addRow(x: Float32Array | Float64Array, base: number, itemStride: number, laneStride: number, items: number, lanes: number, f32: boolean): void {
  for (let k = 0, e = 0; k < items; k++) {
    const b = base + k * itemStride;
    for (let l = 0; l < lanes; l++, e++) {
      const s = ACC[e] + x[b + l * laneStride];
      ACC[e] = f32 ? fr(s) : s;
    }
  }
}

/**
 * row_sum: `size` items of `lanes` lanes (item k at off + k * stride, its lanes `laneStride` apart), read as
 * rows of four items: leaves the `lanes` sums in ACC[0 .. lanes).
 */
function rowSum(x: Float32Array | Float64Array, off: number, stride: number, laneStride: number, lanes: number, size: number, f32: boolean): void {
  const rows = Math.floor(size / 4);
  multiRowSum(x, off, 4 * stride, stride, laneStride, 4, lanes, rows, f32);
  for (let k = rows * 4; k < size; k++) {
    for (let l = 0; l < lanes; l++) {
      const s = ACC[l] + x[off + k * stride + l * laneStride];
      ACC[l] = f32 ? fr(s) : s;
    }
  }
  for (let k = 1; k < 4; k++) {
    for (let l = 0; l < lanes; l++) {
      const s = ACC[l] + ACC[k * lanes + l];
      ACC[l] = f32 ? fr(s) : s;
    }
  }
}

/** Σ x[off .. off + n), contiguous, as PyTorch's sum of a float32 (or float64) tensor gives it. */
export function cascadeSum(x: Float32Array | Float64Array, off: number, n: number): number {
  if (x instanceof Float32Array && n >= 8) return contiguousF32(x, off, n);
  const f32 = x instanceof Float32Array;
  const lanes = f32 ? 8 : 4;
  if (n < lanes) {
    rowSum(x, off, 1, 1, 1, n, f32);
    return ACC[0] + 0;
  }
  const vectors = Math.floor(n / lanes);
  rowSum(x, off, lanes, 1, lanes, vectors, f32);
  let total = 0;
  for (let k = vectors * lanes; k < n; k++) total = f32 ? fr(total + x[off + k]) : total + x[off + k];
  for (let l = 0; l < lanes; l++) total = f32 ? fr(total + ACC[l]) : total + ACC[l];
  return total + 0;
}

/**
 * out[outOff + c] = Σ_i x[off + i * columns + c] for c < columns: a reduction over an outer dim of a
 * contiguous tensor (rows of `columns` elements), as PyTorch's vectorized_outer_sum / scalar_outer_sum
 * order it (see the note on top).
 */
export function cascadeColumnSums(x: Float32Array | Float64Array, off: number, rows: number, columns: number, out: Float32Array | Float64Array, outOff: number): void {
  const f32 = x instanceof Float32Array;
  const lanes = f32 ? 8 : 4;
  let c = 0;
  if (columns >= lanes) {
    // Four vectors of columns at a time, one accumulator per column down the rows.
    for (; c + 4 * lanes <= columns; c += 4 * lanes) {
      multiRowSum(x, off + c, columns, lanes, 1, 4, lanes, rows, f32);
      for (let e = 0; e < 4 * lanes; e++) out[outOff + c + e] = ACC[e] + 0;
    }
    // One vector of columns: rows of four, interleaved.
    for (; c + lanes <= columns; c += lanes) {
      rowSum(x, off + c, columns, 1, lanes, rows, f32);
      for (let l = 0; l < lanes; l++) out[outOff + c + l] = ACC[l] + 0;
    }
  } else {
    // Scalar columns, four at a time.
    for (; c + 4 <= columns; c += 4) {
      multiRowSum(x, off + c, columns, 1, 1, 4, 1, rows, f32);
      for (let e = 0; e < 4; e++) out[outOff + c + e] = ACC[e] + 0;
    }
  }
  for (; c < columns; c++) {
    rowSum(x, off + c, columns, 1, 1, rows, f32);
    out[outOff + c] = ACC[0] + 0;
  }
}

// Note: the common case (a float32 tensor of 8 elements or more, contiguous) in a loop of its own: rows are 32
// consecutive floats, and the accumulators live in a Float32Array, so storing a double sum rounds it to float
// (a double holds the exact sum of two floats up to far below a float's last bit, so this is float addition)
// without a Math.fround per element. The tutorial's loop sums 2000-element tensors five times an iteration.
const A32 = new Float32Array(LEVELS * 32);
const T32 = new Float32Array(1);

function contiguousF32(x: Float32Array, off: number, n: number): number {
  const vectors = n >> 3;
  const rows = vectors >> 2;
  const power = Math.max(4, Math.floor(ceilLog2(rows) / LEVELS));
  const step = 1 << power;
  const mask = step - 1;
  const a = A32;
  a.fill(0);
  let i = 0;
  while (i + step <= rows) {
    for (let j = 0; j < step; j++, i++) {
      const b = off + i * 32;
      for (let e = 0; e < 32; e++) a[e] += x[b + e];
    }
    for (let level = 1; level < LEVELS; level++) {
      const cur = level * 32;
      for (let e = 0; e < 32; e++) {
        a[cur + e] += a[cur - 32 + e];
        a[cur - 32 + e] = 0;
      }
      if ((i & (mask << (level * power))) !== 0) break;
    }
  }
  for (; i < rows; i++) {
    const b = off + i * 32;
    for (let e = 0; e < 32; e++) a[e] += x[b + e];
  }
  for (let level = 1; level < LEVELS; level++) for (let e = 0; e < 32; e++) a[e] += a[level * 32 + e];
  for (let k = rows * 4; k < vectors; k++) {
    const b = off + k * 8;
    for (let l = 0; l < 8; l++) a[l] += x[b + l];
  }
  for (let k = 1; k < 4; k++) for (let l = 0; l < 8; l++) a[l] += a[k * 8 + l];
  const t = T32;
  t[0] = 0;
  for (let k = vectors * 8; k < n; k++) t[0] += x[off + k];
  for (let l = 0; l < 8; l++) t[0] += a[l];
  return t[0] + 0;
}
