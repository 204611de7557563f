// The test databases: which servers are reachable (probed once per test process) and a fresh,
// uniquely named database per call, dropped when the test file finishes. Talks to the servers
// through the drivers directly, so that it does not depend on the code under test.

import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { maskDatabaseUrl } from '../../src/db/database-url.js';
import type { DialectName } from '../../src/db/dialect-name.js';

export type ServerDialect = Exclude<DialectName, 'sqlite'>;

/** The server each dialect's tests use: an administrator's URL (it may create databases). */
export const serverUrls: Readonly<Record<ServerDialect, string>> = {
  postgresql:
    process.env.DATA_REGISTRY_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.DATA_REGISTRY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

/** The environment variable that names each server, for messages. */
export const serverUrlVariables: Readonly<Record<ServerDialect, string>> = {
  postgresql: 'DATA_REGISTRY_TEST_POSTGRES_URL',
  mysql: 'DATA_REGISTRY_TEST_MYSQL_URL',
};

export type Availability =
  { readonly available: true } | { readonly available: false; readonly reason: string };

const probeTimeoutMs = 3000;

async function probe(dialect: ServerDialect): Promise<Availability> {
  try {
    await withAdminConnection(dialect, async () => {});
    return { available: true };
  } catch (error) {
    return { available: false, reason: shortReason(error) };
  }
}

const [postgresAvailability, mysqlAvailability] = await Promise.all([
  probe('postgresql'),
  probe('mysql'),
]);

/** Whether each dialect's database can be used; SQLite always can. */
export function availabilityOf(dialect: DialectName): Availability {
  switch (dialect) {
    case 'sqlite':
      return { available: true };
    case 'postgresql':
      return postgresAvailability;
    case 'mysql':
      return mysqlAvailability;
    default:
      return dialect satisfies never;
  }
}

/** The server URL, password masked, for messages. */
export function displayServerUrl(dialect: ServerDialect): string {
  return maskDatabaseUrl(serverUrls[dialect]);
}

const createdDatabases: { dialect: ServerDialect; name: string }[] = [];
const createdFolders: string[] = [];

/**
 * A new empty database and its URL: on a server, `<prefix>_<random>` (default `dr_test_…`) created through the
 * administrator's connection; for SQLite, a file in a new temporary folder. Everything created
 * is dropped when the test file finishes (best effort).
 */
export async function freshDatabaseUrl(dialect: DialectName, prefix = 'dr_test'): Promise<string> {
  if (dialect === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'dr-test-'));
    createdFolders.push(folder);
    return `sqlite:${join(folder, 'x.db')}`;
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdminConnection(dialect, (run) => run(`CREATE DATABASE ${name}`));
  createdDatabases.push({ dialect, name });
  return databaseUrl(dialect, name);
}

/** The server URL with another database name. */
export function databaseUrl(dialect: ServerDialect, name: string): string {
  const url = new URL(serverUrls[dialect]);
  url.pathname = `/${name}`;
  return url.href;
}

after(async () => {
  for (const folder of createdFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
  const drops = createdDatabases.splice(0).map(({ dialect, name }) =>
    withAdminConnection(dialect, (run) =>
      // WITH (FORCE) ends sessions a failed test left open (PostgreSQL 13 and later).
      run(`DROP DATABASE IF EXISTS ${name}${dialect === 'postgresql' ? ' WITH (FORCE)' : ''}`),
    ),
  );
  await Promise.allSettled(drops);
});

type RunStatement = (statement: string) => Promise<void>;

async function withAdminConnection(
  dialect: ServerDialect,
  work: (run: RunStatement) => Promise<void>,
): Promise<void> {
  const url = new URL(serverUrls[dialect]);
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  if (dialect === 'postgresql') {
    const client = new pg.Client({
      host,
      port: Number(url.port || 5432),
      user,
      password,
      database,
      connectionTimeoutMillis: probeTimeoutMs,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await work(async (statement) => {
        await client.query(statement);
      });
    } finally {
      await client.end().catch(() => {});
    }
    return;
  }
  const connection = await mysql.createConnection({
    host,
    port: Number(url.port || 3306),
    user,
    password,
    database,
    connectTimeout: probeTimeoutMs,
  });
  try {
    await work(async (statement) => {
      await connection.query(statement);
    });
  } finally {
    await connection.end().catch(() => {});
  }
}

function shortReason(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = 'code' in error ? error.code : undefined;
    if (typeof code === 'string' && code !== '') return code;
    if (error instanceof AggregateError && error.errors.length > 0) {
      return shortReason(error.errors[0]);
    }
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
