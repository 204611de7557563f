// The three databases the benchmarks run on, on loopback only: how to reach them, make a fresh
// database, drop it, and count what a run left in it. Uses the project's own drivers (untimed).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root' };

/** A fresh, unused database name such as bench_1f3a9c0d. */
export function freshDatabaseName() {
  return `bench_${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * One database a tool runs against. `name` is the database (or file stem); the URL fields are the
 * spellings each tool wants.
 * @typedef {{ dialect: string, name: string, file?: string, ours: string, sqlalchemy: string,
 *   knex: object, client: { command: string, args: string[] } }} Target
 */

const sqlite = {
  name: 'sqlite',
  label: 'SQLite',
  clientCommand: 'sqlite3',
  clientPackage: 'sqlite3',
  async probe() {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
    try {
      return {
        ok: true,
        version: `SQLite ${db.prepare('select sqlite_version() as v').get().v} (better-sqlite3)`,
      };
    } finally {
      db.close();
    }
  },
  /** @returns {Target} */
  target(name, workDir) {
    const file = path.resolve(workDir, 'db', `${name}.db`);
    return {
      dialect: 'sqlite',
      name,
      file,
      ours: `sqlite:${file}`,
      sqlalchemy: `sqlite:///${file}`,
      knex: { filename: file },
      // better-sqlite3 (ours, knex) runs a WAL file with synchronous = NORMAL; the limit does too.
      client: { command: 'sqlite3', args: ['-bail', '-cmd', 'PRAGMA synchronous = NORMAL', file] },
    };
  },
  // The file is made in WAL mode, the mode our engine puts a database in (the mode persists in
  // the file), so that every tool, the limit included, commits through the same journal.
  async create(target) {
    fs.mkdirSync(path.dirname(target.file), { recursive: true });
    removeSqliteFiles(target.file);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target.file);
    try {
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
  },
  async drop(target) {
    removeSqliteFiles(target.file);
  },
  async count(target) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target.file, { readonly: true, fileMustExist: true });
    try {
      const names = db
        .prepare(
          "select type, name from sqlite_master where type in ('table', 'index') and name not like 'sqlite_%'",
        )
        .all();
      return summarise(
        names.filter((row) => row.type === 'table').map((row) => row.name),
        names.filter((row) => row.type === 'index').map((row) => row.name),
      );
    } finally {
      db.close();
    }
  },
};

function removeSqliteFiles(file) {
  for (const suffix of ['', '-journal', '-wal', '-shm', '.lock'])
    fs.rmSync(`${file}${suffix}`, { force: true });
}

const postgresql = {
  name: 'postgresql',
  label: 'PostgreSQL',
  clientCommand: 'psql',
  clientPackage: 'postgresql-client',
  async probe() {
    return withPostgres('postgres', async (client) => {
      const { rows } = await client.query('show server_version');
      return { ok: true, version: `PostgreSQL ${rows[0].server_version}` };
    });
  },
  target(name) {
    const { host, port, user } = POSTGRES;
    return {
      dialect: 'postgresql',
      name,
      ours: `postgresql://${user}@${host}:${port}/${name}`,
      sqlalchemy: `postgresql+psycopg2://${user}@${host}:${port}/${name}`,
      knex: { host, port, user, database: name },
      client: {
        command: 'psql',
        args: [
          '-X',
          '-q',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          host,
          '-p',
          String(port),
          '-U',
          user,
          '-d',
          name,
        ],
      },
    };
  },
  async create(target) {
    await withPostgres('postgres', (client) => client.query(`CREATE DATABASE ${target.name}`));
  },
  async drop(target) {
    await withPostgres('postgres', (client) =>
      client.query(`DROP DATABASE IF EXISTS ${target.name} WITH (FORCE)`),
    );
  },
  async count(target) {
    return withPostgres(target.name, async (client) => {
      const tables = await client.query(
        "select tablename as name from pg_tables where schemaname = 'public'",
      );
      const indexes = await client.query(
        "select indexname as name from pg_indexes where schemaname = 'public'",
      );
      return summarise(
        tables.rows.map((row) => row.name),
        indexes.rows.map((row) => row.name),
      );
    });
  },
};

async function withPostgres(database, work) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...POSTGRES, database, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const mysql = {
  name: 'mysql',
  label: 'MariaDB/MySQL',
  clientCommand: 'mysql',
  clientPackage: 'mariadb-client',
  async probe() {
    return withMysql(undefined, async (connection) => {
      const [rows] = await connection.query('select version() as v');
      const version = String(rows[0].v);
      return {
        ok: true,
        version: version.includes('MariaDB') ? `MariaDB ${version}` : `MySQL ${version}`,
      };
    });
  },
  target(name) {
    const { host, port, user } = MYSQL;
    return {
      dialect: 'mysql',
      name,
      ours: `mysql://${user}@${host}:${port}/${name}`,
      sqlalchemy: `mysql+pymysql://${user}@${host}:${port}/${name}`,
      knex: { host, port, user, database: name },
      client: { command: 'mysql', args: ['-h', host, '-P', String(port), '-u', user, name] },
    };
  },
  async create(target) {
    await withMysql(undefined, (connection) => connection.query(`CREATE DATABASE ${target.name}`));
  },
  async drop(target) {
    await withMysql(undefined, (connection) =>
      connection.query(`DROP DATABASE IF EXISTS ${target.name}`),
    );
  },
  async count(target) {
    return withMysql(target.name, async (connection) => {
      const [tables] = await connection.query(
        'select table_name as name from information_schema.tables where table_schema = ?',
        [target.name],
      );
      const [indexes] = await connection.query(
        "select distinct index_name as name from information_schema.statistics where table_schema = ? and index_name <> 'PRIMARY'",
        [target.name],
      );
      return summarise(
        tables.map((row) => row.name),
        indexes.map((row) => row.name),
      );
    });
  },
};

async function withMysql(database, work) {
  const { default: mysql2 } = await import('mysql2/promise');
  const connection = await mysql2.createConnection({ ...MYSQL, database, connectTimeout: 5000 });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Tables t_N and indexes ix_t_N made by the workload, and everything else (version tables…). */
function summarise(tables, indexes) {
  const workloadTables = tables.filter((name) => /^t_\d+$/.test(name));
  const workloadIndexes = indexes.filter((name) => /^ix_t_\d+$/.test(name));
  const otherTables = tables.filter((name) => !/^t_\d+$/.test(name)).sort();
  return { tables: workloadTables.length, indexes: workloadIndexes.length, otherTables };
}

export const dialects = { sqlite, postgresql, mysql };
export const dialectNames = Object.keys(dialects);
