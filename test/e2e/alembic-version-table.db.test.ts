// A database Alembic migrated carries on: with DATA_REGISTRY_VERSION_TABLE=alembic_version (or
// --version-table) the engine reads and writes Alembic's table as it is, `current` prints what
// `alembic current` prints, and the first upgrade adds only the engine's own tables beside it (history, lock holder).

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connect.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { listTables, queryRows } from '../support/inspect-database.js';
import { tempDirsForThisFile, writeTableChain } from '../support/revision-folder.js';
import { runCli } from '../support/run-cli.js';

const tempDir = tempDirsForThisFile('dr-alembic-version-');

forEachDialect('taking over alembic_version', (ctx) => {
  let url: string;
  let dir: string;
  before(async () => {
    url = await ctx.freshDatabaseUrl();
    dir = tempDir();
    writeTableChain(dir, ['a1', 'b2', 'c3']);
    // What Alembic leaves after `alembic upgrade a1`: its version table and a1's table.
    const handle = await openDatabase(url);
    try {
      for (const statement of [
        'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
        "INSERT INTO alembic_version (version_num) VALUES ('a1')",
        'CREATE TABLE t_a1 (id integer primary key, v varchar(50))',
        'CREATE INDEX ix_a1 ON t_a1(v)',
      ]) {
        await sql.raw(statement).execute(handle.db);
      }
    } finally {
      await handle.close();
    }
  });

  const env = () => ({ DATA_REGISTRY_VERSION_TABLE: 'alembic_version' });

  test('current shows the revision alembic_version records, as alembic current does', async () => {
    const result = await runCli(['current', '--db', url, '--dir', dir], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'a1\n');
    assert.deepEqual(
      (await listTables(url)).filter((t) => !t.startsWith('t_')),
      ['alembic_version'],
    );
  });

  test('upgrade head applies only what Alembic had not, and adds the history table beside it', async () => {
    const result = await runCli(['upgrade', 'head', '--db', url, '--dir', dir], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Running upgrade a1 -> b2, create t_b2 .*\nRunning upgrade b2 -> c3, /,
    );
    assert.deepEqual(await listTables(url), [
      'alembic_version',
      'alembic_version_history',
      // The migration lock's holder, on the servers (db/dialects/postgres.ts, mysql.ts).
      ...(ctx.dialect === 'sqlite' ? [] : ['alembic_version_lock']),
      't_a1',
      't_b2',
      't_c3',
    ]);
    assert.deepEqual(await queryRows(url, 'SELECT version_num FROM alembic_version'), [
      { version_num: 'c3' },
    ]);
    const current = await runCli([
      'current',
      '--db',
      url,
      '--dir',
      dir,
      '--version-table',
      'alembic_version',
    ]);
    assert.equal(current.stdout, 'c3 (head)\n');
  });

  test('downgrade writes the same table back, as Alembic would find it', async () => {
    const result = await runCli(['downgrade', 'a1', '--db', url, '--dir', dir], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await queryRows(url, 'SELECT version_num FROM alembic_version'), [
      { version_num: 'a1' },
    ]);
    assert.ok(!(await listTables(url)).includes('t_b2'));
  });
});
