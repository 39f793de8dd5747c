// The imprint (Impressum) and privacy notice (Datenschutzerklärung) written by platform admins:
// Markdown rendered and sanitised when saved, as release bodies are. Saving bumps the content
// version (the pages are page-cached) and is written to the platform's audit log.
import type { Kysely } from 'kysely';
import type { DB, LegalKind } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { renderMarkdown } from '../../content/markdown.ts';
import type { Actor, AuditService } from '../audit/audit.service.ts';
import * as repo from './legal.repository.ts';

export const LEGAL_KINDS: readonly LegalKind[] = ['imprint', 'privacy'];
export const LEGAL_MAX_LENGTH = 100_000;

export interface LegalPage {
  kind: LegalKind;
  bodyMarkdown: string;
  bodyHtml: SafeHtml;
  /** ISO time of the last change; '' while never written. */
  updatedAt: string;
}

export interface LegalServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit?: AuditService;
  contentChanged?: (trx: Kysely<DB>, now: string) => Promise<void>;
}

export const createLegalService = ({ db, clock, audit, contentChanged = async () => {} }: LegalServiceDeps) => ({
  /** The page as written; empty while nobody has written it. */
  async get(kind: LegalKind): Promise<LegalPage> {
    const row = await repo.findLegalPage(db, kind);
    return row ? { kind, bodyMarkdown: row.body_markdown, bodyHtml: trustHtml(row.body_html), updatedAt: row.updated_at } : { kind, bodyMarkdown: '', bodyHtml: trustHtml(''), updatedAt: '' };
  },

  async save(kind: LegalKind, markdown: string, actor?: Actor | null): Promise<void> {
    const text = markdown.replace(/\r\n/g, '\n').trim();
    if (text.length > LEGAL_MAX_LENGTH) throw new ValidationError('Too long', { [`${kind}Markdown`]: 'tooLong' });
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.upsertLegalPage(trx, { kind, body_markdown: text, body_html: renderMarkdown(text), updated_at: now });
      if (audit) await audit.record({ officeId: null, actor: actor ?? null, action: 'legal.updated', subject: kind === 'imprint' ? 'Impressum' : 'Datenschutz' }, trx);
      await contentChanged(trx, now);
    });
  },
});

export type LegalService = ReturnType<typeof createLegalService>;
