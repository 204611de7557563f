// Files of records and datasets and their versions: upload (streamed into the object store, the
// row written only once every byte is stored; each upload to a name is a new version and the
// earlier ones are kept), list, find, read, delete and restore. Decides keys; never sees HTTP.
// Writing a version's row (conditions, races, removing orphaned bytes) is file-version-writer.ts.

import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { ByteRange, ObjectStore } from '../../storage/object-store.js';
import { DataRegistryError } from '../../shared/errors.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import { withDatabaseErrors } from '../shared/database-errors.js';
import { checkId } from '../shared/entity-id.js';
import { checkPageLimit, decodeCursor, toPage, type Page } from '../shared/page-cursor.js';
import {
  checkVersionNumber,
  checksumMismatch,
  fileNotFound,
  fileTooLarge,
  fileVersionNotFound,
} from './file-errors.js';
import { checkContentType, checkFileName } from './file-name.js';
import {
  selectDeletedFiles,
  selectLiveFile,
  selectLiveFiles,
  selectLiveOwner,
} from './file-queries.js';
import {
  markFileDeleted,
  markVersionDeleted,
  restoreLatestDeleted,
  selectKeptVersion,
  selectKeptVersions,
} from './file-version-queries.js';
import { FileVersionWriter, type UploadResult } from './file-version-writer.js';
import { fileStorageKey } from './storage-key.js';
import type {
  DeletedFile,
  FileListQuery,
  FileOwner,
  FileOwnerRef,
  StoredFile,
} from './stored-file.js';
import type { WriteCondition } from './write-condition.js';

export interface FileServiceOptions {
  readonly store: ObjectStore;
  /** The largest file accepted, in bytes (DATA_REGISTRY_MAX_UPLOAD_BYTES). */
  readonly maxUploadBytes: number;
  /** The clock; default the system's. */
  readonly now?: () => Date;
  /**
   * Told when an object that is no longer needed (bytes whose row could not be written) could
   * not be removed; `purge` removes it later. Default: ignored.
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
  /** The API key's name, recorded as the version's `createdBy`; default null. */
  readonly createdBy?: string | null | undefined;
  /** Write only if the live version is as this says (If-None-Match, If-Match). */
  readonly condition?: WriteCondition | undefined;
  /** The SHA-256 (lowercase hex) the client declares; the stored bytes must have it. */
  readonly declaredSha256?: string | undefined;
}

/**
 * Every method checks its input first (VALIDATION_FAILED naming the field), answers
 * RECORD_NOT_FOUND / DATASET_NOT_FOUND unless the owner is live, and throws DATABASE_UNAVAILABLE
 * and the store's STORAGE_UNAVAILABLE as they come. Files of a deleted record or dataset are
 * hidden, not removed: `purge` removes them once they have been deleted long enough.
 */
export class FileService {
  /** Writes new versions: this service's uploads, and upload sessions' `complete`. */
  readonly writer: FileVersionWriter;
  readonly #db: Kysely<RegistryDatabase>;
  readonly #dialect: DialectAdapter;
  readonly #store: ObjectStore;
  readonly #maxUploadBytes: number;
  readonly #now: () => Date;

  constructor(handle: DatabaseHandle, options: FileServiceOptions) {
    this.writer = new FileVersionWriter(handle, options);
    this.#db = registryDb(handle);
    this.#dialect = handle.dialect;
    this.#store = options.store;
    this.#maxUploadBytes = options.maxUploadBytes;
    this.#now = options.now ?? (() => new Date());
  }

  /** The largest file accepted, in bytes. */
  get maxUploadBytes(): number {
    return this.#maxUploadBytes;
  }

  /**
   * Streams `body` into a new object and then, in one transaction, makes it the owner's latest
   * version of that name: version 1 for a new name, else one past the highest (readers see the
   * previous version until the new one is complete, then the new one); the previous version is
   * kept, stored and readable. When anything fails — the body errors or `signal` aborts, more
   * than the limit arrives, the condition does not hold, the store or the database fails — no
   * row is written and no object is left.
   *
   * @throws DataRegistryError VALIDATION_FAILED (`filename`, `content_type`), RECORD_NOT_FOUND,
   *   DATASET_NOT_FOUND, FILE_TOO_LARGE (from `declaredSize` before reading, or while streaming),
   *   FILE_EXISTS, FILE_CHANGED (the condition), CHECKSUM_MISMATCH (`declaredSha256`),
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
    // The store hashed the bytes as they streamed in; no row is written for the wrong ones.
    if (options.declaredSha256 !== undefined && stored.sha256 !== options.declaredSha256) {
      await this.writer.removeObject(storageKey);
      throw checksumMismatch(stored.sha256, options.declaredSha256);
    }
    const row = {
      name: fileName,
      ...stored,
      contentType,
      storageKey,
      now: now.toISOString(),
      createdBy: options.createdBy ?? null,
    };
    return this.writer.recordVersion(owner, row, { condition: options.condition });
  }

  /** The owner's live files (the latest version of each), oldest upload first, one page at a time. */
  async list(ref: FileOwnerRef, query: FileListQuery = {}): Promise<Page<StoredFile>> {
    const limit = checkPageLimit(query.limit, 'limit');
    const afterId =
      query.cursor === undefined ? undefined : decodeCursor('files', query.cursor, 'cursor');
    const owner = await this.requireOwner(ref);
    const rows = await this.#run(() => selectLiveFiles(this.#db, owner, afterId, limit + 1));
    return toPage('files', rows, limit);
  }

