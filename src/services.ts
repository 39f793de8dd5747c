// Builds every service once, for the server (app.ts), the CLI and the jobs. Where two modules need
// each other, the lower one takes a callback and this file wires it: the releases and offices
// services keep the search index in step through search.indexer, the subscriptions service queues
// its confirmation mail through the mail module's outbox.
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createEventBus, type EventBus } from './lib/events.ts';
import { createUrls, type Urls } from './lib/urls.ts';
import { createReleasesService, type Announce, type ReleasesService } from './modules/releases/releases.service.ts';
import { createReleaseFilesService, type ReleaseFilesService } from './modules/releases/release-files.service.ts';
import { createOfficesService, type OfficesService } from './modules/offices/offices.service.ts';
import { createTaxonomiesService, type TaxonomiesService } from './modules/taxonomies/taxonomies.service.ts';
import type { Mailer } from './modules/mail/mailer.ts';
import { createAuthService, type AuthService } from './modules/auth/auth.service.ts';
import { createAuditService, type AuditService } from './modules/audit/audit.service.ts';
import { createMemoryMailer } from './modules/mail/memory-mailer.ts';
import { createPhotoStore, type PhotoStore } from './modules/media/photos.service.ts';
import { createAttachmentStore, type AttachmentStore } from './modules/media/attachments.service.ts';
import type { Config } from './config.ts';
import { createSubscriptionsService, type SubscriptionsService } from './modules/subscriptions/subscriptions.service.ts';
import { createTokens } from './modules/subscriptions/subscriptions.tokens.ts';
import { termFollows } from './modules/subscriptions/subscriptions.terms.ts';
import { createMailService, type MailService } from './modules/mail/mail.service.ts';
import { queueAccountMail, queueChangeNotices, queueConfirmation, updateOutbox } from './modules/mail/outbox.repository.ts';
import { createSearchService, type SearchService } from './modules/search/search.service.ts';
import { reindexOffice, reindexRelease } from './modules/search/search.indexer.ts';
import { createJobRuns, type JobRuns } from './modules/site/job-runs.ts';
import { createHealthService, type HealthService } from './modules/site/health.service.ts';
import { createLegalService, type LegalService } from './modules/legal/legal.service.ts';
import { createApplicationsService, type ApplicationsService } from './modules/applications/applications.service.ts';
import { createApplicationMail } from './modules/applications/applications.mail.ts';
import { createApiService, type ApiService } from './modules/api/api.service.ts';
import { announceReleaseChange, createWebhooksService, type WebhooksService } from './modules/webhooks/webhooks.service.ts';
import { createWebhookSender, type WebhookSender } from './modules/webhooks/webhooks.sender.ts';
import { createWebhookMail } from './modules/webhooks/webhooks.mail.ts';
import { createKeyFolder } from './lib/key-folder.ts';
import { createSigningService, type SigningService } from './modules/signing/signing.service.ts';
import { createVerifier, type Verifier } from './modules/signing/signing.verify.ts';
import { createFederationService, type FederationService } from './modules/federation/federation.service.ts';
import { HEROLD_VERSION } from './lib/version.ts';
import { createPressKitService, type PressKitService } from './modules/press-kits/press-kits.service.ts';
import { createExiftool } from './modules/press-kits/press-kits.metadata.ts';
import { createPressKitStamping, type PressKitStamping } from './modules/press-kits/press-kits.stamping.ts';
import { presentRelease } from './modules/releases/releases.presenter.ts';
import { createJournalistsService, type JournalistsService } from './modules/journalists/journalists.service.ts';
import { createJournalistMail } from './modules/journalists/journalists.mail.ts';
import { createPrereleasesService, type PrereleasesService } from './modules/prereleases/prereleases.service.ts';
import { createPrereleaseMail } from './modules/prereleases/prereleases.mail.ts';

