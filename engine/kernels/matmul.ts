// Matrix multiplication: C[m,n] (+)= op(A)[m,k] · op(B)[k,n] on row-major typed arrays.
//
// Note: the design is the GotoBLAS/BLIS loop nest, scaled to what V8 can do with scalar doubles.
//   for jc (NC columns of C) / for pc (KC of the shared dim): pack B[pc.., jc..] into NR-wide panels
//     for ic (MC rows of C): pack A[ic.., pc..] into MR-tall panels
//       for each MR×NR tile: the micro-kernel keeps the 16 sums in locals for the whole KC loop.
// Panels are Float64Array whatever the input type, so the micro-kernel's loads are monomorphic and
// need no float32→float64 conversion (packing copies each element once; the micro-kernel then reads
// it m/MR or n/NR times). Sums are formed in float64 within a KC block and added into C once per
// block, so float32 results differ from PyTorch's float32 BLAS only by rounding.
// Measured on the 2-core AVX2 box (Node 20, 512³ float32): 4×4 ≈ 5.3 GFLOP/s; 4×8 and 2×4 were
// slower (4×8 spills, 2×4 loads more per flop), and KC/MC barely matter, as the micro-kernel and
// not memory is the bound. Tiny products skip packing (see SMALL_GEMM_FLOPS). V8 gets ~18% slower
// at all typed-array code once any ArrayBuffer in the isolate has been detached (see scripts/bench.ts).
// With a helper thread installed (installGemmHelper, ./parallel.ts), products of at least
// PARALLEL_MIN_FLOPS share each block's tiles between two threads, bit for bit the same result (see the
// note at gemmParallel); measured 512³ float32 on the 2-core box: ~5 → ~8.5-9 GFLOP/s when it is quiet.
// The helper's entry (serveGemmHelper) also serves the convolutions' own products (./convWinograd,
// ./convTap), which post their jobs to the same helper.

import { type FloatArray, outOrAlloc, checkLength, Scratch } from './types';
import {
  type HelperChannel, type HelperJob, type HelperTarget, JobKind, MAX_TICKETS, SHARED_LENGTH, SHARED_OUT,
  activeChannel, installChannel, isInstalled, kernelThreads, openHelperChannel, serveHelper, setParallelEnabled, ticketPatienceMs, uninstallChannel,
} from './parallel';
import { winogradTicket } from './convWinograd';
import { tapTicket } from './convTap';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;
/** Below this many multiply-adds, a plain triple loop beats packing. */
const SMALL_GEMM_FLOPS = 4096;

/** From this many multiply-adds up, gemm uses the helper thread when one is installed (see gemmParallel). */
const PARALLEL_MIN_FLOPS = 1 << 19;

const packedA = new Float64Array(MC * KC);
const packedB = new Scratch();
const edgeTile = new Float64Array(MR * NR);

/**
 * The general form: C[i,j] (+)= Σ_p A[i,p]·B[p,j] where A[i,p] = a[aOff + i*aRow + p*aCol],
 * B[p,j] = b[bOff + p*bRow + j*bCol] and C[i,j] = c[cOff + i*ldc + j]. Transposes and sub-matrices
 * are strides; for a batch or a group, move the offsets. `accumulate=false` overwrites C.
 * C must not overlap A or B.
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
  if (m * n * k >= PARALLEL_MIN_FLOPS && (m > MR || n > NR)) {
    const h = activeChannel();
    if (h !== null) {
      gemmParallel(h, m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, ldc, accumulate);
      return;
    }
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
 * with `a`'s element type when not given; it must not overlap `a` or `b`).
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

// ---- two threads (see ./parallel) ----
//
// Note: the parallel gemm is the serial loop nest with the MR×NR tiles of each (pc, ic) block shared
// out. The engine packs B and A into shared panels (only it can read the caller's arrays), then both
// threads take tickets of consecutive tiles in the serial order (jr-major). The engine computes its tiles
// straight into C with the same micro-kernels as the serial path; the helper writes its tiles' float64
// sums into a shared C scratch, which the engine then stores or adds into C (c[i] = s or c[i] += s, as
// microSet and microAdd do). Every element of C is the same sum of the same products in the same order,
// so the result is bit for bit the serial one, whichever thread did which tile. Tickets rather than a
// fixed half: a helper that is late, descheduled or gone just does fewer, and the engine does the rest.

/**
 * Shared data (see SHARED_OUT in ./parallel): packed B (KC×NC) and packed A (MC×KC) as the job's inputs,
 * and the helper's C scratch: MR×NR tiles one after the other in the block's tile order (MC×NC), so that
 * storing them into C reads the scratch in order, a cache line after the next, rather than 4 doubles per
 * line of a row-major scratch.
 */
