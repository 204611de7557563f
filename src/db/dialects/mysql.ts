// MySQL and MariaDB: their adapter (capability flags, literals, `?` placeholders, DELIMITER in
// offline scripts, the classification of mysql2's errors), a Kysely MysqlDialect over a mysql2
// pool, and the migration lock (GET_LOCK on a dedicated connection). mysql2 itself is loaded
// only when a database is opened.

import { createHash } from 'node:crypto';
import { Kysely, MysqlAdapter, MysqlDialect, MysqlIntrospector, MysqlQueryCompiler } from 'kysely';
import type * as Mysql from 'mysql2';
import type { Connection, ConnectionOptions, Pool, RowDataPacket, SslOptions } from 'mysql2';
import { mysqlLockWaits, mysqlTableLockTimeoutSql } from './mysql-lock-waits.js';
import type { DialectModule, OpenDatabaseOptions, OpenedDatabase } from '../connect.js';
import type { MysqlDatabaseUrl, TlsMode } from '../database-url.js';
import type {
  DialectAdapter,
  DriverErrorKind,
  LockAttempt,
  LockHolder,
} from '../dialect-adapter.js';

type MysqlModule = (typeof Mysql)['default'];
type PromiseConnection = ReturnType<Connection['promise']>;
type PromisePool = ReturnType<Pool['promise']>;

/** Seconds to wait for a connection when the URL gives no `connect_timeout` (mysql2's default). */
const defaultConnectTimeoutSeconds = 10;

/**
 * Seconds the lock connection may stay idle. A run can leave it idle for as long as its longest
 * revision, and hosted servers often lower `wait_timeout` to minutes, which would end the lock.
 */
const lockConnectionIdleSeconds = 86_400;

const mysqlAdapter: DialectAdapter = {
  name: 'mysql',
  supportsTransactionalDdl: false,
  // mysql2 refuses several statements per query unless `multipleStatements` is set, which
  // would widen what an injected string could do; one statement per query it is.
  acceptsStatementBatches: false,
  supportsDataModifyingWith: false,
  classifyError: classifyMysqlError,
  tableLockTimeoutSql: mysqlTableLockTimeoutSql,
  renderLiteral: renderMysqlLiteral,
  placeholderStyle: 'question-mark',
  terminateStatement: terminateMysqlStatement,
  offlineTransaction: { begin: 'START TRANSACTION;', commit: 'COMMIT;' },
  autoIncrementPrimaryKey: 'bigint auto_increment primary key',
  // %f always prints six digits; the first 23 characters end at the milliseconds.
  currentTimestampSql: `CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')`,
  kyselyParts: {
    createAdapter: () => new MysqlAdapter(),
    createQueryCompiler: () => new MysqlQueryCompiler(),
    createIntrospector: (db) => new MysqlIntrospector(db),
  },
};

export const mysqlDialect: DialectModule<MysqlDatabaseUrl> = {
  adapter: mysqlAdapter,
  open: openMysqlDatabase,
  connectFailureHint,
};

async function openMysqlDatabase(
  url: MysqlDatabaseUrl,
  options: OpenDatabaseOptions,
): Promise<OpenedDatabase> {
  // `default` is module.exports both from node_modules and from the CLI bundle, whose CommonJS
  // interop exposes no named exports.
  const mysql = (await import('mysql2')).default;
  const config = connectionOptions(url, options.applicationName ?? 'dataregistry');
  const pool = mysql.createPool({ ...config, connectionLimit: options.poolSize });
  const db = new Kysely({ dialect: new MysqlDialect({ pool }) });
  const holders = pool.promise();
  return {
    db,
    locks: {
      tryAcquireLock: (lockName, holder) =>
        tryAcquireLock(mysql, config, holders, url.database, lockName, holder),
    },
    lockWaits: mysqlLockWaits(holders),
    close: () => db.destroy(),
  };
}

/**
 * The mysql client ends a statement at the first `;` outside quotes, even inside a trigger's or
 * procedure's `BEGIN … END`: such a statement is sent between a temporary `DELIMITER //` and the
 * default one again.
 */
function terminateMysqlStatement(statement: string): string {
  if (statement.includes(';')) return `DELIMITER //\n${statement}\n//\nDELIMITER ;`;
  return `${statement};`;
}

