// node:worker_threads in a browser bundle: not there. The browser's own helper thread is a Web Worker
// (see ./worker.ts); anything that reaches for worker_threads here fails loudly.
export class Worker {
  constructor() {
    throw new Error('node:worker_threads is not available in the browser');
  }
}
