// The one typed configuration of the registry, built from flags, the environment, an env file,
// the Secrets Manager secret and the defaults. The only reader of process.env besides
// migration-config.ts, which builds on it; commands receive a Config and read nothing else.

import {
  defaultDatabaseUrlOf,
  defaultDrainPeriodMs,
  defaultEnvironment,
  defaultGracePeriodMs,
  defaultHostOf,
  defaultLogLevel,
  defaultMaxUploadBytes,
  defaultPoolSize,
  defaultPort,
  defaultRegistryUrl,
  defaultStorageLocation,
  defaultTableLockRetries,
  defaultTableLockTimeoutMs,
  defaultUploadSessionMaxAgeMs,
  packageVersionsDir,
} from './config-defaults.js';
import { parseDatabaseSecret } from './database-secret.js';
import { readEnvFile } from './env-file.js';
import {
  resolveSettings,
  unknownVariableWarnings,
  type ResolvedSettings,
  type SettingLayers,
} from './resolve-settings.js';
import { DataRegistryError } from '../shared/errors.js';
import { readSecretString, type SecretsManagerSettings } from './secrets-manager.js';
import type {
  ConfigFlags,
  Environment,
  LogFormat,
  LogLevel,
  SettingName,
  ValueSource,
} from './setting-definitions.js';

export type {
  ConfigFlags,
  Environment,
  LogFormat,
  LogLevel,
  ValueSource,
} from './setting-definitions.js';

export interface DatabaseConfig {
  /** What the server and the `keys` commands connect with; undefined only in prod when unset. */
  readonly url: string | undefined;
  /**
   * What the migration commands connect with: the secret's migration credentials when it has
   * them, else `url`.
   */
  readonly migrationUrl: string | undefined;
  /** Most connections in the server's pool (PostgreSQL, MySQL). */
  readonly poolSize: number;
}

export interface ServerConfig {
  readonly host: string;
  /** 0 asks the operating system for a free port. */
  readonly port: number;
  /** Milliseconds /ready answers 503 SHUTTING_DOWN after SIGTERM before the server stops listening. */
  readonly drainPeriodMs: number;
  /** Milliseconds the requests in flight then have to finish. */
  readonly gracePeriodMs: number;
}

export interface AwsConfig {
  /** The secret holding the database settings; undefined when the database is set directly. */
  readonly secretId: string | undefined;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
}

export interface StorageConfig {
  /** A folder (`./data/files`) or `s3://bucket/optional/prefix`. */
  readonly location: string;
  readonly s3Endpoint: string | undefined;
  readonly s3Region: string | undefined;
  readonly s3ForcePathStyle: boolean | undefined;
  /** The part size of streamed uploads to S3 (bytes); undefined: the store's default, 8 MiB. */
  readonly s3PartSize: number | undefined;
  /** The largest file accepted, in bytes. */
  readonly maxUploadBytes: number;
  /** Upload sessions idle longer than this are aborted by `purge` (milliseconds). */
  readonly uploadSessionMaxAgeMs: number;
  /** `purge` keeps this many newest versions of each live file; undefined: the latest only. */
  readonly keepVersions: number | undefined;
}

/** How the migration commands' statements wait for table locks (docs/migrations.md, "Table locks"). */
export interface TableLockConfig {
  /** Milliseconds each lock wait may take; 0 sets no bound. */
  readonly timeoutMs: number;
  /** Retries after a timeout. */
  readonly retries: number;
}

/** Keys of {@link Config.sources}: every setting, and the migration URL derived from the secret. */
export type ConfigEntryName = SettingName | 'migrationDb';

/**
 * The effective configuration. To add a setting: a row in its group (database-, server-, storage-
 * or migration-settings.ts) and in the list of setting-definitions.ts, a field here, a line in
 * {@link buildConfig} and a row in describe-config.ts.
 */
