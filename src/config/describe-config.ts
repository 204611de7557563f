// The effective configuration as rows for `dataregistry config`: each setting's variable, its
// value with secrets masked (database passwords, the API key) and where it came from.

import { maskDatabaseUrl } from '../db/database-url.js';
import type { Config, ConfigEntryName } from './config.js';
import { formatDuration, formatWait } from './quantities.js';
import { settingDefinitions, type ValueSource } from './setting-definitions.js';

export interface ConfigRow {
  /** The environment variable, or a label for a derived value. */
  readonly name: string;
  readonly flag: string | undefined;
  /** Masked where secret; undefined when unset. */
  readonly value: string | undefined;
  readonly source: ValueSource | undefined;
}

const masked = '***';

/** One row per setting, in the catalogue's order; the migration database after the database. */
export function describeConfig(config: Config): ConfigRow[] {
  const values: Record<ConfigEntryName, string | undefined> = {
    env: config.env,
    db: mapDefined(config.database.url, maskDatabaseUrl),
    migrationDb: mapDefined(config.database.migrationUrl, maskDatabaseUrl),
    poolSize: String(config.database.poolSize),
    host: config.server.host,
    port: String(config.server.port),
    drainPeriod: formatWait(config.server.drainPeriodMs),
    gracePeriod: formatWait(config.server.gracePeriodMs),
    apiKey: config.apiKey === undefined ? undefined : masked,
    secretId: config.aws.secretId,
    awsRegion: config.aws.region,
    awsEndpoint: config.aws.endpoint,
    logLevel: config.logLevel,
    logFormat: config.logFormat ?? settingDefinitions.logFormat.defaultText,
    dir: config.versionsDir,
    versionTable: config.versionTable ?? settingDefinitions.versionTable.defaultText,
    storage: config.storage.location,
    s3Endpoint: config.storage.s3Endpoint,
    s3Region: config.storage.s3Region,
    s3ForcePathStyle: mapDefined(config.storage.s3ForcePathStyle, String),
    s3PartSize: mapDefined(config.storage.s3PartSize, String),
    maxUploadBytes: String(config.storage.maxUploadBytes),
    uploadSessionMaxAge: formatDuration(config.storage.uploadSessionMaxAgeMs),
    keepVersions: mapDefined(config.storage.keepVersions, String),
    url: config.registryUrl,
    tableLockTimeout: String(config.tableLock.timeoutMs / 1000),
    tableLockRetries: String(config.tableLock.retries),
  };
  const rows: ConfigRow[] = [];
  for (const [name, definition] of Object.entries(settingDefinitions)) {
    const key = name as keyof typeof settingDefinitions;
    rows.push({
      name: definition.variable,
      flag: definition.flag,
      value: values[key],
      source: config.sources[key],
    });
    if (key === 'db') {
      rows.push({
        name: 'migration database',
        flag: undefined,
        value: values.migrationDb,
        source: config.sources.migrationDb,
      });
    }
  }
  return rows;
}

/** The rows as an aligned text table, e.g. `DATA_REGISTRY_PORT  5000  default`. */
export function formatConfigRows(rows: readonly ConfigRow[]): string {
  const cells = rows.map((row) => [row.name, row.value ?? '(not set)', row.source ?? '']);
  const widths = [0, 1].map((column) => Math.max(...cells.map((cell) => cell[column]!.length)));
  return cells
    .map(([name, value, source]) =>
      `${name!.padEnd(widths[0]!)}  ${value!.padEnd(widths[1]!)}  ${source}`.trimEnd(),
    )
    .join('\n');
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}
