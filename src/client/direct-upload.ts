// Direct upload of one file (S3 storage): an upload session, the parts PUT straight to the store
// several at a time, then `complete` with the parts' ETags and the file's SHA-256. Resumable: the
// session is remembered in a state file next to the source (upload-state.ts), and a new run asks
// the server which parts are stored, sending only the others.

import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import type { FileJson } from './api-types.js';
import type { FileOwner } from './file-owner.js';
import { hashFile } from './hashing-meter.js';
import { sendPart, type PartToSend } from './part-upload.js';
import { PartUrlBatches } from './part-url-batches.js';
import { verifyStoredFile } from './put-upload.js';
import type { RegistryClient } from './registry-client.js';
import type { SourceFile } from './source-file.js';
import type { TransferProgress } from './transfer-progress.js';
import {
  UploadSessionApi,
  type CompletedPart,
  type UploadSessionJson,
} from './upload-session-api.js';
import {
  isStateFor,
  readUploadState,
  removeUploadState,
  uploadStatePathOf,
  writeUploadState,
} from './upload-state.js';

export interface DirectUploadOptions {
  /** Parts in flight at once. */
  readonly parallel: number;
  /** Attempts per part, the first included. */
  readonly attempts: number;
  readonly firstRetryDelayMs: number;
  readonly startProgress: (label: string, total: number, alreadyDone: number) => TransferProgress;
  /** One line for the person at the terminal (resuming, state file not writable…). */
  readonly info: (line: string) => void;
  /** Headers that make the upload conditional (`If-None-Match: *` for --no-overwrite). */
  readonly conditionHeaders?: Readonly<Record<string, string>>;
}

interface OpenSession {
  readonly session: UploadSessionJson;
  /** Parts the store already holds, by number, with their ETag and size. */
  readonly stored: ReadonlyMap<number, { etag: string; size: number }>;
}

/**
 * Uploads the file through an upload session, resuming the one in the state file when it still
 * matches. Resolves with undefined when the server offers no upload sessions (local storage):
 * the caller then uploads through the server.
 *
 * @throws DataRegistryError STORAGE_UNAVAILABLE when a part fails every attempt (the session and
 *   the state file are kept, to resume), CHECKSUM_MISMATCH, and the server's errors.
 */
export async function uploadDirect(
  client: RegistryClient,
  owner: FileOwner,
  source: SourceFile,
  options: DirectUploadOptions,
): Promise<FileJson | undefined> {
  const sessions = new UploadSessionApi(client, owner.path);
  const opened =
    (await resumeSession(client, sessions, owner, source, options)) ??
    (await openSession(client, sessions, owner, source, options));
  if (opened === undefined) return undefined;
  const { session, stored } = opened;

  const parts = partsOf(source.size, session);
  const toSend = parts.filter((part) => stored.get(part.partNumber)?.size !== part.size);
  const alreadyDone = source.size - toSend.reduce((sum, part) => sum + part.size, 0);
  if (toSend.length < parts.length) {
    options.info(
      `Resuming the upload of ${source.name}: ${parts.length - toSend.length} of ${parts.length} parts already stored.`,
    );
  }
  const progress = options.startProgress(source.name, source.size, alreadyDone);
  const controller = new AbortController();
  const hashing = hashFile(source.path, controller.signal);
  const etags = new Map<number, string>();
  for (const [number, part] of stored) etags.set(number, part.etag);
  const partUrls = new PartUrlBatches(
    sessions,
    session.upload_id,
    toSend.map((part) => part.partNumber),
  );
  try {
    await runPool(toSend, options.parallel, controller, async (part) => {
      const etag = await sendPart(
        {
          client,
          sessions,
          partUrls,
          uploadId: session.upload_id,
          path: source.path,
          onBytes: (bytes) => progress.advance(bytes),
          signal: controller.signal,
          attempts: options.attempts,
          firstRetryDelayMs: options.firstRetryDelayMs,
        },
        part,
      );
      etags.set(part.partNumber, etag);
    });
    const sha256 = await hashing;
    const completed: CompletedPart[] = parts.map((part) => ({
      part_number: part.partNumber,
      etag: etags.get(part.partNumber) ?? '',
    }));
    const file = await sessions.complete(
      session.upload_id,
      completed,
      sha256,
      options.conditionHeaders,
    );
    progress.finish();
    await removeUploadState(source.path);
    verifyStoredFile(source, file, sha256, source.size);
    return file;
  } catch (error) {
    controller.abort();
    await hashing.catch(() => undefined);
    progress.finish();
    // A refused condition discards the session on the server: nothing is left to resume.
    if (isConditionRefused(error)) await removeUploadState(source.path);
    throw error;
  }
}

