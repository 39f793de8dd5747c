// View models of the admin pages: plain strings, numbers, booleans, arrays and SafeHtml.
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import type { FieldErrors } from '../../lib/errors.ts';
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { renderMarkdown } from '../../content/markdown.ts';
import { paths } from '../../lib/urls.ts';
import { utcToZonedLocal } from '../../lib/zoned-time.ts';
import { emptyContact, type ContactBlock, type Release, type ReleaseInput, type Term } from '../releases/release.ts';
import type { Contact, Office } from '../offices/offices.service.ts';

export const CONTACT_FIELDS = ['organisation', 'role', 'name', 'street', 'postcode', 'town', 'phone', 'fax', 'email', 'website'] as const;

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

export const editorValuesFromRelease = (r: Release, contacts: Contact[]): EditorValues => {
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

export const newEditorValues = (office: Office, contacts: Contact[], today: string): EditorValues => {
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
export const releaseInputFromValues = (v: EditorValues, contacts: Contact[]): ReleaseInput => {
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

/** Field errors as messages, and the list for the error summary (linking to the fields). */
export const errorsView = (fields: FieldErrors, t: Translator, params: Record<string, string | number> = {}) => {
  const byField: Record<string, string> = {};
  for (const [field, key] of Object.entries(fields)) {
    const text = t.t(`field.${key}` as MessageKey, params);
    byField[field] = text === undefined ? t.t('field.invalid') : text;
  }
  return { errors: byField, errorList: Object.entries(byField).map(([field, text]) => ({ field, text })) };
};

export const previewHtml = (v: EditorValues): SafeHtml => {
  const html = renderMarkdown(v.bodyMarkdown);
  if (!v.dateline.trim()) return html;
  const lead = `<span class="dateline">${escapeHtml(v.dateline.trim().replace(/[.:]\s*$/, ''))}.</span> `;
  return trustHtml(html.startsWith('<p>') ? `<p>${lead}${html.slice(3)}` : `<p>${lead}</p>\n${html}`);
};

export const termsView = (terms: Term[], selected: string[]) => terms.map((t) => ({ slug: t.slug, name: t.name, checked: selected.includes(t.slug) }));

export const contactsView = (contacts: Contact[]) =>
  contacts.map((c) => ({ id: c.id, label: [c.name, c.role, c.organisation].filter(Boolean).join(', ') || String(c.id), block: Object.fromEntries(CONTACT_FIELDS.map((f) => [f, c[f]])) }));

export type StatusKey = 'draft' | 'scheduled' | 'published' | 'withdrawn';

/** A release's status as an admin sees it: a scheduled one whose time has come counts as published. */
export const effectiveStatus = (status: StatusKey, publishedAt: string | null, nowIso: string): StatusKey =>
  status === 'scheduled' && publishedAt !== null && publishedAt <= nowIso ? 'published' : status;

export const releaseAdminView = (r: Release, t: Translator, timeZone: string, nowIso: string, base: string) => {
  const status = effectiveStatus(r.status, r.publishedAt, nowIso);
  return {
    id: r.id,
    title: r.title,
    status,
    statusLabel: t.t(`status.${status}` as MessageKey),
    publishedAt: r.publishedAt ? t.dateTime(r.publishedAt) : '',
    publishAtLocal: r.status === 'scheduled' && r.publishedAt ? utcToZonedLocal(r.publishedAt, timeZone) : '',
    withdrawnAt: r.withdrawnAt ? t.dateTime(r.withdrawnAt) : '',
    withdrawalNote: r.withdrawalNote,
    publicUrl: paths.release(r.id, r.slug),
    corrections: r.corrections.map((c) => ({ at: t.dateTime(c.at), note: c.note })),
    editUrl: `${base}/releases/${r.id}`,
    photos: r.photos.map((p, i) => ({
      id: p.id,
      src: p.path ? paths.media(p.path) : '',
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

/** One page of an audit log as the audit page shows it; `releaseUrl` links events about a release. */
export const auditView = (
  log: { items: { at: string; userEmail: string; action: string; releaseId: number | null; subject: string; detail: string }[]; page: number; pages: number },
  t: Translator,
  pageUrl: string,
  releaseUrl: (id: number) => string = () => '',
) => ({
  events: log.items.map((e) => ({
    at: t.dateTime(e.at),
    atIso: e.at,
    who: e.userEmail || t.t('audit.system'),
    action: t.t(`audit.${e.action}` as MessageKey) ?? e.action,
    subject: e.subject,
    url: e.releaseId ? releaseUrl(e.releaseId) : '',
    detail: e.action === 'release.scheduled' && e.detail ? t.dateTime(e.detail) : e.detail,
  })),
  newerUrl: log.page > 1 ? `${pageUrl}?page=${log.page - 1}` : '',
  olderUrl: log.page < log.pages ? `${pageUrl}?page=${log.page + 1}` : '',
});
