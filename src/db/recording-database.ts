// A Kysely instance that connects to nothing: it compiles queries for one dialect and records
// them instead of running them. Offline SQL (`--sql`) renders revisions and version-table
// statements through it, JavaScript revisions included.

import {
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { DialectName } from './dialect-name.js';

export interface RecordingDatabase {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** Returns the queries recorded since the last call, in order, and forgets them. */
  take(): CompiledQuery[];
}

export function createRecordingDatabase(dialect: DialectName): RecordingDatabase {
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
  const db = new Kysely({ dialect: recordingDialect(dialect, driver) });
  return {
    db,
    take() {
      const queries = recorded;
      recorded = [];
      return queries;
    },
  };
}

function recordingDialect(name: DialectName, driver: Driver): Dialect {
  switch (name) {
    case 'postgresql':
      return {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createQueryCompiler: () => new PostgresQueryCompiler(),
        createIntrospector: (db) => new PostgresIntrospector(db),
      };
    case 'mysql':
      return {
        createAdapter: () => new MysqlAdapter(),
        createDriver: () => driver,
        createQueryCompiler: () => new MysqlQueryCompiler(),
        createIntrospector: (db) => new MysqlIntrospector(db),
      };
    case 'sqlite':
      return {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => driver,
        createQueryCompiler: () => new SqliteQueryCompiler(),
        createIntrospector: (db) => new SqliteIntrospector(db),
      };
    default:
      return name satisfies never;
  }
}
