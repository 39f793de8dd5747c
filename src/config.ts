// loadConfig(env) → frozen Config. The only module that reads the environment (serve.ts and the CLI
// pass process.env in). Every bad value is reported at once, with the variable's name.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { readServerAddress } from './lib/server-address.ts';

export type Lang = 'de' | 'en';

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly publicUrl: string;
  /**
   * Where publicUrl came from: PUBLIC_URL; HOST and PORT; the address the running server recorded in
   * the data folder (the CLI, when none of those is set); or the defaults.
   */
  readonly publicUrlSource: 'PUBLIC_URL' | 'HOST/PORT' | 'recorded' | 'default';
  readonly siteName: string;
  readonly lang: Lang;
  readonly timeZone: string;
  readonly logLevel: string;
  readonly demo: boolean;
  readonly migrateOnStart: boolean;
  readonly trustProxy: boolean;
  readonly sessionSecret: string;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly websubHub: string | null;
  /** Largest accepted photo upload in bytes (PHOTO_MAX_MB, default 20). */
  readonly photoMaxBytes: number;
  /** Largest accepted attachment (PDF, ODT, DOCX) in bytes (ATTACHMENT_MAX_MB, default 20). */
  readonly attachmentMaxBytes: number;
  /** Time a client has to send a whole request, headers and body, in milliseconds (REQUEST_TIMEOUT in seconds, default 120). */
  readonly requestTimeoutMs: number;
  /** DKIM signing of outgoing mail; null unless DKIM_DOMAIN, DKIM_SELECTOR and DKIM_KEY_FILE are all set. */
  readonly dkim: { readonly domainName: string; readonly keySelector: string; readonly privateKey: string } | null;
  /** Local time (HH:MM, in timeZone) digests go out; weekly ones on digestWeekday (1 = Monday … 7 = Sunday). */
  readonly digestTime: string;
  /** The first retry of a mail after a temporary failure, in ms (MAIL_RETRY_AFTER in seconds, default 60); it doubles with each attempt. */
  readonly mailRetryAfterMs: number;
  /** Worker threads that run searches (0: in the main thread). */
  readonly searchWorkers: number;
  readonly digestWeekday: number;
  /** Sender details printed in every mail's footer (postal address, imprint); optional. */
  readonly mailSenderDetails: string;
  /** An imprint elsewhere (IMPRINT_URL); null: the /impressum page written in the admin area. */
  readonly imprintUrl: string | null;
  /** A privacy notice elsewhere (PRIVACY_URL); null: the /datenschutz page written in the admin area. */
  readonly privacyUrl: string | null;
  /** Requests a minute one address may make to the public API (API_RATE_LIMIT, default 600; 0: no limit). */
  readonly apiRateLimit: number;
  /** Webhooks may go to loopback, private and link-local addresses and over plain http (WEBHOOK_ALLOW_PRIVATE; tests, a receiver on the same machine). */
  readonly webhookAllowPrivate: boolean;
  /** Where the offices' private keys live (SIGNING_KEY_DIR, default DATA_DIR/keys): release signing and ActivityPub. */
  readonly keyDir: string;
  /**
   * PostgreSQL instead of SQLite (DATABASE_URL, postgres://…): the database several instances share.
   * Undefined: SQLite in DATA_DIR.
   */
  readonly databaseUrl: string | undefined;
  /** Uploaded photos and attachments (MEDIA_DIR, default DATA_DIR/media): a shared folder when several instances serve one site. */
  readonly mediaDir: string;
  /** The exiftool program that writes caption, credit and notice into downloaded photos (EXIFTOOL, default `exiftool` on the PATH). */
  readonly exiftool: string;
  /**
   * FEDERATION_ALLOW_PRIVATE: let the fediverse side (and the „Echtheit prüfen“ page) reach loopback and
   * private addresses, and http. For tests on one machine only; never in production.
   */
  readonly federationAllowPrivate: boolean;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads `NAME`, or the contents of the file named by `NAME_FILE` (for secrets). */
const readVar = (env: Env, name: string, problems: string[]): string | undefined => {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      problems.push(`${name}_FILE: cannot read ${file}`);
      return undefined;
    }
  }
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

