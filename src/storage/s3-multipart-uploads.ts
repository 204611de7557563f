// Direct multipart uploads on S3: the server opens and completes them, clients PUT the parts
// to presigned URLs. Holds no state of its own: S3 is the source of truth for parts.

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  paginateListParts,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DataRegistryError } from '../shared/errors.js';
import { fileTooLarge } from './byte-meter.js';
import { assertValidPrefix } from './object-key.js';
import {
  maxMultipartParts as maxParts,
  type MultipartUploads,
  type ListOptions,
  type UnfinishedUpload,
  type UploadedPart,
} from './object-store.js';
import { toS3StoreError } from './s3-errors.js';

export const mebibyte = 1024 * 1024;
// S3's multipart limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const minPartSize = 5 * mebibyte;
const maxPartSize = 5 * 1024 * mebibyte;
const maxObjectSize = 5 * 1024 * 1024 * mebibyte;
// SigV4 presigned URLs live at most 7 days.
const maxExpirySeconds = 7 * 24 * 3600;

/** `base`, or the smallest whole number of MiB that fits `totalSize` in 10 000 parts if larger. */
export function partSizeFor(totalSize: number, base: number, key = ''): number {
  if (!Number.isSafeInteger(totalSize) || totalSize < 0)
    throw new DataRegistryError(
      'VALIDATION_FAILED',
      `File size ${totalSize} is not a byte count.`,
      {
        key,
      },
    );
  if (totalSize > maxObjectSize) throw fileTooLarge(maxObjectSize);
  const needed = Math.ceil(totalSize / maxParts / mebibyte) * mebibyte;
  return Math.min(maxPartSize, Math.max(base, minPartSize, needed));
}

export function checkExpiry(expiresInSeconds: number): number {
  if (
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > maxExpirySeconds
  )
    throw new DataRegistryError(
      'VALIDATION_FAILED',
      `A presigned URL must expire in 1 to ${maxExpirySeconds} seconds, not ${expiresInSeconds}.`,
      { expiresInSeconds },
    );
  return expiresInSeconds;
}

export class S3MultipartUploads implements MultipartUploads {
  readonly partSize: number;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #keyPrefix: string;
  readonly #toS3Key: (key: string) => string;

  constructor(init: {
    client: S3Client;
    bucket: string;
    partSize: number;
    /** The store's prefix as keys carry it: '' or 'a/b/'. */
    keyPrefix: string;
    /** Validates a key and adds the store's prefix. */
    toS3Key: (key: string) => string;
  }) {
    if (init.partSize < minPartSize || init.partSize > maxPartSize)
      throw new DataRegistryError(
        'INVALID_CONFIG',
        `The multipart part size must be 5 MiB to 5 GiB, not ${init.partSize} bytes.`,
      );
    this.partSize = init.partSize;
    this.#client = init.client;
    this.#bucket = init.bucket;
    this.#keyPrefix = init.keyPrefix;
    this.#toS3Key = init.toS3Key;
  }

  partSizeFor(totalSize: number): number {
    return partSizeFor(totalSize, this.partSize);
  }

