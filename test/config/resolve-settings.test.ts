import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EnvFile } from '../../src/config/env-file.js';
import { resolveSettings, unknownVariableWarnings } from '../../src/config/resolve-settings.js';
import {
  settingDefinitions,
  settingNames,
  type ConfigFlags,
  type SettingName,
} from '../../src/config/setting-definitions.js';
import { isDataRegistryError } from '../../src/shared/errors.js';

/** Three valid texts per setting, adjacent ones different: for the flag, the environment, the file. */
const samples: Record<SettingName, readonly [string, string, string]> = {
  env: ['prod', 'dev', 'prod'],
  db: ['sqlite:flag.db', 'postgresql://u:p@env-host/db', 'mysql://u@file-host/db'],
  poolSize: ['3', '4', '5'],
  host: ['0.0.0.0', '127.0.0.1', '::1'],
  port: ['8080', '8081', '0'],
  drainPeriod: ['0', '5s', '1500ms'],
  gracePeriod: ['20', '1m', '0'],
  apiKey: ['flag-has-no-api-key!', 'env-key-0123456789', 'file-key-0123456789'],
  secretId: ['flag/secret', 'env/secret', 'arn:aws:secretsmanager:eu-west-1:1:secret:file'],
  awsRegion: ['eu-west-1', 'us-east-1', 'ap-south-2'],
  awsEndpoint: ['http://127.0.0.1:1', 'https://env.example', 'http://file.example:4566'],
  logLevel: ['debug', 'warn', 'silent'],
  logFormat: ['json', 'pretty', 'json'],
  dir: ['flag-dir', 'env-dir', 'file-dir'],
  versionTable: ['alembic_version', 'env_version', 'file_version'],
  storage: ['./flag-files', 's3://env-bucket/prefix', '/srv/file-files'],
  s3Endpoint: ['http://127.0.0.1:9000', 'https://s3.env.example', 'http://file.example:9000'],
  s3Region: ['eu-west-1', 'us-east-1', 'auto'],
  s3ForcePathStyle: ['true', 'false', 'yes'],
  s3PartSize: ['8MiB', '64MiB', '5242880'],
  maxUploadBytes: ['1048576', '10GiB', '500MB'],
  uploadSessionMaxAge: ['7d', '12h', '2w'],
  keepVersions: ['3', '10', '1'],
  url: ['http://flag.example:5000', 'https://env.example', 'http://127.0.0.1:8080'],
  tableLockTimeout: ['1', '0.5', '0'],
  tableLockRetries: ['10', '0', '3'],
};

function envFileOf(variables: Record<string, string>): EnvFile {
  return { path: 'test.env', variables, ignored: [] };
}

function layersFor(name: SettingName, present: { flag: boolean; env: boolean; file: boolean }) {
  const definition = settingDefinitions[name];
  const [flagText, envText, fileText] = samples[name];
  const flags: Record<string, string> = present.flag ? { [name]: flagText } : {};
  return {
    flags: flags as ConfigFlags,
    env: present.env ? { [definition.variable]: envText } : {},
    envFile: envFileOf(present.file ? { [definition.variable]: fileText } : {}),
  };
}

for (const name of settingNames) {
  const definition = settingDefinitions[name];
  const [flagText, envText, fileText] = samples[name];
  const parsed = (text: string) => definition.parse(text) as unknown;

  if (definition.flag !== undefined) {
    test(`${definition.flag} takes precedence over ${definition.variable} in the environment and the env file`, () => {
      const resolved = resolveSettings(layersFor(name, { flag: true, env: true, file: true }));
      assert.deepEqual(resolved[name], { value: parsed(flagText), source: 'flag' });
    });
  }

  test(`${definition.variable} in the environment takes precedence over the env file`, () => {
    const resolved = resolveSettings(layersFor(name, { flag: false, env: true, file: true }));
    assert.deepEqual(resolved[name], { value: parsed(envText), source: 'env' });
  });

  test(`${definition.variable} in the env file is used when neither flag nor environment sets it`, () => {
    const resolved = resolveSettings(layersFor(name, { flag: false, env: false, file: true }));
    assert.deepEqual(resolved[name], { value: parsed(fileText), source: 'env-file' });
  });

  test(`${definition.variable} is unset (left to the default) when no layer sets it, or sets it blank`, () => {
    assert.equal(
      resolveSettings(layersFor(name, { flag: false, env: false, file: false }))[name],
      undefined,
    );
    const blank = resolveSettings({
      flags: { [name]: '' },
      env: { [definition.variable]: '  ' },
      envFile: envFileOf({ [definition.variable]: '' }),
    });
    assert.equal(blank[name], undefined);
  });
}

