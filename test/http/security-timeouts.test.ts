// Finding 5 of the attack on a running instance (issue 20): a `POST /subscribe` sending one byte
// every 5 s stayed open for 401 s. A request (headers and body) has REQUEST_TIMEOUT to arrive, then
// the server answers 408 and closes the connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildTestApp } from '../helpers/app.ts';
import { loadConfig } from '../../src/config.ts';

/** Sends the headers of a POST, then one byte of its body every `every` ms; resolves with what the server said when it closed the connection. */
const trickle = (port: number, path: string, every: number, bytes: number) =>
  new Promise<{ answer: string; sent: number }>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.write(`POST ${path} HTTP/1.1\r\nHost: herold.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${bytes}\r\n\r\n`);
    const timer = setInterval(() => {
      if (socket.destroyed || sent >= bytes) return clearInterval(timer);
      socket.write('a');
      sent++;
    }, every);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, sent });
    });
  });

test('a request trickled in a byte at a time gets 408 and its connection closed once REQUEST_TIMEOUT has passed', async (t) => {
  const { app } = await buildTestApp(t, { env: { REQUEST_TIMEOUT: '1' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  // A normal request on the same server is answered.
  const normal = await fetch(`http://127.0.0.1:${port}/subscribe`);
  assert.equal(normal.status, 200);
  // Forty bytes at one every 150 ms would take six seconds; the server stops waiting long before.
  const { answer, sent } = await trickle(port, '/subscribe', 150, 40);
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.ok(sent < 40, `the whole body was sent (${sent} bytes) before the server gave up`);
});

test('REQUEST_TIMEOUT: two minutes by default, whole seconds from 1 to 3600', () => {
  const env = { DATA_DIR: '/tmp/herold-config-test', SESSION_SECRET: 'x'.repeat(32) };
  assert.equal(loadConfig(env).requestTimeoutMs, 120_000);
  assert.equal(loadConfig({ ...env, REQUEST_TIMEOUT: '30' }).requestTimeoutMs, 30_000);
  for (const bad of ['0', '3601', '1.5', 'abc']) assert.throws(() => loadConfig({ ...env, REQUEST_TIMEOUT: bad }), /REQUEST_TIMEOUT/, bad);
});
