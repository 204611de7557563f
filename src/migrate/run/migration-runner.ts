// Executes a plan against a live database: each step's statements, its version-table change and
// its history row, with the transaction structure the dialect allows. Planning happens elsewhere.

import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';
import type { Revision } from '../graph/revision.js';
import type { RevisionSource } from '../files/revision-source.js';
import type { Plan, Step } from '../plan/plan.js';
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
    const run: RunContext = {
      handle,
      sources,
      bookkeeping: compileStepBookkeeping(connection, handle.dialect, names),
    };
    const reports: StepReport[] = [];
    const completed = () => reports.length;
    if (options.singleTransaction) {
      await connection.transaction().execute(async (trx) => {
        for (const step of plan.steps) {
          reports.push(await runStep(run, trx, step, 'together', completed()));
        }
      });
      // Reported only after COMMIT, so that nothing is announced that did not happen.
      for (const report of reports) options.onStep?.(report);
      return reports;
    }
    for (const step of plan.steps) {
      const inTransaction =
        handle.dialect.supportsTransactionalDdl && step.revision.isTransactional;
      const report = !inTransaction
        ? await runStep(run, connection, step, 'autocommit', completed())
        : handle.dialect.acceptsStatementBatches
          ? await runStep(
              run,
              connection,
              step,
              'alone, begun with the first statement',
              completed(),
            )
          : await connection
              .transaction()
              .execute((trx) => runStep(run, trx, step, 'alone', completed()));
      reports.push(report);
      options.onStep?.(report);
    }
    return reports;
  });
}

/** What every step of one run shares. */
interface RunContext {
  readonly handle: DatabaseHandle;
  readonly sources: ReadonlyMap<string, RevisionSource>;
  readonly bookkeeping: StepBookkeeping;
}

/**
 * How a step's transaction is held: its own transaction (`alone`: opened and closed by Kysely, or,
 * where the dialect accepts statement batches, by the step itself, whose `BEGIN` travels with its
 * first statement), the run's one transaction (`together`), or none (`autocommit`).
 */
type TransactionMode =
  'alone' | 'alone, begun with the first statement' | 'together' | 'autocommit';

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
  // `BEGIN` rides with the first statement when there is one; it cannot fail, so an error of
  // that query is the statement's own.
  let beginPrefix = onBegin === undefined ? '' : 'BEGIN;\n';
  const openTransaction = async () => {
    if (beginPrefix === '') return;
    onBegin?.();
    beginPrefix = '';
    await db.executeQuery(CompiledQuery.raw('BEGIN'));
  };
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
        await db.executeQuery(rawQuery(text));
      }
      statementIndex = -1;
      await openTransaction();
    } else {
      await openTransaction();
      await body.run(db);
    }
  } catch (error) {
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

interface FailureContext {
  readonly statementIndex: number;
  readonly statementCount: number;
  readonly statement: string | undefined;
  readonly mode: TransactionMode;
  readonly completedBefore: number;
}

function revisionFailed(
  error: unknown,
  handle: DatabaseHandle,
  step: Step,
  context: FailureContext,
): DataRegistryError {
  if (isDataRegistryError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const { revision } = step;
  if (handle.dialect.classifyError(error) === 'connection') {
    return new DataRegistryError(
      'DATABASE_UNAVAILABLE',
      `Lost the database (${handle.displayUrl}) while running ${step.direction} ${revision.id}: ${reason}`,
      { revision: revision.id },
      { cause: error },
    );
  }
  const where =
    context.statement === undefined
      ? `in its ${step.direction}() function`
      : `at statement ${context.statementIndex + 1} of ${context.statementCount} [${excerpt(context.statement)}]`;
  return new DataRegistryError(
    'REVISION_FAILED',
    `${capitalise(step.direction)} ${revision.id} (${revision.path}) failed ${where}: ${reason}. ` +
      consequence(step, context),
    {
      revision: revision.id,
      path: revision.path,
      statementIndex: context.statementIndex,
      statement: context.statement,
    },
    { cause: error },
  );
}

function consequence(step: Step, context: FailureContext): string {
  const before = `${context.completedBefore} revision${context.completedBefore === 1 ? '' : 's'} before it in this run`;
  switch (context.mode) {
    case 'together':
      return 'The whole run was rolled back (--single-transaction); the database is as it was.';
    case 'alone':
    case 'alone, begun with the first statement':
      return `The revision was rolled back; ${before} stay applied.`;
    case 'autocommit': {
      // A JavaScript revision (no statement) runs its queries one by one here, each committed.
      const earlier =
        context.statement === undefined
          ? `The queries its ${step.direction}() function ran before failing may have been applied (this database commits DDL implicitly); check the schema before running it again. `
          : context.statementIndex > 0
            ? `Its statements 1-${context.statementIndex} may have been applied (this database commits DDL implicitly); check the schema before running it again. `
            : '';
      return `${earlier}The version table still records the state before ${step.revision.id}; ${before} stay applied.`;
    }
    default:
      return context.mode satisfies never;
  }
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

function excerpt(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
