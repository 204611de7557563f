// What the services over the registry's tables start from: the handle's Kysely instance typed
// with those tables, the clock, and `run`, which turns what the driver throws into the
// registry's codes (database-errors.ts). Decides nothing.

import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import type { DataRegistryError } from '../../shared/errors.js';
import { registryDb, type RegistryDatabase } from '../database.js';
import { withDatabaseErrors } from './database-errors.js';

export interface RegistryServiceOptions {
  /** The clock; default the system's. */
  readonly now?: (() => Date) | undefined;
}

export abstract class RegistryService {
  protected readonly db: Kysely<RegistryDatabase>;
  protected readonly now: () => Date;
  readonly #dialect: DialectAdapter;

  constructor(handle: DatabaseHandle, options: RegistryServiceOptions = {}) {
    this.db = registryDb(handle);
    this.now = options.now ?? (() => new Date());
    this.#dialect = handle.dialect;
  }

  /**
   * Runs `work`, translating driver errors.
   *
   * @throws DataRegistryError DATABASE_UNAVAILABLE when the connection is lost or refused;
   *   SCHEMA_NOT_APPLIED when a registry table is missing; the
   *   `onUniqueViolation` error on a unique violation; anything else unchanged.
   */
  protected run<T>(
    work: () => Promise<T>,
    onUniqueViolation?: () => DataRegistryError,
  ): Promise<T> {
    return withDatabaseErrors(this.#dialect, work, { onUniqueViolation });
  }
}
