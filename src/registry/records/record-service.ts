// Records: create, list, get, change, soft-delete and restore. Checks input before the database
// is reached and turns driver errors into the registry's codes; never sees HTTP.

import { DataRegistryError } from '../../shared/errors.js';
import {
  recordOrders,
  type DataRecord,
  type NewRecord,
  type RecordChanges,
  type RecordListQuery,
  type RecordOrder,
} from './data-record.js';
import { RegistryService } from '../shared/registry-service.js';
import { checkId } from '../shared/entity-id.js';
import {
  checkDescription,
  checkIfGiven,
  checkName,
  checkSearchText,
  invalidField,
  serializeMetadata,
} from '../shared/field-checks.js';
import { checkPageLimit, decodeCursor, toPage, type Page } from '../shared/page-cursor.js';
import {
  insertRecord,
  markRecordDeleted,
  markRecordRestored,
  selectRecord,
  selectRecordByStorageId,
  selectRecords,
  updateLiveRecord,
} from './record-queries.js';
import { deriveStorageId } from './storage-id.js';

/**
 * Every method checks its input first (VALIDATION_FAILED naming the field) and throws
 * DATABASE_UNAVAILABLE when the database cannot be reached. Deleted records are invisible to
 * `get`, `update` and `delete` (RECORD_NOT_FOUND) and free their name for new records.
 */
export class RecordService extends RegistryService {
  /** @throws DataRegistryError RECORD_NAME_TAKEN when a live record has the name. */
  async create(input: NewRecord): Promise<DataRecord> {
    const name = checkName(input.name, 'name');
    const description = checkDescription(input.description ?? null, 'description');
    const metadata = serializeMetadata(input.metadata ?? {}, 'metadata');
    const now = this.now();
    const storageId = deriveStorageId(name, now);
    const created = await this.run(
      async () => {
        const row = { name, description, metadata, storageId, now: now.toISOString() };
        await insertRecord(this.db, row);
        return selectRecordByStorageId(this.db, storageId);
      },
      () => nameTaken(name),
    );
    if (created === undefined) throw new Error(`The record ${storageId} vanished after insertion`);
    return created;
  }

  /**
   * Live records (and deleted ones with `includeDeleted`) in id order, oldest first or (`order:
   * 'newest'`) newest first, one page at a time. A cursor continues the order it was made in.
   */
  async list(query: RecordListQuery = {}): Promise<Page<DataRecord>> {
    const limit = checkPageLimit(query.limit, 'limit');
    const order = checkOrder(query.order);
    const kind = order === 'newest' ? 'records-newest' : 'records';
    const afterId =
      query.cursor === undefined ? undefined : decodeCursor(kind, query.cursor, 'cursor');
    const search =
      query.search === undefined || query.search === ''
        ? undefined
        : checkSearchText(query.search, 'q');
    const rows = await this.run(() =>
      selectRecords(this.db, {
        afterId,
        limit: limit + 1,
        search,
        includeDeleted: query.includeDeleted ?? false,
        order,
      }),
    );
    return toPage(kind, rows, limit);
  }

  /** @throws DataRegistryError RECORD_NOT_FOUND unless a live record has the id. */
  async get(id: string): Promise<DataRecord> {
    checkId(id, 'id');
    const record = await this.run(() => selectRecord(this.db, id, { includeDeleted: false }));
    if (record === undefined) throw recordNotFound(id);
    return record;
  }

  /**
   * Changes the given fields of a live record (none given: returns it unchanged).
   *
   * @throws DataRegistryError RECORD_NOT_FOUND, RECORD_NAME_TAKEN.
   */
  async update(id: string, changes: RecordChanges): Promise<DataRecord> {
    checkId(id, 'id');
    const name = checkIfGiven(changes.name, (value) => checkName(value, 'name'));
    const description = checkIfGiven(changes.description, (value) =>
      checkDescription(value, 'description'),
    );
    const metadata = checkIfGiven(changes.metadata, (value) =>
      serializeMetadata(value, 'metadata'),
    );
    if (name === undefined && description === undefined && metadata === undefined) {
      return this.get(id);
    }
    const now = this.now().toISOString();
    const record = await this.run(
      async () => {
        const changed = await updateLiveRecord(this.db, id, {
          name,
          description,
          metadata,
          now,
        });
        return changed === 0 ? undefined : selectRecord(this.db, id, { includeDeleted: false });
      },
      () => nameTaken(name ?? ''),
    );
    if (record === undefined) throw recordNotFound(id);
    return record;
  }

  /**
   * Soft-deletes a live record: it disappears from lists and gets, with its datasets, and its
   * name is free again.
   *
   * @throws DataRegistryError RECORD_NOT_FOUND unless a live record has the id.
   */
  async delete(id: string): Promise<void> {
    checkId(id, 'id');
    const now = this.now().toISOString();
    const changed = await this.run(() => markRecordDeleted(this.db, id, now));
    if (changed === 0) throw recordNotFound(id);
  }

  /**
   * Makes a deleted record live again, with its datasets; a live record is returned unchanged.
   *
   * @throws DataRegistryError RECORD_NOT_FOUND when no record has the id; RECORD_NAME_TAKEN when
   *   another live record has taken its name meanwhile.
   */
  async restore(id: string): Promise<DataRecord> {
    checkId(id, 'id');
    const now = this.now().toISOString();
    const record = await this.run(async () => {
      const deleted = await selectRecord(this.db, id, { includeDeleted: true });
      if (deleted === undefined) return undefined;
      await this.run(
        () => markRecordRestored(this.db, id, now),
        () => nameTaken(deleted.name, ' Rename the other record first.'),
      );
      return selectRecord(this.db, id, { includeDeleted: false });
    });
    if (record === undefined) throw recordNotFound(id);
    return record;
  }
}

function checkOrder(order: RecordOrder | undefined): RecordOrder {
  if (order === undefined) return 'oldest';
  if (!recordOrders.includes(order)) {
    throw invalidField('order', `\`order\` must be one of ${recordOrders.join(', ')}.`);
  }
  return order;
}

export function recordNotFound(id: string): DataRegistryError {
  return new DataRegistryError('RECORD_NOT_FOUND', `No live record has the id ${id}.`, { id });
}

function nameTaken(name: string, hint = ' Choose another name.'): DataRegistryError {
  return new DataRegistryError(
    'RECORD_NAME_TAKEN',
    `A live record is already named ${JSON.stringify(name)}.${hint}`,
    { name },
  );
}
