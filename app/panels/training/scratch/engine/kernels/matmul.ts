// Matrix multiplication: C[m,n] (+)= op(A)[m,k] · op(B)[k,n] on row-major typed arrays.
//
// Note: the design is the GotoBLAS/BLIS loop nest, scaled to what V8 can do with scalar doubles.
//   for jc (NC columns of C) / for pc (KC of the shared dim): pack B[pc.., jc..] into NR-wide panels
//     for ic (MC rows of C): pack A[ic.., pc..] into MR-tall panels
//       for each MR×NR tile: the micro-kernel keeps the 16 sums in locals for the whole KC loop.
// Panels are Float64Array whatever the input type, so the micro-kernel's loads are monomorphic and
// need no float32→float64 conversion (packing touches each input element KC/NR times fewer than
// the micro-kernel does). Sums are formed in float64 within a KC block and added into C once per
// block, so float32 results differ from PyTorch's float32 BLAS only by rounding.
// Measured on the 2-core AVX2 box (Node 20, 512³ float32): 4×4 ≈ 5.3 GFLOP/s; 4×8 and 2×4 were
// slower (4×8 spills, 2×4 loads more per flop), and KC/MC barely matter, as the micro-kernel and
// not memory is the bound. Tiny products skip packing (see SMALL_GEMM_FLOPS).

import { type FloatArray, outOrAlloc, checkLength, Scratch } from './types';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;
/** Below this many multiply-adds, a plain triple loop beats packing. */
const SMALL_GEMM_FLOPS = 4096;

const packedA = new Float64Array(MC * KC);
const packedB = new Scratch();
const edgeTile = new Float64Array(MR * NR);

/**
 * The general form: C[i,j] (+)= Σ_p A[i,p]·B[p,j] where A[i,p] = a[aOff + i*aRow + p*aCol],
 * B[p,j] = b[bOff + p*bRow + j*bCol] and C[i,j] = c[cOff + i*ldc + j]. Transposes and sub-matrices
 * are strides; for a batch or a group, move the offsets. `accumulate=false` overwrites C.
 */
export function gemm(
  m: number, n: number, k: number,
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  c: FloatArray, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  if (m * n * k <= SMALL_GEMM_FLOPS) {
    smallGemm(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, ldc, accumulate);
    return;
  }
  const bp = packedB.get(Math.min(NC, roundUp(n, NR)) * KC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // The first KC block stores instead of adding, so C needs no zeroing pass (stale NaNs included).
      const overwrite = !accumulate && pc === 0;
      packB(kc, nc, b, bOff + pc * bRow + jc * bCol, bRow, bCol, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(mc, kc, a, aOff + ic * aRow + pc * aCol, aRow, aCol, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const co = cOff + (ic + ir) * ldc + jc + jr;
            if (mr < MR || nr < NR) microEdge(kc, packedA, ir * kc, bp, jr * kc, c, co, ldc, mr, nr, overwrite);
            else if (overwrite) microSet(kc, packedA, ir * kc, bp, jr * kc, c, co, ldc);
            else microAdd(kc, packedA, ir * kc, bp, jr * kc, c, co, ldc);
          }
        }
      }
    }
  }
}

/**
 * C[m,n] (+)= op(A)·op(B), all row-major and contiguous. op(A) is A[m,k], or A stored as [k,m]
 * when `transA`; op(B) is B[k,n], or B stored as [n,k] when `transB`. Returns `out` (allocated
 * with `a`'s element type when not given).
 */
export function matmul(
  a: FloatArray, b: FloatArray, out: FloatArray | null | undefined,
  m: number, k: number, n: number,
  transA = false, transB = false, accumulate = false,
): FloatArray {
  checkLength('matmul', 'A', a, m * k);
  checkLength('matmul', 'B', b, k * n);
  const c = outOrAlloc('matmul', out, a, m * n);
  gemm(
    m, n, k,
    a, 0, transA ? 1 : k, transA ? m : 1,
    b, 0, transB ? 1 : n, transB ? k : 1,
    c, 0, n, accumulate,
  );
  return c;
}

/**
 * `batch` independent products C[i] (+)= op(A[i])·op(B[i]). The strides between matrices default to
 * the dense ones; pass 0 for an operand broadcast over the batch.
 */
export function bmm(
  a: FloatArray, b: FloatArray, out: FloatArray | null | undefined,
  batch: number, m: number, k: number, n: number,
  transA = false, transB = false, accumulate = false,
  strideA = m * k, strideB = k * n, strideOut = m * n,
): FloatArray {
  if (batch > 0) {
    checkLength('bmm', 'A', a, (batch - 1) * strideA + m * k);
    checkLength('bmm', 'B', b, (batch - 1) * strideB + k * n);
  }
  const c = outOrAlloc('bmm', out, a, Math.max(0, (batch - 1) * strideOut + m * n));
  for (let i = 0; i < batch; i++) {
    gemm(
      m, n, k,
      a, i * strideA, transA ? 1 : k, transA ? m : 1,
      b, i * strideB, transB ? 1 : n, transB ? k : 1,
      c, i * strideOut, n, accumulate,
    );
  }
  return c;
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

function smallGemm(
  m: number, n: number, k: number,
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  c: FloatArray, cOff: number, ldc: number, accumulate: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const aRowStart = aOff + i * aRow;
    const cRowStart = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let ai = aRowStart;
      let bi = bOff + j * bCol;
      for (let p = 0; p < k; p++) {
        sum += a[ai] * b[bi];
        ai += aCol;
        bi += bRow;
      }
      c[cRowStart + j] = accumulate ? c[cRowStart + j] + sum : sum;
    }
  }
}

