// Sends one part of a direct upload straight to the store: a fresh presigned URL, a PUT of the
// part's byte range read from the file, its ETag back; retried a few times with a growing pause.

import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataRegistryError } from '../shared/errors.js';
import { HashingMeter } from './hashing-meter.js';
import { discard, networkErrorCode, readText } from './http-transport.js';
import type { RegistryClient } from './registry-client.js';
import type { PartUrlBatches } from './part-url-batches.js';
import type { UploadSessionApi } from './upload-session-api.js';

export interface PartToSend {
  readonly partNumber: number;
  /** Byte offset of the part in the file. */
  readonly start: number;
  readonly size: number;
}

export interface PartUploadContext {
  readonly client: RegistryClient;
  readonly sessions: UploadSessionApi;
  /** Where a part's first attempt gets its URL; later attempts ask for a fresh one. */
  readonly partUrls: PartUrlBatches;
  readonly uploadId: string;
  readonly path: string;
  /** Counts bytes sent (negative when a failed attempt's bytes are taken back). */
  readonly onBytes: (bytes: number) => void;
  readonly signal: AbortSignal;
  /** Attempts per part, the first included. */
  readonly attempts: number;
  /** Pause before the second attempt; doubled for each further one. */
  readonly firstRetryDelayMs: number;
}

/**
 * @returns the part's ETag as the store answered it.
 * @throws DataRegistryError STORAGE_UNAVAILABLE after the last failed attempt; the registry's
 *   own errors (an unknown session…) at once, without retrying.
 */
export async function sendPart(context: PartUploadContext, part: PartToSend): Promise<string> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= context.attempts; attempt += 1) {
    context.signal.throwIfAborted();
    // A fresh URL for each retry: one that has expired meanwhile is the likeliest failure.
    const url =
      attempt === 1
        ? await context.partUrls.urlOf(part.partNumber)
        : (await context.sessions.presignPart(context.uploadId, part.partNumber)).url;
    let sent = 0;
    try {
      return await putPart(context, part, url, (bytes) => {
        sent += bytes;
        context.onBytes(bytes);
      });
    } catch (error) {
      context.onBytes(-sent);
      if (context.signal.aborted) throw error;
      lastProblem = problemOf(error);
    }
    if (attempt < context.attempts) {
      await sleep(context.firstRetryDelayMs * 2 ** (attempt - 1), undefined, {
        signal: context.signal,
      });
    }
  }
  throw new DataRegistryError(
    'STORAGE_UNAVAILABLE',
    `Part ${part.partNumber} could not be stored after ${context.attempts} attempts (${lastProblem}); run the same command again to resume: stored parts are not sent again.`,
    { partNumber: part.partNumber },
  );
}

async function putPart(
  context: PartUploadContext,
  part: PartToSend,
  url: string,
  onBytes: (bytes: number) => void,
): Promise<string> {
  const meter = new HashingMeter(onBytes);
  let body: HashingMeter | string = '';
  // An empty part (an empty file's only one) has no bytes to read.
  if (part.size > 0) {
    const reader = createReadStream(context.path, {
      start: part.start,
      end: part.start + part.size - 1,
    });
    reader.on('error', (error) => meter.destroy(error));
    body = reader.pipe(meter);
  }
  const response = await context.client.transport.send({
    method: 'PUT',
    url: new URL(url),
    headers: { 'content-length': String(part.size) },
    body,
    signal: context.signal,
  });
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const text = await readText(response, 4096);
    throw new Error(`the store answered HTTP ${status}${s3CodeOf(text)}`);
  }
  await discard(response);
  const etag = response.headers.etag;
  if (etag === undefined) throw new Error('the store answered without an ETag');
  if (part.size > 0 && meter.bytes !== part.size) {
    throw new Error(`${meter.bytes} of ${part.size} bytes were read; did the file change?`);
  }
  return etag;
}

/** ` (SignatureDoesNotMatch)` from an S3 error body. */
function s3CodeOf(text: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  return code === undefined ? '' : ` (${code})`;
}

function problemOf(error: unknown): string {
  if (error instanceof DataRegistryError) throw error;
  return networkErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
