// SQLite: its adapter (capability flags, literals, `?` placeholders, the classification of
// SQLite's errors), a Kysely SqliteDialect over better-sqlite3 with a cache of prepared
// statements, and the migration lock (an exclusive transaction on a sidecar lock database).
// better-sqlite3 is loaded only when a database is opened.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { DataRegistryError } from '../../shared/errors.js';
import type { DialectModule, OpenDatabaseOptions, OpenedDatabase } from '../connect.js';
import type { SqliteDatabaseUrl } from '../database-url.js';
import type {
  DialectAdapter,
  DriverErrorKind,
  LockHolder,
  MigrationLocks,
  TableLockWaits,
} from '../dialect-adapter.js';
import { withStatementCache } from './sqlite-statement-cache.js';

type DatabaseConstructor = typeof BetterSqlite3;

/** Milliseconds a statement waits for another connection's write lock before SQLITE_BUSY. */
const busyTimeoutMs = 5000;

const sqliteAdapter: DialectAdapter = {
  name: 'sqlite',
  supportsTransactionalDdl: true,
  // better-sqlite3 prepares exactly one statement per query.
  acceptsStatementBatches: false,
  supportsDataModifyingWith: false,
  classifyError: classifySqliteError,
  // The busy timeout belongs to the connection; it bounds the wait for another connection's
  // write lock (which is what DDL needs: SQLite has no table locks between connections).
  tableLockTimeoutSql: (timeoutMs) => ({
    session: [`PRAGMA busy_timeout = ${Math.max(1, Math.round(timeoutMs))}`],
    resetSession: [`PRAGMA busy_timeout = ${busyTimeoutMs}`],
    transaction: undefined,
  }),
  renderLiteral: renderSqliteLiteral,
  placeholderStyle: 'question-mark',
  // The sqlite3 shell runs a statement once a `;` completes it, so a trigger's `BEGIN … END`
  // with semicolons inside needs nothing more.
  terminateStatement: (statement) => `${statement};`,
  offlineTransaction: { begin: 'BEGIN;', commit: 'COMMIT;' },
  // A rowid alias already grows monotonically while the largest row is never deleted (history
  // rows never are); AUTOINCREMENT would add a sqlite_sequence write to every insert.
  autoIncrementPrimaryKey: 'integer primary key',
  currentTimestampSql: `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  kyselyParts: {
    createAdapter: () => new SqliteAdapter(),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  },
};

export const sqliteDialect: DialectModule<SqliteDatabaseUrl> = {
  adapter: sqliteAdapter,
  open: openSqliteDatabase,
  connectFailureHint,
};

async function openSqliteDatabase(
  url: SqliteDatabaseUrl,
  { mode = 'create' }: OpenDatabaseOptions,
): Promise<OpenedDatabase> {
  const Database = (await import('better-sqlite3')).default;
  const isFile = !url.inMemory;
  if (isFile && mode !== 'create' && !existsSync(url.path)) throw databaseNotFound(url.path);
  if (isFile && mode === 'create') mkdirSync(dirname(url.path), { recursive: true });
  const database = new Database(url.inMemory ? ':memory:' : url.path, {
    timeout: busyTimeoutMs,
    readonly: isFile && mode === 'read-only',
    // Checked above already; this closes the race with a file deleted in between.
    fileMustExist: isFile && mode !== 'create',
  });
  try {
    database.pragma('foreign_keys = ON');
    // A read-only connection leaves the journal mode to the writers.
    if (isFile && mode !== 'read-only') {
      // WAL lets readers (`current`, the server) work while a migration writes.
      database.pragma('journal_mode = WAL');
      // In WAL mode NORMAL syncs at checkpoints rather than at every commit: a power loss may
      // undo the last transactions, but never corrupts the file or splits a revision from its
      // version row (https://www.sqlite.org/pragma.html#pragma_synchronous).
      database.pragma('synchronous = NORMAL');
    }
  } catch (error) {
    database.close();
    throw error;
  }
  // Kysely prepares every query anew; the cache keeps the compiled statements of repeated SQL.
  const db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const locks = url.inMemory ? inProcessLocks() : sidecarLocks(Database, url.path);
  return { db, locks, lockWaits: sqliteLockWaits, close: () => db.destroy() };
}

/** One line that names the file (and its folder, when that is missing too) and the way out. */
function databaseNotFound(path: string): DataRegistryError {
  const folder = dirname(path);
  const what = existsSync(folder)
    ? `No SQLite database ${path}`
    : `No SQLite database ${path} (nor its folder ${folder})`;
  return new DataRegistryError(
    'DATABASE_NOT_FOUND',
    `${what}: this command does not create one; \`dataregistry upgrade\` would. Check --db or DATA_REGISTRY_DB_CONNECTION.`,
    { path },
  );
}

