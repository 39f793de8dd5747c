// Embargoed pre-releases (see CONTEXT.md): an office sends a scheduled release ahead of its time to
// accredited journalists, each through a personal link. The rules live here: who may receive it,
// when a link works, what ends it and who is told. The release itself stays *scheduled* — not
// public anywhere (releases/release.ts `isPublicAt`) — until its time; only the personal link shows it.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { ConflictError, ValidationError } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/audit.service.ts';
import { isPublic, type Release } from '../releases/release.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import * as repo from './prereleases.repository.ts';

export type { AccreditedJournalist, EventKind } from './prereleases.repository.ts';

/** A personal link's token: 32 random bytes, base64url. Only its SHA-256 is stored. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whether a release is *embargoed*: scheduled, its time still to come. */
export const isEmbargoed = (release: Pick<Release, 'status' | 'publishedAt'>, now: string): boolean =>
  release.status === 'scheduled' && release.publishedAt !== null && !isPublic({ status: release.status, published_at: release.publishedAt }, now);

/** „Name (Medium)“: how every copy names its recipient. */
export const recipientLine = (r: { name: string; medium: string }): string => (r.medium.trim() ? `${r.name.trim()} (${r.medium.trim()})` : r.name.trim());

/** What a personal link leads to. */
export type LinkState =
  | { state: 'unknown' }
  | { state: 'revoked'; recipient: repo.RecipientRow }
  | { state: 'public'; release: Release }
  | { state: 'embargoed'; recipient: repo.RecipientRow; release: Release };

export interface PrereleasesServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  events: EventBus;
  audit: AuditService;
  releases: Pick<ReleasesService, 'findById'>;
}

