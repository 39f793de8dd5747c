// The audit log: who created, published, scheduled, corrected, withdrew or deleted what, and when.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import * as repo from './audit.repository.ts';

export const AUDIT_ACTIONS = [
  'release.created',
  'release.updated',
  'release.published',
  'release.scheduled',
  'release.unscheduled',
  'release.corrected',
  'release.withdrawn',
  'release.deleted',
  'photo.added',
  'photo.updated',
  'photo.removed',
  'attachment.added',
  'office.updated',
  'office.logo',
  'contact.saved',
  'contact.removed',
  'member.invited',
  // Webhook endpoints: an office's, or (office_id null) the platform's.
  'webhook.added',
  'webhook.rotated',
  'webhook.enabled',
  'webhook.disabled',
  'webhook.removed',
  'office.federation',
  'office.signing-key',
  // The platform admins' changes, which belong to no office (office_id null).
  'topic.added',
  'topic.renamed',
  'topic.merged',
  'topic.removed',
  'region.added',
  'region.renamed',
  'region.merged',
  'region.removed',
  'legal.updated',
  'application.accepted',
  'application.declined',
  // Journalists' accreditations: an office's (office_id), or the platform-wide one (office_id null).
  'accreditation.requested',
  'accreditation.accepted',
  'accreditation.refused',
  'accreditation.revoked',
  // A journalist's own account (officeId null, and each office they were accredited with on deletion).
  'journalist.address-changed',
  'journalist.deleted',
  // Embargoed pre-releases (modules/prereleases): sent to journalists, one removed, withdrawn from all.
  'prerelease.sent',
  'prerelease.removed',
  'prerelease.withdrawn',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface Actor {
  id: number;
  email: string;
}

export interface AuditEntry {
  /** Null for a platform admin's change that belongs to no office. */
  officeId: number | null;
  actor: Actor | null;
  /** Who acted when it was not a user (actor null): a journalist's address, or `CLI`. */
  byName?: string;
  action: AuditAction;
  releaseId?: number | null;
  subject?: string;
  detail?: string;
}

export const createAuditService = ({ db, clock }: { db: Kysely<DB>; clock: Clock }) => ({
  /** Records one event; pass the transaction to record it with the change it describes. */
  async record(entry: AuditEntry, executor: Kysely<DB> = db): Promise<void> {
    await repo.insertAuditEvent(executor, {
      office_id: entry.officeId,
      user_id: entry.actor?.id ?? null,
      user_email: entry.actor?.email ?? entry.byName ?? '',
      action: entry.action,
      release_id: entry.releaseId ?? null,
      subject: (entry.subject ?? '').slice(0, 300),
      detail: (entry.detail ?? '').slice(0, 1000),
      created_at: clock.now().toISOString(),
    });
  },

  /** One page of an office's log, or of the platform's (officeId null), newest first. */
  async list(officeId: number | null, page: number, perPage = 50) {
    const total = await repo.countAuditEvents(db, officeId);
    const rows = await repo.listAuditEvents(db, officeId, perPage, (page - 1) * perPage);
    return {
      total,
      pages: Math.max(1, Math.ceil(total / perPage)),
      page,
      items: rows.map((r) => ({ at: r.created_at, userEmail: r.user_email, action: r.action as AuditAction, releaseId: r.release_id, subject: r.subject, detail: r.detail })),
    };
  },
});

export type AuditService = ReturnType<typeof createAuditService>;
