// `herold verify FILE|URL|-` and `herold signing-key rotate`: the command line checks a release
// text, a link or a .sig file against this site's signed versions (exit 0 on a match), and replaces
// an office's key without making old signatures unverifiable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTestApp, dbEnv } from '../helpers/app.ts';
import { capture } from '../helpers/cli.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';

test('verify: the .txt and the .sig match (exit 0), a tampered text does not (exit 1); rotate keeps old signatures valid', async (t) => {
  const { app, db, config } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Kreisamt' });
  const release = await createRelease(app.services, office.id, { title: 'Wahlergebnis liegt vor', bodyMarkdown: 'Die Wahlbeteiligung lag bei 61 Prozent. Das Ergebnis ist vorläufig.' });
  const env = { ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: config.publicUrl, SESSION_SECRET: config.sessionSecret, LANG: 'de' };
  const text = (await app.inject(`/releases/${release.id}.txt`)).body;
  const files = { text: path.join(db.dataDir, 'mitteilung.txt'), tampered: path.join(db.dataDir, 'falsch.txt'), sig: path.join(db.dataDir, 'mitteilung.sig') };
  await writeFile(files.text, text);
  await writeFile(files.tampered, text.replace('61 Prozent', '16 Prozent'));
  await writeFile(files.sig, (await app.inject(`/releases/${release.id}.sig`)).body);

  const ok = await capture(['verify', files.text], env);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /stimmt Wort für Wort/);
  assert.match(ok.out, /Fassung 1 von 1/);

  const bad = await capture(['verify', files.tampered], env);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /weicht von jeder signierten Fassung ab/);
  assert.match(bad.out, /signiert „61“, im Text „16“/);

  const sig = await capture(['verify', files.sig], env);
  assert.equal(sig.code, 0, sig.out);
  assert.match(sig.out, /Alle Signaturen sind gültig/);

  const link = await capture(['verify', `${config.publicUrl}/releases/${release.id}`], env);
  assert.equal(link.code, 0, link.out);
  assert.match(link.out, /Originalseite/);

  const rotated = await capture(['signing-key', 'rotate', '--office', 'amt'], env);
  assert.equal(rotated.code, 0, rotated.err);
  assert.match(rotated.out, /New signing key of amt/);
  const again = await capture(['verify', files.sig], env);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /inzwischen erneuert/);

  const usage = await capture(['verify'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /name one FILE, URL, or -/);
  const unknownOffice = await capture(['signing-key', 'rotate', '--office', 'nirgends'], env);
  assert.notEqual(unknownOffice.code, 0);
});
