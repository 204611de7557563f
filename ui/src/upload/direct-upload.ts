// Direct uploads (S3 storage): the file goes straight to the store through an upload session,
// in parts sent in parallel to presigned URLs. The session is remembered in localStorage by
// owner, name, size and modification time (its id only: no key, no bytes), so choosing the same
// file again after an interruption sends only the parts the store does not hold yet.

import { ApiError, requestJson, withQuery } from '../api/api-client.js';
import type {
  FileJson,
  PartUrlsJson,
  UploadSessionJson,
  UploadStatusJson,
} from '../api/api-types.js';
import { UploadAborted, xhrPut } from './xhr-put.js';

export interface DirectUploadProgress {
  readonly sentBytes: number;
  readonly partsStored: number;
  readonly partCount: number;
  /** Parts found in the store when the upload started (resumed), else 0. */
  readonly partsResumed: number;
}

export interface DirectUploadOptions {
  readonly onProgress: (progress: DirectUploadProgress) => void;
  readonly signal: AbortSignal;
}

/** Parts in flight at once: enough to fill a fast link, few enough for the browser's pool. */
const parallelParts = 4;
const attemptsPerPart = 3;
const urlBatch = 20;

let isUnsupported = false;

/**
 * Uploads `file` through an upload session; undefined when the server stores files locally
 * (DIRECT_UPLOAD_UNSUPPORTED), so that the caller sends it in one PUT instead.
 */
export async function uploadDirect(
  ownerPath: string,
  file: File,
  options: DirectUploadOptions,
): Promise<FileJson | undefined> {
  if (isUnsupported) return undefined;
  const base = `${ownerPath}/uploads`;
  const memoryKey = `dataregistry.upload:${ownerPath}:${file.name}:${file.size}:${file.lastModified}`;
  const resumed = await resumeSession(base, localStorage.getItem(memoryKey));
  let session: UploadSessionJson;
  let stored = new Map<number, string>();
  if (resumed !== undefined) {
    session = resumed;
    stored = new Map(resumed.parts.map((part) => [part.part_number, part.etag]));
  } else {
    try {
      session = await requestJson<UploadSessionJson>('POST', base, {
        filename: file.name,
        size: file.size,
        content_type: file.type || undefined,
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DIRECT_UPLOAD_UNSUPPORTED') {
        isUnsupported = true;
        return undefined;
      }
      throw error;
    }
    localStorage.setItem(memoryKey, session.upload_id);
  }
  const sessionPath = `${base}/${session.upload_id}`;
  const onAbort = () => {
    localStorage.removeItem(memoryKey);
    void requestJson('DELETE', sessionPath).catch(() => undefined);
  };
  options.signal.addEventListener('abort', onAbort, { once: true });

  const partsResumed = stored.size;
  const inFlight = new Map<number, number>();
  const partBytes = (n: number) =>
    Math.min(session.part_size, file.size - (n - 1) * session.part_size);
  const report = () => {
    let sent = 0;
    for (const n of stored.keys()) sent += partBytes(n);
    for (const bytes of inFlight.values()) sent += bytes;
    options.onProgress({
      sentBytes: sent,
      partsStored: stored.size,
      partCount: session.part_count,
      partsResumed,
    });
  };
  report();

  const missing: number[] = [];
  for (let n = 1; n <= session.part_count; n++) if (!stored.has(n)) missing.push(n);
  const urls = new Map<number, string>();
  const urlOf = async (n: number) => {
    if (!urls.has(n)) {
      const batch = missing.filter((m) => m >= n).slice(0, urlBatch);
      const answer = await requestJson<PartUrlsJson>(
        'GET',
        withQuery(`${sessionPath}/parts`, { parts: batch.join(',') }),
      );
      for (const part of answer.parts) urls.set(part.part_number, part.url);
    }
    return urls.get(n)!;
  };
  const sendPart = async (n: number) => {
    const start = (n - 1) * session.part_size;
    const body = file.slice(start, start + partBytes(n));
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await xhrPut(await urlOf(n), body, {
          signal: options.signal,
          onProgress: (bytes) => {
            inFlight.set(n, bytes);
            report();
          },
        });
        if (answer.status !== 200 || answer.etag === null) {
          throw new Error(
            answer.etag === null && answer.status === 200
              ? 'The store hid the ETag of a part: its CORS configuration must expose the ETag header (docs/ui.md).'
              : `The store answered ${answer.status} to part ${n}.`,
          );
        }
        stored.set(n, answer.etag);
        inFlight.delete(n);
        report();
        return;
      } catch (error) {
        inFlight.delete(n);
        if (error instanceof UploadAborted || attempt >= attemptsPerPart) throw error;
        urls.delete(n);
      }
    }
  };

  const queue = [...missing];
  await Promise.all(
    Array.from({ length: Math.min(parallelParts, queue.length) }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) await sendPart(n);
    }),
  );
  const parts = [...stored]
    .sort(([a], [b]) => a - b)
    .map(([part_number, etag]) => ({ part_number, etag }));
  const completed = await requestJson<FileJson>('POST', `${sessionPath}/complete`, { parts });
  options.signal.removeEventListener('abort', onAbort);
  localStorage.removeItem(memoryKey);
  return completed;
}

/** The remembered session with the parts the store holds, if it is still open. */
async function resumeSession(base: string, uploadId: string | null) {
  if (uploadId === null) return undefined;
  try {
    return await requestJson<UploadStatusJson>('GET', `${base}/${uploadId}`);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UPLOAD_SESSION_NOT_FOUND') return undefined;
    throw error;
  }
}
