// Executes a plan against a live database: each step's statements, its version-table change and
// its history row, with the transaction structure the dialect allows. Planning happens elsewhere.

import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';
import type { Revision } from '../graph/revision.js';
import type { RevisionSource } from '../files/revision-source.js';
import type { Plan, Step } from '../plan/plan.js';
import {
  failedWhere,
  invalidIndexLeft,
  partlyApplied,
  revisionFailed,
  revisionsBefore,
  statementsUpTo,
  subjectOf,
  tableLockGaveUp,
  type StatementPosition,
  type TransactionMode,
} from './step-failure.js';
import {
  retryOnTableLockTimeout,
  startTableLockSession,
  TableLockTimedOut,
  type RetryScope,
  type TableLockPolicy,
  type TableLockSession,
} from './table-lock-wait.js';
import {
  createVersionTablesQueries,
  compileStepBookkeeping,
  type StepBookkeeping,
  type VersionTableNames,
} from './version-table.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export interface StepReport {
  readonly direction: Step['direction'];
  readonly revision: Revision;
  /** The heads before the step: the "from" of `Running upgrade a -> b`. */
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  readonly durationMs: number;
}

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

/** What every step of one run shares. */
interface RunContext {
  readonly handle: DatabaseHandle;
  readonly sources: ReadonlyMap<string, RevisionSource>;
  readonly bookkeeping: StepBookkeeping;
  readonly session: TableLockSession;
}

async function runStep(
  run: RunContext,
  db: AnyDb,
  step: Step,
  mode: TransactionMode,
  completedBefore: number,
): Promise<StepReport> {
  if (mode !== 'alone, begun with the first statement') {
    return runStepBody(run, db, step, mode, completedBefore);
  }
  let begun = false;
  try {
    const report = await runStepBody(run, db, step, mode, completedBefore, () => {
      begun = true;
    });
    await db.executeQuery(CompiledQuery.raw('COMMIT'));
    return report;
  } catch (error) {
    // The transaction failed (or its connection is gone): end it, and report the first error.
    if (begun) await db.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
    throw error;
  }
}

async function runStepBody(
  run: RunContext,
  db: AnyDb,
  step: Step,
  mode: TransactionMode,
  completedBefore: number,
  onBegin?: () => void,
): Promise<StepReport> {
  const { handle } = run;
  const source = run.sources.get(step.revision.id);
  if (!source) {
    throw new Error(`No source loaded for revision ${step.revision.id}`);
  }
  const started = performance.now();
  const body = await source.loadBody(step.direction, handle.dialect.name);
  // `BEGIN` (and the transaction's lock timeout) rides with the first statement when there is
  // one; neither can fail, so an error of that query is the statement's own.
  const begin = ['BEGIN', ...run.session.inTransaction].map((statement) => `${statement};\n`);
  let beginPrefix = onBegin === undefined ? '' : begin.join('');
  const openTransaction = async () => {
    if (beginPrefix === '') return;
    onBegin?.();
    beginPrefix = '';
    await db.executeQuery(CompiledQuery.raw(begin.join('').trimEnd()));
  };
  const refuseInvalidIndexes = await guardInvalidIndexes(handle, step, mode);
  let statementIndex = -1;
  let statementCount = 0;
  try {
    if (body.kind === 'sql') {
      statementCount = body.statements.length;
      for (const [index, statement] of body.statements.entries()) {
        statementIndex = index;
        if (beginPrefix !== '') onBegin?.();
        const text = beginPrefix + statement;
        beginPrefix = '';
        const where = failedWhere(step, statement, index, statementCount);
        const execute = async () => {
          try {
            await db.executeQuery(rawQuery(text));
          } catch (error) {
            throw asTableLockTimeout(handle, error, where, step, mode);
          }
        };
        if (mode === 'autocommit') {
          await retryStatement(
            run,
            step,
            { index, count: statementCount, where, completedBefore },
            execute,
            refuseInvalidIndexes,
          );
        } else {
          await execute();
        }
      }
      statementIndex = -1;
      await openTransaction();
    } else {
      await openTransaction();
      try {
        await body.run(db);
      } catch (error) {
        // Outside a transaction the queries the function ran before stay applied: no retry.
        if (mode === 'autocommit') throw error;
        throw asTableLockTimeout(handle, error, `in its ${step.direction}() function`, step, mode);
      }
    }
  } catch (error) {
    if (error instanceof TableLockTimedOut || isDataRegistryError(error)) throw error;
    await refuseInvalidIndexes(
      error,
      failedWhere(
        step,
        body.kind === 'sql' ? body.statements[statementIndex] : undefined,
        statementIndex,
        statementCount,
      ),
    );
    throw revisionFailed(error, handle, step, {
      statementIndex,
      statementCount,
      statement: body.kind === 'sql' ? body.statements[statementIndex] : undefined,
      mode,
      completedBefore,
    });
  }
  const bookkeeping = run.bookkeeping(step.versionChange, {
    revision: step.revision.id,
    direction: step.direction,
    durationMs: Math.round(performance.now() - started),
    checksum: step.direction === 'upgrade' ? source.checksum : null,
  });
  if (mode === 'autocommit' && bookkeeping.length > 1) {
    // Without transactional DDL the version change still commits as one unit.
    await db.transaction().execute((trx) => executeAll(trx, bookkeeping));
  } else {
    await executeAll(db, bookkeeping);
  }
  return {
    direction: step.direction,
    revision: step.revision,
    headsBefore: step.headsBefore,
    headsAfter: step.headsAfter,
    durationMs: performance.now() - started,
  };
}

