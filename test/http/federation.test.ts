// The fediverse side against a second server on loopback (test/helpers/fediverse.ts, a journalist's
// account on another Fedify server): WebFinger and the actor as the specs want them, Follow →
// Accept, a publication arrives as a signed Create (a scheduled one only at its time), a correction
// as Update, a withdrawal as Delete; Undo ends the following; unsigned activities are refused;
// queued deliveries survive a restart. FEDERATION_ALLOW_PRIVATE=1 lets both sides use loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/processes.ts';
import { startFollowerServer } from '../helpers/fediverse.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';
import { createServices } from '../../src/services.ts';
import { Create, Follow, Like, Note, PUBLIC_COLLECTION } from '@fedify/fedify/vocab';

const AP = 'application/activity+json';

/** Herold on a real loopback port, with PUBLIC_URL naming it. */
const startHerold = async (t: Parameters<typeof buildTestApp>[0]) => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const ctx = await buildTestApp(t, { env: { PUBLIC_URL: base, FEDERATION_ALLOW_PRIVATE: '1' } });
  await ctx.app.listen({ port, host: '127.0.0.1' });
  return { ...ctx, base, host: `127.0.0.1:${port}` };
};

const getJson = async (app: FastifyInstance, url: string, accept = AP) => {
  const res = await app.inject({ method: 'GET', url, headers: { accept } });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), json: res.statusCode === 200 ? (JSON.parse(res.body) as Record<string, any>) : null, headers: res.headers };
};

