// prod on PostgreSQL with the database settings in (a local stand-in for) AWS Secrets Manager:
// migrations run as the secret's migration user, the server as a least-privileged user.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../support/run-cli.js';
import {
  dummyAwsEnv,
  startSecretsManagerEndpoint,
  type SecretsManagerEndpoint,
} from '../support/secrets-manager-endpoint.js';
import { describeOnServer } from '../support/for-each-dialect.js';
import { freshDatabaseUrl, serverUrls } from '../support/test-databases.js';
import { startServe } from './serve-process.js';

const suffix = randomBytes(4).toString('hex');
const ownerRole = `dr_owner_${suffix}`;
const appRole = `dr_app_${suffix}`;

/** Runs statements as the test server's administrator, in `database` (default: the server URL's). */
async function asAdmin(
  statements: readonly string[],
  database?: string,
): Promise<pg.QueryResult[]> {
  const url = new URL(serverUrls.postgresql);
  if (database !== undefined) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    const results: pg.QueryResult[] = [];
    for (const statement of statements) results.push(await client.query(statement));
    return results;
  } finally {
    await client.end();
  }
}

describeOnServer('prod on PostgreSQL with Secrets Manager', 'postgresql', () => {
  let endpoint: SecretsManagerEndpoint;
  let database: string;
  const cwd = mkdtempSync(join(tmpdir(), 'dr-prod-'));

  before(async () => {
    database = new URL(await freshDatabaseUrl('postgresql')).pathname.slice(1);
    // The migration user owns the database (and so, from PostgreSQL 15, its public schema); the
    // app user may only read and write the rows of the tables the migration user creates.
    await asAdmin([
      `CREATE ROLE ${ownerRole} LOGIN PASSWORD 'owner-pw'`,
      `CREATE ROLE ${appRole} LOGIN PASSWORD 'app-pw'`,
      `ALTER DATABASE ${database} OWNER TO ${ownerRole}`,
    ]);
    await asAdmin(
      [
        `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerRole} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${appRole}`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerRole} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${appRole}`,
      ],
      database,
    );
    const url = new URL(serverUrls.postgresql);
    endpoint = await startSecretsManagerEndpoint({
      'prod/registry/db': {
        engine: 'postgres',
        host: url.hostname,
        port: Number(url.port || 5432),
        dbname: database,
        username: appRole,
        password: 'app-pw',
        migrationUsername: ownerRole,
        migrationPassword: 'owner-pw',
        dbInstanceIdentifier: 'registry',
      },
      'prod/not-json': 'host=db user=app',
    });
  });

  after(async () => {
    await endpoint?.close();
    rmSync(cwd, { recursive: true, force: true });
    await asAdmin([
      `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
      `DROP ROLE IF EXISTS ${appRole}`,
      `DROP ROLE IF EXISTS ${ownerRole}`,
    ]).catch(() => undefined);
  });

  const prodEnv = () => ({
    ...dummyAwsEnv,
    DATA_REGISTRY_ENV: 'prod',
    DATA_REGISTRY_SECRET_ID: 'prod/registry/db',
    DATA_REGISTRY_AWS_ENDPOINT: endpoint.url,
  });

  test('prod refuses an unmigrated database without keys, naming the key', async () => {
    const result = await runCli(['serve', '--port', '0'], { cwd, env: prodEnv() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /dataregistry: error: prod needs an API key: /);
    const tables = await asAdmin(
      [`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`],
      database,
    );
    assert.deepEqual(tables[0]!.rows, [{ n: 0 }], 'prod did not migrate');
  });

  test('upgrade head runs as the migration user; the server runs as the app user and serves the API', async () => {
    const up = await runCli(['upgrade', 'head'], { cwd, env: prodEnv() });
    assert.equal(up.code, 0, up.stderr);
    const [owners] = await asAdmin(
      [`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`],
      database,
    );
    assert.deepEqual(
      owners!.rows.map((row: { tableowner: string }) => row.tableowner),
      [ownerRole],
    );

    const created = await runCli(['keys', 'create', '--name', 'ci', '--scope', 'write'], {
      cwd,
      env: prodEnv(),
    });
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();

    const server = await startServe(['--port', '0', '--host', '127.0.0.1'], {
      cwd,
      env: prodEnv(),
    });
    try {
      assert.ok(
        server.logs.some((line) => / the code's head$/.test(line.msg)),
        'logs the schema at head',
      );
      assert.ok(!server.logs.some((line) => line.msg.startsWith('Running upgrade')));
      const post = (headers: Record<string, string>) =>
        fetch(`${server.url}/api/records`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ name: 'test 13', description: 'test description' }),
        });
      assert.equal((await post({})).status, 401);
      assert.equal((await post({ access_token: token })).status, 201);
      const [sessions] = await asAdmin([
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '${database}' AND usename <> current_user`,
      ]);
      assert.deepEqual(
        sessions!.rows.map((row: { usename: string }) => row.usename),
        [appRole],
      );
      // Each server's sessions say whose they are, e.g. to whoever looks for a lock's holder.
      const [names] = await asAdmin([
        `SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = '${database}' AND usename = '${appRole}'`,
      ]);
      assert.deepEqual(
        names!.rows.map((row: { application_name: string }) => row.application_name),
        [`dataregistry serve ${hostname()}`],
      );
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test('the app user cannot change the schema: the split is real', async () => {
    const url = new URL(serverUrls.postgresql);
    const client = new pg.Client({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: appRole,
      password: 'app-pw',
      database,
    });
    await client.connect();
    try {
      await assert.rejects(client.query('CREATE TABLE intruder (id int)'), /permission denied/);
      await assert.rejects(client.query('DROP TABLE records'), /must be owner/);
    } finally {
      await client.end();
    }
  });

  test('`config` shows both users, passwords masked, from the secret', async () => {
    const result = await runCli(['config'], { cwd, env: prodEnv() });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      !result.stdout.includes('app-pw') && !result.stdout.includes('owner-pw'),
      result.stdout,
    );
    assert.match(
      result.stdout,
      new RegExp(
        `^DATA_REGISTRY_DB_CONNECTION +postgresql://${appRole}:\\*\\*\\*@[^ ]+/${database} +secret$`,
        'm',
      ),
    );
    assert.match(
      result.stdout,
      new RegExp(
        `^migration database +postgresql://${ownerRole}:\\*\\*\\*@[^ ]+/${database} +secret$`,
        'm',
      ),
    );
  });

  test('an unknown secret, a malformed one and an unreachable endpoint are one line each', async () => {
    const unknown = await runCli(['serve'], {
      cwd,
      env: { ...prodEnv(), DATA_REGISTRY_SECRET_ID: 'prod/nope' },
    });
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /^dataregistry: error: Secrets Manager at http:\/\/127\.0\.0\.1:\d+ refused secret prod\/nope: ResourceNotFoundException: .*\n$/,
    );
    const malformed = await runCli(['upgrade', 'head'], {
      cwd,
      env: { ...prodEnv(), DATA_REGISTRY_SECRET_ID: 'prod/not-json' },
    });
    assert.equal(malformed.code, 1);
    assert.match(
      malformed.stderr,
      /^dataregistry: error: Secret prod\/not-json is not JSON; .*\n$/,
    );
    const unreachable = await runCli(['serve'], {
      cwd,
      env: { ...prodEnv(), DATA_REGISTRY_AWS_ENDPOINT: 'http://127.0.0.1:9' },
    });
    assert.equal(unreachable.code, 75);
    assert.match(
      unreachable.stderr,
      /^dataregistry: error: Secrets Manager at http:\/\/127\.0\.0\.1:9 cannot be reached for secret prod\/registry\/db \(.*ECONNREFUSED.*\n$/,
    );
  });
});
