// The `herold` CLI: migrate · import · export · backup · user · job. Each command reads the same
// configuration as the server (DATA_DIR and friends) and works while the server runs.
import { printable } from '../lib/input-text.ts';
import { parseArgs } from 'node:util';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createServices } from '../services.ts';
import { mediaDir } from '../plugins/static.ts';
import { mailerFromConfig } from '../modules/mail/configured-mailer.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openConfigured, type ConfiguredDatabase } from '../db/connect.ts';
import { migrateToLatest, pendingMigrations } from '../db/migrate.ts';
import { findJob, jobs } from '../jobs/schedule.ts';
import { withJobLease } from '../jobs/job-leases.ts';
import { renderReleaseText } from '../content/release-text.ts';
import { renderReleaseMarkdown } from '../content/release-markdown.ts';
import { createImportService } from '../modules/transfer/import.service.ts';
import { releaseToJson } from '../modules/transfer/release-json.ts';
import { presentRelease } from '../modules/releases/releases.presenter.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import type { TermTable } from '../modules/taxonomies/taxonomies.service.ts';
import { createInterface } from 'node:readline/promises';
import { RELEASE_EVENTS } from '../modules/webhooks/webhooks.service.ts';
import { fetchPublic } from '../lib/public-fetch.ts';
import { createTranslator } from '../i18n/i18n.ts';
import { verifyResultText, verifyResultView } from '../modules/signing/signing.views.ts';

const USAGE = `Usage: herold <command> [options]

Commands:
  migrate                         apply pending database migrations
  import FILE… --office SLUG      import releases from plain text (portal form or Herold .txt) or Herold JSON
         [--status draft|published|scheduled] [--lang de|en]
         [--publish-at ISO] [--prerelease accredited]
                                  the office is created if missing; default status: draft;
                                  scheduled needs --publish-at with a zone (2026-12-24T10:00+01:00);
                                  --prerelease accredited sends it ahead under embargo to the
                                  office's accredited journalists (the server's mail job sends)
  export ID [--format txt|md|json] [--output FILE]
                                  print one release (default format: txt)
  backup DEST                     copy the database to DEST, consistent while the server runs
  user add --email E --role owner|editor|admin [--office SLUG]
                                  create a user (or give an existing one a role) and print a
                                  one-time link to set the password (owner/editor need --office)
  journalist add --email E --name N [--medium M] [--press-card C] [--lang de|en] --office SLUG | --platform
                                  create a journalist (or find the existing one), accredit them with
                                  the office (or, with --platform, platform-wide) and print a login
                                  link, valid for an hour, once
  journalist list [--office SLUG]
                                  the journalists (with --office: those accredited with it)
  unsubscribe TOKEN | --email ADDRESS | --mail
                                  end a subscription and delete the address's data; --mail reads a
                                  message on standard input (the mailto: of List-Unsubscribe, e.g.
                                  piped from the mail server) and takes the token from its subject
  topic list | add SLUG --name NAME | rename SLUG [--name NAME] [--slug NEW-SLUG]
        | merge SLUG --into SLUG | remove SLUG [--yes]
                                  manage topics; a renamed or merged slug redirects to the new
                                  one; removing a topic in use asks first (--yes to skip)
  region …                        the same for regions
  webhook add --office SLUG | --all --url URL [--events release.published,…] [--description TEXT]
                                  register a webhook endpoint for an office (or, with --all, for
                                  every office) and print its secret, shown this once
  webhook list [--office SLUG | --all]
                                  the endpoints with their state
  verify FILE|URL|-               check a release text, a link or a signature file (.sig) against the
                                  signed versions of this site's releases; exit 0 when it matches
  signing-key rotate --office SLUG
                                  replace an office's signing key (the old one's signatures stay
                                  verifiable; its private key is deleted)
  job NAME                        run one background job once (${jobs.map((j) => j.name).join(', ')})
  help                            this text

Configuration comes from the environment, as for the server (DATA_DIR, PUBLIC_URL, …). Links
use PUBLIC_URL, else HOST and PORT, else the address the server recorded in DATA_DIR when it
last started. \`npm run herold -- …\` also reads a .env file in the project folder.
`;

