// Pure parts of mail and subscriptions: due digest periods across time zones and DST, tokens,
// SMTP error classification, header safety, address normalisation, DKIM configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { latestDuePeriods } from '../../src/modules/mail/digest.schedule.ts';
import { zonedTime as zoned } from '../../src/lib/zoned-time.ts';
import { createTokens } from '../../src/modules/subscriptions/subscriptions.tokens.ts';
import { assertHeaderSafe, classifySendError } from '../../src/modules/mail/mailer.ts';
import { normaliseEmail } from '../../src/modules/subscriptions/subscriptions.service.ts';
import { headerText } from '../../src/modules/mail/mail.render.ts';
import { loadConfig } from '../../src/config.ts';

const zonedTime = (year: number, month: number, day: number, hour: number, minute: number, timeZone: string) => zoned(timeZone).at(year, month, day, hour, minute);

test('digest periods: 07:00 Berlin in winter and summer, the day before when not yet due, weekly on Monday', () => {
  assert.equal(zonedTime(2026, 3, 10, 7, 0, 'Europe/Berlin').toISOString(), '2026-03-10T06:00:00.000Z');
  assert.equal(zonedTime(2026, 7, 10, 7, 0, 'Europe/Berlin').toISOString(), '2026-07-10T05:00:00.000Z');
  // The night the clocks go forward (29 March 2026) and back (25 October 2026).
  assert.equal(zonedTime(2026, 3, 29, 7, 0, 'Europe/Berlin').toISOString(), '2026-03-29T05:00:00.000Z');
  assert.equal(zonedTime(2026, 10, 25, 7, 0, 'Europe/Berlin').toISOString(), '2026-10-25T06:00:00.000Z');

  const [daily, weekly] = latestDuePeriods(new Date('2026-03-10T05:59:00Z'), 'Europe/Berlin', '07:00', 1);
  assert.deepEqual([daily!.key, daily!.dueAt.toISOString()], ['daily:2026-03-09', '2026-03-09T06:00:00.000Z']);
  assert.deepEqual([weekly!.key, weekly!.dueAt.toISOString()], ['weekly:2026-03-09', '2026-03-09T06:00:00.000Z']);
  const [d2, w2] = latestDuePeriods(new Date('2026-03-10T06:00:00Z'), 'Europe/Berlin', '07:00', 1);
  assert.equal(d2!.key, 'daily:2026-03-10');
  assert.equal(w2!.key, 'weekly:2026-03-09');
  // Monday 16 March before 07:00: still last week's.
  assert.equal(latestDuePeriods(new Date('2026-03-16T05:00:00Z'), 'Europe/Berlin', '07:00', 1)[1]!.key, 'weekly:2026-03-09');
  assert.equal(latestDuePeriods(new Date('2026-03-16T06:00:00Z'), 'Europe/Berlin', '07:00', 1)[1]!.key, 'weekly:2026-03-16');
  // Sunday digests in New York.
  assert.equal(latestDuePeriods(new Date('2026-03-16T06:00:00Z'), 'America/New_York', '18:30', 7)[1]!.key, 'weekly:2026-03-15');
});

test('tokens are single-purpose and tamper-proof', () => {
  const tokens = createTokens('a-secret-a-secret-a-secret-a-secret');
  const manage = tokens.sign({ p: 'manage', s: 7, k: 'key' });
  assert.deepEqual(tokens.verify(manage, 'manage'), { p: 'manage', s: 7, k: 'key' });
  assert.equal(tokens.verify(manage, 'unsubscribe'), undefined);
  assert.equal(tokens.verify(manage, 'confirm'), undefined);
  const [body, sig] = manage.split('.');
  const forged = Buffer.from(JSON.stringify({ p: 'manage', s: 8, k: 'key' })).toString('base64url');
  assert.equal(tokens.verify(`${forged}.${sig}`, 'manage'), undefined);
  assert.equal(tokens.verify(`${body}.${sig}x`, 'manage'), undefined);
  assert.equal(createTokens('another-secret-another-secret-xx').verify(manage, 'manage'), undefined);
  assert.equal(tokens.verify('not a token', 'manage'), undefined);
});

test('SMTP errors: 4xx and connection failures are temporary, 5xx permanent', () => {
  assert.equal(classifySendError(Object.assign(new Error('x'), { responseCode: 451 })).temporary, true);
  assert.equal(classifySendError(Object.assign(new Error('x'), { responseCode: 421 })).temporary, true);
  assert.equal(classifySendError(Object.assign(new Error('x'), { responseCode: 550 })).temporary, false);
  assert.equal(classifySendError(Object.assign(new Error('x'), { responseCode: 554 })).temporary, false);
  assert.equal(classifySendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' })).temporary, true);
  assert.equal(classifySendError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })).temporary, true);
  assert.equal(classifySendError(Object.assign(new Error('bad envelope'), { code: 'EENVELOPE' })).temporary, false);
});

test('header fields with line breaks are refused; subjects are flattened; addresses are normalised', () => {
  assert.throws(() => assertHeaderSafe({ to: 'a@example.org\r\nBcc: b@example.org', subject: 's', text: '' }), /Line break/);
  assert.throws(() => assertHeaderSafe({ to: 'a@example.org', subject: 's', text: '', headers: { 'X-A': 'a\nb' } }), /Line break/);
  assert.doesNotThrow(() => assertHeaderSafe({ to: 'a@example.org', subject: 'Grüße', text: 'line\r\nbreaks in the body are fine' }));
  assert.equal(headerText('Titel\r\nBcc: x@example.org'), 'Titel Bcc: x@example.org');
  assert.equal(normaliseEmail('  Erika.Beispiel@Example.ORG '), 'erika.beispiel@example.org');
  for (const bad of ['erika', 'erika@', '@example.org', 'a b@example.org', 'a@example', 'a@@example.org', 'a..b@example.org', 'a@example.org\nb', '<a@example.org>', 'a@example.org, b@example.org'])
    assert.equal(normaliseEmail(bad), undefined, bad);
});

test('DKIM and digest settings are validated with the other configuration', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-config-'));
  const base = { DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(32) };
  assert.throws(() => loadConfig({ ...base, DKIM_DOMAIN: 'example.org' }), /set all three or none/);
  assert.throws(() => loadConfig({ ...base, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1', DKIM_KEY_FILE: path.join(dir, 'missing.pem') }), /DKIM_KEY_FILE: cannot read/);
  const key = path.join(dir, 'dkim.pem');
  await writeFile(key, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
  const config = loadConfig({ ...base, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1', DKIM_KEY_FILE: key });
  assert.equal(config.dkim?.domainName, 'example.org');
  assert.equal(config.digestTime, '07:00');
  assert.equal(config.digestWeekday, 1);
  assert.throws(() => loadConfig({ ...base, DIGEST_TIME: '7 Uhr', DIGEST_WEEKDAY: '0' }), (e: Error) => /DIGEST_TIME/.test(e.message) && /DIGEST_WEEKDAY/.test(e.message));
});
