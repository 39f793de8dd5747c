// Multi-tenancy is absolute: an editor of one office goes through EVERY admin route of another
// office and gets 403 or 404, sees none of its data and changes nothing.
import { test } from 'node:test';
import * as cheerio from 'cheerio';
import assert from 'node:assert/strict';
import { buildTestApp, type RouteEntry } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser, csrfOf, pngImage } from '../helpers/admin.ts';
import { Browser, multipartBody } from '../helpers/forms.ts';

/** Every route below /admin/offices/:office, read from the router (so a new route is covered at once). */
const officeRoutes = (routes: RouteEntry[]): RouteEntry[] => routes.filter((r) => r.url.startsWith('/admin/offices/:office'));

test('an editor of another office gets 403 or 404 on every admin route of this office, and no data', async (t) => {
  const { app, routes: allRoutes } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const victim = await createOffice(services, { slug: 'geheimamt', name: 'Geheimamt Nord' });
  const other = await createOffice(services, { slug: 'nachbaramt', name: 'Nachbaramt' });
  const draft = await createRelease(services, victim.id, { title: 'Streng geheimer Entwurf', bodyMarkdown: 'Vertraulicher Inhalt XYZZY.' }, { status: 'draft' });
  const published = await createRelease(services, victim.id, { title: 'Öffentliche Mitteilung' });
  const photoId = await services.releaseFiles.addPhoto(draft.id, { path: 'releases/1/x.jpg', alt: 'Geheimes Bild', caption: 'Geheime Bildunterschrift', credit: 'Geheim', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  const contact = (await services.offices.contacts(victim.id))[0]!;
  const victimHook = (await services.webhooks.create(victim.id, { url: 'https://93.184.216.34/geheimer-empfaenger', description: 'Geheime Beschreibung', events: ['release.published'] })).endpoint;
  await createUser(services, { email: 'owner@geheimamt.example', officeId: victim.id, role: 'owner' });
  // A journalist asked the victim for accreditation; the request's words and the journalist are the victim's business.
  const journalist = await services.journalists.addByOperator({ email: 'geheime-reporterin@example.org', name: 'Geheime Reporterin', medium: 'Geheimblatt', pressCard: '' }, null);
  await services.journalists.requestAccreditation(journalist.journalist, victim.id, 'Geheimer Antrag');
  const accreditation = (await services.journalists.officeOverview(victim.id)).open[0]!;
  await createUser(services, { email: 'eve@nachbaramt.example', officeId: other.id, role: 'owner' });

  const routes = officeRoutes(allRoutes);
  // The inventory itself: every kind of admin route is in it.
  assert.ok(routes.length >= 25, `found ${routes.length} office routes`);
  for (const needed of ['/releases/:id/publish', '/releases/:id/correct', '/settings/logo', '/contacts/:contactId/delete', '/members/invite', '/audit', '/webhooks', '/webhooks/:webhookId', '/webhooks/:webhookId/rotate', '/journalists', '/journalists/:accreditationId/accept', '/journalists/:accreditationId/refuse', '/journalists/:accreditationId/revoke']) {
    assert.ok(routes.some((r) => r.url.endsWith(needed)), needed);
  }

  const eve = new Browser(app);
  await eve.login('eve@nachbaramt.example');
  const { $ } = await eve.get('/admin/offices/nachbaramt');
  const csrf = csrfOf($);
  const png = await pngImage();
  const state = async () =>
    JSON.stringify([
      await services.releases.findById(draft.id),
      await services.releases.findById(published.id),
      await services.offices.findById(victim.id),
      await services.offices.contacts(victim.id),
      await services.webhooks.list(victim.id),
      (await services.webhooks.log(victimHook.id, victim.id)).length,
      await services.journalists.officeOverview(victim.id),
    ]);
  const before = await state();

  for (const route of routes) {
    for (const releaseId of route.url.includes(':id') ? [draft.id, published.id] : [0]) {
      const url = route.url
        .replace(':office', victim.slug)
        .replace(':id', String(releaseId))
        .replace(':photoId', String(photoId))
        .replace(':contactId', String(contact.id))
        .replace(':webhookId', String(victimHook.id))
        .replace(':accreditationId', String(accreditation.id));
      let res;
      if (route.method === 'GET') res = await eve.request('GET', url);
      else if (url.endsWith('/logo') || /\/releases(\/\d+(\/correct)?)?$/.test(url)) {
        // The editor and the logo take files: a multipart form with a photo, and words for the victim's photo.
        const body = multipartBody({ _csrf: csrf, title: 'Übernommen', bodyMarkdown: 'Gehackt', releaseDate: '2026-03-10', note: 'Gehackt', 'new-alt': 'Eingeschmuggelt', [`alt-${photoId}`]: 'Gehackt', [`remove-${photoId}`]: '1' }, { field: 'photo', filename: 'a.png', contentType: 'image/png', data: png });
        res = await eve.request('POST', url, { payload: body.payload, headers: { 'content-type': body.contentType } });
      } else {
        res = await eve.request('POST', url, {
          form: { _csrf: csrf, title: 'Übernommen', bodyMarkdown: 'Gehackt', releaseDate: '2026-03-10', note: 'Gehackt', publishAt: '2030-01-01T10:00', alt: 'x', name: 'Eve', email: 'eve2@example.org', role: 'owner', direction: 'up' },
        });
      }
      assert.ok(res.statusCode === 404 || res.statusCode === 403, `${route.method} ${url}: ${res.statusCode}`);
      for (const secret of ['Streng geheimer Entwurf', 'XYZZY', 'Geheime Bildunterschrift', 'Geheimamt Nord', contact.name, 'owner@geheimamt.example', 'geheimer-empfaenger', 'Geheime Beschreibung', 'Geheime Reporterin', 'geheime-reporterin@example.org', 'Geheimer Antrag']) {
        assert.ok(!res.body.includes(secret), `${route.method} ${url} leaks "${secret}"`);
      }
    }
  }
  // Nothing changed, nothing was recorded, nobody was invited.
  assert.equal(await state(), before);
  // (The journalist's request is the only entry.)
  assert.deepEqual((await services.audit.list(victim.id, 1)).items.map((e) => e.action), ['accreditation.requested']);
  assert.equal((await services.auth.listOpenInvites(victim.id)).length, 0);
  // Nor do the platform's webhook pages take an office's endpoint, or let an owner in.
  for (const route of allRoutes.filter((r) => r.url.startsWith('/admin/webhooks'))) {
    const res = await eve.request(route.method, route.url.replace(':webhookId', String(victimHook.id)), route.method === 'GET' ? {} : { form: { _csrf: csrf, url: 'https://93.184.216.34/x', events: 'release.published' } });
    assert.equal(res.statusCode, 403, `${route.method} ${route.url}`);
  }
  // The public API shows none of it either: no draft, no endpoint, on any of its routes.
  const apiRoutes = allRoutes.filter((r) => r.method === 'GET' && r.url.startsWith('/api'));
  assert.ok(apiRoutes.length >= 8, `${apiRoutes.length} API routes`);
  for (const route of apiRoutes) {
    for (const releaseId of route.url.includes(':id') ? [draft.id, published.id] : [0]) {
      const url = route.url.replace(':id', String(releaseId)).replace(':office', victim.slug).replace('/*', '/x');
      const res = await eve.request('GET', url);
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
      for (const secret of ['Streng geheimer Entwurf', 'XYZZY', 'Geheime Bildunterschrift', 'geheimer-empfaenger']) assert.ok(!res.body.includes(secret), `${url} leaks "${secret}"`);
    }
  }
  assert.ok((await eve.request('GET', `/api/v1/releases/${published.id}`)).body.includes('Öffentliche Mitteilung'), 'the public release is there');
  // The office switcher does not take them there either, and the preview link of the victim is the only way in.
  assert.equal((await eve.get('/admin/switch?office=geheimamt')).res.statusCode, 404);
});

test('an editor may write but not change the office: settings, contacts and members are for owners', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Amt' });
  await createUser(services, { email: 'ed@amt.example', officeId: office.id, role: 'editor' });
  const contact = (await services.offices.contacts(office.id))[0]!;
  const ed = new Browser(app);
  await ed.login('ed@amt.example');
  const { $ } = await ed.get('/admin/offices/amt');
  assert.equal($('.admin-nav a[href="/admin/offices/amt/settings"]').length, 0);
  const csrf = csrfOf($);
  for (const url of ['/admin/offices/amt/settings', '/admin/offices/amt/members']) assert.equal((await ed.get(url)).res.statusCode, 403, url);
  for (const url of ['/admin/offices/amt/settings', '/admin/offices/amt/contacts', `/admin/offices/amt/contacts/${contact.id}`, `/admin/offices/amt/contacts/${contact.id}/delete`, `/admin/offices/amt/contacts/${contact.id}/default`, '/admin/offices/amt/members/invite']) {
    const res = await ed.request('POST', url, { form: { _csrf: csrf, name: 'Neu', email: 'x@example.org' } });
    assert.equal(res.statusCode, 403, url);
  }
  assert.equal((await services.offices.findById(office.id))!.name, 'Amt');
  assert.equal((await services.offices.contacts(office.id)).length, 1);
  // Writing is theirs.
  assert.equal((await ed.get('/admin/offices/amt/releases/new')).res.statusCode, 200);
  assert.equal((await ed.get('/admin/offices/amt/audit')).res.statusCode, 200);
});

test('a platform admin may act for every office', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await createOffice(services, { slug: 'eins', name: 'Amt Eins' });
  await createOffice(services, { slug: 'zwei', name: 'Amt Zwei' });
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  const admin = new Browser(app);
  await admin.login('root@example.org');
  const { res, $ } = await admin.get('/admin');
  assert.equal(res.statusCode, 200);
  assert.deepEqual($('.office-list a').map((_, a) => $(a).attr('href')).get(), ['/admin/offices/eins', '/admin/offices/zwei']);
  assert.equal((await admin.get('/admin/offices/zwei/settings')).res.statusCode, 200);
});

