// npm run bench [-- --json FILE] [--filter TEXT] [--quick] [--no-peers] [--threads 1|2] [--browser]
// Runs every suite of scripts/bench/ in this one process: our code and its peers (TensorFlow.js
// cpu, and wasm where it loads) on the same work; prints medians, GFLOP/s and ours/peer ratios.
// --browser runs the same suites in headless Chromium instead, in a worker of a cross-origin isolated
// page, the way the app runs the engine (scripts/bench/browser/).
//
// Note: TensorFlow.js runs in a worker thread (scripts/bench/peerHost.ts), never in the thread that
// times our rows, and each peer takes turns with our side, block by block, so a change in this VM's
// speed hits both alike. Loading TensorFlow.js detaches an ArrayBuffer, and the first detach in a V8
// isolate invalidates a protector: from then on every typed-array access in optimized code re-checks
// for detachment, and our kernels run ~18% slower (measured: 256³ matmul 6.6 → 7.9 ms). A worker is
// another isolate. The same happens in a browser tab after any detach (wasm memory growth, a
// postMessage that transfers an ArrayBuffer), which is worth knowing beyond this benchmark. Where the
// worker cannot start, the peers are timed here, after all of our rows.
// Threads: every row runs on one thread (as tfjs-cpu does, and tfjs-wasm without its threaded build).
// With --threads 2 (the default) a gemm helper thread is started (scripts/bench/threads.ts) and the
// gemm-bound rows are timed again as "…, 2 threads", against the same peer timings.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { selectCases } from './bench/index';
import { loadTfjs } from './bench/tfjs';
import { DEFAULT_TIMING, QUICK_TIMING, formatTable, runCases } from './bench/runner';
import { startNodeGemmHelper, startNodePeerHost } from './bench/threads';
import type { BenchRow, PeerEnv, TfjsHandle } from './bench/types';

interface Args {
  json: string | null;
  filter: string | null;
  quick: boolean;
  /** Our side only, without importing TensorFlow.js: for tuning kernels. */
  noPeers: boolean;
  /** 2: also time the gemm-bound rows with the gemm helper thread; 1: one thread only. */
  threads: number;
  /** In headless Chromium rather than in this Node process. */
  browser: boolean;
}

function usage(code: number): never {
  (code ? console.error : console.log)('usage: npm run bench -- [--json FILE] [--filter TEXT] [--quick] [--no-peers] [--threads 1|2] [--browser]');
  process.exit(code);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: null, filter: null, quick: false, noPeers: false, threads: 2, browser: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json' || a === '--filter') {
      const value = argv[++i];
      if (!value) usage(2);
      if (a === '--json') args.json = value;
      else args.filter = value;
    } else if (a === '--threads') {
      const value = argv[++i];
      if (value !== '1' && value !== '2') usage(2);
      args.threads = Number(value);
    } else if (a === '--quick') args.quick = true;
    else if (a === '--no-peers') args.noPeers = true;
    else if (a === '--browser') args.browser = true;
    else if (a === '--help' || a === '-h') usage(0);
    else {
      console.error(`bench: unknown argument ${a}`);
      usage(2);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  if (args.browser) {
    const { runInBrowser } = await import('./bench/browser/run');
    return runInBrowser(args, log);
  }
  log(`node ${process.version}, ${process.arch}; timing: ${args.quick ? 'quick' : 'default'}; medians in ms`);
  // Started before anything is timed. Starting it detaches nothing (measured: 256³ on one thread is 6.2 ms
  // before and after, against 7.5 ms after a real detach; see the note above).
  const helper = args.threads > 1 ? await startNodeGemmHelper().catch((e: unknown) => (log(`threads: gemm helper failed: ${String(e)}`), null)) : null;
  const threads = helper?.active ? 2 : 1;
  log(`threads: ${threads === 2 ? `2 (gemm helper on a worker thread) on ${availableParallelism()} cores` : '1'}`);
  let tfjs: Promise<TfjsHandle | null> | null = null;
  const env: PeerEnv = { tfjs: () => (tfjs ??= loadTfjs(log)), threads };
  const groups = await selectCases(env, args.filter, args.noPeers);
  const all = groups.flatMap((g) => g.cases);
  const host = args.noPeers ? null : await startNodePeerHost(args.filter, threads, log).catch((e: unknown) => {
    log(`peers: their thread did not start (${String(e)}); timed in this thread after our rows`);
    return null;
  });
  const tty = process.stderr.isTTY;
  const progress = () => void (tty && process.stderr.write('.'));
  const rows = await runCases(all, args.quick ? QUICK_TIMING : DEFAULT_TIMING, progress, host);
  if (tty) process.stderr.write('\n');
  for (const g of groups) {
    log(`\n== ${g.name}`);
    log(formatTable(rows.filter((r) => g.cases.some((c) => c.name === r.name))));
  }
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(rows, null, 2) + '\n');
    log(`\nwrote ${rows.length} rows to ${args.json}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
