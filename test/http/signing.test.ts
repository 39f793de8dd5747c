// Verifiable releases: every public version is signed (publish, correction, withdrawal, a scheduled
// time come), the .sig file and the well-known key list let anyone check a signature with nothing
// but Ed25519 (node:crypto here, not Herold's code), the „Echtheit prüfen“ page tells a faithful copy
// from a tampered one, and a rotated key keeps old signatures verifiable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { submitForm } from '../helpers/forms.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { canonicalJson, canonicalRelease } from '../../src/content/release-canonical.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';
import type { ReleaseInput } from '../../src/modules/releases/release.ts';

interface SigFile {
  format: string;
  release: string;
  keys: string;
  versions: { version: number; keyId: string; signature: string; sha256: string; document: string; signedAt: string }[];
}

const getJson = async <T>(app: FastifyInstance, url: string): Promise<{ status: number; body: T; type: string }> => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: (res.statusCode === 200 ? JSON.parse(res.body) : null) as T, type: String(res.headers['content-type']) };
};

/** Checks every version of a .sig file with the published keys and node:crypto alone. */
const checkIndependently = async (app: FastifyInstance, file: SigFile) => {
  const { body: jwks } = await getJson<{ keys: (JsonWebKey & { kid: string })[] }>(app, new URL(file.keys).pathname);
  return file.versions.map((v) => {
    const jwk = jwks.keys.find((k) => k.kid === v.keyId);
    assert.ok(jwk, `key ${v.keyId} is published`);
    return verify(null, Buffer.from(v.document, 'utf8'), createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }), Buffer.from(v.signature, 'base64url'));
  });
};

const verifyPage = async (app: FastifyInstance, input: string) => {
  const { res, $ } = await submitForm(app, '/verify', 'form.verify-form', { input });
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  const section = $('.verify-result');
  return { state: (section.attr('class') ?? '').replace('verify-result ', ''), heading: section.find('h2').text().trim(), text: section.text().replace(/\s+/g, ' ') };
};

/** A page as a browser copies it: block elements and line breaks become new lines. */
const copiedPageText = (html: string): string => cheerio.load(html.replace(/<(br|\/p|\/li|\/h\d|\/figcaption|\/address|\/figure|\/div|\/dd|\/dt)\b[^>]*>/gi, '\n$&'))('main').text();

const inputOf = (r: { title: string; subtitle: string; releaseDate: string; dateline: string; bodyMarkdown: string; contact: ReleaseInput['contact']; republicationNotice: string; language: 'de' | 'en' }, changes: Partial<ReleaseInput> = {}): ReleaseInput => ({
  title: r.title,
  subtitle: r.subtitle,
  releaseDate: r.releaseDate,
  dateline: r.dateline,
  bodyMarkdown: r.bodyMarkdown,
  contact: r.contact,
  republicationNotice: r.republicationNotice,
  topics: [],
  regions: [],
  language: r.language,
  ...changes,
});

