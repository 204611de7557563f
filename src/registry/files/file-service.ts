// Files of records and datasets: upload (streamed into the object store, the row written only
// once every byte is stored), list, find, read and delete. Decides keys; never sees HTTP.

import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { ByteRange, ObjectStore } from '../../storage/object-store.js';
import { DataRegistryError } from '../../shared/errors.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import { translateDatabaseError, withDatabaseErrors } from '../shared/database-errors.js';
import { checkId } from '../shared/entity-id.js';
import { checkPageLimit, decodeCursor, toPage, type Page } from '../shared/page-cursor.js';
import { checkContentType, checkFileName } from './file-name.js';
import {
  markFileDeleted,
  replaceLiveFile,
  selectLiveFile,
  selectLiveFiles,
  selectLiveOwner,
  type NewFileRow,
} from './file-queries.js';
import { fileStorageKey } from './storage-key.js';
import type { FileListQuery, FileOwner, FileOwnerRef, StoredFile } from './stored-file.js';

export interface FileServiceOptions {
  readonly store: ObjectStore;
  /** The largest file accepted, in bytes (DATA_REGISTRY_MAX_UPLOAD_BYTES). */
  readonly maxUploadBytes: number;
  /** The clock; default the system's. */
  readonly now?: () => Date;
  /**
   * Told when an object that is no longer needed (a replaced or deleted version, or bytes whose
   * row could not be written) could not be removed; `purge` removes it later. Default: ignored.
   */
  readonly onCleanupError?: (error: unknown, key: string) => void;
}

export interface UploadOptions {
  /** The declared media type; default application/octet-stream. */
  readonly contentType?: string | undefined;
  /** The size announced up front (Content-Length), checked against the limit before any byte. */
  readonly declaredSize?: number | undefined;
  /** About how large the body will be, when its exact size is not known (multipart bodies). */
  readonly sizeHint?: number | undefined;
  /** Aborting it (the client went away) cancels the upload; nothing is kept. */
  readonly signal?: AbortSignal | undefined;
}

export interface UploadResult {
  readonly file: StoredFile;
  /** True when a live file of that name existed and this upload replaced it. */
  readonly replaced: boolean;
}

export interface RecordVersionOptions {
  /** Runs inside the transaction that writes the file's row. */
  readonly alsoInTransaction?: (trx: Transaction<RegistryDatabase>) => Promise<void>;
  /** Leave the new object in place when the row cannot be written. */
  readonly keepObjectOnFailure?: boolean;
}

/** How many times a replacement is retried when a concurrent one of the same name commits first. */
const replaceAttempts = 3;

/**
 * Every method checks its input first (VALIDATION_FAILED naming the field), answers
 * RECORD_NOT_FOUND / DATASET_NOT_FOUND unless the owner is live, and throws DATABASE_UNAVAILABLE
 * and the store's STORAGE_UNAVAILABLE as they come. Files of a deleted record or dataset are
 * hidden, not removed: `purge` removes them once they have been deleted long enough.
 */
export class FileService {
  readonly #db: Kysely<RegistryDatabase>;
  readonly #dialect: DialectAdapter;
  readonly #store: ObjectStore;
  readonly #maxUploadBytes: number;
  readonly #now: () => Date;
  readonly #onCleanupError: (error: unknown, key: string) => void;

  constructor(handle: DatabaseHandle, options: FileServiceOptions) {
    this.#db = registryDb(handle);
    this.#dialect = handle.dialect;
    this.#store = options.store;
    this.#maxUploadBytes = options.maxUploadBytes;
    this.#now = options.now ?? (() => new Date());
    this.#onCleanupError = options.onCleanupError ?? (() => undefined);
  }

  /** The largest file accepted, in bytes. */
  get maxUploadBytes(): number {
    return this.#maxUploadBytes;
  }

