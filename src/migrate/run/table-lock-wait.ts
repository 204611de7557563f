// Giving way instead of blocking traffic: a revision's statements wait only briefly for a table
// lock, and a wait that times out is retried after a backoff, naming who holds the lock. Why: a
// DDL statement waiting for its lock queues every later query on the table behind it
// (PostgreSQL's lock queue, MySQL's metadata locks), so a long wait stalls the running API.
// The dialect provides the SQL and the view of who holds what; this module decides when to
// retry and words what happened. It never prints: retries are reported through a callback.

import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { TableLockHolder, TableLockTimeoutSql } from '../../db/dialect-adapter.js';
import { executeRaw } from './execute-in-order.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** How long a statement may wait for a table lock, and how often a timed-out wait is retried. */
export interface TableLockPolicy {
  /** Milliseconds each lock wait may take; 0 sets no bound (the database's own setting applies). */
  readonly timeoutMs: number;
  /** Attempts after the first one that timed out; 0 gives up at the first timeout. */
  readonly retries: number;
  /** Called once per retry, before its backoff. */
  readonly onRetry?: (retry: TableLockRetry) => void;
}

/** One retry, as reported: what timed out, which attempt, who holds the lock, how long until the next. */
export interface TableLockRetry {
  /** What is retried, e.g. `Upgrade ae10f2 (versions/…sql)` or `Stamp`. */
  readonly subject: string;
  /** The revision, when a revision's statement timed out. */
  readonly revision: string | undefined;
  /** `at statement 2 of 3 [ALTER TABLE …]`, or empty when not known. */
  readonly where: string;
  /** What runs again: `the revision`, `statement 2 (the statements before it stay applied)`… */
  readonly retried: string;
  /** The attempt that timed out (1 is the first) and how many there may be in all. */
  readonly attempt: number;
  readonly attempts: number;
  readonly delayMs: number;
  readonly holders: readonly TableLockHolder[];
  /** The whole line: `<subject>: … (attempt 1 of 11); held by pid …; retrying … in 0.6 s`. */
  readonly message: string;
}

/** Backoff before retry n (1-based): 0.5 s doubling to at most 10 s, each with jitter. */
export function retryDelayMs(retry: number, random: () => number = Math.random): number {
  const nominal = Math.min(500 * 2 ** (retry - 1), 10_000);
  // Half fixed, half random ("equal jitter"): two runs that timed out together spread apart,
  // and no wait is shorter than half the nominal one.
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}

/**
 * The table-lock bound of one pinned connection for one run: set for the whole session where the
 * dialect has no transaction-scoped form (MySQL, SQLite), else per transaction (PostgreSQL's
 * SET LOCAL), and the session id that the lock-holder queries need.
 */
export interface TableLockSession {
  readonly policy: TableLockPolicy;
  readonly handle: DatabaseHandle;
  readonly sessionId: number | undefined;
  /** Statements to run first in each transaction (PostgreSQL's SET LOCAL); [] when not needed. */
  readonly inTransaction: readonly string[];
  /** Statements before / after a statement run outside a transaction ([] when the run set them). */
  readonly beforeAutocommit: readonly string[];
  readonly afterAutocommit: readonly string[];
  /** Gives the session its own settings back (best effort); call once when the run ends. */
  end(): Promise<void>;
}

/** Sets up the bound on `connection`; a policy of 0 ms changes nothing on it. */
export async function startTableLockSession(
  handle: DatabaseHandle,
  connection: AnyDb,
  policy: TableLockPolicy | undefined,
): Promise<TableLockSession> {
  const effective = policy ?? { timeoutMs: 0, retries: 0 };
  if (effective.timeoutMs <= 0) {
    return {
      policy: effective,
      handle,
      sessionId: undefined,
      inTransaction: [],
      beforeAutocommit: [],
      afterAutocommit: [],
      end: () => Promise.resolve(),
    };
  }
  const sql: TableLockTimeoutSql = handle.dialect.tableLockTimeoutSql(effective.timeoutMs);
  const sessionId = await handle.dialect.readSessionId(connection);
  const setForRun = sql.transaction === undefined;
  if (setForRun) await executeRaw(connection, sql.session);
  return {
    policy: effective,
    handle,
    sessionId,
    inTransaction: sql.transaction ?? [],
    beforeAutocommit: setForRun ? [] : sql.session,
    afterAutocommit: setForRun ? [] : sql.resetSession,
    end: async () => {
      // The connection goes back to the pool: later queries on it must not inherit the bound.
      if (setForRun) await executeRaw(connection, sql.resetSession).catch(() => undefined);
    },
  };
}

/** A lock wait that timed out inside an attempt, with where it happened (thrown by the runner). */
export class TableLockTimedOut extends Error {
  override readonly name = 'TableLockTimedOut';
  constructor(
    readonly where: string,
    readonly revision: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`table lock wait timed out ${where}`);
  }
}

