// A release and an office as ActivityPub objects: a channel like the feed items, a rendering of the
// presenter's public view (content/release-view.ts), never of a release row. Pure: the view, the
// ids Fedify made, and a translator in → Fedify vocabulary objects out.
//
// A release is an `Article` (Mastodon shows its `name` as the title, the `summary` and the link;
// other software shows `content`, the same HTML as a feed item's): the title, the summary, the link
// to the page, the first photo with its alt text, the topics and regions as hashtags, the language,
// the publication and last correction times. An office is an `Organization`.
import { Temporal } from '@js-temporal/polyfill';
import { Article, Endpoints, Hashtag, Image, LanguageString, Organization, PropertyValue, PUBLIC_COLLECTION, Tombstone, type CryptographicKey, type Multikey } from '@fedify/fedify/vocab';
import { renderReleaseHtml } from '../../content/release-html.ts';
import { displayPhoto, type ReleaseView } from '../../content/release-view.ts';
import type { Translator } from '../../i18n/i18n.ts';
import { escapeHtml } from '../../lib/safe-html.ts';

/**
 * Fedify's types name the standard Temporal (TypeScript's esnext.temporal lib), its code runs the
 * polyfill, which Node 24 still needs: the same class at run time, two declarations for TypeScript.
 */
const instant = (iso: string) => Temporal.Instant.from(iso) as unknown as globalThis.Temporal.Instant;

/** A topic's or region's name as a hashtag: its words run together, each capitalised („Verkehr & Mobilität“ → `#VerkehrMobilität`). */
export const hashtagName = (name: string): string => {
  const words = name.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w) => w.charAt(0).toLocaleUpperCase('de-DE') + w.slice(1)).join('');
};

export interface ArticleIds {
  article: URL;
  actor: URL;
  followers: URL;
}

/** The `Article` of a release with a public page that is not withdrawn. */
export const releaseArticle = (view: ReleaseView, ids: ArticleIds, t: Translator): Article => {
  const tags = [...view.topics, ...view.regions]
    .map((term) => ({ name: hashtagName(term.name), href: new URL(term.link.url) }))
    .filter((tag) => tag.name !== '')
    .map((tag) => new Hashtag({ name: `#${tag.name}`, href: tag.href }));
  const lead = view.photos.find((p) => displayPhoto(p));
  const leadLink = lead ? displayPhoto(lead) : null;
  const size = lead && leadLink ? (lead.sizes.find((s) => s.jpeg.url === leadLink.url) ?? { width: lead.width, height: lead.height }) : null;
  const content = renderReleaseHtml(view, t, { withTitle: false });
  const hashtags = tags.map((tag) => `<a href="${escapeHtml(tag.href!.href)}" class="mention hashtag" rel="tag">${escapeHtml(tag.name!.toString())}</a>`).join(' ');
  return new Article({
    id: ids.article,
    attribution: ids.actor,
    to: PUBLIC_COLLECTION,
    cc: ids.followers,
    // Title and summary as plain strings (Mastodon reads `name` for the title); the language is the
    // content's (`contentMap`).
    name: view.title,
    summary: escapeHtml(view.summary),
    content: new LanguageString(hashtags ? `${content}\n<p>${hashtags}</p>` : content, view.language),
    url: new URL(view.links.page.url),
    published: view.publishedAt ? instant(view.publishedAt) : null,
    updated: view.corrections.length > 0 ? instant(view.updatedAt) : null,
    attachments: lead && leadLink && size ? [new Image({ url: new URL(leadLink.url), mediaType: 'image/jpeg', name: lead.alt, width: size.width, height: size.height })] : [],
    tags,
  });
};

/** What a withdrawn release's object becomes (answered with 410 Gone). */
export const releaseTombstone = (view: ReleaseView, id: URL): Tombstone =>
  new Tombstone({ id, formerType: Article, ...(view.withdrawn?.at ? { deleted: instant(view.withdrawn.at) } : {}) });

export interface OfficeActorInput {
  slug: string;
  name: string;
  descriptionHtml: string;
  website: string;
  language: 'de' | 'en';
  createdAt: string;
  profileUrl: string;
  logo: { url: string; mediaType: string } | null;
}

export interface ActorIds {
  actor: URL;
  inbox: URL;
  sharedInbox: URL;
  outbox: URL;
  followers: URL;
}

/** An office as an `Organization` actor: its name, description, logo, profile and keys. */
export const officeActor = (office: OfficeActorInput, ids: ActorIds, keys: { publicKey: CryptographicKey | null; assertionMethods: Multikey[] }, t: Translator, site: { name: string; verifyUrl: string }): Organization => {
  const link = (url: string) => `<a href="${escapeHtml(url)}" rel="me nofollow noopener" target="_blank">${escapeHtml(url.replace(/^https?:\/\//, ''))}</a>`;
  const note = `<p>${escapeHtml(t.t('federation.actorNote', { office: office.name, site: site.name, url: office.profileUrl }))}</p>`;
  return new Organization({
    id: ids.actor,
    preferredUsername: office.slug,
    name: office.name,
    summary: `${office.descriptionHtml}${note}`,
    url: new URL(office.profileUrl),
    published: instant(new Date(office.createdAt).toISOString()),
    icon: office.logo ? new Image({ url: new URL(office.logo.url), mediaType: office.logo.mediaType }) : null,
    inbox: ids.inbox,
    outbox: ids.outbox,
    followers: ids.followers,
    endpoints: new Endpoints({ sharedInbox: ids.sharedInbox }),
    publicKey: keys.publicKey,
    assertionMethods: keys.assertionMethods,
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
    attachments: [
      new PropertyValue({ name: t.t('federation.newsroom'), value: link(office.profileUrl) }),
      ...(office.website ? [new PropertyValue({ name: t.t('federation.website'), value: link(office.website) })] : []),
      new PropertyValue({ name: t.t('federation.verify'), value: link(site.verifyUrl) }),
    ],
  });
};
