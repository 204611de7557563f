// A file as the registry hands it out, and whose files a request is about.

/** One stored version of a file: its latest when it comes from a file listing or `find`. */
export interface StoredFile {
  readonly recordId: string;
  /** Null for a record's own files. */
  readonly datasetId: string | null;
  readonly name: string;
  /** 1, 2, 3… per file name: each upload to the name adds one. */
  readonly version: number;
  /** Bytes; every size below 2^53 is exact. */
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes, computed by the registry. */
  readonly sha256: string;
  readonly contentType: string;
  /** Where the bytes are in the object store (see storage-key.ts); never shown to clients. */
  readonly storageKey: string;
  /** ISO-8601 UTC with milliseconds: when this version was uploaded. */
  readonly createdAt: string;
  /** The name of the API key that uploaded this version; null when /api needs no key. */
  readonly createdBy: string | null;
}

/** Whose files: a live record's own, or those of a live dataset (of a live record). */
export type FileOwnerRef =
  | { readonly kind: 'record'; readonly id: string }
  | { readonly kind: 'dataset'; readonly id: string };

/** An owner found live in the database. */
export interface FileOwner {
  readonly recordId: string;
  readonly datasetId: string | null;
  /** The record's storage_id: the first segment of every key. */
  readonly storageId: string;
}

export interface FileListQuery {
  /** 1 to 1000, default 100. */
  readonly limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** A file deleted as a whole: the version `restore` would bring back, and when it went. */
export interface DeletedFile extends StoredFile {
  readonly deletedAt: string;
}
