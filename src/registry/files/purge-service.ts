// `purge`: removes for good what deletes only hid — the objects of records and datasets deleted
// long enough ago, versions whose removal failed, objects no row references — and aborts upload
// sessions idle too long and multipart uploads nothing tracks. Reports each removal as it
// happens; never sees the CLI.

import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { ObjectInfo, ObjectStore } from '../../storage/object-store.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import { withDatabaseErrors } from '../shared/database-errors.js';
import {
  deleteSession,
  hasSessionFor,
  selectIdleSessions,
  selectSessionStorageKeysAmong,
  selectSessionsOf,
} from '../uploads/upload-queries.js';
import type { UploadSession } from '../uploads/upload-session.js';
import {
  deleteFileRow,
  deleteFileRowsOf,
  isStorageKeyUsed,
  selectDatasetsDeletedBefore,
  selectFileStorageKeysAmong,
  selectFileVersionsDeletedBefore,
  selectRecordStorageIdsAmong,
  selectRecordsDeletedBefore,
  type DeletedOwner,
} from './purge-queries.js';
import { ownerKeyPrefix, storageIdOfFileKey } from './storage-key.js';

// Keys checked against the database per query: few round trips, and far below every dialect's
// limit on bound parameters (SQLite's is 32 766 since 3.32, 999 before).
const referenceCheckBatchSize = 500;

/** One thing purge removed (or, in a dry run, would remove). */
export type PurgedItem =
  | {
      /** An object of a record or dataset deleted before the cutoff. */
      readonly kind: 'object';
      readonly key: string;
      readonly size: number;
      readonly recordId: string;
      readonly datasetId: string | null;
      readonly deletedAt: string;
    }
  | {
      /** The object of a file version deleted, or superseded by a newer version, before the cutoff. */
      readonly kind: 'file-version';
      readonly key: string;
      readonly size: number;
    }
  | {
      /** An upload session idle past the maximum age, or of a purged record or dataset. */
      readonly kind: 'upload-session';
      readonly sessionId: string;
      readonly key: string;
      readonly recordId: string;
      readonly updatedAt: string;
    }
  | {
      /** A multipart upload without a session (a crashed server's), older than the maximum age. */
      readonly kind: 'orphaned-upload';
      readonly key: string;
      readonly uploadId: string;
      readonly initiated: Date;
    }
  | {
      /**
       * An object with a key as the registry writes them, under a record's storage id, that no
       * file row (live or deleted) and no upload session references, last modified before the
       * cutoff: a server crashed between storing it and writing its file row.
       */
      readonly kind: 'unreferenced-object';
      readonly key: string;
      readonly size: number;
      readonly lastModified: Date;
    }
  | {
      /** A local upload's temporary file, last written before the cutoff: its upload stopped. */
      readonly kind: 'temporary-file';
      readonly path: string;
      readonly size: number;
      readonly lastModified: Date;
    };

export interface PurgeOptions {
  /**
   * Records, datasets and file versions deleted longer ago than this are removed, and so are
   * objects nothing references that were last modified longer ago (ms).
   */
  readonly olderThanMs: number;
  /** Upload sessions idle longer than this, and untracked multipart uploads older, are aborted (ms). */
  readonly uploadSessionMaxAgeMs: number;
  /** Superseded versions among the n newest of a live file are kept, however old. */
  readonly keepVersions?: number | undefined;
  /** Report what would be removed, and change nothing. */
  readonly isDryRun: boolean;
  /** Told of each removal as it happens. */
  readonly onPurged?: (item: PurgedItem) => void;
}

export interface PurgeSummary {
  readonly objects: number;
  readonly bytes: number;
  readonly uploadSessions: number;
  readonly orphanedUploads: number;
  readonly temporaryFiles: number;
}

export class PurgeService {
  readonly #db: Kysely<RegistryDatabase>;
  readonly #dialect: DialectAdapter;
  readonly #store: ObjectStore;
  readonly #now: () => Date;

