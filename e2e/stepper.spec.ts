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

test('presentation mode on a 1280×720 projector: full-size nodes, the stepper’s node kept in view below the header', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill([
    'import torch', 'import torch.nn as nn', 'torch.manual_seed(0)',
    'model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))',
    'x = torch.tensor([[1., 2.], [3., 4.]])', 'y = torch.tensor([[1.], [0.]])',
    'loss = ((model(x) - y) ** 2).mean()', 'loss.backward()', '',
  ].join('\n'));
  await editor.press('Control+Enter');
  // A new run stops at the end of its forward pass.
  await expect(status(page)).toHaveText(/^Forward step 8 of 8$/);
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await page.getByRole('button', { name: 'To start' }).click();
  const canvas = await graph(page).locator('svg.graph-svg').boundingBox();
  const head = await graph(page).locator('.graph-head').boundingBox();
  const forward = page.getByRole('button', { name: 'Step forward' });
  let steps = 0;
  for (; steps < 40 && (await forward.isEnabled()); steps++) {
    await forward.click();
    // The current node (or the folded layer holding it): at full size, wholly below the header and in the canvas.
    const active = graph(page).getByRole('button', { name: /current step/ });
    await expect(active).toHaveCount(1);
    await expect(async () => {
      const box = (await active.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(50);
      expect(box.y).toBeGreaterThanOrEqual(head!.y + head!.height - 2);
      expect(box.y + box.height).toBeLessThanOrEqual(canvas!.y + canvas!.height + 2);
      expect(box.x).toBeGreaterThanOrEqual(canvas!.x - 2);
      expect(box.x + box.width).toBeLessThanOrEqual(canvas!.x + canvas!.width + 2);
    }).toPass({ timeout: 3000 });
  }
  expect(steps).toBeGreaterThan(10);
  await expect(status(page)).toHaveText(/^Backward step (\d+) of \1$/);
});

test('a tensor hook that changes a gradient is named on its node, in the caption and in the inspector', async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill(['import torch', 'x = torch.tensor([1., 2.], requires_grad=True)', 'y = x * 3', 'y.register_hook(lambda g: g * 10)', 'z = (y * y).sum()', 'z.backward()', ''].join('\n'));
  await editor.press('Control+Enter');
  await expect(status(page)).toHaveText(/^Forward step 3 of 3$/);
  await page.getByRole('button', { name: 'To end' }).click();
  await expect(status(page)).toHaveText(/^Backward step 4 of 4$/);
  await expect(node(page, 'y')).toHaveAccessibleName(/grad \[60, 120\], a hook changed it from \[6, 12\]/);
  await expect(node(page, 'x')).toHaveAccessibleName(/grad \[180, 360\]/);
  await node(page, 'y').click();
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByRole('note')).toContainText('handed [6, 12], returned [60, 120]');
  // Back to the step of y's grad_fn: the caption tells it in order.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page.getByText('MulBackward0 received grad [6, 12] (sum of 2 contributions); a hook changed it to [60, 120]')).toBeVisible();
});

test("a module's backward hook that changes a gradient is told in the inspector, with what the node computed and what it sent", async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill([
    'import torch', 'import torch.nn as nn', 'net = nn.Linear(2, 1)', 'with torch.no_grad():', '    net.weight.fill_(0.5)', '    net.bias.fill_(0.)',
    'h = net.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))', 'x = torch.tensor([[1.0, 2.0]], requires_grad=True)',
    'net(x).sum().backward()', 'print(x.grad)', '',
  ].join('\n'));
  await editor.press('Control+Enter');
  await expect(page.getByRole('region', { name: 'Console' })).toContainText('tensor([[5., 5.]])');
  await page.getByRole('button', { name: 'To end' }).click();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page.getByText(/BackwardHookFunctionBackward received grads/)).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByRole('note')).toContainText('computed [[0.5, 0.5]], sent [[5, 5]]');
});

test("create_graph=True: the gradient's own graph is drawn, and a second backward runs through it", async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill([
    'import torch', 'x = torch.tensor([1., 2.], requires_grad=True)', 'y = (x ** 3).sum()',
    'g, = torch.autograd.grad(y, x, create_graph=True)', 'z = (g * g).sum()', 'z.backward()', 'print(x.grad)', '',
  ].join('\n'));
  await editor.press('Control+Enter');
  await expect(page.getByRole('region', { name: 'Console' })).toContainText('tensor([ 36., 288.])');
  await page.getByRole('button', { name: 'To end' }).click();
  // g = 3x² is an op result on the canvas, made from x, not an untracked tensor.
  await expect(node(page, 'g')).toHaveAccessibleName(/value \[3, 12\]/);
  // d/dx Σ(3x²)² = 36x³
  await expect(node(page, 'x')).toHaveAccessibleName(/grad \[36, 288\]/);
  // autograd.grad's AccumulateGrad step says that it returns the gradient and leaves x.grad alone.
  const forward = page.getByRole('button', { name: 'Step forward' });
  await page.getByRole('button', { name: 'To start' }).click();
  let found = false;
  for (let i = 0; i < 40 && !found && (await forward.isEnabled()); i++) {
    await forward.click();
    found = await page.getByText("AccumulateGrad: x's gradient [3, 12] is returned by autograd.grad; x.grad is unchanged").isVisible();
  }
  expect(found).toBe(true);
});