/**
 * A no-transaction revision's CREATE INDEX CONCURRENTLY that fails leaves an invalid index
 * (PostgreSQL): the guard notes the invalid indexes before the step, and after a failure throws
 * REVISION_FAILED naming any new one and its DROP, so that it is neither retried nor forgotten.
 */
async function guardInvalidIndexes(
  handle: DatabaseHandle,
  step: Step,
  mode: TransactionMode,
): Promise<(error: unknown, where: string) => Promise<void>> {
  if (mode !== 'autocommit' || step.revision.isTransactional) return () => Promise.resolve();
  const before = new Set((await handle.dialect.readInvalidIndexes()).map((index) => index.name));
  return async (error, where) => {
    const left = (await handle.dialect.readInvalidIndexes()).filter((i) => !before.has(i.name));
    if (left.length > 0) throw invalidIndexLeft(error, step, where, left);
  };
}

/** A lock-wait timeout as the retry loop's signal; any other error as it is. */
function asTableLockTimeout(
  handle: DatabaseHandle,
  error: unknown,
  where: string,
  step: Step,
  mode: TransactionMode,
): unknown {
  if (handle.dialect.classifyError(error) !== 'lock-timeout') return error;
  // In the run's one transaction the retry is the run's: say which revision was waiting.
  const inRevision =
    mode === 'together' ? `in ${step.direction} ${step.revision.id} (${step.revision.path}) ` : '';
  return new TableLockTimedOut(`${inRevision}${where}`, step.revision.id, error);
}

/**
 * A statement outside a transaction (MySQL's DDL, a no-transaction revision) retried alone:
 * the statements before it were committed and must not run twice.
 */
function retryStatement(
  run: RunContext,
  step: Step,
  position: StatementPosition,
  execute: () => Promise<void>,
  refuseInvalidIndexes: (error: unknown, where: string) => Promise<void>,
): Promise<void> {
  const { index } = position;
  const scope: RetryScope = {
    subject: subjectOf(step),
    retried:
      index === 0
        ? 'the statement'
        : `statement ${index + 1} alone (${statementsUpTo(index)} ${index === 1 ? 'stays' : 'stay'} applied)`,
    afterTimeout: (failure) => refuseInvalidIndexes(failure.cause, failure.where),
    giveUp: (failure, holders, attempts) =>
      index === 0
        ? tableLockGaveUp(run.session.policy.timeoutMs, failure, holders, attempts, {
            subject: subjectOf(step),
            consequence: `Nothing of it was applied; ${revisionsBefore(position.completedBefore)} stay applied.`,
          })
        : partlyApplied(run.session.policy.timeoutMs, step, failure, holders, attempts, position),
  };
  return retryOnTableLockTimeout(run.session, scope, execute);
}

async function executeRaw(db: AnyDb, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await db.executeQuery(CompiledQuery.raw(statement));
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

async function executeAll(db: AnyDb, queries: readonly CompiledQuery[]): Promise<void> {
  for (const query of queries) await db.executeQuery(query);
}

function rawQuery(statement: string): CompiledQuery {
  // Statements from revision files are the schema's source code, run verbatim as the database's
  // own client would; they never contain user input.
  return CompiledQuery.raw(statement);
}
