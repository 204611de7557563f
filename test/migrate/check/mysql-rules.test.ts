import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintUpgrade, rulesOf } from './lint-fixture.js';

const mysql = { dialects: ['mysql'] as const };

describe('MySQL/MariaDB rules', () => {
  test('mysql-mariadb-syntax: DROP CHECK, in a downgrade too, with DROP CONSTRAINT as the fix', async () => {
    const findings = await lintUpgrade('ALTER TABLE t ADD CONSTRAINT t_c CHECK (b > 0);', {
      ...mysql,
      downgrade: 'ALTER TABLE t DROP CHECK t_c;',
    });
    const finding = findings.find((f) => f.rule === 'mysql-mariadb-syntax');
    assert.ok(finding, JSON.stringify(findings));
    assert.match(finding.fix, /DROP CONSTRAINT t_c/);
  });

  test('mysql-mariadb-syntax: not for DROP CONSTRAINT', async () => {
    const findings = await lintUpgrade('SELECT 1;', {
      ...mysql,
      downgrade: 'ALTER TABLE t DROP CONSTRAINT t_c;',
    });
    assert.deepEqual(
      findings.map((f) => f.rule),
      [],
    );
  });

  test('mysql-copy-or-lock: ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE on an existing table', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c int, ALGORITHM=COPY;', mysql), [
      'mysql-copy-or-lock',
    ]);
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c int, LOCK=EXCLUSIVE;', mysql), [
      'mysql-copy-or-lock',
    ]);
    assert.deepEqual(await rulesOf('CREATE INDEX t_a ON t (a) ALGORITHM=COPY;', mysql), [
      'mysql-copy-or-lock',
    ]);
  });

  test('mysql-copy-or-lock: not for INPLACE with LOCK=NONE, nor INSTANT', async () => {
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c int, ALGORITHM=INPLACE, LOCK=NONE;', mysql),
      [],
    );
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c int, ALGORITHM=INSTANT;', mysql),
      [],
    );
  });

  test('mysql-foreign-key: on an existing table, not on a new one', async () => {
    const fk = 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (b) REFERENCES u (id);';
    assert.deepEqual(await rulesOf(fk, mysql), ['mysql-foreign-key']);
    const fresh =
      'CREATE TABLE v (id int, b int);\nALTER TABLE v ADD CONSTRAINT v_u FOREIGN KEY (b) REFERENCES u (id);';
    assert.deepEqual(await rulesOf(fresh, mysql), []);
  });

  test('mysql-blocking-alter: a type change that copies the table', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t MODIFY COLUMN b bigint;', mysql), [
      'column-type-change',
      'mysql-blocking-alter',
    ]);
    // 20 to 100 characters crosses 255 bytes in utf8mb4: the length prefix grows, so InnoDB copies.
    assert.deepEqual(await rulesOf('ALTER TABLE t MODIFY COLUMN a varchar(100);', mysql), [
      'mysql-blocking-alter',
    ]);
  });

  test('mysql-blocking-alter: not for VARCHAR growth within the same length bytes, nor with ALGORITHM=INPLACE, LOCK=NONE', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t MODIFY COLUMN a varchar(60);', mysql), []);
    const refusing = 'ALTER TABLE t MODIFY COLUMN b bigint, ALGORITHM=INPLACE, LOCK=NONE;';
    assert.deepEqual(await rulesOf(refusing, mysql), ['column-type-change']);
  });

  describe('mysql-blocking-alter beyond type changes', () => {
    test('a MODIFY that keeps the type and changes only NOT NULL runs in place', async () => {
      assert.deepEqual(await rulesOf('ALTER TABLE t MODIFY COLUMN b integer NOT NULL;', mysql), []);
    });

    test('AUTO_INCREMENT and STORED generated columns, primary key dropped, FULLTEXT index', async () => {
      for (const sql of [
        'ALTER TABLE t ADD COLUMN c bigint AUTO_INCREMENT UNIQUE;',
        'ALTER TABLE t ADD COLUMN c integer GENERATED ALWAYS AS (b + 1) STORED;',
        'ALTER TABLE t DROP PRIMARY KEY;',
        'ALTER TABLE t ADD FULLTEXT INDEX t_s (s);',
        'CREATE FULLTEXT INDEX t_s ON t (s);',
      ]) {
        const rules = await rulesOf(sql, mysql);
        assert.ok(rules.includes('mysql-blocking-alter'), `${sql}: ${rules.join()}`);
      }
    });

    test('not for a VIRTUAL generated column, nor a primary key replaced in one statement', async () => {
      for (const sql of [
        'ALTER TABLE t ADD COLUMN c integer GENERATED ALWAYS AS (b + 1) VIRTUAL;',
        'ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, b);',
      ]) {
        const rules = await rulesOf(sql, mysql);
        assert.ok(!rules.includes('mysql-blocking-alter'), `${sql}: ${rules.join()}`);
      }
    });

    test('ALGORITHM=INSTANT that the server version refuses', async () => {
      const sql = 'ALTER TABLE t DROP COLUMN s, ALGORITHM=INSTANT;\n';
      const allow = '-- check:allow drop-column unused\n';
      assert.deepEqual(await rulesOf(allow + sql, mysql), []);
      const findings = await lintUpgrade(allow + sql, {
        ...mysql,
        serverVersions: { mysql: '8.0.28' },
      });
      assert.deepEqual(
        findings.map((f) => f.rule),
        ['mysql-blocking-alter'],
      );
      assert.match(
        findings[0]?.message ?? '',
        /MySQL 8\.0\.28 cannot run this ALTER with ALGORITHM=INSTANT/,
      );
      const index = await rulesOf('ALTER TABLE t ADD INDEX t_a (a), ALGORITHM=INSTANT;', mysql);
      assert.deepEqual(index, ['mysql-blocking-alter']);
    });

    test('ADD COLUMN IF NOT EXISTS is MariaDB only', async () => {
      assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN IF NOT EXISTS c integer;', mysql), [
        'mysql-mariadb-syntax',
      ]);
    });
  });
});
