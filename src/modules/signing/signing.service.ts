// Verifiable releases: every version of a release the public sees is signed with its office's
// Ed25519 key, over its canonical form (content/release-canonical.ts, a rendering of the
// presenter's public view). See CONTEXT.md beside this file.
//
// Signing happens inside the transaction that makes the version public (the releases service's
// `publicVersion` hook, wired in services.ts), so the database never holds a public version without
// its signature; a sweep (`signPending`, the `sign-releases` job) signs what was public before this
// existed, or what a failed signing left. Keys: the private half in a file of the key folder
// (lib/key-folder.ts), the public half in `signing_keys`; rotating retires the old key (its public
// half stays, so its signatures stay verifiable) and removes its private file.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyFolder } from '../../lib/key-folder.ts';
import type { Urls } from '../../lib/urls.ts';
import { canonicalJson, canonicalRelease } from '../../content/release-canonical.ts';
import type { Release } from '../releases/release.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import type { Actor, AuditService } from '../audit/audit.service.ts';
import { titleKey } from './signing.match.ts';
import * as repo from './signing.repository.ts';

export const SIGNATURE_FORMAT = 'herold-signature/1';

/** One signed version as the `.sig` file lists it. */
export interface SignedVersion {
  version: number;
  signedAt: string;
  keyId: string;
  algorithm: 'Ed25519';
  /** SHA-256 of the document's UTF-8 bytes, hex. */
  sha256: string;
  /** Ed25519 signature of the document's UTF-8 bytes, base64url. */
  signature: string;
  /** The canonical form, exactly as signed (JSON, RFC 8785). */
  document: string;
}

/** `/releases/{id}.sig`: every signed version of a release, newest first. */
export interface SignatureFile {
  format: typeof SIGNATURE_FORMAT;
  release: string;
  page: string;
  /** Where the offices' public keys are listed (JWKS). */
  keys: string;
  versions: SignedVersion[];
}

/** A public key as the well-known list gives it: a JWK (RFC 8037) with the office and its dates. */
export interface PublicKeyEntry {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  office: string;
  officeName: string;
  created: string;
  /** When it was replaced; its signatures stay valid. Null for an office's current key. */
  retired: string | null;
}

export interface SigningServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  urls: Urls;
  keys: KeyFolder;
  audit?: AuditService;
  /** A release with a public page (the releases service's `findPublic`): for the sweep and the `.sig` file. */
  findPublic: (id: number) => Promise<Release | undefined>;
  /** Told of a signing that failed (the publication goes ahead; the sweep signs it later). */
  onError?: (error: unknown, releaseId: number) => void;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A key's id: the start of the SHA-256 of its raw public key, base64url. */
const keyIdOf = (x: string): string => createHash('sha256').update(Buffer.from(x, 'base64url')).digest('base64url').slice(0, 22);

const keyFile = (officeId: number, keyId: string) => `signing/office-${officeId}/${keyId}.pem`;

