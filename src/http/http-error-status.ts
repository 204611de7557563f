// The HTTP status of every error code the API returns: one table, checked by the compiler.
// Codes outside it are bugs and answer 500 INTERNAL_ERROR.

import type { ErrorCode } from '../shared/errors.js';

/** The error codes the HTTP API can return (each documented in the OpenAPI error schema). */
export type HttpErrorCode = Extract<
  ErrorCode,
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'ROUTE_NOT_FOUND'
  | 'RECORD_NOT_FOUND'
  | 'DATASET_NOT_FOUND'
  | 'RECORD_NAME_TAKEN'
  | 'DATASET_NAME_TAKEN'
  | 'REQUEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL_ERROR'
  | 'DATABASE_UNAVAILABLE'
  | 'SCHEMA_NOT_APPLIED'
  | 'OBJECT_NOT_FOUND'
  | 'FILE_TOO_LARGE'
  | 'STORAGE_UNAVAILABLE'
  | 'FILE_NOT_FOUND'
  | 'FILE_VERSION_NOT_FOUND'
  | 'FILE_EXISTS'
  | 'FILE_CHANGED'
  | 'FILE_NOT_DELETED'
  | 'RANGE_NOT_SATISFIABLE'
  | 'UPLOAD_SESSION_NOT_FOUND'
  | 'DIRECT_UPLOAD_UNSUPPORTED'
  | 'UPLOAD_INCOMPLETE'
  | 'CHECKSUM_MISMATCH'
  | 'SHUTTING_DOWN'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
>;

export const httpErrorStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  RECORD_NOT_FOUND: 404,
  DATASET_NOT_FOUND: 404,
  RECORD_NAME_TAKEN: 409,
  DATASET_NAME_TAKEN: 409,
  REQUEST_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
  SCHEMA_NOT_APPLIED: 503,
  OBJECT_NOT_FOUND: 404,
  FILE_TOO_LARGE: 413,
  STORAGE_UNAVAILABLE: 503,
  FILE_NOT_FOUND: 404,
  FILE_VERSION_NOT_FOUND: 404,
  FILE_EXISTS: 412,
  FILE_CHANGED: 412,
  FILE_NOT_DELETED: 409,
  RANGE_NOT_SATISFIABLE: 416,
  UPLOAD_SESSION_NOT_FOUND: 404,
  DIRECT_UPLOAD_UNSUPPORTED: 409,
  UPLOAD_INCOMPLETE: 409,
  CHECKSUM_MISMATCH: 400,
  SHUTTING_DOWN: 503,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
} as const satisfies Record<HttpErrorCode, number>;

export const httpErrorCodes = Object.keys(httpErrorStatus) as HttpErrorCode[];

export function isHttpErrorCode(code: string): code is HttpErrorCode {
  return Object.hasOwn(httpErrorStatus, code);
}
