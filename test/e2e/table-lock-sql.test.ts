// `--sql` prints the statements that bound table-lock waits, as the online run sets them: SET
// LOCAL in each transaction on PostgreSQL (a session SET around a no-transaction revision), one
// session SET on MySQL/MariaDB, SQLite's busy timeout; none with --table-lock-timeout 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/run-cli.js';
import { tempDirsForThisFile, writeRevision } from '../support/revision-folder.js';

const tempDir = tempDirsForThisFile('dataregistry-table-lock-sql-');

function folder(): string {
  const dir = tempDir();
  writeRevision(dir, { id: 'a00001', upgrade: 'ALTER TABLE held ADD COLUMN extra integer;' }, 1);
  writeRevision(
    dir,
    {
      id: 'a00002',
      parents: ['a00001'],
      noTransaction: true,
      upgrade: 'CREATE INDEX CONCURRENTLY held_extra ON held (extra);',
    },
    2,
  );
  return dir;
}

async function offlineSql(db: string, ...extra: string[]): Promise<string[]> {
  const result = await runCli([
    'upgrade',
    'base:head',
    '--sql',
    '--db',
    db,
    '--dir',
    folder(),
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split('\n');
}

/** The line after the first one equal to `line`. */
function after(lines: readonly string[], line: string): string | undefined {
  return lines[lines.indexOf(line) + 1];
}

test('PostgreSQL: SET LOCAL lock_timeout opens each transaction; a no-transaction revision sets and resets it around its statements', async () => {
  const lines = await offlineSql('postgresql://u@127.0.0.1/d');
  assert.equal(after(lines, 'BEGIN;'), "SET LOCAL lock_timeout = '1000ms';");
  const index = lines.indexOf('CREATE INDEX CONCURRENTLY held_extra ON held (extra);');
  assert.deepEqual(lines.slice(index - 1, index + 2), [
    "SET lock_timeout = '1000ms';",
    'CREATE INDEX CONCURRENTLY held_extra ON held (extra);',
    'RESET lock_timeout;',
  ]);
  const custom = await offlineSql('postgresql://u@127.0.0.1/d', '--table-lock-timeout', '2.5');
  assert.equal(after(custom, 'BEGIN;'), "SET LOCAL lock_timeout = '2500ms';");
});

test('MySQL/MariaDB: one session SET of lock_wait_timeout and innodb_lock_wait_timeout before everything, in whole seconds', async () => {
  const lines = await offlineSql('mysql://u@127.0.0.1/d', '--table-lock-timeout', '1.5');
  const sets = lines.filter((line) => line.startsWith('SET SESSION'));
  assert.deepEqual(sets, ['SET SESSION lock_wait_timeout = 2, innodb_lock_wait_timeout = 2;']);
  assert.ok(lines.indexOf(sets[0]!) < lines.findIndex((line) => line.startsWith('create table')));
});

test('SQLite: the busy timeout, once', async () => {
  const lines = await offlineSql('sqlite:/nonexistent/x.db');
  assert.deepEqual(
    lines.filter((line) => line.startsWith('PRAGMA')),
    ['PRAGMA busy_timeout = 1000;'],
  );
});

test('--table-lock-timeout 0 sets nothing, as before', async () => {
  for (const db of [
    'postgresql://u@127.0.0.1/d',
    'mysql://u@127.0.0.1/d',
    'sqlite:/nonexistent/x.db',
  ]) {
    const text = (await offlineSql(db, '--table-lock-timeout', '0')).join('\n');
    assert.doesNotMatch(text, /lock_timeout|lock_wait_timeout|busy_timeout/, db);
  }
});

test('a table-lock setting that is not a number of seconds is one line and exit 2', async () => {
  const result = await runCli([
    'upgrade',
    'base:head',
    '--sql',
    '--db',
    'sqlite:x.db',
    '--table-lock-timeout',
    'soon',
  ]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr.trim(),
    /^dataregistry: error: .*--table-lock-timeout.*give a number of seconds from 0 to 86400/,
  );
});
