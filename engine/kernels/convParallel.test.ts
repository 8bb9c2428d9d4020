// The convolution paths that do not go through gemm (Winograd, ./convWinograd; tap-wise, ./convTap) on two
// threads against one thread: bit for bit, on shapes that pick each path and cross its blocking, with the
// helper on a real worker thread; that the helper does work in each path; and the fallbacks (a helper
// that never starts, one that fails to spawn, one that stalls, one that holds a ticket for good).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Worker } from 'node:worker_threads';
import { type Conv2dShape, type Conv2dAlgorithm, conv2dShape, conv2dOutputHW, conv2dForward, conv2dBackwardInput, conv2dAlgorithm } from './conv';
import { installGemmHelper, setGemmParallel } from './matmul';
import { JobKind, canBlockOnSharedMemory, jobsPosted } from './parallel';
import { randomArray, rng } from './testUtil';
import type { FloatArray } from './types';
import { startNodeGemmHelper, type NodeGemmHelper } from '../../scripts/bench/threads';

type Pass = 'forward' | 'input';
interface Case {
  label: string;
  shape: Conv2dShape;
  /** The algorithm of the forward and of the input-gradient pass. */
  algorithms: [Conv2dAlgorithm, Conv2dAlgorithm];
  /** Whether the helper takes part (false: the job does not fit the shared data, one thread). */
  parallel: boolean;
}

