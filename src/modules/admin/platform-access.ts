// The platform admins' part of the admin area (topics, regions, legal pages, applications, the
// platform's audit log, the mail pages): one preHandler that admits platform admins only. The acting
// user as the audit log names them is office-access.ts `actorOf`.
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../lib/errors.ts';

export const requirePlatformAdmin = async (request: FastifyRequest): Promise<void> => {
  if (!request.user?.isAdmin) throw new ForbiddenError('Only platform admins');
};
