// Our JSON export of a release (`herold export --format json`): the presenter's view of it for its
// own office (everything, also of a withdrawn release), with the fields an import reads back, so
// export then import gives the same release. Old exports (without the view's extra fields) import too.
import type { PhotoView, ReleaseView } from '../../content/release-view.ts';
import { ValidationError } from '../../lib/errors.ts';
import { CONTACT_FIELDS, type ContactBlock, type ReleaseInput, type Term } from '../releases/release.ts';

export interface ReleaseJson {
  format: 'herold-release';
  version: 1;
  id: number;
  url: string;
  office: { slug: string; name: string };
  status: ReleaseView['status'];
  publishedAt: string | null;
  updatedAt: string;
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  bodyMarkdown: string;
  bodyHtml: string;
  bodyText: string;
  contact: ContactBlock | null;
  republicationNotice: string;
  language: 'de' | 'en';
  topics: Term[];
  regions: Term[];
  /** The original's URL (null for a caption without a file) and the sizes' URLs. */
  photos: (Pick<PhotoView, 'alt' | 'caption' | 'credit' | 'width' | 'height' | 'mime' | 'bytes'> & { url: string | null; sizes: { width: number; height: number; jpeg: string; webp: string }[] })[];
  attachments: { name: string; url: string; mime: string; bytes: number }[];
  /** Newest first. */
  corrections: { at: string; note: string }[];
  withdrawn: { at: string | null; note: string } | null;
  links: { page: string; permanent: string; text: string };
}

export const releaseToJson = (view: ReleaseView): ReleaseJson => ({
  format: 'herold-release',
  version: 1,
  id: view.id,
  url: view.links.page.url,
  office: { slug: view.office.slug, name: view.office.name },
  status: view.status,
  publishedAt: view.publishedAt,
  updatedAt: view.updatedAt,
  title: view.title,
  subtitle: view.subtitle,
  releaseDate: view.releaseDate,
  dateline: view.dateline,
  bodyMarkdown: view.body.markdown,
  bodyHtml: view.body.html,
  bodyText: view.body.text,
  contact: view.contact ? (Object.fromEntries(CONTACT_FIELDS.map((f) => [f, view.contact![f]])) as unknown as ContactBlock) : null,
  republicationNotice: view.notice,
  language: view.language,
  topics: view.topics.map((t) => ({ slug: t.slug, name: t.name })),
  regions: view.regions.map((t) => ({ slug: t.slug, name: t.name })),
  photos: view.photos.map(({ alt, caption, credit, width, height, mime, bytes, original, sizes }) => ({
    url: original?.url ?? null,
    alt,
    caption,
    credit,
    width,
    height,
    mime,
    bytes,
    sizes: sizes.map((s) => ({ width: s.width, height: s.height, jpeg: s.jpeg.url, webp: s.webp.url })),
  })),
  attachments: view.attachments.map((a) => ({ name: a.name, url: a.download.url, mime: a.mime, bytes: a.bytes })),
  corrections: view.corrections,
  withdrawn: view.withdrawn,
  links: { page: view.links.page.url, permanent: view.links.permanent.url, text: view.links.text.url },
});

const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string') throw new ValidationError(`"${name}" must be a string`);
  return v;
};

export const parseReleaseJson = (content: string) => {
  const data = JSON.parse(content) as Partial<ReleaseJson>;
  if (data?.format !== 'herold-release') throw new ValidationError('not a Herold release export (format must be "herold-release")');
  const contact = data.contact && typeof data.contact === 'object' ? (Object.fromEntries(CONTACT_FIELDS.map((f) => [f, String(data.contact![f] ?? '')])) as unknown as ContactBlock) : null;
  const input: ReleaseInput = {
    title: str(data.title, 'title'),
    subtitle: str(data.subtitle ?? '', 'subtitle'),
    releaseDate: str(data.releaseDate, 'releaseDate'),
    dateline: str(data.dateline ?? '', 'dateline'),
    bodyMarkdown: str(data.bodyMarkdown, 'bodyMarkdown'),
    contact,
    republicationNotice: str(data.republicationNotice ?? '', 'republicationNotice'),
    topics: [],
    regions: [],
    language: data.language === 'en' ? 'en' : 'de',
  };
  return {
    input,
    topics: Array.isArray(data.topics) ? data.topics : [],
    regions: Array.isArray(data.regions) ? data.regions : [],
    photos: Array.isArray(data.photos) ? data.photos.map((p) => ({ alt: String(p.alt ?? ''), caption: String(p.caption ?? ''), credit: String(p.credit ?? '') })) : [],
    publishedAt: typeof data.publishedAt === 'string' ? data.publishedAt : undefined,
  };
};
