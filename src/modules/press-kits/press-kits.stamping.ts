// Stamping off the request path: after a release goes public or is corrected, the `stamp-press-kits`
// job (jobs/schedule.ts) writes the release's words into its photos (press-kits.service.ts `stamp`)
// and records the public version it stamped (press_kit_stamps), so the first view of the release
// page and the first download find the files ready. Its sweep, every SWEEP_EVERY_MS and at the first
// run after a start, removes the folders of releases withdrawn or deleted, and takes the public
// releases with photos whose present version has no stamp (a change made by another process, a
// stamping that failed, releases public before this job) and those whose folder is gone. The
// request path is unchanged: it serves the stamped files of releases public now and stamps on
// demand whatever is still missing.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ReleaseView } from '../../content/release-view.ts';
import type { Release } from '../releases/release.ts';
import { ExiftoolMissingError } from './press-kits.metadata.ts';
import * as repo from './press-kits.repository.ts';
import type { PressKitService } from './press-kits.service.ts';

/** How often the job also sweeps for releases without a current stamp. */
export const SWEEP_EVERY_MS = 15 * 60_000;
/** Releases stamped per sweep; a full batch sweeps again at the job's next run. */
const BATCH = 100;
/**
 * Releases per exiftool run: starting exiftool (Perl) costs about as much as stamping a dozen
 * photos, so a sweep after a restore or an upgrade stamps many at once; few enough that one run
 * stays short and a failing photo costs little to find.
 */
const PER_RUN = 20;

export interface PressKitStampingDeps {
  db: Kysely<DB>;
  clock: Clock;
  pressKits: PressKitService;
  /** The release if it is public now (releases.service `findPublicNow`). */
  findPublicNow(id: number): Promise<Release | undefined>;
  /** Which of these releases exist and are not withdrawn (releases.service `unwithdrawnAmong`). */
  unwithdrawnAmong(ids: readonly number[]): Promise<ReadonlySet<number>>;
  /** Its public view (the presenter). */
  present(release: Release): ReleaseView;
  log: { error(obj: object, msg: string): void };
}

export interface PressKitStamping {
  /** A release went public or was corrected: stamp it at the job's next run (the scheduler runs it at once). */
  note(releaseId: number): void;
  /** Stamps the noted releases and, when the sweep is due, those without a current stamp. */
  run(): Promise<{ stamped: number; swept: boolean; removed: number; exiftoolMissing: boolean }>;
}

export const createPressKitStamping = ({ db, clock, pressKits, findPublicNow, unwithdrawnAmong, present, log }: PressKitStampingDeps): PressKitStamping => {
  const noted = new Set<number>();
  let lastSweep = Number.NEGATIVE_INFINITY;
  return {
    note(releaseId) {
      noted.add(releaseId);
    },
    async run() {
      const ids = new Set(noted);
      noted.clear();
      const now = clock.now();
      const swept = now.getTime() - lastSweep >= SWEEP_EVERY_MS;
      let full = false;
      let removed = 0;
      if (swept) {
        lastSweep = now.getTime();
        // Files of releases withdrawn or deleted go. Not before the server listens: at 100,000
        // releases asking after every folder held its start up half a second. A failure here
        // (the folder unreadable) keeps neither the noted releases nor the sweep from stamping.
        try {
          removed = (await pressKits.sweep(unwithdrawnAmong)).length;
        } catch (error) {
          log.error({ event: 'press-kit.sweep.failed', err: error }, 'removing the press kit files of withdrawn releases failed; the next sweep tries again');
        }
        // Stamped files that are gone (the folder removed by hand, a restored backup without it): stamp again.
        const folders = await pressKits.folders();
        await repo.deleteStamps(db, (await repo.listStampedReleaseIds(db)).filter((id) => !folders.has(id)));
        const pending = await repo.listUnstampedReleaseIds(db, now.toISOString(), BATCH);
        full = pending.length === BATCH;
        for (const id of pending) ids.add(id);
      }
      let stamped = 0;
      let failed = false;
      const failedOne = (error: unknown, releaseId: number) => {
        failed = true;
        log.error({ event: 'press-kit.stamp.failed', err: error, releaseId }, 'stamping the photos of a release failed; its page stamps them on demand, the sweep tries again');
      };
      const done = async (view: ReleaseView) => {
        await repo.upsertStamp(db, view.id, view.updatedAt, clock.now().toISOString());
        stamped++;
      };
      const list = [...ids];
      for (let i = 0; i < list.length; i += PER_RUN) {
        // Between runs of exiftool, the requests waiting (exiftool runs outside, the database calls do not).
        await new Promise((resolve) => setImmediate(resolve));
        const items: { release: Release; view: ReleaseView }[] = [];
        for (const id of list.slice(i, i + PER_RUN)) {
          const release = await findPublicNow(id);
          // Gone from the public, or nothing to stamp (the sweep does not ask for a release without photos).
          if (release && release.photos.some((p) => p.path)) items.push({ release, view: present(release) });
        }
        if (items.length === 0) continue;
        try {
          await pressKits.stampMany(items);
          for (const { view } of items) await done(view);
          continue;
        } catch (error) {
          if (error instanceof ExiftoolMissingError) return { stamped, swept, removed, exiftoolMissing: true };
          if (items.length === 1) {
            failedOne(error, items[0]!.view.id);
            continue;
          }
        }
        // One photo exiftool cannot read fails the whole run: one release at a time finds it, and the others are stamped.
        for (const { release, view } of items) {
          try {
            await pressKits.stamp(release, view);
            await done(view);
          } catch (error) {
            if (error instanceof ExiftoolMissingError) return { stamped, swept, removed, exiftoolMissing: true };
            failedOne(error, view.id);
          }
        }
      }
      // More were waiting than one batch: the next run sweeps on (unless stamping fails, which waits for the next sweep).
      if (full && !failed) lastSweep = Number.NEGATIVE_INFINITY;
      return { stamped, swept, removed, exiftoolMissing: false };
    },
  };
};
