// `purge --older-than 30d [--dry-run]`: removes the stored bytes that deletes only hid or nothing
// references, and aborts abandoned uploads, printing one line per removal (stdout) and a summary (stderr).

import { loadConfig, requireDatabaseUrl, type ConfigFlags } from '../../config/config.js';
import { parseDuration } from '../../config/quantities.js';
import { openDatabase } from '../../db/connect.js';
import {
  PurgeService,
  type PurgedItem,
  type PurgeSummary,
} from '../../registry/files/purge-service.js';
import { DataRegistryError } from '../../shared/errors.js';
import { openObjectStore } from '../../storage/open-object-store.js';
import { printInfo, printResult, printWarning } from '../output.js';

export interface PurgeFlags extends ConfigFlags {
  readonly olderThan: string;
  readonly dryRun?: boolean;
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
    const summary = await service.purge({
      olderThanMs,
      uploadSessionMaxAgeMs: config.storage.uploadSessionMaxAgeMs,
      keepVersions: config.storage.keepVersions,
      isDryRun,
      onPurged: (item) => printResult(describePurgedItem(item, isDryRun)),
    });
    printInfo(describeSummary(summary, store.location, isDryRun));
  } finally {
    await handle.close();
  }
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

function describeSummary(summary: PurgeSummary, location: string, isDryRun: boolean): string {
  const counts =
    `${plural(summary.objects, 'object')} (${summary.bytes} bytes), ` +
    `${plural(summary.uploadSessions, 'upload session')}, ` +
    `${plural(summary.orphanedUploads, 'orphaned multipart upload')}` +
    (summary.temporaryFiles === 0 ? '' : `, ${plural(summary.temporaryFiles, 'temporary file')}`);
  return isDryRun
    ? `Dry run: would purge ${counts} from ${location}; nothing was changed.`
    : `Purged ${counts} from ${location}.`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