export interface Config {
  readonly env: Environment;
  readonly database: DatabaseConfig;
  readonly server: ServerConfig;
  /** The one static key with admin scope (DATA_REGISTRY_API_KEY); managed keys live in the database. */
  readonly apiKey: string | undefined;
  readonly aws: AwsConfig;
  /** Where files are stored, and the limits of uploads. */
  readonly storage: StorageConfig;
  readonly logLevel: LogLevel;
  /** How `serve` writes its log; undefined: pretty when stdout is a terminal, else json. */
  readonly logFormat: LogFormat | undefined;
  /** The versions folder (the registry's own revisions unless DATA_REGISTRY_MIGRATIONS_DIR / --dir). */
  readonly versionsDir: string;
  readonly tableLock: TableLockConfig;
  /** The version table name; undefined: the engine's default (dataregistry_version). */
  readonly versionTable: string | undefined;
  /** The registry server the `upload` and `download` commands talk to, without a trailing slash. */
  readonly registryUrl: string;
  /** Where each value came from; undefined when unset (no default either). */
  readonly sources: Readonly<Record<ConfigEntryName, ValueSource | undefined>>;
  /** Things worth a warning line: unknown DATA_REGISTRY_* variables, a secret not read… */
  readonly warnings: readonly string[];
}

export interface LoadConfigOptions {
  /** The environment to read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether to read DATA_REGISTRY_SECRET_ID from Secrets Manager when the database is not set
   * directly; default true. Without it the database stays unset (source undefined).
   */
  readonly readSecret?: boolean;
}

/**
 * Builds the configuration. Precedence, per setting: flag > environment > `--env-file` >
 * Secrets Manager secret (database only) > default.
 *
 * @throws DataRegistryError INVALID_CONFIG (a bad value or an unreadable env file),
 *   INVALID_DATABASE_URL, and the errors of {@link readSecretString} and parseDatabaseSecret.
 * @example const config = await loadConfig({ port: '8080' }); config.server.port // 8080
 */
export async function loadConfig(
  flags: ConfigFlags,
  options: LoadConfigOptions = {},
): Promise<Config> {
  const layers: SettingLayers = {
    flags,
    env: options.env ?? process.env,
    envFile: flags.envFile === undefined ? undefined : readEnvFile(flags.envFile),
  };
  const resolved = resolveSettings(layers);
  const database = await resolveDatabase(resolved, options.readSecret ?? true);
  return buildConfig(resolved, database, unknownVariableWarnings(layers));
}

interface ResolvedDatabase {
  readonly url: string | undefined;
  readonly migrationUrl: string | undefined;
  readonly source: ValueSource | undefined;
  readonly migrationSource: ValueSource | undefined;
  readonly warnings: readonly string[];
}

async function resolveDatabase(
  resolved: ResolvedSettings,
  readSecret: boolean,
): Promise<ResolvedDatabase> {
  const env = resolved.env?.value ?? defaultEnvironment;
  const direct = resolved.db;
  const secretId = resolved.secretId?.value;
  if (direct !== undefined) {
    const warnings =
      secretId === undefined
        ? []
        : [
            `DATA_REGISTRY_SECRET_ID (${secretId}) is not read: the database is set by ${describeSource(direct.source)}.`,
          ];
    return {
      url: direct.value,
      migrationUrl: direct.value,
      source: direct.source,
      migrationSource: direct.source,
      warnings,
    };
  }
  if (secretId !== undefined && readSecret) {
    const aws: SecretsManagerSettings = {
      region: resolved.awsRegion?.value,
      endpoint: resolved.awsEndpoint?.value,
    };
    const secret = parseDatabaseSecret(await readSecretString(secretId, aws), secretId);
    return {
      url: secret.url,
      migrationUrl: secret.migrationUrl,
      source: 'secret',
      migrationSource: 'secret',
      warnings: [],
    };
  }
  const fallback = defaultDatabaseUrlOf(env);
  const source = fallback === undefined ? undefined : 'default';
  return { url: fallback, migrationUrl: fallback, source, migrationSource: source, warnings: [] };
}

