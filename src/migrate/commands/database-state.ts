// What the commands that connect share: their options, the migration lock, and the version table
// read against the versions folder. Internal to commands/: index.ts exports the option types only.

import type { DatabaseHandle } from '../../db/database-handle.js';
import type { HeldLock, LockHolder } from '../../db/dialect-adapter.js';
import { DataRegistryError } from '../../shared/errors.js';
import type { Project } from '../project.js';
import { acquireMigrationLock } from '../run/migration-lock.js';
import type { TableLockPolicy } from '../run/table-lock-wait.js';
import {
  readAppliedChecksums,
  readCurrentHeads,
  type VersionTableNames,
} from '../run/version-table.js';

export interface DatabaseOptions {
  /** Version table name; the history table is `<name>_history`. */
  readonly versionTable?: string;
}

/**
 * How a command that changes the version table waits for the migration lock, and how its
 * statements wait for table locks.
 */
export interface LockOptions {
  /** Milliseconds to wait for the migration lock; undefined waits as long as it takes. */
  readonly lockTimeoutMs?: number;
  readonly onLockWait?: (holder: LockHolder | undefined, waitedMs: number) => void;
  /**
   * How long each statement may wait for a table lock and how often a timed-out wait is retried
   * (docs/migrations.md, "Table locks"); undefined sets no bound, as `timeoutMs: 0` does.
   */
  readonly tableLock?: TableLockPolicy;
}

/** The migration lock of these version tables; LOCK_TIMEOUT past `lockTimeoutMs`. */
export function acquireLock(
  handle: DatabaseHandle,
  names: VersionTableNames,
  options: LockOptions,
): Promise<HeldLock> {
  return acquireMigrationLock(handle, {
    lockName: names.version,
    timeoutMs: options.lockTimeoutMs,
    onWait: options.onLockWait,
  });
}

/**
 * The database's current heads, each of which the versions folder must declare
 * (APPLIED_REVISION_MISSING otherwise), and whether the version table exists yet.
 */
export async function readHeadsChecked(
  handle: DatabaseHandle,
  project: Project,
  names: VersionTableNames,
): Promise<{ heads: string[]; hasVersionTable: boolean }> {
  const read = await readCurrentHeads(handle.db, handle.dialect, names);
  const heads = read ?? [];
  const missing = heads.filter((id) => !project.graph.has(id));
  if (missing.length > 0) {
    throw new DataRegistryError(
      'APPLIED_REVISION_MISSING',
      `The database (${handle.displayUrl}) is at revision ${missing.join(', ')}, which no file in ${project.versionsDir} declares. ` +
        'Check --dir (or DATA_REGISTRY_MIGRATIONS_DIR) and that the file was not deleted; `dataregistry stamp <revision>` records another revision without running anything.',
      { missing },
    );
  }
  return { heads, hasVersionTable: read !== undefined };
}

/** One warning per applied revision whose file changed since it was applied (or stamped). */
export async function changedFileWarnings(
  handle: DatabaseHandle,
  project: Project,
  names: VersionTableNames,
  heads: readonly string[],
): Promise<string[]> {
  if (heads.length === 0) return [];
  const recorded = await readAppliedChecksums(handle.db, handle.dialect, names);
  const applied = project.graph.appliedSet(heads);
  const warnings: string[] = [];
  for (const revision of project.graph.all()) {
    if (!applied.has(revision.id)) continue;
    const then = recorded.get(revision.id);
    const now = project.sources.get(revision.id)?.checksum;
    if (then !== undefined && now !== undefined && then !== now) {
      warnings.push(
        `${revision.path} changed after revision ${revision.id} was applied (checksum differs); the database ran the earlier text.`,
      );
    }
  }
  return warnings;
}