export const createPrereleasesService = ({ db, clock, events, audit, releases }: PrereleasesServiceDeps) => {
  const nowIso = () => clock.now().toISOString();

  /** Ends a recipient's link and tells them, when their mail went out; otherwise the mail is not sent. */
  const revoke = async (trx: Kysely<DB>, recipient: repo.RecipientRow, reason: 'removed' | 'cancelled' | 'withdrawn', now: string): Promise<void> => {
    await repo.updateRecipient(trx, recipient.id, { revoked_at: now, revoked_reason: reason });
    if (await repo.wasSent(trx, recipient.id)) await repo.queueChangeMail(trx, recipient.id, reason === 'cancelled' ? 'cancelled' : 'withdrawn', now);
    else await repo.cancelQueuedMail(trx, recipient.id, `pre-release ${reason}`);
  };

  const requireEmbargoed = (release: Release) => {
    if (!isEmbargoed(release, nowIso())) throw new ConflictError('Only a scheduled release before its time can be sent under embargo');
  };

  const service = {
    /** The accredited journalists of the office, each marked when release `releaseId` was already sent to them. */
    async candidates(officeId: number, releaseId: number) {
      const [journalists, recipients] = await Promise.all([repo.listAccreditedJournalists(db, officeId), repo.listRecipientsOfRelease(db, releaseId)]);
      const sent = new Set(recipients.filter((r) => r.revoked_at === null).map((r) => r.journalist_id));
      return journalists.map((j) => ({ ...j, recipient: sent.has(j.id) }));
    },

    /**
     * Sends release `release` under embargo to the office's accredited journalists: all of them
     * (`'all'`) or those chosen; who has it already is left out, and one whose link was revoked gets
     * a new one. One transaction: recipients, their mails (outbox), the audit entry. Returns how many
     * were added.
     */
    async send(release: Release, chosen: 'all' | number[], actor?: Actor): Promise<number> {
      requireEmbargoed(release);
      const now = nowIso();
      const accredited = await repo.listAccreditedJournalists(db, release.office.id);
      const wanted = chosen === 'all' ? accredited : accredited.filter((j) => chosen.includes(j.id));
      if (chosen !== 'all' && (chosen.length === 0 || wanted.length !== new Set(chosen).size)) throw new ValidationError('Choose accredited journalists', { journalists: chosen.length === 0 ? 'required' : 'unknown' });
      const added = await db.transaction().execute(async (trx) => {
        const existing = new Map((await repo.listRecipientsOfRelease(trx, release.id)).map((r) => [r.journalist_id, r]));
        let count = 0;
        for (const j of wanted) {
          const before = existing.get(j.id);
          if (before && before.revoked_at === null) continue;
          const snapshot = { title: release.title, name: j.name, medium: j.medium, email: j.email, lang: j.lang, embargo_at: release.publishedAt!, created_at: now };
          if (before) {
            // Sent again after a revocation: a new row, so the new mail and link are new; the old row keeps its history.
            await repo.updateRecipient(trx, before.id, { journalist_id: null });
          }
          const id = await repo.insertRecipient(trx, { release_id: release.id, office_id: release.office.id, journalist_id: j.id, ...snapshot });
          if (id === undefined) continue;
          await repo.queuePrereleaseMail(trx, id, release.id, now);
          count++;
        }
        if (count > 0 && actor) await audit.record({ officeId: release.office.id, actor, action: 'prerelease.sent', releaseId: release.id, subject: release.title, detail: String(count) }, trx);
        return count;
      });
      if (added > 0) events.emit('mail.queued', { count: added });
      return added;
    },

    /** Ends one recipient's link (the office removed them); they are told when their mail went out. */
    async remove(release: Release, recipientId: number, actor?: Actor): Promise<void> {
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        const recipient = await repo.findRecipientById(trx, recipientId);
        if (!recipient || recipient.release_id !== release.id || recipient.revoked_at !== null) throw new ConflictError('No such recipient');
        await revoke(trx, recipient, 'removed', now);
        if (actor) await audit.record({ officeId: release.office.id, actor, action: 'prerelease.removed', releaseId: release.id, subject: release.title, detail: recipientLine(recipient) }, trx);
      });
      events.emit('mail.queued', { count: 1 });
    },

    /** Withdraws the pre-release from everyone who has it; they are told. The release stays scheduled. */
    async withdraw(release: Release, actor?: Actor): Promise<number> {
      const now = nowIso();
      const count = await db.transaction().execute(async (trx) => {
        const active = (await repo.listRecipientsOfRelease(trx, release.id)).filter((r) => r.revoked_at === null);
        for (const r of active) await revoke(trx, r, 'withdrawn', now);
        if (active.length > 0 && actor) await audit.record({ officeId: release.office.id, actor, action: 'prerelease.withdrawn', releaseId: release.id, subject: release.title, detail: String(active.length) }, trx);
        return active.length;
      });
      if (count > 0) events.emit('mail.queued', { count });
      return count;
    },

    /**
     * Keeps the recipients of release `releaseId` in step with it, in the transaction of a change
     * (services.ts hands it to the releases service): a new embargo time is mailed to everyone who
     * got the pre-release (once per time: unique change key); publishing it before the time they
     * were told ends the embargo early and says so, with the public page (once: change key
     * `published`); taking it back to draft, deleting it or withdrawing it ends every link and says
     * so. Published at its time, nobody is mailed. Idempotent.
     */
    async reconcile(trx: Kysely<DB>, releaseId: number, now: string): Promise<void> {
      const recipients = (await repo.listRecipientsOfRelease(trx, releaseId)).filter((r) => r.revoked_at === null);
      if (recipients.length === 0) return;
      const row = await trx.selectFrom('releases').select(['status', 'published_at', 'title']).where('id', '=', releaseId).executeTakeFirst();
      if (row) for (const r of recipients) if (r.title !== row.title) await repo.updateRecipient(trx, r.id, { title: row.title });
      for (const r of recipients) {
        if (!row || row.status === 'draft') await revoke(trx, r, 'cancelled', now);
        else if (row.status === 'withdrawn') await revoke(trx, r, 'withdrawn', now);
        else if (isPublic(row, now) && row.published_at! < r.embargo_at) {
          // Published before the embargo the recipient was told: it ends now. The link stays (it leads to the public page).
          if (await repo.wasSent(trx, r.id)) await repo.queueChangeMail(trx, r.id, 'published', now);
          await repo.updateRecipient(trx, r.id, { embargo_at: row.published_at! });
        }
        else if (row.status === 'scheduled' && row.published_at && row.published_at !== r.embargo_at && !isPublic(row, now)) {
          await repo.updateRecipient(trx, r.id, { embargo_at: row.published_at });
          if (await repo.wasSent(trx, r.id)) await repo.queueChangeMail(trx, r.id, `moved:${row.published_at}`, now);
        }
      }
    },

    /** What a personal link leads to now. A token of the wrong shape is unknown without a query. */
    async resolve(token: string): Promise<LinkState> {
      if (!TOKEN.test(token)) return { state: 'unknown' };
      const recipient = await repo.findRecipientByTokenHash(db, hashToken(token));
      if (!recipient) return { state: 'unknown' };
      const release = recipient.release_id === null ? undefined : await releases.findById(recipient.release_id);
      if (!release || recipient.revoked_at !== null) return { state: 'revoked', recipient };
      const now = nowIso();
      if (isPublic({ status: release.status, published_at: release.publishedAt }, now)) return { state: 'public', release };
      if (!isEmbargoed(release, now)) return { state: 'revoked', recipient };
      return { state: 'embargoed', recipient, release };
    },

    /** Records what a recipient did: opened the page (counted on the row too) or downloaded something. */
    async record(recipientId: number, kind: repo.EventKind, detail = ''): Promise<void> {
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        if (kind === 'opened') await repo.recordOpen(trx, recipientId, now);
        await repo.insertEvent(trx, { recipient_id: recipientId, kind, detail: detail.slice(0, 300), at: now });
      });
    },

    /** The recipients of a release for its office: who got it, when they opened it, what they downloaded. */
    async recipientsOf(releaseId: number) {
      const [recipients, events] = await Promise.all([repo.listRecipientsOfRelease(db, releaseId), repo.listEventsOfRelease(db, releaseId)]);
      return recipients.map((r) => ({
        id: r.id,
        name: r.name,
        medium: r.medium,
        email: r.email,
        createdAt: r.created_at,
        sentAt: r.sent_at,
        firstOpenedAt: r.first_opened_at,
        lastOpenedAt: r.last_opened_at,
        openCount: r.open_count,
        revokedAt: r.revoked_at,
        revokedReason: r.revoked_reason,
        downloads: events.filter((e) => e.recipient_id === r.id && e.kind !== 'opened').map((e) => ({ kind: e.kind, detail: e.detail, at: e.at })),
      }));
    },

    /**
     * Makes a recipient's personal link when their mail is sent (mail composer): a new token, whose
     * hash replaces the one before, so a retried mail's link is the one that works. Undefined when
     * the recipient may not have one any more.
     */
    async mintLink(recipientId: number): Promise<{ token: string; recipient: repo.RecipientRow; release: Release } | undefined> {
      const recipient = await repo.findRecipientById(db, recipientId);
      if (!recipient || recipient.revoked_at !== null || recipient.release_id === null) return undefined;
      const release = await releases.findById(recipient.release_id);
      if (!release || !isEmbargoed(release, nowIso())) return undefined;
      const token = randomBytes(32).toString('base64url');
      await repo.updateRecipient(db, recipient.id, { token_hash: hashToken(token), sent_at: nowIso() });
      return { token, recipient, release };
    },

    findRecipient: (id: number) => repo.findRecipientById(db, id),

    /** In the transaction deleting a journalist (journalists service `onDelete`): see repository `forgetJournalist`. */
    forgetJournalist: (trx: Kysely<DB>, journalistId: number, now: string) => repo.forgetJournalist(trx, journalistId, now),
  };
  return service;
};

export type PrereleasesService = ReturnType<typeof createPrereleasesService>;