  /**
   * Streams `body` into a new object and then, in one transaction, makes it the owner's live
   * file of that name: a file of the same name is replaced atomically (readers see the old
   * version until the new one is complete, then the new one), and its old object is removed.
   * When anything fails — the body errors or `signal` aborts, more than the limit arrives, the
   * store or the database fails — no row is written and no object is left.
   *
   * @throws DataRegistryError VALIDATION_FAILED (`filename`, `content_type`), RECORD_NOT_FOUND,
   *   DATASET_NOT_FOUND, FILE_TOO_LARGE (from `declaredSize` before reading, or while streaming),
   *   STORAGE_UNAVAILABLE, DATABASE_UNAVAILABLE.
   */
  async upload(
    ref: FileOwnerRef,
    name: string,
    body: Readable,
    options: UploadOptions = {},
  ): Promise<UploadResult> {
    const fileName = checkFileName(name, 'filename');
    const contentType = checkContentType(options.contentType, 'content_type');
    if (options.declaredSize !== undefined) this.checkSize(options.declaredSize);
    const owner = await this.requireOwner(ref);
    const now = this.#now();
    const storageKey = fileStorageKey(owner, fileName, now);
    // The body may have failed while the owner was looked up (a malformed or cut multipart body).
    if (body.destroyed)
      throw body.errored ?? new Error('The upload body ended before it was stored.');
    const stored = await this.#store.put(storageKey, body, {
      contentType,
      maxBytes: this.#maxUploadBytes,
      signal: options.signal,
      expectedSize: options.declaredSize ?? options.sizeHint,
    });
    const row = { name: fileName, ...stored, contentType, storageKey, now: now.toISOString() };
    return this.recordVersion(owner, row);
  }

  /**
   * Makes an object already in the store the owner's live file of `row.name`, replacing any live
   * file of that name and removing its object. When the row cannot be written, the new object is
   * removed too, unless `options.keepObjectOnFailure` (an upload session's, which a retried
   * `complete` may still use). `options.alsoInTransaction` runs in the transaction that writes the
   * row (an upload session deletes its own row there).
   */
  async recordVersion(
    owner: FileOwner,
    row: NewFileRow,
    options: RecordVersionOptions = {},
  ): Promise<UploadResult> {
    let previousKey: string | undefined;
    try {
      previousKey = await this.#replaceWithRetries(owner, row, options.alsoInTransaction);
    } catch (error) {
      if (options.keepObjectOnFailure !== true) await this.removeObject(row.storageKey);
      throw error;
    }
    if (previousKey !== undefined) await this.removeObject(previousKey);
    const file: StoredFile = {
      recordId: owner.recordId,
      datasetId: owner.datasetId,
      name: row.name,
      size: row.size,
      sha256: row.sha256,
      contentType: row.contentType,
      storageKey: row.storageKey,
      createdAt: row.now,
    };
    return { file, replaced: previousKey !== undefined };
  }

  /** The owner's live files, oldest upload first, one page at a time. */
  async list(ref: FileOwnerRef, query: FileListQuery = {}): Promise<Page<StoredFile>> {
    const limit = checkPageLimit(query.limit, 'limit');
    const afterId =
      query.cursor === undefined ? undefined : decodeCursor('files', query.cursor, 'cursor');
    const owner = await this.requireOwner(ref);
    const rows = await this.#run(() => selectLiveFiles(this.#db, owner, afterId, limit + 1));
    return toPage('files', rows, limit);
  }

  /** @throws DataRegistryError FILE_NOT_FOUND unless the owner has a live file of that name. */
  async find(ref: FileOwnerRef, name: string): Promise<StoredFile> {
    const fileName = checkFileName(name, 'filename');
    const owner = await this.requireOwner(ref);
    const file = await this.#run(() => selectLiveFile(this.#db, owner, fileName));
    if (file === undefined) throw fileNotFound(ref, fileName);
    return file;
  }

  /**
   * The file's bytes, or a range of them (resolved against `file.size` by the caller). Rejects
   * with OBJECT_NOT_FOUND when the version was replaced or deleted since `find`: find it again.
   */
  read(file: StoredFile, range?: ByteRange): Promise<{ body: Readable; size: number }> {
    return this.#store.get(file.storageKey, range === undefined ? {} : { range });
  }

  /** A presigned URL of the file's bytes (S3), or undefined when the store cannot make one. */
  async presignDownload(file: StoredFile, expiresInSeconds: number): Promise<string | undefined> {
    if (this.#store.presignGet === undefined) return undefined;
    return this.#store.presignGet(file.storageKey, { expiresInSeconds, downloadName: file.name });
  }

  /**
   * Deletes the owner's live file of that name: its row is marked deleted (so the name is free)
   * and its object removed at once (should that fail, `purge` removes it later).
   *
   * @throws DataRegistryError FILE_NOT_FOUND.
   */
  async delete(ref: FileOwnerRef, name: string): Promise<void> {
    const fileName = checkFileName(name, 'filename');
    const owner = await this.requireOwner(ref);
    const now = this.#now().toISOString();
    const key = await this.#run(() => markFileDeleted(this.#db, owner, fileName, now));
    if (key === undefined) throw fileNotFound(ref, fileName);
    await this.removeObject(key);
  }

  /** @throws DataRegistryError FILE_TOO_LARGE when `size` is over the limit. */
  checkSize(size: number): void {
    if (size > this.#maxUploadBytes) throw fileTooLarge(size, this.#maxUploadBytes);
  }

  /** @throws DataRegistryError RECORD_NOT_FOUND, DATASET_NOT_FOUND, VALIDATION_FAILED (`id`). */
  async requireOwner(ref: FileOwnerRef): Promise<FileOwner> {
    checkId(ref.id, 'id');
    const owner = await this.#run(() => selectLiveOwner(this.#db, ref));
    if (owner !== undefined) return owner;
    throw ref.kind === 'record'
      ? new DataRegistryError('RECORD_NOT_FOUND', `No live record has the id ${ref.id}.`, {
          id: ref.id,
        })
      : new DataRegistryError(
          'DATASET_NOT_FOUND',
          `No live dataset (of a live record) has the id ${ref.id}.`,
          { id: ref.id },
        );
  }

  /** Removes an object no longer needed; a failure is reported, never thrown. */
  async removeObject(key: string): Promise<void> {
    try {
      await this.#store.delete(key);
    } catch (error) {
      this.#onCleanupError(error, key);
    }
  }

  async #replaceWithRetries(
    owner: FileOwner,
    row: NewFileRow,
    alsoInTransaction: RecordVersionOptions['alsoInTransaction'],
  ): Promise<string | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#db.transaction().execute(async (trx) => {
          const previousKey = await replaceLiveFile(trx, owner, row);
          await alsoInTransaction?.(trx);
          return previousKey;
        });
      } catch (error) {
        const isRace = this.#dialect.classifyError(error) === 'unique-violation';
        if (isRace && attempt < replaceAttempts) continue;
        throw translateDatabaseError(this.#dialect, error);
      }
    }
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    return withDatabaseErrors(this.#dialect, work);
  }
}

export function fileNotFound(ref: FileOwnerRef, name: string): DataRegistryError {
  const owner = ref.kind === 'record' ? `Record ${ref.id}` : `Dataset ${ref.id}`;
  return new DataRegistryError(
    'FILE_NOT_FOUND',
    `${owner} has no live file named ${JSON.stringify(name)}; list its files to see their names.`,
    { name },
  );
}

export function fileTooLarge(size: number, maxBytes: number): DataRegistryError {
  return new DataRegistryError(
    'FILE_TOO_LARGE',
    `The file is ${size} bytes; this server accepts files of at most ${maxBytes} bytes (DATA_REGISTRY_MAX_UPLOAD_BYTES).`,
    { size, maxBytes },
  );
}
