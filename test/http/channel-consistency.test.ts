// Every channel renders the one presenter (releases.presenter.ts), so every channel says the same:
// for every demo release, and a hostile one (umlauts, `&`, `<`, emoji, two photos, two
// attachments, two corrections), the page, the feed items in RSS, Atom and JSON Feed, the instant notice (text and
// HTML part), the digest entry (text and HTML part), the `.txt`, the JSON export, the API's JSON,
// the body of a webhook delivery (a real receiver on loopback), the ActivityPub Article and the
// signed canonical form (the `.sig`) carry the same
// title, release date and publication time, dateline, body text, captions and credits, contact
// block, republication notice, attachments and correction notes. A withdrawn release says so on its page, in its
// text and export, and is in no feed and no mail.
//
// Mail goes the real way: two subscribers of every office (instant, daily digest) and a real SMTP
// server; the clock is set to each release's publication to fan it out, and steps day by day
// through the digests, so every release is mailed as it would have been.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { contactBlock } from '../helpers/factories.ts';
import { submitForm } from '../helpers/forms.ts';
import { FORMATS, fetchFeed, type ParsedItem } from '../helpers/feeds.ts';
import { linkIn, startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { docxDocument, pdfDocument } from '../helpers/documents.ts';
import { zonedTime } from '../../src/lib/zoned-time.ts';
import type { Release } from '../../src/modules/releases/release.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';
import { correctionText } from '../../src/content/release-view.ts';
import { releaseToJson, type ReleaseJson } from '../../src/modules/transfer/release-json.ts';
import type { ApiRelease } from '../../src/modules/api/api.schemas.ts';
import { startReceiver } from '../helpers/webhooks.ts';

const DAY = 24 * 60 * 60 * 1000;
const berlin = zonedTime('Europe/Berlin');

/** Runs of letters and digits, lower-cased: what a reader reads, whatever the markup or wrapping around it. */
const words = (text: string): string[] => text.toLocaleLowerCase('de-DE').match(/[\p{L}\p{N}]+/gu) ?? [];

/** One line, single spaces. */
const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Whether `needle`'s words stand in `haystack` in the same order (other words may stand between). */
const inOrder = (haystack: string[], needle: string[]): boolean => {
  let at = 0;
  for (const word of haystack) if (word === needle[at]) at++;
  return at === needle.length;
};

/** What every channel must say of a release, in German (the site's and every demo release's language). */
const expectations = (r: Release) => ({
  title: flat(r.title),
  releaseDate: berlin.formatDate(r.releaseDate, 'de'),
  published: berlin.formatDateTime(r.publishedAt!, 'de'),
  dateline: r.dateline ? `${r.dateline.replace(/[.:]\s*$/, '')}.` : '',
  body: words(r.bodyText),
  photos: r.photos.map((p) => ({ caption: flat(p.caption), credit: flat(p.credit) })),
  attachments: r.attachments.map((a) => ({ title: flat(a.title), url: `http://herold.test/media/${a.path}` })),
  contact: r.contact ? words([r.contact.organisation, r.contact.role, r.contact.name, r.contact.street, r.contact.postcode, r.contact.town, r.contact.phone, r.contact.email].join(' ')) : [],
  notice: flat(r.republicationNotice),
  corrections: [...r.corrections].reverse().map((c) => ({ note: flat(correctionText(c.note)), at: berlin.formatDateTime(c.at, 'de') })),
});

/** Checks one channel's text (its markup already taken away) against the expectations. */
const carriesEverything = (channel: string, text: string, r: Release) => {
  const e = expectations(r);
  const plain = flat(text);
  const label = `${channel} of release ${r.id} „${r.title}“`;
  assert.ok(plain.includes(e.title), `${label}: title`);
  assert.ok(plain.includes(e.releaseDate), `${label}: release date ${e.releaseDate}`);
  assert.ok(plain.includes(e.published), `${label}: publication time ${e.published}`);
  if (e.dateline) assert.ok(plain.includes(e.dateline), `${label}: dateline ${e.dateline}`);
  assert.ok(e.body.length > 5 && inOrder(words(text), e.body), `${label}: body text`);
  for (const p of e.photos) {
    assert.ok(plain.includes(p.caption), `${label}: caption ${p.caption}`);
    assert.ok(plain.includes(p.credit), `${label}: credit ${p.credit}`);
  }
  for (const a of e.attachments) assert.ok(plain.includes(a.title), `${label}: attachment ${a.title}`);
  if (r.contact) assert.ok(inOrder(words(text), e.contact), `${label}: contact block`);
  if (e.notice) assert.ok(plain.includes(e.notice), `${label}: republication notice`);
  // Every correction, newest first, with its time.
  let from = 0;
  for (const c of e.corrections) {
    const at = plain.indexOf(c.note, from);
    assert.ok(at >= 0, `${label}: correction note ${c.note} (in order, newest first)`);
    assert.ok(plain.includes(c.at), `${label}: correction time ${c.at}`);
    from = at + c.note.length;
  }
};

/** Text of HTML, with the text of every element separated (cheerio's .text() glues block elements). */
const htmlText = (html: string): string => {
  const $ = cheerio.load(html.replace(/<(br|\/p|\/li|\/h\d|\/figcaption|\/address|\/figure)\b[^>]*>/gi, ' $&'));
  return $.root().text();
};

const HOSTILE = {
  title: 'Größe & <Maß>: „Übermut“ im Rathaus 😀 – Tom & Jerry',
  subtitle: 'Äpfel < Birnen & Öl > Wasser 🎉',
  dateline: 'Köln & Bonn',
  bodyMarkdown: 'Der Ausschuss tagt öffentlich & berät über <Straßen>, Brücken und Grünflächen. 😀 Alle Bürgerinnen sind eingeladen.\n\n## Hintergrund\n\n- erster Punkt: Bäume & Büsche\n- zweiter Punkt: Wege < 3 m\n\nWeitere Fragen beantwortet die Pressestelle.',
  photos: [
    { path: 'releases/hostile/1.jpg', alt: 'Saal', caption: 'Der Saal „Zur Post“ & <Foyer> 🎉', credit: 'Stadt Köln & Bonn', width: 1600, height: 1067, mime: 'image/jpeg', bytes: 240_000 },
    { path: 'releases/hostile/2.jpg', alt: 'Tisch', caption: 'Die Tagesordnung: Öffnungszeiten < 20 Uhr', credit: 'Foto: Jörg Müller & Söhne', width: 1200, height: 800, mime: 'image/jpeg', bytes: 120_000 },
  ],
  corrections: ['Die Uhrzeit war falsch: 18 & nicht 19 Uhr.', 'Der Saal heißt „Zur Post“ <nicht Krone>.'],
};

/** Signs up for every office by the public form and confirms by the mailed link. */
const subscribe = async ({ app }: TestApp, sink: SmtpSink, email: string, frequency: 'immediately' | 'daily', offices: string[]) => {
  const { res } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email, office: offices, frequency });
  assert.equal(res.statusCode, 303, res.body);
  await app.services.mail.sendDue();
  const confirm = new URL(linkIn(sink.to(email).at(-1)!.parsed.text ?? '', '/subscribe/confirm/')).pathname;
  const { res: confirmed } = await submitForm(app, confirm, 'form[action^="/subscribe/confirm/"]', {});
  assert.equal(confirmed.statusCode, 303);
};

