// The object store: bytes under keys, on a local folder or S3. The interface only.
// It never decides keys (src/registry/files/ does) and knows nothing of records or rows.

import type { Readable } from 'node:stream';

/** What `put` stored: the byte count and the hex SHA-256 of exactly those bytes. */
export interface StoredObject {
  readonly size: number;
  readonly sha256: string;
}

/** One object as `head` and `list` see it. */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** A byte range, both ends inclusive, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface PutOptions {
  /** Stored with the object (S3 `Content-Type`); ignored by the local store. */
  readonly contentType?: string;
  /** More bytes than this → DataRegistryError FILE_TOO_LARGE, and nothing is kept. */
  readonly maxBytes?: number;
  /**
   * Aborting it cancels the put: the promise rejects with the signal's reason and nothing is
   * kept. An abort that comes once the store has read every byte may let the put complete.
   */
  readonly signal?: AbortSignal;
  /**
   * The body's length when known (the request's Content-Length). Optional and not enforced (use
   * `maxBytes`); S3 uses it to choose parts large enough for objects past ~78 GiB.
   */
  readonly expectedSize?: number;
}

export interface GetOptions {
  /**
   * Only these bytes. `start` must be ≤ `end` and < the object's size (else VALIDATION_FAILED);
   * `end` past the last byte is clamped to it, as HTTP does. Callers answering HTTP resolve
   * suffix ranges (`bytes=-500`) against `head().size` first.
   */
  readonly range?: ByteRange;
}

export interface PresignGetOptions {
  readonly expiresInSeconds: number;
  /** The file name browsers save as (`Content-Disposition: attachment; filename*=UTF-8''…`). */
  readonly downloadName?: string;
}

/**
 * Bytes stored under keys. Keys are `/`-separated relative paths such as `<storage_id>/<file name>`:
 * no empty, `.` or `..` segment, no leading `/`, no `\` and no NUL (else VALIDATION_FAILED — callers
 * validate first; the stores check again so no key can escape the root folder or prefix).
 * A key must not also be the folder of other keys: a local store refuses `a/b` while `a` exists
 * and `a` while `a/b` exists (VALIDATION_FAILED), where S3 would hold both — choose keys so that
 * never happens (e.g. keep a record's files and its datasets' folders in different subfolders).
 *
 * Errors are DataRegistryError: OBJECT_NOT_FOUND (get of a missing key), FILE_TOO_LARGE (put over
 * `maxBytes`), STORAGE_UNAVAILABLE (the folder or S3 cannot be reached, refused access, or failed;
 * the underlying error is the `cause`, and never belongs in an HTTP answer).
 *
 * @example
 * const store = await openObjectStore({ location: './data/files' });
 * const { size, sha256 } = await store.put('r-123/data.csv', request.raw, { maxBytes: 10 * 2 ** 30 });
 * const { body } = await store.get('r-123/data.csv', { range: { start: 0, end: 99 } });
 */
