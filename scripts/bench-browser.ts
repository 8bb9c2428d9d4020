// Browser benchmarks of the graph canvas at ResNet-18 scale, in Debian's Chromium (headless), against
// the static build. Prints medians; asserts nothing (timings live in benchmarks, not tests).
//
//   npx vite build && npx tsx scripts/bench-browser.ts            (serves dist/ on port 4191)
//   BENCH_URL=http://127.0.0.1:4173/ npx tsx scripts/bench-browser.ts
//
// Measures: the ResNet-18 step's run time (the worker's own figure), the layout of the folded and the
// unfolded graphs (the layout's own time, and click-to-drawn), frames per second while panning and
// zooming the unfolded graph (requestAnimationFrame timestamps during a scripted drag and wheel), the
// time of one stepper step (key press to committed DOM, and whether a frame was missed), and a
// 2,100-node graph (a real program's) from Run to drawn.
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunch } from '../playwright.config';
import { RESNET_STEP_PROGRAM } from '../app/panels/examples';
import { BIG_CHAIN_PROGRAM } from '../app/graph/layoutBench';

const median = (xs: number[]) => (xs.length ? xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
const pct = (xs: number[], p: number) => (xs.length ? xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN);

async function serve(): Promise<{ url: string; server: ChildProcess | null }> {
  if (process.env.BENCH_URL) return { url: process.env.BENCH_URL, server: null };
  const server = spawn('npx', ['vite', 'preview', '--port', '4191', '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
  const url = 'http://127.0.0.1:4191/';
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return { url, server };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

const graph = (page: Page) => page.getByRole('region', { name: 'Computational graph' });
const svgAttr = (page: Page, name: string) => page.locator('svg.graph-svg').getAttribute(name);

async function runSource(page: Page, source: string): Promise<number> {
  await page.getByRole('textbox', { name: 'Program' }).fill(source);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('region', { name: 'Console' }).getByText(/Ran in/).waitFor({ timeout: 120_000 });
  return Date.now() - t0;
}

/** Waits until the canvas shows a graph of `nodes` nodes, laid out; returns the layout's own ms. */
async function laidOut(page: Page, nodes: number): Promise<{ engine: string; ms: number }> {
  const ready = `(() => { const svg = document.querySelector('svg.graph-svg'); return !!svg && Number(svg.getAttribute('data-nodes')) === ${nodes} && svg.getAttribute('data-layout-ms') !== null && !!svg.querySelector('.nodes [data-key]'); })()`;
  // Polled with evaluate: the app's Content-Security-Policy forbids waitForFunction's eval.
  for (let i = 0; !(await page.evaluate(ready)); i++) {
    if (i > 1500) await page.screenshot({ path: '/tmp/h4/bench-fail.png' });
    if (i > 1500) throw new Error(`no layout of ${nodes} nodes: ${await page.evaluate(`document.querySelector('svg.graph-svg')?.outerHTML.slice(0, 300)`)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { engine: (await svgAttr(page, 'data-layout-engine')) ?? '?', ms: Number(await svgAttr(page, 'data-layout-ms')) };
}

/** Frame intervals (ms) while `drive` pans and zooms the canvas. */
async function frames(page: Page, drive: () => Promise<void>): Promise<number[]> {
  // Note: page scripts are strings: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__benchFrames = [];
    window.__benchOn = true;
    const tick = (t) => { window.__benchFrames.push(t); if (window.__benchOn) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  const ts = (await page.evaluate(`(() => { window.__benchOn = false; return window.__benchFrames; })()`)) as number[];
  const dt: number[] = [];
  for (let i = 1; i < ts.length; i++) dt.push(ts[i] - ts[i - 1]);
  return dt;
}

async function panZoom(page: Page) {
  const box = (await page.locator('svg.graph-svg').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  // Drags stay inside the middle of the canvas, away from its buttons.
  for (let i = 0; i < 90; i++) await page.mouse.move(cx + Math.sin(i / 9) * 150, cy + Math.cos(i / 9) * 110, { steps: 1 });
  await page.mouse.up();
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? 60 : -60);
  for (let i = 0; i < 60; i++) {
    await page.mouse.down();
    await page.mouse.move(cx + 150 * Math.cos(i / 10), cy + 110 * Math.sin(i / 10), { steps: 2 });
    await page.mouse.up();
  }
}

/**
 * One stepper step: key press to committed DOM (the status text), and whether the step fits in a frame.
 * A rAF loop runs all along, steps come every 100 ms (a fast presenter), and a step "misses a frame" when
 * a frame interval within the 100 ms after its key press is longer than 25 ms (at 60 Hz, one vsync
 * skipped). The work the step caused in that time (the graph's commit, the inspector's deferred render,
 * the follow pan) is all in those frames.
 */
async function stepTimes(page: Page, n: number): Promise<{ commit: number[]; missed: number; worstFrame: number[] }> {
  return (await page.evaluate(`(async () => {
    const n = ${n};
    const status = document.querySelector('[role="status"]');
    const commit = [];
    const frames = [];
    let looping = true;
    const loop = (t) => { frames.push(performance.now()); if (looping) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    await new Promise((r) => setTimeout(r, 100));
    const keys = [];
    for (let i = 0; i < n; i++) {
      const before = status.textContent;
      const t0 = performance.now();
      keys.push(t0);
      const committed = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (status.textContent !== before) { mo.disconnect(); resolve(performance.now()); }
        });
        mo.observe(status, { childList: true, subtree: true, characterData: true });
      });
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      commit.push((await committed) - t0);
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + 100 - performance.now())));
    }
    looping = false;
    let missed = 0;
    const worstFrame = [];
    for (const k of keys) {
      let worst = 0;
      for (let j = 1; j < frames.length; j++) if (frames[j] > k && frames[j - 1] < k + 100) worst = Math.max(worst, frames[j] - frames[j - 1]);
      worstFrame.push(worst);
      if (worst > 25) missed++;
    }
    return { commit, missed, worstFrame };
  })()`)) as { commit: number[]; missed: number; worstFrame: number[] };
}

const key = (page: Page, k: string) => page.evaluate(`window.dispatchEvent(new KeyboardEvent('keydown', { key: '${k}', bubbles: true }))`);

function fps(dt: number[]): string {
  const med = median(dt);
  const long = dt.filter((d) => d > 1000 / 60 * 1.5).length;
  return `median ${(1000 / med).toFixed(1)} fps (frame ${med.toFixed(1)} ms), p95 frame ${pct(dt, 0.95).toFixed(1)} ms, ${long} of ${dt.length} frames > 25 ms`;
}

/** Each layout library on the real ResNet-18 graphs, in the page (Vite's dev server serves the TS). */
async function librariesInPage(browser: import('@playwright/test').Browser) {
  const { createServer } = await import('vite');
  const server = await createServer({ server: { port: 4192, strictPort: true, host: '127.0.0.1' }, logLevel: 'silent' });
  await server.listen();
  const page = await browser.newPage();
  try {
    await page.goto('http://127.0.0.1:4192/app/graph/layoutBench.html');
    for (let i = 0; i < 600 && !(await page.evaluate('!!window.layoutBench')); i++) await new Promise((r) => setTimeout(r, 100));
    const lines = (await page.evaluate('window.layoutBench')) as string[];
    console.log('layout libraries in Chromium, ResNet-18 step graphs (median of 5-7):');
    for (const l of lines) console.log(`  ${l}`);
  } finally {
    await page.close();
    await server.close();
  }
}

async function main() {
  const { url, server } = await serve();
  const browser = await chromium.launch(chromiumLaunch);
  if (!process.argv.includes('--no-libraries')) await librariesInPage(browser);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.log('  page error:', e.message, (e.stack ?? '').split('\n').slice(0, 4).join(' | ')));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log('  console error:', m.text().slice(0, 300));
  });
  try {
    await page.goto(url);
    await page.getByRole('status').waitFor();

    const runs: number[] = [];
    const reported: string[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(await runSource(page, RESNET_STEP_PROGRAM));
      reported.push((await page.getByRole('region', { name: 'Console' }).locator('.hint').textContent()) ?? '');
    }
    console.log(`ResNet-18 step (forward, backward, SGD): worker says "${reported[reported.length - 1]}"; Run click to done, median ${median(runs)} ms`);

    const folded = await laidOut(page, Number(await svgAttr(page, 'data-nodes')));
    console.log(`folded forward graph: ${await svgAttr(page, 'data-nodes')} nodes, ${folded.engine} ${folded.ms.toFixed(1)} ms, on the main thread`);

    for (const view of ['forward', 'backward'] as const) {
      if (view === 'backward') await page.getByRole('button', { name: 'Backward graph' }).click();
      const foldedNodes = Number(await svgAttr(page, 'data-nodes'));
      const lf = await laidOut(page, foldedNodes);
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Show every op' }).click();
      const all = Number((await page.locator('.fold-note').textContent())!.match(/\d+/)![0]);
      const l = await laidOut(page, all);
      const clickToDrawn = Date.now() - t0;
      console.log(`${view}: folded ${foldedNodes} nodes (${lf.engine} ${lf.ms.toFixed(1)} ms); unfolded ${all} nodes: ${l.engine} in the layout worker ${l.ms.toFixed(1)} ms, click to drawn ${clickToDrawn} ms`);
      const dt = await frames(page, () => panZoom(page));
      console.log(`  pan/zoom, unfolded: ${fps(dt)}`);
      // Into the timeline: 40 steps from the 60th (forward ops), then from the 100th (backward nodes).
      await key(page, 'Home');
      for (let i = 0; i < 60; i++) await key(page, 'ArrowRight');
      const s = await stepTimes(page, 80);
      console.log(`  one step, unfolded: key to commit median ${median(s.commit).toFixed(1)} ms (p95 ${pct(s.commit, 0.95).toFixed(1)}); a step every 100 ms: ${s.missed} of 80 steps missed a frame, longest frame after a step median ${median(s.worstFrame).toFixed(1)} ms (p95 ${pct(s.worstFrame, 0.95).toFixed(1)})`);
      await page.getByRole('button', { name: 'Fold by module' }).click();
      console.log('  (after fold click:', await page.locator('.fold-toggle').textContent(), await page.locator('.fold-toggle button').getAttribute('aria-pressed'), ')');
      await laidOut(page, foldedNodes);
      await key(page, 'Home');
      for (let i = 0; i < 60; i++) await key(page, 'ArrowRight');
      const sf = await stepTimes(page, 80);
      console.log(`  one step, folded: key to commit median ${median(sf.commit).toFixed(1)} ms; ${sf.missed} of 80 steps missed a frame, longest frame after a step median ${median(sf.worstFrame).toFixed(1)} ms`);
      const df = await frames(page, () => panZoom(page));
      console.log(`  pan/zoom, folded: ${fps(df)}`);
    }

    await page.getByRole('button', { name: 'Forward graph' }).click();
    const bigRun = await runSource(page, BIG_CHAIN_PROGRAM);
    const t0 = Date.now();
    const nodes = Number(await page.locator('svg.graph-svg').getAttribute('data-nodes'));
    const lb = await laidOut(page, nodes);
    console.log(`2,100-node graph (sum of 699 products): run ${bigRun} ms; ${nodes} nodes laid out by ${lb.engine} in the worker in ${lb.ms.toFixed(0)} ms, drawn ${Date.now() - t0} ms after the run ended`);
    const db = await frames(page, () => panZoom(page));
    console.log(`  pan/zoom: ${fps(db)}`);
  } finally {
    await browser.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid);
      } catch {
        // already gone
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
