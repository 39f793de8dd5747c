// Webhooks end to end, with a real HTTP receiver on loopback and the Standard Webhooks reference
// implementation checking every signature: registered by an office owner in the admin area (the
// secret shown once), a publication queued in its transaction and delivered only afterwards, a
// correction and a withdrawal, a retry after a 500, the endpoint disabled after failing for a day
// (its owner told by mail through the outbox, over a real SMTP server), a scheduled release
// announced at its time, the test event, secret rotation, and the address rules (SSRF).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { startReceiver, type Receiver } from '../helpers/webhooks.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/modules/webhooks/webhooks.sender.ts';
import { isPublicAddress, resolveTarget } from '../../src/modules/webhooks/webhooks.address.ts';
import { postWebhook } from '../../src/modules/webhooks/webhooks.post.ts';

/** The app on the real clock's time (the reference implementation checks timestamps against it), webhooks to loopback allowed. */
const newsroom = async (t: Parameters<typeof buildTestApp>[0], options: Parameters<typeof buildTestApp>[1] = {}) => {
  const ctx = await buildTestApp(t, { now: new Date().toISOString(), ...options, env: { WEBHOOK_ALLOW_PRIVATE: '1', ...options.env } });
  const { services } = ctx.app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  await createUser(services, { email: 'chefin@amt.example', officeId: office.id, role: 'owner' });
  const owner = new Browser(ctx.app);
  await owner.login('chefin@amt.example');
  return { ...ctx, services, office, owner };
};

/** Registers an endpoint through the admin form; returns its page and the secret it showed once. */
const register = async (owner: Browser, url: string, events?: string[]) => {
  const res = await owner.submitForm('/admin/offices/amt/webhooks', 'form[action="/admin/offices/amt/webhooks"]', { url, description: 'Unsere Website', ...(events ? { events } : {}) });
  assert.equal(res.statusCode, 303, res.body);
  const page = String(res.headers.location);
  const { $ } = await owner.get(page);
  const secret = String($('#webhook-secret').val() ?? '');
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  return { page, secret, id: Number(page.split('/').pop()) };
};

const publishThroughAdmin = async (owner: Browser, id: number) => {
  const res = await owner.submitForm(`/admin/offices/amt/releases/${id}`, `form[action="/admin/offices/amt/releases/${id}/publish"]`, {});
  assert.equal(res.statusCode, 303);
};

const lastHook = (receiver: Receiver) => receiver.received.at(-1)!;

test('a publication is queued with it, delivered afterwards, signed the Standard Webhooks way; corrections and withdrawals follow', async (t) => {
  const receiver = await startReceiver(t);
  const { app, services, office, owner, clock } = await newsroom(t);
  const { page, secret } = await register(owner, `${receiver.url}/herold`);

  // Shown once: the next visit shows no secret.
  const again = await owner.get(page);
  assert.equal(again.$('#webhook-secret').length, 0);
  assert.ok(again.$('.webhook-facts').text().includes(`${receiver.url}/herold`));

  // Publishing returns before anything is sent: the delivery waits in the outbox.
  const draft = await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis', topics: ['verkehr'] }, { status: 'draft' });
  await publishThroughAdmin(owner, draft.id);
  assert.equal(receiver.received.length, 0, 'nothing is sent inside the publish request');
  const queued = (await owner.get(page)).$;
  assert.equal(queued('.delivery').length, 1);
  assert.equal(queued('.delivery td').eq(2).text().trim(), 'wartet');

  // The sender delivers it.
  const report = await services.webhooks.deliverDue();
  assert.equal(report.delivered, 1);
  assert.equal(receiver.received.length, 1);
  const hook = lastHook(receiver);
  assert.equal(hook.method, 'POST');
  assert.equal(hook.path, '/herold');
  assert.equal(hook.headers['content-type'], 'application/json');
  const published = receiver.verified(hook, secret);
  assert.equal(published.type, 'release.published');
  // The body is the API's JSON of the release, to the byte.
  const api = await app.inject(`/api/v1/releases/${draft.id}`);
  assert.deepEqual(published.data, JSON.parse(api.body));
  assert.throws(() => receiver.verified(hook, 'whsec_' + Buffer.alloc(32, 7).toString('base64')), 'another secret does not verify');
  const logged = (await owner.get(page)).$;
  assert.equal(logged('.delivery td').eq(2).text().trim(), 'zugestellt');
  assert.equal(logged('.delivery-http').first().text().trim(), '200');

  // A correction and a withdrawal.
  clock.advance(60_000);
  await services.releases.correct(draft.id, releaseInput({ title: 'Neue Radwege im Nordkreis', topics: ['verkehr'] }), 'Die Länge war falsch.');
  await services.webhooks.deliverDue();
  const corrected = receiver.verified(lastHook(receiver), secret);
  assert.equal(corrected.type, 'release.corrected');
  assert.deepEqual((corrected.data as { corrections: { note: string }[] }).corrections.map((c) => c.note), ['Die Länge war falsch.']);
  clock.advance(60_000);
  await services.releases.withdraw(draft.id, 'Falsche Zahlen.');
  await services.webhooks.deliverDue();
  const withdrawn = receiver.verified(lastHook(receiver), secret);
  assert.equal(withdrawn.type, 'release.withdrawn');
  assert.equal((withdrawn.data as { status: string }).status, 'withdrawn');
  assert.deepEqual((withdrawn.data as { withdrawn: { note: string } }).withdrawn.note, 'Falsche Zahlen.');
  assert.equal((withdrawn.data as { body: { text: string } }).body.text, '');
  // Every message has its own id; retries would keep it.
  assert.equal(new Set(receiver.received.map((h) => h.headers['webhook-id'])).size, 3);
});