const SHARED_B = 0;
const SHARED_A = SHARED_B + KC * NC;
const SHARED_C = SHARED_OUT;
if (SHARED_A + MC * KC > SHARED_OUT || SHARED_C + MC * NC > SHARED_LENGTH) throw new Error('matmul: the shared layout does not fit');
/** Tickets per block: enough for the two threads to end within a ticket of each other. */
const TICKETS_PER_BLOCK = 48;
/**
 * Blocks with a shorter k stay on the engine: storing the helper's tiles from its scratch would cost
 * about what computing them does (measured: 512×k×1024 gains from k = 16 on).
 */
const MIN_PARALLEL_KC = 16;
/** A ticket is at least this many multiply-adds, so taking it costs little against doing it. */
const MIN_TICKET_FLOPS = 1 << 15;

/** Which tickets of the current block the engine has (taken, or collected from the helper). */
const engineTook = new Uint8Array(MAX_TICKETS);

export interface GemmHelper {
  /** Whether the helper thread has started and is in use: gemm then runs on two threads. */
  readonly active: boolean;
  /** Micro-kernel tiles the helper has computed (tests use it to see that the helper works). */
  readonly helperTiles: number;
  /** Tickets of tiles the helper took but was too slow with, which the engine then did itself. */
  readonly takenBack: number;
  /** Stops using the helper and lets its thread leave its loop (gemm runs on one thread again). */
  uninstall(): void;
}

/**
 * Gives gemm a second thread. `spawn` is called once, only when this thread can share memory and block
 * on it (see canBlockOnSharedMemory), and returns the helper thread (a Worker), whose entry must pass its
 * first message to serveGemmHelper. Returns null, with nothing spawned, where that is impossible (a page
 * that is not cross-origin isolated, a browser's main thread): gemm then stays on one thread. Installing
 * again replaces the previous helper.
 */
export function installGemmHelper(spawn: () => HelperTarget): GemmHelper | null {
  const channel = openHelperChannel(spawn, SHARED_LENGTH);
  if (!channel) return null;
  installChannel(channel);
  return {
    get active() {
      return isInstalled(channel) && channel.serving;
    },
    get helperTiles() {
      return channel.helperWork;
    },
    get takenBack() {
      return channel.takenBack;
    },
    uninstall() {
      uninstallChannel(channel);
    },
  };
}

/** Threads gemm runs on now: 2 when a helper is installed, has started and is enabled, else 1. */
export function gemmThreads(): number {
  return kernelThreads();
}

/**
 * Turns the use of an installed helper off (gemm on one thread, as without a helper) or back on; returns
 * the previous setting. For the bench's one-thread rows and for tests.
 */
export function setGemmParallel(enabled: boolean): boolean {
  return setParallelEnabled(enabled);
}

/**
 * The helper thread's entry: call with its first message. Blocks until the helper is uninstalled. Serves
 * every kind of job (JobKind in ./parallel): gemm tiles, Winograd's products, tap-wise products.
 * `beforeTicket` (for tests) runs before each ticket: a slow or stalling helper.
 */
export function serveGemmHelper(message: unknown, beforeTicket?: () => void): void {
  serveHelper(message, beforeTicket ? (job, t) => (beforeTicket(), anyTicket(job, t)) : anyTicket);
}

function anyTicket(job: HelperJob, ticket: number): number {
  switch (job.kind) {
    case JobKind.gemm: return helperTicket(job, ticket);
    case JobKind.winograd: return winogradTicket(job, ticket);
    case JobKind.taps: return tapTicket(job, ticket);
    default: return 0;
  }
}

/** One ticket on the helper: tiles [t0, t1) of the block into the C scratch. Params: kc, nIr, tiles, perTicket. */
function helperTicket(job: HelperJob, ticket: number): number {
  const p = job.params;
  const kc = p[0], nIr = p[1], tiles = p[2], per = p[3];
  const d = job.data;
  const t0 = ticket * per;
  const t1 = Math.min(tiles, t0 + per);
  for (let t = t0; t < t1; t++) {
    const jt = (t / nIr) | 0;
    const it = t - jt * nIr;
    microSet(kc, d, SHARED_A + it * MR * kc, d, SHARED_B + jt * NR * kc, d, SHARED_C + t * MR * NR, NR);
  }
  return t1 - t0;
}

const jobParams = new Int32Array(4);

