import { chromium } from '@playwright/test';
const url = process.argv[2]; const out = process.argv[3]; const action = process.argv[4] || '';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on('console', m => console.log('console:', m.type(), m.text()));
page.on('pageerror', e => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
if (action === 'play') {
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByText(/^Result: y =/).waitFor({ timeout: 30000 });
  console.log('run ms', Date.now() - t0);
}
await page.screenshot({ path: out, fullPage: true });
await browser.close();
