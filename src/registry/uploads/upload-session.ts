// An upload session as the registry hands it out, and what opening one takes.

import type { WriteCondition } from '../files/write-condition.js';

/** An open session: an S3 multipart upload that the client fills part by part. */
export interface UploadSession {
  /** 64-bit id as a decimal string: the `upload_id` of the API. */
  readonly id: string;
  readonly recordId: string;
  readonly datasetId: string | null;
  /** The name the file will have. */
  readonly name: string;
  /** The file's size in bytes, declared when the session was opened. */
  readonly size: number;
  readonly contentType: string;
  /** Every part but the last has exactly this many bytes. */
  readonly partSize: number;
  readonly partCount: number;
  /** Where the object is assembled; becomes the file's storage key. */
  readonly storageKey: string;
  /** S3's UploadId. */
  readonly multipartUploadId: string;
  readonly createdAt: string;
  /** The last request about the session (ISO-8601 UTC). */
  readonly updatedAt: string;
}

export interface NewUploadSession {
  readonly filename: string;
  /** Bytes, at least 1. */
  readonly size: number;
  readonly contentType?: string | undefined;
  /** If-None-Match / If-Match, looked at when the session opens as well as at complete. */
  readonly condition?: WriteCondition | undefined;
}

/** A presigned URL the client PUTs one part's bytes to. */
export interface PartUrl {
  readonly partNumber: number;
  readonly url: string;
  /** The bytes this part must have. */
  readonly size: number;
}

/** A part as the client reports it to `complete`: its number and the ETag the store answered. */
export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** The bytes of part `partNumber` (1-based) of a session. */
export function partSizeOf(
  session: Pick<UploadSession, 'size' | 'partSize' | 'partCount'>,
  partNumber: number,
): number {
  return partNumber < session.partCount
    ? session.partSize
    : session.size - session.partSize * (session.partCount - 1);
}
