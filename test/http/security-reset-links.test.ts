// Finding 3 of the attack on a running instance (issue 20): of four reset links for one account the
// newest was used, and the oldest still set a new password afterwards. Issuing or using a reset or
// set-password link ends every other open one of the account; a password change ends its sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, PASSWORD } from '../helpers/forms.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt' });
  const user = await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'owner' });
  return { ...ctx, office, user };
};

const setNew = (browser: Browser, token: string, password: string) => browser.submitForm(`/set-password/${token}`, 'main form', { password, passwordRepeat: password });

test('of four reset links only the newest works, and once it is used none does', async (t) => {
  const { app, user } = await setup(t);
  const links: string[] = [];
  for (let i = 0; i < 4; i++) links.push(await app.services.auth.issueToken('reset', { email: user.email, userId: user.id }));
  const browser = new Browser(app);
  for (const old of links.slice(0, 3)) assert.equal((await browser.get(`/set-password/${old}`)).res.statusCode, 404, 'an older link is dead once a newer one is issued');
  const page = await browser.get(`/set-password/${links[3]}`);
  assert.equal(page.res.statusCode, 200);
  assert.match(page.$('main').text(), /anna@example\.org/);
  assert.equal((await setNew(browser, links[3]!, 'das-neueste-passwort')).statusCode, 303);

  // The oldest link cannot set a password afterwards (as it did before the fix).
  const attacker = new Browser(app);
  const late = await attacker.request('POST', `/set-password/${links[0]}`, { form: { password: 'angreifer-passwort', passwordRepeat: 'angreifer-passwort' } });
  assert.notEqual(late.statusCode, 303);
  await browser.login('anna@example.org', 'das-neueste-passwort');
  const refused = await new Browser(app).submitForm('/login', 'form[action="/login"]', { email: 'anna@example.org', password: 'angreifer-passwort' });
  assert.equal(refused.statusCode, 401);
});

test('using a set-password link ends the other open links too, and a new password ends every session', async (t) => {
  const { app, user } = await setup(t);
  const first = await app.services.auth.issueToken('reset', { email: user.email, userId: user.id });
  // A session opened with the old password, in another browser.
  const other = new Browser(app);
  await other.login('anna@example.org');
  assert.equal((await other.get('/admin/offices/stadt')).res.statusCode, 200);

  // The CLI's set-password link (issued after the reset link) ends it.
  const cli = await app.services.auth.issueToken('set-password', { email: user.email, userId: user.id });
  const browser = new Browser(app);
  assert.equal((await browser.get(`/set-password/${first}`)).res.statusCode, 404);
  assert.equal((await setNew(browser, cli, 'ein-ganz-neues-passwort')).statusCode, 303);
  const after = await other.get('/admin/offices/stadt');
  assert.equal(after.res.statusCode, 303);
  assert.match(String(after.res.headers.location), /^\/login/);

  // A password set directly (herold user, tests) ends the sessions and open links as well.
  await browser.login('anna@example.org', 'ein-ganz-neues-passwort');
  const pending = await app.services.auth.issueToken('reset', { email: user.email, userId: user.id });
  await app.services.auth.setPassword(user.id, PASSWORD);
  assert.equal((await browser.get('/admin/offices/stadt')).res.statusCode, 303);
  assert.equal((await browser.get(`/set-password/${pending}`)).res.statusCode, 404);
});
