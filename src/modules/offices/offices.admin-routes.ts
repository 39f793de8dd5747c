// Office settings (profile, logo, contacts, default republication notice), members and
// invitations (owners and platform admins only) and the audit log. Registered inside the
// /admin/offices/:office scope: user, CSRF and office are checked before these handlers run.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { isEmail } from '../auth/auth.service.ts';
import type { AdminOptions } from '../admin/admin.routes.ts';
import { OfficeParams, PageQuery } from '../admin/admin.schemas.ts';
import { auditView, errorsView } from '../admin/admin.views.ts';
import { actorOf, officeNav, officeOf, officeUrls, requireOwner } from '../admin/office-access.ts';
import { readUpload } from '../admin/upload.ts';
import { deleteLogo, storeLogo } from '../media/logos.service.ts';
import { mediaDir } from '../../plugins/static.ts';
import { CONTACT_FIELDS, emptyContact, type ContactBlock } from '../releases/release.ts';
import { ContactBody, ContactParams, EmbedQuery, FederationBody, InviteBody, RotateKeyBody, SettingsBody } from './offices.admin-schemas.ts';
import { embedCode, embedOptions } from '../embeds/embeds.views.ts';

interface SettingsState {
  profile?: { name: string; descriptionMarkdown: string; website: string; republicationNotice: string };
  profileErrors?: FieldErrors;
  logoErrors?: FieldErrors;
  contactErrors?: FieldErrors;
  /** The contact form that failed: `new` or a contact id, with what was typed. */
  contactForm?: { id: string; values: ContactBlock };
  status?: number;
}

const contactFromBody = (body: Record<string, unknown> | undefined): ContactBlock => {
  const c = emptyContact();
  for (const f of CONTACT_FIELDS) c[f] = typeof body?.[f] === 'string' ? (body[f] as string) : '';
  return c;
};

