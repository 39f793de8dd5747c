// Admin pages of mail: subscriber counts per followed item and frequency, the mail log (queued,
// sent, failed with reason), and the .eml files the file mailer wrote. An encapsulated plugin
// without its own auth: the integrator registers it inside the /admin scope (requireUser), e.g.
//   await admin.register(mailAdminRoutes, { prefix: '/mail' });
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { NotFoundError } from '../../lib/errors.ts';

const LogQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('cancelled')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
});
type LogQuery = Static<typeof LogQuery>;
const FileParams = Type.Object({ name: Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_.-]+\\.eml$' }) });
type FileParams = Static<typeof FileParams>;

const PER_PAGE = 50;
const STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;

export default async function mailAdminRoutes(app: FastifyInstance) {
  const { subscriptions, mail } = app.services;
  // Links inside these pages are relative to the prefix the plugin is mounted under.
  const base = app.prefix;

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/', async function showMailAdminPage(request, reply) {
    const counts = await subscriptions.counts();
    const t = request.t.t;
    return reply.adminPage('admin-mail/index', {
      title: t('adminMail.title'),
      robots: 'noindex',
      base,
      totals: t('adminMail.totals', { ...counts.totals, pending: counts.pending }),
      rows: counts.targets.map((r) => ({ ...r, ...(r.kind === 'all' ? { name: t('subscribe.kind.all') } : {}), kindLabel: t(`subscribe.kind.${r.kind}` as MessageKey) })),
      mailerKind: mail.mailerKind(),
    });
  });

  app.get<{ Querystring: LogQuery }>('/log', { schema: { querystring: LogQuery } }, async function showMailLogPage(request, reply) {
    const page = request.query.page ?? 1;
    const log = await mail.log({ ...(request.query.status ? { status: request.query.status } : {}), page, perPage: PER_PAGE });
    const t = request.t.t;
    const total = log.status ? (log.counts[log.status] ?? 0) : Object.values(log.counts).reduce((a, b) => a + b, 0);
    const query = (p: number) => `${base}/log?${new URLSearchParams({ ...(log.status ? { status: log.status } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`.replace(/\?$/, '');
    return reply.adminPage('admin-mail/log', {
      title: t('adminMail.log'),
      robots: 'noindex',
      base,
      filters: [
        { label: t('adminMail.filterAll'), url: `${base}/log`, current: log.status === null, count: Object.values(log.counts).reduce((a, b) => a + b, 0) },
        ...STATUSES.map((s) => ({ label: t(`adminMail.status.${s}`), url: `${base}/log?status=${s}`, current: log.status === s, count: log.counts[s] ?? 0 })),
      ],
      rows: log.rows.map((r) => ({
        id: r.id,
        time: request.t.dateTime(r.sent_at ?? r.created_at),
        timeIso: r.sent_at ?? r.created_at,
        type: t(`adminMail.type.${r.kind}`),
        subject: r.release_title ?? '',
        to: r.email ?? '–',
        status: r.status,
        statusLabel: t(`adminMail.status.${r.status}`),
        attempts: r.attempts,
        reason: r.last_error ?? '',
      })),
      newerUrl: page > 1 ? query(page - 1) : null,
      olderUrl: page * PER_PAGE < total ? query(page + 1) : null,
    });
  });

  app.get('/files', async function showMailFilesPage(request, reply) {
    const files = await mail.listMailFiles();
    return reply.adminPage('admin-mail/files', {
      title: request.t.t('adminMail.files'),
      robots: 'noindex',
      base,
      files: files.map((f) => ({ name: f.name, url: `${base}/files/${encodeURIComponent(f.name)}`, size: request.t.bytes(f.size), time: request.t.dateTime(f.modifiedAt), timeIso: f.modifiedAt })),
    });
  });

  app.get<{ Params: FileParams }>('/files/:name', { schema: { params: FileParams } }, async function showMailFilePage(request, reply) {
    const content = await mail.readMailFile(request.params.name);
    if (content === undefined) throw new NotFoundError();
    return reply.adminPage('admin-mail/file', { title: request.params.name, robots: 'noindex', base, name: request.params.name, content });
  });
}
