// A pass-through stream that counts bytes and hashes them (SHA-256) on their way to a store,
// failing with FILE_TOO_LARGE as soon as the count passes a limit. Stores nothing itself.

import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DataRegistryError } from '../shared/errors.js';
import type { StoredObject } from './object-store.js';

export class ByteMeter extends Transform {
  #size = 0;
  readonly #hash = createHash('sha256');
  readonly #maxBytes: number;

  constructor(maxBytes = Number.POSITIVE_INFINITY) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#maxBytes) {
      callback(fileTooLarge(this.#maxBytes));
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  /** The size and hex SHA-256 of every byte that passed; call once, after the stream ended. */
  result(): StoredObject {
    return { size: this.#size, sha256: this.#hash.digest('hex') };
  }
}

export function fileTooLarge(maxBytes: number): DataRegistryError {
  return new DataRegistryError(
    'FILE_TOO_LARGE',
    `The file is larger than the maximum upload size of ${maxBytes} bytes; nothing was stored.`,
    { maxBytes },
  );
}
