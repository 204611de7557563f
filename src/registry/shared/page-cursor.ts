// Keyset pagination: opaque cursors and the page type. Pure: no database.

import { invalidField } from './field-checks.js';

/** One page of a list, oldest first; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Items per page, and the longest cursor accepted (characters). */
export const pageLimits = { default: 100, max: 1000, cursorLength: 64 } as const;

const cursorText = new RegExp(`^[A-Za-z0-9_-]{1,${pageLimits.cursorLength}}$`);

/**
 * What a cursor continues: a cursor of one list is refused by another, and one of a list in one
 * order by the same list in the other (`records-newest`: records, newest first).
 */
export type CursorKind =
  'records' | 'records-newest' | 'datasets' | 'files' | 'deleted-files' | 'file-versions';

/**
 * The cursor after the item with id `lastId`: base64url of `<kind>:<id>`. Opaque to clients,
 * who must pass it back unchanged.
 */
export function encodeCursor(kind: CursorKind, lastId: string): string {
  return Buffer.from(`${kind}:${lastId}`, 'utf8').toString('base64url');
}

/**
 * The id a cursor continues after.
 *
 * @throws DataRegistryError VALIDATION_FAILED naming `field` when the cursor was not made by
 *   {@link encodeCursor} for the same kind of list.
 */
export function decodeCursor(kind: CursorKind, cursor: string, field: string): string {
  const text = cursorText.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^([a-z-]+):([1-9][0-9]{0,18})$/.exec(text);
  if (match?.[1] !== kind || match[2] === undefined) {
    throw invalidField(
      field,
      `\`${field}\` is not a cursor of this list; pass the \`next_cursor\` of the previous page unchanged.`,
    );
  }
  return match[2];
}

/** The page size: 1 to 1000, default 100. */
export function checkPageLimit(limit: number | undefined, field: string): number {
  if (limit === undefined) return pageLimits.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > pageLimits.max) {
    throw invalidField(field, `\`${field}\` must be a whole number from 1 to ${pageLimits.max}.`);
  }
  return limit;
}

/**
 * The page from `limit + 1` rows fetched in the list's order: the extra row only says that another
 * page follows.
 */
export function toPage<T extends { readonly id: string }>(
  kind: CursorKind,
  rows: readonly T[],
  limit: number,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(kind, last.id) : null,
  };
}
