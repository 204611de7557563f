// The contract every database dialect implements (db/dialects/*), in two parts: what works
// without a connection (DialectAdapter: capability flags, SQL text, error classification) and
// what needs one (the migration lock). Dialect differences live here and in db/dialects/ only.

import type { Dialect, Kysely } from 'kysely';
import type { DialectName } from './dialect-name.js';

/** Who holds a migration lock, as shown to the processes waiting for it. */
export interface LockHolder {
  readonly host: string;
  readonly pid: number;
  readonly since: Date;
}

/** A lock this process holds. `release()` is idempotent; the lock also ends when the process dies. */
export interface HeldLock {
  release(): Promise<void>;
}

export type LockAttempt =
  | { readonly acquired: true; readonly lock: HeldLock }
  /** `holder` is undefined when the holder is not known (it may have just released). */
  | { readonly acquired: false; readonly holder: LockHolder | undefined };

/** What a driver error means, independent of the driver. */
export type DriverErrorKind =
  | 'unique-violation'
  | 'foreign-key-violation'
  | 'connection' // server unreachable, connection refused or lost, authentication failed
  | 'undefined-table' // the query names a table that does not exist
  | 'lock-timeout' // gave up waiting for a table or row lock (lock_timeout, lock_wait_timeout, SQLITE_BUSY)
  | 'other';

/**
 * The statements that bound how long the statements after them wait for a table (or row) lock,
 * from `tableLockTimeoutSql(timeoutMs)`. Why: a DDL statement waiting for its lock queues every
 * later query on the table behind it (PostgreSQL's lock queue, MySQL's metadata locks), so the
 * wait must be short and retried rather than long.
 */
export interface TableLockTimeoutSql {
  /** Sets the bound for the rest of the session (statements outside a transaction). */
  readonly session: readonly string[];
  /** Gives the session its own setting back after {@link session}. */
  readonly resetSession: readonly string[];
  /**
   * Sets the bound for the current transaction only (PostgreSQL's `SET LOCAL`, which a
   * transaction-mode pooler cannot leak to another client). Undefined where the dialect has no
   * such form: the session's setting then covers its transactions too.
   */
  readonly transaction: readonly string[] | undefined;
}

/**
 * How a dialect's compiled queries mark their parameters: `?` in order (MySQL, SQLite), or `$1`,
 * `$2`… by position (PostgreSQL).
 */
export type PlaceholderStyle = 'question-mark' | 'dollar-number';

/** Kysely's pieces of a dialect that need no driver: its adapter, query compiler and introspector. */
export type KyselyDialectParts = Omit<Dialect, 'createDriver'>;

/**
 * A dialect without a connection: everything offline SQL (`--sql`), the version table and the
 * registry's error translation need. Every member is a constant of the dialect, the same before a
 * connection is made and after; nothing here touches a database. One object per dialect, from
 * `createDialectAdapter` (connect.ts) or, with the lock added, `DatabaseHandle.dialect`.
 */
export interface DialectAdapter {
  readonly name: DialectName;
  /**
   * True when DDL statements take part in transactions (PostgreSQL, SQLite). False for MySQL and
   * MariaDB, which commit implicitly before and after most DDL.
   */
  readonly supportsTransactionalDdl: boolean;

  /**
   * True when one query without parameters may carry several `;`-separated statements, run in
   * order (PostgreSQL's simple query protocol). The migration runner then sends a revision's
   * `BEGIN` together with its first statement, saving a round trip per revision.
   */
  readonly acceptsStatementBatches: boolean;

  /**
   * True when an UPDATE may run inside the WITH clause of an INSERT (PostgreSQL's data-modifying
   * WITH), so that a step's version-table change and history row take one statement.
   */
  readonly supportsDataModifyingWith: boolean;

  /** Classifies an error thrown by this dialect's driver; `other` for anything not its own. */
  classifyError(error: unknown): DriverErrorKind;

  /**
   * The statements that make later statements give up after `timeoutMs` (> 0) milliseconds of
   * waiting for a lock, with the `lock-timeout` error kind: PostgreSQL `lock_timeout`,
   * MySQL/MariaDB `lock_wait_timeout` and `innodb_lock_wait_timeout` (whole seconds, rounded
   * up), SQLite `busy_timeout`.
   */
  tableLockTimeoutSql(timeoutMs: number): TableLockTimeoutSql;

  /**
   * Renders a value as an SQL literal of this dialect, for offline SQL (`--sql`) only.
   * Online queries are always parameterised.
   *
   * @throws Error for a number that is not finite (no dialect has a literal for it).
   */
  renderLiteral(value: string | number | null): string;

  /**
   * The placeholders of this dialect's compiled queries, which `inlineParameters`
   * (db/inline-parameters.ts) replaces with literals for offline SQL.
   */
  readonly placeholderStyle: PlaceholderStyle;