/** The session of the state file, when it is for this file and the server still has it open. */
async function resumeSession(
  client: RegistryClient,
  sessions: UploadSessionApi,
  owner: FileOwner,
  source: SourceFile,
  options: DirectUploadOptions,
): Promise<OpenSession | undefined> {
  const state = await readUploadState(source.path);
  if (state === undefined) return undefined;
  if (!isStateFor(state, client.url, owner.stateId, source)) {
    // The file changed (or another record or server is meant): its parts are of no use.
    if (state.server === client.url && state.record_id === owner.stateId) {
      await sessions.abort(state.upload_id).catch(() => undefined);
    }
    options.info(
      `${source.path} changed since its interrupted upload (or goes elsewhere); starting over.`,
    );
    await removeUploadState(source.path);
    return undefined;
  }
  try {
    const current = await sessions.get(state.upload_id);
    const stored = new Map(
      current.parts.map((part) => [part.part_number, { etag: part.etag, size: part.size }]),
    );
    return { session: current, stored };
  } catch (error) {
    if (!isGone(error)) throw error;
    options.info(`The interrupted upload of ${source.name} is no longer open; starting over.`);
    await removeUploadState(source.path);
    return undefined;
  }
}

async function openSession(
  client: RegistryClient,
  sessions: UploadSessionApi,
  owner: FileOwner,
  source: SourceFile,
  options: DirectUploadOptions,
): Promise<OpenSession | undefined> {
  let session: UploadSessionJson;
  try {
    session = await sessions.open(
      { filename: source.name, size: source.size, contentType: source.contentType },
      options.conditionHeaders,
    );
  } catch (error) {
    if (isUnsupported(error)) return undefined;
    throw error;
  }
  const isWritten = await writeUploadState(source.path, {
    version: 1,
    server: client.url,
    record_id: owner.stateId,
    filename: source.name,
    size: source.size,
    modified_ms: source.modifiedMs,
    upload_id: session.upload_id,
    created_at: new Date().toISOString(),
  });
  if (!isWritten) {
    options.info(
      `Cannot write ${uploadStatePathOf(source.path)}: if this upload is interrupted, it cannot be resumed.`,
    );
  }
  return { session, stored: new Map() };
}

/** Part n covers bytes [(n-1)·part_size, n·part_size), the last one what remains. */
export function partsOf(size: number, session: UploadSessionJson): PartToSend[] {
  const parts: PartToSend[] = [];
  for (let number = 1; number <= session.part_count; number += 1) {
    const start = (number - 1) * session.part_size;
    parts.push({
      partNumber: number,
      start,
      size: Math.max(0, Math.min(session.part_size, size - start)),
    });
  }
  return parts;
}

/** Runs `work` on every item, at most `limit` at once; the first failure stops the others. */
async function runPool<T>(
  items: readonly T[],
  limit: number,
  controller: AbortController,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

function isUnsupported(error: unknown): boolean {
  return (
    error instanceof DataRegistryError &&
    (error.code === 'DIRECT_UPLOAD_UNSUPPORTED' || error.code === 'ROUTE_NOT_FOUND')
  );
}

function isGone(error: unknown): boolean {
  return (
    error instanceof DataRegistryError &&
    (error.code === 'UPLOAD_SESSION_NOT_FOUND' || error.code === 'OBJECT_NOT_FOUND')
  );
}

function isConditionRefused(error: unknown): boolean {
  return (
    isDataRegistryError(error) && (error.code === 'FILE_EXISTS' || error.code === 'FILE_CHANGED')
  );
}
