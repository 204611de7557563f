// Resolves each setting from its layers: flag, then environment, then env file. Defaults and the
// Secrets Manager secret come later (config.ts), since they depend on other settings.
// Pure: the environment and the env file's contents are passed in.

import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import type { EnvFile } from './env-file.js';
import {
  isKnownVariable,
  settingDefinitions,
  settingNames,
  SettingProblem,
  type ConfigFlags,
  type SettingDefinition,
  type SettingName,
  type SettingValues,
  type ValueSource,
} from './setting-definitions.js';

export interface SettingValue<T> {
  readonly value: T;
  readonly source: ValueSource;
}

/** Each setting's value and source; undefined when no layer sets it. */
export type ResolvedSettings = {
  readonly [K in SettingName]: SettingValue<SettingValues[K]> | undefined;
};

export interface SettingLayers {
  readonly flags: ConfigFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envFile?: EnvFile | undefined;
}

/**
 * Resolves every setting. An empty or blank value counts as unset at every layer, so that
 * `DATA_REGISTRY_PORT=` in a file falls through to the default.
 *
 * @throws DataRegistryError INVALID_CONFIG naming the setting, where its value came from and
 *   what is accepted; INVALID_DATABASE_URL (with the same prefix) for a bad database URL.
 */
export function resolveSettings(layers: SettingLayers): ResolvedSettings {
  const resolved: Partial<Record<SettingName, SettingValue<unknown>>> = {};
  for (const name of settingNames) {
    resolved[name] = resolveOne<unknown>(name, settingDefinitions[name], layers);
  }
  return resolved as ResolvedSettings;
}

function resolveOne<T>(
  name: SettingName,
  definition: SettingDefinition<T>,
  layers: SettingLayers,
): SettingValue<T> | undefined {
  const flagText = name === 'apiKey' ? undefined : layers.flags[name];
  const candidates: [ValueSource, string | undefined][] = [
    ['flag', definition.flag === undefined ? undefined : flagText],
    ['env', layers.env[definition.variable]],
    ['env-file', layers.envFile?.variables[definition.variable]],
  ];
  for (const [source, text] of candidates) {
    if (text === undefined || text.trim() === '') continue;
    return {
      value: parseValue(definition, text, describeOrigin(definition, source, layers)),
      source,
    };
  }
  return undefined;
}

function parseValue<T>(definition: SettingDefinition<T>, text: string, origin: string): T {
  try {
    return definition.parse(text);
  } catch (error) {
    if (error instanceof SettingProblem) {
      const shown = definition.isSecret ? origin : `${origin} \`${text.trim()}\``;
      throw new DataRegistryError('INVALID_CONFIG', `Invalid ${shown}: ${error.message}.`, {
        variable: definition.variable,
      });
    }
    if (isDataRegistryError(error)) {
      throw new DataRegistryError(error.code, `${origin}: ${error.message}`, error.details, {
        cause: error,
      });
    }
    throw error;
  }
}

/** `--port`, `DATA_REGISTRY_PORT (environment)`, `DATA_REGISTRY_PORT in ./prod.env`. */
function describeOrigin(
  definition: SettingDefinition<unknown>,
  source: ValueSource,
  layers: SettingLayers,
): string {
  switch (source) {
    case 'flag':
      return definition.flag ?? definition.variable;
    case 'env':
      return `${definition.variable} (environment)`;
    case 'env-file':
      return `${definition.variable} in ${layers.envFile?.path ?? 'the env file'}`;
    case 'secret':
    case 'default':
      return definition.variable;
    default:
      return source satisfies never;
  }
}

/** Warnings about DATA_REGISTRY_* variables that name no setting (likely typos). */
export function unknownVariableWarnings(layers: SettingLayers): string[] {
  const warnings: string[] = [];
  const check = (names: Iterable<string>, where: string) => {
    for (const name of names) {
      if (!name.startsWith('DATA_REGISTRY_') || isKnownVariable(name)) continue;
      // The test suites' own variables (DATA_REGISTRY_TEST_POSTGRES_URL…) are not settings.
      if (name.startsWith('DATA_REGISTRY_TEST_')) continue;
      warnings.push(`${name} ${where} is not a dataregistry setting and is ignored.`);
    }
  };
  check(Object.keys(layers.env), '(environment)');
  if (layers.envFile) {
    check(Object.keys(layers.envFile.variables), `in ${layers.envFile.path}`);
    for (const name of layers.envFile.ignored) {
      warnings.push(
        `${name} in ${layers.envFile.path} is ignored: only DATA_REGISTRY_* variables are read from an env file.`,
      );
    }
  }
  return warnings;
}
