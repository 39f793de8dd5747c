// No import cycles in src/: neither between files nor between modules (each folder of src/ and of
// src/modules/ is a module; a file directly in src/ is one of its own). Type-only imports count: a
// cycle of types is a cycle of concepts. When two modules need each other, the shared part goes to
// a third, lower one, or one side takes a callback (see services.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // The entry point, src/server.js, is JavaScript (its comment says why).
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|js)$/.test(full) ? [full] : [];
  });

/** Relative specifiers of every static import, re-export, side-effect import and dynamic import. */
const SPECIFIER = /(?:\bimport|\bexport)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

const importGraph = (): Map<string, string[]> => {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(SPECIFIER)].map((m) => path.resolve(path.dirname(file), m[1] ?? m[2]!));
    // Outside src/ only bin/check-node.cjs is imported (by the entry point): it imports nothing of src/.
    const inSrc = (target: string) => target.startsWith(`${SRC}${path.sep}`);
    const unknown = targets.filter((t) => (inSrc(t) ? !known.has(t) : !existsSync(t)));
    assert.deepEqual(unknown, [], `${path.relative(SRC, file)} imports files that do not exist`);
    graph.set(file, [...new Set(targets.filter(inSrc))]);
  }
  return graph;
};

const moduleOf = (file: string): string => {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts.length === 1) return parts[0]!;
  return parts[0] === 'modules' ? `modules/${parts[1]}` : parts[0]!;
};

/** The strongly connected components with more than one member (Tarjan): every cycle, grouped. */
const cycles = (nodes: Iterable<string>, edges: (node: string) => Iterable<string>): string[][] => {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges(node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return found;
};

const graph = importGraph();

test('the import graph is read: files and modules import what they are known to import', () => {
  const importsOf = (file: string) => (graph.get(path.join(SRC, file)) ?? []).map((f) => path.relative(SRC, f));
  assert.ok(importsOf('app.ts').includes('services.ts'));
  assert.ok(importsOf('modules/releases/releases.repository.ts').includes('modules/releases/release.ts'));
  // A type-only import counts.
  assert.ok(importsOf('modules/releases/release.ts').includes('db/database.ts'));
  assert.ok(graph.size > 80, `${graph.size} files`);
});

test('no import cycle between files', () => {
  const found = cycles(graph.keys(), (file) => graph.get(file) ?? []);
  assert.deepEqual(found.map((c) => c.map((f) => path.relative(SRC, f))), []);
});

test('no import cycle between modules', () => {
  const modules = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = moduleOf(file);
    const set = modules.get(from) ?? new Set<string>();
    for (const target of targets) if (moduleOf(target) !== from) set.add(moduleOf(target));
    modules.set(from, set);
  }
  assert.ok(modules.get('modules/releases')?.has('db'), 'the releases module reads the database types');
  assert.deepEqual(cycles(modules.keys(), (m) => modules.get(m) ?? []), []);
});
