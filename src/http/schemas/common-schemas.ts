// Schemas every route shares: the error body, ids in paths, timestamps, pagination, the 204 of a
// delete, and the helper that documents a route's error responses.

import { Type, type TSchema } from 'typebox';
import { pageLimits, type Page } from '../../registry/shared/page-cursor.js';
import { httpErrorCodes, httpErrorStatus, type HttpErrorCode } from '../http-error-status.js';
import { quote, writerOf, writtenBy } from '../json-text-serializer.js';

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
      maxLength: pageLimits.cursorLength,
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

/** The answer of a list: a page of `item`s. */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object(
    { items: Type.Array(item), next_cursor: NextCursor },
    { additionalProperties: false },
  );
}

/** {@link pageOf} an item declared with `writtenBy`, written by the item's writer. */
export function writtenPageOf<T extends TSchema>(item: T) {
  const writeItem = writerOf(item);
  return writtenBy(
    pageOf(item),
    (page) =>
      `{"items":[${page.items.map(writeItem).join(',')}],"next_cursor":${quote(page.next_cursor)}}`,
  );
}

/** A page of the registry's items as the answer's JSON value. */
export function toPageJson<T, J>(page: Page<T>, toItemJson: (item: T) => J) {
  return { items: page.items.map(toItemJson), next_cursor: page.nextCursor };
}

/** The answer of a soft delete. */
export const deletedResponse = {
  204: writtenBy(Type.Null({ description: 'Deleted.' }), () => 'null'),
};