  constructor(handle: DatabaseHandle, options: { store: ObjectStore; now?: () => Date }) {
    this.#db = registryDb(handle);
    this.#dialect = handle.dialect;
    this.#store = options.store;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Purges, in this order: the objects (and file rows and upload sessions) of records, then of
   * datasets, deleted before the cutoff; file versions deleted or superseded before it (but the
   * `keepVersions` newest of a live file); idle upload sessions; orphaned multipart uploads; local
   * temporary files last written before the cutoff; objects last modified before it that no file
   * row or upload session references. Each removal is reported once done (in a dry run, instead of it).
   * Safe to run again after a failure: what is gone is not found again.
   *
   * @throws DataRegistryError DATABASE_UNAVAILABLE, STORAGE_UNAVAILABLE.
   */
  async purge(options: PurgeOptions): Promise<PurgeSummary> {
    const now = this.#now().getTime();
    const cutoff = new Date(now - options.olderThanMs).toISOString();
    const idleSince = new Date(now - options.uploadSessionMaxAgeMs);
    const run = new PurgeRun(options);
    const records = await this.#run(() => selectRecordsDeletedBefore(this.#db, cutoff));
    const datasets = await this.#run(() => selectDatasetsDeletedBefore(this.#db, cutoff));
    for (const owner of [...records, ...datasets]) await this.#purgeOwner(owner, run);
    await this.#purgeFileVersions(cutoff, options.keepVersions, run);
    const idle = await this.#run(() => selectIdleSessions(this.#db, idleSince.toISOString()));
    for (const session of idle) await this.#abortSession(session, run);
    await this.#abortOrphanedUploads(idleSince, run);
    await this.#sweepTemporaryFiles(new Date(cutoff), run);
    // Last, so that what the steps above remove (and their rows) is gone before the listing.
    await this.#removeUnreferencedObjects(new Date(cutoff), run);
    return run.summary();
  }

  async #purgeOwner(owner: DeletedOwner, run: PurgeRun): Promise<void> {
    const sessions = await this.#run(() => selectSessionsOf(this.#db, owner));
    for (const session of sessions) await this.#abortSession(session, run);
    for await (const object of this.#store.list(ownerKeyPrefix(owner))) {
      if (!run.isDryRun) await this.#store.delete(object.key);
      run.report({
        kind: 'object',
        key: object.key,
        size: object.size,
        recordId: owner.recordId,
        datasetId: owner.datasetId,
        deletedAt: owner.deletedAt,
      });
    }
    if (!run.isDryRun) await this.#run(() => deleteFileRowsOf(this.#db, owner));
  }

