// The rules of releases: validation, the status workflow, corrections, visibility (the rules
// themselves are stated in release.ts). Owns the transactions; maps rows to the domain types in
// release.ts. Photos have their own service beside this one (release-photos.service.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { trustHtml } from '../../lib/safe-html.ts';
import { isSlug, slugify } from '../../lib/slug.ts';
import { htmlToText, renderMarkdown, summarise } from '../../content/markdown.ts';
import { foldLetters, foldText } from '../../lib/fold.ts';
import * as repo from './releases.repository.ts';
import { publicCardsByIds, toListItem, type ListItem, type ReleaseCard } from './release-cards.ts';
import { attachmentFileNames } from './releases.presenter.ts';
import { hasPublicPage, isEditable, isPublic, lastPublicChange, monthRange, nfc, RELEASE_YEARS, releaseInputOf, type Attachment, type ContactBlock, type Photo, type PhotoVariant, type Release, type ReleaseInput, type ReleaseStatus, type Term } from './release.ts';
import { applyFileEdits, type AppliedFileEdits, type NewAttachment, type NewPhoto } from './release-files.service.ts';
import { correctionNote, fileEditErrors, noFileEdits, type FileChange, type FileEdits } from './release-files.ts';
import type { Actor, AuditAction, AuditService } from '../audit/audit.service.ts';

/** A release as a list card shows it: its head (release-cards.ts `ListItem`), summary, terms and lead photo. */
export interface ReleaseSummary extends ListItem {
  summary: string;
  topics: Term[];
  regions: Term[];
  leadPhoto: Photo | null;
}

export type { ListItem, ReleaseCard };

/** What caches key on: a number bumped with every public change, and the time of that change. */
export interface ContentState {
  version: number;
  /** ISO-8601 UTC time of the last public change. */
  changedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
  perPage: number;
}

export type ListFilter = Omit<repo.PublicFilter, 'now'>;

export type { NewAttachment, NewPhoto };

/** The files a save leaves without a row, for the caller to delete once it is committed. */
export type ObsoleteFiles = Pick<AppliedFileEdits, 'obsoletePhotos' | 'obsoleteAttachments'>;

export interface CreateOptions {
  status?: 'draft' | 'published' | 'scheduled';
  /** ISO time, required for `scheduled`. */
  publishAt?: string;
  /** For `published`: when it went out, if earlier than now (an import of a release published elsewhere). */
  publishedAt?: string;
  photos?: NewPhoto[];
  attachments?: NewAttachment[];
  /** Who does it, for the audit log (recorded in the same transaction). */
  actor?: Actor;
  /** More writes that stand or fall with the new release, in its transaction (an import's record of its file). */
  alongside?: (trx: Kysely<DB>, releaseId: number) => Promise<void>;
}

const MAX = { title: 250, subtitle: 400, dateline: 120, body: 100_000, notice: 2_000, note: 1_000 };

/** A real calendar date within the years the archive lists (RELEASE_YEARS). */
const isValidDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  const year = Number(value.slice(0, 4));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && year >= RELEASE_YEARS.first && year <= RELEASE_YEARS.last;
};

const nfcInput = (input: ReleaseInput): ReleaseInput => ({
  ...input,
  title: nfc(input.title),
  subtitle: nfc(input.subtitle),
  dateline: nfc(input.dateline),
  bodyMarkdown: nfc(input.bodyMarkdown),
  republicationNotice: nfc(input.republicationNotice),
  contact: input.contact ? (Object.fromEntries(Object.entries(input.contact).map(([k, v]) => [k, nfc(String(v ?? ''))])) as unknown as ContactBlock) : null,
});

const cleanContact = (contact: ContactBlock | null): ContactBlock | null => {
  if (!contact) return null;
  const trimmed = Object.fromEntries(Object.entries(contact).map(([k, v]) => [k, String(v ?? '').trim()])) as unknown as ContactBlock;
  return trimmed.name || trimmed.organisation ? trimmed : null;
};

export const validateReleaseInput = (input: ReleaseInput): FieldErrors => {
  const errors: FieldErrors = {};
  const title = input.title.trim();
  if (!title) errors.title = 'required';
  else if (title.length > MAX.title) errors.title = 'tooLong';
  if (input.subtitle.length > MAX.subtitle) errors.subtitle = 'tooLong';
  if (!isValidDate(input.releaseDate)) errors.releaseDate = 'invalidDate';
  if (input.dateline.length > MAX.dateline) errors.dateline = 'tooLong';
  if (!input.bodyMarkdown.trim()) errors.bodyMarkdown = 'required';
  else if (input.bodyMarkdown.length > MAX.body) errors.bodyMarkdown = 'tooLong';
  if (input.republicationNotice.length > MAX.notice) errors.republicationNotice = 'tooLong';
  if (input.language !== 'de' && input.language !== 'en') errors.language = 'invalid';
  const contact = input.contact;
  if (contact && Object.values(contact).some((v) => String(v).trim() !== '') && !contact.name.trim() && !contact.organisation.trim())
    errors.contact = 'nameOrOrganisation';
  return errors;
};

