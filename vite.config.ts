import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The ResNet-18 weights and inputs live once in the repo, in golden/ (the PyTorch golden cases need them
// beside their JSON). This plugin serves them to the app under models/ in dev and writes them into the
// static build, so `load_file("resnet18-f16.safetensors")` works offline without a second 23 MB copy.
const MODEL_FILES = ['resnet18-f16.safetensors', 'resnet-io.safetensors'];

function goldenModels(): Plugin {
  return {
    name: 'golden-models',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = MODEL_FILES.find((f) => req.url?.endsWith(`/models/${f}`));
        if (!name) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(readFileSync(resolve(import.meta.dirname, 'golden', name)));
      });
    },
    generateBundle() {
      for (const name of MODEL_FILES) {
        this.emitFile({ type: 'asset', fileName: `models/${name}`, source: readFileSync(resolve(import.meta.dirname, 'golden', name)) });
      }
    },
  };
}

// Cross-origin isolation: with these two headers the page (and its workers) may use SharedArrayBuffer,
// and the engine's gemm runs on two threads (engine/kernels/parallel.ts). Everything the app loads is
// same-origin, so require-corp blocks nothing. A static host without them runs the engine on one thread.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  plugins: [react(), goldenModels()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { port: 5173, host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { port: 4173, host: '127.0.0.1', headers: ISOLATION_HEADERS },
  test: {
    include: ['engine/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/scratch/**', 'dist/**'],
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
    // engine/lang/smallInts.test.ts asks V8 whether shape arrays hold doubles (%HasDoubleElements).
    execArgv: ['--allow-natives-syntax'],
  },
} as any);
