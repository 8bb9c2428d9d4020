import { expect, test } from '@playwright/test';
import { graph, openApp, status } from './helpers';

// The Korean UI, for the readers of the Korean blog post the app grew from: the chrome is Korean, the
// controls keep their English accessible names, the program's words stay as PyTorch says them, and
// switching back gives the English page as it was.
test('한국어: graph, stepper, inspector, Training and Fine-tune in Korean, then back to English', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: '한국어' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');

  // The top bar and the editor: Korean words on controls found by their English names.
  await expect(page.getByRole('button', { name: 'Share link' })).toHaveText('링크 공유');
  await expect(page.getByRole('button', { name: 'Export SVG' })).toHaveText('SVG 내보내기');
  await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveText('발표 모드');
  await expect(page.getByRole('button', { name: 'Backward graph' })).toHaveText('역전파 그래프');
  await expect(page.getByRole('button', { name: 'Run' })).toHaveText('실행');
  await page.getByRole('button', { name: 'Examples' }).click();
  const menu = page.getByRole('menu', { name: 'Examples' });
  await expect(menu.getByText('3차식으로 sin(x) 근사하기')).toBeVisible();
  // The whole menu is on the page (it used to hang from the button's right edge, past the page's left).
  expect((await menu.boundingBox())!.x).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Escape');
  await expect(page.getByText(/^실행 시간 [\d.]+ m?s · 이벤트 \d+개$/)).toBeVisible();

  // The graph's header and legend; node names and values are the program's.
  await expect(graph(page).getByRole('heading', { name: '순전파 그래프' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Legend' }).getByText('리프 텐서', { exact: true })).toBeVisible();

  // The stepper: two steps into the backward pass, its status and caption in Korean.
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(status(page)).toHaveText('역전파 단계 2 / 6');
  await expect(page.getByText(/^PowBackward0: 기울기 \[-1, -1\] 받음 · 전달 \[-12, -8\] → AccumulateGrad$/)).toBeVisible();

  // The inspector follows the stepper to the node that ran: headings and notes in Korean, code as it is.
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('heading', { name: '검사기' })).toBeVisible();
  await expect(inspector.getByRole('heading', { name: /PowBackward0에서의 연쇄 법칙/i })).toBeVisible();
  await expect(inspector.getByRole('heading', { name: '들어오는 기울기' })).toBeVisible();
  await expect(inspector.getByText('PyTorch는 이 값을 .grad에 보관하지 않습니다', { exact: false })).toBeVisible();
  await expect(inspector.getByText('grad_fn=PowBackward0')).toBeVisible();

  // Training: labels, buttons, table headers, and a field's message in Korean.
  await page.getByRole('tab', { name: '학습' }).click();
  await expect(page.getByRole('heading', { name: '학습', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: '한 번 반복' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: /직접 계산/ })).toBeVisible();
  await page.getByLabel('학습률').fill('abc');
  await expect(page.getByRole('alert')).toHaveText('숫자를 입력하세요 (예: 1e-6).');
  await page.getByLabel('학습률').fill('1e-6');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Fine-tune: the model card and its table.
  await page.getByRole('tab', { name: '파인튜닝' }).click();
  await expect(page.getByRole('heading', { name: '사전 학습된 ResNet 파인튜닝' })).toBeVisible();
  await expect(page.getByRole('button', { name: '파인튜닝 시작' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '파라미터' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^fc Linear 260 학습 가능$/ })).toBeVisible({ timeout: 30_000 });

  // Back to English: every panel as before, the stepper where it was.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Fine-tune a pretrained ResNet' })).toBeVisible();
  await page.getByRole('tab', { name: 'Training' }).click();
  await expect(page.getByRole('button', { name: 'One iteration' })).toBeVisible();
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(status(page)).toHaveText('Backward step 2 of 6');
  await expect(page.getByText(/^PowBackward0 received grad \[-1, -1\]; sends \[-12, -8\] → AccumulateGrad$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Share link' })).toHaveText('Share link');
  await expect(page.getByRole('button', { name: 'Run' })).toHaveText('Run');
  await expect(inspector.getByRole('heading', { name: /Chain rule at PowBackward0/i })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Legend' }).getByText('leaf tensor', { exact: true })).toBeVisible();
});