  /**
   * The owner's deleted files that `restore` can bring back (until purge removes them), oldest
   * upload first: for each name, the version restore would make live again.
   */
  async listDeleted(ref: FileOwnerRef, query: FileListQuery = {}): Promise<Page<DeletedFile>> {
    const limit = checkPageLimit(query.limit, 'limit');
    const afterId =
      query.cursor === undefined
        ? undefined
        : decodeCursor('deleted-files', query.cursor, 'cursor');
    const owner = await this.requireOwner(ref);
    const rows = await this.#run(() => selectDeletedFiles(this.#db, owner, afterId, limit + 1));
    return toPage('deleted-files', rows, limit);
  }

  /**
   * The latest version of the owner's live file of that name, or the given version of it.
   *
   * @throws DataRegistryError FILE_NOT_FOUND unless the owner has a live file of that name,
   *   FILE_VERSION_NOT_FOUND when it has no such version, VALIDATION_FAILED (`version`).
   */
  async find(ref: FileOwnerRef, name: string, version?: number): Promise<StoredFile> {
    const fileName = checkFileName(name, 'filename');
    if (version !== undefined) checkVersionNumber(version);
    const owner = await this.requireOwner(ref);
    const latest = await this.#run(() => selectLiveFile(this.#db, owner, fileName));
    if (latest === undefined) throw fileNotFound(ref, fileName);
    if (version === undefined || version === latest.version) return latest;
    const kept = await this.#run(() => selectKeptVersion(this.#db, owner, fileName, version));
    if (kept === undefined) throw fileVersionNotFound(fileName, version, latest.version);
    return kept;
  }

  /**
   * The versions of the owner's live file of that name, newest first, one page at a time: the
   * latest, then the kept ones (deleted versions are left out).
   *
   * @throws DataRegistryError FILE_NOT_FOUND, VALIDATION_FAILED (`limit`, `cursor`).
   */
  async listVersions(
    ref: FileOwnerRef,
    name: string,
    query: FileListQuery = {},
  ): Promise<Page<StoredFile>> {
    const limit = checkPageLimit(query.limit, 'limit');
    const below =
      query.cursor === undefined
        ? undefined
        : Number(decodeCursor('file-versions', query.cursor, 'cursor'));
    const latest = await this.find(ref, name);
    const owner = await this.requireOwner(ref);
    const first = below === undefined ? [{ ...latest, id: String(latest.version) }] : [];
    const kept = await this.#run(() =>
      selectKeptVersions(
        this.#db,
        owner,
        latest.name,
        below ?? latest.version,
        limit + 1 - first.length,
      ),
    );
    return toPage('file-versions', [...first, ...kept], limit);
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
   * Deletes the owner's live file of that name with all its versions, or only the given version.
   * A soft delete: the rows are marked and the objects stay until `purge` removes them, so
   * `restore` can bring the file back. Deleting the latest version makes the previous one the
   * latest; deleting the only one deletes the file.
   *
   * @throws DataRegistryError FILE_NOT_FOUND, FILE_VERSION_NOT_FOUND, VALIDATION_FAILED.
   */
  async delete(ref: FileOwnerRef, name: string, version?: number): Promise<void> {
    const fileName = checkFileName(name, 'filename');
    if (version !== undefined) checkVersionNumber(version);
    const owner = await this.requireOwner(ref);
    const now = this.#now().toISOString();
    if (version === undefined) {
      const isDeleted = await this.#transaction((trx) =>
        markFileDeleted(trx, owner, fileName, now),
      );
      if (!isDeleted) throw fileNotFound(ref, fileName);
      return;
    }
    const outcome = await this.#transaction((trx) =>
      markVersionDeleted(trx, owner, fileName, version, now),
    );
    if (outcome === 'file-not-found') throw fileNotFound(ref, fileName);
    if (outcome === 'version-not-found') throw fileVersionNotFound(fileName, version);
  }

  /**
   * Brings back the owner's deleted file of that name: the version that was latest when it was
   * deleted, with the versions kept before it. Possible until `purge` has removed it.
   *
   * @throws DataRegistryError FILE_NOT_DELETED (the name is live), FILE_NOT_FOUND (nothing of
   *   that name is left to restore).
   */
  async restore(ref: FileOwnerRef, name: string): Promise<StoredFile> {
    const fileName = checkFileName(name, 'filename');
    const owner = await this.requireOwner(ref);
    const isStored = async (key: string) => (await this.#store.head(key)) !== undefined;
    const outcome = await this.#transaction((trx) =>
      restoreLatestDeleted(trx, owner, fileName, isStored),
    );
    if (outcome.kind === 'restored') return outcome.file;
    if (outcome.kind === 'live') {
      throw new DataRegistryError(
        'FILE_NOT_DELETED',
        `${JSON.stringify(fileName)} is live; restore brings back deleted files only. To go back to an earlier version, download it (?version=N) and upload it again, or delete the later versions.`,
        { name: fileName },
      );
    }
    const owned = ref.kind === 'record' ? `Record ${ref.id}` : `Dataset ${ref.id}`;
    throw new DataRegistryError(
      'FILE_NOT_FOUND',
      `${owned} has no deleted file named ${JSON.stringify(fileName)} that can be restored (never uploaded, or purged).`,
      { name: fileName },
    );
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

  #transaction<T>(work: (trx: Transaction<RegistryDatabase>) => Promise<T>): Promise<T> {
    return this.#run(() => this.#db.transaction().execute(work));
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    return withDatabaseErrors(this.#dialect, work);
  }
}
