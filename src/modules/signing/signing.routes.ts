// The public side of verifiable releases: the offices' public keys at a well-known URL, and the
// „Echtheit prüfen“ page (GET shows the form, and checks a link of this site given as `?url=`;
// POST checks what was pasted, and only a POST follows links to other sites). The `.sig` file of a
// release is served by the release routes (`/releases/{id}.sig`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC_CSRF_FIELD } from '../../plugins/public-csrf.ts';
import { fetchPublic } from '../../lib/public-fetch.ts';
import { VerifyBody, VerifyQuery } from './signing.schemas.ts';
import { verifyResultView, type VerifyResultView } from './signing.views.ts';

/** Longest input the page takes: a long release with its layout, or a signature file of many versions. */
export const MAX_VERIFY_INPUT = 400_000;

export default async function signingRoutes(app: FastifyInstance) {
  const { signing, verifier, urls } = app.services;
  const { config } = app;
  const limit = app.rateLimit({ max: 30, timeWindow: '1 minute' });
  const fetchPage = (url: string) => fetchPublic(url, { allowPrivate: config.federationAllowPrivate, userAgent: `Herold (+${urls.base})` });

  app.get(urls.signingKeys(), { config: { pageCache: { shared: true, maxAge: 300 } } }, async function showSigningKeys(_request, reply) {
    return reply.type('application/jwk-set+json; charset=utf-8').header('access-control-allow-origin', '*').send(JSON.stringify(await signing.keyList(), null, 2));
  });

  const showPage = async (request: FastifyRequest, reply: FastifyReply, input: string, result: VerifyResultView | null, status = 200, notice = '') => {
    const t = request.t;
    reply.header('cache-control', 'no-store');
    return reply.page(
      'verify/index',
      {
        title: t.t('verify.title'),
        intro: t.t('verify.intro', { site: config.siteName }),
        keysUrl: urls.signingKeys(),
        csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() },
        input,
        result,
        notice,
      },
      status,
    );
  };

  app.get<{ Querystring: VerifyQuery }>(urls.verify(), { schema: { querystring: VerifyQuery }, attachValidation: true, preHandler: limit }, async function showVerifyPage(request, reply) {
    const url = request.validationError ? '' : (request.query.url ?? '').trim();
    // A link of this site is answered from the records; another site's is only filled in (a GET never fetches).
    const own = url !== '' && url.startsWith(`${urls.base}/`);
    const result = own ? verifyResultView(await verifier.verify(url), request.t) : null;
    return showPage(request, reply, url, result);
  });

  app.post<{ Body: VerifyBody }>(urls.verify(), { schema: { body: VerifyBody }, attachValidation: true, preHandler: limit }, async function verifyRelease(request, reply) {
    const input = request.validationError ? '' : (request.body.input ?? '').replace(/\r\n/g, '\n');
    if (!request.publicCsrfOk()) return showPage(request, reply, input, null, 403, request.t.t('verify.csrf'));
    if (input.length > MAX_VERIFY_INPUT) return showPage(request, reply, input.slice(0, MAX_VERIFY_INPUT), null, 422, request.t.t('verify.tooLong'));
    if (!input.trim()) return showPage(request, reply, input, null, 422, request.t.t('verify.none.empty'));
    return showPage(request, reply, input, verifyResultView(await verifier.verify(input, { fetchPage }), request.t));
  });
}
