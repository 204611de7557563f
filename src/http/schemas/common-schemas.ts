// Schemas every route shares: the error body, ids in paths, pagination, and the helper that
// documents a route's error responses.

import { Type, type TSchema } from 'typebox';
import { pageLimits } from '../../registry/shared/page-cursor.js';
import { httpErrorCodes, httpErrorStatus, type HttpErrorCode } from '../http-error-status.js';

/** The `$id` under which the error body is registered (and named in the OpenAPI components). */
export const errorResponseId = 'ErrorResponse';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Unsafe<HttpErrorCode>({
          type: 'string',
          enum: httpErrorCodes,
          description: 'Stable, for programs. See docs/errors.md.',
        }),
        message: Type.String({
          description: 'For people: names the field at fault and what to do next.',
        }),
      },
      { additionalProperties: false },
    ),
  },
  {
    $id: errorResponseId,
    additionalProperties: false,
    description: 'Every error: `{"error": {"code": "...", "message": "..."}}`.',
  },
);

/**
 * The documented error responses of a route: one entry per status, naming the codes it may carry.
 * INTERNAL_ERROR and DATABASE_UNAVAILABLE are added to every route.
 */
export function errorResponses(...codes: HttpErrorCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, HttpErrorCode[]>();
  for (const code of new Set<HttpErrorCode>([...codes, 'INTERNAL_ERROR', 'DATABASE_UNAVAILABLE'])) {
    const status = httpErrorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      status,
      Type.Ref(errorResponseId, { description: statusCodes.join(', ') }),
    ]),
  );
}

/** The errors of every `/api` route besides its own. */
export const apiErrors: readonly HttpErrorCode[] = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
];

/** The errors of every `/api` route with a JSON body. */
export const bodyErrors: readonly HttpErrorCode[] = [
  ...apiErrors,
  'REQUEST_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

export const idPattern = '^[1-9][0-9]{0,18}$';

export const Id = Type.String({
  pattern: idPattern,
  description:
    'A 64-bit integer id written as a decimal string (JSON numbers above 2^53 lose precision in JavaScript).',
  examples: ['42'],
});

export const IdParams = Type.Object({ id: Id });

export const Timestamp = Type.String({
  description: 'ISO-8601 UTC with milliseconds.',
  examples: ['2026-11-25T09:30:00.123Z'],
});

export const Metadata = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'Any JSON object: at most 64 KiB serialised and 32 levels deep.',
  },
);

export const MetadataReplacement = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'Replaces the whole metadata: any JSON object, at most 64 KiB and 32 levels deep.',
  },
);

export const NullableDescription = Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()], {
  description: 'Free text up to 10,000 characters; tabs and line breaks allowed; null for none.',
});

export const PageQueryFields = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: pageLimits.max,
      default: pageLimits.default,
      description: 'Items per page.',
    }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'The `next_cursor` of the previous page, unchanged. Omit for the first page.',
    }),
  ),
  include_deleted: Type.Optional(
    Type.Boolean({ default: false, description: 'Also list deleted items.' }),
  ),
};

export const NextCursor = Type.Union([Type.String(), Type.Null()], {
  description: 'Pass as `cursor` to get the next page; null on the last page.',
});
