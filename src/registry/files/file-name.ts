// Checks of what a client may call a file, and of the content type it declares. Pure.

import { invalidField } from '../shared/field-checks.js';

/** The limits docs/api.md promises for file names and content types. */
export const fileLimits = {
  /** Bytes of the name encoded as UTF-8. */
  nameBytes: 255,
  contentTypeLength: 255,
} as const;

export const defaultContentType = 'application/octet-stream';

// Cc: C0 controls (NUL included), DEL and C1 controls. Cs: a lone surrogate, which UTF-8 cannot
// encode. `/` and `\` would split the name into folders on some system or other.
const forbiddenCharacter = /[\p{Cc}\p{Cs}/\\]/u;

/**
 * A file name: 1 to 255 bytes of UTF-8, no `/`, `\`, NUL or other control characters, not `.` or
 * `..`, and no whitespace at either end (MySQL's PAD SPACE collations would make `a` and `a ` one
 * name, and several systems cannot save such names). Returned as given: stored verbatim, compared
 * byte for byte.
 *
 * @throws DataRegistryError VALIDATION_FAILED naming `field`.
 * @example checkFileName('données 2026.csv', 'filename') // → 'données 2026.csv'
 */
export function checkFileName(value: string, field: string): string {
  if (value.length === 0) throw invalidField(field, `\`${field}\` must not be empty.`);
  const match = forbiddenCharacter.exec(value);
  if (match !== null) {
    const codePoint = match[0].codePointAt(0) ?? 0;
    const shown =
      match[0] === '/' || match[0] === '\\'
        ? `\`${match[0]}\``
        : `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
    throw invalidField(
      field,
      `\`${field}\` contains ${shown} at position ${match.index}; file names may not contain \`/\`, \`\\\`, NUL or other control characters.`,
    );
  }
  if (value === '.' || value === '..') {
    throw invalidField(field, `\`${field}\` may not be \`.\` or \`..\`.`);
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > fileLimits.nameBytes) {
    throw invalidField(
      field,
      `\`${field}\` is ${bytes} bytes long in UTF-8; at most ${fileLimits.nameBytes} are accepted.`,
    );
  }
  if (value.trim() !== value) {
    throw invalidField(field, `\`${field}\` must not start or end with whitespace.`);
  }
  return value;
}

// RFC 9110 media type: type "/" subtype, then optional parameters; tokens of tchar.
const mediaType = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*;[ -~\t]*)?$/;

/**
 * The content type to store: the declared one, or application/octet-stream when none is given.
 * Must be a media type (`text/csv; charset=utf-8`) of printable ASCII, at most 255 characters.
 *
 * @throws DataRegistryError VALIDATION_FAILED naming `field`.
 */
export function checkContentType(value: string | undefined, field: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return defaultContentType;
  if (trimmed.length > fileLimits.contentTypeLength || !mediaType.test(trimmed)) {
    throw invalidField(
      field,
      `\`${field}\` must be a media type such as \`text/csv\` or \`application/octet-stream\` (printable ASCII, at most ${fileLimits.contentTypeLength} characters).`,
    );
  }
  return trimmed;
}
