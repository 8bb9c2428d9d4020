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
export function ceilLog2(x: number): number {
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
  if (x instanceof Float32Array && n >= 8) return contiguousF32(x, null, off, n);
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

/**
 * Σ fround(x[i] * y[i]) for i < n (n >= 8) as PyTorch's sum of the float32 product x * y gives it, without
 * making the product: the backward of a scalar parameter times a tensor (b * x) sums grad * x.
 */
export function cascadeDotF32(x: Float32Array, y: Float32Array, n: number): number {
  return contiguousF32(x, y, 0, n);
}

/** Σ x[off .. off + n) (n >= 8), or of the products x[i] * y[i] rounded to float when y is given. */
function contiguousF32(x: Float32Array, y: Float32Array | null, off: number, n: number): number {
  const vectors = n >> 3;
  const rows = vectors >> 2;
  const power = Math.max(4, Math.floor(ceilLog2(rows) / LEVELS));
  const step = 1 << power;
  const mask = step - 1;
  const a = A32;
  a.fill(0);
  let i = 0;
  while (i + step <= rows) {
    if (y) addProductRows32(x, y, off + i * 32, step, a);
    else addRows32(x, off + i * 32, step, a);
    i += step;
    for (let level = 1; level < LEVELS; level++) {
      const cur = level * 32;
      for (let e = 0; e < 32; e++) {
        a[cur + e] += a[cur - 32 + e];
        a[cur - 32 + e] = 0;
      }
      if ((i & (mask << (level * power))) !== 0) break;
    }
  }
  if (y) addProductRows32(x, y, off + i * 32, rows - i, a);
  else addRows32(x, off + i * 32, rows - i, a);
  for (let level = 1; level < LEVELS; level++) for (let e = 0; e < 32; e++) a[e] += a[level * 32 + e];
  for (let k = rows * 4; k < vectors; k++) {
    const b = off + k * 8;
    for (let l = 0; l < 8; l++) a[l] += y ? fr(x[b + l] * y[b + l]) : x[b + l];
  }
  for (let k = 1; k < 4; k++) for (let l = 0; l < 8; l++) a[l] += a[k * 8 + l];
  const t = T32;
  t[0] = 0;
  for (let k = vectors * 8; k < n; k++) t[0] += y ? fr(x[off + k] * y[off + k]) : x[off + k];
  for (let l = 0; l < 8; l++) t[0] += a[l];
  return t[0] + 0;
}

/**
 * a[e] += Σ over `rows` rows of 32 floats from x[b0] of element e, each addition rounded to float: the level-0
 * accumulators of contiguousF32, written out in 32 locals (measured 2x faster than the same loop over an array).
 */
function addRows32(x: Float32Array, b0: number, rows: number, a: Float32Array): void {
  const f = Math.fround;
  let a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
  let a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14], a15 = a[15];
  let a16 = a[16], a17 = a[17], a18 = a[18], a19 = a[19], a20 = a[20], a21 = a[21], a22 = a[22], a23 = a[23];
  let a24 = a[24], a25 = a[25], a26 = a[26], a27 = a[27], a28 = a[28], a29 = a[29], a30 = a[30], a31 = a[31];
  for (let i = 0, b = b0; i < rows; i++, b += 32) {
    a0 = f(a0 + x[b + 0]); a1 = f(a1 + x[b + 1]); a2 = f(a2 + x[b + 2]); a3 = f(a3 + x[b + 3]);
    a4 = f(a4 + x[b + 4]); a5 = f(a5 + x[b + 5]); a6 = f(a6 + x[b + 6]); a7 = f(a7 + x[b + 7]);
    a8 = f(a8 + x[b + 8]); a9 = f(a9 + x[b + 9]); a10 = f(a10 + x[b + 10]); a11 = f(a11 + x[b + 11]);
    a12 = f(a12 + x[b + 12]); a13 = f(a13 + x[b + 13]); a14 = f(a14 + x[b + 14]); a15 = f(a15 + x[b + 15]);
    a16 = f(a16 + x[b + 16]); a17 = f(a17 + x[b + 17]); a18 = f(a18 + x[b + 18]); a19 = f(a19 + x[b + 19]);
    a20 = f(a20 + x[b + 20]); a21 = f(a21 + x[b + 21]); a22 = f(a22 + x[b + 22]); a23 = f(a23 + x[b + 23]);
    a24 = f(a24 + x[b + 24]); a25 = f(a25 + x[b + 25]); a26 = f(a26 + x[b + 26]); a27 = f(a27 + x[b + 27]);
    a28 = f(a28 + x[b + 28]); a29 = f(a29 + x[b + 29]); a30 = f(a30 + x[b + 30]); a31 = f(a31 + x[b + 31]);
  }
  a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5; a[6] = a6; a[7] = a7;
  a[8] = a8; a[9] = a9; a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14; a[15] = a15;
  a[16] = a16; a[17] = a17; a[18] = a18; a[19] = a19; a[20] = a20; a[21] = a21; a[22] = a22; a[23] = a23;
  a[24] = a24; a[25] = a25; a[26] = a26; a[27] = a27; a[28] = a28; a[29] = a29; a[30] = a30; a[31] = a31;
}

