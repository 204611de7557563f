// Opens a database from its URL: picks the dialect module by the URL's scheme, checks the
// connection once, and turns a failure into one readable DATABASE_UNAVAILABLE. Dialect
// differences live in db/dialects/; this module only maps a dialect name to its module.

import { sql, type Kysely } from 'kysely';
import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import type { DatabaseHandle } from './database-handle.js';
import { maskDatabaseUrl, parseDatabaseUrl, type DatabaseUrl } from './database-url.js';
import type {
  ConnectedDialectAdapter,
  DialectAdapter,
  HeldLock,
  MigrationLocks,
  TableLockWaits,
} from './dialect-adapter.js';
import type { DialectName } from './dialect-name.js';
import { mysqlDialect } from './dialects/mysql.js';
import { postgresDialect } from './dialects/postgres.js';
import { sqliteDialect } from './dialects/sqlite.js';

export interface OpenDatabaseOptions {
  /** Most connections the pool opens (PostgreSQL, MySQL); default: the driver's (10). SQLite has one. */
  readonly poolSize?: number;
  /**
   * What may happen to an SQLite file (server databases are never created by connecting, so
   * PostgreSQL and MySQL ignore it). `create` (the default, for `upgrade`, `stamp` and a dev
   * server) creates a missing file and its folder; `existing` opens the file for reading and
   * writing but never creates it; `read-only` opens it without writing to it (`current`,
   * `--sql`). A missing file is DATABASE_NOT_FOUND under `existing` and `read-only`.
   */
  readonly mode?: SqliteOpenMode;
  /**
   * Who this process is, as every connection tells the server, so that whoever holds or waits
   * for a lock can be told apart (`dataregistry serve web-1`, `dataregistry upgrade`):
   * PostgreSQL's `application_name` (shown in pg_stat_activity; an `application_name` in the URL
   * wins), MySQL's `program_name` connection attribute (performance_schema.session_connect_attrs).
   * Default `dataregistry`. SQLite has no server to tell.
   */
  readonly applicationName?: string;
}

export type SqliteOpenMode = 'create' | 'existing' | 'read-only';