const CASES: Case[] = [
  {
    label: 'Winograd, odd map, channels not multiples of 4',
    shape: conv2dShape({ batch: 2, inChannels: 38, inH: 9, inW: 7, outChannels: 42, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['winograd', 'winograd'], parallel: true,
  },
  {
    label: 'Winograd, groups, no padding (the input gradient pads by 2)',
    shape: conv2dShape({ batch: 3, inChannels: 64, inH: 10, inW: 10, outChannels: 48, kernelH: 3, kernelW: 3, groups: 2 }),
    algorithms: ['winograd', 'winograd'], parallel: true,
  },
  {
    label: 'Winograd, 256 channels at 8×8: U in several blocks of rows to fit the shared data',
    shape: conv2dShape({ batch: 2, inChannels: 256, inH: 8, inW: 8, outChannels: 256, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['winograd', 'winograd'], parallel: true,
  },
  {
    label: "Winograd with few tiles, tickets of rows (ResNet-18's layer3 at 64×64, batch 2: 8 tiles)",
    shape: conv2dShape({ batch: 2, inChannels: 256, inH: 4, inW: 4, outChannels: 256, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['winograd', 'winograd'], parallel: true,
  },
  {
    label: 'Winograd with few tiles, tickets of rows: odd tile count, channels not multiples of 4',
    shape: conv2dShape({ batch: 1, inChannels: 90, inH: 5, inW: 5, outChannels: 102, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['winograd', 'winograd'], parallel: true,
  },
  {
    label: 'Winograd, one image whose V does not fit the shared data: one thread',
    shape: conv2dShape({ batch: 1, inChannels: 64, inH: 64, inW: 64, outChannels: 64, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['winograd', 'winograd'], parallel: false,
  },
  {
    label: "stride-2 Winograd input gradient (ResNet-18's stem at 64×64; im2col forward)",
    shape: conv2dShape({ batch: 2, inChannels: 3, inH: 64, inW: 64, outChannels: 64, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }),
    algorithms: ['im2col', 'winograd-s2'], parallel: true,
  },
  {
    label: 'stride-2 Winograd input gradient, odd sizes, 3 images, groups of 2 → 20 channels',
    shape: conv2dShape({ batch: 3, inChannels: 4, inH: 45, inW: 39, outChannels: 40, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3, groups: 2 }),
    algorithms: ['im2col', 'winograd-s2'], parallel: true,
  },
  {
    label: 'stride-2 Winograd input gradient in bands of tile rows (150×150, 361 tiles)',
    shape: conv2dShape({ batch: 1, inChannels: 3, inH: 150, inW: 150, outChannels: 8, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }),
    algorithms: ['im2col', 'winograd-s2'], parallel: true,
  },
  {
    label: "taps with packed A (ResNet-18's layer2 stride 2)",
    shape: conv2dShape({ batch: 2, inChannels: 64, inH: 16, inW: 16, outChannels: 70, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }),
    algorithms: ['taps', 'taps'], parallel: true,
  },
  {
    label: 'taps with A read in place, 2×3 map, 3 images, a partial last row panel',
    shape: conv2dShape({ batch: 3, inChannels: 128, inH: 2, inW: 3, outChannels: 130, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['taps', 'taps'], parallel: true,
  },
  {
    label: "taps with A read in place, 4×4 map (ResNet-18's layer3 at batch 1)",
    shape: conv2dShape({ batch: 1, inChannels: 96, inH: 4, inW: 4, outChannels: 100, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['taps', 'taps'], parallel: true,
  },
  {
    label: 'taps with A read in place, too few columns per tap to pay for copying W (2×3 map, 512 channels, one image): one thread',
    shape: conv2dShape({ batch: 1, inChannels: 512, inH: 2, inW: 3, outChannels: 512, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['taps', 'taps'], parallel: false,
  },
  {
    label: "3×3 on a 2×2 map (ResNet-18's layer4 at 64×64): one thread, which reads W once",
    shape: conv2dShape({ batch: 2, inChannels: 512, inH: 2, inW: 2, outChannels: 512, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    algorithms: ['map2x2', 'map2x2'], parallel: false,
  },
  {
    label: 'taps, 5×5 kernel',
    shape: conv2dShape({ batch: 4, inChannels: 48, inH: 3, inW: 3, outChannels: 52, kernelH: 5, kernelW: 5, padH: 2, padW: 2 }),
    algorithms: ['taps', 'taps'], parallel: true,
  },
];

function inputs(ctor: Float32ArrayConstructor | Float64ArrayConstructor, s: Conv2dShape, seed: number) {
  const r = rng(seed);
  const [oh, ow] = conv2dOutputHW(s);
  const x = randomArray(ctor, s.batch * s.inChannels * s.inH * s.inW, r);
  const w = randomArray(ctor, s.outChannels * (s.inChannels / s.groups) * s.kernelH * s.kernelW, r);
  const gy = randomArray(ctor, s.batch * s.outChannels * oh * ow, r);
  return { x, w, gy };
}

function run(ctor: Float32ArrayConstructor | Float64ArrayConstructor, s: Conv2dShape, pass: Pass, seed: number): FloatArray {
  const { x, w, gy } = inputs(ctor, s, seed);
  return pass === 'forward' ? conv2dForward(x, w, null, new ctor(gy.length).fill(NaN), s) : conv2dBackwardInput(gy, w, new ctor(x.length).fill(NaN), s);
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

function kindOf(algorithm: Conv2dAlgorithm): JobKind {
  return algorithm === 'winograd' || algorithm === 'winograd-s2' ? JobKind.winograd : algorithm === 'taps' ? JobKind.taps : JobKind.gemm;
}

const shared = canBlockOnSharedMemory();

describe.skipIf(!shared)('convolutions on two threads', () => {
  let helper: NodeGemmHelper | null = null;
  beforeAll(async () => {
    helper = await startNodeGemmHelper();
  }, 60_000);
  afterAll(async () => {
    await helper?.stop();
    setGemmParallel(true);
  });

  for (const [i, c] of CASES.entries()) {
    for (const [pi, pass] of (['forward', 'input'] as const).entries()) {
      for (const [ctor, label] of [[Float32Array, 'float32'], [Float64Array, 'float64']] as const) {
        const name = `${c.algorithms[pi]} ${pass} ${label}: ${c.label}`;
        it(`equals one thread bit for bit: ${name}`, () => {
          expect(helper!.active).toBe(true);
          expect(conv2dAlgorithm(c.shape, pass)).toBe(c.algorithms[pi]);
          setGemmParallel(false);
          const want = run(ctor, c.shape, pass, 10 + i);
          setGemmParallel(true);
          const kind = kindOf(c.algorithms[pi]);
          const posted = jobsPosted(kind);
          const got = run(ctor, c.shape, pass, 10 + i);
          expectSameBits(got, want, name);
          // The shape took the two-thread path (posted jobs), or, when it does not fit, stayed on one.
          if (c.parallel) expect(jobsPosted(kind)).toBeGreaterThan(posted);
          else expect(jobsPosted(kind)).toBe(posted);
        });
      }
    }
  }

  for (const [label, c, pass] of [['Winograd', CASES[0], 'forward'], ['Winograd', CASES[2], 'input'], ['Winograd by rows', CASES[3], 'forward'], ['Winograd by rows', CASES[4], 'input'], ['stride-2 Winograd', CASES[6], 'input'], ['stride-2 Winograd in bands', CASES[8], 'input'], ['taps (packed A)', CASES[9], 'forward'], ['taps (A in place)', CASES[10], 'input']] as const) {
    it(`the helper does a share of the work: ${label} ${pass}`, () => {
      // Only this path runs here (no gemm), so the helper's work count grows only if it took tickets of it.
      const before = helper!.helperTiles;
      const start = Date.now();
      while (helper!.helperTiles === before && Date.now() - start < 10_000) run(Float32Array, c.shape, pass, 3);
      expect(helper!.helperTiles).toBeGreaterThan(before);
    });
  }

  it('setGemmParallel(false) keeps them on one thread', async () => {
    setGemmParallel(false);
    await new Promise((r) => setTimeout(r, 100)); // a ticket taken back earlier may still be finishing
    const before = helper!.helperTiles;
    const posted = [jobsPosted(JobKind.winograd), jobsPosted(JobKind.taps)];
    run(Float32Array, CASES[0].shape, 'forward', 4);
    run(Float32Array, CASES[3].shape, 'forward', 4);
    run(Float32Array, CASES[6].shape, 'input', 4);
    run(Float32Array, CASES[10].shape, 'forward', 4);
    expect(helper!.helperTiles).toBe(before);
    expect([jobsPosted(JobKind.winograd), jobsPosted(JobKind.taps)]).toEqual(posted);
    setGemmParallel(true);
  });
});

/** Every parallel case and pass, on one thread (with no helper installed yet). */
function oneThreadResults(): Map<string, FloatArray> {
  const want = new Map<string, FloatArray>();
  for (const [i, c] of CASES.entries()) {
    if (!c.parallel) continue;
    for (const pass of ['forward', 'input'] as const) want.set(`${i} ${pass}`, run(Float64Array, c.shape, pass, 50 + i));
  }
  return want;
}

function expectAllSame(want: Map<string, FloatArray>, label: string): void {
  for (const [i, c] of CASES.entries()) {
    if (!c.parallel) continue;
    for (const pass of ['forward', 'input'] as const) expectSameBits(run(Float64Array, c.shape, pass, 50 + i), want.get(`${i} ${pass}`)!, `${label}: ${c.label} ${pass}`);
  }
}

function helperCode(entry: string, serve: string): string {
  const url = new URL(entry, import.meta.url).href;
  return `
    const { parentPort } = require('node:worker_threads');
    import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)})).then((m) => {
      ${serve}
    });`;
}

async function untilActive(h: { active: boolean }): Promise<void> {
  const start = Date.now();
  while (!h.active && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 10));
}

describe.skipIf(!shared)('convolutions fall back to one thread', () => {
  let want: Map<string, FloatArray>;
  beforeAll(() => {
    want = oneThreadResults();
  });

  it('with a helper that never starts (nothing waits for it)', () => {
    const h = installGemmHelper(() => ({ postMessage: () => {} }));
    expect(h).not.toBeNull();
    try {
      const t0 = Date.now();
      expectAllSame(want, 'silent helper');
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      h!.uninstall();
    }
  });

  it('when spawning fails', () => {
    expect(installGemmHelper(() => { throw new Error('no workers here'); })).toBeNull();
    expectAllSame(want, 'no helper');
  });

  it('with a helper that takes a ticket and never finishes it, then is given up on', async () => {
    let worker: Worker | null = null;
    const code = helperCode('./parallel.ts', `parentPort.once('message', (msg) => m.serveHelper(msg, () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 0; }));`);
    const h = installGemmHelper(() => (worker = new Worker(code, { eval: true })));
    expect(h).not.toBeNull();
    try {
      await untilActive(h!);
      expect(h!.active).toBe(true);
      const t0 = Date.now();
      while (h!.active && Date.now() - t0 < 20_000) expectAllSame(want, 'stuck helper');
      expect(h!.active).toBe(false);
      expect(h!.takenBack).toBeGreaterThan(0);
      expect(h!.helperTiles).toBe(0);
      expectAllSame(want, 'after the stuck helper');
    } finally {
      h!.uninstall();
      await (worker as Worker | null)?.terminate();
    }
  }, 60_000);

  it('with a slow helper (stalls of 0–3 ms before its tickets): late results are ignored', async () => {
    let worker: Worker | null = null;
    const code = helperCode('./matmul.ts', `
      let s = 7;
      const cell = new Int32Array(new SharedArrayBuffer(4));
      const stall = () => { s = (s * 1103515245 + 12345) >>> 0; const ms = (s >>> 16) % 4; if (ms) Atomics.wait(cell, 0, 0, ms - 1 || 0.2); };
      parentPort.once('message', (msg) => m.serveGemmHelper(msg, stall));`);
    const h = installGemmHelper(() => (worker = new Worker(code, { eval: true })));
    try {
      await untilActive(h!);
      expect(h!.active).toBe(true);
      for (let round = 0; round < 3; round++) expectAllSame(want, `slow helper, round ${round}`);
      expect(h!.helperTiles).toBeGreaterThan(0);
      expect(h!.takenBack).toBeGreaterThan(0);
    } finally {
      h!.uninstall();
      await (worker as Worker | null)?.terminate();
    }
  }, 60_000);
});
