// Ajv, as Fastify builds it (`ajv.onCreate`): no number that is not finite passes validation.
//
// Ajv coerces a query string such as "1e309" or "Infinity" to Infinity and then checks `minimum`
// and `maximum` only for finite numbers, so `Type.Integer({ minimum: 1, maximum: 100 })` let
// `?limit=1e309` through to SQLite ("datatype mismatch", a 500). JSON bodies can carry 1e309 too.
// Every compiled validator is wrapped: after Ajv has validated (and coerced), a non-finite number
// anywhere in the data is a validation error like any other (400, or the form shown again).
import type { FastifyServerOptions } from 'fastify';

type AjvInstance = Parameters<NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>>[0];

/** The JSON pointer of the first number in `data` that is not finite, or null. */
export const nonFinitePath = (data: unknown, path = ''): string | null => {
  if (typeof data === 'number') return Number.isFinite(data) ? null : path;
  if (data === null || typeof data !== 'object') return null;
  for (const [key, value] of Object.entries(data)) {
    const found = nonFinitePath(value, `${path}/${key}`);
    if (found !== null) return found;
  }
  return null;
};

export const rejectNonFiniteNumbers = (ajv: AjvInstance): void => {
  const compile = ajv.compile.bind(ajv);
  ajv.compile = ((schema: Parameters<typeof compile>[0], meta?: boolean) => {
    const validate = compile(schema, meta);
    const wrapped = function (this: unknown, ...args: Parameters<typeof validate>) {
      const valid = validate.apply(this, args);
      wrapped.errors = validate.errors;
      if (valid !== true) return valid;
      const path = nonFinitePath(args[0]);
      if (path === null) return true;
      wrapped.errors = [{ instancePath: path, schemaPath: '#/type', keyword: 'type', params: { type: 'finite number' }, message: 'must be a finite number' }];
      return false;
    } as typeof validate;
    wrapped.schema = validate.schema;
    return wrapped;
  }) as typeof ajv.compile;
};
