// Embeds: the latest releases of an office, a topic or a region as a small page for an <iframe>
// on the office's own website (`/offices/{office}/embed`, `/topics/{topic}/embed`,
// `/regions/{region}/embed`). No JavaScript, one stylesheet; light, dark or following the reader's
// system (`theme`), a compact style without summaries and photos (`compact=1`), `count` releases
// (1–20), narrowed by `topic` and by `lang` (which also sets the labels' language). These routes
// alone may be framed by any site (route config `embed`, read by plugins/security.ts). Each release is rendered from
// the presenter's public view, as on every channel; every link leaves the frame (`target="_top"`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { toLocation, queryOf } from '../../lib/urls.ts';
import type { Lang } from '../../config.ts';
import type { ListFilter } from '../releases/releases.service.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { embedView } from './embeds.views.ts';

export const EMBED_MAX = 20;
export const EMBED_DEFAULT = 5;

export const EmbedQuery = Type.Object({
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: EMBED_MAX })),
  topic: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
  theme: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('light'), Type.Literal('dark')])),
  compact: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
});
export type EmbedQuery = Static<typeof EmbedQuery>;

/** The same for every visitor: one cache entry per set of options, kept until the content changes. */
const EMBED_CACHE = { shared: true, maxAge: 300, query: ['count', 'topic', 'lang', 'theme', 'compact'] } as const;

const SCOPES = [
  { scope: 'office', prefix: '/offices/:office', param: 'office' },
  { scope: 'topic', prefix: '/topics/:topic', param: 'topic' },
  { scope: 'region', prefix: '/regions/:region', param: 'region' },
] as const;

export default async function embedsRoutes(app: FastifyInstance) {
  const { releases, offices, taxonomies, urls } = app.services;
  const { config } = app;

  for (const { scope, prefix, param } of SCOPES) {
    app.get<{ Params: Record<string, string>; Querystring: EmbedQuery }>(
      `${prefix}/embed`,
      {
        schema: { params: Type.Object({ [param]: Type.String({ maxLength: 100 }) }), querystring: EmbedQuery },
        attachValidation: true,
        config: { pageCache: EMBED_CACHE, embed: true },
      },
      async function showEmbed(request: FastifyRequest<{ Params: Record<string, string>; Querystring: EmbedQuery }>, reply: FastifyReply) {
        if (request.validationError) {
          if (request.validationError.validationContext === 'params') throw new NotFoundError();
          throw new ValidationError(`count 1–${EMBED_MAX}, lang de or en, theme auto, light or dark, compact 0 or 1`, { query: 'invalid' });
        }
        const q = request.query;
        const slug = request.params[param] ?? '';
        let filter: ListFilter;
        let name: string;
        let listing: string;
        if (scope === 'office') {
          const office = await offices.findBySlug(slug);
          if (!office) throw new NotFoundError();
          filter = { officeId: office.id };
          name = office.name;
          listing = urls.office(office.slug);
        } else {
          const table = scope === 'topic' ? 'topics' : 'regions';
          const term = await taxonomies.find(table, slug);
          if (!term) {
            // A renamed or merged term's embed moved with its page.
            const moved = await taxonomies.findRedirect(table, slug);
            if (moved) return reply.redirect(toLocation(urls.embed(scope === 'topic' ? urls.topic(moved) : urls.region(moved)) + queryOf(request.url)), 301);
            throw new NotFoundError();
          }
          filter = scope === 'topic' ? { topicId: term.id } : { regionId: term.id };
          name = term.name;
          listing = scope === 'topic' ? urls.topic(term.slug) : urls.region(term.slug);
        }
        if (q.topic) {
          const topic = (await taxonomies.find('topics', q.topic)) ?? (await taxonomies.find('topics', (await taxonomies.findRedirect('topics', q.topic)) ?? ''));
          if (!topic) throw new ValidationError(`unknown topic ${q.topic}`, { topic: 'unknown' });
          filter = { ...filter, topicId: topic.id };
        }
        const lang: Lang = q.lang ?? config.lang;
        if (q.lang) filter = { ...filter, language: q.lang };
        const items = (await releases.latestPublic(filter, q.count ?? EMBED_DEFAULT)).map((r) => presentRelease(r, urls));
        const t = app.translators[lang];
        const html = await reply.viewAsync(
          'embeds/list',
          embedView({ items, name, listing, lang, theme: q.theme ?? 'auto', compact: q.compact === '1', t, urls, siteName: config.siteName, stylesheet: app.asset('css/embed.css') }),
        );
        return reply.type('text/html; charset=utf-8').send(html);
      },
    );
  }
}