export interface Services {
  releases: ReleasesService;
  /** The photos and attachments of releases in the database; the files are `photos` and `attachments`. */
  releaseFiles: ReleaseFilesService;
  offices: OfficesService;
  taxonomies: TaxonomiesService;
  search: SearchService;
  events: EventBus;
  clock: Clock;
  /** The one link builder, from PUBLIC_URL; throws when built without `config`. */
  urls: Urls;
  /** Uploaded photos below the media folder; throws when built without `mediaDir` (CLI commands that store none). */
  photos: PhotoStore;
  /** Uploaded documents (PDF, ODT, DOCX) below the media folder; throws when built without `mediaDir`. */
  attachments: AttachmentStore;
  subscriptions: SubscriptionsService;
  mail: MailService;
  auth: AuthService;
  audit: AuditService;
  /** What the scheduler of this process last ran (for /healthz). */
  jobRuns: JobRuns;
  health: HealthService;
  legal: LegalService;
  /** Press offices asking to join; needs the configuration (tokens), like subscriptions. */
  applications: ApplicationsService;
  /** The public JSON API's release list (filters, orders, cursors). */
  api: ApiService;
  /** Webhook endpoints and their deliveries (`deliverDue`, run by the scheduler); needs the configuration. */
  webhooks: WebhooksService & Pick<WebhookSender, 'deliverDue' | 'nextDueAt'>;
  /** Signed versions of releases and the offices' keys; needs the configuration (key folder, URLs). */
  signing: SigningService;
  /** „Echtheit prüfen“: does a text, a link or a signature file match a signed version? */
  verifier: Verifier;
  /** The offices on the fediverse (ActivityPub, through Fedify); needs the configuration. */
  federation: FederationService;
  /** Press kits and photo downloads with the release's words written in (exiftool); needs the configuration and the media folder. */
  pressKits: PressKitService;
  /** The stamp-press-kits job: stamps photos after a release goes public or is corrected, and sweeps for what was missed. */
  pressKitStamping: PressKitStamping;
  /** Journalists' accounts, sessions and accreditations (modules/journalists). */
  journalists: JournalistsService;
  /** Embargoed pre-releases: recipients, personal links, their opens and downloads (modules/prereleases). */
  prereleases: PrereleasesService;
}

/** Where services write what an operator should see (pino's shape; the server passes its logger). */
export interface ServiceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silentLog: ServiceLog = { info: () => {}, warn: () => {}, error: () => {} };

export interface ServiceDeps {
  db: Kysely<DB>;
  clock?: Clock;
  /** Defaults to an in-memory mailer (tests, CLI commands that send nothing). */
  mailer?: Mailer;
  onListenerError?: (e: unknown) => void;
  /** Told when signing a release failed (publishing goes ahead; the sign-releases sweep retries). */
  onSigningError?: (e: unknown, releaseId: number) => void;
  /** For the fediverse side's delivery failures and new followers; silent by default. */
  log?: ServiceLog;
  /** The media folder (`DATA_DIR/media`); needed to store photos. */
  mediaDir?: string;
  /** Largest photo upload in bytes (PHOTO_MAX_MB); default 20 MB. */
  photoMaxBytes?: number;
  /** Largest attachment upload in bytes (ATTACHMENT_MAX_MB); default 20 MB. */
  attachmentMaxBytes?: number;
  /** Needed by the link builder and the subscription and mail services (URLs, secret, digest time); without it they throw when used. */
  config?: Config;
  /** Cheaper password hashing for tests; production uses the strong defaults. */
  scryptParams?: { N: number; r: number; p: number };
}

const unavailable = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get() {
      throw new Error(`${name} needs the configuration: pass config to createServices`);
    },
  });

