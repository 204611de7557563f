// Streams one body into one S3 object for `S3ObjectStore.put`: a PutObject when the body fits in
// one part, else a multipart upload whose parts are copied into part buffers that are reused
// from part to part. Knows nothing of hashing or size limits (the ByteMeter in front does that).

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { fileTooLarge } from './byte-meter.js';
import { maxMultipartParts } from './object-store.js';

export interface PartUploadOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** The S3 key (prefix included). */
  readonly key: string;
  readonly contentType?: string | undefined;
  /** Bytes per part (≥ 5 MiB, as S3 requires of every part but the last). */
  readonly partSize: number;
  /** Part buffers, so also the most parts in flight at once; reading waits while none is free. */
  readonly queueSize: number;
  /** S3 allows 10 000 parts; smaller in tests. */
  readonly maxParts?: number;
}

/**
 * Reads `body` to its end and stores its bytes under `options.key`. Memory: at most `queueSize`
 * buffers of `partSize` bytes, allocated as needed and reused (so no part becomes garbage),
 * whatever the body's size; only the bytes written are resident, so a small body costs little.
 * Reading pauses while every buffer is in flight (backpressure).
 *
 * On any failure — the body errors, a part or the completion fails, more than `maxParts` parts —
 * the parts in flight are cancelled and the multipart upload aborted before the error is
 * rethrown as it came (FILE_TOO_LARGE for too many parts); nothing is stored then.
 *
 * lib-storage's Upload does the same with a Buffer.concat per part, a fresh 8 MiB buffer each
 * time: at 1 GiB, 128 large buffers of garbage, and a higher peak of memory (docs/benchmarks.md,
 * "Notes behind the code: HTTP and storage").
 */
export async function uploadInParts(
  body: AsyncIterable<Buffer>,
  options: PartUploadOptions,
): Promise<void> {
  const upload = new PartUpload(options);
  try {
    await upload.run(body);
  } catch (error) {
    await upload.abort();
    throw error;
  }
}

class PartUpload {
  readonly #options: PartUploadOptions;
  readonly #maxParts: number;
  /** Cancels the requests in flight once the upload has failed. */
  readonly #controller = new AbortController();
  readonly #free: Buffer[] = [];
  #allocated = 0;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #parts: CompletedPart[] = [];
  #uploadId: string | undefined;
  #failure: { error: unknown } | undefined;

  constructor(options: PartUploadOptions) {
    this.#options = options;
    this.#maxParts = options.maxParts ?? maxMultipartParts;
  }

  async run(body: AsyncIterable<Buffer>): Promise<void> {
    const { partSize } = this.#options;
    let buffer: Buffer | undefined;
    let filled = 0;
    let partNumber = 0;
    for await (const chunk of body) {
      for (let offset = 0; offset < chunk.length;) {
        buffer ??= await this.#nextBuffer();
        // A full part is sent only once more bytes come, so a body of exactly one part is one
        // PutObject, and the last part is never empty.
        if (filled === partSize) {
          partNumber += 1;
          await this.#sendPart(partNumber, buffer, filled);
          buffer = await this.#nextBuffer();
          filled = 0;
        }
        const copied = chunk.copy(buffer, filled, offset);
        filled += copied;
        offset += copied;
      }
    }
    const last = (buffer ?? Buffer.alloc(0)).subarray(0, filled);
    if (partNumber === 0) {
      await this.#putObject(last);
      return;
    }
    await this.#sendPart(partNumber + 1, last, filled);
    await this.#settle();
    this.#throwIfFailed();
    await this.#complete();
  }

  /** Cancels what is in flight and aborts the multipart upload, if one was created. */
  async abort(): Promise<void> {
    this.#controller.abort();
    await this.#settle();
    if (this.#uploadId === undefined) return;
    const { client, bucket, key } = this.#options;
    // A failed abort leaves an unfinished upload that purge removes; the first error is the one
    // the caller needs.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: this.#uploadId }))
      .catch(() => undefined);
  }

  /** A buffer to fill: a free one, a new one while fewer than `queueSize` exist, or the next freed. */
  async #nextBuffer(): Promise<Buffer> {
    for (;;) {
      this.#throwIfFailed();
      const free = this.#free.pop();
      if (free !== undefined) return free;
      if (this.#allocated < this.#options.queueSize) {
        this.#allocated += 1;
        // Not zeroed: only the bytes copied in are ever sent (subarray(0, length)).
        return Buffer.allocUnsafeSlow(this.#options.partSize);
      }
      await Promise.race(this.#inFlight);
    }
  }

  /** Starts sending part `number` (creating the multipart upload first, for part 1). */
  async #sendPart(number: number, buffer: Buffer, length: number): Promise<void> {
    if (number > this.#maxParts) throw fileTooLarge(this.#maxParts * this.#options.partSize);
    this.#throwIfFailed();
    const uploadId = (this.#uploadId ??= await this.#create());
    const { client, bucket, key } = this.#options;
    const sent = client
      .send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: number,
          Body: buffer.subarray(0, length),
          ContentLength: length,
        }),
        { abortSignal: this.#controller.signal },
      )
      .then((answer) => {
        if (answer.ETag === undefined) throw new Error(`S3 answered part ${number} with no ETag`);
        // As lib-storage: the part's checksum (when the SDK sent one) goes into the completion.
        this.#parts.push({
          PartNumber: number,
          ETag: answer.ETag,
          ...(answer.ChecksumCRC32 === undefined ? {} : { ChecksumCRC32: answer.ChecksumCRC32 }),
        });
        // The request is over: nothing reads the buffer any more.
        this.#free.push(buffer);
      })
      .catch((error: unknown) => {
        this.#failure ??= { error };
        this.#controller.abort();
      })
      .finally(() => this.#inFlight.delete(sent));
    this.#inFlight.add(sent);
  }

  async #create(): Promise<string> {
    const { client, bucket, key, contentType } = this.#options;
    // As lib-storage: where the SDK adds a CRC32 to every part (AWS S3 itself), the upload must
    // be created with that algorithm. Custom endpoints are set to WHEN_REQUIRED (no checksums).
    const isChecksummed = (await client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
    const answer = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
        ...(isChecksummed ? { ChecksumAlgorithm: 'CRC32' } : {}),
      }),
      { abortSignal: this.#controller.signal },
    );
    if (answer.UploadId === undefined)
      throw new Error('S3 answered CreateMultipartUpload with no UploadId');
    return answer.UploadId;
  }

  async #putObject(bytes: Buffer): Promise<void> {
    const { client, bucket, key, contentType } = this.#options;
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.length,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
      }),
    );
  }

  async #complete(): Promise<void> {
    const { client, bucket, key } = this.#options;
    const parts = [...this.#parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: this.#uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    this.#uploadId = undefined;
  }

  async #settle(): Promise<void> {
    await Promise.all(this.#inFlight);
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure.error;
  }
}
