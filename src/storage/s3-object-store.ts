// The object store on S3 or an S3-compatible server (MinIO, Ceph, R2…), through AWS SDK v3.
// Loaded only when the location is s3:// (open-object-store.ts imports it dynamically).

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import { ByteMeter } from './byte-meter.js';
import { formatContentDisposition } from './content-disposition.js';
import { checkRange, watchForError } from './object-errors.js';
import { assertValidObjectKey, assertValidPrefix } from './object-key.js';
import type {
  GetOptions,
  ListOptions,
  ObjectInfo,
  ObjectStore,
  PresignGetOptions,
  PutOptions,
  StorageSettings,
  StoredObject,
} from './object-store.js';
import { checkExpiry, mebibyte, partSizeFor, S3MultipartUploads } from './s3-multipart-uploads.js';
import { toS3StoreError } from './s3-errors.js';
import { uploadInParts } from './s3-part-upload.js';
import { formatStorageLocation } from './storage-location.js';

/** Tuning for tests and benchmarks; production uses the defaults. */
export interface S3ObjectStoreOptions {
  /**
   * Part size of `put` (bytes, ≥ 5 MiB; default 8 MiB). A put holds at most
   * `putQueueSize × putPartSize` bytes of parts in memory (s3-part-upload.ts); without
   * `expectedSize`, a put can hold at most 10 000 parts (78 GiB at 8 MiB).
   */
  readonly putPartSize?: number;
  /** Part buffers of one put, so also its most parts in flight at once (default 3). */
  readonly putQueueSize?: number;
  /** `multipart.partSize`: the default part size of direct uploads (bytes; default 64 MiB). */
  readonly multipartPartSize?: number;
  /** Fixed credentials instead of the SDK's default chain (tests against a local server). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const defaultPutPartSize = 8 * mebibyte;
// 24 MiB of parts per put: it keeps the server's peak RSS under 200 MB during a 1 GiB upload, at
// the throughput of a direct lib-storage upload (docs/benchmarks.md, "Notes behind the code:
// HTTP and storage").
const defaultPutQueueSize = 3;
const defaultMultipartPartSize = 64 * mebibyte;
// S3's limit on a key, in bytes.
const maxS3KeyBytes = 1024;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3';
  readonly location: string;
  readonly multipart: S3MultipartUploads;
  readonly #client: S3Client;
  readonly #presignClient: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #putPartSize: number;
  readonly #putQueueSize: number;

  constructor(init: {
    client: S3Client;
    /** Signs URLs and drives direct uploads: must not add flexible checksums (see openS3ObjectStore). */
    presignClient: S3Client;
    bucket: string;
    prefix: string;
    options?: S3ObjectStoreOptions;
  }) {
    const options = init.options ?? {};
    this.#client = init.client;
    this.#presignClient = init.presignClient;
    this.#bucket = init.bucket;
    this.#prefix = init.prefix === '' ? '' : `${init.prefix}/`;
    this.location = formatStorageLocation({ kind: 's3', bucket: init.bucket, prefix: init.prefix });
    this.#putPartSize = options.putPartSize ?? defaultPutPartSize;
    this.#putQueueSize = options.putQueueSize ?? defaultPutQueueSize;
    this.multipart = new S3MultipartUploads({
      client: init.presignClient,
      bucket: init.bucket,
      partSize: options.multipartPartSize ?? defaultMultipartPartSize,
      keyPrefix: this.#prefix,
      toS3Key: (key) => this.#s3KeyOf(key),
    });
  }

  /** The part size of `put` (bytes). */
  get putPartSize(): number {
    return this.#putPartSize;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const { signal } = options;
    const meter = new ByteMeter(options.maxBytes);
    const bodyFailure = watchForError(body);
    // Failing the meter fails the upload's read of the body; the upload then cancels its parts
    // and aborts the multipart upload (if it started one) before it rejects.
    const failMeter = (): void => {
      meter.destroy(signal?.reason as Error);
    };
    body.on('error', (error) => meter.destroy(error));
    signal?.addEventListener('abort', failMeter, { once: true });
    try {
      const s3Key = this.#s3KeyOf(key);
      signal?.throwIfAborted();
      body.pipe(meter);
      await uploadInParts(meter, {
        client: this.#client,
        bucket: this.#bucket,
        key: s3Key,
        contentType: options.contentType,
        partSize:
          options.expectedSize === undefined
            ? this.#putPartSize
            : partSizeFor(options.expectedSize, this.#putPartSize, key),
        queueSize: this.#putQueueSize,
      });
      return meter.result();
    } catch (error) {
      body.unpipe(meter);
      body.destroy();
      meter.destroy();
      if (signal?.aborted) throw signal.reason;
      if (isDataRegistryError(error)) throw error;
      // The body's own failure (a client that disconnected…) is not the store's fault.
      if (bodyFailure.error !== undefined && error === bodyFailure.error) throw error;
      throw toS3StoreError(error, 'PutObject', key);
    } finally {
      signal?.removeEventListener('abort', failMeter);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<{ body: Readable; size: number }> {
    const s3Key = this.#s3KeyOf(key);
    // Checks the range's shape here; S3 answers InvalidRange when it starts past the end.
    const range =
      options.range && checkRange(key, Number.MAX_SAFE_INTEGER, options.range) && options.range;
    try {
      const response = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: s3Key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      // In Node the SDK's body is an http.IncomingMessage (a Readable).
      return { body: response.Body as Readable, size: response.ContentLength ?? 0 };
    } catch (error) {
      throw toS3StoreError(error, 'GetObject', key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const s3Key = this.#s3KeyOf(key);
    try {
      const response = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: s3Key }),
      );
      return {
        key,
        size: response.ContentLength ?? 0,
        lastModified: response.LastModified ?? new Date(0),
      };
    } catch (error) {
      const translated = toS3StoreError(error, 'HeadObject', key);
      if (translated.code === 'OBJECT_NOT_FOUND') return undefined;
      throw translated;
    }
  }

  async delete(key: string): Promise<void> {
    const s3Key = this.#s3KeyOf(key);
    try {
      // S3 answers 204 whether or not the key existed.
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: s3Key }));
    } catch (error) {
      const translated = toS3StoreError(error, 'DeleteObject', key);
      if (translated.code !== 'OBJECT_NOT_FOUND') throw translated;
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    assertValidPrefix(prefix);
    // ListObjectsV2 answers in UTF-8 byte order, and StartAfter skips server-side.
    const startAfter = options.startAfter;
    const pages = paginateListObjectsV2(
      { client: this.#client },
      {
        Bucket: this.#bucket,
        Prefix: this.#prefix + prefix,
        ...(startAfter === undefined || startAfter === ''
          ? {}
          : { StartAfter: this.#prefix + startAfter }),
      },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          yield {
            key: this.#keyOf(object.Key),
            size: object.Size ?? 0,
            lastModified: object.LastModified ?? new Date(0),
          };
        }
      }
    } catch (error) {
      throw toS3StoreError(error, 'ListObjectsV2', prefix);
    }
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<string> {
    const s3Key = this.#s3KeyOf(key);
    const expiresIn = checkExpiry(options.expiresInSeconds);
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: s3Key,
      ...(options.downloadName === undefined
        ? {}
        : { ResponseContentDisposition: formatContentDisposition(options.downloadName) }),
    });
    try {
      return await getSignedUrl(this.#presignClient, command, { expiresIn });
    } catch (error) {
      throw toS3StoreError(error, 'presigning GetObject', key);
    }
  }

  #s3KeyOf(key: string): string {
    assertValidObjectKey(key);
    const s3Key = this.#prefix + key;
    if (Buffer.byteLength(s3Key) > maxS3KeyBytes)
      throw new DataRegistryError(
        'VALIDATION_FAILED',
        `Object key ${JSON.stringify(key)} is too long: S3 keys (with the prefix) are at most ` +
          `${maxS3KeyBytes} bytes.`,
        { key },
      );
    return s3Key;
  }

  #keyOf(s3Key: string): string {
    return s3Key.slice(this.#prefix.length);
  }
}