export const createServices = ({ db, clock = systemClock, mailer = createMemoryMailer(), onListenerError, onSigningError, log = silentLog, config, mediaDir, photoMaxBytes, attachmentMaxBytes, scryptParams }: ServiceDeps): Services => {
  const events = createEventBus(onListenerError);
  const audit = createAuditService({ db, clock });
  const urls = config ? createUrls(config.publicUrl) : unavailable<Urls>('urls');
  // Public changes are announced to webhooks in their own transaction (webhooks.service.ts).
  // Every public version of a release is signed in the transaction that makes it public.
  const signing = config
    ? createSigningService({ db, clock, urls, audit, keys: createKeyFolder(config.keyDir), findPublic: (id) => releases.findPublic(id), ...(onSigningError ? { onError: onSigningError } : {}) })
    : unavailable<SigningService>('signing');
  // Corrections and withdrawals also queue a notice to every subscriber who was sent the release's
  // instant notice (mail/outbox.repository.ts), in the same transaction.
  // A withdrawal also ends the personal links of an embargoed pre-release of it, and tells their
  // recipients; publishing before the embargo time tells them the embargo ended early.
  const announce: Announce = async (trx, releaseId, change, now) => {
    await announceReleaseChange(trx, releaseId, change, now);
    await queueChangeNotices(trx, releaseId, change, now);
    if (change === 'withdrawn' || change === 'published') await prereleases.reconcile(trx, releaseId, now);
  };
  // A new embargo time, or a release taken back to draft, is mailed to its pre-release's recipients in the same transaction.
  const releases = createReleasesService({
    db,
    clock,
    events,
    audit,
    reindex: reindexRelease,
    announce,
    scheduleChanged: (trx, releaseId, now) => prereleases.reconcile(trx, releaseId, now),
    ...(config ? { publicVersion: signing.signVersion } : {}),
  });
  const prereleases = createPrereleasesService({ db, clock, events, audit, releases });
  const keyFolder = config ? createKeyFolder(config.keyDir) : undefined;
  const federation =
    config && keyFolder
      ? createFederationService({ db, clock, urls, config, releases, keys: keyFolder, events, log, version: HEROLD_VERSION })
      : unavailable<FederationService>('federation');
  const verifier = config ? createVerifier({ db, urls, siteName: config.siteName, timeZone: config.timeZone, findPublic: releases.findPublic, around: (release) => releases.around(release) }) : unavailable<Verifier>('verifier');
  const releaseFiles = createReleaseFilesService({ db, clock, audit, reindex: reindexRelease });
  const search = createSearchService({ db, clock, releases });
  const subscriptions = config
    ? createSubscriptionsService({ db, clock, events, tokens: createTokens(config.sessionSecret), search, queueConfirmation })
    : unavailable<SubscriptionsService>('subscriptions');
  // Followed searches: the fan-out and the digests ask which stored searches find a new release.
  const searchMatcher = (releaseId: number, values: string[]) => search.matchingTargets(releaseId, values);
  const jobRuns = createJobRuns();
  const offices = createOfficesService({ db, clock, audit, contentChanged: releases.markContentChanged, officeRenamed: reindexOffice });
  const applications = config
    ? createApplicationsService({ db, clock, tokens: createTokens(config.sessionSecret), events, offices, audit })
    : unavailable<ApplicationsService>('applications');
  const applicationMail = config ? createApplicationMail({ config, urls, applications }) : undefined;
  const webhookMail = config ? createWebhookMail({ db, config, urls, offices }) : undefined;
  // A deleted journalist's pre-release recipient rows keep name and medium but lose the address, in the deletion's transaction.
  const journalists = createJournalistsService({ db, clock, events, audit, onDelete: (trx, journalistId, now) => prereleases.forgetJournalist(trx, journalistId, now) });
  const journalistMail = config ? createJournalistMail({ config, urls, journalists }) : undefined;
  const prereleaseMail = config ? createPrereleaseMail({ config, urls, prereleases, releases, now: () => clock.now().toISOString() }) : undefined;
  const composers = {
    ...(journalistMail ? { 'journalist-login': journalistMail, 'accreditation-decision': journalistMail, 'accreditation-request': journalistMail, 'journalist-address': journalistMail, 'journalist-address-changed': journalistMail } : {}),
    ...(prereleaseMail ? { prerelease: prereleaseMail, 'prerelease-changed': prereleaseMail } : {}),
    ...(applicationMail ? { 'application-confirmation': applicationMail, 'application-declined': applicationMail } : {}),
    ...(webhookMail ? { 'webhook-disabled': webhookMail } : {}),
  };
  const auth = createAuthService({ db, clock, events, outbox: { queue: queueAccountMail, update: updateOutbox }, ...(scryptParams ? { scryptParams } : {}), ...(config ? { secret: config.sessionSecret } : {}) });
  // Mail leaves only through the mail service's outbox: routes never see the mailer.
  const taxonomies = createTaxonomiesService({ db, clock, audit, contentChanged: releases.markContentChanged, reindex: reindexRelease, follows: termFollows });
  const mail = config ? createMailService({ db, clock, config, urls, mailer, events, releases, subscriptions, searchMatcher, composers, accountLinks: auth.mintMailLink }) : unavailable<MailService>('mail');
  const pressKits =
    config && mediaDir
      ? createPressKitService({
          mediaDir,
          cacheDir: path.join(config.dataDir, 'press-kits'),
          exiftool: createExiftool(config.exiftool),
          site: { timeZone: config.timeZone, siteName: config.siteName, siteUrl: urls.base },
        })
      : unavailable<PressKitService>('pressKits');
  // Photos are stamped after a release goes public or is corrected (the stamp-press-kits job), not on its first view.
  const pressKitStamping =
    config && mediaDir
      ? createPressKitStamping({ db, clock, pressKits, findPublicNow: (id) => releases.findPublicNow(id), unwithdrawnAmong: (ids) => releases.unwithdrawnAmong(ids), present: (release) => presentRelease(release, urls), log })
      : unavailable<PressKitStamping>('pressKitStamping');
  if (config && mediaDir)
    events.on('release.changed', (e) => {
      if (e.change !== 'withdrawn') pressKitStamping.note(e.id);
    });
  const services: Services = {
    releases,
    releaseFiles,
    subscriptions,
    mail,
    applications,
    offices,
    taxonomies,
    search,
    events,
    clock,
    urls,
    photos: mediaDir ? createPhotoStore({ mediaDir, ...(photoMaxBytes ? { maxBytes: photoMaxBytes } : {}) }) : noPhotoStore(),
    attachments: mediaDir ? createAttachmentStore({ mediaDir, ...(attachmentMaxBytes ? { maxBytes: attachmentMaxBytes } : {}) }) : noAttachmentStore(),
    auth,
    audit,
    jobRuns,
    health: createHealthService({ db, jobRuns }),
    legal: createLegalService({ db, clock, audit, contentChanged: releases.markContentChanged }),
    // Searches go through `services.search` when they run, which app.ts may have moved to worker threads.
    webhooks: config
      ? (() => {
          const service = createWebhooksService({ db, clock, events, urls, releases, audit, allowPrivate: config.webhookAllowPrivate });
          const sender = createWebhookSender({ db, clock, events, urls, releases, allowPrivate: config.webhookAllowPrivate, lang: config.lang, userAgent: `Herold-Webhooks/1 (+${urls.base})` });
          return { ...service, deliverDue: sender.deliverDue, nextDueAt: sender.nextDueAt };
        })()
      : unavailable<Services['webhooks']>('webhooks'),
    api: createApiService({ releases, offices, taxonomies, search: (query, filters, options) => services.search.search(query, filters, options) }),
    signing,
    verifier,
    prereleases,
    federation,
    journalists,
    pressKits,
    pressKitStamping,
  };
  return services;
};

/** Stands in where no media folder was given: any attempt to store or delete says so. */
const noPhotoStore = (): PhotoStore => {
  const fail = async (): Promise<never> => {
    throw new Error('No media folder: createServices was called without mediaDir');
  };
  return { maxBytes: 0, maxPixels: 0, minSide: 0, storeUpload: fail, deletePhotoFiles: fail, exists: fail };
};

const noAttachmentStore = (): AttachmentStore => {
  const fail = async (): Promise<never> => {
    throw new Error('No media folder: createServices was called without mediaDir');
  };
  return { maxBytes: 0, storeAttachment: fail, deleteAttachmentFiles: fail };
};
