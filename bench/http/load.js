// Filling the records table fast, straight in SQL (untimed): one INSERT … SELECT over a generated
// series, rows shaped as the API makes them (migrations/versions/*_create_records_table.sql;
// storage ids `<slug>-<yyyymmddThhmmssmmmZ>-<6 hex>`), then the planner's statistics.

const CREATED_AT = '2026-11-26T00:00:00.000Z';

/**
 * Inserts `count` live records named `<prefix>-1` … `<prefix>-<count>` and returns the time it
 * took (ms) and the number of rows the table then holds.
 * @param {import('../support/databases.js').Target} target
 */
export async function loadRecords(target, count, prefix) {
  return target.dialect === 'postgresql'
    ? loadPostgres(target, count, prefix)
    : loadSqlite(target, count, prefix);
}

/** The first `count` ids of the table, in id order, as the API writes them (decimal strings). */
export async function firstIds(target, count) {
  if (target.dialect === 'postgresql') {
    return withPg(target, async (client) => {
      const { rows } = await client.query('SELECT id FROM records ORDER BY id LIMIT $1', [count]);
      return rows.map((row) => String(row.id));
    });
  }
  return withSqlite(target, (db) =>
    db
      .prepare('SELECT id FROM records ORDER BY id LIMIT ?')
      .pluck()
      .all(count)
      .map((id) => String(id)),
  );
}

async function loadPostgres(target, count, prefix) {
  return withPg(target, async (client) => {
    const started = performance.now();
    await client.query(
      `INSERT INTO records (name, description, metadata, storage_id, created_at, updated_at, deleted_at)
       SELECT $1::text || '-' || n, 'benchmark record', '{"source":"bench","n":' || n || '}',
              $1::text || '-' || n || '-20261126T000000000Z-' || lpad(to_hex(n % 16777216), 6, '0'),
              $2, $2, NULL
       FROM generate_series(1, $3::int) AS n`,
      [prefix, CREATED_AT, count],
    );
    // Fresh statistics and visibility map, as autovacuum would leave them after a while.
    await client.query('VACUUM ANALYZE records');
    const ms = performance.now() - started;
    const { rows } = await client.query('SELECT count(*)::int AS rows FROM records');
    return { ms, rows: rows[0].rows };
  });
}

async function loadSqlite(target, count, prefix) {
  return withSqlite(target, (db) => {
    const started = performance.now();
    db.prepare(
      `INSERT INTO records (name, description, metadata, storage_id, created_at, updated_at, deleted_at)
       WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series WHERE n < @count)
       SELECT @prefix || '-' || n, 'benchmark record', '{"source":"bench","n":' || n || '}',
              @prefix || '-' || n || '-20261126T000000000Z-' || printf('%06x', n % 16777216),
              @createdAt, @createdAt, NULL
       FROM series`,
    ).run({ prefix, count, createdAt: CREATED_AT });
    db.exec('ANALYZE');
    const ms = performance.now() - started;
    return { ms, rows: db.prepare('SELECT count(*) FROM records').pluck().get() };
  });
}

/**
 * The plan of the list query at a cursor, one line per node (EXPLAIN / EXPLAIN QUERY PLAN), to
 * show that a page is an index range scan wherever it starts.
 */
export async function explainListQuery(target, sqlText, parameters) {
  if (target.dialect === 'postgresql') {
    return withPg(target, async (client) => {
      const { rows } = await client.query(`EXPLAIN ${sqlText}`, parameters);
      return rows.map((row) => row['QUERY PLAN'].trim());
    });
  }
  return withSqlite(target, (db) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sqlText}`)
      .all(...parameters)
      .map((row) => row.detail),
  );
}

async function withPg(target, work) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...target.knex, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withSqlite(target, work) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(target.file, { fileMustExist: true, timeout: 5000 });
  try {
    return work(db);
  } finally {
    db.close();
  }
}
