// The server: loadConfig → openDatabase → migrate (or assert current) → buildApp → seed demo →
// listen; starts the scheduler, removes unfinished uploads; closes gracefully on SIGINT/SIGTERM.
// Loaded by server.js, the entry point, once the compile cache is on.
import path from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openConfigured } from './db/connect.ts';
import { migrateToLatest, pendingMigrations } from './db/migrate.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { seedDemo } from './demo/seed.ts';
import { mailerFromConfig } from './modules/mail/configured-mailer.ts';
import { loggerOptions } from './lib/logger.ts';
import { isDiskFull } from './lib/errors.ts';
import { compileWaitingValidators } from './lib/finite-numbers.ts';
import { recordServerAddress } from './lib/server-address.ts';
import { removeMediaLeftovers } from './modules/media/media.leftovers.ts';
import { loadsInAnotherProcess } from './lib/loads-elsewhere.ts';
import { loadNodemailer } from './modules/mail/file-mailer.ts';
import { markdownEngine } from './content/markdown.ts';
import { mediaDir } from './plugins/static.ts';

/** What the start does not load, one after the other, with a turn of the event loop between them. */
const loadDeferredModules = async (): Promise<void> => {
  for (const load of [loadNodemailer, markdownEngine]) {
    await load();
    await new Promise((resolve) => setImmediate(resolve));
  }
};

const main = async () => {
  let config;
  try {
    config = loadConfig(process.env, { overrides: process.argv.includes('--no-demo') ? { DEMO: '0' } : {} });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }

  const { db } = await openConfigured(config);
  if (config.migrateOnStart) {
    await migrateToLatest(db);
  } else {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      console.error(`Pending migrations (${pending.join(', ')}): run \`herold migrate\` first, or start with MIGRATE_ON_START=1.`);
      process.exit(1);
    }
  }

  // SMTP_URL → SMTP (pooled, optionally DKIM-signed); without it, mail goes to .eml files in the
  // data folder (listed in the admin area).
  const mailer = await mailerFromConfig(config);
  const app = await buildApp({
    config,
    db,
    mailer,
    // Readable lines on a terminal, JSON lines for a service manager or a log collector.
    logger: await loggerOptions({ level: config.logLevel, pretty: process.stdout.isTTY === true }),
  });

  // Photo downloads and press kits need exiftool: say so now, not at the first download. Not waited
  // for (starting Perl takes 60-300 ms): the answer is logged when it comes.
  void app.services.pressKits.exiftoolVersion().then(
    (version) => app.log.info({ event: 'press-kit.exiftool', version }, 'exiftool found: photo downloads carry caption, credit and notice'),
    (error: unknown) => app.log.error({ event: 'press-kit.exiftool.missing' }, (error as Error).message),
  );

  const isEmpty = (await db.selectFrom('offices').select('id').limit(1).execute()).length === 0;
  if (isEmpty && config.demo) {
    const result = await seedDemo(app.services, mediaDir(config));
    app.log.info({ event: 'demo.seeded', ...result }, `demo content created: ${result.offices} offices, ${result.releases} releases`);
  }

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    console.error(`Cannot listen on ${config.host}:${config.port} (${code}): is another server running there? Choose another PORT or HOST.`);
    await app.close();
    await db.destroy();
    process.exit(1);
  }
  // The CLI reads this when PUBLIC_URL is not set for it, so the links it prints open. Not worth
  // failing a start for (a full disk): the CLI then says which address it assumes.
  try {
    recordServerAddress(config.dataDir, { url: config.publicUrl, pid: process.pid, startedAt: new Date().toISOString() });
  } catch (err) {
    app.log.warn({ err, event: 'server-address.not-recorded' }, 'the server address could not be recorded in the data folder');
  }
  app.log.info(`Herold is running at ${config.publicUrl} (data in ${config.dataDir})`);
  // The route validators no request has needed yet (finite-numbers.ts), in small steps; then the
  // libraries the start leaves to their first use, so that the first mail or save does not wait for
  // them. sharp is only checked, in another process (src/lib/loads-elsewhere.ts): the first upload
  // loads it. A broken install (sharp without libvips for this platform) still stops the server
  // within its first seconds, as it stopped the start before.
  void (async () => {
    try {
      await compileWaitingValidators();
    } catch (error) {
      app.log.fatal({ err: error, event: 'validators.broken' }, 'a route schema does not compile');
      process.exit(1);
    }
    try {
      await loadDeferredModules();
      if ((await loadsInAnotherProcess('sharp')) === 'unchecked') app.log.warn({ event: 'modules.unchecked' }, 'could not check that sharp loads (no process could be started): the first upload will tell');
    } catch (error) {
      app.log.fatal({ err: error, event: 'modules.broken' }, 'a library of the server does not load');
      process.exit(1);
    }
  })();
  const scheduler = startScheduler({ db, services: app.services }, app.log);
  // Uploads cut off by a crash left files nothing refers to. Looked for now that we listen (it reads
  // every release's media folder), among the files written before this process began: a crashed
  // one wrote its files before that, and this one's uploads come a second or more after
  // (media.leftovers.ts).
  const stopLooking = new AbortController();
  const leftoversRemoved = removeMediaLeftovers(db, mediaDir(config), { writtenBefore: performance.timeOrigin, signal: stopLooking.signal }).then(
    (leftovers) => {
      if (leftovers.length > 0) app.log.warn({ event: 'media.leftovers.removed', files: leftovers }, `removed ${leftovers.length} unfinished uploads`);
    },
    (error: unknown) => app.log.error({ err: error, event: 'media.leftovers.failed' }, 'looking for unfinished uploads failed'),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // A job or connection that does not let go must not keep the process alive forever.
    setTimeout(() => {
      app.log.error({ event: 'shutdown.timeout' }, 'graceful shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    stopLooking.abort();
    await scheduler.stop();
    await leftoversRemoved;
    await app.close();
    await mailer.close();
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
};

await main().catch((error: unknown) => {
  // A full data folder stops the start (SQLite cannot create its shared-memory file): say so in one
  // line, not with a stack trace, and exit; starting again once there is space works.
  if (!isDiskFull(error)) throw error;
  console.error(`The disk of the data folder is full (${(error as { code?: string }).code ?? String(error)}): Herold cannot start. Free some space and start it again; nothing was changed.`);
  process.exit(1);
});
