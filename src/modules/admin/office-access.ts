// Multi-tenancy: every route below /admin/offices/:office runs this first. An office the user may
// not act for answers 404, exactly like one that does not exist, so nothing leaks.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import { roleIn, type Role } from '../auth/auth.service.ts';
import type { Office } from '../offices/offices.service.ts';
import type { Release } from '../releases/release.ts';

declare module 'fastify' {
  interface FastifyRequest {
    adminOffice: Office | null;
    officeRole: Role | 'admin' | null;
  }
}

export const resolveOffice = async (request: FastifyRequest, slug: string): Promise<{ office: Office; role: Role | 'admin' }> => {
  const user = request.user;
  if (!user) throw new NotFoundError();
  const office = await request.server.services.offices.findBySlug(slug);
  const role = office ? roleIn(user, office.id) : undefined;
  if (!office || !role) throw new NotFoundError();
  return { office, role };
};

export const requireOffice = async (request: FastifyRequest) => {
  const { office: slug } = request.params as { office: string };
  const { office, role } = await resolveOffice(request, slug);
  request.adminOffice = office;
  request.officeRole = role;
};

/** Owners of the office and platform admins only. */
export const requireOwner = async (request: FastifyRequest, _reply: FastifyReply) => {
  if (request.officeRole !== 'owner' && request.officeRole !== 'admin') throw new ForbiddenError('Only owners may change the office');
};

/** The office of the request; set by requireOffice. */
export const officeOf = (request: FastifyRequest): Office => {
  if (!request.adminOffice) throw new NotFoundError();
  return request.adminOffice;
};

/** A release of the request's office, or 404 (also for another office's release). */
export const releaseOfOffice = async (request: FastifyRequest, id: number): Promise<Release> => {
  const office = officeOf(request);
  const release = await request.server.services.releases.findById(id);
  if (!release || release.office.id !== office.id) throw new NotFoundError();
  return release;
};

export const officeBase = (office: Office): string => `/admin/offices/${office.slug}`;
