// The platform admins' part of the admin area (topics, regions, legal pages, applications, the
// platform's audit log): one preHandler that admits platform admins only, and the acting user as
// the audit log names them.
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../lib/errors.ts';
import type { Actor } from '../audit/audit.service.ts';

export const requirePlatformAdmin = async (request: FastifyRequest): Promise<void> => {
  if (!request.user?.isAdmin) throw new ForbiddenError('Only platform admins');
};

export const actorOf = (request: FastifyRequest): Actor => ({ id: request.user!.id, email: request.user!.email });
