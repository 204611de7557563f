// The catalogue of settings: for each, its environment variable, its flag and what --help says of
// it, how its text is parsed and whether it is a secret. Pure: reads nothing, and knows nothing
// of commander (cli/setting-options.ts builds the options). The settings are written by group in
// database-, server-, storage- and migration-settings.ts (adding a setting starts there); this
// module assembles them into the one list that config/ resolves and cli/ turns into options.

import { databaseSettings } from './database-settings.js';
import type { FlagSettingDefinition } from './define-setting.js';
import { migrationSettings } from './migration-settings.js';
import { serverSettings } from './server-settings.js';
import { storageSettings } from './storage-settings.js';

export type {
  EnvOnlySettingDefinition,
  FlagSettingDefinition,
  SettingDefinition,
} from './define-setting.js';
export {
  environments,
  logFormats,
  logLevels,
  type Environment,
  type LogFormat,
  type LogLevel,
} from './server-settings.js';
export { SettingProblem } from './setting-parsers.js';

/** Where a value came from, highest precedence first (`secret` only fills the database). */
export type ValueSource = 'flag' | 'env' | 'env-file' | 'secret' | 'default';

type GroupedSettings = typeof databaseSettings &
  typeof serverSettings &
  typeof storageSettings &
  typeof migrationSettings;

/**
 * Every setting, by the name it has in {@link ConfigFlags} and the resolved values. Spelled out
 * rather than spread from the groups because this order is the order `config` prints; the
 * `satisfies` makes a setting added to a group but missing here a compile error.
 */
export const settingDefinitions = {
  env: serverSettings.env,
  db: databaseSettings.db,
  poolSize: databaseSettings.poolSize,
  host: serverSettings.host,
  port: serverSettings.port,
  drainPeriod: serverSettings.drainPeriod,
  gracePeriod: serverSettings.gracePeriod,
  apiKey: serverSettings.apiKey,
  secretId: databaseSettings.secretId,
  awsRegion: databaseSettings.awsRegion,
  awsEndpoint: databaseSettings.awsEndpoint,
  logLevel: serverSettings.logLevel,
  logFormat: serverSettings.logFormat,
  url: serverSettings.url,
  storage: storageSettings.storage,
  s3Endpoint: storageSettings.s3Endpoint,
  s3Region: storageSettings.s3Region,
  s3ForcePathStyle: storageSettings.s3ForcePathStyle,
  s3PartSize: storageSettings.s3PartSize,
  maxUploadBytes: storageSettings.maxUploadBytes,
  uploadSessionMaxAge: storageSettings.uploadSessionMaxAge,
  keepVersions: storageSettings.keepVersions,
  dir: migrationSettings.dir,
  tableLockTimeout: migrationSettings.tableLockTimeout,
  tableLockRetries: migrationSettings.tableLockRetries,
  versionTable: migrationSettings.versionTable,
} as const satisfies GroupedSettings;

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
