// Reads an SQLite statement's rows as arrays (better-sqlite3's raw mode) and makes the objects in
// JavaScript, which is cheaper than better-sqlite3 building each object natively (figure:
// docs/benchmarks.md, "Notes behind the code"). The objects are the same either way; used by the
// statement cache only.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';

/**
 * The statement with its rows read as arrays and made into objects keyed by the column names.
 * The objects equal object mode's, a repeated column name keeping its last value.
 *
 * The names are read once, when the statement is prepared. They are fixed by the SQL text for
 * every query without `*`; a query with `*` (whose columns follow the table's, which a schema
 * change alters while the statement stays cached), and every statement that returns no rows, is
 * left as better-sqlite3 makes it.
 */
export function readingRowsAsArrays(
  sql: string,
  prepared: BetterSqlite3.Statement,
): SqliteStatement {
  if (!prepared.reader || sql.includes('*')) return prepared;
  const names = prepared.columns().map((column) => column.name);
  prepared.raw(true);
  const toObject = (values: unknown[]): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < names.length; index += 1) row[names[index]!] = values[index];
    return row;
  };
  return {
    reader: true,
    all(parameters) {
      const rows = prepared.all(parameters) as unknown[][];
      const objects = new Array<Record<string, unknown>>(rows.length);
      for (let index = 0; index < rows.length; index += 1) objects[index] = toObject(rows[index]!);
      return objects;
    },
    run: (parameters) => prepared.run(parameters),
    *iterate(parameters) {
      for (const values of prepared.iterate(parameters) as IterableIterator<unknown[]>) {
        yield toObject(values);
      }
    },
  };
}
