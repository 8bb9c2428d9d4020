import { expect, test, type Page } from '@playwright/test';
import { graph, openApp, status } from './helpers';

/** A node of the graph by the start of its accessible name (a folded module: "layer1 · Sequential"). */
const mod = (page: Page, path: string, kind: string) => graph(page).getByRole('button', { name: new RegExp(`^${path.replace(/\./g, '\\.')} · ${kind}\\b`) });

async function runExample(page: Page, title: RegExp) {
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('menu', { name: 'Examples' }).getByRole('menuitem', { name: title }).click();
  // The time the step took, measured in the worker around the run.
  await expect(page.getByRole('region', { name: 'Console' })).toContainText(/Ran in \d+(\.\d)? m?s/, { timeout: 90_000 });
}

test('ResNet-18 folds by module: expand mid-backward, the step stays and the active node is lit inside', async ({ page }) => {
  await openApp(page);
  // The tutorial has no modules: nothing to fold.
  await expect(page.getByRole('button', { name: 'Show every op' })).toHaveCount(0);

  await runExample(page, /ResNet-18: one training step/);
  await expect(page.getByRole('textbox', { name: 'Program' })).toHaveValue(/torchvision\.models\.resnet18\(\)/);

  // Folded at the top level: the stem, the four layers, avgpool and fc are module nodes.
  for (const [path, kind] of [
    ['conv1', 'Conv2d'],
    ['bn1', 'BatchNorm2d'],
    ['relu', 'ReLU'],
    ['maxpool', 'MaxPool2d'],
    ['layer1', 'Sequential'],
    ['layer2', 'Sequential'],
    ['layer3', 'Sequential'],
    ['layer4', 'Sequential'],
    ['avgpool', 'AdaptiveAvgPool2d'],
    ['fc', 'Linear'],
  ])
    await expect(mod(page, path, kind)).toHaveAttribute('aria-expanded', 'false');
  await expect(mod(page, 'layer1', 'Sequential')).toHaveAccessibleName(/BasicBlock ×2/);

  // The backward view, 30 steps into the backward pass: the gradient is inside layer4.
  await page.getByRole('button', { name: 'Backward graph' }).click();
  await graph(page).click({ position: { x: 5, y: 300 } });
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
  await expect(status(page)).toHaveText(/^Backward step 30 of \d+$/);
  await expect(mod(page, 'layer4', 'Sequential')).toHaveAccessibleName(/current step inside/);
  await expect(mod(page, 'layer3', 'Sequential')).not.toHaveAccessibleName(/current step inside/);

  // Expanding by click: a frame titled by the module; the step does not move.
  await mod(page, 'layer4', 'Sequential').click();
  await expect(mod(page, 'layer4', 'Sequential')).toHaveAttribute('aria-expanded', 'true');
  await expect(status(page)).toHaveText(/^Backward step 30 of \d+$/);
  await expect(mod(page, 'layer4.0', 'BasicBlock')).toHaveAccessibleName(/current step inside/);
  await expect(mod(page, 'layer3', 'Sequential')).toHaveAttribute('aria-expanded', 'false');

  // Expanding by keyboard, one level down: the active grad_fn node itself.
  await mod(page, 'layer4.0', 'BasicBlock').focus();
  await page.keyboard.press('Enter');
  await expect(mod(page, 'layer4.0', 'BasicBlock')).toHaveAttribute('aria-expanded', 'true');
  await expect(mod(page, 'layer4.0.bn2', 'BatchNorm2d')).toHaveAccessibleName(/current step inside/);
  await mod(page, 'layer4.0.bn2', 'BatchNorm2d').focus();
  await page.keyboard.press('Enter');
  // Step 30 is the AccumulateGrad of layer4.0.bn2.weight: the node itself is lit.
  await expect(graph(page).getByRole('button', { name: /^AccumulateGrad, for layer4\.0\.bn2\.weight, .*current step$/ })).toHaveCount(1);
  await expect(status(page)).toHaveText(/^Backward step 30 of \d+$/);

  // Folding layer4 again (its frame's title, by keyboard) folds what was open inside it too.
  await mod(page, 'layer4', 'Sequential').focus();
  await page.keyboard.press('Enter');
  await expect(mod(page, 'layer4', 'Sequential')).toHaveAttribute('aria-expanded', 'false');
  await expect(mod(page, 'layer4.0', 'BasicBlock')).toHaveCount(0);

  // Every op, and back.
  await page.getByRole('button', { name: 'Show every op' }).click();
  await expect(graph(page).getByText(/^All \d+ nodes$/)).toBeVisible();
  await expect(graph(page).locator('[aria-expanded]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Fold by module' }).click();
  await expect(mod(page, 'layer4', 'Sequential')).toBeVisible();
});

test('fine-tuning: the backward view shows gradients reaching only fc, stopping at the frozen backbone', async ({ page }) => {
  await openApp(page);
  await runExample(page, /fine-tune the last layer/);
  // The freezing loop draws nothing: no iteration picker, one graph.
  await expect(page.getByRole('combobox', { name: 'Iteration' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Backward graph' }).click();
  const legend = page.getByRole('list', { name: 'Legend' });
  await expect(legend).toContainText('frozen module');
  await expect(legend).toContainText('no gradient (requires_grad=False)');
  for (const path of ['conv1', 'layer1', 'layer4']) await expect(mod(page, path, '\\w+')).toHaveAccessibleName(/no gradient reaches it.*frozen \(requires_grad=False\)/);
  await expect(mod(page, 'fc', 'Linear')).not.toHaveAccessibleName(/no gradient/);

  await page.getByRole('button', { name: 'To end' }).click();
  await expect(status(page)).toHaveText(/^Backward step (\d+) of \1$/);
  await expect(mod(page, 'fc', 'Linear')).toHaveAccessibleName(/4 of 4 run, grad \[1, 10\]/);

  // Inside fc: the only two AccumulateGrad nodes of the whole graph.
  await mod(page, 'fc', 'Linear').click();
  await expect(graph(page).getByRole('button', { name: /^AccumulateGrad,/ })).toHaveCount(2);
  await expect(graph(page).getByRole('button', { name: /^AccumulateGrad, for fc\.weight, grad/ })).toBeVisible();
  // Inside the frozen conv1: its weight, with no AccumulateGrad, no gradient.
  await mod(page, 'conv1', 'Conv2d').focus();
  await page.keyboard.press('Enter');
  await expect(graph(page).getByRole('button', { name: /^conv1\.weight, leaf, frozen \(requires_grad=False\), no gradient reaches it/ })).toHaveCount(1);
});
