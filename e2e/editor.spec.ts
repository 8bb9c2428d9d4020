import { expect, test } from '@playwright/test';
import { graph, node, openApp, status } from './helpers';

test('a broken program: the error at its line, and the graph of what ran before it', async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill(['import torch', 'x = torch.tensor([1., 2.], requires_grad=True)', 'y = x * 3', 'z = y + not_defined', 'z.sum().backward()', ''].join('\n'));
  await editor.press('Control+Enter');

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('NameError');
  await expect(alert).toContainText('Line 4');
  await expect(alert).toContainText('not_defined');
  await expect(editor).toHaveAttribute('aria-invalid', 'true');

  // What ran before the error is still drawn.
  await expect(node(page, 'x')).toHaveAccessibleName(/^x, leaf, value \[1, 2\]/);
  await expect(node(page, 'y')).toHaveAccessibleName(/value \[3, 6\]/);

  // Fixing it and running with the button clears the error.
  await editor.fill(['import torch', 'x = torch.tensor([1., 2.], requires_grad=True)', 'y = x * 3', 'z = (y * y).sum()', 'print(z)', 'print(torch.stack([x, -x]).detach())', 'z.backward()', ''].join('\n'));
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Console' })).toContainText('tensor(45.');
  // Shown as a terminal shows it: PyTorch's lines and the spaces that align its columns.
  expect(await page.getByLabel('print output').innerText()).toContain('tensor([[ 1.,  2.],\n        [-1., -2.]])');
  await page.getByRole('button', { name: 'To end' }).click();
  await expect(status(page)).toHaveText(/^Backward step (\d+) of \1$/);
  await expect(node(page, 'x')).toHaveAccessibleName(/grad \[18, 36\]/);
});

test("editing a leaf's value in the inspector reruns the program", async ({ page }) => {
  await openApp(page);
  await node(page, 'a').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const first = inspector.getByRole('textbox', { name: 'a[0]' });
  await first.fill('1');
  await first.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Program' })).toHaveValue(/a = torch\.tensor\(\[1\., 3\.\], requires_grad=True\)/);
  await page.getByRole('button', { name: 'To end' }).click();
  await expect(status(page)).toHaveText('Backward step 6 of 6');
  // a.grad = 9 a**2
  await expect(node(page, 'a')).toHaveAccessibleName(/value \[1, 3\], grad \[9, 81\]/);
});

test('a runaway loop stopped by the user: the graph of its first iterations, the constant as written', async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  await editor.fill(['import torch', 'x = torch.ones(3, requires_grad=True)', 'for i in range(100000000):', '    x = x * 1.0001', 'print(x)', ''].join('\n'));
  await editor.press('Control+Enter');
  const stop = page.getByRole('button', { name: 'Stop' });
  await expect(stop).toBeVisible();
  await page.waitForTimeout(1500); // the loop is well past its first iterations
  await stop.click();
  await expect(page.getByRole('alert')).toContainText('Stopped');
  // The first iterations were posted while the loop ran on: the last of them is drawn, with its constant
  // as the program wrote it (not rounded to four digits).
  await expect(node(page, 'x').last()).toHaveAccessibleName(/^x, /);
  await expect(graph(page).getByRole('button', { name: /^1\.0001,/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: /iteration/i })).toHaveValue(/\d+/);
});

test('stepping a long program keeps the line that ran in view in the editor', async ({ page }) => {
  await openApp(page);
  const editor = page.getByRole('textbox', { name: 'Program' });
  const lines = ['import torch', 'w = torch.tensor([2.0, -1.0], requires_grad=True)'];
  for (let i = 0; i < 40; i++) lines.push(`# note ${i}: a long comment line, long enough that the editor must scroll sideways to show its end`);
  lines.push('loss = (w * w).sum()', 'loss.backward()');
  lines.push('print(w.grad)  # a trailing comment that leaves the caret far to the right after pasting the program');
  await editor.fill(lines.join('\n'));
  await editor.press('Control+Enter');
  await expect(page.getByRole('region', { name: 'Console' })).toContainText('tensor([ 4., -2.])');

  /** The current step's mark in the editor, and whether it lies inside the editor's visible box. */
  const markInView = () =>
    editor.evaluate((ta) => {
      const mark = ta.parentElement!.querySelector<HTMLElement>('mark.mark-step');
      if (!mark) return null;
      const view = ta.getBoundingClientRect();
      const m = mark.getBoundingClientRect();
      return { text: mark.textContent, inView: m.top >= view.top && m.bottom <= view.bottom && m.left >= view.left && m.right <= view.right };
    });
  const caret = await editor.evaluate((ta) => (ta as HTMLTextAreaElement).selectionStart);
  // Pasting left the caret at the end of the long last line: the editor is scrolled sideways.
  await page.getByRole('button', { name: 'To start' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect.poll(markInView).toMatchObject({ text: expect.stringContaining('w * w'), inView: true });
  expect(await editor.evaluate((ta) => ta.scrollLeft)).toBe(0);
  // Backward steps point at loss.backward(), below it.
  await page.getByRole('button', { name: 'To end' }).click();
  await expect.poll(markInView).toMatchObject({ text: expect.stringContaining('backward'), inView: true });
  // Scrolled to the top by hand, the editor stays there until the step changes.
  await editor.evaluate((ta) => ta.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await expect.poll(markInView).toMatchObject({ inView: false });
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect.poll(markInView).toMatchObject({ inView: true });
  // The caret did not move.
  expect(await editor.evaluate((ta) => (ta as HTMLTextAreaElement).selectionStart)).toBe(caret);
});