test('a 500 is retried after a delay with the same message id; the log shows both answers', async (t) => {
  const receiver = await startReceiver(t);
  const { services, office, owner, clock } = await newsroom(t);
  const { page, secret } = await register(owner, receiver.url);
  receiver.answer((n) => (n === 0 ? 500 : 200));
  await createRelease(services, office.id, { title: 'Haushalt beschlossen' });

  assert.equal((await services.webhooks.deliverDue()).retried, 1);
  assert.equal(receiver.received.length, 1);
  const failed = (await owner.get(page)).$;
  assert.equal(failed('.delivery-http').first().text().trim(), '500');
  assert.ok(failed('.delivery td').last().text().includes('HTTP 500'));
  // Not before its time.
  assert.equal((await services.webhooks.deliverDue()).retried + (await services.webhooks.deliverDue()).delivered, 0);
  assert.equal(receiver.received.length, 1);
  clock.advance(RETRY_DELAYS_MS[0]!);
  assert.equal((await services.webhooks.deliverDue()).delivered, 1);
  assert.equal(receiver.received.length, 2);
  const [first, second] = receiver.received;
  assert.equal(second!.headers['webhook-id'], first!.headers['webhook-id']);
  assert.equal(second!.body, first!.body, 'the same bytes on every attempt');
  assert.equal(receiver.verified(second!, secret).type, 'release.published');
  const done = (await owner.get(page)).$;
  assert.equal(done('.delivery td').eq(2).text().trim(), 'zugestellt');
  assert.equal(done('.delivery td').eq(3).text().trim(), '2');
});

test('an endpoint failing for a day is disabled, what waits for it cancelled, and its owner told by mail', async (t) => {
  const sink = await startSmtpSink(t);
  const receiver = await startReceiver(t);
  const { app, services, office, owner, clock, db } = await newsroom(t, { mailer: sink.mailer });
  const { page } = await register(owner, `${receiver.url}/kaputt`);
  receiver.answer(() => 503);
  await createRelease(services, office.id, { title: 'Erste Mitteilung' });
  const started = clock.now().getTime();
  let attempts = 0;
  for (let step = 0; step < 40; step++) {
    const report = await services.webhooks.deliverDue();
    attempts += report.retried + report.failed;
    if (report.disabled) break;
    // A second release in the meantime: its deliveries fail too.
    if (step === 3) await createRelease(services, office.id, { title: 'Zweite Mitteilung' });
    const next = await services.webhooks.nextDueAt();
    assert.ok(next, 'something is due');
    clock.set(new Date(Math.max(clock.now().getTime(), new Date(next).getTime())));
  }
  const endpoint = (await services.webhooks.list(office.id))[0]!;
  assert.equal(endpoint.status, 'disabled');
  assert.equal(endpoint.disabledReason, 'failing');
  assert.ok(clock.now().getTime() - started >= DISABLE_AFTER_MS, 'not before a day of failures');
  assert.ok(attempts >= 5 && attempts <= 2 * MAX_ATTEMPTS, `${attempts} attempts`);
  assert.equal(receiver.received.length, attempts);
  // Nothing waits any more; a new release queues nothing for it.
  const waiting = await db.db.selectFrom('webhook_deliveries').select('id').where('status', 'in', ['queued', 'sending']).execute();
  assert.equal(waiting.length, 0);
  await createRelease(services, office.id, { title: 'Dritte Mitteilung' });
  assert.equal((await db.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'queued').execute()).length, 0);

  // The owner's mail, through the outbox and a real SMTP server.
  await services.mail.sendDue();
  const mails = sink.to('chefin@amt.example');
  assert.equal(mails.length, 1);
  assert.equal(mails[0]!.parsed.subject, `Webhook abgeschaltet: ${receiver.url}/kaputt`);
  assert.ok((mails[0]!.parsed.text ?? '').includes(`http://herold.test${page}`), 'links the endpoint page');
  // A day later the owner logs in again (sessions end after 12 hours).
  await owner.login('chefin@amt.example');
  const shown = (await owner.get(page)).$;
  assert.equal(shown('.status').first().text().trim(), 'wegen Fehlern abgeschaltet');

  // Switched on again, it counts afresh and gets new events.
  receiver.answer(() => 200);
  const on = await owner.submitForm(page, `form[action="${page}/enable"]`, {});
  assert.equal(on.statusCode, 303);
  assert.equal((await services.webhooks.list(office.id))[0]!.status, 'active');
  await createRelease(services, office.id, { title: 'Vierte Mitteilung' });
  assert.equal((await services.webhooks.deliverDue()).delivered, 1);
  assert.equal(JSON.parse(receiver.received.at(-1)!.body).data.title, 'Vierte Mitteilung');
  void app;
});

