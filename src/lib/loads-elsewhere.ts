// Whether a package loads, asked of another Node process: the server then need not load it itself
// until its first use. sharp with libvips costs some 21 MB resident (8 MB of it anonymous) in a
// process from the moment it is imported, for nothing on a server that only serves pages; a broken
// install (no libvips for this platform) should still stop the start, as it did when the server
// imported sharp once it listened.
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Resolves when `specifier` imports in a Node process of its own started in the project's folder; rejects with its last line of error. */
export const loadsInAnotherProcess = (specifier: string): Promise<void> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '--eval', `await import(${JSON.stringify(specifier)});`], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const lines = stderr.trim().split('\n').filter((line) => /error/i.test(line));
      reject(new Error(`${specifier} does not load: ${lines.at(0) ?? error.message}`));
    });
  });
