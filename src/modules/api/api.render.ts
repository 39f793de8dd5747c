// The API's JSON, as templates: a release is a rendering of the presenter's public view
// (releases/releases.presenter.ts), never built from the release itself, so it says what the page,
// the feeds and the mail say. Webhook bodies are the same JSON (webhooks module). Pure; every link
// comes from the link builder, absolute.
import type { ContactBlock, ReleaseView } from '../../content/release-view.ts';
import type { Urls } from '../../lib/urls.ts';
import type { Office as OfficeRecord } from '../offices/offices.service.ts';
import { webHref } from '../offices/offices.views.ts';
import type { ApiRelease } from './api.schemas.ts';

/** The ten fields of a contact block, whatever else the object carries (a view adds derived lines). */
const contactJson = (c: ContactBlock): ContactBlock => ({
  organisation: c.organisation,
  role: c.role,
  name: c.name,
  street: c.street,
  postcode: c.postcode,
  town: c.town,
  phone: c.phone,
  fax: c.fax,
  email: c.email,
  website: c.website,
});

/** A release as the API shows it: the public view, with absolute URLs in place of site paths. */
export const releaseJson = (view: ReleaseView, urls: Urls): ApiRelease => ({
  id: view.id,
  slug: view.slug,
  // The API never shows drafts or scheduled releases; a view of one would be a bug upstream.
  status: view.status === 'withdrawn' ? 'withdrawn' : 'published',
  language: view.language,
  title: view.title,
  subtitle: view.subtitle,
  releaseDate: view.releaseDate,
  publishedAt: view.publishedAt ?? view.updatedAt,
  updatedAt: view.updatedAt,
  dateline: view.dateline,
  summary: view.summary,
  body: { html: view.body.html, leadHtml: view.body.leadHtml, text: view.body.text, markdown: view.body.markdown },
  photos: view.photos.map((p) => ({
    id: p.id,
    alt: p.alt,
    caption: p.caption,
    credit: p.credit,
    width: p.width,
    height: p.height,
    mime: p.mime,
    bytes: p.bytes,
    original: p.original?.url ?? null,
    downloadName: p.downloadName,
    sizes: p.sizes.map((s) => ({ width: s.width, height: s.height, webp: s.webp.url, jpeg: s.jpeg.url })),
  })),
  attachments: view.attachments.map((a) => ({ name: a.name, mime: a.mime, bytes: a.bytes, url: a.download.url })),
  contact: view.contact ? contactJson(view.contact) : null,
  notice: view.notice,
  corrections: view.corrections.map((c) => ({ at: c.at, note: c.note })),
  withdrawn: view.withdrawn ? { at: view.withdrawn.at, note: view.withdrawn.note } : null,
  office: { slug: view.office.slug, name: view.office.name, url: view.office.link.url, feed: view.office.feed.url, api: urls.absolute(urls.api.office(view.office.slug)) },
  topics: view.topics.map((t) => ({ slug: t.slug, name: t.name, url: t.link.url })),
  regions: view.regions.map((t) => ({ slug: t.slug, name: t.name, url: t.link.url })),
  links: {
    page: view.links.page.url,
    permanent: view.links.permanent.url,
    text: view.links.text.url,
    api: urls.absolute(urls.api.release(view.id)),
    subscribe: view.links.subscribe.url,
  },
});

/** An office with its contacts (the default one first). */
export const officeJson = (office: OfficeRecord, contacts: ContactBlock[], urls: Urls) => ({
  slug: office.slug,
  name: office.name,
  language: office.language,
  description: { html: office.descriptionHtml, markdown: office.descriptionMarkdown },
  website: webHref(office.website),
  logo: office.logoPath ? urls.absolute(urls.media(office.logoPath)) : null,
  url: urls.absolute(urls.office(office.slug)),
  feeds: urls.feedUrls(urls.office(office.slug)),
  releases: urls.absolute(urls.api.releases({ office: office.slug })),
  embed: urls.absolute(urls.embed(urls.office(office.slug))),
  contacts: contacts.map(contactJson),
});

/** A topic or a region. */
export const taxonJson = (kind: 'topic' | 'region', term: { slug: string; name: string }, urls: Urls) => {
  const page = kind === 'topic' ? urls.topic(term.slug) : urls.region(term.slug);
  return {
    slug: term.slug,
    name: term.name,
    url: urls.absolute(page),
    feeds: urls.feedUrls(page),
    releases: urls.absolute(urls.api.releases({ [kind]: term.slug })),
    embed: urls.absolute(urls.embed(page)),
  };
};
