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

/**
 * A 64-bit byte count: a string from PostgreSQL and MySQL, a number from SQLite; written as a
 * number (every size the registry handles is below 2^53).
 */
type ByteCount = ColumnType<string | number, number, number>;

/** A reference to a record or dataset id, written as {@link idParameter} gives it. */
type IdReference = ColumnType<string | number, string | number, never>;

/** One stored version of a file; see the `create files table` revision. */
export interface FilesTable {
  id: GeneratedId;
  record_id: IdReference;
  /** Null for a record's own files. */
  dataset_id: ColumnType<string | number | null, string | number | null, never>;
  name: ColumnType<string, string, never>;
  size: ByteCount;
  /** Lowercase hex, 64 characters. */
  sha256: ColumnType<string, string, never>;
  content_type: ColumnType<string, string, never>;
  /** The object store key; unique, never reused. */
  storage_key: ColumnType<string, string, never>;
  created_at: ColumnType<Timestamp, Timestamp, never>;
  /**
   * Null on the file's latest version while the file is live (at most one row per name); set
   * when the version is deleted or superseded. An older server reads exactly that.
   */
  deleted_at: Timestamp | null;
  /**
   * 1, 2, 3… per file name; null on rows written before the `add file versions` revision or by
   * an older server (see file-versions.ts for how such a row is numbered).
   */
  version: number | null;
  /** Set (with `deleted_at`, to the same instant) when a newer version superseded this kept one. */
  superseded_at: Timestamp | null;
  /** The name of the API key that uploaded the version; null when /api needs no key. */
  created_by: ColumnType<string | null, string | null, never>;
}

/** An S3 multipart upload filled by a client; see the `create upload sessions table` revision. */
export interface UploadSessionsTable {
  id: GeneratedId;
  record_id: IdReference;
  dataset_id: ColumnType<string | number | null, string | number | null, never>;
  name: ColumnType<string, string, never>;
  size: ByteCount;
  content_type: ColumnType<string, string, never>;
  part_size: ByteCount;
  storage_key: ColumnType<string, string, never>;
  multipart_upload_id: ColumnType<string, string, never>;
  created_at: ColumnType<Timestamp, Timestamp, never>;
  /** The last request about the session; purge aborts sessions idle for too long. */
  updated_at: Timestamp;
}

export interface RegistryDatabase {
  records: RecordsTable;
  datasets: DatasetsTable;
  api_keys: ApiKeysTable;
  files: FilesTable;
  upload_sessions: UploadSessionsTable;
}

/** The handle's database, typed with the registry's tables. */
export function registryDb(handle: DatabaseHandle): Kysely<RegistryDatabase> {
  // The handle's database is untyped (the engine runs arbitrary SQL); the registry's revisions
  // create exactly these tables.
  return handle.db as Kysely<RegistryDatabase>;
}