const parseJson = <T>(text: string | null): T | null => (text ? (JSON.parse(text) as T) : null);

/** Kysely's SQLite JSON helpers hand back JSON text; this reads it (or passes a parsed value on). */
const fromJson = <T>(value: T | string | null): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

const toPhoto = (p: { id: number; path: string | null; alt: string; caption: string; credit: string; position?: number; width: number; height: number; mime: string; bytes: number; variants_json?: string | null }, position = 0): Photo => ({
  id: p.id,
  path: p.path ?? '',
  alt: p.alt,
  caption: p.caption,
  credit: p.credit,
  position: p.position ?? position,
  width: p.width,
  height: p.height,
  mime: p.mime,
  bytes: p.bytes,
  variants: parseVariants(p.variants_json),
});

/** The variants column, read leniently: a damaged value means "no variants", never a broken page. */
const parseVariants = (json: string | null | undefined): PhotoVariant[] => {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (v): v is PhotoVariant => typeof v === 'object' && v !== null && Number.isInteger(v.width) && Number.isInteger(v.height) && typeof v.webp === 'string' && typeof v.jpeg === 'string',
    );
  } catch {
    return [];
  }
};

/** The file changes of a revision, read leniently: a damaged value means "none recorded". */
const parseFileChanges = (json: string | null | undefined): FileChange[] => {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as FileChange[]) : [];
  } catch {
    return [];
  }
};

const toAttachment = (a: Attachment): Attachment => ({ id: a.id, title: a.title, path: a.path, mime: a.mime, bytes: a.bytes, sha256: a.sha256, position: a.position });

const toRelease = (row: repo.ReleaseRow): Release => ({
  id: row.id,
  slug: row.slug,
  office: { id: row.office_id, slug: row.office_slug, name: row.office_name, logoPath: row.office_logo_path },
  title: row.title,
  subtitle: row.subtitle,
  releaseDate: row.release_date,
  dateline: row.dateline,
  bodyMarkdown: row.body_markdown,
  bodyHtml: trustHtml(row.body_html),
  bodyText: row.body_text,
  summary: row.summary,
  contact: parseJson<ContactBlock>(row.contact_json),
  republicationNotice: row.republication_notice,
  topics: fromJson(row.topics),
  regions: fromJson(row.regions),
  language: row.language,
  status: row.status,
  publishedAt: row.published_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  withdrawnAt: row.withdrawn_at,
  withdrawalNote: row.withdrawal_note,
  photos: fromJson(row.photos).map((p) => toPhoto(p)),
  attachments: fromJson(row.attachments).map(toAttachment),
  corrections: fromJson(row.revisions).map((r) => ({ at: r.created_at, note: r.note, fileChanges: parseFileChanges(r.file_changes_json) })),
});

const toSummary = (row: repo.ReleaseSummaryRow): ReleaseSummary => ({
  ...toListItem(row),
  summary: row.summary,
  topics: fromJson(row.topics),
  regions: fromJson(row.regions),
  leadPhoto: row.lead_photo ? toPhoto(fromJson(row.lead_photo)) : null,
});

/** Rewrites the search index entry of a release, in the transaction of its change (search.indexer.ts). */
export type Reindex = (trx: Kysely<DB>, releaseId: number, now: string) => Promise<void>;

/** A public change of a release that the outside world is told of (webhooks). */
export type PublicChange = 'published' | 'corrected' | 'withdrawn';

/**
 * Records a public change in the transaction that makes it (services.ts passes the webhooks
 * module's `queueReleaseEvent`), so the change and its announcement are stored together or not at all.
 */
export type Announce = (trx: Kysely<DB>, releaseId: number, change: PublicChange, now: string) => Promise<void>;

export interface ReleasesServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  events: EventBus;
  /** Records changes made by a named actor, inside the change's own transaction. */
  audit?: AuditService;
  /** Keeps the search index in step; services.ts passes search.indexer's reindexRelease. */
  reindex?: Reindex;
  /** Tells webhooks of public changes, in their transaction; services.ts passes the webhooks module's. */
  announce?: Announce;
  /**
   * Told, inside the transaction, of every new version the public sees: a release went public (also a
   * scheduled one whose time came), was corrected or withdrawn; with the release as it now is.
   * services.ts passes the signing of releases (modules/signing), so no public version is ever
   * without its signature.
   */
  publicVersion?: PublicVersionHook;
  /**
   * Told, inside the transaction, when a scheduled release's time is set anew or it is taken back to
   * draft; services.ts passes the pre-releases' `reconcile` (modules/prereleases), which mails the
   * new embargo time, or ends the personal links, with the change or not at all.
   */
  scheduleChanged?: (trx: Kysely<DB>, releaseId: number, now: string) => Promise<void>;
}

/** See ReleasesServiceDeps.publicVersion. */
export type PublicVersionHook = (trx: Kysely<DB>, release: Release, now: string) => Promise<void>;

