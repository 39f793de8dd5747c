// Embargo: a scheduled release appears nowhere before its time. One table of every public URL
// (pages, counts, feeds, OPML, sitemap, search with its counts and facets, the .txt) is walked in
// each state a not-yet-public release can be in: scheduled, edited while scheduled, unscheduled
// (a draft again), scheduled again from the admin, and finally withdrawn after it went live. Every
// URL must answer exactly as it did before the release existed (so counts, archive months and
// facets cannot leak it either), and only the preview link shows it early. Mail (instant notices
// and digests) and the admin of another office are checked on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';
import { linkIn } from '../helpers/smtp.ts';
import { createMemoryMailer, type MemoryMailer } from '../../src/modules/mail/memory-mailer.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';
import { acceptOf, PUBLIC_URLS } from '../helpers/public-urls.ts';

const SECRET_TITLE = 'Quokkazählung im Nordkreis';
const SECRET_WORD = 'Zauberwortgeheimnis';

/** The page as a user sees it; per-request tokens (CSRF, CSP nonces) differ on every response. */
const normalise = (body: string) =>
  body
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/"(?:[A-Za-z0-9_-]{20,})"/g, (m) => (/^"[a-z-]+"$/.test(m) ? m : '"TOKEN"'));

const snapshot = async (app: FastifyInstance, urls: string[]) => {
  const out = new Map<string, { status: number; body: string }>();
  for (const url of urls) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: acceptOf(url) } });
    out.set(url, { status: res.statusCode, body: normalise(res.body) });
  }
  return out;
};

const assertUnseen = async (app: FastifyInstance, baseline: Map<string, { status: number; body: string }>, id: number, slug: string, state: string) => {
  for (const [url, before] of baseline) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: acceptOf(url) } });
    assert.ok(res.statusCode < 500, `${state}: ${url} answers ${res.statusCode}`);
    // A search page repeats its query; the comparison with the baseline below covers those.
    const typed = decodeURIComponent(url).toLowerCase();
    for (const secret of [SECRET_TITLE, SECRET_WORD, 'Quokka', `/releases/${id}-`, `/releases/${id}.txt`]) {
      if (url.startsWith('/search') && [...secret.toLowerCase().split(' ')].some((w) => typed.includes(w.slice(0, 5)))) continue;
      assert.ok(!res.body.includes(secret), `${state}: ${url} shows "${secret}"`);
    }
    assert.equal(res.statusCode, before.status, `${state}: ${url} status`);
    assert.equal(normalise(res.body), before.body, `${state}: ${url} differs from before the release existed (a count or facet?)`);
  }
  for (const url of [`/releases/${id}-${slug}`, `/releases/${id}`, `/releases/${id}.txt`, `/releases/${id}-anders`, `/releases/${id}.sig`, `/ap/releases/${id}`, `/api/v1/releases/${id}`]) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: acceptOf(url) } });
    assert.equal(res.statusCode, 404, `${state}: ${url}`);
    assert.ok(!res.body.includes('Quokka'), `${state}: ${url} shows the title`);
  }
};

const subscribe = async (app: FastifyInstance, mailer: MemoryMailer, email: string, frequency: string) => {
  const { res } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email, office: 'amt', topic: ['verkehr', 'umwelt'], region: ['nordkreis', 'suedkreis'], frequency });
  assert.equal(res.statusCode, 303, res.body);
  await app.services.mail.sendDue();
  const confirmUrl = new URL(linkIn(mailer.sent.at(-1)!.text, '/subscribe/confirm/'));
  const { res: confirmed } = await submitForm(app, confirmUrl.pathname, 'form[action^="/subscribe/confirm/"]', {});
  assert.equal(confirmed.statusCode, 303);
};

