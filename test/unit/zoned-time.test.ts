import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utcToZonedLocal, zonedLocalToUtc } from '../../src/lib/zoned-time.ts';

const TZ = 'Europe/Berlin';

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