const parseBool = (name: string, value: string | undefined, fallback: boolean, problems: string[]): boolean => {
  if (value === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name}: expected 1 or 0 (true/false), got "${value}"`);
  return fallback;
};

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export interface LoadConfigOptions {
  /** Overrides read before env; used by tests and by CLI flags such as --no-demo. */
  overrides?: Partial<Record<'DEMO' | 'DATA_DIR' | 'PORT', string>>;
  /** Where relative DATA_DIR values are resolved from. */
  cwd?: string;
  /**
   * The CLI: without PUBLIC_URL, HOST and PORT, take the address the server recorded in the data
   * folder (lib/server-address.ts), so printed links point where the server really runs.
   */
  useRecordedAddress?: boolean;
}

/** Search threads when SEARCH_WORKERS is not set: one core for the request handling, the others for searches, two at most. */
export const defaultSearchWorkers = (cores: number): number => Math.max(0, Math.min(2, cores - 1));

export const loadConfig = (rawEnv: Env, options: LoadConfigOptions = {}): Config => {
  const env: Env = { ...rawEnv, ...options.overrides };
  const problems: string[] = [];

  const host = readVar(env, 'HOST', problems) ?? '127.0.0.1';
  const portText = readVar(env, 'PORT', problems) ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) problems.push(`PORT: expected a number from 0 to 65535, got "${portText}"`);

  const dataDir = path.resolve(options.cwd ?? process.cwd(), readVar(env, 'DATA_DIR', problems) ?? './data');

  const defaultUrl = `http://${host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const givenUrl = readVar(env, 'PUBLIC_URL', problems);
  const hostOrPortGiven = readVar(env, 'HOST', []) !== undefined || readVar(env, 'PORT', []) !== undefined;
  const recorded = givenUrl === undefined && !hostOrPortGiven && options.useRecordedAddress ? readServerAddress(dataDir) : undefined;
  const publicUrlSource: Config['publicUrlSource'] = givenUrl !== undefined ? 'PUBLIC_URL' : hostOrPortGiven ? 'HOST/PORT' : recorded ? 'recorded' : 'default';
  let publicUrl = givenUrl ?? recorded?.url ?? defaultUrl;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    publicUrl = url.toString().replace(/\/+$/, '');
  } catch {
    problems.push(`PUBLIC_URL: expected an absolute http(s) URL, got "${publicUrl}"`);
  }

  // LANG selects the UI language (de or en). A POSIX locale such as en_US.UTF-8 or C.UTF-8, which
  // shells set for their own purposes, is not a choice of ours and leaves the default, German.
  const langText = readVar(env, 'LANG', problems) ?? 'de';
  let lang: Lang = 'de';
  if (langText === 'en' || langText === 'de') lang = langText;
  else if (!/^(C|POSIX|[a-z]{2,3}_[A-Z]{2}.*|C\..*)$/.test(langText)) problems.push(`LANG: expected de or en, got "${langText}"`);

  const timeZone = readVar(env, 'TIME_ZONE', problems) ?? 'Europe/Berlin';
  if (!isTimeZone(timeZone)) problems.push(`TIME_ZONE: unknown time zone "${timeZone}"`);

  const logLevel = readVar(env, 'LOG_LEVEL', problems) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const smtpUrl = readVar(env, 'SMTP_URL', problems) ?? null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL: expected smtp:// or smtps:// URL');
  const websubHub = readVar(env, 'WEBSUB_HUB', problems) ?? null;
  if (websubHub && !/^https?:\/\//.test(websubHub)) problems.push('WEBSUB_HUB: expected an http(s) URL');

  const photoMaxText = readVar(env, 'PHOTO_MAX_MB', problems) ?? '20';
  const photoMaxMb = Number(photoMaxText);
  if (!/^\d+(\.\d+)?$/.test(photoMaxText) || photoMaxMb <= 0 || photoMaxMb > 500) problems.push(`PHOTO_MAX_MB: expected a number of megabytes from 0.1 to 500, got "${photoMaxText}"`);

  const attachmentMaxText = readVar(env, 'ATTACHMENT_MAX_MB', problems) ?? '20';
  const attachmentMaxMb = Number(attachmentMaxText);
  if (!/^\d+(\.\d+)?$/.test(attachmentMaxText) || attachmentMaxMb <= 0 || attachmentMaxMb > 500) problems.push(`ATTACHMENT_MAX_MB: expected a number of megabytes from 0.1 to 500, got "${attachmentMaxText}"`);

  // A slow client (one byte every few seconds) must not hold a connection open for ever; two minutes
  // carry a 20 MB photo over a slow line.
  const requestTimeoutText = readVar(env, 'REQUEST_TIMEOUT', problems) ?? '120';
  const requestTimeout = Number(requestTimeoutText);
  if (!/^\d{1,4}$/.test(requestTimeoutText) || requestTimeout < 1 || requestTimeout > 3600) problems.push(`REQUEST_TIMEOUT: expected a number of seconds from 1 to 3600, got "${requestTimeoutText}"`);

  const siteName = readVar(env, 'SITE_NAME', problems) ?? 'Herold';
  const mailFrom = readVar(env, 'MAIL_FROM', problems) ?? `${siteName} <herold@${safeHostname(publicUrl)}>`;
  if (/[\r\n]/.test(mailFrom) || /[\r\n]/.test(siteName)) problems.push('MAIL_FROM / SITE_NAME: line breaks are not allowed');

  const dkimDomain = readVar(env, 'DKIM_DOMAIN', problems);
  const dkimSelector = readVar(env, 'DKIM_SELECTOR', problems);
  const dkimKeyFile = env.DKIM_KEY_FILE || undefined;
  let dkim: Config['dkim'] = null;
  if (dkimDomain || dkimSelector || dkimKeyFile) {
    if (!dkimDomain || !dkimSelector || !dkimKeyFile) problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_KEY_FILE: set all three or none');
    else if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(dkimDomain)) problems.push(`DKIM_DOMAIN: expected a domain name, got "${dkimDomain}"`);
    else if (!/^[a-z0-9._-]+$/i.test(dkimSelector)) problems.push(`DKIM_SELECTOR: expected a selector such as "mail2026", got "${dkimSelector}"`);
    else {
      try {
        const privateKey = readFileSync(dkimKeyFile, 'utf8');
        if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(privateKey)) problems.push(`DKIM_KEY_FILE: ${dkimKeyFile} holds no PEM private key`);
        else dkim = Object.freeze({ domainName: dkimDomain, keySelector: dkimSelector, privateKey });
      } catch {
        problems.push(`DKIM_KEY_FILE: cannot read ${dkimKeyFile}`);
      }
    }
  }
  // Searches run beside the request handling on the cores it leaves, two threads at most: on two
  // cores one thread searched as fast as two (five-minute soaks at 100k: searches' p50 33.5 against
  // 34.2 ms, 379 against 353 requests a second) in 348 MB instead of 377 MB.
  const searchWorkersText = readVar(env, 'SEARCH_WORKERS', problems) ?? String(defaultSearchWorkers(availableParallelism()));
  const searchWorkers = Number(searchWorkersText);
  if (!/^\d{1,2}$/.test(searchWorkersText) || searchWorkers > 16) problems.push(`SEARCH_WORKERS: expected a number of threads from 0 to 16, got "${searchWorkersText}"`);
  const digestTime = readVar(env, 'DIGEST_TIME', problems) ?? '07:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(digestTime)) problems.push(`DIGEST_TIME: expected HH:MM (24 h), got "${digestTime}"`);
  const weekdayText = readVar(env, 'DIGEST_WEEKDAY', problems) ?? '1';
  const digestWeekday = Number(weekdayText);
  if (!/^[1-7]$/.test(weekdayText)) problems.push(`DIGEST_WEEKDAY: expected 1 (Monday) to 7 (Sunday), got "${weekdayText}"`);
  // Tests of a mail server outage shorten the sender's clock with this; the logic stays the same.
  const retryText = readVar(env, 'MAIL_RETRY_AFTER', problems) ?? '60';
  const mailRetryAfter = Number(retryText);
  if (!/^\d{1,5}$/.test(retryText) || mailRetryAfter < 1 || mailRetryAfter > 86_400) problems.push(`MAIL_RETRY_AFTER: expected a number of seconds from 1 to 86400, got "${retryText}"`);
  const mailSenderDetails = readVar(env, 'MAIL_SENDER_DETAILS', problems) ?? '';
  if (mailSenderDetails.length > 500) problems.push('MAIL_SENDER_DETAILS: at most 500 characters');

  const legalUrl = (name: 'IMPRINT_URL' | 'PRIVACY_URL'): string | null => {
    const value = readVar(env, name, problems);
    if (value === undefined) return null;
    if (!/^https?:\/\/[^\s"<>]+$/.test(value)) problems.push(`${name}: expected an absolute http(s) URL, got "${value}"`);
    return value;
  };
  const imprintUrl = legalUrl('IMPRINT_URL');
  const privacyUrl = legalUrl('PRIVACY_URL');

  const apiRateLimitText = readVar(env, 'API_RATE_LIMIT', problems) ?? '600';
  const apiRateLimit = Number(apiRateLimitText);
  if (!/^\d{1,10}$/.test(apiRateLimitText)) problems.push(`API_RATE_LIMIT: expected a number of requests a minute (0: no limit), got "${apiRateLimitText}"`);
  const keyDirText = readVar(env, 'SIGNING_KEY_DIR', problems);
  const keyDir = keyDirText ? path.resolve(options.cwd ?? process.cwd(), keyDirText) : path.join(dataDir, 'keys');

  const exiftool = readVar(env, 'EXIFTOOL', problems) ?? 'exiftool';

  const databaseUrl = readVar(env, 'DATABASE_URL', problems);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) problems.push(`DATABASE_URL: expected postgres://user:password@host:port/database, got "${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}"`);
  const mediaDirText = readVar(env, 'MEDIA_DIR', problems);
  const mediaDir = mediaDirText ? path.resolve(options.cwd ?? process.cwd(), mediaDirText) : path.join(dataDir, 'media');

  let sessionSecret = readVar(env, 'SESSION_SECRET', problems);
  if (sessionSecret !== undefined && sessionSecret.length < 32) problems.push('SESSION_SECRET: must be at least 32 characters');

  const config = {
    host,
    port,
    dataDir,
    publicUrl,
    publicUrlSource,
    siteName,
    lang,
    timeZone,
    logLevel,
    demo: parseBool('DEMO', readVar(env, 'DEMO', problems), true, problems),
    migrateOnStart: parseBool('MIGRATE_ON_START', readVar(env, 'MIGRATE_ON_START', problems), true, problems),
    trustProxy: parseBool('TRUST_PROXY', readVar(env, 'TRUST_PROXY', problems), false, problems),
    sessionSecret: sessionSecret ?? '',
    smtpUrl,
    mailFrom,
    websubHub,
    photoMaxBytes: Math.round(photoMaxMb * 1024 * 1024),
    attachmentMaxBytes: Math.round(attachmentMaxMb * 1024 * 1024),
    requestTimeoutMs: requestTimeout * 1000,
    dkim,
    digestTime,
    digestWeekday,
    searchWorkers,
    mailSenderDetails,
    mailRetryAfterMs: mailRetryAfter * 1000,
    imprintUrl,
    privacyUrl,
    apiRateLimit,
    webhookAllowPrivate: parseBool('WEBHOOK_ALLOW_PRIVATE', readVar(env, 'WEBHOOK_ALLOW_PRIVATE', problems), false, problems),
    keyDir,
    databaseUrl,
    mediaDir,
    exiftool,
    federationAllowPrivate: parseBool('FEDERATION_ALLOW_PRIVATE', readVar(env, 'FEDERATION_ALLOW_PRIVATE', problems), false, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  if (!sessionSecret) config.sessionSecret = ensureGeneratedSecret(dataDir);
  return Object.freeze(config);
};

const safeHostname = (url: string): string => {
  try {
    return new URL(url).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
};

/**
 * When SESSION_SECRET is unset, one is generated once into the data folder so a newcomer configures
 * nothing. It is written beside and renamed into place: a crash or a full disk while writing it
 * leaves no file, or a short one from before this rule, which is replaced (an empty secret would
 * sign every cookie with nothing).
 */
const ensureGeneratedSecret = (dataDir: string): string => {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, secret, { mode: 0o600 });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return secret;
};