/** The API's JSON as a reader would read it: its text fields in the order of the page, with times as every channel writes them. */
const apiText = (r: ApiRelease): string =>
  [
    r.title,
    r.subtitle,
    ...r.corrections.map((c) => `${c.note} ${berlin.formatDateTime(c.at, 'de')}`),
    `${berlin.formatDate(r.releaseDate, 'de')} ${berlin.formatDateTime(r.publishedAt, 'de')}`,
    htmlText(r.body.leadHtml),
    ...r.photos.map((p) => `${p.caption} ${p.credit}`),
    ...r.attachments.map((a) => a.name),
    r.contact ? [r.contact.organisation, r.contact.role, r.contact.name, r.contact.street, r.contact.postcode, r.contact.town, r.contact.phone, r.contact.email].join(' ') : '',
    r.notice,
  ].join('\n');

test('every channel carries the same release: page, feeds, instant notice, digest, .txt, JSON export, API, webhook, ActivityPub Article and signed canonical form', async (t) => {
  const sink = await startSmtpSink(t);
  const receiver = await startReceiver(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer, env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
  const { app, clock, db } = ctx;
  const { services } = app;
  await seedDemo(services, path.join(db.dataDir, 'media'));
  const offices = await services.offices.listAll();
  await subscribe(ctx, sink, 'sofort@example.org', 'immediately', offices.map((o) => o.slug));
  await subscribe(ctx, sink, 'taeglich@example.org', 'daily', offices.map((o) => o.slug));

  // The hostile release: written as a draft with its photos, published, corrected twice; a webhook
  // of its office hears of each step.
  const office = offices[0]!;
  await services.webhooks.create(office.id, { url: receiver.url, description: '', events: ['release.published', 'release.corrected', 'release.withdrawn'] });
  const hostileContact = contactBlock({ organisation: 'Stadt Köln & Bonn', name: 'Jörg Ölmüller', street: 'Domplatz 1 & 2' });
  const draft = await services.releases.create(
    office.id,
    { title: HOSTILE.title, subtitle: HOSTILE.subtitle, releaseDate: '2026-03-10', dateline: HOSTILE.dateline, bodyMarkdown: HOSTILE.bodyMarkdown, contact: hostileContact, republicationNotice: 'Abdruck frei & kostenlos <bitte mit Quelle>.', topics: [], regions: [], language: 'de' },
    { status: 'draft', photos: HOSTILE.photos },
  );
  // Two attachments, one with a title as hostile as the rest.
  for (const [title, data] of [['Lageplan „Zur Post“ & <Anbau>', pdfDocument()], ['Tagesordnung', docxDocument()]] as const) {
    const stored = await services.attachments.storeAttachment(draft.id, data, title);
    await services.releaseFiles.addAttachment(draft.id, { ...stored, title });
  }
  await services.releases.publish(draft.id);
  await services.webhooks.deliverDue();
  for (const note of HOSTILE.corrections) {
    clock.advance(30 * 60_000);
    const current = (await services.releases.findById(draft.id))!;
    await services.releases.correct(draft.id, { title: current.title, subtitle: current.subtitle, releaseDate: current.releaseDate, dateline: current.dateline, bodyMarkdown: current.bodyMarkdown, contact: current.contact, republicationNotice: current.republicationNotice, topics: [], regions: [], language: 'de' }, note);
    await services.webhooks.deliverDue();
  }
  const hooks = receiver.received.map((h) => JSON.parse(h.body) as { type: string; data: ApiRelease });
  assert.deepEqual(hooks.map((h) => [h.type, h.data.corrections.length]), [['release.published', 0], ['release.corrected', 1], ['release.corrected', 2]], 'each step, as it was then');
  const now = clock.now().toISOString();

  const all = await Promise.all((await db.db.selectFrom('releases').select('id').execute()).map(async (r) => (await services.releases.findById(r.id))!));
  const published = all.filter((r) => r.status === 'published').sort((a, b) => a.publishedAt!.localeCompare(b.publishedAt!));
  const withdrawn = all.filter((r) => r.status === 'withdrawn');
  // The fixture is what the test says it is.
  assert.ok(published.length >= 10, `${published.length} published releases`);
  assert.equal(withdrawn.length, 1);
  assert.ok(published.some((r) => r.corrections.length >= 1 && r.id !== draft.id), 'a demo release with a correction');
  assert.ok(published.some((r) => r.photos.length >= 2), 'a release with two photos');
  const hostile = published.find((r) => r.id === draft.id)!;
  assert.equal(hostile.corrections.length, 2);
  assert.equal(hostile.attachments.length, 2);

  // Mail as it would have gone: each release fanned out at its time; the daily digests day by day.
  const firstDay = new Date(published[0]!.publishedAt!).getTime() - DAY;
  for (let day = firstDay; day <= new Date(now).getTime() + DAY; day += DAY) {
    for (const r of published.filter((x) => new Date(x.publishedAt!).getTime() <= day && new Date(x.publishedAt!).getTime() > day - DAY)) {
      clock.set(new Date(new Date(r.publishedAt!).getTime() + 60_000));
      await services.mail.fanOut();
      await services.mail.sendDue();
    }
    clock.set(new Date(day));
    await services.mail.runDigests();
    await services.mail.sendDue();
  }
  clock.set(now);
  const instants = sink.to('sofort@example.org').slice(1);
  const digests = sink.to('taeglich@example.org').slice(1);
  assert.equal(instants.length, published.length, 'one instant notice per published release');
  assert.ok(digests.length >= 5, `${digests.length} digests`);

  const feeds = new Map<string, ParsedItem[]>();
  for (const format of FORMATS) for (const o of offices) feeds.set(`${o.slug}.${format}`, (await fetchFeed(app, `/offices/${o.slug}`, format, '?limit=100')).items);
  const instantFor = (r: Release): ReceivedMail => {
    const found = instants.filter((m) => m.parsed.subject === `${r.office.name}: ${flat(r.title)}`);
    assert.equal(found.length, 1, `one instant notice of release ${r.id}`);
    return found[0]!;
  };
  const digestFor = (r: Release): ReceivedMail => {
    const url = `http://herold.test/releases/${r.id}-${r.slug}`;
    // Carried whole by one digest; a later one may name it again under „Korrigiert oder zurückgezogen“.
    const found = digests.filter((m) => cheerio.load(m.parsed.html || '')(`.digest-item h3 a[href="${url}"]`).length > 0);
    assert.equal(found.length, 1, `release ${r.id} in one digest`);
    return found[0]!;
  };
  const exportOf = (r: Release): ReleaseJson => releaseToJson(presentRelease(r, services.urls, { audience: 'office' }));

  for (const r of published) {
    // The page.
    const page = await app.inject(`/releases/${r.id}-${r.slug}`);
    assert.equal(page.statusCode, 200);
    const $ = cheerio.load(page.body);
    assert.deepEqual($('.attachments a').map((_, a) => `http://herold.test${$(a).attr('href')}`).get(), expectations(r).attachments.map((a) => a.url), 'page: attachment links');
    // The time it went public: on the release date's own line when it was that day, else beside it.
    assert.ok($('.release-date time, .release-published time').map((_, el) => $(el).attr('datetime')).get().includes(r.publishedAt!), 'page: publication time');
    carriesEverything('page', htmlText($('article.release').html() ?? ''), r);

    // Feed items: the same in every format.
    for (const format of FORMATS) {
      const item = feeds.get(`${r.office.slug}.${format}`)!.find((i) => i.id === `http://herold.test/releases/${r.id}`);
      assert.ok(item, `release ${r.id} in the ${format} feed`);
      assert.equal(flat(item.title), flat(r.title), `${format} title`);
      assert.equal(new Date(item.published).toISOString(), r.publishedAt, `${format} published`);
      // The item's own title, then its content.
      carriesEverything(`${format} item`, `${item.title}\n${htmlText(item.content)}`, r);
      // Every attachment is an enclosure, in order.
      assert.deepEqual(item.enclosures.filter((x) => !x.type.startsWith('image/')).map((x) => x.url), expectations(r).attachments.map((a) => a.url), `${format} enclosures`);
    }

    // The instant notice, both parts.
    const notice = instantFor(r);
    carriesEverything('instant notice text', notice.parsed.text ?? '', r);
    carriesEverything('instant notice HTML', htmlText(notice.parsed.html || ''), r);

    // The digest entry, both parts: the entry of this release only.
    const digest = digestFor(r);
    const digestText = (digest.parsed.text ?? '').split('\n------------------------------------------------------------------------\n').find((part) => part.includes(`/releases/${r.id}-${r.slug}\n`) && part.includes('Meldungsdatum:'))!;
    assert.ok(digestText, `the text of release ${r.id} in its digest`);
    carriesEverything('digest text', digestText, r);
    const $digest = cheerio.load(digest.parsed.html || '');
    const entry = $digest('.digest-item').filter((_, el) => $digest(el).find(`h3 a[href="http://herold.test/releases/${r.id}-${r.slug}"]`).length === 1);
    assert.equal(entry.length, 1, `the entry of release ${r.id} in its digest`);
    carriesEverything('digest HTML', htmlText($digest.html(entry)), r);

    // The plain text.
    const text = await app.inject(`/releases/${r.id}.txt`);
    assert.equal(text.statusCode, 200);
    carriesEverything('.txt', text.body, r);

    // The JSON export: the same facts as fields.
    const json = exportOf(r);
    assert.equal(json.title, r.title);
    assert.equal(json.releaseDate, r.releaseDate);
    assert.equal(json.publishedAt, r.publishedAt);
    assert.equal(json.dateline, r.dateline);
    assert.equal(json.bodyText, r.bodyText);
    assert.deepEqual(json.photos.map((p) => ({ caption: p.caption, credit: p.credit })), r.photos.map((p) => ({ caption: p.caption, credit: p.credit })));
    assert.deepEqual(json.contact, r.contact);
    assert.equal(json.republicationNotice, r.republicationNotice);
    assert.deepEqual(json.corrections, [...r.corrections].reverse().map((c) => ({ at: c.at, note: c.note })));
    assert.deepEqual(json.attachments.map((a) => ({ title: a.name, url: a.url })), expectations(r).attachments);
    assert.deepEqual(JSON.parse(JSON.stringify(json)), json, 'the export is plain data');

    // The API's JSON: the same facts as fields, and as text.
    const answer = await app.inject(`/api/v1/releases/${r.id}`);
    assert.equal(answer.statusCode, 200);
    const api = JSON.parse(answer.body) as ApiRelease;
    assert.equal(api.title, r.title);
    assert.equal(api.releaseDate, r.releaseDate);
    assert.equal(api.publishedAt, r.publishedAt);
    assert.equal(api.dateline, r.dateline);
    assert.equal(api.body.text, r.bodyText);
    assert.deepEqual(api.photos.map((p) => ({ caption: p.caption, credit: p.credit })), r.photos.map((p) => ({ caption: p.caption, credit: p.credit })));
    assert.deepEqual(api.contact, r.contact);
    assert.equal(api.notice, r.republicationNotice);
    assert.deepEqual(api.corrections, [...r.corrections].reverse().map((c) => ({ at: c.at, note: c.note })));
    carriesEverything('API JSON', apiText(api), r);
    // The webhook's body is the API's JSON of the release.
    if (r.id === draft.id) assert.deepEqual(hooks.at(-1)!.data, api, 'the last webhook body is the API answer');

    // The ActivityPub Article (as a fediverse server fetches it): the title as its name, the rest in
    // its content, the same as a feed item.
    const article = await app.inject({ method: 'GET', url: `/ap/releases/${r.id}`, headers: { accept: 'application/activity+json' } });
    assert.equal(article.statusCode, 200, `the Article of release ${r.id}`);
    const object = JSON.parse(article.body) as { type: string; name: string; url: string; contentMap?: Record<string, string>; content?: string };
    assert.equal(object.type, 'Article');
    assert.equal(object.url, `http://herold.test/releases/${r.id}-${r.slug}`);
    carriesEverything('ActivityPub Article', `${object.name}\n${htmlText(object.contentMap?.[r.language] ?? object.content ?? '')}`, r);

    // The signed canonical form (the newest version in the .sig): the same facts as fields.
    const sig = JSON.parse((await app.inject(`/releases/${r.id}.sig`)).body) as { versions: { document: string }[] };
    const canonical = JSON.parse(sig.versions[0]!.document) as Record<string, any>;
    assert.equal(canonical.id, `http://herold.test/releases/${r.id}`);
    assert.equal(canonical.title, r.title);
    assert.equal(canonical.releaseDate, r.releaseDate);
    assert.equal(canonical.publishedAt, r.publishedAt);
    assert.equal(canonical.dateline, r.dateline);
    assert.equal(canonical.body, r.bodyText);
    assert.deepEqual(canonical.photos.map((p: { caption: string; credit: string }) => ({ caption: p.caption, credit: p.credit })), r.photos.map((p) => ({ caption: p.caption, credit: p.credit })));
    assert.deepEqual(canonical.contact, r.contact);
    assert.equal(canonical.notice, r.republicationNotice);
    assert.deepEqual(canonical.corrections, [...r.corrections].reverse().map((c) => ({ at: c.at, note: c.note })));
  }

  // The hostile release came through every channel above; its hard parts as written.
  const hostileText = (await app.inject(`/releases/${hostile.id}.txt`)).body;
  assert.match(flat(hostileText), /^Größe & <Maß>: „Übermut“ im Rathaus 😀 – Tom & Jerry /);
  assert.ok(flat(htmlText(instantFor(hostile).parsed.html || '')).includes('Der Saal „Zur Post“ & <Foyer> 🎉'));

  // The withdrawn release: its page, text and export say so; no feed and no mail carries it.
  const gone = withdrawn[0]!;
  const goneWords = words(gone.bodyText);
  const goneNote = flat(gone.withdrawalNote);
  const $gone = cheerio.load((await app.inject(`/releases/${gone.id}-${gone.slug}`)).body);
  const gonePage = flat(htmlText($gone('article.release').html() ?? ''));
  const goneText = flat((await app.inject(`/releases/${gone.id}.txt`)).body);
  for (const [channel, plain] of [['page', gonePage], ['.txt', goneText]] as const) {
    assert.ok(plain.includes(flat(gone.title)), `${channel}: the withdrawn release's title`);
    assert.ok(plain.includes(berlin.formatDate(gone.releaseDate, 'de')), `${channel}: its release date`);
    assert.ok(plain.includes(goneNote), `${channel}: the withdrawal note`);
    assert.ok(!inOrder(words(plain), goneWords), `${channel}: not its body`);
  }
  assert.equal(exportOf(gone).withdrawn?.note, gone.withdrawalNote);
  const goneApi = JSON.parse((await app.inject(`/api/v1/releases/${gone.id}`)).body) as ApiRelease;
  assert.deepEqual([goneApi.status, goneApi.title, goneApi.withdrawn?.note, goneApi.body.text], ['withdrawn', gone.title, gone.withdrawalNote, '']);
  assert.ok(!JSON.parse((await app.inject('/api/v1/releases?limit=100')).body).items.some((i: ApiRelease) => i.id === gone.id), 'the API lists it no more');
  // No Article for the fediverse; its signed canonical form says it is withdrawn, with the note and without the body.
  assert.equal((await app.inject({ method: 'GET', url: `/ap/releases/${gone.id}`, headers: { accept: 'application/activity+json' } })).statusCode, 404);
  const goneSigned = JSON.parse(JSON.parse((await app.inject(`/releases/${gone.id}.sig`)).body).versions[0].document) as { status: string; body: string; withdrawn: { note: string }; title: string };
  assert.deepEqual([goneSigned.status, goneSigned.body, goneSigned.withdrawn.note, goneSigned.title], ['withdrawn', '', gone.withdrawalNote, gone.title]);
  for (const [key, items] of feeds) {
    assert.ok(!items.some((i) => i.id === `http://herold.test/releases/${gone.id}`), `withdrawn release in ${key}`);
  }
  assert.ok([...feeds.values()].flat().length >= published.length * FORMATS.length, 'the feeds hold the other releases');
  assert.ok(!instants.some((m) => (m.parsed.text ?? '').includes(`/releases/${gone.id}-`)), 'no instant notice carries the withdrawn release');
  // A digest never carries it; one after its withdrawal may say it was withdrawn, with the note.
  for (const m of digests) {
    const $m = cheerio.load(m.parsed.html || '');
    assert.equal($m(`.digest-item a[href^="http://herold.test/releases/${gone.id}-"]`).length, 0, 'no digest carries the withdrawn release');
    const told = $m(`.digest-change`).filter((_, el) => $m(el).find(`a[href^="http://herold.test/releases/${gone.id}-"]`).length > 0);
    if (told.length > 0) assert.ok(told.text().includes(goneNote), 'a digest telling of the withdrawal gives the note');
  }
});
