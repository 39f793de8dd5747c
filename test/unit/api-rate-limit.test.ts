// The API's per-address counter: fixed one-minute windows, each address its own budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCounter } from '../../src/modules/api/api.access.ts';

test('counts per address within a minute, and starts afresh with the next one', () => {
  let now = 1_000_000;
  const hit = createCounter(2, () => now);
  assert.deepEqual(hit('a'), { count: 1, remaining: 1, reset: 60 });
  now += 15_000;
  assert.deepEqual(hit('a'), { count: 2, remaining: 0, reset: 45 });
  assert.deepEqual(hit('a'), { count: 3, remaining: 0, reset: 45 });
  assert.deepEqual(hit('b'), { count: 1, remaining: 1, reset: 45 });
  now += 45_000;
  assert.deepEqual(hit('a'), { count: 1, remaining: 1, reset: 60 }, 'a new window');
  now += 150_000;
  assert.deepEqual(hit('a'), { count: 1, remaining: 1, reset: 30 }, 'windows stay on the minute they started on');
});
