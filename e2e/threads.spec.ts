import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

test('cross-origin isolated: the engine runs gemm on two threads, with the right numbers', async ({ page }) => {
  await openApp(page);
  // The preview server sends COOP/COEP (vite.config.ts), so SharedArrayBuffer is there for the workers.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const editor = page.getByRole('textbox', { name: 'Program' });
  // 256³ multiply-adds: above the threshold where gemm shares its tiles with the helper thread.
  await editor.fill(['import torch', 'a = torch.ones(256, 256)', 'b = torch.full((256, 256), 2.0)', 'c = a @ b', 'print(c.sum(), c[255, 255])', ''].join('\n'));
  const consolePanel = page.getByRole('region', { name: 'Console' });
  // The helper thread starts with the runner: by the second run it serves.
  await expect(async () => {
    await page.getByRole('button', { name: 'Run' }).click();
    await expect(consolePanel).toContainText(/Ran in .* · 2 threads/, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(consolePanel).toContainText('tensor(33554432.) tensor(512.)');
});