class UsageError extends Error {}

/** Commands that print links to the site. */
const LINK_COMMANDS = new Set(['user', 'journalist', 'import', 'export', 'verify', 'signing-key']);

const open = async (config: Config, migrate = true): Promise<ConfiguredDatabase> => {
  const opened = await openConfigured(config);
  if (migrate) {
    const pending = await pendingMigrations(opened.db);
    if (pending.length > 0) throw new UsageError(`The database has pending migrations (${pending.join(', ')}): run \`herold migrate\` first.`);
  }
  return opened;
};

const commands: Record<string, (args: string[], config: Config) => Promise<number>> = {
  async migrate(_args, config) {
    const { db } = await openConfigured(config);
    try {
      const { applied } = await migrateToLatest(db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await db.destroy();
    }
  },

  async import(args, config) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { office: { type: 'string' }, status: { type: 'string', default: 'draft' }, lang: { type: 'string' }, 'publish-at': { type: 'string' }, prerelease: { type: 'string' } },
    });
    if (positionals.length === 0) throw new UsageError('import: name at least one FILE');
    if (!values.office) throw new UsageError('import: --office SLUG is required');
    if (values.status !== 'draft' && values.status !== 'published' && values.status !== 'scheduled') throw new UsageError('import: --status must be draft, published or scheduled');
    const publishAt = values['publish-at'];
    if (values.status === 'scheduled' && !publishAt) throw new UsageError('import: --status scheduled needs --publish-at, e.g. 2026-12-24T10:00+01:00');
    if (publishAt !== undefined && values.status !== 'scheduled') throw new UsageError('import: --publish-at goes with --status scheduled');
    // A zone is required: a bare local time would be read in whatever zone this machine has.
    if (publishAt !== undefined && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(publishAt) || Number.isNaN(new Date(publishAt).getTime())))
      throw new UsageError('import: --publish-at must be an ISO time with a zone, e.g. 2026-12-24T10:00+01:00');
    if (values.prerelease !== undefined && values.prerelease !== 'accredited') throw new UsageError('import: --prerelease takes the value accredited');
    if (values.prerelease !== undefined && values.status !== 'scheduled') throw new UsageError('import: --prerelease goes with --status scheduled');
    if (values.lang !== undefined && values.lang !== 'de' && values.lang !== 'en') throw new UsageError('import: --lang must be de or en');
    const { db } = await open(config);
    try {
      const services = createServices({ db, config });
      const importer = createImportService({ db, services });
      let failed = 0;
      for (const file of positionals) {
        let content: string;
        try {
          content = await readFile(file, 'utf8');
        } catch {
          console.error(`${printable(file)}: cannot read the file`);
          failed++;
          continue;
        }
        const result = await importer.importOne(file, content, {
          officeSlug: values.office,
          status: values.status,
          ...(publishAt ? { publishAt } : {}),
          ...(values.prerelease === 'accredited' ? { prerelease: 'accredited' as const } : {}),
          ...(values.lang ? { lang: values.lang as 'de' | 'en' } : {}),
        });
        if (result.ok) {
          const release = await services.releases.findById(result.releaseId!);
          // Nothing from the file reaches the terminal raw: no escape sequence in it can act there.
          console.log(`${printable(file)}: ${result.already ? 'imported before, skipped' : 'imported'}`);
          for (const line of result.report) console.log(`  ${printable(line)}`);
          if (release) console.log(`  ${services.urls.absolute(services.urls.release(release))}`);
        } else {
          failed++;
          console.error(printable(result.error ?? ''));
          console.error('  nothing was stored from this file');
        }
      }
      return failed > 0 ? 1 : 0;
    } finally {
      await db.destroy();
    }
  },

  async export(args, config) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'txt' }, output: { type: 'string' } } });
    const id = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) throw new UsageError('export: name one release ID (a number)');
    if (!['txt', 'md', 'json'].includes(values.format)) throw new UsageError('export: --format must be txt, md or json');
    const { db } = await open(config);
    try {
      const services = createServices({ db, config });
      const release = await services.releases.findById(id);
      if (!release) {
        console.error(`export: there is no release ${id}`);
        return 1;
      }
      // The office's own export: the JSON carries everything, also of a withdrawn release, so it imports back.
      const out =
        values.format === 'json'
          ? `${JSON.stringify(releaseToJson(presentRelease(release, services.urls, { audience: 'office' })), null, 2)}\n`
          : values.format === 'md'
            ? renderReleaseMarkdown(presentRelease(release, services.urls), { timeZone: config.timeZone, siteUrl: services.urls.base })
            : renderReleaseText(presentRelease(release, services.urls), { timeZone: config.timeZone, siteName: config.siteName, siteUrl: services.urls.base });
      if (values.output) await writeFile(values.output, out);
      else process.stdout.write(out);
      return 0;
    } finally {
      await db.destroy();
    }
  },

  async verify(args, config) {
    const target = args[0];
    if (!target || args.length !== 1) throw new UsageError('verify: name one FILE, URL, or - for standard input');
    let input: string;
    if (/^https?:\/\//.test(target)) input = target;
    else {
      try {
        input = target === '-' ? (await readStdin()).toString('utf8') : await readFile(target, 'utf8');
      } catch {
        throw new UsageError(`verify: cannot read ${target}`);
      }
    }
    const { db } = await open(config);
    try {
      const services = createServices({ db, config });
      // The command line is the operator's own: links anywhere (also on this network) are followed.
      const result = await services.verifier.verify(input, { fetchPage: (url) => fetchPublic(url, { allowPrivate: true, userAgent: `Herold (+${services.urls.base})` }) });
      const view = verifyResultView(result, createTranslator(config.lang, config.timeZone));
      console.log(verifyResultText(view));
      return view.state === 'ok' ? 0 : 1;
    } finally {
      await db.destroy();
    }
  },

  async 'signing-key'(args, config) {
    const [sub, ...rest] = args;
    if (sub !== 'rotate') throw new UsageError('signing-key: the only subcommand is `signing-key rotate --office SLUG`');
    const { values } = parseArgs({ args: rest, options: { office: { type: 'string' } } });
    if (!values.office) throw new UsageError('signing-key rotate: --office SLUG is required');
    const { db } = await open(config);
    try {
      const services = createServices({ db, config });
      const office = await services.offices.findBySlug(values.office);
      if (!office) throw new UsageError(`signing-key rotate: there is no office ${values.office}`);
      const id = await services.signing.rotate(office.id);
      console.log(`New signing key of ${office.slug}: ${id}. Signatures made with earlier keys stay verifiable (${services.urls.absolute(services.urls.signingKeys())}).`);
      return 0;
    } finally {
      await db.destroy();
    }
  },

  async backup(args, config) {
    const dest = args[0];
    if (!dest || args.length !== 1) throw new UsageError('backup: name one DEST file');
    if (existsSync(dest)) throw new UsageError(`backup: ${dest} exists; name a new file`);
    if (config.databaseUrl) {
      throw new UsageError(
        'backup: with DATABASE_URL the data is in PostgreSQL; back it up with its own tools (pg_dump --format=custom, or continuous archiving) and copy MEDIA_DIR beside it',
      );
    }
    const { sqlite, db } = await open(config, false);
    if (!sqlite) throw new Error('backup: no SQLite database open');
    const partial = `${path.resolve(dest)}.partial`;
    try {
      // All pages in one step, in one read transaction: a consistent moment of the database while
      // the server goes on writing. Copied 100 pages a step (the default), every write of the
      // server between two steps restarted the copy; under load a 34 MB database took minutes and
      // a large one never finished. Written beside DEST and renamed: a cut-off copy never looks
      // like a backup.
      await sqlite.backup(partial, { progress: () => 0x7fffffff });
      await rename(partial, path.resolve(dest));
      console.log(`Backup written to ${dest}`);
      return 0;
    } finally {
      await rm(partial, { force: true });
      await db.destroy();
    }
  },

  async user(args, config) {
    const [sub, ...rest] = args;
    if (sub !== 'add') throw new UsageError('user: the only subcommand is `user add`');
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { email: { type: 'string' }, office: { type: 'string' }, role: { type: 'string' } } });
    if (positionals.length > 0) throw new UsageError('user add: unexpected argument (no password on the command line: the user sets it through the link)');
    if (!values.email) throw new UsageError('user add: --email E is required');
    if (values.role !== 'owner' && values.role !== 'editor' && values.role !== 'admin') throw new UsageError('user add: --role must be owner, editor or admin');
    if (values.role !== 'admin' && !values.office) throw new UsageError('user add: --office SLUG is required for owner and editor');
    const { db } = await open(config);
    try {
      const services = createServices({ db, config });
      let officeId: number | undefined;
      if (values.office) {
        const office = await services.offices.findBySlug(values.office);
        if (!office) {
          console.error(`user add: there is no office "${values.office}"`);
          return 1;
        }
        officeId = office.id;
      }
      const role = values.role === 'admin' ? undefined : values.role;
      let result;
      try {
        result = await services.auth.addUser({ email: values.email, isAdmin: values.role === 'admin', ...(officeId !== undefined && role ? { officeId, role } : {}) });
      } catch (error) {
        if (error instanceof ValidationError) {
          console.error(`user add: "${values.email}" is not a valid e-mail address`);
          return 1;
        }
        throw error;
      }
      const { user, created, hasPassword } = result;
      console.log(`${created ? 'Created' : 'Updated'} ${user.email}${user.isAdmin ? ' (platform admin)' : ''}${values.office ? `, ${values.role} of ${values.office}` : ''}.`);
      const token = await services.auth.issueToken('set-password', { email: user.email, userId: user.id });
      console.log(`${hasPassword ? 'To set a new password' : 'To set the password'}, open this link once within 72 hours:`);
      console.log(services.urls.absolute(services.urls.setPassword(token)));
      return 0;
    } finally {
      await db.destroy();
    }
  },

  async journalist(args, config) {
    const [sub, ...rest] = args;
    if (sub !== 'add' && sub !== 'list') throw new UsageError('journalist: the subcommands are `journalist add` and `journalist list`');
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' }, medium: { type: 'string' }, 'press-card': { type: 'string' }, lang: { type: 'string' }, office: { type: 'string' }, platform: { type: 'boolean', default: false } },
    });
    if (positionals.length > 0) throw new UsageError(`journalist ${sub}: unexpected argument "${positionals[0]}"`);
    if (sub === 'add') {
      if (!values.email) throw new UsageError('journalist add: --email E is required');
      if (!values.name) throw new UsageError('journalist add: --name N is required');
      if (Boolean(values.office) === values.platform) throw new UsageError('journalist add: give --office SLUG or --platform (one of them)');
      if (values.lang !== undefined && values.lang !== 'de' && values.lang !== 'en') throw new UsageError('journalist add: --lang must be de or en');
    } else if (values.email || values.name || values.medium || values['press-card'] || values.lang || values.platform) {
      throw new UsageError('journalist list: the only option is --office SLUG');
    }
    const { db } = await open(config);
    try {
      const services = createServices({ db, config });
      let office;
      if (values.office) {
        office = await services.offices.findBySlug(values.office);
        if (!office) {
          console.error(`journalist ${sub}: there is no office "${values.office}"`);
          return 1;
        }
      }
      if (sub === 'list') {
        const rows = office
          ? (await services.journalists.accreditedJournalists(office.id)).map((j) => `${j.email}\t${j.name}\t${j.medium}`)
          : (await services.journalists.listAll()).map((j) => `${j.email}\t${j.name}\t${j.medium}\t${j.confirmedAt ? 'confirmed' : j.vouchedAt ? 'vouched' : 'unconfirmed'}\t${j.offices} office(s)${j.platform?.status === 'accepted' ? ', platform-wide' : ''}`);
        if (rows.length === 0) console.log(office ? `No journalist is accredited with ${office.slug}.` : 'No journalists.');
        for (const row of rows) console.log(row);
        return 0;
      }
      let result;
      try {
        result = await services.journalists.addByOperator(
          { email: values.email!, name: values.name!, medium: values.medium ?? '', pressCard: values['press-card'] ?? '', ...(values.lang ? { lang: values.lang as 'de' | 'en' } : {}) },
          office ? office.id : null,
        );
      } catch (error) {
        if (error instanceof ValidationError) {
          console.error(`journalist add: ${Object.entries(error.fields).map(([field, problem]) => `${field === 'pressCard' ? '--press-card' : `--${field}`} ${problem === 'invalidEmail' ? 'is not a valid e-mail address' : problem === 'tooLong' ? 'is too long' : 'is required'}`).join('; ')}`);
          return 1;
        }
        throw error;
      }
      const { journalist, created, accredited, token } = result;
      const where = office ? `with ${office.slug}` : 'platform-wide';
      console.log(`${created ? 'Created' : 'Found'} ${journalist.email} (${journalist.name}), ${accredited ? 'accredited' : 'already accredited'} ${where}.`);
      console.log('To log in, open this link once within an hour:');
      console.log(services.urls.absolute(services.urls.journalists.loginLink(token)));
      return 0;
    } finally {
      await db.destroy();
    }
  },

  async unsubscribe(args, config) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { email: { type: 'string' }, mail: { type: 'boolean', default: false } } });
    const given = [positionals.length > 0, values.email !== undefined, values.mail].filter(Boolean).length;
    if (given !== 1 || positionals.length > 1) throw new UsageError('unsubscribe: give one TOKEN, or --email ADDRESS, or --mail with a message on standard input');
    const { db } = await open(config);
    try {
      const { subscriptions } = createServices({ db, config });
      let done: boolean;
      if (values.email !== undefined) {
        done = await subscriptions.unsubscribeEmail(values.email);
      } else {
        let token = positionals[0] ?? '';
        if (values.mail) {
          const message = (await readStdin()).toString('utf8');
          // The header block ends at the first empty line; the subject may be folded.
          const headers = message.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
          const subject = /^subject:\s*(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
          token = /^unsubscribe\s+(\S+)$/i.exec(subject)?.[1] ?? '';
          if (!token) {
            console.error('unsubscribe: the message has no subject "unsubscribe TOKEN"');
            return 1;
          }
        }
        done = await subscriptions.unsubscribe(token, 'unsubscribe');
      }
      console.log(done ? 'Unsubscribed; the address\'s data is deleted.' : 'Nothing to do: no such subscription (or an invalid token).');
      return done ? 0 : 1;
    } finally {
      await db.destroy();
    }
  },

  async webhook(args, config) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { office: { type: 'string' }, all: { type: 'boolean', default: false }, url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string', default: '' } },
    });
    if (sub !== 'add' && sub !== 'list') throw new UsageError('webhook: the subcommands are add and list');
    if (positionals.length > 0) throw new UsageError(`webhook ${sub}: unexpected argument ${positionals[0]}`);
    if (values.office !== undefined && values.all) throw new UsageError(`webhook ${sub}: give --office SLUG or --all, not both`);
    if (sub === 'add' && values.office === undefined && !values.all) throw new UsageError('webhook add: --office SLUG (or --all, for every office) is required');
    if (sub === 'add' && !values.url) throw new UsageError('webhook add: --url URL is required');
    const { db } = await open(config);
    try {
      const { offices, webhooks } = createServices({ db, config });
      let officeId: number | null = null;
      if (values.office !== undefined) {
        const office = await offices.findBySlug(values.office);
        if (!office) {
          console.error(`webhook ${sub}: there is no office "${values.office}"`);
          return 1;
        }
        officeId = office.id;
      }
      if (sub === 'list') {
        for (const e of await webhooks.list(officeId)) console.log(`${e.id}\t${e.status}\t${e.url}\t${e.events.join(',')}${e.description ? `\t${e.description}` : ''}`);
        return 0;
      }
      const events = values.events ? values.events.split(',').map((e) => e.trim()).filter(Boolean) : [...RELEASE_EVENTS];
      try {
        const { endpoint, secret } = await webhooks.create(officeId, { url: values.url!, description: values.description, events });
        console.log(`Registered webhook ${endpoint.id} for ${values.office ?? 'every office'}: ${endpoint.url} (${endpoint.events.join(', ')})`);
        console.log('Its secret, shown only now (the receiver verifies the webhook-signature header with it):');
        console.log(secret);
        return 0;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        console.error(`webhook add: ${Object.entries(error.fields).map(([field, key]) => `--${field} ${WEBHOOK_FIELD_WORDS[key] ?? 'is invalid'}`).join('; ')}`);
        return 1;
      }
    } finally {
      await db.destroy();
    }
  },

  topic: (args, config) => termCommand('topics', args, config),
  region: (args, config) => termCommand('regions', args, config),

  async job(args, config) {
    const job = args[0] ? findJob(args[0]) : undefined;
    if (!job) throw new UsageError(`job: name one of ${jobs.map((j) => j.name).join(', ')}`);
    const { db } = await open(config);
    try {
      // Mail jobs send through the configured mailer (SMTP_URL or .eml files), as the server does.
      const mailer = await mailerFromConfig(config);
      try {
        // The media folder for the jobs that read photos (stamp-press-kits).
        const services = createServices({ db, config, mailer, mediaDir: mediaDir(config) });
        // Not while a server runs the same job (job-leases.ts): that server is doing it.
        const say = (_: object, msg: string) => console.error(`${job.name}: ${msg}`);
        const result = job.perProcess
          ? await job.run({ db, services })
          : await withJobLease(db, services.clock, job.name, (signal) => job.run({ db, services, signal }), { log: { warn: say, error: say } });
        console.log(`${job.name}: ${result ?? 'running in another process now; nothing done'}`);
      } finally {
        await mailer.close();
      }
      return 0;
    } finally {
      await db.destroy();
    }
  },
};

