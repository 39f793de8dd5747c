// Files are served only from their folders: media, static assets and the .eml viewer of the mail
// pages refuse every way of climbing out (encoded dots and slashes, backslashes, NUL, dotfiles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildTestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const CLIMBS = ['..%2f', '..%2F', '%2e%2e%2f', '%2e%2e/', '..%5c', '%2e%2e%5c', '....//', '..%252f', '%c0%ae%c0%ae/'];

test('media, static files and the .eml viewer never serve a file from outside their folder', async (t) => {
  const { app, config } = await buildTestApp(t);
  writeFileSync(path.join(config.dataDir, 'secret.eml'), 'SECRET-EML');
  writeFileSync(path.join(config.dataDir, 'secret.txt'), 'SECRET-TXT');
  mkdirSync(path.join(config.dataDir, 'media', 'releases'), { recursive: true });
  writeFileSync(path.join(config.dataDir, 'media', '.env'), 'SECRET-DOT');
  await createUser(app.services, { email: 'root@example.org', isAdmin: true });
  const admin = new Browser(app);
  await admin.login('root@example.org');

  const urls: string[] = ['/media/.env', '/media/releases/..%00/secret.txt', '/admin/mail/files/secret.eml%00', '/admin/mail/files/..', '/admin/mail/files/.eml'];
  for (const climb of CLIMBS) {
    urls.push(`/media/${climb}secret.txt`, `/media/releases/${climb}${climb}secret.txt`, `/static/abc/${climb}${climb}package.json`, `/static/abc/${climb}${climb}${climb}package.json`, `/admin/mail/files/${climb}secret.eml`, `/admin/mail/files/${climb}${climb}secret.eml`);
  }
  for (const url of urls) {
    const res = await admin.request('GET', url);
    // (A bare `..` is resolved by the URL parser to the page above, which is fine: no file.)
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    for (const secret of ['SECRET-EML', 'SECRET-TXT', 'SECRET-DOT', '"name": "herold"']) assert.ok(!res.body.includes(secret), `${url} serves ${secret}`);
  }
});
