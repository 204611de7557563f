import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rulesOf } from './lint-fixture.js';

const sqlite = { dialects: ['sqlite'] as const };

describe('SQLite rules', () => {
  test('sqlite-add-column: the forms SQLite refuses', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer UNIQUE;', sqlite), [
      'sqlite-add-column',
    ]);
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c integer DEFAULT (random());', sqlite),
      ['sqlite-add-column'],
    );
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer NOT NULL;', sqlite), [
      'required-column',
      'sqlite-add-column',
    ]);
  });

  test('sqlite-add-column: refused even on a table created in the same revision', async () => {
    const sql =
      'CREATE TABLE v (id integer PRIMARY KEY);\nALTER TABLE v ADD COLUMN c integer UNIQUE;';
    assert.deepEqual(await rulesOf(sql, sqlite), ['sqlite-add-column']);
  });

  test('sqlite-add-column: not for a nullable column or NOT NULL with a constant default', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer;', sqlite), []);
    assert.deepEqual(
      await rulesOf("ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT 'x';", sqlite),
      [],
    );
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT -1;', sqlite),
      [],
    );
  });
});

describe('SQLite drop column', () => {
  test('sqlite-drop-column: an indexed column, a PRIMARY KEY column', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN b;', sqlite), [
      'drop-column',
      'sqlite-drop-column',
    ]);
    assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN id;', sqlite), [
      'drop-column',
      'sqlite-drop-column',
    ]);
  });

  test('sqlite-drop-column: not for a plain column', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN s;', sqlite), ['drop-column']);
  });

  test("SQLite's DROP INDEX name, which node-sql-parser cannot read, is reported as not analysed", async () => {
    // A known gap of the parser (docs/check.md): the index stays in the model, so the drop of
    // its column below is still reported; the warning says why.
    const sql =
      'DROP INDEX t_b;\n-- check:allow drop-column unused since 2.3\nALTER TABLE t DROP COLUMN b;';
    assert.deepEqual(await rulesOf(sql, sqlite), ['not-analysed', 'sqlite-drop-column']);
  });
});