/**
 * Who may fetch a release's files (`/media/releases/{id}/…`): `public` — everyone (public now);
 * `preview` — the holder of its preview link (an editable release); `hidden` — nobody but its office
 * (editable, no valid preview token: answered like a missing file); `gone` — nobody but its office
 * (withdrawn: 410). The presenter shows no photos of a withdrawn release either.
 */
export type MediaAccess = 'public' | 'preview' | 'hidden' | 'gone';

/** A release as the admin area lists it. */
const toOfficeRelease = (r: Awaited<ReturnType<typeof repo.listReleasesOfOffice>>[number]) => ({
  id: r.id,
  slug: r.slug,
  title: r.title,
  status: r.status,
  releaseDate: r.release_date,
  publishedAt: r.published_at,
  updatedAt: r.updated_at,
  withdrawnAt: r.withdrawn_at,
  previewToken: r.preview_token ?? '',
});

/** How long a read of the content version is trusted; changes by other processes show within it. */
const VERSION_TTL_MS = 1000;

/** How many office and topic lists `around` keeps (the oldest made goes first): a few items each. */
const AROUND_LISTS_MAX = 2_000;

/** The newest public first, as the lists beside a release are ordered (repository `newestPublicItems`). */
const newestFirst = (a: ListItem, b: ListItem): number => (a.publishedAt === b.publishedAt ? b.id - a.id : a.publishedAt < b.publishedAt ? 1 : -1);

