import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatabaseSecret } from '../../src/config/database-secret.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { isDataRegistryError } from '../../src/shared/errors.js';

const rds = {
  engine: 'postgres',
  host: 'registry.abc123.eu-west-1.rds.amazonaws.com',
  port: 5432,
  dbname: 'registry',
  username: 'registry_app',
  password: 'p@ss/word:1',
  dbInstanceIdentifier: 'registry',
};

test('turns an RDS secret into a URL, percent-encoding the password', () => {
  const secret = parseDatabaseSecret(JSON.stringify(rds), 'prod/db');
  assert.equal(
    secret.url,
    'postgresql://registry_app:p%40ss%2Fword%3A1@registry.abc123.eu-west-1.rds.amazonaws.com:5432/registry',
  );
  assert.equal(secret.migrationUrl, secret.url);
  assert.equal(secret.hasMigrationCredentials, false);
  const parsed = parseDatabaseUrl(secret.url);
  assert.equal(parsed.dialect === 'postgresql' && parsed.password, 'p@ss/word:1');
});

test('gives the migration commands their own user when the secret has migration credentials', () => {
  const secret = parseDatabaseSecret(
    JSON.stringify({ ...rds, migrationUsername: 'registry_owner', migrationPassword: 'owner-pw' }),
    'prod/db',
  );
  assert.equal(secret.hasMigrationCredentials, true);
  assert.match(secret.url, /^postgresql:\/\/registry_app:/);
  assert.equal(
    secret.migrationUrl,
    'postgresql://registry_owner:owner-pw@registry.abc123.eu-west-1.rds.amazonaws.com:5432/registry',
  );
});

const shapes: [string, object, string][] = [
  [
    'MySQL with the port as a string',
    { engine: 'mysql', host: 'h', port: '3307', dbname: 'r', username: 'u', password: 'p' },
    'mysql://u:p@h:3307/r',
  ],
  [
    'MariaDB without a port',
    { engine: 'mariadb', host: 'h', dbname: 'r', username: 'u', password: 'p' },
    'mysql://u:p@h/r',
  ],
  [
    'Aurora PostgreSQL without a database name',
    { engine: 'aurora-postgresql', host: 'h', username: 'u', password: 'p' },
    'postgresql://u:p@h',
  ],
  [
    'PostgreSQL with sslmode',
    {
      engine: 'postgres',
      host: 'h',
      username: 'u',
      password: 'p',
      dbname: 'r',
      sslmode: 'verify-full',
    },
    'postgresql://u:p@h/r?sslmode=verify-full',
  ],
  [
    'an IPv6 host',
    { engine: 'postgres', host: '::1', port: 5432, username: 'u', password: 'p' },
    'postgresql://u:p@[::1]:5432',
  ],
];

for (const [what, shape, url] of shapes) {
  test(`accepts ${what}`, () => {
    assert.equal(parseDatabaseSecret(JSON.stringify(shape), 's').url, url);
  });
}

const malformed: [string, string, RegExp][] = [
  [
    'text that is not JSON',
    'host=db user=app',
    /^Secret prod\/db is not JSON; it must be a JSON object such as/,
  ],
  ['a JSON array', '[1,2]', /is JSON but not an object/],
  ['no password', JSON.stringify({ ...rds, password: undefined }), /has no `password`/],
  ['no engine', JSON.stringify({ ...rds, engine: undefined }), /has no `engine`/],
  [
    'an unsupported engine',
    JSON.stringify({ ...rds, engine: 'oracle-ee' }),
    /names the engine `oracle-ee`, which dataregistry does not support/,
  ],
  [
    'a port that is no port',
    JSON.stringify({ ...rds, port: 'fivethousand' }),
    /has a `port` that is not a whole number/,
  ],
  [
    'a number where text belongs',
    JSON.stringify({ ...rds, username: 42 }),
    /has a `username` that is not a string/,
  ],
  [
    'MySQL without a database name',
    JSON.stringify({ ...rds, engine: 'mysql', dbname: undefined }),
    /has no `dbname`/,
  ],
  [
    'only half of the migration credentials',
    JSON.stringify({ ...rds, migrationUsername: 'owner' }),
    /has only one of `migrationUsername` and `migrationPassword`/,
  ],
  [
    'an sslmode the URL refuses',
    JSON.stringify({ ...rds, sslmode: 'sometimes' }),
    /does not make a valid database URL/,
  ],
];

for (const [what, text, message] of malformed) {
  test(`refuses a secret with ${what} (MALFORMED_SECRET), without quoting its values`, () => {
    assert.throws(
      () => parseDatabaseSecret(text, 'prod/db'),
      (error) =>
        isDataRegistryError(error) &&
        error.code === 'MALFORMED_SECRET' &&
        message.test(error.message) &&
        !error.message.includes('p@ss') &&
        !error.message.includes('\n'),
    );
  });
}
