// Upload sessions (S3 only): a client uploads a large file's parts straight to the store through
// presigned URLs, then completes the session, which writes the file's row. Never sees HTTP.

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { MultipartUploads, ObjectStore, UploadedPart } from '../../storage/object-store.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import type { FileService } from '../files/file-service.js';
import type { UploadResult } from '../files/file-version-writer.js';
import type { WriteCondition } from '../files/write-condition.js';
import { checksumMismatch } from '../files/file-errors.js';
import { checkContentType, checkFileName } from '../files/file-name.js';
import { fileStorageKey } from '../files/storage-key.js';
import type { FileOwner, FileOwnerRef } from '../files/stored-file.js';
import { withDatabaseErrors } from '../shared/database-errors.js';
import { checkId } from '../shared/entity-id.js';
import { invalidField } from '../shared/field-checks.js';
import {
  checkPartList,
  checkPartNumbers,
  checkSha256,
  checkStoredParts,
  uploadIncomplete,
} from './part-checks.js';
import { deleteSession, insertSession, selectSession, touchSession } from './upload-queries.js';
import {
  partSizeOf,
  type CompletedPart,
  type NewUploadSession,
  type PartUrl,
  type UploadSession,
} from './upload-session.js';

export interface UploadServiceOptions {
  readonly store: ObjectStore;
  /** Checks owners, and writes the file's row once a session is complete. */
  readonly files: FileService;
  /** How long a presigned part URL is valid; default one hour. */
  readonly partUrlSeconds?: number;
  /** The clock; default the system's. */
  readonly now?: () => Date;
}

/**
 * Every method answers DIRECT_UPLOAD_UNSUPPORTED when the store has no multipart uploads (a
 * local folder), RECORD_NOT_FOUND / DATASET_NOT_FOUND unless the owner is live, and
 * UPLOAD_SESSION_NOT_FOUND unless the session is the owner's and still open.
 */
export class UploadService {
  readonly #db: Kysely<RegistryDatabase>;
  readonly #dialect: DialectAdapter;
  readonly #store: ObjectStore;
  readonly #files: FileService;
  readonly #partUrlSeconds: number;
  readonly #now: () => Date;

  constructor(handle: DatabaseHandle, options: UploadServiceOptions) {
    this.#db = registryDb(handle);
    this.#dialect = handle.dialect;
    this.#store = options.store;
    this.#files = options.files;
    this.#partUrlSeconds = options.partUrlSeconds ?? 3600;
    this.#now = options.now ?? (() => new Date());
  }

  /** How long the URLs of {@link presignParts} are valid, in seconds. */
  get partUrlSeconds(): number {
    return this.#partUrlSeconds;
  }

  /**
   * Opens a session: starts an S3 multipart upload for the file and tells its part size.
   *
   * @throws DataRegistryError VALIDATION_FAILED (`filename`, `size`, `content_type`),
   *   FILE_TOO_LARGE, FILE_EXISTS and FILE_CHANGED (`input.condition` already fails: refused
   *   before any part is sent; `complete` checks it again, and that check decides).
   */
  async open(ref: FileOwnerRef, input: NewUploadSession): Promise<UploadSession> {
    const multipart = this.#multipart();
    const name = checkFileName(input.filename, 'filename');
    const contentType = checkContentType(input.contentType, 'content_type');
    if (!Number.isSafeInteger(input.size) || input.size < 1) {
      throw invalidField(
        'size',
        '`size` must be a whole number of bytes, at least 1 (upload an empty file with PUT …/files/{filename}).',
      );
    }
    this.#files.checkSize(input.size);
    const owner = await this.#files.requireOwner(ref);
    await this.#files.writer.checkConditionNow(owner, name, input.condition);
    const partSize = multipart.partSizeFor(input.size);
    const now = this.#now();
    const storageKey = fileStorageKey(owner, name, now);
    const { uploadId } = await multipart.create(storageKey, { contentType });
    const row = {
      name,
      size: input.size,
      contentType,
      partSize,
      storageKey,
      multipartUploadId: uploadId,
      now: now.toISOString(),
    };
    try {
      const session = await this.#run(() => insertSession(this.#db, owner, row));
      if (session === undefined) throw new Error(`The upload session ${storageKey} vanished`);
      return session;
    } catch (error) {
      await multipart.abort(storageKey, uploadId).catch(() => undefined);
      throw error;
    }
  }

  /** The session, with the parts the store holds so far (to resume an interrupted upload). */
  async status(
    ref: FileOwnerRef,
    id: string,
  ): Promise<{ session: UploadSession; parts: UploadedPart[] }> {
    const { session } = await this.#requireSession(ref, id);
    const parts = await this.#listParts(session);
    if (parts === undefined) throw sessionNotFound(session.id);
    await this.#touch(session);
    return { session, parts };
  }

  /**
   * Presigned URLs to PUT the given parts to, each with the size it must have.
   *
   * @throws DataRegistryError VALIDATION_FAILED when a part number is outside 1…part_count, or
   *   more than 1000 are asked for at once.
   */
  async presignParts(
    ref: FileOwnerRef,
    id: string,
    partNumbers: readonly number[],
  ): Promise<PartUrl[]> {
    const multipart = this.#multipart();
    const { session } = await this.#requireSession(ref, id);
    checkPartNumbers(session, partNumbers);
    await this.#touch(session);
    return Promise.all(
      partNumbers.map(async (partNumber) => ({
        partNumber,
        size: partSizeOf(session, partNumber),
        url: await multipart.presignPart(
          session.storageKey,
          session.multipartUploadId,
          partNumber,
          this.#partUrlSeconds,
        ),
      })),
    );
  }

