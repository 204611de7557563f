// The Kysely queries that read files, and the owner's lock. No decisions here: the service checks
// input, picks keys and translates errors. The writes of versions are in file-version-queries.ts.

import {
  sql,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type Transaction,
} from 'kysely';
import type { FilesTable, RegistryDatabase } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import type { FileOwner, FileOwnerRef, StoredFile } from './stored-file.js';

type Db = Kysely<RegistryDatabase>;

// Explicit columns: on MySQL the table also has the generated columns `live_name`, `dataset_key`.
export const fileColumns = [
  'files.id',
  'files.record_id',
  'files.dataset_id',
  'files.name',
  'files.size',
  'files.sha256',
  'files.content_type',
  'files.storage_key',
  'files.created_at',
  'files.created_by',
] as const;

/**
 * The row's version: its own, or for a live row an older server wrote (without a version) the
 * one after the highest numbered version of its name, which is what a newer server writes into
 * it when it next changes the name. An index range (files_name_version_idx) per such row.
 */
export const resolvedVersion = sql<number | string>`coalesce(files.version, (
    select max(numbered.version) + 1 from files numbered
    where numbered.record_id = files.record_id and numbered.name = files.name
      and (numbered.dataset_id = files.dataset_id
        or (numbered.dataset_id is null and files.dataset_id is null))
  ), 1)`.as('resolved_version');

/** The owner when it is live: a live record, or a live dataset of a live record. */
export async function selectLiveOwner(db: Db, ref: FileOwnerRef): Promise<FileOwner | undefined> {
  if (ref.kind === 'record') {
    const row = await db
      .selectFrom('records')
      .select(['id', 'storage_id'])
      .where('id', '=', idParameter(ref.id))
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && { recordId: idFromRow(row.id), datasetId: null, storageId: row.storage_id };
  }
  const row = await db
    .selectFrom('datasets')
    .innerJoin('records', 'records.id', 'datasets.record_id')
    .select(['datasets.id', 'datasets.record_id', 'records.storage_id'])
    .where('datasets.id', '=', idParameter(ref.id))
    .where('datasets.deleted_at', 'is', null)
    .where('records.deleted_at', 'is', null)
    .executeTakeFirst();
  return (
    row && {
      recordId: idFromRow(row.record_id),
      datasetId: idFromRow(row.id),
      storageId: row.storage_id,
    }
  );
}

/** Rows of the owner's files (live or not; the caller adds `deleted_at`). */
export function ofOwner(owner: Pick<FileOwner, 'recordId' | 'datasetId'>) {
  return (eb: ExpressionBuilder<RegistryDatabase, 'files'>) =>
    owner.datasetId === null
      ? eb.and([
          eb('files.record_id', '=', idParameter(owner.recordId)),
          eb('files.dataset_id', 'is', null),
        ])
      : eb('files.dataset_id', '=', idParameter(owner.datasetId));
}

