// The Kysely queries of records. No decisions here: the service checks input and translates errors.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { RecordsTable, RegistryDatabase } from '../database.js';
import { createQueryTemplate } from '../../db/query-template.js';
import type { DataRecord, RecordOrder } from './data-record.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import { storedMetadata } from '../shared/field-checks.js';

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

const insertRecordTemplate = createQueryTemplate((db: Db, args: RecordRow) =>
  db.insertInto('records').values({
    name: args.name,
    description: args.description,
    metadata: args.metadata,
    storage_id: args.storageId,
    created_at: args.now,
    updated_at: args.now,
    deleted_at: null,
  }),
);

export async function insertRecord(db: Db, row: RecordRow): Promise<void> {
  await insertRecordTemplate.run(db, row);
}

const selectByStorageIdTemplate = createQueryTemplate((db: Db, args: { storageId: string }) =>
  db.selectFrom('records').select(recordColumns).where('storage_id', '=', args.storageId),
);

export async function selectRecordByStorageId(
  db: Db,
  storageId: string,
): Promise<DataRecord | undefined> {
  const [row] = (await selectByStorageIdTemplate.run(db, { storageId })).rows;
  return row && toDataRecord(row);
}

type IdArgs = { id: number | string };

const selectRecordTemplates = {
  live: createQueryTemplate((db: Db, args: IdArgs) =>
    db
      .selectFrom('records')
      .select(recordColumns)
      .where('id', '=', args.id)
      .where('deleted_at', 'is', null),
  ),
  any: createQueryTemplate((db: Db, args: IdArgs) =>
    db.selectFrom('records').select(recordColumns).where('id', '=', args.id),
  ),
};

/** The record, live or (with `includeDeleted`) deleted. */
export async function selectRecord(
  db: Db,
  id: string,
  options: { includeDeleted: boolean },
): Promise<DataRecord | undefined> {
  const template = selectRecordTemplates[options.includeDeleted ? 'any' : 'live'];
  const [row] = (await template.run(db, { id: idParameter(id) })).rows;
  return row && toDataRecord(row);
}

export interface RecordListFilter {
  /** Only ids past this one in the list's order (keyset pagination). */
  readonly afterId: string | undefined;
  readonly limit: number;
  readonly search: string | undefined;
  readonly includeDeleted: boolean;
  /** `oldest`: ascending ids; `newest`: descending. */
  readonly order: RecordOrder;
}

interface ListShape {
  readonly includeDeleted: boolean;
  readonly order: RecordOrder;
}

/** The query of a list: ids past `afterId` in the order when given, live records unless not. */
function listQuery(db: Db, shape: ListShape, afterId: number | string | undefined) {
  let query = db.selectFrom('records').select(recordColumns);
  if (afterId !== undefined) {
    query = query.where('id', shape.order === 'newest' ? '<' : '>', afterId);
  }
  if (!shape.includeDeleted) query = query.where('deleted_at', 'is', null);
  return shape.order === 'newest' ? query.orderBy('id', 'desc') : query.orderBy('id');
}

/** The lists without search, the ones clients page through: first pages and the pages after. */
function createListTemplates(shape: ListShape) {
  return {
    first: createQueryTemplate((db: Db, args: { limit: number }) =>
      listQuery(db, shape, undefined).limit(args.limit),
    ),
    after: createQueryTemplate((db: Db, args: { afterId: number | string; limit: number }) =>
      listQuery(db, shape, args.afterId).limit(args.limit),
    ),
  };
}

const listTemplates = {
  oldest: {
    live: createListTemplates({ includeDeleted: false, order: 'oldest' }),
    all: createListTemplates({ includeDeleted: true, order: 'oldest' }),
  },
  newest: {
    live: createListTemplates({ includeDeleted: false, order: 'newest' }),
    all: createListTemplates({ includeDeleted: true, order: 'newest' }),
  },
};

/** Records in id order, oldest or newest first. */
export async function selectRecords(db: Db, filter: RecordListFilter): Promise<DataRecord[]> {
  const afterId = filter.afterId === undefined ? undefined : idParameter(filter.afterId);
  if (filter.search === undefined) {
    const templates = listTemplates[filter.order][filter.includeDeleted ? 'all' : 'live'];
    const { limit } = filter;
    const { rows } =
      afterId === undefined
        ? await templates.first.run(db, { limit })
        : await templates.after.run(db, { afterId, limit });
    return rows.map(toDataRecord);
  }
  const pattern = containsPattern(filter.search);
  const rows = await listQuery(db, filter, afterId)
    .where((eb) =>
      eb.or([
        sql<boolean>`lower(${eb.ref('name')}) like lower(${pattern}) escape '!'`,
        sql<boolean>`lower(${eb.ref('description')}) like lower(${pattern}) escape '!'`,
      ]),
    )
    .limit(filter.limit)
    .execute();
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

/** An UPDATE of record `id` while live, or (`deleted`) while deleted; the caller sets columns. */
function updateRecord(db: Db, id: string, state: 'live' | 'deleted') {
  return db
    .updateTable('records')
    .where('id', '=', idParameter(id))
    .where('deleted_at', state === 'live' ? 'is' : 'is not', null);
}

/** Changes a live record; resolves to the number of rows changed (0: no live record). */
export async function updateLiveRecord(db: Db, id: string, update: RecordUpdate): Promise<number> {
  // Kysely leaves the undefined values (the fields not changed) out of the SET list.
  const { name, description, metadata, now } = update;
  const query = updateRecord(db, id, 'live').set({ name, description, metadata, updated_at: now });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Soft-deletes a live record; resolves to the number of rows changed (0: no live record). */
export async function markRecordDeleted(db: Db, id: string, now: string): Promise<number> {
  const query = updateRecord(db, id, 'live').set({ deleted_at: now, updated_at: now });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Makes a deleted record live again; resolves to the number of rows changed (0: none deleted). */
export async function markRecordRestored(db: Db, id: string, now: string): Promise<number> {
  const query = updateRecord(db, id, 'deleted').set({ deleted_at: null, updated_at: now });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

type RecordSelection = Pick<Selectable<RecordsTable>, (typeof recordColumns)[number]>;

function toDataRecord(row: RecordSelection): DataRecord {
  return {
    id: idFromRow(row.id),
    name: row.name,
    description: row.description,
    metadata: storedMetadata(row.metadata),
    storageId: row.storage_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}
