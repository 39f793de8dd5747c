// `herold import FILE --office SLUG --status scheduled --publish-at ISO --prerelease accredited`:
// a release imported for later is sent ahead under embargo to the office's accredited journalists
// (queued in the outbox; the server's mail job sends it), and stays off every public page. Bad
// flags are refused with a sentence, storing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildTestApp, dbEnv } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { capture } from '../helpers/cli.ts';
import { createJournalist } from '../helpers/journalists.ts';
import { linkIn } from '../helpers/smtp.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const FILE = path.join(import.meta.dirname, '../fixtures/import/stadt-ohne-fax.txt');

test('import --status scheduled --publish-at --prerelease accredited sends the release ahead to the accredited journalists only', async (t) => {
  const mailer = createMemoryMailer();
  // The CLI runs on the real clock and queues its mail for now: the server here does too.
  const { app, db, clock } = await buildTestApp(t, { mailer, now: new Date().toISOString() });
  const env = { ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: 'http://herold.test', SESSION_SECRET: 'test-secret-test-secret-test-secret!' };
  const office = await createOffice(app.services, { slug: 'stadt', name: 'Stadt' });
  const other = await createOffice(app.services, { slug: 'nachbar', name: 'Nachbar' });
  await createJournalist(db.db, { name: 'Jana Reporter', medium: 'Tagblatt', email: 'jana@tagblatt.example', officeId: office.id });
  await createJournalist(db.db, { name: 'Nina Nachbar', email: 'nina@nachbar.example', officeId: other.id });
  await createJournalist(db.db, { name: 'Rita Requested', email: 'rita@example.org', officeId: office.id, status: 'requested' });

  for (const [args, message] of [
    [['--status', 'scheduled'], 'import: --status scheduled needs --publish-at, e.g. 2026-12-24T10:00+01:00'],
    [['--status', 'scheduled', '--publish-at', '2099-12-24T10:00'], 'import: --publish-at must be an ISO time with a zone, e.g. 2026-12-24T10:00+01:00'],
    [['--status', 'scheduled', '--publish-at', '2099-13-40T10:00+01:00'], 'import: --publish-at must be an ISO time with a zone, e.g. 2026-12-24T10:00+01:00'],
    [['--status', 'published', '--prerelease', 'accredited'], 'import: --prerelease goes with --status scheduled'],
    [['--status', 'scheduled', '--publish-at', '2099-12-24T10:00+01:00', '--prerelease', 'everyone'], 'import: --prerelease takes the value accredited'],
  ] as const) {
    const refused = await capture(['import', FILE, '--office', 'stadt', ...args], env);
    assert.equal(refused.code, 2, args.join(' '));
    assert.match(refused.err, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
  // A time that has passed is the service's refusal: a sentence, nothing stored.
  const past = await capture(['import', FILE, '--office', 'stadt', '--status', 'scheduled', '--publish-at', '2020-01-01T10:00+01:00'], env);
  assert.equal(past.code, 1);
  assert.match(past.err, /The publication time must lie in the future/);
  assert.equal((await db.db.selectFrom('releases').select('id').execute()).length, 0);

  const imported = await capture(['import', FILE, '--office', 'stadt', '--status', 'scheduled', '--publish-at', '2099-12-24T10:00+01:00', '--prerelease', 'accredited'], env);
  assert.equal(imported.code, 0, imported.err);
  assert.match(imported.out, /stored as release \d+ \(scheduled for 2099-12-24T09:00:00\.000Z\)/);
  assert.match(imported.out, /pre-release: queued for 1 accredited journalist \(the server's mail job sends it\)/);
  const release = (await db.db.selectFrom('releases').select(['id', 'status', 'published_at', 'slug']).executeTakeFirstOrThrow());
  assert.deepEqual([release.status, release.published_at], ['scheduled', '2099-12-24T09:00:00.000Z']);
  assert.equal((await app.inject(`/releases/${release.id}-${release.slug}`)).statusCode, 404, 'not public');

  // The server's sender sends it: to Jana only, with the embargo and her name.
  clock.set(new Date());
  await app.services.mail.sendDue();
  assert.deepEqual(mailer.sent.map((m) => m.to), ['jana@tagblatt.example']);
  const text = mailer.sent[0]!.text;
  assert.match(text, /^SPERRFRIST bis 24\.12\.2099, 10:00 Uhr Veröffentlichung nicht vor diesem Zeitpunkt\.$/m);
  assert.match(text, /^Exemplar für Jana Reporter \(Tagblatt\)$/m);
  const page = await app.inject(new URL(linkIn(text, '/embargo/')).pathname);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /SPERRFRIST bis 24\.12\.2099, 10:00 Uhr/);

  // Imported again: skipped, and nobody is sent it twice.
  const again = await capture(['import', FILE, '--office', 'stadt', '--status', 'scheduled', '--publish-at', '2099-12-24T10:00+01:00', '--prerelease', 'accredited'], env);
  assert.equal(again.code, 0);
  assert.match(again.out, /imported before, skipped/);
  clock.set(new Date());
  await app.services.mail.sendDue();
  assert.equal(mailer.sent.length, 1);
});