/**
 * Builds the S3 clients for a parsed `s3://bucket/prefix` location. Credentials come from the
 * SDK's default chain unless `options.credentials` is given; the region must be resolvable
 * (settings, AWS_REGION, profile) or INVALID_CONFIG is thrown. No request is sent.
 */
export async function openS3ObjectStore(
  location: { bucket: string; prefix: string },
  settings: StorageSettings,
  options: S3ObjectStoreOptions = {},
): Promise<S3ObjectStore> {
  const endpoint =
    settings.s3Endpoint === undefined ? undefined : checkEndpoint(settings.s3Endpoint);
  const config: S3ClientConfig = {
    // S3-compatible servers rarely care about the region, but SigV4 needs one.
    ...(settings.s3Region !== undefined
      ? { region: settings.s3Region }
      : endpoint !== undefined
        ? { region: 'us-east-1' }
        : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(settings.s3ForcePathStyle !== undefined
      ? { forcePathStyle: settings.s3ForcePathStyle }
      : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  };
  // Many S3-compatible stores reject the SDK's default CRC32 checksums and trailers.
  const whenRequired = {
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
  const client = new S3Client(endpoint === undefined ? config : { ...config, ...whenRequired });
  // A presigned URL must not carry a checksum: the SDK would sign the CRC32 of the empty body
  // it sees at signing time and S3 would reject the real bytes (aws/aws-sdk-js-v3#6994). Direct
  // uploads use this client too, so their parts need no checksum either.
  const presignClient =
    endpoint === undefined ? new S3Client({ ...config, ...whenRequired }) : client;
  try {
    await client.config.region();
  } catch (error) {
    throw new DataRegistryError(
      'INVALID_CONFIG',
      `No AWS region is set for ${formatStorageLocation({ kind: 's3', ...location })}; set ` +
        `DATA_REGISTRY_S3_REGION (or AWS_REGION).`,
      {},
      { cause: error },
    );
  }
  const putPartSize = options.putPartSize ?? settings.s3PartSize;
  return new S3ObjectStore({
    client,
    presignClient,
    ...location,
    options: putPartSize === undefined ? options : { ...options, putPartSize },
  });
}

function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new DataRegistryError(
      'INVALID_CONFIG',
      `S3 endpoint ${JSON.stringify(endpoint)} is not an http:// or https:// URL.`,
      { endpoint },
    );
  return endpoint;
}
