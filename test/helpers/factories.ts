// Test data, made through the services (there is no shared seed).
import type { Services } from '../../src/services.ts';
import type { ContactBlock, ReleaseInput } from '../../src/modules/releases/release.ts';
import type { CreateOptions } from '../../src/modules/releases/releases.service.ts';

let counter = 0;

export const contactBlock = (overrides: Partial<ContactBlock> = {}): ContactBlock => ({
  organisation: 'STADT MUSTERHAUSEN',
  role: 'Pressesprecherin',
  name: 'Erika Beispiel',
  street: 'Marktplatz 1',
  postcode: '12345',
  town: 'Musterhausen',
  phone: '01234/567-0',
  fax: '01234/567-99',
  email: 'presse@musterhausen.example',
  website: 'https://www.musterhausen.example',
  ...overrides,
});

export const createOffice = async (services: Services, overrides: { slug?: string; name?: string; notice?: string } = {}) => {
  counter++;
  return services.offices.create(
    {
      slug: overrides.slug ?? `pressestelle-${counter}`,
      name: overrides.name ?? `Pressestelle ${counter}`,
      descriptionMarkdown: 'Die Pressestelle informiert über **alles Wichtige**.',
      website: 'https://www.musterhausen.example',
      republicationNotice: overrides.notice ?? 'Abdruck honorarfrei, Belegexemplar erbeten.',
    },
    [contactBlock()],
  );
};

export const ensureTerms = async (services: Services) => {
  for (const [slug, name] of [['soziales', 'Soziales'], ['verkehr', 'Verkehr'], ['umwelt', 'Umwelt']] as const) {
    if (!(await services.taxonomies.find('topics', slug))) await services.taxonomies.create('topics', slug, name);
  }
  for (const [slug, name] of [['nordkreis', 'Nordkreis'], ['suedkreis', 'Südkreis']] as const) {
    if (!(await services.taxonomies.find('regions', slug))) await services.taxonomies.create('regions', slug, name);
  }
};

export const releaseInput = (overrides: Partial<ReleaseInput> = {}): ReleaseInput => ({
  title: `Neue Radwege im Nordkreis ${++counter}`,
  subtitle: '',
  releaseDate: '2026-03-09',
  dateline: 'Musterhausen',
  bodyMarkdown: 'Der Kreis baut **neue Radwege**. Die Arbeiten beginnen im April.\n\n## Hintergrund\n\nDas Netz wächst seit 2020.',
  contact: contactBlock(),
  republicationNotice: 'Abdruck honorarfrei.',
  topics: [],
  regions: [],
  language: 'de',
  ...overrides,
});

export const createRelease = async (services: Services, officeId: number, overrides: Partial<ReleaseInput> = {}, options: CreateOptions = { status: 'published' }) =>
  services.releases.create(officeId, releaseInput(overrides), options);
