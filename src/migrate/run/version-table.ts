// The version table (one row per applied head, as alembic_version) and the history table
// (one row per upgrade, downgrade or stamp). Builds the queries; knows nothing of plans.

import { sql, type Compilable, type CompiledQuery, type Kysely, type QueryCreator } from 'kysely';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import { createQueryTemplate } from '../../db/query-template.js';
import type { Direction } from '../files/revision-source.js';

/** Names of the engine's own tables. The history table is named after the version table. */
export interface VersionTableNames {
  readonly version: string;
  readonly history: string;
}

export const defaultVersionTable = 'dataregistry_version';

export function versionTableNames(versionTable: string = defaultVersionTable): VersionTableNames {
  return { version: versionTable, history: `${versionTable}_history` };
}

export type HistoryDirection = Direction | 'stamp';

/**
 * One history row to write. Its time is the database's clock, stored as an ISO 8601 UTC string:
 * portable across the three databases and sortable.
 */
export interface HistoryEntry {
  readonly revision: string;
  readonly direction: HistoryDirection;
  readonly durationMs: number | null;
  readonly checksum: string | null;
}

/** Which version rows one step deletes and inserts. */
export interface VersionChange {
  readonly delete: readonly string[];
  readonly insert: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
/** A database or a WITH clause's query creator: both build the version UPDATE. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQueryCreator = QueryCreator<any>;

/**
 * DDL creating both tables if missing: the history table first, so that the version table never
 * exists without it (the runner skips this DDL when the version table exists).
 */
export function createVersionTablesQueries(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
): CompiledQuery[] {
  return [
    db.schema
      .createTable(names.history)
      .ifNotExists()
      .addColumn('id', sql.raw(dialect.autoIncrementPrimaryKey))
      .addColumn('revision', 'varchar(32)', (col) => col.notNull())
      .addColumn('direction', 'varchar(10)', (col) => col.notNull())
      .addColumn('executed_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('duration_ms', 'integer')
      .addColumn('checksum', 'varchar(64)')
      .compile(),
    db.schema
      .createTable(names.version)
      .ifNotExists()
      .addColumn('version_num', 'varchar(32)', (col) => col.notNull())
      .addPrimaryKeyConstraint(`${names.version}_pkc`, ['version_num'])
      .compile(),
  ];
}

/**
 * Statements that turn the version rows `change.delete` into `change.insert`. One row replaced by
 * one row is a single UPDATE, as Alembic writes it: the common linear case costs one statement.
 */
export function versionChangeQueries(
  db: AnyDb,
  names: VersionTableNames,
  change: VersionChange,
): CompiledQuery[] {
  const replacement = onlyReplacement(change);
  if (replacement) {
    return [versionUpdate(db, names, replacement.deleted, replacement.inserted).compile()];
  }
  const queries: CompiledQuery[] = [];
  if (change.delete.length > 0) {
    queries.push(
      db
        .deleteFrom(names.version)
        .where('version_num', 'in', [...change.delete])
        .compile(),
    );
  }
  for (const id of change.insert) {
    queries.push(db.insertInto(names.version).values({ version_num: id }).compile());
  }
  return queries;
}

/**
 * What one step writes besides its own statements: the version change and the history row.
 * Where the dialect allows it and the change is the common one row replaced by one row, both
 * travel as one statement (`WITH … UPDATE … INSERT`), a round trip less per revision.
 */
export function stepBookkeepingQueries(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
  change: VersionChange,
  entry: HistoryEntry,
): CompiledQuery[] {
  const step = linearStep(change, entry);
  if (step) return linearStepBuilders(dialect, names).map((build) => build(db, step).compile());
  return [
    ...versionChangeQueries(db, names, change),
    historyInsertQuery(db, dialect, names, entry),
  ];
}

/** Builds a step's bookkeeping queries; see {@link compileStepBookkeeping}. */
export type StepBookkeeping = (change: VersionChange, entry: HistoryEntry) => CompiledQuery[];

/**
 * {@link stepBookkeepingQueries}, with the common shape (one version row replaced by one) as
 * query templates (db/query-template.ts) compiled once for `db`: each step then only fills in its
 * values. A run repeats the same shape for every revision, and building it anew costs about half
 * as much as running it on SQLite (figure: docs/benchmarks.md, "Notes behind the code"). The
 * queries suit `db` and any transaction of it. Other shapes (merges, branches) are built per step.
 */
export function compileStepBookkeeping(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
): StepBookkeeping {
  const templates = linearStepBuilders(dialect, names).map((build) => createQueryTemplate(build));
  return (change, entry) => {
    const step = linearStep(change, entry);
    if (!step) return stepBookkeepingQueries(db, dialect, names, change, entry);
    return templates.map((template) => template.fill(db, step));
  };
}

export function historyInsertQuery(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
  entry: HistoryEntry,
): CompiledQuery {
  return historyInsert(db, dialect, names, entry).compile();
}

/** A step whose version change is one row replaced by one: what a straight chain writes. */
interface LinearStep extends HistoryEntry {
  readonly deleted: string;
  readonly inserted: string;
}

function onlyReplacement(change: VersionChange): { deleted: string; inserted: string } | undefined {
  const [deleted] = change.delete;
  const [inserted] = change.insert;
  if (change.delete.length !== 1 || change.insert.length !== 1 || !deleted || !inserted) {
    return undefined;
  }
  return { deleted, inserted };
}

function linearStep(change: VersionChange, entry: HistoryEntry): LinearStep | undefined {
  const replacement = onlyReplacement(change);
  if (!replacement) return undefined;
  // Written out: V8 builds a literal far faster than it spreads two objects into one, and this
  // runs once per revision.
  return {
    revision: entry.revision,
    direction: entry.direction,
    durationMs: entry.durationMs,
    checksum: entry.checksum,
    deleted: replacement.deleted,
    inserted: replacement.inserted,
  };
}

/**
 * The queries of a linear step, in order, as builders of one query each (so that each can be a
 * template): the version change and history row in one statement where the dialect has
 * data-modifying WITH, else the version UPDATE and the history INSERT.
 */
function linearStepBuilders(
  dialect: DialectAdapter,
  names: VersionTableNames,
): ((db: AnyDb, step: LinearStep) => Compilable<unknown>)[] {
  if (dialect.supportsDataModifyingWith) {
    return [
      (db, step) =>
        db
          .with('version_change', (cte) =>
            versionUpdate(cte, names, step.deleted, step.inserted).returning('version_num'),
          )
          .insertInto(names.history)
          .values(historyRow(dialect, step)),
    ];
  }
  return [
    (db, step) => versionUpdate(db, names, step.deleted, step.inserted),
    (db, step) => historyInsert(db, dialect, names, step),
  ];
}

function versionUpdate(
  db: AnyQueryCreator,
  names: VersionTableNames,
  deleted: string,
  inserted: string,
) {
  return db
    .updateTable(names.version)
    .set({ version_num: inserted })
    .where('version_num', '=', deleted);
}

function historyInsert(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
  entry: HistoryEntry,
) {
  return db.insertInto(names.history).values(historyRow(dialect, entry));
}

function historyRow(dialect: DialectAdapter, entry: HistoryEntry) {
  return {
    revision: entry.revision,
    direction: entry.direction,
    executed_at: sql.raw(dialect.currentTimestampSql),
    duration_ms: entry.durationMs,
    checksum: entry.checksum,
  };
}

/**
 * The database's current heads, or `undefined` when the version table does not exist yet (a
 * database never migrated). Read-only: `current` must work for a user without DDL rights.
 */
export async function readCurrentHeads(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
): Promise<string[] | undefined> {
  try {
    const rows = await db.selectFrom(names.version).select('version_num').execute();
    return rows.map((row) => String(row.version_num)).sort();
  } catch (error) {
    if (dialect.classifyError(error) === 'undefined-table') return undefined;
    throw error;
  }
}

/** The checksum each revision had when it was last upgraded or stamped. */
export async function readAppliedChecksums(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
): Promise<Map<string, string>> {
  const checksums = new Map<string, string>();
  try {
    const rows = await db
      .selectFrom(names.history)
      .select(['revision', 'checksum'])
      .where('direction', 'in', ['upgrade', 'stamp'])
      .where('checksum', 'is not', null)
      .orderBy('id')
      .execute();
    for (const row of rows) checksums.set(String(row.revision), String(row.checksum));
  } catch (error) {
    if (dialect.classifyError(error) === 'undefined-table') return checksums;
    throw error;
  }
  return checksums;
}

/**
 * Whether the history table exists. Asked only when the version table does: a version table
 * without it was made by another tool (Alembic's alembic_version, taken over with
 * `--version-table alembic_version`).
 */
export async function hasHistoryTable(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
): Promise<boolean> {
  try {
    await db.selectFrom(names.history).select('id').limit(1).execute();
    return true;
  } catch (error) {
    if (dialect.classifyError(error) === 'undefined-table') return false;
    throw error;
  }
}
