// Builds the browser benchmark page (scripts/bench/browser/index.html) for scripts/bench/browser/run.ts.
// The suites are the Node ones: node:fs and node:worker_threads are replaced by browser shims.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^node:fs$/, replacement: here('./fsShim.ts') },
      { find: /^node:worker_threads$/, replacement: here('./workerThreadsShim.ts') },
    ],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: here('../../../node_modules/.cache/bench-browser'), emptyOutDir: true, chunkSizeWarningLimit: 8000 },
});
