// The benchmark page: runs the suites in a dedicated worker (where the app runs the engine, and where
// a thread may block in Atomics.wait), shows the log, and leaves the rows on window for the driver.
import type { BenchRow } from '../types';
import type { BenchRequest, BenchMessage } from './worker';

declare global {
  interface Window {
    benchResult?: { rows: BenchRow[]; groups: { name: string; cases: string[] }[] } | { error: string };
  }
}

const log = document.getElementById('log')!;
const q = new URLSearchParams(location.search);
const request: BenchRequest = {
  filter: q.get('filter'),
  quick: q.has('quick'),
  noPeers: q.has('no-peers'),
  threads: Number(q.get('threads') ?? 2),
};
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<BenchMessage>) => {
  const m = e.data;
  if (m.type === 'log') {
    log.textContent += m.line + '\n';
    console.log(m.line);
  } else if (m.type === 'done') window.benchResult = { rows: m.rows, groups: m.groups };
  else window.benchResult = { error: m.error };
};
worker.onerror = (e) => {
  window.benchResult = { error: e.message || 'the benchmark worker failed to load' };
};
worker.postMessage(request);
