// `purge`: removes for good what deletes only hid — the objects and file rows of records and
// datasets deleted long enough ago, and of file versions deleted or superseded — and aborts
// upload sessions idle too long. It works from the database's rows alone and never lists the
// store (so a run costs what there is to remove, not what is stored); `purgeOrphans` is the
// walk of the store for what no row references (orphan-sweep.ts). Never sees the CLI.

import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import { withDatabaseErrors } from '../shared/database-errors.js';
import {
  deleteSession,
  selectIdleSessions,
  selectSessionStorageKeysAmong,
  selectSessionsOf,
} from '../uploads/upload-queries.js';
import type { UploadSession } from '../uploads/upload-session.js';
import { sweepOrphans, type OrphanSweepOptions, type OrphanSweepSummary } from './orphan-sweep.js';
import {
  deleteFileRows,
  isStorageKeyUsed,
  selectDatasetsDeletedBefore,
  selectFileRowsOf,
  selectFileStorageKeysAmong,
  selectFileVersionsDeletedBefore,
  selectRecordsDeletedBefore,
  type DeletedOwner,
  type PurgedFileRow,
  type RowPage,
} from './purge-queries.js';
import { PurgeTally, type PurgedItem, type PurgeSummary } from './purge-report.js';

export type { PurgedItem, PurgeSummary } from './purge-report.js';
export type {
  OrphanSweepOptions,
  OrphanSweepProgress,
  OrphanSweepSummary,
} from './orphan-sweep.js';
export { defaultOrphanSweepLimit } from './orphan-sweep.js';

// File rows read, checked and removed per round trip: memory stays flat however much a deleted
// record held, and the reference check (a key and an id per row) stays below every dialect's
// limit on bound parameters (SQLite's is 999 before 3.32).
const rowPageSize = 400;

export interface PurgeOptions {
  /** Records, datasets and file versions deleted longer ago than this are removed (ms). */
  readonly olderThanMs: number;
  /** Upload sessions idle longer than this are aborted (ms). */
  readonly uploadSessionMaxAgeMs: number;
  /** Superseded versions among the n newest of a live file are kept, however old. */
  readonly keepVersions?: number | undefined;
  /** Report what would be removed, and change nothing. */
  readonly isDryRun: boolean;
  /** Told of each removal as it happens. */
  readonly onPurged?: (item: PurgedItem) => void;
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
   * Purges, in this order: the upload sessions, objects and file rows of records, then of
   * datasets, deleted before the cutoff; file versions deleted or superseded before it (but the
   * `keepVersions` newest of a live file); idle upload sessions. Each object goes before its row,
   * and an object another row or an upload session still references stays. Each removal is
   * reported once done (in a dry run, instead of it). Lists nothing: objects no row names any
   * more are `purgeOrphans`'s. Safe to run again after a failure: what is gone is not found again.
   *
   * @throws DataRegistryError DATABASE_UNAVAILABLE, STORAGE_UNAVAILABLE.
   */
  async purge(options: PurgeOptions): Promise<PurgeSummary> {
    const now = this.#now().getTime();
    const cutoff = new Date(now - options.olderThanMs).toISOString();
    const idleSince = new Date(now - options.uploadSessionMaxAgeMs).toISOString();
    const tally = new PurgeTally(options);
    const records = await this.#run(() => selectRecordsDeletedBefore(this.#db, cutoff));
    const datasets = await this.#run(() => selectDatasetsDeletedBefore(this.#db, cutoff));
    for (const owner of [...records, ...datasets]) await this.#purgeOwner(owner, tally);
    await this.#purgeRowPages(
      (page) => selectFileVersionsDeletedBefore(this.#db, cutoff, options.keepVersions, page),
      (key, size) => ({ kind: 'file-version', key, size }),
      tally,
    );
    const idle = await this.#run(() => selectIdleSessions(this.#db, idleSince));
    for (const session of idle) await this.#abortSession(session, tally);
    return tally.summary();
  }

  /**
   * Walks the store for what no row references: objects, multipart uploads without a session
   * and local temporary files, at most `limit` objects from after `startAfter`; see orphan-sweep.ts.
   *
   * @throws DataRegistryError DATABASE_UNAVAILABLE, STORAGE_UNAVAILABLE.
   */
  purgeOrphans(options: OrphanSweepOptions): Promise<OrphanSweepSummary> {
    return sweepOrphans(
      { db: this.#db, store: this.#store, run: this.#run, now: this.#now },
      options,
    );
  }

  async #purgeOwner(owner: DeletedOwner, tally: PurgeTally): Promise<void> {
    const sessions = await this.#run(() => selectSessionsOf(this.#db, owner));
    for (const session of sessions) await this.#abortSession(session, tally);
    await this.#purgeRowPages(
      (page) => selectFileRowsOf(this.#db, owner, page),
      (key, size) => ({
        kind: 'object',
        key,
        size,
        recordId: owner.recordId,
        datasetId: owner.datasetId,
        deletedAt: owner.deletedAt,
      }),
      tally,
    );
  }

  /** Removes the objects, then the rows, of each page `selectPage` gives, until one is empty. */
  async #purgeRowPages(
    selectPage: (page: RowPage) => Promise<PurgedFileRow[]>,
    describe: (key: string, size: number) => PurgedItem,
    tally: PurgeTally,
  ): Promise<void> {
    let afterId: string | undefined;
    for (;;) {
      const rows = await this.#run(() => selectPage({ afterId, limit: rowPageSize }));
      if (rows.length === 0) return;
      await this.#purgeRows(rows, describe, tally);
      afterId = rows.at(-1)?.id;
    }
  }

  async #purgeRows(
    rows: readonly PurgedFileRow[],
    describe: (key: string, size: number) => PurgedItem,
    tally: PurgeTally,
  ): Promise<void> {
    const ids = rows.map((row) => row.id);
    const keys = rows.map((row) => row.storageKey);
    // Matched byte for byte here: MySQL's utf8mb4_bin, unlike the store, ignores trailing spaces.
    const referenced = new Set([
      ...(await this.#run(() => selectFileStorageKeysAmong(this.#db, keys, ids))),
      ...(await this.#run(() => selectSessionStorageKeysAmong(this.#db, keys))),
    ]);
    for (const { storageKey } of rows) {
      if (referenced.has(storageKey) || tally.hasReportedKey(storageKey)) continue;
      // Absent when an earlier run removed it and then failed before forgetting its row.
      const object = await this.#store.head(storageKey);
      if (object === undefined) continue;
      if (!tally.isDryRun) await this.#store.delete(storageKey);
      tally.report(describe(storageKey, object.size));
    }
    if (!tally.isDryRun) await this.#run(() => deleteFileRows(this.#db, ids));
  }

  async #abortSession(session: UploadSession, tally: PurgeTally): Promise<void> {
    // In a dry run, a deleted record's session is idle too, and found twice.
    if (tally.hasAbortedSession(session.id)) return;
    if (!tally.isDryRun) {
      await this.#store.multipart?.abort(session.storageKey, session.multipartUploadId);
      // A complete that assembled the object but crashed before writing the file's row.
      const isFile = await this.#run(() => isStorageKeyUsed(this.#db, session.storageKey));
      if (!isFile) await this.#store.delete(session.storageKey);
      await this.#run(() => deleteSession(this.#db, session.id));
    }
    tally.report({
      kind: 'upload-session',
      sessionId: session.id,
      key: session.storageKey,
      recordId: session.recordId,
      updatedAt: session.updatedAt,
    });
  }

  readonly #run = <T>(work: () => Promise<T>): Promise<T> =>
    withDatabaseErrors(this.#dialect, work);
}
