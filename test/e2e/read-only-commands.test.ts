// Commands that only read never create a database: a missing SQLite file (or folder) is one line
// and exit 1, and `--sql` renders from base for a missing file, and leaves an existing one as it
// was. SQLite only: no database server needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/run-cli.js';
import { tempDirsForThisFile, writeTableChain } from '../support/revision-folder.js';

const tempDir = tempDirsForThisFile();

/** A versions folder of two revisions. */
function versionsFolder(): string {
  const dir = tempDir();
  writeTableChain(dir, ['a00001', 'a00002']);
  return dir;
}

const needsExistingDatabase: [string, (db: string) => string[]][] = [
  ['current', (db) => ['current', '--dir', versionsFolder(), '--db', db]],
  ['history -i', (db) => ['history', '-i', '--dir', versionsFolder(), '--db', db]],
  ['keys list', (db) => ['keys', 'list', '--db', db]],
  ['keys create', (db) => ['keys', 'create', '--name', 'ci', '--scope', 'read', '--db', db]],
  ['keys revoke', (db) => ['keys', 'revoke', 'ci', '--db', db]],
  ['purge --dry-run', (db) => ['purge', '--older-than', '1d', '--dry-run', '--db', db]],
  ['purge', (db) => ['purge', '--older-than', '1d', '--db', db]],
];

for (const [name, argsFor] of needsExistingDatabase) {
  test(`${name} on a missing SQLite file says so in one line, exits 1 and creates nothing`, async () => {
    const folder = tempDir();
    for (const path of [join(folder, 'x.db'), join(folder, 'missing', 'x.db')]) {
      const result = await runCli(argsFor(`sqlite:${path}`), { cwd: folder });
      assert.equal(result.code, 1, result.stderr);
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(
        lines[0]!,
        /^dataregistry: error: No SQLite database .*x\.db( \(nor its folder .*missing\))?: this command does not create one; `dataregistry upgrade` would\./,
      );
      assert.equal(lines[0]!.includes('nor its folder'), path.includes('missing'));
      assert.deepEqual(readdirSync(folder), [], 'nothing was created');
    }
  });
}

const needsRegistryTables = needsExistingDatabase.filter(([name]) => /^(keys|purge)/.test(name));

for (const [name, argsFor] of needsRegistryTables) {
  test(`${name} on a SQLite file without the registry tables says to run upgrade head, exit 1`, async () => {
    const folder = tempDir();
    const path = join(folder, 'empty.db');
    new Database(path).close();
    const result = await runCli(argsFor(`sqlite:${path}`), { cwd: folder });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      'dataregistry: error: The database has no registry tables; run `dataregistry upgrade head` on it first.\n',
    );
  });
}

test('upgrade --sql on a missing SQLite file renders from base, says so on stderr, creates nothing', async () => {
  const folder = tempDir();
  const dir = versionsFolder();
  const result = await runCli(['upgrade', 'head', '--sql', '--dir', dir, '--db', 'sqlite:new.db'], {
    cwd: folder,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(
    result.stderr,
    'No SQLite database new.db yet: the SQL starts from base (--sql creates nothing).\n',
  );
  assert.match(result.stdout, /^-- dataregistry upgrade head \(offline SQL for sqlite\)/);
  assert.match(result.stdout, /Running upgrade {2}-> a00001/);
  assert.match(result.stdout, /Running upgrade a00001 -> a00002/);
  assert.deepEqual(readdirSync(folder), [], 'nothing was created');
});

test('upgrade --sql and current leave an existing SQLite file byte for byte, even outside WAL mode', async () => {
  const folder = tempDir();
  const path = join(folder, 'plain.db');
  const plain = new Database(path); // journal_mode `delete`, as other tools leave a file
  plain.exec('create table unrelated (x integer)');
  plain.close();
  const before = readFileSync(path);
  const dir = versionsFolder();
  const offline = await runCli([
    'upgrade',
    'head',
    '--sql',
    '--dir',
    dir,
    '--db',
    `sqlite:${path}`,
  ]);
  assert.equal(offline.code, 0, offline.stderr);
  assert.equal(offline.stderr, '');
  assert.match(offline.stdout, /Running upgrade {2}-> a00001/);
  const current = await runCli(['current', '--dir', dir, '--db', `sqlite:${path}`]);
  assert.equal(current.code, 0, current.stderr);
  assert.match(current.stderr, /No revision applied \(base\)/);
  assert.deepEqual(readFileSync(path), before);
});

test('upgrade --sql on an upgraded SQLite file starts from its current revision', async () => {
  const folder = tempDir();
  const dir = versionsFolder();
  const db = `sqlite:${join(folder, 'x.db')}`;
  const first = await runCli(['upgrade', 'a00001', '--dir', dir, '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  const offline = await runCli(['upgrade', 'head', '--sql', '--dir', dir, '--db', db]);
  assert.equal(offline.code, 0, offline.stderr);
  assert.doesNotMatch(offline.stdout, /-> a00001/);
  assert.match(offline.stdout, /Running upgrade a00001 -> a00002/);
});
