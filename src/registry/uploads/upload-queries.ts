// The Kysely queries of upload sessions. No decisions here.

import type { Kysely, Selectable, Transaction } from 'kysely';
import type { RegistryDatabase, UploadSessionsTable } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import type { FileOwner } from '../files/stored-file.js';
import type { UploadSession } from './upload-session.js';

type Db = Kysely<RegistryDatabase> | Transaction<RegistryDatabase>;

export interface NewSessionRow {
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly partSize: number;
  readonly storageKey: string;
  readonly multipartUploadId: string;
  readonly now: string;
}

/** Inserts a session and reads it back by its storage key (unique). */
export async function insertSession(
  db: Kysely<RegistryDatabase>,
  owner: FileOwner,
  row: NewSessionRow,
): Promise<UploadSession | undefined> {
  await db
    .insertInto('upload_sessions')
    .values({
      record_id: idParameter(owner.recordId),
      dataset_id: owner.datasetId === null ? null : idParameter(owner.datasetId),
      name: row.name,
      size: row.size,
      content_type: row.contentType,
      part_size: row.partSize,
      storage_key: row.storageKey,
      multipart_upload_id: row.multipartUploadId,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
  const inserted = await db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('storage_key', '=', row.storageKey)
    .executeTakeFirst();
  return inserted && toUploadSession(inserted);
}

/** The owner's session with that id. */
export async function selectSession(
  db: Db,
  owner: FileOwner,
  id: string,
): Promise<UploadSession | undefined> {
  let query = db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('id', '=', idParameter(id))
    .where('record_id', '=', idParameter(owner.recordId));
  query =
    owner.datasetId === null
      ? query.where('dataset_id', 'is', null)
      : query.where('dataset_id', '=', idParameter(owner.datasetId));
  const row = await query.executeTakeFirst();
  return row && toUploadSession(row);
}

/** Records activity on the session, so that purge does not abort it. */
export async function touchSession(db: Db, id: string, now: string): Promise<void> {
  await db
    .updateTable('upload_sessions')
    .set({ updated_at: now })
    .where('id', '=', idParameter(id))
    .execute();
}

/** Deletes the session row; resolves to the number of rows deleted. */
export async function deleteSession(db: Db, id: string): Promise<number> {
  const result = await db
    .deleteFrom('upload_sessions')
    .where('id', '=', idParameter(id))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sessions without activity since `before` (ISO-8601), oldest first. */
export async function selectIdleSessions(db: Db, before: string): Promise<UploadSession[]> {
  const rows = await db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('updated_at', '<', before)
    .orderBy('id')
    .execute();
  return rows.map(toUploadSession);
}

/** The sessions of a record (all of them, its datasets' too) or of one dataset. */
export async function selectSessionsOf(
  db: Db,
  owner: { readonly recordId: string; readonly datasetId: string | null },
): Promise<UploadSession[]> {
  let query = db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('record_id', '=', idParameter(owner.recordId));
  if (owner.datasetId !== null)
    query = query.where('dataset_id', '=', idParameter(owner.datasetId));
  return (await query.orderBy('id').execute()).map(toUploadSession);
}

/** Whether a session row holds this multipart upload (purge leaves such uploads alone). */
export async function hasSessionFor(db: Db, multipartUploadId: string): Promise<boolean> {
  const row = await db
    .selectFrom('upload_sessions')
    .select('id')
    .where('multipart_upload_id', '=', multipartUploadId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Those of `storageKeys` that an upload session has; none for an empty list. */
export async function selectSessionStorageKeysAmong(
  db: Db,
  storageKeys: readonly string[],
): Promise<string[]> {
  if (storageKeys.length === 0) return []; // `in ()` is not SQL
  const rows = await db
    .selectFrom('upload_sessions')
    .select('storage_key')
    .where('storage_key', 'in', storageKeys)
    .execute();
  return rows.map((row) => row.storage_key);
}

function toUploadSession(row: Selectable<UploadSessionsTable>): UploadSession {
  const size = Number(row.size);
  const partSize = Number(row.part_size);
  return {
    id: idFromRow(row.id),
    recordId: idFromRow(row.record_id),
    datasetId: row.dataset_id === null ? null : idFromRow(row.dataset_id),
    name: row.name,
    size,
    contentType: row.content_type,
    partSize,
    partCount: Math.max(1, Math.ceil(size / partSize)),
    storageKey: row.storage_key,
    multipartUploadId: row.multipart_upload_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
