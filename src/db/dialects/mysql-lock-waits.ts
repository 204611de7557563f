// MySQL's and MariaDB's view of lock waits: who holds the metadata lock or row lock a session
// waits for, from whatever the server lets this user read. Best effort throughout: a table that
// is missing (MariaDB has no performance_schema.metadata_locks rows while performance_schema is
// off, MySQL 8 no information_schema.INNODB_LOCK_WAITS) or unreadable answers empty.

import { sql } from 'kysely';
import type { Pool, RowDataPacket } from 'mysql2';
import type { TableLockHolder, TableLockTimeoutSql, TableLockWaits } from '../dialect-adapter.js';

type PromisePool = ReturnType<Pool['promise']>;

/**
 * `lock_wait_timeout` bounds the wait for metadata locks (DDL, LOCK TABLES), and
 * `innodb_lock_wait_timeout` for row locks (an UPDATE in a revision); both count whole seconds.
 * One SET sets both: its SESSION applies to every assignment after it.
 */
export function mysqlTableLockTimeoutSql(timeoutMs: number): TableLockTimeoutSql {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return {
    session: [`SET SESSION lock_wait_timeout = ${seconds}, innodb_lock_wait_timeout = ${seconds}`],
    resetSession: ['SET SESSION lock_wait_timeout = DEFAULT, innodb_lock_wait_timeout = DEFAULT'],
    transaction: undefined,
  };
}

type IdRow = RowDataPacket & { id: number | string };
type SessionRow = RowDataPacket & {
  id: number | string;
  user: string | null;
  host: string | null;
  command: string | null;
  state: string | null;
  transaction_age_ms: number | string | null;
};
type AttributeRow = RowDataPacket & { id: number | string; value: string };

export function mysqlLockWaits(pool: PromisePool): TableLockWaits {
  return {
    async readSessionId(db) {
      const result = await sql<{ id: number | string }>`SELECT CONNECTION_ID() AS id`.execute(db);
      const id = result.rows[0]?.id;
      return id === undefined ? undefined : Number(id);
    },
    async readLockHolders(sessionId) {
      let guessed = false;
      let ids = await metadataLockHolders(pool, sessionId);
      if (ids.length === 0) ids = await rowLockHolders(pool, sessionId);
      if (ids.length === 0) {
        // Without performance_schema a metadata lock's holder is not shown: a session with an
        // open transaction is the usual one (it keeps the locks of every table it read).
        ids = await openTransactionSessions(pool, sessionId);
        guessed = true;
      }
      if (ids.length === 0) return [];
      const sessions = await describeSessions(pool, ids);
      const names = await programNames(pool, ids);
      return sessions.map((row) => ({
        sessionId: Number(row.id),
        label: `connection ${row.id}`,
        applicationName: names.get(Number(row.id)),
        user: row.user ?? undefined,
        client: row.host ?? undefined,
        state: row.state ? `${row.command ?? ''}: ${row.state}` : (row.command ?? undefined),
        transactionAgeMs:
          row.transaction_age_ms === null ? undefined : Math.round(Number(row.transaction_age_ms)),
        isGuess: guessed,
      })) satisfies TableLockHolder[];
    },
    readInvalidIndexes: () => Promise.resolve([]),
  };
}

async function queryIds(pool: PromisePool, text: string, values: unknown[]): Promise<number[]> {
  try {
    const [rows] = await pool.query<IdRow[]>(text, values);
    return [...new Set(rows.map((row) => Number(row.id)))];
  } catch {
    return [];
  }
}

/** MySQL 8 (and MariaDB with performance_schema on): who was granted the lock this session waits for. */
function metadataLockHolders(pool: PromisePool, sessionId: number): Promise<number[]> {
  return queryIds(
    pool,
    'SELECT DISTINCT gt.PROCESSLIST_ID AS id FROM performance_schema.metadata_locks w ' +
      'JOIN performance_schema.threads wt ON wt.THREAD_ID = w.OWNER_THREAD_ID ' +
      'JOIN performance_schema.metadata_locks g ON g.OBJECT_TYPE = w.OBJECT_TYPE ' +
      'AND g.OBJECT_SCHEMA <=> w.OBJECT_SCHEMA AND g.OBJECT_NAME <=> w.OBJECT_NAME ' +
      "AND g.LOCK_STATUS = 'GRANTED' AND g.OWNER_THREAD_ID <> w.OWNER_THREAD_ID " +
      'JOIN performance_schema.threads gt ON gt.THREAD_ID = g.OWNER_THREAD_ID ' +
      "WHERE wt.PROCESSLIST_ID = ? AND w.LOCK_STATUS = 'PENDING' AND gt.PROCESSLIST_ID IS NOT NULL",
    [sessionId],
  );
}

/** MariaDB (and MySQL 5.7): the transaction holding the row lock this session waits for. */
function rowLockHolders(pool: PromisePool, sessionId: number): Promise<number[]> {
  return queryIds(
    pool,
    'SELECT DISTINCT b.trx_mysql_thread_id AS id FROM information_schema.INNODB_LOCK_WAITS w ' +
      'JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id ' +
      'JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id ' +
      'WHERE r.trx_mysql_thread_id = ?',
    [sessionId],
  );
}

function openTransactionSessions(pool: PromisePool, sessionId: number): Promise<number[]> {
  return queryIds(
    pool,
    'SELECT trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX ' +
      'WHERE trx_mysql_thread_id <> ? AND trx_mysql_thread_id <> CONNECTION_ID() ORDER BY trx_started',
    [sessionId],
  );
}

async function describeSessions(pool: PromisePool, ids: readonly number[]): Promise<SessionRow[]> {
  try {
    // The age is computed by the server, so that its clock and ours need not agree.
    const [rows] = await pool.query<SessionRow[]>(
      'SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, p.STATE AS state, ' +
        'TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1000 AS transaction_age_ms ' +
        'FROM information_schema.PROCESSLIST p ' +
        'LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID ' +
        'WHERE p.ID IN (?) ORDER BY t.trx_started',
      [ids],
    );
    return rows;
  } catch {
    return ids.map(
      (id) =>
        ({
          id,
          user: null,
          host: null,
          command: null,
          state: null,
          transaction_age_ms: null,
        }) as SessionRow,
    );
  }
}

/** The `program_name` connection attribute, readable only with performance_schema on. */
async function programNames(
  pool: PromisePool,
  ids: readonly number[],
): Promise<Map<number, string>> {
  try {
    const [rows] = await pool.query<AttributeRow[]>(
      'SELECT PROCESSLIST_ID AS id, ATTR_VALUE AS value FROM performance_schema.session_connect_attrs ' +
        "WHERE ATTR_NAME = 'program_name' AND PROCESSLIST_ID IN (?)",
      [ids],
    );
    return new Map(rows.map((row) => [Number(row.id), row.value]));
  } catch {
    return new Map();
  }
}
