// The registry's tables as Kysely row types (migrations/versions/ creates them), and the typed
// view of a database handle. Types only, besides `registryDb`: no queries here.

import type { ColumnType, Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/database-handle.js';

/**
 * A 64-bit auto-incrementing id. PostgreSQL and MySQL return BIGINT as a string, SQLite as a
 * number; the queries turn both into a decimal string. Never written: the database assigns it.
 */
type GeneratedId = ColumnType<string | number, never, never>;

/** An ISO-8601 UTC timestamp with milliseconds, `2026-11-25T09:30:00.123Z`, on every database. */
type Timestamp = string;

export interface RecordsTable {
  id: GeneratedId;
  name: string;
  description: string | null;
  /** A JSON object, serialised. */
  metadata: string;
  /** Set once, at creation; never changes. */
  storage_id: ColumnType<string, string, never>;
  created_at: ColumnType<Timestamp, Timestamp, never>;
  updated_at: Timestamp;
  /** Null while the record is live. */
  deleted_at: Timestamp | null;
}

export interface DatasetsTable {
  id: GeneratedId;
  record_id: ColumnType<string | number, string | number, never>;
  name: string;
  description: string | null;
  data_type: string;
  metadata: string;
  created_at: ColumnType<Timestamp, Timestamp, never>;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: GeneratedId;
  name: string;
  scope: 'read' | 'write' | 'admin';
  /** Hex SHA-256 of the token (64 characters). */
  token_hash: string;
  created_at: ColumnType<Timestamp, Timestamp, never>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface RegistryDatabase {
  records: RecordsTable;
  datasets: DatasetsTable;
  api_keys: ApiKeysTable;
}

/** The handle's database, typed with the registry's tables. */
export function registryDb(handle: DatabaseHandle): Kysely<RegistryDatabase> {
  // The handle's database is untyped (the engine runs arbitrary SQL); the registry's revisions
  // create exactly these tables.
  return handle.db as Kysely<RegistryDatabase>;
}
