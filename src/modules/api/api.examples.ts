// The example answers of the OpenAPI document: a made-up release and office, rendered by the same
// presenter and templates as real answers (so an example can never show a field the API does not
// have, and a test checks each against its schema).
import { trustHtml } from '../../lib/safe-html.ts';
import type { Urls } from '../../lib/urls.ts';
import type { Release } from '../releases/release.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import type { Office } from '../offices/offices.service.ts';
import { officeJson, releaseJson, taxonJson } from './api.render.ts';

const contact = {
  organisation: 'Landkreis Musterland',
  role: 'Pressesprecherin',
  name: 'Jana Beispiel',
  street: 'Kreishausstraße 1',
  postcode: '12345',
  town: 'Musterstadt',
  phone: '+49 1234 56-789',
  fax: '',
  email: 'presse@landkreis-musterland.example',
  website: 'https://www.landkreis-musterland.example',
};

const sampleRelease: Release = {
  id: 4711,
  slug: 'neue-radwege-im-nordkreis',
  office: { id: 1, slug: 'landkreis-musterland', name: 'Landkreis Musterland' },
  title: 'Neue Radwege im Nordkreis',
  subtitle: 'Baubeginn im April',
  releaseDate: '2026-03-10',
  dateline: 'Musterstadt',
  bodyMarkdown: 'Der Landkreis baut **zwölf Kilometer** neue Radwege.',
  bodyHtml: trustHtml('<p>Der Landkreis baut <strong>zwölf Kilometer</strong> neue Radwege.</p>'),
  bodyText: 'Der Landkreis baut zwölf Kilometer neue Radwege.',
  summary: 'Baubeginn im April',
  contact,
  republicationNotice: 'Abdruck honorarfrei.',
  topics: [{ slug: 'verkehr', name: 'Verkehr' }],
  regions: [{ slug: 'nordkreis', name: 'Nordkreis' }],
  language: 'de',
  status: 'published',
  publishedAt: '2026-03-10T09:00:00.000Z',
  createdAt: '2026-03-09T15:12:00.000Z',
  updatedAt: '2026-03-10T11:30:00.000Z',
  withdrawnAt: null,
  withdrawalNote: '',
  photos: [
    {
      id: 815,
      path: 'releases/4711/QmFzZTY0S2V5MTIz/original.jpg',
      alt: 'Ein Radweg zwischen Feldern',
      caption: 'So soll der neue Radweg bei Nordheim aussehen.',
      credit: 'Landkreis Musterland',
      position: 0,
      width: 3000,
      height: 2000,
      mime: 'image/jpeg',
      bytes: 2_412_000,
      variants: [
        { width: 480, height: 320, webp: 'releases/4711/QmFzZTY0S2V5MTIz/480.webp', jpeg: 'releases/4711/QmFzZTY0S2V5MTIz/480.jpg' },
        { width: 960, height: 640, webp: 'releases/4711/QmFzZTY0S2V5MTIz/960.webp', jpeg: 'releases/4711/QmFzZTY0S2V5MTIz/960.jpg' },
      ],
    },
  ],
  attachments: [],
  corrections: [{ at: '2026-03-10T11:30:00.000Z', note: 'Die Länge war falsch angegeben: zwölf, nicht zehn Kilometer.', fileChanges: [] }],
};

const sampleOffice: Office = {
  id: 1,
  slug: 'landkreis-musterland',
  name: 'Landkreis Musterland',
  descriptionMarkdown: 'Die Pressestelle des Landkreises.',
  descriptionHtml: trustHtml('<p>Die Pressestelle des Landkreises.</p>'),
  website: 'https://www.landkreis-musterland.example',
  logoPath: null,
  republicationNotice: 'Abdruck honorarfrei.',
  defaultContactId: 1,
  language: 'de',
  updatedAt: '2026-03-01T08:00:00.000Z',
};

/** Example answers, by the name of the schema they are examples of. */
export const apiExamples = (urls: Urls) => {
  const release = releaseJson(presentRelease(sampleRelease, urls), urls);
  const withdrawn = releaseJson(presentRelease({ ...sampleRelease, status: 'withdrawn', withdrawnAt: '2026-03-11T08:00:00.000Z', withdrawalNote: 'Der Baubeginn ist verschoben.', updatedAt: '2026-03-11T08:00:00.000Z' }, urls), urls);
  const office = officeJson(sampleOffice, [contact], urls);
  return {
    release,
    releaseList: { items: [release], next: urls.absolute(urls.api.releases({ cursor: 'WyJwIiwiMjAyNi0wMy0xMFQwOTowMDowMC4wMDBaIiw0NzExXQ' })) },
    sync: { items: [withdrawn], next: null },
    office,
    officeList: { items: [office] },
    topics: { items: [taxonJson('topic', { slug: 'verkehr', name: 'Verkehr' }, urls)] },
    regions: { items: [taxonJson('region', { slug: 'nordkreis', name: 'Nordkreis' }, urls)] },
    webhookEvent: { type: 'release.published' as const, timestamp: '2026-03-10T09:00:00.000Z', data: release },
  };
};
