// Answers a file download: conditional (If-None-Match → 304), ranged (Range → 206 or 416),
// redirected to the store (S3, ?redirect=true → 302) or streamed with its length and ETag.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileService } from '../registry/files/file-service.js';
import type { FileOwnerRef, StoredFile } from '../registry/files/stored-file.js';
import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import { formatContentDisposition } from '../storage/content-disposition.js';
import { isIfRangeSatisfied, isNoneMatchSatisfied, resolveRange } from './byte-range.js';

/** How long a presigned download URL is valid; S3 checks it when the download starts. */
export const presignedDownloadSeconds = 15 * 60;

export interface DownloadRequest {
  readonly ref: FileOwnerRef;
  readonly name: string;
  /** A given version; default the latest. */
  readonly version?: number | undefined;
  readonly isRedirectWanted: boolean;
  /** False for HEAD: the same answer without the bytes. */
  readonly hasBody: boolean;
}

/**
 * Sends the file. A version whose object went between reading its row and opening its bytes (a
 * server of the release before removes the object of the version it replaces) is looked up once
 * more, so a download never fails only because such an upload completed meanwhile.
 *
 * @throws DataRegistryError FILE_NOT_FOUND, RANGE_NOT_SATISFIABLE, and the service's errors.
 */
export async function sendFile(
  files: FileService,
  download: DownloadRequest,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  for (let attempt = 1; ; attempt += 1) {
    const file = await files.find(download.ref, download.name, download.version);
    try {
      return await sendVersion(files, file, download, request, reply);
    } catch (error) {
      const isReplaced = isDataRegistryError(error) && error.code === 'OBJECT_NOT_FOUND';
      if (!isReplaced || attempt > 1) throw error;
    }
  }
}

async function sendVersion(
  files: FileService,
  file: StoredFile,
  download: DownloadRequest,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const etag = `"${file.sha256}"`;
  void reply
    .header('etag', etag)
    .header('repr-digest', reprDigestOf(file.sha256))
    .header('x-file-version', String(file.version))
    .header('accept-ranges', 'bytes');
  if (isNoneMatchSatisfied(request.headers['if-none-match'], etag)) {
    return reply.code(304).send();
  }
  if (download.isRedirectWanted) {
    const url = await files.presignDownload(file, presignedDownloadSeconds);
    if (url !== undefined) return reply.redirect(url, 302);
  }
  const ifRange = request.headers['if-range'];
  const rangeHeader = isIfRangeSatisfied(Array.isArray(ifRange) ? ifRange[0] : ifRange, etag)
    ? request.headers.range
    : undefined;
  const wanted = resolveRange(rangeHeader, file.size);
  if (wanted.kind === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${file.size}`);
    throw new DataRegistryError(
      'RANGE_NOT_SATISFIABLE',
      `The range \`${rangeHeader ?? ''}\` is outside the file, which has ${file.size} bytes.`,
      { size: file.size },
    );
  }
  void reply
    .header('content-type', file.contentType)
    .header('content-disposition', formatContentDisposition(file.name))
    .header('last-modified', new Date(file.createdAt).toUTCString())
    .header('x-content-type-options', 'nosniff');
  const range = wanted.kind === 'partial' ? wanted.range : undefined;
  const length = range === undefined ? file.size : range.end - range.start + 1;
  void reply.header('content-length', String(length)).code(range === undefined ? 200 : 206);
  if (range !== undefined) {
    void reply.header('content-range', `bytes ${range.start}-${range.end}/${file.size}`);
  }
  if (!download.hasBody) return reply.send();
  const { body } = await files.read(file, range);
  return reply.send(body);
}

/** The RFC 9530 Repr-Digest field of the whole file: `sha-256=:<base64 of the digest>:`. */
export function reprDigestOf(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}
