// Checks object keys and list prefixes before a store touches them: the last line of defence
// against a key escaping the root folder or prefix. Callers (registry/files) validate names first.

import { DataRegistryError } from '../shared/errors.js';

/** Longest path segment a local folder accepts (NAME_MAX on Linux, macOS and Windows). */
export const maxSegmentBytes = 255;

/**
 * Throws VALIDATION_FAILED unless `key` is a relative `/`-separated path with no empty, `.` or
 * `..` segment, no `\` and no NUL or other control character.
 */
export function assertValidObjectKey(key: string): void {
  const problem = describeKeyProblem(key, { allowTrailingSlash: false });
  if (problem !== undefined) throw invalidKey(key, problem);
}

/** As `assertValidObjectKey`, but `''` (everything) and a trailing `/` are allowed. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const problem = describeKeyProblem(prefix, { allowTrailingSlash: true });
  if (problem !== undefined) throw invalidKey(prefix, problem);
}

/**
 * Orders keys as S3 lists them: by their UTF-8 bytes (JavaScript's `<` compares UTF-16 code
 * units, which puts U+E000…U+FFFF after characters past U+FFFF; the bytes put them before).
 *
 * @example ['ab', 'a/b', 'a', 'a.b', 'a-b'].sort(compareObjectKeys) // → ['a', 'a-b', 'a.b', 'a/b', 'ab']
 */
export function compareObjectKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function describeKeyProblem(
  key: string,
  options: { allowTrailingSlash: boolean },
): string | undefined {
  if (key === '') return 'it is empty';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'it contains a control character';
  if (key.includes('\\')) return 'it contains a backslash';
  if (key.startsWith('/')) return 'it starts with /';
  const segments = key.split('/');
  if (options.allowTrailingSlash && segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    if (segment === '') return 'it has an empty segment (//, or a trailing /)';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
    if (Buffer.byteLength(segment) > maxSegmentBytes)
      return `a segment is longer than ${maxSegmentBytes} bytes`;
  }
  return undefined;
}

function invalidKey(key: string, problem: string): DataRegistryError {
  return new DataRegistryError(
    'VALIDATION_FAILED',
    `Object key ${JSON.stringify(key)} is not valid: ${problem}.`,
    { key },
  );
}
