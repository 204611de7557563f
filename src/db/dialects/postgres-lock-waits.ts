// PostgreSQL's view of lock waits: who blocks a session (pg_blocking_pids with pg_stat_activity)
// and the invalid indexes a failed CREATE INDEX CONCURRENTLY leaves. Best effort: a query this
// user may not run answers empty.

import { sql } from 'kysely';
import type { Pool } from 'pg';
import type { InvalidIndex, TableLockHolder, TableLockWaits } from '../dialect-adapter.js';

interface HolderRow {
  pid: number;
  application_name: string | null;
  usename: string | null;
  client_addr: string | null;
  state: string | null;
  transaction_age_ms: string | number | null;
}

interface InvalidIndexRow {
  schema_name: string;
  index_name: string;
}

export function postgresLockWaits(pool: Pool): TableLockWaits {
  return {
    async readSessionId(db) {
      const result = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
      return result.rows[0]?.pid;
    },
    async readLockHolders(sessionId) {
      // pg_blocking_pids lists the sessions that hold a conflicting lock and those ahead in the
      // queue for one: both keep this session waiting.
      const rows = await queryRows<HolderRow>(
        pool,
        'SELECT a.pid, a.application_name, a.usename, host(a.client_addr) AS client_addr, a.state, ' +
          'EXTRACT(EPOCH FROM (clock_timestamp() - a.xact_start)) * 1000 AS transaction_age_ms ' +
          'FROM unnest(pg_blocking_pids($1)) AS blocking(pid) ' +
          'JOIN pg_stat_activity a ON a.pid = blocking.pid ORDER BY a.xact_start NULLS LAST',
        [sessionId],
      );
      return rows.map(toHolder);
    },
    async readInvalidIndexes() {
      // indisvalid is false while a CREATE INDEX CONCURRENTLY runs, and for good once it failed.
      const rows = await queryRows<InvalidIndexRow>(
        pool,
        'SELECT n.nspname AS schema_name, c.relname AS index_name FROM pg_index i ' +
          'JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace ' +
          'WHERE NOT i.indisvalid ORDER BY 1, 2',
        [],
      );
      return rows.map(toInvalidIndex);
    },
  };
}

async function queryRows<R>(pool: Pool, text: string, values: unknown[]): Promise<R[]> {
  try {
    return (await pool.query(text, values)).rows as R[];
  } catch {
    return [];
  }
}

function toHolder(row: HolderRow): TableLockHolder {
  const age = row.transaction_age_ms === null ? undefined : Number(row.transaction_age_ms);
  return {
    sessionId: Number(row.pid),
    label: `pid ${row.pid}`,
    applicationName: row.application_name || undefined,
    user: row.usename ?? undefined,
    client: row.client_addr ?? undefined,
    state: row.state ?? undefined,
    transactionAgeMs: age === undefined || Number.isNaN(age) ? undefined : Math.round(age),
    isGuess: false,
  };
}

function toInvalidIndex(row: InvalidIndexRow): InvalidIndex {
  const name = `${quoteIdentifier(row.schema_name)}.${quoteIdentifier(row.index_name)}`;
  return { name, dropStatement: `DROP INDEX CONCURRENTLY IF EXISTS ${name};` };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `SET LOCAL lock_timeout` in the step's transaction; a session-level SET outside one. */
export function postgresTableLockTimeoutSql(timeoutMs: number) {
  const value = `'${Math.max(1, Math.round(timeoutMs))}ms'`;
  return {
    session: [`SET lock_timeout = ${value}`],
    resetSession: ['RESET lock_timeout'],
    transaction: [`SET LOCAL lock_timeout = ${value}`],
  };
}