test('a scheduled release is announced when it goes public, never before', async (t) => {
  const receiver = await startReceiver(t);
  const { services, office, owner, clock, db } = await newsroom(t);
  const { secret } = await register(owner, receiver.url);
  // Minutes ahead: the reference implementation accepts timestamps within five minutes of the real clock.
  const at = new Date(clock.now().getTime() + 3 * 60 * 1000).toISOString();
  const scheduled = await services.releases.create(office.id, releaseInput({ title: 'Sperrfrist bis zwölf' }), { status: 'scheduled', publishAt: at });
  await services.webhooks.deliverDue();
  clock.set(new Date(new Date(at).getTime() - 1000));
  await services.releases.publishDue();
  await services.webhooks.deliverDue();
  assert.equal(receiver.received.length, 0);
  assert.equal((await db.db.selectFrom('webhook_events').select('id').execute()).length, 0, 'no event before its time');
  clock.set(at);
  assert.deepEqual(await services.releases.publishDue(), [scheduled.id]);
  await services.webhooks.deliverDue();
  assert.equal(receiver.received.length, 1);
  const body = receiver.verified(receiver.received[0]!, secret);
  assert.equal(body.type, 'release.published');
  assert.equal((body.data as { title: string }).title, 'Sperrfrist bis zwölf');
});

test('a test event from the admin page; a rotated secret signs beside the old one for a day', async (t) => {
  const receiver = await startReceiver(t);
  const { services, office, owner, clock } = await newsroom(t);
  await createRelease(services, office.id, { title: 'Die neueste Mitteilung' });
  const { page, secret } = await register(owner, receiver.url, ['release.withdrawn']);
  assert.deepEqual((await services.webhooks.list(office.id))[0]!.events, ['release.withdrawn']);

  const res = await owner.submitForm(page, `form[action="${page}/test"]`, {});
  assert.equal(res.statusCode, 303);
  await services.webhooks.deliverDue();
  const testEvent = receiver.verified(receiver.received[0]!, secret);
  assert.equal(testEvent.type, 'webhook.test');
  assert.equal((testEvent.data as { title: string }).title, 'Die neueste Mitteilung');

  const rotated = await owner.submitForm(page, `form[action="${page}/rotate"]`, {});
  assert.equal(rotated.statusCode, 303);
  const { $ } = await owner.get(page);
  const fresh = String($('#webhook-secret').val());
  assert.notEqual(fresh, secret);
  assert.ok($('.webhook-facts').text().includes('signiert noch bis'));
  await owner.submitForm(page, `form[action="${page}/test"]`, {});
  await services.webhooks.deliverDue();
  const overlap = receiver.received[1]!;
  assert.equal(overlap.headers['webhook-signature']!.split(' ').length, 2);
  assert.equal(receiver.verified(overlap, fresh).type, 'webhook.test');
  assert.equal(receiver.verified(overlap, secret).type, 'webhook.test', 'the old secret still verifies for a day');

  clock.advance(24 * 60 * 60 * 1000 + 1000);
  await services.webhooks.sendTest((await services.webhooks.list(office.id))[0]!.id, office.id);
  // The reference implementation checks the timestamp against the real clock: this one is a day ahead.
  await services.webhooks.deliverDue();
  const later = receiver.received[2]!;
  assert.equal(later.headers['webhook-signature']!.split(' ').length, 1, 'only the new secret after the day');
});

