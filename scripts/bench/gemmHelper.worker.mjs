// The gemm helper thread in Node (worker_threads): serves the engine's gemm until uninstalled.
// Plain JavaScript that loads the engine through tsx's API: a worker's --import of tsx's loader does not
// take effect before the entry loads on Node 20, and this works under tsx, vitest and plain node alike.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { serveGemmHelper } = await tsImport('../../engine/kernels/matmul.ts', import.meta.url);
parentPort.once('message', (message) => {
  serveGemmHelper(message);
  parentPort.close();
});
