// The platform's audit log: platform admins' changes that belong to no office (topics, regions,
// legal pages, applications to join). Mounted in the platform-admin scope of /admin.
import type { FastifyInstance } from 'fastify';
import { PageQuery } from '../admin/admin.schemas.ts';
import { auditView } from '../admin/admin.views.ts';

export default async function auditAdminRoutes(app: FastifyInstance) {
  app.get<{ Querystring: PageQuery }>('/audit', { schema: { querystring: PageQuery } }, async function showPlatformAuditPage(request, reply) {
    const t = request.t;
    return reply.adminPage('admin/audit', {
      title: t.t('platform.audit'),
      intro: t.t('platform.auditIntro'),
      platform: 'audit',
      ...auditView(await app.services.audit.list(null, request.query.page ?? 1), t, app.services.urls.admin.audit),
    });
  });
}
