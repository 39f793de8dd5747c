// Eta's auto-escape stays on: `<%~` (unescaped output) is allowed only for the layout body, includes
// and SafeHtml fields. This test reads every template and fails on any other raw output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const VIEWS = path.resolve(import.meta.dirname, '../../views');

const ALLOWED = [
  /^it\.body$/,
  /^(await )?include(Async)?\(/,
  /^[\w.]*(Html|jsonLd)$/,
  // Attribute switches between two string literals (`cond ? ' checked' : ''`).
  /^((?! \? | : ).)+ \? '[^'`$\\]*' : ''$/,
  // Attribute switches built only from literals and known-safe values.
  /^it\.currentPath(\.startsWith\([^)]*\))? (===|\?) .*' aria-current="page"' : ''$/,
  /^\w+\.lang !== it\.lang \? ' lang="' \+ \w+\.lang \+ '"' : ''$/,
];

const templates = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? templates(full) : full.endsWith('.eta') ? [full] : [];
  });

test('unescaped template output only for the allow-list', () => {
  const offenders: string[] = [];
  for (const file of templates(VIEWS)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/<%~\s*([\s\S]*?)\s*%>/g)) {
      const expr = match[1]!.trim();
      if (!ALLOWED.some((re) => re.test(expr))) offenders.push(`${path.relative(VIEWS, file)}: <%~ ${expr} %>`);
    }
  }
  assert.deepEqual(offenders, []);
});
