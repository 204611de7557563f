// Drift on each database: the registry's own revisions applied, then a hand-made ALTER TABLE;
// check --drift compares the database with what its heads build on a scratch database.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/db/connect.js';
import type { DatabaseHandle } from '../../../src/db/database-handle.js';
import { checkDrift } from '../../../src/migrate/check/index.js';
import { loadProject, upgrade } from '../../../src/migrate/index.js';
import { forEachDialect } from '../../support/for-each-dialect.js';
import { versionsDir } from '../../support/registry-server.js';

forEachDialect('check --drift', (ctx) => {
  let url: string;
  let handle: DatabaseHandle;
  before(async () => {
    url = await ctx.freshDatabaseUrl();
    handle = await openDatabase(url);
    await upgrade(handle, await loadProject(versionsDir), 'head');
  });
  after(() => handle.close());

  test('finds no drift in a database its revisions built', async () => {
    const report = await checkDrift({ folder: versionsDir, databaseUrl: url });
    assert.equal(report.hasDrift, false, JSON.stringify(report.difference));
    assert.equal(report.heads.length, 1);
  });

  test('finds the column and index a hand-made ALTER TABLE added, and a dropped one', async () => {
    await sql.raw('ALTER TABLE records ADD COLUMN hand_made integer').execute(handle.db);
    await sql.raw('CREATE INDEX records_hand_made ON records (hand_made)').execute(handle.db);
    await sql.raw('DROP TABLE upload_sessions').execute(handle.db);
    const report = await checkDrift({ folder: versionsDir, databaseUrl: url });
    assert.equal(report.hasDrift, true);
    const { missing, extra } = report.difference;
    assert.deepEqual(
      extra.map((o) => o.object),
      ['column records.hand_made', 'index records.records_hand_made'],
    );
    assert.match(extra[0]!.definition, /^int/i);
    assert.deepEqual(
      missing.map((o) => o.object),
      ['table upload_sessions'],
    );
  });
});