/**
 * BIGINT and DECIMAL values come back as strings (`supportBigNumbers` + `bigNumberStrings`), as
 * pg returns int8 and numeric: never a silently rounded number, and the same type on both
 * servers. Dates are read and written as UTC (`timezone: 'Z'`).
 */
function connectionOptions(url: MysqlDatabaseUrl, applicationName: string): ConnectionOptions {
  return {
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    ssl: sslOptions(url.tls),
    connectTimeout: (url.connectTimeoutSeconds ?? defaultConnectTimeoutSeconds) * 1000,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
    // The attribute that MySQL's own client sets too; the server shows it in
    // performance_schema.session_connect_attrs (not in the processlist, and not at all while
    // performance_schema is off, MariaDB's default).
    connectAttributes: { program_name: applicationName },
  };
}

function sslOptions(tls: TlsMode): SslOptions | undefined {
  switch (tls) {
    case 'disable':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, verifyIdentity: false };
    case 'verify-full':
      return { rejectUnauthorized: true, verifyIdentity: true };
    default:
      return tls satisfies never;
  }
}

// --- The migration lock ---------------------------------------------------------------------

/** `GET_LOCK(name, 0)` on a dedicated connection (not one of the pool's), held until released. */
async function tryAcquireLock(
  mysql: MysqlModule,
  config: ConnectionOptions,
  holders: PromisePool,
  database: string,
  lockName: string,
  holder: LockHolder,
): Promise<LockAttempt> {
  const base = mysql.createConnection(config);
  // If the connection dies the lock ends with it; release() then has nothing left to do.
  base.on('error', ignore);
  const connection = base.promise();
  const name = serverLockName(database, lockName);
  try {
    await connection.query(`SET SESSION wait_timeout = ${lockConnectionIdleSeconds}`);
    const [rows] = await connection.query<LockRow[]>('SELECT GET_LOCK(?, 0) AS acquired', [name]);
    if (Number(rows[0]?.acquired) !== 1) {
      await connection.end().catch(() => base.destroy());
      return { acquired: false, holder: await readHolder(holders, lockName) };
    }
  } catch (error) {
    base.destroy();
    throw error;
  }
  await writeHolder(holders, lockName, holder);
  return {
    acquired: true,
    lock: { release: () => releaseLock(base, connection, holders, name, lockName) },
  };
}

type LockRow = RowDataPacket & { acquired: number | string | null };

async function releaseLock(
  base: Connection,
  connection: PromiseConnection,
  holders: PromisePool,
  name: string,
  lockName: string,
): Promise<void> {
  // Forget the holder while still holding the lock, so that the next holder's row survives.
  await holders
    .query(`DELETE FROM ${holderTable(lockName)} WHERE lock_name = ?`, [lockName])
    .catch(ignore);
  await connection.query('SELECT RELEASE_LOCK(?)', [name]).catch(ignore);
  await connection.end().catch(() => base.destroy());
}

/**
 * The server-wide name of the lock. GET_LOCK names are global to the server, not per database,
 * so the database name is part of it; names longer than MySQL's 64 characters are shortened
 * with a hash.
 */
function serverLockName(database: string, lockName: string): string {
  const full = `${database}.${lockName}`;
  if (/^[\x20-\x7e]{1,64}$/.test(full)) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 24);
  return `${full.replace(/[^\x20-\x7e]/g, '_').slice(0, 39)}~${hash}`;
}

function holderTable(lockName: string): string {
  return `\`${`${lockName}_lock`.replaceAll('`', '``')}\``;
}

type HolderRow = RowDataPacket & { host: string; pid: number; since: string };

async function readHolder(holders: PromisePool, lockName: string): Promise<LockHolder | undefined> {
  try {
    const [rows] = await holders.query<HolderRow[]>(
      `SELECT host, pid, since FROM ${holderTable(lockName)} WHERE lock_name = ?`,
      [lockName],
    );
    const row = rows[0];
    return row ? toLockHolder(row.host, row.pid, row.since) : undefined;
  } catch {
    // Best effort, like the writing: no table yet (no holder so far), or no right to read it.
    return undefined;
  }
}

/**
 * Records the holder in `<lockName>_lock` through the pool, creating the table on first use
 * (CREATE TABLE IF NOT EXISTS is safe against a concurrent create on MySQL). Best effort: the
 * holder is shown to waiters, and its absence must not stop a run.
 */
