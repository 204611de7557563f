// The marks of a revision not converted from Alembic on each database — `export const
// notConverted` in a JavaScript revision (what import-alembic writes), `-- migrate:not-converted`
// in an SQL file: upgrade, downgrade and --sql refuse a plan that would run a marked revision
// before running anything; a plan short of it runs; without the mark the revision runs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** What import-alembic writes for a revision it could not convert whole (render-js-revision.ts). */
function writeJsFolder(): { dir: string; marked: string } {
  const dir = tempDir();
  writeFileSync(
    join(dir, '2024_01_01_0000-a1_create_a.sql'),
    '-- create a\n--\n-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE a (id integer);\n\n-- migrate:downgrade\nDROP TABLE a;\n',
  );
  const marked = join(dir, '2024_01_02_0000-j2_backfill.mjs');
  writeFileSync(
    marked,
    [
      '// backfill',
      "export const revision = 'j2';",
      "export const revises = 'a1';",
      "export const message = 'backfill';",
      "export const notConverted = 'versions/j2.py line 21: reads rows (upgrade())';",
      'const upgradeStatements = { sqlite: [`CREATE TABLE j (id integer)`], postgresql: [`CREATE TABLE j (id integer)`], mysql: [`CREATE TABLE j (id integer)`] };',
      'export async function upgrade(db, { dialect, sql }) {',
      '  for (const statement of upgradeStatements[dialect] ?? []) await sql.raw(statement).execute(db);',
      '}',
      'export async function downgrade(db, { sql }) {',
      '  await sql.raw(`DROP TABLE j`).execute(db);',
      '}',
      '',
    ].join('\n'),
  );
  return { dir, marked };
}

const jsRefusal = (marked: string) => (error: unknown) =>
  isDataRegistryError(error) &&
  error.code === 'REVISION_NOT_CONVERTED' &&
  error.message.includes(`j2 (${marked}: versions/j2.py line 21: reads rows`) &&
  error.message.includes('`notConverted` export') &&
  error.message.includes('nothing was run');

forEachDialect('JavaScript revisions marked not converted', (ctx) => {
  test('upgrade and --sql refuse a marked JavaScript revision naming the file, line and why; without the mark it runs', async () => {
    const url = await ctx.freshDatabaseUrl();
    const handle = await openDatabase(url);
    try {
      const { dir, marked } = writeJsFolder();
      let project = await loadProject(dir);
      await assert.rejects(upgrade(handle, project, 'head'), jsRefusal(marked));
      await assert.rejects(
        renderMigrationSql(handle.dialect, project, 'upgrade', 'base:head', []),
        jsRefusal(marked),
      );
      assert.deepEqual(await listTables(url), [], 'nothing was run');

      // What a person does once the revision is finished: the mark goes.
      const finished = readFileSync(marked, 'utf8').replace(/^export const notConverted.*\n/m, '');
      writeFileSync(marked.replace(/\.mjs$/, '-finished.mjs'), finished);
      rmSync(marked);
      project = await loadProject(dir);
      const script = await renderMigrationSql(handle.dialect, project, 'upgrade', 'base:head', []);
      assert.match(script, /CREATE TABLE j \(id integer\)/);
      await upgrade(handle, project, 'head');
      assert.ok((await listTables(url)).includes('j'), 'the statement of the dialect ran');
      await downgrade(handle, project, 'a1');
      assert.ok(!(await listTables(url)).includes('j'));
    } finally {
      await handle.close();
    }
  });
});