function gemmParallel(
  h: HelperChannel, m: number, n: number, k: number,
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  c: FloatArray, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  if (k >= MIN_PARALLEL_KC) h.wake(); // a sleeping helper takes ~0.1 ms to wake: let that overlap packing
  const d = h.data;
  const bp = d.subarray(SHARED_B, SHARED_A);
  const ap = d.subarray(SHARED_A, SHARED_C);
  block.cs = d.subarray(SHARED_C);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nJr = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const overwrite = !accumulate && pc === 0;
      packB(kc, nc, b, bOff + pc * bRow + jc * bCol, bRow, bCol, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(mc, kc, a, aOff + ic * aRow + pc * aCol, aRow, aCol, ap);
        const nIr = Math.ceil(mc / MR);
        const tiles = nIr * nJr;
        const per = Math.max(Math.ceil(tiles / TICKETS_PER_BLOCK), Math.ceil(MIN_TICKET_FLOPS / (MR * NR * kc)));
        const tickets = Math.ceil(tiles / per);
        const cBlock = cOff + ic * ldc + jc;
        if (h.dead || tickets < 2 || kc < MIN_PARALLEL_KC) {
          engineTiles(0, tiles, nIr, mc, nc, kc, ap, bp, c, cBlock, ldc, overwrite);
          continue;
        }
        engineTook.fill(0, 0, tickets);
        jobParams[0] = kc;
        jobParams[1] = nIr;
        jobParams[2] = tiles;
        jobParams[3] = per;
        block.nIr = nIr; block.mc = mc; block.nc = nc; block.kc = kc; block.per = per; block.tiles = tiles;
        block.ap = ap; block.bp = bp; block.c = c; block.cBlock = cBlock; block.ldc = ldc; block.overwrite = overwrite;
        h.post(JobKind.gemm, jobParams, tickets);
        for (let t = h.take(); t >= 0; t = h.take()) {
          engineTook[t] = 1;
          engineTiles(t * per, Math.min(tiles, (t + 1) * per), nIr, mc, nc, kc, ap, bp, c, cBlock, ldc, overwrite);
          // The helper's finished tickets, from its scratch, between ours (not all at the end, while it idles).
          h.collect(engineTook, fromHelper);
        }
        // The rest; a ticket the helper holds too long (descheduled, gone) is computed here after all.
        h.settle(engineTook, ticketPatienceMs(per * MR * NR * kc), fromHelper, takeBack);
      }
    }
  }
  block.c = edgeTile;
}

/** The block being settled, for fromHelper and takeBack (module-level, so no closure per block). */
const block: {
  nIr: number; mc: number; nc: number; kc: number; per: number; tiles: number; cBlock: number; ldc: number; overwrite: boolean;
  ap: Float64Array; bp: Float64Array; cs: Float64Array; c: FloatArray;
} = {
  nIr: 0, mc: 0, nc: 0, kc: 0, per: 0, tiles: 0, cBlock: 0, ldc: 0, overwrite: false,
  ap: edgeTile, bp: edgeTile, cs: edgeTile, c: edgeTile,
};

function fromHelper(t: number): void {
  const b = block;
  storeTiles(t * b.per, Math.min(b.tiles, (t + 1) * b.per), b.nIr, b.mc, b.nc, b.cs, b.c, b.cBlock, b.ldc, b.overwrite);
}

function takeBack(t: number): void {
  const b = block;
  engineTiles(t * b.per, Math.min(b.tiles, (t + 1) * b.per), b.nIr, b.mc, b.nc, b.kc, b.ap, b.bp, b.c, b.cBlock, b.ldc, b.overwrite);
}

/** Tiles [t0, t1) of a block (jr-major), computed into C as the serial loop does. */
function engineTiles(
  t0: number, t1: number, nIr: number, mc: number, nc: number, kc: number,
  ap: Float64Array, bp: Float64Array, c: FloatArray, cBlock: number, ldc: number, overwrite: boolean,
): void {
  for (let t = t0; t < t1; t++) {
    const jt = (t / nIr) | 0;
    const it = t - jt * nIr;
    const ir = it * MR, jr = jt * NR;
    const mr = Math.min(MR, mc - ir), nr = Math.min(NR, nc - jr);
    const co = cBlock + ir * ldc + jr;
    if (mr < MR || nr < NR) microEdge(kc, ap, ir * kc, bp, jr * kc, c, co, ldc, mr, nr, overwrite);
    else if (overwrite) microSet(kc, ap, ir * kc, bp, jr * kc, c, co, ldc);
    else microAdd(kc, ap, ir * kc, bp, jr * kc, c, co, ldc);
  }
}

/** Tiles [t0, t1) of a block from the helper's C scratch into C: stored, or added. */
function storeTiles(
  t0: number, t1: number, nIr: number, mc: number, nc: number,
  cs: Float64Array, c: FloatArray, cBlock: number, ldc: number, overwrite: boolean,
): void {
  for (let t = t0; t < t1; t++) {
    const jt = (t / nIr) | 0;
    const it = t - jt * nIr;
    const ir = it * MR, jr = jt * NR;
    const mr = Math.min(MR, mc - ir), nr = Math.min(NR, nc - jr);
    for (let i = 0; i < mr; i++) {
      const row = cBlock + (ir + i) * ldc + jr;
      const src = (t * MR + i) * NR;
      if (overwrite) for (let j = 0; j < nr; j++) c[row + j] = cs[src + j];
      else for (let j = 0; j < nr; j++) c[row + j] += cs[src + j];
    }
  }
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
