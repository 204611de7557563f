// Another connection holding a lock that a migration's DDL conflicts with, as a long report
// query or an idle-in-transaction session would: an open transaction that has read from the
// table (PostgreSQL: ACCESS SHARE; MySQL/MariaDB: a shared metadata lock), until released.
// Talks to the database through the drivers directly, not through the code under test.

import pg from 'pg';
import mysql from 'mysql2/promise';

export interface TableLockHolder {
  /** How the database's own views name the holding session: `pid 4242` / `connection 17`. */
  readonly label: string;
  /** Whether a statement holding `ALTER TABLE` waits for a lock in the database now. */
  isAlterWaiting(): Promise<boolean>;
  /** Ends the transaction (and the connection), letting the DDL through. */
  release(): Promise<void>;
}

/** Opens a transaction that reads `table` and keeps it open. */
export async function holdTableLock(databaseUrl: string, table: string): Promise<TableLockHolder> {
  if (/^postgres(ql)?:/.test(databaseUrl)) return holdOnPostgres(databaseUrl, table);
  if (/^(mysql|mariadb):/.test(databaseUrl)) return holdOnMysql(databaseUrl, table);
  throw new Error(`No table lock holder for ${databaseUrl}`);
}

async function holdOnPostgres(databaseUrl: string, table: string): Promise<TableLockHolder> {
  const holder = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'table-lock-holder',
  });
  const observer = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await observer.connect();
  const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await holder.query('BEGIN');
  await holder.query(`SELECT 1 FROM ${table} LIMIT 1`);
  return {
    label: `pid ${pid}`,
    async isAlterWaiting() {
      const result = await observer.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE NOT l.granted AND a.datname = current_database() AND a.pid <> pg_backend_pid()
           AND a.query ILIKE '%ALTER TABLE%'`,
      );
      return (result.rows[0]?.n ?? 0) > 0;
    },
    async release() {
      await holder.query('COMMIT');
      await holder.end();
      await observer.end();
    },
  };
}

async function holdOnMysql(databaseUrl: string, table: string): Promise<TableLockHolder> {
  const url = databaseUrl.replace(/^mariadb:/, 'mysql:');
  const holder = await mysql.createConnection(url);
  const observer = await mysql.createConnection(url);
  await holder.query('START TRANSACTION');
  const label = `connection ${holder.threadId}`;
  await holder.query(`SELECT 1 FROM ${table} LIMIT 1`);
  return {
    label,
    async isAlterWaiting() {
      const [rows] = await observer.query(
        `SELECT COUNT(*) AS n FROM information_schema.processlist
         WHERE db = DATABASE() AND id <> CONNECTION_ID()
           AND state = 'Waiting for table metadata lock' AND info LIKE '%ALTER TABLE%'`,
      );
      return Number((rows as { n: number | string }[])[0]?.n ?? 0) > 0;
    },
    async release() {
      await holder.query('COMMIT');
      await holder.end();
      await observer.end();
    },
  };
}