// --- The migration lock ---------------------------------------------------------------------

/**
 * The lock of a database file: `BEGIN EXCLUSIVE` on the sidecar database `<file>.lock`, through
 * its own connection that never waits (busy timeout 0: SQLITE_BUSY means someone else holds it).
 * The operating system drops the file lock when the process dies. The holder is written to
 * `<file>.lock.json` for waiters. All lock names of one file share the sidecar: two version
 * tables in one SQLite file take turns, which costs only waiting.
 */
function sidecarLocks(Database: DatabaseConstructor, path: string): MigrationLocks {
  const lockPath = `${path}.lock`;
  const holderPath = `${lockPath}.json`;
  return {
    tryAcquireLock(lockName, holder) {
      const connection = new Database(lockPath, { timeout: 0 });
      try {
        connection.exec('BEGIN EXCLUSIVE');
      } catch (error) {
        connection.close();
        if (errorCode(error) !== 'SQLITE_BUSY' && errorCode(error) !== 'SQLITE_LOCKED') {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        return Promise.resolve({ acquired: false, holder: readHolder(holderPath) });
      }
      writeHolder(holderPath, lockName, holder);
      const release = () => {
        // Forget the holder while still holding the lock, so that the next holder's file survives.
        rmSync(holderPath, { force: true });
        connection.close(); // rolls back the (empty) exclusive transaction, releasing the lock
        return Promise.resolve();
      };
      return Promise.resolve({ acquired: true, lock: { release } });
    },
  };
}

/** The holder file, or undefined when it is missing, half written or not ours. */
function readHolder(holderPath: string): LockHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(holderPath, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { host, pid, since } = parsed as Record<string, unknown>;
    if (typeof host !== 'string' || typeof pid !== 'number' || typeof since !== 'string') {
      return undefined;
    }
    const date = new Date(since);
    return Number.isNaN(date.getTime()) ? undefined : { host, pid, since: date };
  } catch {
    return undefined;
  }
}

/** Best effort, written whole (temporary file, then rename) so that readers never see half. */
function writeHolder(holderPath: string, lockName: string, holder: LockHolder): void {
  const temporary = `${holderPath}.${process.pid}.tmp`;
  const text = JSON.stringify({
    lockName,
    host: holder.host,
    pid: holder.pid,
    since: holder.since.toISOString(),
  });
  try {
    writeFileSync(temporary, `${text}\n`);
    renameSync(temporary, holderPath);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** `:memory:` databases exist only in this connection: a lock within the adapter is enough. */
function inProcessLocks(): MigrationLocks {
  const holders = new Map<string, LockHolder>();
  return {
    tryAcquireLock(lockName, holder) {
      const current = holders.get(lockName);
      if (current) return Promise.resolve({ acquired: false, holder: current });
      holders.set(lockName, holder);
      const release = () => {
        holders.delete(lockName);
        return Promise.resolve();
      };
      return Promise.resolve({ acquired: true, lock: { release } });
    },
  };
}

/** SQLite shows no one: a busy database does not say which connection holds its write lock. */
const sqliteLockWaits: TableLockWaits = {
  readSessionId: () => Promise.resolve(undefined),
  readLockHolders: () => Promise.resolve([]),
  readInvalidIndexes: () => Promise.resolve([]),
};

// --- Literals and errors --------------------------------------------------------------------

/** `'` doubled; SQLite has no backslash escapes. */
function renderSqliteLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot render ${value} as an SQL literal`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

const kindByCode = new Map<string, DriverErrorKind>([
  ['SQLITE_CONSTRAINT_UNIQUE', 'unique-violation'],
  ['SQLITE_CONSTRAINT_PRIMARYKEY', 'unique-violation'],
  ['SQLITE_CONSTRAINT_FOREIGNKEY', 'foreign-key-violation'],
  ['SQLITE_CANTOPEN', 'connection'],
]);

function classifySqliteError(error: unknown): DriverErrorKind {
  const code = errorCode(error);
  const kind = code === undefined ? undefined : kindByCode.get(code);
  if (kind) return kind;
  // SQLITE_BUSY: another connection held the write lock past the busy timeout (or, _SNAPSHOT,
  // wrote since this transaction read); SQLITE_LOCKED: a table of this connection is in use.
  if (code !== undefined && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code)) return 'lock-timeout';
  const message = error instanceof Error ? error.message : '';
  if (code === 'SQLITE_ERROR' && message.startsWith('no such table')) return 'undefined-table';
  // better-sqlite3 throws a TypeError once the connection is closed.
  if (message === 'The database connection is not open') return 'connection';
  return 'other';
}

function connectFailureHint(error: unknown): string {
  const code = errorCode(error);
  if (code === 'SQLITE_NOTADB') return 'Is the file an SQLite database?';
  return 'Is the path a file that this process may create, read and write?';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
