// Errors and checks both object stores share: OBJECT_NOT_FOUND, and byte ranges.

import { DataRegistryError } from '../shared/errors.js';
import type { ByteRange } from './object-store.js';

export function objectNotFound(key: string): DataRegistryError {
  return new DataRegistryError(
    'OBJECT_NOT_FOUND',
    `The object store holds no object under ${JSON.stringify(key)}.`,
    { key },
  );
}

/**
 * The inclusive byte range to read from an object of `size` bytes: all of it without `range`;
 * `end` clamped to the last byte. VALIDATION_FAILED for a range that selects no byte.
 */
export function checkRange(
  key: string,
  size: number,
  range: ByteRange | undefined,
): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: size - 1 };
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end)
    throw invalidRange(key, size, range);
  if (start >= size) throw invalidRange(key, size, range);
  return { start, end: Math.min(end, size - 1) };
}

function invalidRange(key: string, size: number, range: ByteRange): DataRegistryError {
  return new DataRegistryError(
    'VALIDATION_FAILED',
    `Byte range ${range.start}-${range.end} selects no byte of ${JSON.stringify(key)} ` +
      `(${size} bytes).`,
    { key, size, range },
  );
}

/** Records the first error `stream` emits, so a failed pipeline can tell body errors from store errors. */
export function watchForError(stream: NodeJS.EventEmitter): { readonly error: unknown } {
  const watch: { error: unknown } = { error: undefined };
  stream.once('error', (error: unknown) => {
    watch.error ??= error;
  });
  return watch;
}
