import { expect, test } from '@playwright/test';
import { graph, node, openApp, status, stepToEnd } from './helpers';

test('the default program: step through forward and backward, reading the gradients from the nodes', async ({ page }) => {
  await openApp(page);
  await expect(page.getByRole('textbox', { name: 'Program' })).toHaveValue(/Q = 3\*a\*\*3 - b\*\*2/);

  // The forward graph: leaves named by the program, values on nodes, the root.
  await expect(node(page, 'a')).toHaveAccessibleName(/^a, leaf, value \[2, 3\]/);
  await expect(node(page, 'b')).toHaveAccessibleName(/^b, leaf, value \[6, 4\]/);
  await expect(node(page, 'Q')).toHaveAccessibleName(/value \[-12, 65\]/);

  // Back to the start: no op has run, Q has no value yet.
  await page.getByRole('button', { name: 'To start' }).click();
  await expect(status(page)).toHaveText(/^Forward step 0 of \d+$/);
  await expect(node(page, 'Q')).toHaveAccessibleName(/not reached yet/);

  // Step by step to the end of the backward pass.
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(status(page)).toHaveText(/^Forward step 1 of \d+$/);
  await stepToEnd(page);
  await expect(status(page)).toHaveText('Backward step 6 of 6');
  await expect(node(page, 'a')).toHaveAccessibleName(/grad \[36, 81\]/);
  await expect(node(page, 'b')).toHaveAccessibleName(/grad \[-12, -8\]/);

  // Keys: Home, End, ←, →.
  await graph(page).click({ position: { x: 5, y: 200 } });
  await page.keyboard.press('Home');
  await expect(status(page)).toHaveText(/^Forward step 0 of \d+$/);
  await page.keyboard.press('End');
  await expect(status(page)).toHaveText('Backward step 6 of 6');
  await page.keyboard.press('ArrowLeft');
  await expect(status(page)).toHaveText('Backward step 5 of 6');
  await expect(node(page, 'a')).not.toHaveAccessibleName(/grad \[36, 81\]/);
  await page.keyboard.press('ArrowRight');
  await expect(node(page, 'a')).toHaveAccessibleName(/grad \[36, 81\]/);

  // Play turns into Pause, and plays to the end.
  await page.getByRole('button', { name: 'To start' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(status(page)).toHaveText('Backward step 6 of 6', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  // One click to PyTorch's backward graph: grad_fn nodes and AccumulateGrad with the leaves' grads.
  await page.getByRole('button', { name: 'Backward graph' }).click();
  await expect(page.getByRole('button', { name: 'Forward graph' })).toBeVisible();
  await expect(graph(page).getByRole('button', { name: /^SubBackward0,/ })).toBeVisible();
  await expect(graph(page).getByRole('button', { name: /^PowBackward0,/ })).toHaveCount(2);
  await expect(graph(page).getByRole('button', { name: /^AccumulateGrad, for a, grad \[36, 81\]/ })).toBeVisible();
  await expect(graph(page).getByRole('button', { name: /^AccumulateGrad, for b, grad \[-12, -8\]/ })).toBeVisible();

  // The inspector at the root: the seed gradient and the chain rule with numbers.
  await graph(page).getByRole('button', { name: /^Q,/ }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('heading', { name: 'Seed gradient' })).toBeVisible();
  await expect(inspector.locator('.katex').first()).toBeVisible();

  // Presentation mode hides the editor and keeps the graph and the stepper.
  await page.getByRole('button', { name: 'Forward graph' }).click();
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await expect(page.getByRole('textbox', { name: 'Program' })).toBeHidden();
  await expect(graph(page)).toBeVisible();
  await expect(status(page)).toHaveText('Backward step 6 of 6');
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await expect(page.getByRole('textbox', { name: 'Program' })).toBeVisible();
});
