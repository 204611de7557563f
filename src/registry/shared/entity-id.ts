// Ids of records and datasets: 64-bit integers, carried through the registry as decimal strings
// (JSON numbers above 2^53 would lose precision in JavaScript clients).

import { invalidField } from './field-checks.js';

const maxId = 9_223_372_036_854_775_807n;

/**
 * Checks an id given by a client: a positive decimal integer below 2^63, without sign or leading
 * zeros. Returns it unchanged.
 *
 * @throws DataRegistryError VALIDATION_FAILED naming `field`.
 */
export function checkId(value: string, field: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(value) || BigInt(value) > maxId) {
    throw invalidField(
      field,
      `\`${field}\` must be a positive integer below 2^63 written in decimal, such as "42".`,
    );
  }
  return value;
}

/**
 * The id as a query parameter: a number when it is exactly representable, so that every database
 * compares it as an integer (MySQL compares a BIGINT with a string as a double), else the string.
 */
export function idParameter(id: string): number | string {
  const asNumber = Number(id);
  return Number.isSafeInteger(asNumber) ? asNumber : id;
}

/** An id read from the database (a string from PostgreSQL and MySQL, a number from SQLite). */
export function idFromRow(value: string | number | bigint): string {
  return String(value);
}
