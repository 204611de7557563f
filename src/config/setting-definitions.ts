// The catalogue of settings: for each, its environment variable, its flag and what --help says of
// it, how its text is parsed and whether it is a secret. Pure: reads nothing, and knows nothing
// of commander (cli/setting-options.ts builds the options). Adding a setting starts here.

import { resolve } from 'node:path';
import { parseDatabaseUrl } from '../db/database-url.js';
import { parseStorageLocation } from '../storage/storage-location.js';
import * as defaults from './config-defaults.js';
import {
  formatByteSize,
  formatDuration,
  formatWait,
  parseByteSize,
  parseDuration,
  parseWait,
} from './quantities.js';
import {
  listOf,
  parseBoolean,
  parseCheckedText,
  parseHttpUrl,
  parseOneOf,
  parseQuantity,
  parseRegion,
  parseSeconds,
  parseText,
  parseWholeNumber,
  SettingProblem,
} from './setting-parsers.js';

export { SettingProblem } from './setting-parsers.js';

/** Where a value came from, highest precedence first (`secret` only fills the database). */
export type ValueSource = 'flag' | 'env' | 'env-file' | 'secret' | 'default';

export type Environment = 'dev' | 'prod';
export const environments: readonly Environment[] = ['dev', 'prod'];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const logLevels: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** How `serve` writes its log: readable lines, or one JSON object per line (pino's). */
export type LogFormat = 'pretty' | 'json';
export const logFormats: readonly LogFormat[] = ['pretty', 'json'];

/**
 * One setting. `parse` turns the text of a flag, variable or env file line into the value, or
 * throws a {@link SettingProblem} saying what is accepted (without repeating the input).
 * `description` and `defaultText` are what `--help` says of it, after its flag and before
 * `(env VARIABLE; default …)`.
 */
interface SettingBase<T> {
  readonly variable: `DATA_REGISTRY_${string}`;
  /** Masked in `config` and never quoted in error messages. */
  readonly isSecret: boolean;
  readonly description: string;
  /** The default as a person reads it (`5000`, `127.0.0.1 in dev, 0.0.0.0 in prod`); none: undefined. */
  readonly defaultText: string | undefined;
  parse(text: string): T;
}

/** A setting with a flag: `--port <port>`, or `--s3-force-path-style [bool]` with a preset. */
export interface FlagSettingDefinition<T> extends SettingBase<T> {
  /** The long flag, as messages name it. */
  readonly flag: `--${string}`;
  /** What `--help` shows after the flag: `<port>` (required value) or `[bool]` (optional). */
  readonly valueName: `<${string}>` | `[${string}]`;
  /** The value of an optional-value flag given alone (`--s3-force-path-style` means `true`). */
  readonly preset?: string;
}

/** A setting without a flag: secrets, since argv is visible to every user of the machine. */
export interface EnvOnlySettingDefinition<T> extends SettingBase<T> {
  readonly flag: undefined;
}

export type SettingDefinition<T> = FlagSettingDefinition<T> | EnvOnlySettingDefinition<T>;

function defineSetting<T>(definition: FlagSettingDefinition<T>): FlagSettingDefinition<T>;
function defineSetting<T>(definition: EnvOnlySettingDefinition<T>): EnvOnlySettingDefinition<T>;
function defineSetting<T>(definition: SettingDefinition<T>): SettingDefinition<T> {
  return definition;
}

/** Every setting, by the name it has in {@link ConfigFlags} and the resolved values. */
export const settingDefinitions = {
  env: defineSetting<Environment>({
    variable: 'DATA_REGISTRY_ENV',
    flag: '--env',
    valueName: '<env>',
    isSecret: false,
    description: 'dev (SQLite, migrates itself, open API on loopback) or prod',
    defaultText: defaults.defaultEnvironment,
    parse: parseOneOf(environments),
  }),
  db: defineSetting<string>({
    variable: 'DATA_REGISTRY_DB_CONNECTION',
    flag: '--db',
    valueName: '<url>',
    isSecret: false, // the URL is shown with its password masked
    description: 'database URL: sqlite:PATH, postgresql://…, mysql://…',
    defaultText: `${defaults.defaultDatabaseUrl} in dev`,
    // parseDatabaseUrl throws INVALID_DATABASE_URL, which names the accepted forms.
    parse: parseCheckedText(parseDatabaseUrl),
  }),
  poolSize: defineSetting<number>({
    variable: 'DATA_REGISTRY_DB_POOL_SIZE',
    flag: '--pool-size',
    valueName: '<n>',
    isSecret: false,
    description: 'most connections the server opens (PostgreSQL, MySQL)',
    defaultText: String(defaults.defaultPoolSize),
    parse: parseWholeNumber(1, 1000),
  }),
  host: defineSetting<string>({
    variable: 'DATA_REGISTRY_HOST',
    flag: '--host',
    valueName: '<host>',
    isSecret: false,
    description: 'address the server listens on',
    defaultText: `${defaults.defaultHostOf('dev')} in dev, ${defaults.defaultHostOf('prod')} in prod`,
    parse: (text) => {
      const value = text.trim();
      if (/\s|\//.test(value)) throw new SettingProblem('give a host name or IP address');
      return value;
    },
  }),
  port: defineSetting<number>({
    variable: 'DATA_REGISTRY_PORT',
    flag: '--port',
    valueName: '<port>',
    isSecret: false,
    description: 'TCP port the server listens on, 0 for any free one',
    defaultText: String(defaults.defaultPort),
    parse: parseWholeNumber(0, 65535),
  }),
  drainPeriod: defineSetting<number>({
    variable: 'DATA_REGISTRY_DRAIN_PERIOD',
    flag: '--drain-period',
    valueName: '<duration>',
    isSecret: false,
    description:
      'on SIGTERM, how long /ready answers 503 while the other routes still serve, before the server stops listening: 5s, 1500ms, 0',
    defaultText: formatWait(defaults.defaultDrainPeriodMs),
    parse: parseQuantity(parseWait, 'seconds (5, 5s), or 1500ms, 2m; 0 for none'),
  }),
  gracePeriod: defineSetting<number>({
    variable: 'DATA_REGISTRY_GRACE_PERIOD',
    flag: '--grace-period',
    valueName: '<duration>',
    isSecret: false,
    description:
      'then, how long the requests in flight have to finish before their connections are closed',
    defaultText: formatWait(defaults.defaultGracePeriodMs),
    parse: parseQuantity(parseWait, 'seconds (20, 20s), or 1500ms, 2m; 0 for none'),
  }),
  apiKey: defineSetting<string>({
    variable: 'DATA_REGISTRY_API_KEY',
    flag: undefined,
    isSecret: true,
    description: 'one API key with admin scope',
    defaultText: undefined,
    parse: (text) => {
      const value = text.trim();
      if (value.length < 16) throw new SettingProblem('give a key of at least 16 characters');
      return value;
    },
  }),
  secretId: defineSetting<string>({
    variable: 'DATA_REGISTRY_SECRET_ID',
    flag: '--secret-id',
    valueName: '<id>',
    isSecret: false,
    description:
      'AWS Secrets Manager secret (name or ARN) with the database settings; migration commands use its migrationUsername/migrationPassword',
    defaultText: undefined,
    parse: parseText,
  }),
  awsRegion: defineSetting<string>({
    variable: 'DATA_REGISTRY_AWS_REGION',
    flag: '--aws-region',
    valueName: '<region>',
    isSecret: false,
    description: 'AWS region of the secret',
    defaultText: "the AWS SDK's, e.g. AWS_REGION",
    parse: parseRegion,
  }),
  awsEndpoint: defineSetting<string>({
    variable: 'DATA_REGISTRY_AWS_ENDPOINT',
    flag: '--aws-endpoint',
    valueName: '<url>',
    isSecret: false,
    description: 'Secrets Manager endpoint URL',
    defaultText: 'the region’s',
    parse: parseHttpUrl,
  }),
  logLevel: defineSetting<LogLevel>({
    variable: 'DATA_REGISTRY_LOG_LEVEL',
    flag: '--log-level',
    valueName: '<level>',
    isSecret: false,
    description: `least severe level logged: ${listOf(logLevels)}`,
    defaultText: defaults.defaultLogLevel,
    parse: parseOneOf(logLevels),
  }),
  logFormat: defineSetting<LogFormat>({
    variable: 'DATA_REGISTRY_LOG_FORMAT',
    flag: '--log-format',
    valueName: '<format>',
    isSecret: false,
    description: 'how serve writes its log: pretty (readable lines) or json (one object per line)',
    defaultText: defaults.defaultLogFormatText,
    parse: parseOneOf(logFormats),
  }),
  url: defineSetting<string>({
    variable: 'DATA_REGISTRY_URL',
    flag: '--url',
    valueName: '<url>',
    isSecret: false,
    description:
      'the registry server that upload and download talk to, with the key in DATA_REGISTRY_API_KEY',
    defaultText: defaults.defaultRegistryUrl,
    parse: (text) => parseHttpUrl(text).replace(/\/+$/, ''),
  }),
  storage: defineSetting<string>({
    variable: 'DATA_REGISTRY_STORAGE',
    flag: '--storage',
    valueName: '<location>',
    isSecret: false,
    description: 'where files are stored: a folder or s3://bucket/optional/prefix',
    defaultText: defaults.defaultStorageLocation,
    // parseStorageLocation throws INVALID_CONFIG, which names the accepted forms.
    parse: parseCheckedText(parseStorageLocation),
  }),
  s3Endpoint: defineSetting<string>({
    variable: 'DATA_REGISTRY_S3_ENDPOINT',
    flag: '--s3-endpoint',
    valueName: '<url>',
    isSecret: false,
    description: 'S3-compatible endpoint URL: MinIO, Ceph, R2…',
    defaultText: 'AWS S3',
    parse: parseHttpUrl,
  }),
  s3Region: defineSetting<string>({
    variable: 'DATA_REGISTRY_S3_REGION',
    flag: '--s3-region',
    valueName: '<region>',
    isSecret: false,
    description: 'region of the bucket',
    defaultText: "the AWS SDK's, e.g. AWS_REGION",
    parse: parseRegion,
  }),
  s3ForcePathStyle: defineSetting<boolean>({
    variable: 'DATA_REGISTRY_S3_FORCE_PATH_STYLE',
    flag: '--s3-force-path-style',
    valueName: '[bool]',
    preset: 'true',
    isSecret: false,
    description: 'address buckets as endpoint/bucket/key (most S3-compatible stores need it)',
    defaultText: 'false',
    parse: parseBoolean,
  }),
  s3PartSize: defineSetting<number>({
    variable: 'DATA_REGISTRY_S3_PART_SIZE',
    flag: '--s3-part-size',
    valueName: '<size>',
    isSecret: false,
    description:
      'part size of uploads streamed through the server to S3 (5MiB to 5GiB; three parts per upload are in memory)',
    defaultText: '8MiB',
    parse: parseQuantity((text) => {
      const bytes = parseByteSize(text);
      return bytes !== undefined && bytes >= 5 * 2 ** 20 && bytes <= 5 * 2 ** 30
        ? bytes
        : undefined;
    }, 'a size from 5MiB to 5GiB, such as 8MiB or 64MiB'),
  }),
  maxUploadBytes: defineSetting<number>({
    variable: 'DATA_REGISTRY_MAX_UPLOAD_BYTES',
    flag: '--max-upload-bytes',
    valueName: '<size>',
    isSecret: false,
    description: 'largest file accepted: bytes, or 500MB, 10GiB…',
    defaultText: formatByteSize(defaults.defaultMaxUploadBytes),
    parse: parseQuantity(parseByteSize, 'a size in bytes, or with a unit such as 500MB or 10GiB'),
  }),
  uploadSessionMaxAge: defineSetting<number>({
    variable: 'DATA_REGISTRY_UPLOAD_SESSION_MAX_AGE',
    flag: '--upload-session-max-age',
    valueName: '<duration>',
    isSecret: false,
    description: 'idle time after which purge aborts an upload session: 30m, 12h, 7d…',
    defaultText: formatDuration(defaults.defaultUploadSessionMaxAgeMs),
    parse: parseQuantity(parseDuration, 'a duration such as 90m, 12h, 7d or 2w'),
  }),
  keepVersions: defineSetting<number>({
    variable: 'DATA_REGISTRY_KEEP_VERSIONS',
    flag: '--keep-versions',
    valueName: '<n>',
    isSecret: false,
    description:
      'purge keeps the n newest versions of each live file, however old (superseded versions past --older-than go otherwise)',
    defaultText: 'none: the latest only',
    parse: parseWholeNumber(1, 1_000_000),
  }),
  dir: defineSetting<string>({
    variable: 'DATA_REGISTRY_MIGRATIONS_DIR',
    flag: '--dir',
    valueName: '<folder>',
    isSecret: false,
    description: 'versions folder',
    defaultText: "the registry's own migrations/versions",
    parse: (text) => resolve(text.trim()),
  }),
  tableLockTimeout: defineSetting<number>({
    variable: 'DATA_REGISTRY_TABLE_LOCK_TIMEOUT',
    flag: '--table-lock-timeout',
    valueName: '<seconds>',
    isSecret: false,
    description:
      "seconds each statement of upgrade, downgrade and stamp waits for a table lock before giving way and retrying, so that the API's queries do not queue behind it; 0: no bound (the database's own)",
    defaultText: String(defaults.defaultTableLockTimeoutMs / 1000),
    parse: parseSeconds(0, 86_400),
  }),
  tableLockRetries: defineSetting<number>({
    variable: 'DATA_REGISTRY_TABLE_LOCK_RETRIES',
    flag: '--table-lock-retries',
    valueName: '<n>',
    isSecret: false,
    description:
      'retries after a table-lock timeout, 0.5 s doubling to 10 s apart, before giving up with exit 75',
    defaultText: `${defaults.defaultTableLockRetries} (about a minute)`,
    parse: parseWholeNumber(0, 10_000),
  }),
  versionTable: defineSetting<string>({
    variable: 'DATA_REGISTRY_VERSION_TABLE',
    flag: '--version-table',
    valueName: '<name>',
    isSecret: false,
    description:
      'version table (the history table adds _history); alembic_version carries on from Alembic',
    defaultText: 'dataregistry_version',
    parse: parseCheckedText((text) => {
      // A plain identifier: it is written into DDL and lock names unquoted on every database.
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,54}$/.test(text)) {
        throw new SettingProblem('give a table name of letters, digits and _ (at most 55)');
      }
    }),
  }),
} as const;

export type SettingName = keyof typeof settingDefinitions;

/** The parsed type of each setting. */
export type SettingValues = {
  [K in SettingName]: ReturnType<(typeof settingDefinitions)[K]['parse']>;
};

export const settingNames = Object.keys(settingDefinitions) as SettingName[];

/** The settings that have a flag (all but the secrets). */
export type FlagSettingName = {
  [K in SettingName]: (typeof settingDefinitions)[K] extends FlagSettingDefinition<unknown>
    ? K
    : never;
}[SettingName];

/** The command-line flags of the settings, as commander names them (camelCase), all optional. */
export type ConfigFlags = {
  readonly [K in FlagSettingName]?: string | undefined;
} & {
  /** A dotenv file read below the environment. */
  readonly envFile?: string | undefined;
};

/** Variables that look like ours but are not (likely typos), so they can be warned about. */
export function isKnownVariable(name: string): boolean {
  return settingNames.some((setting) => settingDefinitions[setting].variable === name);
}
