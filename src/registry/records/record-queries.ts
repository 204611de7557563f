// The Kysely queries of records. No decisions here: the service checks input and translates errors.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { RecordsTable, RegistryDatabase } from '../database.js';
import type { DataRecord } from './data-record.js';
import { idFromRow, idParameter } from './entity-id.js';
import { parseStoredMetadata } from './field-checks.js';

type Db = Kysely<RegistryDatabase>;

// Explicit columns: on MySQL the table also has the generated column `live_name`.
const recordColumns = [
  'id',
  'name',
  'description',
  'metadata',
  'storage_id',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;

export interface RecordRow {
  readonly name: string;
  readonly description: string | null;
  readonly metadata: string;
  readonly storageId: string;
  readonly now: string;
}

export async function insertRecord(db: Db, row: RecordRow): Promise<void> {
  await db
    .insertInto('records')
    .values({
      name: row.name,
      description: row.description,
      metadata: row.metadata,
      storage_id: row.storageId,
      created_at: row.now,
      updated_at: row.now,
      deleted_at: null,
    })
    .execute();
}

export async function selectRecordByStorageId(
  db: Db,
  storageId: string,
): Promise<DataRecord | undefined> {
  const row = await db
    .selectFrom('records')
    .select(recordColumns)
    .where('storage_id', '=', storageId)
    .executeTakeFirst();
  return row && toDataRecord(row);
}

/** The record, live or (with `includeDeleted`) deleted. */
export async function selectRecord(
  db: Db,
  id: string,
  options: { includeDeleted: boolean },
): Promise<DataRecord | undefined> {
  let query = db.selectFrom('records').select(recordColumns).where('id', '=', idParameter(id));
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  const row = await query.executeTakeFirst();
  return row && toDataRecord(row);
}

export interface RecordListFilter {
  /** Only ids greater than this one (keyset pagination). */
  readonly afterId: string | undefined;
  readonly limit: number;
  readonly search: string | undefined;
  readonly includeDeleted: boolean;
}

/** Records in id order, oldest first. */
export async function selectRecords(db: Db, filter: RecordListFilter): Promise<DataRecord[]> {
  let query = db.selectFrom('records').select(recordColumns);
  if (filter.afterId !== undefined) query = query.where('id', '>', idParameter(filter.afterId));
  if (!filter.includeDeleted) query = query.where('deleted_at', 'is', null);
  if (filter.search !== undefined) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(${eb.ref('name')}) like lower(${pattern}) escape '!'`,
        sql<boolean>`lower(${eb.ref('description')}) like lower(${pattern}) escape '!'`,
      ]),
    );
  }
  const rows = await query.orderBy('id').limit(filter.limit).execute();
  return rows.map(toDataRecord);
}

/**
 * A LIKE pattern matching `text` anywhere. `!` is the escape character (declared in the query):
 * unlike a backslash it means nothing inside MySQL string literals.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export interface RecordUpdate {
  readonly name?: string;
  readonly description?: string | null;
  readonly metadata?: string;
  readonly now: string;
}

/** Changes a live record; resolves to the number of rows changed (0: no live record). */
export async function updateLiveRecord(db: Db, id: string, update: RecordUpdate): Promise<number> {
  const result = await db
    .updateTable('records')
    .set({
      ...(update.name === undefined ? {} : { name: update.name }),
      ...(update.description === undefined ? {} : { description: update.description }),
      ...(update.metadata === undefined ? {} : { metadata: update.metadata }),
      updated_at: update.now,
    })
    .where('id', '=', idParameter(id))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Soft-deletes a live record; resolves to the number of rows changed (0: no live record). */
export async function markRecordDeleted(db: Db, id: string, now: string): Promise<number> {
  const result = await db
    .updateTable('records')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', idParameter(id))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Makes a deleted record live again; resolves to the number of rows changed (0: none deleted). */
export async function markRecordRestored(db: Db, id: string, now: string): Promise<number> {
  const result = await db
    .updateTable('records')
    .set({ deleted_at: null, updated_at: now })
    .where('id', '=', idParameter(id))
    .where('deleted_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

type RecordSelection = Pick<Selectable<RecordsTable>, (typeof recordColumns)[number]>;

function toDataRecord(row: RecordSelection): DataRecord {
  return {
    id: idFromRow(row.id),
    name: row.name,
    description: row.description,
    metadata: parseStoredMetadata(row.metadata),
    storageId: row.storage_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}