/** Packs A[0:mc, 0:kc] (from `off`) as MR-tall panels: dst[ir*kc + p*MR + i] = A[ir+i, p], zero-padded. */
function packA(mc: number, kc: number, a: FloatArray, off: number, aRow: number, aCol: number, dst: Float64Array): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    const base = ir * kc;
    const src = off + ir * aRow;
    if (mr === MR && aCol === 1) {
      const r0 = src, r1 = src + aRow, r2 = src + 2 * aRow, r3 = src + 3 * aRow;
      for (let p = 0, d = base; p < kc; p++, d += MR) {
        dst[d] = a[r0 + p];
        dst[d + 1] = a[r1 + p];
        dst[d + 2] = a[r2 + p];
        dst[d + 3] = a[r3 + p];
      }
    } else if (mr === MR && aRow === 1) {
      for (let p = 0, d = base, s = src; p < kc; p++, d += MR, s += aCol) {
        dst[d] = a[s];
        dst[d + 1] = a[s + 1];
        dst[d + 2] = a[s + 2];
        dst[d + 3] = a[s + 3];
      }
    } else {
      for (let p = 0, d = base; p < kc; p++, d += MR) {
        for (let i = 0; i < MR; i++) dst[d + i] = i < mr ? a[src + i * aRow + p * aCol] : 0;
      }
    }
  }
}

/** Packs B[0:kc, 0:nc] (from `off`) as NR-wide panels: dst[jr*kc + p*NR + j] = B[p, jr+j], zero-padded. */
function packB(kc: number, nc: number, b: FloatArray, off: number, bRow: number, bCol: number, dst: Float64Array): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const base = jr * kc;
    const src = off + jr * bCol;
    if (nr === NR && bCol === 1) {
      for (let p = 0, d = base, s = src; p < kc; p++, d += NR, s += bRow) {
        dst[d] = b[s];
        dst[d + 1] = b[s + 1];
        dst[d + 2] = b[s + 2];
        dst[d + 3] = b[s + 3];
      }
    } else if (nr === NR && bRow === 1) {
      const c0 = src, c1 = src + bCol, c2 = src + 2 * bCol, c3 = src + 3 * bCol;
      for (let p = 0, d = base; p < kc; p++, d += NR) {
        dst[d] = b[c0 + p];
        dst[d + 1] = b[c1 + p];
        dst[d + 2] = b[c2 + p];
        dst[d + 3] = b[c3 + p];
      }
    } else {
      for (let p = 0, d = base; p < kc; p++, d += NR) {
        for (let j = 0; j < NR; j++) dst[d + j] = j < nr ? b[src + p * bRow + j * bCol] : 0;
      }
    }
  }
}

// Note: the micro-kernels are straight-line code with no data-dependent branch. An earlier single
// kernel that chose between store/add/edge inside was deoptimized by V8 whenever a branch not taken
// during warm-up was first taken (e.g. the second KC block of a larger product), and the re-optimized
// code ran ~30% slower for the rest of the process. Edge tiles go through microSet into a 4×4 scratch.

/** C[0:4, 0:4] = (MR-panel of A)·(NR-panel of B) over kc. The 16 sums live in locals. */
function microSet(kc: number, ap: Float64Array, ao: number, bp: Float64Array, bo: number, c: FloatArray, co: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3];
    const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ao += MR;
    bo += NR;
  }
  c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03; co += ldc;
  c[co] = c10; c[co + 1] = c11; c[co + 2] = c12; c[co + 3] = c13; co += ldc;
  c[co] = c20; c[co + 1] = c21; c[co + 2] = c22; c[co + 3] = c23; co += ldc;
  c[co] = c30; c[co + 1] = c31; c[co + 2] = c32; c[co + 3] = c33;
}

/** C[0:4, 0:4] += (MR-panel of A)·(NR-panel of B) over kc. */
function microAdd(kc: number, ap: Float64Array, ao: number, bp: Float64Array, bo: number, c: FloatArray, co: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3];
    const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ao += MR;
    bo += NR;
  }
  c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03; co += ldc;
  c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13; co += ldc;
  c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23; co += ldc;
  c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
}

/** A partial tile C[0:mr, 0:nr] (+)= …: the full product into the scratch tile, then the valid part. */
function microEdge(
  kc: number, ap: Float64Array, ao: number, bp: Float64Array, bo: number,
  c: FloatArray, co: number, ldc: number, mr: number, nr: number, overwrite: boolean,
): void {
  const t = edgeTile;
  microSet(kc, ap, ao, bp, bo, t, 0, NR);
  for (let i = 0; i < mr; i++) {
    const row = co + i * ldc;
    if (overwrite) for (let j = 0; j < nr; j++) c[row + j] = t[i * NR + j];
    else for (let j = 0; j < nr; j++) c[row + j] += t[i * NR + j];
  }
}
