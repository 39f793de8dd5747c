// The composition root: builds the services once and registers plugins and routes in one explicit order.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import securityPlugin from './plugins/security.ts';
import { databaseRateLimitStore } from './plugins/rate-limit-store.ts';
import { dialectOf } from './db/dialect.ts';
import viewsPlugin from './plugins/views.ts';
import staticPlugin, { mediaDir } from './plugins/static.ts';
import pageCachePlugin from './plugins/page-cache.ts';
import errorsPlugin from './plugins/errors.ts';
import requestLogPlugin from './plugins/request-log.ts';
import { createServices, type Services } from './services.ts';
import { rejectNonFiniteNumbers } from './lib/finite-numbers.ts';
import { databaseFile } from './db/connect.ts';
import { createSearchPool } from './modules/search/search.pool.ts';
import type { Mailer } from './modules/mail/mailer.ts';
import releasesRoutes from './modules/releases/releases.routes.ts';
import officesRoutes from './modules/offices/offices.routes.ts';
import taxonomiesRoutes from './modules/taxonomies/taxonomies.routes.ts';
import siteRoutes from './modules/site/site.routes.ts';
import publicCsrfPlugin from './plugins/public-csrf.ts';
import legalRoutes from './modules/legal/legal.routes.ts';
import { legalLinks } from './modules/legal/legal.links.ts';
import applicationsRoutes from './modules/applications/applications.routes.ts';
import subscriptionsRoutes from './modules/subscriptions/subscriptions.routes.ts';
import feedsRoutes from './modules/feeds/feeds.routes.ts';
import searchRoutes from './modules/search/search.routes.ts';
import sessionPlugin from './plugins/session.ts';
import authRoutes from './modules/auth/auth.routes.ts';
import adminRoutes from './modules/admin/admin.routes.ts';
import releasesAdminRoutes, { releasesAdminRootRoutes } from './modules/releases/releases.admin-routes.ts';
import officesAdminRoutes from './modules/offices/offices.admin-routes.ts';
import mailAdminRoutes from './modules/mail/mail.admin-routes.ts';
import taxonomiesAdminRoutes from './modules/taxonomies/taxonomies.admin-routes.ts';
import auditAdminRoutes from './modules/audit/audit.admin-routes.ts';
import legalAdminRoutes from './modules/legal/legal.admin-routes.ts';
import applicationsAdminRoutes from './modules/applications/applications.admin-routes.ts';
import releasesPreviewRoutes from './modules/releases/releases.preview-routes.ts';
import mediaRoutes from './modules/media/media.routes.ts';
import pressKitsRoutes from './modules/press-kits/press-kits.routes.ts';
import prereleasesRoutes from './modules/prereleases/prereleases.routes.ts';
import prereleasesAdminRoutes from './modules/prereleases/prereleases.admin-routes.ts';
import apiAccessPlugin from './modules/api/api.access.ts';
import apiRoutes from './modules/api/api.routes.ts';
import apiDocsRoutes from './modules/api/api.docs.ts';
import { openapiOptions } from './modules/api/api.openapi.ts';
import { apiExamples } from './modules/api/api.examples.ts';
import embedsRoutes from './modules/embeds/embeds.routes.ts';
import { webhooksOfficeAdminRoutes, webhooksPlatformAdminRoutes } from './modules/webhooks/webhooks.admin-routes.ts';
import signingRoutes from './modules/signing/signing.routes.ts';
import federationRoutes from './modules/federation/federation.routes.ts';
import type { PhotoStore } from './modules/admin/photo-store.ts';
import journalistsRoutes from './modules/journalists/journalists.routes.ts';
import { journalistsOfficeAdminRoutes, journalistsPlatformAdminRoutes } from './modules/journalists/journalists.admin-routes.ts';


export interface AppDeps {
  config: Config;
  db: Kysely<DB>;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  mailer?: Mailer;
  /** Photo processing for the admin area; defaults to the media store below DATA_DIR/media. */
  photoStore?: PhotoStore;
  /** Cheaper password hashing for tests; production uses the strong defaults. */
  scryptParams?: { N: number; r: number; p: number };
  /** Told of every route as it is added (Fastify's onRoute hook): tests list the routes this way. */
  onRoute?: (route: RouteOptions) => void;
}

export type { Services };

