import { expect, test, type Page } from '@playwright/test';
import { graph, openApp, status } from './helpers';

// Graphs at scale: behaviour only. How fast is measured by scripts/bench-browser.ts, not asserted here.

const drawnNodes = (page: Page) => graph(page).locator('svg.graph-svg .nodes > g');

async function runProgramText(page: Page, source: string) {
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill(source);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Console' })).toContainText(/Ran in/, { timeout: 90_000 });
}

test('ResNet-18 unfolded: every op laid out, stepped, panned and zoomed; only what is in view is drawn', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('menuitem', { name: /ResNet-18: one training step/ }).click();
  await expect(page.getByRole('region', { name: 'Console' })).toContainText(/Ran in/, { timeout: 90_000 });

  // Folded, the whole network is a handful of nodes, drawn at once.
  await expect(graph(page).getByText(/^Folded by module · \d+ of \d+ nodes$/)).toBeVisible();
  await page.getByRole('button', { name: 'Show every op' }).click();
  await expect(graph(page).getByText(/^All \d+ nodes$/)).toBeVisible();
  const svg = graph(page).locator('svg.graph-svg');
  await expect(svg).toHaveAttribute('data-layout-engine', 'd3-dag');
  await expect(graph(page).getByText(/Laying out/)).toHaveCount(0);
  // The ops of the network are nodes of their own now (the canvas draws the ones in view).
  await expect(graph(page).getByRole('button', { name: /^(conv2d|batch_norm|relu|add|loss|sub|addmm),/ }).first()).toBeVisible();

  // A step moves the highlight; the canvas follows it.
  const before = await status(page).textContent();
  await graph(page).click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowRight');
  await expect(status(page)).not.toHaveText(before ?? '');
  await expect(graph(page).getByRole('button', { name: /current step$/ })).toHaveCount(1);

  // Zooming out draws more of the graph; zooming back in draws less again (culling).
  const near = await drawnNodes(page).count();
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 120);
  await expect.poll(() => drawnNodes(page).count()).toBeGreaterThan(near);
  // Panning moves the view.
  const t0 = await graph(page).locator('.viewport').getAttribute('transform');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 80, { steps: 8 });
  await page.mouse.up();
  await expect(graph(page).locator('.viewport')).not.toHaveAttribute('transform', t0 ?? '');

  // The backward graph unfolded too.
  await page.getByRole('button', { name: 'Backward graph' }).click();
  await expect(graph(page).getByText(/^All \d+ nodes$/)).toBeVisible();
  await expect(graph(page).getByText(/Laying out/)).toHaveCount(0);
  // The end of the timeline is after optim.step(): the SGD updates.
  await page.getByRole('button', { name: 'To end' }).click();
  await expect(status(page)).toHaveText(/^Update step (\d+) of \1$/);
});

test('a 2,100-node graph without modules is laid out and drawn', async ({ page }) => {
  await openApp(page);
  await runProgramText(page, ['import torch', 'x = torch.ones(3, requires_grad=True)', 'ys = [x * i for i in range(1, 700)]', 's = sum(ys)', 's.sum().backward()', ''].join('\n'));
  const svg = graph(page).locator('svg.graph-svg');
  await expect(svg).toHaveAttribute('data-nodes', '2100');
  await expect(svg).toHaveAttribute('data-layout-engine', 'd3-dag', { timeout: 30_000 });
  await expect(graph(page).getByText(/Laying out/)).toHaveCount(0);
  await expect(drawnNodes(page).first()).toBeVisible();
  // No modules: nothing to fold.
  await expect(page.getByRole('button', { name: 'Show every op' })).toHaveCount(0);
  await page.getByRole('button', { name: 'To end' }).click();
  await expect(graph(page).getByRole('button', { name: /^x, leaf, value \[1, 1, 1\], grad \[244650, 244650, 244650\]/ })).toHaveCount(1);
});

test('Tab reaches every node of a culled graph, drawing and bringing each into view', async ({ page }) => {
  await openApp(page);
  await runProgramText(page, ['import torch', 'x = torch.ones(3, requires_grad=True)', 'ys = [x * i for i in range(1, 61)]', 's = sum(ys)', ''].join('\n'));
  const svg = graph(page).locator('svg.graph-svg');
  const total = Number(await svg.getAttribute('data-nodes'));
  expect(total).toBeGreaterThan(150);
  await expect(graph(page).getByText(/Laying out/)).toHaveCount(0);
  // Only part of the graph is drawn, so the DOM alone would not let Tab reach the rest.
  await expect.poll(() => drawnNodes(page).count()).toBeLessThan(total);
  const focusedKey = () => page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
  await drawnNodes(page).first().focus();
  // Back to the first node of the graph, then forward through all of them.
  for (let i = 0; i < total + 5 && (await focusedKey()) !== null; i++) await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const seen = new Set<string>();
  for (let key = await focusedKey(); key !== null && seen.size <= total; key = await focusedKey()) {
    seen.add(key);
    // The focused node is in view.
    const box = await page.locator(`[data-key="${key}"]`).boundingBox();
    const view = (await svg.boundingBox())!;
    expect(box!.x + box!.width / 2).toBeGreaterThan(view.x);
    expect(box!.x + box!.width / 2).toBeLessThan(view.x + view.width);
    await page.keyboard.press('Tab');
  }
  expect(seen.size).toBe(total);
});
