// What every migration command starts from: the settings, the versions folder and the database.

import { resolveMigrationSettings, type MigrationSettings } from '../config/migration-config.js';
import { openDatabase } from '../db/connect.js';
import type { DatabaseHandle } from '../db/database-handle.js';
import { loadProject, type Project } from '../migrate/commands.js';

/** Options every migration command accepts. */
export interface MigrationFlags {
  readonly db?: string;
  readonly dir?: string;
  readonly versionTable?: string;
}

export function settingsFrom(flags: MigrationFlags): MigrationSettings {
  return resolveMigrationSettings(flags);
}

export function loadProjectFrom(
  flags: MigrationFlags,
  options: { readonly allowMissingFolder?: boolean } = {},
): Promise<Project> {
  return loadProject(settingsFrom(flags).versionsDir, options);
}

/** Opens the database, runs `work`, and always closes it. */
export async function withDatabase<T>(
  flags: MigrationFlags,
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(settingsFrom(flags).databaseUrl);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}
