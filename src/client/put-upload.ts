// Uploads a file through the server: one PUT /api/records/{id}/files/{name} streaming the file
// (any storage). The file is hashed first and its SHA-256 sent (x-amz-checksum-sha256), so that
// the server keeps no version of bytes damaged on the way; it is hashed again while sent, and
// compared with the server's answer.

import { createReadStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { DataRegistryError } from '../shared/errors.js';
import type { FileJson } from './api-types.js';
import type { FileOwner } from './file-owner.js';
import { hashFile, HashingMeter } from './hashing-meter.js';
import { readText } from './http-transport.js';
import type { RegistryClient } from './registry-client.js';
import type { SourceFile } from './source-file.js';
import type { TransferProgress } from './transfer-progress.js';

export async function uploadThroughServer(
  client: RegistryClient,
  owner: FileOwner,
  source: SourceFile,
  progress: TransferProgress,
  conditionHeaders: Readonly<Record<string, string>> = {},
): Promise<FileJson> {
  const declared = Buffer.from(await hashFile(source.path), 'hex').toString('base64');
  const meter = new HashingMeter((bytes) => progress.advance(bytes));
  const reader = createReadStream(source.path);
  reader.on('error', (error) => meter.destroy(error));
  const body = reader.pipe(meter);
  const response = await client.stream(
    'PUT',
    `${owner.path}/files/${encodeURIComponent(source.name)}`,
    {
      headers: {
        ...conditionHeaders,
        'x-amz-checksum-sha256': declared,
        'content-type': source.contentType,
        'content-length': String(source.size),
        accept: 'application/json',
      },
      body,
    },
  );
  const file = JSON.parse(await readText(response)) as FileJson;
  await finished(meter);
  verifyStoredFile(source, file, meter.digest(), meter.bytes);
  return file;
}

/**
 * @throws DataRegistryError CHECKSUM_MISMATCH when the stored file is not the bytes read here
 *   (the file changed while it was read, or was damaged on the way).
 */
export function verifyStoredFile(
  source: SourceFile,
  stored: FileJson,
  sha256: string,
  size: number,
): void {
  if (stored.sha256 === sha256 && stored.size === size) return;
  throw new DataRegistryError(
    'CHECKSUM_MISMATCH',
    `The server stored \`${stored.name}\` as ${stored.size} bytes with SHA-256 ${stored.sha256}, but ${source.path} read as ${size} bytes with SHA-256 ${sha256}; did it change during the upload? Upload it again.`,
    { file: stored.name },
  );
}
