// Errors of the API as RFC 9457 problem details (`application/problem+json`): a `type` URI that
// names the kind of problem (a section of the documentation page, /api#problem-…), a title, the
// status, a detail and the path asked for; a bad parameter also lists each one (`invalidParams`).
// Texts are the catalogue's, in the request's language (the site's, for clients without a cookie).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { humanMessage } from '../../plugins/errors.ts';
import type { ApiProblem } from './api.schemas.ts';

export const PROBLEM_KINDS = ['invalid-parameter', 'not-found', 'rate-limited', 'bad-request', 'server-error'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** A problem document for this request. */
export const problemOf = (request: FastifyRequest, status: number, kind: ProblemKind, detail?: string, invalidParams?: ApiProblem['invalidParams']): ApiProblem => {
  const { urls } = request.server.services;
  return {
    type: urls.absolute(`${urls.api.docs()}#problem-${kind}`),
    title: request.t.t(`api.problem.${kind}` as MessageKey),
    status,
    detail: detail ?? request.t.t(`api.problem.${kind}.detail` as MessageKey),
    instance: request.url.split('?')[0] ?? '/',
    ...(invalidParams && invalidParams.length > 0 ? { invalidParams } : {}),
  };
};

export const sendProblem = (reply: FastifyReply, problem: ApiProblem) =>
  reply.code(problem.status).header('cache-control', 'no-store').type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));

/** Each parameter a request got wrong, with the reason in words. */
const invalidParamsOf = (error: FastifyError, request: FastifyRequest): NonNullable<ApiProblem['invalidParams']> => {
  if (error.validation) {
    const params = error.validation.map((v) => ({
      name: (v.instancePath || '').replace(/^\//, '').replace(/\/\d+$/, '') || String(v.params?.missingProperty ?? '') || error.validationContext || '?',
      reason: humanMessage({ ...error, validation: [v] } as FastifyError, request.t),
    }));
    // A value outside a choice fails each alternative: one entry is enough.
    return params.filter((p, i) => params.findIndex((q) => q.name === p.name && q.reason === p.reason) === i);
  }
  if (error instanceof ValidationError) {
    return Object.entries(error.fields).map(([name, code]) => ({ name, reason: request.t.t(`api.reason.${code}` as MessageKey) ?? request.t.t('field.invalid') }));
  }
  return [];
};

/** The API scope's error handler: every error as a problem document, 5xx logged and never explained. */
export const apiErrorHandler = async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
  let status = error instanceof AppError ? error.statusCode : (error.statusCode ?? 500);
  if (error.validation) status = 400;
  if (status < 400) status = 500;
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.warn({ code: error.code, status }, error.message);
  const params = status === 400 ? invalidParamsOf(error, request) : [];
  const kind: ProblemKind = status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : status >= 500 ? 'server-error' : params.length > 0 ? 'invalid-parameter' : 'bad-request';
  const detail = params.length > 0 ? params.map((p) => `${p.name}: ${p.reason}`).join('; ') : undefined;
  return sendProblem(reply, problemOf(request, status, kind, detail, params));
};
