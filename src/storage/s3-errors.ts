// Translates AWS SDK errors into the project's codes, once, for the S3 object store.
// The S3 error's name goes into the message; its text and the request ids stay in `cause`.

import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import { objectNotFound } from './object-errors.js';

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * NoSuchKey, NotFound → OBJECT_NOT_FOUND; NoSuchUpload → OBJECT_NOT_FOUND (about the upload);
 * InvalidPart, InvalidPartOrder, EntityTooSmall, InvalidRange → VALIDATION_FAILED;
 * anything else the SDK throws → STORAGE_UNAVAILABLE.
 */
export function toS3StoreError(
  error: unknown,
  operation: string,
  key: string,
  uploadId?: string,
): DataRegistryError {
  if (isDataRegistryError(error)) return error;
  const sdkError = (error ?? {}) as SdkError;
  const name = sdkError.name ?? 'Error';
  const status = sdkError.$metadata?.httpStatusCode;
  // A missing bucket is a misconfiguration, never a missing object (its status is 404 too).
  if (name === 'NoSuchBucket') return unavailable(error, operation, key, name, status);
  if (name === 'NoSuchUpload')
    return new DataRegistryError(
      'OBJECT_NOT_FOUND',
      `No unfinished multipart upload ${JSON.stringify(uploadId)} exists for ` +
        `${JSON.stringify(key)}: it was completed, aborted or never created.`,
      { key, uploadId },
      { cause: error },
    );
  // HEAD answers carry no body, so a missing key there is a bare 404 'NotFound'.
  if (name === 'NoSuchKey' || name === 'NotFound') return objectNotFound(key);
  if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'InvalidRange'].includes(name))
    return new DataRegistryError(
      'VALIDATION_FAILED',
      `S3 refused ${operation} of ${JSON.stringify(key)}: ${name}` +
        (name === 'EntityTooSmall' ? ' (every part but the last must be at least 5 MiB).' : '.'),
      { key, s3Error: name },
      { cause: error },
    );
  return unavailable(error, operation, key, sdkError.code ?? name, status);
}

function unavailable(
  error: unknown,
  operation: string,
  key: string,
  name: string,
  status: number | undefined,
): DataRegistryError {
  const reason = status === undefined ? name : `${name}, HTTP ${status}`;
  return new DataRegistryError(
    'STORAGE_UNAVAILABLE',
    `The S3 object store failed ${operation} of ${JSON.stringify(key)} (${reason}); check the ` +
      `bucket, endpoint, region and credentials.`,
    { key, operation, s3Error: name },
    { cause: error },
  );
}
