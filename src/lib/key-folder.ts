// The folder of private keys (SIGNING_KEY_DIR, by default DATA_DIR/keys): files readable by the
// server's user only (0600 in 0700 folders), written whole (a temporary file renamed into place)
// and never overwritten, so two processes that create the same key at once cannot mix halves. The
// database holds public keys only; a backup of it gives away nothing that signs.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, linkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface KeyFolder {
  readonly dir: string;
  /** The file's text, or undefined when there is none. */
  read(name: string): string | undefined;
  /** Writes a new file; returns false (and leaves the existing one) when it exists already. */
  create(name: string, text: string): boolean;
  remove(name: string): void;
}

// Segments of letters, digits, '.', '_' and '-', none starting with a dot (no '..', no hidden
// files). Key ids are base64url, so they may start with '-' or '_'.
const SAFE_NAME = /^[a-z0-9_-][a-z0-9._-]*(\/[a-z0-9_-][a-z0-9._-]*)*$/i;

export const createKeyFolder = (dir: string): KeyFolder => {
  const file = (name: string): string => {
    if (!SAFE_NAME.test(name) || name.includes('..')) throw new Error(`Not a key file name: ${name}`);
    return path.join(dir, name);
  };
  return {
    dir,
    read(name) {
      try {
        return readFileSync(file(name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    create(name, text) {
      const target = file(name);
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
      try {
        // A hard link fails when the target exists: the first writer wins, whole.
        linkSync(temp, target);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        // File systems without hard links: rename (which replaces), after checking.
        if (this.read(name) !== undefined) return false;
        renameSync(temp, target);
        return true;
      } finally {
        rmSync(temp, { force: true });
      }
    },
    remove(name) {
      rmSync(file(name), { force: true });
    },
  };
};