  /**
   * Completes the session: checks that `parts` are parts 1 to N of the declared size with the
   * ETags the store holds, assembles the object, computes its SHA-256 by reading it once (and
   * compares it with `sha256` when the client declares one), then makes it the owner's latest
   * version of that name (the earlier versions are kept). The session is then gone.
   *
   * @throws DataRegistryError UPLOAD_INCOMPLETE (a part missing, of the wrong size or ETag; the
   *   session stays open), CHECKSUM_MISMATCH, FILE_EXISTS, FILE_CHANGED (`options.condition`;
   *   checked in the transaction that writes the row): nothing is kept, the session is gone.
   */
  async complete(
    ref: FileOwnerRef,
    id: string,
    parts: readonly CompletedPart[],
    sha256?: string,
    options: { readonly createdBy?: string | null; readonly condition?: WriteCondition } = {},
  ): Promise<UploadResult> {
    const declared = sha256 === undefined ? undefined : checkSha256(sha256);
    const { owner, session } = await this.#requireSession(ref, id);
    checkPartList(session, parts);
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    await this.#assemble(session, sorted);
    const computed = await this.#hashObject(session);
    if (declared !== undefined && computed.sha256 !== declared) {
      await this.#discard(session);
      throw checksumMismatch(computed.sha256, declared);
    }
    const row = {
      name: session.name,
      size: computed.size,
      sha256: computed.sha256,
      contentType: session.contentType,
      storageKey: session.storageKey,
      now: this.#now().toISOString(),
      createdBy: options.createdBy ?? null,
    };
    try {
      return await this.#files.writer.recordVersion(owner, row, {
        condition: options.condition,
        keepObjectOnFailure: true,
        alsoInTransaction: async (trx) => {
          await deleteSession(trx, session.id);
        },
      });
    } catch (error) {
      // A retried complete cannot make the condition hold: nothing of the upload is kept.
      const isRefused =
        isDataRegistryError(error) && ['FILE_EXISTS', 'FILE_CHANGED'].includes(error.code);
      if (isRefused) await this.#discard(session);
      throw error;
    }
  }

  /** Aborts the session: the store discards its parts. Idempotent in the store. */
  async abort(ref: FileOwnerRef, id: string): Promise<void> {
    const { session } = await this.#requireSession(ref, id);
    await this.#multipart().abort(session.storageKey, session.multipartUploadId);
    await this.#run(() => deleteSession(this.#db, session.id));
  }

  /** Assembles the object; a complete the store already did (a retried request) is accepted. */
  async #assemble(session: UploadSession, parts: readonly CompletedPart[]): Promise<void> {
    const multipart = this.#multipart();
    const stored = await this.#listParts(session);
    if (stored !== undefined) checkStoredParts(session, parts, stored);
    try {
      await multipart.complete(session.storageKey, session.multipartUploadId, parts);
    } catch (error) {
      if (!isDataRegistryError(error)) throw error;
      if (error.code === 'VALIDATION_FAILED') throw uploadIncomplete(error.message);
      if (error.code !== 'OBJECT_NOT_FOUND') throw error;
      const object = await this.#store.head(session.storageKey);
      if (object === undefined) {
        await this.#run(() => deleteSession(this.#db, session.id));
        throw uploadIncomplete(
          'The store no longer has this multipart upload (aborted or expired); open a new session.',
        );
      }
    }
  }

  async #hashObject(session: UploadSession): Promise<{ sha256: string; size: number }> {
    const { body } = await this.#store.get(session.storageKey);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    if (size !== session.size) {
      await this.#discard(session);
      throw uploadIncomplete(
        `The assembled file has ${size} bytes, not the declared ${session.size}; nothing was kept. Open a new session.`,
      );
    }
    return { sha256: hash.digest('hex'), size };
  }

  /** Removes the assembled object and the session. */
  async #discard(session: UploadSession): Promise<void> {
    await this.#files.writer.removeObject(session.storageKey);
    await this.#run(() => deleteSession(this.#db, session.id));
  }

  /** The parts stored so far; undefined when the store no longer has the multipart upload. */
  async #listParts(session: UploadSession): Promise<UploadedPart[] | undefined> {
    try {
      return await this.#multipart().listParts(session.storageKey, session.multipartUploadId);
    } catch (error) {
      if (isDataRegistryError(error) && error.code === 'OBJECT_NOT_FOUND') return undefined;
      throw error;
    }
  }

  async #requireSession(
    ref: FileOwnerRef,
    id: string,
  ): Promise<{ owner: FileOwner; session: UploadSession }> {
    this.#multipart();
    checkId(id, 'upload_id');
    const owner = await this.#files.requireOwner(ref);
    const session = await this.#run(() => selectSession(this.#db, owner, id));
    if (session === undefined) throw sessionNotFound(id);
    return { owner, session };
  }

  async #touch(session: UploadSession): Promise<void> {
    const now = this.#now().toISOString();
    await this.#run(() => touchSession(this.#db, session.id, now));
  }

  #multipart(): MultipartUploads {
    if (this.#store.multipart !== undefined) return this.#store.multipart;
    throw new DataRegistryError(
      'DIRECT_UPLOAD_UNSUPPORTED',
      `Upload sessions need S3 storage, and this server stores files in ${this.#store.location}; upload through the server instead: PUT …/files/{filename} (or POST …/files as multipart/form-data).`,
    );
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    return withDatabaseErrors(this.#dialect, work);
  }
}

export function sessionNotFound(id: string): DataRegistryError {
  return new DataRegistryError(
    'UPLOAD_SESSION_NOT_FOUND',
    `No open upload session has the id ${id} here (completed, aborted, or purged after being idle); open a new one.`,
    { id },
  );
}
