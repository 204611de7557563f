// The record queries that run from compiled templates send, on every dialect, exactly the SQL and
// parameters the query builder makes for the same call (the builders below are the reference).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompiledQuery, Kysely } from 'kysely';
import { dialectAdapterFor } from '../../../src/db/connect.js';
import { dialectNames } from '../../../src/db/dialect-name.js';
import { createRecordingDatabase } from '../../../src/db/recording-database.js';
import type { RegistryDatabase } from '../../../src/registry/database.js';
import {
  insertRecord,
  selectRecord,
  selectRecordByStorageId,
  selectRecords,
} from '../../../src/registry/records/record-queries.js';

type Db = Kysely<RegistryDatabase>;

const columns = [
  'id',
  'name',
  'description',
  'metadata',
  'storage_id',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;

function reference(db: Db) {
  const list = (
    afterId: number | string | undefined,
    includeDeleted: boolean,
    limit: number,
    order: 'oldest' | 'newest' = 'oldest',
  ) => {
    let query = db.selectFrom('records').select(columns);
    if (afterId !== undefined) query = query.where('id', order === 'newest' ? '<' : '>', afterId);
    if (!includeDeleted) query = query.where('deleted_at', 'is', null);
    const ordered = order === 'newest' ? query.orderBy('id', 'desc') : query.orderBy('id');
    return ordered.limit(limit).compile();
  };
  const one = (id: number | string, includeDeleted: boolean) => {
    let query = db.selectFrom('records').select(columns).where('id', '=', id);
    if (!includeDeleted) query = query.where('deleted_at', 'is', null);
    return query.compile();
  };
  return { list, one };
}

const sqlAndParameters = (queries: readonly CompiledQuery[]) =>
  queries.map(({ sql, parameters }) => ({ sql, parameters }));

test('sends the SQL and parameters the builder makes, on every dialect', async () => {
  for (const dialect of dialectNames) {
    const recording = createRecordingDatabase(dialectAdapterFor(dialect));
    const db = recording.db as Db;
    const expected = reference(db);
    const row = {
      name: 'n',
      description: null,
      metadata: '{"a":1}',
      storageId: 's-1',
      now: '2026-11-25T09:30:00.123Z',
    };
    await insertRecord(db, row);
    await selectRecordByStorageId(db, 's-1');
    await selectRecord(db, '42', { includeDeleted: false });
    await selectRecord(db, '9223372036854775807', { includeDeleted: true });
    const list = { search: undefined, order: 'oldest' } as const;
    await selectRecords(db, { ...list, afterId: undefined, limit: 101, includeDeleted: false });
    await selectRecords(db, { ...list, afterId: '7', limit: 11, includeDeleted: false });
    await selectRecords(db, { ...list, afterId: undefined, limit: 3, includeDeleted: true });
    await selectRecords(db, { ...list, afterId: '8', limit: 2, includeDeleted: true });
    const newest = { search: undefined, order: 'newest' } as const;
    await selectRecords(db, { ...newest, afterId: undefined, limit: 101, includeDeleted: false });
    await selectRecords(db, { ...newest, afterId: '7', limit: 11, includeDeleted: false });
    await selectRecords(db, { ...newest, afterId: '8', limit: 2, includeDeleted: true });
    const sent = recording.take();
    assert.deepEqual(
      sqlAndParameters(sent),
      sqlAndParameters([
        db
          .insertInto('records')
          .values({
            name: 'n',
            description: null,
            metadata: '{"a":1}',
            storage_id: 's-1',
            created_at: row.now,
            updated_at: row.now,
            deleted_at: null,
          })
          .compile(),
        db.selectFrom('records').select(columns).where('storage_id', '=', 's-1').compile(),
        expected.one(42, false),
        expected.one('9223372036854775807', true),
        expected.list(undefined, false, 101),
        expected.list(7, false, 11),
        expected.list(undefined, true, 3),
        expected.list(8, true, 2),
        expected.list(undefined, false, 101, 'newest'),
        expected.list(7, false, 11, 'newest'),
        expected.list(8, true, 2, 'newest'),
      ]),
      dialect,
    );
  }
});