export default async function officesAdminRoutes(app: FastifyInstance, options: AdminOptions) {
  const { offices, auth, audit, urls, federation, signing } = app.services;
  const { config } = app;
  const owner = { preHandler: requireOwner };
  const settingsUrl = (request: FastifyRequest) => officeUrls(request).settings();
  const record = (request: FastifyRequest, action: Parameters<typeof audit.record>[0]['action'], subject = '') =>
    audit.record({ officeId: officeOf(request).id, actor: actorOf(request), action, subject });

  const showSettings = async (request: FastifyRequest, reply: FastifyReply, state: SettingsState = {}) => {
    const office = officeOf(request);
    const t = request.t;
    const contacts = await offices.contacts(office.id);
    const profile = state.profile ?? { name: office.name, descriptionMarkdown: office.descriptionMarkdown, website: office.website, republicationNotice: office.republicationNotice };
    const profileErrors = errorsView(state.profileErrors ?? {}, t);
    const contactErrors = errorsView(state.contactErrors ?? {}, t);
    const admin = officeUrls(request);
    // The embed's options come from the settings page's own GET form (no script needed).
    const embed = embedOptions(request.method === 'GET' ? ((request.query as Record<string, string | undefined>) ?? {}) : {});
    const embedTitle = t.t('settings.embed.frameTitle', { office: office.name });
    const code = embedCode(urls, urls.office(office.slug), embed, embedTitle);
    return reply.adminPage(
      'admin/settings',
      {
        title: t.t('settings.title', { office: office.name }),
        office: officeNav(request),
        profile,
        errors: profileErrors.errors,
        errorList: [...profileErrors.errorList, ...contactErrors.errorList.map((e) => ({ ...e, field: `contact-${state.contactForm?.id ?? 'new'}-${e.field}` }))],
        logoErrors: errorsView(state.logoErrors ?? {}, t, { max: `${Math.round(options.maxUploadBytes / 1024 / 1024)} MB` }).errors,
        logoUrl: office.logoPath ? urls.media(office.logoPath) : '',
        contacts: contacts.map((c) => {
          const failed = state.contactForm?.id === String(c.id);
          return {
            id: String(c.id),
            action: admin.contact(c.id),
            values: failed ? state.contactForm!.values : c,
            errors: failed ? contactErrors.errors : {},
            isDefault: c.id === office.defaultContactId,
            label: [c.name, c.organisation].filter(Boolean).join(', '),
          };
        }),
        newContact: {
          id: 'new',
          action: admin.contacts(),
          values: state.contactForm?.id === 'new' ? state.contactForm.values : emptyContact(),
          errors: state.contactForm?.id === 'new' ? contactErrors.errors : {},
        },
        contactFields: CONTACT_FIELDS.map((f) => ({ name: f, label: t.t(`contact.${f}` as MessageKey) })),
        embed: {
          ...embed,
          ...code,
          title: embedTitle,
          topics: await app.services.taxonomies.list('topics'),
          json: urls.absolute(urls.api.releases({ office: office.slug, limit: String(embed.count), topic: embed.topic || undefined, language: embed.lang || undefined })),
        },
        federation: await federation.officeStatus(office),
        signingKeys: (await signing.officeKeys(office.id)).map((k) =>
          k.retiredAt ? { label: t.t('settings.signingRetired', { key: k.id, date: t.dateTime(k.retiredAt) }) } : { label: t.t('settings.signingCurrent', { key: k.id, date: t.dateTime(k.createdAt) }) },
        ),
      },
      state.status ?? 200,
    );
  };

  app.get<{ Params: OfficeParams; Querystring: EmbedQuery }>('/settings', { schema: { params: OfficeParams, querystring: EmbedQuery }, ...owner }, async function showSettingsPage(request, reply) {
    return showSettings(request, reply);
  });

  app.post<{ Params: OfficeParams; Body: SettingsBody }>(
    '/settings',
    { schema: { params: OfficeParams, body: SettingsBody }, attachValidation: true, ...owner },
    async function updateOfficeSettings(request, reply) {
      const b = request.validationError ? {} : request.body;
      const profile = { name: b.name ?? '', descriptionMarkdown: (b.descriptionMarkdown ?? '').replace(/\r\n/g, '\n'), website: b.website ?? '', republicationNotice: b.republicationNotice ?? '' };
      try {
        await offices.updateProfile(officeOf(request).id, profile, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showSettings(request, reply, { profile, profileErrors: error.fields, status: 422 });
      }
      return reply.flash('flash.settingsSaved').redirect(settingsUrl(request), 303);
    },
  );

  app.post<{ Params: OfficeParams }>('/settings/logo', { schema: { params: OfficeParams }, ...owner }, async function uploadLogo(request, reply) {
    const office = officeOf(request);
    try {
      const upload = await readUpload(request);
      if (!upload.file) throw new ValidationError('No file', { photo: 'photoMissing' });
      const stored = await storeLogo(mediaDir(config), office.slug, upload.file.data, options.maxUploadBytes);
      const previous = office.logoPath;
      await offices.setLogo(office.id, stored, actorOf(request));
      if (previous) await deleteLogo(mediaDir(config), previous);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showSettings(request, reply, { logoErrors: error.fields, status: 422 });
    }
    return reply.flash('flash.logoSaved').redirect(settingsUrl(request), 303);
  });

  app.post<{ Params: OfficeParams; Body: FederationBody }>(
    '/settings/federation',
    { schema: { params: OfficeParams, body: FederationBody }, attachValidation: true, ...owner },
    async function setFederation(request, reply) {
      // The form sends a hidden 0 and, when ticked, the checkbox's 1.
      const enabled = !request.validationError && [request.body.enabled ?? []].flat().includes('1');
      await offices.setFederated(officeOf(request).id, enabled, actorOf(request));
      return reply.flash('flash.federationSaved').redirect(`${settingsUrl(request)}#fediverse`, 303);
    },
  );

  app.post<{ Params: OfficeParams; Body: RotateKeyBody }>(
    '/settings/signing-key',
    { schema: { params: OfficeParams, body: RotateKeyBody }, attachValidation: true, ...owner },
    async function rotateSigningKey(request, reply) {
      if (request.validationError || request.body.confirm !== 'yes') return reply.flash('flash.keyRotateConfirm').redirect(`${settingsUrl(request)}#signing`, 303);
      await signing.rotate(officeOf(request).id, actorOf(request));
      return reply.flash('flash.keyRotated').redirect(`${settingsUrl(request)}#signing`, 303);
    },
  );

  app.post<{ Params: OfficeParams; Body: ContactBody }>(
    '/contacts',
    { schema: { params: OfficeParams, body: ContactBody }, attachValidation: true, ...owner },
    async function addContact(request, reply) {
      const values = contactFromBody(request.validationError ? undefined : request.body);
      try {
        await offices.saveContact(officeOf(request).id, null, values, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showSettings(request, reply, { contactErrors: error.fields, contactForm: { id: 'new', values }, status: 422 });
      }
      return reply.flash('flash.contactSaved').redirect(`${settingsUrl(request)}#contacts`, 303);
    },
  );

  app.post<{ Params: ContactParams; Body: ContactBody }>(
    '/contacts/:contactId',
    { schema: { params: ContactParams, body: ContactBody }, attachValidation: true, ...owner },
    async function updateContact(request, reply) {
      const values = contactFromBody(request.validationError ? undefined : request.body);
      try {
        await offices.saveContact(officeOf(request).id, request.params.contactId, values, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showSettings(request, reply, { contactErrors: error.fields, contactForm: { id: String(request.params.contactId), values }, status: 422 });
      }
      return reply.flash('flash.contactSaved').redirect(`${settingsUrl(request)}#contacts`, 303);
    },
  );

  app.post<{ Params: ContactParams }>('/contacts/:contactId/delete', { schema: { params: ContactParams }, ...owner }, async function removeContact(request, reply) {
    await offices.removeContact(officeOf(request).id, request.params.contactId, actorOf(request));
    return reply.flash('flash.contactRemoved').redirect(`${settingsUrl(request)}#contacts`, 303);
  });

  app.post<{ Params: ContactParams }>('/contacts/:contactId/default', { schema: { params: ContactParams }, ...owner }, async function setDefaultContact(request, reply) {
    await offices.setDefaultContact(officeOf(request).id, request.params.contactId, actorOf(request));
    return reply.flash('flash.contactSaved').redirect(`${settingsUrl(request)}#contacts`, 303);
  });

  const showMembers = async (request: FastifyRequest, reply: FastifyReply, state: { values?: { email: string; role: string }; errors?: FieldErrors; status?: number } = {}) => {
    const office = officeOf(request);
    const t = request.t;
    const { errors, errorList } = errorsView(state.errors ?? {}, t);
    return reply.adminPage(
      'admin/members',
      {
        title: t.t('members.title', { office: office.name }),
        office: officeNav(request),
        members: (await auth.listMembers(office.id)).map((m) => ({ email: m.email, role: t.t(`role.${m.role}` as MessageKey), lastLogin: m.lastLoginAt ? t.dateTime(m.lastLoginAt) : '–' })),
        invites: (await auth.listOpenInvites(office.id)).map((i) => ({ email: i.email, role: i.role ? t.t(`role.${i.role}` as MessageKey) : '', expires: t.dateTime(i.expiresAt) })),
        values: state.values ?? { email: '', role: 'editor' },
        errors,
        errorList,
      },
      state.status ?? 200,
    );
  };

  app.get<{ Params: OfficeParams }>('/members', { schema: { params: OfficeParams }, ...owner }, async function showMembersPage(request, reply) {
    return showMembers(request, reply);
  });

  app.post<{ Params: OfficeParams; Body: InviteBody }>(
    '/members/invite',
    { schema: { params: OfficeParams, body: InviteBody }, attachValidation: true, ...owner },
    async function inviteMember(request, reply) {
      const office = officeOf(request);
      const values = { email: (request.validationError ? '' : (request.body.email ?? '')).trim(), role: request.body?.role === 'owner' ? 'owner' : 'editor' };
      if (!isEmail(values.email)) return showMembers(request, reply, { values, errors: { email: 'invalidEmail' }, status: 422 });
      // The invitation and its mail are stored together; the outbox sends it.
      await auth.invite({ email: values.email, officeId: office.id, role: values.role as 'owner' | 'editor', createdBy: request.user!.id, lang: request.lang });
      await record(request, 'member.invited', values.email);
      return reply.flash('flash.invited').redirect(officeUrls(request).members(), 303);
    },
  );

  app.get<{ Params: OfficeParams; Querystring: PageQuery }>('/audit', { schema: { params: OfficeParams, querystring: PageQuery } }, async function showAuditPage(request, reply) {
    const office = officeOf(request);
    const t = request.t;
    const page = request.query.page ?? 1;
    const admin = officeUrls(request);
    return reply.adminPage('admin/audit', {
      title: t.t('audit.title', { office: office.name }),
      office: officeNav(request),
      ...auditView(await audit.list(office.id, page), t, admin.audit, admin.release),
    });
  });
}
