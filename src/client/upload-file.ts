// Uploads one file to a record: through an upload session straight to the store when the server
// offers them (S3 storage), else through the server with one streamed PUT.

import type { FileJson } from './api-types.js';
import type { FileOwner } from './file-owner.js';
import { uploadDirect, type DirectUploadOptions } from './direct-upload.js';
import { uploadThroughServer } from './put-upload.js';
import type { RegistryClient } from './registry-client.js';
import type { SourceFile } from './source-file.js';

export interface UploadOptions extends DirectUploadOptions {
  /** Try an upload session first; false sends every byte through the server. */
  readonly isDirectWanted: boolean;
}

export interface UploadResult {
  readonly file: FileJson;
  readonly isDirect: boolean;
}

export async function uploadFile(
  client: RegistryClient,
  owner: FileOwner,
  source: SourceFile,
  options: UploadOptions,
): Promise<UploadResult> {
  // An empty file has no part to send: S3 multipart uploads need at least one.
  if (options.isDirectWanted && source.size > 0) {
    const file = await uploadDirect(client, owner, source, options);
    if (file !== undefined) return { file, isDirect: true };
  }
  const progress = options.startProgress(source.name, source.size, 0);
  try {
    const file = await uploadThroughServer(
      client,
      owner,
      source,
      progress,
      options.conditionHeaders,
    );
    return { file, isDirect: false };
  } finally {
    progress.finish();
  }
}