test('addresses inside the network are refused, at registration, before each attempt and on redirects (without WEBHOOK_ALLOW_PRIVATE)', async (t) => {
  const { services, office, owner, db, clock } = await newsroom(t, { env: { WEBHOOK_ALLOW_PRIVATE: '0' } });
  const cases: [string, string][] = [
    ['http://example.org/hook', 'Webhooks gehen nur an Adressen mit https://.'],
    ['https://127.0.0.1/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://localhost:8443/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://[::1]/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://169.254.169.254/latest/meta-data', 'Diese Adresse führt in ein internes Netz'],
    ['https://10.1.2.3/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://192.168.178.1/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://[::ffff:127.0.0.1]/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://[fd00:ec2::254]/hook', 'Diese Adresse führt in ein internes Netz'],
    ['https://user:pass@93.184.216.34/hook', 'Bitte keinen Benutzernamen'],
    ['kein-url', 'Bitte eine vollständige Adresse'],
  ];
  for (const [url, message] of cases) {
    const res = await owner.submitForm('/admin/offices/amt/webhooks', 'form[action="/admin/offices/amt/webhooks"]', { url });
    assert.equal(res.statusCode, 422, url);
    const $ = (await import('cheerio')).load(res.body);
    assert.ok($('#url-error').text().startsWith(message), `${url}: ${$('#url-error').text()}`);
    assert.equal($('#url').val(), url, 'what was typed is kept');
  }
  assert.equal((await services.webhooks.list(office.id)).length, 0);
  // A public address is accepted (no request is made to it here).
  const ok = await owner.submitForm('/admin/offices/amt/webhooks', 'form[action="/admin/offices/amt/webhooks"]', { url: 'https://93.184.216.34/hook' });
  assert.equal(ok.statusCode, 303);

  // An endpoint whose address turned private since (written directly, as DNS could have changed) fails before connecting.
  const now = clock.now().toISOString();
  await db.db.updateTable('webhook_endpoints').set({ url: 'https://127.0.0.1:9/hook', updated_at: now }).execute();
  await createRelease(services, office.id, { title: 'Geht nirgendwohin' });
  const report = await services.webhooks.deliverDue();
  assert.equal(report.retried, 1);
  const row = await db.db.selectFrom('webhook_deliveries').select(['last_error', 'response_status']).executeTakeFirstOrThrow();
  assert.equal(row.last_error, 'address refused: privateAddress');
  assert.equal(row.response_status, null);

  for (const [address, open] of [
    ['8.8.8.8', true],
    ['2a00:1450:4001:82a::200e', true],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:a00:1::', false],
    ['fe80::1', false],
    ['::', false],
  ] as const)
    assert.equal(isPublicAddress(address), open, address);
});

test('redirects: 307/308 are followed to checked addresses only; other redirects fail', async (t) => {
  const target = await startReceiver(t);
  const hop = await startReceiver(t);
  hop.answer((n) => (n === 0 ? { status: 308, headers: { location: `${target.url}/final` } } : n === 1 ? { status: 302, headers: { location: `${target.url}/final` } } : { status: 307, headers: { location: 'https://169.254.169.254/latest' } }));
  const options = { body: '{"type":"webhook.test"}', headers: {}, timeoutMs: 5_000, userAgent: 'test' };
  const followed = await postWebhook(hop.url, { ...options, allowPrivate: true });
  assert.deepEqual(followed, { ok: true, status: 200, error: null });
  assert.equal(target.received[0]!.path, '/final');
  assert.equal(target.received[0]!.body, '{"type":"webhook.test"}');
  const found = await postWebhook(hop.url, { ...options, allowPrivate: true });
  assert.equal(found.ok, false);
  assert.match(found.error!, /redirect \(302\) not followed/);
  // The first hop allowed (as a public one would be), the redirect into the network refused.
  const firstHopOnly: typeof resolveTarget = (url, allowPrivate) => resolveTarget(url, url === hop.url || allowPrivate);
  const refused = await postWebhook(hop.url, { ...options, allowPrivate: false, resolve: firstHopOnly });
  assert.deepEqual(refused, { ok: false, status: null, error: 'redirect refused: privateAddress' });
  assert.equal(target.received.length, 1);
});
