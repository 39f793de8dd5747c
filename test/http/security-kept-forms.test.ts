// Finding 1 of the attack on a running instance (issue 20): with only the cookie and token of
// GET /login, anyone could post a release form to any office, have it kept for 24 h (no limit on
// size or number), and plant it: the office's owner logging in through /login?resume=T saw the
// editor pre-filled with the attacker's text, one click from publishing it. A form is now kept only
// for a session that existed and expired, bound to its user, limited in size and number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser, PASSWORD } from '../helpers/forms.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'amt', name: 'Amt' });
  await createUser(ctx.app.services, { email: 'olga@amt.example', officeId: office.id, role: 'owner' });
  const release = await createRelease(ctx.app.services, office.id, { title: 'Echte Mitteilung' });
  const stashes = async () => ctx.db.db.selectFrom('form_stashes').selectAll().execute();
  return { ...ctx, office, release, stashes };
};

const resumeOf = (location: unknown) => new URL(String(location), 'http://herold.test').searchParams.get('resume');

test('an anonymous form post is never kept, and nothing can be planted for the owner', async (t) => {
  const { app, release, stashes } = await setup(t);
  const attacker = new Browser(app);
  const csrf = csrfOf((await attacker.get('/login')).$);
  assert.ok(csrf);
  const planted = { _csrf: csrf, title: 'Gefälschte Mitteilung', bodyMarkdown: 'x'.repeat(500_000), note: 'Untergeschoben', releaseDate: '2026-03-10' };
  const res = await attacker.request('POST', `/admin/offices/amt/releases/${release.id}/correct`, { form: planted });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/login');
  assert.equal(resumeOf(res.headers.location), null);
  assert.equal((await attacker.follow(res)).$('.flash').text(), 'Bitte melden Sie sich an.');
  assert.deepEqual(await stashes(), []);

  // The owner following a planted link sees her own, untouched release.
  const owner = new Browser(app);
  const login = await owner.submitForm('/login?resume=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'form[action="/login"]', { email: 'olga@amt.example', password: PASSWORD });
  const { $ } = await owner.follow(login);
  assert.equal($('.flash').text(), 'Die gespeicherten Eingaben sind nicht mehr verfügbar.');
  assert.doesNotMatch($.html(), /Gefälschte Mitteilung|Untergeschoben/);
  assert.equal((await app.services.releases.findById(release.id))!.title, 'Echte Mitteilung');
});

test('a form from an expired session is kept for its user only, at most five per session, none too large', async (t) => {
  const { app, clock, release, stashes } = await setup(t);
  await createUser(app.services, { email: 'eve@amt.example', officeId: (await app.services.offices.findBySlug('amt'))!.id, role: 'editor' });
  const olga = new Browser(app);
  await olga.login('olga@amt.example');
  const csrf = csrfOf((await olga.get(`/admin/offices/amt/releases/${release.id}/correct`)).$);
  clock.advance(3 * 60 * 60 * 1000);

  // Too large: not kept, and said so.
  const huge = await olga.request('POST', `/admin/offices/amt/releases/${release.id}/correct`, { form: { _csrf: csrf, title: 'Groß', bodyMarkdown: 'a'.repeat(190_000), subtitle: 'b'.repeat(190_000), dateline: 'c'.repeat(190_000), note: 'n', releaseDate: '2026-03-10' } });
  assert.equal(huge.statusCode, 303);
  assert.equal(huge.headers.location, '/login');
  assert.deepEqual(await stashes(), []);

  const tokens: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const res = await olga.request('POST', `/admin/offices/amt/releases/${release.id}/correct`, { form: { _csrf: csrf, title: `Korrektur ${i}`, bodyMarkdown: 'Neuer Text.', note: 'Tippfehler', releaseDate: '2026-03-10' } });
    assert.equal(res.statusCode, 303);
    const token = resumeOf(res.headers.location);
    if (i <= 5) tokens.push(token!);
    else assert.equal(token, null, 'a sixth form of the same session is not kept');
  }
  const kept = await stashes();
  assert.equal(kept.length, 5);
  assert.ok(kept.every((s) => s.user_id !== null && s.session_hash !== null && s.client_hash !== null));

  // Another user of the office cannot take it back …
  const eve = new Browser(app);
  await eve.login('eve@amt.example');
  const taken = await eve.request('GET', `/admin/resume/${tokens[0]}`);
  assert.equal(taken.statusCode, 303);
  assert.equal((await eve.follow(taken)).$('.flash').text(), 'Die gespeicherten Eingaben sind nicht mehr verfügbar.');
  // … its user can, once.
  const back = await olga.submitForm(`/login?resume=${tokens[0]}`, 'form[action="/login"]', { email: 'olga@amt.example', password: PASSWORD });
  const { res: page, $ } = await olga.follow(back);
  assert.equal(page.statusCode, 200);
  assert.equal($('#title').attr('value'), 'Korrektur 1');
  assert.equal($('#resumed-notice').length, 1);
  const again = await olga.request('GET', `/admin/resume/${tokens[0]}`);
  assert.equal(again.statusCode, 303);
  assert.equal(cheerio.load((await olga.follow(again)).res.body)('.flash').text(), 'Die gespeicherten Eingaben sind nicht mehr verfügbar.');
});
