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
});
