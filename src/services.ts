// Builds every service once, for the server (app.ts), the CLI and the jobs.
import type { Kysely } from 'kysely';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createEventBus, type EventBus } from './lib/events.ts';
import { createReleasesService, type ReleasesService } from './modules/releases/releases.service.ts';
import { createOfficesService, type OfficesService } from './modules/offices/offices.service.ts';
import { createTaxonomiesService, type TaxonomiesService } from './modules/taxonomies/taxonomies.service.ts';

export interface Services {
  releases: ReleasesService;
  offices: OfficesService;
  taxonomies: TaxonomiesService;
  events: EventBus;
  clock: Clock;
}

export const createServices = ({ db, clock = systemClock, onListenerError }: { db: Kysely<DB>; clock?: Clock; onListenerError?: (e: unknown) => void }): Services => {
  const events = createEventBus(onListenerError);
  return {
    releases: createReleasesService({ db, clock, events }),
    offices: createOfficesService({ db, clock }),
    taxonomies: createTaxonomiesService({ db, clock }),
    events,
    clock,
  };
};

