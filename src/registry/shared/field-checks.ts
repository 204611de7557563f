// Checks of the fields records and datasets share: names, descriptions, metadata. They run before
// the database is reached, so that its limits (column lengths, what its text type can hold) turn
// into VALIDATION_FAILED naming the field, never into a driver error.

import { DataRegistryError } from '../../shared/errors.js';
import { storedJsonText, toJsonText, type JsonText } from './json-text.js';

/** The limits the API promises (docs/api.md). Lengths count Unicode code points. */
export const fieldLimits = {
  nameLength: 200,
  dataTypeLength: 100,
  descriptionLength: 10_000,
  searchLength: 200,
  /** Bytes of the metadata serialised as UTF-8 JSON. */
  metadataBytes: 64 * 1024,
  /** Levels of nested objects and arrays; `{}` is one level. */
  metadataDepth: 32,
} as const;

/** A JSON object: the only shape metadata may have. */
type JsonObject = Record<string, unknown>;

// Cc: C0 controls, DEL and C1 controls. Cs: with the `u` flag only a lone surrogate matches,
// which no database stores faithfully (PostgreSQL and MySQL would write U+FFFD).
const controlOrLoneSurrogate = /[\p{Cc}\p{Cs}]/u;
// Cc without tab (U+0009), line feed (U+000A) and carriage return (U+000D).
const controlExceptWhitespaceOrLoneSurrogate = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u;

export function invalidField(field: string, message: string): DataRegistryError {
  return new DataRegistryError('VALIDATION_FAILED', message, { field });
}

/**
 * A name (of a record or a dataset): 1 to `maxLength` code points, no control characters, no
 * whitespace at either end (MySQL's PAD SPACE collations would treat `a` and `a ` as one name).
 * Returned as given: names are stored verbatim.
 */
export function checkName(
  value: string,
  field: string,
  maxLength: number = fieldLimits.nameLength,
): string {
  if (value.length === 0) throw invalidField(field, `\`${field}\` must not be empty.`);
  checkLength(value, field, maxLength);
  checkCharacters(value, field, controlOrLoneSurrogate, 'control characters');
  if (value.trim() !== value) {
    throw invalidField(field, `\`${field}\` must not start or end with whitespace.`);
  }
  return value;
}

/** A change of a field: undefined (the field stays as it is) or what `check` returns. */
export function checkIfGiven<T, R>(value: T | undefined, check: (value: T) => R): R | undefined {
  return value === undefined ? undefined : check(value);
}

/** A description: null, or up to 10,000 code points; tabs and line breaks are allowed. */
export function checkDescription(value: string | null, field: string): string | null {
  if (value === null) return null;
  checkLength(value, field, fieldLimits.descriptionLength);
  checkCharacters(
    value,
    field,
    controlExceptWhitespaceOrLoneSurrogate,
    'control characters other than tab and line breaks',
  );
  return value;
}

/** A search text (`q`): up to 200 code points, no control characters. */
export function checkSearchText(value: string, field: string): string {
  checkLength(value, field, fieldLimits.searchLength);
  checkCharacters(value, field, controlOrLoneSurrogate, 'control characters');
  return value;
}

/**
 * Metadata: a JSON object (not an array or null), at most 32 levels deep, at most 64 KiB once
 * serialised, and without numbers JSON cannot carry (a literal such as 1e400 parses to Infinity).
 * Returns the JSON text to store; `JSON.stringify` escapes control characters and lone
 * surrogates, so the text is safe on every database.
 */
export function serializeMetadata(value: unknown, field: string): JsonText {
  if (!isJsonObject(value)) {
    throw invalidField(field, `\`${field}\` must be a JSON object, such as {"key": "value"}.`);
  }
  checkMetadataValues(value, field);
  const text = toJsonText(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > fieldLimits.metadataBytes) {
    throw invalidField(
      field,
      `\`${field}\` is ${bytes} bytes as JSON; at most ${fieldLimits.metadataBytes} bytes (${fieldLimits.metadataBytes / 1024} KiB) are accepted.`,
    );
  }
  return text;
}

/**
 * Stored metadata as the JSON text to answer with, unparsed (registry/shared/json-text.ts). A
 * row written by this code always holds an object; anything else is answered as `{}`.
 */
export function storedMetadata(text: string): JsonText {
  return storedJsonText(text.startsWith('{') ? text : '{}');
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Walks the value with an explicit stack, so that no nesting depth can overflow the call stack,
 * and stops at the first level past the limit.
 */
function checkMetadataValues(root: JsonObject, field: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: field, depth: 1 },
  ];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw invalidField(field, `\`${path}\` is a number too large to store.`);
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > fieldLimits.metadataDepth) {
      throw invalidField(
        field,
        `\`${field}\` is nested more than ${fieldLimits.metadataDepth} levels deep.`,
      );
    }
    const entries = Array.isArray(value)
      ? value.map((child, index) => [`[${index}]`, child] as const)
      : Object.entries(value).map(([key, child]) => [`.${key}`, child] as const);
    for (const [suffix, child] of entries) {
      stack.push({ value: child, path: `${path}${suffix}`, depth: depth + 1 });
    }
  }
}

function checkLength(value: string, field: string, maxLength: number): void {
  // Code points, as the databases count characters (a UTF-16 length would count emoji twice).
  // A UTF-16 length within the limit is within it in code points too; only longer strings are
  // counted, and the count stops once past the limit.
  if (value.length <= maxLength) return;
  let length = 0;
  for (let index = 0; index < value.length && length <= maxLength; index += 1) {
    const code = value.charCodeAt(index);
    const isPairStart = code >= 0xd800 && code <= 0xdbff;
    const next = value.charCodeAt(index + 1);
    if (isPairStart && next >= 0xdc00 && next <= 0xdfff) index += 1;
    length += 1;
  }
  if (length > maxLength) {
    throw invalidField(field, `\`${field}\` must be at most ${maxLength} characters long.`);
  }
}

function checkCharacters(value: string, field: string, forbidden: RegExp, what: string): void {
  const match = forbidden.exec(value);
  if (match === null) return;
  const codePoint = match[0].codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  throw invalidField(
    field,
    `\`${field}\` contains U+${hex} at position ${match.index}; ${what} are not allowed.`,
  );
}
