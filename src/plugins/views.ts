// Eta templates through @fastify/view, the UI language of each request, and `reply.page()`, which
// renders a template with the layout-wide data from `baseView(request)`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config, Lang } from '../config.ts';
import { createTranslator, type Translator } from '../i18n/i18n.ts';
import { htmlTemplates, VIEWS_DIR } from '../content/templates.ts';

export const STATIC_DIR = path.resolve(import.meta.dirname, '../../static');


/** Content hashes of every file in static/, so asset URLs can be cached immutably. */
const hashStaticFiles = (): Map<string, string> => {
  const hashes = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hashes.set(path.relative(STATIC_DIR, full).split(path.sep).join('/'), createHash('sha256').update(readFileSync(full)).digest('hex').slice(0, 12));
    }
  };
  walk(STATIC_DIR);
  return hashes;
};

export const LANG_COOKIE = 'herold_lang';

const langFromCookie = (header: string | undefined): Lang | undefined => {
  const match = header && /(?:^|;\s*)herold_lang=(de|en)(?:;|$)/.exec(header);
  return match ? (match[1] as Lang) : undefined;
};

export interface BaseView {
  site: { name: string; url: string };
  lang: Lang;
  t: Translator['t'];
  asset: (file: string) => string;
  currentPath: string;
  otherLang: Lang;
  canonical: string | null;
  robots: string | null;
  /** Imprint and privacy notice, linked in every page's footer (modules/legal/legal.links.ts, passed in by app.ts). */
  legal: { imprint: string; privacy: string };
}

export const baseView = (request: FastifyRequest, config: Config, asset: (file: string) => string, legal: BaseView['legal']): BaseView => ({
  site: { name: config.siteName, url: config.publicUrl },
  lang: request.lang,
  t: request.t.t,
  asset,
  currentPath: request.url.split('?')[0] ?? '/',
  otherLang: request.lang === 'de' ? 'en' : 'de',
  canonical: null,
  robots: null,
  legal,
});

export default fp(
  async (app, { config, legal }: { config: Config; legal: BaseView['legal'] }) => {
    await app.register(fastifyView, { engine: { eta: htmlTemplates }, templates: VIEWS_DIR, production: true, viewExt: 'eta' });

    const translators: Record<Lang, Translator> = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
    app.decorate('translators', translators);
    const hashes = hashStaticFiles();
    const asset = (file: string): string => `/static/${hashes.get(file) ?? 'missing'}/${file}`;
    app.decorate('asset', asset);

    app.decorateRequest('lang', config.lang);
    app.decorateRequest('t', null as unknown as Translator);
    app.addHook('onRequest', (request, _reply, done) => {
      request.lang = langFromCookie(request.headers.cookie) ?? config.lang;
      request.t = translators[request.lang];
      done();
    });

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200) {
      const html = await this.viewAsync(template, { ...baseView(this.request, config, asset, legal), ...data });
      return this.code(status).type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'views' },
);
