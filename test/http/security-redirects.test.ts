// Redirect targets taken from the request (the language switch's `next`, the login's `next`) stay
// on this site: browsers drop tabs and newlines from a URL, so `/<TAB>/evil.example` would become
// `//evil.example`; a newline must not reach the Location header (Node refuses it: a 500).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { createOffice } from '../helpers/factories.ts';

const HOSTILE = ['/%09/evil.example', '/%0A/evil.example', '/%0D%0ASet-Cookie:%20x=1', '/%5Cevil.example', '//evil.example', 'https://evil.example', '/%7F/evil.example', '/%00'];

/** What a browser makes of a Location value: tabs and newlines are removed before parsing. */
const browserTarget = (location: string) => new URL(location.replace(/[\t\n\r]/g, ''), 'http://herold.test/');

test('the language switch redirects only to paths of this site, and never fails on odd input', async (t) => {
  const { app } = await buildTestApp(t);
  for (const next of HOSTILE) {
    const res = await app.inject({ method: 'GET', url: `/language/en?next=${next}` });
    assert.equal(res.statusCode, 303, `${next}: ${res.statusCode}`);
    assert.equal(browserTarget(String(res.headers.location)).host, 'herold.test', `${next} leads to ${res.headers.location}`);
  }
  const ok = await app.inject({ method: 'GET', url: '/language/en?next=/offices%3Fpage%3D2' });
  assert.equal(ok.headers.location, '/offices?page=2');
  // Characters a header cannot carry (beyond Latin-1) are percent-encoded, not a 500.
  const encoded: [string, string][] = [['/search%3Fq%3D%E2%82%AC', '/search?q=%E2%82%AC'], ['/%F0%9F%98%80', '/%F0%9F%98%80'], ['/a%20b', '/a%20b'], ['/%C3%B6', '/%C3%B6']];
  for (const [next, location] of encoded) {
    const res = await app.inject({ method: 'GET', url: `/language/en?next=${next}` });
    assert.equal(res.statusCode, 303, next);
    assert.equal(res.headers.location, location, next);
  }
});

test('after login, `next` leads only into the admin area, and never fails on odd input', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt' });
  await createUser(app.services, { email: 'ed@amt.example', officeId: office.id, role: 'editor' });
  for (const next of ['/admin/%0A', '/admin/%09/', '/admin/%0D%0ASet-Cookie:%20x=1', '/admin/%E2%82%AC', '/admin/%E2%80%A8', ...HOSTILE]) {
    const browser = new Browser(app);
    const res = await browser.submitForm('/login', 'form[action="/login"]', { email: 'ed@amt.example', password: 'richtig-langes-passwort', next: decodeURIComponent(next) });
    assert.equal(res.statusCode, 303, `POST /login next=${next}: ${res.statusCode}`);
    assert.equal(browserTarget(String(res.headers.location)).host, 'herold.test');
    assert.ok(!/[\u0000-\u001f\u007f]/.test(String(res.headers.location)), `next=${next}: ${JSON.stringify(res.headers.location)}`);
    // Logged in, the login page itself redirects to `next`.
    const again = await browser.request('GET', `/login?next=${next}`);
    assert.equal(again.statusCode, 303, `GET /login next=${next}: ${again.statusCode}`);
    assert.ok(!/[\u0000-\u001f\u007f]/.test(String(again.headers.location)));
  }
});
