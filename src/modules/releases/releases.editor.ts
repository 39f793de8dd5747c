// View models of the release editor (releases.admin-routes.ts): what the form holds, the
// service's input made from it, and the release as its office sees it. Plain strings, numbers,
// booleans, arrays and SafeHtml.
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import type { SafeHtml } from '../../lib/safe-html.ts';
import { renderMarkdown } from '../../content/markdown.ts';
import type { Urls } from '../../lib/urls.ts';
import { zonedTime } from '../../lib/zoned-time.ts';
import { CONTACT_FIELDS, effectiveStatus, emptyContact, type ContactBlock, type Release, type ReleaseInput, type Term } from './release.ts';
import { leadWithDateline } from './releases.presenter.ts';

/** What the editor form holds, exactly as typed. */
export interface EditorValues {
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  bodyMarkdown: string;
  topics: string[];
  regions: string[];
  /** `none`, `custom`, or the id of one of the office's contacts. */
  contactChoice: string;
  contact: ContactBlock;
  republicationNotice: string;
  language: 'de' | 'en';
  note: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

export const editorValuesFromBody = (body: Record<string, unknown>): EditorValues => {
  const contact = emptyContact();
  for (const f of CONTACT_FIELDS) contact[f] = str(body[`contact_${f}`]);
  return {
    title: str(body.title),
    subtitle: str(body.subtitle),
    releaseDate: str(body.releaseDate),
    dateline: str(body.dateline),
    bodyMarkdown: str(body.bodyMarkdown).replace(/\r\n/g, '\n'),
    topics: list(body.topics),
    regions: list(body.regions),
    contactChoice: str(body.contactChoice) || 'none',
    contact,
    republicationNotice: str(body.republicationNotice),
    language: str(body.language) === 'en' ? 'en' : 'de',
    note: str(body.note),
  };
};

const sameContact = (a: ContactBlock, b: ContactBlock) => CONTACT_FIELDS.every((f) => (a[f] ?? '') === (b[f] ?? ''));

/** A press contact of the office, as the offices service lists them. */
export type OfficeContact = ContactBlock & { id: number };

export const editorValuesFromRelease = (r: Release, contacts: OfficeContact[]): EditorValues => {
  const match = r.contact ? contacts.find((c) => sameContact(c, r.contact!)) : undefined;
  return {
    title: r.title,
    subtitle: r.subtitle,
    releaseDate: r.releaseDate,
    dateline: r.dateline,
    bodyMarkdown: r.bodyMarkdown,
    topics: r.topics.map((t) => t.slug),
    regions: r.regions.map((t) => t.slug),
    contactChoice: match ? String(match.id) : r.contact ? 'custom' : 'none',
    contact: r.contact && !match ? r.contact : emptyContact(),
    republicationNotice: r.republicationNotice,
    language: r.language,
    note: '',
  };
};

export const newEditorValues = (office: { defaultContactId: number | null; republicationNotice: string; language: 'de' | 'en' }, contacts: OfficeContact[], today: string): EditorValues => {
  const chosen = contacts.find((c) => c.id === office.defaultContactId) ?? contacts[0];
  return {
    title: '',
    subtitle: '',
    releaseDate: today,
    dateline: '',
    bodyMarkdown: '',
    topics: [],
    regions: [],
    contactChoice: chosen ? String(chosen.id) : 'none',
    contact: emptyContact(),
    republicationNotice: office.republicationNotice,
    language: office.language,
    note: '',
  };
};

/** The service's input from the form: the chosen office contact is copied in, or the one written. */
export const releaseInputFromValues = (v: EditorValues, contacts: OfficeContact[]): ReleaseInput => {
  let contact: ContactBlock | null = null;
  if (v.contactChoice === 'custom') contact = v.contact;
  else if (v.contactChoice !== 'none') {
    const found = contacts.find((c) => String(c.id) === v.contactChoice);
    if (found) contact = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, found[f]])) as unknown as ContactBlock;
  }
  return {
    title: v.title,
    subtitle: v.subtitle,
    releaseDate: v.releaseDate,
    dateline: v.dateline,
    bodyMarkdown: v.bodyMarkdown,
    contact,
    republicationNotice: v.republicationNotice,
    topics: v.topics,
    regions: v.regions,
    language: v.language,
  };
};

/** The body as it will be shown, dateline in front: the editor's server-rendered preview. */
export const previewHtml = (v: EditorValues): SafeHtml => leadWithDateline(renderMarkdown(v.bodyMarkdown), v.dateline);

export const termsView = (terms: Term[], selected: string[]) => terms.map((t) => ({ slug: t.slug, name: t.name, checked: selected.includes(t.slug) }));

export const contactsView = (contacts: OfficeContact[]) =>
  contacts.map((c) => ({ id: c.id, label: [c.name, c.role, c.organisation].filter(Boolean).join(', ') || String(c.id), block: Object.fromEntries(CONTACT_FIELDS.map((f) => [f, c[f]])) }));

/** A release's status as its office sees it (release.ts `effectiveStatus`). */
export const statusOf = (r: Pick<Release, 'status' | 'publishedAt'>, nowIso: string) => effectiveStatus({ status: r.status, published_at: r.publishedAt }, nowIso);

export const releaseAdminView = (r: Release, t: Translator, timeZone: string, nowIso: string, urls: Urls) => {
  const status = statusOf(r, nowIso);
  const admin = urls.admin.office(r.office.slug);
  return {
    id: r.id,
    title: r.title,
    status,
    statusLabel: t.t(`status.${status}` as MessageKey),
    publishedAt: r.publishedAt ? t.dateTime(r.publishedAt) : '',
    publishAtLocal: r.status === 'scheduled' && r.publishedAt ? zonedTime(timeZone).toLocal(r.publishedAt) : '',
    withdrawnAt: r.withdrawnAt ? t.dateTime(r.withdrawnAt) : '',
    withdrawalNote: r.withdrawalNote,
    publicUrl: urls.release(r),
    corrections: r.corrections.map((c) => ({ at: t.dateTime(c.at), note: c.note })),
    editUrl: admin.release(r.id),
    photos: r.photos.map((p, i) => ({
      id: p.id,
      src: p.path ? urls.media(p.path) : '',
      alt: p.alt,
      caption: p.caption,
      credit: p.credit,
      width: p.width,
      height: p.height,
      isFirst: i === 0,
      isLast: i === r.photos.length - 1,
    })),
  };
};
