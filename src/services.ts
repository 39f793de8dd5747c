// Builds every service once, for the server (app.ts), the CLI and the jobs.
import type { Kysely } from 'kysely';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createEventBus, type EventBus } from './lib/events.ts';
import { createReleasesService, type ReleasesService } from './modules/releases/releases.service.ts';
import { createOfficesService, type OfficesService } from './modules/offices/offices.service.ts';
import { createTaxonomiesService, type TaxonomiesService } from './modules/taxonomies/taxonomies.service.ts';
import type { Mailer } from './modules/mail/mailer.ts';
import { createAuthService, type AuthService } from './modules/auth/auth.service.ts';
import { createAuditService, type AuditService } from './modules/audit/audit.service.ts';
import { createMemoryMailer } from './modules/mail/memory-mailer.ts';

export interface Services {
  releases: ReleasesService;
  offices: OfficesService;
  taxonomies: TaxonomiesService;
  events: EventBus;
  clock: Clock;
  mailer: Mailer;
  auth: AuthService;
  audit: AuditService;
}

export interface ServiceDeps {
  db: Kysely<DB>;
  clock?: Clock;
  /** Defaults to an in-memory mailer (tests, CLI commands that send nothing). */
  mailer?: Mailer;
  onListenerError?: (e: unknown) => void;
  /** Cheaper password hashing for tests; production uses the strong defaults. */
  scryptParams?: { N: number; r: number; p: number };
}

export const createServices = ({ db, clock = systemClock, mailer = createMemoryMailer(), onListenerError, scryptParams }: ServiceDeps): Services => {
  const events = createEventBus(onListenerError);
  const audit = createAuditService({ db, clock });
  return {
    releases: createReleasesService({ db, clock, events, audit }),
    offices: createOfficesService({ db, clock, audit }),
    taxonomies: createTaxonomiesService({ db, clock }),
    events,
    clock,
    mailer,
    auth: createAuthService({ db, clock, ...(scryptParams ? { scryptParams } : {}) }),
    audit,
  };
};

