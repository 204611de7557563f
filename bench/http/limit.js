// The limit: the server's own queries, straight from this process through the same driver and
// pool (Kysely over a pg pool of the server's default size, or the one better-sqlite3 connection
// the server's own code opens, statement cache included), with the same number of operations in
// flight. The queries mirror
// src/registry/records/record-queries.ts (insertRecord + selectRecordByStorageId, selectRecord,
// selectRecords with limit + 1 rows); keep them in step when those change.
import crypto from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { cpuBetween, readCpuClocks } from './cpu-time.js';
import { databaseCpuBetween } from './database-cpu.js';
import { LatencyRecorder } from './latencies.js';

const recordColumns = [
  'id',
  'name',
  'description',
  'metadata',
  'storage_id',
  'created_at',
  'updated_at',
  'deleted_at',
];

/**
 * Opens the database the way src/db/dialects/postgres.ts does for the server, or (SQLite) through
 * the server's own openDatabase.
 * @param {import('../support/databases.js').Target} target
 * @returns {Promise<{ db: Kysely<any>, close(): Promise<void> }>}
 */
export async function openLimitDatabase(target, poolSize) {
  if (target.dialect === 'postgresql') {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      ...target.knex,
      ssl: false,
      connectionTimeoutMillis: 10_000,
      application_name: 'dataregistry-bench-limit',
      keepAlive: true,
      max: poolSize,
    });
    pool.on('error', () => undefined);
    const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return { db, close: () => db.destroy() };
  }
  // SQLite: the server's own code from the build (`npm run bench` builds first), so that the
  // limit gets whatever it does: pragmas (WAL, synchronous = NORMAL) and the cache of prepared
  // statements (src/db/dialects/sqlite.ts).
  const { openDatabase } = await import('../../dist/db/connect.js');
  const handle = await openDatabase(target.ours);
  return { db: handle.db, close: () => handle.close() };
}

/** An id as a query parameter, as entity-id.ts's idParameter makes it. */
function idParameter(id) {
  const asNumber = Number(id);
  return Number.isSafeInteger(asNumber) ? asNumber : id;
}

function insertQuery(db, row) {
  return db.insertInto('records').values(row);
}

function selectByStorageIdQuery(db, storageId) {
  return db.selectFrom('records').select(recordColumns).where('storage_id', '=', storageId);
}

function getQuery(db, id) {
  return db
    .selectFrom('records')
    .select(recordColumns)
    .where('id', '=', idParameter(id))
    .where('deleted_at', 'is', null);
}

/** The SELECT of GET /api/records?limit=N[&cursor=…]: N + 1 rows after `afterId`. */
export function listQuery(db, limit, afterId) {
  let query = db.selectFrom('records').select(recordColumns);
  if (afterId !== undefined) query = query.where('id', '>', idParameter(afterId));
  return query
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(limit + 1);
}

/** INSERT of a new record, then the SELECT by storage id that reads it back (POST /api/records). */
export async function createRecord(db, name) {
  const now = new Date().toISOString();
  const storageId = `${name}-${now.replace(/[-:.]/g, '')}-${crypto.randomBytes(3).toString('hex')}`;
  await insertQuery(db, {
    name,
    description: 'benchmark record',
    metadata: JSON.stringify({ source: 'bench', n: 1 }),
    storage_id: storageId,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  }).execute();
  const row = await selectByStorageIdQuery(db, storageId).executeTakeFirst();
  if (row === undefined) throw new Error(`record ${storageId} not found after insertion`);
  return row;
}

/** The SELECT of GET /api/records/{id}. */
export async function getRecord(db, id) {
  const row = await getQuery(db, id).executeTakeFirst();
  if (row === undefined) throw new Error(`record ${id} not found`);
  return row;
}

/** The SQL of every limit operation, as Kysely compiles it for this database. */
export function describeLimitSql(db) {
  const row = {
    name: 'n',
    description: null,
    metadata: '{}',
    storage_id: 's',
    created_at: 't',
    updated_at: 't',
    deleted_at: null,
  };
  return {
    create: [insertQuery(db, row), selectByStorageIdQuery(db, 's')].map((q) => q.compile().sql),
    get: [getQuery(db, '1').compile().sql],
    list: [listQuery(db, 100).compile().sql],
  };
}

/**
 * Runs `operation(i)` for `durationMs` with `concurrency` operations always in flight (a closed
 * loop, as autocannon's connections are); `i` counts from 0. `databaseCpu` (a database-cpu.js
 * reader) measures the database's backends as well.
 * @returns {Promise<import('./latencies.js').RunPart>}
 */
export async function runClosedLoop({ concurrency, durationMs, operation, databaseCpu }) {
  const latencies = new LatencyRecorder();
  let next = 0;
  let failures = 0;
  let failureSample;
  const databaseBefore = await databaseCpu?.read();
  const before = readCpuClocks(undefined);
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next;
      next += 1;
      const begun = performance.now();
      try {
        await operation(i);
        latencies.record(performance.now() - begun);
      } catch (error) {
        failures += 1;
        failureSample ??= error.message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  const cpu = cpuBetween(before, readCpuClocks(undefined));
  cpu.databaseMs = databaseCpuBetween(databaseBefore, await databaseCpu?.read());
  return { latencies, failures, failureSample, durationMs: elapsed, cpu, subject: 'own' };
}
