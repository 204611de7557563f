// Schema changes (CREATE, DROP, ALTER) on SQLite run through better-sqlite3's `exec`, neither
// prepared as statement objects nor cached: a migration runs thousands of them once each, and
// `exec` is the cheaper way (figure: docs/benchmarks.md, "Notes behind the code"). Used by the
// statement cache only; knows nothing of revisions.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';

/**
 * `CREATE`, `DROP` or `ALTER` first, after any blanks and comments: a schema change, which returns
 * no rows, takes no parameters here, and is seldom run twice with one text.
 */
export function isSchemaStatement(sql: string): boolean {
  return /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:create|drop|alter)\b/i.test(sql);
}

/**
 * A schema change as Kysely's driver wants a statement, run through `exec` when it has no
 * parameters. Preparing each one as a statement object would cost more per statement, and would
 * push the registry's queries out of the statement cache. With parameters it is prepared as
 * usual, so SQLite reports their misuse as it would.
 *
 * One difference remains: `prepare` refuses a text of two statements, `exec` runs both. No
 * query of the registry is a schema change, and the migration runner hands over one statement
 * at a time.
 */
export function schemaStatement(database: BetterSqlite3.Database, sql: string): SqliteStatement {
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
