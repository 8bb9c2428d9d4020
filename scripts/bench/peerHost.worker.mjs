// The peers' thread in Node (worker_threads): TensorFlow.js loads and runs here, never in the thread that
// times our rows (see ./peerHost.ts). Plain JavaScript that loads the TypeScript through tsx's API, as
// ./gemmHelper.worker.mjs does.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { servePeers } = await tsImport('./peerHost.ts', import.meta.url);
const { loadTfjs } = await tsImport('./tfjs.ts', import.meta.url);
servePeers({ post: (m) => parentPort.postMessage(m), onMessage: (listener) => parentPort.on('message', listener) }, loadTfjs);
