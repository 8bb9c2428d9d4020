import { expect, type Page } from '@playwright/test';

export const status = (page: Page) => page.getByRole('status');
export const graph = (page: Page) => page.getByRole('region', { name: 'Computational graph' });
/** A node of the graph by the start of its accessible name (its label). */
export const node = (page: Page, label: string) => graph(page).getByRole('button', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},`) });

/** Waits until the default run has drawn its graph. */
export async function openApp(page: Page, url = '/') {
  await page.goto(url);
  await expect(graph(page)).toBeVisible();
  await expect(status(page)).toHaveText(/(Forward|Backward) step \d+ of \d+/);
}

/** Clicks "Step forward" until the stepper is at the end of the timeline. */
export async function stepToEnd(page: Page) {
  const forward = page.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < 200 && (await forward.isEnabled()); i++) await forward.click();
  await expect(forward).toBeDisabled();
}
