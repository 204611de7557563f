// The engine's commands: upgrade, downgrade, stamp, current, history, heads, branches, show,
// revision, merge. Each returns data and never prints; the CLI (or any caller) presents it.

import type { DatabaseHandle } from '../db/database-handle.js';
import type { DialectAdapter, LockHolder } from '../db/dialect-adapter.js';
import { DataRegistryError } from '../shared/errors.js';
import type { Revision } from './graph/revision.js';
import { parseTarget } from './graph/parse-target.js';
import { planDowngrade, planStamp, planUpgrade, type Plan } from './plan/plan.js';
import { acquireMigrationLock } from './run/migration-lock.js';
import { runPlan, type StepReport } from './run/migration-runner.js';
import { renderOfflineSql } from './run/offline-sql.js';
import {
  createVersionTablesQueries,
  historyInsertQuery,
  readAppliedChecksums,
  readCurrentHeads,
  versionChangeQueries,
  versionTableNames,
  type VersionTableNames,
} from './run/version-table.js';
import type { Project } from './project.js';

export * from './project.js';

export interface DatabaseOptions {
  /** Version table name; the history table is `<name>_history`. */
  readonly versionTable?: string;
}

export interface MigrateOptions extends DatabaseOptions {
  readonly singleTransaction?: boolean;
  /** Milliseconds to wait for the migration lock; undefined waits as long as it takes. */
  readonly lockTimeoutMs?: number;
  readonly onStep?: (report: StepReport) => void;
  readonly onLockWait?: (holder: LockHolder | undefined, waitedMs: number) => void;
  /** Called once, before any step runs, with warnings about applied revisions whose file changed. */
  readonly onWarnings?: (warnings: readonly string[]) => void;
}

export interface MigrateResult {
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  readonly steps: readonly StepReport[];
}

/** `upgrade <target>`: applies every revision needed to reach the target. */
export function upgrade(
  handle: DatabaseHandle,
  project: Project,
  target: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const parsed = parseTarget(target);
  return migrate(handle, project, options, (heads) => planUpgrade(project.graph, heads, parsed));
}

/** `downgrade <target>`: reverts revisions until the target is reached. */
export function downgrade(
  handle: DatabaseHandle,
  project: Project,
  target: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const parsed = parseTarget(target);
  return migrate(handle, project, options, (heads) => planDowngrade(project.graph, heads, parsed));
}

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
  const headsSeen = await currentHeadsOf(handle, project, names);
  const unlockedPlan = plan(headsSeen);
  if (unlockedPlan.steps.length === 0) {
    options.onWarnings?.(await changedFileWarnings(handle, project, names, headsSeen));
    return { headsBefore: headsSeen, headsAfter: unlockedPlan.headsAfter, steps: [] };
  }
  const lock = await acquireMigrationLock(handle, {
    lockName: names.version,
    timeoutMs: options.lockTimeoutMs,
    onWait: options.onLockWait,
  });
  try {
    // Read under the lock: a run that waited finds what the previous run applied.
    const { heads: headsBefore, hasVersionTable } = await readHeadsChecked(handle, project, names);
    options.onWarnings?.(await changedFileWarnings(handle, project, names, headsBefore));
    const thePlan = plan(headsBefore);
    const steps = await runPlan(handle, project.sources, thePlan, names, {
      singleTransaction: options.singleTransaction ?? false,
      versionTablesExist: hasVersionTable,
      onStep: options.onStep,
    });
    return { headsBefore, headsAfter: thePlan.headsAfter, steps };
  } finally {
    await lock.release();
  }
}

export interface OfflineOptions extends DatabaseOptions {
  readonly singleTransaction?: boolean;
}

/**
 * `upgrade --sql` / `downgrade --sql`: the script that would run. `range` is either a target
 * (the starting point is then `startHeads`, read from the database by the caller) or
 * `<from>:<to>`, which needs no database.
 */
