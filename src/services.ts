// Builds every service once, for the server (app.ts), the CLI and the jobs.
import type { Kysely } from 'kysely';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createEventBus, type EventBus } from './lib/events.ts';
import { createReleasesService, type ReleasesService } from './modules/releases/releases.service.ts';
import { createOfficesService, type OfficesService } from './modules/offices/offices.service.ts';
import { createTaxonomiesService, type TaxonomiesService } from './modules/taxonomies/taxonomies.service.ts';
import type { Mailer } from './modules/mail/mailer.ts';
import { createMemoryMailer } from './modules/mail/memory-mailer.ts';
import { createSearchService, type SearchService } from './modules/search/search.service.ts';

export interface Services {
  releases: ReleasesService;
  offices: OfficesService;
  taxonomies: TaxonomiesService;
  search: SearchService;
  events: EventBus;
  clock: Clock;
  mailer: Mailer;
}

export interface ServiceDeps {
  db: Kysely<DB>;
  clock?: Clock;
  /** Defaults to an in-memory mailer (tests, CLI commands that send nothing). */
  mailer?: Mailer;
  onListenerError?: (e: unknown) => void;
}

export const createServices = ({ db, clock = systemClock, mailer = createMemoryMailer(), onListenerError }: ServiceDeps): Services => {
  const events = createEventBus(onListenerError);
  const releases = createReleasesService({ db, clock, events });
  return {
    releases,
    offices: createOfficesService({ db, clock }),
    taxonomies: createTaxonomiesService({ db, clock }),
    search: createSearchService({ db, clock, releases }),
    events,
    clock,
    mailer,
  };
};

