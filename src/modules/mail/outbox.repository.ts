// All Kysely code for the mail outbox, the instant-notice fan-out and digest runs.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row, RowUpdate } from '../../db/database.ts';
import { dialectOf, joinedText, type Dialect } from '../../db/dialect.ts';
import { hasPublicPageAt, isPublicAt } from '../releases/release.ts';

export const insertOutbox = (db: Kysely<DB>, values: NewRow<'mail_outbox'>) => db.insertInto('mail_outbox').values(values).execute();

/** The confirmation mail of a sign-up, due at once. */
export const queueConfirmation = async (db: Kysely<DB>, requestId: number, now: string): Promise<void> => {
  await insertOutbox(db, { kind: 'confirmation', request_id: requestId, next_attempt_at: now, created_at: now });
};

/** A password-reset or invitation mail, due at once (the auth module's, through services.ts). */
export const queueAccountMail = async (db: Kysely<DB>, mail: { kind: 'password-reset' | 'invitation'; email: string; lang: 'de' | 'en'; userTokenHash?: string }, now: string): Promise<void> => {
  await insertOutbox(db, { kind: mail.kind, email: mail.email, lang: mail.lang, ...(mail.userTokenHash ? { user_token_hash: mail.userTokenHash } : {}), next_attempt_at: now, created_at: now });
};

export type OutboxRow = Row<'mail_outbox'>;

/**
 * Claims up to `limit` due rows for sending: queued ones whose time has come, and rows another
 * sender claimed but whose lease has run out (it crashed). Sets the lease, its owner, and counts
 * the attempt.
 */
export const claimDue = (db: Kysely<DB>, now: string, leaseUntil: string, limit: number, owner: string): Promise<OutboxRow[]> =>
  db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'sending', lease_until: leaseUntil, lease_owner: owner, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('mail_outbox')
        .select('id')
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('status', '=', 'queued'), w('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit),
    )
    .returningAll()
    .execute();

export const updateOutbox = (db: Kysely<DB>, id: number, values: RowUpdate<'mail_outbox'>) => db.updateTable('mail_outbox').set(values).where('id', '=', id).execute();

/** The senders holding leases now. */
export const listLeaseOwners = async (db: Kysely<DB>): Promise<string[]> =>
  (await db.selectFrom('mail_outbox').select('lease_owner').distinct().where('status', '=', 'sending').where('lease_owner', 'is not', null).execute()).map((r) => r.lease_owner!);

/** Puts the rows a sender that is gone held back in the queue, due as they were. */
export const releaseLeasesOf = (db: Kysely<DB>, owner: string) =>
  db.updateTable('mail_outbox').set({ status: 'queued', lease_until: null, lease_owner: null }).where('status', '=', 'sending').where('lease_owner', '=', owner).execute();

/** Extends the lease of rows a sender still holds (claimed, not yet recorded). */
export const renewLeases = (db: Kysely<DB>, ids: number[], leaseUntil: string) =>
  db.updateTable('mail_outbox').set({ lease_until: leaseUntil }).where('id', 'in', ids).where('status', '=', 'sending').execute();

export const cancelQueuedFor = (db: Kysely<DB>, subscriptionId: number, reason: string) =>
  db.updateTable('mail_outbox').set({ status: 'cancelled', last_error: reason, lease_until: null }).where('subscription_id', '=', subscriptionId).where('status', '=', 'queued').execute();

export const nextDueAt = async (db: Kysely<DB>): Promise<string | undefined> =>
  (await db.selectFrom('mail_outbox').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('status', 'in', ['queued', 'sending']).executeTakeFirst())?.at ?? undefined;

