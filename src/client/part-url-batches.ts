// Presigned part URLs of a direct upload, asked for in batches (`GET …/uploads/{id}/parts?parts=…`)
// rather than one request per part: one round trip per `batchSize` parts. Each URL is used once;
// a retry asks for a fresh one (upload-session-api.ts's presignPart).

import type { UploadSessionApi } from './upload-session-api.js';

/** URLs closer than this to their expiry are not handed out: a part may take long to send. */
const expiryMarginMs = 5 * 60 * 1000;

export class PartUrlBatches {
  readonly #sessions: Pick<UploadSessionApi, 'presignParts'>;
  readonly #uploadId: string;
  readonly #order: readonly number[];
  readonly #batchSize: number;
  readonly #now: () => number;
  readonly #urls = new Map<number, { readonly url: string; readonly expiresAt: number }>();
  readonly #pending = new Map<number, Promise<void>>();

  /** `partNumbers`: the parts to send, in the order they will be asked for. */
  constructor(
    sessions: Pick<UploadSessionApi, 'presignParts'>,
    uploadId: string,
    partNumbers: readonly number[],
    options: { readonly batchSize?: number; readonly now?: () => number } = {},
  ) {
    this.#sessions = sessions;
    this.#uploadId = uploadId;
    this.#order = partNumbers;
    this.#batchSize = options.batchSize ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /** A URL to PUT the part to, from a batch asked for when the part's turn first came. */
  async urlOf(partNumber: number): Promise<string> {
    for (;;) {
      const cached = this.#urls.get(partNumber);
      if (cached !== undefined) {
        this.#urls.delete(partNumber);
        if (cached.expiresAt - this.#now() > expiryMarginMs) return cached.url;
      }
      await (this.#pending.get(partNumber) ?? this.#fetchBatchFrom(partNumber));
      if (!this.#urls.has(partNumber)) {
        throw new Error(`The server gave no URL for part ${partNumber}`);
      }
    }
  }

  #fetchBatchFrom(partNumber: number): Promise<void> {
    const start = Math.max(0, this.#order.indexOf(partNumber));
    const batch = [partNumber];
    for (const number of this.#order.slice(start + 1)) {
      if (batch.length >= this.#batchSize) break;
      if (!this.#urls.has(number) && !this.#pending.has(number)) batch.push(number);
    }
    const request = this.#sessions
      .presignParts(this.#uploadId, batch)
      .then((answer) => {
        for (const part of answer.parts) {
          this.#urls.set(part.part_number, {
            url: part.url,
            expiresAt: Date.parse(part.expires_at),
          });
        }
      })
      .finally(() => {
        for (const number of batch) this.#pending.delete(number);
      });
    for (const number of batch) this.#pending.set(number, request);
    return request;
  }
}
