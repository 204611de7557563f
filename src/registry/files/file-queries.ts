// The Kysely queries of files. No decisions here: the service checks input, picks keys and
// translates errors.

import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import type { FilesTable, RegistryDatabase } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import type { FileOwner, FileOwnerRef, StoredFile } from './stored-file.js';

type Db = Kysely<RegistryDatabase>;

// Explicit columns: on MySQL the table also has the generated columns `live_name`, `dataset_key`.
const fileColumns = [
  'files.id',
  'files.record_id',
  'files.dataset_id',
  'files.name',
  'files.size',
  'files.sha256',
  'files.content_type',
  'files.storage_key',
  'files.created_at',
] as const;

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
function ofOwner(owner: Pick<FileOwner, 'recordId' | 'datasetId'>) {
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
    .select(fileColumns)
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
    .select(fileColumns)
    .where(ofOwner(owner))
    .where('files.deleted_at', 'is', null);
  if (afterId !== undefined) query = query.where('files.id', '>', idParameter(afterId));
  const rows = await query.orderBy('files.id').limit(limit).execute();
  return rows.map((row) => ({ ...toStoredFile(row), id: idFromRow(row.id) }));
}

export interface NewFileRow {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly storageKey: string;
  readonly now: string;
}

/**
 * Inside a transaction: marks the owner's live file of that name deleted (if any) and inserts the
 * new version. Resolves to the replaced version's storage key. A concurrent replacement makes the
 * insert fail with a unique violation; the caller retries.
 */
export async function replaceLiveFile(
  trx: Transaction<RegistryDatabase>,
  owner: FileOwner,
  row: NewFileRow,
): Promise<string | undefined> {
  await lockOwner(trx, owner);
  const previous = await trx
    .selectFrom('files')
    .select(['files.id', 'files.storage_key'])
    .where(ofOwner(owner))
    .where('files.name', '=', row.name)
    .where('files.deleted_at', 'is', null)
    .executeTakeFirst();
  if (previous !== undefined) {
    await trx
      .updateTable('files')
      .set({ deleted_at: row.now })
      .where('id', '=', previous.id)
      .where('deleted_at', 'is', null)
      .execute();
  }
  await trx
    .insertInto('files')
    .values({
      record_id: idParameter(owner.recordId),
      dataset_id: owner.datasetId === null ? null : idParameter(owner.datasetId),
      name: row.name,
      size: row.size,
      sha256: row.sha256,
      content_type: row.contentType,
      storage_key: row.storageKey,
      created_at: row.now,
      deleted_at: null,
    })
    .execute();
  return previous?.storage_key;
}

/**
 * Serialises the owner's file changes until the transaction ends, by updating its row to itself:
 * a row lock on PostgreSQL and MySQL (where `FOR UPDATE` would do too, but SQLite has no such
 * clause; there the write lock is the whole database's). Without it, concurrent replacements of
 * one name each read the live version before the others commit, and all but one fail on the
 * live-name index, round after round. The statements after it read what the others committed:
 * PostgreSQL takes a snapshot per statement, and MySQL's first plain read comes after the lock.
 */
async function lockOwner(trx: Transaction<RegistryDatabase>, owner: FileOwner): Promise<void> {
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

/** Marks the owner's live file of that name deleted; resolves to its storage key, if there was one. */
export async function markFileDeleted(
  db: Db,
  owner: FileOwner,
  name: string,
  now: string,
): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    await lockOwner(trx, owner);
    const live = await trx
      .selectFrom('files')
      .select(['files.id', 'files.storage_key'])
      .where(ofOwner(owner))
      .where('files.name', '=', name)
      .where('files.deleted_at', 'is', null)
      .executeTakeFirst();
    if (live === undefined) return undefined;
    const result = await trx
      .updateTable('files')
      .set({ deleted_at: now })
      .where('id', '=', live.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? live.storage_key : undefined;
  });
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
>;

function toStoredFile(row: FileSelection): StoredFile {
  return {
    recordId: idFromRow(row.record_id),
    datasetId: row.dataset_id === null ? null : idFromRow(row.dataset_id),
    name: row.name,
    size: Number(row.size),
    sha256: row.sha256,
    contentType: row.content_type,
    storageKey: row.storage_key,
    createdAt: row.created_at,
  };
}
