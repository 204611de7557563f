// Settings of the migration commands: which database and which versions folder. Built on the
// same configuration as `serve` (config.ts), but with the migration credentials of the secret.

import {
  loadConfig,
  requireDatabaseUrl,
  tableLockOf,
  type LoadConfigOptions,
  type TableLockConfig,
} from './config.js';
import { defaultDatabaseUrl, packageVersionsDir } from './config-defaults.js';
import { readEnvFile } from './env-file.js';
import { resolveSettings } from './resolve-settings.js';
import type { ConfigFlags, ValueSource } from './setting-definitions.js';

export { defaultDatabaseUrl, packageVersionsDir } from './config-defaults.js';

export interface MigrationSettings {
  readonly databaseUrl: string;
  readonly databaseUrlSource: ValueSource;
  readonly versionsDir: string;
  readonly versionsDirSource: ValueSource;
  /** How upgrade, downgrade and stamp wait for table locks. */
  readonly tableLock: TableLockConfig;
  /** The version table (--version-table, DATA_REGISTRY_VERSION_TABLE); undefined: the default. */
  readonly versionTable: string | undefined;
}

/**
 * The settings without asking Secrets Manager (synchronous): flag > environment > env file >
 * default. A database set only by DATA_REGISTRY_SECRET_ID is not seen here: use
 * {@link loadMigrationSettings} for anything that connects.
 *
 * @throws DataRegistryError INVALID_CONFIG, INVALID_DATABASE_URL for bad values.
 */
export function resolveMigrationSettings(
  flags: ConfigFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): MigrationSettings {
  const envFile = flags.envFile === undefined ? undefined : readEnvFile(flags.envFile);
  const resolved = resolveSettings({ flags, env, envFile });
  return {
    databaseUrl: resolved.db?.value ?? defaultDatabaseUrl,
    databaseUrlSource: resolved.db?.source ?? 'default',
    versionsDir: resolved.dir?.value ?? packageVersionsDir,
    versionsDirSource: resolved.dir?.source ?? 'default',
    tableLock: tableLockOf(resolved),
    versionTable: resolved.versionTable?.value,
  };
}

/**
 * The settings of a migration command that connects: the database is the configuration's
 * migration URL, which is the secret's `migrationUsername`/`migrationPassword` when it has them,
 * so that the server itself can run as a less privileged user.
 *
 * @throws DataRegistryError MISSING_CONFIG in prod when no database is configured, and the
 *   errors of loadConfig.
 */
export async function loadMigrationSettings(
  flags: ConfigFlags,
  options: LoadConfigOptions = {},
): Promise<MigrationSettings> {
  const config = await loadConfig(flags, options);
  return {
    databaseUrl: requireDatabaseUrl(config, 'migration'),
    databaseUrlSource: config.sources.migrationDb ?? 'default',
    versionsDir: config.versionsDir,
    versionsDirSource: config.sources.dir ?? 'default',
    tableLock: config.tableLock,
    versionTable: config.versionTable,
  };
}