  /**
   * Ends one statement of an offline script so that the dialect's own client (psql, mysql,
   * sqlite3) runs it whole: usually `<statement>;`. On MySQL a statement with semicolons inside
   * (a trigger or procedure body) is wrapped in a temporary `DELIMITER`, which the mysql client
   * understands. `statement` carries no terminator of its own.
   */
  terminateStatement(statement: string): string;

  /** Statements that open and close a transaction in offline SQL (e.g. `BEGIN;` / `COMMIT;`). */
  readonly offlineTransaction: { readonly begin: string; readonly commit: string };

  /** Column type of a 64-bit auto-incrementing primary key, e.g. `bigint auto_increment primary key`. */
  readonly autoIncrementPrimaryKey: string;

  /**
   * An SQL expression for the current time as an ISO-8601 UTC string with milliseconds
   * (`2026-11-25T09:30:00.123Z`), the same text on every dialect.
   */
  readonly currentTimestampSql: string;

  /**
   * Kysely's adapter, query compiler and introspector of this dialect. With any driver they make
   * a Kysely instance that compiles this dialect's SQL: offline SQL gives them one that records
   * queries instead of running them (db/recording-database.ts).
   */
  readonly kyselyParts: KyselyDialectParts;
}

/** The part of a dialect that needs a connection: the migration lock of one open database. */
export interface MigrationLocks {
  /**
   * Tries once, without waiting, to take the exclusive, process-wide lock `lockName`.
   * The lock is held until `release()` or until this process or its connection dies, and holds
   * across many transactions (a whole `upgrade` run):
   * - PostgreSQL: a transaction-level advisory lock inside a transaction kept open on a dedicated
   *   connection, so that it also holds behind a transaction-mode connection pooler (PgBouncer);
   * - MySQL/MariaDB: `GET_LOCK` on a dedicated connection;
   * - SQLite: an exclusive transaction on a sidecar lock database next to the database file
   *   (an in-memory database: a lock within the process).
   * When the lock is taken, `holder` is recorded (best effort) so that waiters can show who
   * holds it; when it is not, the attempt names the holder if known.
   *
   * @throws the driver's error when the database cannot be reached to ask.
   */
  tryAcquireLock(lockName: string, holder: LockHolder): Promise<LockAttempt>;
}

/** A session that holds a lock another session waits for, as the database shows it. */
export interface TableLockHolder {
  /** PostgreSQL's backend pid, MySQL's connection (thread) id. */
  readonly sessionId: number;
  /** How the database's own tools name the session: `pid 4242`, `connection 17`. */
  readonly label: string;
  /** `application_name` (PostgreSQL) or the `program_name` connection attribute (MySQL), if known. */
  readonly applicationName: string | undefined;
  readonly user: string | undefined;
  /** The client's address (and port, on MySQL). */
  readonly client: string | undefined;
  /** `idle in transaction`, `active`… (PostgreSQL), `Sleep`, `Query`… (MySQL). */
  readonly state: string | undefined;
  /** How long its transaction has been open; undefined outside a transaction or when unknown. */
  readonly transactionAgeMs: number | undefined;
  /**
   * True when the database cannot tell who holds the lock (MariaDB's metadata locks without
   * performance_schema), so this is a session with an open transaction that may hold it.
   */
  readonly isGuess: boolean;
}

/** An index that a failed `CREATE INDEX CONCURRENTLY` left behind, invalid. */
export interface InvalidIndex {
  /** Schema-qualified and quoted, e.g. `"public"."records_name_idx"`. */
  readonly name: string;
  /** The statement that removes it without blocking the table, e.g. `DROP INDEX CONCURRENTLY …`. */
  readonly dropStatement: string;
}

/**
 * The part of a dialect that watches lock waits, on an open database. Every method is best
 * effort: what the database does not show (or this user may not read) comes back empty, never
 * as an error.
 */
export interface TableLockWaits {
  /** The database's id of the session on `db` (a pinned connection), or undefined if unknown. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readSessionId(db: Kysely<any>): Promise<number | undefined>;
  /**
   * The sessions holding the locks that session `sessionId` waits for now, asked on another
   * connection: PostgreSQL `pg_blocking_pids` with `pg_stat_activity`; MySQL/MariaDB
   * `performance_schema.metadata_locks` or InnoDB's lock waits, else (marked `isGuess`) the other
   * sessions with an open transaction; SQLite shows nothing.
   */
  readLockHolders(sessionId: number): Promise<TableLockHolder[]>;
  /** PostgreSQL's invalid indexes (left by a failed `CREATE INDEX CONCURRENTLY`); [] elsewhere. */
  readInvalidIndexes(): Promise<InvalidIndex[]>;
}

/**
 * The dialect of an open database (`DatabaseHandle.dialect`): its constants, its migration lock
 * and its view of lock waits.
 */
export interface ConnectedDialectAdapter extends DialectAdapter, MigrationLocks, TableLockWaits {}
