// node pages-a11y.mjs BASE USER PASS SHOTS_DIR PATH...
// Logs in (USER "-" stays anonymous), then opens each path at 360 and 1366 px
// wide: the document must be no wider than the viewport, no text under
// 12 CSS px, and axe-core must find no serious or critical WCAG 2.1 AA
// violation. A full-page screenshot of each is kept in SHOTS_DIR.
import { createRequire } from 'module';
import { mkdirSync } from 'fs';
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axePath = require.resolve('axe-core/axe.min.js');
const [base, user, pass, shots, ...paths] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.SIPAS_TEST_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
// axe is injected as a script; the pages' CSP rightly forbids that.
const ctx = await browser.newContext({ bypassCSP: true });
if (user !== '-') {
  const p = await ctx.newPage();
  await p.goto(base + '/admin/login');
  await p.fill('#username', user);
  await p.fill('#password', pass);
  await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
  await p.close();
}
let failed = 0;
for (const path of paths) {
  for (const width of [360, 1366]) {
    const page = await ctx.newPage();
    await page.setViewportSize({ width, height: 900 });
    const resp = await page.goto(base + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const small = await page.evaluate(() => {
      let n = 0;
      for (const el of document.querySelectorAll('body *')) {
        const text = [...el.childNodes].some(c => c.nodeType === 3 && c.textContent.trim());
        if (text && el.getClientRects().length && parseFloat(getComputedStyle(el).fontSize) < 12) n++;
      }
      return n;
    });
    await page.addScriptTag({ path: axePath });
    const r = await page.evaluate(async () => await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const bad = r.violations.filter(v => ['serious', 'critical'].includes(v.impact));
    const name = `${user === '-' ? 'public' : user}${path.replace(/[^a-z0-9]+/gi, '_').slice(0, 80)}-${width}.png`;
    await page.screenshot({ path: `${shots}/${name}`, fullPage: true });
    const ok = resp.status() === 200 && overflow <= 0 && small === 0 && bad.length === 0;
    if (!ok) failed++;
    console.log(`${ok ? 'ok' : 'FAIL'} ${resp.status()} ${width}px ${path} overflow=${overflow} small_text=${small} axe=${bad.map(v => `${v.impact} ${v.id} (${v.nodes.length}) ${v.nodes[0].target}`).join('; ') || 'none'}`);
    await page.close();
  }
}
await browser.close();
process.exit(failed ? 1 : 0);