function buildConfig(
  resolved: ResolvedSettings,
  database: ResolvedDatabase,
  warnings: readonly string[],
): Config {
  const env = resolved.env?.value ?? defaultEnvironment;
  const sourceOf = (name: SettingName, hasDefault: boolean): ValueSource | undefined =>
    resolved[name]?.source ?? (hasDefault ? 'default' : undefined);
  return {
    env,
    database: {
      url: database.url,
      migrationUrl: database.migrationUrl,
      poolSize: resolved.poolSize?.value ?? defaultPoolSize,
    },
    server: {
      host: resolved.host?.value ?? defaultHostOf(env),
      port: resolved.port?.value ?? defaultPort,
      drainPeriodMs: resolved.drainPeriod?.value ?? defaultDrainPeriodMs,
      gracePeriodMs: resolved.gracePeriod?.value ?? defaultGracePeriodMs,
    },
    apiKey: resolved.apiKey?.value,
    aws: {
      secretId: resolved.secretId?.value,
      region: resolved.awsRegion?.value,
      endpoint: resolved.awsEndpoint?.value,
    },
    storage: {
      location: resolved.storage?.value ?? defaultStorageLocation,
      s3Endpoint: resolved.s3Endpoint?.value,
      s3Region: resolved.s3Region?.value,
      s3ForcePathStyle: resolved.s3ForcePathStyle?.value,
      s3PartSize: resolved.s3PartSize?.value,
      maxUploadBytes: resolved.maxUploadBytes?.value ?? defaultMaxUploadBytes,
      uploadSessionMaxAgeMs: resolved.uploadSessionMaxAge?.value ?? defaultUploadSessionMaxAgeMs,
      keepVersions: resolved.keepVersions?.value,
    },
    logLevel: resolved.logLevel?.value ?? defaultLogLevel,
    logFormat: resolved.logFormat?.value,
    versionsDir: resolved.dir?.value ?? packageVersionsDir,
    tableLock: tableLockOf(resolved),
    versionTable: resolved.versionTable?.value,
    registryUrl: resolved.url?.value ?? defaultRegistryUrl,
    sources: {
      env: sourceOf('env', true),
      db: database.source,
      migrationDb: database.migrationSource,
      poolSize: sourceOf('poolSize', true),
      host: sourceOf('host', true),
      port: sourceOf('port', true),
      drainPeriod: sourceOf('drainPeriod', true),
      gracePeriod: sourceOf('gracePeriod', true),
      apiKey: sourceOf('apiKey', false),
      secretId: sourceOf('secretId', false),
      awsRegion: sourceOf('awsRegion', false),
      awsEndpoint: sourceOf('awsEndpoint', false),
      logLevel: sourceOf('logLevel', true),
      logFormat: sourceOf('logFormat', true),
      dir: sourceOf('dir', true),
      versionTable: sourceOf('versionTable', true),
      storage: sourceOf('storage', true),
      s3Endpoint: sourceOf('s3Endpoint', false),
      s3Region: sourceOf('s3Region', false),
      s3ForcePathStyle: sourceOf('s3ForcePathStyle', false),
      s3PartSize: sourceOf('s3PartSize', false),
      maxUploadBytes: sourceOf('maxUploadBytes', true),
      uploadSessionMaxAge: sourceOf('uploadSessionMaxAge', true),
      keepVersions: sourceOf('keepVersions', true),
      url: sourceOf('url', true),
      tableLockTimeout: sourceOf('tableLockTimeout', true),
      tableLockRetries: sourceOf('tableLockRetries', true),
    },
    warnings: [...warnings, ...database.warnings],
  };
}

export function tableLockOf(resolved: ResolvedSettings): TableLockConfig {
  return {
    timeoutMs: resolved.tableLockTimeout?.value ?? defaultTableLockTimeoutMs,
    retries: resolved.tableLockRetries?.value ?? defaultTableLockRetries,
  };
}

/**
 * The database URL of the server (`server`) or of the migration commands (`migration`).
 *
 * @throws DataRegistryError MISSING_CONFIG in prod when no database is configured.
 */
export function requireDatabaseUrl(config: Config, purpose: 'server' | 'migration'): string {
  const url = purpose === 'server' ? config.database.url : config.database.migrationUrl;
  if (url !== undefined) return url;
  throw new DataRegistryError(
    'MISSING_CONFIG',
    'DATA_REGISTRY_ENV is prod but no database is configured: give --db, or set DATA_REGISTRY_DB_CONNECTION or DATA_REGISTRY_SECRET_ID.',
    { missing: ['database'] },
  );
}

/** `--db`, `the environment`, `the env file`… for messages. */
export function describeSource(source: ValueSource): string {
  switch (source) {
    case 'flag':
      return 'a flag';
    case 'env':
      return 'the environment';
    case 'env-file':
      return 'the env file';
    case 'secret':
      return 'the Secrets Manager secret';
    case 'default':
      return 'the default';
    default:
      return source satisfies never;
  }
}
