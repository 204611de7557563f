// `upgrade <target>` and `downgrade <target>`: plan under the migration lock, then run the steps.
// Returns what was done; reports progress through callbacks and never prints.

import type { DatabaseHandle } from '../../db/database-handle.js';
import { parseTarget } from '../graph/parse-target.js';
import { planMigration, type Plan, type Step } from '../plan/plan.js';
import type { Project } from '../project.js';
import { runPlan, type StepReport } from '../run/migration-runner.js';
import { hasHistoryTable, versionTableNames } from '../run/version-table.js';
import { refuseNotConverted } from './refuse-not-converted.js';
import {
  acquireLock,
  changedFileWarnings,
  readHeadsChecked,
  type DatabaseOptions,
  type LockOptions,
} from './database-state.js';

export interface MigrateOptions extends DatabaseOptions, LockOptions {
  readonly singleTransaction?: boolean;
  readonly onStep?: (report: StepReport) => void;
  /** Called once, before any step runs, with warnings about applied revisions whose file changed. */
  readonly onWarnings?: (warnings: readonly string[]) => void;
}

export interface MigrateResult {
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  readonly steps: readonly StepReport[];
}

/** `upgrade` or `downgrade`: the database, the versions folder, the target and the options. */
export type MigrateCommand = (
  handle: DatabaseHandle,
  project: Project,
  target: string,
  options?: MigrateOptions,
) => Promise<MigrateResult>;

function migrateCommand(direction: Step['direction']): MigrateCommand {
  return (handle, project, target, options = {}) => {
    const parsed = parseTarget(target);
    return migrate(handle, project, options, (heads) => {
      const plan = planMigration(direction, project.graph, heads, parsed);
      refuseNotConverted(plan);
      return plan;
    });
  };
}

/** `upgrade <target>`: applies every revision needed to reach the target. */
export const upgrade: MigrateCommand = migrateCommand('upgrade');

/** `downgrade <target>`: reverts revisions until the target is reached. */
export const downgrade: MigrateCommand = migrateCommand('downgrade');

async function migrate(
  handle: DatabaseHandle,
  project: Project,
  options: MigrateOptions,
  plan: (currentHeads: readonly string[]) => Plan,
): Promise<MigrateResult> {
  const names = versionTableNames(options.versionTable);
  // The common deploy case has nothing to do: answer it without taking the lock. An empty plan
  // read outside the lock is still right, since the target is already reached; any other plan
  // is made again under the lock.
  const { heads: headsSeen } = await readHeadsChecked(handle, project, names);
  const unlockedPlan = plan(headsSeen);
  if (unlockedPlan.steps.length === 0) {
    options.onWarnings?.(await changedFileWarnings(handle, project, names, headsSeen));
    return { headsBefore: headsSeen, headsAfter: unlockedPlan.headsAfter, steps: [] };
  }
  const lock = await acquireLock(handle, names, options);
  try {
    // Read under the lock: a run that waited finds what the previous run applied.
    const { heads: headsBefore, hasVersionTable } = await readHeadsChecked(handle, project, names);
    options.onWarnings?.(await changedFileWarnings(handle, project, names, headsBefore));
    const thePlan = plan(headsBefore);
    const steps = await runPlan(handle, project.sources, thePlan, names, {
      singleTransaction: options.singleTransaction ?? false,
      versionTablesExist: hasVersionTable,
      historyTableExists:
        hasVersionTable && (await hasHistoryTable(handle.db, handle.dialect, names)),
      onStep: options.onStep,
      tableLock: options.tableLock,
    });
    return { headsBefore, headsAfter: thePlan.headsAfter, steps };
  } finally {
    await lock.release();
  }
}
