import { expect, test, type Page } from '@playwright/test';

// polyfit.json: PyTorch 1.13, float32, 2000 iterations from a=-0.461 b=0.731 c=0.125 d=-0.902; the line
// PyTorch prints at the end (Debian's python3-torch 1.13.1, the same in both of the tutorial's versions).
const REFERENCE_START = ['-0.461', '0.731', '0.125', '-0.902'];
const PYTORCH_RESULT = 'Result: y = -0.014758200384676456 + 0.8565725088119507 x + 0.0025460354518145323 x^2 + -0.09330644458532333 x^3';

/**
 * Generous: the 2000-iteration lockstep run takes about 1 s where fresh typed arrays are cheap, but up to
 * tens of seconds in Debian's Chromium on a busy small VM, where each one costs a page fault.
 */
const FULL_RUN_MS = 180_000;

async function openTraining(page: Page) {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Training' }).click();
  await expect(page.getByRole('heading', { name: 'Training' })).toBeVisible();
}

const progress = (page: Page) => page.getByRole('progressbar', { name: 'Training progress' });
const stateChip = (page: Page) => page.getByRole('status').filter({ hasText: /^(Ready|Training…|Paused|Done|Diverged)$/ });
const resultLine = (page: Page) => page.getByText(/^Result: y = /);

async function typeStart(page: Page, values: string[]) {
  const start = page.getByRole('group', { name: 'Start' });
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) await start.getByLabel(name, { exact: true }).fill(values[i]);
}

test("the tutorial's run: live while training, answers clicks, ends at PyTorch's coefficients", async ({ page }) => {
  test.setTimeout(FULL_RUN_MS + 60_000);
  await openTraining(page);
  await typeStart(page, REFERENCE_START);
  await expect(page.getByLabel('Learning rate')).toHaveValue('1e-6');
  await expect(page.getByLabel('Iterations')).toHaveValue('2000');
  await expect(stateChip(page)).toHaveText('Ready');

  // The whole run at full speed, drawing as it goes (the time is printed for the report, not asserted).
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('radio', { name: 'By hand' }).check();
  await expect(page.getByText('print output · By hand')).toBeVisible({ timeout: 1000 });
  await expect(resultLine(page)).toBeVisible({ timeout: FULL_RUN_MS });
  console.log(`panel run, 2000 iterations in lockstep: ${Date.now() - t0} ms`);
  await expect(stateChip(page)).toHaveText('Done');
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '2000');

  // The tutorial's last line as PyTorch prints it, to the last digit, in both columns.
  for (const column of ['By hand', 'Autograd']) {
    await page.getByRole('radio', { name: column }).check();
    await expect(page.getByText(`print output · ${column}`)).toBeVisible();
    await expect(resultLine(page)).toHaveText(PYTORCH_RESULT);
  }
  // The two columns agree to float precision: every row of the table says so.
  await expect(page.getByRole('table').getByText('identical')).toHaveCount(9);

  // Again, slowly enough to act while it trains: clicks are answered, Pause stops it where it is.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(stateChip(page)).toHaveText('Ready');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '50 it/s' });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(stateChip(page)).toHaveText('Training…');
  await expect.poll(async () => Number(await progress(page).getAttribute('aria-valuenow'))).toBeGreaterThan(5);
  await page.getByRole('radio', { name: 'Autograd' }).check();
  await expect(page.getByText('print output · Autograd')).toBeVisible({ timeout: 1000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(stateChip(page)).toHaveText('Paused', { timeout: 1000 });
  const pausedAt = Number(await progress(page).getAttribute('aria-valuenow'));
  expect(pausedAt).toBeLessThan(2000);
  await page.getByRole('button', { name: 'One iteration' }).click();
  await expect(progress(page)).toHaveAttribute('aria-valuenow', String(pausedAt + 1));
  await expect(stateChip(page)).toHaveText('Paused');
});

test('Inspect iteration opens its graph in the canvas; Open as program puts the code in the editor', async ({ page }) => {
  await openTraining(page);
  await page.getByLabel('Iterations').fill('60');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(resultLine(page)).toBeVisible({ timeout: FULL_RUN_MS });

  await page.getByLabel('Iteration t to inspect').fill('41');
  await page.getByRole('button', { name: 'Inspect iteration' }).click();
  await expect(page.getByRole('tab', { name: 'Graph' })).toHaveAttribute('aria-selected', 'true');
  const editor = page.getByRole('textbox', { name: 'Program' });
  await expect(editor).toHaveValue(/for t in range\(60\):/);
  await expect(editor).toHaveValue(/loss\.backward\(\)/);
  await expect(page.getByRole('region', { name: 'Computational graph' })).toBeVisible();
  // Fitted once the page is shown (it had no size while the Training page was up): the stepper's node is in view.
  const canvas = (await page.locator('svg.graph-svg').boundingBox())!;
  const active = page.getByRole('region', { name: 'Computational graph' }).getByRole('button', { name: /current step/ });
  await expect(async () => {
    const box = (await active.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(canvas.x);
    expect(box.y).toBeGreaterThanOrEqual(canvas.y);
    expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  }).toPass({ timeout: 10_000 });

  // Back in the panel: the two iterations had the same shape and new ids.
  await page.getByRole('tab', { name: 'Training' }).click();
  await expect(page.getByText('The DAG is built anew on every iteration')).toBeVisible();
  await expect(page.getByText('t = 40', { exact: true })).toBeVisible();
  await expect(page.getByText('t = 41', { exact: true })).toBeVisible();

  await page.getByRole('radio', { name: 'By hand' }).check();
  await page.getByRole('button', { name: 'Open as program' }).click();
  await expect(editor).toHaveValue(/grad_y_pred = 2\.0 \* \(y_pred - y\)/);
  await expect(editor).toHaveValue(/print\(f'Result: y = \{a\.item\(\)\} \+ \{b\.item\(\)\} x \+ \{c\.item\(\)\} x\^2 \+ \{d\.item\(\)\} x\^3'\)\n?$/);
});

test('a diverging learning rate stops with the first NaN/Inf; bad input is refused', async ({ page }) => {
  await openTraining(page);
  const lr = page.getByLabel('Learning rate');
  await lr.fill('abc');
  await expect(page.getByText('Enter a number, e.g. 1e-6.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();

  await lr.fill('1e-3');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(stateChip(page)).toHaveText('Diverged', { timeout: FULL_RUN_MS });
  await expect(page.getByRole('alert').first()).toContainText(/became (inf|-inf|nan) at iteration \d+/);
  await expect(page.getByRole('table').locator('td.nonfinite').first()).toBeVisible();
  await expect(resultLine(page)).toHaveCount(0);

  // Still responsive: Reset starts over.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(stateChip(page)).toHaveText('Ready');
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '0');
  // Keys: → runs one iteration (and leaves the hidden graph's stepper alone).
  await page.getByRole('heading', { name: 'Training' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '1');
  await expect(stateChip(page)).toHaveText('Paused');
});
