// Hostile text in every field people type (titles, office names, contacts, captions, credits, alt
// texts, datelines, correction and withdrawal notes, search queries, e-mail addresses) never turns
// into markup: not in pages, JSON-LD, feeds, OPML, the sitemap, mail or the admin pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { contactBlock, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';
import { parseXml } from '../helpers/feeds.ts';
import { linkIn } from '../helpers/smtp.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const EVIL = `"'><script>alert(1)</script><img src=x onerror=alert(2)>]]></title></script>\u2028&amp;`;
const evil = (label: string) => `${label} ${EVIL}`;

/** No element or attribute that only the attacker's text could have made. */
const assertInert = (where: string, html: string) => {
  const $ = cheerio.load(html);
  assert.equal($('img[onerror], [onerror]').length, 0, `${where}: an onerror attribute`);
  $('script').each((_, el) => {
    const text = $(el).text();
    assert.ok(!text.includes('alert(1)') || $(el).attr('type') === 'application/ld+json', `${where}: a script with the attacker's code`);
    if ($(el).attr('type') === 'application/ld+json') JSON.parse(text);
  });
  assert.ok(!html.includes('<script>alert(1)'), `${where}: raw <script>alert(1)`);
  assert.ok(!html.includes('<img src=x'), `${where}: raw <img src=x`);
};

test('hostile text in every field stays text on every page, feed, mail and admin page', async (t) => {
  const mailer = createMemoryMailer();
  const { app, clock } = await buildTestApp(t, { mailer });
  const { services } = app;
  await ensureTerms(services);
  const office = await services.offices.create(
    { slug: 'amt', name: evil('Amt'), descriptionMarkdown: evil('Beschreibung') + ' [x](javascript:alert(3)) <b onclick=alert(4)>b</b>', website: 'javascript:alert(5)', republicationNotice: evil('Hinweis') },
    [contactBlock({ name: evil('Name'), organisation: evil('Org'), role: evil('Rolle'), street: evil('Str'), email: 'x@example.org', website: 'javascript:alert(6)', phone: evil('Tel') })],
  );
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  // A subscriber, to see the instant notice.
  const { res } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email: 'leser@example.org', office: 'amt', frequency: 'immediately' });
  assert.equal(res.statusCode, 303);
  await services.mail.sendDue();
  await submitForm(app, new URL(linkIn(mailer.sent.at(-1)!.text, '/subscribe/confirm/')).pathname, 'form[action^="/subscribe/confirm/"]', {});

  const release = await createRelease(
    services,
    office.id,
    { title: evil('Titel'), subtitle: evil('Unter'), dateline: evil('Ort'), bodyMarkdown: `${evil('Text')}\n\n<script>alert(1)</script>\n\n[klick](javascript:alert(7))`, contact: contactBlock({ name: evil('Kontakt') }), republicationNotice: evil('Abdruck'), topics: ['verkehr'] },
    { status: 'published', photos: [{ path: 'releases/1/x.jpg', alt: evil('Alt'), caption: evil('Caption'), credit: evil('Credit'), width: 10, height: 10, mime: 'image/jpeg', bytes: 100 }] },
  );
  clock.advance(60_000);
  await services.releases.correct(release.id, releaseInput({ title: evil('Titel'), dateline: evil('Ort'), topics: ['verkehr'] }), evil('Korrektur'));
  const other = await createRelease(services, office.id, { title: evil('Zurück') });
  clock.advance(60_000);
  await services.releases.withdraw(other.id, evil('Rückzug'));
  await services.mail.fanOut();
  await services.mail.sendDue();

  const pages = ['/', '/offices', '/offices/amt', '/topics', '/topics/verkehr', '/archive', '/archive/2026/03', `/releases/${release.id}-${release.slug}`, `/releases/${other.id}-${other.slug}`, `/search?q=${encodeURIComponent(EVIL)}`, '/search?q=Titel', `/subscribe?email=${encodeURIComponent(EVIL)}`, '/feeds', `/preview/${await services.releases.findPreviewToken(release.id)}`];
  for (const url of pages) {
    const res = await app.inject({ method: 'GET', url });
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    assertInert(url, res.body);
    for (const href of cheerio.load(res.body)('a[href]').map((_, a) => cheerio.load(res.body)(a).attr('href')).get()) assert.ok(!/^\s*javascript:/i.test(href), `${url}: a javascript: link`);
  }
  // The release page shows the text as text.
  const $ = cheerio.load((await app.inject({ method: 'GET', url: `/releases/${release.id}-${release.slug}` })).body);
  assert.equal($('h1').first().text().trim(), evil('Titel'));
  // Feeds, OPML and the sitemap are well-formed and keep the text as text.
  for (const url of ['/feed.rss', '/feed.atom', '/offices/amt/feed.rss', '/offices/amt/feed.atom', '/topics/verkehr/feed.atom', '/feeds.opml', '/sitemap.xml', '/sitemaps/pages.xml', '/sitemaps/releases-2026-03.xml']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    const xml = parseXml(res.body);
    // Titles arrive as the text typed (escaped or in CDATA); HTML contents are inert HTML.
    const items: Record<string, any>[] = xml.rss?.channel?.item ?? xml.feed?.entry ?? [];
    for (const item of items) {
      const raw = typeof item.title === 'string' ? item.title : (item.title?.['#text'] as string);
      // Atom says type="html": the title is escaped HTML whose text is what was typed.
      const title = item.title?.['@type'] === 'html' ? cheerio.load(`<p>${raw}</p>`)('p').text() : raw;
      if (title.includes('Titel')) assert.equal(title, evil('Titel'), `${url}: title`);
      for (const html of [item.description, item['content:encoded'], item.content?.['#text'], item.summary?.['#text']]) if (typeof html === 'string') assertInert(`${url} item html`, html);
    }
  }
  const json = JSON.parse((await app.inject({ method: 'GET', url: '/feed.json' })).body) as { items: { title: string; content_html: string }[] };
  assert.ok(json.items.some((i) => i.title === evil('Titel')));
  for (const item of json.items) assertInert('feed.json content_html', item.content_html);
  // Mail: HTML parts inert, headers intact.
  const notices = mailer.sent.filter((m) => m.to === 'leser@example.org' && m.html);
  assert.ok(notices.length >= 1);
  for (const m of notices) {
    assertInert(`mail ${m.subject}`, m.html!);
    assert.ok(!/[\r\n]/.test(m.subject), 'subject on one line');
  }
  // Admin pages.
  const admin = new Browser(app);
  await admin.login('root@example.org');
  for (const url of ['/admin', '/admin/offices/amt', `/admin/offices/amt/releases/${release.id}`, `/admin/offices/amt/releases/${other.id}`, '/admin/offices/amt/settings', '/admin/offices/amt/members', '/admin/offices/amt/audit', '/admin/mail', '/admin/mail/log']) {
    const res = await admin.request('GET', url);
    assert.equal(res.statusCode, 200, url);
    assertInert(url, res.body);
  }
});
