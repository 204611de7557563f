// Waits for the migration lock so that two `upgrade` runs (two deploys) never apply a revision
// twice. The dialect provides the lock itself; this module polls, reports and times out.

import { hostname } from 'node:os';
import type { DatabaseHandle } from '../../db/database-handle.js';
import type { HeldLock, LockHolder } from '../../db/dialect-adapter.js';
import { DataRegistryError } from '../../shared/errors.js';

export interface LockWaitOptions {
  /** Lock name; one per version table, so that two projects sharing a database do not block each other. */
  readonly lockName: string;
  /** Give up after this many milliseconds; `undefined` waits as long as it takes. */
  readonly timeoutMs: number | undefined;
  /**
   * Called once the wait passes `firstReportAfterMs`, then every `reportEveryMs`, with who holds
   * the lock when known.
   */
  readonly onWait?: (holder: LockHolder | undefined, waitedMs: number) => void;
  readonly reportEveryMs?: number;
  readonly firstReportAfterMs?: number;
}

const firstPollDelayMs = 50;
const maxPollDelayMs = 500;

export async function acquireMigrationLock(
  handle: DatabaseHandle,
  options: LockWaitOptions,
): Promise<HeldLock> {
  const self: LockHolder = { host: hostname(), pid: process.pid, since: new Date() };
  const started = Date.now();
  const reportEveryMs = options.reportEveryMs ?? 5000;
  // Say early why the run stands still, but not for a lock released a moment later.
  let nextReportAt = started + (options.firstReportAfterMs ?? 1000);
  let delay = firstPollDelayMs;
  for (;;) {
    const attempt = await handle.dialect.tryAcquireLock(options.lockName, {
      ...self,
      since: new Date(),
    });
    if (attempt.acquired) return attempt.lock;

    const now = Date.now();
    const waited = now - started;
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      throw new DataRegistryError(
        'LOCK_TIMEOUT',
        `Gave up waiting for the migration lock after ${formatSeconds(waited)}: ${describeHolder(attempt.holder)}. ` +
          'Wait for that run to finish, or raise --lock-timeout.',
        { holder: attempt.holder, waitedMs: waited },
      );
    }
    if (now >= nextReportAt) {
      options.onWait?.(attempt.holder, waited);
      nextReportAt += reportEveryMs;
    }
    const remaining =
      options.timeoutMs === undefined ? delay : Math.min(delay, options.timeoutMs - waited);
    await sleep(Math.max(remaining, 1));
    delay = Math.min(delay * 2, maxPollDelayMs);
  }
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'the migration lock is held by another process';
  return `held by pid ${holder.pid} on ${holder.host} since ${holder.since.toISOString()}`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
