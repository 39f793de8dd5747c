// The composition root: builds the services once and registers plugins and routes in one explicit order.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { DB } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import securityPlugin from './plugins/security.ts';
import viewsPlugin from './plugins/views.ts';
import staticPlugin, { mediaDir } from './plugins/static.ts';
import pageCachePlugin from './plugins/page-cache.ts';
import errorsPlugin from './plugins/errors.ts';
import { createServices, type Services } from './services.ts';
import type { Mailer } from './modules/mail/mailer.ts';
import releasesRoutes from './modules/releases/releases.routes.ts';
import officesRoutes from './modules/offices/offices.routes.ts';
import taxonomiesRoutes from './modules/taxonomies/taxonomies.routes.ts';
import siteRoutes from './modules/site/site.routes.ts';
import csrfPlugin from './plugins/csrf.ts';
import subscriptionsRoutes from './modules/subscriptions/subscriptions.routes.ts';
import feedsRoutes from './modules/feeds/feeds.routes.ts';
import searchRoutes from './modules/search/search.routes.ts';

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
}

export type { Services };

export const buildApp = async ({ config, db, clock = systemClock, logger = false, mailer }: AppDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    bodyLimit: 1024 * 1024,
  });
  const services = createServices({ db, clock, config, mediaDir: mediaDir(config), photoMaxBytes: config.photoMaxBytes, ...(mailer ? { mailer } : {}), onListenerError: (err) => app.log.error({ err, event: 'event.listener.failed' }, 'event listener failed') });
  app.decorate('config', config);
  app.decorate('services', services);

  await app.register(securityPlugin, { https: config.publicUrl.startsWith('https:') });
  await app.register(csrfPlugin, { config });
  await app.register(viewsPlugin, { config });
  await app.register(pageCachePlugin, { state: () => services.releases.contentState() });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(staticPlugin, { config });
  await app.register(errorsPlugin);

  await app.register(releasesRoutes);
  await app.register(officesRoutes);
  await app.register(taxonomiesRoutes);
  await app.register(siteRoutes);
  await app.register(subscriptionsRoutes);
  await app.register(feedsRoutes);
  await app.register(searchRoutes);
  return app;
};
