// A release on paper, in a real browser with print media and no JavaScript: the source URL, the
// site's name and the date it is current as of appear; the navigation and the platform box, whose
// links are no use on paper, do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAvailable, launchBrowser, startServer } from '../helpers/browser.ts';

test('a printed release names its source and leaves out navigation and the platform box', { skip: !browserAvailable() }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(server.url);
  const href = await page.locator('.release-list .card-title a').first().getAttribute('href');
  await page.goto(server.url + href!);
  const canonical = (await page.locator('link[rel=canonical]').getAttribute('href'))!;
  const siteName = (await page.locator('meta[property="og:site_name"]').getAttribute('content'))!;

  // On screen: the platform box and the navigation, no print line.
  assert.equal(await page.locator('.print-source').isVisible(), false);
  assert.equal(await page.locator('.platform-footer').isVisible(), true);
  assert.equal(await page.locator('.main-nav').isVisible(), true);

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.print-source').isVisible(), true);
  const source = (await page.locator('.print-source').innerText()).replace(/\s+/g, ' ');
  assert.ok(source.includes(`Quelle: ${siteName}, ${canonical}`), source);
  assert.match(source, /Stand: \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr/);
  for (const hidden of ['.platform-footer', '.main-nav', '.site-header', '.site-footer', '.release-signed', '.feed-links']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  assert.equal(await page.locator('h1.release-title').isVisible(), true);
  assert.equal(await page.locator('.release-body').isVisible(), true);
});

test('with JavaScript, a printed release also names the moment it was printed', { skip: !browserAvailable() }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const page = await browser.newPage();
  await page.goto(server.url);
  const href = await page.locator('.release-list .card-title a').first().getAttribute('href');
  await page.goto(server.url + href!);
  await page.emulateMedia({ media: 'print' });
  assert.doesNotMatch(await page.locator('.print-source').innerText(), /Gedruckt am/, 'no print date before printing');
  await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
  const source = (await page.locator('.print-source').innerText()).replace(/\s+/g, ' ');
  const year = String(new Date().getFullYear());
  assert.match(source, /Stand: .* · Gedruckt am \S+/, source);
  assert.ok(source.includes(year), source);
});
