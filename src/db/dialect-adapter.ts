// The contract every database dialect implements (db/dialects/*). Differences between
// PostgreSQL, MySQL/MariaDB and SQLite live behind this interface and nowhere else.

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
  | 'other';

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

  /**
   * Tries once, without waiting, to take the exclusive, process-wide lock `lockName`.
   * The lock is held until `release()` or until this process or its connection dies, and holds
   * across many transactions (a whole `upgrade` run):
   * - PostgreSQL: a transaction-level advisory lock inside a transaction kept open on a dedicated
   *   connection, so that it also holds behind a transaction-mode connection pooler (PgBouncer);
   * - MySQL/MariaDB: `GET_LOCK` on a dedicated connection;
   * - SQLite: an exclusive transaction on a sidecar lock database next to the database file.
   * When the lock is taken, `holder` is recorded so that waiters can show who holds it.
   */
  tryAcquireLock(lockName: string, holder: LockHolder): Promise<LockAttempt>;

  /** Classifies an error thrown by this dialect's driver. */
  classifyError(error: unknown): DriverErrorKind;

  /**
   * Renders a value as an SQL literal of this dialect, for offline SQL (`--sql`) only.
   * Online queries are always parameterised.
   */
  renderLiteral(value: string | number | null): string;

  /** Column type of a 64-bit auto-incrementing primary key, e.g. `bigint auto_increment primary key`. */
  readonly autoIncrementPrimaryKey: string;

  /**
   * An SQL expression for the current time as an ISO-8601 UTC string with milliseconds
   * (`2026-11-25T09:30:00.123Z`), the same text on every dialect.
   */
  readonly currentTimestampSql: string;

  /** Statements that open and close a transaction in offline SQL (e.g. `BEGIN;` / `COMMIT;`). */
  readonly offlineTransaction: { readonly begin: string; readonly commit: string };
}
