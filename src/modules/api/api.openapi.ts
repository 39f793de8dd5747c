// The frame of the OpenAPI 3.1 document that @fastify/swagger fills from the route schemas of the
// API (tagged routes only; every other route of the site stays out): title, servers, the words on
// caching, limits and errors, and the webhooks, whose body is the same Release.
import type { SwaggerOptions } from '@fastify/swagger';
import type { Config } from '../../config.ts';
import type { Urls } from '../../lib/urls.ts';
import { PROBLEM_KINDS } from './api.problems.ts';

export const WEBHOOK_TYPES = ['release.published', 'release.corrected', 'release.withdrawn', 'webhook.test'] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

const WEBHOOK_WORDS: Record<WebhookType, string> = {
  'release.published': 'A release went public: at once, or for a scheduled release at its time (never before).',
  'release.corrected': 'A public release was corrected; `data.corrections` holds the note, newest first.',
  'release.withdrawn': 'A release was withdrawn; `data.withdrawn` holds the note, and the body is gone.',
  'webhook.test': 'Sent from the admin area ("Send a test event"): `data` is the newest release, or null.',
};

const header = (name: string, description: string) => ({ name, in: 'header' as const, required: true, description, schema: { type: 'string' as const } });

export const openapiOptions = (config: Config, urls: Urls, example: unknown): SwaggerOptions => ({
  openapi: {
    openapi: '3.1.0',
    info: {
      title: `${config.siteName} API`,
      version: '1',
      description: [
        `Press releases of every office on ${config.siteName}, as data: the same releases, with the same rules, as the pages, feeds and mail.`,
        '',
        '- **No key, no login**: everything here is public. A scheduled release is nowhere before its time.',
        '- **CORS**: any site may read it from a browser.',
        `- **Rate limit**: ${config.apiRateLimit > 0 ? `${config.apiRateLimit} requests a minute per address;` : 'none on this installation;'} every answer says how many are left (\`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\`, \`RateLimit-Policy\`); over it, 429 with \`Retry-After\`.`,
        '- **Caching**: answers carry `ETag`, `Last-Modified` and `Cache-Control`; ask again with `If-None-Match` and get `304 Not Modified` while nothing changed.',
        `- **Errors**: \`application/problem+json\` (RFC 9457); \`type\` is one of ${PROBLEM_KINDS.map((k) => `\`${urls.absolute(`${urls.api.docs()}#problem-${k}`)}\``).join(', ')}.`,
        '- **Webhooks**: offices register endpoints in the admin area; each delivery is signed as Standard Webhooks describes (`webhook-id`, `webhook-timestamp`, `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` with the endpoint’s secret after `whsec_`). Verify it with any Standard Webhooks library.',
      ].join('\n'),
    },
    servers: [{ url: urls.base }],
    tags: [
      { name: 'releases', description: 'Press releases.' },
      { name: 'offices', description: 'Press offices with their contacts.' },
      { name: 'terms', description: 'Topics and regions.' },
    ],
    webhooks: Object.fromEntries(
      WEBHOOK_TYPES.map((type) => [
        type,
        {
          post: {
            operationId: `webhook-${type.replace('.', '-')}`,
            summary: type,
            description: WEBHOOK_WORDS[type],
            parameters: [
              header('webhook-id', 'The message’s id: the same on every retry, so a receiver can drop duplicates.'),
              header('webhook-timestamp', 'Seconds since 1970 when this attempt was signed; refuse ones far from your clock.'),
              header('webhook-signature', 'Space-separated `v1,{base64 signature}`: one per secret (two for a day after the secret was rotated).'),
            ],
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEvent' }, example } } },
            responses: {
              '2XX': { description: 'Received. Any other answer, a redirect other than 307/308, or none within 10 seconds is retried with backoff for about a day, after which the endpoint is disabled and its owners told by mail.' },
            },
          },
        },
      ]),
    ),
  },
  hideUntagged: true,
  // Shared schemas keep their names (`Release`, `Office`, …) in components/schemas.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
});
