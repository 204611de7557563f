// `purge --orphans`: walks the store, in key order, for what no row references — objects a
// crashed server stored without writing their row (or whose rows an older purge forgot), multipart
// uploads without a session, local temporary files of stopped uploads — and removes what is old
// enough. Bounded (`limit` objects per run) and resumable (`startAfter`, the last key a run examined).

import type { Kysely } from 'kysely';
import {
  compareObjectKeys,
  type ObjectInfo,
  type ObjectStore,
  type SweepOptions,
} from '../../storage/object-store.js';
import type { RegistryDatabase } from '../database.js';
import { hasSessionFor, selectSessionStorageKeysAmong } from '../uploads/upload-queries.js';
import { selectFileStorageKeysAmong, selectRecordStorageIdsAmong } from './purge-queries.js';
import { PurgeTally, type PurgedItem, type PurgeSummary } from './purge-report.js';
import { storageIdOfFileKey } from './storage-key.js';

/** Objects one `purge --orphans` examines unless told otherwise: a few seconds of listing. */
export const defaultOrphanSweepLimit = 10_000;
// Keys checked against the database per query: few round trips, and far below every dialect's
// limit on bound parameters (SQLite's is 32 766 since 3.32, 999 before).
const referenceCheckBatchSize = 500;
const defaultProgressEvery = 1000;
const progressIntervalMs = 1000;

export interface OrphanSweepOptions {
  /** Objects and temporary files last modified longer ago than this are removed (ms). */
  readonly olderThanMs: number;
  /** Multipart uploads without a session, started longer ago than this, are aborted (ms). */
  readonly uploadSessionMaxAgeMs: number;
  /** The most objects examined (listed) in this run, removed or not; at least 1. */
  readonly limit: number;
  /** Start after this key: the `resumeAfter` of the run before. */
  readonly startAfter?: string | undefined;
  /** Report what would be removed, and change nothing. */
  readonly isDryRun: boolean;
  /** Told of each removal as it happens. */
  readonly onPurged?: (item: PurgedItem) => void;
  /** Told how far the walk is, every `progressEvery` objects and at least once a second. */
  readonly onProgress?: (progress: OrphanSweepProgress) => void;
  readonly progressEvery?: number;
}

export interface OrphanSweepProgress {
  readonly examined: number;
  /** Unreferenced objects removed so far (checked in batches, so a little behind `examined`). */
  readonly removed: number;
  readonly lastKey: string;
}

export interface OrphanSweepSummary extends PurgeSummary {
  /** Objects listed by this run. */
  readonly examined: number;
  /**
   * The last key examined, when the limit stopped the walk before the end: pass it as
   * `startAfter` to go on. Undefined once the walk reached the end of the store.
   */
  readonly resumeAfter: string | undefined;
}

/** What the sweep works with; PurgeService holds them. */
export interface OrphanSweepContext {
  readonly db: Kysely<RegistryDatabase>;
  readonly store: ObjectStore;
  /** Runs a query, turning driver errors into DataRegistryError. */
  readonly run: <T>(work: () => Promise<T>) => Promise<T>;
  readonly now: () => Date;
}

/** The range of keys one run covers: after `startAfter`, up to `upTo` inclusive (or to the end). */
interface KeyRange {
  readonly startAfter?: string;
  readonly upTo?: string;
}

/**
 * Examines up to `limit` objects after `startAfter`, removing those old enough that no row
 * references; then, over the same range of keys, aborts multipart uploads no session tracks and
 * sweeps temporary files, so that runs resumed one after the other cover the store once.
 */
export async function sweepOrphans(
  context: OrphanSweepContext,
  options: OrphanSweepOptions,
): Promise<OrphanSweepSummary> {
  const now = context.now().getTime();
  const modifiedBefore = new Date(now - options.olderThanMs);
  const initiatedBefore = new Date(now - options.uploadSessionMaxAgeMs);
  const tally = new PurgeTally(options);
  const walk = await removeUnreferencedObjects(context, options, modifiedBefore, tally);
  const range: KeyRange = {
    ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
    ...(walk.resumeAfter === undefined ? {} : { upTo: walk.resumeAfter }),
  };
  await abortUntrackedUploads(context, range, initiatedBefore, tally);
  await sweepTemporaryFiles(context.store, range, modifiedBefore, tally);
  return { ...tally.summary(), examined: walk.examined, resumeAfter: walk.resumeAfter };
}

