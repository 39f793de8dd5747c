// The one plain-text layout of a release: `/releases/{id}.txt`, the text part of every e-mail,
// `herold export --format txt` and `herold import`. `renderReleaseText` writes it from the
// presenter's view (release-view.ts); `parseReleaseText` (modules/transfer/release-text-parser.ts)
// reads it back, and also reads the one-line-per-paragraph form of the press-release portals (see
// test/fixtures/import/). Their shared vocabulary is plain-text.ts.
//
// Layout (German; English uses the words in brackets):
//
//   SPERRFRIST bis 24.12.2026, 10:00 Uhr        [EMBARGOED until …]  ← only an embargoed copy
//   Veröffentlichung nicht vor diesem …         [Not to be published …]  (modules/prereleases)
//   Exemplar für Name (Medium)                  [Copy for …]
//
//   Title, wrapped                              ← paragraphs before the date line:
//                                                  title, then subtitle
//   Subtitle, wrapped
//
//   Meldungsdatum: 26.08.2025, 10:15 Uhr        [Release date: 26 Aug 2025, 10:15 CEST]
//                                                  ← the time it went public, when that was that day
//   Themen: Soziales, Integration               [Topics:]   (omitted when empty)
//   Regionen: Landkreis Kassel                  [Regions:]
//
//   Landkreis Kassel. First paragraph …         ← the dateline opens the first paragraph
//
//   Hintergrund:                                ← `## Hintergrund` (a short line ending in ':')
//
//   Die Termine im Überblick:                   ← a paragraph ending in ':' sits right on its list
//   - list item, continuation lines keep
//     a hanging indent
//
//   Korrektur vom 27.08.2025, 14:30 Uhr: …      [Correction of 27 Aug 2025, 14:30 CEST: …]
//                                                  (every correction, newest first)
//
//   Bild: Caption text (Foto: Credit)           [Picture: … (Photo: …)]
//
//   Anhang: Title (PDF, 1,2 MB): https://…      [Attachment: …]  (each attachment; dropped on import)
//
//   Pressekontakt:                              [Press contact:]
//   ORGANISATION IN CAPITALS
//   Pressesprecherin Alia Beispiel              ← role + name
//   Musterstraße 1
//   12345 Musterstadt
//   Tel.: … / Fax: … / E-Mail: …                [Phone: / Fax: / Email:]
//   https://www.example.org
//
//   Republication notice.                       ← `Abdruckhinweis: …` when there is no contact
//
//   Veröffentlicht: 26.08.2025, 10:15 Uhr       [Published: 26 Aug 2025, 10:15 CEST]
//                                                  ← when it went public, in TIME_ZONE; dropped on import;
//                                                  after a correction „, aktualisiert am 27.08.2025 um
//                                                  14:30 Uhr“ [, updated on 27 Aug 2025 at 14:30 CEST]
//
//   Die Pressestelle „Office“ ist Mitglied bei … ← platform footer and links; dropped on import
//
// A withdrawn release shows `ZURÜCKGEZOGEN: …` [WITHDRAWN] and the withdrawal note instead of
// body, corrections, captions and notice; the parser refuses to import it.
//
// Paragraphs are separated by one blank line and wrapped at 72 columns on spaces; a URL or word
// longer than that stands alone on its line. Contact lines are never wrapped. The body stays
// Markdown (links, emphasis, lists), except `##`/`###` headings, which become `Heading:` lines; a
// link to a path of the site gets the site's address in front, as the text may be read anywhere.
// Where a body paragraph would read back as something else (a heading, a caption, a dateline),
// the renderer adds one Markdown backslash escape and the parser removes it again, so our own
// output reads back losslessly.
import { correctionText, creditWithLabel, type ContactView, type ReleaseView } from './release-view.ts';
import { zonedTime } from '../lib/zoned-time.ts';
import { absoluteMarkdownLinks, markdownLinksAsText } from './markdown.ts';
import {
  cols,
  collapse,
  escapeDateline,
  escapeHeading,
  escapeReservedPrefix,
  headingText,
  isHeadingLike,
  markdownBlocks,
  RESERVED_PRE,
  roleNameLine,
  splitParenCredit,
  wrap,
  type Block,
  type Lang,
} from './plain-text.ts';

