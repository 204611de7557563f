// `purge --older-than 30d [--dry-run]`: removes the stored bytes that deletes only hid and aborts
// abandoned upload sessions, from the database's rows; `purge --orphans [--limit N] [--start-after
// KEY]` walks the store for what no row references. One line per removal (stdout); progress and a
// summary, with where to resume, on stderr.

import { loadConfig, requireDatabaseUrl, type ConfigFlags } from '../../config/config.js';
import { parseDuration } from '../../config/quantities.js';
import { openDatabase } from '../../db/connect.js';
import {
  defaultOrphanSweepLimit,
  PurgeService,
  type OrphanSweepSummary,
  type PurgedItem,
  type PurgeSummary,
} from '../../registry/files/purge-service.js';
import { DataRegistryError } from '../../shared/errors.js';
import { openObjectStore } from '../../storage/open-object-store.js';
import { printInfo, printResult, printWarning } from '../output.js';

export interface PurgeFlags extends ConfigFlags {
  readonly olderThan: string;
  readonly dryRun?: boolean;
  readonly orphans?: boolean;
  readonly limit?: string;
  readonly startAfter?: string;
}

export async function purgeCommand(flags: PurgeFlags): Promise<void> {
  const olderThanMs = parseDuration(flags.olderThan);
  if (olderThanMs === undefined) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--older-than \`${flags.olderThan}\` is not a duration; give one such as 30d, 12h or 2w.`,
      { option: '--older-than' },
    );
  }
  const isDryRun = flags.dryRun ?? false;
  const orphanLimit = checkOrphanFlags(flags);
  const config = await loadConfig(flags);
  config.warnings.forEach(printWarning);
  // A new database has no records to purge: a missing SQLite file is an error, never created.
  const handle = await openDatabase(requireDatabaseUrl(config, 'server'), {
    mode: isDryRun ? 'read-only' : 'existing',
    applicationName: 'dataregistry purge',
  });
  try {
    const store = await openObjectStore(config.storage);
    const service = new PurgeService(handle, { store });
    const common = {
      olderThanMs,
      uploadSessionMaxAgeMs: config.storage.uploadSessionMaxAgeMs,
      isDryRun,
      onPurged: (item: PurgedItem) => printResult(describePurgedItem(item, isDryRun)),
    };
    if (orphanLimit === undefined) {
      const summary = await service.purge({ ...common, keepVersions: config.storage.keepVersions });
      printInfo(describeSummary(summary, store.location, isDryRun));
      return;
    }
    const summary = await service.purgeOrphans({
      ...common,
      limit: orphanLimit,
      startAfter: flags.startAfter,
      onProgress: ({ examined, removed, lastKey }) =>
        printInfo(`examined ${plural(examined, 'object')}, ${removed} unreferenced; at ${lastKey}`),
    });
    printInfo(describeSummary(summary, store.location, isDryRun, true));
    printInfo(describeWalk(summary, flags.startAfter));
  } finally {
    await handle.close();
  }
}

/** The --limit of `purge --orphans`, or undefined for a plain purge (which takes neither flag). */
function checkOrphanFlags(flags: PurgeFlags): number | undefined {
  if (flags.orphans !== true) {
    const stray =
      flags.limit !== undefined
        ? '--limit'
        : flags.startAfter !== undefined
          ? '--start-after'
          : undefined;
    if (stray === undefined) return undefined;
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `${stray} bounds the walk of the store, which only purge --orphans does; add --orphans.`,
      { option: stray },
    );
  }
  if (flags.limit === undefined) return defaultOrphanSweepLimit;
  const limit = /^[0-9]+$/.test(flags.limit) ? Number(flags.limit) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--limit \`${flags.limit}\` is not a positive whole number of objects; give one such as ${defaultOrphanSweepLimit}.`,
      { option: '--limit' },
    );
  return limit;
}

/** Where the walk went, and how to go on when it stopped at the limit. */
function describeWalk(summary: OrphanSweepSummary, startAfter: string | undefined): string {
  const from = startAfter === undefined ? 'from the start' : `after ${startAfter}`;
  const examined = `Examined ${plural(summary.examined, 'object')} ${from}`;
  if (summary.resumeAfter === undefined) return `${examined} to the end of the store.`;
  return (
    `${examined} up to ${summary.resumeAfter}, the limit; more remain: run again with ` +
    `--start-after ${quoteForShell(summary.resumeAfter)} to go on.`
  );
}

/** `key` as one shell word: as is when it is plain, else in single quotes. */
function quoteForShell(key: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(key) ? key : `'${key.replace(/'/g, `'\\''`)}'`;
}

/** One line per removal, e.g. `removed object r-1/…/data.csv (1024 bytes; record 42, deleted …)`. */
export function describePurgedItem(item: PurgedItem, isDryRun: boolean): string {
  const remove = isDryRun ? 'would remove' : 'removed';
  const abort = isDryRun ? 'would abort' : 'aborted';
  switch (item.kind) {
    case 'object': {
      const owner =
        item.datasetId === null
          ? `record ${item.recordId}`
          : `dataset ${item.datasetId} of record ${item.recordId}`;
      return `${remove} object ${item.key} (${item.size} bytes; ${owner}, deleted ${item.deletedAt})`;
    }
    case 'file-version':
      return `${remove} object ${item.key} (${item.size} bytes; a deleted or superseded file version)`;
    case 'upload-session':
      return `${abort} upload session ${item.sessionId} of record ${item.recordId} (${item.key}; last active ${item.updatedAt})`;
    case 'orphaned-upload':
      return `${abort} multipart upload ${item.uploadId} of ${item.key} (no upload session; started ${item.initiated.toISOString()})`;
    case 'temporary-file':
      return `${remove} temporary file ${item.path} (${item.size} bytes; an upload that stopped, last written ${item.lastModified.toISOString()})`;
    case 'unreferenced-object':
      return `${remove} object ${item.key} (${item.size} bytes; no file or upload session references it, last modified ${item.lastModified.toISOString()})`;
    default:
      return item satisfies never;
  }
}

function describeSummary(
  summary: PurgeSummary,
  location: string,
  isDryRun: boolean,
  isOrphanSweep = false,
): string {
  const objects = `${plural(summary.objects, isOrphanSweep ? 'unreferenced object' : 'object')} (${summary.bytes} bytes)`;
  const counts = isOrphanSweep
    ? `${objects}, ${plural(summary.orphanedUploads, 'orphaned multipart upload')}, ` +
      plural(summary.temporaryFiles, 'temporary file')
    : `${objects}, ${plural(summary.uploadSessions, 'upload session')}`;
  return isDryRun
    ? `Dry run: would purge ${counts} from ${location}; nothing was changed.`
    : `Purged ${counts} from ${location}.`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
