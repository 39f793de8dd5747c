// One error handler: maps errors to a status and renders errors/error.eta. 5xx messages are hidden.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

const renderError = async (request: FastifyRequest, reply: FastifyReply, status: number, message = '') => {
  const key = status === 404 ? '404' : status === 403 ? '403' : status === 429 ? '429' : status >= 500 ? '500' : '400';
  const wantsHtml = !/\.(txt|json|xml|rss|atom)$/.test(request.url.split('?')[0] ?? '') && typeof reply.page === 'function' && request.t;
  if (!wantsHtml) {
    const text = status >= 500 ? 'Internal Server Error' : message || (status === 404 ? 'Not Found' : 'Bad Request');
    return reply.code(status).type('text/plain; charset=utf-8').send(`${status} ${text}\n`);
  }
  return reply.page('errors/error', { status, key, message, robots: 'noindex' }, status);
};

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      let status = error instanceof AppError ? error.statusCode : (error.statusCode ?? 500);
      if (error.validation) status = 400;
      if (status < 400) status = 500;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.warn({ code: error.code, status }, error.message);
      try {
        return await renderError(request, reply, status, status < 500 ? humanMessage(error) : '');
      } catch (renderFailure) {
        request.log.error({ err: renderFailure }, 'error page failed');
        return reply.code(status).type('text/plain; charset=utf-8').send(`${status}\n`);
      }
    });

    app.setNotFoundHandler(
      { preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute' }) },
      async (request, reply) => renderError(request, reply, 404),
    );
  },
  { name: 'errors', dependencies: ['views', 'security'] },
);

const humanMessage = (error: FastifyError): string => {
  if (error.validation) {
    return error.validation
      .map((v) => `${(v.instancePath || v.params?.missingProperty || '').toString().replace(/^\//, '') || error.validationContext || ''} ${v.message ?? ''}`.trim())
      .join('; ');
  }
  return error.message;
};
