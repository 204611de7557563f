// Commands that only read never create a database: a missing SQLite file (or folder) is one line
// and exit 1. SQLite only: no database server needed.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, removeDir, writeTableChain } from '../support/revision-folder.js';

const tempDirs: string[] = [];
after(() => tempDirs.splice(0).forEach(removeDir));

function tempDir(): string {
  const dir = makeTempDir();
  tempDirs.push(dir);
  return dir;
}

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
