// Multi-tenancy: every route below /admin/offices/:office runs `requireOffice` first. An office the
// user may not act for answers 404, exactly like one that does not exist, so nothing leaks. The
// helpers below are what every admin route module shares (releases, offices; `actorOf` the platform
// admins' modules too).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import { roleIn } from '../auth/auth.service.ts';

type Office = NonNullable<FastifyRequest['adminOffice']>;

export const resolveOffice = async (request: FastifyRequest, slug: string) => {
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

/** The admin paths of the request's office (lib/urls.ts). */
export const officeUrls = (request: FastifyRequest) => request.server.services.urls.admin.office(officeOf(request).slug);

/** What the admin layout shows of the request's office: its name, its navigation, whether the user owns it. */
export const officeNav = (request: FastifyRequest) => {
  const office = officeOf(request);
  return { slug: office.slug, name: office.name, base: officeUrls(request).home(), isOwner: request.officeRole === 'owner' || request.officeRole === 'admin' };
};

/** The logged-in user as the audit log names them; services record the event in their transaction. */
export const actorOf = (request: FastifyRequest) => ({ id: request.user!.id, email: request.user!.email });
