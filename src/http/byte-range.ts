// HTTP range and conditional requests on a file of known size and ETag (RFC 9110 §13–14). Pure.

import type { ByteRange } from '../storage/object-store.js';

/** What a `Range` header asks of a file of `size` bytes. */
export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

/**
 * Resolves a `Range` header against the file's size. Only one range is served: a header with
 * several, or one that cannot be parsed, or of another unit, asks for the whole file (as RFC 9110
 * allows a server to ignore it). `bytes=500-` and `bytes=-500` (the last 500) are understood; an
 * end past the last byte is clamped. A range that starts past the end, a zero-length suffix, or
 * any range of an empty file is unsatisfiable (416).
 *
 * @example resolveRange('bytes=0-99', 1000) // → { kind: 'partial', range: { start: 0, end: 99 } }
 */
export function resolveRange(header: string | undefined, size: number): RangeRequest {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header ?? '');
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Number(last);
  return { kind: 'partial', range: { start, end: Math.min(end, size - 1) } };
}

/**
 * Whether an `If-None-Match` header matches the entity tag (weak comparison, as RFC 9110 requires
 * for this header): `*`, or one of a comma-separated list, with or without `W/`.
 */
export function isNoneMatchSatisfied(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Whether an `If-Range` header lets the range be served: absent, or exactly the current entity
 * tag (strong comparison). A date or another tag means the client's copy is stale: whole file.
 */
export function isIfRangeSatisfied(header: string | undefined, etag: string): boolean {
  return header === undefined || header.trim() === etag;
}
