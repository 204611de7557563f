// Section 4 of `check`: drift. The live database's schema compared with the one its recorded
// heads produce when the versions folder is applied to an empty scratch database of the same
// dialect (on the same server, or a temporary SQLite file). Reads the live database only.

import { openDatabase } from '../../../db/connect.js';
import { currentHeads } from '../../commands/current.js';
import { upgrade } from '../../commands/upgrade-downgrade.js';
import { loadProject } from '../../project.js';
import { versionTableNames } from '../../run/version-table.js';
import { createScratchDatabase } from '../round-trip/scratch-database.js';
import { readServerVersion } from '../round-trip/server-version.js';
import { diffSchemas, isSameSchema, type SchemaDifference } from '../snapshot/schema-difference.js';
import { snapshotSchema } from '../snapshot/schema-snapshot.js';

export interface CheckDriftOptions {
  /** The versions folder. */
  readonly folder: string;
  /** The live database. */
  readonly databaseUrl: string;
  /** The version table's name; default `dataregistry_version`. */
  readonly versionTable?: string | undefined;
}

export interface DriftReport {
  /** The live database, password masked. */
  readonly database: string;
  readonly serverVersion: string;
  /** The heads its version table records (the schema it should have). */
  readonly heads: readonly string[];
  /** Expected: what the heads produce; actual: the live database. */
  readonly difference: SchemaDifference;
  readonly hasDrift: boolean;
}

/**
 * Compares the live database with what its recorded heads build from scratch.
 *
 * @throws DataRegistryError DATABASE_UNAVAILABLE (the server cannot be reached),
 *   DATABASE_NOT_FOUND (an SQLite file that does not exist), REVISION_NOT_FOUND (the database
 *   records a revision the folder lacks), REVISION_FAILED (a revision does not apply to the
 *   scratch database: the round trip says more).
 */
export async function checkDrift(options: CheckDriftOptions): Promise<DriftReport> {
  const project = await loadProject(options.folder);
  const names = versionTableNames(options.versionTable);
  const isSchemaTable = (table: string) =>
    table !== names.version && !table.startsWith(`${names.version}_`);
  const live = await openDatabase(options.databaseUrl, { mode: 'read-only' });
  try {
    const heads = await currentHeads(live, project, { versionTable: options.versionTable });
    const scratch = await createScratchDatabase(
      live.dialect.name === 'sqlite' ? undefined : options.databaseUrl,
    );
    try {
      for (const head of heads) {
        await upgrade(scratch.handle, project, head, { versionTable: options.versionTable });
      }
      const difference = diffSchemas(
        await snapshotSchema(scratch.handle, isSchemaTable),
        await snapshotSchema(live, isSchemaTable),
      );
      return {
        database: live.displayUrl,
        serverVersion: (await readServerVersion(live)).reported,
        heads,
        difference,
        hasDrift: !isSameSchema(difference),
      };
    } finally {
      await scratch.drop();
    }
  } finally {
    await live.close();
  }
}
