// Downloads one file of a record to disk: streamed into a temporary file next to the target,
// hashed on the way, compared with the server's SHA-256 (the ETag), then renamed into place.
// A failed or mismatching download leaves nothing behind and never touches an existing target.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataRegistryError } from '../shared/errors.js';
import type { FileJson, PageJson } from './api-types.js';
import type { FileOwner } from './file-owner.js';
import { HashingMeter } from './hashing-meter.js';
import { isLocalFileError, localFileError } from './local-file-error.js';
import type { RegistryClient } from './registry-client.js';
import type { TransferProgress } from './transfer-progress.js';

export interface DownloadRequest {
  readonly owner: FileOwner;
  readonly fileName: string;
  /** A file path, or an existing folder (the file keeps its name); default the working folder. */
  readonly output?: string | undefined;
  /** Starts the progress display once the size is known. */
  readonly startProgress: (label: string, total: number) => TransferProgress;
}

export interface DownloadResult {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * @throws DataRegistryError CHECKSUM_MISMATCH when the bytes received are not those the server
 *   announced (size or SHA-256); FILE_NOT_FOUND, RECORD_NOT_FOUND… as the server answers.
 */
export async function downloadFile(
  client: RegistryClient,
  request: DownloadRequest,
): Promise<DownloadResult> {
  const { owner, fileName } = request;
  const target = await targetPathOf(request.output, fileName);
  const filePath = `${owner.path}/files/${encodeURIComponent(fileName)}`;
  const response = await client.stream('GET', filePath);
  const lengthHeader = response.headers['content-length'];
  const size = lengthHeader === undefined ? undefined : Number(lengthHeader);
  let expected = sha256OfEtag(response.headers.etag);

  const temporary = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}.dataregistry-download`,
  );
  const progress = request.startProgress(`${fileName}`, size ?? 0);
  const meter = new HashingMeter((bytes) => progress.advance(bytes));
  try {
    try {
      await pipeline(response, meter, createWriteStream(temporary, { flags: 'wx' }));
      await syncFile(temporary);
    } catch (error) {
      throw isLocalFileError(error)
        ? localFileError(error, target, 'write')
        : client.unreachable(error);
    }
    progress.finish();
    const actual = meter.digest();
    expected ??= (await findListedFile(client, owner, fileName))?.sha256;
    if (size !== undefined && meter.bytes !== size) {
      throw mismatch(fileName, `${meter.bytes} bytes arrived, ${size} were announced`, target);
    }
    if (expected !== actual) {
      throw mismatch(
        fileName,
        `the bytes received have SHA-256 ${actual}, the server's is ${expected ?? 'unknown'}`,
        target,
      );
    }
    await rename(temporary, target).catch((error: unknown) => {
      throw localFileError(error, target, 'write');
    });
    return { path: target, size: meter.bytes, sha256: actual };
  } catch (error) {
    progress.finish();
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `-o` as a folder (existing, or written with a trailing separator) keeps the file's name. */
async function targetPathOf(output: string | undefined, fileName: string): Promise<string> {
  if (output === undefined) return join(process.cwd(), fileName);
  if (/[/\\]$/.test(output)) return join(output, fileName);
  const info = await stat(output).catch(() => undefined);
  return info?.isDirectory() ? join(output, fileName) : output;
}

/** The ETag is the file's quoted sha256; a weak or foreign ETag is not one. */
function sha256OfEtag(etag: string | undefined): string | undefined {
  const match = /^"?([0-9a-f]{64})"?$/.exec(etag ?? '');
  return match?.[1];
}

async function findListedFile(
  client: RegistryClient,
  owner: FileOwner,
  fileName: string,
): Promise<FileJson | undefined> {
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '1000' });
    if (cursor !== null) query.set('cursor', cursor);
    const page: PageJson<FileJson> = await client.json(
      'GET',
      `${owner.path}/files?${query.toString()}`,
    );
    const match = page.items.find((file) => file.name === fileName);
    if (match !== undefined) return match;
    cursor = page.next_cursor;
  } while (cursor !== null);
  return undefined;
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function mismatch(fileName: string, what: string, target: string): DataRegistryError {
  return new DataRegistryError(
    'CHECKSUM_MISMATCH',
    `Download of \`${fileName}\` failed verification: ${what}. Nothing was written to ${target}; download it again.`,
    { file: fileName },
  );
}