/** Checks one signed version against a public key (a JWK). */
export const verifySignature = (document: string, signature: string, publicJwk: JsonWebKey): boolean => {
  try {
    return verify(null, Buffer.from(document, 'utf8'), createPublicKey({ key: publicJwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
};

export const toSignedVersion = (row: Row<'release_signatures'>): SignedVersion => ({
  version: row.version,
  signedAt: row.signed_at,
  keyId: row.key_id,
  algorithm: 'Ed25519',
  sha256: row.digest,
  signature: row.signature,
  document: row.document,
});

export const createSigningService = ({ db, clock, urls, keys, audit, findPublic, onError = () => {} }: SigningServiceDeps) => {
  const privateKeys = new Map<string, KeyObject>();
  const nowIso = () => clock.now().toISOString();

  const loadPrivate = (officeId: number, keyId: string): KeyObject | undefined => {
    const cached = privateKeys.get(keyId);
    if (cached) return cached;
    const pem = keys.read(keyFile(officeId, keyId));
    if (!pem) return undefined;
    const key = createPrivateKey(pem);
    privateKeys.set(keyId, key);
    return key;
  };

  /** Makes a new key for the office (in the transaction given) and returns the office's current key. */
  const createKey = async (trx: Kysely<DB>, officeId: number, now: string): Promise<{ id: string; key: KeyObject }> => {
    const pair = generateKeyPairSync('ed25519');
    const jwk = pair.publicKey.export({ format: 'jwk' });
    const id = keyIdOf(jwk.x!);
    keys.create(keyFile(officeId, id), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    await repo.insertKeyIfNone(trx, { id, office_id: officeId, public_jwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }), created_at: now });
    const current = await repo.findCurrentKey(trx, officeId);
    // Another process made one at the same moment: use its key (its file is written first).
    const key = current ? loadPrivate(officeId, current.id) : undefined;
    if (!current || !key) throw new Error(`No signing key for office ${officeId}`);
    return { id: current.id, key };
  };

  /** The office's current key, made when it has none (or when its private file is gone). */
  const currentKey = async (trx: Kysely<DB>, officeId: number, now: string): Promise<{ id: string; key: KeyObject }> => {
    const row = await repo.findCurrentKey(trx, officeId);
    if (row) {
      const key = loadPrivate(officeId, row.id);
      if (key) return { id: row.id, key };
      // The private half is lost (a restore without the key folder): the key is retired, its
      // signatures stay verifiable, and a new one signs from now on.
      await repo.retireKey(trx, row.id, now);
    }
    return createKey(trx, officeId, now);
  };

  const canonicalOf = (release: Release): string => canonicalJson(canonicalRelease(presentRelease(release, urls)));

  const service = {
    /**
     * Signs the release as the public now sees it, unless that version is signed already. Called in
     * the transaction of the change (publish, correct, withdraw, a scheduled time come). A failure is
     * reported to `onError` and leaves the change alone: the sweep signs it later.
     */
    async signVersion(trx: Kysely<DB>, release: Release, now: string): Promise<void> {
      try {
        const document = canonicalOf(release);
        const digest = sha256(document);
        const latest = await repo.findLatestSignature(trx, release.id);
        if (latest?.digest === digest) return;
        const { id, key } = await currentKey(trx, release.office.id, now);
        await repo.insertSignature(trx, {
          release_id: release.id,
          version: (latest?.version ?? 0) + 1,
          key_id: id,
          document,
          digest,
          signature: sign(null, Buffer.from(document, 'utf8'), key).toString('base64url'),
          title_key: titleKey(release.title),
          signed_at: now,
        });
      } catch (error) {
        onError(error, release.id);
      }
    },

    /** Signs every release with a public page whose present state has no signature yet; returns how many. */
    async signPending(limit = 500): Promise<number> {
      let signed = 0;
      for (const id of await repo.listUnsignedReleaseIds(db, nowIso(), limit)) {
        // Between releases, the requests waiting: the database calls are synchronous, so without
        // this a sweep of 500 (a site that existed before signing) held the event loop for seconds.
        await new Promise((resolve) => setImmediate(resolve));
        const release = await findPublic(id);
        if (!release) continue;
        await db.transaction().execute((trx) => service.signVersion(trx, release, nowIso()));
        signed++;
      }
      return signed;
    },

    /** The `.sig` file of a release with a public page (its present version signed first, if it is not); undefined otherwise. */
    async signatureFile(releaseId: number): Promise<SignatureFile | undefined> {
      const release = await findPublic(releaseId);
      if (!release) return undefined;
      const latest = await repo.findLatestSignature(db, releaseId);
      if (latest?.digest !== sha256(canonicalOf(release))) await db.transaction().execute((trx) => service.signVersion(trx, release, nowIso()));
      const rows = await repo.listSignatures(db, releaseId);
      if (rows.length === 0) return undefined;
      return {
        format: SIGNATURE_FORMAT,
        release: urls.absolute(urls.releaseById(releaseId)),
        page: urls.absolute(urls.release(release)),
        keys: urls.absolute(urls.signingKeys()),
        versions: rows.map(toSignedVersion),
      };
    },

    /** Every signed version of a release, newest first (no signing on the way). */
    signedVersions: async (releaseId: number) => (await repo.listSignatures(db, releaseId)).map(toSignedVersion),

    /** The public key with this id, or undefined. */
    async publicKey(keyId: string): Promise<{ jwk: JsonWebKey; officeId: number; retiredAt: string | null } | undefined> {
      const row = await repo.findKey(db, keyId);
      return row ? { jwk: JSON.parse(row.public_jwk) as JsonWebKey, officeId: row.office_id, retiredAt: row.retired_at } : undefined;
    },

    /** Every office's keys, current and retired (`/.well-known/herold-keys.json`). */
    async keyList(): Promise<{ keys: PublicKeyEntry[] }> {
      return {
        keys: (await repo.listKeys(db)).map((k) => ({
          ...(JSON.parse(k.public_jwk) as { kty: 'OKP'; crv: 'Ed25519'; x: string }),
          kid: k.id,
          alg: 'EdDSA' as const,
          use: 'sig' as const,
          office: k.office_slug,
          officeName: k.office_name,
          created: k.created_at,
          retired: k.retired_at,
        })),
      };
    },

    /** An office's keys, newest first, for its settings page. */
    officeKeys: async (officeId: number) => (await repo.listKeysOfOffice(db, officeId)).map((k) => ({ id: k.id, createdAt: k.created_at, retiredAt: k.retired_at })),

    /**
     * Replaces the office's key: the current one is retired (its public half stays listed, so what it
     * signed stays verifiable) and its private file removed; a new key signs from now on.
     */
    async rotate(officeId: number, actor?: Actor): Promise<string> {
      const now = nowIso();
      const { retired, id } = await db.transaction().execute(async (trx) => {
        const old = await repo.findCurrentKey(trx, officeId);
        if (old) await repo.retireKey(trx, old.id, now);
        const fresh = await createKey(trx, officeId, now);
        if (actor && audit) await audit.record({ officeId, actor, action: 'office.signing-key', subject: fresh.id, detail: old ? old.id : '' }, trx);
        return { retired: old, id: fresh.id };
      });
      if (retired) {
        keys.remove(keyFile(officeId, retired.id));
        privateKeys.delete(retired.id);
      }
      return id;
    },
  };
  return service;
};

export type SigningService = ReturnType<typeof createSigningService>;
