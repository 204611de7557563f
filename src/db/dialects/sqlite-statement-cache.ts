// A cache of prepared statements between Kysely's SQLite driver and better-sqlite3: the driver
// calls `prepare(sql)` for every query, and compiling the SQL costs more than running a lookup by
// primary key. Rows are read as arrays and made into objects here, which is cheaper than
// better-sqlite3 building each object natively. Knows nothing of lock files or version tables;
// the statements stay parameterised.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared: the registry's queries fit many times over. */
export const defaultStatementCacheSize = 256;

/**
 * `database` as Kysely's SqliteDialect wants it, with `prepare` answered from a cache of at most
 * `capacity` statements keyed by the SQL text, least recently used dropped first.
 *
 * Reusing a statement is safe here: better-sqlite3 binds the parameters anew on every call and
 * resets the statement once `all`/`run` return, and SQLite prepares it again by itself when the
 * schema changes (a statement on a table dropped since fails when run, with the same
 * `no such table` error `prepare` would throw). A statement still being read by an iterator
 * (`busy`, a streamed query) is not shared: that call gets a fresh, uncached one.
 * `close()` forgets the statements and closes the database.
 *
 * @example new SqliteDialect({ database: withStatementCache(new Database('app.db')) })
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  capacity: number = defaultStatementCacheSize,
): SqliteDatabase {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`The statement cache holds at least 1 statement, not ${capacity}`);
  }
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const statements = new Map<string, CachedStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        if (cached.prepared.busy) return database.prepare(sql);
        statements.delete(sql);
        statements.set(sql, cached);
        return cached.statement;
      }
      // Checked only on a miss: schema changes are never cached, so a hit is never one.
      if (isSchemaStatement(sql)) return schemaStatement(database, sql);
      const prepared = database.prepare(sql);
      const statement = { prepared, statement: readingRowsAsArrays(sql, prepared) };
      statements.set(sql, statement);
      if (statements.size > capacity) {
        const leastRecent = statements.keys().next();
        if (leastRecent.done !== true) statements.delete(leastRecent.value);
      }
      return statement.statement;
    },
    close(): void {
      statements.clear();
      database.close();
    },
  };
}

/**
 * `CREATE`, `DROP` or `ALTER` first, after any blanks and comments: a schema change, which returns
 * no rows, takes no parameters here, and is seldom run twice with one text.
 */
function isSchemaStatement(sql: string): boolean {
  return /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:create|drop|alter)\b/i.test(sql);
}

/**
 * A schema change run through `exec`, neither prepared as a statement object nor cached: a
 * migration of 1000 revisions runs 3000 of them once each, and preparing each as a statement
 * cost about 29 µs more than `exec` (the 1000-revision bench workload's upgrade script, each
 * statement run in one loop as `prepare(text).run()` and in another as `exec(text)`: 401 ms
 * against 315 ms, better-sqlite3 12 on this project's benchmark machine), besides pushing the
 * registry's queries out of the cache. With parameters it is prepared as usual, so SQLite
 * reports their misuse as it would.
 *
 * One difference remains: `prepare` refuses a text of two statements, `exec` runs both. No
 * query of the registry is a schema change, and the migration runner hands over one statement
 * at a time.
 */
function schemaStatement(database: BetterSqlite3.Database, sql: string): SqliteStatement {
  const prepared = () => database.prepare(sql);
  return {
    reader: false,
    all: (parameters) => prepared().all(parameters),
    run(parameters) {
      if (parameters.length > 0) return prepared().run(parameters);
      database.exec(sql);
      return { changes: 0, lastInsertRowid: 0 };
    },
    iterate: (parameters) => prepared().iterate(parameters),
  };
}

interface CachedStatement {
  /** better-sqlite3's statement, whose `busy` tells whether an iterator still reads it. */
  readonly prepared: BetterSqlite3.Statement;
  /** What Kysely is given. */
  readonly statement: SqliteStatement;
}

/**
 * The statement with its rows read as arrays (better-sqlite3's raw mode) and made into objects
 * keyed by the column names: for a page of 101 records, about 150 µs of CPU against 270 µs in
 * object mode, measured in a loop with better-sqlite3 12 on this project's benchmark machine. The objects are the same as object mode's, a repeated column
 * name keeping its last value.
 *
 * The names are read once, when the statement is prepared. They are fixed by the SQL text for
 * every query without `*`; a query with `*` (whose columns follow the table's, which a schema
 * change alters while the statement stays cached), and every statement that returns no rows, is
 * left as better-sqlite3 makes it.
 */
function readingRowsAsArrays(sql: string, prepared: BetterSqlite3.Statement): SqliteStatement {
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
