// The upload-session endpoints of the API (S3 storage only): open, inspect, presign a part,
// complete, abort. Thin: one request each, bodies as docs/api.md describes them.

import type { FileJson } from './api-types.js';
import type { RegistryClient } from './registry-client.js';

export interface UploadSessionJson {
  readonly upload_id: string;
  readonly part_size: number;
  readonly part_count: number;
}

export interface StoredPartJson {
  readonly part_number: number;
  readonly size: number;
  readonly etag: string;
}

export interface PresignedPartJson {
  readonly part_number: number;
  readonly url: string;
}

export interface CompletedPart {
  readonly part_number: number;
  readonly etag: string;
}

export class UploadSessionApi {
  readonly #client: RegistryClient;
  readonly #base: string;

  /** `ownerPath`: `/api/records/42` or `/api/datasets/7`. */
  constructor(client: RegistryClient, ownerPath: string) {
    this.#client = client;
    this.#base = `${ownerPath}/uploads`;
  }

  /**
   * `headers`: the conditional ones, so that a file that may not be written is refused before
   * any part is sent (complete is sent them again and decides).
   *
   * @throws DataRegistryError DIRECT_UPLOAD_UNSUPPORTED on local storage; FILE_EXISTS,
   *   FILE_CHANGED (the condition already fails).
   */
  open(
    file: { filename: string; size: number; contentType: string },
    headers: Readonly<Record<string, string>> = {},
  ): Promise<UploadSessionJson> {
    return this.#client.json(
      'POST',
      this.#base,
      { filename: file.filename, size: file.size, content_type: file.contentType },
      headers,
    );
  }

  /** The session and the parts S3 already holds. */
  get(uploadId: string): Promise<UploadSessionJson & { parts: StoredPartJson[] }> {
    return this.#client.json('GET', `${this.#base}/${encodeURIComponent(uploadId)}`);
  }

  /** URLs for several parts in one request (at most 1000). */
  presignParts(
    uploadId: string,
    partNumbers: readonly number[],
  ): Promise<{ parts: (PresignedPartJson & { readonly expires_at: string })[] }> {
    return this.#client.json(
      'GET',
      `${this.#base}/${encodeURIComponent(uploadId)}/parts?parts=${partNumbers.join(',')}`,
    );
  }

  presignPart(uploadId: string, partNumber: number): Promise<PresignedPartJson> {
    return this.#client.json(
      'GET',
      `${this.#base}/${encodeURIComponent(uploadId)}/parts/${partNumber}`,
    );
  }

  /** `headers`: the conditional ones (`If-None-Match: *`), decided when the file is written. */
  complete(
    uploadId: string,
    parts: readonly CompletedPart[],
    sha256: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<FileJson> {
    return this.#client.json(
      'POST',
      `${this.#base}/${encodeURIComponent(uploadId)}/complete`,
      { parts, sha256 },
      headers,
    );
  }

  async abort(uploadId: string): Promise<void> {
    await this.#client.json('DELETE', `${this.#base}/${encodeURIComponent(uploadId)}`);
  }
}