/** addRows32 of the products x[i] * y[i], each rounded to float. */
function addProductRows32(x: Float32Array, y: Float32Array, b0: number, rows: number, a: Float32Array): void {
  const f = Math.fround;
  let a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
  let a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14], a15 = a[15];
  let a16 = a[16], a17 = a[17], a18 = a[18], a19 = a[19], a20 = a[20], a21 = a[21], a22 = a[22], a23 = a[23];
  let a24 = a[24], a25 = a[25], a26 = a[26], a27 = a[27], a28 = a[28], a29 = a[29], a30 = a[30], a31 = a[31];
  for (let i = 0, b = b0; i < rows; i++, b += 32) {
    a0 = f(a0 + f(x[b + 0] * y[b + 0])); a1 = f(a1 + f(x[b + 1] * y[b + 1])); a2 = f(a2 + f(x[b + 2] * y[b + 2])); a3 = f(a3 + f(x[b + 3] * y[b + 3]));
    a4 = f(a4 + f(x[b + 4] * y[b + 4])); a5 = f(a5 + f(x[b + 5] * y[b + 5])); a6 = f(a6 + f(x[b + 6] * y[b + 6])); a7 = f(a7 + f(x[b + 7] * y[b + 7]));
    a8 = f(a8 + f(x[b + 8] * y[b + 8])); a9 = f(a9 + f(x[b + 9] * y[b + 9])); a10 = f(a10 + f(x[b + 10] * y[b + 10])); a11 = f(a11 + f(x[b + 11] * y[b + 11]));
    a12 = f(a12 + f(x[b + 12] * y[b + 12])); a13 = f(a13 + f(x[b + 13] * y[b + 13])); a14 = f(a14 + f(x[b + 14] * y[b + 14])); a15 = f(a15 + f(x[b + 15] * y[b + 15]));
    a16 = f(a16 + f(x[b + 16] * y[b + 16])); a17 = f(a17 + f(x[b + 17] * y[b + 17])); a18 = f(a18 + f(x[b + 18] * y[b + 18])); a19 = f(a19 + f(x[b + 19] * y[b + 19]));
    a20 = f(a20 + f(x[b + 20] * y[b + 20])); a21 = f(a21 + f(x[b + 21] * y[b + 21])); a22 = f(a22 + f(x[b + 22] * y[b + 22])); a23 = f(a23 + f(x[b + 23] * y[b + 23]));
    a24 = f(a24 + f(x[b + 24] * y[b + 24])); a25 = f(a25 + f(x[b + 25] * y[b + 25])); a26 = f(a26 + f(x[b + 26] * y[b + 26])); a27 = f(a27 + f(x[b + 27] * y[b + 27]));
    a28 = f(a28 + f(x[b + 28] * y[b + 28])); a29 = f(a29 + f(x[b + 29] * y[b + 29])); a30 = f(a30 + f(x[b + 30] * y[b + 30])); a31 = f(a31 + f(x[b + 31] * y[b + 31]));
  }
  a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5; a[6] = a6; a[7] = a7;
  a[8] = a8; a[9] = a9; a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14; a[15] = a15;
  a[16] = a16; a[17] = a17; a[18] = a18; a[19] = a19; a[20] = a20; a[21] = a21; a[22] = a22; a[23] = a23;
  a[24] = a24; a[25] = a25; a[26] = a26; a[27] = a27; a[28] = a28; a[29] = a29; a[30] = a30; a[31] = a31;
}