test('the API key has no flag: a flag of that name is ignored, since argv is visible to everyone', () => {
  assert.equal(settingDefinitions.apiKey.flag, undefined);
  const flags = { apiKey: 'flag-key-0123456789' } as unknown as ConfigFlags;
  assert.equal(resolveSettings({ flags, env: {} }).apiKey, undefined);
});

const invalid: [string, Record<string, string>, RegExp][] = [
  [
    'a port that is not a number',
    { DATA_REGISTRY_PORT: 'abc' },
    /^Invalid DATA_REGISTRY_PORT \(environment\) `abc`: give a whole number from 0 to 65535\.$/,
  ],
  [
    'a port out of range',
    { DATA_REGISTRY_PORT: '70000' },
    /DATA_REGISTRY_PORT .*`70000`: give a whole number from 0 to 65535/,
  ],
  [
    'an environment other than dev or prod',
    { DATA_REGISTRY_ENV: 'staging' },
    /^Invalid DATA_REGISTRY_ENV \(environment\) `staging`: give one of dev, prod\.$/,
  ],
  [
    'a pool size of 0',
    { DATA_REGISTRY_DB_POOL_SIZE: '0' },
    /DATA_REGISTRY_DB_POOL_SIZE .*give a whole number from 1 to 1000/,
  ],
  [
    'an unknown log level',
    { DATA_REGISTRY_LOG_LEVEL: 'verbose' },
    /give one of fatal, error, warn, info, debug, trace, silent/,
  ],
  [
    'an unknown log format',
    { DATA_REGISTRY_LOG_FORMAT: 'text' },
    /^Invalid DATA_REGISTRY_LOG_FORMAT \(environment\) `text`: give one of pretty, json\.$/,
  ],
  [
    'an endpoint that is not a URL',
    { DATA_REGISTRY_AWS_ENDPOINT: 'localhost:4566' },
    /DATA_REGISTRY_AWS_ENDPOINT .*give an http:\/\/ or https:\/\/ URL/,
  ],
  [
    'a region with spaces',
    { DATA_REGISTRY_AWS_REGION: 'eu west' },
    /give a region such as eu-west-1/,
  ],
];

for (const [what, env, message] of invalid) {
  test(`refuses ${what} with one line naming the variable (INVALID_CONFIG)`, () => {
    assert.throws(
      () => resolveSettings({ flags: {}, env }),
      (error) =>
        isDataRegistryError(error) &&
        error.code === 'INVALID_CONFIG' &&
        message.test(error.message) &&
        !error.message.includes('\n'),
    );
  });
}

test('names the flag, or the env file, that holds a bad value', () => {
  assert.throws(
    () => resolveSettings({ flags: { port: 'x' }, env: {} }),
    /Invalid --port `x`: give a whole number from 0 to 65535\.$/,
  );
  assert.throws(
    () => resolveSettings({ flags: {}, env: {}, envFile: envFileOf({ DATA_REGISTRY_PORT: 'x' }) }),
    /Invalid DATA_REGISTRY_PORT in test\.env `x`/,
  );
});

test('a bad database URL keeps its code and says where it came from', () => {
  assert.throws(
    () => resolveSettings({ flags: {}, env: { DATA_REGISTRY_DB_CONNECTION: 'oracle://x/y' } }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'INVALID_DATABASE_URL' &&
      error.message.startsWith('DATA_REGISTRY_DB_CONNECTION (environment): Database URL'),
  );
});

test('a bad API key is refused without quoting it', () => {
  assert.throws(
    () => resolveSettings({ flags: {}, env: { DATA_REGISTRY_API_KEY: 'short' } }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'INVALID_CONFIG' &&
      !error.message.includes('short') &&
      error.message.includes('at least 16 characters'),
  );
});

test('warns about DATA_REGISTRY_* variables that are no setting, and about other variables in the env file', () => {
  const warnings = unknownVariableWarnings({
    flags: {},
    env: {
      DATA_REGISTRY_PROT: '1',
      DATA_REGISTRY_PORT: '1',
      DATA_REGISTRY_TEST_POSTGRES_URL: 'x',
      HOME: '/',
    },
    envFile: { path: 'x.env', variables: { DATA_REGISTRY_DB: 'x' }, ignored: ['AWS_REGION'] },
  });
  assert.deepEqual(warnings, [
    'DATA_REGISTRY_PROT (environment) is not a dataregistry setting and is ignored.',
    'DATA_REGISTRY_DB in x.env is not a dataregistry setting and is ignored.',
    'AWS_REGION in x.env is ignored: only DATA_REGISTRY_* variables are read from an env file.',
  ]);
});
