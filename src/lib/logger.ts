// The server's logger options: JSON lines, or pino-pretty's readable lines when stdout is a
// terminal (never decided by NODE_ENV). Cookies and credentials are dropped and request URLs masked
// (redact.ts). Requests are logged once each, by plugins/request-log.ts. pino-pretty (some 40 files
// with what it imports) is imported only for a terminal: a service manager's server starts without.
import type { FastifyServerOptions } from 'fastify';
import { logRedaction } from './redact.ts';

/** The fields of the one line per request (plugins/request-log.ts). */
interface RequestLine {
  method?: string;
  url?: string;
  status?: number;
  ms?: number;
  cache?: string;
}

/** `GET /offices 200 3.1 ms`, with ` (cache hit)` when answered from the page cache. */
const prettyMessage = (log: Record<string, unknown>, messageKey: string): string => {
  const line = log as RequestLine;
  if (line.method === undefined) return String(log[messageKey] ?? '');
  return `${line.method} ${line.url} ${line.status} ${line.ms} ms${line.cache ? ` (cache ${line.cache})` : ''}`;
};

export const loggerOptions = async ({ level, pretty: isPretty, destination }: { level: string; pretty: boolean; destination?: NodeJS.WritableStream }): Promise<FastifyServerOptions['logger']> => ({
  level,
  ...logRedaction,
  ...(isPretty
    ? {
        stream: (await import('pino-pretty')).default({
          colorize: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,reqId,method,url,status,ms,cache',
          singleLine: true,
          messageFormat: prettyMessage,
          ...(destination ? { destination, colorize: false, sync: true } : {}),
        }),
      }
    : {}),
});
