// Table types for Kysely. Hand-kept beside the migrations; status columns are narrowed to the
// domain unions here, so repositories get them typed.
import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ReleaseStatus } from '../modules/releases/release.ts';

export interface OfficesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description_markdown: Generated<string>;
  description_html: Generated<string>;
  website: Generated<string>;
  logo_path: string | null;
  republication_notice: Generated<string>;
  default_contact_id: number | null;
  language: Generated<'de' | 'en'>;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: Generated<number>;
  office_id: number;
  organisation: Generated<string>;
  role: Generated<string>;
  name: Generated<string>;
  street: Generated<string>;
  postcode: Generated<string>;
  town: Generated<string>;
  phone: Generated<string>;
  fax: Generated<string>;
  email: Generated<string>;
  website: Generated<string>;
  position: Generated<number>;
}

export interface TermsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface ReleasesTable {
  id: Generated<number>;
  office_id: number;
  slug: string;
  title: string;
  subtitle: Generated<string>;
  release_date: string;
  dateline: Generated<string>;
  body_markdown: string;
  body_html: string;
  /** Plain text of body_html (search snippets and index). */
  body_text: string;
  summary: Generated<string>;
  contact_json: string | null;
  republication_notice: Generated<string>;
  language: Generated<'de' | 'en'>;
  status: Generated<ReleaseStatus>;
  published_at: string | null;
  withdrawn_at: string | null;
  withdrawal_note: Generated<string>;
  preview_token: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReleaseTopicsTable {
  release_id: number;
  topic_id: number;
}

export interface ReleaseRegionsTable {
  release_id: number;
  region_id: number;
}

export interface ReleasePhotosTable {
  id: Generated<number>;
  release_id: number;
  path: string | null;
  alt: Generated<string>;
  caption: Generated<string>;
  credit: Generated<string>;
  position: Generated<number>;
  width: Generated<number>;
  height: Generated<number>;
  mime: Generated<string>;
  bytes: Generated<number>;
  /** JSON array of PhotoVariant (modules/media); null when the photo has no variants. */
  variants_json: string | null;
}

export interface ReleaseRevisionsTable {
  id: Generated<number>;
  release_id: number;
  title: string;
  subtitle: string;
  dateline: string;
  body_markdown: string;
  body_html: string;
  note: string;
  created_at: string;
}

/*
 * The search index — FTS5 tables `releases_fts` and `releases_fts_titles` (contentless; rowid = the
 * release's search key, search.keys.ts; columns in search.text.ts `SearchDocument`) — is written
 * and read only with raw SQL in search.repository.ts, so it has no table type here.
 */

/** The search key each indexed release is filed under in releases_fts. */
export interface ReleasesFtsKeysTable {
  release_id: number;
  key: number;
}

/** Old slugs of renamed or merged topics and regions (their pages redirect). */
export interface TermRedirectsTable {
  kind: 'topics' | 'regions';
  old_slug: string;
  term_id: number;
  created_at: string;
}

export type LegalKind = 'imprint' | 'privacy';

/** The imprint and privacy pages written in the admin area. */
export interface LegalPagesTable {
  kind: LegalKind;
  body_markdown: string;
  body_html: string;
  updated_at: string;
}

export type ApplicationStatus = 'unconfirmed' | 'confirmed' | 'accepted' | 'declined';

/** A press office asking to join (modules/applications). */
export interface OfficeApplicationsTable {
  id: Generated<number>;
  organisation: string;
  contact_name: string;
  email: string;
  website: Generated<string>;
  reason: Generated<string>;
  lang: Generated<'de' | 'en'>;
  status: Generated<ApplicationStatus>;
  nonce: string;
  ip_hash: string | null;
  created_at: string;
  confirmed_at: string | null;
  decided_at: string | null;
  decided_by: number | null;
  decision_message: Generated<string>;
  office_id: number | null;
}

export interface SiteStateTable {
  id: number;
  content_version: number;
  changed_at: string;
}

// --- mail and subscriptions ---
export type Frequency = 'immediately' | 'daily' | 'weekly';
export type TargetKind = 'office' | 'topic' | 'region' | 'search';
export type OutboxKind = 'confirmation' | 'instant' | 'digest' | 'password-reset' | 'invitation' | 'application-confirmation' | 'application-declined';
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface SubscriptionsTable {
  id: Generated<number>;
  email: string;
  frequency: Frequency;
  lang: Generated<'de' | 'en'>;
  status: Generated<'active' | 'suspended'>;
  token_key: string;
  confirmed_at: string;
  consent_json: string;
  consent_ip_hash: string | null;
  permanent_failures: Generated<number>;
  suspended_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionTargetsTable {
  subscription_id: number;
  kind: TargetKind;
  value: string;
}

export interface SubscriptionRequestsTable {
  id: Generated<number>;
  email: string;
  frequency: Frequency;
  lang: Generated<'de' | 'en'>;
  targets_json: string;
  nonce: string;
  ip_hash: string | null;
  created_at: string;
}

export interface MailOutboxTable {
  id: Generated<number>;
  kind: OutboxKind;
  subscription_id: number | null;
  request_id: number | null;
  release_id: number | null;
  digest_run_id: number | null;
  /** The application to join a confirmation or an answer is about. */
  application_id: Generated<number | null>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
  /** Password-reset and invitation mails: the address, the mail's language, the one-time link it carries. */
  email: string | null;
  lang: 'de' | 'en' | null;
  user_token_hash: string | null;
}

export interface ReleaseFanoutsTable {
  release_id: number;
  cursor: Generated<number>;
  queued: Generated<number>;
  started_at: string;
  done_at: string | null;
}

export interface DigestRunsTable {
  id: Generated<number>;
  period_key: string;
  frequency: 'daily' | 'weekly';
  window_start: string;
  window_end: string;
  cursor: Generated<number>;
  queued: Generated<number>;
  created_at: string;
  done_at: string | null;
}

export interface DigestDeliveriesTable {
  digest_run_id: number;
  subscription_id: number;
  outbox_id: number | null;
}

export type OfficeRole = 'owner' | 'editor';
export type TokenPurpose = 'set-password' | 'reset' | 'invite';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string | null;
  is_admin: Generated<number>;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface MembershipsTable {
  user_id: number;
  office_id: number;
  role: OfficeRole;
  created_at: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface UserTokensTable {
  token_hash: string;
  purpose: TokenPurpose;
  user_id: number | null;
  email: string;
  office_id: number | null;
  role: OfficeRole | null;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface FormStashesTable {
  token_hash: string;
  user_id: number | null;
  path: string;
  body_json: string;
  created_at: string;
  expires_at: string;
  /** The session that expired while the form was written, and a keyed hash of the address it came from. */
  session_hash: string | null;
  client_hash: string | null;
}

export interface LoginThrottlesTable {
  key: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  /** Null for the platform admins' changes (topics, regions, legal pages, applications). */
  office_id: number | null;
  user_id: number | null;
  user_email: Generated<string>;
  action: string;
  release_id: number | null;
  subject: Generated<string>;
  detail: Generated<string>;
  created_at: string;
}

export interface DB {
  offices: OfficesTable;
  contacts: ContactsTable;
  topics: TermsTable;
  regions: TermsTable;
  releases: ReleasesTable;
  release_topics: ReleaseTopicsTable;
  release_regions: ReleaseRegionsTable;
  release_photos: ReleasePhotosTable;
  release_revisions: ReleaseRevisionsTable;
  site_state: SiteStateTable;
  subscriptions: SubscriptionsTable;
  subscription_targets: SubscriptionTargetsTable;
  subscription_requests: SubscriptionRequestsTable;
  mail_outbox: MailOutboxTable;
  release_fanouts: ReleaseFanoutsTable;
  digest_runs: DigestRunsTable;
  digest_deliveries: DigestDeliveriesTable;
  releases_fts_keys: ReleasesFtsKeysTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  user_tokens: UserTokensTable;
  form_stashes: FormStashesTable;
  login_throttles: LoginThrottlesTable;
  audit_events: AuditEventsTable;
  term_redirects: TermRedirectsTable;
  legal_pages: LegalPagesTable;
  office_applications: OfficeApplicationsTable;
}

export type Database = Kysely<DB>;
export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
