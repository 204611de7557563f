// `stamp <target>`: sets the version table (and writes history rows) without running any
// revision, under the migration lock. Returns the heads before and after; never prints.

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
} from '../run/version-table.js';
import { acquireLock, type DatabaseOptions, type LockOptions } from './database-state.js';

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
      await connection.transaction().execute(async (trx) => {
        for (const query of versionChangeQueries(trx, names, {
          delete: deleted,
          insert: inserted,
        })) {
          await trx.executeQuery(query);
        }
        for (const id of inserted) {
          const checksum = project.sources.get(id)?.checksum ?? null;
          await trx.executeQuery(
            historyInsertQuery(trx, dialect, names, {
              revision: id,
              direction: 'stamp',
              durationMs: null,
              checksum,
            }),
          );
        }
      });
    });
    return { headsBefore, headsAfter };
  } finally {
    await lock.release();
  }
}
