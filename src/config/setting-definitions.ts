// The catalogue of settings: for each, its environment variable, its flag, how its text is
// parsed and whether it is a secret. Pure: reads nothing. Adding a setting starts here.

import { resolve } from 'node:path';
import { parseDatabaseUrl } from '../db/database-url.js';
import { parseStorageLocation } from '../storage/storage-location.js';
import { parseByteSize, parseDuration } from './quantities.js';

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

/**
 * One setting. `parse` turns the text of a flag, variable or env file line into the value, or
 * throws a {@link SettingProblem} saying what is accepted (without repeating the input).
 */
export interface SettingDefinition<T> {
  readonly variable: `DATA_REGISTRY_${string}`;
  /** The long flag (`--port`), or undefined when the setting has none (secrets: argv is public). */
  readonly flag: `--${string}` | undefined;
  /** Masked in `config` and never quoted in error messages. */
  readonly isSecret: boolean;
  readonly description: string;
  parse(text: string): T;
}

/** Why a text is not a valid value; the caller adds which setting and where the text came from. */
export class SettingProblem extends Error {
  override readonly name = 'SettingProblem';
}

function defineSetting<T>(definition: SettingDefinition<T>): SettingDefinition<T> {
  return definition;
}

function parseOneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text) => {
    const value = text.trim().toLowerCase();
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new SettingProblem(`give one of ${allowed.join(', ')}`);
  };
}

function parseWholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = text.trim();
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SettingProblem(`give a whole number from ${min} to ${max}`);
    }
    return Number(value);
  };
}

function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new SettingProblem('give true or false');
}

function parseText(text: string): string {
  return text.trim();
}

function parseHttpUrl(text: string): string {
  const value = text.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingProblem('give an http:// or https:// URL, e.g. http://127.0.0.1:4566');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingProblem('give an http:// or https:// URL, e.g. http://127.0.0.1:4566');
  }
  return value;
}

