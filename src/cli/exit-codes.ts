// Exit codes of the CLI, one per error code: 1 failed, 2 usage, 75 worth retrying (EX_TEMPFAIL).

import type { ErrorCode } from '../shared/errors.js';

export const exitCodes = { ok: 0, failed: 1, usage: 2, retry: 75 } as const;

export const exitCodeByError = {
  INVALID_ARGUMENT: exitCodes.usage,
  INVALID_TARGET: exitCodes.usage,
  REVISION_NOT_FOUND: exitCodes.failed,
  AMBIGUOUS_REVISION: exitCodes.failed,
  MULTIPLE_HEADS: exitCodes.failed,
  AMBIGUOUS_PATH: exitCodes.failed,
  RELATIVE_TARGET_OUT_OF_RANGE: exitCodes.failed,
  DUPLICATE_REVISION: exitCodes.failed,
  MISSING_PARENT: exitCodes.failed,
  REVISION_CYCLE: exitCodes.failed,
  MALFORMED_REVISION_FILE: exitCodes.failed,
  VERSIONS_FOLDER_NOT_FOUND: exitCodes.failed,
  APPLIED_REVISION_MISSING: exitCodes.failed,
  REVISION_FAILED: exitCodes.failed,
  NO_TRANSACTION_CONFLICT: exitCodes.usage,
  OFFLINE_UNSUPPORTED: exitCodes.usage,
  LOCK_TIMEOUT: exitCodes.retry,
  INVALID_DATABASE_URL: exitCodes.usage,
  DATABASE_UNAVAILABLE: exitCodes.retry,
  DATABASE_ERROR: exitCodes.failed,
  FILE_EXISTS: exitCodes.failed,
} as const satisfies Record<ErrorCode, number>;
