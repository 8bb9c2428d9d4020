import { expect, test } from '@playwright/test';
import { openApp, status } from './helpers';

test('share link round trip: program, view and step come back', async ({ page, context, browser }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page);
  const program = ['import torch', 'w = torch.tensor([0.5, -1.], requires_grad=True)', 'loss = (w * w).sum()', 'loss.backward()', ''].join('\n');
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill(program);
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByRole('button', { name: 'To end' }).click();
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.getByRole('button', { name: 'Backward graph' }).click();
  const where = await status(page).textContent();
  expect(where).toMatch(/^Backward step \d+ of \d+$/);

  await page.getByRole('button', { name: 'Share link' }).click();
  await expect(page.getByText(/Link copied/)).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#');

  const other = await (await browser.newContext()).newPage();
  await openApp(other, link);
  await expect(other.getByRole('textbox', { name: 'Program' })).toHaveValue(program);
  await expect(other.getByRole('button', { name: 'Forward graph' })).toBeVisible();
  await expect(status(other)).toHaveText(where!);

  // A reload restores the same state.
  await other.reload();
  await expect(status(other)).toHaveText(where!);
  await expect(other.getByRole('textbox', { name: 'Program' })).toHaveValue(program);
});

test('a link is data, never code: HTML and script in the program stay text', async ({ page }) => {
  const hostile = 'import torch\n# <img src=x onerror="window.__pwned=1"> </textarea><script>window.__pwned=1</script>\nx = torch.tensor(1., requires_grad=True)\n';
  const b64 = Buffer.from(hostile, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  await openApp(page, `/#view=forward&it=0&step=0&program=${b64}`);
  await expect(page.getByRole('textbox', { name: 'Program' })).toHaveValue(hostile);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
});
