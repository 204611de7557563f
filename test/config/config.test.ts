import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, requireDatabaseUrl } from '../../src/config/config.js';
import { packageVersionsDir } from '../../src/config/config-defaults.js';
import { resolveMigrationSettings } from '../../src/config/migration-config.js';
import { isDataRegistryError } from '../../src/shared/errors.js';

function writeEnvFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dr-config-')), 'test.env');
  writeFileSync(path, text);
  return path;
}

test('with no configuration at all: dev, SQLite in ./data, loopback, port 5000, every value a default', async () => {
  const config = await loadConfig({}, { env: {} });
  assert.equal(config.env, 'dev');
  assert.deepEqual(config.database, {
    url: 'sqlite:./data/dataregistry.db',
    migrationUrl: 'sqlite:./data/dataregistry.db',
    poolSize: 10,
  });
  assert.deepEqual(config.server, {
    host: '127.0.0.1',
    port: 5000,
    drainPeriodMs: 5000,
    gracePeriodMs: 20_000,
  });
  assert.equal(config.apiKey, undefined);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.versionsDir, packageVersionsDir);
  assert.equal(config.sources.db, 'default');
  assert.equal(config.sources.port, 'default');
  assert.equal(config.sources.apiKey, undefined);
  assert.deepEqual(config.warnings, []);
});

test('the drain and grace periods come from --drain-period and DATA_REGISTRY_GRACE_PERIOD; 0 means none', async () => {
  const config = await loadConfig(
    { drainPeriod: '0' },
    { env: { DATA_REGISTRY_GRACE_PERIOD: '1500ms' } },
  );
  assert.equal(config.server.drainPeriodMs, 0);
  assert.equal(config.server.gracePeriodMs, 1500);
  assert.equal(config.sources.drainPeriod, 'flag');
  assert.equal(config.sources.gracePeriod, 'env');
  await assert.rejects(
    loadConfig({ drainPeriod: 'soon' }, { env: {} }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'INVALID_CONFIG' &&
      /--drain-period/.test(error.message),
  );
});

test('prod has no default database and listens on every interface by default', async () => {
  const config = await loadConfig({}, { env: { DATA_REGISTRY_ENV: 'prod' } });
  assert.equal(config.database.url, undefined);
  assert.equal(config.sources.db, undefined);
  assert.equal(config.server.host, '0.0.0.0');
  assert.throws(
    () => requireDatabaseUrl(config, 'server'),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'MISSING_CONFIG' &&
      /DATA_REGISTRY_SECRET_ID/.test(error.message),
  );
});

test('reads an env file below the environment and above the defaults, ignoring comments and quotes', async () => {
  const path = writeEnvFile(
    [
      '# production settings',
      'DATA_REGISTRY_ENV=prod',
      'DATA_REGISTRY_PORT=6000',
      'export DATA_REGISTRY_HOST="10.0.0.5"',
      "DATA_REGISTRY_API_KEY='file-key-0123456789' # the admin key",
      'DATA_REGISTRY_DB_CONNECTION=postgresql://app:s3cret@db/registry',
    ].join('\n'),
  );
  const config = await loadConfig(
    { envFile: path, host: '127.0.0.2' },
    { env: { DATA_REGISTRY_PORT: '7000' } },
  );
  assert.equal(config.env, 'prod');
  assert.equal(config.sources.env, 'env-file');
  assert.equal(config.server.port, 7000);
  assert.equal(config.sources.port, 'env');
  assert.equal(config.server.host, '127.0.0.2');
  assert.equal(config.sources.host, 'flag');
  assert.equal(config.apiKey, 'file-key-0123456789');
  assert.equal(config.database.url, 'postgresql://app:s3cret@db/registry');
  assert.equal(config.sources.db, 'env-file');
});

test('an env file that cannot be read is one INVALID_CONFIG line naming it', async () => {
  await assert.rejects(
    loadConfig({ envFile: '/nonexistent/prod.env' }, { env: {} }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'INVALID_CONFIG' &&
      error.message.startsWith('--env-file /nonexistent/prod.env cannot be read (ENOENT)'),
  );
});

test('a database set directly wins over the secret, which is then not read, with a warning', async () => {
  const config = await loadConfig(
    { db: 'sqlite:x.db' },
    {
      env: { DATA_REGISTRY_SECRET_ID: 'prod/db', DATA_REGISTRY_AWS_ENDPOINT: 'http://127.0.0.1:9' },
    },
  );
  assert.equal(config.database.url, 'sqlite:x.db');
  assert.equal(config.database.migrationUrl, 'sqlite:x.db');
  assert.deepEqual(config.warnings, [
    'DATA_REGISTRY_SECRET_ID (prod/db) is not read: the database is set by a flag.',
  ]);
});

test('the migration commands keep their synchronous settings: flag, environment, env file, default', () => {
  assert.deepEqual(resolveMigrationSettings({}, {}), {
    databaseUrl: 'sqlite:./data/dataregistry.db',
    databaseUrlSource: 'default',
    versionsDir: packageVersionsDir,
    versionsDirSource: 'default',
    tableLock: { timeoutMs: 1000, retries: 10 },
    versionTable: undefined,
  });
  const fromEnv = resolveMigrationSettings(
    { dir: 'revs', tableLockRetries: '3' },
    {
      DATA_REGISTRY_DB_CONNECTION: 'sqlite:e.db',
      DATA_REGISTRY_TABLE_LOCK_TIMEOUT: '0.25',
      DATA_REGISTRY_VERSION_TABLE: 'alembic_version',
    },
  );
  assert.deepEqual(fromEnv.tableLock, { timeoutMs: 250, retries: 3 });
  assert.equal(fromEnv.versionTable, 'alembic_version');
  assert.equal(fromEnv.databaseUrl, 'sqlite:e.db');
  assert.equal(fromEnv.databaseUrlSource, 'env');
  assert.equal(fromEnv.versionsDir, join(process.cwd(), 'revs'));
  assert.equal(fromEnv.versionsDirSource, 'flag');
});

test('a version table that is not a plain table name is INVALID_CONFIG naming the variable', () => {
  assert.throws(
    () => resolveMigrationSettings({}, { DATA_REGISTRY_VERSION_TABLE: 'alembic version; drop' }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'INVALID_CONFIG' &&
      error.message.includes('DATA_REGISTRY_VERSION_TABLE') &&
      error.message.includes('letters, digits and _'),
  );
});
