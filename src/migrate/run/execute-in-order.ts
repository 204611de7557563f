// Runs queries one after another on one connection (or transaction), in the order given: the
// version-table DDL, a step's bookkeeping, the session settings of a table-lock bound.

import { CompiledQuery, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function executeAll(db: AnyDb, queries: readonly CompiledQuery[]): Promise<void> {
  for (const query of queries) await db.executeQuery(query);
}

/** Statements the dialect adapter wrote (SET …, never user input), run as they are. */
export async function executeRaw(db: AnyDb, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await db.executeQuery(CompiledQuery.raw(statement));
}
