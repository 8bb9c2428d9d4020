// The benchmark registry's vocabulary. A case is one unit of work done by our code and by zero or
// more peers; the runner times each side in the same process and prints ours/peer.

/** A competitor doing the same work as `ours`. */
export interface Peer {
  name: string;
  /**
   * Runs once before timing, after any earlier peer's teardown: switch a backend, build inputs on it.
   * Throwing (or rejecting) skips this peer for this case, printing the reason.
   */
  setup?: () => void | Promise<void>;
  run: () => void;
  teardown?: () => void;
  /**
   * Our own engine in another configuration (events off, say): timed right after `ours`, before any
   * peer library is imported, so both sides run in the same conditions (see the note in ../bench.ts).
   */
  sameEngine?: boolean;
}

export interface BenchCase {
  /** Unique row name, e.g. 'matmul 512³' or 'conv layer1 3×3 s1 64→64 @16 fwd'. */
  name: string;
  /** Floating-point operations per run, when meaningful: the table then shows GFLOP/s. */
  flops?: number;
  /** Runs once before our timing (allocate inputs and reused outputs here, not in `ours`). */
  setup?: () => void | Promise<void>;
  ours: () => void;
  peers: Peer[];
}

/** One printed/JSON row: a case against one peer (peer null when the case has none). */
export interface BenchRow {
  name: string;
  ours_ms: number;
  peer: string | null;
  peer_ms: number | null;
  /** ours_ms / peer_ms: below 1 means we are faster. */
  ratio: number | null;
  gflops?: number;
  /** Why a peer was skipped. */
  note?: string;
}

/** A file of cases: a function so that nothing is allocated or loaded until the run asks for it. */
export type Suite = (peers: PeerEnv) => BenchCase[] | Promise<BenchCase[]>;

export interface TfjsHandle {
  tf: typeof import('@tensorflow/tfjs');
  /** Backends that initialized, e.g. ['cpu', 'wasm']. */
  backends: string[];
  /** Why a backend did not, by name. */
  failures: Record<string, string>;
}

/** What suites know about the peer libraries. Loading is lazy: see the note in ../bench.ts. */
export interface PeerEnv {
  /** TensorFlow.js, loaded on first call (null when the package is missing). */
  tfjs: () => Promise<TfjsHandle | null>;
  /** Threads our gemm may use: 2 when the helper thread is installed (see ./threads.ts), else 1. */
  threads: number;
}
