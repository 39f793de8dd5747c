// Session fixation and cookie flags: a session (and CSRF secret) planted in a browser before login
// is worth nothing after it; every cookie Herold sets is HttpOnly and SameSite, and Secure on https.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';

test('a session cookie planted before login is replaced and closed; the CSRF secret is renewed', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt' });
  await createUser(app.services, { email: 'mallory@amt.example', officeId: office.id, role: 'editor' });
  await createUser(app.services, { email: 'victim@amt.example', officeId: office.id, role: 'owner' });
  const mallory = new Browser(app);
  await mallory.login('mallory@amt.example');
  const planted = mallory.cookies.get('herold_session')!;
  const plantedCsrf = csrfOf((await mallory.get('/admin/offices/amt')).$);

  // The victim opens the login page; then the attacker's cookies are planted (a sibling subdomain can).
  const victim = new Browser(app);
  const { $: loginPage } = await victim.get('/login');
  victim.cookies.set('herold_session', planted);
  const res = await victim.submitLoaded(loginPage, 'form[action="/login"]', { email: 'victim@amt.example', password: 'richtig-langes-passwort' });
  assert.equal(res.statusCode, 303);
  const own = victim.cookies.get('herold_session')!;
  assert.notEqual(own, planted);
  assert.notEqual(victim.cookies.get('herold_csrf'), mallory.cookies.get('herold_csrf'));
  // Mallory's session is closed, and a form posted with her token in the victim's browser is refused.
  assert.equal((await mallory.get('/admin/offices/amt')).res.statusCode, 303);
  const forged = await victim.request('POST', '/admin/offices/amt/members/invite', { form: { _csrf: plantedCsrf, email: 'mallory2@amt.example', role: 'owner' } });
  assert.equal(forged.statusCode, 403);
  assert.equal((await app.services.auth.listOpenInvites(office.id)).length, 0);
});

test('every cookie is HttpOnly and SameSite, and Secure when PUBLIC_URL is https', async (t) => {
  for (const publicUrl of ['http://herold.test', 'https://herold.test']) {
    const { app } = await buildTestApp(t, { env: { PUBLIC_URL: publicUrl } });
    const office = await createOffice(app.services, { slug: 'amt' });
    await createUser(app.services, { email: 'ed@amt.example', officeId: office.id, role: 'editor' });
    const headers: Record<string, string> = {};
    const seen: string[] = [];
    const collect = (h: string | string[] | number | undefined) => seen.push(...([] as string[]).concat((h as string | string[] | undefined) ?? []));
    const browser = new Browser(app);
    collect((await browser.request('GET', '/login', { headers })).headers['set-cookie']);
    collect((await browser.submitForm('/login', 'form[action="/login"]', { email: 'ed@amt.example', password: 'richtig-langes-passwort' })).headers['set-cookie']);
    collect((await browser.request('GET', '/language/en', { headers })).headers['set-cookie']);
    collect((await app.inject({ method: 'GET', url: '/subscribe', headers })).headers['set-cookie']);
    const { res } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email: 'x' });
    collect(res.headers['set-cookie']);
    const names = new Set(seen.map((c) => c.split('=')[0]));
    for (const name of ['herold_session', 'herold_csrf', 'herold_flash', 'herold_lang', 'herold_pcsrf']) assert.ok(names.has(name), `${publicUrl}: ${name} was set`);
    for (const cookie of seen) {
      assert.match(cookie, /;\s*HttpOnly/i, cookie);
      assert.match(cookie, /;\s*SameSite=(Lax|Strict)/i, cookie);
      if (publicUrl.startsWith('https')) assert.match(cookie, /;\s*Secure/i, cookie);
    }
  }
});
