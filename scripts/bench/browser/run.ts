// npm run bench -- --browser [--filter TEXT] [--quick] [--no-peers] [--threads 1|2] [--json FILE]
// The same benchmark as in Node, in headless Chromium (Debian's, as the e2e tests use): builds the
// page with Vite, serves it cross-origin isolated (so the gemm helper thread can share memory, as in
// the app), runs the suites in a worker, and prints the same table.
import { writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../../../playwright.config';
import { formatTable } from '../runner';
import type { BenchRow } from '../types';

export interface BrowserBenchArgs {
  json: string | null;
  filter: string | null;
  quick: boolean;
  noPeers: boolean;
  threads: number;
}

const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export async function runInBrowser(args: BrowserBenchArgs, log: (line: string) => void): Promise<void> {
  const configFile = new URL('./vite.config.ts', import.meta.url).pathname;
  await build({ configFile });
  const server = await preview({ configFile, preview: { port: 0, host: '127.0.0.1', headers: ISOLATED } });
  const browser = await chromium.launch(chromiumLaunch);
  try {
    const address = server.resolvedUrls?.local[0];
    if (!address) throw new Error('the preview server has no address');
    const q = new URLSearchParams();
    if (args.filter) q.set('filter', args.filter);
    if (args.quick) q.set('quick', '');
    if (args.noPeers) q.set('no-peers', '');
    q.set('threads', String(args.threads));
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'log') log(m.text());
    });
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${address}?${q}`);
    const handle = await page.waitForFunction(() => window.benchResult, undefined, { timeout: 0, polling: 500 });
    const result = (await handle.jsonValue()) as { rows: BenchRow[]; groups: { name: string; cases: string[] }[] } | { error: string };
    if ('error' in result) throw new Error(`the benchmark failed in the browser: ${result.error}`);
    log(`browser: ${browser.version()}`);
    for (const g of result.groups) {
      log(`\n== ${g.name} (Chromium)`);
      log(formatTable(result.rows.filter((r) => g.cases.includes(r.name))));
    }
    if (args.json) {
      writeFileSync(args.json, JSON.stringify(result.rows, null, 2) + '\n');
      log(`\nwrote ${result.rows.length} rows to ${args.json}`);
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
