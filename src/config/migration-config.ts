// Settings of the migration commands: which database and which versions folder.
// The only place besides the rest of config/ that reads process.env.

import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const defaultDatabaseUrl = 'sqlite:./data/dataregistry.db';

/** The registry's own revisions, shipped inside the package. */
export const packageVersionsDir = fileURLToPath(
  new URL('../../migrations/versions', import.meta.url),
);

export interface MigrationSettings {
  readonly databaseUrl: string;
  readonly databaseUrlSource: 'flag' | 'environment' | 'default';
  readonly versionsDir: string;
  readonly versionsDirSource: 'flag' | 'environment' | 'default';
}

/** Precedence: flag, then environment, then default. */
export function resolveMigrationSettings(
  flags: { db?: string | undefined; dir?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): MigrationSettings {
  const envUrl = nonEmpty(env.DATA_REGISTRY_DB_CONNECTION);
  const envDir = nonEmpty(env.DATA_REGISTRY_MIGRATIONS_DIR);
  return {
    databaseUrl: flags.db ?? envUrl ?? defaultDatabaseUrl,
    databaseUrlSource: flags.db ? 'flag' : envUrl ? 'environment' : 'default',
    versionsDir: resolve(flags.dir ?? envDir ?? packageVersionsDir),
    versionsDirSource: flags.dir ? 'flag' : envDir ? 'environment' : 'default',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
