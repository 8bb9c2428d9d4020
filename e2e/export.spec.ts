import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { openApp } from './helpers';

test('Export SVG contains the nodes and the legend; Export PNG is a PNG', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'To end' }).click();

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
  const svg = await readFile((await svgDownload.path())!, 'utf8');
  expect(svg).toContain('<svg');
  for (const label of ['>a<', '>b<', '>Q<']) expect(svg).toContain(label);
  expect(svg).toContain('grad [36, 81]');
  expect(svg).toContain('leaf tensor');
  expect(svg).not.toContain('<script');

  await page.getByRole('button', { name: 'Backward graph' }).click();
  const [svg2] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  const text2 = await readFile((await svg2.path())!, 'utf8');
  expect(text2).toContain('AccumulateGrad');
  expect(text2).toContain('SubBackward0');

  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  const bytes = await readFile((await png.path())!);
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(5000);
});
