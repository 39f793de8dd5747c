// The public JSON API, version 1, below /api/v1: releases (a list with the search's filters, a sync
// by `updated_since`, cursor pages), one release, offices, topics, regions. Reads only, no login.
// Every answer is the same for everyone, so the page cache keeps it until the content changes (with
// ETag/304 and Cache-Control); api.access.ts adds CORS and the per-address rate limit. A release is
// the presenter's public view rendered by api.render.ts; visibility is the site's (release.ts): a
// scheduled release is nowhere before its time, a withdrawn one says so. Errors are problem
// documents (api.problems.ts). The schemas (api.schemas.ts) make the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../lib/errors.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { CORS_HEADERS, PREFLIGHT_HEADERS } from './api.access.ts';
import { apiExamples } from './api.examples.ts';
import { apiErrorHandler, problemOf, sendProblem } from './api.problems.ts';
import { officeJson, releaseJson, taxonJson } from './api.render.ts';
import { DEFAULT_LIMIT, OfficeParams, ReleaseIdParams, ReleaseListQuery, SHARED_SCHEMAS } from './api.schemas.ts';

/** The query parameters of the release list, in the order its `next` links write them. */
const LIST_PARAMS = ['q', 'office', 'topic', 'region', 'language', 'from', 'to', 'updated_since', 'limit', 'cursor'] as const;

/** Everyone gets the same answer: one cache entry per URL (only the parameters that matter), kept until the content changes. */
const cached = (query: readonly string[] = []) => ({ pageCache: { shared: true, maxAge: 60, query }, api: true });

const ok = (ref: string, description: string, example: unknown) => ({
  description,
  content: { 'application/json': { schema: Type.Ref(ref), example } },
});

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Type.Ref('Problem') } } });
const COMMON_PROBLEMS = { 429: problem('Too many requests from this address: see `Retry-After` and the `RateLimit-*` headers.') };

export default async function apiRoutes(app: FastifyInstance) {
  const { api, releases, offices, taxonomies, urls } = app.services;
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const examples = apiExamples(urls);

  app.setErrorHandler(apiErrorHandler);
  app.setNotFoundHandler(async function showApiNotFound(request, reply) {
    reply.headers(CORS_HEADERS);
    return sendProblem(reply, problemOf(request, 404, 'not-found'));
  });

  // A script on another site that sends If-None-Match asks first (a CORS preflight).
  app.options('/*', async function answerPreflight(_request, reply) {
    return reply.code(204).headers(PREFLIGHT_HEADERS).send();
  });

  app.get<{ Querystring: ReleaseListQuery }>(
    '/releases',
    {
      schema: {
        tags: ['releases'],
        operationId: 'listReleases',
        summary: 'List releases',
        description:
          'Public releases of every office, newest publication first, in pages of `limit`. With `q`, a full-text search (newest release date first). With `updated_since`, a sync: every release whose last public change is at or after that time, withdrawn ones included (with their withdrawal, so a copy can be taken down), oldest change first: keep the last `updatedAt` you saw and ask again from there. Follow `next` (or the `Link` header) for the following page; a page never repeats or skips a release because others appear meanwhile.',
        querystring: ReleaseListQuery,
        response: { 200: ok('ReleaseList', 'A page of releases.', examples.releaseList), 400: problem('A parameter is malformed, names an unknown office, topic or region, or the cursor belongs to another list.'), ...COMMON_PROBLEMS },
      },
      config: cached(LIST_PARAMS),
    },
    async function listReleases(request, reply) {
      const q = request.query;
      const page = await api.listReleases({ q: q.q, offices: q.office, topic: q.topic, region: q.region, language: q.language, from: q.from, to: q.to, updatedSince: q.updated_since, cursor: q.cursor, limit: q.limit ?? DEFAULT_LIMIT });
      const next = page.next ? urls.absolute(urls.api.releases({ ...Object.fromEntries(LIST_PARAMS.map((name) => [name, name === 'limit' ? String(q.limit ?? DEFAULT_LIMIT) : q[name]])), cursor: page.next })) : null;
      if (next) reply.header('link', `<${next}>; rel="next"`);
      return { items: page.releases.map((r) => releaseJson(presentRelease(r, urls), urls)), next };
    },
  );

  app.get<{ Params: ReleaseIdParams }>(
    '/releases/:id',
    {
      schema: {
        tags: ['releases'],
        operationId: 'getRelease',
        summary: 'One release',
        description: 'A release complete: body as HTML, plain text and Markdown, photos with their sizes and metadata, attachments, contact, republication notice, every correction. A withdrawn release is still here, saying so (without its body); a draft or a scheduled release before its time is not found.',
        params: ReleaseIdParams,
        response: { 200: ok('Release', 'The release.', examples.release), 404: problem('No public release with this id.'), ...COMMON_PROBLEMS },
      },
      config: cached(),
    },
    async function showRelease(request) {
      const release = await releases.findPublic(request.params.id);
      if (!release) throw new NotFoundError();
      return releaseJson(presentRelease(release, urls), urls);
    },
  );

  const officeWithContacts = async (office: NonNullable<Awaited<ReturnType<typeof offices.findBySlug>>>) => {
    const contacts = await offices.contacts(office.id);
    // The default contact first, as the office page shows them.
    contacts.sort((a, b) => Number(b.id === office.defaultContactId) - Number(a.id === office.defaultContactId));
    return officeJson(office, contacts, urls);
  };

  app.get(
    '/offices',
    {
      schema: {
        tags: ['offices'],
        operationId: 'listOffices',
        summary: 'List offices',
        description: 'Every press office, by name, with its press contacts and feeds.',
        response: { 200: ok('OfficeList', 'The offices.', examples.officeList), ...COMMON_PROBLEMS },
      },
      config: cached(),
    },
    async function listOffices() {
      return { items: await Promise.all((await offices.listAll()).map(officeWithContacts)) };
    },
  );

  app.get<{ Params: OfficeParams }>(
    '/offices/:office',
    {
      schema: {
        tags: ['offices'],
        operationId: 'getOffice',
        summary: 'One office',
        params: OfficeParams,
        response: { 200: ok('Office', 'The office.', examples.office), 404: problem('No office with this slug.'), ...COMMON_PROBLEMS },
      },
      config: cached(),
    },
    async function showOffice(request) {
      const office = await offices.findBySlug(request.params.office);
      if (!office) throw new NotFoundError();
      return officeWithContacts(office);
    },
  );

  for (const kind of ['topic', 'region'] as const) {
    const table = kind === 'topic' ? 'topics' : 'regions';
    app.get(
      `/${table}`,
      {
        schema: {
          tags: ['terms'],
          operationId: kind === 'topic' ? 'listTopics' : 'listRegions',
          summary: kind === 'topic' ? 'List topics' : 'List regions',
          description: `Every ${kind}, by name; filter the release list with \`${kind}={slug}\`.`,
          response: { 200: ok('TaxonList', `The ${table}.`, kind === 'topic' ? examples.topics : examples.regions), ...COMMON_PROBLEMS },
        },
        config: cached(),
      },
      async function listTerms() {
        return { items: (await taxonomies.list(table)).map((term) => taxonJson(kind, term, urls)) };
      },
    );
  }
}

