// How a failed step is told: which revision, where, what was rolled back or stays applied, and
// what to do next, for REVISION_FAILED, TABLE_LOCK_TIMEOUT and the invalid index that a failed
// CREATE INDEX CONCURRENTLY leaves. Wording only: it runs nothing.

import type { DatabaseHandle } from '../../db/database-handle.js';
import type { InvalidIndex, TableLockHolder } from '../../db/dialect-adapter.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';
import type { Step } from '../plan/plan.js';
import { describeLockHolders, formatSeconds, type TableLockTimedOut } from './table-lock-wait.js';

/**
 * How a step's transaction is held: its own transaction (`alone`: opened and closed by Kysely, or,
 * where the dialect accepts statement batches, by the step itself, whose `BEGIN` travels with its
 * first statement), the run's one transaction (`together`), or none (`autocommit`).
 */
export type TransactionMode =
  'alone' | 'alone, begun with the first statement' | 'together' | 'autocommit';

export interface StatementPosition {
  readonly index: number;
  readonly count: number;
  readonly where: string;
  readonly completedBefore: number;
}

export interface FailureContext {
  readonly statementIndex: number;
  readonly statementCount: number;
  readonly statement: string | undefined;
  readonly mode: TransactionMode;
  readonly completedBefore: number;
}

export function revisionFailed(
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

export function tableLockGaveUp(
  timeoutMs: number,
  failure: TableLockTimedOut,
  holders: readonly TableLockHolder[],
  attempts: number,
  words: { subject: string; consequence: string },
): DataRegistryError {
  const timeout = formatSeconds(timeoutMs);
  return new DataRegistryError(
    'TABLE_LOCK_TIMEOUT',
    `${words.subject} gave up waiting for a table lock after ${attempts} attempt${attempts === 1 ? '' : 's'} of ${timeout} ${failure.where}: ` +
      `${describeLockHolders(holders)}. ${words.consequence} ` +
      'Run it again once that lock is released, or raise --table-lock-retries.',
    { revision: failure.revision, attempts, holders },
    { cause: failure.cause },
  );
}

export function partlyApplied(
  timeoutMs: number,
  step: Step,
  failure: TableLockTimedOut,
  holders: readonly TableLockHolder[],
  attempts: number,
  position: StatementPosition,
): DataRegistryError {
  const { index, count } = position;
  const rest = index + 1 === count ? `statement ${count}` : `statements ${index + 1}-${count}`;
  return new DataRegistryError(
    'REVISION_FAILED',
    `${subjectOf(step)} gave up waiting for a table lock after ${attempts} attempts of ${formatSeconds(timeoutMs)} ${failure.where}: ` +
      `${describeLockHolders(holders)}. Its ${statementsUpTo(index)} ${index === 1 ? 'was' : 'were'} applied (this database commits DDL implicitly), and the version table still records the state before ${step.revision.id}: ` +
      `run ${rest} by hand and \`dataregistry stamp ${step.revision.id}\`, or revert ${statementsUpTo(index)}, before running it again.`,
    {
      revision: step.revision.id,
      path: step.revision.path,
      statementIndex: index,
      attempts,
      holders,
    },
    { cause: failure.cause },
  );
}

export function invalidIndexLeft(
  error: unknown,
  step: Step,
  where: string,
  left: readonly InvalidIndex[],
): DataRegistryError {
  const reason = error instanceof Error ? error.message : String(error);
  const names = left.map((index) => index.name).join(', ');
  return new DataRegistryError(
    'REVISION_FAILED',
    `${subjectOf(step)} failed ${where}: ${reason}. It left the invalid index ${names} behind (a CREATE INDEX CONCURRENTLY that fails is not rolled back); ` +
      `remove it with ${left.map((index) => index.dropStatement).join(' ')} before running the revision again. The version table still records the state before ${step.revision.id}.`,
    {
      revision: step.revision.id,
      path: step.revision.path,
      invalidIndexes: left.map((i) => i.name),
    },
    { cause: error },
  );
}

export function failedWhere(
  step: Step,
  statement: string | undefined,
  statementIndex: number,
  statementCount: number,
): string {
  return statement === undefined
    ? `in its ${step.direction}() function`
    : `at statement ${statementIndex + 1} of ${statementCount} [${excerpt(statement)}]`;
}

/** `Upgrade ae10f2 (versions/…sql)`. */
export function subjectOf(step: Step): string {
  return `${capitalise(step.direction)} ${step.revision.id} (${step.revision.path})`;
}

/** `statement 1`, `statements 1-3`. */
export function statementsUpTo(count: number): string {
  return count === 1 ? 'statement 1' : `statements 1-${count}`;
}

export function revisionsBefore(count: number): string {
  return `${count} revision${count === 1 ? '' : 's'} before it in this run`;
}

export function excerpt(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
