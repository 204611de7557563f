// The migration engine's front door: the only module of migrate/ that the rest of the program
// imports (eslint.config.js enforces it). Commands return data and never print.
// The commands that need Kysely are imported on their first call, so that those which do not
// (history, heads, show, revision, merge) start without it: a static import here put ~240 KB more
// of the bundle on the path of `history` (a figure of docs/benchmarks.md).

import type { MigrateCommand } from './commands/upgrade-downgrade.js';

export { loadProject, type LoadProjectOptions, type Project } from './project.js';

// Commands that need no database: the versions folder listed, new revision files.
export { branches, heads, history, show, type HistoryEntryView } from './commands/history.js';
export {
  merge,
  revision,
  type MergeOptions,
  type RevisionOptions,
  type WrittenRevision,
} from './commands/revision-merge.js';

// Commands that connect (or render SQL): see each implementation for its contract.
export type {
  MigrateCommand,
  MigrateOptions,
  MigrateResult,
} from './commands/upgrade-downgrade.js';
export type { StampOptions, StampResult } from './commands/stamp.js';
export type { CurrentResult } from './commands/current.js';
export type { OfflineOptions } from './commands/migration-sql.js';
export type { DatabaseOptions, LockOptions } from './commands/database-state.js';

/** `upgrade <target>`: applies every revision needed to reach the target. */
export const upgrade: MigrateCommand = onFirstCall(async () => (await databaseCommands()).upgrade);

/** `downgrade <target>`: reverts revisions until the target is reached. */
export const downgrade: MigrateCommand = onFirstCall(
  async () => (await databaseCommands()).downgrade,
);

/** `stamp <target>`: sets the version table without running any revision. */
export const stamp = onFirstCall(async () => (await databaseCommands()).stamp);

/** `current`: the database's revision(s). Read-only. */
export const current = onFirstCall(async () => (await databaseCommands()).current);

/** The database's current heads, checked against the versions folder. Read-only. */
export const currentHeads = onFirstCall(async () => (await databaseCommands()).currentHeads);

/** The heads the version table records, unchecked (for a server's schema status). Read-only. */
export const readRecordedHeads = onFirstCall(
  async () => (await databaseCommands()).readRecordedHeads,
);

/** `upgrade --sql` / `downgrade --sql`: the script that would run. */
export const renderMigrationSql = onFirstCall(
  async () => (await databaseCommands()).renderMigrationSql,
);

/**
 * `check`'s lint: the revision graph and every dialect's rules over a versions folder, as
 * findings (docs/check.md). Imported on first call: its SQL parsers are large.
 */
export const lintRevisions = onFirstCall(
  async () => (await import('./check/index.js')).lintRevisions,
);
/**
 * `check` as a whole: the lint, then the round trip of every revision on a temporary SQLite file
 * and on a scratch database beside each `--db` server (docs/check.md).
 */
export const checkRevisions = onFirstCall(
  async () => (await import('./check/index.js')).checkRevisions,
);
/** `check --drift`: the live database compared with what its recorded heads build from scratch. */
export const checkDrift = onFirstCall(async () => (await import('./check/index.js')).checkDrift);
/** The lint rules, for the reason (`why`) printed beside each finding. */
export async function lintRuleReasons(): Promise<ReadonlyMap<string, string>> {
  const { lintRules } = await import('./check/index.js');
  return new Map(lintRules.map((rule) => [rule.id, rule.why] as const));
}
export type {
  CheckDriftOptions,
  CheckRevisionsOptions,
  CheckRevisionsResult,
  DriftReport,
  RoundTripOutcome,
  Finding,
  LintRevisionsOptions,
  LintRevisionsResult,
  Severity,
} from './check/index.js';

/**
 * `import-alembic`: an Alembic project's revisions converted into SQL revision files, with a report
 * per revision (docs/migrations.md, "Moving from Alembic"). Imported on first call: it brings the
 * Python parser.
 */
export const importAlembic = onFirstCall(
  async () => (await import('./import/alembic/import-alembic.js')).importAlembic,
);
export type {
  ImportAlembicOptions,
  ImportAlembicResult,
  ImportedRevision,
} from './import/alembic/import-alembic.js';

export { isOfflineRange } from './graph/parse-target.js';

// The engine's reports and the words it describes them in (Alembic's).
export type { StepReport } from './run/migration-runner.js';
export { describeStep } from './plan/describe-step.js';
export { describeHolder } from './run/migration-lock.js';
export type { TableLockPolicy, TableLockRetry } from './run/table-lock-wait.js';
export type { Revision } from './graph/revision.js';
export type { RevisionGraph } from './graph/revision-graph.js';

// The engine throws the project's one error type; its codes are in shared/errors.ts.
export { DataRegistryError, isDataRegistryError, type ErrorCode } from '../shared/errors.js';

function databaseCommands() {
  return import('./commands/database-commands.js');
}

/** A command whose module `load` imports when it is first called. */
function onFirstCall<A extends unknown[], R>(
  load: () => Promise<(...args: A) => Promise<R>>,
): (...args: A) => Promise<R> {
  return async (...args) => (await load())(...args);
}
