// The commander options of the commands: those of settings built from the setting catalogue
// (config/setting-definitions.ts), so that a flag, its help, its variable and its default are
// written once, and the few options that are not settings. Reads nothing; runs nothing.

import { Option, type Command } from 'commander';
import {
  settingDefinitions,
  type FlagSettingDefinition,
  type FlagSettingName,
} from '../config/setting-definitions.js';

/** `--port <port>` with `TCP port … (env DATA_REGISTRY_PORT; default 5000)`. */
export function settingOption(name: FlagSettingName): Option {
  const definition: FlagSettingDefinition<unknown> = settingDefinitions[name];
  const option = new Option(`${definition.flag} ${definition.valueName}`, helpOf(definition));
  return definition.preset === undefined ? option : option.preset(definition.preset);
}

function helpOf(definition: FlagSettingDefinition<unknown>): string {
  const where = `env ${definition.variable}`;
  const { defaultText } = definition;
  return `${definition.description} (${defaultText === undefined ? where : `${where}; default: ${defaultText}`})`;
}

/** Adds the options of these settings, in this order. */
function withSettings(command: Command, names: readonly FlagSettingName[]): Command {
  for (const name of names) command.addOption(settingOption(name));
  return command;
}

const envFileHelp =
  'read DATA_REGISTRY_* variables from a dotenv file (flags and the environment take precedence)';

/** --env-file and --debug, which every command but `help` takes. */
function withCommonOptions(command: Command): Command {
  return command
    .option('--env-file <file>', envFileHelp)
    .option('--debug', 'show the stack trace of an error');
}

/** Options of every command that reads revisions or a database. */
export function withMigrationOptions(command: Command): Command {
  withSettings(command, ['db', 'dir', 'versionTable']);
  return withSettings(withCommonOptions(command), ['secretId', 'awsRegion', 'awsEndpoint']);
}

/** Options of a command that reads only the versions folder (`check`). */
export function withVersionsFolderOptions(command: Command): Command {
  return withSettings(withCommonOptions(command), ['dir']);
}

/** Options of the configuration (docs/configuration.md) for serve, config, purge and keys. */
export function withConfigOptions(command: Command): Command {
  return withCommonOptions(
    withSettings(command, [
      'env',
      'db',
      'poolSize',
      'secretId',
      'awsRegion',
      'awsEndpoint',
      'logLevel',
      'logFormat',
    ]),
  );
}

/**
 * Options of the server's address and schema, for serve and config (the table-lock settings
 * bound the upgrade that dev runs at start).
 */
export function withServerOptions(command: Command): Command {
  return withSettings(command, [
    'host',
    'port',
    'drainPeriod',
    'gracePeriod',
    'dir',
    'tableLockTimeout',
    'tableLockRetries',
    'versionTable',
  ]);
}

/** Options of file storage (docs/configuration.md) for serve, config and purge. */
export function withStorageOptions(command: Command): Command {
  return withSettings(command, [
    'storage',
    's3Endpoint',
    's3Region',
    's3ForcePathStyle',
    's3PartSize',
    'maxUploadBytes',
    'uploadSessionMaxAge',
  ]);
}

/** Options of purge only: what it keeps. */
export function withPurgeOptions(command: Command): Command {
  return withSettings(command, ['keepVersions']);
}

/** Options of the commands that talk to a running registry (upload, download). */
export function withClientOptions(command: Command): Command {
  return withCommonOptions(withSettings(command, ['url']));
}

/** --table-lock-timeout and --table-lock-retries, of the commands that change the schema or version table. */
export function withTableLockOptions(command: Command): Command {
  return withSettings(command, ['tableLockTimeout', 'tableLockRetries']);
}

export function lockTimeoutOption(): Option {
  return new Option(
    '--lock-timeout <seconds>',
    'give up waiting for the migration lock after this many seconds (default: wait)',
  );
}
