// Turns driver errors into the registry's codes, once, for every service: a lost or refused
// connection becomes DATABASE_UNAVAILABLE, a missing table SCHEMA_NOT_APPLIED (a database no
// `upgrade head` has run on), a unique violation the caller's conflict.
// The driver's message stays in `cause` (for the log), never in the message.

import type { DialectAdapter } from '../../db/dialect-adapter.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';

export interface DatabaseErrorTranslation {
  /** The error to throw instead of a unique violation; without it the violation is rethrown. */
  readonly onUniqueViolation?: () => DataRegistryError;
}

/**
 * Runs `work` and translates what the driver throws.
 *
 * @throws DataRegistryError DATABASE_UNAVAILABLE when the dialect classifies the error as
 *   `connection`; SCHEMA_NOT_APPLIED when a registry table does not exist; the `onUniqueViolation` error on a unique violation; anything else unchanged.
 */
export async function withDatabaseErrors<T>(
  dialect: DialectAdapter,
  work: () => Promise<T>,
  translation: DatabaseErrorTranslation = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(dialect, error, translation);
  }
}

export function translateDatabaseError(
  dialect: DialectAdapter,
  error: unknown,
  translation: DatabaseErrorTranslation = {},
): unknown {
  if (isDataRegistryError(error)) return error;
  const kind = dialect.classifyError(error);
  if (kind === 'connection') return databaseUnavailable(error);
  if (kind === 'undefined-table') return schemaNotApplied(error);
  if (kind === 'unique-violation' && translation.onUniqueViolation) {
    const translated = translation.onUniqueViolation();
    return new DataRegistryError(translated.code, translated.message, translated.details, {
      cause: error,
    });
  }
  return error;
}

export function databaseUnavailable(cause: unknown): DataRegistryError {
  return new DataRegistryError(
    'DATABASE_UNAVAILABLE',
    'The database cannot be reached; try again shortly.',
    {},
    { cause },
  );
}

export function schemaNotApplied(cause: unknown): DataRegistryError {
  return new DataRegistryError(
    'SCHEMA_NOT_APPLIED',
    'The database has no registry tables; run `dataregistry upgrade head` on it first.',
    {},
    { cause },
  );
}
