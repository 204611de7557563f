// The Kysely queries of datasets. A dataset is visible only while its record is live too: every
// query here joins or filters on the record's `deleted_at`.

import type { Kysely, Selectable } from 'kysely';
import type { DatasetsTable, RegistryDatabase } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import { storedMetadata } from '../shared/field-checks.js';
import type { Dataset } from './dataset.js';

type Db = Kysely<RegistryDatabase>;

// Explicit columns: on MySQL the table also has the generated column `live_name`.
const datasetColumns = [
  'datasets.id',
  'datasets.record_id',
  'datasets.name',
  'datasets.description',
  'datasets.data_type',
  'datasets.metadata',
  'datasets.created_at',
  'datasets.updated_at',
  'datasets.deleted_at',
] as const;

export interface DatasetRow {
  readonly recordId: string;
  readonly name: string;
  readonly description: string | null;
  readonly dataType: string;
  readonly metadata: string;
  readonly now: string;
}

/**
 * Inserts a dataset and reads it back, in one transaction: the live name is unique within the
 * record, so the row found is the one just inserted.
 */
export function insertDataset(db: Db, row: DatasetRow): Promise<Dataset | undefined> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('datasets')
      .values({
        record_id: idParameter(row.recordId),
        name: row.name,
        description: row.description,
        data_type: row.dataType,
        metadata: row.metadata,
        created_at: row.now,
        updated_at: row.now,
        deleted_at: null,
      })
      .execute();
    const inserted = await trx
      .selectFrom('datasets')
      .select(datasetColumns)
      .where('record_id', '=', idParameter(row.recordId))
      .where('name', '=', row.name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return inserted && toDataset(inserted);
  });
}

/** The dataset when it and its record are live. */
export async function selectLiveDataset(db: Db, id: string): Promise<Dataset | undefined> {
  const row = await db
    .selectFrom('datasets')
    .innerJoin('records', 'records.id', 'datasets.record_id')
    .select(datasetColumns)
    .where('datasets.id', '=', idParameter(id))
    .where('datasets.deleted_at', 'is', null)
    .where('records.deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toDataset(row);
}

export interface DatasetListFilter {
  readonly recordId: string;
  readonly afterId: string | undefined;
  readonly limit: number;
  readonly includeDeleted: boolean;
}

/** A record's datasets in id order (the caller has checked that the record is live). */
export async function selectDatasets(db: Db, filter: DatasetListFilter): Promise<Dataset[]> {
  let query = db
    .selectFrom('datasets')
    .select(datasetColumns)
    .where('record_id', '=', idParameter(filter.recordId));
  if (filter.afterId !== undefined) query = query.where('id', '>', idParameter(filter.afterId));
  if (!filter.includeDeleted) query = query.where('deleted_at', 'is', null);
  const rows = await query.orderBy('id').limit(filter.limit).execute();
  return rows.map(toDataset);
}

export interface DatasetUpdate {
  readonly name?: string;
  readonly description?: string | null;
  readonly dataType?: string;
  readonly metadata?: string;
  readonly now: string;
}

/** An UPDATE of dataset `id` while it and its record are live; the caller sets columns. */
function updateVisibleDataset(db: Db, id: string) {
  return db
    .updateTable('datasets')
    .where('id', '=', idParameter(id))
    .where('deleted_at', 'is', null)
    .where('record_id', 'in', (eb) =>
      eb.selectFrom('records').select('records.id').where('records.deleted_at', 'is', null),
    );
}

/** Changes a visible dataset; resolves to the number of rows changed (0: none visible). */
export async function updateLiveDataset(
  db: Db,
  id: string,
  update: DatasetUpdate,
): Promise<number> {
  // Kysely leaves the undefined values (the fields not changed) out of the SET list.
  const { name, description, dataType, metadata, now } = update;
  const query = updateVisibleDataset(db, id).set({
    name,
    description,
    data_type: dataType,
    metadata,
    updated_at: now,
  });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Soft-deletes a visible dataset; resolves to the number of rows changed (0: none visible). */
export async function markDatasetDeleted(db: Db, id: string, now: string): Promise<number> {
  const query = updateVisibleDataset(db, id).set({ deleted_at: now, updated_at: now });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

type DatasetSelection = Pick<
  Selectable<DatasetsTable>,
  | 'id'
  | 'record_id'
  | 'name'
  | 'description'
  | 'data_type'
  | 'metadata'
  | 'created_at'
  | 'updated_at'
  | 'deleted_at'
>;

function toDataset(row: DatasetSelection): Dataset {
  return {
    id: idFromRow(row.id),
    recordId: idFromRow(row.record_id),
    name: row.name,
    description: row.description,
    dataType: row.data_type,
    metadata: storedMetadata(row.metadata),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}
