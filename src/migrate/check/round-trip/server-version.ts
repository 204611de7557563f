// The version a database server reports, for the round trip's report and the version-dependent
// lint rules. One query per dialect; MariaDB is told apart from MySQL by its version string.

import { sql } from 'kysely';
import type { DatabaseHandle } from '../../../db/database-handle.js';
import type { ServerVersions } from '../rule.js';

export interface ServerVersion {
  /** The key of `ServerVersions` this server answers for. */
  readonly product: keyof ServerVersions;
  /** As reported, e.g. `15.20`, `10.11.19-MariaDB-0+deb12u1`, `3.53.2`. */
  readonly reported: string;
  /** Major and minor, e.g. `15.20`, `10.11`, `3.53`. */
  readonly version: string;
}

export async function readServerVersion(handle: DatabaseHandle): Promise<ServerVersion> {
  const query = {
    sqlite: sql<{ v: string }>`select sqlite_version() as v`,
    postgresql: sql<{ v: string }>`select current_setting('server_version') as v`,
    mysql: sql<{ v: string }>`select version() as v`,
  }[handle.dialect.name];
  const reported = String((await query.execute(handle.db)).rows[0]?.v ?? '');
  const product =
    handle.dialect.name === 'mysql' && reported.includes('MariaDB')
      ? 'mariadb'
      : handle.dialect.name;
  const version = /^\d+(\.\d+)?/.exec(reported)?.[0] ?? reported;
  return { product, reported, version };
}
