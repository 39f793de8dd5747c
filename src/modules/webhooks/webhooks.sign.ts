// Signing as Standard Webhooks specifies (https://www.standardwebhooks.com): a secret is `whsec_`
// and base64 of random bytes; a delivery carries `webhook-id` (the same on every retry),
// `webhook-timestamp` (seconds) and `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of
// `{id}.{timestamp}.{body}` keyed with the secret's bytes, one per secret, separated by spaces
// (after a rotation the previous secret signs too for a while, so receivers can switch over).
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new secret: 32 random bytes (the specification asks for 24 to 64). */
export const newSecret = (): string => `${PREFIX}${randomBytes(32).toString('base64')}`;

const keyOf = (secret: string): Buffer => Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/** The `webhook-signature` value of one message, signed with each of the secrets. */
export const sign = (secrets: readonly string[], id: string, timestamp: number, body: string): string =>
  secrets.map((secret) => `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`).join(' ');

/** The headers of one attempt. */
export const signedHeaders = (secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> => {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secrets, id, timestamp, body) };
};

/** The message id of an event: the same for every endpoint and every retry, unique in this installation. */
export const messageId = (eventId: number): string => `msg_${eventId}`;