export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** A human-readable location for logs/config: `./data/files` or `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * Streams `body` to `key`, counting bytes and computing SHA-256 on the way. Resolves only after
   * the store accepted every byte (local: temp file in the same folder, fsync, rename; S3:
   * parts streamed through a few reused part buffers, bounded memory). Replaces an existing object atomically
   * (readers see the old or the new, never a mix). On any failure — body stream error/abort,
   * `signal` aborted, more than `maxBytes` (FILE_TOO_LARGE), store error — nothing is left behind:
   * no temp file, no unfinished multipart upload, and an existing object under `key` is untouched.
   * The body is destroyed on failure.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject>;
  /**
   * Streams an object or a byte range of it; `size` is the number of bytes `body` will yield (the
   * range's length when a range is given). OBJECT_NOT_FOUND when absent. Destroy `body` when
   * not reading it to the end.
   */
  get(key: string, options?: GetOptions): Promise<{ body: Readable; size: number }>;
  /** The object's size and time, or undefined when absent. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Removes the object. Idempotent: a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Every object whose key starts with `prefix` (string prefix; pass `'r-123/'` for one folder,
   * `''` for all), each exactly once, in ascending order of the keys' UTF-8 bytes (S3's order:
   * `a`, `a-b`, `a.b`, `a/b`, `ab`; see compareObjectKeys), and with `startAfter` only those
   * whose key sorts after it — what a listing that stopped after that key has not seen yet. The
   * stores skip what sorts before without reading it (S3 `StartAfter`; the local store does not
   * open folders that sort before). Unfinished uploads are not objects.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /**
   * S3 only (undefined on local): a presigned GET URL for the object, answering with
   * `Content-Disposition: attachment` and the `downloadName` when given. Does not check existence.
   */
  presignGet?(key: string, options: PresignGetOptions): Promise<string>;
  /** S3 only (undefined on local): direct multipart upload sessions (clients PUT parts to presigned URLs). */
  readonly multipart?: MultipartUploads;
  /**
   * Local only (undefined on S3, where an upload that stopped is an unfinished multipart upload):
   * removes the temporary files of uploads that stopped midway (a killed server, a full disk),
   * those last written before `modifiedBefore`, and yields each once removed (with `isDryRun`,
   * each that would be, removing none), in `list`'s order of their paths; with `startAfter` and
   * `upTo`, only those whose path sorts in that range. A temporary file being written is
   * modified as it grows, so a bound longer than any stall keeps uploads in flight safe.
   */
  sweepTemporaryFiles?(
    modifiedBefore: Date,
    options?: SweepOptions,
  ): AsyncIterable<TemporaryFileInfo>;
}

/** Where a listing starts (and, for sweeps, stops), by key in compareObjectKeys order. */
export interface ListOptions {
  /** Only keys that sort after this one (not necessarily a stored key). */
  readonly startAfter?: string;
}

export interface SweepOptions extends ListOptions {
  /** Report, and remove nothing. */
  readonly isDryRun?: boolean;
  /** Only temporary files whose path sorts up to this key, inclusive (default: to the end). */
  readonly upTo?: string;
}

/** A temporary file of an upload, by its path under the store's root (`/`-separated). */
export interface TemporaryFileInfo {
  readonly path: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** One part S3 holds for an unfinished multipart upload. */
export interface UploadedPart {
  readonly partNumber: number;
  /** As S3 returns it, with its double quotes: pass it back unchanged to `complete`. */
  readonly etag: string;
  readonly size: number;
}

/** One unfinished multipart upload. */
export interface UnfinishedUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: Date;
}

/** S3's most parts in one multipart upload (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
export const maxMultipartParts = 10_000;

/**
 * S3 multipart uploads driven by a client: `create`, hand out `presignPart` URLs (the client PUTs
 * each part's bytes and keeps the `ETag` response header), `listParts` to resume, `complete` or
 * `abort`. Parts are numbered 1…10 000; every part but the last must be at least 5 MiB and all but
 * the last must have the same size, `partSizeFor(totalSize)`. Errors: OBJECT_NOT_FOUND when the
 * upload id is unknown (completed, aborted or never created); VALIDATION_FAILED when `complete`'s
 * parts are missing, too small or their ETags do not match; STORAGE_UNAVAILABLE otherwise.
 */
export interface MultipartUploads {
  /** The default part size in bytes (64 MiB unless configured). */
  readonly partSize: number;
  /** The part size to use for a file of `totalSize` bytes: `partSize`, grown so ≤ 10 000 parts suffice. */
  partSizeFor(totalSize: number): number;
  create(key: string, options?: { contentType?: string }): Promise<{ uploadId: string }>;
  /** A URL the client PUTs part `partNumber` (1…10 000) to; its answer's `ETag` header is the part's etag. */
  presignPart(
    key: string,
    uploadId: string,
    partNumber: number,
    expiresInSeconds: number,
  ): Promise<string>;
  /** The parts stored so far, in part-number order. */
  listParts(key: string, uploadId: string): Promise<UploadedPart[]>;
  /** Assembles the object from the given parts (sorted by part number here); `size` is the object's. */
  complete(
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<{ size: number }>;
  /** Discards the upload and its parts. Idempotent: an unknown upload id is not an error. */
  abort(key: string, uploadId: string): Promise<void>;
  /**
   * Unfinished uploads whose key starts with `prefix`, for purge, in `list`'s key order (uploads
   * of one key in upload id order); with `startAfter`, only those of keys that sort after it.
   */
  listUnfinished(prefix: string, options?: ListOptions): AsyncIterable<UnfinishedUpload>;
}

/**
 * Where and how to store objects; built by src/config/ from DATA_REGISTRY_STORAGE and friends and
 * passed to `openObjectStore` (src/storage/open-object-store.ts). AWS credentials come from the
 * SDK's default chain (environment, profile, instance or task role).
 */
export interface StorageSettings {
  /** `./some/folder`, `/abs/folder` or `s3://bucket/optional/prefix`. */
  readonly location: string;
  /** A custom S3 endpoint (MinIO, Ceph, R2, s3rver…), e.g. `http://127.0.0.1:9000`. */
  readonly s3Endpoint?: string;
  readonly s3Region?: string;
  /** Path-style URLs (`endpoint/bucket/key`); most S3-compatible stores need it. */
  readonly s3ForcePathStyle?: boolean;
  /** The part size of streamed uploads to S3 (bytes, ≥ 5 MiB; default 8 MiB). */
  readonly s3PartSize?: number;
}

/** Opens the store `settings.location` names; see src/storage/open-object-store.ts. */
export { openObjectStore } from './open-object-store.js';

/** The order of keys in listings (S3's): see object-key.ts. */
export { compareObjectKeys } from './object-key.js';
