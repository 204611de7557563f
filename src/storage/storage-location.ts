// Parses a storage location — a folder path or s3://bucket/optional/prefix — into a typed value.
// Pure: no files, no network.

import { DataRegistryError } from '../shared/errors.js';

export type StorageLocation =
  | { readonly kind: 'local'; readonly folder: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

// Names S3 and the common S3-compatible stores accept (AWS's rule, plus legacy underscores).
const bucketPattern = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/**
 * `./data/files`, `/srv/files` or `data` → local; `s3://bucket` or `s3://bucket/a/b/` → S3 with
 * prefix `a/b` (no leading or trailing `/`). Anything else → INVALID_CONFIG naming the value.
 */
export function parseStorageLocation(location: string): StorageLocation {
  const value = location.trim();
  if (value === '') throw invalidLocation(location, 'it is empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(value)?.[1];
  if (scheme === undefined) return { kind: 'local', folder: value };
  if (scheme.toLowerCase() !== 's3')
    throw invalidLocation(location, `${scheme}:// is not supported`);
  const rest = value.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (!bucketPattern.test(bucket))
    throw invalidLocation(
      location,
      `"${bucket}" is not a bucket name (3-63 lowercase letters, digits, dots, hyphens)`,
    );
  const segments = prefix === '' ? [] : prefix.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
    throw invalidLocation(location, 'the prefix has an empty, "." or ".." segment');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(prefix))
    throw invalidLocation(location, 'the prefix contains a backslash or control character');
  return { kind: 's3', bucket, prefix };
}

/** The location as logs and `dataregistry config` show it. */
export function formatStorageLocation(location: StorageLocation): string {
  if (location.kind === 'local') return location.folder;
  return location.prefix === ''
    ? `s3://${location.bucket}`
    : `s3://${location.bucket}/${location.prefix}`;
}

function invalidLocation(location: string, problem: string): DataRegistryError {
  return new DataRegistryError(
    'INVALID_CONFIG',
    `Storage location ${JSON.stringify(location)} is not valid: ${problem}; use a folder path ` +
      `(./data/files) or s3://bucket/optional/prefix.`,
    { location },
  );
}