test('platform admins create offices; nobody else may', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'eins', name: 'Amt Eins' });
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  await createUser(services, { email: 'owner@example.org', officeId: office.id, role: 'owner' });
  const owner = new Browser(app);
  await owner.login('owner@example.org');
  const { $ } = await owner.get('/admin/offices/eins');
  const refused = await owner.request('POST', '/admin/offices', { form: { _csrf: csrfOf($), slug: 'neu', name: 'Neu' } });
  assert.equal(refused.statusCode, 403);
  assert.equal(await services.offices.findBySlug('neu'), undefined);

  const admin = new Browser(app);
  await admin.login('root@example.org');
  const bad = await admin.submitForm('/admin', 'form[action="/admin/offices"]', { name: 'Doppelt', slug: 'eins' });
  assert.equal(bad.statusCode, 422);
  assert.equal(cheerio.load(bad.body)('#slug-error').text(), 'Dieser Kurzname ist schon vergeben.');
  const res = await admin.submitForm('/admin', 'form[action="/admin/offices"]', { name: 'Landkreis Neu', slug: 'landkreis-neu' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/offices/landkreis-neu/settings');
  assert.equal((await services.offices.findBySlug('landkreis-neu'))!.name, 'Landkreis Neu');
});

test("ids of another office's releases, photos and contacts under one's own office URL get 404 and change nothing", async (t) => {
  const { app, routes: allRoutes } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const victim = await createOffice(services, { slug: 'geheimamt', name: 'Geheimamt Nord' });
  const own = await createOffice(services, { slug: 'nachbaramt', name: 'Nachbaramt' });
  const draft = await createRelease(services, victim.id, { title: 'Streng geheimer Entwurf', bodyMarkdown: 'Vertraulicher Inhalt XYZZY.' }, { status: 'draft' });
  const scheduled = await createRelease(services, victim.id, { title: 'Geheime Sperrfrist' }, { status: 'scheduled', publishAt: '2026-03-12T08:00:00Z' });
  const published = await createRelease(services, victim.id, { title: 'Öffentliche Mitteilung' });
  const victimPhoto = await services.releaseFiles.addPhoto(draft.id, { path: 'releases/1/x.jpg', alt: 'Geheimes Bild', caption: 'Geheime Bildunterschrift', credit: 'Geheim', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  const victimContact = (await services.offices.contacts(victim.id))[0]!;
  const victimHook = (await services.webhooks.create(victim.id, { url: 'https://93.184.216.34/geheimer-empfaenger', description: '', events: ['release.published'] })).endpoint;
  const platformHook = (await services.webhooks.create(null, { url: 'https://93.184.216.34/plattform-empfaenger', description: '', events: ['release.published'] })).endpoint;
  // Eve's own draft with her own photo: the photo routes of her release with the victim's photo id.
  const ownDraft = await createRelease(services, own.id, { title: 'Eigener Entwurf' }, { status: 'draft' });
  await services.releaseFiles.addPhoto(ownDraft.id, { path: 'releases/2/y.jpg', alt: 'Eigenes Bild', caption: '', credit: '', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  await createUser(services, { email: 'eve@nachbaramt.example', officeId: own.id, role: 'owner' });

  const eve = new Browser(app);
  await eve.login('eve@nachbaramt.example');
  const { $ } = await eve.get('/admin/offices/nachbaramt');
  const csrf = csrfOf($);
  const png = await pngImage();
  const state = async () =>
    JSON.stringify([
      await Promise.all([draft, scheduled, published, ownDraft].map((r) => services.releases.findById(r.id))),
      await services.offices.contacts(victim.id),
      await services.offices.findById(victim.id),
      await services.webhooks.list(victim.id),
      await services.webhooks.list(null),
    ]);
  const before = await state();

  const routes = officeRoutes(allRoutes).filter((r) => /:(id|photoId|contactId|webhookId)/.test(r.url));
  assert.ok(routes.length >= 15, `found ${routes.length} routes with ids`);
  let tried = 0;
  for (const route of routes) {
    const cases: { id: number; photoId: number; webhookId: number }[] = route.url.includes(':photoId')
      ? [{ id: ownDraft.id, photoId: victimPhoto, webhookId: 0 }, { id: draft.id, photoId: victimPhoto, webhookId: 0 }]
      : route.url.includes(':webhookId')
        ? [victimHook, platformHook].map((h) => ({ id: 0, photoId: 0, webhookId: h.id }))
        : [draft, scheduled, published].map((r) => ({ id: r.id, photoId: victimPhoto, webhookId: 0 }));
    for (const c of cases) {
      const url = route.url.replace(':office', own.slug).replace(':id', String(c.id)).replace(':photoId', String(c.photoId)).replace(':contactId', String(victimContact.id)).replace(':webhookId', String(c.webhookId));
      let res;
      if (route.method === 'GET') res = await eve.request('GET', url);
      else if (/\/releases\/\d+(\/correct)?$/.test(url)) {
        const body = multipartBody({ _csrf: csrf, title: 'Übernommen', bodyMarkdown: 'Gehackt', releaseDate: '2026-03-10', note: 'Gehackt', 'new-alt': 'Eingeschmuggelt' }, { field: 'photo', filename: 'a.png', contentType: 'image/png', data: png });
        res = await eve.request('POST', url, { payload: body.payload, headers: { 'content-type': body.contentType } });
      } else {
        res = await eve.request('POST', url, { form: { _csrf: csrf, title: 'Übernommen', bodyMarkdown: 'Gehackt', releaseDate: '2026-03-10', note: 'Gehackt', publishAt: '2030-01-01T10:00', alt: 'x', caption: 'Gehackt', name: 'Eve', direction: 'up' } });
      }
      tried++;
      assert.equal(res.statusCode, 404, `${route.method} ${url}: ${res.statusCode}`);
      for (const secret of ['Streng geheimer Entwurf', 'XYZZY', 'Geheime Sperrfrist', 'Geheime Bildunterschrift', 'Geheimamt Nord', victimContact.name, 'geheimer-empfaenger', 'plattform-empfaenger']) {
        assert.ok(!res.body.includes(secret), `${route.method} ${url} leaks "${secret}"`);
      }
    }
  }
  assert.ok(tried >= 50);
  assert.equal(await state(), before, 'nothing changed');
  // Eve's own draft, saved with the victim's photo named in its fields: the victim's photo stays as it is.
  const ownEdit = `/admin/offices/nachbaramt/releases/${ownDraft.id}`;
  const mine = await eve.request('POST', ownEdit, { form: { _csrf: csrf, title: 'Eigener Entwurf', bodyMarkdown: 'Text.', releaseDate: '2026-03-10', language: 'de', contactChoice: 'none', [`alt-${victimPhoto}`]: 'Gehackt', [`caption-${victimPhoto}`]: 'Gehackt', [`remove-${victimPhoto}`]: '1' } });
  assert.equal(mine.statusCode, 303);
  const [victimDraft, eveDraft] = await Promise.all([services.releases.findById(draft.id), services.releases.findById(ownDraft.id)]);
  assert.equal(victimDraft!.photos[0]!.caption, 'Geheime Bildunterschrift');
  assert.equal(eveDraft!.photos[0]!.alt, 'Eigenes Bild');

  assert.equal((await services.audit.list(victim.id, 1)).total, 0);
  // Another office's contact cannot be picked for one's own release.
  const created = await eve.request('POST', '/admin/offices/nachbaramt/releases', { form: { _csrf: csrf, title: 'Mit fremdem Kontakt', bodyMarkdown: 'Text.', releaseDate: '2026-03-10', language: 'de', contactChoice: String(victimContact.id) } });
  assert.equal(created.statusCode, 303);
  const newId = Number(/releases\/(\d+)$/.exec(String(created.headers.location))![1]);
  assert.equal((await services.releases.findById(newId))!.contact, null);
  // The preview of another office's draft is reachable only through its token, never by its id.
  for (const url of [`/preview/${draft.id}`, `/admin/offices/nachbaramt/releases/${draft.id}/correct`]) assert.equal((await eve.get(url)).res.statusCode, 404, url);
});

test("a form kept from an expired session cannot open another office's release, nor someone else's kept form", async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const victim = await createOffice(services, { slug: 'geheimamt', name: 'Geheimamt Nord' });
  const own = await createOffice(services, { slug: 'nachbaramt', name: 'Nachbaramt' });
  const draft = await createRelease(services, victim.id, { title: 'Streng geheimer Entwurf', bodyMarkdown: 'Vertraulicher Inhalt XYZZY.' }, { status: 'draft' });
  await createUser(services, { email: 'eve@nachbaramt.example', officeId: own.id, role: 'owner' });
  await createUser(services, { email: 'owner@geheimamt.example', officeId: victim.id, role: 'owner' });

  // Eve's session expires; she posts to her own office's URL with the victim's release id, and to the victim's office.
  const eve = new Browser(app);
  await eve.login('eve@nachbaramt.example');
  const csrf = csrfOf((await eve.get('/admin/offices/nachbaramt')).$);
  clock.advance(3 * 60 * 60 * 1000);
  const kept: string[] = [];
  for (const url of [`/admin/offices/nachbaramt/releases/${draft.id}`, `/admin/offices/geheimamt/releases/${draft.id}`, `/admin/offices/nachbaramt/releases/${draft.id}/correct`]) {
    const res = await eve.request('POST', url, { form: { _csrf: csrf, title: 'Übernommen', bodyMarkdown: 'x', releaseDate: '2026-03-10' } });
    assert.equal(res.statusCode, 303);
    kept.push(new URL(String(res.headers.location), 'http://herold.test').searchParams.get('resume')!);
  }
  await eve.login('eve@nachbaramt.example');
  for (const token of kept) {
    const res = await eve.request('GET', `/admin/resume/${token}`);
    assert.equal(res.statusCode, 404, `resume ${token}`);
    for (const secret of ['Streng geheimer Entwurf', 'XYZZY', 'Geheimamt Nord']) assert.ok(!res.body.includes(secret));
  }
  assert.equal((await services.releases.findById(draft.id))!.title, 'Streng geheimer Entwurf');

  // The victim's owner cannot take Eve's kept form either (it is bound to the account that wrote it).
  const owner = new Browser(app);
  const csrf2 = csrfOf((await eve.get('/admin/offices/nachbaramt')).$);
  clock.advance(3 * 60 * 60 * 1000);
  const res = await eve.request('POST', '/admin/offices/nachbaramt/releases', { form: { _csrf: csrf2, title: 'Eves Entwurf', bodyMarkdown: 'x', releaseDate: '2026-03-10' } });
  const token = new URL(String(res.headers.location), 'http://herold.test').searchParams.get('resume')!;
  await owner.login('owner@geheimamt.example');
  const taken = await owner.request('GET', `/admin/resume/${token}`);
  assert.equal(taken.statusCode, 303);
  assert.ok(!taken.body.includes('Eves Entwurf'));
  const { $ } = await owner.follow(taken);
  assert.ok(!$.html().includes('Eves Entwurf'));
});

test('webhooks: an office’s are for its owners (editors get 403); the platform’s for platform admins, who cannot reach an office’s through them', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Amt' });
  const officeHook = (await services.webhooks.create(office.id, { url: 'https://93.184.216.34/amt', description: '', events: ['release.published'] })).endpoint;
  await createUser(services, { email: 'ed@amt.example', officeId: office.id, role: 'editor' });
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  const ed = new Browser(app);
  await ed.login('ed@amt.example');
  const { $ } = await ed.get('/admin/offices/amt');
  assert.equal($('.admin-nav a[href="/admin/offices/amt/webhooks"]').length, 0);
  for (const url of ['/admin/offices/amt/webhooks', `/admin/offices/amt/webhooks/${officeHook.id}`]) assert.equal((await ed.get(url)).res.statusCode, 403, url);
  const refused = await ed.request('POST', `/admin/offices/amt/webhooks/${officeHook.id}/delete`, { form: { _csrf: csrfOf($) } });
  assert.equal(refused.statusCode, 403);
  assert.equal((await services.webhooks.list(office.id)).length, 1);

  const admin = new Browser(app);
  await admin.login('root@example.org');
  assert.equal((await admin.get(`/admin/webhooks/${officeHook.id}`)).res.statusCode, 404, 'an office’s endpoint is not the platform’s');
  const list = await admin.get('/admin/webhooks');
  assert.equal(list.res.statusCode, 200);
  assert.equal(list.$('h1').text(), 'Webhooks für alle Pressestellen');
  assert.ok(!list.res.body.includes('93.184.216.34/amt'));
  // Through the office's own pages, platform admins act for it.
  assert.equal((await admin.get(`/admin/offices/amt/webhooks/${officeHook.id}`)).res.statusCode, 200);
});