/** `herold topic …` and `herold region …`: the same service calls as the admin area's. */
const termCommand = async (table: TermTable, args: string[], config: Config): Promise<number> => {
  const noun = table === 'topics' ? 'topic' : 'region';
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { name: { type: 'string' }, slug: { type: 'string' }, into: { type: 'string' }, yes: { type: 'boolean', default: false } } });
  const slug = positionals[0] ?? '';
  if (sub !== 'list' && (positionals.length !== 1 || !slug)) throw new UsageError(`${noun} ${sub ?? ''}: name one SLUG (usage: herold ${noun} list | add SLUG --name NAME | rename SLUG [--name NAME] [--slug NEW-SLUG] | merge SLUG --into SLUG | remove SLUG [--yes])`);
  const { db } = await open(config);
  try {
    const { taxonomies, urls } = createServices({ db, config });
    const pageOf = (termSlug: string) => urls.absolute(table === 'topics' ? urls.topic(termSlug) : urls.region(termSlug));
    const say = (error: ValidationError) =>
      console.error(`${noun} ${sub}: ${Object.entries(error.fields).map(([field, key]) => `${field === 'into' ? '--into' : field === 'name' ? '--name' : 'SLUG'} ${FIELD_WORDS[key] ?? 'is invalid'}`).join('; ')}`);
    try {
      switch (sub) {
        case 'list': {
          for (const t of await taxonomies.listForAdmin(table)) console.log(`${t.slug}\t${t.name}\t${t.releaseCount} releases\t${t.followerCount} subscriptions`);
          return 0;
        }
        case 'add': {
          if (!values.name) throw new UsageError(`${noun} add: --name NAME is required`);
          const added = await taxonomies.add(table, { slug, name: values.name }, null);
          console.log(`Added ${noun} "${added.name}": ${pageOf(added.slug)}`);
          return 0;
        }
        case 'rename': {
          if (values.name === undefined && values.slug === undefined) throw new UsageError(`${noun} rename: give --name NAME, --slug NEW-SLUG or both`);
          const renamed = await taxonomies.rename(table, slug, { name: values.name ?? '', slug: values.slug ?? '' }, null);
          console.log(`Renamed ${noun} ${slug} to "${renamed.name}" (${renamed.slug})${renamed.slug !== slug ? `; ${slug} redirects there` : ''}: ${pageOf(renamed.slug)}`);
          return 0;
        }
        case 'merge': {
          if (!values.into) throw new UsageError(`${noun} merge: --into SLUG is required`);
          const { into, moved } = await taxonomies.merge(table, slug, values.into, null);
          console.log(`Merged ${noun} ${slug} into "${into.name}" (${into.slug}): ${moved} releases moved; ${slug} redirects there.`);
          return 0;
        }
        case 'remove': {
          let result = await taxonomies.remove(table, slug, { confirmed: values.yes }, null);
          if (!result.removed) {
            const question = `${result.releaseCount} releases carry ${noun} ${slug} and ${result.followerCount} subscriptions follow it.`;
            if (!process.stdin.isTTY || !(await confirm(`${question} Remove it from all of them? [y/N] `))) {
              console.error(`${question} Nothing removed: run again with --yes to remove it, or merge it into another (herold ${noun} merge ${slug} --into SLUG).`);
              return 1;
            }
            result = await taxonomies.remove(table, slug, { confirmed: true }, null);
          }
          console.log(`Removed ${noun} ${slug} (from ${result.releaseCount} releases).`);
          return 0;
        }
        default:
          throw new UsageError(`${noun}: the subcommands are list, add, rename, merge and remove`);
      }
    } catch (error) {
      if (error instanceof ValidationError) {
        say(error);
        return 1;
      }
      if (error instanceof NotFoundError) {
        console.error(`${noun} ${sub}: there is no ${noun} "${slug}"`);
        return 1;
      }
      throw error;
    }
  } finally {
    await db.destroy();
  }
};

