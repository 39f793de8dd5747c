// One error handler: maps errors to a status and renders errors/error.eta. 5xx messages are hidden.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isDiskFull, ValidationError, type FieldErrors } from '../lib/errors.ts';
import type { Translator } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/catalogue.ts';

const renderError = async (request: FastifyRequest, reply: FastifyReply, status: number, error?: FastifyError) => {
  const key = status === 404 ? '404' : status === 403 ? '403' : status === 429 ? '429' : status === 507 ? '507' : status >= 500 ? '500' : '400';
  const wantsHtml = !/\.(txt|json|xml|rss|atom)$/.test(request.url.split('?')[0] ?? '') && typeof reply.page === 'function' && request.t;
  // Pages speak the visitor's language: messages come from the catalogue, a library's English never
  // shows. A service's own error in a feed or text answer keeps its words, written for that reader.
  const message = !error || status >= 500 || !request.t ? '' : !wantsHtml && error instanceof AppError ? error.message : humanMessage(error, request.t);
  if (!wantsHtml) {
    const text = status === 507 ? 'Insufficient Storage: the disk is full, nothing was saved' : status >= 500 ? 'Internal Server Error' : message || (status === 404 ? 'Not Found' : 'Bad Request');
    return reply.code(status).type('text/plain; charset=utf-8').send(`${status} ${text}\n`);
  }
  const text = key === '400' ? (status === 409 ? request.t.t('error.409.text') : message ? request.t.t('error.400.text', { message }) : request.t.t('error.400.textGeneric')) : request.t.t(`error.${key}.text`);
  return reply.page('errors/error', { status, key, text, robots: 'noindex' }, status);
};

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      let status = error instanceof AppError ? error.statusCode : (error.statusCode ?? 500);
      if (error.validation) status = 400;
      if (status < 400) status = 500;
      // A full disk is said as such (507), to the writer and in the log: nothing was saved, and
      // it passes when space returns.
      if (isDiskFull(error)) {
        status = 507;
        request.log.error({ err: error, event: 'disk.full' }, 'the disk is full: nothing was saved');
      } else if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.warn({ code: error.code, status }, error.message);
      try {
        return await renderError(request, reply, status, error);
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

/**
 * A failed schema check in words of the catalogue: `„page“ muss mindestens 1 sein`. Other 4xx
 * errors say nothing of their own (their messages are for the log): the page's text explains.
 */
export const humanMessage = (error: FastifyError, t: Translator): string => {
  if (!error.validation) return error instanceof ValidationError ? fieldMessages(error.fields, t) : '';
  return error.validation
    .map((v) => {
      const field = (v.instancePath || '').replace(/^\//, '').replace(/\/\d+$/, '') || String(v.params?.missingProperty ?? '') || error.validationContext || '?';
      const limit = String(v.params?.limit ?? '');
      switch (v.keyword) {
        case 'minimum':
        case 'maximum':
        case 'minLength':
        case 'maxLength':
        case 'required':
          return t.t(`validation.${v.keyword}`, { field, limit });
        case 'type':
          return t.t(['integer', 'number', 'finite number'].includes(String(v.params?.type)) ? 'validation.type' : 'validation.typeText', { field });
        default:
          return t.t('validation.invalid', { field });
      }
    })
    .filter((text, i, all) => all.indexOf(text) === i)
    .join('; ');
};

/** A service's field errors (`{ slug: 'invalid' }`) as the catalogue words them. */
const fieldMessages = (fields: FieldErrors, t: Translator): string =>
  Object.entries(fields)
    .map(([field, key]) => `${field}: ${t.t(`field.${key}` as MessageKey) ?? t.t('field.invalid')}`)
    .join('; ');
