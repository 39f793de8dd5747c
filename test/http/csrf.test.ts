// Every state-changing route refuses a request without a CSRF token, read from the router so a new
// route is covered at once. The one intended exception is RFC 8058's one-click unsubscribe
// (POST /unsubscribe/:token), which mail clients send without any page, authenticated by its token,
// and the API's CORS preflight (OPTIONS /api/v1/*), which changes nothing and reads no body.
// The ActivityPub inboxes are server-to-server and take no form: an activity counts only when its
// HTTP Signature verifies (test/http/federation.test.ts); here they must refuse the form posts too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser, csrfOf, pngImage } from '../helpers/admin.ts';
import { Browser, multipartBody } from '../helpers/forms.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const EXCEPTIONS = new Set(['POST /unsubscribe/:token', 'OPTIONS /api/v1/*']);
const SIGNED_ONLY = new Set(['POST /ap/offices/:office/inbox', 'POST /ap/inbox']);

/** An office with a draft, its photo and a contact, and a platform admin logged in. */
const newsroom = async (t: Parameters<typeof buildTestApp>[0], options: Parameters<typeof buildTestApp>[1] = {}) => {
  const ctx = await buildTestApp(t, options);
  const { services } = ctx.app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const draft = await createRelease(services, office.id, { title: 'Entwurf' }, { status: 'draft' });
  const photoId = await services.releaseFiles.addPhoto(draft.id, { path: 'releases/1/x.jpg', alt: 'Bild', caption: 'Unterschrift', credit: 'Foto', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  const contact = (await services.offices.contacts(office.id))[0]!;
  // Webhook endpoints of the office and of the platform (public addresses; nothing is sent here).
  const officeHook = (await services.webhooks.create(office.id, { url: 'https://93.184.216.34/amt', description: '', events: ['release.published'] })).endpoint;
  const platformHook = (await services.webhooks.create(null, { url: 'https://93.184.216.34/alle', description: '', events: ['release.published'] })).endpoint;
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  const admin = new Browser(ctx.app);
  await admin.login('root@example.org');
  /** A route's URL with real values for its parameters. */
  const fill = (url: string) =>
    url
      .replace(':office', 'amt')
      .replace(':id', String(draft.id))
      .replace(':photoId', String(photoId))
      .replace(':contactId', String(contact.id))
      .replace(':webhookId', String(url.startsWith('/admin/webhooks') ? platformHook.id : officeHook.id));
  return { ...ctx, services, office, draft, photoId, contact, admin, fill };
};

test('every POST without a CSRF token is refused and changes nothing (logged in as platform admin, and anonymous cross-site)', async (t) => {
  const mailer = createMemoryMailer();
  const { app, db, routes: allRoutes, services, office, draft, admin, fill } = await newsroom(t, { mailer });
  await admin.get('/admin/offices/amt'); // the CSRF cookie is set

  const routes = allRoutes.filter((r) => r.method !== 'GET');
  assert.ok(routes.length >= 30, `found ${routes.length} state-changing routes`);
  const snapshot = async () =>
    JSON.stringify([
      await services.releases.findById(draft.id),
      await services.offices.findById(office.id),
      await services.offices.contacts(office.id),
      (await db.db.selectFrom('subscriptions').selectAll().execute()).length,
      (await db.db.selectFrom('mail_outbox').selectAll().execute()).length,
      (await db.db.selectFrom('offices').selectAll().execute()).length,
      await services.auth.listOpenInvites(office.id),
      await services.taxonomies.listForAdmin('topics'),
      await services.taxonomies.listForAdmin('regions'),
      (await db.db.selectFrom('audit_events').selectAll().execute()).length,
      await db.db.selectFrom('legal_pages').selectAll().execute(),
      await db.db.selectFrom('office_applications').selectAll().execute(),
      await db.db.selectFrom('webhook_endpoints').selectAll().execute(),
      await db.db.selectFrom('webhook_deliveries').selectAll().execute(),
      await db.db.selectFrom('federation_followers').selectAll().execute(),
      await db.db.selectFrom('signing_keys').selectAll().execute(),
      (await db.db.selectFrom('federation_queue').selectAll().execute()).length,
    ]);
  const before = await snapshot();
  const png = await pngImage();
  const form = { enabled: '0', input: 'Ein Text', organisation: 'Amt', contactName: 'Eve', website: 'https://evil.example', reason: 'x', message: 'Nein', confirm: 'yes', into: 'soziales', title: 'Geändert', bodyMarkdown: 'x', releaseDate: '2026-03-10', note: 'n', publishAt: '2030-01-01T10:00', alt: 'a', name: 'Neu', slug: 'neu', email: 'x@example.org', role: 'owner', direction: 'up', password: 'richtig-langes-passwort', passwordRepeat: 'richtig-langes-passwort', office: 'amt', frequency: 'immediately' };

  const checked: string[] = [];
  for (const route of routes) {
    const key = `${route.method} ${route.url}`;
    if (EXCEPTIONS.has(key)) continue;
    const url = fill(route.url)
      .replace(':slug', 'verkehr')
      .replace(':kind', 'privacy')
      .replace(':token', 'x'.repeat(43))
      .replace(':accreditationId', '1')
      .replace(':journalistId', '1');
    for (const who of ['admin', 'anonymous'] as const) {
      const headers: Record<string, string> = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
      let res;
      if (url.endsWith('/photos') || url.endsWith('/logo')) {
        const body = multipartBody({ alt: 'x' }, { field: url.endsWith('/logo') ? 'logo' : 'photo', filename: 'a.png', contentType: 'image/png', data: png });
        const options = { payload: body.payload, headers: { ...headers, 'content-type': body.contentType } };
        res = who === 'admin' ? await admin.request(route.method, url, options) : await app.inject({ method: route.method as 'POST', url, ...options });
      } else if (who === 'admin') res = await admin.request(route.method, url, { form, headers });
      else res = await app.inject({ method: route.method as 'POST', url, payload: new URLSearchParams(form).toString(), headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
      if (SIGNED_ONLY.has(key)) {
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${who}: ${key} takes an unsigned form post: ${res.statusCode}`);
        continue;
      }
      // Refused: 403, or (anonymous in the admin area) sent to the login page, or a link that is
      // unknown anyway; never a 2xx/303 that did the work.
      if (who === 'admin' && (url.startsWith('/admin') || url === '/logout' || url === '/login')) {
        assert.equal(res.statusCode, 403, `${key} without a token, logged in: ${res.statusCode}`);
        continue;
      }
      const refused = res.statusCode === 403 || (who === 'anonymous' && res.statusCode === 303 && String(res.headers.location).startsWith('/login')) || res.statusCode === 404;
      assert.ok(refused, `${who}: ${key} without a token answers ${res.statusCode} ${res.headers.location ?? ''}`);
    }
    checked.push(key);
  }
  assert.equal(await snapshot(), before, 'nothing changed');
  assert.equal(mailer.sent.length, 0, 'no mail sent');
  for (const needed of ['POST /join', 'POST /join/confirm/:token', 'POST /admin/applications/:id/accept', 'POST /admin/legal/:kind', 'POST /admin/topics/:slug/remove', 'POST /admin/regions/:slug', 'POST /login', 'POST /logout', 'POST /subscribe', 'POST /subscribe/confirm/:token', 'POST /admin/offices/:office/releases/:id/publish', 'POST /admin/offices/:office/settings/logo', 'POST /admin/offices/:office/webhooks', 'POST /admin/offices/:office/webhooks/:webhookId/rotate', 'POST /admin/webhooks/:webhookId/delete', 'POST /admin/offices/:office/settings/federation', 'POST /admin/offices/:office/settings/signing-key', 'POST /verify', 'POST /ap/inbox', 'POST /journalists/signup', 'POST /journalists/login', 'POST /journalists/login/:token', 'POST /journalists/account', 'POST /journalists/accreditations', 'POST /admin/offices/:office/journalists/:accreditationId/accept', 'POST /admin/journalists/:journalistId/accredit']) {
    assert.ok(checked.includes(needed), needed);
  }
});

test('public forms: a token-less POST is refused with real tokens too (links that exist)', async (t) => {
  const mailer = createMemoryMailer();
  const { app, db } = await buildTestApp(t, { mailer });
  await ensureTerms(app.services);
  await createOffice(app.services, { slug: 'amt', name: 'Kreisamt' });
  const cross = { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' };
  const signUp = await app.inject({ method: 'POST', url: '/subscribe', headers: cross, payload: 'email=opfer%40example.org&office=amt&frequency=immediately' });
  assert.equal(signUp.statusCode, 403);
  assert.equal((await db.db.selectFrom('subscriptions').selectAll().execute()).length, 0);
  // No Sec-Fetch-Site and no Origin (an old browser, a script): without the signed token, refused too.
  const bare = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=opfer%40example.org&office=amt&frequency=immediately' });
  assert.equal(bare.statusCode, 403);
  // A forged token does not pass either.
  const forged = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'herold_pcsrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, payload: 'email=opfer%40example.org&office=amt&frequency=immediately&_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
  assert.equal(forged.statusCode, 403);
  assert.equal((await db.db.selectFrom('subscriptions').selectAll().execute()).length, 0);
});

// Issue 20, finding 11: the admin token was accepted in the query string (`?_csrf=` alone passed on
// every admin form post). It is taken only from the form body (for uploads: the form's first field)
// or the X-CSRF-Token header.
test('a valid CSRF token in the query string opens no admin form post; in the body it does', async (t) => {
  const { db, routes: allRoutes, services, office, draft, admin, fill } = await newsroom(t);
  const csrf = csrfOf((await admin.get(`/admin/offices/amt/releases/${draft.id}`)).$);
  assert.ok(csrf);
  const snapshot = async () =>
    JSON.stringify([
      await services.releases.findById(draft.id),
      await services.offices.findById(office.id),
      await services.offices.contacts(office.id),
      (await db.db.selectFrom('offices').selectAll().execute()).length,
      await services.auth.listOpenInvites(office.id),
      await db.db.selectFrom('webhook_endpoints').selectAll().execute(),
      (await db.db.selectFrom('webhook_deliveries').selectAll().execute()).length,
    ]);
  const before = await snapshot();
  const png = await pngImage();
  const form = { title: 'Geändert', bodyMarkdown: 'x', releaseDate: '2026-03-10', note: 'n', publishAt: '2030-01-01T10:00', alt: 'a', name: 'Neu', slug: 'neu', email: 'x@example.org', role: 'owner', direction: 'up' };
  const routes = allRoutes.filter((r) => r.method === 'POST' && r.url.startsWith('/admin'));
  assert.ok(routes.length >= 16, `found ${routes.length} admin form posts`);
  for (const route of routes) {
    const url = `${fill(route.url)}?_csrf=${encodeURIComponent(csrf)}`;
    let res;
    if (url.includes('/photos?') || url.includes('/logo?')) {
      const body = multipartBody({ alt: 'x' }, { field: url.includes('/logo') ? 'logo' : 'photo', filename: 'a.png', contentType: 'image/png', data: png });
      res = await admin.request('POST', url, { payload: body.payload, headers: { 'content-type': body.contentType } });
    } else res = await admin.request('POST', url, { form });
    assert.equal(res.statusCode, 403, `${route.url} with ?_csrf= only: ${res.statusCode}`);
  }
  assert.equal(await snapshot(), before, 'nothing changed');

  // The same token in the body passes: a form field, and the first field of an upload.
  const published = await admin.request('POST', `/admin/offices/amt/releases/${draft.id}/publish`, { form: { _csrf: csrf } });
  assert.equal(published.statusCode, 303);
  assert.equal((await services.releases.findById(draft.id))!.status, 'published');
  const upload = multipartBody({ _csrf: csrf }, { field: 'logo', filename: 'logo.png', contentType: 'image/png', data: png });
  const logo = await admin.request('POST', '/admin/offices/amt/settings/logo', { payload: upload.payload, headers: { 'content-type': upload.contentType } });
  assert.equal(logo.statusCode, 303);
  assert.ok((await services.offices.findById(office.id))!.logoPath);
});
