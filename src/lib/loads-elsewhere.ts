// Whether a package loads, asked of another Node process: the server then need not load it itself
// until its first use. sharp with libvips costs some 11 MB resident in a server from the moment it is
// imported, for nothing on a server that only serves pages; a broken install (no libvips for this
// platform) should still stop the start, as it did when the server imported sharp once it listened.
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The other process imports the package and, should that fail, writes the error's message alone. */
const check = (specifier: string): string =>
  `try { await import(${JSON.stringify(specifier)}); } catch (error) { process.stderr.write(String(error?.message ?? error)); process.exit(3); }`;

/**
 * Imports `specifier` in a Node process of its own, started in the project's folder: 'loads', or
 * 'unchecked' when no such process could be run (no memory, no processes left, a minute passed);
 * rejects with the import's error message when the package does not load.
 */
export const loadsInAnotherProcess = (specifier: string): Promise<'loads' | 'unchecked'> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '--eval', check(specifier)], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve('loads');
      if (error.code === 3) return reject(new Error(`${specifier} does not load: ${stderr.trim()}`));
      resolve('unchecked');
    });
  });
