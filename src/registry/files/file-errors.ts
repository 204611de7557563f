// The errors of files and their versions, made in one place with messages that say the way out.

import { DataRegistryError } from '../../shared/errors.js';
import { invalidField } from '../shared/field-checks.js';
import type { FileOwnerRef } from './stored-file.js';

export function fileNotFound(ref: FileOwnerRef, name: string): DataRegistryError {
  const owner = ref.kind === 'record' ? `Record ${ref.id}` : `Dataset ${ref.id}`;
  return new DataRegistryError(
    'FILE_NOT_FOUND',
    `${owner} has no live file named ${JSON.stringify(name)}; list its files to see their names.`,
    { name },
  );
}

export function fileVersionNotFound(
  name: string,
  version: number,
  latest?: number,
): DataRegistryError {
  const range = latest === undefined ? '' : ` (its latest is ${latest})`;
  return new DataRegistryError(
    'FILE_VERSION_NOT_FOUND',
    `${JSON.stringify(name)} has no version ${version}${range}; list its versions: GET …/files/{name}/versions.`,
    { name, version },
  );
}

/** @throws DataRegistryError VALIDATION_FAILED (`version`) unless a positive whole number. */
export function checkVersionNumber(version: number): void {
  if (Number.isSafeInteger(version) && version >= 1 && version <= 2_147_483_647) return;
  throw invalidField('version', '`version` must be a whole number from 1 to 2147483647.');
}

export function checksumMismatch(computed: string, declared: string): DataRegistryError {
  return new DataRegistryError(
    'CHECKSUM_MISMATCH',
    `The uploaded bytes have the SHA-256 ${computed}, not the declared ${declared}; nothing was kept. Upload the file again.`,
    { computed, declared },
  );
}

export function fileTooLarge(size: number, maxBytes: number): DataRegistryError {
  return new DataRegistryError(
    'FILE_TOO_LARGE',
    `The file is ${size} bytes; this server accepts files of at most ${maxBytes} bytes (DATA_REGISTRY_MAX_UPLOAD_BYTES).`,
    { size, maxBytes },
  );
}
