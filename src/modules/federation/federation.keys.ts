// The ActivityPub keys of an office: RSA (HTTP Signatures, which Mastodon checks) and Ed25519
// (Object Integrity Proofs, FEP-8b32), made on first use and kept as JWKs in one file of the key
// folder (`activitypub/office-{id}.json`, lib/key-folder.ts), never in the database. They are not
// the office's release-signing key (modules/signing): that one is rotated on its own schedule.
import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import type { KeyFolder } from '../../lib/key-folder.ts';

interface StoredPair {
  publicKey: JsonWebKey;
  privateKey: JsonWebKey;
}

/** RSA at 2048 bits, as Mastodon makes its own (Fedify's default of 4096 takes seconds per office). */
const generateRsa = () =>
  crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);

const exportPair = async (pair: CryptoKeyPair): Promise<StoredPair> => ({ publicKey: await exportJwk(pair.publicKey), privateKey: await exportJwk(pair.privateKey) });
const importPair = async (stored: StoredPair): Promise<CryptoKeyPair> => ({ publicKey: await importJwk(stored.publicKey, 'public'), privateKey: await importJwk(stored.privateKey, 'private') });

export const createActorKeys = (keys: KeyFolder) => {
  const cache = new Map<number, Promise<CryptoKeyPair[]>>();
  const file = (officeId: number) => `activitypub/office-${officeId}.json`;

  const load = async (officeId: number): Promise<CryptoKeyPair[]> => {
    const existing = keys.read(file(officeId));
    if (!existing) {
      const made = { rsa: await exportPair(await generateRsa()), ed25519: await exportPair(await generateCryptoKeyPair('Ed25519')) };
      // Another process may have made them first: then its file stands, and is read below.
      keys.create(file(officeId), JSON.stringify(made));
    }
    const stored = JSON.parse(keys.read(file(officeId))!) as { rsa: StoredPair; ed25519: StoredPair };
    return [await importPair(stored.rsa), await importPair(stored.ed25519)];
  };

  return {
    /** The office's key pairs: RSA first (the actor's `publicKey`), then Ed25519. */
    forOffice(officeId: number): Promise<CryptoKeyPair[]> {
      let pairs = cache.get(officeId);
      if (!pairs) {
        pairs = load(officeId);
        cache.set(officeId, pairs);
        pairs.catch(() => cache.delete(officeId));
      }
      return pairs;
    },
  };
};

export type ActorKeys = ReturnType<typeof createActorKeys>;
