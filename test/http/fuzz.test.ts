// Bad input never causes a 500: every route of the router, public and admin, gets hostile path
// parameters, query strings and form bodies (very long values, arrays where one value is expected,
// broken percent-encodings, invalid UTF-8, huge and negative numbers, control characters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser, multipartBody } from '../helpers/forms.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const LONG = 'a'.repeat(20_000);

/** Raw (already encoded) values for a path parameter. */
const PARAMS = ['%ff', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%00', '-1', '99999999999999999999999', '1e400', 'NaN', '%20', encodeURIComponent('<script>'), '0x10', 'a'.repeat(250)];

/** Raw query strings. */
const QUERIES = [
  'page=99999999999999999999',
  'page=-1',
  'page=0',
  'page=1e308',
  'page[]=1',
  'page=1&page=2',
  'q=%ff%fe',
  'q=%E0%A4%A',
  'q=%',
  `q=${LONG}`,
  'q[]=a&q[]=b',
  'q=a&q=b',
  'q=%22',
  'q=NEAR(a%20b',
  'q=*',
  'q=a%20OR%20',
  'q=-',
  'q=%00',
  'q=%2A%2A%2A%5E',
  'q=a&office=%ff&topic[]=x&region=%00&from=2026-99-99&to=0000-00-00',
  'q=a&from=9999-12-31&to=0001-01-01',
  'limit=99999999999',
  'limit=-1',
  'limit[]=1',
  'next=%0d%0aX:1',
  'next=/%0A',
  'next=/admin/%E2%82%AC',
  'next=/%F0%9F%98%80%E2%80%A8',
  `next=${LONG}`,
  'resume=%ff',
  'office=%ff',
  'office[]=a&office[]=b',
  `office=${'a&office='.repeat(30)}a`,
  'cursor=%ff',
  'cursor=WyJwIiwiMjAyNi0wMy0xMFQxMDowMDowMC4wMDBaIiwtMV0',
  'cursor=WyJzIiwxZTMwOF0',
  `cursor=${'A'.repeat(300)}`,
  'updated_since=2026-02-30T00:00:00Z',
  'updated_since=%2B275760-09-13T00:00:00Z',
  'updated_since=0000-01-01T00:00:00Z',
  'language=%ff&topic=%00&region[]=x',
  'count=1e3&theme[]=dark&compact=2&lang=%ff',
  'm=%ff',
  'status=%ff',
  'status[]=x',
  'email=%ff&frequency[]=x',
  '%ff=%ff',
  '__proto__=x&constructor[prototype]=y',
];

/** Form bodies (urlencoded, already encoded), sent with a valid CSRF token where one exists. */
const BODIES = [
  '',
  `title=${LONG}&bodyMarkdown=${LONG}`,
  'title[]=a&title[]=b&bodyMarkdown[]=x&topics=%ff&regions[]=x&contactId=abc',
  'title=%ff&releaseDate=2026-02-30&publishAt=9999-99-99T99:99',
  'releaseDate=0000-00-00&publishAt=%00',
  'email=%ff&frequency=%00&office[]=%ff&topic=x&region=y',
  `email=${'a'.repeat(5000)}%40example.org`,
  'email[]=a%40b.c&password[]=x&next[]=y',
  'name=%0d%0aBcc:%20x%40evil.example&email=a%40b.c%0d%0aBcc:%20y%40evil.example&role=king',
  'direction=sideways&alt[]=x&caption=%ff',
  'note=%00&action=preview',
  'action[]=preview',
  'keep=%ff&keep[]=x&frequency=hourly',
  '__proto__[x]=1&constructor[prototype][y]=2',
  '%',
];

test('no route answers 5xx to hostile parameters, query strings or bodies', async (t) => {
  const { app, routes: allRoutes } = await buildTestApp(t, { mailer: createMemoryMailer() });
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const draft = await createRelease(services, office.id, { title: 'Entwurf' }, { status: 'draft' });
  const published = await createRelease(services, office.id, { title: 'Öffentlich' });
  const photoId = await services.releaseFiles.addPhoto(draft.id, { path: 'releases/1/x.jpg', alt: 'Bild', caption: 'U', credit: 'F', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 });
  const contact = (await services.offices.contacts(office.id))[0]!;
  const officeHook = (await services.webhooks.create(office.id, { url: 'https://93.184.216.34/amt', description: '', events: ['release.published'] })).endpoint;
  const platformHook = (await services.webhooks.create(null, { url: 'https://93.184.216.34/alle', description: '', events: ['release.published'] })).endpoint;
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  const journalist = (await services.journalists.addByOperator({ email: 'reporterin@example.org', name: 'Reporterin', medium: '', pressCard: '' }, null)).journalist;
  await services.journalists.requestAccreditation(journalist, office.id, 'Bitte');
  const accreditation = (await services.journalists.officeOverview(office.id)).open[0]!;
  const admin = new Browser(app);
  await admin.login('root@example.org');
  const csrf = csrfOf((await admin.get('/admin/offices/amt')).$);
  const anonymous = new Browser(app);
  const publicToken = cheerio.load((await anonymous.get('/subscribe')).res.body)('input[name="_csrf"]').attr('value') ?? '';

  const routes = allRoutes.filter((r) => r.url !== '/*' && !r.url.endsWith('/logout'));
  const failures: string[] = [];
  const check = (label: string, res: { statusCode: number; body: string }) => {
    if (res.statusCode >= 500) failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 120)}`);
  };
  // Each route gets its own draft with a photo, so a publish or delete before it leaves it something to work on.
  let current = { id: draft.id, photoId };
  const real = (url: string) =>
    url
      .replace(':office', 'amt')
      .replace(':id', String(current.id))
      .replace(':ref', `${published.id}-${published.slug}`)
      .replace(':photoId', String(current.photoId))
      .replace(':contactId', String(contact.id))
      .replace(':topic', 'verkehr')
      .replace(':region', 'nordkreis')
      .replace(':year', '2026')
      .replace(':month', '03')
      .replace(':lang', 'en')
      .replace(':name', 'x.eml')
      .replace(':kind', 'imprint')
      .replace(':slug', url.startsWith('/admin/regions') ? 'nordkreis' : 'verkehr')
      .replace(':token', 'x'.repeat(43))
      .replace(':webhookId', String(url.startsWith('/admin/webhooks') ? platformHook.id : officeHook.id))
      .replace(':accreditationId', String(accreditation.id))
      .replace(':journalistId', String(journalist.id));

  for (const route of routes) {
    const fresh = await createRelease(services, office.id, { title: 'Entwurf' }, { status: 'draft' });
    current = { id: fresh.id, photoId: await services.releaseFiles.addPhoto(fresh.id, { path: `releases/${fresh.id}/x.jpg`, alt: 'Bild', caption: 'U', credit: 'F', width: 10, height: 10, mime: 'image/jpeg', bytes: 100 }) };
    const browser = route.url.startsWith('/admin') ? admin : anonymous;
    const params = route.url.match(/:[a-zA-Z]+/g) ?? [];
    // Each parameter in turn gets each hostile value, the others stay real.
    for (const param of params) {
      for (const value of PARAMS) {
        const url = real(route.url.replace(param, value));
        if (route.method === 'GET') check(`GET ${url}`, await browser.request('GET', url));
        else check(`${route.method} ${url}`, await browser.request(route.method, url, { payload: `_csrf=${encodeURIComponent(browser === admin ? csrf : publicToken)}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' } }));
      }
    }
    const url = real(route.url);
    if (route.method === 'GET') {
      for (const query of QUERIES) check(`GET ${url}?${query.slice(0, 60)}`, await browser.request('GET', `${url}?${query}`));
    } else {
      const token = `_csrf=${encodeURIComponent(browser === admin ? csrf : publicToken)}`;
      for (const body of BODIES) {
        for (const type of ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x']) {
          const payload = type === 'application/json' ? (body ? '{"title":["a"],"_csrf":' + JSON.stringify(csrf) + ',"__proto__":{"x":1}}' : '{') : `${token}&${body}`;
          check(`${route.method} ${url} [${type}] ${body.slice(0, 50)}`, await browser.request(route.method, `${url}?${token}`, { payload, headers: { 'content-type': type, 'sec-fetch-site': 'same-origin' } }));
        }
      }
    }
  }
  // The editor's multipart form with hostile file fields: ids of nothing, places out of range, a
  // file field of a photo not in the release, garbage as photo and attachment, words far too long.
  const editorUrls = ['/admin/offices/amt/releases', `/admin/offices/amt/releases/${current.id}`, `/admin/offices/amt/releases/${published.id}/correct`];
  for (const url of editorUrls) {
    const hostileForms: Record<string, string | string[]>[] = [
      { title: 'x', bodyMarkdown: 'y', releaseDate: '2026-03-10', note: 'n', 'alt-99999999999999999999': 'x', [`position-${current.photoId}`]: '999999', [`remove-${current.photoId}`]: ['1', '2'], 'new-alt': 'ä'.repeat(20_000), 'attachment-title-0': '', slug: '../../etc', [`alt-${current.photoId}`]: '' },
      { title: ['a', 'b'], 'new-attachment-title': 'T', [`attachment-position-${current.photoId}`]: '-1', action: ['upload', 'preview'] },
    ];
    for (const fields of hostileForms) {
      const body = multipartBody({ _csrf: csrf, ...fields }, [
        { field: 'photo', filename: '../../x.jpg', contentType: 'image/jpeg', data: Buffer.from('GIF89a') },
        { field: 'attachment', filename: 'a.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 kaputt') },
        { field: `file-${current.photoId}`, filename: 'b.png', contentType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
        { field: 'attachment-file-123', filename: 'c.docx', contentType: 'application/zip', data: Buffer.from('PK\x03\x04garbage') },
      ]);
      check(`POST ${url} [multipart editor]`, await admin.request('POST', url, { payload: body.payload, headers: { 'content-type': body.contentType } }));
    }
  }
  assert.deepEqual([...new Set(failures.map((f) => f.replace(/ \S*: 5\d\d[\s\S]*/, "").slice(0, 110)))], []);
});