export async function selectLiveFile(
  db: Db,
  owner: FileOwner,
  name: string,
): Promise<StoredFile | undefined> {
  const row = await db
    .selectFrom('files')
    .select([...fileColumns, resolvedVersion])
    .where(ofOwner(owner))
    .where('files.name', '=', name)
    .where('files.deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toStoredFile(row);
}

/** The owner's live files in id (upload) order, with their ids for the cursor. */
export async function selectLiveFiles(
  db: Db,
  owner: FileOwner,
  afterId: string | undefined,
  limit: number,
): Promise<(StoredFile & { readonly id: string })[]> {
  let query = db
    .selectFrom('files')
    .select([...fileColumns, resolvedVersion])
    .where(ofOwner(owner))
    .where('files.deleted_at', 'is', null);
  if (afterId !== undefined) query = query.where('files.id', '>', idParameter(afterId));
  const rows = await query.orderBy('files.id').limit(limit).execute();
  return rows.map((row) => ({ ...toStoredFile(row), id: idFromRow(row.id) }));
}

/**
 * The owner's deleted files that `restore` can bring back, in id order: per name with no live
 * version, its most recently deleted version (the one restore picks), with when it was deleted.
 */
export async function selectDeletedFiles(
  db: Db,
  owner: FileOwner,
  afterId: string | undefined,
  limit: number,
): Promise<(StoredFile & { readonly id: string; readonly deletedAt: string })[]> {
  const sameFile =
    (alias: 'live' | 'later') => (eb: ExpressionBuilder<FilesPair, 'files' | typeof alias>) =>
      eb.and([
        eb(`${alias}.name`, '=', eb.ref('files.name')),
        eb(`${alias}.record_id`, '=', eb.ref('files.record_id')),
        owner.datasetId === null
          ? eb(`${alias}.dataset_id`, 'is', null)
          : eb(`${alias}.dataset_id`, '=', eb.ref('files.dataset_id')),
      ]);
  let query = db
    .selectFrom('files')
    .select([...fileColumns, resolvedVersion, 'files.deleted_at'])
    .where(ofOwner(owner))
    .where('files.deleted_at', 'is not', null)
    .where('files.superseded_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('files as live')
            .select('live.id')
            .where(sameFile('live'))
            .where('live.deleted_at', 'is', null),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('files as later')
            .select('later.id')
            .where(sameFile('later'))
            .where('later.deleted_at', 'is not', null)
            .where('later.superseded_at', 'is', null)
            .where((later) =>
              later.or([
                later('later.deleted_at', '>', later.ref('files.deleted_at')),
                later.and([
                  later('later.deleted_at', '=', later.ref('files.deleted_at')),
                  later('later.id', '>', later.ref('files.id')),
                ]),
              ]),
            ),
        ),
      ),
    );
  if (afterId !== undefined) query = query.where('files.id', '>', idParameter(afterId));
  const rows = await query.orderBy('files.id').limit(limit).execute();
  return rows.map((row) => ({
    ...toStoredFile(row),
    id: idFromRow(row.id),
    deletedAt: row.deleted_at ?? '',
  }));
}

/** The files table beside itself, as the subqueries above name it. */
type FilesPair = RegistryDatabase & { live: FilesTable; later: FilesTable };

/**
 * Serialises the owner's file changes until the transaction ends, by updating its row to itself:
 * a row lock on PostgreSQL and MySQL (where `FOR UPDATE` would do too, but SQLite has no such
 * clause; there the write lock is the whole database's). Without it, concurrent writes of one
 * name each read the live version before the others commit, and all but one fail on the
 * live-name index, round after round; and two could number their versions alike. The statements
 * after it read what the others committed: PostgreSQL takes a snapshot per statement, and MySQL's
 * first plain read comes after the lock.
 */
export async function lockOwner(
  trx: Transaction<RegistryDatabase>,
  owner: Pick<FileOwner, 'recordId' | 'datasetId'>,
): Promise<void> {
  if (owner.datasetId === null) {
    await trx
      .updateTable('records')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', idParameter(owner.recordId))
      .execute();
    return;
  }
  await trx
    .updateTable('datasets')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', idParameter(owner.datasetId))
    .execute();
}

type FileSelection = Pick<
  Selectable<FilesTable>,
  | 'id'
  | 'record_id'
  | 'dataset_id'
  | 'name'
  | 'size'
  | 'sha256'
  | 'content_type'
  | 'storage_key'
  | 'created_at'
  | 'created_by'
> & { readonly resolved_version: number | string };

export function toStoredFile(row: FileSelection): StoredFile {
  return {
    recordId: idFromRow(row.record_id),
    datasetId: row.dataset_id === null ? null : idFromRow(row.dataset_id),
    name: row.name,
    version: Number(row.resolved_version),
    size: Number(row.size),
    sha256: row.sha256,
    contentType: row.content_type,
    storageKey: row.storage_key,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
