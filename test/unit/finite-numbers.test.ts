// The validators as Fastify builds them with Herold's Ajv (src/lib/finite-numbers.ts): no number that
// is not finite passes, and a route's schema is compiled at its first request or when the server,
// once listening, compiles the waiting ones; not at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { compileWaitingValidators, rejectNonFiniteNumbers } from '../../src/lib/finite-numbers.ts';

const appWith = async (limitSchema: object) => {
  const app = Fastify({ ajv: { onCreate: rejectNonFiniteNumbers } });
  app.get('/list', { schema: { querystring: { type: 'object', properties: { limit: limitSchema } } } }, async (request) => request.query);
  await app.ready();
  return app;
};

test('a number that is not finite is a validation error, a finite one passes', async (t) => {
  const app = await appWith({ type: 'integer', minimum: 1, maximum: 100 });
  t.after(() => app.close());
  assert.equal((await app.inject('/list?limit=1e309')).statusCode, 400);
  assert.equal((await app.inject('/list?limit=Infinity')).statusCode, 400);
  const ok = await app.inject('/list?limit=20');
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { limit: 20 });
  assert.equal((await app.inject('/list?limit=0')).statusCode, 400, 'the schema itself still holds');
});

test('a schema that does not compile lets the app start, fails its first request, and fails the compiling after the start', async (t) => {
  const app = await appWith({ type: 'no-such-type' });
  t.after(() => app.close());
  assert.equal((await app.inject('/list?limit=1')).statusCode, 500);
  await appWith({ type: 'still-no-such-type' }).then((other) => t.after(() => other.close()));
  await assert.rejects(compileWaitingValidators(), /no-such-type|unknown type|type must be/i);
});

test('compiling the waiting validators leaves every route working', async (t) => {
  const app = await appWith({ type: 'integer', minimum: 1 });
  t.after(() => app.close());
  await compileWaitingValidators();
  assert.equal((await app.inject('/list?limit=1e309')).statusCode, 400);
  assert.equal((await app.inject('/list?limit=3')).statusCode, 200);
});
