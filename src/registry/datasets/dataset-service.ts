// Datasets of records: create, list, get, change and soft-delete. A dataset is visible only while
// its record is live; names are unique among a record's live datasets. Never sees HTTP.

import { DataRegistryError } from '../../shared/errors.js';
import { RegistryService } from '../shared/registry-service.js';
import { checkId } from '../shared/entity-id.js';
import {
  checkDescription,
  checkIfGiven,
  checkName,
  fieldLimits,
  serializeMetadata,
} from '../shared/field-checks.js';
import { checkPageLimit, decodeCursor, toPage, type Page } from '../shared/page-cursor.js';
import { selectRecord } from '../records/record-queries.js';
import { recordNotFound } from '../records/record-service.js';
import type { Dataset, DatasetChanges, DatasetListQuery, NewDataset } from './dataset.js';
import {
  insertDataset,
  markDatasetDeleted,
  selectDatasets,
  selectLiveDataset,
  updateLiveDataset,
} from './dataset-queries.js';

/**
 * Every method checks its input first (VALIDATION_FAILED naming the field) and throws
 * DATABASE_UNAVAILABLE when the database cannot be reached.
 */
export class DatasetService extends RegistryService {
  /**
   * @throws DataRegistryError RECORD_NOT_FOUND unless the record is live; DATASET_NAME_TAKEN
   *   when a live dataset of the record has the name.
   */
  async create(recordId: string, input: NewDataset): Promise<Dataset> {
    checkId(recordId, 'record_id');
    const name = checkName(input.name, 'name');
    const description = checkDescription(input.description ?? null, 'description');
    const dataType = checkName(input.dataType, 'data_type', fieldLimits.dataTypeLength);
    const metadata = serializeMetadata(input.metadata ?? {}, 'metadata');
    const now = this.now().toISOString();
    const dataset = await this.run(
      async () => {
        await this.#requireLiveRecord(recordId);
        return insertDataset(this.db, {
          recordId,
          name,
          description,
          dataType,
          metadata,
          now,
        });
      },
      () => nameTaken(recordId, name),
    );
    if (dataset === undefined) throw new Error(`The dataset ${name} vanished after insertion`);
    return dataset;
  }

  /**
   * The record's live datasets (and deleted ones with `includeDeleted`) in id order.
   *
   * @throws DataRegistryError RECORD_NOT_FOUND unless the record is live.
   */
  async list(recordId: string, query: DatasetListQuery = {}): Promise<Page<Dataset>> {
    checkId(recordId, 'record_id');
    const limit = checkPageLimit(query.limit, 'limit');
    const afterId =
      query.cursor === undefined ? undefined : decodeCursor('datasets', query.cursor, 'cursor');
    const rows = await this.run(async () => {
      await this.#requireLiveRecord(recordId);
      return selectDatasets(this.db, {
        recordId,
        afterId,
        limit: limit + 1,
        includeDeleted: query.includeDeleted ?? false,
      });
    });
    return toPage('datasets', rows, limit);
  }

  /** @throws DataRegistryError DATASET_NOT_FOUND unless the dataset and its record are live. */
  async get(id: string): Promise<Dataset> {
    checkId(id, 'id');
    const dataset = await this.run(() => selectLiveDataset(this.db, id));
    if (dataset === undefined) throw datasetNotFound(id);
    return dataset;
  }

  /** @throws DataRegistryError DATASET_NOT_FOUND, DATASET_NAME_TAKEN. */
  async update(id: string, changes: DatasetChanges): Promise<Dataset> {
    checkId(id, 'id');
    const name = checkIfGiven(changes.name, (value) => checkName(value, 'name'));
    const description = checkIfGiven(changes.description, (value) =>
      checkDescription(value, 'description'),
    );
    const dataType = checkIfGiven(changes.dataType, (value) =>
      checkName(value, 'data_type', fieldLimits.dataTypeLength),
    );
    const metadata = checkIfGiven(changes.metadata, (value) =>
      serializeMetadata(value, 'metadata'),
    );
    if ([name, description, dataType, metadata].every((value) => value === undefined)) {
      return this.get(id);
    }
    const now = this.now().toISOString();
    const current = await this.get(id);
    const dataset = await this.run(
      async () => {
        const update = { name, description, dataType, metadata, now };
        const changed = await updateLiveDataset(this.db, id, update);
        return changed === 0 ? undefined : selectLiveDataset(this.db, id);
      },
      () => nameTaken(current.recordId, name ?? ''),
    );
    if (dataset === undefined) throw datasetNotFound(id);
    return dataset;
  }

  /** @throws DataRegistryError DATASET_NOT_FOUND unless the dataset and its record are live. */
  async delete(id: string): Promise<void> {
    checkId(id, 'id');
    const now = this.now().toISOString();
    const changed = await this.run(() => markDatasetDeleted(this.db, id, now));
    if (changed === 0) throw datasetNotFound(id);
  }

  async #requireLiveRecord(recordId: string): Promise<void> {
    const record = await selectRecord(this.db, recordId, { includeDeleted: false });
    if (record === undefined) throw recordNotFound(recordId);
  }
}

function datasetNotFound(id: string): DataRegistryError {
  return new DataRegistryError('DATASET_NOT_FOUND', `No live dataset has the id ${id}.`, { id });
}

function nameTaken(recordId: string, name: string): DataRegistryError {
  return new DataRegistryError(
    'DATASET_NAME_TAKEN',
    `Record ${recordId} already has a live dataset named ${JSON.stringify(name)}. Choose another name.`,
    { recordId, name },
  );
}