export const buildApp = async ({ config, db, clock = systemClock, logger = false, mailer, photoStore, scryptParams, onRoute }: AppDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    logger,
    // One line per request instead of Fastify's two, written by plugins/request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    bodyLimit: 1024 * 1024,
    ajv: { onCreate: rejectNonFiniteNumbers },
    // A client gets REQUEST_TIMEOUT for the whole request (headers and body), then a 408: a body
    // trickled in a byte at a time no longer holds a connection for minutes. Node checks the open
    // connections every few seconds (by default every 30), so the limit holds closely.
    requestTimeout: config.requestTimeoutMs,
    http: { headersTimeout: Math.min(60_000, config.requestTimeoutMs), connectionsCheckingInterval: Math.max(100, Math.min(5_000, config.requestTimeoutMs / 4)) },
  });
  if (onRoute) app.addHook('onRoute', onRoute);
  const services = createServices({ db, clock, config, mediaDir: mediaDir(config), photoMaxBytes: config.photoMaxBytes, attachmentMaxBytes: config.attachmentMaxBytes, ...(mailer ? { mailer } : {}), ...(scryptParams ? { scryptParams } : {}), onListenerError: (err) => app.log.error({ err, event: 'event.listener.failed' }, 'event listener failed'), onSigningError: (err, releaseId) => app.log.error({ err, releaseId, event: 'release.signing.failed' }, 'signing a release failed; the sign-releases sweep retries') });
  // The worker threads read the SQLite file themselves; on PostgreSQL the database server does the work.
  if (config.searchWorkers > 0 && !config.databaseUrl) {
    const file = databaseFile(config.dataDir);
    const inProcess = services.search.search;
    const pool = createSearchPool({
      file,
      size: config.searchWorkers,
      clock,
      contentVersion: () => services.releases.contentVersion(),
      fallback: inProcess,
      onError: (err) => app.log.error({ err, event: 'search.worker.failed' }, 'search worker failed'),
    });
    services.search = { ...services.search, search: pool.search };
    app.addHook('onClose', () => pool.close());
  }
  app.decorate('config', config);
  app.decorate('services', services);

  await app.register(securityPlugin, { https: config.publicUrl.startsWith('https:'), ...(dialectOf(db) === 'postgres' ? { rateLimitStore: databaseRateLimitStore(db) } : {}) });
  await app.register(sessionPlugin, { config });
  await app.register(publicCsrfPlugin, { config });
  await app.register(viewsPlugin, { config, legal: legalLinks(config, services.urls) });
  // Before the page cache, so a cached API answer is counted and carries its CORS headers too.
  await app.register(apiAccessPlugin, { perMinute: config.apiRateLimit });
  await app.register(pageCachePlugin, { state: () => services.releases.contentState(), peek: () => services.releases.peekContentState() });
  await app.register(requestLogPlugin);
  // Brotli's window at 2^18 bytes (the default 2^22 makes each answer's encoder hold several MiB
  // until collected): our answers are pages and feeds well under a megabyte, so they compress the
  // same, and a busy server's resident memory stays flat.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4, [zlibConstants.BROTLI_PARAM_LGWIN]: 18 } },
  });
  await app.register(staticPlugin, { config });
  await app.register(errorsPlugin);
  // Collects the API's route schemas (tagged routes only) into the OpenAPI document; before any route.
  await app.register(swagger, openapiOptions(config, services.urls, apiExamples(services.urls).webhookEvent));

  await app.register(releasesRoutes);
  await app.register(officesRoutes);
  await app.register(taxonomiesRoutes);
  await app.register(siteRoutes);
  await app.register(legalRoutes);
  await app.register(applicationsRoutes);
  await app.register(subscriptionsRoutes);
  await app.register(feedsRoutes);
  await app.register(searchRoutes);
  await app.register(releasesPreviewRoutes);
  await app.register(mediaRoutes);
  await app.register(pressKitsRoutes);
  await app.register(prereleasesRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(apiDocsRoutes);
  await app.register(embedsRoutes);
  await app.register(signingRoutes);
  await app.register(federationRoutes);
  await app.register(journalistsRoutes);
  await app.register(authRoutes);
  await app.register(adminRoutes, {
    prefix: '/admin',
    photoStore: photoStore ?? services.photos,
    // One byte over the store's limit, so the store (not multipart) names a too-large file.
    maxUploadBytes: config.photoMaxBytes + 1,
    root: [releasesAdminRootRoutes],
    office: [releasesAdminRoutes, officesAdminRoutes, webhooksOfficeAdminRoutes, journalistsOfficeAdminRoutes, prereleasesAdminRoutes],
    mail: mailAdminRoutes,
    platform: [taxonomiesAdminRoutes, auditAdminRoutes, legalAdminRoutes, applicationsAdminRoutes, webhooksPlatformAdminRoutes, journalistsPlatformAdminRoutes],
  });
  return app;
};