/** What a dialect module's `open` returns: a connected (but not yet checked) database. */
export interface OpenedDatabase {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** The lock of this database, on connections of its own (not the pool's). */
  readonly locks: MigrationLocks;
  /** Who holds the locks a session waits for, on connections of the pool. */
  readonly lockWaits: TableLockWaits;
  /** Destroys the Kysely instance (and with it the pool). Called once. */
  close(): Promise<void>;
}

/**
 * One database's module in db/dialects/. The modules load their driver only inside `open`, so
 * that importing them is cheap: a command on SQLite never loads pg or mysql2.
 */
export interface DialectModule<U extends DatabaseUrl> {
  /** The dialect's constants, which need no connection (offline SQL, error classification). */
  readonly adapter: DialectAdapter;
  open(url: U, options: OpenDatabaseOptions): Promise<OpenedDatabase>;
  /**
   * A question that points the user at the likely cause of a failure to connect, e.g.
   * `Is the server running?`; the caller adds where the URL comes from.
   */
  connectFailureHint(error: unknown): string;
}

const adapters = {
  postgresql: postgresDialect.adapter,
  mysql: mysqlDialect.adapter,
  sqlite: sqliteDialect.adapter,
} as const satisfies Record<DialectName, DialectAdapter>;

/** The dialect adapter for `url`, without connecting (for offline SQL, `--sql`). */
export function createDialectAdapter(url: DatabaseUrl): DialectAdapter {
  return adapters[url.dialect];
}

/** The dialect adapter of `name`, without connecting. */
export function dialectAdapterFor(name: DialectName): DialectAdapter {
  return adapters[name];
}

/**
 * Opens the database named by `url` and checks once that it answers (`select 1`).
 *
 * @throws DataRegistryError INVALID_DATABASE_URL when the URL cannot be parsed;
 *   DATABASE_NOT_FOUND when an SQLite file is missing and `options.mode` forbids creating it;
 *   DATABASE_UNAVAILABLE when the database cannot be reached, refuses the user, or does not
 *   exist, with a one-line message naming the masked URL, the driver's reason and what to check
 *   (the driver's error is the `cause`).
 * @example const handle = await openDatabase('sqlite:data/dataregistry.db');
 *   try { await handle.db.selectFrom('records').selectAll().execute(); } finally { await handle.close(); }
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const parsed = parseDatabaseUrl(url);
  const module = moduleFor(parsed);
  const displayUrl = maskDatabaseUrl(url);
  let opened: OpenedDatabase;
  try {
    opened = await module.open(options);
  } catch (error) {
    if (isDataRegistryError(error)) throw error;
    throw unavailable(displayUrl, parsed, module, error);
  }
  try {
    await sql`select 1`.execute(opened.db);
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw unavailable(displayUrl, parsed, module, error);
  }
  return handleFor(opened, module.adapter, displayUrl);
}

interface BoundDialectModule {
  readonly adapter: DialectAdapter;
  open(options: OpenDatabaseOptions): Promise<OpenedDatabase>;
  connectFailureHint(error: unknown): string;
}

function moduleFor(url: DatabaseUrl): BoundDialectModule {
  switch (url.dialect) {
    case 'postgresql':
      return bind(postgresDialect, url);
    case 'mysql':
      return bind(mysqlDialect, url);
    case 'sqlite':
      return bind(sqliteDialect, url);
    default:
      return url satisfies never;
  }
}

function bind<U extends DatabaseUrl>(module: DialectModule<U>, url: U): BoundDialectModule {
  return {
    adapter: module.adapter,
    open: (options) => module.open(url, options),
    connectFailureHint: (error) => module.connectFailureHint(error),
  };
}

/**
 * The handle: its dialect is the module's adapter with the database's lock, `close()` becomes
 * idempotent and also releases the locks still held, and each held lock's `release()` becomes
 * idempotent.
 */
function handleFor(
  opened: OpenedDatabase,
  adapter: DialectAdapter,
  displayUrl: string,
): DatabaseHandle {
  const held = new Set<HeldLock>();
  const dialect: ConnectedDialectAdapter = {
    ...adapter,
    readSessionId: (db) => opened.lockWaits.readSessionId(db),
    readLockHolders: (sessionId) => opened.lockWaits.readLockHolders(sessionId),
    readInvalidIndexes: () => opened.lockWaits.readInvalidIndexes(),
    async tryAcquireLock(lockName, holder) {
      const attempt = await opened.locks.tryAcquireLock(lockName, holder);
      if (!attempt.acquired) return attempt;
      let released: Promise<void> | undefined;
      const lock: HeldLock = {
        release() {
          held.delete(lock);
          released ??= attempt.lock.release();
          return released;
        },
      };
      held.add(lock);
      return { acquired: true, lock };
    },
  };
  let closed: Promise<void> | undefined;
  return {
    db: opened.db,
    dialect,
    displayUrl,
    close() {
      closed ??= (async () => {
        await Promise.allSettled([...held].map((lock) => lock.release()));
        await opened.close();
      })();
      return closed;
    },
  };
}

function unavailable(
  displayUrl: string,
  url: DatabaseUrl,
  module: BoundDialectModule,
  error: unknown,
): DataRegistryError {
  const reason = hidePassword(describeReason(error), url);
  return new DataRegistryError(
    'DATABASE_UNAVAILABLE',
    `Cannot connect to ${displayUrl}: ${reason}. ${module.connectFailureHint(error)} ` +
      'Check --db or DATA_REGISTRY_DB_CONNECTION.',
    { url: displayUrl },
    { cause: error },
  );
}

/** The driver's reason on one line, without a final full stop. */
function describeReason(error: unknown): string {
  let text: string;
  if (error instanceof AggregateError && error.message === '') {
    // Node reports a host name with several addresses (localhost → ::1, 127.0.0.1) as an
    // AggregateError whose own message is empty.
    text = error.errors
      .map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner)))
      .join('; ');
  } else if (error instanceof Error) {
    text = error.message;
  } else {
    text = String(error);
  }
  const firstLine = text.split('\n')[0]?.trim() ?? '';
  const reason = firstLine === '' && error instanceof Error ? error.name : firstLine;
  return reason.replace(/\.+$/, '');
}

function hidePassword(text: string, url: DatabaseUrl): string {
  const password = 'password' in url ? url.password : undefined;
  if (password === undefined || password.length < 3) {
    return text;
  }
  return text.split(password).join('***');
}
