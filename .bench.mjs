import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const page = await browser.newPage();
page.on('console', m => console.log(m.text()));
await page.goto(process.argv[2]);
await page.waitForTimeout(Number(process.argv[3] || 15000));
await browser.close();
