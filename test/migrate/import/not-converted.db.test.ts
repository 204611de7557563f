// The `-- migrate:not-converted` mark on each database: upgrade, downgrade and --sql refuse a
// plan that would run a marked revision before running anything; a plan short of it runs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../src/db/connect.js';
import type { DatabaseHandle } from '../../../src/db/database-handle.js';
import {
  downgrade,
  isDataRegistryError,
  loadProject,
  renderMigrationSql,
  stamp,
  upgrade,
  type Project,
} from '../../../src/migrate/index.js';
import { forEachDialect } from '../../support/for-each-dialect.js';
import { listTables } from '../../support/inspect-database.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';

const tempDir = tempDirsForThisFile('dr-not-converted-');

function writeFolder(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, '2024_01_01_0000-a1_create_a.sql'),
    '-- create a\n--\n-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE a (id integer);\n\n-- migrate:downgrade\nDROP TABLE a;\n',
  );
  writeFileSync(
    join(dir, '2024_01_02_0000-b2_backfill.sql'),
    [
      '-- backfill',
      '--',
      '-- Revision ID: b2',
      '-- Revises: a1',
      '-- migrate:not-converted versions/b2.py line 19: reads rows (upgrade())',
      '',
      '-- migrate:upgrade',
      'CREATE TABLE b (id integer);',
      '',
      '-- migrate:downgrade',
      'DROP TABLE b;',
      '',
    ].join('\n'),
  );
  return dir;
}

const refusal = (error: unknown) =>
  isDataRegistryError(error) &&
  error.code === 'REVISION_NOT_CONVERTED' &&
  error.message.includes('b2') &&
  error.message.includes('reads rows') &&
  error.message.includes('nothing was run');

forEachDialect('revisions marked not converted', (ctx) => {
  let url: string;
  let handle: DatabaseHandle;
  let project: Project;
  before(async () => {
    url = await ctx.freshDatabaseUrl();
    handle = await openDatabase(url);
    project = await loadProject(writeFolder());
  });
  after(() => handle.close());

  test('upgrade head refuses before running anything, naming the file and its reason', async () => {
    await assert.rejects(upgrade(handle, project, 'head'), refusal);
    assert.deepEqual(await listTables(url), [], 'not even the version table was created');
  });

  test('upgrade to the revision before it runs, and --sql through it refuses', async () => {
    const result = await upgrade(handle, project, 'a1');
    assert.deepEqual(result.headsAfter, ['a1']);
    await assert.rejects(
      renderMigrationSql(handle.dialect, project, 'upgrade', 'a1:head', []),
      refusal,
    );
    assert.ok(!(await listTables(url)).includes('b'));
  });

  test('downgrade through a stamped marked revision refuses too', async () => {
    await stamp(handle, project, 'b2');
    await assert.rejects(downgrade(handle, project, 'base'), refusal);
    assert.ok((await listTables(url)).includes('a'), 'a1 was not reverted');
  });
});
