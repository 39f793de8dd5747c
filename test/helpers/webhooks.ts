// A real webhook receiver on loopback: records every request (method, path, headers, body) and
// answers with the status `answer` chooses (200 unless told otherwise), and checks signatures with
// the Standard Webhooks reference implementation (the `standardwebhooks` package).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Webhook } from 'standardwebhooks';

export interface ReceivedHook {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Receiver {
  url: string;
  received: ReceivedHook[];
  /** The status (and headers) for the n-th request (0-based); default 200. */
  answer(rule: (n: number, hook: ReceivedHook) => number | { status: number; headers: Record<string, string> }): void;
  /** The parsed body, after checking its signature with `secret` (throws when it does not verify). */
  verified(hook: ReceivedHook, secret: string): { type: string; timestamp: string; data: Record<string, unknown> | null };
}

export const startReceiver = async (t: TestContext): Promise<Receiver> => {
  const received: ReceivedHook[] = [];
  let rule: Parameters<Receiver['answer']>[0] = () => 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const hook: ReceivedHook = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const n = received.length;
      received.push(hook);
      const answer = rule(n, hook);
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (r) => {
      rule = r;
    },
    verified: (hook, secret) => new Webhook(secret).verify(hook.body, hook.headers) as ReturnType<Receiver['verified']>,
  };
};
