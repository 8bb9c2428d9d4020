// The two-thread gemm (./parallel.ts and the parallel path of ./matmul.ts) against the one-thread gemm:
// bit for bit, on shapes that cross every blocking boundary, with the helper on a real worker thread.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Worker } from 'node:worker_threads';
import { gemm, gemmThreads, installGemmHelper, setGemmParallel } from './matmul';
import { canBlockOnSharedMemory } from './parallel';
import { randomArray, rng } from './testUtil';
import type { FloatArray } from './types';
import { startNodeGemmHelper, type NodeGemmHelper } from '../../scripts/bench/threads';

interface Case {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  /** Extra row stride of C and offsets into A, B, C (sub-matrices). */
  padC: number;
  off: number;
}

// Each is above the parallel threshold (2^19 multiply-adds). Together: edge tiles in m and n, more than
// one KC (256) block of k, MC (128) block of m and NC (2048) block of n, a tall-thin and a long-k product.
const SHAPES: [number, number, number][] = [
  [129, 513, 67], [256, 300, 203], [37, 50, 2101], [600, 40, 30], [64, 128, 64], [8, 20000, 8], [130, 261, 37], [3, 1000, 300],
];

function cases(): Case[] {
  const out: Case[] = [];
  let i = 0;
  for (const [m, k, n] of SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        out.push({ m, k, n, transA, transB, accumulate: i % 3 === 1, padC: i % 2 ? 3 : 0, off: i % 4 === 3 ? 5 : 0 });
        i++;
      }
    }
  }
  return out;
}

/** Runs the case with fresh inputs from `seed`; returns C (including the untouched padding). */
function run(ctor: Float32ArrayConstructor | Float64ArrayConstructor, c: Case, seed: number): FloatArray {
  const r = rng(seed);
  const { m, k, n, off } = c;
  const a = randomArray(ctor, off + m * k, r);
  const b = randomArray(ctor, off + k * n, r);
  const ldc = n + c.padC;
  const out = randomArray(ctor, off + m * ldc, r);
  gemm(
    m, n, k,
    a, off, c.transA ? 1 : k, c.transA ? m : 1,
    b, off, c.transB ? 1 : n, c.transB ? k : 1,
    out, off, ldc, c.accumulate,
  );
  return out;
}

function expectSameBits(got: FloatArray, want: FloatArray, label: string): void {
  expect(got.length).toBe(want.length);
  const g = new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
  const w = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) {
      const e = Math.floor(i / got.BYTES_PER_ELEMENT);
      throw new Error(`${label}: element ${e} differs: ${got[e]} (two threads) vs ${want[e]} (one)`);
    }
  }
}

const shared = canBlockOnSharedMemory();

describe.skipIf(!shared)('gemm on two threads', () => {
  let helper: NodeGemmHelper | null = null;
  beforeAll(async () => {
    helper = await startNodeGemmHelper();
  }, 60_000);
  afterAll(async () => {
    await helper?.stop();
    setGemmParallel(true);
  });

  it('installs a helper that serves', () => {
    expect(helper).not.toBeNull();
    expect(helper!.active).toBe(true);
    expect(gemmThreads()).toBe(2);
  });

  for (const [ctor, label] of [[Float32Array, 'float32'], [Float64Array, 'float64']] as const) {
    for (const [i, c] of cases().entries()) {
      const name = `${label} ${c.m}x${c.k}x${c.n} transA=${c.transA} transB=${c.transB} accumulate=${c.accumulate} ldc+${c.padC} off=${c.off}`;
      it(`equals one thread bit for bit: ${name}`, () => {
        setGemmParallel(false);
        const want = run(ctor, c, 100 + i);
        setGemmParallel(true);
        const got = run(ctor, c, 100 + i);
        expectSameBits(got, want, name);
      });
    }
  }

  it('the helper does a share of the tiles', () => {
    const before = helper!.helperTiles;
    // Repeat: on a loaded machine the helper may be descheduled during one product, and then it does none.
    const start = Date.now();
    while (helper!.helperTiles === before && Date.now() - start < 10_000) run(Float32Array, { m: 256, k: 256, n: 256, transA: false, transB: false, accumulate: false, padC: 0, off: 0 }, 7);
    expect(helper!.helperTiles).toBeGreaterThan(before);
  });

  it('keeps NaN and Infinity where the helper computed them', () => {
    const c: Case = { m: 64, k: 300, n: 64, transA: false, transB: false, accumulate: true, padC: 0, off: 0 };
    const r = rng(3);
    const a = randomArray(Float32Array, c.m * c.k, r);
    const b = randomArray(Float32Array, c.k * c.n, r);
    a[5 * c.k + 7] = NaN;
    b[11 * c.n + 60] = Infinity;
    const outs = [true, false].map((parallel) => {
      setGemmParallel(parallel);
      const out = new Float32Array(c.m * c.n).fill(1);
      gemm(c.m, c.n, c.k, a, 0, c.k, 1, b, 0, c.n, 1, out, 0, c.n, true);
      return out;
    });
    setGemmParallel(true);
    expectSameBits(outs[0], outs[1], 'NaN/Infinity');
    expect(Number.isNaN(outs[0][5 * c.n + 3])).toBe(true);
    expect(outs[0][40 * c.n + 60]).not.toBe(1);
  });

  it('setGemmParallel(false) keeps gemm on one thread', async () => {
    setGemmParallel(false);
    expect(gemmThreads()).toBe(1);
    // A ticket the engine took back from a descheduled helper in an earlier test may still be finishing.
    await new Promise((r) => setTimeout(r, 100));
    const before = helper!.helperTiles;
    run(Float32Array, { m: 256, k: 256, n: 256, transA: false, transB: false, accumulate: false, padC: 0, off: 0 }, 8);
    expect(helper!.helperTiles).toBe(before);
    setGemmParallel(true);
  });
});

