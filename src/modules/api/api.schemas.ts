// The shapes of the public JSON API (version 1), in TypeBox: the request parameters each route
// validates, and the answers, which Fastify serialises by them and @fastify/swagger writes into the
// OpenAPI 3.1 document (`/api/openapi.json`). Shared shapes carry an `$id`: they are added once
// with `addSchema` and become `components/schemas` of the document. Field descriptions are the
// API's documentation, in English like the document around them.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Url = (description: string) => Type.String({ format: 'uri', description });
const Nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {});
const IsoTime = (description: string) => Type.String({ format: 'date-time', description });
/** A reference to a shared schema (`{ $ref: 'Photo' }`), typed as what it refers to. */
const ref = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T>>({ $ref: schema.$id! });

export const FeedUrls = Type.Object(
  { rss: Url('RSS 2.0'), atom: Url('Atom 1.0'), json: Url('JSON Feed 1.1') },
  { $id: 'FeedUrls', description: 'The feeds of a listing in its three formats.', additionalProperties: false },
);

export const Contact = Type.Object(
  {
    organisation: Type.String(),
    role: Type.String(),
    name: Type.String(),
    street: Type.String(),
    postcode: Type.String(),
    town: Type.String(),
    phone: Type.String(),
    fax: Type.String(),
    email: Type.String(),
    website: Type.String(),
  },
  { $id: 'Contact', description: 'A press contact, as written; any part but name or organisation may be empty.', additionalProperties: false },
);

export const PhotoSize = Type.Object(
  {
    width: Type.Integer({ minimum: 1 }),
    height: Type.Integer({ minimum: 1 }),
    webp: Url('This width as WebP.'),
    jpeg: Url('This width as JPEG.'),
  },
  { $id: 'PhotoSize', additionalProperties: false },
);

export const Photo = Type.Object(
  {
    id: Type.Integer(),
    alt: Type.String({ description: 'Alternative text.' }),
    caption: Type.String(),
    credit: Type.String({ description: 'As the author wrote it; print it with „Foto:“ where it has no label of its own.' }),
    width: Type.Integer({ description: 'Of the original, in pixels.' }),
    height: Type.Integer(),
    mime: Type.String(),
    bytes: Type.Integer({ description: 'Size of the original file.' }),
    original: Nullable(Url('The original, full resolution, without metadata.'), 'The original; null for a caption without a file (an imported release).'),
    downloadName: Type.String({ description: 'A telling file name for the original.' }),
    sizes: Type.Array(ref(PhotoSize), { description: 'Responsive sizes, narrowest first.' }),
  },
  { $id: 'Photo', additionalProperties: false },
);

export const Attachment = Type.Object(
  { name: Type.String(), mime: Type.String(), bytes: Type.Integer(), url: Url('The file.') },
  { $id: 'Attachment', description: 'A document attached to a release (PDF, ODT or DOCX); name is its title.', additionalProperties: false },
);

export const Term = Type.Object(
  {
    slug: Type.String({ description: 'The key in URLs and filters.' }),
    name: Type.String(),
    url: Url('Its page.'),
  },
  { $id: 'Term', description: 'A topic or region a release carries.', additionalProperties: false },
);

