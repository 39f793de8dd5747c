import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zonedTime } from '../../src/lib/zoned-time.ts';

const TZ = 'Europe/Berlin';
const zonedLocalToUtc = (local: string, tz: string) => zonedTime(tz).fromLocal(local);
const utcToZonedLocal = (iso: string, tz: string) => zonedTime(tz).toLocal(iso);

test('Berlin wall times convert to UTC in winter and summer', () => {
  assert.equal(zonedLocalToUtc('2026-01-15T09:30', TZ), '2026-01-15T08:30:00.000Z');
  assert.equal(zonedLocalToUtc('2026-07-01T09:30', TZ), '2026-07-01T07:30:00.000Z');
});

test('the day DST starts: times before and after the gap are right, the gap itself is refused', () => {
  assert.equal(zonedLocalToUtc('2026-03-29T01:59', TZ), '2026-03-29T00:59:00.000Z');
  assert.equal(zonedLocalToUtc('2026-03-29T02:30', TZ), undefined);
  assert.equal(zonedLocalToUtc('2026-03-29T03:00', TZ), '2026-03-29T01:00:00.000Z');
});

test('the day DST ends: the doubled hour means its first occurrence', () => {
  assert.equal(zonedLocalToUtc('2026-10-25T02:30', TZ), '2026-10-25T00:30:00.000Z');
  assert.equal(zonedLocalToUtc('2026-10-25T03:30', TZ), '2026-10-25T02:30:00.000Z');
  assert.equal(zonedLocalToUtc('2026-10-25T01:30', TZ), '2026-10-24T23:30:00.000Z');
});

test('invalid input is refused', () => {
  for (const bad of ['', 'morgen', '2026-02-30T10:00', '2026-01-01T24:00', '2026-01-01 10:00']) assert.equal(zonedLocalToUtc(bad, TZ), undefined, bad);
});

test('UTC back to Berlin wall time round-trips', () => {
  assert.equal(utcToZonedLocal('2026-03-29T01:00:00.000Z', TZ), '2026-03-29T03:00');
  assert.equal(utcToZonedLocal('2026-10-25T00:30:00.000Z', TZ), '2026-10-25T02:30');
  assert.equal(utcToZonedLocal('2026-10-25T01:30:00.000Z', TZ), '2026-10-25T02:30');
  assert.equal(utcToZonedLocal('2026-01-15T08:30:00.000Z', TZ), '2026-01-15T09:30');
});

test('digest due times: a wall time of the zone as an instant, in winter, summer and on DST days', () => {
  const berlin = zonedTime(TZ);
  assert.equal(berlin.at(2026, 3, 10, 7, 0).toISOString(), '2026-03-10T06:00:00.000Z');
  assert.equal(berlin.at(2026, 7, 10, 7, 0).toISOString(), '2026-07-10T05:00:00.000Z');
  // In the spring gap the time moves forward by the gap; in the autumn overlap it is the first.
  assert.equal(berlin.at(2026, 3, 29, 2, 30).toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(berlin.at(2026, 10, 25, 2, 30).toISOString(), '2026-10-25T00:30:00.000Z');
});

test('dates and times are written the same way in every zone, in the zone\'s wall time', () => {
  const berlin = zonedTime('Europe/Berlin');
  const newYork = zonedTime('America/New_York');
  const at = '2025-08-27T12:30:00.000Z';
  assert.equal(berlin.formatDateTime(at, 'de'), '27.08.2025, 14:30 Uhr');
  assert.equal(berlin.formatDateTime(at, 'en'), '27 Aug 2025, 14:30 CEST');
  assert.equal(newYork.formatDateTime(at, 'de'), '27.08.2025, 08:30 Uhr');
  assert.match(newYork.formatDateTime(at, 'en'), /^27 Aug 2025, 08:30 (EDT|GMT-4)$/);
  // A calendar date is a date, not an instant: the zone does not move it.
  assert.equal(newYork.formatDate('2025-08-27', 'de'), '27.08.2025');
  assert.equal(newYork.formatDate('2025-09-01', 'en'), '1 Sep 2025');
  // Shortly after midnight in Berlin it is still the day before in New York.
  assert.equal(berlin.localDate('2025-08-26T22:30:00.000Z'), '2025-08-27');
  assert.equal(newYork.localDate('2025-08-26T22:30:00.000Z'), '2025-08-26');
});
