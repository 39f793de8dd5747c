import { test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { withStatementCache } from '../../src/db/connect.ts';

test('the statement cache reuses compiled statements but never shares a busy one', () => {
  const sqlite = new SQLite(':memory:');
  const db = withStatementCache(sqlite, 2);
  sqlite.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);');
  const sql = 'SELECT n FROM t ORDER BY n';
  const first = db.prepare(sql);
  assert.equal(db.prepare(sql), first);
  assert.deepEqual(first.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);

  // While one iteration of a statement is open, the same SQL still runs, on its own statement.
  const seen: number[] = [];
  for (const row of first.iterate([]) as Iterable<{ n: number }>) {
    const inner = db.prepare(sql);
    assert.notEqual(inner, first);
    seen.push(row.n, (inner.all([]) as unknown[]).length);
  }
  assert.deepEqual(seen, [1, 3, 2, 3, 3, 3]);

  // Bounded: the least recently used statement goes first.
  db.prepare('SELECT 1');
  db.prepare('SELECT 2');
  assert.notEqual(db.prepare(sql), first);
  db.close();
});
