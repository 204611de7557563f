// The cache of prepared statements under Kysely's SQLite driver: reuse, its bound, statements
// still being read, and schema changes between two runs of one cached statement; with it, the
// rows it reads as arrays (sqlite-array-rows.ts) and the schema changes it runs through exec
// (sqlite-schema-statements.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connect.js';
import { withStatementCache } from '../../src/db/dialects/sqlite-statement-cache.js';

function memoryDatabase(): Database.Database {
  const database = new Database(':memory:');
  database.exec('CREATE TABLE t (n integer)');
  database.exec('INSERT INTO t (n) VALUES (1), (2), (3)');
  return database;
}

test('prepares a repeated SQL text once and runs it with each call’s parameters', () => {
  const cached = withStatementCache(memoryDatabase());
  try {
    const first = cached.prepare('SELECT n FROM t WHERE n = ?');
    const again = cached.prepare('SELECT n FROM t WHERE n = ?');
    assert.equal(again, first);
    assert.deepEqual(first.all([2]), [{ n: 2 }]);
    assert.deepEqual(again.all([3]), [{ n: 3 }]);
    assert.notEqual(cached.prepare('SELECT n FROM t WHERE n > ?'), first);
  } finally {
    cached.close();
  }
});

test('keeps at most its capacity, dropping the least recently used statement', () => {
  const cached = withStatementCache(memoryDatabase(), 2);
  try {
    const a = cached.prepare('SELECT 1');
    const b = cached.prepare('SELECT 2');
    assert.equal(cached.prepare('SELECT 1'), a); // a is now the most recent
    cached.prepare('SELECT 3'); // drops b
    assert.equal(cached.prepare('SELECT 1'), a);
    assert.notEqual(cached.prepare('SELECT 2'), b);
  } finally {
    cached.close();
  }
  assert.throws(() => withStatementCache(memoryDatabase(), 0), RangeError);
});

test('gives a fresh statement while the cached one is still being iterated', () => {
  const cached = withStatementCache(memoryDatabase());
  try {
    const text = 'SELECT n FROM t ORDER BY n';
    const streaming = cached.prepare(text);
    const seen: unknown[] = [];
    for (const row of streaming.iterate([])) {
      const inner = cached.prepare(text);
      assert.notEqual(inner, streaming);
      seen.push(row, inner.all([]).length);
    }
    assert.deepEqual(seen, [{ n: 1 }, 3, { n: 2 }, 3, { n: 3 }, 3]);
    assert.equal(cached.prepare(text), streaming);
  } finally {
    cached.close();
  }
});

test('close() closes the database', () => {
  const database = memoryDatabase();
  withStatementCache(database).close();
  assert.equal(database.open, false);
});

test('a cached query follows schema changes, and a dropped table is still undefined-table', async () => {
  const handle = await openDatabase('sqlite::memory:');
  try {
    const select = () => sql<Record<string, unknown>>`select * from things`.execute(handle.db);
    await sql`create table things (a integer)`.execute(handle.db);
    await sql`insert into things (a) values (1)`.execute(handle.db);
    assert.deepEqual((await select()).rows, [{ a: 1 }]);
    await sql`drop table things`.execute(handle.db);
    await sql`create table things (a integer, b text)`.execute(handle.db);
    await sql`insert into things (a, b) values (2, 'x')`.execute(handle.db);
    assert.deepEqual((await select()).rows, [{ a: 2, b: 'x' }]);
    await sql`drop table things`.execute(handle.db);
    const error = await select().catch((caught: unknown) => caught);
    assert.ok(error instanceof Error, 'the query fails');
    assert.equal(handle.dialect.classifyError(error), 'undefined-table');
  } finally {
    await handle.close();
  }
});

test('rows read through the cache equal better-sqlite3’s own objects, iterated or not', () => {
  const database = memoryDatabase();
  database.exec('CREATE TABLE u (id integer, label text, score real, data blob)');
  database.exec("INSERT INTO u VALUES (1, 'a', 1.5, x'00ff'), (2, NULL, NULL, NULL)");
  const cached = withStatementCache(database);
  try {
    for (const text of [
      'SELECT id, label, score, data FROM u ORDER BY id',
      'SELECT id AS n, label, id, label AS "label" FROM u ORDER BY id',
      'SELECT count(id) AS total, max(score) FROM u',
      'SELECT id FROM u WHERE id > ?',
    ]) {
      const parameters = text.includes('?') ? [5] : [];
      const expected = database.prepare(text).all(parameters);
      const statement = cached.prepare(text);
      assert.deepEqual(statement.all(parameters), expected, text);
      assert.deepEqual([...statement.iterate(parameters)], expected, text);
      assert.deepEqual(cached.prepare(text).all(parameters), expected, `${text}, again`);
    }
  } finally {
    cached.close();
  }
});

test('a cached query naming its columns keeps them across a schema change it survives', async () => {
  const handle = await openDatabase('sqlite::memory:');
  try {
    const select = () => sql<Record<string, unknown>>`select a, b from pairs`.execute(handle.db);
    await sql`create table pairs (a integer, b text)`.execute(handle.db);
    await sql`insert into pairs (a, b) values (1, 'x')`.execute(handle.db);
    assert.deepEqual((await select()).rows, [{ a: 1, b: 'x' }]);
    await sql`alter table pairs add column c integer`.execute(handle.db);
    assert.deepEqual((await select()).rows, [{ a: 1, b: 'x' }]);
  } finally {
    await handle.close();
  }
});

test('schema changes run without being cached, after comments too, and fail as SQLite says', () => {
  const database = memoryDatabase();
  const cached = withStatementCache(database, 1);
  try {
    const select = cached.prepare('SELECT n FROM t ORDER BY n');
    for (const text of [
      'CREATE TABLE made (a integer)',
      '-- why\n/* a note */  create index ix_made on made(a)',
      'alter TABLE made ADD COLUMN b text',
    ]) {
      const statement = cached.prepare(text);
      assert.equal(statement.reader, false, text);
      statement.run([]);
    }
    // The one cached slot still holds the select: the schema changes did not take it.
    assert.equal(cached.prepare('SELECT n FROM t ORDER BY n'), select);
    const columns = database.prepare('SELECT name FROM pragma_table_info(?)').all('made');
    assert.deepEqual(columns, [{ name: 'a' }, { name: 'b' }]);
    assert.ok(database.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ix_made'").get());
    cached.prepare('DROP TABLE made').run([]);
    assert.throws(() => cached.prepare('DROP TABLE made').run([]), /no such table: made/);
    assert.throws(() => cached.prepare('CREATE TABLE t (n integer)').run([]), /already exists/);
  } finally {
    cached.close();
  }
});
