// Static assets under content-hashed URLs (cached for a year, immutable), and the media folder.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { Config } from '../config.ts';
import { STATIC_DIR } from './views.ts';

export const mediaDir = (config: Config): string => config.mediaDir;

export default fp(
  async (app, { config }: { config: Config }) => {
    await app.register(fastifyStatic, {
      root: STATIC_DIR,
      serve: false,
      cacheControl: false,
    });
    // The hash segment is checked by nothing but the cache: a stale hash still gets the current file.
    app.get<{ Params: { hash: string; '*': string } }>('/static/:hash/*', { config: { rateLimit: false } }, (request, reply) => {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply.sendFile(request.params['*'], STATIC_DIR);
    });
    // Uploaded media are served by modules/media/media.routes.ts, which knows whose they are.
    mkdirSync(mediaDir(config), { recursive: true });
  },
  { name: 'static', dependencies: ['views'] },
);