  async #purgeFileVersions(
    cutoff: string,
    keepVersions: number | undefined,
    run: PurgeRun,
  ): Promise<void> {
    const versions = await this.#run(() =>
      selectFileVersionsDeletedBefore(this.#db, cutoff, keepVersions),
    );
    for (const version of versions) {
      const object = await this.#store.head(version.storageKey);
      if (object !== undefined) {
        if (!run.isDryRun) await this.#store.delete(version.storageKey);
        run.report({ kind: 'file-version', key: version.storageKey, size: object.size });
      }
      if (!run.isDryRun) await this.#run(() => deleteFileRow(this.#db, version.id));
    }
  }

  async #abortSession(session: UploadSession, run: PurgeRun): Promise<void> {
    // In a dry run, a deleted record's session is idle too, and found twice.
    if (run.hasAbortedSession(session.id)) return;
    if (!run.isDryRun) {
      await this.#store.multipart?.abort(session.storageKey, session.multipartUploadId);
      // A complete that assembled the object but crashed before writing the file's row.
      const isFile = await this.#run(() => isStorageKeyUsed(this.#db, session.storageKey));
      if (!isFile) await this.#store.delete(session.storageKey);
      await this.#run(() => deleteSession(this.#db, session.id));
    }
    run.report({
      kind: 'upload-session',
      sessionId: session.id,
      key: session.storageKey,
      recordId: session.recordId,
      updatedAt: session.updatedAt,
    });
  }

  async #abortOrphanedUploads(initiatedBefore: Date, run: PurgeRun): Promise<void> {
    const multipart = this.#store.multipart;
    if (multipart === undefined) return;
    for await (const upload of multipart.listUnfinished('')) {
      if (upload.initiated >= initiatedBefore || run.hasAborted(upload.uploadId)) continue;
      if (await this.#run(() => hasSessionFor(this.#db, upload.uploadId))) continue;
      if (!run.isDryRun) await multipart.abort(upload.key, upload.uploadId);
      run.report({
        kind: 'orphaned-upload',
        key: upload.key,
        uploadId: upload.uploadId,
        initiated: upload.initiated,
      });
    }
  }

  async #sweepTemporaryFiles(modifiedBefore: Date, run: PurgeRun): Promise<void> {
    if (this.#store.sweepTemporaryFiles === undefined) return;
    const swept = this.#store.sweepTemporaryFiles(modifiedBefore, { isDryRun: run.isDryRun });
    for await (const file of swept) run.report({ kind: 'temporary-file', ...file });
  }

  /**
   * Objects stored before `modifiedBefore` that no row references. The age keeps uploads in
   * flight safe: their object is stored first and its file row (or, for an upload session, the
   * session row until the file row replaces it) written just after. Only keys laid out as the
   * registry writes them, under the storage id of one of its records, are considered: the bucket
   * or folder may hold what others put there, which is never the registry's to remove.
   */
  async #removeUnreferencedObjects(modifiedBefore: Date, run: PurgeRun): Promise<void> {
    let batch: ObjectInfo[] = [];
    for await (const object of this.#store.list('')) {
      if (object.lastModified >= modifiedBefore) continue;
      if (storageIdOfFileKey(object.key) === undefined) continue;
      batch.push(object);
      if (batch.length < referenceCheckBatchSize) continue;
      await this.#removeUnreferenced(batch, run);
      batch = [];
    }
    await this.#removeUnreferenced(batch, run);
  }

  async #removeUnreferenced(objects: readonly ObjectInfo[], run: PurgeRun): Promise<void> {
    if (objects.length === 0) return;
    const keys = objects.map((object) => object.key);
    const storageIds = [...new Set(objects.map((object) => storageIdOfFileKey(object.key) ?? ''))];
    // Matched again here, byte for byte as the store names keys: MySQL's utf8mb4_bin, unlike
    // the store, ignores trailing spaces.
    const referenced = new Set([
      ...(await this.#run(() => selectFileStorageKeysAmong(this.#db, keys))),
      ...(await this.#run(() => selectSessionStorageKeysAmong(this.#db, keys))),
    ]);
    const ownStorageIds = new Set(
      await this.#run(() => selectRecordStorageIdsAmong(this.#db, storageIds)),
    );
    for (const object of objects) {
      if (referenced.has(object.key)) continue;
      if (!ownStorageIds.has(storageIdOfFileKey(object.key) ?? '')) continue;
      if (!run.isDryRun) await this.#store.delete(object.key);
      run.report({
        kind: 'unreferenced-object',
        key: object.key,
        size: object.size,
        lastModified: object.lastModified,
      });
    }
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    return withDatabaseErrors(this.#dialect, work);
  }
}

/** What one purge has done so far. */
class PurgeRun {
  readonly isDryRun: boolean;
  readonly #onPurged: (item: PurgedItem) => void;
  readonly #abortedUploads = new Set<string>();
  readonly #abortedSessions = new Set<string>();
  #objects = 0;
  #bytes = 0;
  #sessions = 0;
  #orphans = 0;
  #temporaryFiles = 0;

  constructor(options: PurgeOptions) {
    this.isDryRun = options.isDryRun;
    this.#onPurged = options.onPurged ?? (() => undefined);
  }

  report(item: PurgedItem): void {
    switch (item.kind) {
      case 'object':
      case 'file-version':
      case 'unreferenced-object':
        this.#objects += 1;
        this.#bytes += item.size;
        break;
      case 'upload-session':
        this.#sessions += 1;
        this.#abortedSessions.add(item.sessionId);
        break;
      case 'orphaned-upload':
        this.#orphans += 1;
        this.#abortedUploads.add(item.uploadId);
        break;
      case 'temporary-file':
        this.#temporaryFiles += 1;
        break;
      default:
        return item satisfies never;
    }
    this.#onPurged(item);
  }

  hasAborted(uploadId: string): boolean {
    return this.#abortedUploads.has(uploadId);
  }

  hasAbortedSession(sessionId: string): boolean {
    return this.#abortedSessions.has(sessionId);
  }

  summary(): PurgeSummary {
    return {
      objects: this.#objects,
      bytes: this.#bytes,
      uploadSessions: this.#sessions,
      orphanedUploads: this.#orphans,
      temporaryFiles: this.#temporaryFiles,
    };
  }
}
