// `herold export --format md`: a release as Markdown, from the presenter's view (release-view.ts):
// the title as heading, the facts, the body as written (links to the site made absolute) with the
// dateline in front, every
// correction (newest first), the photos with caption and credit, the contact block and the notice.
import { zonedTime } from '../lib/zoned-time.ts';
import { absoluteMarkdownLinks } from './markdown.ts';
import { creditWithLabel, type ReleaseView } from './release-view.ts';

const LABELS = {
  de: { date: 'Meldungsdatum', published: 'Veröffentlicht', correction: 'Korrektur vom', withdrawn: 'Zurückgezogen am', photo: 'Foto', phone: 'Tel.', fax: 'Fax', email: 'E-Mail' },
  en: { date: 'Release date', published: 'Published', correction: 'Correction of', withdrawn: 'Withdrawn on', photo: 'Photo', phone: 'Phone', fax: 'Fax', email: 'Email' },
} as const;

/** Text that Markdown would read as syntax where it stands alone (a caption, a contact line): escaped. */
const plain = (text: string): string => text.replace(/([\\`*_[\]<>#|])/g, '\\$1');

export const renderReleaseMarkdown = (r: ReleaseView, { timeZone, siteUrl }: { timeZone: string; siteUrl: string }): string => {
  const w = LABELS[r.language];
  const time = zonedTime(timeZone);
  const blocks: string[] = [`# ${plain(r.title)}`];
  if (r.subtitle) blocks.push(`*${plain(r.subtitle)}*`);
  const facts = [`${w.date}: ${time.formatDate(r.releaseDate, r.language)}`];
  if (r.publishedAt) facts.push(`${w.published}: ${time.formatDateTime(r.publishedAt, r.language)}`);
  blocks.push([...facts, plain(r.office.name), `<${r.links.page.url}>`].join(' · '));
  if (r.withdrawn) blocks.push(`**${w.withdrawn}${r.withdrawn.at ? ` ${time.formatDateTime(r.withdrawn.at, r.language)}` : ''}:** ${plain(r.withdrawn.note)}`);
  const body = absoluteMarkdownLinks(r.body.markdown, siteUrl).trim();
  if (body) blocks.push(r.dateline ? `**${plain(r.dateline.replace(/[.:]\s*$/, ''))}.** ${body}` : body);
  for (const c of r.corrections) blocks.push(`> **${w.correction} ${time.formatDateTime(c.at, r.language)}:** ${plain(c.note)}`);
  for (const p of r.photos) {
    const credit = creditWithLabel(p.credit, (name) => `${w.photo}: ${name}`);
    const image = p.original ? `![${plain(p.alt)}](<${p.original.url}>)\n` : '';
    blocks.push(`${image}> ${plain(p.caption)}${credit ? ` (${plain(credit)})` : ''}`);
  }
  if (r.contact) {
    const c = r.contact;
    blocks.push([c.organisation, c.person, c.street, c.place, c.phone && `${w.phone}: ${c.phone}`, c.fax && `${w.fax}: ${c.fax}`, c.email && `${w.email}: ${c.email}`, c.website].filter(Boolean).map(plain).join('  \n'));
  }
  if (r.notice) blocks.push(`*${plain(r.notice)}*`);
  return `${blocks.join('\n\n')}\n`;
};
