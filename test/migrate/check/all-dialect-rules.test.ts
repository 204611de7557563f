import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectNames } from '../../../src/db/dialect-name.js';
import { lintUpgrade, rulesOf } from './lint-fixture.js';

for (const dialect of dialectNames) {
  const only = { dialects: [dialect] };
  const without = (rules: string[], ...ids: string[]) => rules.filter((r) => !ids.includes(r));
  // SQLite refuses some of these forms outright; sqlite-add-column covers that separately.
  const lockRules = [
    'alter-type-rewrite',
    'mysql-blocking-alter',
    'sqlite-add-column',
    'unique-constraint',
  ];

  describe(`all-dialect rules on ${dialect}`, () => {
    test('required-column: a NOT NULL column without a default on an existing table', async () => {
      const findings = await lintUpgrade('ALTER TABLE t ADD COLUMN c integer NOT NULL;', only);
      assert.ok(
        findings.some((f) => f.rule === 'required-column' && f.line > 0),
        JSON.stringify(findings),
      );
      const finding = findings.find((f) => f.rule === 'required-column');
      assert.equal(finding?.statement, 'ALTER TABLE t ADD COLUMN c integer NOT NULL');
      assert.equal(finding?.revision, 'b2');
      assert.equal(finding?.dialect, dialect);
    });

    test('required-column: not for a nullable column, one with a default, or a new table', async () => {
      assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer;', only), []);
      assert.deepEqual(
        await rulesOf('ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT 0;', only),
        [],
      );
      assert.deepEqual(
        await rulesOf(
          'CREATE TABLE v (id integer PRIMARY KEY);\nALTER TABLE v ADD COLUMN c integer;',
          only,
        ),
        [],
      );
    });

    test('drop-table and drop-column on existing tables are errors', async () => {
      assert.deepEqual(await rulesOf('DROP TABLE u;', only), ['drop-table']);
      assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN s;', only), ['drop-column']);
    });

    test('drop-table: not for a table created in the same revision', async () => {
      assert.deepEqual(
        await rulesOf('CREATE TABLE v (id integer PRIMARY KEY);\nDROP TABLE v;', only),
        [],
      );
    });

    test('rename-table and rename-column on existing tables are errors', async () => {
      assert.deepEqual(await rulesOf('ALTER TABLE t RENAME TO t2;', only), ['rename-table']);
      assert.deepEqual(await rulesOf('ALTER TABLE t RENAME COLUMN a TO a2;', only), [
        'rename-column',
      ]);
    });

    test('rename-column: not for a table created in the same revision', async () => {
      const sql =
        'CREATE TABLE v (id integer PRIMARY KEY, a integer);\nALTER TABLE v RENAME COLUMN a TO c;';
      assert.deepEqual(await rulesOf(sql, only), []);
    });

    if (dialect !== 'sqlite') {
      test('column-type-change: a narrowing change warns, growing a varchar does not', async () => {
        const change =
          dialect === 'postgresql'
            ? (type: string) => `ALTER TABLE t ALTER COLUMN a TYPE ${type};`
            : (type: string) => `ALTER TABLE t MODIFY COLUMN a ${type};`;
        const narrowing = await lintUpgrade(change('integer'), only);
        const warning = narrowing.find((f) => f.rule === 'column-type-change');
        assert.equal(warning?.severity, 'warning');
        assert.match(warning?.message ?? '', /varchar\(20\) to int(eger)?\.$/);
        assert.deepEqual(without(await rulesOf(change('varchar(40)'), only), ...lockRules), []);
        if (dialect === 'postgresql') assert.deepEqual(await rulesOf(change('text'), only), []);
      });
    }

    if (dialect !== 'mysql') {
      test('backfill-in-ddl-transaction: an UPDATE beside DDL on an existing table', async () => {
        const sql = 'ALTER TABLE t ADD COLUMN c integer;\nUPDATE t SET c = b;';
        assert.deepEqual(await rulesOf(sql, only), ['backfill-in-ddl-transaction']);
      });

      test('backfill-in-ddl-transaction: not alone, not into a new table, not without a transaction', async () => {
        assert.deepEqual(await rulesOf('UPDATE t SET b = 1;', only), []);
        const copy =
          'CREATE TABLE v (id integer PRIMARY KEY);\nINSERT INTO v (id) SELECT id FROM t;';
        assert.deepEqual(await rulesOf(copy, only), []);
        const insertValues = 'ALTER TABLE t ADD COLUMN c integer;\nINSERT INTO t (id) VALUES (1);';
        assert.deepEqual(await rulesOf(insertValues, only), []);
        if (dialect === 'postgresql') {
          const update = 'ALTER TABLE t ADD COLUMN c integer;\nUPDATE t SET c = b;';
          assert.deepEqual(await rulesOf(update, { ...only, noTransaction: true }), []);
        }
      });
    }
  });
}
