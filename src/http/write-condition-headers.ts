// The conditional-upload headers of a request, as the registry's WriteCondition: `If-None-Match: *`
// (only a new name) and `If-Match: "<sha256>"` (only over that version). Pure.

import type { IncomingHttpHeaders } from 'node:http';
import type { WriteCondition } from '../registry/files/write-condition.js';
import { DataRegistryError } from '../shared/errors.js';

const etagPattern = /^(?:W\/)?"([0-9a-f]{64})"$/;

/**
 * @throws DataRegistryError VALIDATION_FAILED for both headers at once, an If-None-Match other
 *   than `*`, or an If-Match that is not one ETag of a file.
 */
export function readWriteCondition(headers: IncomingHttpHeaders): WriteCondition | undefined {
  const noneMatch = headers['if-none-match']?.trim();
  const match = headers['if-match']?.trim();
  if (noneMatch !== undefined && match !== undefined) {
    throw invalidHeader('Send If-None-Match: * or If-Match, not both.');
  }
  if (noneMatch !== undefined) {
    if (noneMatch === '*') return { kind: 'absent' };
    throw invalidHeader(
      `If-None-Match on an upload takes only \`*\` (upload only if the name has no live file), not \`${noneMatch}\`.`,
    );
  }
  if (match === undefined) return undefined;
  const sha256 = etagPattern.exec(match.toLowerCase())?.[1];
  if (sha256 !== undefined) return { kind: 'matches', sha256 };
  throw invalidHeader(
    `If-Match takes one ETag of a file, its quoted SHA-256 ("<64 hex digits>"), not \`${match}\`.`,
  );
}

function invalidHeader(message: string): DataRegistryError {
  return new DataRegistryError('VALIDATION_FAILED', message, { field: 'headers' });
}
