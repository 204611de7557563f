#!/usr/bin/env node
// The micro-measurements behind the comments of src/db/ and src/migrate/run/ (docs/benchmarks.md,
// "Notes behind the code"): `npm run build && node bench/notes-behind-the-code.js`. Not a suite
// of bench/run.js: it prints its figures and writes no docs. CPU µs per operation (user + system,
// process.cpuUsage), median of 7 rounds; the schema statements in ms, CPU and wall, median of 5.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dialectAdapterFor, openDatabase } from '../dist/db/connect.js';
import { createRecordingDatabase } from '../dist/db/recording-database.js';
import { selectRecord } from '../dist/registry/records/record-queries.js';
import {
  compileStepBookkeeping,
  stepBookkeepingQueries,
  versionTableNames,
} from '../dist/migrate/run/version-table.js';

const rounds = 7;
const columns = [
  'id',
  'name',
  'description',
  'metadata',
  'storage_id',
  'created_at',
  'updated_at',
  'deleted_at',
];
const folder = mkdtempSync(join(tmpdir(), 'dataregistry-notes-'));

function cpuMicros(count, operation) {
  const start = process.cpuUsage();
  for (let index = 0; index < count; index += 1) operation(index);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

async function cpuMicrosAsync(count, operation) {
  const start = process.cpuUsage();
  for (let index = 0; index < count; index += 1) await operation(index);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function createRecords(path, count) {
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.exec(
    'CREATE TABLE records (id integer primary key, name varchar(200) not null, description text, ' +
      'metadata text not null, storage_id varchar(64) not null, created_at varchar(32) not null, ' +
      'updated_at varchar(32) not null, deleted_at varchar(32))',
  );
  const insert = database.prepare(
    'INSERT INTO records (name, description, metadata, storage_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const now = '2026-11-25T09:30:00.123Z';
  database.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      insert.run(`record-${i}`, 'a description', `{"n":${i}}`, `s-${i}`, now, now);
    }
  })();
  database.close();
}

/** The 1000-revision workload's schema statements (bench/migrations), each run on its own. */
function schemaStatements(mode) {
  const statements = [];
  for (let i = 0; i < 1000; i += 1) {
    statements.push(`CREATE TABLE t_${i} (id integer primary key, v varchar(50))`);
    statements.push(`CREATE INDEX ix_t_${i} ON t_${i}(v)`);
  }
  for (let i = 999; i >= 0; i -= 1) statements.push(`DROP TABLE t_${i}`);
  const path = join(folder, `ddl-${mode}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  const start = process.cpuUsage();
  const started = performance.now();
  for (const text of statements) {
    if (mode === 'exec') database.exec(text);
    else database.prepare(text).run();
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(start);
  database.close();
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

async function main() {
  const path = join(folder, 'records.db');
  createRecords(path, 10_000);
  const handle = await openDatabase(`sqlite:${path}`);
  const raw = new Database(path);
  const byId = (db, id) =>
    db.selectFrom('records').select(columns).where('id', '=', id).where('deleted_at', 'is', null);
  const byIdSql = byId(handle.db, 1).compile().sql;
  const pageSql = handle.db
    .selectFrom('records')
    .select(columns)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(101)
    .compile().sql;
  const prepared = raw.prepare(byIdSql);
  const pageAsObjects = raw.prepare(pageSql);
  const pageAsArrays = raw.prepare(pageSql).raw(true);
  const names = pageAsArrays.columns().map((column) => column.name);
  const toObjects = (rows) =>
    rows.map((values) => {
      const row = {};
      for (let i = 0; i < names.length; i += 1) row[names[i]] = values[i];
      return row;
    });

  const sqlite = dialectAdapterFor('sqlite');
  const recorder = createRecordingDatabase(sqlite).db;
  const tables = versionTableNames();
  const bookkeeping = compileStepBookkeeping(recorder, sqlite, tables);
  const change = { delete: ['aa01'], insert: ['bb02'] };
  const entry = { revision: 'bb02', direction: 'upgrade', durationMs: 3, checksum: 'f'.repeat(64) };
  raw.exec(
    "CREATE TABLE v (version_num varchar(32) primary key); INSERT INTO v VALUES ('aa01'); " +
      'CREATE TABLE h (id integer primary key, revision varchar(32) not null, direction varchar(10) not null, ' +
      'executed_at varchar(32) not null, duration_ms integer, checksum varchar(64))',
  );
  const [update, history] = stepBookkeepingQueries(
    recorder,
    sqlite,
    { version: 'v', history: 'h' },
    change,
    entry,
  ).map((query) => raw.prepare(query.sql));
  let forth = true;

  const figures = new Map();
  const note = (name, value) => figures.set(name, [...(figures.get(name) ?? []), value]);
  for (let round = 0; round < rounds; round += 1) {
    note(
      'SQLite: prepare the record lookup by id',
      cpuMicros(20_000, () => raw.prepare(byIdSql)),
    );
    note(
      'SQLite: run the prepared lookup by id',
      cpuMicros(50_000, (i) => prepared.all([1 + (i % 10_000)])),
    );
    note(
      'Kysely: build and compile the lookup by id',
      cpuMicros(20_000, (i) => byId(handle.db, 1 + (i % 10_000)).compile()),
    );
    note(
      'selectRecord through its template, whole call',
      await cpuMicrosAsync(20_000, (i) =>
        selectRecord(handle.db, String(1 + (i % 10_000)), { includeDeleted: false }),
      ),
    );
    note(
      'page of 101 records, object mode',
      cpuMicros(2000, () => pageAsObjects.all([101])),
    );
    note(
      'page of 101 records, arrays made into objects',
      cpuMicros(2000, () => toObjects(pageAsArrays.all([101]))),
    );
    note(
      'step bookkeeping (SQLite), built and compiled',
      cpuMicros(20_000, () => stepBookkeepingQueries(recorder, sqlite, tables, change, entry)),
    );
    note(
      'step bookkeeping (SQLite), templates filled',
      cpuMicros(20_000, () => bookkeeping(change, entry)),
    );
    note(
      'step bookkeeping (SQLite), its two statements run',
      cpuMicros(20_000, () => {
        update.run(forth ? ['bb02', 'aa01'] : ['aa01', 'bb02']);
        forth = !forth;
        history.run(['bb02', 'upgrade', 3, 'f'.repeat(64)]);
      }),
    );
  }
  for (const [name, values] of figures) console.log(`${name}: ${median(values).toFixed(1)} µs`);
  raw.close();
  await handle.close();

  const runs = { prepare: [], exec: [] };
  for (let round = 0; round < 5; round += 1) {
    for (const mode of ['prepare', 'exec']) runs[mode].push(schemaStatements(mode));
  }
  for (const [mode, measured] of Object.entries(runs)) {
    const cpu = median(measured.map((run) => run.cpuMs)).toFixed(0);
    const wall = median(measured.map((run) => run.wallMs)).toFixed(0);
    console.log(`3000 schema statements through ${mode}: ${cpu} ms CPU, ${wall} ms wall`);
  }
  rmSync(folder, { recursive: true, force: true });
}

await main();
