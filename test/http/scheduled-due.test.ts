// A scheduled release whose time has come is public, even in the seconds before the publish job
// marks it published: from then on it is changed only by a correction (with its note in the
// revision history), and it cannot be sent back into the future or re-published with a new time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

test('a release whose scheduled time has passed is edited only by a correction, and stays public', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt' });
  const release = await createRelease(services, office.id, { title: 'Um halb elf' }, { status: 'scheduled', publishAt: '2026-03-10T10:30:00.000Z' });
  await createUser(services, { email: 'ed@amt.example', officeId: office.id, role: 'editor' });
  const ed = new Browser(app);
  await ed.login('ed@amt.example');
  const { $ } = await ed.get(`/admin/offices/amt/releases/${release.id}`);
  const csrf = $('input[name="_csrf"]').first().attr('value')!;

  // 10:30:05: public, the publish job has not run yet.
  clock.set('2026-03-10T10:30:05.000Z');
  assert.equal((await app.inject({ method: 'GET', url: `/releases/${release.id}-${release.slug}` })).statusCode, 200);

  const edit = await ed.request('POST', `/admin/offices/amt/releases/${release.id}`, { form: { _csrf: csrf, title: 'Heimlich geändert', bodyMarkdown: 'Neu.', releaseDate: '2026-03-10', language: 'de', contactChoice: 'none' } });
  assert.equal(edit.statusCode, 303);
  const reschedule = await ed.request('POST', `/admin/offices/amt/releases/${release.id}/schedule`, { form: { _csrf: csrf, publishAt: '2026-03-20T10:00' } });
  assert.equal(reschedule.statusCode, 303);
  const republish = await ed.request('POST', `/admin/offices/amt/releases/${release.id}/publish`, { form: { _csrf: csrf } });
  assert.equal(republish.statusCode, 303);

  const after = (await services.releases.findById(release.id))!;
  assert.equal(after.title, 'Um halb elf', 'not edited without a correction');
  assert.equal(after.publishedAt, '2026-03-10T10:30:00.000Z', 'publication time unchanged');
  assert.equal((await app.inject({ method: 'GET', url: `/releases/${release.id}-${release.slug}` })).statusCode, 200, 'still public');
  await assert.rejects(services.releases.update(release.id, releaseInput({ title: 'Anders' })), { code: 'CONFLICT' });

  // The correction is the way, and it works.
  await services.releases.correct(release.id, releaseInput({ title: 'Um halb elf (korrigiert)' }), 'Titel ergänzt.');
  assert.equal((await services.releases.findById(release.id))!.title, 'Um halb elf (korrigiert)');
});
