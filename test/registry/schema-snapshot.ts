// What a database's schema looks like, as comparable data: Kysely's introspection of tables and
// columns, plus what it leaves out (indexes, constraints), read from each database's catalogue.

import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database-handle.js';

export interface SchemaSnapshot {
  readonly tables: readonly unknown[];
  readonly indexes: readonly unknown[];
  readonly constraints: readonly unknown[];
}

/** The snapshot of the tables `isIncluded` accepts (default: all). */
export async function snapshotSchema(
  handle: DatabaseHandle,
  isIncluded: (table: string) => boolean = () => true,
): Promise<SchemaSnapshot> {
  const tables = (await handle.db.introspection.getTables())
    .filter((table) => isIncluded(table.name))
    .map((table) => ({
      name: table.name,
      columns: table.columns.map((column) => ({ ...column })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { indexes, constraints } = await catalogue(handle);
  const keep = (rows: Record<string, unknown>[]) =>
    rows
      .filter((row) => isIncluded(String(row.table_name)))
      .map((row) => JSON.stringify(row))
      .sort()
      .map((text) => JSON.parse(text) as unknown);
  return { tables, indexes: keep(indexes), constraints: keep(constraints) };
}

type Rows = Record<string, unknown>[];

// A switch on the dialect is fine here: reading catalogues is what differs by database.
async function catalogue(handle: DatabaseHandle): Promise<{ indexes: Rows; constraints: Rows }> {
  const db: Kysely<unknown> = handle.db;
  const rows = async (query: ReturnType<typeof sql<Record<string, unknown>>>) =>
    (await query.execute(db)).rows;
  switch (handle.dialect.name) {
    case 'sqlite':
      return {
        indexes: await rows(sql`
          select tbl_name as table_name, name, sql from sqlite_master
          where type = 'index' and name not like 'sqlite_autoindex_%'`),
        // The table's DDL carries its constraints (and autoindexes follow from them).
        constraints: await rows(sql`
          select tbl_name as table_name, sql from sqlite_master
          where type = 'table' and name not like 'sqlite_%'`),
      };
    case 'postgresql':
      return {
        indexes: await rows(sql`
          select tablename as table_name, indexname as name, indexdef as definition
          from pg_indexes where schemaname = current_schema()`),
        constraints: await rows(sql`
          select rel.relname as table_name, con.conname as name,
                 pg_get_constraintdef(con.oid) as definition
          from pg_constraint con join pg_class rel on rel.oid = con.conrelid
          where con.connamespace = current_schema()::regnamespace`),
      };
    case 'mysql':
      return {
        indexes: await rows(sql`
          select table_name as table_name, index_name as name, non_unique as non_unique,
                 seq_in_index as seq, column_name as column_name
          from information_schema.statistics where table_schema = database()`),
        constraints: await rows(sql`
          select tc.table_name as table_name, tc.constraint_name as name,
                 tc.constraint_type as type, kcu.column_name as column_name,
                 kcu.referenced_table_name as referenced_table,
                 kcu.referenced_column_name as referenced_column,
                 col.generation_expression as generation
          from information_schema.table_constraints tc
          left join information_schema.key_column_usage kcu
            on kcu.constraint_schema = tc.constraint_schema
           and kcu.table_name = tc.table_name and kcu.constraint_name = tc.constraint_name
          left join information_schema.columns col
            on col.table_schema = tc.table_schema and col.table_name = tc.table_name
           and col.column_name = kcu.column_name
          where tc.table_schema = database()`),
      };
    default:
      return handle.dialect.name satisfies never;
  }
}