/** Every setting, by the name it has in {@link ConfigFlags} and the resolved values. */
export const settingDefinitions = {
  env: defineSetting<Environment>({
    variable: 'DATA_REGISTRY_ENV',
    flag: '--env',
    isSecret: false,
    description: 'dev (SQLite, migrates itself, open API on loopback) or prod',
    parse: parseOneOf(environments),
  }),
  db: defineSetting<string>({
    variable: 'DATA_REGISTRY_DB_CONNECTION',
    flag: '--db',
    isSecret: false, // the URL is shown with its password masked
    description: 'database URL (sqlite:PATH, postgresql://…, mysql://…)',
    parse: (text) => {
      const value = text.trim();
      parseDatabaseUrl(value); // throws INVALID_DATABASE_URL, which names the accepted forms
      return value;
    },
  }),
  poolSize: defineSetting<number>({
    variable: 'DATA_REGISTRY_DB_POOL_SIZE',
    flag: '--pool-size',
    isSecret: false,
    description: 'most connections the server opens (PostgreSQL, MySQL)',
    parse: parseWholeNumber(1, 1000),
  }),
  host: defineSetting<string>({
    variable: 'DATA_REGISTRY_HOST',
    flag: '--host',
    isSecret: false,
    description: 'address the server listens on',
    parse: (text) => {
      const value = text.trim();
      if (/\s|\//.test(value)) throw new SettingProblem('give a host name or IP address');
      return value;
    },
  }),
  port: defineSetting<number>({
    variable: 'DATA_REGISTRY_PORT',
    flag: '--port',
    isSecret: false,
    description: 'TCP port the server listens on (0: any free port)',
    parse: parseWholeNumber(0, 65535),
  }),
  apiKey: defineSetting<string>({
    variable: 'DATA_REGISTRY_API_KEY',
    flag: undefined,
    isSecret: true,
    description: 'one API key with admin scope',
    parse: (text) => {
      const value = text.trim();
      if (value.length < 16) throw new SettingProblem('give a key of at least 16 characters');
      return value;
    },
  }),
  secretId: defineSetting<string>({
    variable: 'DATA_REGISTRY_SECRET_ID',
    flag: '--secret-id',
    isSecret: false,
    description: 'AWS Secrets Manager secret (name or ARN) holding the database settings',
    parse: parseText,
  }),
  awsRegion: defineSetting<string>({
    variable: 'DATA_REGISTRY_AWS_REGION',
    flag: '--aws-region',
    isSecret: false,
    description: "AWS region of the secret (default: the AWS SDK's, e.g. AWS_REGION)",
    parse: (text) => {
      const value = text.trim();
      if (!/^[a-z0-9-]+$/.test(value)) throw new SettingProblem('give a region such as eu-west-1');
      return value;
    },
  }),
  awsEndpoint: defineSetting<string>({
    variable: 'DATA_REGISTRY_AWS_ENDPOINT',
    flag: '--aws-endpoint',
    isSecret: false,
    description: 'Secrets Manager endpoint URL, instead of the region’s',
    parse: parseHttpUrl,
  }),
  logLevel: defineSetting<LogLevel>({
    variable: 'DATA_REGISTRY_LOG_LEVEL',
    flag: '--log-level',
    isSecret: false,
    description: 'least severe level logged',
    parse: parseOneOf(logLevels),
  }),
  url: defineSetting<string>({
    variable: 'DATA_REGISTRY_URL',
    flag: '--url',
    isSecret: false,
    description: 'the registry server that `upload` and `download` talk to',
    parse: (text) => parseHttpUrl(text).replace(/\/+$/, ''),
  }),
  storage: defineSetting<string>({
    variable: 'DATA_REGISTRY_STORAGE',
    flag: '--storage',
    isSecret: false,
    description: 'where files are stored: a folder, or s3://bucket/optional/prefix',
    parse: (text) => {
      const value = text.trim();
      parseStorageLocation(value); // throws INVALID_CONFIG, which names the accepted forms
      return value;
    },
  }),
  s3Endpoint: defineSetting<string>({
    variable: 'DATA_REGISTRY_S3_ENDPOINT',
    flag: '--s3-endpoint',
    isSecret: false,
    description: 'S3-compatible endpoint URL (MinIO, Ceph, R2…), instead of AWS S3',
    parse: parseHttpUrl,
  }),
  s3Region: defineSetting<string>({
    variable: 'DATA_REGISTRY_S3_REGION',
    flag: '--s3-region',
    isSecret: false,
    description: "region of the S3 bucket (default: the AWS SDK's, e.g. AWS_REGION)",
    parse: (text) => {
      const value = text.trim();
      if (!/^[a-z0-9-]+$/.test(value)) throw new SettingProblem('give a region such as eu-west-1');
      return value;
    },
  }),
  s3ForcePathStyle: defineSetting<boolean>({
    variable: 'DATA_REGISTRY_S3_FORCE_PATH_STYLE',
    flag: '--s3-force-path-style',
    isSecret: false,
    description: 'address buckets as endpoint/bucket/key (most S3-compatible stores need it)',
    parse: parseBoolean,
  }),
  maxUploadBytes: defineSetting<number>({
    variable: 'DATA_REGISTRY_MAX_UPLOAD_BYTES',
    flag: '--max-upload-bytes',
    isSecret: false,
    description: 'largest file accepted (bytes, or with a unit: 500MB, 10GiB)',
    parse: (text) => {
      const bytes = parseByteSize(text);
      if (bytes === undefined) {
        throw new SettingProblem('give a size in bytes, or with a unit such as 500MB or 10GiB');
      }
      return bytes;
    },
  }),
  uploadSessionMaxAge: defineSetting<number>({
    variable: 'DATA_REGISTRY_UPLOAD_SESSION_MAX_AGE',
    flag: '--upload-session-max-age',
    isSecret: false,
    description: 'idle time after which `purge` aborts an upload session (30m, 12h, 7d…)',
    parse: (text) => {
      const milliseconds = parseDuration(text);
      if (milliseconds === undefined) {
        throw new SettingProblem('give a duration such as 90m, 12h, 7d or 2w');
      }
      return milliseconds;
    },
  }),
  dir: defineSetting<string>({
    variable: 'DATA_REGISTRY_MIGRATIONS_DIR',
    flag: '--dir',
    isSecret: false,
    description: "versions folder (default: the registry's own migrations/versions)",
    parse: (text) => resolve(text.trim()),
  }),
} as const;

export type SettingName = keyof typeof settingDefinitions;

/** The parsed type of each setting. */
export type SettingValues = {
  [K in SettingName]: ReturnType<(typeof settingDefinitions)[K]['parse']>;
};

export const settingNames = Object.keys(settingDefinitions) as SettingName[];

/** The command-line flags of the settings, as commander names them (camelCase), all optional. */
export type ConfigFlags = {
  readonly [K in Exclude<SettingName, 'apiKey'>]?: string | undefined;
} & {
  /** A dotenv file read below the environment. */
  readonly envFile?: string | undefined;
};

/** Variables that look like ours but are not (likely typos), so they can be warned about. */
export function isKnownVariable(name: string): boolean {
  return settingNames.some((setting) => settingDefinitions[setting].variable === name);
}
