// Fill in and submit a sipas form in headless Chromium, keep screenshots,
// and run axe-core on the form and on its error page.
// Usage: node form-a11y.mjs FORM_URL SCREENSHOT_DIR
// Exits non-zero on any failure or on any serious/critical axe violation.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const [formUrl, shots] = process.argv.slice(2);
if (!formUrl || !shots) {
  console.error('usage: node form-a11y.mjs FORM_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.SIPAS_TEST_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  // bypassCSP lets axe be injected; the page itself runs no script of ours.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();

  async function audit(name) {
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of result.violations) {
      console.log(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
    }
    if (bad.length > 0) {
      failed = true;
      console.error(`${name}: ${bad.length} serious or critical accessibility violations`);
    } else {
      console.log(`${name}: no serious or critical accessibility violations (${result.passes.length} rules passed)`);
    }
  }

  // 1. The empty form.
  await page.goto(formUrl);
  await page.screenshot({ path: `${shots}/form.png`, fullPage: true });
  await audit('form');

  // 2. Submit half-filled: the error page with its summary.
  await page.locator('fieldset').first().locator('label').nth(3).click();
  await page.locator('button[value="next"]').click();
  await page.waitForSelector('.error-summary');
  await page.screenshot({ path: `${shots}/errors.png`, fullPage: true });
  await audit('error page');
  const firstChecked = await page.locator('fieldset').first().locator('input:checked').count();
  if (firstChecked !== 1) {
    failed = true;
    console.error('the answer given before the error was lost');
  }

  // 3. Fill every radio group with the keyboard-reachable labels and submit.
  const groups = await page.locator('fieldset').count();
  for (let i = 0; i < groups; i++) {
    const fs = page.locator('fieldset').nth(i);
    const labels = fs.locator('label');
    const n = await labels.count();
    await labels.nth(n - 1).click();
  }
  await page.locator('button[value="next"]').click();
  await page.waitForURL(/\/thanks/);
  await page.screenshot({ path: `${shots}/thanks.png`, fullPage: true });
  const heading = await page.locator('h1').innerText();
  console.log(`thank-you page: ${heading}`);
  await audit('thank-you page');

  // 4. 200% zoom: the form still fits the narrow viewport without sideways scrolling.
  await page.goto(formUrl);
  await page.evaluate(() => { document.body.style.zoom = '2'; });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: `${shots}/zoom200.png` });
  console.log(`horizontal overflow at 200% zoom: ${overflow}px`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
