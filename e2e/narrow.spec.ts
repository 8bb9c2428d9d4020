import { expect, test, type Page } from '@playwright/test';
import { graph, openApp, status } from './helpers';

/** Boxes of the top bar's visible controls that overlap one another, and the page's width beyond the window. */
async function topBarFit(page: Page): Promise<{ overlaps: number; overflow: number }> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.topbar .logo, .topbar .brand-name, .topbar .current-view, .topbar .btn')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0);
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom && b.top < a.bottom) overlaps++;
      }
    }
    return { overlaps, overflow: document.documentElement.scrollWidth - window.innerWidth };
  });
}

for (const [width, height] of [[1200, 720], [1024, 768], [390, 844]] as const) {
  test(`a ${width}×${height} screen: the top bar fits, its actions keep their names, the graph has room`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openApp(page);
    expect(await topBarFit(page)).toEqual({ overlaps: 0, overflow: 0 });
    for (const name of ['Backward graph', 'Share link', 'Export SVG', 'Export PNG', 'Presentation mode']) {
      await expect(page.getByRole('button', { name })).toBeVisible();
    }
    const canvas = (await graph(page).locator('svg.graph-svg').boundingBox())!;
    expect(canvas.height).toBeGreaterThanOrEqual(300);
    expect(canvas.width).toBeLessThanOrEqual(width);
    // Beside the program on a projector's 1024 pixels, not below it.
    const editor = (await page.getByRole('textbox', { name: 'Program' }).boundingBox())!;
    if (width === 1024) expect(canvas.x).toBeGreaterThan(editor.x + editor.width);
    await page.getByRole('button', { name: 'Backward graph' }).click();
    await expect(page.getByRole('button', { name: 'Forward graph' })).toBeVisible();
    expect(await topBarFit(page)).toEqual({ overlaps: 0, overflow: 0 });
  });
}

test('P enters presentation mode and Escape leaves it; neither while typing in the program', async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  const before = await editor.inputValue();
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type('p');
  await expect(editor).toHaveValue(/p$/);
  await editor.fill(before);
  await graph(page).click({ position: { x: 5, y: 200 } });
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute('aria-pressed', 'true');
  await expect(editor).toBeHidden();
  await expect(status(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute('aria-pressed', 'false');
  await expect(editor).toBeVisible();
  await expect(editor).toHaveValue(before);
});
