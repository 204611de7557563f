// Writes a file's new version: the row, in one transaction that sees the name's live version under
// the owner's lock and checks the write condition against it (If-None-Match, If-Match), retried
// when a concurrent upload of the same name commits first. The bytes are already stored; when the
// row cannot be written they are removed. Used by uploads through the server and by upload
// sessions' complete; knows nothing of how the bytes arrived.

import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { DataRegistryError } from '../../shared/errors.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import { translateDatabaseError, withDatabaseErrors } from '../shared/database-errors.js';
import { insertVersion, selectLiveVersion, type NewFileRow } from './file-version-queries.js';
import type { FileOwner, StoredFile } from './stored-file.js';
import { checkWriteCondition, type WriteCondition } from './write-condition.js';

export interface FileVersionWriterOptions {
  readonly store: ObjectStore;
  /**
   * Told when an object that is no longer needed (bytes whose row could not be written) could
   * not be removed; `purge` removes it later. Default: ignored.
   */
  readonly onCleanupError?: ((error: unknown, key: string) => void) | undefined;
}

export interface UploadResult {
  /** The version written. */
  readonly file: StoredFile;
  /** True when the name had a live version, which this one superseded (and which is kept). */
  readonly replaced: boolean;
}

export interface RecordVersionOptions {
  /** Write only if the live version is as this says; checked under the owner's lock. */
  readonly condition?: WriteCondition | undefined;
  /** Runs inside the transaction that writes the file's row. */
  readonly alsoInTransaction?: (trx: Transaction<RegistryDatabase>) => Promise<void>;
  /** Leave the new object in place when the row cannot be written. */
  readonly keepObjectOnFailure?: boolean;
}

/** How many times a new version is retried when a concurrent one of the same name commits first. */
const replaceAttempts = 3;

/** Throws DATABASE_UNAVAILABLE and the store's STORAGE_UNAVAILABLE as they come. */
export class FileVersionWriter {
  readonly #db: Kysely<RegistryDatabase>;
  readonly #dialect: DialectAdapter;
  readonly #store: ObjectStore;
  readonly #onCleanupError: (error: unknown, key: string) => void;

  constructor(handle: DatabaseHandle, options: FileVersionWriterOptions) {
    this.#db = registryDb(handle);
    this.#dialect = handle.dialect;
    this.#store = options.store;
    this.#onCleanupError = options.onCleanupError ?? (() => undefined);
  }

  /**
   * Makes an object already in the store the owner's latest version of `row.name`, keeping the
   * version it supersedes. When the row cannot be written (or `options.condition` does not
   * hold), the new object is removed, unless `options.keepObjectOnFailure` (an upload session's,
   * which a retried `complete` may still use). `options.alsoInTransaction` runs in the
   * transaction that writes the row (an upload session deletes its own row there).
   */
  async recordVersion(
    owner: FileOwner,
    row: NewFileRow,
    options: RecordVersionOptions = {},
  ): Promise<UploadResult> {
    let written: Awaited<ReturnType<typeof insertVersion>>;
    try {
      written = await this.#insertWithRetries(owner, row, options);
    } catch (error) {
      if (options.keepObjectOnFailure !== true) await this.removeObject(row.storageKey);
      throw error;
    }
    const file: StoredFile = {
      recordId: owner.recordId,
      datasetId: owner.datasetId,
      name: row.name,
      version: written.version,
      size: row.size,
      sha256: row.sha256,
      contentType: row.contentType,
      storageKey: row.storageKey,
      createdAt: row.now,
      createdBy: row.createdBy,
    };
    return { file, replaced: written.superseded !== undefined };
  }

  /**
   * A first look at whether `condition` holds for the owner's `name`, outside any write: lets an
   * upload session refuse at once what its `complete` would refuse after every part was sent.
   * The write's own check (in its transaction) still decides.
   *
   * @throws DataRegistryError FILE_EXISTS, FILE_CHANGED.
   */
  async checkConditionNow(
    owner: FileOwner,
    name: string,
    condition: WriteCondition | undefined,
  ): Promise<void> {
    if (condition === undefined) return;
    const live = await withDatabaseErrors(this.#dialect, () =>
      selectLiveVersion(this.#db, owner, name),
    );
    checkWriteCondition(condition, name, live);
  }

  /** Removes an object no longer needed; a failure is reported, never thrown. */
  async removeObject(key: string): Promise<void> {
    try {
      await this.#store.delete(key);
    } catch (error) {
      this.#onCleanupError(error, key);
    }
  }

  async #insertWithRetries(owner: FileOwner, row: NewFileRow, options: RecordVersionOptions) {
    const checkLive = (live: Parameters<typeof checkWriteCondition>[2]) =>
      checkWriteCondition(options.condition, row.name, live);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#db.transaction().execute(async (trx) => {
          const written = await insertVersion(trx, owner, row, checkLive);
          await options.alsoInTransaction?.(trx);
          return written;
        });
      } catch (error) {
        if (error instanceof DataRegistryError) throw error;
        const isRace = this.#dialect.classifyError(error) === 'unique-violation';
        if (isRace && attempt < replaceAttempts) continue;
        throw translateDatabaseError(this.#dialect, error);
      }
    }
  }
}
