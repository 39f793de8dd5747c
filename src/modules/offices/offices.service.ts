// Press offices: profiles and press contacts.
import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { isSlug } from '../../lib/slug.ts';
import { renderMarkdown } from '../../content/markdown.ts';
import type { ContactBlock } from '../releases/release.ts';
import * as repo from './offices.repository.ts';
import type { Actor, AuditAction, AuditService } from '../audit/audit.service.ts';
import { oneLine } from '../../lib/input-text.ts';

/** An office name is one line: it heads pages and goes into mail subjects, so control characters and line breaks become spaces. */

export interface Contact extends ContactBlock {
  id: number;
}

export interface Office {
  id: number;
  slug: string;
  name: string;
  descriptionMarkdown: string;
  descriptionHtml: SafeHtml;
  website: string;
  logoPath: string | null;
  republicationNotice: string;
  defaultContactId: number | null;
  language: 'de' | 'en';
  updatedAt: string;
}

export interface OfficeInput {
  slug: string;
  name: string;
  descriptionMarkdown?: string;
  website?: string;
  logoPath?: string | null;
  republicationNotice?: string;
  language?: 'de' | 'en';
}

const toOffice = (row: Row<'offices'>): Office => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  descriptionMarkdown: row.description_markdown,
  descriptionHtml: trustHtml(row.description_html),
  website: row.website,
  logoPath: row.logo_path,
  republicationNotice: row.republication_notice,
  defaultContactId: row.default_contact_id,
  language: row.language,
  updatedAt: row.updated_at,
});

export const toContactBlock = (row: Row<'contacts'> | Contact): ContactBlock => ({
  organisation: row.organisation,
  role: row.role,
  name: row.name,
  street: row.street,
  postcode: row.postcode,
  town: row.town,
  phone: row.phone,
  fax: row.fax,
  email: row.email,
  website: row.website,
});

const toContact = (row: Row<'contacts'>): Contact => ({ id: row.id, ...toContactBlock(row) });

export interface OfficesServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit?: AuditService;
  /** Bumps the content version in the transaction of a change the public sees (office pages, feeds, OPML). */
  contentChanged?: (trx: Kysely<DB>, now: string) => Promise<void>;
  /** The office's name is in every one of its releases' search index entries; services.ts passes search.indexer's reindexOffice. */
  officeRenamed?: (trx: Kysely<DB>, officeId: number, now: string) => Promise<void>;
}