describe.skipIf(!shared)('gemm falls back to one thread', () => {
  const c: Case = { m: 150, k: 270, n: 90, transA: false, transB: true, accumulate: true, padC: 2, off: 1 };
  let want: FloatArray;
  beforeAll(() => {
    want = run(Float64Array, c, 42);
  });

  it('with a helper that never starts (nothing waits for it)', () => {
    let posted = 0;
    const h = installGemmHelper(() => ({ postMessage: () => void posted++ }));
    expect(h).not.toBeNull();
    expect(posted).toBe(1);
    try {
      expect(gemmThreads()).toBe(1);
      const t0 = Date.now();
      expectSameBits(run(Float64Array, c, 42), want, 'silent helper');
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      h!.uninstall();
    }
  });

  it('when spawning fails', () => {
    expect(installGemmHelper(() => { throw new Error('no workers here'); })).toBeNull();
    expectSameBits(run(Float64Array, c, 42), want, 'no helper');
  });

  it('with a helper that takes a ticket and never finishes it', async () => {
    const parallelUrl = new URL('./parallel.ts', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(parallelUrl)}, ${JSON.stringify(parallelUrl)})).then(({ serveHelper }) => {
        parentPort.once('message', (m) => serveHelper(m, () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 0; }));
      });`;
    let worker: Worker | null = null;
    const h = installGemmHelper(() => (worker = new Worker(code, { eval: true })));
    expect(h).not.toBeNull();
    try {
      const start = Date.now();
      while (!h!.active && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 10));
      expect(h!.active).toBe(true);
      // The helper takes a ticket and keeps it: the engine does that ticket itself after a short wait (no
      // product waits long), and gives the helper up once it has made no progress for two seconds.
      const t0 = Date.now();
      let slowest = 0;
      while (h!.active && Date.now() - t0 < 20_000) {
        const t = Date.now();
        expectSameBits(run(Float64Array, c, 42), want, 'stuck helper');
        slowest = Math.max(slowest, Date.now() - t);
      }
      expect(h!.active).toBe(false);
      expect(h!.takenBack).toBeGreaterThan(0);
      expect(slowest).toBeLessThan(1000);
      expect(h!.helperTiles).toBe(0);
      expect(gemmThreads()).toBe(1);
      expectSameBits(run(Float64Array, c, 42), want, 'after the stuck helper');
    } finally {
      h!.uninstall();
      await (worker as Worker | null)?.terminate();
    }
  }, 60_000);
});

describe.skipIf(!shared)('gemm with a slow helper', () => {
  // A helper that stalls 0–3 ms before a ticket, as a descheduled thread on a busy machine does: the
  // engine takes some of its tickets back, and its late results for them must be ignored.
  let worker: Worker | null = null;
  let h: ReturnType<typeof installGemmHelper> = null;
  beforeAll(async () => {
    const matmulUrl = new URL('./matmul.ts', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(matmulUrl)}, ${JSON.stringify(matmulUrl)})).then(({ serveGemmHelper }) => {
        let s = 1;
        const cell = new Int32Array(new SharedArrayBuffer(4));
        const stall = () => { s = (s * 1103515245 + 12345) >>> 0; const ms = (s >>> 16) % 4; if (ms) Atomics.wait(cell, 0, 0, ms - 1 || 0.2); };
        parentPort.once('message', (m) => serveGemmHelper(m, stall));
      });`;
    h = installGemmHelper(() => (worker = new Worker(code, { eval: true })));
    const start = Date.now();
    while (!h!.active && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 10));
  }, 60_000);
  afterAll(async () => {
    h?.uninstall();
    await (worker as Worker | null)?.terminate();
  });

  it('equals one thread bit for bit on every shape', () => {
    expect(h!.active).toBe(true);
    for (const [i, c] of cases().entries()) {
      for (const ctor of [Float32Array, Float64Array]) {
        setGemmParallel(false);
        const want = run(ctor, c, 500 + i);
        setGemmParallel(true);
        expectSameBits(run(ctor, c, 500 + i), want, `slow helper ${c.m}x${c.k}x${c.n} case ${i}`);
      }
    }
    expect(h!.helperTiles).toBeGreaterThan(0);
    expect(h!.takenBack).toBeGreaterThan(0);
  });
});

describe('without shared memory', () => {
  it('installGemmHelper spawns nothing and returns null', () => {
    const saved = globalThis.SharedArrayBuffer;
    (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
    try {
      let spawned = false;
      expect(installGemmHelper(() => ((spawned = true), { postMessage: () => {} }))).toBeNull();
      expect(spawned).toBe(false);
    } finally {
      globalThis.SharedArrayBuffer = saved;
    }
  });
});
