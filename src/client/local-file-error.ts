// Errors of the local file system (a source that cannot be read, an output that cannot be
// written) as one line naming the path, instead of an "unexpected error".

import { DataRegistryError } from '../shared/errors.js';
import { networkErrorCode } from './http-transport.js';

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** Whether `error` is a Node file-system error (it has a syscall and an errno code). */
export function isLocalFileError(error: unknown): boolean {
  return (
    error instanceof Error &&
    typeof (error as { syscall?: unknown }).syscall === 'string' &&
    (networkErrorCode(error) ?? '') in reasons
  );
}

export function localFileError(error: unknown, path: string, action: 'read' | 'write'): unknown {
  if (!isLocalFileError(error)) return error;
  const code = networkErrorCode(error) ?? '';
  return new DataRegistryError(
    'INVALID_ARGUMENT',
    `Cannot ${action} ${path}: ${reasons[code] ?? code}.`,
    { path, fsCode: code },
    { cause: error },
  );
}
