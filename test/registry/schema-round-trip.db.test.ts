import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/db/connect.js';
import type { DatabaseHandle } from '../../src/db/database-handle.js';
import { downgrade, loadProject, upgrade, type Project } from '../../src/migrate/index.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { versionsDir } from '../support/registry-server.js';
import { snapshotSchema, type SchemaSnapshot } from '../../src/migrate/check/index.js';

/** The registry's tables, leaving out the engine's own (version, history and lock tables). */
const isRegistryTable = (table: string) => !table.startsWith('dataregistry_');

forEachDialect('the registry schema', (ctx) => {
  let handle: DatabaseHandle;
  let project: Project;
  before(async () => {
    project = await loadProject(versionsDir);
    handle = await openDatabase(await ctx.freshDatabaseUrl());
  });
  after(() => handle.close());

  test('has one chain of revisions with one head', () => {
    assert.equal(project.graph.heads().length, 1);
    assert.deepEqual(
      project.graph.all().map((revision) => revision.message),
      [
        'create records table',
        'create datasets table',
        'create api keys table',
        'create files table',
        'create upload sessions table',
        'add file versions',
        'index files by name and version',
      ],
    );
  });

  test('reverts each revision exactly, and round-trips upgrade head → downgrade base → upgrade head', async () => {
    const snapshots: SchemaSnapshot[] = [await snapshotSchema(handle, isRegistryTable)];
    assert.deepEqual(snapshots[0]!.tables, []);
    const count = project.graph.all().length;
    for (let step = 1; step <= count; step++) {
      await upgrade(handle, project, '+1');
      snapshots.push(await snapshotSchema(handle, isRegistryTable));
      assert.notDeepEqual(
        snapshots[step],
        snapshots[step - 1],
        `revision ${step} changes the schema`,
      );
    }
    for (let step = count; step >= 1; step--) {
      await downgrade(handle, project, '-1');
      assert.deepEqual(
        await snapshotSchema(handle, isRegistryTable),
        snapshots[step - 1],
        `downgrading revision ${step} restores the schema before it`,
      );
    }
    const base = await snapshotSchema(handle);
    await upgrade(handle, project, 'head');
    const head = await snapshotSchema(handle);
    assert.deepEqual(head.tables.map((t) => t.name).filter(isRegistryTable), [
      'api_keys',
      'datasets',
      'files',
      'records',
      'upload_sessions',
    ]);
    await downgrade(handle, project, 'base');
    assert.deepEqual(
      await snapshotSchema(handle),
      base,
      'downgrade base leaves what was there before',
    );
    await upgrade(handle, project, 'head');
    assert.deepEqual(
      await snapshotSchema(handle),
      head,
      'upgrade head again builds the same schema',
    );
  });

  test('enforces live-name uniqueness in the database itself, per record for datasets', async () => {
    const db = handle.db;
    const row = (name: string, storageId: string, deletedAt: string | null) => ({
      name,
      description: null,
      metadata: '{}',
      storage_id: storageId,
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: '2026-11-25T10:00:00.000Z',
      deleted_at: deletedAt,
    });
    await db
      .insertInto('records')
      .values(row('dup', 's1', null))
      .execute();
    await db
      .insertInto('records')
      .values(row('dup', 's2', '2026-11-25T10:00:01.000Z'))
      .execute();
    await db
      .insertInto('records')
      .values(row('dup', 's3', '2026-11-25T10:00:02.000Z'))
      .execute();
    await assert.rejects(
      db
        .insertInto('records')
        .values(row('dup', 's4', null))
        .execute(),
      (error) => handle.dialect.classifyError(error) === 'unique-violation',
    );
    await assert.rejects(
      db
        .insertInto('records')
        .values(row('other', 's1', null))
        .execute(),
      (error) => handle.dialect.classifyError(error) === 'unique-violation',
      'storage ids are unique',
    );
    const ids = (await db.selectFrom('records').select('id').orderBy('id').execute()).map(
      (r) => r.id as string | number,
    );
    const dataset = (recordId: string | number, name: string, deletedAt: string | null) => ({
      record_id: recordId,
      name,
      description: null,
      data_type: 'csv',
      metadata: '{}',
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: '2026-11-25T10:00:00.000Z',
      deleted_at: deletedAt,
    });
    await db
      .insertInto('datasets')
      .values(dataset(ids[0]!, 'd', null))
      .execute();
    await db
      .insertInto('datasets')
      .values(dataset(ids[1]!, 'd', null))
      .execute();
    await db
      .insertInto('datasets')
      .values(dataset(ids[0]!, 'd', '2026-11-25T10:00:03.000Z'))
      .execute();
    await assert.rejects(
      db
        .insertInto('datasets')
        .values(dataset(ids[0]!, 'd', null))
        .execute(),
      (error) => handle.dialect.classifyError(error) === 'unique-violation',
    );
    await assert.rejects(
      db
        .insertInto('datasets')
        .values(dataset(987654, 'orphan', null))
        .execute(),
      (error) => handle.dialect.classifyError(error) === 'foreign-key-violation',
    );
  });

  test('creates api_keys with unique names and token hashes and only the three scopes', async () => {
    const db = handle.db;
    const key = (name: string, hash: string, scope = 'read') => ({
      name,
      scope,
      token_hash: hash.padEnd(64, '0'),
      created_at: '2026-11-25T10:00:00.000Z',
      last_used_at: null,
      revoked_at: null,
    });
    await db.insertInto('api_keys').values(key('ci', 'a')).execute();
    for (const [duplicate, why] of [
      [key('ci', 'b'), 'names are unique'],
      [key('ci2', 'a'), 'token hashes are unique'],
    ] as const) {
      await assert.rejects(
        db.insertInto('api_keys').values(duplicate).execute(),
        (error) => handle.dialect.classifyError(error) === 'unique-violation',
        why,
      );
    }
    await assert.rejects(
      db
        .insertInto('api_keys')
        .values(key('bad', 'c', 'root'))
        .execute(),
    );
  });
});
