// A database's schema as comparable data (tables, columns, indexes, constraints, views,
// triggers), read from its catalogue and normalised so that equal schemas compare equal; and the
// difference between two snapshots. Used by `check`'s round trip and drift, and by the tests.

import type { DatabaseHandle } from '../../../db/database-handle.js';
import { readMysqlSchema } from './mysql-catalogue.js';
import { readPostgresSchema } from './postgres-catalogue.js';
import { readSqliteSchema, type SqliteTableCache } from './sqlite-catalogue.js';

export interface ColumnSnapshot {
  readonly name: string;
  /** The type as the database reports it (SQLite: the declared type, upper-cased). */
  readonly type: string;
  readonly isNullable: boolean;
  /** The default expression as the database reports it; null when there is none. */
  readonly default: string | null;
}

export interface IndexSnapshot {
  readonly name: string;
  readonly isUnique: boolean;
  /** The dialect's own description: columns (with prefix lengths), method, predicate. */
  readonly definition: string;
}

export type ConstraintKind = 'primary key' | 'unique' | 'foreign key' | 'check';

export interface ConstraintSnapshot {
  readonly kind: ConstraintKind;
  /** Null where the database keeps no name (SQLite). */
  readonly name: string | null;
  readonly definition: string;
}

export interface TableSnapshot {
  readonly name: string;
  /** Sorted by name: a downgrade that re-adds a column at the end restores the schema. */
  readonly columns: readonly ColumnSnapshot[];
  readonly indexes: readonly IndexSnapshot[];
  readonly constraints: readonly ConstraintSnapshot[];
}

export interface ViewSnapshot {
  readonly name: string;
  readonly definition: string;
}

export interface TriggerSnapshot {
  readonly name: string;
  readonly table: string;
  readonly definition: string;
}

export interface SchemaSnapshot {
  readonly tables: readonly TableSnapshot[];
  readonly views: readonly ViewSnapshot[];
  readonly triggers: readonly TriggerSnapshot[];
}

/** What one dialect's catalogue reader returns, before filtering and sorting. */
export interface RawSchema {
  readonly tables: TableSnapshot[];
  readonly views: ViewSnapshot[];
  readonly triggers: TriggerSnapshot[];
}

/** What a series of snapshots of one database may keep between them (see `snapshotCache`). */
export interface SnapshotCache {
  readonly sqliteTables: SqliteTableCache;
  /** Each table read, sorted once: an unchanged table is the same object in every snapshot. */
  readonly sorted: WeakMap<TableSnapshot, TableSnapshot>;
}

/** A cache for the snapshots of one database, taken one after another (the round trip). */
export function snapshotCache(): SnapshotCache {
  return { sqliteTables: new Map(), sorted: new WeakMap() };
}

/**
 * The snapshot of the tables `isIncluded` accepts (default: all), with the views and the triggers
 * on those tables. Read-only. Everything is sorted, so `deepEqual` compares two snapshots.
 */
export async function snapshotSchema(
  handle: DatabaseHandle,
  isIncluded: (table: string) => boolean = () => true,
  cache: SnapshotCache = snapshotCache(),
): Promise<SchemaSnapshot> {
  const raw = await readRawSchema(handle, cache);
  const byName = <T extends { name: string }>(a: T, b: T) => compare(a.name, b.name);
  return {
    tables: raw.tables
      .filter((table) => isIncluded(table.name))
      .map((table) => {
        let sorted = cache.sorted.get(table);
        if (sorted === undefined) {
          sorted = sortTable(table);
          cache.sorted.set(table, sorted);
        }
        return sorted;
      })
      .sort(byName),
    views: raw.views.filter((view) => isIncluded(view.name)).sort(byName),
    triggers: raw.triggers
      .filter((trigger) => isIncluded(trigger.table))
      .sort((a, b) => compare(`${a.table}.${a.name}`, `${b.table}.${b.name}`)),
  };
}

function sortTable(table: TableSnapshot): TableSnapshot {
  const byName = <T extends { name: string }>(a: T, b: T) => compare(a.name, b.name);
  return {
    name: table.name,
    columns: [...table.columns].sort(byName),
    indexes: [...table.indexes].sort(byName),
    constraints: [...table.constraints].sort((a, b) =>
      compare(
        `${a.kind} ${a.name ?? ''} ${a.definition}`,
        `${b.kind} ${b.name ?? ''} ${b.definition}`,
      ),
    ),
  };
}

// Reading catalogues is what differs by database; each reader is in its own module.
function readRawSchema(handle: DatabaseHandle, cache: SnapshotCache): Promise<RawSchema> {
  switch (handle.dialect.name) {
    case 'sqlite':
      return readSqliteSchema(handle.db, cache.sqliteTables);
    case 'postgresql':
      return readPostgresSchema(handle.db);
    case 'mysql':
      return readMysqlSchema(handle.db);
    default:
      return handle.dialect.name satisfies never;
  }
}

/** Code-point order, so that snapshots sort alike whatever the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
