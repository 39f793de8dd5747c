// The Node.js version check that runs before any .ts file (bin/check-node.cjs): one clear line on
// a Node too old for Herold, nothing on a new enough one. Where the machine has an older Node
// (Debian's /usr/bin/node is 20), `npm start`, `npm test` and `npx herold` are run with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const check = require('../../bin/check-node.cjs') as {
  minimumOf(range: string): number[] | null;
  problem(version: string, range: string): string | null;
  engines(): string;
};
const run = promisify(execFile);

test('engines names the minimum, and the check compares versions by number', () => {
  assert.equal(check.engines(), '>=22.18');
  assert.deepEqual(check.minimumOf('>=22.18'), [22, 18, 0]);
  assert.equal(check.problem('24.0.0', '>=22.18'), null);
  assert.equal(check.problem('22.18.0', '>=22.18'), null);
  assert.equal(check.problem('v22.100.1', '>=22.18'), null);
  const line = check.problem('22.9.0', '>=22.18');
  assert.ok(line);
  assert.match(line, /^Herold needs Node\.js 22\.18 or newer, but this is Node\.js 22\.9\.0\. Install Node\.js 24 LTS/);
  assert.doesNotMatch(line, /\n/);
  assert.match(check.problem('20.20.2', '>=22.18')!, /Node\.js 20\.20\.2/);
});

test('this Node passes the check silently', async () => {
  const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/check-node.cjs')]);
  assert.equal(stdout + stderr, '');
});

const oldNode = ((): string | null => {
  const candidate = '/usr/bin/node';
  if (!existsSync(candidate)) return null;
  const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
  return check.problem(version, check.engines()) ? candidate : null;
})();

test('on an older Node, npm start, npm test, npx herold and node src/server.js stop at once with one line', { skip: oldNode ? false : 'no Node older than the minimum on this machine' }, async () => {
  const bin = path.dirname(oldNode!);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
  for (const argv of [['npm', 'start'], ['npm', 'test'], ['npx', 'herold', 'help'], ['node', 'src/server.js']]) {
    const result = await run(path.join(bin, argv[0]!), argv.slice(1), { cwd: ROOT, env }).then(
      () => assert.fail(`${argv.join(' ')} succeeded on an old Node`),
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    assert.equal(result.code, 1, argv.join(' '));
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('Herold needs'));
    assert.equal(lines.length, 1, `${argv.join(' ')}: ${result.stderr}`);
    assert.match(lines[0]!, /Node\.js 22\.18 or newer.*Install Node\.js 24 LTS/);
    assert.doesNotMatch(result.stderr + result.stdout, /ERR_UNKNOWN_FILE_EXTENSION|^\s+at /m);
  }
});

test('npm start and the deploy guide run the server with the Node flags the soak and the bench measure', async () => {
  const { SERVER_NODE_FLAGS } = await import('../helpers/processes.ts');
  assert.ok(SERVER_NODE_FLAGS.length > 0);
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const execStart = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8').split('\n').find((line) => line.startsWith('ExecStart=') && line.includes('src/server.js'));
  assert.ok(execStart, 'docs/deploy.md has the unit that starts the server');
  const flagsBefore = (command: string) => command.slice(0, command.indexOf('src/server.js')).split(/\s+/).filter((word) => word.startsWith('--') && !word.startsWith('--env-file'));
  assert.deepEqual(flagsBefore(start.slice(start.lastIndexOf('&&'))), SERVER_NODE_FLAGS);
  assert.deepEqual(flagsBefore(execStart), SERVER_NODE_FLAGS);
});

test('the deploy guide\'s unit sets the environment the soak and the bench give the server', async () => {
  const { SERVER_DEPLOY_ENV } = await import('../helpers/processes.ts');
  const guide = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8').split('\n');
  for (const [name, value] of Object.entries(SERVER_DEPLOY_ENV)) assert.ok(guide.includes(`Environment=${name}=${value}`), `docs/deploy.md sets ${name}=${value}`);
});
