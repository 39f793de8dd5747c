// Ajv, as Fastify builds it (`ajv.onCreate`): no number that is not finite passes validation.
//
// Ajv coerces a query string such as "1e309" or "Infinity" to Infinity and then checks `minimum`
// and `maximum` only for finite numbers, so `Type.Integer({ minimum: 1, maximum: 100 })` let
// `?limit=1e309` through to SQLite ("datatype mismatch", a 500). JSON bodies can carry 1e309 too.
// Every compiled validator is wrapped: after Ajv has validated (and coerced), a non-finite number
// anywhere in the data is a validation error like any other (400, or the form shown again).
//
// Ajv compiles a route's schema at its first request, or when `compileWaitingValidators` (called by
// the server once it listens) gets to it, not when Fastify asks for the validator at start:
// compiling every route's schemas was a fifth of the time from `buildApp` to the first answer
// (measured at 100k releases: `ready` 105-130 ms after `buildApp` instead of 310 ms).
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

/** Validators not compiled yet, each as the call that compiles it. */
const waiting = new Set<() => void>();

/**
 * Compiles the validators no request has needed yet, one per turn of the event loop, so requests
 * are answered in between. Every one is tried; if a schema does not compile, this rejects with the
 * first such error once all are through, shortly after the start.
 */
export const compileWaitingValidators = async (): Promise<void> => {
  let failure: unknown;
  for (const compileNow of waiting) {
    try {
      compileNow();
    } catch (error) {
      failure ??= error;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (failure !== undefined) throw failure;
};

export const rejectNonFiniteNumbers = (ajv: AjvInstance): void => {
  const compile = ajv.compile.bind(ajv);
  ajv.compile = ((schema: Parameters<typeof compile>[0], meta?: boolean) => {
    let validate: ReturnType<typeof compile> | undefined;
    const compileNow = () => {
      waiting.delete(compileNow);
      return (validate ??= compile(schema, meta));
    };
    waiting.add(compileNow);
    const wrapped = function (this: unknown, ...args: Parameters<ReturnType<typeof compile>>) {
      // Once compiled, the hot path reads the validator without touching the waiting set.
      const validator = validate ?? compileNow();
      const valid = validator.apply(this, args);
      wrapped.errors = validator.errors;
      if (valid !== true) return valid;
      const path = nonFinitePath(args[0]);
      if (path === null) return true;
      wrapped.errors = [{ instancePath: path, schemaPath: '#/type', keyword: 'type', params: { type: 'finite number' }, message: 'must be a finite number' }];
      return false;
    } as ReturnType<typeof compile>;
    wrapped.schema = schema;
    return wrapped;
  }) as typeof ajv.compile;
};