export const createReleasesService = ({ db, clock, events, audit, reindex = async () => {}, announce = async () => {}, publicVersion = async () => {}, scheduleChanged = async () => {} }: ReleasesServiceDeps) => {
  const reindexRelease = (trx: Kysely<DB>, id: number) => reindex(trx, id, nowIso());
  /** A new public version of release `id` (in its transaction): see ReleasesServiceDeps.publicVersion. */
  const newPublicVersion = async (trx: Kysely<DB>, id: number, now: string) => {
    const row = await repo.findReleaseById(trx, id);
    if (row) await publicVersion(trx, toRelease(row), now);
  };
  /** Writes an audit event in the transaction of the change, when an actor is named. */
  const record = async (trx: Kysely<DB>, actor: Actor | undefined, officeId: number, action: AuditAction, release: { id: number; title: string }, detail = '') => {
    if (actor && audit) await audit.record({ officeId, actor, action, releaseId: release.id, subject: release.title, detail }, trx);
  };
  const nowIso = () => clock.now().toISOString();
  // `generation` counts local bumps, so a read that started before a bump never stores its stale answer.
  const versionMemo = { value: 0, changedAt: new Date(0).toISOString(), readAt: -Infinity, generation: 0 };
  const bump = async (trx: Kysely<DB>, now: string) => {
    await repo.bumpContentVersion(trx, now);
    versionMemo.readAt = -Infinity;
    versionMemo.generation++;
  };

  /**
   * The lists release pages show below the release (`around`), per office and per topic, for one
   * content version: every page of an office shows the same newest releases of it, and the pages on
   * a topic draw on the same newest releases of that topic. After a publish each list is read once,
   * not once per page rendered. Kept like the page cache, until the version changes (the publish
   * job bumps it when a scheduled time comes, so nothing here turns public late or stays too long).
   */
  const aroundLists = { version: -1, lists: new Map<string, Promise<ListItem[]>>() };
  const aroundList = (version: number, key: string, load: () => Promise<repo.ListItemRow[]>): Promise<ListItem[]> => {
    // A page begun under an older version (the version changed while it awaited) reads its own:
    // what it reads is not kept under the new version, which may hold releases the read missed.
    if (aroundLists.version !== version) return load().then((rows) => rows.map(toListItem));
    let list = aroundLists.lists.get(key);
    if (!list) {
      // The time of the read, not of the page's start: the list is kept for the version now current.
      list = load().then((rows) => rows.map(toListItem));
      aroundLists.lists.set(key, list);
      // A failed read is not kept: the next page asks again.
      list.catch(() => aroundLists.lists.get(key) === list && aroundLists.lists.delete(key));
      if (aroundLists.lists.size > AROUND_LISTS_MAX) aroundLists.lists.delete(aroundLists.lists.keys().next().value!);
    }
    return list;
  };

  const resolveTerms = async (trx: Kysely<DB>, input: ReleaseInput): Promise<{ topicIds: number[]; regionIds: number[] }> => {
    const errors: FieldErrors = {};
    const topics = await repo.findTermIds(trx, 'topics', input.topics);
    const regions = await repo.findTermIds(trx, 'regions', input.regions);
    if (topics.unknown.length > 0) errors.topics = 'unknown';
    if (regions.unknown.length > 0) errors.regions = 'unknown';
    if (Object.keys(errors).length > 0) throw new ValidationError('Unknown topic or region', errors);
    return { topicIds: topics.ids, regionIds: regions.ids };
  };

  const assertValid = (input: ReleaseInput, files: FileEdits = noFileEdits()) => {
    const errors = { ...validateReleaseInput(input), ...fileEditErrors(files) };
    if (Object.keys(errors).length > 0) throw new ValidationError('The release is incomplete or invalid', errors);
  };

  const contentColumns = (input: ReleaseInput) => {
    const html = renderMarkdown(input.bodyMarkdown);
    return {
      title: input.title.trim(),
      subtitle: input.subtitle.trim(),
      release_date: input.releaseDate,
      dateline: input.dateline.trim(),
      body_markdown: input.bodyMarkdown,
      body_html: html,
      body_text: htmlToText(html),
      summary: input.subtitle.trim() || summarise(input.bodyMarkdown),
      contact_json: (() => {
        const contact = cleanContact(input.contact);
        return contact ? JSON.stringify(contact) : null;
      })(),
      republication_notice: input.republicationNotice.trim(),
      language: input.language,
    };
  };

  const requireRow = async (trx: Kysely<DB>, id: number): Promise<repo.ReleaseRow> => {
    const row = await repo.findReleaseById(trx, id);
    if (!row) throw new NotFoundError(`Release ${id} not found`);
    return row;
  };

  /** A publication time that has passed (an import, demo data), as ISO UTC. */
  const pastPublishedAt = (at: string): string => {
    const when = new Date(at);
    if (Number.isNaN(when.getTime()) || when.getTime() > clock.now().getTime()) throw new ValidationError('The publication time must not lie in the future', { publishedAt: 'invalid' });
    return when.toISOString();
  };

  const validPublishAt = (publishAt: string | undefined): string => {
    const at = publishAt ? new Date(publishAt) : undefined;
    if (!at || Number.isNaN(at.getTime())) throw new ValidationError('A scheduled release needs a valid publication time', { publishAt: 'invalid' });
    if (at.getTime() <= clock.now().getTime()) throw new ValidationError('The publication time must lie in the future', { publishAt: 'past' });
    return at.toISOString();
  };

  const service = {
    async listPublic(filter: ListFilter, page: number, perPage: number): Promise<Page<ReleaseSummary>> {
      const full = { ...filter, now: nowIso() };
      // Both at once (two connections of PostgreSQL's pool; one after the other on SQLite): a page
      // past the end reads no rows, and its listing redirects to the last page.
      const [total, rows] = await Promise.all([repo.countPublicReleases(db, full), repo.listPublicReleases(db, full, perPage, (page - 1) * perPage)]);
      const pages = Math.max(1, Math.ceil(total / perPage));
      return { items: page <= pages ? rows.map(toSummary) : [], total, page, pages, perPage };
    },

    /** Cards of these releases, in the order given, leaving out any that is not public now. */
    publicCardsByIds: (ids: number[]): Promise<ReleaseCard[]> => publicCardsByIds(db, ids, nowIso()),

    /** These releases complete, in the order given, leaving out any that is not public now (search feeds). */
    async publicReleasesByIds(ids: number[]): Promise<Release[]> {
      if (ids.length === 0) return [];
      const rows = await repo.listPublicFullReleases(db, { ids, now: nowIso() }, ids.length);
      const byId = new Map(rows.map((row) => [row.id, toRelease(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /** The newest public releases complete, without counting: for feeds. */
    async latestPublic(filter: ListFilter, limit: number): Promise<Release[]> {
      return (await repo.listPublicFullReleases(db, { ...filter, now: nowIso() }, limit)).map(toRelease);
    },

    /**
     * The API's release list: releases complete, `limit` of them after a keyset position, in a
     * stable order (repository `listReleasesAfter`). Public now; with `withWithdrawn`, withdrawn ones too.
     */
    async listAfter(filter: ListFilter, keyset: repo.ReleaseKeyset, limit: number): Promise<Release[]> {
      return (await repo.listReleasesAfter(db, { ...filter, now: nowIso() }, keyset, limit)).map(toRelease);
    },

    /** The newest release public now (of an office, when given): what a webhook test event shows. */
    async newestPublic(officeId?: number): Promise<Release | undefined> {
      return (await repo.listPublicFullReleases(db, { now: nowIso(), ...(officeId !== undefined ? { officeId } : {}) }, 1)).map(toRelease)[0];
    },

    /** A release whose page the public may see (release.ts `hasPublicPage`): public now, or withdrawn. */
    async findPublic(id: number): Promise<Release | undefined> {
      const row = await repo.findReleaseById(db, id);
      return row && hasPublicPage(row, nowIso()) ? toRelease(row) : undefined;
    },

    /**
     * What a release page lists below the release: the newest other releases of its office, and
     * releases of other offices on its topics; public now only (release.ts `isPublicAt`), a few each.
     */
    async around(release: Pick<Release, 'id' | 'office' | 'topics'>, limit = 4): Promise<{ fromOffice: ListItem[]; related: ListItem[] }> {
      const { version } = await service.contentState();
      // Versions only grow: a page that read an older one than the lists are kept for reads its own (aroundList).
      if (version > aroundLists.version) {
        aroundLists.version = version;
        aroundLists.lists.clear();
      }
      const office = await aroundList(version, `office:${release.office.id}:${limit}`, () => repo.listNewestOfOffice(db, release.office.id, nowIso(), limit + 1));
      const fromOffice = office.filter((item) => item.id !== release.id).slice(0, limit);
      // Up to three topics' newest, merged: each release once, none of the page's office.
      const related = new Map<number, ListItem>();
      for (const topic of release.topics.slice(0, 3))
        for (const item of await aroundList(version, `topic:${topic.slug}`, () => repo.listNewestOfTopic(db, topic.slug, nowIso())))
          if (item.office.id !== release.office.id) related.set(item.id, item);
      return { fromOffice, related: [...related.values()].sort(newestFirst).slice(0, limit) };
    },

    /**
     * Which of `ids` are releases whose files may still be asked for: all that exist and are not
     * withdrawn (a draft's preview, a scheduled release's embargoed copies, a public release). For
     * sweeps over many releases: one query per 200, and the requests waiting in between (SQLite
     * reads a release's status from its row, after its body: a thousand rows took 9–25 ms at
     * 100,000 releases).
     */
    async unwithdrawnAmong(ids: readonly number[]): Promise<Set<number>> {
      const found = new Set<number>();
      for (let i = 0; i < ids.length; i += 200) {
        if (i > 0) await setImmediate();
        for (const id of await repo.listUnwithdrawnIdsAmong(db, ids.slice(i, i + 200))) found.add(id);
      }
      return found;
    },

    /** A release public now (release.ts `isPublic`): one that may be listed, fed and mailed. */
    async findPublicNow(id: number): Promise<Release | undefined> {
      const row = await repo.findReleaseById(db, id);
      return row && isPublic(row, nowIso()) ? toRelease(row) : undefined;
    },

    /** Who may fetch the files of release `id` (see MediaAccess), with its office; undefined when there is no such release. */
    async mediaAccess(id: number, previewToken?: string): Promise<{ access: MediaAccess; officeId: number } | undefined> {
      const row = await repo.findReleaseAccess(db, id);
      if (!row) return undefined;
      const officeId = row.office_id;
      if (row.status === 'withdrawn') return { access: 'gone', officeId };
      if (isPublic(row, nowIso())) return { access: 'public', officeId };
      const given = Buffer.from(previewToken ?? '');
      const expected = Buffer.from(row.preview_token ?? '');
      const matches = expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
      return { access: matches ? 'preview' : 'hidden', officeId };
    },

    /**
     * The attachment stored at `path` (below the media folder), as a download: its release (whose
     * `mediaAccess` decides who gets it), its type and the names it is saved under. Undefined for a
     * file that is no attachment (any more).
     */
    async attachmentDownload(path: string): Promise<{ releaseId: number; mime: string; fileNames: { utf8: string; ascii: string } } | undefined> {
      const row = await repo.findAttachmentByPath(db, path);
      return row ? { releaseId: row.release_id, mime: row.mime, fileNames: attachmentFileNames(row) } : undefined;
    },

    /** Whether a preview link shows the release (release.ts `isEditable`); public and withdrawn ones are shown by their page. */
    isPreviewable: (release: Release): boolean => isEditable({ status: release.status, published_at: release.publishedAt }, nowIso()),

    async findById(id: number): Promise<Release | undefined> {
      const row = await repo.findReleaseById(db, id);
      return row ? toRelease(row) : undefined;
    },

    async findByPreviewToken(token: string): Promise<Release | undefined> {
      if (!/^[A-Za-z0-9_-]{20,}$/.test(token)) return undefined;
      const id = await repo.findReleaseIdByPreviewToken(db, token);
      return id === undefined ? undefined : service.findById(id);
    },

    /** The private preview token of a release (for its author's preview link). */
    findPreviewToken: async (id: number): Promise<string | undefined> => (await repo.findReleasePreviewToken(db, id)) ?? undefined,

    async create(officeId: number, typed: ReleaseInput, options: CreateOptions = {}): Promise<Release> {
      const input = nfcInput(typed);
      assertValid(input);
      const status = options.status ?? 'draft';
      const now = nowIso();
      const publishedAt = status === 'published' ? (options.publishedAt ? pastPublishedAt(options.publishedAt) : now) : status === 'scheduled' ? validPublishAt(options.publishAt) : null;
      const id = await db.transaction().execute(async (trx) => {
        const { topicIds, regionIds } = await resolveTerms(trx, input);
        const releaseId = await repo.insertRelease(trx, {
          office_id: officeId,
          slug: slugify(input.title),
          ...contentColumns(input),
          status,
          published_at: publishedAt,
          preview_token: randomBytes(18).toString('base64url'),
          created_at: now,
          updated_at: now,
        });
        await repo.replaceReleaseTerms(trx, releaseId, topicIds, regionIds);
        await record(trx, options.actor, officeId, 'release.created', { id: releaseId, title: input.title.trim() });
        for (const newPhoto of options.photos ?? []) await applyFileEdits(trx, releaseId, { ...noFileEdits(), newPhoto }, now, { correction: false });
        for (const newAttachment of options.attachments ?? []) await applyFileEdits(trx, releaseId, { ...noFileEdits(), newAttachment }, now, { correction: false });
        await reindexRelease(trx, releaseId);
        // Public validators (content version, Last-Modified, ETags) move only with a public change.
        if (status === 'published') {
          await bump(trx, now);
          await announce(trx, releaseId, 'published', now);
          await newPublicVersion(trx, releaseId, now);
        }
        await options.alongside?.(trx, releaseId);
        return releaseId;
      });
      if (status === 'published') events.emit('release.changed', { id, change: 'published' });
      if (status === 'scheduled') events.emit('schedule.changed', { id });
      return (await service.findById(id))!;
    },

    /**
     * Edits a draft or scheduled release, its text and its files (`files`: one save of the editor).
     * A published one is changed only through `correct`. Returns the release and the files no row
     * names any more, for the caller to delete.
     */
    async update(id: number, typed: ReleaseInput, actor?: Actor, files: FileEdits = noFileEdits(), { slug: typedSlug = '' }: { slug?: string } = {}): Promise<Release & { obsolete: ObsoleteFiles }> {
      const input = nfcInput(typed);
      assertValid(input, files);
      const wantedSlug = typedSlug.trim();
      if (wantedSlug && !isSlug(wantedSlug)) throw new ValidationError('The slug may hold lower-case letters, digits and hyphens', { slug: 'invalidSlug' });
      const now = nowIso();
      const obsolete = await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (!isEditable(row, now)) throw new ConflictError('A published release is changed by a correction');
        // A slug the author chose (not the title's own) is the office's only release with it.
        const slug = wantedSlug || slugify(input.title);
        if (wantedSlug && wantedSlug !== row.slug && wantedSlug !== slugify(input.title) && (await repo.findReleaseIdBySlug(trx, row.office_id, wantedSlug, id)) !== undefined)
          throw new ValidationError('Another release of the office has this slug', { slug: 'taken' });
        const { topicIds, regionIds } = await resolveTerms(trx, input);
        await repo.updateRelease(trx, id, { ...contentColumns(input), slug, updated_at: now });
        await repo.replaceReleaseTerms(trx, id, topicIds, regionIds);
        const applied = await applyFileEdits(trx, id, files, now, { correction: false });
        await reindexRelease(trx, id);
        await record(trx, actor, row.office_id, 'release.updated', { id, title: input.title.trim() });
        return { obsoletePhotos: applied.obsoletePhotos, obsoleteAttachments: applied.obsoleteAttachments };
      });
      return { ...(await service.findById(id))!, obsolete };
    },

    async publish(id: number, actor?: Actor): Promise<Release> {
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (!isEditable(row, now)) throw new ConflictError(`A ${row.status} release cannot be published`);
        // Only from the status read: the publish job of another server may have published it meanwhile.
        if (!(await repo.updateReleaseFrom(trx, id, row.status, { status: 'published', published_at: now, updated_at: now }))) {
          throw new ConflictError('The release was changed meanwhile');
        }
        await reindexRelease(trx, id);
        await record(trx, actor, row.office_id, 'release.published', { id, title: row.title });
        await bump(trx, now);
        await announce(trx, id, 'published', now);
        await newPublicVersion(trx, id, now);
      });
      events.emit('release.changed', { id, change: 'published' });
      return (await service.findById(id))!;
    },

    /** Publishes with a past publication time: for demo data of releases that went out earlier. */
    async publishAsOf(id: number, at: string): Promise<Release> {
      const when = pastPublishedAt(at);
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (row.status !== 'draft') throw new ConflictError(`A ${row.status} release cannot be published`);
        await repo.updateRelease(trx, id, { status: 'published', published_at: when, updated_at: now });
        await reindexRelease(trx, id);
        await bump(trx, now);
        await announce(trx, id, 'published', now);
        await newPublicVersion(trx, id, now);
      });
      events.emit('release.changed', { id, change: 'published' });
      return (await service.findById(id))!;
    },

    async schedule(id: number, publishAt: string, actor?: Actor): Promise<Release> {
      const at = validPublishAt(publishAt);
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (!isEditable(row, now)) throw new ConflictError(`A ${row.status} release cannot be scheduled`);
        await repo.updateRelease(trx, id, { status: 'scheduled', published_at: at, updated_at: now });
        await reindexRelease(trx, id);
        await record(trx, actor, row.office_id, 'release.scheduled', { id, title: row.title }, at);
        await scheduleChanged(trx, id, now);
      });
      events.emit('schedule.changed', { id });
      return (await service.findById(id))!;
    },

    /** Takes a scheduled release back to draft. */
    async unschedule(id: number, actor?: Actor): Promise<Release> {
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (row.status !== 'scheduled') throw new ConflictError('Only a scheduled release can be taken back');
        if (!isEditable(row, now)) throw new ConflictError('The release is already public');
        await repo.updateRelease(trx, id, { status: 'draft', published_at: null, updated_at: now });
        await reindexRelease(trx, id);
        await record(trx, actor, row.office_id, 'release.unscheduled', { id, title: row.title });
        await scheduleChanged(trx, id, now);
      });
      events.emit('schedule.changed', { id });
      return (await service.findById(id))!;
    },

    /**
     * Changes a published release openly, its text and its files: the old text goes to the revision
     * history with the note, and with it what changed in photos and attachments, old values
     * included; the note gets a sentence for each such change, in the release's language („Foto 2
     * ersetzt.“). Removed and replaced files are not kept (a photo taken down for a person's rights
     * must really go): the revision records what they were, and the caller deletes them.
     */
    async correct(id: number, typed: ReleaseInput, note: string, actor?: Actor, files: FileEdits = noFileEdits()): Promise<Release & { obsolete: ObsoleteFiles }> {
      const input = nfcInput(typed);
      const cleanNote = nfc(note.trim());
      const errors = { ...validateReleaseInput(input), ...fileEditErrors(files) };
      if (!cleanNote) errors.note = 'required';
      else if (cleanNote.length > MAX.note) errors.note = 'tooLong';
      if (Object.keys(errors).length > 0) throw new ValidationError('The correction is incomplete or invalid', errors);
      const now = nowIso();
      const obsolete = await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (!isPublic(row, now)) throw new ConflictError('Only a published release can be corrected');
        const { topicIds, regionIds } = await resolveTerms(trx, input);
        const applied = await applyFileEdits(trx, id, files, now, { correction: true });
        const fullNote = correctionNote(cleanNote, applied.changes, input.language);
        await repo.insertRevision(trx, {
          release_id: id,
          title: row.title,
          subtitle: row.subtitle,
          dateline: row.dateline,
          body_markdown: row.body_markdown,
          body_html: row.body_html,
          note: fullNote,
          file_changes_json: applied.changes.length > 0 ? JSON.stringify(applied.changes) : null,
          created_at: now,
        });
        await repo.updateRelease(trx, id, { ...contentColumns(input), status: 'published', updated_at: now, corrected_at: now });
        await repo.replaceReleaseTerms(trx, id, topicIds, regionIds);
        await reindexRelease(trx, id);
        await record(trx, actor, row.office_id, 'release.corrected', { id, title: input.title.trim() }, fullNote);
        await bump(trx, now);
        await announce(trx, id, 'corrected', now);
        await newPublicVersion(trx, id, now);
        return { obsoletePhotos: applied.obsoletePhotos, obsoleteAttachments: applied.obsoleteAttachments };
      });
      events.emit('release.changed', { id, change: 'corrected' });
      return { ...(await service.findById(id))!, obsolete };
    },

    async withdraw(id: number, typedNote: string, actor?: Actor): Promise<Release> {
      const note = nfc(typedNote);
      const now = nowIso();
      if (note.length > MAX.note) throw new ValidationError('The note is too long', { note: 'tooLong' });
      await db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (!isPublic(row, now)) throw new ConflictError('Only a published release can be withdrawn');
        await repo.updateRelease(trx, id, { status: 'withdrawn', withdrawn_at: now, withdrawal_note: note.trim(), updated_at: now });
        await reindexRelease(trx, id);
        await record(trx, actor, row.office_id, 'release.withdrawn', { id, title: row.title }, note.trim());
        await bump(trx, now);
        await announce(trx, id, 'withdrawn', now);
        await newPublicVersion(trx, id, now);
      });
      events.emit('release.changed', { id, change: 'withdrawn' });
      return (await service.findById(id))!;
    },

    /**
     * The office's releases for its dashboard, newest change first: every draft and scheduled
     * release, however long untouched, and the `limit` last changed of all.
     */
    async listForOffice(officeId: number, limit = 200) {
      const [unpublished, recent] = await Promise.all([repo.listUnpublishedOfOffice(db, officeId), repo.listReleasesOfOffice(db, officeId, limit)]);
      const rows = new Map([...recent, ...unpublished].map((r) => [r.id, r]));
      return [...rows.values()].sort((a, b) => (a.updated_at === b.updated_at ? b.id - a.id : a.updated_at < b.updated_at ? 1 : -1)).map(toOfficeRelease);
    },

    /**
     * One page of all of an office's releases for the admin area, newest change first. With a
     * `query` that holds a letter or digit (`filtered`), those whose title holds it in any case,
     * with or without accents (foldLetters: Brücke, BRUCKE), or whose folded words hold its folded
     * words (foldText, as searches fold: ue for ü, so BRUECKE). Both, because a fragment folds
     * unlike the word it is cut from (`uerwehr` has no vowel before its ue, Feuerwehr has). The
     * titles are looked through here, the same on both databases.
     */
    async pageOfOffice(officeId: number, { page, query = '', perPage = 50 }: { page: number; query?: string; perPage?: number }) {
      const words = foldText(query);
      const letters = foldLetters(query.trim());
      const at = (page - 1) * perPage;
      if (!words) {
        const total = await repo.countReleasesOfOffice(db, officeId);
        const items = (await repo.listReleasesOfOffice(db, officeId, perPage, at)).map(toOfficeRelease);
        return { items, total, page, pages: Math.max(1, Math.ceil(total / perPage)), filtered: false };
      }
      const matching = (await repo.listReleaseTitlesOfOffice(db, officeId))
        .filter((r) => foldLetters(r.title).includes(letters) || foldText(r.title).includes(words))
        .map((r) => r.id);
      const ids = matching.slice(at, at + perPage);
      const rows = new Map((ids.length > 0 ? await repo.listReleasesOfOfficeByIds(db, officeId, ids) : []).map((r) => [r.id, r]));
      const items = ids.flatMap((id) => (rows.has(id) ? [toOfficeRelease(rows.get(id)!)] : []));
      return { items, total: matching.length, page, pages: Math.max(1, Math.ceil(matching.length / perPage)), filtered: true };
    },

    /** Deletes a draft (never anything that was public); returns its files, for the caller to delete. */
    async deleteDraft(id: number, actor?: Actor): Promise<ObsoleteFiles> {
      return db.transaction().execute(async (trx) => {
        const row = await requireRow(trx, id);
        if (row.status !== 'draft') throw new ConflictError('Only a draft can be deleted');
        const obsoletePhotos = (await repo.listPhotosOfRelease(trx, id)).map((p) => p.path).filter((p): p is string => Boolean(p));
        const obsoleteAttachments = (await repo.listAttachmentsOfRelease(trx, id)).map((a) => a.path);
        await record(trx, actor, row.office_id, 'release.deleted', { id, title: row.title });
        await repo.deleteRelease(trx, id);
        return { obsoletePhotos, obsoleteAttachments };
      });
    },

    /** A new draft with the text, terms, contact, notice and language of release `id` (files are not copied). */
    async duplicate(id: number, actor?: Actor): Promise<Release> {
      const r = await service.findById(id);
      if (!r) throw new NotFoundError(`Release ${id} not found`);
      return service.create(r.office.id, releaseInputOf(r), { status: 'draft', ...(actor ? { actor } : {}) });
    },

    /** Promotes scheduled releases whose time has come; returns their ids. Idempotent. */
    async publishDue(): Promise<number[]> {
      const now = nowIso();
      const ids = await db.transaction().execute(async (trx) => {
        const due: number[] = [];
        for (const id of await repo.listDueScheduledIds(trx, now)) {
          // Another process that got there first has published it (and announced it): not twice.
          if (!(await repo.publishScheduled(trx, id, now))) continue;
          due.push(id);
          await reindexRelease(trx, id);
          // A scheduled release is announced when it is published here, at its time, never before.
          await announce(trx, id, 'published', now);
          await newPublicVersion(trx, id, now);
        }
        if (due.length > 0) await bump(trx, now);
        return due;
      });
      for (const id of ids) events.emit('release.changed', { id, change: 'published' });
      return ids;
    },

    nextScheduledAt: (): Promise<string | undefined> => repo.findNextScheduledAt(db),

    async archiveMonths(): Promise<{ year: number; month: number; count: number }[]> {
      return (await repo.listArchiveMonths(db, nowIso())).map((r) => ({ year: Number(r.month.slice(0, 4)), month: Number(r.month.slice(5, 7)), count: Number(r.n) }));
    },

    /** Where the releases public now and dated in a month are, for the sitemap: `limit` from `offset` in order of their date, with their last public change. */
    async sitemapEntries(year: number, month: number, limit: number, offset: number): Promise<{ id: number; slug: string; lastModified: string }[]> {
      const { dateFrom, dateBefore } = monthRange(year, month);
      return (await repo.listPublicReleaseLocations(db, { now: nowIso(), dateFrom, dateBefore }, limit, offset)).map((r) => ({ id: r.id, slug: r.slug, lastModified: lastPublicChange(r) }));
    },

    /** For other services: bump the content version in their transaction (office, contact, term changes). */
    markContentChanged: (trx: Kysely<DB>, now: string): Promise<void> => bump(trx, now),

    /** A number that changes whenever anything the public sees changes; caches key on it. */
    async contentVersion(): Promise<number> {
      return (await service.contentState()).version;
    },

    /** `contentState()` when it was read within the last second, without a promise; else null. */
    peekContentState(): ContentState | null {
      return performance.now() - versionMemo.readAt < VERSION_TTL_MS ? { version: versionMemo.value, changedAt: versionMemo.changedAt } : null;
    },

    /** The content version with the time of the last public change (for Last-Modified). */
    async contentState(): Promise<ContentState> {
      const fresh = service.peekContentState();
      if (fresh) return fresh;
      const generation = versionMemo.generation;
      const row = await repo.readSiteState(db);
      if (generation === versionMemo.generation) {
        versionMemo.value = row.content_version;
        versionMemo.changedAt = row.changed_at;
        versionMemo.readAt = performance.now();
      }
      return { version: row.content_version, changedAt: row.changed_at };
    },
  };
  return service;
};

export type ReleasesService = ReturnType<typeof createReleasesService>;
export type { ReleaseStatus };
