// The gemm helper thread: a Web Worker that the engine's workers (runner, fine-tune) start with
// startGemmHelper below. It serves the engine's gemm on shared memory until its parent worker ends (see
// engine/kernels/parallel.ts). Only started where the page is cross-origin isolated (SharedArrayBuffer).
/// <reference lib="webworker" />
import { serveGemmHelper } from '../../engine/kernels/matmul';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<unknown>) => {
  self.onmessage = null;
  serveGemmHelper(e.data);
  self.close();
};