export interface TextSite {
  /** TIME_ZONE: the zone the publication, correction and withdrawal times are written in. */
  timeZone: string;
  siteName: string;
  /** PUBLIC_URL. */
  siteUrl: string;
}

const CONTACT_PARTS = ['organisation', 'role', 'name', 'street', 'postcode', 'town', 'phone', 'fax', 'email', 'website'] as const;

const WORDS = {
  de: {
    date: 'Meldungsdatum',
    published: 'Veröffentlicht',
    updated: 'aktualisiert am',
    at: 'um',
    title: 'Titel',
    subtitle: 'Untertitel',
    topics: 'Themen',
    regions: 'Regionen',
    contact: 'Pressekontakt',
    phone: 'Tel.',
    fax: 'Fax',
    email: 'E-Mail',
    web: 'Web',
    caption: 'Bild',
    credit: 'Foto',
    notice: 'Abdruckhinweis',
    reason: 'Begründung',
    attachment: 'Anhang',
    embargo: 'SPERRFRIST bis',
    embargoNote: 'Veröffentlichung nicht vor diesem Zeitpunkt.',
    copyFor: 'Exemplar für',
  },
  en: {
    date: 'Release date',
    published: 'Published',
    updated: 'updated on',
    at: 'at',
    title: 'Title',
    subtitle: 'Subtitle',
    topics: 'Topics',
    regions: 'Regions',
    contact: 'Press contact',
    phone: 'Phone',
    fax: 'Fax',
    email: 'Email',
    web: 'Web',
    caption: 'Picture',
    credit: 'Photo',
    notice: 'Republication notice',
    reason: 'Reason',
    attachment: 'Attachment',
    embargo: 'EMBARGOED until',
    embargoNote: 'Not to be published before this time.',
    copyFor: 'Copy for',
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Render

/** A file size as people read it: `1,2 MB`, `340 KB` (`1.2 MB` in English). */
const bytesText = (n: number, lang: Lang): string => {
  const format = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  return n >= 1024 * 1024 ? `${format.format(n / 1024 / 1024)} MB` : `${format.format(Math.max(1, Math.round(n / 1024)))} KB`;
};

const termsLine = (label: string, names: string[]): string[] => {
  const sep = names.some((n) => n.includes(',')) ? '; ' : ', ';
  return wrap(`${label}: ${names.join(sep)}`, '', '  ');
};

const renderBody = (release: ReleaseView, siteUrl: string): string[][] => {
  // The text leaves the site: a link to one of its pages must work elsewhere.
  // Links as `text (URL)`: Markdown link syntax means nothing to whoever copies the text.
  const blocks = markdownBlocks(markdownLinksAsText(absoluteMarkdownLinks(release.body.markdown, siteUrl)));
  const dateline = collapse(release.dateline);
  const out: string[][] = [];
  if (dateline && blocks[0]?.kind !== 'para') out.push(wrap(`${dateline}.`));
  blocks.forEach((block, index) => {
    // A paragraph ending in a colon right before a list is its lead-in: printed without a blank
    // line before the list, so it never reads back as a heading and needs no escape.
    const leadIn = (b: Block | undefined, next: Block | undefined): boolean => b?.kind === 'para' && b.text.endsWith(':') && next?.kind === 'list';
    switch (block.kind) {
      case 'para': {
        let text = escapeReservedPrefix(block.text, 1);
        if (!leadIn(block, blocks[index + 1])) text = escapeHeading(text, 1);
        if (index === 0) text = dateline ? `${dateline}${dateline.endsWith('.') ? '' : '.'} ${text}` : escapeDateline(text, 1);
        out.push(wrap(text));
        return;
      }
      case 'heading': {
        if (block.level !== 2 && block.level !== 3) out.push(wrap(`${'#'.repeat(block.level)} ${block.text}`));
        else {
          const text = headingText(block.text);
          out.push(wrap(isHeadingLike(`${text}:`) ? `${text}:` : `## ${text}`));
        }
        return;
      }
      case 'list': {
        const lines = block.items.flatMap((it) => {
          const lead = `${' '.repeat(it.indent)}${it.marker} `;
          return wrap(it.text, lead, ' '.repeat(cols(lead)));
        });
        if (leadIn(blocks[index - 1], block)) out[out.length - 1]!.push(...lines);
        else out.push(lines);
        return;
      }
      case 'verbatim':
        out.push(block.lines);
    }
  });
  return out;
};

const renderContact = (contact: ContactView, lang: Lang): string[] => {
  const w = WORDS[lang];
  const c = Object.fromEntries(CONTACT_PARTS.map((k) => [k, collapse(contact[k])])) as Record<(typeof CONTACT_PARTS)[number], string>;
  const website = /^(?:https?:\/\/|www\.)\S+$/i.test(c.website) ? c.website : c.website && `${w.web}: ${c.website}`;
  return [
    `${w.contact}:`,
    c.organisation.toLocaleUpperCase('de-DE'),
    roleNameLine(c.role, c.name) ?? '',
    c.street,
    [c.postcode, c.town].filter(Boolean).join(' '),
    c.phone && `${w.phone}: ${c.phone}`,
    c.fax && `${w.fax}: ${c.fax}`,
    c.email && `${w.email}: ${c.email}`,
    website,
  ].filter((line) => line !== '');
};

const renderFooter = (release: ReleaseView, site: TextSite): string[][] => {
  const office = release.office.name;
  const links = { officeFeedUrl: release.office.feed.url, subscribeUrl: release.links.subscribe.url, releaseUrl: release.links.page.url };
  if (release.language === 'en')
    return [
      wrap(
        `The press office “${office}” is a member of ${site.siteName} [${site.siteUrl}]. There you can search the releases of other press offices and subscribe to them as an RSS feed or by e-mail.`,
      ),
      [
        ...wrap(`RSS feed of this press office: ${links.officeFeedUrl}`),
        ...wrap(`Subscribe by e-mail: ${links.subscribeUrl}`),
        ...wrap(`This release online: ${links.releaseUrl}`),
      ],
    ];
  return [
    wrap(
      `Die Pressestelle „${office}“ ist Mitglied bei ${site.siteName} [${site.siteUrl}]. Dort können Sie Mitteilungen weiterer Pressestellen recherchieren und als RSS-Feed oder E-Mail abonnieren.`,
    ),
    [
      ...wrap(`RSS-Feed dieser Pressestelle: ${links.officeFeedUrl}`),
      ...wrap(`Per E-Mail abonnieren: ${links.subscribeUrl}`),
      ...wrap(`Diese Mitteilung online: ${links.releaseUrl}`),
    ],
  ];
};

/**
 * The plain-text form of a release (UTF-8, `\n` line ends, one trailing newline). Without `footer`
 * it ends after the publication line, for a digest that lists several releases.
 */
export const renderReleaseText = (release: ReleaseView, site: TextSite, { footer = true }: { footer?: boolean } = {}): string => {
  const lang: Lang = release.language === 'en' ? 'en' : 'de';
  const w = WORDS[lang];
  const time = zonedTime(site.timeZone);
  const paras: string[][] = [];
  // An embargoed copy opens with its embargo and names its recipient (modules/prereleases).
  if (release.embargo) paras.push([`${w.embargo} ${time.formatDateTime(release.embargo.until, lang)}`, ...wrap(w.embargoNote), ...wrap(`${w.copyFor} ${release.embargo.recipient}`)]);
  const title = collapse(release.title);
  const subtitle = collapse(release.subtitle);
  if (title) paras.push(wrap(RESERVED_PRE.test(title) ? `${w.title}: ${title}` : title));
  if (subtitle) paras.push(wrap(RESERVED_PRE.test(subtitle) || !title ? `${w.subtitle}: ${subtitle}` : subtitle));

  // The release date with the time it went public, where that was on the release date (in TIME_ZONE).
  const sameDay = release.publishedAt !== null && time.localDate(release.publishedAt) === release.releaseDate;
  const header = [`${w.date}: ${sameDay ? time.formatDateTime(release.publishedAt!, lang) : time.formatDate(release.releaseDate, lang)}`];
  const topics = release.topics.map((t) => collapse(t.name)).filter(Boolean);
  const regions = release.regions.map((t) => collapse(t.name)).filter(Boolean);
  if (topics.length > 0) header.push(...termsLine(w.topics, topics));
  if (regions.length > 0) header.push(...termsLine(w.regions, regions));
  paras.push(header);

  // The presenter leaves a withdrawn release no body, corrections, photos or notice; the text says why.
  if (release.withdrawn) {
    const { at, note } = release.withdrawn;
    const when = at ? time.formatDateTime(at, lang) : '';
    paras.push(
      wrap(
        lang === 'de'
          ? `ZURÜCKGEZOGEN: Diese Mitteilung wurde ${when ? `am ${when} ` : ''}zurückgezogen und ist nicht mehr gültig. Bitte verwenden Sie sie nicht mehr.`
          : `WITHDRAWN: This release was withdrawn${when ? ` on ${when}` : ''} and is no longer valid. Please do not use it.`,
      ),
    );
    if (collapse(note)) paras.push(wrap(`${w.reason}: ${note}`));
  } else paras.push(...renderBody(release, site.siteUrl));
  for (const c of release.corrections) paras.push(wrap(`${lang === 'de' ? 'Korrektur vom' : 'Correction of'} ${time.formatDateTime(c.at, lang)}: ${correctionText(c.note)}`));
  for (const photo of release.photos) {
    const caption = collapse(photo.caption);
    const credit = collapse(photo.credit);
    if (!caption && !credit) continue;
    // An empty credit is written out when the caption itself ends like a credit.
    const showCredit = credit || (splitParenCredit(caption) ? ' ' : '');
    // A credit that names its kind („Foto: …“, „Grafik: …“) gets no second label.
    const creditText = credit ? creditWithLabel(credit, (name) => `${w.credit}: ${name}`) : `${w.credit}: `;
    paras.push(wrap([`${w.caption}:`, caption, showCredit && `(${creditText})`].filter(Boolean).join(' ')));
  }

  // Each attachment on its own: title, format and size, and the address to fetch it from.
  for (const a of release.attachments) paras.push(wrap(`${w.attachment}: ${collapse(a.name)} (${a.format}, ${bytesText(a.bytes, lang)}): ${a.download.url}`));

  const notice = release.notice
    .split(/\n\s*\n/)
    .map(collapse)
    .filter(Boolean);
  if (release.contact) paras.push(renderContact(release.contact, lang));
  if (notice.length > 0) {
    if (!release.contact) notice[0] = `${w.notice}: ${notice[0]}`;
    paras.push(...notice.map((p) => wrap(p)));
  }
  if (release.publishedAt) {
    // After a correction: „…, aktualisiert am 29.11.2026 um 09:00 Uhr“.
    const updated = release.corrections[0]?.at ?? null;
    const updatedText = updated ? `, ${w.updated} ${time.formatDate(updated, lang)} ${w.at} ${time.formatTime(updated, lang)}` : '';
    paras.push(wrap(`${w.published}: ${time.formatDateTime(release.publishedAt, lang)}${updatedText}`));
  }
  if (footer) paras.push(...renderFooter(release, site));
  return `${paras.map((p) => p.join('\n')).join('\n\n')}\n`;
};
