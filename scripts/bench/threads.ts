// Two threads in Node: starts the gemm helper (./gemmHelper.worker.mjs) on a worker_threads Worker and
// installs it in this thread's engine (see engine/kernels/parallel.ts). Used by the bench and the tests.
import { Worker } from 'node:worker_threads';
import { installGemmHelper, type GemmHelper } from '../../engine/kernels/matmul';
import { type PeerHost, connectPeerHost } from './peerHost';

export interface NodeGemmHelper extends GemmHelper {
  /** Uninstalls the helper and ends its thread. */
  stop(): Promise<void>;
}

/**
 * Starts the helper and installs it; resolves once it serves (so the first timed gemm already has two
 * threads). Null when this Node cannot share memory.
 */
export async function startNodeGemmHelper(timeoutMs = 20_000): Promise<NodeGemmHelper | null> {
  let worker: Worker | null = null;
  const installed = installGemmHelper(() => {
    worker = new Worker(new URL('./gemmHelper.worker.mjs', import.meta.url));
    worker.unref(); // a helper blocked in Atomics.wait must not keep the process alive
    return worker;
  });
  if (!installed || !worker) return null;
  const w: Worker = worker;
  const failed = new Promise<never>((_, reject) => {
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`gemm helper exited (${code})`)));
  });
  failed.catch(() => {});
  const start = Date.now();
  while (!installed.active) {
    if (Date.now() - start > timeoutMs) {
      installed.uninstall();
      await w.terminate();
      throw new Error('gemm helper did not start');
    }
    await Promise.race([new Promise((r) => setTimeout(r, 5)), failed]);
  }
  return {
    get active() {
      return installed.active;
    },
    get helperTiles() {
      return installed.helperTiles;
    },
    get takenBack() {
      return installed.takenBack;
    },
    uninstall: () => installed.uninstall(),
    stop: async () => {
      installed.uninstall();
      await w.terminate();
    },
  };
}

/**
 * Starts the peers' thread (./peerHost.worker.mjs), where TensorFlow.js loads and runs, and connects to
 * it with the run's filter.
 */
export async function startNodePeerHost(filter: string | null, threads: number, log: (line: string) => void): Promise<PeerHost> {
  const worker = new Worker(new URL('./peerHost.worker.mjs', import.meta.url));
  worker.unref();
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`exited (${code})`)));
  });
  failed.catch(() => {});
  const port = { post: (m: unknown) => worker.postMessage(m), onMessage: (l: (m: unknown) => void) => void worker.on('message', l) };
  return Promise.race([connectPeerHost(port, filter, threads, log), failed]);
}