test('a scheduled release appears on no public URL, in no mail and in no other office before its time', async (t) => {
  const mailer = createMemoryMailer();
  const { app, clock, db } = await buildTestApp(t, { mailer });
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const other = await createOffice(services, { slug: 'nachbar', name: 'Nachbaramt' });
  const visible = await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis', topics: ['verkehr'], regions: ['nordkreis'] });
  const neighbour = await createRelease(services, other.id, { title: 'Nachbarn bauen auch Radwege' });
  // The pages of public releases too: nothing on them (related, next, previous) may point to it.
  const releasePages = [visible, neighbour].flatMap((r) => [`/releases/${r.id}-${r.slug}`, `/releases/${r.id}.txt`]);
  await createUser(services, { email: 'eve@nachbar.example', officeId: other.id, role: 'owner' });

  // A webhook of the office, and one of the platform: nothing may be announced to them early.
  await services.webhooks.create(office.id, { url: 'https://93.184.216.34/amt', description: '', events: ['release.published', 'release.corrected', 'release.withdrawn'] });
  await services.webhooks.create(null, { url: 'https://93.184.216.34/alle', description: '', events: ['release.published'] });
  const announced = async (releaseId: number) => (await db.db.selectFrom('webhook_events').select(['type']).where('release_id', '=', releaseId).orderBy('id').execute()).map((e) => e.type);

  // A subscriber of everything this release touches, instantly and daily.
  await subscribe(app, mailer, 'sofort@example.org', 'immediately');
  await subscribe(app, mailer, 'taeglich@example.org', 'daily');
  await services.mail.fanOut();
  await services.mail.sendDue();
  const mailsBefore = mailer.sent.length;

  // Followers of the office have been told of what is public already.
  await services.federation.announce();
  const baseline = await snapshot(app, [...PUBLIC_URLS, ...releasePages]);

  const input = releaseInput({ title: SECRET_TITLE, bodyMarkdown: `Das ${SECRET_WORD} bleibt bis Mittag unter Verschluss. Nordkreis.`, releaseDate: '2026-04-15', topics: ['verkehr', 'umwelt'], regions: ['nordkreis', 'suedkreis'] });
  const scheduled = await services.releases.create(office.id, input, { status: 'scheduled', publishAt: '2026-03-10T12:00:00.000Z' });
  const { id, slug } = scheduled;
  await assertUnseen(app, baseline, id, slug, 'scheduled');

  // The preview link shows it, and only with the right token.
  const token = await services.releases.findPreviewToken(id);
  assert.ok(token);
  const preview = await app.inject({ method: 'GET', url: `/preview/${token}` });
  assert.equal(preview.statusCode, 200);
  assert.ok(preview.body.includes(SECRET_TITLE));
  assert.equal(cheerio.load(preview.body)('script[type="application/ld+json"]').length, 0, 'no JSON-LD on a preview');
  // A token with its last character changed (to one it does not already end with), cut short, the id, nothing.
  const changed = `${token!.slice(0, -1)}${token!.endsWith('x') ? 'y' : 'x'}`;
  for (const guess of [changed, token!.slice(0, 10), String(id), '']) {
    const res = await app.inject({ method: 'GET', url: `/preview/${guess}` });
    assert.ok(res.statusCode === 404 || res.statusCode === 302 || res.statusCode === 301, `preview guess ${guess}: ${res.statusCode}`);
    assert.ok(!res.body.includes('Quokka'));
  }

  // No mail: neither instant notices nor a digest of the next morning (still before noon UTC? no:
  // the digest runs at 07:00 Berlin on 11 March, after publication, so run it before instead).
  await services.mail.fanOut();
  await services.mail.runDigests();
  await services.mail.sendDue();
  assert.equal(mailer.sent.length, mailsBefore, 'no mail before the time');
  // Nothing for the fediverse, no signature, and „Echtheit prüfen“ does not know it.
  assert.equal(await services.federation.announce(), 0, 'no activity before the time');
  assert.equal(await services.signing.signPending(), 0);
  const check = await services.verifier.verify(`${SECRET_TITLE}\n\nDas ${SECRET_WORD} bleibt bis Mittag unter Verschluss. Nordkreis.`);
  assert.deepEqual(check, { kind: 'none', reason: 'notFound' });
  const linked = await services.verifier.verify(`http://herold.test/releases/${id}`);
  assert.deepEqual(linked, { kind: 'none', reason: 'notFound' });

  // Another office's admin does not see it, not even as a count.
  const eve = new Browser(app);
  await eve.login('eve@nachbar.example');
  for (const url of ['/admin', '/admin/offices/nachbar', `/admin/offices/nachbar/releases/${id}`, '/admin/offices/amt', `/admin/offices/amt/releases/${id}`]) {
    const res = await eve.request('GET', url);
    assert.ok(!res.body.includes('Quokka'), `eve sees it on ${url}`);
  }

  // Edited while scheduled: still hidden.
  await services.releases.update(id, { ...input, bodyMarkdown: `Neu: ${SECRET_WORD}.` });
  await assertUnseen(app, baseline, id, slug, 'edited while scheduled');

  // Unscheduled: a draft again.
  await services.releases.unschedule(id);
  await assertUnseen(app, baseline, id, slug, 'unscheduled');

  // Scheduled again through the admin form of its own office.
  await createUser(services, { email: 'ed@amt.example', officeId: office.id, role: 'editor' });
  const ed = new Browser(app);
  await ed.login('ed@amt.example');
  const res = await ed.submitForm(`/admin/offices/amt/releases/${id}`, `form[action="/admin/offices/amt/releases/${id}/schedule"]`, { publishAt: '2026-03-10T14:00' });
  assert.equal(res.statusCode, 303);
  assert.equal((await services.releases.findById(id))!.status, 'scheduled');
  await assertUnseen(app, baseline, id, slug, 'rescheduled');
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(mailer.sent.length, mailsBefore, 'no mail before the time');
  await services.releases.publishDue();
  assert.deepEqual(await announced(id), [], 'no webhook event before the time');
  assert.equal(await services.federation.announce(), 0, 'no activity before the time');

  // Its time comes (14:00 Berlin is 13:00 UTC): now it is public, in listings and in mail.
  clock.set('2026-03-10T13:00:01.000Z');
  await services.releases.publishDue();
  assert.equal((await app.inject({ method: 'GET', url: `/releases/${id}-${slug}` })).statusCode, 200);
  assert.ok((await app.inject({ method: 'GET', url: '/feed.rss' })).body.includes(SECRET_TITLE));
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.ok(mailer.sent.slice(mailsBefore).some((m) => m.to === 'sofort@example.org' && m.subject.includes(SECRET_TITLE)), 'the instant notice goes out once it is public');
  assert.deepEqual(await announced(id), ['release.published'], 'announced to webhooks at its time');
  assert.equal((await db.db.selectFrom('webhook_deliveries as d').innerJoin('webhook_events as e', 'e.id', 'd.event_id').where('e.release_id', '=', id).select('d.id').execute()).length, 2, 'to the office’s and the platform’s endpoint');
  assert.equal(JSON.parse((await app.inject({ method: 'GET', url: `/api/v1/releases/${id}` })).body).title, SECRET_TITLE);
  assert.equal(await services.federation.announce(), 1, 'and the Create for its followers');
  assert.equal((await app.inject({ method: 'GET', url: `/releases/${id}.sig` })).statusCode, 200, 'signed once public');

  // Withdrawn: gone from every listing, feed, search and count again.
  await services.releases.withdraw(id, 'Zurückgezogen.');
  assert.deepEqual(await announced(id), ['release.published', 'release.withdrawn']);
  const sync = '/api/v1/releases?updated_since=2020-01-01T00:00:00Z';
  for (const [url, before] of baseline) {
    if (url === '/sitemap.xml' || url.startsWith('/search') || url === sync) continue;
    const res = await app.inject({ method: 'GET', url, headers: { accept: acceptOf(url) } });
    assert.ok(!res.body.includes(SECRET_TITLE), `withdrawn: ${url} lists it`);
    assert.equal(res.statusCode, before.status, `withdrawn: ${url}`);
  }
  // A sync is told of the withdrawal (so copies can be taken down), without the body.
  const tombstone = JSON.parse((await app.inject({ method: 'GET', url: sync })).body).items.find((r: { id: number }) => r.id === id);
  assert.deepEqual([tombstone.status, tombstone.withdrawn.note, tombstone.body.text], ['withdrawn', 'Zurückgezogen.', '']);
  for (const url of baseline.keys()) {
    if (!url.startsWith('/search') && url !== '/sitemap.xml') continue;
    const res = await app.inject({ method: 'GET', url });
    assert.ok(!res.body.includes(SECRET_TITLE), `withdrawn: ${url} lists it`);
  }
});

