// Runs the jobs of schedule.ts inside the server: each on its interval, never two runs of one job
// at once; `publish-scheduled` is also armed to the next due publication time, so an embargo lifts
// within a second of its time. Started by serve.ts only, so tests get no timers.
import type { FastifyBaseLogger } from 'fastify';
import { findJob, followUpJobs, jobs, releaseFollowUps, type JobContext } from './schedule.ts';
import { withJobLease } from './job-leases.ts';

/**
 * A run skipped because another process holds the job (job-leases.ts) does nothing: that process is
 * doing the work. It is tried once more after this long, so that a trigger
 * (a release going live, mail queued) that came while the other run had read its work is not lost.
 */
const HELD_RETRY_MS = 1_000;

const MAX_TIMER_MS = 2 ** 31 - 1;

export const startScheduler = (ctx: JobContext, log: FastifyBaseLogger) => {
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let dueTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const again = new Set<string>();
  const runJob = (name: string, retry = false): Promise<void> => {
    const existing = running.get(name);
    if (existing) {
      // Triggered while running: run once more afterwards, so the trigger is not lost.
      again.add(name);
      return existing;
    }
    const job = findJob(name)!;
    const finished = (ok: boolean) => ctx.services.jobRuns.record({ job: name, at: ctx.services.clock.now().toISOString(), ok });
    let held = false;
    const run = (job.perProcess ? job.run(ctx) : withJobLease(ctx.db, ctx.services.clock, name, (signal) => job.run({ ...ctx, signal }), { log }))
      .then((outcome) => {
        // Not this process's run: nothing to record in its health, once more a little later.
        if (outcome === undefined) {
          held = true;
          if (!retry && !stopped) setTimeout(() => void runJob(name, true), HELD_RETRY_MS).unref();
          return;
        }
        finished(true);
        if (outcome !== 'nothing due' && outcome !== 'checkpointed') log.info({ job: name, event: 'job.done' }, outcome);
      })
      .catch((err: unknown) => {
        finished(false);
        log.error({ err, job: name, event: 'job.failed' }, 'job failed');
      })
      .finally(() => {
        running.delete(name);
        // While another process publishes, not again at once (the due release is still listed until it commits).
        if (name === 'publish-scheduled') void armDueTimer(held ? HELD_RETRY_MS : 0);
        if (again.delete(name) && !stopped) void runJob(name);
        // What a job queued goes out at once (instant notices, activities).
        const next = followUpJobs[name];
        if (next && !stopped) void runJob(next);
      });
    running.set(name, run);
    return run;
  };

  const armDueTimer = async (atLeastMs = 0) => {
    if (stopped) return;
    clearTimeout(dueTimer);
    const next = await ctx.services.releases.nextScheduledAt().catch(() => undefined);
    if (!next || stopped) return;
    const delay = Math.min(Math.max(atLeastMs, Math.max(0, new Date(next).getTime() - ctx.services.clock.now().getTime()) + 50), MAX_TIMER_MS);
    dueTimer = setTimeout(() => void runJob('publish-scheduled'), delay);
    dueTimer.unref();
  };

  for (const job of jobs) {
    const timer = setInterval(() => void runJob(job.name), job.everyMs);
    timer.unref();
    timers.push(timer);
  }
  const offSchedule = ctx.services.events.on('schedule.changed', () => void armDueTimer());
  // Mail: a release going live in this process fans out at once; imports by the CLI (another
  // process) are caught by the mail-fanout sweep. Queued mail wakes the sender.
  const offRelease = ctx.services.events.on('release.changed', (e) => {
    // Deferred, so that the publishing request answers before any fan-out work starts.
    for (const followUp of releaseFollowUps) if (followUp.on.includes(e.change) && !stopped) setImmediate(() => void runJob(followUp.job));
    // Every public change was queued for webhooks in its transaction: deliver it now, after the answer.
    if (!stopped) setImmediate(() => void runJob('deliver-webhooks'));
  });
  const offWebhooks = ctx.services.events.on('webhooks.queued', () => {
    if (!stopped) setImmediate(() => void runJob('deliver-webhooks'));
  });
  const offMail = ctx.services.events.on('mail.queued', () => {
    if (!stopped) setImmediate(() => void runJob('send-mail'));
  });
  const offFederation = ctx.services.events.on('federation.queued', () => {
    if (!stopped) setImmediate(() => void runJob('federation-deliver'));
  });
  // The search index's partitions for this year and the next, before anything is published.
  void runJob('search-partitions');
  // Catch up at once: releases that fell due while the server was down go live now.
  void runJob('publish-scheduled');
  // Resume mail that was due when the server stopped (leases of a crashed run expire by themselves).
  void runJob('mail-fanout');
  void runJob('send-mail');
  // A digest that fell due while the server was down, or a run a crash cut short, goes on now,
  // not at the next minute's sweep.
  void runJob('send-digests');
  void runJob('deliver-webhooks');
  // Sign what is unsigned, and resume federation deliveries that were due when the server stopped.
  void runJob('sign-releases');
  void runJob('federation-announce');
  // Stamp the photos of releases that went public or changed while the server was down (its sweep).
  void runJob('stamp-press-kits');

  return {
    /** Stops the timers and waits for any job in flight. */
    async stop(): Promise<void> {
      stopped = true;
      offSchedule();
      offRelease();
      offMail();
      offWebhooks();
      offFederation();
      clearTimeout(dueTimer);
      for (const t of timers) clearInterval(t);
      await Promise.allSettled(running.values());
    },
  };
};
