// An open database: the Kysely instance, its dialect adapter with the migration lock, and how to
// close it.

import type { Kysely } from 'kysely';
import type { ConnectedDialectAdapter } from './dialect-adapter.js';

export interface DatabaseHandle {
  // The engine works on tables it creates itself and on raw SQL from revision files, so the
  // database type is open here; the registry narrows it with its own row types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** The dialect's constants and this database's migration lock. */
  readonly dialect: ConnectedDialectAdapter;
  /** The URL with any password masked, for messages and logs. */
  readonly displayUrl: string;
  /** Closes the pool and any dedicated connections. Idempotent. */
  close(): Promise<void>;
}
