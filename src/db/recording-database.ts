// A Kysely instance that connects to nothing: it compiles queries for one dialect (with the
// Kysely parts its adapter provides) and records them instead of running them. Offline SQL
// (`--sql`) renders revisions and version-table statements through it, JavaScript revisions
// included.

import {
  Kysely,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { DialectAdapter } from './dialect-adapter.js';

export interface RecordingDatabase {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** Returns the queries recorded since the last call, in order, and forgets them. */
  take(): CompiledQuery[];
}

export function createRecordingDatabase(dialect: DialectAdapter): RecordingDatabase {
  let recorded: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      recorded.push(query);
      return Promise.resolve({ rows: [] });
    },
    // Offline SQL never streams results.
    // eslint-disable-next-line require-yield, @typescript-eslint/require-await
    async *streamQuery() {
      return;
    },
  };
  // Transactions are rendered by the offline renderer itself, so the driver's are no-ops.
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => Promise.resolve(connection),
    beginTransaction: () => Promise.resolve(),
    commitTransaction: () => Promise.resolve(),
    rollbackTransaction: () => Promise.resolve(),
    releaseConnection: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  };
  const { kyselyParts } = dialect;
  const db = new Kysely({
    dialect: {
      createAdapter: () => kyselyParts.createAdapter(),
      createDriver: () => driver,
      createQueryCompiler: () => kyselyParts.createQueryCompiler(),
      createIntrospector: (db) => kyselyParts.createIntrospector(db),
    },
  });
  return {
    db,
    take() {
      const queries = recorded;
      recorded = [];
      return queries;
    },
  };
}
