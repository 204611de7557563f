import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config/config.js';
import { loadMigrationSettings } from '../../src/config/migration-config.js';
import { readSecretString } from '../../src/config/secrets-manager.js';
import { isDataRegistryError } from '../../src/shared/errors.js';
import {
  dummyAwsEnv,
  startSecretsManagerEndpoint,
  type SecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';

// The SDK reads its credentials from the environment of this (test) process.
Object.assign(process.env, dummyAwsEnv);

const secret = {
  engine: 'postgres',
  host: 'db.internal',
  port: 5432,
  dbname: 'registry',
  username: 'registry_app',
  password: 'app-pw',
  migrationUsername: 'registry_owner',
  migrationPassword: 'owner-pw',
};

let endpoint: SecretsManagerEndpoint;
before(async () => {
  endpoint = await startSecretsManagerEndpoint({ 'prod/db': secret, 'bad/json': '{"engine":' });
});
after(() => endpoint.close());

test('reads a secret string through the AWS SDK from a custom endpoint', async () => {
  const text = await readSecretString('prod/db', { endpoint: endpoint.url, region: 'eu-west-1' });
  assert.deepEqual(JSON.parse(text), secret);
  assert.ok(endpoint.requests.includes('prod/db'));
});

test('the database comes from the secret when DATA_REGISTRY_SECRET_ID is set: server and migration users', async () => {
  const env = {
    DATA_REGISTRY_SECRET_ID: 'prod/db',
    DATA_REGISTRY_AWS_ENDPOINT: endpoint.url,
    DATA_REGISTRY_ENV: 'prod',
  };
  const config = await loadConfig({}, { env });
  assert.equal(config.database.url, 'postgresql://registry_app:app-pw@db.internal:5432/registry');
  assert.equal(
    config.database.migrationUrl,
    'postgresql://registry_owner:owner-pw@db.internal:5432/registry',
  );
  assert.equal(config.sources.db, 'secret');
  assert.equal(config.sources.migrationDb, 'secret');
  const migration = await loadMigrationSettings({}, { env });
  assert.equal(migration.databaseUrl, config.database.migrationUrl);
});

test('an unknown secret id is one SECRET_UNREADABLE line quoting the AWS error', async () => {
  await assert.rejects(
    loadConfig({ secretId: 'no/such' }, { env: { DATA_REGISTRY_AWS_ENDPOINT: endpoint.url } }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'SECRET_UNREADABLE' &&
      error.message.startsWith(
        `Secrets Manager at ${endpoint.url} refused secret no/such: ResourceNotFoundException: Secrets Manager can't find the specified secret`,
      ) &&
      !error.message.includes('\n'),
  );
});

test('a secret that is not JSON is one MALFORMED_SECRET line', async () => {
  await assert.rejects(
    loadConfig({ secretId: 'bad/json', awsEndpoint: endpoint.url }, { env: {} }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'MALFORMED_SECRET' &&
      /^Secret bad\/json is not JSON/.test(error.message),
  );
});

test('an endpoint nobody listens on is one SECRETS_MANAGER_UNAVAILABLE line (worth retrying)', async () => {
  const port = await closedPort();
  await assert.rejects(
    loadConfig({ secretId: 'prod/db', awsEndpoint: `http://127.0.0.1:${port}` }, { env: {} }),
    (error) =>
      isDataRegistryError(error) &&
      error.code === 'SECRETS_MANAGER_UNAVAILABLE' &&
      error.message.includes(
        `Secrets Manager at http://127.0.0.1:${port} cannot be reached for secret prod/db (`,
      ) &&
      error.message.includes('ECONNREFUSED') &&
      !error.message.includes('\n'),
  );
});

/** A port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
