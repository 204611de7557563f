// Uploads one file of a record or dataset: streamed as the raw body of one PUT to
// `…/files/{name}` (the server computes its SHA-256 while storing it).

import { ApiError, authHeaders, errorOf } from '../api/api-client.js';
import type { FileJson } from '../api/api-types.js';
import { UploadAborted, xhrPut } from './xhr-put.js';

export interface UploadOptions {
  readonly onProgress: (sentBytes: number) => void;
  readonly signal: AbortSignal;
}

export async function uploadFile(
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
