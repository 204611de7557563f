// Request and response bodies of upload sessions (snake_case JSON).

import { Type, type Static } from 'typebox';
import { maxMultipartParts, type UploadedPart } from '../../storage/object-store.js';
import { defaultContentType, fileLimits } from '../../registry/files/file-name.js';
import { maxPartUrlsPerRequest } from '../../registry/uploads/part-checks.js';
import type { PartUrl, UploadSession } from '../../registry/uploads/upload-session.js';
import { Id, idPattern, Timestamp } from './common-schemas.js';
import { FileName } from './file-schemas.js';

const UploadId = Type.String({
  pattern: idPattern,
  description: 'The `upload_id` that opening the session answered.',
});

export const SessionParams = Type.Object({ id: Id, upload_id: UploadId });
export const PartParams = Type.Object({
  id: Id,
  upload_id: UploadId,
  part_number: Type.Integer({
    minimum: 1,
    maximum: maxMultipartParts,
    description: '1 to part_count.',
  }),
});

const ByteCount = (description: string) =>
  Type.Integer({ minimum: 0, description: `${description} (exact below 2^53).` });

export const NewUploadBody = Type.Object(
  {
    filename: FileName,
    size: Type.Integer({ minimum: 1, description: "The file's size in bytes." }),
    content_type: Type.Optional(
      Type.String({
        maxLength: fileLimits.contentTypeLength,
        description: `Default ${defaultContentType}.`,
      }),
    ),
  },
  { additionalProperties: false },
);

export const UploadSessionResponse = Type.Object(
  {
    upload_id: Id,
    filename: Type.String(),
    size: ByteCount('Bytes of the whole file'),
    content_type: Type.String(),
    part_size: ByteCount('Bytes of every part but the last'),
    part_count: Type.Integer({ minimum: 1, maximum: maxMultipartParts }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false },
);

const StoredPart = Type.Object(
  {
    part_number: Type.Integer({ minimum: 1 }),
    size: ByteCount('Bytes stored'),
    etag: Type.String({
      description: 'As the store answered the part’s PUT; pass it to complete.',
    }),
  },
  { additionalProperties: false },
);

export const UploadStatusResponse = Type.Object(
  {
    ...UploadSessionResponse.properties,
    parts: Type.Array(StoredPart, { description: 'The parts stored so far, by part number.' }),
  },
  { additionalProperties: false },
);

export const PartUrlResponse = Type.Object(
  {
    part_number: Type.Integer({ minimum: 1 }),
    url: Type.String({
      description: "PUT exactly the part's bytes here; keep the answer's ETag header.",
    }),
    size: ByteCount('Bytes this part must have'),
    expires_at: Timestamp,
  },
  { additionalProperties: false },
);

export const PartUrlsQuery = Type.Object({
  parts: Type.String({
    pattern: '^[1-9][0-9]{0,4}(-[1-9][0-9]{0,4})?(,[1-9][0-9]{0,4}(-[1-9][0-9]{0,4})?)*$',
    description: `Part numbers: \`1-20\`, \`3,7,9\` or \`1-5,9\`; at most ${maxPartUrlsPerRequest} at once.`,
    examples: ['1-20'],
  }),
});

export const PartUrlsResponse = Type.Object(
  { parts: Type.Array(PartUrlResponse) },
  { additionalProperties: false },
);

export const CompleteUploadBody = Type.Object(
  {
    parts: Type.Array(
      Type.Object(
        {
          part_number: Type.Integer({ minimum: 1, maximum: maxMultipartParts }),
          etag: Type.String({ minLength: 1, maxLength: 1024 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: maxMultipartParts, description: 'Every part, 1 to part_count.' },
    ),
    sha256: Type.Optional(
      Type.String({
        description:
          "The client's SHA-256 of the file (hex). The server computes the SHA-256 of the stored bytes in any case; when they differ, nothing is kept (400 CHECKSUM_MISMATCH).",
      }),
    ),
  },
  { additionalProperties: false },
);

export type UploadSessionJson = Static<typeof UploadSessionResponse>;

export function toUploadSessionJson(session: UploadSession): UploadSessionJson {
  return {
    upload_id: session.id,
    filename: session.name,
    size: session.size,
    content_type: session.contentType,
    part_size: session.partSize,
    part_count: session.partCount,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
  };
}

export function toStoredPartJson(part: UploadedPart): Static<typeof StoredPart> {
  return { part_number: part.partNumber, size: part.size, etag: part.etag };
}

export function toPartUrlJson(part: PartUrl, expiresAt: string): Static<typeof PartUrlResponse> {
  return { part_number: part.partNumber, url: part.url, size: part.size, expires_at: expiresAt };
}

/**
 * The part numbers of `1-20`, `3,7,9` or `1-5,9`, in order, without duplicates; undefined when
 * they are more than `max` (checked before expanding ranges).
 */
export function parsePartNumbers(text: string, max: number): number[] | undefined {
  const numbers = new Set<number>();
  for (const item of text.split(',')) {
    const [first = '', last = first] = item.split('-');
    const from = Number(first);
    const to = Number(last);
    if (to < from || numbers.size + (to - from + 1) > max) return undefined;
    for (let n = from; n <= to; n += 1) numbers.add(n);
  }
  return [...numbers].sort((a, b) => a - b);
}
