// The scratch databases of `check`: a temporary SQLite file, or a database created on the server
// a `--db` URL names (whether or not the URL names a database of its own, which is never
// touched) and dropped afterwards. Creating and dropping databases is all this module does.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../../db/connect.js';
import type { DatabaseHandle } from '../../../db/database-handle.js';
import { maskDatabaseUrl, parseDatabaseUrl } from '../../../db/database-url.js';
import type { DialectName } from '../../../db/dialect-name.js';

export interface ScratchDatabase {
  readonly handle: DatabaseHandle;
  readonly dialect: DialectName;
  /** The server's URL as given (password masked), or `temporary SQLite file`. */
  readonly displayUrl: string;
  /** Closes the scratch database and removes it. Idempotent; never throws. */
  drop(): Promise<void>;
}

/**
 * A new empty database beside `serverUrl` (undefined: a temporary SQLite file). An SQLite URL
 * also gets a temporary file: the file it names is left alone.
 *
 * @throws DataRegistryError DATABASE_UNAVAILABLE when the server cannot be reached,
 *   INVALID_DATABASE_URL when the URL cannot be parsed.
 */
export async function createScratchDatabase(serverUrl?: string): Promise<ScratchDatabase> {
  const dialect =
    serverUrl === undefined ? 'sqlite' : parseDatabaseUrl(adminUrl(serverUrl)).dialect;
  if (serverUrl === undefined || dialect === 'sqlite') return createSqliteFile();
  const admin = await openDatabase(adminUrl(serverUrl), { poolSize: 1 });
  const name = `dr_check_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;
  try {
    await sql.raw(`CREATE DATABASE ${name}`).execute(admin.db);
    handle = await openDatabase(withDatabase(serverUrl, name));
  } catch (error) {
    await dropServerDatabase(admin, name);
    throw error;
  }
  let dropped: Promise<void> | undefined;
  return {
    handle,
    dialect,
    displayUrl: maskDatabaseUrl(serverUrl),
    drop() {
      dropped ??= (async () => {
        await handle.close().catch(() => undefined);
        await dropServerDatabase(admin, name);
      })();
      return dropped;
    },
  };
}

async function createSqliteFile(): Promise<ScratchDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'dataregistry-check-'));
  const handle = await openDatabase(`sqlite:${join(folder, 'round-trip.db')}`);
  // A throwaway file: no fsync on each commit, which would make the round trip wait on the disk.
  await sql`PRAGMA synchronous = OFF`.execute(handle.db);
  let dropped: Promise<void> | undefined;
  return {
    handle,
    dialect: 'sqlite',
    displayUrl: 'temporary SQLite file',
    drop() {
      dropped ??= (async () => {
        await handle.close().catch(() => undefined);
        rmSync(folder, { recursive: true, force: true });
      })();
      return dropped;
    },
  };
}

async function dropServerDatabase(admin: DatabaseHandle, name: string): Promise<void> {
  // WITH (FORCE) ends sessions a failed revision left open (PostgreSQL 13 and later).
  const force = admin.dialect.name === 'postgresql' ? ' WITH (FORCE)' : '';
  await sql
    .raw(`DROP DATABASE IF EXISTS ${name}${force}`)
    .execute(admin.db)
    .catch(() => undefined);
  await admin.close();
}

/**
 * The URL to create databases through: as given, except that a MySQL URL naming no database
 * (which the URL parser refuses) connects to information_schema, which every user may open.
 */
function adminUrl(url: string): string {
  if (!/^(mysql|mariadb)/i.test(url.trim())) return url;
  const parsed = new URL(url.trim());
  if (parsed.pathname.replace(/^\//, '') === '') parsed.pathname = '/information_schema';
  return parsed.href;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url.trim());
  parsed.pathname = `/${name}`;
  return parsed.href;
}