test('WebFinger, the actor, NodeInfo, outbox and followers answer as the specs say', async (t) => {
  const { app, base, host } = await startHerold(t);
  await ensureTerms(app.services);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Kreisamt Musterland' });
  await app.services.offices.setLogo(office.id, 'offices/amt/logo.png');
  await createRelease(app.services, office.id, { title: 'Erste Mitteilung' });

  // RFC 7033: the acct: resource, JRD with the subject and a self link of the ActivityPub type.
  const finger = await getJson(app, `/.well-known/webfinger?resource=${encodeURIComponent(`acct:amt@${host}`)}`, 'application/jrd+json');
  assert.equal(finger.status, 200);
  assert.match(finger.type, /application\/jrd\+json/);
  assert.equal(finger.json!.subject, `acct:amt@${host}`);
  const self = (finger.json!.links as { rel: string; type?: string; href: string }[]).find((l) => l.rel === 'self');
  assert.deepEqual(self, { rel: 'self', type: AP, href: `${base}/ap/offices/amt` });
  assert.ok((finger.json!.links as { rel: string; href: string }[]).some((l) => l.rel === 'http://webfinger.net/rel/profile-page' && l.href === `${base}/offices/amt`));
  // The profile page's URL finds the same account; unknown accounts and other hosts do not.
  const alias = await getJson(app, `/.well-known/webfinger?resource=${encodeURIComponent(`${base}/offices/amt`)}`, 'application/jrd+json');
  assert.equal(alias.json?.subject, `${base}/offices/amt`);
  assert.equal((alias.json?.links as { rel: string; href: string }[]).find((l) => l.rel === 'self')?.href, `${base}/ap/offices/amt`);
  assert.equal((await getJson(app, `/.well-known/webfinger?resource=${encodeURIComponent(`acct:niemand@${host}`)}`)).status, 404);
  assert.equal((await getJson(app, '/.well-known/webfinger')).status, 400);

  // ActivityPub §4.1: an actor with inbox and outbox (and followers, a shared inbox, a key).
  const actor = await getJson(app, '/ap/offices/amt');
  assert.equal(actor.status, 200);
  assert.match(actor.type, /application\/activity\+json/);
  const a = actor.json!;
  assert.ok([a['@context']].flat().includes('https://www.w3.org/ns/activitystreams'));
  assert.equal(a.id, `${base}/ap/offices/amt`);
  assert.equal(a.type, 'Organization');
  assert.equal(a.preferredUsername, 'amt');
  assert.equal(a.name, 'Kreisamt Musterland');
  assert.equal(a.url, `${base}/offices/amt`);
  assert.equal(a.inbox, `${base}/ap/offices/amt/inbox`);
  assert.equal(a.outbox, `${base}/ap/offices/amt/outbox`);
  assert.equal(a.followers, `${base}/ap/offices/amt/followers`);
  assert.equal(a.endpoints.sharedInbox, `${base}/ap/inbox`);
  assert.equal(a.manuallyApprovesFollowers, false);
  assert.equal(a.publicKey.owner, a.id);
  assert.match(a.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  assert.match(a.summary, /liest keine Antworten/);
  // The icon is the office's logo.
  assert.equal(a.icon.type, 'Image');
  assert.equal(a.icon.url, `${base}/media/offices/amt/logo.png`);
  assert.equal(a.icon.mediaType, 'image/png');
  // A browser that opens the actor lands on the profile page.
  const browser = await app.inject({ method: 'GET', url: '/ap/offices/amt', headers: { accept: 'text/html' } });
  assert.equal(browser.statusCode, 302);
  assert.equal(browser.headers.location, '/offices/amt');
  assert.equal((await getJson(app, '/ap/offices/niemand')).status, 404);

  const outbox = await getJson(app, '/ap/offices/amt/outbox');
  assert.equal(outbox.json!.type, 'OrderedCollection');
  assert.equal(outbox.json!.totalItems, 1);
  const firstPage = await getJson(app, new URL(outbox.json!.first as string).pathname + new URL(outbox.json!.first as string).search);
  assert.equal(firstPage.json!.type, 'OrderedCollectionPage');
  const items = firstPage.json!.orderedItems as Record<string, any>[];
  assert.equal(items.length, 1);
  assert.equal(items[0]!.type, 'Create');
  assert.equal(items[0]!.object.type, 'Article');
  assert.equal(items[0]!.object.name, 'Erste Mitteilung');

  const followers = await getJson(app, '/ap/offices/amt/followers');
  assert.equal(followers.json!.totalItems, 0);

  const links = await getJson(app, '/.well-known/nodeinfo', 'application/json');
  assert.equal(links.status, 200);
  const href = (links.json!.links as { rel: string; href: string }[]).find((l) => l.rel === 'http://nodeinfo.diaspora.software/ns/schema/2.1')?.href;
  assert.equal(href, `${base}/nodeinfo/2.1`);
  const info = await getJson(app, '/nodeinfo/2.1', 'application/json');
  assert.equal(info.json!.software.name, 'herold');
  assert.deepEqual(info.json!.protocols, ['activitypub']);
  assert.equal(info.json!.usage.users.total, 1);
  assert.equal(info.json!.usage.localPosts, 1);
  assert.equal(info.json!.openRegistrations, false);
});

test('a second server follows an office: Accept, then a signed Create, an Update for a correction, a Delete for a withdrawal', async (t) => {
  const { app, base, clock } = await startHerold(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const remote = await startFollowerServer(t);
  const actorUrl = `${base}/ap/offices/amt`;

  // An unsigned Follow is refused and changes nothing.
  const unsigned = await app.inject({ method: 'POST', url: '/ap/offices/amt/inbox', headers: { 'content-type': AP }, payload: JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', type: 'Follow', id: `${remote.origin}/f/1`, actor: remote.actorId, object: actorUrl }) });
  assert.equal(unsigned.statusCode, 401);
  await services.federation.deliverDue();
  assert.equal((await services.federation.officeStatus(office)).followers, 0);

  const followId = await remote.follow(actorUrl);
  await services.federation.deliverDue();
  assert.equal((await services.federation.officeStatus(office)).followers, 1);
  const [accept] = remote.of('Accept');
  assert.ok(accept, 'the Follow is accepted');
  assert.equal(accept.signedBy, actorUrl, 'signed with the office key');
  assert.equal(accept.json.actor, actorUrl);
  assert.equal((accept.json.object as { id: string }).id ?? accept.json.object, followId);

  // A publication arrives as a Create of an Article.
  const release = await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis', subtitle: 'Baubeginn im April', topics: ['verkehr'], regions: ['nordkreis'] }, { status: 'draft', photos: [{ path: 'releases/x/1.jpg', alt: 'Ein Radweg am Feld', caption: 'Der neue Weg', credit: 'Kreis', width: 1200, height: 800, mime: 'image/jpeg', bytes: 1000 }] });
  await services.releases.publish(release.id);
  assert.equal(await services.federation.announce(), 1);
  await services.federation.deliverDue();
  const [create] = remote.of('Create');
  assert.ok(create, 'the Create arrived');
  assert.equal(create.signedBy, actorUrl, 'with a valid signature of the office');
  const article = create.json.object as Record<string, any>;
  assert.equal(article.type, 'Article');
  assert.equal(article.id, `${base}/ap/releases/${release.id}`);
  assert.equal(article.attributedTo, actorUrl);
  assert.equal(article.name, 'Neue Radwege im Nordkreis');
  assert.equal(article.summary, 'Baubeginn im April');
  assert.equal(article.url, `${base}/releases/${release.id}-${release.slug}`);
  assert.ok(article.contentMap?.de ?? article.content, 'content in the release language');
  assert.deepEqual([article.tag].flat().map((tag: { type: string; name: string }) => [tag.type, tag.name]).sort(), [['Hashtag', '#Nordkreis'], ['Hashtag', '#Verkehr']]);
  const image = [article.attachment].flat()[0] as { type: string; name: string; url: string };
  assert.equal(image.type, 'Image');
  assert.equal(image.name, 'Ein Radweg am Feld');
  assert.ok([create.json.to].flat().includes('as:Public') || [create.json.to].flat().includes('https://www.w3.org/ns/activitystreams#Public'));
  // The object is there to fetch, as the outbox has it.
  const fetched = await getJson(app, `/ap/releases/${release.id}`);
  assert.equal(fetched.json!.name, 'Neue Radwege im Nordkreis');

  // A scheduled release: not before its time, then once.
  const scheduled = await services.releases.create(office.id, releaseInput({ title: 'Sperrfrist bis zwölf Uhr' }), { status: 'scheduled', publishAt: '2026-03-10T12:00:00.000Z' });
  assert.equal(await services.federation.announce(), 0);
  await services.federation.deliverDue();
  assert.equal(remote.of('Create').length, 1, 'nothing before its time');
  assert.equal((await getJson(app, `/ap/releases/${scheduled.id}`)).status, 404);
  clock.set('2026-03-10T12:00:01.000Z');
  assert.equal(await services.federation.announce(), 1);
  await services.federation.deliverDue();
  assert.deepEqual(remote.of('Create').map((c) => (c.json.object as { name: string }).name), ['Neue Radwege im Nordkreis', 'Sperrfrist bis zwölf Uhr']);

  // A correction: an Update of the same object.
  clock.advance(60_000);
  const current = (await services.releases.findById(release.id))!;
  await services.releases.correct(release.id, { ...releaseInput(), title: current.title, subtitle: 'Baubeginn im Mai', bodyMarkdown: current.bodyMarkdown, topics: ['verkehr'], regions: ['nordkreis'] }, 'Der Baubeginn ist im Mai.');
  assert.equal(await services.federation.announce(), 1);
  await services.federation.deliverDue();
  const [update] = remote.of('Update');
  assert.ok(update, 'the Update arrived');
  assert.equal(update.signedBy, actorUrl);
  assert.equal((update.json.object as { id: string }).id, `${base}/ap/releases/${release.id}`);
  assert.equal((update.json.object as { summary: string }).summary, 'Baubeginn im Mai');

  // A withdrawal: a Delete of the object.
  clock.advance(60_000);
  await services.releases.withdraw(release.id, 'Die Planung ruht.');
  assert.equal(await services.federation.announce(), 1);
  await services.federation.deliverDue();
  const [deletion] = remote.of('Delete');
  assert.ok(deletion, 'the Delete arrived');
  assert.equal(deletion.signedBy, actorUrl);
  assert.equal((deletion.json.object as { id: string }).id, `${base}/ap/releases/${release.id}`);
  assert.equal((await getJson(app, `/ap/releases/${release.id}`)).status, 404);

  // Nothing is said twice.
  assert.equal(await services.federation.announce(), 0);
  await services.federation.deliverDue();
  assert.deepEqual([remote.of('Create').length, remote.of('Update').length, remote.of('Delete').length], [2, 1, 1]);

  // Undo ends the following: the next release goes nowhere.
  await remote.unfollow(actorUrl, followId);
  await services.federation.deliverDue();
  assert.equal((await services.federation.officeStatus(office)).followers, 0);
  await createRelease(services, office.id, { title: 'Niemand folgt mehr' });
  await services.federation.announce();
  await services.federation.deliverDue();
  assert.equal(remote.of('Create').length, 2);
});

test('queued deliveries survive a restart; an office with federation off is not found and sends nothing', async (t) => {
  const { app, base, db, config, clock } = await startHerold(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const remote = await startFollowerServer(t);
  await remote.follow(`${base}/ap/offices/amt`);
  await services.federation.deliverDue();
  assert.equal(remote.of('Accept').length, 1);

  await createRelease(services, office.id, { title: 'Vor dem Neustart' });
  assert.equal(await services.federation.announce(), 1);
  assert.ok((await services.federation.queueDepth()).queued > 0, 'queued, not yet sent');
  // A new process on the same database (the server restarted) delivers what was queued.
  const restarted = createServices({ db: db.db, clock, config });
  assert.ok((await restarted.federation.deliverDue()) > 0);
  assert.deepEqual(remote.of('Create').map((c) => (c.json.object as { name: string }).name), ['Vor dem Neustart']);

  await services.offices.setFederated(office.id, false);
  assert.equal((await getJson(app, `/.well-known/webfinger?resource=${encodeURIComponent(`acct:amt@${new URL(base).host}`)}`)).status, 404);
  assert.equal((await getJson(app, '/ap/offices/amt')).status, 404);
  await createRelease(services, office.id, { title: 'Während das Fediverse aus ist' });
  assert.equal(await services.federation.announce(), 0);
  await services.federation.deliverDue();
  assert.equal(remote.of('Create').length, 1);
  assert.equal((await services.federation.officeStatus(office)).followers, 1, 'followers are kept while it is off');
});

test('the inbox answers the rest politely: a reply and a like are received and ignored, a Follow of an office with federation off is rejected', async (t) => {
  const { app, base } = await startHerold(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const release = await createRelease(services, office.id, { title: 'Mitteilung mit Antworten' });
  const remote = await startFollowerServer(t);
  const actorUrl = `${base}/ap/offices/amt`;
  const articleUrl = `${base}/ap/releases/${release.id}`;
  await remote.follow(actorUrl);
  await services.federation.deliverDue();
  assert.equal(remote.of('Accept').length, 1);

  // A reply and a like, signed: accepted by the inbox (sendTo throws on an error answer), nothing follows.
  const reply = new Note({ id: new URL(`${remote.origin}/notes/1`), attribution: new URL(remote.actorId), content: '<p>Gilt das auch für den Südkreis?</p>', replyTarget: new URL(articleUrl), to: PUBLIC_COLLECTION });
  await remote.sendTo(actorUrl, `${actorUrl}/inbox`, new Create({ id: new URL(`${remote.origin}/notes/1#create`), actor: new URL(remote.actorId), object: reply, to: PUBLIC_COLLECTION }));
  await remote.sendTo(actorUrl, `${base}/ap/inbox`, new Like({ id: new URL(`${remote.origin}/likes/1`), actor: new URL(remote.actorId), object: new URL(articleUrl) }));
  await services.federation.deliverDue();
  assert.equal((await services.federation.officeStatus(office)).followers, 1, 'the follower is still there');
  assert.deepEqual(remote.received.map((r) => r.type), ['Accept'], 'nothing was sent back');
  const article = await app.inject({ method: 'GET', url: `/ap/releases/${release.id}`, headers: { accept: AP } });
  assert.equal(article.statusCode, 200);
  assert.equal(JSON.parse(article.body).name, 'Mitteilung mit Antworten', 'the release is unchanged');

  // Federation off: a server that still knows the office's inboxes is told no.
  await services.offices.setFederated(office.id, false);
  await remote.sendTo(actorUrl, `${base}/ap/inbox`, new Follow({ id: new URL(`${remote.origin}/follows/again`), actor: new URL(remote.actorId), object: new URL(actorUrl) }));
  await services.federation.deliverDue();
  const [reject] = remote.of('Reject');
  assert.ok(reject, 'the Follow is rejected');
  assert.equal(reject.signedBy, actorUrl, 'signed with the office key');
  assert.equal(reject.json.actor, actorUrl);
  assert.equal(remote.of('Accept').length, 1, 'and not accepted');
});
