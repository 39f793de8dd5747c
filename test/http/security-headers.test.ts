// Security headers: helmet's policy, worked out once at start (plugins/security.ts), on every kind
// of answer: a rendered page, the same page from the page cache (written straight to the socket),
// a 404, the API, and the embeds, which alone may be framed by other sites. HSTS only over https.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';

const SITE_CSP = "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'self';object-src 'none'";

const securityOf = (headers: Record<string, unknown>) => ({
  csp: headers['content-security-policy'],
  frameOptions: headers['x-frame-options'],
  hsts: headers['strict-transport-security'],
  referrer: headers['referrer-policy'],
  nosniff: headers['x-content-type-options'],
  resourcePolicy: headers['cross-origin-resource-policy'],
});

test('every answer carries the site policy; a cached page the same as a rendered one; embeds may be framed', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt' });
  const release = await createRelease(app.services, office.id);
  const site = { csp: SITE_CSP, frameOptions: 'SAMEORIGIN', hsts: undefined, referrer: 'strict-origin-when-cross-origin', nosniff: 'nosniff', resourcePolicy: 'cross-origin' };

  const first = await app.inject({ url: '/' });
  const cached = await app.inject({ url: '/' });
  assert.equal(first.statusCode, 200);
  assert.equal(cached.statusCode, 200);
  assert.equal(cached.headers.etag, first.headers.etag, 'the second answer is the cached one');
  assert.deepEqual(securityOf(first.headers), site);
  assert.deepEqual(securityOf(cached.headers), site);

  for (const url of ['/gibt-es-nicht', `/api/v1/releases/${release.id}`, '/api/v1/releases/999999']) {
    assert.deepEqual(securityOf((await app.inject({ url })).headers), site, url);
  }

  for (const url of ['/offices/amt/embed', '/offices/amt/embed']) {
    const embed = await app.inject({ url });
    assert.equal(embed.statusCode, 200);
    assert.equal(embed.headers['x-frame-options'], undefined, 'no X-Frame-Options on an embed');
    assert.equal(embed.headers['content-security-policy'], SITE_CSP.replace("frame-ancestors 'none'", 'frame-ancestors *'));
  }
});

test('over https, answers carry Strict-Transport-Security', async (t) => {
  const { app } = await buildTestApp(t, { env: { PUBLIC_URL: 'https://presse.example.org' } });
  const response = await app.inject({ url: '/' });
  assert.equal(response.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
});
