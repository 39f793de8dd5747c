// Static assets under content-hashed URLs (cached for a year, immutable) and uploaded media.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { Config } from '../config.ts';
import { STATIC_DIR } from './views.ts';

export const mediaDir = (config: Config): string => path.join(config.dataDir, 'media');

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
    mkdirSync(mediaDir(config), { recursive: true });
    await app.register(fastifyStatic, {
      root: mediaDir(config),
      prefix: '/media/',
      decorateReply: false,
      maxAge: '30d',
      immutable: true,
      index: false,
      dotfiles: 'deny',
    });
  },
  { name: 'static', dependencies: ['views'] },
);
