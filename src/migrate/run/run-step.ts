// One step of a run: its revision's statements (or function), then its version-table change and
// history row, in the transaction the runner opened for it, the run's one transaction, or none.
// Outside a transaction a statement that times out on a table lock is retried alone, and a failed
// CREATE INDEX CONCURRENTLY is caught before it is retried. Whole-transaction retries, and which
// transaction a step runs in, are the runner's (migration-runner.ts).

import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { isDataRegistryError } from '../../shared/errors.js';
import type { Revision } from '../graph/revision.js';
import type { RevisionSource } from '../files/revision-source.js';
import type { Step } from '../plan/plan.js';
import { executeAll } from './execute-in-order.js';
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
  TableLockTimedOut,
  type RetryScope,
  type TableLockSession,
} from './table-lock-wait.js';
import type { StepBookkeeping } from './version-table.js';

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

/** What every step of one run shares. */
export interface RunContext {
  readonly handle: DatabaseHandle;
  readonly sources: ReadonlyMap<string, RevisionSource>;
  readonly bookkeeping: StepBookkeeping;
  readonly session: TableLockSession;
}

/**
 * Runs `step` on `db` in `mode` and reports it. A table-lock timeout inside a transaction is thrown
 * as {@link TableLockTimedOut} for the runner to retry; any other failure as REVISION_FAILED.
 */
export async function runStep(
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

function rawQuery(statement: string): CompiledQuery {
  // Statements from revision files are the schema's source code, run verbatim as the database's
  // own client would; they never contain user input.
  return CompiledQuery.raw(statement);
}
