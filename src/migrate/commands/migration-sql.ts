// `upgrade --sql` / `downgrade --sql`: the script a migration would run, for a DBA to review or
// run. Connects to nothing: the caller reads the starting heads when the range needs them.

import type { DialectAdapter } from '../../db/dialect-adapter.js';
import { parseTarget, splitOfflineRange } from '../graph/parse-target.js';
import { planMigration, planStamp, type Step } from '../plan/plan.js';
import type { Project } from '../project.js';
import { renderOfflineSql } from '../run/offline-sql.js';
import { versionTableNames } from '../run/version-table.js';
import type { DatabaseOptions } from './database-state.js';
import { refuseNotConverted } from './refuse-not-converted.js';

export interface OfflineOptions extends DatabaseOptions {
  readonly singleTransaction?: boolean;
  /** The table-lock bound the script sets (as the online run does); 0 or undefined: none. */
  readonly tableLockTimeoutMs?: number;
}

/**
 * `upgrade --sql` / `downgrade --sql`: the script that would run. `range` is either a target
 * (the starting point is then `startHeads`, read from the database by the caller) or
 * `<from>:<to>`, which needs no database.
 */
export async function renderMigrationSql(
  dialect: DialectAdapter,
  project: Project,
  direction: Step['direction'],
  range: string,
  startHeads: readonly string[],
  options: OfflineOptions = {},
): Promise<string> {
  const names = versionTableNames(options.versionTable);
  const { from, to } = splitOfflineRange(range);
  const heads = from === undefined ? startHeads : headsForStart(project, from);
  const plan = planMigration(direction, project.graph, heads, parseTarget(to));
  refuseNotConverted(plan);
  return renderOfflineSql({
    dialect,
    sources: project.sources,
    plan,
    names,
    singleTransaction: options.singleTransaction ?? false,
    tableLockTimeoutMs: options.tableLockTimeoutMs ?? 0,
    title: `dataregistry ${direction} ${range} (offline SQL for ${dialect.name})`,
  });
}

function headsForStart(project: Project, from: string): string[] {
  if (from === 'base' || from === '') return [];
  return planStamp(project.graph, [], parseTarget(from)).headsAfter;
}
