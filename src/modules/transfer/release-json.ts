// Our JSON export of a release: everything an import needs to give the same release back.
import type { ContactBlock, Release, ReleaseInput, Term } from '../releases/release.ts';
import { ValidationError } from '../../lib/errors.ts';

export interface ReleaseJson {
  format: 'herold-release';
  version: 1;
  id: number;
  url: string;
  office: { slug: string; name: string };
  status: Release['status'];
  publishedAt: string | null;
  updatedAt: string;
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  bodyMarkdown: string;
  contact: ContactBlock | null;
  republicationNotice: string;
  language: 'de' | 'en';
  topics: Term[];
  regions: Term[];
  photos: { url: string | null; alt: string; caption: string; credit: string; width: number; height: number }[];
  corrections: { at: string; note: string }[];
}

export const releaseToJson = (r: Release, url: string, mediaUrl: (path: string) => string): ReleaseJson => ({
  format: 'herold-release',
  version: 1,
  id: r.id,
  url,
  office: { slug: r.office.slug, name: r.office.name },
  status: r.status,
  publishedAt: r.publishedAt,
  updatedAt: r.updatedAt,
  title: r.title,
  subtitle: r.subtitle,
  releaseDate: r.releaseDate,
  dateline: r.dateline,
  bodyMarkdown: r.bodyMarkdown,
  contact: r.contact,
  republicationNotice: r.republicationNotice,
  language: r.language,
  topics: r.topics,
  regions: r.regions,
  photos: r.photos.map((p) => ({ url: p.path ? mediaUrl(p.path) : null, alt: p.alt, caption: p.caption, credit: p.credit, width: p.width, height: p.height })),
  corrections: r.corrections,
});

const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string') throw new ValidationError(`"${name}" must be a string`);
  return v;
};

export const parseReleaseJson = (content: string) => {
  const data = JSON.parse(content) as Partial<ReleaseJson>;
  if (data?.format !== 'herold-release') throw new ValidationError('not a Herold release export (format must be "herold-release")');
  const input: ReleaseInput = {
    title: str(data.title, 'title'),
    subtitle: str(data.subtitle ?? '', 'subtitle'),
    releaseDate: str(data.releaseDate, 'releaseDate'),
    dateline: str(data.dateline ?? '', 'dateline'),
    bodyMarkdown: str(data.bodyMarkdown, 'bodyMarkdown'),
    contact: data.contact ?? null,
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
