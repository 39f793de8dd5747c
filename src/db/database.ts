// Table types for Kysely: generated from the migrated schema by `npm run db:codegen` into
// schema.generated.ts (a unit test fails when that file is stale). This file only names what the
// code uses: row aliases and the value sets of the CHECK-constrained columns.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from './schema.generated.ts';

export type { DB };
export type Database = Kysely<DB>;
export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;

export type ReleaseStatus = Row<'releases'>['status'];
export type Language = Row<'releases'>['language'];
export type Frequency = Row<'subscriptions'>['frequency'];
export type TargetKind = Row<'subscription_targets'>['kind'];
export type OfficeRole = Row<'memberships'>['role'];
export type TokenPurpose = Row<'user_tokens'>['purpose'];
export type LegalKind = Row<'legal_pages'>['kind'];
export type ApplicationStatus = Row<'office_applications'>['status'];
export type OutboxKind = Row<'mail_outbox'>['kind'];

/**
 * Whether a value can be the id of a row: a positive integer within PostgreSQL's `integer` (the ids
 * are numbered from 1 on both databases). Anything else, a hostile parameter among them, names no
 * row; PostgreSQL would refuse the query instead of finding nothing.
 */
export const isRowId = (id: unknown): id is number => typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= 2 ** 31 - 1;
