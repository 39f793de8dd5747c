// Fedify answers its URLs itself, through the Web Fetch API (`federation.fetch(Request) →
// Response`); these routes hand Fastify's requests over and its answers back, so every URL of the
// fediverse side is an ordinary route (listed, rate-limited, logged, walked by the route tests).
// A browser that opens an actor or an object (it asks for HTML) is sent to the page it stands for.
// The inboxes take the raw body (Fedify checks its digest and the HTTP Signature); this scope has
// no other body parser. They need no CSRF token: they are server-to-server, and an activity counts
// only when its HTTP Signature verifies against the sending account's key.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';

/** Largest activity accepted (Mastodon sends a few kilobytes). */
const MAX_ACTIVITY_BYTES = 256 * 1024;

const SLUG = /^[a-z0-9-]{1,100}$/;

export default async function federationRoutes(app: FastifyInstance) {
  const { federation: fediverse, urls } = app.services;
  if (!fediverse.available) return;
  const origin = new URL(urls.base).origin;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ACTIVITY_BYTES }, (_request, body, done) => done(null, body));

  /** Hands the request to Fedify; `page` is where a browser asking for HTML is sent instead. */
  const handOver = async (request: FastifyRequest, reply: FastifyReply, page?: string) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      for (const v of [value].flat()) headers.append(name, v);
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const body = hasBody ? new Uint8Array(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)) : undefined;
    let outcome: 'notFound' | 'notAcceptable' | undefined;
    const federation = await fediverse.federation();
    const response = await federation.fetch(new Request(new URL(request.url, origin), { method: request.method, headers, ...(body ? { body } : {}) }), {
      contextData: undefined,
      onNotFound: () => {
        outcome = 'notFound';
        return new Response(null, { status: 404 });
      },
      onNotAcceptable: () => {
        outcome = 'notAcceptable';
        return new Response(null, { status: 406 });
      },
    });
    if (outcome === 'notFound') throw new NotFoundError();
    if (outcome === 'notAcceptable') {
      if (page) return reply.redirect(page, 302);
      throw new NotFoundError();
    }
    reply.code(response.status);
    response.headers.forEach((value, name) => void reply.header(name, value));
    return reply.send(Buffer.from(await response.arrayBuffer()));
  };

  const officePage = (request: FastifyRequest<{ Params: { office: string } }>) => {
    if (!SLUG.test(request.params.office)) throw new NotFoundError();
    return urls.office(request.params.office);
  };

  app.get('/.well-known/webfinger', async function answerWebFinger(request, reply) {
    return handOver(request, reply);
  });
  app.get('/.well-known/nodeinfo', async function answerNodeInfoLinks(request, reply) {
    return handOver(request, reply);
  });
  app.get('/nodeinfo/2.1', async function answerNodeInfo(request, reply) {
    return handOver(request, reply);
  });
  app.get<{ Params: { office: string } }>('/ap/offices/:office', async function showOfficeActor(request, reply) {
    return handOver(request, reply, officePage(request));
  });
  app.get<{ Params: { office: string } }>('/ap/offices/:office/outbox', async function showOfficeOutbox(request, reply) {
    return handOver(request, reply, officePage(request));
  });
  app.get<{ Params: { office: string } }>('/ap/offices/:office/followers', async function showOfficeFollowers(request, reply) {
    return handOver(request, reply, officePage(request));
  });
  app.get<{ Params: { id: string } }>('/ap/releases/:id', async function showReleaseObject(request, reply) {
    if (!/^\d{1,12}$/.test(request.params.id)) throw new NotFoundError();
    return handOver(request, reply, urls.releaseById(Number(request.params.id)));
  });
  app.post<{ Params: { office: string } }>('/ap/offices/:office/inbox', async function receiveActivity(request, reply) {
    if (!SLUG.test(request.params.office)) throw new NotFoundError();
    return handOver(request, reply);
  });
  app.post('/ap/inbox', async function receiveSharedActivity(request, reply) {
    return handOver(request, reply);
  });
}
