// Executes a plan against a live database: with the transaction structure the dialect allows (the
// whole plan in one transaction, each step in its own, or none), retrying a transaction whole when
// it times out on a table lock. Each step itself runs in run-step.ts; planning happens elsewhere.

import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { DataRegistryError } from '../../shared/errors.js';
import type { RevisionSource } from '../files/revision-source.js';
import type { Plan, Step } from '../plan/plan.js';
import { executeAll, executeRaw } from './execute-in-order.js';
import { runStep, type RunContext, type StepReport } from './run-step.js';
import { revisionsBefore, subjectOf, tableLockGaveUp } from './step-failure.js';
import {
  retryOnTableLockTimeout,
  startTableLockSession,
  type RetryScope,
  type TableLockPolicy,
} from './table-lock-wait.js';
import {
  createVersionTablesQueries,
  compileStepBookkeeping,
  type VersionTableNames,
} from './version-table.js';

export type { StepReport } from './run-step.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export interface RunPlanOptions {
  /** Run the whole plan in one transaction (all or nothing). */
  readonly singleTransaction: boolean;
  /**
   * The version table is known to exist (read under the lock), so the run need not create the
   * tables. The history table is created first, so it exists whenever the version table does.
   */
  readonly versionTablesExist?: boolean;
  /**
   * False when the version table exists without its history table (one Alembic created): the run
   * then creates the history table alone. Undefined or true: nothing more to create.
   */
  readonly historyTableExists?: boolean;
  /** Called after each step has been committed (or, in single-transaction mode, executed). */
  readonly onStep?: (report: StepReport) => void;
  /** How long statements wait for table locks, and how timeouts are retried; default: no bound. */
  readonly tableLock?: TableLockPolicy;
}

/**
 * Runs `plan` and returns one report per step. On failure throws REVISION_FAILED naming the
 * revision, its file and the failing statement; steps completed before it stay applied unless
 * `singleTransaction` is set (then nothing stays). Caller must hold the migration lock.
 */
export async function runPlan(
  handle: DatabaseHandle,
  sources: ReadonlyMap<string, RevisionSource>,
  plan: Plan,
  names: VersionTableNames,
  options: RunPlanOptions,
): Promise<StepReport[]> {
  checkSingleTransactionAllowed(handle, plan, options.singleTransaction);
  // One pinned connection for the run: session settings made by one revision (SET …) and the
  // lock-holding session behave as they would in the database's own client.
  return handle.db.connection().execute(async (connection) => {
    const [createHistory, createVersion] = createVersionTablesQueries(
      connection,
      handle.dialect,
      names,
    );
    if (options.versionTablesExist !== true) {
      await executeAll(connection, [createHistory!, createVersion!]);
    } else if (options.historyTableExists === false) {
      // A version table another tool made (Alembic's alembic_version, taken over as it is): the
      // history table is added beside it, and nothing else changes.
      await executeAll(connection, [createHistory!]);
    }
    const session = await startTableLockSession(handle, connection, options.tableLock);
    try {
      const run: RunContext = {
        handle,
        sources,
        session,
        bookkeeping: compileStepBookkeeping(connection, handle.dialect, names),
      };
      if (options.singleTransaction) {
        const reports = await runTogether(run, connection, plan);
        // Reported only after COMMIT, so that nothing is announced that did not happen.
        for (const report of reports) options.onStep?.(report);
        return reports;
      }
      const reports: StepReport[] = [];
      for (const step of plan.steps) {
        const report = await runAlone(run, connection, step, reports.length);
        reports.push(report);
        options.onStep?.(report);
      }
      return reports;
    } finally {
      await session.end();
    }
  });
}

/** The whole plan in one transaction; a lock timeout rolls it all back and runs it again. */
function runTogether(run: RunContext, connection: AnyDb, plan: Plan): Promise<StepReport[]> {
  const scope: RetryScope = {
    subject: 'The run (--single-transaction)',
    retried: 'the whole run',
    giveUp: (failure, holders, attempts) =>
      tableLockGaveUp(run.session.policy.timeoutMs, failure, holders, attempts, {
        subject: 'The run',
        consequence:
          'The whole run was rolled back (--single-transaction); the database is as it was.',
      }),
  };
  return retryOnTableLockTimeout(run.session, scope, () =>
    connection.transaction().execute(async (trx) => {
      await executeRaw(trx, run.session.inTransaction);
      const reports: StepReport[] = [];
      for (const step of plan.steps) {
        reports.push(await runStep(run, trx, step, 'together', reports.length));
      }
      return reports;
    }),
  );
}

/**
 * One step in its own transaction where the dialect and revision allow (retried whole after a
 * lock timeout, its transaction rolled back), else outside any (retried statement by statement).
 */
async function runAlone(
  run: RunContext,
  connection: AnyDb,
  step: Step,
  completedBefore: number,
): Promise<StepReport> {
  const { handle, session } = run;
  const inTransaction = handle.dialect.supportsTransactionalDdl && step.revision.isTransactional;
  if (!inTransaction) {
    await executeRaw(connection, session.beforeAutocommit);
    try {
      return await runStep(run, connection, step, 'autocommit', completedBefore);
    } finally {
      await executeRaw(connection, session.afterAutocommit).catch(() => undefined);
    }
  }
  const scope: RetryScope = {
    subject: subjectOf(step),
    retried: 'the revision',
    giveUp: (failure, holders, attempts) =>
      tableLockGaveUp(run.session.policy.timeoutMs, failure, holders, attempts, {
        subject: subjectOf(step),
        consequence: `The revision was rolled back; ${revisionsBefore(completedBefore)} stay applied.`,
      }),
  };
  return retryOnTableLockTimeout(session, scope, () =>
    handle.dialect.acceptsStatementBatches
      ? runStep(run, connection, step, 'alone, begun with the first statement', completedBefore)
      : connection.transaction().execute(async (trx) => {
          await executeRaw(trx, session.inTransaction);
          return runStep(run, trx, step, 'alone', completedBefore);
        }),
  );
}

function checkSingleTransactionAllowed(
  handle: DatabaseHandle,
  plan: Plan,
  singleTransaction: boolean,
): void {
  if (!singleTransaction) return;
  if (!handle.dialect.supportsTransactionalDdl) {
    throw new DataRegistryError(
      'NO_TRANSACTION_CONFLICT',
      `--single-transaction cannot make a run all-or-nothing on ${handle.dialect.name}: it commits DDL implicitly. Run without --single-transaction.`,
    );
  }
  const outside = plan.steps.filter((step) => !step.revision.isTransactional);
  if (outside.length > 0) {
    throw new DataRegistryError(
      'NO_TRANSACTION_CONFLICT',
      `--single-transaction cannot include ${outside.map((s) => `${s.revision.id} (${s.revision.path})`).join(', ')}, marked -- migrate:no-transaction. Run without --single-transaction, or in two runs around it.`,
      { revisions: outside.map((s) => s.revision.id) },
    );
  }
}
