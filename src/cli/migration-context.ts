// What every migration command starts from: the settings, the versions folder and the database.

import type { ConfigFlags } from '../config/config.js';
import { revisionHeaderCacheFile } from '../config/cache-location.js';
import {
  loadMigrationSettings,
  resolveMigrationSettings,
  type MigrationSettings,
} from '../config/migration-config.js';
import type { SqliteOpenMode } from '../db/connect.js';
import type { DatabaseHandle } from '../db/database-handle.js';
import { loadProject, type Project, type TableLockPolicy } from '../migrate/index.js';
import { printInfo } from './output.js';
import { packageVersion } from './package-version.js';

/** Options every migration command accepts (with the configuration's: --env-file, --secret-id…). */
export interface MigrationFlags extends ConfigFlags {
  readonly db?: string;
  readonly dir?: string;
  readonly versionTable?: string;
}

/** The settings without the Secrets Manager secret: enough for the versions folder. */
export function settingsFrom(flags: MigrationFlags): MigrationSettings {
  return resolveMigrationSettings(flags);
}

/** The settings of a command that connects, with the secret's migration credentials if any. */
export function databaseSettingsFrom(flags: MigrationFlags): Promise<MigrationSettings> {
  return loadMigrationSettings(flags);
}

/**
 * The version table: --version-table, DATA_REGISTRY_VERSION_TABLE or the env file (alembic_version
 * carries on from Alembic); undefined leaves the engine's default, dataregistry_version.
 */
export function versionTableFrom(flags: MigrationFlags): string | undefined {
  return settingsFrom(flags).versionTable;
}

export function loadProjectFrom(
  flags: MigrationFlags,
  options: { readonly allowMissingFolder?: boolean } = {},
): Promise<Project> {
  const { versionsDir } = settingsFrom(flags);
  return loadProject(versionsDir, {
    ...options,
    // Salted with the version, so that a release parsing headers differently starts afresh.
    headerCache: { file: revisionHeaderCacheFile(versionsDir), salt: packageVersion() },
  });
}

/** How a command opens its database. */
export interface CommandDatabaseOptions {
  /** `read-only` for commands that only read: a missing SQLite file is then DATABASE_NOT_FOUND. */
  readonly mode?: SqliteOpenMode;
  /** The command, as its connections name themselves to the server: `upgrade` → `dataregistry upgrade`. */
  readonly command: string;
}

/**
 * Opens the database, runs `work` with it and the settings, and always closes it.
 */
export async function withDatabase<T>(
  flags: MigrationFlags,
  options: CommandDatabaseOptions,
  work: (handle: DatabaseHandle, settings: MigrationSettings) => Promise<T>,
): Promise<T> {
  // Imported here so that commands which never connect (history, heads…) do not load the
  // database layer at all.
  const { openDatabase } = await import('../db/connect.js');
  const settings = await databaseSettingsFrom(flags);
  const handle = await openDatabase(settings.databaseUrl, {
    mode: options.mode ?? 'create',
    applicationName: commandApplicationName(options.command),
  });
  try {
    return await work(handle, settings);
  } finally {
    await handle.close();
  }
}

/** `dataregistry upgrade`: who a command's connections are, in pg_stat_activity and the processlist. */
export function commandApplicationName(command: string): string {
  return `dataregistry ${command}`;
}

/** The settings' table-lock bound, with each retry printed as one line on stderr. */
export function tableLockPolicy(settings: MigrationSettings): TableLockPolicy {
  return { ...settings.tableLock, onRetry: (retry) => printInfo(retry.message) };
}