test('every public version is signed: round trip with node:crypto, correction and withdrawal make new versions', async (t) => {
  const { app, clock, config } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const release = await createRelease(services, office.id, { title: 'Brücke wird saniert', bodyMarkdown: 'Die Brücke an der Mühle wird ab Montag saniert. Die Umleitung führt über die Hauptstraße.' });

  const first = await getJson<SigFile>(app, `/releases/${release.id}.sig`);
  assert.equal(first.status, 200);
  assert.match(first.type, /application\/json/);
  assert.equal(first.body.format, 'herold-signature/1');
  assert.equal(first.body.versions.length, 1);
  // What is signed is the canonical form of the presenter's public view.
  const view = presentRelease((await services.releases.findById(release.id))!, services.urls);
  assert.equal(first.body.versions[0]!.document, canonicalJson(canonicalRelease(view)));
  assert.deepEqual(await checkIndependently(app, first.body), [true]);
  // The private key is a file in the key folder, readable by the owner only; the database has the public half only.
  const keyFiles = readdirSync(path.join(config.keyDir, 'signing', `office-${office.id}`));
  assert.deepEqual(keyFiles, [`${first.body.versions[0]!.keyId}.pem`]);
  const keyRow = await app.services.signing.publicKey(first.body.versions[0]!.keyId);
  assert.ok(keyRow && !('d' in keyRow.jwk), 'only the public half in the database');

  // A tampered document does not verify.
  const tampered = { ...first.body, versions: [{ ...first.body.versions[0]!, document: first.body.versions[0]!.document.replace('Montag', 'Dienstag') }] };
  assert.deepEqual(await checkIndependently(app, tampered), [false]);

  clock.advance(60_000);
  await services.releases.correct(release.id, inputOf(release, { bodyMarkdown: 'Die Brücke an der Mühle wird ab Dienstag saniert. Die Umleitung führt über die Hauptstraße.' }), 'Der Beginn ist Dienstag, nicht Montag.');
  clock.advance(60_000);
  await services.releases.withdraw(release.id, 'Die Sanierung ist verschoben.');
  const all = await getJson<SigFile>(app, `/releases/${release.id}.sig`);
  assert.deepEqual(all.body.versions.map((v) => v.version), [3, 2, 1]);
  assert.deepEqual(await checkIndependently(app, all.body), [true, true, true]);
  const docs = all.body.versions.map((v) => JSON.parse(v.document) as { status: string; body: string; corrections: unknown[]; withdrawn: unknown });
  assert.equal(docs[0]!.status, 'withdrawn');
  assert.equal(docs[0]!.body, '');
  assert.match(docs[1]!.body, /Dienstag/);
  assert.equal(docs[1]!.corrections.length, 1);
  assert.match(docs[2]!.body, /Montag/);

  // The page links its signature and the check.
  const page = cheerio.load((await app.inject({ method: 'GET', url: `/releases/${release.id}-${release.slug}` })).body);
  assert.equal(page(`.release-signed a[href="/releases/${release.id}.sig"]`).length, 1);
  assert.equal(page('.release-signed a[href^="/verify?url="]').length, 1);
});