/** The mail log: newest first, with the address it went (or goes) to. */
export const listLog = (db: Kysely<DB>, status: string | undefined, limit: number, offset: number) =>
  db
    .selectFrom('mail_outbox as o')
    .leftJoin('subscriptions as s', 's.id', 'o.subscription_id')
    .leftJoin('subscription_requests as r', 'r.id', 'o.request_id')
    .leftJoin('releases as rel', 'rel.id', 'o.release_id')
    .leftJoin('office_applications as app', 'app.id', 'o.application_id')
    .leftJoin('journalists as jn', 'jn.id', 'o.journalist_id')
    .select(['o.id', 'o.kind', 'o.status', 'o.attempts', 'o.last_error', 'o.created_at', 'o.sent_at', 'o.next_attempt_at', 'o.release_id', 'o.digest_run_id', 'rel.title as release_title'])
    .select((eb) => eb.fn.coalesce('s.email', 'r.email', 'o.email', 'app.email', 'jn.email').as('email'))
    .$if(status !== undefined, (q) => q.where('o.status', '=', status as 'queued'))
    .orderBy('o.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();

export const countByStatus = (db: Kysely<DB>) =>
  db.selectFrom('mail_outbox').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('status').execute();

// --- instant-notice fan-out ---

/** Releases public at `now`, published after `since`, whose fan-out has not finished (or not started). */
export const listReleasesToFanOut = async (db: Kysely<DB>, now: string, since: string): Promise<number[]> =>
  (
    await db
      .selectFrom('releases')
      .leftJoin('release_fanouts as f', 'f.release_id', 'releases.id')
      .select('releases.id')
      .where((eb) => isPublicAt(eb, now))
      .where('releases.published_at', '>', since)
      .where((eb) => eb.or([eb('f.release_id', 'is', null), eb('f.done_at', 'is', null)]))
      .orderBy('releases.published_at')
      .execute()
  ).map((r) => r.id);

export const findFanout = (db: Kysely<DB>, releaseId: number) => db.selectFrom('release_fanouts').selectAll().where('release_id', '=', releaseId).executeTakeFirst();

export const startFanout = (db: Kysely<DB>, releaseId: number, now: string) =>
  db.insertInto('release_fanouts').values({ release_id: releaseId, started_at: now }).onConflict((oc) => oc.doNothing()).execute();

export const maxSubscriptionId = async (db: Kysely<DB>): Promise<number> =>
  Number((await db.selectFrom('subscriptions').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);

/**
 * Queues the instant notice of one release for the subscriptions with id in (from, to] that follow
 * it: its office, one of its topics or regions, or a search in `searchValues` (the search targets
 * the search module found matching). ON CONFLICT DO NOTHING on the unique (release, subscription) index:
 * never two notices of one release to one subscriber.
 */
export const queueInstantBatch = async (db: Kysely<DB>, releaseId: number, from: number, to: number, now: string, searchValues: string[]): Promise<number> => {
  const search = searchValues.length > 0 ? sql`OR (t.kind = 'search' AND t.value IN (${sql.join(searchValues)}))` : sql``;
  const result = await sql`
    INSERT INTO mail_outbox (kind, subscription_id, release_id, status, attempts, next_attempt_at, created_at)
    SELECT 'instant', s.id, ${releaseId}, 'queued', 0, ${now}, ${now}
    FROM subscriptions s
    WHERE s.id > ${from} AND s.id <= ${to} AND s.status = 'active' AND s.frequency = 'immediately'
      AND EXISTS (
        SELECT 1 FROM subscription_targets t
        WHERE t.subscription_id = s.id AND (
          t.kind = 'all'
          OR (t.kind = 'office' AND t.value = (SELECT o.slug FROM releases r JOIN offices o ON o.id = r.office_id WHERE r.id = ${releaseId}))
          OR (t.kind = 'topic' AND t.value IN (SELECT tp.slug FROM release_topics rt JOIN topics tp ON tp.id = rt.topic_id WHERE rt.release_id = ${releaseId}))
          OR (t.kind = 'region' AND t.value IN (SELECT rg.slug FROM release_regions rr JOIN regions rg ON rg.id = rr.region_id WHERE rr.release_id = ${releaseId}))
          ${search}
        )
      )
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
};

export const advanceFanout = (db: Kysely<DB>, releaseId: number, cursor: number, queued: number, doneAt: string | null) =>
  db
    .updateTable('release_fanouts')
    .set((eb) => ({ cursor, queued: eb('queued', '+', queued), done_at: doneAt }))
    .where('release_id', '=', releaseId)
    .execute();

export const listSearchTargetValues = async (db: Kysely<DB>): Promise<string[]> =>
  (await db.selectFrom('subscription_targets').select('value').distinct().where('kind', '=', 'search').execute()).map((r) => r.value);

// --- digests ---

export const findDigestRun = (db: Kysely<DB>, periodKey: string) => db.selectFrom('digest_runs').selectAll().where('period_key', '=', periodKey).executeTakeFirst();

export const findDigestRunById = (db: Kysely<DB>, id: number) => db.selectFrom('digest_runs').selectAll().where('id', '=', id).executeTakeFirst();

export const findLastDigestRun = (db: Kysely<DB>, frequency: 'daily' | 'weekly') =>
  db.selectFrom('digest_runs').selectAll().where('frequency', '=', frequency).orderBy('window_end', 'desc').limit(1).executeTakeFirst();

/** Digest runs not finished yet (oldest first): new ones, and one a crash cut short. */
export const listUnfinishedDigestRuns = (db: Kysely<DB>) => db.selectFrom('digest_runs').selectAll().where('done_at', 'is', null).orderBy('window_end').execute();

/** Creates the run of a period unless another process just did (unique period key). */
export const insertDigestRunOnce = (db: Kysely<DB>, values: NewRow<'digest_runs'>) =>
  db.insertInto('digest_runs').values(values).onConflict((oc) => oc.doNothing()).execute();

export const advanceDigestRun = (db: Kysely<DB>, id: number, cursor: number, queued: number, doneAt: string | null) =>
  db
    .updateTable('digest_runs')
    .set((eb) => ({ cursor, queued: eb('queued', '+', queued), done_at: doneAt }))
    .where('id', '=', id)
    .execute();

/** A release of a digest's window, with the slugs it can be followed by. */
export interface WindowRelease {
  id: number;
  office_slug: string;
  office_name: string;
  topic_slugs: string;
  region_slugs: string;
}

/** Releases public at `now` and published in (start, end], by office name, newest first within an office. */
/** The topics and regions of a digest window's release, as space-separated slugs (what subscriptions follow). */
const windowTerms = (dialect: Dialect) =>
  [
    sql<string>`coalesce((select ${joinedText(dialect, sql.ref('tp.slug'), ' ')} from release_topics rt join topics tp on tp.id = rt.topic_id where rt.release_id = releases.id), '')`.as('topic_slugs'),
    sql<string>`coalesce((select ${joinedText(dialect, sql.ref('rg.slug'), ' ')} from release_regions rr join regions rg on rg.id = rr.region_id where rr.release_id = releases.id), '')`.as('region_slugs'),
  ] as const;

export const listWindowReleases = (db: Kysely<DB>, start: string, end: string, now: string): Promise<WindowRelease[]> =>
  db
    .selectFrom('releases')
    .innerJoin('offices as o', 'o.id', 'releases.office_id')
    .where((eb) => isPublicAt(eb, now))
    .where('releases.published_at', '>', start)
    .where('releases.published_at', '<=', end)
    .select(['releases.id', 'o.slug as office_slug', 'o.name as office_name'])
    .select(windowTerms(dialectOf(db)))
    .orderBy('o.name')
    .orderBy('releases.published_at', 'desc')
    .orderBy('releases.id', 'desc')
    .execute();

/**
 * Releases published before a digest's window (so an earlier digest may have carried them) that
 * were corrected or withdrawn within it: the digest says so. Same shape as the window's releases.
 */
export const listWindowChanges = (db: Kysely<DB>, start: string, end: string, now: string): Promise<WindowRelease[]> =>
  db
    .selectFrom('releases')
    .innerJoin('offices as o', 'o.id', 'releases.office_id')
    .where((eb) => hasPublicPageAt(eb, now))
    .where('releases.published_at', '<=', start)
    .where((eb) =>
      eb.or([
        eb.and([eb('releases.status', '=', 'withdrawn'), eb('releases.withdrawn_at', '>', start), eb('releases.withdrawn_at', '<=', end)]),
        eb.exists(eb.selectFrom('release_revisions as v').select('v.id').whereRef('v.release_id', '=', 'releases.id').where('v.created_at', '>', start).where('v.created_at', '<=', end)),
      ]),
    )
    .select(['releases.id', 'o.slug as office_slug', 'o.name as office_name'])
    .select(windowTerms(dialectOf(db)))
    .orderBy('o.name')
    .orderBy('releases.published_at', 'desc')
    .orderBy('releases.id', 'desc')
    .execute();

/**
 * Records the digest deliveries of subscriptions with id in (from, to] of `frequency` that follow
 * something in `match`, and queues one outbox row for each. Both inserts ignore rows that exist
 * (unique (run, subscription)), so a re-run never queues twice.
 */
export const queueDigestBatch = async (
  db: Kysely<DB>,
  runId: number,
  frequency: 'daily' | 'weekly',
  from: number,
  to: number,
  now: string,
  match: { office: string[]; topic: string[]; region: string[]; search: string[] },
): Promise<number> => {
  const parts = (['office', 'topic', 'region', 'search'] as const)
    .filter((k) => match[k].length > 0)
    .map((k) => sql`(t.kind = ${k} AND t.value IN (${sql.join(match[k])}))`);
  if (parts.length === 0) return 0;
  // Every release of the window is news to a subscription that follows all of them.
  parts.push(sql`t.kind = 'all'`);
  const inserted = await sql`
    INSERT INTO digest_deliveries (digest_run_id, subscription_id)
    SELECT ${runId}, s.id FROM subscriptions s
    WHERE s.id > ${from} AND s.id <= ${to} AND s.status = 'active' AND s.frequency = ${frequency}
      AND EXISTS (SELECT 1 FROM subscription_targets t WHERE t.subscription_id = s.id AND (${sql.join(parts, sql` OR `)}))
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO mail_outbox (kind, subscription_id, digest_run_id, status, attempts, next_attempt_at, created_at)
    SELECT 'digest', d.subscription_id, d.digest_run_id, 'queued', 0, ${now}, ${now}
    FROM digest_deliveries d WHERE d.digest_run_id = ${runId} AND d.outbox_id IS NULL AND d.subscription_id > ${from} AND d.subscription_id <= ${to}
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    UPDATE digest_deliveries SET outbox_id = (SELECT o.id FROM mail_outbox o WHERE o.kind = 'digest' AND o.digest_run_id = digest_deliveries.digest_run_id AND o.subscription_id = digest_deliveries.subscription_id)
    WHERE digest_run_id = ${runId} AND outbox_id IS NULL AND subscription_id > ${from} AND subscription_id <= ${to}`.execute(db);
  return Number(inserted.numAffectedRows ?? 0);
};

// --- correction notices ---

/**
 * Queues the correction notice (`corrected`, naming the release's newest correction) or the
 * withdrawal notice (`withdrawn`) of a release for every active subscription that was sent its
 * instant notice, in the transaction of the change (services.ts passes it to the releases service's
 * `announce`). Only rows the outbox records as `sent` count: a notice still queued goes out with the
 * corrected text anyway, and one never sent announces nothing to correct. ON CONFLICT DO NOTHING on the
 * unique indexes (release, subscription, revision) and (release, subscription): never twice.
 */
export const queueChangeNotices = async (db: Kysely<DB>, releaseId: number, change: 'published' | 'corrected' | 'withdrawn', now: string): Promise<number> => {
  if (change === 'published') return 0;
  const kind = change === 'corrected' ? 'correction' : 'withdrawal';
  const revision = change === 'corrected' ? sql`(SELECT max(v.id) FROM release_revisions v WHERE v.release_id = ${releaseId})` : sql`NULL`;
  const result = await sql`
    INSERT INTO mail_outbox (kind, subscription_id, release_id, revision_id, status, attempts, next_attempt_at, created_at)
    SELECT ${kind}, o.subscription_id, o.release_id, ${revision}, 'queued', 0, ${now}, ${now}
    FROM mail_outbox o JOIN subscriptions s ON s.id = o.subscription_id
    WHERE o.kind = 'instant' AND o.release_id = ${releaseId} AND o.status = 'sent' AND s.status = 'active'
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
};

/** A correction (a row of the revision history: the text before it) and the text after it: the next revision's, or null when it is the newest. */
export const findRevisionChange = async (db: Kysely<DB>, revisionId: number) => {
  const before = await db.selectFrom('release_revisions').select(['id', 'release_id', 'created_at', 'title', 'subtitle', 'dateline', 'body_markdown', 'file_changes_json']).where('id', '=', revisionId).executeTakeFirst();
  if (!before) return undefined;
  const after = await db
    .selectFrom('release_revisions')
    .select(['title', 'subtitle', 'dateline', 'body_markdown'])
    .where('release_id', '=', before.release_id)
    .where('id', '>', before.id)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return { before, after: after ?? null };
};