/**
 * The age keeps uploads in flight safe: their object is stored first and its file row (or, for
 * an upload session, the session row until the file row replaces it) written just after. Only
 * keys laid out as the registry writes them, under the storage id of one of its records (live or
 * deleted), are considered: the bucket or folder may hold what others put there, which is never
 * the registry's to remove.
 */
async function removeUnreferencedObjects(
  context: OrphanSweepContext,
  options: OrphanSweepOptions,
  modifiedBefore: Date,
  tally: PurgeTally,
): Promise<{ examined: number; resumeAfter: string | undefined }> {
  const every = options.progressEvery ?? defaultProgressEvery;
  const from = options.startAfter === undefined ? {} : { startAfter: options.startAfter };
  const listing = context.store.list('', from)[Symbol.asyncIterator]();
  let examined = 0;
  let lastKey: string | undefined;
  let isStoppedByLimit = false;
  let batch: ObjectInfo[] = [];
  let progressAt = Date.now();
  try {
    for (let next = await listing.next(); next.done !== true; next = await listing.next()) {
      // One object past the limit tells whether anything is left for another run.
      if (examined >= options.limit) {
        isStoppedByLimit = true;
        break;
      }
      const object = next.value;
      examined += 1;
      lastKey = object.key;
      if (object.lastModified < modifiedBefore && storageIdOfFileKey(object.key) !== undefined) {
        batch.push(object);
        if (batch.length >= referenceCheckBatchSize) {
          await removeUnreferenced(context, batch, tally);
          batch = [];
        }
      }
      if (examined % every === 0 || Date.now() - progressAt >= progressIntervalMs) {
        options.onProgress?.({ examined, removed: tally.objects, lastKey });
        progressAt = Date.now();
      }
    }
  } finally {
    await listing.return?.();
  }
  await removeUnreferenced(context, batch, tally);
  return { examined, resumeAfter: isStoppedByLimit ? lastKey : undefined };
}

async function removeUnreferenced(
  { db, store, run }: OrphanSweepContext,
  objects: readonly ObjectInfo[],
  tally: PurgeTally,
): Promise<void> {
  if (objects.length === 0) return;
  const keys = objects.map((object) => object.key);
  const storageIds = [...new Set(objects.map((object) => storageIdOfFileKey(object.key) ?? ''))];
  // Matched again here, byte for byte as the store names keys: MySQL's utf8mb4_bin, unlike
  // the store, ignores trailing spaces.
  const referenced = new Set([
    ...(await run(() => selectFileStorageKeysAmong(db, keys))),
    ...(await run(() => selectSessionStorageKeysAmong(db, keys))),
  ]);
  const ownStorageIds = new Set(await run(() => selectRecordStorageIdsAmong(db, storageIds)));
  for (const object of objects) {
    if (referenced.has(object.key)) continue;
    if (!ownStorageIds.has(storageIdOfFileKey(object.key) ?? '')) continue;
    if (!tally.isDryRun) await store.delete(object.key);
    tally.report({
      kind: 'unreferenced-object',
      key: object.key,
      size: object.size,
      lastModified: object.lastModified,
    });
  }
}

/** Multipart uploads of keys in `range`, started before `initiatedBefore`, that no session holds. */
async function abortUntrackedUploads(
  { db, store, run }: OrphanSweepContext,
  range: KeyRange,
  initiatedBefore: Date,
  tally: PurgeTally,
): Promise<void> {
  const multipart = store.multipart;
  if (multipart === undefined) return;
  const from = range.startAfter === undefined ? {} : { startAfter: range.startAfter };
  for await (const upload of multipart.listUnfinished('', from)) {
    if (range.upTo !== undefined && compareObjectKeys(upload.key, range.upTo) > 0) return;
    if (upload.initiated >= initiatedBefore) continue;
    if (await run(() => hasSessionFor(db, upload.uploadId))) continue;
    if (!tally.isDryRun) await multipart.abort(upload.key, upload.uploadId);
    tally.report({
      kind: 'orphaned-upload',
      key: upload.key,
      uploadId: upload.uploadId,
      initiated: upload.initiated,
    });
  }
}

async function sweepTemporaryFiles(
  store: ObjectStore,
  range: KeyRange,
  modifiedBefore: Date,
  tally: PurgeTally,
): Promise<void> {
  if (store.sweepTemporaryFiles === undefined) return;
  const options: SweepOptions = { ...range, isDryRun: tally.isDryRun };
  for await (const file of store.sweepTemporaryFiles(modifiedBefore, options))
    tally.report({ kind: 'temporary-file', ...file });
}