/** How a retry loop ends when its attempts run out: the error to throw, given the holders. */
export type GiveUp = (
  failure: TableLockTimedOut,
  holders: readonly TableLockHolder[],
  attempts: number,
) => Error;

export interface RetryScope {
  readonly subject: string;
  /** What runs again, for the retry line. */
  readonly retried: string;
  readonly giveUp: GiveUp;
  /**
   * Called after each timeout, before retrying or giving up: throws to stop there with its own
   * error (PostgreSQL's invalid index left by CREATE INDEX CONCURRENTLY must be removed by hand).
   */
  readonly afterTimeout?: (failure: TableLockTimedOut) => Promise<void>;
}

/**
 * Runs `attempt` until it does not time out waiting for a table lock, at most `retries + 1`
 * times. `attempt` must leave nothing behind when it throws {@link TableLockTimedOut} (its
 * transaction rolled back, or only the timed-out statement to run again).
 */
export async function retryOnTableLockTimeout<T>(
  session: TableLockSession,
  scope: RetryScope,
  attempt: () => Promise<T>,
): Promise<T> {
  const attempts = session.policy.retries + 1;
  for (let number = 1; ; number += 1) {
    const watcher = watchLockHolders(session);
    let failure: TableLockTimedOut;
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TableLockTimedOut)) throw error;
      failure = error;
    } finally {
      watcher.stop();
    }
    await scope.afterTimeout?.(failure);
    const holders = await watcher.holders();
    if (number >= attempts) throw scope.giveUp(failure, holders, attempts);
    const delayMs = retryDelayMs(number);
    session.policy.onRetry?.(
      describeRetry(session, scope, failure, { attempt: number, attempts, delayMs, holders }),
    );
    await sleep(delayMs);
  }
}

function describeRetry(
  session: TableLockSession,
  scope: RetryScope,
  failure: TableLockTimedOut,
  counts: {
    attempt: number;
    attempts: number;
    delayMs: number;
    holders: readonly TableLockHolder[];
  },
): TableLockRetry {
  const message =
    `${scope.subject}: a table lock was not granted within ${formatSeconds(session.policy.timeoutMs)}` +
    `${failure.where === '' ? '' : ` ${failure.where}`} (attempt ${counts.attempt} of ${counts.attempts}); ` +
    `${describeLockHolders(counts.holders)}; retrying ${scope.retried} in ${formatSeconds(counts.delayMs)}`;
  return {
    subject: scope.subject,
    revision: failure.revision,
    where: failure.where,
    retried: scope.retried,
    ...counts,
    message,
  };
}

/**
 * Who holds the lock, as one clause: `lock held by pid 4242 (application "psql", user app,
 * idle in transaction, transaction open 6.1 s)`.
 */
export function describeLockHolders(holders: readonly TableLockHolder[]): string {
  if (holders.length === 0) return 'the database did not say who holds the lock';
  const guess = holders.every((holder) => holder.isGuess);
  const described = holders.slice(0, 3).map(describeLockHolder).join('; ');
  const more = holders.length > 3 ? `; and ${holders.length - 3} more` : '';
  return guess
    ? `lock probably held by a session with an open transaction: ${described}${more}`
    : `lock held by ${described}${more}`;
}

function describeLockHolder(holder: TableLockHolder): string {
  const facts = [
    holder.applicationName === undefined ? undefined : `application "${holder.applicationName}"`,
    holder.user === undefined ? undefined : `user ${holder.user}`,
    holder.client === undefined ? undefined : `from ${holder.client}`,
    holder.state,
    holder.transactionAgeMs === undefined
      ? undefined
      : `transaction open ${formatSeconds(holder.transactionAgeMs)}`,
  ].filter((fact): fact is string => fact !== undefined && fact !== '');
  return `${holder.label}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

/**
 * While an attempt runs, asks (on another connection) who blocks the session, from half the
 * timeout on: once the wait has timed out the session no longer waits, and the database no
 * longer says for whom. The last non-empty answer is kept; with none, it asks once after.
 */
function watchLockHolders(session: TableLockSession): {
  holders(): Promise<readonly TableLockHolder[]>;
  stop(): void;
} {
  const { sessionId } = session;
  if (sessionId === undefined) {
    return { holders: () => Promise.resolve([]), stop: () => undefined };
  }
  let seen: readonly TableLockHolder[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const everyMs = Math.max(50, Math.round(session.policy.timeoutMs / 4));
  const poll = async () => {
    const holders = await session.handle.dialect.readLockHolders(sessionId).catch(() => []);
    if (holders.length > 0) seen = holders;
    if (!stopped) schedule(everyMs);
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => void poll(), ms);
    timer.unref();
  };
  schedule(Math.max(25, Math.round(session.policy.timeoutMs / 2)));
  return {
    async holders() {
      if (seen.length > 0) return seen;
      return session.handle.dialect.readLockHolders(sessionId).catch(() => []);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