export const Release = Type.Object(
  {
    id: Type.Integer({ description: 'Stable: it never changes.' }),
    slug: Type.String({ description: 'From the title; changes with it.' }),
    status: Type.Union([Type.Literal('published'), Type.Literal('withdrawn')]),
    language: Type.Union([Type.Literal('de'), Type.Literal('en')]),
    title: Type.String(),
    subtitle: Type.String(),
    releaseDate: Type.String({ format: 'date', description: 'The date printed on the release, chosen by its author.' }),
    publishedAt: IsoTime('When it went public (UTC).'),
    updatedAt: IsoTime('Its last public change: when it went public, its last correction or its withdrawal.'),
    dateline: Type.String({ description: 'The place the news comes from, printed in front of the first paragraph.' }),
    summary: Type.String({ description: 'The subtitle, or the opening of the body.' }),
    body: Type.Object(
      {
        html: Type.String({ description: 'Sanitised HTML, without the dateline.' }),
        leadHtml: Type.String({ description: 'The same, the dateline opening the first paragraph.' }),
        text: Type.String({ description: 'Plain text.' }),
        markdown: Type.String({ description: 'As written.' }),
      },
      { additionalProperties: false, description: 'Empty when withdrawn.' },
    ),
    photos: Type.Array(ref(Photo), { description: 'In the author’s order; empty when withdrawn.' }),
    attachments: Type.Array(ref(Attachment)),
    contact: Nullable(ref(Contact), 'The press contact printed under the release.'),
    notice: Type.String({ description: 'The republication notice; empty when withdrawn.' }),
    corrections: Type.Array(Type.Object({ at: IsoTime('When.'), note: Type.String({ description: 'What changed.' }) }, { additionalProperties: false }), {
      description: 'Every correction, newest first; empty when withdrawn.',
    }),
    withdrawn: Nullable(Type.Object({ at: Nullable(IsoTime('When.')), note: Type.String() }, { additionalProperties: false }), 'Null unless withdrawn.'),
    office: Type.Object(
      { slug: Type.String(), name: Type.String(), url: Url('Its page.'), feed: Url('Its RSS feed.'), api: Url('The office in this API.') },
      { additionalProperties: false },
    ),
    topics: Type.Array(ref(Term)),
    regions: Type.Array(ref(Term)),
    links: Type.Object(
      {
        page: Url('The release’s page (canonical).'),
        permanent: Url('By id alone: never changes.'),
        text: Url('As plain text.'),
        api: Url('This release in this API.'),
        subscribe: Url('Sign up for mail from its office.'),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Release', description: 'A press release as the public sees it: the same on its page, in feeds, mail and webhooks.', additionalProperties: false },
);
export type ApiRelease = Static<typeof Release>;

export const ReleaseList = Type.Object(
  {
    items: Type.Array(ref(Release)),
    next: Nullable(Url('The next page (also in the `Link` header, rel="next").'), 'Null on the last page.'),
  },
  { $id: 'ReleaseList', additionalProperties: false },
);

export const Office = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    language: Type.Union([Type.Literal('de'), Type.Literal('en')]),
    description: Type.Object({ html: Type.String({ description: 'Sanitised HTML.' }), markdown: Type.String() }, { additionalProperties: false }),
    website: Type.String({ description: 'An http(s) URL, or empty.' }),
    logo: Nullable(Url('The logo.')),
    url: Url('Its page.'),
    feeds: ref(FeedUrls),
    releases: Url('Its releases in this API.'),
    embed: Url('Its latest releases as a page to embed in an iframe.'),
    contacts: Type.Array(ref(Contact), { description: 'The press contacts, the default one first.' }),
  },
  { $id: 'Office', additionalProperties: false },
);

export const OfficeList = Type.Object({ items: Type.Array(ref(Office)) }, { $id: 'OfficeList', additionalProperties: false });

export const Taxon = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    url: Url('Its page.'),
    feeds: ref(FeedUrls),
    releases: Url('Its releases in this API.'),
    embed: Url('Its latest releases as a page to embed in an iframe.'),
  },
  { $id: 'Taxon', description: 'A topic or a region.', additionalProperties: false },
);

export const TaxonList = Type.Object({ items: Type.Array(ref(Taxon)) }, { $id: 'TaxonList', additionalProperties: false });

export const Problem = Type.Object(
  {
    type: Url('What kind of problem: a section of the documentation page.'),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: 'The path asked for.' }),
    invalidParams: Type.Optional(Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }, { additionalProperties: false }))),
  },
  { $id: 'Problem', description: 'An error, as RFC 9457 describes (application/problem+json).', additionalProperties: true },
);
export type ApiProblem = Static<typeof Problem>;

/** The body of every webhook delivery (Standard Webhooks): the event's type, its time, and the release. */
export const WebhookEvent = Type.Object(
  {
    type: Type.Union([Type.Literal('release.published'), Type.Literal('release.corrected'), Type.Literal('release.withdrawn'), Type.Literal('webhook.test')]),
    timestamp: IsoTime('When the change happened.'),
    data: Nullable(ref(Release), 'The release as this API shows it; for `webhook.test` the newest release, or null when there is none.'),
  },
  { $id: 'WebhookEvent', additionalProperties: false },
);
export type ApiWebhookEvent = Static<typeof WebhookEvent>;

/** Every shared shape, in an order in which each refers only to ones before it. */
export const SHARED_SCHEMAS = [FeedUrls, Contact, PhotoSize, Photo, Attachment, Term, Release, ReleaseList, Office, OfficeList, Taxon, TaxonList, Problem, WebhookEvent];

// --- requests ----------------------------------------------------------------------------------

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
const Slug = (description: string) => Type.String({ maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]*$', description });

export const ReleaseListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500, description: 'Full-text search, as on the search page (phrases in quotes, `-word`, `OR`, `word*`). Orders by release date.' })),
  office: Type.Optional(Type.Array(Slug('Office slug.'), { maxItems: 20, description: 'Office slug; repeat for several offices (at most 20).' })),
  topic: Type.Optional(Slug('Topic slug (an old slug of a renamed topic works too).')),
  region: Type.Optional(Slug('Region slug (an old slug works too).')),
  language: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')], { description: 'Language of the releases.' })),
  from: Type.Optional(Type.String({ format: 'date', description: 'First release date (inclusive).' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last release date (inclusive).' })),
  updated_since: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'For syncing: releases whose last public change (`updatedAt`) is at or after this time, withdrawn ones included, oldest change first. Not with `q`.',
    }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'Where the page starts: take it from `next` of the page before.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Releases per page, 1–${MAX_LIMIT}.` })),
});
export type ReleaseListQuery = Static<typeof ReleaseListQuery>;

export const ReleaseIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: 'The release’s id.' }) });
export type ReleaseIdParams = Static<typeof ReleaseIdParams>;

export const OfficeParams = Type.Object({ office: Slug('The office’s slug.') });
export type OfficeParams = Static<typeof OfficeParams>;
