import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintUpgrade, rulesOf } from './lint-fixture.js';

const pg = { dialects: ['postgresql'] as const };
const noTx = { ...pg, noTransaction: true };

describe('PostgreSQL rules', () => {
  test('index-not-concurrent: CREATE and DROP INDEX on an existing table', async () => {
    assert.deepEqual(await rulesOf('CREATE INDEX t_a ON t (a);', pg), ['index-not-concurrent']);
    assert.deepEqual(await rulesOf('DROP INDEX t_b;', pg), ['index-not-concurrent']);
  });

  test('index-not-concurrent: not with CONCURRENTLY in a no-transaction revision, nor on a new table', async () => {
    assert.deepEqual(await rulesOf('CREATE INDEX CONCURRENTLY t_a ON t (a);', noTx), []);
    assert.deepEqual(await rulesOf('DROP INDEX CONCURRENTLY t_b;', noTx), []);
    const fresh =
      'CREATE TABLE v (id integer PRIMARY KEY, a text);\nCREATE INDEX v_a ON v (a);\nDROP INDEX v_a;';
    assert.deepEqual(await rulesOf(fresh, pg), []);
  });

  test('concurrently-in-transaction: CONCURRENTLY in a revision that runs in a transaction', async () => {
    assert.deepEqual(await rulesOf('CREATE INDEX CONCURRENTLY t_a ON t (a);', pg), [
      'concurrently-in-transaction',
    ]);
  });

  test('constraint-not-valid: FOREIGN KEY and CHECK without NOT VALID', async () => {
    const fk = 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (b) REFERENCES u (id);';
    assert.deepEqual(await rulesOf(fk, pg), ['constraint-not-valid']);
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD CONSTRAINT t_c CHECK (b > 0);', pg), [
      'constraint-not-valid',
    ]);
  });

  test('constraint-not-valid: a column added with an inline REFERENCES', async () => {
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN u_id integer REFERENCES u (id);', pg),
      ['constraint-not-valid'],
    );
  });

  test('constraint-not-valid: not with NOT VALID, nor for VALIDATE CONSTRAINT, nor on a new table', async () => {
    const fk = 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (b) REFERENCES u (id) NOT VALID;';
    assert.deepEqual(await rulesOf(fk, pg), []);
    assert.deepEqual(await rulesOf('ALTER TABLE t VALIDATE CONSTRAINT t_u;', pg), []);
    const fresh =
      'CREATE TABLE v (id integer, b integer);\nALTER TABLE v ADD CONSTRAINT v_c CHECK (b > 0);';
    assert.deepEqual(await rulesOf(fresh, pg), []);
  });

  test('set-not-null: on an existing table, not on a new one', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ALTER COLUMN b SET NOT NULL;', pg), [
      'set-not-null',
    ]);
    const fresh =
      'CREATE TABLE v (id integer, b integer);\nALTER TABLE v ALTER COLUMN b SET NOT NULL;';
    assert.deepEqual(await rulesOf(fresh, pg), []);
  });

  test('volatile-default: before PostgreSQL 11 a constant default rewrites the table too', async () => {
    const sql = 'ALTER TABLE t ADD COLUMN c integer DEFAULT 0;';
    assert.deepEqual(await rulesOf(sql, pg), []);
    const findings = await lintUpgrade(sql, { ...pg, serverVersions: { postgresql: '10.23' } });
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['volatile-default'],
    );
    assert.match(
      findings[0]?.message ?? '',
      /PostgreSQL 10\.23 \(before 11\) writes into every row/,
    );
  });

  test('volatile-default: random(), gen_random_uuid(), clock_timestamp() and serial rewrite the table', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN r float8 DEFAULT random();', pg), [
      'volatile-default',
    ]);
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN g uuid DEFAULT gen_random_uuid();', pg),
      ['volatile-default'],
    );
    assert.deepEqual(
      await rulesOf(
        "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp() + interval '1 day';",
        pg,
      ),
      ['volatile-default'],
    );
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN q bigserial;', pg), [
      'volatile-default',
    ]);
  });

  test('volatile-default: not for a constant, now() or CURRENT_TIMESTAMP default', async () => {
    assert.deepEqual(await rulesOf("ALTER TABLE t ADD COLUMN c text DEFAULT 'x';", pg), []);
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();', pg),
      [],
    );
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c timestamptz DEFAULT CURRENT_TIMESTAMP;', pg),
      [],
    );
  });

  test('unique-constraint: ADD UNIQUE without USING INDEX; fine with it', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD CONSTRAINT t_a UNIQUE (a);', pg), [
      'unique-constraint',
    ]);
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD CONSTRAINT t_a UNIQUE USING INDEX t_a_idx;', pg),
      [],
    );
  });

  test('exclusive-lock: LOCK TABLE, VACUUM FULL, CLUSTER, REINDEX; not REINDEX CONCURRENTLY or plain VACUUM', async () => {
    assert.deepEqual(await rulesOf('LOCK TABLE t IN ACCESS EXCLUSIVE MODE;', pg), [
      'exclusive-lock',
    ]);
    assert.deepEqual(await rulesOf('VACUUM FULL t;', noTx), ['exclusive-lock']);
    assert.deepEqual(await rulesOf('CLUSTER t USING t_b;', pg), ['exclusive-lock']);
    assert.deepEqual(await rulesOf('REINDEX TABLE t;', pg), ['exclusive-lock']);
    assert.deepEqual(await rulesOf('REINDEX TABLE CONCURRENTLY t;', noTx), []);
    assert.deepEqual(await rulesOf('VACUUM t;', noTx), []);
  });

  test('alter-type-rewrite: a rewriting type change is an error', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ALTER COLUMN b TYPE bigint;', pg), [
      'alter-type-rewrite',
      'column-type-change',
    ]);
  });

  test('alter-type-rewrite: not for varchar growth, varchar to text, or numeric precision growth', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ALTER COLUMN a TYPE varchar(200);', pg), []);
    assert.deepEqual(await rulesOf('ALTER TABLE t ALTER COLUMN a TYPE text;', pg), []);
    assert.deepEqual(await rulesOf('ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2);', pg), []);
    assert.deepEqual(await rulesOf('ALTER TABLE t ALTER COLUMN a TYPE varchar(10);', pg), [
      'alter-type-rewrite',
      'column-type-change',
    ]);
  });

  test('a statement the parser cannot read is a not-analysed warning', async () => {
    assert.deepEqual(await rulesOf('CREATE TABEL oops (id int);', pg), ['not-analysed']);
  });
});
