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
import { loadProject, type Project } from '../migrate/index.js';
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

/**
 * Opens the database, runs `work`, and always closes it. Commands that only read pass
 * `read-only`, so that a missing SQLite file is DATABASE_NOT_FOUND rather than created empty.
 */
export async function withDatabase<T>(
  flags: MigrationFlags,
  work: (handle: DatabaseHandle) => Promise<T>,
  mode: SqliteOpenMode = 'create',
): Promise<T> {
  // Imported here so that commands which never connect (history, heads…) do not load the
  // database layer at all.
  const { openDatabase } = await import('../db/connect.js');
  const handle = await openDatabase((await databaseSettingsFrom(flags)).databaseUrl, { mode });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}
