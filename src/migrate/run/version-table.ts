// The version table (one row per applied head, as alembic_version) and the history table
// (one row per upgrade, downgrade or stamp). Builds the queries; knows nothing of plans.

import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
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
  const [onlyDeleted] = change.delete;
  const [onlyInserted] = change.insert;
  if (change.delete.length === 1 && change.insert.length === 1 && onlyDeleted && onlyInserted) {
    return [
      db
        .updateTable(names.version)
        .set({ version_num: onlyInserted })
        .where('version_num', '=', onlyDeleted)
        .compile(),
    ];
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
  const [onlyDeleted] = change.delete;
  const [onlyInserted] = change.insert;
  const isLinear =
    change.delete.length === 1 && change.insert.length === 1 && onlyDeleted && onlyInserted;
  if (dialect.supportsDataModifyingWith && isLinear) {
    return [
      db
        .with('version_change', (cte) =>
          cte
            .updateTable(names.version)
            .set({ version_num: onlyInserted })
            .where('version_num', '=', onlyDeleted)
            .returning('version_num'),
        )
        .insertInto(names.history)
        .values(historyRow(dialect, entry))
        .compile(),
    ];
  }
  return [
    ...versionChangeQueries(db, names, change),
    historyInsertQuery(db, dialect, names, entry),
  ];
}

/** Builds a step's bookkeeping queries; see {@link compileStepBookkeeping}. */
export type StepBookkeeping = (change: VersionChange, entry: HistoryEntry) => CompiledQuery[];

/**
 * {@link stepBookkeepingQueries}, with the common shape (one version row replaced by one) built
 * and compiled once: each step then only fills in its values. Building a query costs about as
 * much as running it on SQLite, and a run repeats the same shape for every revision.
 */
export function compileStepBookkeeping(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
): StepBookkeeping {
  // Placeholders no real value can equal; each must come back as exactly one parameter.
  const slot = (name: string) => `\u0000${name}\u0000`;
  const slots = {
    deleted: slot('deleted'),
    inserted: slot('inserted'),
    revision: slot('revision'),
    direction: slot('direction'),
    durationMs: slot('durationMs'),
    checksum: slot('checksum'),
  };
  const template = stepBookkeepingQueries(
    db,
    dialect,
    names,
    { delete: [slots.deleted], insert: [slots.inserted] },
    {
      revision: slots.revision,
      direction: slots.direction as HistoryDirection,
      durationMs: slots.durationMs as unknown as number,
      checksum: slots.checksum,
    },
  );
  const used = template.flatMap((query) => query.parameters);
  const isUsable = Object.values(slots).every(
    (value) => used.filter((parameter) => parameter === value).length === 1,
  );
  return (change, entry) => {
    const [deleted] = change.delete;
    const [inserted] = change.insert;
    const isLinear =
      change.delete.length === 1 && change.insert.length === 1 && deleted && inserted;
    if (!isUsable || !isLinear) {
      return stepBookkeepingQueries(db, dialect, names, change, entry);
    }
    const values = new Map<unknown, unknown>([
      [slots.deleted, deleted],
      [slots.inserted, inserted],
      [slots.revision, entry.revision],
      [slots.direction, entry.direction],
      [slots.durationMs, entry.durationMs],
      [slots.checksum, entry.checksum],
    ]);
    return template.map((query) => ({
      ...query,
      parameters: query.parameters.map((parameter) =>
        values.has(parameter) ? values.get(parameter) : parameter,
      ),
    }));
  };
}

export function historyInsertQuery(
  db: AnyDb,
  dialect: DialectAdapter,
  names: VersionTableNames,
  entry: HistoryEntry,
): CompiledQuery {
  return db.insertInto(names.history).values(historyRow(dialect, entry)).compile();
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
