// The schema snapshot on each database: equal schemas written differently read alike, and each
// kind of object that differs is named by the difference.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/db/connect.js';
import type { DatabaseHandle } from '../../../src/db/database-handle.js';
import {
  describeDifference,
  diffSchemas,
  isSameSchema,
  snapshotSchema,
} from '../../../src/migrate/check/index.js';
import { forEachDialect } from '../../support/for-each-dialect.js';

const parent = (extra: string) =>
  `CREATE TABLE parent (id integer primary key, name varchar(20) not null default 'x'${extra},
   CONSTRAINT parent_name_check CHECK (length(name) > 0))`;
const child = `CREATE TABLE child (id integer primary key, parent_id integer,
   CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id))`;

/** The same schema, written inline (a) and built up by ALTER TABLE, spaced otherwise (b). */
const schemaA = [
  parent(', note varchar(10)'),
  child,
  'CREATE INDEX child_parent ON child (parent_id)',
  'CREATE UNIQUE INDEX parent_name ON parent (name)',
  'CREATE VIEW named AS SELECT id, name FROM parent',
];
const schemaB = [
  parent(''),
  'ALTER TABLE parent ADD COLUMN note varchar(10)',
  child,
  'CREATE  UNIQUE INDEX parent_name ON parent (name)',
  'CREATE INDEX child_parent ON child (parent_id)',
  'CREATE VIEW named AS SELECT id,   name FROM parent',
];

forEachDialect('snapshotSchema', (ctx) => {
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  const run = async (handle: DatabaseHandle, statements: readonly string[]) => {
    for (const statement of statements) await sql.raw(statement).execute(handle.db);
  };
  before(async () => {
    a = await openDatabase(await ctx.freshDatabaseUrl());
    b = await openDatabase(await ctx.freshDatabaseUrl());
    await run(a, schemaA);
    await run(b, schemaB);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test('reads tables, columns, indexes, constraints and views', async () => {
    const snapshot = await snapshotSchema(a);
    assert.deepEqual(
      snapshot.tables.map((t) => t.name),
      ['child', 'parent'],
    );
    const parentTable = snapshot.tables.find((t) => t.name === 'parent')!;
    assert.deepEqual(parentTable.columns.map((c) => [c.name, c.isNullable]).slice(1), [
      ['name', false],
      ['note', true],
    ]);
    assert.match(parentTable.columns[1]!.default ?? '', /x/);
    const kinds = (name: string) =>
      snapshot.tables.find((t) => t.name === name)!.constraints.map((c) => c.kind);
    assert.ok(kinds('parent').includes('primary key'));
    assert.ok(kinds('parent').includes('check'));
    assert.ok(kinds('child').includes('foreign key'));
    assert.ok(parentTable.indexes.some((i) => i.name === 'parent_name' && i.isUnique));
    assert.deepEqual(
      snapshot.views.map((v) => v.name),
      ['named'],
    );
  });

  test('reads a schema built by ALTER TABLE, spaced otherwise, as equal', async () => {
    const difference = diffSchemas(await snapshotSchema(a), await snapshotSchema(b));
    assert.deepEqual(describeDifference(difference), []);
    assert.ok(isSameSchema(difference));
  });

  test('names what is missing, extra and different', async () => {
    const expected = await snapshotSchema(a);
    await run(b, [
      'DROP INDEX parent_name' + (ctx.dialect === 'mysql' ? ' ON parent' : ''),
      'ALTER TABLE child ADD COLUMN added integer',
      'CREATE TABLE spare (id integer primary key)',
    ]);
    const lines = describeDifference(diffSchemas(expected, await snapshotSchema(b)));
    assert.ok(
      lines.some((l) => l.startsWith('missing index parent.parent_name (UNIQUE ')),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^extra column child\.added \(/i.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.includes('extra table spare'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('extra column spare.')), 'a new table is one entry');
  });
});
