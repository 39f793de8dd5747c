// The mail service: everything that leaves as mail goes through the outbox table. A publish
// request or a sign-up only inserts rows; the sender loop (started by the scheduler in serve.ts)
// sends them. This file puts together the three parts, each in its own file: composing a message
// (mail.compose.ts), queueing instant notices and digests (mail.fanout.ts) and sending
// (mail.sender.ts); and it reads the mail log and the .eml files for the admin pages.
// See CONTEXT.md for the words used here.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { Urls } from '../../lib/urls.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import type { SubscriptionsService } from '../subscriptions/subscriptions.service.ts';
import type { Mailer } from './mailer.ts';
import { mailDir } from './file-mailer.ts';
import { createComposer, type Composers, type SearchMatcher } from './mail.compose.ts';
import { createFanOut } from './mail.fanout.ts';
import { createSender } from './mail.sender.ts';
import * as outbox from './outbox.repository.ts';
import type { AccountLinks } from '../auth/auth.service.ts';

export type { SearchMatcher };
export type { SendReport } from './mail.sender.ts';

export interface MailServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  config: Config;
  urls: Urls;
  mailer: Mailer;
  events: EventBus;
  releases: ReleasesService;
  subscriptions: SubscriptionsService;
  searchMatcher?: SearchMatcher;
  /** Mails of other modules in the outbox (applications to join), composed by them, by kind. */
  composers?: Composers;
  /** Makes the one-time links of password-reset and invitation mails (the auth module). */
  accountLinks?: AccountLinks;
}

export const createMailService = ({ db, clock, config, urls, mailer, events, releases, subscriptions, searchMatcher, composers, accountLinks }: MailServiceDeps) => {
  const composer = createComposer({ db, clock, config, urls, releases, subscriptions, searchMatcher, composers, accountLinks });
  const fanOut = createFanOut({ db, clock, config, events, releases, searchMatcher });
  const sender = createSender({ db, clock, mailer, composer, retryAfterMs: config.mailRetryAfterMs });
  return {
    fanOut: fanOut.fanOut,
    runDigests: fanOut.runDigests,
    sendDue: sender.sendDue,
    nextDueAt: sender.nextDueAt,

    /** The mail log for the admin area: newest first, with counts per status. */
    async log({ status, page = 1, perPage = 50 }: { status?: string; page?: number; perPage?: number } = {}) {
      const valid = ['queued', 'sending', 'sent', 'failed', 'cancelled'].includes(status ?? '') ? status : undefined;
      const [rows, counts] = await Promise.all([outbox.listLog(db, valid, perPage, (page - 1) * perPage), outbox.countByStatus(db)]);
      return { rows, counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Record<string, number>, status: valid ?? null, page };
    },

    /** The .eml files the file mailer wrote (newest first); empty with another mailer. */
    async listMailFiles(limit = 200): Promise<{ name: string; size: number; modifiedAt: string }[]> {
      const dir = mailDir(config.dataDir);
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.eml'));
      } catch {
        return [];
      }
      names.sort().reverse();
      return Promise.all(
        names.slice(0, limit).map(async (name) => {
          const s = await stat(path.join(dir, name));
          return { name, size: s.size, modifiedAt: s.mtime.toISOString() };
        }),
      );
    },

    /** One .eml file's text, by its bare name; undefined for anything else. */
    async readMailFile(name: string): Promise<string | undefined> {
      if (!/^[\w.-]+\.eml$/.test(name) || name.includes('..')) return undefined;
      try {
        return await readFile(path.join(mailDir(config.dataDir), name), 'utf8');
      } catch {
        return undefined;
      }
    },

    mailerKind: () => mailer.kind,
  };
};

export type MailService = ReturnType<typeof createMailService>;
