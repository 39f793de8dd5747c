// Finding 11 of the attack on a running instance (issue 20): the admin CSRF token was accepted in
// the query string (`?_csrf=` alone passed on every admin form post). It is taken only from the
// form body (for uploads: the form's first field) or the X-CSRF-Token header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { Browser, createUser, csrfOf, multipartBody, pngImage } from '../helpers/admin.ts';
import { listRoutes } from '../helpers/routes.ts';

test('a valid CSRF token in the query string opens no admin form post; in the body it does', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const draft = await createRelease(services, office.id, { title: 'Entwurf' }, { status: 'draft' });
  const photoId = await services.releases.addPhoto(draft.id, { path: 'releases/1/x.jpg', alt: 'Bild', caption: '', credit: '', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  const contact = (await services.offices.contacts(office.id))[0]!;
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  const admin = new Browser(app);
  await admin.login('root@example.org');
  const { $ } = await admin.get(`/admin/offices/amt/releases/${draft.id}`);
  const csrf = csrfOf($);
  assert.ok(csrf);

  const snapshot = async () =>
    JSON.stringify([
      await services.releases.findById(draft.id),
      await services.offices.findById(office.id),
      await services.offices.contacts(office.id),
      (await db.db.selectFrom('offices').selectAll().execute()).length,
      await services.auth.listOpenInvites(office.id),
    ]);
  const before = await snapshot();
  const png = await pngImage();
  const form = { title: 'Geändert', bodyMarkdown: 'x', releaseDate: '2026-03-10', note: 'n', publishAt: '2030-01-01T10:00', alt: 'a', name: 'Neu', slug: 'neu', email: 'x@example.org', role: 'owner', direction: 'up' };
  const routes = listRoutes(app).filter((r) => r.method === 'POST' && r.url.startsWith('/admin'));
  assert.ok(routes.length >= 16, `found ${routes.length} admin form posts`);
  for (const route of routes) {
    const url = `${route.url.replace(':office', 'amt').replace(':id', String(draft.id)).replace(':photoId', String(photoId)).replace(':contactId', String(contact.id))}?_csrf=${encodeURIComponent(csrf)}`;
    const res =
      url.includes('/photos?') || url.includes('/logo?')
        ? await (async () => {
            const body = multipartBody({ alt: 'x' }, { field: url.includes('/logo') ? 'logo' : 'photo', filename: 'a.png', contentType: 'image/png', data: png });
            return admin.request('POST', url, { payload: body.payload, headers: { 'content-type': body.contentType } });
          })()
        : await admin.request('POST', url, { form });
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
