// The Kysely queries of `purge`: what has been deleted long enough, and forgetting it for good.

import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { RegistryDatabase } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';

type Db = Kysely<RegistryDatabase>;

export interface DeletedOwner {
  readonly recordId: string;
  /** Null for a deleted record (all its files), else a deleted dataset of a live record. */
  readonly datasetId: string | null;
  readonly storageId: string;
  readonly deletedAt: string;
}

/** Records deleted before `before` (ISO-8601), oldest id first. */
export async function selectRecordsDeletedBefore(db: Db, before: string): Promise<DeletedOwner[]> {
  const rows = await db
    .selectFrom('records')
    .select(['id', 'storage_id', 'deleted_at'])
    .where('deleted_at', 'is not', null)
    .where('deleted_at', '<', before)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    recordId: idFromRow(row.id),
    datasetId: null,
    storageId: row.storage_id,
    deletedAt: row.deleted_at ?? '',
  }));
}

/** Datasets deleted before `before` whose record is live (a deleted record's are covered). */
export async function selectDatasetsDeletedBefore(db: Db, before: string): Promise<DeletedOwner[]> {
  const rows = await db
    .selectFrom('datasets')
    .innerJoin('records', 'records.id', 'datasets.record_id')
    .select(['datasets.id', 'datasets.record_id', 'records.storage_id', 'datasets.deleted_at'])
    .where('datasets.deleted_at', 'is not', null)
    .where('datasets.deleted_at', '<', before)
    .where('records.deleted_at', 'is', null)
    .orderBy('datasets.id')
    .execute();
  return rows.map((row) => ({
    recordId: idFromRow(row.record_id),
    datasetId: idFromRow(row.id),
    storageId: row.storage_id,
    deletedAt: row.deleted_at ?? '',
  }));
}

/** A file row purge removes, and the key of its object. */
export interface PurgedFileRow {
  readonly id: string;
  readonly storageKey: string;
}

/** Where a page of rows starts (after `afterId`, by id) and how many it holds at most. */
export interface RowPage {
  readonly afterId: string | undefined;
  readonly limit: number;
}

/** One page of the owner's file rows, live or not (a dataset owner's only, a record's all). */
export async function selectFileRowsOf(
  db: Db,
  owner: DeletedOwner,
  page: RowPage,
): Promise<PurgedFileRow[]> {
  let query = db
    .selectFrom('files')
    .select(['id', 'storage_key'])
    .where('record_id', '=', idParameter(owner.recordId));
  if (owner.datasetId !== null)
    query = query.where('dataset_id', '=', idParameter(owner.datasetId));
  return toPurgedRows(await afterPage(query, page).execute());
}

/**
 * One page of the file versions deleted or superseded before `before`. With `keepVersions`, a
 * superseded version among the `keepVersions` newest listed versions of a live file is left out.
 */
export async function selectFileVersionsDeletedBefore(
  db: Db,
  before: string,
  keepVersions: number | undefined,
  page: RowPage,
): Promise<PurgedFileRow[]> {
  let query = db
    .selectFrom('files')
    .select(['id', 'storage_key'])
    .where('deleted_at', 'is not', null)
    .where('deleted_at', '<', before);
  if (keepVersions !== undefined) query = query.where(isNotAmongNewest(keepVersions));
  return toPurgedRows(await afterPage(query, page).execute());
}

/** Forgets these file rows for good; none for an empty list. */
export async function deleteFileRows(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return; // `in ()` is not SQL
  await db.deleteFrom('files').where('id', 'in', ids.map(idParameter)).execute();
}

function afterPage<Q extends SelectQueryBuilder<RegistryDatabase, 'files', { id: unknown }>>(
  query: Q,
  page: RowPage,
): Q {
  const after =
    page.afterId === undefined ? query : query.where('id', '>', idParameter(page.afterId));
  return after.orderBy('id').limit(page.limit) as Q;
}

function toPurgedRows(
  rows: readonly { id: string | number; storage_key: string }[],
): PurgedFileRow[] {
  return rows.map((row) => ({ id: idFromRow(row.id), storageKey: row.storage_key }));
}

/** Whether a file row (live or not) has this storage key. */
export async function isStorageKeyUsed(db: Db, storageKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('files')
    .select('id')
    .where('storage_key', '=', storageKey)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Those of `storageKeys` that a file row (live or not) has, but for the rows `exceptIds`; none
 * for an empty list.
 */
export async function selectFileStorageKeysAmong(
  db: Db,
  storageKeys: readonly string[],
  exceptIds: readonly string[] = [],
): Promise<string[]> {
  if (storageKeys.length === 0) return []; // `in ()` is not SQL
  let query = db.selectFrom('files').select('storage_key').where('storage_key', 'in', storageKeys);
  if (exceptIds.length > 0) query = query.where('id', 'not in', exceptIds.map(idParameter));
  const rows = await query.execute();
  return rows.map((row) => row.storage_key);
}

/** Those of `storageIds` that a record (live or deleted) has; none for an empty list. */
export async function selectRecordStorageIdsAmong(
  db: Db,
  storageIds: readonly string[],
): Promise<string[]> {
  if (storageIds.length === 0) return []; // `in ()` is not SQL
  const rows = await db
    .selectFrom('records')
    .select('storage_id')
    .where('storage_id', 'in', storageIds)
    .execute();
  return rows.map((row) => row.storage_id);
}

/**
 * Not a kept version with fewer than `keep` - 1 newer listed versions (the live one and kept ones)
 * while its file is live. A live row without a version (an older server's) is the newest.
 */
function isNotAmongNewest(keep: number) {
  const sameName = (alias: string) =>
    sql.raw(`${alias}.record_id = files.record_id and ${alias}.name = files.name
      and (${alias}.dataset_id = files.dataset_id
        or (${alias}.dataset_id is null and files.dataset_id is null))`);
  return sql<boolean>`not (files.superseded_at is not null
    and exists (select 1 from files live where ${sameName('live')} and live.deleted_at is null)
    and (select count(*) from files newer where ${sameName('newer')}
      and (newer.deleted_at is null or newer.superseded_at is not null)
      and coalesce(newer.version, 2147483647) > files.version) < ${keep})`;
}