  async create(key: string, options: { contentType?: string } = {}): Promise<{ uploadId: string }> {
    const s3Key = this.#toS3Key(key);
    try {
      const response = await this.#client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: s3Key,
          ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
        }),
      );
      if (response.UploadId === undefined)
        throw new Error('CreateMultipartUpload gave no UploadId');
      return { uploadId: response.UploadId };
    } catch (error) {
      throw toS3StoreError(error, 'CreateMultipartUpload', key);
    }
  }

  async presignPart(
    key: string,
    uploadId: string,
    partNumber: number,
    expiresInSeconds: number,
  ): Promise<string> {
    const s3Key = this.#toS3Key(key);
    checkPartNumber(partNumber);
    const expiresIn = checkExpiry(expiresInSeconds);
    const command = new UploadPartCommand({
      Bucket: this.#bucket,
      Key: s3Key,
      UploadId: uploadId,
      PartNumber: partNumber,
    });
    try {
      return await getSignedUrl(this.#client, command, { expiresIn });
    } catch (error) {
      throw toS3StoreError(error, 'presigning UploadPart', key, uploadId);
    }
  }

  async listParts(key: string, uploadId: string): Promise<UploadedPart[]> {
    const s3Key = this.#toS3Key(key);
    const parts: UploadedPart[] = [];
    try {
      const pages = paginateListParts(
        { client: this.#client },
        { Bucket: this.#bucket, Key: s3Key, UploadId: uploadId },
      );
      for await (const page of pages) {
        for (const part of page.Parts ?? []) {
          if (part.PartNumber === undefined || part.ETag === undefined) continue;
          parts.push({ partNumber: part.PartNumber, etag: part.ETag, size: part.Size ?? 0 });
        }
      }
    } catch (error) {
      throw toS3StoreError(error, 'ListParts', key, uploadId);
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async complete(
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<{ size: number }> {
    const s3Key = this.#toS3Key(key);
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    // Checked here rather than left to S3, to name the parts at fault and to learn the size
    // (CompleteMultipartUpload does not return it).
    const stored = new Map((await this.listParts(key, uploadId)).map((p) => [p.partNumber, p]));
    checkPartsToComplete(key, sorted, stored);
    try {
      await this.#client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: s3Key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
      );
    } catch (error) {
      throw toS3StoreError(error, 'CompleteMultipartUpload', key, uploadId);
    }
    return { size: sorted.reduce((sum, p) => sum + (stored.get(p.partNumber)?.size ?? 0), 0) };
  }

  async abort(key: string, uploadId: string): Promise<void> {
    const s3Key = this.#toS3Key(key);
    try {
      await this.#client.send(
        new AbortMultipartUploadCommand({ Bucket: this.#bucket, Key: s3Key, UploadId: uploadId }),
      );
    } catch (error) {
      const translated = toS3StoreError(error, 'AbortMultipartUpload', key, uploadId);
      if (translated.code !== 'OBJECT_NOT_FOUND') throw translated;
    }
  }

  async *listUnfinished(
    prefix: string,
    options: ListOptions = {},
  ): AsyncIterable<UnfinishedUpload> {
    assertValidPrefix(prefix);
    const s3Prefix = this.#keyPrefix + prefix;
    // A KeyMarker without UploadIdMarker: only the uploads of keys after it.
    let keyMarker: string | undefined =
      options.startAfter === undefined || options.startAfter === ''
        ? undefined
        : this.#keyPrefix + options.startAfter;
    let uploadIdMarker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.#client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.#bucket,
            Prefix: s3Prefix,
            ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
            ...(uploadIdMarker === undefined ? {} : { UploadIdMarker: uploadIdMarker }),
          }),
        );
      } catch (error) {
        throw toS3StoreError(error, 'ListMultipartUploads', prefix);
      }
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined) continue;
        yield {
          key: upload.Key.slice(this.#keyPrefix.length),
          uploadId: upload.UploadId,
          initiated: upload.Initiated ?? new Date(0),
        };
      }
      if (page.IsTruncated !== true || page.NextKeyMarker === undefined) return;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }
}

function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > maxParts)
    throw new DataRegistryError(
      'VALIDATION_FAILED',
      `Part number ${partNumber} is outside 1 to ${maxParts}.`,
      { partNumber },
    );
}

function checkPartsToComplete(
  key: string,
  sorted: readonly { partNumber: number; etag: string }[],
  stored: ReadonlyMap<number, UploadedPart>,
): void {
  const problems: string[] = [];
  if (sorted.length === 0) problems.push('no part was given');
  sorted.forEach((part, index) => {
    checkPartNumber(part.partNumber);
    if (index > 0 && sorted[index - 1]?.partNumber === part.partNumber)
      problems.push(`part ${part.partNumber} is given twice`);
    const found = stored.get(part.partNumber);
    if (found === undefined) problems.push(`part ${part.partNumber} was not uploaded`);
    // S3 compares ETags without their double quotes.
    else if (unquote(found.etag) !== unquote(part.etag))
      problems.push(`part ${part.partNumber}'s ETag does not match the uploaded part`);
    else if (index < sorted.length - 1 && found.size < minPartSize)
      problems.push(`part ${part.partNumber} is smaller than 5 MiB and not the last`);
  });
  if (problems.length > 0)
    throw new DataRegistryError(
      'VALIDATION_FAILED',
      `Cannot complete the upload of ${JSON.stringify(key)}: ${problems.slice(0, 5).join('; ')}` +
        `${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}.`,
      { key, problems },
    );
}

function unquote(etag: string): string {
  return etag.replaceAll('"', '');
}
