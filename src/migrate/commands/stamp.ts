// `stamp <target>`: sets the version table (and writes history rows) without running any
// revision, under the migration lock. Returns the heads before and after; never prints.

import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { parseTarget } from '../graph/parse-target.js';
import { planStamp } from '../plan/plan.js';
import type { Project } from '../project.js';
import {
  createVersionTablesQueries,
  historyInsertQuery,
  readCurrentHeads,
  versionChangeQueries,
  versionTableNames,
  type VersionTableNames,
} from '../run/version-table.js';
import {
  describeLockHolders,
  formatSeconds,
  retryOnTableLockTimeout,
  startTableLockSession,
  TableLockTimedOut,
  type RetryScope,
  type TableLockSession,
} from '../run/table-lock-wait.js';
import { DataRegistryError } from '../../shared/errors.js';
import { acquireLock, type DatabaseOptions, type LockOptions } from './database-state.js';

/** A stamp's transaction, rolled back and run again when its lock wait times out. */
function stampScope(session: TableLockSession): RetryScope {
  return {
    subject: 'Stamp',
    retried: 'the stamp',
    giveUp: (failure, holders, attempts) =>
      new DataRegistryError(
        'TABLE_LOCK_TIMEOUT',
        `Stamp gave up waiting for a lock on the version table after ${attempts} attempt${attempts === 1 ? '' : 's'} of ${formatSeconds(session.policy.timeoutMs)}: ` +
          `${describeLockHolders(holders)}. Nothing was changed. Run it again once that lock is released, or raise --table-lock-retries.`,
        { attempts, holders },
        { cause: failure.cause },
      ),
  };
}

export interface StampOptions extends DatabaseOptions, LockOptions {}

export interface StampResult {
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

/** `stamp <target>`: sets the version table without running any revision. */
export async function stamp(
  handle: DatabaseHandle,
  project: Project,
  target: string,
  options: StampOptions = {},
): Promise<StampResult> {
  const names = versionTableNames(options.versionTable);
  const parsed = parseTarget(target);
  const lock = await acquireLock(handle, names, options);
  try {
    const { db, dialect } = handle;
    // A stamp may fix a version table that names a revision whose file is gone, so unknown
    // heads are replaced rather than refused.
    const headsBefore = (await readCurrentHeads(db, dialect, names)) ?? [];
    const known = headsBefore.filter((id) => project.graph.has(id));
    const { headsAfter } = planStamp(project.graph, known, parsed);
    const deleted = headsBefore.filter((id) => !headsAfter.includes(id));
    const inserted = headsAfter.filter((id) => !headsBefore.includes(id));
    await db.connection().execute(async (connection) => {
      for (const query of createVersionTablesQueries(connection, dialect, names)) {
        await connection.executeQuery(query);
      }
      const session = await startTableLockSession(handle, connection, options.tableLock);
      try {
        await retryOnTableLockTimeout(session, stampScope(session), () =>
          connection.transaction().execute(async (trx) => {
            try {
              for (const statement of session.inTransaction) {
                await trx.executeQuery(CompiledQuery.raw(statement));
              }
              await writeStamp(trx, handle, project, names, { deleted, inserted });
            } catch (error) {
              if (dialect.classifyError(error) !== 'lock-timeout') throw error;
              throw new TableLockTimedOut('', undefined, error);
            }
          }),
        );
      } finally {
        await session.end();
      }
    });
    return { headsBefore, headsAfter };
  } finally {
    await lock.release();
  }
}

/** The version change and one history row per stamped revision, in the stamp's transaction. */
async function writeStamp(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>,
  handle: DatabaseHandle,
  project: Project,
  names: VersionTableNames,
  change: { readonly deleted: readonly string[]; readonly inserted: readonly string[] },
): Promise<void> {
  for (const query of versionChangeQueries(trx, names, {
    delete: change.deleted,
    insert: change.inserted,
  })) {
    await trx.executeQuery(query);
  }
  for (const id of change.inserted) {
    const checksum = project.sources.get(id)?.checksum ?? null;
    await trx.executeQuery(
      historyInsertQuery(trx, handle.dialect, names, {
        revision: id,
        direction: 'stamp',
        durationMs: null,
        checksum,
      }),
    );
  }
}
