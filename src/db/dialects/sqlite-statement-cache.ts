// A cache of prepared statements between Kysely's SQLite driver and better-sqlite3: the driver
// calls `prepare(sql)` for every query, and compiling the SQL costs more than running a lookup by
// primary key (figure: docs/benchmarks.md, "Notes behind the code"). The cached statements read
// their rows as arrays (sqlite-array-rows.ts); schema changes bypass the cache
// (sqlite-schema-statements.ts). Knows nothing of lock files or version tables; the statements
// stay parameterised.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { readingRowsAsArrays } from './sqlite-array-rows.js';
import { isSchemaStatement, schemaStatement } from './sqlite-schema-statements.js';

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

interface CachedStatement {
  /** better-sqlite3's statement, whose `busy` tells whether an iterator still reads it. */
  readonly prepared: BetterSqlite3.Statement;
  /** What Kysely is given. */
  readonly statement: SqliteStatement;
}
