// Uploads one file of a record or dataset: a large one straight to the store when the server has
// S3 storage (direct-upload.ts), otherwise streamed as the raw body of one PUT to
// `…/files/{name}`. Either way the server computes the SHA-256 of what was stored.

import { ApiError, authHeaders, errorOf } from '../api/api-client.js';
import type { FileJson } from '../api/api-types.js';
import { uploadDirect, type DirectUploadProgress } from './direct-upload.js';
import { UploadAborted, xhrPut } from './xhr-put.js';

export interface UploadOptions {
  readonly onProgress: (sentBytes: number, parts?: DirectUploadProgress) => void;
  readonly signal: AbortSignal;
}

/** Below this, one PUT through the server costs less than a session's extra requests. */
const directUploadMinBytes = 16 * 1024 * 1024;

export async function uploadFile(
  ownerPath: string,
  file: File,
  options: UploadOptions,
): Promise<FileJson> {
  if (file.size >= directUploadMinBytes) {
    const direct = await uploadDirect(ownerPath, file, {
      signal: options.signal,
      onProgress: (progress) => options.onProgress(progress.sentBytes, progress),
    });
    if (direct !== undefined) return direct;
  }
  return uploadThroughServer(ownerPath, file, options);
}

async function uploadThroughServer(
  ownerPath: string,
  file: File,
  options: UploadOptions,
): Promise<FileJson> {
  let answer;
  try {
    answer = await xhrPut(`${ownerPath}/files/${encodeURIComponent(file.name)}`, file, {
      headers: { ...authHeaders(), 'content-type': file.type || 'application/octet-stream' },
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof UploadAborted) throw error;
    throw new ApiError(
      'NETWORK',
      'The connection was lost during the upload; choose the file again to retry.',
      0,
    );
  }
  if (answer.status === 200 || answer.status === 201) return JSON.parse(answer.text) as FileJson;
  throw errorOf(answer.status, answer.text);
}
