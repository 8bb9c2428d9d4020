// The peers in their own thread. TensorFlow.js runs in a worker (a worker_threads Worker in Node, a Web
// Worker in the browser) with its own V8 isolate, and our rows run in the main thread, which never
// imports it. So the two sides can alternate, block by block, while the machine's speed drifts.
//
// Note: why not alternate in one thread. Importing TensorFlow.js, even its cpu backend alone, detaches an
// ArrayBuffer somewhere, and the first detach in an isolate invalidates a V8 protector: from then on every
// typed-array access in optimized code re-checks for detachment, and our kernels run ~18% slower
// (measured: 256³ matmul 6.6 → 7.9 ms after tfjs-cpu ran in the same thread; 6.7 → 6.9 ms, within
// noise, after tfjs-wasm ran in a worker). So the peers were timed after all of our rows, minutes later,
// and on this kind of machine (a VM whose neighbours come and go) the machine's speed changes between the
// two by up to 2×: the same code measured 4.6× and 6.7× against tfjs-cpu, minutes apart.
//
// Protocol: one request at a time, each answered by one reply; the worker may also send log lines.
import { selectCases } from './index';
import { errorText } from './tfjs';
import type { Peer, PeerEnv, TfjsHandle } from './types';

/** Both ends of a message channel: Node's Worker/parentPort or a browser Worker/worker scope. */
export interface PortLike {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

type Request =
  | { type: 'init'; filter: string | null; threads: number }
  | { type: 'setup'; caseName: string; peerName: string }
  | { type: 'run'; minRuns: number; minMs: number; maxRuns: number }
  | { type: 'teardown' };

type Reply = { type: 'ok' } | { type: 'times'; times: number[] } | { type: 'error'; message: string } | { type: 'log'; line: string };

/** The main thread's handle on the peers' worker. */
export interface PeerHost {
  /** Sets up peer `peerName` of case `caseName` in the worker; rejects with the reason it cannot. */
  setup(caseName: string, peerName: string): Promise<void>;
  /** Runs the peer set up last: at least minRuns runs and minMs, at most maxRuns; resolves to each run's ms. */
  run(minRuns: number, minMs: number, maxRuns: number): Promise<number[]>;
  teardown(): Promise<void>;
}

/**
 * Times `run`: at least minRuns runs and minMs of them, at most maxRuns. The same loop times our side
 * here and the peer's in the worker.
 */
export function timeBlock(run: () => void, minRuns: number, minMs: number, maxRuns: number): number[] {
  const times: number[] = [];
  let total = 0;
  while (times.length < maxRuns && (times.length < minRuns || total < minMs)) {
    const t0 = performance.now();
    run();
    const ms = performance.now() - t0;
    times.push(ms);
    total += ms;
  }
  return times;
}

/** Connects to a worker that serves peers (see servePeers) and initializes it with the run's filter. */
export async function connectPeerHost(port: PortLike, filter: string | null, threads: number, log: (line: string) => void): Promise<PeerHost> {
  let waiting: ((r: Reply) => void) | null = null;
  port.onMessage((m) => {
    const r = m as Reply;
    if (r.type === 'log') log(r.line);
    else if (waiting) {
      const w = waiting;
      waiting = null;
      w(r);
    }
  });
  const ask = (q: Request) =>
    new Promise<Reply>((resolve) => {
      if (waiting) throw new Error('peer host: one request at a time');
      waiting = resolve;
      port.post(q);
    }).then((r) => {
      if (r.type === 'error') throw new Error(r.message);
      return r;
    });
  await ask({ type: 'init', filter, threads });
  return {
    setup: async (caseName, peerName) => void (await ask({ type: 'setup', caseName, peerName })),
    run: async (minRuns, minMs, maxRuns) => {
      const r = await ask({ type: 'run', minRuns, minMs, maxRuns });
      if (r.type !== 'times') throw new Error('peer host: expected times');
      return r.times;
    },
    teardown: async () => void (await ask({ type: 'teardown' })),
  };
}

/**
 * The worker's side: builds the same cases as the main thread (same suites, same filter, same seeded
 * inputs) and runs their peers on request. `loadTfjs` loads TensorFlow.js in this thread.
 */
export function servePeers(
  port: PortLike,
  loadTfjs: (log: (line: string) => void) => Promise<TfjsHandle | null>,
  select: typeof selectCases = selectCases,
): void {
  const log = (line: string) => port.post({ type: 'log', line } satisfies Reply);
  let peers: Map<string, Peer> | null = null;
  let current: Peer | null = null;
  let queue = Promise.resolve();
  const handle = async (q: Request): Promise<Reply> => {
    switch (q.type) {
      case 'init': {
        let tfjs: Promise<TfjsHandle | null> | null = null;
        const env: PeerEnv = { tfjs: () => (tfjs ??= loadTfjs(log)), threads: q.threads };
        peers = new Map();
        for (const g of await select(env, q.filter, false)) {
          for (const c of g.cases) for (const p of c.peers) if (!p.sameEngine) peers.set(`${c.name}\u0000${p.name}`, p);
        }
        return { type: 'ok' };
      }
      case 'setup': {
        const p = peers?.get(`${q.caseName}\u0000${q.peerName}`);
        if (!p) throw new Error(`no peer ${q.peerName} for ${q.caseName}`);
        current = null;
        await p.setup?.();
        current = p;
        return { type: 'ok' };
      }
      case 'run': {
        if (!current) throw new Error('no peer set up');
        return { type: 'times', times: timeBlock(current.run, q.minRuns, q.minMs, q.maxRuns) };
      }
      case 'teardown':
        current?.teardown?.();
        current = null;
        return { type: 'ok' };
    }
  };
  port.onMessage((m) => {
    queue = queue.then(() => handle(m as Request).then(
      (r) => port.post(r),
      (e: unknown) => port.post({ type: 'error', message: errorText(e) } satisfies Reply),
    ));
  });
}
