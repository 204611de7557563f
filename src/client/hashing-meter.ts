// A pass-through stream that computes the SHA-256 of the bytes going through it and counts them,
// and the SHA-256 of a whole file.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class HashingMeter extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #onBytes: (bytes: number) => void;
  #bytes = 0;

  constructor(onBytes: (bytes: number) => void = () => {}) {
    super();
    this.#onBytes = onBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Lowercase hex; call once, after the stream has ended. */
  digest(): string {
    return this.#hash.digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    this.#onBytes(chunk.length);
    callback(null, chunk);
  }
}

/** The file's SHA-256 (hex), read once from start to end. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const meter = new HashingMeter();
  await pipeline(
    createReadStream(path),
    meter,
    async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) void chunk;
    },
    { signal },
  );
  return meter.digest();
}
