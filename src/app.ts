// The composition root: builds the services once and registers plugins and routes in one explicit order.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import securityPlugin from './plugins/security.ts';
import viewsPlugin from './plugins/views.ts';
import staticPlugin from './plugins/static.ts';
import pageCachePlugin from './plugins/page-cache.ts';
import errorsPlugin from './plugins/errors.ts';
import { createServices, type Services } from './services.ts';
import type { Mailer } from './modules/mail/mailer.ts';
import releasesRoutes from './modules/releases/releases.routes.ts';
import officesRoutes from './modules/offices/offices.routes.ts';
import taxonomiesRoutes from './modules/taxonomies/taxonomies.routes.ts';
import siteRoutes from './modules/site/site.routes.ts';
import sessionPlugin from './plugins/session.ts';
import authRoutes from './modules/auth/auth.routes.ts';
import adminRoutes from './modules/admin/admin.routes.ts';
import releasesPreviewRoutes from './modules/releases/releases.preview-routes.ts';
import { createInterimPhotoStore } from './modules/admin/interim-photo-store.ts';
import type { PhotoStore } from './modules/admin/photo-store.ts';
import { mediaDir } from './plugins/static.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    services: Services;
  }
}

export interface AppDeps {
  config: Config;
  db: Kysely<DB>;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  mailer?: Mailer;
  /** Photo processing for the admin area; defaults to the interim store below DATA_DIR/media. */
  photoStore?: PhotoStore;
  /** Cheaper password hashing for tests; production uses the strong defaults. */
  scryptParams?: { N: number; r: number; p: number };
}

export type { Services };

/** Largest photo or logo upload. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

export const buildApp = async ({ config, db, clock = systemClock, logger = false, mailer, photoStore, scryptParams }: AppDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    bodyLimit: 1024 * 1024,
  });
  const services = createServices({ db, clock, ...(mailer ? { mailer } : {}), ...(scryptParams ? { scryptParams } : {}), onListenerError: (err) => app.log.error({ err, event: 'event.listener.failed' }, 'event listener failed') });
  app.decorate('config', config);
  app.decorate('services', services);

  await app.register(securityPlugin);
  await app.register(sessionPlugin, { config });
  await app.register(viewsPlugin, { config });
  await app.register(pageCachePlugin, { version: () => services.releases.contentVersion() });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(staticPlugin, { config });
  await app.register(errorsPlugin);

  await app.register(releasesRoutes);
  await app.register(officesRoutes);
  await app.register(taxonomiesRoutes);
  await app.register(siteRoutes);
  await app.register(releasesPreviewRoutes);
  await app.register(authRoutes);
  await app.register(adminRoutes, {
    prefix: '/admin',
    photoStore: photoStore ?? createInterimPhotoStore({ mediaDir: mediaDir(config), maxBytes: MAX_UPLOAD_BYTES }),
    maxUploadBytes: MAX_UPLOAD_BYTES,
  });
  return app;
};
