// Checks of the parts a client names or lists for an upload session, against the session and
// against what the store holds. Pure: the service fetches what they compare.

import type { UploadedPart } from '../../storage/object-store.js';
import { DataRegistryError } from '../../shared/errors.js';
import { invalidField } from '../shared/field-checks.js';
import { partSizeOf, type CompletedPart, type UploadSession } from './upload-session.js';

/** The most part URLs one request hands out. */
export const maxPartUrlsPerRequest = 1000;

/** Part numbers to presign: at most {@link maxPartUrlsPerRequest}, each within 1…part_count. */
export function checkPartNumbers(session: UploadSession, partNumbers: readonly number[]): void {
  if (partNumbers.length > maxPartUrlsPerRequest) {
    throw invalidField('parts', `Ask for at most ${maxPartUrlsPerRequest} parts at once.`);
  }
  const outside = partNumbers.find((n) => !Number.isInteger(n) || n < 1 || n > session.partCount);
  if (outside !== undefined) {
    throw invalidField(
      'parts',
      `Part ${outside} does not exist: this upload has parts 1 to ${session.partCount}.`,
    );
  }
}

/** Exactly parts 1…N, each once, each with an ETag. */
export function checkPartList(session: UploadSession, parts: readonly CompletedPart[]): void {
  const numbers = new Set(parts.map((part) => part.partNumber));
  if (numbers.size !== parts.length) {
    throw uploadIncomplete('A part number is listed twice; list each part once.');
  }
  const missing: number[] = [];
  for (let n = 1; n <= session.partCount && missing.length < 10; n += 1) {
    if (!numbers.has(n)) missing.push(n);
  }
  if (missing.length > 0) {
    throw uploadIncomplete(
      `Parts ${missing.join(', ')}${missing.length === 10 ? '…' : ''} are missing: the file has ${session.partCount} parts of ${session.partSize} bytes (the last one smaller).`,
    );
  }
  const extra = parts.find((part) => part.partNumber < 1 || part.partNumber > session.partCount);
  if (extra !== undefined) {
    throw uploadIncomplete(
      `Part ${extra.partNumber} does not exist: the file has ${session.partCount} parts.`,
    );
  }
}

/** Each part the client lists is stored, with its ETag and the size the session expects. */
export function checkStoredParts(
  session: UploadSession,
  parts: readonly CompletedPart[],
  stored: readonly UploadedPart[],
): void {
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  for (const part of parts) {
    const held = byNumber.get(part.partNumber);
    if (held === undefined) {
      throw uploadIncomplete(
        `Part ${part.partNumber} is not stored yet; upload it, then complete again.`,
      );
    }
    if (unquote(held.etag) !== unquote(part.etag)) {
      throw uploadIncomplete(
        `Part ${part.partNumber} has the ETag ${held.etag} in the store, not ${part.etag}; upload it again or send the ETag the store answered.`,
      );
    }
    const expected = partSizeOf(session, part.partNumber);
    if (held.size !== expected) {
      throw uploadIncomplete(
        `Part ${part.partNumber} has ${held.size} bytes; it must have ${expected}. Upload it again.`,
      );
    }
  }
}

export function checkSha256(value: string): string {
  const lower = value.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(lower)) {
    throw invalidField('sha256', '`sha256` must be 64 hexadecimal characters.');
  }
  return lower;
}

function unquote(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

export function uploadIncomplete(message: string): DataRegistryError {
  return new DataRegistryError('UPLOAD_INCOMPLETE', message);
}