test('a digest that runs while a release is scheduled leaves it out; the next digest after its time has it', async (t) => {
  const mailer = createMemoryMailer();
  const { app, clock } = await buildTestApp(t, { mailer });
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  await subscribe(app, mailer, 'taeglich@example.org', 'daily');
  await createRelease(services, office.id, { title: 'Heute öffentlich', topics: ['verkehr'] });
  // Scheduled for 07:30 Berlin on 11 March, half an hour after that morning's digest.
  await services.releases.create(office.id, releaseInput({ title: SECRET_TITLE, topics: ['verkehr'] }), { status: 'scheduled', publishAt: '2026-03-11T06:30:00.000Z' });
  clock.set('2026-03-11T06:00:30.000Z');
  assert.equal(await services.mail.runDigests(), 1);
  await services.mail.sendDue();
  const first = mailer.sent.filter((m) => m.to === 'taeglich@example.org').at(-1)!;
  assert.ok(first.text.includes('Heute öffentlich'));
  assert.ok(!first.text.includes('Quokka') && !(first.html ?? '').includes('Quokka'), 'the morning digest leaves the scheduled release out');
  clock.set('2026-03-11T06:30:01.000Z');
  await services.releases.publishDue();
  clock.set('2026-03-12T06:00:30.000Z');
  assert.equal(await services.mail.runDigests(), 1);
  await services.mail.sendDue();
  assert.ok(mailer.sent.filter((m) => m.to === 'taeglich@example.org').at(-1)!.text.includes(SECRET_TITLE), 'the next digest has it');
});