test('the Echtheit prüfen page: the .txt matches, a changed word does not, an old version is named as such', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const release = await createRelease(services, office.id, { title: 'Freibad öffnet am Samstag', bodyMarkdown: 'Das Freibad öffnet am Samstag um neun Uhr. Der Eintritt kostet vier Euro.\n\nKinder bis sechs Jahre baden frei.' });
  const text = (await app.inject({ method: 'GET', url: `/releases/${release.id}.txt` })).body;

  const faithful = await verifyPage(app, text);
  assert.equal(faithful.state, 'verify-ok', faithful.text);
  assert.match(faithful.heading, /Wort für Wort/);
  assert.match(faithful.text, /Fassung 1 von 1/);
  assert.match(faithful.text, /Signatur gültig/);

  // The page copied from a browser (its HTML as text) matches too.
  const pageHtml = (await app.inject({ method: 'GET', url: `/releases/${release.id}-${release.slug}` })).body;
  const fromPage = await verifyPage(app, copiedPageText(pageHtml));
  assert.equal(fromPage.state, 'verify-ok', fromPage.text);

  const tampered = await verifyPage(app, text.replace('vier Euro', 'acht Euro'));
  assert.equal(tampered.state, 'verify-failed');
  assert.match(tampered.heading, /weicht/);
  assert.match(tampered.text, /signiert „vier“, im Text „acht“/);

  const appended = await verifyPage(app, text.replace('Kinder bis sechs Jahre baden frei.', 'Kinder bis sechs Jahre baden frei. Hunde sind ausdrücklich erwünscht.'));
  assert.notEqual(appended.state, 'verify-ok', 'an added sentence is never a plain match');
  assert.match(appended.text, /Hunde sind ausdrücklich erwünscht/);

  clock.advance(60_000);
  await services.releases.correct(release.id, inputOf(release, { bodyMarkdown: 'Das Freibad öffnet am Samstag um zehn Uhr. Der Eintritt kostet vier Euro.\n\nKinder bis sechs Jahre baden frei.' }), 'Öffnung um zehn Uhr.');
  const old = await verifyPage(app, text);
  assert.equal(old.state, 'verify-ok', old.text);
  assert.match(old.text, /Fassung 1 von 2/);
  assert.match(old.text, /nicht die neueste Fassung/);

  const unknown = await verifyPage(app, 'Ganz andere Mitteilung\n\nDie Stadt pflanzt Bäume.');
  assert.equal(unknown.state, 'verify-failed');
  assert.match(unknown.heading, /Keine signierte Mitteilung/);

  // A link to the release on this site, from the page's own link (a GET), and its .sig pasted.
  const own = cheerio.load((await app.inject({ method: 'GET', url: `/verify?url=${encodeURIComponent(`http://herold.test/releases/${release.id}`)}` })).body);
  assert.match(own('.verify-result h2').text(), /Originalseite/);
  const sig = (await app.inject({ method: 'GET', url: `/releases/${release.id}.sig` })).body;
  const pastedSig = await verifyPage(app, sig);
  assert.equal(pastedSig.state, 'verify-ok');
  assert.match(pastedSig.heading, /Alle Signaturen sind gültig/);
  const forged = JSON.parse(sig) as SigFile;
  forged.versions[0]!.document = forged.versions[0]!.document.replace('zehn', 'elf');
  const badSig = await verifyPage(app, JSON.stringify(forged));
  assert.equal(badSig.state, 'verify-failed');
  assert.match(badSig.heading, /Signatur ist ungültig/);
});

test('a rotated key keeps old signatures verifiable; new versions are signed with the new key', async (t) => {
  const { app, clock, config } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const before = await createRelease(services, office.id, { title: 'Vor dem Schlüsselwechsel' });
  const oldKey = (await getJson<SigFile>(app, `/releases/${before.id}.sig`)).body.versions[0]!.keyId;

  const newKey = await services.signing.rotate(office.id);
  assert.notEqual(newKey, oldKey);
  assert.equal(existsSync(path.join(config.keyDir, 'signing', `office-${office.id}`, `${oldKey}.pem`)), false, 'the old private key is deleted');
  clock.advance(60_000);
  const after = await createRelease(services, office.id, { title: 'Nach dem Schlüsselwechsel' });

  const { body: jwks } = await getJson<{ keys: { kid: string; retired: string | null; office: string }[] }>(app, '/.well-known/herold-keys.json');
  assert.deepEqual(
    jwks.keys.map((k) => [k.kid, k.office, k.retired === null]),
    [
      [oldKey, 'amt', false],
      [newKey, 'amt', true],
    ],
  );
  const oldFile = (await getJson<SigFile>(app, `/releases/${before.id}.sig`)).body;
  const newFile = (await getJson<SigFile>(app, `/releases/${after.id}.sig`)).body;
  assert.equal(oldFile.versions[0]!.keyId, oldKey);
  assert.equal(newFile.versions[0]!.keyId, newKey);
  assert.deepEqual(await checkIndependently(app, oldFile), [true]);
  assert.deepEqual(await checkIndependently(app, newFile), [true]);
  const text = (await app.inject({ method: 'GET', url: `/releases/${before.id}.txt` })).body;
  const checked = await verifyPage(app, text);
  assert.equal(checked.state, 'verify-ok', checked.text);
  assert.match(checked.text, /Schlüssel wurde inzwischen erneuert/);
});

test('a scheduled release has no signature before its time; releases public before signing existed are signed by the sweep', async (t) => {
  const { app, clock, db } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const scheduled = await services.releases.create(office.id, releaseInput({ title: 'Geheim bis Mittag' }), { status: 'scheduled', publishAt: '2026-03-10T12:00:00.000Z' });
  assert.equal((await app.inject({ method: 'GET', url: `/releases/${scheduled.id}.sig` })).statusCode, 404);
  assert.equal((await services.signing.signPending()), 0);
  assert.equal((await db.db.selectFrom('release_signatures').selectAll().execute()).length, 0);
  const jwks = await getJson<{ keys: unknown[] }>(app, '/.well-known/herold-keys.json');
  assert.deepEqual(jwks.body.keys, [], 'not even a key before anything is public');

  clock.set('2026-03-10T12:00:01.000Z');
  await services.releases.publishDue();
  const rows = await db.db.selectFrom('release_signatures').select(['release_id', 'version']).execute();
  assert.deepEqual(rows, [{ release_id: scheduled.id, version: 1 }]);

  // Signatures lost (or never made, before this feature): the sweep signs them again.
  const published = await createRelease(services, office.id, { title: 'Schon lange öffentlich' });
  await db.db.deleteFrom('release_signatures').execute();
  assert.equal(await services.signing.signPending(), 2);
  assert.equal(await services.signing.signPending(), 0, 'idempotent');
  const file = (await getJson<SigFile>(app, `/releases/${published.id}.sig`)).body;
  assert.equal(file.versions.length, 1);
});

test('every demo release, copied from its page or its .txt, is recognised word for word; a changed phone number in the contact is not', async (t) => {
  // The demo has what real releases have: links in the body, photos with captions and credits, a
  // contact with labelled lines, corrections, a withdrawal; the layouts print all of it differently.
  const { app, db } = await buildTestApp(t);
  await seedDemo(app.services, path.join(db.dataDir, 'media'));
  const rows = await db.db.selectFrom('releases').select(['id', 'status', 'slug']).orderBy('id').execute();
  const isPublic = (status: string) => status === 'published' || status === 'withdrawn';
  assert.ok(rows.filter((r) => isPublic(r.status)).length >= 10, 'the demo has public releases');
  for (const { id, status, slug } of rows) {
    const txt = (await app.inject({ method: 'GET', url: `/releases/${id}.txt` })).body;
    const page = copiedPageText((await app.inject({ method: 'GET', url: `/releases/${id}-${slug}` })).body);
    for (const [channel, input] of [
      ['txt', txt],
      ['page', page],
    ] as const) {
      const result = await app.services.verifier.verify(input);
      if (!isPublic(status)) {
        assert.equal(result.kind, 'none', `release ${id} (${status}) is not found through its ${channel}`);
        continue;
      }
      assert.equal(result.kind, 'text', `release ${id} ${channel}`);
      if (result.kind !== 'text') continue;
      assert.equal(result.comparison.verdict, 'match', `release ${id} ${channel}: ${JSON.stringify({ differences: result.comparison.differences, additions: result.comparison.additions })}`);
    }
  }

  // Labels may stand between a contact's words, but its words themselves still count.
  const withPhone = rows.find((r) => isPublic(r.status) && r.status === 'published');
  assert.ok(withPhone);
  const view = presentRelease((await app.services.releases.findById(withPhone.id))!, app.services.urls);
  const phone = view.contact?.phone ?? '';
  assert.match(phone, /\d/, 'the demo contact has a phone number');
  const txt = (await app.inject({ method: 'GET', url: `/releases/${withPhone.id}.txt` })).body;
  assert.ok(txt.includes(phone));
  const lastDigit = phone.match(/(\d)(?!.*\d)/)![1]!;
  const changedPhone = phone.replace(/(\d)(?!.*\d)/, lastDigit === '9' ? '1' : String(Number(lastDigit) + 1));
  const tampered = await app.services.verifier.verify(txt.replace(phone, changedPhone));
  assert.equal(tampered.kind, 'text');
  assert.ok(tampered.kind === 'text' && tampered.comparison.verdict === 'mismatch', JSON.stringify(tampered));
});
