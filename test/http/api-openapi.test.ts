// The OpenAPI 3.1 document (/api/openapi.json) is valid (checked by an OpenAPI validator), every
// example in it matches its schema, the real answers of every route match theirs, and the
// documentation page (/api) shows every operation, works without scripts and keeps the CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildTestApp } from '../helpers/app.ts';
import { contactBlock, createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object; example?: unknown }> }> }>>;
  webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: object; example?: unknown }> } } }>;
  components: { schemas: Record<string, object> };
}

/** A validator for schemas of the document: its components resolve by `#/components/schemas/…`. */
const schemaChecker = (doc: Doc) => {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'doc', components: doc.components });
  return (schema: object, value: unknown): string[] => {
    const validate = ajv.compile({ ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
};

test('the OpenAPI document is valid, its examples match their schemas, and real answers match them too', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const release = await createRelease(services, office.id, { title: 'Mit allem', subtitle: 'Untertitel', topics: ['verkehr'], regions: ['nordkreis'], contact: contactBlock() }, { status: 'draft' });
  await services.releaseFiles.addPhoto(release.id, { path: 'releases/x/original.jpg', alt: 'Bild', caption: 'Unterschrift', credit: 'Foto', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  await services.releases.publish(release.id);
  const withdrawn = await createRelease(services, office.id, { title: 'Zurückgezogen', contact: null });
  await services.releases.withdraw(withdrawn.id, 'Fehler.');

  const res = await app.inject('/api/openapi.json');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const doc = JSON.parse(res.body) as Doc;
  assert.equal(doc.openapi, '3.1.0');

  const validator = new Validator();
  const result = await validator.validate(doc as unknown as Parameters<Validator["validate"]>[0]);
  assert.deepEqual(result.errors ?? [], [], 'valid OpenAPI 3.1');
  assert.equal(result.valid, true);

  // Only the API is in it, every route of it.
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/v1/offices', '/api/v1/offices/{office}', '/api/v1/regions', '/api/v1/releases', '/api/v1/releases/{id}', '/api/v1/topics']);
  assert.deepEqual(Object.keys(doc.webhooks).sort(), ['release.corrected', 'release.published', 'release.withdrawn', 'webhook.test']);

  const check = schemaChecker(doc);
  let examples = 0;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.example === undefined) continue;
          examples++;
          assert.deepEqual(check(media.schema, media.example), [], `example of ${method} ${path} ${status} ${type}`);
        }
      }
    }
  }
  for (const [type, hook] of Object.entries(doc.webhooks)) {
    const media = hook.post.requestBody.content['application/json']!;
    assert.notEqual(media.example, undefined);
    examples++;
    assert.deepEqual(check(media.schema, media.example), [], `example of webhook ${type}`);
  }
  assert.ok(examples >= 7, `${examples} examples`);

  // An example that breaks the schema is caught (the check is not vacuous).
  const release200 = doc.paths['/api/v1/releases/{id}']!.get!.responses['200']!.content!['application/json']!;
  assert.notDeepEqual(check(release200.schema, { ...(release200.example as object), status: 'draft' }), []);

  // Real answers, against the schemas of their routes.
  const answers: [string, string, string][] = [
    ['/api/v1/releases', '/api/v1/releases', '200'],
    [`/api/v1/releases?updated_since=2020-01-01T00:00:00Z&limit=1`, '/api/v1/releases', '200'],
    [`/api/v1/releases/${release.id}`, '/api/v1/releases/{id}', '200'],
    [`/api/v1/releases/${withdrawn.id}`, '/api/v1/releases/{id}', '200'],
    ['/api/v1/releases/999', '/api/v1/releases/{id}', '404'],
    ['/api/v1/releases?limit=1000', '/api/v1/releases', '400'],
    ['/api/v1/offices', '/api/v1/offices', '200'],
    ['/api/v1/offices/amt', '/api/v1/offices/{office}', '200'],
    ['/api/v1/topics', '/api/v1/topics', '200'],
    ['/api/v1/regions', '/api/v1/regions', '200'],
  ];
  for (const [url, path, status] of answers) {
    const answer = await app.inject(url);
    assert.equal(String(answer.statusCode), status, url);
    const content = doc.paths[path]!.get!.responses[status]!.content!;
    const type = String(answer.headers['content-type']).split(';')[0]!;
    assert.ok(content[type], `${url}: ${type} is documented`);
    assert.deepEqual(check(content[type]!.schema, JSON.parse(answer.body)), [], url);
  }
});

test('the documentation page shows every operation and problem type, without scripts, under the site’s CSP', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject('/api');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-security-policy']), /script-src 'self';.*frame-ancestors 'none'/);
  const $ = cheerio.load(res.body);
  assert.equal($('h1').text(), 'Schnittstelle (API)');
  assert.equal($('script:not([type="application/ld+json"])').length, 0, 'no script');
  assert.equal($('[style]').length, 0, 'no inline style');
  const operations = $('.api-operation h2 code').map((_, el) => $(el).text()).get();
  assert.deepEqual(operations.sort(), ['GET /api/v1/offices', 'GET /api/v1/offices/{office}', 'GET /api/v1/regions', 'GET /api/v1/releases', 'GET /api/v1/releases/{id}', 'GET /api/v1/topics']);
  for (const kind of ['invalid-parameter', 'not-found', 'rate-limited', 'bad-request', 'server-error']) assert.equal($(`#problem-${kind}`).length, 1, kind);
  assert.equal($('a[href="/api/openapi.json"]').length, 1);
  assert.ok($('#webhooks').length === 1 && $('#embeds').length === 1);
  // English descriptions from the document are marked as English on the German page.
  assert.ok($('.api-operation p[lang="en"]').length >= 4);
  // In English too.
  const en = await app.inject({ url: '/api', headers: { cookie: 'herold_lang=en' } });
  assert.equal(cheerio.load(en.body)('h1').text(), 'API');
});
