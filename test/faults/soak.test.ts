// The soak (bench/soak.ts, `npm run soak`: ten minutes at 100,000 releases) for 20 s at 2,000
// releases: the real server under mixed reads and writes answers every request, publishes, takes
// sign-ups confirmed from the mail and sends the notices. The figures (memory, event loop delay,
// latencies) are printed, never asserted: timing belongs to the bench. With HEROLD_TEST_DB=postgres
// the server runs on a PostgreSQL database with the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../bench/soak.ts';
import { ON_POSTGRES, TEST_POSTGRES_URL } from '../helpers/app.ts';

test('a short soak with mixed reads and writes: no errors', { timeout: 10 * 60_000 }, async (t) => {
  const result = await runSoak({ seconds: 20, releases: 2000, offices: 8, readers: 4, distinctPages: 1000, publishEverySeconds: 4, signUpEverySeconds: 3, ...(ON_POSTGRES ? { postgresUrl: TEST_POSTGRES_URL! } : {}) });
  assert.deepEqual(result.errorSamples, []);
  assert.equal(result.errors, 0);
  assert.ok(result.publishes >= 1, 'published');
  assert.ok(result.confirmed >= 1, 'a sign-up confirmed from the mail');
  const mb = result.rss.map((s) => s.mb);
  t.diagnostic(`${result.requests} requests in ${result.seconds} s; ${result.publishes} published, ${result.confirmed} of ${result.signUps} sign-ups confirmed, ${result.mailsReceived} mails; RSS ${mb[0]}→${mb.at(-1)} MB (max ${Math.max(...mb)}); event loop p99 ${result.lagP99Ms.toFixed(1)} ms; ${result.kinds.map((k) => `${k.kind} p99 ${k.p99Ms.toFixed(0)} ms`).join(', ')}`);
});
