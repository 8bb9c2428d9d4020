// Browser benchmark: median time from Run (Ctrl+Enter) to the drawn graph, for the tutorial's program and
// for a straight-line program of about 300 nodes, in Debian's Chromium against the static build.
// Prints medians; asserts nothing (timings live in benchmarks, not tests).
//
//   npx vite build && npx tsx scripts/bench-run-to-graph.ts        (serves dist/ on port 4192)
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { chromiumLaunch } from '../playwright.config';

const PORT = 4192;
const TUTORIAL = `import torch
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
`;
// 100 lines of three ops each, then the backward: ~300 forward nodes and their grad_fn nodes.
const CHAIN = ['import torch', 'y0 = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)']
  .concat(Array.from({ length: 100 }, (_, i) => `y${i + 1} = torch.sin(y${i}) * 1.01 + 0.1`))
  .concat(['loss = y100.sum()', 'loss.backward()', ''])
  .join('\n');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const browser = await chromium.launch(chromiumLaunch);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.getByRole('region', { name: 'Computational graph' }).waitFor();
    for (const [name, program, last] of [['tutorial Q = 3a³ − b²', TUTORIAL, 'Q'], ['~300-node chain', CHAIN, 'loss']] as const) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const editor = page.getByRole('textbox', { name: 'Program' });
        await editor.fill(program + `# run ${i}\n`);
        const t0 = Date.now();
        await editor.press('Control+Enter');
        await page.getByRole('region', { name: 'Computational graph' }).getByRole('button', { name: new RegExp(`^${last}\\b`) }).first().waitFor({ timeout: 60_000 });
        times.push(Date.now() - t0);
      }
      const nodes = await page.getByRole('region', { name: 'Computational graph' }).getByRole('button').count();
      console.log(`${name}: Run → drawn graph median ${median(times)} ms (${times.join(', ')}); ${nodes} focusable nodes drawn`);
    }
    await browser.close();
  } finally {
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
