// Starts the gemm helper thread (./gemm.worker.ts) from an engine worker and installs it in that worker's
// engine, so large matrix products and convolutions run on two cores. Returns null, starting nothing,
// where shared memory is unavailable (a page served without the COOP/COEP headers, see vite.config.ts):
// the engine then runs on one thread, as it always did.
import { installGemmHelper, type GemmHelper } from '../../engine/kernels/matmul';

export function startGemmHelper(): GemmHelper | null {
  if (typeof Worker === 'undefined') return null;
  return installGemmHelper(() => {
    const w = new Worker(new URL('./gemm.worker.ts', import.meta.url), { type: 'module', name: 'autograd-gemm' });
    // A helper that fails to load takes no work (gemm then runs on one thread); its error must not be
    // reported as the engine worker's own.
    w.onerror = (e) => e.preventDefault();
    return w;
  });
}
