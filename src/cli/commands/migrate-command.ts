// `upgrade` and `downgrade`: run (or, with --sql, print) the steps to a target.

import { openDatabase } from '../../db/connect.js';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { isDataRegistryError } from '../../shared/errors.js';
import {
  currentHeads,
  describeHolder,
  describeStep,
  downgrade,
  isOfflineRange,
  renderMigrationSql,
  upgrade,
  type MigrateResult,
} from '../../migrate/index.js';
import { createDialectAdapter } from '../../db/connect.js';
import { parseDatabaseUrl } from '../../db/database-url.js';
import {
  databaseSettingsFrom,
  commandApplicationName,
  loadProjectFrom,
  tableLockPolicy,
  withDatabase,
  versionTableFrom,
  type MigrationFlags,
} from '../migration-context.js';
import { printInfo, printResult, printWarning } from '../output.js';
import { parseLockTimeout } from '../parse-options.js';

export interface MigrateFlags extends MigrationFlags {
  readonly sql?: boolean;
  readonly singleTransaction?: boolean;
  readonly lockTimeout?: string;
}

export async function migrateCommand(
  direction: 'upgrade' | 'downgrade',
  target: string,
  flags: MigrateFlags,
): Promise<void> {
  const project = await loadProjectFrom(flags);
  if (flags.sql) {
    printResult(await renderSql(direction, target, flags, project));
    return;
  }
  const lockTimeoutMs = parseLockTimeout(flags.lockTimeout);
  const run = direction === 'upgrade' ? upgrade : downgrade;
  const result: MigrateResult = await withDatabase(
    flags,
    { command: direction },
    (handle, settings) =>
      run(handle, project, target, {
        versionTable: versionTableFrom(flags),
        singleTransaction: flags.singleTransaction ?? false,
        lockTimeoutMs,
        tableLock: tableLockPolicy(settings),
        onLockWait: (holder, waitedMs) =>
          printInfo(
            `Waiting for the migration lock (${Math.round(waitedMs / 1000)} s): ${describeHolder(holder)}`,
          ),
        onWarnings: (warnings) => warnings.forEach(printWarning),
        onStep: (report) =>
          printResult(`${describeStep(report)} (${formatDuration(report.durationMs)})`),
      }),
  );
  if (result.steps.length === 0) {
    const at = result.headsAfter.length > 0 ? result.headsAfter.join(', ') : 'base';
    printInfo(`Nothing to ${direction}: the database is at ${at}.`);
  }
}

async function renderSql(
  direction: 'upgrade' | 'downgrade',
  target: string,
  flags: MigrateFlags,
  project: Awaited<ReturnType<typeof loadProjectFrom>>,
): Promise<string> {
  const settings = await databaseSettingsFrom(flags);
  const options = {
    versionTable: versionTableFrom(flags),
    singleTransaction: flags.singleTransaction,
    tableLockTimeoutMs: settings.tableLock.timeoutMs,
  };
  if (isOfflineRange(target)) {
    // `<from>:<to>` needs no database: only its dialect, taken from the URL.
    const dialect = createDialectAdapter(parseDatabaseUrl(settings.databaseUrl));
    return renderMigrationSql(dialect, project, direction, target, [], options);
  }
  const { databaseUrl } = settings;
  const handle = await openForOfflineSql(databaseUrl, direction);
  if (handle === undefined) {
    const dialect = createDialectAdapter(parseDatabaseUrl(databaseUrl));
    return renderMigrationSql(dialect, project, direction, target, [], options);
  }
  try {
    const startHeads = await currentHeads(handle, project, {
      versionTable: versionTableFrom(flags),
    });
    return await renderMigrationSql(
      handle.dialect,
      project,
      direction,
      target,
      startHeads,
      options,
    );
  } finally {
    await handle.close();
  }
}

/**
 * `--sql` changes nothing: the database is opened read-only, only to read where it stands. A
 * missing SQLite file stands at base, said on stderr; undefined then.
 */
async function openForOfflineSql(
  databaseUrl: string,
  direction: 'upgrade' | 'downgrade',
): Promise<DatabaseHandle | undefined> {
  try {
    return await openDatabase(databaseUrl, {
      mode: 'read-only',
      applicationName: commandApplicationName(direction),
    });
  } catch (error) {
    if (!isDataRegistryError(error) || error.code !== 'DATABASE_NOT_FOUND') throw error;
    printInfo(
      `No SQLite database ${String(error.details.path)} yet: the SQL starts from base (--sql creates nothing).`,
    );
    return undefined;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(ms, 0).toFixed(ms < 10 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