export async function renderMigrationSql(
  dialect: DialectAdapter,
  project: Project,
  direction: 'upgrade' | 'downgrade',
  range: string,
  startHeads: readonly string[],
  options: OfflineOptions = {},
): Promise<string> {
  const names = versionTableNames(options.versionTable);
  const { from, to } = splitOfflineRange(range);
  const heads = from === undefined ? startHeads : headsForStart(project, from);
  const target = parseTarget(to);
  const plan =
    direction === 'upgrade'
      ? planUpgrade(project.graph, heads, target)
      : planDowngrade(project.graph, heads, target);
  return renderOfflineSql({
    dialect,
    sources: project.sources,
    plan,
    names,
    singleTransaction: options.singleTransaction ?? false,
    title: `dataregistry ${direction} ${range} (offline SQL for ${dialect.name})`,
  });
}

/** True when the target names its own starting point (`<from>:<to>`), so no database is needed. */
export function isOfflineRange(range: string): boolean {
  return splitOfflineRange(range).from !== undefined;
}

function splitOfflineRange(range: string): { from: string | undefined; to: string } {
  const colon = range.indexOf(':');
  if (colon < 0) return { from: undefined, to: range };
  return { from: range.slice(0, colon), to: range.slice(colon + 1) };
}

function headsForStart(project: Project, from: string): string[] {
  if (from === 'base' || from === '') return [];
  return planStamp(project.graph, [], parseTarget(from)).headsAfter;
}

export interface StampResult {
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

/** `stamp <target>`: sets the version table without running any revision. */
export async function stamp(
  handle: DatabaseHandle,
  project: Project,
  target: string,
  options: MigrateOptions = {},
): Promise<StampResult> {
  const names = versionTableNames(options.versionTable);
  const parsed = parseTarget(target);
  const lock = await acquireMigrationLock(handle, {
    lockName: names.version,
    timeoutMs: options.lockTimeoutMs,
    onWait: options.onLockWait,
  });
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

export interface CurrentResult {
  /** Revisions recorded in the version table, each marked when it is a head of the graph. */
  readonly heads: readonly { readonly revision: Revision; readonly isHead: boolean }[];
  readonly warnings: readonly string[];
}

/** `current`: the database's revision(s). Read-only. */
export async function current(
  handle: DatabaseHandle,
  project: Project,
  options: DatabaseOptions = {},
): Promise<CurrentResult> {
  const names = versionTableNames(options.versionTable);
  const heads = await currentHeadsOf(handle, project, names);
  const graphHeads = new Set(project.graph.heads().map((r) => r.id));
  return {
    heads: heads.map((id) => ({ revision: project.graph.get(id), isHead: graphHeads.has(id) })),
    warnings: await changedFileWarnings(handle, project, names, heads),
  };
}

/** The database's current heads, checked against the versions folder. */
export async function currentHeadsOf(
  handle: DatabaseHandle,
  project: Project,
  names: VersionTableNames,
): Promise<string[]> {
  return (await readHeadsChecked(handle, project, names)).heads;
}

async function readHeadsChecked(
  handle: DatabaseHandle,
  project: Project,
  names: VersionTableNames,
): Promise<{ heads: string[]; hasVersionTable: boolean }> {
  const read = await readCurrentHeads(handle.db, handle.dialect, names);
  const heads = read ?? [];
  const missing = heads.filter((id) => !project.graph.has(id));
  if (missing.length > 0) {
    throw new DataRegistryError(
      'APPLIED_REVISION_MISSING',
      `The database (${handle.displayUrl}) is at revision ${missing.join(', ')}, which no file in ${project.versionsDir} declares. ` +
        'Check --dir (or DATA_REGISTRY_MIGRATIONS_DIR) and that the file was not deleted; `dataregistry stamp <revision>` records another revision without running anything.',
      { missing },
    );
  }
  return { heads, hasVersionTable: read !== undefined };
}

async function changedFileWarnings(
  handle: DatabaseHandle,
  project: Project,
  names: VersionTableNames,
  heads: readonly string[],
): Promise<string[]> {
  if (heads.length === 0) return [];
  const recorded = await readAppliedChecksums(handle.db, handle.dialect, names);
  const applied = project.graph.appliedSet(heads);
  const warnings: string[] = [];
  for (const revision of project.graph.all()) {
    if (!applied.has(revision.id)) continue;
    const then = recorded.get(revision.id);
    const now = project.sources.get(revision.id)?.checksum;
    if (then !== undefined && now !== undefined && then !== now) {
      warnings.push(
        `${revision.path} changed after revision ${revision.id} was applied (checksum differs); the database ran the earlier text.`,
      );
    }
  }
  return warnings;
}