async function writeHolder(
  holders: PromisePool,
  lockName: string,
  holder: LockHolder,
): Promise<void> {
  const table = holderTable(lockName);
  const upsert = () =>
    holders.query(`REPLACE INTO ${table} (lock_name, host, pid, since) VALUES (?, ?, ?, ?)`, [
      lockName,
      holder.host,
      holder.pid,
      holder.since.toISOString(),
    ]);
  try {
    await upsert();
  } catch (error) {
    if (classifyMysqlError(error) !== 'undefined-table') return;
    await holders
      .query(
        `CREATE TABLE IF NOT EXISTS ${table} (lock_name varchar(191) PRIMARY KEY, ` +
          'host varchar(255) NOT NULL, pid integer NOT NULL, since varchar(32) NOT NULL)',
      )
      .then(upsert)
      .catch(ignore);
  }
}

function toLockHolder(host: string, pid: number, since: string): LockHolder | undefined {
  const date = new Date(since);
  if (Number.isNaN(date.getTime())) return undefined;
  return { host, pid: Number(pid), since: date };
}

// --- Literals and errors --------------------------------------------------------------------

/**
 * `'` and `\` doubled: in MySQL's default SQL mode (without NO_BACKSLASH_ESCAPES) a backslash
 * starts an escape sequence, so `'a\'` would not end where it seems to. Doubled, both work in
 * every mode.
 */
function renderMysqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot render ${value} as an SQL literal`);
    return String(value);
  }
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const uniqueErrnos = new Set([1062, 1022, 1586]); // ER_DUP_ENTRY, ER_DUP_KEY, ER_DUP_ENTRY_WITH_KEY_NAME
const foreignKeyErrnos = new Set([1451, 1452, 1216, 1217]); // ER_ROW_IS_REFERENCED(_2), ER_NO_REFERENCED_ROW(_2)
const undefinedTableErrnos = new Set([1146]); // ER_NO_SUCH_TABLE
// ER_LOCK_WAIT_TIMEOUT (metadata locks past lock_wait_timeout, row locks past
// innodb_lock_wait_timeout), ER_LOCK_NOWAIT (MySQL 8's NOWAIT).
const lockTimeoutErrnos = new Set([1205, 3572]);
const authenticationErrnos = new Set([1044, 1045, 1698]); // access denied (to database, for user)
const unknownDatabaseErrnos = new Set([1049]); // ER_BAD_DB_ERROR
const connectionErrnos = new Set([
  ...authenticationErrnos,
  ...unknownDatabaseErrnos,
  1040, // too many connections
  1053, // server shutdown in progress
  1129, // host blocked
  1130, // host not allowed to connect
  1927, // MariaDB: connection killed
  4031, // MySQL 8: disconnected by the server because of inactivity
]);

/** Network errors of Node's sockets and DNS, and mysql2's own for lost connections. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'HANDSHAKE_NO_SSL_SUPPORT',
  'POOL_CLOSED',
]);

function classifyMysqlError(error: unknown): DriverErrorKind {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return classifyMysqlError(error.errors[0]);
  }
  if (typeof error !== 'object' || error === null) return 'other';
  const errno = 'errno' in error && typeof error.errno === 'number' ? error.errno : undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (errno !== undefined) {
    if (uniqueErrnos.has(errno)) return 'unique-violation';
    if (foreignKeyErrnos.has(errno)) return 'foreign-key-violation';
    if (undefinedTableErrnos.has(errno)) return 'undefined-table';
    if (lockTimeoutErrnos.has(errno)) return 'lock-timeout';
    if (connectionErrnos.has(errno)) return 'connection';
  }
  if (code !== undefined && connectionCodes.has(code)) return 'connection';
  const message = error instanceof Error ? error.message : '';
  if (message.includes('connection is in closed state')) return 'connection';
  return 'other';
}

function connectFailureHint(error: unknown): string {
  const inner: unknown = error instanceof AggregateError ? error.errors[0] : error;
  const errno =
    typeof inner === 'object' && inner !== null && 'errno' in inner ? inner.errno : undefined;
  if (typeof errno === 'number' && authenticationErrnos.has(errno)) {
    return 'Are the user name and password right, and may the user use this database?';
  }
  if (typeof errno === 'number' && unknownDatabaseErrnos.has(errno)) {
    return 'Does the database exist (CREATE DATABASE)?';
  }
  if (classifyMysqlError(error) === 'connection') return 'Is the server running?';
  return 'Does the server accept this connection (host, port, ssl-mode)?';
}

function ignore(): void {}
