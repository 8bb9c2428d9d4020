// The peers' thread in the browser: a Web Worker started by ./worker.ts, where TensorFlow.js loads and
// runs, never in the worker that times our rows (see ../peerHost.ts).
/// <reference lib="webworker" />
import { servePeers } from '../peerHost';
import { loadTfjs } from '../tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

servePeers(
  { post: (m) => self.postMessage(m), onMessage: (listener) => self.addEventListener('message', (e) => listener(e.data)) },
  async (log) => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });
    return loadTfjs(log);
  },
);
