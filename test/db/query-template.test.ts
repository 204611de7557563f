// Query templates: compiled once per database, run (or filled, to run on a transaction) with each
// call's values as parameters.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, SqliteDialect } from 'kysely';
import Database from 'better-sqlite3';
import { dialectAdapterFor } from '../../src/db/connect.js';
import { createRecordingDatabase } from '../../src/db/recording-database.js';
import { dialectNames } from '../../src/db/dialect-name.js';
import { createQueryTemplate } from '../../src/db/query-template.js';

interface Things {
  things: { id: number; a: string | null; b: string | null; c: string | null };
}

function memoryDb(): Kysely<Things> {
  const database = new Database(':memory:');
  database.exec('CREATE TABLE things (id integer PRIMARY KEY, a text, b text, c text)');
  return new Kysely<Things>({ dialect: new SqliteDialect({ database }) });
}

const selectThing = createQueryTemplate((db: Kysely<Things>, args: { id: number }) =>
  db.selectFrom('things').select(['id', 'a']).where('id', '=', args.id),
);

const insertThing = createQueryTemplate((db: Kysely<Things>, args: { id: number; text: string }) =>
  db.insertInto('things').values({ id: args.id, a: args.text, b: args.text, c: null }),
);

test('compiles once per database and runs with the values of each call', async () => {
  const db = memoryDb();
  try {
    await insertThing.run(db, { id: 1, text: 'one' });
    await insertThing.run(db, { id: 2, text: 'two' });
    assert.deepEqual((await selectThing.run(db, { id: 2 })).rows, [{ id: 2, a: 'two' }]);
    assert.deepEqual((await selectThing.run(db, { id: 1 })).rows, [{ id: 1, a: 'one' }]);
    assert.deepEqual((await selectThing.run(db, { id: 3 })).rows, []);
    assert.equal(selectThing.compiledFor(db), selectThing.compiledFor(db));
  } finally {
    await db.destroy();
  }
});

test('fills every use of an argument and keeps the values the build writes itself', async () => {
  const db = memoryDb();
  try {
    await insertThing.run(db, { id: 7, text: "it's" });
    const rows = await db.selectFrom('things').selectAll().execute();
    assert.deepEqual(rows, [{ id: 7, a: "it's", b: "it's", c: null }]);
  } finally {
    await db.destroy();
  }
});

test('fill gives the query compiled once with the call’s values, to run on a transaction of the database', async () => {
  const db = memoryDb();
  try {
    const filled = insertThing.fill(db, { id: 4, text: 'four' });
    assert.equal(filled.sql, insertThing.compiledFor(db).sql);
    assert.deepEqual(filled.parameters, [4, 'four', 'four', null]);
    await db.transaction().execute((trx) => trx.executeQuery(filled));
    assert.deepEqual((await selectThing.run(db, { id: 4 })).rows, [{ id: 4, a: 'four' }]);
  } finally {
    await db.destroy();
  }
});

test('runs the SQL and parameters Kysely builds per call, on every dialect', async () => {
  for (const dialect of dialectNames) {
    const recording = createRecordingDatabase(dialectAdapterFor(dialect));
    const db = recording.db as Kysely<Things>;
    await insertThing.run(db, { id: 5, text: 'x' });
    await selectThing.run(db, { id: 9 });
    const expected = [
      db.insertInto('things').values({ id: 5, a: 'x', b: 'x', c: null }).compile(),
      db.selectFrom('things').select(['id', 'a']).where('id', '=', 9).compile(),
    ];
    assert.deepEqual(
      recording.take().map(({ sql, parameters }) => ({ sql, parameters })),
      expected.map(({ sql, parameters }) => ({ sql, parameters })),
      dialect,
    );
  }
});

test('refuses a build that uses an argument other than as a value', () => {
  const db = createRecordingDatabase(dialectAdapterFor('sqlite')).db as Kysely<Things>;
  const computed = createQueryTemplate((db: Kysely<Things>, args: { limit: number }) =>
    db
      .selectFrom('things')
      .selectAll()
      .limit(args.limit + 1),
  );
  assert.throws(() => computed.compiledFor(db), /reads limit without passing it to Kysely/);
});