/** What a webhook's field error means on the command line. */
const WEBHOOK_FIELD_WORDS: Record<string, string> = {
  required: 'is required',
  tooLong: 'is too long (at most 200 characters)',
  webhookNoEvents: `names no known event (${RELEASE_EVENTS.join(', ')})`,
  'webhook.invalidUrl': 'is not a complete URL',
  'webhook.notHttps': 'must start with https:// (http:// only with WEBHOOK_ALLOW_PRIVATE=1)',
  'webhook.credentials': 'must not hold a user name or password',
  'webhook.privateAddress': 'leads into an internal network (loopback, private or reserved addresses); allowed only with WEBHOOK_ALLOW_PRIVATE=1',
  'webhook.unresolvable': 'names a host without an address',
};

/** What a field error means on the command line. */
const FIELD_WORDS: Record<string, string> = {
  required: 'is required',
  tooLong: 'is too long',
  invalidSlug: 'may hold only lower-case letters, digits and hyphens',
  taken: 'is taken by another entry',
  nameTaken: 'is the name of another entry',
  unknown: 'names no such entry',
  mergeSelf: 'must name another entry',
};

const confirm = async (question: string): Promise<boolean> => {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|j|ja)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
};

const readStdin = async (): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export const runCli = async (argv: string[], env: Record<string, string | undefined>): Promise<number> => {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`herold: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const config = loadConfig(env, { useRecordedAddress: true });
    // Links printed from the defaults may not open: say where they assume the server to be.
    if (config.publicUrlSource === 'default' && LINK_COMMANDS.has(command)) {
      process.stderr.write(`herold: no server has run on ${config.dataDir} yet and PUBLIC_URL is not set; links assume ${config.publicUrl}\n`);
    }
    return await run(args, config);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`herold: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
};