export const createOfficesService = ({ db, clock, audit, contentChanged = async () => {}, officeRenamed = async () => {} }: OfficesServiceDeps) => {
  /** Writes an audit event in the transaction of the change, when an actor is named. */
  const record = async (trx: Kysely<DB>, actor: Actor | undefined, officeId: number, action: AuditAction, subject = '') => {
    if (actor && audit) await audit.record({ officeId, actor, action, subject }, trx);
  };
  const service = {
    listWithCounts: async () =>
      (await repo.listOfficesWithCounts(db, clock.now().toISOString())).map((o) => ({
        slug: o.slug,
        name: o.name,
        descriptionHtml: trustHtml(o.description_html),
        website: o.website,
        logoPath: o.logo_path,
        releaseCount: Number(o.releaseCount ?? 0),
        towns: o.towns ? o.towns.split(',') : [],
      })),

    listAll: async (): Promise<Office[]> => (await repo.listAllOffices(db)).map(toOffice),

    findBySlug: async (slug: string): Promise<Office | undefined> => {
      const row = await repo.findOfficeBySlug(db, slug);
      return row ? toOffice(row) : undefined;
    },

    findById: async (id: number): Promise<Office | undefined> => {
      const row = await repo.findOfficeById(db, id);
      return row ? toOffice(row) : undefined;
    },

    contacts: async (officeId: number): Promise<Contact[]> => (await repo.listContacts(db, officeId)).map(toContact),

    /** The office's default contact block, or its first contact. */
    defaultContact: async (office: Office): Promise<ContactBlock | null> => {
      const contacts = await repo.listContacts(db, office.id);
      const chosen = contacts.find((c) => c.id === office.defaultContactId) ?? contacts[0];
      return chosen ? toContactBlock(chosen) : null;
    },

    async create(input: OfficeInput, contacts: ContactBlock[] = []): Promise<Office> {
      if (!isSlug(input.slug)) throw new ValidationError('Invalid office slug', { slug: 'invalid' });
      if (!oneLine(input.name)) throw new ValidationError('An office needs a name', { name: 'required' });
      const now = clock.now().toISOString();
      const id = await db.transaction().execute(async (trx) => {
        if (await repo.findOfficeBySlug(trx, input.slug)) throw new ValidationError('An office with this slug exists', { slug: 'taken' });
        const officeId = await repo.insertOffice(trx, {
          slug: input.slug,
          name: oneLine(input.name),
          description_markdown: input.descriptionMarkdown ?? '',
          description_html: renderMarkdown(input.descriptionMarkdown ?? ''),
          website: input.website ?? '',
          logo_path: input.logoPath ?? null,
          republication_notice: input.republicationNotice ?? '',
          language: input.language ?? 'de',
          default_contact_id: null,
          created_at: now,
          updated_at: now,
        });
        let firstContactId: number | null = null;
        for (const [position, contact] of contacts.entries()) {
          const contactId = await repo.insertContact(trx, { office_id: officeId, position, ...contact });
          firstContactId ??= contactId;
        }
        if (firstContactId !== null) await repo.updateOffice(trx, officeId, { default_contact_id: firstContactId });
        await contentChanged(trx, now);
        return officeId;
      });
      return (await service.findById(id))!;
    },

    /** Changes an office's profile and default republication notice (not its slug). */
    async updateProfile(officeId: number, input: { name: string; descriptionMarkdown: string; website: string; republicationNotice: string }, actor?: Actor): Promise<Office> {
      const errors: Record<string, string> = {};
      if (!oneLine(input.name)) errors.name = 'required';
      else if (input.name.length > 200) errors.name = 'tooLong';
      if (input.descriptionMarkdown.length > 5000) errors.descriptionMarkdown = 'tooLong';
      if (input.website && !/^https?:\/\/\S+$/.test(input.website.trim())) errors.website = 'invalidUrl';
      if (input.republicationNotice.length > 2000) errors.republicationNotice = 'tooLong';
      if (Object.keys(errors).length > 0) throw new ValidationError('The profile is invalid', errors);
      await db.transaction().execute(async (trx) => {
        await repo.updateOffice(trx, officeId, {
          name: oneLine(input.name),
          description_markdown: input.descriptionMarkdown,
          description_html: renderMarkdown(input.descriptionMarkdown),
          website: input.website.trim(),
          republication_notice: input.republicationNotice.trim(),
          updated_at: clock.now().toISOString(),
        });
        await record(trx, actor, officeId, 'office.updated', input.name.trim());
        await officeRenamed(trx, officeId, clock.now().toISOString());
        await contentChanged(trx, clock.now().toISOString());
      });
      return (await service.findById(officeId))!;
    },

    /** Adds (id null) or changes a press contact of the office. */
    async saveContact(officeId: number, id: number | null, block: ContactBlock, actor?: Actor): Promise<number> {
      const clean = Object.fromEntries(Object.entries(block).map(([k, v]) => [k, String(v ?? '').trim().slice(0, 300)])) as unknown as ContactBlock;
      if (!clean.name && !clean.organisation) throw new ValidationError('A contact needs a name or an organisation', { name: 'nameOrOrganisation' });
      return db.transaction().execute(async (trx) => {
        await record(trx, actor, officeId, 'contact.saved', clean.name || clean.organisation);
        await contentChanged(trx, clock.now().toISOString());
        if (id === null) {
          const position = (await repo.listContacts(trx, officeId)).length;
          const newId = await repo.insertContact(trx, { office_id: officeId, position, ...clean });
          const office = await repo.findOfficeById(trx, officeId);
          if (office && office.default_contact_id === null) await repo.updateOffice(trx, officeId, { default_contact_id: newId });
          return newId;
        }
        if (!(await repo.findContact(trx, officeId, id))) throw new NotFoundError('Contact not found');
        await repo.updateContact(trx, officeId, id, clean);
        return id;
      });
    },

    async removeContact(officeId: number, id: number, actor?: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const contact = await repo.findContact(trx, officeId, id);
        if (!contact) throw new NotFoundError('Contact not found');
        await record(trx, actor, officeId, 'contact.removed', contact.name || contact.organisation);
        const office = await repo.findOfficeById(trx, officeId);
        if (office?.default_contact_id === id) await repo.updateOffice(trx, officeId, { default_contact_id: null });
        await repo.deleteContact(trx, officeId, id);
        await contentChanged(trx, clock.now().toISOString());
      });
    },

    async setDefaultContact(officeId: number, id: number, actor?: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const contact = await repo.findContact(trx, officeId, id);
        if (!contact) throw new NotFoundError('Contact not found');
        await repo.updateOffice(trx, officeId, { default_contact_id: id, updated_at: clock.now().toISOString() });
        await record(trx, actor, officeId, 'contact.saved', contact.name || contact.organisation);
        await contentChanged(trx, clock.now().toISOString());
      });
    },

    /** Lets the office be followed from the fediverse, or not (modules/federation reads the switch). */
    async setFederated(officeId: number, enabled: boolean, actor?: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await repo.updateOffice(trx, officeId, { is_federated: enabled ? 1 : 0, updated_at: clock.now().toISOString() });
        await record(trx, actor, officeId, 'office.federation', enabled ? 'on' : 'off');
        // The office's page names its fediverse handle.
        await contentChanged(trx, clock.now().toISOString());
      });
    },

    async setLogo(officeId: number, logoPath: string, actor?: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await repo.updateOffice(trx, officeId, { logo_path: logoPath, updated_at: clock.now().toISOString() });
        await record(trx, actor, officeId, 'office.logo');
        await contentChanged(trx, clock.now().toISOString());
      });
    },
  };
  return service;
};

export type OfficesService = ReturnType<typeof createOfficesService>;
